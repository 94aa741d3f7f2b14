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


# Ending on 备注, which most households leave empty: Excel writes an empty field for it.
WITH_NOTES = HEADERS


def test_a_split_amount_before_an_empty_last_field_is_an_error_too(tmp_path):
    """Found by an outside try: with 备注 last and empty, a 3,500 left unquoted pushes only an empty
    field past the header, and the row was read shifted with no word (3 as wage, 500 as business
    income: below_line). Now an error naming the row and its count of fields."""
    def line(record: dict) -> str:
        return ",".join(str(record.get(h, "")) for h in WITH_NOTES)

    shifted = line(household(户主姓名="丙", 户主身份证号=make_id("19700102"), 家庭常住人口数=1, 工资性收入=3500))
    shifted = shifted.replace(",3500,", ",3,500,", 1)
    assert shifted.endswith(",")  # 备注 empty, as Excel writes it
    rows = [line(household(户主姓名=name, 户主身份证号=make_id("19700103", serial=i)))
            for i, name in enumerate("乙丁戊")]
    path = tmp_path / "导出.csv"
    path.write_bytes(("\r\n".join([",".join(WITH_NOTES), rows[0], shifted, *rows[1:]]) + "\r\n").encode("gbk"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    decided = read_ledger(out / "decisions.csv").set_index("head_name")
    assert decided["status"].to_dict() == {"乙": "candidate", "丙": "invalid", "丁": "candidate", "戊": "candidate"}
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "row_longer_than_header"]
    assert said["row"].astype(str).tolist() == ["3"], issues
    last = chr(ord("A") + len(WITH_NOTES) - 1)
    message = said["message"].iloc[0]
    assert f"第3行有 {len(WITH_NOTES) + 1} 个字段,比表头多(表头到 {last} 列为止)" in message, message
    assert set(issues.loc[issues["row"].astype(str) != "3", "code"]) == set(), issues  # the others read right


def test_rows_that_all_end_with_one_more_empty_field_than_the_header_are_read(tmp_path):
    """Some systems end every record with a delimiter the header lacks: every row is one field
    longer, none shifted."""
    rows = [",".join(str(household(户主姓名=n, 户主身份证号=make_id("19700104", serial=i)).get(h, ""))
                     for h in COLUMNS) + "," for i, n in enumerate("甲乙丙")]
    path = tmp_path / "导出.csv"
    path.write_bytes(("\n".join([",".join(COLUMNS), *rows]) + "\n").encode("utf-8"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["candidate"] * 3
    assert len(read_issues(out / "issues.csv")) == 0
