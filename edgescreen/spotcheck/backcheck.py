"""The comparison (抽查核实): filled blind forms against what the screen recorded.

`run_backcheck(source, forms)` reads every form back (forms.py), refuses them all with every problem
named by file, sheet and cell when any is wrong, finds what they were drawn from (the ledger; the
register's round the sample names; or, for a sample of a screen's ledger given the register that
screen was recorded in, that round: `source_drawn_from`), then:

1. builds a cells frame from the forms — the household's identity from the source (its full ID,
   as the survey had it), the verified values as the verifier wrote them, every other field absent —
   and screens it through the pipeline's own stages (normalise, compute, checks, classify) with
   the screen's rule set and income year: the verified status;
2. takes the recorded values: from the survey files the screen read, screened again, when they are
   found (every field on the form, and the 填表人 where the survey has the column or only its
   footer line); else from the ledger or register (residents, total income, production expenses;
   a register's members too);
3. compares, per household, the recorded and verified status (错评: listed, verified not a
   candidate; 漏评: not listed, verified a candidate) and per field the recorded and verified value
   and the difference: counts and flags must be equal, money within the tolerance. A status that
   moved across a bound while every field agrees within the tolerance is no 错评 or 漏评: the
   tolerance's noise, shown apart (crossed_within_tolerance); a listed household not found is 错评; a
   status wrong between two non-candidate ones is no 错评 or 漏评 but an enumerator's wrong decision
   (wrong_other_status);
4. estimates the rates with the design's weights (estimate.error_rates: county, township, village,
   enumerator) and lists the enumerators who stand out (estimate.enumerator_outliers on two
   outcomes — a wrong status, and any field differing — with one Holm adjustment over both, so the
   chance that any honest enumerator is listed stays at most α).

A money field differs when |verified − recorded| exceeds the tolerance: a share of the recorded
amount (`10%`, the default) or a number of yuan (`200`, `0.5元`; a bare number below 1 is refused as
ambiguous). Differences of a yuan or less never count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..catalogue import Lines, Phrase, answer_key, data_toml, fields, label, rosters_catalogue
from ..checks import check_households
from ..classify import classify
from ..compute import compute
from ..errors import InputError, UsageError
from ..inputs import file_sha256, own_record
from ..issues import IssueLog
from ..money import fen_text
from ..normalise import normalise, parse_money
from ..outputs.ledger import csv_headers
from ..read import TEXT
from ..systemic import row_ranges as runs_of_rows
from ..register.documents import cell_text, date_example, parse_date, row_matches
from ..register.procedure import folded_words
from .design import LISTED, stratum_of, uncovered
from .estimate import adjusted_weights, enumerator_outliers, error_rates, holm_adjust
from .forms import (
    COUNT_FIELDS,
    FLAG_FIELDS,
    NOTE_FIELD,
    VISIT_FIELDS,
    FormRead,
    Problem,
    SEQ,
    TOTALS,
    design_households,
    field_label,
    form_fields,
    form_file_names,
    identity_keys,
    money_fields,
    printed_pages,
    read_forms,
)
from .sample import CSV_COLUMNS, SAMPLE_CSV, SAMPLE_JSON
from .source import (RulesInUse, Source, find_surveys, is_register, ledger_key, load_source, not_recorded_phrase,
                     off_list_steps, register_rounds, resolve_rules, rounds_words)

SLACK_FEN = 100  # a yuan: rounding, never a difference
class SpotCheckWords(BaseModel):
    """data/spotcheck.toml, validated when loaded: the phrases of a 情况说明, each a regular expression
    that matches some text, not none. `not_found`: the household may not exist (查无此户); `gone`: it
    no longer lives there (已搬走, 户主已去世,户口已注销, 空挂户); `absent`: nobody was home (家中无人).
    A page left blank with a note of the first two is a case to look into; a page filled in beside a
    note of `not_found` or `absent` contradicts itself."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    not_found: list[str] = Field(min_length=1)
    gone: list[str] = Field(min_length=1)
    absent: list[str] = Field(min_length=1)
    # A second visit after the first found nobody (今日补查): a filled page beside 家中无人 is no contradiction.
    revisited: list[str] = Field(min_length=1)

    @field_validator("not_found", "gone", "absent", "revisited")
    @classmethod
    def _phrases(cls, phrases: list[str], info) -> list[str]:
        for phrase in phrases:
            try:
                pattern = re.compile(phrase, re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{info.field_name}: {phrase!r} is not a regular expression ({exc})") from None
            if pattern.search("") is not None:  # it would take every note, a blank one too
                raise ValueError(f"{info.field_name}: {phrase!r} matches an empty note")
        return phrases


@cache
def spot_check_words() -> SpotCheckWords:
    return SpotCheckWords.model_validate(data_toml("spotcheck.toml"))


@cache
def notes_pattern(kind: str) -> re.Pattern:
    """Any of the phrases of `kind` (not_found, gone, absent, revisited: data/spotcheck.toml), case ignored."""
    return re.compile("|".join(f"(?:{phrase})" for phrase in getattr(spot_check_words(), kind)), re.IGNORECASE)


@cache
def catalogue_words(key: str) -> re.Pattern:
    """Any of the literal words of the catalogue label `key` (spot_words_*: zh separated by 、, en by
    ", "), in either language, case ignored."""
    words = [w.strip() for w in label(key, "zh").split("、") + label(key, "en").split(",")]
    return re.compile("|".join(re.escape(w) for w in words if w), re.IGNORECASE)


# Why a household drawn was not verified, as its 情况说明 says: the first that applies.
FAILED_VISITS = ("not_found", "gone", "refused", "absent")


def visit_failed(notes: pd.Series) -> pd.Series:
    """Per 情况说明, the kind of a visit that failed (FAILED_VISITS; "" for none): 查无此户 and 搬走 as
    data/spotcheck.toml reads them, 拒访 by the catalogue's spot_words_refused, 未遇 by the toml's
    `absent` or the catalogue's spot_words_not_met."""
    text = notes.fillna("").astype(str)
    said = [text.str.contains(not_found_pattern()), text.str.contains(notes_pattern("gone")),
            text.str.contains(catalogue_words("spot_words_refused")),
            text.str.contains(notes_pattern("absent")) | text.str.contains(catalogue_words("spot_words_not_met"))]
    return pd.Series(np.select([s.to_numpy(dtype=bool) for s in said], list(FAILED_VISITS), ""), index=notes.index)


def head_died(notes: pd.Series) -> pd.Series:
    """Per 情况说明 of a visited page, whether it says the head died (户主于宝山已于2020年2月病故): the
    head (spot_words_head) and, within the clause, a word of a death (spot_words_died)."""
    pattern = (f"(?:{catalogue_words('spot_words_head').pattern})[^,,。;;.]{{0,24}}?"
               f"(?:{catalogue_words('spot_words_died').pattern})")
    return notes.fillna("").astype(str).str.contains(pattern, case=False, regex=True)


def not_found_pattern() -> re.Pattern:
    """Any of the not_found phrases (data/spotcheck.toml), case ignored."""
    return notes_pattern("not_found")


# An enumerator's wrong decisions: 错评, 漏评, and a status wrong between two non-candidate ones (wrong_other_status).
OUTCOME_COLUMNS = ["wrongly_listed", "wrongly_unlisted", "wrong_other_status"]


@dataclass(frozen=True)
class Tolerance:
    """How far a verified amount may be from the recorded one and still agree: a share of the
    recorded amount, or a number of fen."""

    share: float | None = 0.10
    fen: int | None = None

    @classmethod
    def parse(cls, text: str) -> Tolerance:
        """'10%' (a share), '200' or '0.5元' (yuan). A bare number below 1 is refused: every other rate
        option takes a fraction (--threshold 0.02), so '0.1' may mean 10 % as well as 0.1 yuan."""
        raw = str(text).strip().replace("%", "%")
        try:
            if raw.endswith("%"):
                share = float(raw[:-1]) / 100
                if 0 <= share < 10:
                    return cls(share=share, fen=None)
            else:
                unit = raw.endswith(("元", "yuan"))
                yuan = float(raw.removesuffix("元").removesuffix("yuan").strip())
                if 0 < yuan < 1 and not unit:
                    raise UsageError("spot_tolerance_ambiguous", value=str(text), share=f"{yuan * 100:g}",
                                     yuan=f"{yuan:g}")
                if 0 <= yuan < 1e9:
                    return cls(share=None, fen=int(round(yuan * 100)))
        except ValueError:
            pass
        raise UsageError("spot_tolerance", value=str(text))

    def limit(self, recorded: pd.Series) -> pd.Series:
        """The largest difference in fen that still agrees, per recorded amount."""
        if self.share is not None:
            allowed = (recorded.astype("Float64").abs() * self.share).round().astype("Int64")
        else:
            allowed = pd.Series(self.fen, index=recorded.index, dtype="Int64")
        return allowed.clip(lower=SLACK_FEN)

    def words(self, lang) -> str:
        if self.share is not None:
            return label("spot_tolerance_share", lang, share=f"{self.share * 100:g}")
        key = "spot_tolerance_yuan_least" if self.fen < SLACK_FEN else "spot_tolerance_yuan"
        return label(key, lang, yuan=f"{self.fen / 100:g}")


@dataclass
class Backcheck:
    """Everything the comparison found, for the writers and the terminal."""

    source: Source
    facts: dict                      # the sample's, as the forms carry them ("seed": its sample.json's, found)
    rules: RulesInUse
    tolerance: Tolerance
    threshold: float
    alpha: float
    confidence: float
    households: pd.DataFrame         # one row per household drawn: design, recorded, verified, outcome
    comparisons: pd.DataFrame        # one row per household and field compared
    rates: pd.DataFrame              # estimate.error_rates
    outliers: pd.DataFrame           # per enumerator: both tests, adjusted jointly
    enumerator_from: str | None      # 'column', 'footer' or None
    recorded_from: str               # 'survey' or the source's kind
    surveys_missing: list[str] = field(default_factory=list)
    surveys_found_in: list[str] = field(default_factory=list)  # the folders below they were found in (a note)
    forms: list[str] = field(default_factory=list)
    notes: list[Phrase] = field(default_factory=list)
    # the villages drawn whose form did not come back: township, village, households (drawn there)
    compared: list[str] = field(default_factory=list)   # the fields compared (Recorded.compared)
    forms_missing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["township", "village",
                                                                                      "households"]))
    county: str = ""                 # the county's name: the survey's 县 column, or the register's
    # per stratum of the sampled villages (the forms' strata): township, village, stratum, stratum_size
    # and `reason` it is not in the rates ("" when it is: design.uncovered's words)
    coverage: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["township", "village", "stratum", "stratum_size", "reason"]))
    # report.wide_rates' tables, made once for the workbook, the page and the terminal that each show them
    wide: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def uncovered(self) -> pd.DataFrame:
        """design.uncovered of the strata the rates do not cover: none drawn, form not back, none verified."""
        return uncovered(self.coverage, self.coverage["reason"])

    def covered(self, stratum: str) -> tuple[int, int]:
        """(households of `stratum` the rates cover, households of it in the sampled villages)."""
        c = self.coverage[self.coverage["stratum"].eq(stratum)]
        size = c["stratum_size"].fillna(0).astype(int)
        return int(size[c["reason"].eq("")].sum()), int(size.sum())

    @property
    def enumerator_key(self) -> str:
        """Where the enumerators came from, as the catalogue words it: column, footer, none (the
        survey names none) or no_survey (the survey was not found or given)."""
        if self.enumerator_from:
            return self.enumerator_from
        return "none" if self.recorded_from == "survey" else "no_survey"

    @property
    def some_fields(self) -> bool:
        """Only some of the form's fields were compared (the survey not there: what the ledger or
        register holds), so the field error rate is of those fields only."""
        return self.recorded_from != "survey"

    def compared_words(self, lang) -> str:
        """'家庭人口、常住人口、…': the fields compared when the survey is not there."""
        return label("list_sep", lang).join(label(f"spot_fs_{name}", lang) for name in self.compared)

    @property
    def verified(self) -> int:
        return int(self.households["verified"].sum())

    @property
    def drawn(self) -> int:
        return int(len(self.households))

    def overall(self, rate: str):
        rows = self.rates[(self.rates["rate"] == rate) & (self.rates["level"] == "overall")]
        return rows.iloc[0] if len(rows) else None


