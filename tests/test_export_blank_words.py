"""An export's word for a cell left blank (a database's NULL, 问卷星's (跳过)) is read as a blank cell is,
said as what the cell held; an Excel error value (#N/A) stays an error. `check` says a workbook's formula
cells without a saved value as `screen` does, a few and how many, and its whole-column findings say why.
The village lists show a form's multiple choice (因残┋因学) as a list, and (跳过) as a blank. End to end,
through the command line, on files built here."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import xlsxwriter
from typer.testing import CliRunner

from field_builders import households
from survey_builders import EXPENSES, HEADERS, INCOME, household, make_id, write_csv, write_workbook
from edgescreen.catalogue import messages
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()


def _screen(tmp_path: Path, path: Path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return read_ledger(out / "decisions.csv"), read_issues(out / "issues.csv"), " ".join(result.output.split()), out


def _letter(header: str) -> str:
    return chr(65 + HEADERS.index(header))


def test_a_database_exports_null_amounts_read_as_blank_with_the_blank_warning_naming_the_cell(tmp_path):
    # Row 2: NULL for property income and two costs (a database's blank); row 3: null, written small;
    # row 4: #N/A, what Excel writes to a CSV for a formula that failed: an error, not a blank.
    rows = [household(**{"户主姓名": "甲", "户主身份证号": make_id(serial=11), "财产性收入": "NULL",
                         "生产性固定资产折旧": "NULL", "税金和上交承包费用": "NULL", "家庭总收入": "",
                         "家庭生产经营性支出": ""}),
            household(**{"户主姓名": "乙", "户主身份证号": make_id(serial=12), "转移性收入": " null ",
                         "家庭总收入": "", "家庭生产经营性支出": ""}),
            household(**{"户主姓名": "丙", "户主身份证号": make_id(serial=13), "财产性收入": "#N/A",
                         "家庭总收入": "", "家庭生产经营性支出": ""})]
    ledger, issues, _, _ = _screen(tmp_path, write_csv(tmp_path / "巴吉垒镇-数据库导出.csv", rows))
    status = dict(zip(ledger["head_name"], ledger["status"]))
    # 10,000 of wages over 3: a candidate, its NULLs 0 yuan.
    assert status["甲"] == "candidate" and status["乙"] == "candidate"
    assert status["丙"] == "invalid"
    nulls = issues[issues["head_name"] == "甲"].set_index("field")
    assert set(nulls.index) == {"property_income", "depreciation", "taxes_fees"}
    assert (nulls["code"] == "missing_value").all() and (nulls["severity"] == "warning").all()
    said = nulls.loc["property_income"]
    assert said["cell"] == f"{_letter('财产性收入')}2" and said["value"] == "NULL"
    assert said["message"] == (f"第2行 {_letter('财产性收入')}列「财产性收入」为空:格中是「NULL」"
                               "(导出的数据对未填项的写法),按空格读取:按 0 元计算,请核实")
    small = issues[issues["head_name"] == "乙"]
    assert small["code"].tolist() == ["missing_value"] and "格中是「null」" in small["message"].iloc[0]
    failed = issues[issues["head_name"] == "丙"]
    assert failed["code"].tolist() == ["not_a_number"] and failed["severity"].tolist() == ["error"]


def test_null_components_beside_a_total_given_leave_the_total_to_decide(tmp_path):
    # The total typed and every component NULL: the total alone decides, as with blank components
    # (not a sum of 0 that disagrees with it).
    parts = {name: "NULL" for name in INCOME + EXPENSES}
    rows = [household(**{**parts, "家庭总收入": 10000, "家庭生产经营性支出": 0})]
    ledger, issues, _, _ = _screen(tmp_path, write_csv(tmp_path / "合计.csv", rows))
    assert ledger["status"].tolist() == ["candidate"]
    assert "total_income_mismatch" not in set(issues["code"]) and "not_a_number" not in set(issues["code"])


def _form_export(path: Path, rows: list[list]) -> Path:
    """A 问卷星 export: its question texts as headers, (跳过) for a question skipped, ┋ between the
    choices of a multiple choice."""
    header = ["序号", "1. 您所在的乡镇", "2. 所在村", "3. 户主姓名", "4. 户主身份证号码", "5. 家庭人口数（人）",
              "6. 家庭常住人口数", "7. 工资性收入（元）", "8. 家庭经营收入（元）", "9. 财产性收入（元）",
              "10. 转移性收入（元）", "11. 家庭经营费用支出（元）", "12. 生产性固定资产折旧（元）",
              "13. 税金和上交承包费用（元）", "14. 是否低保户", "15. 是否特困人员", "16. 主要困难"]
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("Sheet1")
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            (ws.write_number if isinstance(value, (int, float)) else ws.write_string)(r, c, value)
    book.close()
    return path


def test_a_forms_skipped_amounts_are_blank_and_its_choices_listed_in_the_village_list(tmp_path):
    rows = [[1, "前岗乡", "前岗村", "甲", make_id(serial=21), 3, 3, 10000, "(跳过)", "（跳过）", 0, "(跳过)",
             "(跳过)", "(跳过)", "否", "否", "因残┋因学"],
            [2, "前岗乡", "前岗村", "乙", make_id(serial=22), 3, 3, 10200, 0, 0, 0, 0, 0, 0, "否", "否", "(跳过)"]]
    ledger, issues, _, out = _screen(tmp_path, _form_export(tmp_path / "前岗乡-问卷星.xlsx", rows))
    assert ledger["status"].tolist() == ["candidate", "candidate"]
    skipped = issues[issues["head_name"] == "甲"]
    assert set(skipped["code"]) == {"missing_value"} and (skipped["severity"] == "warning").all()
    assert len(skipped) == 5  # the five (跳过) amounts, each named by its cell
    assert "I2" in set(skipped["cell"]) and "J2" in set(skipped["cell"])
    assert all("为空:格中是「(跳过)」" in m or "为空:格中是「（跳过）」" in m for m in skipped["message"])
    assert "not_a_number" not in set(issues["code"])
    sheet = openpyxl.load_workbook(out / "villages" / "前岗乡-前岗村.xlsx")[messages().labels["sheet_candidates"]("zh")]
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "序号")
    headers = [c.value for c in sheet[header]]
    at = headers.index("主要困难")
    shown = {row[2].value: row[at].value for row in sheet.iter_rows(min_row=header + 1) if row[2].value in ("甲", "乙")}
    assert shown == {"甲": "因残、因学", "乙": None}


def test_check_says_a_few_of_many_formula_cells_without_a_value_and_why_the_columns(tmp_path):
    # A workbook written by a program (every amount a formula, no value saved, marked for recalculation).
    path = tmp_path / "永安乡-公式.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("永安乡")
    ws.write_row(0, 0, HEADERS)
    amounts = set(INCOME + EXPENSES)
    for r, record in enumerate(households(30), start=1):
        for c, h in enumerate(HEADERS):
            value = record.get(h, "")
            if h in amounts:
                ws.write_formula(r, c, "=1000+0", None, "")
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            elif value not in ("", None) and h not in ("家庭总收入", "家庭生产经营性支出"):
                ws.write_string(r, c, str(value))
    book.close()
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "out"), "--force"])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    # 7 amounts × 30 rows = 210 cells: the first five, how many, and where every one is.
    assert "210 个公式单元格" in said
    listed = re.search(r"未读取\(((?:[J-Q]2, ){4}[J-Q]2) 等,共 210 项", said)
    assert listed is not None, said
    assert "J30" not in said and "O17" not in said
    assert "全部单元格见 quality.xlsx 的「文件情况」表" in said
    # The whole columns' findings: the file's formulas (openpyxl marks it for recalculation), not a way of
    # filling the column in.
    assert "多半是整列的填写方式有误" not in said
    assert "整列是公式,工作簿标明公式需重新计算,保存的结果没有采用" in said


def test_an_excel_error_value_in_an_amount_cell_stays_an_error(tmp_path):
    # A cell of #N/A in a workbook (a lookup that failed) is no export's blank.
    path = tmp_path / "错误值.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    for c, h in enumerate(HEADERS):
        value = household(**{"户主身份证号": make_id(serial=31)}).get(h, "")
        if h == "财产性收入":
            ws.write_formula(1, c, "=NA()", None, "#N/A")
        elif h in ("家庭总收入", "家庭生产经营性支出"):
            continue
        elif isinstance(value, (int, float)):
            ws.write_number(1, c, value)
        elif value:
            ws.write_string(1, c, str(value))
    book.close()
    ledger, issues, _, _ = _screen(tmp_path, path)
    assert ledger["status"].tolist() == ["invalid"]
    assert issues.loc[issues["field"] == "property_income", "severity"].tolist() == ["error"]
    assert "missing_value" not in set(issues.loc[issues["field"] == "property_income", "code"])


def test_a_form_workbook_with_null_yes_no_reads_it_as_no_with_its_words(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=41), "是否特困人员": "NULL"})]
    ledger, issues, _, _ = _screen(tmp_path, write_workbook(tmp_path / "是否.xlsx", rows))
    assert ledger["status"].tolist() == ["candidate"]
    flag = issues[issues["field"] == "is_tekun"]
    assert flag["code"].tolist() == ["missing_value"] and flag["severity"].tolist() == ["warning"]
    assert "格中是「NULL」" in flag["message"].iloc[0] and "按「否」处理" in flag["message"].iloc[0]


def test_a_village_exporting_null_for_every_zero_says_the_households_decided_on_it(tmp_path):
    """An export's NULL is a blank amount as systemic reads blanks too: a village that writes NULL for
    every 0 is one finding of blanks written for 0, weighed by the households its blank incomes decide."""
    from test_systemic_blank_for_zero_weighed import BLANK, _ids, checked_blank_for_zero

    ids = iter(_ids(16, 901))
    null = {k: "NULL" for k in BLANK}
    rows = [household(户主身份证号=next(ids), 行政村="西岭村", 工资性收入=wage, 家庭总收入=wage, **null)
            for wage in [6000] * 6 + [10000] * 8 + [40000] * 2]
    write_workbook(tmp_path / "西岭村.xlsx", {"西岭村": rows})
    _, line = checked_blank_for_zero(tmp_path, "西岭村")
    assert "6户认定为“低于贫困标准”、8户认定为“贫困边缘户候选”" in line.group(0), line.group(0)
