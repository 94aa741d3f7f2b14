"""Workbooks people open in Excel or WPS and print: one way to open a workbook, one set of cell
formats, one table writer, print setup and row heights.

Every cell from the input is written as text (never a formula; see privacy.py), numbers as numbers.
Tables are written column by column kind: what a column holds is decided once, not per cell, and a
table's records are made as sheet XML a column at a time (TableSheet, sheetdata.py).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import warnings
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..catalogue import Lang, label, messages
from ..cells import joined_apart
from ..linebreaks import NO_BREAK_AFTER, NO_BREAK_BEFORE
from .sheetdata import any_value, cells, column_kind, column_values, numbered, rows_xml


A4 = 9  # xlsxwriter/Excel paper code
A4_POINTS = (595.3, 841.9)  # its width and height, portrait
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.7}  # inches, as setup_print sets them
# The Normal font of a workbook that prints at a scale computed here (new_workbook(fixed_scale=True)).
# Column widths are counted in the Normal font's digits: Arial 10's is 7 pixels in Excel and WPS, as
# Calibri 11's is, and Arial or its metric twin Liberation Sans is on every Windows and most Linux
# machines, where LibreOffice would put a wider font in Calibri's place and spill the columns.
FIXED_SCALE_FONT = {"default_format_properties": {"font_name": "Arial", "font_size": 10},
                    "default_row_height": 17, "default_column_width": 64}
# Renderers' width of a column beyond Excel's: LibreOffice counts Liberation Sans' 7.4-pixel digit.
WIDTH_SLACK = 1.06
# Characters Excel and WPS hold in a custom document property's text (xlsxwriter warns past it).
PROPERTY_MOST = 255
# xlsxwriter says what it cannot write as Excel would take it with a Python warning on stderr, the
# clerk's terminal, where it reads as the program breaking (and may quote a cell). Each is the
# program's own slip, for its tests to catch (tests/test_county_size_files.py): a clerk sees none.
warnings.filterwarnings("ignore", category=UserWarning, module=r"xlsxwriter\.")



# The one model of wrapped text on paper: how many lines a text takes in a column (printed_lines) and
# how tall a row of so many lines is (printed_height); every workbook that is printed sizes its rows,
# and its labels' columns (line_width), with these. Measured with LibreOffice (tests/test_print_model.py
# pins it): a line of CJK text is 1.45 em apart (16 pt at 11 pt, whatever the row's other lines hold);
# a CJK character is one em; ASCII is drawn in the cell font's Latin face or its stand-in, DejaVu Sans
# in LibreOffice where no 宋体 or Calibri is installed (its digit 0.636 em), Arial's metrics in Excel,
# SimSun's half an em: each ASCII character is counted at the widest of the three (ASCII_EM). A column
# is counted as Excel draws it (7-pixel digits), which is narrower than LibreOffice's (7.4): Excel and
# WPS draw CJK a little wider, and that is the margin, never a spare line.
# Widths per 1000 em, space (32) to ~ (126).
_ARIAL = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, *[556] * 10, 278, 278,
          584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667,
          778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556,
          278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500,
          334, 260, 334, 584]
_DEJAVU_SANS = [318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, *[636] * 10, 337,
                337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748,
                787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635,
                550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592,
                818, 592, 592, 525, 636, 337, 636, 838]
ASCII_EM = np.r_[np.full(32, 0.5), np.maximum(np.maximum(_ARIAL, _DEJAVU_SANS) / 1000, 0.5), 0.5]
ASCII_EM[32] = 0.32  # a space: SimSun's is half an em, but a break after it hangs
LINE_EM = 1.46  # line pitch: LibreOffice's measured 1.449–1.456 em, and a little over
ROW_PADDING = 5  # points above the first line and below the last
CELL_INSET = 14  # pixels of a column's width that a cell's indent and padding take
# Where a line may not break (UAX #14, as Excel and LibreOffice keep them): after an opening mark,
# before a closing mark or a full-width comma, stop or colon, and inside a run of ASCII (a number, a
# file name, a masked ID: 220122********3237 goes to the next line whole).
_NO_BREAK_AFTER, _NO_BREAK_BEFORE = 1, 2
_MARKS = np.zeros(0x10000, dtype=np.uint8)
_MARKS[[ord(c) for c in NO_BREAK_AFTER]] = _NO_BREAK_AFTER
_MARKS[[ord(c) for c in NO_BREAK_BEFORE]] = _NO_BREAK_BEFORE
LAYOUT_CHUNK = 20_000  # texts laid out at once (printed_lines)
# The tallest row Excel, WPS and LibreOffice keep (409 points, in whole pixels as a height is stored):
# a taller one is cut to it.
ROW_POINTS_MOST = 408.75
_UNITS = 32  # widths counted in 32nds of an em, whole numbers: small types over millions of characters
_ASCII_UNITS = np.ceil(ASCII_EM * _UNITS).astype(np.uint8)
_WIDEST = max(int(_ASCII_UNITS.max()), _UNITS) / _UNITS  # ems of the widest character (Arial's @)


def _texts(text) -> list[str]:
    """The texts of a Series, array or list as str: a missing value (None, NaN, NA) as ""."""
    values = text.to_numpy(dtype=object) if isinstance(text, pd.Series) else text
    return [v if isinstance(v, str) else "" if v is None or v is pd.NA or (isinstance(v, float) and v != v)
            else str(v) for v in values]


def printed_lines(text: Sequence[str] | pd.Series | np.ndarray, width: float, font_size: float = 11,
                  most: int | None = None) -> np.ndarray:
    """The lines each text takes printed in a wrapped cell of a column `width` characters wide (the
    Normal font's 7-pixel digits, as Excel stores a width) in `font_size` points, line breaks
    included: laid out as a renderer breaks lines (where a line may break; a word longer than a line
    broken where it must), with the widths of the model above. All texts at once, a line of each per
    pass: as many passes as the longest text has lines, not a Python step per text. `most`: lines
    counted up to that many a text (a row's height: a text of a megabyte is thousands of passes)."""
    texts = _texts(text)
    em = font_size * 96 / 72
    room_em = max(int(width * 7 + 0.5) + 5 - CELL_INSET, em) / em
    # A text of no more characters than a line holds of the widest takes a line a paragraph: only the
    # others are laid out.
    lines = np.fromiter(map(str.count, texts, repeat("\n")), dtype=np.int64, count=len(texts)) + 1
    long = np.flatnonzero(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) * _WIDEST > room_em)
    # Laid out some thousands at a time: the layout holds several arrays of a character's size each
    # (a quality report's million messages took 200 MB more at once).
    for start in range(0, len(long), LAYOUT_CHUNK):
        part = long[start:start + LAYOUT_CHUNK]
        lines[part] = _laid_out([texts[i] for i in part.tolist()], room_em, most)
    return lines if most is None else np.minimum(lines, most)


def _laid_out(texts: list[str], room_em: float, most: int | None = None) -> np.ndarray:
    """printed_lines of `texts` in lines `room_em` ems long (each paragraph's up to `most`)."""
    n = len(texts)
    joined = joined_apart(texts, "\0")
    if joined is None:  # a text holding NUL: none is written to a cell
        return _laid_out([t.replace("\0", "") for t in texts], room_em, most)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    ends_text = codes == 0
    stops = ends_text | (codes == 10)
    ends = np.r_[np.flatnonzero(stops), len(codes)]
    owner = np.r_[0, np.cumsum(ends_text[ends[:-1]])]
    starts = np.r_[0, ends[:-1] + 1]
    long = (ends - starts) * _WIDEST > room_em
    wide = codes > 0x7F
    units = _ASCII_UNITS[np.minimum(codes, 0x7F)]
    units[wide] = _UNITS
    units[stops] = 0
    before = np.zeros(len(codes) + 1, dtype=np.uint32 if len(codes) < 2 ** 26 else np.uint64)
    np.cumsum(units, dtype=before.dtype, out=before[1:])
    # A line may begin at i: after a space, or beside a CJK character, unless a mark forbids it.
    marks = _MARKS[np.minimum(codes, 0xFFFF)]
    can = np.zeros(len(codes), dtype=bool)
    can[1:] = (codes[:-1] == 32) | wide[:-1] | wide[1:]
    can[1:] &= (marks[:-1] & _NO_BREAK_AFTER) == 0
    can[1:] &= (marks[1:] & _NO_BREAK_BEFORE) == 0
    can &= (codes != 32) & ~stops
    can[1:] &= ~stops[:-1]
    breaks = np.r_[-1, np.flatnonzero(can)]  # where a line may begin, -1 standing for none
    # The needle in the type of `before`: searchsorted would otherwise convert all of it on every pass.
    room = before.dtype.type(room_em * _UNITS)
    lines = np.ones(len(ends), dtype=np.int64)
    at = starts.copy()
    going = np.flatnonzero(long & (ends > at))
    passes = len(codes) if most is None else most
    while len(going) and passes:
        passes -= 1
        s = at[going]
        # The first character that does not fit on the line beginning at s.
        j = np.searchsorted(before, before[s] + room, side="right") - 1
        more = j < ends[going]
        going, s, j = going[more], s[more], j[more]
        k = breaks[np.searchsorted(breaks, j, side="right") - 1]  # the last place at or before j
        at[going] = np.where(k > s, k, np.maximum(j, s + 1))
        lines[going] += 1
    return np.bincount(owner, weights=lines, minlength=n).astype(np.int64)


def row_lines_most(font_size: float = 11) -> int:
    """The lines of `font_size`-point text the tallest row holds (ROW_POINTS_MOST), and one over: a
    text's lines past these change no row's height."""
    return int(ROW_POINTS_MOST / (font_size * LINE_EM)) + 1


def printed_height(lines, font_size: float = 11) -> np.ndarray:
    """Row height in points for `lines` printed lines (printed_lines) of `font_size`-point text, with
    the cell's padding, up to a whole pixel (as Excel stores a height), and no taller than a row can be
    (ROW_POINTS_MOST: what more lines would need is cut to it by every spreadsheet)."""
    points = np.asarray(lines, dtype=float) * (font_size * LINE_EM) + ROW_PADDING
    return np.minimum(np.ceil(points / 0.75 - 1e-9) * 0.75, ROW_POINTS_MOST)


def line_width(text: str, font_size: float = 11) -> float:
    """The width, in columns' characters, a column needs to print `text` on one line in `font_size`
    points (the inverse of printed_lines: it takes one line there)."""
    units = sum(_UNITS if ord(ch) > 0x7F else int(_ASCII_UNITS[ord(ch)]) for ch in text)
    # In whole pixels as Excel gives a column, one more against rounding.
    return (math.ceil(units / _UNITS * font_size * 96 / 72) + 1 + CELL_INSET - 5) / 7


@lru_cache(maxsize=4096)
def lines_of(text: str, width: float, font_size: float = 11) -> int:
    """printed_lines of one text. Kept: a village's workbook prints the same headers and notes as
    the next one's, and laying out one short text costs what laying out thousands does."""
    return int(printed_lines([text], width, font_size)[0])


# 避头尾 where a renderer keeps none: LibreOffice breaks a cell's line beside a CJK character wherever
# it falls, marks or not (an outside try printed 人均纯收入(元 over a lone ), and a 公告's 。 on a line
# of its own), where the model above keeps them. A header is safe from that only on one line.
_B, _A = re.escape(NO_BREAK_BEFORE), re.escape(NO_BREAK_AFTER)
_BESIDE_WIDE_MARK = re.compile(rf"(?<=[^\x00-\x7f])[{_B}]|(?<=.)(?![\x00-\x7f])[{_B}]"
                               rf"|[{_A}](?=[^\x00-\x7f])|(?![\x00-\x7f])[{_A}](?=.)")
HEADER_WORD_MOST = 5  # characters of a header read as one short word (帮扶措施, 帮扶责任人), kept whole
# A column's characters at most widened to print its header whole ("a little"): more for one that
# would break at a mark (人均纯收入(元) in a money column of 11) than for a word (not 家庭人口数 in 6).
HEADER_WIDER_MOST = {"mark": 6, "word": 4}


def breaks_at_a_mark(text: str) -> bool:
    """Whether a renderer that keeps no 避头尾 rule (LibreOffice) may begin a line of `text` with a
    closing mark or end one with an opening mark: such a mark beside a wide character (an ASCII word's
    marks stay with it, where a line breaks at spaces only)."""
    return any(_BESIDE_WIDE_MARK.search(line) for line in text.split("\n"))


def whole_width(text: str, width: float, font_size: float = 11) -> float:
    """The width a column `width` characters wide takes so that its header `text` prints whole: each of
    its lines on one line where it would wrap around a mark (breaks_at_a_mark: 人均纯收入(元), never
    (元 over ), or is a short word (HEADER_WORD_MOST characters: 帮扶措施, never 帮扶措 over 施), when that
    is a little wider (HEADER_WIDER_MOST); `width` where it is more (家庭人口数 in a count's column)."""
    need = width
    for line in text.split("\n"):
        if lines_of(line, width, font_size) <= 1:
            continue
        kind = "mark" if breaks_at_a_mark(line) else \
            "word" if len(line) <= HEADER_WORD_MOST and " " not in line else None
        one = line_width(line, font_size)
        if kind is not None and one <= width + HEADER_WIDER_MOST[kind]:
            need = max(need, one)
    return float(need)


def text_height(text: str, width: float, font_size: float = 11) -> float:
    """Row height in points for one block of wrapped text in a column (or merged columns) `width`
    characters wide: printed_height of its printed_lines."""
    return float(printed_height(lines_of(text, width, font_size), font_size))


def wrapped_heights(rows: pd.DataFrame | ColumnLists, columns, least: float, font_size: float = 11) -> np.ndarray:
    """Each row's height on a printed list of `columns` ((key, width, kind …)): `least` points, or more
    where a text of a column whose format wraps (主要困难, what to fix, a long name) wraps to more lines
    than that holds (printed_lines, printed_height). `rows`: a DataFrame or the same as ColumnLists."""
    lines = np.ones(len(rows), dtype=np.int64)
    most = row_lines_most(font_size)
    for column in columns:
        key, width, kind = column[0], column[1], column[2]
        if not FORMAT_SPECS.get(kind, {}).get("text_wrap") or key not in rows.columns or not len(rows):
            continue
        values = rows.column(key) if isinstance(rows, ColumnLists) else rows[key]
        lines = np.maximum(lines, printed_lines(values, width, font_size, most))
    # A row of one line keeps `least` (a notice's 20 points holds a line of 11 points).
    return np.where(lines > 1, np.maximum(printed_height(lines, font_size), least), least).astype(float)


def new_workbook(path: Path, *, fixed_scale: bool = False, small: bool = False) -> xlsxwriter.Workbook:
    """A workbook that never turns a string into a formula, a URL or a number. `fixed_scale`: its
    sheets print at a scale computed from their column widths (`print_scale`), so its Normal font is
    one whose widths every renderer agrees on (FIXED_SCALE_FONT). `small`: one of many small ones (a
    village's list), packed in memory (PackedWorkbook)."""
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "in_memory": True, **(FIXED_SCALE_FONT if fixed_scale else {})}
    book = PackedWorkbook(path, options) if small else xlsxwriter.Workbook(str(path), options)
    book.worksheet_class = TableSheet
    return book


