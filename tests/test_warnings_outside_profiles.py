"""Three warnings an outside try's county profiles found wrong (2026-12-06).

1. components_blank said of a total typed 0 over blank components (13.5 % of a peri-urban county's
   households): a 0 agrees with blank parts exactly. A total that is not 0 over blank parts (a
   per-capita typed into 家庭总收入) is still said.
2. A transfer or property income typed in 万元 to the yuan (0.6628 for 6,628 yuan) went unsaid: the
   one-cell check looked only at wage and business incomes. Digits below the fen under 10 yuan are
   never yuan; 30.92, 0.5 and a float's noise are.
3. 家庭人口数 typed 0 beside 3 residents named only the residents' cell; the 0 is the cell to correct.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from survey_builders import EXPENSES, HEADERS, INCOME, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger


def _cell(header: str, row: int) -> str:
    return f"{chr(ord('A') + HEADERS.index(header))}{row}"


def _screen(tmp_path, rows, *more):
    path = write_workbook(tmp_path / "调查表.xlsx", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30", *more])
    assert result.exit_code == 0, result.output
    return read_ledger(out / "decisions.csv").set_index("head_name"), read_issues(out / "issues.csv")


def test_a_total_of_0_over_blank_components_is_not_warned_a_total_that_is_not_0_is(tmp_path):
    no_costs = household(户主姓名="甲", 户主身份证号=make_id("19700101"),
                         **{h: "" for h in EXPENSES}, 家庭生产经营性支出=0)
    # A per-capita typed into 家庭总收入 with the components blank (the try's fault F10b): a candidate
    # on 3,500 a head, so this warning is all that asks about it.
    per_capita = household(户主姓名="乙", 户主身份证号=make_id("19700102"), **{h: "" for h in INCOME},
                           家庭总收入=3500, 家庭常住人口数=1, 家庭人口数=1)
    no_income = household(户主姓名="丙", 户主身份证号=make_id("19700103"), **{h: "" for h in INCOME},
                          家庭总收入=0)
    decided, issues = _screen(tmp_path, [no_costs, per_capita, no_income])
    blank = issues[issues["code"] == "components_blank"]
    assert blank["cell"].tolist() == [_cell("家庭总收入", 3)], blank[["head_name", "cell"]]
    assert "按 N列「家庭总收入」填写的 3500 元判定" in blank["message"].iloc[0]
    assert decided.loc["乙", "status"] == "candidate"
    # 甲's blank costs are what its 0 says: nothing at all is asked of it.
    assert issues.loc[issues["head_name"] == "甲", "code"].tolist() == []
    assert decided.loc["甲", "status"] == "candidate"
    # 丙's blank incomes are not asked either; its income of 0 is per_capita_implausible's to say.
    assert "missing_value" not in set(issues.loc[issues["head_name"] == "丙", "code"])


def test_a_transfer_or_property_income_typed_in_wan_to_the_yuan_is_said_on_its_cell(tmp_path):
    transfer = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 工资性收入=9000, 转移性收入=0.6628)
    property_ = household(户主姓名="乙", 户主身份证号=make_id("19700102"), 工资性收入=9000, 财产性收入=0.065)
    # A cost typed so, and its total repeating it: said once, on the cost (the total repeats that slip).
    cost = household(户主姓名="丙", 户主身份证号=make_id("19700103"), 家庭经营收入=30000, 家庭经营费用支出=2.4099)
    assert cost["家庭生产经营性支出"] == 2.4099
    # Two only the digits below the fen tell (丙's cost the older unit_cost check finds beside 30,000):
    # a total typed alone, its components blank, beside a cost in yuan (so not a household typed in 万元
    # throughout), and a property income beside no wage and no other income of 1,000 yuan.
    total = household(户主姓名="丁", 户主身份证号=make_id("19700104"), **{h: "" for h in INCOME}, 家庭总收入=0.6628,
                      家庭经营费用支出=1500)
    no_wage = household(户主姓名="戊", 户主身份证号=make_id("19700105"), 工资性收入="", 转移性收入=900,
                        财产性收入=0.0812)
    _, issues = _screen(tmp_path, [transfer, property_, cost, total, no_wage])
    said = issues[issues["code"] == "amount_unit_suspect"]
    assert said["cell"].tolist() == [_cell("转移性收入", 2), _cell("财产性收入", 3), _cell("家庭经营费用支出", 4),
                                     _cell("家庭总收入", 5), _cell("财产性收入", 6)], said[["cell", "message"]]
    assert said["severity"].tolist() == ["warning"] * 5
    by_cell = said.set_index("cell")["message"]
    assert by_cell[_cell("家庭总收入", 5)].startswith("第5行 N列「家庭总收入」为 0.6628 元,不足 10 元"), by_cell
    assert "按万元是 6628.00 元" in by_cell[_cell("家庭总收入", 5)], by_cell
    assert by_cell[_cell("财产性收入", 6)].startswith("第6行 L列「财产性收入」为 0.0812 元,不足 10 元"), by_cell
    assert "按万元是 812.00 元" in by_cell[_cell("财产性收入", 6)], by_cell
    message = said["message"].iloc[0]
    assert message.startswith("第2行 M列「转移性收入」为 0.6628 元,不足 10 元"), message
    assert "分以下" in message and "万元" in message and "6628.00 元" in message, message
    assert "650.00 元" in said["message"].iloc[1]
    _, issues = _screen(tmp_path, [transfer], "--lang", "en", "--force")
    message = issues.loc[issues["code"] == "amount_unit_suspect", "message"].iloc[0]
    assert "column M (转移性收入) is 0.6628 yuan" in message and "6628.00 yuan" in message, message


def test_30_92_of_property_income_0_5_of_interest_and_float_noise_are_not_flagged(tmp_path):
    rows = [
        household(户主姓名="甲", 户主身份证号=make_id("19700101"), 财产性收入=30.92, 转移性收入=0.5),
        household(户主姓名="乙", 户主身份证号=make_id("19700102"), 转移性收入=0.30000000000000004,
                  财产性收入=3.0000000000001),
        household(户主姓名="丙", 户主身份证号=make_id("19700103"), 财产性收入=12.3456),  # 10 yuan or more
        # beside them, one typed to the yuan in 万元: said, alone
        household(户主姓名="丁", 户主身份证号=make_id("19700104"), 转移性收入=0.0812),
    ]
    _, issues = _screen(tmp_path, rows)
    said = issues[issues["code"] == "amount_unit_suspect"]
    assert said["cell"].tolist() == [_cell("转移性收入", 5)], said[["cell", "message"]]


def test_members_typed_0_beside_residents_is_said_on_the_members_cell(tmp_path):
    zero = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 家庭人口数=0, 家庭常住人口数=3)
    fewer = household(户主姓名="乙", 户主身份证号=make_id("19700102"), 家庭人口数=2, 家庭常住人口数=3)
    blank = household(户主姓名="丙", 户主身份证号=make_id("19700103"), 家庭人口数="", 家庭常住人口数=3)
    _, issues = _screen(tmp_path, [zero, fewer, blank])
    said = issues[issues["code"] == "residents_exceed_members"]
    assert said["cell"].tolist() == [_cell("家庭人口数", 2), _cell("家庭常住人口数", 3)], said[["cell", "message"]]
    assert said["message"].iloc[0] == ("第2行 H列「家庭人口数」为 0,而家庭常住人口数为 3:一户至少有户主本人 1 人,"
                                       "请按户口簿填写家庭人口数")
    assert said["message"].iloc[1] == "第3行 I列「家庭常住人口数」为 3,多于家庭人口数 2"  # as before
    assert said["field"].tolist() == ["members", "residents"]
    # A blank 家庭人口数 is not asked: the field is optional.
    assert issues.loc[issues["head_name"] == "丙", "code"].tolist() == []


@pytest.mark.parametrize("header", ["户籍人口数（人）", "家庭总人口"])
def test_a_countys_own_name_for_the_members_column_is_read_and_checked(tmp_path, header):
    """A county's form headed 户籍人口数(人) (an outside try's 榆树市): not read, so 常住 3 of 户籍 2 was never
    asked about."""
    fewer = household(户主姓名="乙", 户主身份证号=make_id("19700102"), 家庭人口数=2, 家庭常住人口数=3)
    path = write_workbook(tmp_path / "调查表.xlsx", [fewer],
                          headers=[header if h == "家庭人口数" else h for h in HEADERS])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0 and "没有读入" not in result.output, result.output
    issues = read_issues(out / "issues.csv")
    assert issues.loc[issues["code"] == "residents_exceed_members", "head_name"].tolist() == ["乙"], issues
