"""Rows of the blank form (edgescreen template) that are no household, as an outside tester left them
(2026-12): an example row kept at the top (序号 例, 备注 示例,填写时删除, a valid ID), and a sentence
typed below the table in the 户主姓名 column (以上户主均已签字确认). Neither is a household; each is
named in the file facts and in run.json. A household with only its head's name typed stays a household
(invalid, to be completed), also below all the others and with a long Mongol name."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.template import form_columns
from edgescreen.rules import load_rules

runner = CliRunner()


def _household(name: str, serial: int, **more) -> dict:
    return dict(county="农安县", township="合隆镇", village="前岗村", group="一组", head_name=name,
                head_id=make_id(serial=serial), members=4, residents=4, wage_income=8000, business_income=6000,
                property_income=0, transfer_income=500, business_costs=1000, depreciation=100, taxes_fees=0,
                is_dibao="否", is_tekun="否", is_registered_poor="否", **more)


@pytest.fixture
def form(tmp_path) -> Path:
    path = tmp_path / "入户登记表.xlsx"
    result = runner.invoke(app, ["template", "-o", str(path)])  # 200 lines prepared, 序号 1-200 printed
    assert result.exit_code == 0, result.output
    return path


def _fill(form: Path, target: Path, rows: dict[int, dict], cells: dict[str, str] | None = None) -> Path:
    """The form with `rows` (Excel row → fields) and `cells` (A5 → text) typed in."""
    wb = openpyxl.load_workbook(form)
    ws = wb["入户登记表"]
    index = {c.field: c.index + 1 for c in form_columns(load_rules().rules) if c.field}
    for row, record in rows.items():
        for name, value in record.items():
            ws.cell(row, index[name], value)
    for cell, value in (cells or {}).items():
        ws[cell] = value
    wb.save(target)
    return target


def _facts(report: Path) -> tuple[dict[str, str], str]:
    """check.json's facts (fact → detail) and the text of the quality report's cells, where they are said."""
    facts = json.loads((report / "check.json").read_text(encoding="utf-8"))["facts"]
    wb = openpyxl.load_workbook(report / "quality.xlsx")
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    return {f["fact"]: f["detail"] for f in facts}, text


def _screened(path: Path, out: Path):
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return read_ledger(out / "decisions.csv"), run["inputs"][0]["sheets"][0]["skipped_rows"]


def test_an_example_row_and_a_note_below_the_table_are_no_households(form, tmp_path):
    index = {c.field: c.index + 1 for c in form_columns(load_rules().rules) if c.field}
    name_column = openpyxl.utils.get_column_letter(index["head_name"])
    notes_column = openpyxl.utils.get_column_letter(index["notes"])
    path = _fill(form, tmp_path / "前岗村.xlsx", {
        5: _household("张三", 101, notes="示例,填写时删除"),  # the example, a valid ID
        6: _household("甲", 102),
        7: {"head_name": "王秀兰"},  # a household whose head alone is written
        9: {"head_name": "那顺乌日图巴雅尔"},  # the same, the last household, an eight-character name
    }, {"A5": "例", f"{name_column}26": "以上户主均已签字确认", f"{notes_column}27": "以上情况属实。",
        "B28": "填表人:王五    审核人:赵六"})
    ledger, skipped = _screened(path, tmp_path / "out")
    assert ledger["row"].tolist() == ["6", "7", "9"]
    assert ledger["head_name"].tolist() == ["甲", "王秀兰", "那顺乌日图巴雅尔"]
    assert ledger["status"].tolist() == ["candidate", "invalid", "invalid"]
    # (Below the footer, the form's unused numbered lines are footer too, as before.)
    assert [s for s in skipped if s["row"] <= 28] == [{"row": 5, "reason": "example"}, {"row": 26, "reason": "note"},
                                                      {"row": 27, "reason": "note"}, {"row": 28, "reason": "footer"}]

    runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    facts, text = _facts(tmp_path / "report")
    assert facts["rows_example"] == "5" and "第 5 行是填表示例" in text
    assert facts["rows_note"] == "26-27" and "第 26-27 行在最后一户的下面" in text


def test_a_sentence_between_households_and_an_example_word_inside_a_real_note_stay_households(form, tmp_path):
    """Only below the last household is a lone sentence a note; 例 inside a household's own note (例行
    复查) makes no example, and 序号 例 does, whatever else the row holds."""
    path = _fill(form, tmp_path / "前岗村.xlsx", {
        5: _household("甲", 111, notes="例行复查,因病"),
        6: {"head_name": "以上户主均已签字确认"},
        7: _household("乙", 112),
        8: _household("丙", 113),
    }, {"A8": "(例)"})
    ledger, skipped = _screened(path, tmp_path / "out")
    assert ledger["row"].tolist() == ["5", "6", "7"]
    assert ledger["status"].tolist() == ["candidate", "invalid", "candidate"]
    assert skipped == [{"row": 8, "reason": "example"}]


def test_english_facts_name_the_example_and_the_note(form, tmp_path):
    index = {c.field: c.index + 1 for c in form_columns(load_rules().rules) if c.field}
    name_column = openpyxl.utils.get_column_letter(index["head_name"])
    path = _fill(form, tmp_path / "前岗村.xlsx", {5: _household("张三", 121, notes="样例"), 6: _household("甲", 122)},
                 {f"{name_column}30": "本表已经村民代表会议评议通过"})
    runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--lang", "en"])
    facts, text = _facts(tmp_path / "report")
    assert facts["rows_example"] == "5" and "rows 5 are examples of how to fill in the form" in text
    assert facts["rows_note"] == "30" and "notes below the table" in text
