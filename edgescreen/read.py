"""Read survey files into one DataFrame of cell text, one row per household, with provenance.

Workbooks (.xlsx .xlsm .xls .ods) come parsed from workbook.py, CSV is read through pandas after the
encoding is settled (strict UTF-8 first, with or without BOM, then GB18030). Every cell is kept as
text. The header is found by header.py; total, blank and footer rows are dropped and recorded. Each
household keeps its file, sheet and Excel row number.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np
import pandas as pd

from .catalogue import Phrase, fields
from .errors import InputError
from .header import (
    HEADER_SCAN_ROWS,
    ColumnRef,
    HeaderMatch,
    check_columns,
    column_letter,
    find_header,
)
from .inputs import (
    CSV_SUFFIXES,
    SUPPORTED_SUFFIXES,
    Background,
    file_sha256,
    sniff_file,
    text_encoding,
)
from .rules import RuleSet
from .workbook import ParsedWorkbook, parse_workbook

# Cell text is held in pandas' own (Python) string storage, named explicitly: with pyarrow installed
# pandas would otherwise pick Arrow storage for "string", and with it other regex and NA rules.
TEXT = pd.StringDtype("python")


class WorkbookSource(Protocol):
    """Where parsed workbooks come from: `take(path)` returns the workbook parsed (or raises its
    error). The command line passes one that parses ahead in a background thread (runtime.py)."""

    def take(self, path: Path) -> ParsedWorkbook: ...


class ParseWhenAsked:
    """The plain WorkbookSource: each workbook is parsed when the reader asks for it."""

    def take(self, path: Path) -> ParsedWorkbook:
        return parse_workbook(path)


@dataclass
class SheetInfo:
    name: str
    header_rows: tuple[int, int]  # Excel rows, inclusive
    columns: dict[str, ColumnRef]
    unknown_columns: list[str]
    households: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)  # (Excel row, reason)


@dataclass
class InputFile:
    path: Path
    sha256: str
    kind: str
    encoding: str | None = None
    sheets: list[SheetInfo] = field(default_factory=list)
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)  # (sheet, reason)
    # Formula cells of household rows that carry no saved value: (sheet, cell such as "M12").
    formula_cells_without_value: list[tuple[str, str]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def households(self) -> int:
        return sum(s.households for s in self.sheets)


# ---------------------------------------------------------------------------------------------
# Cells to text


def _cells_as_text(values: np.ndarray) -> np.ndarray:
    """One column of cells (str, float, int, bool, dates, None) as stripped text, '' for a blank.

    Whole numbers lose their '.0' (Excel stores 1200 as 1200.0), below 1e16 where a float still
    prints as digits; larger ones and fractions print as Python prints the float (2.2e+17: an ID
    Excel has turned into a number stays recognisable as one). Work is per type, not per cell.
    """
    values = np.asarray(values, dtype=object)
    n = len(values)
    if pd.api.types.infer_dtype(values, skipna=False) == "string":  # all text: one C-level look
        return np.fromiter(map(str.strip, values), dtype=object, count=n)
    types = np.fromiter(map(type, values), dtype=object, count=n)
    is_str = types == str
    out = np.full(n, "", dtype=object)
    if is_str.any():
        out[is_str] = np.fromiter(map(str.strip, values[is_str]), dtype=object, count=int(is_str.sum()))
    is_float = types == float
    if is_float.any():
        codes, numbers = pd.factorize(values[is_float].astype(np.float64), use_na_sentinel=False)
        numbers = np.asarray(numbers)
        whole = np.isfinite(numbers) & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e16)
        text = np.empty(len(numbers), dtype=object)
        text[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
        text[~whole] = list(map(str, numbers[~whole].tolist()))
        text[np.isnan(numbers)] = ""
        out[is_float] = text[codes]
    other = ~is_str & ~is_float & (types != type(None))
    if other.any():  # int, bool, datetime, date, time, timedelta: as Python prints them
        out[other] = [str(v).strip() for v in values[other]]
    return out


def _row_words(prefixes: tuple[str, ...], words: tuple[str, ...] = ("",)) -> tuple[str, tuple[str, ...]]:
    """(pattern anchored at the start, the first characters a match can begin with)."""
    alternatives = "|".join(re.escape(p) for p in prefixes if p)
    pattern = "^" + (f"(?:{alternatives})" + ("?" if "" in prefixes else "") if alternatives else "") + \
        ("(?:" + "|".join(re.escape(w) for w in words) + ")" if any(words) else "")
    firsts = {p[0] for p in prefixes if p} | ({w[0] for w in words if w} if "" in prefixes or not alternatives else set())
    return pattern, tuple(sorted(firsts))


def _label_matches(values: np.ndarray, patterns: list[tuple[str, tuple[str, ...]]]) -> list[np.ndarray]:
    """For each (pattern, first characters) of `patterns`: which values (stripped text; spaces inside
    ignored) match the pattern at their start. One pass over the column finds the values that begin
    with any of the first characters; only those are tried, once per distinct value (a township
    named 合隆镇 begins like 合计 on every row of its villages)."""
    hits = [np.zeros(len(values), dtype=bool) for _ in patterns]
    firsts = tuple(sorted({ch for _, chars in patterns for ch in chars}))
    maybe = np.fromiter(map(str.startswith, values, itertools.repeat(firsts)), dtype=bool, count=len(values))
    if maybe.any():
        codes, distinct = pd.factorize(values[maybe])
        squeezed = pd.Series(distinct, dtype=object).str.replace(r"\s+", "", regex=True)
        for hit, (pattern, _) in zip(hits, patterns):
            hit[maybe] = squeezed.str.contains(pattern, regex=True).to_numpy(dtype=bool)[codes]
    return hits


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


@dataclass
class _Grid:
    """A sheet's cells as columns of Python objects, row 0 being Excel row 1."""
    columns: list[np.ndarray]
    rows: int

    @classmethod
    def from_rows(cls, rows: list[list]) -> _Grid:
        if not rows:
            return cls([], 0)
        try:
            block = np.array(rows, dtype=object)
        except ValueError:  # ragged rows: pad them
            width = max(map(len, rows))
            block = np.array([list(r) + [""] * (width - len(r)) for r in rows], dtype=object)
        if block.ndim != 2:
            block = block.reshape(len(rows), -1)
        return cls(list(block.T), len(rows))._trimmed()

    def _trimmed(self) -> _Grid:
        """Without the blank rows at the bottom: a used range can claim a million rows for one
        stray cell, and only the rows above the last one with content are worth converting."""
        if self.rows == 0 or any(_filled(col[-1]) for col in self.columns):
            return self
        filled = np.zeros(self.rows, dtype=bool)
        for col in self.columns:
            filled |= (col != "") & (col != None)  # noqa: E711 — elementwise on an object array
        last = -1
        for r in np.flatnonzero(filled)[::-1]:  # a cell of only spaces is blank too
            if any(_filled(col[r]) for col in self.columns):
                last = r
                break
        self.columns = [col[: last + 1] for col in self.columns]
        self.rows = last + 1
        return self

    @property
    def width(self) -> int:
        return len(self.columns)

    def head(self, n: int) -> list[list[str]]:
        texts = [_cells_as_text(col[:n]) for col in self.columns]
        return [[col[r] for col in texts] for r in range(min(n, self.rows))]

    def text(self, index: int, start: int) -> np.ndarray:
        if index >= self.width:
            return np.full(max(0, self.rows - start), "", dtype=object)
        return _cells_as_text(self.columns[index][start:])


