"""Cells to text (edgescreen.cells), the one conversion of every workbook read in either process:
each cell as the plain rule says, whatever mix of types a column holds."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from edgescreen.cells import cells_as_text, plain_numbers, rows_as_columns, texts_matching


def plainly(cell) -> str:
    """The rule, one cell at a time: text stripped; a whole float below 1e16 without its '.0', a
    fraction below 1e-4 in digits to 12 decimals (no exponent: a formula's binary noise is an amount),
    any other as Python prints it; a blank for None and NaN; anything else as Python prints it."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell.strip()
    if isinstance(cell, float):
        if math.isnan(cell):
            return ""
        if math.isfinite(cell) and cell == math.trunc(cell) and abs(cell) < 1e16:
            return str(int(cell))
        if math.isfinite(cell) and abs(cell) < 1e-4:
            digits = f"{cell:.12f}".rstrip("0").rstrip(".")
            return digits
        return str(cell)
    return str(cell).strip()


CELLS = st.one_of(
    st.none(), st.text(max_size=8), st.sampled_from([" 12 ", "\u3000户主\u3000", "", "  "]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1200.0, 30.92, -0.0, 2.2012219600101e17, 1e16, -9.0955021292416e-14, 3e-05, 4.57e-269]),
    st.integers(-10**18, 10**18), st.booleans(), st.dates(min_value=dt.date(1900, 1, 1)),
)


@given(st.lists(CELLS, max_size=60))
@settings(max_examples=400, deadline=None)
def test_every_cell_as_the_rule_says(cells):
    column = np.array(cells + [None], dtype=object)[:-1]  # an object array even of lists' lengths
    assert cells_as_text(column).tolist() == [plainly(c) for c in cells]


@given(st.lists(st.text(max_size=6), max_size=40))
def test_a_column_of_text_alone(cells):
    assert cells_as_text(np.array(cells + [None], dtype=object)[:-1]).tolist() == [c.strip() for c in cells]


def test_ragged_rows_are_padded_with_blanks():
    columns = rows_as_columns([["a", 1.0], ["b"], ["c", 2.0, "x"]])
    assert [c.tolist() for c in columns] == [["a", "b", "c"], [1.0, "", 2.0], ["", "", "x"]]
    assert rows_as_columns([]) == []


NUMBERISH = st.text(alphabet=st.sampled_from(list("0123456789.-+, \n\t1０万e")), max_size=16)


@given(st.lists(NUMBERISH, max_size=40), st.integers(1, 12), st.integers(0, 3), st.booleans())
@settings(max_examples=600, deadline=None)
def test_plain_numbers_are_what_the_pattern_matches_whole(texts, int_digits, frac_digits, sign):
    """One look at all the texts' bytes tells of each what the regex tells of it alone, empty texts,
    line breaks, signs, points and full-width digits included."""
    fraction = f"(?:\\.[0-9]{{1,{frac_digits}}})?" if frac_digits else ""
    pattern = ("-?" if sign else "") + f"[0-9]{{1,{int_digits}}}" + fraction
    expected = [re.fullmatch(pattern, t) is not None for t in texts]
    assert plain_numbers(np.array(texts, dtype=object), int_digits, frac_digits, sign).tolist() == expected


def test_plain_numbers_by_example():
    texts = np.array(["13200", "34.81", "-0.5", "", "1.555", ".5", "5.", "--1", "1-2", "1.2.3", "１２", "1 2",
                      "12345678901", "123456789012", "2.2012e+17", "-"], dtype=object)
    assert plain_numbers(texts, 11, 2, sign=True).tolist() == [True, True, True, False, False, False, False, False,
                                                                False, False, False, False, True, False, False, False]
    assert plain_numbers(texts, 9).tolist() == [True] + [False] * 15


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet='ab,"\n\x00．.1２', max_size=6), max_size=30),
       st.sampled_from([r'[",\r\n]', r"[.．][0-9２]{2}", r"b+a"]), st.sampled_from(["\x00", "\n", "\x00\x01"]))
def test_texts_matching_finds_each_text_a_search_of_it_alone_finds(texts, pattern, sep):
    """One search over the texts joined finds the texts that a search of each would, a text holding
    the separator included (patterns here never match across it, as a caller's must not)."""
    if re.search(pattern, sep):
        return
    values = np.array(texts, dtype=object)
    expected = [i for i, text in enumerate(texts) if re.search(pattern, text)]
    assert texts_matching(values, pattern, sep).tolist() == expected
