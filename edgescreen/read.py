"""Read survey files into one DataFrame of raw cell text, one row per household, with provenance.

Workbooks (.xlsx .xlsm .xls .ods) are read through python-calamine, CSV through pandas after the
encoding is settled (strict UTF-8 first, with or without BOM, then GB18030). Every cell is kept as
text. The header row is found by scanning, not assumed: title rows may stand above it, and it may
span two rows with group headers merged over their components. Total, blank and footer rows are
dropped and recorded. Each household keeps its file, sheet and Excel row number.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .catalogue import alias_index, fields, header_keys, normalise_header
from .errors import InputError
from .rules import RuleSet

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
SUPPORTED_SUFFIXES = WORKBOOK_SUFFIXES | CSV_SUFFIXES
HEADER_SCAN_ROWS = 40
# A workbook whose parts expand to more than this is refused before it is read.
MAX_UNZIPPED_BYTES = 4 * 1024**3
MAX_ZIP_RATIO = 200
PROVENANCE = ["source_file", "sheet", "row"]


@dataclass
class ColumnRef:
    field: str
    index: int  # 0-based column index in the sheet
    letter: str
    header: str  # the header as typed (both rows of a two-row header joined by "/")


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


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Finding inputs


def expand_inputs(paths: list[Path]) -> list[Path]:
    """Files as given, folders expanded to the survey files directly inside them (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(
                p for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(("~$", "."))
            )
            if not inside:
                raise InputError(f"{path}: the folder holds no survey files (.xlsx .xls .xlsm .ods .csv).")
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    seen: dict[Path, Path] = {}
    for path in found:
        key = path.resolve()
        if key in seen:
            raise InputError(f"{path}: the same file is given twice.")
        seen[key] = path
    return found


# ---------------------------------------------------------------------------------------------
# Header detection


@dataclass
class _HeaderMatch:
    columns: dict[str, ColumnRef]
    duplicates: dict[str, list[ColumnRef]]
    unknown: list[str]
    headers_found: list[str]


def _required_units(rules: RuleSet) -> list[tuple[str, ...]]:
    """Required fields as alternatives: a unit is satisfied when any of its fields is present."""
    units: list[tuple[str, ...]] = [(f.name,) for f in fields().field if f.required]
    units.append((*rules.income.components, rules.income.total))
    units.append((*rules.expenses.components, rules.expenses.total))
    return units


def _match_headers(texts: list[str], typed: list[str]) -> _HeaderMatch:
    index = alias_index()
    columns: dict[str, ColumnRef] = {}
    duplicates: dict[str, list[ColumnRef]] = {}
    unknown: list[str] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        name = next((index[k] for k in header_keys(text) if k in index), None)
        ref = ColumnRef(name or "", i, column_letter(i), typed[i])
        if name is None:
            if normalise_header(text) not in ("序号", "编号", "No.", "NO", "No"):
                unknown.append(f"{ref.letter}「{typed[i]}」")
        elif name in columns:
            duplicates.setdefault(name, [columns[name]]).append(ref)
        else:
            columns[name] = ref
    return _HeaderMatch(columns, duplicates, unknown, [t for t in typed if t])


def _combine_two_rows(top: list[str], bottom: list[str]) -> tuple[list[str], list[str]]:
    """Header text per column of a two-row header: the component under a group header, else the
    cell above. A 合计/小计 under a group header is that group's total."""
    groups = {normalise_header(k): v for k, v in fields().groups.items()}
    texts, typed = [], []
    group = ""
    for t, b in zip(top, bottom):
        if t:
            group = t
        elif not b:
            group = ""
        if b:
            group_field = next((groups[k] for k in header_keys(group) if k in groups), None) if group else None
            if group_field and normalise_header(b) in ("合计", "小计", "总计"):
                texts.append(fields().by_name[group_field].header)
            else:
                texts.append(b)
            typed.append(f"{group}/{b}" if group and group != b else b)
        else:
            texts.append(t)
            typed.append(t)
    return texts, typed


def _clean_typed(text: str) -> str:
    """A header as shown in messages: line breaks inside the cell dropped, runs of spaces folded."""
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*[\r\n]+\s*", "", text)).strip()


def find_header(grid: list[list[str]], rules: RuleSet) -> tuple[int, int, _HeaderMatch] | None:
    """(first header row, last header row, match) as 0-based grid rows, or None for a sheet that
    does not name at least half of the required fields."""
    units = _required_units(rules)

    def score(match: _HeaderMatch) -> int:
        return sum(any(f in match.columns or f in match.duplicates for f in unit) for unit in units)

    best: tuple[int, int, int, _HeaderMatch] | None = None
    rows = [[_clean_typed(c) for c in row] for row in grid[:HEADER_SCAN_ROWS]]
    for r, row in enumerate(rows):
        if not any(row):
            continue
        candidates = [(r, r, _match_headers(row, row))]
        if r + 1 < len(rows):
            texts, typed = _combine_two_rows(row, rows[r + 1])
            candidates.append((r, r + 1, _match_headers(texts, typed)))
        for first, last, match in candidates:
            s = (score(match), len(match.columns))
            if best is None or s > (best[0], best[1]):
                best = (s[0], s[1], first, last, match)  # type: ignore[assignment]
    if best is None or 2 * best[0] < len(units):
        return None
    _, _, first, last, match = best  # type: ignore[misc]
    return first, last, match


def _check_columns(path: Path, sheet: str, match: _HeaderMatch, rules: RuleSet) -> None:
    where = f"{path.name}" + (f", sheet「{sheet}」" if sheet else "")
    if match.duplicates:
        name, refs = next(iter(match.duplicates.items()))
        cols = ", ".join(f"{r.letter}「{r.header}」" for r in refs)
        raise InputError(
            f"{where}: two columns for one field ({fields().by_name[name].header}): {cols}. "
            "Delete or rename one of them."
        )
    missing = [unit for unit in _required_units(rules) if not any(f in match.columns for f in unit)]
    if missing:
        by_name = fields().by_name
        # A sum is satisfied by its total or any component: name the total and say so.
        wanted = [by_name[unit[0]].header if len(unit) == 1
                  else f"{by_name[unit[-1]].header} (or its components {'/'.join(by_name[f].header for f in unit[:-1])})"
                  for unit in missing]
        accepted = [a for f in fields().field for a in (f.header, *f.aliases)]
        unknown = [h.split("「", 1)[-1].rstrip("」") for h in match.unknown]
        near = sorted({m for h in unknown for m in difflib.get_close_matches(h, accepted, n=2, cutoff=0.5)})
        raise InputError(
            f"{where}: required column missing: {', '.join(wanted)}. "
            f"Headers found: {', '.join(match.headers_found)}."
            + (f" Nearest accepted headers: {', '.join(near)}." if near else "")
        )


# ---------------------------------------------------------------------------------------------
# Cells to text


def _as_text(column: pd.Series) -> pd.Series:
    """Cell values as text: numbers without a trailing .0, everything stripped, blanks as ''."""
    text = column.astype("string").fillna("").str.strip()
    return text.str.replace(r"^(-?\d+)\.0$", r"\1", regex=True)


_TOTAL_RE = r"^(?:本页|本村|本组|本镇|全村|全镇|全乡|总)?(?:合计|小计|总计|累计)"


def _frame_from_grid(
    grid: pd.DataFrame, first_data_row: int, match: _HeaderMatch, info: SheetInfo
) -> pd.DataFrame:
    """Households of one sheet: raw text per field, Excel row numbers, non-household rows dropped."""
    data = grid.iloc[first_data_row:]
    excel_rows = np.arange(first_data_row + 1, first_data_row + 1 + len(data))
    raw = {name: _as_text(data[ref.index]).to_numpy() for name, ref in match.columns.items()}
    frame = pd.DataFrame(raw, index=pd.RangeIndex(len(data)))
    frame = frame.astype("string")

    blank = (frame == "").all(axis=1).to_numpy()
    # Where a total or footer row says so: the columns left of the first field, and the text fields
    # that come first on a form (not notes, which may hold any words).
    first_col = min(ref.index for ref in match.columns.values())
    label_cols = [_as_text(data[c]) .to_numpy() for c in range(first_col) if c in data.columns]
    label_cols += [frame[f].to_numpy() for f in ("township", "village", "group", "household_id", "head_name")
                   if f in frame.columns]
    labels = pd.DataFrame({i: pd.Series(c).str.replace(r"\s+", "", regex=True) for i, c in enumerate(label_cols)})
    is_total = labels.apply(lambda c: c.str.contains(_TOTAL_RE, regex=True, na=False)).any(axis=1).to_numpy()
    footer_re = "^(?:" + "|".join(re.escape(w) for w in fields().rows.footer_prefixes) + ")"
    starts_footer = labels.apply(lambda c: c.str.contains(footer_re, regex=True, na=False)).any(axis=1).to_numpy()
    no_head = np.ones(len(frame), dtype=bool)
    for f in ("head_id", "head_name"):
        if f in frame.columns:
            no_head &= (frame[f] == "").to_numpy()
    # Lines after a footer (填表说明 numbered 1. 2. …) are footer too unless they name a head.
    after_footer = np.maximum.accumulate(starts_footer) & no_head
    is_footer = (starts_footer | after_footer) & ~is_total
    keep = ~(blank | is_total | is_footer)

    for mask, reason in ((is_total & ~blank, "total"), (is_footer & ~blank, "footer")):
        info.skipped_rows.extend((int(r), reason) for r in excel_rows[mask])
    frame = frame[keep].reset_index(drop=True)
    frame.insert(0, "row", excel_rows[keep])
    info.households = len(frame)
    return frame


# ---------------------------------------------------------------------------------------------
# Files


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _guard_zip(path: Path) -> None:
    """Refuse a workbook that would expand past memory before calamine inflates it."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise InputError(f"{path.name}: not a workbook (the file is damaged or is not an Excel file).") from None
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNZIPPED_BYTES or (unpacked > 256 * 1024**2 and unpacked / packed > MAX_ZIP_RATIO):
        raise InputError(
            f"{path.name}: the workbook expands to {unpacked / 1024**3:.1f} GB, far more than its data "
            "can need; refused before reading. Save the sheets as a new workbook and try again."
        )


def _sniff(path: Path, head: bytes) -> None:
    """Clear messages for files that are not what their name says."""
    suffix = path.suffix.lower()
    if not head:
        raise InputError(f"{path.name}: the file is empty (0 bytes).")
    if suffix in {".xlsx", ".xlsm"} and head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            f"{path.name}: the workbook is encrypted or password-protected. "
            "Open it in Excel or WPS, remove the password (文件→信息→保护工作簿), save, and try again."
        )
    if suffix in {".xlsx", ".xlsm", ".ods"} and not head.startswith(b"PK"):
        raise InputError(f"{path.name}: not a workbook: the file's contents are not an Excel file.")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix == ".xls" and stripped.startswith((b"<", b"<!doctype", b"<html", b"<table")):
        raise InputError(
            f"{path.name}: this .xls is a web page (HTML) saved with an Excel name, as some web systems "
            "export. Open it in Excel or WPS and save it as .xlsx (另存为 Excel 工作簿), then try again."
        )


def _read_workbook(path: Path, rules: RuleSet, record: InputFile) -> list[pd.DataFrame]:
    import python_calamine as calamine

    if path.suffix.lower() in {".xlsx", ".xlsm", ".ods"}:
        _guard_zip(path)
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every damaged or foreign file
        raise InputError(f"{path.name}: cannot be read as a workbook ({type(exc).__name__}). "
                         "Check that it opens in Excel or WPS and save it again as .xlsx.") from None
    frames = []
    for name in book.sheet_names:
        try:
            grid_rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise InputError(f"{path.name}, sheet「{name}」: cannot be read ({type(exc).__name__}).") from None
        frame = _read_grid(path, name, grid_rows, rules, record)
        if frame is not None:
            frames.append(frame)
    return frames


def _decode_csv(path: Path, raw: bytes) -> tuple[str, str]:
    """(text, encoding). Strict UTF-8 first: GB18030 decodes most UTF-8 bytes without error, into mojibake."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path.name}: the text is neither UTF-8 nor GB18030/GBK (undecodable byte at offset "
            f"{exc.start}). Save it from Excel or WPS as \"CSV UTF-8\" and try again."
        ) from None


