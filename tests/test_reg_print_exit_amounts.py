"""An exit's per-capita income may run to seven digits (a 征地补偿 as 财产性收入): the exit documents'
money column holds it as printed (### otherwise), and the list still prints one page wide."""
from __future__ import annotations

import openpyxl
from openpyxl.utils import get_column_letter

from survey_builders import make_id
from years_builders import register_everyone, run, survey
from edgescreen.outputs.xlsx import column_points, line_width, page_body

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
RICH, OTHER = make_id(birth="19700101", serial=301), make_id(birth="19710202", serial=302)


def test_a_seven_digit_per_capita_income_prints_whole_on_the_exit_review(tmp_path):
    people = [{**VILLAGE, "户主姓名": "马金", "户主身份证号": RICH, "户编号": "HB1"},
              {**VILLAGE, "户主姓名": "户二", "户主身份证号": OTHER, "户编号": "HB2"}]
    db = register_everyone(tmp_path, people)
    # 2020: 马金 now a 低保 (an exit whatever the income) with 12,800,000 of compensation: 4,270,000.00 each.
    source = survey(tmp_path / "2020.xlsx", [{**people[0], "是否低保户": "是", "财产性收入": 12_800_000},
                                              {**people[1], "工资性收入": 10500}])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = next((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    ws = openpyxl.load_workbook(review).worksheets[0]
    header = next(r for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))
    col = next(c.column for c in header if c.value == "人均纯收入(元)")
    amounts = [ws.cell(r, col).value for r in range(header[0].row + 1, ws.max_row + 1)
               if isinstance(ws.cell(r, col).value, (int, float))]
    assert max(amounts) == 4_270_000.0  # printed with two decimals by the cell's format
    width = ws.column_dimensions[get_column_letter(col)].width
    assert width >= line_width("4270000.00 ", 11), width
    # One page wide: the columns at the print scale fit the landscape page.
    widths = [ws.column_dimensions[get_column_letter(c.column)].width for c in header]
    assert sum(column_points(w - 0.71) for w in widths) * (ws.page_setup.scale or 100) / 100 <= page_body(True)[0]
