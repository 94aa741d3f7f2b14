"""The rows an .xls workbook (Excel 97–2003, BIFF8) hides, by hand or by an autofilter, its cells
of an error value (#N/A), its cells in a font struck through (删除线) and its comments (批注): what
calamine does not give for that format (it reads an error as a blank), read from the workbook stream's
own records.

The container is OLE2, opened with olefile. Of the records, only these are looked at:
- BOUNDSHEET (0x0085): each sheet's name and where its records start;
- NAME (0x0018), the built-in _FilterDatabase: the rows a sheet's autofilter spans;
- in each sheet, ROW (0x0208) with fDyZero set (a hidden row), and FILTERMODE (0x009B): a filter with a
  criterion is on, so its hidden rows inside the autofilter's rows are filtered out;
- BOOLERR (0x0205) holding an error, and FORMULA (0x0006) whose saved result is one;
- COLINFO (0x007D) with fHidden set: a hidden column;
- in the globals, FONT (0x0031) with fStrikeOut set and XF (0x00E0), the cell formats of such a font;
  then each cell with a value (LABELSST … MULRK, FORMULA, BOOLERR) of one of those formats;
- a comment: NOTE (0x001C), its cell and its object's id, whose text is in the TXO (0x01B6) after
  that object's OBJ (0x005D) and the CONTINUE records after the TXO (marks.py says them).
The sheets' records are walked once, and only where the stream may hold any of these.
Anything else (BIFF5 and older, a damaged stream) gives nothing: the rows are read as ever, unsaid.

Standard library and olefile only, with inputs.py and marks.py, which load neither pandas nor numpy:
the reader calls it while pandas may still be loading."""

from __future__ import annotations

import re
import struct
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .inputs import column_letter
from .marks import comment_text

_BOF, _EOF = 0x0809, 0x000A
_BOUNDSHEET, _NAME, _ROW, _FILTERMODE = 0x0085, 0x0018, 0x0208, 0x009B
_BOOLERR, _FORMULA, _COLINFO = 0x0205, 0x0006, 0x007D
_FILEPASS = 0x002F  # the workbook is encrypted: an opening password (Excel's and WPS's 文件加密)
_COLUMN_HIDDEN = 0x0001  # COLINFO's fHidden
MANY_HIDDEN_COLUMNS = 1 << 10  # a span hiding every column to the right edge is none of the table's
# BErr: the error values a cell can hold, by code.
ERRORS = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
          0x2A: "#N/A", 0x2B: "#GETTING_DATA"}
_BIFF8 = 0x0600
_ROW_HIDDEN = 0x0020  # ROW's fDyZero
_FILTER_DATABASE = 0x0D  # the built-in name _FilterDatabase
_PTG_AREA_3D = {0x3B, 0x5B, 0x7B}  # PtgArea3d, as reference, value or array
# What a hidden row's ROW record may look like: its header (0x0208, 16 bytes), then fDyZero set in the
# 13th byte of its body. Where nothing in the stream does, no row is hidden and no record is walked
# (a walk is about half a second for a sheet of 60,000 rows).
_HIDDEN_ROW_LIKE = re.compile(rb"\x08\x02\x10\x00[\s\S]{12}[\x20-\x3f\x60-\x7f\xa0-\xbf\xe0-\xff]")
# What an error cell's record may look like: a BOOLERR with fError set, or a FORMULA whose result is
# an error (its FormulaValue's first byte 2, its last two 0xFFFF).
_ERROR_LIKE = re.compile(rb"\x05\x02\x08\x00[\s\S]{7}\x01|\x06\x00[\s\S]{8}\x02[\s\S]{5}\xff\xff")
# … and a hidden column's COLINFO (12 bytes; fHidden, the low bit of its options, set).
_HIDDEN_COLUMN_LIKE = re.compile(rb"\x7d\x00\x0c\x00[\s\S]{8}[" + re.escape(bytes(range(1, 256, 2))) + rb"]")
_FONT, _XF = 0x0031, 0x00E0
_FONT_STRUCK = 0x0008  # FONT's fStrikeOut
_NOTE, _OBJ, _TXO = 0x001C, 0x005D, 0x01B6
_OBJ_NOTE = 0x19  # an OBJ's ftCmo ot: the object of a comment
# A TXO record's header (it is 18 bytes long): a comment's, or a text box's. Where none is in the
# stream, no comment is: looked for by memchr, as fast as the stream is read.
_TXO_HEADER = b"\xb6\x01\x12\x00"
_CELL = struct.Struct("<HHH")  # a cell record's row, column and XF
_XF_RK = struct.Struct("<HI")  # a MULRK's cells


