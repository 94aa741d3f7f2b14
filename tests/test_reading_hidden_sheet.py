"""A hidden sheet is skipped unless --include-hidden (README: it often holds an old copy), but one that
holds households is not passed over in silence: an attention-level fact, said on the terminal by
`screen`, and `check` does not call the workbook ready to send. A hidden sheet without a household
header (a list for drop-downs) says nothing more than that it was skipped."""

from __future__ import annotations

import json

import xlsxwriter
from typer.testing import CliRunner

from field_builders import _record_row, households
from survey_builders import HEADERS
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _workbook(path):
    book = xlsxwriter.Workbook(str(path))
    for name, records in (("合隆镇", households(3)), ("永安村", households(2, first_serial=10, 行政村="永安村"))):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, HEADERS)
        for r, record in enumerate(records, start=1):
            _record_row(ws, r, record)
        if name == "永安村":
            ws.hide()
    lists = book.add_worksheet("下拉选项")
    lists.write_column(0, 0, ["是", "否"])
    lists.hide()
    book.close()
    return path


def test_check_names_the_households_of_a_hidden_sheet_and_does_not_say_ready_to_send(tmp_path):
    path = _workbook(tmp_path / "合隆镇.xlsx")
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "隐藏的工作表「永安村」有2户农户,没有读入" in said, said
    assert "可以报送" not in said and "确认后再报送" in said
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    hidden = [(f["sheet"], f["level"], f["detail"]) for f in facts if f["fact"] == "hidden_sheet_households"]
    assert hidden == [("永安村", "attention", "2")]


def test_screen_says_a_hidden_sheet_holds_households_and_include_hidden_reads_them(tmp_path):
    path = _workbook(tmp_path / "合隆镇.xlsx")
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "隐藏的工作表「永安村」有2户农户,没有读入(不在结果中)" in said and "--include-hidden" in said
    assert "下拉选项" not in said
    assert len(read_ledger(tmp_path / "out" / "decisions.csv")) == 3
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "all"), "--include-hidden"])
    assert result.exit_code == 0, result.output
    assert "永安村」有" not in "".join(result.output.split())
    assert len(read_ledger(tmp_path / "all" / "decisions.csv")) == 5
