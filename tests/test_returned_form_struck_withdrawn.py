"""Returned forms as villages mark them on paper (outside tester, try BG): a printed row or cell struck
through (删除线) is never passed over; an objection withdrawn (处理结果 撤回) is recorded as such; a
form sent under another step's file name is said to be misnamed. Each builds the small county of
test_register and fills its printed forms."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.styles import Font

from register_builders import fill, household_table, rows_by_seq, table_rows
from test_register import IDS, Walk, dump, refused, run


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def flat(text: str) -> str:
    return "".join(text.split())


def _seq_of(path, name: str) -> int:
    return next(int(r["序号"]) for r in table_rows(path) if r["户主姓名"] == name)


def _strike(path, name: str, headers: tuple[str, ...] | None = None, beside: str | None = None) -> str:
    """Strike through the row of `name` (every filled cell), or only its `headers` cells, as a village
    does in Excel or WPS; `beside`, a new figure written in the first cell right of the table.
    The Excel row struck."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    r = rows_by_seq(ws, at, cols["序号"])[_seq_of(path, name)]
    columns = [cols[h] for h in headers] if headers else [c for c in cols.values() if ws.cell(r, c).value is not None]
    for c in columns:
        ws.cell(r, c).font = Font(strike=True)
    if beside:
        ws.cell(r, max(cols.values()) + 1).value = beside
    book.save(path)
    return r


# ---------------------------------------------------------------------------------------------
# 1. A printed row or cell struck through


