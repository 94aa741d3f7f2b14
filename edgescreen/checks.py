"""The data-quality checks of domain §6 that need more than one cell, or the ID's own logic.

Parsing issues (not_a_number, flag_unrecognized, blank cells) are raised in `normalise`; this module
adds the ID checks, duplicates across all inputs, the logical checks over the computed sums, and
the warnings. Every check is a vectorised mask; thresholds come from the rule set.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from functools import cache, partial

import numpy as np
import pandas as pd
from stdnum import numdb

from .catalogue import fields, label, members_catalogue, normalise_header
from .cells import affirmed, texts_matching, texts_saying
from .compute import blank_components, read_shifted, round_half_up_div
from .issues import IssueLog, filled
from .classify import band_of
from .money import fen_text, yuan_figure
from .normalise import normalise_place, parse_money, read_as_wan
from .rules import Bounds, RuleSet, Sum
from .texts import either, joined_per_key
from .workbook import SAVED_ZERO

_ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ID_CHECK_CHARS = np.array(list("10X98765432"))
_DIGIT_BYTES = b"0123456789"
_ID_CHECK_VALUES = np.array([1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2], dtype=np.int64)  # the same, X as 10
# [0-9], not \d: \d takes any script's digits (٢٢٠…), which no ID or phone number has and which the
# check-digit arithmetic cannot take.
_ID_FORMAT = r"^[0-9]{17}[0-9X]$"
_EXCEL_NUMBER = r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$"
# An ID a system's export masked (220122********2970, 2201221980010*****): a run of mask marks (NFKC made
# ＊ a *), or of two or more X, standing for digits in the middle or at the end: digits before it, and
# digits and perhaps the check character after it unless it ends the ID (systems mask the birth day and
# sequence as often as the birth date). A lone X inside is a slip (one wrong character), a last X after
# digits the check character (22012219800101297X is no masked ID).
_MASK_MARKS = "*●·•∗"
_MASK_RUN = rf"(?:[X{_MASK_MARKS}]*[{_MASK_MARKS}][X{_MASK_MARKS}]*|XX+)"
_MASKED_ID = rf"^[0-9]+(?:{_MASK_RUN}[0-9]+)*{_MASK_RUN}(?:[0-9]+X?)?$"
_MOBILE = r"^1[3-9][0-9]{9}$"
_LANDLINE = r"^(?:\(?0[0-9]{2,3}\)?-?)?[2-9][0-9]{6,7}(?:-[0-9]{1,5})?$"
_MOBILE_PREFIXES = tuple(f"1{d}" for d in range(3, 10))


def id_check_characters(ids: pd.Series) -> pd.Series:
    """The GB 11643 (ISO 7064 MOD 11-2) check character each 17-digit prefix calls for."""
    if len(ids) == 0:
        return pd.Series([], dtype=object, index=ids.index)
    codes = np.frombuffer("".join(ids.str[:17]).encode("ascii"), dtype=np.uint8).reshape(-1, 17)
    return pd.Series(_ID_CHECK_CHARS[_weighted_sum(codes.astype(np.int16) - 48) % 11], index=ids.index)


@cache
def load_region_codes():
    """python-stdnum's division-code data (cn/loc), parsed once (about 0.1 s; the pipeline asks for
    it while the first workbook parses, not in the middle of the checks). None when the data file
    is missing or unreadable: then no region is flagged."""
    try:
        return numdb.get("cn/loc")
    except Exception:
        return None


@cache
def _region_known(code: str) -> bool:
    """Whether the division-code data knows this 6-digit region code. Its data rejects some real IDs
    of older residents, so an unknown code is only ever a warning."""
    table = load_region_codes()
    try:
        parts = table.info(code)
    except Exception:  # no data (None) or data it cannot read: know nothing, flag nothing
        return True
    return len(parts) == 2 and "county" in parts[-1][1]


def _id_parts(ids: np.ndarray):
    """The IDs that are 18 ASCII characters, taken apart with numpy: (positions, character codes
    n×18). Everything else about an ID is decided from these codes, not per value."""
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    at = np.flatnonzero(lengths == 18)
    text = "".join(ids[at].tolist())
    if not text.isascii():  # rare: only then is each ID looked at on its own
        at = at[np.fromiter(map(str.isascii, ids[at]), dtype=bool, count=len(at))]
        text = "".join(ids[at].tolist())
    # The IDs' bytes in one buffer, a row of 18 each (three million members' IDs: 50 MB), writable.
    codes = np.frombuffer(bytearray(text.encode("ascii")), dtype=np.uint8).reshape(-1, 18)
    return at, codes


def _formed_ids(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The IDs of 17 ASCII digits and a digit or X (_ID_FORMAT): (positions, their characters as
    numbers n×18, 0-9 and X as 10). Nothing is copied when every ID is formed."""
    at, codes = _id_parts(ids)
    is_x = codes[:, 17] == ord("X")
    # Nothing but digits and as many X as IDs end with one (nearly always): every one is formed,
    # which one look at the bytes tells.
    others = codes.tobytes().translate(None, _DIGIT_BYTES)
    all_formed = len(others) == int(is_x.sum()) and not others.translate(None, b"X")
    digits = codes
    digits -= 48  # in place; uint8: a character below '0' wraps to above 9
    if not all_formed:
        formed = (digits[:, :17] < 10).all(axis=1) & ((digits[:, 17] < 10) | is_x)
        at, digits, is_x = at[formed], digits[formed], is_x[formed]
    digits[is_x, 17] = 10
    return at, digits


def _check_character_ok(digits: np.ndarray) -> np.ndarray:
    """Whether each formed ID's last character is GB 11643's check character of its 17 digits."""
    return _ID_CHECK_VALUES[_weighted_sum(digits) % 11] == digits[:, 17]


def id_keys(ids: np.ndarray) -> np.ndarray:
    """Each ID (normalised text) as an int64 that two IDs share only when they are the same text:
    an ID of 17 ASCII digits and a digit or X is the number its 17 digits spell, times 11, plus its
    last character (X = 10); any other text a negative number, one per distinct text. Millions of
    IDs are hashed and joined as integers, several times faster than as strings."""
    ids = np.asarray(ids, dtype=object)
    return _keys(ids, *_formed_ids(ids))


def _keys(ids: np.ndarray, at: np.ndarray, digits: np.ndarray) -> np.ndarray:
    """id_keys from the formed IDs' positions and digits (_formed_ids)."""
    keys = np.empty(len(ids), dtype=np.int64)
    keys[at] = _digits_value(digits[:, :17]) * 11 + digits[:, 17]
    rest = np.ones(len(ids), dtype=bool)
    rest[at] = False
    if rest.any():
        code, _ = pd.factorize(ids[rest])
        keys[rest] = -1 - code.astype(np.int64)
    return keys


def _weighted_sum(digits: np.ndarray) -> np.ndarray:
    """GB 11643's weighted sum of the first 17 digits, a column at a time (the n×17 int64 matrix a
    product would make is 360 MB for three million IDs)."""
    total = np.zeros(len(digits), dtype=np.int64)
    for i, weight in enumerate(_ID_WEIGHTS.tolist()):
        total += digits[:, i].astype(np.int64) * weight
    return total


def _digits_value(digits: np.ndarray) -> np.ndarray:
    """Rows of decimal digits (as 0-9 integers) → the number they spell, a column at a time (numpy's
    integer matrix product has no fast path: ten times slower on millions of rows)."""
    total = np.zeros(len(digits), dtype=np.int64)
    for column in range(digits.shape[1]):
        total = total * 10 + digits[:, column]
    return total


def _birth_dates(digits: np.ndarray) -> np.ndarray:
    """The birth dates characters 7-14 spell (datetime64[ns], NaT where there is no such day): each
    distinct yyyymmdd parsed once (a few tens of thousands of days among millions of IDs)."""
    if not len(digits):
        return np.array([], dtype="datetime64[ns]")
    codes, days = pd.factorize(_digits_value(digits[:, 6:14]))
    year_month, day = np.divmod(days, 100)
    year, month = np.divmod(year_month, 100)
    ymd = pd.DataFrame({"year": year, "month": month, "day": day})
    return pd.to_datetime(ymd, errors="coerce").to_numpy(dtype="datetime64[ns]")[codes]


def _impossible_birth(born: np.ndarray, as_of: dt.date) -> np.ndarray:
    """Birth dates (_birth_dates) that do not exist (NaT), are before 1890 or after `as_of`."""
    return np.isnat(born) | (born < np.datetime64("1890-01-01", "ns")) | (born > np.datetime64(as_of, "ns"))


