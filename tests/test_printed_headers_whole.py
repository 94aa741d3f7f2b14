"""Printed headers broken inside a word or before a closing mark (outside try, rendered with
LibreOffice, 2026-12-06): the 乡镇审核 and 县级复审 forms (and 入户核实) printed 人均纯收入(元 over a lone
), the 花名册 帮扶措 over 施 and 帮扶责 over 任人 (帮扶措施 some three characters wide, 帮扶缺口 the
widest).

LibreOffice keeps no 避头尾 rule in a cell: it breaks beside a CJK character wherever the line is full.
So a header holding such a mark beside a CJK character is safe only on one line: checked with the project's own line model (xlsx.lines_of, as tests/print_size.py
measures a sheet), each at the width its column was given (openpyxl's stored width less Excel's 0.71)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from edgescreen.linebreaks import NO_BREAK_AFTER, NO_BREAK_BEFORE
from edgescreen.outputs.xlsx import lines_of
from test_register import Walk, run


def _at_a_mark(line: str) -> bool:
    """Whether a renderer without 避头尾 may begin a line of `line` with a closing mark or end one with
    an opening mark: such a mark beside a CJK character (an ASCII word's marks stay with it)."""
    wide = [not ch.isascii() for ch in line]
    return any((ch in NO_BREAK_BEFORE and i > 0 and (wide[i] or wide[i - 1]))
               or (ch in NO_BREAK_AFTER and i < len(line) - 1 and (wide[i] or wide[i + 1]))
               for i, ch in enumerate(line))


def _width(ws, col: int) -> float:
    """The width a column was given (xlsxwriter stores 0.71 more)."""
    return ws.column_dimensions[get_column_letter(col)].width - 0.71


def _header(ws):
    return next(r for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))


@pytest.fixture(scope="module")
def walked(tmp_path_factory):
    walk = Walk(tmp_path_factory.mktemp("walk"))
    walk.through("announcement")  # every document issued, filled and recorded: read back as printed
    roster = walk.tmp / "花名册.xlsx"
    run("register", "export", walk.db, "-o", roster)
    return walk, roster


@pytest.mark.parametrize("step, place", [("verify", "前岗村"), ("township_review", "合隆镇"),
                                         ("county_review", "农安县")])
def test_a_forms_headers_never_break_at_a_closing_mark(walked, step, place):
    walk, _ = walked
    ws = openpyxl.load_workbook(walk.doc(step, place)).worksheets[0]
    checked = []
    for cell in _header(ws):
        for line in str(cell.value or "").split("\n"):
            if _at_a_mark(line):
                checked.append(line)
                assert lines_of(line, _width(ws, cell.column), 11) == 1, (step, line, _width(ws, cell.column))
    # 人均纯收入(元) and the decision's (通过/不通过) were among them.
    assert any(line.startswith("人均纯收入") for line in checked), checked
    # Still on one landscape page's width at 9 points or more (the scale's floor for a form to fill in).
    assert (ws.page_setup.scale or 100) >= 82 or ws.sheet_properties.pageSetUpPr.fitToPage


def test_the_rosters_support_headers_print_whole(walked):
    _, roster = walked
    ws = openpyxl.load_workbook(roster).worksheets[0]
    header = {c.value: c.column for c in _header(ws)}
    for word in ("帮扶措施", "帮扶责任人"):
        assert lines_of(word, _width(ws, header[word]), 11) == 1, (word, _width(ws, header[word]))
    # The widths come from the room the text columns share: the page is no wider than it was.
    assert ws.page_setup.scale >= 90
