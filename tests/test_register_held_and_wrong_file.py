"""The register held by another program with an EXCLUSIVE lock (a DB browser mid-edit), and a workbook
given as the register (an outside try, BA).

Before: under BEGIN EXCLUSIVE every command waited in silence up to 15 s on its first read (opening the
file), and a Ctrl-C at 3 s was heard only when that wait ended; only the write's wait was told. A survey
or a returned form given as the register (the arguments swapped, an .xlsx renamed .db) was refused as
「不是 edgescreen 的登记簿(别的文件,或已损坏)」, which says neither what it is nor what comes first."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from register_builders import fill, meeting
from test_register import DATES, Walk, dump, run
from edgescreen.cli import app
from edgescreen.inputs import OLE2
from edgescreen.register import db as register_db

runner = CliRunner()

WAITING = "登记簿正被另一个程序占用,等它放开(最多 {} 秒)"
WORKBOOK = "不是 edgescreen 的登记簿,而是一个 Excel/WPS 工作簿:调查表或文书"
REGISTER_FIRST = "edgescreen register record 登记簿.db 文书.xlsx"
TODAYS = "不是 edgescreen 的登记簿(别的文件,或已损坏)"


def said(result) -> str:
    return " ".join(result.output.split())


def held_exclusive(db):
    """A connection holding the register as a DB browser mid-edit does (BEGIN EXCLUSIVE: not even read)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN EXCLUSIVE")
    return con


def test_status_on_a_register_held_exclusive_says_it_waits_then_reads_it(tmp_path):
    walk = Walk(tmp_path)
    held = threading.Event()

    def hold():
        con = held_exclusive(walk.db)
        held.set()
        time.sleep(3)
        con.execute("ROLLBACK")
        con.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    started = time.monotonic()
    result = run("register", "status", walk.db)
    waited = time.monotonic() - started
    thread.join()
    words = said(result)
    assert WAITING.format(15) in words and words.count("等它放开") == 1, words
    assert "认定进度" in words and waited > 1.5, (waited, words)


def _returned_review(walk):
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting())
    return docs


@pytest.mark.parametrize("command", ["status", "next", "record", "screen"])
def test_a_register_held_exclusive_past_the_limit_is_refused_by_every_command(tmp_path, monkeypatch, command):
    """The same limit and words as the write's wait, told first, for the reads of each command."""
    walk = Walk(tmp_path)
    docs = _returned_review(walk) if command == "record" else []
    args = {"status": ["register", "status", walk.db],
            "next": ["register", "next", walk.db, "--date", DATES["review"], "-o", tmp_path / "docs"],
            "record": ["register", "record", walk.db, *docs],
            "screen": ["screen", walk.resurvey(), "-o", tmp_path / "out2", "--register", walk.db,
                       "--date", DATES["review"]]}[command]
    before = dump(walk.db)
    monkeypatch.setattr(register_db, "BUSY_TIMEOUT_MS", 2000)
    monkeypatch.setattr(register_db, "FIRST_WAIT_MS", 200)
    con = held_exclusive(walk.db)
    try:
        words = said(run(*args, code=2))
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert WAITING.format(2) in words and words.count("等它放开") == 1, words
    assert "等了 2 秒仍未放开。登记簿没有改动" in words, words
    assert dump(walk.db) == before
    assert not (tmp_path / "docs").exists() and not (tmp_path / "out2").exists()


def test_ctrl_c_is_heard_while_the_register_is_held_exclusive(tmp_path):
    """Its own process, as a clerk's terminal: the notice comes, then Ctrl-C ends it at once (before: at 15 s)."""
    walk = Walk(tmp_path)
    con = held_exclusive(walk.db)
    try:
        child = subprocess.Popen([sys.executable, "-m", "edgescreen", "register", "status", str(walk.db)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        first = child.stderr.readline()  # the notice, a second into the wait
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = child.communicate(timeout=60)
        heard = time.monotonic() - sent
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert "等它放开(最多 15 秒)" in first, first + err
    assert child.returncode == 130 and heard < 5, (child.returncode, heard, err)
    assert "已中断" in err


def test_a_survey_or_form_given_as_the_register_is_said_so_and_the_register_first(tmp_path):
    walk = Walk(tmp_path)
    docs = _returned_review(walk)
    before = dump(walk.db)
    files = {p: p.read_bytes() for p in (walk.survey, *docs)}
    # The register left off: the survey taken as the register.
    words = said(run("register", "record", walk.survey, *docs, code=2))
    assert f"{walk.survey}:{WORKBOOK}" in words and REGISTER_FIRST in words, words
    # The arguments swapped: a form first, the register after it.
    words = said(run("register", "record", docs[0], walk.db, code=2))
    assert WORKBOOK in words and REGISTER_FIRST in words and TODAYS not in words, words
    # screen --register naming a workbook: refused before anything is read or written.
    words = said(run("screen", walk.resurvey(), "-o", tmp_path / "out2", "--register", docs[0], code=2))
    assert WORKBOOK in words and "--register 登记簿.db" in words and not (tmp_path / "out2").exists(), words
    assert dump(walk.db) == before and all(p.read_bytes() == b for p, b in files.items())


def test_a_workbook_or_text_table_renamed_db_is_said_as_what_it_is(tmp_path):
    walk = Walk(tmp_path)
    renamed = shutil.copy(walk.survey, tmp_path / "农安县-副本.db")
    legacy = tmp_path / "旧表.db"
    legacy.write_bytes(OLE2 + bytes(504))  # an .xls's (or WPS .et's) first bytes
    text = tmp_path / "名单.db"
    text.write_text("户主姓名,户主身份证号\n张三,220122196505271677\n", encoding="utf-8")
    for path in (renamed, legacy):
        words = said(run("register", "status", path, code=2))
        assert WORKBOOK in words and REGISTER_FIRST in words, words
    words = said(run("register", "status", text, code=2))
    assert "而是一个存成文本的表格(如 .csv):调查表或文书" in words, words
    english = runner.invoke(app, ["register", "status", str(renamed), "--lang", "en"], env={"COLUMNS": "400"})
    words = " ".join(english.output.split())
    assert english.exit_code == 2 and "not an edgescreen register but an Excel/WPS workbook: a survey or a form" \
        in words and "edgescreen register record REGISTER.db FORM.xlsx" in words, words
    assert renamed.read_bytes() == walk.survey.read_bytes()


def test_other_files_keep_todays_words(tmp_path):
    """Guards what was right: a file that is neither a workbook nor a text table is refused as before."""
    binary = tmp_path / "binary.db"
    binary.write_bytes(bytes(range(256)) * 4)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    for path in (binary, other):
        words = said(run("register", "status", path, code=2))
        assert TODAYS in words and "调查表或文书" not in words, words
