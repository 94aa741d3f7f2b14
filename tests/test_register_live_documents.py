"""Documents still out (printed, not recorded, neither void nor printed again) are never lost: a
folder `register next --force` replaces keeps those it holds as printed, at their place; one whose file
is lost is printed again with --reprint; and two documents out never share a file name. Findings of
the outside tester (2026-12-04). Each builds the small county of test_register."""

from __future__ import annotations

import shutil
import sqlite3

import openpyxl
import pytest

from register_builders import fill, meeting, table_rows
from test_register import DATES, FOLDERS, Walk, run
from edgescreen.register import load_state, open_register, read_identity


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _said(result) -> str:
    return " ".join(result.output.split())


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.xlsx"))}


def _out(walk) -> set[tuple[str, str]]:
    """(village, step) of every document the register holds as out."""
    with open_register(walk.db) as reg:
        out = load_state(reg).outstanding()
    return set(zip(out["village"], out["step"]))


def test_register_next_forced_over_its_folder_keeps_the_documents_still_out(walk):
    """Before: one village's meeting form filled (saved elsewhere) and recorded, then the next documents
    printed into the same folder with --force: the folder held only 2-入户核实/, the two other
    villages' blank forms, still out, deleted and never printed again. Now they stay, as printed, and
    are recorded from there."""
    folder = walk.tmp / "docs-review"
    docs = walk.issue("review")
    first = walk.doc("review", "前岗村")
    fill(first, default=("同意", ""), form=meeting("2019年11月25日"), save_as=walk.tmp / "前岗村-填好.xlsx")
    walk.record(walk.tmp / "前岗村-填好.xlsx")
    before = _files(folder)
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force"))
    after = _files(folder)
    kept = {name: data for name, data in before.items() if "前岗村" not in name}
    assert {name: after.get(name) for name in kept} == kept and len(kept) == 2  # byte for byte, at their place
    assert f"{FOLDERS['review']}/合隆镇-前岗村-民主评议.xlsx" not in after and f"{FOLDERS['verify']}/合隆镇-前岗村-入户核实.xlsx" in after
    assert "入户核实:1 份文书,4 户" in said and f"民主评议:2 份已发出、尚未登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said
    others = [p for p in docs if "前岗村" not in p.name]
    for p in others:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    walk.record(*others)
    assert not {step for _, step in _out(walk)} & {"review"}


def test_a_forced_folder_keeps_an_unfilled_publicity_and_lets_recorded_documents_go(walk):
    """A publicity's form without objections is recorded as printed. Before: 青山村's, still out, was
    deleted with the recorded ones when the township forms were printed into the folder."""
    walk.through("verify")
    folder = walk.tmp / "docs-publicity1"
    walk.issue("publicity1")
    walk.record(walk.doc("publicity1", "前岗村"), walk.doc("publicity1", "三宝村"))
    waiting = walk.doc("publicity1", "青山村").read_bytes()
    said = _said(run("register", "next", walk.db, "--date", DATES["township_review"], "-o", folder, "--force"))
    assert sorted(_files(folder)) == [f"{FOLDERS['publicity1']}/合隆镇-青山村-第一次公示.xlsx",
                                      f"{FOLDERS['township_review']}/合隆镇-乡镇审核.xlsx",
                                      f"{FOLDERS['township_review']}/烧锅镇-乡镇审核.xlsx"]
    assert (folder / FOLDERS["publicity1"] / "合隆镇-青山村-第一次公示.xlsx").read_bytes() == waiting
    assert "第一次公示:1 份已发出、尚未登记的文书原样保留在" in said, said
    walk.record(folder / FOLDERS["publicity1"] / "合隆镇-青山村-第一次公示.xlsx")


