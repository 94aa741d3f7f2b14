"""The parsers' fast paths say every cell as the general readers do: a plain number, a cell left empty
(blank: 0 yuan, no count), a cell not there (NA: absent), and a 是/否 text whose reading is kept from
an earlier column (normalise.parse_flag). The general reader, run once per distinct value, is the
definition; the fast paths only skip it."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from edgescreen import normalise as N
from edgescreen.catalogue import fields

PIECES = ["", " ", "\u3000", "0", "1", "9", "12", ".", ",", "-", "+", "万", "元", "无", "１", "e", "a", "\n", "¥",
          "是", "否", "√", "×", "有", "1.0", "Y", "(", ")", "类", "二档", "低保"]
cell = st.one_of(st.none(), st.lists(st.sampled_from(PIECES), max_size=4).map("".join))
column = st.lists(cell, min_size=1, max_size=12)
FLAG_FIELDS = [None] + [f for f in fields().field if f.kind == "flag"]


def general(raw: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    value, state = N.by_distinct(raw, parse)
    return value, state.astype(N.STATES)


def same(fast: tuple[pd.Series, pd.Series], slow: tuple[pd.Series, pd.Series]) -> None:
    (value, state), (want_value, want_state) = fast, slow
    assert value.dtype == want_value.dtype and value.index.equals(want_value.index)
    assert value.isna().tolist() == want_value.isna().tolist()
    assert value.dropna().tolist() == want_value.dropna().tolist()
    assert state.tolist() == want_state.tolist() and state.dtype == want_state.dtype


@settings(max_examples=300, deadline=None)
@given(column)
def test_money_and_counts_are_read_as_the_general_parsers_read_them(cells):
    raw = pd.Series(cells, dtype=N.TEXT, index=pd.RangeIndex(4, 4 + len(cells)))
    same(N.parse_money(raw), general(raw, N._parse_money))
    same(N.parse_integer(raw), general(raw, N._parse_integer))


@settings(max_examples=300, deadline=None)
@given(st.lists(column, min_size=1, max_size=3), st.sampled_from(FLAG_FIELDS))
def test_a_flag_column_is_read_as_the_general_reader_reads_it_whatever_was_read_before(columns, spec):
    for cells in columns:  # later columns take some readings kept from the earlier ones
        raw = pd.Series(cells, dtype=N.TEXT, index=pd.RangeIndex(2, 2 + len(cells)))
        same(N.parse_flag(raw, spec), general(raw, lambda r: N._parse_flag(r, spec)))