# ---------------------------------------------------------------------------------------------
# The forms, checked together


# A page's problem of one of these kinds, alike on many pages (the same date, the same cell left
# blank, another village's pages pasted in), is said once: how many pages of how many forms, and where.
GROUPED = ("spot_date_before_sample", "spot_date_future", "spot_date_bad", "spot_value_missing",
           "spot_visit_missing", "spot_value_wrong", "spot_page_other_village")
# Of these, the page's own date is no part of the cause: dates a year early on every page are one
# problem, however many days the visits took (an outside try said each day apart: 369 lines).
PAGE_OWN = {"spot_date_before_sample": "date", "spot_date_future": "date"}
# A problem of a whole file, alike on many (a folder of last year's forms, of survey workbooks): the
# files are named under it once.
FILES_GROUPED = ("spot_not_a_form", "spot_form_identity_lost", "spot_other_sample", "spot_other_sample_extra")
GROUP_FROM = 4      # pages alike before they are said together
# A visited page with at most this many values, and fewer than it leaves blank, is said as partly
# filled (spot_page_partly_filled), not blank by blank.
PARTLY_FILLED = 3
PLACES_SHOWN = 60   # cells named under one cause
PLACE_LINES = 20    # lines of places in a whole refusal (a file and sheet a line); the rest counted
GROUP_LEAST = 3     # lines of places a cause shows, however many the causes before it took


def _cause(p: Problem) -> tuple:
    """What problems said together share: their kind and every parameter but the page (and the page's
    own date); a problem of no grouped kind is its own."""
    kind = p.what.key
    if kind not in GROUPED and kind not in FILES_GROUPED:
        return ("", id(p))
    params = {k: v for k, v in p.what.params.items() if k not in ("seq", PAGE_OWN.get(kind))}
    return (kind, repr(sorted(params.items(), key=lambda kv: kv[0])))


def _year_typed_before(alike: list[Problem]) -> Phrase | None:
    """The likely cause of pages dated before the sample, when there is one: every such date, its year
    one more, falls on or after the sample's day and not after today (the visit's year written as the
    year before, as 2025-12-08 for 2026-12-08)."""
    drawn = dt.date.fromisoformat(alike[0].what.params["drawn"])
    today = alike[0].what.params.get("today")
    today = dt.date.fromisoformat(today) if today else dt.date.today()
    days = [dt.date.fromisoformat(p.what.params["date"]) for p in alike]
    try:
        later = [d.replace(year=d.year + 1) for d in days]
    except ValueError:  # a 29 February: no such day a year on
        return None
    if not all(drawn <= d <= today for d in later):
        return None
    first = min(days)
    return Phrase("spot_date_year_before", year=first.year, drawn=drawn.isoformat(), date=first.isoformat(),
                  fixed=first.replace(year=first.year + 1).isoformat())


def _places(alike: list[Problem], lines: int | None) -> tuple[Lines, int]:
    """Each file and sheet on a line with its cells (and each page's date where the dates differ), the
    first `lines` of them and PLACES_SHOWN cells at most (None: every one); and how many pages are shown."""
    kind = alike[0].what.key
    dated = kind in PAGE_OWN and len({p.what.params[PAGE_OWN[kind]] for p in alike}) > 1
    by_sheet: dict[tuple, list] = {}
    shown = 0
    for p in alike:
        where = (p.file, p.sheet)
        if lines is not None and (shown >= PLACES_SHOWN or (where not in by_sheet and len(by_sheet) >= lines)):
            break
        by_sheet.setdefault(where, []).append(
            Phrase("spot_place_dated", cell=p.cell, date=p.what.params[PAGE_OWN[kind]]) if dated else p.cell)
        shown += 1
    places = Lines(Phrase("spot_place", file=file, sheet=sheet, cell=cells) if sheet else
                   Phrase("spot_place_file", file=file) for (file, sheet), cells in by_sheet.items())
    if shown < len(alike):
        rest = alike[shown:]
        places.append(Phrase("spot_places_more", count=len(rest), files=len({p.file for p in rest})))
    return places, shown


def grouped_lines(problems: list[Problem], lines: int | None = PLACE_LINES) -> list[Phrase]:
    """One line per problem, except that problems of a GROUPED kind with the same cause (everything
    but the page, and the page's own date) on GROUP_FROM pages or more are said once, in the order each
    cause first appears, and so are FILES_GROUPED problems alike on GROUP_FROM files or more. The places
    of all of them take `lines` lines at most (each cause a few at least; the rest counted); None:
    every place."""
    groups: dict[tuple, list[Problem]] = {}
    for p in problems:
        groups.setdefault(_cause(p), []).append(p)
    left = lines
    out: list[Phrase] = []
    for key, alike in groups.items():
        if len(alike) < GROUP_FROM or not key[0]:
            out += [p.phrase() for p in alike]
            continue
        first = alike[0]
        places, shown = _places(alike, None if left is None else max(left, GROUP_LEAST))
        if left is not None:
            left = max(left - len(places), 0)
        if first.what.key in FILES_GROUPED:
            out.append(Phrase("spot_files_alike", count=len(alike), what=first.what, places=places))
            continue
        own = PAGE_OWN.get(first.what.key)
        params = {k: v for k, v in first.what.params.items() if k not in ("seq", "today", own)}
        dates = sorted({p.what.params[own] for p in alike}) if own else []
        if len(dates) > 1:
            what = Phrase(f"{first.what.key}_alike_dates", first=dates[0], last=dates[-1], **params)
        else:
            what = Phrase(f"{first.what.key}_alike", **{k: v for k, v in first.what.params.items() if k != "seq"})
        cause = _year_typed_before(alike) if first.what.key == "spot_date_before_sample" else None
        out.append(Phrase("spot_problems_alike" if shown == len(alike) else "spot_problems_alike_more",
                          files=len({p.file for p in alike}), count=len(alike), what=what, shown=shown,
                          cause=Phrase("spot_cause_line", cause=cause) if cause else "", places=places))
    return out



DIFFERENCES_SHOWN = 6   # cells named where two versions of one form differ; the rest are counted


def _page_cells(form: FormRead) -> dict[int, object]:
    return {p.seq: p for p in form.pages}


def differing_cells(form: FormRead, other: FormRead) -> list[Phrase]:
    """Where two files of one form (the same document id) read differently: each page's cells as
    read (form fields, verifier, date, 情况说明) and what was written where nothing is read; [] when
    they read alike, whatever their bytes (a form opened and saved again)."""
    mine, theirs = _page_cells(form), _page_cells(other)
    out: list[Phrase] = []
    for seq in sorted(set(mine) | set(theirs)):
        a, b = mine.get(seq), theirs.get(seq)
        if a is None or b is None:
            out.append(Phrase("spot_twice_page_one", seq=seq, file=(other if a is None else form).name))
            continue
        for name, value in a.values.items():
            now, was = cell_text(value).strip(), cell_text(b.values.get(name)).strip()
            if now != was:
                out.append(Phrase("spot_twice_cell", seq=seq, field=Phrase(field_label(name)), sheet=a.sheet,
                                  cell=_cell(a.cells[name]), value=now or Phrase("spot_twice_blank"),
                                  other=was or Phrase("spot_twice_blank")))
    unread = lambda f: sorted(repr(sorted((k, str(v)) for k, v in n.params.items() if k != "file"))  # noqa: E731
                              for n in f.notes)
    if unread(form) != unread(other):
        out.append(Phrase("spot_twice_unread"))
    return out


def _page_values(page) -> dict[str, str]:
    return {name: cell_text(v).strip() for name, v in page.values.items()}


def _filled_pages(form: FormRead) -> dict[int, object]:
    """The pages of a form with anything written in them (a finding, a visit, a 情况说明), by seq."""
    return {p.seq: p for p in form.pages if any(_page_values(p).values())}


def _seq_ranges(seqs: list[int]) -> list[str]:
    """['1–8', '11'] of the pages 1, 2, … 8, 11 (a message joins them in its language); a run of two
    said as its two pages."""
    return [x for a, b in runs_of_rows(seqs)
            for x in ([f"{a}–{b}"] if b > a + 1 else [str(n) for n in range(a, b + 1)])]


def _every_problem(*found: Sequence[Problem]) -> list[Problem]:
    """The problems of every check, refused in one run (a clerk fixing a blank cell should not meet a bad
    amount on the next): a cell named by two checks (a blank cell the screen also finds missing) once,
    in the order of the forms and their pages."""
    seen: set[tuple] = set()
    out: list[Problem] = []
    # A page said as a whole (a value or two on a page otherwise blank) is not said again cell by cell.
    whole = {(p.file, p.what.params.get("seq")) for group in found for p in group
             if p.what.key == "spot_page_partly_filled"}
    for p in (p for group in found for p in group):
        where = (p.file, p.sheet, p.cell if isinstance(p.cell, str) else id(p.cell))
        if (p.cell and where in seen) or (p.what.key != "spot_page_partly_filled"
                                          and (p.file, p.what.params.get("seq")) in whole):
            continue
        seen.add(where)
        out.append(p)
    order = {f: n for n, f in enumerate(dict.fromkeys(p.file for p in out))}
    seq = lambda p: p.what.params.get("seq") if isinstance(p.what.params.get("seq"), int) else 0  # noqa: E731
    return sorted(out, key=lambda p: (order[p.file], seq(p)))


def _refuse(problems: list[Problem]) -> None:
    if problems:
        refused = InputError("spot_forms_refused", count=len(problems), files=len({p.file for p in problems}),
                             problems=Lines(grouped_lines(problems)))
        refused.every = Lines(grouped_lines(problems, None))  # each place, for backcheck --all-problems
        raise refused


