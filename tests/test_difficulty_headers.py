"""The difficulty column under the names counties print (主要致贫风险, 致贫原因): read as 主要困难; a
column whose header speaks of a difficulty or risk that is still not read is said on the screen's
terminal, not only in the quality report (an outside try: 主要致贫风险 was lost silently, every
register document and 公示 printing a blank 主要困难类别)."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from typer.testing import CliRunner

from survey_builders import HEADERS, household, write_workbook
from edgescreen import screen
from edgescreen.cli import app


def _screen(tmp_path, headers, rows):
    path = write_workbook(tmp_path / "伏龙泉镇.xlsx", rows, headers=headers, layout="title")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2019-12-31"],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    with open(out / "decisions.csv", encoding="utf-8-sig", newline="") as fh:
        return result.output, list(csv.DictReader(fh))


@pytest.mark.parametrize("header", ["主要致贫风险", "致贫原因", "主要困难类型"])
def test_a_difficulty_column_named_as_counties_print_it_is_read(tmp_path, header):
    headers = [header if h == "主要困难" else h for h in HEADERS]
    rows = [household(主要困难=word, 工资性收入=wage) for word, wage in (("因病", 6000), ("因残", 6500))]
    said, ledger = _screen(tmp_path, headers, rows)
    assert len(ledger) == 2 and "没有读入" not in said, said
    households = screen(tmp_path / "伏龙泉镇.xlsx", as_of=dt.date(2019, 12, 31)).households
    assert households["risk"].tolist() == ["因病", "因残"]


def test_an_unread_risk_column_is_said_on_the_terminal(tmp_path):
    headers = ["返贫风险点" if h == "主要困难" else h for h in HEADERS]
    said, _ = _screen(tmp_path, headers, [household(主要困难="因病", 工资性收入=6000)])
    assert "列「返贫风险点」没有读入" in " ".join(said.split()), said
