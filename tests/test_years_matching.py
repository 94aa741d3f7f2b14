"""Next year's survey matched to the register by 户编号 where the head changed (issue 16, years.py):
the number alone does not make it the same household. A person must carry over (the new head, or a
member listed with it, among the people the register knew in that household), or the head's name is
unchanged (an ID put right); where the people of both sides are known and none carries over, it is
another family that was given the number, and where only one side's are known, the match is said to
be unchecked."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import matched_by, members_file, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
ID = {k: make_id(birth=f"19650{m}0{m}", serial=500 + m) for m, k in enumerate("PRST", start=1)}
WIFE = {k: make_id(birth=f"19680{m}1{m}", serial=600 + m) for m, k in enumerate("PRST", start=1)}
NEWCOMER, NEWCOMER_WIFE = make_id(birth="19900101", serial=701), make_id(birth="19910202", serial=702)
SON_S = make_id(birth="19920303", serial=703)
T_PUT_RIGHT = make_id(birth="19650405", serial=504)  # 户T's ID with its birth day typed right


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": ID[key], "户编号": f"HB{key}", **over}


MEMBERS_2019 = {ID[k]: [(ID[k], "户主", "普通劳动力"), (WIFE[k], "配偶", "普通劳动力")] for k in "PRST"}
PEOPLE_2020 = [
    # 户P left; an unrelated family moved in and was given its number.
    {**person("P"), "户主姓名": "户Q", "户主身份证号": NEWCOMER},
    # 户R's head died: his wife is the head, listed with the household.
    {**person("R"), "户主姓名": "户R妻", "户主身份证号": WIFE["R"]},
    # 户S: a son never listed takes over, and no members are listed with him this year.
    {**person("S"), "户主姓名": "户S子", "户主身份证号": SON_S},
    # 户T: the same head, his ID put right.
    person("T", 户主身份证号=T_PUT_RIGHT)]
MEMBERS_2020 = {NEWCOMER: [(NEWCOMER, "户主", "普通劳动力"), (NEWCOMER_WIFE, "配偶", "普通劳动力")],
                WIFE["R"]: [(WIFE["R"], "户主", "普通劳动力")],
                T_PUT_RIGHT: [(T_PUT_RIGHT, "户主", "普通劳动力")]}


@pytest.fixture(scope="module")
def registered(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("matching")
    people = members_file(tmp / "家庭成员2019.xlsx", MEMBERS_2019)
    return register_everyone(tmp, [person(k) for k in "PRST"], inputs=(people,))


def screen_2020(registered: Path, tmp: Path, *more) -> dict[str, dict]:
    """The 2020 survey with its members, screened onto a copy of the register: changes.xlsx's list by head."""
    db = Path(shutil.copyfile(registered, tmp / "农安县.db"))
    source = survey(tmp / "2020调查表.xlsx", PEOPLE_2020)
    people = members_file(tmp / "家庭成员2020.xlsx", MEMBERS_2020)
    run("screen", source, people, "--year", "2020", "-o", tmp / "out", "--register", db, "--date", "2020-11-20", *more)
    ws = openpyxl.load_workbook(tmp / "out" / "changes.xlsx").worksheets[1]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next((i for i, r in enumerate(rows) if r[4] == "户主姓名"), 1)  # the header row (in English: the second)
    return {r[4]: dict(zip(rows[at], r)) for r in rows[at + 1:] if r[4]}


def test_a_family_given_a_departed_households_number_does_not_take_over_its_registration(registered, tmp_path):
    """户P is not in the 2020 survey; 户Q's family, none of whom 户P's registration lists, has its 户编号.
    Before: 户Q was 户P (继续帮扶, "户主变更:原户主 户P,按户编号对应"), took its history, and 户P was not
    missed. Now 户P is 本年未调查 and 户Q a new candidate, each line saying why; the heads that did
    change within their household (a widow; an ID put right) are matched as before, and a son with no
    members listed beside him is matched with the clerk asked to check."""
    listed = screen_2020(registered, tmp_path)
    change = {name: row["变动"] for name, row in listed.items()}
    assert change == {"户P": "本年未调查", "户Q": "新识别候选", "户R妻": "继续帮扶", "户S子": "继续帮扶",
                      "户T": "继续帮扶"}
    assert listed["户P"]["说明"].startswith("本年调查表中户编号 HBP 下是另一户(户主 户Q,"), listed["户P"]
    assert listed["户Q"]["说明"].startswith("户编号 HBP 与在册户 户P(") and "不作同一户对应" in listed["户Q"]["说明"]
    assert listed["户R妻"]["说明"].startswith("户主变更:原户主 户R(") and "按户编号对应;" in listed["户R妻"]["说明"]
    assert "无法核实" in listed["户S子"]["说明"] and "无法核实" not in listed["户R妻"]["说明"]
    assert "户编号" not in listed["户T"]["说明"].replace("按户编号对应", "")
    # The register: 户P keeps its own history, 户Q has none before this round.
    db = tmp_path / "农安县.db"
    newcomer = run("register", "history", db, "--id", NEWCOMER).output
    assert "第 2 轮" in newcomer and "第 1 轮" not in newcomer and "公告" not in newcomer, newcomer
    departed = run("register", "history", db, "--id", ID["P"]).output
    assert "第 1 轮" in departed and "公告" in departed, departed
    how = matched_by(db, "previous_head_name")
    assert how == {"户P": None, "户R": "household_id", "户S": "household_id_unverified", "户T": "household_id"}


def test_the_refused_number_is_said_in_english_too(registered, tmp_path):
    listed = screen_2020(registered, tmp_path, "--lang", "en")
    text = " ".join(str(v) for row in listed.values() for v in row.values())
    assert "household number HBP is that of the registered household of 户P" in text, text
    assert "this year's survey has another household under its number HBP (head 户Q" in text, text