def _check_across(forms: list[FormRead]) -> tuple[dict, list[FormRead], list[Phrase], list[Problem]]:
    """One sample, each form once: the sample's facts (those of the sample most forms belong to), the
    forms to compare (a copy byte for byte of one given before is read once, and said), what is
    said of the copies, and the problems of the forms (their own, and across them), refused by the
    caller together with those the other forms' pages have. A form of another sample is named against the others, not the other way
    round: one stray form among 24 is the one blamed, whatever its file name. Samples holding as
    many forms as each other name every form's sample, for nobody can tell which is this round's."""
    problems = [p for f in forms for p in f.problems]
    # Of two files of one form, the one named for its village is compared, the other said as its copy.
    readable = sorted((f for f in forms if f.sample is not None), key=lambda f: not _named_for_its_village(f))
    seen: dict[str, FormRead] = {}
    once: list[FormRead] = []
    copies: list[Phrase] = []
    originals: list[tuple[FormRead, FormRead]] = []   # (the printed original, its filled copy)
    for f in readable:
        ident = f.filled.identity
        if ident.doc_id in seen:
            other = seen[ident.doc_id]
            # two files of one name (a copy of the folder): their paths tell them apart
            alike = other.filled.path.name == f.filled.path.name
            name, other_name = (str(f.filled.path), str(other.filled.path)) if alike else (f.name, other.name)
            if f.filled.sha256 == other.filled.sha256:
                copies.append(Phrase("spot_note_copy", file=name, other=other_name))
                continue
            differ = differing_cells(f, other)
            if not differ:  # opened and saved again: other bytes, the same cells read
                copies.append(Phrase("spot_note_copy_same_values", file=name, other=other_name))
                continue
            mine, theirs = _filled_pages(f), _filled_pages(other)
            if not mine or not theirs:
                # The printed original beside its filled copy (the sample's folder given whole): passed over.
                originals.append((f, other) if not mine else (other, f))
                if not theirs:
                    seen[ident.doc_id] = f
                    once[[x is other for x in once].index(True)] = f
                continue
            both = sorted(set(mine) & set(theirs))
            clash = [s for s in both if _page_values(mine[s]) != _page_values(theirs[s])]
            if not clash:
                # Two inspectors sharing one village's form, each filling their own pages: one form of both.
                other.pages = sorted([*theirs.values(), *(p for s, p in mine.items() if s not in theirs),
                                      *(p for p in other.pages if p.seq not in mine and p.seq not in theirs)],
                                     key=lambda p: p.seq)
                other.notes += [n for n in f.notes if n not in other.notes]
                copies.append(Phrase("spot_note_combined", file=name, other=other_name,
                                     pages=_seq_ranges(sorted(set(mine) - set(theirs))),
                                     other_pages=_seq_ranges(sorted(theirs))))
                continue
            if set(mine) != set(theirs):  # pages of their own each, and some filled differently in both
                differ = [d for d in differ if d.params.get("seq") in clash]
                shown = differ[:DIFFERENCES_SHOWN]
                problems.append(Problem(name, Phrase("spot_given_twice_clash", other=other_name,
                                                     pages=_seq_ranges(clash), cells=shown, count=len(differ))))
            else:  # two versions: which one holds is the inspector's to say
                shown = differ[:DIFFERENCES_SHOWN]
                problems.append(Problem(name, Phrase(
                    "spot_given_twice_differ" if len(differ) <= len(shown) else "spot_given_twice_differ_more",
                    other=other_name, cells=shown, count=len(differ))))
            continue
        seen[ident.doc_id] = f
        once.append(f)
    # Said once for a folder of originals beside a folder of filled copies (the sample's folder given whole).
    folders = lambda pair: (str(pair[0].filled.path.parent), str(pair[1].filled.path.parent))  # noqa: E731
    for (blank_in, filled_in), pairs in pd.Series(originals, dtype=object).groupby(
            pd.Series([folders(pr) for pr in originals], dtype=object), sort=False) if originals else []:
        copies.append(Phrase("spot_note_blank_original", files=[b.filled.path.name for b, _ in pairs], folder=blank_in,
                             other=filled_in, count=len(pairs)))
    sample_of = [f.sample.facts.get("sample_id") for f in once]
    counts = pd.Series(sample_of, dtype=object).value_counts(sort=False) if once else pd.Series(dtype=int)
    facts = readable[0].sample.facts if readable else {}
    if len(counts) > 1:
        most = counts.max()
        leaders = [s for s in counts.index if counts[s] == most]
        if len(leaders) == 1:
            main = leaders[0]
            facts = once[sample_of.index(main)].sample.facts
            place = lambda f: (f.filled.identity.township, f.filled.identity.village)  # noqa: E731
            main_places = {place(f) for f, sample in zip(once, sample_of) if sample == main}
            strata = once[sample_of.index(main)].sample.strata
            drawn = strata[strata["sample_size"].fillna(0).astype(int) > 0]
            main_drawn = set(zip(drawn["township"], drawn["village"]))
            for f, sample in zip(once, sample_of):
                if sample == main:
                    continue
                # This village's form of the main sample is there too: the stray one is extra, to be
                # taken out, not one to be swapped for the right one. A village the main sample did not
                # draw (another county's form, handed in by mistake) has no form of it to swap in.
                said = dict(sample=sample, count=int(most), main=main)
                if place(f) in main_places:
                    what = Phrase("spot_other_sample_extra", **said)
                elif place(f) not in main_drawn:
                    what = Phrase("spot_other_sample_not_drawn", **said, township=f.filled.identity.township,
                                  village=f.filled.identity.village, drawn=drawn_words(f.sample.facts, f.sample.strata))
                else:
                    what = Phrase("spot_other_sample", **said)
                problems.append(Problem(f.name, what))
        else:
            names = pd.Series([f.filled.path.name for f in once]).duplicated(keep=False).tolist()
            for f, sample, alike in zip(once, sample_of, names):
                problems.append(Problem(str(f.filled.path) if alike else f.name,
                                        Phrase("spot_samples_tied", sample=sample, samples=len(counts),
                                               leaders=len(leaders), count=int(most))))
    # A form without its sample (unreadable, another kind) has a problem: only `once` is left.
    troubled = {p.file for p in problems}
    once = [f for f in once if f.name not in troubled and str(f.filled.path) not in troubled]
    if not once:
        _refuse(_every_problem(problems))
    return facts, once, copies, problems


def misnamed_forms(forms: list[FormRead], source: Source, facts: dict,
                   not_back: pd.DataFrame) -> tuple[list[Phrase], dict[str, str]]:
    """The forms whose file name is not the one the sample gave their village (their identity says which
    village they are: a form saved again under another village's name, or renamed): a note for each,
    naming both, and saying where the village whose name it carries has not handed its own form back;
    and {file name: the name the sample gave it} of those, for the outputs."""
    lang = facts.get("lang") or "zh"
    names = form_file_names(source.households, lang)
    # A form printed before names said their kind is named 乡镇-村.xlsx: its own name too.
    before = form_file_names(source.households, lang, with_kind=False)
    stem = lambda name: Path(name).stem.casefold()  # noqa: E731  (a form saved again as .xls is still it)
    village_of = {stem(name): place for named in (before, names) for place, name in named.items()}
    missing = set(zip(not_back["township"], not_back["village"]))
    notes: list[Phrase] = []
    own: dict[str, str] = {}
    for f in forms:
        if f.sample is None:
            continue
        ident = f.filled.identity
        expected = names.get((ident.township, ident.village))
        if expected is None:
            continue
        own_stems = (stem(expected), stem(before[(ident.township, ident.village)]))
        if stem(f.name) in own_stems:
            continue
        other = village_of.get(stem(f.name))
        # Its own name with words after it (合隆镇-东兴村-王国华, 合隆镇-东兴村(填好)): an inspector's mark,
        # not another village's name.
        if other is None and stem(f.name).startswith(own_stems):
            continue
        own[f.name] = expected
        notes.append(Phrase("spot_note_form_misnamed_missing" if other in missing else "spot_note_form_misnamed",
                            file=f.name, township=ident.township, village=ident.village, expected=expected,
                            other_township=other[0] if other else "", other_village=other[1] if other else ""))
    return notes, own


def _named_for_its_village(form: FormRead) -> bool:
    """The form's file is named for the village its identity names (乡镇-村-入户核查表 as sample names
    it, 乡镇-村 as it named forms before)."""
    ident = form.filled.identity
    place = f"{ident.township}-{ident.village}"
    kind = label("file_kind_spot_form", (form.sample.facts.get("lang") if form.sample else None) or "zh")
    return Path(form.name).stem.casefold() in (place.casefold(), f"{place}-{kind}".casefold())


def forms_not_back(strata: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """The villages drawn (a stratum with households drawn) with no form among those read: township,
    village and the households drawn there, in the strata's order."""
    drawn = (strata[strata["sample_size"].fillna(0).astype(int) > 0]
             .groupby(["township", "village"], sort=False)["sample_size"].sum().astype(int))
    back = pd.MultiIndex.from_frame(pages[["township", "village"]]) if len(pages) else pd.MultiIndex.from_tuples(
        [], names=["township", "village"])
    missing = drawn[~drawn.index.isin(back)]
    return missing.rename("households").reset_index()


def _sample_record(folder: Path, sample_id: str) -> Path | None:
    """`folder`'s sample.csv when its sample.json is of the sample `sample_id` and the CSV is the one
    it wrote (by its SHA-256); else None. Read as every run record is (inputs.own_record)."""
    own = own_record(folder, (SAMPLE_JSON,))
    record = own.record if own is not None else {}
    if record.get("sample_id") != sample_id:
        return None
    written = {o.get("file"): o.get("sha256") for o in record.get("outputs", []) if isinstance(o, dict)}
    csv = folder / SAMPLE_CSV
    try:
        return csv if csv.is_file() and written.get(SAMPLE_CSV) == file_sha256(csv) else None
    except OSError:
        return None


def find_sample_csv(sample_id: str, forms: Sequence[Path], source: Source, given: Path | None = None) -> Path | None:
    """The sample.csv `sample` wrote for the sample `sample_id` (its sample.json names the id, and the
    SHA-256 of the CSV): in `given` (the sample's folder, its sample.json or sample.csv: refused when
    it is of another sample), else in the forms' folder or the one above it (抽查/入户核查表/…), beside
    the source or the current folder, or in a folder directly inside those. None when not found."""
    if given is not None:
        folder = Path(given) if Path(given).is_dir() else Path(given).parent
        found = _sample_record(folder, sample_id)
        if found is None:
            raise InputError("spot_sample_other", path=str(given), sample=sample_id)
        return found
    places = [p for f in forms for p in (Path(f).resolve().parent, Path(f).resolve().parent.parent)]
    places += [source.path.resolve().parent, source.path.resolve().parent.parent, Path.cwd()]
    places = list(dict.fromkeys(places))
    for folder in [*places, *(inner for place in places for inner in _sample_folders(place))]:
        found = _sample_record(folder, sample_id)
        if found is not None:
            return found
    return None


def _sample_folders(place: Path) -> list[Path]:
    """The folders directly inside `place` holding a sample.json (none where it cannot be listed)."""
    try:
        return sorted(p for p in place.iterdir() if p.is_dir() and (p / SAMPLE_JSON).is_file())
    except OSError:
        return []


def drawn_households(path: Path, source: Source) -> pd.DataFrame:
    """sample.csv read back (either header set): key (the source's household key), seq, per household
    drawn."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    table = table.rename(columns=dict(zip(csv_headers(CSV_COLUMNS, "zh"), CSV_COLUMNS)))
    if source.kind == "register" and "household" in table.columns:
        key = table["household"].astype(str)
    else:
        key = ledger_key(table)
    seq = pd.to_numeric(table["seq"], errors="coerce").astype("Int64")
    return pd.DataFrame({"key": key.to_numpy(), "seq": seq.to_numpy()})


def name_not_back(design: pd.DataFrame, drawn: pd.DataFrame, source: Source) -> tuple[pd.DataFrame, pd.Series]:
    """The design's households with those of a village whose form did not come back (rows known by
    their stratum only, '~township~village~stratum~i') given their key from sample.csv (`drawn`), and
    their 核查序号 (indexed by key). Stratum by stratum, as the source puts each household in one."""
    unnamed = design.index.str.startswith("~")
    place = ["township", "village", "stratum"]
    d = drawn[drawn["key"].isin(source.households.index) & ~drawn["key"].isin(design.index[~unnamed])]
    if not unnamed.any() or d.empty:
        return design, pd.Series(dtype="Int64")
    where = source.households.reindex(d["key"])
    d = pd.DataFrame({"named": d["key"].to_numpy(), "seq": d["seq"].to_numpy(),
                      "township": where["township"].fillna("").astype(str).to_numpy(),
                      "village": where["village"].fillna("").astype(str).to_numpy(),
                      "stratum": stratum_of(where["status"]).to_numpy()})
    d["_i"] = d.groupby(place).cumcount()
    p = design.loc[unnamed, place].reset_index()
    p["_i"] = p.groupby(place).cumcount()
    m = p.merge(d, on=[*place, "_i"], how="inner")
    named = design.rename(index=dict(zip(m["key"], m["named"])))
    return named, pd.Series(m["seq"].to_numpy(), index=m["named"].to_numpy(), dtype="Int64")


def coverage(strata: pd.DataFrame, households: pd.DataFrame, forms_missing: pd.DataFrame) -> pd.DataFrame:
    """Each stratum with why the rates do not cover it: none drawn (n_h = 0, 'not_drawn'), its
    village's form not back ('not_back'), none of those drawn verified ('not_verified'); "" when
    covered. One account for every cause: a stratum with no household verified is not in the rates."""
    s = strata[["township", "village", "stratum", "stratum_size", "sample_size"]].reset_index(drop=True)
    place = pd.MultiIndex.from_frame(s[["township", "village"]])
    back = ~place.isin(pd.MultiIndex.from_frame(forms_missing[["township", "village"]])) if len(forms_missing) \
        else np.ones(len(s), dtype=bool)
    verified = households.groupby(["township", "village", "stratum"])["verified"].sum()
    seen = verified.reindex(pd.MultiIndex.from_frame(s[["township", "village", "stratum"]])).fillna(0).to_numpy()
    reason = np.select([s["sample_size"].fillna(0).astype(int).to_numpy() == 0, ~np.asarray(back), seen == 0],
                       ["not_drawn", "not_back", "not_verified"], "")
    return s.drop(columns="sample_size").assign(reason=reason)


def _same_draw(source: Source, strata: pd.DataFrame, pages: pd.DataFrame) -> bool:
    """Each returned form's pages are households of `source`, and put in their strata by it, as many
    per stratum as the sample drew there: the forms do not say a page's stratum (they are blind), the
    source does."""
    place = ["township", "village", "stratum"]
    drawn = strata.set_index(place)["sample_size"].fillna(0).astype(int)
    back = drawn[drawn.index.droplevel("stratum").isin(pd.MultiIndex.from_frame(pages[place[:2]]))]
    paged = pages.groupby(place).size()
    return bool(pages["key"].isin(source.households.index).all()
                and paged.reindex(back.index).fillna(0).astype(int).eq(back).all()
                and paged.index.isin(back.index).all())


def _same_strata(source: Source, strata: pd.DataFrame) -> bool:
    """The sample's strata are as large in `source`, village by village."""
    place = ["township", "village", "stratum"]
    households = source.households
    sizes = (pd.DataFrame({"township": households["township"], "village": households["village"],
                           "stratum": stratum_of(households["status"])}).groupby(place).size())
    expected = strata.set_index(place)["stratum_size"].astype(int)
    return bool(sizes.reindex(expected.index).fillna(-1).astype(int).eq(expected).all())


