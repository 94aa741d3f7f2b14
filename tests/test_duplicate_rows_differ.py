"""One head's ID on two rows whose figures differ: an old row struck through with its corrected copy
typed below it (备注 已更正, wages 2,400 more), or a household added again below the 合计 row with wages
1,000 apart. Both rows were told only 「请核对后删去重复的那一行(只删一行)」, with nothing saying
that the figures differ or which row was corrected, so a clerk could delete the corrected one (an
outside try, 2026-12-06). The message now says the fields that differ with both rows' values, and
which row to keep: the one whose 备注 says it was corrected, else the one with the checked figures.
The household stays an error until a row is deleted (domain §6)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.styles import Font
from pydantic import ValidationError
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv, write_workbook
from edgescreen.catalogue import NoteWords
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def _said(tmp_path, *paths, lang: str = "zh"):
    """Run check on the files; the duplicate_household messages by (file, Excel row)."""
    out = tmp_path / f"out-{lang}"
    result = CliRunner().invoke(app, ["check", *map(str, paths), "-o", str(out), "--lang", lang])
    assert result.exit_code == 1, result.output  # still an error: the household stands twice
    issues = read_issues(out / "issues.csv")
    dup = issues[issues["code"] == "duplicate_household"].astype({"row": int})
    assert set(dup["severity"]) == {"error"}
    return dup.set_index(["source_file", "row"])["message"]


def _strike(path, row: int) -> None:
    """Strike the whole Excel row through, as a clerk "deletes" an old row."""
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for column in range(1, len(HEADERS) + 1):
        ws.cell(row, column).font = Font(strike=True)
    wb.save(path)


def test_an_old_row_and_its_corrected_copy_say_the_figures_and_keep_the_corrected_one(tmp_path):
    head = make_id("19630315", serial=338)
    old = household(户主姓名="杨志强", 户主身份证号=head, 工资性收入=12000)
    new = dict(household(户主姓名="杨志强", 户主身份证号=head, 工资性收入=14400), 备注="已更正")
    path = write_workbook(tmp_path / "杨树林乡.xlsx", [household(户主姓名="别人"), old, new])
    _strike(path, 3)
    said = _said(tmp_path, path)
    old_said, new_said = said[("杨树林乡.xlsx", 3)], said[("杨树林乡.xlsx", 4)]
    for message in (old_said, new_said):  # both rows' messages read the figures alike, in the sheet's order
        assert "两行的数字不同:工资性收入 第3行 12000.00 元、第4行 14400.00 元;" \
               "家庭总收入 第3行 12000.00 元、第4行 14400.00 元。" in message, message
        assert "删去重复的那一行" not in message, message
    assert "另一行的备注写着「已更正」,是更正过的一行" in old_said and "删去这一行" in old_said, old_said
    assert "不要删去那一行" in old_said, old_said
    assert "这一行的备注写着「已更正」,是更正过的一行" in new_said and "请留下这一行" in new_said, new_said
    english = _said(tmp_path, path, lang="en")[("杨树林乡.xlsx", 3)]
    assert "the two rows' figures differ: 工资性收入 12000.00 yuan on row 3, 14400.00 yuan on row 4" \
        in english, english
    assert "the other row's 备注 says “已更正”, the corrected row" in english, english


def test_a_household_added_again_below_with_other_wages_keeps_the_checked_figures(tmp_path):
    late, twice = make_id("19600608", serial=596), make_id("19830707", serial=511)
    rows = [household(户主姓名="夏红梅", 户主身份证号=late, 工资性收入=0, 家庭经营收入=11579),
            household(户主姓名="许丽华", 户主身份证号=twice),
            household(户主姓名="夏红梅", 户主身份证号=late, 工资性收入=1000, 家庭经营收入=11579),
            household(户主姓名="许丽华", 户主身份证号=twice)]
    said = _said(tmp_path, write_workbook(tmp_path / "开安镇.xlsx", rows))
    for row in (2, 4):
        message = said[("开安镇.xlsx", row)]
        assert "工资性收入 第2行 0.00 元、第4行 1000.00 元;家庭总收入 第2行 11579.00 元、第4行 12579.00 元。" \
            in message, message
        assert "留下数字填对的那一行,删去另一行(只删一行,不要都删)" in message, message
    # A row pasted twice as it was: the usual words, no figures.
    for row in (3, 5):
        message = said[("开安镇.xlsx", row)]
        assert "请核对后删去重复的那一行(只删一行)" in message and "数字不同" not in message, message


def test_counts_and_yes_no_differ_too_and_past_three_fields_are_counted(tmp_path):
    head = make_id("19700101", serial=121)
    rows = [household(户主身份证号=head, 家庭常住人口数=3, 工资性收入=8000, 财产性收入=0, 是否低保户="否"),
            household(户主身份证号=head, 家庭常住人口数=2, 工资性收入=9000, 财产性收入=300, 是否低保户="是")]
    message = _said(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", rows))[("合隆镇.xlsx", 2)]
    assert "家庭常住人口数 第2行 3、第3行 2;工资性收入 第2行 8000.00 元、第3行 9000.00 元;" \
           "财产性收入 第2行 0.00 元、第3行 300.00 元;另有 2 项也不同。" in message, message


def test_two_names_are_two_households_whatever_the_figures(tmp_path):
    head = make_id("19700101", serial=131)
    rows = [household(户主姓名="张三", 户主身份证号=head, 工资性收入=8000),
            household(户主姓名="李四", 户主身份证号=head, 工资性收入=9000, 备注="已更正")]
    message = _said(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", rows))[("合隆镇.xlsx", 2)]
    assert "两行的户主姓名不同" in message and "不要删行" in message, message
    assert "数字不同" not in message and "更正过的" not in message, message


def test_a_note_voiding_the_old_row_keeps_this_one_and_says_not_that_the_household_left(tmp_path):
    # A review, 2026-12-06: 原表作废,以此为准 was said both as the corrected row to keep and as the household
    # gone (household_noted_left): 原表作废 is the old row's void, not this household's.
    head = make_id("19700101", serial=161)
    rows = [household(户主身份证号=head, 工资性收入=8000),
            household(户主身份证号=head, 工资性收入=9000, 备注="原表作废,以此为准")]
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    said = _said(tmp_path, path)
    assert "这一行的备注写着「原表作废,以此为准」,是更正过的一行" in said[("合隆镇.xlsx", 3)], said[("合隆镇.xlsx", 3)]
    assert "另一行的备注写着「原表作废,以此为准」" in said[("合隆镇.xlsx", 2)], said[("合隆镇.xlsx", 2)]
    issues = read_issues(tmp_path / "out-zh" / "issues.csv")
    assert not issues["code"].eq("household_noted_left").any(), issues["message"].tolist()


def test_a_note_that_the_row_is_still_to_correct_names_no_row(tmp_path):
    head = make_id("19700101", serial=141)
    rows = [household(户主身份证号=head, 工资性收入=8000, 备注="数据有误,需修改"),
            household(户主身份证号=head, 工资性收入=9000)]
    message = _said(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", rows))[("合隆镇.xlsx", 2)]
    assert "工资性收入 第2行 8000.00 元、第3行 9000.00 元" in message and "更正过的" not in message, message
    assert "留下数字填对的那一行" in message, message


def test_a_total_left_blank_is_its_components_sum_not_a_difference(tmp_path):
    head = make_id("19700101", serial=151)
    rows = [household(户主身份证号=head, 家庭总收入=""), household(户主身份证号=head)]
    message = _said(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", rows))[("合隆镇.xlsx", 2)]
    assert "数字不同" not in message and "请核对后删去重复的那一行" in message, message


def test_rows_of_two_files_and_two_villages_say_this_row_and_the_other(tmp_path):
    head = make_id("19790420", serial=582)
    a = write_workbook(tmp_path / "合隆镇.xlsx", [household(行政村="新立村", 户主姓名="刘玉兰", 户主身份证号=head,
                                                          工资性收入=6000)])
    b = write_csv(tmp_path / "合隆镇补.csv", [household(行政村="东升村", 户主姓名="刘玉兰", 户主身份证号=head,
                                                      工资性收入=6500)])
    said = _said(tmp_path, a, b)
    message = said[("合隆镇.xlsx", 2)]
    assert "工资性收入 这一行 6000.00 元、另一行 6500.00 元" in message, message
    assert "留下该户实际居住的村那一行" in message and "留下的那一行,数字须是核实过的" in message, message
    assert "工资性收入 这一行 6500.00 元、另一行 6000.00 元" in said[("合隆镇补.csv", 2)]


def test_corrected_words_are_checked_as_loaded():
    assert NoteWords(corrected=("已更正",), clause_marks=",").row_corrected("核实,已更正")
    assert not NoteWords(corrected=("更正",), corrected_negations_before=("未",)).row_corrected("未更正")
    with pytest.raises(ValidationError):
        NoteWords(corrected=("已 更正",))
