"""An outside try (2026-12-06) of ordinary 备注 and of a township that ticks √ only for 是.

Notes said wrongly: 去世的儿子留下孙子一人 as the head's death (its words tell the clerk to delete a living
household), and as the household's 低保 or 特困 a past one (老伴去年享受低保,今年取消), a relative's
(五保户的侄子: a relative named after the word) and one not applied for (低保未申请). What the try's county
wrote and was rightly left alone stays so, and the true readings (户主已于2019年9月病故, 含低保金) stay said.

A township ticking √ only for 是 had its 是否特困人员 column blank in every row (no 特困 household there):
that column was told 「该列整列未填写…请逐户填写是或否」 while its ticked neighbours got the ticks hint. On a
sheet whose other 是/否 columns are ticked only where they apply, a column nobody ticked is the same habit."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues

FIRST = 2  # the header is row 1
NOTES = [  # (备注, the code it gets on a household typed 否 否: None for none)
    # 1. a death word said of a person named after it by 的
    ("去世的儿子留下孙子一人", None), ("已故的父亲留下两间旧房", None),
    # 2. a past 低保, cancelled since
    ("老伴去年享受低保,今年取消", None), ("前年纳入低保,今年停保", None),
    # 3. a relative of a 特困人员 (五保户), named after the word
    ("五保户的侄子", None), ("特困人员的外甥,帮忙照顾", None),
    # 4. not applied for, not granted
    ("子女均在外地,低保未申请", None), ("低保没批", None),
    # rightly left alone by the try, and still
    ("2018年低保已退出", None), ("申请低保未批", None), ("曾是低保户,2017年清退", None), ("儿子一家已迁出", None),
    ("户主妻子已故", None), ("户主之父2019年病故", None), ("养的猪死了两头", None), ("非低保户", None), ("无低保", None),
    # true readings, still said
    ("户主已于2019年9月病故", "head_noted_deceased"), ("转移性收入含低保金2280元", "flag_notes_differ"),
    ("享受低保", "flag_notes_differ"), ("五保", "flag_notes_differ"), ("2019年纳入低保", "flag_notes_differ"),
    # a year alone ends nothing (joined last year, a 低保户 still), nor a clause after it of something else
    ("去年纳入低保", "flag_notes_differ"), ("享受低保,收入过低", "flag_notes_differ"),
]
NOTE_CODES = ["head_noted_deceased", "flag_notes_differ", "household_noted_left"]


@pytest.fixture(scope="module")
def noted(tmp_path_factory):
    """The issues of one township's sheet, each household typed 否 for 低保 and 特困, with one note each."""
    tmp = tmp_path_factory.mktemp("notes")
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id("19500101", serial=i + 1), 备注=note, 转移性收入=2400)
            for i, (note, _) in enumerate(NOTES)]
    path = write_workbook(tmp / "华家镇.xlsx", rows)
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp / "out"), "--year", "2019",
                                      "--as-of", "2019-12-01"])
    assert result.exit_code == 0, result.output
    issues = read_issues(tmp / "out" / "issues.csv")
    said = issues[issues["code"].isin(NOTE_CODES)]
    return {NOTES[int(row) - FIRST][0]: code for row, code in zip(said["row"], said["code"])}, said


def _said(noted, *notes) -> dict:
    got, _ = noted
    return {note: got.get(note) for note in notes}


def test_a_death_word_said_of_a_person_named_after_it_is_not_the_heads_death(noted):
    assert _said(noted, "去世的儿子留下孙子一人", "已故的父亲留下两间旧房") == dict.fromkeys(
        ["去世的儿子留下孙子一人", "已故的父亲留下两间旧房"])


def test_a_past_dibao_cancelled_since_is_not_the_households_dibao(noted):
    assert _said(noted, "老伴去年享受低保,今年取消", "前年纳入低保,今年停保") == dict.fromkeys(
        ["老伴去年享受低保,今年取消", "前年纳入低保,今年停保"])


