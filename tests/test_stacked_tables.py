"""Villages' tables stacked on one sheet, each under a header of its own (outside tester, f35): a
header inside the sheet that puts the fields in other columns than the table above it (a column
more, or its columns in another order) starts a table read by its own header. Before, the fuller
header won and the households above it were lost without a word, or the second table was read with
the first one's columns (低保 read as 特困, income as expenses). A header repeated with the same
columns (a paged export) is still a row to skip; a stacked table lacking a column is refused,
naming the row of its header."""

from __future__ import annotations

import json

import pytest
import xlsxwriter

from field_checks import assert_refused, invoke, issues, ledger, manifest, screen
from survey_builders import make_id, write_csv_table

FIRST = ["乡镇", "村", "户主姓名", "身份证号", "常住人口", "家庭总收入", "家庭生产经营性支出", "是否低保户",
         "是否特困人员"]
# The second village's header: 联系电话 after 身份证号, every column after it one to the right.
WITH_PHONE = FIRST[:4] + ["联系电话"] + FIRST[4:]
# Its columns in another order: expenses before income, 特困 before 低保.
REORDERED = ["乡镇", "村", "户主姓名", "身份证号", "常住人口", "家庭生产经营性支出", "家庭总收入", "是否特困人员",
             "是否低保户"]


def _row(header: list[str], **cells) -> list:
    return [cells.get(h, "") for h in header]


def _village(header: list[str], village: str, names: list[str], *, dibao: str | None = None) -> list[list]:
    """Three households under `header`: 3 residents and 10,000 net (a candidate), 2 and 6,500 (a
    candidate), 4 and 30,000 (above the limit); the head named `dibao` is a 低保户."""
    rows = []
    for name, (residents, income, costs) in zip(names, [(3, 11000, 1000), (2, 6500, 0), (4, 32000, 2000)]):
        rows.append(_row(header, 乡镇="合隆镇", 村=village, 户主姓名=name, 身份证号=make_id(), 联系电话="13812345678",
                         常住人口=residents, 家庭总收入=income, 家庭生产经营性支出=costs,
                         是否低保户="是" if name == dibao else "否", 是否特困人员="否"))
    return rows


def _stacked(header: list[str], *, title: bool = False) -> list[list]:
    """前岗村's table under FIRST, a blank row, (a title line,) 永安村's under `header`."""
    rows = [FIRST, *_village(FIRST, "前岗村", ["张三", "李四", "王五"]), []]
    if title:
        rows.append(["二、永安村"])
    return rows + [header, *_village(header, "永安村", ["赵六", "钱七", "孙八"], dibao="钱七")]


def _xlsx(path, rows: list[list]):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("合隆镇")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value != "":
                sheet.write_string(r, c, value)
    book.close()
    return path


def _screened(path, tmp_path):
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    return out, ledger(out)


EXPECTED = {"张三": "candidate", "李四": "candidate", "王五": "above_limit",
            "赵六": "candidate", "钱七": "excluded_dibao", "孙八": "above_limit"}


def test_a_second_table_with_a_column_more_loses_none_of_the_first_tables_households(tmp_path):
    """f35c_shifted: the fuller header (row 6) was taken as the sheet's, rows 2-4 passed over as lines
    above it: 已筛查 3 户, the two candidates of 前岗村 in no file."""
    out, decided = _screened(_xlsx(tmp_path / "合隆镇.xlsx", _stacked(WITH_PHONE)), tmp_path)
    assert list(decided["row"].astype(int)) == [2, 3, 4, 7, 8, 9]
    assert dict(zip(decided["head_name"], decided["status"])) == EXPECTED
    tables = manifest(out)["inputs"][0]["sheets"]
    assert [(t["name"], t["header_rows"], t["households"]) for t in tables] == [
        ("合隆镇", [1, 1], 3), ("合隆镇", [6, 6], 3)]
    # Each table is said in the file facts with its own header row.
    report = tmp_path / "report"
    checked = invoke("check", _xlsx(tmp_path / "合隆镇.xlsx", _stacked(WITH_PHONE)), "-o", report)
    assert checked.exit_code == 0, checked.output
    facts = json.loads((report / "check.json").read_text(encoding="utf-8"))["facts"]
    assert [f["detail"] for f in facts if f["fact"] == "sheet"] == ["1", "6"]
    said = "".join(checked.output.split())
    assert "表头在第1行,读入3户" in said and "表头在第6行,读入3户" in said, said


