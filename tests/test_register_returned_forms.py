"""Returned forms as an outside tester sent them back (2026-12-05): two printings of one document in one
`register record`, a new round over villages part-way, sheets added, renamed, split, a date typed into
its label's merged cell, a measure's row said without its cell, and the plain approvals 同意, √, 是.

Each test's docstring says what happened before."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq
from test_measures_returned import flat, query
from test_register import DATES, Walk, dump, refused, run
from edgescreen.errors import UsageError
from edgescreen.register.procedure import Decision, procedure
from edgescreen.register.rounds import RoundTarget


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def household_of(db: Path, name: str) -> int:
    return query(db, "SELECT household FROM screened WHERE head_name = ? ORDER BY round DESC", name)[0][0]


def reprinted(walk: Walk, step: str, village: str) -> tuple[Path, Path]:
    """The village's document of `step` printed, its file lost (moved aside) and printed again with
    --reprint: (the original, the reprint)."""
    walk.issue(step)
    original = walk.tmp / f"原件-{village}.xlsx"
    shutil.move(walk.doc(step, village), original)
    run("register", "next", walk.db, "--reprint", "-o", walk.tmp / "reprint")
    return original, next((walk.tmp / "reprint").rglob(f"*{village}-*.xlsx"))


# ---------------------------------------------------------------------------------------------
# 1. Two printings of one document in one batch


def test_an_original_and_its_reprint_differing_in_one_batch_need_amend(walk):
    """Before: recorded in one command, the reprint's 不同意 overwrote the original's 同意 without
    --amend (in two commands the second was refused, asking for --amend --reason)."""
    original, reprint = reprinted(walk, "review", "前岗村")
    fill(original, default=("同意", ""), form=meeting())
    fill(reprint, default=("同意", ""), decisions={2: ("不同意", "家中有小轿车")}, form=meeting())
    out = refused(walk, original, reprint, words=["李二」的评议结果在同时登记的 原件-前岗村.xlsx 中是「同意」",
                                                   "这份文书是「不同意」", "--amend --reason"])
    assert "「评议名单」H5" in out, out
    # Said, the clerk chooses: with --amend the later one changes the earlier, both kept as events.
    walk.record(original, reprint, extra=["--amend", "--reason", "补打件为会议的正式结果"])
    li = household_of(walk.db, "李二")
    decisions = query(walk.db, "SELECT new FROM events WHERE step = 'review' AND field = 'decision' AND household = ? "
                               "ORDER BY id", li)
    assert decisions == [("yes",), ("no",)], decisions


def test_an_original_and_its_reprint_alike_in_one_batch_record_once(walk):
    """Before: both were recorded, each compared with the register alone (每户两条相同的事件)."""
    original, reprint = reprinted(walk, "review", "前岗村")
    for p in (original, reprint):
        fill(p, default=("同意", ""), form=meeting())
    out = flat(walk.record(original, reprint))
    assert "原件-前岗村.xlsx:民主评议,合隆镇前岗村" in out and "已登记" in out, out
    assert "前岗村-民主评议.xlsx:民主评议,合隆镇前岗村:已经登记过,内容相同,没有改动" in out, out
    wang = household_of(walk.db, "王一")
    assert query(walk.db, "SELECT count(*) FROM events WHERE step = 'review' AND field = 'decision' "
                          "AND household = ?", wang) == [(1,)]


def test_an_objection_on_a_publicity_and_its_reprint_is_kept_once(walk):
    """Before: the same objection and the same 漏评 report on the posted copy and on the reprint given to
    the township, recorded in one command, were each stored twice."""
    walk.through("verify")
    original, reprint = reprinted(walk, "publicity1", "前岗村")
    for p in (original, reprint):
        fill(p, objections=[("王一", "说他家有楼房", "不成立", "2019-12-06"),
                            ("赵大宝", "家里困难应当纳入", "成立", "2019-12-06", "名单外")])
    walk.record(original, reprint)
    wang = household_of(walk.db, "王一")
    assert query(walk.db, "SELECT count(*) FROM events WHERE field = 'objection' AND household = ?", wang) == [(1,)]
    assert query(walk.db, "SELECT count(*) FROM events WHERE field LIKE 'omission_head%'") == [(1,)]


def test_an_objection_only_on_the_reprint_in_one_batch_needs_amend(walk):
    """Before: the original (no objection) and the reprint (an objection upheld) recorded together took
    the household off the list with no --amend, as if the first had never said 无异议."""
    walk.through("verify")
    original, reprint = reprinted(walk, "publicity1", "前岗村")
    fill(reprint, objections=[("王一", "说他家有楼房", "成立", "2019-12-06")])
    refused(walk, original, reprint, words=["在同时登记的 原件-前岗村.xlsx 中是「无异议」", "--amend"])


def test_a_measure_form_printed_twice_and_both_filled_records_each_measure_once(tmp_path_factory, tmp_path):
    """Before: the 帮扶措施登记表 printed twice (lost, printed again), both copies filled with the same
    measure and recorded in one command: every measure stored twice (twice the money)."""
    from test_measures_returned import QIAN, registered_county
    from years_builders import MeasureForm

    db = tmp_path / "农安县.db"
    shutil.copy(registered_county(tmp_path_factory, "measures_twice"), db)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "m1")
    run("register", "measures", db, "--date", "2020-01-06", "-o", tmp_path / "m2")
    copies = []
    for folder in ("m1", "m2"):
        form = MeasureForm(tmp_path / folder / QIAN)
        form.add("户A", 帮扶类型="公益岗位", 帮扶内容="村保洁员", 开始日期="2020-01-08", 金额=6000, 帮扶责任人="王干部")
        copies.append(form.save(tmp_path / f"{folder}.xlsx"))
    out = flat(run("register", "record", db, *copies))
    assert "m2.xlsx:帮扶措施,合隆镇前岗村:表上没有填写新的措施或更改,没有改动" in out, out
    assert query(db, "SELECT count(*), sum(amount_fen) FROM measures WHERE content = '村保洁员'") == [(1, 600000)]


def test_a_measure_written_twice_on_a_form_names_its_cell(tmp_path_factory, tmp_path):
    """Before: 「帮扶措施」7:序号 1(…):这项措施与第 6 行的相同: a bare row number, no cell."""
    from test_measures_returned import QIAN, registered_county
    from years_builders import MeasureForm

    db = tmp_path / "农安县.db"
    shutil.copy(registered_county(tmp_path_factory, "measures_row_twice"), db)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "m1")
    form = MeasureForm(tmp_path / "m1" / QIAN)
    values = dict(帮扶类型="公益岗位", 帮扶内容="村保洁员", 开始日期="2020-01-08", 帮扶责任人="王干部")
    form.add("户A", **values)
    second = form.add("户A", **values)
    path = form.save(tmp_path / "twice.xlsx")
    out = flat(run("register", "record", db, path, code=2))
    column = openpyxl.utils.get_column_letter(form.cols["帮扶类型"])
    assert f"「帮扶措施」{column}{second}:" in out and "这项措施与第" in out, out


# ---------------------------------------------------------------------------------------------
# 2. A new round over villages part-way through the last


def test_a_new_round_over_a_posted_announcement_is_refused_unless_confirmed(walk):
    """Before: the next year's screen began round 2 while half the villages' 公告 were posted and not
    recorded; those could never be recorded after, and their households started again at 民主评议."""
    walk.through("county_review")
    walk.announcement(record=False)
    walk.record(walk.doc("announcement", "前岗村"))
    before = dump(walk.db)
    day = dt.date(2019, 12, 30)
    with pytest.raises(UsageError) as refusal:
        RoundTarget(walk.db, day, year=2019)
    words = " ".join(refusal.value.message("zh").split())
    assert refusal.value.key == "round_leaves_unfinished", words
    assert "第 1 轮还有 2 个村" in words and "合隆镇青山村(待「公告」)" in words, words
    assert "烧锅镇三宝村(待「公告」)" in words and "--leave-unfinished" in words, words
    assert "合隆镇前岗村" not in words, words
    assert "--leave-unfinished" in refusal.value.message("en"), refusal.value.message("en")
    assert dump(walk.db) == before
    # Through the command line: refused before the survey is read, the register unchanged.
    out = flat(run("screen", walk.resurvey(), "-o", walk.tmp / "again", "--register", walk.db, "--date",
                   "2019-12-30", code=2))
    assert "没有办完" in out and "--leave-unfinished" in out, out
    assert dump(walk.db) == before
    # The clerk's word: the round begins, and the villages are named as left.
    RoundTarget(walk.db, day, year=2019, leave_unfinished=True).close()
    # Once every village has recorded its 公告, nothing is left part-way: no word needed.
    walk.record(walk.doc("announcement", "青山村"), walk.doc("announcement", "三宝村"))
    RoundTarget(walk.db, day, year=2019).close()


# ---------------------------------------------------------------------------------------------
# 3-5. Sheets added, renamed, split


def _add_sheet(path: Path, title: str, rows: list[list], index: int | None = None) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet(title, index)
    for row in rows:
        ws.append(row)
    wb.save(path)


ADDED = [["序号", "村民小组", "户主姓名", "身份证号", "常住人口数", "人均纯收入(元)", "主要困难", "评议结果", "备注"],
         [1, "2组", "刘长海", "220122196503124417", 3, 3500, "因病", "同意", "漏调查,村里补报"]]


def test_a_sheet_of_households_added_to_a_form_is_refused(walk):
    """Before: a 「补报户」 sheet with a household the village wanted added was recorded without a word:
    the village's request silently dropped."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting())
    _add_sheet(doc, "补报户", ADDED)
    refused(walk, doc, words=["「补报户」", "列了打印的名单上没有的 1 户(如「刘长海」)", "名单外的农户须先入户调查"])


