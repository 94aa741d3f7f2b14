"""A household entered by two villages of a township's workbook (it moved), and one pasted twice in one
village. Each village's fix list said 「同一户主身份证号出现 2 次(另见 town.xlsx「伏龙泉镇」第8行)」: a
village has never seen the township file's row numbers, and both, told to correct an error, could
delete their row and lose the household (an outside try, 2026-12-05). The message now names the other
row's 行政村, 村民小组 and head, and says to keep one row: the village where the household lives."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def _town(tmp_path):
    moved, twice = make_id("19790420", serial=582), make_id("19610201", serial=202)
    rows = [household(乡镇="伏龙泉镇", 行政村="新立村", 村民小组="一组", 户主姓名="刘玉兰", 户主身份证号=moved),
            household(乡镇="伏龙泉镇", 行政村="永胜村", 村民小组="二组", 户主姓名="陆桂芝", 户主身份证号=twice),
            household(乡镇="伏龙泉镇", 行政村="永胜村", 村民小组="二组", 户主姓名="陆桂芝", 户主身份证号=twice),
            household(乡镇="伏龙泉镇", 行政村="东升村", 村民小组="", 户主姓名="刘玉兰", 户主身份证号=moved)]
    for r in rows:
        r["乡(镇)"] = r.pop("乡镇")
    return write_workbook(tmp_path / "town.xlsx", rows)


def test_each_village_is_told_where_the_other_row_is_and_which_to_keep(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["check", str(_town(tmp_path)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "duplicate_household"].astype({"row": int}).set_index("row")["message"]
    assert sorted(said.index) == [2, 3, 4, 5], said
    # Two villages: each names the other's village (and group where given) and head, and says one row stays.
    assert "另一行是东升村的「刘玉兰」" in said[2], said[2]
    assert "另一行是新立村一组的「刘玉兰」" in said[5], said[5]
    for row in (2, 5):
        assert "一户只能登记在一行" in said[row] and "留下该户实际居住的村那一行" in said[row], said[row]
        assert "不要都删" in said[row], said[row]
    # One village's row pasted twice: delete the repeated one.
    assert "另一行是永胜村二组的「陆桂芝」" in said[3] and "删去重复的那一行" in said[3], said[3]
    assert "实际居住" not in said[3]

    # The village's own fix list says it so.
    book = openpyxl.load_workbook(out / "quality-villages" / "伏龙泉镇-新立村-问题清单.xlsx")
    text = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "另一行是东升村的「刘玉兰」" in text and "留下该户实际居住的村那一行" in text, text

    english = tmp_path / "en"
    CliRunner().invoke(app, ["check", str(_town(tmp_path)), "-o", str(english), "--lang", "en"])
    en = read_issues(english / "issues.csv")
    message = en.loc[en["code"] == "duplicate_household", "message"].iloc[0]
    assert "the other row is 刘玉兰 of 东升村" in message and "where the household lives" in message, message
