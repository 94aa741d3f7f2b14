"""Drawing the spot-check sample (抽查核实, after-screening.md §5): villages, then households.

A pure function of a households frame: no files, no printing. `draw_sample(frame, key=..., seed=...)`
returns a `SampleDesign` holding everything needed to print the forms, to describe the design and to
weight the verification afterwards (`edgescreen.spotcheck.estimate`).

Input
-----
One row per household, with at least `township`, `village`, `status` (the screen's status codes) and
the household key column(s) named by `key` (e.g. the ledger's `("source_file", "sheet", "row")`). The
index labels identify the households in the result; they must be unique. A household is **listed**
when `status == "candidate"` and **unlisted** otherwise (below_line, above_limit, excluded_*,
invalid, missing); pass a filtered frame to leave some out. A missing township or village counts as
the name "".

Stage 1: villages
-----------------
In township t with M_t villages, K_t = min(K, M_t) villages are drawn by simple random sampling
without replacement (all of them when `villages_per_township` is None). Each village's inclusion
probability is

    π_v = K_t / M_t.

Stage 2: households, two strata per sampled village
---------------------------------------------------
The strata of village v are its listed and its unlisted households, N_h households each (a stratum
with N_h = 0 does not exist). Within each, n_h households are drawn by simple random sampling
without replacement. The sizes come from one of two rules.

By rates (the default: 10 % listed, 20 % unlisted, at most 200 per village, as in §5):

    n_h = min(N_h, ⌈r_h · N_h⌉)              (a stratum of 3 candidates at 10 % gives 1)

and when the village's total n_L + n_U exceeds the cap C, both are scaled down in proportion,

    n_h ← largest-remainder rounding of C · n_h / (n_L + n_U)   (so they sum to C exactly),

keeping at least one listed household when the village has any (taken from the unlisted stratum).

By precision (`margin=e`, `confidence=c`, `expected_rate=p`, default 0.5, the worst case): each
population (listed, unlisted) has its own error rate, so each gets its own size, for N its number of
households in the sampled villages:

    z  = Φ⁻¹(1 − (1 − c)/2)                   (two-sided normal quantile; 1.96 for c = 0.95)
    n0 = z² · p(1 − p) / e²                   (e = 0.02, c = 0.95, p = 0.5: n0 = 2400.9, i.e. 2401)
    n  = ⌈n0 / (1 + (n0 − 1)/N)⌉              (finite-population correction; N = 5000 gives 1623)

then n is allocated to that population's strata in proportion to N_h, n_h = largest-remainder
rounding of n · N_h / N (sizes sum to n exactly, each ≤ N_h). The formula treats the sampled
villages as the population and their households as one simple random sample; the design effect the
estimate reports afterwards says how far that held. The cap does not apply in this mode (it would
break the precision asked for). Proportional allocation can give a very small stratum n_h = 0; it
stays in the strata table with inclusion probability 0 and no weight, and its households are not
represented by the sample: `uncovered(strata)` names them, and the outputs say so (the county's and
the township's rates do not cover them).

Probabilities and weights
-------------------------
A household i of stratum h in village v has

    π_i = π_v · n_h / N_h,        w_i = 1 / π_i = M_t · N_h / (K_t · n_h),

so Σ_{i ∈ sample of h} w_i = N_h / π_v: the within-village part of the Horvitz-Thompson count is
exact, and the village stage makes it unbiased over repeated draws.

Reproducibility
---------------
The frame is sorted by (township, village, key) — compared as text — before anything is drawn, so
the same households with the same seed and options give the same sample whatever their row order.
The generator is `numpy.random.Generator(PCG64(seed))`. It draws one uniform number per village
(townships, then villages, in that order) and then one per household (in that order), and a
simple random sample of n out of N is the n units with the smallest numbers. Every unit gets its
number whatever the options, so with the same seed a larger K or a higher rate (where the cap does
not bind) gives a sample that contains the smaller one: a sample can be extended after the fact. A seed must be unpredictable to the enumerators before the visit: when the
user gives none, draw one with `new_seed()` (63 bits from the OS) and record it; the design carries
the seed it used.
"""

