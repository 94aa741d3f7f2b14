"""The register's file: append-only, versioned and migrated forward, one transaction per command that
a crash cannot leave half done, a second command waiting for the first, and files that are not a
register refused with words a clerk can act on."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from field_checks import without_file_permission_override
from register_builders import fill, meeting
from test_register import Walk, dump, run
from edgescreen.cli import app
from edgescreen.register import db as register_db
from edgescreen.register import open_register

runner = CliRunner()


def test_nothing_is_ever_updated_or_deleted(tmp_path):
    walk = Walk(tmp_path)
    walk.review()
    con = sqlite3.connect(walk.db)
    for sql in ("UPDATE events SET new = 'no'", "DELETE FROM events", "DELETE FROM screened",
                "UPDATE changesets SET os_user = 'someone else'", "DELETE FROM documents"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)
    con.close()


def test_every_event_says_who_when_which_command_and_which_file(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.review()
    con = sqlite3.connect(walk.db)
    rows = con.execute("SELECT DISTINCT c.command, c.os_user, c.source_file, c.source_sha256, c.doc_id, c.at "
                       "FROM events e JOIN changesets c ON c.id = e.changeset").fetchall()
    con.close()
    assert sorted(r[2] for r in rows) == sorted(p.name for p in docs)
    from edgescreen.inputs import file_sha256
    assert {r[3] for r in rows} == {file_sha256(p) for p in docs}
    assert all(r[0] == "register record" and r[1] and len(r[4]) == 36 and r[5].startswith("20") for r in rows)


def test_a_crash_in_the_middle_of_record_leaves_the_register_as_it_was(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting())
    before = dump(walk.db)
    env = {**os.environ, "EDGESCREEN_TEST_CRASH": "events_inserted"}
    crashed = subprocess.run([sys.executable, "-m", "edgescreen", "register", "record", str(walk.db), *map(str, docs)],
                             env=env, capture_output=True, timeout=120)
    assert crashed.returncode == -signal.SIGKILL  # killed after its events were written, before the commit
    assert dump(walk.db) == before
    con = sqlite3.connect(walk.db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    # The same files record normally afterwards.
    assert "已登记" in walk.record(*docs).output
    assert dump(walk.db) != before


def test_a_crash_in_the_middle_of_next_writes_neither_folder_nor_documents(tmp_path):
    walk = Walk(tmp_path)
    before = dump(walk.db)
    env = {**os.environ, "EDGESCREEN_TEST_CRASH": "documents_inserted"}
    folder = tmp_path / "docs"
    crashed = subprocess.run([sys.executable, "-m", "edgescreen", "register", "next", str(walk.db), "--date",
                              "2019-11-21", "-o", str(folder)], env=env, capture_output=True, timeout=120)
    assert crashed.returncode == -signal.SIGKILL
    assert dump(walk.db) == before and not folder.exists()
    assert "民主评议:3 份文书" in run("register", "next", walk.db, "--date", "2019-11-21", "-o", folder).output


def test_a_second_command_waits_for_the_first_and_says_so(tmp_path):
    """Past the first second the wait is said (before: nothing on the screen for up to 15 s)."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting())
    held = threading.Event()

    def hold():
        con = sqlite3.connect(walk.db, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(1.6)
        con.execute("COMMIT")
        con.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    result = walk.record(*docs)  # waits the other out, then records
    thread.join()
    said = " ".join(result.output.split())
    assert "登记簿正被另一个程序占用,等它放开(最多 15 秒)" in said and "已登记" in said, said


def test_a_busy_register_is_refused_with_a_message(tmp_path, monkeypatch):
    walk = Walk(tmp_path)
    """Held by a program that is not edgescreen (an SQLite tool): before, 正被另一个 edgescreen 命令使用."""
    monkeypatch.setattr(register_db, "BUSY_TIMEOUT_MS", 2000)
    monkeypatch.setattr(register_db, "FIRST_WAIT_MS", 200)
    con = sqlite3.connect(walk.db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    try:
        before = dump(walk.db)
        result = run("register", "next", walk.db, "--date", "2019-11-21", "-o", tmp_path / "docs", code=2)
        said = " ".join(result.output.split())
        assert "等它放开(最多 2 秒)" in said and "登记簿正被另一个程序占用(另一个 edgescreen 命令,或用 SQLite" in said
        assert "等了 2 秒仍未放开。登记簿没有改动" in said and not (tmp_path / "docs").exists()
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert dump(walk.db) == before


def test_a_read_only_register_is_said_in_chinese_with_what_to_do(tmp_path):
    """Before: 登记簿无法写入(attempt to write a readonly database), SQLite's English. Run as its own
    process; as root (who may write anything) without the capability to override file permissions."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting())
    prefix = without_file_permission_override()
    before = dump(walk.db)
    walk.db.chmod(0o444)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "edgescreen", "register", "record", str(walk.db),
                               *map(str, docs)], capture_output=True, text=True, timeout=120)
    finally:
        walk.db.chmod(0o644)
    said = " ".join((done.stdout + done.stderr).split())
    assert done.returncode == 2, said
    assert "登记簿是只读的" in said and "复制到可以写入的文件夹" in said and "去掉「只读」" in said, said
    assert "readonly" not in said and "attempt" not in said, said
    assert dump(walk.db) == before


def test_files_that_are_not_a_register_are_refused(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("not a database", encoding="utf-8")
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.close()
    for path in (text, other):
        before = path.read_bytes()
        assert "不是 edgescreen 的登记簿" in run("register", "status", path, code=2).output
        assert path.read_bytes() == before
    assert "找不到登记簿" in run("register", "status", tmp_path / "none.db", code=2).output
    # screen --register refuses before reading, and writes no output folder.
    walk_survey = Walk(tmp_path / "w").survey
    result = run("screen", walk_survey, "-o", tmp_path / "out", "--register", other, code=2)
    assert "不是 edgescreen 的登记簿" in result.output and not (tmp_path / "out").exists()
    result = run("screen", walk_survey, "-o", tmp_path / "out", "--register", tmp_path / "new.db", "--date",
                 "2099-01-01", code=2)
    assert "晚于今天" in result.output and not (tmp_path / "new.db").exists()


def test_a_damaged_register_is_refused_and_never_written(tmp_path):
    """A page of the file overwritten (a bad sector, a copy cut short): status, next and record read it
    and record wrote 24 documents onto it, exit 0 (an outside try). Now refused, the file untouched."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    with sqlite3.connect(walk.db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        table_page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'screened'").fetchone()[0]
    con.close()
    with open(walk.db, "r+b") as fh:  # the screened table's first page: garbage
        fh.seek((table_page - 1) * 4096 + 100)
        fh.write(os.urandom(3000))
    before = walk.db.read_bytes()
    for args in (["register", "status", walk.db], ["register", "record", walk.db, *docs]):
        said = " ".join(run(*args, code=2).output.split())
        assert "登记簿文件已损坏" in said and "备份" in said, said
    assert walk.db.read_bytes() == before


def test_a_register_from_a_newer_edgescreen_is_refused_and_an_older_one_migrated(tmp_path, monkeypatch):
    walk = Walk(tmp_path)
    # A later version adds a migration: this file is migrated forward when that version opens it.
    added = []
    ours = register_db.SCHEMA_VERSION
    monkeypatch.setattr(register_db, "MIGRATIONS", [*register_db.MIGRATIONS,
                                                    lambda conn: added.append(conn.execute("CREATE TABLE extra (x)"))])
    monkeypatch.setattr(register_db, "SCHEMA_VERSION", ours + 1)
    with open_register(walk.db) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == ours + 1 and f"schema_{ours + 1}" in reg.meta
    assert added
    monkeypatch.undo()
    # Back in this version, the file is newer than the program: refused, untouched.
    before = dump(walk.db)
    output = run("register", "status", walk.db, code=2).output
    assert f"由更新版本的 edgescreen 建立(格式第 {ours + 1} 版,本程序只认到第 {ours} 版)" in output
    assert dump(walk.db) == before


def test_english_words_on_request(tmp_path):
    walk = Walk(tmp_path)
    result = run("register", "next", walk.db, "--date", "2019-11-21", "-o", tmp_path / "en", "--lang", "en")
    assert "democratic review: 3 documents" in result.output
    doc = sorted((tmp_path / "en" / "1-review").glob("*.xlsx"))[0]
    fill(doc, default=("agree", ""), decisions={2: ("disagree", "")}, form={"meeting date": "2019-11-25",
         "meeting place": "hall", "chaired by": "Wang", "representatives expected": 30,
         "representatives present": 28, "minutes taken by": "Li"})
    output = runner.invoke(app, ["register", "record", str(walk.db), str(doc), "--lang", "en"]).output
    assert "“disagree” needs its reason" in output and "Nothing was recorded" in output


def test_more_households_than_sqlite_takes_variables(tmp_path):
    """A county's households asked of the register (their measures, rounds, events, the documents
    that list them) in one statement, whatever their number (SQLite takes at most 32,766 '?' in one):
    the real ones among 40,000 others are all found."""
    walk = Walk(tmp_path)
    walk.review()
    con = sqlite3.connect(walk.db)
    real = [h for (h,) in con.execute("SELECT DISTINCT household FROM events WHERE household IS NOT NULL")]
    documents = con.execute("SELECT id, doc_id FROM documents").fetchall()
    con.close()
    others = list(range(100_000, 140_000))
    reg = open_register(walk.db)
    # SQLite's own default, which Windows' Python has (Debian builds it with 250,000).
    reg.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    try:
        with reg.reading():
            for asked in (register_db.screened_of, register_db.history):
                found = len(asked(reg, real))
                assert found > 0 and len(asked(reg, [*others, *real])) == found, asked.__name__
            for asked in (register_db.measure_history, register_db.screened_of, register_db.history,
                          register_db.document_rows):
                assert asked(reg, others).empty and asked(reg, []).empty, asked.__name__
            ids = [i for i, _ in documents]
            rows = len(register_db.document_rows(reg, ids))
            assert rows > 0 and len(register_db.document_rows(reg, [*others, *ids])) == rows
            named = register_db.documents_by_id(reg, [*(f"doc-{i}" for i in others), *(d for _, d in documents)])
            assert set(named) == {d for _, d in documents}
    finally:
        reg.close()


def test_an_empty_register_a_name_too_long_are_said_and_nothing_is_left_behind(tmp_path):
    """A 0-byte register was 'not found' though the file is there; a name of 84 Chinese characters
    (255 bytes) got SQLite's English 'unable to open database file' and left a 0-byte file behind (an
    outside try)."""
    empty = tmp_path / "农安县.db"
    empty.write_bytes(b"")
    said = " ".join(run("register", "status", empty, code=2).output.split())
    assert "登记簿文件是空的(0 字节)" in said, said
    survey = Walk(tmp_path / "w").survey
    long_name = tmp_path / ("农" * 84 + ".db")  # 255 bytes: the file can be made, its -journal cannot
    said = " ".join(run("screen", survey, "-o", tmp_path / "out", "--register", long_name, "--date", "2019-12-02",
                        code=2).output.split())
    assert "登记簿的文件名太长" in said, said
    assert not any(p.name.startswith("农农") for p in tmp_path.iterdir())


def test_what_a_command_commits_is_in_the_one_file_a_clerk_copies(tmp_path):
    """An outside try: killed just after its commit, `record`'s rows lived in 农安县.db-wal, and a copy of
    农安县.db alone (the backup the messages describe) lacked them; a stale -wal beside a restored copy
    was applied to it. The register keeps a rollback journal: committed is in the file. A register an
    earlier version kept in WAL mode becomes one file on its next open."""
    walk = Walk(tmp_path)
    with sqlite3.connect(walk.db) as con:  # as an earlier version left it
        assert con.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    con.close()
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    assert walk.record(*docs).exit_code == 0
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(walk.db.name + "-")]
    copy = tmp_path / "U盘" / "农安县.db"
    copy.parent.mkdir()
    copy.write_bytes(walk.db.read_bytes())
    assert dump(copy) == dump(walk.db)
    with sqlite3.connect(copy) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    con.close()


