"""A members table as the 公安 户籍 system exports it: 与户主关系 as the national code (GB/T 4761: 02 户主, 12 妻,
22 长子 …), alone or mixed with words in one column, and 人员状态 迁出 / 死亡 / 注销 with the day the person
left. A code is read as its word's group (a block starting at 「02」 has its 户主); one who left the 户 on or
before the survey's day is no member: not counted, not matched against the rosters, said once as left."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from survey_builders import HEADERS, household, make_id, write_csv_table
from test_rosters import run, write_sheets
from edgescreen.catalogue import MemberCatalogue, data_toml
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
# The 公安 export's columns: no 户编号 nor 户主身份证号 on a member's row, its members listed under their 户主.
EXPORT = ["姓名", "公民身份号码", "与户主关系", "性别", "人员状态", "迁出日期"]


def _households(n: int, size: int) -> list[dict]:
    return [household(户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"196{i}0101", serial=100 + i),
                      家庭人口数=size, 家庭常住人口数=size) for i in range(1, n + 1)]


def _screen(tmp_path, households, rows, header=EXPORT, rosters=()):
    survey = write_sheets(tmp_path / "县.xlsx", {"户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in households]),
                                                 "人口信息": (header, rows)})
    out = tmp_path / "out"
    args = ["screen", survey, "-o", out, "--as-of", AS_OF]
    for kind, path in rosters:
        args += ["--roster", f"{kind}={path}"]
    result = run(*args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return out, issues


def _codes(issues: pd.DataFrame) -> list[str]:
    return sorted(issues["code"].tolist())


MEMBER_CODES = {"member_without_household", "member_count_mismatch", "head_not_in_members", "two_heads",
                "member_age_relation", "roster_member_unlinked", "member_left", "member_status_unknown"}


def test_a_members_table_of_codes_only_links_its_blocks_and_reads_each_code_as_its_group(tmp_path):
    """Every 与户主关系 a code, the blocks starting at 「02」: all linked, counted, no head missing. 长子 (21)
    born before his father is said by member_age_relation (a child's code is a child); a 孙媳妇 (45) of 34 is
    no grandchild by blood and is not held to a grandchild's age."""
    hh = _households(3, 3)
    rows = []
    for i, h in enumerate(hh, 1):
        rows.append([h["户主姓名"], h["户主身份证号"], "02", "男", "正常", ""])
        rows.append([f"妻{i}", make_id(f"196{i}0601", serial=200 + i), "12", "女", "正常", ""])
        born = "19550101" if i == 2 else f"199{i}0101"  # 户2's 长子 older than his father
        rows.append([f"子{i}", make_id(born, serial=300 + i), "22", "男", "正常", ""])
    hh[2]["家庭人口数"] = hh[2]["家庭常住人口数"] = 4
    rows.append(["孙媳", make_id("19850101", serial=401), "45", "女", "正常", ""])
    _, issues = _screen(tmp_path, hh, rows)
    found = issues[issues["code"].isin(MEMBER_CODES)]
    assert _codes(found) == ["member_age_relation"], found[["code", "行号", "说明"]].to_string()
    assert "子2" in found["说明"].item(), found["说明"].item()


def test_codes_and_words_mixed_in_one_column_are_both_read(tmp_path):
    """One column holding 户主 and 02, 妻 and 10, 子 and 30, and a code written before its word (02户主): every
    block has its head, every member is linked and counted, nothing is said of the relations."""
    hh = _households(4, 3)
    relations = [("户主", "10", "子"), ("02", "妻", "30"), ("02户主", "12-妻", "长女"), ("本人", "配偶", "29")]
    rows = []
    for i, (h, (head, spouse, child)) in enumerate(zip(hh, relations), 1):
        rows.append([h["户主姓名"], h["户主身份证号"], head, "男", "", ""])
        rows.append([f"妻{i}", make_id(f"196{i}0601", serial=500 + i), spouse, "女", "", ""])
        rows.append([f"子{i}", make_id(f"199{i}0101", serial=600 + i), child, "男", "", ""])
    _, issues = _screen(tmp_path, hh, rows)
    found = issues[issues["code"].isin(MEMBER_CODES)]
    assert found.empty, found[["code", "行号", "说明"]].to_string()


def test_a_member_moved_out_before_the_survey_is_no_member_and_not_matched_against_a_roster(tmp_path):
    """户1 (家庭人口数 3) lists 杨振华, 迁出 on 20170901 and on the 财政供养 roster, before his resident brother:
    he is not counted, not matched (户1 not flagged), his brother is linked, and he is said once as left with
    his day (relations in words here: the status alone is at stake). 户2's son moved out after the survey's day (a member that day, counted); its daughter's 人员状态
    待核 is not known: she is a member, said."""
    hh = _households(2, 3)
    hh[1]["家庭人口数"] = hh[1]["家庭常住人口数"] = 4
    gone = make_id("19900301", serial=701)
    rows = [[hh[0]["户主姓名"], hh[0]["户主身份证号"], "户主", "男", "正常", ""],
            ["王秀", make_id("19650601", serial=702), "妻", "女", "正常", ""],
            ["杨振华", gone, "长子", "男", "迁出", "20170901"],
            ["杨振国", make_id("19920301", serial=703), "次子", "男", "正常", ""],
            [hh[1]["户主姓名"], hh[1]["户主身份证号"], "户主", "男", "正常", ""],
            ["李梅", make_id("19660601", serial=704), "妻", "女", "正常", ""],
            ["李强", make_id("19910301", serial=705), "长子", "男", "迁出", "20200315"],
            ["李丽", make_id("19930301", serial=706), "长女", "女", "待核", ""]]
    payroll = write_csv_table(tmp_path / "财政供养.csv", ["姓名", "身份证号"], [["杨振华", gone]])
    out, issues = _screen(tmp_path, hh, rows, rosters=[("财政供养", payroll)])
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["roster_flags"].tolist() == ["", ""], ledger[["head_name", "roster_flags"]]
    found = issues[issues["code"].isin(MEMBER_CODES)]
    assert _codes(found) == ["member_left", "member_status_unknown"], found[["code", "行号", "说明"]].to_string()
    left = found[found["code"] == "member_left"]
    assert left["行号"].item() == "4", left
    assert "杨振华" in left["说明"].item() and "2017-09-01" in left["说明"].item(), left["说明"].item()
    assert "李丽" in found.loc[found["code"] == "member_status_unknown", "说明"].item()


def test_an_undated_death_is_no_member_either(tmp_path):
    """死亡 with no day: no member (the household of 3 lists 4, one dead), said as left without a day."""
    hh = _households(1, 3)
    rows = [[hh[0]["户主姓名"], hh[0]["户主身份证号"], "户主", "男", "正常", ""],
            ["妻", make_id("19650601", serial=801), "妻", "女", "正常", ""],
            ["母", make_id("19350601", serial=802), "母亲", "女", "死亡", ""],
            ["子", make_id("19900301", serial=803), "子", "男", "正常", ""]]
    out, issues = _screen(tmp_path, hh, rows)
    found = issues[issues["code"].isin(MEMBER_CODES)]
    assert _codes(found) == ["member_left"], found[["code", "行号", "说明"]].to_string()
    assert "没有填迁出或注销日期" in found["说明"].item()
    # The members' count says her apart, not as a member left unlinked.
    facts = [" ".join(str(v) for v in row if v is not None)
             for row in openpyxl.load_workbook(out / "quality.xlsx")["文件情况"].iter_rows(values_only=True)]
    linked = [f for f in facts if "找到了所属农户" in f]
    assert len(linked) == 1 and "家庭成员 4 人,其中 3 人找到了所属农户;另有 1 人已迁出、死亡或注销" in linked[0], facts


def test_guard_a_members_table_without_status_columns_links_and_counts_as_before(tmp_path):
    """No 人员状态 nor 迁出日期 column, relations in words: linked and counted as ever; a household listing a
    member too many past its 家庭人口数 is still left unlinked and said, nothing is said as left."""
    hh = _households(2, 3)
    rows = []
    for i, h in enumerate(hh, 1):
        rows += [[h["户主姓名"], h["户主身份证号"], "户主"], [f"妻{i}", make_id(f"196{i}0601", serial=900 + i), "妻"],
                 [f"子{i}", make_id(f"199{i}0101", serial=910 + i), "子"]]
    rows.insert(3, ["女1", make_id("19950101", serial=921), "女"])  # 户1 lists 4 for its 3
    _, issues = _screen(tmp_path, hh, rows, header=["姓名", "身份证号", "与户主关系"])
    found = issues[issues["code"].isin(MEMBER_CODES)]
    # The row past 户1's 家庭人口数 stands where 户2's members would: unlinked, said on its row (sheet row 5).
    assert found[["code", "行号"]].values.tolist() == [["member_without_household", "5"]], found.to_string()


@pytest.mark.parametrize("codes, words", [({"head": ["2"]}, "two digits"), ({"elder": ["60"]}, "no group"),
                                          ({"head": ["02"], "spouse": ["02"]}, "two groups")])
def test_the_relation_codes_are_checked_when_the_catalogue_loads(codes, words):
    data = data_toml("members.toml")
    assert MemberCatalogue.model_validate(data).relation_index()["02"] == "head"
    with pytest.raises(ValueError, match=words):
        MemberCatalogue.model_validate({**data, "relation_codes": codes})


@pytest.mark.parametrize("as_number", [True, False], ids=["excel-numbers", "text-without-zero"])
def test_codes_whose_leading_zero_excel_dropped_are_read_as_the_codes(tmp_path, as_number):
    """The export opened in Excel and saved: 「02」 became the number 2 (and 12, 22 stayed as they were).
    A column of codes reads 2 as 02, 户主: every block has its head, every member is linked and counted.
    (Read as typed, 2 was no relation at all: every head missing, every member unlinked.)"""
    hh = _households(3, 3)
    rows = []
    for i, h in enumerate(hh, 1):
        head = 2 if as_number else "2"
        rows.append([h["户主姓名"], h["户主身份证号"], head, "男", "正常", ""])
        rows.append([f"妻{i}", make_id(f"196{i}0601", serial=200 + i), 12 if as_number else "12", "女", "正常", ""])
        rows.append([f"子{i}", make_id(f"199{i}0101", serial=300 + i), 22 if as_number else "22", "男", "正常", ""])
    out, issues = _screen(tmp_path, hh, rows)
    found = issues[issues["code"].isin(MEMBER_CODES)]
    assert found.empty, found[["code", "行号", "说明"]].to_string()
    members = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]
    assert members["members"] == members["linked"] == 9, members


def test_a_lone_digit_among_relation_words_is_not_taken_for_a_code(tmp_path):
    """Words in the column, and one 「1」 typed where a word belongs (no code anywhere): not read as 01, 本人
    (a second head of the household); it is said as a relation not known, as before."""
    hh = _households(2, 3)
    rows = []
    for i, h in enumerate(hh, 1):
        rows.append([h["户主姓名"], h["户主身份证号"], "户主", "男", "正常", ""])
        rows.append([f"妻{i}", make_id(f"196{i}0601", serial=200 + i), "妻", "女", "正常", ""])
        rows.append([f"子{i}", make_id(f"199{i}0101", serial=300 + i), "1" if i == 2 else "长子", "男", "正常", ""])
    _, issues = _screen(tmp_path, hh, rows)
    assert "two_heads" not in set(issues["code"]), issues[["code", "行号", "说明"]].to_string()
