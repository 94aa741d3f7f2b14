"""A sheet's cells, as calamine gives them (rows of str, float, int, bool, dates, None), made into
columns of text: the one conversion of every workbook read, in this process or in the helper. And
texts joined so that they split back (`joined_apart`), for a column looked at or sent as one string.

numpy only, no pandas: the helper process converts the second half of a large sheet
(workbook.text_of_second_half) before it has loaded pandas, and its text must be this process's,
character for character."""

from __future__ import annotations

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
    Excel has turned into a number stays recognisable as one). Work is per type, not per cell.
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
