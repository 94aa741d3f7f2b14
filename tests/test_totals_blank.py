"""A 合计 cell left blank beside its components: the form gives the components, and the total is their
sum (domain §4: the components, or the total, or both). It is not a blank read as 0 to confirm: no
missing_value warning says "按 0 元计算" of a total the ledger holds as the components' sum. A household
that leaves the components and the total blank is still warned, cell by cell."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger


def test_a_blank_total_beside_its_components_is_their_sum_without_a_warning(tmp_path):
    summed = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 工资性收入="9654.01", 家庭总收入="",
                       家庭生产经营性支出="")
    nothing = household(户主姓名="乙", 户主身份证号=make_id("19710101"), 工资性收入="", 家庭经营收入="", 财产性收入="",
                        转移性收入="", 家庭总收入="")
    survey = write_workbook(tmp_path / "县.xlsx", [summed, nothing])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[0, "total_income"] == "9654.01" and ledger.loc[0, "status"] == "candidate"
    issues = read_issues(out / "issues.csv")
    first = issues[issues["row"].astype(int) == 2]
    assert first.empty, first[["field", "code", "message"]].to_string()
    second = issues[(issues["row"].astype(int) == 3) & (issues["code"] == "missing_value")]
    assert {"wage_income", "total_income"} <= set(second["field"]), second[["field", "message"]].to_string()


def test_explain_says_a_blank_total_is_the_components_sum_not_a_zero(tmp_path):
    summed = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 工资性收入="9654.01", 家庭总收入="")
    survey = write_workbook(tmp_path / "县.xlsx", [summed])
    said = CliRunner().invoke(app, ["explain", str(survey), "--name", "甲"], env={"COLUMNS": "200"}).output
    line = next(x for x in said.splitlines() if "表中合计 家庭总收入" in x)
    assert line.endswith("(空)  →  未填,按各项之和"), line
    assert "采用: 9654.01 (按各项之和)" in said
