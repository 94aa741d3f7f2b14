"""A returned form's printed columns found by the header the form was printed with, not by the first
header that begins like it (outside tester, 2026-12-07): a column a village added left of the printed
decision (评议结果2, 审核意见(包村干部), 核实结论(初核)) or of its reason (备注2) is a remark, never the
decision or the reason; two columns that may each be the printed one, neither headed as printed, are
refused naming both; another village's list in a village's workbook is said once as that. Each
builds the small county of test_register."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from register_builders import fill, household_table, meeting, rows_by_seq
from test_register import IDS, Walk, _by_name, dump, refused, run


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def flat(text: str) -> str:
    return "".join(text.split())


def history(walk: Walk, name: str) -> str:
    return flat(run("register", "history", walk.db, "--id", IDS[name]).output)


def add_column_left_of(path, printed: str, header: str, value, *, rename: str | None = None) -> tuple[str, str]:
    """A column `header` inserted left of the printed column `printed` (its header as household_table
    reads it), `value` in every household's cell, as a village does in WPS; with `rename`, the printed
    column's own header typed over. The two header cells (added, printed) as a refusal names them."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    c = cols[printed]
    for merged in list(ws.merged_cells.ranges):  # WPS moves merges with the cells; openpyxl does not
        ws.unmerge_cells(str(merged))
    ws.insert_cols(c)
    ws.cell(at, c).value = header
    for r in rows_by_seq(ws, at, cols["序号"]).values():
        ws.cell(r, c).value = value
    if rename is not None:
        ws.cell(at, c + 1).value = rename
    book.save(path)
    return f"{get_column_letter(c)}{at}", f"{get_column_letter(c + 1)}{at}"


def filled_review(walk: Walk, reason: str = "家中有小轿车"):
    """前岗村's 民主评议 filled the usual way: 李二 不同意 with its reason in 备注."""
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", reason)}),
             form=meeting("2019年11月25日"))
    return docs, walk.doc("review", "前岗村")


# ---------------------------------------------------------------------------------------------
# 1. A decision column added left of the printed one


def test_an_added_column_left_of_the_printed_decision_is_a_remark_not_the_decision(walk):
    """评议结果2, a first show of hands (all 同意), left of the printed 评议结果 that says 不同意 for
    李二: 同意 was recorded for every household and the meeting's 不同意 became a remark."""
    docs, doc = filled_review(walk)
    add_column_left_of(doc, "评议结果", "评议结果2", "同意")
    said = flat(walk.record(*docs).output)
    assert "民主评议,合隆镇前岗村,4户(其中未通过、移出名单1户)已登记" in said, said
    assert "如「评议结果2:同意」" in said, said
    trail = history(walk, "李二")
    assert "评议结果:不同意" in trail and "备注:家中有小轿车" in trail, trail
    assert "附注:评议结果2:同意" in trail, trail
    assert "评议结果:同意" not in trail, trail


def test_an_added_column_left_of_the_townships_decision_is_a_remark(walk):
    """审核意见(包村干部) left of the printed 审核意见: the township's 不通过 for 周七 was lost."""
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), decisions=_by_name(p, {"周七": ("不通过", "户籍不在本村")}),
             form={"审核日期": "2019-12-10", "审核人姓名": "李明"})
    add_column_left_of(walk.doc("township_review", "合隆镇"), "审核意见", "审核意见(包村干部)", "通过")
    walk.record(*docs)
    trail = history(walk, "周七")
    assert "审核意见:不通过" in trail and "理由:户籍不在本村" in trail, trail
    assert "附注:审核意见(包村干部):通过" in trail, trail


