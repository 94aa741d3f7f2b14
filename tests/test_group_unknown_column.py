"""A column inserted inside the blank form's 家庭总收入(元) group (Excel widens the merged group header
over it) and headed with no component's name (其他收入), as an outside tester did (2026-12). Its amounts
would be left out of the total computed from the four components: the sheet is refused, naming the
column, the group and what to do. Either way the header is found at its own rows (3-4), not with the
title and the 填报单位 line merged above it."""

from __future__ import annotations

import copy
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.cell_range import CellRange
from typer.testing import CliRunner

from survey_builders import make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger
from edgescreen.outputs.template import form_columns
from edgescreen.rules import load_rules

runner = CliRunner()


@pytest.fixture
def form(tmp_path) -> Path:
    path = tmp_path / "入户登记表.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path), "--rows", "20"])
    assert result.exit_code == 0, result.output
    return path


def _insert_column(ws, at: int) -> None:
    """A column inserted at `at` as Excel does it: cells to the right moved, a merge spanning it widened."""
    merges = [CellRange(str(m)) for m in ws.merged_cells.ranges]
    for m in merges:
        ws.unmerge_cells(str(m))
    ws.insert_cols(at)
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, at - 1).has_style:
            ws.cell(r, at)._style = copy.copy(ws.cell(r, at - 1)._style)
    for m in merges:
        if m.min_col >= at:
            m.shift(col_shift=1)
        elif m.max_col >= at:
            m.expand(right=1)
        ws.merge_cells(m.coord)


def _filled(form: Path, target: Path, header: str, amount) -> Path:
    """The form with one household (per capita 3,250 from its four parts) and a column `header`
    inserted before 转移性收入, inside the income group, holding `amount` for it."""
    wb = openpyxl.load_workbook(form)
    ws = wb["入户登记表"]
    index = {c.field: c.index + 1 for c in form_columns(load_rules().rules) if c.field}
    record = {"county": "农安县", "township": "合隆镇", "village": "前岗村", "head_name": "甲",
              "head_id": make_id(serial=301), "members": 2, "residents": 2, "wage_income": 0,
              "business_income": 6000, "property_income": 0, "transfer_income": 500, "business_costs": 0,
              "depreciation": 0, "taxes_fees": 0, "is_dibao": "否", "is_tekun": "否", "is_registered_poor": "否"}
    for name, value in record.items():
        ws.cell(5, index[name], value)
    at = index["transfer_income"]
    _insert_column(ws, at)
    ws.cell(4, at, header)
    if amount is not None:
        ws.cell(5, at, amount)
    wb.save(target)
    return target


def test_an_amount_in_a_column_inserted_inside_the_income_group_refuses_the_sheet(form, tmp_path):
    path = _filled(form, tmp_path / "前岗村.xlsx", "其他收入", 3000)
    letter = openpyxl.utils.get_column_letter(
        next(c.index for c in form_columns(load_rules().rules) if c.field == "transfer_income") + 1)
    for command in ("screen", "check"):
        result = runner.invoke(app, [command, str(path), "-o", str(tmp_path / command)], env={"COLUMNS": "400"})
        assert result.exit_code == 2, result.output
        said = " ".join(result.output.split())
        assert f"{letter}「其他收入」这一列在「家庭总收入(元)」下面" in said, said
        assert "第 5 行的金额会被漏算" in said and "请把这一列的金额加到它所属的那一项里" in said
        assert "填报单位" not in said and not (tmp_path / command / "decisions.csv").exists()
    english = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / "en"), "--lang", "en"],
                            env={"COLUMNS": "400"})
    assert english.exit_code == 2 and "stands under “家庭总收入(元)” but is none of its components" in \
        " ".join(english.output.split())


@pytest.mark.parametrize("header, amount", [("其他收入", None), ("其中:低保金", 300)])
def test_a_column_under_the_group_with_no_amount_left_out_is_read_around_at_the_header_rows(form, tmp_path, header,
                                                                                          amount):
    """Left blank, or a part already counted in a component (其中:低保金): no amount is left out of the
    sum. The sheet is read, the column named as not read, its header not run into the title."""
    path = _filled(form, tmp_path / "前岗村.xlsx", header, amount)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2026-12-01"],
                           env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["per_capita_income"].tolist() == ["3250.00"] and ledger["status"].tolist() == ["candidate"]
    said = " ".join(result.output.split())
    assert f"「家庭总收入(元)/{header}」没有读入" in said and "填报单位" not in said, said
    wb = openpyxl.load_workbook(out / "quality.xlsx")
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "表头在第 3-4 行" in text or "第 3-4 行" in text
    assert "第 1-4 行" not in text
    # The household's one warning (business income, no costs) names its column by the header's own rows.
    issues = read_issues(out / "issues.csv")
    assert issues["code"].tolist() == ["income_without_costs"]
    assert "「家庭总收入(元)/家庭经营收入」" in issues["message"][0] and "填报单位" not in issues["message"][0]
