"""A screen recorded in the register: the round (income year, date, rule set), its inputs with their
SHA-256, and every household's decision with its key facts. Households get the register's keys,
matched across the years by head ID, 户编号 and members' IDs (years.py); everyone else gets a new one.
Where the register has earlier rounds, the round is compared with it (years.py): what the year
found for each household on the register, kept in round_changes and given to the screen's outputs
(the ledger's register_change, changes.xlsx, the income over time in report.html)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Lang, Phrase, label, rosters_catalogue
from ..classify import EXCLUSION_STATUS
from ..errors import LANGS, OutputError, RulesError, UsageError
from ..inputs import file_sha256, shell_word
from ..money import bound_yuan
from ..normalise import places_beside_held
from ..outputs.folder import target_exists
from ..outputs.places import place_rank
from ..outputs.villages import data_doubts
from ..result import Result
from ..rules import Bounds, LoadedRules, RuleSet, load_rules, rules_from_text, shipped_rule_sets
from ..runtime import uninterrupted
from . import db
from .db import IN_WAN
from .documents import OTHER_HOUSEHOLD
from .changes import write_changes
from .trend import year_view
from .years import Comparison, change_counts, change_words, compare_round, match_households, members_frame, one_row_each


@dataclass
class RoundRecorded:
    """What `recording_round` put in the register; with earlier rounds, the comparison with them."""

    path: Path
    round_id: int
    round_date: dt.date
    households: int
    candidates: int
    created: bool
    comparison: Comparison | None = None
    # The villages the round before left part-way through its procedure, the entry's or the exit's:
    # (township, village, the steps each waits for, one per track). Their documents of that round are
    # not taken after this one.
    left_unfinished: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    previous_round: int | None = None
    documents_out: int = 0  # of those villages' documents, how many were out (printed, not recorded)
    rules_changed: RulesChanged | None = None  # the round before was screened under another rule set
    # Households the round before excluded by an authoritative roster this round did not check (its
    # list not given this year), decided by the survey now: (kind, head's name, place).
    rosters_dropped: list[tuple[str, str, str]] = field(default_factory=list)
    # screen --add-to-round: a late township's survey added to the latest round (round_id), not a new round.
    joined: bool = False
    villages: int = 0  # with `joined`: the villages added
    # Rows of the survey recorded as one household with another (a head's ID on two rows, invalid:
    # years.one_row_each): in `households`, but not each a household of the register.
    kept_as_one: int = 0


@dataclass(frozen=True)
class RulesChanged:
    """The register's round before was screened under another rule set than this round (another id,
    or figures this round's rule set does not give for that round's year): a county's own file left
    off (--rules forgotten) would otherwise decide the new year by the shipped figures unsaid."""

    previous_round: int
    previous_year: int
    previous_id: str
    previous_file: str
    previous_lower_fen: int | None
    previous_upper_fen: int
    year: int
    id: str
    lower_fen: int | None
    upper_fen: int
    previous_sha256: str = ""
    # The round before's own rules file (its id and file name) edited since: said as such, not as
    # another rule set (whose advice, --rules naming that file, is the very file given).
    edited: RulesEdited | None = None


@dataclass(frozen=True)
class RulesEdited:
    """A county's rules file the round before was decided by (the same id, the same file name) whose
    content changed since, for that round's income year: each bound that differs (lower/upper, its
    fen then and now), or where none does, the file's SHA-256 then and now."""

    year: int
    file: str  # as given this time
    bounds: tuple[tuple[str, int | None, int | None], ...]
    then_sha256: str
    now_sha256: str


def rules_edited(latest: dict | None, loaded: LoadedRules) -> RulesEdited | None:
    """How the round before's rules file (`latest`, db.latest_round) was edited since, where `loaded`
    is that file again (the same rule set id and file name, a county's, not a shipped one) and decides
    the round's year otherwise; None where it is another file or decides that year the same (a file
    that only gained a later year's lines, or comments)."""
    if latest is None or latest["rules_id"] != loaded.rules.id or not latest["rules_file"]:
        return None
    if Path(str(latest["rules_file"])).name != loaded.path.name or latest["rules_sha256"] == loaded.sha256 \
            or was_shipped(str(latest["rules_id"]), str(latest["rules_file"])):
        return None
    year = int(latest["year"])
    then_text = latest.get("rules_text")
    then = rules_from_text(then_text, Path(str(latest["rules_file"]))) if then_text else None
    if then is not None and _for_year(then.rules, year) == _for_year(loaded.rules, year):
        return None
    held = _held_band(latest)
    try:
        again = Bounds.for_year(loaded.rules, year)
        now = (again.lower_fen, again.upper_fen)
    except (RulesError, UsageError):  # the file no longer gives that year's figures
        now = (None, None)
    changed = tuple((bound, a, b) for bound, a, b in zip(("lower", "upper"), held, now) if a != b)
    return RulesEdited(year, str(loaded.path), changed, str(latest["rules_sha256"]), loaded.sha256)


def _held_band(latest: dict) -> tuple[int | None, int]:
    """The band (lower, upper fen) the round `latest` (db.latest_round) was decided by; no lower bound is None."""
    return (int(latest["lower_fen"]) if latest["lower_fen"] is not None else None, int(latest["upper_fen"]))


def _for_year(rules: RuleSet, year: int) -> dict:
    """A rule set as it decides `year`: its dated values from later years left out (a county's file
    gains next year's figures in advance)."""
    data = rules.model_dump()
    for bound in ("lower_bound", "upper_bound"):
        if data.get(bound):
            data[bound]["values"] = [v for v in data[bound]["values"] if v["effective"].year <= year]
    data["reference_figures"] = [v for v in data["reference_figures"] if v["effective"].year <= year]
    return data


class _Edits:
    """What changed in a rules file, as a message says it: each bound with its year, then → now; or
    the two SHA-256's beginnings where only other rules changed."""

    def __init__(self, edited: RulesEdited):
        self.edited = edited

    def render(self, lang: Lang) -> str:
        e = self.edited
        if not e.bounds:
            return label("reg_rules_edit_other", lang, then=e.then_sha256[:12], now=e.now_sha256[:12])

        def yuan(fen: int | None) -> str:
            return label("reg_rules_edit_none", lang) if fen is None else label("reg_rules_edit_yuan", lang, amount=bound_yuan(fen))

        return label("list_sep", lang).join(
            label("reg_rules_edit_bound", lang, year=e.year, bound=label(f"reg_rules_edit_{bound}", lang),
                  then=yuan(then), now=yuan(now))
            for bound, then, now in e.bounds)


def rules_changed(latest: dict | None, rules: RuleSet, bounds: Bounds,
                  edited: RulesEdited | None = None) -> RulesChanged | None:
    """How this round's rule set (`rules`, its `bounds`) differs from the one `latest` (the register's
    round before, as db.latest_round gives it) was screened under; None where it does not. The same
    rule set gives the round before's figures for its year (a county's file with a new year's line).
    `edited` (rules_edited), the round before's own file edited since, is a change as such."""
    if latest is None:
        return None
    if edited is None and latest["rules_id"] == rules.id:
        try:
            again = Bounds.for_year(rules, int(latest["year"]))
        except (RulesError, UsageError):  # no figures for that year: another rule set under the same id
            again = None
        if again is not None and same_figures(latest, rules.id, again):
            return None
    then = _held_band(latest)
    return RulesChanged(int(latest["id"]), int(latest["year"]), str(latest["rules_id"]), str(latest["rules_file"] or ""),
                        then[0], then[1], bounds.year, rules.id, bounds.lower_fen, bounds.upper_fen,
                        str(latest["rules_sha256"] or ""), edited)


