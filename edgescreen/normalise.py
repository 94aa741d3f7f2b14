"""Parse raw cell text into typed columns, vectorised, and report what cannot be parsed.

Money becomes integer fen (exact: `1200`, `1,200`, `1200元`, full-width digits, `1.2万`); counts
become integers (`3`, `3人`, `3.0`); yes/no cells become booleans (是/否, Y/N, √/×, 1/0, 有/无); ID
numbers lose inner spaces and get an upper-case X. A blank money cell reads as 0 and a blank yes/no
cell as 否, each with a warning; a column absent from a sheet stays NA.
"""

from __future__ import annotations

import itertools
import operator

import numpy as np
import pandas as pd

from .catalogue import fields, normalise_header
from .issues import IssueLog
from .read import TEXT

# [0-9], not \d: after NFKC full-width digits are ASCII, and other scripts' digits (٣, ३) are not
# amounts a county types; \d would let them through to an integer conversion that cannot take them.
_MONEY_RE = r"^(?P<sign>[+-]?)(?P<int>[0-9]{0,13})(?:\.(?P<frac>[0-9]*))?(?P<wan>万)?$"
_INT_RE = r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,9})(?:\.(?P<frac>[0-9]+))?$"
# Amounts as most cells hold them, parsed without the general path: ASCII digits, at most 11 before
# the point (a float carries them and two decimals exactly) and at most 2 after it.
_PLAIN_AMOUNT = r"-?[0-9]{1,11}(?:\.[0-9]{1,2})?"


def _nfkc(raw: pd.Series) -> pd.Series:
    """NFKC-folded, trimmed text; an absent column (NA) becomes '' (its state says 'absent')."""
    return raw.fillna("").str.normalize("NFKC").str.strip()


def _digits_to_int(digits: pd.Series) -> np.ndarray:
    """A column of ASCII digit strings (≤ 18 digits) to int64; '' is 0."""
    return pd.to_numeric(digits.replace("", "0"), errors="raise").to_numpy(dtype=np.int64)


def _values(raw: pd.Series) -> np.ndarray:
    """The cells as an object array of str, NA as ''."""
    return raw.to_numpy(dtype=object, na_value="")


def _each(fn, values: np.ndarray, dtype=bool) -> np.ndarray:
    """fn over every value, as a numpy array (a C-level map, no Python loop body)."""
    return np.fromiter(map(fn, values), dtype=dtype, count=len(values))


def _ascii_digits(values: np.ndarray, max_len: int) -> np.ndarray:
    """Which values are 1 to max_len ASCII digits and nothing else."""
    return _each(str.isdigit, values) & _each(str.isascii, values) & (_each(len, values, np.int64) <= max_len)