from __future__ import annotations

import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

from ..errors import EdgescreenError

LISTED = "listed"
UNLISTED = "unlisted"
STRATA = (LISTED, UNLISTED)
LISTED_STATUS = "candidate"

# Columns of the households table; `estimate` reads the same names back.
HOUSEHOLD_COLUMNS = ["township", "village", "stratum", "stratum_size", "sample_size",
                     "village_inclusion_probability", "inclusion_probability", "weight"]
STRATA_COLUMNS = ["township", "village", "stratum", "stratum_size", "sample_size",
                  "village_inclusion_probability", "within_inclusion_probability",
                  "inclusion_probability", "weight"]
VILLAGE_COLUMNS = ["township", "village", "listed", "unlisted", "villages_in_township",
                   "villages_sampled", "village_inclusion_probability", "sampled"]

# ⌈r·N⌉ on floats: 0.07 × 100 is 7.000000000000001, which must stay 7.
_CEIL_SLACK = 1e-9


class SpotCheckError(EdgescreenError):
    """Options or a frame the spot-check functions cannot work with; the message says which."""


def new_seed() -> int:
    """A fresh seed from the OS (63 bits), for when the user gives none. Record and print it."""
    return secrets.randbits(63)


# A seed given by hand is as unpredictable as the guesses it takes: fewer digits than this, or a date
# (20191205: every day of ten years is 3,650 tries, a few seconds against one village's form), and the
# draw can be found again from the ledger and one form, and every other village's sample foreseen.
SEED_DIGITS_LEAST = 12
_DATE_SHAPED = re.compile(r"(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?:\d{2}){0,3}")


