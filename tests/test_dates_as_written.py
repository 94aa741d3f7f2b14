"""Dates as villages write them on the register's returned forms (outside tester, try-BP: each was
refused as 不是日期): a weekday after the day, 元月, a full stop after it, the year last. A weekday that
disagrees with the day, and a year-last day whose month and day could be either way round, are still
refused, saying both ways; a day written as before reads as before."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from register_builders import fill, meeting
from test_register import Walk, _by_name
from edgescreen import dates


@pytest.mark.parametrize("text, day", [
    # a weekday after the day, agreeing with it (2019-12-07 was a Saturday)
    ("2019年12月7日（星期六）", dt.date(2019, 12, 7)),
    ("2019年12月7日(星期六)", dt.date(2019, 12, 7)),
    ("2019年12月7日 星期六", dt.date(2019, 12, 7)),
    ("2019.12.7 周六", dt.date(2019, 12, 7)),
    ("2019年12月8日星期日", dt.date(2019, 12, 8)),
    ("2019年12月8日（礼拜天）", dt.date(2019, 12, 8)),
    ("二〇一九年十二月七日（星期六）", dt.date(2019, 12, 7)),
    ("2019年12月5日（星期四）上午9时", dt.date(2019, 12, 5)),
    # 元月 is January
    ("2026年元月8日", dt.date(2026, 1, 8)),
    # a full stop after the day
    ("2026.12.7.", dt.date(2026, 12, 7)),
    ("2026年12月7日。", dt.date(2026, 12, 7)),
    # the year last, where only one day reads: both orders the same day, or one order no day at all
    ("1/1/2026", dt.date(2026, 1, 1)),
    ("13/7/2026", dt.date(2026, 7, 13)),
    ("7/13/2026", dt.date(2026, 7, 13)),
    # ... or the weekday written says which (2026-12-07 a Monday, 2026-07-12 a Sunday)
    ("12/7/2026 周一", dt.date(2026, 12, 7)),
])
def test_a_date_as_villages_write_it_is_read(text, day):
    assert dates.typed_day(text) == day
    assert dates.typed_day_doubt(text) is None


@pytest.mark.parametrize("text, day", [
    # read before, read the same (year first: 2026/12/7 is 7 December)
    ("2026/12/7", dt.date(2026, 12, 7)),
    ("二〇二六年十二月七日", dt.date(2026, 12, 7)),
    ("2026年12月7号", dt.date(2026, 12, 7)),
    ("2019年12月5日上午9时", dt.date(2019, 12, 5)),
    ("2019.12.6 14:00", dt.date(2019, 12, 6)),
    ("2026-12-7日", dt.date(2026, 12, 7)),
])
def test_a_date_read_before_reads_the_same(text, day):
    assert dates.typed_day(text) == day


def test_a_weekday_that_disagrees_is_refused_saying_both():
    for text in ("2019年12月7日（星期五）", "2019.12.7 周五", "2019年12月7日 礼拜五"):
        assert dates.typed_day(text) is None, text
        said = dates.typed_day_doubt(text)
        assert said is not None, text
        zh, en = said.render("zh"), said.render("en")
        assert "日期和星期对不上" in zh and "2019年12月7日是星期六" in zh and "写的却是星期五" in zh, zh
        assert "问清" in zh, zh
        assert "was a Saturday, but Friday is written" in en, en


def test_month_and_day_either_way_round_is_refused_as_ambiguous_with_both_days():
    for text in ("12/7/2026", "12.7.2026", "12-7-2026"):
        assert dates.typed_day(text) is None, text
        said = dates.typed_day_doubt(text)
        assert said is not None, text
        zh = said.render("zh")
        assert "看不出哪个是月、哪个是日" in zh and "不是日期" not in zh, zh
        assert "2026年12月7日" in zh and "2026年7月12日" in zh, zh
        assert "2026年12月7日" in said.render("en")


@pytest.mark.parametrize("text", ["元旦", "2026年正月8日", "星期六", "13/13/2026", "2019-02-30", "3月5日", ""])
def test_no_day_is_no_day_and_no_doubt(text):
    # 元旦 alone and 正月 (the lunar first month, as often as January) are not days to guess.
    assert dates.typed_day(text) is None
    assert dates.typed_day_doubt(text) is None


def test_forms_dated_as_villages_write_them_are_recorded(tmp_path):
    """End to end: the 民主评议 会议时间 with its weekday in brackets, and the 入户核实 核实日期 with a
    weekday or a full stop after it, are recorded on the days written."""
    walk = Walk(tmp_path)
    for p in walk.issue("review"):
        # 2019-11-25 was a Monday
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日（星期一）"))
    out = walk.record(*sorted((walk.tmp / "docs-review").rglob("*.xlsx"))).output
    assert "不是日期" not in out, out
    docs = walk.issue("verify")
    for i, p in enumerate(docs):
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019.11.27." if i % 2 else "2019年11月27日 周三"})
    out = walk.record(*docs).output
    assert "不是日期" not in out, out
    con = sqlite3.connect(walk.db)
    try:
        dated = con.execute("SELECT step, new FROM events WHERE field = 'date' AND step IN ('review', 'verify')"
                            " GROUP BY step, new").fetchall()
    finally:
        con.close()
    assert sorted(dated) == [("review", "2019-11-25"), ("verify", "2019-11-27")], dated


def test_a_form_dated_two_ways_at_once_is_refused_saying_both_days(tmp_path):
    """End to end: a 核实日期 whose month and day could be either way round, or whose weekday disagrees,
    is refused with both readings said, not 「不是日期」."""
    walk = Walk(tmp_path)
    for p in walk.issue("review"):
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    walk.record(*sorted((walk.tmp / "docs-review").rglob("*.xlsx")))
    docs = walk.issue("verify")
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "11/12/2019"})
    out = " ".join(walk.record(*docs, code=2).output.split())
    assert "「11/12/2019」,看不出哪个是月、哪个是日:可以是 2019年11月12日,也可以是 2019年12月11日" in out, out
    assert "不是日期" not in out, out
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019年11月27日(星期五)"})
    out = " ".join(walk.record(*docs, code=2).output.split())
    assert "日期和星期对不上:2019年11月27日是星期三,写的却是星期五" in out, out
