"""Money as people read it: integer fen written as yuan with two decimals, exactly (no float).

One function for a column and for a single amount, so the ledger, the messages and `explain`
always print the same figure for the same fen."""

from __future__ import annotations

import re
from decimal import Decimal

import numpy as np
import pandas as pd

_CENTS = np.array([f".{c:02d}" for c in range(100)], dtype=object)


def fen_text(fen):
    """Integer fen as yuan with two decimals ('1234.50', '-3.07'). A Series gives a Series of text
    (NA as ''); a single amount gives its text (None for NA)."""
    if not isinstance(fen, pd.Series):
        if fen is None or pd.isna(fen):
            return None
        fen = int(fen)
        return f"{'-' if fen < 0 else ''}{abs(fen) // 100}{_CENTS[abs(fen) % 100]}"
    f = fen.astype("Int64")
    known = f.notna().to_numpy(dtype=bool)
    values = f.to_numpy(dtype=np.int64, na_value=0)
    magnitude = np.abs(values)
    text = np.array(list(map(str, (magnitude // 100).tolist())), dtype=object) + _CENTS[magnitude % 100]
    negative = values < 0
    if negative.any():
        text[negative] = "-" + text[negative]
    text[~known] = ""
    return pd.Series(text, index=fen.index, dtype=object)


# Where a thousands separator goes in a figure's whole yuan (3,218.00; 11,244).
_THOUSANDS = r"(?<=\d)(?=(?:\d{3})+(?!\d))"


def grouped_fen_text(fen):
    """fen_text with the thousands separated, as a line of text quotes a figure beside the rule's
    (3,218.00, -1,206.50). A Series gives a Series (NA as ''); a single amount its text (None for NA)."""
    text = fen_text(fen)
    if isinstance(text, pd.Series):
        return text.str.replace(_THOUSANDS, ",", regex=True)
    return None if text is None else re.sub(_THOUSANDS, ",", text)


def yuan_words(fen):
    """Integer fen as yuan a person reads in a sentence or a printed cell: thousands separated, two
    decimals where there are fen and none for a whole yuan (11,244.92, 6,800, 0, -1,206.50). A Series
    gives a Series (NA as ''); a single amount its text (None for NA)."""
    text = fen_text(fen)
    if isinstance(text, pd.Series):
        return text.str.removesuffix(".00").str.replace(_THOUSANDS, ",", regex=True)
    return None if text is None else re.sub(_THOUSANDS, ",", text.removesuffix(".00"))


def yuan_figure(amount: Decimal) -> str:
    """A rule's amount in yuan as a message quotes it: no trailing zeros ('100', '0.5')."""
    text = fen_text(int(amount * 100))
    return text.rstrip("0").rstrip(".")


def bound_yuan(fen: int) -> str:
    """A bound's fen as the rules file gives it, in yuan ('3218', '3750.5'): one way wherever a bound
    is said, on the terminal, in the notes and in a printed document's heading alike."""
    return yuan_figure(Decimal(int(fen)) / 100)
