"""A 社区's forms are sealed by its 社区"两委", not a 村"两委". After a433a46 a 社区's notices spoke of its
居民委员会, but the review (民主评议) and visit (入户核实) forms, the screen's village lists and the 帮扶措施
form still printed 「村"两委"(盖章):」 for 奢岭街道's 青山社区: a line its committee would correct by hand
before sealing. Now a 社区's forms say 社区"两委"(盖章):, a village's as before; the forms so printed
record filled, the seal line signed on the 会议记录 is no remark, and a form printed before (村"两委")
still records, for a village and a 社区 alike."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl

import test_register as walkthrough
from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from years_builders import register_everyone, run

COMMUNITY_SEAL = '社区"两委"(盖章):'
VILLAGE_SEAL = '村"两委"(盖章):'
PLACES = {"合隆镇": "奢岭街道办事处", "青山村": "青山社区"}


def _sheet_text(path: Path, sheet: int = 0) -> str:
    """A sheet's words, the first sheet's unless told, as printed."""
    ws = openpyxl.load_workbook(path).worksheets[sheet]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _sealed_by_the_community(text: str) -> None:
    assert COMMUNITY_SEAL in text, text
    assert '村"两委"' not in text.replace('社区"两委"', ""), text


def _sealed_by_the_village(text: str) -> None:
    assert VILLAGE_SEAL in text and '社区"两委"' not in text, text


def _remarks(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT village, new FROM events WHERE field = 'remark'").fetchall()
    finally:
        con.close()


def _sign_the_meeting_record(path: Path, seal: str) -> None:
    """The committee's seal line written on the 会议记录 and signed, as a village may."""
    wb = openpyxl.load_workbook(path)
    wb["会议记录"]["A12"] = seal + "王书记"
    wb.save(path)


def _as_printed_before(path: Path) -> None:
    """The form as the code before printed it: its seal line 村"两委"(盖章):, for a 社区 too."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and COMMUNITY_SEAL in c.value:
                    c.value = c.value.replace(COMMUNITY_SEAL, VILLAGE_SEAL)
    wb.save(path)


def test_a_communitys_review_and_visit_forms_are_sealed_by_its_committees_and_record_filled(tmp_path):
    walk = walkthrough.Walk(tmp_path, places=PLACES)
    docs = walk.issue("review")
    _sealed_by_the_community(_sheet_text(walk.doc("review", "青山社区")))
    _sealed_by_the_village(_sheet_text(walk.doc("review", "前岗村")))
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    _sign_the_meeting_record(walk.doc("review", "青山社区"), COMMUNITY_SEAL)
    _sign_the_meeting_record(walk.doc("review", "前岗村"), VILLAGE_SEAL)
    said = " ".join(walk.record(*docs).output.split())
    assert "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == [], "the seal lines, printed or signed, are no remark"

    docs = walk.issue("verify")
    _sealed_by_the_community(_sheet_text(walk.doc("verify", "青山社区")))
    _sealed_by_the_village(_sheet_text(walk.doc("verify", "前岗村")))
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    said = " ".join(walk.record(*docs).output.split())
    assert "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == []
    walk.publicity1()  # both recorded filled: the 社区's households go on to its first publicity
    assert "钱五" in _sheet_text(walk.doc("publicity1", "青山社区"))


def test_a_form_printed_before_with_the_village_committees_seal_still_records(tmp_path):
    walk = walkthrough.Walk(tmp_path, places=PLACES)
    docs = walk.issue("review")
    community = walk.doc("review", "青山社区")
    _sealed_by_the_community(_sheet_text(community))
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
        _as_printed_before(p)
        _sign_the_meeting_record(p, VILLAGE_SEAL)
    _sealed_by_the_village(_sheet_text(community))
    said = " ".join(walk.record(*docs).output.split())
    assert "青山社区" in said and "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == [], "the seal lines printed before are no remark"


def test_the_screens_village_list_of_a_community_is_sealed_by_its_committees(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people = [("奢岭街道", "青山社区", "王一", 9800), ("合隆镇", "前岗村", "赵四", 9900)]
    rows = [household(**{"乡(镇)": t, "行政村": v, "户主姓名": name, "户主身份证号": make_id(birth="19600110", serial=100 + i),
                         "工资性收入": wage}) for i, (t, v, name, wage) in enumerate(people)]
    source = write_workbook(tmp_path / "九台区.xlsx", rows)
    run("screen", source, "-o", tmp_path / "out", "--date", "2019-11-20")
    lists = tmp_path / "out" / "villages"
    _sealed_by_the_community(_sheet_text(lists / "奢岭街道-青山社区.xlsx"))
    _sealed_by_the_village(_sheet_text(lists / "合隆镇-前岗村.xlsx"))


def test_the_measure_form_of_a_community_is_sealed_by_its_committees(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people = [{"乡(镇)": "奢岭街道", "行政村": "青山社区", "户主姓名": "户B", "户主身份证号": make_id(birth="19620303", serial=692),
               "户编号": "HB"},
              {"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "户C", "户主身份证号": make_id(birth="19620404", serial=693),
               "户编号": "HC"}]
    db = register_everyone(tmp_path, people)
    forms = tmp_path / "forms"
    run("register", "measures", db, "--date", "2020-01-05", "-o", forms)
    community = next(forms.rglob("*青山社区*.xlsx"))
    _sealed_by_the_community(_sheet_text(community))
    _sealed_by_the_village(_sheet_text(next(forms.rglob("*前岗村*.xlsx"))))
    run("register", "record", db, community)