def valid_ids(values: np.ndarray, as_of: dt.date | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Which IDs (normalised text) are valid, as check_ids judges them but without an issue: 18
    characters, 17 digits and a digit or X, the right check character, a birth date that exists
    (from 1890, not after `as_of`). Also each valid ID's birth date (NaT elsewhere)."""
    values = np.asarray(values, dtype=object)
    n = len(values)
    at, digits = _formed_ids(values)
    ok = _check_character_ok(digits)
    at, digits = at[ok], digits[ok]
    born = _birth_dates(digits)
    fine = ~_impossible_birth(born, as_of or dt.date.today())
    valid = np.zeros(n, dtype=bool)
    valid[at[fine]] = True
    birth = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    birth[at[fine]] = born[fine]
    return valid, birth


def ids_of_18(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(IDs with each 15-digit one made 18, which were converted), the members' and the rosters'
    alike: the old ID's 6-digit region, 19, its 6-digit birth date and 3-digit sequence, then the
    GB 11643 check character."""
    ids = np.asarray(ids, dtype=object).copy()
    lengths = np.fromiter(map(len, ids), dtype=np.int64, count=len(ids))
    at = np.flatnonzero(lengths == 15)
    if len(at):
        at = at[np.fromiter(map(str.isdigit, ids[at]), dtype=bool, count=len(at))
                & np.fromiter(map(str.isascii, ids[at]), dtype=bool, count=len(at))]
    converted = np.zeros(len(ids), dtype=bool)
    if len(at):
        body = pd.Series(ids[at], dtype=object)
        body = body.str[:6] + "19" + body.str[6:]
        ids[at] = (body + id_check_characters(body)).to_numpy(dtype=object)
        converted[at] = True
    return ids, converted


def id_faults(values: np.ndarray, as_of: dt.date | None = None) -> np.ndarray:
    """Why each ID (normalised text) is not valid, as the hint check_ids gives it: 'id_excel_number'
    (Excel stored it as a number: 2.2E+17, or 15 digits then 000 with a wrong check character),
    'id_formula' (=D2, never calculated), 'id_error_value' (#N/A), 'id_masked' (220122********2970, a
    system's masked export: masked_ids), 'id_length', 'id_check_digit' or 'id_birth_date'; '' for a valid
    or a blank one."""
    values = np.asarray(values, dtype=object)
    out = np.full(len(values), "", dtype=object)
    valid, _ = valid_ids(values, as_of)
    bad = np.flatnonzero(~valid & (values != ""))
    if not len(bad):
        return out
    wrong = values[bad]
    at, digits = _formed_ids(wrong)
    formed = np.zeros(len(wrong), dtype=bool)
    formed[at] = True
    check_ok = np.zeros(len(wrong), dtype=bool)
    check_ok[at] = _check_character_ok(digits)
    mangled = np.zeros(len(wrong), dtype=bool)
    mangled[at] = ~check_ok[at] & (digits[:, 15:18] == 0).all(axis=1)
    text = pd.Series(wrong, dtype=object)
    excel = ~formed & text.str.fullmatch(_EXCEL_NUMBER).to_numpy(dtype=bool)
    # A formula never calculated (=D2) or an Excel error value (#N/A) in place of the ID: said so, not
    # as a wrong length.
    formula, error = (text.str.startswith(mark).to_numpy(dtype=bool) for mark in ("=", "#"))
    # Masked as check_ids finds it (id_masked): its digits are not in the file, no wrong length (a roster
    # exported masked was told 位数不对 of every row, an outside try).
    masked, _ = masked_ids(wrong, np.flatnonzero(~formed & ~excel))
    out[bad] = np.select([formula, error, excel | mangled, masked, ~formed, ~check_ok],
                         ["id_formula", "id_error_value", "id_excel_number", "id_masked", "id_length",
                          "id_check_digit"], "id_birth_date").astype(object)
    return out


# A column of IDs that Excel turned into numbers and that were saved as text (a CSV, values pasted):
# 15 digits then 000, most with a wrong check character, some (one in 11) with one that happens to fit.
# (A column of numbers still stored as numbers reads 2.2E+17: its text cells are no such numbers.)
# the fitting ones are taken for such numbers too where the column holds at least this share of the others (one
# mistyped cell in a long column is not enough), or where most of its IDs end in 000 (a short list
# whose few numbers all happen to fit). A true ID ends in 000 about once in 1,100; such a number,
# matched, is another person's ID.
_EXCEL_COLUMN_SHARE = 0.05
_EXCEL_COLUMN_ENDINGS = 0.5


def excel_column_like(ends: np.ndarray, fits: np.ndarray, excel: np.ndarray, filled: np.ndarray,
                      groups: Callable[[], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Which IDs ending in 000 (`ends`) whose check character fits (`fits`) are Excel numbers all the
    same: in a column (`groups()`: one key per sheet, asked for only when some ID may be one) where
    `excel` marks enough IDs ending in 000 with a wrong check character, or where most of the `filled`
    IDs end in 000. Also, per ID, how many others of its column end in 000."""
    n = len(ends)
    ending = fits & ends
    if not ending.any() or not (excel.any() or ends.sum() >= 2):
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    codes, _ = pd.factorize(groups())
    numbers = np.bincount(codes, weights=excel)
    endings = np.bincount(codes, weights=ends)
    column = ((numbers >= 1) & (numbers >= _EXCEL_COLUMN_SHARE * np.bincount(codes, weights=filled))) \
        | ((endings >= 2) & (endings >= _EXCEL_COLUMN_ENDINGS * np.bincount(codes, weights=filled)))
    return ending & column[codes], endings.astype(np.int64)[codes] - 1


def _sheets(df: pd.DataFrame) -> np.ndarray:
    """Each row's sheet as a number, the same for the rows of one sheet: by its sheet_key (file and
    sheet, as read), else by its file and sheet (each factorised: no text is put together per row)."""
    if "sheet_key" in df.columns:
        return pd.factorize(df["sheet_key"].to_numpy(dtype=object))[0]
    files = pd.factorize(df["source_file"].to_numpy(dtype=object))[0].astype(np.int64)
    sheets = pd.factorize(df["sheet"].fillna("").to_numpy(dtype=object))[0].astype(np.int64)
    return files * (int(sheets.max(initial=0)) + 1) + sheets


def masked_ids(values: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which IDs (normalised text) are masked (_MASKED_ID, an ID's 15 or 18 characters), looked for
    among `others` (the positions of the filled IDs that are not well formed); and per masked ID its
    mark (*, X), for the words."""
    masked = np.zeros(len(values), dtype=bool)
    mark = np.full(len(values), None, dtype=object)
    if not len(others):
        return masked, mark
    text = pd.Series(values[others], dtype=object)
    # An ID's length first: the pattern is tried on those alone (a long cell of stars is none).
    sized = text.str.len().isin((15, 18)).to_numpy(dtype=bool)
    like = sized.copy()
    like[sized] = text[sized].str.fullmatch(_MASKED_ID).to_numpy(dtype=bool)
    masked[others[like]] = True
    mark[others[like]] = text[like].str.replace(r"[0-9]", "", regex=True).str[0].to_numpy(dtype=object)
    return masked, mark


def check_ids(df: pd.DataFrame, log: IssueLog, as_of: dt.date, rules: RuleSet, *, field: str = "head_id",
              duplicates: bool = True, keys: bool = False,
              struck: np.ndarray | None = None) -> pd.Series | tuple[pd.Series, np.ndarray]:
    """ID checks of the column `field` (the head's; a member's in the members table); returns the
    birth dates (NaT where the ID is not valid), and with `keys` the IDs' integer keys (id_keys)
    too. With `duplicates`, the same ID on two rows is a duplicate_household."""
    # NA: a formula whose value was never calculated (flagged by normalise), nothing to check.
    unread = df[field].isna().to_numpy(dtype=bool)
    ids = df[field].fillna("")
    values = ids.to_numpy(dtype=object)
    n = len(values)
    blank = (ids == "").to_numpy(dtype=bool)
    log.add(blank & ~unread, field, "missing_value", hint="missing_required")

    # 17 ASCII digits and a digit or X (_ID_FORMAT), from the character codes.
    at, digits = _formed_ids(values)
    well_formed = np.zeros(n, dtype=bool)
    well_formed[at] = True
    others = np.flatnonzero(~blank & ~well_formed)
    excel = np.zeros(n, dtype=bool)
    excel[others] = pd.Series(values[others], dtype=object).str.fullmatch(_EXCEL_NUMBER).to_numpy(dtype=bool)
    log.add(excel, field, "id_malformed", hint="id_excel_number")
    # Masked by the system it was exported from: the digits are not in the file, nothing is shifted or
    # cut short (an outside try was told 列错位 of every row); the whole ID is to be exported again.
    masked, mark = masked_ids(values, others)
    log.add(masked, field, "id_masked", mark=mark)
    short = ~blank & ~excel & ~well_formed & ~masked
    upgraded, as_18 = np.zeros(n, dtype=bool), np.full(n, None, dtype=object)
    if short.any():  # the lengths of millions of IDs are counted only when one is wrong
        lengths = ids.str.len().to_numpy()
        # 18 characters, one of them wrong (a letter O for a 0, a × for an X): which one is said.
        wrong_at = np.flatnonzero(short & (lengths == 18))
        position = np.zeros(n, dtype=np.int64)
        character = np.full(n, "", dtype=object)
        for i in wrong_at:  # a few IDs
            k = next(k for k, ch in enumerate(values[i]) if not (ch in "0123456789" or (k == 17 and ch == "X")))
            position[i], character[i] = k + 1, values[i][k]
        one_wrong = np.zeros(n, dtype=bool)
        one_wrong[wrong_at] = True
        # An old 15-digit ID (the first-generation card's) stays an error, the form must carry 18, but
        # its 18-digit form (as a roster's or a member's is converted) is said, to copy: where it is a
        # valid ID (15 digits of something else, with no birth date in them, keep the plain words).
        old = np.flatnonzero(short & ~one_wrong & (lengths == 15))
        if len(old):
            converted_ids, converted = ids_of_18(values[old])
            fine = converted & valid_ids(converted_ids, as_of)[0]
            as_18[old[fine]] = converted_ids[fine]
            upgraded[old[fine]] = True
        # Two IDs in one cell (a line break between them, read away: two heads on one row): said so, each
        # quoted, where both halves are valid IDs; 36 characters alone tell the clerk nothing.
        pair = np.flatnonzero(short & (lengths == 36))
        two = np.zeros(n, dtype=bool)
        first, second = np.full(n, None, dtype=object), np.full(n, None, dtype=object)
        if len(pair):
            halves = np.array([v[:18] for v in values[pair]] + [v[18:] for v in values[pair]], dtype=object)
            fine = valid_ids(halves, as_of)[0].reshape(2, -1).all(axis=0)
            two[pair[fine]] = True
            first[pair[fine]], second[pair[fine]] = halves[:len(pair)][fine], halves[len(pair):][fine]
        log.add(short & ~one_wrong & ~upgraded & ~two, field, "id_malformed", hint="id_length", length=lengths)
        log.add(two, field, "id_malformed", hint="id_two_numbers", first=first, second=second)
        log.add(upgraded, field, "id_malformed", hint="id_old_15", as_18=as_18)
        log.add(one_wrong, field, "id_malformed", hint="id_character", position=position, character=character)

    sub_ok = _check_character_ok(digits)
    check_ok = np.zeros(n, dtype=bool)
    check_ok[at] = sub_ok
    # 15 significant digits then 000 with a wrong check character: Excel kept it as a number once.
    mangled = np.zeros(n, dtype=bool)
    mangled[at] = ~sub_ok & (digits[:, 15:18] == 0).all(axis=1)
    log.add(mangled, field, "id_malformed", hint="id_excel_number")
    # Birth date (characters 7-14) of every formed ID, whatever its check character: a typo in the date
    # digits (month 39) makes the check character wrong too, and told only 校验位 the clerk looks at the
    # last digit (an outside try). Each distinct date parsed once (_birth_dates).
    born = _birth_dates(digits)
    impossible = np.zeros(n, dtype=bool)
    impossible[at] = _impossible_birth(born, as_of)
    # A wrong check character, not an Excel number's. The same after the column's Excel numbers are
    # marked below: those had a fitting check character, and become `mangled`.
    unfit = well_formed & ~check_ok & ~mangled
    log.add(unfit & ~impossible, field, "id_checksum", hint="id_check_digit")
    # Of a sheet's column of such numbers, those whose check character happens to fit, too.
    ends = np.zeros(n, dtype=bool)
    ends[at] = (digits[:, 15:18] == 0).all(axis=1)
    like, numbers = excel_column_like(ends, check_ok, mangled, ~blank, partial(_sheets, df))
    if like.any():
        log.add(like, field, "id_malformed", hint="id_excel_number_column", others=numbers)
        check_ok &= ~like
        sub_ok = sub_ok & ~like[at]
        mangled |= like

    # The birth date said first where it does not exist: with the check character right, or wrong too
    # (both told, the date's digits to check first: fixing them may mend the check character).
    ok_at, ok_digits = (at, digits) if sub_ok.all() else (at[sub_ok], digits[sub_ok])
    birth = pd.Series(pd.NaT, index=ids.index, dtype="datetime64[ns]")
    birth.iloc[ok_at] = born if sub_ok.all() else born[sub_ok]
    bad_birth = check_ok & impossible
    both_wrong = unfit & impossible
    birth_text = np.full(n, None, dtype=object)
    birth_text[bad_birth | both_wrong] = [v[6:14] for v in values[bad_birth | both_wrong]]
    log.add(bad_birth, field, "id_checksum", hint="id_birth_date", birth=birth_text)
    log.add(both_wrong, field, "id_checksum", hint="id_birth_date_check", birth=birth_text)
    birth = birth.where(~bad_birth)

    valid = well_formed & check_ok & ~bad_birth
    # The region (characters 1-6) of a valid ID, looked up once per distinct code.
    region_codes, distinct = pd.factorize(_digits_value(ok_digits[:, :6]))
    known = np.array([_region_known(f"{code:06d}") for code in distinct.tolist()], dtype=bool)
    unknown = np.zeros(n, dtype=bool)
    unknown[ok_at] = ~known[region_codes] if len(distinct) else False
    unknown &= valid
    region = np.full(n, None, dtype=object)
    region[unknown] = [v[:6] for v in values[unknown]]
    log.add(unknown, field, "id_region_unknown", region=region)
    id_key = _keys(values, at, digits)
    if upgraded.any():  # an old 15-digit ID is the head its 18-digit form names on another row
        up_at, up_digits = _formed_ids(as_18[upgraded])
        id_key[np.flatnonzero(upgraded)[up_at]] = _keys(as_18[upgraded][up_at], np.arange(len(up_at)), up_digits)

    # The same head on more than one row, in any of the inputs: each row names the next where it
    # stands, the last the first, so that following them from any row reaches every one (in another
    # township's file too).
    # An ID Excel turned into a number is no ID: two alike (2.20122E+17) are not the same head.
    # Nor are two masked IDs alike (220122********2970 twice): two people born in the county may read so.
    dup = ~blank & ~excel & ~mangled & ~masked & pd.Series(id_key).duplicated(keep=False).to_numpy() if duplicates \
        else np.zeros(n, dtype=bool)
    if dup.any():
        at = np.flatnonzero(dup)
        groups = pd.Series(id_key[dup])  # the IDs' integer keys: one per distinct text
        rank = groups.groupby(groups).cumcount().to_numpy()
        key = groups.to_numpy()
        first = pd.Series(at[rank == 0], index=key[rank == 0]).reindex(key).to_numpy()
        size = groups.map(groups.value_counts()).to_numpy()
        # Row of rank r in its group: the group's rows are at[order], in input order, rank by rank.
        order = np.lexsort((rank, key))
        position = np.empty(len(at), dtype=np.int64)
        position[order] = np.arange(len(at))
        following = at[order][np.minimum(position + 1, len(at) - 1)]
        other = np.full(n, -1, dtype=np.int64)
        other[at] = np.where(rank + 1 < size, following, first)
        count = np.zeros(n, dtype=np.int64)
        count[at] = size
        totals = (rules.income.total, rules.expenses.total)
        add_naming_another_row(log, dup, field, "duplicate_household", df, other, apart=True,
                               count=pd.Series(count, index=ids.index), **_other_household(df, dup, other, totals, struck))
    return (birth, id_key) if keys else birth


def _other_household(df: pd.DataFrame, mask: np.ndarray, other: np.ndarray,
                     totals: tuple[str, ...] = (), struck: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """duplicate_household's words of the other row (`other`: its position, per row of `mask`): its
    行政村 and 村民小组 and head's name ({other_place_zh}/{other_place_en}, {other_name}), which a village knows (it has never
    seen the township file's row numbers), and what to do ({advice_zh}/{advice_en}): keep one row,
    where the household lives; told apart where both rows are one village's; which one where they are
    one head's and their figures differ or one is noted corrected (_duplicate_rows_told_apart; `totals`:
    the money fields that are totals, compared only where both rows give them)."""
    n = len(df)
    out = {key: np.full(n, "", dtype=object) for key in ("other_place_zh", "other_place_en", "other_name",
                                                           "advice_zh", "advice_en")}
    at = np.flatnonzero(mask)
    if not len(at):
        return out
    there = other[at]

    def text(name: str) -> np.ndarray:
        return (df[name].fillna("").astype(str).str.strip().to_numpy(dtype=object) if name in df.columns
                else np.full(n, "", dtype=object))

    township, village, group, name = text("township"), text("village"), text("group"), text("head_name")
    # Two heads' names (spaces aside): two households, one ID mistyped. Deleting a row would lose one.
    bare = pd.Series(name, dtype=object).str.replace(r"\s", "", regex=True).to_numpy(dtype=object)
    others = (bare[at] != bare[there]) & (bare[at] != "") & (bare[there] != "")
    same = (township[at] == township[there]) & (village[at] == village[there])
    told = _duplicate_rows_told_apart(df, at, there, ~others, same, totals, struck)
    for lang in ("zh", "en"):
        unknown = label("unknown_village", lang)
        out[f"other_place_{lang}"][at] = np.where(village[there] != "", village[there], unknown) + group[there]
        advice = np.select(
            [others, same], [label("duplicate_advice_names_differ", lang), label("duplicate_advice_one_village", lang)],
            label("duplicate_advice_two_villages", lang))
        out[f"advice_{lang}"][at] = np.where(told[lang] != "", told[lang], advice)
    out["other_name"][at] = np.where(name[there] != "", name[there], "—")
    return out


# Of one head's two rows whose figures differ, the fields said with both rows' values (the rest counted).
DIFFERING_FIELDS_SHOWN = 3


def _duplicate_rows_told_apart(df: pd.DataFrame, at: np.ndarray, there: np.ndarray, one_head: np.ndarray,
                               one_village: np.ndarray, totals: tuple[str, ...],
                               struck: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """duplicate_household's advice per pair of rows (`at`, `there`: positions) of one head (`one_head`:
    the names alike) that tells the two apart, '' elsewhere (the usual advice): the figures that differ
    with both rows' values, and which row to keep. Deleting the corrected copy of an old row keeps the
    wrong figures (an outside try, 2026-12-06), so the row whose 备注 says it was corrected ([notes]
    corrected) is named where both rows are one village's; else, where one of them is struck through
    (`struck`: per household), that one as the old row; else the row with the checked figures is to
    stay. Still an error: the household stands twice until a row is deleted (domain §6)."""
    n = len(at)
    differ, compared = _duplicate_figures(df, at, there, totals)
    differs = one_head & differ.any(axis=1)
    both = np.r_[at, there]  # the pairs' rows: this one's, then the other's
    words = fields().notes
    notes = (df["notes"].iloc[both].fillna("").astype(str).to_numpy(dtype=object) if "notes" in df.columns
             else np.full(2 * n, "", dtype=object))
    noted = np.zeros(2 * n, dtype=bool)
    if words.corrected:
        near = texts_matching(notes, words.mention(words.corrected))
        noted[near[texts_saying(notes[near], words.row_corrected)]] = True
    here = one_head & one_village & noted[:n] & ~noted[n:]
    away = one_head & one_village & noted[n:] & ~noted[:n]
    # Neither noted corrected, one struck through (删除线): the struck one is the old row.
    crossed = struck[both] if struck is not None else np.zeros(2 * n, dtype=bool)
    unnoted = one_head & one_village & ~here & ~away
    struck_here = unnoted & crossed[:n] & ~crossed[n:]
    struck_there = unnoted & crossed[n:] & ~crossed[:n]
    told = differs | here | away | struck_here | struck_there
    out = {lang: np.full(n, "", dtype=object) for lang in ("zh", "en")}
    if not told.any():
        return out
    row = df["row"].to_numpy(dtype=np.int64, na_value=0)[both] if "row" in df.columns \
        else np.zeros(2 * n, dtype=np.int64)
    sheets = _sheets(df.iloc[both]) if {"sheet_key", "source_file"} & set(df.columns) \
        else np.zeros(2 * n, dtype=np.int64)
    apart = sheets[:n] != sheets[n:]
    # One sheet's two rows in its order, so that both rows' messages read alike; else this row first.
    swap = ~apart & (row[n:] < row[:n])
    first, second = np.where(swap, there, at), np.where(swap, at, there)
    shown = differ & one_head[:, None] & (np.cumsum(differ, axis=1) <= DIFFERING_FIELDS_SHOWN)
    more = differ.sum(axis=1) - DIFFERING_FIELDS_SHOWN
    for lang in ("zh", "en"):
        values = np.full(n, "", dtype=object)
        sep = label("duplicate_values_sep", lang)
        for f, (spec, column) in enumerate(compared):  # a dozen fields, each over its pairs at once
            pairs = np.flatnonzero(shown[:, f])
            if not len(pairs):
                continue
            said = pd.DataFrame({"header": spec.header,
                                 "row": np.where(swap, row[n:], row[:n])[pairs].astype(str),
                                 "other_row": np.where(swap, row[:n], row[n:])[pairs].astype(str),
                                 "value": _figures_said(spec.kind, df[column].iloc[first[pairs]], lang),
                                 "other_value": _figures_said(spec.kind, df[column].iloc[second[pairs]], lang)})
            text = np.full(len(pairs), "", dtype=object)
            for key, these in (("duplicate_values_apart", apart[pairs]), ("duplicate_values_rows", ~apart[pairs])):
                if these.any():
                    text[these] = _labels_over(key, lang, said[these])
            values[pairs] = np.where(values[pairs] != "", values[pairs] + sep, "") + text
        counted = np.full(n, "", dtype=object)
        if (more > 0).any():
            counted[more > 0] = _labels_over("duplicate_more_fields", lang, pd.DataFrame({"count": more[more > 0]}))
        figures = _labels_over("duplicate_figures_differ", lang, pd.DataFrame({"values": values, "more": counted}))
        keep = np.select(
            [here, away, struck_here, struck_there, one_village],
            [_labels_over("duplicate_advice_corrected_here", lang, pd.DataFrame({"note": notes[:n]})),
             _labels_over("duplicate_advice_corrected_there", lang, pd.DataFrame({"note": notes[n:]})),
             label("duplicate_advice_struck_here", lang), label("duplicate_advice_struck_there", lang),
             label("duplicate_advice_keep_checked", lang)],
            label("duplicate_advice_two_villages", lang) + label("duplicate_kept_checked", lang))
        out[lang][told] = (np.where(differs, figures, "") + keep)[told]
    return out


def _duplicate_figures(df: pd.DataFrame, at: np.ndarray, there: np.ndarray, totals: tuple[str, ...]):
    """Which of the figures the form reads differ between the rows `at` and `there` (positions, pair
    by pair): a matrix pairs × fields, and the fields compared as (spec, column). Money in fen, a blank
    component as the 0 it is read as, a total only where both rows give it (a blank total is its
    components' sum, compared there); a count or a yes/no left blank differs from one given."""
    compared = [(spec, f"{spec.name}_fen" if spec.kind == "money" else spec.name) for spec in fields().field
                if spec.kind in ("money", "integer", "flag")]
    compared = [(spec, column) for spec, column in compared if column in df.columns]
    differ = np.zeros((len(at), len(compared)), dtype=bool)
    for f, (spec, column) in enumerate(compared):  # a dozen fields, each over the duplicate rows at once
        mine = df[column].iloc[at].reset_index(drop=True)
        theirs = df[column].iloc[there].reset_index(drop=True)
        given = mine.notna().to_numpy(dtype=bool), theirs.notna().to_numpy(dtype=bool)
        total = spec.kind == "money" and spec.name in totals
        if total and spec.name in df.columns:  # a blank total reads 0 in fen: given is what was typed
            typed = df[spec.name].iloc[np.r_[at, there]].fillna("").astype(str).str.strip() != ""
            typed = typed.to_numpy(dtype=bool)
            given = given[0] & typed[:len(at)], given[1] & typed[len(at):]
        elif spec.kind == "money":
            mine, theirs = mine.fillna(0), theirs.fillna(0)
            given = (np.ones(len(at), dtype=bool),) * 2
        unequal = mine.ne(theirs).to_numpy(dtype=bool, na_value=False) & given[0] & given[1]
        differ[:, f] = unequal if total else unequal | (given[0] != given[1])
    return differ, compared


def _figures_said(kind: str, values: pd.Series, lang: str) -> np.ndarray:
    """Figures of duplicate rows as duplicate_household quotes them: money in yuan, a count, 是 or 否,
    空白 where blank."""
    blank = values.isna().to_numpy(dtype=bool)
    if kind == "money":
        yuan = fen_text(values.astype("Int64")).to_numpy(dtype=object)
        said = _labels_over("duplicate_amount", lang, pd.DataFrame({"yuan": yuan}))
    elif kind == "flag":
        said = np.where(values.fillna(False).to_numpy(dtype=bool), label("duplicate_yes", lang),
                        label("duplicate_no", lang)).astype(object)
    else:
        said = values.astype("Int64").astype(str).to_numpy(dtype=object)
    return np.where(blank, label("duplicate_blank", lang), said)


def _labels_over(key: str, lang: str, params: pd.DataFrame) -> np.ndarray:
    """The label `key` in `lang` for each row of `params`, whose columns fill its placeholders."""
    return np.array(filled(label(key, lang), params), dtype=object)


def another_in_group(keys: np.ndarray) -> np.ndarray:
    """For each position of `keys`, another position with the same key (the first's the second,
    every other's the first); a key that stands once has none (-1)."""
    groups = pd.Series(keys, dtype=object)
    rank = groups.groupby(groups, sort=False).cumcount().to_numpy()
    first = pd.Series(np.flatnonzero(rank == 0), index=keys[rank == 0])
    second = pd.Series(np.flatnonzero(rank == 1), index=keys[rank == 1])
    other = np.where(rank == 0, second.reindex(keys).to_numpy(), first.reindex(keys).to_numpy())
    return np.nan_to_num(other.astype(float), nan=-1).astype(np.int64)


def add_naming_another_row(log: IssueLog, mask: np.ndarray, field: str, code: str, df: pd.DataFrame,
                           other: np.ndarray, *, apart: bool = False, **params) -> None:
    """log.add(mask, …) for an issue whose message names another row of `df` (`other`: its
    position, per row): its file, its sheet where it has one, and its row, in the reader's language
    (the hints other_row_in_sheet / other_row_in_file). With `apart`, an other row in another sheet
    or file has the hints apart_row_in_sheet / apart_row_in_file (the same words), so that a
    systemic finding of them is said with its own cause (the same township given twice)."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return
    n, at = len(mask), other[positions]
    if apart and "sheet_key" in df.columns:
        keys = df["sheet_key"].to_numpy(dtype=object)
        elsewhere = keys[positions] != keys[at]
        if elsewhere.any():
            split = np.zeros(n, dtype=bool)
            split[positions[elsewhere]] = True
            _add_naming(log, split, field, code, df, other, "apart", **params)
            mask = mask & ~split
            positions = np.flatnonzero(mask)
            if not len(positions):
                return
    _add_naming(log, mask, field, code, df, other, "other", **params)


def _add_naming(log: IssueLog, mask: np.ndarray, field: str, code: str, df: pd.DataFrame, other: np.ndarray,
                prefix: str, **params) -> None:
    positions = np.flatnonzero(mask)
    n, at = len(mask), other[positions]

    def on_flagged(values: np.ndarray) -> np.ndarray:  # the other rows' values, on the flagged rows
        out = np.full(n, "", dtype=object)
        out[positions] = values
        return out

    sheets = df["sheet"].to_numpy(dtype=object, na_value="")[at]
    named = {"other_file": on_flagged(df["source_file"].to_numpy(dtype=object)[at]), "other_sheet": on_flagged(sheets),
             "other_row": on_flagged(df["row"].iloc[at].astype(str).to_numpy(dtype=object))}
    in_sheet = sheets != ""
    in_sheet_hint, in_file_hint = f"{prefix}_row_in_sheet", f"{prefix}_row_in_file"
    for hint in dict.fromkeys(np.where(in_sheet, in_sheet_hint, in_file_hint).tolist()):
        flagged = np.zeros(n, dtype=bool)
        flagged[positions[in_sheet == (hint == in_sheet_hint)]] = True
        log.add(flagged, field, code, hint=hint, **named, **params)


def check_counts(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """residents_not_positive; household_size_implausible (a warning) and household_size_impossible (an
    error) on a 家庭人口数 or 家庭常住人口数 above the rule set's bounds (14 typed for 4, 40, an income typed
    there); residents_exceed_members, except where such a count is what makes the residents exceed, and
    said on the 家庭人口数 cell where that is 0 or less: no household has no members (a blank one is
    not asked: the field is optional and villages leave it so)."""
    residents, members = df["residents"], df["members"]
    log.add(residents.notna() & (residents <= 0), "residents", "residents_not_positive")
    limits = rules.checks
    warning, error = limits.household_size_warning_above, limits.household_size_error_above
    implausible = {}
    for name, count in (("members", members), ("residents", residents)):
        counted = count.to_numpy(dtype=np.float64, na_value=0)
        implausible[name] = counted > warning
        log.add(implausible[name] & (counted <= error), name, "household_size_implausible", limit=str(warning))
        log.add(counted > error, name, "household_size_impossible", limit=str(error))
    exceed = (residents.notna() & members.notna() & (residents > members)).to_numpy(dtype=bool, na_value=False)
    # Members 0 beside residents is the 0 that is wrong, whatever the residents say: its cell is named.
    no_members = exceed & (members <= 0).to_numpy(dtype=bool, na_value=False)
    log.add(exceed & ~no_members & ~implausible["residents"], "residents", "residents_exceed_members",
            hint="residents_exceed", members=members)
    log.add(no_members, "members", "residents_exceed_members", hint="members_zero", residents=residents)


def check_negative_amounts(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """negative_amount; not on a row read shifted (compute.read_shifted), whose amounts are not its
    own: its fields_beyond_header says it all. So for every check of the amounts below."""
    money_fields = [*rules.income.components, rules.income.total,
                    *rules.expenses.components, rules.expenses.total]
    read = ~read_shifted(df)
    for name in dict.fromkeys(money_fields):
        log.add((df[f"{name}_fen"] < 0).to_numpy(dtype=bool, na_value=False) & read, name, "negative_amount")


def _wan_words(df: pd.DataFrame, name: str, at: np.ndarray, lang: str) -> pd.Series:
    """Per household flagged in `at`, what follows a money cell's typed value where it was read in 万元
    (1.21 read as 12100.00: ' 万元(12100.00 元)'), '' elsewhere (normalise.read_as_wan)."""
    out = pd.Series("", index=df.index, dtype=object)
    if "amounts_in_wan" not in df.columns:
        return out
    rows = np.flatnonzero(at & df["amounts_in_wan"].to_numpy(dtype=bool))
    if not len(rows):
        return out
    fen = df[f"{name}_fen"].iloc[rows]
    read = rows[read_as_wan(df[name].iloc[rows], fen)]
    out.iloc[read] = [label("amount_read_in_wan", lang, yuan=fen_text(int(f))) for f in df[f"{name}_fen"].iloc[read]]
    return out


def check_totals(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """A total given beside its components must agree with their sum, within the tolerance. A total
    given with every component left blank is what the household is decided on (compute.py): said
    once, as a warning, with the total's cell; not where that total is 0, which blank components agree
    with exactly (no income or no costs to break down: an outside try's counties typed it so for 6–14 %
    of households)."""
    limits = rules.checks
    tolerance = int(limits.amount_tolerance * 100)
    headers = fields().by_name
    read = ~read_shifted(df)  # a shifted row's sums are NA (compute): no mismatch is found on it
    for definition, code, sum_col in ((rules.income, "total_income_mismatch", "income_components_fen"),
                                      (rules.expenses, "expenses_mismatch", "expense_components_fen")):
        total = df[f"{definition.total}_fen"].where(df[definition.total].fillna("") != "")
        differs = ((total - df[sum_col]).abs() > tolerance).to_numpy(dtype=bool, na_value=False)
        # A total whose formula was saved as 0 over amounts (workbook.SAVED_ZERO) was never calculated
        # by the program that wrote the file: said so, not another way of filling it in. Still a
        # mismatch: the saved 0 is not trusted, nor is a recalculation guessed.
        marked = SAVED_ZERO + definition.total
        saved_zero = differs & df[marked].eq(True).to_numpy(dtype=bool, na_value=False) \
            if marked in df.columns else None
        hint = either(saved_zero, "formula_saved_zero", "") \
            if saved_zero is not None and saved_zero.any() else None
        log.add(differs, definition.total, code, hint=hint, expected=_where(differs, fen_text, df[sum_col]),
                limit=yuan_figure(limits.amount_tolerance), unit_zh=_wan_words(df, definition.total, differs, "zh"),
                unit_en=_wan_words(df, definition.total, differs, "en"))
        zero = (df[f"{definition.total}_fen"] == 0).to_numpy(dtype=bool, na_value=False)
        log.add(blank_components(df, definition) & ~zero & read, definition.total, "components_blank",
                components="/".join(headers[c].header for c in definition.components))


def check_units(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """Amounts that look typed in 万元 (domain §6). A whole household: its total income positive but
    under unit_household_below yuan per resident. One cell: a wage or business income (the rule
    set's unit_components) under unit_component_below yuan beside another income component of
    unit_component_beside yuan or more; or such an income under unit_component_below alone (a
    wage of 3 beside a subsidy of 800: no year's wage is a few yuan), said with its 万元 reading and the
    per-capita that gives. Small property and transfer incomes (bank interest, land rent, a subsidy of
    tens of yuan) are ordinary and never flagged, unless typed with digits below the fen (0.6628): any
    money cell under unit_component_below yuan so typed is 万元 typed to the yuan. Compared in fen, exactly."""
    limits = rules.checks
    residents = df["residents"].astype("Int64")
    total = df["total_income_used_fen"]  # NA on a row read shifted (compute): no whole household said
    shifted = read_shifted(df)
    per_resident = int(limits.unit_household_below * 100)
    whole = (residents > 0) & (total > 0) & (total < per_resident * residents)
    # A resident count above household_size_warning_above (an income typed there: 1248) is what makes the
    # income small a head, and household_size_implausible says so: not a household typed in 万元.
    whole &= residents <= limits.household_size_warning_above
    whole = whole.fillna(False).to_numpy(dtype=bool)
    # Costs written in yuan (a cost cell of unit_component_beside yuan or more) say the household's
    # amounts were not typed in 万: the few hundred yuan of a failed harvest's year are what they say.
    beside = int(limits.unit_component_beside * 100)
    for cost in (*rules.expenses.components, rules.expenses.total):
        if f"{cost}_fen" in df.columns:
            whole = whole & ~(df[f"{cost}_fen"].to_numpy(dtype=np.int64, na_value=0) >= beside)
    # Read in 万 already (the sheet says 万元), a household this small is not one typed in 万 by mistake.
    wan = df["amounts_in_wan"].to_numpy(dtype=bool) if "amounts_in_wan" in df.columns else np.zeros(len(df), bool)
    # Read in 万元, a total of a few hundred yuan for four or five residents would be millions, above the
    # per-capita ceiling a head: not a household typed in 万 but incomes left out or mistyped (an outside
    # try: 280–586 yuan for 4–6 residents were told 是否整户误按万元填写).
    ceiling = int(limits.per_capita_ceiling * 100)
    beyond = (total.astype("Int64") * 10_000 > residents * ceiling).fillna(False).to_numpy(dtype=bool)
    for these, hint in ((whole & ~wan & ~beyond, "unit_household"), (whole & ~wan & beyond, "unit_household_neither"),
                        (whole & wan, "unit_household_wan")):
        log.add(these, rules.income.total, "amount_unit_suspect", hint=hint,
                value=_where(these, fen_text, total), residents=_where(these, _as_text, residents),
                limit=yuan_figure(limits.unit_household_below), ceiling=yuan_figure(limits.per_capita_ceiling))

    said: dict[str, np.ndarray] = {}  # per field, the cells flagged above: said once
    components = list(rules.income.components)
    amounts = pd.concat([df[f"{name}_fen"].fillna(0).astype(np.int64) for name in components], axis=1).to_numpy()
    costs = [c for c in rules.expenses.components if f"{c}_fen" in df.columns]
    cost_amounts = np.column_stack([df[f"{c}_fen"].to_numpy(dtype=np.int64, na_value=0) for c in costs]) \
        if costs else np.zeros((len(df), 0), dtype=np.int64)
    # A row read shifted has its amounts from the wrong columns: none of them looked at, as if blank.
    amounts[shifted] = 0
    cost_amounts[shifted] = 0
    # A cost of thousands says the household deals in thousands too: a farm household whose business
    # income (its only large income) was typed 2.5 for 25,000 has no other income to stand beside.
    largest_cost = cost_amounts.max(axis=1, initial=0)
    small = int(limits.unit_component_below * 100)
    params = dict(limit=yuan_figure(limits.unit_component_below), beside=yuan_figure(limits.unit_component_beside))
    for j, name in enumerate(components):
        if name not in limits.unit_components:
            continue
        by_income = np.delete(amounts, j, axis=1).max(axis=1, initial=0) >= beside
        one = (amounts[:, j] > 0) & (amounts[:, j] < small) & (by_income | (largest_cost >= beside)) & ~whole
        log.add(one, name, "amount_unit_suspect", hint=either(by_income, "unit_component", "unit_component_cost"),
                **params)
        said[name] = one
        if name == "business_income" and costs:
            # A farm's own columns in 万元 beside subsidies in yuan (2.12 sold, 0.95 spent, 720 of
            # subsidies): its business income and a cost both under unit_component_below; or (12
            # sold, 9.5 spent, beside wages) its business income and every cost under unit_farm_below.
            tiny_cost = ((cost_amounts > 0) & (cost_amounts < small)).any(axis=1)
            tiny = (amounts[:, j] > 0) & (amounts[:, j] < small) & tiny_cost
            farm_below = int(limits.unit_farm_below * 100)
            small_farm = (amounts[:, j] > 0) & (amounts[:, j] < farm_below) & (cost_amounts > 0).any(axis=1) \
                & (cost_amounts < farm_below).all(axis=1)
            farm = (tiny | small_farm) & ~one & ~whole
            said[name] = one | farm
            log.add(farm, name, "amount_unit_suspect", hint="unit_business",
                    limit=np.where(tiny, params["limit"], yuan_figure(limits.unit_farm_below)).astype(object))
    # A cost typed in 万元 (0.8 for 8,000) beside a business income of thousands.
    if "business_income" in components and costs:
        business = amounts[:, components.index("business_income")]
        for j, cost in enumerate(costs):
            one = (cost_amounts[:, j] > 0) & (cost_amounts[:, j] < small) & (business >= beside) & ~whole
            log.add(one, cost, "amount_unit_suspect", hint="unit_cost", **params)
            said[cost] = one
    nothing = np.zeros(len(df), dtype=bool)
    # A wage or business income under unit_component_below yuan is no year's real figure, whatever
    # stands beside it (an outside try: wages of 3 and 2, meant as 3万 and 2万, beside transfers of 800
    # and 960, decided below the line unwarned). Said where nothing above said the cell; digits below the
    # fen are unit_below_fen's. The words give the 万元 reading and the per-capita it would make.
    computable = df["computable"].to_numpy(dtype=bool)
    net = df["net_income_fen"].to_numpy(dtype=np.int64, na_value=0)
    for j, name in enumerate(components):
        if name not in limits.unit_components:
            continue
        below_fen = df[f"{name}_below_fen"].to_numpy(dtype=bool) if f"{name}_below_fen" in df.columns else nothing
        alone = (amounts[:, j] > 0) & (amounts[:, j] < small) & computable & ~whole & ~wan & ~below_fen \
            & ~said[name]
        if not alone.any():
            continue
        in_wan = pd.Series(amounts[:, j] * 10_000, index=df.index)
        would_be = round_half_up_div(pd.Series(net, index=df.index) + in_wan - amounts[:, j],
                                     residents.where(pd.Series(alone, index=df.index), 1))
        log.add(alone, name, "amount_unit_suspect", hint="unit_labour_alone", limit=params["limit"],
                as_wan=_where(alone, fen_text, in_wan), per_capita=_where(alone, fen_text, would_be),
                per_capita_typed=_where(alone, fen_text, df["per_capita_fen"]))
        said[name] = said[name] | alone
    # Yuan stop at the fen: an amount under unit_component_below with digits below it (0.6628, 0.065) is
    # 万元 typed to the yuan (6,628 yuan), in any money cell, a property or transfer income too (an outside
    # try's transfer incomes typed so went unsaid). A float's noise (3218.0000000001) is no such digit
    # (normalise.below_fen), nor are 0.5 or 30.92.
    # A total so typed is said where none of its components is: where one is, the total repeats that slip.
    sums = (rules.income, rules.expenses)
    for name, parts in [*((c, ()) for d in sums for c in d.components), *((d.total, d.components) for d in sums)]:
        if f"{name}_below_fen" not in df.columns:
            continue
        fen = df[f"{name}_fen"].to_numpy(dtype=np.int64, na_value=0)
        typed_to_yuan = df[f"{name}_below_fen"].to_numpy(dtype=bool) & (fen > 0) & (fen < small) & ~wan & ~whole \
            & ~said.get(name, nothing) & ~shifted
        for part in parts:
            typed_to_yuan &= ~said.get(part, nothing)
        if not typed_to_yuan.any():  # most columns of most counties: nothing to word
            continue
        as_wan = _where(typed_to_yuan, _as_wan, df[name])
        typed_to_yuan &= (as_wan != "").to_numpy(dtype=bool)  # a cell that says 万 itself meant it
        log.add(typed_to_yuan, name, "amount_unit_suspect", hint="unit_below_fen", limit=params["limit"],
                as_wan=as_wan)
        said[name] = said.get(name, nothing) | typed_to_yuan


def _as_wan(typed: pd.Series) -> pd.Series:
    """The yuan a money cell's number comes to read in 万元 (0.6628: '6628.00'); '' where it does not
    read so (it says 万 already)."""
    fen, _ = parse_money(typed.astype(str).str.strip().str.removesuffix("元") + "万")
    return fen_text(fen)


def _noted(df: pd.DataFrame, at: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
    """Which households of `at` (a mask) have a 备注 saying one of `words`, not after a word that says
    it did not happen (cells.affirmed): a year a warning asks to be explained there, explained."""
    out = np.zeros(len(df), dtype=bool)
    if at.any() and "notes" in df.columns:
        where = np.flatnonzero(at)
        notes = df["notes"].to_numpy(dtype=object, na_value="")[where]
        out[where[texts_matching(notes, affirmed(words))]] = True
    return out


def _amount_cell(df: pd.DataFrame, definition: Sum, used: str, tolerance: int) -> np.ndarray:
    """Per household, the field of the cell its amount of `definition` (the `used` column, fen) stands
    on: the total where the household typed one that is the amount used (its components blank or
    missing, or within `tolerance` fen of their sum), else its largest component, the first of equals
    (the cell that makes the amount: a total at odds with it has total_income_mismatch of its own)."""
    total = definition.total
    components = [c for c in definition.components if c in df.columns]
    if not components:
        return np.full(len(df), total, dtype=object)
    typed = df[total].to_numpy(dtype=object, na_value="") != ""
    # A column the sheet does not have is NA (a blank cell is ''): never the cell named.
    present = np.column_stack([df[c].notna().to_numpy(dtype=bool) for c in components])
    amounts = np.column_stack([df[f"{c}_fen"].to_numpy(dtype=np.int64, na_value=0) for c in components])
    largest = np.array(components, dtype=object)[np.where(present, amounts, -1).argmax(axis=1)]
    agrees = ((df[f"{total}_fen"] - df[used]).abs() <= tolerance).to_numpy(dtype=bool, na_value=False)
    on_total = (typed & (agrees | blank_components(df, definition))) | ~present.any(axis=1)
    return np.where(on_total, total, largest)


def check_per_capita(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """per_capita_implausible, on the cell to correct (domain §6: every issue names its cell; the
    per-capita it computes has none): above the ceiling, the income's cell (where amount_unit_suspect
    looks for the opposite slip); net ≤ 0, the costs' cell, which reach the income, or the income's
    where there are no costs (it is the income that is missing). The per-capita is in the words."""
    limits = rules.checks
    ceiling = int(limits.per_capita_ceiling * 100)
    # Exact: net ≤ 0, or net > ceiling × residents, compared in fen.
    not_positive = (df["net_income_fen"] <= 0).to_numpy(dtype=bool, na_value=False)
    # A net income of 0 or less is costs at least all income: a failed harvest the 备注 confirms (受灾绝收),
    # or a business year that lost money (生猪扑杀, 亏损), as costs_exceed_business_income accepts, is what
    # happened, not asked again.
    said = fields().notes
    not_positive &= ~_noted(df, not_positive, (*said.failed_harvest, *said.business_loss))
    implausible = df["computable"].to_numpy(dtype=bool, na_value=False) & (
        not_positive | (df["net_income_fen"] > ceiling * df["residents"]).to_numpy(dtype=bool, na_value=False))
    # The words differ by side: a net income of 0 or less is costs at least all income (a failed
    # harvest whose costs were spent is real in a dry year), or no income at all where there are no
    # costs; not an implausible fortune.
    above = df["net_income_fen"].fillna(0).to_numpy() > 0
    costs = df["production_expenses_used_fen"].to_numpy(dtype=np.int64, na_value=0) > 0
    # No business income yet production expenses that take the net income to 0 or below: an income (a
    # pension, say) typed in an expense column, not a failed harvest (an outside try: 4,320 of pension
    # in 生产性固定资产折旧 was told to note a disaster). Only where the sheet has the business income's
    # column and the household broke its income down (a total alone says nothing of its business).
    # Looked for among the flagged households only: a few in ten thousand.
    at = np.flatnonzero(implausible)
    flagged, tolerance = df.iloc[at], int(limits.amount_tolerance * 100)
    no_business = np.zeros(len(df), dtype=bool)
    if "business_income" in rules.income.components and "business_income" in df.columns and len(at):
        no_business[at] = (flagged["business_income_fen"].fillna(0) == 0).to_numpy(dtype=bool) \
            & flagged["business_income"].notna().to_numpy(dtype=bool) & ~blank_components(flagged, rules.income)
    hint = np.select([above, costs & no_business, costs],
                     ["above_ceiling", "net_no_business_income", "net_not_positive"], "net_no_income").astype(object)
    field = np.full(len(df), "", dtype=object)
    field[at] = np.where(~above[at] & costs[at],
                         _amount_cell(flagged, rules.expenses, "production_expenses_used_fen", tolerance),
                         _amount_cell(flagged, rules.income, "total_income_used_fen", tolerance))
    per_capita = _where(implausible, fen_text, df["per_capita_fen"])
    spent = _where(implausible & no_business, fen_text, df["production_expenses_used_fen"])
    for name in pd.unique(field[at]):
        log.add(implausible & (field == name), name, "per_capita_implausible", hint=hint, per_capita=per_capita,
                limit=yuan_figure(limits.per_capita_ceiling), costs=spent)


def check_business_costs(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    if "business_income" not in rules.income.components:
        return
    costs = [*rules.expenses.components, rules.expenses.total]
    # A cost cell that holds something unreadable (RMB6646.69 before RMB was read) is a cost given:
    # its own issue says what is wrong with it, not "no cost written".
    no_costs = np.ones(len(df), dtype=bool)
    for c in costs:
        fen = df[f"{c}_fen"]
        unread = fen.isna().to_numpy(dtype=bool) & (df[c].to_numpy(dtype=object, na_value="") != "")
        no_costs &= (fen.to_numpy(dtype=np.int64, na_value=0) == 0) & ~unread
    income = df["business_income_fen"].to_numpy(dtype=np.int64, na_value=0)
    # A courtyard's odd sales (a few hundred to 3,000 yuan) have no costs to write: only an income of
    # costs_expected_from or more is asked, unless 备注 says there were none (庭院零星出售, 无成本).
    limits = rules.checks
    asked = (income > 0) & (income >= int(limits.costs_expected_from * 100)) & no_costs & ~read_shifted(df)
    asked &= ~_noted(df, asked, limits.no_costs_notes)
    log.add(asked, "business_income", "income_without_costs", limit=yuan_figure(limits.costs_expected_from))


def check_costs_exceed(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """costs_exceed_business_income: the production expenses more than costs_over_business_income
    times the business income."""
    if "business_income" not in rules.income.components:
        return
    income = df["business_income_fen"].to_numpy(dtype=np.int64, na_value=0)
    # Costs a multiple of the business income: 家庭经营收入 and the costs typed in each other's column,
    # unless 备注 says the year lost money or took an outlay (a failed harvest, 亏损, 新建大棚). Exact:
    # the ratio as a fraction of integers, against fen.
    spent = df["production_expenses_used_fen"].to_numpy(dtype=np.int64, na_value=0)
    times, per = rules.checks.costs_over_business_income.as_integer_ratio()
    # A business income under unit_component_below is amount_unit_suspect's (typed in 万元), not a swap.
    over = (income >= int(rules.checks.unit_component_below * 100)) & (spent * per > income * times)
    said = fields().notes
    over &= ~_noted(df, over, (*said.failed_harvest, *said.business_loss))
    # On the total's cell where the sheet gives one, else on the costs' first column.
    given = (df[rules.expenses.total].to_numpy(dtype=object, na_value="") != "") \
        if rules.expenses.total in df.columns else np.zeros(len(df), dtype=bool)
    params = dict(value=_where(over, fen_text, df["production_expenses_used_fen"]),
                  income=_where(over, fen_text, df["business_income_fen"]),
                  limit=format(rules.checks.costs_over_business_income.normalize(), "f"))
    # The business costs (the rule set's first expense component) within the limit, and another component
    # (折旧, 税费) tipping the total over: no swap, but an amount in the wrong column (an income or another
    # figure typed into 折旧) or a real loss. Said on the largest such part's cell, named with its amount
    # (an outside try: business 470, costs 230, 折旧 720 was asked whether income and costs were swapped).
    first, *parts = rules.expenses.components
    tipped = np.zeros(len(df), dtype=bool)
    if parts and over.any():
        own = df[f"{first}_fen"].to_numpy(dtype=np.int64, na_value=0)
        amounts = np.column_stack([df[f"{c}_fen"].to_numpy(dtype=np.int64, na_value=0) for c in parts])
        largest = amounts.argmax(axis=1)
        largest_fen = pd.Series(amounts[np.arange(len(df)), largest], index=df.index)
        tipped = over & (own * per <= income * times) & (largest_fen > 0).to_numpy(dtype=bool)
        headers = fields().by_name
        words = dict(costs=headers[first].header, costs_value=_where(tipped, fen_text, df[f"{first}_fen"].fillna(0)),
                     part_value=_where(tipped, fen_text, largest_fen))
        for j, part in enumerate(parts):
            log.add(tipped & (largest == j), part, "costs_exceed_business_income", hint="costs_part_tips",
                    part=headers[part].header, **words, **params)
    swapped = over & ~tipped
    log.add(swapped & given, rules.expenses.total, "costs_exceed_business_income", hint="costs_swapped", **params)
    log.add(swapped & ~given, first, "costs_exceed_business_income", hint="costs_swapped", **params)


def check_allowance(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """A 低保 or 特困 household receives its allowance as transfer income."""
    if "transfer_income" not in rules.income.components:
        return
    allowance = (df["is_dibao"].fillna(False) | df["is_tekun"].fillna(False))
    log.add((allowance & (df["transfer_income_fen"].fillna(0) == 0) & df["transfer_income"].notna())
            .to_numpy(dtype=bool, na_value=False) & ~read_shifted(df), "transfer_income", "dibao_without_transfer")


def check_allowance_income(df: pd.DataFrame, log: IssueLog, rules: RuleSet, bounds: Bounds) -> None:
    """allowance_income_high: a household marked 低保 or 特困 whose per-capita net income is at least
    allowance_income_over_upper times the income year's upper bound (40,000 yuan as shipped), far above
    any 低保 standard: the 是 a slip, or a case for 民政 (错保). An outside try (2026-12-07): wages of
    46,000 marked 是否低保户 是 were left out as 低保户 without a word. Exact: net × per ≥ times × upper ×
    residents in fen, the factor a fraction of integers. On the flag that leaves the household out (低保
    before 特困, as the status goes), or the one marked where the rule set leaves neither out; the words
    say how it is decided, and that at such an income it is above the limit if the 是 was a slip."""
    dibao = df["is_dibao"].fillna(False).to_numpy(dtype=bool)
    tekun = df["is_tekun"].fillna(False).to_numpy(dtype=bool)
    if not (dibao | tekun).any():
        return
    times, per = rules.checks.allowance_income_over_upper.as_integer_ratio()
    net = df["net_income_fen"].to_numpy(dtype=np.int64, na_value=0)
    residents = df["residents"].astype("Int64").to_numpy(dtype=np.int64, na_value=0)
    # computable: a row read shifted (compute.read_shifted) has no figures, so it is never high.
    high = (dibao | tekun) & df["computable"].to_numpy(dtype=bool) \
        & (net * per >= times * bounds.upper_fen * residents)
    if not high.any():
        return
    excl = rules.exclude
    left_out_dibao = dibao & excl.dibao
    left_out_tekun = tekun & excl.tekun & ~left_out_dibao
    on_dibao = dibao & ~left_out_tekun  # left_out_dibao is within it
    hint = np.select([left_out_dibao, left_out_tekun],
                     ["allowance_high_left_out_dibao", "allowance_high_left_out_tekun"],
                     "allowance_high_decided_on_income").astype(object)
    params = dict(hint=hint, per_capita=_where(high, fen_text, df["per_capita_fen"]),
                  upper=yuan_figure(bounds.upper.value),
                  limit=yuan_figure(bounds.upper.value * rules.checks.allowance_income_over_upper),
                  times=format(rules.checks.allowance_income_over_upper.normalize(), "f"))
    log.add(high & on_dibao, "is_dibao", "allowance_income_high", **params)
    log.add(high & ~on_dibao, "is_tekun", "allowance_income_high", **params)


def check_head_age(df: pd.DataFrame, log: IssueLog, rules: RuleSet, as_of: dt.date, birth: pd.Series) -> None:
    limits = rules.checks
    age = _age(birth, as_of)
    odd_age = age.notna() & ((age < limits.head_age_min) | (age > limits.head_age_max))
    # The ID as typed is the cell's value (issues.csv's 填写内容); the age it gives is in the words.
    log.add(odd_age, "head_id", "head_age_implausible",
            age=_where(odd_age, lambda a: a.astype("Int64").astype(str), age),
            min_age=str(limits.head_age_min), max_age=str(limits.head_age_max))


def check_household_code(df: pd.DataFrame, log: IssueLog) -> None:
    """A 户编号 that Excel stored as a number of more than 15 digits reads back in scientific
    notation (2.20122101001E+19, as the cell shows it or a CSV saved by Excel holds it): its last
    digits are gone, and so is what told households apart. Only cells holding a '+' are looked at,
    and only when one does."""
    if "household_id" not in df.columns:
        return
    codes = df["household_id"].fillna("").to_numpy(dtype=object)
    mangled = np.zeros(len(codes), dtype=bool)
    if "+" in "".join(codes.tolist()):
        at = np.flatnonzero(np.fromiter(map(str.__contains__, codes, itertools.repeat("+")), dtype=bool,
                                        count=len(codes)))
        mangled[at] = pd.Series(codes[at], dtype=object).str.fullmatch(_EXCEL_NUMBER, case=False) \
            .to_numpy(dtype=bool)
        log.add(mangled, "household_id", "household_id_mangled")
    check_household_code_repeated(df, log, codes, mangled)


def _pairs(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One number (0, 1, 2 …) per distinct pair of the numbers first[i], second[i] (each 0 or more)."""
    return pd.factorize(first.astype(np.int64) * (int(second.max()) + 1) + second)[0]


def check_household_code_repeated(df: pd.DataFrame, log: IssueLog, codes: np.ndarray, mangled: np.ndarray) -> None:
    """One 户编号 on rows of different heads (their IDs differ) in one village: one household written
    as several, as an export that lists each member on a row of their own does (its 户编号 and
    amounts repeated, each row under a member's ID). Each such row names another; the same head
    twice is duplicate_household's, and a code Excel mangled is household_id_mangled's."""
    # A head left blank is no other head (its row has its own missing_value).
    head = df["head_id"].to_numpy(dtype=object, na_value="")
    rows = np.flatnonzero((codes != "") & ~mangled & (head != ""))
    if not len(rows):
        return
    # A village's own numbering (001, 002 …) repeats in the next village: a code is one household
    # within its township and village. Each is numbered, and the three numbers make one.
    township, village = (pd.factorize(df[c].to_numpy(dtype=object, na_value="")[rows])[0]
                         for c in ("township", "village"))
    key = _pairs(_pairs(township, village), pd.factorize(codes[rows])[0])
    heads = _pairs(key, pd.factorize(head[rows])[0])  # one number per code and head
    distinct_heads = np.bincount(key[np.unique(heads, return_index=True)[1]], minlength=int(key.max()) + 1)
    several = distinct_heads[key] > 1
    at = rows[several]
    if not len(at):
        return
    # A code of more than 15 digits that Excel kept as a number ends in 0s where its last digits were
    # (2201221010020010): households that had codes of their own now share one. That is the cause to
    # say (household_id_mangled), not a list of one member per row.
    long = pd.Series(codes[at], dtype=object).str.fullmatch(r"[0-9]{15}0+").to_numpy(dtype=bool)
    if long.any():
        lost = np.zeros(len(codes), dtype=bool)
        lost[at[long]] = True
        log.add(lost, "household_id", "household_id_mangled")
    at, several_key = at[~long], key[several][~long]
    if not len(at):
        return
    repeated = np.zeros(len(codes), dtype=bool)
    repeated[at] = True
    other = np.full(len(codes), -1, dtype=np.int64)
    other[at] = at[another_in_group(several_key)]
    count = np.zeros(len(codes), dtype=np.int64)
    count[at] = np.bincount(several_key)[several_key]
    add_naming_another_row(log, repeated, "household_id", "household_id_repeated", df, other,
                           count=pd.Series(count, index=df.index))


# A note in brackets, without digits, beside a phone number: (儿子), （本人）.
_PHONE_NOTE = r"[(（][^0-9()（）]*[)）]"
# China's country code before a mobile: +86 138…, 0086-138…, 86 138….
_COUNTRY_CODE = r"(?:(?<=^)|(?<=[\s,;/、;，]))\s*(?:\+\s*86|0086|86(?=[\s\-]))[\s\-]*(?=1[3-9])"


def _phone_numbers(parts: pd.Series) -> pd.Series:
    """Each part of a phone cell a mobile or a landline, as typed with spaces, hyphens or brackets."""
    return parts.str.replace(r"[\s\-()]", "", regex=True).str.fullmatch(_MOBILE) \
        | parts.str.replace(r"\s", "", regex=True).str.fullmatch(_LANDLINE)


# Six digits or more in a head's name: an ID, a phone or a card number typed into the name's column.
_NUMBER_IN_NAME = re.compile(r"\d{6,}")
# What an export writes for a character its encoding lacks (GBK has no 𠮷): the name is not the person's.
_LOST_CHARACTER = re.compile("[?\ufffd]")
# Two people in one name's cell: names of 2 to 4 Chinese characters apart by white space (a line break
# in the cell is read as a space), 、 , ; or / (韩春生 廖宝山); 王 芳, a name spaced out, is 1 and 1. Apart
# by spaces alone and 4 characters together, they are one person's (欧阳 娜娜, 扎西 多吉: a compound
# surname, a name spaced out; a review, 2026-12-06), unless the cell as typed breaks the line there. A note
# in brackets beside the name (郝国庆(已故), 张三(户主)): NFKC made （） and ［］ plain.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TWO_NAMES = re.compile(f"[{_HAN}]{{2,4}}(?:[ 、,;/]+[{_HAN}]{{2,4}})+")
_ONE_NAME_SPACED = re.compile(f"[{_HAN}]{{2}} +[{_HAN}]{{2}}")
_LINE_BREAK = re.compile(r"[\n\r\v\f\u2028\u2029]")
_NAME_NOTE = re.compile(r"[()\[\]【】〔〕]")
_NAME_APART = re.compile(r"[ 、,;/()\[\]【】〔〕]")


def check_head_name(df: pd.DataFrame, log: IssueLog, misaligned: np.ndarray | None = None) -> None:
    """name_holds_number: a number in the head's name (an ID or a phone typed there: the name is
    posted on the notices); name_character_lost: a ? where an export put one for a character its
    encoding lacks (a GBK CSV of 王𠮷); name_holds_more: two people's names in the cell (韩春生 and
    廖宝山 on two lines; not 欧阳 娜娜, one person's spaced), or a note in brackets beside the name
    (郝国庆(已故)). Looked at only where a name holds a digit, a ?, a space (a line break is read as
    one), a separator or a bracket. A row said out of line as a whole (`misaligned`, check_wrong_field)
    is not told of its name's number again."""
    names = df["head_name"].fillna("").astype(str)
    joined = "\x00".join(names.tolist())
    holds = np.zeros(len(df), dtype=bool)
    if re.search(r"\d{6}", joined) or _LOST_CHARACTER.search(joined):
        holds = names.str.contains(_NUMBER_IN_NAME).to_numpy(dtype=bool)
        log.add(holds if misaligned is None else holds & ~misaligned, "head_name", "name_holds_number")
        log.add(names.str.contains(_LOST_CHARACTER).to_numpy(dtype=bool), "head_name", "name_character_lost")
    if not _NAME_APART.search(joined):
        return
    # A warning: the household is decided as typed, and a name of two parts may be one person's (a
    # compound surname spaced off); a number in brackets is name_holds_number's already.
    two = names.str.strip().str.fullmatch(_TWO_NAMES).to_numpy(dtype=bool, copy=True)
    spaced = np.flatnonzero(two)
    spaced = spaced[names.iloc[spaced].str.strip().str.fullmatch(_ONE_NAME_SPACED).to_numpy(dtype=bool)]
    if len(spaced):  # one person's unless typed on two lines: normalising read the line break as a space
        typed = log.cells["head_name"].iloc[spaced] if "head_name" in log.cells.columns \
            else pd.Series("", index=spaced, dtype=object)
        two[spaced] = typed.fillna("").astype(str).str.strip().str.contains(_LINE_BREAK).to_numpy(dtype=bool)
    noted = names.str.contains(_NAME_NOTE).to_numpy(dtype=bool) & ~two & ~holds
    log.add(two, "head_name", "name_holds_more", hint="name_two_people")
    log.add(noted, "head_name", "name_holds_more", hint="name_bracket_note")


# The text fields a number has no place in (domain §6's 串项), and the numbers that are another field's
# whole value there: an ID (18 characters, or an old one of 15 digits) or a mobile number.
_WRONG_FIELD_TEXT = ("township", "village", "group", "head_name")
_PLACE_TEXT = ("township", "village", "group")
_ID_SHAPED = r"[0-9]{17}[0-9Xx]|[0-9]{15}"
# What a row's message lists of it, to be checked against the header.
_ROW_SHOWN = ("township", "village", "group", "head_name", "head_id")


def check_wrong_field(df: pd.DataFrame, log: IssueLog, as_of: dt.date) -> np.ndarray:
    """value_in_wrong_field: an ID- or mobile-shaped value in 乡(镇), 行政村 or 村民小组 (in 户主姓名 it is
    name_holds_number's), said on its cell. A row with two such values or more, or with an ID in a place
    column while the ID column holds something else than a valid ID, was pasted in another column order
    (a village's rows under the township's header): said once, for the whole row to be checked against
    the header. Returns those rows. Only texts holding 11 digits in a row are looked at."""
    n = len(df)
    misaligned = np.zeros(n, dtype=bool)
    kinds: dict[str, np.ndarray] = {}
    for name in _WRONG_FIELD_TEXT:
        if name not in df.columns:
            continue
        if name not in _PLACE_TEXT and not any((kind != "").any() for kind in kinds.values()):
            break  # a number in the name alone is name_holds_number's: no row is out of line
        values = df[name].to_numpy(dtype=object, na_value="")
        kind = np.full(n, "", dtype=object)
        # A place column holds a few hundred names: each looked at once.
        codes, distinct = pd.factorize(values) if name in _PLACE_TEXT else (None, values)
        distinct = np.asarray(distinct, dtype=object)
        at = texts_matching(distinct, r"[0-9]{11}")
        if len(at):
            bare = pd.Series(distinct[at], dtype=object).astype(str).str.replace(r"\s", "", regex=True)
            said = np.full(len(distinct), "", dtype=object)
            said[at[bare.str.fullmatch(_MOBILE).to_numpy(dtype=bool)]] = "phone"
            said[at[bare.str.fullmatch(_ID_SHAPED).to_numpy(dtype=bool)]] = "id"
            kind = said[codes] if codes is not None else said
            if codes is not None:
                kind[codes < 0] = ""
        kinds[name] = kind
    if not any((kind != "").any() for kind in kinds.values()):
        return misaligned
    count = np.sum([kind != "" for kind in kinds.values()], axis=0)
    id_in_place = np.logical_or.reduce([kinds[f] == "id" for f in _PLACE_TEXT if f in kinds] or [np.zeros(n, bool)])
    if "head_id" in df.columns:
        ids = df["head_id"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
        head_valid = valid_ids(ids, as_of)[0]
        other_there = (ids != "") & ~head_valid
    else:
        ids, head_valid = np.full(n, "", dtype=object), np.zeros(n, dtype=bool)
        other_there = np.zeros(n, dtype=bool)
    misaligned = (count >= 2) | (id_in_place & other_there)
    if misaligned.any():
        # On the first cell holding a number, the row's identity cells listed as read.
        first = np.full(n, "", dtype=object)
        for name in reversed(list(kinds)):
            first = np.where(kinds[name] != "", name, first)
        at = np.flatnonzero(misaligned)
        headers = fields().by_name
        shown = [f for f in _ROW_SHOWN if f in df.columns]
        for lang in ("zh", "en"):
            parts = [pd.Series(filled(label("wrong_field_cell", lang, header=headers[f].header),
                                      pd.DataFrame({"value": df[f].fillna("").astype(str).to_numpy(dtype=object)[at]})))
                     for f in shown]
            joined = parts[0].str.cat(parts[1:], sep=label("list_sep", lang)) if parts else pd.Series([""] * len(at))
            words = np.full(n, "", dtype=object)
            words[at] = [label("wrong_field_row", lang, cells=text) for text in joined]
            kinds[f"words_{lang}"] = words
        for name in dict.fromkeys(first[at].tolist()):
            log.add(misaligned & (first == name), name, "value_in_wrong_field",
                    words_zh=kinds["words_zh"], words_en=kinds["words_en"])
    for name in _PLACE_TEXT:
        if name not in kinds:
            continue
        alone = (kinds[name] != "") & ~misaligned
        for kind in ("id", "phone"):
            these = alone & (kinds[name] == kind)
            if not these.any():
                continue
            # Told to move the number only where its column is blank: a filled one would be overwritten
            # (an outside try, 2026-12-06: an ID in 村民小组 beside the head's valid ID, a spouse's maybe).
            at = np.flatnonzero(these)
            stray = df[name].fillna("").astype(str).to_numpy(dtype=object)[at]
            there = (_id_beside(stray, ids[at], head_valid[at]) if kind == "id"
                     else _phone_beside(stray, df["phone"].to_numpy(dtype=object, na_value="")[at]
                                        if "phone" in df.columns else np.full(len(at), "", dtype=object)))
            words = {lang: np.full(n, "", dtype=object) for lang in ("zh", "en")}
            for lang, said in words.items():
                said[at] = np.array([label(f"wrong_field_{kind}{suffix}", lang) for suffix in ("", "_filled", "_same")],
                                    dtype=object)[there]
            log.add(these, name, "value_in_wrong_field", words_zh=words["zh"], words_en=words["en"])
    return misaligned


def _id_beside(stray: np.ndarray, head_ids: np.ndarray, head_valid: np.ndarray) -> np.ndarray:
    """For IDs typed in a place column: 0 where the row's 户主身份证号 is not a valid ID (blank: the ID
    moves there), 1 where it is another valid ID, 2 where it is this one (an old 15-digit one made 18)."""
    bare = pd.Series(stray, dtype=object).str.replace(r"\s", "", regex=True).str.upper().to_numpy(dtype=object)
    same = ids_of_18(bare)[0] == np.asarray(head_ids, dtype=object)
    return np.where(head_valid, np.where(same, 2, 1), 0)


# A mobile number within a phone cell, its digits grouped by spaces or hyphens or not (138 1234 5678).
_MOBILE_WITHIN = r"(?<![0-9])1[3-9](?:[\s\-]*[0-9]){9}(?![0-9])"


def _phone_beside(stray: np.ndarray, phones: np.ndarray) -> np.ndarray:
    """For mobile numbers typed in a place column: 0 where the row's 联系电话 holds no phone number
    (blank, 无: the number moves there), 1 where it holds another, 2 where it holds this one."""
    cells = pd.Series(phones, dtype=object).fillna("").astype(str).str.normalize("NFKC")
    found = cells.str.findall(_MOBILE_WITHIN).explode().dropna().str.replace(r"[^0-9]", "", regex=True)
    bare = pd.Series(stray, dtype=object).str.replace(r"\s", "", regex=True)
    same = (found == bare.reindex(found.index)).groupby(level=0).any().reindex(cells.index, fill_value=False)
    holds = cells.index.isin(found.index) | _phone_numbers(cells.str.strip()).fillna(False).to_numpy(dtype=bool)
    return np.where(same.to_numpy(dtype=bool), 2, np.where(holds, 1, 0))


def check_phone(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    values = df["phone"].to_numpy(dtype=object, na_value="")
    filled = values != ""  # a blank cell is no number to check
    # An 11-digit mobile as typed is the usual case: decided without the patterns.
    ok = (np.fromiter(map(len, values), dtype=np.int64, count=len(values)) == 11) \
        & np.fromiter(map(str.startswith, values, itertools.repeat(_MOBILE_PREFIXES)), dtype=bool, count=len(values))
    ok[ok] = np.fromiter(map(str.isdigit, values[ok]), dtype=bool) & np.fromiter(map(str.isascii, values[ok]), dtype=bool)
    rest = np.flatnonzero(~ok & filled)
    if len(rest):
        words = fields().phone
        other = pd.Series(values[rest], dtype=object).str.normalize("NFKC")
        bare = other.str.replace(r"\s", "", regex=True)
        # No phone said in words (无, 无电话): nothing to check, as a blank cell.
        filled[rest] = ~bare.isin(words.none).to_numpy(dtype=bool)
        # Two numbers in one cell: each a mobile or a landline. A note in brackets beside a number
        # (13812345678(儿子)) and the country code (+86) are not part of it.
        other = other.str.replace(_PHONE_NOTE, " ", regex=True).str.replace(_COUNTRY_CODE, "", regex=True)
        parts = other.str.split(f"[{re.escape(words.separators)}]+", regex=True).explode()
        parts = parts[parts.str.strip() != ""]
        good = _phone_numbers(parts)
        # Two numbers apart by a space or a line break (15281147572 17734688321): a space may also
        # group one number's digits (138 1234 5678), so a part is split only where it is no number whole.
        if not good.all():
            split = parts[~good].reset_index(drop=True).str.split().explode()
            good[~good] = _phone_numbers(split).groupby(level=0).all().to_numpy(dtype=bool)
        ok[rest] = good.groupby(level=0).all().reindex(other.index, fill_value=False).to_numpy(dtype=bool)
    log.add(filled & ~ok, "phone", "phone_malformed")


# The checks over the parsed and computed households, in the order their issues are listed.
def check_flag_notes(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """flag_notes_differ: 是否低保户 (是否特困人员) read 否 while the household's 备注 or 主要困难 says it is a
    低保户 (特困人员) now (fields.toml [notes]): the flag decides an exclusion. The texts that mention
    any of the words are found in one search over each column's texts joined; only those are read
    clause by clause, once per distinct text."""
    words = fields().notes
    flags = [(name, field, getattr(words, name)) for name, field in (("dibao", "is_dibao"), ("tekun", "is_tekun"))
             if field in df.columns and getattr(words, name)]
    if not flags:
        return
    read_no = {field: (df[field].notna() & ~df[field].fillna(False)).to_numpy(dtype=bool) for _, field, _ in flags}
    at = np.flatnonzero(np.logical_or.reduce(list(read_no.values())))
    flagged = {field: np.zeros(len(df), dtype=bool) for _, field, _ in flags}
    mention = words.mention(tuple(w for *_, said in flags for w in said))
    for column in ("notes", "risk"):
        if column not in df.columns or not len(at):
            continue
        texts = df[column].to_numpy(dtype=object, na_value="")
        near = at[texts_matching(texts[at], mention)]
        for name, field, said in flags:
            says = texts_saying(texts[near], partial(words.says, words=said))
            hit = near[says & read_no[field][near] & ~flagged[field][near]]  # once per household and flag
            mask = np.zeros(len(df), dtype=bool)
            mask[hit] = True
            flagged[field] |= mask
            note = np.full(len(df), None, dtype=object)
            note[hit] = texts[hit]
            log.add(mask, field, "flag_notes_differ", hint=f"{name}_noted_{column}", note=note)


def check_head_deceased_notes(df: pd.DataFrame, log: IssueLog, rules: RuleSet) -> None:
    """head_noted_deceased: the household's 备注 says its head died (户主已于9月病故, 本人已故, 死亡销户):
    the register of a household goes by its head, and a head living alone who died leaves no household
    to decide. household_noted_left: it says the whole household left or was taken off the list
    (整户迁出, 销户, 重复,删除, 此户作废), where it does not say the head died (死亡销户 is said once, as
    the death, whose words say what to do with a household left empty). Both warnings: a note is free
    text, the household is still decided."""
    words = fields().notes
    if "notes" not in df.columns:
        return
    n = len(df)
    texts = df["notes"].to_numpy(dtype=object, na_value="")
    dead = np.zeros(0, dtype=np.int64)
    if words.deceased and words.head:
        near = texts_matching(texts, words.mention(words.deceased))
        dead = near[texts_saying(texts[near], words.head_dead)]
        mask = np.zeros(n, dtype=bool)
        mask[dead] = True
        note = np.full(n, None, dtype=object)
        note[dead] = texts[dead]
        log.add(mask, "head_name", "head_noted_deceased", note=note)
    if words.left:
        near = np.setdiff1d(texts_matching(texts, words.mention(words.left)), dead, assume_unique=True)
        mask = np.zeros(n, dtype=bool)
        mask[near[texts_saying(texts[near], words.household_left)]] = True
        log.add(mask, "notes", "household_noted_left")


HOUSEHOLD_CHECKS = (check_counts, check_negative_amounts, check_totals, check_units, check_per_capita,
                    check_business_costs, check_costs_exceed, check_allowance, check_flag_notes,
                    check_head_deceased_notes)


def check_below_fen(df: pd.DataFrame, log: IssueLog, bounds: Bounds) -> None:
    """An amount typed with a part below the fen (11999.996: an Excel result pasted as a value) is read
    rounded to the fen (normalise marks it, {field}_below_fen). Said where that rounding could put the
    household on the other side of a bound: each such cell moves the net income by under half a fen,
    so only a net income within a fen per cell of a bound × residents (domain §4's exact comparison).
    Elsewhere the decision is the same either way, and a subsidy worked out in Excel (1993.644) is no
    warning."""
    marked = [c for c in df.columns if c.endswith("_below_fen")]
    if not marked:
        return
    cells = np.zeros(len(df), dtype=np.int64)
    for column in marked:
        cells += df[column].to_numpy(dtype=bool)
    net = df["net_income_fen"].to_numpy(dtype=np.float64, na_value=np.nan)
    residents = df["residents"].to_numpy(dtype=np.float64, na_value=np.nan)
    near = np.zeros(len(df), dtype=bool)
    for bound in (bounds.lower_fen, bounds.upper_fen):
        if bound is not None:
            near |= np.abs(net - bound * residents) <= cells
    for column in marked:
        field = column.removesuffix("_below_fen")
        log.add(df[column].to_numpy(dtype=bool) & near, field, "amount_below_fen", rounded=fen_text(df[f"{field}_fen"]))


def check_total_decides_otherwise(df: pd.DataFrame, log: IssueLog, rules: RuleSet, bounds: Bounds) -> None:
    """A total given beside its components, within the tolerance of their sum (no mismatch), that puts
    the household on the other side of a bound than the sum it is decided on (components 9,653.50 and
    家庭总收入 9,654.01, 3 residents: 3,217.83 below the line, or 3,218.0033 a candidate). Which figure is
    right decides the household: said on the total's cell, for the clerk to check."""
    usable = df["computable"].to_numpy(dtype=bool)
    if not usable.any():
        return
    tolerance = int(rules.checks.amount_tolerance * 100)
    net = df["net_income_fen"].to_numpy(dtype=np.int64, na_value=0)
    residents = df["residents"].astype("Int64").to_numpy(dtype=np.int64, na_value=1)
    band = band_of(net, residents, bounds.lower_fen, bounds.upper_fen)
    for definition, sign, used, sums in ((rules.income, 1, "total_income_used_fen", "income_components_fen"),
                                         (rules.expenses, -1, "production_expenses_used_fen", "expense_components_fen")):
        total = df[f"{definition.total}_fen"].where(df[definition.total].fillna("") != "")
        apart = (total - df[used]).to_numpy(dtype=np.int64, na_value=0)
        given = (total.notna() & df[sums].notna()).to_numpy(dtype=bool) & usable & (apart != 0) \
            & (np.abs(apart) <= tolerance)
        if not given.any():
            continue
        other = band_of(net + sign * apart, residents, bounds.lower_fen, bounds.upper_fen)
        decides = given & (other != band)
        log.add(decides, definition.total, "total_decides_otherwise",
                expected=_where(given, fen_text, df[sums]), limit=yuan_figure(rules.checks.amount_tolerance),
                unit_zh=_wan_words(df, definition.total, decides, "zh"),
                unit_en=_wan_words(df, definition.total, decides, "en"))


def check_form_places(df: pd.DataFrame, log: IssueLog, inputs) -> None:
    """place_not_in_form_list: a household of a form made with `template --villages` (its hidden 村名单,
    read.InputFile.form_places) whose 行政村 the list has under another 乡(镇), or lacks. The form's
    drop-downs offer every village whatever the township: 长山村 picked under 合隆镇 passed unseen. A
    warning: the list may be older than the villages."""
    lists = {record.name: record.form_places for record in inputs if record.form_places}
    if not lists or not len(df):
        return
    towns, villages = normalise_place(df["township"]).fillna(""), normalise_place(df["village"]).fillna("")
    given = (towns != "").to_numpy(dtype=bool) & (villages != "").to_numpy(dtype=bool)
    place = (towns + "\x1f" + villages).to_numpy(dtype=object)  # one key per pair, as a column
    source = df["source_file"].astype(str).to_numpy(dtype=object)
    for name, pairs in lists.items():
        mine = given & (source == name)
        if not mine.any():
            continue
        listed = pd.DataFrame({"township": normalise_place(pd.Series([t for t, _ in pairs], dtype=object)),
                               "village": normalise_place(pd.Series([v for _, v in pairs], dtype=object))})
        # Several townships of one village name: each said, "/" between (either language).
        under = listed.groupby("village", sort=False)["township"].agg(lambda t: "/".join(dict.fromkeys(t)))
        wrong = mine & ~pd.Series(place).isin(set(listed["township"] + "\x1f" + listed["village"])).to_numpy(dtype=bool)
        if not wrong.any():
            continue
        where = villages.map(under).to_numpy(dtype=object)
        known = wrong & pd.notna(where)
        log.add(known, "village", "place_not_in_form_list", hint="form_place_elsewhere",
                listed=np.where(known, where, ""), typed_township=towns.to_numpy(dtype=object))
        log.add(wrong & ~known, "village", "place_not_in_form_list", hint="form_place_unknown")


def check_households(df: pd.DataFrame, log: IssueLog, rules: RuleSet, as_of: dt.date, bounds: Bounds,
                     struck: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Every check after parsing: IDs and duplicates, then HOUSEHOLD_CHECKS, an amount's part below
    the fen where it could decide the household (with the income year's `bounds`), the head's age and
    the phone number. `struck`: the households on rows struck through (marks.struck_households), which
    a duplicate's words name as the old row. Returns what the heads' IDs told: each head's birth date
    (NaT where the ID is not valid) and the IDs' integer keys (id_keys), for the members' checks and the
    rosters."""
    birth, keys = check_ids(df, log, as_of, rules, keys=True, struck=struck)
    check_household_code(df, log)
    for check in HOUSEHOLD_CHECKS:
        check(df, log, rules)
    check_below_fen(df, log, bounds)
    check_total_decides_otherwise(df, log, rules, bounds)
    check_allowance_income(df, log, rules, bounds)  # beside check_allowance, with the income year's bounds
    check_head_age(df, log, rules, as_of, birth)
    check_phone(df, log, rules)
    check_head_name(df, log, check_wrong_field(df, log, as_of))
    return birth.to_numpy(dtype="datetime64[ns]"), keys


# ---------------------------------------------------------------------------------------------
# The members table's checks (issue 14, after-screening §2): each over the households, from the
# members linked to them (members.Members), in the order their issues are listed. They run only when
# a run has members, and only on households of a village where members are listed at all.


def _members_of(members, hh_mask: np.ndarray) -> np.ndarray:
    """Positions in the members frame of the members linked to the households `hh_mask` marks."""
    hh = members.frame["hh"].to_numpy()
    return np.flatnonzero((hh >= 0) & hh_mask[np.maximum(hh, 0)])


def _head_row_missing(df: pd.DataFrame, members, as_of: dt.date) -> np.ndarray:
    """Per household: members are listed and the head's own row is not among them: head_not_in_members
    is said (a valid head ID that no member has), no member says 户主 and none bears the head's name. Not
    a head's row under another ID: that row is counted, and a count one short is another member's."""
    counts = members.counts
    valid = ~np.isnat(_head_birth(df, members, as_of))
    out = (counts["listed"].to_numpy() > 0) & valid & (counts["heads"].to_numpy() == 0)
    out &= ~members.persons(df).heads_listed()
    if out.any():  # the names compared only for the members of the households left
        at = _members_of(members, out)
        hh = members.frame["hh"].to_numpy()[at]
        names = df["head_name"].fillna("").to_numpy(dtype=object)[hh]
        # A 子 of his father's name is the son, not the head's row (members.may_be_head_row).
        named = (names != "") & (members.frame["name"].to_numpy(dtype=object)[at] == names)
        out[hh[named & members.may_be_head(at)]] = False
    return out


def _short_by_head(df: pd.DataFrame, members, as_of: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The households whose head's own row is missing from the members (_head_row_missing), and of
    them those whose 家庭人口数 and whose 家庭常住人口数 are exactly one more than the members listed and
    marked 常住: the head, and nothing else, short. Those counts are not member_count_mismatch's:
    head_not_in_members says it, once (only where it is said: a head with a valid ID)."""
    absent = _head_row_missing(df, members, as_of)
    counts = members.counts
    declared = df["members"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    residents = df["residents"].astype("Int64").fillna(-1).to_numpy(dtype=np.int64)
    listed = counts["listed"].to_numpy()
    known = (counts["resident_known"].to_numpy() == listed) & ~members.filled
    return (absent, absent & members.covered & (declared == listed + 1),
            absent & known & (residents == counts["resident_marked"].to_numpy() + 1))


def check_member_counts(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                        borne_out: np.ndarray) -> None:
    """member_count_mismatch: the members listed against 家庭人口数; those marked 常住 against
    家庭常住人口数 (where every member says 是否常住, and the count was not taken from them); a
    household of a village with members listed that has none itself. A household whose head's own row
    is missing counts the head too: one short by the head alone is head_not_in_members' (_short_by_head);
    off by more, its words say the head's row is missing and the count with the head."""
    counts = members.counts
    covered = members.covered
    listed = counts["listed"].to_numpy()
    declared = df["members"].astype("Int64")
    given = declared.notna().to_numpy(dtype=bool)
    absent, short_members, short_residents = _short_by_head(df, members, as_of)
    differs = covered & given & (declared.fillna(-1).to_numpy(dtype=np.int64) != listed) & ~short_members
    hint = either(absent, "member_count_listed_no_head", "member_count_listed")
    log.add(differs, "members", "member_count_mismatch", hint=hint, listed=_where(differs, _as_text, listed),
            with_head=_where(differs, _as_text, listed + 1))
    log.add(covered & ~given & (listed == 0), "members", "member_count_mismatch", hint="member_count_none")
    marked = counts["resident_marked"].to_numpy()
    known = (listed > 0) & (counts["resident_known"].to_numpy() == listed) & ~members.filled
    residents = df["residents"].astype("Int64")
    wrong = known & residents.notna().to_numpy(dtype=bool) & (residents.fillna(-1).to_numpy(dtype=np.int64) != marked)
    hint = either(absent, "member_count_residents_no_head", "member_count_residents")
    wrong &= ~short_residents
    log.add(wrong, "residents", "member_count_mismatch", hint=hint, marked=_where(wrong, _as_text, marked),
            with_head=_where(wrong, _as_text, marked + 1))


def check_two_households(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                         borne_out: np.ndarray) -> None:
    """person_in_two_households (串户), on every household the person is in: one ID a member of two
    households, or a member of one and the head of another. Two households with the same head and
    nobody else are duplicate_household's."""
    frame = members.frame
    # The run's people, once per household and ID, their IDs as integer keys factorised (made once
    # for this check and the rosters): per person the households and how many of them it heads,
    # counted with bincount, not grouped by strings.
    persons = members.persons(df)
    code, uniques, in_hh, member_at = persons.code, persons.uniques, persons.hh, persons.member
    is_head = persons.key == persons.head_key[in_hh]
    households = np.bincount(code, minlength=len(uniques))
    headed = np.bincount(code, weights=is_head, minlength=len(uniques))
    shared = (households > 1) & (headed < households)
    if not shared.any():
        return
    pick = np.flatnonzero(shared[code])
    found = pd.DataFrame({"id": persons.ids(pick), "hh": in_hh[pick], "member": member_at[pick]})
    # For each household, its first shared person and another household that person is in.
    other = another_in_group(found["id"].to_numpy(dtype=object))
    found = found.assign(other=found["hh"].to_numpy()[other], other_member=found["member"].to_numpy()[other]) \
        .drop_duplicates("hh")
    n = len(df)
    mask = np.zeros(n, dtype=bool)
    mask[found["hh"].to_numpy()] = True
    ids, names = (np.full(n, None, dtype=object) for _ in range(2))
    pos = found["hh"].to_numpy()
    ids[pos] = found["id"].to_numpy(dtype=object)
    others = np.full(n, -1, dtype=np.int64)
    others[pos] = found["other"].to_numpy()
    member = found["member"].to_numpy()
    names[pos] = np.where(member >= 0, frame["name"].to_numpy(dtype=object)[np.maximum(member, 0)],
                          df["head_name"].fillna("").to_numpy(dtype=object)[pos])
    rows = {key: np.full(n, None, dtype=object) for key in ("member_rows_zh", "member_rows_en")}
    for key, text in _member_rows(members, found["member"].to_numpy(), found["other_member"].to_numpy()).items():
        rows[key][pos] = text
    # On the 户主姓名 cell, quoting it as typed (the cell named): the person shared is a parameter of its own.
    add_naming_another_row(log, mask, "head_name", "person_in_two_households", df, others, member=names,
                           member_id=ids, **rows)


def _member_rows(members, this: np.ndarray, that: np.ndarray) -> dict[str, np.ndarray]:
    """Where a person in two households is listed on the members table: the member rows (positions
    `this` in the household's members, `that` in the other's; -1 where the person is a head not listed
    there), in both languages (member_rows_zh, _en: the message is worded later, in either)."""
    one = np.where(this >= 0, this, that)  # a row of the two, the household's own where it has one
    two = np.where(this >= 0, that, -1)
    both = two >= 0
    two = np.maximum(two, 0)
    # Only the rows named are made text: a members table holds millions.
    cells = members.cells.iloc[np.r_[one, two]]
    files, sheets, rows = (cells[c].fillna("").astype(str).to_numpy(dtype=object)
                           for c in ("source_file", "sheet", "row"))
    sheets = np.where(sheets != "", sheets, files)  # a members table of a CSV file: the file
    k = len(one)
    apart = both & ((files[:k] != files[k:]) | (sheets[:k] != sheets[k:]))
    kind = np.where(~both, "member_rows_one", np.where(apart, "member_rows_apart", "member_rows_same"))
    params = pd.DataFrame({"file": files[:k], "sheet": sheets[:k], "row": rows[:k],
                           "other_file": files[k:], "other_sheet": sheets[k:], "other_row": rows[k:]})
    out = {}
    for lang in ("zh", "en"):
        text = np.full(len(kind), "", dtype=object)
        for key in pd.unique(kind):
            at = kind == key
            text[at] = filled(label(key, lang), params[at])
        out[f"member_rows_{lang}"] = text
    return out


def check_heads(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                borne_out: np.ndarray) -> None:
    """head_not_in_members: members are listed, none with the head's ID (a valid one); two_heads:
    two members or more say 户主."""
    counts = members.counts
    listed = counts["listed"].to_numpy() > 0
    valid = ~np.isnat(_head_birth(df, members, as_of))
    missing = listed & valid & ~members.persons(df).heads_listed()
    log.add(missing, "head_id", "head_not_in_members", **_short_words(df, members, as_of, missing))
    two = counts["heads"].to_numpy() > 1
    if two.any():
        frame = members.frame
        at = _members_of(members, two)
        at = at[frame["group"].to_numpy(dtype=object)[at] == "head"]
        names = joined_per_key(frame["hh"].to_numpy()[at], frame["name"].to_numpy(dtype=object)[at], "、")
        value = np.full(len(df), None, dtype=object)
        value[names.index.to_numpy()] = names.to_numpy(dtype=object)
        log.add(two, "head_name", "two_heads", value=value, heads=_where(two, _as_text, counts["heads"]))


def _short_words(df: pd.DataFrame, members, as_of: dt.date, said: np.ndarray) -> dict[str, np.ndarray]:
    """head_not_in_members' {short_zh}/{short_en}: where the head's missing row is why 家庭人口数,
    家庭常住人口数 or both are one more than the members (_short_by_head), the counts, which
    member_count_mismatch then does not say; '' elsewhere. Worded only for the households `said` marks."""
    _, members_short, residents_short = _short_by_head(df, members, as_of)
    kind = np.select([members_short & residents_short, members_short, residents_short],
                     ["head_short_both", "head_short_members", "head_short_residents"], "")
    out = {f"short_{lang}": np.full(len(df), "", dtype=object) for lang in ("zh", "en")}
    at = np.flatnonzero(said & (kind != ""))
    if not len(at):
        return out
    counts = members.counts.iloc[at]
    params = pd.DataFrame({"listed": counts["listed"].astype(str).to_numpy(),
                           "marked": counts["resident_marked"].astype(str).to_numpy(),
                           "members": df["members"].astype("Int64").iloc[at].astype(str).to_numpy(),
                           "residents": df["residents"].astype("Int64").iloc[at].astype(str).to_numpy()})
    for key in pd.unique(kind[at]):
        these = kind[at] == key
        for lang in ("zh", "en"):
            out[f"short_{lang}"][at[these]] = filled(label(key, lang), params[these])
    return out


def _head_birth(df: pd.DataFrame, members, as_of: dt.date) -> np.ndarray:
    """Each head's birth date from a valid ID (NaT elsewhere): as check_households found it, where
    the members carry that, else from the IDs again."""
    if members.head_birth is not None:
        return members.head_birth
    return valid_ids(df["head_id"].fillna("").to_numpy(dtype=object), as_of)[1]


def _years(birth: np.ndarray, as_of: dt.date) -> np.ndarray:
    """Whole years from each birth date (datetime64) to as_of; NaN where unknown."""
    b = pd.DatetimeIndex(birth)
    had = (b.month < as_of.month) | ((b.month == as_of.month) & (b.day <= as_of.day))
    return np.where(b.isna(), np.nan, as_of.year - b.year - (~had).astype(int))


def _per_household(hh: np.ndarray, texts: np.ndarray, n: int, sep: str = ";") -> tuple[np.ndarray, np.ndarray]:
    """The members' `texts` (one per member, `hh` their households) joined per household: (which of the
    n households have any, the joined text of each, None elsewhere), as a member check's message names them."""
    per = joined_per_key(hh, texts, sep)
    mask = np.zeros(n, dtype=bool)
    mask[per.index.to_numpy()] = True
    text = np.full(n, None, dtype=object)
    text[per.index.to_numpy()] = per.to_numpy(dtype=object)
    return mask, text


def check_member_ages(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                      borne_out: np.ndarray) -> None:
    """member_age_relation: a spouse under spouse_age_min; a child less than generation_gap years
    younger than the head (a grandchild, twice that); a parent less than generation_gap older (a
    grandparent, twice that); a parent-in-law less than generation_gap older than the spouse (not
    checked where no spouse's age is known). Ages from valid IDs only; one issue per household naming
    each member."""
    limits = rules.members
    frame = members.frame
    at = _members_of(members, members.counts["listed"].to_numpy() > 0)
    if not len(at):
        return
    group = frame["group"].to_numpy(dtype=object)[at]
    age = _years(frame["birth"].to_numpy()[at], as_of)
    hh = frame["hh"].to_numpy()[at]
    head_birth = _head_birth(df, members, as_of)
    head_age = _years(head_birth, as_of)[hh]
    gap = limits.generation_gap
    # The spouse's age (the first spouse listed with a valid ID), which a parent-in-law is measured by.
    spouse_age = np.full(len(df), np.nan)
    spouses = np.flatnonzero((group == "spouse") & ~np.isnan(age))
    households, first = np.unique(hh[spouses], return_index=True)  # NumPy assigns repeated indices in no set order
    spouse_age[households] = age[spouses[first]]
    spouse_age = spouse_age[hh]
    with np.errstate(invalid="ignore"):
        odd = (((group == "spouse") & (age < limits.spouse_age_min))
               | ((group == "child") & (head_age - age < gap))
               | ((group == "grandchild") & (head_age - age < 2 * gap))
               | ((group == "parent") & (age - head_age < gap))
               | ((group == "grandparent") & (age - head_age < 2 * gap)))
        odd &= ~np.isnan(head_age) | (group == "spouse")
        odd |= (group == "parent_in_law") & (age - spouse_age < gap)
    odd &= ~np.isnan(age)
    if not odd.any():
        return
    rows = at[odd]
    who = pd.Series(frame["relation"].to_numpy(dtype=object)[rows] + " " + frame["name"].to_numpy(dtype=object)[rows]
                    + "(" + pd.Series(age[odd]).astype(int).astype(str).to_numpy(dtype=object) + ")")
    n = len(df)
    mask, text = _per_household(hh[odd], who.to_numpy(dtype=object), n)
    heads = np.full(n, None, dtype=object)
    known = ~np.isnan(_years(head_birth, as_of))
    heads[known] = _years(head_birth, as_of)[known].astype(int).astype(str)
    log.add(mask, "head_name", "member_age_relation", value=text, head_age=heads,
            min_age=str(limits.spouse_age_min), gap=str(gap))


def check_member_difficulties(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                              borne_out: np.ndarray) -> None:
    """difficulty_without_member: 主要困难 names a disability (因残) and no member's 健康状况 says 残疾
    (nor does a supporting roster bear it out); it names schooling (因学) and no member is a student."""
    values = members_catalogue().values
    counts = members.counts
    listed = counts["listed"].to_numpy() > 0
    risk = df["risk"].fillna("").to_numpy(dtype=object)
    codes, distinct = pd.factorize(risk)

    def names(words: tuple[str, ...]) -> np.ndarray:
        hit = np.array([any(w in normalise_header(v) for w in words) for v in distinct], dtype=bool)
        return hit[codes] if len(distinct) else np.zeros(len(risk), dtype=bool)

    disability = names(values.disability_difficulty) & listed & (counts["disabled"].to_numpy() == 0) & ~borne_out
    log.add(disability & _described(members, ("health", "disability"), len(df)), "risk", "difficulty_without_member",
            hint="no_disabled_member")
    study = names(values.study_difficulty) & listed & (counts["students"].to_numpy() == 0)
    log.add(study & _described(members, ("student",), len(df)), "risk", "difficulty_without_member",
            hint="no_student_member")


def check_member_flags(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                       borne_out: np.ndarray) -> None:
    """members_flag_differ: 是否低保户 (是否特困人员) read 否 while the members table says 是 for someone of
    the household under 是否低保 (是否特困); read 是 while everyone listed there says 否. The household's
    answer decides it (an exclusion, or a candidate): a contradiction in its own workbook is checked."""
    counts = members.counts
    listed = counts["listed"].to_numpy()
    frame = members.frame
    hh = frame["hh"].to_numpy()
    # A member noted dead (members._dead_notes) says nothing of the household now: a 单人保 mother who died.
    dead = pd.notna(frame["dead_note"].to_numpy(dtype=object)) if "dead_note" in frame.columns \
        else np.zeros(len(frame), dtype=bool)
    for name, field in (("dibao", "is_dibao"), ("tekun", "is_tekun")):
        if field not in df.columns:
            continue
        value = df[field]
        known = value.notna().to_numpy(dtype=bool)  # NA: a formula never calculated, said on its own
        said = value.fillna(False).to_numpy(dtype=bool)
        no = counts[f"{name}_no"].to_numpy()
        none_said = known & said & (listed > 0) & (no == listed)
        log.add(none_said, field, "members_flag_differ", hint=f"{name}_members_no",
                count=_where(none_said, _as_text, listed))
        at = np.flatnonzero((frame[f"{name}_said"].to_numpy() == 1) & (hh >= 0) & ~dead)
        yes = np.bincount(hh[at], minlength=len(df))
        differs = known & ~said & (yes > 0)
        if not differs.any():
            continue
        at = at[differs[hh[at]]]
        _, whom = _per_household(hh[at], frame["relation"].to_numpy(dtype=object)[at] + " "
                                 + frame["name"].to_numpy(dtype=object)[at], len(df))
        _, where = _per_household(hh[at], members.cells["row"].to_numpy()[at].astype(str).astype(object), len(df), ",")
        log.add(differs, field, "members_flag_differ", hint=f"{name}_members_yes",
                count=_where(differs, _as_text, yes),
                who=whom, member_rows=where)


# Relation groups (members.relation_groups) of the 特困 person and of those bound by law to keep them.
_BOUND_TO_KEEP = ("head", "spouse", "child", "parent")


def check_member_tekun(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                       borne_out: np.ndarray) -> None:
    """tekun_with_labour: 是否特困人员 是 while a member of working age (the rule set's [exit] ages)
    has a 劳动技能 saying they can work: 特困 is for people without labour nor anyone bound to keep them."""
    if "is_tekun" not in df.columns or "labour" not in members.frame.columns:
        return
    able_words = {normalise_header(w) for w in members_catalogue().values.able_labour}
    frame = members.frame
    at = _members_of(members, df["is_tekun"].fillna(False).to_numpy(dtype=bool))
    if not len(at) or not able_words:
        return
    ages = rules.exit
    age = _years(frame["birth"].to_numpy()[at], as_of)
    labour = frame["labour"].to_numpy(dtype=object)[at]
    codes, distinct = pd.factorize(labour)
    able = np.array([normalise_header(str(v)) in able_words for v in distinct], dtype=bool)[codes] \
        if len(distinct) else np.zeros(len(at), dtype=bool)
    with np.errstate(invalid="ignore"):
        able &= (age >= ages.working_age_min) & (age <= ages.working_age_max)
    # The 特困 person themself, or one bound by law to keep them (spouse, children, parents): a sibling
    # or a grandchild is bound only where no one nearer is, and may live beside a 特困 person.
    able &= np.isin(frame["group"].to_numpy(dtype=object)[at], list(_BOUND_TO_KEEP))
    if not able.any():
        return
    rows = at[able]
    who = (frame["relation"].to_numpy(dtype=object)[rows] + " " + frame["name"].to_numpy(dtype=object)[rows] + "("
           + age[able].astype(int).astype(str).astype(object) + "," + labour[able] + ")")
    mask, text = _per_household(frame["hh"].to_numpy()[rows], who, len(df))
    log.add(mask, "is_tekun", "tekun_with_labour", who=text, min_age=str(ages.working_age_min),
            max_age=str(ages.working_age_max))


def check_member_deceased_notes(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                                borne_out: np.ndarray) -> None:
    """member_noted_deceased: a member whose own 备注 says they died (members._dead_notes) still counted
    resident (是否常住 是, or not said): the dead lower the per-capita income the household is decided on."""
    frame = members.frame
    if "dead_note" not in frame.columns:
        return
    note = frame["dead_note"].to_numpy(dtype=object)
    resident = frame["resident"].to_numpy(dtype=object)
    hh = frame["hh"].to_numpy()
    at = np.flatnonzero(pd.notna(note) & (hh >= 0) & (resident != False))  # noqa: E712 — 是, or nothing said
    if not len(at):
        return
    who = (frame["relation"].to_numpy(dtype=object)[at] + " " + frame["name"].to_numpy(dtype=object)[at]
           + "「" + note[at].astype(str) + "」")
    mask, text = _per_household(hh[at], who, len(df))
    log.add(mask, "residents", "member_noted_deceased", who=text)


def _described(members, field: tuple[str, ...], n: int) -> np.ndarray:
    """Per household: none of its members comes from a sheet without one of the `field` columns (健康状况
    or 是否残疾; 在校生状况). A sheet that does not ask says nothing of anyone's health: "no member is
    disabled" would be false."""
    given = members.columns.loc[members.columns["field"].isin(field), "sheet_key"].to_numpy(dtype=object)
    hh = members.frame["hh"].to_numpy()
    unasked = (hh >= 0) & ~np.isin(members.frame["sheet_key"].to_numpy(dtype=object), given)
    return np.bincount(hh[unasked], minlength=n) == 0


# In the order their issues are listed; each (households, members, log, rules, as_of, borne_out),
# borne_out marking the households whose difficulty a supporting roster bears out.
MEMBER_CHECKS = (check_member_counts, check_two_households, check_heads, check_member_ages,
                 check_member_difficulties, check_member_flags, check_member_tekun, check_member_deceased_notes)


def check_members(df: pd.DataFrame, members, log: IssueLog, rules: RuleSet, as_of: dt.date,
                  borne_out: np.ndarray | None = None) -> None:
    """Every check of MEMBER_CHECKS over the households, from their members (members.Members)."""
    borne_out = np.zeros(len(df), dtype=bool) if borne_out is None else borne_out
    for check in MEMBER_CHECKS:
        check(df, members, log, rules, as_of, borne_out)


def _as_text(values: pd.Series) -> pd.Series:
    return values.astype(str)


def _where(mask, fn, values) -> pd.Series:
    """fn(values) where mask holds, '' elsewhere: message parameters are rendered only for the
    households a check flags, not for a million that pass. `values`: a Series, or an array of one
    value per household (counts)."""
    mask = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
    values = values if isinstance(values, pd.Series) else pd.Series(values)
    out = pd.Series("", index=values.index, dtype=object)
    if mask.any():
        out[mask] = np.asarray(fn(values[mask]), dtype=object)
    return out


def _age(birth: pd.Series, as_of: dt.date) -> pd.Series:
    """Whole years from birth to as_of."""
    had_birthday = (birth.dt.month < as_of.month) | ((birth.dt.month == as_of.month) & (birth.dt.day <= as_of.day))
    return (as_of.year - birth.dt.year - (~had_birthday).astype(int)).where(birth.notna())