def _printed_alike(source: Source, forms: list[FormRead]) -> bool:
    """Every page's household in `source` prints as the page was printed (the hash of its identity
    cells each form keeps): the same households, not only the same rows. A page matches its own
    household as printed now or as forms printed before printed it (an ID Excel stored as a number
    half starred then, starred whole now): a form of either comes back."""
    for form in forms:
        ident = form.filled.identity
        rows = ident.rows
        if not rows["key"].isin(source.households.index).all():
            return False
        with_group = len(ident.headers) > len(identity_keys(False))
        households = source.households.loc[rows["key"].astype(str)]
        seqs = rows["seq"].astype(int).to_numpy()
        hashes = rows["hash"].astype(str).to_numpy(dtype=object)
        unlike = np.arange(len(rows))
        for as_before in (False, True):  # the pages not alike as printed now: as printed before?
            if not len(unlike):
                break
            cells = printed_pages(households.iloc[unlike], with_group, as_before=as_before)
            cells[SEQ] = seqs[unlike]
            printed = cells[identity_keys(with_group)].itertuples(index=False)
            # Each page against its own household's cells only; row_matches: earlier forms' hashes too.
            alike = np.fromiter(map(row_matches, printed, hashes[unlike]), dtype=bool, count=len(unlike))
            unlike = unlike[~alike]
        if len(unlike):
            return False
    return True


def _check_source(source: Source, facts: dict, forms: list[FormRead], pages: pd.DataFrame) -> list[Phrase]:
    """The source must be the one the sample was drawn from: the same file (by SHA-256), or — a
    ledger saved again — the same households in the same strata, village by village. Either way each
    returned form's pages must be of it, as many per stratum as drawn (_same_draw)."""
    strata = forms[0].sample.strata
    if facts.get("source_kind") != source.kind or (source.kind == "register"
                                                   and facts.get("register_id") != source.register_id):
        raise source_other(source, facts, strata, pages)
    # Another year's screen is no copy of the sample's, though it holds the same households in the same strata.
    if not _same_draw(source, strata, pages) or _year_differs(facts, source):
        raise source_other(source, facts, strata, pages)
    if facts.get("source_sha256") == source.sha256 or source.kind == "register":
        return []
    if not _same_strata(source, strata):
        raise source_other(source, facts, strata, pages)
    return [Phrase("spot_note_ledger_saved_again", file=source.path.name)]


def _year_differs(facts: dict, source: Source) -> bool:
    """Whether the sample's income year, where its forms say one, is not the source's."""
    year = facts.get("income_year")
    return year is not None and source.income_year is not None and int(year) != source.income_year


def source_other(source: Source, facts: dict, strata: pd.DataFrame, pages: pd.DataFrame) -> InputError:
    """The refusal of a source the forms were not drawn from, in what a clerk can see: the sample's source
    and date against the one given (decisions.csv is every screen's file name: naming it says nothing), the
    income year where it differs (next year's screen written into the same folder), else the households
    on the forms it lacks, or its strata's sizes; then what to give — the sample's register, or the ledger,
    or the register that screen was recorded in (_round_drawn_from finds the round)."""
    created = str(facts.get("created") or "")[:10] or "?"
    now = Phrase("spot_other_now_dated" if source.date else "spot_other_now", date=source.date,
                 households=len(source.households))
    if facts.get("source_kind") == "register":
        return InputError("spot_source_other", source=str(source.path),
                          differs=Phrase("spot_other_register", file=str(facts.get("source_file", "?")),
                                         round=facts.get("round", "?"), year=facts.get("income_year", "?"),
                                         created=created, name=source.name),
                          give=Phrase("spot_other_give_register", file=str(facts.get("source_file", "?")),
                                      round=facts.get("round", "?")))
    drawn = drawn_words(facts, strata)
    missing = int((~pages["key"].isin(source.households.index)).sum())
    if _year_differs(facts, source):
        differs = Phrase("spot_other_year", drawn=drawn, drawn_year=int(facts["income_year"]), created=created,
                         name=source.name,
                         now=now, now_year=source.income_year)
    elif missing:
        differs = Phrase("spot_other_missing", drawn=drawn, created=created, name=source.name, now=now, missing=missing)
    else:
        differs = Phrase("spot_other_strata", drawn=drawn, created=created, name=source.name, now=now)
    register = None
    if source.kind == "ledger":
        from .source import _run_record

        register = (_run_record(source.path).get("options") or {}).get("register")
    give = Phrase("spot_other_give_ledger_named", register=str(register)) if register else \
        Phrase("spot_other_give_ledger")
    return InputError("spot_source_other", source=str(source.path), differs=differs, give=give)


def _when(text) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return when if when.tzinfo else when.astimezone()


def _round_drawn_from(path: Path, facts: dict, forms: list[FormRead]) -> tuple[Source, pd.DataFrame, list[Phrase]]:
    """A sample drawn from a screen's ledger, given the register that screen was recorded in (its
    folder may be gone since): the register's round of that screen. A round is it where its survey
    files are those the sample recorded (a sample drawn before they were recorded: any), and the forms'
    pages, keyed by the ledger's file, sheet and row, are its households as printed, as many per stratum
    as drawn, the strata as large. Of rounds alike, the latest recorded before the sample was drawn.
    Refuses, naming what the sample was drawn from and the rounds the register holds, where none is."""
    rounds = register_rounds(path)
    wanted = facts.get("source_inputs")
    drawn_at = _when(facts.get("created"))
    strata = forms[0].sample.strata
    before = [drawn_at is None or (at is not None and at <= drawn_at) for at in map(_when, rounds["at"])]
    order = sorted(range(len(rounds)), key=lambda i: (before[i], int(rounds["id"].iloc[i])), reverse=True)
    for i in order:
        this = rounds.iloc[i]
        if wanted and sorted(wanted) != list(this["inputs"]):
            continue
        source = load_source(path, round_id=int(this["id"]), by_row=True)
        if not source.households.index.is_unique:
            continue
        pages = _pages_frame(forms, source)
        if _same_draw(source, strata, pages) and _same_strata(source, strata) and _printed_alike(source, forms):
            name = facts.get("source_name") or facts.get("source_file", "?")
            return source, pages, [Phrase("spot_note_register_round", register=path.name, round=int(this["id"]),
                                          year=int(this["year"]), date=str(this["round_date"]), ledger=name)]
    raise InputError("spot_register_no_round_drawn", source=str(path), drawn=drawn_words(facts, strata),
                     created=str(facts.get("created") or "")[:10] or "?", sample=str(facts.get("sample_id", "")),
                     rounds=rounds_words(rounds))


def drawn_words(facts: dict, strata: pd.DataFrame) -> Phrase:
    """What a sample was drawn from, as a clerk would find it again: the ledger's name, the screen's
    date and its households; from an older sample (which recorded neither), its villages' households."""
    name = facts.get("source_name") or facts.get("source_file", "?")
    households, date = facts.get("source_households"), facts.get("source_date")
    if households is not None:
        return Phrase("spot_drawn_screen_dated" if date else "spot_drawn_screen", name=name, date=date,
                      households=int(households))
    villages = strata[["township", "village"]].drop_duplicates()
    return Phrase("spot_drawn_villages", name=name, villages=len(villages),
                  households=int(strata["stratum_size"].fillna(0).astype(int).sum()))


def source_drawn_from(path: str | Path, facts: dict, forms: list[FormRead]) -> tuple[Source, pd.DataFrame,
                                                                                       list[Phrase]]:
    """The ledger or register round the forms were drawn from, their pages (in its strata), and the
    notes it calls for. A register's round is the one the sample names, or — drawn from a screen's
    ledger — the round of that screen (_round_drawn_from)."""
    if facts.get("source_kind") == "ledger" and is_register(path):
        return _round_drawn_from(Path(path), facts, forms)
    # A sample that set apart the candidates the procedure took off the list (facts' off_list) sets
    # apart those it had taken off when the sample was drawn: later decisions do not move a stratum.
    source = load_source(path, round_id=facts.get("round"), set_apart="off_list" in facts,
                         off_list_as_of=facts.get("created"))
    pages = _pages_frame(forms, source)
    return source, pages, _check_source(source, facts, forms, pages)


def _pages_frame(forms: list[FormRead], source: Source) -> pd.DataFrame:
    """The returned forms' pages, one row each, in the stratum the source puts the household in ("" for
    a key the source does not hold: _check_source refuses it), with its 情况说明 ("notes"), the kind of
    visit that failed it says ("why": visit_failed) and whether the visit failed ("failed")."""
    rows = []
    for f in forms:
        ident = f.filled.identity
        for p in f.pages:
            rows.append({"key": p.key, "township": ident.township, "village": ident.village, "file": p.file,
                         "sheet": p.sheet, "seq": p.seq, "visited": p.visited, "page": p})
    pages = pd.DataFrame(rows, columns=["key", "township", "village", "file", "sheet", "seq", "visited", "page"])
    # A page with none of the household's figures whose 情况说明 says the visit failed (未遇, 拒访, 查无此户,
    # 搬走): who went and when are kept, and it is no visit left half written.
    nothing_found = pages["page"].map(lambda p: not any(cell_text(p.values[n]) for n in form_fields())).astype(bool)
    pages["notes"] = pages["page"].map(lambda p: cell_text(p.values[NOTE_FIELD]).strip()).astype(object)
    pages["why"] = visit_failed(pages["notes"])
    pages["failed"] = nothing_found & pages["why"].ne("")
    pages["visited"] = pages["visited"].astype(bool) & ~pages["failed"]
    status = source.households["status"].reindex(pages["key"])
    stratum = stratum_of(status).where(status.notna().to_numpy(), "").to_numpy()
    pages.insert(3, "stratum", stratum)
    return pages


