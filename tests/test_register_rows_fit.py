"""Rows of the register's workbooks as tall as their text (printed-pages try, 2026-12-04): the 各户
sheet of `register trend` set no height, and a 村民小组 of 12 characters or a name with · overprinted
the rows above and below; changes.xlsx sized its rows by the note alone, and cut the same cells."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import register_everyone, run, survey
from edgescreen.outputs.xlsx import printed_height, printed_lines

LONG_GROUP = "新立屯村第十二村民小组东大院"
LONG_NAME = "阿依古丽·买买提明"


def people(wage_2020: bool = False) -> list[dict]:
    return [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": LONG_GROUP if k == 0 else "一组",
             "户主姓名": LONG_NAME if k == 0 else f"户{k}", "户主身份证号": make_id(serial=900 + k),
             "户编号": f"HB{k}", "工资性收入": 10300 if wage_2020 else 10000} for k in range(3)]


def _height_of(path, sheet: str, text: str) -> tuple[float | None, int]:
    """The row height set on the row holding `text`, and the width of the column it is in."""
    ws = openpyxl.load_workbook(path)[sheet]
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                width = ws.column_dimensions[cell.column_letter].width
                return ws.row_dimensions[cell.row].height, width
    raise AssertionError(f"{text} not on {sheet}")


def test_trend_and_changes_rows_hold_a_long_group_and_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, people())
    run("screen", survey(tmp_path / "2020.xlsx", people(True)), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    trend = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", trend)
    for path, sheet in ((trend, "各户"), (tmp_path / "out2020" / "changes.xlsx", "变动名单")):
        for text in (LONG_GROUP, LONG_NAME):
            height, width = _height_of(path, sheet, text)
            needed = float(printed_height(printed_lines([text], width - 0.71, 10), 10)[0])
            assert height is not None and height >= needed, (sheet, text, height, needed)
