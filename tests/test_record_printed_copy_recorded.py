"""The office's copy as printed of a document already recorded from the village's filled one (the
whole 文书/ folder given again, the printed copies beside the returned ones): said as a copy as
printed of a recorded document, with the file and the day it was recorded from, not as a form the
village has still to fill in (an outside try: "还没有填写" for a meeting recorded a week before)."""

from __future__ import annotations

import shutil
import sqlite3

from register_builders import fill, meeting
from test_register import Walk


def _changesets(walk: Walk) -> int:
    con = sqlite3.connect(walk.db)
    try:
        return con.execute("SELECT count(*) FROM changesets").fetchone()[0]
    finally:
        con.close()


def test_the_printed_copy_of_a_recorded_form_is_said_as_recorded_not_as_unfilled(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    office = tmp_path / "文书-打印原样"
    office.mkdir()
    copies = [shutil.copy2(doc, office / doc.name) for doc in docs]
    for doc in docs:
        fill(doc, default=("同意", ""), form=meeting("2019-11-25"))
    walk.record(*docs)
    before = _changesets(walk)

    one = walk.record(copies[0]).output
    name = docs[0].name
    assert "还没有填写" not in one, one
    assert f"{name}:民主评议" in one and "这是打印时的原样" in one and f"由 {name} 登记过,已跳过" in one, one
    assert "已于 20" in one, one  # the day it was recorded, as the register keeps it

    # The whole office folder: one line for all of them, counted among those with nothing new.
    many = walk.record(*copies).output
    assert "还没有填写" not in many, many
    assert f"{len(copies)} 个文件是打印时的原样,这些文书已由填好的文书登记过,已跳过:" in many, many
    assert all(c.name in many for c in copies), many
    assert f"没有改动 {len(copies)} 个" in many, many
    assert _changesets(walk) == before  # nothing recorded


def test_a_printed_copy_of_a_form_not_recorded_yet_is_still_not_filled(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    out = walk.record(docs[0]).output
    assert "还没有填写(与打印时一字不差),已跳过" in out and "打印时的原样" not in out, out
