"""The screen's own notice (--publicity-start) lists the first-pass candidates, before the village
meeting. An outside try posted it and then found the register's 第一次公示, printed after 民主评议 and
入户核实, listing three households fewer: the terminal says what the notice is, and with --register
where the plan's first publicity comes from."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app

runner = CliRunner()


def said(tmp_path, *extra) -> str:
    path = write_workbook(tmp_path / "survey.xlsx", [household(**{"户主姓名": "王一", "工资性收入": 11000}),
                                                     household(**{"户主姓名": "李三", "工资性收入": 30000})])
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), "--date", "2019-12-01",
                                 "--publicity-start", "2019-12-20", *extra])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_the_screens_notice_is_said_as_the_first_pass_list_before_the_meeting(tmp_path):
    text = said(tmp_path)
    assert "publicity/ 各村初选名单的公示表(筛查结果,未经民主评议)" in text, text
    assert "register next" not in text, text


def test_with_a_register_the_plans_first_publicity_is_said_to_come_from_register_next(tmp_path):
    text = said(tmp_path, "--register", str(tmp_path / "县.db"))
    assert "各村初选名单的公示表(筛查结果,未经民主评议;方案的第一次公示在民主评议、入户核实之后,用 register next 打印)" \
        in text, text
