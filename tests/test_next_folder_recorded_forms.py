"""The clerk's one folder, 文书, as the README walks it: `register next -o 文书` per step, each step's
forms filled where they were printed and recorded from there. Before: the second `next` into 文书
was refused (文件夹已经存在), and with --force too, the 15 filled, recorded forms named as files
edgescreen did not print (record them, then move them). Now a form recorded, unchanged since, stays
where it is, byte for byte, and is said per step; a form filled and not recorded, or changed after
recording, still stops the command, named alone, the folder untouched. Found by an outside try."""

from __future__ import annotations

import datetime as dt

import pytest

from register_builders import fill, meeting
from test_register import DATES, FOLDERS, Walk, run


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _said(result) -> str:
    return " ".join(result.output.split())


def _files(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _review_filled_in_place(walk, folder, filled: int = 3) -> list:
    """The 民主评议 forms printed into `folder`, the first `filled` filled where they are."""
    run("register", "next", walk.db, "--date", DATES["review"], "-o", folder)
    forms = sorted((folder / FOLDERS["review"]).glob("*.xlsx"))
    for p in forms[:filled]:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    return forms


def test_next_forced_into_the_rounds_folder_keeps_the_recorded_forms(walk):
    folder = walk.tmp / "文书"
    forms = _review_filled_in_place(walk, folder)
    assert len(forms) == 3
    walk.record(*forms)
    before = _files(folder)
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force"))
    after = _files(folder)
    assert {name: after.get(name) for name in before} == before  # byte for byte, at their place
    visits = sorted((folder / FOLDERS["verify"]).glob("*.xlsx"))
    assert len(visits) == 3 and set(after) == set(before) | {p.relative_to(folder).as_posix() for p in visits}
    assert f"民主评议:3 份已登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said
    assert "入户核实:3 份文书" in said and "已发出、尚未登记" not in said, said
    # The new step's forms, filled there and recorded, stay too when the third step is printed.
    for p in visits:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    walk.record(*visits)
    before = _files(folder)
    said = _said(run("register", "next", walk.db, "--date", DATES["publicity1"], "-o", folder, "--force"))
    after = _files(folder)
    assert {name: after.get(name) for name in before} == before
    assert list((folder / FOLDERS["publicity1"]).glob("*.xlsx")), sorted(after)
    assert f"民主评议:3 份已登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said
    assert f"入户核实:3 份已登记的文书原样保留在 {folder / FOLDERS['verify']}" in said, said


def test_without_force_the_folder_is_refused_saying_force_keeps_the_recorded_forms(walk):
    """Without --force the folder is still refused, untouched (the clerk says so once); the words say
    that --force keeps the forms recorded, and it does, beside the one still out."""
    folder = walk.tmp / "文书"
    forms = _review_filled_in_place(walk, folder, filled=2)
    walk.record(*forms[:2])  # 三宝村's form stays out, blank: kept as printed
    before = _files(folder)
    refused = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, code=2))
    assert _files(folder) == before
    assert "文件夹已经存在" in refused and "填好并已登记的文书也原样保留" in refused, refused
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force"))
    after = _files(folder)
    assert {name: after.get(name) for name in before} == before
    assert len(list((folder / FOLDERS["verify"]).glob("*.xlsx"))) == 2, sorted(after)
    assert f"民主评议:2 份已登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said
    assert f"民主评议:1 份已发出、尚未登记的文书原样保留在 {folder / FOLDERS['review']}" in said, said


def test_a_form_filled_and_not_recorded_still_stops_the_folder_named_alone(walk):
    folder = walk.tmp / "文书"
    forms = _review_filled_in_place(walk, folder)
    walk.record(*forms[:2])
    fill(forms[1], form={"主持人": "李书记"})  # changed after it was recorded
    before = _files(folder)
    said = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", folder, "--force", code=2))
    assert _files(folder) == before  # nothing written, nothing deleted
    assert "文件夹里有 2 个文件" in said, said
    assert f"{FOLDERS['review']}/{forms[1].name}" in said and f"{FOLDERS['review']}/{forms[2].name}" in said, said
    assert forms[0].name not in said, said  # recorded and unchanged: not the clerk's to move
    assert "register record" in said, said
