"""What a spot check is drawn from and compared against: a screen's ledger or a register's round.

`load_source(path)` takes a screen's output folder (its decisions.csv), a decisions.csv itself
(either header set, through `read_ledger`) or a register file (its latest round, or the round
asked for), and returns a `Source`: one row per household with the same columns whichever it was,
indexed by a household key that is text:

- a ledger: `file:sheet:row` (the ledger's source_file, sheet and row: unique in a screen);
- a register: the register's household key; or, asked for (`by_row`), the ledger's `file:sheet:row`
  of the same screen (a register's round keeps each household's input file, sheet and row), so that a
  sample drawn from a screen's ledger can be compared with the register's round of that screen.

Columns: township, village, group, household_id, head_name, head_id, enumerator (NA where the
ledger or the register's round has none), members (a register's; NA from a ledger), residents,
income_fen, expenses_fen, net_fen, per_capita_fen (Int64), status, source_file, sheet, row.

Beside it, what the screen recorded: its rule set (id, file, SHA-256, income year) and its inputs
(file name, path as given, SHA-256), from the run.json beside a ledger or from the register's round.
`resolve_rules` loads that rule set again (or the one given; for a round an older version recorded
without the rule set's text, the shipped one of its id where its bounds are the recorded ones), and
`find_surveys` finds the survey files the screen read, by their SHA-256, for the values the ledger
does not carry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import STATUSES, Phrase
from ..classify import EXCLUSION_STATUS
from ..errors import EdgescreenError, InputError
from ..inputs import file_sha256, folder_inputs, own_record
from ..normalise import parse_integer, parse_money
from ..outputs.ledger import read_ledger
from ..outputs.places import village_keys
from ..money import fen_text
from ..result import county_name
from ..rules import DEFAULT_RULES, LoadedRules, load_rules, rules_from_text, shipped_rule_sets
from .design import SpotCheckError

LEDGER_NAME = "decisions.csv"
RUN_RECORD = "run.json"
SOURCE_COLUMNS = ["township", "village", "group", "household_id", "head_name", "head_id", "enumerator",
                  "members", "residents", "income_fen", "expenses_fen", "net_fen", "per_capita_fen", "status",
                  "source_file", "sheet", "row"]
REGISTER_SUFFIXES = (".db", ".sqlite", ".sqlite3")


@dataclass
class Source:
    """A ledger or a register round, as the spot check reads it (see the module docstring)."""

    kind: str                       # 'ledger' or 'register'
    path: Path                      # decisions.csv, or the register file
    sha256: str                     # of that file (a register's changes as steps are recorded)
    households: pd.DataFrame        # SOURCE_COLUMNS, indexed by the key (text)
    rules: dict | None = None       # id, path, sha256, year as the screen recorded them
    inputs: list[dict] = field(default_factory=list)  # file, path, sha256 of each survey read
    register_id: str | None = None
    round: int | None = None
    county: str = ""
    include_hidden: bool = False    # the screen read hidden sheets too (run.json's options)
    date: str = ""                  # the screen's date (run.json's, or the round's), YYYY-MM-DD
    year: int | None = None         # the income year of a register's round
    # Per household (by key) the exclusion an authoritative roster applied at the screen (dibao, tekun,
    # registered_poor; NA where none did), and the rosters' kinds: the verified status is decided with
    # the same exclusions, or a household the 低保 roster excluded comes back 漏评 (roster_exclusions).
    roster_exclusions: pd.Series | None = None
    roster_kinds: list[str] = field(default_factory=list)
    # A register's candidates the procedure (民主评议, 入户核实 …) took off the list by the time the
    # sample was drawn: household key, township, village, step. Set apart, in neither stratum (off_list).
    off_list: pd.DataFrame | None = None
    # A register's round: the survey rows it read and did not record, the other copies of a head's ID on
    # two rows (one household surveyed twice: the register keeps one row, register.years.one_row_each,
    # and nothing of the others), so in no stratum, and the households kept for them (township, village,
    # head_name, head_id, indexed by key). Counted and named, for the register cannot give them back.
    not_recorded: int = 0
    recorded_for: pd.DataFrame | None = None

    @cached_property
    def villages(self) -> list[tuple[str, str]]:
        """Its villages (township, village), each once, in the survey's order (places.village_keys)."""
        return village_keys(self.households)

    @property
    def income_year(self) -> int | None:
        """The year whose incomes were screened: the round's, or the one the screen recorded."""
        if self.year is not None:
            return int(self.year)
        year = (self.rules or {}).get("year")
        return int(year) if isinstance(year, int) or (isinstance(year, str) and year.isdigit()) else None

    @property
    def name(self) -> str:
        """What a clerk calls it: the screen's folder, or the register's file name."""
        if self.kind == "ledger" and self.path.name == LEDGER_NAME:
            return self.path.parent.name or self.path.name
        return self.path.stem

    @property
    def has_enumerator(self) -> bool:
        return bool(self.households["enumerator"].notna().any())


