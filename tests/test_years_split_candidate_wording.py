"""changes.xlsx of the year after (outside tester, 农安县 over three income years): a household split off
one not on the register (曾佳怡 from 曾福庆's, above the bound) came as a new candidate of one with no
word for the meeting, which heard 拆户 only where the household left was on the register; and a
refused 户编号 called the household it was that of 「在册户」 where it never was on the register (朱广才,
above the bound) or had left it (朱金山, found gone: 并入他户)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from register_builders import household_table, rows_by_seq
from survey_builders import make_id
from test_years import sheet_rows
from years_builders import members_file, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"19{50 + m}0202", serial=720 + m) for m, k in enumerate("ABCFPQRS", start=1)}
SPOUSE_F, DAUGHTER_F = make_id(birth="19620303", serial=741), make_id(birth="19950404", serial=742)
SPOUSE = {k: make_id(birth=f"19{60 + m}0505", serial=750 + m) for m, k in enumerate("CPQR", start=1)}
ABOVE = {"工资性收入": 30000}  # 10,000 a person of 3: above the bound, never a candidate


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def notes(path: Path) -> dict:
    return {r["户主姓名"]: str(r["说明"] or "") for r in sheet_rows(path, "变动名单")}


def screen(tmp: Path, db: Path, year: int, people: list[dict], members: dict) -> dict:
    source = survey(tmp / f"{year}.xlsx", people)
    listed = members_file(tmp / f"成员{year}.xlsx", members)
    run("screen", source, listed, "--year", year, "-o", tmp / f"out{year}", "--register", db,
        "--date", f"{year}-11-20")
    return notes(tmp / f"out{year}" / "changes.xlsx")


def test_a_candidate_split_off_a_household_not_on_the_register_is_said_for_the_meeting(tmp_path, monkeypatch):
    """2019: 户A and 户B on the register; 户F above the bound (not on it), its son 户S and a daughter
    among its members. 2020: 户S heads a household of his own, a new candidate; the daughter is listed
    in 户B's (married in). 户S's line says whose household he left; 户B's, registered, says no 分户."""
    monkeypatch.chdir(tmp_path)
    m2019 = members_file(tmp_path / "成员2019.xlsx", {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")], IDS["B"]: [(IDS["B"], "户主", "普通劳动力")],
        IDS["F"]: [(IDS["F"], "户主", "普通劳动力"), (SPOUSE_F, "配偶", "普通劳动力"), (IDS["S"], "子", "普通劳动力"),
                   (DAUGHTER_F, "女", "普通劳动力")]})
    db = register_everyone(tmp_path, [person("A"), person("B"), person("F", 家庭人口数=4, 家庭常住人口数=4, 工资性收入=40000)],
                           inputs=(m2019,))
    said = screen(tmp_path, db, 2020, [
        person("A", 工资性收入=10500), person("B", 工资性收入=10500),
        person("F", 家庭人口数=2, 家庭常住人口数=2, 工资性收入=20000),
        person("S", 家庭人口数=1, 家庭常住人口数=1, 工资性收入=3600)], {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")],
        IDS["B"]: [(IDS["B"], "户主", "普通劳动力"), (DAUGHTER_F, "儿媳", "普通劳动力")],
        IDS["F"]: [(IDS["F"], "户主", "普通劳动力"), (SPOUSE_F, "配偶", "普通劳动力")],
        IDS["S"]: [(IDS["S"], "户主", "普通劳动力")]})
    assert set(said) == {"户A", "户B", "户S"}, said  # 户F, above the bound, has no line
    assert said["户S"].startswith("分户:本户有 1 人在2019年调查时是合隆镇前岗村「户F」户(不是在册户)的家庭成员,本年从该户分出。"
                                  "民主评议时请核实分户是否属实,是否为纳入而拆户;按认定程序办理"), said["户S"]
    assert "分户" not in said["户B"] and "分户" not in said["户A"], said


def test_a_number_of_a_household_never_on_the_register_is_not_called_registered(tmp_path, monkeypatch):
    """2019: 户P above the bound (never a candidate). 2020: 户P not surveyed; 户Q's family, none of 户P's
    people, has its 户编号, a new candidate: 「往年调查户」, not 「在册户」."""
    monkeypatch.chdir(tmp_path)
    m2019 = members_file(tmp_path / "成员2019.xlsx", {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")],
        IDS["P"]: [(IDS["P"], "户主", "普通劳动力"), (SPOUSE["P"], "配偶", "普通劳动力")]})
    db = register_everyone(tmp_path, [person("A"), person("P", **ABOVE)], inputs=(m2019,))
    said = screen(tmp_path, db, 2020, [person("A", 工资性收入=10500), person("Q", 户编号="HBP")], {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")],
        IDS["Q"]: [(IDS["Q"], "户主", "普通劳动力"), (SPOUSE["Q"], "配偶", "普通劳动力")]})
    assert said["户Q"].startswith("户编号 HBP 与往年调查户 户P("), said["户Q"]
    assert "不是在册户)相同,但本户户主和所列家庭成员都不在该户往年调查所列的成员中,不作同一户对应" in said["户Q"], said["户Q"]
    assert "与在册户" not in said["户Q"], said["户Q"]


def test_a_number_of_a_household_found_gone_is_said_as_gone(tmp_path, monkeypatch):
    """2019: 户A and 户C on the register. 2020: 户C not surveyed, verified gone (并入他户). 2021: 户R's
    family, none of 户C's people, has its 户编号, a new candidate: 「已销户」, not 「在册户」."""
    monkeypatch.chdir(tmp_path)
    m2019 = members_file(tmp_path / "成员2019.xlsx", {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")],
        IDS["C"]: [(IDS["C"], "户主", "普通劳动力"), (SPOUSE["C"], "配偶", "普通劳动力")]})
    db = register_everyone(tmp_path, [person("A"), person("C")], inputs=(m2019,))
    said = screen(tmp_path, db, 2020, [person("A", 工资性收入=10500)], {IDS["A"]: [(IDS["A"], "户主", "普通劳动力")]})
    assert "在册" in said["户C"], said  # 本年未调查: still on the register this round
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "docs")
    form = next((tmp_path / "docs" / "未调查户核实").glob("*.xlsx"))
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        for col, value in {"核实结果": "户已不存在", "情况说明": "并入他户", "核实人": "张乡长", "核实日期": "2020-11-25"}.items():
            ws.cell(r, cols[col]).value = value
    wb.save(form)
    run("register", "record", db, form)
    said = screen(tmp_path, db, 2021, [person("A", 工资性收入=10600), person("R", 户编号="HBC")], {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力")],
        IDS["R"]: [(IDS["R"], "户主", "普通劳动力"), (SPOUSE["R"], "配偶", "普通劳动力")]})
    assert said["户R"].startswith("户编号 HBC 与已销户(户已不存在)的 户C("), said["户R"]
    assert "在册户" not in said["户R"], said["户R"]