def same_figures(latest: dict, rules_id: str, bounds: Bounds) -> bool:
    """Whether the round `latest` (db.latest_round) was screened under rule set `rules_id` with `bounds`'
    figures, for `bounds`' income year. The file's bytes are not compared: a county's file that gained
    next year's lines (its id and this year's figures the same) decides this year as before."""
    then = _held_band(latest)
    return latest["rules_id"] == rules_id and int(latest["year"]) == bounds.year \
        and then == (bounds.lower_fen, bounds.upper_fen)


def check_rules_named(path: str | Path, rules: str | Path | LoadedRules, year: int | None) -> None:
    """A screen into a register whose latest round was screened under another rule set than `rules`
    (another id, or other figures for that round's year: rules_changed), where --rules was not given,
    is refused before the survey is read: the county's own file left off would decide the new year by
    the shipped figures, and a round recorded cannot be taken back. A --rules given says the change is
    the county's (the round then says both rule sets: rules_changed_line). The command line asks it
    where its --rules was left to the default."""
    path = Path(path)
    if not target_exists(path):
        return
    loaded = rules if isinstance(rules, LoadedRules) else load_rules(rules)
    try:
        bounds = loaded.bounds(year)
    except (RulesError, UsageError):  # a year the rule set does not cover: the screen says it, as ever
        return
    with db.open_register(path, upgrade=False) as reg:  # asked before anything is done: changes no file
        changed = rules_changed(db.latest_round(reg), loaded.rules, bounds)
    if changed is None:
        return
    again, state = round_rules_option(changed.previous_id, changed.previous_file, changed.previous_sha256, path,
                                      changed.previous_round)
    raise lifted_by(UsageError("round_rules_not_named", path=str(path), previous=changed.previous_round,
                               previous_year=changed.previous_year, previous_id=changed.previous_id,
                               previous_band=_Band(changed.previous_lower_fen, changed.previous_upper_fen),
                               year=changed.year, id=changed.id, band=_Band(changed.lower_fen, changed.upper_fen),
                               file=shell_word(again), file_state=state), "--rules", again)


def lifted_by(exc: UsageError, option: str, value: str) -> UsageError:
    """`exc`, with the option (and its value) that would lift the refusal: the command line prints
    the command again with it, to copy (`lifted`)."""
    exc.lifted = (option, value)
    return exc


def check_title_year(path: Path, result: Result) -> None:
    """A survey whose title names another income year than the one the run would record (--year left
    out: the rule set's latest year) is refused before anything is recorded: counties fill next year's
    figures in early, and a round recorded as the wrong year cannot be taken back (and --year of the
    title's year is then refused as earlier than it). Named: the files, the title's year, the year the
    run would use, and --year; a --year given says the clerk chose (not asked here)."""
    year = result.bounds.year
    other = [(record.name, sheet.title_years) for record in result.inputs for sheet in record.sheets
             if sheet.title_years and year not in sheet.title_years]
    if not other:
        return
    said = other[0][1]
    files = Shown(list(dict.fromkeys(name for name, _ in other)))
    raise lifted_by(UsageError("round_title_year_not_given", path=str(path), files=files, said=_Years(said),
                               year=year, first=said[0]), "--year", str(said[0]))


class _Years(tuple):
    """A title's income years, as a message says them (2019、2020)."""

    def render(self, lang: Lang) -> str:
        return label("list_sep", lang).join(map(str, self))


def _band(lower_fen: int | None, upper_fen: int, lang: Lang) -> str:
    if lower_fen is None:
        return label("rules_band_no_lower", lang, upper=bound_yuan(upper_fen))
    return label("rules_band", lang, lower=bound_yuan(lower_fen), upper=bound_yuan(upper_fen))


def was_shipped(rules_id: str, rules_file: str | None) -> bool:
    """Whether a round's rule file (its path as recorded) was a rule set edgescreen ships, under its
    own id (rules/<id>.toml of this or another installation), not a county's own file: --rules then
    takes the id."""
    path = Path(rules_file or "")
    return path.stem == rules_id and path.parent.name == "rules" and rules_id in shipped_rule_sets()


def rules_file_recorded(rules: LoadedRules) -> str:
    """A round's rules file as the register keeps it: its absolute path (the one given may be relative
    to a folder a later run is not in)."""
    return os.path.abspath(rules.path)


def rules_option(rules_id: str, rules_file: str | None) -> str:
    """What --rules takes to screen again under a round's rule set: a shipped one's id, a county's file."""
    return rules_id if was_shipped(rules_id, rules_file) or not rules_file else str(rules_file)


def round_rules_option(rules_id: str, rules_file: str | None, sha256: str, register: Path, round_id: int
                       ) -> tuple[str, Phrase | str]:
    """What --rules takes, from the current folder, to screen again under a round's rule set (a
    shipped one's id, a county's file: rules_option), and what a message adds of that file: '' where
    it is there with the round's content, else that it is gone or changed since. A path recorded
    relative (by an older edgescreen) is looked for from here and from the register's folder; the
    path is given relative to here where it is inside this folder, else absolute."""
    option = rules_option(rules_id, rules_file)
    if option != rules_file:
        return option, ""
    recorded = Path(str(rules_file))
    places = [recorded] if recorded.is_absolute() else [recorded, register.absolute().parent / recorded]
    there = [p for p in places if p.is_file()]
    same = [p for p in there if _sha_or_none(p) == sha256]
    found = (same or there or [places[-1]])[0]
    shown = path_from_here(found)
    if same:
        return shown, ""
    return shown, Phrase("reg_round_rules_file_not_as_then" if there else "reg_round_rules_file_missing",
                         file=shell_word(shown), round=round_id)


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None


def path_from_here(path: Path) -> str:
    """`path` relative to the current folder where it is inside it, else absolute (a ../.. path is
    harder to read than the whole one)."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return absolute
    return absolute if relative.split(os.sep)[0] == os.pardir else relative


def rules_changed_line(recorded: RoundRecorded, lang: Lang) -> str:
    """The warning that the round before was screened under another rule set ('' where it was not):
    both rule sets with their figures, and --rules for a county that still uses its own file (or the
    shipped rule set the round before used, by its id), by a path that works from here. The round
    before's own file edited since is said as that: what changed, and putting it back."""
    c = recorded.rules_changed
    if c is None:
        return ""
    if c.edited is not None:
        return label("reg_round_rules_file_changed", lang, file=c.edited.file, previous=c.previous_round,
                     previous_year=c.previous_year, changes=_Edits(c.edited).render(lang), round=recorded.round_id,
                     year=c.year)
    if was_shipped(c.previous_id, c.previous_file):
        key, shown, state = "reg_round_rules_changed_shipped", c.previous_file, ""
    else:
        key = "reg_round_rules_changed"
        shown, state = round_rules_option(c.previous_id, c.previous_file, c.previous_sha256, recorded.path,
                                          c.previous_round) if c.previous_file else ("—", "")
    return label(key, lang, previous=c.previous_round, previous_year=c.previous_year,
                 previous_id=c.previous_id, previous_band=_band(c.previous_lower_fen, c.previous_upper_fen, lang),
                 previous_file=shell_word(shown) if c.previous_file else shown, round=recorded.round_id, year=c.year,
                 id=c.id, band=_band(c.lower_fen, c.upper_fen, lang),
                 file_state=state.render(lang) if isinstance(state, Phrase) else state)


# The items a message of a round names (villages left unfinished, places or heads a join refuses);
# the rest are "等".
SHOWN = 5


