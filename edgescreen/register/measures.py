"""帮扶措施: the measure form of each village (register measures), reading a filled one back (through
register record, with the identity and validation rules of every document), and the register's
coverage and fit (every household on the register has a measure within the rule set's days of
entering it; a measure fits the household's main difficulty, by the rule set's fit table).

A form lists every household of the village on the register, one row per measure: the measures
already recorded for its present stay (registry.this_stay), then an empty row (two for a household
without any). Each row repeats the household's identifying cells (序号, 村民小组, 户主姓名, the
masked ID) so that rows may be copied for a second measure, or sorted, and still say whose they are;
the row hash of those cells is checked as on every document. The 帮扶类型 column offers the catalogue
(data/measures.toml) as a drop-down.

Recorded measures are rows of the `measures` table, never changed: a measure is known by its
household, type, content and start date; the same row recorded again changes nothing; an end date
or an amount filled in later, where it was blank, is a new row that replaces the old one; any other
change to a recorded measure needs --amend --reason, and both rows stay. A printed measure typed
over on the form (another type, content or start) is that change, not a second measure; a printed
row cleared or deleted is refused (a measure ends by its end date, never by being removed)."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..catalogue import Lang, Phrase, label, normalise_header
from ..errors import UsageError
from ..inputs import file_sha256
from ..measure_types import measure_types
from ..money import fen_text
from ..normalise import by_distinct, parse_money
from ..outputs.folder import carry_files, check_target, files_with_hashes, reserved, staged_folder
from ..outputs.places import issuer_places, place_name, place_order, this_place_words, village_file_names
from ..outputs.privacy import MASKED_RUN, mask_id_shown, mask_in_text
from ..outputs.publicity import format_date
from ..outputs.xlsx import (
    FORMAT_SPECS,
    TITLE_SIZE,
    Column,
    cell_formats,
    line_width,
    new_workbook,
    print_signed,
    printed_height,
    setup_print,
    text_height,
    write_block,
    write_table,
    write_title,
    wrapped_heights,
)
from ..read import money_none
from ..rules import RuleSet
from ..runtime import run_tasks
from ..texts import joined_per_key
from . import db
from .documents import (
    MONEY_FORMAT,
    FileOutcome,
    FilledDocument,
    Identity,
    Problem,
    bare_text,
    cell_name,
    cell_text,
    date_example,
    distinct_name,
    edited_cells,
    find_column,
    find_header,
    label_texts,
    parse_count,
    parse_date,
    row_hash,
    row_hashes,
    sheet_not_read,
    stamp,
    title_place,
)
from .procedure import MEASURES_STEP, procedure
from .registry import on_register, registry, still_here, this_stay
from .trend import county_of

# The form's columns: the household (identity first), then one measure per row.
IDENTITY = ("seq", "group", "head_name", "masked_id")
INFO = (Column("risk", 9, "cell"), Column("entered_on", 11, "center"))
MEASURE_FIELDS = ("measure_type", "measure_content", "measure_start", "measure_end", "measure_amount",
                  "support_person")
# Its 10-point text prints at LEAST_PRINT_POINTS on paper (90 % on A4 landscape: the columns' 145
# characters; at 161, 81 %, it printed at 8.1 points, small to write in): 帮扶类型's longest
# (产业扶持(合作社+贫困边缘户)) and 帮扶责任人's office, name and phone on the row's two lines, a date typed
# 2020-01-15 on one (2020-01-/15 at 11 wide), 主要困难 (因病、因学) on two; an amount of four figures with
# its separator (9,999.00) whole, a larger one widened (_amount_held).
FORM_POINTS = 10
FORM_COLUMNS = [Column("seq", 5, "center"), Column("group", 7, "cell"), Column("head_name", 9, "cell"),
                Column("masked_id", 19, "center"), *INFO, Column("measure_type", 15, "text_input"),
                Column("measure_content", 13, "text_input"), Column("measure_start", 14, "text_input"),
                Column("measure_end", 14, "text_input"), Column("measure_amount", 12, "money"),
                Column("support_person", 17, "text_input")]
AMOUNT_ROOM_FROM = ("measure_content", 12)  # a wider amount takes its width from here, down to this
# Every row holds two lines of 10-point text in the cells a cadre fills in (2020年1月15日 on two lines of
# its date column; an office, a name and a phone in 帮扶责任人): a height set in the file does not grow
# as one types, and a cell that does not wrap printed cut or ran past the table's edge.
ROW_HEIGHT = float(printed_height(2, FORM_POINTS))
MAX_ROWS = 1000  # the drop-down and the input formats reach this far below the last printed row


# ---------------------------------------------------------------------------------------------
# Who is on the register, with what the forms and the views show of each household


def registered_households(reg: db.Register, as_of: dt.date | None = None) -> pd.DataFrame:
    """The households on the register (on `as_of`, default now), each with its latest screened row
    (place, head, members, per-capita, difficulty) and the day it entered, in township → village →
    group order as the survey has them."""
    on = on_register(reg, as_of=as_of)
    latest = db.latest_screened(reg)
    h = on.merge(latest, on="household", how="left")
    for col in ("township", "village", "grp", "head_name", "difficulty"):
        h[col] = h[col].fillna("").astype(str)
    # The survey's order (households are numbered as screened), its places together (places.place_order).
    h = h.sort_values("household", kind="stable").reset_index(drop=True)
    return h.iloc[place_order(h)].reset_index(drop=True)


def current_measures(reg: db.Register, households=None, *, entered: pd.Series | None = None) -> pd.DataFrame:
    """The measures as they stand (replaced rows left out) of each household's latest stay on the
    register (this_stay; `entered` household → entered_on where the caller has it), of `households`
    if given. `register history` shows every measure, the earlier stays' too."""
    if entered is None:
        entered = registry(reg).set_index("household")["entered_on"]
    if households is None:
        return this_stay(db.measures(reg), entered).reset_index(drop=True)
    households = list(households)
    # A village's few hundred by the index; the whole county (status, the 花名册) in one read.
    m = db.measures(reg, households) if len(households) <= 5000 else db.measures(reg)
    return this_stay(m[m["household"].isin(households)], entered).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Coverage and fit


@dataclass
class Gaps:
    """Per household on the register: its measures, and what the rule set finds missing."""

    households: pd.DataFrame  # registered_households + measures (running on the day), first_start, due,
    #                           no_measure, ended (every measure ended by the day), ended_on, unfit,
    #                           survey_year, unsurveyed (the latest round's survey missed it),
    #                           below_line (its latest survey at or below the poverty line: 转贫困户识别)
    coverage_days: int
    year: int | None = None  # the latest round's year

    def per_village(self) -> pd.DataFrame:
        """township, village: households, without a measure past the days, with a measure that does
        not fit, whose measures have all ended, any of these; and those the latest survey missed or
        found at or below the poverty line."""
        h = self.households
        grouped = pd.DataFrame({"township": h["township"], "village": h["village"], "households": 1,
                                "no_measure": h["no_measure"].astype(int), "unfit": h["unfit"].ne("").astype(int),
                                "ended": h["ended"].astype(int), "gaps": self.gap.astype(int),
                                "unsurveyed": h["unsurveyed"].astype(int), "below_line": h["below_line"].astype(int),
                                "awaits_survey": h["awaits_survey"].astype(int)})
        return grouped.groupby(["township", "village"], sort=False, as_index=False).sum()  # in place order

    @property
    def gap(self) -> pd.Series:
        """The households with a support gap: no measure past the days, none that fits, or every
        measure ended."""
        h = self.households
        return h["no_measure"] | h["unfit"].ne("") | h["ended"]

    @property
    def listed(self) -> pd.DataFrame:
        """The households with a gap, that the latest round's survey missed, or that it found at or
        below the poverty line."""
        h = self.households
        return h[self.gap | h["unsurveyed"] | h["below_line"]]


