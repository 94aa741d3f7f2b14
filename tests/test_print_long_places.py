"""Long official place names on printed sheets (an outside tester's prints, LibreOffice on A4):
小城子满族朝鲜族乡 and 太平沟满族朝鲜族民族村委会第三村 wrap in their columns, and each row is as tall
as its lines. Before: 进度.xlsx's rows were a fixed two lines (the village printed 族朝鲜族 / 民族村委, cut
at both ends); 逐户比对's rows, like 抽样设计's, kept the default height, the names drawn over the next
rows; and 分填表人 without an enumerator had no page setup (its note off a portrait page's right edge,
a second page holding an empty box)."""

from __future__ import annotations

import openpyxl
import pytest

from print_size import cell_span, column_widths, display_width, printed_points, span_points
from spotcheck_builders import above, candidate, fill_all, write_survey
from spotcheck_builders import run as spot_run
from test_register import Walk, run
from edgescreen.outputs.xlsx import WIDTH_SLACK, page_body

TOWNSHIP, VILLAGE = "小城子满族朝鲜族乡", "太平沟满族朝鲜族民族村委会第三村"
# LibreOffice prints lines of 10-point CJK text 14.51 points apart, of 11-point 16 (test_print_model.py),
# with a few points of padding.
PITCH = {10: 14.51, 11: 16.0}


def lines_at_least(text: str, width: float, size: int) -> int:
    """A lower bound of the lines `text` takes in a wrapped cell of a column whose stored width is
    `width` (xlsxwriter's, 0.71 over what was asked): its CJK characters at a full em, anything else
    at half, against the column's pixels less indent and padding."""
    per_line = ((width - 0.71) * 7 + 5 - 14) / (size * 96 / 72)
    return int(-(-(display_width([text])[0] / 2) // per_line))


def assert_rows_hold(ws, first: int, headers: list[str], size: int, last: int | None = None) -> int:
    """Every row from `first` (to `last`) as tall as its texts under `headers` (in row first - 1) wrap
    to; returns how many of them took more than a line."""
    header = [c.value for c in ws[first - 1]]
    widths = column_widths(ws)
    wrapped = 0
    for r in range(first, (last or ws.max_row) + 1):
        height = ws.row_dimensions[r].height
        for name in headers:
            col = header.index(name)
            text = ws.cell(r, col + 1).value
            if not isinstance(text, str):
                continue
            lines = lines_at_least(text, widths[col], size)
            assert height is not None and height >= lines * PITCH[size] + 4, (ws.title, r, text, lines, height)
            wrapped += lines > 1
    return wrapped


def test_the_progress_sheets_print_a_long_village_whole_on_one_landscape_page_width(tmp_path):
    """进度.xlsx: 各村进度's 乡(镇) and 行政村 wrap and the row grows (four lines for the village, where
    two were fixed), and the sheet still prints one landscape page wide at 9 pt or more; 移出名单's rows
    (a fixed 22 points) and 帮扶缺口's hold their long names too."""
    walk = Walk(tmp_path / "walk", places={"合隆镇": TOWNSHIP, "青山村": VILLAGE})
    walk.through("announcement")
    path = tmp_path / "进度.xlsx"
    # Two months on: the households registered without a measure are listed under 帮扶缺口.
    run("register", "status", walk.db, "-o", path, "--as-of", "2020-03-01")
    book = openpyxl.load_workbook(path)

    ws = book["各村进度"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=6) if r[0].value == "乡(镇)")[0].row
    long_row = next(r for r in range(header + 2, ws.max_row + 1) if ws.cell(r, 2).value == VILLAGE)
    assert ws.row_dimensions[long_row].height >= 4 * PITCH[10] + 4  # 34.5 before: two lines
    assert ws.cell(long_row, 2).alignment.wrap_text and ws.cell(long_row, 1).alignment.wrap_text
    # The second header row holds the steps' 日期/户数: the places' header is the first, merged over both.
    widths = column_widths(ws)
    for r in range(header + 2, ws.max_row + 1):
        if ws.cell(r, 2).value is None:  # the table's end: a note under it (公示期按印发日计 …) spans the width
            break
        for col in (0, 1):
            text = ws.cell(r, col + 1).value
            lines = lines_at_least(text, widths[col], 10)
            assert ws.row_dimensions[r].height >= lines * PITCH[10] + 4, (r, text)
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth in (None, 1)
    assert printed_points(ws, header + 2) >= 9.0

    ws = book["移出名单"]
    assert assert_rows_hold(ws, 3, ["乡(镇)", "行政村"], 10) >= 2  # 孙六 and 周七 of the village

    ws = book["各村帮扶缺口"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "乡(镇)")
    end = next(r for r in range(header + 1, ws.max_row + 2) if ws.cell(r, 1).value in (None, ""))
    assert assert_rows_hold(ws, header + 1, ["乡(镇)", "行政村"], 10, end - 1) >= 2
    ws = book["帮扶缺口"]
    listed = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    assert assert_rows_hold(ws, listed + 1, ["乡(镇)", "行政村", "帮扶缺口"], 10) >= 2


@pytest.fixture
def long_county(tmp_path):
    """A county of long names, screened, sampled, every form filled as recorded and backchecked; its
    survey names no enumerator (no 填表人 column, no footer line)."""
    rows = ([candidate(VILLAGE, "甲", TOWNSHIP) for _ in range(4)] + [above(VILLAGE, "乙", TOWNSHIP) for _ in range(6)]
            + [candidate("前岗村", "丙", TOWNSHIP) for _ in range(2)] + [above("前岗村", "丁", TOWNSHIP) for _ in range(3)])
    survey = write_survey(tmp_path / "农安县.xlsx", {TOWNSHIP: rows}, column=False)
    spot_run("screen", survey, "-o", tmp_path / "筛查")
    spot_run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "4", "--listed-rate", "1",
             "--unlisted-rate", "0.5")
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    spot_run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果")
    return tmp_path


