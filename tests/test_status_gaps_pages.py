"""register status's 帮扶缺口 held two tables (the villages, then the households with a gap): an outside
tester's print repeated the villages' header above every page of the household list, whose columns
differ, and then none above the villages' second page. Each is now a sheet with its own header."""

from __future__ import annotations

import openpyxl

from test_register import Walk, run


def test_gap_list_pages_repeat_its_own_header(tmp_path):
    walk = Walk(tmp_path)
    walk.through("announcement")
    # No measure recorded, two months after entering: every registered household has a gap.
    run("register", "status", walk.db, "-o", tmp_path / "进度.xlsx", "--as-of", "2020-03-01")
    book = openpyxl.load_workbook(tmp_path / "进度.xlsx")
    # The villages on a sheet of their own, their header repeated on each of their pages.
    ws = book["各村帮扶缺口"]
    villages = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "乡(镇)")
    assert ws.print_title_rows == f"${villages}:${villages}", ws.print_title_rows
    assert ws.max_row > villages and ws.cell(villages + 1, 2).value  # the villages below their header
    ws = book["帮扶缺口"]
    listed = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    assert [c.value for c in ws[listed]][:8] == ["序号", "乡(镇)", "行政村", "村民小组", "户主姓名", "身份证号",
                                                 "纳入日期", "帮扶缺口"]
    assert ws.print_title_rows == f"${listed}:${listed}", ws.print_title_rows
    # No villages' table on the list's sheet: no page of it is headed by the list's header.
    assert all(ws.cell(r, 1).value != "乡(镇)" for r in range(1, listed))
    assert ws.cell(listed - 1, 1).value.startswith("有帮扶缺口的农户")
