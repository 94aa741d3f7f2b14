"""Tables' rows made as sheet XML a column at a time (`cells`, `rows_xml`): every table a workbook
of edgescreen holds (xlsx.TableSheet, through write_table), and long tables joined to their sheets
after the workbook is closed (`LongTables`, below).

xlsxwriter writes a cell with a dozen Python calls, about 10 µs: a quality report listing a hundred
thousand issues has 1.4 million cells, 15 seconds. Here xlsxwriter writes everything of the sheet but
the table's rows (titles, header, formats, column widths, filter, panes, print setup); the rows are
made as XML text column by column, with one join per row, and put into the sheet's <sheetData> when
the workbook is saved (a long table's streamed into the zip a slice at a time, after it is closed).
Text goes in as inline strings, which a spreadsheet never runs as a formula; numbers as numbers; a
blank cell keeps its format (borders).

    tables = LongTables(book)
    ws = book.add_worksheet("问题清单")
    ...header with xlsxwriter...
    tables.add(ws, first_row, [LongColumn("message", formats["wrap"]), ...], frame)
    tables.close(path)           # instead of book.close()
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_cell_to_rowcol

from ..inputs import column_letter

# Rows made and compressed at a time: some 20 MB of XML text.
_SLICE = 20_000
# zlib's fastest level: a tenth of the XML's size, at some 100 MB of XML a second.
_LEVEL = 1
# Characters a cell holds at most (Excel's limit).
TEXT_MAX = 32_767
# Rows a sheet holds at most (Excel's limit): a longer table goes on on another sheet (quality, request).
MAX_SHEET_ROWS = 1_048_576
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
# Characters XML 1.0 cannot hold, and text that looks like Excel's own escape for them (_x000D_),
# written as Excel writes them: _xHHHH_.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def sheet_parts(total: int, above: int, below: int = 0, *, part_lines: int = 1) -> tuple[int, int]:
    """How many sheets a table of `total` rows takes, and the rows each holds, where `above` rows (its
    lines and header) go above it and `below` after it: one sheet while Excel's row limit allows, else
    as many as it asks for, each with `part_lines` more above (the line saying which part it is, and
    the blank row under it where the sheet had no lines)."""
    capacity = MAX_SHEET_ROWS - above - below
    if total > capacity:
        capacity -= part_lines
    return max(1, -(-total // capacity)), capacity


def _excel_escape(match: re.Match) -> str:
    text = match.group(0)
    return "_x005F" + text if len(text) > 1 else f"_x{ord(text):04X}_"


@dataclass
class LongColumn:
    """A column of a long table: the frame's key of its values, its cell format, and formats chosen
    by value (an error in red)."""

    key: str
    fmt: object
    by_value: dict | None = None
    plain: bool = False  # the program's own words and codes: nothing to escape, no space at either end


@dataclass
class _Table:
    ws: object
    first_row: int
    columns: list[LongColumn]
    frame: pd.DataFrame
    heights: np.ndarray | None = None


@dataclass
class LongTables:
    """Tables whose rows join their sheets when the workbook is closed (see the module docstring)."""

    book: object
    tables: list[_Table] = field(default_factory=list)

    def add(self, ws, first_row: int, columns: list[LongColumn], frame: pd.DataFrame,
            heights=None) -> int:
        """Rows of `frame` (its `columns`) from `first_row` (0-based) of `ws`, which must write
        nothing there itself. `heights` sets each row's height in points. Returns the next free row."""
        numbered([fmt for column in columns for fmt in [column.fmt, *(column.by_value or {}).values()]])
        self.tables.append(_Table(ws, first_row, columns, frame,
                                  None if heights is None else np.asarray(heights, dtype=float)))
        return first_row + len(frame)

    def close(self, path: Path) -> None:
        """Close the workbook into `path`, then put every table's rows into its sheet."""
        self.book.close()
        if not any(len(t.frame) for t in self.tables):
            return
        numbers = {}
        n = 0
        for ws in self.book.worksheets():
            if not getattr(ws, "is_chartsheet", False):
                n += 1
                numbers[id(ws)] = n
        by_sheet: dict[str, list[_Table]] = {}
        for table in self.tables:
            if len(table.frame):
                by_sheet.setdefault(f"xl/worksheets/sheet{numbers[id(table.ws)]}.xml", []).append(table)
        path = Path(path)
        patched = path.with_name(path.name + ".rows")
        try:
            with zipfile.ZipFile(path) as source, \
                    zipfile.ZipFile(patched, "w", zipfile.ZIP_DEFLATED, compresslevel=_LEVEL) as target:
                for item in source.infolist():
                    data = source.read(item.filename)
                    tables = by_sheet.get(item.filename)
                    if tables is None:
                        target.writestr(item, data)
                        continue
                    info = zipfile.ZipInfo(item.filename, date_time=item.date_time)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    # ZipInfo's level: compress_level from Python 3.13, _compresslevel before it.
                    setattr(info, "compress_level" if hasattr(info, "compress_level") else "_compresslevel", _LEVEL)
                    with target.open(info, "w", force_zip64=True) as out:
                        _write_sheet(out, data.decode("utf-8"), sorted(tables, key=lambda t: t.first_row))
            os.replace(patched, path)
        finally:
            if patched.exists():
                patched.unlink()


