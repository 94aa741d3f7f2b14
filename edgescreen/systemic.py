"""Systemic problems: one check hitting one column in most rows of a sheet, found once and said once.

A column left blank in every row, or an ID column that Excel turned into numbers, gives an issue per
household. Listed row by row they bury everything else; said once, with how many rows and which, and
the likely cause, they are one thing to fix. A finding is one check (its code and hint) on one field
of one sheet that flags at least MIN_SHARE of the sheet's households and at least MIN_ROWS of them:
"most rows", and enough of them that a pattern is more likely than chance (a 30-household sheet with
16 blank cells is a finding; a 10-household sheet with 6 is listed row by row).

What follows from a finding (outputs/quality.py): issues.csv still holds every issue and errors still
make each household invalid; the human-facing reports (quality.xlsx, report.html, the villages' fix
lists, the terminal) state the finding once, and list its warnings no further row by row. Its errors
stay listed, since each of those households is invalid until its row is corrected.

An income component left blank (转移性收入, in a county where transfers are the income) is more than a
blank: read as 0, it decides households below the line or candidates, and filled it may decide them
otherwise. weigh_blank_income counts them per finding, and such a finding is said apart, after the errors.

A village where blank is a way of writing 0 (its blank amount cells at least BLANK_SHARE of its blank or 0
amount cells) leaves 0 blank as its habit, though its clerk writes a 0 now and then, or half the time:
every blank amount of it is one finding (level blank_for_zero), not a warning per cell (an outside try:
6,074 warnings on 3,916 of 6,000 households of a clean county whose villages left 70 % of their zeros
blank; another, 558 blanks warned one by one of enumerators writing 0 or blank at random).

Where the survey names its enumerator (填表人), a village's households of one enumerator are a block of
their own: each enumerator keeps his own habit (one leaves 0 blank in 村民小组 1-3, the other writes 0 in
4-6), so the village's blanks are judged, and said, per enumerator (合隆镇前岗村(填表人 张三)).

On a township's sheet of several villages, a column blank in one village's rows only (新立村 blank, 太平村
filled) is that village's finding, not the sheet's at 50 %; and a 乡(镇) typed once atop a village's rows
and blank below is said as that, with the cells to fill down (_typed_above), not as a column left empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, label, messages

MIN_SHARE = 0.5
MIN_ROWS = 20
# A block (habit_blocks) leaves 0 blank as a way of writing it where its blank amount cells are at least this
# share of its blank-or-0 amount cells, in at least this share of its households (and MIN_VILLAGE_ROWS). An
# enumerator who writes 0 or blank household by household at random has shown blank is a 0 of his as much
# as one who never writes 0: an outside try's five such blocks had 35-50 % of their zeros blank in 41-50 %
# of their households; at 0.5, 215 of its 8,137 households (2.6 %) kept a blank warning each, at 0.4 61, at
# a third or a quarter none. A careful 0-writer's real omissions are a few % of its zeros (that try's planted
# blank wage: still listed). One column blank in every row beside 0s typed (税金) comes near a third (its
# careful blocks type 2.8-3.4 zeros a household): said once either way. No block of the benchmark counties
# (clean, poor) leaves a 0 blank.
BLANK_SHARE = 1 / 3
# ... where under half are blank, no one column holds more than this share of its blanks (a mixer's blanks
# fall wherever his zeros do).
MAX_FIELD_SHARE = 0.8
# A village's block of a sheet holding several (a township's sheet): fewer rows make its pattern, as
# a village is a few dozen households and its clerk fills its rows alike.
MIN_VILLAGE_ROWS = 10
# Row ranges quoted in a finding's words at most; the rest are counted.
RANGES_SHOWN = 5

# The statuses a blank income read as 0 can have decided: filled, it only raises a household, so these
# may change and 达到收入上限 cannot (excluded and invalid households are decided by other things).
DECIDED = ("below_line", "candidate")
# A blank amount, typed blank or an export's NULL or (跳过) (normalise.export_blanks): a village's way of writing 0.
BLANK_MONEY_HINTS = ("missing_money", "missing_money_export")

# A sheet's finding whose rows are one village's of a sheet holding several is that village's where at least
# this share of them are its (all but a few: a row of it typed 新立 for 新立村 is a village of its own) and
# the sheet's other villages mostly filled the column: 新立村 blank on every row, 太平村 filled on every row.
ONE_VILLAGE_SHARE = 0.9

FINDING_COLUMNS = ["sheet_key", "source_file", "sheet", "level", "township", "village", "enumerator", "field", "code", "hint",
                   "severity", "kind", "rows", "cells", "households", "share", "ranges", "column", "header",
                   *(f"decided_{status}" for status in DECIDED), "typed_zeros", "above_row", "above",
                   "village_households"]


@dataclass
class Systemic:
    """The findings of a run, one row each (FINDING_COLUMNS: `rows` flagged of the sheet's
    `households`, `ranges` the flagged Excel rows as (first, last) pairs), and for every issue of the
    log's index the finding it belongs to (-1: none)."""

    findings: pd.DataFrame
    of_issue: np.ndarray

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def in_finding(self) -> np.ndarray:
        """Per issue of the index: whether it belongs to a finding."""
        return self.of_issue >= 0

    @property
    def warning_rows(self) -> np.ndarray:
        """Per issue of the index: a warning that belongs to a finding (said once, not listed)."""
        if not len(self.findings):
            return np.zeros(len(self.of_issue), dtype=bool)
        warning = (self.findings["severity"] == "warning").to_numpy(dtype=bool)
        return self.in_finding & warning[np.maximum(self.of_issue, 0)]


