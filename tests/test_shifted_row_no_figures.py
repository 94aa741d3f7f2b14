"""A CSV row read shifted (an unquoted 3,500 split in two: fields_beyond_header, or
row_longer_than_header where only an empty 备注 was pushed past the header) was rightly invalid, but
the ledger still printed the figures of its misplaced amounts (an outside try: 家庭总收入 4.00, 人均纯收入
−5890.75) and issues.csv added the issues computed from them (total_income_mismatch,
per_capita_implausible). A clerk reads such a per-capita as a fact about the household. Now the row
has no figures, its reason says it was not computed, and its one shift error says it all; another
invalid household (a bad ID) keeps its figures."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

FIGURES = ["total_income", "production_expenses", "net_income", "per_capita_income"]
# Issues the shifted amounts made on the old code (3 as wage, 500 as business income, 3500 as costs).
FOLLOW_ON = {"total_income_mismatch", "expenses_mismatch", "per_capita_implausible", "amount_unit_suspect",
             "costs_exceed_business_income", "negative_amount", "income_without_costs"}


def _screen(tmp_path, columns: list[str], **said):
    def line(record: dict) -> str:
        return ",".join(str(record.get(h, "")) for h in columns)

    shifted = line(household(户主姓名="丙", 户主身份证号=make_id("19700102"), 家庭常住人口数=1, 工资性收入=3500, **said))
    shifted = shifted.replace(",3500,", ",3,500,", 1)  # the export did not quote 3,500
    bad_id = line(household(户主姓名="丁", 户主身份证号=make_id("19700105")[:-1], 工资性收入=9999))
    clean = line(household(户主姓名="乙", 户主身份证号=make_id("19700103")))
    path = tmp_path / "导出.csv"
    path.write_bytes(("\r\n".join([",".join(columns), shifted, bad_id, clean]) + "\r\n").encode("gbk"))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


# Ending on a column every household fills, as the outside try's export did: 3,500 puts a field past it;
# ending on 备注, left empty: 3,500 pushes only an empty field past the header.
LAYOUTS = [pytest.param(HEADERS[:HEADERS.index("主要困难")], "fields_beyond_header", id="fields_beyond_header"),
           pytest.param(HEADERS, "row_longer_than_header", id="row_longer_than_header")]


@pytest.mark.parametrize(("columns", "code"), LAYOUTS)
def test_a_shifted_row_has_no_figures_and_another_invalid_row_keeps_its_own(tmp_path, columns, code):
    out = _screen(tmp_path, columns)
    decided = read_ledger(out / "decisions.csv").set_index("head_name")
    assert decided["status"].to_dict() == {"丙": "invalid", "丁": "invalid", "乙": "candidate"}
    # The shifted row: no figure at all, its one reason the shift.
    assert decided.loc["丙", FIGURES].tolist() == ["", "", "", ""], decided.loc["丙"]
    assert decided.loc["丙", "reasons"] == code
    # Another invalid household keeps the figures it was read with.
    assert decided.loc["丁", FIGURES].tolist() == ["9999.00", "0.00", "9999.00", "3333.00"], decided.loc["丁"]
    assert decided.loc["丁", "reasons"] == "id_malformed"
    # The words the clerk reads say why the figures are blank.
    words = pd.read_csv(out / "decisions.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "整行未计算" in words.loc[words["户主姓名"] == "丙", "原因"].iloc[0]


@pytest.mark.parametrize(("columns", "code"), LAYOUTS)
def test_a_shifted_row_has_only_its_shift_error_in_the_issues(tmp_path, columns, code):
    out = _screen(tmp_path, columns)
    issues = read_issues(out / "issues.csv")
    assert not FOLLOW_ON & set(issues["code"]), issues[["head_name", "code"]]
    on_row = issues[issues["head_name"] == "丙"]
    assert on_row["code"].tolist() == [code], on_row[["field", "code"]]
    assert on_row["severity"].tolist() == ["error"]
    # The bad ID is still said on its own row, and nothing on the clean one.
    assert issues.loc[issues["head_name"] != "丙", "code"].tolist() == ["id_malformed"], issues


@pytest.mark.parametrize(("columns", "code"), LAYOUTS)
def test_a_shifted_row_excludes_on_nothing_its_neighbours_cells_said(tmp_path, columns, code):
    """A 低保户 whose row shifted: its 是 slid under 是否特困人员, and it was left out as 特困."""
    out = _screen(tmp_path, columns, 是否低保户="是")
    decided = read_ledger(out / "decisions.csv").set_index("head_name")
    assert decided.loc["丙", "status"] == "invalid" and decided.loc["丙", "reasons"] == code, decided.loc["丙"]
