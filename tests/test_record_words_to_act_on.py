"""What `register record` and `register status` say a clerk can act on (outside tester, try BG): a
decision word with its reason in the same cell, a row added at the bottom of a list, a row deleted on
a step with its own no, a 公告 of one village, a subtotal row inside a list; and an objection naming a
household an earlier step took off, which is no 漏评. Each builds the small county of test_register
and fills its printed forms."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq, table_rows
from test_register import DATES, Walk, refused, run
from test_returned_form_struck_withdrawn import _seq_of, flat


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


# ---------------------------------------------------------------------------------------------
# 1. A decision word with its reason in the same cell


def test_a_no_with_its_reason_in_brackets_names_the_word_and_where_the_reason_goes(walk):
    """「不同意(收入超)」 was refused with only 「只能填「同意」或「不同意」」."""
    docs = walk.issue("review")
    doc = walk.doc("review", "前岗村")
    fill(doc, default=("同意", ""), decisions={_seq_of(doc, "李二"): ("不同意(收入超)", "")}, form=meeting("2019-11-25"))
    said = flat(refused(walk, *docs, words=[]))
    reason_col = openpyxl.utils.get_column_letter(household_table(openpyxl.load_workbook(doc).worksheets[0])[1]["备注"])
    assert "(李二):「评议结果」填的是「不同意(收入超)」:「评议结果」只填「不同意」," \
           f"把「收入超」写在「备注」栏({reason_col}列)" in said, said


def test_a_no_with_a_trailing_reason_on_the_townships_review_names_its_own_no(walk):
    """Any word of the no (不同意 on 乡镇审核) with the reason after it: the step's printed no (不通过)."""
    walk.through("publicity1")
    docs = walk.issue("township_review")
    doc = walk.doc("township_review", "合隆镇")
    fill(doc, default=("通过", ""), decisions={_seq_of(doc, "王一"): ("不同意,户籍不在本村", "")},
         form={"审核日期": DATES["township_date"], "审核人姓名": "李明"})
    said = flat(refused(walk, *docs, words=[]))
    assert "「审核意见」只填「不通过」,把「户籍不在本村」写在「理由」栏" in said, said


def test_another_steps_word_on_the_review_list_says_which_form_it_belongs_to(walk):
    """属实 on the 民主评议 list (its 入户核实's word, written on the wrong form, try BK) was refused with
    only 「只能填「同意」或「不同意」」."""
    docs = walk.issue("review")
    doc = walk.doc("review", "前岗村")
    fill(doc, default=("同意", ""), decisions={_seq_of(doc, "李二"): ("属实", "")}, form=meeting("2019-11-25"))
    said = flat(refused(walk, *docs, words=[]))
    assert "(李二):「评议结果」填的是「属实」,这是「入户核实」的结论;这份是「民主评议」的表" in said, said


# ---------------------------------------------------------------------------------------------
# 2. A row added at the bottom of a printed list


def test_a_row_added_at_the_bottom_names_the_household_and_where_it_goes_instead(walk):
    """「序号 7 不在打印的名单中」 named neither 孟凤兰 nor what to do."""
    docs = walk.issue("review")
    doc = walk.doc("review", "前岗村")
    seq = len(table_rows(doc)) + 1
    fill(doc, default=("同意", ""), form=meeting("2019-11-25"), add_row={"序号": seq, "户主姓名": "孟凤兰"})
    said = flat(refused(walk, *docs, words=[]))
    assert f"序号{seq}(孟凤兰)不在打印的名单中" in said, said
    assert "打印的名单不能加户" in said and "「异议处理」表上(名单序号写「名单外」)" in said, said
    assert "填写入户登记表,重新筛查" in said, said


# ---------------------------------------------------------------------------------------------
# 3. A row deleted on a step that decides: its own no, in its own column


def test_a_row_deleted_on_the_townships_review_says_its_own_no_and_column(walk):
    """The advice was 「如不同意、不属实」, the words of other steps."""
    walk.through("publicity1")
    docs = walk.issue("township_review")
    doc = walk.doc("township_review", "合隆镇")
    fill(doc, default=("通过", ""), delete=[_seq_of(doc, "王一")],
         form={"审核日期": DATES["township_date"], "审核人姓名": "李明"})
    said = flat(refused(walk, *docs, words=[]))
    assert "(王一)这一行不见了" in said, said
    assert "在该行填否定的结论:把这一行放回,「审核意见」填「不通过」并写明理由" in said, said
    assert "不属实" not in said and "不同意" not in said, said


# ---------------------------------------------------------------------------------------------
# 4. An objection naming a household an earlier step took off is no 漏评, nor headed as one


def test_status_heads_an_objection_about_a_household_taken_off_apart_from_the_omissions(walk):
    walk.through("verify")  # 李二 taken off at the 民主评议 (不同意)
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("李二", "小轿车是借的,应纳入", "成立", "2019-12-04", "名单外"),
                                                     ("李不在", "应当评上", "成立", "2019-12-05")])
    walk.record(*docs)
    lines = run("register", "status", walk.db, "--as-of", "2019-12-10").output.splitlines()
    omissions = lines.index("公示期间对名单外农户的异议(漏评):")
    assert lines[omissions + 1].startswith("  李不在(合隆镇前岗村)"), lines
    taken = lines.index("公示期间对本轮已移出名单的农户的异议(不是漏评,是对移出决定的异议):")
    assert lines[taken + 1].startswith("  李二(合隆镇前岗村)") and "不是漏评" in lines[taken + 1], lines
    under_omissions = lines[omissions + 1:taken] if taken > omissions else lines[omissions + 1:]
    assert not any("李二" in line for line in under_omissions), lines


# ---------------------------------------------------------------------------------------------
# 5. A single 公告 says from when its households are on the register


def test_recording_one_villages_announcement_says_from_when_on_the_register(walk):
    walk.through("county_review")
    walk.issue("announcement")
    doc = walk.doc("announcement", "前岗村")
    fill(doc, form={"张贴日期": "2019-12-21", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    said = flat(walk.record(doc).output)
    assert "户已在册(自20" in said, said


def test_recording_several_announcements_still_says_it_once(walk):
    """Guards what was right: several 公告 recorded, one line of 在册自."""
    walk.through("county_review")
    docs = walk.issue("announcement")
    for p in docs:
        fill(p, form={"张贴日期": "2019-12-21", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    said = flat(walk.record(*docs).output)
    assert said.count("户已在册(自") == 1, said


# ---------------------------------------------------------------------------------------------
# 6. A subtotal row inside a list


def test_a_subtotal_row_between_groups_is_said_passed_over(walk):
    """A 「小计」 row between 前岗村's groups was passed over without a word."""
    docs = walk.issue("review")
    doc = walk.doc("review", "前岗村")
    fill(doc, default=("同意", ""), form=meeting("2019-11-25"))
    book = openpyxl.load_workbook(doc)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    rows = rows_by_seq(ws, at, cols["序号"])
    r = rows[min(rows)] + 1  # below the first household, above the second
    ws.insert_rows(r)
    ws.cell(r, cols["户主姓名"]).value = "小计"
    ws.cell(r, cols["户主姓名"] + 1).value = "2户"
    book.save(doc)
    said = flat(walk.record(*docs).output)
    assert f"「{ws.title}」第{r}行是小计或合计行(如「小计」),不是农户,已跳过" in said, said
