"""Two runs making the same new register at the same moment.

Found by an outside try: two `edgescreen screen 合隆镇.xlsx -o oa --register 县.db --date 2019-12-02`
started at once (two shells), 县.db not there yet. One said 「新建登记簿 县.db。… 已记录第 1 轮筛查」 and
exited 0; the other was refused (exit 2) and, believing it had made the register, removed it: 县.db
was gone, 10 times in 10. Once the other said 「登记簿无法写入(table meta already exists)」, SQLite's
English. Now one run makes the file (created exclusively) and only the run that made it removes it,
and only where it holds no round but that run's; the other proceeds as on an existing register."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from field_checks import assert_clear_message, folded, invoke, screen
from survey_builders import household, make_id, write_workbook
from edgescreen.register import db, rounds

CHILD_TIMEOUT = 60


@pytest.fixture
def survey(tmp_path):
    return write_workbook(tmp_path / "合隆镇.xlsx",
                          [household(户主姓名=f"户主{n}", 户主身份证号=make_id(serial=n)) for n in range(1, 91)])


def rounds_in(register: Path) -> int:
    with sqlite3.connect(register) as conn:
        return conn.execute("SELECT count(*) FROM rounds").fetchone()[0]


def screen_process(survey: Path, here: Path, out: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "edgescreen", "screen", str(survey), "-o", out,
                             "--register", "县.db", "--date", "2019-12-02"],
                            cwd=here, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_two_runs_making_the_same_register_at_once_leave_it_with_one_round(tmp_path, survey):
    for attempt in range(3):
        here = tmp_path / str(attempt)
        here.mkdir()
        runs = [screen_process(survey, here, out) for out in ("oa", "ob")]
        said = [(run.wait(timeout=CHILD_TIMEOUT), run.stdout.read().decode("utf-8", "replace")) for run in runs]
        register = here / "县.db"
        assert register.exists(), (attempt, said)
        assert rounds_in(register) == 1, (attempt, said)
        codes = sorted(code for code, _ in said)
        assert codes[0] == 0 and codes[1] in (0, 2), (attempt, said)
        recorded = [text for code, text in said if code == 0]
        assert any("新建登记簿" in text and "第 1 轮" in folded(text) for text in recorded), said
        for code, text in said:
            assert_clear_message(text)
            assert "table" not in text.lower() and "sqlite" not in text.lower(), text
        status = invoke("register", "status", register)
        assert status.exit_code == 0 and "第 1 轮" in folded(status.output), status.output


def test_a_register_another_run_made_meanwhile_is_kept_when_this_run_is_refused(tmp_path, survey, monkeypatch):
    """This run found no register, another made it and recorded the same files while this one read
    its survey: this run is refused as on an existing register, and the other's register stays."""
    register = tmp_path / "县.db"
    real = rounds.check_title_year

    def other_run_first(*args, **kw):  # the other run, a process of its own, records before this one
        other = screen_process(survey, tmp_path, "ob")
        assert other.wait(timeout=CHILD_TIMEOUT) == 0, other.stdout.read().decode("utf-8", "replace")
        return real(*args, **kw)

    monkeypatch.setattr(rounds, "check_title_year", other_run_first)
    refused = screen(survey, "-o", tmp_path / "oa", "--register", register, "--date", "2019-12-02")
    assert refused.exit_code == 2, refused.output
    assert_clear_message(refused.output, phrases=["第 1 轮"])
    assert register.exists() and rounds_in(register) == 1, list(tmp_path.iterdir())
    assert not (tmp_path / "oa").exists()


def test_a_run_opening_a_register_another_run_is_making_proceeds_on_it(tmp_path):
    """The other run holds the new file while it makes the tables; this run, which read it empty,
    waits and then opens what the other made, instead of making the tables a second time."""
    register = tmp_path / "县.db"
    register.touch()
    maker = sqlite3.connect(register, isolation_level=None)
    maker.execute("BEGIN IMMEDIATE")
    opened: dict = {}

    def open_it():  # a connection is used in the thread that made it
        try:
            with db.open_register(register, create=True) as reg:
                opened.update(register_id=reg.register_id, made=reg.made)
        except Exception as exc:  # said by the test below, not lost in the thread
            opened["error"] = exc

    thread = threading.Thread(target=open_it)
    thread.start()
    time.sleep(0.5)  # it has read the file empty and waits for the lock
    db._migration(maker, 0)
    maker.execute("COMMIT")
    made_id = maker.execute("SELECT value FROM meta WHERE key = 'register_id'").fetchone()[0]
    maker.close()
    thread.join(timeout=CHILD_TIMEOUT)
    assert opened == {"register_id": made_id, "made": False}, opened
    assert register.exists()


def test_a_run_waiting_on_a_register_its_maker_removed_is_refused_in_chinese(tmp_path):
    """The run that made the register failed before its round and removed it while the other run,
    which had it open, waited: the other writes nothing into a file no longer there, and says so."""
    register = tmp_path / "县.db"
    maker = db.open_register(register, create=True)
    other = db.open_register(register, create=True)
    assert maker.made and not other.made
    assert not db.remove_made(db.open_register(register, create=True))  # not a later opener's to remove
    assert register.exists()
    assert db.remove_made(maker)
    assert not register.exists()
    try:
        with pytest.raises(db.OutputError) as refused, other.writing():
            pass
    finally:
        other.close()
    assert refused.value.key == "register_removed_meanwhile"
    assert not register.exists()
