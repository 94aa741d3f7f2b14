"""The money columns are parsed in the helper process while this one parses the others
(normalise's `elsewhere`, runtime.calls_elsewhere): what comes back, and what is logged and in what
order, is the same as when every column is parsed here. The columns travel packed
(normalise.PackedColumn), and come back as they went."""

from __future__ import annotations

import os
import pickle
import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import edgescreen.normalise as normalise_module
from edgescreen import screen
from edgescreen.normalise import PackedColumn
from edgescreen.read import TEXT
from edgescreen.runtime import WriterHelper, calls_elsewhere, can_share
from survey_builders import household, make_id, write_workbook

# Amounts as counties type them: plain, grouped, 万, currency marks, full-width, a dash for none,
# blank, below the fen, a float's noise, and what is no amount at all.
AMOUNTS = ["1200", "1,200", "12,000.50", "1200元", "¥1,200", "RMB1200", "１２００", "1.2万", "0.35万元", ".5",
           "-300", "12,00", "1 200", "见备注", "", "-", "无", "11999.996", "3218.0000000001", "1.23456789万"]


def _rows(birth: str = "19700101"):
    rows = []
    for i, amount in enumerate(AMOUNTS):
        rows.append(household(户主姓名=f"户{i}", 户主身份证号=make_id(birth, serial=i), 工资性收入=amount,
                              财产性收入=AMOUNTS[-1 - i], 转移性收入=AMOUNTS[(i * 7) % len(AMOUNTS)],
                              家庭总收入="" if i % 3 else AMOUNTS[(i * 3) % len(AMOUNTS)],
                              家庭经营费用支出=AMOUNTS[(i * 5) % len(AMOUNTS)]))
    return rows


_PARSE = normalise_module.money_column
_NOTES: list = []  # the file each process notes its parses in, and the test's own process


def noted(raw, wan=None):
    """money_column, noting which process parsed the column; slow in the test's own process, so that
    a helper kept waiting by a busy machine still takes some."""
    with open(_NOTES[0], "a") as fh:
        fh.write(f"{os.getpid()}\n")
    if os.getpid() == _NOTES[1]:
        time.sleep(0.3)
    return _PARSE(raw, wan)


@pytest.mark.skipif(not can_share(), reason="a single core: nothing is parsed elsewhere")
def test_money_parsed_by_the_helper_is_what_is_parsed_here(tmp_path, monkeypatch):
    # Two groups' sheets, their amounts the same in another order (the same households would be a copy).
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"一组": _rows(), "二组": _rows("19710101")[::-1]})
    alone = screen([path], as_of=pd.Timestamp("2020-06-30").date())
    _NOTES.extend([tmp_path / "parsed-by.txt", os.getpid()])
    monkeypatch.setattr(normalise_module, "money_column", noted)  # the helper is forked with it
    try:
        with WriterHelper() as helper:
            assert helper.wait_ready(60)
            shared = screen([path], as_of=pd.Timestamp("2020-06-30").date(), elsewhere=calls_elsewhere(helper))
            parsed_by = (tmp_path / "parsed-by.txt").read_text().split()
    finally:
        _NOTES.clear()
    assert len(parsed_by) == 9 and str(helper.process.pid) in parsed_by  # the nine money columns, some there
    pd.testing.assert_frame_equal(shared.households, alone.households)
    pd.testing.assert_frame_equal(shared.issues("zh"), alone.issues("zh"))
    assert len(alone.issues("zh")) > 40  # the amounts above are worth comparing


@pytest.mark.skipif(not can_share(), reason="a single core: nothing is parsed elsewhere")
def test_a_large_survey_parses_its_money_here(tmp_path, monkeypatch):
    import edgescreen.pipeline as pipeline_module

    path = write_workbook(tmp_path / "合隆镇.xlsx", {"一组": _rows()})
    monkeypatch.setattr(pipeline_module, "MOST_ROWS_PARSED_ELSEWHERE", len(AMOUNTS) - 1)  # one row too many
    _NOTES.extend([tmp_path / "parsed-by.txt", -1])
    monkeypatch.setattr(normalise_module, "money_column", noted)
    try:
        with WriterHelper() as helper:
            assert helper.wait_ready(60)
            screen([path], as_of=pd.Timestamp("2020-06-30").date(), elsewhere=calls_elsewhere(helper))
            parsed_by = (tmp_path / "parsed-by.txt").read_text().split()
    finally:
        _NOTES.clear()
    assert parsed_by == [str(os.getpid())] * 9


def test_a_column_parsed_here_is_not_packed():
    """Packing is for the way to another process: parsed here (a province's file, one core), the
    column is the column itself, with no copy made and undone (2 s at a million households)."""
    column = pd.Series(["1200", "见备注", None], dtype=TEXT)
    assert PackedColumn(column).column() is column


def _text_columns():
    cell = st.one_of(st.none(), st.text(alphabet=st.sampled_from(["1", "2", ",", ".", "万", "元", " ", "\x00",
                                                                  "见", "-", "¥", "１"]), max_size=8))
    return st.lists(cell, max_size=30)


@settings(max_examples=200, deadline=None)
@given(_text_columns(), st.booleans())
def test_a_packed_column_comes_back_as_it_went(cells, text_dtype):
    column = pd.Series(cells, dtype=TEXT if text_dtype else object,
                       index=pd.RangeIndex(len(cells)) * 2 + 1)
    back = pickle.loads(pickle.dumps(PackedColumn(column))).column()
    pd.testing.assert_series_equal(back, column)
    assert back.isna().tolist() == column.isna().tolist()
    # The parse of the column that came back is the parse of the column that went (numbered as the
    # survey's rows are, from 0).
    column = column.reset_index(drop=True)
    fen, state, rounded = normalise_module.money_column(pickle.loads(pickle.dumps(PackedColumn(column))))
    expected = normalise_module.money_column(column)
    pd.testing.assert_series_equal(fen, expected[0])
    pd.testing.assert_series_equal(state, expected[1])
    assert rounded.tolist() == expected[2].tolist()


def dies_in_the_helper(raw, wan=None):
    if os.getpid() != _NOTES[1]:
        os._exit(9)
    time.sleep(0.3)  # the helper has time to claim a column
    return _PARSE(raw, wan)


@pytest.mark.skipif(not can_share(), reason="a single core: nothing is parsed elsewhere")
def test_a_helper_that_dies_parsing_is_said_and_nothing_is_decided(tmp_path, monkeypatch):
    from edgescreen.errors import OutputError

    path = write_workbook(tmp_path / "合隆镇.xlsx", {"一组": _rows()})
    _NOTES.extend([tmp_path / "unused.txt", os.getpid()])
    monkeypatch.setattr(normalise_module, "money_column", dies_in_the_helper)
    try:
        with WriterHelper() as helper:
            assert helper.wait_ready(60)
            with pytest.raises(OutputError) as raised:
                screen([path], as_of=pd.Timestamp("2020-06-30").date(), elsewhere=calls_elsewhere(helper))
    finally:
        _NOTES.clear()
    assert "辅助进程(分担金额解析和写文件)意外结束(退出码 9)" in raised.value.message("zh")