def support_gaps(reg: db.Register, rules: RuleSet, *, as_of: dt.date | None = None) -> Gaps:
    """Coverage and fit of every household on the register on `as_of` (default today): a household
    without any measure more than `coverage_days` after it entered; a household with measures whose
    difficulty names a key of the fit table and none of whose measures is of the key's types (the
    difficulties unmet, in `unfit`); a household whose every measure has ended (`ended`, the last end
    in `ended_on`). A measure runs from its start date to its end date, both included."""
    as_of = as_of or dt.date.today()
    day = as_of.isoformat()
    h = registered_households(reg, as_of=as_of)
    m = current_measures(reg, h["household"], entered=h.set_index("household")["entered_on"])
    started = m[m["start"] <= day]
    m = started[started["end"].fillna("").eq("") | (started["end"].fillna("") >= day)]
    days = rules.measures.coverage_days
    entered = pd.to_datetime(h["entered_on"], errors="coerce")
    h["due"] = (entered + pd.Timedelta(days=days)).dt.date.astype(str).where(entered.notna(), "")
    counts = m.groupby("household").size()
    h["measures"] = h["household"].map(counts).fillna(0).astype(int)
    h["first_start"] = h["household"].map(started.groupby("household")["start"].min()).astype(object).fillna("")
    ever = h["household"].isin(started["household"])
    # Measures that have all ended leave the household without support today: a gap at once, not
    # 30 days after entering (that is for a household that never had one).
    h["no_measure"] = ~ever & (h["due"] != "") & (h["due"] < day)
    h["ended"] = ever & (h["measures"] == 0)
    h["ended_on"] = h["household"].map(started.groupby("household")["end"].max()).where(h["ended"], "").fillna("")
    unfit = np.full(len(h), "", dtype=object)
    for difficulty, fitting in rules.measures.fit.items():  # a handful of difficulties: one mask each
        names = h["difficulty"].str.contains(difficulty, regex=False) & (h["measures"] > 0)
        has = h["household"].isin(m.loc[m["type"].isin(list(fitting)), "household"])
        unmet = (names & ~has).to_numpy()
        unfit[unmet] = np.where(unfit[unmet] == "", difficulty, unfit[unmet] + "、" + difficulty)
    h["unfit"] = unfit
    # A household's figures are its latest survey's; one the latest round's survey missed (本年未调查)
    # shows an earlier year's, and is a 漏项 to chase.
    years = db.rounds(reg).set_index("id")["year"]
    latest = db.latest_round(reg)
    year = int(latest["year"]) if latest is not None else None
    h["survey_year"] = pd.to_numeric(h["round"].map(years)).astype("Int64")
    h["unsurveyed"] = (h["survey_year"] < year).fillna(False).astype(bool) if year is not None else False
    # Of those, the ones its 未调查户核实 found still there (仍在本村): awaiting a survey, not a 漏项 to explain.
    here = still_here(reg, int(latest["id"])) if latest is not None else set()
    h["awaits_survey"] = h["unsurveyed"] & h["household"].isin(here)
    # Its latest survey at or below the poverty line: changes.xlsx sent it to 转贫困户识别; until that
    # procedure takes it, it stays on the register, and the 花名册 and status say why.
    h["below_line"] = h["status"].eq("below_line").fillna(False).astype(bool)
    # At or above the upper bound and kept by the exit procedure (不同意退出, 不属实 …) of the round of
    # its latest survey: the village's decision, which the 花名册 and status say instead of "not left
    # yet". That round, not the latest: one the next survey missed is still the one its village kept.
    above = h["status"].eq("above_limit").fillna(False).astype(bool)
    rounds = pd.to_numeric(h.loc[above, "round"]).dropna().astype(np.int64).unique()
    kept = [exit_kept(reg, int(r)).rename("exit_kept").rename_axis("household").reset_index().assign(round=r)
            for r in rounds]  # a round or two: the rounds of its households' surveys
    kept = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=["household", "exit_kept", "round"])
    at = pd.MultiIndex.from_arrays([h["household"], pd.to_numeric(h["round"]).astype("Int64")])
    steps = kept.set_index([kept["household"].astype(np.int64), kept["round"].astype("Int64")])["exit_kept"]
    h["exit_kept"] = steps.reindex(at).astype(object).fillna("").to_numpy()
    return Gaps(h, days, year)


def exit_kept_words(year, step_id: str, lang: Lang) -> str:
    """gap_above_limit of a household its exit procedure kept: at which step, by what word."""
    step = procedure()[step_id]
    word = step.decision.no(lang) if step.decision is not None else label("objection_upheld", lang)
    return label("gap_above_limit_kept", lang, year=year, step=label(f"step_{step_id}", lang), word=word)


def exit_kept(reg: db.Register, round_id: int) -> pd.Series:
    """household → the step of the round's exit procedure whose no kept it on the register, for the
    households its recorded decisions kept (the first no, every step before it yes)."""
    proc = procedure("exit")
    events = db.events_of_steps(reg, round_id, proc.ids)
    decided = events[events["field"].eq("decision") & events["household"].notna()]
    if decided.empty:
        return pd.Series(dtype=object)
    # The latest event of each household and step holds (an --amend's, after the first recording).
    decided = decided.assign(household=pd.to_numeric(decided["household"]).astype(np.int64))
    table = decided.drop_duplicates(["household", "step"], keep="last").pivot(
        index="household", columns="step", values="new").reindex(columns=proc.ids)
    alive = table.eq("yes").astype(int).cumprod(axis=1).astype(bool)
    no = table.eq("no") & alive.shift(1, axis=1, fill_value=True).astype(bool)
    kept = no.any(axis=1).to_numpy()
    steps = np.array(proc.ids, dtype=object)[no.to_numpy().argmax(axis=1)]
    return pd.Series(steps[kept], index=table.index[kept], dtype=object)


def gap_words(gaps: pd.DataFrame, rules: RuleSet, lang: Lang, year: int | None = None,
              no_measure_words: Sequence[str] | None = None) -> pd.Series:
    """What is missing for each household, in words: its survey at or below the poverty line (转贫困户
    识别, with the survey's year), no measure since entering (with the days; `no_measure_words`, per
    household, words of its own for that, '' for the plain ones), every measure ended (with the last
    end), a difficulty without a fitting measure (with the types that fit); with `year`, the latest
    round's, a household its survey missed. Column-wise: each part worded once per distinct value."""
    n = len(gaps)
    catalogue = measure_types()
    fit = {d: label("list_sep", lang).join(catalogue[t].name(lang) for t in types)
           for d, types in rules.measures.fit.items()}
    sep = label("list_sep_wide", lang)
    missed = gaps["unsurveyed"].to_numpy(dtype=bool) if year is not None and "unsurveyed" in gaps \
        else np.zeros(n, dtype=bool)
    awaits = gaps["awaits_survey"].to_numpy(dtype=bool) if "awaits_survey" in gaps else np.zeros(n, dtype=bool)
    # Found still there in its own place: a 社区's household 仍在本社区, not 本村.
    places = np.asarray(this_place_words(gaps, lang) if awaits.any() else [""] * n, dtype=object)
    own = np.asarray(list(no_measure_words) if no_measure_words is not None else [""] * n, dtype=object)
    plain = label("gap_no_measure", lang, days=rules.measures.coverage_days)
    unsurveyed_word = lambda waiting, this_place: label(  # noqa: E731
        "gap_awaits_survey" if waiting else "gap_unsurveyed", lang, year=year, this_place=this_place)
    parts = [
        _worded(gaps["below_line"].to_numpy(dtype=bool), gaps["survey_year"].tolist(),
                lambda survey_year: label("gap_below_line", lang, year=survey_year)),
        # found still there by its 未调查户核实: it awaits its survey, its absence explained
        _worded(missed, list(zip(awaits.tolist(), places.tolist())), lambda key: unsurveyed_word(*key)),
        np.where(gaps["no_measure"].to_numpy(dtype=bool), np.where(own != "", own, plain), "").astype(object),
        _worded(gaps["ended_on"].astype(bool).to_numpy(dtype=bool), gaps["ended_on"].tolist(),
                lambda ended_on: label("gap_ended", lang, date=ended_on)),
        _worded(gaps["unfit"].ne("").to_numpy(dtype=bool), gaps["unfit"].tolist(),
                lambda unfit: sep.join(label("gap_unfit", lang, difficulty=d, types=fit[d])
                                       for d in filter(None, unfit.split("、")))),
    ]
    out = np.full(n, "", dtype=object)
    for part in parts:
        both = (out != "") & (part != "")
        out = np.where(both, out + sep + part, np.where(part != "", part, out)).astype(object)
    return pd.Series(out, index=gaps.index, dtype=object)


def _worded(said: np.ndarray, values: list, words) -> np.ndarray:
    """words(value) where `said`, '' elsewhere: once per distinct value said (a county's households
    share a few years, days and difficulties)."""
    out = np.full(len(said), "", dtype=object)
    at = np.flatnonzero(said)
    if len(at):
        chosen = pd.Series([values[i] for i in at], dtype=object)
        out[at] = by_distinct(chosen, lambda distinct: distinct.map(words)).to_numpy(dtype=object)
    return out


def type_word(kind: str, model, lang: Lang) -> str:
    """A measure's type as the forms print it (产业扶持(合作社+贫困边缘户)); `model` blank or NA for none."""
    return measure_types()[kind].word(model if isinstance(model, str) and model else None, lang)


def measure_summary(measures: pd.DataFrame, lang: Lang) -> tuple[pd.Series, pd.Series]:
    """Per household: its measures in one cell (产业扶持(合作社+贫困边缘户):肉牛养殖(2020-03-01起), or
    (2020-03-01至2020-05-31) where it has an end date) and
    its 帮扶责任人 (each once), for the 花名册. A person is one person whatever spaces were typed in the
    name (张 三 is 张三, bare_text): printed as first written, on the first of the household's measures
    as they are given (the register keeps every spelling as written; a later measure typed otherwise
    does not change how the 花名册 names its person)."""
    if measures.empty:
        empty = pd.Series(dtype=object)
        return empty, empty
    words = [type_word(t, mo, lang) for t, mo in zip(measures["type"], measures["model"])]
    # A measure with its end date says it (…至2020-05-31): without it an ended measure reads as running.
    text = [label("measure_line_ended", lang, type=w, content=c, start=s, end=e) if isinstance(e, str) and e
            else label("measure_line", lang, type=w, content=c, start=s)
            for w, c, s, e in zip(words, measures["content"], measures["start"], measures["end"])]
    frame = pd.DataFrame({"household": measures["household"].to_numpy(), "text": text,
                          "person": measures["person"].to_numpy()})
    joined = joined_per_key(frame["household"].to_numpy(), frame["text"].to_numpy(dtype=object), "\n")
    once = frame.assign(key=frame["person"].map(bare_text)).drop_duplicates(["household", "key"])
    people = once.groupby("household")["person"].agg(label("list_sep", lang).join)
    return joined, people