class Shown:
    """Items a message names, as a Phrase's parameter worded in its language: the first SHOWN, and
    where there are more, the list says it is cut (等) rather than end as if it were whole."""

    def __init__(self, items: list):
        self.items = items

    @property
    def params(self) -> dict:
        """The names its items insert, for the terminal to keep each whole (cli.wrapping.names_in)."""
        return {"names": [i for i in self.items[:SHOWN] if isinstance(i, str)],
                **{f"item{k}": i for k, i in enumerate(self.items[:SHOWN]) if hasattr(i, "params")}}

    def render(self, lang: Lang) -> str:
        said = label("list_sep", lang).join(str(i.render(lang) if hasattr(i, "render") else i)
                                            for i in self.items[:SHOWN])
        return label("reg_unfinished_villages_more", lang, places=said) if len(self.items) > SHOWN else said


def unfinished_places(left: list[tuple[str, str, tuple[str, ...]]]) -> Shown:
    """The villages a round leaves part-way through its procedure, each with the steps it waits for
    (one per track)."""
    return Shown([_Waiting(f"{t}{v}", steps) for t, v, steps in left])


class _Waiting:
    """A village and the steps it waits for, in the message's language."""

    def __init__(self, place: str, steps: tuple[str, ...]):
        self.place, self.steps = place, steps
        self.params = {"place": place}

    def render(self, lang: Lang) -> str:
        sep = label("list_sep", lang)
        return label("reg_unfinished_village", lang, place=self.place,
                     step=sep.join(label(f"step_{step}", lang) for step in self.steps))


def left_unfinished_line(recorded: RoundRecorded, lang: Lang) -> str:
    """The warning that the round before stops for the villages it left part-way through its procedure
    ('' where none), named as unfinished_places names them."""
    left = recorded.left_unfinished
    if not left:
        return ""
    key = "reg_round_left_documents_out" if recorded.documents_out else "reg_round_left_unfinished"
    return label(key, lang, previous=recorded.previous_round, count=len(left), documents=recorded.documents_out,
                 villages=unfinished_places(left).render(lang), round=recorded.round_id)


def check_unfinished(reg: db.Register, *, leave_unfinished: bool, same_files: Callable[[], bool] | None = None
                     ) -> bool:
    """A new round where the latest one has villages part-way through its procedure (the entry's or
    the exit's: a 公告 posted and not recorded yet, a meeting held and its visits not) is refused
    unless the clerk says to leave them (`leave_unfinished`, --leave-unfinished): once the new round
    begins, those villages' documents of the last round can no longer be recorded, and households
    through the county's review and posted start again at 民主评议. The refusal names the villages and
    the step each waits for: record what has come back first (register status shows it).
    `same_files`: whether the inputs are the latest round's very files (same_files_again). Where they
    are, the refusal waits for the survey to be read (True is returned): check_not_screened_again
    then says the run is one twice, whose advice is the clerk's way, not --leave-unfinished's (which
    would begin a round of the same files); a run of them deciding otherwise is refused here then."""
    if leave_unfinished or db.latest_round(reg) is None:
        return False
    previous, left, _ = _unfinished_villages(reg)
    if not left:
        return False
    if same_files is not None and same_files():
        return True
    # Refused, it names every village part-way as the warning of a round begun would: those with only
    # their documents out (printed, nothing recorded yet) too, whose forms the new round voids alike.
    # Documents out alone do not refuse (a screen again after register next is said, not refused).
    previous, left, _ = _unfinished_villages(reg, documents=True)
    raise UsageError("round_leaves_unfinished", path=str(reg.path), previous=previous, count=len(left),
                     villages=unfinished_places(left), round=previous + 1)


def same_files_again(reg: db.Register, inputs: Sequence[Path], year: int | None, rules_sha256: str | None,
                     rules: LoadedRules | None = None) -> bool:
    """Whether `inputs` are the very files the latest round was made from (their SHA-256, no file more
    or less), for its income year under its rule set: what check_not_screened_again looks at after
    the read, asked before it. The rule set: its id and figures for the year where `rules` is given
    (same_figures), else the file's SHA-256. The files are hashed one at a time, stopping at the
    first the round did not read (a new survey is told at its first file)."""
    latest = db.latest_round(reg)
    if latest is None or year is None or int(latest["year"]) != year:
        return False
    if rules is not None:
        try:
            if not same_figures(latest, rules.rules.id, rules.bounds(year)):
                return False
        except (RulesError, UsageError):  # no figures for the year: the screen says it after
            return False
    elif latest["rules_sha256"] != rules_sha256:
        return False
    held = set(db.round_inputs(reg, int(latest["id"]))["sha256"])
    if len(inputs) != len(held):
        return False
    hashes = set()
    for path in inputs:
        try:
            digest = file_sha256(Path(path))
        except OSError:  # a file that cannot be read is the reader's to refuse, after the checks as now
            return False
        if digest not in held:
            return False
        hashes.add(digest)
    return hashes == held


