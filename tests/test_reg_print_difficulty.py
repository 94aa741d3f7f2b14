"""The posted 公示 names every category a clerk wrote, also when the difficulties are run together
with no separator (因病因学, 缺劳力缺技术)."""
from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app

runner = CliRunner()
HEADER_ROW = 7  # as in test_publicity: the notice's lines, then the list


def test_difficulties_written_without_a_separator_are_each_posted(tmp_path):
    typed = {"王一": "因病因学", "王二": "因病因残", "王三": "缺劳力缺技术", "王四": "因学、因病",
             "王五": "不因病因残", "王六": "因病致残"}
    path = write_workbook(tmp_path / "survey.xlsx", [
        household(**{"户主姓名": name, "工资性收入": 11000, "主要困难": words}) for name, words in typed.items()])
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(next((out / "publicity").iterdir())).active
    posted = {row[2]: row[5] for row in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if row[2] in typed}
    assert posted == {"王一": "因病、因学", "王二": "因病、因残", "王三": "缺劳力、缺技术", "王四": "因学、因病",
                      "王五": "因残", "王六": "因残"}
