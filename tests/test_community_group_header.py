"""A 社区's survey heads its group column 居民小组 (a form for both, 村(居)民小组): it was left unread,
said only as an unknown column, and the 社区's lists printed no group (found 2026-12-06). Read as
村民小组 now, in its spellings."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import label
from edgescreen.cli import app


@pytest.mark.parametrize("header", ["居民小组", "居民组", "村(居)民小组", "村（居）民小组"])
def test_a_communitys_group_column_is_read(tmp_path, header):
    rows = [household(**{"乡(镇)": "奢岭街道", "行政村": "青山社区", "村民小组": "三组", "户主身份证号": make_id(serial=11)})]
    path = write_workbook(tmp_path / "奢岭街道.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    for cell in wb.active[1]:
        if cell.value == "村民小组":
            cell.value = header
    wb.save(path)
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), "--as-of", "2020-01-10"],
                                env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert "未识别" not in result.output, result.output
    ws = openpyxl.load_workbook(tmp_path / "out" / "villages" / "奢岭街道-青山社区.xlsx")[label("sheet_candidates", "zh")]
    header_row = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "序号")
    groups = [r[1].value for r in ws.iter_rows(min_row=header_row[0].row + 1) if isinstance(r[0].value, int)]
    assert groups == ["三组"], groups
