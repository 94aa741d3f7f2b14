"""Recording the register's documents: findings of the outside tester (2026-12-03) on amendments
after later steps, several objections to one household, a meeting date put right as a household's
history shows it, a meeting nobody attended and an objection's list number typed with its 号.
Each builds the small county of test_register and takes it through the procedure."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq, table_rows
from test_register import IDS, Walk, _by_name, refused, run


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _decision_cell(path, name: str) -> str:
    """The 评议结果 cell of `name`'s row, as a refusal names it (H6)."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header, cols = household_table(ws)
    row = next(r for r in rows_by_seq(ws, header, cols["序号"]).values()
               if ws.cell(r, cols["户主姓名"]).value == name)
    return ws.cell(row, cols["评议结果"]).coordinate


def test_a_registered_household_turned_down_by_a_late_amendment_is_refused(walk):
    """赵四, 同意 at 前岗村's meeting and on the register by its 公告, amended to 不同意. Before: 已更正, and
    赵四 silently left the 花名册, 'taken off at the meeting' of a month before. Now refused, naming the
    cell and the exit procedure; before the 公告 (the village at 入户核实) refused too, saying where a
    turn-down still belongs."""
    walk.through("announcement")
    paper = walk.doc("review", "前岗村")
    fill(paper, decisions=_by_name(paper, {"赵四": ("不同意", "会后查实家中有轿车")}))
    cell = _decision_cell(paper, "赵四")
    sheet = openpyxl.load_workbook(paper).worksheets[0].title
    said = " ".join(refused(walk, paper, extra=["--amend", "--reason", "会后查实"], words=[]).split())
    assert (f"合隆镇-前岗村-民主评议.xlsx 「{sheet}」{cell}:「赵四」在民主评议中登记为「同意」,"
            "本村已办到「公告」,该户已在册") in said, said
    assert "不能再改为「不同意」" in said and "退出程序" in said, said
    run("register", "export", walk.db, "-o", walk.tmp / "花名册.xlsx")
    roster = [c for row in openpyxl.load_workbook(walk.tmp / "花名册.xlsx").worksheets[0].iter_rows(values_only=True)
              for c in row]
    assert "赵四" in roster


def test_a_household_turned_down_after_its_village_went_further_is_refused(walk):
    walk.through("verify")
    paper = walk.doc("review", "前岗村")
    fill(paper, decisions=_by_name(paper, {"王一": ("不同意", "会后查实有轿车")}))
    said = " ".join(refused(walk, paper, extra=["--amend", "--reason", "会后查实"], words=[]).split())
    assert "「王一」在民主评议中登记为「同意」,本村已办到「入户核实」,之后的文书都列有这一户" in said, \
        said
    assert _decision_cell(paper, "王一") in said
    english = " ".join(walk.record(paper, code=2, extra=["--amend", "--reason", "x", "--lang", "en"]).output.split())
    assert "王一: recorded as “agree” at democratic review, and the village has reached" in english, english


def test_a_meeting_with_nobody_present_is_refused(walk):
    """实到人数 0 of 35 expected was recorded (35 of 30 was refused)."""
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019-11-25", 实到人数=0))
    said = " ".join(refused(walk, docs[0], words=["实到人数为 0"]).split())
    assert "「会议记录」" in said, said
    fill(docs[0], form={"实到人数": "28人"})
    walk.record(docs[0])


def test_an_objection_by_its_list_number_typed_with_hao(walk):
    """An objection with 名单序号 '3号' and the name left empty was refused as having no name (at the
    name's cell B4). A list number is written with its 号 as a count with its 人: 3号 is no. 3
    (赵四 on 前岗村's list). One that is no number is refused at its own cell, saying so."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    assert [r["户主姓名"] for r in table_rows(paper)][2] == "赵四"
    fill(paper, objections=[(None, "说他家有车", "不成立", "2019-12-05", "三号")])
    said = " ".join(refused(walk, paper, words=[]).split())
    assert "「异议处理」A4:「名单序号」填的是「三号」,不是名单序号" in said, said
    assert "B4" not in said, said
    fill(paper, objections=[(None, "说他家有车", "不成立", "2019-12-05", "3号")])
    walk.record(*docs)
    history = run("register", "history", walk.db, "--id", IDS["赵四"]).output
    assert "说他家有车" in history, history


def test_an_objection_with_a_name_and_a_list_number_that_does_not_read_is_refused(walk):
    """名单序号 '三' beside the name 赵四 was passed over and the row matched by the name alone: the
    number typed may be another household's. Now refused at the number's own cell; emptied, the
    name alone is taken."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    fill(paper, objections=[("赵四", "说他家有车", "不成立", "2019-12-05", "三")])
    said = " ".join(refused(walk, paper, words=[]).split())
    assert "「异议处理」A4:「名单序号」填的是「三」,不是名单序号" in said, said
    assert "此格清空则按户主姓名「赵四」对应" in said, said
    fill(paper, objections=[("赵四", "说他家有车", "不成立", "2019-12-05", "")])
    walk.record(*docs)
    history = run("register", "history", walk.db, "--id", IDS["赵四"]).output
    assert "说他家有车" in history, history