# ---------------------------------------------------------------------------------------------
# register measures: the forms


@dataclass(frozen=True)
class FormPlan:
    """One village's measure form: plain data, for the helper process."""

    lang: Lang
    path: Path
    params: dict
    rows: pd.DataFrame  # the printed cells by column key; `first` marks each household's first row
    identity: Identity
    fit: dict  # difficulty → the types that fit, as words


@dataclass
class MeasuresOutcome:
    out_dir: Path | None
    forms: int
    households: int
    measures: int
    carried: int = 0  # forms still out that the folder replaced held as printed, kept in the new one
    kept_recorded: int = 0  # filled forms recorded (unchanged since) that it held, kept where they are
    # On the register, but only from after the print day (their 公告 ended later): on no form, said.
    later: int = 0
    later_from: str = ""  # the first and the last day they are on the register from
    later_to: str = ""


def forms_out(reg: db.Register) -> pd.DataFrame:
    """The measure forms still out: printed, and not recorded (a form recorded adds its rows to the
    measures table, naming it; one that came back with nothing new is recorded as returned,
    record_measures). What a folder of forms replaced must not lose; their names no later form takes."""
    return db.documents_out(reg, MEASURES_STEP)


def _form_rows(h: pd.DataFrame, m: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Every printed row of the forms: each household's recorded measures, then one empty row (two
    for a household without a measure), the household's identity cells on every row."""
    order = pd.Series(np.arange(len(h)), index=h["household"].to_numpy())
    recorded = pd.DataFrame({
        "at": m["household"].map(order).to_numpy(), "kind": 0,
        "measure_type": [type_word(t, mo, lang) for t, mo in zip(m["type"], m["model"])],
        # A phone or an ID typed into the content or the person goes to the village masked; the form
        # is read back through the measures held (_as_held).
        "measure_content": mask_in_text(m["content"]).to_numpy(), "measure_start": m["start"].to_numpy(),
        "measure_end": m["end"].fillna("").to_numpy(),
        "measure_amount": (pd.to_numeric(m["amount_fen"]).astype("Float64") / 100).to_numpy(),
        "support_person": mask_in_text(m["person"]).to_numpy()})
    has = np.isin(np.arange(len(h)), recorded["at"].to_numpy())
    blanks = np.repeat(np.arange(len(h)), np.where(has, 1, 2))
    empty = pd.DataFrame({"at": blanks, "kind": 1})
    rows = pd.concat([recorded, empty], ignore_index=True).sort_values(["at", "kind"], kind="stable")
    rows = rows.reset_index(drop=True)
    at = rows["at"].to_numpy()
    first = np.r_[True, at[1:] != at[:-1]]
    text = lambda s: mask_in_text(s.astype("string")).to_numpy()  # noqa: E731
    printed = pd.DataFrame({"seq": h["seq"].to_numpy(), "group": text(h["grp"]), "head_name": text(h["head_name"]),
                            "masked_id": mask_id_shown(h["head_id"].astype("string")).to_numpy(),
                            "risk": text(h["difficulty"]), "entered_on": h["entered_on"].fillna("").to_numpy()})
    out = printed.iloc[at].reset_index(drop=True)
    for key in ("risk", "entered_on"):  # the household's facts once, on its first row
        out.loc[~first, key] = ""
    for key in MEASURE_FIELDS:
        out[key] = rows[key].to_numpy() if key in rows else None
    out["first"] = first
    out["household"] = h["household"].to_numpy()[at]
    out["township"], out["village"] = h["township"].to_numpy()[at], h["village"].to_numpy()[at]
    return out


def issue_measure_forms(reg: db.Register, out_dir: str | Path, date: dt.date, rules: RuleSet, *,
                        lang: Lang = "zh", force: bool = False, today: dt.date | None = None) -> MeasuresOutcome:
    """`register measures`: a form per village of the households on the register, written into
    `out_dir` (whole or not at all) and recorded as issued, in one transaction."""
    today = today or dt.date.today()
    out_dir = Path(out_dir)
    if date > today:
        raise UsageError("date_in_future", option="--date", date=date.isoformat(), today=today.isoformat())
    with reg.writing():
        latest = db.latest_round(reg)
        if latest is None:
            from ..errors import InputError

            raise InputError("register_no_round", path=str(reg.path))
        h = registered_households(reg)
        # A form printed on `date` lists who is on the register that day: a household whose 公告 ends
        # later (the forms printed before it) has no measure to count yet, one may not start before it.
        later = h["entered_on"].fillna("").astype(str).gt(date.isoformat()).to_numpy()
        days = h.loc[later, "entered_on"].astype(str)
        if later.all() and len(h):
            raise UsageError("measures_before_register", date=date.isoformat(), count=f"{len(h):,}",
                             since=days.min() if days.min() == days.max() else
                             Phrase("reg_record_total_since", first=days.min(), last=days.max()),
                             last=days.max())
        h = h[~later].reset_index(drop=True)
        if h.empty:
            return MeasuresOutcome(None, 0, 0, 0)
        m = current_measures(reg, h["household"], entered=h.set_index("household")["entered_on"])
        h["seq"] = h.groupby(["township", "village"]).cumcount().to_numpy() + 1
        rows = _form_rows(h, m, lang)
        # Named apart from the village's other files (合隆镇-前岗村-帮扶措施.xlsx): Excel opens no two of one name.
        names = village_file_names(h[["township", "village"]], lang, label("file_kind_measures", lang))
        catalogue = measure_types()
        fit = {d: label("list_sep", lang).join(catalogue[t].name(lang) for t in types)
               for d, types in rules.measures.fit.items()}
        county = county_of(reg) or label("summary_county_blank", lang)
        recorded = db.recorded_form_hashes(reg)  # filled forms recorded: the round's paper trail, as register next keeps it
        with reserved(out_dir):  # what the folder holds is read once nothing else can change it
            check_target(out_dir, [reg.path], force, issued=lambda: db.issued_hashes(reg) | set(recorded))
            # A form still out that the folder holds as printed is carried into the new one at its
            # place, and so is a filled form recorded (unchanged since); a village's new form takes no
            # name of one carried (distinct_name: its day). A form returned as printed, with nothing new
            # on it, is no longer out: its village's new form takes its name.
            held = files_with_hashes(out_dir, set(forms_out(reg)["sha256"]) | set(recorded))
            kept = {name: sha for name, sha in held.items() if sha not in recorded}
            taken = {PurePosixPath(name).name.casefold(): str(PurePosixPath(name).parent).casefold() for name in held}
            with staged_folder(out_dir) as staging:
                plans, docs, doc_rows = [], [], []
                printed_first = rows[rows["first"]].reset_index(drop=True)  # one row per household, in h's order
                ident_cells = pd.DataFrame({label(k, lang): printed_first[k].to_numpy() for k in IDENTITY})
                hashes = row_hashes(ident_cells).to_numpy()
                for i, ((t, v), part) in enumerate(rows.groupby(["township", "village"], sort=False)):  # place order
                    mine = (h["township"] == t).to_numpy() & (h["village"] == v).to_numpy()
                    doc_id = str(uuid.uuid4())
                    ident = pd.concat([pd.DataFrame({"seq": h.loc[mine, "seq"].to_numpy(),
                                                     "key": h.loc[mine, "household"].to_numpy(),
                                                     "hash": hashes[mine]}),
                                       ident_cells[mine].reset_index(drop=True)], axis=1)
                    identity = Identity(doc_id=doc_id, step=MEASURES_STEP, scope="village", township=t, village=v,
                                        round=int(latest["id"]), register_id=reg.register_id,
                                        sheet=label("sheet_measures", lang), headers=tuple(ident_cells.columns), rows=ident)
                    path = staging / distinct_name(names[(t, v)], date, taken)
                    params = {"county": county, "township": place_name(t, lang, "unknown_township"),
                              "village": place_name(v, lang, "unknown_village"), "count": int(mine.sum()),
                              "days": rules.measures.coverage_days, "date": format_date(date, lang)}
                    plans.append(FormPlan(lang, path, params, part.reset_index(drop=True), identity, fit))
                    docs.append({"doc_id": doc_id, "round": int(latest["id"]), "step": MEASURES_STEP, "scope": "village",
                                 "township": t, "village": v, "issued": date.isoformat(), "period_start": None,
                                 "period_end": None, "file_name": path.relative_to(staging).as_posix(), "lang": lang})
                    doc_rows.append(pd.DataFrame({"document": i, "seq": h.loc[mine, "seq"].to_numpy(),
                                                  "household": h.loc[mine, "household"].to_numpy(),
                                                  "row_hash": hashes[mine]}))
                run_tasks([("register_measures", write_measure_form, (plan,)) for plan in plans])
                carry_files(out_dir, staging, held)
                docs = pd.DataFrame(docs)
                docs["sha256"] = [file_sha256(plan.path) for plan in plans]
                docs["changeset"] = db.add_changeset(reg, "register measures")
                db.add_documents(reg, docs, pd.concat(doc_rows, ignore_index=True))
                reg.commit()
    return MeasuresOutcome(out_dir, len(plans), len(h), len(m), len(kept), len(held) - len(kept), int(later.sum()),
                           days.min() if len(days) else "", days.max() if len(days) else "")