def _by_unique(raw: pd.Series, fn):
    """fn(Series) once per distinct value of raw (NA included), spread back over raw's index.
    fn returns a Series or a tuple of them, each aligned with its argument."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    result = fn(pd.Series(uniques, dtype=raw.dtype))
    spread = lambda r: pd.Series(r.array.take(codes), index=raw.index)  # noqa: E731
    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)


# A parse's state per cell, as a categorical: comparing a million of them is a comparison of codes.
STATES = pd.CategoricalDtype(["ok", "blank", "absent", "bad", "fraction"])


def _states(state: pd.Series) -> pd.Series:
    return state.astype(STATES)


def _with_fast_path(raw: pd.Series, fast: np.ndarray, fast_values, slow, dtype: str):
    """(values, state): `fast_values` for the cells `fast` marks, `slow` (the general parser, run
    once per distinct value) for the rest."""
    if not fast.any():
        value, state = _by_unique(raw, slow)
        return value, _states(state)
    values = pd.array(np.zeros(len(raw), dtype=np.int64), dtype=dtype)
    values[fast] = fast_values
    codes = np.zeros(len(raw), dtype=np.int8)  # "ok"
    if not fast.all():
        value, state = _by_unique(raw[~fast], slow)
        values[~fast] = value.array
        codes[~fast] = _states(state).cat.codes.to_numpy()
    return pd.Series(values, index=raw.index), \
        pd.Series(pd.Categorical.from_codes(codes, dtype=STATES), index=raw.index)


def _combine_text(raw: pd.Series, fast: np.ndarray, fast_values: np.ndarray, slow) -> pd.Series:
    """A text column: `fast_values` where `fast`, slow(…) once per distinct value elsewhere."""
    out = np.empty(len(raw), dtype=object)
    out[fast] = fast_values
    if not fast.all():
        out[~fast] = _by_unique(raw[~fast], slow).to_numpy(dtype=object, na_value=pd.NA)
    return pd.Series(pd.array(out, dtype=TEXT), index=raw.index)


def parse_money(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(fen as Int64, state) where state is 'ok', 'blank', 'absent' or 'bad'."""
    values = _values(raw)
    whole = _ascii_digits(values, 11)
    fen = np.zeros(len(values), dtype=np.int64)
    fen[whole] = values[whole].astype(np.int64) * 100
    plain = whole.copy()
    rest = np.flatnonzero(~whole)
    if len(rest):  # decimals and signs, still plain: exact through a float at this size
        decimal = pd.Series(values[rest], dtype=object).str.fullmatch(_PLAIN_AMOUNT).to_numpy(dtype=bool)
        rest = rest[decimal]
        yuan = pd.to_numeric(pd.Series(values[rest], dtype=object)).to_numpy(dtype=np.float64)
        fen[rest] = np.rint(yuan * 100).astype(np.int64)
        plain[rest] = True
    return _with_fast_path(raw, plain, fen[plain], _parse_money, "Int64")