def row_ranges(rows) -> list[tuple[int, int]]:
    """Excel row numbers as (first, last) runs: [5, 6, 7, 9] → [(5, 7), (9, 9)]."""
    values = np.sort(np.asarray(rows, dtype=np.int64))
    if not len(values):
        return []
    values = values[np.concatenate([[True], np.diff(values) != 0])]  # each row once
    breaks = np.flatnonzero(np.diff(values) != 1)
    starts = np.concatenate([[0], breaks + 1])
    ends = np.concatenate([breaks, [len(values) - 1]])
    return list(zip(values[starts].tolist(), values[ends].tolist()))


def _empty(n_issues: int) -> Systemic:
    return Systemic(pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS}),
                    np.full(n_issues, -1, dtype=np.int64))


def find_systemic(index: pd.DataFrame, households: pd.DataFrame, columns: pd.DataFrame) -> Systemic:
    """The systemic findings over an issue index (IssueLog.index) of `households` (with sheet_key,
    source_file, sheet and row; township and village where known), `columns` naming each sheet's
    column letter and header per field. First per sheet; then, of a sheet that holds several villages
    (a township's sheet with its villages one below the other), per village for the issues no sheet's
    finding took: a village that leaves 财产性收入 blank is one finding, not a row per household.
    Vectorised: one pass over the issues per level whatever their number."""
    n_issues = len(index)
    if n_issues == 0 or len(households) == 0:
        return _empty(n_issues)
    hh = index["hh"].to_numpy(dtype=np.int64)
    sheet_codes, _ = pd.factorize(households["sheet_key"].to_numpy(dtype=object))
    empty = _empty(n_issues)
    findings, of_issue = empty.findings, empty.of_issue

    def more(level: tuple[pd.DataFrame, np.ndarray]) -> None:
        nonlocal findings, of_issue
        found, of = level
        if not len(found):
            return
        of_issue = np.where(of >= 0, of + len(findings), of_issue)
        findings = pd.concat([findings, found], ignore_index=True) if len(findings) else found

    places = {"township", "village"} <= set(households.columns)
    if places:
        village_codes = village_blocks(households)  # made once: the habits' blocks nest in them
        block_codes = habit_blocks(households, village_codes)
        # A village whose amounts of 0 are blank a third of the time or more: blank is a way it writes 0.
        # Every blank amount of it is one finding, whatever the column (before the columns: it says why).
        # A kind is one check on one field with one hint: its words looked at once per kind.
        kinds, first = np.unique(index["kind"].to_numpy(dtype=np.int64), return_index=True)
        blank_kinds = kinds[(index["code"].to_numpy(dtype=object, na_value="")[first] == "missing_value")
                            & np.isin(index["hint"].to_numpy(dtype=object, na_value="")[first], BLANK_MONEY_HINTS)]
        blanks = np.isin(index["kind"].to_numpy(dtype=np.int64), blank_kinds)
        if blanks.any():
            n_blocks = int(block_codes.max()) + 1
            blank_cells = np.bincount(block_codes[hh[blanks]], minlength=n_blocks)
            typed = _typed_zeros(households, index, blanks, block_codes, columns)
            # Under half of its zeros blank, the blanks must be spread over its columns as a mixer's are:
            # one column blank in every row beside 0s written elsewhere (财产性收入 never filled) is that
            # column's finding, which names it, not a way of writing 0.
            fields = pd.factorize(index["field"].to_numpy(dtype=object)[blanks])[0]
            width = int(fields.max()) + 1
            per_field = np.bincount(block_codes[hh[blanks]] * width + fields,
                                    minlength=n_blocks * width).reshape(n_blocks, width)
            spread = per_field.max(axis=1) <= MAX_FIELD_SHARE * blank_cells
            mostly = (blank_cells >= MIN_SHARE * (blank_cells + typed)) \
                | ((blank_cells >= BLANK_SHARE * (blank_cells + typed)) & spread)
            left = blanks & mostly[block_codes[hh]]
            if left.any():
                found, of = _level(index, households, block_codes, left, MIN_VILLAGE_ROWS, level="blank_for_zero",
                                   kinds=np.zeros(n_issues, dtype=np.int64), min_share=BLANK_SHARE)
                if len(found):  # each finding's village's 0s written, for its words
                    at = np.flatnonzero(of >= 0)
                    block_of = np.zeros(len(found), dtype=np.int64)
                    block_of[of[at]] = block_codes[hh[at]]
                    found["typed_zeros"] = typed[block_of]
                more((found, of))
    sheet_level = _level(index, households, sheet_codes, of_issue < 0, MIN_ROWS, level="sheet")
    if places:  # rows all one village's of a sheet of several: that village's finding, not the sheet's
        sheet_level = _not_one_villages(sheet_level, index, households, sheet_codes, block_codes, village_codes)
    more(sheet_level)
    if places:
        # Of a sheet that holds several villages, a column in most rows of one village.
        villages = pd.Series(block_codes).groupby(sheet_codes).nunique().to_numpy()
        left = (of_issue < 0) & (villages[sheet_codes] > 1)[hh]
        if left.any():
            more(_level(index, households, block_codes, left, MIN_VILLAGE_ROWS, level="village"))
    if not len(findings):
        return _empty(n_issues)
    findings = _typed_above(findings, of_issue, index, households)
    letters = {(k, f): (c if isinstance(c, str) else "", h)
               for k, f, c, h in columns[["sheet_key", "field", "column", "header"]].itertuples(index=False)}
    found = [letters.get((k, f)) for k, f in zip(findings["sheet_key"], findings["field"])]
    findings["column"] = [where[0] if where else "" for where in found]
    findings["header"] = [where[1] if where and isinstance(where[1], str) else _canonical(f)
                          for where, f in zip(found, findings["field"])]
    # The households of each finding's village on its sheet: an enumerator's finding says its share of his
    # own rows, not of the village's (高明's 36 of 石头村's 125 were said 占该村 36 户).
    if places:
        # Each village's households (its village_blocks code), keyed as the findings name it: by its first row.
        _, first = np.unique(village_codes, return_index=True)
        named = households.iloc[first]
        keys = [named["sheet_key"].to_numpy(dtype=object),
                *(named[c].astype("string").fillna("").to_numpy(dtype=object) for c in ("township", "village"))]
        size = pd.Series(np.bincount(village_codes), index=pd.MultiIndex.from_arrays(keys))
        at = pd.MultiIndex.from_arrays([findings["sheet_key"], findings["township"], findings["village"]])
        findings["village_households"] = size.reindex(at).fillna(0).astype(np.int64).to_numpy()
    else:
        findings["village_households"] = 0
    return _in_order(findings, of_issue)