def test_a_csv_with_a_second_table_a_column_wider_is_read_whole(tmp_path):
    rows = _stacked(WITH_PHONE)
    path = write_csv_table(tmp_path / "合隆镇.csv", rows[0], rows[1:])
    _, decided = _screened(path, tmp_path)
    assert dict(zip(decided["head_name"], decided["status"])) == EXPECTED


@pytest.mark.parametrize("header", [
    REORDERED,
    # f35b: 常住人口 and 家庭人口数 exchanged, 特困 before 低保
    ["乡镇", "村", "户主姓名", "身份证号", "家庭人口数", "常住人口", "家庭总收入", "家庭生产经营性支出", "是否特困人员",
     "是否低保户"],
])
def test_a_second_table_with_its_columns_in_another_order_is_read_by_its_own_header(tmp_path, header):
    """f35_stacked_tables, f35b_stacked: the second header was skipped as a repeated one and its rows
    read in the first table's columns: 钱七's 低保 read as 特困, 赵六's income as his expenses."""
    rows = _stacked(header, title=True)
    for row in rows[-3:]:
        if "家庭人口数" in header:
            row[header.index("家庭人口数")] = 9  # members registered, not residents: never the divisor
    out, decided = _screened(_xlsx(tmp_path / "合隆镇.xlsx", rows), tmp_path)
    assert list(decided["row"].astype(int)) == [2, 3, 4, 8, 9, 10]
    assert dict(zip(decided["head_name"], decided["status"])) == EXPECTED
    assert list(decided["residents"].astype(int)) == [3, 2, 4, 3, 2, 4]
    assert list(decided["total_income"]) == ["11000.00", "6500.00", "32000.00"] * 2
    tables = manifest(out)["inputs"][0]["sheets"]
    assert [t["header_rows"] for t in tables] == [[1, 1], [7, 7]]
    assert not any(r["reason"] == "header" for t in tables for r in t["skipped_rows"])


def test_an_issue_in_a_stacked_table_names_the_cell_in_its_own_column(tmp_path):
    rows = _stacked(REORDERED, title=True)
    rows[-1][REORDERED.index("家庭总收入")] = "八千"  # 孙八, row 10: his income in G there, not F
    out, _ = _screened(_xlsx(tmp_path / "合隆镇.xlsx", rows), tmp_path)
    found = issues(out)
    bad = found[(found["row"].astype(int) == 10) & (found["code"] == "not_a_number")]
    assert list(zip(bad["cell"], bad["field"], bad["value"])) == [("G10", "total_income", "八千")]


def test_a_header_repeated_with_the_same_columns_is_still_a_row_skipped(tmp_path):
    rows = [["合隆镇贫困边缘户登记表"], FIRST, *_village(FIRST, "前岗村", ["张三", "李四", "王五"]), FIRST,
            *_village(FIRST, "永安村", ["赵六", "钱七", "孙八"], dibao="钱七")]
    out, decided = _screened(_xlsx(tmp_path / "合隆镇.xlsx", rows), tmp_path)
    assert list(decided["row"].astype(int)) == [3, 4, 5, 7, 8, 9]
    assert dict(zip(decided["head_name"], decided["status"])) == EXPECTED
    tables = manifest(out)["inputs"][0]["sheets"]
    assert len(tables) == 1 and tables[0]["skipped_rows"] == [{"row": 6, "reason": "header"}]


def test_a_stacked_table_missing_a_column_is_refused_naming_its_header_row(tmp_path):
    short = [h for h in REORDERED if h != "是否特困人员"]
    path = _xlsx(tmp_path / "合隆镇.xlsx", _stacked(short, title=True))
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out), out, names=["合隆镇.xlsx"],
                   phrases=["工作表「合隆镇」第 7 行表头下的表格", "缺少必填列", "是否特困人员"])


def test_explain_names_a_stacked_tables_header_and_its_households(tmp_path):
    """explain --row looked only at the sheet's first table: the second table's header row (6) was
    'no household (a blank row, or outside the table)'. Each table's header and rows are its own."""
    path = _xlsx(tmp_path / "合隆镇.xlsx", _stacked(WITH_PHONE))
    header = invoke("explain", path, "--row", "合隆镇.xlsx:合隆镇:6", env={"COLUMNS": "200"})
    assert header.exit_code == 2 and "第 6 行是表头,不是农户" in header.output, header.output
    household = invoke("explain", path, "--row", "合隆镇.xlsx:合隆镇:8", env={"COLUMNS": "200"})
    assert household.exit_code == 0 and "钱七" in household.output, household.output
    blank = invoke("explain", path, "--row", "合隆镇.xlsx:合隆镇:5", env={"COLUMNS": "200"})
    assert blank.exit_code == 2 and "第 5 行没有农户" in blank.output, blank.output
