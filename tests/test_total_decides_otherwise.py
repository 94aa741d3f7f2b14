"""A 家庭总收入 within a yuan of its components' sum (no mismatch) that puts the household on the other side
of a bound than the sum it is decided on. An outside try: components 9,653.50 beside a total of 9,654.01,
3 residents, below the line without a word, where the total makes a candidate."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger


def test_a_total_that_would_decide_otherwise_is_said_on_its_cell(tmp_path):
    rows = [household(户主姓名="甲", 工资性收入=9653.50, 家庭总收入=9654.01),    # straddles 3218 × 3
            household(户主姓名="乙", 工资性收入=11999.50, 家庭总收入=12000.00),  # straddles 4000 × 3
            household(户主姓名="丙", 工资性收入=10000.00, 家庭总收入=10000.90),  # within a yuan, same side
            household(户主姓名="丁", 工资性收入=9754.00, 家庭总收入=9754.00,       # the costs' total straddles
                      家庭经营费用支出=100, 家庭生产经营性支出=99.99)]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(write_workbook(tmp_path / "s.xlsx", rows)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["甲", "status"] == "below_line" and ledger.loc["乙", "status"] == "candidate"
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "total_decides_otherwise"]
    assert sorted(said["head_name"]) == ["丁", "乙", "甲"], said
    first = said[said["head_name"] == "甲"].iloc[0]
    assert first["field"] == "total_income" and "9654.01" in first["message"] and "9653.50" in first["message"]
    assert "认定结果不同" in first["message"], first["message"]
    assert said[said["head_name"] == "丁"].iloc[0]["field"] == "production_expenses"


def test_a_total_read_in_wan_is_said_with_its_unit(tmp_path):
    """On a sheet headed 单位:万元 the total 0.9654 is 9,654.00 yuan: said so beside the sum in yuan, as
    total_income_mismatch says it, never two figures that look 9,653 apart "within a yuan"."""
    rows = [household(户主姓名="甲", 工资性收入=0.5, 家庭经营收入=0.465401, 家庭总收入=0.9654)]
    path = write_workbook(tmp_path / "s.xlsx", rows, layout="title", extra_rows=[])
    book = openpyxl.load_workbook(path)
    book.active["A2"] = "填报单位:合隆镇前岗村      单位:万元"
    book.save(path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "total_decides_otherwise"]
    assert len(said) == 1, issues
    assert "0.9654 万元(9654.00 元),各项之和为 9654.01 元" in said.iloc[0]["message"], said.iloc[0]["message"]