def _write_sheet(out, xml: str, tables: list[_Table]) -> None:
    """The sheet's XML with each table's rows put into <sheetData> where they belong: before the first
    row xlsxwriter wrote below the table (a list's count and seal lines after its last part), else at
    the end; rows out of order are content Excel repairs. Its dimension widened to them."""
    last_row = max(t.first_row + len(t.frame) for t in tables)
    last_col = max(len(t.columns) for t in tables) - 1
    used = re.search(r'<dimension ref="(?:[A-Z]+\d+:)?([A-Z]+\d+)"/>', xml)
    if used is not None:  # what xlsxwriter wrote past the tables (rows below, columns wider) kept in it
        row, col = xl_cell_to_rowcol(used.group(1))
        last_row, last_col = max(last_row, row + 1), max(last_col, col)
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{column_letter(last_col)}{last_row}"/>', xml, count=1)
    if "<sheetData/>" in xml:
        head, tail = xml.split("<sheetData/>", 1)
        head, body, tail = head + "<sheetData>", "", "</sheetData>" + tail
    else:
        head, rest = xml.split("<sheetData>", 1)
        head += "<sheetData>"
        body, tail = rest.split("</sheetData>", 1)
        tail = "</sheetData>" + tail
    out.write(head.encode("utf-8"))
    # xlsxwriter's own rows, 1-based numbers in order: each table goes before the first one below it.
    starts = [(int(m.group(1)), m.start()) for m in re.finditer(r'<row r="(\d+)"', body)]
    at = 0
    for table in tables:
        below = next((pos for number, pos in starts if number > table.first_row + len(table.frame) and pos >= at),
                     len(body))
        out.write(body[at:below].encode("utf-8"))
        at = below
        for start in range(0, len(table.frame), _SLICE):
            out.write(_rows(table, start, min(start + _SLICE, len(table.frame))).encode("utf-8"))
    out.write(body[at:].encode("utf-8"))
    out.write(tail.encode("utf-8"))


def _xml_text(values: np.ndarray) -> np.ndarray:
    """Text escaped for XML, looked at value by value only where a scan of the whole column hits."""
    joined = "\n".join(values.tolist())
    if any(char in joined for char, _ in _ESCAPES):
        values = values.copy()
        hit = np.flatnonzero([("&" in v or "<" in v or ">" in v) for v in values.tolist()])
        for i in hit:
            v = values[i]
            for char, entity in _ESCAPES:
                v = v.replace(char, entity)
            values[i] = v
    if _UNSAFE.search(joined):
        values = np.array([_UNSAFE.sub(_excel_escape, v) for v in values.tolist()], dtype=object)
    return values


# XML's own white space: at either end of a text, Excel keeps it only under xml:space="preserve".
_EDGE_SPACE = frozenset(" \t\n\r")


def _preserved(values: list[str]) -> list[bool] | None:
    """Which texts begin or end with white space (None: none does)."""
    edges = [v[:1] in _EDGE_SPACE or v[-1:] in _EDGE_SPACE for v in values]
    return edges if any(edges) else None


def numbered(formats) -> None:
    """Number the formats now, as xlsxwriter numbers a format when a cell first uses it: cells made
    here must find theirs in the workbook's styles when it is written."""
    for fmt in formats:
        fmt._get_xf_index()


def _style(fmt) -> str:
    index = fmt._get_xf_index() if fmt is not None else 0
    return f' s="{index}"' if index else ""


def column_kind(column: pd.Series) -> str:
    """How a column's cells are written, from its dtype and (for objects) one scan in C: "number",
    "number_or_blank" (NaN blank), "text", "text_or_blank" ('' blank), or "any" when only each
    value can tell (`any_value`)."""
    if pd.api.types.is_bool_dtype(column.dtype):
        return "any"  # True/False are written as text
    if pd.api.types.is_numeric_dtype(column.dtype):
        return "number_or_blank" if column.hasnans else "number"
    if column.dtype != object and not isinstance(column.dtype, pd.StringDtype):
        return "any"  # dates, categories: only each value can tell
    # On the values, not the Series: the same scans without a Series made for each (a table's column
    # each time it is written, some hundreds in a small run).
    values = column.to_numpy(dtype=object)
    if pd.isna(values).any():
        return "any"
    if isinstance(column.dtype, pd.StringDtype) or pd.api.types.infer_dtype(values, skipna=False) == "string":
        return "text_or_blank" if (values == "").any() else "text"
    return "any"


