"""One status per household, the first that applies (domain §4), compared in integer fen.

A clear 是 on an exclusion decides the household whatever else is wrong. Then any error-level issue
makes it `invalid`. Then the bounds, both exclusive: per-capita above the lower bound means
net_fen > lower_fen × residents, and under the upper bound means net_fen < upper_fen × residents —
never a rounded quotient.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import STATUSES, Lang, messages
from .compute import read_shifted
from .rules import Bounds, RuleSet

# The reason code a status gives on its own; invalid's reasons are its error codes.
STATUS_REASON = {
    "excluded_dibao": "dibao",
    "excluded_tekun": "tekun",
    "excluded_registered": "registered_poor",
    "invalid": "",
    "below_line": "at_or_below_lower_bound",
    "candidate": "in_band",
    "above_limit": "at_or_above_upper_bound",
}
# The status each exclusion (dibao, tekun, registered_poor) gives.
EXCLUSION_STATUS = {reason: status for status, reason in STATUS_REASON.items() if status.startswith("excluded_")}


def check_titles(lang: Lang) -> dict[str, str]:
    """Each check's short title (check_<code>), by code."""
    labels = messages().labels
    return {code: labels[f"check_{code}"](lang) for code in messages().checks if f"check_{code}" in labels}


def reason_titles(lang: Lang) -> dict[str, str]:
    """The words of every reason code, as the ledger, the lists and explain say it: a status's own
    reason (reason_<code>), or a check's title (身份证号格式错误, never id_malformed)."""
    labels = messages().labels
    own = {code: labels[f"reason_{code}"](lang) for code in STATUS_REASON.values() if code}
    return {**check_titles(lang), **own}


def possible_statuses(rules: RuleSet, bounds: Bounds) -> list[str]:
    """The statuses these rules can give, in order: an exclusion the rule set leaves off (低保 under
    monitoring) or a lower bound it has not gives none of its status."""
    off = {"excluded_dibao": not rules.exclude.dibao, "excluded_tekun": not rules.exclude.tekun,
           "excluded_registered": not rules.exclude.registered_poor, "below_line": bounds.lower is None}
    return [s for s in STATUSES if not off.get(s, False)]


def shown_statuses(possible: list[str], counts) -> list[str]:
    """The statuses a count by status shows, in order: those `possible` (possible_statuses) and any
    other a household has (`counts`: households by status). A column or bar of 0 headed 低保 under
    rules that leave no one out would read as a county without 低保 households."""
    return [s for s in STATUSES if s in possible or int(counts.get(s, 0)) > 0]


def band_of(net_fen: np.ndarray, residents: np.ndarray, lower_fen, upper_fen) -> np.ndarray:
    """'below_line', 'candidate' or 'above_limit' for each household, exact in integer fen: net income
    at or below lower × residents, below upper × residents, or neither. Each bound is one for all
    or one per household (int64); a lower bound of None, or a negative one per household, is none."""
    net = np.asarray(net_fen, dtype=np.int64)
    res = np.asarray(residents, dtype=np.int64)
    if lower_fen is None:
        below = np.zeros(len(net), dtype=bool)
    else:
        lower = np.asarray(lower_fen, dtype=np.int64)
        below = (lower >= 0) & (net <= lower * res)
    return np.select([below, net < np.asarray(upper_fen, dtype=np.int64) * res], ["below_line", "candidate"],
                     "above_limit")


def band_position(net_fen: pd.Series, residents: pd.Series, bounds: Bounds) -> pd.Series:
    """'below_line', 'candidate' or 'above_limit' for computable households, exact in fen."""
    net = net_fen.astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    res = residents.astype("Int64").fillna(1).to_numpy(dtype=np.int64)
    return pd.Series(band_of(net, res, bounds.lower_fen, bounds.upper_fen), index=net_fen.index)


def shown_inside(per_capita_fen: pd.Series, band: np.ndarray, computable: np.ndarray, bounds: Bounds) -> pd.Series:
    """The per-capita income as printed (rounded to the fen), kept off the bounds of a household
    inside the band: 11,999.99 yuan over 3 residents is 3,999.9967, a candidate, which rounding
    would print as 4000.00 under a heading that says 低于 4000 元; it prints 3999.99. Likewise 3218.01,
    never 3218.00, for one just above the line. Households at or beyond a bound round as they come
    (a rounded value never crosses a bound from outside). The decision never reads this figure."""
    shown = per_capita_fen.astype("Int64").copy()
    inside = (band == "candidate") & computable & shown.notna().to_numpy()
    if not inside.any():
        return shown
    values = shown.to_numpy(dtype=np.int64, na_value=0)
    low = values[inside]
    if bounds.lower_fen is not None:
        low = np.maximum(low, bounds.lower_fen + 1)
    values[inside] = np.minimum(low, bounds.upper_fen - 1)
    return pd.Series(pd.array(values, dtype="Int64"), index=shown.index).where(shown.notna())


def classify(df: pd.DataFrame, issues: pd.DataFrame, rules: RuleSet, bounds: Bounds,
             authoritative: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Adds `status` and `reasons` (';'-separated codes) to the households frame. `authoritative`
    (rosters.RosterRun.authoritative): exclusion switch → households an authoritative roster puts
    under it, whatever they said; then `status_without_rosters` says what they said would give."""
    n = len(df)
    errors = issues[issues["severity"] == "error"]
    has_error = np.zeros(n, dtype=bool)
    has_error[errors["hh"].to_numpy(dtype=np.int64)] = True

    excl = rules.exclude
    flag = lambda name: df[name].fillna(False).to_numpy(dtype=bool)  # noqa: E731 — a clear 是 only
    said = {"dibao": flag("is_dibao"), "tekun": flag("is_tekun"), "registered_poor": flag("is_registered_poor")}
    # A row read shifted (compute.read_shifted) read its 是/否 from its neighbours' cells (a 低保户's 是 under
    # 是否特困人员): it excludes on nothing it says, and is invalid for its shift.
    shifted = read_shifted(df)
    if shifted.any():
        said = {k: v & ~shifted for k, v in said.items()}
    invalid = has_error | ~df["computable"].to_numpy(dtype=bool)
    band = band_position(df["net_income_fen"], df["residents"], bounds).to_numpy()
    df["per_capita_fen"] = shown_inside(df["per_capita_fen"], band, df["computable"].to_numpy(dtype=bool), bounds)

    def decide(excluded: dict[str, np.ndarray]) -> np.ndarray:
        conditions = [excluded["dibao"] & excl.dibao, excluded["tekun"] & excl.tekun,
                      excluded["registered_poor"] & excl.registered_poor, invalid]
        return np.select(conditions, STATUSES[:4], band)

    status = decide(said)
    if authoritative:
        df["status_without_rosters"] = status
        status = decide({k: v | authoritative[k] if k in authoritative else v for k, v in said.items()})
    df["status"] = status

    # Reasons: the status's own code, then the distinct error codes in catalogue order.
    reasons = pd.Series(pd.Series(status).map(STATUS_REASON).to_numpy(), index=df.index, dtype=object)
    if len(errors):
        for code in errors["code"].drop_duplicates():
            hit = np.zeros(n, dtype=bool)
            hit[errors.loc[errors["code"] == code, "hh"].to_numpy(dtype=np.int64)] = True
            reasons[hit] = reasons[hit].where(reasons[hit] == "", reasons[hit] + ";") + code
    df["reasons"] = reasons
    return df
