"""The forms a village fills in by hand, as they print. An outside try printed the 入户核实 form of 158
households on 54 pages: each row sized for ten lines of 申报收入 (工资 10269.42 two lines of a 14-wide
column, and every other line counted two), two or three households a page. The 帮扶措施 form printed its
10-point text at 81 % (8.1 points on paper), its 开始日期 split (2020-01-/15), and neither form's
amounts had thousands separators (工资 11244.92, 12500.00) where the 花名册 prints 12,500元."""

from __future__ import annotations

import math

import openpyxl

from print_size import column_widths, printed_points
from register_builders import fill, household_table, meeting, rows_by_seq
from survey_builders import make_id
from years_builders import MeasureForm, register_everyone, run, survey
from edgescreen.outputs.xlsx import HEIGHT_SLACK, page_body, printed_height, printed_lines

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}


def _people(count: int, fen: bool) -> list[dict]:
    """`count` candidates of one village, each declaring the four parts and costs: in whole yuan as a
    survey types them, or with fen (工资 11244.92); net 13,600 or so for 4 residents, about 3,400 each."""
    cents = 0.92 if fen else 0
    return [{**VILLAGE, "村民小组": f"{i % 9 + 1}组", "户主姓名": f"户{i}", "家庭人口数": 4, "家庭常住人口数": 4,
             "户主身份证号": make_id(birth=f"19{60 + i % 30}0101", serial=100 + i),
             "工资性收入": 12400 + i + cents, "家庭经营收入": 2500 + cents, "财产性收入": 300,
             "转移性收入": 1400 + cents, "家庭经营费用支出": 3000 + cents, "主要困难": "因病"} for i in range(count)]


def _visit_form(tmp_path, people: list[dict]):
    """The 入户核实 form of `people` screened into a new register, after a meeting that agreed on all:
    (its path, the register)."""
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "调查.xlsx", people), "-o", tmp_path / "筛查", "--register", db,
        "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "文书")
    review = sorted((tmp_path / "文书" / "1-民主评议").glob("*.xlsx"))
    for doc in review:
        fill(doc, default=("同意", ""), form=meeting("2019-11-25"))
    run("register", "record", db, *review)
    run("register", "next", db, "--date", "2019-11-26", "-o", tmp_path / "文书", "--force")
    (form,) = sorted((tmp_path / "文书" / "2-入户核实").glob("*.xlsx"))
    return form, db


