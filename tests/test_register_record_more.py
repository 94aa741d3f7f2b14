"""Recording the register's documents (outside tester, 2026-12-04, second pass): a meeting short of its
quorum, a date typed into its label's cell, a copied sheet, a form whose file name names another village."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill, meeting
from test_register import Walk, refused


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def test_a_meeting_short_of_two_thirds_present_is_refused(walk):
    """Before: 应到 30, 实到 3 was recorded. 村民委员会组织法 第二十六条: two thirds must be present."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting(应到人数=30, 实到人数=19))
    out = refused(walk, doc, words=["实到人数 19 不足应到人数 30", "三分之二", "至少 20 人", "第二十六条"])
    assert "会议记录" in out and "B7" in out, out
    fill(doc, form={"实到人数": 20})  # exactly two thirds: held
    out = walk.record(doc).output
    assert "不足应到人数" not in out and "民主评议" in out, out


def _cell_reading(wb, text: str):
    return next(c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text)


def test_a_date_typed_into_its_label_cell_is_said_so(walk):
    """Before: 「会议时间:2019年11月28日」 typed into the label's cell read 「找不到「会议时间」一栏:请不要删除或
    改动它」, though nothing was deleted."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting())
    wb = openpyxl.load_workbook(doc)
    cell = _cell_reading(wb, "会议时间")
    cell.value = "会议时间:2019年11月28日"
    cell.parent.cell(cell.row, cell.column + 1).value = None
    wb.save(doc)
    out = refused(walk, doc, words=["「会议时间」填进了标签所在的单元格", "「2019年11月28日」",
                                    f"右边的 B{cell.row} 单元格"])
    assert "找不到「会议时间」一栏" not in out, out


@pytest.mark.parametrize("fill_copy_only", [False, True])
def test_a_copied_sheet_is_refused_naming_both(walk, fill_copy_only):
    """Before: the original all 同意 and its copy 「评议名单 (2)」 with 不同意 recorded the original and
    ignored the copy; only the copy filled said 没有填写 per row without naming the copy."""
    doc = walk.issue("review")[0]
    fill(doc, default=None if fill_copy_only else ("同意", ""), form=meeting())
    wb = openpyxl.load_workbook(doc)
    copy = wb.copy_worksheet(wb["评议名单"])
    copy.title = "评议名单 (2)"
    wb.save(doc)
    out = refused(walk, doc, words=["「评议名单 (2)」和「评议名单」是同一张表的两份", "删除另一张"])
    assert "没有填写" not in out, out


def test_a_file_named_for_another_village_is_recorded_with_a_note(walk):
    """Before: 前岗村's form renamed to 青山村's file name was recorded with no word of it."""
    walk.issue("review")
    doc = walk.doc("review", "前岗村")
    fill(doc, default=("同意", ""), form=meeting())
    renamed = doc.with_name("合隆镇-青山村-民主评议.xlsx")
    renamed.unlink()
    doc.rename(renamed)
    out = walk.record(renamed).output
    assert "民主评议,合隆镇前岗村" in out, out
    assert "文件名「合隆镇-青山村-民主评议.xlsx」写的是合隆镇青山村,但这份文书是打印给合隆镇前岗村的" in out, out
    fill(walk.doc("review", "三宝村"), default=("同意", ""), form=meeting())
    assert "文件名" not in walk.record(walk.doc("review", "三宝村")).output