def _visit_problems(pages: pd.DataFrame, today: dt.date, drawn_on: dt.date | None) -> list[Problem]:
    """A visited page must have every field filled in (0 where there is none), its verifier and
    a date that is neither in the future nor before the sample was drawn."""
    problems = []
    asked = (*form_fields(), *VISIT_FIELDS)
    counts = {f.name for f in fields().field if f.kind == "integer"}
    went = pages[pages["visited"] | pages["failed"]]
    for p, visited in zip(went["page"], went["visited"]):
        if not visited:  # a visit that failed, its 情况说明 says why: its date, where written, is still checked
            _date_problems(p, today, drawn_on, problems)
            continue
        blank = [name for name in asked if not cell_text(p.values[name])]
        filled = [name for name in asked if name not in blank]
        note = cell_text(p.values[NOTE_FIELD]).strip()
        said = notes_pattern("not_found").search(note) is not None or (
            notes_pattern("absent").search(note) is not None and notes_pattern("revisited").search(note) is None)
        if said and len(filled) > PARTLY_FILLED:
            # Values found at the home beside a note that nobody was there, or that the household is
            # unknown: one of the two is wrong, and neither can be counted until the verifier says which.
            problems.append(Problem(p.file, Phrase("spot_page_contradicts", seq=p.seq, note=_quoted(note),
                                                   filled=len(filled)),
                                    p.sheet, _cell(p.cells[NOTE_FIELD])))
        if len(filled) < len(blank) and len(filled) <= PARTLY_FILLED:
            # A value or two on a page otherwise blank: a household not visited with a note in the wrong
            # box, or a visit half written. Said once, with both ways out, not as a dozen blanks.
            problems.append(Problem(p.file, Phrase("spot_page_partly_filled", seq=p.seq, filled=len(filled),
                                                   fields=[Phrase(field_label(n)) for n in filled],
                                                   blank=len(blank)), p.sheet, _cell(p.cells[filled[0]])))
            continue
        for name in blank:
            # "0 or 否 where there is none" is for the household's figures, not a count of people, the
            # verifier or the date.
            key = "spot_visit_missing" if name in VISIT_FIELDS or name in counts else "spot_value_missing"
            # A value struck through with no correction beside it (forms._struck_items): said as struck.
            what = Phrase("spot_value_struck", seq=p.seq, field=Phrase(field_label(name)), value=p.struck[name]) \
                if name in p.struck else Phrase(key, seq=p.seq, field=Phrase(field_label(name)))
            problems.append(Problem(p.file, what, p.sheet, _cell(p.cells[name])))
        _date_problems(p, today, drawn_on, problems)
    return problems


def _date_problems(p, today: dt.date, drawn_on: dt.date | None, problems: list[Problem]) -> None:
    """A page's 核查日期, where written, is a date neither in the future nor before the sample was drawn."""
    value = p.values["verify_date"]
    if cell_text(value):
        day = parse_date(value)
        where = _cell(p.cells["verify_date"])
        if day is None:
            problems.append(Problem(p.file, Phrase("spot_date_bad", seq=p.seq, value=cell_text(value),
                                                   **date_example(value, drawn_on or today, today)), p.sheet, where))
        elif day > today:
            problems.append(Problem(p.file, Phrase("spot_date_future", seq=p.seq, date=day.isoformat(),
                                                   today=today.isoformat()), p.sheet, where))
        elif drawn_on is not None and day < drawn_on:
            problems.append(Problem(p.file, Phrase("spot_date_before_sample", seq=p.seq, date=day.isoformat(),
                                                   drawn=drawn_on.isoformat(), today=today.isoformat()),
                                    p.sheet, where))


def page_verifiers(pages: pd.DataFrame) -> tuple[pd.Series, list[Problem]]:
    """Each visited page's 核查人 (by the pages' index), a ditto (同上, 同前, 同左, 〃: the words measures.toml
    [form] ditto reads) taken as the verifier of the page above it in the same sheet of the same file, the
    nearest above naming one; a ditto with none above is refused at its cell, not kept as a name."""
    from ..register.measures import says_ditto

    visited = pages[pages["visited"] | pages["failed"]]  # a visit that failed names who went too
    if visited.empty:
        return pd.Series(dtype=object), []
    page = visited["page"]
    typed = pd.Series([cell_text(p.values["verifier"]).strip() for p in page], index=visited.index, dtype=object)
    ditto = says_ditto(typed)
    # Above: the page's 核查人 cell higher in its sheet (pages moved keep their place on paper).
    order = pd.DataFrame({"file": visited["file"], "sheet": visited["sheet"],
                          "row": [p.cells["verifier"][0] for p in page],
                          "named": typed.mask(ditto | typed.eq(""))}).sort_values(["file", "sheet", "row"], kind="stable")
    above = order.groupby(["file", "sheet"], sort=False)["named"].ffill().reindex(visited.index)
    verifier = typed.mask(ditto, above)
    problems = [Problem(p.file, Phrase("spot_verifier_ditto", seq=p.seq, value=typed[i]), p.sheet,
                        _cell(p.cells["verifier"])) for i, p in page[ditto & above.isna()].items()]
    return verifier, problems


def _quoted(text: str, most: int = 24) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _cell(at: tuple[int, int]) -> str:
    from ..register.documents import cell_name

    return cell_name(*at)


# ---------------------------------------------------------------------------------------------
# Screening the verified values through the pipeline


def verified_cells(pages: pd.DataFrame, source: Source) -> tuple[pd.DataFrame, list]:
    """The cells frame of the visited pages, as read.py would give it for a survey sheet holding
    the identity columns (from the source: the full ID) and the form's fields; every other field
    absent (NA), as a sheet without that column; and the households' keys, row for row. (Not kept in
    the frame's attrs: pandas deep-copies those at every operation, a third of a backcheck's time.)"""
    visited = pages[pages["visited"]]
    ids = source.households.reindex(visited["key"])
    n = len(visited)
    cells = pd.DataFrame({"source_file": visited["file"].to_numpy(), "sheet": visited["sheet"].to_numpy(),
                          "row": visited["seq"].to_numpy(dtype=np.int64)})
    cells["sheet_key"] = cells["source_file"] + "\x1f" + cells["sheet"]
    from_source = {"township": "township", "village": "village", "group": "group", "household_id": "household_id",
                   "head_name": "head_name", "head_id": "head_id"}
    on_form = set(form_fields())
    for spec in fields().field:
        if spec.name in from_source:
            values = ids[from_source[spec.name]].astype(object).where(ids[from_source[spec.name]].notna(), "")
            cells[spec.name] = pd.array([cell_text(v) for v in values], dtype=TEXT)
        elif spec.name in FLAG_FIELDS:
            cells[spec.name] = pd.array(_yes_no([cell_text(p.values[spec.name]) for p in visited["page"]]), dtype=TEXT)
        elif spec.name in on_form:
            cells[spec.name] = pd.array([cell_text(p.values[spec.name]) for p in visited["page"]], dtype=TEXT)
        else:
            cells[spec.name] = pd.array([pd.NA] * n, dtype=TEXT)
    cells.index = pd.RangeIndex(n)
    return cells, visited["key"].tolist()


def _yes_no(typed: list[str]) -> list[str]:
    """是/否 cells as the register reads a yes/no answer: the punctuation closing a word folded away (否。,
    as `register record` reads 同意。) and the answer words of the catalogue's roster answers (没有, 非, 不是:
    the words a department's 是/否 column holds), each written as 是 or 否; any other word as typed, for
    the survey's own reading (是(低保)) or its refusal."""
    answers = rosters_catalogue().answers
    yes, no = answers.keys(answers.yes), answers.keys(answers.no)
    words = {}
    for text in dict.fromkeys(typed):
        key = answer_key(folded_words(text))
        words[text] = "是" if key in yes else "否" if key in no else text
    return [words[t] for t in typed]


def off_form_fields() -> set[str]:
    """The survey's fields a verified page does not hold (its identity, copied from the source, and
    every field not on the form): an error on one of them is the ledger's, not what the visit found."""
    return {spec.name for spec in fields().field} - set(form_fields())