def guessable_seed(seed: int) -> str | None:
    """Why `seed` could be guessed: 'date' where it reads as a date (YYYYMMDD, with an hour, minute,
    second after it or not), 'short' where it has fewer than SEED_DIGITS_LEAST digits; None when it
    is neither (new_seed's 63 bits are 19 digits, or 18)."""
    digits = str(abs(int(seed)))
    if _DATE_SHAPED.fullmatch(digits):
        return "date"
    return "short" if len(digits) < SEED_DIGITS_LEAST else None


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile Φ⁻¹(1 − (1 − confidence)/2); 1.95996… for 0.95."""
    if not 0 < confidence < 1:
        raise SpotCheckError("spot_between_0_1", option="confidence", value=confidence)
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


@dataclass(frozen=True)
class PrecisionSampleSize:
    """The sample size for estimating one rate within ±margin at the given confidence."""

    population: int        # N, households in the population the rate is about
    margin: float          # e
    confidence: float      # c
    expected_rate: float   # p
    z: float               # Φ⁻¹(1 − (1 − c)/2)
    n0: float              # z² p(1 − p) / e², before the finite-population correction
    sample_size: int       # ⌈n0 / (1 + (n0 − 1)/N)⌉, never more than N


def precision_sample_size(population: int, *, margin: float, confidence: float = 0.95,
                          expected_rate: float = 0.5) -> PrecisionSampleSize:
    """Households to check so that a rate over `population` households is known within ±margin.

    n0 = z² p(1 − p) / e² and n = ⌈n0 / (1 + (n0 − 1)/N)⌉ with z = Φ⁻¹(1 − (1 − c)/2);
    p = 0.5 is the worst case and the default. n ≤ N always; N = 0 gives 0.
    """
    _check_margin(margin, confidence, expected_rate)
    if isinstance(population, bool) or not isinstance(population, (int, np.integer)) or population < 0:
        raise SpotCheckError("spot_whole_number", option="population", least=0, value=repr(population))
    z = z_value(confidence)
    n0 = z * z * expected_rate * (1 - expected_rate) / (margin * margin)
    if population == 0:
        n = 0
    else:
        n = min(int(population), math.ceil(n0 / (1 + (n0 - 1) / population) - _CEIL_SLACK))
    return PrecisionSampleSize(int(population), margin, confidence, expected_rate, z, n0, max(n, 0))


@dataclass(frozen=True)
class SampleOptions:
    """How the sample is sized. Rates mode unless `margin` is given (then precision mode)."""

    villages_per_township: int | None = None
    listed_rate: float = 0.10
    unlisted_rate: float = 0.20
    village_cap: int | None = 200
    margin: float | None = None
    confidence: float = 0.95
    expected_rate: float = 0.5

    def __post_init__(self) -> None:
        k = self.villages_per_township
        if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1):
            raise SpotCheckError("spot_whole_number", option="--villages", least=1, value=repr(k))
        for name in ("listed_rate", "unlisted_rate"):
            rate = getattr(self, name)
            if not 0 <= rate <= 1:
                raise SpotCheckError("spot_rate", option="--" + name.replace("_", "-"), value=rate)
        cap = self.village_cap
        if cap is not None and (isinstance(cap, bool) or not isinstance(cap, (int, np.integer)) or cap < 1):
            raise SpotCheckError("spot_whole_number", option="--cap", least=1, value=repr(cap))
        if self.margin is not None:
            _check_margin(self.margin, self.confidence, self.expected_rate)

    @property
    def mode(self) -> str:
        """'precision' when a margin was given, else 'rates'."""
        return "rates" if self.margin is None else "precision"


@dataclass(frozen=True)
class SampleDesign:
    """A drawn sample and how it was drawn.

    - `seed`, `key`, `options`: what reproduces it (with the same households).
    - `villages`: one row per village of the frame — township, village, listed and unlisted
      household counts, villages_in_township (M_t), villages_sampled (K_t),
      village_inclusion_probability (π_v = K_t/M_t) and whether it was `sampled`.
    - `strata`: one row per stratum of a sampled village with N_h ≥ 1 — township, village, stratum
      ('listed'/'unlisted'), stratum_size (N_h), sample_size (n_h), village_inclusion_probability
      (π_v), within_inclusion_probability (n_h/N_h), inclusion_probability (π_i = π_v n_h/N_h) and
      weight (1/π_i; NaN where n_h = 0).
    - `households`: one row per household drawn, indexed by its label in the input frame, with
      township, village, stratum, stratum_size, sample_size, village_inclusion_probability,
      inclusion_probability and weight. Join the verification outcomes onto it by index and pass it
      to `estimate.error_rates`.
    - `precision`: in precision mode, the `PrecisionSampleSize` of each population ('listed',
      'unlisted'); None in rates mode.
    """

    seed: int
    key: tuple[str, ...]
    options: SampleOptions
    villages: pd.DataFrame
    strata: pd.DataFrame
    households: pd.DataFrame
    precision: dict[str, PrecisionSampleSize] | None = None


def stratum_of(status: pd.Series) -> pd.Series:
    """'listed' where status == 'candidate', 'unlisted' everywhere else (missing included)."""
    return pd.Series(np.where(status.eq(LISTED_STATUS).fillna(False).to_numpy(dtype=bool), LISTED, UNLISTED),
                     index=status.index)


def draw_sample(households: pd.DataFrame, *, key: str | Sequence[str], seed: int,
                villages_per_township: int | None = None, listed_rate: float = 0.10,
                unlisted_rate: float = 0.20, village_cap: int | None = 200,
                margin: float | None = None, confidence: float = 0.95,
                expected_rate: float = 0.5) -> SampleDesign:
    """Draws the spot-check sample of `households` (see the module docstring for the design).

    `key` names the column(s) that tell households of one village apart (sorted as text, so the
    draw does not depend on row order); `seed` is required — use `new_seed()` when the user gives
    none. Rates mode by default; `margin=` switches to precision mode, where the rates and the cap
    are not used. Raises SpotCheckError for a missing column, a key or index label that is not
    unique, or options out of range.
    """
    options = SampleOptions(villages_per_township, listed_rate, unlisted_rate, village_cap,
                            margin, confidence, expected_rate)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SpotCheckError("spot_whole_number", option="--seed", least=0, value=repr(seed))
    keys = (key,) if isinstance(key, str) else tuple(key)
    if not keys:
        raise SpotCheckError("spot_no_key")
    missing = [c for c in ("township", "village", "status", *keys) if c not in households.columns]
    if missing:
        raise SpotCheckError("spot_missing_columns", columns=list(missing))
    if not households.index.is_unique:
        raise SpotCheckError("spot_index_not_unique")

    frame = _sorted_frame(households, keys)
    rng = np.random.Generator(np.random.PCG64(int(seed)))
    layout = _Layout(frame)
    # The generator's order of use is part of the reproducibility contract (module docstring).
    village_draw = rng.random(layout.n_villages)
    household_draw = rng.random(len(frame))
    sampled = layout.select_villages(village_draw, options.villages_per_township)

    size = layout.stratum_sizes(sampled)
    precision = None
    if options.mode == "rates":
        sample_size = _size_by_rates(size, options)
    else:
        sample_size, precision = _size_by_precision(size, options)
    chosen = layout.select_households(household_draw, sample_size)

    villages = layout.village_table(sampled)
    strata = layout.strata_table(size, sample_size)
    drawn = _households_table(layout, chosen, strata, frame["_pos"].to_numpy(), households.index)
    return SampleDesign(seed=int(seed), key=keys, options=options, villages=villages,
                        strata=strata[STRATA_COLUMNS], households=drawn, precision=precision)


UNCOVERED_COLUMNS = ["township", "village", "reason", "listed", "unlisted", "households", "whole"]


def uncovered(strata: pd.DataFrame, reason: pd.Series | None = None) -> pd.DataFrame:
    """The households of the sampled villages the rates do not cover, per village and reason: a
    stratum with n_h = 0 ('not_drawn'), or the reason given per stratum (`reason`, aligned with
    `strata`: a reason word or "" where the stratum is covered; backcheck gives 'not_back' and
    'not_verified'). Columns: township, village, reason, listed and unlisted (N_h of the strata not
    covered), households (their sum) and whole (every stratum of the village is not covered, for
    that reason); in the strata's order."""
    s = strata.reset_index(drop=True)
    if reason is None:
        why = pd.Series(np.where(s["sample_size"].fillna(0).astype(int).to_numpy() == 0, "not_drawn", ""))
    else:
        why = pd.Series(reason.to_numpy(), dtype=object).fillna("")
    size = s["stratum_size"].fillna(0).astype(int)
    frame = pd.DataFrame({"township": s["township"].to_numpy(), "village": s["village"].to_numpy(), "reason": why,
                          "listed": size.where(s["stratum"].eq(LISTED), 0).to_numpy(),
                          "unlisted": size.where(~s["stratum"].eq(LISTED), 0).to_numpy(),
                          "strata": 1})
    strata_per_village = frame.groupby(["township", "village"], sort=False)["strata"].transform("size")
    frame = frame.assign(_of=strata_per_village)[frame["reason"].ne("")]
    if frame.empty:
        return pd.DataFrame(columns=UNCOVERED_COLUMNS)
    out = frame.groupby(["township", "village", "reason"], sort=False).agg(
        listed=("listed", "sum"), unlisted=("unlisted", "sum"), strata=("strata", "sum"), _of=("_of", "first"))
    out = out.reset_index()
    out["households"] = out["listed"] + out["unlisted"]
    out["whole"] = out["strata"].eq(out["_of"])
    return out[UNCOVERED_COLUMNS]


