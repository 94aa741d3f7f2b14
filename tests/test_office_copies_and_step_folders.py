"""The office's own copies and folders given where the villages' are: the copy as printed of a document
already recorded from the village's filled one (the whole 文书/ folder given again) said as such, with the
file and day it was recorded from, not as a form still to fill in (an outside try: "还没有填写" for a
meeting recorded a week before); and a step's folder given to `register next -o` for the documents folder."""

from __future__ import annotations

import shutil
import sqlite3

from register_builders import fill, meeting
from test_register import DATES, Walk, run


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


def test_the_printed_copies_given_beside_the_filled_ones_the_first_time_are_passed_over(tmp_path):
    """文书/ given whole before anything was recorded: each copy as printed beside its filled one (the
    printed copy first in the folder's order) was refused as two versions of one document."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    office = tmp_path / "文书"
    (office / "0-打印原样").mkdir(parents=True)
    copies = [shutil.copy2(doc, office / "0-打印原样" / doc.name) for doc in docs]
    (office / "1-交回").mkdir()
    returned = [shutil.copy2(doc, office / "1-交回" / doc.name) for doc in docs]
    for doc in returned:
        fill(doc, default=("同意", ""), form=meeting("2019-11-25"))
    out = walk.record(office).output
    assert "两份内容不同" not in out and "还没有填写" not in out, out
    assert f"{len(copies)} 个文件是打印时的原样,这些文书已由填好的文书登记过,已跳过" in out, out
    assert f"登记 {len(returned)} 个" in out, out
    one = walk.record(copies[0], returned[0]).output
    name = returned[0].name
    assert f"这是打印时的原样;这份文书按填好的 1-交回/{name} 登记,已跳过" in one and "已经登记过,内容相同" in one, one


def test_a_printed_copy_of_a_form_not_recorded_yet_is_still_not_filled(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    out = walk.record(docs[0]).output
    assert "还没有填写(与打印时一字不差),已跳过" in out and "打印时的原样" not in out, out


# -o naming a step's folder (the last step's, or the next one's beside it) for the documents folder:
# the next step's folder was made inside it (文书2/2-入户核实/3-第一次公示), the last step's forms carried in.
def test_next_refuses_a_step_folder_given_for_the_documents_folder(tmp_path):
    walk = Walk(tmp_path)
    walk.review()
    folder = tmp_path / "docs-review"
    for given, step in ((folder / "1-民主评议", "民主评议"), (folder / "2-入户核实", "入户核实")):
        out = run("register", "next", walk.db, "--date", DATES["verify"], "-o", given, "--force", code=2).output
        flat = "".join(out.split())
        assert f"这是「{step}」那一步的文书文件夹" in flat and f"-o{folder}:" in flat, out
    assert sorted(p.name for p in folder.iterdir()) == ["1-民主评议"]
    assert not any(p.is_dir() for p in (folder / "1-民主评议").iterdir())
    # The documents folder itself: the next step beside the last.
    run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force")
    assert sorted(p.name for p in folder.iterdir()) == ["1-民主评议", "2-入户核实"]
    # A new folder that only bears a step's name, with no step folder beside it, is taken.
    verified = sorted((folder / "2-入户核实").glob("*.xlsx"))
    for doc in verified:
        fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    walk.record(*verified)
    lone = tmp_path / "elsewhere" / "3-第一次公示"
    run("register", "next", walk.db, "--date", DATES["publicity1"], "-o", lone)
    assert (lone / "3-第一次公示").is_dir()


def test_status_says_a_first_document_is_out_not_that_nothing_began(tmp_path, monkeypatch):
    """register status's township lines said 「未开始 6 个村」 where the 民主评议 forms were out (an
    outside try at county size): its 进度.xlsx said 文书已发出,待登记."""
    from edgescreen.cli import register as cli_register

    walk = Walk(tmp_path)
    walk.issue("review")
    # A village's own line says both, once each: not begun, and its form out.
    lines = "".join(run("register", "status", walk.db).output.split())
    assert "未开始·" in lines and lines.count("「民主评议」文书已发出") == lines.count("未开始"), lines
    monkeypatch.setattr(cli_register, "STATUS_WHOLE_AT_MOST", 0)  # a county's: a line per township
    status = "".join(run("register", "status", walk.db).output.split())
    assert "「民主评议」文书已发出、待登记" in status and "未开始" not in status, status
