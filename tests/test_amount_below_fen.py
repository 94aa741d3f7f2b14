"""An amount with a part below the fen was rounded silently (probe 5: 11999.996 over 3 residents is
decided as 12000.00, 4000.00 each: above_limit, though 3999.9987 is under 4000). The decision stays
on the fen; the cell now gets a warning saying it was rounded. A float's binary noise
(3218.0000000001, what Excel keeps for a sum) is not flagged."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger


def _workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for record in rows:
        ws.append([record.get(h) for h in HEADERS])
    wb.save(path)
    return path


def test_a_typed_part_below_the_fen_warns_and_the_decision_stays_on_the_fen(tmp_path):
    rounded_up = household(户主姓名="甲", 户主身份证号=make_id("19700104"), 工资性收入=11999.996, 家庭总收入=None)
    noise = household(户主姓名="乙", 户主身份证号=make_id("19700105"), 工资性收入=3218.0000000001, 家庭总收入=None)
    two_places = household(户主姓名="丙", 户主身份证号=make_id("19700106"), 工资性收入=9654.5, 家庭总收入=None)
    path = _workbook(tmp_path / "调查表.xlsx", [rounded_up, noise, two_places])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    decided = read_ledger(out / "decisions.csv").set_index("head_name")
    assert decided.loc["甲", "per_capita_income"] == "4000.00"  # decided on the fen, as before
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "amount_below_fen"]
    assert said["head_name"].tolist() == ["甲"], issues[["head_name", "code"]]
    message = said["message"].iloc[0]
    assert said["cell"].iloc[0] == f"{chr(ord('A') + HEADERS.index('工资性收入'))}2"
    assert "11999.996" in message and "四舍五入到分" in message and "12000.00" in message, message
    assert said["severity"].iloc[0] == "warning"


def test_a_csv_amount_with_three_decimals_warns_where_it_could_decide(tmp_path):
    """丁's 9,654.004 over 3 residents is 3218.0013 a head, at the poverty line once rounded: said. From
    an outside try: subsidies worked out in Excel as mu × rate and pasted as values (戊's 1993.644,
    13,589 yuan a head) were warned on 2 % of a county's households, where the rounding decides
    nothing."""
    near = household(户主姓名="丁", 户主身份证号=make_id("19700107"), 工资性收入='"9,654.004"', 家庭总收入="")
    far = household(户主姓名="戊", 户主身份证号=make_id("19700108"), 工资性收入=38774, 转移性收入="1993.644",
                    家庭总收入="")
    path = write_csv(tmp_path / "导出.csv", [near, far])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    said = read_issues(out / "issues.csv").query("code == 'amount_below_fen'")
    assert said["head_name"].tolist() == ["丁"], said
    assert "rounded to the fen" in said["message"].iloc[0] and "9654.00" in said["message"].iloc[0]
