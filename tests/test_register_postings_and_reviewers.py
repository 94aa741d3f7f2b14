"""A publicity's posting day (张贴记录) counts its 7 days, as the 公告's does; the 乡镇审核 and 县级复审
forms name who reviewed, shown in each household's history with the meeting's 主持人; a 公告 posted
before it was printed is refused while its period runs; the 入户核实 form says what 不属实 does."""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest

from register_builders import fill
from test_register import DATES, IDS, Walk, refused, run
from edgescreen.errors import InputError
from edgescreen.register import open_register, record_documents


class ReviewedWalk(Walk):
    """The walk, its review forms naming the reviewer as they now must."""

    def _reviewed(self, step: str, form: dict, record: bool):
        docs = self.issue(step)
        for p in docs:
            fill(p, default=("通过", ""), form=form)
        if record:
            self.record(*docs)
        return docs

    def township_review(self, record: bool = True):
        return self._reviewed("township_review", {"审核日期": DATES["township_date"], "审核人姓名": "李明"}, record)

    def county_review(self, record: bool = True):
        return self._reviewed("county_review", {"复审日期": DATES["county_date"], "复审人姓名": "赵科长"}, record)


@pytest.fixture
def walk(tmp_path):
    return ReviewedWalk(tmp_path)


def _said(result) -> str:
    return " ".join(result.output.split())


def test_a_publicity_posted_late_counts_its_days_from_the_posting(walk):
    """Printed 12-01 (12-01 to 12-07), posted in 前岗村 on 12-04: its 7 days run to 12-10, and a
    township review on 12-09 falls inside them. Before, the 公示 had no 张贴日期 and the review was
    taken after 5 days on the wall; 青山村, with no posting day, counts from the print day, said once."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    late = walk.doc("publicity1", "前岗村")
    fill(late, form={"张贴日期": "2019-11-30", "张贴人": "李会计"})
    refused(walk, late, words=["「张贴日期」2019-11-30 早于 2019-12-01,公示期从 2019-12-01 开始(到 2019-12-07):"
                               "公示名单印发之前不能张贴"])
    fill(late, form={"张贴日期": "2019年12月4日", "张贴地点": "村务公开栏"})
    said = _said(walk.record(*docs))
    assert "「第一次公示」2019-12-04 才张贴(原定 2019-12-01 起):公示期按张贴日计,到 2019-12-10 结束" in said, said
    # 青山村 and 三宝村 left it blank: said once for both (a county's hundred villages said it 300 times).
    assert said.count("没有填写张贴日期") == 1 and "合隆镇青山村、烧锅镇三宝村" in said, said
    assert "公示期按印发日计,2019-12-01 至 2019-12-07" in said
    con = sqlite3.connect(walk.db)
    facts = dict(con.execute("SELECT field, new FROM events WHERE step = 'publicity1' AND village = '前岗村' "
                             "AND household IS NULL"))
    con.close()
    assert facts["period_start"] == "2019-12-04" and facts["period_end"] == "2019-12-10", facts
    assert facts["posting_by"] == "李会计" and facts["posting_place"] == "村务公开栏", facts
    reviews = walk.issue("township_review", "2019-12-11")
    for p in reviews:
        fill(p, default=("通过", ""), form={"审核日期": "2019-12-09", "审核人姓名": "李明"})
    refused(walk, *reviews, words=["「审核日期」2019-12-09 在合隆镇前岗村「第一次公示」的公示期内(2019-12-04至2019-12-10)"])


def test_the_reviewers_are_recorded_and_shown_in_the_history_with_the_meetings_host(walk):
    """The 审核人 and 复审人 are read from their cells; `register history` shows them and the
    meeting's 主持人 (王书记), not only the login that ran register record."""
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": "2019-12-10", "审核人姓名": "李明"})
    walk.record(*docs)
    walk.publicity2()
    docs = walk.issue("county_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"复审日期": "2019-12-20", "复审人姓名": "赵科长"})
    walk.record(*docs)
    said = _said(run("register", "history", walk.db, "--id", IDS["王一"]))
    for words in ("主持人", "王书记", "审核人姓名", "李明", "复审人姓名", "赵科长"):
        assert words in said, (words, said)


def test_a_review_form_printed_before_it_had_the_reviewers_cell_is_recorded_saying_so(walk):
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": "2019-12-10"})
        wb = openpyxl.load_workbook(p)  # as printed before: no 审核人姓名 row under the table
        ws = wb.worksheets[0]
        for row in ws.iter_rows():
            for c in row:
                if c.value == "审核人姓名":
                    c.value = None
        wb.save(p)
    said = _said(walk.record(*docs))
    assert "这份「乡镇审核」文书印发时还没有「审核人姓名」一栏:审核人姓名没有登记" in said, said


def test_a_posting_date_before_the_print_day_is_refused_while_the_period_runs(walk):
    """公告 printed 12-21 (to 12-27), 张贴日期 12-19, before the county's review of 12-20: on 12-23 it
    was passed over as in its period, to be refused only on 12-28."""
    walk.through("county_review")
    walk.issue("announcement")
    doc = walk.doc("announcement", "前岗村")
    fill(doc, form={"张贴日期": "2019-12-19", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    with open_register(walk.db) as reg, pytest.raises(InputError) as refusal:
        record_documents(reg, [doc], today=dt.date(2019, 12, 23))
    said = " ".join(str(refusal.value).split())
    assert "「张贴日期」2019-12-19 早于 2019-12-21,公告期从 2019-12-21 开始(到 2019-12-27):公告印发之前不能张贴" in said, said
    fill(doc, form={"张贴日期": "2019-12-21"})
    with open_register(walk.db) as reg:
        outcomes = record_documents(reg, [doc], today=dt.date(2019, 12, 23))
    assert [o.status for o in outcomes] == ["in_period"]


def test_the_visit_form_says_that_not_true_takes_the_household_off_this_rounds_list(walk):
    walk.review()
    doc = walk.issue("verify")[0]
    lines = " ".join(str(c.value) for row in openpyxl.load_workbook(doc).worksheets[0].iter_rows(max_row=3)
                     for c in row if c.value)
    assert "不属实的户退出本轮名单,本轮不再评议" in lines, lines
    assert "不符之处不影响家庭收入和常住人口的(如户籍人口与登记不同),填“属实”" in lines, lines


def test_a_review_returned_without_the_reviewers_name_is_refused(walk):
    """Was recorded by its date saying so (补填 later with --amend); who acted is recorded for every step
    (after-screening §3): refused at its cell as a blank 主持人 is, recorded once the name is written on."""
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": "2019-12-10"})
    refused(walk, *docs, words=["「审核人姓名」没有填写"])
    for p in docs:
        fill(p, form={"审核人姓名": "李明"})
    walk.record(*docs)
    assert "李明" in _said(run("register", "history", walk.db, "--id", IDS["王一"]))
