"""Three findings of a review of the register's views.

1. The 花名册's 已销户 and 已退出 sheets masked a head ID that Excel stored as a number
   (2.20122195802276E+17) as an ID's middle, 2.2012**********E+17: a number half masked, where the
   village lists star every digit before the exponent (*.**************E+17). Today's survey check
   keeps such an ID off the register (an invalid row enters nothing, and a later one keeps the valid
   ID), so the test writes it into the register's file, as a register kept from before holds it.
2. `register status` dated 张三, taken off the list by an objection upheld on 2019-12-05 (its 处理日期
   on the 异议处理 sheet), on 2019-12-07, the period's last day; so did history's line of the
   publicity's outcome and next round's review list (此前未纳入). The objection took him off on its day.
3. `register status`'s line of a village's remark (附注) gave its day as 2019-11-25, the lines above
   as 2019年11月25日.
4. Two objections to one household at one publicity, one upheld on 12-05 and one dismissed on 12-09
   (after the period): the upheld one decides (steps.OBJECTION_FIELDS), so status, history and
   进度.xlsx's 移出名单 all date his leaving 12-05, whichever of the two the sheet lists first; and so
   does the 漏评 objection naming him at the second publicity (steps.removed_at said the period's end,
   12-07, beside status's 12-05, before 4070271)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill
from test_register import IDS, Walk, run
from test_register_gone import GOOD, county, fill_form, the_form  # noqa: F401 (county: the fixture)
from test_village_remarks_and_signed_reviewer import _remarked_walk

AS_NUMBER = "2.20122195802276E+17"  # as the survey's reader keeps a number cell of an ID


def _said(text: str) -> str:
    return " ".join(text.split())


def _stored_as_a_number(db: Path, heads: tuple[str, ...]) -> None:
    """The heads' IDs in the register as a survey read before the ID check refused them holds them."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("DROP TRIGGER screened_no_update")  # the register is append-only: a test's edit
            con.executemany("UPDATE screened SET head_id = ? WHERE head_name = ?", [(AS_NUMBER, h) for h in heads])
    finally:
        con.close()


def test_an_id_stored_as_a_number_is_masked_whole_on_the_gone_sheet_and_the_roster(county, tmp_path):  # noqa: F811
    db = Path(shutil.copyfile(county["db"], tmp_path / "农安县.db"))
    run("register", "record", db, fill_form(the_form(db, tmp_path), GOOD))  # 户C 户已不存在
    _stored_as_a_number(db, ("户A", "户C"))
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    book = openpyxl.load_workbook(export)
    for sheet, name in (("已销户", "户C"), ("花名册", "户A")):
        rows = [r for r in book[sheet].iter_rows(values_only=True)]
        header = next(r for r in rows if "身份证号" in r)
        row = next(r for r in rows if name in r)
        assert row[header.index("身份证号")] == "*.**************E+17", (sheet, row)


def test_a_household_taken_off_by_an_upheld_objection_left_on_its_settling_day(tmp_path):
    """The walk's first publicity runs 2019-12-01 to 12-07; 张三's objection was upheld on 12-05."""
    walk = Walk(tmp_path)
    walk.through("publicity1")
    status = run("register", "status", walk.db, "--as-of", "2019-12-08").output
    left = next(line for line in status.splitlines() if "张三" in line)
    assert left.rstrip().endswith("第一次公示 2019年12月5日:举报有经营性收入"), status
    # Another step's turn-down keeps its own day.
    assert "民主评议 2019年11月25日:家中有小轿车" in status, status
    history = [_said(line) for line in run("register", "history", walk.db, "--id", IDS["张三"]).output.splitlines()]
    assert "2019-12-05 第一次公示 · 第一次公示:异议成立" in history, history
    # 王一's objection was dismissed (12-06): he stays, his publicity over on its last day.
    history = [_said(line) for line in run("register", "history", walk.db, "--id", IDS["王一"]).output.splitlines()]
    assert "2019-12-07 第一次公示 · 第一次公示:公示通过" in history, history
    # Next round's review list says when he was taken off, as status does.
    again = ["screen", walk.resurvey(), "-o", walk.tmp / "again", "--register", walk.db, "--date", "2019-12-30",
             "--leave-unfinished"]
    run(*again)
    run("register", "next", walk.db, "--date", "2019-12-31", "-o", walk.tmp / "round2")
    review = next(p for p in sorted((walk.tmp / "round2" / "1-民主评议").glob("*.xlsx")) if "前岗村" in p.name)
    cells = [" ".join(str(v) for v in r if v is not None) for r in openpyxl.load_workbook(review).worksheets[0]
             .iter_rows(values_only=True)]
    line = next(c for c in cells if "张三" in c)
    assert "2019年第一次公示未纳入(2019-12-05):举报有经营性收入" in line, line


