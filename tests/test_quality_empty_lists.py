"""An empty issue list in quality.xlsx (no errors; no member problems) said 无 under its header: printed, a
page of a header alone looked cut off (an outside try, 2026-12)."""
from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app


def test_an_empty_list_says_none_under_its_header_and_prints_it(tmp_path):
    survey = write_workbook(tmp_path / "县.xlsx", [household(户主姓名=f"户{i}", 户主身份证号=make_id("19700101", serial=100 + 2 * i))
                                                  for i in range(3)])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", "2020-01-01"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out / "quality.xlsx")["错误"]
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(cells) if "问题" in row or "说明" in row)
    assert cells[header + 1][0] == "(无)", cells
    assert ws.print_area.endswith(f"${header + 2}"), ws.print_area  # the 无 row printed
