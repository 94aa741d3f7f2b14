"""信息比对申请名单 with a 16-digit 户编号 (12-digit village code and 4-digit household, 2201221401001001):
an outside tester's print showed it cut at both ends, 20122140100100, another number. Its column
holds the longest 户编号 on one line, the page still one A4 landscape wide."""

from __future__ import annotations

from print_size import column_widths, print_scale, span_points, text_points
from survey_builders import household, make_id, write_workbook
from test_request_list import REQUEST, printed
from test_rosters import AS_OF, run
from edgescreen.outputs.xlsx import page_body

CODES = ["2201221401001001", "2201221401001002", "7"]


def test_long_household_codes_print_whole(tmp_path):
    rows = [household(户主姓名=f"户主{i}", 户编号=code, 户主身份证号=make_id("19700101", serial=100 + i))
            for i, code in enumerate(CODES)]
    survey = write_workbook(tmp_path / "县.xlsx", rows)
    result = run("screen", survey, "-o", tmp_path / "out", "--as-of", AS_OF, "--request-list")
    assert result.exit_code == 0, result.output
    ws, at, columns = printed(tmp_path / "out" / REQUEST)
    col = columns["户编号"]
    cells = [ws.cell(r, col) for r in range(at + 1, at + 1 + len(CODES))]
    assert [c.value for c in cells] == CODES
    size = cells[0].font.sz
    # Its column (less the cell's padding) holds the longest at the widest a renderer draws digits.
    assert span_points(ws, [col]) - 10 >= text_points(CODES[0], size), (column_widths(ws)[col - 1], size)
    # One page wide on A4 landscape at the scale the sheet prints at.
    assert span_points(ws, list(range(1, ws.max_column + 1))) * print_scale(ws) <= page_body(landscape=True)[0]
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
