"""A rate counted over every household of its place is exact (2026-12). Sampled with --listed-rate 1
--unlisted-rate 1 and every household verified, the terminal, backcheck.xlsx's 汇总 and 分村 and report.html
still printed a 95% interval beside it, as for an estimate: 「错评率:33.3%(95% 置信区间 9.7%–70.0%;2/6 户)」.
The finite population correction leaves it no variance; its interval is now zero wide and it reads
「33.3%(全数核查,2/6 户)」. A place counted whole in part (its candidates all drawn, its others sampled)
keeps its interval and says which households were counted."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import two_villages_given_back
from edgescreen.cli import app
from edgescreen.spotcheck import error_rates



def _checked(tmp, unlisted_rate: str):
    """双岗村 (4 candidates, 4 above) and 太平村 (2 and 3), every candidate drawn and the others at
    `unlisted_rate`; 王淑华 found at 18,000 (错评), 陈桂芝 at 10,000 (漏评), 周建国 not found (a candidate:
    错评, no field compared). Returns the terminal's text at 80 columns and the backcheck's folder."""
    given = two_villages_given_back(tmp, unlisted_rate, {"王淑华": {"wage_income": 18000}, "陈桂芝": {"wage_income": 10000},
                                                          "周建国": {"verify_notes": "查无此户"}})
    out = tmp / "核查结果"
    result = CliRunner().invoke(app, ["backcheck", str(tmp / "筛查"), str(given), "-o", str(out)],
                                env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return result.output, out


def _rate_line(said: str, name: str) -> str:
    """A rate's line on the terminal, its wrapped lines joined again."""
    flat = re.sub(r"\n +", "", said)
    return next(line for line in flat.splitlines() if line.startswith(name + ":"))


