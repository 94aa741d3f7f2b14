"""The CSV outputs: the ledger (decisions.csv) and the issue list (issues.csv), UTF-8 with BOM so
Excel and WPS on Windows open them as Chinese text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..issues import ISSUE_COLUMNS
from .privacy import csv_safe

if TYPE_CHECKING:
    from ..result import Result

# Columns that hold text from the input, guarded against formula injection.
_INPUT_TEXT = ["source_file", "sheet", "township", "village", "household_id", "head_name", "head_id", "value", "message"]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTE_NEEDED = re.compile(r'[",\r\n]')
_CHUNK_ROWS = 100_000
# Households per slice of the ledger as it is written.
LEDGER_SLICE = 100_000


def _guarded(column: pd.Series) -> np.ndarray:
    """csv_safe over a column, asked only about the values that begin as a formula would."""
    return _csv_cells(column, guard=True, quote=False)


def _csv_cells(column: pd.Series, *, guard: bool = False, quote: bool = True) -> np.ndarray:
    """A column as its CSV cells: text as it is, numbers as Python prints them, NA as ''; with
    `guard`, input text that a spreadsheet would run gets csv_safe's apostrophe; with `quote`, a
    value holding a comma, a quote or a line break is quoted as the csv module quotes it. The
    column is joined once and scanned, so cells are looked at one by one only when a scan hits."""
    values = column.to_numpy(dtype=object, na_value="")
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        text = np.array(values, dtype=object)  # a copy: the cells below may change
    else:
        text = np.fromiter(map(str, values), dtype=object, count=len(values))
    joined = "\x00" + "\x00".join(text)
    if guard and any("\x00" + start in joined for start in _FORMULA_STARTS):
        risky = np.fromiter(map(str.startswith, text, itertools.repeat(_FORMULA_STARTS)), dtype=bool,
                            count=len(text))
        text[risky] = csv_safe(pd.Series(text[risky], dtype=object)).to_numpy(dtype=object)
    if quote and any(char in joined for char in '",\r\n'):
        needs = pd.Series(text, dtype=object).str.contains(_QUOTE_NEEDED, regex=True).to_numpy(dtype=bool)
        text[needs] = ['"' + v.replace('"', '""') + '"' for v in text[needs]]
    return text


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with BOM, CRLF, comma-separated, minimal quoting: what pandas' to_csv writes, row for
    row, built column-wise and joined in chunks (twice as fast as the csv module on a million rows)."""
    if len(frame.columns) < 2:  # a lone empty field must be quoted: leave that rule to pandas
        out = frame.copy(deep=False)
        for col in _INPUT_TEXT:
            if col in out.columns:
                out[col] = _guarded(out[col])
        out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
        return
    write_csv_parts([frame], path)


def write_csv_parts(parts: Iterable[pd.DataFrame], path: Path) -> None:
    """write_csv for a table that comes in slices of rows (the same columns in each), so that a
    million-row ledger is never held as text all at once."""
    with open(path, "wb") as fh:
        header = None
        for part in parts:
            if header is None:
                header = _csv_cells(pd.Series([str(c) for c in part.columns], dtype=object))
                fh.write(("\ufeff" + ",".join(header) + "\r\n").encode("utf-8"))
            for start in range(0, len(part), _CHUNK_ROWS):
                rows = part.iloc[start:start + _CHUNK_ROWS]
                cells = [_csv_cells(rows[c], guard=c in _INPUT_TEXT) for c in rows.columns]
                fh.write(("\r\n".join(map(",".join, zip(*cells))) + "\r\n").encode("utf-8"))


def write_ledger(result: Result, path: Path) -> None:
    """decisions.csv, written a slice of households at a time: its text is never all in memory."""
    n = len(result.households)
    write_csv_parts((result.ledger_rows(start, start + LEDGER_SLICE) for start in range(0, max(1, n), LEDGER_SLICE)),
                    path)


def write_issues(issues: pd.DataFrame | Iterable[pd.DataFrame], path: Path) -> None:
    """issues.csv: the issue table's columns of domain §7. `issues` is the table, or the table in
    slices (Result.issue_slices: a million issues are never all rendered at once)."""
    parts = [issues] if isinstance(issues, pd.DataFrame) else issues
    write_csv_parts((part[ISSUE_COLUMNS] for part in parts), path)
