"""A village signs and seals a returned list at the foot of its page (an outside try): a line typed
under the table, 「村"两委"(盖章)  村党支部书记:张国庆  村委会主任:李明  2020年11月20日」 or 「审核人:王丽
2020.11.20」, or the printed signature line with the names written in, was recorded as the village's
附注 on a 民主评议 or 入户核实 list, refused as a row without 序号 when typed under 户主姓名, and refused as
something written on a 公示's list or as an objection on its 异议处理 sheet. It is the list signed:
passed over quietly. A household typed under it (a name and an ID) is still refused, and a 备注 line
still recorded."""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell

from register_builders import fill, household_table, meeting, rows_by_seq
from edgescreen.register.documents import OBJECTION_ROWS
from test_register import IDS, Walk, _by_name, refused

SEALED = '村"两委"(盖章)  村党支部书记:张国庆  村委会主任:李明  2020年11月20日'
REVIEWED = "审核人:王丽 2020.11.20"


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _remarks(walk: Walk) -> list[tuple]:
    with sqlite3.connect(walk.db) as con:
        return con.execute("SELECT household, step, village, new FROM events WHERE field = 'remark'").fetchall()


def _below(path, lines: dict, *, sheet: str | None = None, gap: int = 1) -> int:
    """Type under a sheet's table (the list, or `sheet`): {(row offset, header or column number): value},
    offset 0 the first row left blank `gap` rows below the last filled one (the printed signature and
    seal lines included). Returns that row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    cols = household_table(ws)[1] if any(isinstance(where, str) for _, where in lines) else {}
    last = max(r for r in range(1, ws.max_row + 1)
               if any(ws.cell(r, c).value not in (None, "") for c in range(1, ws.max_column + 1)))
    for (down, where), value in lines.items():
        ws.cell(last + gap + down, cols[where] if isinstance(where, str) else where).value = value
    wb.save(path)
    return last + gap


def _names_written_in(path) -> None:
    """The printed signature and seal lines signed: the names written into their cells."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.endswith(("(签字):", "(盖章):", "(盖章)")):
                c.value += "张国庆"
    wb.save(path)


def _said(result) -> str:
    return " ".join(result.output.split())


def test_signatures_under_the_review_and_visit_lists_are_no_remark(walk):
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日"))
    _below(walk.doc("review", "前岗村"), {(0, 1): SEALED, (1, 1): REVIEWED})
    # Under 户主姓名, right under the last household: it was a row added without its 序号.
    wb = openpyxl.load_workbook(walk.doc("review", "青山村"))
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    ws.cell(max(rows_by_seq(ws, header, cols["序号"]).values()) + 1, cols["户主姓名"]).value = REVIEWED
    wb.save(walk.doc("review", "青山村"))
    _names_written_in(walk.doc("review", "三宝村"))
    said = _said(walk.record(*docs))
    assert "民主评议:登记 9 户" in said, said
    assert "附注" not in said and "打印时没有的内容" not in said and "没有序号" not in said, said

    docs = walk.issue("verify")
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    # The signature line across cells, its day a date cell; and a 备注 line, which is still a remark.
    _below(walk.doc("verify", "前岗村"), {(0, 1): "填表人:", (0, 2): "王丽", (0, 6): "审核人:张国庆",
                                          (0, 9): dt.datetime(2019, 11, 27),
                                          (1, 1): "备注:第1户户主外出打工,由其妻子接受核实"})
    _below(walk.doc("verify", "青山村"), {(0, 1): "乡镇干部(签字):张乡长、李干事  驻村工作队(签字):王五"})
    _names_written_in(walk.doc("verify", "三宝村"))
    said = _said(walk.record(*docs))
    assert "有 1 处打印时没有的内容(如「备注:第1户户主外出打工,由其妻子接受核实」)" in said, said
    assert [r[1:] for r in _remarks(walk)] == [("verify", "前岗村", "备注:第1户户主外出打工,由其妻子接受核实")]


def test_a_household_typed_under_the_signature_is_still_refused(walk):
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    doc = walk.doc("review", "前岗村")
    at = _below(doc, {(0, 1): SEALED, (1, "户主姓名"): "富贵", (1, "身份证号"): IDS["富贵"]})
    refused(walk, *docs, words=[f"「评议名单」A{at + 1}:「富贵」这一行没有序号"])