def digest_property(values: Sequence[str]) -> str:
    """One custom document property for `values` however many (input files' SHA-256s, 64 characters
    each): the SHA-256 of them comma-joined in their order, within PROPERTY_MOST."""
    return hashlib.sha256(",".join(values).encode()).hexdigest()


class PackedWorkbook(xlsxwriter.Workbook):
    """xlsxwriter's workbook, packed in memory and written to its file at once when closed: the zip
    of a small workbook is a dozen small parts, each a seek and a write on the file otherwise."""

    def __init__(self, path: Path, options: dict):
        self.path = Path(path)
        self._packed: io.BytesIO | None = io.BytesIO()
        super().__init__(self._packed, options)

    def close(self) -> None:
        if self._packed is None:  # closed before
            return
        super().close()
        with open(self.path, "wb") as fh:
            fh.write(self._packed.getbuffer())
        self._packed = None


class TableSheet(Worksheet):
    """xlsxwriter's worksheet, which also takes a table's records whole (`add_records`, what
    write_table uses): their rows are made as sheet XML a column at a time (sheetdata.py) when the
    workbook is saved, where xlsxwriter would store and then write each cell with a dozen Python
    calls. xlsxwriter writes every other row of the sheet, and everything else of it, itself.

    It reaches into xlsxwriter's worksheet (its dimensions, and `_write_rows`, which writes
    <sheetData>): pyproject.toml holds xlsxwriter to the major version it was written against, and
    test_safe_writing reads a table written so back against the same written cell by cell."""

    def __init__(self):
        super().__init__()
        self.records: list[tuple[int, int, Callable[[], str]]] = []

    def add_records(self, first_row: int, rows: int, columns: int, render: Callable[[], str]) -> None:
        """Rows first_row .. first_row + rows - 1 (0-based) of `columns` columns from the first,
        which nothing else may write into: `render()` makes their <row> elements when the workbook
        is saved, after its formats are numbered."""
        if rows <= 0:
            return
        if self._check_dimensions(first_row, 0) or self._check_dimensions(first_row + rows - 1, columns - 1):
            raise ValueError(f"rows {first_row}..{first_row + rows - 1} are outside a worksheet")
        self.records.append((first_row, rows, render))

    def _write_rows(self) -> None:
        if not self.records:
            return super()._write_rows()
        lowest, highest = self.dim_rowmin, self.dim_rowmax
        blocks = sorted(self.records, key=lambda block: block[0])
        for first, rows, _ in blocks:
            taken = range(first, first + rows)
            if any(self.table.get(r) for r in self.table.keys() & taken) or self.row_info.keys() & taken:
                raise RuntimeError(f"rows {first}..{first + rows - 1} of {self.name} are written twice")
        # xlsxwriter writes the rows between the blocks, each stretch as if it were the whole sheet.
        start = lowest
        try:
            for first, rows, render in blocks:
                if start < first:
                    self.dim_rowmin, self.dim_rowmax = start, first - 1
                    super()._write_rows()
                self.fh.write(render())
                start = first + rows
            if start <= highest:
                self.dim_rowmin, self.dim_rowmax = start, highest
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = lowest, highest


