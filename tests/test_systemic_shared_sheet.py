"""Systemic findings on a township's sheet that two villages share.

An outside try (合隆镇, its sheet 「新立、太平」: 新立村 rows 5-129 by 填表人 孙桂兰, 太平村 rows 135-259 by 周国富):
1. 新立村 left 是否建档立卡贫困户 blank on every row, 太平村 filled it on every row. The finding was the sheet's
   (「漏填 125 行,占本表 250 户的 50%…可能原因:该列整列未填写」): it named neither the village nor its
   enumerator, and the column was not empty. Rows that are all one village's block are that village's
   finding, with its enumerator; a column blank across the villages stays the sheet's.
2. 太平村's 乡(镇) was typed only on its first row (B135) and left blank below. The finding said 「漏填 124 行,
   占该村 124 户的 100%…该村这一列都没有填写」, though the village has 125 households and B135 is filled:
   it now says the place typed once and the cells to fill down."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import household, make_id, write_workbook

runner = CliRunner()
SHEET = "新立、太平"
PER_VILLAGE = 25


def _villages(xinli: dict | None = None, taiping: dict | None = None, taiping_first: dict | None = None) -> list[dict]:
    """新立村 (孙桂兰, Excel rows 2-26) above 太平村 (周国富, rows 27-51), each household clean unless the
    overrides say otherwise (`taiping_first`: 太平村's first row's own)."""
    rows = []
    for i in range(PER_VILLAGE):
        rows.append(household(行政村="新立村", 户主姓名=f"新{i}", 户主身份证号=make_id(serial=100 + i), 填表人="孙桂兰",
                              **(xinli or {})))
    for i in range(PER_VILLAGE):
        own = {**(taiping or {}), **((taiping_first or {}) if i == 0 else {})}
        rows.append(household(行政村="太平村", 户主姓名=f"太{i}", 户主身份证号=make_id(serial=200 + i), 填表人="周国富",
                              **own))
    return rows


def _check(tmp_path, rows, *more) -> str:
    path = write_workbook(tmp_path / "合隆镇.xlsx", {SHEET: rows}, more=["填表人"])
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01", *more],
                         env={"COLUMNS": "200"})
    assert done.exit_code in (0, 1), done.output
    assert (tmp_path / "report" / "check.json").exists(), done.output
    return re.sub(r"\s+", "", done.output)


def test_a_column_one_village_left_blank_is_that_villages_finding_with_its_enumerator(tmp_path):
    said = _check(tmp_path, _villages(xinli={"是否建档立卡贫困户": None}))
    # The village and the one who filled its rows are named, its own households the base, its own words.
    assert "新立村(填表人孙桂兰)U列「是否建档立卡贫困户」:漏填25行,占该村25户的100%(第2-26行)" in said, said
    assert "该村这一列都没有填写" in said, said
    # Not the sheet's: the column is filled on every row of 太平村.
    assert "占本表50户" not in said and "该列整列未填写" not in said, said


def test_in_english_the_village_is_named_too(tmp_path):
    said = _check(tmp_path, _villages(xinli={"是否建档立卡贫困户": None}), "--lang", "en")
    assert "新立村(enumerator孙桂兰),columnU(是否建档立卡贫困户)" in said and "ofthevillage's25households" in said, said
    assert "ofthesheet's50households" not in said, said


def test_a_column_blank_across_both_villages_stays_the_sheets_finding(tmp_path):
    blank = {"是否建档立卡贫困户": None}
    said = _check(tmp_path, _villages(xinli=blank, taiping=blank))
    assert "U列「是否建档立卡贫困户」:漏填50行,占本表50户的100%(第2-51行)" in said, said
    assert "该列整列未填写" in said and "占该村" not in said, said


def test_a_township_typed_once_atop_its_village_says_where_and_what_to_fill_down(tmp_path):
    # 太平村's 乡(镇) typed on its first row (A27) only; 新立村's on every row.
    said = _check(tmp_path, _villages(taiping={"乡(镇)": None}, taiping_first={"乡(镇)": "合隆镇"}))
    # Its place as typed above, its 25 households (the typed row counted), and the cells to fill down.
    assert "合隆镇太平村(填表人周国富)A列「乡(镇)」:漏填24行,占该村25户的96%(第28-51行)" in said, said
    assert "只在第27行填了「合隆镇」,下面24行空着:请选中A27:A51向下填充(Excel、WPS:Ctrl+D)" in said, said
    assert "该村这一列都没有填写" not in said and "占该村24户" not in said, said


def test_a_township_typed_once_in_english(tmp_path):
    said = _check(tmp_path, _villages(taiping={"乡(镇)": None}, taiping_first={"乡(镇)": "合隆镇"}), "--lang", "en")
    assert "ofthevillage's25households" in said, said
    assert "Only row 27 says「合隆镇」; the 24 rows below are blank: select A27:A51 and fill down" \
        .replace(" ", "") in said, said


def test_a_village_with_no_township_typed_under_another_village_is_not_told_to_fill_down(tmp_path):
    # 太平村 left 乡(镇) blank on every row, under 新立村's rows: the row above is another village's.
    said = _check(tmp_path, _villages(taiping={"乡(镇)": None}))
    assert "太平村(填表人周国富)A列「乡(镇)」:漏填25行,占该村25户的100%(第27-51行)" in said, said
    assert "向下填充(Excel、WPS:Ctrl+D)" not in said, said
