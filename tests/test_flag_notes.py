"""A household's 是否低保户 / 是否特困人员 against its own 备注 and 主要困难 (an outside try, 2026-12): a 低保户
typed 否 whose 备注 said 含低保金, and one whose 主要困难 said 特困供养, stood as candidates with no word.
The flag decides an exclusion, so the contradiction is warned on the flag's cell, quoting the words.
Words that say the household is not, not yet or no longer one (非低保户, 低保边缘户, 原低保户, 未享受低保,
已申请低保) are not."""
from __future__ import annotations

import datetime as dt

from survey_builders import household, make_id, write_workbook
from edgescreen import screen


def test_notes_that_say_dibao_or_tekun_are_held_against_the_flags(tmp_path):
    cases = [  # (是否低保户, 是否特困人员, 主要困难, 备注)
        ("否", "否", "", "含低保金"),             # row 2: warned, from 备注
        ("否", "否", "特困供养", ""),             # row 3: warned (特困), from 主要困难
        ("否", "否", "", "低保边缘户"),           # row 4: near the line, not one
        ("否", "否", "", "原低保户,2019年退出"),  # row 5: no longer
        ("否", "否", "", "已申请低保,待审批"),    # row 6: not yet
        ("否", "否", "", "非低保户"),             # row 7
        ("是", "否", "", "低保户"),               # row 8: as the flag says
        ("否", "否", "因病", "五保户"),            # row 9: warned (特困)
        ("否", "否", "", "未享受低保"),           # row 10
        ("", "否", "", "二类低保"),               # row 11: blank, read 否: warned
    ]
    rows = [household(**{"户主身份证号": make_id("19600101", serial=3 * i), "户主姓名": f"户{i}", "是否低保户": d,
                         "是否特困人员": t, "主要困难": risk, "备注": note, "转移性收入": 2400})
            for i, (d, t, risk, note) in enumerate(cases)]
    issues = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=dt.date(2020, 1, 1)).issues("zh")
    said = issues[issues["code"] == "flag_notes_differ"].set_index("row")
    assert sorted(said.index) == [2, 3, 9, 11], said[["field", "message"]]
    assert said.loc[2, "field"] == "is_dibao" and "「备注」写着「含低保金」" in said.loc[2, "message"]
    assert said.loc[3, "field"] == "is_tekun" and "「主要困难」写着「特困供养」" in said.loc[3, "message"]
    assert said.loc[9, "field"] == "is_tekun" and said.loc[11, "field"] == "is_dibao"
    assert "按「否」认定" in said.loc[11, "message"]