def _amount_held(rows) -> list[Column]:
    """FORM_COLUMNS with the 金额 column as wide as the form's widest amount as printed (### otherwise),
    the width taken from AMOUNT_ROOM_FROM's column so that the form keeps its scale."""
    amounts = pd.to_numeric(pd.Series(rows.column("measure_amount") if hasattr(rows, "column")
                                      else rows["measure_amount"], dtype=object), errors="coerce").abs()
    widest = amounts.max() if len(amounts) else None
    need = line_width(f"{widest:,.2f} ", FORM_POINTS) if widest is not None and pd.notna(widest) else 0
    columns = list(FORM_COLUMNS)
    at = [c.key for c in columns].index("measure_amount")
    more = max(0.0, math.ceil(need) - columns[at].width)
    if more:
        key, least = AMOUNT_ROOM_FROM
        j = [c.key for c in columns].index(key)
        columns[at] = columns[at]._replace(width=columns[at].width + more)
        columns[j] = columns[j]._replace(width=max(least, columns[j].width - more))
    return columns


def write_measure_form(plan: FormPlan) -> None:
    """One village's form: title, how to fill it in, the table with a drop-down of the types, the
    signatures; a second sheet explaining each type (the drop-down's list); the identity."""
    lang = plan.lang
    # Printed at a scale computed from its widths (print_signed), as the register's other documents.
    book = new_workbook(plan.path, fixed_scale=True)
    formats = cell_formats(book, lang, size=FORM_POINTS)
    # An amount a person reads, thousands separated (12,500.00), as the 花名册 prints it: typed back as
    # 12500 or 12,500 alike (_amounts_written), a printed one read as the number it is.
    formats["money"] = book.add_format({**formats.font, **FORMAT_SPECS["money"], "num_format": MONEY_FORMAT})
    rows = plan.rows
    columns = _amount_held(rows)
    ws = book.add_worksheet(label("sheet_measures", lang))
    last = len(columns) - 1
    width = sum(c.width for c in columns)
    write_title(ws, 0, 0, last, label("measures_title", lang, **plan.params), formats["title"], width=width,
                font_size=TITLE_SIZE, least=30, place=title_place(plan.params))
    # The place's own words (本社区 for a 社区), and the seal of its committees: a 社区's 社区"两委" (its
    # title keeps the place as typed).
    place_words = {**plan.params, **issuer_places(plan.params["township"], plan.params["village"], lang)}
    line = label("measures_line", lang, **place_words)
    write_block(ws, 1, 0, last, line, formats["subtitle"], text_height(line, width, 10))
    header = 2
    # A row grows where a difficulty's details or a long name wrap (a fixed height printed them cut).
    # The fill-in cells wrap (text_input, as written, does not): their printed text counts as well.
    formats["text_input"] = book.add_format({**formats.font, **FORMAT_SPECS["text_input"], "text_wrap": True})
    sized = [c._replace(fmt="cell") if c.fmt == "text_input" else c for c in columns]
    heights = wrapped_heights(rows, sized, ROW_HEIGHT, font_size=FORM_POINTS)
    write_table(ws, header, columns, rows, formats, lang, heights=heights)
    catalogue = measure_types()
    choices = catalogue.choices(lang)
    first, stop = header + 1, header + len(rows)
    col = [c.key for c in columns].index("measure_type")
    ws.data_validation(first, col, stop + MAX_ROWS, col,
                       {"validate": "list", "source": f"='{label('sheet_measure_types', lang)}'!$A$3:$A${2 + len(choices)}",
                        "input_title": label("measure_type", lang), "input_message": label("measures_type_hint", lang),
                        "error_type": "warning", "error_title": label("measure_type", lang),
                        "error_message": label("measures_type_hint", lang)})
    row = stop + 2
    for key in ("measures_sign", "measures_sign_date"):
        write_block(ws, row, 0, last, label(key, lang, **place_words), formats["sign"], 36)
        row += 1
    # Every page says whose form it is: a page signed on its own names its village.
    setup_print(ws, lang, header_row=header, landscape=True, running_title=label("measures_title", lang, **plan.params))
    # The signatures print with the last households, never alone under the repeated header.
    print_signed(ws, [c.width for c in columns], header, stop + 1, row, heights, row=ROW_HEIGHT)

    types = book.add_worksheet(label("sheet_measure_types", lang))
    write_block(types, 0, 0, 2, label("measure_types_title", lang), formats["title"], 30)
    fits: dict[str, list[str]] = {}
    for d, words in plan.fit.items():
        for w in words.split(label("list_sep", lang)):
            fits.setdefault(w, []).append(d)
    listing = pd.DataFrame({
        "measure_type": choices,
        "measure_note": [catalogue[catalogue.read(c)[0]].note(lang) for c in choices],
        "measure_fits": [label("list_sep", lang).join(fits.get(catalogue[catalogue.read(c)[0]].name(lang), []))
                         for c in choices]})
    write_table(types, 1, [Column("measure_type", 28, "cell"), Column("measure_note", 52, "wrap"),
                           Column("measure_fits", 16, "cell")], listing, formats, lang, row_height=30)
    setup_print(types, lang, header_row=1, landscape=False)
    stamp(book, plan.identity)
    book.close()


# ---------------------------------------------------------------------------------------------
# register record: a filled measure form


@dataclass
class MeasureFormOutcome(FileOutcome):
    """A measure form's FileOutcome, with `without`: the households it printed that have no measure
    of their stay on the register, none held and none on it (record's total counts them)."""

    without: int = 0


@dataclass
class MeasureReading:
    """A measure form as read: its problems, the measures it states, and what recording changes."""

    problems: list[Problem]
    measures: pd.DataFrame | None = None  # household, type, model, content, start, end, amount_fen, person, at
    new: pd.DataFrame | None = None       # rows to insert (MEASURE_COLUMNS but changeset and document)
    outcome: FileOutcome | None = None
    households: tuple[int, ...] = ()      # every household the form printed, with a measure on it or not
    names: dict | None = None             # household → the head's name, to say whose measure
    sheet: str = ""                       # the sheet the measures were read from
    history: pd.DataFrame | None = None   # the printed households' measure rows (db.measure_history), read once
    columns: dict[str, int] = field(default_factory=dict)  # the form's column of each key (MEASURE_FIELDS …)
    notes: list[Phrase] = field(default_factory=list)  # sheets added to the form, not read (rp_sheet_not_read)


def _words(words: tuple[str, ...]) -> frozenset[str]:
    """Words clerks write (measures.toml [form]), folded as a cell is compared."""
    return frozenset(_folded_word(w) for w in words)


def _folded_word(text: str) -> str:
    return "".join(normalise_header(text).split()).casefold()


def says_ditto(texts: pd.Series) -> pd.Series:
    """Which cells say 同上 (同前, 〃 …: measures.toml [form] ditto), folded as a form's cells are."""
    return texts.map(_folded_word).isin(_words(measure_types().form.ditto))


def _problem(out: list[Problem], file: str, key: str, *, sheet: str = "", row: int | None = None,
             col: int | None = None, **params) -> None:
    # A row without its column is said as one (第 5 行), never as a bare number beside the sheet.
    cell = cell_name(row, col) if row is not None and col is not None else \
        (Phrase("rp_at_row", row=row + 1) if row is not None else "")
    out.append(Problem(file, Phrase(key, **params), sheet, cell))


