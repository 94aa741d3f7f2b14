"""The data-quality report: what a clerk needs to fix the survey cell by cell.

`quality_report(result, lang)` computes the tables once, column-wise: the issue list, counts by check
× township, the villages with most errors first (with their status counts), and the file-level facts
(encoding, sheets skipped, unknown columns, total, footer and repeated header rows skipped, households
on hidden or filtered rows, formula cells not read, a text file's records over several lines). The
same tables feed the workbook (`quality.xlsx`), the HTML report (`report.html`, see report_html.py),
the per-village lists sent back to be fixed, and the `check` command's summary.

Every value from the input is written with write_string, never as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import STATUSES, Lang, label, messages
from ..runtime import Task, WriterHelper, run_tasks
from .places import in_place_order, township_order, village_paths, villages
from .privacy import mask_in_text
from .xlsx import (
    Column,
    cell_formats,
    new_workbook,
    setup_print,
    write_cells,
    write_table,
)

if TYPE_CHECKING:
    from ..read import InputFile
    from ..result import Result

# The issue list as issue 4 asks for it, in this order.
ISSUE_LIST_COLUMNS = ["source_file", "sheet", "cell", "row", "township", "village", "head_name", "header",
                      "value", "code", "severity", "category", "message"]
FACT_COLUMNS = ["source_file", "sheet", "fact", "level", "detail", "message"]
VILLAGE_FIX_FOLDER = "quality-villages"
_ENCODINGS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GB18030/GBK"}


def check_codes() -> list[str]:
    """Every check code, in catalogue order."""
    return list(messages().checks)


# ---------------------------------------------------------------------------------------------
# File-level facts


def row_ranges(rows: list[int]) -> str:
    """[611, 612, 613, 620] → '611-613, 620'."""
    values = sorted(set(int(r) for r in rows))
    parts, start = [], None
    for i, r in enumerate(values):
        if start is None:
            start = r
        if i + 1 == len(values) or values[i + 1] != r + 1:
            parts.append(str(start) if start == r else f"{start}-{r}")
            start = None
    return ", ".join(parts)


def file_facts(inputs: list[InputFile], lang: Lang = "zh") -> pd.DataFrame:
    """What was read from each file and what was left out, one row per fact, with a message.
    level is 'info' or 'attention' (something may have been missed: unknown columns, formula cells
    without a saved value)."""
    rows: list[tuple[str, str, str, str, str, str]] = []

    def where(sheet: str) -> str:
        return label("fact_where_sheet", lang, sheet=sheet) if sheet else ""

    for rec in inputs:
        rows.append((rec.name, "", "file", "info", str(rec.households),
                     label("fact_file", lang, kind=rec.kind, households=rec.households)))
        if rec.encoding:
            name = _ENCODINGS.get(rec.encoding, rec.encoding)
            rows.append((rec.name, "", "encoding", "info", rec.encoding,
                         label("fact_encoding", lang, encoding=name)))
        for sheet in rec.sheets:
            first, last = sheet.header_rows
            header_rows = str(first) if first == last else f"{first}-{last}"
            if rec.kind not in ("csv", "txt", "tsv") or first != 1:
                rows.append((rec.name, sheet.name, "sheet", "info", header_rows,
                             label("fact_sheet", lang, where=where(sheet.name), header_rows=header_rows,
                                   households=sheet.households)))
            if sheet.unknown_columns:
                columns = ", ".join(sheet.unknown_columns)
                rows.append((rec.name, sheet.name, "unknown_columns", "attention", columns,
                             label("fact_unknown_columns", lang, where=where(sheet.name),
                                   count=len(sheet.unknown_columns), columns=columns)))
            for reason in ("total", "footer", "header"):
                skipped = [r for r, why in sheet.skipped_rows if why == reason]
                if skipped:
                    ranges = row_ranges(skipped)
                    rows.append((rec.name, sheet.name, f"rows_{reason}", "info", ranges,
                                 label(f"fact_rows_{reason}", lang, where=where(sheet.name), rows=ranges)))
            for fact, hidden in (("hidden_rows", sheet.hidden_rows), ("filtered_rows", sheet.filtered_rows)):
                if hidden:
                    ranges = row_ranges(hidden)
                    rows.append((rec.name, sheet.name, fact, "attention", ranges,
                                 label(f"fact_{fact}", lang, where=where(sheet.name), count=len(hidden), rows=ranges)))
        for sheet_name, reason in rec.skipped_sheets:
            key = "skip_" + reason.replace(" ", "_")
            why = label(key, lang) if key in messages().labels else reason
            rows.append((rec.name, sheet_name, "sheet_skipped", "info", reason,
                         label("fact_sheet_skipped", lang, sheet=sheet_name, reason=why)))
        by_sheet: dict[str, list[str]] = {}
        for sheet_name, cell in rec.formula_cells_without_value:
            by_sheet.setdefault(sheet_name, []).append(cell)
        for sheet_name, cells in by_sheet.items():
            text = ", ".join(cells)
            rows.append((rec.name, sheet_name, "formula_cells", "attention", text,
                         label("fact_formula_stale" if rec.formulas_stale else "fact_formula_cells", lang,
                               where=where(sheet_name), count=len(cells), cells=text)))
        if rec.records_over_lines:
            numbers, lines = zip(*rec.records_over_lines)
            rows.append((rec.name, "", "records_over_lines", "info", row_ranges(list(numbers)),
                         label("fact_records_over_lines", lang, count=len(numbers), rows=", ".join(map(str, numbers)),
                               lines=", ".join(map(str, lines)))))
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


# ---------------------------------------------------------------------------------------------
# The tables


@dataclass
class QualityReport:
    """The tables of the quality report, in one language."""

    lang: Lang
    issues: pd.DataFrame      # the issue table of Result.issues(lang), with hh
    by_code: pd.DataFrame     # index: code; columns: townships then 'total'
    villages: pd.DataFrame    # township, village, households, households_with_errors, errors, warnings, statuses…
    facts: pd.DataFrame       # FACT_COLUMNS
    statuses: pd.Series       # households per status, in STATUSES order
    counts: dict              # households, errors, warnings, households_with_errors, files
    result: Result

    @property
    def errors(self) -> int:
        return self.counts["errors"]

    @property
    def warnings(self) -> int:
        return self.counts["warnings"]

    @property
    def townships(self) -> pd.DataFrame:
        """households, errors, warnings, households_with_errors per township, in township order."""
        return in_place_order(self.villages.groupby("township", sort=False)[
            ["households", "errors", "warnings", "households_with_errors"]].sum(), self.result.households)

    def code_rows(self) -> list[tuple[str, list[str], int]]:
        """(code, its severities, issues) for every check that found something, in catalogue order."""
        issues = self.issues
        return [(code, sorted(set(issues.loc[issues["code"] == code, "severity"])), int(n))
                for code, n in self.by_code["total"].items() if n]

    @cached_property
    def listing(self) -> pd.DataFrame:
        """issue_list(self), made once for the workbook, the page and the village fix lists
        (treat it as read-only)."""
        return issue_list(self)


def _place(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str)


def quality_report(result: Result, lang: Lang = "zh") -> QualityReport:
    """Compute every table of the report from a screening result."""
    hh = result.households
    issues = result.issues(lang)

    # Villages: households, statuses, issues, households with errors; most errors first. One
    # groupby sums every count, the statuses as one 0/1 column each.
    is_error = (issues["severity"] == "error").to_numpy()
    positions = issues["hh"].to_numpy(dtype=np.int64)
    err_hh = np.zeros(len(hh), dtype=bool)
    err_hh[positions[is_error]] = True
    any_hh = np.zeros(len(hh), dtype=bool)
    any_hh[positions] = True
    status = pd.Categorical(hh["status"], categories=STATUSES).codes  # compared as small integers
    per_hh = pd.DataFrame({
        "township": _place(hh["township"]), "village": _place(hh["village"]), "households": 1,
        "households_with_errors": err_hh.astype(int), "households_with_issues": any_hh.astype(int),
        "errors": np.bincount(positions[is_error], minlength=len(hh)),
        "warnings": np.bincount(positions[~is_error], minlength=len(hh)),
        **{s: (status == i).astype(np.int64) for i, s in enumerate(STATUSES)},
    })
    villages = in_place_order(per_hh.groupby(["township", "village"]).sum(), hh).reset_index()
    townships = township_order(hh)
    # Most errors first; villages alike stay in input order (the sort is stable).
    villages = villages.sort_values(["errors", "warnings"], ascending=[False, False],
                                    kind="stable").reset_index(drop=True)

    # groupby().size() rather than crosstab: crosstab counts each group with a Python call.
    by_code = issues.groupby([issues["code"], _place(issues["township"])]).size().unstack(fill_value=0) \
        if len(issues) else pd.DataFrame()
    by_code = by_code.reindex(index=check_codes(), columns=townships, fill_value=0).astype(int)
    by_code.index.name, by_code.columns.name = "code", None
    by_code["total"] = by_code.sum(axis=1)

    statuses = hh["status"].value_counts().reindex(STATUSES, fill_value=0)
    counts = {
        "files": len(result.inputs),
        "households": int(len(hh)),
        "errors": int(is_error.sum()),
        "warnings": int((~is_error).sum()),
        "households_with_errors": int(err_hh.sum()),
        "households_with_issues": int(any_hh.sum()),
    }
    return QualityReport(lang=lang, issues=issues, by_code=by_code, villages=villages,
                         facts=file_facts(result.inputs, lang), statuses=statuses, counts=counts,
                         result=result)


def issue_list(report: QualityReport, issues: pd.DataFrame | None = None) -> pd.DataFrame:
    """The issue list as people read it: ISSUE_LIST_COLUMNS, severity and category in words."""
    lang = report.lang
    frame = report.issues if issues is None else issues
    out = pd.DataFrame({c: frame[c] for c in ISSUE_LIST_COLUMNS}) if len(frame) else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_LIST_COLUMNS})
    words = {k: label(k, lang) for k in ("error", "warning", "漏项", "串项", "逻辑错误")}
    out["severity"] = out["severity"].map(words).fillna(out["severity"])
    out["category"] = out["category"].map(words).fillna(out["category"])
    for col in ("source_file", "sheet", "cell", "township", "village", "head_name", "header", "value",
                "message"):
        out[col] = out[col].fillna("").astype(str)
    # A computed field (per-capita income) has no column: name it as people read it.
    labels = messages().labels
    computed = (out["header"] == frame["field"].to_numpy()) & out["header"].isin(list(labels)) if len(frame) \
        else pd.Series(False, index=out.index)
    out.loc[computed, "header"] = out.loc[computed, "header"].map(lambda k: labels[k](lang))
    return out.reset_index(drop=True)


def run_lines(report: QualityReport) -> list[tuple[str, str]]:
    """(label, value) lines describing the run, for the head of the workbook and the HTML."""
    result, lang = report.result, report.lang
    rules = result.rule_set
    b = result.bounds
    bounds = (f"{b.lower.value} < x < {b.upper.value}" if b.lower is not None else f"x < {b.upper.value}")
    return [
        (label("inputs", lang), ", ".join(rec.name for rec in result.inputs)),
        (label("rule_set", lang), f"{rules.title} ({rules.id}, {b.year}): {bounds}"),
        (label("as_of", lang), result.as_of.isoformat()),
        (label("generated", lang), result.finished.strftime("%Y-%m-%d %H:%M")),
    ]


# ---------------------------------------------------------------------------------------------
# The workbook


_WIDTHS = {"source_file": 22, "sheet": 12, "cell": 8, "row": 7, "township": 10, "village": 10,
           "head_name": 10, "header": 22, "value": 22, "code": 24, "severity": 8, "category": 10,
           "message": 80, "fix_done": 24, "seq": 6, "level": 12, "detail": 30}


def _columns(keys, lang: Lang) -> list[Column]:
    """The printed columns of an issue or fact table: the message wrapped, the severity in colour."""
    severity = {label("error", lang): "error", label("warning", lang): "warning"}
    return [Column(key, _WIDTHS.get(key, 12), "wrap" if key == "message" else "top",
                   severity if key == "severity" else None) for key in keys]


def _write_listing(ws, top: int, frame: pd.DataFrame, lang: Lang, formats: dict, *, extra: tuple[str, ...] = ()) -> None:
    """An issue or fact table with a filter on its header, frozen below it; `extra` columns are
    left blank, to be filled in."""
    write_table(ws, top, _columns([*frame.columns, *extra], lang), frame, formats, lang, empty_row=False,
                autofilter=True)
    ws.freeze_panes(top + 1, 0)


def _write_overview(book, report: QualityReport, formats: dict) -> None:
    lang = report.lang
    ws = book.add_worksheet(label("sheet_overview", lang))
    ws.write_string(0, 0, f"{label('quality_title', lang)}:{label('quality_motto', lang)}", formats["report_title"])
    r = 2
    for key, value in run_lines(report):
        ws.write_string(r, 0, key, formats["note"])
        ws.write_string(r, 2, value, formats["note"])
        r += 1
    r += 1
    c = report.counts
    keys = [("households_total", c["households"]), ("error", c["errors"]), ("warning", c["warnings"]),
            ("households_with_errors", c["households_with_errors"]), ("files_count", c["files"])]
    write_cells(ws, r, 0, [label(k, lang) for k, _ in keys], formats["header"])
    write_cells(ws, r + 1, 0, [v for _, v in keys], formats["cell"])
    r += 3

    ws.write_string(r, 0, label("by_code_title", lang), formats["h2"])
    r += 1
    by_code = report.by_code
    townships = [t for t in by_code.columns if t != "total"]
    headers = [label("code", lang), label("check_name", lang), label("category", lang), label("severity", lang),
               *[t or "—" for t in townships], label("total", lang)]
    write_cells(ws, r, 0, headers, formats["header"])
    checks = messages().checks
    for code, counts in by_code.iterrows():
        r += 1
        spec = checks[code]
        severity = label(spec.severity, lang) if not spec.severity_by_kind else \
            "/".join(label(s, lang) for s in ("error", "warning"))
        write_cells(ws, r, 0, [code, label(f"check_{code}", lang), label(spec.category, lang), severity,
                               *[int(v) for v in counts]], formats["cell"])
    r += 1
    write_cells(ws, r, 0, [label("total", lang), None, None, None, *[int(v) for v in by_code.sum()]],
                formats["total"])
    r += 3

    ws.write_string(r, 0, label("villages_title", lang), formats["h2"])
    r += 1
    cols = ["township", "village", "households", "households_with_errors", "errors", "warnings"]
    names = [label("township", lang), label("village", lang), label("households_total", lang),
             label("households_with_errors", lang), label("error", lang), label("warning", lang)]
    write_cells(ws, r, 0, names, formats["header"])
    for record in report.villages[cols].itertuples(index=False, name=None):
        r += 1
        write_cells(ws, r, 0, [record[0] or "—", record[1] or "—", *[int(v) for v in record[2:]]],
                    formats["cell"])
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 3 + len(townships) + 1, 12)
    setup_print(ws, lang, header_row=0, freeze=False)


def write_quality_workbook(report: QualityReport, path: Path) -> Path:
    """quality.xlsx: overview, the whole issue list, one sheet per severity, and the file facts."""
    lang = report.lang
    book = new_workbook(path)
    formats = cell_formats(book, lang)
    _write_overview(book, report, formats)
    listing = report.listing
    severity = report.issues["severity"].to_numpy() if len(report.issues) else np.array([], dtype=object)
    for sheet, rows in (("sheet_issues", listing),
                        ("sheet_errors", listing[severity == "error"]),
                        ("sheet_warnings", listing[severity == "warning"])):
        ws = book.add_worksheet(label(sheet, lang))
        _write_listing(ws, 0, rows, lang, formats)
        setup_print(ws, lang, header_row=0)
    ws = book.add_worksheet(label("sheet_files", lang))
    facts = report.facts.assign(level=report.facts["level"].map(lambda v: label(v, lang)))
    facts = facts[["source_file", "sheet", "level", "detail", "message"]]
    _write_listing(ws, 0, facts, lang, formats)
    setup_print(ws, lang, header_row=0)
    book.close()
    return path


def write_village_fix_list(path: Path, township: str, village: str, rows: pd.DataFrame, errors: int,
                           lang: Lang) -> None:
    """One village's workbook of issues to fix (`rows`: its issue list, errors first, numbered)."""
    book = new_workbook(path)
    formats = cell_formats(book, lang)
    ws = book.add_worksheet(label("sheet_issues", lang))
    ws.write_string(0, 0, label("fix_title", lang, township=township, village=village), formats["report_title"])
    ws.write_string(1, 0, label("fix_note", lang, errors=errors, warnings=len(rows) - errors), formats["note"])
    _write_listing(ws, 3, rows, lang, formats, extra=("fix_done",))
    setup_print(ws, lang, header_row=3)
    book.close()


