"""Printed-pages try (2026-12-04): the 入户核查表 said only 「收入、支出为全年金额」, so a verifier
visiting the next year could write that year's incomes; it now names the income year screened. And
backcheck printed an interval 「2.0%–45.0%」 beside 确定超过 (above 2 % for sure): its lower end 2.04 %
rounded to the threshold itself. A share beside the threshold keeps the decimals that show its side."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import screened_and_drawn
from edgescreen.spotcheck.report import pct


def test_the_visit_form_names_the_income_year_screened(tmp_path):
    county = screened_and_drawn(tmp_path)
    form = next((county / "抽查").rglob("*.xlsx"))
    if form.name.startswith("抽样设计"):
        form = next(p for p in (county / "抽查").rglob("*.xlsx") if not p.name.startswith("抽样设计"))
    ws = openpyxl.load_workbook(form).worksheets[0]
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value]
    section = next(t for t in texts if t.startswith("二、入户核实情况"))
    assert "收入、支出为 2019 年度的全年金额" in section, section


def test_a_share_beside_the_threshold_shows_its_side():
    assert pct(0.0204, 0.02) == "2.04%" and pct(0.0196, 0.02) == "1.96%"
    assert pct(0.02001, 0.02) == "2.001%"
    assert pct(0.45, 0.02) == "45.0%" and pct(0.02, 0.02) == "2.0%"  # far from it, or on it: one decimal
    assert pct(0.0204) == "2.0%" and pct(0.0003, 0.02) == "0.03%"
