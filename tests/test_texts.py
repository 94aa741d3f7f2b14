"""Text joined per household, column-wise: the same as pandas' groupby(...).agg(sep.join)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from edgescreen.texts import joined_per_key


@given(st.lists(st.tuples(st.integers(0, 6), st.text(max_size=4)), max_size=40), st.sampled_from(["\n", "、", ";"]))
def test_joined_per_key_is_a_groupby_join_in_order(pairs, sep):
    keys = np.array([k for k, _ in pairs], dtype=np.int64)
    texts = np.array([t for _, t in pairs], dtype=object)
    got = joined_per_key(keys, texts, sep)
    expected = pd.Series(texts, dtype=object).groupby(keys).agg(sep.join) if pairs else pd.Series(dtype=object)
    assert got.index.tolist() == expected.index.tolist()
    assert got.tolist() == expected.tolist()


def test_joined_per_key_keeps_each_keys_texts_in_their_order():
    got = joined_per_key(np.array([3, 1, 3, 1, 2]), ["甲", "乙", "丙", "丁", "戊"], "\n")
    assert got.to_dict() == {1: "乙\n丁", 2: "戊", 3: "甲\n丙"}