def read_measure_form(reg: db.Register, filled: FilledDocument, doc: dict, printed: pd.DataFrame, *,
                      lang: Lang, today: dt.date, amend: bool | None = None) -> MeasureReading:
    """Check a filled measure form: the table, every row's identity cells against the printed ones,
    and each measure's type (from the catalogue), content, dates, amount and 帮扶责任人. Where a row
    has a problem, the other households' measures are compared against the register as well
    (_problems_of_the_rest), so that every problem of the form is named at once; `amend`, where the
    caller gives it, is --amend for that comparison (else only what is a problem either way)."""
    problems: list[Problem] = []
    name = filled.name
    sheets = filled.sheets
    order = [filled.identity.sheet] if filled.identity.sheet in sheets else []
    order += [s for s in sheets if s not in order]
    found = next(((s, sheets[s], find_header(sheets[s], "head_name")) for s in order
                  if find_header(sheets[s], "head_name") is not None), None)
    if found is None:
        _problem(problems, name, "rp_no_table", header=label("head_name", lang))
        return MeasureReading(problems)
    sheet, cells, header_at = found
    header = cells[header_at]
    columns: dict[str, int] = {}
    for key in (*IDENTITY, *MEASURE_FIELDS):
        j = find_column(header, key)
        if j is None:
            _problem(problems, name, "rp_column_missing", header=label(key, lang), sheet=sheet, row=header_at)
            return MeasureReading(problems)
        columns[key] = j
    notes = _other_sheets(filled, sheet, problems, lang)
    expected = {int(s): (int(k), d) for s, k, d in zip(printed["seq"], printed["household"], printed["row_hash"])}
    # The head's name as the form printed it, to name a row in a refusal (its identity holds it).
    ident = filled.identity
    if ident.rows is not None and len(ident.headers) == len(IDENTITY):
        names = dict(zip(ident.rows["key"].astype(int).tolist(),
                         ident.rows[ident.headers[IDENTITY.index("head_name")]].fillna("").astype(str).tolist()))
    else:  # only the document properties survived: the register's names (a read of the whole table)
        info = db.latest_screened(reg)
        names = dict(zip(info["household"].tolist(), info["head_name"].fillna("").tolist()))
    catalogue = measure_types()
    ditto, no_end = _words(catalogue.form.ditto), _words(catalogue.form.no_end)
    printed_on = dt.date.fromisoformat(doc["issued"])
    found_rows = []
    # Types read from a word not on the drop-down ((typed, read as) → its rows), said beside the outcome;
    # whether the drop-down's words were listed in a refusal of this form yet.
    loose: dict[tuple[str, str], list[int]] = {}
    listed = False
    # The households with a problem on one of their rows, and whether a row with a problem is of no
    # household the form printed: the rest of the form is then compared against the register too.
    troubled: set[int] = set()
    unplaced = False
    # Every measure row whose start reads, to hold it against the household's stay where the register
    # is not compared (_dated_against_stay).
    dated: list[dict] = []
    # The cells a merge carries down from the row above (shown_and_passed reads a merged cell in every row it
    # covers): a spare row whose measure cells are only these (one 帮扶责任人 merged over two
    # households' rows) holds no measure of its own.
    carried = {(r, c1) for (r1, c1), (r2, _) in filled.merges.get(sheet, ()) for r in range(r1 + 1, r2 + 1)}
    amounts = _amounts_written(cells[header_at + 1:], columns["measure_amount"])
    for i in range(header_at + 1, len(cells)):
        row = cells[i]
        get = lambda j: row[j] if j < len(row) else ""  # noqa: E731
        values = {k: get(j) for k, j in columns.items()}
        filled_in = any(cell_text(values[k]) and (i, columns[k]) not in carried for k in MEASURE_FIELDS)
        seq = parse_count(values["seq"])
        if seq is None:
            if filled_in:
                _problem(problems, name, "mp_row_no_seq", sheet=sheet, row=i, col=columns["seq"])
                unplaced = True
            continue
        if seq not in expected:
            _problem(problems, name, "rp_row_unknown", seq=seq, count=len(expected), sheet=sheet, row=i,
                     col=columns["seq"])
            unplaced = True
            continue
        household, digest = expected[seq]
        ids = [values[k] for k in IDENTITY]
        if row_hash(ids) != digest:
            differ = edited_cells(filled.identity, seq, list(IDENTITY), ids, lang)
            for k, old, now in differ:
                _problem(problems, name, "rp_row_edited", seq=seq, header=label(k, lang), printed=old, now=now,
                         sheet=sheet, row=i, col=columns[k])
            if not differ:
                _problem(problems, name, "rp_row_edited_somewhere", seq=seq, headers=[label(k, lang) for k in IDENTITY],
                         sheet=sheet, row=i)
            troubled.add(household)
            continue
        if not filled_in:
            continue
        who = names.get(household, "")
        where = {"sheet": sheet, "row": i}
        typed = cell_text(values["measure_type"])
        written = catalogue.read_written(typed) if typed else None
        kind = written[:2] if written is not None else None
        if written is not None and written[2]:  # 产业扶持(合作社): read, and said how
            loose.setdefault((typed, type_word(*kind, lang)), []).append(i + 1)
        ok = True
        if not typed:
            _problem(problems, name, "mp_type_missing", seq=seq, name=who, col=columns["measure_type"], **where)
            ok = False
        elif kind is None and (several := _types_in_one_cell(typed, lang)):
            # 产业帮扶、小额信贷: two measures in one row, each with its own dates and amount; the
            # nearest type alone would have the clerk drop the other.
            _problem(problems, name, "mp_type_several", seq=seq, name=who, value=typed, count=len(several),
                     types=label("list_sep", lang).join(several), col=columns["measure_type"], **where)
            ok = False
        elif kind is None:
            near = [catalogue[t].name(lang) for t in catalogue.near(typed)]
            # The drop-down's words once in a file, with its first word that is none of them (fifteen
            # types on each of a village's dozen rows buried the rows).
            _problem(problems, name, "mp_type_bad" if listed else "mp_type_bad_list", seq=seq, name=who, value=typed,
                     near=Phrase("mp_type_near", types=near) if near else "",
                     allowed=label("list_sep", lang).join(catalogue.choices(lang)),
                     sheet_types=label("sheet_measure_types", lang), col=columns["measure_type"], **where)
            listed = True
            ok = False
        content = cell_text(values["measure_content"])
        if not content:
            _problem(problems, name, "mp_content_missing", seq=seq, name=who, col=columns["measure_content"], **where)
            ok = False
        start_text = cell_text(values["measure_start"])
        start = parse_date(values["measure_start"]) if start_text else None
        month = _MONTH_ONLY.match(normalise_header(start_text)) if start_text and start is None else None
        if not start_text:
            _problem(problems, name, "mp_start_missing", seq=seq, name=who, col=columns["measure_start"], **where)
            ok = False
        elif month is not None and 1 <= int(month.group(2)) <= 12:
            # 2020.3, 2020年3月: no day is made up (the 1st would count a measure begun on the 28th as
            # begun within the days after entering); the clerk is told what to write.
            _problem(problems, name, "rp_of_row", seq=seq, name=who, what=Phrase(
                "mp_start_month_only", field=label("measure_start", lang), value=start_text,
                first=f"{month.group(1)}-{int(month.group(2)):02d}-01"), col=columns["measure_start"], **where)
            ok = False
        elif start is None:
            _problem(problems, name, "rp_of_row", seq=seq, name=who, what=Phrase(
                "rp_date_bad", field=label("measure_start", lang), value=start_text,
                **date_example(start_text, printed_on)), col=columns["measure_start"], **where)
            ok = False
        elif start > today:
            _problem(problems, name, "rp_of_row", seq=seq, name=who, what=Phrase(
                "rp_date_future", field=label("measure_start", lang), date=start.isoformat(), today=today.isoformat()),
                col=columns["measure_start"], **where)
            ok = False
        end_text = cell_text(values["measure_end"])
        # 长期, 至今, "/": a measure still going on, written so; it has no end date (an end invented
        # to fill the cell would make the household a 帮扶缺口 on that day).
        if _folded_word(end_text) in no_end:
            end_text = ""
        end = parse_date(values["measure_end"]) if end_text else None
        if end_text and end is None:
            _problem(problems, name, "rp_of_row", seq=seq, name=who, what=Phrase(
                "mp_end_bad", field=label("measure_end", lang), value=end_text,
                **date_example(end_text, printed_on)), col=columns["measure_end"], **where)
            ok = False
        elif end is not None and start is not None and end < start:
            _problem(problems, name, "mp_end_before_start", seq=seq, name=who, end=end.isoformat(),
                     start=start.isoformat(), col=columns["measure_end"], **where)
            ok = False
        amount_text = cell_text(values["measure_amount"])
        amount = None
        if amount_text and amounts[amount_text] is None:
            amount_text = ""  # "/", 无: no amount written (parse_money reads them as 0 yuan, a sum paid)
        if amount_text:
            fen = amounts[amount_text]
            if fen is False:
                _problem(problems, name, "mp_amount_bad", seq=seq, name=who, value=amount_text,
                         col=columns["measure_amount"], **where)
                ok = False
            else:
                amount = fen
        person = cell_text(values["support_person"])
        if not person:
            _problem(problems, name, "mp_person_missing", seq=seq, name=who, col=columns["support_person"], **where)
            ok = False
        elif _folded_word(person) in ditto:  # 同上, 〃: would be recorded as the person's name
            _problem(problems, name, "mp_person_ditto", seq=seq, name=who, value=person, col=columns["support_person"],
                     **where)
            ok = False
        if start is not None and start <= today:
            dated.append({"household": household, "start": start.isoformat(), "at": i, "seq": seq, "name": who,
                          "type": kind[0] if kind else None, "model": kind[1] if kind else None, "typed": typed,
                          "content": content})
        if not ok:
            troubled.add(household)
        if ok:
            found_rows.append({"household": household, "type": kind[0], "model": kind[1], "content": content,
                               "start": start.isoformat(), "end": end.isoformat() if end else None,
                               "amount_fen": amount, "person": person, "at": i, "seq": seq, "name": who})
    measures = pd.DataFrame(found_rows, columns=["household", "type", "model", "content", "start", "end", "amount_fen",
                                                 "person", "at", "seq", "name"])
    history = db.measure_history(reg, printed["household"].astype(int).tolist())
    if not measures.empty:
        measures = _as_held(measures, history)
        # A masked number the form printed, kept in a cell whose words were changed: not the measure it
        # was printed for, and recorded so the full number would be lost for good (--no-mask too).
        for key, form_column in (("content", "measure_content"), ("person", "support_person")):
            masked = measures[measures[key].astype(str).str.contains(MASKED_RUN)]
            for at, seq, who, text in zip(masked["at"], masked["seq"], masked["name"], masked[key]):
                _problem(problems, name, "mp_masked_kept", seq=seq, name=who, field=label(form_column, lang), text=text,
                         sheet=sheet, row=at, col=columns[form_column])
            troubled.update(int(h) for h in masked["household"])
    # One measure written twice on one form: said, with both rows.
    keys = list(zip(measures["household"], measures["type"], measures["model"].fillna(""), measures["content"],
                    measures["start"]))
    seen: dict[tuple, int] = {}
    for k, at, seq, who in zip(keys, measures["at"], measures["seq"], measures["name"]):
        if k in seen:
            _problem(problems, name, "mp_row_twice", seq=seq, name=who, other=seen[k] + 1, sheet=sheet, row=at,
                     col=columns["measure_type"])
            troubled.add(int(k[0]))
        else:
            seen[k] = at
    notes += _same_but_start(measures, history, lang)
    notes += [Phrase("mp_note_type_read_as", typed=typed, read=read, rows=rows)
              for (typed, read), rows in loose.items()]
    households = tuple(int(k) for k in printed["household"])
    if problems:
        # The rows compare_measures will not see (those of a household with a problem, or every row
        # where a row is of no household): their start against the stay, as it would.
        unseen = [r for r in dated if unplaced or r["household"] in troubled]
        problems += _dated_against_stay(reg, unseen, history, name, sheet, columns["measure_start"], lang)
    if problems and not unplaced:
        problems += _problems_of_the_rest(reg, filled, doc, measures, history, troubled, households, names, sheet,
                                          columns, lang, amend)
    return MeasureReading(problems, measures if not problems else None, households=households, names=names,
                          sheet=sheet, history=history, columns=columns, notes=notes)


