"""issues.csv keeps every issue, the member rows' own too (a member with a blank ID, a 是否常住 of 外出务工,
a row whose 户编号 is no household's): each with its file, sheet, Excel row, cell and message, after
the households' issues, and a last column (所在表 / `table`) that tells a program a member row's issue
from a household's. Without a members table issues.csv is exactly as it was (test_ledger)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from survey_builders import household, make_id
from test_rosters import head, member, run, write_survey

from edgescreen import screen
from edgescreen.outputs.ledger import IssueFile, read_issues, write_issues
from edgescreen.runtime import WriterHelper

AS_OF = "2020-01-01"
MEMBER_CODES = ["missing_value", "flag_unrecognized", "member_without_household"]


def _survey(path):
    """Two households, the first with a word for its wage income (a household's issue); on the members
    sheet (header on row 1) 户1's grandson on row 4 has no ID and is 外出务工, and row 5 names a 户编号
    no household has."""
    first = household(户编号="001", 户主姓名="甲一", 户主身份证号=make_id("19650101"), 工资性收入="见备注")
    second = household(户编号="002", 户主姓名="乙二", 户主身份证号=make_id("19660101"))
    members = [head(first), member(first, "甲妻", "配偶", make_id("19670101")),
               member(first, "甲孙", "孙子", "", 是否常住="外出务工"),
               member({**second, "户编号": "099"}, "无主", "户主", make_id("19880808")),
               head(second), member(second, "乙妻", "配偶", make_id("19680101")),
               member(second, "乙子", "子", make_id("19900101"))]
    return write_survey(path, [first, second], members)


def _raw(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("members_issues")
    survey = _survey(folder / "合隆镇.xlsx")
    outs = {}
    for lang in ("zh", "en"):
        outs[lang] = folder / lang
        result = run("check", survey, "-o", outs[lang], "--as-of", AS_OF, "--lang", lang)
        assert result.exit_code == 1, result.output
    return outs


def test_the_member_rows_issues_are_in_issues_csv_after_the_households(checked):
    issues = read_issues(checked["zh"] / "issues.csv")
    assert issues["table"].tolist() == ["households", "members", "members", "members"]
    assert issues["code"].tolist() == ["not_a_number", *MEMBER_CODES]
    mine = issues[issues["table"] == "members"]
    assert set(mine["source_file"]) == {"合隆镇.xlsx"} and set(mine["sheet"]) == {"家庭成员"}
    assert mine["row"].tolist() == ["4", "4", "5"]
    assert mine["cell"].tolist() == ["F4", "I4", "C5"]
    assert mine["field"].tolist() == ["member_id", "resident", "household_id"]
    assert mine["value"].tolist() == ["", "外出务工", "099"]
    assert set(mine["severity"]) == {"error"}
    assert mine["message"].str.startswith(("第4行", "第5行")).all()
    assert "外出务工" in mine["message"].iloc[1] and "099" in mine["message"].iloc[2]
    assert issues.loc[0, "sheet"] == "户表" and issues.loc[0, "field"] == "wage_income"


def test_the_chinese_file_says_the_table_in_words_last_and_reads_back_as_the_english(checked):
    raw = _raw(checked["zh"] / "issues.csv")
    assert list(raw.columns[-3:]) == ["说明", "code", "所在表"]
    assert raw["所在表"].tolist() == ["登记表", "家庭成员表", "家庭成员表", "家庭成员表"]
    assert raw["栏目"].tolist()[1:] == ["身份证号", "是否常住", "户编号"]
    english = _raw(checked["en"] / "issues.csv")
    assert list(english.columns[-2:]) == ["message", "table"]
    assert english["table"].tolist() == ["households", "members", "members", "members"]
    zh, en = read_issues(checked["zh"] / "issues.csv"), read_issues(checked["en"] / "issues.csv")
    same = [c for c in zh.columns if c != "message"]
    assert list(zh.columns) == list(en.columns)
    pd.testing.assert_frame_equal(zh[same], en[same])


def test_issues_csv_names_the_member_issues_quality_xlsx_lists(tmp_path):
    result = screen([_survey(tmp_path / "合隆镇.xlsx")], as_of=dt.date.fromisoformat(AS_OF))
    write_issues(result, tmp_path / "issues.csv")
    listed = result.members.issues(result.households, "zh")
    mine = read_issues(tmp_path / "issues.csv").query("table == 'members'")
    assert mine["row"].astype(int).tolist() == listed["row"].tolist()
    assert mine["message"].tolist() == listed["message"].tolist()
    assert len(mine) == len(result.members.log)


def test_member_issues_in_parts_written_by_the_helper_are_the_file_written_here(tmp_path):
    """Parts of two issues: one holds the household's issue alone, the next two the member rows'."""
    result = screen([_survey(tmp_path / "合隆镇.xlsx")], as_of=dt.date.fromisoformat(AS_OF))
    write_issues(result, tmp_path / "whole.csv")
    (tmp_path / "out").mkdir()
    issues = IssueFile(result, tmp_path / "out" / "issues.csv", size=2)
    tasks = issues.tasks()
    assert len(tasks) == 3
    with WriterHelper() as helper:
        helper.send(tasks)
        helper.result()
    issues.assemble()
    assert (tmp_path / "out" / "issues.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["issues.csv"]