def _fen(text: pd.Series) -> pd.Series:
    """A ledger's amount in fen; NA where the ledger leaves it blank (not computable: never 0)."""
    fen, state = parse_money(text.astype("string").fillna(""))
    return fen.where(state.eq("ok")).astype("Int64")


def ledger_key(frame: pd.DataFrame) -> pd.Series:
    """`file:sheet:row` of each ledger row (as `explain --row` names a row)."""
    return (frame["source_file"].astype(str) + ":" + frame["sheet"].fillna("").astype(str) + ":"
            + frame["row"].astype(str))


def _ledger_path(path: Path) -> Path:
    if path.is_dir():
        ledger = path / LEDGER_NAME
        if not ledger.is_file():
            raise InputError("spot_source_folder", path=str(path), ledger=LEDGER_NAME)
        return ledger
    return path


def _run_record(ledger: Path) -> dict:
    """run.json beside the ledger (what the screen recorded), or nothing: another program's run.json,
    or a damaged one, records nothing of the screen (inputs.own_record)."""
    own = own_record(ledger.parent, (RUN_RECORD,))
    return own.record if own is not None else {}


def _recorded_fen(bound) -> int | None:
    """A bound as run.json keeps it ({"value": "3218", ...}, every version) in fen; None where absent."""
    try:
        fen = Decimal(str(bound["value"])) * 100
    except (TypeError, KeyError, ArithmeticError):
        return None
    return int(fen) if fen == fen.to_integral_value() else None


def _load_ledger(path: Path) -> Source:
    ledger = read_ledger(path)
    unknown = ~ledger["status"].isin(STATUSES)
    if unknown.any():
        raise InputError("spot_ledger_status", file=path.name, row=int(np.flatnonzero(unknown.to_numpy())[0]) + 2,
                         value=str(ledger["status"][unknown].iloc[0]))
    members = pd.Series(pd.NA, index=ledger.index, dtype="Int64")
    residents, _ = parse_integer(ledger["residents"].astype("string"))
    frame = pd.DataFrame({
        "township": ledger["township"], "village": ledger["village"],
        "group": pd.Series(pd.NA, index=ledger.index, dtype=object),
        "household_id": ledger["household_id"], "head_name": ledger["head_name"], "head_id": ledger["head_id"],
        "enumerator": (ledger["enumerator"].where(ledger["enumerator"].ne(""))
                       if "enumerator" in ledger.columns else pd.Series(pd.NA, index=ledger.index, dtype=object)),
        "members": members, "residents": residents.astype("Int64"),
        "income_fen": _fen(ledger["total_income"]), "expenses_fen": _fen(ledger["production_expenses"]),
        "net_fen": _fen(ledger["net_income"]), "per_capita_fen": _fen(ledger["per_capita_income"]),
        "status": ledger["status"], "source_file": ledger["source_file"], "sheet": ledger["sheet"],
        "row": ledger["row"],
    })
    frame.index = pd.Index(ledger_key(ledger), name="key")
    if not frame.index.is_unique:
        raise InputError("spot_ledger_key", file=path.name, count=int(frame.index.duplicated().sum()))
    record = _run_record(path)
    rules = record.get("rules") or None
    if rules is not None:
        rules = {**{k: rules.get(k) for k in ("id", "path", "sha256", "year", "text")},
                 "lower_fen": _recorded_fen(rules.get("lower_bound")), "upper_fen": _recorded_fen(rules.get("upper_bound"))}
    inputs = [{"file": i.get("file"), "path": i.get("path"), "sha256": i.get("sha256")}
              for i in record.get("inputs", []) if isinstance(i, dict)]
    hidden = bool((record.get("options") or {}).get("include_hidden"))
    county = record.get("county") if isinstance(record.get("county"), str) else ""
    screened = record.get("screened") or record.get("started")
    excluded, kinds = roster_exclusions(frame["status"], ledger.get("roster_flags"), record.get("rosters"))
    return Source("ledger", path, file_sha256(path), frame, rules=rules, inputs=inputs, include_hidden=hidden,
                  county=county, date=screened[:10] if isinstance(screened, str) else "",
                  roster_exclusions=excluded, roster_kinds=kinds)




