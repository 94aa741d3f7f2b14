"""The county a form's title names (前郭尔罗斯蒙古族自治县…入户登记表) where the survey has no 县(市、区) column:
summary.xlsx printed "______县(市、区)" and the register's documents the register's file name's county or a
blank (two outside tries, 2026-12-05). It titles them now; no row's place is changed by it."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id
from edgescreen.cli import app

runner = CliRunner()
COUNTY = "前郭尔罗斯蒙古族自治县"


def _titled_survey(path, title: str):
    """A village's form: a title row, then the header without a 县 column, then two households."""
    rows = [household(**{"户主身份证号": make_id("19700101", serial=300 + 2 * i), "户主姓名": f"户主{i}"})
            for i in range(2)]
    headers = [h for h in rows[0] if h not in ("县(市、区)", "县")]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "前岗村"
    ws.append([title])
    ws.append(headers)
    for r in rows:
        ws.append([r[h] for h in headers])
    wb.save(path)
    return path


def test_the_county_a_forms_title_names_titles_the_summary_and_the_registers_documents(tmp_path):
    survey = _titled_survey(tmp_path / "前岗村.xlsx", f"{COUNTY}合隆镇前岗村2019年度贫困边缘户入户登记表")
    db = tmp_path / "登记簿.db"  # a register named after no county: its documents took a blank before
    done = runner.invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"), "--register", str(db),
                               "--date", "2019-12-02"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    title = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").worksheets[0]["A1"].value
    assert title.startswith(COUNTY) and "______" not in title, title
    assert json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["county"] == COUNTY
    status = runner.invoke(app, ["register", "status", str(db), "-o", str(tmp_path / "进度.xlsx")],
                           env={"COLUMNS": "400"})
    assert status.exit_code == 0, status.output
    cells = [c for ws in openpyxl.load_workbook(tmp_path / "进度.xlsx") for row in ws.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any(COUNTY in c for c in cells), cells[:5]


def test_a_title_naming_no_county_or_two_leaves_the_blank(tmp_path):
    survey = _titled_survey(tmp_path / "前岗村.xlsx", "合隆镇前岗村2019年度贫困边缘户入户登记表")
    done = runner.invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out")], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    title = openpyxl.load_workbook(tmp_path / "out" / "summary.xlsx").worksheets[0]["A1"].value
    assert title.startswith("______县"), title


def test_year_two_without_a_title_keeps_the_county_the_register_knows(tmp_path):
    """An outside look: the 2019 survey's title named the county, the 2020 survey had none; the year-two
    status and 进度.xlsx printed "______县(市、区)…认定进度" though changes.xlsx named the county."""
    survey = _titled_survey(tmp_path / "前岗村.xlsx", f"{COUNTY}合隆镇前岗村2019年度贫困边缘户入户登记表")
    db = tmp_path / "登记簿.db"
    for args in (["screen", str(survey), "-o", str(tmp_path / "out"), "--register", str(db), "--date", "2019-12-02"],
                 ["screen", str(_titled_survey(tmp_path / "前岗村2020.xlsx", "合隆镇前岗村入户登记表")), "--year",
                  "2020", "-o", str(tmp_path / "out2020"), "--register", str(db), "--date", "2020-12-01"],
                 ["register", "status", str(db), "-o", str(tmp_path / "进度.xlsx")]):
        done = runner.invoke(app, args, env={"COLUMNS": "400"})
        assert done.exit_code == 0, done.output
    assert f"{COUNTY}贫困边缘户认定进度(第 2 轮,2020年度)" in done.output, done.output
    ws = openpyxl.load_workbook(tmp_path / "进度.xlsx").worksheets[0]
    assert COUNTY in str(ws["A1"].value) and "____" not in str(ws["A1"].value), ws["A1"].value


def test_the_request_list_is_titled_with_the_county_the_forms_title_names(tmp_path):
    """An outside try (BV): the 信息比对申请名单 was headed 「______县」 while the survey's title named 农安县."""
    survey = _titled_survey(tmp_path / "前岗村.xlsx", f"{COUNTY}合隆镇前岗村2019年度贫困边缘户入户登记表")
    out = tmp_path / "out"
    done = runner.invoke(app, ["screen", str(survey), "-o", str(out), "--request-list"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    book = openpyxl.load_workbook(next((out / "信息比对").glob("*.xlsx")))
    title = book.worksheets[0].cell(1, 1).value
    assert title.startswith(COUNTY) and "____" not in title, title
