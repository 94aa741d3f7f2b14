"""The pages a committee signs, as an outside tester printed them with LibreOffice (try BN, 2026-12-07):
a five-character name broke over two lines in the 入户核实's 户主姓名 column (欧阳玉兰 / 芳), as on the
帮扶措施 form and the 花名册; quality.xlsx's 概览 split costs_exceed_business_incom / e in its 问题代码
column; a village's fix list broke its header 严重程 / 度; summary.xlsx's 运行信息 printed its 项目/内容
header squashed in a row too short for it.

Widths are checked as the code reckons them (xlsx.printed_lines, line_width: a CJK character an em, a
column in Excel's 7-pixel digits), each column at the width it was given (openpyxl's stored width less
Excel's 0.71, a <col> spanning several columns read for each); a page's fit as xlsx.print_scale
reckons its width."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import register_everyone, run, survey
from edgescreen.catalogue import label
from edgescreen.outputs.xlsx import line_width, print_scale, printed_height, printed_lines

FIVE, SIX = "欧阳玉兰芳", "乌力吉·巴图"
NAMES = [FIVE, SIX, "王秀兰", "李明"]
LONG_DIFFICULTY = "因病:户主患脑梗塞后遗症常年卧床需人照料,妻子患类风湿关节炎丧失劳动能力"
LEAST_SCALE = 82  # 11-point text printed at 9 points (documents.LEAST_PRINT_POINTS)


def people() -> list[dict]:
    # Income parts given (the 入户核实 prints its 申报收入 column, the widest form); one household's
    # business costs five times its business income (costs_exceed_business_income: a fix list).
    return [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": "十四组", "户主姓名": NAMES[k % 4],
             "户主身份证号": make_id(serial=100 + k), "工资性收入": 9700 + 40 * k, "家庭经营收入": 1200,
             "财产性收入": 300, "转移性收入": 560, "家庭经营费用支出": 6000 if k == 11 else 1500,
             "主要困难": LONG_DIFFICULTY if k == 0 else "因病、因学"} for k in range(12)]


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """The county on the register (every step recorded, all yes), its measure forms, its 花名册, and
    `check`'s report with the villages' fix lists."""
    tmp = tmp_path_factory.mktemp("widths")
    db = register_everyone(tmp, people())
    run("register", "measures", db, "--date", "2020-01-10", "-o", tmp / "measures")
    run("register", "export", db, "-o", tmp / "花名册.xlsx")
    run("check", survey(tmp / "check.xlsx", people()), "-o", tmp / "checked", "--as-of", "2019-12-31", code=0)
    return tmp


def widths(ws) -> list[float]:
    """Each column's width as given (a <col> over several columns read for each of them)."""
    given = {}
    for dim in ws.column_dimensions.values():
        if dim.min and dim.width:
            given.update({c: dim.width - 0.71 for c in range(dim.min, dim.max + 1)})
    return [given[c] for c in range(1, max(given) + 1)]


def table(path: Path, header_word: str = "户主姓名"):
    """The first sheet, its header row and its columns by header."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    for row in ws.iter_rows():
        texts = ["" if c.value is None else str(c.value) for c in row]
        if header_word in texts:
            return ws, row[0].row, {t: c.column for t, c in zip(texts, row) if t}
    raise AssertionError(f"no header {header_word} in {path}")


def fits_across(ws, landscape: bool = True) -> None:
    """The page prints its columns one page wide, 9 points or more: at the scale it is set to, or
    fitted to the page's width at the scale its columns take."""
    fitted = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if fitted:
        assert ws.page_setup.fitToWidth in (1, None), ws.page_setup.fitToWidth
        assert print_scale(widths(ws), landscape) >= LEAST_SCALE, print_scale(widths(ws), landscape)
        return
    scale = ws.page_setup.scale or 100
    assert scale >= LEAST_SCALE, scale
    assert print_scale(widths(ws), landscape) >= scale, (print_scale(widths(ws), landscape), scale)


def name_held(path: Path, font_size: float = 11, names: tuple[str, ...] = (FIVE, SIX)) -> None:
    ws, _, cols = table(path)
    width = widths(ws)[cols["户主姓名"] - 1]
    # A five-character name needs about two of Excel's characters a character, and the cell's padding.
    assert width >= line_width(FIVE, font_size), width
    assert printed_lines(list(names), width, font_size).max() == 1, width
    fits_across(ws)


def test_the_visit_form_prints_a_five_character_and_a_dotted_name_on_one_line(county):
    """入户核实 at its least scale (its 申报收入 column): the name takes its room from the columns
    written by hand (核实人, 核实日期), each still holding its header on one line."""
    path = next((county / "docs-2019-verify").glob("*/*.xlsx"))
    name_held(path)
    ws, _, cols = table(path)
    for header in ("核实人", "核实日期"):
        assert printed_lines([header], widths(ws)[cols[header] - 1]).max() == 1, (header, widths(ws))


# The 帮扶措施 form keeps its name column (9): at its least scale (90 %), its dates whole and 帮扶类型 and
# 帮扶责任人 on two lines, it has no width to give (test_form_pages, test_measures_returned_more).
def test_the_roster_prints_a_five_character_and_a_dotted_name_on_one_line(county):
    name_held(county / "花名册.xlsx", font_size=10)


def test_the_overview_prints_every_check_code_on_one_line(county):
    ws = openpyxl.load_workbook(county / "checked" / "quality.xlsx")[label("sheet_overview", "zh")]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == label("code", "zh"))
    codes = [str(ws.cell(r, 2).value) for r in range(header + 1, ws.max_row + 1) if ws.cell(r, 2).value]
    assert "costs_exceed_business_income" in codes
    column = widths(ws)[1]
    assert column >= max(map(line_width, codes)), column
    assert printed_lines(codes, column).max() == 1, column
    # The counts' headers above the table whole too: 有错误的户数, not 有错误的户 over 数.
    counts = next(r for r in range(1, header) if ws.cell(r, 4).value == label("households_with_errors", "zh"))
    assert printed_lines([ws.cell(counts, 4).value], widths(ws)[3]).max() == 1, widths(ws)[3]
    fits_across(ws)


def test_a_fix_list_prints_its_one_word_headers_whole(county):
    path = next((county / "checked").rglob("*问题清单*.xlsx"))
    ws, header, cols = table(path, "序号")
    given = widths(ws)
    assert printed_lines(["严重程度"], given[cols["严重程度"] - 1]).max() == 1, given[cols["严重程度"] - 1]
    for text, col in cols.items():
        if " " not in text:
            assert printed_lines([text], given[col - 1]).max() == 1, (text, given[col - 1])
    assert ws.row_dimensions[header].height >= printed_height(1)[()]
    fits_across(ws)


def test_the_run_sheet_header_row_holds_its_words(county):
    ws = openpyxl.load_workbook(county / "out2019" / "summary.xlsx")[label("sheet_run", "zh")]
    assert [ws["A1"].value, ws["B1"].value] == [label("run_key", "zh"), label("run_value", "zh")]
    # As tall as a line of 11-point text and its padding, as the rows below it.
    assert (ws.row_dimensions[1].height or 0) >= float(printed_height(1)), ws.row_dimensions[1].height