def test_a_sheet_of_other_things_is_said_not_read(walk):
    """Before: a sign-in sheet added to a meeting's form was passed over without a word."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting())
    _add_sheet(doc, "签到", [["参会人员签到"], ["王书记", "李会计", "张三"]])
    out = flat(walk.record(doc))
    assert "注意:工作表「签到」不是打印的文书里的,上面的内容没有登记(4 格,如「参会人员签到、王书记、李会计」)" in out, out


def test_a_renamed_list_behind_a_new_sheet_is_read_by_its_rows(walk):
    """Before: 「评议名单」 renamed and a 「补报户」 sheet put in front: the new sheet was read as the form
    (every printed row 'deleted', its one row 'edited'), the real list never mentioned."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting())
    wb = openpyxl.load_workbook(doc)
    wb["评议名单"].title = "前岗村评议结果"
    wb.save(doc)
    _add_sheet(doc, "补报户", ADDED, index=0)
    out = refused(walk, doc, words=["「补报户」", "列了打印的名单上没有的 1 户"])
    assert "不见了" not in out and "与打印时不同" not in out, out
    wb = openpyxl.load_workbook(doc)
    del wb["补报户"]
    wb.save(doc)
    out = flat(walk.record(doc))
    assert "打印时名为「评议名单」的工作表现在叫「前岗村评议结果」" in out and "已登记" in out, out


