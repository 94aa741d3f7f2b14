"""The register's file, and the only module that speaks SQL (stdlib sqlite3).

One SQLite file per county (农安县.db): a rollback journal, not a write-ahead log, so that what a
command committed is in that one file (a clerk's backup is a copy of it; a -wal beside it held the
last commands' rows, and a stale one beside a restored copy was applied to it), foreign keys on, the schema's version in
PRAGMA user_version and a `meta` table (the register's id, when and by which version it was made,
each migration). A file made by a newer edgescreen is refused; an older one is migrated forward by
the ordered functions of MIGRATIONS, in one transaction.

Nothing is ever changed or deleted: triggers refuse UPDATE and DELETE on every table but `meta`.
A change is a new row: an event pointing to its changeset (who, when, which command, from which
file). Each command writes in one transaction (`Register.writing()`): all of it or none of it. A
second command on the same file, or one a program holds (a DB browser mid-edit), waits for it (_waited:
each statement, reads too), then is refused with a message.

Everyone else sees plain functions taking and returning DataFrames and plain values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import errno
import getpass
import json
import os
import re
import signal
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__, runtime
from ..catalogue import Phrase, label
from ..errors import LANGS, InputError, OutputError

SCHEMA_VERSION = 9
BUSY_TIMEOUT_MS = 15_000  # the longest a statement waits for another program's lock (_waited)
# Waited without a word; past it the wait is told.
FIRST_WAIT_MS = 1_000
WAIT_STEP_MS = 100  # one try of a busy register's wait, between which a Ctrl-C is heard
APPLICATION_ID = 0x45534752  # "ESGR": marks the file as an edgescreen register

# The screen's doubt a household's recorded reasons carry after classify's codes: its amounts look typed
# wholly in 万元 (amount_unit_suspect on the total, hint unit_household: the households the screen's own
# line counts, cli.common.wan_households_line). A warning, so no code of classify's; recorded so that a
# village whose empty list rests on such figures is held by register next and status (steps.in_wan_villages; rounds records it),
# not posted as 本村无 (an outside try: 烧锅镇石头村, 125 households typed in 万元).
IN_WAN = "amount_unit_suspect"
# The income parts a household declared, as the survey's fields name them (their `_fen` in the screen's
# households frame and in `screened`, _schema_6), in the order the 入户核实 form prints them.
INCOME_PARTS = ("wage_income", "business_income", "property_income", "transfer_income")
# The screen's doubts of a household's own data as its village list words them (outputs.villages
# data_doubts), in each language a document may be printed in: data_doubts_zh, data_doubts_en (_schema_8).
DATA_DOUBTS = tuple(f"data_doubts_{lang}" for lang in LANGS)
SCREENED_COLUMNS = ["round", "household", "input", "sheet", "row", "county", "township", "village", "grp",
                    "household_id", "head_name", "head_id", "members", "residents", "income_fen", "expenses_fen",
                    "net_fen", "per_capita_fen", "status", "reasons", "difficulty", "roster_flags", "roster_excluded",
                    *(f"{part}_fen" for part in INCOME_PARTS), "enumerator", *DATA_DOUBTS]
EVENT_COLUMNS = ["changeset", "round", "household", "township", "village", "step", "field", "old", "new",
                 "effective"]
DOCUMENT_COLUMNS = ["id", "doc_id", "round", "step", "scope", "township", "village", "issued", "period_start",
                    "period_end", "file_name", "sha256", "lang", "changeset"]
DOCUMENT_ROW_COLUMNS = ["document", "seq", "household", "row_hash"]
MEASURE_COLUMNS = ["changeset", "household", "type", "model", "content", "start", "end", "amount_fen", "person",
                   "replaces", "document"]
MEMBER_COLUMNS = ["round", "household", "member_id", "relation", "labour"]
CHANGE_COLUMNS = ["round", "household", "change", "matched_by", "previous_round", "previous_head_name",
                  "previous_head_id", "previous_per_capita_fen", "conditions"]
SPOT_CHECK_COLUMNS = ["changeset", "round", "sample_id", "seed", "drawn", "tolerance_share", "tolerance_fen",
                      "households", "verified", "wrongly_listed", "wrongly_unlisted", "fields_differ", "supersedes"]
SPOT_FORM_COLUMNS = ["spot_check", "file", "path", "sha256"]
SPOT_FINDING_COLUMNS = ["spot_check", "household", "seq", "finding", "fields", "note", "verifier", "visit_date",
                        "form", "recorded_status", "verified_status"]


# No index on screened.head_id: a secondary index more than doubles the time a screen takes to record
# its round (measured on 100,000 households); the few look-ups by ID (history, matching a later round)
# scan the table instead.
def _schema_1(conn: sqlite3.Connection) -> None:
    _run_script(conn, """
        CREATE TABLE changesets (
            id INTEGER PRIMARY KEY, at TEXT NOT NULL, command TEXT NOT NULL, os_user TEXT,
            source_file TEXT, source_sha256 TEXT, doc_id TEXT, reason TEXT, version TEXT NOT NULL);
        CREATE TABLE rounds (
            id INTEGER PRIMARY KEY, year INTEGER NOT NULL, round_date TEXT NOT NULL,
            rules_id TEXT NOT NULL, rules_file TEXT, rules_sha256 TEXT NOT NULL,
            lower_fen INTEGER, upper_fen INTEGER NOT NULL,
            changeset INTEGER NOT NULL REFERENCES changesets(id));
        CREATE TABLE round_inputs (
            id INTEGER PRIMARY KEY, round INTEGER NOT NULL REFERENCES rounds(id),
            file TEXT NOT NULL, sha256 TEXT NOT NULL, households INTEGER NOT NULL);
        CREATE TABLE households (
            key INTEGER PRIMARY KEY, first_round INTEGER NOT NULL REFERENCES rounds(id));
        CREATE TABLE screened (
            round INTEGER NOT NULL REFERENCES rounds(id),
            household INTEGER NOT NULL REFERENCES households(key),
            input INTEGER NOT NULL REFERENCES round_inputs(id), sheet TEXT, row INTEGER,
            county TEXT, township TEXT, village TEXT, grp TEXT, household_id TEXT,
            head_name TEXT, head_id TEXT, members INTEGER, residents INTEGER,
            income_fen INTEGER, expenses_fen INTEGER, net_fen INTEGER, per_capita_fen INTEGER,
            status TEXT NOT NULL, reasons TEXT, difficulty TEXT,
            roster_flags TEXT,  -- issue 14's roster 疑点, when it exists
            PRIMARY KEY (round, household));
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL UNIQUE,
            round INTEGER NOT NULL REFERENCES rounds(id), step TEXT NOT NULL, scope TEXT NOT NULL,
            township TEXT, village TEXT, issued TEXT NOT NULL, period_start TEXT, period_end TEXT,
            file_name TEXT NOT NULL, sha256 TEXT NOT NULL, lang TEXT NOT NULL,
            changeset INTEGER NOT NULL REFERENCES changesets(id));
        CREATE TABLE document_rows (
            document INTEGER NOT NULL REFERENCES documents(id), seq INTEGER NOT NULL,
            household INTEGER NOT NULL REFERENCES households(key), row_hash TEXT NOT NULL,
            PRIMARY KEY (document, seq)) WITHOUT ROWID;
        CREATE TABLE events (
            id INTEGER PRIMARY KEY, changeset INTEGER NOT NULL REFERENCES changesets(id),
            round INTEGER NOT NULL REFERENCES rounds(id), household INTEGER REFERENCES households(key),
            township TEXT, village TEXT, step TEXT NOT NULL, field TEXT NOT NULL,
            old TEXT, new TEXT, effective TEXT);
        CREATE INDEX events_household ON events(household);
        CREATE INDEX events_round ON events(round);
    """)
    _append_only(conn, ("changesets", "rounds", "round_inputs", "households", "screened", "documents",
                        "document_rows", "events"))


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Statements one by one: executescript would commit the migration's transaction first."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# Version 2 (issue 16, the years after): 帮扶 measures, members of a screened household (where the
# survey lists them), and each round's comparison with the register.
# - measures: one row per measure as recorded from a measure form; a measure changed later is a new
#   row that `replaces` the old one, so both stay. `document` is the form it came from.
# - members: the ID numbers (and relation, 劳动技能) of a household's members in a round, for
#   matching next year's survey by any member's ID and for the exit's labour condition. No names.
# - round_changes: per household of the register, what the round found (继续帮扶, 拟退出 …), how it
#   was matched across years and, when the head changed, who the head was.
def _schema_2(conn: sqlite3.Connection) -> None:
    _run_script(conn, """
        CREATE TABLE measures (
            id INTEGER PRIMARY KEY, changeset INTEGER NOT NULL REFERENCES changesets(id),
            household INTEGER NOT NULL REFERENCES households(key),
            type TEXT NOT NULL, model TEXT, content TEXT NOT NULL, start TEXT NOT NULL, "end" TEXT,
            amount_fen INTEGER, person TEXT NOT NULL, replaces INTEGER REFERENCES measures(id),
            document INTEGER REFERENCES documents(id));
        CREATE INDEX measures_household ON measures(household);
        -- "as it stands" asks, per measure, whether a later row replaces it: without this index that
        -- is a scan of the table per measure (minutes at 100,000 measures).
        CREATE INDEX measures_replaces ON measures(replaces) WHERE replaces IS NOT NULL;
        CREATE TABLE members (
            round INTEGER NOT NULL REFERENCES rounds(id),
            household INTEGER NOT NULL REFERENCES households(key),
            member_id TEXT NOT NULL, relation TEXT, labour TEXT);
        CREATE INDEX members_id ON members(member_id);
        CREATE TABLE round_changes (
            round INTEGER NOT NULL REFERENCES rounds(id),
            household INTEGER NOT NULL REFERENCES households(key),
            change TEXT NOT NULL, matched_by TEXT, previous_round INTEGER REFERENCES rounds(id),
            previous_head_name TEXT, previous_head_id TEXT, previous_per_capita_fen INTEGER, conditions TEXT,
            PRIMARY KEY (round, household)) WITHOUT ROWID;
    """)
    _append_only(conn, ("measures", "members", "round_changes"))


def _append_only(conn: sqlite3.Connection, tables: Sequence[str]) -> None:
    for table in tables:
        for action in ("UPDATE", "DELETE"):
            conn.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_no_{action.lower()} BEFORE {action} ON {table} "
                         f"BEGIN SELECT RAISE(ABORT, 'the register is append-only'); END")


# Version 3: the exclusions the authoritative rosters decided at the screen, so that a spot check drawn
# from the register decides the verified status with them as the screen did (a household only the 低保
# roster excluded, its survey saying 否, came back 漏评).
# - screened.roster_excluded: the exclusion (dibao, tekun, registered_poor) a roster decided, else NULL;
# - rounds.roster_kinds: the authoritative rosters' kinds the round was screened with, ';'-joined; NULL
#   for a round screened without one (and for every round recorded before this version).
def _schema_3(conn: sqlite3.Connection) -> None:
    _run_script(conn, """
        ALTER TABLE screened ADD COLUMN roster_excluded TEXT;
        ALTER TABLE rounds ADD COLUMN roster_kinds TEXT
    """)


# Version 4: rounds.rules_text, the rule set's file as the round was screened with it, so that a spot
# check of the round finds its rule set after an upgrade of edgescreen changed the shipped file (its
# SHA-256 no longer the round's). NULL for the rounds recorded before.
def _schema_4(conn: sqlite3.Connection) -> None:
    _run_script(conn, "ALTER TABLE rounds ADD COLUMN rules_text TEXT")


# Version 5: what a late township's survey added to a round in a later year (screen --add-to-round)
# found of households the round had recorded 本年未调查 (their township left out of its survey). The
# round's record stays in round_changes; the later finding is a change of the same round, with the
# changeset that added it. A round's change of a household is its latest (`changes`); its history
# shows both (`changes_of`).
def _schema_5(conn: sqlite3.Connection) -> None:
    _run_script(conn, """
        CREATE TABLE round_changes_later (
            round INTEGER NOT NULL REFERENCES rounds(id),
            household INTEGER NOT NULL REFERENCES households(key),
            changeset INTEGER NOT NULL REFERENCES changesets(id),
            change TEXT NOT NULL, matched_by TEXT, previous_round INTEGER REFERENCES rounds(id),
            previous_head_name TEXT, previous_head_id TEXT, previous_per_capita_fen INTEGER, conditions TEXT,
            PRIMARY KEY (round, household, changeset)) WITHOUT ROWID
    """)
    _append_only(conn, ("round_changes_later",))


# Version 6: the income parts each household declared (工资性收入, 家庭经营收入, 财产性收入, 转移性收入;
# INCOME_PARTS), in fen, for the 入户核实 form to print what the visit checks. NULL where the survey had
# no such column or left it blank, and for every round recorded before this version: the survey's
# files are not kept, so an earlier round's parts cannot be filled in.
def _schema_6(conn: sqlite3.Connection) -> None:
    _run_script(conn, ";".join(f"ALTER TABLE screened ADD COLUMN {part}_fen INTEGER" for part in INCOME_PARTS))


# Version 7: each household's enumerator (填表人, the survey's column of that field), so that a spot
# check drawn from the register compares enumerators without the survey's files, which the register
# does not keep. NULL where the survey names none on the row (no such column, a blank cell, or only a
# sheet's footer line) and for every round recorded before this version: its spot check still looks
# for the survey's files, as it did.
def _schema_7(conn: sqlite3.Connection) -> None:
    _run_script(conn, "ALTER TABLE screened ADD COLUMN enumerator TEXT")


# Version 8: each household's doubts of its own data as the screen's village list words them (DATA_DOUBTS,
# '' for none), so that the 民主评议 and 入户核实 forms print them beside the rosters' 疑点: the village
# committee checks at the meeting and the visit what the list told it to (an outside try: 姜国庆's
# 经营费用是经营收入的数倍 on the list, nothing on the forms). Words, not the warnings' codes: the words
# come of the screen's whole result (a warning of a systemic finding marks no household), which the
# register does not keep. NULL for every round recorded before this version: its forms print as before.
def _schema_8(conn: sqlite3.Connection) -> None:
    _run_script(conn, ";".join(f"ALTER TABLE screened ADD COLUMN {column} TEXT" for column in DATA_DOUBTS))


# Version 9: the city's spot checks (抽查核实) as backcheck compared the filled forms with a round of the
# register (before, backcheck wrote its report and nothing here: history ended at 公告 for a household
# the city found 错评). Who and when are the changeset's (command 'backcheck').
# - spot_checks: a recording of one sample's forms: the sample (its 样本编号; the seed where its
#   sample.json was found; the day it was drawn), the tolerance (a share, or fen), the households drawn
#   and verified, 错评, 漏评 and the households with a field differing, and the earlier recording of the
#   same sample it supersedes (a corrected set of forms: the old one stays, as --amend keeps a row);
# - spot_check_forms: each form compared, its path and SHA-256;
# - spot_findings: per household, what the visit found (finding: SPOT_FINDINGS; the fields differing,
#   ';'-joined; the 情况说明 of a page not verified), its 核查序号, the verifier and visit date as the form
#   gives them, and the form's file. A recording that supersedes holds the households whose finding changed.
# IF NOT EXISTS: a file whose user_version was set back by hand keeps its tables, and is migrated all the same.
def _schema_9(conn: sqlite3.Connection) -> None:
    _run_script(conn, """
        CREATE TABLE IF NOT EXISTS spot_checks (
            id INTEGER PRIMARY KEY, changeset INTEGER NOT NULL REFERENCES changesets(id),
            round INTEGER NOT NULL REFERENCES rounds(id), sample_id TEXT NOT NULL, seed TEXT, drawn TEXT,
            tolerance_share REAL, tolerance_fen INTEGER, households INTEGER NOT NULL, verified INTEGER NOT NULL,
            wrongly_listed INTEGER NOT NULL, wrongly_unlisted INTEGER NOT NULL, fields_differ INTEGER NOT NULL,
            supersedes INTEGER REFERENCES spot_checks(id));
        CREATE TABLE IF NOT EXISTS spot_check_forms (
            spot_check INTEGER NOT NULL REFERENCES spot_checks(id), file TEXT NOT NULL, path TEXT,
            sha256 TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS spot_findings (
            spot_check INTEGER NOT NULL REFERENCES spot_checks(id),
            household INTEGER NOT NULL REFERENCES households(key), seq INTEGER, finding TEXT NOT NULL,
            fields TEXT, note TEXT, verifier TEXT, visit_date TEXT, form TEXT, recorded_status TEXT,
            verified_status TEXT, PRIMARY KEY (spot_check, household)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS spot_findings_household ON spot_findings(household)
    """)
    _append_only(conn, ("spot_checks", "spot_check_forms", "spot_findings"))


# The oldest version read without migrating where the file cannot be written: versions 3 to 9 only
# add what their readers do without (a round's roster exclusions, its rule set's text, later changes,
# the income parts, the enumerators, the data's doubts, the spot checks: has_spot_checks).
READ_AS_IT_IS = 2

# open_register's `upgrade` for a command that writes only once it has checked what it was given
# (register record): an older file from READ_AS_IT_IS on is read as it is, and upgraded by the
# command's first changeset, inside its transaction (_upgrade_at_first_write), so that a command
# refused before it writes leaves the file as the offices' older edgescreen still opens it.
UPGRADE_ON_WRITE = "on_write"

# MIGRATIONS[n] brings a file of version n to version n + 1.
MIGRATIONS = [_schema_1, _schema_2, _schema_3, _schema_4, _schema_5, _schema_6, _schema_7, _schema_8,
              _schema_9]


def now() -> str:
    """The local time, as every changeset records it."""
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name to be found (a container without one): not worth a refusal
        return ""


def _crash_point(name: str) -> None:
    """For the tests of all-or-nothing: EDGESCREEN_TEST_CRASH=<name> kills the process here, in the
    middle of a transaction, as a power cut would."""
    if os.environ.get("EDGESCREEN_TEST_CRASH") == name:
        os.kill(os.getpid(), signal.SIGKILL)


class Register:
    """An open register file. Use `writing()` for a command that changes it (one transaction) and
    `reading()` for one that only reads (one consistent snapshot); close it when done."""

    def __init__(self, path: Path, conn: sqlite3.Connection, *, made: tuple[int, int] | None = None):
        self.path = path
        self.conn = conn
        # The file at `path` when opened (device, inode): a transaction finding another there (or none) is
        # refused, not written into a file no longer the register. `made`: where this run created it.
        self.identity = made or _identity(path)
        self.made = made is not None
        self.meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self._open = False
        # What a command reads again and again of a register it has not written meanwhile (registry.py):
        # name → ((conn.total_changes, data_version) when read, the value).
        self.read_once: dict[str, tuple[tuple[int, int], object]] = {}
        # The version of an older file opened UPGRADE_ON_WRITE, upgraded at the first changeset; None
        # where there is nothing to upgrade.
        self.upgrade_from: int | None = None
        # (version, the copy kept) of the upgrade made in the open transaction: said once it commits,
        # its copy removed where it rolls back.
        self._upgraded: tuple[int, Path | None] | None = None

    def unchanged_since(self, name: str, compute):
        """`compute()`, or what it gave last time for `name` if nothing was written since: by this
        connection (its total_changes) nor committed by another (data_version; a check made before
        the write lock is taken may meet another clerk's record by the time the lock is held)."""
        held = self.read_once.get(name)
        stamp = (self.conn.total_changes, self.conn.execute("PRAGMA data_version").fetchone()[0])
        if held is not None and held[0] == stamp:
            return held[1]
        value = compute()
        self.read_once[name] = (stamp, value)
        return value

    @property
    def register_id(self) -> str:
        return self.meta["register_id"]

    @contextmanager
    def writing(self) -> Iterator[Register]:
        """One transaction: committed when the block ends (or at `commit()` inside it), rolled back
        if it raises first."""
        with _sqlite_errors(self.path):
            self._begin_writing()
            self._open = True
            try:
                yield self
                if self._open:
                    self._commit()
            except BaseException:
                if self._open and self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                self._upgrade_rolled_back()  # also where a failed COMMIT rolled it back itself
                raise
            finally:
                self._open = False

    def _begin_writing(self) -> None:
        """BEGIN IMMEDIATE, waiting for another program's write to end as every statement does (_waited)."""
        self.conn.execute("BEGIN IMMEDIATE")
        # The run that made this register at the same moment as this one removed it while this one waited
        # (its round not recorded): what would be written here would be in no file.
        if self.identity is not None and _identity(self.path) != self.identity:
            self.conn.execute("ROLLBACK")
            raise OutputError("register_removed_meanwhile", path=str(self.path))

    def commit(self) -> None:
        """Commit the transaction of `writing()` now (before a folder of documents is renamed into place)."""
        with _sqlite_errors(self.path):
            self._commit()
        self._open = False

    def _commit(self) -> None:
        # A signal during the commit waits for it; one after it is told as "the register was saved".
        with runtime.uninterrupted():
            self.conn.execute("COMMIT")
            runtime.mark_saved()
            if self._upgraded is not None:
                version, kept = self._upgraded
                self._upgraded = None
                runtime.notice("register_upgraded", path=str(self.path), version=version, ours=SCHEMA_VERSION,
                               kept=kept.name if kept is not None else "—")

    def _upgrade_rolled_back(self) -> None:
        """The upgrade made in the transaction just rolled back: the file is as it was, so no copy is
        kept of it, and a later transaction upgrades it at its own first changeset."""
        if self._upgraded is not None:
            version, kept = self._upgraded
            self._upgraded, self.upgrade_from = None, version
            if kept is not None:
                with contextlib.suppress(OSError):
                    kept.unlink(missing_ok=True)

    @contextmanager
    def reading(self) -> Iterator[Register]:
        with _sqlite_errors(self.path):
            self.conn.execute("BEGIN")
            try:
                yield self
            finally:
                self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _identity(path: Path) -> tuple[int, int] | None:
    """The file at `path` (device, inode); None where there is none."""
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _create_new(path: Path) -> tuple[int, int] | None:
    """Create the register's file, empty, only where there is none (O_EXCL): its identity where this call
    created it; None where another run making the same register at this moment created it first (or the
    folder refuses it, then said by SQLite's open as before)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    except OSError:
        return None
    os.close(fd)
    # By the path, as every later comparison (_identity) takes it: on Windows fstat and stat differ.
    return _identity(path)


def _remove_file(path: Path, identity: tuple[int, int]) -> bool:
    """Remove the register file `identity` (and its SQLite files beside it) where `path` is still that
    file: never one another run made in its place. False where it is not, or cannot be removed (on
    Windows, while another program holds it open)."""
    if _identity(path) != identity:
        return False
    try:
        path.unlink()
    except OSError:
        return False
    for suffix in ("-wal", "-shm", "-journal"):
        try:
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        except OSError:  # a name too long for the suffix was never made
            pass
    return True


def remove_made(reg: Register, own_round: int | None = None) -> bool:
    """Close `reg`, and remove its file where this run made it (open_register with create, the run that
    created the file) and it holds no round but `own_round` (this run's, committed before its folder
    was not put in place): an empty register left behind would be taken for the county's. Kept where
    another run made it, recorded a round into it, or holds it now (recording into it: not waited for).
    Decided under the write lock, the file removed while it is held where the system allows (else once
    closed, which Windows refuses while another program has it open). True where removed."""
    removed = empty = False
    try:
        if reg.made and _identity(reg.path) == reg.identity:
            reg.conn.execute("PRAGMA busy_timeout = 0")
            reg.conn.waits = False
            reg.conn.execute("BEGIN IMMEDIATE")
            try:
                try:
                    others = reg.conn.execute("SELECT count(*) FROM rounds WHERE id IS NOT ?",
                                              (own_round,)).fetchone()[0]
                except sqlite3.Error:  # a file that cannot even say so holds no round worth keeping
                    others = 0
                empty = not others
                removed = empty and _remove_file(reg.path, reg.identity)
            finally:
                reg.conn.execute("ROLLBACK")
    except sqlite3.Error:  # another run holds it: a run recording into it
        pass
    finally:
        reg.close()
    return removed or (empty and _remove_file(reg.path, reg.identity))


def _register_header(path: Path) -> bytes | None:
    """The first 100 bytes of an edgescreen register (SQLite's header, its application id at 68 ours);
    None for any other file, or one that cannot be read."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00") \
            or int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return None
    return header


def _workbook_given(path: Path) -> str | None:
    """Where the file given as the register is a survey's or a form's (the arguments swapped, a workbook
    renamed .db), what it is by its first bytes: register_kind_workbook (a zip: .xlsx, .ods; OLE2: .xls,
    WPS's .et), register_kind_text (a table saved as text: .csv, a system's export); else None."""
    from ..inputs import OLE2, _looks_like_text  # as a survey's own file is told (inputs.content_suffix)

    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    if head.startswith((b"PK\x03\x04", OLE2)):
        return "register_kind_workbook"
    return "register_kind_text" if _looks_like_text(head) else None


def registers_beside(path: Path, most: int = 3) -> list[str]:
    """The names of the other registers in the folder of `path` (an edgescreen register's SQLite header,
    its application id; not the copies an upgrade kept): where a clerk typed a register's name wrong
    (农按县.db for 农安县.db), the one meant: the `most` whose names are nearest (difflib), "…" after
    them where there are more. Read by their first 100 bytes."""
    found = []
    try:
        candidates = sorted(p for p in path.parent.iterdir() if p.is_file() and p.name != path.name)
    except OSError:
        return []
    for other in candidates:
        if _register_header(other) is not None and _kept_copy(other) is None:
            found.append(other.name)
    nearest = sorted(found, key=lambda name: -difflib.SequenceMatcher(None, name, path.name).ratio())
    return nearest[:most] + (["…"] if len(nearest) > most else [])


def _read_only(exc: sqlite3.OperationalError) -> bool:
    return "readonly" in str(exc) or "read-only" in str(exc)


def _busy(exc: sqlite3.OperationalError) -> bool:
    """Another connection (another edgescreen command, or a program that opened the file) holds it."""
    return "locked" in str(exc) or "busy" in str(exc)


class _Waiting(sqlite3.Connection):
    """The register's connection: each statement held back by another program's lock waits for it in
    short tries (_waited), told and heard alike wherever it waits (opening the file, a read, the write)."""

    path: Path | None = None
    waits = True  # False: a statement refused busy is not tried again (remove_made: never waited for)

    def execute(self, sql: str, parameters=(), /) -> sqlite3.Cursor:
        return _waited(self, lambda: sqlite3.Connection.execute(self, sql, parameters))

    def executemany(self, sql: str, rows, /) -> sqlite3.Cursor:
        # Never tried again: the rows already in would go in twice. SQLite's own wait, as before _waited
        # (inside a write, whose lock BEGIN IMMEDIATE took first: a wait only to spill a large insert).
        sqlite3.Connection.execute(self, f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        try:
            return sqlite3.Connection.executemany(self, sql, rows)
        finally:
            sqlite3.Connection.execute(self, f"PRAGMA busy_timeout = {WAIT_STEP_MS}")


def _waited(conn: _Waiting, attempt):
    """`attempt()`, tried again while another program's lock holds it back: each try waits WAIT_STEP_MS
    in SQLite (inside SQLite's own wait a Ctrl-C is not heard until it ends), the wait told once past
    FIRST_WAIT_MS (runtime.waiting), and given up past BUSY_TIMEOUT_MS: the error, said as register_busy
    (_sqlite_errors). A statement refused busy did nothing, so trying it again is safe: the register
    writes only under BEGIN IMMEDIATE (its lock taken first), and a COMMIT refused busy stays open."""
    started, told = time.monotonic(), False
    while True:
        tried = time.monotonic()
        try:
            return attempt()
        except sqlite3.OperationalError as exc:
            if not _busy(exc) or not conn.waits or time.monotonic() - started >= BUSY_TIMEOUT_MS / 1000:
                raise
        if not told and time.monotonic() - started >= FIRST_WAIT_MS / 1000:
            runtime.waiting("register_waiting", path=str(conn.path), seconds=BUSY_TIMEOUT_MS // 1000)
            told = True
        # Refused at once (SQLite skips its wait where waiting could not help): a step here, not a busy loop.
        time.sleep(max(0.0, WAIT_STEP_MS / 1000 - (time.monotonic() - tried)))


@contextmanager
def _sqlite_errors(path: Path) -> Iterator[None]:
    """SQLite's errors as a clerk's words: busy, not a register, cannot be written."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if _busy(exc):
            raise OutputError("register_busy", path=str(path), seconds=BUSY_TIMEOUT_MS // 1000) from None
        if _read_only(exc):  # the file (or its folder, disk) is read-only
            raise OutputError("register_read_only", path=str(path)) from None
        if "disk is full" in text or "disk I/O error" in text:  # said in SQLite's English before
            raise OutputError("register_disk_full", path=str(path)) from None
        if "unable to open" in text and len(f"{path.name}-journal".encode("utf-8")) > 255:
            # SQLite names its -wal and -journal files after the register: one past 255 bytes cannot be made
            raise OutputError("register_name_too_long", path=str(path)) from None
        raise OutputError("register_unwritable", path=str(path), reason=text) from None
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc) or "malformed" in str(exc):
            raise InputError("register_not_a_register", path=str(path)) from None
        raise


def open_register(path: str | Path, *, create: bool = False, upgrade: bool | str = True) -> Register:
    """Open the register at `path`, migrating an older file forward; with `create`, a missing file
    is made. Refuses a file that is not a register and one made by a newer edgescreen. `upgrade`
    False (a command that only looks: status, history, export): an older file from READ_AS_IT_IS on
    is read as it is, so that a look on an upgraded PC does not lock out the offices whose older
    edgescreen shares the file; UPGRADE_ON_WRITE: read as it is until the command's first changeset
    upgrades it. The copy an upgrade kept is refused to a command that writes."""
    path = Path(path)
    if upgrade and _kept_copy(path):
        raise InputError("register_is_kept_copy", path=str(path), original=_kept_copy(path))
    try:
        is_dir = path.is_dir()
    except OSError as exc:  # a name longer than the system takes (255 bytes): said, no internal error
        if exc.errno == errno.ENAMETOOLONG:
            raise OutputError("register_name_too_long", path=str(path)) from None
        raise
    if is_dir:
        raise InputError("register_is_folder", path=str(path))
    exists = path.exists() and path.stat().st_size > 0
    if not exists and not create:
        if path.exists():
            raise InputError("register_empty", path=str(path))
        beside = registers_beside(path)
        raise InputError("register_missing", path=str(path),
                         beside=Phrase("register_missing_beside", names=beside) if beside else "")
    if not exists and not path.parent.exists():
        raise OutputError("register_unwritable", path=str(path), reason=str(path.parent))
    # Made by this call only where it creates the file: of two runs making the same register at once,
    # the other opens it as one another run made, and never removes it.
    made = _create_new(path) if not exists and not path.exists() else None
    if exists and (kind := _workbook_given(path)) is not None:
        raise InputError("register_is_workbook", path=str(path), kind=Phrase(kind))
    if exists and _cut_short(path):
        raise InputError("register_damaged", path=str(path))
    try:
        with _sqlite_errors(path):
            conn = sqlite3.connect(path, isolation_level=None, timeout=WAIT_STEP_MS / 1000, factory=_Waiting)
            conn.path = path
            try:
                app_id = conn.execute("PRAGMA application_id").fetchone()[0]
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if exists and (app_id != APPLICATION_ID or version == 0):
                    raise InputError("register_not_a_register", path=str(path))
                if version > SCHEMA_VERSION:
                    raise InputError("register_too_new", path=str(path), version=version, ours=SCHEMA_VERSION)
                # A page damaged (a bad sector, a copy cut short) read as rows, and a record wrote onto it
                # (an outside try): SQLite's own check, tenths of a second on years of a county's rounds.
                if exists and conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                    raise InputError("register_damaged", path=str(path))
                # A register an earlier version kept in WAL mode becomes one file again here (while
                # another command holds it open, it stays so until the next run).
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "delete":
                    with contextlib.suppress(sqlite3.OperationalError):
                        conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA synchronous = FULL")  # a commit survives a power cut, in the one file
                if version < SCHEMA_VERSION and upgrade is not True and version >= READ_AS_IT_IS:
                    reg = Register(path, conn, made=made)  # read as it is (what its readers ask of later versions they do without)
                    reg.upgrade_from = version if upgrade == UPGRADE_ON_WRITE else None
                    return reg
                if version < SCHEMA_VERSION:
                    earlier = exists and version > 0  # not a register made just now
                    kept = _kept_before_upgrade(conn, path, version) if earlier else None
                    try:
                        found = _migrate(conn, version)
                    except sqlite3.OperationalError as exc:
                        if kept is not None:
                            kept.unlink(missing_ok=True)
                        # On read-only media an older register is read as it is: what its readers ask of
                        # a later version they do without (a write is refused as on any read-only file).
                        if version < READ_AS_IT_IS or not _read_only(exc):
                            raise
                    else:
                        if found != version and kept is not None:  # upgraded meanwhile by another run, which kept its copy
                            kept.unlink(missing_ok=True)
                        if found > SCHEMA_VERSION:  # made meanwhile by a newer edgescreen
                            raise InputError("register_too_new", path=str(path), version=found, ours=SCHEMA_VERSION)
                        if earlier and found == version:
                            runtime.notice("register_upgraded", path=str(path), version=version, ours=SCHEMA_VERSION,
                                           kept=kept.name if kept is not None else "—")
                return Register(path, conn, made=made)
            except BaseException:
                conn.close()
                raise
    except BaseException:
        if made is not None:  # nothing of a register this call made is left behind (a 0-byte file was)
            _remove_file(path, made)
        raise


def _kept_copy(path: Path) -> str | None:
    """The register's own name where `path` is the copy an upgrade kept of it (农安县.升级前第5版.db,
    or -2 after it: _kept_before_upgrade), else None."""
    word = re.escape(label("register_before_upgrade", "zh", version=999999)).replace("999999", r"\d+")
    found = re.fullmatch(rf"(?P<stem>.+)\.{word}(?:-\d+)?", path.stem)
    return f"{found['stem']}{path.suffix}" if found else None


def _cut_short(path: Path) -> bool:
    """A register whose file is shorter than its own header says (a copy cut short, a USB stick pulled
    out): damaged, to be replaced by its backup, not "some other file". SQLite's header: the magic,
    the page size at 16, the change counter at 24, the pages at 28 (valid where the counter at 92
    agrees), the application id at 68."""
    header = _register_header(path)
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if header is None or header[24:28] != header[92:96]:
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    return page_size * int.from_bytes(header[28:32], "big") > size


def _kept_before_upgrade(conn: sqlite3.Connection, path: Path, version: int) -> Path | None:
    """The register as an earlier version kept it (format `version`), copied whole beside it before
    it is upgraded (SQLite's backup: a consistent copy while others read): 农安县.db → 农安县.第1版.db.
    Another office's PC not yet upgraded cannot open the upgraded one; this copy it can. None where no
    copy can be made there (read-only media, where the register is read as it is)."""
    word = label("register_before_upgrade", "zh", version=version)  # a file name, as the register's documents' are
    target, n = path.with_name(f"{path.stem}.{word}{path.suffix}"), 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.stem}.{word}-{n}{path.suffix}")
    try:
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
    except (sqlite3.Error, OSError):
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)
        return None
    return target


def _upgrade_at_first_write(reg: Register) -> None:
    """Upgrade an older register opened UPGRADE_ON_WRITE inside the transaction of its command's first
    changeset: the copy kept as open_register keeps it, read by a second connection (this one holds
    the write lock and has written nothing yet, so it reads the file as the older version left it),
    then the schema migrated in the transaction, rolled back with the command's writes if it fails."""
    version, reg.upgrade_from = reg.upgrade_from, None
    # A Ctrl-C waits for the copy to be made and known, so that a rollback removes it.
    with runtime.uninterrupted():
        source = sqlite3.connect(reg.path, timeout=0)  # never waits: the one lock held is this command's own
        try:
            reg._upgraded = (version, _kept_before_upgrade(source, reg.path, version))
        finally:
            source.close()
    _migration(reg.conn, version)


def _migrate(conn: sqlite3.Connection, version: int) -> int:
    """Migrate from the version the file holds under the write lock, `version` where nobody changed it
    since it was read; that version. Another run making (or upgrading) the same register at this moment
    may have done it while this one waited: done once, not a second `meta` table in SQLite's English."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version < SCHEMA_VERSION:
            _migration(conn, version)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return version


def _migration(conn: sqlite3.Connection, version: int) -> None:
    """The steps from `version` to SCHEMA_VERSION, in the caller's transaction."""
    if version == 0:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("register_id", str(uuid.uuid4())), ("created_at", now()), ("created_by", __version__),
            ("created_os_user", os_user())])
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for n in range(version, SCHEMA_VERSION):
        MIGRATIONS[n](conn)
        conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"schema_{n + 1}", f"{now()} {__version__}"))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


# ---------------------------------------------------------------------------------------------
# Plain values in and out


def _plain(column: pd.Series) -> list:
    """A column as Python values SQLite can bind (int, float, str; NA as None)."""
    return column.to_numpy(dtype=object, na_value=None).tolist()


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[tuple]:
    return list(zip(*[_plain(frame[c]) for c in columns]))


def _frame(cursor: sqlite3.Cursor) -> pd.DataFrame:
    columns = [d[0] for d in cursor.description]
    return pd.DataFrame.from_records(cursor.fetchall(), columns=columns)


def _insert(reg: Register, table: str, frame: pd.DataFrame, columns: Sequence[str]) -> None:
    marks = ", ".join("?" * len(columns))
    reg.conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", _rows(frame, columns))


def add_changeset(reg: Register, command: str, *, source_file: str | None = None,
                  source_sha256: str | None = None, doc_id: str | None = None, reason: str | None = None) -> int:
    """A new changeset (who, when, which command, from which file); its id. Every write of the register
    begins with one: the first of a command that opened an older file UPGRADE_ON_WRITE upgrades it."""
    if reg.upgrade_from is not None:
        _upgrade_at_first_write(reg)
    cur = reg.conn.execute(
        "INSERT INTO changesets (at, command, os_user, source_file, source_sha256, doc_id, reason, version) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (now(), command, os_user(), source_file, source_sha256, doc_id, reason, __version__))
    return cur.lastrowid


def add_round(reg: Register, changeset: int, *, year: int, round_date: dt.date, rules_id: str, rules_file: str,
              rules_sha256: str, lower_fen: int | None, upper_fen: int,
              inputs: Sequence[tuple[str, str, int]], roster_kinds: Sequence[str] | None = None,
              rules_text: str | None = None) -> tuple[int, dict[str, int]]:
    """A new round with its inputs (file, SHA-256, households); (round id, {file: input id}).
    `roster_kinds`: the authoritative rosters it was screened with (None: none given); `rules_text`:
    the rule set's file as read (rules.LoadedRules.text)."""
    cur = reg.conn.execute(
        "INSERT INTO rounds (year, round_date, rules_id, rules_file, rules_sha256, lower_fen, upper_fen, changeset, "
        "roster_kinds, rules_text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (year, round_date.isoformat(), rules_id, rules_file, rules_sha256, lower_fen, upper_fen, changeset,
         ";".join(roster_kinds) if roster_kinds else None, rules_text))
    round_id = cur.lastrowid
    return round_id, add_round_inputs(reg, round_id, inputs)


def add_round_inputs(reg: Register, round_id: int, inputs: Sequence[tuple[str, str, int]]) -> dict[str, int]:
    """The round's input files (file, SHA-256, households); {file: input id}. A late township's
    survey added to a round (screen --add-to-round) adds its files so."""
    ids = {}
    for file, sha, n in inputs:
        ids[file] = reg.conn.execute("INSERT INTO round_inputs (round, file, sha256, households) VALUES (?, ?, ?, ?)",
                                     (round_id, file, sha, int(n))).lastrowid
    return ids


def new_household_keys(reg: Register, round_id: int, n: int) -> np.ndarray:
    """n new household keys, first seen in `round_id`."""
    start = reg.conn.execute("SELECT COALESCE(MAX(key), 0) + 1 FROM households").fetchone()[0]
    keys = np.arange(start, start + n, dtype=np.int64)
    reg.conn.executemany("INSERT INTO households (key, first_round) VALUES (?, ?)",
                         zip(keys.tolist(), [round_id] * n))
    return keys


def known_heads(reg: Register) -> pd.DataFrame:
    """head_id → household key, from the latest round each head ID was screened in (IDs screened
    under two keys in one round are left out: they cannot say which)."""
    return _frame(reg.conn.execute("""
        SELECT head_id, household FROM screened s
        WHERE head_id IS NOT NULL AND head_id != '' AND round = (
            SELECT MAX(round) FROM screened t WHERE t.head_id = s.head_id)
        GROUP BY head_id HAVING COUNT(*) = 1"""))


def add_screened(reg: Register, frame: pd.DataFrame) -> None:
    _insert(reg, "screened", frame, SCREENED_COLUMNS)


def rounds(reg: Register) -> pd.DataFrame:
    return _frame(reg.conn.execute("SELECT r.*, c.at, c.os_user FROM rounds r JOIN changesets c ON c.id = r.changeset "
                                   "ORDER BY r.id"))


def round_inputs(reg: Register, round_id: int) -> pd.DataFrame:
    return _frame(reg.conn.execute("SELECT * FROM round_inputs WHERE round = ? ORDER BY id", (round_id,)))


def screened(reg: Register, round_id: int, *, status: str | None = None,
             households: Sequence[int] | None = None) -> pd.DataFrame:
    """The round's screened rows (of one status, or of the given households), with the input's file name
    and `ledger_order`, each row's place in the screen's ledger (rows are recorded in its order:
    the survey's sheets as the workbook has them, not by row number across sheets)."""
    sql = ("SELECT s.rowid AS ledger_order, s.*, i.file AS source_file FROM screened s "
           "JOIN round_inputs i ON i.id = s.input "
           "WHERE s.round = ?")
    params: list = [round_id]
    if status is not None:
        sql += " AND s.status = ?"
        params.append(status)
    frame = _frame(reg.conn.execute(sql + " ORDER BY s.household", params))
    if households is not None:
        frame = frame[frame["household"].isin(list(households))]
    return frame


def screened_in_village(reg: Register, round_id: int, township: str, village: str) -> pd.DataFrame:
    """The round's screened rows of one village (household, head, status, per capita), whatever their
    status: what a name on that village's forms may be besides its list."""
    return _frame(reg.conn.execute(
        "SELECT household, head_name, status, per_capita_fen FROM screened "
        "WHERE round = ? AND IFNULL(township, '') = ? AND IFNULL(village, '') = ? ORDER BY household",
        (round_id, township, village)))


def screened_rows(reg: Register, round_id: int, households: Sequence[int]) -> pd.DataFrame:
    """`screened` of these households of the round only, found by the table's key: a few households
    (a track's, or none) without reading a county's round. With none, the columns alone, typed as the
    table declares them (INTEGER as int64, TEXT as text)."""
    frame = _frame(reg.conn.execute(
        f"SELECT s.rowid AS ledger_order, s.*, i.file AS source_file FROM screened s "
        f"JOIN round_inputs i ON i.id = s.input WHERE s.round = ? AND s.household {AMONG} "
        f"ORDER BY s.household", [int(round_id), _listed(households)]))
    if len(frame):
        return frame
    columns = frame.columns.tolist()

    def typed() -> pd.DataFrame:
        declared = dict(reg.conn.execute("SELECT name, type FROM pragma_table_info('screened')").fetchall())
        declared["ledger_order"] = "INTEGER"
        return pd.DataFrame({c: pd.Series(dtype="int64" if declared.get(c) == "INTEGER" else str) for c in columns})

    # Asked for by every track of every command (a track with nobody is the columns alone): made once.
    return reg.unchanged_since("screened_columns", typed).copy()


# "x IN" a list given as one JSON parameter, not a "?" per item: SQLite takes at most 32,766
# variables in a statement (Windows' Python; Debian builds it with 250,000), and a county's list can
# be longer.
AMONG = "IN (SELECT value FROM json_each(?))"


def _listed(items: Sequence) -> str:
    """The parameter of AMONG: integers as integers (numpy's too), text as text."""
    return json.dumps([i if isinstance(i, str) else int(i) for i in items])


def screened_of(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every screened row of these households, in every round."""
    return _frame(reg.conn.execute(
        f"SELECT s.*, i.file AS source_file, r.year, r.round_date FROM screened s "
        f"JOIN round_inputs i ON i.id = s.input JOIN rounds r ON r.id = s.round "
        f"WHERE s.household {AMONG} ORDER BY s.household, s.round", [_listed(households)]))


def households_in_round(reg: Register, round_id: int, households: Sequence[int]) -> list[int]:
    """Of these households, those the round has screened."""
    return [int(h) for (h,) in reg.conn.execute(
        f"SELECT household FROM screened WHERE round = ? AND household {AMONG}", [int(round_id), _listed(households)])]


def changes_of(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every change (round_changes) the rounds recorded for these households, with the round's year and
    date: what the register decided of each round (`register history`). A change found later in the
    same round (_schema_5) follows the round's own, `later_on` its changeset's day (NULL for the round's)."""
    listed = _listed(households)
    own = (f"SELECT c.*, r.year, r.round_date, NULL AS later_on, 0 AS changeset FROM round_changes c "
           f"JOIN rounds r ON r.id = c.round WHERE c.household {AMONG}")
    if not _has_later_changes(reg):
        return _frame(reg.conn.execute(f"{own} ORDER BY household, round", [listed]))
    columns = ", ".join(f"l.{c}" for c in CHANGE_COLUMNS)
    later = (f"SELECT {columns}, r.year, r.round_date, substr(cs.at, 1, 10) AS later_on, l.changeset "
             f"FROM round_changes_later l JOIN rounds r ON r.id = l.round JOIN changesets cs ON cs.id = l.changeset "
             f"WHERE l.household {AMONG}")
    return _frame(reg.conn.execute(f"{own} UNION ALL {later} ORDER BY household, round, changeset",
                                   [listed, listed]))


def households_with_id(reg: Register, head_id: str) -> list[int]:
    """The households a head's ID was screened under, in any round. An ID as the printed lists mask it
    (220122********0256) matches each hidden digit with any one (LIKE's _)."""
    if "*" in head_id:
        pattern = head_id.replace("%", "").replace("_", "").replace("*", "_")
        return [r[0] for r in reg.conn.execute(
            "SELECT DISTINCT household FROM screened WHERE head_id LIKE ? ORDER BY household", (pattern,))]
    return [r[0] for r in reg.conn.execute(
        "SELECT DISTINCT household FROM screened WHERE head_id = ? ORDER BY household", (head_id,))]


def heads_named(reg: Register, name: str) -> pd.DataFrame:
    """(household, head_id, township, village): each household whose head was screened under `name` in
    any round, its latest such row; spaces in a name say nothing (王 一 is 王一), as on the documents."""
    frame = _frame(reg.conn.execute("""
        SELECT s.household, s.head_id, s.township, s.village FROM screened s
        JOIN (SELECT household, MAX(round) AS round FROM screened
              WHERE REPLACE(REPLACE(head_name, ' ', ''), '\u3000', '') = ? GROUP BY household) m
          ON m.household = s.household AND m.round = s.round
        ORDER BY s.household""", ("".join(name.split()),)))
    return frame if len(frame) else pd.DataFrame(columns=["household", "head_id", "township", "village"])


def households_with_member(reg: Register, member_id: str) -> pd.DataFrame:
    """(household, relation, round, rounds): the households whose members' list (any round) had
    `member_id`, each with the member's relation in its latest round listing it and every round that
    did (','-joined); masked as households_with_id."""
    if "*" in member_id:
        test, value = "LIKE", member_id.replace("%", "").replace("_", "").replace("*", "_")
    else:
        test, value = "=", member_id
    frame = _frame(reg.conn.execute(f"""
        SELECT household, relation, MAX(round) AS round, GROUP_CONCAT(DISTINCT round) AS rounds FROM members
        WHERE member_id {test} ? GROUP BY household ORDER BY household""", (value,)))
    return frame if len(frame) else pd.DataFrame(columns=["household", "relation", "round", "rounds"])


def members_elsewhere(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """(household, member_id, relation, other, other_relation, rounds): the members of these
    households (any round) that a survey also listed in another household (`other`), with the
    member's relation in each (its latest listing there) and the rounds that listed it in the other
    (','-joined): a son who set up his own household (分户), a member listed twice. One MAX() over both
    rounds, so that SQLite takes both relations from the row of the latest listing in each."""
    frame = _frame(reg.conn.execute(f"""
        SELECT m.household, m.member_id, m.relation, o.household AS other, o.relation AS other_relation,
               MAX(o.round * 1000000 + m.round) AS latest, GROUP_CONCAT(DISTINCT o.round) AS rounds
        FROM members m JOIN members o ON o.member_id = m.member_id AND o.household <> m.household
        WHERE m.household {AMONG} AND m.member_id <> ''
        GROUP BY m.household, m.member_id, o.household ORDER BY m.household, latest, m.member_id""",
        [_listed(households)]))
    columns = ["household", "member_id", "relation", "other", "other_relation", "rounds"]
    if not len(frame):
        return pd.DataFrame(columns=columns)
    # The rounds as numbers, ascending, once (GROUP_CONCAT gives '1,3').
    frame["rounds"] = [tuple(sorted(int(r) for r in str(listed).split(",") if r)) for listed in frame["rounds"]]
    return frame[columns]


def heads_at(reg: Register, households: Sequence[int], rounds: Sequence[int]) -> pd.DataFrame:
    """Per (household, round) pair, in their order: that round's head (head_name), place (township and
    village run together) and income year, '' where the round did not screen the household."""
    rows = screened_of(reg, sorted({int(h) for h in households})).set_index(["household", "round"])
    then = rows.reindex(pd.MultiIndex.from_arrays([np.asarray(households, dtype=np.int64),
                                                   np.asarray(rounds, dtype=np.int64)]))
    text = lambda col: then[col].astype("string").fillna("").to_numpy(dtype=object)  # noqa: E731
    return pd.DataFrame({"head_name": text("head_name"), "place": text("township") + text("village"),
                         "year": then["year"].astype("Int64").astype("string").fillna("").to_numpy(dtype=object)})


def add_documents(reg: Register, docs: pd.DataFrame, rows: pd.DataFrame) -> None:
    """Documents (DOCUMENT_COLUMNS but `id`, which is given here) and their rows, whose `document`
    is the document's position in `docs`."""
    start = reg.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM documents").fetchone()[0]
    docs = docs.assign(id=np.arange(start, start + len(docs)))
    _insert(reg, "documents", docs, DOCUMENT_COLUMNS)
    rows = rows.assign(document=rows["document"].to_numpy() + start)
    _insert(reg, "document_rows", rows, DOCUMENT_ROW_COLUMNS)
    _crash_point("documents_inserted")


def documents(reg: Register, round_id: int) -> pd.DataFrame:
    return _frame(reg.conn.execute("SELECT * FROM documents WHERE round = ? ORDER BY id", (round_id,)))


def round_villages(reg: Register, round_id: int) -> list[tuple[str, str]]:
    """The round's surveyed villages (township, village; '' where the survey has none), in the
    survey's order."""
    return [(t, v) for t, v, _ in reg.conn.execute("""
        SELECT IFNULL(township, ''), IFNULL(village, ''), MIN(rowid) AS first FROM screened WHERE round = ?
        GROUP BY IFNULL(township, ''), IFNULL(village, '') ORDER BY first""", (int(round_id),))]


def surveyed_villages(reg: Register) -> list[tuple[str, str]]:
    """Every round's surveyed villages (township, village; '' where the survey has none), in the order
    first surveyed: the places the register knows, those of its households now or none."""
    return [(t, v) for t, v, _ in reg.conn.execute("""
        SELECT IFNULL(township, ''), IFNULL(village, ''), MIN(rowid) AS first FROM screened
        GROUP BY IFNULL(township, ''), IFNULL(village, '') ORDER BY first""")]


def round_villages_unjudged(reg: Register, round_id: int) -> list[tuple[str, str, int]]:
    """The round's surveyed villages (as round_villages, in the survey's order) with how many of their
    households the round could not decide (数据有误,待核实)."""
    return [(t, v, int(n)) for t, v, n, _ in reg.conn.execute("""
        SELECT IFNULL(township, ''), IFNULL(village, ''), SUM(status = 'invalid'), MIN(rowid) AS first
        FROM screened WHERE round = ? GROUP BY IFNULL(township, ''), IFNULL(village, '') ORDER BY first""",
        (int(round_id),))]


def villages_without_step(reg: Register, round_id: int, step: str) -> list[tuple[str, str]]:
    """The round's surveyed villages that no document of `step` of the round covers, in the survey's
    order: a village with nobody to review gets no 民主评议 document."""
    covered = set(reg.conn.execute("""SELECT IFNULL(township, ''), IFNULL(village, '') FROM documents
        WHERE round = ? AND step = ?""", (int(round_id), step)))
    return [place for place in round_villages(reg, round_id) if place not in covered]


def issued_hashes(reg: Register) -> set[str]:
    """The SHA-256 of every document this register printed, as printed: a file of a documents folder
    that is none of them was filled in, changed or put there by someone."""
    return {row[0] for row in reg.conn.execute("SELECT DISTINCT sha256 FROM documents")}


def printed_steps(reg: Register, hashes: set[str]) -> dict[str, tuple[str, bool]]:
    """{SHA-256: (step, whether its document was recorded, from any file)} of the documents printed as
    `hashes`: a blank copy let go by --force is said as of a document recorded or of one not taken."""
    if not hashes:
        return {}
    rows = reg.conn.execute(f"SELECT sha256, step, doc_id IN ({RECORDED}) FROM documents WHERE sha256 {AMONG}",
                            [_listed(sorted(hashes))]).fetchall()
    return {sha: (step, bool(was)) for sha, step, was in rows}


def recorded_form_hashes(reg: Register) -> dict[str, str]:
    """{SHA-256: step} of the files `register record` took a document back from that differ from every
    file printed (filled in): a documents folder holding one, unchanged since, keeps it where it is."""
    return dict(reg.conn.execute(
        "SELECT c.source_sha256, d.step FROM changesets c JOIN documents d ON d.doc_id = c.doc_id "
        "WHERE c.command LIKE 'register record%' AND c.source_sha256 IS NOT NULL "
        "AND c.source_sha256 NOT IN (SELECT sha256 FROM documents)").fetchall())


def recorded_as_printed(reg: Register) -> dict[str, str]:
    """{SHA-256: step} of the documents `register record` took back from the very file printed (a
    publicity with no objection): a documents folder replaced with --force lets them go, the
    register holding all they say."""
    return dict(reg.conn.execute(
        "SELECT d.sha256, d.step FROM documents d JOIN changesets c ON c.doc_id = d.doc_id "
        "AND c.source_sha256 = d.sha256 WHERE c.command LIKE 'register record%'").fetchall())


def documents_by_id(reg: Register, doc_ids: Sequence[str]) -> dict[str, dict]:
    """{doc_id: the document's row} for those of `doc_ids` this register printed."""
    if not doc_ids:
        return {}
    cur = reg.conn.execute(f"SELECT * FROM documents WHERE doc_id {AMONG}", [_listed(doc_ids)])
    names = [d[0] for d in cur.description]
    return {row[1]: dict(zip(names, row)) for row in cur.fetchall()}


# The command of a changeset noting a file found the same as its document's recording (opened and
# saved again, other bytes): a register record of no change, the file known from then on.
SAVED_AGAIN = "register record (saved again)"


def last_recorded_files(reg: Register, doc_ids: Sequence[str]) -> dict[str, set[str]]:
    """{doc_id: the SHA-256 of the file its latest recording came from, and of the copies noted the
    same since (SAVED_AGAIN)} for those of `doc_ids` recorded."""
    if not doc_ids:
        return {}
    found: dict[str, set[str]] = {}
    for doc_id, sha in reg.conn.execute(
            f"SELECT c.doc_id, c.source_sha256 FROM changesets c JOIN (SELECT doc_id, max(id) AS id FROM changesets "
            f"WHERE doc_id {AMONG} AND command LIKE 'register record%' AND command <> ? GROUP BY doc_id) l "
            f"ON c.doc_id = l.doc_id AND (c.id = l.id OR (c.id > l.id AND c.command = ?))",
            [_listed(doc_ids), SAVED_AGAIN, SAVED_AGAIN]):
        found.setdefault(doc_id, set()).add(sha)
    return found


# A changeset of `register record` names the document it took back (doc_id): with the facts or
# measures it recorded, or (a measure form with nothing new on it) only the form's return.
RECORDED = "SELECT doc_id FROM changesets WHERE doc_id IS NOT NULL AND command LIKE 'register record%'"


def documents_out(reg: Register, step: str) -> pd.DataFrame:
    """The documents of `step` still out: printed, and never taken back by `register record` (no
    changeset of it names them, no measure row comes from them), oldest first."""
    return _frame(reg.conn.execute(
        f"SELECT * FROM documents WHERE step = ? AND doc_id NOT IN ({RECORDED}) "
        "AND id NOT IN (SELECT document FROM measures WHERE document IS NOT NULL) ORDER BY id", (step,)))


def recorded_documents(reg: Register, doc_ids: Sequence[str]) -> set[str]:
    """Those of `doc_ids` that `register record` has taken back before (RECORDED)."""
    if not doc_ids:
        return set()
    return {row[0] for row in reg.conn.execute(f"SELECT DISTINCT doc_id FROM ({RECORDED}) WHERE doc_id {AMONG}",
                                               [_listed(doc_ids)])}


def recorded_from(reg: Register, doc_id: str) -> tuple[str, str] | None:
    """(the file, the day) `register record` first took document `doc_id` back from; None where it has not.
    Every document's read in one query, kept while the register is unchanged (a county's 文书/ holds
    its 1,500 copies as printed)."""
    return reg.unchanged_since("recorded_from", lambda: _recorded_from_all(reg)).get(doc_id)


def _recorded_from_all(reg: Register) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for doc_id, file, at in reg.conn.execute(
            "SELECT doc_id, source_file, at FROM changesets WHERE doc_id IS NOT NULL "
            "AND command LIKE 'register record%' ORDER BY id"):
        found.setdefault(doc_id, (file or "", (at or "")[:10]))
    return found


def document_rows(reg: Register, document_ids: Sequence[int]) -> pd.DataFrame:
    if not len(document_ids):
        return pd.DataFrame(columns=DOCUMENT_ROW_COLUMNS)
    return _frame(reg.conn.execute(f"SELECT * FROM document_rows WHERE document {AMONG} "
                                   f"ORDER BY document, seq", [_listed(document_ids)]))


def events(reg: Register, round_id: int) -> pd.DataFrame:
    """Every event of a round, oldest first."""
    return _frame(reg.conn.execute(f"SELECT id, {', '.join(EVENT_COLUMNS)} FROM events WHERE round = ? ORDER BY id",
                                   (round_id,)))


def events_of_steps(reg: Register, round_id: int, steps: Sequence[str]) -> pd.DataFrame:
    """`events` of these steps only (one track's): each track's state reads its own, not the round's
    every event once per track."""
    return _frame(reg.conn.execute(f"SELECT id, {', '.join(EVENT_COLUMNS)} FROM events WHERE round = ? "
                                   f"AND step {AMONG} ORDER BY id", (round_id, _listed(steps))))


def add_events(reg: Register, frame: pd.DataFrame) -> None:
    _insert(reg, "events", frame, EVENT_COLUMNS)
    _crash_point("events_inserted")


def history(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every event of these households, and the village facts of their villages' steps, with the
    changeset of each (who, when, which command, which file), oldest first."""
    return _frame(reg.conn.execute(f"""
        SELECT e.*, c.at, c.command, c.os_user, c.source_file, c.source_sha256, c.reason AS amend_reason
        FROM events e JOIN changesets c ON c.id = e.changeset
        WHERE e.household {AMONG}
        ORDER BY e.id""", [_listed(households)]))


def village_facts(reg: Register, fields: Sequence[str], rounds: Sequence[int]) -> pd.DataFrame:
    """The village facts (events of no household: a meeting's 主持人, a 审核人) of these fields in
    these rounds, with the changeset of each as `history` gives a household's, oldest first."""
    return _frame(reg.conn.execute(f"""
        SELECT e.*, c.at, c.command, c.os_user, c.source_file, c.source_sha256, c.reason AS amend_reason
        FROM events e JOIN changesets c ON c.id = e.changeset
        WHERE e.household IS NULL AND e.field {AMONG} AND e.round {AMONG}
        ORDER BY e.id""", [_listed(fields), _listed(rounds)]))


def named_objections(reg: Register) -> pd.DataFrame:
    """Every recorded fact of the objections about a household outside a posted list (漏评, 也应退出:
    a village's, naming a head), with the changeset of each, oldest first: few in a county."""
    return _frame(reg.conn.execute("""
        SELECT e.*, c.at, c.command, c.os_user, c.source_file, c.source_sha256, c.reason AS amend_reason
        FROM events e JOIN changesets c ON c.id = e.changeset
        WHERE e.household IS NULL AND (e.field LIKE 'omission%' OR e.field LIKE 'exit_also%')
        ORDER BY e.id"""))


def village_dates(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every step date recorded for the villages these households were screened in, each in its
    round (the meeting's date, a review's, a publicity's last day), put right ones too, with the
    changeset of each, oldest first."""
    return _frame(reg.conn.execute(f"""
        SELECT e.*, c.at, c.command, c.os_user, c.source_file, c.source_sha256, c.reason AS amend_reason
        FROM events e JOIN changesets c ON c.id = e.changeset
        WHERE e.household IS NULL AND e.field = 'date' AND EXISTS (
            SELECT 1 FROM screened s WHERE s.household {AMONG} AND s.round = e.round
            AND COALESCE(s.township, '') = COALESCE(e.township, '')
            AND COALESCE(s.village, '') = COALESCE(e.village, ''))
        ORDER BY e.id""", [_listed(households)]))


def changeset_of_round(reg: Register, round_id: int) -> dict:
    cur = reg.conn.execute("SELECT c.* FROM changesets c JOIN rounds r ON r.changeset = c.id WHERE r.id = ?",
                           (round_id,))
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


def changesets(reg: Register, ids: Sequence[int]) -> pd.DataFrame:
    """These changesets (when, which command, from which file, why), by id."""
    return _frame(reg.conn.execute(f"SELECT id, at, command, source_file, reason FROM changesets WHERE id {AMONG}",
                                   [_listed(list(ids))]))


def file_size(reg: Register) -> int:
    """Bytes the register holds (pages in use), as a copy of the file would have."""
    pages = reg.conn.execute("PRAGMA page_count").fetchone()[0]
    return pages * reg.conn.execute("PRAGMA page_size").fetchone()[0]


# ---------------------------------------------------------------------------------------------
# The years after (schema 2): measures, members, each round's comparison with the register


def roster_exclusions_before(reg: Register, round_id: int) -> pd.DataFrame:
    """(household, roster_excluded): the households the round before `round_id` excluded by an
    authoritative roster (低保, 特困, 建档立卡), with the exclusion."""
    return _frame(reg.conn.execute(
        "SELECT household, roster_excluded FROM screened WHERE roster_excluded IS NOT NULL AND round = "
        "(SELECT MAX(id) FROM rounds WHERE id < ?)", (int(round_id),)))


def latest_screened(reg: Register, before_round: int | None = None) -> pd.DataFrame:
    """Each household's latest screened row (of the rounds before `before_round`, or of all): what
    next year's survey is matched against. Its head_id is the household's ID (kept_ids): a survey's
    invalid ID does not replace a valid one the register knew; the row's own is surveyed_head_id."""
    where = "" if before_round is None else "WHERE round < ?"
    params = [] if before_round is None else [int(before_round)]
    frame = _frame(reg.conn.execute(f"""
        SELECT s.household, s.round, s.township, s.village, s.grp, s.household_id, s.head_name, s.head_id,
               s.members, s.residents, s.net_fen, s.per_capita_fen, s.status, s.difficulty
        FROM screened s JOIN (SELECT household, MAX(round) AS round FROM screened {where} GROUP BY household) m
          ON m.household = s.household AND m.round = s.round
        ORDER BY s.household""", params))
    frame["surveyed_head_id"] = frame["head_id"] if len(frame) else pd.Series(dtype=object)
    bad = ~_valid_or_blank(frame["head_id"]) if len(frame) else pd.Series(dtype=bool)
    if bad.any():
        # Only the few households whose latest ID is invalid: their earlier rows, to find the one kept.
        sql = f"SELECT household, round, head_id FROM screened WHERE household {AMONG}"
        if before_round is not None:
            sql += " AND round < ?"
        earlier = _frame(reg.conn.execute(sql + " ORDER BY household, round",
                                          [_listed(frame.loc[bad, "household"].tolist()), *params]))
        earlier["kept"] = kept_ids(earlier)
        kept = earlier.drop_duplicates("household", keep="last").set_index("household")["kept"]
        frame.loc[bad, "head_id"] = frame.loc[bad, "household"].map(kept).to_numpy()
    return frame


def _valid_or_blank(ids: pd.Series) -> pd.Series:
    from ..checks import valid_ids  # the survey's own test of an ID (check character, birth date)

    text = ids.astype("string").fillna("").str.strip()
    return pd.Series(text.eq("").to_numpy() | valid_ids(text.to_numpy(dtype=object))[0], index=ids.index)


def kept_ids(rows: pd.DataFrame) -> pd.Series:
    """Per screened row (household, round, head_id; in round order per household), the household's
    ID as of that round: the row's own where it is a valid ID (or blank), else the latest valid one
    of its earlier rows (two birth-date digits typed swapped are no new ID: only a valid ID replaces
    the registered one), else the row's own (none valid to keep)."""
    if rows.empty:
        return pd.Series(dtype=object, index=rows.index)
    ids = rows["head_id"].astype(object)
    text = ids.astype("string").fillna("")
    fine = _valid_or_blank(ids)
    last_good = text.where(fine & text.ne("")).groupby(rows["household"].to_numpy()).ffill().astype(object)
    return ids.where(fine, last_good.where(last_good.notna(), ids))


def screened_years(reg: Register, households: Sequence[int] | None = None) -> pd.DataFrame:
    """Every screened row with its round's income year and bounds: the income over time; of
    `households` only, if given (those of the register: a few percent of a county's rows)."""
    where, params = "", []
    if households is not None:
        where = f"WHERE s.household {AMONG}"
        params = [_listed(households)]
    return _frame(reg.conn.execute(f"""
        SELECT s.household, s.round, r.year, r.round_date, r.lower_fen, r.upper_fen, s.county, s.township,
               s.village, s.grp, s.head_name, s.head_id, s.residents, s.net_fen, s.per_capita_fen, s.status,
               s.difficulty
        FROM screened s JOIN rounds r ON r.id = s.round {where} ORDER BY s.household, s.round""", params))


def per_capita_before(reg: Register, year: int) -> pd.DataFrame:
    """Every screened row of an income year before `year`, with only what a year's income needs:
    household, round, year, per_capita_fen, status (one scan; no list of households to send)."""
    return _frame(reg.conn.execute("""
        SELECT s.household, s.round, r.year, s.per_capita_fen, s.status
        FROM screened s JOIN rounds r ON r.id = s.round WHERE r.year < ?""", (int(year),)))


def county_name(reg: Register) -> str | None:
    """The county as the surveys name it most often (None where none does)."""
    row = reg.conn.execute("""
        SELECT county FROM screened WHERE county IS NOT NULL AND county != ''
        GROUP BY county ORDER BY COUNT(*) DESC, county LIMIT 1""").fetchone()
    return row[0] if row else None


def add_members(reg: Register, frame: pd.DataFrame) -> None:
    _insert(reg, "members", frame, MEMBER_COLUMNS)


def latest_members(reg: Register, before_round: int) -> pd.DataFrame:
    """The members of each household as listed in the latest round before `before_round` that
    listed its members (household, member_id, labour, and that round)."""
    return _frame(reg.conn.execute("""
        SELECT m.household, m.member_id, m.labour, m.round FROM members m
        JOIN (SELECT household, MAX(round) AS round FROM members WHERE round < ? GROUP BY household) l
          ON l.household = m.household AND l.round = m.round""", (int(before_round),)))



def known_people(reg: Register, round_id: int, households: pd.DataFrame) -> pd.DataFrame:
    """The people the register knows of `households` (household, head_id: each one's last screened
    row) before round `round_id`: its last head and its last listed members (latest_members), as
    (household, member_id), each once, none blank: who may be found in another household this round."""
    listed = latest_members(reg, round_id)
    known = pd.concat([pd.DataFrame({"household": households["household"].to_numpy(),
                                     "member_id": households["head_id"].astype("string").fillna("")
                                     .to_numpy(dtype=object)}),
                       listed.loc[listed["household"].isin(households["household"]), ["household", "member_id"]]],
                      ignore_index=True)
    return known[known["member_id"].ne("")].drop_duplicates()

def members_of_round(reg: Register, round_id: int) -> pd.DataFrame:
    return _frame(reg.conn.execute("SELECT * FROM members WHERE round = ?", (int(round_id),)))


def add_changes(reg: Register, frame: pd.DataFrame) -> None:
    _insert(reg, "round_changes", frame, CHANGE_COLUMNS)


def _has_later_changes(reg: Register) -> bool:
    """Whether the file has round_changes_later (a version-4 register read as it is has not)."""
    return reg.unchanged_since("has_later_changes", lambda: reg.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'round_changes_later'").fetchone() is not None)


def add_later_changes(reg: Register, frame: pd.DataFrame, changeset: int) -> None:
    """Changes of households a round already holds a change of, found later in the same round (see
    _schema_5), recorded by `changeset`."""
    _insert(reg, "round_changes_later", frame.assign(changeset=changeset), ["changeset", *CHANGE_COLUMNS])


def changes(reg: Register, round_id: int) -> pd.DataFrame:
    """The round's change of each household it holds one of: the latest (a later one replaces the
    round's own, _schema_5)."""
    frame = _frame(reg.conn.execute("SELECT * FROM round_changes WHERE round = ? ORDER BY household",
                                    (int(round_id),)))
    if _has_later_changes(reg):
        later = _frame(reg.conn.execute("SELECT * FROM round_changes_later WHERE round = ? ORDER BY changeset",
                                        (int(round_id),)))
        if len(later):
            later = later.drop_duplicates("household", keep="last")[CHANGE_COLUMNS]
            kept = frame[~frame["household"].isin(later["household"])] if len(frame) else frame
            frame = pd.concat([kept, later], ignore_index=True).sort_values("household", ignore_index=True)
    return frame if len(frame) else pd.DataFrame(columns=CHANGE_COLUMNS)


def add_measures(reg: Register, frame: pd.DataFrame) -> None:
    _insert(reg, "measures", frame, MEASURE_COLUMNS)


def measures(reg: Register, households: Sequence[int] | None = None) -> pd.DataFrame:
    """Every measure as it stands now (a measure replaced by a later row is left out), with when and
    by whom it was recorded and from which file, oldest first; of `households` only, if given (a
    village's form: read by the index, not the whole table)."""
    where, params = "", []
    if households is not None:
        where = f"AND m.household {AMONG}"
        params = [_listed(households)]
    frame = _frame(reg.conn.execute(f"""
        SELECT m.id, m.household, m.type, m.model, m.content, m.start, m."end", m.amount_fen, m.person,
               m.replaces, m.document, c.at, c.os_user, c.source_file, c.command
        FROM measures m JOIN changesets c ON c.id = m.changeset
        WHERE NOT EXISTS (SELECT 1 FROM measures n WHERE n.replaces = m.id) {where}
        ORDER BY m.household, m.start, m.id""", params))
    if frame.empty:
        return pd.DataFrame(columns=["id", "household", "type", "model", "content", "start", "end", "amount_fen",
                                     "person", "replaces", "document", "at", "os_user", "source_file", "command"])
    return frame


def measure_history(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every measure row of these households, replaced ones too, with its changeset and the day the
    form it came from was issued (doc_issued)."""
    return _frame(reg.conn.execute(f"""
        SELECT m.*, c.at, c.os_user, c.source_file, c.command, c.reason AS amend_reason, d.issued AS doc_issued
        FROM measures m JOIN changesets c ON c.id = m.changeset LEFT JOIN documents d ON d.id = m.document
        WHERE m.household {AMONG} ORDER BY m.id""", [_listed(households)]))


def latest_day(reg: Register) -> str | None:
    """The last day the register shows something begun: a round's survey date or a document's issue.
    The dates written on a document (a visit, a period's end, an objection settled after it) belong to
    the step it began, and a measure's start may lie ahead: none is counted."""
    row = reg.conn.execute("""
        SELECT MAX(day) FROM (SELECT MAX(round_date) AS day FROM rounds UNION ALL
                              SELECT MAX(issued) FROM documents)""").fetchone()
    return row[0] if row else None


def latest_round(reg: Register) -> dict | None:
    cur = reg.conn.execute("SELECT * FROM rounds ORDER BY id DESC LIMIT 1")
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))


def decisions(reg: Register, steps: Sequence[str], village_dated: Sequence[str] = ()) -> pd.DataFrame:
    """The current decision (the latest event) of every household at each of `steps`, in every round:
    round, household, step, new ('yes'/'no'), effective, settled. At the `village_dated` steps a decision
    takes effect on its village's current date for the step (a date put right is the village's event);
    `settled`: the day the household's objection at the step was settled, if one was raised
    (procedure.held_by_objections holds the decision until then)."""
    # The village's date is matched on its place made blank-for-NULL in the subquery, not in the ON:
    # so SQLite's automatic index takes the place too (a comparison per village of the round and step,
    # for each of a county's decisions, took a second at 60,000 households).
    marks = ", ".join("?" * len(steps))
    dated = ", ".join("?" * len(village_dated)) or "NULL"
    frame = _frame(reg.conn.execute(f"""
        SELECT e.round, e.household, e.step, e.new,
               CASE WHEN e.step IN ({dated}) THEN COALESCE(d.new, e.effective) ELSE e.effective END AS effective,
               o.effective AS settled
        FROM events e
        JOIN (SELECT MAX(id) AS id FROM events WHERE field = 'decision' AND household IS NOT NULL
              AND step IN ({marks}) GROUP BY round, household, step) l ON l.id = e.id
        LEFT JOIN screened s ON s.round = e.round AND s.household = e.household
        LEFT JOIN (SELECT v.round, COALESCE(v.township, '') AS township, COALESCE(v.village, '') AS village,
                          v.step, v.new FROM events v
                   JOIN (SELECT MAX(id) AS id FROM events WHERE field = 'date' AND household IS NULL
                         AND step IN ({marks}) GROUP BY round, township, village, step) m ON m.id = v.id) d
          ON d.round = e.round AND d.step = e.step AND d.township = COALESCE(s.township, '')
             AND d.village = COALESCE(s.village, '')
        LEFT JOIN (SELECT r.round, r.household, r.step, r.effective FROM events r
                   JOIN (SELECT MAX(id) AS id FROM events WHERE field = 'objection_result' AND household IS NOT NULL
                         AND step IN ({marks}) GROUP BY round, household, step) n ON n.id = r.id) o
          ON o.round = e.round AND o.household = e.household AND o.step = e.step""",
        [*village_dated, *steps, *steps, *steps]))
    return frame if len(frame) else pd.DataFrame(columns=["round", "household", "step", "new", "effective", "settled"])


def household_facts(reg: Register, steps: Sequence[str], fld: str) -> pd.DataFrame:
    """The current value (the latest event) of a household fact (`fld`: 'reason', 'verifier' …) at each
    of `steps`, in every round: round, household, step, new, effective."""
    marks = ", ".join("?" * len(steps))
    frame = _frame(reg.conn.execute(f"""
        SELECT e.round, e.household, e.step, e.new, e.effective FROM events e
        JOIN (SELECT MAX(id) AS id FROM events WHERE field = ? AND household IS NOT NULL AND step IN ({marks})
              GROUP BY round, household, step) l ON l.id = e.id""", [fld, *steps]))
    return frame if len(frame) else pd.DataFrame(columns=["round", "household", "step", "new", "effective"])


def exit_refusals(reg: Register, households: Sequence[int], before_round: int, steps: Sequence[str]) -> pd.DataFrame:
    """The exits of these households that an earlier round (before `before_round`) turned down: each
    round's latest decision of a household at one of the exit's `steps` that is no, with the round's
    year, its day and the reason written then (the step's reason, else the objection upheld at a
    publicity): round, year, household, step, effective, reason, oldest round first. One query, by the
    events' household index: an exit list asks it for its round's few households leaving."""
    marks = ", ".join("?" * len(steps))
    # The reason at the step as `household_facts` reads it (its latest event), blank read as none.
    fact = ("(SELECT NULLIF(x.new, '') FROM events x WHERE x.household = e.household AND x.round = e.round "
            "AND x.step = e.step AND x.field = '{}' ORDER BY x.id DESC LIMIT 1)")
    return _frame(reg.conn.execute(f"""
        SELECT e.round, r.year, e.household, e.step, e.effective,
               COALESCE({fact.format('reason')}, {fact.format('objection')}) AS reason
        FROM events e
        JOIN (SELECT MAX(id) AS id FROM events WHERE household {AMONG} AND round < ? AND field = 'decision'
              AND step IN ({marks}) GROUP BY round, household, step) l ON l.id = e.id
        JOIN rounds r ON r.id = e.round
        WHERE e.new = 'no'
        ORDER BY e.household, e.round, e.id""", [_listed(households), int(before_round), *steps]))


# ---------------------------------------------------------------------------------------------
# The city's spot checks (_schema_9)


def has_spot_checks(reg: Register) -> bool:
    """The file has the spot checks' tables: an older one read as it is (a look, read-only media) has none."""
    return reg.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'spot_checks'").fetchone() \
        is not None


def add_spot_check(reg: Register, check: dict, forms: pd.DataFrame, findings: pd.DataFrame) -> int:
    """A recording of a spot check (SPOT_CHECK_COLUMNS), its forms (file, path, sha256) and its households'
    findings (SPOT_FINDING_COLUMNS but spot_check); its id."""
    marks = ", ".join("?" * len(SPOT_CHECK_COLUMNS))
    cur = reg.conn.execute(f"INSERT INTO spot_checks ({', '.join(SPOT_CHECK_COLUMNS)}) VALUES ({marks})",
                           [check.get(c) for c in SPOT_CHECK_COLUMNS])
    spot_check = cur.lastrowid
    _insert(reg, "spot_check_forms", forms.assign(spot_check=spot_check), SPOT_FORM_COLUMNS)
    _insert(reg, "spot_findings", findings.assign(spot_check=spot_check), SPOT_FINDING_COLUMNS)
    return spot_check


def spot_findings_of_sample(reg: Register, sample_id: str) -> pd.DataFrame:
    """Every finding recorded of the sample `sample_id`, by each of its recordings, oldest first."""
    return _frame(reg.conn.execute("""
        SELECT f.* FROM spot_findings f JOIN spot_checks s ON s.id = f.spot_check
        WHERE s.sample_id = ? ORDER BY f.spot_check""", (sample_id,)))


def spot_checks_of_sample(reg: Register, sample_id: str) -> pd.DataFrame:
    """The recordings of the sample `sample_id`, with who recorded each and when, oldest first."""
    return _frame(reg.conn.execute("""
        SELECT s.*, c.at, c.os_user FROM spot_checks s JOIN changesets c ON c.id = s.changeset
        WHERE s.sample_id = ? ORDER BY s.id""", (sample_id,)))


def spot_history(reg: Register, households: Sequence[int]) -> pd.DataFrame:
    """Every finding recorded of these households, with its recording (sample, tolerance, the one it
    supersedes) and changeset (who, when, which command), oldest first; none in an older file."""
    if not has_spot_checks(reg):
        return pd.DataFrame(columns=[*SPOT_FINDING_COLUMNS, "round", "sample_id", "supersedes", "at", "os_user",
                                     "command", "changeset"])
    return _frame(reg.conn.execute(f"""
        SELECT f.*, s.round, s.sample_id, s.supersedes, s.changeset, c.at, c.os_user, c.command
        FROM spot_findings f JOIN spot_checks s ON s.id = f.spot_check JOIN changesets c ON c.id = s.changeset
        WHERE f.household {AMONG} ORDER BY f.spot_check""", [_listed(households)]))


def last_spot_check(reg: Register) -> dict | None:
    """The latest spot check recorded (spot_checks' row, with its changeset's at and os_user); None where
    there is none, or the file is older than the spot checks' tables."""
    if not has_spot_checks(reg):
        return None
    cur = reg.conn.execute("""
        SELECT s.*, c.at, c.os_user FROM spot_checks s JOIN changesets c ON c.id = s.changeset
        ORDER BY s.id DESC LIMIT 1""")
    row = cur.fetchone()
    return None if row is None else dict(zip([d[0] for d in cur.description], row))
