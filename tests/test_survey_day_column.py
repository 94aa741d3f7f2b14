"""A survey whose days are a column of their own (调查日期, one per household), with no 填报日期 line above
the header, is dated by that column: ages counted at today are said, with the --as-of to run again with
(an outside try, try BO: a 2019 survey with a 调查日期 column was aged at 2026, nothing said)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app


def _said(tmp_path, days) -> str:
    rows = [household(工资性收入=6000 + i, 调查日期="") for i in range(len(days))]
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows, more=["调查日期"])
    book = openpyxl.load_workbook(path)  # the days as typed, or as date cells (what Excel keeps of 2019/12/5)
    ws = book.active
    column = next(c.column for c in ws[1] if c.value == "调查日期")
    for i, day in enumerate(days):
        ws.cell(row=2 + i, column=column, value=day)
        if isinstance(day, dt.datetime):
            ws.cell(row=2 + i, column=column).number_format = "yyyy/m/d"
    book.save(path)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.mark.parametrize("days", [[dt.datetime(2019, 12, 1), dt.datetime(2019, 12, 5), dt.datetime(2019, 12, 3)],
                                  ["2019-12-01", "2019.12.5", "2019年12月3日"]], ids=["date cells", "typed"])
def test_a_column_of_survey_days_dates_the_survey(tmp_path, days):
    said = _said(tmp_path, days)
    assert "写明「调查日期 2019-12-01–2019-12-05」" in said and "请加 --as-of 2019-12-05 重新运行" in said, said


def test_guard_a_column_of_this_years_days_says_nothing(tmp_path):
    """Guard: a survey dated this year is no older survey (the old code said nothing of it either)."""
    today = dt.date.today()
    said = _said(tmp_path, [today.isoformat()])
    assert "--as-of" not in said, said
