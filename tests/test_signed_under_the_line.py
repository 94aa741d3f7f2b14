"""A name written on the line under the printed signature block (主持人(签字): on its line, 杨春明 typed on
the next, in the 户主姓名 column) signs the list: recorded, not refused as a household added without a
序号 (an outside try: 「评议名单」A12:「杨春明」这一行没有序号:打印的名单不能加行), nor kept as a remark. A
name with an ID under it is still a household added."""

from __future__ import annotations

import openpyxl

from register_builders import fill, meeting
from test_register_village_in_wan import County, flat
from test_register import run


def _signed_below(path, *values):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, ws.max_row + 1)
              if any(isinstance(c.value, str) and "主持人" in c.value for c in ws[r]))
    for column, value in enumerate(values, start=3):
        ws.cell(row=at + 1, column=column, value=value)
    wb.save(path)


def test_a_name_under_the_signature_line_signs_the_list(tmp_path):
    county = County(tmp_path)
    _, folder = county.issue("2019-11-21", "d1")
    (form,) = sorted(folder.rglob("*.xlsx"))
    fill(form, default=("同意", ""), form=meeting("2019年11月25日"))
    _signed_below(form, "杨春明")
    said = flat(run("register", "record", county.db, form).output)
    assert "没有序号" not in said and "登记簿没有任何改动" not in said, said
    history = flat(run("register", "status", county.db, "--as-of", "2019-11-26").output)
    assert "杨春明" not in history, history


def test_a_name_with_an_id_under_the_signature_line_is_still_a_row_added(tmp_path):
    # Guard: the old code refused this too; signs_the_list must not widen to it.
    county = County(tmp_path)
    _, folder = county.issue("2019-11-21", "d1")
    (form,) = sorted(folder.rglob("*.xlsx"))
    fill(form, default=("同意", ""), form=meeting("2019年11月25日"))
    _signed_below(form, "杨春明", "220122196002103004")
    said = flat(run("register", "record", county.db, form, code=2).output)
    assert "「杨春明」这一行没有序号" in said and "登记簿没有任何改动" in said, said