# The marks and words a 帮扶类型 cell lists several types with (产业帮扶、小额信贷, 教育 和 健康).
_TYPES_APART = re.compile(r"[、,;/]|和|及|\s+")


def _types_in_one_cell(typed: str, lang: Lang) -> list[str]:
    """The types a 帮扶类型 cell that does not read as one type names when cut where a list is
    (_TYPES_APART), as the form prints them, each once, where it names two or more; else []."""
    catalogue = measure_types()
    parts = (catalogue.read_written(p) for p in _TYPES_APART.split(unicodedata.normalize("NFKC", typed)) if p)
    found = list(dict.fromkeys(w[:2] for w in parts if w is not None))
    return [type_word(*kind, lang) for kind in found] if len(found) >= 2 else []


# A start written to the month only (2020.3, 2020年3月, 2020-3), as a cell reads once NFKC and without spaces.
_MONTH_ONLY = re.compile(r"^(\d{4})(?:年|[./-])(\d{1,2})月?$")
# An amount in thousands (5千, 1.5千元, 5仟): the grammar of parse_money reads 万 only.
_THOUSANDS = re.compile(r"^(?P<before>[^0-9.]*)(?P<int>[0-9]+)(?:\.(?P<frac>[0-9]*))?[千仟](?P<yuan>元?)$")


def _amounts_written(rows: list[list], at: int) -> dict[str, int | bool | None]:
    """Every distinct amount written in column `at` of a form's rows, read at once: its fen, None for
    no amount written ("/", 无), False for one that does not read (or is negative). Read cell by cell,
    parse_money's 13 ms a call made a township's 4,000 amounts written 5千, 6000元 … take 25 CPU-s."""
    texts = pd.Series(sorted({cell_text(r[at]) for r in rows if at < len(r)} - {""}), dtype=object)
    if texts.empty:
        return {}
    none = np.asarray(money_none(texts), dtype=bool)
    fen, state = parse_money(texts.map(_thousands_as_wan))
    read = state.eq("ok").to_numpy() & pd.to_numeric(fen, errors="coerce").ge(0).fillna(False).to_numpy()
    # 伍仟元, 壹万贰仟元整: as payment records write them, read by capital_amount_fen (a malformed one,
    # 伍仟伍, does not read); parse_money knows none of them.
    capitals = texts.map(normalise_header).str.fullmatch(_CAPITAL_TEXT).to_numpy()
    in_capitals = {t: capital_amount_fen(t) for t in texts[capitals]}
    return {t: (False if in_capitals[t] is None else in_capitals[t]) if t in in_capitals else
            None if n else (int(f) if r else False)
            for t, n, f, r in zip(texts, none, fen.to_numpy(dtype=object), read)}


# Amounts in capital numerals (大写金额), as payment records and receipts write them: 伍仟元, 壹万贰仟元整,
# 叁仟伍佰元, 壹仟零伍拾元, 伍拾元伍角, 人民币伍万元整. A digit's value, a place within a 4-digit section,
# a section's.
_CAPITAL_DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10)))
_CAPITAL_PLACES = {"拾": 10, "佰": 100, "仟": 1000}
_CAPITAL_SECTIONS = {"万": 10**4, "亿": 10**8}
# A text written in them (spaces removed, NFKC): what capital_amount_fen reads, or refuses.
_CAPITAL_TEXT = re.compile(r"(?:人民币)?[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]*[壹贰叁肆伍陆柒捌玖拾][零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]*")
_CAPITAL_AMOUNT = re.compile(r"(?:人民币)?(?P<yuan>[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+?)?(?P<unit>[元圆])?"
                             r"(?:零?(?P<jiao>[壹贰叁肆伍陆柒捌玖])角)?(?:零?(?P<fen>[壹贰叁肆伍陆柒捌玖])分)?[整正]?")


def capital_amount_fen(text: str) -> int | None:
    """An amount written in capital numerals, in fen (伍仟元 → 500000, 伍拾元伍角 → 5050, 壹万贰仟元整,
    元 and 整 optional); None where it does not read exactly: 伍仟伍 (5500 or 5005?), places out of
    order, 角 after a sum without its 元 (伍拾伍角)."""
    m = _CAPITAL_AMOUNT.fullmatch(normalise_header(text))
    if m is None or not (m["yuan"] or m["jiao"] or m["fen"]) or (m["unit"] and not m["yuan"]):
        return None
    if m["yuan"] and (m["jiao"] or m["fen"]) and not m["unit"]:
        return None
    yuan = _capital_integer(m["yuan"]) if m["yuan"] else 0
    if yuan is None:
        return None
    return yuan * 100 + _CAPITAL_DIGITS.get(m["jiao"] or "零") * 10 + _CAPITAL_DIGITS.get(m["fen"] or "零")


def _capital_integer(text: str) -> int | None:
    """A whole number in capital numerals (壹万零伍佰 → 10500), None where it is malformed. A digit
    without its place is the ones: after 拾 (伍拾伍), or after a 零 that says a place was skipped (伍佰
    零伍); after 佰, 仟 or 万 without one (伍仟伍) it is the spoken short form, which this does not guess."""
    if text == "零":
        return 0
    total, section, digit = 0, 0, None
    place = None   # the last place written in this section (None at its start)
    zero = False   # a 零 since it
    higher = None  # the last 万/亿 written
    for ch in text:
        if ch == "零":
            if digit is not None or zero or place == 10 or (place is None and higher is None):
                return None
            zero = True
        elif ch in _CAPITAL_DIGITS:
            if digit is not None:
                return None
            digit = _CAPITAL_DIGITS[ch]
        elif ch in _CAPITAL_PLACES:
            value = _CAPITAL_PLACES[ch]
            if place is not None and value >= place:
                return None
            if digit is None:  # 拾 alone is 壹拾 (拾元), at a section's start only
                if value != 10 or section or zero:
                    return None
                digit = 1
            section, place, digit, zero = section + digit * value, value, None, False
        else:  # 万, 亿
            big = _CAPITAL_SECTIONS[ch]
            if higher is not None and big >= higher:
                return None
            ones = _capital_ones(digit, place, zero, higher)
            if ones is None or section + ones == 0:
                return None
            total, section, digit, place, zero, higher = total + (section + ones) * big, 0, None, None, False, big
    ones = _capital_ones(digit, place, zero, higher)
    return None if ones is None else total + section + ones


def _capital_ones(digit: int | None, place: int | None, zero: bool, higher: int | None) -> int | None:
    """The ones digit closing a section, 0 for none; None where it cannot stand there (伍仟伍, a
    dangling 零)."""
    if digit is None:
        return None if zero else 0
    if zero or place == 10 or (place is None and higher is None):
        return digit
    return None


def _thousands_as_wan(text: str) -> str:
    """An amount written in 千 as the same in 万 (5千 → 0.5万, 12.5千元 → 1.25万元), which parse_money
    reads, to the fen; anything else as it is."""
    m = _THOUSANDS.match(normalise_header(text))
    if m is None:
        return text
    digits = m["int"]
    return f"{m['before']}{digits[:-1] or '0'}.{digits[-1]}{m['frac'] or ''}万{m['yuan']}"


def _same_but_start(measures: pd.DataFrame, history: pd.DataFrame, lang: Lang) -> list[Phrase]:
    """Two rows of a household alike in all but their start (a row copied and only its date changed):
    recorded as two measures, as they may be (a sum paid twice), and said in one note of the form,
    naming both rows of each, where one of them is new to the register (a pair held was said when it
    was recorded)."""
    alike = ["household", "type", "model", "content", "end", "amount_fen", "person"]
    if measures.empty:
        return []
    keys = measures[alike].astype(object).where(measures[alike].notna(), "").astype(str)
    rows = measures.assign(**{k: keys[k] for k in alike}).drop_duplicates([*alike, "start"])  # the same twice: refused
    rows = rows[rows.duplicated(alike, keep=False)].sort_values("at")
    if rows.empty:
        return []
    held = set(zip(*(history[k].astype(object).where(history[k].notna(), "").astype(str) for k in MEASURE_KEY)))
    pairs = []
    for _, pair in rows.groupby(alike, sort=False):
        first, second = pair.iloc[0], pair.iloc[1]
        if set(zip(*(pair[k].astype(str) for k in MEASURE_KEY))) <= held:
            continue
        pairs.append(label("mp_same_but_start_rows", lang, seq=int(first["seq"]), name=first["name"],
                           row=int(first["at"]) + 1, other=int(second["at"]) + 1, start=first["start"],
                           other_start=second["start"]))
    return [Phrase("mp_note_same_but_start", pairs=label("list_sep_wide", lang).join(pairs))] if pairs else []