def roster_exclusions(status: pd.Series, flags: pd.Series | None, rosters) -> tuple[pd.Series | None, list[str]]:
    """The exclusion an authoritative roster applied to each household, from what the screen recorded:
    run.json's rosters (kind, effect) and the ledger's roster_flags (the kinds that matched). A household
    is taken as excluded by a roster where a roster of an authoritative kind matched it and its status is
    that kind's exclusion (whatever the survey said: the roster decided). (None, []) where no
    authoritative roster was given."""
    from ..catalogue import rosters_catalogue

    catalogue = rosters_catalogue().by_code
    kinds = [r.get("kind") for r in rosters or [] if isinstance(r, dict) and r.get("effect") == "authoritative"
             and r.get("kind") in catalogue and catalogue[r.get("kind")].exclusion in EXCLUSION_STATUS]
    kinds = list(dict.fromkeys(kinds))
    if not kinds or flags is None:
        return None, []
    matched = pd.Series(flags.fillna("").astype(str).to_numpy(), index=status.index)
    out = pd.Series(pd.NA, index=status.index, dtype=object)
    for kind in kinds:
        exclusion = catalogue[kind].exclusion
        on = matched.str.contains(f"(?:^|;){kind}(?:;|$)", regex=True) & status.eq(EXCLUSION_STATUS[exclusion])
        out = out.mask(on & out.isna(), exclusion)
    return out, kinds


def off_list(reg, round_id: int, candidates: pd.Series, as_of: str | None = None) -> pd.Series:
    """The step at which each of the round's candidates (`candidates`: household keys) left the list,
    by the decisions recorded (by `as_of`, an ISO time: when the sample was drawn; all when None):
    the first step of the entry procedure whose current decision is no. Indexed by household."""
    from ..register import db
    from ..register.procedure import procedure

    steps = procedure("entry").ids
    events = db.history(reg, candidates.tolist()) if len(candidates) else pd.DataFrame()
    if events.empty:
        return pd.Series(dtype=object)
    events = events[events["round"].astype(int).eq(round_id) & events["field"].eq("decision")
                    & events["step"].isin(steps)]
    if as_of is not None:
        at = pd.to_datetime(events["at"], utc=True, errors="coerce", format="ISO8601")
        events = events[at.le(pd.Timestamp(as_of).tz_convert("UTC") if pd.Timestamp(as_of).tzinfo
                              else pd.Timestamp(as_of, tz="UTC")).to_numpy()]
    current = events.drop_duplicates(["household", "step"], keep="last")  # oldest first: the latest holds
    removed = current[current["new"].eq("no")].assign(order=lambda e: e["step"].map(steps.index))
    first = removed.sort_values("order", kind="stable").drop_duplicates("household")
    return pd.Series(first["step"].to_numpy(), index=first["household"].astype(np.int64).astype(str).to_numpy(),
                     dtype=object)


def off_list_steps(off: pd.DataFrame) -> list[Phrase]:
    """'民主评议 8 户、第一次公示 1 户' of the households set apart (Source.off_list), in the steps' order."""
    from ..register.procedure import procedure

    counts = off["step"].value_counts()
    return [Phrase("spot_off_list_step", step=Phrase(f"step_{step}"), count=int(counts[step]))
            for step in procedure("entry").ids if step in counts.index]