def test_signatures_on_a_publicity_its_objections_and_its_posting_are_passed_over(walk):
    walk.through("verify")
    docs = walk.issue("publicity1")
    qiangang = walk.doc("publicity1", "前岗村")
    fill(qiangang, objections=[("张三", "举报有经营性收入", "成立", "2019-12-05")],
         form={"张贴日期": "2019-12-01", "张贴地点": "村务公开栏"})
    _names_written_in(qiangang)
    _below(qiangang, {(0, 1): "村党支部书记:张国庆  村委会主任:李明", (0, 4): "2019年12月8日"})
    # In the 异议处理 table's blank rows, after its objection; on 青山村's, under the table (8 rows printed).
    _below(qiangang, {(0, "户主姓名"): "填表人:王丽", (0, "处理日期"): "2019.12.08"}, sheet="异议处理", gap=2)
    _below(qiangang, {(0, 1): REVIEWED}, sheet="张贴记录")
    qingshan = walk.doc("publicity1", "青山村")
    _below(qingshan, {(0, 1): SEALED})
    _below(qingshan, {(0, 1): "负责人:李明", (0, 4): "2019年12月8日"}, sheet="异议处理", gap=OBJECTION_ROWS + 2)
    sanbao = walk.doc("publicity1", "三宝村")
    wb = openpyxl.load_workbook(sanbao)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    ws.cell(max(rows_by_seq(ws, header, cols["序号"]).values()) + 1, cols["户主姓名"]).value = REVIEWED
    wb.save(sanbao)
    said = _said(walk.record(*docs))
    assert "登记簿没有任何改动" not in said and "名单上写了" not in said and "没有序号" not in said, said
    with sqlite3.connect(walk.db) as con:
        objections = con.execute("SELECT new FROM events WHERE step = 'publicity1' AND field LIKE 'objection%'"
                                 " AND new IS NOT NULL").fetchall()
    assert sorted(objections) == [("upheld",), ("举报有经营性收入",)]


def test_the_seal_line_of_the_announcement_signed_is_passed_over(walk):
    walk.through("county_review")
    docs = walk.issue("announcement")
    for p in docs:
        fill(p, form={"张贴日期": "2019-12-21", "张贴人": "李会计", "张贴地点": "村务公开栏"})
        _names_written_in(p)
        _below(p, {(0, 1): "农安县扶贫开发领导小组办公室(盖章)  二〇一九年十二月二十一日"})
    said = _said(walk.record(*docs))
    assert "公告:" in said and "张贴的名单上写了" not in said and "登记簿没有任何改动" not in said, said


def test_a_remark_that_looks_signed_is_kept(walk):
    """An upgrade part-way through a round (an outside try): 「审核:户主去世」 and 「负责人:陈春已迁」 typed
    under a list read as a role and a name of four characters, and were passed over as signatures: a
    village's note about a household lost without a word, the household on to the register; under a
    公示's list the same line, refused before as something written on it, was taken silently. What no
    name holds (fields.toml not_a_name: 去世, 已 …) makes it a remark, kept and said, or refused."""
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    _below(walk.doc("review", "前岗村"), {(0, 1): SEALED, (1, 1): "审核:户主去世", (2, 1): "负责人:陈春已迁",
                                          (3, 1): "村主任:王五已故"})
    said = _said(walk.record(*docs))
    assert "有 3 处打印时没有的内容" in said, said
    kept = [r[3] for r in _remarks(walk)]
    assert len(kept) == 1 and all(t in kept[0] for t in ("审核:户主去世", "负责人:陈春已迁", "村主任:王五已故")), kept
    assert "张国庆" not in kept[0], kept  # the seal line signed is still the list signed


def test_a_remark_that_looks_signed_under_a_publicitys_list_is_refused(walk):
    walk.through("verify")
    docs = walk.issue("publicity1")
    for p in docs:
        fill(p, form={"张贴日期": "2019-12-01", "张贴地点": "村务公开栏"})
    _below(walk.doc("publicity1", "前岗村"), {(0, 1): "审核:户主去世"})
    refused(walk, *docs, words=["公示名单上写了「审核:户主去世」"])


def test_attendees_under_an_older_lists_meeting_record_are_kept(walk):
    """A 民主评议 printed by a version whose 会议记录 had no 参会人员 or 发言记录 (their rows taken out here), the
    attendees typed under the list as that version kept them: they were skipped as the 参会人员 field's
    words, which is read on the 会议记录 sheet alone: lost, the clerk told 参会人员没有登记. Kept as the
    village's remark now; and with the 会议记录 sheet renamed, its other fields still read there."""
    docs = walk.issue("review")
    for p in docs:
        values = {k: v for k, v in meeting("2019年11月25日").items() if k not in ("参会人员", "发言记录")}
        fill(p, default=("同意", ""), form=values)
        wb = openpyxl.load_workbook(p)
        ws = wb["会议记录"]
        for row in list(ws.iter_rows()):
            if row[0].value in ("参会人员", "发言记录"):
                for c in row:
                    if not isinstance(c, MergedCell):
                        c.value = None
        ws.title = "评议会议记录"  # renamed by the clerk
        wb.save(p)
    _below(walk.doc("review", "前岗村"), {(0, 1): "参会人员:王德发、李会计、刘玉兰等村民代表31人"})
    said = _said(walk.record(*docs))
    assert "民主评议:登记 9 户" in said and "印发时还没有「参会人员」一栏" in said, said
    assert [r[3] for r in _remarks(walk)] == ["参会人员:王德发、李会计、刘玉兰等村民代表31人"]