def test_backcheck_rows_hold_long_file_and_place_names(long_county):
    """逐户比对, 逐项比对 and 分村: each row as tall as its file's, township's and village's names wrap to
    (the default height before, the names printed over the next rows)."""
    book = openpyxl.load_workbook(long_county / "核查结果" / "backcheck.xlsx")
    assert assert_rows_hold(book["逐户比对"], 2, ["核查表", "乡(镇)", "行政村"], 10) >= 3
    assert assert_rows_hold(book["逐项比对"], 2, ["核查表"], 10) >= 1
    assert assert_rows_hold(book["分村"], 2, ["乡(镇)", "行政村"], 10) >= 2


def test_the_enumerators_sheet_without_enumerators_prints_on_one_portrait_page(long_county):
    """分填表人 when the survey names nobody: its note on an A4 portrait page, fitted to its width (before:
    no page setup, the note merged over nine columns ran off the right edge, their last on a second
    page), in a row as tall as its lines, headed like the other sheets."""
    ws = openpyxl.load_workbook(long_county / "核查结果" / "backcheck.xlsx")["分填表人"]
    note = ws["A1"]
    assert "调查表没有填表人" in note.value and note.alignment.wrap_text
    setup = ws.page_setup
    assert setup.orientation == "portrait" and int(setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1)
    # The note's columns fit the page's width at full size, in any renderer: nothing to shrink.
    assert span_points(ws, cell_span(ws, note)) * WIDTH_SLACK <= page_body(landscape=False)[0]
    width = sum(column_widths(ws)[c - 1] for c in cell_span(ws, note))
    assert ws.row_dimensions[1].height >= lines_at_least(note.value, width, 10) * PITCH[10] + 4
    assert ws.oddHeader.center.text and ws.oddFooter.center.text


def test_the_sample_design_rows_hold_long_place_names(long_county):
    """抽样设计.xlsx's 各村 and 各层 (11-point text): each row as tall as its township's and village's names
    wrap to (the default height before: 小城子满族朝鲜族乡 printed over the next row)."""
    book = openpyxl.load_workbook(long_county / "抽查" / "抽样设计.xlsx")
    for name in ("各村", "各层"):
        assert assert_rows_hold(book[name], 4, ["乡(镇)", "行政村"], 11) >= 2, name  # below the title
