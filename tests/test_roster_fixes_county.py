"""A city's roster of several counties (县(市、区) | 村(社区) | 姓名 | 身份证号, no 乡镇), found by an outside
try: a 德惠市 row with no ID whose 村 and 姓名 were those of a 农安县 candidate's member became a 同村同名
lead on 农安县's village list, the roster's 县 never read. A row of another county is looked up by name
nowhere (not as a lead, not as a member's "same name"), and says nothing of this county's households;
by a valid ID it matches all the same: a person is a person."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd

from survey_builders import HEADERS, household, make_id
from test_rosters import AS_OF, MEMBER_HEADERS, head, member, run, write_sheets
from edgescreen.outputs.ledger import read_ledger

COUNTY_HEADERS = ["县(市、区)", *HEADERS]


def _survey(tmp_path, lin_said: str = "否"):
    """农安县's 前岗村: 林桂红 with spouse 叶利 (a candidate; 是否低保户 `lin_said`), 许英 whose son is on
    the city's roster by ID, and 程万 whose daughter 程小 has no ID."""
    place = {"县(市、区)": "农安县", "乡(镇)": "合隆镇", "行政村": "前岗村"}
    lin = household(**place, 户编号="001", 户主姓名="林桂红", 户主身份证号=make_id("19710628"), 是否低保户=lin_said)
    xu = household(**place, 户编号="002", 户主姓名="许英", 户主身份证号=make_id("19850402"))
    cheng = household(**place, 户编号="003", 户主姓名="程万", 户主身份证号=make_id("19660303"))
    ye, xu_son = make_id("19741018"), make_id("20050101")
    members = [head(lin), member(lin, "叶利", "配偶", ye), member(lin, "林子", "子女", make_id("20010224")),
               head(xu), member(xu, "许子", "子女", xu_son), member(xu, "许女", "子女", make_id("20070707")),
               head(cheng), member(cheng, "程妻", "配偶", make_id("19680808")), member(cheng, "程小", "子女", "")]
    path = write_sheets(tmp_path / "农安县贫困边缘户登记表.xlsx", {
        "户表": (COUNTY_HEADERS, [[h.get(k, "") for k in COUNTY_HEADERS] for h in (lin, xu, cheng)]),
        "家庭成员": (MEMBER_HEADERS, [[m.get(k, "") for k in MEMBER_HEADERS] for m in members])})
    return path, xu_son


def _screen(tmp_path, survey, county: str):
    other = make_id("19800101", region="220183")
    roster = write_sheets(tmp_path / f"长春市低保_{county}.xlsx", {"Sheet": (
        ["县(市、区)", "村(社区)", "姓名", "身份证号", "保障人数"],
        [[county, "前岗村", "叶利", "", 1],          # no ID: findable by name only
         [county, "", "程小", other, 1]])})          # another person's ID, the name of 程万's daughter
    out = tmp_path / f"out_{county}"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", "--force",
                 env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return out, result


def test_a_row_of_another_county_is_no_name_lead_and_one_of_this_county_is(tmp_path):
    survey, _ = _survey(tmp_path)
    out, result = _screen(tmp_path, survey, "德惠市")
    said = "".join(result.output.split())  # the terminal's lines joined again (80 columns wrap them)
    # No lead; a member without an ID is on the 核实清单 all the same, and the line says there is more.
    assert "候选户中没有名单上的疑点或同村同名线索,另有要核实的见下" in said, said
    assert "1户有同村同名线索" not in said, said
    entry = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert entry["leads"] == 0, entry
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    text = " ".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value is not None)
    assert "叶利" not in text and "有同村同名的人" not in text, text
    # 程小 has no ID: still on the 核实清单 as a member matched against no roster, but with no word of a
    # 低保 person of her name (that person is 德惠市's).
    assert "程小:身份证号空白或有误,未能与名单比对" in text and "低保名单上有同名的人" not in text, text

    # The same rows as 农安县's (written as a city's export writes it): the lead and the same name are said.
    out, result = _screen(tmp_path, survey, "长春市农安县")
    entry = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert entry["leads"] == 1, entry
    verify = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[
        "核实清单"].iter_rows() for c in row if c.value is not None)
    assert "配偶 叶利:低保名单上有同村同名的人" in verify, verify
    assert "程小:身份证号空白或有误,未能与名单比对(低保名单上有同名的人,身份证号对不上)" in verify, verify


def test_a_row_of_another_county_still_matches_by_id_and_says_nothing_of_this_countys_households(tmp_path):
    # 林桂红's household says it is on 低保; the city's roster lists only 德惠市's people, and 许英's son.
    survey, xu_son = _survey(tmp_path, lin_said="是")
    roster = write_sheets(tmp_path / "长春市低保.xlsx", {"Sheet": (
        ["县(市、区)", "村(社区)", "姓名", "身份证号"],
        [["德惠市", "某村", "许子", xu_son], ["德惠市", "某村", "路人甲", make_id("19800101", region="220183")]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", "--force")
    assert result.exit_code == 0, result.output
    status = read_ledger(out / "decisions.csv").set_index("head_name")["status"].to_dict()
    assert status["许英"] == "excluded_dibao", status
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    assert "roster_not_listed" not in set(issues["code"]), issues[["户主姓名", "code"]]
