"""The 疑点 column as a village committee reads it, end to end through `edgescreen screen` on workbooks
built here. An outside try found: the real doubt said last behind three blank yes/no cells (常住 4 > 家庭人口 2);
a 常住人口 typed 14 marked 「家庭人口数偏大」, the field it is not on; a village that leaves its incomes blank,
a real wage left blank hiding among them, with nothing on its list; and long marks wrapping to 5-8 lines.
Now the most serious doubts come first (their order in outputs.toml), a check names its own column, a
whole-column or whole-village blank read as 0 that decides households is one line above the list, and a
cell says at most three doubts, then 「等 N 项」."""

from __future__ import annotations

from survey_builders import household, make_id
from test_village_list_doubts import DOUBTS, by_name, clean_village, listed, screen, sheet

SEP = "、"


def cell(out, name, sheet_name="sheet_candidates", village="合隆镇-前岗村.xlsx"):
    return by_name(listed(sheet(out, sheet_name, village))[2])[name][DOUBTS]


def test_the_real_doubt_comes_before_blank_yes_no_cells(tmp_path):
    rows = [household(户主姓名="多常住", 户主身份证号=make_id("19600101"), 工资性收入=13200, 家庭人口数=2,
                      家庭常住人口数=4, 是否低保户="", 是否特困人员=""),
            household(户主姓名="清白甲", 户主身份证号=make_id("19610101"), 工资性收入=9900)]
    out = screen(tmp_path, rows)
    assert cell(out, "多常住") == SEP.join(["常住人口多于家庭人口", "是否低保户未填", "是否特困人员未填"])


def test_a_doubt_names_the_field_it_is_on(tmp_path):
    """常住人口 typed 14 (for 4): the mark names 家庭常住人口数, not 家庭人口数."""
    rows = [household(户主姓名="十四人", 户主身份证号=make_id("19600101"), 工资性收入=10000, 家庭人口数=4,
                      家庭常住人口数=14),
            household(户主姓名="清白甲", 户主身份证号=make_id("19610101"), 工资性收入=9900)]
    out = screen(tmp_path, rows)
    doubts = cell(out, "十四人", "sheet_below_line").split(SEP)
    assert "家庭常住人口数偏大" in doubts, doubts
    assert "家庭人口数偏大" not in doubts, doubts


def test_a_column_left_blank_that_decides_is_one_line_above_the_list(tmp_path):
    """财产性收入 blank on all 24 rows of 前岗村 (read as 0, the candidates decided on it): no household
    marked, one line above each list; 三宝村, which typed its 0s, says nothing of it."""
    rows = [household(户主姓名=f"户主{i:02d}", 户主身份证号=make_id(f"1960{i % 12 + 1:02d}01", serial=i),
                      工资性收入=9700 + 50 * i, 财产性收入="") for i in range(24)]
    out = screen(tmp_path, rows + clean_village())
    lines, headers, listed_rows = listed(sheet(out, "sheet_candidates"))
    said = [line for line in lines if line and line.startswith("本村有")]
    assert said == ["本村有 24 户的收入空格按 0 计算(整村或整列的金额没有填写),其中可能有漏填的收入:请在评议前"
                    "逐户核实(详见县里的数据质量报告)。"], lines
    assert DOUBTS not in headers, "no household marked for the column's blanks"
    below_lines = listed(sheet(out, "sheet_below_line"))[0]
    assert said[0] in below_lines
    other = listed(sheet(out, "sheet_candidates", "烧锅镇-三宝村.xlsx"))[0]
    assert not any(line and line.startswith("本村有") for line in other), other


def test_at_most_three_doubts_then_how_many(tmp_path):
    rows = [household(户主姓名="五疑", 户主身份证号=make_id("19600101"), 工资性收入=10500, 备注="户主已故",
                      生产性固定资产折旧="", 是否低保户="", 是否特困人员="", 是否建档立卡贫困户=""),
            household(户主姓名="清白甲", 户主身份证号=make_id("19610101"), 工资性收入=9900)]
    out = screen(tmp_path, rows)
    doubts = cell(out, "五疑")
    assert doubts.endswith("等 5 项"), doubts
    shown = doubts.removesuffix("等 5 项").split(SEP)
    assert len(shown) == 3 and shown[0] == "备注写户主已故", shown
