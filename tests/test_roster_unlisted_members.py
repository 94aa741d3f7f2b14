"""A household whose members table lists fewer people than its 家庭人口数 was not checked in full:
the people left out were matched against no roster. Found by an outside try: 阎树 (家庭人口数 3, two
members listed) had his daughter on the 低保 roster, and stayed a candidate whose village list said
无需入户核实."""

from __future__ import annotations

import openpyxl

from survey_builders import household, make_id, write_csv_table
from test_roster_unmatched_members import AS_OF, _member, _text
from test_rosters import run, write_survey
from edgescreen.outputs.ledger import read_ledger

def test_a_candidate_listing_fewer_members_than_its_size_is_on_the_verify_list(tmp_path):
    """阎 lists 2 of 3 (the daughter, on the 低保 roster, left out); 甲 lists all 3; 乙 leaves out only
    the head's own row (the head is compared by the survey's ID): only 阎 is not checked in full."""
    yan, jia, yi = make_id("19700101", serial=11), make_id("19710101", serial=12), make_id("19720101", serial=13)
    daughter = make_id("19950101", serial=14)
    households = [household(户编号="001", 户主姓名="阎树", 户主身份证号=yan),
                  household(户编号="002", 户主姓名="甲", 户主身份证号=jia),
                  household(户编号="003", 户主姓名="乙", 户主身份证号=yi)]
    members = [_member("001", "阎树", "户主", yan), _member("001", "阎妻", "配偶", make_id("19720202", serial=15)),
               _member("002", "甲", "户主", jia), _member("002", "甲妻", "配偶", make_id("19730303", serial=16)),
               _member("002", "甲子", "子女", make_id("19960101", serial=17)),
               _member("003", "乙妻", "配偶", make_id("19740404", serial=18)),
               _member("003", "乙子", "子女", make_id("19970101", serial=19))]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["程春", daughter]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate"] * 3
    said = " ".join(result.output.split())
    assert "候选户中 1 户的家庭成员表比家庭人口数少列了人,少列的人没有与名单比对" in said, said
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    assert "无需入户核实" not in _text(book["候选名单"])
    verify = [r for r in book["核实清单"].iter_rows(values_only=True) if r[2] in ("阎树", "甲", "乙")]
    assert [r[2] for r in verify] == ["阎树"], verify
    assert "家庭成员表比家庭人口数少列 1 人:少列的人没有与名单比对" in verify[0]
    assert any(str(v).startswith("成员未比对:按户口簿补齐") for v in verify[0])
    rosters = _text(openpyxl.load_workbook(out / "quality.xlsx")["信息比对"])
    assert "另有 1 户的家庭成员表比家庭人口数少列了人(共 1 人)" in rosters, rosters
    explained = run("explain", survey, "--name", "阎树", "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert "家庭成员表比家庭人口数少列 1 人" in explained.output, explained.output


def test_without_a_members_table_nothing_is_said_of_unlisted_members(tmp_path):
    """Only the heads are compared where the survey lists no members at all: no household is said
    to list too few."""
    households = [household(户编号="001", 户主姓名="丙", 户主身份证号=make_id("19700101", serial=21))]
    survey = write_survey(tmp_path / "县.xlsx", households, None)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["外人", make_id("19800101", serial=22)]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "少列" not in result.output