def _objection_events(walk, name: str) -> list[tuple]:
    con = sqlite3.connect(walk.db)
    try:
        return con.execute("SELECT e.field, e.new, e.effective FROM events e "
                           "JOIN screened s ON s.household = e.household WHERE s.head_name = ? "
                           "AND e.field LIKE 'objection%' AND e.new IS NOT NULL ORDER BY e.id",
                           (name,)).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("reverse", [False, True])
def test_two_objections_to_one_household_are_each_recorded(walk, reverse):
    """Two objections to 张三 at 前岗村's first publicity: 有经营性收入 upheld on 12-05, 有楼房 dismissed
    on 12-06. Before: one record '举报有经营性收入;说他家有楼房 · 成立' dated 12-06, the dismissed one
    reading as upheld. Now each with its content, outcome and day; the upheld one the reason he left
    (whichever comes first on the sheet); history shows both."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    both = [("张三", "举报有经营性收入", "成立", "2019-12-05"), ("张三", "说他家有楼房", "不成立", "2019-12-06")]
    fill(paper, objections=both[::-1] if reverse else both)
    walk.record(*docs)
    assert _objection_events(walk, "张三") == [
        ("objection", "举报有经营性收入", "2019-12-05"), ("objection_result", "upheld", "2019-12-05"),
        ("objection_2", "说他家有楼房", "2019-12-06"), ("objection_result_2", "dismissed", "2019-12-06")]
    history = run("register", "history", walk.db, "--id", IDS["张三"]).output
    lines = [" ".join(x.split()) for x in history.splitlines()]
    for line in ("2019-12-05 第一次公示 · 异议内容:举报有经营性收入", "2019-12-05 第一次公示 · 处理结果:成立",
                 "2019-12-06 第一次公示 · 异议内容:说他家有楼房", "2019-12-06 第一次公示 · 处理结果:不成立"):
        assert line in lines, history
    assert "举报有经营性收入;" not in history and "说他家有楼房;" not in history, history
    status = run("register", "status", walk.db, "--as-of", "2019-12-08").output
    left = next(x for x in status.splitlines() if "张三" in x)
    assert left.rstrip().endswith("第一次公示 2019年12月5日:举报有经营性收入"), status  # its 处理日期


def test_an_objection_settled_after_the_period_holds_the_village_though_another_was_upheld(walk):
    """张三's upheld objection settled on 12-05, his dismissed one on 12-09 (after the period, 12-07):
    the township review waits for the 9th. Taking the second one off by --amend blanks it, an event
    with the reason, and the village goes on from the period's end."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    paper = walk.doc("publicity1", "前岗村")
    fill(paper, objections=[("张三", "举报有经营性收入", "成立", "2019-12-05"),
                            ("张三", "说他家有楼房", "不成立", "2019-12-09")])
    walk.record(*docs)
    walk.issue("township_review", date="2019-12-08")
    assert "合隆镇前岗村:「第一次公示」中的异议到 2019-12-09 才处理完" in " ".join(walk.next_result.output.split())
    wb = openpyxl.load_workbook(paper)
    for cell in wb["异议处理"][5]:
        cell.value = None
    wb.save(paper)
    said = walk.record(paper, extra=["--amend", "--reason", "第二条异议系重复登记"]).output
    assert "已更正" in said, said
    history = " ".join(run("register", "history", walk.db, "--id", IDS["张三"]).output.split())
    assert "异议内容:说他家有楼房 → 无异议" in history and "第二条异议系重复登记" in history, history
    # A fact recorded once reads as its value, amendments beside it or not (was '(空) → 同意').
    assert "评议结果:同意" in history and "(空) →" not in history, history
    assert ("objection", "举报有经营性收入", "2019-12-05") in _objection_events(walk, "张三")
    again = run("register", "next", walk.db, "--date", "2019-12-08", "-o", walk.tmp / "again").output
    assert "异议到" not in again, again


