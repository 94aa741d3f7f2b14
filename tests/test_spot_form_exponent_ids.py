"""The spot-check form stars a head ID Excel stored as a number (2.20122195802276E+17) whole,
*.**************E+17, as every other printed document does (test_exponent_ids_shown): mask_id printed
it 2.2012**********E+17, a number half shown. A 户编号 that is the head's ID is starred alike.

backcheck compares a sample drawn from a screen's ledger with the register's round of that screen by
rebuilding each page's identity cells and matching them with the hashes the form keeps: a form printed
now (starred whole) and one printed before (half starred) are both recognised, and one whose household
prints otherwise in the register still is not.

Today's survey check holds such an ID invalid and the register enters no invalid row, so the tests
write it into the register's file (and the ledger), as a register and a screen kept from before hold it
(test_register_views_dates_ids)."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

import openpyxl

from spotcheck_builders import above, candidate, fill_all, pages_of, run, write_survey

AS_NUMBER = "2.20122195802276E+17"  # as the survey's reader keeps a number cell of an ID
WHOLE = "*.**************E+17"
HALF = "2.2012**********E+17"  # what mask_id printed of it
HEAD = "王淑华"


def _county(tmp: Path) -> Path:
    """前岗村: 4 candidates (the first 王淑华) and 6 above, screened into tmp/筛查 and recorded in
    tmp/农安县.db; 王淑华's ID, and her 户编号 (her ID: the village numbers households so), kept as
    Excel's number in the register and in the ledger."""
    rows = ([candidate("前岗村", "甲", 户主姓名=HEAD)] + [candidate("前岗村", "甲") for _ in range(3)]
            + [above("前岗村", "乙") for _ in range(6)])
    db = tmp / "农安县.db"
    run("screen", write_survey(tmp / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp / "筛查", "--register", db,
        "--date", "2019-12-02")
    _stored_as_a_number(db, AS_NUMBER)
    # The ledger as a screen that read the ID so wrote it (its reasons name the malformed ID: the record,
    # not a ledger a spreadsheet saved over).
    ledger = tmp / "筛查" / "decisions.csv"
    with open(ledger, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.reader(fh))
    header = table[0]
    for row in table[1:]:
        if row[header.index("户主姓名")] == HEAD:
            row[header.index("户主身份证号")] = row[header.index("户编号")] = AS_NUMBER
            row[header.index("reasons")] += ";id_malformed"
    with open(ledger, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(table)
    return db


def _stored_as_a_number(db: Path, head_id: str) -> None:
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("DROP TRIGGER IF EXISTS screened_no_update")  # the register is append-only: a test's edit
            con.execute("UPDATE screened SET head_id = ?, household_id = ? WHERE head_name = ?", (head_id, head_id, HEAD))
    finally:
        con.close()


def _printed(sample: Path) -> dict[str, str]:
    """The head's page of 前岗村's form: its printed identity cells by label."""
    form = next((sample / "入户核查表").glob("*前岗村*.xlsx"))
    ws = openpyxl.load_workbook(form).worksheets[0]
    for start in sorted(r for r, _ in (p["核查序号"] for p in pages_of(ws).values())):
        cells = {}
        for row in ws.iter_rows(min_row=start, max_row=start + 6):
            for c in row:
                if c.value in ("户主姓名", "户编号", "身份证号"):
                    cells.setdefault(c.value, ws.cell(c.row, c.column + 1).value)
        if cells.get("户主姓名") == HEAD:
            return cells
    raise AssertionError(f"{HEAD} not drawn")


def _backchecked(said: str) -> str:
    flat = "".join(said.split())
    assert "错评率:0.0%" in flat and "漏评率:0.0%" in flat, said
    return flat


def test_a_form_drawn_from_the_register_stars_an_id_stored_as_a_number_whole_and_is_backchecked(tmp_path):
    db = _county(tmp_path)
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1", "--unlisted-rate", "0.5")
    page = _printed(tmp_path / "抽查")
    assert page["身份证号"] == WHOLE and page["户编号"] == WHOLE, page
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    _backchecked(run("backcheck", db, *forms, "-o", tmp_path / "核查结果").output)


def test_forms_printed_now_and_before_are_both_found_in_the_registers_round(tmp_path, monkeypatch):
    """A sample of the screen's folder, the folder gone: backcheck finds the register's round by the
    pages' households as printed, whether the form starred the ID whole (now) or half (before)."""
    from edgescreen.outputs import privacy
    from edgescreen.spotcheck import forms as spot_forms

    db = _county(tmp_path)
    draw = ("--seed", "7", "--listed-rate", "1", "--unlisted-rate", "0.5")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", *draw)
    with monkeypatch.context() as before:  # printed as edgescreen printed it before: mask_id
        before.setattr(spot_forms, "mask_id_shown", privacy.mask_id)
        run("sample", tmp_path / "筛查", "-o", tmp_path / "旧抽查", *draw)
    assert _printed(tmp_path / "抽查")["身份证号"] == WHOLE
    old = _printed(tmp_path / "旧抽查")
    assert old["身份证号"] == HALF and old["户编号"] == HALF, old
    now = fill_all(tmp_path / "抽查", tmp_path / "回收")
    then = fill_all(tmp_path / "旧抽查", tmp_path / "旧回收")
    shutil.move(tmp_path / "筛查", tmp_path / "away")

    for forms, out in ((now, "核查结果"), (then, "旧核查结果")):
        flat = _backchecked(run("backcheck", db, *forms, "-o", tmp_path / out).output)
        assert "第1轮筛查(2019年度,2019-12-02)比对" in flat, (out, flat)

    # The half-starred form is matched with its own household as printed before, not with anything:
    # a register where her ID reads otherwise (3.2012…) holds no round the sample was drawn from.
    other = Path(shutil.copyfile(db, tmp_path / "另一簿.db"))
    _stored_as_a_number(other, "3.20122195802276E+17")
    flat = "".join(run("backcheck", other, *then, "-o", tmp_path / "另", code=2).output.split())
    assert "登记簿里没有哪一轮筛查是这批核查表抽样时用的" in flat, flat
