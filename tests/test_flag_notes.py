"""A household's 是否低保户 / 是否特困人员 against its own 备注 and 主要困难 (an outside try, 2026-12): a 低保户
typed 否 whose 备注 said 含低保金, and one whose 主要困难 said 特困供养, stood as candidates with no word.
The flag decides an exclusion, so the contradiction is said on the flag's cell, quoting the words: a
warning (a second try: as an error it took real candidates off the lists for notes speaking of the
line, an application, the past or a relative). A clause that says the household is not, not yet or no
longer one, or is near the line, or someone else's, is not; the wordings are the outside tries', as
clerks type them."""
from __future__ import annotations

import datetime as dt

from survey_builders import household, make_id, write_workbook
from edgescreen import screen

NOTES = [  # (备注, says the household is a 低保户 or a 特困人员 now)
    ("转移性收入含低保金2280元", True), ("低保金每月190元", True), ("2019年纳入低保", True), ("单人保", True),
    ("享受低保", True), ("低保", True), ("低保户", True), ("五保", True), ("特困供养金6600元", True),
    ("未享受农村低保", False), ("原为低保户,2019年已退出", False), ("低保户已于2019年5月取消", False),
    ("未被纳入低保", False), ("未能纳入低保", False), ("不符合低保条件", False), ("低保边缘户", False),
    ("儿子家是低保户(已分户)", False), ("2018年停保,现非低保", False), ("曾经是五保户,已退出", False),
    ("已申请低保,待审批", False), ("非低保户", False),
    # the second try's: the line, an application, the past, a relative
    ("人均收入略高于低保标准", False), ("家庭收入刚超过低保线", False), ("收入高于低保标准,未纳入", False),
    ("符合低保条件,建议纳入", False), ("正在申报低保", False), ("低保审核中", False), ("2019年享受过低保", False),
    ("以前吃过低保", False), ("低保已停", False), ("低保年检清退", False), ("其兄为低保户", False),
    ("女儿家是低保户", False), ("邻居张某某是低保户", False), ("父亲生前为五保户", False), ("其叔叔为五保户", False),
    ("低保户标准以上", False),
    ("已纳入农村最低生活保障", True), ("享受特困救助", True),
    # a negation after the word speaks of something else
    ("低保户因病不能劳动", True), ("五保户无儿无女", True), ("老两口靠低保生活没有其他收入", True),
    ("特困供養", True),
]


def test_notes_that_say_dibao_or_tekun_are_held_against_the_flags(tmp_path):
    rows = [household(**{"户主身份证号": make_id("19600101", serial=3 * i), "户主姓名": f"户{i}", "备注": note,
                         "转移性收入": 2400}) for i, (note, _) in enumerate(NOTES)]
    rows += [household(**{"户主身份证号": make_id("19610101", serial=1), "户主姓名": "主要困难", "主要困难": "特困供养"}),
             household(**{"户主身份证号": make_id("19610101", serial=2), "户主姓名": "已是低保", "是否低保户": "是",
                          "备注": "低保户", "转移性收入": 2400}),
             household(**{"户主身份证号": make_id("19610101", serial=3), "户主姓名": "空着", "是否低保户": "",
                          "备注": "二类低保", "转移性收入": 2400})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=dt.date(2020, 1, 1))
    issues = result.issues("zh")
    said = issues[issues["code"] == "flag_notes_differ"].set_index("row")
    first = 2
    wanted = [first + i for i, (_, says) in enumerate(NOTES) if says]
    after = first + len(NOTES)
    assert sorted(said.index) == wanted + [after, after + 2], \
        [(NOTES[r - first][0] if r - first < len(NOTES) else r) for r in said.index]
    assert said.loc[first, "field"] == "is_dibao" and "「备注」写着「转移性收入含低保金2280元」" in said.loc[first, "message"]
    assert said.loc[first + 7, "field"] == "is_tekun"  # 五保
    assert said.loc[first + len(NOTES) - 1, "field"] == "is_tekun"  # 特困供養
    assert said.loc[after, "field"] == "is_tekun" and "「主要困难」写着「特困供养」" in said.loc[after, "message"]
    assert said.loc[after + 2, "field"] == "is_dibao" and "按「否」认定" in said.loc[after + 2, "message"]
    assert (said["severity"] == "warning").all()
    assert "不是的(备注说的是以前、申请中、别人家或标准线),不用改动" in said.loc[first, "message"]
    status = result.households.set_index("head_name")["status"]
    assert status["户0"] != "invalid" and status["已是低保"] == "excluded_dibao"