def _other_sheets(filled: FilledDocument, table: str, problems: list[Problem], lang: Lang) -> list[Phrase]:
    """The form's sheets besides `table`, the one its measures are read from. A sheet with a household
    table and measures filled in (the table copied to a 续表 for more rows) is refused: its measures
    would be lost, and the form recorded as if the village had sent none. Any other sheet with
    something on it is not read, and said (a sign-in sheet, a note)."""
    notes = []
    printed = label_texts("sheet_measure_types")  # the types' sheet the form was printed with
    for name, cells in filled.sheets.items():
        if name == table or normalise_header(name).casefold() in printed:
            continue
        at = find_header(cells, "head_name")
        header = cells[at] if at is not None else []
        wanted = [j for key in MEASURE_FIELDS if (j := find_column(header, key)) is not None]
        who = find_column(header, "head_name")
        rows = [i for i in range(at + 1, len(cells)) if any(cell_text(cells[i][j]) for j in wanted
                                                            if j < len(cells[i]))] if at is not None else []
        if rows:
            first = cells[rows[0]]
            _problem(problems, filled.name, "mp_sheet_other_measures", extra=name, printed=table, count=len(rows),
                     at=rows[0] + 1, name=cell_text(first[who]) if who is not None and who < len(first) else "",
                     sheet=name, row=rows[0], col=who)
            continue
        if (note := sheet_not_read(name, cells, lang)) is not None:
            notes.append(note)
    return notes


def _dated_against_stay(reg: db.Register, rows: list[dict], history: pd.DataFrame, file: str, sheet: str,
                        column: int, lang: Lang) -> list[Problem]:
    """compare_measures' test of a measure's start against the household's stay (mp_before_entry,
    mp_after_exit), for rows it does not compare: a row with another problem (帮扶责任人 blank), or of
    a household with one. Named with the row's other problems, not after they are put right. A start
    a measure of the household already holds is not new, and not refused for leaving (a printed row)."""
    if not rows:
        return []
    stays = registry(reg).set_index("household")
    entered, exited = stays["entered_on"].dropna(), stays["exited_on"].dropna()
    held = set(zip(history["household"].astype(int), history["start"].astype(str))) if len(history) else set()
    problems: list[Problem] = []
    for r in rows:
        household, start = int(r["household"]), r["start"]
        if r["type"] is not None:
            words = measure_in_words(r, lang)
        else:  # a type the catalogue does not know, or none: as typed
            words = label("mp_measure_words", lang, type=r["typed"] or label("blank", lang),
                          content=r["content"] or label("blank", lang), start=start)
        where = {"sheet": sheet, "row": r["at"], "col": column}
        left_on = exited.get(household)
        if left_on is not None and start > left_on and (household, start) not in held:
            _problem(problems, file, "mp_after_exit", name=r["name"], left_on=left_on, measure=words, **where)
        entered_on = entered.get(household)
        if entered_on is not None and start < entered_on:
            _problem(problems, file, "mp_before_entry", name=r["name"], entered=entered_on, measure=words, **where)
    return problems


def _problems_of_the_rest(reg: db.Register, filled: FilledDocument, doc: dict, measures: pd.DataFrame,
                          history: pd.DataFrame, troubled: set[int], households: tuple[int, ...], names: dict,
                          sheet: str, columns: dict[str, int], lang: Lang, amend: bool | None) -> list[Problem]:
    """A form with a problem on some rows is not compared against the register (compare_measures runs
    on forms without one): the households whose rows all read are, here, so that a measure starting
    before its household entered is named in the same run as a type not in the catalogue on another
    row. Those households only: a household with a problem on a row would read as a measure deleted.
    `amend` None (not known): compared as with --amend, so only what is a problem with it or without
    is named; a change that needs --amend is said once the form's rows read."""
    clean = tuple(h for h in households if h not in troubled)
    rest = measures[~measures["household"].astype(int).isin(troubled)]
    if not clean and rest.empty:
        return []
    partial = MeasureReading([], rest, households=clean, names=names, sheet=sheet,
                             history=history[history["household"].astype(int).isin(clean)], columns=columns)
    return compare_measures(reg, partial, filled, doc, lang=lang, amend=True if amend is None else amend)


def _as_held(measures: pd.DataFrame, history: pd.DataFrame) -> pd.DataFrame:
    """The form's measures with a content or 帮扶责任人 that reads as the masked text of one of the
    household's measures held (as the form printed it) taken as that text; a masked text two of its
    measures share is left as written."""
    out = measures.copy()
    for col in ("content", "person"):
        known = pd.DataFrame({"household": history["household"].astype(int).to_numpy(),
                              "shown": mask_in_text(history[col]).to_numpy(), "held": history[col].to_numpy()})
        known = known[known["shown"] != known["held"]].drop_duplicates()
        known = known[~known.duplicated(["household", "shown"], keep=False)]
        found = out[["household", col]].merge(known, left_on=["household", col], right_on=["household", "shown"],
                                              how="left")
        out[col] = found["held"].where(found["held"].notna(), found[col]).to_numpy()
    return out


MEASURE_KEY = ["household", "type", "model", "content", "start"]
MEASURE_VALUES = ["end", "amount_fen", "person"]


def _blank(v) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA or v == ""


def _key(measure: dict) -> tuple:
    """What a measure is known by (MEASURE_KEY), of a row as a dict."""
    return tuple(measure[k] for k in MEASURE_KEY)


def _differing(mine: dict, held: dict) -> list[str]:
    """The values of MEASURE_VALUES in which a measure as written differs from one held. An amount
    is compared as a number of fen: a column with a blank in it holds 5000000.0 where another holds
    5000000 (a form with a cleared row said every amount had changed); a 帮扶责任人 by bare_text (张三
    where 张 三 is held is no change: the register keeps 张 三, as it was written first)."""
    return [k for k in MEASURE_VALUES if not (_blank(mine[k]) and _blank(held[k]))
            and (_blank(mine[k]) or _blank(held[k]) or _compared(k, mine[k]) != _compared(k, held[k]))]


def _shown(field: str, v, lang: Lang) -> str:
    """A value of MEASURE_VALUES as a refusal shows it: an amount in yuan (fen_text); a blank as
    the catalogue says it."""
    if _blank(v):
        return label("blank", lang)
    return fen_text(v) if field == "amount_fen" else str(v)


def _compared(field: str, v) -> str:
    if field == "person":
        return bare_text(v)
    return str(int(v)) if isinstance(v, (int, float, np.integer, np.floating)) else str(v)


def measure_in_words(r: dict, lang: Lang) -> str:
    """A measure as a clerk recognises it: its type, its content and when it began."""
    return label("mp_measure_words", lang, type=type_word(r["type"], r["model"], lang), content=r["content"],
                 start=r["start"])