def check_round_date(round_date: dt.date | None, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    round_date = round_date or today
    if round_date > today:
        raise UsageError("date_in_future", option="--date", date=round_date.isoformat(), today=today.isoformat())
    return round_date


def check_round_after(reg: db.Register, round_date: dt.date) -> None:
    """A round dated before what the register already shows begun (a round, a document issued) is
    refused: a new year's survey with last year's date (--date 2019-12-05 for 2020-12-05) came before
    the 公告 that entered its households, and its documents would be issued, and households leave,
    before they entered."""
    latest = db.latest_day(reg)
    if latest is not None and round_date.isoformat() < str(latest)[:10]:
        raise UsageError("round_date_before_register", path=str(reg.path), date=round_date.isoformat(),
                         latest=str(latest)[:10])


# The survey is yearly: a round of the income year about to be recorded, dated this long before, is
# last year's survey, not a re-screen of this year's (one after a correction comes within weeks).
LAST_YEARS_SURVEY = dt.timedelta(days=183)


def check_default_year(reg: db.Register, year: int, round_date: dt.date) -> None:
    """Without --year a round is recorded as the rule set's latest year. Refused where the register
    already holds a later year's round, or one of that year dated half a year or more before: next
    year's survey would be recorded as last year's again, and its incomes compared and charted under
    the wrong year. The clerk says the year (--year YEAR; the same year again for a re-survey)."""
    rounds = db.rounds(reg)
    held_dates = pd.to_datetime(rounds["round_date"]).dt.date
    # A later year held, however recent (a screen with --year 2026 weeks ago), is never followed by
    # an earlier one left to the default.
    held = rounds[(rounds["year"] > year) | ((rounds["year"] == year) & (held_dates <= round_date - LAST_YEARS_SURVEY))]
    if held.empty:
        return
    latest = held.sort_values(["year", "round_date"]).iloc[-1]
    # The re-survey suggested is of the latest year held: an earlier one would be refused (check_year_order).
    raise UsageError("round_year_not_given", path=str(reg.path), held=int(latest["year"]),
                     held_date=str(latest["round_date"]), year=year, date=round_date.isoformat(),
                     again=int(rounds["year"].max()), next=int(rounds["year"].max()) + 1)


def check_year_order(reg: db.Register, year: int) -> None:
    """A round's income year (--year given) earlier than one the register already holds a round of is
    refused: the 花名册 would take that year for its title and the trend would put the later year's
    incomes under it (a typo'd --year 2019 on 2020's survey). A re-survey of the latest year is
    that year again; a year is never added behind a later one."""
    rounds = db.rounds(reg)
    later = rounds[rounds["year"] > year]
    if later.empty:
        return
    latest = later.sort_values(["year", "round_date"]).iloc[-1]
    raise UsageError("round_year_before_held", path=str(reg.path), held=int(latest["year"]),
                     held_date=str(latest["round_date"]), year=year, next=int(rounds["year"].max()) + 1)


# A survey read the same (check_not_screened_again), whatever bytes its workbook was saved as: every
# household at the same place with all the register keeps of it the same, its decision and figures,
# head, place, 主要困难 and 填表人 (not its keys: they are the round's; nor the screen's words of its
# doubts, which a round recorded before kept none of, and another edgescreen may word otherwise).
READ_THE_SAME = [c for c in db.SCREENED_COLUMNS if c not in ("round", "household", "input", *db.DATA_DOUBTS)]
NUMBERS = {"row", "members", "residents", *(c for c in READ_THE_SAME if c.endswith("_fen"))}


def _as_text(column: pd.Series, number: bool) -> pd.Series:
    """A column as text alike either side: a blank as "", a number as its digits (the register gives
    back 1234.0 where a column has a blank, the survey's frame 1234)."""
    if number:
        column = pd.to_numeric(column, errors="coerce").round().astype("Int64")
    return column.astype("string").fillna("")


def _files_as_held(before: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Each row's file as the latest round named the file holding the same households at the same
    places (sheet, row, head ID): a township's workbook re-sent under another name is that file. A
    file matching none, or two files the same one, keep their own names (and so are not the round's)."""
    def places(frame: pd.DataFrame) -> pd.Series:
        return _as_text(frame["sheet"], False) + "\x1f" + _as_text(frame["row"], True) + "\x1f" \
            + _as_text(frame["head_id"], False)
    given = _as_text(rows["source_file"], False)
    pairs = pd.DataFrame({"given": given, "place": places(rows)}).merge(
        pd.DataFrame({"held": _as_text(before["source_file"], False), "place": places(before)}).drop_duplicates(),
        on="place")
    # Per file given, the round's file holding most of its places.
    best = pairs.groupby(["given", "held"]).size().sort_values(ascending=False, kind="stable").reset_index()
    best = best.drop_duplicates("given")
    if best["held"].duplicated().any():
        return given
    return given.map(dict(zip(best["given"], best["held"]))).astype("string").fillna(given)


def _places(values) -> set[str]:
    return {str(v).strip() for v in values if isinstance(v, str) and str(v).strip()}


def check_same_county(reg: db.Register, rows: pd.DataFrame, year: int, *, leave_unfinished: bool) -> None:
    """A survey of another county is refused, naming both (an outside try: 农安县's survey recorded
    into 德惠市.db for good, as its round 2); so is a survey of the latest round's year that leaves out
    townships it held (a township screened on its own after another: the new round left the first
    one's candidates with no documents), unless `leave_unfinished`. A different year's survey may lack
    a township: its households are the 未调查 track's."""
    latest = db.latest_round(reg)
    if latest is None:
        return
    held = reg.conn.execute("SELECT DISTINCT county, township FROM screened WHERE round = ?",
                            (int(latest["id"]),)).fetchall()
    counties, new_counties = _places(c for c, _ in held), _places(rows["county"])
    if counties and new_counties and not counties & new_counties:
        raise UsageError("round_other_county", path=str(reg.path), held=sorted(counties),
                         given=sorted(new_counties))
    if leave_unfinished or int(latest["year"]) != year:
        return
    missing = sorted(_places(t for _, t in held) - _places(rows["township"]))
    if missing and _places(rows["township"]):
        # None of this survey's townships in the round: a township that sent its survey late.
        late = not _places(t for _, t in held) & _places(rows["township"])
        raise UsageError("round_leaves_townships_late" if late else "round_leaves_townships", path=str(reg.path),
                         round=int(latest["id"]), year=year, count=len(missing), townships=missing)


def check_not_screened_again(reg: db.Register, result: Result, rows: pd.DataFrame) -> None:
    """A screen of the survey the latest round was made from, read the same (the same households at
    the same places, sheet and row, with the same head IDs, figures and decisions: READ_THE_SAME), for
    the same income year under the same rule set (its id and that year's figures: same_figures, not
    the file's bytes), is refused: it finds nothing new, and as a new round it would leave the latest
    one's documents still out untaken and print its households' documents a second time (a clerk
    unsure whether the first run worked runs it again; a township's workbook opened and saved again in
    WPS, or re-sent under another name, is the same survey in other bytes). The very files (the same
    SHA-256 each) are said as such (round_same_files), others read the same as the same content
    (round_same_content). A screen that reads or decides any household otherwise (an amount changed, a
    household more or less, a roster given this time) is a new round. A re-survey of the year on
    purpose is its new survey, with --year."""
    latest = db.latest_round(reg)
    if latest is None or not same_figures(latest, result.rule_set.id, result.bounds):
        return
    held = db.round_inputs(reg, int(latest["id"]))
    given = pd.DataFrame([(record.sha256, record.households) for record in result.inputs],
                         columns=["sha256", "households"])
    # A file holding no household (a members table) given anew is new information: only its very bytes are the same.
    if len(given) != len(held) or not given.loc[given["households"].eq(0), "sha256"].isin(set(held["sha256"])).all():
        return
    very_files = set(held["sha256"]) == set(given["sha256"])
    before = db.screened(reg, int(latest["id"]))
    rows = rows.assign(source_file=_files_as_held(before, rows))
    # A household surveyed twice was recorded once (years.one_row_each): its other rows are no difference.
    def where(frame: pd.DataFrame) -> pd.Series:
        text = [_as_text(frame[c], c == "row") for c in ("source_file", "sheet", "row")]
        return text[0] + "\x1f" + text[1] + "\x1f" + text[2]
    heads = rows["head_id"].astype("string").fillna("")
    places = where(rows)
    if places.duplicated().any():  # two files given taken for one of the round's
        return
    left_out = ~places.isin(set(where(before).tolist())).to_numpy()
    if (left_out & ~(heads.ne("") & heads.duplicated(keep=False)).to_numpy()).any():
        return
    rows = rows[~left_out]
    if len(before) != len(rows):
        return
    columns = [c for c in READ_THE_SAME if c in before.columns and c in rows.columns]
    before, rows = (frame.assign(reasons=_without_doubts(frame["reasons"])) for frame in (before, rows))
    if "roster_flags" in columns:
        before, rows = (frame.assign(roster_flags=_flags_as_before(frame["roster_flags"])) for frame in (before, rows))

    def text(frame: pd.DataFrame) -> np.ndarray:  # in the places' order: a file renamed may be read in another
        frame = frame.assign(at=where(frame)).sort_values("at", kind="stable")
        return pd.DataFrame({c: _as_text(frame[c], c in NUMBERS) for c in ["at", *columns]}).to_numpy(dtype=object)

    if not (text(before) == text(rows)).all():
        return
    if very_files:
        raise UsageError("round_same_files", path=str(reg.path), round=int(latest["id"]),
                         date=str(latest["round_date"]), year=int(latest["year"]), files=held["file"].tolist(),
                         next=int(latest["id"]) + 1)
    raise UsageError("round_same_content", path=str(reg.path), round=int(latest["id"]), date=str(latest["round_date"]),
                     year=int(latest["year"]), files=held["file"].tolist(),
                     given=[record.name for record in result.inputs], next=int(latest["id"]) + 1)


class RoundTarget:
    """The register a screen will record into, looked at before the survey is read: a file that is
    not a register, a date in the future, a year left to the rule set's default that the register
    already holds from a year before (check_default_year), or a year given that is earlier than one
    it holds (check_year_order), is refused first. A new register is made only when the round is
    recorded, so that a screen that fails leaves no file behind.
    `default_year`: the year the rule set gives where --year was not given; None where it was.
    `year`: the year --year gave; None where it was not.
    `leave_unfinished`: --leave-unfinished, the clerk's word that the villages the latest round has
    part-way through its procedure stop there (check_unfinished); without it such a round is refused.
    `add_to_round`: --add-to-round, a late township's survey added to the register's latest round
    (`joining_round`) rather than a new round: the latest round's year (`year`, else `default_year`)
    and no --date (`round_date`), as the round has its own.
    `inputs`, `rules_sha256`: the survey files given and the rule set's SHA-256, to tell the latest
    round's very files given again (same_files_again) before villages part-way are refused; `rules`,
    the rule set loaded, tells them by its id and figures instead of its file's bytes.
    Without --year, a survey whose title names another year is refused when the round is recorded
    (check_title_year)."""

    def __init__(self, path: str | Path, round_date: dt.date | None = None, *, default_year: int | None = None,
                 year: int | None = None, today: dt.date | None = None, leave_unfinished: bool = False,
                 add_to_round: bool = False, inputs: Sequence[Path] = (), rules_sha256: str | None = None,
                 rules: LoadedRules | None = None):
        self.path = Path(path)
        self.year_given = year is not None
        self.leave_unfinished = leave_unfinished
        self.add_to_round = add_to_round
        self.unfinished_after_read = False  # the latest round's files again: villages part-way checked after the read
        self.join_round: int | None = None  # with add_to_round: the round joined
        if add_to_round:
            self.reg = _round_to_join(self.path, round_date, year if year is not None else default_year)
            latest = db.latest_round(self.reg)
            self.round_date, self.join_round = dt.date.fromisoformat(str(latest["round_date"])), int(latest["id"])
            return
        self.round_date = check_round_date(round_date, today)
        self.reg = db.open_register(self.path) if target_exists(self.path) else None
        if self.reg is None and not self.path.resolve().parent.is_dir():
            raise OutputError("register_unwritable", path=str(self.path), reason=Phrase("os_not_found"))
        if self.reg is not None:
            try:
                if default_year is not None:
                    check_default_year(self.reg, default_year, self.round_date)
                if year is not None:
                    check_year_order(self.reg, year)
                given_year = year if year is not None else default_year
                self.unfinished_after_read = check_unfinished(
                    self.reg, leave_unfinished=leave_unfinished,
                    same_files=lambda: same_files_again(self.reg, inputs, given_year, rules_sha256, rules))
            except UsageError:
                self.reg.close()
                raise

    @contextmanager
    def recording(self, result: Result, lang: Lang = "zh") -> Iterator[RoundRecorded]:
        """Record `result` around the block (see `recording_round`)."""
        if not self.year_given:  # before anything is made: no register, no round, no folder
            check_title_year(self.path, result)
        if self.add_to_round:
            with joining_round(self.reg, result, lang=lang) as recorded:
                yield recorded
            return
        created = self.reg is None
        if created:
            self.reg = db.open_register(self.path, create=True)
        own_round = None
        try:
            with recording_round(self.reg, result, self.round_date, created=created, lang=lang,
                                 leave_unfinished=self.leave_unfinished,
                                 unfinished_after_read=self.unfinished_after_read) as recorded:
                own_round = recorded.round_id
                yield recorded
        except BaseException:
            if created:  # its one round committed before a folder that was then not put in place: neither
                self._remove_if_empty(own_round)
            raise

    def _remove_if_empty(self, own_round: int | None) -> None:
        """A register this run made whose round was not recorded (the run failed or was interrupted
        first) is removed: an empty register left behind would be taken for the county's. Also where
        this run's round (`own_round`) was committed and the run failed after it (its output folder not
        put in place): the file holds nothing but that round, and the run has written neither. Only the
        file this run created (db.remove_made): not one another run making the same register at the
        same moment created, nor one holding another run's round."""
        with uninterrupted():
            reg, self.reg = self.reg, None
            db.remove_made(reg, own_round)

    def close(self) -> None:
        if self.reg is not None:
            self.reg.close()


def _suspect_kinds(result: Result) -> np.ndarray | None:
    """Per household, the ';'-joined kinds of the rosters that matched it with the effect `flag`
    (疑点, to verify at the home), "" for none; None throughout where no roster was given (not
    checked). A roster whose effect decided the status, or that supports a difficulty, is no 疑点.
    A match of an authoritative roster on a member it counts in another family's case
    (rosters._in_other_household) is stored as its kind + OTHER_HOUSEHOLD (dibao_other_household):
    the documents print 低保(他户), as a bare 低保 reads "this household is on 低保", what the screen
    decided it is not. Catalogue order, each kind before its other-household twin (RosterRun.kinds_joined)."""
    run = result.rosters
    if run is None:
        return None
    flags = run.matches[(run.matches["effect"] == "flag").to_numpy(dtype=bool)]
    kinds = [k.code for k in rosters_catalogue().kind]
    away = (flags["other_head"].fillna("") != "").to_numpy(dtype=np.int64)
    rank = 2 * flags["kind"].map({k: i for i, k in enumerate(kinds)}).to_numpy(dtype=np.int64) + away
    return run.kinds_joined(flags, [code for k in kinds for code in (k, k + OTHER_HOUSEHOLD)], rank)


def _flags_as_before(flags: pd.Series) -> pd.Series:
    """Stored roster flags with the other-household codes as a round recorded before them stored them
    (their bare kind): the same survey screened again after an upgrade reads the same
    (check_not_screened_again), not as a new round."""
    return flags.astype("string").str.replace(OTHER_HOUSEHOLD, "", regex=False)


def _roster_excluded(result: Result) -> np.ndarray:
    """Per household, the exclusion (dibao, tekun, registered_poor) an authoritative roster decided: a
    roster of its kind matched the household and the status is that exclusion's (whatever the survey
    said); None elsewhere, and throughout where no roster was given."""
    status = result.households["status"].to_numpy(dtype=object)
    out = np.full(len(status), None, dtype=object)
    if result.rosters is None:
        return out
    for exclusion, on in result.rosters.authoritative().items():
        decided = on & (status == EXCLUSION_STATUS[exclusion]) & pd.isna(out)
        out[decided] = exclusion
    return out


def _counties(result: Result) -> np.ndarray:
    """Each household's county: a blank one as the forms' titles name it (Result.county), the round
    being that county's."""
    county, named = result.households["county"], result.county()
    return (county.mask(county.fillna("").eq(""), named) if named else county).to_numpy()




def _typed_in_wan(result: Result) -> np.ndarray:
    """Per household, whether the screen found its amounts look typed wholly in 万元."""
    index = result.issue_index
    found = np.zeros(len(result.households), dtype=bool)
    if index.empty:
        return found
    whole = (index["code"].eq(IN_WAN).to_numpy(dtype=bool)
             & index["hint"].astype("string").eq("unit_household").fillna(False).to_numpy(dtype=bool))
    found[index["hh"].to_numpy(dtype=np.int64)[whole]] = True
    return found


def _without_doubts(reasons: pd.Series) -> pd.Series:
    """Recorded reasons without the screen's doubt (IN_WAN): a round recorded before it was kept reads the same."""
    return reasons.fillna("").astype(str).str.replace(f"(?:^|;){IN_WAN}$", "", regex=True)


def _screened_rows(result: Result) -> pd.DataFrame:
    h = result.households
    reasons = h["reasons"].fillna("")  # classify's ';'-joined codes
    # Last, once (a rule set making it an error has classify give it already).
    doubted = _typed_in_wan(result) & ~reasons.str.contains(f"(?:^|;){IN_WAN}(?:;|$)", regex=True).to_numpy(dtype=bool)
    reasons = reasons.where(~doubted, (reasons + ";").where(reasons.ne(""), "") + IN_WAN)
    return pd.DataFrame({
        "source_file": h["source_file"].to_numpy(), "sheet": h["sheet"].to_numpy(), "row": h["row"].to_numpy(),
        "county": _counties(result),
        "township": h["township"].to_numpy(), "village": h["village"].to_numpy(),
        "grp": h["group"].to_numpy(), "household_id": h["household_id"].to_numpy(),
        "head_name": h["head_name"].to_numpy(), "head_id": h["head_id"].to_numpy(),
        "members": h["members"].astype("Int64").to_numpy(), "residents": h["residents"].astype("Int64").to_numpy(),
        "income_fen": h["total_income_used_fen"].astype("Int64").to_numpy(),
        "expenses_fen": h["production_expenses_used_fen"].astype("Int64").to_numpy(),
        "net_fen": h["net_income_fen"].astype("Int64").to_numpy(),
        "per_capita_fen": h["per_capita_fen"].astype("Int64").to_numpy(),
        "status": h["status"].to_numpy(), "reasons": reasons.to_numpy(), "difficulty": h["risk"].to_numpy(),
        "roster_flags": _suspect_kinds(result), "roster_excluded": _roster_excluded(result),
        # What the household declared, part by part (the 入户核实 form prints them); NA where not given.
        **{f"{part}_fen": h[f"{part}_fen"].astype("Int64").to_numpy() for part in db.INCOME_PARTS},
        # Who surveyed it (填表人): a spot check drawn from the register compares enumerators by it; NA where blank.
        "enumerator": _enumerators(h),
        # Its data's doubts as its village list words them, in each language (the meeting's and the
        # visit's forms print them in the language they are printed in); '' for none.
        **{column: data_doubts(result, lang) for column, lang in zip(db.DATA_DOUBTS, LANGS)},
    })


def _enumerators(households: pd.DataFrame) -> np.ndarray:
    """Each household's 填表人 as the survey's column gives it; None where the row names none."""
    if "enumerator" not in households.columns:
        return np.full(len(households), None, dtype=object)
    named = households["enumerator"].astype("string")
    return named.mask(named.fillna("").eq("")).to_numpy(dtype=object, na_value=None)


@contextmanager
def recording_round(reg: db.Register, result: Result, round_date: dt.date, *, created: bool = False,
                    lang: Lang = "zh", leave_unfinished: bool = False,
                    unfinished_after_read: bool = False) -> Iterator[RoundRecorded]:
    """Record `result` as a new round in one transaction around the block (which writes the screen's
    outputs): if the block fails, the round is not recorded; if recording fails, the block's error
    is raised before anything is renamed into place. Where the register has earlier rounds, the
    households frame gains `register_change` (in `lang`'s words) and the result `years` (the
    comparison and the income over time) before the block writes the outputs.
    `unfinished_after_read`: RoundTarget left villages part-way to be refused here, after a run of the
    latest round's files again is said as such (check_unfinished)."""
    rules = result.loaded_rules
    bounds = result.bounds
    rows = _screened_rows(result)
    members = members_frame(result)
    with reg.writing():
        # Under the lock: two clerks running the same file at once record it once.
        check_not_screened_again(reg, result, rows)
        if unfinished_after_read:  # the same files deciding otherwise (a roster given this time): a new round
            check_unfinished(reg, leave_unfinished=leave_unfinished)
        check_same_county(reg, rows, bounds.year, leave_unfinished=leave_unfinished)
        check_round_after(reg, round_date)
        # Made by this run, and no round in it when the lock was taken: another run making the same
        # register at the same moment recorded its round first, and this one is not "new".
        before = db.latest_round(reg)
        earlier = before is not None
        # The round before's own file, edited since, said as such (rules_edited), else another rule set.
        changed = rules_changed(before, result.rule_set, bounds, rules_edited(before, rules))
        # With the villages whose documents are out: a screen again after register next (the screen's
        # "correct and screen again") voids forms the villages are filling in, said with what to do.
        previous, unfinished, documents_out = _unfinished_villages(reg, documents=True) if earlier else (None, [], 0)
        changeset = db.add_changeset(reg, "screen --register")
        inputs = [(record.name, record.sha256, record.households) for record in result.inputs]
        round_id, input_ids = db.add_round(
            reg, changeset, year=bounds.year, round_date=round_date, rules_id=result.rule_set.id,
            # Absolute: the advice to use this round's file again works from any folder.
            rules_file=rules_file_recorded(rules), rules_sha256=rules.sha256,
            lower_fen=int(bounds.lower.value * 100) if bounds.lower else None, upper_fen=int(bounds.upper.value * 100),
            inputs=inputs, roster_kinds=result.rosters.authoritative_kinds() if result.rosters is not None else None,
            rules_text=rules.text)
        rows["round"] = round_id
        rows["input"] = rows["source_file"].map(input_ids)
        matched = match_households(reg, round_id, rows, members)
        rows["household"] = matched.keys
        comparison = None
        if earlier:
            comparison = compare_round(reg, round_id, rows, matched, rules=result.rule_set, bounds=bounds,
                                       round_date=round_date, members=members)
        # One household surveyed twice (its head on two rows, both invalid) is one household of the round.
        recorded_rows, members = one_row_each(rows, members, matched)
        dropped = _rosters_dropped(reg, round_id, result, recorded_rows) if earlier else []
        db.add_screened(reg, recorded_rows)
        if members is not None:
            db.add_members(reg, members.assign(round=round_id, household=matched.keys[members["hh"].to_numpy()]))
        if comparison is not None:
            db.add_changes(reg, comparison.changes)
            result.households["register_change"] = change_words(comparison.ledger, lang).to_numpy()
            result.years = year_view(reg, comparison)
        yield RoundRecorded(reg.path, round_id, round_date, len(rows), int((rows["status"] == "candidate").sum()),
                            created and not earlier, comparison, unfinished, previous, documents_out,
                            rules_changed=changed, rosters_dropped=dropped, kept_as_one=len(rows) - len(recorded_rows))


# ---------------------------------------------------------------------------------------------
# A late township's survey added to the latest round (screen --add-to-round)

class _Band:
    """A rule set's band (lower < 人均 < upper) in fen, in the message's language."""

    def __init__(self, lower_fen: int | None, upper_fen: int):
        self.lower_fen, self.upper_fen = lower_fen, upper_fen

    def render(self, lang: Lang) -> str:
        return _band(self.lower_fen, self.upper_fen, lang)


def _round_to_join(path: Path, round_date: dt.date | None, year: int | None) -> db.Register:
    """The register whose latest round a late township's survey is added to, opened: refused where
    there is no round to join, where --date is given (the round has its date), or where the year is
    not the round's (a join is the same year's survey)."""
    if not target_exists(path):  # a mistyped name: never "record the first round" (a register of one township)
        raise UsageError("round_join_no_register", path=str(path))
    reg = db.open_register(path)
    latest = db.latest_round(reg)
    try:
        if latest is None:
            raise UsageError("round_join_nothing", path=str(path))
        if round_date is not None:
            raise UsageError("round_join_date", round=int(latest["id"]), date=str(latest["round_date"]))
        if year is not None and year != int(latest["year"]):
            # A later year is its own round; an earlier one is never recorded behind it (check_year_order).
            raise UsageError("round_join_later_year" if year > int(latest["year"]) else "round_join_earlier_year",
                             path=str(path), round=int(latest["id"]), held=int(latest["year"]), year=year)
    except UsageError:
        reg.close()
        raise
    return reg


def _text_of(values) -> pd.Series:
    return pd.Series(values, dtype=object).astype("string").fillna("").str.strip()


def check_join(reg: db.Register, result: Result, rows: pd.DataFrame, latest: dict) -> None:
    """What a join needs of the survey, against the latest round (`latest`): the same county, the same
    rule set and figures (every household of a round is decided by one standard), the same
    authoritative rosters, no file of the round again, no village the round holds (those are screened
    again as a new round), no head the round holds (one household, two villages' rows)."""
    round_id = int(latest["id"])
    bounds = result.bounds
    then = _held_band(latest)
    edited = rules_edited(latest, result.loaded_rules)
    if edited is not None:  # the round's own file edited since: neither another rule set nor --rules it
        raise UsageError("round_join_rules_file_changed", path=str(reg.path), round=round_id,
                         file=shell_word(edited.file), changes=_Edits(edited))
    if latest["rules_id"] != result.rule_set.id or then != (bounds.lower_fen, bounds.upper_fen) \
            or int(latest["year"]) != bounds.year:
        held_file, state = round_rules_option(str(latest["rules_id"]), latest["rules_file"],
                                              str(latest["rules_sha256"]), reg.path, round_id)
        raise UsageError("round_join_other_rules", path=str(reg.path), round=int(latest["id"]),
                         held_id=str(latest["rules_id"]), held_band=_Band(*then),
                         held_file=shell_word(held_file), held_state=state,
                         id=result.rule_set.id,
                         band=_Band(bounds.lower_fen, bounds.upper_fen))
    held_kinds = sorted(str(latest["roster_kinds"]).split(";")) if latest.get("roster_kinds") else []
    kinds = sorted(result.rosters.authoritative_kinds()) if result.rosters is not None else []
    if held_kinds != kinds:
        raise UsageError("round_join_other_rosters", path=str(reg.path), round=round_id,
                         held=[Phrase(f"roster_short_{k}") for k in held_kinds] or Phrase("round_join_no_roster"),
                         given=[Phrase(f"roster_short_{k}") for k in kinds] or Phrase("round_join_no_roster"))
    held = db.screened(reg, round_id)
    inputs = db.round_inputs(reg, round_id)
    again = sorted({record.name for record in result.inputs if record.sha256 in set(inputs["sha256"])})
    if again:
        raise UsageError("round_join_same_file", path=str(reg.path), round=round_id, files=again)
    counties, new_counties = _places(held["county"]), _places(rows["county"])
    if counties and new_counties and not counties & new_counties:
        raise UsageError("round_other_county", path=str(reg.path), held=sorted(counties), given=sorted(new_counties))
    both = places_held(held, rows)
    if both:
        raise UsageError("round_join_places_held", path=str(reg.path), round=round_id, count=len(both),
                         villages=Shown(both))
    ids, held_ids = _text_of(rows["head_id"]), _text_of(held["head_id"])
    twice = ids.ne("") & ids.isin(set(held_ids[held_ids.ne("")].tolist()))
    if twice.any():
        where = held.assign(head_id=held_ids.to_numpy()).drop_duplicates("head_id").set_index("head_id")
        heads = [Phrase("round_join_head", name=str(rows["head_name"].iloc[i] or ""), id=mask_id_text(ids.iloc[i]),
                        place=f'{where.at[ids.iloc[i], "township"] or ""}{where.at[ids.iloc[i], "village"] or ""}')
                 for i in np.flatnonzero(twice.to_numpy())]
        raise UsageError("round_join_heads_held", path=str(reg.path), round=round_id, count=len(heads),
                         heads=Shown(heads))


def places_held(held: pd.DataFrame, rows: pd.DataFrame) -> list[str]:
    """The villages of `rows` (a late survey) the round (`held`, its screened rows) already holds, as
    the survey writes them: the same township and village, or the same read as the screen reads a
    place written two ways (前岗村村委会 for 前岗村, 合隆 for 合隆镇, a trailing space). A village left
    blank is not compared (its rows are invalid; a head in them is compared by ID)."""
    both = pd.concat([held[["township", "village"]].assign(held=True), rows[["township", "village"]].assign(held=False)],
                     ignore_index=True)
    both["township"], both["village"] = _text_of(both["township"]).to_numpy(), _text_of(both["village"]).to_numpy()
    places = both.drop_duplicates(["township", "village", "held"]).reset_index(drop=True)
    is_held = places["held"].to_numpy(dtype=bool)
    township, village = places_beside_held(places, is_held)
    key = pd.Series(township + "\x1f" + village)
    taken = set(key[is_held].tolist())
    new = ~is_held & places["village"].ne("").to_numpy() & key.isin(taken).to_numpy()
    return (places["township"][new] + places["village"][new]).drop_duplicates().tolist()


def mask_id_text(head_id: str) -> str:
    """A head's ID as the terminal shows one: masked (the clerk finds the row by name and place)."""
    from ..outputs.privacy import mask_id_shown

    return str(mask_id_shown(pd.Series([head_id], dtype=object)).iloc[0])


def _heads(rows: pd.DataFrame, matched, at: np.ndarray) -> list[Phrase]:
    """The heads of the late survey's rows `at`, each with where the register has its household (its
    last survey's place; the row's own where it is new to the register)."""
    prev = matched.previous
    out = []
    for i in np.flatnonzero(at):
        township, village = prev["township"].iloc[i], prev["village"].iloc[i]
        if pd.isna(township) and pd.isna(village):
            township, village = rows["township"].iloc[i], rows["village"].iloc[i]
        out.append(Phrase("round_join_head", name=str(rows["head_name"].iloc[i] or ""),
                          id=mask_id_text(str(rows["head_id"].iloc[i] or "")),
                          place=f'{"" if pd.isna(township) else township}{"" if pd.isna(village) else village}'))
    return out


def _found_gone(reg: db.Register, round_id: int, households) -> set[int]:
    """Of these households, those the round's 未调查户核实 (the gone track) found 户已不存在 (off the
    register). One found 仍在本村 waits for the survey a late township's brings: no obstacle."""
    from .registry import gone

    found = gone(reg)
    found = found[(found["round"] == round_id) & found["household"].isin(set(np.asarray(households).tolist()))]
    return set(found["household"].astype(np.int64).tolist())


@contextmanager
def joining_round(reg: db.Register, result: Result, *, lang: Lang = "zh") -> Iterator[RoundRecorded]:
    """Record `result`, a late township's survey, into the register's latest round, in one
    transaction around the block (which writes the screen's outputs), as recording_round records a
    new one: its files added to the round's inputs, its households screened in it after the others
    (their villages begin the procedure at its first step; the other villages' steps and documents
    stand). In a round compared with an earlier year's, the joined households are compared too; one
    the round already found 本年未调查 (on the register, its township not surveyed) is refused: the
    round's record of it stands, and its township is screened again with the county as a new round."""
    rows = _screened_rows(result)
    members = members_frame(result)
    with reg.writing():
        latest = db.latest_round(reg)
        round_id = int(latest["id"])
        check_join(reg, result, rows, latest)
        # Who added which files, and when: the joined rows' inputs carry the same SHA-256.
        changeset = db.add_changeset(reg, "screen --register --add-to-round",
                         source_file=";".join(record.name for record in result.inputs),
                                                      source_sha256=";".join(record.sha256 for record in result.inputs))
        input_ids = db.add_round_inputs(reg, round_id, [(r.name, r.sha256, r.households) for r in result.inputs])
        rows["round"] = round_id
        rows["input"] = rows["source_file"].map(input_ids)
        matched = match_households(reg, round_id, rows, members)
        rows["household"] = matched.keys
        comparison = None
        keys = pd.Series(matched.keys)
        # Matched to a household the round holds (by 户编号 or a member: the head's ID differs): one
        # household, two rows of the round.
        twice = keys.isin(set(db.households_in_round(reg, round_id, matched.keys))).to_numpy()
        if twice.any():
            raise UsageError("round_join_household_held", path=str(reg.path), round=round_id,
                             count=int(twice.sum()), heads=Shown(_heads(rows, matched, twice)))
        comparison, later = None, np.zeros(len(rows), dtype=bool)
        if (db.rounds(reg)["id"] < round_id).any():
            from .steps import GONE_CHANGE  # the procedure's modules, only for a round after a first

            prior = keys.map(db.changes(reg, round_id).set_index("household")["change"])
            # Recorded 本年未调查 by the round (the township left out of its survey): what the late survey
            # finds is a later change of the round, unless the round's 未调查户核实 found them gone.
            later = prior.eq(GONE_CHANGE).to_numpy()
            other = (prior.notna() & ~prior.eq(GONE_CHANGE)).to_numpy()
            if other.any():
                raise UsageError("round_join_registered", path=str(reg.path), round=round_id,
                                 count=int(other.sum()), heads=Shown(_heads(rows, matched, other)))
            checked = _found_gone(reg, round_id, matched.keys[later])
            found = later & keys.isin(checked).to_numpy()
            if found.any():
                raise UsageError("round_join_gone_recorded", path=str(reg.path), round=round_id,
                                 count=int(found.sum()), heads=Shown(_heads(rows, matched, found)))
            comparison = compare_round(reg, round_id, rows, matched, rules=result.rule_set, bounds=result.bounds,
                                       round_date=dt.date.fromisoformat(str(latest["round_date"])), members=members)
            # The joined households are recorded (the round's own were compared when it was recorded);
            # shown with them, the households of their townships the late survey did not find either:
            # still 本年未调查, as the round recorded them, so that the township's changes.xlsx is whole.
            table = comparison.changes
            ours = table["household"].isin(set(matched.keys.tolist())).to_numpy()
            late = set(_text_of(rows["township"]).tolist()) - {""}
            still = table["change"].eq(GONE_CHANGE).to_numpy() & _text_of(table["township"]).isin(late).to_numpy()
            table = table[ours | still].reset_index(drop=True)
            # The upheld 漏评 of the late townships' villages only: the others were answered by the round.
            omissions = comparison.omissions
            omissions = omissions[_text_of(omissions["township"]).isin(late).to_numpy()] if len(omissions) else omissions
            comparison = replace(comparison, changes=table, counts=change_counts(table, omissions), omissions=omissions)
            recorded = table["household"].isin(set(matched.keys.tolist())).to_numpy()
        recorded_rows, members = one_row_each(rows, members, matched)
        db.add_screened(reg, recorded_rows)
        if members is not None:
            db.add_members(reg, members.assign(round=round_id, household=matched.keys[members["hh"].to_numpy()]))
        if comparison is not None:
            again = comparison.changes["household"].isin(set(matched.keys[later].tolist())).to_numpy()
            db.add_changes(reg, comparison.changes[recorded & ~again])
            if again.any():
                db.add_later_changes(reg, comparison.changes[again], changeset)
            result.households["register_change"] = change_words(comparison.ledger, lang).to_numpy()
            result.years = year_view(reg, comparison)
        villages = len(pd.unique(_text_of(rows["township"]) + "\x1f" + _text_of(rows["village"])))
        yield RoundRecorded(reg.path, round_id, dt.date.fromisoformat(str(latest["round_date"])), len(rows),
                            int((rows["status"] == "candidate").sum()), False, comparison, joined=True,
                            villages=villages, kept_as_one=len(rows) - len(recorded_rows))


def _rosters_dropped(reg: db.Register, round_id: int, result: Result, rows: pd.DataFrame) -> list[tuple[str, str, str]]:
    """The households of this round the round before excluded by an authoritative roster of a kind
    this round was not screened against, and this survey does not exclude: (kind, head, place). A
    特困 household last year comes back a candidate where the 特困 list did not arrive this year (an
    outside try: at the meeting, nothing said why)."""
    before = db.roster_exclusions_before(reg, round_id)
    if before.empty:
        return []
    checked = set(result.rosters.authoritative_kinds()) if result.rosters is not None else set()
    was = rows["household"].map(before.set_index("household")["roster_excluded"])
    dropped = was.notna() & ~was.isin(checked) & ~rows["status"].astype(str).str.startswith("excluded_")
    at = rows[dropped.to_numpy()]
    return [(str(kind), str(name or ""), f"{t or ''}{v or ''}")
            for kind, name, t, v in zip(was[dropped.to_numpy()], at["head_name"], at["township"], at["village"])]


def rosters_dropped_line(recorded: RoundRecorded, lang: Lang) -> str:
    """The warning naming them ('' where none): the kinds, the first households, and --roster."""
    dropped = recorded.rosters_dropped
    if not dropped:
        return ""
    kinds = list(dict.fromkeys(kind for kind, _, _ in dropped))
    heads = [Phrase("reg_roster_dropped_head", name=name, place=place) for _, name, place in dropped]
    return label("reg_round_rosters_dropped", lang, previous=recorded.round_id - 1, count=len(dropped),
                 kinds=label("list_sep", lang).join(label(f"roster_short_{k}", lang) for k in kinds),
                 heads=Shown(heads).render(lang))


def _unfinished_villages(reg: db.Register, *, documents: bool = False
                         ) -> tuple[int | None, list[tuple[str, str, tuple[str, ...]]], int]:
    """(the latest round, its villages that have recorded a step of the procedure, the entry's or the
    exit's, and still wait for one, and with `documents` those with its documents out (printed, not
    recorded), each with the steps it waits for, in place order; how many documents are out). A
    village that never began a track is not counted for it: a county may screen every year without
    keeping the procedure in the register."""
    from .procedure import TRACKS  # the procedure's reading, only where an earlier round exists
    from .steps import load_state

    # Read once for both calls of a screen (the check before the survey is read, the warning as the
    # round is recorded), unless the register changed between them.
    states = reg.unchanged_since("unfinished_states", lambda: [load_state(reg, track=track) for track in TRACKS])
    waiting, documents_out = [], set()
    for state in states:
        progress = state.progress()
        part_way = progress[(progress["last"] >= 0) & (progress["next"] >= 0)]
        steps = np.asarray(state.proc.ids, dtype=object)
        waiting.append(part_way.index.to_frame(index=False).assign(
            step=steps[part_way["next"].to_numpy(dtype=np.int64)]))
        # A village whose documents are out (printed, not recorded) is part-way too, though it has
        # recorded no step yet: a new round would void the forms the village is filling in.
        if documents:
            out = state.outstanding()
            waiting.append(out[["township", "village", "step"]])
            documents_out.update(out["id"].tolist())
    waiting = pd.concat(waiting, ignore_index=True)
    # The places in the round's order (the survey's), of both tracks' households together.
    households = pd.concat([s.households[["township", "village", "ledger_order"]] for s in states])
    households = households.sort_values("ledger_order", kind="stable")
    rank = pd.Series(place_rank(households, ("township", "village")),
                     index=pd.MultiIndex.from_frame(households[["township", "village"]])).groupby(level=[0, 1]).min()
    waiting["rank"] = rank.reindex(pd.MultiIndex.from_frame(waiting[["township", "village"]])).to_numpy()
    # A village part-way through both tracks is one village, waiting for a step of each.
    steps = waiting.sort_values("rank", kind="stable").groupby(["township", "village"], sort=False)["step"]
    return states[0].round_id, [(t, v, tuple(dict.fromkeys(s))) for (t, v), s in steps], len(documents_out)


def changes_writer(result: Result, *, lang: Lang, mask: bool) -> list[tuple[str, object]]:
    """changes.xlsx for the screen's output folder, where the round was compared with the register."""
    view = result.years
    if view is None:
        return []
    bounds = result.bounds

    def write(path):
        write_changes(view, path, lang=lang, mask=mask, year=bounds.year, lower_fen=bounds.lower_fen,
                      upper_fen=bounds.upper_fen)
    return [("changes.xlsx", write)]
