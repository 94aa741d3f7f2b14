"""Writing values people will open in Excel or WPS without letting any of them run.

A value from the input that begins with = + - @ tab or CR is never written as a formula: xlsx cells
are written with xlsxwriter's write_string (never `write`, which turns '=…' into a formula) and CSV
values get a leading apostrophe, per OWASP's CSV-injection guidance. A plain negative number is
left as it is: it is data, not a formula.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?$"


def csv_safe(column: pd.Series) -> pd.Series:
    """Text that a spreadsheet would take for a formula, prefixed with an apostrophe."""
    text = column.astype("string").fillna("")
    risky = text.str.contains(r"^[=+\-@\t\r]", regex=True) & ~text.str.fullmatch(_PLAIN_NUMBER)
    return text.where(~risky, "'" + text).astype(object)


def mask_id(ids: pd.Series) -> pd.Series:
    """First 6 + ******** + last 4, for an ID of 15 characters or more; otherwise all stars."""
    text = ids.astype("string").fillna("")
    masked = text.str[:6] + "********" + text.str[-4:]
    return masked.where(text.str.len() >= 15, text.str.replace(r".", "*", regex=True)).astype(object)


def mask_phone(phones: pd.Series) -> pd.Series:
    """138****5678: first 3 and last 4 kept for numbers of 8 digits or more; otherwise all stars."""
    text = phones.astype("string").fillna("")
    digits = text.str.replace(r"\D", "", regex=True)
    masked = digits.str[:3] + "****" + digits.str[-4:]
    return masked.where(digits.str.len() >= 8, text.str.replace(r"\S", "*", regex=True)).astype(object)


def write_cells(ws, row: int, col: int, values, fmt=None) -> None:
    """Write one row: numbers as numbers, everything else with write_string (never a formula)."""
    for j, value in enumerate(values):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            ws.write_blank(row, col + j, None, fmt)
        elif isinstance(value, (bool, np.bool_)):
            ws.write_string(row, col + j, str(value), fmt)
        elif isinstance(value, (int, float, np.integer, np.floating)):
            ws.write_number(row, col + j, float(value), fmt)
        else:
            ws.write_string(row, col + j, str(value), fmt)
