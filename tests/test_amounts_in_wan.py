"""A sheet that gives its amounts in 万元 (outside tester, 2026-12-02): 家庭总收入(万元) with 1.5 in it
was read as 1.50 yuan, and every household of the sheet went below the line with no more than a
warning. The unit is taken from the header, or from a 单位:万元 line above the table; a cell that
says 元 or 万 itself is read as it says."""

from __future__ import annotations

import openpyxl

from field_checks import invoke, issues, ledger, screen
from survey_builders import make_id


def sheet(path, header: list[str], rows: list[list], above: list[list] = ()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合隆镇"
    for line in above:
        ws.append(line)
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


HEAD = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数"]
FLAGS = ["是否低保户", "是否特困人员"]


def person(name: str, serial: int) -> list:
    return ["合隆镇", "前岗村", name, make_id("19700101", serial=serial)]


def test_totals_headed_in_wan(tmp_path):
    path = sheet(tmp_path / "万元.xlsx", HEAD + ["家庭总收入(万元)", "家庭生产经营性支出(万元)", *FLAGS],
                 [person("张三", 1) + [3, 1.5, 0.3, "否", "否"],
                  person("李四", 3) + [4, 2.0, 0.6, "否", "否"],
                  person("王五", 5) + [1, "0.35", "-", "否", "否"],
                  person("赵六", 7) + [2, "7000元", "1,200元", "否", "否"]])
    out = tmp_path / "out"
    done = screen(path, "-o", out)
    assert done.exit_code == 0, done.output
    decided = ledger(out).set_index("head_name")
    assert decided["per_capita_income"].to_dict() == {"张三": "4000.00", "李四": "3500.00", "王五": "3500.00",
                                                     "赵六": "2900.00"}
    assert decided["status"].to_dict() == {"张三": "above_limit", "李四": "candidate", "王五": "candidate",
                                           "赵六": "below_line"}
    assert issues(out).empty  # no "typed in 万元?" warning: it was read as 万元
    said = "".join(done.output.split())
    assert "金额以万元填写(「家庭总收入(万元)」),家庭总收入、家庭生产经营性支出已按万元换算为元" in said
    checked = invoke("check", path, "-o", tmp_path / "report")
    assert "已按万元换算为元(如1.5即15000元)" in "".join(checked.output.split())


def test_a_unit_line_above_the_table_and_a_header_that_says_yuan(tmp_path):
    components = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入(元)", "家庭生产经营性支出"]
    path = sheet(tmp_path / "单位.xlsx", HEAD + components + FLAGS,
                 [person("张三", 11) + [3, 1.0, 0.2, 0, 300, 0.12, "否", "否"]],
                 above=[["合隆镇贫困边缘户入户登记表"], ["填报单位:合隆镇", None, None, "金额单位:万元"]])
    out = tmp_path / "out"
    done = screen(path, "-o", out)
    assert done.exit_code == 0, done.output
    row = ledger(out).iloc[0]
    # 10,000 + 2,000 + 0 + 300 yuan (its own header says 元) − 1,200 = 11,100 over 3
    assert (row["total_income"], row["net_income"], row["per_capita_income"]) == ("12300.00", "11100.00", "3700.00")


def test_a_sheet_in_yuan_is_read_in_yuan(tmp_path):
    path = sheet(tmp_path / "元.xlsx", HEAD + ["家庭总收入(元)", "家庭生产经营性支出(元)", *FLAGS],
                 [person("张三", 21) + [3, 12000, 0, "否", "否"]], above=[["金额单位:元"]])
    out = tmp_path / "out"
    assert screen(path, "-o", out).exit_code == 0
    assert ledger(out)["per_capita_income"].tolist() == ["4000.00"]


def test_explain_marks_the_cells_read_in_wan(tmp_path):
    """explain printed 1.5 → 15000.00 with no word of the unit: read aloud, the ×10,000 looked like a
    slip (an outside try). Each cell read in 万元 says so, and a line says why."""
    path = sheet(tmp_path / "万元.xlsx", HEAD + ["家庭总收入(万元)", "家庭生产经营性支出(万元)", *FLAGS],
                 [person("张三", 1) + [3, 1.5, 0.3, "否", "否"]])
    said = invoke("explain", path, "--name", "张三").output
    assert "1.5 万元  →  15000.00" in said and "单位为万元" in said, said
    plain = sheet(tmp_path / "元.xlsx", HEAD + ["家庭总收入", "家庭生产经营性支出", *FLAGS],
                  [person("李四", 3) + [3, 15000, 3000, "否", "否"]])
    said = invoke("explain", plain, "--name", "李四").output
    assert "万元" not in said, said


def test_a_total_read_in_wan_that_disagrees_says_its_unit(tmp_path):
    """'为 1.21,而各项收入之和为 12000.00' on a 万元 sheet read as 1.21 yuan against 12,000 (an outside
    try of explain): the total read in 万元 now says so, with its yuan."""
    money = ["工资性收入(万元)", "家庭经营收入(万元)", "家庭总收入(万元)", "家庭生产经营性支出(万元)"]
    path = sheet(tmp_path / "万元.xlsx", HEAD + money + FLAGS,
                 [person("张三", 1) + [3, 1, 0.2, 1.21, 0.1, "否", "否"],
                  person("李四", 3) + [3, 1, 0.2, 1.2, 0.1, "否", "否"]])
    out = tmp_path / "out"
    assert screen(path, "-o", out).exit_code == 0
    found = issues(out)
    message = found.loc[found["code"] == "total_income_mismatch", "message"].tolist()
    assert message == ["第2行 H列「家庭总收入(万元)」为 1.21 万元(12100.00 元),而各项收入之和为 12000.00 元,相差超过 1 元"], \
        message
