"""An old web system's "Excel" export that is an HTML table (a .xls holding <table>…): its cells read as
the text the page holds. Opened in Excel or WPS and saved as .xlsx, an 18-digit ID cell of such a table
becomes a number (2.20122197106034E+17) and the ID is lost; read here, it stays as typed.

A page of several tables (a <table> per 1,000 rows, per village, or the header's apart from the body's, as
web data grids write it) is read as Excel opens it: the tables one under another on one sheet, a line of
text between them (a village's caption) a row of its own. A cell Excel wrote (x:num="8694.4") is read as
the number it stores, not the rounded text it shows (8,694). A "单个文件网页" (.mht, MIME) is read as the
page it holds.

The standard library is enough (no lxml): cells, rows, colspan and rowspan are all a table says."""

from __future__ import annotations

import codecs
import email
import email.policy
import html
import re
from pathlib import Path

from .errors import InputError
from .header import HEADER_SCAN_ROWS, Table, find_header
from .inputs import is_mime_page, text_encoding

# HTML's own white space (not the ideographic space a name may hold), run together as one space.
_SPACE = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The most a span may claim (the HTML standard's own limits, lower for rows): a stray rowspan="65534"
# must not make a sheet of blank rows.
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 10000


# A page's markup, token by token, each with the text before it (the cells' text): a comment, a
# script's, style's or title's whole element (no text a sheet shows), a tag (its name, and its
# attributes' text: quoted values may hold ">"), a doctype or processing instruction. One regular
# expression over the page and a loop over its tokens: Python's html.parser took 5 s over a
# 20,000-household export, this under 2.
_TOKEN = re.compile(r"""((?:[^<]+|<(?![A-Za-z/!?]))*)(?:<!--.*?(?:-->|\Z)|<(script|style|title)\b.*?(?:</\2\s*>|\Z)"""
                    r"""|<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>|<[!?][^>]*>|\Z)""", re.S | re.I)
_SPANS = re.compile(r"""\b(colspan|rowspan)\s*=\s*["']?\s*([0-9]+)""", re.I)
_CELL, _ROW, _BREAK = {"td", "th", "TD", "TH"}, {"tr", "TR"}, {"br", "p", "div", "BR", "P", "DIV"}
# Outside the tables, the tags that end a line of text (each line a row of its own, as Excel shows it).
_LINE_ENDS = {"br", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "hr", "center", "ul", "ol", "form",
              "body", "table"}
# The number Excel stored in a cell it wrote as a web page (x:num="8694.4"), its text being the number
# as its format shows it (8,694). Bare (x:num), the text is the number.
_XNUM = re.compile(r"""\bx:num\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
# What is read as that number: a plain decimal of at most 15 digits, as Excel writes a number it holds.
# Longer (an 18-digit ID Excel stored as a number: 2.20122195001101E+17, or a system's ID marked x:num)
# the text is kept, as the reader takes an ID's text (an ID turned into a number is said as one).
_STORED = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
_STORED_DIGITS = 15
# A number shown as a date or a time (x:num="43830" shown 2019/12/31): its text is what it means.
_DATE_SHOWN = re.compile(r"[0-9]\s*[-/:年月日时]")


def _cell_text(parts: list[str]) -> str:
    """A cell's text as a browser shows it: HTML's white space run together, a line per <br>."""
    text = "".join(parts)
    if "&" in text:
        text = html.unescape(text)
    text = _SPACE.sub(" ", text)  # "\x01" stands for a <br> (_pieces)
    return "\n".join(line.strip(" \xa0") for line in text.split("\x01")).strip("\n") if "\x01" in text \
        else text.strip(" \xa0")


def _stored_number(attrs: str) -> str | None:
    """The number Excel stored in a cell whose attributes are `attrs` (x:num="…"), or None: no x:num,
    a bare one (the text is the number), or one not read as a number (_STORED)."""
    found = _XNUM.search(attrs)
    if found is None:
        return None
    value = next((v for v in found.groups() if v is not None), "").strip()
    if not _STORED.fullmatch(value) or sum(map(str.isdigit, value)) > _STORED_DIGITS:
        return None
    return value


def _pieces(page: str) -> list[tuple[list[list[tuple[str, int, int]]], bool]]:
    """A page's tables and the lines of text outside them, in the order Excel puts them on a sheet,
    one under another: each (rows, whether a table's), each row a list of (text, colspan, rowspan); a
    line of text a row of one cell. A table inside a cell is a table of its own, its text not the
    cell's, its rows put where it stands: the outer table's rows above it, then its own, then the
    outer's from the row holding it. Closing tags left out (old exports omit </td> and </tr>) are
    closed where the next opens."""
    pieces: list[tuple[list, bool]] = []
    # The tables open, innermost last: [rows, row or None, cell parts or None, (colspan, rowspan, number)]
    stack: list[list] = []
    line: list[str] = []  # the text outside every table since the last line ended
    page = page.replace("\x01", " ")
    for data, _script, close, tag, attrs in _TOKEN.findall(page):
        if stack:
            top = stack[-1]
            if data and top[2] is not None:
                top[2].append(data)
        elif data:
            line.append(data)
        if not tag:
            continue
        if tag not in _CELL and tag not in _ROW and tag not in _BREAK:
            tag = tag.lower()
        if not stack and tag.lower() in _LINE_ENDS:
            _end_line(line, pieces)
        if tag == "table":
            if close:
                if stack:
                    _end_row(stack.pop())
            else:
                rows: list = []
                if stack:  # a table in a cell: the outer table goes on below it
                    outer = stack[-1]
                    at = next(i for i, (p, _) in enumerate(pieces) if p is outer[0]) + 1
                    outer[0] = []
                    pieces[at:at] = [(rows, True), (outer[0], True)]
                else:
                    pieces.append((rows, True))
                stack.append([rows, None, None, None])
            continue
        if not stack:
            continue
        top = stack[-1]
        if tag in _CELL:
            _end_cell(top)
            if not close:
                if top[1] is None:
                    top[1] = []
                top[2] = []
                if "span" in attrs or "SPAN" in attrs:
                    spans = {k.lower(): int(v) for k, v in _SPANS.findall(attrs)}
                    top[3] = (min(max(spans.get("colspan", 1), 1), _MAX_COLSPAN),
                              min(max(spans.get("rowspan", 1), 1), _MAX_ROWSPAN), None)
                else:
                    top[3] = (1, 1, None)
                if "x:" in attrs or "X:" in attrs:
                    top[3] = (*top[3][:2], _stored_number(attrs))
        elif tag in _ROW:
            _end_row(top)
            if not close:
                top[1] = []
        elif tag == "caption":  # a table's caption: a row of its own above it, as Excel shows it
            _end_row(top)
            if not close:
                top[1], top[2], top[3] = [], [], (1, 1, None)
        elif tag in _BREAK and top[2] is not None and not close:
            top[2].append("\x01")  # a line break, kept through the white space run together
    while stack:
        _end_row(stack.pop())
    _end_line(line, pieces)
    return [(rows, is_table) for rows, is_table in pieces if rows]


def _end_line(line: list[str], pieces: list) -> None:
    text = _cell_text(line) if line else ""
    if text:
        pieces.append(([[(text, 1, 1)]], False))
    line.clear()


def _end_cell(top: list) -> None:
    if top[2] is not None:
        text = _cell_text(top[2])
        colspan, rowspan, number = top[3]
        # The number Excel stored, not its rounded text; a date's or a time's text kept (_DATE_SHOWN).
        if number is not None and not _DATE_SHOWN.search(text):
            text = number
        top[1].append((text, colspan, rowspan))
        top[2] = None


def _end_row(top: list) -> None:
    _end_cell(top)
    if top[1] is not None:
        top[0].append(top[1])
        top[1] = None


def _laid_out(rows: list[list[tuple[str, int, int]]]) -> tuple[list[list[str]], list]:
    """A table's cells at the rows and columns a browser puts them (a cell spanning rows above takes
    its place), and its spans as merged ranges ((first row, column), (last row, column)), as calamine
    gives a workbook's: the text in the range's first cell, the others blank. A span goes no further
    than the table's last row, as a browser lays it out: the next table begins below it."""
    taken: dict[int, set[int]] = {}
    placed: list[tuple[int, int, str]] = []
    merges = []
    height = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for text, colspan, rowspan in row:
            while c in taken.get(r, ()):
                c += 1
            placed.append((r, c, text))
            if rowspan > 1:
                rowspan = min(rowspan, height - r)
            if colspan > 1 or rowspan > 1:
                merges.append(((r, c), (r + rowspan - 1, c + colspan - 1)))
                for rr in range(r, r + rowspan):
                    taken.setdefault(rr, set()).update(range(c, c + colspan))
            c += colspan
    width = max([c + 1 for _, c, _ in placed] + [e[1] + 1 for _, e in merges], default=0)
    grid = [[""] * width for _ in range(height)]
    for r, c, text in placed:
        grid[r][c] = text
    return grid, merges


def _decoded(data: bytes, said: str | None) -> tuple[str, str] | None:
    """(text, encoding) of a page in the encoding `said` (its <meta charset>, or its MIME part's),
    GBK's read as GB18030, which holds it; None where it does not read so."""
    try:
        encoding = codecs.lookup(said).name
        encoding = "gb18030" if encoding in ("gbk", "gb2312", "cp936") else encoding
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError):
        return None  # a page that says one encoding and is written in another


def _meta_charset(data: bytes) -> str | None:
    named = _CHARSET.search(data[:4096])
    return named.group(1).decode("ascii") if named is not None else None


def _mht_pages(data: bytes) -> list[tuple[str, str]]:
    """The web pages an .mht holds ((text, encoding) each, in its order), its quoted-printable or
    base64 decoded by the standard library's email package."""
    pages = []
    for part in email.message_from_bytes(data, policy=email.policy.compat32).walk():
        if part.get_content_type() != "text/html":
            continue
        body = part.get_payload(decode=True) or b""
        read = next(filter(None, (_decoded(body, said) for said in (part.get_content_charset(),
                                                                    _meta_charset(body), "utf-8", "gb18030")
                                  if said)), None)
        if read is not None:
            pages.append(read)
    return pages


def _page_texts(path: Path) -> list[tuple[str, str]]:
    """(the page's text, its encoding): the one its <meta charset> names where the page reads so,
    else as a text table's (inputs.text_encoding); of an .mht, each page it holds."""
    data = path.read_bytes()
    if is_mime_page(data[:512]):
        return _mht_pages(data)
    named = _meta_charset(data)
    read = _decoded(data, named) if named is not None else None
    if read is not None:
        return [read]
    encoding = text_encoding(path)
    return [(data.decode(encoding), encoding)]


def _stacked(laid: list[tuple[list[list[str]], list]]) -> tuple[list[list[str]], list]:
    """The pieces of a page, each laid out (_pieces, _laid_out), one under another as one grid, their
    merged ranges moved down with their rows."""
    grid: list[list[str]] = []
    merges = []
    for rows, spans in laid:
        top = len(grid)
        merges.extend(((r1 + top, c1), (r2 + top, c2)) for (r1, c1), (r2, c2) in spans)
        grid.extend(rows)
    width = max(map(len, grid), default=0)
    return [row if len(row) == width else row + [""] * (width - len(row)) for row in grid], merges


def _holds_header(grid: list[list[str]], merges: list, tables: tuple[Table, ...]) -> bool:
    head = grid[:HEADER_SCAN_ROWS]
    return any(find_header(head, table, merges) is not None for table in tables)


def html_table(path: Path, tables: tuple[Table, ...]) -> tuple[list[list[str]], list, str]:
    """(the rows of cell text, the merged ranges, the encoding) of a page's tables as Excel shows them:
    one under another on one sheet, a line of text between them a row (the reader skips a header
    repeated with the same columns, and reads a table below whose header puts the fields in other
    columns by its own). Where the header of one of `tables` is not in the rows the reader looks
    through for it (a page's menu tables above it), from the lines of text just above the first table
    holding it. An .mht holding several pages (a workbook's sheets) is read as its first page holding
    such a header, else its first. A page with no table at all is refused as what it is: a web page,
    not a table."""
    read = []
    for text, encoding in _page_texts(path):
        pieces = [(rows, is_table) for rows, is_table in _pieces(text) if any(any(c[0] for c in row) for row in rows)]
        if any(is_table for _, is_table in pieces):
            read.append(([(_laid_out(rows), is_table) for rows, is_table in pieces], encoding))
    if not read:
        raise InputError("html_no_table", file=path.name)
    for laid, encoding in read:
        grid, merges = _stacked([piece for piece, _ in laid])
        if _holds_header(grid, merges, tables):
            return grid, merges, encoding
        for k, (piece, is_table) in enumerate(laid):
            if is_table and k > 0 and _holds_header(*piece, tables):
                while k > 0 and not laid[k - 1][1]:  # its title lines with it
                    k -= 1
                grid, merges = _stacked([piece for piece, _ in laid[k:]])
                return grid, merges, encoding
    laid, encoding = read[0]
    grid, merges = _stacked([piece for piece, _ in laid])
    return grid, merges, encoding
