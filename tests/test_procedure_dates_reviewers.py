"""The procedure's dates and who acted as the documents give them (after-screening §3: each step records
a date and who acted). Before: an objection settled before its 公示 was put up (张贴日期, which moves the
period) was taken, as only the print day was compared; a 民主评议 dated before its list was printed was
recorded, where a visit before its form was printed is refused; a 乡镇审核 or 县级复审 returned without the
reviewer's name was recorded with a warning, where a blank 主持人 or 核实人 stops recording."""

from __future__ import annotations


from register_builders import fill, form_value_cell, meeting
from test_register import DATES, IDS, Walk, refused, run
from years_builders import register_everyone, survey


def _said(result_or_text) -> str:
    text = result_or_text if isinstance(result_or_text, str) else result_or_text.output
    return " ".join(text.split())


def test_an_objection_settled_before_the_publicity_was_put_up_is_refused(tmp_path):
    """前岗村's 第一次公示 printed 2019-12-01, posted 2019-12-03 (its period 12-03 to 12-09): an objection
    to 张三 upheld on 12-02 took the household off; one on 11-28 was refused against the print day."""
    walk = Walk(tmp_path)
    walk.through("verify")
    docs = walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    fill(doc, form={"张贴日期": "2019-12-03", "张贴人": "李会计"},
         objections=[("张三", "举报有经营性收入", "成立", "2019-12-02")])
    said = _said(refused(walk, *docs, words=[]))
    assert "对「张三」的异议:处理日期 2019-12-02 早于张贴日期 2019-12-03:公示期从张贴之日算起" in said, said
    assert doc.name in said and "异议处理" in said, said
    # Settled on the posting day: recorded, 张三 off the list from it.
    fill(doc, objections=[("张三", "举报有经营性收入", "成立", "2019-12-03")])
    said = _said(walk.record(*docs))
    assert "2019-12-03 才张贴" in said, said
    history = _said(run("register", "history", walk.db, "--id", IDS["张三"]))
    assert "举报有经营性收入" in history, history


def test_an_objection_before_the_print_day_is_still_said_against_the_print_day(tmp_path):
    """No posting day given: the period, and the objections, count from the print day as before."""
    walk = Walk(tmp_path)
    walk.through("verify")
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("张三", "举报有经营性收入", "成立", "2019-11-28")])
    refused(walk, *docs, words=["处理日期 2019-11-28 早于公示开始日 2019-12-01"])


def test_a_meeting_dated_before_its_list_was_printed_is_refused(tmp_path):
    """The 民主评议 list printed 2019-11-21; 会议时间 2019-11-20 (the round's day, so not before the
    round) was recorded. The list did not exist yet: refused at its cell, as a visit is."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    assert DATES["review"] == "2019-11-21"
    fill(docs[0], default=("同意", ""), form=meeting("2019-11-20"))
    sheet, cell = form_value_cell(docs[0], "会议时间")
    said = _said(refused(walk, docs[0], words=[]))
    assert "「会议时间」2019-11-20 早于这份文书的印发日期 2019-11-21:「民主评议」办理的是这份文书上的名单" in said, said
    assert docs[0].name in said and sheet in said and cell in said, said
    fill(docs[0], form={"会议时间": "2019-11-21"})
    assert "已登记" in walk.record(docs[0]).output


def test_an_exit_meeting_dated_before_its_list_was_printed_is_refused(tmp_path, monkeypatch):
    """户B, 低保 in 2020, goes to the 退出民主评议 printed 2020-11-23; its meeting written 2020-11-21
    (after the round of 2020-11-20) was recorded."""
    monkeypatch.chdir(tmp_path)
    people = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": f"户{k}", "户编号": f"HB{k}",
               "户主身份证号": IDS[name]} for k, name in (("A", "王一"), ("B", "李二"))]
    db = register_everyone(tmp_path, people)
    source = survey(tmp_path / "2020.xlsx", [people[0], {**people[1], "是否低保户": "是"}])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))[0]
    fill(review, default=("同意", ""), form=meeting("2020-11-21"))
    said = _said(run("register", "record", db, review, code=2))
    assert "「会议时间」2020-11-21 早于这份文书的印发日期 2020-11-23" in said and "登记簿没有任何改动" in said, said
    fill(review, form={"会议时间": "2020-11-25"})
    assert "已登记" in run("register", "record", db, review).output


def test_a_township_review_without_its_reviewer_is_refused_at_the_cell(tmp_path):
    """Before: recorded by its date with a warning (补填审核人 later, with --amend). Who acted is
    recorded for every step: refused, naming the file, sheet and cell, as a blank 主持人 is."""
    walk = Walk(tmp_path)
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": DATES["township_date"]})
    sheet, cell = form_value_cell(docs[0], "审核人姓名")
    said = _said(refused(walk, *docs, words=[]))
    assert f"{docs[0].name}" in said and f"「{sheet}」{cell}:「审核人姓名」没有填写" in said, said
    for p in docs:
        fill(p, form={"审核人姓名": "李明"})
    walk.record(*docs)
    assert "李明" in _said(run("register", "history", walk.db, "--id", IDS["王一"]))


def test_a_county_review_without_its_reviewer_is_refused_at_the_cell(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity2")
    docs = walk.issue("county_review")
    fill(docs[0], default=("通过", ""), form={"复审日期": DATES["county_date"]})
    sheet, cell = form_value_cell(docs[0], "复审人姓名")
    said = _said(refused(walk, docs[0], words=[]))
    assert docs[0].name in said and f"「{sheet}」{cell}:「复审人姓名」没有填写" in said, said
    fill(docs[0], form={"复审人姓名": "赵科长"})
    walk.record(docs[0])
    assert "赵科长" in _said(run("register", "history", walk.db, "--id", IDS["王一"]))