def test_an_added_column_left_of_the_visits_conclusion_is_a_remark(walk):
    """核实结论(初核) left of the printed 核实结论: refused, pointing at the added column."""
    walk.through("review")
    docs = walk.issue("verify")
    for p in docs:
        fill(p, default=("属实", ""), decisions=_by_name(p, {"孙六": ("不属实", "实际外出务工收入较高")}),
             rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    add_column_left_of(walk.doc("verify", "青山村"), "核实结论", "核实结论(初核)", "属实")
    said = flat(walk.record(*docs).output)
    assert "入户核实,合隆镇青山村" in said, said
    trail = history(walk, "孙六")
    assert "核实结论:不属实" in trail and "实际外出务工收入较高" in trail, trail
    assert "附注:核实结论(初核):属实" in trail, trail


# ---------------------------------------------------------------------------------------------
# 2. A reason column added left of the printed one


def test_an_added_remarks_column_before_the_printed_one_is_not_the_reason(walk):
    """备注2 (低保边缘) before the printed 备注 (the 不同意's reason): 备注2's words were recorded as the
    reason, carried into the next year's lists."""
    docs, doc = filled_review(walk, reason="收入超标,家有大车跑运输")
    seq = next(iter(_by_name(doc, {"李二": ("", "")})))
    add_column_left_of(doc, "备注", "备注2", None)
    book = openpyxl.load_workbook(doc)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    ws.cell(rows_by_seq(ws, at, cols["序号"])[seq], cols["备注2"]).value = "低保边缘"
    book.save(doc)
    walk.record(*docs)
    trail = history(walk, "李二")
    assert "备注:收入超标,家有大车跑运输" in trail, trail
    assert "附注:备注2:低保边缘" in trail, trail
    assert "备注:低保边缘" not in trail, trail


def test_an_empty_added_remarks_column_does_not_take_the_reason_away(walk):
    """备注2 left empty before the printed 备注: the 不同意 was refused for want of a reason, pointing
    at 备注2."""
    docs, doc = filled_review(walk)
    add_column_left_of(doc, "备注", "备注2", None)
    said = flat(walk.record(*docs).output)
    assert "民主评议,合隆镇前岗村,4户(其中未通过、移出名单1户)已登记" in said, said
    assert "备注:家中有小轿车" in history(walk, "李二")


# ---------------------------------------------------------------------------------------------
# 3. Two columns that may each be the printed one


def test_two_decision_columns_neither_headed_as_printed_are_refused_naming_both(walk):
    """The printed header typed over (评议结果(最终)) and 评议结果(初评) added beside it: which is the
    meeting's is not the reader's to guess."""
    docs, doc = filled_review(walk)
    added, printed = add_column_left_of(doc, "评议结果", "评议结果(初评)", "同意", rename="评议结果(最终)")
    said = flat(refused(walk, *docs, words=[]))
    assert "分不清哪一列是「评议结果」" in said, said
    assert f"{added}「评议结果(初评)」、{printed}「评议结果(最终)」" in said, said
    assert "改回「评议结果(同意/不同意)」" in said, said


def test_two_reason_columns_neither_headed_as_printed_are_refused_naming_both(walk):
    docs, doc = filled_review(walk)
    added, printed = add_column_left_of(doc, "备注", "说明", "村民代表意见", rename="备注(理由)")
    said = flat(refused(walk, *docs, words=[]))
    assert "分不清哪一列是「备注」" in said, said
    assert f"{added}「说明」、{printed}「备注(理由)」" in said, said


def test_the_printed_decision_header_edited_alone_is_still_read(walk):
    """Guard: one column beginning like the printed header, edited (评议结果(最终)), is the decision."""
    docs, doc = filled_review(walk)
    book = openpyxl.load_workbook(doc)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    ws.cell(at, cols["评议结果"]).value = "评议结果(最终)"
    book.save(doc)
    walk.record(*docs)
    assert "评议结果:不同意" in history(walk, "李二")


# ---------------------------------------------------------------------------------------------
# 4. Another village's list in a village's workbook


def test_another_villages_list_in_a_villages_workbook_is_named_once(walk):
    """青山村's list (3 households) returned in 前岗村's workbook (4 printed): was refused as a row
    deleted and 户主姓名, 身份证号, 村民小组 changed row by row."""
    walk.issue("review")
    ours, theirs = walk.doc("review", "前岗村"), walk.doc("review", "青山村")
    src = openpyxl.load_workbook(theirs).worksheets[0]
    src_at, src_cols = household_table(src)
    src_rows = rows_by_seq(src, src_at, src_cols["序号"])
    book = openpyxl.load_workbook(ours)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    ours_rows = rows_by_seq(ws, at, cols["序号"])
    for seq, r in ours_rows.items():
        for header, c in cols.items():
            ws.cell(r, c).value = src.cell(src_rows[seq], src_cols[header]).value if seq in src_rows else None
    book.save(ours)
    fill(ours, default=("同意", ""), form=meeting("2019年11月25日"))
    before = dump(walk.db)
    said = flat(walk.record(ours, code=2).output)
    assert "这份表里是青山村的名单,不是前岗村的" in said, said
    assert "表中3户有3户是青山村「民主评议」名单上的" in said and "共4户" in said, said
    assert "与打印时不同" not in said and "这一行不见了" not in said, said
    assert said.count("青山村的名单") == 1, said
    assert dump(walk.db) == before


def test_one_row_edited_is_still_said_as_an_edit(walk):
    """Guard: a village's own list with one name changed is that row's edit, not another village's list."""
    walk.issue("review")
    ours = walk.doc("review", "前岗村")
    seq = next(iter(_by_name(ours, {"李二": ("", "")})))
    fill(ours, default=("同意", ""), form=meeting("2019年11月25日"), edit={(seq, "户主姓名"): "李贰"})
    said = flat(refused(walk, ours, words=[]))
    assert "户主姓名与打印时不同" in said, said
    assert "的名单,不是" not in said, said
