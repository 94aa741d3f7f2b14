"""The 退出公示 carries a 张贴记录 as the entry publicities do: its 7 days, and so the day the households
leave the register, count from the day the village put it up. Before, it had no such sheet: a village
that posted it 3 days late could not say so, and its households left on the printed period's last day
(2020-12-06) though the list had been up 4 days. A blank posting date counts from the print day and says
so; a 退出公示 printed before the sheet existed is recorded as before."""

from __future__ import annotations

import shutil
import sqlite3

import openpyxl
import pytest

from register_builders import fill
from survey_builders import make_id
from years_builders import exit_publicity_form, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"19{60 + m}0303", serial=690 + m) for m, k in enumerate("AB", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """户A and 户B on the register from 2019-12-27; in 2020 户B is 低保 and goes through the exit
    procedure to its 退出公示, printed 2020-11-30 (its period 2020-11-30 to 2020-12-06), not filled in."""
    tmp = tmp_path_factory.mktemp("exit-posting")
    db = register_everyone(tmp, [person("A"), person("B")])
    source = survey(tmp / "2020.xlsx", [person("A"), person("B", 是否低保户="是")])
    run("screen", source, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    return db, exit_publicity_form(db, tmp)


@pytest.fixture
def exit_notice(printed, tmp_path, monkeypatch):
    """A copy of the register and of its printed 退出公示, for one test to fill and record."""
    monkeypatch.chdir(tmp_path)  # the commands' output folders land here
    db, notice = printed
    (tmp_path / "reg").mkdir()
    return shutil.copy(db, tmp_path / "reg" / db.name), shutil.copy(notice, tmp_path / notice.name)


def _said(result) -> str:
    return " ".join(result.output.split())


def _exited_on(db) -> tuple[str, str]:
    """户B's exit as `register status` and `register history` say it."""
    status = _said(run("register", "status", db))
    history = _said(run("register", "history", db, "--id", IDS["B"]))
    return status, history


def test_an_exit_publicity_posted_late_moves_the_day_the_households_leave(exit_notice):
    db, notice = exit_notice
    sheets = [ws.title for ws in openpyxl.load_workbook(notice).worksheets]
    assert "张贴记录" in sheets, sheets
    posting = " ".join(str(c.value) for row in openpyxl.load_workbook(notice)["张贴记录"].iter_rows()
                       for c in row if c.value)
    assert "合隆镇前岗村退出公示张贴记录" in posting and "张贴日期" in posting and "张贴人" in posting, posting
    # Posted before it was printed: refused, as an entry publicity's is.
    fill(notice, form={"张贴日期": "2020-11-29"})
    refused = _said(run("register", "record", db, notice, code=2))
    assert "「张贴日期」2020-11-29 早于 2020-11-30,公示期从 2020-11-30 开始(到 2020-12-06):公示名单印发之前不能张贴" \
        in refused, refused
    # Posted 3 days late: up 7 days from 12-03, the household leaves on 12-09, not 12-06.
    fill(notice, form={"张贴日期": "2020年12月3日", "张贴地点": "村务公开栏", "张贴人": "李会计"})
    said = _said(run("register", "record", db, notice))
    assert "「退出公示」2020-12-03 才张贴(原定 2020-11-30 起):公示期按张贴日计,到 2020-12-09 结束,农户自 2020-12-09 起退出" \
        in said, said
    assert "下一环节" not in said, said  # the exit's last step: none follows it
    status, history = _exited_on(db)
    assert "已退出(自 2020年12月9日)" in status, status
    assert "已退出:自 2020-12-09 起" in history and "2020-12-09 退出公示" in history, history
    assert "2020-12-06" not in status + history, (status, history)
    con = sqlite3.connect(db)
    facts = dict(con.execute("SELECT field, new FROM events WHERE step = 'exit_publicity' AND household IS NULL"))
    con.close()
    assert facts["period_start"] == "2020-12-03" and facts["period_end"] == "2020-12-09", facts
    assert facts["posting_by"] == "李会计" and facts["posting_place"] == "村务公开栏", facts


def test_an_exit_publicity_without_a_posting_date_counts_from_the_print_day_and_says_so(exit_notice):
    db, notice = exit_notice
    said = _said(run("register", "record", db, notice))
    assert "「退出公示」没有填写张贴日期(「张贴记录」表):公示期按印发日计,2020-11-30 至 2020-12-06" in said, said
    status, history = _exited_on(db)
    assert "已退出(自 2020年12月6日)" in status and "已退出:自 2020-12-06 起" in history, (status, history)


def test_an_exit_publicity_printed_before_it_had_the_posting_sheet_is_recorded_as_before(exit_notice):
    db, notice = exit_notice
    wb = openpyxl.load_workbook(notice)
    if "张贴记录" in wb.sheetnames:  # as printed before: no such sheet
        del wb["张贴记录"]
    wb.save(notice)
    said = _said(run("register", "record", db, notice))
    assert "1 户(其中不退出、继续帮扶 0 户)已登记" in said, said
    status, history = _exited_on(db)
    assert "已退出(自 2020年12月6日)" in status and "已退出:自 2020-12-06 起" in history, (status, history)
