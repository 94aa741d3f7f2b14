"""Writing values people will open in Excel or WPS without letting any of them run or leak.

A value from the input that begins with = + - @ tab or CR is never written as a formula: xlsx cells
are written with xlsxwriter's write_string (never `write`, which turns '=…' into a formula), every
workbook is opened with strings_to_formulas/urls/numbers off as a second guard, and CSV values get
a leading apostrophe, per OWASP's CSV-injection guidance. A plain negative number is left as it is:
it is data, not a formula.

Masking (what a village sees): IDs as the first 6 + ******** + the last 4, phones as 138****5678,
and any ID- or mobile-shaped run of digits inside free text (a message quoting the value as typed)
likewise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from ..catalogue import Lang, messages

_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?$"
# An ID-shaped run of 15 or more digits (IDs, mistyped IDs, bank accounts): 6 kept, the middle
# hidden, 4 kept.
_ID_RUN = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{5,}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
# A mobile number: 1[3-9]x, 4 hidden, 4 kept.
_MOBILE_RUN = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
_WIDE = re.compile(r"[^\x00-\x7f]")

A4 = 9  # xlsxwriter/Excel paper code


def csv_safe(column: pd.Series) -> pd.Series:
    """Text that a spreadsheet would take for a formula, prefixed with an apostrophe."""
    text = column.astype("string").fillna("")
    risky = text.str.contains(r"^[=+\-@\t\r]", regex=True) & ~text.str.fullmatch(_PLAIN_NUMBER)
    return text.where(~risky, "'" + text).astype(object)


def mask_id(ids: pd.Series) -> pd.Series:
    """First 6 + ******** + last 4, for an ID of 15 characters or more; otherwise all stars."""
    text = ids.astype("string").fillna("")
    masked = text.str[:6] + "********" + text.str[-4:]
    return masked.where(text.str.len() >= 15, text.str.replace(r".", "*", regex=True)).astype(object)


def mask_phone(phones: pd.Series) -> pd.Series:
    """138****5678: first 3 and last 4 kept for numbers of 8 digits or more; otherwise all stars."""
    text = phones.astype("string").fillna("")
    digits = text.str.replace(r"\D", "", regex=True)
    masked = digits.str[:3] + "****" + digits.str[-4:]
    return masked.where(digits.str.len() >= 8, text.str.replace(r"\S", "*", regex=True)).astype(object)


def mask_in_text(text: pd.Series) -> pd.Series:
    """Free text with every ID-shaped and mobile-shaped run of digits in it masked."""
    out = text.astype("string").fillna("")
    out = out.str.replace(_ID_RUN, r"\1********\2", regex=True)
    out = out.str.replace(_MOBILE_RUN, r"\1****\2", regex=True)
    return out.astype(object)


def display_width(text: pd.Series) -> pd.Series:
    """Width of each text in Excel character units: a CJK character counts two."""
    text = text.astype("string").fillna("")
    return (text.str.len() + text.str.count(_WIDE.pattern)).astype(int)


def lines_needed(text: pd.Series, width: float) -> pd.Series:
    """Printed lines of each text in a wrapped cell `width` characters wide, line breaks included."""
    parts = text.astype("string").fillna("").str.split("\n").explode()
    per_part = np.ceil(display_width(parts) / max(width - 1, 1)).clip(lower=1)
    return per_part.groupby(level=0).sum().reindex(text.index).fillna(1).astype(int)


def text_height(text: str, width: float, font_size: float = 11) -> float:
    """Row height in points for one block of wrapped text `width` characters wide."""
    per_line = max(width - 1, 1)
    lines = sum(max(1, math.ceil((len(part) + len(_WIDE.findall(part))) / per_line))
                for part in str(text).split("\n"))
    return math.ceil(lines * font_size * 1.45 + 4)


def new_workbook(path: Path) -> xlsxwriter.Workbook:
    """A workbook that never turns a string into a formula, a URL or a number."""
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False, "in_memory": True})


def _write_any(ws, row: int, col: int, value, fmt) -> None:
    """One cell whose type is only known from its value: numbers as numbers, blanks blank, everything
    else with write_string (never a formula). Text, the usual case, is tried first."""
    if value.__class__ is str:
        ws.write_string(row, col, value, fmt)
    elif value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _write_number_or_blank(ws, row: int, col: int, value: float, fmt) -> None:
    if value != value:  # NaN, the only value unequal to itself
        ws.write_blank(row, col, None, fmt)
    else:
        ws.write_number(row, col, value, fmt)


def write_cells(ws, row: int, col: int, values, fmt=None) -> None:
    """Write one row: numbers as numbers, everything else with write_string (never a formula).
    `fmt` is one format for the whole row or a list with one per value."""
    formats = fmt if isinstance(fmt, (list, tuple)) else [fmt] * len(values)
    for j, (value, f) in enumerate(zip(values, formats)):
        _write_any(ws, row, col + j, value, f)


def _column_kind(column: pd.Series) -> str:
    """How a column's cells are written, from its dtype and (for objects) one scan in C: "number",
    "number_or_blank" (NaN blank), "text", or "any" when only each value can tell (as write_cells
    decides)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return "any"  # True/False are written as text, as write_cells does
    if pd.api.types.is_numeric_dtype(column.dtype):
        return "number_or_blank" if column.hasnans else "number"
    if not column.hasnans and pd.api.types.infer_dtype(column, skipna=False) == "string":
        return "text"
    return "any"