def _frame_from_grid(grid: _Grid, first_data_row: int, match: HeaderMatch, info: SheetInfo,
                     formulas: dict[tuple[int, int], str] | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Households of one sheet: raw text per field, Excel row numbers, non-household rows dropped.
    Also returns the Excel row number of every household kept."""
    n = max(0, grid.rows - first_data_row)
    excel_rows = np.arange(first_data_row + 1, first_data_row + 1 + n)
    raw = {name: grid.text(ref.index, first_data_row) for name, ref in match.columns.items()}
    if formulas:
        kinds = {f.name: f.kind for f in fields().field}
        by_column = {ref.index: name for name, ref in match.columns.items()}
        for (row, col), formula in formulas.items():
            name = by_column.get(col)
            if name is not None and first_data_row < row <= grid.rows:
                # Not silently 0 or blank: a number, count, yes/no or ID cell shows its formula and
                # fails to parse (an error); a text cell is left blank (an error where required).
                raw[name][row - 1 - first_data_row] = "" if kinds[name] == "text" else formula

    # Where a total or footer row says so: the columns left of the first field (序号), and the text
    # fields that come first on a form (not notes, which may hold any words).
    first_col = min(ref.index for ref in match.columns.values())
    left = [grid.text(c, first_data_row) for c in range(first_col)]
    # A row with no field filled is no household (a pre-numbered empty line of the form); it is
    # reported as a total or footer row when its 序号 column says so.
    blank = np.ones(n, dtype=bool)
    for values in raw.values():
        blank &= values == ""
    empty = blank.copy()
    for values in left:
        empty &= values == ""
    label_cols = list(left)
    label_cols += [raw[f] for f in ("township", "village", "group", "household_id", "head_name") if f in raw]
    words = fields().rows
    total = _row_words(("", *words.total_prefixes), words.total_words)
    footer = _row_words(words.footer_prefixes)
    is_total = np.zeros(n, dtype=bool)
    starts_footer = np.zeros(n, dtype=bool)
    for values in label_cols:
        total_here, footer_here = _label_matches(values, [total, footer])
        is_total |= total_here
        starts_footer |= footer_here
    no_head = np.ones(n, dtype=bool)
    for f in ("head_id", "head_name"):
        if f in raw:
            no_head &= raw[f] == ""
    # Lines after a footer (填表说明 numbered 1. 2. …) are footer too unless they name a head.
    after_footer = np.maximum.accumulate(starts_footer) & no_head if n else starts_footer
    is_footer = (starts_footer | after_footer) & ~is_total
    keep = ~(blank | is_total | is_footer)

    for mask, reason in ((is_total & ~empty, "total"), (is_footer & ~empty, "footer")):
        info.skipped_rows.extend((int(r), reason) for r in excel_rows[mask])
    # The text arrays are taken as they are (every value is str): no copy of a million
    # pointers per column, and each raw array is let go as soon as its column is built.
    everything = bool(keep.all())
    columns = {}
    for name in list(raw):
        values = raw.pop(name)
        columns[name] = pd.array(values if everything else values[keep], dtype=TEXT, copy=False)
    frame = pd.DataFrame(columns, copy=False)
    frame.insert(0, "row", excel_rows[keep])
    info.households = len(frame)
    return frame, excel_rows[keep]


def _read_workbook(path: Path, parsed: ParsedWorkbook, rules: RuleSet, record: InputFile) -> list[pd.DataFrame]:
    frames = []
    while parsed.sheets:
        name, sheet = parsed.sheets.pop(0)  # let go of each sheet's cells once converted
        if isinstance(sheet, InputError):
            raise sheet
        try:
            grid = _Grid.from_rows(sheet.to_python(skip_empty_area=False))
        except Exception as exc:
            raise InputError("sheet_unreadable", file=path.name, sheet=name, kind=type(exc).__name__) from None
        del sheet
        formulas = (parsed.formulas.result() if parsed.formulas else {}).get(name)
        frame = _read_grid(path, name, grid, rules, record, formulas)
        if frame is not None:
            frames.append(frame)
    return frames


MAX_CSV_COLUMNS = 16_384  # Excel's own limit: a wider "survey" is something else


def _csv_width(path: Path, chunk_size: int = 1 << 24) -> int:
    """The most fields in any record: commas outside quotes, counted up to each line break outside
    quotes (a quoted comma or line break is text, RFC 4180). Counted with numpy over chunks."""
    width = 0
    carry = 0  # separators in the record that runs on past the chunk
    inside = 0  # whether the chunk starts inside a quoted field
    with path.open("rb") as fh:
        while chunk := fh.read(chunk_size):
            data = np.frombuffer(chunk, dtype=np.uint8)
            if b'"' in chunk:
                quoted = np.bitwise_xor.accumulate((data == 34).view(np.uint8)) ^ inside
                inside = int(quoted[-1])
                outside = quoted == 0
                commas = np.flatnonzero((data == 44) & outside)
                ends = np.flatnonzero((data == 10) & outside)
            elif inside:  # all of it inside one quoted field
                continue
            else:
                commas = np.flatnonzero(data == 44)
                ends = np.flatnonzero(data == 10)
            if len(ends) == 0:
                carry += len(commas)
                width = max(width, carry)
                continue
            per_record = np.diff(np.searchsorted(commas, ends), prepend=0)
            per_record[0] += carry
            width = max(width, int(per_record.max()))
            carry = len(commas) - int(np.searchsorted(commas, ends[-1]))
            width = max(width, carry)
    return width + 1


def _read_csv(path: Path, rules: RuleSet, record: InputFile) -> list[pd.DataFrame]:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise InputError("file_empty", file=path.name)
    if b"\x00" in head:
        raise InputError("csv_binary", file=path.name)
    record.encoding = text_encoding(path)
    width = _csv_width(path)
    if width > MAX_CSV_COLUMNS:
        raise InputError("csv_too_wide", file=path.name, width=f"{width:,}", limit=f"{MAX_CSV_COLUMNS:,}")
    # The width counted above treats every quote as a quote; pandas' parser takes a quote inside an
    # unquoted field as text, so a record can come out wider. Widen and try again.
    while True:
        try:
            table = pd.read_csv(path, header=None, names=range(width), dtype=object, encoding=record.encoding,
                                keep_default_na=False, na_filter=False, skip_blank_lines=False, engine="c")
            break
        except pd.errors.ParserError as exc:
            if width >= MAX_CSV_COLUMNS:
                raise InputError("csv_unreadable", file=path.name, kind=type(exc).__name__) from None
            width = min(MAX_CSV_COLUMNS, width * 2)
        except ValueError as exc:
            raise InputError("csv_unreadable", file=path.name, kind=type(exc).__name__) from None
    grid = _Grid([table[c].to_numpy(dtype=object) for c in table.columns], len(table))
    del table
    frame = _read_grid(path, "", grid._trimmed(), rules, record)
    return [] if frame is None else [frame]


def _read_grid(path: Path, sheet: str, grid: _Grid, rules: RuleSet, record: InputFile,
               formulas: dict[tuple[int, int], str] | None = None) -> pd.DataFrame | None:
    if grid.rows == 0 or grid.width == 0:
        record.skipped_sheets.append((sheet, "empty"))
        return None
    found = find_header(grid.head(HEADER_SCAN_ROWS), rules)
    if found is None:
        record.skipped_sheets.append((sheet, "no household header"))
        return None
    first, last, match = found
    check_columns(path, sheet, match, rules)
    info = SheetInfo(sheet, (first + 1, last + 1), match.columns, match.unknown)
    frame, rows = _frame_from_grid(grid, last + 1, match, info, formulas)
    if formulas:
        kept = set(rows.tolist())
        fields_at = {ref.index for ref in match.columns.values()}
        record.formula_cells_without_value.extend(
            (sheet, f"{column_letter(col)}{row}") for row, col in sorted(formulas)
            if row in kept and col in fields_at)
    record.sheets.append(info)
    frame.insert(0, "sheet", sheet)
    frame.insert(0, "source_file", path.name)
    frame.insert(3, "sheet_key", f"{path.name}\x1f{sheet}")
    return frame


def read_file(path: Path, rules: RuleSet, workbooks: WorkbookSource | None = None) -> tuple[pd.DataFrame, InputFile]:
    """One survey file → (households as cell text with provenance, what was found in the file). A
    workbook is taken from `workbooks` (by default, parsed now)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError("file_type_unsupported", file=path.name, types=" ".join(sorted(SUPPORTED_SUFFIXES)))
    if suffix in CSV_SUFFIXES:
        sniff_file(path)
    digest = Background(file_sha256, path)  # hashlib lets go of the GIL: the hash costs no wall time
    record = InputFile(path=path, sha256="", kind=suffix.lstrip("."))
    if suffix in CSV_SUFFIXES:
        frames = _read_csv(path, rules, record)
    else:
        frames = _read_workbook(path, (workbooks or ParseWhenAsked()).take(path), rules, record)
    record.sha256 = digest.result()
    if not frames:
        sheets = ", ".join(f"「{s}」" for s, _ in record.skipped_sheets if s)
        raise InputError("no_household_header", file=path.name,
                         sheets=Phrase("sheets_looked_at", sheets=sheets) if sheets else "")
    households = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return households, record


def columns_table(inputs: list[InputFile]) -> pd.DataFrame:
    """One row per (sheet, field): where each field sits, for cell references in issues."""
    rows = [
        (f"{rec.name}\x1f{sh.name}", ref.field, ref.letter, ref.header)
        for rec in inputs for sh in rec.sheets for ref in sh.columns.values()
    ]
    return pd.DataFrame(rows, columns=["sheet_key", "field", "column", "header"])


def read_inputs(paths: list[Path], rules: RuleSet, progress=None,
                workbooks: WorkbookSource | None = None) -> tuple[pd.DataFrame, list[InputFile]]:
    """Every household of every input, in input order, with the per-file records. Workbooks come
    from `workbooks` (by default each is parsed when its turn comes)."""
    workbooks = workbooks or ParseWhenAsked()
    frames, inputs = [], []
    names: dict[str, Path] = {}
    hashes: dict[str, Path] = {}
    for path in paths:
        households, record = read_file(path, rules, workbooks)
        if record.sha256 in hashes:
            raise InputError("same_contents_twice", file=path.name, other=hashes[record.sha256].name)
        if path.name in names:
            raise InputError("same_file_name", file=path.name, first=str(names[path.name].parent), second=str(path.parent))
        hashes[record.sha256] = names[path.name] = path
        frames.append(households)
        inputs.append(record)
        if progress is not None:
            progress(path, record)
    households = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    del frames
    # A field absent from one sheet but present in another is NA there, blank ('') where typed empty.
    for spec in fields().field:
        if spec.name not in households.columns:
            households[spec.name] = pd.array([pd.NA] * len(households), dtype=TEXT)
    return households, inputs