def village_fix_tasks(report: QualityReport, folder: Path) -> list[Task]:
    """One task per village that has issues, writing the workbook to send back to be fixed: its
    errors first, then its warnings, in row order, with an empty column for what was checked or
    corrected. Plain arguments, so a helper process can take some (see runtime.py)."""
    issues = report.issues
    if not len(issues):
        return []
    folder.mkdir(parents=True, exist_ok=True)
    listing = report.listing.assign(_rank=np.where(issues["severity"].to_numpy() == "error", 0, 1),
                                    _order=np.arange(len(issues)),
                                    head_name=mask_in_text(report.listing["head_name"]).to_numpy())
    groups = list(villages(listing, report.result.households))
    # The same file names as the village lists.
    paths = village_paths(folder, [(t, v) for t, v, _ in groups], report.result.households, report.lang)
    tasks = []
    for path, (township, village, part) in zip(paths, groups):
        part = part.sort_values(["_rank", "_order"], kind="stable")
        rows = part[["source_file", "sheet", "cell", "row", "head_name", "header", "value", "severity",
                     "category", "message"]]
        rows.insert(0, "seq", np.arange(1, len(rows) + 1))
        tasks.append(("write_fix_lists", write_village_fix_list,
                      (path, township, village, rows, int((part["_rank"] == 0).sum()), report.lang)))
    return tasks


def write_village_fix_lists(report: QualityReport, folder: Path, helper: WriterHelper | None = None) -> list[Path]:
    """Every village's fix list (see village_fix_tasks) into `folder`; returns their paths."""
    tasks = village_fix_tasks(report, folder)
    run_tasks(tasks, helper)
    return [args[0] for _, _, args in tasks]


__all__ = ["QualityReport", "quality_report", "file_facts", "issue_list", "write_quality_workbook",
           "write_village_fix_lists", "ISSUE_LIST_COLUMNS"]