@dataclass
class XlsRows:
    """One sheet's hidden rows (Excel's numbers, from 1) and, where a filter with a criterion is on,
    the rows its autofilter spans (first, last)."""

    hidden: list[int] = field(default_factory=list)
    filter_rows: tuple[int, int] | None = None
    # (Excel row, column from 0) → the error value a cell holds (#N/A), as SheetScan.errors.
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_columns: list[int] = field(default_factory=list)  # from 0
    # Its filled cells in a font struck through (column letters → Excel rows), and its comments
    # (Excel row, column letters, text): as workbook.SheetScan.struck_cells and comments.
    struck_cells: dict[str, array] = field(default_factory=dict)
    comments: list[tuple[int, str, str]] = field(default_factory=list)


def _records(data: bytes, start: int):
    """(type, offset of the record's body, its length) from `start` to the end of the stream."""
    end = len(data) - 4
    unpack = struct.Struct("<HH").unpack_from
    pos = start
    while pos <= end:
        kind, size = unpack(data, pos)
        if pos + 4 + size > len(data):  # a record cut off (a damaged stream): the walk ends before it
            return
        yield kind, pos + 4, size
        pos += 4 + size


def _sheet_name(body: bytes) -> str:
    """A BOUNDSHEET's name: ShortXLUnicodeString (a count of characters, then one byte each or two)."""
    count, wide = body[6], body[7] & 1
    text = body[8:8 + count * (2 if wide else 1)]
    return text.decode("utf-16-le") if wide else text.decode("latin-1")


def _filter_area(body: bytes) -> tuple[int, tuple[int, int]] | None:
    """(sheet number from 1, (first row, last row)) of a _FilterDatabase NAME record; None for any
    other name or a formula that is not one area."""
    flags, _, count, formula_size, _, sheet = struct.unpack_from("<HBBHHH", body)
    if not flags & 0x0020 or count != 1:  # fBuiltin, a one-character name
        return None
    wide = body[14] & 1
    name = body[15] if not wide else struct.unpack_from("<H", body, 15)[0]
    formula = 15 + (2 if wide else 1)
    if name != _FILTER_DATABASE or formula_size < 11 or body[formula] not in _PTG_AREA_3D:
        return None
    first, last = struct.unpack_from("<HH", body, formula + 3)
    return sheet, (first + 1, last + 1)


def _workbook_stream(path: Path, names: tuple[str, ...] = ("Workbook",)) -> bytes | None:
    """The bytes of an .xls's workbook stream (the first of `names` it has); None where it has none.
    Raises what olefile raises for a file that is no OLE2 container."""
    import olefile

    with olefile.OleFileIO(str(path)) as ole:
        stream = next((s for s in names if ole.exists(s)), None)
        return ole.openstream(stream).read() if stream is not None else None


def xls_hidden_rows(path: Path) -> dict[str, XlsRows]:
    """Each sheet's hidden rows, filter and error cells (XlsRows), by sheet name; {} where no row is
    hidden and no cell holds an error, or the file cannot be followed (not OLE2, no Workbook stream,
    not BIFF8)."""
    try:
        data = _workbook_stream(path)
        return _rows_of(data) if data is not None else {}
    except Exception:  # a damaged stream: calamine's reading says what is wrong, or reads what it can
        return {}


def xls_password(path: Path) -> bool:
    """Whether an .xls has an opening password: its workbook stream's globals hold FILEPASS (after
    the BOF, before the sheets' BOUNDSHEET records). Looked at only where calamine cannot open it."""
    try:
        data = _workbook_stream(path, ("Workbook", "Book"))
        if data is None:
            return False
        for kind, _, _ in _records(data, 0):
            if kind == _FILEPASS:
                return True
            if kind in (_BOUNDSHEET, _EOF):
                return False
    except Exception:  # not OLE2, or a damaged stream: no password found
        return False
    return False


