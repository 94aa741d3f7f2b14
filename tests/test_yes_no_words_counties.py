"""The 是否低保户, 是否特困人员 and 是否建档立卡贫困户 columns as counties write them (an outside try,
2026-12-05): 低保户, 农村低保, A类低保, 城乡低保, 单人保, 兜底保障 each came out invalid, 只能填「是」或「否」,
so a county writing 农村低保 on every such row had all of them on the 数据有误 list. A word naming the
support is a yes, its negation a no; a stopped support (已退保) and a word no column knows stay an issue,
whose message says what the column takes."""

from __future__ import annotations

import pytest

from field_checks import issues, ledger, screen
from survey_builders import household, write_workbook


def _screened(tmp_path, column: str, words: list[str]):
    """One household per word, the word in `column`; the ledger's statuses and the issues, by head."""
    rows = [household(**{"户主姓名": f"户{i}", column: word}) for i, word in enumerate(words)]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    table = ledger(out)
    return dict(zip(words, table["status"])), issues(out)


def test_dibao_as_counties_write_it(tmp_path):
    said = ["低保户", "农村低保", "A类低保", "城乡低保", "单人保", "兜底保障", "三类低保", "低保（二档）", "低保 二档",
            "非低保", "不是低保", "无"]
    status, found = _screened(tmp_path, "是否低保户", said)
    assert status == {**{w: "excluded_dibao" for w in said[:9]}, **{w: "candidate" for w in said[9:]}}
    assert not (found["code"] == "flag_unrecognized").any()


def test_tekun_as_counties_write_it(tmp_path):
    said = ["特困", "特困供养", "五保", "五保户", "分散供养", "集中供养", "二类五保户", "非特困", "不是五保户"]
    status, found = _screened(tmp_path, "是否特困人员", said)
    assert status == {**{w: "excluded_tekun" for w in said[:7]}, **{w: "candidate" for w in said[7:]}}
    assert not (found["code"] == "flag_unrecognized").any()


def test_registered_poor_as_counties_write_it(tmp_path):
    """脱贫户 stay in the registered system (after-screening.md): excluded as 已建档立卡. 一般户 may be the
    system's 一般贫困户 shortened: for the clerk to say."""
    said = ["建档立卡户", "贫困户", "脱贫户", "已脱贫", "非贫困户", "一般户"]
    status, found = _screened(tmp_path, "是否建档立卡贫困户", said)
    assert status == {**{w: "excluded_registered" for w in said[:4]}, "非贫困户": "candidate", "一般户": "invalid"}
    assert found.loc[found["code"] == "flag_unrecognized", "value"].tolist() == ["一般户"]


@pytest.mark.parametrize("word", ["已退保", "停保", "不详", "低保边缘户", "10类"])
def test_a_word_the_dibao_column_does_not_know_stays_an_issue(tmp_path, word):
    """A 低保 that stopped is not read either way (since when is for the clerk to say); the message
    names what the column takes."""
    status, found = _screened(tmp_path, "是否低保户", [word])
    assert status == {word: "invalid"}
    flagged = found[found["code"] == "flag_unrecognized"]
    assert flagged["value"].tolist() == [word]
    message = flagged["message"].iloc[0]
    assert "只能填「是」或「否」" in message and "「低保」「低保户」「农村低保」「城乡低保」" in message and "「非低保」「不是低保」" in message


def test_one_columns_word_says_nothing_of_another(tmp_path):
    """低保户 under 是否特困人员, 五保户 under 是否低保户: a person reads them."""
    rows = [household(**{"户主姓名": "甲", "是否特困人员": "低保户"}),
            household(**{"户主姓名": "乙", "是否低保户": "五保户"})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["invalid", "invalid"]
    flagged = issues(out)
    flagged = flagged[flagged["code"] == "flag_unrecognized"]
    assert flagged["field"].tolist() == ["is_tekun", "is_dibao"]
    assert "「特困」「特困供养」「五保户」" in flagged["message"].iloc[0]
