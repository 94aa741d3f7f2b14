"""The data-quality report: what a clerk needs to fix the survey cell by cell.

`quality_report(result, lang)` computes the tables once, column-wise, from the issue index (no text):
counts by check × township, the villages with most errors first (their status counts and the checks
that hit them), the systemic findings (one check on one column in most rows of a sheet: said once,
see systemic.py) and the file-level facts (encoding, sheets skipped, unknown columns, total, footer
and repeated header rows skipped, households on hidden or filtered rows, formula cells not read, a
text file's records over several lines). Text is made only for what people read row by row: the
`listing`, every issue but the warnings of a systemic finding. The same tables feed the workbook
(`quality.xlsx`), the HTML report (`report.html`, see report_html.py), the per-village lists sent
back to be fixed, the terminal, and the `check` command's summary. issues.csv, written beside them,
keeps every issue.

Every value from the input is written as text, never as a formula.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

from ..catalogue import STATUSES, Lang, Phrase, fields, label, messages, rosters_catalogue
from ..issues import COMPUTED_FIELDS
from ..members import other_numbers_facts
from ..money import yuan_figure
from ..read import SKIPPED_ROW_KINDS, headers_seen
from ..rosters import without_roster_columns
from ..runtime import Task, WriterHelper, run_tasks
from ..systemic import (DECIDED, BLANK_MONEY_HINTS, Systemic, VillagesAlike, cause, column_text, deciding, decided_text,
                        describe, ranges_text, villages_alike)
from ..systemic import row_ranges as runs_of_rows
from .ledger import field_words
from .places import (
    issuer_places,
    routed_rows,
    run_villages,
    township_order,
    village_keys,
    village_paths,
    villages,
)
from .privacy import mask_in_string, mask_in_text, masked_issues
from .sheetdata import MAX_SHEET_ROWS, LongColumn, LongTables, sheet_parts
from .xlsx import (
    Column,
    cell_formats,
    HEIGHT_SLACK,
    line_width,
    WIDTH_SLACK,
    new_workbook,
    page_body,
    print_scale,
    row_height,
    printed_height,
    printed_lines,
    row_lines_most,
    setup_print,
    text_height,
    write_block,
    write_cells,
    write_table,
)

if TYPE_CHECKING:
    from ..read import InputFile
    from ..result import Result

# The issue list: first the columns that print (A4 landscape, the text at 8 pt or more), then the
# check's code and category, which stay on screen for filtering.
ISSUE_LIST_COLUMNS = ["source_file", "sheet", "cell", "row", "township", "village", "head_name", "header",
                      "value", "severity", "message", "category", "code"]
PRINTED_COLUMNS = 11
FIX_LIST_COLUMNS = ["seq", "source_file", "sheet", "cell", "row", "head_name", "header", "value", "severity",
                    "category", "message"]
FACT_COLUMNS = ["source_file", "sheet", "fact", "level", "detail", "message", "shown"]
VILLAGE_FIX_FOLDER = "quality-villages"
# A fix list's row: room to write the correction by hand.
FIX_ROW_HEIGHT = 36
_ENCODINGS = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GB18030/GBK"}


def check_codes(result: Result | None = None) -> list[str]:
    """Every check code, in catalogue order; with `result`, those its run had: a check that needs
    members or rosters only where the run has them (the bare screen's reports list what they did)."""
    checks = messages().checks
    if result is None:
        return list(checks)
    has = {"members": result.members is not None, "rosters": result.rosters is not None}
    return [code for code, spec in checks.items() if spec.needs is None or has[spec.needs]]


# ---------------------------------------------------------------------------------------------
# File-level facts


def row_ranges(rows, sep: str = ", ") -> str:
    """[611, 612, 613, 620] → '611-613, 620' (joined by `sep`)."""
    return sep.join(str(a) if a == b else f"{a}-{b}" for a, b in runs_of_rows(rows))


# Characters of row numbers a fact's cell says: Excel cuts a cell at 32,767 characters (sheetdata.TEXT_MAX),
# mid-number and with no word of what was lost, and the rest of the fact's sentence needs room too. A
# longer list ends whole at a separator, says how many rows it holds, and sends the clerk to the sheet
# that has all of them (_write_all_rows), in pieces of ROWS_PER_CELL: a row of more is taller than a page.
ROWS_SAID_MOST = 30_000
ROWS_PER_CELL = 1_000
# A text file's rows over several lines and the lines they start on, said pair by pair: two lists in one
# sentence, repeated beside each piece of its rows on the 全部行号 sheet; a page of each is plenty.
RECORDS_SAID_MOST = ROWS_PER_CELL
# Characters of a returned list's remarks or answers quoted in a fact beside its rows (rows_said): the
# rest are on those rows of the list, and the terminal says the fact whole.
WORDS_SAID_MOST = 500
# What separates the runs of a list of rows (row_ranges' ", ", list_sep, _roster_rows' sheets).
_ROW_SEPARATORS = (", ", "、", ";", "; ")


def _last_separator(text: str, most: int) -> tuple[int, int]:
    """(where, how long) the last separator of `text` that ends within its first `most` characters."""
    at, sep = max((text.rfind(sep, 0, most), sep) for sep in _ROW_SEPARATORS)
    return (at, len(sep)) if at > 0 else (most, 0)  # one run longer than `most`: cut where it must


def list_said(text: str, count: int, lang: Lang, *, more: str = "fact_items_more", rest: str = "",
              most: int = ROWS_SAID_MOST) -> str:
    """A list joined into one sentence (rows, cell references, remarks) as its cell says it: whole up to
    `most` characters; a longer one to its last whole item within them, then 等,共 N 项 (`more`, of
    `count`) and where the rest is (`rest`, said)."""
    if len(text) <= most:
        return text
    return text[:_last_separator(text, most)[0]] + label(more, lang, count=f"{count:,}") + rest


def all_rows_pointer(lang: Lang, key: str = "fact_rows_all_at") -> str:
    """Where a list cut by list_said is whole: quality.xlsx's 全部行号 sheet (_write_all_rows)."""
    return label(key, lang, sheet=label("sheet_all_rows", lang))


def rows_said(rows: str, count: int, lang: Lang) -> str:
    """A fact's list of rows (row_ranges, _roster_rows) as its cell and the terminal say it: whole up to
    ROWS_SAID_MOST characters; a longer one to its last whole run within them, then 等,共 N 行 (`count`)
    and where every row is (quality.xlsx's 全部行号 sheet, written from the fact's detail)."""
    return list_said(rows, count, lang, more="fact_rows_more", rest=all_rows_pointer(lang))


def rows_on_terminal(part: pd.DataFrame, lang: Lang, *, cell: str = "", bare: bool = False) -> tuple[str, str] | None:
    """A fact's rows (a table of sheet and row) as the terminal says them where they are more than
    RANGES_SHOWN runs (a county's sheet hides hundreds, a 低保 roster has thousands of 停保 rows): the first
    runs, then where every row is in quality.xlsx (its 文件情况, or 全部行号 where rows_said cuts the fact's
    `cell`, its rows' text, there too). None where the terminal says them all, as the cell does.
    Returns (the rows said, words to add after the fact's sentence). Worded: sheet by sheet, as a roster's
    fact names them (工作表「低保」第 3、10-12 行等,and where, in the rows). `bare`: for a sentence that puts
    第 … 行 around its rows (a survey sheet's facts): the runs as row_ranges writes them, then 等,共 N (its
    行 the sentence's), and where every row is after the sentence."""
    from ..systemic import RANGES_SHOWN

    by_sheet = [(sheet, runs_of_rows(rows.to_numpy())) for sheet, rows in part.groupby("sheet", sort=False)["row"]]
    if sum(len(runs) for _, runs in by_sheet) <= RANGES_SHOWN:
        return None
    at = label("sheet_all_rows" if len(cell) > ROWS_SAID_MOST else "sheet_files", lang)
    if bare:
        runs = [run for _, runs in by_sheet for run in runs][:RANGES_SHOWN]
        return (", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)  # as row_ranges writes them
                + label("terminal_rows_more", lang, count=f"{part['row'].nunique():,}"),
                label("terminal_rows_all_at", lang, sheet=at))
    said, left = [], RANGES_SHOWN
    for sheet, runs in by_sheet:
        if not left:
            break
        ranges = ranges_text(runs[:left], lang)
        said.append(label("terminal_roster_rows_sheet", lang, sheet=sheet, rows=ranges) if sheet
                    else label("terminal_roster_rows", lang, rows=ranges))
        left -= len(runs[:left])
    return label("list_sep_wide", lang).join(said) + label("terminal_roster_rows_more", lang, sheet=at), ""


def fact_rows(rows, ranges: str, lang: Lang, *, terminal: bool, bare: bool = False) -> tuple[str, str]:
    """A fact's rows (row numbers, or a table of sheet and row) as its sentence says them, and what
    follows the sentence: in quality.xlsx every row (rows_said); on the `terminal`, past RANGES_SHOWN
    runs, the first of them and where every row is (rows_on_terminal)."""
    part = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame({"sheet": "", "row": np.asarray(rows)})
    cut = rows_on_terminal(part, lang, cell=ranges, bare=bare) if terminal else None
    return cut or (rows_said(ranges, len(part), lang), "")


def row_chunks(rows: str, most: int = ROWS_PER_CELL) -> list[str]:
    """A list of rows in pieces of at most `most` characters, each ending at a separator."""
    chunks = []
    while len(rows) > most:
        at, sep = _last_separator(rows, most)
        chunks.append(rows[:at])
        rows = rows[at + sep:]
    return [*chunks, rows] if rows else chunks


# What a folder given holds that was not read (inputs.LeftOut's reasons): 'attention' where households
# may be in it, so that check does not call the folder ready to send; 'info' for a lock file (its
# workbook is read: maybe not as last edited) and an output folder of edgescreen's.
LEFT_OUT_LEVELS = {"save_as_xlsx": "attention", "file_type": "attention", "folder_too_deep": "attention",
                   "no_household_header": "attention", "summary_workbook": "info", "lock_file": "attention",
                   "output_folder": "info", "request_list": "attention", "printed_document": "attention"}


def total_differs_line(total, where: str, lang: Lang) -> str:
    """A total row that is not the sum of the households above it (totals.TotalDiffers), said."""
    said = label("total_said", lang, said=total.said) if total.said else ""
    # A total whose only difference is amounts typed as text needs no search for deleted rows.
    key = "fact_total_text_typed" if total.text_typed else "fact_total_differs"
    return label(key, lang, where=where, row=total.row, said=said, differs=total.words(lang),
                 sheet=label("sheet_files", lang))


def counted_today(result: Result) -> dt.date | None:
    """The day ages were counted at where it is the run's own (neither --as-of nor a round's --date
    asked for one): None where the run was told a day."""
    return None if result.as_of_given else result.as_of


def older_survey(inputs: list[InputFile], aged_at: dt.date) -> tuple[object, dt.date, str] | None:
    """The earliest day the survey's sheets say they were filled in (read.SheetInfo.filled_on, else a
    title's 年度 year: its 12-31), where it is more than a year before `aged_at`, the day ages were counted
    at: (its sheet, the last day it may mean, its words as a message quotes them). None where
    no sheet says so old a day: a 2025 survey checked early in 2026 is the usual way."""
    stated = [(sheet, *(sheet.filled_on or (dt.date(min(sheet.title_years), 12, 31), None)))
              for rec in inputs for sheet in rec.sheets if sheet.filled_on or sheet.title_years]
    if not stated:
        return None
    sheet, last, words = min(stated, key=lambda s: s[1])
    if (last.year + 1, last.month, last.day) >= (aged_at.year, aged_at.month, aged_at.day):
        return None
    return sheet, last, words if words is not None else str(last.year)


def ages_counted_today_line(older: tuple, where: str, aged_at: dt.date, lang: Lang) -> str:
    """older_survey's day said: ages counted at `aged_at`, what the form says, the --as-of to run again with."""
    sheet, last, words = older
    said = label("ages_said_filled_on" if sheet.filled_on else "ages_said_title_year", lang, said=words)
    return label("fact_ages_counted_today", lang, where=where, said=said, today=aged_at.isoformat(),
                 as_of=last.isoformat())


def file_facts(inputs: list[InputFile], lang: Lang = "zh", left_out=(), year: int | None = None,
               terminal: bool = False, aged_at: dt.date | None = None) -> pd.DataFrame:
    """What was read from each file and what was left out, one row per fact, with a message.
    level is 'info' or 'attention' (something may have been missed: unknown columns, formula cells
    without a saved value, a file of a folder not read). `detail` is for programs (check.json: an
    encoding's or a reason's code); `shown` is the same as people read it, in the catalogue's words,
    never a word of the program's own. `left_out`: the folders' files not read (inputs.LeftOut), each a
    fact 'not_read' whose detail is its reason. `year`: the income year screened, said where a sheet's
    title names another. `aged_at`: the day ages were counted at where no option set it (counted_today):
    a survey filled in more than a year before is said once (older_survey). With `terminal`, as the
    terminal says them: a list of rows by its first runs."""
    rows: list[tuple[str, ...]] = []
    older = older_survey(inputs, aged_at) if aged_at is not None else None
    for item in left_out:
        text = Phrase(f"fact_left_{item.reason}", detail=item.detail).render(lang)  # a detail may be a Phrase
        # A copy of a file read (inputs.copies_said) hides no household: it does not hold the folder back.
        level = "info" if item.copy_of else LEFT_OUT_LEVELS[item.reason]
        rows.append((item.shown, "", "not_read", level, item.reason, text, text))
    labels = messages().labels

    def where(sheet: str) -> str:
        return label("fact_where_sheet", lang, sheet=sheet) if sheet else ""

    def rows_of(rows: list[int], ranges: str) -> tuple[str, str]:
        return fact_rows(rows, ranges, lang, terminal=terminal, bare=True)

    for rec in inputs:
        if rec.households == 0 and not rec.member_sheets:  # a blank form among filled ones: said, not passed
            rows.append((rec.name, "", "file_empty", "attention", "0", label("fact_file_empty", lang, kind=rec.kind),
                         "0"))
        else:
            rows.append((rec.name, "", "file", "info", str(rec.households),
                         label("fact_file", lang, kind=rec.kind, households=f"{rec.households:,}"), str(rec.households)))
        if rec.named_as:  # a file whose name says another format than it holds: read as what it holds
            if rec.delimiter:
                what = label(f"content_text_{rec.delimiter}" if rec.delimiter in ("tab", "semicolon")
                             else "content_text_comma", lang)
                text = label("fact_content_text", lang, what=what, named=rec.named_as)
            else:
                text = label("fact_content_kind", lang, actual="." + rec.kind, named=rec.named_as)
            rows.append((rec.name, "", "content_kind", "attention", rec.kind, text, rec.kind))
        if rec.encoding:
            name = _ENCODINGS.get(rec.encoding, rec.encoding)
            rows.append((rec.name, "", "encoding", "info", rec.encoding, label("fact_encoding", lang, encoding=name),
                         name))
        for sheet in rec.sheets:
            first, last = sheet.header_rows
            header_rows = str(first) if first == last else f"{first}-{last}"
            if rec.kind not in ("csv", "txt", "tsv") or first != 1:
                rows.append((rec.name, sheet.name, "sheet", "info", header_rows,
                             label("fact_sheet", lang, where=where(sheet.name), header_rows=header_rows,
                                   households=f"{sheet.households:,}"), header_rows))
            if sheet.unknown_columns:
                named = [ref.render(lang) for ref in sheet.unknown_columns]
                columns = label("list_sep", lang).join(named)
                # check.json's detail, for programs: comma-separated in either language, as it always was
                rows.append((rec.name, sheet.name, "unknown_columns", "attention", ", ".join(named),
                             label("fact_unknown_columns", lang, where=where(sheet.name),
                                   count=f"{len(sheet.unknown_columns):,}", columns=columns), columns))
            for reason in SKIPPED_ROW_KINDS:
                skipped = [r for r, why in sheet.skipped_rows if why == reason]
                if skipped:
                    ranges = row_ranges(skipped)
                    said, after = rows_of(skipped, ranges)
                    rows.append((rec.name, sheet.name, f"rows_{reason}", "info", ranges,
                                 label(f"fact_rows_{reason}", lang, where=where(sheet.name), rows=said) + after,
                                 said))
            if sheet.in_wan:
                said, amounts = wan_words(sheet.in_wan, lang)
                rows.append((rec.name, sheet.name, "amounts_in_wan", "info", amounts,
                             label("fact_amounts_in_wan", lang, where=where(sheet.name), said=said, fields=amounts),
                             amounts))
            if sheet.places_from:  # a village's own form: its place read from its title, its name …
                places = label("place_names_sep", lang).join(name for name, _, _ in sheet.places_from.values())
                rows.append((rec.name, sheet.name, "places_from_title", "info", places,
                             sheet.places_said("fact_places_from_title", lang, where(sheet.name)), places))
            if sheet.options:  # a multiple choice's column read as the yes/no fields it answers
                column, answered = sheet.options
                said = label("list_sep", lang).join(field_words(lang).get(name, name) for name in answered)
                rows.append((rec.name, sheet.name, "options_column", "info", column.letter,
                             label("fact_options_column", lang, where=where(sheet.name), column=column.render(lang),
                                   fields=said), column.letter))
            if sheet.ticked:
                headers = label("list_sep", lang).join(ref.render(lang) for ref in sheet.ticked.values())
                rows.append((rec.name, sheet.name, "tick_columns", "info", headers,
                             label("fact_tick_columns", lang, where=where(sheet.name), headers=headers), headers))
            if year is not None and sheet.title_years and year not in sheet.title_years:
                said = label("list_sep", lang).join(map(str, sheet.title_years))
                rows.append((rec.name, sheet.name, "title_year", "attention", said,
                             label("fact_title_year", lang, where=where(sheet.name), said=said, year=year,
                                   first=sheet.title_years[0]), said))
            if older is not None and older[0] is sheet:  # ages at today of a survey years old
                as_of = older[1].isoformat()
                rows.append((rec.name, sheet.name, "ages_counted_today", "attention", as_of,
                             ages_counted_today_line(older, where(sheet.name), aged_at, lang), as_of))
            for total in sheet.totals_differ:
                rows.append((rec.name, sheet.name, "total_differs", "attention", str(total.row),
                             total_differs_line(total, where(sheet.name), lang), str(total.row)))
            if sheet.below_last_total is not None:  # 补录 below the 合计: read, and not in it
                line, said = below_last_total_line(sheet.below_last_total, where(sheet.name), lang, terminal=terminal)
                rows.append((rec.name, sheet.name, "below_last_total", "attention",
                             row_ranges(sheet.below_last_total[2]), line, said))
            if sheet.filled_down is not None:
                first, last, _ = sheet.filled_down
                rows.append((rec.name, sheet.name, "filled_down", "info", f"{first}-{last}",
                             filled_down_line(sheet.filled_down, where(sheet.name), lang), f"{first}-{last}"))
            for fact, hidden in (("hidden_rows", sheet.hidden_rows), ("filtered_rows", sheet.filtered_rows)):
                if hidden:
                    ranges = row_ranges(hidden)
                    said, after = rows_of(hidden, ranges)
                    rows.append((rec.name, sheet.name, fact, "attention", ranges,
                                 label(f"fact_{fact}", lang, where=where(sheet.name), count=f"{len(hidden):,}",
                                       rows=said) + after,
                                 said))
        for sheet_name, reason in rec.skipped_sheets:
            key = "skip_" + str(reason).replace(" ", "_")
            why = label(key, lang) if key in labels else label("skip_other", lang)
            rows.append((rec.name, sheet_name, "sheet_skipped", "info", reason,
                         label("fact_sheet_skipped", lang, sheet=sheet_name, reason=why), why))
        # A hidden sheet with households on it: a village hidden to tidy the workbook, or an old copy.
        for sheet_name, count in rec.hidden_households:
            detail = "" if count is None else str(count)
            rows.append((rec.name, sheet_name, "hidden_sheet_households", "attention", detail,
                         hidden_sheet_line(sheet_name, count, lang), detail))
        by_sheet: dict[str, list[str]] = {}
        for sheet_name, cell in rec.formula_cells_without_value:
            by_sheet.setdefault(sheet_name, []).append(cell)
        for sheet_name, cells in by_sheet.items():
            text = ", ".join(cells)  # the detail: every cell, for programs and the 全部行号 sheet
            said = list_said(text, len(cells), lang, rest=all_rows_pointer(lang, "fact_cells_all_at"))
            rows.append((rec.name, sheet_name, "formula_cells", "attention", text,
                         label("fact_formula_stale" if rec.formulas_stale else "fact_formula_cells", lang,
                               where=where(sheet_name), count=f"{len(cells):,}", cells=said), said))
        if rec.records_over_lines:
            numbers, lines = zip(*rec.records_over_lines)
            ranges = row_ranges(list(numbers))
            rows.append((rec.name, "", "records_over_lines", "info", ranges,
                         records_over_lines_line(numbers, lines, lang), rows_said(ranges, len(numbers), lang)))
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def records_over_lines_line(numbers, lines, lang: Lang) -> str:
    """A text file's rows over several lines and the line each starts on (two lists, pair by pair): the
    first pairs within RECORDS_SAID_MOST characters a list, then how many and where every row is (the
    fact's detail, on the 全部行号 sheet)."""
    rows, starts = ", ".join(map(str, numbers)), ", ".join(map(str, lines))
    if len(starts) <= RECORDS_SAID_MOST:  # a line is never before its row: the lines' list is the longer
        return label("fact_records_over_lines", lang, count=f"{len(numbers):,}", rows=rows, lines=starts)
    shown = starts[:_last_separator(starts, RECORDS_SAID_MOST)[0]].count(", ") + 1
    return label("fact_records_over_lines_first", lang, count=f"{len(numbers):,}", shown=f"{shown:,}",
                 rows=", ".join(map(str, numbers[:shown])), lines=", ".join(map(str, lines[:shown])),
                 at=all_rows_pointer(lang))


def wan_words(in_wan: dict[str, str], lang: Lang) -> tuple[str, str]:
    """(what says the amounts are in 万元, the fields so read by their headers) of SheetInfo.in_wan."""
    headers = {f.name: f.header for f in fields().field}
    return next(iter(in_wan.values())), label("list_sep", lang).join(headers[name] for name in in_wan)


def filled_down_line(filled: tuple, where: str, lang: Lang) -> str:
    """The rows at a sheet's end passed over as filled down (read.SheetInfo.filled_down), in words:
    the column by its letter and header (ColumnRef.render) where it is a field's."""
    first, last, column = filled
    if column:
        named = column.render(lang) if hasattr(column, "render") else column
        return label("fact_filled_down", lang, where=where, first=f"{first:,}", last=f"{last:,}", column=named)
    return label("fact_covered_down", lang, where=where, first=f"{first:,}", last=f"{last:,}")


def below_last_total_line(below: tuple[int, str, list[int]], where: str, lang: Lang, *,
                          terminal: bool = False) -> tuple[str, str]:
    """Households read below a sheet's last total that no total covers (read.SheetInfo.below_last_total:
    the total's Excel row, its label, their rows), in words, and their rows as said (fact_rows): in
    quality.xlsx every one; on the `terminal`, past RANGES_SHOWN runs, the first and where every row is."""
    total_row, total_said, households = below
    said, after = fact_rows(households, row_ranges(households), lang, terminal=terminal, bare=True)
    return label("fact_below_last_total", lang, where=where, row=total_row,
                 said=label("total_said", lang, said=total_said) if total_said else "",
                 count=f"{len(households):,}", rows=said) + after, said


def hidden_sheet_line(sheet: str, count: int | None, lang: Lang) -> str:
    """What a hidden sheet holding households, not read, means for the clerk."""
    if count is None:
        return label("fact_hidden_sheet_survey", lang, sheet=sheet)
    return label("fact_hidden_sheet_households", lang, sheet=sheet, count=count)


# ---------------------------------------------------------------------------------------------
# The tables


@dataclass
class QualityReport:
    """The tables of the quality report, in one language."""

    lang: Lang
    issues: pd.DataFrame      # one row per issue, no text: hh, field, code, hint, severity, township, village, listed
    systemic: Systemic        # the systemic findings, and the finding of each issue
    by_code: pd.DataFrame     # index: code; columns: townships then 'total'
    villages: pd.DataFrame    # township, village, households, households_with_errors, errors, warnings, statuses…, checks
    facts: pd.DataFrame       # FACT_COLUMNS
    statuses: pd.Series       # households per status, in STATUSES order
    counts: dict              # households, errors, warnings, households_with_errors, households_with_issues, files
    result: Result
    # Issue 14, where a run has them: one row per roster (roster_table), and the members' own issues
    # worded (MEMBER_LIST_COLUMNS); None in a run without.
    rosters: pd.DataFrame | None = None
    member_issues: pd.DataFrame | None = None

    @property
    def errors(self) -> int:
        return self.counts["errors"]

    @property
    def warnings(self) -> int:
        return self.counts["warnings"]

    @property
    def townships(self) -> pd.DataFrame:
        """households, errors, warnings, households_with_errors per township, in the input's order."""
        table = self.villages.groupby("township", sort=False)[
            ["households", "errors", "warnings", "households_with_errors"]].sum()
        return table.reindex([t for t in township_order(self.result.households) if t in table.index])

    def code_rows(self) -> list[tuple[str, list[str], int]]:
        """(code, its severities, issues) for every check that found something: the checks that found an
        error first (the first rows a clerk reads at 80 columns), each part in catalogue order."""
        found = self.issues.groupby("code")["severity"].unique() if len(self.issues) else {}
        rows = [(code, sorted(found[code]), int(n)) for code, n in self.by_code["total"].items() if n]
        return sorted(rows, key=lambda row: "error" not in row[1])

    @cached_property
    def listing(self) -> pd.DataFrame:
        """The issues people read row by row, worded (ISSUE_LIST_COLUMNS, severity and category in
        words), with `hh` and `severity_key`: every issue but the warnings of a systemic finding, in
        household order. Made once for the workbook, the page and the fix lists (read-only)."""
        listed = self.issues["listed"].to_numpy(dtype=bool)
        return issue_list(self.result.issue_rows(self.lang, listed), self.lang)

    @property
    def totals_differ(self) -> int:
        """The 合计/小计 rows not the sum of their households: they hold the folder back, as check's last
        line and the verdict say."""
        return int((self.facts["fact"] == "total_differs").sum())

    @property
    def caveat(self) -> str:
        """What holds a folder back without a data problem, the first that applies: 'hidden_sheet'
        (households on a hidden sheet, not read), 'hidden_rows' (read from rows hidden or filtered away),
        'unread' (a file of the folder not read: it may hold households), 'open_file' (a workbook open in
        Excel or WPS, its lock file beside it: what was read may not be what is sent), or ''."""
        facts = self.facts["fact"]
        not_read = facts == "not_read"
        lock = self.facts["detail"] == "lock_file"
        for caveat, holds in (("hidden_sheet", facts == "hidden_sheet_households"),
                              ("hidden_rows", facts.isin(["hidden_rows", "filtered_rows"])),
                              ("unread", not_read & (self.facts["level"] == "attention") & ~lock),
                              ("open_file", not_read & lock)):
            if holds.any():
                return caveat
        return ""

    def verdict(self) -> tuple[str, str]:
        """(level, sentence): what the checks found, for the head of every report; level is
        'error', 'warning' or 'ok'. It says what the terminal says and the exit status means: the
        members' own errors are errors, and households hidden from the clerk are not "no problems"."""
        c = self.counts
        members = self.result.member_error_count
        facts = self.facts["fact"]
        caveat = self.caveat
        totals = self.totals_differ  # held back as check's last line says
        also = label("verdict_also_totals", self.lang, count=f"{totals:,}") if totals else ""
        if c["errors"]:
            sentence = label("verdict_errors", self.lang, errors=f"{c['errors']:,}",
                             households=f"{c['households_with_errors']:,}")
            # An exclusion decides a household whatever else is wrong: those are not 数据有误, so the
            # terminal's count of invalid households is smaller; say by how much, and why.
            invalid = int((self.result.households["status"] == "invalid").sum()) \
                if "status" in self.result.households else c["households_with_errors"]
            if c["households_with_errors"] > invalid:
                sentence += label("verdict_errors_excluded", self.lang, invalid=f"{invalid:,}",
                                  excluded=f"{c['households_with_errors'] - invalid:,}")
            if members:
                sentence += label("verdict_member_errors_also", self.lang, count=f"{members:,}")
            return "error", sentence + self._warnings_too() + also  # after what "其中" (of them) refers to
        if members:  # the households are right, the members' rows are not: corrected before sending all the same
            return "error", label("verdict_member_errors", self.lang, count=f"{members:,}") + self._warnings_too() + also
        if c["warnings"]:
            sentence = self._warnings_said("verdict_warnings")
            return "warning", sentence + (label("verdict_also_" + caveat, self.lang) if caveat else "") + also
        if (facts == "file_empty").any():
            return "warning", label("verdict_attention", self.lang) + also
        if caveat:
            return "warning", label("verdict_" + caveat, self.lang) + also
        if totals:
            return "warning", label("verdict_totals", self.lang, count=f"{totals:,}")
        return "ok", label("verdict_clean", self.lang)

    def _warnings_too(self) -> str:
        """The warnings beside the errors, where there are any (never "0 warnings to confirm")."""
        return self._warnings_said("verdict_warnings_too") if self.counts["warnings"] else ""

    def _warnings_said(self, key: str) -> str:
        """The warnings as the terminal counts them (warning_work): those to check one by one, and apart
        the whole-village or whole-column findings holding the rest, with their cells; 21,289 "to confirm
        one by one" were mostly the blanks of villages said once below (an outside try). `key`: the
        verdict's sentence of them, alone or after the errors."""
        lang = self.lang
        work = warning_work(self.result)
        if not work.findings:
            return label(key, lang, warnings=f"{work.warnings:,}")
        said = label(f"{key}_apart" if work.warnings else f"{key}_all_grouped", lang, warnings=f"{work.warnings:,}",
                     findings=f"{work.findings:,}", cells=work.cells_text(lang))
        # A blank income read as 0 may have decided households: not "warnings only" without a word.
        if work.decides:
            said += label("verdict_decides", lang, mark=label("systemic_decides_mark", lang).strip())
        return said

    def what_is_checked(self) -> str:
        """What the report checks and what it cannot say."""
        return label("quality_checks_what", self.lang, count=f"{len(check_codes(self.result)):,}")

    def systemic_lines(self) -> list[SystemicLine]:
        """Each systemic finding in a sentence, with whether households are decided on it: such a one
        marked in words as the terminal marks it (systemic_lines), the verdict's {mark} pointing at it.
        A kind of village finding in HABIT_VILLAGES villages or more in one (said_findings)."""
        return said_findings(self.result, self.lang)

    def warnings_split(self) -> str:
        """What the count of warnings (the overview's table, the page's card) holds that the verdict
        says apart: those to check one by one and those of the findings, said once each ('' where no
        warning is in a finding). 警告 38,967 beside a verdict of 344 warnings read as a mistake."""
        work = warning_work(self.result)
        if not work.findings:
            return ""
        return label("warnings_split", self.lang, total=f"{self.counts['warnings']:,}", warnings=f"{work.warnings:,}",
                     cells=work.cells_text(self.lang), findings=f"{work.findings:,}")


class SystemicLine(NamedTuple):
    """A systemic finding as a report says it: `decides` where households were decided on its blanks
    read as 0 (systemic.weigh_blank_income), said apart from the blanks that change nothing."""

    text: str
    decides: bool


class WarningWork(NamedTuple):
    """The households' warnings as the work they are, counted once for the terminal's line of them
    (cli/screen.warnings_line) and the reports' verdict: those to check one by one, and apart the
    whole-village or whole-column findings of warnings (systemic.py), said once each."""

    warnings: int         # to check one by one: in no finding
    households: int       # households with one of those
    by_check: pd.Series   # those per check code, the most first (Result.warnings_by_check)
    findings: int         # findings of warnings (a finding of errors stays listed, its errors counted as errors)
    cells: int            # the warnings those findings hold
    blanks: bool          # every such finding is of blanks (missing_value): its cells said as blank cells
    decides: bool         # one of them has blank incomes read as 0 deciding households (【影响认定】)

    def cells_text(self, lang: Lang) -> str:
        """The findings' cells in words: '175 处空格' where all are blanks, else '175 条警告'."""
        return label("screen_warnings_cells_blank" if self.blanks else "screen_warnings_cells", lang,
                     count=f"{self.cells:,}")


def warning_work(result: Result) -> WarningWork:
    """The run's WarningWork, from the weighed findings (Result.systemic); counted once per run."""
    if "warning_work" not in result._derived:
        found = result.systemic()
        findings = found.findings
        of_warnings = (findings["severity"] == "warning").to_numpy(dtype=bool)
        grouped = found.warning_rows
        alike = run_villages_alike(result)
        households, by_check = result.warnings_by_check(apart=grouped)
        result._derived["warning_work"] = WarningWork(
            warnings=int(by_check.sum()), households=households, by_check=by_check,
            # The findings as said: a kind's villages said together are one (said_findings).
            findings=int(of_warnings.sum()) - (alike.folded_of("warning") if alike else 0), cells=int(grouped.sum()),
            blanks=bool((findings.loc[of_warnings, "code"] == "missing_value").all()),
            decides=bool(deciding(findings)[of_warnings].any()))
    return result._derived["warning_work"]


def run_villages_alike(result: Result) -> VillagesAlike | None:
    """The run's village findings said together by kind (systemic.villages_alike), once per run."""
    if "villages_alike" not in result._derived:
        result._derived["villages_alike"] = villages_alike(result.systemic().findings, result.households)
    return result._derived["villages_alike"]


def alike_line(group, lang: Lang) -> SystemicLine:
    """A kind's villages (a row of VillagesAlike.groups) in one sentence: how many of how many, which
    column and what, its households or blank cells, the cause once or the households decided on them
    (marked), what to do, and where each village is said. The villages that leave 0 blank in the words
    they had (their households decided, their blank cells)."""
    decided = decided_text(group, lang)
    said = dict(villages=f"{group.villages:,}", of_villages=f"{group.of_villages:,}",
                townships=f"{group.townships:,}", of_townships=f"{group.of_townships:,}", rows=f"{group.rows:,}",
                sheet=label("sheet_villages_alike", lang))
    if group.level == "blank_for_zero":
        then = label("systemic_blank_habit_decides", lang, decided=decided) if decided \
            else label("systemic_blank_habit_check", lang)
        text = label("systemic_blank_habit", lang, cells=f"{group.cells:,}", then=then, **said)
    else:
        # An income read as 0 that decides households: what rests on it, not a likely cause (as describe).
        whole = label("systemic_villages_alike_whole", lang) if group.rows == group.total else ""
        then = label("systemic_villages_alike_decides", lang, whole=whole, decided=decided) if decided else \
            label("systemic_villages_alike_cause", lang, cause=cause(group.code, group.hint, lang, villages=True))
        text = label("systemic_villages_alike", lang, column=column_text(group.column, group.header, lang),
                     check=label(f"check_{group.code}", lang), total=f"{group.total:,}", then=then, **said)
    return SystemicLine((label("systemic_decides_mark", lang) if decided else "") + text, bool(decided))


def finding_text(finding, decides: bool, lang: Lang) -> str:
    """A finding said on its own (describe), marked where it decides households: said_findings' line
    and the message column of the sheet_villages_alike sheet alike."""
    return (label("systemic_decides_mark", lang) if decides else "") + describe(finding, lang)


def said_findings(result: Result, lang: Lang, most: int | None = None) -> list[SystemicLine]:
    """The systemic findings as the reports say them, in their order (errors first, then those deciding
    households, then the most rows): each in a sentence, but a kind of village finding in HABIT_VILLAGES
    villages or more (villages_alike) in one where the first of them stands. `most`: the first so many
    only (the rest are not worded)."""
    findings = result.systemic().findings
    alike = run_villages_alike(result)
    at = np.arange(len(findings))
    group = alike.group if alike is not None else np.full(len(findings), -1, dtype=np.int64)
    if alike is not None:  # a group's first finding stands for it
        at = at[(group < 0) | np.isin(at, alike.groups["first"].to_numpy(dtype=np.int64))]
    at = at[:most]
    decides = deciding(findings)[at]
    groups = list(alike.groups.itertuples(index=False)) if alike is not None else []
    return [alike_line(groups[g], lang) if g >= 0 else SystemicLine(finding_text(f, d, lang), bool(d))
            for f, d, g in zip(findings.iloc[at].itertuples(index=False), decides, group[at])]


def _place(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str)


def quality_report(result: Result, lang: Lang = "zh") -> QualityReport:
    """Compute every table of the report from a screening result: counts over the issue index, one
    pass each whatever the number of issues; no text but the file facts."""
    hh = result.households
    index = result.issue_index
    systemic = result.systemic()
    n = len(hh)
    positions = index["hh"].to_numpy(dtype=np.int64)
    is_error = (index["severity"] == "error").to_numpy(dtype=bool)
    township, village = _place(hh["township"]), _place(hh["village"])

    # Villages: households, statuses, issues, households with errors; most errors first.
    town_of, towns = pd.factorize(township)
    name_of, names = pd.factorize(village)
    village_of, pairs = pd.factorize(town_of.astype(np.int64) * max(len(names), 1) + name_of)
    n_villages = len(pairs)
    err_hh = np.zeros(n, dtype=bool)
    err_hh[positions[is_error]] = True
    any_hh = np.zeros(n, dtype=bool)
    any_hh[positions] = True
    count = lambda where, weights=None: np.bincount(where, weights, minlength=n_villages).astype(np.int64)  # noqa: E731
    status = pd.Categorical(hh["status"], categories=STATUSES).codes.astype(np.int64)
    villages = pd.DataFrame({
        "township": np.asarray(towns, dtype=object)[pairs // max(len(names), 1)],
        "village": np.asarray(names, dtype=object)[pairs % max(len(names), 1)],
        "households": count(village_of),
        "households_with_errors": count(village_of[err_hh]),
        "households_with_issues": count(village_of[any_hh]),
        "errors": count(village_of[positions[is_error]]),
        "warnings": count(village_of[positions[~is_error]]),
        **{s: count(village_of[status == i]) for i, s in enumerate(STATUSES)},
    })
    codes = check_codes(result)
    code_at = {c: i for i, c in enumerate(codes)}
    code_of = index["code"].map(code_at).to_numpy(dtype=np.int64) if len(index) else np.array([], dtype=np.int64)
    cells = village_of[positions] * len(codes) + code_of
    per_village = np.bincount(cells, minlength=n_villages * len(codes)).reshape(n_villages, len(codes))
    errors_in = np.bincount(cells[is_error], minlength=n_villages * len(codes)).reshape(n_villages, len(codes))
    # A village's checks: those with errors first, then by how many issues.
    villages["checks"] = [[(codes[j], int(row[j])) for j in np.lexsort((-row, -err)) if row[j]]
                          for row, err in zip(per_village, errors_in)]
    # Most errors first; villages alike in the order the input has them (village_keys; a stable sort).
    place = pd.MultiIndex.from_tuples(village_keys(hh)).get_indexer(
        pd.MultiIndex.from_arrays([villages["township"], villages["village"]])) if n else np.arange(0)
    villages = villages.iloc[np.argsort(place, kind="stable")]
    villages = villages.sort_values(["errors", "warnings"], ascending=[False, False],
                                    kind="stable").reset_index(drop=True)

    # By check and township (townships in input order): every check, found or not.
    towns_in_order = township_order(hh)
    order = pd.Index(towns).get_indexer(towns_in_order) if len(towns) else np.arange(0)
    table = np.bincount(code_of * len(towns) + town_of[positions],
                        minlength=len(codes) * len(towns)).reshape(len(codes), len(towns))[:, order]
    by_code = pd.DataFrame(table, index=pd.Index(codes, name="code"),
                           columns=[towns[i] for i in order]).astype(int)
    by_code.columns.name = None
    by_code["total"] = by_code.sum(axis=1)

    issues = pd.DataFrame({
        "hh": positions, "field": index["field"], "code": index["code"], "hint": index["hint"],
        "severity": index["severity"], "township": township.to_numpy(dtype=object)[positions],
        "village": village.to_numpy(dtype=object)[positions], "listed": ~systemic.warning_rows,
    })
    statuses = hh["status"].value_counts().reindex(STATUSES, fill_value=0)
    counts = {
        "files": len(result.inputs),
        "households": int(n),
        "errors": int(is_error.sum()),
        "warnings": int((~is_error).sum()),
        "households_with_errors": int(err_hh.sum()),
        "households_with_issues": int(any_hh.sum()),
    }
    return QualityReport(lang=lang, issues=issues, systemic=systemic, by_code=by_code, villages=villages,
                         facts=run_facts(result, lang), statuses=statuses, counts=counts, result=result,
                         rosters=roster_table(result, lang) if result.rosters is not None else None,
                         member_issues=member_list(result, lang) if result.members is not None else None)


def run_facts(result: Result, lang: Lang, *, terminal: bool = False) -> pd.DataFrame:
    """The run's facts (its files', then its members' and rosters'), as quality.xlsx lists them or, with
    `terminal`, as the terminal says them: the same facts in the same order, long row lists cut."""
    facts = file_facts(result.inputs, lang, result.left_out, result.bounds.year, terminal=terminal,
                       aged_at=counted_today(result))
    if result.members is not None or result.rosters is not None:
        facts = pd.concat([facts, member_facts(result, lang, terminal=terminal),
                           roster_facts(result, lang, terminal=terminal)], ignore_index=True)
    return facts


# ---------------------------------------------------------------------------------------------
# Members and rosters (issue 14): their facts, the members' own issues, the roster section


def member_facts(result: Result, lang: Lang, *, terminal: bool = False) -> pd.DataFrame:
    """Facts about the members read: each members sheet (its header, how many members), and the
    households whose blank 家庭常住人口数 was counted from their members, by sheet. With `terminal`, as
    the terminal says them: those households' rows by their first runs (rows_on_terminal)."""
    rows: list[tuple[str, ...]] = []
    members = result.members
    if members is None:
        return pd.DataFrame(columns=FACT_COLUMNS)
    for rec in result.inputs:
        for sheet in rec.member_sheets:
            first, last = sheet.header_rows
            header_rows = str(first) if first == last else f"{first}-{last}"
            rows.append((rec.name, sheet.name, "members_sheet", "info", str(sheet.households),
                         label("fact_members_sheet", lang, where=label("fact_where_sheet", lang, sheet=sheet.name)
                               if sheet.name else "", header_rows=header_rows, members=f"{sheet.households:,}"),
                         str(sheet.households)))
    if "converted" in members.frame and members.frame["converted"].any():
        count = int(members.frame["converted"].sum())
        files = ", ".join(rec.name for rec in result.inputs if rec.member_sheets)
        rows.append((files, "", "members_converted", "info", str(count),
                     label("fact_members_converted", lang, count=f"{count:,}"), f"{count:,}"))
    # Another system's 户号 (a 公安 export's), its members linked through the heads' own rows: said once per sheet.
    for file, sheet, line in other_numbers_facts(members, lang):
        rows.append((file, sheet, "members_other_numbers", "attention", sheet, line, sheet))
    linked = int(members.linked.sum())
    # Those who left the 户 (人员状态 迁出, 死亡: members._left_the_household) are no member to link: said apart.
    left = int((members.frame["link"] == "left").sum())
    files = ", ".join(rec.name for rec in result.inputs if rec.member_sheets)
    said = label("fact_members_linked", lang, linked=f"{linked:,}", members=f"{len(members):,}")
    if left:
        said += label("fact_members_linked_left", lang, left=f"{left:,}")
    rows.append((files, "", "members_linked", "info" if linked == len(members) - left else "attention",
                 f"{linked}/{len(members)}", said, f"{linked:,}/{len(members):,}"))
    hh = result.households
    filled = np.flatnonzero(members.filled)
    if len(filled):
        part = hh.iloc[filled]
        for (file, sheet), rows_there in part.groupby(["source_file", "sheet"], sort=False)["row"]:
            ranges = row_ranges(rows_there.tolist())
            said, after = fact_rows(rows_there.to_numpy(), ranges, lang, terminal=terminal, bare=True)
            rows.append((file, sheet, "residents_from_members", "attention", ranges,
                         label("fact_residents_from_members", lang, where=label("fact_where_sheet", lang, sheet=sheet)
                               if sheet else "", count=len(rows_there), rows=said) + after, said))
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def roster_facts(result: Result, lang: Lang, *, terminal: bool = False) -> pd.DataFrame:
    """Facts about each roster read (its rows are the department's: only row numbers are said, never
    a value): rows read, valid IDs and those converted from 15 digits, rows whose ID is not valid,
    rows without an ID. With `terminal`, as the terminal says them: a fact's rows by their first runs
    (rows_on_terminal), and a returned list's rows not answered by place alone, their row numbers left
    to quality.xlsx."""
    run = result.rosters
    rows: list[tuple[str, ...]] = []
    if run is None:
        return pd.DataFrame(columns=FACT_COLUMNS)

    def rows_of(part: pd.DataFrame, ranges: str) -> str:
        return fact_rows(part, ranges, lang, terminal=terminal)[0]
    for index, roster in enumerate(run.rosters):
        name = label(f"roster_name_{roster.kind}", lang)
        if roster.same_as:  # the same list again (rosters._same_kind_once): said once as such, its facts are the other's
            rows.append((roster.path.name, "", "roster_same_as", "attention", roster.same_as,
                         label("fact_roster_same_as", lang, roster=name, other=roster.same_as), roster.same_as))
            continue
        r = roster.rows
        converted = int(r["converted"].sum())
        # The valid IDs that found no one in the survey (nor became a 同村同名 lead): an authoritative
        # roster's in a fact of their own, by row (each may be a household missing from the survey or
        # a mistyped ID); another roster's counted in its fact.
        not_found = run.not_found.get(index, pd.DataFrame(columns=["sheet", "row", "id"]))
        unfound = int(not_found["id"].nunique())
        own_fact = roster.effect == "authoritative"
        # The sheets' rows, and the persons where a row lists more than one (a cadre and a relative).
        persons = label("fact_roster_persons", lang, count=f"{len(r):,}") if len(r) != roster.sheet_rows else ""
        unread = Phrase("fact_roster_unread_ids", columns=[ref for _, ref in roster.unread_id_columns]).render(lang) \
            if roster.unread_id_columns else ""
        rows.append((roster.path.name, "", "roster", "info", roster.kind,
                     label("fact_roster_read", lang, roster=name, rows=f"{roster.sheet_rows:,}", persons=persons,
                           ids=f"{roster.ids:,}",
                           converted=label("fact_roster_converted", lang, count=f"{converted:,}") if converted else "",
                           not_found=label("fact_roster_not_found_count", lang, count=f"{unfound:,}")
                           if unfound and not own_fact else "", unread=unread),
                     name))
        if unfound and own_fact:
            ranges = _roster_rows(not_found, lang)
            said = rows_of(not_found, ranges)
            rows.append((roster.path.name, "", "roster_not_found", "info", ranges,
                         label("fact_roster_not_found", lang, roster=name, count=f"{unfound:,}", rows=said), said))
        left = {sheet_name for sheet_name, _ in roster.left_sheets}
        for sheet_name, count in roster.left_sheets:
            rows.append((roster.path.name, sheet_name, "roster_sheet_left", "attention", sheet_name,
                         label("fact_roster_sheet_left", lang, roster=name, sheet=sheet_name, rows=f"{count:,}"),
                         sheet_name))
        for sheet_name, count, other in roster.other_sheets:
            rows.append((roster.path.name, sheet_name, "roster_sheet_other_kind", "attention", sheet_name,
                         label("fact_roster_sheet_other_kind", lang, roster=name, sheet=sheet_name, rows=f"{count:,}",
                               other=label(f"roster_name_{other}", lang),
                               kind=label(f"roster_short_{other}", lang) if lang == "zh" else other,
                               file=roster.path.name), sheet_name))
        if roster.returned_list:  # a returned request list: how many were asked, and what was not answered
            rows.append((roster.path.name, "", "roster_returned_list", "info", roster.kind,
                         label("fact_roster_returned_list", lang, roster=name, asked=f"{len(roster.listed_ids):,}",
                               yes=f"{roster.ids:,}"), name))
            rows += _returned_list_facts(result, roster, index, name, lang, terminal)
        elif not len(r) and not any(len(rows) for rows in (roster.later_rows, roster.other_rows, roster.exempt_rows,
                                                           roster.small_rows)):
            rows.append((roster.path.name, "", "roster_empty", "attention", "",
                         label("fact_roster_empty", lang, roster=name), ""))
        # Rows not matched (a date after the day, a state or a stop date of one who left, a reason
        # not the kind's) and rows matched but said (a period ended): each kind in a fact of its own.
        as_of = {"as_of": result.as_of.isoformat()}
        for said, code, level, extra in (
                (roster.later_rows, "roster_rows_later", "info", as_of),
                (roster.left_rows, "roster_rows_left", "attention", {}),
                (roster.note_stopped_rows, "roster_rows_note_stopped", "attention",
                 {"notes": _remarks(roster.note_stopped_rows, lang) if len(roster.note_stopped_rows) else ""}),
                (roster.stopped_rows, "roster_rows_stopped", "attention", as_of),
                (roster.stopped_later_rows, "roster_rows_stopped_later", "info", as_of),
                (roster.expired_rows, "roster_rows_expired", "attention", as_of),
                (roster.other_rows, "roster_rows_other_reason", "attention",
                 {"meant": label(f"roster_short_{roster.kind}", lang)}),
                (roster.exempt_rows, "roster_rows_exempt", "attention",
                 {"meant": label(f"roster_short_{roster.kind}", lang),
                  "exempt": label(f"roster_exempt_{roster.kind}", lang) if len(roster.exempt_rows) else ""}),
                (roster.small_rows, "roster_rows_small", "attention",
                 {"meant": label(f"roster_short_{roster.kind}", lang),
                  "least": yuan_figure(rosters_catalogue().by_code[roster.kind].at_least)
                  if len(roster.small_rows) else ""})):
            if len(said):
                ranges = _roster_rows(said, lang)
                shown = rows_of(said, ranges)
                rows.append((roster.path.name, "", code, level, ranges,
                             label(f"fact_{code}", lang, roster=name, count=f"{len(said):,}", rows=shown, **extra),
                             shown))
        for sheet in roster.record.sheets:
            if sheet.name in roster.record.hidden_sheets_read and sheet.name not in left:
                rows.append((roster.path.name, sheet.name, "roster_sheet_hidden", "attention", sheet.name,
                             label("fact_roster_sheet_hidden", lang, roster=name, sheet=sheet.name,
                                   rows=f"{sheet.households:,}"), sheet.name))
            # Rows hidden or filtered away (停保 rows a clerk filtered out of sight): matched all the same.
            hidden = sorted({*sheet.hidden_rows, *sheet.filtered_rows})
            if hidden and sheet.name not in left:
                ranges = row_ranges(hidden)
                cut = rows_on_terminal(pd.DataFrame({"sheet": "", "row": hidden}), lang, cell=ranges) \
                    if terminal else None
                said = cut[0] if cut else rows_said(ranges, len(hidden), lang)
                # Cut on the terminal, its sentence (which names the sheet) says the rows after it, not inside it.
                rows.append((roster.path.name, sheet.name, "roster_rows_hidden", "attention", ranges,
                             label("terminal_roster_rows_hidden" if cut else "fact_roster_rows_hidden", lang,
                                   roster=name, sheet=sheet.name, count=f"{len(hidden):,}", rows=said), said))
        for sheet in roster.record.unread_sheets:
            if sheet.rows:
                seen = headers_seen(sheet)
                seen = seen if isinstance(seen, str) else seen.render(lang)
                rows.append((roster.path.name, sheet.name, "roster_sheet_unread", "attention", seen,
                             label("fact_roster_sheet_unread", lang, roster=name, sheet=sheet.name,
                                   rows=f"{sheet.rows:,}", seen=seen), seen))
        invalid = roster.invalid
        for fault, part in invalid.groupby("fault", sort=False):
            ranges = _roster_rows(part, lang)
            said = rows_of(part, ranges)
            rows.append((roster.path.name, "", "roster_invalid", "attention", ranges,
                         label("fact_roster_invalid", lang, roster=name, count=f"{len(part):,}",
                               why=label(f"roster_{fault}", lang), rows=said), said))
        blank = r[r["blank"]]
        if len(blank):
            ranges = _roster_rows(blank, lang)
            said = rows_of(blank, ranges)
            every = len(blank) == len(r)
            rows.append((roster.path.name, "", "roster_all_blank" if every else "roster_blank",
                         "attention" if every else "info", ranges,
                         label("fact_roster_all_blank" if every else "fact_roster_blank", lang, roster=name,
                               count=f"{len(blank):,}", rows=said), said))
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def _answer_words(words: pd.Series, lang: Lang) -> str:
    """The distinct words of a returned list's unclear answers, as the clerk sees them: a symbol font's
    letter (Wingdings 2's P, shown as ✓) named for what it shows, with the letter the cell holds."""
    from ..catalogue import answer_key

    symbols = rosters_catalogue().answers.symbols
    distinct = list(dict.fromkeys(words.astype(str)))
    said = [label(f"roster_answer_symbol_{symbols[answer_key(w)]}", lang, word=w) if answer_key(w) in symbols
            else w for w in distinct]
    return _words_said(said, "fact_words_rest", lang)


def _words_said(distinct: list[str], rest: str, lang: Lang) -> str:
    """A returned list's distinct answers or remarks, in one fact's sentence: up to WORDS_SAID_MOST
    characters, then 等,共 N 项 and where the rest are (`rest`: on those rows of the list)."""
    return list_said(label("list_sep", lang).join(distinct), len(distinct), lang, rest=label(rest, lang),
                     most=WORDS_SAID_MOST)


# The characters of a remark quoted: enough to see what it is about (2019年10月已停保), no more.
REMARK_SHOWN = 12


def _remarks(part: pd.DataFrame, lang: Lang) -> str:
    """The distinct first words of a returned list's remarks, an ID or phone number in them masked
    before they are cut (a cut ID would be a run of digits too short to be masked)."""
    distinct = pd.Series(list(dict.fromkeys(part["note"].astype(str))), dtype=object)
    return _words_said(list(dict.fromkeys(mask_in_text(distinct).astype(str).str[:REMARK_SHOWN])), "fact_notes_rest",
                       lang)


def _places_counted(rows: pd.DataFrame, lang: Lang) -> str:
    """Rows counted by the list's township and village (合隆镇前岗村 12 行、…), in the list's order; by
    sheet where the list names no place."""
    township = rows["township"].fillna("").astype(str)
    village = rows["village"].fillna("").astype(str)
    place = (township + village).where((township + village) != "", rows["sheet"].fillna("").astype(str))
    counts = place.value_counts(sort=False)
    return label("list_sep", lang).join(label("fact_roster_place_rows", lang, place=p or "—", count=f"{c:,}")
                                        for p, c in counts.items())


def _returned_list_facts(result: Result, roster, index: int, name: str, lang: Lang,
                         terminal: bool = False) -> list[tuple[str, ...]]:
    """What a returned request list leaves unsure or says beside its answers: rows sent and not given
    back (read as 否), a list of another screen (its request id not this one's), rows answered neither
    yes nor no, rows left blank where the list answers no elsewhere (by place; on the `terminal`
    without their row numbers), yes words with a note in brackets, yes rows with a remark in 备注 and
    those whose remark says the case stopped. On the `terminal`, rows by their first runs (rows_on_terminal)."""
    from .request import request_id

    out = []
    file = roster.path.name
    run = result.rosters
    if roster.not_returned:
        # Fewer rows than sent: the department kept its 是 rows alone, the others read as 否 (RosterRun.covers);
        # or, where it writes 否, it answered row by row and left those out: not checked, as before.
        unplaced = run.unplaced.get(index, 0)
        counts = f"{roster.returned:,}/{len(roster.sent):,}"
        code = "roster_rows_not_returned_unanswered" if roster.answers_no else "roster_rows_not_returned"
        out.append((file, "", code, "info" if roster.answers_no else "attention", counts,
                    label(f"fact_{code}", lang, roster=name, sent=f"{len(roster.sent):,}",
                          returned=f"{roster.returned:,}", missing=f"{roster.not_returned:,}",
                          unplaced=label("fact_roster_rows_not_returned_unplaced", lang, count=f"{unplaced:,}")
                          if unplaced else ""), counts))
    if roster.request_id is not None and roster.request_id != request_id(result):
        missing = int((~run.covers[index]).sum()) if index in run.covers else 0
        # Another screen of the same households (the surveys corrected since the list was sent) leaves
        # none out: said, not called to attention.
        out.append((file, "", "roster_list_other_screen", "attention" if missing else "info", roster.request_id,
                    label("fact_roster_list_other_screen", lang, roster=name, listed=roster.request_id,
                          this=request_id(result), missing=f"{missing:,}", households=f"{run.households:,}"),
                    roster.request_id))
    for said, code, extra in (
            (roster.unclear_rows, "roster_rows_unclear",
             lambda part: {"words": _answer_words(part["word"], lang)}),
            (roster.unanswered_rows, "roster_rows_unanswered",
             lambda part: {"places": _places_counted(part, lang)}),
            (roster.bracketed_rows, "roster_rows_bracketed",
             lambda part: {"words": _words_said(list(dict.fromkeys(part["word"].astype(str))), "fact_words_rest",
                                                lang)}),
            (roster.noted_rows, "roster_rows_noted", lambda part: {"notes": _remarks(part, lang)}),
            (roster.note_left_rows, "roster_rows_note_left", lambda part: {"notes": _remarks(part, lang)})):
        if len(said):
            ranges = _roster_rows(said, lang)
            shown = fact_rows(said, ranges, lang, terminal=terminal)[0]
            # A township left blank is a thousand row numbers: the terminal says the places, quality.xlsx the rows.
            worded = f"fact_{code}_terminal" if terminal and code == "roster_rows_unanswered" else f"fact_{code}"
            out.append((file, "", code, "attention", ranges,
                        label(worded, lang, roster=name, count=f"{len(said):,}", rows=shown, **extra(said)),
                        shown))
    return out


def _roster_rows(part: pd.DataFrame, lang: Lang) -> str:
    """A roster's rows where they are: 工作表「低保」第 3、10-12 行 (第 3、10 行 for a CSV)."""
    out = []
    for sheet, rows in part.groupby("sheet", sort=False)["row"]:
        ranges = row_ranges(rows.tolist(), label("list_sep", lang))
        out.append(label("fact_roster_rows_sheet", lang, sheet=sheet, rows=ranges) if sheet
                   else label("fact_roster_rows", lang, rows=ranges))
    return label("list_sep_wide", lang).join(out)


# The members' issue list: as ISSUE_LIST_COLUMNS, the member's name in place of the head's.
MEMBER_LIST_COLUMNS = ["source_file", "sheet", "cell", "row", "township", "village", "member_name", "header",
                       "value", "severity", "message", "category", "code"]


def member_list(result: Result, lang: Lang) -> pd.DataFrame:
    """The member rows' issues as people read them (MEMBER_LIST_COLUMNS, worded), errors first."""
    table = result.members.issues(result.households, lang)
    listing = issue_list(table, lang).rename(columns={"head_name": "member_name"})
    order = np.argsort(listing["severity_key"].to_numpy() != "error", kind="stable")
    return listing.iloc[order].reset_index(drop=True)


ROSTER_COLUMNS = ["roster_file", "roster_kind", "roster_effect", "roster_rows", "roster_ids", "roster_invalid",
                  "roster_matches", "roster_households", "roster_leads"]


def roster_table(result: Result, lang: Lang) -> pd.DataFrame:
    """One row per roster: its file, kind and effect (the rule set's), rows read, valid and invalid
    IDs, people and households matched, and (村干部亲属) the households of a name lead."""
    run = result.rosters
    rows = []
    for roster, found in zip(run.rosters, run.by_roster):
        rows.append({"roster_file": roster.path.name, "roster_kind": label(f"roster_name_{roster.kind}", lang),
                     "roster_effect": label(f"effect_{roster.effect}", lang), "roster_rows": len(roster.rows),
                     "roster_ids": roster.ids, "roster_invalid": len(roster.invalid), "roster_matches": found["people"],
                     "roster_households": found["households"], "roster_leads": found["leads"]})
    return pd.DataFrame(rows, columns=ROSTER_COLUMNS)


LEAD_COLUMNS = ["township", "village", "head_name", "status", "roster_lead_person", "roster_kind", "roster_lead_row"]


def lead_table(result: Result, lang: Lang) -> pd.DataFrame:
    """Every 同村同名 lead (RosterRun.leads), of a candidate or not: its household's place, head and status,
    the person of the survey, the roster and the roster's row (LEAD_COLUMNS). Names as the survey has them."""
    leads = result.rosters.leads
    hh = leads["hh"].to_numpy(dtype=np.int64)
    households = result.households
    relation = leads["relation"].fillna("").to_numpy(dtype=object)
    name = leads["name"].fillna("").to_numpy(dtype=object)
    sheet = leads["sheet"].fillna("").astype(str).to_numpy(dtype=object)
    row = leads["row"].astype(str).to_numpy(dtype=object)
    before, rest = label("fact_roster_rows_sheet", lang, sheet="\x00", rows="\x01").split("\x00")
    between, after = rest.split("\x01")
    alone, end = label("fact_roster_rows", lang, rows="\x01").split("\x01")
    files = np.array([r.path.name for r in result.rosters.rosters], dtype=object)[leads["roster"].to_numpy(dtype=np.int64)]
    return pd.DataFrame({
        "township": households["township"].fillna("").to_numpy(dtype=object)[hh],
        "village": households["village"].fillna("").to_numpy(dtype=object)[hh],
        "head_name": households["head_name"].fillna("").to_numpy(dtype=object)[hh],
        "status": households["status"].map({s: label(s, lang) for s in STATUSES}).to_numpy(dtype=object)[hh],
        "roster_lead_person": np.where(relation != "", relation + " " + name, name),
        "roster_kind": leads["kind"].map({k: label(f"roster_name_{k}", lang) for k in set(leads["kind"])})
        .to_numpy(dtype=object),
        "roster_lead_row": files + label("list_sep", lang) + np.where(
            sheet != "", before + sheet + between + row + after, alone + row + end)}, columns=LEAD_COLUMNS)


def roster_lines(report: QualityReport) -> list[str]:
    """The sentences under the roster table: statuses an authoritative roster changed, the name leads
    kept apart, the rows of people who have left, and what of a roster is read at all."""
    run, lang = report.result.rosters, report.lang
    lines = [label("rosters_heads_only", lang)] if report.result.members is None else []
    lines.append(label("rosters_changed", lang, count=f"{run.changed:,}"))
    people, households = run.undecided()
    if people:
        lines.append(Phrase("rosters_undecided", people=f"{people:,}", households=f"{households:,}",
                            kinds=[Phrase(f"roster_short_{k}") for k in run.authoritative_kinds()]).render(lang))
    if run.unlinked:
        lines.append(label("rosters_unlinked", lang, count=f"{run.unlinked:,}"))
    leads = int(run.leads["hh"].nunique()) if len(run.leads) else 0
    if leads:
        # The candidates counted as the terminal counts them (RosterRun.counts), every household in the
        # table of leads below (lead_table): a lead of a household that is no candidate is findable too.
        candidates = run.counts(report.result.households["status"])["leads"]
        lines.append(label("rosters_leads", lang, count=f"{leads:,}", candidates=f"{candidates:,}"))
    if len(run.unmatched):
        hh = run.unmatched["hh"].drop_duplicates().to_numpy(dtype=np.int64)
        candidates = int((report.result.households["status"].to_numpy()[hh] == "candidate").sum())
        lines.append(label("rosters_unmatched", lang, members=f"{len(run.unmatched):,}", households=f"{len(hh):,}",
                           candidates=f"{candidates:,}"))
    if len(run.unlisted):
        hh = run.unlisted["hh"].to_numpy(dtype=np.int64)
        candidates = int((report.result.households["status"].to_numpy()[hh] == "candidate").sum())
        lines.append(label("rosters_unlisted", lang, households=f"{len(hh):,}",
                           members=f"{int(run.unlisted['missing'].sum()):,}", candidates=f"{candidates:,}"))
    for i, r in enumerate(run.rosters):
        # A county-wide roster beside a township's survey: its other townships' people are not missing.
        not_found = run.not_found.get(i)
        if r.effect == "authoritative" and not_found is not None and len(not_found) and "elsewhere" in not_found:
            elsewhere = int(not_found.loc[not_found["elsewhere"].to_numpy(dtype=bool), "id"].nunique())
            if elsewhere:
                lines.append(label("rosters_not_found_elsewhere", lang, roster=label(f"roster_name_{r.kind}", lang),
                                   file=r.path.name, count=f"{not_found['id'].nunique():,}",
                                   elsewhere=f"{elsewhere:,}"))
    left = sum(count for r in run.rosters for _, count in r.left_sheets) \
        + sum(len(r.left_rows) + len(r.note_stopped_rows) + len(r.stopped_rows) for r in run.rosters)
    if left:
        lines.append(label("rosters_left", lang, count=f"{left:,}"))
    for r in run.rosters:
        meant = label(f"roster_short_{r.kind}", lang)
        if r.listed_ids is not None:  # a returned request list: its 读入行数 are the rows answered yes
            lines.append(label("rosters_returned_rows", lang, file=r.path.name, roster=label(f"roster_name_{r.kind}", lang),
                               asked=f"{len(r.listed_ids):,}", listed=f"{len(r.rows):,}"))
        if len(r.other_rows):
            lines.append(label("rosters_other_reason", lang, roster=label(f"roster_name_{r.kind}", lang),
                               count=f"{len(r.other_rows):,}", meant=meant))
        # Farm vehicles, and 医保 rows under the least amount: left out too, said as 文件情况 says them.
        if len(r.exempt_rows):
            lines.append(label("rosters_exempt", lang, roster=label(f"roster_name_{r.kind}", lang),
                               count=f"{len(r.exempt_rows):,}", exempt=label(f"roster_exempt_{r.kind}", lang),
                               meant=meant))
        if len(r.small_rows):
            lines.append(label("rosters_small", lang, roster=label(f"roster_name_{r.kind}", lang),
                               count=f"{len(r.small_rows):,}", meant=meant,
                               least=yuan_figure(rosters_catalogue().by_code[r.kind].at_least)))
    lines.append(label("rosters_privacy", lang))
    return lines


def issue_list(frame: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """An issue table as people read it: ISSUE_LIST_COLUMNS with severity and category in words, a
    computed value's header named, plus `hh` and `severity_key`."""
    out = pd.DataFrame({c: frame[c] for c in ISSUE_LIST_COLUMNS}) if len(frame) else \
        pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_LIST_COLUMNS})
    words = {k: label(k, lang) for k in ("error", "warning", "漏项", "串项", "逻辑错误")}
    out["severity_key"] = out["severity"]
    out["severity"] = out["severity"].map(words).fillna(out["severity"])
    out["category"] = out["category"].map(words).fillna(out["category"])
    for col in ("source_file", "sheet", "cell", "township", "village", "head_name", "header", "value", "message"):
        out[col] = out[col].fillna("").astype(object)
    # A computed field (per-capita income) has no column: name it as people read it.
    if len(frame):
        computed = (out["header"] == frame["field"].to_numpy()) & out["header"].isin(COMPUTED_FIELDS)
        out.loc[computed, "header"] = out.loc[computed, "header"].map(field_words(lang))
        out["hh"] = frame["hh"].to_numpy()
    else:
        out["hh"] = pd.Series(dtype=np.int64)
    return out.reset_index(drop=True)


def run_lines(report: QualityReport) -> list[tuple[str, str]]:
    """(label, value) lines describing the run, for the head of the workbook and the HTML."""
    result, lang = report.result, report.lang
    rules = result.rule_set
    b = result.bounds
    rule = label("run_rule" if b.lower is not None else "run_rule_no_lower", lang, title=rules.title, id=rules.id,
                 year=b.year, lower=f"{b.lower.value:,}" if b.lower is not None else "", upper=f"{b.upper.value:,}")
    return [
        (label("inputs", lang), label("list_sep", lang).join(rec.name for rec in result.inputs)),
        (label("rule_set", lang), rule),
        (label("as_of", lang), result.as_of.isoformat()),
        (label("generated", lang), result.finished.strftime("%Y-%m-%d %H:%M")),
    ]


def village_checks_text(checks: list[tuple[str, int]], lang: Lang, most: int = 4) -> str:
    """A village's checks as a clerk reads them, most issues first: '身份证号格式错误 33、漏填 300'."""
    parts = [f"{label(f'check_{code}', lang)} {n:,}" for code, n in checks[:most]]
    text = label("list_sep", lang).join(parts)
    return text + (label("village_checks_more", lang, count=len(checks) - most) if len(checks) > most else "")


# Systemic findings the terminal says one by one: past them, how many more and where they all are
# (a county whose villages leave amounts blank has a hundred).
TERMINAL_FINDINGS = 10


def systemic_lines(result: Result, lang: Lang) -> list[str]:
    """The systemic findings of a run for the terminal: a heading and one line each, errors first, then
    those that decide households (marked), then the most rows, up to TERMINAL_FINDINGS, then how many
    more (none when there is none)."""
    found = result.systemic().findings
    if not len(found):
        return []
    # Marked in words (said_findings): the terminal prints every finding in one colour. A kind of village
    # finding is one line where its villages are many: 10 alike and 「另有 98 项」 were no work.
    alike = run_villages_alike(result)
    said = len(found) - (alike.folded if alike else 0)
    lines = [label("systemic_title_terminal", lang)] + \
        ["  " + line.text for line in said_findings(result, lang, TERMINAL_FINDINGS)]
    if said > TERMINAL_FINDINGS:
        lines.append("  " + label("systemic_more_terminal", lang, count=said - TERMINAL_FINDINGS))
    return lines


def similar_place_lines(result: Result, lang: Lang) -> list[str]:
    """Place names kept apart that differ only by an end word or a note (place_names_similar), for
    the terminal: each name with the names it resembles and its households, once, since each name
    has its own review list and a village split so lacks households at its meeting."""
    index = result.issue_index
    rows = np.flatnonzero((index["code"] == "place_names_similar").to_numpy(dtype=bool))
    if not len(rows):
        return []
    said = result.issue_rows(lang, rows)
    # The name as read (full-width brackets and spaces normalised, as its list is named), not as typed.
    said["name"] = np.where(said["field"] == "township", _place(said["township"]), _place(said["village"]))
    groups = said.assign(township=_place(said["township"])).groupby(
        ["field", "township", "name", "others"], sort=False).size()
    lines = [label(f"terminal_similar_{field}", lang, township=township, name=name, others=others,
                   households=int(count)) for (field, township, name, others), count in groups.items()]
    return [label("terminal_similar_title", lang)] + ["  " + line for line in lines]


# ---------------------------------------------------------------------------------------------
# The workbook


# Widths in characters. The printed columns (PRINTED_COLUMNS) add up to 167: a file's name as long as
# changchun-sample.xlsx on one line, 严重程度 too (in Arial's digits); see test_quality_print. 填写内容
# holds an 18-character ID on one line (27: the print model's widest digits). A four-character name
# (司马春生) and a header with its unit (人均纯收入(元)) on one line, a long village's name on three,
# not five: split, 司马春/生 and 人均纯收入(元/) read as other words. 说明 gave them the room.
_NAME_WIDTH = line_width("司马春生")
_HEADER_WIDTH = line_width("人均纯收入(元)")
_WIDTHS = {"source_file": 24, "sheet": 10, "cell": 7, "row": 6, "township": 9, "village": 14,
           "head_name": _NAME_WIDTH, "member_name": _NAME_WIDTH, "header": _HEADER_WIDTH, "value": 27, "severity": 9,
           "message": 35, "category": 9, "code": 24, "fix_done": 30, "seq": 5, "level": 8, "detail": 24}
# A village's fix list, in Arial's digits (new_workbook(fixed_scale=True)): 9 pt or more on A4
# landscape, its file's column too where the issues come from more than one file. 填写内容 holds a
# masked ID (220122********0019) on one line.
_FIX_WIDTHS = {**_WIDTHS, "severity": 6, "source_file": 14, "sheet": 8, "value": 24, "category": 10, "message": 30,
               "fix_done": 24}
# Wrapped, and rows as high as the print model says: a place or a name longer than its column was cut.
_WRAPPED = {"source_file", "sheet", "township", "village", "head_name", "member_name", "header", "value", "message",
            "detail", "fix_done"}
# A cell reference and a row number: shrunk to fit, never cut or shown as ### (xlsx "reference").
_REFERENCES = {"cell", "row"}


def _height(lines) -> float:
    """A row's height in points for `lines` lines of 11-point text."""
    return float(printed_height(lines))


def row_heights(frame: pd.DataFrame, columns: list[Column], least: float = 0) -> list[float]:
    """Each row's height in points: room for the most lines any of its wrapped cells needs as a
    renderer wraps them (xlsx.printed_lines: a CJK character wider than two digits, an ID, a file
    name or a sheet's name kept whole on the next line). Set on every row, so that Excel and
    LibreOffice print the same (LibreOffice does not fit the height of a row it did not write
    itself)."""
    lines = np.ones(len(frame), dtype=np.int64)
    for c in columns:
        if c.fmt in ("wrap", "cell") and c.key in frame.columns:  # a "cell" wraps too: a long place name
            text = frame[c.key].to_numpy(dtype=object, na_value="")
            lines = np.maximum(lines, printed_lines(text.tolist(), c.width, most=row_lines_most()))
    return np.maximum(printed_height(lines), least).astype(float).tolist()


def _columns(keys, lang: Lang, widths: dict = _WIDTHS) -> list[Column]:
    """The printed columns of an issue or fact table: long text wrapped, the severity in colour."""
    severity = {label("error", lang): "error", label("warning", lang): "warning"}
    def fmt(key: str) -> str:
        return "wrap" if key in _WRAPPED else "reference" if key in _REFERENCES else "top"
    return [Column(key, widths.get(key, 12), fmt(key), severity if key == "severity" else None) for key in keys]


# Columns of the program's own text (cell references, words from the catalogue, codes).
_PLAIN = {"cell", "severity", "category", "code"}


def _long_columns(columns: list[Column], formats: dict) -> list[LongColumn]:
    return [LongColumn(c.key, formats[c.fmt], {v: formats[k] for v, k in c.by_value.items()} if c.by_value else None,
                       plain=c.key in _PLAIN) for c in columns]


def running_title(report: QualityReport, key: str) -> str:
    """The page header of a sheet of quality.xlsx: the county (where the survey names one), the report,
    the list (`key`: its sheet's; running_<key> where the catalogue words it for paper) and the
    input files, each shortened to leave room for the others (xlsx.running_header cuts the whole to
    the 255 characters a page header holds)."""
    lang = report.lang
    county = report.result.county()
    names = [rec.name for rec in report.result.inputs]
    inputs = label("list_sep", lang).join(names)
    if len(names) > 2 or len(inputs) > 100:
        inputs = label("quality_running_inputs_more", lang, first=names[0][:80], count=len(names))
    words = f"running_{key}" if f"running_{key}" in messages().labels else key
    title = label("quality_running", lang, county=label("quality_running_county", lang, county=county[:40])
                  if county else "", list=label(words, lang), inputs=inputs)
    return title


def _write_issue_sheets(book, tables: LongTables, report: QualityReport, formats: dict, key: str,
                        rows: pd.DataFrame, notes: list[str], keys: list[str] = ISSUE_LIST_COLUMNS,
                        heights: np.ndarray | None = None) -> None:
    """An issue list on as many sheets as Excel's row limit asks for: 问题清单, 问题清单(2), … Each has
    `notes` above its header (and, when the list is cut, which part it is), a filter on the header,
    the header frozen on screen and repeated on paper, the list named atop every printed page, and
    the printed columns as its print area. `heights`: the rows' (row_heights), where known."""
    lang = report.lang
    columns = _columns(keys, lang)
    name = label(key, lang)
    title = running_title(report, key)
    if heights is None:
        heights = np.asarray(row_heights(rows, columns))
    # Above the rows: the notes, a line saying which part (when the list is cut), a blank row, the header.
    n_parts, capacity = sheet_parts(len(rows), (len(notes) + 1 if notes else 0) + 1, part_lines=1 if notes else 2)
    for part in range(n_parts):
        start, stop = part * capacity, min((part + 1) * capacity, len(rows))
        ws = book.add_worksheet(name if part == 0 else label("sheet_part", lang, name=name, part=part + 1))
        lines = list(notes)
        if n_parts > 1:
            lines.append(label("sheet_part_note", lang, part=part + 1, parts=n_parts, first=f"{start + 1:,}",
                               last=f"{stop:,}", total=f"{len(rows):,}"))
        # Each note wrapped across the printed columns: a long one overflowing to the right was cut
        # at the print area's edge.
        printed = sum(c.width for c in columns[:PRINTED_COLUMNS])
        for r, line in enumerate(lines):
            write_block(ws, r, 0, min(PRINTED_COLUMNS, len(columns)) - 1, line, formats["note_wrap"],
                        text_height(line, printed, 10))
        top = len(lines) + (1 if lines else 0)
        # An empty list says 无 under its header: printed, a page of a header alone read as cut off.
        end = write_table(ws, top, columns, rows.iloc[:0], formats, lang, empty_row=rows.empty)
        if not rows.empty:
            part_rows = rows.iloc[start:stop]
            end = tables.add(ws, top + 1, _long_columns(columns, formats), part_rows,
                             heights=heights[start:stop].tolist())
        ws.autofilter(top, 0, max(end - 1, top), len(columns) - 1)
        # Each list named on every page: 问题清单, 错误 and 警告 print with the same column headers.
        setup_print(ws, lang, header_row=top, running_title=title if n_parts == 1 else
                    label("sheet_part", lang, name=title, part=part + 1))
        ws.print_area(0, 0, max(end - 1, top), PRINTED_COLUMNS - 1)


# The overview's printed size: its text 9 points or more (11-point cells at 82 % at the least).
OVERVIEW_LEAST_SCALE = 9 / 11


# The checks' table: the check's name, then its code as wide as the longest on one line (a code has
# no place to break: costs_exceed_business_income printed its e on a line of its own in 32), its
# category and severity, then a count per township and the total.
_BY_CODE_WIDTHS = [26, 32, 10, 10]
_COUNT_WIDTH = 9


def _by_code_widths(townships: list, lang: Lang) -> list[float]:
    """The checks' table's widths: the code's column as wide as the longest code, the severity's as
    wide as the header above it in the counts' table, 有错误的户数 (printed 有错误的户 over 数), where it
    is one word."""
    code = max(_BY_CODE_WIDTHS[1], max(line_width(c) for c in messages().checks))
    above = label("households_with_errors", lang)
    severity = max(_BY_CODE_WIDTHS[3], line_width(above) if " " not in above else 0)
    return [_BY_CODE_WIDTHS[0], code, _BY_CODE_WIDTHS[2], severity, *[_COUNT_WIDTH] * (len(townships) + 1)]


def _least_scale_room() -> float:
    """Columns' characters one landscape page holds across at the overview's least scale."""
    return page_body(landscape=True)[0] / OVERVIEW_LEAST_SCALE / (7 * 0.75 * WIDTH_SLACK)


def _townships_apart(report: QualityReport) -> bool:
    """Whether the checks' counts by township are too wide for one page at 9 points: then they have a
    sheet of their own (按乡镇统计) and the overview counts the totals only. Printed across pages
    beside the overview's text, the pages after the first repeated the text's first columns: cut
    lines, half a table, a file name's end alone."""
    return sum(_by_code_widths([t for t in report.by_code.columns if t != "total"], report.lang)) > _least_scale_room()


def _write_by_code(ws, r: int, report: QualityReport, formats: dict, by_code: pd.DataFrame,
                   widths: list[float]) -> int:
    """The checks' table from row `r` (its header): a row per check with its counts (`by_code`'s
    columns, the last 'total'), then the totals. Returns the row of the totals."""
    lang = report.lang
    townships = [t for t in by_code.columns if t != "total"]
    # The check by its name first (what a clerk reads), its code beside it (what issues.csv says).
    headers = [label("check_name", lang), label("code", lang), label("category", lang), label("severity", lang),
               *[t or label("unknown_township", lang) for t in townships], label("total", lang)]
    write_cells(ws, r, 0, headers, formats["header"])
    ws.set_row(r, _height(printed_lines(headers, min(widths)).max()))
    checks = messages().checks
    names = [label(f"check_{code}", lang) for code in by_code.index]
    # A check's name as tall as it wraps: 户编号有几户(户主身份证号不同) printed over the next row.
    lines = np.maximum(printed_lines(names, widths[0]), printed_lines(list(by_code.index), widths[1]))
    for i, (code, counts) in enumerate(by_code.iterrows()):
        r += 1
        spec = checks[code]
        severity = label(spec.severity, lang) if not spec.severity_by_kind else \
            "/".join(label(s, lang) for s in ("error", "warning"))
        write_cells(ws, r, 0, [names[i], code, label(spec.category, lang), severity],
                    formats["cell"])
        write_cells(ws, r, 4, [int(v) for v in counts], formats["int"])
        ws.set_row(r, _height(lines[i]))
    r += 1
    write_cells(ws, r, 0, [label("total", lang), None, None, None], formats["total"])
    write_cells(ws, r, 4, [int(v) for v in by_code.sum()], formats["bold_int"])
    ws.set_row(r, _height(1))
    return r


def _write_overview(book, report: QualityReport, formats: dict) -> None:
    """概览: the verdict, the run, the counts, the systemic findings and the table of checks by
    township, every row as tall as its wrapped text, one page wide at 9 points or more (as many pages
    down as it takes, the table's header on each). Where the townships do not fit across, the table
    counts the totals only and the townships' counts print on a sheet of their own
    (_write_by_township): every line of text then wraps within the page it prints on."""
    lang = report.lang
    ws = book.add_worksheet(label("sheet_overview", lang))
    apart = _townships_apart(report)
    by_code = report.by_code[["total"]] if apart else report.by_code
    widths = _by_code_widths(by_code.columns[:-1], lang)
    if apart:  # the room the townships left: each check's name on one line, the pages fewer
        widths[0] = max(widths[0], min(40.0, max(line_width(label(f"check_{code}", lang)) for code in by_code.index)))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    last = len(widths) - 1
    across = float(sum(widths))

    def block(row: int, first: int, text: str, fmt: str, size: float) -> None:
        width = across - sum(widths[:first])
        write_block(ws, row, first, last, text, formats[fmt],
                    height=text_height(text, width, size))

    level, verdict = report.verdict()
    ws.write_string(0, 0, label("quality_title", lang), formats["report_title"])
    # The verdict and what is checked wrapped across the page: one line ran far past the table, and
    # the sheet, fitted to one page, printed at 8 points.
    block(1, 0, verdict, "verdict_" + level, 12)
    block(2, 0, report.what_is_checked(), "note_wrap", 10)
    r = 4
    for key, value in run_lines(report):
        ws.write_string(r, 0, key, formats["note_wrap"])
        # From the column beside the label: from the third, a county's 18 file names took 9 lines.
        block(r, 1, value, "note_wrap", 10)
        r += 1
    r += 1
    c = report.counts
    keys = [("households_total", c["households"]), ("error", c["errors"]), ("warning", c["warnings"]),
            ("households_with_errors", c["households_with_errors"]), ("files_count", c["files"])]
    write_cells(ws, r, 0, [label(k, lang) for k, _ in keys], formats["header"])
    ws.set_row(r, _height(max(int(printed_lines([label(k, lang)], widths[j])[0]) for j, (k, _) in enumerate(keys))))
    write_cells(ws, r + 1, 0, [v for _, v in keys], formats["int"])
    ws.set_row(r + 1, _height(1))
    r += 3
    split = report.warnings_split()
    if split:  # the table's 警告 counts every warning, the verdict those outside the findings: said why
        block(r - 1, 0, split, "note_wrap", 10)
        r += 1

    findings = report.systemic.findings
    if len(findings):
        # One sentence each, across the page: it prints whole, and reads as said.
        ws.write_string(r, 0, label("systemic_title", lang), formats["h2"])
        r += 1
        for line in [*report.systemic_lines(), SystemicLine(label("systemic_note", lang), False)]:
            block(r, 0, line.text, "systemic_decides" if line.decides else "text", 11)
            r += 1
        r += 1

    ws.write_string(r, 0, label("by_code_total_title" if apart else "by_code_title", lang), formats["h2"])
    r += 1
    header_row = r
    r = _write_by_code(ws, r, report, formats, by_code, widths) + 2
    if apart:
        ws.write_string(r, 0, label("by_township_see_sheet", lang, sheet=label("sheet_by_township", lang)),
                        formats["note"])
        r += 1
    ws.write_string(r, 0, label("villages_see_sheet", lang, sheet=label("sheet_villages", lang)), formats["note"])
    if report.member_issues is not None and len(report.member_issues):
        # The table counts the households' issues; the member rows' own (a member of no household) are
        # on their sheet, and a clerk reading 0 on 成员找不到所属农户 here must be told where (an outside try).
        r += 1
        by_check = report.member_issues["code"].value_counts(sort=False)
        checks = label("list_sep", lang).join(f"{label(f'check_{code}', lang)} {n}" for code, n in by_check.items())
        block(r, 0, label("member_issues_see_sheet", lang, count=len(report.member_issues), checks=checks,
                          sheet=label("sheet_member_issues", lang)), "note", 11)
    # Fitted to one page, the 52 rows and a long verdict printed at 8 points. Now at the scale its
    # columns fit the page's width, smaller where that puts it on two pages, never below 9 points;
    # as many pages down as it takes, the table's header on each.
    setup_print(ws, lang, header_row=header_row, freeze=False, running_title=running_title(report, "sheet_overview"))
    tall = sum(row_height(ws, row) for row in range(r + 1)) + row_height(ws, header_row)
    two_pages = math.floor(100 * 2 * (page_body(landscape=True)[1] - HEIGHT_SLACK) / tall)
    ws.set_print_scale(max(math.ceil(100 * OVERVIEW_LEAST_SCALE), min(print_scale(widths, True), two_pages)))


def _write_by_township(book, report: QualityReport, formats: dict) -> None:
    """按乡镇统计, where the overview has no room for it (_townships_apart): the checks' table with a
    count per township, at 9 points or more, printed on as many pages across as it takes, each
    with the check's name and code beside its counts, and the title alone above it, whole on each."""
    lang = report.lang
    ws = book.add_worksheet(label("sheet_by_township", lang))
    widths = _by_code_widths(report.by_code.columns[:-1], lang)
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    ws.write_string(0, 0, label("by_code_title", lang), formats["h2"])
    _write_by_code(ws, 1, report, formats, report.by_code, widths)
    room = _least_scale_room()
    pages_wide = 1 + math.ceil((sum(widths) - room) / max(room - sum(widths[:2]), 1))
    setup_print(ws, lang, header_row=1, freeze=False, pages_wide=pages_wide, key_columns=2,
                running_title=running_title(report, "sheet_by_township"))
    ws.freeze_panes(2, 2)


def _write_rosters(book, report: QualityReport, formats: dict) -> None:
    """信息比对: each roster's file, kind, effect, rows read, IDs, people and households matched, then
    the statuses an authoritative roster changed and what of a roster is read."""
    lang = report.lang
    ws = book.add_worksheet(label("sheet_rosters", lang))
    ws.write_string(0, 0, label("rosters_title", lang), formats["h2"])
    columns = [Column("roster_file", 22, "wrap"), Column("roster_kind", 18, "wrap"), Column("roster_effect", 16, "wrap"),
               *(Column(k, 10, "int") for k in ROSTER_COLUMNS[3:])]
    end = write_table(ws, 1, columns, report.rosters, formats, lang, heights=row_heights(report.rosters, columns, 20))
    width = sum(c.width for c in columns)
    end_of_lines = end + 1
    for i, line in enumerate(roster_lines(report)):
        write_block(ws, end + 1 + i, 0, len(columns) - 1, line, formats["text"],
                    height=text_height(line, width))
        end_of_lines = end + 2 + i
    run = report.result.rosters
    if len(run.leads):
        # Every 同村同名 lead, a candidate's (on its village's 核实清单) or not (a 低保 household's, listed nowhere else).
        at = end_of_lines + 1
        ws.write_string(at, 0, label("rosters_leads_title", lang), formats["h2"])
        leads = lead_table(report.result, lang)
        # Under the roster table's columns: the first three as wide as its, the others wider.
        lead_columns = [Column("township", 22, "wrap"), Column("village", 18, "wrap"), Column("head_name", 16, "wrap"),
                        Column("status", 12, "wrap"), Column("roster_lead_person", 12, "wrap"),
                        Column("roster_kind", 14, "wrap"), Column("roster_lead_row", 24, "wrap")]
        write_table(ws, at + 1, lead_columns, leads, formats, lang, heights=row_heights(leads, lead_columns, 20))
    setup_print(ws, lang, header_row=1, running_title=running_title(report, "sheet_rosters"))


VILLAGE_COLUMNS = ["township", "village", "households_total", "households_with_errors", "error", "warning",
                   "village_checks"]


def _write_villages(book, report: QualityReport, formats: dict) -> None:
    """各村情况: every village, most errors first, under a header repeated on every printed page."""
    lang = report.lang
    ws = book.add_worksheet(label("sheet_villages", lang))
    ws.write_string(0, 0, label("villages_title", lang), formats["h2"])
    v = report.villages
    frame = pd.DataFrame({
        "township": v["township"].replace("", label("unknown_township", lang)),
        "village": v["village"].replace("", label("unknown_village", lang)),
        "households_total": v["households"], "households_with_errors": v["households_with_errors"],
        "error": v["errors"], "warning": v["warnings"],
        "village_checks": [village_checks_text(c, lang) for c in v["checks"]],
    })
    columns = [Column("township", 12, "cell"), Column("village", 14, "cell"), Column("households_total", 9, "int"),
               Column("households_with_errors", 12, "int"), Column("error", 8, "int"), Column("warning", 8, "int"),
               Column("village_checks", 70, "wrap")]
    write_table(ws, 1, columns, frame, formats, lang, autofilter=True, heights=row_heights(frame, columns))
    setup_print(ws, lang, header_row=1, running_title=running_title(report, "sheet_villages"))


VILLAGES_ALIKE_COLUMNS = [Column("township", 12, "cell"), Column("village", 14, "cell"),
                          Column("habit_enumerator", 10, "cell"), Column("alike_problem", 22, "wrap"), Column("alike_households", 9, "int"),
                          Column("alike_cells", 9, "int"), Column("habit_below_line", 10, "int"),
                          Column("habit_candidate", 10, "int"), Column("message", 64, "wrap")]


def _write_villages_alike(book, report: QualityReport, formats: dict) -> None:
    """各村整村问题, where a kind of village finding is said once for its villages (said_findings): every
    such finding (an enumerator's block a row of its own), kind by kind as said, in the input's order of
    townships, what it is (问题), its counts in columns to sort and filter by (the households decided only
    of blank amounts, blank elsewhere) and its sentence as the terminal said it before. One sheet for every
    kind, not one each: a clerk filters 问题. Not the overview: 108 paragraphs there pushed the checks'
    table onto the tenth page."""
    alike = run_villages_alike(report.result)
    if alike is None:
        return
    lang = report.lang
    findings = report.systemic.findings
    at = np.flatnonzero(alike.group >= 0)
    townships = pd.Index(township_order(report.result.households)).get_indexer(findings["township"].iloc[at])
    at = at[np.lexsort((townships, alike.group[at]))]
    findings = findings.iloc[at]
    groups = alike.groups.iloc[alike.group[at]]
    blank_amounts = (groups["level"].eq("blank_for_zero") | groups["hint"].isin(BLANK_MONEY_HINTS)).to_numpy(dtype=bool)
    problems = [label("alike_problem_blank_for_zero", lang) if g.level == "blank_for_zero" else
                label("alike_problem_column", lang, column=column_text(g.column, g.header, lang),
                      check=label(f"check_{g.code}", lang))
                for g in alike.groups.itertuples(index=False)]
    decides = deciding(findings)
    decided = {s: findings[f"decided_{s}"].to_numpy(dtype=float) for s in DECIDED}
    frame = pd.DataFrame({
        "township": findings["township"].replace("", label("unknown_township", lang)).to_numpy(dtype=object),
        "village": findings["village"].replace("", label("unknown_village", lang)).to_numpy(dtype=object),
        "habit_enumerator": findings["enumerator"].fillna("").to_numpy(dtype=object),
        "alike_problem": np.array(problems, dtype=object)[alike.group[at]],
        "alike_households": findings["rows"].to_numpy(dtype=np.int64),
        "alike_cells": findings["cells"].to_numpy(dtype=np.int64),
        # Households decided on blanks read as 0: of blank amounts only; a blank flag decides none.
        "habit_below_line": np.where(blank_amounts, decided["below_line"], np.nan),
        "habit_candidate": np.where(blank_amounts, decided["candidate"], np.nan),
        "message": [finding_text(f, d, lang) for f, d in zip(findings.itertuples(index=False), decides)],
    })
    ws = book.add_worksheet(label("sheet_villages_alike", lang))
    width = sum(c.width for c in VILLAGES_ALIKE_COLUMNS)
    for r, group in enumerate(alike.groups.itertuples(index=False)):  # each kind's line, as said
        line = alike_line(group, lang).text
        write_block(ws, r, 0, len(VILLAGES_ALIKE_COLUMNS) - 1, line, formats["note_wrap"], text_height(line, width, 10))
    header_row = len(alike.groups) + 1
    write_table(ws, header_row, VILLAGES_ALIKE_COLUMNS, frame, formats, lang, autofilter=True,
                heights=row_heights(frame, VILLAGES_ALIKE_COLUMNS))
    setup_print(ws, lang, header_row=header_row, running_title=running_title(report, "sheet_villages_alike"))


def write_quality_workbook(report: QualityReport, path: Path) -> Path:
    """quality.xlsx: overview, the villages, the issue list (every issue but a systemic finding's
    warnings), one list per severity, and the file facts."""
    lang = report.lang
    # Arial as the Normal font: the columns' widths print alike in Excel, WPS and LibreOffice, and the
    # text's printed size follows from them (new_workbook(fixed_scale=True)).
    book = new_workbook(path, fixed_scale=True)
    formats = cell_formats(book, lang)
    formats["verdict_error"] = book.add_format({"font_name": label("font_name", lang), "font_size": 12, "bold": True,
                                                "font_color": "#B00020", "text_wrap": True, "valign": "top"})
    formats["verdict_warning"] = book.add_format({"font_name": label("font_name", lang), "font_size": 12,
                                                  "bold": True, "font_color": "#8A5A00", "text_wrap": True,
                                                  "valign": "top"})
    formats["verdict_ok"] = book.add_format({"font_name": label("font_name", lang), "font_size": 12, "bold": True,
                                             "font_color": "#2E7D32", "text_wrap": True, "valign": "top"})
    formats["systemic_decides"] = _decides_format(book, lang)
    tables = LongTables(book)
    _write_overview(book, report, formats)
    if _townships_apart(report):
        _write_by_township(book, report, formats)
    _write_villages(book, report, formats)
    _write_villages_alike(book, report, formats)
    listing = report.listing
    severity = listing["severity_key"].to_numpy(dtype=object)
    left_out = int((~report.issues["listed"]).sum())
    notes = [label("listing_systemic_note", lang, count=f"{left_out:,}")] if left_out else []
    # The rows' heights once, for the whole list and its two parts by severity.
    heights = np.asarray(row_heights(listing, _columns(ISSUE_LIST_COLUMNS, lang)))
    for key, where in (("sheet_issues", slice(None)), ("sheet_errors", severity == "error"),
                       ("sheet_warnings", severity == "warning")):
        _write_issue_sheets(book, tables, report, formats, key, listing[where].reset_index(drop=True),
                            notes if key != "sheet_errors" else [], heights=heights[where])
    if report.member_issues is not None:
        _write_issue_sheets(book, tables, report, formats, "sheet_member_issues", report.member_issues,
                            [label("member_issues_note", lang)], MEMBER_LIST_COLUMNS)
    if report.rosters is not None:
        _write_rosters(book, report, formats)
    ws = book.add_worksheet(label("sheet_files", lang))
    # 明细 says what 说明 does not: each fact's message quotes its detail (36 beside 读入 36 户, a lock
    # file's whole sentence twice), so it is blank where it would only repeat. A row per file or sheet.
    shown = report.facts["shown"].fillna("").astype(str).tolist()
    said = [s in m or s in m.replace(",", "") for s, m in zip(shown, report.facts["message"].astype(str).tolist())]
    facts = report.facts.assign(level=report.facts["level"].map(lambda v: label(v, lang)),
                                detail=np.where(said, "", np.asarray(shown, dtype=object)))
    facts = facts[["source_file", "sheet", "level", "detail", "message"]]
    # A 明细 with nothing of its own as narrow as its header, its room given to 说明.
    widths = _WIDTHS if not all(said) else {**_WIDTHS, "detail": line_width(label("detail", lang)),
                                            "message": _WIDTHS["message"] + _WIDTHS["detail"]}
    columns = _columns(facts.columns, lang, widths)
    # Each row as high as its longest wrapped text (a file name, a fact's words): one line each was
    # printed over itself and cut off.
    write_table(ws, 0, columns, facts, formats, lang, heights=row_heights(facts, columns), empty_row=False,
                autofilter=True)
    setup_print(ws, lang, header_row=0, running_title=running_title(report, "sheet_files"))
    _write_all_rows(book, report, formats)
    tables.close(path)
    return path


def _write_all_rows(book, report: QualityReport, formats: dict) -> None:
    """The 全部行号 sheet where a fact's rows or cells were too many for its cell (rows_said, list_said,
    records_over_lines_line: its words point here): each such fact's every row or cell, from its detail,
    in pieces of ROWS_PER_CELL, beside the fact's words with its list left out (…), to filter by."""
    lang = report.lang
    said = report.facts["message"].fillna("").astype(str)
    cut = report.facts[said.str.contains(all_rows_pointer(lang), regex=False)
                       | said.str.contains(all_rows_pointer(lang, "fact_cells_all_at"), regex=False)]
    if not len(cut):
        return
    pieces = [row_chunks(str(detail)) for detail in cut["detail"]]
    counts = [len(p) for p in pieces]
    words = [str(message).replace(str(shown), "…") for message, shown in zip(cut["message"], cut["shown"])]
    table = pd.DataFrame({
        "source_file": np.repeat(cut["source_file"].to_numpy(dtype=object), counts),
        "sheet": np.repeat(cut["sheet"].to_numpy(dtype=object), counts),
        "message": np.repeat(np.asarray(words, dtype=object), counts),
        "fact_rows_listed": [chunk for p in pieces for chunk in p]})
    columns = [*_columns(["source_file", "sheet", "message"], lang), Column("fact_rows_listed", 60, "wrap")]
    ws = book.add_worksheet(label("sheet_all_rows", lang))
    write_table(ws, 0, columns, table, formats, lang, heights=row_heights(table, columns), autofilter=True)
    setup_print(ws, lang, header_row=0, running_title=running_title(report, "sheet_all_rows"))


# ---------------------------------------------------------------------------------------------
# The villages' fix lists


def _decides_format(book, lang: Lang):
    """A systemic finding that decides households (SystemicLine.decides): wrapped text as the others,
    bold in the warnings' colour, apart from the blanks that change nothing."""
    return book.add_format({"font_name": label("font_name", lang), "font_size": 11, "bold": True,
                            "font_color": "#8A5A00", "text_wrap": True, "valign": "top"})


def _fix_headers_whole(columns: list[Column], lang: Lang) -> list[Column]:
    """The fix list's columns with each header of one word (严重程度, severity) on one line: printed,
    LibreOffice broke 严重程/度 in a column of 6 (an outside try). The room is taken from 核实修改情况
    (fix_done: room to write by hand, never narrower than its header's longest word), so that the
    page keeps its scale."""
    words = {c.key: label(c.key, lang) for c in columns}
    wider = [max(c.width, line_width(words[c.key])) if " " not in words[c.key] and c.key != "fix_done" else c.width
             for c in columns]
    more = sum(wider) - sum(c.width for c in columns)
    least = max(line_width(word) for word in words["fix_done"].split())
    return [c._replace(width=max(least, w - more) if c.key == "fix_done" else w) for c, w in zip(columns, wider)]


def write_village_fix_list(path: Path, township: str, village: str, rows: pd.DataFrame, errors: int,
                           lang: Lang, systemic: list[SystemicLine] = (), said_once: int = 0) -> None:
    """One village's workbook of issues to fix (`rows`: its issue list, errors first, numbered):
    the systemic findings that reach it first (`said_once`: its warnings they hold, not listed), then a
    row per issue, each tall enough to write the correction in by hand. A blank `village` is the list
    of the rows whose village cannot be told (likely_villages), titled so."""
    book = new_workbook(path, fixed_scale=True, small=True)
    formats = cell_formats(book, lang)
    ws = book.add_worksheet(label("sheet_issues", lang))
    files = pd.unique(rows["source_file"].dropna().astype(str)) if len(rows) else []
    # Issues of one file name it once, above: its column printed the name wrapped on every row.
    keys = [k for k in FIX_LIST_COLUMNS if k != "source_file" or len(files) > 1]
    columns = _fix_headers_whole(_columns([*keys, "fix_done"], lang, _FIX_WIDTHS), lang)
    last = len(columns) - 1
    # An ID read as the village (a row pasted in another column order) is masked: the list is sent out.
    township, village = mask_in_string(township), mask_in_string(village)
    title = label("fix_title", lang, township=township, village=village) if village else \
        label("fix_title_unplaced", lang, township=township)
    ws.write_string(0, 0, title, formats["report_title"])
    note = label("fix_note", lang, errors=errors, warnings=len(rows) - errors)
    if not village:  # whom it is for: the township, to find each household's village
        note += label("fix_unplaced_note", lang)
    if said_once:  # "0 warnings" above a finding of 175 blanks would read as nothing to check
        note += label("fix_note_systemic", lang, count=f"{said_once:,}")
    if len(files) == 1:
        note += label("fix_source_file", lang, file=files[0])
    ws.write_string(1, 0, note, formats["note"])
    top = 3
    if systemic:
        ws.write_string(2, 0, label("fix_systemic_title", lang), formats["h2"])
        width = sum(c.width for c in columns)
        decides = _decides_format(book, lang) if any(line.decides for line in systemic) else None
        for i, line in enumerate(systemic):
            write_block(ws, 3 + i, 0, last, line.text, decides if line.decides else formats["text"],
                        height=text_height(line.text, width))
        top = 4 + len(systemic)
    heights = row_heights(rows, columns, least=FIX_ROW_HEIGHT) if len(rows) else None
    write_table(ws, top, columns, rows, formats, lang, heights=heights, row_height=FIX_ROW_HEIGHT, autofilter=True)
    ws.freeze_panes(top + 1, 0)
    # The title heads every printed page: a page after the first named only the sheet its rows are on.
    setup_print(ws, lang, header_row=top, running_title=title)
    book.close()


def _village_systemic(report: QualityReport, places: pd.DataFrame | None = None
                      ) -> dict[tuple[str, str], dict[int, SystemicLine]]:
    """Per village, each systemic finding that reaches it (by its number in report.systemic.findings,
    in that order) in a sentence, with the village's own rows (and of a finding that decides
    households, the village's own of them). `places`: each household's (township, village) whose fix
    list it reaches (likely_villages), else its own."""
    issues = report.issues
    of_issue = report.systemic.of_issue
    if not len(report.systemic.findings):
        return {}
    at = np.flatnonzero(of_issue >= 0)
    hh = issues["hh"].to_numpy()[at]
    households = report.result.households
    status = households["status"].to_numpy(dtype=object)[hh]
    township, village = (issues[key].to_numpy(dtype=object)[at] if places is None else
                         places[key].to_numpy(dtype=object)[hh] for key in ("township", "village"))
    frame = pd.DataFrame({"township": township, "village": village,
                          "finding": of_issue[at], "row": households["row"].to_numpy(dtype=np.int64)[hh],
                          **{f"decided_{s}": status == s for s in DECIDED}})
    lang = report.lang
    findings = list(report.systemic.findings.itertuples(index=False))
    decides = deciding(report.systemic.findings)
    out: dict[tuple[str, str], dict[int, SystemicLine]] = {}
    for (township, village, finding), part in frame.groupby(["township", "village", "finding"], sort=True):
        said = describe(findings[finding], lang)
        if findings[finding].level == "sheet":  # a sheet's finding: this village's own rows of it
            rows = part["row"].to_numpy()
            place = issuer_places(township, village, lang)["this_place"]
            ranges = ranges_text(runs_of_rows(rows), lang)
            # The village's own households decided on it: a blank cell is one issue, one per household.
            decided = decided_text(part[[f"decided_{s}" for s in DECIDED]].sum(), lang) if decides[finding] else ""
            # A sentence of its own after the finding's ('…:此项必填 本村 25 户' ran on; an outside try).
            said = said.rstrip("。.") + (
                label("fix_systemic_village_decided", lang, rows=f"{len(np.unique(rows)):,}", this_place=place,
                      ranges=ranges, decided=decided) if decided else
                label("fix_systemic_village", lang, rows=f"{len(np.unique(rows)):,}", this_place=place,
                      ranges=ranges))
        out.setdefault((township, village), {})[int(finding)] = SystemicLine(said, bool(decides[finding]))
    return out


def _village_member_rows(report: QualityReport) -> pd.DataFrame:
    """The member rows' issues of a known village as a fix list shows them (issue_list's columns, IDs
    masked), the member's name marked as a member's; none without members."""
    result, lang = report.result, report.lang
    if result.members is None:
        return pd.DataFrame()
    table = result.members.issues(result.households, lang)
    if not len(table):
        return pd.DataFrame()
    table = table[table["village"].fillna("").astype(str).to_numpy() != ""]
    if not len(table):
        return pd.DataFrame()
    listing = issue_list(masked_issues(table.reset_index(drop=True), lang), lang)
    before, after = label("fix_member_name", lang, name="\x00").split("\x00")
    listing["head_name"] = (before + mask_in_text(listing["head_name"]).astype(str) + after).to_numpy(dtype=object)
    return listing


def total_rows(result, lang: Lang) -> pd.DataFrame:
    """Each total row of a sheet that is not the sum of its households (totals.TotalDiffers) whose
    households are all of one village (the village each household's rows reach: likely_villages, so
    that 陈家店 typed once among 陈家店村's rows is no second village), as a row of that village's fix
    list (issue_list's columns, no household: hh -1, kept where it is by routed_rows): the accountant
    who typed it sees it, not only the county office in quality.xlsx. Its cells, the figures it
    writes, and the words check says."""
    sep = label("list_sep", lang)
    rows = []
    totals = [(record, sheet, total) for record in result.inputs for sheet in record.sheets
              for total in sheet.totals_differ if total.households]
    places = run_villages(result)[["township", "village"]] if totals else None
    for record, sheet, total in totals:
        homes = places.iloc[total.households].drop_duplicates()
        if len(homes) != 1 or homes["village"].iloc[0] == "":
            continue  # a 合计 of several villages is the township's to correct
        township, village = homes.iloc[0].tolist()
        headers, figures = total.figures(lang)
        where = label("fact_where_sheet", lang, sheet=sheet.name)
        rows.append({"source_file": record.name, "sheet": sheet.name, "cell": sep.join(total.cells()),
                     "row": total.row, "township": township, "village": village,
                     "head_name": total.said or label("total_word_default", lang),
                     "header": sep.join(headers), "value": sep.join(figures),
                     "severity": label("warning", lang), "message": total_differs_line(total, where, lang),
                     "category": label("逻辑错误", lang), "code": "total_differs",
                     "severity_key": "warning", "hh": -1})
    return pd.DataFrame(rows, columns=[*ISSUE_LIST_COLUMNS, "severity_key", "hh"])


def village_fix_tasks(report: QualityReport, folder: Path) -> list[Task]:
    """One task per village that has issues, writing the workbook to send back to be fixed: the
    systemic findings that reach it, then its errors and its other warnings, in row order, with an
    empty column for what was checked or corrected. Plain arguments, so a helper process can take
    some (see runtime.py)."""
    # A village's own wrong 合计 is on its list too: a village whose only issue it is (every household
    # clean) gets a list of it, where before no list was written and the terminal named none.
    totals = total_rows(report.result, report.lang)
    if not len(report.issues) and not len(totals) and not report.result.member_error_count and not (
            report.member_issues is not None and len(report.member_issues)):
        return []
    folder.mkdir(parents=True, exist_ok=True)
    # Sent to the villages: the listed issues with every ID and phone number they quote masked, as
    # the review lists mask them (domain §8), rendered again from the masked values.
    listed = report.issues["listed"].to_numpy(dtype=bool)
    # Nothing of a roster but the fact of a match leaves the county office (after-screening §1): a
    # death's date is said in issues.csv and quality.xlsx, not here.
    listing = issue_list(masked_issues(without_roster_columns(report.result.issue_rows(report.lang, listed)),
                                       report.lang), report.lang)
    listing = listing.assign(head_name=mask_in_text(listing["head_name"]).to_numpy(),
                             _finding=_blank_finding(report, listed))
    # The members' own rows (a wrong ID, …) are fixed in the village too: those whose village is known,
    # after its households' issues, the member named as such in the head's column.
    members = _village_member_rows(report)
    if len(members) or len(totals):
        listing = pd.concat([listing, *(part for part in (members, totals) if len(part))], ignore_index=True)
        listing["_finding"] = listing["_finding"].fillna(-1).astype(np.int64)
    # Each row to the list of the village it most likely belongs to (a 行政村 left blank, an ID pasted
    # there, 新立 for 新立村: three lists for one village, one for nobody, before), saying so on the row.
    places = run_villages(report.result)
    listing = routed_rows(listing, places, report.lang)
    order = np.arange(len(listing), dtype=np.float64)
    # A row out of line (value_in_wrong_field) first among its row's issues: the others (不是数字 …) are
    # what reading it in the wrong columns made, and go once the row is put right.
    first = listing["code"].to_numpy(dtype=object) == "value_in_wrong_field"
    if first.any():
        start = pd.Series(order).groupby([listing["source_file"], listing["sheet"], listing["row"]],
                                         dropna=False).transform("min").to_numpy()
        order[first] = start[first] - 0.5
    listing = listing.assign(_rank=np.where(listing["severity_key"].to_numpy() == "error", 0, 1), _order=order)
    systemic = _village_systemic(report, places)
    hh_said_once = report.issues["hh"].to_numpy(dtype=np.int64)[~listed]
    said_once = places.iloc[hh_said_once][["township", "village"]].value_counts()
    groups = {(t, v): part for t, v, part in villages(listing, places)}
    empty = listing.iloc[:0]
    # In the input's order; the village's name as in the review lists, the list's kind after it, the
    # rows of no village that can be told named so.
    keys = [key for key in village_keys(places) if key in groups or key in systemic]
    paths = village_paths(folder, keys, places, report.lang, label("file_kind_fix_list", report.lang),
                          blank_village="fix_unplaced_village")
    tasks = []
    for path, (township, village) in zip(paths, keys):
        part = groups.get((township, village), empty).sort_values(["_rank", "_order"], kind="stable")
        found = systemic.get((township, village), {})
        lines = list(found.values())
        # Several findings at the top, a row pointing to one: numbered, the row saying which.
        if len(found) > 1 and part["_finding"].isin(list(found)).any():
            lines = [line._replace(text=label("fix_systemic_number", report.lang, n=n) + line.text)
                     for n, line in enumerate(lines, 1)]
        rows = part[FIX_LIST_COLUMNS[1:]]
        rows = rows.assign(message=_pointed_messages(part, found, report.lang))
        rows.insert(0, "seq", np.arange(1, len(rows) + 1))
        tasks.append(("write_fix_lists", write_village_fix_list,
                      (path, township, village, rows, int((part["_rank"] == 0).sum()), report.lang,
                       lines, int(said_once.get((township, village), 0)))))
    return tasks


def _blank_finding(report: QualityReport, listed: np.ndarray) -> np.ndarray:
    """Per listed issue, the systemic finding of blanks it belongs to (-1: none). An error of one stays
    listed row by row (its household invalid until corrected), but its 说明 says nothing the finding
    does not; a row of another finding quotes its own value and what is wrong with it (校验位 or 出生日期)."""
    finding = report.systemic.of_issue[np.flatnonzero(listed)]
    if not len(report.systemic.findings):
        return np.full(len(finding), -1, dtype=np.int64)
    blanks = report.systemic.findings["code"].to_numpy(dtype=object) == "missing_value"
    return np.where((finding >= 0) & blanks[np.maximum(finding, 0)], finding, -1)


def _pointed_messages(part: pd.DataFrame, found: dict[int, SystemicLine], lang: Lang) -> np.ndarray:
    """A village's rows' 说明: a row of a systemic finding of blanks said at the list's top
    (_blank_finding) points to it in a few words, on one printed line (124 rows of 太平村's blank 乡(镇),
    each with the finding's fill-down said again, wrapped in the narrow column, printed 28 pages; an
    outside try); the others as they are."""
    message = part["message"].to_numpy(dtype=object).copy()
    number = part["_finding"].map({f: i + 1 for i, f in enumerate(found)}).to_numpy(dtype=np.float64)
    pointed = ~np.isnan(number)
    if not pointed.any():
        return message
    if len(found) == 1:  # the only finding above: no number to look for
        message[pointed] = label("fix_systemic_row", lang)
    else:
        words = {n: label("fix_systemic_row_of", lang, n=n) for n in range(1, len(found) + 1)}
        message[pointed] = pd.Series(number[pointed].astype(np.int64)).map(words).to_numpy(dtype=object)
    return message


def write_village_fix_lists(report: QualityReport, folder: Path, helper: WriterHelper | None = None) -> list[Path]:
    """Every village's fix list (see village_fix_tasks) into `folder`; returns their paths."""
    tasks = village_fix_tasks(report, folder)
    run_tasks(tasks, helper)
    return [args[0] for _, _, args in tasks]


__all__ = [
    "ISSUE_LIST_COLUMNS",
    "MAX_SHEET_ROWS",
    "VILLAGE_FIX_FOLDER",
    "QualityReport",
    "file_facts",
    "issue_list",
    "quality_report",
    "systemic_lines",
    "village_fix_tasks",
    "write_quality_workbook",
    "write_village_fix_lists",
]
