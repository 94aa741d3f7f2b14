"""The head's own row on the members table: missing, its 与户主关系 blank or in other words, its ID typed
differently. The head is a member of the household whatever the members table says: still screened and
matched against the rosters by the household sheet's ID, and the clerk is told what is missing, on the
household's row, once per household, or once for the sheet when it is most of it. On a printed form
(members listed under their 户主 row) the head's row is what links the members below it: a blank
relation or one slip of the hand in its ID must not cut them off from their household."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from survey_builders import HEADERS, household, make_id, write_csv_table
from test_rosters import head, member, run, write_sheets
from edgescreen.checks import id_check_characters
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-01-01"
BLOCK_HEADERS = ["姓名", "与户主关系", "身份证号"]


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _survey(path, households, member_headers, member_rows):
    return write_sheets(path, {"户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in households]),
                               "家庭成员": (member_headers, member_rows)})


def _screen(tmp_path, survey, roster_rows):
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], roster_rows)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return out, result


def _issues(out) -> pd.DataFrame:
    return pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)


def _household_issues(out) -> pd.DataFrame:
    """issues.csv's households' issues (a run with members lists the member rows' too, 所在表 家庭成员表)."""
    found = _issues(out)
    return found[found["所在表"] == "登记表"] if "所在表" in found else found


def _households(n: int, size: int = 3) -> list[dict]:
    return [household(户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i % 30}0{1 + i % 9}01"),
                      家庭人口数=size) for i in range(1, n + 1)]


def test_a_head_with_no_member_row_is_still_matched_and_the_clerk_is_told_what_to_add(tmp_path):
    """户2's members are listed (配偶, 子) but not 户2 himself; the others list their head. 户2 is on the
    低保 roster: his household is excluded all the same, and his household's row says, once, that the
    head's row is missing, that he was matched by the household sheet's ID, and what to add."""
    hh = _households(3)
    rows = []
    for i, h in enumerate(hh):
        if i != 1:
            rows.append(head(h))
        rows += [member(h, f"妻{i}", "配偶", make_id("19750101")), member(h, f"子{i}", "子", make_id("20000101"))]
    headers = list(rows[0])
    survey = _survey(tmp_path / "县.xlsx", hh, headers, [[m[k] for k in headers] for m in rows])
    out, _ = _screen(tmp_path, survey, [["户2", hh[1]["户主身份证号"]]])
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["status"].tolist() == ["candidate", "excluded_dibao", "candidate"]
    issues = _issues(out)
    said = issues[issues["code"] == "head_not_in_members"]
    assert said[["来源文件", "工作表", "行号", "单元格"]].values.tolist() == [["县.xlsx", "户表", "3", "F3"]]
    message = said["说明"].item()
    assert "户主仍按本表的身份证号参加认定和信息比对" in message, message
    assert "请在家庭成员表中补上户主一行(与户主关系填“户主”)" in message, message


def test_a_members_sheet_without_the_heads_rows_is_one_finding_with_its_cause(tmp_path):
    """A members table that lists only the members other than the head, for every household: one
    finding for the sheet that names the cause (the heads left out) and what to do, not 25 rows."""
    hh = _households(25)
    rows = []
    for i, h in enumerate(hh):
        rows += [[h["户主身份证号"], f"妻{i}", "配偶", make_id("19750101")],
                 [h["户主身份证号"], f"子{i}", "子", make_id("20100101")]]
    survey = _survey(tmp_path / "县.xlsx", hh, ["户主身份证号", "姓名", "与户主关系", "身份证号"], rows)
    out, result = _screen(tmp_path, survey, [["户5", hh[4]["户主身份证号"]]])
    assert read_ledger(out / "decisions.csv")["status"].tolist()[4] == "excluded_dibao"
    overview = _text(openpyxl.load_workbook(out / "quality.xlsx")["概览"])
    assert "「户主身份证号」:户主不在成员表中 25 行" in overview, overview
    assert "多半是成员表只列了户主以外的家庭成员" in overview, overview
    assert "同一问题出现在本表大多数行" not in overview, overview
    said = " ".join(result.output.split())
    assert "多半是成员表只列了户主以外的家庭成员" in said, said