def not_recorded_phrase(source: Source, key: str) -> Phrase:
    """`key`'s words (sample's or backcheck's) of Source.not_recorded, each household kept for the rows
    named: its head, place and ID masked as the lists print it."""
    from ..outputs.privacy import mask_id

    kept = source.recorded_for if source.recorded_for is not None else pd.DataFrame(
        columns=["township", "village", "head_name", "head_id"])
    ids = mask_id(kept["head_id"].astype("string"))
    named = [Phrase("spot_not_recorded_household", name=n, township=t, village=v, id=i)
             for n, t, v, i in zip(kept["head_name"], kept["township"], kept["village"], ids)]
    from ..register.rounds import Shown  # a county's hundreds of duplicated IDs: the first named, then 等

    return Phrase(key, count=source.not_recorded, households=Shown(named) if named else Phrase("spot_not_recorded_unnamed"))


def _load_register(path: Path, round_id: int | None, by_row: bool = False, off_list_as_of: str | None = None,
                   set_apart: bool = False) -> Source:
    from ..register import db

    with db.open_register(path, upgrade=False) as reg, reg.reading():
        rounds = db.rounds(reg)
        if rounds.empty:
            raise InputError("register_no_round", path=str(path))
        if round_id is None:
            round_id = int(rounds["id"].max())
        elif round_id not in set(rounds["id"].astype(int)):
            raise InputError("spot_register_round", path=str(path), round=round_id)
        this = rounds[rounds["id"] == round_id].iloc[0]
        screened = db.screened(reg, round_id)
        inputs = db.round_inputs(reg, round_id)
        register_id = reg.register_id
        candidates = screened.loc[screened["status"].eq("candidate"), "household"]
        left = off_list(reg, round_id, candidates, off_list_as_of) if set_apart and not by_row \
            else pd.Series(dtype=object)
    not_recorded, recorded_for = _rows_not_recorded(screened, inputs) if not by_row else (0, None)
    as_int = lambda c: pd.to_numeric(screened[c], errors="coerce").astype("Int64")  # noqa: E731
    frame = pd.DataFrame({
        "township": screened["township"].fillna(""), "village": screened["village"].fillna(""),
        "group": screened["grp"], "household_id": screened["household_id"].fillna(""),
        "head_name": screened["head_name"].fillna(""), "head_id": screened["head_id"].fillna(""),
        "enumerator": _enumerators(screened),
        "members": as_int("members"), "residents": as_int("residents"), "income_fen": as_int("income_fen"),
        "expenses_fen": as_int("expenses_fen"), "net_fen": as_int("net_fen"),
        "per_capita_fen": as_int("per_capita_fen"), "status": screened["status"],
        "source_file": screened["source_file"], "sheet": screened["sheet"].fillna(""),
        "row": screened["row"].astype("Int64").astype(str),
    })
    frame.index = pd.Index(ledger_key(frame) if by_row else screened["household"].astype(np.int64).astype(str),
                           name="key")
    county = county_name(screened) or ""  # as the screen's summary names it: the one county, or none
    rules = {"id": this["rules_id"], "path": this["rules_file"], "sha256": this["rules_sha256"],
             "year": int(this["year"]), "text": this.get("rules_text"),
             "lower_fen": None if pd.isna(this.get("lower_fen")) else int(this["lower_fen"]),
             "upper_fen": None if pd.isna(this.get("upper_fen")) else int(this["upper_fen"])}
    found = [{"file": r.file, "path": None, "sha256": r.sha256} for r in inputs.itertuples()]
    # The list at the sample is what the procedure left of the candidates: those it took off are set
    # apart, not put with the others, for the grounds a meeting removes on (子女有稳定工作, a car) are
    # not on the form, and their verified income would make them 漏评 that are none.
    gone = frame.index.isin(left.index)
    apart = frame.loc[gone, ["township", "village"]].assign(step=left.reindex(frame.index[gone]).to_numpy())
    # The exclusions the round's authoritative rosters decided (recorded since the register's version 3).
    given = this.get("roster_kinds")
    kinds = [k for k in given.split(";") if k] if isinstance(given, str) else []
    excluded = screened["roster_excluded"].set_axis(frame.index) if kinds and "roster_excluded" in screened else None
    return Source("register", path, file_sha256(path), frame[~gone], rules=rules, inputs=found,
                  register_id=register_id, round=round_id, county=county, date=str(this["round_date"])[:10],
                  year=int(this["year"]), off_list=apart if set_apart and not by_row else None,
                  roster_exclusions=excluded, roster_kinds=kinds, not_recorded=not_recorded,
                  recorded_for=recorded_for)