def _read_csv(path: Path, rules: RuleSet, record: InputFile) -> list[pd.DataFrame]:
    raw = path.read_bytes()
    if not raw:
        raise InputError(f"{path.name}: the file is empty (0 bytes).")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path.name}: not a text file (binary content); a CSV survey is plain text.")
    text, record.encoding = _decode_csv(path, raw)
    lines = pd.Series(text.splitlines())
    width = int(lines.str.count(",").max()) + 1 if len(lines) else 1
    try:
        grid = pd.read_csv(io.StringIO(text), header=None, names=range(width), dtype=str,
                           keep_default_na=False, skip_blank_lines=False, engine="c")
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as CSV: {exc}") from None
    frame = _read_grid(path, "", grid, rules, record)
    return [] if frame is None else [frame]


def _read_grid(path: Path, sheet: str, grid_rows, rules: RuleSet, record: InputFile) -> pd.DataFrame | None:
    grid = grid_rows if isinstance(grid_rows, pd.DataFrame) else pd.DataFrame(grid_rows)
    if grid.empty:
        record.skipped_sheets.append((sheet, "empty"))
        return None
    head = grid.iloc[:HEADER_SCAN_ROWS].astype("string").fillna("").values.tolist()
    found = find_header(head, rules)
    if found is None:
        record.skipped_sheets.append((sheet, "no household header"))
        return None
    first, last, match = found
    _check_columns(path, sheet, match, rules)
    info = SheetInfo(sheet, (first + 1, last + 1), match.columns, match.unknown)
    frame = _frame_from_grid(grid, last + 1, match, info)
    record.sheets.append(info)
    frame.insert(0, "sheet", sheet)
    frame.insert(0, "source_file", path.name)
    frame.insert(3, "sheet_key", f"{path.name}\x1f{sheet}")
    return frame


