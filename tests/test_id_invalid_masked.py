"""This year's head ID invalid (two birth-date digits swapped), the registered one kept: changes.xlsx
masks both IDs, and masked they read alike ("本年身份证号 220124********9097 有误…原登记身份证号
220124********9097", an outside try at 30,000 households): the note says where they differ."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import register_everyone, run, survey

GOOD = make_id("19670315", serial=731)
BAD = GOOD[:10] + GOOD[11] + GOOD[10] + GOOD[12:]  # 0315 → 3015: its month's digits swapped
PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}


def test_a_mistyped_id_masked_says_where_it_differs_from_the_registered_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    head = {**PLACE, "户主姓名": "熊涛", "户编号": "HB1", "工资性收入": 10000}
    db = register_everyone(tmp_path, [{**head, "户主身份证号": GOOD}])
    run("screen", survey(tmp_path / "2020.xlsx", [{**head, "户主身份证号": BAD}]), "--year", "2020", "-o",
        tmp_path / "out", "--register", db, "--date", "2020-11-20")
    ws = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动名单"]
    notes = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and "本年身份证号" in v]
    assert notes and "与原登记的在第 11、12 位不同" in notes[0], notes
    assert GOOD not in notes[0] and BAD not in notes[0], notes  # still masked


def test_the_registered_heads_id_under_another_name_is_said(tmp_path, monkeypatch):
    """The try at 30,000 households: 王秀德's row renamed 钱多多 in his own village, his ID kept: matched
    as his household (the same ID, the same village) and nothing said, 钱多多 carrying 王秀德's procedure
    and measures in history. Still matched, but said on the line."""
    monkeypatch.chdir(tmp_path)
    head = {**PLACE, "户编号": "HB1", "工资性收入": 10000, "户主身份证号": GOOD}
    db = register_everyone(tmp_path, [{**head, "户主姓名": "王秀德"}])
    run("screen", survey(tmp_path / "2020.xlsx", [{**head, "户主姓名": "钱多多", "户编号": "HB9"}]), "--year", "2020",
        "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20")
    ws = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动名单"]
    notes = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and "登记簿为" in v]
    assert notes and "户主身份证号与登记簿相同,姓名却不同(登记簿为「王秀德」)" in notes[0], notes
