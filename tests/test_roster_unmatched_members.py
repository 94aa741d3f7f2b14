"""A member whose ID no roster can match (a mistyped check digit, an ID Excel kept as a number, a blank)
is a household not checked in full: its village's list does not call it clean. The terminal's roster
sentence sends the clerk to a 核实清单 only where there is one; 比对到的人 counts people, not rows."""

from __future__ import annotations

import openpyxl

from survey_builders import household, make_id, write_csv_table
from test_rosters import run, write_survey
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-01-01"


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _member(hid: str, name: str, relation: str, person_id) -> dict:
    return {"乡(镇)": "合隆镇", "行政村": "前岗村", "户编号": hid, "姓名": name, "与户主关系": relation,
            "身份证号": person_id, "是否常住": "是"}


def test_a_candidates_member_whose_id_cannot_be_matched_puts_it_on_the_verify_list(tmp_path):
    """冯's child has a wrong check digit, 刘's child an ID stored as a number; the 低保 roster lists both
    children by their true IDs. Neither household is excluded (nothing matched), but neither is said
    to be clean: each has a 疑点 naming the child, the 核实清单 lists both with the roster that has
    someone of that name, and the list's "no 疑点" sentence is not said."""
    feng, liu = make_id("19700101"), make_id("19710101")
    # 刘四's ID ends in a digit, as one Excel turned into a number must.
    feng_child, liu_child = make_id("20050505"), make_id("20060606", serial=1)
    wrong = feng_child[:-1] + ("1" if feng_child[-1] != "1" else "2")
    households = [household(户编号="001", 户主姓名="冯十一", 户主身份证号=feng),
                  household(户编号="002", 户主姓名="刘三", 户主身份证号=liu)]
    members = [_member("001", "冯十一", "户主", feng), _member("001", "冯妻", "配偶", make_id("19720101")),
               _member("001", "冯小", "子女", wrong),
               _member("002", "刘三", "户主", liu), _member("002", "刘妻", "配偶", make_id("19730101")),
               _member("002", "刘四", "子女", float(liu_child))]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["冯小", feng_child], ["刘四", liu_child]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "candidate"]
    said = " ".join(result.output.split())
    assert "候选户中 2 户有家庭成员的身份证号空白或有误,这些成员没有与名单比对" in said, said
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    candidates = _text(book["候选名单"])
    assert "无需入户核实" not in candidates and "成员未比对" in candidates, candidates
    assert "2 户候选户有疑点、同村同名线索或未能比对的成员" in candidates, candidates
    verify = _text(book["核实清单"])
    for child in ("子女 冯小", "子女 刘四"):
        assert f"{child}:身份证号空白或有误,未能与名单比对(低保名单上有同名的人,身份证号对不上)" in verify, verify
    rosters = _text(openpyxl.load_workbook(out / "quality.xlsx")["信息比对"])
    assert "另有 2 名家庭成员(涉及 2 户)的身份证号空白或有误,没有与名单比对" in rosters, rosters
    explained = run("explain", survey, "--name", "冯十一", "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert "子女 冯小:身份证号空白或有误,未能与名单比对" in explained.output, explained.output


def test_the_roster_sentence_names_no_verify_list_when_there_is_none(tmp_path):
    """A roster that flags no candidate: no village has a 核实清单, and the terminal does not send the
    clerk to one."""
    head = make_id("19700101")
    households = [household(户编号="001", 户主姓名="甲", 户主身份证号=head)]  # a candidate of 3
    members = [_member("001", "甲", "户主", head), _member("001", "甲妻", "配偶", make_id("19720101")),
               _member("001", "甲子", "子女", make_id("19950101"))]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    roster = write_csv_table(tmp_path / "车.csv", ["所有人", "身份证号"], [["外人", make_id("19800101")]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "候选户中没有疑点或同村同名线索。" in said, said
    assert "核实清单" not in said, said
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate"]
    assert "核实清单" not in openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx").sheetnames


def test_people_matched_counts_a_person_in_two_households_once(tmp_path):
    """吴 is listed in two households and is on the 低保 roster with one other person: two people
    matched, in three households."""
    a, b, c, wu = (make_id(f"197{i}0101") for i in range(4))
    households = [household(户编号=f"00{i}", 户主姓名=name, 户主身份证号=person, 家庭人口数=2, 家庭常住人口数=2)
                  for i, (name, person) in enumerate((("甲", a), ("乙", b), ("丙", c)), start=1)]
    members = [_member("001", "甲", "户主", a), _member("001", "吴", "子女", wu),
               _member("002", "乙", "户主", b), _member("002", "吴", "其他", wu),
               _member("003", "丙", "户主", c), _member("003", "丙妻", "配偶", make_id("19750101"))]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["吴", wu], ["丙", c]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["信息比对"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if "比对到的人" in r)
    line = next(r for r in rows if r[0] == "低保.csv")
    assert line[header.index("比对到的人")] == 2 and line[header.index("涉及农户")] == 3, rows


def test_a_roster_person_whose_id_is_not_valid_is_a_lead_by_name_in_their_village(tmp_path):
    """Before (tester, 2026-12-03): a 特困 roster's row whose ID Excel kept as a number matched no one,
    and 赵五 (a candidate of that name in that village) was listed with no 疑点: nothing told the
    village. Now the row is a lead by name: a 疑点 and a line of the 核实清单, no exclusion. A valid
    ID on the roster that matches no one is no lead (the person is not in the survey)."""
    zhao, qian = make_id("19500101"), make_id("19510101")
    # Households of one, each its head's row: every member listed (a member left out is a line too).
    alone = {"家庭人口数": 1, "家庭常住人口数": 1, "工资性收入": 3500}
    households = [household(户编号="001", 户主姓名="赵五", 户主身份证号=zhao, **alone),
                  household(户编号="002", 户主姓名="钱六", 户主身份证号=qian, **alone)]
    members = [_member("001", "赵五", "户主", zhao), _member("002", "钱六", "户主", qian)]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    roster = write_csv_table(tmp_path / "特困.csv", ["乡镇", "村", "姓名", "身份证号"],
                             [["合隆镇", "前岗村", "赵五", "2.20122195001E+17"],
                              ["合隆镇", "前岗村", "钱六", make_id("19600606")]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"特困={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "candidate"]
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    verify = _text(book["核实清单"])
    assert "户主 赵五:特困名单上有同村同名的人,名单上的身份证号空白或无效(仅姓名相同)" in verify, verify
    assert "钱六" not in verify, verify
    explained = run("explain", survey, "--name", "赵五", "--as-of", AS_OF, "--roster", f"特困={roster}")
    assert "上此人的身份证号空白或无效:仅与 户主 赵五 同村同名" in " ".join(explained.output.split()), explained.output
