"""Parse raw cell text into typed columns, vectorised, and report what cannot be parsed.

Money becomes integer fen (exact: `1200`, `1,200`, `1200元`, full-width digits, `1.2万`); counts
become integers (`3`, `3人`, `3.0`); yes/no cells become booleans (是/否, Y/N, √/×, 1/0, 有/无); ID
numbers lose inner spaces and get an upper-case X. A blank money cell reads as 0 and a blank yes/no
cell as 否, each with a warning; a column absent from a sheet stays NA.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import fields, normalise_header
from .issues import IssueLog

_MONEY_RE = r"^(?P<sign>[+-]?)(?P<int>\d{0,13})(?:\.(?P<frac>\d*))?(?P<wan>万)?$"
_INT_RE = r"^(?P<sign>[+-]?)(?P<int>\d{1,9})(?:\.(?P<frac>\d+))?$"
_NUMERIC_LOOKING = r"^[+-]?(?:\d[\d,]*)?(?:\.\d+)?(?:[eE][+-]?\d+)?$"


def _nfkc(raw: pd.Series) -> pd.Series:
    """NFKC-folded, trimmed text; an absent column (NA) becomes '' (its state says 'absent')."""
    return raw.fillna("").str.normalize("NFKC").str.strip()


def _digits_to_int(digits: pd.Series) -> np.ndarray:
    """A column of ASCII digit strings (≤ 18 digits) to int64; '' is 0."""
    return pd.to_numeric(digits.replace("", "0"), errors="raise").to_numpy(dtype=np.int64)


def parse_money(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(fen as Int64, state) where state is 'ok', 'blank', 'absent' or 'bad'."""
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
    return _nfkc(raw).str.replace(r"\s+", "", regex=True).str.lstrip("'").str.upper().where(raw.notna())


def normalise_text(raw: pd.Series) -> pd.Series:
    """Names of places and people: NFKC (full-width letters and spaces folded), trimmed."""
    return _nfkc(raw).str.replace(r"\s+", " ", regex=True).where(raw.notna())


def normalise(households: pd.DataFrame, log: IssueLog) -> pd.DataFrame:
    """Typed columns beside the raw ones: `<money>_fen`, integers, booleans, normalised text and IDs.
    Values that do not parse are logged; a blank money or yes/no cell is logged as a warning."""
    out = households.copy()
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
