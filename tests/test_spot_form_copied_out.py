"""A form's sheet copied into a new workbook (an outside tester's report, 2026-12): the very hidden identity
sheets stay behind, and the refusal said only 「不是 edgescreen sample 写出的入户核查表」. It says what happened
(the sheet was copied out of the form edgescreen wrote) and what to do (type the entries into the original,
or copy the sheet back into it)."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import fill_all, run, screened_and_drawn


def test_a_sheet_copied_into_a_new_workbook_is_named_as_that_with_the_way_back(tmp_path):
    screened_and_drawn(tmp_path)
    filled = {p.name: p for p in fill_all(tmp_path / "抽查", tmp_path / "填好")}
    original = filled["合隆镇-前岗村-入户核查表.xlsx"]
    sheet = openpyxl.load_workbook(original).worksheets[0]
    book = openpyxl.Workbook()  # as 移动或复制 → (新工作簿) gives it: the cells, none of the hidden sheets
    copy = book.active
    copy.title = sheet.title
    for row in sheet.iter_rows():
        for c in row:
            copy.cell(c.row, c.column).value = c.value
    book.save(original)
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=2).output.split())
    assert "合隆镇-前岗村-入户核查表.xlsx:工作表「入户核查表」是核查表的页面,但这个文件没有核查表标识" in said, said
    assert "复制到新工作簿" in said and "录入原来的核查表文件" in said and "复制回原文件" in said, said


def test_a_workbook_with_no_page_at_all_is_still_no_form(tmp_path):
    screened_and_drawn(tmp_path)
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    book = openpyxl.Workbook()
    book.active["A1"] = "工作总结"
    book.save(tmp_path / "填好" / "总结.xlsx")
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=2).output.split())
    assert "总结.xlsx:不是edgescreensample写出的入户核查表" in said, said
