"""The CSV outputs: the ledger (decisions.csv) and the issue list (issues.csv), UTF-8 with BOM so
Excel and WPS on Windows open them as Chinese text."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd

from ..issues import ISSUE_COLUMNS
from .safe import csv_safe

# Columns that hold text from the input, guarded against formula injection.
_INPUT_TEXT = ["source_file", "sheet", "township", "village", "household_id", "head_name", "head_id", "value", "message"]


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(column: pd.Series) -> np.ndarray:
    """csv_safe over a column, asked only about the values that begin as a formula would."""
    values = np.array(column.astype("string").to_numpy(dtype=object, na_value=""), dtype=object)  # a copy
    risky = np.fromiter(map(str.startswith, values, itertools.repeat(_FORMULA_STARTS)), dtype=bool,
                        count=len(values))
    if risky.any():
        values[risky] = csv_safe(pd.Series(values[risky], dtype=object)).to_numpy(dtype=object)
    return values


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    out = frame.copy(deep=False)
    for col in _INPUT_TEXT:
        if col in out.columns:
            out[col] = _guarded(out[col])
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def issues_for_csv(issues: pd.DataFrame) -> pd.DataFrame:
    return issues[ISSUE_COLUMNS]