def _rows_not_recorded(screened: pd.DataFrame, inputs: pd.DataFrame) -> tuple[int, pd.DataFrame | None]:
    """How many survey rows the round read (round_inputs' households, per file) it did not record, and
    the households recorded for them: those whose head's ID the screen found on another row too
    (duplicate_household). The frame is the register's rows, so these rows are in no stratum."""
    read = pd.to_numeric(inputs.set_index("id")["households"], errors="coerce").fillna(0).astype(np.int64)
    kept = screened.groupby("input").size().reindex(read.index, fill_value=0)
    count = int((read - kept).clip(lower=0).sum())
    if not count:
        return 0, None
    twice = screened["reasons"].fillna("").astype(str).str.contains(r"(?:^|;)duplicate_household(?:;|$)", regex=True)
    named = screened.loc[twice, ["household", "township", "village", "head_name", "head_id"]]
    named = named.set_index(named["household"].astype(np.int64).astype(str).rename("key")).drop(columns="household")
    return count, named.fillna("")


def _enumerators(screened: pd.DataFrame) -> pd.Series:
    """Who surveyed each household, as the register recorded the survey's 填表人 (since its version 7);
    NA where it names none and for a round recorded before: the spot check then looks for the survey's
    files (find_surveys), as it did."""
    if "enumerator" not in screened.columns:  # an older register read as it is
        return pd.Series(pd.NA, index=screened.index, dtype=object)
    named = screened["enumerator"]
    return named.where(named.fillna("").ne("")).astype(object)


def load_source(path: str | Path, *, round_id: int | None = None, by_row: bool = False,
                off_list_as_of: str | None = None, set_apart: bool = False) -> Source:
    """A screen's output folder or decisions.csv, or a register file (its latest round, or
    `round_id`; with `by_row`, its households keyed as that screen's ledger keys them). With
    `set_apart`, a register's candidates the procedure took off the list (by `off_list_as_of`, when
    the sample was drawn) are set apart (Source.off_list). Refuses what is none of these, naming it."""
    path = Path(path)
    if not path.exists():
        raise InputError("input_missing", path=str(path))
    if path.is_dir():
        return _load_ledger(_ledger_path(path))
    if path.suffix.lower() in (".csv", ".txt"):
        return _load_ledger(path)
    if is_register(path):
        return _load_register(path, round_id, by_row, off_list_as_of, set_apart)
    raise InputError("spot_source_unknown", path=str(path))


def is_register(path: str | Path) -> bool:
    """`path` is a register file (by its suffix, or an SQLite file by its first bytes)."""
    path = Path(path)
    return path.is_file() and (path.suffix.lower() in REGISTER_SUFFIXES or _is_sqlite(path))


def register_rounds(path: str | Path) -> pd.DataFrame:
    """The rounds a register holds, oldest first: id, year, round_date, at (when recorded), households
    (screened), inputs (the SHA-256 of each survey file read, sorted)."""
    from ..register import db

    with db.open_register(path, upgrade=False) as reg, reg.reading():
        rounds = db.rounds(reg)
        inputs = {int(r): db.round_inputs(reg, int(r)) for r in rounds["id"]}
    return pd.DataFrame({
        "id": rounds["id"].astype(int).to_numpy(), "year": rounds["year"].astype(int).to_numpy(),
        "round_date": rounds["round_date"].astype(str).str[:10].to_numpy(), "at": rounds["at"].astype(str).to_numpy(),
        "households": [int(inputs[int(r)]["households"].sum()) for r in rounds["id"]],
        "inputs": [sorted(inputs[int(r)]["sha256"].astype(str)) for r in rounds["id"]],
    }, columns=["id", "year", "round_date", "at", "households", "inputs"])


