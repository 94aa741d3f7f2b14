"""A round recorded with --date is the day the households were screened: the summary says that day,
as the register does, and ages are counted at it (found by an outside look at the printed pages:
summary.xlsx said 筛查日期 today beside a register round dated 2020-01-03)."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app

runner = CliRunner()


def _screen(tmp_path, *extra):
    path = write_workbook(tmp_path / "survey.xlsx", [household(户主身份证号=make_id("19700101", serial=801))])
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), *extra])
    assert result.exit_code == 0, result.output
    texts = [str(c.value) for ws in openpyxl.load_workbook(out / "summary.xlsx") for row in ws.iter_rows()
             for c in row if c.value is not None]
    return texts, json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_a_round_dated_with_date_is_the_summarys_screening_day_and_the_age_day(tmp_path):
    texts, run = _screen(tmp_path, "--register", str(tmp_path / "农安县.db"), "--date", "2020-01-03")
    assert "筛查日期:2020年1月3日" in texts, texts[:5]
    assert run["options"]["as_of"] == "2020-01-03" and run["options"]["round_date"] == "2020-01-03"


def test_an_age_day_given_stays_as_given(tmp_path):
    texts, run = _screen(tmp_path, "--register", str(tmp_path / "农安县.db"), "--date", "2020-01-03",
                         "--as-of", "2019-12-31")
    assert "筛查日期:2020年1月3日" in texts and run["options"]["as_of"] == "2019-12-31"
