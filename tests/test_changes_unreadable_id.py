"""A registered head's ID that cannot be compared across the years, as Excel stores an ID typed into a
number cell (2.20122195802276E+17, its last digits lost). 2020's survey with 钱五's ID so: changes.xlsx
listed him 本年未调查 (漏项) and his 2020 row on no list, though the survey had him in his village.
Registered so (a register from before the survey check refused such IDs) and surveyed with his whole
ID: a 新识别候选, to go through the procedure again. Now matched by his name and village where an ID
cannot be compared, and said as most likely the same household: the row whose ID to put right (its
file and row), or the ID now readable."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import register_everyone, run, survey

QIAN = make_id("19580227", serial=600)
AS_NUMBER = float(QIAN)  # what Excel keeps of an ID typed into a number cell
STORED = "2.20122195802276E+17"  # as a survey read before the ID check refused it, the register holds it
PLACE = {"乡(镇)": "合隆镇", "行政村": "青山村", "村民小组": "1组"}
PEOPLE = [{**PLACE, "户主姓名": "钱五", "户主身份证号": QIAN, "工资性收入": 9900},
          {**PLACE, "户主姓名": "王一", "户主身份证号": make_id("19600110", serial=101), "工资性收入": 9800}]


@pytest.fixture(scope="module")
def registered(tmp_path_factory) -> Path:
    """The 2019 register of PEOPLE, taken through the whole procedure once (a few seconds): each test
    works on its own copy (_copy_of)."""
    home = tmp_path_factory.mktemp("registered")
    before = os.getcwd()
    os.chdir(home)
    try:
        return register_everyone(home, PEOPLE)
    finally:
        os.chdir(before)


def _copy_of(registered: Path, tmp: Path) -> Path:
    db = tmp / registered.name
    shutil.copy2(registered, db)
    return db


def _survey_2020(path: Path, people: list[dict], as_number: dict[str, float]) -> Path:
    """The 2020 survey, the heads named in `as_number` with their ID cell a number, as Excel keeps it."""
    survey(path, people)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    name, head_id = header.index("户主姓名") + 1, header.index("户主身份证号") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, name).value in as_number:
            ws.cell(r, head_id).value = as_number[ws.cell(r, name).value]
    book.save(path)
    return path


def _screen_2020(tmp: Path, db: Path, path: Path) -> tuple[str, dict[str, tuple]]:
    said = run("screen", path, "--year", "2020", "-o", tmp / "out", "--register", db, "--date", "2020-11-20").output
    rows = list(openpyxl.load_workbook(tmp / "out" / "changes.xlsx")["变动名单"].iter_rows(values_only=True))
    header = rows[1]
    lines = {r[header.index("户主姓名")]: dict(zip(header, r)) for r in rows[2:]}
    return said, lines


def _stored_as_a_number(db: Path, name: str) -> None:
    """The head's ID in the register as a survey read before the ID check refused it holds it."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("DROP TRIGGER screened_no_update")  # the register is append-only: a test's edit
            con.execute("UPDATE screened SET head_id = ? WHERE head_name = ?", (STORED, name))
    finally:
        con.close()


def test_a_registered_head_surveyed_with_his_id_stored_as_a_number_is_surveyed_not_missing(tmp_path, monkeypatch, registered):
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    said, lines = _screen_2020(tmp_path, db, _survey_2020(tmp_path / "2020.xlsx", PEOPLE, {"钱五": AS_NUMBER}))
    qian = lines["钱五"]
    # Surveyed, its data to be put right: not 本年未调查, and the row is the one line of him.
    assert qian["变动"] == "数据有误,待核实", qian
    assert "本年调查表中没有该户" not in qian["说明"] and _changes_of(tmp_path, "钱五") == ["数据有误,待核实"], qian
    # Where the row is, and that it is most likely this household, its ID to put right.
    assert "本年调查表 2020.xlsx 第 2 行(户主 钱五,合隆镇青山村)的户主身份证号无法与登记簿比对" in qian["说明"], qian
    assert "很可能就是本户" in qian["说明"] and "请照户口簿更正这一行的身份证号后重新筛查" in qian["说明"], qian
    assert "被 Excel 存成了数字" in qian["说明"], qian
    assert "本年未调查" not in said and "数据有误,待核实:1 户" in said, said


def test_registered_with_an_id_stored_as_a_number_and_surveyed_whole_is_the_same_household(tmp_path, monkeypatch, registered):
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    _stored_as_a_number(db, "钱五")
    said, lines = _screen_2020(tmp_path, db, survey(tmp_path / "2020.xlsx", PEOPLE))
    qian = lines["钱五"]
    assert qian["变动"] == "继续帮扶" and qian["上次年度"] == 2019, qian
    assert qian["说明"].startswith("身份证号现已可识别:原登记的户主身份证号 *.**************E+17 无法识别"), qian
    assert "按户主姓名和所在村对应为本户,很可能是同一户,请核实" in qian["说明"], qian
    assert "新识别候选" not in said and "本年未调查" not in said, said
    # One household across the years, known by the ID now readable.
    history = run("register", "history", db, "--id", QIAN).output
    assert "第 1 轮筛查(2019年度" in history and "第 2 轮筛查(2020年度" in history, history


def _changes_of(tmp: Path, name: str) -> list[str]:
    ws = openpyxl.load_workbook(tmp / "out" / "changes.xlsx")["变动名单"]
    rows = list(ws.iter_rows(values_only=True))
    header = rows[1]
    return sorted(r[header.index("变动")] for r in rows[2:] if r[header.index("户主姓名")] == name)


