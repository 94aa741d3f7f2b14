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
