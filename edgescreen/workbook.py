"""Workbooks parsed into cells by python-calamine, and the scan for formula cells that carry no
saved value.

calamine parses outside the GIL, so a workbook's sheets parse two at a time (each thread with its own
handle on the file), and the formula scan runs beside the parse. Nothing here imports pandas."""

from __future__ import annotations

import html
import posixpath
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine as calamine

from .errors import InputError
from .inputs import Background, guard_zip, sniff_file

# ---------------------------------------------------------------------------------------------
# Formulas without a saved value (.xlsx, .xlsm)
#
# A workbook written by a program (openpyxl, a web system) rather than saved by Excel or WPS holds
# formulas with no cached result; calamine reads such a cell as empty, which would make a money
# cell a silent 0. The sheet XML is scanned for <f> elements whose <v> is absent or empty (t="str"
# with an empty <v> is a formula that computed '', which is a value). The scan streams the XML and
# runs beside calamine (both spend their time outside the GIL: inflating, and Rust).

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# A cheap first look at each block (two substring searches over ~100 MB for a province's sheet,
# half the cost of the six exact forms): any element whose name starts with f, prefixed or not;
# <family> or <font> in rich text pass it too, and _FORMULA_START decides.
_FORMULA_MARKS = (b"<f", b":f")
_FORMULA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_FORMULA_TEXT = re.compile(rb"<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>([^<]*)<)")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>([^<]*)<)")


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the zip member holding its XML, through the workbook's relationships."""
    names = set(zf.namelist())
    book = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in ET.fromstring(zf.read("_rels/.rels")):
            if rel.get("Type", "").endswith("/officeDocument"):
                book = rel.get("Target", book).lstrip("/")
    rels_path = posixpath.join(posixpath.dirname(book), "_rels", posixpath.basename(book) + ".rels")
    targets = {rel.get("Id"): rel.get("Target", "") for rel in ET.fromstring(zf.read(rels_path))}
    parts = {}
    for el in ET.fromstring(zf.read(book)).iter():
        if el.tag.rsplit("}", 1)[-1] == "sheet":
            target = targets.get(el.get(f"{{{_REL_NS}}}id"), "")
            part = target.lstrip("/") if target.startswith("/") else \
                posixpath.normpath(posixpath.join(posixpath.dirname(book), target))
            if part in names:
                parts[el.get("name")] = part
    return parts


def _formulas_in(xml: bytes, found: dict[tuple[int, int], str]) -> None:
    for m in _FORMULA_START.finditer(xml):
        start = max(xml.rfind(b"<c ", 0, m.start()), xml.rfind(b":c ", 0, m.start()))
        end = xml.find(b"c>", m.end())
        if start < 0 or end < 0:
            continue
        cell = xml[start:end]
        ref = _CELL_REF.search(cell)
        if ref is None:
            continue
        value = _VALUE.search(cell, m.start() - start)
        typ = _CELL_TYPE.search(cell[: cell.find(b">")])
        if value is not None and (value.group(1) or (typ is not None and typ.group(1) == b"str")):
            continue  # a saved value (or a formula that computed '')
        formula = _FORMULA_TEXT.search(cell)
        text = html.unescape(formula.group(1).decode("utf-8", "replace")) if formula and formula.group(1) else ""
        found[(int(ref.group(2)), _column_index(ref.group(1).decode()))] = "=" + (text or "(shared formula)")


def scan_formulas(path: Path) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → {(Excel row, 0-based column): '=formula'} for formula cells with no saved value."""
    result: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for sheet, part in _sheet_parts(zf).items():
                found: dict[tuple[int, int], str] = {}
                carry = b""
                with zf.open(part) as fh:
                    while chunk := fh.read(1 << 22):
                        buf = carry + chunk
                        cut = buf.rfind(b"row>") + 4  # after the last complete row (</row> or </x:row>)
                        if cut < 4:
                            carry = buf
                            continue
                        block, carry = buf[:cut], buf[cut:]
                        if any(mark in block for mark in _FORMULA_MARKS):
                            _formulas_in(block, found)
                    if carry and any(mark in carry for mark in _FORMULA_MARKS):
                        _formulas_in(carry, found)
                if found:
                    result[sheet] = found
    except Exception:  # a part calamine can still read but we cannot parse: no formulas reported
        return result
    return result


# ---------------------------------------------------------------------------------------------
# Parsing workbooks ahead


@dataclass
class ParsedWorkbook:
    """A workbook as calamine parsed it: each sheet in order, or the error that stopped the parse at
    that sheet (raised when the reader reaches it, so earlier sheets' problems are reported first),
    and the scan for formulas without a saved value."""

    path: Path
    sheets: list[tuple[str, object]] = field(default_factory=list)  # (name, CalamineSheet | InputError)
    formulas: Background | None = None


def parse_workbook(path: Path, begun: threading.Event | None = None) -> ParsedWorkbook:
    """Check and parse one workbook; every sheet's cells are in calamine's memory when it returns.
    `begun` is set when the work that holds the GIL is done and calamine's own parse starts (or the
    workbook has failed)."""
    try:
        sniff_file(path)
        suffix = path.suffix.lower()
        if suffix in {".xlsx", ".xlsm", ".ods"}:
            guard_zip(path)
        parsed = ParsedWorkbook(path, formulas=Background(scan_formulas, path) if suffix in {".xlsx", ".xlsm"} else None)
        try:
            book = calamine.CalamineWorkbook.from_path(str(path))
        except Exception as exc:  # calamine raises its own error types for every damaged or foreign file
            raise InputError("workbook_unreadable", file=path.name, kind=type(exc).__name__) from None
    finally:
        if begun is not None:
            begun.set()
    names = book.sheet_names
    sheets: list[object] = [None] * len(names)
    claim = iter(range(len(names)))
    lock = threading.Lock()

    def parse_sheets(handle) -> None:
        """Parse the next unclaimed sheet until none is left (or one cannot be read)."""
        while True:
            with lock:
                i = next(claim, None)
            if i is None:
                return
            try:
                sheets[i] = handle.get_sheet_by_name(names[i])
            except Exception as exc:
                sheets[i] = InputError("sheet_unreadable", file=path.name, sheet=names[i], kind=type(exc).__name__)
                with lock:
                    for _ in claim:  # the reader stops at this sheet: the ones after it are not needed
                        pass

    # A workbook with a sheet per township: two sheets parse at once, each through its own handle
    # on the file (calamine parses outside the GIL).
    second = None
    if len(names) > 1:
        try:
            second = Background(parse_sheets, calamine.CalamineWorkbook.from_path(str(path)))
        except Exception:  # opened once already; if not twice, one handle parses them all
            second = None
    parse_sheets(book)
    if second is not None:
        second.result()
    for name, sheet in zip(names, sheets):
        parsed.sheets.append((name, sheet))
        if isinstance(sheet, InputError):
            break
    return parsed
