"""A day as people and other departments' systems write it: the one reader of dates, for the core (a
roster's death or stop date) and for the register (the date typed on a returned document).

Two readings of the same shapes (2020-03-05, 2020/3/5, 2020.3.5, 2020年3月5日 or 5号, in Chinese
numerals 二〇二〇年三月五日 too, 20200305):
- `typed_day`, a date a clerk wrote in a cell: the whole cell is the date, a time of day after it
  or not; as villages write it too: a weekday after it that agrees with it (2019年12月7日（星期六）,
  2019.12.7 周六), 元月 for 1月, a full stop after it (2026.12.7.), the year last where only one
  order of month and day reads (1/1/2026, 13/7/2026). Anything else is no date, and the caller says
  what was typed; `typed_day_doubt` says why, where it is a day written two ways at once.
- `exported_day`, a date in a column another system exported: it begins the cell (what follows is
  the export's), a month alone (2020年03月, 2020-03) is its first day, and an Excel day count
  (43895, a date cell formatted as a number) is the day it counts.
"""

from __future__ import annotations

import datetime as dt
import re

from .catalogue import Phrase

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
# A weekday written after the day, bracketed or not (（星期六）, (周六), 星期六, 礼拜天), its numeral already
# in digits: set aside, then held against the day (a wrong one means the clerk must ask which is right).
_WEEKDAY = re.compile(r"\s*[（(]?\s*(?:星期|礼拜|周)\s*([1-6日天])\s*[）)]?")
# 元月 is January as people write it (元旦 alone is a holiday, not a day to guess).
_FIRST_MONTH = re.compile(r"年\s*元月")
# The full stop after a day: 2026.12.7. or 2026年12月7日。
_FULL_STOP = re.compile(r"(?<=[0-9日号分时点半])\s*[.。．]$")
# The year last, 12/7/2026 or 7.12.2026: month/day in some places, day/month in others.
_YEAR_LAST = re.compile(r"^(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*\2\s*(\d{4})" + _TIME_OF_DAY + "$")
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


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(m: re.Match | None) -> dt.date | None:
    return None if m is None else _date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))


def _typed_reading(text: str) -> tuple[dt.date | None, Phrase | None]:
    """(the day typed, None), or (None, why a day written two ways at once is not read), or (None, None)."""
    text = _FIRST_MONTH.sub("年1月", arabic_numerals(text.strip()))
    weekday = None
    found = list(_WEEKDAY.finditer(text))
    if len(found) == 1 and found[0].start() > 0:  # after the day, never in its place
        w = found[0]
        weekday = 7 if w.group(1) in "日天" else int(w.group(1))
        text = (text[:w.start()] + " " + text[w.end():]).strip()
    text = _FULL_STOP.sub("", text)
    day = _day(_TYPED.match(text) or _DIGITS.match(text))
    if day is not None:
        readings = [day]
    else:
        m = _YEAR_LAST.match(text)
        if m is None:
            return None, None
        year, first, second = int(m.group(4)), int(m.group(1)), int(m.group(3))
        # month/day, then day/month: one day where both read the same or only one reads at all
        readings = list(dict.fromkeys(d for d in (_date(year, first, second), _date(year, second, first)) if d))
    agreeing = [d for d in readings if weekday is None or d.isoweekday() == weekday]
    if len(agreeing) == 1:
        return agreeing[0], None
    if len(readings) == 2:
        (a, b) = readings
        return None, Phrase("date_order_ambiguous", y=a.year, m1=a.month, d1=a.day, m2=b.month, d2=b.day)
    if readings:
        day = readings[0]
        return None, Phrase("date_weekday_disagrees", y=day.year, m=day.month, d=day.day,
                            actual=Phrase(f"weekday_{day.isoweekday()}"), written=Phrase(f"weekday_{weekday}"))
    return None, None


def typed_day(text: str) -> dt.date | None:
    """The day a clerk typed (the cell's text, trimmed): the whole text is a date, with a time of day
    after it or not, as villages write it (see above). None for anything else: a month alone, a day
    without its year, a day count, a day whose weekday disagrees, 12/7/2026 (which is the month?)."""
    return _typed_reading(text)[0]


def typed_day_doubt(text: str) -> Phrase | None:
    """Why a day typed is not read, where it is one written two ways at once: its weekday disagrees
    with it (both are said, for the clerk to ask which is right), or month and day could be either
    way round (both days are said). None where typed_day reads it, or it is no day at all."""
    return _typed_reading(text)[1]


def exported_day(text: str) -> dt.date | None:
    """The day an export's cell begins with (a month alone: its first day), or that an Excel day
    count in it counts. None where none reads."""
    text = text.strip()
    if EXCEL_DAY_COUNT.fullmatch(text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    text = arabic_numerals(text)
    return _day(_DIGITS.match(text) or EXPORTED_DAY.match(text))
