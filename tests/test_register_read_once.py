"""What a command reads of the register twice (a screen's unfinished villages: checked before the
survey is read, said again as the round is recorded) is read once, unless the register changed in
between, by this command or by another clerk's (another connection's commit)."""

from __future__ import annotations

import sqlite3

from edgescreen.register import db


def test_a_value_read_once_is_read_again_after_another_clerks_commit(tmp_path):
    path = tmp_path / "农安县.db"
    reg = db.open_register(path, create=True)
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert reg.unchanged_since("x", compute) == 1
    assert reg.unchanged_since("x", compute) == 1  # nothing written: not read again
    other = sqlite3.connect(path)
    other.execute("INSERT INTO changesets (at, command, version) VALUES ('2019-11-20', 'record', '0')")
    other.commit()
    other.close()
    assert reg.unchanged_since("x", compute) == 2  # another connection committed
    with reg.writing():
        db.add_changeset(reg, "record")
        assert reg.unchanged_since("x", compute) == 3  # this connection wrote
    reg.close()
