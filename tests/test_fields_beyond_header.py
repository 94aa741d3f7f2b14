"""A CSV row with more fields than its header (probe 5: a web export's unquoted thousands separator,
`…,3,500,0,…`) was read shifted with no word: 3 as wage, 500 as business income, the household decided
on 503 yuan. Now such a row is a 串项 error naming the row and the fields beyond the header, and the
household is invalid; a workbook's cells right of the header are not checked (notes are typed there)."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger


# Ending on a column every household fills, as the probe's export did.
COLUMNS = HEADERS[:HEADERS.index("主要困难")]


def _line(record: dict) -> str:
    return ",".join(str(record.get(h, "")) for h in COLUMNS)


def test_a_row_longer_than_the_header_is_an_error_naming_the_extra_field(tmp_path):
    shifted = _line(household(户主姓名="丙", 户主身份证号=make_id("19700102"), 家庭常住人口数=1, 工资性收入=3500))
    shifted = shifted.replace(",3500,", ",3,500,", 1)  # the export did not quote 3,500
    clean = _line(household(户主姓名="乙", 户主身份证号=make_id("19700103")))
    path = tmp_path / "导出.csv"
    path.write_bytes(("\r\n".join([",".join(COLUMNS), shifted, clean]) + "\r\n").encode("gbk"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    decided = read_ledger(out / "decisions.csv").set_index("head_name")
    assert decided.loc["丙", "status"] == "invalid" and decided.loc["乙", "status"] == "candidate"
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "fields_beyond_header"]
    assert said["row"].astype(str).tolist() == ["2"], said
    last, extra = chr(ord("A") + len(COLUMNS) - 1), chr(ord("A") + len(COLUMNS))
    message = said["message"].iloc[0]
    assert "第2行" in message and f"({last}列)" in message and extra in message, message
    assert said["severity"].iloc[0] == "error" and said["category"].iloc[0] == "串项"

    checked = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "q")])
    assert checked.exit_code == 1, checked.output


def test_a_workbook_cell_right_of_the_header_is_not_an_error(tmp_path):
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名="甲")])
    import openpyxl
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.cell(ws.max_row, ws.max_column + 2, "已入户核实")  # a note beside the table
    wb.save(path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate"]
    assert "fields_beyond_header" not in set(read_issues(out / "issues.csv")["code"])