def test_a_namesake_with_another_valid_id_is_not_taken_by_the_name(tmp_path, monkeypatch, registered):
    """Both IDs valid and other: another person of the name (a new head's ID compared is no help), as before."""
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    namesake = {**PEOPLE[0], "户主身份证号": make_id("19700305", serial=77)}
    _screen_2020(tmp_path, db, survey(tmp_path / "2020.xlsx", [namesake, PEOPLE[1]]))
    assert _changes_of(tmp_path, "钱五") == ["新识别候选", "本年未调查"]


def test_two_heads_of_one_name_with_ids_as_numbers_are_neither_taken_by_the_name(tmp_path, monkeypatch, registered):
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    other = make_id("19700305", serial=77)
    people = [PEOPLE[0], {**PEOPLE[0], "户主身份证号": other, "村民小组": "2组"}, PEOPLE[1]]
    path = tmp_path / "2020.xlsx"
    survey(path, people)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    col = [c.value for c in ws[1]].index("户主身份证号") + 1
    ws.cell(2, col).value, ws.cell(3, col).value = AS_NUMBER, float(other)
    book.save(path)
    said, _ = _screen_2020(tmp_path, db, path)
    assert "本年未调查:1 户" in said and _changes_of(tmp_path, "钱五") == ["本年未调查"], said


def test_a_new_namesake_in_the_village_with_his_id_as_a_number_does_not_take_a_departed_household(tmp_path, monkeypatch, registered):
    """钱五 (born 1958) left; a younger 钱五 of 青山村, his ID stored as a number, is surveyed. The number
    keeps its first 15 digits, his birth date 1970-03-05: another person, not the household's history."""
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    younger = make_id("19700305", serial=77)
    people = [{**PEOPLE[0], "户主身份证号": younger}, PEOPLE[1]]
    said, lines = _screen_2020(tmp_path, db, _survey_2020(tmp_path / "2020.xlsx", people, {"钱五": float(younger)}))
    assert _changes_of(tmp_path, "钱五") == ["本年未调查"], lines
    assert "本年调查表中没有该户" in lines["钱五"]["说明"] and "很可能就是本户" not in lines["钱五"]["说明"], lines
    assert "本年未调查:1 户" in said and "数据有误,待核实:1 户" not in said, said


def test_a_head_of_no_village_is_not_taken_by_the_name_across_the_county(tmp_path, monkeypatch, registered):
    """Without a village on either side the name alone is the key, across the whole township: no pair.
    (The register's household with no village: one taken on before the survey check refused it.)"""
    monkeypatch.chdir(tmp_path)
    db = _copy_of(registered, tmp_path)
    _edit_register(db, "UPDATE screened SET village = '', grp = '' WHERE head_name = '钱五'")
    nowhere = [{**PEOPLE[0], "行政村": "", "村民小组": ""}, PEOPLE[1]]
    said, lines = _screen_2020(tmp_path, db, _survey_2020(tmp_path / "2020.xlsx", nowhere, {"钱五": AS_NUMBER}))
    assert _changes_of(tmp_path, "钱五") == ["本年未调查"], lines
    assert "很可能就是本户" not in lines["钱五"]["说明"], lines
    assert "本年未调查:1 户" in said, said


def test_a_name_twice_on_the_register_is_not_taken_though_the_other_is_matched_by_id(tmp_path, monkeypatch):
    """Two 钱五 of 青山村 registered; one surveyed with his ID, the other with his as a number: the name
    is not once in the village, so the number's row is not said to be the other household."""
    monkeypatch.chdir(tmp_path)
    other = {**PEOPLE[0], "户主身份证号": make_id("19700305", serial=77), "村民小组": "2组", "工资性收入": 9700}
    db = register_everyone(tmp_path, [*PEOPLE, other])
    # The survey: the first 钱五's ID stored as a number, the other's whole.
    path = survey(tmp_path / "2020.xlsx", [*PEOPLE, other])
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(2, [c.value for c in ws[1]].index("户主身份证号") + 1).value = AS_NUMBER
    book.save(path)
    said, _ = _screen_2020(tmp_path, db, path)
    assert _changes_of(tmp_path, "钱五") == ["本年未调查", "继续帮扶"], said
    assert "很可能就是本户" not in said and "本年未调查:1 户" in said, said


def _edit_register(db: Path, sql: str) -> None:
    """A register as an earlier version left it (the register is append-only: a test's edit)."""
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("DROP TRIGGER screened_no_update")
            con.execute(sql)
    finally:
        con.close()


def test_an_id_whose_rounding_carries_into_the_birth_date_still_pairs(tmp_path, monkeypatch):
    """Excel keeps 15 digits, the 15th rounded: 220122195802279|6… is stored 2.2012219580228E+17, its
    14th digit (the birth day's last) changed by the carry. Compared rounded alike, it is his."""
    monkeypatch.chdir(tmp_path)
    carried = make_id("19580227", serial=961)
    assert f"{float(carried):.14E}".replace("E+17", "") == "2.20122195802280"  # the carry, as Excel rounds
    people = [{**PEOPLE[0], "户主身份证号": carried}, PEOPLE[1]]
    # As Excel keeps it (15 digits: 2.2012219580228E+17), and as a program writes the whole double.
    for kept, number in (("excel", float(f"{float(carried):.14E}")), ("double", float(carried))):
        county = tmp_path / kept
        county.mkdir()
        db = register_everyone(county, people)
        said, lines = _screen_2020(county, db, _survey_2020(county / "2020.xlsx", people, {"钱五": number}))
        assert lines["钱五"]["变动"] == "数据有误,待核实" and "很可能就是本户" in lines["钱五"]["说明"], (kept, lines["钱五"])
        assert "本年未调查" not in said, said
