"""A wage or business income of a few yuan is no year's real figure: it is 万元 typed in a yuan column,
whatever stands beside it. An outside try (2026-12-07, /tmp/try-BD) typed a wage of 3 (3万) beside a
transfer of 800 for 2 residents, decided below_line at 401.50 a head with no word, and a wage of 2 beside
960 (481.00 a head) the same: the one-cell rule asked only beside an income of unit_component_beside
(1,000), the whole-household rule only under unit_household_below (100) a head. Now such a cell is
warned, with its 万元 reading and the per-capita that reading gives. Small property and transfer incomes
(interest, subsidies of a few yuan) stay ordinary (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from test_checks import _rules_with  # a county's copy of the shipped rules with its own [checks]
from edgescreen.cli import app

runner = CliRunner()
WAGE = "J"  # 工资性收入's column in survey_builders.HEADERS
BUSINESS = "K"


def _screen(tmp_path: Path, rows: list[dict], *extra: str, out: str = "out") -> tuple[pd.DataFrame, pd.DataFrame]:
    path = write_workbook(tmp_path / f"{out}.xlsx", rows)
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / out), "--as-of", "2019-12-31", *extra])
    assert result.exit_code == 0, result.output
    read = lambda name: pd.read_csv(tmp_path / out / name, dtype=str, keep_default_na=False)  # noqa: E731
    return read("issues.csv"), read("decisions.csv")


def _unit(issues: pd.DataFrame) -> pd.DataFrame:
    return issues[issues["code"] == "amount_unit_suspect"]


def _testers_rows() -> list[dict]:
    return [
        household(户主姓名="三万户", 户主身份证号=make_id("19500111"), 家庭人口数=2, 家庭常住人口数=2,
                  工资性收入=3, 转移性收入=800),
        household(户主姓名="二万户", 户主身份证号=make_id("19600212"), 家庭人口数=2, 家庭常住人口数=2,
                  工资性收入=2, 转移性收入=960),
    ]


def test_the_testers_wages_of_3_and_2_beside_small_transfers_are_warned_with_the_wan_reading(tmp_path):
    issues, decisions = _screen(tmp_path, _testers_rows())
    unit = _unit(issues).set_index("户主姓名")
    assert sorted(unit.index) == ["三万户", "二万户"], unit
    assert unit.loc["三万户", "单元格"] == f"{WAGE}2" and unit.loc["二万户", "单元格"] == f"{WAGE}3"
    assert unit.loc["三万户", "填写内容"] == "3" and unit.loc["二万户", "填写内容"] == "2"
    # 30,000 + 800 over 2 residents; 20,000 + 960 over 2: the per-capita the 万元 reading gives, and as typed.
    for name, figures in (("三万户", ("为 3 元,不足 10 元", "按万元是 30000.00 元", "人均纯收入将是 15400.00 元",
                                      "按所填是 401.50 元")),
                          ("二万户", ("为 2 元,不足 10 元", "按万元是 20000.00 元", "人均纯收入将是 10480.00 元",
                                      "按所填是 481.00 元"))):
        message = unit.loc[name, "说明"]
        assert all(f in message for f in figures), message
        assert "是否误按万元填写" in message and "{" not in message, message
    # A warning: the households are decided on their figures as typed.
    assert list(decisions["status"]) == ["below_line", "below_line"]
    assert list(decisions["人均纯收入"]) == ["401.50", "481.00"]

    issues, _ = _screen(tmp_path, _testers_rows(), "--lang", "en", out="en")
    message = _unit(issues)["message"].iloc[0]
    assert "is 3 yuan, under 10" in message and "30000.00 yuan" in message and "15400.00 yuan" in message, message
    assert "401.50 yuan as typed" in message and "{" not in message, message


def test_a_business_income_of_3_beside_a_pension_alone_is_warned_too(tmp_path):
    rows = [household(户主姓名="经营户", 户主身份证号=make_id("19550303"), 家庭人口数=2, 家庭常住人口数=2,
                      工资性收入=0, 家庭经营收入=3, 转移性收入=800)]
    unit = _unit(_screen(tmp_path, rows)[0])
    assert list(unit["单元格"]) == [f"{BUSINESS}2"], unit
    assert "按万元是 30000.00 元" in unit["说明"].iloc[0] and "人均纯收入将是 15400.00 元" in unit["说明"].iloc[0]


def test_small_property_and_transfer_incomes_beside_them_stay_unwarned(tmp_path):
    rows = [*_testers_rows(),
            household(户主姓名="利息户", 户主身份证号=make_id("19580404"), 家庭人口数=2, 家庭常住人口数=2,
                      工资性收入=0, 财产性收入="3.00", 转移性收入=1800, 家庭总收入=1803),
            household(户主姓名="补贴户", 户主身份证号=make_id("19620505"), 工资性收入=9000, 转移性收入=5),
            # At the threshold (10 is not under 10): the rule set's line, not a guess.
            household(户主姓名="十元户", 户主身份证号=make_id("19630606"), 家庭人口数=2, 家庭常住人口数=2,
                      工资性收入=10, 转移性收入=800)]
    issues, _ = _screen(tmp_path, rows)
    assert sorted(_unit(issues)["户主姓名"]) == ["三万户", "二万户"], issues
    assert set(issues["code"]) == {"amount_unit_suspect"}, issues

    # The threshold is the rule set's unit_component_below: at 12 the wage of 10 is asked about too.
    issues, _ = _screen(tmp_path, rows, "--rules", str(_rules_with(tmp_path, unit_component_below=12)), out="county")
    assert sorted(_unit(issues)["户主姓名"]) == ["三万户", "二万户", "十元户"], issues


def test_a_wage_of_3_5_beside_business_of_12000_is_warned_once_as_before(tmp_path):
    rows = [household(户主姓名="旧例户", 户主身份证号=make_id("19700707"), 工资性收入=3.5, 家庭经营收入=12000,
                      家庭经营费用支出=5000)]
    unit = _unit(_screen(tmp_path, rows)[0])
    assert list(unit["单元格"]) == [f"{WAGE}2"], unit
    assert "为 3.5 元,不足 10 元,而本户另一项收入达 1000 元以上" in unit["说明"].iloc[0]