def test_a_township_form_split_by_village_says_so(walk):
    """Before: 「审核表」 deleted and its rows on a sheet per village: "「青山村」和「前岗村」是同一张表的两
    份 … 请只在打印时名为「前岗村」的那张表上填写" — which would have lost the other village."""
    walk.through("publicity1")
    doc = walk.issue("township_review")[0]
    fill(doc, default=("通过", ""), form={"审核日期": DATES["township_date"]})
    wb = openpyxl.load_workbook(doc)
    ws = wb["审核表"]
    head, cols = household_table(ws)
    rows = rows_by_seq(ws, head, cols["序号"])
    width = ws.max_column
    for village in ("前岗村", "青山村"):
        part = wb.create_sheet(village)
        part.append([ws.cell(head, c).value for c in range(1, width + 1)])
        for r in rows.values():
            if ws.cell(r, cols["行政村"]).value == village:
                part.append([ws.cell(r, c).value for c in range(1, width + 1)])
        part.append([])
        part.append(["审核日期", None, DATES["township_date"]])
    del wb["审核表"]
    wb.save(doc)
    out = refused(walk, doc, words=["打印时名为「审核表」的工作表不见了,名单中的行分在了 2 张工作表上(「前岗村」、「青山村」)",
                                    "放回一张表上"])
    assert "是同一张表的两份" not in out, out