def column_values(column: pd.Series, kind: str) -> list:
    """A column's values as the cells of its `kind` take them: floats (NaN blank) for numbers."""
    if kind.startswith("number"):
        return column.to_numpy(dtype=float, na_value=np.nan).tolist()
    return column.tolist()


def any_value(value):
    """A value whose kind only it can tell, as its cell holds it: text as it is, numbers as floats,
    True/False as text, None for a blank (None, NA, NaN), anything else as its text (never a
    formula: text is written as text)."""
    if value.__class__ is str:
        return value
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (bool, np.bool_)):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    return str(value)


def _number(value: float) -> str:
    return repr(int(value)) if value.is_integer() else repr(value)


def cells(kind: str, values: list, fmt, by_value: dict | None = None, plain: bool = False) -> list[str]:
    """The <c> elements of one column of `kind` (column_kind; "blank" for a column of none), one per
    value. Cells carry no reference: each follows the one before it in its row, as the format
    allows, so a column's cells are the same text for every row but their value. `fmt` is the
    cell format; `by_value` formats some values otherwise (an error in red); `plain` text is the
    program's own words and codes: nothing to escape, no space at either end."""
    style = _style(fmt)
    styles = None
    if by_value:
        chosen = {value: _style(f) for value, f in by_value.items()}
        styles = [chosen.get(v, style) for v in values]
    if kind != "any":
        return _cells(kind, values, style, styles, plain)
    values = list(map(any_value, values))
    is_number = [v.__class__ is float for v in values]
    if not any(is_number):
        return _cells("text_or_blank", ["" if v is None else v for v in values], style, styles, plain)
    # Numbers among text: each kind made apart, with its cells' formats, then put back in place.
    styles = styles or [style] * len(values)
    numbers = iter(_cells("number", [v for v, k in zip(values, is_number) if k], style,
                          [s for s, k in zip(styles, is_number) if k], plain))
    texts = iter(_cells("text_or_blank", ["" if v is None else v for v, k in zip(values, is_number) if not k], style,
                        [s for s, k in zip(styles, is_number) if not k], plain))
    return [next(numbers) if k else next(texts) for k in is_number]


def _cells(kind: str, values: list, style: str, styles: list[str] | None, plain: bool) -> list[str]:
    """`cells` of one kind (not "any"), with one format for all (`style`) or one each (`styles`)."""
    n = len(values)
    if kind == "blank":
        return [f"<c{s}/>" for s in styles] if styles else [f"<c{style}/>"] * n
    if kind.startswith("number"):
        text = [None if v != v else _number(v) for v in values]
        if styles is None:
            return [f"<c{style}/>" if t is None else f"<c{style}><v>{t}</v></c>" for t in text]
        return [f"<c{s}/>" if t is None else f"<c{s}><v>{t}</v></c>" for t, s in zip(text, styles)]
    if n and max(map(len, values)) > TEXT_MAX:  # what a cell holds at most; xlsxwriter cuts there too
        values = [v[:TEXT_MAX] for v in values]
    text = values if plain else _xml_text(np.array(values, dtype=object)).tolist()
    preserve = None if plain else _preserved(text)
    if preserve is None and styles is None:
        blank, head, tail = f"<c{style}/>", f'<c{style} t="inlineStr"><is><t>', "</t></is></c>"
        return [f"{head}{t}{tail}" if t else blank for t in text]
    styles = styles or [style] * n
    preserve = preserve or [False] * n
    spaces = ('', ' xml:space="preserve"')
    return [f'<c{s} t="inlineStr"><is><t{spaces[p]}>{t}</t></is></c>' if t else f"<c{s}/>"
            for t, s, p in zip(text, styles, preserve)]


def rows_xml(first_row: int, columns: list[list[str]], heights: list | None = None) -> str:
    """<row> elements from `first_row` (0-based) holding the cells of `columns` (each a list of
    <c> elements, as `cells` makes them), each row `heights` points high where given."""
    n = len(columns[0]) if columns else 0
    numbers = range(first_row + 1, first_row + 1 + n)
    if heights is None:
        opens = [f'<row r="{r}">' for r in numbers]
    else:
        opens = [f'<row r="{r}">' if h is None else f'<row r="{r}" ht="{h:g}" customHeight="1">'
                 for r, h in zip(numbers, heights)]
    return "".join(itertools.chain.from_iterable(zip(opens, *columns, itertools.repeat("</row>"))))


def _rows(table: _Table, start: int, stop: int) -> str:
    """Rows start:stop of a table as <row> elements."""
    part = table.frame.iloc[start:stop]
    made = []
    for column in table.columns:
        if column.key in part.columns:
            kind = column_kind(part[column.key])
            values = column_values(part[column.key], kind)
        else:
            kind, values = "blank", [None] * len(part)
        made.append(cells(kind, values, column.fmt, column.by_value, column.plain))
    heights = None if table.heights is None else table.heights[start:stop].tolist()
    return rows_xml(table.first_row + start, made, heights)