def test_a_document_out_whose_file_is_lost_is_printed_again_with_reprint(walk):
    """Before: a publicity form out whose file was lost could never be printed again (register next:
    nothing due). Now --reprint prints it as it was, where it was: its list, its day, its period; the
    register holds it as issued, and the copy, or the first print, is recorded as any document."""
    walk.through("verify")
    folder = walk.tmp / "docs-publicity1"
    walk.issue("publicity1")
    lost = walk.doc("publicity1", "青山村")
    first_print = shutil.copy(lost, walk.tmp / "青山村-原件.xlsx")
    lost.unlink()
    plain = _said(run("register", "next", walk.db, "--date", "2019-12-03", "-o", folder, "--force"))
    assert "没有到期要发出的文书" in plain and not lost.exists(), plain  # not without being asked
    said = _said(run("register", "next", walk.db, "--date", "2019-12-03", "-o", folder, "--force", "--reprint"))
    assert "第一次公示:重新打印 1 份已发出、尚未登记的文书,2 户" in said and "原样保留" in said, said
    assert "加 --reprint" not in said and "没有到期" not in said, said  # not told to use what it just used
    assert lost.exists() and table_rows(lost) == table_rows(first_print)
    text = {str(c.value) for ws in openpyxl.load_workbook(lost).worksheets for row in ws.iter_rows() for c in row}
    assert any("2019年12月1日" in t and "2019年12月7日" in t for t in text), text  # the period as first printed
    again, original = read_identity(lost), read_identity(first_print)
    assert again.doc_id != original.doc_id
    con = sqlite3.connect(walk.db)
    rows = con.execute("SELECT issued, period_start, period_end, file_name FROM documents WHERE doc_id IN (?, ?)",
                       (again.doc_id, original.doc_id)).fetchall()
    con.close()
    assert len(set(rows)) == 1 and rows[0][:3] == ("2019-12-01", "2019-12-01", "2019-12-07"), rows
    # Nothing lost now: --reprint prints nothing again.
    assert "份已发出、尚未登记的文书" not in _said(run("register", "next", walk.db, "--date", "2019-12-03", "-o", folder,
                                                "--force", "--reprint"))
    walk.record(first_print)  # the first print, found again, is still taken
    assert ("青山村", "publicity1") not in _out(walk)


def test_two_township_forms_out_at_once_have_two_file_names(walk):
    """合隆镇's form printed for 前岗村 while 青山村's publicity was out, and a second one for 青山村 while
    the first was still out. Before: both 合隆镇-乡镇审核.xlsx, so collected into one folder one took
    the other's place. Now the later one carries its day; both are kept and both recorded. One of them
    filled where it was printed, not recorded, stops the folder as before."""
    walk.through("verify")
    walk.issue("publicity1")
    walk.record(walk.doc("publicity1", "前岗村"), walk.doc("publicity1", "三宝村"))
    walk.issue("township_review")
    walk.record(walk.doc("publicity1", "青山村"))
    said = _said(run("register", "next", walk.db, "--date", "2019-12-09", "-o", walk.tmp / "later"))
    later = sorted((walk.tmp / "later" / FOLDERS["township_review"]).glob("*.xlsx"))
    assert [p.name for p in later] == ["合隆镇-乡镇审核-2019-12-09.xlsx"] and "乡镇审核:1 份文书,2 户" in said, said
    folder = walk.tmp / "docs-township_review" / FOLDERS["township_review"]
    shutil.copy(later[0], folder)  # collected with the first ones
    forms = sorted(folder.glob("*.xlsx"))
    assert [p.name for p in forms] == ["合隆镇-乡镇审核-2019-12-09.xlsx", "合隆镇-乡镇审核.xlsx", "烧锅镇-乡镇审核.xlsx"]
    assert [r["行政村"] for r in table_rows(forms[0])] == ["青山村"] * 2
    assert {r["行政村"] for r in table_rows(forms[1])} == {"前岗村"}
    for p in forms:
        fill(p, default=("通过", ""), form={"审核日期": "2019-12-10", "审核人姓名": "李明"})
    walk.record(forms[2])  # 烧锅镇's: 三宝村's second publicity is due
    refused = _said(run("register", "next", walk.db, "--date", "2019-12-11", "-o", folder.parent, "--force", code=2))
    assert f"{FOLDERS['township_review']}/合隆镇-乡镇审核.xlsx" in refused and "打印后改过、填过" in refused, refused
    walk.record(*forms[:2])
    assert not {step for _, step in _out(walk)} & {"township_review"}
