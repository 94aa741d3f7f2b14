"""进度.xlsx says the day it reports on (--as-of): what is overdue and the 帮扶缺口 depend on it, and a
January and a March print looked alike. Every sheet's heading and page header carry 截至 that day,
and the page header names the county and the report; the villages' gaps have a sheet (and so a
repeated header) of their own."""

from __future__ import annotations

import openpyxl

from test_register import Walk, run


def _headings(ws) -> str:
    return " ".join(str(ws.cell(r, 1).value or "") for r in (1, 2))


def test_every_sheet_of_the_status_says_the_day_it_reports_on(tmp_path):
    walk = Walk(tmp_path)
    walk.through("announcement")
    for as_of, said in (("2020-01-10", "截至2020年1月10日"), ("2020-03-01", "截至2020年3月1日")):
        path = tmp_path / f"进度-{as_of}.xlsx"
        run("register", "status", walk.db, "-o", path, "--as-of", as_of)
        book = openpyxl.load_workbook(path)
        assert {"各村进度", "移出名单", "帮扶缺口"} <= set(book.sheetnames), book.sheetnames
        for ws in book.worksheets:
            assert said in _headings(ws), (ws.title, _headings(ws))
            header = ws.oddHeader.center.text
            assert said in header and ws.title in header and "农安县" in header and "工作进度" in header, header