# ---------------------------------------------------------------------------------------------
# 6. A date typed into its label's merged cell


def test_a_date_in_a_merged_label_cell_names_the_cell_after_the_merge(walk):
    """Before: 「审核日期:2019.12.10」 typed into the label A:B merged below the table was told to go in
    B (inside the label); the value's cell is the first after the merge."""
    walk.through("publicity1")
    doc = walk.issue("township_review")[0]
    fill(doc, default=("通过", ""))
    wb = openpyxl.load_workbook(doc)
    ws = wb["审核表"]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == "审核日期")
    merged = next(m for m in ws.merged_cells.ranges if cell.coordinate in m)
    cell.value = "审核日期:2019.12.10"
    wb.save(doc)
    after = openpyxl.utils.get_column_letter(merged.max_col + 1)
    assert merged.max_col > merged.min_col  # the label printed over two columns
    refused(walk, doc, words=[f"填在它右边的 {after}{cell.row} 单元格"])


# ---------------------------------------------------------------------------------------------
# 8. Plain approvals


@pytest.mark.parametrize("word", ["同意", "同意。", "√"])
def test_a_township_writing_its_approval_plainly_is_recorded(walk, word):
    """Before: 审核意见 「同意」 (the usual wording of an approval) refused on every row."""
    walk.through("publicity1")
    doc = walk.issue("township_review")[0]
    fill(doc, default=(word, ""), form={"审核日期": DATES["township_date"], "审核人姓名": "李明"})
    out = flat(walk.record(doc))
    assert "乡镇审核,合隆镇" in out and "已登记" in out, out
    assert query(walk.db, "SELECT DISTINCT new FROM events WHERE step = 'township_review' AND field = 'decision'") \
        == [("yes",)]


def test_plain_words_on_the_review_and_verification_forms(walk):
    """Before: 是 / √ / 通过 / × on the 评议 form and 是 / √ on the 核实 form were refused."""
    doc = walk.issue("review")[0]
    fill(doc, default=("是", ""), decisions={2: ("×", "家中有小轿车"), 3: ("通过", ""), 4: ("√", "")},
         form=meeting())
    walk.record(doc)
    li = household_of(walk.db, "李二")
    assert query(walk.db, "SELECT new FROM events WHERE step = 'review' AND field = 'decision' AND household = ?",
                 li) == [("no",)]
    decisions = procedure()["verify"].decision
    assert [decisions.value_of(w) for w in ("是", "√", "属实。", "否", "x", "同意")] == ["yes", "yes", "yes", None, None,
                                                                                    None]


def test_an_ambiguous_word_is_still_refused(walk):
    doc = walk.issue("review")[0]
    fill(doc, default=("否", ""), form=meeting())
    refused(walk, doc, words=["「评议结果」填的是「否」,只能填「同意」或「不同意」"])


def test_a_word_given_for_both_yes_and_no_stops_loading():
    with pytest.raises(ValueError, match="both yes and no"):
        Decision(column="c", reason="r", yes={"zh": "通过", "en": "pass"}, no={"zh": "不通过", "en": "fail"},
                 yes_also=("同意",), no_also=("同意。",))


def test_the_printed_decision_column_offers_its_two_words(walk):
    doc = walk.issue("review")[0]
    ws = openpyxl.load_workbook(doc)["评议名单"]
    lists = [v.formula1 for v in ws.data_validations.dataValidation]
    assert '"同意,不同意"' in lists, lists