def rounds_words(rounds: pd.DataFrame) -> list[Phrase] | Phrase:
    """The rounds of `register_rounds` as a refusal names them (id, year, date, households), or that
    there are none."""
    return [Phrase("spot_round_words", round=int(r.id), year=int(r.year), date=r.round_date,
                   households=int(r.households)) for r in rounds.itertuples()] or Phrase("spot_no_rounds")


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------
# The rule set and the surveys the screen used


@dataclass(frozen=True)
class RulesInUse:
    """The rule set the verified values are screened with, its income year, and whether it is the
    one the screen recorded ('same'), another the user chose ('other'), the default because
    nothing was recorded ('unrecorded'), or the shipped one of the recorded id whose bounds are the
    recorded ones ('bundled', with `note` saying so)."""

    loaded: LoadedRules
    year: int | None
    agreement: str
    note: Phrase | None = None


def resolve_rules(source: Source, rules: str | Path | None = None) -> RulesInUse:
    """The screen's own rule set, found again by its file or its id and checked by SHA-256; or
    `rules` when given. Refuses a recorded rule set that cannot be found (say --rules)."""
    record = source.rules or {}
    year = record.get("year")
    if rules is not None:
        loaded = load_rules(rules)
        same = record.get("sha256") in (None, loaded.sha256)
        return RulesInUse(loaded, year, "same" if same and record else ("other" if record else "unrecorded"))
    if not record.get("sha256"):
        return RulesInUse(load_rules(DEFAULT_RULES), None, "unrecorded")
    for spec in (record.get("path"), record.get("id")):
        if not spec:
            continue
        try:
            loaded = load_rules(spec)
        except Exception:  # a file moved away, an id this installation lacks: try the next
            continue
        if loaded.sha256 == record["sha256"]:
            return RulesInUse(loaded, year, "same")
    # The file changed since (an upgrade of edgescreen changed the shipped one, a county edited its
    # own): the text the screen kept, where it is the one the SHA-256 names.
    text = record.get("text")
    if isinstance(text, str) and hashlib.sha256(text.encode("utf-8")).hexdigest() == record["sha256"]:
        loaded = rules_from_text(text, Path(record.get("path") or f"{record.get('id') or 'rules'}.toml"))
        if loaded is not None:
            return RulesInUse(loaded, year, "same")
    return _bundled_alike(record, year)


def _bounds_words(lower_fen: int | None, upper_fen: int) -> Phrase:
    if lower_fen is None:
        return Phrase("spot_rules_bounds_upper", upper=fen_text(upper_fen))
    return Phrase("spot_rules_bounds", lower=fen_text(lower_fen), upper=fen_text(upper_fen))


def _bundled_alike(record: dict, year: int | None) -> RulesInUse:
    """A round an older version recorded kept no text of its rule set (registers before schema 4, run.json
    before the text was kept): after an in-place upgrade the shipped file of that id has another SHA-256.
    The shipped one stands in where its bounds for the round's year are those the round recorded (every
    version kept them), the figures the verified status turns on; otherwise refused, saying what to give."""
    rules_id, digest = record.get("id") or "?", record["sha256"]
    shipped = shipped_rule_sets().get(rules_id)
    loaded = bounds = None
    if shipped is not None and isinstance(year, int):
        try:
            loaded = load_rules(shipped)
            bounds = loaded.bounds(year) if loaded.rules.id == rules_id else None
        except EdgescreenError:  # a shipped file this year is out of, or broken: no stand-in
            bounds = None
    if bounds is None:
        raise SpotCheckError("spot_rules_not_found", id=rules_id, sha256=digest)
    recorded = (record.get("lower_fen"), record.get("upper_fen"))
    if recorded[1] is None or recorded != (bounds.lower_fen, bounds.upper_fen):
        raise SpotCheckError("spot_rules_bundled_differ", id=rules_id, sha256=digest, year=year,
                             bundled=_bounds_words(bounds.lower_fen, bounds.upper_fen),
                             recorded=(_bounds_words(*recorded) if recorded[1] is not None
                                       else Phrase("spot_rules_bounds_unrecorded")))
    return RulesInUse(loaded, year, "bundled", note=Phrase(
        "spot_note_rules_bundled", id=rules_id, year=year, bounds=_bounds_words(*recorded)))