def _table(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    header, cols = household_table(ws)
    return ws, header, cols, sorted(rows_by_seq(ws, header, cols["序号"]).values())


def _chars(ws, col: int) -> float:
    """A column's width in characters as written (xlsxwriter stores its pixels' width, 5 pixels more)."""
    return column_widths(ws)[col - 1] - 5 / 7


def _households_a_page(ws, header: int, body: list[int]) -> int:
    """The households a later page holds at the tallest row: the page's printable height at the sheet's
    scale, less the repeated header, over the rows' height."""
    room = page_body(landscape=ws.page_setup.orientation == "landscape")[1] * 100 / ws.page_setup.scale - HEIGHT_SLACK
    return math.floor((room - ws.row_dimensions[header].height) / max(ws.row_dimensions[r].height for r in body))


def _declared_fits(ws, cols: dict, body: list[int]) -> None:
    """Each 申报收入 cell's lines, laid out at its column's width, fit its row; the longest the most."""
    col = cols["申报收入(元)"]
    texts = [ws.cell(r, col).value for r in body]
    lines = printed_lines(texts, _chars(ws, col), 11)
    for r, n in zip(body, lines):
        assert float(printed_height(n, 11)) <= ws.row_dimensions[r].height, (ws.cell(r, col).value, n)
    assert lines.max() == len(max(texts, key=len).split("\n")), "each line of the cell on one line of paper"


def test_the_visit_form_of_sixty_households_prints_eight_or_more_a_page_at_9_points(tmp_path):
    form, db = _visit_form(tmp_path, _people(60, fen=False))
    ws, header, cols, body = _table(form)
    assert len(body) == 60
    # The parts two a line, thousands separated: three lines a household.
    first = ws.cell(body[0], cols["申报收入(元)"]).value
    assert first.split("\n") == ["工资 12,400  经营 2,500", "财产 300  转移 1,400", "支出 3,000"], first
    _declared_fits(ws, cols, body)
    assert _households_a_page(ws, header, body) >= 8, _households_a_page(ws, header, body)
    assert printed_points(ws, header + 1) >= 9, printed_points(ws, header + 1)
    # 人均纯收入 is a number, printed with its separator.
    assert "#,##0.00" in ws.cell(body[0], cols["人均纯收入(元)"]).number_format
    # Filled in and returned, the printed amounts read as printed: recorded, nothing refused.
    fill(form, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    said = " ".join(run("register", "record", db, form).output.split())
    assert "已登记" in said and "不一致" not in said and "改动" not in said, said


def test_a_visit_form_of_amounts_with_fen_sizes_its_rows_for_the_lines_they_print(tmp_path):
    """工资 11,244.92 two a line would print under 9 points: one a line, each on one line of paper, and
    the row as tall as those five lines (it was sized for ten)."""
    form, db = _visit_form(tmp_path, _people(40, fen=True))
    ws, header, cols, body = _table(form)
    first = ws.cell(body[0], cols["申报收入(元)"]).value
    assert first.split("\n") == ["工资 12,400.92", "经营 2,500.92", "财产 300", "转移 1,400.92", "支出 3,000.92"], first
    _declared_fits(ws, cols, body)
    assert {ws.row_dimensions[r].height for r in body} == {float(printed_height(5, 11))}
    assert printed_points(ws, header + 1) >= 9, printed_points(ws, header + 1)
    # A copy that typed the printed parts again without their separators still reads as printed.
    book = openpyxl.load_workbook(form)
    sheet = book[ws.title]
    sheet.cell(body[0], cols["申报收入(元)"]).value = first.replace(",", "")
    book.save(form)
    fill(form, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    said = " ".join(run("register", "record", db, form).output.split())
    assert "已登记" in said and "不一致" not in said and "改写" not in said, said


def test_the_measure_form_prints_at_9_points_its_dates_whole_and_its_amounts_separated(tmp_path):
    people = [{**VILLAGE, "村民小组": "一组", "户主姓名": f"户{i}", "主要困难": "因病",
               "户主身份证号": make_id(birth="19700101", serial=300 + i)} for i in range(6)]
    db = register_everyone(tmp_path, people)
    run("register", "measures", db, "--date", "2020-01-10", "-o", tmp_path / "措施")
    (path,) = sorted((tmp_path / "措施").rglob("*.xlsx"))
    ws, header, cols, body = _table(path)
    assert printed_points(ws, header + 1) >= 9, printed_points(ws, header + 1)
    for key in ("开始日期", "结束日期"):
        assert printed_lines(["2020-01-15"], _chars(ws, cols[key]), 10)[0] == 1, key
    # An amount typed 12500 and one typed 12,500: both read, and printed back with the separator.
    form = MeasureForm(path)
    form.add("户0", 帮扶类型="就业", 帮扶内容="公益岗位工资", 开始日期="2020-01-15", 金额=12500, 帮扶责任人="王干部")
    form.add("户1", 帮扶类型="教育", 帮扶内容="助学金", 开始日期="2020-01-15", 金额="12,500", 帮扶责任人="王干部")
    said = " ".join(run("register", "record", db, form.save(tmp_path / "交回.xlsx")).output.split())
    assert "2 户" in said or "2 项" in said, said
    run("register", "measures", db, "--date", "2020-02-10", "-o", tmp_path / "措施2")
    (again,) = sorted((tmp_path / "措施2").rglob("*.xlsx"))
    ws, header, cols, body = _table(again)
    amounts = [ws.cell(r, cols["金额(元)"]) for r in range(header + 1, ws.max_row + 1)
               if ws.cell(r, cols["金额(元)"]).value is not None]
    assert [c.value for c in amounts] == [12500, 12500], [c.value for c in amounts]
    assert all(c.number_format.startswith("#,##0.00") for c in amounts), [c.number_format for c in amounts]
    assert printed_points(ws, header + 1) >= 9
    # Returned as printed: nothing new, nothing changed (the printed 12,500.00 reads as 12500).
    said = " ".join(run("register", "record", db, MeasureForm(again).save(tmp_path / "交回2.xlsx")).output.split())
    assert "没有改动" in said, said