def column_points(width: float) -> float:
    """Printed width at 100 % of a column `width` characters wide: the pixels Excel gives it (the
    Normal font's 7-pixel digit and 5 pixels of padding, as xlsxwriter stores it), 96 to the inch."""
    return (int(width * 7 + 0.5) + 5) * 0.75


# Points of a page's height that LibreOffice gives its page header and footer beyond the margins
# (setup_print puts a footer on every sheet, a header on most): measured on A4, a sheet of rows of
# 9 to 45 points held 492 and not 494 of the 501.7 the margins leave landscape, 496 with a header or
# a footer alone, 500 with neither.
HEADER_FOOTER_ROOM = 10


def page_body(landscape: bool, margins: dict = MARGINS) -> tuple[float, float]:
    """Width and height in points of what an A4 page prints inside `margins` (inches), its page header
    and footer (HEADER_FOOTER_ROOM) left out."""
    short, long = A4_POINTS
    width, height = (long, short) if landscape else (short, long)
    return (width - 72 * (margins["left"] + margins["right"]),
            height - 72 * (margins["top"] + margins["bottom"]) - HEADER_FOOTER_ROOM)


def print_scale(widths: Sequence[float], landscape: bool, margins: dict = MARGINS) -> int:
    """The largest print scale (percent, at most 100) at which columns of these widths fit across the
    page in any renderer (WIDTH_SLACK)."""
    needed = sum(column_points(w) for w in widths) * WIDTH_SLACK
    return max(10, min(100, math.floor(100 * page_body(landscape, margins)[0] / needed)))


