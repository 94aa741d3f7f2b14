"""Workbooks parsed into cells by python-calamine, after a scan of each sheet's XML for what calamine
does not say or must not be handed blind.

The scan (.xlsx, .xlsm) streams each sheet's XML once and finds:
- formula cells whose value cannot be trusted: no saved value (a workbook written by a program), or
  every formula when the workbook says its saved values are stale (`fullCalcOnLoad`, which xlsxwriter
  and openpyxl always write). calamine would read such a cell as empty or as the 0 written in its
  place, a silent 0 in a money cell;
- hidden rows (`<row hidden="1">`), and whether an autofilter with a criterion hid them: both are
  read as households, and counted;
- where the workbook's styles strike a font through or a sheet has comments (marks.py): its filled
  cells in a struck font, and its comments (批注). A workbook with neither looks at no cell for them;
- how far the sheet's cells reach. calamine builds a dense grid from A1 to the farthest cell with a
  value: one stray space at W1048576 is 24 million cells (1.3 GB), one at XFD1048576 aborts the
  process. A sheet whose reach is far beyond what its XML can hold is not handed to calamine as it
  is: its blank cells are dropped from a copy of the workbook in memory (read sparse), and a far
  cell that is not blank is refused with its address. Rows at the sheet's end that hold only a value
  repeated from the row above (a column filled down to row 1,048,576, a merge's covered cells keeping
  its text) are left out of that copy too (SheetScan.filler_row).

So a sheet is parsed only once its reach is known. A workbook's one sheet is streamed twice, for its
reach first and for the rest (formulas, hidden rows, the filter) while calamine parses it; of a
workbook of several, each sheet is scanned whole while calamine parses the one before (calamine
parses outside the GIL, two sheets at a time, each thread with its own handle on the file). Hidden
sheets are not parsed unless asked for. Nothing here imports pandas.

A run's first workbook of one sheet is scanned by the helper process (scan_for_reader, RemoteScan):
the scan holds a GIL, and in this process it would share it with the imports of pandas. A large one
sheet is parsed as two workbooks at once (split_sheet, SheetHalves), made in memory while its reach
is scanned: calamine parses one sheet on one core, and two halves on two. Where the helper scans the
sheet, it makes the second half itself, parses it and converts its cells to text (TextRows), while
this process does the same with the first: the cells to text hold a GIL, and each process has one.
That sheet is streamed once, by the helper: the first half goes to calamine here once the first
half's reach is known, the second there once the whole sheet's is."""

from __future__ import annotations

import contextlib
import html
import io
import itertools
import os
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

import python_calamine as calamine

from .biff import MANY_HIDDEN_COLUMNS, xls_hidden_rows, xls_password, xls_reach
from .errors import InputError
from .inputs import (HTML_TABLE, SCANNED_SUFFIXES, TEXT_TABLE, Background, column_letter, content_suffix, guard_zip,
                     ole_encrypted, sniff_file)
from .marks import (SheetMarks, book_marks, comment_text, part_target, sheet_comments, sheet_marks, struck_cells_in,
                    struck_inline_in, struck_strings, text_struck)

# ---------------------------------------------------------------------------------------------
# The scan of a sheet's XML (.xlsx, .xlsm)

_REL_NAMESPACES = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                   "http://purl.oclc.org/ooxml/officeDocument/relationships")
# A cheap first look at each block (two substring searches over ~100 MB for a province's sheet,
# half the cost of the six exact forms): any element whose name starts with f, prefixed or not;
# <family> or <font> in rich text pass it too, and _FORMULA_START decides.
_FORMULA_MARKS = (b"<f", b":f")
_FORMULA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_FORMULA_TEXT = re.compile(rb"<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>([^<]*)<)")
# Row numbers, as every writer puts them (r first); a row element's attributes when one is hidden.
# A row element with content (not <row …/>): an empty one, styled (a template formatted to row
# 1,048,576), gives calamine no row and is no reach.
_ROW_NUMBER = re.compile(rb'row r="([0-9]+)"(?:[^>/]|/(?!>))*>')
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
_R_ATTR = re.compile(rb'\br="([0-9]+)"')
# A cell reference past column AZ or below row 999,999: the only ones that can make the grid huge
# (52 columns × a million rows is what a province's sheet may hold).
_FAR_REF = re.compile(rb' r="((?:[A-Z]{3}|[B-Z][A-Z])[0-9]+|[A-Z]{1,3}[0-9]{7})"')
# The cheap first look for them: a reference of two letters or more, or of a seven-digit row.
_FAR_LOOK = re.compile(rb' r="[A-Z](?:[A-Z]|[0-9]{7})')
_WIDE_LOOK = re.compile(rb' r="[A-Z]{2}')  # a reference past column Z
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\b[^>]*?\bref="([^"]*)"[^>]*/>')
_AUTOFILTER = re.compile(rb'<(?:[\w.-]+:)?autoFilter\b[^>]*?\bref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"')
_FILTER_COLUMN = re.compile(rb"<(?:[\w.-]+:)?filterColumn\b")
_CALC_PR = re.compile(rb"<(?:[\w.-]+:)?calcPr\b[^>]*?\bfullCalcOnLoad=\"(?:1|true)\"")

# A grid calamine may build without a second look: cells, and columns assumed when none past AZ is
# seen. A grid larger than this and larger than SPARSE_FACTOR times the cells the XML could hold (a
# cell with a value takes 16 bytes of XML at the least) is read sparse.
GRID_CELLS_OK = 2_000_000
ASSUMED_COLUMNS = 52
MIN_CELL_BYTES = 16
SPARSE_FACTOR = 8


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _ref_text(row: int, col: int) -> str:
    return f"{column_letter(col)}{row}"


