"""What a village writes on a decision list beyond its printed columns is recorded as a remark, not
dropped (an outside try of 2026-12-04: a 同意票数 column of the meeting's votes, a 备注 column added to
the visit form and a note under its table were all recorded with exit 0 and lost). The decision is
still the decision column's alone."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

from register_builders import household_table, rows_by_seq
from test_register import IDS, Walk, run


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _remarks(db) -> dict:
    with sqlite3.connect(db) as conn:
        return {(household, step, village): new for household, step, village, new in conn.execute(
            "SELECT household, step, village, new FROM events WHERE field = 'remark'")}


def test_an_added_column_and_a_note_under_the_table_are_recorded_as_remarks(walk):
    walk.review()
    docs = walk.verify(record=False)
    paper = walk.doc("verify", "前岗村")
    wb = openpyxl.load_workbook(paper)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    rows = rows_by_seq(ws, header, cols["序号"])
    extra = ws.max_column + 1
    ws.cell(header, extra).value = "备注"
    first = rows[min(rows)]
    ws.cell(first, extra).value = "户主外出,妻子在家,收入待补充证明"
    ws.cell(max(rows.values()) + 3, 1).value = "备注:第1户户主外出打工,由其妻子接受核实"
    name = ws.cell(first, cols["户主姓名"]).value
    wb.save(paper)
    said = " ".join(walk.record(*docs).output.split())
    assert "2 处打印时没有的内容" in said and "已作为附注记入登记簿" in said, said
    remarks = _remarks(walk.db)
    assert "备注:户主外出,妻子在家,收入待补充证明" in remarks.values(), remarks
    assert any(h is None and step == "verify" and v == "前岗村" and text == "备注:第1户户主外出打工,由其妻子接受核实"
               for (h, step, v), text in remarks.items()), remarks
    history = " ".join(run("register", "history", walk.db, "--id", IDS[name]).output.split())
    assert "附注:备注:户主外出,妻子在家,收入待补充证明" in history, history


def test_the_forms_own_date_under_the_table_is_no_remark(walk):
    """A review's 审核日期 / 复审日期, filled beside its printed label under the table, is the step's date:
    it was also recorded as a 附注 and said as 'not printed' on every township's form (a later outside try)."""
    walk.through("publicity1")
    docs = walk.township_review(record=False)
    said = " ".join(walk.record(*docs).output.split())
    assert "附注" not in said and "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == {}