def _write_any(ws, row: int, col: int, value, fmt) -> None:
    """One cell through xlsxwriter, written as sheetdata.any_value says its value is held."""
    value = any_value(value)
    if value is None:
        ws.write_blank(row, col, None, fmt)
    elif value.__class__ is float:
        ws.write_number(row, col, value, fmt)
    else:
        ws.write_string(row, col, value, fmt)


def write_cells(ws, row: int, col: int, values, fmt=None) -> None:
    """Write one row: numbers as numbers, everything else with write_string (never a formula).
    `fmt` is one format for the whole row or a list with one per value."""
    formats = fmt if isinstance(fmt, (list, tuple)) else [fmt] * len(values)
    for j, (value, f) in enumerate(zip(values, formats)):
        _write_any(ws, row, col + j, value, f)


class ColumnLists:
    """A table's columns as plain Python lists, each with its kind (see sheetdata.column_kind) decided
    once for the whole column, so that its cells are made with no type test per cell. Made once
    for a whole run; `table[start:stop]` is those rows (a village's share): a view on the same lists,
    copied out only when the village's workbook is written (`column`). The views of one table
    pickled together (the tasks sent to the helper) carry its lists once."""

    def __init__(self, columns: dict[str, tuple[str, list]], length: int, start: int = 0):
        self.columns = columns
        self.length = length
        self.start = start

    @classmethod
    def of(cls, frame: pd.DataFrame, keys=None) -> ColumnLists:
        """The columns `keys` of `frame` (all of them by default); a key it lacks is left out."""
        columns = {}
        for key in frame.columns if keys is None else [k for k in keys if k in frame.columns]:
            kind = column_kind(frame[key])
            columns[key] = (kind, column_values(frame[key], kind))
        return cls(columns, len(frame))

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, rows: slice) -> ColumnLists:
        start, stop, step = rows.indices(self.length)
        if step != 1:
            raise ValueError("a table's rows are taken in order")
        return ColumnLists(self.columns, max(stop - start, 0), self.start + start)

    def column(self, key: str) -> list:
        """The values of one column; blanks for a column the table lacks."""
        if key not in self.columns:
            return [None] * self.length
        values = self.columns[key][1]
        if self.start == 0 and self.length == len(values):
            return values
        return values[self.start:self.start + self.length]

    def kind(self, key: str) -> str:
        """How the cells of one column are written (sheetdata.column_kind); "blank" for a column the
        table lacks."""
        return self.columns[key][0] if key in self.columns else "blank"


