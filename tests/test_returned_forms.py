"""Printed forms as villages returned them from WPS/Excel (outside tester, 2026-12-05): an upheld
objection written as a line of text on 异议处理, objections kept on a sheet of the village's own, the
exit review's own words (同意退出, 继续帮扶), another village's list pasted into a workbook, and notes
added on the 会议记录 sheet. Each builds the small county of test_register (the exit: test_years')."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from register_builders import fill, meeting
from test_register import Walk, dump, refused
from test_years import copy_db, county  # noqa: F401  (the module's county, a fixture)
from years_builders import run as years_run

UPHELD = "2组张三在县城有楼房,经村两委核实,异议成立(2019年12月5日)"


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _events(walk, sql: str) -> list[tuple]:
    con = sqlite3.connect(walk.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("cell", ["A4", "A12", "F4"])
def test_an_objection_written_as_a_line_of_text_is_refused(walk, cell):
    """Before: the line in 名单序号 (A4), under the table (A12) or beside it (F4) was passed over and the
    publicity recorded as 0 户移出, 张三 going on. Now refused at its cell, saying how to write it."""
    walk.through("verify")
    walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    wb = openpyxl.load_workbook(paper)
    wb["异议处理"][cell] = UPHELD
    wb.save(paper)
    said = " ".join(refused(walk, paper, words=[]).split())
    assert f"合隆镇-前岗村-第一次公示.xlsx 「异议处理」{cell}:这里写的是「{UPHELD}」,不在异议表的栏目里,没有读入" in said, said
    assert "「处理结果」写「成立」或「不成立」" in said, said


def test_a_no_objection_line_in_the_list_number_column_is_still_none(walk):
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    wb = openpyxl.load_workbook(paper)
    wb["异议处理"]["A4"] = "公示期间无异议"
    wb.save(paper)
    out = walk.record(*docs).output
    assert "「异议处理」第 4 行写的是「公示期间无异议」:按公示期间无异议登记" in out, out


def test_objections_on_a_sheet_of_the_village_are_refused(walk):
    """Before: a 异议登记 sheet of the village's own, 异议处理 left empty, was recorded as no objection
    and said nothing. Now refused at its first filled cell, saying to copy the rows onto 异议处理."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    wb = openpyxl.load_workbook(paper)
    ws = wb.create_sheet("异议登记")
    ws.append(["户主姓名", "异议内容", "处理结果", "处理日期"])
    ws.append(["张三", "县城有楼房", "成立", "2019-12-05"])
    wb.save(paper)
    said = " ".join(refused(walk, paper, words=[]).split())
    assert "合隆镇-前岗村-第一次公示.xlsx 「异议登记」A2:工作表「异议登记」记有异议" in said, said
    assert "请把这些行逐条抄到「异议处理」表上" in said, said
    for row in wb["异议登记"].iter_rows(min_row=2):
        for c in row:
            c.value = None  # a sheet with its header alone holds no objection: recorded
    wb.save(paper)
    walk.record(*docs)


def test_the_exit_review_takes_the_words_its_form_explains(county, tmp_path):  # noqa: F811
    """The form says 评议结果填"同意"(同意退出)或"不同意"(继续帮扶); before, 同意退出 and 继续帮扶
    were refused as neither 同意 nor 不同意."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    years_run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))[0]
    fill(review, default=("同意退出", ""), decisions={1: ("继续帮扶", "家中有病人,收入不稳定")},
         form=meeting("2020-11-25"))
    said = " ".join(years_run("register", "record", db, review).output.split())
    assert "(其中不退出、继续帮扶 1 户)已登记" in said, said
    con = sqlite3.connect(db)
    try:
        values = con.execute("SELECT new FROM events WHERE step = 'exit_review' AND field = 'decision'").fetchall()
    finally:
        con.close()
    assert {v for (v,) in values} == {"yes", "no"}, values


def _copy_sheet(source, book, title: str) -> None:
    ws = book.create_sheet(title)
    for row in source.iter_rows():
        for c in row:
            if c.value is not None:
                ws.cell(c.row, c.column).value = c.value


def test_another_villages_list_pasted_in_says_whose_it_is(walk):
    """青山村's filled list pasted as a sheet into 前岗村's workbook. Before: its households refused as
    名单外的农户, to survey and screen next time. Now: it is 青山村's list, to record on its own form."""
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019-11-25"))
    ours, theirs = walk.doc("review", "前岗村"), walk.doc("review", "青山村")
    book = openpyxl.load_workbook(ours)
    _copy_sheet(openpyxl.load_workbook(theirs).worksheets[0], book, "青山村")
    book.save(ours)
    said = " ".join(refused(walk, ours, words=[]).split())
    assert "「青山村」:工作表「青山村」是合隆镇青山村的名单(3 户,如「钱五」),不是这份文书的村(「合隆镇前岗村」)的" in said, said
    assert "请填在合隆镇青山村自己的「民主评议」文书(1-民主评议/合隆镇-青山村-民主评议.xlsx)上" in said, said
    assert "入户调查" not in said, said


def test_notes_on_the_meeting_record_are_kept_as_remarks(walk):
    """Before: attendees and 评议过程(续) under the 会议记录's fields, and a note beside one, were dropped
    without a word; the same on the list is kept as a remark (附注) and said. Now kept alike."""
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019-11-25"))
    paper = walk.doc("review", "前岗村")
    wb = openpyxl.load_workbook(paper)
    m = wb["会议记录"]
    # Under the fields and the signature line (row 13 since the record has 参会人员 and 发言记录).
    m["A15"] = "参会人员:王德发、李秀兰等21人"
    m["A16"] = "评议过程(续):李二户经代表讨论,家中有小轿车"
    m["G3"] = "会议地点临时改到村小学"
    m["A13"] = "主持人(签字):王德发"  # the printed signature line, signed: nothing added
    wb.save(paper)
    before = len(dump(walk.db))
    said = " ".join(walk.record(*docs).output.split())
    assert "注意:「会议记录」上有 3 处打印时没有的内容(如「会议地点临时改到村小学」),已作为附注记入登记簿" in said, said
    assert len(dump(walk.db)) > before
    remarks = _events(walk, "SELECT new FROM events WHERE field = 'remark' AND village = '前岗村'")
    assert len(remarks) == 1, remarks
    for text in ("参会人员:王德发、李秀兰等21人", "评议过程(续):李二户经代表讨论,家中有小轿车", "会议地点临时改到村小学"):
        assert text in remarks[0][0], remarks
    assert "签字" not in remarks[0][0] and "主持人" not in remarks[0][0], remarks
