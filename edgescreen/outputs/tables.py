"""The CSV outputs: the ledger (decisions.csv) and the issue list (issues.csv), UTF-8 with BOM so
Excel and WPS on Windows open them as Chinese text."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..issues import ISSUE_COLUMNS
from .safe import csv_safe

# Columns that hold text from the input, guarded against formula injection.
_INPUT_TEXT = ["source_file", "sheet", "township", "village", "household_id", "head_name", "head_id", "value", "message"]


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    out = frame.copy()
    for col in _INPUT_TEXT:
        if col in out.columns:
            out[col] = csv_safe(out[col])
    out.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")


def issues_for_csv(issues: pd.DataFrame) -> pd.DataFrame:
    return issues[ISSUE_COLUMNS]