def screen_cells(cells: pd.DataFrame, rules: RulesInUse, as_of: dt.date,
                 roster_excluded: pd.Series | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pipeline's stages over a cells frame: (households with status, the issues' codes). The
    verified status is decided on what the visit found: an error on a field the form does not hold
    (an ID with a wrong check digit, copied from the ledger for the identity) does not make it
    数据有误 again, or a household recorded 数据有误 and found in the band would never be a 漏评.
    `roster_excluded` (row for row with the cells: dibao, tekun, registered_poor or NA) applies the
    exclusions an authoritative roster applied at the screen, as classify applied them then: a roster
    decides whatever the household says, at the screen and at the visit alike."""
    loaded = rules.loaded
    log = IssueLog(cells)
    households = normalise(cells, log, loaded.rules)
    households = compute(households, loaded.rules)
    bounds = loaded.bounds(rules.year)
    check_households(households, log, loaded.rules, as_of, bounds)
    issues = log.codes()
    ledgers = issues["severity"].eq("error") & issues["field"].isin(off_form_fields())
    authoritative = None
    if roster_excluded is not None and roster_excluded.notna().any():
        authoritative = {e: roster_excluded.eq(e).fillna(False).to_numpy(dtype=bool)
                         for e in pd.unique(roster_excluded.dropna())}
    households = classify(households, issues[~ledgers].reset_index(drop=True), loaded.rules, bounds, authoritative)
    return households, issues


# Warnings that, on a verifier's own entry made at the household, are a slip of the pen rather than
# the household's state (a per-capita income above the ceiling no rural household has; an amount in
# 万元): refused as the errors are, since each would decide the verified status. A net income of 0 or
# less (a failed harvest) is a state, and stays a warning; so are more residents than registered
# members (a daughter-in-law whose hukou never moved), said as a note (residents_exceed_members).
SLIP_WARNINGS = ("per_capita_implausible", "amount_unit_suspect")
# 家庭人口数 0 or less beside the residents (the screen's residents_exceed_members on the members' cell,
# checks.check_counts): no household has no members, and the screen names that cell to correct. On the
# verifier's form it is a slip as well, refused, not reported as the household's state (常住 1 人,家庭人口 0 人).
MEMBERS_SLIP = ("residents_exceed_members", "members")


def residents_exceed_members(pages: pd.DataFrame, issues: pd.DataFrame, screened: pd.DataFrame) -> Phrase | None:
    """The note naming every verified page with more residents than members (the screen's warning):
    decided with the residents as the verifier found them, and worth a look at the meeting."""
    on = issues.loc[issues["code"].eq("residents_exceed_members"), "hh"].drop_duplicates().to_numpy(dtype=np.int64)
    if not len(on):
        return None
    visited = pages[pages["visited"]].reset_index(drop=True)
    found = [Phrase("spot_residents_page", form=p.file, seq=p.seq, residents=int(r), members=int(m))
             for p, r, m in zip(visited.loc[on, "page"], screened["residents"].to_numpy()[on],
                                screened["members"].to_numpy()[on])]
    return Phrase("spot_note_residents_exceed_members", count=len(found), pages=found)


def units_confirmed(issues: pd.DataFrame, screened: pd.DataFrame, recorded: Recorded, keys: pd.Index,
                    rule_set) -> np.ndarray:
    """Per issue, an amount_unit_suspect whose amount the survey recorded the same (within SLACK_FEN of
    rounding) for that household: the blind form never shows the recorded figure, so the visit found
    it again, and a 万元 slip it is not (an outside try's 家庭经营费用支出 of 7 beside a business income
    of 8,994: recorded 7, found 7, and the whole backcheck was refused for it). Where only the register
    is there (no components), the total the amount is part of, found as recorded: 7 meant as 7万 would
    put the total 70,000 off. A figure the survey did not record so (0.5 where 8,000 was) stays a
    slip: counted as written it would decide the status."""
    unit = issues["code"].eq("amount_unit_suspect").to_numpy(dtype=bool)
    at = issues["hh"].to_numpy(dtype=np.int64)
    confirmed = np.zeros(len(issues), dtype=bool)
    for name in pd.unique(issues.loc[unit, "field"]):
        compared = name if name in recorded.values.columns else next(
            (s.total for s in (rule_set.income, rule_set.expenses)
             if name in s.components and s.total in recorded.values.columns), None)
        if compared is None:
            continue
        column = f"{compared}_fen" if compared in money_fields() else f"{compared}_used_fen"
        found = screened[column].astype("Int64").reset_index(drop=True)
        was = recorded.values[compared].reindex(keys).astype("Int64").reset_index(drop=True)
        same = (found - was).abs().le(SLACK_FEN).fillna(False).to_numpy(dtype=bool)
        these = unit & issues["field"].eq(name).to_numpy(dtype=bool)
        confirmed[these] = same[at[these]]
    return confirmed


def units_confirmed_note(pages: pd.DataFrame, issues: pd.DataFrame, screened: pd.DataFrame,
                         confirmed: np.ndarray, recorded: Recorded) -> Phrase | None:
    """The note naming every amount of units_confirmed by the total it is part of (the ledger or register
    alone: the amount itself was not recorded), compared as written, worth a look all the same. An amount found
    as the survey recorded it is no suspect, and not said: the screen said it of the survey already (an
    outside try's 17 amounts of 1–9 yuan, each as recorded, were listed on every run)."""
    itself = issues["field"].isin(recorded.values.columns).to_numpy(dtype=bool)
    on = issues[confirmed & ~itself].drop_duplicates(["hh", "field"])
    if not len(on):
        return None
    visited = pages[pages["visited"]].reset_index(drop=True)
    found = []
    for hh, name in zip(on["hh"].to_numpy(dtype=np.int64), on["field"]):
        column = f"{name}_fen" if name in money_fields() else f"{name}_used_fen"
        p = visited.loc[int(hh), "page"]
        found.append(Phrase("spot_unit_confirmed_page", form=p.file, seq=p.seq, field=Phrase(field_label(name)),
                            value=fen_text(screened[column].iloc[int(hh)])))
    return Phrase("spot_note_units_confirmed", count=len(found), pages=found)


def _largest_amount(page) -> str:
    """The money cell of a page holding the largest amount: where an implausible per-capita comes from."""
    names = money_fields()
    fen, _ = parse_money(pd.Series([cell_text(page.values.get(name)) for name in names], dtype=object))
    return names[int(fen.fillna(-1).astype("int64").to_numpy().argmax())]


def _value_problems(pages: pd.DataFrame, issues: pd.DataFrame, screened: pd.DataFrame,
                    recorded_per_capita: np.ndarray | None = None, ceiling_fen: int | None = None,
                    unit_confirmed: np.ndarray | None = None) -> list[Problem]:
    """Error-level issues on the form's own cells (not a number, a fraction of a person, a word that
    is not 是/否, a negative amount, no residents), the warnings of SLIP_WARNINGS and a 家庭人口数 of 0 or
    less (MEMBERS_SLIP): the verifier's entry, to be put right. A per-capita's warning is put on the page's largest amount. A per-capita
    above the ceiling where the survey recorded one above it too (`recorded_per_capita`, fen, by
    verified household) is the household's state, confirmed at the visit, not a slip: an outside try's
    county of 100,000 had three such households, and the whole backcheck was refused for them. Nor is an
    amount in 万元 that the survey recorded the same (`unit_confirmed`, per issue: units_confirmed)."""
    on_form = set(form_fields())
    visited = pages[pages["visited"]].reset_index(drop=True)
    at = issues["hh"].to_numpy(dtype=np.int64)
    net = screened["net_income_fen"].fillna(0).to_numpy()[at]
    confirmed = np.zeros(len(issues), dtype=bool)
    if recorded_per_capita is not None and ceiling_fen is not None:
        confirmed = np.nan_to_num(np.asarray(recorded_per_capita, dtype=float)[at], nan=-1.0) >= ceiling_fen
    slip = issues["code"].isin(SLIP_WARNINGS) & ~(issues["code"].eq("per_capita_implausible") & ((net <= 0) | confirmed))
    if unit_confirmed is not None:
        slip &= ~unit_confirmed
    no_members = issues["code"].eq(MEMBERS_SLIP[0]) & issues["field"].eq(MEMBERS_SLIP[1])
    slip |= no_members
    wrong = issues[((issues["severity"] == "error") & issues["field"].isin(on_form)) | slip] \
        .drop_duplicates(["hh", "field", "code"])
    problems = []
    for hh, name, code in zip(wrong["hh"], wrong["field"], wrong["code"]):
        p = visited.loc[int(hh), "page"]
        if name not in on_form:
            name = _largest_amount(p)
        what = Phrase("spot_members_not_positive" if (code, name) == MEMBERS_SLIP else f"check_{code}")
        problems.append(Problem(p.file, Phrase("spot_value_wrong", seq=p.seq, field=Phrase(field_label(name)),
                                               value=cell_text(p.values[name]), what=what),
                                p.sheet, _cell(p.cells[name])))
    return problems


# ---------------------------------------------------------------------------------------------
# What the screen recorded


_FOOTER_NAME = re.compile(r"填表人\s*[::]?\s*([^\s::,,;;]+)")


def footer_enumerators(result) -> dict[tuple[str, str], str]:
    """The name on each sheet's 填表人 footer line, by (file, sheet): read from the footer rows the
    reader set aside. Workbooks only (a CSV has no sheet to sign)."""
    import python_calamine as calamine

    found: dict[tuple[str, str], str] = {}
    for record in result.inputs:
        footers = {s.name: [r for r, why in s.skipped_rows if why == "footer"] for s in record.sheets}
        if not any(footers.values()) or record.kind in ("csv", "txt", "tsv"):
            continue
        try:
            book = calamine.CalamineWorkbook.from_path(str(record.path))
        except Exception:  # read once already: a file that went away meanwhile has no footer to give
            continue
        for sheet, rows in footers.items():
            if not rows:
                continue
            cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for r in rows:
                text = " ".join(cell_text(v) for v in (cells[r - 1] if r - 1 < len(cells) else []) if cell_text(v))
                m = _FOOTER_NAME.search(text)
                if m:
                    found[(record.name, sheet)] = m.group(1)
                    break
    return found


@dataclass
class Recorded:
    """The recorded values of the households drawn (indexed by key), where they came from, and who
    surveyed each household."""

    values: pd.DataFrame
    compared: list[str]
    source: str
    enumerator: pd.Series
    enumerator_from: str | None
    missing: list[str]
    county: str = ""                 # the survey's 县(市、区), where it names one only
    # per field compared, the recorded cell as typed where it is no value (见备注 for an amount): a
    # field the visit found a value for differs from it; NA where the value was read or the cell blank
    unread: pd.DataFrame | None = None
    # the survey files found by looking in the folders below the register's (or ledger's), the one above
    # it and the current one (find_surveys): the outputs say where, for a same-named file is in each year's
    found_below: list[Path] = field(default_factory=list)


def recorded_values(source: Source, keys: pd.Index, rules: RulesInUse,
                    surveys: list[Path] | None = None) -> Recorded:
    """The recorded value of every form field for the households `keys`: from the screen's survey
    files, screened again with the same rule set, when they are found; else what the source keeps."""
    base = source.households.reindex(keys)
    paths, missing, found_below = find_surveys(source, surveys)
    enumerator = base["enumerator"]
    enumerator_from = "column" if base["enumerator"].notna().any() or source.has_enumerator else None
    if paths is None:
        values = pd.DataFrame({"members": base["members"], "residents": base["residents"],
                               "total_income": base["income_fen"], "production_expenses": base["expenses_fen"]},
                              index=keys)
        compared = [c for c in ("members", "residents") if values[c].notna().any()]
        compared += ["total_income", "production_expenses"]
        return Recorded(values, compared, source.kind, enumerator, enumerator_from, missing)
    from ..pipeline import screen

    result = screen(paths, rules.loaded, year=rules.year, include_hidden=source.include_hidden)
    h = result.households
    by_key = pd.Index(ledger_key(h.assign(row=h["row"].astype(str))))
    where = by_key.get_indexer(base["source_file"].astype(str) + ":" + base["sheet"].fillna("").astype(str) + ":"
                               + base["row"].astype(str))
    take = lambda c: pd.Series(h[c].to_numpy()[np.maximum(where, 0)], index=keys).where(where >= 0)  # noqa: E731
    values = pd.DataFrame(index=keys)
    for name in COUNT_FIELDS:
        values[name] = take(name).astype("Int64")
    for name in money_fields():
        values[name] = take(f"{name}_fen").astype("Int64")
    for name in FLAG_FIELDS:
        values[name] = take(name).astype("boolean")
    values["total_income"] = take("total_income_used_fen").astype("Int64")
    values["production_expenses"] = take("production_expenses_used_fen").astype("Int64")
    compared = [*COUNT_FIELDS, *money_fields(), *FLAG_FIELDS]
    unread = pd.DataFrame(index=keys)
    for name in compared:
        if name in result.cells.columns:  # the cells as typed, row for row with the households
            text = pd.Series(result.cells[name].to_numpy(dtype=object)[np.maximum(where, 0)], index=keys)
            text = text.where(where >= 0).map(cell_text).str.strip()
            unread[name] = text.where(values[name].isna() & text.fillna("").ne(""))
    if enumerator_from is None and "enumerator" in h.columns and h["enumerator"].fillna("").ne("").any():
        named = take("enumerator")
        enumerator = named.where(named.fillna("").ne(""))
        enumerator_from = "column"
    elif enumerator_from is None:
        names = footer_enumerators(result)
        if names:
            enumerator = pd.Series([names.get((f, s)) for f, s in zip(base["source_file"], base["sheet"].fillna(""))],
                                   index=keys, dtype=object)
            enumerator_from = "footer"
    from ..result import county_name

    return Recorded(values, compared, "survey", enumerator, enumerator_from, [], county_name(h) or "", unread,
                    found_below)


# ---------------------------------------------------------------------------------------------
# The comparison


def compare(recorded: Recorded, verified: pd.DataFrame, tolerance: Tolerance) -> pd.DataFrame:
    """One row per household (of `verified`, indexed by key) and field compared: key, field,
    recorded, verified, difference (fen or persons; NA for a yes/no), differs. A recorded cell that
    holds no value (见备注, 不详) where the visit found one is compared too, and differs: recorded is
    its text, the difference NA."""
    parts = []
    unread = recorded.unread if recorded.unread is not None else pd.DataFrame(index=recorded.values.index)
    for name in recorded.compared:
        if name in money_fields() or name in ("total_income", "production_expenses"):
            column = f"{name}_fen" if name in money_fields() else f"{name}_used_fen"
            kind = "money"
        elif name in FLAG_FIELDS:
            column, kind = name, "flag"
        else:
            column, kind = name, "count"
        was = recorded.values[name].reindex(verified.index)
        now = verified[column]
        typed = (unread[name] if name in unread.columns else pd.Series(pd.NA, index=unread.index, dtype=object)) \
            .reindex(verified.index)
        text = was.isna() & typed.notna() & now.notna()
        if text.any():
            parts.append(pd.DataFrame({"key": typed.index[text], "field": name, "kind": kind,
                                       "recorded": typed[text].astype(object).to_numpy(),
                                       "verified": now[text].astype(object).to_numpy(),
                                       "difference": pd.array([pd.NA] * int(text.sum()), dtype="Int64"),
                                       "differs": True}))
        both = was.notna() & now.notna()
        if not both.any():
            continue
        was, now = was[both], now[both]
        if kind == "flag":
            diff = pd.Series(pd.NA, index=was.index, dtype="Int64")
            differs = was.astype(bool) != now.astype(bool)
        else:
            diff = (now.astype("Int64") - was.astype("Int64"))
            differs = diff.abs() > tolerance.limit(was) if kind == "money" else diff.ne(0)
        parts.append(pd.DataFrame({"key": was.index, "field": name, "kind": kind,
                                   "recorded": was.astype(object).to_numpy(), "verified": now.astype(object).to_numpy(),
                                   "difference": diff.to_numpy(), "differs": differs.to_numpy(dtype=bool)}))
    if not parts:
        return pd.DataFrame(columns=["key", "field", "kind", "recorded", "verified", "difference", "differs"])
    return pd.concat(parts, ignore_index=True)


WAN = 10_000  # yuan in a 万元


def wan_entries(recorded: Recorded, verified: pd.DataFrame, pages: pd.DataFrame, tolerance: Tolerance) -> list[Problem]:
    """Amounts the verifier wrote in 万元: a verified amount that, times 10,000, agrees with the recorded one
    (within the tolerance) while it does not agree as it stands (0.56 where 5,593 was recorded). Counted as
    written it would be a difference, and a wrong status, that the visit never found: refused, named by its
    cell, for the verifier to say what was meant (the screen's own 万元 check sees a page alone and misses
    one small amount among others)."""
    page_of = pages.set_index("key")["page"]
    problems = []
    for name in recorded.compared:
        if name in money_fields():
            column = f"{name}_fen"
        elif name in TOTALS:
            column = f"{name}_used_fen"
        else:
            continue
        was = recorded.values[name].reindex(verified.index).astype("Int64")
        now = verified[column].astype("Int64")
        limit = tolerance.limit(was)
        wan = now.gt(0) & was.gt(0) & (now * WAN - was).abs().le(limit) & (now - was).abs().gt(limit)
        for key in wan[wan.fillna(False)].index:
            page = page_of[key]
            field_ = name if name in money_fields() else _largest_amount(page)  # a total: the cell it came from
            typed = cell_text(page.values[field_])
            fen, _ = parse_money(pd.Series([typed], dtype=object))
            yuan = "" if pd.isna(fen.iloc[0]) else f"{int(fen.iloc[0]) * WAN / 100:.0f}"
            problems.append(Problem(page.file, Phrase("spot_value_wan", seq=page.seq, field=Phrase(field_label(field_)),
                                                      value=typed, yuan=yuan), page.sheet, _cell(page.cells[field_])))
    return problems


def _outliers(frame: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Both tests per enumerator (wrong status; any field differing), Holm-adjusted together."""
    named = frame[frame["enumerator"].notna()]
    status = enumerator_outliers(named, outcome=OUTCOME_COLUMNS, alpha=alpha)
    fields_ = enumerator_outliers(named, outcome="fields_differing", alpha=alpha)
    table = status.rename(columns={c: f"status_{c}" for c in status.columns if c != "enumerator"}).merge(
        fields_.rename(columns={c: f"fields_{c}" for c in fields_.columns if c != "enumerator"}),
        on="enumerator", how="outer")
    p = np.concatenate([table["status_p_value"].to_numpy(dtype=float), table["fields_p_value"].to_numpy(dtype=float)])
    tested = ~np.isnan(p)
    adjusted = np.full(len(p), np.nan)
    if tested.any():
        adjusted[tested] = holm_adjust(p[tested])
    m = len(table)
    table["status_adjusted_p_value"] = adjusted[:m]
    table["fields_adjusted_p_value"] = adjusted[m:]
    table["status_flagged"] = (table["status_adjusted_p_value"] <= alpha).to_numpy(dtype=bool)
    table["fields_flagged"] = (table["fields_adjusted_p_value"] <= alpha).to_numpy(dtype=bool)
    table["flagged"] = table["status_flagged"] | table["fields_flagged"]
    best = np.fmin(table["status_adjusted_p_value"].to_numpy(dtype=float),
                   table["fields_adjusted_p_value"].to_numpy(dtype=float))
    table = table.assign(_best=best, _name=table["enumerator"].astype(str))
    table = table.sort_values(["_best", "_name"], na_position="last", kind="stable")
    return table.drop(columns=["_best", "_name"]).reset_index(drop=True)


def assess(source: Source, facts: dict, strata: pd.DataFrame, pages: pd.DataFrame, rules: RulesInUse, *,
           tolerance: Tolerance = Tolerance(), threshold: float = 0.02, alpha: float = 0.05,
           confidence: float = 0.95, surveys: list[Path] | None = None, today: dt.date | None = None,
           recorded: Recorded | None = None, drawn: pd.DataFrame | None = None,
           pending: Sequence[Problem] = (), verifiers: pd.Series | None = None) -> Backcheck:
    """The comparison from pages already read and checked (`pages`: forms' pages with key, township,
    village, stratum, visited and the PageRead): screening, recorded values, outcomes, rates and
    outliers. Refuses the verifier's entries the pipeline cannot read (with their cells). `drawn`
    (sample.csv's households, drawn_households) names those of a village whose form did not come back.
    `pending`: the problems found before (a blank cell, a bad date), refused together with these.
    `verifiers`: each visited page's 核查人 as page_verifiers reads it, where the caller has it already."""
    today = today or dt.date.today()
    design = design_households(strata, pages)
    seq_not_back = pd.Series(dtype="Int64")
    if drawn is not None:
        design, seq_not_back = name_not_back(design, drawn, source)
    cells, keys = verified_cells(pages, source)
    by_roster = None if source.roster_exclusions is None else \
        source.roster_exclusions.reindex(keys).reset_index(drop=True)
    screened, issues = screen_cells(cells, rules, today, by_roster)
    recorded_per_capita = source.households["per_capita_fen"].reindex(keys) \
        .astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    recorded = recorded or recorded_values(source, design.index, rules, surveys)
    confirmed = units_confirmed(issues, screened, recorded, pd.Index(keys), rules.loaded.rules)
    wrong = _value_problems(pages, issues, screened, recorded_per_capita,
                            int(rules.loaded.rules.checks.per_capita_ceiling * 100), confirmed)
    more_residents = residents_exceed_members(pages, issues, screened)
    small_confirmed = units_confirmed_note(pages, issues, screened, confirmed, recorded)
    screened.index = pd.Index(keys, name="key")
    _refuse(_every_problem(pending, wrong, wan_entries(recorded, screened, pages, tolerance)))
    comparisons = compare(recorded, screened, tolerance)

    out = design.copy()
    base = source.households.reindex(out.index)
    for c in ("household_id", "head_name", "head_id", "status", "per_capita_fen", "source_file", "sheet", "row"):
        out[c] = base[c]
    out = out.rename(columns={"status": "recorded_status", "per_capita_fen": "recorded_per_capita_fen"})
    where = pages.set_index("key")
    out["form"] = where["file"].reindex(out.index)
    out["seq"] = where["seq"].reindex(out.index).astype("Int64").fillna(seq_not_back.reindex(out.index))
    out["verified"] = pd.Series(True, index=screened.index).reindex(out.index).fillna(False).astype(bool)
    out["verified_status"] = screened["status"].reindex(out.index)
    out["verified_per_capita_fen"] = screened["per_capita_fen"].reindex(out.index).astype("Int64")
    # 同上 read as the verifier above it (page_verifiers)
    verifiers = page_verifiers(pages)[0] if verifiers is None else verifiers
    went = out["verified"] | where["failed"].reindex(out.index).fillna(False).astype(bool)  # keeps who went and when
    out["verifier"] = pd.Series(verifiers.to_numpy(), index=pages.loc[verifiers.index, "key"].to_numpy()) \
        .reindex(out.index).where(went)
    out["notes"] = where["notes"].reindex(out.index).fillna("")
    # Why a household was not verified, as its 情况说明 says (visit_failed, _pages_frame): each counted apart.
    why = where["why"].reindex(out.index).fillna("").where(~out["verified"], "")
    for kind in FAILED_VISITS:
        out[kind] = why.eq(kind)
    out["head_died"] = out["verified"] & head_died(out["notes"])
    # A listed household that does not exist cannot be a candidate: 错评 in every rate and for its
    # enumerator (fabrication is what the check is for, §5). One not listed was not wrongly left out.
    phantom = out["not_found"] & out["stratum"].eq(LISTED)
    out["counted_wrongly_listed"] = phantom
    out["adjusted_weight"] = adjusted_weights(out, out["verified"] | phantom)  # what the status rates use
    dates = pd.Series([parse_date(p.values["verify_date"]) for p in where["page"]], index=where.index)
    out["verify_date"] = dates.reindex(out.index).where(went)
    out["enumerator"] = recorded.enumerator.reindex(out.index)
    counts = comparisons.groupby("key")["differs"].agg(["size", "sum"]) if len(comparisons) else None
    compared = counts["size"].reindex(out.index) if counts is not None else pd.Series(np.nan, index=out.index)
    differing = counts["sum"].reindex(out.index) if counts is not None else pd.Series(np.nan, index=out.index)
    out["fields_compared"] = compared.where(out["verified"]).fillna(0).where(out["verified"]).astype("Int64")
    out["fields_differing"] = differing.where(out["verified"]).fillna(0).where(out["verified"]).astype("Int64")
    out["within_tolerance"] = crossed_within_tolerance(out)
    listed = out["stratum"].eq(LISTED)
    candidate = out["verified_status"].eq("candidate")
    counted = ~out["within_tolerance"]
    out["wrongly_listed"] = ((listed & ~candidate & counted) | phantom).astype("boolean").where(
        (out["verified"] & listed) | phantom)
    out["wrongly_unlisted"] = (~listed & candidate & counted).astype("boolean").where(out["verified"] & ~listed)
    out["wrong_other_status"] = wrong_other_status(out)
    differ_names = (comparisons[comparisons["differs"]].groupby("key")["field"].agg(list)
                    if len(comparisons) else pd.Series(dtype=object))
    out["fields_differing_names"] = differ_names.reindex(out.index)
    rates = error_rates(out, threshold=threshold, confidence=confidence)
    missing = forms_not_back(strata, pages)
    outliers = _outliers(out, alpha) if recorded.enumerator_from else pd.DataFrame()
    notes = []
    if rules.agreement == "other":
        notes.append(Phrase("spot_note_rules_other", rules=rules.loaded.rules.id))
    elif rules.agreement == "unrecorded":
        notes.append(Phrase("spot_note_rules_unrecorded", rules=rules.loaded.rules.id))
    elif rules.note is not None:  # the shipped rule set stood in for the one an upgrade replaced
        notes.append(rules.note)
    if recorded.source != "survey":
        notes.append(Phrase("spot_note_no_survey", files=recorded.missing or ["?"],
                            holder=Phrase(f"spot_holder_{recorded.source}"),
                            fields=[Phrase(f"spot_fs_{n}") for n in recorded.compared]))
    if recorded.found_below:
        notes.append(surveys_found_note(source, recorded.found_below))
    if more_residents is not None:
        notes.append(more_residents)
    if small_confirmed is not None:
        notes.append(small_confirmed)
    if source.off_list is not None and len(source.off_list):
        notes.append(Phrase("spot_note_off_list", count=len(source.off_list), steps=off_list_steps(source.off_list)))
    if source.not_recorded:  # a register's rows of a head's ID on two rows, kept as one: in no stratum
        notes.append(not_recorded_phrase(source, "spot_note_not_recorded"))
    not_found_note = not_found_counted_note(out)
    if not_found_note is not None:
        notes.append(not_found_note)
    not_checked = not_checked_note(out)
    if not_checked is not None:
        notes.append(not_checked)
    by_roster = roster_exclusions_note(source, out)
    if by_roster is not None:
        notes.append(by_roster)
    recorded_invalid = recorded_invalid_note(out)
    if recorded_invalid is not None:
        notes.append(recorded_invalid)
    return Backcheck(source, facts, rules, tolerance, threshold, alpha, confidence, out, comparisons, rates,
                     outliers, recorded.enumerator_from, recorded.source, recorded.missing, notes=notes,
                     surveys_found_in=list(dict.fromkeys(str(p.parent) for p in recorded.found_below)),
                     compared=list(recorded.compared), forms_missing=missing,
                     county=source.county or recorded.county,
                     coverage=coverage(strata, out.assign(verified=out["verified"] | phantom), missing))


# The statuses the per-capita income decides: a household moved between them moved across a bound.
BAND_STATUSES = ("below_line", "candidate", "above_limit")


def crossed_within_tolerance(households: pd.DataFrame) -> pd.Series:
    """The verified households whose status moved across a bound of the band while every field compared
    agrees within the tolerance (the money ones within it, counts and 是/否 equal): a per-capita income
    near a bound that the tolerance's own noise carries over it (3,993.33 recorded, 4,021.67 found on a
    wage 2 % off). The visit found no error there, so they are not 错评 or 漏评; the outputs show them
    apart. A household recorded 数据有误 or excluded is not among them: its status did not turn on the
    per-capita income."""
    recorded, verified = households["recorded_status"], households["verified_status"]
    moved = (recorded.isin(BAND_STATUSES) & verified.isin(BAND_STATUSES) & recorded.ne(verified)
             & (recorded.eq("candidate") | verified.eq("candidate")))
    agrees = households["fields_compared"].fillna(0).gt(0) & households["fields_differing"].fillna(0).eq(0)
    return (households["verified"] & moved & agrees).fillna(False).astype(bool)


# The statuses the screen decides that are not a candidate: a household recorded 数据有误 was not decided.
OTHER_DECIDED = ("excluded_dibao", "excluded_tekun", "excluded_registered", "below_line", "above_limit")


def wrong_other_status(households: pd.DataFrame) -> pd.Series:
    """Per verified household recorded and verified with a decided status other than candidate: whether
    the visit found one that changes its referral to 贫困户识别 (达到收入上限 recorded, 低于贫困标准 found: a
    household to refer; 低于贫困标准 by a mistyped wage, above the limit in truth). No 错评 or 漏评 — the
    list of candidates is right either way, so the rates do not count it — but a wrong decision, its
    enumerator's as much as those. Two others with no referral between them (达到收入上限 recorded, a
    低保户 found) are told apart in 逐户比对 but decide nothing (False). A move across the band's bounds
    with every field within the tolerance is the tolerance's noise, as crossed_within_tolerance says of
    the candidates'. NA where not both decided so (nothing to judge)."""
    recorded, verified = households["recorded_status"], households["verified_status"]
    judged = households["verified"] & recorded.isin(OTHER_DECIDED) & verified.isin(OTHER_DECIDED)
    referral = recorded.eq("below_line") ^ verified.eq("below_line")
    agrees = households["fields_compared"].fillna(0).gt(0) & households["fields_differing"].fillna(0).eq(0)
    noise = recorded.isin(BAND_STATUSES) & verified.isin(BAND_STATUSES) & agrees
    return (referral & ~noise).fillna(False).astype("boolean").where(judged.fillna(False).astype(bool))


def surveys_found_note(source: Source, found: list[Path]) -> Phrase:
    """Where the survey files were found, when it was in a folder below the register's (or ledger's), the
    one above it or the current one: each year's files may share their names, and the clerk is to see
    that the year's own were read (by the SHA-256 the round recorded)."""
    return Phrase("spot_note_surveys_found", files=[p.name for p in found],
                  folders=list(dict.fromkeys(str(p.parent) for p in found)),
                  holder=Phrase(f"spot_holder_{source.kind}"))


def not_found_counted_note(households: pd.DataFrame) -> Phrase | None:
    """How the households not found (查无此户) are counted in the rates: the listed ones as 错评, the
    others as not verified; None where there are none."""
    found_not = households["not_found"].fillna(False).astype(bool)
    listed = int(households["counted_wrongly_listed"].sum())
    unlisted = int((found_not & ~households["counted_wrongly_listed"]).sum())
    others = Phrase("spot_note_not_found_unlisted", count=unlisted) if unlisted else None
    if not listed:
        return others
    return Phrase("spot_note_not_found_counted", count=listed, unlisted=others or "")


def not_checked_note(households: pd.DataFrame) -> Phrase | None:
    """How many households of the forms handed back were not verified, listed and others apart, and why
    (未遇, 拒访, 查无此户, 搬走, none said): the rates are those of the households verified, a household
    not verified carried by the verified ones of its village and stratum (estimate.adjusted_weights). The
    statistics stay so: a weighting-class adjustment is the design's own answer to nonresponse, and
    counting a refusal as an error would be a guess; the note says plainly what is assumed. A listed
    household not found is no such household: it is counted, as 错评. None where every one was verified."""
    h = households
    back = h["form"].notna() & ~h["verified"] & ~h["counted_wrongly_listed"].fillna(False).astype(bool)
    if not back.any():
        return None
    listed = h["stratum"].eq(LISTED)
    said = pd.DataFrame({kind: h[kind].fillna(False).astype(bool) for kind in FAILED_VISITS})
    said["other"] = ~said.any(axis=1)

    def why(these: pd.Series) -> Phrase | list:
        counts = said[these].sum()
        parts = [Phrase("spot_why_count", kind=Phrase(f"spot_kind_{k}"), count=int(n)) for k, n in counts.items() if n]
        return parts or Phrase("spot_kind_none")

    return Phrase("spot_note_not_checked", listed=int((back & listed).sum()), listed_drawn=int(listed.sum()),
                  unlisted=int((back & ~listed).sum()), unlisted_drawn=int((~listed).sum()),
                  listed_why=why(back & listed), unlisted_why=why(back & ~listed))


def roster_exclusions_note(source: Source, households: pd.DataFrame) -> Phrase | None:
    """That the verified status was decided with the authoritative rosters the screen applied, and how
    many households drawn (and verified) they excluded; None where the screen applied none."""
    if not source.roster_kinds:
        return None
    on = source.roster_exclusions.reindex(households.index).notna()
    return Phrase("spot_note_roster_exclusions", rosters=[Phrase(f"roster_short_{k}") for k in source.roster_kinds],
                  drawn=int(on.sum()), verified=int((on & households["verified"]).sum()))


def recorded_invalid_note(households: pd.DataFrame) -> Phrase | None:
    """The households recorded 数据有误,待核实 that the visit verified: decided on what it found, not
    on the ledger's data fault; those found in the band are 漏评, named one by one."""
    was = households[households["verified"] & households["recorded_status"].eq("invalid")]
    if was.empty:
        return None
    was = was.sort_values(["form", "seq"], kind="stable")
    missed = was[was["wrongly_unlisted"].fillna(False).astype(bool)]
    pages = [Phrase("spot_recorded_invalid_page", form=str(form), seq=int(seq), name=cell_text(name))
             for form, seq, name in zip(missed["form"], missed["seq"], missed["head_name"])]
    return Phrase("spot_note_recorded_invalid" if pages else "spot_note_recorded_invalid_none", count=len(was),
                  unlisted=len(pages), pages=pages)


def _own_files(read: list[FormRead]) -> tuple[list[FormRead], list[Phrase]]:
    """The forms read, less the files `edgescreen sample` wrote itself that are no form (抽样设计.xlsx,
    listed in the sample.json beside them or a folder or two up: the sample's folder given whole), and a
    note naming each of those."""
    kept: list[FormRead] = []
    notes: list[Phrase] = []
    for f in read:
        record = _listed_by_sample(f.filled.path) if [p.what.key for p in f.problems] == ["spot_not_a_form"] else None
        if record is None:
            kept.append(f)
        else:
            notes.append(Phrase("spot_note_own_file", file=f.name, record=str(record)))
    return kept, notes


def _listed_by_sample(path: Path) -> Path | None:
    """The sample.json (in the file's folder or the two above it) whose outputs list `path`."""
    where = Path(path).resolve()
    for folder in list(where.parents)[:3]:
        own = own_record(folder, (SAMPLE_JSON,))
        outputs = own.record.get("outputs") if own is not None else None
        if isinstance(outputs, list) and any(isinstance(o, dict) and (folder / str(o.get("file", ""))).resolve() == where
                                             for o in outputs):
            return folder / SAMPLE_JSON
    return None


def run_backcheck(source_path: str | Path, form_paths: Sequence[str | Path], *, tolerance: Tolerance = Tolerance(),
                  threshold: float = 0.02, alpha: float = 0.05, confidence: float = 0.95,
                  rules: str | Path | None = None, surveys: list[Path] | None = None,
                  today: dt.date | None = None, sample: str | Path | None = None,
                  given: Sequence[str | Path] | None = None) -> Backcheck:
    """Read the filled forms, check them all (refusing every problem at once), and compare them with
    the source they were drawn from (module docstring). `sample`: the sample's folder (or its
    sample.json), where the households of a form not handed back are named; found by its id when not given.
    `given`: the files and folders the forms were given as, to name two files of one name (forms.form_names)."""
    if not 0 <= threshold <= 1:
        raise UsageError("spot_fraction", option="--threshold", value=threshold)
    if not 0 < alpha < 1:
        raise UsageError("spot_fraction", option="--alpha", value=alpha)
    if not 0 < confidence < 1:
        raise UsageError("spot_fraction", option="--confidence", value=confidence)
    paths = [Path(p) for p in form_paths]
    if not paths:
        raise UsageError("spot_no_forms")
    for path in paths:
        if not path.is_file():
            raise InputError("input_missing", path=str(path))
    today = today or dt.date.today()
    read, own = _own_files(read_forms(paths, given))
    # The forms with a problem of their own (an identity cell edited, given twice) are set aside, and the
    # others' pages checked too: every problem is refused in one run.
    facts, forms, copies, form_problems = _check_across(read)
    # A form still as printed beside forms filled in is one not yet back, not households nobody was home at.
    unfilled = [f for f in forms if not _filled_pages(f)]
    if len(unfilled) < len(forms):
        forms = [f for f in forms if not any(f is u for u in unfilled)]
        copies += [Phrase("spot_note_not_filled", file=f.name, township=f.filled.identity.township,
                          village=f.filled.identity.village) for f in unfilled]
    source, pages, notes = source_drawn_from(source_path, facts, forms)
    notes = own + copies + [n for f in forms for n in f.notes] + notes
    if not pages["visited"].any():  # the printed originals, most likely: nothing to compare
        _refuse(_every_problem(form_problems))
        raise InputError("spot_nothing_filled", forms=len(forms), files=[f.name for f in forms[:3]])
    blank = pages[pages["page"].map(lambda p: not any(_page_values(p).values())).astype(bool)]
    if len(blank):
        notes.append(Phrase("spot_note_blank_pages", count=len(blank), pages=[
            Phrase("spot_blank_pages_of", file=file, seqs=_seq_ranges(sorted(seqs)))
            for file, seqs in blank.groupby("file", sort=False)["seq"]]))
    created = facts.get("created")
    drawn_on = dt.date.fromisoformat(created[:10]) if isinstance(created, str) and len(created) >= 10 else None
    in_use = resolve_rules(source, rules)
    strata = forms[0].sample.strata
    drawn = None
    not_back = forms_not_back(strata, pages)
    # A form saved under another village's file name is reported under its own (as the sample named it:
    # 逐户比对 joins sample.csv by it), and the names that do not match their contents are said.
    misnamed, own_names = misnamed_forms(read, source, facts, not_back)
    pages["file"] = pages["file"].replace(own_names)
    notes += misnamed
    # The sample's folder: its sample.csv names the households of a form not handed back, its sample.json
    # the seed a register records the check with (the forms carry only the sample's id).
    found = find_sample_csv(str(facts.get("sample_id", "")), paths, source, Path(sample) if sample else None) \
        if len(not_back) or sample is not None or source.kind == "register" else None
    record = own_record(found.parent, (SAMPLE_JSON,)) if found is not None else None
    if record is not None:
        facts = {**facts, "seed": record.record.get("seed")}
    if len(not_back) or sample is not None:
        drawn = drawn_households(found, source) if found is not None else None
        if drawn is None:
            notes.append(Phrase("spot_note_sample_not_found", sample=str(facts.get("sample_id", "")),
                                households=int(not_back["households"].sum()), file=SAMPLE_CSV))
    verifiers, ditto = page_verifiers(pages)  # 同上 read as the verifier above, or refused at its cell
    result = assess(source, facts, strata, pages, in_use, tolerance=tolerance, threshold=threshold,
                    alpha=alpha, confidence=confidence, surveys=surveys, today=today, drawn=drawn,
                    pending=[*form_problems, *_visit_problems(pages, today, drawn_on), *ditto], verifiers=verifiers)
    result.notes = notes + result.notes
    result.forms = [f.name for f in forms]
    return result