_DIMENSIONS, _SST, _CONTINUE = 0x0200, 0x00FC, 0x003C
_LABELSST, _LABEL, _RSTRING, _NUMBER, _RK, _MULRK = 0x00FD, 0x0204, 0x00D6, 0x0203, 0x027E, 0x00BD
# The records of a cell with a value (a BLANK's or MULBLANK's format alone gives calamine no cell).
_VALUE_CELLS = {_LABELSST, _LABEL, _RSTRING, _NUMBER, _RK, _MULRK, _BOOLERR, _FORMULA}


@dataclass
class XlsReach:
    """Of a sheet whose DIMENSIONS claim a large grid: the bytes of its records, and its cells with a
    value that reach farthest down and farthest right, (Excel row, column from 0, text)."""

    record_bytes: int
    far: list[tuple[int, int, str]] = field(default_factory=list)


def xls_reach(path: Path, large: int) -> dict[str, XlsReach]:
    """By sheet name, the reach of each worksheet whose DIMENSIONS record claims more than `large`
    cells (rows × columns), from its cell records: calamine builds a dense grid to the farthest cell,
    one stray '.' at IV65536 of six sheets was 9.5 GB. {} where none claims so much, or the stream
    cannot be followed (calamine's reading says what is wrong)."""
    try:
        data = _workbook_stream(path)
        return _reach_of(data, large) if data is not None else {}
    except Exception:
        return {}


def _reach_of(data: bytes, large: int) -> dict[str, XlsReach]:
    sheets: list[tuple[str, int, bool]] = []
    sst: list[bytes] = []  # the SST's body after its counts, and its CONTINUE records'
    last = None
    for kind, at, size in _records(data, 0):
        if kind == _BOF and at == 4 and struct.unpack_from("<H", data, at)[0] != _BIFF8:
            return {}
        if kind == _BOUNDSHEET:
            sheets.append((_sheet_name(data[at:at + size]), struct.unpack_from("<I", data, at)[0], data[at + 5] == 0))
        elif kind == _SST:
            sst.append(data[at + 8:at + size])
        elif kind == _CONTINUE and last == _SST:
            sst.append(data[at:at + size])
            kind = _SST
        elif kind == _EOF:
            break
        last = kind
    found: dict[str, XlsReach] = {}
    for name, start, worksheet in sheets:
        if not worksheet:
            continue
        deepest = widest = None  # (row from 0, column, kind, offset of the body)
        claimed = False
        for kind, at, size in _records(data, start):
            if kind == _DIMENSIONS and size >= 12:
                _, rows, _, columns = struct.unpack_from("<IIHH", data, at)
                claimed = rows * max(columns, 1) > large
                if not claimed:
                    break  # the walk costs a pass over the sheet's records: only where the grid may be huge
            elif kind in _VALUE_CELLS and size >= 6:
                row, col = struct.unpack_from("<HH", data, at)
                if kind == _MULRK:  # its last column closes the record
                    col = struct.unpack_from("<H", data, at + size - 2)[0]
                if deepest is None or row > deepest[0]:
                    deepest = (row, col, kind, at, size)
                if widest is None or col > widest[1]:
                    widest = (row, col, kind, at, size)
            elif kind == _EOF:
                if claimed:
                    cells = {cell for cell in (deepest, widest) if cell is not None}
                    found[name] = XlsReach(at - start, [(r + 1, c, _cell_text(data, k, a, n, sst))
                                                        for r, c, k, a, n in cells])
                break
    return found


def _cell_text(data: bytes, kind: int, at: int, size: int, sst: list[bytes]) -> str:
    """A cell record's value as text, for a message ('' where it cannot be told)."""
    try:
        if kind == _LABELSST:
            return _sst_string(sst, struct.unpack_from("<I", data, at + 6)[0])
        if kind in (_LABEL, _RSTRING):
            count, wide = struct.unpack_from("<H", data, at + 6)[0], data[at + 8] & 1
            text = data[at + 9:at + 9 + count * (2 if wide else 1)]
            return text.decode("utf-16-le") if wide else text.decode("latin-1")
        if kind == _NUMBER:
            return f"{struct.unpack_from('<d', data, at + 6)[0]:g}"
        if kind in (_RK, _MULRK):
            return f"{_rk(struct.unpack_from('<I', data, at + size - 6 if kind == _MULRK else at + 6)[0]):g}"
    except Exception:
        return ""
    return ""


