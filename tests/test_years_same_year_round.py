"""A second round of the same income year (the same survey screened again, a roster added or an error
put right) is no copy of last year's survey. Before: its incomes were held against the round before,
the same year's, and every village of five households or more was said to have "照抄了上一年的调查表"
(22 villages in an outside try). Now a village's incomes are held against the latest earlier income
year only. And the warning of the villages the round before left unfinished names the first five and,
where there are more, says the list is cut (等) instead of ending as if whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from edgescreen.register.rounds import SHOWN, RoundRecorded, left_unfinished_line
from survey_builders import make_id
from years_builders import register_everyone, run, survey

FRONT = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
BACK = {"乡(镇)": "合隆镇", "行政村": "后岗村"}
COPIED = "照抄了上一年的调查表"


def people(place: dict, start: int, wages: list[int]) -> list[dict]:
    return [{**place, "户主姓名": f"户{start + i}", "户主身份证号": make_id(f"1969{i + 1:02d}15", serial=start + i),
             "户编号": f"HB{start + i}", "工资性收入": wage} for i, wage in enumerate(wages)]


def flat(text: str) -> str:
    return " ".join(text.split())


def changes_texts(out: Path) -> list[str]:
    summary = openpyxl.load_workbook(out / "changes.xlsx")["变动汇总"]
    return [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]


FRONT_PEOPLE = people(FRONT, 700, [10000, 10100, 10200, 10300, 10400, 10500])
BACK_PEOPLE = people(BACK, 720, [10000, 10100, 10200, 10300, 10400, 10500])


def one_wage_changed(rows: list[dict], name: str, wage: int) -> list[dict]:
    """The survey again with one household's figure put right: not the very files of the round before."""
    return [{**p, "工资性收入": wage} if p["户主姓名"] == name else p for p in rows]


def test_a_second_round_of_the_same_year_says_no_village_copied(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, FRONT_PEOPLE + BACK_PEOPLE)
    # 2019 screened again after the register was made (as with a 低保 roster added): 前岗村's rows as
    # they were, 后岗村's but one figure put right.
    again = survey(tmp_path / "2019调查表-更正.xlsx", FRONT_PEOPLE + one_wage_changed(BACK_PEOPLE, "户722", 10250))
    said = flat(run("screen", again, "-o", tmp_path / "out", "--register", db, "--date", "2019-12-29").output)
    assert "已记录第 2 轮筛查" in said, said
    assert COPIED not in said, said
    assert not any(COPIED in t for t in changes_texts(tmp_path / "out"))


def test_a_same_year_rescreen_of_a_copied_survey_still_names_the_year_it_was_copied_from(tmp_path, monkeypatch):
    """2020's survey of 前岗村 copied from 2019's, screened twice: each time held against 2019."""
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, FRONT_PEOPLE + BACK_PEOPLE)
    back_2020 = one_wage_changed(BACK_PEOPLE, "户722", 10700)
    first = survey(tmp_path / "2020调查表.xlsx", FRONT_PEOPLE + back_2020)
    words = "注意:合隆镇前岗村调查的 6 户,每一户的人均纯收入都与 2019 年度一分不差:多半是照抄了上一年的调查表"
    said = flat(run("screen", first, "--year", "2020", "-o", tmp_path / "out1", "--register", db,
                    "--date", "2020-11-20").output)
    assert words in said, said
    again = survey(tmp_path / "2020调查表-更正.xlsx", FRONT_PEOPLE + one_wage_changed(back_2020, "户723", 10800))
    said = flat(run("screen", again, "--year", "2020", "-o", tmp_path / "out2", "--register", db,
                    "--date", "2020-11-25").output)
    assert "已记录第 3 轮筛查" in said, said
    assert words in said, said
    assert "合隆镇后岗村调查的" not in said, said
    assert any(words in t for t in changes_texts(tmp_path / "out2"))


def recorded(villages: int) -> RoundRecorded:
    left = [("合隆镇", f"第{i + 1}村", ("announcement",)) for i in range(villages)]
    return RoundRecorded(Path("r.db"), 2, dt.date(2019, 12, 29), 10, 2, False, None, left, 1)


def test_the_unfinished_villages_cut_at_five_say_they_are_cut():
    line = left_unfinished_line(recorded(SHOWN + 1), "zh")
    assert "第 1 轮还有 6 个村" in line, line
    assert "第5村(待「公告」)等。" in line and "第6村" not in line, line
    english = left_unfinished_line(recorded(SHOWN + 1), "en")
    assert "(waiting for" in english and "and others." in english, english


def test_the_unfinished_villages_all_named_end_without_more():
    line = left_unfinished_line(recorded(SHOWN), "zh")
    assert "第5村(待「公告」)。" in line and "等" not in line, line
    assert left_unfinished_line(recorded(0), "zh") == ""