@pytest.mark.parametrize("relation", ["", "本人/户主"])
def test_a_printed_forms_head_row_with_a_blank_or_unlisted_relation_starts_its_block(tmp_path, relation):
    """户2's own row says nothing of his relation (or words not listed): its ID is 户2's, so his block
    starts there. His wife is on the 低保 roster: his household is excluded, 户1's is not, and no member
    row is said to have no household."""
    hh = _households(3)
    rows, spouses = [], []
    for i, h in enumerate(hh):
        rows.append([h["户主姓名"], relation if i == 1 else "户主", h["户主身份证号"]])
        spouses.append(make_id("19750101"))
        rows += [[f"妻{i}", "配偶", spouses[-1]], [f"子{i}", "子", make_id("20000101")]]
    survey = _survey(tmp_path / "县.xlsx", hh, BLOCK_HEADERS, rows)
    out, _ = _screen(tmp_path, survey, [["妻1", spouses[1]]])
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "excluded_dibao", "candidate"]
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["links"]
    assert links["block"] == 9
    members = _text(openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"])
    assert "member_without_household" not in members, members
    assert set(_household_issues(out)["code"]) == {"roster_conflict"}


def _slipped(person_id: str, how: str) -> str:
    if how == "typed":  # one digit typed differently: the ID fails its check
        return person_id[:12] + ("1" if person_id[12] != "1" else "2") + person_id[13:]
    if how == "swapped":  # two side by side swapped
        i = next(i for i in range(6, 16) if person_id[i] != person_id[i + 1])
        return person_id[:i] + person_id[i + 1] + person_id[i] + person_id[i + 2:]
    prefix = person_id[:14] + ("1" if person_id[14] != "1" else "2") + person_id[15:17]  # another valid ID
    return prefix + id_check_characters(pd.Series([prefix])).iloc[0]


@pytest.mark.parametrize("how", ["typed", "swapped"])
def test_a_printed_forms_head_row_one_slip_off_is_its_households_by_the_heads_name(tmp_path, how):
    """户2's row gives his ID with one slip (a digit typed differently, or two swapped): no household's head
    has that ID, but 户2's, of the same name, is one slip from it. His block is his household's: his
    wife on the 低保 roster excludes it. The ID's own error is still said on his member row."""
    hh = _households(3)
    rows, spouses = [], []
    for i, h in enumerate(hh):
        rows.append([h["户主姓名"], "户主", _slipped(h["户主身份证号"], how) if i == 1 else h["户主身份证号"]])
        spouses.append(make_id("19750101"))
        rows += [[f"妻{i}", "配偶", spouses[-1]], [f"子{i}", "子", make_id("20000101")]]
    survey = _survey(tmp_path / "县.xlsx", hh, BLOCK_HEADERS, rows)
    out, _ = _screen(tmp_path, survey, [["妻1", spouses[1]]])
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "excluded_dibao", "candidate"]
    members = _text(openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"])
    assert "id_checksum" in members and "member_without_household" not in members, members
    issues = _issues(out)
    assert issues.loc[issues["code"] == "head_not_in_members", "行号"].tolist() == ["3"]


def test_a_printed_forms_head_row_under_another_valid_id_is_said_on_that_row(tmp_path):
    """户2's row gives another valid ID: a real person's, not taken for 户2 by his name. His block links to
    no household, and the rows say so by what is wrong: the 户主 row's ID, quoted, and the rows under it
    naming that row, not "no 户主 row above"."""
    hh = _households(3)
    rows = []
    for i, h in enumerate(hh):
        rows.append([h["户主姓名"], "户主", _slipped(h["户主身份证号"], "valid") if i == 1 else h["户主身份证号"]])
        rows += [[f"妻{i}", "配偶", make_id("19750101")], [f"子{i}", "子", make_id("20000101")]]
    other = rows[3][2]
    survey = _survey(tmp_path / "县.xlsx", hh, BLOCK_HEADERS, rows)
    out, _ = _screen(tmp_path, survey, [["无关", make_id("19800101")]])
    members = _text(openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"])
    assert f"这是「户主」行,但户表中没有一户的户主身份证号是 {other}" in members, members
    assert members.count("它上方的「户主」行(第5行「户2」)的身份证号对不上户表中任何一户的户主") == 2, members
    assert "上方也没有能对上某户户主的「户主」行" not in members, members


@pytest.mark.parametrize("relation", ["本人", "户主本人"])
def test_a_hukou_exports_head_row_in_other_words_is_the_head(tmp_path, relation):
    """A 户籍 export linked by 户主身份证号 says 本人 or 户主本人 for the head: the head is listed, nothing
    is said of him, and the roster finds him."""
    hh = _households(2)
    rows = []
    for i, h in enumerate(hh):
        rows += [[h["户主身份证号"], h["户主姓名"], relation, h["户主身份证号"]],
                 [h["户主身份证号"], f"妻{i}", "配偶", make_id("19750101")],
                 [h["户主身份证号"], f"子{i}", "子", make_id("20000101")]]
    survey = _survey(tmp_path / "县.xlsx", hh, ["户主身份证号", "姓名", "与户主关系", "身份证号"], rows)
    out, _ = _screen(tmp_path, survey, [["户2", hh[1]["户主身份证号"]]])
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "excluded_dibao"]
    assert set(_household_issues(out)["code"]) == {"roster_conflict"}


def test_a_heads_own_row_left_unlinked_is_not_said_to_leave_his_roster_undone(tmp_path):
    """户2's own row on the members table names a 户编号 no household has (typed 099 for 002), so it is
    linked to none. He is on the 低保 roster and his household is excluded by the household sheet's
    户主身份证号. Before: his row said that the roster 所属农户的认定没有据此排除, which was false."""
    hh = _households(3)
    rows = []
    for i, h in enumerate(hh):
        rows.append(head(h, **({"户编号": "099"} if i == 1 else {})))
        rows.append(member(h, f"妻{i}", "配偶", make_id("19750101", serial=10 + i)))
    headers = list(rows[0])
    survey = _survey(tmp_path / "县.xlsx", hh, headers, [[m[k] for k in headers] for m in rows])
    out, result = _screen(tmp_path, survey, [["户2", hh[1]["户主身份证号"]]])
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate", "excluded_dibao", "candidate"]
    listed = _text(openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"])
    assert "户2" in listed and "099" in listed, listed  # his row is still to be placed: its 户编号 corrected
    assert "没有据此排除" not in listed and "roster_member_unlinked" not in listed, listed
    assert "没有据此排除" not in " ".join(result.output.split())


def test_a_son_named_as_his_father_is_not_taken_for_the_missing_head_row(tmp_path):
    """户2's head row is missing and his 子 bears his name (户2). The son is the son: the household is
    told once that the head's row is missing (head_not_in_members), and its 家庭人口数 of 3 against two
    rows listed is that same missing row, not also a member_count_mismatch."""
    hh = _households(3)
    rows = []
    for i, h in enumerate(hh):
        if i != 1:
            rows.append(head(h))
        son = h["户主姓名"] if i == 1 else f"子{i}"
        rows += [member(h, f"妻{i}", "配偶", make_id("19750101")), member(h, son, "子", make_id("20000101"))]
    headers = list(rows[0])
    survey = _survey(tmp_path / "县.xlsx", hh, headers, [[m[k] for k in headers] for m in rows])
    out, _ = _screen(tmp_path, survey, [["无关", make_id("19500101")]])
    issues = _household_issues(out)
    said = issues[issues["行号"] == "3"]["code"].tolist()
    assert said == ["head_not_in_members"], issues[["行号", "code", "说明"]]