def test_a_whole_row_struck_on_the_announcement_is_refused_saying_how_the_step_takes_it_off(walk):
    """熊永富's 公告 row struck through was recorded 在册 with no word."""
    walk.through("county_review")
    walk.issue("announcement")
    doc = walk.doc("announcement", "前岗村")
    fill(doc, form={"张贴日期": "2019-12-21", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    row = _strike(doc, "赵四")
    said = flat(refused(walk, doc, words=[]))
    assert f"「公告」第{row}行:序号{_seq_of(doc, '赵四')}(赵四):这一行整行被划掉(删除线)" in said, said
    # The way the 公告 takes a household off: the 县级复审's no amended, the list printed again.
    assert "如该户不再列入,请在「县级复审」文书(" in said and "「复审意见」改为「不通过」并写明理由" in said, said
    assert "重新打印「公告」;不要只划掉" in said, said


def test_a_whole_row_struck_on_a_decision_list_says_to_write_the_no(walk):
    walk.issue("review")
    doc = walk.doc("review", "前岗村")
    fill(doc, default=("同意", ""), form={"会议时间": "2019-11-25", "会议地点": "村委会会议室", "主持人": "王书记",
                                          "应到人数": 35, "实到人数": 31, "记录人": "李会计",
                                          "参会人员": "王书记等31人", "发言记录": "无", "评议过程": "举手表决"})
    _strike(doc, "李二")
    said = flat(refused(walk, doc, words=[]))
    assert "(李二):这一行整行被划掉(删除线)" in said, said
    assert "如该户不再列入,请在该行「评议结果」填「不同意」并写明理由;不要只划掉" in said, said


def test_a_struck_printed_figure_with_a_new_one_beside_is_said_as_a_correction_not_taken(walk):
    """On 入户核实, 常住人口数 struck with 「常住人口 3」 written beside was recorded 属实, the new
    figure only a 附注."""
    walk.through("review")
    walk.issue("verify")
    doc = walk.doc("verify", "前岗村")
    fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    row = _strike(doc, "王一", ("常住人口数",), beside="常住人口 3")
    col = household_table(openpyxl.load_workbook(doc).worksheets[0])[1]["常住人口数"]
    cell = f"{openpyxl.utils.get_column_letter(col)}{row}"
    said = flat(refused(walk, doc, words=[]))
    assert f"「核实表」{cell}:序号{_seq_of(doc, '王一')}(王一):打印的「常住人口数」「" in said, said
    assert "被划掉(删除线),这一行另写了「常住人口3」:登记簿不从交回的文书上更正农户的信息" in said, said
    assert "请在「核实结论」填「不属实」并写明不符之处" in said and "在调查表上更正后重新筛查" in said, said


def test_a_struck_decision_word_is_not_read_as_the_decision(walk):
    walk.through("review")
    walk.issue("verify")
    doc = walk.doc("verify", "前岗村")
    fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    _strike(doc, "赵四", ("核实结论",))
    said = flat(refused(walk, doc, words=[]))
    assert "(赵四):「核实结论」填的「属实」被划掉(删除线),划掉的不算" in said, said


# ---------------------------------------------------------------------------------------------
# 2. An objection withdrawn


def test_a_withdrawn_objection_is_recorded_as_withdrawn_and_the_household_stays(walk):
    """处理结果 「已撤回」 was refused with 「只能填「成立」或「不成立」」."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("王一", "说他家有楼房", "已撤回", "2019-12-06")])
    said = flat(walk.record(*docs).output)
    assert "注意:对「王一」的异议(2019-12-06)已撤回:登记为提出后撤回的异议,该户的结果与「不成立」相同,仍在名单上" \
        in said, said
    history = flat(run("register", "history", walk.db, "--id", IDS["王一"]).output)
    assert "处理结果" in history and "异议已撤回" in history, history
    # Still listed: on the township's review that follows.
    review = walk.issue("township_review")
    assert any(r["户主姓名"] == "王一" for p in review for r in table_rows(p))


def test_an_unknown_objection_outcome_names_the_withdrawn_word_too(walk):
    walk.through("verify")
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("王一", "说他家有楼房", "再议", "2019-12-06")])
    said = flat(refused(walk, *docs, words=[]))
    assert "处理结果填的是「再议」,只能填「成立」或「不成立」;提出人撤回的,填「撤回」" in said, said


# ---------------------------------------------------------------------------------------------
# 3. A form under another step's file name


def test_a_form_under_another_steps_file_name_is_said_misnamed(walk):
    """红星村's 第一次公示 sent as 伏龙泉镇-红星村-第二次公示.xlsx: only 「已经登记过,内容相同」."""
    walk.through("verify")
    walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    fill(doc, objections=[("王一", "说他家有楼房", "不成立", "2019-12-06")])
    sent = walk.tmp / "回收" / doc.name.replace("第一次公示", "第二次公示")
    sent.parent.mkdir()
    shutil.copy(doc, sent)
    said = flat(walk.record(sent).output)
    assert "第一次公示,合隆镇前岗村" in said, said
    note = f"注意:文件名「{sent.name}」写的是第二次公示,表内是第一次公示"
    assert note in said and "如村里要交的是第二次公示,那份还没有交回" in said, said
    assert "写的是合隆镇" not in said  # the village in its name is the form's own: no village note
    # Sent again: recorded before with the same content, and still said to be misnamed.
    before = dump(walk.db)
    again = flat(walk.record(sent).output)
    assert "已经登记过,内容相同" in again and note in again, again
    assert dump(walk.db) == before


def test_a_column_added_beside_the_objections_result_is_not_taken_for_it(walk):
    """A village's 处理结果2 (a first answer, 不成立) left of the printed 处理结果 (成立): the printed
    column is the result, and what was added is said where it was added (try BG: on a decision list,
    评议结果2 was read as the decision)."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    fill(doc, objections=[("王一", "说他家有楼房", "成立", "2019-12-06")])
    book = openpyxl.load_workbook(doc)
    ws = book["异议处理"]
    header_row, result_col = next((c.row, c.column) for row in ws.iter_rows() for c in row
                                  if isinstance(c.value, str) and c.value.startswith("处理结果"))
    ws.insert_cols(result_col)
    ws.cell(header_row, result_col).value = "处理结果2"
    ws.cell(header_row + 1, result_col).value = "不成立"
    book.save(doc)
    added = f"{openpyxl.utils.get_column_letter(result_col)}{header_row + 1}"
    said = flat(refused(walk, *docs, words=[]))
    assert f"「异议处理」{added}:这里写的是「不成立」,不在异议表的栏目里" in said, said


def test_an_objection_taken_away_by_a_corrected_copy_keeps_its_day_in_history(walk):
    """A 公示 recorded with an objection 成立, then a corrected copy without it (--amend): history dated
    the two amendments «nan» and put them after the 公告 (try BG)."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    first = doc.with_name("first.xlsx")
    shutil.copy(doc, first)
    fill(first, objections=[("王一", "说他家有楼房", "成立", "2019-12-06")])
    assert walk.record(first, *[d for d in docs if d != doc]).exit_code == 0
    fill(doc, objections=[])
    walk.record(doc, extra=("--amend", "--reason", "反映人撤回异议"))
    history = run("register", "history", walk.db, "--id", IDS["王一"]).output
    assert "nan" not in history, history
    lines = [line for line in history.splitlines() if "→ 无异议" in line]
    assert len(lines) == 2 and all(line.startswith("2019-12-06") for line in lines), history