def _rates_table(ws) -> dict:
    """{scope or village: {header: value}} of a sheet's rates table."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if "错评标记" in r)
    key = 1 if rows[at][0] == "乡(镇)" else 0
    return {r[key]: dict(zip(rows[at], r)) for r in rows[at + 1:] if r[key]}


def test_a_full_count_prints_its_rate_as_counted_without_an_interval(tmp_path):
    said, out = _checked(tmp_path, "1")
    listed, unlisted = _rate_line(said, "错评率"), _rate_line(said, "漏评率")
    assert listed.startswith("错评率:33.3%(全数核查,2/6 户)") and listed.endswith("▲ 超过(全数核查)"), said
    assert unlisted.startswith("漏评率:14.3%(全数核查,1/7 户)"), said
    assert "置信区间" not in listed + unlisted, said
    # 周建国 not found: his fields were never compared, so the field rate is no count of 太平村's candidates;
    # it keeps its interval and says which households it did count whole.
    fields = _rate_line(said, "字段差错率")
    assert re.fullmatch(r"字段差错率:1\.3%\(95% 置信区间 \d+\.\d%–\d+\.\d%;2/144 项;其中非候选户全部抽中核查\)",
                        fields), said

    book = openpyxl.load_workbook(out / "backcheck.xlsx")
    summary = _rates_table(book["汇总"])
    for scope in ("全县", "合隆镇"):
        assert summary[scope]["错评率\n95% 区间"] == "全数核查" and summary[scope]["漏评率\n95% 区间"] == "全数核查"
        assert re.fullmatch(r"\d+\.\d%–\d+\.\d%", summary[scope]["字段差错率\n95% 区间"]), summary
    villages = _rates_table(book["分村"])
    assert {v: (r["错评率\n95% 区间"], r["漏评率\n95% 区间"], r["字段差错率\n95% 区间"] == "全数核查")
            for v, r in villages.items()} == {"双岗村": ("全数核查", "全数核查", True),
                                              "太平村": ("全数核查", "全数核查", False)}

    html = re.sub(r"\s+", " ", (out / "report.html").read_text(encoding="utf-8"))
    assert "错评率<small>全数核查 · 2/6</small>" in html and "漏评率<small>全数核查 · 1/7</small>" in html, html
    assert '<td class="n">全数核查</td><td class="n">2/6</td>' in html
    assert "(其中非候选户全部抽中核查) · 2/144" in html


def test_a_place_counted_whole_in_part_keeps_its_interval_and_says_which_households(tmp_path):
    said, out = _checked(tmp_path, "0.5")
    listed, unlisted = _rate_line(said, "错评率"), _rate_line(said, "漏评率")
    assert re.fullmatch(r"错评率:33\.3%\(95% 置信区间 \d+\.\d%–\d+\.\d%;2/6 户;其中候选户全部抽中核查\)"
                        r"\s*▲ 确定超过", listed), said
    assert "全部抽中核查" not in unlisted and "置信区间" in unlisted, said
    assert "全数核查" not in said, said
    summary = _rates_table(openpyxl.load_workbook(out / "backcheck.xlsx")["汇总"])
    assert re.fullmatch(r"\d+\.\d%–\d+\.\d%", summary["全县"]["错评率\n95% 区间"]), summary
    html = re.sub(r"\s+", " ", (out / "report.html").read_text(encoding="utf-8"))
    assert re.search(r"错评率<small>\d+\.\d%–\d+\.\d%\(其中候选户全部抽中核查\) · 2/6</small>", html), html


def _village(name: str, listed: int, outcomes: list, unlisted: int, drawn_unlisted: int,
             fields: list | None = None) -> pd.DataFrame:
    """A village's households drawn: every candidate (wrongly listed as `outcomes` says; None: not
    verified) and `drawn_unlisted` of its `unlisted` others (none wrong); `fields` the fields differing
    of each candidate (None: not compared), 10 compared, none differing for the others."""
    rows = [{"stratum": "listed", "stratum_size": listed, "wrongly_listed": y, "wrongly_unlisted": None}
            for y in outcomes]
    rows += [{"stratum": "unlisted", "stratum_size": unlisted, "wrongly_listed": None, "wrongly_unlisted": False}
             for _ in range(drawn_unlisted)]
    frame = pd.DataFrame(rows).assign(township="T", village=name, village_inclusion_probability=1.0)
    frame["fields_compared"] = [10.0 if f is not None else None for f in (fields or [0] * len(outcomes))] \
        + [10.0] * drawn_unlisted
    frame["fields_differing"] = [float(f) if f is not None else None for f in (fields or [0] * len(outcomes))] \
        + [0.0] * drawn_unlisted
    sizes = frame.groupby("stratum")["stratum"].transform("size")
    return frame.assign(weight=frame["stratum_size"] / sizes)


def test_the_zero_width_is_the_finite_population_corrections_and_marks_the_full_count():
    frame = pd.concat([_village("V1", 4, [True, False, False, False], 3, 3, fields=[2, 0, None, 0]),
                       _village("V2", 3, [True, False, False], 6, 2)], ignore_index=True)
    frame.index = [f"h{i}" for i in range(len(frame))]
    rates = error_rates(frame)
    places = rates[rates["level"] != "enumerator"]
    zero_wide = places["lower"].eq(places["upper"]) & places["upper"].eq(places["estimate"])
    # Zero wide exactly where counted whole, and there the variance is 0 by the correction (1 − f_h = 0).
    assert zero_wide.eq(places["full_count"]).all(), places
    assert places.loc[places["full_count"], "standard_error"].abs().max() < 1e-12
    row = {(r.rate, r.village if isinstance(r.village, str) else r.level): r for r in places.itertuples()}
    # V1: every household drawn and verified; the field rate left one candidate's fields uncompared.
    assert row["wrongly_listed", "V1"].full_count and row["wrongly_unlisted", "V1"].full_count
    assert not row["field_error", "V1"].full_count and row["field_error", "V1"].whole_stratum == "unlisted"
    assert (row["wrongly_listed", "V1"].lower, row["wrongly_listed", "V1"].upper) == (0.25, 0.25)
    # V2 and the county: the candidates all counted, the others sampled. The 错评率's strata are whole,
    # but the place is not: it keeps its interval and names the candidates.
    for place in ("V2", "overall"):
        r = row["wrongly_listed", place]
        assert not r.full_count and r.whole_stratum == "listed" and r.lower < r.estimate < r.upper, r
        assert pd.isna(row["wrongly_unlisted", place].whole_stratum)
    # No error in a sampled stratum is a variance of 0 by accident: never zero wide.
    assert row["wrongly_unlisted", "V2"].standard_error == 0 and row["wrongly_unlisted", "V2"].upper > 0


@pytest.mark.parametrize("lang, words", [("zh", "25.0%(全数核查,1/4 户)"), ("en", "25.0% (all checked: 1/4 households)")])
def test_the_words_of_a_counted_rate(lang, words):
    from edgescreen.spotcheck.report import rate_words

    rates = error_rates(_village("V1", 4, [True, False, False, False], 3, 3))
    row = rates[(rates["rate"] == "wrongly_listed") & (rates["level"] == "overall")].iloc[0]
    assert rate_words(row, lang) == words
