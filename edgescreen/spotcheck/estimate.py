"""Error rates from the verification (抽查核实, after-screening.md §5); enumerators who stand out.

Pure functions of a frame: no files, no printing.

Input
-----
`verified` is the design's households table (`SampleDesign.households`: every household drawn,
verified or not) with the verification joined onto it by index:

- `wrongly_listed` — for listed households: True when the verified status is not candidate (错评),
  False when it is; missing (NA) when the household was not verified.
- `wrongly_unlisted` — for unlisted households: True when the verified status is candidate (漏评).
- `fields_compared`, `fields_differing` (optional) — per household, how many fields were compared
  and how many of them differ (the field error rate).
- `enumerator` (optional) — who filled in the survey (填表人); gives the per-enumerator rows.

From the design it reads `township`, `village`, `stratum` ('listed'/'unlisted'), `stratum_size`
(N_h), `village_inclusion_probability` (π_v) and `weight` (w = 1/π). Pass the households that were
drawn but not verified too, with missing outcomes: they tell the estimator how many were drawn.

The rates
---------
Three rates, each over its own population: 错评 `wrongly_listed` over the listed households, 漏评
`wrongly_unlisted` over the unlisted, and `field_error` (differing fields over compared fields) over
all. Each is estimated for the county, per township, per village and per enumerator (a domain D with
indicator d_i; d_i = 1 for every household in the county row).

Non-response. In stratum h (a village's listed or unlisted households), n_h households were drawn
and r_h of them verified; the verified ones carry the others' weight, w*_i = w_i · n_h / r_h.

Estimate (a weighted ratio; y_i = 1 for an error, z_i = 1; for the field rate y_i = fields
differing, z_i = fields compared):

    p̂ = Σ w*_i d_i y_i / Σ w*_i d_i z_i

Variance, by linearisation: with the scores e_i = w*_i d_i (y_i − p̂ z_i) / Σ w* d z, their sums per
village U_v = Σ_{i∈v} e_i, stratum means ē_h, K_t sampled villages in township t and f_h = r_h/N_h,

    V̂(p̂) = Σ_t (1 − π_t) · K_t/(K_t − 1) · Σ_{v∈t} (U_v − Ū_t)²                (villages)
          + Σ_h π_v · (1 − f_h) · r_h/(r_h − 1) · Σ_{i∈h} (e_i − ē_h)²           (households)

This is the standard unbiased variance of a two-stage design, simple random sampling without
replacement at both stages (villages within townships, households within strata), applied to the
linearised scores. When all villages of a township are taken (π_t = 1, the default) the first line
vanishes and the second is the stratified-sampling variance with its finite population correction.
A township with one sampled village, or a stratum with one verified household, has no spread to
measure; its term is taken around 0, the mean of all scores (R survey's lonely.psu = "adjust"):
(1 − π_t) U_v² and π_v (1 − f_h) e_i². Units outside the domain keep e_i = 0 and still count in
r_h and K_t (domain estimation, not a re-stratified subset).

Design effect and effective sample size, with m the number compared (households; fields for the
field rate) and n the households verified:

    deff  = V̂(p̂) / (p̂(1 − p̂)/m)
    n_eff = min(m, p̂(1 − p̂) / V̂(p̂))       when 0 < p̂ < 1;     n_eff = n when p̂ is 0 or 1.

n_eff is capped at m so that an interval is never narrower than a simple random sample of the same
size would give: in tiny strata the variance estimate can be 0 by accident (two households both
wrong in one stratum, two both right in another), and a zero-width interval would turn a noisy
finding into a firm one. The fallback at 0 and 1 is that cap, m, in the rate's own units: fields
for the field rate. Households would be the cautious size (fields of one household are not
independent), but one field differing already takes n_eff to the fields compared (its variance is
that small), and no field differing would then get a wider interval than one: a village with 0 of
240 fields differing [0, 16.1 %] on its 24 households, one with 1 of 300 [0.1 %, 1.8 %]
(tests/test_spotcheck_stats.py). The interval at 0 is narrow, never [0, 0]: report.pct prints its
upper end to its first figures (0.03 %), not as 0.0 %.

Interval: the Wilson score interval with n_eff, z = Φ⁻¹(1 − (1 − confidence)/2):

    centre = (p̂ + z²/(2 n_eff)) / (1 + z²/n_eff)
    half   = z / (1 + z²/n_eff) · √(p̂(1 − p̂)/n_eff + z²/(4 n_eff²))
    [lower, upper] = [centre − half, centre + half]

Unlike p̂ ± z·SE it never collapses when no error is seen: at p̂ = 0 it is [0, z²/(n_eff + z²)]
(4 households and no error at 95 %: [0, 0.49]).

A rate row is `above_threshold` when p̂ > threshold (default 0.02, §5) and
`interval_above_threshold` when even the lower bound is; it is `firm` when, besides, at least
FIRM_MIN_HOUSEHOLDS (10) households were verified in its domain, or FIRM_MIN_IN_ERROR (2) of them are
in error (households for the field rate too: the fields of one household are not independent). The
first is a finding to look at, the last a firm one. Below 10 households one household in error is a
tenth of the rate or more, and alone it lifts the interval above 2 %: 1 of 8 gives [2.2 %, 47.1 %], 1 of
2 (weighted to 28.6 %) [3.4 %, 81.9 %] — a firm verdict on an enumerator or a village resting on one
household. 1 of 9 gives [1.99 %, …]: from 10 households on, one household in error is never firm at the
default threshold and confidence. Two households in error or more are no such accident: 6 of 7 (85.7 %,
[47.9 %, 97.5 %]) is firm over 7.

A row is a `full_count` when its domain was counted whole: every stratum holding a household of it,
listed and unlisted, had every household drawn and given the row's outcome (r_h = N_h: the finite
population correction 1 − f_h is 0 for each), and no village of its townships was left undrawn (π_t = 1;
a village's own domain is whole either way). Both are read off the terms of V̂(p̂) above, so its variance
is 0 by the design, not by accident (a rate of 0 has a variance of 0 over any sample), and there is
nobody left to sample: its rate is a count, exact, and its interval is [p̂, p̂] (n_eff = ∞), zero wide —
what report.py prints as 全数核查 instead of an interval — above the threshold or not as counted, never a
finding that too few households leave unsure. A place only partly counted whole (its candidates all drawn,
its other households sampled) keeps its interval; `whole_stratum` names the population ('listed' or
'unlisted') of the row's households counted whole there. Places only: an enumerator's rate stays a
judgement of their work, and over a household or two it rests on one household however whole the count.

Enumerators who stand out
-------------------------
Ranking enumerators by their raw error rate finds the ones who checked least, not the ones who
fabricate: an enumerator with 1 error in 2 households has a rate of 50 % and tops the list, while
one with 8 errors in 40 (20 %, far more telling) sits below. `enumerator_outliers` asks instead, for
each enumerator e with x_e households in error out of n_e verified (unweighted — the question is
about the enumerator's work, not the county), how surprising x_e is if e worked like everyone else:

    p₋e     = (X − x_e + 0.5) / (N − n_e + 1)      (the others' pooled rate, smoothed: never 0)
    p-value = P(X ≥ x_e | Binomial(n_e, p₋e))
            = Σ_{k=x_e}^{n_e} C(n_e, k) p₋e^k (1 − p₋e)^(n_e − k)

computed exactly (log-space sum of math.comb terms). The smoothed p₋e is the test's (`others_rate`);
what the others' households show is their plain share (X − x_e) / (N − n_e) (`others_share`), the figure
printed beside the test. With many enumerators some small p-values come by chance, so the p-values are
adjusted by Holm–Bonferroni (sorted ascending, the j-th of m multiplied by m − j + 1, made
non-decreasing, capped at 1) and an enumerator is `flagged` when the adjusted p-value is ≤ α (default
0.05): the chance that any honest enumerator is flagged stays at most α. The test compares raw rates:
when enumerators differ much in their share of listed households (whose error rate differs from the
unlisted's), test each population on its own (`outcome="wrongly_listed"`). A flag is a lead for a
revisit, not a verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .design import LISTED, STRATA, UNLISTED, SpotCheckError, z_value

WRONGLY_LISTED = "wrongly_listed"
WRONGLY_UNLISTED = "wrongly_unlisted"
FIELD_ERROR = "field_error"
FIELDS_COMPARED = "fields_compared"
FIELDS_DIFFERING = "fields_differing"
ENUMERATOR = "enumerator"
ALL = "all"

# rate → the population it is over
RATES = {WRONGLY_LISTED: LISTED, WRONGLY_UNLISTED: UNLISTED, FIELD_ERROR: ALL}
LEVELS = {"overall": [], "township": ["township"], "village": ["township", "village"],
          "enumerator": [ENUMERATOR]}
DESIGN_COLUMNS = ["township", "village", "stratum", "stratum_size", "village_inclusion_probability",
                  "weight"]
RATE_COLUMNS = ["rate", "level", "township", "village", "enumerator", "population", "n", "errors",
                "compared", "estimate", "standard_error", "design_effect", "effective_n", "lower",
                "upper", "above_threshold", "interval_above_threshold", "firm", "full_count", "whole_stratum"]
# Households verified a rate's domain needs for a firm finding (module docstring): fewer, and one household
# in error decides it. Unless as many households as FIRM_MIN_IN_ERROR are in error: then no one household does.
FIRM_MIN_HOUSEHOLDS = 10
FIRM_MIN_IN_ERROR = 2
OUTLIER_COLUMNS = ["enumerator", "n", "errors", "rate", "others_share", "others_rate", "p_value",
                   "adjusted_p_value", "flagged"]


@dataclass(frozen=True)
class RateEstimate:
    """One rate over one domain; see the module docstring for the formulas."""

    rate: str              # 'wrongly_listed', 'wrongly_unlisted' or 'field_error'
    population: str        # 'listed', 'unlisted' or 'all'
    n: int                 # households verified in the domain
    errors: int            # unweighted: households in error (fields differing for the field rate)
    compared: int          # unweighted denominator: n (fields compared for the field rate)
    estimate: float        # p̂; NaN when nothing was compared
    standard_error: float  # √V̂(p̂)
    design_effect: float   # V̂(p̂) / (p̂(1 − p̂)/compared); NaN when p̂ is 0 or 1
    effective_n: float     # the n the interval uses
    lower: float           # Wilson bounds; [0, 1] when nothing was compared
    upper: float
    households_in_error: int = 0  # unweighted: households with an error (a field differing, for the field rate)


def wilson_interval(estimate: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for a proportion `estimate` seen over `n` (may be fractional).

    [0, 1] when n is 0 or the estimate is NaN; at estimate 0 it is [0, z²/(n + z²)].
    """
    z = z_value(confidence)
    if not n > 0 or math.isnan(estimate):
        return 0.0, 1.0
    if math.isinf(n):
        return float(estimate), float(estimate)
    z2n = z * z / n
    centre = (estimate + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(max(estimate * (1 - estimate), 0.0) / n + z2n / (4 * n))
    # Exactly 0 (or 1) at the edges, not a rounding error away from it.
    lower = 0.0 if estimate <= 0 else max(0.0, centre - half)
    upper = 1.0 if estimate >= 1 else min(1.0, centre + half)
    return lower, upper


def estimate_rate(verified: pd.DataFrame, rate: str = WRONGLY_LISTED, *,
                  domain: pd.Series | None = None, confidence: float = 0.95) -> RateEstimate:
    """One rate (a key of RATES) over the households where `domain` (a boolean Series on
    `verified`'s index) is True, or over all of them."""
    layout = _Layout(_checked_frame(verified), rate)
    if domain is None:
        d = np.ones(len(layout.y), dtype=bool)
    else:
        d = domain.reindex(layout.verified_labels).fillna(False).to_numpy(dtype=bool)
    return layout.estimate(d, confidence)


def error_rates(verified: pd.DataFrame, *, threshold: float = 0.02,
                confidence: float = 0.95) -> pd.DataFrame:
    """Every rate the columns allow, for the county, each township, village and enumerator.

    One row per (rate, level, domain) that has households of the rate's population drawn, with
    the columns of RATE_COLUMNS: `level` is 'overall', 'township', 'village' or 'enumerator';
    township, village and enumerator name the domain (NA where they do not apply). Households
    with no enumerator count in every row but the enumerator rows.
    """
    if not 0 <= threshold <= 1:
        raise SpotCheckError("spot_between_0_1", option="--threshold", value=threshold)
    z_value(confidence)
    frame = _checked_frame(verified)
    rates = [r for r in RATES if _has_outcome(frame, r)]
    if not rates:
        raise ValueError(f"no outcome to estimate: give {WRONGLY_LISTED!r}, {WRONGLY_UNLISTED!r} "
                             f"or {FIELDS_COMPARED!r} with {FIELDS_DIFFERING!r}.")
    layouts = {rate: _Layout(frame, rate) for rate in rates}
    # A place is counted whole when the strata of its status outcomes are (the field rate's alone where the
    # frame has none); a row, when its place is and its own outcome was had of every household.
    place_rates = [r for r in (WRONGLY_LISTED, WRONGLY_UNLISTED) if r in layouts] or list(layouts)
    rows = []
    for level, columns in LEVELS.items():
        if level == "enumerator" and ENUMERATOR not in frame.columns:
            continue
        domains = {rate: list(layout.domains(columns)) for rate, layout in layouts.items()}
        whole = {} if level == "enumerator" else {
            rate: {_domain_key(names, columns): layouts[rate].counted_whole(drawn, one_village=level == "village")
                   for names, _, drawn in found} for rate, found in domains.items()}
        place = {key: all(whole[r].get(key, True) for r in place_rates)
                 for key in set().union(*(whole[r] for r in place_rates))} if whole else {}
        for rate in rates:
            layout = layouts[rate]
            for names, d, drawn in domains[rate]:
                key = _domain_key(names, columns)
                full = bool(place.get(key, False) and whole[rate][key])
                est = layout.estimate(d, confidence, counted_whole=full)
                part = [] if full or not whole else [
                    s for s in (LISTED, UNLISTED)
                    if layout.counted_whole(drawn & layout.in_stratum(s), one_village=level == "village")]
                rows.append({"rate": rate, "level": level, "township": pd.NA, "village": pd.NA,
                             "enumerator": pd.NA, **names,
                             "population": est.population, "n": est.n, "errors": est.errors,
                             "compared": est.compared, "estimate": est.estimate,
                             "standard_error": est.standard_error,
                             "design_effect": est.design_effect, "effective_n": est.effective_n,
                             "lower": est.lower, "upper": est.upper,
                             "above_threshold": bool(est.estimate > threshold),
                             "interval_above_threshold": bool(est.lower > threshold),
                             "firm": bool(est.lower > threshold) and (est.n >= FIRM_MIN_HOUSEHOLDS
                                                                      or est.households_in_error >= FIRM_MIN_IN_ERROR),
                             "full_count": full,
                             # one population counted whole, the other sampled (both whole is a full count
                             # but for a field left uncompared: nothing to name)
                             "whole_stratum": part[0] if len(part) == 1 else pd.NA})
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


def _domain_key(names: dict, columns: list[str]) -> tuple:
    return tuple(str(names[c]) for c in columns)


def binomial_upper_tail(x: int, n: int, p: float) -> float:
    """P(X ≥ x) for X ~ Binomial(n, p), summed exactly term by term in log space."""
    if x <= 0:
        return 1.0
    if x > n:
        return 0.0
    if p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    log_comb = math.log(math.comb(n, x))  # exact integer, then C(n, k+1) = C(n, k)·(n−k)/(k+1)
    logs = []
    for k in range(x, n + 1):
        logs.append(log_comb + k * log_p + (n - k) * log_q)
        log_comb += math.log(n - k) - math.log(k + 1) if k < n else 0.0
    top = max(logs)
    return min(1.0, math.exp(top) * math.fsum(math.exp(v - top) for v in logs))


def holm_adjust(p_values: Sequence[float]) -> np.ndarray:
    """Holm–Bonferroni adjusted p-values (same order as given): reject where ≤ α."""
    p = np.asarray(p_values, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def enumerator_outliers(verified: pd.DataFrame, *,
                        outcome: str | Sequence[str] | None = None,
                        alpha: float = 0.05) -> pd.DataFrame:
    """Enumerators whose error count is improbably high next to their peers' (module docstring).

    `outcome` names the column(s) that say a household is in error; by default those of
    wrongly_listed and wrongly_unlisted the frame has (a wrong status, 错评 or 漏评). A household
    is verified when any of them has a value and in error when any is True (or > 0, so a count such
    as `fields_differing` works too). One row per enumerator with the columns of OUTLIER_COLUMNS,
    most surprising first. With fewer than two enumerators there is
    no one to compare with: p-values are NaN and nobody is flagged.
    """
    if not 0 < alpha < 1:
        raise SpotCheckError("spot_between_0_1", option="alpha", value=alpha)
    if outcome is None:
        outcomes = [c for c in (WRONGLY_LISTED, WRONGLY_UNLISTED) if c in verified.columns]
        if not outcomes:
            raise ValueError(f"the verified households have neither {WRONGLY_LISTED!r} nor "
                                 f"{WRONGLY_UNLISTED!r}; name the outcome column.")
    else:
        outcomes = [outcome] if isinstance(outcome, str) else list(outcome)
    missing = [c for c in (ENUMERATOR, *outcomes) if c not in verified.columns]
    if missing or not outcomes:
        raise ValueError(f"the verified households have no column {', '.join(map(repr, missing))}.")
    values = np.column_stack([_numeric(verified[c], c).to_numpy(dtype=float, na_value=np.nan)
                              for c in outcomes])
    checked = ~np.isnan(values).all(axis=1)
    error = (np.nan_to_num(values, nan=0.0) > 0).any(axis=1)
    names = verified[ENUMERATOR]
    present = names.notna().to_numpy()
    codes, uniques = pd.factorize(names[present])
    n = np.bincount(codes, weights=checked[present], minlength=len(uniques)).astype(np.int64)
    x = np.bincount(codes, weights=error[present], minlength=len(uniques)).astype(np.int64)
    table = pd.DataFrame({"enumerator": uniques, "n": n, "errors": x})
    with np.errstate(divide="ignore", invalid="ignore"):
        table["rate"] = np.where(n > 0, x / n, np.nan)
    total_x, total_n = int(x.sum()), int(n.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        table["others_share"] = np.where(total_n - n > 0, (total_x - x) / (total_n - n), np.nan)
    table["others_rate"] = (total_x - x + 0.5) / (total_n - n + 1)
    tested = (table["n"] > 0).to_numpy()
    table["p_value"] = np.nan
    table["adjusted_p_value"] = np.nan
    if tested.sum() >= 2:
        p = [binomial_upper_tail(int(xe), int(ne), float(q))
             for xe, ne, q in zip(x[tested], n[tested], table["others_rate"].to_numpy()[tested])]
        table.loc[tested, "p_value"] = p
        table.loc[tested, "adjusted_p_value"] = holm_adjust(p)
    else:
        table["others_rate"] = np.nan
        table["others_share"] = np.nan
    table["flagged"] = (table["adjusted_p_value"] <= alpha).to_numpy(dtype=bool)  # NaN: not flagged
    table["_name"] = table["enumerator"].astype(str)  # names of mixed types still sort
    table = table.sort_values(["adjusted_p_value", "p_value", "_name"], kind="stable", na_position="last")
    return table[OUTLIER_COLUMNS].reset_index(drop=True)


def _numeric(column: pd.Series, name: str) -> pd.Series:
    try:
        return column.astype("Float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name!r} must hold True/False, numbers or nothing.") from None


def _has_outcome(frame: pd.DataFrame, rate: str) -> bool:
    if rate == FIELD_ERROR:
        return FIELDS_COMPARED in frame.columns and FIELDS_DIFFERING in frame.columns
    return rate in frame.columns


def _checked_frame(verified: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in DESIGN_COLUMNS if c not in verified.columns]
    if missing:
        raise ValueError(f"the verified households have no column {', '.join(map(repr, missing))}; "
                             "start from the design's households table.")
    if not verified.index.is_unique:
        raise ValueError("the verified households' index labels are not unique.")
    stray = ~verified["stratum"].isin(STRATA)
    if stray.any():
        raise ValueError(f"{int(stray.sum())} household(s) have a stratum other than "
                             f"{LISTED!r} or {UNLISTED!r}.")
    weight = verified["weight"].to_numpy(dtype=float)
    if not (np.isfinite(weight) & (weight > 0)).all():
        raise ValueError("every household drawn must have a positive weight.")
    for rate, population in ((WRONGLY_LISTED, UNLISTED), (WRONGLY_UNLISTED, LISTED)):
        # A True on the other population is a caller's mix-up, not something to ignore silently.
        if rate in verified.columns:
            wrong = (_numeric(verified[rate], rate).fillna(0) > 0) & verified["stratum"].eq(population)
            if wrong.any():
                raise ValueError(f"{rate!r} is True for {int(wrong.sum())} {population} household(s); "
                                     f"it applies to {RATES[rate]} households only.")
    return verified


def adjusted_weights(households: pd.DataFrame, verified: pd.Series) -> pd.Series:
    """The weight each verified household carries in the rates, w*_i = w_i · n_h / r_h (module docstring,
    Non-response): the design's weight 1/π, with the households of its stratum drawn and not verified
    carried by those verified. NaN for a household not verified. `verified`: a boolean Series on the
    households' index. The one computation of it, for the rates and for the weights printed beside them."""
    ok = verified.reindex(households.index).fillna(False).to_numpy(dtype=bool)
    stratum = (households["township"].astype(str) + "\x1f" + households["village"].astype(str) + "\x1f"
               + households["stratum"].astype(str)).to_numpy()
    codes, uniques = pd.factorize(stratum)
    drawn = np.bincount(codes, minlength=len(uniques))
    responded = np.bincount(codes, weights=ok, minlength=len(uniques))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(responded > 0, drawn / responded, np.nan)
    weight = households["weight"].to_numpy(dtype=float) * factor[codes]
    return pd.Series(np.where(ok, weight, np.nan), index=households.index, name="adjusted_weight")


class _Layout:
    """One rate's population, its verified households and the design around them, as arrays."""

    def __init__(self, frame: pd.DataFrame, rate: str):
        if rate not in RATES:
            raise ValueError(f"no rate {rate!r}; the rates are {', '.join(RATES)}.")
        if not _has_outcome(frame, rate):
            raise ValueError(f"the verified households have no outcome for {rate!r}.")
        self.rate, self.population = rate, RATES[rate]
        township = frame["township"].astype(str)
        village_key = township + "\x1f" + frame["village"].astype(str)
        # Every sampled village counts in K_t, even one with no household of this population.
        village_codes, villages = pd.factorize(village_key, sort=True)
        town_of_village = pd.factorize(pd.Series(villages).str.split("\x1f").str[0], sort=True)[0]
        self.n_townships = int(town_of_village.max()) + 1 if len(villages) else 0
        self.town_of_village = town_of_village
        pi_village = (pd.Series(frame["village_inclusion_probability"].to_numpy(dtype=float))
                      .groupby(village_codes).first().to_numpy())
        self.pi_town = np.ones(self.n_townships)
        self.pi_town[town_of_village] = pi_village
        self.k_town = np.bincount(town_of_village, minlength=self.n_townships)

        in_population = (frame["stratum"].eq(self.population) if self.population != ALL
                         else pd.Series(True, index=frame.index)).to_numpy()
        self.drawn = frame[in_population]
        if rate == FIELD_ERROR:
            compared = _numeric(self.drawn[FIELDS_COMPARED], FIELDS_COMPARED)
            differing = _numeric(self.drawn[FIELDS_DIFFERING], FIELDS_DIFFERING)
            ok = compared.notna() & differing.notna()
            bad = ok & ((differing < 0) | (differing > compared))
            if bad.any():
                raise ValueError(f"{int(bad.sum())} household(s) have more fields differing than "
                                     "compared, or a negative count.")
            y, z = differing, compared
        else:
            y = _numeric(self.drawn[rate], rate)
            ok = y.notna()
            z = pd.Series(1.0, index=y.index)
        ok = ok.to_numpy(dtype=bool)
        self.verified_labels = self.drawn.index[ok]
        self.y = y.to_numpy(dtype=float, na_value=np.nan)[ok]
        self.z = z.to_numpy(dtype=float, na_value=np.nan)[ok]

        stratum_codes, _ = pd.factorize(village_key[in_population] + "\x1f" + self.drawn["stratum"])
        n_strata = int(stratum_codes.max()) + 1 if len(stratum_codes) else 0
        self.ok = ok
        self.stratum = stratum_codes[ok]
        self.r_h = np.bincount(self.stratum, minlength=n_strata)
        size_h = np.zeros(n_strata)
        size_h[stratum_codes] = self.drawn["stratum_size"].to_numpy(dtype=float)
        if (self.r_h > size_h).any():
            raise ValueError("a stratum has more households verified than its stratum_size.")
        self.fpc_h = 1 - self.r_h / size_h
        village_of_stratum = np.zeros(n_strata, dtype=np.int64)
        village_of_stratum[stratum_codes] = village_codes[in_population]
        self.pi_h = self.pi_town[town_of_village[village_of_stratum]]
        self.village = village_codes[in_population][ok]
        self.drawn_stratum = stratum_codes  # of every household drawn, verified or not
        self.n_villages = len(villages)
        self.w = adjusted_weights(self.drawn, pd.Series(ok, index=self.drawn.index)).to_numpy(dtype=float)[ok]

    def domains(self, columns: list[str]):
        """(names, mask over the verified households, mask over the households drawn) for each domain with
        households drawn."""
        if not columns:
            yield {}, np.ones(len(self.y), dtype=bool), np.ones(len(self.drawn), dtype=bool)
            return
        keys = self.drawn[columns]
        present = keys.notna().all(axis=1).to_numpy()
        if not present.any():
            return
        codes = np.full(len(keys), -1)
        groups = keys[present][columns[0]].astype(str)
        for column in columns[1:]:
            groups = groups + "\x1f" + keys[present][column].astype(str)
        codes[present], uniques = pd.factorize(groups, sort=True)
        first = keys[present].groupby(codes[present]).first()
        verified_codes = codes[self.ok]
        for g in range(len(uniques)):
            yield dict(zip(columns, first.loc[g])), verified_codes == g, codes == g

    def in_stratum(self, stratum: str) -> np.ndarray:
        """Mask over the households drawn: those of `stratum` ('listed' or 'unlisted')."""
        return self.drawn["stratum"].eq(stratum).to_numpy()

    def counted_whole(self, drawn: np.ndarray, *, one_village: bool) -> bool:
        """Whether every term of V̂(p̂) is 0 by the design over the households drawn where `drawn` (a mask
        over them) is True: each stratum holding one verified whole (1 − f_h = 0), and each township's
        villages all taken (1 − π_t = 0) unless they lie in `one_village` (its scores then sum to 0). False
        where none is drawn."""
        strata = np.unique(self.drawn_stratum[drawn])
        if not len(strata):
            return False
        return bool((self.fpc_h[strata] == 0).all() and (one_village or (self.pi_h[strata] >= 1 - 1e-9).all()))

    def estimate(self, d: np.ndarray, confidence: float, *, counted_whole: bool = False) -> RateEstimate:
        y, z, w = self.y[d], self.z[d], self.w[d]
        n = int(d.sum())
        errors, compared = int(round(y.sum())), int(round(z.sum()))
        denominator = float((w * z).sum())
        if n == 0 or denominator <= 0:
            return RateEstimate(self.rate, self.population, n, errors, compared, math.nan, math.nan,
                                math.nan, 0.0, 0.0, 1.0)
        p = float((w * y).sum()) / denominator
        e = np.zeros(len(self.y))
        e[d] = w * (y - p * z) / denominator
        variance = self._variance(e)
        if counted_whole:
            # Every household of the domain counted (counted_whole): the rate is exact, its interval [p̂, p̂].
            design_effect, n_eff = (0.0 if 0 < p < 1 else math.nan), math.inf
        elif 0 < p < 1:
            srs = p * (1 - p) / compared
            design_effect = variance / srs
            n_eff = compared if variance <= 0 else min(compared, p * (1 - p) / variance)
        else:
            # No variance to take a design effect from: the size in the rate's own units (fields for the
            # field rate), the cap the other case has; households would make no error seen a wider
            # interval than one error.
            design_effect, n_eff = math.nan, float(compared)
        lower, upper = wilson_interval(p, n_eff, confidence)
        return RateEstimate(self.rate, self.population, n, errors, compared, p,
                            math.sqrt(variance), design_effect, float(n_eff), lower, upper, int((y > 0).sum()))

    def _variance(self, e: np.ndarray) -> float:
        # Households within strata, with the finite population correction, scaled by π_v.
        s1 = np.bincount(self.stratum, weights=e, minlength=len(self.r_h))
        s2 = np.bincount(self.stratum, weights=e * e, minlength=len(self.r_h))
        r = self.r_h.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread = np.where(r >= 2, (s2 - s1 * s1 / r) * r / (r - 1), s2)  # r = 1: around 0
        within = float((self.pi_h * self.fpc_h * np.where(r > 0, spread, 0.0)).sum())
        # Villages within townships, where not every village was taken.
        u = np.bincount(self.village, weights=e, minlength=self.n_villages)
        t = self.town_of_village
        k = self.k_town.astype(float)
        u_sum = np.bincount(t, weights=u, minlength=self.n_townships)
        u_sq = np.bincount(t, weights=u * u, minlength=self.n_townships)
        with np.errstate(divide="ignore", invalid="ignore"):
            spread_t = np.where(k >= 2, (u_sq - u_sum * u_sum / k) * k / (k - 1), u_sq)  # K = 1: around 0
        between = float(((1 - self.pi_town) * np.where(k > 0, spread_t, 0.0)).sum())
        return max(within + between, 0.0)