def compare_measures(reg: db.Register, reading: MeasureReading, filled: FilledDocument, doc: dict, *,
                     lang: Lang, amend: bool) -> list[Problem]:
    """What recording the form's measures changes against those held: new measures; a blank end
    date or amount filled in (a row replacing the old one); any other change needs --amend. A measure
    the form printed is known by what it printed: one missing from the form was changed in its type,
    content or start (a row of the form that matches nothing held takes its place, in order, with
    --amend) or deleted, which the register does not do (a measure ends by its end date). Sets `new`
    and `outcome` on `reading`; returns the refusals."""
    measures = reading.measures
    households = list(reading.households) or measures["household"].unique().tolist()
    # Every row of the households' measures, read once: what stands now (held), what stood when the
    # form was issued (printed: the rows before its changeset not replaced before it), and the rows
    # replaced since (stale).
    history = reading.history if reading.history is not None else db.measure_history(reg, households)
    history = history.assign(model=history["model"].fillna("").astype(object))
    replaced = set(history["replaces"].dropna().astype(int))
    held = history[~history["id"].isin(replaced)]
    earlier = history[history["changeset"] < int(doc["changeset"])]
    printed = earlier[~earlier["id"].isin(set(earlier["replaces"].dropna().astype(int)))]
    # A household that left and entered again: its earlier stay's measures are not on its form.
    stays = registry(reg).set_index("household")
    printed = this_stay(printed, stays["entered_on"].dropna())
    printed = printed.assign(current=~printed["id"].isin(replaced)).sort_values(["household", "start", "id"])
    mine = measures.assign(model=measures["model"].fillna(""))
    merged = mine.merge(held[[*MEASURE_KEY, *MEASURE_VALUES, "id"]], on=MEASURE_KEY, how="left",
                        suffixes=("", "_held"))
    names = reading.names or {}
    problems: list[Problem] = []

    def refuse(key: str, at=None, value: str | None = None, **params) -> None:
        """at: the form's row (0-based), where there is one; `value`: the measure's value (MEASURE_KEY,
        MEASURE_VALUES) it is about, whose cell is named (else the row)."""
        col = reading.columns.get(VALUE_COLUMNS.get(value, ""))
        where = () if at is None else (reading.sheet, cell_name(int(at), col)) if col is not None else \
            (reading.sheet, Phrase("rp_at_row", row=int(at) + 1))
        problems.append(Problem(filled.name, Phrase(key, **params), *where))

    written = set(zip(*(mine[k] for k in MEASURE_KEY)))
    printed_rows = printed.to_dict("records")
    # Printed and still standing, but not on the form as printed: changed or deleted, per household.
    gone: dict[int, list[dict]] = {}
    # Printed, changed since by another form, and not on this one as printed either: typed over on
    # an outdated form; a row that matches nothing held takes its place only to be refused.
    outdated: dict[int, list[dict]] = {}
    for p in printed_rows:
        if _key(p) not in written:
            (gone if p["current"] else outdated).setdefault(int(p["household"]), []).append(p)
    # What this form knew of each measure, by its key: the rows it printed, then those it recorded
    # itself. A row as one of them says nothing new, whatever a later form changed since (an end date
    # filled in); a measure another form changed since is not this form's to change, --amend or not.
    known: dict[tuple, list[dict]] = {}
    for p in [*printed_rows, *history[history["document"] == int(doc["id"])].to_dict("records")]:
        known.setdefault(_key(p), []).append(p)
    by_id = history.set_index("id")
    changed_later = 0
    # A measure as it was before a later row replaced it (a form printed or filled before the
    # change, recorded again): as it was, it says nothing new; changed, it conflicts with the change.
    history_rows = history[history["id"].isin(replaced)].to_dict("records")
    stale = {_key(r): r for r in history_rows}
    # A measure this very form recorded, changed since by another: as outdated as one it printed.
    seen = {p["id"] for rows in outdated.values() for p in rows}
    for r in history_rows:
        if r["id"] not in seen and r["document"] == doc["id"] and _key(r) not in written:
            outdated.setdefault(int(r["household"]), []).append(r)
    new = []
    changed = 0
    for r in merged.to_dict("records"):
        if pd.isna(r["id"]):
            key = _key(r)
            if key in stale:
                if _differing(r, stale[key]):
                    refuse("mp_changed_since", r["at"], name=r["name"], measure=measure_in_words(r, lang))
                continue
            typed_over = outdated.get(int(r["household"]))
            if typed_over and not gone.get(int(r["household"])):  # on a form printed before a change
                old = typed_over.pop(0)
                refuse("mp_changed_since", r["at"], name=r["name"], measure=measure_in_words(old, lang))
                continue
            taken = gone.get(int(r["household"]))
            if taken:  # a printed measure rewritten in place
                old = taken.pop(0)
                if not amend:
                    typed_over = next((k for k in MEASURE_KEY if _blank(r[k]) != _blank(old[k])
                                       or (not _blank(r[k]) and r[k] != old[k])), None)
                    refuse("mp_rewritten", r["at"], typed_over, name=r["name"], old=measure_in_words(old, lang),
                           new=measure_in_words(r, lang))
                    continue
                new.append({**{k: r[k] for k in (*MEASURE_KEY, *MEASURE_VALUES, "at")}, "replaces": int(old["id"]),
                            "new_start": r["start"] != old["start"]})
                changed += 1
                continue
            new.append({**{k: r[k] for k in (*MEASURE_KEY, *MEASURE_VALUES, "at")}, "replaces": None,
                        "new_start": True})
            continue
        held = {k: r[f"{k}_held"] for k in MEASURE_VALUES}
        differs = _differing(r, held)
        if not differs:
            continue  # as held: nothing new
        versions = known.get(_key(r), [])
        held_row = by_id.loc[int(r["id"])]
        if any(not _differing(r, v) for v in versions):  # as this (older) form printed or recorded it
            changed_later += int(held_row["document"] != doc["id"])
            continue
        since = _differing(versions[-1], held) if versions and int(r["id"]) not in {v["id"] for v in versions} else []
        if since:
            base = versions[-1]
            issued = held_row["doc_issued"] if isinstance(held_row["doc_issued"], str) else str(held_row["at"])[:10]
            refuse("mp_changed_later", r["at"], name=r["name"], measure=measure_in_words(r, lang), issued=doc["issued"],
                   later=issued, file=held_row["source_file"] or "",
                   changes=[label("mp_field_change", lang, what=label(FIELD_LABELS[k], lang),
                                  old=_shown(k, base[k], lang),
                                  new=_shown(k, held[k], lang)) for k in since])
            continue
        filling = all(_blank(held[k]) for k in differs)
        if not filling and not amend:
            for k in differs:
                refuse("mp_amend_needed", r["at"], k, name=r["name"], content=r["content"],
                       what=label(FIELD_LABELS[k], lang), old=_shown(k, held[k], lang),
                       new=_shown(k, r[k], lang))
            continue
        new.append({**{k: r[k] for k in (*MEASURE_KEY, *MEASURE_VALUES, "at")}, "replaces": int(r["id"]),
                    "new_start": False})
        changed += 1
    for household, left in gone.items():
        for old in left:
            refuse("mp_removed", name=names.get(household, ""), old=measure_in_words(old, lang))
    # A household that has left the register since the form was printed gets no measure starting later;
    # a measure written new (or its start typed over) does not start before the household entered.
    if new:
        exited, entered = stays["exited_on"].dropna(), stays["entered_on"].dropna()
        for r in new:
            left_on = exited.get(int(r["household"]))
            if left_on is not None and r["start"] > left_on:
                refuse("mp_after_exit", r["at"], "start", name=names.get(int(r["household"]), ""), left_on=left_on,
                       measure=measure_in_words(r, lang))
            entered_on = entered.get(int(r["household"]))
            if r["new_start"] and entered_on is not None and r["start"] < entered_on:
                refuse("mp_before_entry", r["at"], "start", name=names.get(int(r["household"]), ""), entered=entered_on,
                       measure=measure_in_words(r, lang))
    if problems:
        return problems
    frame = pd.DataFrame(new, columns=[*MEASURE_KEY, *MEASURE_VALUES, "replaces"])
    frame["model"] = frame["model"].replace("", None)
    frame["amount_fen"] = frame["amount_fen"].astype("Int64")
    frame["replaces"] = frame["replaces"].astype("Int64")
    frame["document"] = int(doc["id"])
    reading.new = frame
    status = "unchanged" if frame.empty else ("amended" if changed else "recorded")
    if frame.empty and not (history["document"] == int(doc["id"])).any() \
            and not db.recorded_documents(reg, [doc["doc_id"]]):
        status = "empty"  # nothing the register lacks, and never recorded before: returned (record_measures)
    place = form_place(doc, lang)
    # The households whose measures this form records or changes; of its rows, how many change one.
    notes = (*reading.notes, *((Phrase("mp_note_changed_later", count=changed_later),) if changed_later else ()))
    stay = this_stay(history[~history["id"].isin(replaced)], stays["entered_on"].dropna())
    without = len(set(households) - set(stay["household"]) - set(frame["household"]))
    reading.outcome = MeasureFormOutcome(filled.name, MEASURES_STEP, place, status, int(frame["household"].nunique()),
                                         changed, len(frame), notes=notes, without=without)
    return []


FIELD_LABELS = {"end": "measure_end", "amount_fen": "measure_amount", "person": "support_person"}
# The form's column of each value of a measure.
VALUE_COLUMNS = {"type": "measure_type", "model": "measure_type", "content": "measure_content",
                 "start": "measure_start", **FIELD_LABELS}


def form_place(doc: dict, lang: Lang) -> str:
    """The township and village a measure form is for, as the terminal names them."""
    return f"{place_name(doc['township'] or '', lang, 'unknown_township')}" \
        f"{place_name(doc['village'] or '', lang, 'unknown_village')}"


def record_measures(reg: db.Register, readings: list[tuple[MeasureReading, FilledDocument, dict]],
                    reason: str | None, today: dt.date | None = None) -> None:
    """Insert the measures of checked forms, a changeset per form that changes something. A form
    that came back with nothing new (outcome 'empty') is recorded as returned: a changeset naming it
    and the file, with one event (step measures, field returned, new nothing_new), so that it is
    no longer out (forms_out) and `register measures` does not carry it as a live form."""
    for reading, filled, doc in readings:
        if reading.outcome is not None and reading.outcome.status == "empty":
            changeset = db.add_changeset(reg, "register record", source_file=filled.name,
                                         source_sha256=filled.sha256, doc_id=doc["doc_id"])
            db.add_events(reg, pd.DataFrame([{
                "changeset": changeset, "round": int(doc["round"]), "household": None, "township": doc["township"],
                "village": doc["village"], "step": MEASURES_STEP, "field": "returned", "old": None,
                "new": "nothing_new", "effective": (today or dt.date.today()).isoformat()}]))
            continue
        if reading.new is None or reading.new.empty:
            continue
        # The command as typed: an end date filled in where it was blank changes a row without --amend.
        amended = reason is not None and reading.outcome.status == "amended"
        changeset = db.add_changeset(reg, "register record --amend" if amended else "register record",
                                     source_file=filled.name, source_sha256=filled.sha256, doc_id=doc["doc_id"],
                                     reason=reason if amended else None)
        db.add_measures(reg, reading.new.assign(changeset=changeset))


__all__ = ["registered_households", "support_gaps", "Gaps", "gap_words", "measure_summary", "issue_measure_forms",
           "write_measure_form", "read_measure_form", "compare_measures", "record_measures", "MeasuresOutcome"]
