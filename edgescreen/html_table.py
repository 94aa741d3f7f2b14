"""An old web system's "Excel" export that is an HTML table (a .xls holding <table>…): its cells read as
the text the page holds. Opened in Excel or WPS and saved as .xlsx, an 18-digit ID cell of such a table
becomes a number (2.20122197106034E+17) and the ID is lost; read here, it stays as typed.

The standard library is enough (no lxml): cells, rows, colspan and rowspan are all a table says."""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

from .errors import InputError
from .header import HEADER_SCAN_ROWS, Table, find_header
from .inputs import text_encoding

# HTML's own white space (not the ideographic space a name may hold), run together as one space.
_SPACE = re.compile(r"[ \t\r\n\f]+")
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# The most a span may claim (the HTML standard's own limits, lower for rows): a stray rowspan="65534"
# must not make a sheet of blank rows.
_MAX_COLSPAN, _MAX_ROWSPAN = 1000, 10000


# A page's markup, token by token, each with the text before it (the cells' text): a comment, a
# script's or style's whole element (no cell's text), a tag (its name, and its attributes' text: quoted
# values may hold ">"), a doctype or processing instruction. One regular expression over the page and a
# loop over its tokens: Python's html.parser took 5 s over a 20,000-household export, this under 2.
_TOKEN = re.compile(r"""((?:[^<]+|<(?![A-Za-z/!?]))*)(?:<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\2\s*>|\Z)"""
                    r"""|<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"']+|"[^"]*"|'[^']*')*)>|<[!?][^>]*>|\Z)""", re.S | re.I)
_SPANS = re.compile(r"""\b(colspan|rowspan)\s*=\s*["']?\s*([0-9]+)""", re.I)
_CELL, _ROW, _BREAK = {"td", "th", "TD", "TH"}, {"tr", "TR"}, {"br", "p", "div", "BR", "P", "DIV"}


def _cell_text(parts: list[str]) -> str:
    """A cell's text as a browser shows it: HTML's white space run together, a line per <br>."""
    text = "".join(parts)
    if "&" in text:
        text = html.unescape(text)
    text = _SPACE.sub(" ", text)  # "\x01" stands for a <br> (_tables)
    return "\n".join(line.strip(" \xa0") for line in text.split("\x01")).strip("\n") if "\x01" in text \
        else text.strip(" \xa0")


def _tables(page: str) -> list[list[list[tuple[str, int, int]]]]:
    """Every <table> of a page, in the order they open: each a list of rows, each row a list of
    (text, colspan, rowspan). A table inside a cell is a table of its own, its text not the cell's.
    Closing tags left out (old exports omit </td> and </tr>) are closed where the next opens."""
    tables: list[list] = []
    stack: list[list] = []  # the tables open, innermost last: [rows, row or None, cell parts or None, spans]
    page = page.replace("\x01", " ")
    for data, _script, close, tag, attrs in _TOKEN.findall(page):
        if stack:
            top = stack[-1]
            if data and top[2] is not None:
                top[2].append(data)
        if not tag:
            continue
        if tag not in _CELL and tag not in _ROW and tag not in _BREAK:
            tag = tag.lower()
        if tag == "table":
            if close:
                if stack:
                    _end_row(stack.pop())
            else:
                tables.append([])
                stack.append([tables[-1], None, None, None])
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
                              min(max(spans.get("rowspan", 1), 1), _MAX_ROWSPAN))
                else:
                    top[3] = (1, 1)
        elif tag in _ROW:
            _end_row(top)
            if not close:
                top[1] = []
        elif tag in _BREAK and top[2] is not None and not close:
            top[2].append("\x01")  # a line break, kept through the white space run together
    while stack:
        _end_row(stack.pop())
    return tables


def _end_cell(top: list) -> None:
    if top[2] is not None:
        top[1].append((_cell_text(top[2]), *top[3]))
        top[2] = None


def _end_row(top: list) -> None:
    _end_cell(top)
    if top[1] is not None:
        top[0].append(top[1])
        top[1] = None


def _laid_out(rows: list[list[tuple[str, int, int]]]) -> tuple[list[list[str]], list]:
    """A table's cells at the rows and columns a browser puts them (a cell spanning rows above takes
    its place), and its spans as merged ranges ((first row, column), (last row, column)), as calamine
    gives a workbook's: the text in the range's first cell, the others blank."""
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
            if colspan > 1 or rowspan > 1:
                merges.append(((r, c), (r + rowspan - 1, c + colspan - 1)))
                for rr in range(r, r + rowspan):
                    taken.setdefault(rr, set()).update(range(c, c + colspan))
                height = max(height, r + rowspan)
            c += colspan
    width = max([c + 1 for _, c, _ in placed] + [e[1] + 1 for _, e in merges], default=0)
    grid = [[""] * width for _ in range(height)]
    for r, c, text in placed:
        grid[r][c] = text
    return grid, merges


def _page_text(path: Path) -> tuple[str, str]:
    """(the page's text, its encoding): the one its <meta charset> names where the page reads so
    (GBK's pages as GB18030, which holds it), else as a text table's (inputs.text_encoding)."""
    data = path.read_bytes()
    named = _CHARSET.search(data[:4096])
    if named is not None:
        try:
            encoding = codecs.lookup(named.group(1).decode("ascii")).name
            encoding = "gb18030" if encoding in ("gbk", "gb2312", "cp936") else encoding
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass  # a page that says one encoding and is written in another
    encoding = text_encoding(path)
    return data.decode(encoding), encoding


def html_table(path: Path, tables: tuple[Table, ...]) -> tuple[list[list[str]], list, str]:
    """(the rows of cell text, the merged ranges, the encoding) of the page's first table holding the
    header of one of `tables`; where none does, of its largest (the reader then says which headers it
    saw). A page with no table at all is refused as what it is: a web page, not a table."""
    text, encoding = _page_text(path)
    laid = [_laid_out(rows) for rows in _tables(text) if any(rows)]
    laid = [(grid, merges) for grid, merges in laid if any(any(row) for row in grid)]
    if not laid:
        raise InputError("html_no_table", file=path.name)
    for grid, merges in laid:
        head = grid[:HEADER_SCAN_ROWS]
        if any(find_header(head, table, merges) is not None for table in tables):
            return grid, merges, encoding
    grid, merges = max(laid, key=lambda g: sum(map(len, g[0])))
    return grid, merges, encoding
