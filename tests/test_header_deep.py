"""A header below the first 40 rows: the form's long 填表说明 pasted above the table. Before: 没有找到
农户表头 (the header was looked for in the first 40 rows only). Looked for again down to row 300 where
none is found above, said by the sheet's fact (表头在第 68 行)."""

from __future__ import annotations

import openpyxl

from field_builders import households
from field_checks import invoke, ledger
from survey_builders import HEADERS


def _sheet(path, notes: int, rows: list[dict]):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合隆镇"
    for i in range(notes):
        ws.append([f"{i + 1}. 填表说明:……"])
    ws.append(HEADERS)
    for record in rows:
        ws.append([record.get(h, "") for h in HEADERS])
    wb.save(path)
    return path


def test_a_header_under_a_long_block_of_instructions_is_found_and_said(tmp_path):
    path = _sheet(tmp_path / "合隆镇.xlsx", 67, households(5))
    result = invoke("screen", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert list(ledger(tmp_path / "out")["row"]) == ["69", "70", "71", "72", "73"]
    said = " ".join(invoke("check", path, "-o", tmp_path / "rep").output.split())
    assert "工作表「合隆镇」:表头在第 68 行,读入 5 户" in said, said


def test_a_header_below_row_300_is_still_not_guessed(tmp_path):
    path = _sheet(tmp_path / "合隆镇.xlsx", 320, households(2))
    result = invoke("screen", path, "-o", tmp_path / "out")
    assert result.exit_code == 2 and "没有找到农户表头" in " ".join(result.output.split())


def test_a_sheet_that_is_another_table_is_not_looked_through_again(tmp_path, monkeypatch):
    """A stock list of 2,000 rows beside the survey: its first rows are a table, not instructions, so
    no header is looked for further down (that cost 0.4 s a sheet)."""
    from edgescreen import read

    wb = openpyxl.Workbook()
    stock = wb.active
    stock.title = "物资"
    stock.append(["编号", "名称", "数量", "金额", "备注"])
    for i in range(2000):
        stock.append([i, f"物品{i}", i % 7, i * 1.5, "无"])
    survey = wb.create_sheet("合隆镇")
    survey.append(HEADERS)
    for record in households(3):
        survey.append([record.get(h, "") for h in HEADERS])
    wb.save(tmp_path / "合隆镇.xlsx")
    deep = []
    real = read.find_header
    monkeypatch.setattr(read, "find_header", lambda *a, **k: deep.append(k) or real(*a, **k))
    result = invoke("screen", tmp_path / "合隆镇.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert len(ledger(tmp_path / "out")) == 3
    assert deep and not any(k.get("scan_rows") for k in deep)