class Column(NamedTuple):
    """A column of a printed table: the key of its values (and of its header label in the message
    catalogue), its width in characters, and its cell format's key in the formats of `formats()`.
    `by_value` gives some values a format of their own (an error in red), keyed by the value."""

    key: str
    width: float
    fmt: str = "cell"
    by_value: dict[str, str] | None = None


def write_table(ws, row: int, columns: Sequence[Column | tuple], frame: pd.DataFrame | ColumnLists,
                formats: dict, lang: Lang, *, row_height: float | None = None,
                heights: Sequence[float] | None = None, empty_row: bool = True,
                autofilter: bool = False) -> int:
    """A header row of catalogue labels and one row per record of `frame` (a DataFrame, or the same
    as ColumnLists made once for many tables), whose values are under the keys of `columns`.
    Missing columns are written blank (the meeting fills them in). An empty frame gets one "(none)"
    row unless `empty_row` is false. `heights` (one per record) or `row_height` sets the records'
    row heights; `autofilter` puts a filter on the header. Returns the next free row."""
    columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
    headers = [label(c.key, lang) for c in columns]
    write_cells(ws, row, 0, headers, formats["header"])
    lines = max(lines_of(h, c.width) for h, c in zip(headers, columns))
    ws.set_row(row, max(30.0, float(printed_height(lines))))
    for j, c in enumerate(columns):
        ws.set_column(j, j, c.width)
    header_row = row
    row += 1
    n = len(frame)
    if autofilter:
        ws.autofilter(header_row, 0, header_row + n, len(columns) - 1)
    if n == 0:
        if not empty_row:
            return row
        ws.merge_range(row, 0, row, len(columns) - 1, "", formats["center"])
        ws.write_string(row, 0, label("none_listed", lang), formats["center"])
        if row_height is not None:
            ws.set_row(row, float(row_height))
        return row + 1
    return write_records(ws, row, columns, frame, formats, row_height=row_height, heights=heights)


