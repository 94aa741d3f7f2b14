"""A day as people and other departments' systems write it: the one reader of dates, for the core (a
roster's death or stop date) and for the register (the date typed on a returned document).

Two readings of the same shapes (2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日 or 5号, in Chinese
numerals 二〇二〇年三月五日 too, 20200305):
- `typed_day`, a date a clerk wrote in a cell: the whole cell is the date, a time of day after it
  or not; anything else is no date, and the caller says what was typed.
- `exported_day`, a date in a column another system exported: it begins the cell (what follows is
  the export's), a month alone (2020年03月, 2020-03) is its first day, and an Excel day count
  (43895, a date cell formatted as a number) is the day it counts.
"""

from __future__ import annotations

import datetime as dt
import re

# An Excel day count: 43805 is 2019-12-06.
EXCEL_EPOCH = dt.date(1899, 12, 30)

# The pieces of a day's pattern: its year and month (2020-03, 2020年3), then its day (-05, 月5日); rosters
# reads a period (在保起止日期) with them too.
YEAR_MONTH = r"(\d{4})\s*[-/.年]\s*(\d{1,2})"
DAY = r"\s*[-/.月]\s*(\d{1,2})\s*[日号]?"
# A time of day after the date (上午9时, 14:30, 9点半, 00:00:00) is left aside: the date is the day.
_TIME_OF_DAY = (r"(?:[\sT]*(?:(?:上午|下午|中午|晚上|早上)\s*)?"
                r"(?:\d{1,2}\s*[:时点]\s*(?:\d{1,2}\s*分?|半)?(?::\d{2})?)?)?")
_TYPED = re.compile("^" + YEAR_MONTH + DAY + _TIME_OF_DAY + "$")
# The day of an export's cell, or its month alone; never followed by more digits (2020-03-051 is no
# date, nor its month).
EXPORTED_DAY = re.compile(YEAR_MONTH + "(?:" + DAY + r"(?![0-9])|\s*月?(?!\s*[-/.月]?\s*[0-9]))")
_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EXCEL_DAY_COUNT = re.compile(r"^[0-9]{5}(?:\.0+)?$")

_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "O": "0"}
_CHINESE_NUMBER = re.compile("[〇○零一二三四五六七八九十]+")


def _chinese_number(m: re.Match) -> str:
    """二〇一九 → 2019 (a year, digit by digit); 十二 → 12, 二十六 → 26, 三十 → 30 (a month or day)."""
    text = m.group(0)
    if "十" not in text:
        return "".join(_CHINESE_DIGITS[c] for c in text)
    tens, _, ones = text.partition("十")
    return str(int(_CHINESE_DIGITS.get(tens, "1") if tens else "1") * 10 + int(_CHINESE_DIGITS.get(ones, "0") or 0))


def arabic_numerals(text: str) -> str:
    """The text with the Chinese numerals of a date in digits: 二〇一九年十二月六日 → 2019年12月6日."""
    return _CHINESE_NUMBER.sub(_chinese_number, text) if _CHINESE_NUMBER.search(text) else text


def _day(m: re.Match | None) -> dt.date | None:
    if m is None:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def typed_day(text: str) -> dt.date | None:
    """The day a clerk typed (the cell's text, trimmed): the whole text is a date, with a time of day
    after it or not. None for anything else: a month alone, a day without its year, a day count."""
    text = arabic_numerals(text)
    return _day(_TYPED.match(text) or _DIGITS.match(text))


def exported_day(text: str) -> dt.date | None:
    """The day an export's cell begins with (a month alone: its first day), or that an Excel day
    count in it counts. None where none reads."""
    text = text.strip()
    if EXCEL_DAY_COUNT.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    text = arabic_numerals(text)
    return _day(_DIGITS.match(text) or EXPORTED_DAY.match(text))