def _rk(rk: int) -> float:
    if rk & 0x02:  # a signed 30-bit integer
        value = float(struct.unpack("<i", struct.pack("<I", rk))[0] >> 2)
    else:  # the high 30 bits of a double
        value = struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return value / 100 if rk & 0x01 else value


def _sst_string(segments: list[bytes], index: int) -> str:
    """The index-th string of the SST, read across its CONTINUE records (a string's characters that
    run on into one start with a byte saying whether they are one byte each or two)."""
    seg, pos = 0, 0

    def take(n: int) -> bytes:
        nonlocal seg, pos
        out = b""
        while len(out) < n:
            if pos >= len(segments[seg]):
                seg, pos = seg + 1, 0
            piece = segments[seg][pos:pos + n - len(out)]
            out, pos = out + piece, pos + len(piece)
        return out

    for i in range(index + 1):
        count, flags = struct.unpack("<HB", take(3))
        runs = struct.unpack("<H", take(2))[0] if flags & 0x08 else 0
        extra = struct.unpack("<I", take(4))[0] if flags & 0x04 else 0
        wide, chars = flags & 1, []
        while count:
            if pos >= len(segments[seg]):
                seg, pos = seg + 1, 0
                wide, pos = segments[seg][0] & 1, 1
            n = min(count, (len(segments[seg]) - pos) // (2 if wide else 1))
            piece = segments[seg][pos:pos + n * (2 if wide else 1)]
            chars.append(piece.decode("utf-16-le") if wide else piece.decode("latin-1"))
            pos, count = pos + len(piece), count - n
        take(4 * runs + extra)
        if i == index:
            return "".join(chars)
    return ""


def _rows_of(data: bytes) -> dict[str, XlsRows]:
    sheets: list[tuple[str, int, bool]] = []  # name, where its records start, whether a worksheet
    areas: dict[int, tuple[int, int]] = {}
    struck_fonts: set[int] = set()
    formats: list[int] = []  # each XF's font, in the order cells number them
    fonts = 0
    for kind, at, size in _records(data, 0):  # the globals: a few hundred records, the SST's among them
        if kind == _BOF and at == 4 and struct.unpack_from("<H", data, at)[0] != _BIFF8:
            return {}
        if kind == _BOUNDSHEET:  # numbered among every sheet (a NAME's sheet is), charts included
            sheets.append((_sheet_name(data[at:at + size]), struct.unpack_from("<I", data, at)[0], data[at + 5] == 0))
        elif kind == _NAME and (area := _filter_area(data[at:at + size])) is not None:
            areas[area[0]] = area[1]
        elif kind == _FONT and size >= 4:
            if struct.unpack_from("<H", data, at + 2)[0] & _FONT_STRUCK:
                struck_fonts.add(fonts if fonts < 4 else fonts + 1)  # BIFF8 numbers no font 4
            fonts += 1
        elif kind == _XF and size >= 2:
            formats.append(struct.unpack_from("<H", data, at)[0])
        elif kind == _EOF:  # the end of the workbook's globals
            break
    struck = frozenset(i for i, font in enumerate(formats) if font in struck_fonts)
    noted = _TXO_HEADER in data
    if not struck and not noted and \
            not any(like.search(data) for like in (_HIDDEN_ROW_LIKE, _ERROR_LIKE, _HIDDEN_COLUMN_LIKE)):
        return {}
    found: dict[str, XlsRows] = {}
    for number, (name, start, worksheet) in enumerate(sheets, 1):
        if worksheet:
            try:
                rows, filtered = _sheet_rows(data, start, struck, noted)
            except (struct.error, ValueError, IndexError):  # a sheet's records we cannot follow: its rows
                continue                                     # read as ever, unsaid; the others' said
            if filtered:
                rows.filter_rows = areas.get(number)
            found[name] = rows
    return found


def _sheet_rows(data: bytes, start: int, struck: frozenset[int], noted: bool) -> tuple[XlsRows, bool]:
    """One worksheet's XlsRows, its records (from its BOF at `start`) walked once, and whether a
    filter with a criterion is on. `struck`: the cell formats (XF indices) whose font is struck
    through; `noted`: whether the stream may hold comments."""
    rows, filtered = XlsRows(), False
    struck_at: dict[int, array] = {}  # column from 0 → Excel rows
    texts: dict[int, str] = {}  # a comment's object id → its text
    notes: list[tuple[int, int, int, str]] = []  # (Excel row, column, object id, author)
    note_object = text_of = None  # the comment OBJ just passed; the one whose TXO's CONTINUEs hold its text
    wanted, depth = 0, 0  # the text's characters still to come; BOFs not yet closed
    parts: list[str] = []
    cell = _CELL.unpack_from
    for kind, at, size in _records(data, start):
        if kind == _BOF:  # the sheet's own, or that of a chart on it, whose EOF does not end the sheet
            depth += 1
            continue
        if kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
            continue
        if depth > 1:  # a chart's own records (its series' cached values): none of the sheet's cells
            continue
        if struck and kind in _VALUE_CELLS and size >= 6:
            row, col, xf = cell(data, at)
            if kind == _MULRK:  # (XF, RK) for each column from the first, then the last column
                for k, (xf, _) in enumerate(_XF_RK.iter_unpack(data[at + 4:at + 4 + (size - 6) // 6 * 6])):
                    if xf in struck:
                        struck_at.setdefault(col + k, array("i")).append(row + 1)
            elif xf in struck:
                struck_at.setdefault(col, array("i")).append(row + 1)
        if kind == _ROW and size >= 16 and data[at + 12] & _ROW_HIDDEN:
            rows.hidden.append(struct.unpack_from("<H", data, at)[0] + 1)
        elif kind == _FILTERMODE:
            filtered = True
        elif kind == _COLINFO and size >= 10:
            first, last, _, _, options = struct.unpack_from("<HHHHH", data, at)
            if options & _COLUMN_HIDDEN and last - first < MANY_HIDDEN_COLUMNS:
                rows.hidden_columns.extend(range(first, last + 1))
        elif kind == _BOOLERR and size >= 8 and data[at + 7] == 1:
            row, col = struct.unpack_from("<HH", data, at)
            rows.errors[(row + 1, col)] = ERRORS.get(data[at + 6], "#N/A")
        elif kind == _FORMULA and size >= 14 and data[at + 6] == 2 and data[at + 12:at + 14] == b"\xff\xff":
            row, col = struct.unpack_from("<HH", data, at)
            rows.errors[(row + 1, col)] = ERRORS.get(data[at + 8], "#N/A")
        elif not noted:
            continue
        elif kind == _CONTINUE:
            if text_of is not None and wanted and size:
                # Each CONTINUE of a TXO's text starts with a byte: its characters are one byte or two.
                wide = data[at] & 1
                n = min(wanted, (size - 1) // (2 if wide else 1))
                piece = data[at + 1:at + 1 + n * (2 if wide else 1)]
                # A damaged text decodes with a replacement, never ends the walk: hidden rows and error
                # cells come from the same walk.
                parts.append(piece.decode("utf-16-le", "replace") if wide else piece.decode("latin-1"))
                wanted -= n
                if not wanted:
                    texts[text_of] = "".join(parts)
        elif kind == _OBJ and size >= 8 and struct.unpack_from("<HH", data, at) == (0x15, 0x12):  # ftCmo first
            ot, ident = struct.unpack_from("<HH", data, at + 4)
            note_object, text_of = (ident if ot == _OBJ_NOTE else None), None
        elif kind == _TXO and size >= 14:
            text_of, wanted, parts = note_object, struct.unpack_from("<H", data, at + 10)[0], []
            note_object = None
        elif kind == _NOTE and size >= 11:
            row, col, _, ident, count = struct.unpack_from("<HHHHH", data, at)
            wide = data[at + 10] & 1
            author = data[at + 11:at + 11 + count * (2 if wide else 1)]
            notes.append((row + 1, col, ident, author.decode("utf-16-le" if wide else "latin-1", "replace")))
    rows.struck_cells = {column_letter(col): found for col, found in struck_at.items()}
    for row, col, ident, author in notes:
        if text := comment_text(texts.get(ident, ""), author):
            rows.comments.append((row, column_letter(col), text))
    return rows, filtered
