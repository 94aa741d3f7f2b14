"""No field differing in thousands (an outside tester's report, 2026-12): 字段差错率 printed
0.0%(95% 置信区间 0.0%–0.0%;0/12852 项), the [0, 0] the README promises never to show. The interval
at 0 is Wilson's on the fields compared (README; estimate.py says why), and its upper end is printed
to its first figures."""

from __future__ import annotations

from statistics import NormalDist

import pandas as pd
import pytest

from edgescreen.spotcheck import error_rates
from edgescreen.spotcheck.report import pct, rate_words

Z95 = NormalDist().inv_cdf(0.975)


def _county(households: int, differing: list[int]) -> pd.DataFrame:
    return pd.DataFrame({"township": "T", "village": "V", "stratum": "unlisted", "stratum_size": households * 5,
                         "village_inclusion_probability": 1.0, "weight": 5.0, "fields_compared": 12,
                         "fields_differing": differing + [0] * (households - len(differing))})


def test_no_field_differing_in_thousands_never_prints_a_zero_interval():
    rates = error_rates(_county(1071, []))
    row = rates[(rates["rate"] == "field_error") & (rates["level"] == "overall")].iloc[0]
    assert (row["errors"], row["compared"], row["lower"]) == (0, 12852, 0)
    assert row["upper"] == pytest.approx(Z95**2 / (12852 + Z95**2))  # on the fields compared, as documented
    words = rate_words(row, "zh")
    assert "0.0%–0.0%" not in words and words == "0.0%(95% 置信区间 0.0%–0.03%;0/12852 项)", words


@pytest.mark.parametrize("x, shown", [(0.0, "0.0%"), (0.000299, "0.03%"), (0.0000123, "0.0012%"), (0.0005, "0.1%"),
                                      (0.0312, "3.1%"), (1.0, "100.0%")])
def test_a_share_above_zero_is_never_printed_as_zero(x, shown):
    assert pct(x) == shown
