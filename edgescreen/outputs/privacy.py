"""What may leave the county office: values that never run as formulas, and numbers masked.

The formula guard. A value from the input is never written so that a spreadsheet runs it:

- xlsx: every cell from the input is written as text: with xlsxwriter's write_string (never `write`,
  which turns '=…' into a formula), or, in a table's records, as an inline string (sheetdata.cells);
  never as a formula element. Every workbook is opened with strings_to_formulas/urls/numbers off as
  a second guard (xlsx.new_workbook). Nothing in an xlsx output is ever altered for this.
- CSV (decisions.csv, issues.csv): Excel and WPS run a cell as a formula by its first character, so
  `csv_safe` puts an apostrophe before a value (OWASP's CSV-injection rule) that begins with
    `=`, `+`, `@`, a tab or a carriage return, whatever follows; or
    `-` followed (after any spaces) by an ASCII character, unless the whole value is a plain number
    (`-5`, `-12.50`): `-1+2`, `-A1`, `-SUM(…)`, `-cmd|…`, `--1`, `-(1)`, `-1,200` are guarded.
  Everything else is written as typed: `-张三` (a minus before a name: no formula a spreadsheet can
  run starts with a Chinese character), a lone `-`, `a=b`, `张三=李四`. Only the text columns that
  come from the input are looked at (ledger.py).

Masking (what a village sees), for the village lists, the publicity notices and the villages' fix
lists:

- the ID column (`mask_id`): a well-formed ID (17 digits and a digit or X) as its first 6, ********
  and its last 4. A malformed one keeps its shape: every character stays where it was typed and only
  the digits between the first 6 and the last 4 become stars, one star per digit, so a 17-digit ID
  prints with 7 stars and a letter typed for a digit still shows. It is never made to look like a
  valid ID; its issue message says the length found.
- the phone column (`mask_phone`): 138****5678.
- every other text cell (`mask_in_text`, the one function every printed document calls on its text):
  any run of digits however it was typed inside the text (spaces, dashes, dots, slashes, underscores
  between the digits, full-width digits and separators: `2201 2219 7001 0100 1X`,
  `220122-19700101-001X`, `138-1234-5678`, `１３８ １２３４ ５６７８`) is masked when it is
  ID-shaped (15 or more digits, a trailing X counted: first 6 and last 4 kept, a star per hidden
  digit) or phone-shaped (a mobile 1[3-9]x of 11 digits, also after 86; a landline of 10 to 12
  digits starting with 0: first 3 and last 4 kept). Other numbers (amounts, dates, row numbers) stay.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

import numpy as np
import pandas as pd

from ..cells import texts_matching
from ..id_masks import _STAR, _code_points, _strings, mask_id  # noqa: F401  (mask_id: this module's too)
from ..catalogue import Lang
from ..issues import render

_PLAIN_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?"
# What a spreadsheet runs as a formula, by its first characters (see the module's docstring).
_RUNS_AS_FORMULA = r"[=+@\t\r]|-[ \t\r]*[!-~]"

# Between two digits of one number, up to 3 of: white space (ASCII, full-width, no-break), dashes
# and minus signs, underscores, dots and middle dots, slashes, in their ASCII and full-width forms.
_SEP = r"[\s\-\u2010-\u2015\u2212\ufe63\uff0d_\uff3f.\uff0e\u00b7\u30fb\u2022/\uff0f]"
_X = r"[XxＸｘ]"
# A run of 10 or more digits (any script's decimal digits: full-width too), and an X after it.
_DIGIT_RUN = re.compile(rf"(?<!\d)(?P<num>\d(?:{_SEP}{{0,3}}\d){{9,}})(?P<x>{_SEP}{{0,3}}{_X})?")


_MOBILE_STARTS = {f"1{d}" for d in "3456789"}
# A number in Excel's scientific notation, as an ID stored as a number reads (checks._EXCEL_NUMBER, any
# case); its digits before the exponent are starred (mask_id_shown).
_EXPONENT = re.compile(r"[Ee]\+")
_EXCEL_NUMBER = r"[0-9](?:\.[0-9]+)?[Ee]\+?[0-9]+"
_DIGITS_STARRED = str.maketrans("0123456789", "*" * 10)


def _exponent_at(text: str) -> int:
    return text.upper().index("E")


def csv_safe(column: pd.Series) -> pd.Series:
    """Text that a spreadsheet would run as a formula, prefixed with an apostrophe."""
    text = column.astype("string").fillna("")
    risky = text.str.match(_RUNS_AS_FORMULA) & ~text.str.fullmatch(_PLAIN_NUMBER)
    return text.where(~risky.astype(bool), "'" + text).astype(object)


def mask_id_shown(ids: pd.Series) -> pd.Series:
    """mask_id, but an ID Excel stored as a number (2.20122195802276e+17) with every digit before its
    exponent starred (*.**************e+17), not its first and last few: 2.2012**********e+17 on a
    village's list read as a number half masked (an outside try, 2026-12-05). What the village lists
    and the fix lists show in the ID column. Only texts with an exponent are looked at."""
    out = mask_id(ids)
    values = ids.astype("string").fillna("").to_numpy(dtype=object)
    at = texts_matching(values, _EXPONENT)
    if len(at):
        at = at[pd.Series(values[at], dtype=object).str.fullmatch(_EXCEL_NUMBER).to_numpy(dtype=bool)]
        # Every digit before the exponent starred: the mantissa's (a fullmatch above) up to its E or e.
        out.iloc[at] = [v[:k].translate(_DIGITS_STARRED) + v[k:]
                        for v, k in zip(values[at].tolist(), map(_exponent_at, values[at].tolist()))]
    return out


# The digits of an ID stored as a number written out, at most: 18 and a few a slip may add.
_ID_DIGITS_MOST = 20


def mask_id_kept(ids: pd.Series) -> pd.Series:
    """mask_id, an ID Excel stored as a number (2.20122195802276e+17) written out as the digits Excel
    kept (220122195802276000) and masked as an ID is (220122********6000): what a fix list quotes of
    the cell, so that a village finds the row by it (*.**************e+17 said nothing to find it by;
    an outside try, 2026-12-06). The documents that print the ID column star it whole (mask_id_shown).
    Only texts with an exponent are looked at."""
    out = mask_id_shown(ids)
    values = ids.astype("string").fillna("").to_numpy(dtype=object)
    at = texts_matching(values, _EXPONENT)
    if len(at):
        at = at[pd.Series(values[at], dtype=object).str.fullmatch(_EXCEL_NUMBER).to_numpy(dtype=bool)]
    if not len(at):
        return out
    # The number's own digits, exactly (a float would change them): 2.20122195802276e+17 is 18 digits.
    # A number far longer than an ID (2.2e+30) is no ID's: starred whole, as mask_id_shown stars it.
    digits = pd.Series([format(Decimal(v), "f") for v in values[at].tolist()], dtype=object)
    kept = (digits.str.len() <= _ID_DIGITS_MOST).to_numpy(dtype=bool)
    out.iloc[at[kept]] = mask_id(digits[kept]).to_numpy(dtype=object)
    return out


def mask_phone(phones: pd.Series) -> pd.Series:
    """138****5678: first 3 and last 4 kept for numbers of 8 digits or more, a star for each digit
    between; otherwise all stars."""
    text = phones.astype("string").fillna("")
    values = text.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    # A mobile number typed as its 11 digits and nothing else: its 4th to 7th starred, as one block.
    eleven = np.flatnonzero(np.fromiter(map(len, values), dtype=np.int64, count=len(values)) == 11)
    codes = _code_points(values[eleven], 11)
    mobile = ((codes >= ord("0")) & (codes <= ord("9"))).all(axis=1)
    codes = codes[mobile]
    codes[:, 3:7] = _STAR
    out[eleven[mobile]] = _strings(codes)
    rest = np.ones(len(values), dtype=bool)
    rest[eleven[mobile]] = False
    if rest.any():
        other = text[rest]
        digits = other.str.replace(r"\D", "", regex=True)
        # A star for each digit hidden: a number of 10 digits shows as 10 (139***1887), so that a fix
        # list saying 不是11位手机号 beside it does not show 11.
        hidden = (digits.str.len().fillna(0).astype("int64") - 7).clip(lower=1)
        stars = pd.Series("*", index=digits.index, dtype="string").str.repeat(hidden.tolist())
        shown = digits.str[:3] + stars + digits.str[-4:]
        out[rest] = shown.where(digits.str.len() >= 8, other.str.replace(r"\S", "*", regex=True)).to_numpy(dtype=object)
    return pd.Series(out, index=phones.index, dtype=object)


# What _mask_run leaves of a number in a text: digits on each side of its stars, 3 of them at the
# fewest (a landline of 10 digits, 043***2345). A text holding one is a masked copy, not the number.
MASKED_RUN = re.compile(r"\d\*{3,}\d")


def _hidden(digits: str, keep_first: int, keep_last: int = 4) -> str:
    return digits[:keep_first] + "*" * (len(digits) - keep_first - keep_last) + digits[-keep_last:]


def _mask_run(match: re.Match) -> str:
    """One run of digits found by _DIGIT_RUN, masked as its shape asks (see the module's docstring),
    or as it was typed when it is neither ID- nor phone-shaped."""
    x = match.group("x") or ""
    digits = "".join(str(int(c)) for c in match.group("num") if c.isdecimal())
    # The X belongs to the number after 17 digits (an ID's last character), and after other runs
    # unless a word goes on from it (an x that starts a word is not part of the number).
    word_goes_on = match.string[match.end():match.end() + 1].isalpha()
    if x and (len(digits) == 17 or not word_goes_on) and len(digits) + 1 >= 15:
        return _hidden(digits + unicodedata.normalize("NFKC", x[-1]), 6)
    n = len(digits)
    if n >= 15:
        return _hidden(digits, 6) + x
    if n == 11 and digits[:2] in _MOBILE_STARTS:
        return _hidden(digits, 3) + x
    if n == 13 and digits[:2] == "86" and digits[2:4] in _MOBILE_STARTS:
        return "86" + _hidden(digits[2:], 3) + x
    if 10 <= n <= 12 and digits[0] == "0":  # a landline with its area code
        return _hidden(digits, 3) + x
    return match.group(0)


# What stands for a hidden digit in a file name: Windows refuses the * of the lists (and ? < > |).
NAME_MASK = "#"


def mask_in_string(text: str, hidden: str = "*") -> str:
    """One text masked as mask_in_text masks a column's (a place in a list's title): no Series for a
    handful of words, once per village workbook. `hidden` stands for each hidden digit."""
    if hidden == "*":
        return _DIGIT_RUN.sub(_mask_run, text)
    return _DIGIT_RUN.sub(lambda match: _mask_run(match).replace("*", hidden), text)


def mask_in_name(name: str) -> str:
    """A file name's ID- and phone-shaped runs of digits masked, NAME_MASK for each hidden digit: a
    village read from a misplaced column (a head's ID pasted under 行政村) names its fix list, sent out."""
    return mask_in_string(name, NAME_MASK)


def mask_in_text(text: pd.Series) -> pd.Series:
    """Text with every ID-shaped and phone-shaped run of digits in it masked, however it was typed.
    The column is searched joined, once, and only the texts with a run are masked one by one (a
    NUL between them is neither a digit nor a separator, so no run crosses it)."""
    values = text.astype("string").fillna("").to_numpy(dtype=object)
    hit = texts_matching(values, _DIGIT_RUN)
    if len(hit):
        values = values.copy()
        values[hit] = [_DIGIT_RUN.sub(_mask_run, value) for value in values[hit]]
    return pd.Series(values, index=text.index, dtype=object)


def masked_issues(issues: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """An issue table (Result.issue_rows) as a village document shows it: the value an ID or a
    phone issue quotes masked as the lists mask those columns (an ID stored as a number as the digits
    Excel kept, masked: mask_id_kept) (a phone typed wrong too, which no
    digit-run rule takes for a phone), any other value's ID- and phone-shaped numbers masked, and
    the messages rendered again from the masked values."""
    out = issues.copy()
    field = out["field"].to_numpy(dtype=object)
    is_id, is_phone = field == "head_id", field == "phone"
    other = ~(is_id | is_phone)
    out.loc[is_id, "value"] = mask_id_kept(out.loc[is_id, "value"]).to_numpy()
    out.loc[is_phone, "value"] = mask_phone(out.loc[is_phone, "value"]).to_numpy()
    out.loc[other, "value"] = mask_in_text(out.loc[other, "value"]).to_numpy()
    out["message"] = mask_in_text(render(out, lang)).to_numpy()
    return out
