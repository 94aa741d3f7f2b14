"""per_capita_implausible names the cell to correct (domain §6: every issue names its cell), not the
per-capita it computed, which has none: its 单元格 was empty in issues.csv, its 栏目 人均纯收入(元).
Net ≤ 0: the costs' cell (they reach the income), or the income's where there are no costs; above the
ceiling: the income's cell. A total where the household typed one that is the amount used, else the
largest component. The value is the cell as typed; the per-capita stays in the words."""

from __future__ import annotations

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv_table, write_workbook
from edgescreen.cli import app

runner = CliRunner()
NO_TOTALS = [h for h in HEADERS if h not in ("家庭总收入", "家庭生产经营性支出")]


def letter(header: str, headers: list[str] = HEADERS) -> str:
    return chr(ord("A") + headers.index(header))


def issues_of(out) -> pd.DataFrame:
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return issues[issues["code"] == "per_capita_implausible"]


def screened(tmp_path, path, lang: str = "zh"):
    out = tmp_path / f"out-{lang}"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01", "--lang", lang])
    assert result.exit_code == 0, result.output
    return out


def test_a_form_with_totals_names_the_total_typed(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=11), "家庭经营费用支出": 20000}),   # costs reach the income
            household(**{"户主身份证号": make_id(serial=12), "工资性收入": 0}),             # no income, no costs
            household(**{"户主身份证号": make_id(serial=13), "工资性收入": 600000}),        # above the ceiling
            # A total at odds with its components (total_income_mismatch on it): the per-capita is the
            # components', and the cell that makes it is the wage.
            household(**{"户主身份证号": make_id(serial=14), "工资性收入": 600000, "家庭总收入": 60000})]
    out = screened(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", rows))
    costs, income, wage = letter("家庭生产经营性支出"), letter("家庭总收入"), letter("工资性收入")
    issues = issues_of(out)
    assert issues[["行号", "单元格", "栏目", "填写内容"]].values.tolist() == [
        ["2", f"{costs}2", "家庭生产经营性支出", "20000"],
        ["3", f"{income}3", "家庭总收入", "0"],
        ["4", f"{income}4", "家庭总收入", "600000"],
        ["5", f"{wage}5", "工资性收入", "600000"]]
    said = issues["说明"].tolist()
    assert said[0].startswith(f"第2行 {costs}列「家庭生产经营性支出」:人均纯收入为 -3333.33 元,家庭纯收入不大于 0"), said[0]
    # No costs: the income is what is missing, and the words say so (not "costs at least all income").
    assert said[1].startswith(f"第3行 {income}列「家庭总收入」:人均纯收入为 0.00 元,家庭总收入不大于 0:请核对各项收入"), said[1]
    assert said[2] == f"第4行 {income}列「家庭总收入」:人均纯收入为 200000.00 元,高于 150000 元,请核对收入和支出"
    assert said[3].startswith(f"第5行 {wage}列「工资性收入」:人均纯收入为 200000.00 元"), said[3]
    english = issues_of(screened(tmp_path, tmp_path / "合隆镇.xlsx", "en"))
    assert english["cell"].tolist() == [f"{costs}2", f"{income}3", f"{income}4", f"{wage}5"]
    assert english["field"].tolist() == ["production_expenses", "total_income", "total_income", "wage_income"]
    assert english["message"].iloc[2] == (f"row 4, column {income} (家庭总收入): per-capita net income is 200000.00 "
                                          "yuan, above 150000; please check incomes and expenses")


def test_a_form_without_totals_names_the_largest_component(tmp_path):
    records = [household(**{"户主身份证号": make_id(serial=21), "家庭经营费用支出": 100, "生产性固定资产折旧": 20000}),
               household(**{"户主身份证号": make_id(serial=22), "工资性收入": 0}),
               household(**{"户主身份证号": make_id(serial=23), "工资性收入": 100, "家庭经营收入": 700000,
                            "家庭经营费用支出": 8000})]
    path = write_csv_table(tmp_path / "合隆镇.csv", NO_TOTALS, [[r[h] for h in NO_TOTALS] for r in records])
    issues = issues_of(screened(tmp_path, path))
    at = lambda header: letter(header, NO_TOTALS)  # noqa: E731
    assert issues[["行号", "单元格", "栏目", "填写内容"]].values.tolist() == [
        ["2", f"{at('生产性固定资产折旧')}2", "生产性固定资产折旧", "20000"],
        ["3", f"{at('工资性收入')}3", "工资性收入", "0"],   # every income 0: the first
        ["4", f"{at('家庭经营收入')}4", "家庭经营收入", "700000"]]
    assert all(m.startswith(f"第{r}行 {c[0]}列「") for r, c, m in zip(issues["行号"], issues["单元格"], issues["说明"]))


def test_the_reports_and_the_fix_list_show_the_cell(tmp_path):
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"工资性收入": 600000})])
    out = tmp_path / "check"
    result = runner.invoke(app, ["check", str(path), "-o", str(out), "--as-of", "2020-01-01"])
    assert result.exit_code == 0, result.output
    cell = f"{letter('家庭总收入')}2"
    row = next(openpyxl.load_workbook(out / "quality.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
    assert (row[2], row[7], row[8]) == (cell, "家庭总收入", "600000")
    fix_list = openpyxl.load_workbook(next((out / "quality-villages").glob("*.xlsx"))).worksheets[0]
    listed = [r for r in fix_list.iter_rows(values_only=True) if r[0] == 1][0]
    assert (listed[2], listed[5], listed[6]) == (cell, "家庭总收入", "600000")
    assert f'<span class="loc">Sheet1 {cell}</span>' in (out / "report.html").read_text(encoding="utf-8")
