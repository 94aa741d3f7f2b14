"""A register of an earlier version, shared with townships whose older edgescreen still opens it:
`register record` upgraded it as it opened the file, before it had checked the returned forms, so a
record then refused (a problem in a form: exit 2, nothing recorded) had still upgraded the register,
locking those townships out, and left the copy kept before the upgrade beside it. A refused record
leaves an older register exactly as it was; the record that writes upgrades it, as before."""

from __future__ import annotations

import sqlite3

from register_builders import back_to_version, fill, meeting, register_version
from test_register import Walk, _by_name, dump, run
from edgescreen.register import db as register_db


def _back_to_version_5(db) -> None:
    """The register as edgescreen kept it before version 6 (without the income parts), its documents
    printed already: as a township's older edgescreen left it."""
    back_to_version(db, 5)



def _review_forms_of_an_older_register(tmp_path):
    """The walk's 民主评议 forms, printed; its register then turned back into version 5."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    _back_to_version_5(walk.db)
    return walk, docs


def test_a_refused_record_leaves_an_older_register_as_it_was_and_keeps_no_copy(tmp_path):
    walk, docs = _review_forms_of_an_older_register(tmp_path)
    for p in docs:  # 王一's row says 也许: not a decision, the whole record refused
        fill(p, default=("同意", ""), decisions=_by_name(p, {"王一": ("也许", "")}), form=meeting("2019年11月25日"))
    before = walk.db.read_bytes()
    said = " ".join(walk.record(*docs, code=2).output.split())
    assert "也许" in said and "升级" not in said, said
    assert walk.db.read_bytes() == before and register_version(walk.db) == 5
    assert not list(tmp_path.glob("*升级前*")), sorted(p.name for p in tmp_path.iterdir())


def test_the_record_that_writes_upgrades_the_older_register_keeping_the_copy_as_it_was(tmp_path):
    walk, docs = _review_forms_of_an_older_register(tmp_path)
    before = dump(walk.db)
    kept = walk.db.with_name(f"{walk.db.stem}.升级前第5版{walk.db.suffix}")
    for p in docs:  # first with a problem: refused, nothing upgraded
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "")}), form=meeting("2019年11月25日"))
    walk.record(*docs, code=2)
    assert dump(walk.db) == before and not kept.exists()
    for p in docs:  # the reason filled in: recorded, the register upgraded and its copy kept as it was
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}))
    said = " ".join(walk.record(*docs).output.split())
    assert "格式第 5 版" in said and kept.name in said, said
    assert register_version(walk.db) == register_db.SCHEMA_VERSION and register_version(kept) == 5 and dump(kept) == before
    assert sorted(p.name for p in tmp_path.glob("*升级前*")) == [kept.name]
    con = sqlite3.connect(walk.db)
    try:
        decided = dict(con.execute("SELECT s.head_name, e.new FROM events e JOIN screened s ON s.household = e.household "
                                   "AND s.round = e.round WHERE e.step = 'review' AND e.field = 'decision'").fetchall())
    finally:
        con.close()
    assert decided["李二"] == "no" and decided["王一"] == "yes", decided
    # The same forms again: nothing to write, nothing more upgraded, no second copy.
    again = " ".join(walk.record(*docs).output.split())
    assert "升级" not in again and sorted(p.name for p in tmp_path.glob("*升级前*")) == [kept.name], again
    # The copy kept is for safekeeping: a record into it is refused, naming the register itself.
    refused = " ".join(run("register", "record", kept, *docs, code=2).output.split())
    assert "这是登记簿升级前保留的原样副本" in refused and f"请用登记簿本身:{walk.db.name}" in refused, refused
    assert dump(kept) == before


def test_an_upgrade_made_as_a_record_wrote_is_undone_with_it(tmp_path):
    """A record refused after it began to write (a measure form recorded early, the batch then refused;
    a full disk at the commit): the upgrade rolls back with its writes, and the copy kept goes too."""
    walk = Walk(tmp_path)
    _back_to_version_5(walk.db)
    before, as_sql = walk.db.read_bytes(), dump(walk.db)
    with register_db.open_register(walk.db, upgrade=register_db.UPGRADE_ON_WRITE) as reg:
        try:
            with reg.writing():
                register_db.add_changeset(reg, "register record", source_file="合隆镇-前岗村-帮扶措施.xlsx")
                assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == register_db.SCHEMA_VERSION
                assert list(tmp_path.glob("*升级前第5版*"))  # made before the first write, of the file as it was
                raise RuntimeError("refused")
        except RuntimeError:
            pass
        assert walk.db.read_bytes() == before and not list(tmp_path.glob("*升级前*"))
        with reg.writing():  # the next transaction that writes upgrades it
            register_db.add_changeset(reg, "register record", source_file="合隆镇-前岗村-帮扶措施.xlsx")
    assert register_version(walk.db) == register_db.SCHEMA_VERSION
    kept = walk.db.with_name(f"{walk.db.stem}.升级前第5版{walk.db.suffix}")
    assert dump(kept) == as_sql  # SQLite's copy: the same register, not the same bytes