class ColumnLists:
    """A table's columns as plain Python lists, each with its kind (see `_column_kind`) decided once
    for the whole column, so that writing a cell is one xlsxwriter call with no type test. Made once
    for a whole run; `table[start:stop]` is those rows (a village's share) as lists of their own."""

    def __init__(self, columns: dict[str, tuple[str, list]], length: int):
        self.columns = columns
        self.length = length

    @classmethod
    def of(cls, frame: pd.DataFrame, keys=None) -> ColumnLists:
        """The columns `keys` of `frame` (all of them by default); a key it lacks is left out."""
        columns = {}
        for key in frame.columns if keys is None else [k for k in keys if k in frame.columns]:
            kind = _column_kind(frame[key])
            if kind.startswith("number"):
                values = frame[key].to_numpy(dtype=float, na_value=np.nan).tolist()
            else:
                values = frame[key].tolist()
            columns[key] = (kind, values)
        return cls(columns, len(frame))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, rows: slice) -> ColumnLists:
        start, stop, _ = rows.indices(self.length)
        return ColumnLists({key: (kind, values[rows]) for key, (kind, values) in self.columns.items()},
                           max(stop - start, 0))

    def column(self, key: str) -> list:
        """The values of one column; blanks for a column the table lacks."""
        return self.columns[key][1] if key in self.columns else [None] * self.length

    def writer(self, ws, key: str):
        """write(row, col, value, fmt) for the cells of one column."""
        kind, values = self.columns.get(key, ("blank", None))
        if kind == "text":
            return ws.write_string
        if kind == "number":
            return ws.write_number
        if kind == "number_or_blank":
            return partial(_write_number_or_blank, ws)
        if kind == "blank":
            return ws.write_blank
        return partial(_write_any, ws)


def write_table(ws, row: int, columns: list[tuple[str, float, str]], frame: pd.DataFrame | ColumnLists,
                formats: dict, lang: Lang, *, row_height: float | None = None,
                heights: Sequence[float] | None = None) -> int:
    """A header row of catalogue labels and one row per record of `frame` (a DataFrame, or the same
    as ColumnLists made once for many tables), whose columns are the keys of `columns` =
    [(label key, width, format key)]. Missing columns are written blank (the meeting fills them in).
    An empty frame gets one "(none)" row. `heights` (one per record) or `row_height` sets the
    records' row heights. Returns the next free row."""
    labels = messages().labels
    headers = [labels[key](lang) for key, _, _ in columns]
    write_cells(ws, row, 0, headers, formats["header"])
    # A handful of header cells: plain Python, not a pandas round trip per sheet.
    lines = max(math.ceil((len(h) + len(_WIDE.findall(h))) / max(w - 1, 1)) for h, (_, w, _) in zip(headers, columns))
    ws.set_row(row, max(30, max(1, lines) * 15 + 6))
    for j, (_, width, _) in enumerate(columns):
        ws.set_column(j, j, width)
    row += 1
    n = len(frame)
    if n == 0:
        ws.merge_range(row, 0, row, len(columns) - 1, "", formats["center"])
        ws.write_string(row, 0, labels["none_listed"](lang), formats["center"])
        return row + 1
    keys = [key for key, _, _ in columns]
    table = frame if isinstance(frame, ColumnLists) else ColumnLists.of(frame, keys)
    writers = [table.writer(ws, key) for key in keys]
    fmts = [formats[f] for _, _, f in columns]
    row_heights = list(heights) if heights is not None else [row_height] * n
    # Row by row, as before: the shared-string table is numbered in the order strings are written.
    for i, (height, *record) in enumerate(zip(row_heights, *[table.column(key) for key in keys])):
        for j, (write, value, fmt) in enumerate(zip(writers, record, fmts)):
            write(row + i, j, value, fmt)
        if height is not None:
            ws.set_row(row + i, float(height))
    return row + n


def write_block(ws, row: int, first_col: int, last_col: int, text: str, fmt, height: float | None = None) -> None:
    """Text across merged cells of one row, written as a string (merge_range's own write is generic)."""
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, "", fmt)
    ws.write_string(row, first_col, str(text), fmt)
    if height is not None:
        ws.set_row(row, height)


def setup_print(ws, lang: Lang, *, header_row: int, landscape: bool = True, freeze: bool = True) -> None:
    """A4, fitted to the page width, the header row repeated on every page, page numbers below;
    the rows down to the header frozen on screen unless `freeze` is false."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.center_horizontally()
    ws.set_footer("&C" + messages().labels["page_footer"](lang))
    if freeze:
        ws.freeze_panes(header_row + 1, 0)


def base_formats(book: xlsxwriter.Workbook, lang: Lang) -> dict:
    """The formats every workbook uses, in the language's usual print font."""
    font = {"font_name": messages().labels["font_name"](lang)}
    add = lambda **kw: book.add_format({**font, **kw})  # noqa: E731
    return {
        "title": add(bold=True, font_size=16, align="center", valign="vcenter"),
        "subtitle": add(font_size=10, align="center", valign="vcenter", text_wrap=True),
        "text": add(font_size=11, valign="top", text_wrap=True),
        "header": add(bold=True, border=1, align="center", valign="vcenter", text_wrap=True, bg_color="#EEEEEE"),
        "cell": add(border=1, valign="vcenter", text_wrap=True),
        "center": add(border=1, align="center", valign="vcenter"),
        "int": add(border=1, num_format="0", align="right", valign="vcenter"),
        "money": add(border=1, num_format="0.00", align="right", valign="vcenter"),
        "percent": add(border=1, num_format="0.0%", align="right", valign="vcenter"),
        "bold": add(bold=True, border=1, valign="vcenter", text_wrap=True),
        "bold_int": add(bold=True, border=1, num_format="0", align="right", valign="vcenter"),
        "bold_percent": add(bold=True, border=1, num_format="0.0%", align="right", valign="vcenter"),
        "sign": add(font_size=11, valign="bottom"),
    }