def write_records(ws, row: int, columns: Sequence[Column | tuple], frame: pd.DataFrame | ColumnLists,
                  formats: dict, *, row_height: float | None = None, heights: Sequence[float] | None = None) -> int:
    """One row per record of `frame` from `row`, under a header written otherwise: write_table's
    records (its `columns`, `heights`, `row_height`), as TableSheet.add_records takes them. Returns the
    next free row."""
    columns = [c if isinstance(c, Column) else Column(*c) for c in columns]
    n = len(frame)
    keys = [c.key for c in columns]
    table = frame if isinstance(frame, ColumnLists) else ColumnLists.of(frame, keys)
    kinds = [table.kind(key) for key in keys]
    values = [table.column(key) for key in keys]
    fmts = [formats[c.fmt] for c in columns]
    chosen = [{v: formats[k] for v, k in c.by_value.items()} if c.by_value else None for c in columns]
    row_heights = [float(h) for h in heights] if heights is not None else (
        None if row_height is None else [float(row_height)] * n)
    numbered([*fmts, *(f for by in chosen if by for f in by.values())])

    def render() -> str:
        return rows_xml(row, [cells(kind, v, fmt, by) for kind, v, fmt, by in zip(kinds, values, fmts, chosen)],
                        row_heights)

    ws.add_records(row, n, len(columns), render)
    return row + n


def _draws_on_every_cell(fmt) -> bool:
    """Whether a format shows on each cell a merge covers (a border, a fill), not only through the
    merge's first cell, which holds the text and says how it is aligned and wrapped."""
    return fmt is not None and bool(fmt.left or fmt.right or fmt.top or fmt.bottom or fmt.diag_type or fmt.pattern
                                    or fmt.bg_color or fmt.fg_color)


def write_block(ws, row: int, first_col: int, last_col: int, text: str, fmt, height: float | None = None) -> None:
    """Text across merged cells of one row, written as a string (merge_range's own write is generic).
    The other cells of the merge get the format only where it draws on them: a title's would be
    cells written for nothing, a dozen on each of a province's thousands of village sheets."""
    if last_col > first_col:
        ws.merge_range(row, first_col, row, last_col, "", fmt if _draws_on_every_cell(fmt) else None)
    ws.write_string(row, first_col, str(text), fmt)
    if height is not None:
        ws.set_row(row, height)


def write_title(ws, row: int, first_col: int, last_col: int, text: str, fmt, *, width: float, font_size: float,
                least: float, place: str = "") -> None:
    """A title across merged cells `width` characters wide, in a format that wraps: its row as tall as
    its lines, at least `least` points (a fixed height printed a long village's title cut at both ends,
    or its second line cut off). A title longer than a line that begins with the `place` it names
    (合隆镇前岗村…) breaks after it, not inside a word of what follows (贫困边/缘户)."""
    text = str(text)
    if place and text.startswith(place) and len(text) > len(place) and lines_of(text, width, font_size) > 1:
        text = f"{place}\n{text[len(place):]}"
    write_block(ws, row, first_col, last_col, text, fmt, max(float(least), text_height(text, width, font_size)))


def setup_print(ws, lang: Lang, *, header_row: int, landscape: bool = True, freeze: bool = True,
                pages_wide: int = 1, key_columns: int = 0, running_title: str | None = None) -> None:
    """A4, fitted to the page width, the header row repeated on every page, page numbers below;
    the rows down to the header frozen on screen unless `freeze` is false. A table too wide to read
    on one page prints `pages_wide` pages across, its first `key_columns` (whose row it is) repeated
    on each, a band of rows left to right before the next. `running_title` (a signed document's
    title, naming its village) heads every page, so that a page signed on its own says whose it is."""
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(pages_wide, 0)
    if pages_wide > 1 and key_columns:
        ws.repeat_columns(0, key_columns - 1)
        ws.print_across()
    ws.repeat_rows(header_row)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    page_footer(ws, lang, running_title)
    if freeze:
        ws.freeze_panes(header_row + 1, 0)


HEADER_LIMIT = 255  # characters (UTF-16 units) of a page header, its codes (&C, &&) counted: Excel's limit


def running_header(title: str) -> str:
    """The page header centring `title`: each & doubled (a lone & begins a code such as &P), then cut
    to HEADER_LIMIT, never between the two of an &&. Escaped first: a title cut to the limit and then
    escaped passed it, and a header past it is dropped whole (xlsxwriter warns and writes none)."""
    code = "&C"
    room = 2 * (HEADER_LIMIT - len(code))
    escaped = title.replace("&", "&&")
    body = escaped.encode("utf-16-le")[:room].decode("utf-16-le", errors="ignore")  # no half surrogate pair
    if (len(body) - len(body.rstrip("&"))) % 2:  # the cut fell inside an &&
        body = body[:-1]
    return code + body


