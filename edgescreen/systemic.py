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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, label, messages

MIN_SHARE = 0.5
MIN_ROWS = 20
# Row ranges quoted in a finding's words at most; the rest are counted.
RANGES_SHOWN = 5

FINDING_COLUMNS = ["sheet_key", "source_file", "sheet", "field", "code", "hint", "severity", "kind", "rows",
                   "households", "share", "ranges", "column", "header"]


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
    source_file, sheet and row), `columns` naming each sheet's column letter and header per field.
    Vectorised: one pass over the issues whatever their number."""
    n_issues = len(index)
    if n_issues == 0 or len(households) == 0:
        return _empty(n_issues)
    sheet_codes, sheets = pd.factorize(households["sheet_key"].to_numpy(dtype=object))
    sizes = np.bincount(sheet_codes, minlength=len(sheets))
    hh = index["hh"].to_numpy(dtype=np.int64)
    kind = index["kind"].to_numpy(dtype=np.int64)
    key = kind * len(sheets) + sheet_codes[hh]
    # Households flagged per (check on a field, sheet), each household once.
    n = len(households)
    distinct = np.sort(key * n + hh)  # a sort, not np.unique: numpy 2's hash-based unique is slower here
    distinct = distinct[np.concatenate([[True], np.diff(distinct) != 0])]
    counts = np.bincount(distinct // n, minlength=int(key.max()) + 1)
    sheet_of_key = np.arange(len(counts)) % len(sheets)
    systemic = (counts >= MIN_ROWS) & (counts >= MIN_SHARE * sizes[sheet_of_key])
    hit = np.flatnonzero(systemic)
    if not len(hit):
        return _empty(n_issues)

    finding_of_key = np.full(len(counts), -1, dtype=np.int64)
    finding_of_key[hit] = np.arange(len(hit))
    of_issue = finding_of_key[key]
    # One issue of each finding stands for it: its field, code, hint and severity.
    at = np.flatnonzero(of_issue >= 0)
    _, first = np.unique(of_issue[at], return_index=True)
    first = at[first]
    sample = index.iloc[first]
    sheet_key = sheets[sheet_of_key[hit]]
    # factorize numbers sheets in order of first appearance: each first household is where the
    # running maximum of the codes steps up.
    first_of_sheet = np.concatenate([[0], np.flatnonzero(np.diff(np.maximum.accumulate(sheet_codes))) + 1])
    by_sheet = households.iloc[first_of_sheet].set_index("sheet_key")
    rows = households["row"].to_numpy(dtype=np.int64)
    flagged_finding = finding_of_key[distinct // n]
    flagged = flagged_finding >= 0
    flagged_finding, flagged_rows = flagged_finding[flagged], rows[distinct[flagged] % n]
    order = np.argsort(flagged_finding, kind="stable")
    bounds = np.searchsorted(flagged_finding[order], np.arange(len(hit) + 1))
    ranges = [row_ranges(flagged_rows[order[bounds[f]:bounds[f + 1]]]) for f in range(len(hit))]
    findings = pd.DataFrame({
        "sheet_key": sheet_key,
        "source_file": by_sheet.loc[sheet_key, "source_file"].to_numpy(dtype=object),
        "sheet": by_sheet.loc[sheet_key, "sheet"].fillna("").to_numpy(dtype=object),
        "field": sample["field"].to_numpy(dtype=object),
        "code": sample["code"].to_numpy(dtype=object),
        "hint": sample["hint"].to_numpy(dtype=object),
        "severity": sample["severity"].to_numpy(dtype=object),
        "kind": kind[first],
        "rows": counts[hit],
        "households": sizes[sheet_of_key[hit]],
        "share": counts[hit] / sizes[sheet_of_key[hit]],
        "ranges": pd.Series(ranges, dtype=object),
    })
    letters = {(k, f): (c if isinstance(c, str) else "", h)
               for k, f, c, h in columns[["sheet_key", "field", "column", "header"]].itertuples(index=False)}
    found = [letters.get((k, f)) for k, f in zip(findings["sheet_key"], findings["field"])]
    findings["column"] = [where[0] if where else "" for where in found]
    findings["header"] = [where[1] if where and isinstance(where[1], str) else _canonical(f)
                          for where, f in zip(found, findings["field"])]
    # Errors first, then the most rows.
    order = np.lexsort((-findings["rows"].to_numpy(), findings["severity"].to_numpy() != "error"))
    findings = findings.iloc[order].reset_index(drop=True)
    renumber = np.empty(len(order), dtype=np.int64)
    renumber[order] = np.arange(len(order))
    of_issue = np.where(of_issue >= 0, renumber[np.maximum(of_issue, 0)], -1)
    return Systemic(findings, of_issue)


def _canonical(field: str) -> str:
    """A field's header where the sheet has no column for it: its canonical header, or for a computed
    value (per-capita income) its name, worded in the report's language by column_text."""
    spec = fields().by_name.get(field)
    return spec.header if spec is not None else field


def cause(code: str, hint: str, lang: Lang) -> str:
    """The likely cause of a finding, in the catalogue's words: per code and hint where the hint
    tells more (an ID column turned into numbers), per code otherwise, else a general cause."""
    labels = messages().labels
    keys = ([f"systemic_cause_{code}_{hint}"] if hint else []) + [f"systemic_cause_{code}", "systemic_cause_other"]
    return label(next(k for k in keys if k in labels), lang)


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


def describe(finding, lang: Lang) -> str:
    """One finding in a sentence: where, which column, which check, how many rows of the sheet and
    which, and the likely cause."""
    where = label("systemic_where_sheet", lang, file=finding.source_file, sheet=finding.sheet) if finding.sheet \
        else label("systemic_where_file", lang, file=finding.source_file)
    share = f"{finding.share:.0%}"
    return label("systemic_finding", lang, where=where, column=column_text(finding.column, finding.header, lang),
                 check=label(f"check_{finding.code}", lang), rows=f"{int(finding.rows):,}", total=f"{int(finding.households):,}",
                 share=share, ranges=ranges_text(finding.ranges, lang),
                 cause=cause(finding.code, finding.hint, lang))
