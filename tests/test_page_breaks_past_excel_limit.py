"""A signed list longer than the 1,023 manual page breaks Excel keeps on a sheet (a county's 信息比对申请名单
of a million people, the register's roster of a county): the breaks written are the last 1,023, those
that keep the count, the seal and the signatures on the page of the last rows. xlsxwriter keeps the first
1,023, so before, every page after the 1,024th was Excel's own and the seal could print alone."""

from __future__ import annotations

import re
import zipfile

import numpy as np

from edgescreen.outputs.xlsx import (
    HEIGHT_SLACK,
    KEEP_WITH_SIGNATURES,
    MAX_PAGE_BREAKS,
    new_workbook,
    page_body,
    page_breaks,
    print_scale,
    print_signed,
    row_height,
)


def _written_breaks(path) -> list[int]:
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/worksheets/sheet1.xml").decode()
    return [int(r) for r in re.findall(r'<brk id="(\d+)"', xml)]


def test_the_breaks_kept_past_excels_limit_are_those_placing_the_signatures(tmp_path):
    path = tmp_path / "long.xlsx"
    book = new_workbook(path, fixed_scale=True)
    ws = book.add_worksheet("名单")
    widths = [6, 14, 24, 10, 30]
    header_row, rows, row = 2, 40_000, 15.0
    for r in range(header_row):
        ws.set_row(r, 20)
    ws.set_row(header_row, 30)
    end = header_row + 1 + rows
    ws.set_row(end, 20)  # the count
    ws.set_row(end + 1, 40)  # the signatures and seal
    print_signed(ws, widths, header_row, end, end + 2, row=row, landscape=True)
    book.close()

    # The breaks the table needs, as print_signed computes them.
    body = page_body(landscape=True)[1] * 100 / print_scale(widths, landscape=True) - HEIGHT_SLACK
    top = sum(row_height(ws, r) for r in range(header_row + 1))
    needed = [header_row + 1 + b for b in page_breaks(top, 30, np.full(rows, row), 60, body)]
    assert len(needed) > MAX_PAGE_BREAKS + 100  # the case: more pages than Excel keeps breaks for

    written = _written_breaks(path)
    assert len(written) == MAX_PAGE_BREAKS
    assert written == needed[-MAX_PAGE_BREAKS:]
    # The last page holds the last rows with the count and the signatures.
    assert end - written[-1] >= KEEP_WITH_SIGNATURES