def _folders_in(place: Path) -> list[Path]:
    """The folders directly inside `place` (none where it cannot be listed)."""
    try:
        return sorted(p for p in place.iterdir() if p.is_dir())
    except OSError:
        return []


# How far below the register's (or ledger's) folder, the one above it and the current folder a survey is
# looked for by name: each year's files in a folder of their own under one of the county (surveys/2021/华家镇.xlsx)
# is two levels down. Bounded in depth and in folders listed under each, for the current folder may be a home
# folder, and the one above a register in /tmp all of /tmp.
SURVEY_DEPTH = 3
SURVEY_FOLDERS = 500


def _folders_below(places: list[Path]) -> list[Path]:
    """The folders below each of `places` in turn, nearest first (those directly inside, then one level
    further down, to SURVEY_DEPTH), each once, hidden ones left out, at most SURVEY_FOLDERS under each: the
    register's own folder is searched whole before the wider ones."""
    seen = {p.resolve() for p in places}
    out: list[Path] = []
    for place in places:
        level, taken = [place], 0
        for _ in range(SURVEY_DEPTH):
            deeper = []
            for folder in level:
                for inside in _folders_in(folder):
                    where = inside.resolve()
                    if inside.name.startswith(".") or where in seen or taken >= SURVEY_FOLDERS:
                        continue
                    seen.add(where)
                    deeper.append(inside)
                    taken += 1
            out += deeper
            level = deeper
    return out


def find_surveys(source: Source, given: list[Path] | None = None) \
        -> tuple[list[Path] | None, list[str], list[Path]]:
    """The survey files the screen read, each found by its SHA-256: among `given` (files, or folders
    read as screen reads one), at the path the screen recorded, or by its name beside the ledger's
    folder or the register, or in a folder up to SURVEY_DEPTH levels below it, the folder above it or
    the current one (a register keeps only the names of a survey read from a folder; each year's files
    of the same names in a folder of their own: the SHA-256 of the round's picks that year's). Returns
    (paths in the screen's order, or None when any is missing; the names of those not found; those found
    in a folder below, for the outputs to say where). A given file that is none of them is refused, and
    so is a given folder that holds none of them; other files in a folder are passed over, as screen
    passes them."""
    wanted = {i["sha256"]: i for i in source.inputs if i.get("sha256")}
    if not wanted:
        return None, [], []
    found: dict[str, Path] = {}
    for path in given or []:
        path = Path(path)
        if path.is_dir():
            inside = {file_sha256(file): file for file in folder_inputs([path]).files}
            held = [digest for digest in inside if digest in wanted]
            if not held:
                raise InputError("spot_survey_folder_not_screened", folder=str(path), source=source.name)
            found.update((digest, inside[digest]) for digest in held)
            continue
        if not path.is_file():
            raise InputError("input_missing", path=str(path))
        digest = file_sha256(path)
        if digest not in wanted:
            raise InputError("spot_survey_not_screened", file=path.name, source=source.name)
        found[digest] = path
    base = source.path.resolve().parent  # resolved: the parent of a register named from its own folder too
    places = list(dict.fromkeys([base, base.parent, Path.cwd()]))
    below: list[Path] | None = None  # listed once, only where a file is not found in the places
    searched: list[Path] = []
    for digest, item in wanted.items():
        if digest in found:
            continue
        candidates = []
        if item.get("path"):
            recorded = Path(item["path"])
            candidates += [recorded] if recorded.is_absolute() else [p / recorded for p in places]
        if item.get("file"):
            candidates += [p / item["file"] for p in places]
        for candidate in candidates:
            if _same_file(candidate, digest):
                found[digest] = candidate
                break
        else:
            if not item.get("file"):
                continue
            if below is None:
                below = _folders_below(places)
            for folder in below:
                if _same_file(folder / item["file"], digest):
                    found[digest] = folder / item["file"]
                    searched.append(found[digest])
                    break
    missing = [item.get("file") or digest[:12] for digest, item in wanted.items() if digest not in found]
    if missing:
        return None, missing, []
    return [found[d] for d in wanted], [], searched


def _same_file(path: Path, digest: str) -> bool:
    """`path` is a file whose SHA-256 is `digest`."""
    try:
        return path.is_file() and file_sha256(path) == digest
    except OSError:
        return False
