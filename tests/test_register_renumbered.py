"""A list sorted and then numbered again down the sorted rows (an outside try, 2026-12-04): every row
is a printed household under another 序号. Refused once, saying so and how to put it back, not as a
name, an ID and a group changed on each row; a list only sorted is recorded as before."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq
from test_register import Walk, refused


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _reverse_rows(path, renumber: bool) -> list[str]:
    """The household rows in reverse order, their 序号 typed 1, 2, 3 … again with `renumber`."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    rows = sorted(rows_by_seq(ws, header, cols["序号"]).values())
    values = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in rows]
    for r, row in zip(rows, reversed(values)):
        for c, v in enumerate(row, start=1):
            ws.cell(r, c).value = v
        if renumber:
            ws.cell(r, cols["序号"]).value = rows.index(r) + 1
    wb.save(path)
    return [ws.cell(r, cols["户主姓名"]).value for r in rows]


def test_a_list_sorted_and_numbered_again_is_refused_once(walk):
    paper = walk.issue("review")[0]
    fill(paper, default=("同意", ""), form=meeting("2019年11月25日"))
    names = _reverse_rows(paper, renumber=True)
    said = " ".join(refused(walk, paper, words=["名单排序后重新编了序号"]).split())
    assert said.count("序号") < 10, said  # once, not a line per row
    assert f"现在是「{names[0]}」" in said and "与打印时不同(打印的是" not in said, said


def test_a_list_only_sorted_is_recorded(walk):
    paper = walk.issue("review")[0]
    fill(paper, default=("同意", ""), form=meeting("2019年11月25日"))
    _reverse_rows(paper, renumber=False)
    walk.record(paper)