@dataclass
class SheetScan:
    """What a sheet's XML says beyond calamine's values. Rows are Excel's (from 1), columns 0-based."""

    part: str
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # cells whose value is not read
    # Formula cells with a saved value of 0 that sum cells of their own row (=SUM(K5:M5), =K5+L5+M5):
    # the columns summed. A total so made over blank cells was not typed alone (read.summed_blank_cells);
    # over amounts, its 0 is a result the program that wrote the file never calculated (SAVED_ZERO).
    row_sums: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    # Cells holding an Excel error value (#N/A of a failed lookup, #VALUE!): calamine reads them as
    # blank, which a yes/no or money cell would take for 否 or 0.
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    # An .ods's cells of a truth value (TRUE, FALSE), which calamine reads as 1 and 0: a money cell
    # would take TRUE for 1 yuan. Read as the words, as an .xlsx's are.
    truths: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_columns: list[int] = field(default_factory=list)  # columns the sheet hides (0-based)
    hidden_rows: list[int] = field(default_factory=list)
    # The rows an autofilter with a criterion spans (first, last): its hidden rows are filtered out.
    filter_rows: tuple[int, int] | None = None
    # Rows the format itself marks as hidden by a filter (an .ods's table:visibility="filter").
    filtered_rows: list[int] = field(default_factory=list)
    last_row: int = 0  # the farthest row and column any cell or row element names
    last_col: int = -1
    dimension: str = ""  # the used range the sheet claims, as written
    xml_bytes: int = 0
    complete: bool = False  # formulas, hidden rows and the filter scanned too (scan_details)
    # Written in a form the regexes do not follow (cells or rows without r="…", attributes in single
    # quotes): scanned by an XML parser instead (_scan_odd), and never read sparse.
    odd: bool = False
    # Of an odd sheet: its cells with content, (row, column, text), that reach farthest down or right.
    far_content: list = field(default_factory=list)
    # Of an .ods (ods_layout): the last row and column calamine reads a value in; and the last row
    # with a cell that shows something and no merge covers, with how many row elements its table
    # holds up to it. A merge's covered cells keep what was typed under it (LibreOffice's "keep the
    # contents of the hidden cells"), and calamine builds rows down to them: a million for a village
    # merged to the sheet's end.
    held_row: int = 0
    held_col: int = -1
    data_row: int = 0
    data_row_elements: int = 0
    # Of an .xlsx: the first row of the rows at the sheet's end that each hold one cell and nothing
    # else, the value of the same column in the row above (0: none). A clerk fills the village or
    # 备注 down to row 1,048,576 (Ctrl+D over the whole column), or LibreOffice keeps a merge's text in
    # the cells it covers: no household is there, and calamine would build a million rows for them.
    filler_row: int = 0
    filler_column: str = ""  # its column's letters (where filler_row)
    # Of an .xlsx whose styles strike a font through, or with comments (marks.py): its filled cells in
    # a struck font (column letters → Excel rows), and its comments (Excel row, column letters, text).
    struck_cells: dict[str, array] = field(default_factory=dict)
    comments: list[tuple[int, str, str]] = field(default_factory=list)

    @property
    def grid_cells(self) -> int:
        """The cells of the grid calamine would build: up to the farthest row, and at least
        ASSUMED_COLUMNS wide (the columns of a sheet without a far reference are not looked at)."""
        return self.last_row * max(self.last_col + 1, ASSUMED_COLUMNS)

    @property
    def hidden_reach(self) -> bool:
        """Of an .ods: whether the rows past its data, holding only what merges cover, would add a
        grid larger than GRID_CELLS_OK (they are dropped from calamine's copy: ods_trimmed_copy)."""
        return (self.held_row - self.data_row) * max(self.held_col + 1, ASSUMED_COLUMNS) > GRID_CELLS_OK

    @property
    def sparse(self) -> bool:
        """Whether the grid is far larger than the cells the XML can hold: stray cells far away."""
        return self.grid_cells > GRID_CELLS_OK and \
            self.grid_cells > SPARSE_FACTOR * (self.xml_bytes // MIN_CELL_BYTES)

    @property
    def filler_reach(self) -> bool:
        """Whether the rows filled down at the sheet's end (filler_row) would add a grid larger than
        GRID_CELLS_OK (they are left out of calamine's copy: sparse_copy)."""
        return self.filler_row > 0 and \
            (self.last_row - self.filler_row + 1) * max(self.last_col + 1, ASSUMED_COLUMNS) > GRID_CELLS_OK

    @property
    def copied(self) -> bool:
        """Whether calamine is handed a slimmed copy of the workbook (sparse_copy), not the file."""
        return self.sparse or self.filler_reach


@dataclass
class BookParts:
    """The parts of an .xlsx the scan reads: each sheet's XML by name, shared strings, and whether
    the saved values of formulas are stale (calcPr fullCalcOnLoad)."""

    sheets: dict[str, str]
    shared_strings: str | None
    stale: bool
    struck_styles: frozenset[int] = frozenset()  # the cell formats whose font is struck through
    comments: dict[str, str] = field(default_factory=dict)  # sheet part → its comments part
    # The workbook's file, where its shared strings are read for struck_strings (None: not looked for).
    path: str | None = None
    _struck_strings: frozenset[int] | None = field(default=None, repr=False)

    @property
    def struck_strings(self) -> frozenset[int]:
        """The shared strings whose text is struck through whole (marks.struck_strings). Read when a
        sheet's scan first asks, not as the workbook is opened: the part may be megabytes, and the
        reader's process seldom asks (its helper scans the sheet)."""
        if self._struck_strings is None:
            try:
                with zipfile.ZipFile(self.path) as zf:
                    self._struck_strings = struck_strings(zf.read(self.shared_strings))
            except Exception:  # no strings, or a part we cannot read: calamine's read says its own fault
                self._struck_strings = frozenset()
        return self._struck_strings

    def marks_of(self, part: str) -> SheetMarks | None:
        """What the scan of a sheet looks for beyond its values (marks.py); None for the usual sheet."""
        return sheet_marks(self.struck_styles, self.comments.get(part), self.struck_strings)


def _book_parts(zf: zipfile.ZipFile, *, with_marks: bool = True) -> BookParts:
    """Sheet name → the zip member holding its XML, through the workbook's relationships; with
    `with_marks`, what the sheets' scans look for beyond their values (marks.book_marks)."""
    names = set(zf.namelist())
    book = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in ET.fromstring(zf.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    rels_path = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    rels = ET.fromstring(zf.read(rels_path))

    resolve = partial(part_target, book)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    shared = next((resolve(rel.get("Target", "")) for rel in rels
                   if rel.get("Type", "").endswith("/sharedStrings")), None)
    book_xml = zf.read(book)
    parts = {}
    for el in ET.fromstring(book_xml).iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            # r:id, in the transitional namespace or Strict Open XML's (purl.oclc.org)
            rid = next((v for k, v in el.attrib.items() if k.endswith("}id") and k[1:-3] in _REL_NAMESPACES), None)
            part = resolve(targets.get(rid, ""))
            if part in names:
                parts[el.get("name")] = part
    styles = next((resolve(rel.get("Target", "")) for rel in rels if rel.get("Type", "").endswith("/styles")), None)
    shared = shared if shared in names else None
    try:
        struck, comments = book_marks(zf, names, parts.values(), styles) if with_marks else (frozenset(), {})
    except Exception:  # a styles or comments part we cannot follow: the sheets are read, no mark said
        struck, comments = frozenset(), {}
    return BookParts(parts, shared, bool(_CALC_PR.search(book_xml)), struck, comments, zf.filename,
                     None if with_marks and shared is not None else frozenset())


# SAVED_ZERO + a money field: True on the households whose cell of it is a plain sum of cells of its
# own row (SheetScan.row_sums) saved as 0 while a cell it adds holds an amount (=SUM(J5:M5) over 3740
# and 4322): some export libraries write formulas so, with no mark asking for recalculation, and
# Excel recalculates them on opening, so the clerk sees the sum where the file holds 0. Marked by the
# reader (read.summed_blank_cells); a total at odds with its components says so (checks.check_totals).
SAVED_ZERO = "saved_zero:"

# A formula that only adds cells: =SUM(of cells and ranges) or cells joined by +, $ allowed.
_CELL_TEXT = r"\$?([A-Z]{1,3})\$?([0-9]{1,7})"
_SUM_PART = re.compile(rf"{_CELL_TEXT}(?::{_CELL_TEXT})?")
_PLAIN_SUM = re.compile(rf"=?\s*(?:SUM\(\s*{_CELL_TEXT}(?::{_CELL_TEXT})?(?:\s*,\s*{_CELL_TEXT}(?::{_CELL_TEXT})?)*\s*\)"
                        rf"|{_CELL_TEXT}(?:\s*\+\s*{_CELL_TEXT})+)\s*", re.IGNORECASE)


def _cell_start(xml: bytes, at: int) -> int:
    """Where the cell element holding position `at` opens (<c or <x:c), -1 if none does. Looked for
    just before `at` first: searched back to the block's start, a file whose writer never prefixes
    (no ":c ") cost a pass over the block per formula cell, 30 s for a 4 MB block of 40,000."""
    low = max(0, at - 4096)
    start = max(xml.rfind(b"<c ", low, at), xml.rfind(b":c ", low, at))
    return start if start >= 0 or low == 0 else max(xml.rfind(b"<c ", 0, at), xml.rfind(b":c ", 0, at))


def same_row_sum(formula: str, row: int) -> tuple[int, ...] | None:
    """The columns (0-based) a formula in Excel row `row` adds up, where it is a plain sum of cells of
    that row (=SUM(K5:M5), =K5+L5+M5, =SUM(K5,M5)); None for any other formula."""
    if len(formula) > 400 or not _PLAIN_SUM.fullmatch(formula):
        return None
    columns: set[int] = set()
    for m in _SUM_PART.finditer(formula.upper().removeprefix("=").removeprefix("SUM(")):
        first, last = m.group(1), m.group(3) or m.group(1)
        if int(m.group(2)) != row or int(m.group(4) or m.group(2)) != row:
            return None
        low, high = sorted((_column_index(first), _column_index(last)))
        if high - low > 64:
            return None
        columns.update(range(low, high + 1))
    return tuple(sorted(columns))


def _formulas_in(xml: bytes, found: dict[tuple[int, int], str], stale: bool,
                 row_sums: dict[tuple[int, int], tuple[int, ...]] | None = None) -> None:
    for m in _FORMULA_START.finditer(xml):
        start = _cell_start(xml, m.start())
        end = xml.find(b"c>", m.end())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        ref = _CELL_REF.search(cell)
        if ref is None:
            continue
        if not stale:
            value = _VALUE.search(cell, m.start() - start)
            typ = _CELL_TYPE.search(cell[: cell.find(b">")])
            if value is not None and (value.group(1) or (typ is not None and typ.group(1) == b"str")):
                # Only a 0 can be a sum of blank cells (the value is trusted here): the others cost nothing.
                if row_sums is not None and value.group(1) == b"0" and (formula := _FORMULA_TEXT.search(cell)) \
                        and formula.group(1):
                    row = int(ref.group(2))
                    columns = same_row_sum(html.unescape(formula.group(1).decode("utf-8", "replace")), row)
                    if columns is not None:
                        row_sums[(row, _column_index(ref.group(1).decode()))] = columns
                continue  # a saved value (or a formula that computed '')
        formula = _FORMULA_TEXT.search(cell)
        text = html.unescape(formula.group(1).decode("utf-8", "replace")) if formula and formula.group(1) else ""
        found[(int(ref.group(2)), _column_index(ref.group(1).decode()))] = "=" + (text or "(shared formula)")


_ERROR_TYPE = re.compile(rb'\bt="e"')


def _error_text(text: str) -> str:
    """An error value as a cell shows it (#VALUE!), #N/A where the file gives none that reads so."""
    return text if text.startswith("#") else "#N/A"


def _errors_in(xml: bytes, found: dict[tuple[int, int], str]) -> None:
    """Cells of type "e" (an error value) and the error each holds (#N/A when it says none)."""
    for m in _ERROR_TYPE.finditer(xml):
        start = _cell_start(xml, m.start())
        if start < 0:
            continue
        tag_end = xml.find(b">", start)
        if tag_end < 0 or tag_end < m.start():  # t="e" of something inside a cell, not the cell's own
            continue
        ref = _CELL_REF.search(xml, start, tag_end)
        if ref is None:
            continue
        end = tag_end + 1 if xml[tag_end - 1:tag_end] == b"/" else xml.find(b"c>", tag_end)
        value = _VALUE.search(xml[tag_end:end]) if end > 0 else None
        text = html.unescape(value.group(1).decode("utf-8", "replace")).strip() if value and value.group(1) else ""
        found[(int(ref.group(2)), _column_index(ref.group(1).decode()))] = _error_text(text)


def _reach_in(block: bytes, scan: SheetScan) -> None:
    """Row numbers and far cell references of one block of whole rows."""
    numbers = _ROW_NUMBER.findall(block)
    if numbers:
        scan.last_row = max(scan.last_row, max(map(int, numbers)))
    tail = block.rfind(b' r="')  # the last reference of the block: rows without r="" still end somewhere
    if tail >= 0 and (m := _CELL_REF.match(block, tail + 1)):
        scan.last_row = max(scan.last_row, int(m.group(2)))
    for far in _FAR_REF.findall(block) if _FAR_LOOK.search(block) else ():
        m = _CELL_REF.match(b'r="' + far + b'"')
        scan.last_row = max(scan.last_row, int(m.group(2)))
        scan.last_col = max(scan.last_col, _column_index(m.group(1).decode()))


def _details_in(block: bytes, scan: SheetScan, stale: bool, marks: SheetMarks | None = None) -> None:
    """Formula cells whose value is not read, cells of an error value, hidden rows, and the filled
    cells struck through (of a struck format or shared string as `marks` says, or of inline text
    struck: marks.py), of one block of whole rows."""
    # "f" alone is found by memchr: a sheet's XML seldom holds one outside a formula's element, and
    # "<f" is looked for at every "<" of it.
    if b"f" in block and any(mark in block for mark in _FORMULA_MARKS):
        _formulas_in(block, scan.formulas, stale, scan.row_sums)
    if b't="e"' in block:
        _errors_in(block, scan.errors)
    if b'hidden="' in block:
        for tag in _ROW_TAG.finditer(block):
            attrs = tag.group(1)
            if _HIDDEN.search(attrs) and (r := _R_ATTR.search(attrs)):
                scan.hidden_rows.append(int(r.group(1)))
    if marks is not None:
        for struck in (marks.struck, marks.struck_text):
            if struck is not None:
                struck_cells_in(block, struck, scan.struck_cells)
    # Inline text struck (<is><r><rPr><strike/>): "k" alone is found by memchr, and a sheet's rows seldom
    # hold one (the benchmark's none); "strike" is looked for only where they do.
    if b"k" in block and b"strike" in block:
        struck_inline_in(block, scan.struck_cells)


BLOCK_BYTES = 1 << 22  # of a sheet's XML, inflated and looked at at a time


def _row_blocks(zf: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """A sheet's XML in blocks of whole rows, streamed; the last block is what follows the last row
    (merges, an autofilter), with that row if it is unterminated."""
    carry = b""
    with zf.open(part) as fh:
        while chunk := fh.read(BLOCK_BYTES):
            buf = carry + chunk
            cut = buf.rfind(b"row>") + 4  # after the last complete row (</row> or </x:row>)
            if cut < 4:
                carry = buf
                continue
            yield buf[:cut]
            carry = buf[cut:]
    yield carry


def scan_reach(zf: zipfile.ZipFile, part: str) -> SheetScan:
    """How far a sheet's cells reach and the used range it claims: what must be known before
    calamine builds its grid. The sheet's XML streamed once."""
    scan = SheetScan(part, xml_bytes=zf.getinfo(part).file_size)
    if _odd_form(zf, part):
        _scan_odd(zf, scan, stale=False)
        return scan
    for _ in _reach_of(_row_blocks(zf, part), scan):
        pass
    return scan


def _reach_of(blocks: Iterator[bytes], scan: SheetScan) -> Iterator[bytes]:
    """The blocks, passed on as their reach is taken into `scan` (scan_reach)."""
    filled = _FilledDown(scan)
    for i, block in enumerate(blocks):
        if i == 0 and (m := _DIMENSION.search(block, 0, 4096)):
            scan.dimension = m.group(1).decode("ascii", "replace")
        if i == 0:
            _hidden_columns_in(block, scan)
        _reach_in(block, scan)
        filled.take(block)
        yield block


# A row element holding one cell and nothing else: (prefix, row, the cell's column, its attributes,
# its content). The content may not open or close another cell: a row of several never matches.
_LONE_ROW = re.compile(rb'<((?:[\w.-]+:)?)row r="([0-9]+)"[^>]*(?<!/)>\s*'
                       rb'<\1c r="([A-Z]{1,3})[0-9]+"([^>]*?)(?:/>|>([^<]*(?:<(?!/?(?:[\w.-]+:)?c[\s>/])[^<]*)*)</\1c>)'
                       rb'\s*</\1row>')


def _cell_value(attrs: bytes, inner: bytes | None) -> tuple[bytes, bytes] | None:
    """(type, value as written) of a cell: the shared string's index, the number, the inline text, or
    what a formula gave. None for a blank one (`inner` None: <c …/>)."""
    inner = inner or b""
    typ = _CELL_TYPE.search(attrs)
    if typ is not None and typ.group(1) == b"inlineStr":
        text = b"".join(_INLINE_TEXT.findall(inner))
    else:
        text = value.group(1) if (value := _VALUE.search(inner)) and value.group(1) else b""
    return (typ.group(1) if typ else b"n", text) if text.strip() else None


def _lone_value(column: bytes, attrs: bytes, inner: bytes | None) -> tuple[bytes, bytes, bytes] | None:
    """(column, type, value) of the cell of a row _LONE_ROW matched, None if it is blank."""
    value = _cell_value(attrs, inner)
    return (column, *value) if value is not None else None


def _holds(row: bytes, value: tuple[bytes, bytes, bytes]) -> bool:
    """Whether a row element holds `value` (column, type, value) in that column."""
    cell = re.search(rb'<((?:[\w.-]+:)?)c r="' + value[0] + rb'[0-9]+"([^>]*?)(?:/>|>(.*?)</\1c>)', row, re.S)
    return cell is not None and _cell_value(cell.group(2), cell.group(3)) == value[1:]


class _FilledDown:
    """Follows, block by block, the rows at the sheet's end that each hold one cell, the value of the
    same column in the row above (SheetScan.filler_row). A block is looked at further only when its
    last row is such a row; a block all of such rows, their cells written alike but for their
    references, is told by counts, and the rows where the run begins are walked back one by one."""

    def __init__(self, scan: SheetScan):
        self.scan = scan
        self.value: tuple[bytes, bytes, bytes] | None = None  # of the run at the end of the blocks so far
        self.above = b""  # the last row element of the blocks so far

    def take(self, block: bytes) -> None:
        end = block.rfind(b"row>") + 4
        if end < 4:  # no row ends in it (what follows the rows)
            return
        last = _lone_row_ending(block, end)
        value = _lone_value(*last.groups()[2:]) if last is not None else None
        above, self.above = self.above, block[last.start() if last is not None else _row_start(block, end):end]
        if value is None:
            self.value, self.scan.filler_row = None, 0
            return
        rows = block.count(b"row>")
        tail = block[last.end(3):end].lstrip(b"0123456789")  # the cell after its reference, and the row's end
        cell = b"<" + last.group(1) + b"c "
        # As many rows as cells, each row ending in this cell's tail, each cell in this column: every
        # row of the block is the run's.
        first = _LONE_ROW.search(block) if block.count(tail) == rows and block.count(cell) == rows and \
            len(re.findall(re.escape(cell) + b'r="' + last.group(3) + b"[0-9]", block)) == rows else None
        if first is not None:
            second = _LONE_ROW.search(block, first.end()) if rows > 1 else None
        else:
            first, second = last, None
            while (before := block.rfind(b"row>", 0, first.start()) + 4) >= 4:
                row = _lone_row_ending(block, before)
                if not _EMPTY_ROWS.fullmatch(block, before, first.start()) or row is None \
                        or _lone_value(*row.groups()[2:]) != value:
                    # the run begins in this block: the row above is the one before it
                    self.value, self.scan.filler_row = None, 0
                    above = block[_row_start(block, before):before]
                    break
                first, second = row, first
        if self.value == value and self.scan.filler_row:
            return  # the run goes on from the block before
        if self.value == value or _holds(above, value):
            self.scan.filler_row = int(first.group(2))
        else:  # its first row is not the row above's value: the rows after it are
            self.scan.filler_row = int(second.group(2)) if second is not None else 0
        self.scan.filler_column = value[0].decode("ascii")
        self.value = value


# What may stand between two rows of a run: blank, or rows without cells (a row's own format).
_EMPTY_ROWS = re.compile(rb"(?:\s*<(?:[\w.-]+:)?row\b[^>]*/>)*\s*")


def _row_start(block: bytes, end: int) -> int:
    """Where the row element that ends at `end` in a block begins (-1 if it cannot be told)."""
    opening = block.rfind(b"row ", 0, end)
    return block.rfind(b"<", 0, opening) if opening > 0 else -1


def _lone_row_ending(block: bytes, end: int) -> re.Match | None:
    """The row element ending at `end`, where it holds one cell and nothing else."""
    start = _row_start(block, end)
    row = _LONE_ROW.match(block, start) if start >= 0 else None
    return row if row is not None and row.end() == end else None


# A column element (<cols> comes before the rows) and its span; hidden="1" hides it.
_COL = re.compile(rb"<(?:[\w.-]+:)?col\b([^>]*)>")
_MIN, _MAX = re.compile(rb'\bmin="([0-9]+)"'), re.compile(rb'\bmax="([0-9]+)"')


def _hidden_columns_in(block: bytes, scan: SheetScan) -> None:
    """The columns the sheet's <cols> hides, from the head of its XML (before <sheetData>)."""
    head = block[:m.start()] if (m := _SHEET_DATA.search(block)) else block
    if b"hidden=" not in head:
        return
    for tag in _COL.finditer(head):
        attrs = tag.group(1)
        if _HIDDEN.search(attrs) and (low := _MIN.search(attrs)) and (high := _MAX.search(attrs)):
            first, last = int(low.group(1)) - 1, int(high.group(1)) - 1
            if last - first < MANY_HIDDEN_COLUMNS:
                scan.hidden_columns.extend(range(first, last + 1))


def scan_details(zf: zipfile.ZipFile, scan: SheetScan, stale: bool, marks: SheetMarks | None = None) -> None:
    """The rest of a sheet's scan, into `scan`: formula cells whose value is not read, hidden rows
    and a filtering autofilter; with `marks` (BookParts.marks_of), its struck cells and comments. The
    sheet's XML streamed a second time, while calamine parses it."""
    scan.comments = sheet_comments(zf, marks)
    if scan.odd:
        _scan_odd(zf, scan, stale, marks)
        return
    for _ in _details_of(_row_blocks(zf, scan.part), scan, stale, marks):
        pass


def _details_of(blocks: Iterator[bytes], scan: SheetScan, stale: bool,
                marks: SheetMarks | None = None) -> Iterator[bytes]:
    """The blocks, passed on as they are looked at for the rest of the scan (scan_details); the scan
    is complete once the last has been passed on."""
    scan.formulas.clear()
    scan.row_sums.clear()
    scan.errors.clear()
    scan.hidden_rows.clear()
    scan.struck_cells.clear()
    block = b""
    for block in blocks:
        _details_in(block, scan, stale, marks)
        yield block
    auto = _AUTOFILTER.search(block)  # after the last row
    if auto and _FILTER_COLUMN.search(block, auto.end()):
        first_row = int(auto.group(2))
        scan.filter_rows = (first_row, int(auto.group(4) or first_row))
    scan.complete = True


def scan_for_reader(path: Path, send: Callable[[tuple], None], between: Callable[[], None]) -> None:
    """In another process, for the reader of a workbook of one sheet: its reach is sent as soon as it
    is known, ("reach", SheetScan), then ("details", SheetScan) with the rest. A sheet the reader
    parses in halves (split_sheet) is streamed once here instead: the reach of its first half is
    sent as soon as the stream is past it, ("first", SheetScan), for the reader to parse that half;
    the second half is made on the way, the whole scan sent at the end, then the half parsed and
    converted to text while the reader does the first: ("half", TextRows), or ("half", None) when it
    cannot be. `between` is called once, when the work the reader waits for is done. A workbook of
    several sheets, or one that cannot be scanned here, sends ("none",) instead: the reader scans
    it itself."""
    with contextlib.ExitStack() as stack:
        scan = part = None
        try:
            zf = stack.enter_context(zipfile.ZipFile(path))
            parts = _book_parts(zf)
            if len(parts.sheets) == 1:
                part = next(iter(parts.sheets.values()))
                if _splits(zf.getinfo(part).file_size) and not _odd_form(zf, part):
                    _second_half_for_reader(zf, next(iter(parts.sheets)), part, parts.stale, send, parts.marks_of(part))
                    between()
                    return
                scan = scan_reach(zf, part)
        except Exception:  # the reader's own scan meets the same fault, and its own message says it
            scan = None
        send(("none",) if scan is None else ("reach", scan))
        if scan is None:
            between()
            return
        between()
        try:
            scan_details(zf, scan, parts.stale, parts.marks_of(part))
        except Exception:
            send(("none",))
            return
    send(("details", scan))


def _second_half_for_reader(zf: zipfile.ZipFile, name: str, part: str, stale: bool,
                            send: Callable[[tuple], None], marks: SheetMarks | None = None) -> None:
    """The sheet's XML streamed once, its scan taken on the way: the first half's reach sent as
    ("first", scan) once the stream is past it, the second half made, the whole scan sent as
    ("reach", scan) and ("details", scan); then the half parsed and sent as text, ("half", TextRows),
    or ("half", None) where it was not made or its sheet is read sparse."""
    scan = SheetScan(part, xml_bytes=zf.getinfo(part).file_size)
    half = _memory_file()
    try:
        try:
            scan.comments = sheet_comments(zf, marks)
            blocks = _details_of(_reach_of(_row_blocks(zf, part), scan), scan, stale, marks)
            made = _write_halves(zf, part, (None, half), blocks, at_split=lambda: send(("first", scan)))
        except Exception:
            made = False
        try:
            if not scan.complete:  # the stream stopped short: scanned again, whole
                scan = scan_sheet(zf, part, stale, marks)
        except Exception:
            send(("none",))
            return
        send(("reach", scan))
        send(("details", scan))
        rows = None
        if made and not scan.copied:
            try:
                rows = TextRows.of(_calamine_from(half).get_sheet_by_name(name)).packed()
            except Exception:  # the reader parses the sheet whole, or says why it cannot
                rows = None
    finally:
        half.close()  # before the text is sent: the half's XML is not held with it
    send(("half", rows))


class RemoteScan:
    """The scan of the workbook at `path`, of one sheet, made by another process (scan_for_reader),
    taken in as it arrives over `conn` by a thread of its own (so that the sender never waits on
    this process). What does not come as expected (the process gone, a workbook of several sheets)
    is None: the reader then scans the sheet itself."""

    def __init__(self, path: Path, conn):
        self.path = path
        self._scans: dict[str, object] = {}
        self._arrived = {kind: threading.Event() for kind in ("first", "reach", "details", "half")}
        self._lock = threading.Lock()
        self._half_wanted = True
        self._thread = Background(self._take_in, conn)

    def _take_in(self, conn) -> None:
        try:
            while (message := conn.recv())[0] in self._arrived:
                with self._lock:
                    if message[0] != "half" or self._half_wanted:
                        self._scans[message[0]] = message[1]
                self._arrived[message[0]].set()
                if message[0] == "reach":  # no first half's reach to come after the whole's
                    self._arrived["first"].set()
                if message[0] == "half":
                    break
        except (EOFError, OSError):
            pass
        finally:
            conn.close()
            for arrived in self._arrived.values():
                arrived.set()

    def first_reach(self) -> SheetScan | None:
        """The reach of the first half of a sheet the helper streams once (the reader may parse that
        half with it), or None when none comes."""
        self._arrived["first"].wait()
        return self._scans.get("first")

    def reach(self, part: str) -> SheetScan | None:
        self._arrived["reach"].wait()
        scan = self._scans.get("reach")
        return scan if scan is not None and scan.part == part else None

    def details(self) -> SheetScan | None:
        self._arrived["details"].wait()
        return self._scans.get("details")

    def half(self) -> TextRows | None:
        """The sheet's second half as text, taken (it is held once): None if the helper made none."""
        self._arrived["half"].wait()
        return self._scans.pop("half", None)

    def half_not_wanted(self) -> None:
        """The reader parses the sheet another way: the helper's half is let go of, now or when it
        comes, rather than held for the rest of the run."""
        with self._lock:
            self._half_wanted = False
            self._scans.pop("half", None)


# A cell or row element without r="…" first (r= anywhere but in double quotes), or with an attribute
# in single quotes: what the regexes of the scan take for granted. Writers keep one form throughout,
# so the head of the sheet's XML tells.
_ODD_MARK = re.compile(rb"<(?:[\w.-]+:)?(?:c|row)(?=[\s/>])(?:(?![^>]*\sr=\")|[^>]*=')")
_ODD_HEAD = 1 << 16


def _odd_form(zf: zipfile.ZipFile, part: str) -> bool:
    with zf.open(part) as fh:
        head = fh.read(_ODD_HEAD)
    start = m.end() if (m := _SHEET_DATA.search(head)) else 0
    # Up to its last whole tag: a row cut short at the head's end ("<row " and no r="…" yet) is no form.
    return bool(_ODD_MARK.search(head, start, head.rfind(b">") + 1))


def _scan_odd(zf: zipfile.ZipFile, scan: SheetScan, stale: bool, marks: SheetMarks | None = None) -> None:
    """The whole scan of a sheet in an odd form (SheetScan.odd), by an XML parser that numbers rows
    and cells by position where they say no r="…", as calamine does. Slower than the regexes; such
    sheets are rare and small (an exporter's, a converter's)."""
    scan.odd = True
    for found in (scan.formulas, scan.row_sums, scan.errors, scan.hidden_rows, scan.hidden_columns, scan.struck_cells):
        found.clear()
    struck = marks.styles if marks is not None else frozenset()
    struck_strings = marks.strings if marks is not None else frozenset()
    shared: dict[int, str] | None = None
    deepest = widest = None  # (row, column, type, raw text) of cells with content
    row = col = 0
    with zf.open(scan.part) as fh:
        for event, el in ET.iterparse(fh, events=("start", "end")):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "row":
                    r = el.get("r")
                    row = int(r) if r and r.isdigit() else row + 1
                    col = -1
                    scan.last_row = max(scan.last_row, row)
                    if el.get("hidden") in ("1", "true"):
                        scan.hidden_rows.append(row)
                elif tag == "c":
                    ref = _CELL_REF.fullmatch(b'r="' + el.get("r", "").encode() + b'"')
                    if ref is not None:
                        row, col = int(ref.group(2)), _column_index(ref.group(1).decode())
                    else:
                        col += 1
                    scan.last_row, scan.last_col = max(scan.last_row, row), max(scan.last_col, col)
                continue
            if tag == "c":
                children = {child.tag.rsplit("}", 1)[-1]: child for child in el}
                typ, value, formula = el.get("t", "n"), children.get("v"), children.get("f")
                raw = (value.text or "") if value is not None else ""
                if typ == "inlineStr" and "is" in children:
                    raw = "".join(children["is"].itertext())
                if typ == "e":
                    scan.errors[(row, col)] = _error_text(raw.strip())
                elif formula is not None and (stale or not (value is not None and (raw or typ == "str"))):
                    scan.formulas[(row, col)] = "=" + (formula.text or "(shared formula)")
                elif formula is not None and raw == "0" and formula.text and \
                        (columns := same_row_sum(formula.text, row)) is not None:
                    scan.row_sums[(row, col)] = columns  # as _formulas_in: a saved 0 of a sum of its row
                if (struck and el.get("s") in struck and (raw.strip() or formula is not None)) or \
                        (typ == "s" and raw.strip() in struck_strings) or \
                        (typ == "inlineStr" and "is" in children and
                         any(part.tag.rsplit("}", 1)[-1] == "strike" for part in children["is"].iter()) and
                         text_struck(ET.tostring(children["is"]))):
                    letters = _ref_text(row, col).rstrip("0123456789")
                    scan.struck_cells.setdefault(letters, array("i")).append(row)
                if raw.strip() or formula is not None:
                    if deepest is None or row > deepest[0]:
                        deepest = (row, col, typ, raw)
                    if widest is None or col > widest[1]:
                        widest = (row, col, typ, raw)
                el.clear()
            elif tag == "row":
                el.clear()
            elif tag == "dimension":
                scan.dimension = el.get("ref", "")
            elif tag == "col" and el.get("hidden") in ("1", "true") and el.get("min", "").isdigit() \
                    and el.get("max", "").isdigit():
                first, last = int(el.get("min")) - 1, int(el.get("max")) - 1
                if last - first < MANY_HIDDEN_COLUMNS:
                    scan.hidden_columns.extend(range(first, last + 1))
            elif tag == "autoFilter":
                m = re.fullmatch(r"([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?", el.get("ref", ""))
                if m and any(child.tag.endswith("}filterColumn") for child in el):
                    scan.filter_rows = (int(m.group(2)), int(m.group(4) or m.group(2)))
    far = []
    for r, c, typ, raw in {cell for cell in (deepest, widest) if cell is not None}:
        if typ == "s" and raw.strip().isdigit():
            if shared is None:
                shared = _blank_shared_strings(zf, _book_parts(zf, with_marks=False).shared_strings)[1]
            raw = shared.get(int(raw), "")
        far.append((r, c, raw.strip()))
    scan.far_content = far  # whole, at once: calamine's thread may look while the details are scanned
    scan.complete = True


def scan_sheet(zf: zipfile.ZipFile, part: str, stale: bool, marks: SheetMarks | None = None) -> SheetScan:
    """One sheet's XML scanned whole (see the module's docstring)."""
    scan = scan_reach(zf, part)
    scan_details(zf, scan, stale, marks)
    return scan


# ---------------------------------------------------------------------------------------------
# Reading a sheet sparse

_CELL = re.compile(rb"<((?:[\w.-]+:)?)c\b([^>]*?)(?:/>|>(.*?)</\1c>)", re.S)
_INLINE_TEXT = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>([^<]*)<", re.S)
_SHARED_ITEM = re.compile(rb"<(?:[\w.-]+:)?si\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?si>)", re.S)
_MAX_SHOWN = 20  # characters of a far cell's value quoted in the message


def _blank_shared_strings(zf: zipfile.ZipFile, part: str | None) -> tuple[set[int], dict[int, str]]:
    """(the indexes of shared strings that are blank or only spaces, the text of every string),
    for the sparse read of one sheet: the strays are mostly a space."""
    blank, texts = set(), {}
    if part is None:
        return blank, texts
    for i, item in enumerate(_SHARED_ITEM.finditer(zf.read(part))):
        text = html.unescape(b"".join(_INLINE_TEXT.findall(item.group(1) or b"")).decode("utf-8", "replace"))
        if text.strip():
            texts[i] = text
        else:
            blank.add(i)
    return blank, texts


def _dense_part(xml: bytes) -> tuple[int, int]:
    """(where the rows turn sparse in the sheet's XML, the last row number before): the first row
    element past which fewer than half of the rows so far are present (a stray row far below the
    table). (len(xml), 0) when every row is dense, or the rows carry no numbers to tell."""
    import numpy as np  # here, not above: the command line imports this module before numpy loads

    marks = list(_ROW_NUMBER.finditer(xml))
    if not marks:
        return len(xml), 0
    numbers = np.fromiter((int(m.group(1)) for m in marks), dtype=np.int64, count=len(marks))
    dense = 2 * np.arange(1, len(numbers) + 1) >= numbers
    if dense.all():
        return len(xml), int(numbers.max())
    first = int(np.argmin(dense))
    return xml.rfind(b"<", 0, marks[first].start()), int(numbers[:first].max(initial=0))


def _far_cell_error(path: Path, sheet: str, far: list[tuple[int, int, str]], xml_bytes: int,
                    blank_too: bool = False) -> InputError | None:
    """The refusal of the farthest of `far` (row, column, text) that alone makes the grid huge for a
    sheet of `xml_bytes` (SheetScan.sparse); a blank one only with `blank_too`. None if none does."""
    for row, col, text in sorted(far, key=lambda cell: -cell[0] * max(cell[1] + 1, ASSUMED_COLUMNS)):
        reach = SheetScan("", xml_bytes=xml_bytes, last_row=row, last_col=col)
        if (text or blank_too) and reach.sparse:
            return InputError("sheet_far_cell", file=path.name, sheet=sheet, cell=_ref_text(row, col),
                              value=text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…",
                              cells=f"{reach.grid_cells:,}")
    return None


def _refuse_odd(path: Path, sheet: str, scan: SheetScan) -> None:
    """A sheet in an odd form whose grid is huge is not copied sparse (the copy's regexes do not
    follow that form): refused, by its far cell with content where that makes the grid huge, else
    by its form."""
    raise _far_cell_error(path, sheet, scan.far_content, scan.xml_bytes) or \
        InputError("sheet_odd_form", file=path.name, sheet=sheet)


# An .xls cell record holds a value in 6 bytes at the least (in a MULRK): its records' bytes count as
# this many times as many bytes of XML, for SheetScan.sparse.
_XLS_XML_RATIO = MIN_CELL_BYTES // 6


def _xls_far_cells(path: Path) -> dict[str, InputError]:
    """The sheets of an .xls refused before calamine builds their grid, by name: a cell with a value
    (a stray '.' or space at IV65536) far from the rest. No sparse copy is made of an .xls: a blank
    text is refused too."""
    refused = {}
    for sheet, reach in xls_reach(path, GRID_CELLS_OK).items():
        error = _far_cell_error(path, sheet, reach.far, reach.record_bytes * _XLS_XML_RATIO, blank_too=True)
        if error is not None:
            refused[sheet] = error
    return refused


def _without_filler(xml: bytes, filler_row: int) -> bytes:
    """A sheet's XML without its rows from `filler_row` to the end of its rows (SheetScan.filler_row)."""
    found = xml.find(b'row r="%d"' % filler_row)
    at = xml.rfind(b"<", 0, found) if found >= 0 else -1
    rows_end = _SHEET_DATA_END.search(xml, at) if at >= 0 else None
    return xml if rows_end is None else xml[:at] + xml[rows_end.start():]


_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>")


def sparse_copy(path: Path, sheet: str, parts: BookParts, scan: SheetScan) -> bytes:
    """The workbook with the blank cells far out of one sheet dropped (and its claimed used range
    with them), for calamine to build a grid no larger than the cells with content. The cells
    looked at one by one are those of the rows far below the table and those past column AZ;
    the table itself is copied as it is. Rows filled down at the sheet's end (SheetScan.filler_reach)
    are left out. A far cell with content that still makes the grid huge is refused, by its address
    and value."""
    if scan.odd:
        _refuse_odd(path, sheet, scan)
    with zipfile.ZipFile(path) as zf:
        blank_strings, texts = _blank_shared_strings(zf, parts.shared_strings)
        xml = zf.read(scan.part)
        if scan.filler_reach:
            xml = _without_filler(xml, scan.filler_row)
        split, last_dense = _dense_part(xml)
        kept: list[tuple[int, int, str]] = []  # (row, column, value) of the far cells with content
        wide_only = True  # in the table, only cells past column AZ can stretch the grid

        def keep_or_drop(m: re.Match) -> bytes:
            attrs, inner = m.group(2), m.group(3) or b""
            ref = _CELL_REF.search(attrs)
            if ref is None:
                return m.group(0)
            row, col = int(ref.group(2)), _column_index(ref.group(1).decode())
            if wide_only and col < ASSUMED_COLUMNS:
                return m.group(0)
            typ = _CELL_TYPE.search(attrs)
            typ = typ.group(1) if typ else b"n"
            value = _VALUE.search(inner)
            raw = value.group(1) if value and value.group(1) else b""
            if typ == b"inlineStr":
                text = html.unescape(b"".join(_INLINE_TEXT.findall(inner)).decode("utf-8", "replace"))
            elif typ == b"s":
                index = int(raw) if raw.strip().isdigit() else -1
                text = "" if index in blank_strings else texts.get(index, raw.decode("utf-8", "replace"))
            else:
                text = html.unescape(raw.decode("utf-8", "replace"))
            if not text.strip() and not _FORMULA_START.search(inner):
                return b""  # blank to every reader of the survey: not a cell worth a grid
            kept.append((row, col, text.strip()))
            return m.group(0)

        head, tail = xml[:split], xml[split:]
        if _WIDE_LOOK.search(head):
            head = _CELL.sub(keep_or_drop, head)
        wide_only = False
        slim = _DIMENSION.sub(b"", head + _CELL.sub(keep_or_drop, tail), count=1)
        reach = SheetScan(scan.part, xml_bytes=scan.xml_bytes, last_row=max([last_dense, *(r for r, _, _ in kept)]),
                          last_col=max([-1, *(c for _, c, _ in kept if c >= ASSUMED_COLUMNS)]))
        if kept and reach.sparse:
            # Name the cell whose removal shrinks the grid most: the lowest, or the one farthest right.
            deepest, widest = max(kept), max(kept, key=lambda k: k[1])
            rows_without = max([last_dense, *(r for r, _, _ in kept if r < deepest[0])])
            cols_without = max([ASSUMED_COLUMNS - 1, *(c for _, c, _ in kept if c < widest[1])])
            width = max(reach.last_col + 1, ASSUMED_COLUMNS)
            row, col, text = deepest if rows_without * width <= deepest[0] * (cols_without + 1) else widest
            raise InputError("sheet_far_cell", file=path.name, sheet=sheet, cell=_ref_text(row, col),
                             value=text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…",
                             cells=f"{reach.grid_cells:,}")
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for info in zf.infolist():
                copy.writestr(info.filename, slim if info.filename == scan.part else zf.read(info.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Merged cells of an OpenDocument spreadsheet (.ods), which calamine does not give

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
# A hidden row repeated more than this is the empty rest of the sheet, not rows of households.
_ODS_HIDDEN_REPEAT = 1 << 16
# LibreOffice's mark of a cell whose formula gave an error (its office:value-type says "string", empty).
_ODS_VALUE_TYPE = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}value-type"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# A truth value: a boolean cell, or (an .xlsx's TRUE saved by LibreOffice) the formula that gives one.
_ODS_TRUTH_FORMULAS = {"of:=TRUE()": "TRUE", "of:=FALSE()": "FALSE"}
_ODS_COVERED = f"{_ODS_TABLE}covered-table-cell"
# The attributes that make a cell a value for calamine (with a string value-type, or a formula).
_ODS_VALUES = tuple(f"{_ODS_OFFICE}{name}" for name in ("value", "string-value", "date-value", "time-value",
                                                         "boolean-value"))
# A cell's style and comment (marks.py): content.xml's automatic styles, before office:body, say which
# strike their text through; a cell's office:annotation is its comment (dc:creator its author).
_ODS_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_BODY = f"{_ODS_OFFICE}body"
_ODS_ANNOTATION = f"{_ODS_OFFICE}annotation"
_ODS_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
_ODS_STYLE_NAME = f"{_ODS_TABLE}style-name"
_ODS_SPACES = {f"{_ODS_TEXT}s", f"{_ODS_TEXT}tab", f"{_ODS_TEXT}line-break"}


def _ods_holds(cell) -> bool:
    """Whether calamine reads an .ods cell as a value, blank text of a string cell too."""
    return cell.get(f"{_ODS_OFFICE}value-type") == "string" or cell.get(f"{_ODS_TABLE}formula") is not None \
        or any(cell.get(name) is not None for name in _ODS_VALUES)


def _ods_shows(cell) -> bool:
    """Whether an .ods cell that no merge covers shows something: a value, a formula, or text."""
    return cell.tag != _ODS_COVERED and (cell.get(f"{_ODS_TABLE}formula") is not None
                                         or any(cell.get(name) is not None for name in _ODS_VALUES)
                                         or bool("".join(cell.itertext()).strip()))


def _ods_truth(cell) -> str | None:
    """TRUE or FALSE where an .ods cell holds a truth value, else None."""
    formula = cell.get(f"{_ODS_TABLE}formula")
    if formula in _ODS_TRUTH_FORMULAS:
        return _ODS_TRUTH_FORMULAS[formula]
    if cell.get(f"{_ODS_OFFICE}value-type") == "boolean" or cell.get(_ODS_VALUE_TYPE) == "boolean":
        value = cell.get(f"{_ODS_OFFICE}boolean-value") or cell.get(f"{_ODS_OFFICE}value") or ""
        return "TRUE" if value.lower() in ("true", "1") else "FALSE"
    return None


def _ods_struck_styles(events) -> frozenset[str]:
    """The automatic cell styles whose text is struck through (style:text-line-through-style other than
    "none"), from content.xml's parse `events` up to office:body's start, where it stops."""
    struck = set()
    for event, element in events:
        if event == "start":
            if element.tag == _ODS_BODY:
                break
        elif element.tag == f"{_ODS_STYLE}style" and element.get(f"{_ODS_STYLE}family") == "table-cell":
            text = element.find(f"{_ODS_STYLE}text-properties")
            if text is not None and text.get(f"{_ODS_STYLE}text-line-through-style", "none") != "none":
                struck.add(element.get(f"{_ODS_STYLE}name"))
    return frozenset(struck)


def _ods_comment(annotation) -> str:
    """An office:annotation's text as marks.comment_text says it: its paragraphs, its author left out."""
    author = next((el.text or "" for el in annotation if el.tag == _ODS_CREATOR), "")
    return comment_text("\n".join(_ods_text(p) for p in annotation if p.tag == f"{_ODS_TEXT}p"), author)


def _ods_text(element) -> str:
    """An element's text, its text:s (spaces), tabs and line breaks as a space."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag in _ODS_SPACES else _ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def ods_layout(path: Path) -> tuple[dict[str, list[tuple[tuple[int, int], tuple[int, int]]]], dict[str, SheetScan]]:
    """What calamine does not give of an .ods, by sheet name, from one pass over content.xml:
    - its merged ranges, ((first row, first column), (last row, last column)) 0-based as calamine
      gives an .xlsx's: a cell with table:number-rows-spanned or number-columns-spanned above 1,
      placed by counting rows and cells with their repeat counts;
    - its hidden rows, as a SheetScan: table:visibility="collapse" hidden by hand, "filter" by a
      filter (Excel's row numbers);
    - its cells of an error value (calcext:value-type="error", which calamine reads as a blank), as
      the SheetScan's errors, its cells of a truth value (which calamine reads as 1 or 0) as its
      truths, and its hidden columns (table:table-column's visibility);
    - where its data ends and calamine's grid would (SheetScan.data_row, last_row);
    - its cells with a value in a style struck through (its own table:style-name's, or its column's
      default where it names none), and its cells' comments (SheetScan.struck_cells, comments).
    Streamed; ({}, {}) where content.xml cannot be followed (read unmerged and unsaid, as before)."""
    merges: dict[str, list] = {}
    scans: dict[str, SheetScan] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as xml:
            sheet, row, first_column = None, 0, 0  # first_column: of the next column element
            elements = 0  # the sheet's row elements so far
            # A row's cells of an error or a truth value: (column, repeat, text, the scan's dict for them).
            marked: list[tuple[int, int, str, str]] = []
            events = ET.iterparse(xml, events=("start", "end"))
            struck = _ods_struck_styles(events)
            struck_columns: set[int] = set()  # of the sheet, whose default cell style is struck
            struck_here: list[tuple[int, int]] = []  # a row's struck cells with a value: (column, repeat)
            noted_here: list[tuple[int, str]] = []  # a row's comments: (column, text)
            annotated = False  # whether the row has a comment: its cells are looked at for it
            for event, element in events:
                tag = element.tag
                if tag == f"{_ODS_TABLE}table":
                    if event == "start":
                        sheet, row, first_column = element.get(f"{_ODS_TABLE}name", ""), 0, 0
                        elements = 0
                        struck_columns.clear()
                        merges.setdefault(sheet, [])
                        scans.setdefault(sheet, SheetScan(part="", complete=True))
                    else:
                        element.clear()
                elif tag == f"{_ODS_TABLE}table-column" and event == "end" and sheet is not None:
                    repeat = int(element.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                    hidden = element.get(f"{_ODS_TABLE}visibility", "visible") != "visible"
                    if hidden and repeat < MANY_HIDDEN_COLUMNS:
                        scans[sheet].hidden_columns.extend(range(first_column, first_column + repeat))
                    if struck and element.get(f"{_ODS_TABLE}default-cell-style-name") in struck and \
                            repeat < MANY_HIDDEN_COLUMNS:
                        struck_columns.update(range(first_column, first_column + repeat))
                    first_column += repeat
                elif tag == f"{_ODS_TABLE}table-row" and event == "end":
                    column, held, shown = 0, -1, False  # held: the last column calamine reads a value in
                    elements += 1
                    for cell in element:
                        repeat = int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                        rows = int(cell.get(f"{_ODS_TABLE}number-rows-spanned", "1"))
                        columns = int(cell.get(f"{_ODS_TABLE}number-columns-spanned", "1"))
                        if (rows > 1 or columns > 1) and sheet is not None:
                            merges[sheet].append(((row, column), (row + rows - 1, column + columns - 1)))
                        if sheet is not None:
                            if cell.get(_ODS_VALUE_TYPE) == "error":
                                marked.append((column, repeat, _error_text("".join(cell.itertext()).strip()),
                                               "errors"))
                            elif (truth := _ods_truth(cell)) is not None:
                                marked.append((column, repeat, truth, "truths"))
                            if cell.attrib and _ods_holds(cell):  # most cells of a sheet's tail have none
                                held = column + repeat - 1
                                shown = shown or _ods_shows(cell)
                                if struck and ((style := cell.get(_ODS_STYLE_NAME)) in struck or
                                               style is None and column in struck_columns):
                                    struck_here.append((column, repeat))
                            if annotated and (note := cell.find(_ODS_ANNOTATION)) is not None:
                                noted_here.append((column, _ods_comment(note)))
                        column += repeat
                    repeated = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                    if held >= 0 and sheet is not None:
                        scan = scans[sheet]
                        scan.held_row, scan.held_col = row + repeated, max(scan.held_col, held)
                        if shown:
                            scan.data_row, scan.data_row_elements = row + repeated, elements
                    for column, repeat, text, into in marked if repeated <= _ODS_HIDDEN_REPEAT else ():
                        cells = itertools.product(range(row + 1, row + 1 + repeated), range(column, column + repeat))
                        found = getattr(scans[sheet], into)
                        for r, c in cells:
                            found[(r, c)] = text
                    marked.clear()
                    if sheet is not None and (struck_here or noted_here):
                        scan = scans[sheet]
                        for column, repeat in struck_here if repeated <= _ODS_HIDDEN_REPEAT else ():
                            for c in range(column, column + repeat):
                                letters = _ref_text(1, c).rstrip("0123456789")
                                struck_rows = range(row + 1, row + 1 + repeated)
                                scan.struck_cells.setdefault(letters, array("i")).extend(struck_rows)
                        scan.comments.extend((row + 1, _ref_text(1, c).rstrip("0123456789"), text)
                                             for c, text in noted_here if text)
                        struck_here.clear()
                        noted_here.clear()
                    annotated = False
                    seen = element.get(f"{_ODS_TABLE}visibility", "visible")
                    if seen != "visible" and sheet is not None and repeated <= _ODS_HIDDEN_REPEAT:
                        hidden = scans[sheet].filtered_rows if seen == "filter" else scans[sheet].hidden_rows
                        hidden.extend(range(row + 1, row + 1 + repeated))
                    row += repeated
                    element.clear()
                elif tag == _ODS_ANNOTATION:
                    annotated = True
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, ET.ParseError):
        return {}, {}
    return merges, scans


# calamine knows an .ods's elements by these names, prefixes and all: the copy cuts by the same.
_ODS_TABLE_START = re.compile(rb"<table:table[\s>]")
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])[^>]*?(?:/>|>.*?</table:table-row>)", re.DOTALL)


def ods_trimmed_copy(path: Path, scans: dict[str, SheetScan]) -> bytes | None:
    """An .ods in memory for calamine, where a sheet's rows past its data hold only what merges
    cover (SheetScan.hidden_reach): those rows left out. Nothing there shows, and the merges are
    ods_layout's, from the file itself: the households read as from the file, without the million
    rows calamine would build. None where no sheet needs it, or the tables cannot be told apart."""
    if not any(scan.hidden_reach for scan in scans.values()):
        return None
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("content.xml")
        starts = [m.start() for m in _ODS_TABLE_START.finditer(xml)]
        if len(starts) != len(scans):  # a table inside a cell, or a name twice: not cut blind
            return None
        kept, at = [], 0
        for start, scan in zip(starts, scans.values()):
            end = xml.find(b"</table:table>", start)
            if not scan.hidden_reach or end < 0:
                continue
            rows = _ODS_ROW.finditer(xml, start, end)
            last = next(itertools.islice(rows, scan.data_row_elements - 1, None), None) \
                if scan.data_row_elements else None
            cut = last.end() if last is not None else xml.index(b">", start) + 1
            kept += [xml[at:cut], _ODS_ROW.sub(b"", xml[cut:end])]  # row groups and headers stay, empty
            at = end
        kept.append(xml[at:])
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
            for info in zf.infolist():
                copy.writestr(info.filename, b"".join(kept) if info.filename == "content.xml" else zf.read(info.filename))
    return out.getvalue()


def _ods_far_cell(path: Path, exc: Exception) -> InputError | None:
    """Why calamine could not open an .ods, where a cell far from the table is why (its grid would
    pass calamine's limit on cells, which it calls an error like any other): that cell, found in
    content.xml by counting rows and cells with their repeats; a cell near the sheet's last row or
    column where none is found but calamine says its limit. None for any other fault."""
    deepest: dict[str, tuple[int, int, str]] = {}
    widest: dict[str, tuple[int, int, str]] = {}
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as xml:
            size = zf.getinfo("content.xml").file_size
            sheet, row = None, 0
            for event, element in ET.iterparse(xml, events=("start", "end")):
                tag = element.tag
                if tag == f"{_ODS_TABLE}table" and event == "start":
                    sheet, row = element.get(f"{_ODS_TABLE}name", ""), 0
                elif tag == f"{_ODS_TABLE}table-row" and event == "end" and sheet is not None:
                    column = 0
                    for cell in element:
                        text = "".join(cell.itertext()).strip()
                        if text or cell.get(f"{_ODS_OFFICE}value-type"):
                            cell_at = (row + 1, column, text)
                            if cell_at[0] > deepest.get(sheet, (0,))[0]:
                                deepest[sheet] = cell_at
                            if column > widest.get(sheet, (0, -1))[1]:
                                widest[sheet] = cell_at
                        column += int(cell.get(f"{_ODS_TABLE}number-columns-repeated", "1"))
                    row += int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
                    element.clear()
                elif tag == f"{_ODS_TABLE}table" and event == "end":
                    element.clear()
    except Exception:
        deepest = widest = {}
        size = 0
    for sheet in deepest:
        far = [deepest[sheet], *([widest[sheet]] if sheet in widest else [])]
        if (error := _far_cell_error(path, sheet, far, size)) is not None:
            return error
    if "limit" in str(exc).lower():
        return InputError("ods_cell_limit", file=path.name)
    return None


# ---------------------------------------------------------------------------------------------
# Parsing workbooks ahead

VISIBLE, HIDDEN, VERY_HIDDEN = "visible", "hidden", "very hidden"


def _visibility(state) -> str:
    """calamine's SheetVisibleEnum as our word (its members compare equal but do not hash)."""
    if state == calamine.SheetVisibleEnum.Hidden:
        return HIDDEN
    if state == calamine.SheetVisibleEnum.VeryHidden:
        return VERY_HIDDEN
    return VISIBLE


@dataclass
class SheetEntry:
    """One sheet of a parsed workbook: its cells as calamine parsed them (None for a hidden sheet
    not parsed yet), or the error that stopped the parse there; and its scan (.xlsx, .xlsm)."""

    name: str
    visibility: str = VISIBLE
    sheet: object = None  # CalamineSheet | InputError | None
    scan: SheetScan | None = None


@dataclass
class ParsedWorkbook:
    """A workbook as calamine parsed it: each visible sheet in order, or the error that stopped the
    parse at that sheet (raised when the reader reaches it, so earlier sheets' problems are
    reported first). Hidden sheets are parsed when asked for (`parse`)."""

    path: Path
    sheets: list[SheetEntry] = field(default_factory=list)
    stale_formulas: bool = False  # the workbook says its formulas' saved values are stale
    _book: object = None
    _parts: BookParts | None = None
    # An .ods's merged ranges by sheet (calamine gives none for that format); None for the others.
    ods_merges: dict[str, list] | None = None
    # The file's size and modification time when the parse began (file_stamp): a read-ahead parses
    # before the reader looks, and a file saved again meanwhile must not pass for the one parsed.
    stamp: tuple[int, int] | None = None

    def merges_of(self, entry: SheetEntry) -> list:
        """The merged ranges of a sheet where calamine does not give them."""
        return (self.ods_merges or {}).get(entry.name, [])

    def parse(self, entry: SheetEntry) -> None:
        """Parse a sheet that was passed over (a hidden one), with its scan first."""
        if entry.sheet is not None:
            return
        if self._parts is not None and entry.name in self._parts.sheets:
            try:
                with zipfile.ZipFile(self.path) as zf:
                    part = self._parts.sheets[entry.name]
                    entry.scan = scan_sheet(zf, part, self._parts.stale, self._parts.marks_of(part))
            except (OSError, zipfile.BadZipFile, KeyError, ValueError):
                entry.scan = None
        entry.sheet = _parse_sheet(self.path, self._book, entry, self._parts)


# ---------------------------------------------------------------------------------------------
# A large sheet parsed in two halves at once

# The one sheet of a workbook, when its XML is this large, is parsed as two workbooks at once: the
# rows up to a row near the middle, and the rest. calamine's parse of a sheet runs on one core; the
# two halves run on two. Above SPLIT_MAX_BYTES the halves are not made: they are held in memory.
SPLIT_BYTES = 16 << 20
# The first half's share of the sheet's XML. The helper's half costs more per row than this process's
# (it streams the sheet past the split and sends its text over a pipe): at half and half this process
# waited 0.2-0.8 s for it on the benchmark's surveys; at 0.54 the half came 0.09 s before it was asked for.
FIRST_SHARE = 0.54
SPLIT_MAX_BYTES = 256 << 20
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?)sheetData\b[^>/]*>")
# A half begins at a row element that says which row it is (a row without r="" is numbered by
# counting the rows before it, which the second half does not hold).
_NEXT_ROW = re.compile(rb'\s*<(?:[\w.-]+:)?row\b[^>]*?\sr="[0-9]+"')


@dataclass
class TextRows:
    """A half of a sheet as text (cells.cells_as_text): the grid's rows from `top` (0-based, as
    calamine counts), its columns from `left`, one column of `rows` texts each; and the merges
    calamine found in it (they follow the rows: the second half holds the sheet's). Sent by the
    helper `packed`: each column's texts joined by NUL (which no XML text holds; a column that held
    one anyway goes as a list)."""

    top: int
    left: int
    rows: int
    columns: list
    merges: list

    @classmethod
    def of(cls, sheet) -> TextRows:
        from .cells import cells_as_text, rows_as_columns  # numpy, in the helper: loaded when needed

        merges = list(sheet.merged_cell_ranges or [])
        if sheet.start is None:
            return cls(0, 0, 0, [], merges)
        (top, left), rows = sheet.start, sheet.to_python(skip_empty_area=True)
        return cls(top, left, len(rows), [cells_as_text(column) for column in rows_as_columns(rows)], merges)

    def packed(self) -> TextRows:
        from .cells import joined_apart

        columns = [column.tolist() for column in self.columns]
        return TextRows(self.top, self.left, self.rows,
                        [joined if (joined := joined_apart(texts, "\0")) is not None else texts for texts in columns],
                        self.merges)

    def column(self, k: int):
        """The texts of the k-th column from `left`."""
        column = self.columns[k]
        return column if not isinstance(column, str) else column.split("\0") if self.rows else []


@dataclass
class SheetHalves:
    """One sheet, parsed as two workbooks (split_sheet): `first` holds its rows up to a row near the
    middle, `second` the rest and what follows the rows (the merges), each as calamine parsed it
    here. Where the helper process makes the second half (scan_for_reader), `second` is None and
    `rest` gives it as text, or None when it does not come: then `whole` parses the sheet here."""

    first: object  # CalamineSheet
    second: object = None
    rest: Callable[[], TextRows | None] | None = None
    whole: Callable[[], object] | None = None

    def as_text(self) -> tuple[TextRows, TextRows] | None:
        """Both halves as text, the first converted before the helper's is waited for; None when
        the helper's did not come."""
        first = TextRows.of(self.first)
        rest = TextRows.of(self.second) if self.second is not None else self.rest()
        return (first, rest) if rest is not None else None


def _memory_file() -> BinaryIO:
    """A file that lives in memory and nowhere else (Linux's memfd: gone with its last descriptor,
    whatever ends the process), or an in-memory buffer elsewhere."""
    if hasattr(os, "memfd_create"):
        try:
            return os.fdopen(os.memfd_create("edgescreen-half", getattr(os, "MFD_CLOEXEC", 0)), "w+b")
        except OSError:
            pass
    return io.BytesIO()


def _calamine_from(half: BinaryIO):
    """calamine's workbook over a half: a memfd through its /proc path, which calamine reads as it
    parses (a buffer is copied into calamine first)."""
    if isinstance(half, io.BytesIO):
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(half.getvalue()))
    return calamine.CalamineWorkbook.from_path(f"/proc/self/fd/{half.fileno()}")


def _splits(xml_bytes: int) -> bool:
    return SPLIT_BYTES <= xml_bytes <= SPLIT_MAX_BYTES


def split_sheet(path: Path, part: str, second: bool = True) -> tuple[BinaryIO, BinaryIO | None] | None:
    """The workbook as two, in memory: each with every part of the original, the sheet's XML holding
    its rows up to a row near the middle in the first and the rest in the second (both with the
    sheet's head: its dimension, columns and views). Without `second`, the first alone (None in the
    second's place: the helper makes it, scan_for_reader). None when the sheet's XML is smaller than
    SPLIT_BYTES or larger than SPLIT_MAX_BYTES, or not laid out as expected (no sheetData, or no row
    element where a half would begin): the sheet is then parsed whole."""
    halves, split = None, False
    try:
        with zipfile.ZipFile(path) as zf:
            if _splits(zf.getinfo(part).file_size) and not _odd_form(zf, part):
                halves = (_memory_file(), _memory_file() if second else None)
                split = _write_halves(zf, part, halves)
    except Exception:  # a part we cannot follow: calamine reads it whole, or says what is wrong
        split = False
    finally:
        if not split:
            for half in halves or ():
                if half is not None:
                    half.close()
    return halves if split else None


def _write_halves(zf: zipfile.ZipFile, part: str, halves: tuple[BinaryIO | None, BinaryIO | None],
                  blocks: Iterator[bytes] | None = None, at_split: Callable[[], None] | None = None) -> bool:
    """Write the halves of split_sheet, the first ending at the first row past FIRST_SHARE of the
    sheet's XML; a half that is None is not written (the first alone stops at the split).
    `blocks`: the sheet's XML as _row_blocks gives it, if it is looked at on the way; `at_split` is
    called when every block of the first half has been taken from them. Whether the sheet split."""
    with contextlib.ExitStack() as stack:
        size = zf.getinfo(part).file_size
        books = [stack.enter_context(zipfile.ZipFile(half, "w", zipfile.ZIP_STORED)) if half is not None else None
                 for half in halves]
        for info in zf.infolist():
            if info.filename != part:
                content = zf.read(info.filename)
                for book in books:
                    if book is not None:
                        book.writestr(info.filename, content)
        sheets = [stack.enter_context(book.open(part, "w")) if book is not None else None for book in books]
        head = closing = None
        half, written = 0, 0
        for block in blocks if blocks is not None else _row_blocks(zf, part):
            if head is None:
                m = _SHEET_DATA.search(block)
                if m is None:
                    return False
                head = block[:m.end()]
                root = block.rfind(b"<", 0, block.find(b"worksheet")) + 1
                closing = b"</" + m.group(1) + b"sheetData></" + block[root:block.find(b"worksheet", root)] \
                    + b"worksheet>"
            elif half == 0 and written >= size * FIRST_SHARE and _NEXT_ROW.match(block):
                if sheets[0] is not None:
                    sheets[0].write(closing)
                half = 1
                if at_split is not None:
                    at_split()
                if sheets[1] is None:
                    return True
                sheets[1].write(head)
            if sheets[half] is not None:
                sheets[half].write(block)
            written += len(block)
        return half == 1


def _parse_halves(halves: tuple[BinaryIO, BinaryIO | None], name: str) -> SheetHalves:
    """Both halves parsed at once, each by calamine in a thread of its own (the first alone where
    the helper makes the second)."""
    books = [_calamine_from(half) for half in halves if half is not None]
    second = Background(books[1].get_sheet_by_name, name) if len(books) == 2 else None
    first = books[0].get_sheet_by_name(name)
    return SheetHalves(first, second.result() if second is not None else None)


def _parse_sheet(path: Path, book, entry: SheetEntry, parts: BookParts | None,
                 halves: tuple[BinaryIO, BinaryIO] | None = None):
    """The CalamineSheet of one sheet (read sparse when its scan says so), or the InputError that
    stops the reader there."""
    scan = entry.scan  # once: a scan that fails later is let go of (_Scans) while this parses
    try:
        if scan is not None and scan.copied:
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(sparse_copy(path, entry.name, parts, scan)))
        elif halves is not None:
            try:
                return _parse_halves(halves, entry.name)
            except Exception:  # calamine reads the sheet whole, or says why it cannot
                pass
        return book.get_sheet_by_name(entry.name)
    except InputError as exc:
        return exc
    except Exception:
        return InputError("sheet_unreadable", file=path.name, sheet=entry.name)
    finally:
        for half in halves or ():  # parsed, or not wanted (a sparse sheet): their memory let go
            if half is not None:
                half.close()


def _whole_sheet(path: Path, book, entry: SheetEntry, parts: BookParts | None, reached: Callable[[], object]):
    """The sheet parsed whole, where its second half was to come from the helper and did not; once
    its reach is known (`reached` waits for it: the first half may have gone to calamine before)."""
    reached()
    sheet = _parse_sheet(path, book, entry, parts)
    if isinstance(sheet, InputError):
        raise sheet
    return sheet


def _first_half_may_parse(halves: tuple[BinaryIO, BinaryIO | None] | None, remote: RemoteScan | None) -> bool:
    """Whether the first half this process made of a sheet may go to calamine before the whole
    sheet's reach is known: the helper streams the sheet once (scan_for_reader), sends the reach of
    the first half as soon as it is past it, and that reach is not far. The second half waits for
    the whole reach in the helper."""
    if halves is None or halves[1] is not None or remote is None:
        return False
    first = remote.first_reach()
    return first is not None and not first.copied


class _Scans:
    """The sheets' scans, in order, in a background thread; calamine waits for a sheet's reach
    (`reach(i)`), the reader for every scan whole (`wait()`).

    A workbook of one sheet is scanned in two passes: its reach first, then the rest while calamine
    parses it on the other core. A workbook of several is scanned a sheet at a time, whole, the next
    while calamine parses the one before: two calamine threads keep both cores busy there, and a
    second pass over the XML would only add to their work."""

    def __init__(self, path: Path, parts: BookParts, entries: list[SheetEntry], two_passes: bool,
                 remote: RemoteScan | None = None):
        self._entries = list(entries)  # the workbook's list loses the sheets after one that fails
        self._reached = [threading.Event() for _ in entries]
        self._remote = remote if two_passes else None  # its scan comes as the reach, then the rest
        self._thread = Background(self._run, path, parts, two_passes)

    def _run(self, path: Path, parts: BookParts, two_passes: bool) -> None:
        scanned: list[SheetEntry] = []
        remote = self._remote
        try:
            with zipfile.ZipFile(path) as zf:
                for entry, reached in zip(self._entries, self._reached):
                    if entry.visibility == VISIBLE and entry.name in parts.sheets:
                        part = parts.sheets[entry.name]
                        found = remote.reach(part) if remote is not None else None
                        if found is None:
                            remote = None
                        entry.scan = found or (scan_reach(zf, part) if two_passes else
                                               scan_sheet(zf, part, parts.stale, parts.marks_of(part)))
                        scanned.append(entry)
                    reached.set()
                for entry in scanned if two_passes else ():
                    whole = remote.details() if remote is not None else None
                    if whole is None:
                        scan_details(zf, entry.scan, parts.stale, parts.marks_of(entry.scan.part))
                    else:  # the reach as sent before, with the rest
                        entry.scan = whole
        except Exception:  # a part calamine may still read but we cannot: no scan for what is left
            for entry in scanned:
                if not entry.scan.complete:
                    entry.scan = None
        finally:
            for reached in self._reached:
                reached.set()

    def reach(self, i: int) -> SheetScan | None:
        self._reached[i].wait()
        return self._entries[i].scan

    def wait(self) -> None:
        self._thread.result()


def parse_workbook(path: Path, begun: threading.Event | None = None, remote: RemoteScan | None = None,
                   split: bool = False) -> ParsedWorkbook:
    """Check and parse one workbook; every visible sheet's cells are in calamine's memory when it
    returns. `begun` is set when the work that holds the GIL is done and calamine's own parse of the
    first sheet starts, after that sheet's reach is known (or the workbook has failed): a caller
    that waits for it leaves the GIL to that scan, the one step of the read that holds it. With
    `remote` (the helper's scan of this workbook) it is set at once: nothing here holds the GIL for
    long. With `split`, a large sheet of a one-sheet workbook is parsed in halves (split_sheet)."""
    begun = begun or threading.Event()
    try:
        return _parse_workbook(path, begun, remote, split)
    finally:
        begun.set()


def _open_book(path: Path, suffix: str, trimmed: bytes | None = None):
    """calamine's workbook: by its name where that says what it holds (calamine picks its reader by
    the suffix), else from its bytes, where calamine tells the format by the content; from `trimmed`
    where an .ods's rows past its data are left out (ods_trimmed_copy)."""
    if trimmed is not None:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(trimmed))
    if suffix == path.suffix.lower():
        return calamine.CalamineWorkbook.from_path(str(path))
    return calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))


# calamine's error for a workbook with an opening password (a release without it says CalamineError
# only: the file's own records tell then).
_PASSWORD_ERROR = getattr(calamine, "PasswordError", ())


def _password_protected(path: Path, suffix: str, exc: Exception) -> bool:
    """Whether calamine could not open a workbook because it has an opening password: calamine says
    so, or, for an .xls, its FILEPASS record (Excel's or WPS's 文件加密) or an encrypted .xlsx inside
    its OLE2 container (named .xls, it has no workbook stream for calamine to find)."""
    if isinstance(exc, _PASSWORD_ERROR):
        return True
    return suffix == ".xls" and (xls_password(path) or ole_encrypted(path))


def file_stamp(path: Path) -> tuple[int, int]:
    """A file's size and modification time, to the nanosecond: changed, if it was written meanwhile."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _parse_workbook(path: Path, begun: threading.Event, remote: RemoteScan | None, split: bool) -> ParsedWorkbook:
    parts = None
    stamp = file_stamp(path)
    sniff_file(path)
    # What the file holds, whatever its name says (an .xls renamed .xlsx is read as the .xls it is).
    suffix = content_suffix(path)
    if suffix in (TEXT_TABLE, HTML_TABLE):  # read as text by its reader (read.read_table_file), never as a workbook
        raise InputError("workbook_is_text", file=path.name)
    if suffix in {".xlsx", ".xlsm", ".ods"}:
        guard_zip(path)
    if suffix in SCANNED_SUFFIXES:
        try:
            with zipfile.ZipFile(path) as zf:
                parts = _book_parts(zf)
        except Exception:  # parts we cannot follow: calamine's own error says more, or it reads them
            parts = None
    if suffix == ".xls" and (far := _xls_far_cells(path)):
        # calamine parses every sheet of an .xls as it opens the file: refused before, by the first
        raise next(iter(far.values()))
    # An .ods is parsed whole as calamine opens it: where its data ends is known before.
    ods_merges, row_scans = ods_layout(path) if suffix == ".ods" else (None, {})
    try:
        trimmed = ods_trimmed_copy(path, row_scans) if row_scans else None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        trimmed = None
    try:
        book = _open_book(path, suffix, trimmed)
    except Exception as exc:  # calamine raises its own error types for every damaged or foreign file
        if _password_protected(path, suffix, exc):
            raise InputError("workbook_encrypted", file=path.name) from None
        if suffix == ".ods" and (far := _ods_far_cell(path, exc)) is not None:
            raise far from None
        if suffix != path.suffix.lower():  # what its bytes say it is, named otherwise, and not that either
            raise InputError("workbook_unreadable_as", file=path.name, actual=suffix,
                             named=path.suffix.lower()) from None
        raise InputError("workbook_unreadable", file=path.name) from None
    try:
        visibility = [_visibility(m.visible) for m in book.sheets_metadata]
    except Exception:
        visibility = [VISIBLE] * len(book.sheet_names)
    entries = [SheetEntry(name, seen) for name, seen in zip(book.sheet_names, visibility)]
    if suffix in SCANNED_SUFFIXES and (parts is None or any(e.name not in parts.sheets for e in entries)):
        # calamine reads it, but the scan for error values, hidden rows and far cells cannot: not read blind
        raise InputError("workbook_unscannable", file=path.name)
    for entry in entries:
        entry.scan = row_scans.get(entry.name)
    # An .xls's hidden rows, filter, struck cells and comments, from its workbook stream's records, while
    # calamine parses.
    xls_rows = Background(xls_hidden_rows, path) if suffix == ".xls" else None
    parsed = ParsedWorkbook(path, entries, stale_formulas=bool(parts and parts.stale), _book=book, _parts=parts,
                            ods_merges=ods_merges, stamp=stamp)
    todo = [i for i, e in enumerate(entries) if e.visibility == VISIBLE]
    scans = _Scans(path, parts, entries, two_passes=len(todo) == 1, remote=remote) if parts is not None else None
    claim = iter(todo)
    lock = threading.Lock()
    if remote is not None:
        begun.set()  # the scan that holds a GIL is the helper's, in its own process

    def parse_sheets(handle) -> None:
        """Parse the next unclaimed sheet until none is left (or one cannot be read)."""
        while True:
            with lock:
                i = next(claim, None)
            if i is None:
                return
            entry = entries[i]
            halves = None
            if split and len(todo) == 1 and parts is not None and entry.name in parts.sheets:
                # While the reach is scanned; the helper that scans it makes the second half itself.
                halves = split_sheet(path, parts.sheets[entry.name], second=remote is None)
            if scans is not None and not _first_half_may_parse(halves, remote):
                scans.reach(i)  # a sheet goes to calamine only once its reach is known
            begun.set()
            entry.sheet = _parse_sheet(path, handle, entry, parts, halves)
            if isinstance(entry.sheet, SheetHalves) and entry.sheet.second is None:
                entry.sheet.rest = remote.half
                entry.sheet.whole = partial(_whole_sheet, path, handle, entry, parts, partial(scans.reach, i))
            if isinstance(entry.sheet, InputError):
                with lock:
                    for _ in claim:  # the reader stops at this sheet: the ones after it are not needed
                        pass

    # A workbook with a sheet per township: two sheets parse at once, each through its own handle
    # on the file (calamine parses outside the GIL).
    second = None
    if len(todo) > 1:
        try:
            second = Background(parse_sheets, _open_book(path, suffix, trimmed))
        except Exception:  # opened once already; if not twice, one handle parses them all
            second = None
    parse_sheets(book)
    if second is not None:
        second.result()
    if remote is not None and not any(isinstance(e.sheet, SheetHalves) and e.sheet.rest is not None for e in entries):
        remote.half_not_wanted()
    if scans is not None:
        scans.wait()  # the rest of each scan (formulas, hidden rows) ran while calamine parsed
    if xls_rows is not None:
        found = xls_rows.result()
        for entry in entries:
            if (rows := found.get(entry.name)) is not None:
                entry.scan = SheetScan(part="", hidden_rows=rows.hidden, filter_rows=rows.filter_rows,
                                       errors=rows.errors, hidden_columns=rows.hidden_columns, complete=True,
                                       struck_cells=rows.struck_cells, comments=rows.comments)
    # The sheets up to the first that failed; hidden ones stay in place, unparsed.
    stop = next((i for i, e in enumerate(entries) if isinstance(e.sheet, InputError)), None)
    if stop is not None:
        del entries[stop + 1:]
    return parsed


def struck_cells(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Each sheet's filled cells struck through (删除线: their font, or their whole text), as 0-based
    (row, column), found as the survey reader finds them (marks.py): an .xlsx's or .xlsm's by the scan
    of its XML (only where its styles or strings strike something), an .xls's from its records, an .ods's
    from its styles. For a form returned filled in (a register document, a 入户核查表), whose values
    were read already: {} where nothing is struck, or where the file cannot be followed that far."""
    suffix = content_suffix(path)
    try:
        if suffix in SCANNED_SUFFIXES:
            with zipfile.ZipFile(path) as zf:
                parts = _book_parts(zf)
                found = {name: scan_sheet(zf, part, parts.stale, marks).struck_cells
                         for name, part in parts.sheets.items() if (marks := parts.marks_of(part)) is not None}
        elif suffix == ".xls":
            found = {name: rows.struck_cells for name, rows in xls_hidden_rows(path).items()}
        elif suffix == ".ods":
            found = {name: scan.struck_cells for name, scan in ods_layout(path)[1].items()}
        else:
            return {}
    except Exception:  # a part not followed: the values were read, or their reader said why not
        return {}
    return {name: {(row - 1, _column_index(letters)) for letters, rows in cells.items() for row in rows}
            for name, cells in found.items() if cells}
