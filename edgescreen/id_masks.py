"""An ID masked as every printed page masks it: the rule, below the outputs, so that a message worded in
the core (a roster's disagreement names whom, outputs/privacy names the rest) masks it alike."""

from __future__ import annotations

import numpy as np
import pandas as pd

_STAR = ord("*")
_LONGEST_SHAPED = 64


def _code_points(values: np.ndarray, width: int) -> np.ndarray:
    """Strings of at most `width` characters as one (n, width) block of code points (0 past each
    string's end): a column worked on at once rather than string by string."""
    return np.array(values.tolist(), dtype=f"U{width}").view(np.uint32).reshape(-1, width)


def _strings(codes: np.ndarray) -> np.ndarray:
    return codes.view(f"U{codes.shape[1]}").ravel().astype(object)


def _in_their_shape(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """IDs masked by mask_id's rule, for the values of printable ASCII and at most _LONGEST_SHAPED
    characters, as one block of code points; and where they were. In ASCII the rule's digits are
    0-9 and nothing else; the other values are left to the rule as a pattern."""
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    at = np.flatnonzero(np.fromiter(map(str.isascii, values), dtype=bool, count=len(values))
                        & np.fromiter(map(str.isprintable, values), dtype=bool, count=len(values))
                        & (lengths >= 1) & (lengths <= _LONGEST_SHAPED))
    if not len(at):
        return np.empty(0, dtype=object), at
    codes = _code_points(values[at], int(lengths[at].max()))
    length = lengths[at][:, None]
    place = np.arange(codes.shape[1])
    hidden = (place < length) & ((length < 11) | ((place >= 6) & (place < length - 4)))
    codes[hidden & (codes >= ord("0")) & (codes <= ord("9"))] = _STAR
    return _strings(codes), at


def mask_id(ids: pd.Series) -> pd.Series:
    """A well-formed ID as its first 6 + ******** + its last 4; a malformed one in its own shape (the
    digits between its first 6 and last 4 starred one for one, every other character as typed; all
    its digits starred when it is shorter than 11). Both are one rule: a well-formed ID's characters
    between its first 6 and last 4 are the 8 digits starred."""
    text = ids.astype("string").fillna("")
    values = text.to_numpy(dtype=object)
    out = np.empty(len(values), dtype=object)
    shaped, at = _in_their_shape(values)
    out[at] = shaped
    rest = np.ones(len(values), dtype=bool)
    rest[at] = False
    if rest.any():  # blanks, full-width digits, other scripts: the rule as a pattern, value by value
        other = text[rest]
        middle = other.str[:6] + other.str[6:-4].str.replace(r"\d", "*", regex=True) + other.str[-4:]
        out[rest] = middle.where(other.str.len() >= 11, other.str.replace(r"\d", "*", regex=True)).to_numpy(
            dtype=object)
    return pd.Series(out, index=ids.index, dtype=object)


__all__ = ["mask_id"]
