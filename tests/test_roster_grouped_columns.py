"""A 民政 roster that lists the household's head and its members side by side under group headers
(户主信息 over 姓名 | 身份证号, 成员信息 over 姓名 | 身份证号 | 与户主关系), one row per member: read with
the member's ID and name as each row's person. Before: refused as two columns of 姓名."""

from __future__ import annotations

import pandas as pd
import xlsxwriter

from survey_builders import household, make_id, write_workbook
from test_rosters import AS_OF, run
from edgescreen.outputs.ledger import read_ledger


def grouped_roster(path, families: list[tuple[tuple[str, str], list[tuple[str, str, str]]]]):
    """A roster of `families`: ((head's name, ID), [(member's name, ID, relation)]), one row a member."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("低保对象")
    ws.merge_range(0, 0, 0, 7, "农安县城乡最低生活保障对象花名册")
    for c, text in enumerate(["序号", "乡镇(街道)", "村(社区)"]):
        ws.merge_range(1, c, 2, c, text)
    ws.merge_range(1, 3, 1, 4, "户主信息")
    ws.merge_range(1, 5, 1, 7, "成员信息")
    ws.write_row(2, 3, ["姓名", "身份证号", "姓名", "身份证号", "与户主关系"])
    r = 3
    for n, ((head_name, head_id), members) in enumerate(families, start=1):
        for name, pid, relation in members:
            ws.write_row(r, 0, [n, "合隆镇", "前岗村", head_name, head_id, name, pid, relation])
            r += 1
    book.close()
    return path


def test_a_roster_with_head_and_member_columns_side_by_side_is_read_by_the_members(tmp_path):
    a = household(户主姓名="李海", 户主身份证号=make_id("19700101"))
    b = household(户主姓名="李小海", 户主身份证号=make_id("19950101"))  # a son with a household of his own
    c = household(户主姓名="王芳", 户主身份证号=make_id("19720101"))
    survey = write_workbook(tmp_path / "县.xlsx", [a, b, c])
    # 李海's family is on 低保 with his son listed as a member; 王芳 is nobody's.
    roster = grouped_roster(tmp_path / "低保花名册.xlsx", [
        (("李海", a["户主身份证号"]), [("李海", a["户主身份证号"], "本人"), ("张凤", make_id("19710101"), "配偶"),
                                      ("李小海", b["户主身份证号"], "子")]),
        (("赵强", make_id("19600101")), [("赵强", make_id("19600101"), "本人")])])
    out = tmp_path / "out"
    done = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"dibao={roster}", "--force")
    assert done.exit_code == 0, done.output
    # 李小海's own household is no 低保 household: the roster counts him in his father's, a doubt to verify.
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["excluded_dibao", "candidate", "candidate"]
    # Each ID beside its own name: 李小海 is not said to be another person than 李海.
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    assert list(issues.loc[issues["code"] == "roster_other_household", "户主姓名"]) == ["李小海"], issues
    assert "roster_name_mismatch" not in set(issues["code"]), issues
