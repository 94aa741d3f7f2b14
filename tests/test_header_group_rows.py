"""A printed form's header of three rows whose middle row names the income group as 家庭收入情况 (or
收入情况): 家庭收支情况 over 家庭收入情况 over 工资性收入 | 经营性收入 | … | 合计, with the expenses
alike, a units row (人 / 元) under it, a title and a 填报单位 line above. Found by an outside try:
with the 填报单位 line the units row was read as a household (a sixth, invalid, on the village's
list); without it the title was taken as a fourth header row and the form refused, saying falsely
that its title names no village. 家庭总收入 in the middle read right."""

from __future__ import annotations

import openpyxl
import pytest

from field_builders import households
from field_checks import invoke, ledger

PEOPLE = households(5, first_serial=700)
TOP = ["序号", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话", "家庭人口数", "家庭常住人口数"]
INCOME = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入"]
COSTS = ["家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]
FLAGS = ["是否低保户", "是否特困人员", "是否建档立卡贫困户"]


def _form(path, income_group: str, fill_line: bool, units: bool):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "农安县合隆镇前岗村贫困边缘户入户登记表"
    ws.merge_cells("A1:T1")
    top = 2
    if fill_line:
        ws["A2"] = "填报单位:前岗村村民委员会(盖章)        填报日期:2019年12月20日"
        ws.merge_cells("A2:T2")
        top = 3
    last = top + 2
    for c, text in enumerate(TOP, start=1):
        ws.cell(top, c, text)
        ws.merge_cells(start_row=top, start_column=c, end_row=last, end_column=c)
    ws.cell(top, 9, "家庭收支情况")
    ws.merge_cells(start_row=top, start_column=9, end_row=top, end_column=17)
    ws.cell(top + 1, 9, income_group)
    ws.merge_cells(start_row=top + 1, start_column=9, end_row=top + 1, end_column=13)
    ws.cell(top + 1, 14, "家庭生产经营性支出")
    ws.merge_cells(start_row=top + 1, start_column=14, end_row=top + 1, end_column=17)
    for c, text in enumerate([*INCOME, "合计", *COSTS, "合计"], start=9):
        ws.cell(last, c, text)
    for c, text in enumerate(FLAGS, start=18):
        ws.cell(top, c, text)
        ws.merge_cells(start_row=top, start_column=c, end_row=last, end_column=c)
    if units:
        for c, unit in enumerate(["人", "人", *["元"] * 9], start=7):
            ws.cell(last + 1, c, unit)
    for n, p in enumerate(PEOPLE, start=1):
        ws.append([n, p["村民小组"], p["户编号"], p["户主姓名"], p["户主身份证号"], p["联系电话"], p["家庭人口数"],
                   p["家庭常住人口数"], *[p[h] for h in INCOME], p["家庭总收入"], *[p[h] for h in COSTS],
                   p["家庭生产经营性支出"], *[p[h] for h in FLAGS]])
    wb.save(path)
    return path


@pytest.mark.parametrize("income_group", ["家庭收入情况", "收入情况", "家庭总收入"])
@pytest.mark.parametrize("fill_line", [True, False], ids=["填报单位", "title only"])
def test_a_three_row_header_with_a_units_row_reads_the_households_it_holds(tmp_path, income_group, fill_line):
    path = _form(tmp_path / "前岗村.xlsx", income_group, fill_line, units=True)
    result = invoke("screen", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    read = ledger(tmp_path / "out")
    assert list(read["head_name"]) == [p["户主姓名"] for p in PEOPLE]
    assert set(read["status"]) == {"candidate"} and set(read["village"]) == {"前岗村"}