def _code_of(households: pd.DataFrame, column: str) -> np.ndarray:
    return pd.factorize(households[column].astype("string").fillna("").to_numpy(dtype=object))[0]


def _joined_with(codes: np.ndarray, more: np.ndarray) -> np.ndarray:
    return pd.factorize(codes.astype(np.int64) * (int(more.max(initial=0)) + 1) + more)[0]


def village_blocks(households: pd.DataFrame) -> np.ndarray:
    """A number per household: its sheet, township and village (a township's sheet holds several)."""
    block = np.zeros(len(households), dtype=np.int64)
    for column in ("sheet_key", "township", "village"):
        if column in households.columns:
            block = _joined_with(block, _code_of(households, column))
    return block


def habit_blocks(households: pd.DataFrame, villages: np.ndarray | None = None) -> np.ndarray:
    """A block number per household: its sheet, township and village, and of a village its enumerator
    (填表人) where the survey names one who filled at least MIN_VILLAGE_ROWS of its rows: each keeps his
    own habit of writing 0 or a flag. A 填表人 of a few rows (a respondent signing his own form) is no
    habit of his own: those rows stay with their village. Numbered from the codes, no text joined.
    `villages`: village_blocks(households), where the caller has them already."""
    block = village_blocks(households) if villages is None else villages
    if "enumerator" in households.columns and len(households):
        own = _joined_with(block, _code_of(households, "enumerator"))
        held = np.bincount(own)[own] >= MIN_VILLAGE_ROWS
        block = pd.factorize(np.where(held, own + int(block.max()) + 1, block))[0]
    return block