def read_file(path: Path, rules: RuleSet) -> tuple[pd.DataFrame, InputFile]:
    """One survey file → (households as raw text with provenance, what was found in the file)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{path.name}: not a survey file type edgescreen reads "
                         f"({', '.join(sorted(SUPPORTED_SUFFIXES))}).")
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise InputError(f"{path.name}: cannot be opened ({exc.strerror}).") from None
    _sniff(path, head)
    record = InputFile(path=path, sha256=_sha256(path), kind=suffix.lstrip("."))
    frames = (_read_csv if suffix in CSV_SUFFIXES else _read_workbook)(path, rules, record)
    if not frames:
        sheets = ", ".join(f"「{s}」" for s, _ in record.skipped_sheets if s)
        raise InputError(
            f"{path.name}: no household header found" + (f" (sheets looked at: {sheets})" if sheets else "")
            + ". A household header "
            "names the township, village, head of household, ID number, resident members, incomes, "
            "expenses and the 低保/特困 columns."
        )
    households = pd.concat(frames, ignore_index=True)
    return households, record


def columns_table(inputs: list[InputFile]) -> pd.DataFrame:
    """One row per (sheet, field): where each field sits, for cell references in issues."""
    rows = [
        (f"{rec.name}\x1f{sh.name}", ref.field, ref.letter, ref.header)
        for rec in inputs for sh in rec.sheets for ref in sh.columns.values()
    ]
    return pd.DataFrame(rows, columns=["sheet_key", "field", "column", "header"])


def read_inputs(paths: list[Path], rules: RuleSet, progress=None) -> tuple[pd.DataFrame, list[InputFile]]:
    """Every household of every input, in input order, with the per-file records."""
    frames, inputs = [], []
    names: dict[str, Path] = {}
    hashes: dict[str, Path] = {}
    for path in paths:
        households, record = read_file(path, rules)
        if record.sha256 in hashes:
            raise InputError(f"{path.name}: the same file as {hashes[record.sha256].name} (identical contents) "
                             "is given twice.")
        if path.name in names:
            raise InputError(f"{path.name}: two inputs have this file name ({names[path.name].parent} and "
                             f"{path.parent}); rename one so the ledger can tell them apart.")
        hashes[record.sha256] = names[path.name] = path
        frames.append(households)
        inputs.append(record)
        if progress is not None:
            progress(path, record)
    households = pd.concat(frames, ignore_index=True)
    # A field absent from one sheet but present in another is NA there, blank ('') where typed empty.
    for spec in fields().field:
        if spec.name not in households.columns:
            households[spec.name] = pd.array([pd.NA] * len(households), dtype="string")
    return households, inputs
