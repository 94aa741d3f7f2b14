"""What may leave the county office: values that never run as formulas, and numbers masked.

A value from the input that a spreadsheet would run as a formula is never written as one: xlsx cells
are written with xlsxwriter's write_string (never `write`, which turns '=…' into a formula), every
workbook is opened with strings_to_formulas/urls/numbers off as a second guard (xlsx.new_workbook),
and CSV values get a leading apostrophe, per OWASP's CSV-injection guidance. A plain negative number
is left as it is: it is data, not a formula.

Masking (what a village sees): IDs as the first 6 + ******** + the last 4, phones as 138****5678,
and any ID- or mobile-shaped run of digits inside free text (a message quoting the value as typed)
likewise.
"""

from __future__ import annotations

import re

import pandas as pd

_PLAIN_NUMBER = r"^-?\d+(?:\.\d+)?$"
# An ID-shaped run of 15 or more digits (IDs, mistyped IDs, bank accounts): 6 kept, the middle
# hidden, 4 kept.
_ID_RUN = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{5,}([0-9]{3}[0-9Xx])(?![0-9A-Za-z])")
# A mobile number: 1[3-9]x, 4 hidden, 4 kept.
_MOBILE_RUN = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")


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


def mask_in_text(text: pd.Series) -> pd.Series:
    """Free text with every ID-shaped and mobile-shaped run of digits in it masked."""
    out = text.astype("string").fillna("")
    out = out.str.replace(_ID_RUN, r"\1********\2", regex=True)
    out = out.str.replace(_MOBILE_RUN, r"\1****\2", regex=True)
    return out.astype(object)