def _parse_money(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The general money parser: units, separators, full-width digits, 万, rounding half up."""
    text = _nfkc(raw).str.replace(r"[\s,¥$]|人民币|元$", "", regex=True).str.replace("元", "", regex=False)
    state = pd.Series(np.where(raw.isna(), "absent", np.where(text == "", "blank", "bad")), index=raw.index)
    parts = text.str.extract(_MONEY_RE)
    matched = parts["int"].notna() & ((parts["int"] != "") | parts["frac"].fillna("").ne(""))
    fen = pd.Series(pd.array([pd.NA] * len(raw), dtype="Int64"), index=raw.index)
    fen[state == "blank"] = 0
    if matched.any():
        p = parts[matched]
        wan = p["wan"].notna().to_numpy()
        frac = p["frac"].fillna("")
        # yuan to fen keeps 2 decimals, 万 to fen keeps 6; the next digit rounds half up.
        keep2 = _digits_to_int(frac.str.pad(3, side="right", fillchar="0").str[:3])
        keep6 = _digits_to_int(frac.str.pad(7, side="right", fillchar="0").str[:7])
        whole = _digits_to_int(p["int"])
        kept = np.where(wan, keep6, keep2)
        magnitude = np.where(wan, whole * 1_000_000, whole * 100) + (kept + 5) // 10
        sign = np.where(p["sign"].to_numpy() == "-", -1, 1)
        fen[matched] = sign * magnitude
        state[matched] = "ok"
    return fen, state


def parse_integer(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Int64, state) with state 'ok', 'blank', 'absent', 'fraction' (not whole) or 'bad'."""
    values = _values(raw)
    plain = _ascii_digits(values, 9)
    return _with_fast_path(raw, plain, values[plain].astype(np.int64), _parse_integer, "Int64")


def _parse_integer(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _nfkc(raw).str.replace(r"\s+", "", regex=True).str.replace(r"(?:人|口|名)$", "", regex=True)
    state = pd.Series(np.where(raw.isna(), "absent", np.where(text == "", "blank", "bad")), index=raw.index)
    parts = text.str.extract(_INT_RE)
    matched = parts["int"].notna()
    whole = matched & parts["frac"].fillna("0").str.fullmatch(r"0+")
    value = pd.Series(pd.array([pd.NA] * len(raw), dtype="Int64"), index=raw.index)
    if whole.any():
        p = parts[whole]
        value[whole] = np.where(p["sign"].to_numpy() == "-", -1, 1) * _digits_to_int(p["int"])
        state[whole] = "ok"
    state[matched & ~whole] = "fraction"
    return value, state


def parse_flag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(boolean, state) with state 'ok', 'blank' (read as 否), 'absent' or 'bad'."""
    value, state = _by_unique(raw, _parse_flag)
    return value, _states(state)


def _parse_flag(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    words = fields().flags
    yes = {normalise_header(w).upper() for w in words.yes}
    no = {normalise_header(w).upper() for w in words.no}
    text = _nfkc(raw).str.replace(r"\s+", "", regex=True).str.upper()
    is_yes, is_no = text.isin(yes).fillna(False), text.isin(no).fillna(False)
    state = np.select([raw.isna(), text == "", is_yes | is_no], ["absent", "blank", "ok"], "bad")
    value = pd.Series(pd.array(np.where(is_yes, True, False), dtype="boolean"), index=raw.index)
    value[(state == "bad") | (state == "absent")] = pd.NA
    return value, pd.Series(state, index=raw.index)


def normalise_id(raw: pd.Series) -> pd.Series:
    """IDs as they should be written: no spaces anywhere, no leading apostrophe, upper-case X."""
    values = _values(raw)
    # ASCII letters and digits only: NFKC, trimming and removing spaces change nothing.
    plain = _each(str.isalnum, values) & _each(str.isascii, values)
    return _combine_text(raw, plain, _each(str.upper, values[plain], object), _normalise_id)


def _normalise_id(raw: pd.Series) -> pd.Series:
    return _nfkc(raw).str.replace(r"\s+", "", regex=True).str.lstrip("'").str.upper().where(raw.notna())


def normalise_text(raw: pd.Series) -> pd.Series:
    """Names of places and people: NFKC (full-width letters and spaces folded), trimmed."""
    return _by_unique(raw, _normalise_distinct_text)


def _normalise_distinct_text(raw: pd.Series) -> pd.Series:
    values = _values(raw)
    # Printable ASCII without a space (phone numbers, codes): already as normalised as it gets.
    plain = _each(str.isascii, values)
    at = np.flatnonzero(plain)
    plain[at] = _each(str.isprintable, values[at]) & ~np.fromiter(
        map(operator.contains, values[at], itertools.repeat(" ")), dtype=bool, count=len(at))
    plain &= raw.notna().to_numpy(dtype=bool)
    return _combine_text(raw, plain, values[plain], _normalise_text)


def _normalise_text(raw: pd.Series) -> pd.Series:
    return _nfkc(raw).str.replace(r"\s+", " ", regex=True).where(raw.notna())


def normalise(households: pd.DataFrame, log: IssueLog) -> pd.DataFrame:
    """Typed columns beside the raw ones: `<money>_fen`, integers, booleans, normalised text and IDs.
    Values that do not parse are logged; a blank money or yes/no cell is logged as a warning."""
    out = households.copy(deep=False)  # copy-on-write: the raw columns are shared, never changed
    for spec in fields().field:
        raw = households[spec.name]
        if spec.kind == "money":
            fen, state = parse_money(raw)
            out[f"{spec.name}_fen"] = fen
            log.add(state == "bad", spec.name, "not_a_number")
            log.add(state == "blank", spec.name, "missing_value", hint="missing_money")
        elif spec.kind == "integer":
            value, state = parse_integer(raw)
            out[spec.name] = value
            log.add(state == "bad", spec.name, "not_a_number")
            log.add(state == "fraction", spec.name, "not_an_integer")
            if spec.required:
                log.add(state == "blank", spec.name, "missing_value", hint="missing_required")
        elif spec.kind == "flag":
            value, state = parse_flag(raw)
            out[spec.name] = value
            log.add(state == "bad", spec.name, "flag_unrecognized")
            log.add(state == "blank", spec.name, "missing_value", hint="missing_flag")
        elif spec.kind == "id":
            out[spec.name] = normalise_id(raw)
        else:
            out[spec.name] = normalise_text(raw)
            if spec.required:
                log.add(out[spec.name].fillna("") == "", spec.name, "missing_value", hint="missing_required")
    return out
