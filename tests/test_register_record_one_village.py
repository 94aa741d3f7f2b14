"""Recording one village's returned form in a county whose survey holds many more households than
its list: what `register record` reads is the village's and the list's, not the county's round (a
record read every screened household of the round twice, to find the exit and the unsurveyed tracks
empty), and one village is recorded, or refused, as it was whatever another village's form holds."""

from __future__ import annotations

import pytest

from register_builders import fill, meeting
from survey_builders import household, write_workbook
from test_register import DATES, IDS, PEOPLE, Walk, dump, refused, run
from edgescreen.register import db

# Households above the limit, in the list's villages and in two villages with no candidate at all:
# the most of a county's survey, never on any list.
ABOVE = 300
OFF_LIST_VILLAGES = [("合隆镇", "前岗村"), ("合隆镇", "青山村"), ("烧锅镇", "三宝村"), ("烧锅镇", "东风村"),
                     ("烧锅镇", "红星村")]


class CountyWalk(Walk):
    """test_register's small county with ABOVE households more above the limit."""

    def __init__(self, tmp):
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "户主身份证号": IDS[name],
                             "工资性收入": wage, "主要困难": "缺技术"}) for t, v, g, name, wage in PEOPLE]
        for i in range(ABOVE):
            t, v = OFF_LIST_VILLAGES[i % len(OFF_LIST_VILLAGES)]
            rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": "5组", "户主姓名": f"富户{i}",
                                     "工资性收入": 80000 + i}))
        self.rows = rows
        self.survey = write_workbook(tmp / "农安县.xlsx", rows)
        self.db = tmp / "农安县.db"
        self.screen = run("screen", self.survey, "-o", tmp / "out", "--register", self.db, "--date", DATES["round"])


@pytest.fixture
def walk(tmp_path):
    return CountyWalk(tmp_path)


def test_one_villages_form_reads_no_more_than_the_list(walk, monkeypatch):
    """Before: `record` of 前岗村's review form read the round's 310 screened rows twice (the exit
    and unsurveyed tracks' columns), whatever the village."""
    walk.issue("review")
    form = walk.doc("review", "前岗村")
    fill(form, default=("同意", ""), form=meeting("2019-11-25"))
    read = []
    frame = db._frame
    monkeypatch.setattr(db, "_frame", lambda cursor: read.append(len(out := frame(cursor))) or out)
    out = walk.record(form).output
    assert "合隆镇-前岗村-民主评议.xlsx:民主评议,合隆镇前岗村,4 户" in out, out
    # The county's candidates (9, read for the list) at most, never the households above the limit.
    assert read and max(read) <= 9, read


def test_one_village_is_recorded_while_another_villages_form_is_wrong(walk):
    """青山村's form has a decision left blank: 前岗村's alone is recorded as before; given together,
    the batch is refused naming 青山村's cell only, the register unchanged."""
    walk.issue("review")
    qiangang, qingshan = walk.doc("review", "前岗村"), walk.doc("review", "青山村")
    fill(qiangang, default=("同意", ""), form=meeting("2019-11-25"))
    fill(qingshan, decisions={1: ("同意", ""), 2: ("同意", "")}, form=meeting("2019-11-25"))
    out = refused(walk, qiangang, qingshan, words=["合隆镇-青山村-民主评议.xlsx", "「评议结果」没有填写"])
    assert "合隆镇-前岗村-民主评议.xlsx" not in out, out
    before = dump(walk.db)
    out = walk.record(qiangang).output
    assert "合隆镇-前岗村-民主评议.xlsx:民主评议,合隆镇前岗村,4 户" in out, out
    assert dump(walk.db) != before
    refused(walk, qingshan, words=["「评议结果」没有填写"])
    fill(qingshan, default=("同意", ""))
    out = walk.record(qiangang, qingshan).output
    assert "合隆镇-青山村-民主评议.xlsx:民主评议,合隆镇青山村,3 户" in out and "已经登记过,内容相同" in out, out
    # The next step is printed for the two villages recorded, not for 三宝村 still out.
    docs = walk.issue("verify")
    assert [p.name for p in docs] == ["合隆镇-前岗村-入户核实.xlsx", "合隆镇-青山村-入户核实.xlsx"], docs
