"""The one reader of dates: a day a clerk typed (the whole cell) and a day another system exported
(the cell begins with it, a month alone is its first day, an Excel day count is its day)."""

import datetime as dt

import pytest

from edgescreen.dates import exported_day, typed_day

D = dt.date(2020, 3, 5)


@pytest.mark.parametrize("text, typed, exported", [
    ("2020-03-05", D, D),
    ("2020/3/5", D, D),
    ("2020.3.5", D, D),
    ("2020年3月5日", D, D),
    ("2020年3月5号", D, D),
    ("二〇二〇年三月五日", D, D),
    ("20200305", D, D),
    ("2020-03-05 00:00:00", D, D),
    ("2020年3月5日 上午9时", D, D),
    ("2020年03月", None, dt.date(2020, 3, 1)),
    ("2020-03", None, dt.date(2020, 3, 1)),
    ("43895", None, D),
    ("43895.0", None, D),
    ("2020-03-05(补录)", None, D),
    ("2020-03-051", None, None),
    ("2020-02-30", None, None),
    ("3月5日", None, None),
    ("", None, None),
])
def test_each_reading_of_a_date(text, typed, exported):
    assert typed_day(text) == typed
    assert exported_day(text) == exported