def _check_margin(margin: float, confidence: float, expected_rate: float) -> None:
    if not 0 < margin < 1:
        raise SpotCheckError("spot_between_0_1", option="--margin", value=margin)
    z_value(confidence)
    if not 0 < expected_rate < 1:
        raise SpotCheckError("spot_between_0_1", option="--expected-rate", value=expected_rate)


def _text(column: pd.Series) -> pd.Series:
    return column.astype(object).where(column.notna(), "").astype(str)


def _sorted_frame(households: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """township, village, stratum and the key as text, sorted; `_pos` is the row's position in
    the input (the index labels are looked up from it at the end, whatever kind of index it is)."""
    frame = pd.DataFrame({"township": _text(households["township"]).to_numpy(),
                          "village": _text(households["village"]).to_numpy(),
                          "stratum": stratum_of(households["status"]).to_numpy(),
                          "_pos": np.arange(len(households))})
    key_cols = [f"_key{i}" for i in range(len(keys))]
    for col, name in zip(key_cols, keys):
        frame[col] = _text(households[name]).to_numpy()
    order = ["township", "village", *key_cols]
    # Values never enter the message: keys are often ID numbers or names.
    duplicated = int(frame.duplicated(order).sum())
    if duplicated:
        raise SpotCheckError("spot_key_not_unique", count=duplicated, key=list(keys))
    return frame.sort_values(order, kind="stable").drop(columns=key_cols)


class _Layout:
    """The sorted households as integer codes: village v of township t, stratum 2v (listed) and
    2v + 1 (unlisted). Plain arrays rather than group-bys: a county draws in milliseconds."""

    def __init__(self, frame: pd.DataFrame):
        township = frame["township"].to_numpy()
        village = frame["village"].to_numpy()
        self.unlisted = (frame["stratum"].to_numpy() == UNLISTED).astype(np.int64)
        new_village = np.ones(len(frame), dtype=bool)
        new_village[1:] = (township[1:] != township[:-1]) | (village[1:] != village[:-1])
        self.village_code = np.cumsum(new_village) - 1
        self.n_villages = int(new_village.sum())
        self.village_township = township[new_village]
        self.village_name = village[new_village]
        new_township = np.ones(self.n_villages, dtype=bool)
        new_township[1:] = self.village_township[1:] != self.village_township[:-1]
        self.township_code = np.cumsum(new_township) - 1
        per_township = np.bincount(self.township_code)
        self.villages_in_township = per_township[self.township_code]
        self.township_start = (np.cumsum(per_township) - per_township)[self.township_code]
        self.stratum_code = 2 * self.village_code + self.unlisted
        self.households = np.bincount(self.stratum_code, minlength=2 * self.n_villages)

    def select_villages(self, draw: np.ndarray, k: int | None) -> np.ndarray:
        """SRS of K_t per township: the K_t villages with the smallest draws."""
        m = self.villages_in_township
        self.villages_sampled = m if k is None else np.minimum(m, k)
        order = np.lexsort((draw, self.township_code))
        rank = np.empty(self.n_villages, dtype=np.int64)
        rank[order] = np.arange(self.n_villages)
        rank -= self.township_start
        self.village_probability = self.villages_sampled / m
        return rank < self.villages_sampled

    def stratum_sizes(self, sampled: np.ndarray) -> np.ndarray:
        """N_h per stratum code; 0 outside the sampled villages."""
        return np.where(np.repeat(sampled, 2), self.households, 0)

    def select_households(self, draw: np.ndarray, sample_size: np.ndarray) -> np.ndarray:
        """SRS of n_h per stratum: the n_h households with the smallest draws."""
        code = self.stratum_code
        order = np.lexsort((draw, code))
        start = np.cumsum(self.households) - self.households
        rank = np.empty(len(code), dtype=np.int64)
        rank[order] = np.arange(len(code))
        return (rank - start[code]) < sample_size[code]

    def village_table(self, sampled: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame({
            "township": self.village_township, "village": self.village_name,
            "listed": self.households[0::2], "unlisted": self.households[1::2],
            "villages_in_township": self.villages_in_township,
            "villages_sampled": self.villages_sampled,
            "village_inclusion_probability": self.village_probability,
            "sampled": sampled}, columns=VILLAGE_COLUMNS)

    def strata_table(self, size: np.ndarray, sample_size: np.ndarray) -> pd.DataFrame:
        codes = np.flatnonzero(size > 0)
        v = codes // 2
        big_n = size[codes].astype(float)
        small_n = sample_size[codes].astype(float)
        m = self.villages_in_township[v].astype(float)
        k = self.villages_sampled[v].astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            # One division from the integers, so a stratum's weights add up to N_h/π_v exactly.
            weight = np.where(small_n > 0, m * big_n / (k * small_n), np.nan)
        return pd.DataFrame({
            "township": self.village_township[v], "village": self.village_name[v],
            "stratum": np.where(codes % 2 == 0, LISTED, UNLISTED),
            "stratum_size": size[codes], "sample_size": sample_size[codes],
            "village_inclusion_probability": self.village_probability[v],
            "within_inclusion_probability": small_n / big_n,
            "inclusion_probability": k * small_n / (m * big_n), "weight": weight,
            "_code": codes})


def _largest_remainder(quotas: np.ndarray, total: int) -> np.ndarray:
    """Integers summing to `total`, each the floor of its quota or one more; the largest
    fractional parts get the extra units, ties to the earlier entry (so the result is stable)."""
    base = np.floor(quotas + _CEIL_SLACK).astype(np.int64)
    extra = total - int(base.sum())
    order = np.argsort(-(quotas - base), kind="stable")
    if extra > 0:
        base[order[:extra]] += 1
    elif extra < 0:  # only from float noise around whole quotas
        base[order[extra:]] -= 1
    return base


def _rate_sizes(listed: int, unlisted: int, options: SampleOptions) -> tuple[int, int]:
    """(n_L, n_U) of one village in rates mode."""
    n_l = min(listed, math.ceil(options.listed_rate * listed - _CEIL_SLACK))
    n_u = min(unlisted, math.ceil(options.unlisted_rate * unlisted - _CEIL_SLACK))
    cap = options.village_cap
    if cap is not None and n_l + n_u > cap:
        wanted_listed = n_l
        n_l, n_u = (int(v) for v in _largest_remainder(np.array([n_l, n_u]) * cap / (n_l + n_u), cap))
        if wanted_listed and n_l == 0:  # a village's candidates are the point of the check
            n_l, n_u = 1, n_u - 1
    return max(n_l, 0), max(n_u, 0)


def _size_by_rates(size: np.ndarray, options: SampleOptions) -> np.ndarray:
    sample_size = np.zeros_like(size)
    for v in np.flatnonzero(size[0::2] + size[1::2]):
        sample_size[2 * v], sample_size[2 * v + 1] = _rate_sizes(int(size[2 * v]), int(size[2 * v + 1]),
                                                                 options)
    return sample_size


def _size_by_precision(size: np.ndarray,
                       options: SampleOptions) -> tuple[np.ndarray, dict[str, PrecisionSampleSize]]:
    sample_size = np.zeros_like(size)
    result = {}
    for offset, stratum in enumerate(STRATA):
        sizes = size[offset::2]
        total = int(sizes.sum())
        wanted = precision_sample_size(total, margin=options.margin, confidence=options.confidence,
                                       expected_rate=options.expected_rate)
        result[stratum] = wanted
        if total:
            sample_size[offset::2] = _largest_remainder(wanted.sample_size * sizes / total,
                                                        wanted.sample_size)
    return sample_size, result


def _households_table(layout: _Layout, chosen: np.ndarray, strata: pd.DataFrame,
                      positions: np.ndarray, labels: pd.Index) -> pd.DataFrame:
    """The drawn households by village, listed first, in key order; labelled as in the input."""
    rows = np.flatnonzero(chosen)
    rows = rows[np.lexsort((rows, layout.stratum_code[rows]))]
    out = strata.set_index("_code").loc[layout.stratum_code[rows], HOUSEHOLD_COLUMNS]
    out.index = labels[positions[rows]]
    return out