@pytest.mark.parametrize("dismissed_first", [True, False])
def test_of_two_objections_the_upheld_ones_day_is_the_day_he_left_in_every_view(tmp_path, dismissed_first):
    """张三's objection 有楼房 dismissed on 12-09, two days after the period (12-01 to 12-07), and 有经营性收入
    upheld on 12-05: he left on the 5th. The later, dismissed one's day is no view's day of his leaving."""
    walk = Walk(tmp_path)
    walk.through("verify")
    docs = walk.issue("publicity1")
    both = [("张三", "说他家有楼房", "不成立", "2019-12-09"), ("张三", "举报有经营性收入", "成立", "2019-12-05")]
    fill(walk.doc("publicity1", "前岗村"), objections=both if dismissed_first else both[::-1])
    walk.record(*docs)
    status = run("register", "status", walk.db, "--as-of", "2019-12-10", "-o", tmp_path / "进度.xlsx").output
    left = next(line for line in status.splitlines() if "张三" in line)
    assert left.rstrip().endswith("第一次公示 2019年12月5日:举报有经营性收入"), status
    history = [_said(line) for line in run("register", "history", walk.db, "--id", IDS["张三"]).output.splitlines()]
    assert "本轮移出名单:第一次公示异议成立(2019年12月5日)" in history, history
    assert "2019-12-05 第一次公示 · 第一次公示:异议成立" in history, history
    assert "2019-12-09 第一次公示 · 处理结果:不成立" in history, history  # the other one, on its own day
    removed = openpyxl.load_workbook(tmp_path / "进度.xlsx")["移出名单"]
    rows = list(removed.iter_rows(values_only=True))
    header = rows[1]
    row = dict(zip(header, next(r for r in rows if "张三" in r)))
    assert (row["移出环节"], row["理由"], row["日期"]) == ("第一次公示", "举报有经营性收入", "2019年12月5日"), row
    # Named 名单外 at the second publicity: not a 漏评, taken off on the day the other views say.
    docs = walk.issue("township_review", date="2019-12-10")  # the dismissed objection held the village to the 9th
    for paper in docs:
        fill(paper, default=("通过", ""), form={"审核日期": "2019-12-10", "审核人姓名": "李明"})
    walk.record(*docs)
    docs = walk.issue("publicity2", date="2019-12-11")
    fill(walk.doc("publicity2", "前岗村"), objections=[("张三", "经营性收入是别人的,应纳入", "成立", "2019-12-13", "名单外")])
    said = _said(walk.record(*docs).output)
    assert "该户本轮已在名单上,2019-12-05 在「第一次公示」中移出,不是漏评" in said, said
    status = _said(run("register", "status", walk.db, "--as-of", "2019-12-20").output)
    assert "张三(合隆镇前岗村)— 第二次公示 2019年12月13日 成立:经营性收入是别人的,应纳入。" \
           "该户本轮已在名单上,2019年12月5日 在「第一次公示」中移出,不是漏评" in status, status


def test_status_words_a_village_remarks_day_as_the_lines_above_do(tmp_path):
    walk = _remarked_walk(tmp_path)
    said = _said(run("register", "status", walk.db, "--as-of", "2019-11-30").output)
    assert "合隆镇前岗村 · 民主评议 2019年11月25日:负责人:王五已迁(合隆镇-前岗村-民主评议.xlsx)" in said, said
    assert "2019-11-25" not in said, said