def page_footer(ws, lang: Lang, running_title: str | None = None) -> None:
    """Page numbers below; `running_title` above, on every page (see setup_print), as running_header
    escapes and cuts it."""
    ws.set_footer("&C" + messages().labels["page_footer"](lang))
    if running_title:
        ws.set_header(running_header(running_title))


TITLE_SIZE = 16  # points of a sheet's title ("title" below)

# The one set of cell formats, by key: each is added to a workbook the first time it is asked for, so
# a workbook holds only the formats it uses (a province writes thousands of small workbooks).
FORMAT_SPECS: dict[str, dict] = {
    # titles and lines of text
    "title": dict(bold=True, font_size=TITLE_SIZE, align="center", valign="vcenter", text_wrap=True),
    "report_title": dict(bold=True, font_size=16),
    "h1": dict(bold=True, font_size=14),
    "h2": dict(bold=True, font_size=12),
    "subtitle": dict(font_size=10, align="center", valign="vcenter", text_wrap=True),
    "note": dict(font_size=10, font_color="#555555"),
    "note_wrap": dict(font_size=10, font_color="#555555", text_wrap=True, valign="top"),
    "text": dict(valign="top", text_wrap=True),
    "label": dict(bold=True, valign="top"),
    "left": dict(valign="vcenter"),
    "sign": dict(valign="bottom"),
    # table cells
    "header": dict(bold=True, border=1, align="center", valign="vcenter", text_wrap=True, bg_color="#EEEEEE"),
    # Padding, so that nothing touches a border: text is indented one step from the left, and a
    # number format's "_ " leaves a space's width on the right (LibreOffice ignores a right indent).
    # A top-aligned cell says left: an indent without a horizontal alignment is ignored.
    "cell": dict(border=1, valign="vcenter", text_wrap=True, indent=1),
    "top": dict(border=1, align="left", valign="top", indent=1),
    # A row number or a cell reference: shrunk to fit rather than ### or cut where the print font's
    # digits are wider than the column allows (5266, D5266, a 100,000-row sheet's, in a font other
    # than the one it was sized for: LibreOffice without 宋体 prints DejaVu Sans).
    "reference": dict(border=1, align="left", valign="top", indent=1, shrink=True),
    "wrap": dict(border=1, align="left", valign="top", text_wrap=True, indent=1),
    "center": dict(border=1, align="center", valign="vcenter"),
    "center_wrap": dict(border=1, align="center", valign="vcenter", text_wrap=True),  # a date on two lines
    "text_input": dict(border=1, valign="vcenter", num_format="@", indent=1),
    "int": dict(border=1, num_format="0_ ", align="right", valign="vcenter"),
    "money": dict(border=1, num_format="0.00_ ", align="right", valign="vcenter"),
    "percent": dict(border=1, num_format="0.0%_ ", align="right", valign="vcenter"),
    "bold": dict(bold=True, border=1, valign="vcenter", text_wrap=True, indent=1),
    "bold_int": dict(bold=True, border=1, num_format="0_ ", align="right", valign="vcenter"),
    "bold_percent": dict(bold=True, border=1, num_format="0.0%_ ", align="right", valign="vcenter"),
    "total": dict(bold=True, border=1, bg_color="#F5F5F5", indent=1),
    "error": dict(border=1, align="left", valign="top", font_color="#B00020", bold=True, indent=1),
    "warning": dict(border=1, align="left", valign="top", font_color="#8A5A00", indent=1),
}


class CellFormats(dict):
    """A workbook's formats by key (FORMAT_SPECS), each added on first use."""

    def __init__(self, book: xlsxwriter.Workbook, font: dict):
        super().__init__()
        self.book, self.font = book, font

    def __missing__(self, key: str):
        fmt = self[key] = self.book.add_format({**self.font, **FORMAT_SPECS[key]})
        return fmt


def cell_formats(book: xlsxwriter.Workbook, lang: Lang, *, size: float = 11) -> CellFormats:
    """The one set of cell formats every workbook uses, in the language's usual print font; `size`
    is the body text's size (a wide form prints at 10)."""
    return CellFormats(book, {"font_name": messages().labels["font_name"](lang), "font_size": size})


def row_height(ws, row: int) -> float:
    """The printed height in points of `row`: what was set for it (xlsxwriter keeps it in
    `row_sizes`, in whole pixels as Excel stores it), or the sheet's default."""
    return ws.row_sizes.get(row, [ws.default_row_height])[0] * 0.75


# ---------------------------------------------------------------------------------------------
# A signed table's pages: the signatures never on a page of their own

