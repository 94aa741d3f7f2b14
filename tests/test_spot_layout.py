"""A form whose rows were sorted (Excel's 数据→排序; an outside tester's report, 2026-12) printed a
line per page, 「这一页找不到「户编号」一栏」 75 times for one village: its layout is broken, said once
for the sheet. A label deleted on one page is still said on that page."""

from __future__ import annotations

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, fill_all, pages_of, run, screened_and_drawn


@pytest.fixture
def county(tmp_path):
    return screened_and_drawn(tmp_path, unlisted_rate="1")


def _sorted_by_column_a(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    rows = [[ws.cell(r, c).value for c in range(1, 5)] for r in range(1, ws.max_row + 1)]
    rows.sort(key=lambda values: str(values[0] or ""))
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
    wb.save(path)


def test_a_sorted_sheet_is_said_once_as_a_broken_layout(county):
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "前岗村" in f.name)
    _sorted_by_column_a(form)
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    assert "1 个文件中有 1 处问题" in said, said
    assert "16 页找不到核查表的栏目" in said and "版式已乱" in said and "不要排序" in said, said
    assert "这一页找不到" not in said, said


def test_a_label_deleted_on_one_page_is_said_on_that_page(county):
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "前岗村" in f.name)
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    row, column = pages_of(ws)[2][LABELS["wage_income"]]
    ws.cell(row, column - 1).value = None
    wb.save(form)
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    assert "核查序号 2 这一页找不到「工资性收入(元)」一栏" in said and "版式已乱" not in said, said
