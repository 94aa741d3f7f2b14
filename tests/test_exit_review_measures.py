"""The 退出民主评议 list shows each household's 帮扶: the measures of its stay on the register, briefly (type
and start year, a line each; 无 for none), for the meeting to weigh what support a household received
before it leaves. Before: the list printed 序号 … 拟退出原因 only (an outside try of 帮扶 over two years
noted it). The column is printed text, not read back: the list filled in is recorded, and so is one
printed before the column (here: the column taken out)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from register_builders import fill, meeting
from survey_builders import make_id
from test_years import copy_db
from years_builders import MeasureForm, register_everyone, run, survey
from edgescreen.outputs.xlsx import column_points, line_width, page_body

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
PEOPLE = [{**VILLAGE, "户主姓名": name, "户主身份证号": make_id(birth=f"1970010{i}", serial=400 + i), "户编号": f"HB{i}"}
          for i, name in enumerate(["马金", "牛银", "杨铜"], start=1)]
# 马金: two 产业扶持 begun in 2020 (worded once), one just after entering (2019-12-27), 公益岗位 in 2020.
# 牛银: none, and now a 低保 household (an exit without a measure). 杨铜: stays in the band.
MEASURES = [("马金", "产业扶持", "庭院经济", "2019-12-28"), ("马金", "公益岗位", "护林员", "2020-05-01"),
            ("马金", "产业扶持", "肉牛养殖", "2020-03-01"), ("马金", "产业扶持", "大棚", "2020-08-01"),
            ("杨铜", "技术指导", "种植技术培训", "2020-04-01")]


@pytest.fixture(scope="module")
def exiting(tmp_path_factory):
    """The three on the register from 2019-12-27, their measures recorded, and the 2020 survey: 马金
    above the upper bound with measures, 牛银 now 低保: both proposed to leave."""
    tmp = tmp_path_factory.mktemp("exit_measures")
    db = register_everyone(tmp, PEOPLE)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp / "forms")
    form = MeasureForm(next((tmp / "forms").glob("*.xlsx")))
    for name, kind, content, start in MEASURES:
        form.add(name, 帮扶类型=kind, 帮扶内容=content, 开始日期=start, 帮扶责任人="王干部")
    run("register", "record", db, form.save())
    source = survey(tmp / "2020.xlsx", [{**PEOPLE[0], "工资性收入": 13500}, {**PEOPLE[1], "是否低保户": "是"},
                                        {**PEOPLE[2], "工资性收入": 10500}])
    run("screen", source, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    return db


def exit_review(exiting, tmp_path):
    db = copy_db(exiting, tmp_path / "农安县.db")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    return db, next((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))


def table(path):
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = next(r for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))
    cols = {c.value: c.column for c in header if c.value}
    rows = {ws.cell(r, cols["户主姓名"]).value: {h: ws.cell(r, c).value for h, c in cols.items()}
            for r in range(header[0].row + 1, ws.max_row + 1) if ws.cell(r, cols["户主姓名"]).value}
    return ws, header, cols, rows


def test_the_exit_review_lists_each_households_measures_briefly(exiting, tmp_path):
    _, review = exit_review(exiting, tmp_path)
    ws, header, cols, rows = table(review)
    assert set(rows) == {"马金", "牛银"}
    headers = [c.value for c in header]
    assert headers.index("帮扶措施") == headers.index("拟退出原因") + 1, headers
    # By their start, a type and year once, a line each: what the meeting weighs before the decision.
    assert rows["马金"]["帮扶措施"] == "产业扶持(2019)\n产业扶持(2020)\n公益岗位(2020)"
    assert rows["牛银"]["帮扶措施"] == "无"
    # A measure's type and year on one line, and the list still one landscape page wide.
    width = ws.column_dimensions[get_column_letter(cols["帮扶措施"])].width
    assert width >= line_width("产业扶持(2020)", 11), width
    widths = [ws.column_dimensions[get_column_letter(c.column)].width for c in header]
    assert sum(column_points(w - 0.71) for w in widths) * (ws.page_setup.scale or 100) / 100 <= page_body(True)[0]


def test_the_list_filled_in_is_recorded_and_so_is_one_printed_without_the_column(exiting, tmp_path):
    db, review = exit_review(exiting, tmp_path)
    fill(review, default=("同意", ""), form=meeting("2020-11-25"))
    out = " ".join(run("register", "record", db, review).output.split())
    assert "退出民主评议,合隆镇前岗村,2 户(其中不退出、继续帮扶 0 户)已登记" in out, out
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    verify = next((tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    assert set(table(verify)[3]) == {"马金", "牛银"}

    # A list printed before the column: the same list with the column taken out, filled and recorded.
    db, review = exit_review(exiting, tmp_path / "before")
    book = openpyxl.load_workbook(review)
    ws = book.worksheets[0]
    header = next(r for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))
    ws.delete_cols(next(c.column for c in header if c.value == "帮扶措施"))
    book.save(review)
    fill(review, default=("同意", ""), form=meeting("2020-11-25"))
    out = " ".join(run("register", "record", db, review).output.split())
    assert "退出民主评议,合隆镇前岗村,2 户(其中不退出、继续帮扶 0 户)已登记" in out, out
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "before" / "exit-2")
    verify = next((tmp_path / "before" / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    assert set(table(verify)[3]) == {"马金", "牛银"}