KEEP_WITH_SIGNATURES = 2  # rows printed with the signatures at least, as a word processor keeps lines together
HEIGHT_SLACK = 6  # points of each page left unused, against renderers' rounding of row heights
SIGNATURE_GAP, SIGNATURE_HEIGHT = 12, 40  # the blank row above the signature lines, and theirs


def signature_lines(ws, row: int, widths: Sequence[float], texts: Sequence[str], fmt) -> int:
    """The signature lines of a signed table a blank row below `row` (its end): `texts` side by side,
    each over an equal share of the table's width (of its `widths`, not of its columns: the first
    may be narrow), cut at column edges, with room to sign. Returns the row after them."""
    edges = np.cumsum(widths)
    n = len(texts)
    cuts = [0, *(int(np.searchsorted(edges, edges[-1] * k / n)) + 1 for k in range(1, n)), len(widths)]
    ws.set_row(row, SIGNATURE_GAP)
    for text, first, stop in zip(texts, cuts, cuts[1:]):
        write_block(ws, row + 1, first, max(first, stop - 1), text, fmt)
    ws.set_row(row + 1, SIGNATURE_HEIGHT)
    return row + 2


# Excel keeps at most 1,023 manual page breaks on a sheet (xlsxwriter writes the first 1,023 only).
MAX_PAGE_BREAKS = 1023


def set_page_breaks(ws: Worksheet, rows: Sequence[int]) -> None:
    """A sheet's manual page breaks (the rows pages begin at). Of a list longer than Excel keeps, the last
    MAX_PAGE_BREAKS: those place the signatures and seal with the last rows, where the pages before them,
    each full, break where Excel's own breaks would (the first ones kept, a county's seal fell on a page
    of its own)."""
    ws.set_h_pagebreaks(sorted(set(rows) - {0})[-MAX_PAGE_BREAKS:])


def page_breaks(top: float, header: float, rows: np.ndarray, tail: float, body: float,
                keep: int = KEEP_WITH_SIGNATURES) -> list[int]:
    """Where pages begin (indexes into `rows`, the rows' heights) when a table is printed on pages
    `body` points tall: the first page holds `top` (the lines above the table and its header) before
    its rows, every later page the repeated `header`, each page one row at least. The `tail` (the
    signature lines) goes on the page of the last rows, and `keep` rows at least go with it: when
    it would not fit there, or fewer rows are left for that page, the last `keep` rows move to a
    page of their own with it. Computed a page at a time, on the rows' running total."""
    heights = np.asarray(rows, dtype=float)
    n = len(heights)
    ends = np.cumsum(heights)
    breaks: list[int] = []
    start, room = 0, body - top
    while start < n:
        before = ends[start - 1] if start else 0.0
        stop = max(int(np.searchsorted(ends, before + room, side="right")), start + 1)
        if stop >= n:
            break
        breaks.append(stop)
        start, room = stop, body - header
    last = breaks[-1] if breaks else 0
    used = (header if breaks else top) + (ends[-1] - (ends[last - 1] if last else 0.0) if n else 0.0)
    if used + tail > body or (breaks and n - last < keep):
        moved = n - min(keep, n)
        breaks = [b for b in breaks if b < moved]
        if moved > (breaks[-1] if breaks else 0):
            breaks.append(moved)
    return breaks


def print_signed(ws, widths: Sequence[float], header_row: int, end: int, stop: int, heights=None, *,
                 row: float, landscape: bool = True, joined=None) -> None:
    """A signed table's print (a village's list, a register document): the scale at which its columns
    (`widths`) fit the page's width, and its page breaks, so that what follows the table (rows `end`
    to `stop`: the signature lines, a seal line) stays on the page of its last rows. `heights`: the
    rows' heights (header_row + 1 to end), where they are not all `row`. `joined`: per row, whether it
    prints on the page of the row before (a township's subtotal with its last village): each row with
    those joined to it is one of page_breaks' rows. Call it after setup_print: a fixed scale turns
    fitting to the page off, as Excel keeps manual breaks only then."""
    scale = print_scale(widths, landscape=landscape)
    body = page_body(landscape=landscape)[1] * 100 / scale - HEIGHT_SLACK
    first = header_row + 1
    heights = np.full(end - first, row, dtype=float) if heights is None or end - first != len(heights) \
        else np.asarray(heights, dtype=float)
    if joined is not None:  # the first row begins the first page, joined or not
        joined = np.asarray(joined, dtype=bool).copy()
        joined[:1] = False
    starts = np.arange(len(heights)) if joined is None else np.flatnonzero(~joined)
    units = heights if joined is None else np.add.reduceat(heights, starts)
    top = sum(row_height(ws, r) for r in range(first))
    tail = sum(row_height(ws, r) for r in range(end, stop))
    breaks = page_breaks(top, row_height(ws, header_row), units, tail, body)
    ws.set_print_scale(scale)
    set_page_breaks(ws, [first + int(starts[b]) for b in breaks])