def test_a_register_cut_short_is_said_damaged_with_its_backup(tmp_path):
    """A copy cut short (a USB stick pulled out) was "not an edgescreen register (another file)": its
    header is a register's, so it is damaged, to be replaced by the backup."""
    walk = Walk(tmp_path)
    short = tmp_path / "半截.db"
    short.write_bytes(walk.db.read_bytes()[: walk.db.stat().st_size // 2])
    said = " ".join(run("register", "status", short, code=2).output.split())
    assert "登记簿文件已损坏" in said and "备份" in said, said


def test_ctrl_c_while_waiting_for_a_busy_register_stops_at_once(tmp_path):
    """An outside try: Ctrl-C did nothing for about 12 s while `record` waited inside SQLite's busy wait
    for a register another program held. The wait is now short tries: it stops within a second."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    con = sqlite3.connect(walk.db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    try:
        before = dump(walk.db)
        log = tmp_path / "record.log"
        with open(log, "wb") as fh:
            proc = subprocess.Popen([sys.executable, "-m", "edgescreen", "register", "record", str(walk.db),
                                     *map(str, docs)], stdout=fh, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while "等它放开" not in log.read_text(encoding="utf-8", errors="replace"):  # waiting now
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        proc.wait(timeout=30)
        stopped = time.monotonic() - start
        out = log.read_text(encoding="utf-8")
    finally:
        con.execute("ROLLBACK")
        con.close()
    assert proc.returncode == 130 and stopped < 3, (stopped, out)
    assert "登记簿没有改动" in " ".join(out.split()), out
    assert dump(walk.db) == before


def _as_version_2(path) -> None:
    """The register as edgescreen wrote it before version 3: without a round's roster exclusions (nor
    its rule set's text, version 4's, nor the later changes of a round, version 5's, nor the income
    parts, version 6's, nor the enumerators, version 7's)."""
    con = sqlite3.connect(path, isolation_level=None)
    for part in register_db.INCOME_PARTS:
        con.execute(f"ALTER TABLE screened DROP COLUMN {part}_fen")
    con.execute("ALTER TABLE screened DROP COLUMN enumerator")  # version 7's
    for column in register_db.DATA_DOUBTS:  # version 8's
        con.execute(f"ALTER TABLE screened DROP COLUMN {column}")
    con.execute("DROP TABLE round_changes_later")
    con.execute("ALTER TABLE rounds DROP COLUMN rules_text")
    con.execute("ALTER TABLE screened DROP COLUMN roster_excluded")
    con.execute("ALTER TABLE rounds DROP COLUMN roster_kinds")
    con.execute("PRAGMA user_version = 2")
    con.close()


def test_a_version_2_register_is_migrated_and_on_read_only_media_read_as_it_is(tmp_path):
    walk = Walk(tmp_path)
    _as_version_2(walk.db)
    before = dump(walk.db)
    # Read-only (a copy on a CD, a locked share): read as it is, its sample drawn, the file untouched.
    prefix = without_file_permission_override()
    walk.db.chmod(0o444)
    try:
        for args in (["register", "status", walk.db], ["sample", walk.db, "-o", tmp_path / "抽查"]):
            done = subprocess.run([*prefix, sys.executable, "-m", "edgescreen", *map(str, args)],
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stdout + done.stderr
    finally:
        walk.db.chmod(0o644)
    assert dump(walk.db) == before
    # Writable: migrated forward as it opens, and its rounds keep what they held.
    with open_register(walk.db) as reg:
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == register_db.SCHEMA_VERSION
        assert reg.conn.execute("SELECT count(*), count(roster_excluded) FROM screened").fetchone()[1] == 0
        assert reg.conn.execute("SELECT roster_kinds, rules_text FROM rounds").fetchall() == [(None, None)]
    run("sample", walk.db, "-o", tmp_path / "抽查2")


def test_an_upgraded_register_keeps_a_copy_as_it_was_and_says_so(tmp_path):
    """From an outside try (a county upgrading mid-year): `register status` upgraded a version-2 register
    without a word or a copy, and the office's second PC, not yet upgraded, could no longer open it."""
    walk = Walk(tmp_path)
    _as_version_2(walk.db)
    before = dump(walk.db)
    # A look (status) reads it as it is; the first command that writes (next) upgrades it.
    assert "较早版本" not in run("register", "status", walk.db).output and dump(walk.db) == before
    said = " ".join(run("register", "next", walk.db, "--date", "2019-11-21", "-o", tmp_path / "文书").output.split())
    kept = walk.db.with_name(f"{walk.db.stem}.升级前第2版{walk.db.suffix}")
    assert "这个登记簿是较早版本的 edgescreen 建立的(格式第 2 版),已升级为第" in said, said
    assert kept.name in said and "其他电脑上的 edgescreen 也请升级" in said, said
    assert kept.exists() and dump(kept) == before
    con = sqlite3.connect(kept)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()
    # Opened again: nothing more to upgrade, nothing said, no second copy.
    assert "较早版本" not in run("register", "status", walk.db).output
    assert sorted(p.name for p in tmp_path.glob("*.升级前*")) == [kept.name]