def _not_one_villages(level: tuple[pd.DataFrame, np.ndarray], index: pd.DataFrame, households: pd.DataFrame,
                      sheet_codes: np.ndarray, block_codes: np.ndarray,
                      villages: np.ndarray) -> tuple[pd.DataFrame, np.ndarray]:
    """The sheet's findings (`level`, _level's) but those whose rows are one village's of a sheet holding
    several: the village level finds them again as that village's (or its enumerators'), in its words.
    Such a finding's village's blocks the village level would find (MIN_VILLAGE_ROWS, MIN_SHARE of the
    block) hold ONE_VILLAGE_SHARE of its rows at least, and the sheet's other villages mostly filled the
    column: a column blank across the villages stays the sheet's. `villages`: village_blocks(households).
    Vectorised over the findings' issues."""
    found, of = level
    if not len(found):
        return level
    several = pd.Series(villages).groupby(sheet_codes).nunique().to_numpy() > 1  # per sheet
    # Each finding's households once (a household may have two issues of one kind).
    n = len(households)
    at = np.flatnonzero(of >= 0)
    pairs = np.sort(of[at] * n + index["hh"].to_numpy(dtype=np.int64)[at])
    pairs = pairs[np.concatenate([[True], np.diff(pairs) != 0])]
    finding, household = pairs // n, pairs % n
    # Per (finding, block): its rows, and whether the village level finds them.
    n_blocks = int(block_codes.max()) + 1
    keys, counts = np.unique(finding * n_blocks + block_codes[household], return_counts=True)
    blocks = keys % n_blocks
    sizes = np.bincount(block_codes, minlength=n_blocks)
    found_there = (counts >= MIN_VILLAGE_ROWS) & (counts >= MIN_SHARE * sizes[blocks])
    # Per (finding, village), blocks nesting in villages: its rows, and those the village level finds.
    _, first_of_block = np.unique(block_codes, return_index=True)
    n_villages = int(villages.max()) + 1
    pair_keys, pair_of = np.unique((keys // n_blocks) * n_villages + villages[first_of_block][blocks],
                                   return_inverse=True)
    rows_found = np.bincount(pair_of, weights=counts * found_there)
    rows_in = np.bincount(pair_of, weights=counts)
    # Each finding's village: the one whose rows are the most found.
    of_pair = pair_keys // n_villages
    top = np.lexsort((-rows_found, of_pair))
    top = top[np.concatenate([[True], np.diff(of_pair[top]) != 0])]  # one per finding, in order
    _, first_pair = np.unique(finding, return_index=True)
    sheet = sheet_codes[household[first_pair]]
    village_sizes = np.bincount(villages, minlength=n_villages)
    others = np.bincount(sheet_codes)[sheet] - village_sizes[pair_keys[top] % n_villages]
    rows = found["rows"].to_numpy(dtype=np.int64)
    own = several[sheet] & (rows_found[top] >= ONE_VILLAGE_SHARE * rows) \
        & (rows - rows_in[top] < MIN_SHARE * others)
    if not own.any():
        return level
    keep = ~own
    renumber = np.cumsum(keep) - 1
    of = np.where((of >= 0) & keep[np.maximum(of, 0)], renumber[np.maximum(of, 0)], -1)
    return found[keep].reset_index(drop=True), of


def _typed_above(findings: pd.DataFrame, of_issue: np.ndarray, index: pd.DataFrame,
                 households: pd.DataFrame) -> pd.DataFrame:
    """`findings` with, of each of blank place cells (hint missing_place_above) in one run of rows right
    under a row of their village (of their township, for 行政村) that holds the place, that row and its
    place (above_row, above): typed once atop its block, to be filled down, not a column left empty. A
    village's finding takes that place, and that row among its households: its block is the rows left
    blank, the typed row is of another by its place (太平村: 合隆镇 in B135, B136:B259 blank)."""
    if not {"township", "village", "row", "sheet_key"} <= set(households.columns):
        return findings
    typed_once = (findings["hint"] == "missing_place_above").to_numpy(dtype=bool) \
        & findings["field"].isin(["township", "village"]).to_numpy(dtype=bool) \
        & np.array([len(r) == 1 for r in findings["ranges"]], dtype=bool)
    if not typed_once.any():
        return findings
    at = np.flatnonzero(of_issue >= 0)
    first = pd.Series(index["hh"].to_numpy(dtype=np.int64)[at]).groupby(of_issue[at]).min() \
        .reindex(range(len(findings)), fill_value=0).to_numpy(dtype=np.int64)
    above = np.maximum(first - 1, 0)  # the household on the row above the run, where there is one
    rows = households["row"].to_numpy(dtype=np.int64)
    key = households["sheet_key"].to_numpy(dtype=object)
    typed_once &= (first > 0) & (key[above] == key[first]) & (rows[above] == rows[first] - 1)
    places = {f: households[f].astype("string").fillna("").str.strip().to_numpy(dtype=object)
              for f in ("township", "village")}
    field = findings["field"].to_numpy(dtype=object)
    other = np.where(field == "township", "village", "township")
    value = np.array([places[f][a] if f in places else "" for f, a in zip(field, above)], dtype=object)
    same = np.array([places[o][a] == places[o][b] for o, a, b in zip(other, above, first)], dtype=bool)
    typed_once &= (value != "") & same
    if not typed_once.any():
        return findings
    findings = findings.copy()
    findings["above_row"] = np.where(typed_once, rows[above], 0)
    findings["above"] = np.where(typed_once, value, "")
    # A village's block: the typed row joins its households, and its place is the one typed.
    of_village = typed_once & (findings["level"] != "sheet").to_numpy(dtype=bool)
    for f in ("township", "village"):
        into = of_village & (field == f)
        findings[f] = np.where(into, value, findings[f].to_numpy(dtype=object))
    findings["households"] = findings["households"].to_numpy(dtype=np.int64) + of_village
    findings["share"] = findings["rows"].to_numpy(dtype=np.int64) / findings["households"].to_numpy(dtype=np.int64)
    return findings


def _in_order(findings: pd.DataFrame, of_issue: np.ndarray) -> Systemic:
    """The findings errors first, then those that decide households (weigh_blank_income), then the
    most rows; each issue's finding renumbered alike."""
    order = np.lexsort((-findings["rows"].to_numpy(dtype=np.int64), ~deciding(findings),
                        findings["severity"].to_numpy() != "error"))
    findings = findings.iloc[order].reset_index(drop=True)
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    of_issue = np.where(of_issue >= 0, renumber[np.maximum(of_issue, 0)], -1)
    return Systemic(findings, of_issue)


def deciding(findings: pd.DataFrame) -> np.ndarray:
    """Per finding: whether households are decided below the line or candidates on its blanks."""
    decided = findings[[f"decided_{status}" for status in DECIDED]].to_numpy(dtype=np.int64)
    return decided.sum(axis=1) > 0


def weigh_blank_income(found: Systemic, index: pd.DataFrame, households: pd.DataFrame,
                       income: Sequence[str]) -> Systemic:
    """`found` with, for each finding of an income component left blank (missing_money on one of the
    rule set's `income` components), how many of its households are decided below the line or
    candidates with it read as 0 (decided_<status>): filled, it may decide them otherwise, so the
    finding goes before the blanks that change nothing. A cost left blank is not weighed: read as 0 it
    only keeps a household higher, and 折旧 or 税费 blank in a whole village is most often the truth
    (the agricultural tax ended in 2006). Counting the households above the line on it would count
    most of every such village alike, and put those blanks level with a missing 转移性收入 (a farm's
    missing costs are income_without_costs' to say). A village that leaves its 0s blank has one finding
    of all its blank amounts (blank_for_zero): weighed by those of its issues on an income component,
    each household once. Vectorised: one pass over the findings' issues."""
    findings = found.findings
    if not len(findings) or "status" not in households.columns:
        return found
    blank_money = ((findings["code"] == "missing_value")
                   & findings["hint"].isin(BLANK_MONEY_HINTS)).to_numpy(dtype=bool)
    # A village that leaves its 0s blank (blank_for_zero) has one finding of every blank amount, of no one
    # field: it is weighed by its issues' own fields, so its blank 转移性收入 counts and its 折旧 not.
    weighed = blank_money & (findings["field"].isin(list(income))
                             | (findings["level"] == "blank_for_zero")).to_numpy(dtype=bool)
    at = np.flatnonzero(found.of_issue >= 0)
    at = at[weighed[found.of_issue[at]]]
    at = at[index["field"].iloc[at].isin(list(income)).to_numpy(dtype=bool)]
    if not len(at):
        return found
    # Each household once per finding: a blank cell is one issue, and a blank_for_zero finding may hold
    # several blank incomes of one household.
    n = len(households)
    pairs = np.sort(found.of_issue[at] * n + index["hh"].to_numpy(dtype=np.int64)[at])  # a sort, as _level's
    pairs = pairs[np.concatenate([[True], np.diff(pairs) != 0])]
    finding, household = pairs // n, pairs % n
    status = households["status"].to_numpy(dtype=object)[household]
    status = np.select([status == s for s in DECIDED], list(range(len(DECIDED))), -1)  # -1: decided otherwise
    decided = status >= 0
    counts = np.bincount(finding[decided] * len(DECIDED) + status[decided],
                         minlength=len(findings) * len(DECIDED)).reshape(len(findings), len(DECIDED))
    findings = findings.assign(**{f"decided_{s}": counts[:, i] for i, s in enumerate(DECIDED)})
    return _in_order(findings, found.of_issue)


def _typed_zeros(households: pd.DataFrame, index: pd.DataFrame, blanks: np.ndarray,
                 block_codes: np.ndarray, columns: pd.DataFrame) -> np.ndarray:
    """Per block: how many of its amount cells hold a 0 written. A blank reads as 0 too and is no written
    0: neither a cell left empty (said blank or not: beside a total typed alone it is not) nor one of the
    `blanks` issues (an export's NULL, its text not empty). A total (fields.toml [groups]: 家庭总收入,
    家庭生产经营性支出) on a sheet with amount columns of its own besides the totals is their sum, computed:
    its 0 says its components' blanks or 0s again, and counts only where the sheet types totals alone.
    A loop over the amount columns, not the rows."""
    hh = index["hh"].to_numpy(dtype=np.int64)[blanks]
    field = index["field"].to_numpy(dtype=object)[blanks]
    zeros = np.zeros(len(households), dtype=np.int64)
    totals = set(fields().groups.values())
    summed = np.zeros(len(households), dtype=bool)  # a household of a sheet whose totals are computed
    if len(columns) and "sheet_key" in households.columns:
        money = {spec.name for spec in fields().field if spec.kind == "money"} - totals
        with_parts = columns.loc[columns["field"].isin(list(money))
                                 & columns["column"].astype("string").fillna("").ne("").to_numpy(dtype=bool),
                                 "sheet_key"].unique()
        summed = households["sheet_key"].isin(list(with_parts)).to_numpy(dtype=bool)
    for spec in fields().field:
        if spec.kind != "money" or f"{spec.name}_fen" not in households.columns:
            continue
        typed = households[f"{spec.name}_fen"].eq(0).fillna(False).to_numpy(dtype=bool)
        if spec.name in totals:
            typed &= ~summed
        at = np.flatnonzero(typed)
        if len(at) and spec.name in households.columns:  # the cell's text: empty, it is a blank read as 0
            text = households[spec.name].to_numpy(dtype=object, na_value="")[at]
            empty = text == ""
            written = np.flatnonzero(~empty)  # whitespace alone is empty too (what str.strip leaves "")
            empty[written] = np.fromiter(map(str.isspace, text[written].tolist()), dtype=bool, count=len(written))
            typed[at[empty]] = False
        typed[hh[field == spec.name]] = False
        zeros += typed
    return np.bincount(block_codes, weights=zeros, minlength=int(block_codes.max()) + 1).astype(np.int64)


def _level(index: pd.DataFrame, households: pd.DataFrame, block_codes: np.ndarray, eligible: np.ndarray,
           min_rows: int, *, level: str, kinds: np.ndarray | None = None,
           min_share: float = MIN_SHARE) -> tuple[pd.DataFrame, np.ndarray]:
    """The findings of one level (blocks of households: sheets, or a sheet's villages) among the
    `eligible` issues, and for every issue of the index the finding it belongs to (-1: none). `kinds`:
    what a finding is of, per issue (default: its check on its field; all alike: the block's alone)."""
    n_issues = len(index)
    empty = _empty(n_issues)
    none = (empty.findings, empty.of_issue)
    n_blocks = int(block_codes.max()) + 1
    sizes = np.bincount(block_codes, minlength=n_blocks)
    hh = index["hh"].to_numpy(dtype=np.int64)
    kind = index["kind"].to_numpy(dtype=np.int64) if kinds is None else kinds
    key = kind * n_blocks + block_codes[hh]
    # Households flagged per (check on a field, block), each household once.
    n = len(households)
    distinct = np.sort(key[eligible] * n + hh[eligible])  # a sort, not np.unique: numpy 2's hash-based unique is slower
    if not len(distinct):
        return none
    distinct = distinct[np.concatenate([[True], np.diff(distinct) != 0])]
    counts = np.bincount(distinct // n, minlength=int(key.max()) + 1)
    block_of_key = np.arange(len(counts)) % n_blocks
    systemic = (counts >= min_rows) & (counts >= min_share * sizes[block_of_key])
    hit = np.flatnonzero(systemic)
    if not len(hit):
        return none
    finding_of_key = np.full(len(counts), -1, dtype=np.int64)
    finding_of_key[hit] = np.arange(len(hit))
    of_issue = np.where(eligible, finding_of_key[key], -1)
    # One issue of each finding stands for it: its field, code, hint and severity.
    at = np.flatnonzero(of_issue >= 0)
    _, first = np.unique(of_issue[at], return_index=True)
    first = at[first]
    sample = index.iloc[first]
    # Each block's first household: its file, sheet and place.
    _, first_of_block = np.unique(block_codes, return_index=True)
    block = households.iloc[first_of_block[block_of_key[hit]]]
    rows = households["row"].to_numpy(dtype=np.int64)
    flagged_finding = finding_of_key[distinct // n]
    flagged = flagged_finding >= 0
    flagged_finding, flagged_rows = flagged_finding[flagged], rows[distinct[flagged] % n]
    order = np.argsort(flagged_finding, kind="stable")
    bounds = np.searchsorted(flagged_finding[order], np.arange(len(hit) + 1))
    ranges = [row_ranges(flagged_rows[order[bounds[f]:bounds[f + 1]]]) for f in range(len(hit))]

    def place(column: str) -> np.ndarray:
        if level == "sheet":
            return np.full(len(hit), "", dtype=object)
        return block[column].astype("string").fillna("").to_numpy(dtype=object)
    findings = pd.DataFrame({
        "sheet_key": block["sheet_key"].to_numpy(dtype=object),
        "source_file": block["source_file"].to_numpy(dtype=object),
        "sheet": block["sheet"].fillna("").to_numpy(dtype=object),
        "level": level, "township": place("township"), "village": place("village"),
        "enumerator": place("enumerator") if "enumerator" in households.columns else "",
        # A finding of a block alone (every blank amount of a village) is of no one field.
        "field": sample["field"].to_numpy(dtype=object) if kinds is None else np.full(len(hit), "", dtype=object),
        "code": sample["code"].to_numpy(dtype=object),
        "hint": sample["hint"].to_numpy(dtype=object),
        "severity": sample["severity"].to_numpy(dtype=object),
        "kind": kind[first],
        "rows": counts[hit], "cells": np.bincount(of_issue[at], minlength=len(hit)),
        "households": sizes[block_of_key[hit]],
        "share": counts[hit] / sizes[block_of_key[hit]],
        "ranges": pd.Series(ranges, dtype=object),
        **{f"decided_{status}": 0 for status in DECIDED},  # weigh_blank_income's
        "typed_zeros": 0,  # a blank_for_zero finding's village's 0s written (find_systemic's)
        "above_row": 0, "above": "",  # a place typed once atop the blank rows (_typed_above's)
    })
    return findings, of_issue


def _canonical(field: str) -> str:
    """A field's header where the sheet has no column for it: its canonical header, or for a computed
    value (per-capita income) its name, worded in the report's language by column_text."""
    spec = fields().by_name.get(field)
    return spec.header if spec is not None else field


def cause(code: str, hint: str, lang: Lang, *, village: bool = False, villages: bool = False) -> str:
    """The likely cause of a finding, in the catalogue's words: per code and hint where the hint
    tells more (an ID column turned into numbers), per code otherwise, else a general cause; of a
    village's rows, its own words where the catalogue has them (该村这一列都没有填写, not 整列); of
    several villages' said as one (villages_alike), theirs (这些村), never 该村."""
    labels = messages().labels
    keys = ([f"systemic_cause_{code}_{hint}"] if hint else []) + [f"systemic_cause_{code}"]
    if village or villages:
        keys = [k + ("_villages" if villages else "_village") for k in keys] + keys
    return label(next(k for k in [*keys, "systemic_cause_other"] if k in labels), lang)


def ranges_text(ranges: list[tuple[int, int]], lang: Lang, shown: int = RANGES_SHOWN) -> str:
    """'4-1003, 1005-2000' in the language's list words; past `shown` runs, how many more. Under zh
    the word 行 is part of it ('4-1003、1005-2000 行等,另有 3 段'): it goes before 等, not at the end."""
    parts = [str(a) if a == b else f"{a}-{b}" for a, b in ranges[:shown]]
    text = label("list_sep", lang).join(parts)
    if len(ranges) > shown:
        return text + label("systemic_more_ranges", lang, count=len(ranges) - shown)
    return text + label("systemic_ranges_end", lang)


class RowRuns:
    """Excel row numbers as runs ('2-17、20 行'), worded in the language of the message they stand in
    (a Phrase's parameter: rendered when the message is)."""

    def __init__(self, rows):
        self.ranges = row_ranges(rows)

    def render(self, lang: Lang) -> str:
        return ranges_text(self.ranges, lang)


def column_text(column: str, header: str, lang: Lang) -> str:
    """'N列「财产性收入(元)」', or the header alone for a computed value without a column."""
    if header in messages().labels:  # a computed value, named by its key
        header = label(header, lang)
    return label("field_at_column", lang, column=column, header=header) if column else \
        label("field_at_no_column", lang, header=header)


def share_text(share: float) -> str:
    """A share as a whole percent, but 100% only for every row and 0% only for none: 630 of 632 is
    99.7%, which a clerk reading 100% would take for the whole column."""
    if 0 < share < 1 and round(share * 100) in (0, 100):
        return f"{min(max(share * 100, 0.1), 99.9):.1f}%"
    return f"{share:.0%}"


def describe(finding, lang: Lang) -> str:
    """One finding in a sentence: where, which column, which check, how many rows of the sheet and
    which, and the likely cause."""
    where = label("systemic_where_sheet", lang, file=finding.source_file, sheet=finding.sheet) if finding.sheet \
        else label("systemic_where_file", lang, file=finding.source_file)
    share = share_text(finding.share)
    # A village's rows of a township's sheet: the village named, its households the share's base.
    village = finding.level != "sheet"
    place = (finding.township or "") + (finding.village or label("unknown_village", lang)) if village else ""
    by_enumerator = isinstance(finding.enumerator, str) and bool(finding.enumerator)
    if village and by_enumerator:  # one enumerator's households of the village
        place = label("systemic_place_enumerator", lang, place=place, enumerator=finding.enumerator)
    if finding.level == "blank_for_zero":  # every amount column of the village: no column named
        # Said in parts: how the block writes 0 (never; now and then, blanks the most; half and half, each
        # as often: 有的留空、有的填 0, not 大多留空), its blanks, and what to do (before the review meeting,
        # its blank incomes read as 0 deciding households, as a blank income column is said).
        typed, cells = int(finding.typed_zeros), int(finding.cells)
        how = "systemic_zeros_never" if not typed else \
            "systemic_zeros_mostly_blank" if cells > typed else "systemic_zeros_mixed"
        # The village's households, or one enumerator's of it: its words say whose.
        whose = "enumerator" if by_enumerator else "village"
        this = label(f"systemic_this_{whose}", lang)
        decided = decided_text(finding, lang)
        then = label("systemic_blank_for_zero_decides", lang, this=this, decided=decided) if decided \
            else label("systemic_blank_for_zero_check", lang)
        return label("systemic_blank_for_zero", lang, where=where, place=place,
                     how=label(how, lang, whole=label(f"systemic_whole_{whose}", lang), typed=f"{typed:,}"),
                     rows=f"{int(finding.rows):,}", cells=f"{cells:,}", total=f"{int(finding.households):,}",
                     ranges=ranges_text(finding.ranges, lang), this=this, then=then)
    said = dict(where=where, place=place, column=column_text(finding.column, finding.header, lang),
                check=label(f"check_{finding.code}", lang), rows=f"{int(finding.rows):,}",
                total=f"{int(finding.households):,}", share=share, ranges=ranges_text(finding.ranges, lang))
    if village:  # the share's base: the village's households, or one enumerator's of it (not 占该村 36 户 of 125)
        part = by_enumerator and int(getattr(finding, "village_households", 0) or 0) > int(finding.households)
        said["base"] = label(f"systemic_this_{'enumerator' if part else 'village'}", lang)
    above_row = int(getattr(finding, "above_row", 0) or 0)
    if above_row and finding.column:  # a place typed once atop its rows (_typed_above): the cells to fill down
        cells = f"{finding.column}{above_row}:{finding.column}{finding.ranges[-1][1]}"
        return label("systemic_finding_typed_above_village" if village else "systemic_finding_typed_above", lang,
                     above_row=above_row, above=finding.above, cells=cells, **said)
    decided = decided_text(finding, lang)
    if decided:  # an income read as 0 that decides households: what rests on it, not a likely cause
        # "整列未填写" only of a column blank in every row: 94 of 181 blank is not the column left empty.
        whole = label("systemic_decides_whole_village" if village else "systemic_decides_whole", lang) \
            if int(finding.rows) == int(finding.households) else ""
        return label("systemic_finding_decides_village" if village else "systemic_finding_decides", lang,
                     decided=decided, whole=whole, **said)
    return label("systemic_finding_village" if village else "systemic_finding", lang,
                 cause=cause(finding.code, finding.hint, lang, village=village), **said)


# Villages at least whose findings of one kind are one habit of the survey, said once with how many and
# what rests on them; each village's finding stays whole on its fix list and in quality.xlsx. A kind:
# blank_for_zero (a village leaving its 0s blank, whatever its sample hint), else one check on one field
# with one hint (its cause). Outside tries: 108 near-identical paragraphs and 「另有 98 项同类问题」 for
# three counties whose enumerators all left 0 blank; then 20 villages each leaving 是否建档立卡贫困户
# blank, 「另有 11 项」. No work a clerk can do one by one. Two stay said each: a village's, not the survey's.
HABIT_VILLAGES = 3


class VillagesAlike(NamedTuple):
    """The village findings of a run said together (villages_alike). `group`: per finding, its group
    (-1: said on its own). `groups`: one row per group, in the findings' order of its first (`first`, its
    position), with its kind (level, code, field, hint, severity; column and header where its findings
    share them), `findings`, the villages and townships it reaches of how many the run holds, its rows
    (households flagged), cells, the households of its villages (`total`) and decided_<status>."""

    group: np.ndarray
    groups: pd.DataFrame

    @property
    def folded(self) -> int:
        """Findings said in a group but not as it: each group's findings less the one line it is."""
        return int((self.groups["findings"] - 1).sum())

    def folded_of(self, severity: str) -> int:
        """The same, of the groups of one severity (warning_work counts the findings of warnings)."""
        of = self.groups["severity"] == severity
        return int((self.groups.loc[of, "findings"] - 1).sum())


def villages_alike(findings: pd.DataFrame, households: pd.DataFrame) -> VillagesAlike | None:
    """The village findings (a village's block or an enumerator's in one: level not sheet) grouped by
    kind, where a kind reaches HABIT_VILLAGES villages or more (an enumerator's block counted with its
    village: villages, not blocks); None where none does. A groupby over the findings, no loop per
    village. A household is in one block, so summing a kind's findings counts each once."""
    if not len(findings) or not {"township", "village"} <= set(households.columns):
        return None
    level = findings["level"].to_numpy(dtype=object)
    of_village = level != "sheet"
    if not of_village.any():
        return None
    text = lambda column: findings[column].astype("string").fillna("").to_numpy(dtype=object)  # noqa: E731
    blank = level == "blank_for_zero"  # one kind whatever its sample's hint (typed blank or an export's NULL)
    found = pd.DataFrame({
        "at": np.arange(len(findings)), "level": level, "code": np.where(blank, "", text("code")),
        "field": text("field"), "hint": np.where(blank, "", text("hint")), "severity": text("severity"),
        "sheet_key": text("sheet_key"), "township": text("township"), "village": text("village"),
        "column": text("column"), "header": text("header"),
        "size": np.maximum(findings["village_households"].to_numpy(dtype=np.int64),
                           findings["households"].to_numpy(dtype=np.int64)),
        **{c: findings[c].to_numpy(dtype=np.int64) for c in ("rows", "cells", *(f"decided_{s}" for s in DECIDED))},
    })[of_village]
    kind = ["level", "code", "field", "hint", "severity"]
    found["kind"] = found.groupby(kind, sort=False).ngroup()
    villages = found.drop_duplicates(["kind", "township", "village"]).groupby("kind").size()
    found = found[(villages >= HABIT_VILLAGES).reindex(found["kind"]).to_numpy(dtype=bool)]
    if not len(found):
        return None
    # A village's households once though two enumerators' blocks of it are in the kind.
    size = found.drop_duplicates(["kind", "sheet_key", "township", "village"]).groupby("kind")["size"].sum()
    by = found.groupby("kind", sort=False)
    groups = by.agg(first=("at", "min"), findings=("at", "size"), **{c: (c, "first") for c in kind},
                    column=("column", "first"), columns=("column", "nunique"), header=("header", "first"),
                    townships=("township", "nunique"),
                    rows=("rows", "sum"), cells=("cells", "sum"),
                    **{f"decided_{s}": (f"decided_{s}", "sum") for s in DECIDED})
    groups["villages"] = villages.reindex(groups.index).to_numpy(dtype=np.int64)
    groups["total"] = size.reindex(groups.index).to_numpy(dtype=np.int64)
    # Its column named by letter only where its villages' sheets agree (one county's sheets may not).
    groups["column"] = groups["column"].where(groups["columns"] == 1, "")
    every = households[["township", "village"]].astype("string").fillna("")
    groups["of_villages"] = len(every.drop_duplicates())
    groups["of_townships"] = every["township"].nunique()
    groups = groups.drop(columns="columns").sort_values("first")
    # A group's number is its place in that order: each finding's kind looked up among the groups' kinds.
    group = np.full(len(findings), -1, dtype=np.int64)
    group[found["at"].to_numpy(dtype=np.int64)] = groups.index.get_indexer(found["kind"])
    return VillagesAlike(group, groups.reset_index(drop=True))


def decided_text(counts, lang: Lang) -> str:
    """The households decided on a blank income read as 0 (a finding's, or a village's part of it:
    anything with decided_<status>), in words: '57 户认定为“低于贫困标准”、66 户认定为“贫困边缘户候选”';
    '' where none is."""
    parts = [label(f"systemic_decided_{status}", lang, count=f"{int(getattr(counts, f'decided_{status}')):,}")
             for status in DECIDED if int(getattr(counts, f"decided_{status}"))]
    return label("list_sep", lang).join(parts)