def test_a_relative_named_after_the_word_is_not_the_household(noted):
    assert _said(noted, "五保户的侄子", "特困人员的外甥,帮忙照顾") == dict.fromkeys(
        ["五保户的侄子", "特困人员的外甥,帮忙照顾"])


def test_a_dibao_not_applied_for_is_not_the_households(noted):
    assert _said(noted, "子女均在外地,低保未申请", "低保没批") == dict.fromkeys(["子女均在外地,低保未申请", "低保没批"])


def test_the_notes_rightly_left_alone_stay_so_and_the_true_readings_stay_said(noted):
    got, said = noted
    assert got == {note: code for note, code in NOTES if code}, got
    assert len(said) == sum(1 for _, code in NOTES if code)
    dead = said[said["code"] == "head_noted_deceased"]
    assert "备注写着「户主已于2019年9月病故」" in dead["message"].iloc[0]
    flags = said[said["code"] == "flag_notes_differ"].set_index("row")
    assert flags.loc[str(FIRST + [n for n, _ in NOTES].index("五保")), "field"] == "is_tekun"
    assert flags.loc[str(FIRST + [n for n, _ in NOTES].index("享受低保")), "field"] == "is_dibao"


TEKUN = chr(ord("A") + HEADERS.index("是否特困人员"))


def _township(village: str, n: int, first: int, dibao, poor, tekun) -> list[dict]:
    return [household(**{"行政村": village, "户主姓名": f"{village}{i}", "户主身份证号": make_id(serial=first + i),
                         "是否低保户": dibao(i), "是否建档立卡贫困户": poor(i), "是否特困人员": tekun(i)})
            for i in range(n)]


def test_a_flag_column_nobody_ticked_beside_ticked_ones_gets_the_ticks_hint(tmp_path):
    # 秀水村 ticks √ for 是 only, and has no 特困 household: 是否特困人员 is blank in every row.
    ticked = _township("秀水村", 30, 100, lambda i: "√" if i < 3 else "", lambda i: "√" if i in (5, 6) else "",
                       lambda i: "")
    # 前岗村 writes 是 and 否 in its other columns and left 是否特困人员 empty: today's advice, to fill it in.
    written = _township("前岗村", 30, 200, lambda i: "是" if i < 3 else "否", lambda i: "否", lambda i: "")
    survey = write_workbook(tmp_path / "秀水镇.xlsx", {"秀水村": ticked, "前岗村": written})
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"), "--year", "2019",
                                      "--as-of", "2019-12-01"], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    ticked_finding = f"秀水镇.xlsx「秀水村」{TEKUN}列「是否特困人员」:漏填30行"
    written_finding = f"秀水镇.xlsx「前岗村」{TEKUN}列「是否特困人员」:漏填30行"
    assert ticked_finding in said and written_finding in said, said
    ticked_words = said.split(ticked_finding)[1].split("秀水镇.xlsx")[0]
    written_words = said.split(written_finding)[1].split("秀水镇.xlsx")[0]
    assert "只在「是」的户打了√或写了是" in ticked_words and "空格确实是「否」的无须修改" in ticked_words, ticked_words
    assert "整列未填写" not in ticked_words and "请逐户填写是或否" not in ticked_words, ticked_words
    assert "请逐户填写是或否" in written_words and "打了√" not in written_words, written_words
    # Row by row too: every blank 特困 cell of the ticked sheet in the ticks' words, none of the other's.
    issues = read_issues(tmp_path / "out" / "issues.csv")
    blanks = issues[issues["code"].eq("missing_value") & issues["field"].eq("is_tekun")]
    words = {sheet: list(m) for sheet, m in blanks.groupby("sheet")["message"]}
    assert len(words["秀水村"]) == 30 and all("无须修改" in m for m in words["秀水村"]), words
    assert len(words["前岗村"]) == 30 and not any("无须修改" in m for m in words["前岗村"]), words
