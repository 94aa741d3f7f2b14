"""An outside tester's findings on recording a step's folder and on small wordings (round 2):
a 公示 still in its 7 days held up the whole folder it was returned in; an interrupted record said
"nothing written" where the register is what matters; a date without its day got no example; a
posting before the 公告 began named its start only where the line did not wrap; `register next`
over an existing folder spoke of replacing it, and said nothing of when anything will be due; the
note of villages left part-way by a new round was not wrapped at 80 columns."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from register_builders import fill, meeting
from test_register import Walk, dump, run
from edgescreen import runtime

TODAY = dt.date.today()
END = TODAY + dt.timedelta(days=6)  # a publicity issued today: 7 days, both ends counted
AFTER = END + dt.timedelta(days=1)


def _said(output: str) -> str:
    return " ".join(output.split())


def _flat(text: str) -> str:
    """Without any space: a Chinese line wrapped at 80 columns reads on across the break."""
    return "".join(text.split())


def _steps_recorded(db: Path, step: str) -> dict[str, str]:
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT village, new FROM events WHERE step = ? AND field = 'date' "
                                "AND village IS NOT NULL", (step,)))
    finally:
        con.close()


@pytest.fixture
def folder_walk(tmp_path):
    """The clerk's one folder, 文书, replaced with --force at each step: 前岗村 ahead, its 第一次公示
    out today (in its 7 days), 青山村 and 三宝村 still at their 民主评议, out in the same folder."""
    walk = Walk(tmp_path)
    folder, returned = tmp_path / "文书", tmp_path / "回收"
    returned.mkdir()
    run("register", "next", walk.db, "--date", "2019-11-21", "-o", folder)
    ahead = fill(folder / "1-民主评议" / "合隆镇-前岗村-民主评议.xlsx", default=("同意", ""), form=meeting("2019年11月25日"),
                 save_as=returned / "评议-前岗村.xlsx")
    walk.record(ahead)
    run("register", "next", walk.db, "--date", "2019-11-26", "-o", folder, "--force")
    visits = fill(folder / "2-入户核实" / "合隆镇-前岗村-入户核实.xlsx", default=("属实", ""),
                  rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)}, save_as=returned / "核实-前岗村.xlsx")
    walk.record(visits)
    run("register", "next", walk.db, "--date", TODAY.isoformat(), "-o", folder, "--force")
    walk.folder = folder
    return walk


# 1 ---------------------------------------------------------------------------------------------

def test_a_publicity_in_its_period_is_passed_over_and_the_rest_of_the_folder_is_recorded(folder_walk):
    walk, folder = folder_walk, folder_walk.folder
    publicity = folder / "3-第一次公示" / "合隆镇-前岗村-第一次公示.xlsx"
    assert publicity.exists()
    # An objection already typed on it: still not recorded before the period ends.
    fill(publicity, objections=[("王一", "说他家有楼房", "不成立", TODAY.isoformat())])
    fill(folder / "1-民主评议" / "合隆镇-青山村-民主评议.xlsx", default=("同意", ""), form=meeting("2019年11月25日"))
    out = walk.record(folder).output  # exit 0: nothing refused
    said = _said(out)
    assert (f"合隆镇-前岗村-第一次公示.xlsx:第一次公示,合隆镇前岗村:{TODAY.isoformat()}至{END.isoformat()} 还在张贴期内,"
            f"期满之前不能登记,已跳过:请在 {AFTER.isoformat()} 或以后再登记(已填写的异议等内容到时一并登记") in said, said
    assert "合隆镇-青山村-民主评议.xlsx:民主评议,合隆镇青山村" in said and "已登记" in said, said
    assert "烧锅镇-三宝村-民主评议.xlsx:民主评议,烧锅镇三宝村:还没有填写" in said, said
    assert "登记簿没有任何改动" not in said
    assert "青山村" in _steps_recorded(walk.db, "review")
    assert _steps_recorded(walk.db, "publicity1") == {}
    # The publicity alone, early: exit 0 with its note, the register as it was.
    before = dump(walk.db)
    alone = _said(walk.record(publicity).output)
    assert f"请在 {AFTER.isoformat()} 或以后再登记" in alone and "已跳过" in alone, alone
    assert dump(walk.db) == before
    # English too.
    english = _said(walk.record(publicity, extra=["--lang", "en"]).output)
    assert f"still up, {TODAY.isoformat()} to {END.isoformat()}" in english
    assert f"record it on {AFTER.isoformat()} or later (what is typed on it is recorded then" in english, english


def test_a_real_problem_beside_a_publicity_in_its_period_still_refuses_everything(folder_walk):
    walk, folder = folder_walk, folder_walk.folder
    fill(folder / "1-民主评议" / "合隆镇-青山村-民主评议.xlsx", default=("不同意", ""), form=meeting("2019年11月25日"))
    before = dump(walk.db)
    said = _said(walk.record(folder, code=2).output)
    assert "登记簿没有任何改动" in said and "合隆镇-青山村-民主评议.xlsx" in said
    assert "合隆镇-前岗村-第一次公示.xlsx" not in said  # the publicity in its period is no problem of the run
    assert dump(walk.db) == before


def test_an_announcement_posted_late_and_still_up_is_passed_over_the_others_recorded(tmp_path):
    """Printed for 8 days ago (its printed 7 days over yesterday), posted in 前岗村 only 3 days ago:
    it stays up to 3 days from now. Passed over, saying when; the villages posted on time are recorded."""
    walk = Walk(tmp_path)
    walk.through("county_review")
    issued = TODAY - dt.timedelta(days=8)
    docs = walk.issue("announcement", date=issued.isoformat())
    posted = TODAY - dt.timedelta(days=3)
    for p in docs:
        fill(p, form={"张贴日期": (posted if "前岗村" in p.name else issued).isoformat(), "张贴人": "李会计",
                      "张贴地点": "村务公开栏"})
    said = _said(walk.record(*docs).output)
    late_end = posted + dt.timedelta(days=6)
    assert (f"合隆镇-前岗村-公告.xlsx:公告,合隆镇前岗村:{posted.isoformat()} 才张贴(原定 {issued.isoformat()} 起),"
            f"须张贴满期,到 {late_end.isoformat()} 结束,已跳过:请在 {(late_end + dt.timedelta(days=1)).isoformat()}"
            " 或以后再登记") in said, said
    assert set(_steps_recorded(walk.db, "announcement")) == {"青山村", "三宝村"}


# 2a --------------------------------------------------------------------------------------------

def test_an_interrupted_record_says_the_register_was_not_changed(walk_db, monkeypatch):
    walk = walk_db
    import edgescreen.register as register

    def stopped(*args, **kwargs):
        raise runtime.Interrupted(signal.SIGINT)

    monkeypatch.setattr(register, "record_documents", stopped)
    docs = walk.review(record=False)
    before = dump(walk.db)
    runtime.mark_saved(False)  # as the program's entry point does at each command's start
    result = run("register", "record", walk.db, *docs, code=128 + signal.SIGINT)
    assert "已中断,登记簿没有改动" in result.output and "未写出任何文件" not in result.output, result.output
    runtime.mark_saved(False)
    result = run("register", "record", walk.db, *docs, "--lang", "en", code=128 + signal.SIGINT)
    assert "Interrupted; the register was not changed" in result.output
    assert dump(walk.db) == before


def test_a_record_interrupted_while_it_loads_says_the_register_was_not_changed(tmp_path):
    """Try BA: a Ctrl-C 0.3 s into `register record` (before the command's own guard) said
    「已中断,未写出任何文件」, the screen's words; record writes only the register."""
    code = ("import signal, sys\n"
            "from edgescreen import runtime\n"
            "from edgescreen.cli import program\n"
            "def stopped(*args, **kwargs):\n"
            "    raise runtime.Interrupted(signal.SIGINT)\n"
            "program.app = stopped\n"
            "sys.argv = ['edgescreen', *sys.argv[1:]]\n"
            "program.main()\n")
    said = {}
    for command in (["register", "record", "农安县.db", "表.xlsx"], ["screen", "表.xlsx"]):
        done = subprocess.run([sys.executable, "-c", code, *command], capture_output=True, text=True,
                              cwd=tmp_path, env={**os.environ, "COLUMNS": "200"})
        assert done.returncode == 128 + signal.SIGINT, done.stderr
        said[command[0]] = done.stderr
    assert "已中断,登记簿没有改动" in said["register"] and "未写出任何文件" not in said["register"], said
    assert "已中断,未写出任何文件" in said["screen"], said


@pytest.fixture
def walk_db(tmp_path):
    return Walk(tmp_path)


# 2b --------------------------------------------------------------------------------------------

def test_a_measure_end_date_without_its_day_gets_an_example_in_the_forms_year(walk_db):
    from years_builders import MeasureForm

    walk = walk_db
    walk.through("announcement")
    run("register", "measures", walk.db, "--date", "2019-12-28", "-o", walk.tmp / "forms")
    form = MeasureForm(walk.tmp / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")
    form.add("王一", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2019-12-28", 结束日期="2020年5月",
             帮扶责任人="赵干部")
    said = _said(walk.record(form.save(), code=2).output)
    assert "「2020年5月」,不是日期:请按年月日写成 YYYY-MM-DD 或 YYYY年M月D日,如 2019-12-28 或 2019年12月28日" in said, said


# 2c --------------------------------------------------------------------------------------------

def test_a_posting_before_the_announcement_began_names_the_start_beside_the_word_before(walk_db):
    walk = walk_db
    walk.through("county_review")
    docs = walk.issue("announcement")
    late = next(p for p in docs if "前岗村" in p.name)
    fill(late, form={"张贴日期": "2019-12-20", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    said = _flat(run("register", "record", walk.db, late, code=2, columns=80).output)
    assert _flat("「张贴日期」2019-12-20 早于 2019-12-21,公告期从 2019-12-21 开始(到 2019-12-27)") in said, said
    english = _said(run("register", "record", walk.db, late, "--lang", "en", code=2, columns=80).output)
    assert "2019-12-20 is before 2019-12-21, the first day of the announcement period" in english, english


# 2d --------------------------------------------------------------------------------------------

def test_next_over_an_existing_folder_says_what_force_keeps(folder_walk):
    walk, folder = folder_walk, folder_walk.folder
    fill(folder / "1-民主评议" / "合隆镇-青山村-民主评议.xlsx", default=("同意", ""), form=meeting("2019年11月25日"))
    walk.record(folder / "1-民主评议" / "合隆镇-青山村-民主评议.xlsx")
    said = _said(run("register", "next", walk.db, "--date", TODAY.isoformat(), "-o", folder, code=2).output)
    assert "文件夹已经存在" in said and "已发出、尚未登记的文书原样保留" in said, said
    assert "替换它" not in said


def test_next_with_nothing_due_says_when_the_next_thing_is(folder_walk):
    walk = folder_walk
    said = _said(run("register", "next", walk.db, "--date", TODAY.isoformat(), "-o", walk.tmp / "又一次").output)
    assert (f"没有到期要发出的文书:最早的是合隆镇前岗村的「第一次公示」,{END.isoformat()} 期满,"
            f"{AFTER.isoformat()} 或以后登记它,就可以发出下一环节的文书") in said, said
    english = _said(run("register", "next", walk.db, "--date", TODAY.isoformat(), "-o", walk.tmp / "again",
                        "--lang", "en").output)
    assert "No document is due: the earliest, the first publicity of" in english, english
    assert f"ends on {END.isoformat()}" in english


# 2e --------------------------------------------------------------------------------------------

def test_a_new_round_wraps_its_note_of_villages_left_part_way_at_80_columns(walk_db):
    walk = walk_db
    walk.review()
    again = ["screen", walk.resurvey(), "-o", walk.tmp / "again", "--register", walk.db, "--date", "2019-12-30"]
    # Refused first (2026-12-05), naming the villages: wrapped at 80 too.
    refusal = run(*again, code=2, columns=80).output.splitlines()
    at = next(i for i, line in enumerate(refusal) if "第 1 轮还有" in line)
    assert all(cell_len(line) <= 80 for line in refusal[at:]), refusal[at:]
    out = run(*again, "--leave-unfinished", columns=80).output
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if "注意:第 1 轮还有" in line)
    assert "第 2 轮开始后" in " ".join(lines[at:at + 4])
    assert all(cell_len(line) <= 80 for line in lines[at:at + 4]), lines[at:at + 4]
