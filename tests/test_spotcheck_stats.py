"""The spot check's statistics (issue 17): the sample design and the error rates, against hand
computations on small counties, and the enumerator test against simulated enumerators."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgescreen.errors import EdgescreenError
from edgescreen.spotcheck import (SpotCheckError, binomial_upper_tail, draw_sample, enumerator_outliers,
                                  error_rates, estimate_rate, holm_adjust, new_seed,
                                  precision_sample_size, wilson_interval)

Z95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054


def county(spec):
    """One row per household from [(township, village, listed, unlisted)]; key `hh` is unique."""
    rows = []
    for township, village, listed, unlisted in spec:
        rows += [{"township": township, "village": village, "status": "candidate",
                  "hh": f"{village}-L{i:04d}"} for i in range(listed)]
        rows += [{"township": township, "village": village, "status": "above_limit",
                  "hh": f"{village}-U{i:04d}"} for i in range(unlisted)]
    return pd.DataFrame(rows)


# Two townships, five villages; B1 is big enough for the 200 cap to bind, A3 has no candidate.
SMALL_COUNTY = [("A", "A1", 3, 12), ("A", "A2", 20, 40), ("A", "A3", 0, 10),
                ("B", "B1", 400, 1000), ("B", "B2", 5, 30)]


def sizes(design):
    """{(township, village, stratum): (N_h, n_h)} from the strata table."""
    return {(r.township, r.village, r.stratum): (r.stratum_size, r.sample_size)
            for r in design.strata.itertuples()}


# ---------------------------------------------------------------- reproducibility

def test_same_seed_same_sample():
    frame = county(SMALL_COUNTY)
    first = draw_sample(frame, key="hh", seed=20240917, villages_per_township=2)
    again = draw_sample(frame, key="hh", seed=20240917, villages_per_township=2)
    pd.testing.assert_frame_equal(first.households, again.households)
    pd.testing.assert_frame_equal(first.strata, again.strata)
    assert first.seed == 20240917


def test_row_order_does_not_change_the_sample():
    frame = county(SMALL_COUNTY)
    shuffled = frame.sample(frac=1.0, random_state=7)
    assert not shuffled.index.equals(frame.index)
    first = draw_sample(frame, key="hh", seed=5, villages_per_township=2)
    other = draw_sample(shuffled, key="hh", seed=5, villages_per_township=2)
    pd.testing.assert_frame_equal(first.households, other.households)
    pd.testing.assert_frame_equal(first.villages, other.villages)
    # The labels are the input's: the same households, not the same positions.
    assert (frame.loc[first.households.index, "hh"].to_numpy()
            == shuffled.loc[other.households.index, "hh"].to_numpy()).all()


def test_different_seed_different_sample():
    frame = county(SMALL_COUNTY)
    one = draw_sample(frame, key="hh", seed=1).households.index
    two = draw_sample(frame, key="hh", seed=2).households.index
    assert len(one) == len(two)
    assert set(one) != set(two)


def test_a_larger_sample_with_the_same_seed_contains_the_smaller():
    frame = county(SMALL_COUNTY)
    small = draw_sample(frame, key="hh", seed=4, villages_per_township=1, village_cap=None)
    large = draw_sample(frame, key="hh", seed=4, villages_per_township=2, village_cap=None,
                        listed_rate=0.3, unlisted_rate=0.5)
    assert set(small.households.index) < set(large.households.index)


def test_new_seed_is_a_63_bit_number_and_the_design_keeps_it():
    seeds = {new_seed() for _ in range(5)}
    assert len(seeds) == 5 and all(0 <= s < 2**63 for s in seeds)
    seed = seeds.pop()
    assert draw_sample(county(SMALL_COUNTY), key="hh", seed=seed).seed == seed


def test_a_key_that_is_not_unique_is_refused_without_showing_it():
    frame = county([("A", "A1", 2, 2)])
    frame.loc[1, "hh"] = frame.loc[0, "hh"]
    with pytest.raises(SpotCheckError, match="1 户") as caught:
        draw_sample(frame, key="hh", seed=1)
    assert frame.loc[0, "hh"] not in str(caught.value)
    assert isinstance(caught.value, EdgescreenError)  # the CLI's exit-code-2 family


# ---------------------------------------------------------------- sizes and probabilities

def test_stratum_sizes_by_rate_and_cap_by_hand():
    design = draw_sample(county(SMALL_COUNTY), key="hh", seed=3)
    assert sizes(design) == {
        ("A", "A1", "listed"): (3, 1),       # ⌈0.1 × 3⌉ = 1
        ("A", "A1", "unlisted"): (12, 3),    # ⌈0.2 × 12⌉ = ⌈2.4⌉ = 3
        ("A", "A2", "listed"): (20, 2),      # ⌈0.1 × 20⌉ = 2
        ("A", "A2", "unlisted"): (40, 8),    # ⌈0.2 × 40⌉ = 8
        ("A", "A3", "unlisted"): (10, 2),    # no listed stratum: N = 0 does not appear
        # 40 + 200 = 240 > 200: 200·40/240 = 33.33, 200·200/240 = 166.67 → 33 + 166, the one
        # left over to the larger remainder → 33 and 167
        ("B", "B1", "listed"): (400, 33),
        ("B", "B1", "unlisted"): (1000, 167),
        ("B", "B2", "listed"): (5, 1),       # ⌈0.5⌉ = 1
        ("B", "B2", "unlisted"): (30, 6),    # ⌈0.2 × 30⌉ = 6
    }
    strata = design.strata.set_index(["township", "village", "stratum"])
    # All villages taken: π_v = 1 and π_i = n_h/N_h.
    assert (strata["village_inclusion_probability"] == 1).all()
    assert strata.loc[("A", "A1", "unlisted"), "inclusion_probability"] == pytest.approx(3 / 12)
    assert strata.loc[("B", "B1", "listed"), "weight"] == pytest.approx(400 / 33)
    drawn = design.households.groupby(["township", "village", "stratum"]).size()
    assert drawn.to_dict() == {k: n for k, (_, n) in sizes(design).items()}


def test_a_rate_times_a_whole_count_is_not_rounded_up_by_float_noise():
    # In floats 0.07 × 100 = 7.000000000000001 and 0.55 × 200 = 110.00000000000001; ⌈·⌉ must be 7 and 110.
    assert 0.07 * 100 > 7 and 0.55 * 200 > 110
    design = draw_sample(county([("A", "A1", 100, 200)]), key="hh", seed=1, listed_rate=0.07,
                         unlisted_rate=0.55, village_cap=None)
    assert sizes(design) == {("A", "A1", "listed"): (100, 7), ("A", "A1", "unlisted"): (200, 110)}


def test_the_cap_keeps_one_candidate():
    # Uncapped 1 + 200 > 50: 50·1/201 = 0.25 and 50·200/201 = 49.75 round to 0 and 50; the
    # village's one candidate is then taken from the unlisted share.
    design = draw_sample(county([("A", "A1", 2, 1000)]), key="hh", seed=1, village_cap=50)
    assert sizes(design) == {("A", "A1", "listed"): (2, 1), ("A", "A1", "unlisted"): (1000, 49)}


def test_villages_per_township_and_their_probabilities_by_hand():
    design = draw_sample(county(SMALL_COUNTY), key="hh", seed=11, villages_per_township=2)
    villages = design.villages.set_index("village")
    # Township A: 2 of 3 villages, π_v = 2/3. Township B has only 2: both, π_v = 1.
    assert villages.loc[["A1", "A2", "A3"], "village_inclusion_probability"].tolist() == [2 / 3] * 3
    assert villages.loc[["B1", "B2"], "village_inclusion_probability"].tolist() == [1.0, 1.0]
    assert villages.loc[["A1", "A2", "A3"], "sampled"].sum() == 2
    assert villages.loc[["B1", "B2"], "sampled"].all()
    sampled = set(villages.index[villages["sampled"]])
    assert set(design.households["village"]) <= sampled
    assert set(design.strata["village"]) == sampled
    strata = design.strata.set_index(["village", "stratum"])
    for (village, stratum), row in strata.iterrows():
        if village.startswith("A"):
            assert row["village_inclusion_probability"] == pytest.approx(2 / 3)
            # π_i = (2/3)·n/N, w = 3N/(2n): A1's listed, 1 of 3, weighs 4.5.
            fraction = row["sample_size"] / row["stratum_size"]
            assert row["inclusion_probability"] == pytest.approx(2 / 3 * fraction)
            assert row["weight"] == pytest.approx(3 * row["stratum_size"] / (2 * row["sample_size"]))
    if "A1" in sampled:
        assert strata.loc[("A1", "listed"), "weight"] == pytest.approx(4.5)
    # Σ w over a stratum's sample = N_h / π_v.
    w = design.households.groupby(["village", "stratum"])["weight"].sum()
    expected = strata["stratum_size"] / strata["village_inclusion_probability"]
    pd.testing.assert_series_equal(w.sort_index(), expected.sort_index(), check_names=False)


def test_precision_formula_by_hand():
    size = precision_sample_size(5000, margin=0.02, confidence=0.95)
    # z = 1.959964, z² = 3.841459; n0 = 3.841459 × 0.25 / 0.0004 = 2400.91 (2401 with z = 1.96)
    assert size.z == pytest.approx(1.959964, abs=1e-6)
    assert size.n0 == pytest.approx(2400.9118, abs=1e-3)
    assert math.ceil(size.n0) == 2401
    assert 1.96**2 * 0.25 / 0.02**2 == pytest.approx(2401)
    # FPC: 2400.91 / (1 + 2399.91/5000) = 2400.91 / 1.479982 = 1622.27 → 1623
    assert size.sample_size == 1623
    assert precision_sample_size(100, margin=0.02).sample_size <= 100
    assert precision_sample_size(0, margin=0.02).sample_size == 0
    # A smaller expected rate needs fewer: p = 0.05 gives n0 = 3.841459 × 0.0475 / 0.0004 = 456.2
    assert math.ceil(precision_sample_size(10**9, margin=0.02, expected_rate=0.05).n0) == 457


def test_precision_mode_allocates_in_proportion_by_hand():
    design = draw_sample(county(SMALL_COUNTY), key="hh", seed=2, margin=0.1, confidence=0.95)
    # n0 = 3.841459 × 0.25 / 0.01 = 96.04.
    # listed: N = 3 + 20 + 400 + 5 = 428, n = ⌈96.04 / (1 + 95.04/428)⌉ = ⌈78.59⌉ = 79;
    #   quotas 79·N_h/428 = 0.554, 3.692, 73.832, 0.923 → floors 0, 3, 73, 0 (76) and the 3 left
    #   to the largest remainders (.923, .832, .692) → 0, 4, 74, 1.
    # unlisted: N = 12 + 40 + 10 + 1000 + 30 = 1092, n = ⌈96.04 / (1 + 95.04/1092)⌉ = ⌈88.35⌉ = 89;
    #   quotas 0.978, 3.260, 0.815, 81.502, 2.445 → floors 0, 3, 0, 81, 2 (86) and 3 left to
    #   .978, .815, .502 → 1, 3, 1, 82, 2.
    assert design.precision["listed"].sample_size == 79
    assert design.precision["unlisted"].sample_size == 89
    assert {k: n for k, (_, n) in sizes(design).items()} == {
        ("A", "A1", "listed"): 0, ("A", "A2", "listed"): 4, ("B", "B1", "listed"): 74,
        ("B", "B2", "listed"): 1,
        ("A", "A1", "unlisted"): 1, ("A", "A2", "unlisted"): 3, ("A", "A3", "unlisted"): 1,
        ("B", "B1", "unlisted"): 82, ("B", "B2", "unlisted"): 2}
    # The stratum that got nothing stays visible, with no weight.
    empty = design.strata[design.strata["sample_size"] == 0]
    assert len(empty) == 1 and empty["weight"].isna().all() and (empty["inclusion_probability"] == 0).all()


@st.composite
def counties(draw):
    spec = []
    for t in range(draw(st.integers(1, 3))):
        for v in range(draw(st.integers(1, 4))):
            listed = draw(st.integers(0, 25))
            unlisted = draw(st.integers(0 if listed else 1, 60))
            spec.append((f"T{t}", f"T{t}V{v}", listed, unlisted))
    return spec


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=counties(), listed_rate=st.sampled_from([0.0, 0.03, 0.1, 0.25, 0.5, 1.0]),
       unlisted_rate=st.floats(0.01, 1.0), cap=st.one_of(st.none(), st.integers(1, 40)),
       k=st.one_of(st.none(), st.integers(1, 3)), seed=st.integers(0, 2**63 - 1))
def test_design_properties(spec, listed_rate, unlisted_rate, cap, k, seed):
    frame = county(spec)
    design = draw_sample(frame, key="hh", seed=seed, villages_per_township=k,
                         listed_rate=listed_rate, unlisted_rate=unlisted_rate, village_cap=cap)
    villages = design.villages
    for township, part in villages.groupby("township"):
        m = len(part)
        k_t = m if k is None else min(k, m)
        assert part["sampled"].sum() == k_t
        assert (part["village_inclusion_probability"] == k_t / m).all()
    strata = design.strata
    assert (strata["stratum_size"] > 0).all()
    assert ((strata["sample_size"] >= 0) & (strata["sample_size"] <= strata["stratum_size"])).all()
    rates = {"listed": listed_rate, "unlisted": unlisted_rate}
    for (township, village), part in strata.groupby(["township", "village"]):
        n = dict(zip(part["stratum"], part["sample_size"]))
        big_n = dict(zip(part["stratum"], part["stratum_size"]))
        wanted = {s: min(big_n[s], math.ceil(rates[s] * big_n[s] - 1e-9)) for s in big_n}
        if cap is None or sum(wanted.values()) <= cap:
            assert n == wanted  # no cap binds: the rate, rounded up
            for s in n:
                assert n[s] >= rates[s] * big_n[s] - 1e-9
        else:
            assert sum(n.values()) == cap
            assert all(n[s] <= wanted[s] for s in n)
            if wanted.get("listed", 0):  # a listed rate of 0 asks for none
                assert n["listed"] >= 1
    drawn = design.households
    assert drawn.index.isin(frame.index).all() and drawn.index.is_unique
    assert (frame.loc[drawn.index, "village"].to_numpy() == drawn["village"].to_numpy()).all()
    # The within-village Horvitz-Thompson count is exact: Σ w · π_v = N_h for every stratum drawn from.
    w = drawn.groupby(["village", "stratum"])["weight"].sum()
    for row in strata[strata["sample_size"] > 0].itertuples():
        total = w[(row.village, row.stratum)] * row.village_inclusion_probability
        assert total == pytest.approx(row.stratum_size)


def test_horvitz_thompson_count_is_unbiased_over_draws():
    # Township A: 4 villages of 10, 20, 30, 40 households, 2 drawn; Σ w estimates 100. Over the six
    # equally likely pairs 2·(N_a + N_b) is 60, 80, 100, 100, 120, 140: mean 100, sd 25.8.
    frame = county([("A", f"A{i}", i, 9 * i) for i in (1, 2, 3, 4)])
    draws = 200
    totals, village_hits, household_hits = [], pd.Series(0, index=["A1", "A2", "A3", "A4"]), 0
    first_listed = frame.index[(frame["village"] == "A4") & (frame["status"] == "candidate")][0]
    for seed in range(draws):
        design = draw_sample(frame, key="hh", seed=seed, villages_per_township=2, listed_rate=0.5)
        totals.append(design.households["weight"].sum())
        village_hits[design.villages.loc[design.villages["sampled"], "village"]] += 1
        household_hits += first_listed in design.households.index
    assert np.mean(totals) == pytest.approx(100, abs=4 * 25.8 / math.sqrt(draws))
    # Each village with probability 1/2 (sd of a share over 200 draws: 0.035).
    assert ((village_hits / draws - 0.5).abs() < 0.14).all()
    # One of A4's 4 candidates: π_i = 1/2 · 2/4 = 1/4 (sd 0.031).
    assert abs(household_hits / draws - 0.25) < 0.12


# ---------------------------------------------------------------- rates and intervals

def hand_case(village_probability=1.0):
    """Township T, villages V1 and V2, every household drawn verified.

    listed:   V1 N = 10, 4 checked, no error;   V2 N = 40, 4 checked, 2 wrongly listed.
    unlisted: V1 N = 50, 10 checked;             V2 N = 60, 12 checked; no error in either.
    Weights N/(π_v n): listed 2.5 and 10 with π_v = 1.
    """
    rows = []

    def add(village, stratum, size, outcomes, enumerators):
        for y, who in zip(outcomes, enumerators):
            rows.append({"township": "T", "village": village, "stratum": stratum, "stratum_size": size,
                         "village_inclusion_probability": village_probability,
                         "weight": size / (village_probability * len(outcomes)),
                         "wrongly_listed": y if stratum == "listed" else None,
                         "wrongly_unlisted": y if stratum == "unlisted" else None,
                         "enumerator": who})

    add("V1", "listed", 10, [False] * 4, ["b"] * 4)
    add("V2", "listed", 40, [True, True, False, False], ["a", "b", "a", "b"])
    add("V1", "unlisted", 50, [False] * 10, ["b"] * 10)
    add("V2", "unlisted", 60, [False] * 12, ["b"] * 12)
    return pd.DataFrame(rows)


def wilson_by_hand(p, n, z=Z95):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def rate_row(table, rate, level, **names):
    mask = (table["rate"] == rate) & (table["level"] == level)
    for column, value in names.items():
        mask &= table[column] == value
    assert mask.sum() == 1
    return table[mask].iloc[0]


def test_wrongly_listed_rate_and_interval_by_hand():
    table = error_rates(hand_case())
    row = rate_row(table, "wrongly_listed", "overall")
    # p̂ = Σwy/Σw = (10 + 10) / (4·2.5 + 4·10) = 20/50 = 0.4
    assert row["estimate"] == pytest.approx(0.4)
    assert (row["n"], row["errors"], row["compared"]) == (8, 2, 8)
    # e_i = w(y − 0.4)/50. V1: 2.5(−0.4)/50 = −0.02 for all four: no spread.
    # V2: 10(1 − 0.4)/50 = 0.12 twice, 10(−0.4)/50 = −0.08 twice; mean 0.02,
    # Σ(e − ē)² = 4·0.1² = 0.04;
    # × r/(r−1) = 4/3 → 0.05333; × (1 − 4/40) = 0.9 → 0.048 = V̂(p̂).
    assert row["standard_error"] ** 2 == pytest.approx(0.048)
    # deff = 0.048 / (0.4·0.6/8) = 0.048/0.03 = 1.6; n_eff = 0.24/0.048 = 5
    assert row["design_effect"] == pytest.approx(1.6)
    assert row["effective_n"] == pytest.approx(5)
    # Wilson with n = 5: centre = (0.4 + 3.841459/10)/(1 + 3.841459/5) = 0.784146/1.768292 = 0.443448;
    # half = 1.959964/1.768292 · √(0.24/5 + 3.841459/100) = 1.108394 · 0.293964 = 0.325828
    assert (row["lower"], row["upper"]) == pytest.approx((0.117621, 0.769276), abs=1e-6)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson_by_hand(0.4, 5))
    assert row["above_threshold"] and row["interval_above_threshold"]


def test_a_stratum_with_no_error_gets_an_interval_above_zero():
    table = error_rates(hand_case())
    v1 = rate_row(table, "wrongly_listed", "village", village="V1")
    # 0 of 4: [0, z²/(4 + z²)] = [0, 3.841459/7.841459] = [0, 0.489891]
    assert v1["estimate"] == 0 and v1["lower"] == 0
    assert v1["upper"] == pytest.approx(Z95**2 / (4 + Z95**2))
    assert v1["upper"] == pytest.approx(0.489891, abs=1e-6)
    assert not v1["above_threshold"] and not v1["interval_above_threshold"]
    unlisted = rate_row(table, "wrongly_unlisted", "overall")
    # 0 of 22: upper = 3.841459/25.841459 = 0.148655
    assert (unlisted["estimate"], unlisted["lower"]) == (0, 0)
    assert unlisted["upper"] == pytest.approx(0.148655, abs=1e-6)
    # V2 alone: p̂ = 0.5; e = 10(y − 0.5)/40 = ±0.125, Σe² = 0.0625, × 4/3 × 0.9 = 0.075;
    # n_eff = 0.25/0.075 = 3.33
    v2 = rate_row(table, "wrongly_listed", "village", village="V2")
    assert v2["standard_error"] ** 2 == pytest.approx(0.075)
    assert (v2["lower"], v2["upper"]) == pytest.approx(wilson_by_hand(0.5, 0.25 / 0.075))


def test_above_threshold_versus_a_firm_finding():
    row = rate_row(error_rates(hand_case(), threshold=0.2), "wrongly_listed", "overall")
    assert row["above_threshold"]                 # 0.4 > 0.2
    assert not row["interval_above_threshold"]    # but the interval starts at 0.118


def test_village_sampling_adds_the_between_village_term_by_hand():
    # The same households with π_v = 1/2 (2 of 4 villages): weights double, p̂ stays 0.4.
    # e = w(y − 0.4)/100: V1 w = 5 → −0.02 each, U_V1 = −0.08; V2 w = 20 → 0.12, 0.12, −0.08,
    # −0.08, U_V2 = 0.08. Villages: (1 − 1/2)·2/1·(0.08² + 0.08²) = 0.0128.
    # Households: π_v × the stratified term = 0.5 × 0.048 = 0.024. V̂ = 0.0368.
    est = estimate_rate(hand_case(village_probability=0.5), "wrongly_listed")
    assert est.estimate == pytest.approx(0.4)
    assert est.standard_error ** 2 == pytest.approx(0.0368)


def test_enumerator_rates_are_domain_estimates_by_hand():
    # Enumerator a did two of V2's listed households, one wrongly listed: p̂ = 10/20 = 0.5.
    # Scores e = 10(y − 0.5)/20 = ±0.25 for a's two and 0 for V2's other two (still in the
    # stratum): ē = 0, Σ(e − ē)² = 0.125, × 4/3 × 0.9 = 0.15. (Treating a's two as the stratum
    # would give 0.125 × 2 × (1 − 2/40) = 0.2375.)
    row = rate_row(error_rates(hand_case()), "wrongly_listed", "enumerator", enumerator="a")
    assert row["estimate"] == pytest.approx(0.5) and row["n"] == 2
    assert row["standard_error"] ** 2 == pytest.approx(0.15)
    assert row["design_effect"] == pytest.approx(0.15 / (0.25 / 2))
    # n_eff = 0.25/0.15 = 1.67 (below n = 2, so not capped)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson_by_hand(0.5, 0.25 / 0.15))


def listed_only(strata):
    """A verified frame of listed households from [(village, N_h, [wrongly_listed, ...])], π_v = 1."""
    return pd.DataFrame([{"township": "T", "village": village, "stratum": "listed", "stratum_size": size,
                          "village_inclusion_probability": 1.0, "weight": size / len(outcomes),
                          "wrongly_listed": y}
                         for village, size, outcomes in strata for y in outcomes])


def test_the_interval_is_never_narrower_than_a_simple_random_sample_of_the_same_size():
    # V1: N = 10, 4 checked, 2 wrong (w = 2.5); V2: N = 40, 4 checked, none wrong (w = 10).
    # p̂ = 5/50 = 0.1; e = 2.5(y − 0.1)/50 = ±0.025 around 0.02 in V1, constant in V2:
    # V̂ = 4·0.025² × 4/3 × (1 − 4/10) = 0.002; deff = 0.002/(0.09/8) = 0.178 and 0.09/0.002 = 45,
    # capped at the 8 households compared.
    est = estimate_rate(listed_only([("V1", 10, [True, True, False, False]), ("V2", 40, [False] * 4)]))
    assert est.estimate == pytest.approx(0.1) and est.standard_error ** 2 == pytest.approx(0.002)
    assert est.design_effect == pytest.approx(0.002 / (0.09 / 8))
    assert est.effective_n == 8
    assert (est.lower, est.upper) == pytest.approx(wilson_by_hand(0.1, 8))
    # Both wrong in one stratum, both right in the other: the variance estimate is 0 by accident,
    # but the interval stays that of 4 households, not [0.5, 0.5].
    est = estimate_rate(listed_only([("V1", 20, [True, True]), ("V2", 20, [False, False])]))
    assert est.estimate == pytest.approx(0.5) and est.standard_error == 0
    assert est.effective_n == 4
    assert (est.lower, est.upper) == pytest.approx(wilson_by_hand(0.5, 4))


def test_households_not_verified_are_carried_by_their_stratum():
    # A fifth listed household drawn in V2 but not verified: the design weight is 40/5 = 8, and
    # the four verified carry 8 · 5/4 = 10 each — the same as the case where four were drawn.
    frame = hand_case()
    frame.loc[frame["village"].eq("V2") & frame["stratum"].eq("listed"), "weight"] = 8.0
    extra = frame.iloc[[4]].copy()
    extra.index = [999]
    extra["wrongly_listed"] = None
    frame = pd.concat([frame, extra])
    est = estimate_rate(frame, "wrongly_listed")
    assert est.n == 8
    assert est.estimate == pytest.approx(0.4) and est.standard_error ** 2 == pytest.approx(0.048)


def test_field_error_rate_by_hand():
    # One stratum, N = 10, 2 checked (w = 5): 1 of 10 fields differ and 3 of 10.
    # p̂ = (5 + 15)/(50 + 50) = 0.2; e = 5(1 − 2)/100 = −0.05 and 5(3 − 2)/100 = 0.05;
    # Σe² = 0.005, × 2/1 × (1 − 2/10) = 0.008; deff = 0.008/(0.16/20) = 1; n_eff = 20.
    frame = pd.DataFrame({"township": "T", "village": "V", "stratum": ["listed", "listed"],
                          "stratum_size": 10, "village_inclusion_probability": 1.0, "weight": 5.0,
                          "fields_compared": [10, 10], "fields_differing": [1, 3]})
    row = rate_row(error_rates(frame), "field_error", "overall")
    assert (row["n"], row["errors"], row["compared"]) == (2, 4, 20)
    assert row["estimate"] == pytest.approx(0.2)
    assert row["standard_error"] ** 2 == pytest.approx(0.008)
    assert row["design_effect"] == pytest.approx(1.0)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson_by_hand(0.2, 20))


def test_no_field_differing_gives_no_wider_an_interval_than_one_differing():
    """From an outside try: a village with 0 of 240 fields differing got [0, 16.1 %] (Wilson on its 24
    households), one with 1 of 300 [0.1 %, 1.8 %]. With none differing the interval is Wilson's on
    the fields compared, the cap an estimate with errors has."""
    def village(differing):
        return pd.DataFrame({"township": "T", "village": "V", "stratum": "listed", "stratum_size": 60,
                             "village_inclusion_probability": 1.0, "weight": 60 / len(differing),
                             "fields_compared": 10, "fields_differing": differing})
    none = rate_row(error_rates(village([0] * 24)), "field_error", "overall")
    assert (none["n"], none["compared"], none["estimate"], none["lower"]) == (24, 240, 0, 0)
    assert none["upper"] == pytest.approx(Z95**2 / (240 + Z95**2))
    one = rate_row(error_rates(village([1] + [0] * 29)), "field_error", "overall")
    assert one["errors"] == 1 and none["upper"] < one["upper"]


def test_wilson_interval_edges():
    assert wilson_interval(0.0, 10) == (0.0, pytest.approx(Z95**2 / (10 + Z95**2)))
    low, high = wilson_interval(1.0, 10)
    assert high == 1.0 and low == pytest.approx(10 / (10 + Z95**2))
    assert wilson_interval(float("nan"), 0) == (0.0, 1.0)
    for p, n in [(0.01, 3), (0.3, 7.5), (0.99, 200)]:
        low, high = wilson_interval(p, n)
        assert 0 <= low < p < high <= 1


def test_an_outcome_on_the_wrong_population_is_refused():
    frame = hand_case()
    frame.loc[frame["stratum"] == "unlisted", "wrongly_listed"] = True
    with pytest.raises(ValueError, match="wrongly_listed"):  # the caller's mix-up, not the clerk's
        error_rates(frame)


def test_rates_on_a_drawn_sample():
    # The pieces fit: draw, join outcomes by index, estimate — a full verification with no error.
    design = draw_sample(county(SMALL_COUNTY), key="hh", seed=9, villages_per_township=2)
    verified = design.households.copy()
    listed = verified["stratum"] == "listed"
    verified["wrongly_listed"] = pd.Series(False, index=verified.index).where(listed)
    verified["wrongly_unlisted"] = pd.Series(False, index=verified.index).where(~listed)
    table = error_rates(verified)
    assert set(table["level"]) == {"overall", "township", "village"}
    assert (table["estimate"] == 0).all() and (table["upper"] > 0).all()
    overall = rate_row(table, "wrongly_listed", "overall")
    assert overall["n"] == listed.sum()


# ---------------------------------------------------------------- enumerators

def simulated(rng, rates, households=40):
    names = np.repeat([f"e{i:02d}" for i in range(len(rates))], households)
    wrong = rng.random(len(names)) < np.repeat(rates, households)
    return pd.DataFrame({"enumerator": names, "wrongly_listed": wrong})


def test_binomial_tail_and_holm_by_hand():
    # P(X ≥ 3 | 10, 0.2) = 1 − (0.8¹⁰ + 10·0.2·0.8⁹ + 45·0.04·0.8⁸) = 1 − 0.677799 = 0.322200
    assert binomial_upper_tail(3, 10, 0.2) == pytest.approx(0.3222004736, rel=1e-12)
    assert binomial_upper_tail(0, 10, 0.2) == 1.0
    assert binomial_upper_tail(11, 10, 0.2) == 0.0
    exact = sum(math.comb(300, k) * 0.03**k * 0.97 ** (300 - k) for k in range(20, 301))
    assert binomial_upper_tail(20, 300, 0.03) == pytest.approx(exact, rel=1e-10)
    # Sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → running max 0.06
    assert holm_adjust([0.01, 0.04, 0.03, 0.005]).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])


def test_a_raw_ranking_would_pick_the_wrong_enumerator():
    # Eight enumerators at 1 error in 40, one with 1 in 2 (50 %), one with 8 in 40 (20 %).
    rows = [(f"e{i}", i_err) for i in range(8) for i_err in [True] + [False] * 39]
    rows += [("few", True), ("few", False)] + [("many", k < 8) for k in range(40)]
    frame = pd.DataFrame(rows, columns=["enumerator", "wrongly_listed"])
    table = enumerator_outliers(frame).set_index("enumerator")
    assert table.loc["few", "rate"] > table.loc["many", "rate"]
    assert table.loc["many", "flagged"] and not table.loc["few", "flagged"]
    assert table.index[0] == "many"
    # others' rate for "many": (8 + 1 + 0.5)/(320 + 2 + 1) = 9.5/323
    assert table.loc["many", "others_rate"] == pytest.approx(9.5 / 323)
    assert table.loc["many", "p_value"] == pytest.approx(binomial_upper_tail(8, 40, 9.5 / 323))


def test_the_planted_enumerator_is_found():
    # Seven enumerators at 3 %, one at 30 %, 40 households each.
    for seed in range(20):
        table = enumerator_outliers(simulated(np.random.default_rng(seed), [0.03] * 7 + [0.30]))
        flagged = set(table.loc[table["flagged"], "enumerator"])
        assert "e07" in flagged, seed
        assert table.iloc[0]["enumerator"] == "e07"


def test_honest_enumerators_are_not_flagged_beyond_alpha():
    # Ten enumerators with the same true rate, 300 simulated rounds: the share of rounds that flag
    # anyone must stay near α = 0.05 (≤ 0.09 leaves room for 300 rounds' noise, sd 0.013).
    # Without the multiple-testing correction it is about 0.36.
    for true_rate in (0.05, 0.2):
        rounds = [enumerator_outliers(simulated(np.random.default_rng(seed), [true_rate] * 10),
                                      alpha=0.05)["flagged"].any() for seed in range(300)]
        assert np.mean(rounds) <= 0.09, true_rate


def test_one_enumerator_has_no_peers_to_be_compared_with():
    table = enumerator_outliers(pd.DataFrame({"enumerator": ["a"] * 5, "wrongly_listed": [True] * 5}))
    assert table["p_value"].isna().all() and not table["flagged"].any()
