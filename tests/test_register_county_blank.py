"""A survey without a 县(市、区) column took the county for the register's documents from the register
file's name (an outside tester's 登记簿2026.db printed 登记簿2026扶贫开发领导小组办公室(盖章) under the
posted 公告, 登记簿2026贫困边缘户县级复审表 and its file name, the 花名册's title). A register named as a
county names itself (农安县.db: the county still); any other name leaves the blank summary.xlsx leaves,
______县(市、区), to write the county in, and a form whose blank is written in is recorded."""

from __future__ import annotations

import shutil

import openpyxl

from test_register import Walk, _sheet_text, run

BLANK = "______县(市、区)"


def _titles(path) -> list[str]:
    return [ws["A1"].value for ws in openpyxl.load_workbook(path).worksheets if ws.sheet_state == "visible"]


def test_a_register_not_named_as_a_county_prints_a_blank_for_it(tmp_path):
    walk = Walk(tmp_path)
    named = tmp_path / "登记簿2026.db"
    shutil.move(walk.db, named)
    walk.db = named
    walk.through("publicity2")

    docs = walk.county_review(record=False)
    assert [p.name for p in docs] == ["本县-县级复审.xlsx"], docs
    text = _sheet_text(docs[0])
    assert "登记簿" not in text, text
    assert f"{BLANK}贫困边缘户县级复审表" in text and f"{BLANK}扶贫开发领导小组办公室(盖章)" in text, text
    # The clerk writes the county in the blank of the title: the form is still the one printed.
    book = openpyxl.load_workbook(docs[0])
    ws = book.worksheets[0]
    ws["A1"] = ws["A1"].value.replace(BLANK, "农安县")
    book.save(docs[0])
    walk.record(*docs)

    walk.announcement()
    text = _sheet_text(walk.doc("announcement", "前岗村"))
    assert "登记簿" not in text and f"{BLANK}扶贫开发领导小组办公室(盖章)" in text, text

    run("register", "export", walk.db, "-o", tmp_path / "花名册.xlsx")
    assert _titles(tmp_path / "花名册.xlsx")[0] == f"{BLANK}贫困边缘户花名册(2019年度)"
    run("register", "status", walk.db, "-o", tmp_path / "进度.xlsx", "--as-of", "2020-03-01")
    assert all("登记簿" not in (t or "") for t in _titles(tmp_path / "进度.xlsx"))
    assert _titles(tmp_path / "进度.xlsx")[0].startswith(BLANK)

    # The same register named as its county: the county.
    county = tmp_path / "农安县.db"
    shutil.copy(named, county)
    run("register", "export", county, "-o", tmp_path / "农安县花名册.xlsx")
    assert _titles(tmp_path / "农安县花名册.xlsx")[0] == "农安县贫困边缘户花名册(2019年度)"
