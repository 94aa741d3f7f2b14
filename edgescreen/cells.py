"""A sheet's cells, as calamine gives them (rows of str, float, int, bool, dates, None), made into
columns of text: the one conversion of every workbook read, in this process or in the helper. And
texts joined so that they split back (`joined_apart`), for a column looked at or sent as one string.

numpy only, no pandas: the helper process converts the second half of a large sheet
(workbook.text_of_second_half) before it has loaded pandas, and its text must be this process's,
character for character."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np


def rows_as_columns(rows: list[list]) -> list[np.ndarray]:
    """Rows of cells as columns (object arrays), the short rows padded with blanks."""
    if not rows:
        return []
    width = max(map(len, rows))
    if min(map(len, rows)) < width:  # numpy would make an array of lists of them
        rows = [list(r) + [""] * (width - len(r)) for r in rows]
    block = np.empty((len(rows), width), dtype=object)
    block[:] = rows
    return list(block.T)


def cells_as_text(values: np.ndarray) -> np.ndarray:
    """One column of cells (str, float, int, bool, dates, None) as stripped text, '' for a blank.

    Whole numbers lose their '.0' (Excel stores 1200 as 1200.0), below 1e16 where a float still
    prints as digits; larger ones and fractions print as Python prints the float (2.2e+17: an ID
    Excel has turned into a number stays recognisable as one); a fraction below 1e-4 prints without an
    exponent, to 12 decimals (a formula's noise, -9.1e-14, is -0). Work is per type, not per cell.
    """
    values = np.asarray(values, dtype=object)
    n = len(values)
    types = np.fromiter(map(type, values), dtype=object, count=n)
    is_str = types == str
    if is_str.all():  # all text: one C-level pass
        return np.fromiter(map(str.strip, values), dtype=object, count=n)
    out = np.full(n, "", dtype=object)
    if is_str.any():
        out[is_str] = np.fromiter(map(str.strip, values[is_str]), dtype=object, count=int(is_str.sum()))
    is_float = types == float
    if is_float.any():
        # Each distinct number printed once (a column of amounts repeats a few hundred values).
        numbers, codes = np.unique(values[is_float].astype(np.float64), return_inverse=True)
        whole = np.isfinite(numbers) & (numbers == np.trunc(numbers)) & (np.abs(numbers) < 1e16)
        text = np.empty(len(numbers), dtype=object)
        text[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
        text[~whole] = list(map(str, numbers[~whole].tolist()))
        # A formula's binary noise (=(1200.3-1200.2)-0.1 saved as -9.0955021292416e-14, shown 0.00) and
        # any fraction Python would print with an exponent: its digits, as a sheet shows them, read as
        # the amount they are, never "not a number".
        tiny = np.isfinite(numbers) & ~whole & (np.abs(numbers) < 1e-4)
        text[tiny] = [np.format_float_positional(v, precision=12, trim="-") for v in numbers[tiny].tolist()]
        text[np.isnan(numbers)] = ""
        out[is_float] = text[codes.reshape(-1)]
    other = ~is_str & ~is_float & (types != type(None))
    if other.any():  # int, bool, datetime, date, time, timedelta: as Python prints them
        out[other] = [str(v).strip() for v in values[other]]
    return out


def joined_apart(texts: list[str], sep: str) -> str | None:
    """The texts joined by `sep` where none of them holds it, so that the joined text splits back
    into them; None where one does."""
    joined = sep.join(texts)
    return joined if joined.count(sep) == max(len(texts) - 1, 0) else None


def affirmed(words) -> str:
    """A pattern of `words`, each not after a word that says it did not happen (未停保, 没有受灾,
    不停发, 无灾害): the longer words first."""
    return "(?<![未没不非无])(?<!没有)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


def texts_matching(texts: np.ndarray, pattern: re.Pattern | str, sep: str = "\x00", *,
                   joined: str | None = None) -> np.ndarray:
    """Positions (sorted, each once) of the texts (an object array of str) in which `pattern` finds a
    match: one search over them joined by `sep`, which the pattern must never match across, not one
    per text. A text holding `sep` itself is still told apart (by the texts' lengths). `joined`: the
    texts joined by `sep` already, where the caller has looked at them so."""
    joined = sep.join(texts.tolist()) if joined is None else joined
    hits = [m.start() for m in re.finditer(pattern, joined)]
    if not hits:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + len(sep))
    return np.unique(np.searchsorted(ends, np.asarray(hits, dtype=np.int64), side="right"))


def texts_saying(texts: np.ndarray, says: Callable[[str], bool]) -> np.ndarray:
    """Which of `texts` (an object array of str, the few a texts_matching search found) `says` holds
    for, asked once per distinct text: a note read clause by clause (catalogue.NoteWords)."""
    if not len(texts):
        return np.zeros(0, dtype=bool)
    distinct, codes = np.unique(texts.astype(str), return_inverse=True)
    return np.fromiter(map(says, distinct.tolist()), dtype=bool, count=len(distinct))[codes]


def plain_numbers(texts: np.ndarray, int_digits: int, frac_digits: int = 0, sign: bool = False) -> np.ndarray:
    """Which texts (an object array of str) are a number as a form is filled in, whole: a minus
    (with `sign`), 1 to `int_digits` ASCII digits and, with `frac_digits`, a point and 1 to that
    many digits; what the pattern -?[0-9]{1,i}(?:\\.[0-9]{1,f})? matches. Told for every text from
    one look at the bytes of all of them joined (a regex over them is ten times slower)."""
    n = len(texts)
    if not n:
        return np.zeros(0, dtype=bool)
    joined = joined_apart(texts.tolist(), "\n")
    if joined is None:  # a text holds a line break, so is no number: the others are looked at
        broken = np.fromiter(("\n" in t for t in texts.tolist()), dtype=bool, count=n)
        return ~broken & plain_numbers(np.where(broken, "", texts), int_digits, frac_digits, sign)
    data = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    breaks = np.flatnonzero(data == 10)
    starts = np.r_[0, breaks + 1]
    ends = np.r_[breaks, len(data)]
    digit = (data >= 48) & (data <= 57)
    dot = data == 46
    minus = data == 45
    other = ~(digit | dot | minus) & (data != 10)  # any other byte, a non-ASCII one's included

    def count(flags: np.ndarray) -> np.ndarray:  # per text, from a running total: empty texts too
        total = np.zeros(len(flags) + 1, dtype=np.int64)
        np.cumsum(flags, out=total[1:])
        return total[ends] - total[starts]

    padded = np.r_[data, 0]
    signed = (ends > starts) & (padded[starts] == 45)
    dots = count(dot)
    # The last point of each text (if it has one), from the running maximum of points' positions.
    last_dot = np.r_[np.maximum.accumulate(np.where(dot, np.arange(len(data)), -1)), -1]
    point = np.where(dots > 0, last_dot[ends - 1], ends)
    whole_digits = point - starts - signed
    fraction_digits = np.where(dots > 0, ends - point - 1, 0)
    return ((count(other) == 0) & (count(minus) == (signed if sign else 0)) & (dots <= (1 if frac_digits else 0))
            & (whole_digits >= 1) & (whole_digits <= int_digits)
            & ((dots == 0) | ((fraction_digits >= 1) & (fraction_digits <= frac_digits))))