def test_history_shows_a_meeting_date_put_right(walk):
    """前岗村's meeting date put right from 11-25 to 11-26 by --amend. Before: register history of 王一
    dated his 同意 11-25 and showed neither the change nor its reason (the 花名册 had 11-26). Now his
    result on the date in force and the village's change, with who, the command and why."""
    walk.through("verify")
    paper = walk.doc("review", "前岗村")
    fill(paper, form=meeting("2019-11-26"))
    walk.record(paper, extra=["--amend", "--reason", "会议日期写错"])
    lines = [" ".join(x.split()) for x in run("register", "history", walk.db, "--id", IDS["王一"]).output.splitlines()]
    assert "2019-11-26 民主评议 · 评议结果:同意" in lines, lines
    assert "2019-11-25 民主评议 · 评议结果:同意" not in lines, lines
    at = lines.index("2019-11-26 民主评议 · 会议时间(全村):2019-11-25 → 2019-11-26")
    assert "register record --amend" in lines[at + 1] and "更正:会议日期写错" in lines[at + 1], lines
    english = run("register", "history", walk.db, "--id", IDS["王一"], "--lang", "en").output
    assert "meeting date (the village's): 2019-11-25 → 2019-11-26" in " ".join(english.split()), english
    # A village that kept its date shows no change.
    other = run("register", "history", walk.db, "--id", IDS["钱五"]).output
    assert "2019-11-25  民主评议" in other and "(全村)" not in other, other


def test_history_after_a_meeting_date_put_earlier_is_in_date_order_with_each_fact_on_the_date_in_force(walk):
    """前岗村's meeting put right from 11-25 to 11-24. Before: 李二's 不同意 showed on 11-24 but its 备注
    (the reason recorded with it) stayed on 11-25, and the village's change, recorded last, came
    after the visits of 11-27. Now the reason is on 11-24 too, and the history reads in date order."""
    walk.through("verify")
    paper = walk.doc("review", "前岗村")
    fill(paper, form=meeting("2019-11-24"))
    walk.record(paper, extra=["--amend", "--reason", "会议日期写错"])
    said = run("register", "history", walk.db, "--id", IDS["李二"]).output
    lines = [" ".join(x.split()) for x in said.splitlines()]
    dated = [x for x in lines if x[:4] == "2019" and " · " in x]
    assert "2019-11-24 民主评议 · 备注:家中有小轿车" in dated, said
    assert not any(x.startswith("2019-11-25") for x in dated), said
    assert [x[:10] for x in dated] == sorted(x[:10] for x in dated), said
    assert "2019-11-24 民主评议 · 会议时间(全村):2019-11-25 → 2019-11-24" in dated, said
    # 王一 was visited on 11-27: the meeting's change, recorded after the visits, comes before them.
    said = run("register", "history", walk.db, "--id", IDS["王一"]).output
    dated = [" ".join(x.split()) for x in said.splitlines() if x[:4] == "2019" and " · " in x]
    assert [x[:10] for x in dated] == sorted(x[:10] for x in dated), said
    assert dated[0] == "2019-11-24 民主评议 · 评议结果:同意" and dated[-1].startswith("2019-11-27 入户核实"), said


def test_a_document_saved_as_csv_is_refused_saying_so(walk):
    """Found by an outside try: a filled 评议表 saved from WPS as CSV was refused as 'cannot be
    opened as a workbook (damaged, or not an Excel file)', and a folder of such files as holding no
    documents, the CSVs unnamed. Now both say it is a text table and to record the .xlsx."""
    paper = walk.issue("review")[0]
    folder = walk.tmp / "存为CSV"
    folder.mkdir()
    text = folder / "合隆镇-前岗村.csv"
    rows = openpyxl.load_workbook(paper).worksheets[0].iter_rows(values_only=True)
    text.write_text("\n".join(",".join("" if v is None else str(v) for v in row) for row in rows), encoding="gbk")
    said = " ".join(refused(walk, text, words=[]).split())
    assert "合隆镇-前岗村.csv:这是文本表格(CSV 等),不是 edgescreen 打印的文书" in said, said
    assert "无法作为工作簿打开" not in said, said
    result = walk.record(folder, code=2)
    said = " ".join(result.output.split())
    assert "文件夹里没有文书,只有文本表格(合隆镇-前岗村.csv)" in said, said
