"""A date option written as a date is but naming no day (2019-02-29, 2020/2/30): the terminal says the
day does not exist, not how to write a date, which the clerk has done; a date spelled wrong still
gets how to write it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app

runner = CliRunner()


@pytest.mark.parametrize("option, value", [("--publicity-start", "2020-02-30"), ("--as-of", "2019-02-29"),
                                           ("--as-of", "2019/4/31"), ("--as-of", "2019年6月31日"),
                                           ("--as-of", "20190229")])
def test_a_day_that_does_not_exist_is_said_so(tmp_path, option, value):
    path = write_workbook(tmp_path / "survey.xlsx", [household()])
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), option, value])
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "没有这一天" in said and "日期须写成" not in said, said
    assert not (tmp_path / "out").exists()


def test_english_and_a_badly_spelled_date(tmp_path):
    path = write_workbook(tmp_path / "survey.xlsx", [household()])
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "r"), "--lang", "en",
                                 "--as-of", "2019-02-29"])
    assert result.exit_code == 2 and "no such day" in " ".join(result.output.split()), result.output
    for typed in ("2019-2", "2019-13-01"):
        result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "r"), "--as-of", typed])
        assert result.exit_code == 2
        said = "".join(result.output.split())
        assert "日期须写成" in said and "没有这一天" not in said, said
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "r"), "--as-of", "2020-02-29"])
    assert result.exit_code == 0, result.output
