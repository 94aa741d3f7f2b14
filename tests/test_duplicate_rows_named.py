"""The same head's ID on three rows, two in one township's workbook and one in another's CSV: each row
names the next where it stands, the last the first, so that from any of them the clerk reaches every
one, the other township's file included (before, both workbook rows named only each other)."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_csv, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def test_three_rows_of_one_head_each_name_the_next(tmp_path):
    same = make_id("19700101")
    a = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名="重复户", 户主身份证号=same),
                                                household(户主姓名="重复户", 户主身份证号=same)])
    b = write_csv(tmp_path / "烧锅镇.csv", [household(**{"乡(镇)": "烧锅镇"}, 户主姓名="重复户", 户主身份证号=same)])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["check", str(a), str(b), "-o", str(out)])
    assert result.exit_code == 1, result.output
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "duplicate_household"].set_index(["source_file", "row"])["message"]
    assert len(said) == 3 and all("出现 3 次" in m for m in said)
    named = {place: m.split("另见 ")[1] for place, m in said.items()}
    assert "烧锅镇.csv" in " ".join(named.values()) and sum("合隆镇.xlsx" in v for v in named.values()) == 2, named


def test_ids_excel_turned_into_one_number_are_not_the_same_head(tmp_path):
    """From an outside try: seven IDs a CSV saved by Excel as 2.20122E+17 were each said to be
    户主身份证号重复 beside 身份证号格式错误: they are unknown, not equal."""
    rows = [household(户主姓名=f"户{i}", 户主身份证号="2.20122E+17") for i in range(3)] + \
        [household(户主姓名="户9", 户主身份证号=str(int(make_id("19700101", serial=8)[:15]) * 1000))]
    rows.append(dict(rows[-1], 户主姓名="户10"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["check", str(write_csv(tmp_path / "合隆镇.csv", rows)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    issues = read_issues(out / "issues.csv")
    assert (issues["code"] == "id_malformed").sum() == 5
    assert "duplicate_household" not in set(issues["code"]), issues[["row", "code", "message"]]
