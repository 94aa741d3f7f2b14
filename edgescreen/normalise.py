"""Parse raw cell text into typed columns, vectorised, and report what cannot be parsed.

Money becomes integer fen, exactly. Its grammar, after NFKC (full-width digits, commas and ¥ become
ASCII) and trimming, with spaces allowed between the parts but not inside the digits:

    [+|-] [人民币|RMB|CNY|¥|$] [+|-] INTEGER [. DIGITS] [万] [元[整]]    (one sign at most)
    INTEGER = 1 to 13 digits, or 1 to 3 digits then groups of «,» and exactly 3 digits

so `1200`, `1,200`, `12,000.50`, `1200元`, `1112元整` (as receipts write it), `¥1,200`, `RMB1200`, `１２００`, `1.2万`, `0.35万元`, `.5` and `-300` are
amounts, while `12,00`, `1,2,0,0,0`, `1.200,50` (a European decimal comma), `1 200`, `1200元5` and
`见备注` are not_a_number. A thousands separator that does not group by three is a typing error
(12,00 may be 1200 or 12.00): it is reported, never guessed. Yuan keep two decimals and 万 six, the
next digit rounding half up; at most 9 digits before the point with 万. What a clerk writes for none
(a dash, 无, 零: fields.toml [money] none) is 0 yuan, as a 0 typed is, with a currency sign before it
or not (¥-, as Excel's 会计专用 format shows a zero).

A point may be a thousands separator, as some exports write amounts (12.000, 1.200.000): read as a
decimal, 12.000 is a thousandth of the 12000 it may mean. Text that groups by three with points, after
1 to 3 digits (no 万), is not read either way but flagged amount_dot_grouping, where a number cell could
not hold it: several points, or three decimals ending in 0 (a number never shows a trailing zero:
1.200 was typed). Three decimals ending otherwise (1.234) may be a number cell's value; they are read
as the decimal they say (amount_below_fen warns of the rounding where it could decide) unless the same column of the sheet
holds a grouping flagged so (normalise). 12.0, 12.50 and 3218.5 are amounts.

Counts become integers (`3`, `3人`, `3.0`); yes/no cells become booleans (是/否, Y/N, √/×, 1/0, 有/无); ID
numbers lose inner spaces and get an upper-case X. A blank money cell reads as 0 and a blank yes/no
cell as 否, each with a warning (an export's word for a blank, NULL or (跳过), is a blank: fields.toml
[money] blank),
except the components of a total given without them (decided on the total, one warning:
checks.check_totals); a column absent from a sheet stays NA. A formula cell
whose value was never calculated is not parsed at all: it is flagged formula_not_calculated, unless it
only adds up blank cells of its row that the form reads (read.SUMMED_BLANK: 0, and no total typed
alone); a number in a date-formatted cell, read as a date, is number_in_date_cell; a cell
of an Excel error value (#N/A, #VALUE!), which calamine reads as blank, is flagged error_value.
"""

from __future__ import annotations

import itertools
import operator
import re
import string
import unicodedata
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import Protocol

import numpy as np
import pandas as pd

from .catalogue import fields, normalise_header
from .header import chosen_options
from .cells import joined_apart, plain_numbers, texts_matching
from .compute import blank_components, total_alone_column
from .issues import IssueLog
from .inputs import CSV_SUFFIXES
from .read import BEYOND_HEADER, CURRENCY, PLACE_FIELDS, ROW_FIELDS, SUMMED_BLANK, TEXT, TICKED, OPTIONS, money_none, \
    together_fields
from .rules import RuleSet
from .systemic import habit_blocks
from .texts import either

# [0-9], not \d: after NFKC full-width digits are ASCII, and other scripts' digits (٣, ३) are not
# amounts a county types; \d would let them through to an integer conversion that cannot take them.
# The grammar of the module's docstring, over text whose spaces beside the parts are removed.
_MONEY_RE = (rf"^(?P<sign>[+-]?){CURRENCY}?(?P<sign2>[+-]?)"
             r"(?P<int>[0-9]{0,13}|[0-9]{1,3}(?:,[0-9]{3}){1,3})(?:\.(?P<frac>[0-9]*))?(?P<wan>万)?(?:元整?)?$")
_PRINTABLE_WITHOUT_SPACE = bytes(range(0x21, 0x7F))
# The characters of an ID as it is written (digits, upper-case letters): bytes.translate deletes them.
_WRITTEN_ID_BYTES = string.digits.encode() + string.ascii_uppercase.encode()
# Spaces that are not between two digits (1200 元, ¥ 1200, - 300): dropped before the grammar applies.
_LOOSE_SPACE = r"(?<![0-9])\s+|\s+(?![0-9])"
_INT_RE = r"^(?P<sign>[+-]?)(?P<int>[0-9]{1,9})(?:\.(?P<frac>[0-9]+))?$"
# An amount whose points may group thousands (the module's docstring): 1 to 3 digits, then one or more
# groups of a point and exactly 3 digits; the grammar's currency and 元 around it, never 万.
_DOTTED_RE = (rf"^(?P<sign>[+-]?){CURRENCY}?(?P<sign2>[+-]?)"
              r"(?P<lead>[1-9][0-9]{0,2})(?P<groups>(?:\.[0-9]{3})+)(?:元整?)?$")


# Characters that take no room on screen (zero-width space and joiners, word joiner, a BOM pasted
# from a web page; the marks and embeddings of bidirectional text, which a copy from a web page or a
# PDF carries: LRM, RLM, ALM, U+202A-202E, U+2066-2069): an ID or a village that holds one looks right
# and is read wrong (an ID of "20 characters", a second 前岗村).
# And the control characters no survey means (BEL, ESC, DEL …; not NUL, which _already_normalised joins
# by): a village with one was a second village, a name with an ESC sequence recoloured the terminal.
_INVISIBLE = "[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\u061c\ufeff\x01-\x08\x0e-\x1b\x7f-\x9f]"
_INVISIBLE_RE = re.compile(_INVISIBLE)


def _nfkc(raw: pd.Series) -> pd.Series:
    """NFKC-folded, trimmed text without invisible characters; an absent column (NA) becomes '' (its
    state says 'absent')."""
    # A ' before the value is an export's mark for text written into the cell ('5850.00, '否): no part of it.
    return raw.fillna("").str.normalize("NFKC").str.replace(_INVISIBLE, "", regex=True).str.strip() \
        .str.replace(r"^'\s*", "", regex=True)


def _without_quote_mark(text: pd.Series, joined: str | None = None) -> pd.Series:
    """Text without an export's leading ' (the plain ASCII values normalise_text passes as they are):
    one look at the column joined by NUL (`joined`, where the caller has it), the values changed only
    when one begins with it."""
    joined = "\x00".join(_values(text).tolist()) if joined is None else joined
    if not joined.startswith("'") and "\x00'" not in joined:
        return text
    return text.str.replace(r"^'", "", regex=True)


def _digits_to_int(digits: pd.Series) -> np.ndarray:
    """A column of ASCII digit strings (≤ 18 digits) to int64; '' is 0."""
    return pd.to_numeric(digits.replace("", "0"), errors="raise").to_numpy(dtype=np.int64)


def _values(raw: pd.Series) -> np.ndarray:
    """The cells as an object array of str, NA as ''."""
    return raw.to_numpy(dtype=object, na_value="")


def _made_only_of(values: np.ndarray, allowed: bytes) -> bool:
    """Whether every value (an object array of str) is ASCII made of the characters `allowed` and
    no other: one look at all of them joined, not one per value."""
    return _only_of("".join(values.tolist()), allowed)


def _only_of(text: str, allowed: bytes) -> bool:
    """Whether `text` is ASCII made of the characters `allowed` and no other."""
    return text.isascii() and not text.encode("ascii").translate(None, allowed)


def _each(fn, values: np.ndarray, dtype=bool) -> np.ndarray:
    """fn over every value, as a numpy array (a C-level map, no Python loop body)."""
    return np.fromiter(map(fn, values), dtype=dtype, count=len(values))


def by_distinct(raw: pd.Series, fn):
    """fn(Series) once per distinct value of raw (NA included), spread back over raw's index.
    fn returns a Series or a tuple of them, each aligned with its argument."""
    codes, uniques = pd.factorize(raw, use_na_sentinel=False)
    result = fn(pd.Series(uniques, dtype=raw.dtype))
    spread = lambda r: pd.Series(r.array.take(codes), index=raw.index)  # noqa: E731
    return tuple(spread(r) for r in result) if isinstance(result, tuple) else spread(result)


# A parse's state per cell, as a categorical: comparing a million of them is a comparison of codes.
STATES = pd.CategoricalDtype(["ok", "blank", "absent", "bad", "fraction", "grouped"])


def _states(state: pd.Series) -> pd.Series:
    return state.astype(STATES)


_OK, _BLANK, _ABSENT = (STATES.categories.get_loc(s) for s in ("ok", "blank", "absent"))


def _with_fast_path(raw: pd.Series, values: np.ndarray, fast: np.ndarray, fast_values, slow, dtype: str,
                    blank_value=pd.NA):
    """(values, state): `fast_values` for the cells `fast` marks; a cell empty ('') blank, its value
    `blank_value` (what `slow` gives one: 0 for money, NA for a count), and a cell not there (NA)
    absent, as `slow` says them; `slow` (the general parser, run once per distinct value) for the
    rest. `values`: the cells as _values gives them (NA as '')."""
    absent = raw.isna().to_numpy(dtype=bool)
    blank = (values == "") & ~absent
    settled = fast | blank | absent
    if not settled.any():
        value, state = by_distinct(raw, slow)
        return value, _states(state)
    out = pd.array(np.zeros(len(raw), dtype=np.int64), dtype=dtype)
    out[fast] = fast_values
    out[blank] = blank_value
    out[absent] = pd.NA
    codes = np.full(len(raw), _OK, dtype=np.int8)
    codes[blank] = _BLANK
    codes[absent] = _ABSENT
    if not settled.all():
        value, state = by_distinct(raw[~settled], slow)
        out[~settled] = value.array
        codes[~settled] = _states(state).cat.codes.to_numpy()
    return pd.Series(out, index=raw.index), \
        pd.Series(pd.Categorical.from_codes(codes, dtype=STATES), index=raw.index)


def _combine_text(raw: pd.Series, fast: np.ndarray, fast_values: np.ndarray, slow) -> pd.Series:
    """A text column: `fast_values` where `fast`, slow(…) once per distinct value elsewhere."""
    out = np.empty(len(raw), dtype=object)
    out[fast] = fast_values
    if not fast.all():
        out[~fast] = by_distinct(raw[~fast], slow).to_numpy(dtype=object, na_value=pd.NA)
    return pd.Series(pd.array(out, dtype=TEXT), index=raw.index)


def parse_money(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(fen as Int64, state) where state is 'ok', 'blank', 'absent', 'bad' or 'grouped' (points that
    group thousands where a number cell could not hold them: 12.000, 1.200.000; NA, not read)."""
    values = _values(raw)
    # Amounts as most cells hold them, parsed without the general path: ASCII digits, at most 11
    # before the point (a float carries them and two decimals exactly) and at most 2 after it.
    plain = plain_numbers(values, 11, 2, sign=True)
    fen = np.rint(values[plain].astype(np.float64) * 100).astype(np.int64)
    return _with_fast_path(raw, values, plain, fen, _parse_money, "Int64", blank_value=0)


def _parse_money(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The general money parser: the grammar of the module's docstring, rounding half up."""
    text = _nfkc(raw).str.replace(_LOOSE_SPACE, "", regex=True)
    state = pd.Series(np.where(raw.isna(), "absent", np.where(text == "", "blank", "bad")), index=raw.index)
    # A dash or 无 written for none, ¥ before it or not, is 0 yuan, as a 0 typed is (read.money_none).
    none = money_none(text, normalised=True) & raw.notna().to_numpy()
    parts = text.str.extract(_MONEY_RE)
    digits = parts["int"].fillna("").str.replace(",", "", regex=False)
    wan = parts["wan"].notna()
    matched = parts["int"].notna() & ((digits != "") | parts["frac"].fillna("").ne("")) \
        & ~((parts["sign"] != "") & (parts["sign2"] != "")) & ~(wan & (digits.str.len() > 9))
    fen = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    fen[state == "blank"] = 0
    fen[none] = 0
    state[none] = "ok"
    if matched.any():
        p = parts[matched]
        wan = p["wan"].notna().to_numpy()
        frac = p["frac"].fillna("")
        # yuan to fen keeps 2 decimals, 万 to fen keeps 6; the next digit rounds half up.
        keep2 = _digits_to_int(frac.str.pad(3, side="right", fillchar="0").str[:3])
        keep6 = _digits_to_int(frac.str.pad(7, side="right", fillchar="0").str[:7])
        whole = _digits_to_int(digits[matched])
        kept = np.where(wan, keep6, keep2)
        magnitude = np.where(wan, whole * 1_000_000, whole * 100) + (kept + 5) // 10
        sign = np.where((p["sign"] + p["sign2"]).to_numpy() == "-", -1, 1)
        fen[matched] = sign * magnitude
        state[matched] = "ok"
    dotted = dot_readings(text, cleaned=True)
    grouped = (dotted["shape"] == "many") | ((dotted["shape"] == "one") & dotted["zero_last"])
    if grouped.any():
        fen[grouped] = pd.NA
        state[grouped] = "grouped"
    return fen, state


def dot_readings(raw: pd.Series, cleaned: bool = False) -> pd.DataFrame:
    """Each cell's points as thousands separators (_DOTTED_RE): shape 'one' (one point: 12.000,
    1.234), 'many' (1.200.000) or '' (no such amount); the two readings, decimal (12, 1.234; '' for
    'many') and grouped (12000, 1234); zero_last, three decimals ending in 0. `cleaned`: the text is
    NFKC already, without the spaces between the parts."""
    text = raw if cleaned else _nfkc(raw).str.replace(_LOOSE_SPACE, "", regex=True)
    parts = text.str.extract(_DOTTED_RE)
    groups = parts["groups"].fillna("")
    found = parts["lead"].notna() & ~((parts["sign"] != "") & (parts["sign2"] != ""))
    sign = (parts["sign"].fillna("") + parts["sign2"].fillna("")).str.replace("+", "", regex=False)
    one = found & (groups.str.len() == 4)
    lead = parts["lead"].fillna("")
    decimal = (lead + groups).str.rstrip("0").str.rstrip(".")
    return pd.DataFrame({
        "shape": np.where(one, "one", np.where(found, "many", "")),
        "decimal": (sign + decimal).where(one, ""),
        "grouped": (sign + lead + groups.str.replace(".", "", regex=False)).where(found, ""),
        "zero_last": (one & groups.str.endswith("0")).to_numpy(dtype=bool),
    }, index=raw.index)


def _marked_in_wan(text: pd.Series) -> pd.Series:
    """Cells of a sheet that gives its amounts in 万元, as read: a cell holding a digit and neither
    万 nor 元 gets 万 after it (a dash or 无 stays none, 1.5万 and 15000元 stay as they say)."""
    values = text.fillna("")
    plain = values.str.contains(r"[0-9０-９]", regex=True) & ~values.str.contains(r"[万元]", regex=True)
    marked = text.where(~plain.to_numpy(dtype=bool), values + "万")
    return pd.Series(pd.array(marked.to_numpy(dtype=object, na_value=None), dtype=TEXT), index=text.index)


def below_fen(raw: pd.Series, wan: np.ndarray | None = None) -> np.ndarray:
    """Which money cells hold a part below the fen (11999.996, 1.23456789万) that parse_money rounds
    away; the cells at `wan` read as 万 (_marked_in_wan). Not a float's binary noise (3218.0000000001,
    0.30000000000000004): a part within a thousandth of a fen of a whole fen does not count. Only
    cells with more than two decimals are looked at, each distinct text once."""
    text = raw if wan is None or not wan.any() else raw.where(~wan, _marked_in_wan(raw[wan]))
    values = _values(text)
    out = np.zeros(len(values), dtype=bool)
    maybe = _with_three_decimals(values)
    if len(maybe):
        out[maybe] = by_distinct(text[maybe], _beyond_fen).to_numpy(dtype=bool)
    return out


def _with_three_decimals(values: np.ndarray) -> np.ndarray:
    """Positions of the texts (an object array of str) where a point is followed by three digits or
    more: one regex search over them joined, not one per text (a point is rare in a column)."""
    joined = "\n".join(values.tolist())
    # Full-width points and digits (NFKC makes them ASCII) only where a text holds one: a slower search.
    return texts_matching(values, r"[.．][0-9０-９]{3}" if "．" in joined else r"\.[0-9０-９]{3}", "\n",
                          joined=joined)


def _beyond_fen(raw: pd.Series) -> pd.Series:
    text = _nfkc(raw).str.replace(_LOOSE_SPACE, "", regex=True)
    parts = text.str.extract(_MONEY_RE)
    frac = parts["frac"].fillna("")
    beyond = frac.str[2:].where(parts["wan"].isna(), frac.str[6:])
    # The part below the fen, in millionths of a fen.
    millionths = _digits_to_int(beyond.str.pad(6, side="right", fillchar="0").str[:6])
    off = np.minimum(millionths, 1_000_000 - millionths) > 1000
    return pd.Series(off & parts["int"].notna().to_numpy(), index=raw.index)


def read_as_wan(typed: pd.Series, fen: pd.Series) -> np.ndarray:
    """Per cell, whether a bare number was read in 万元: its fen are the number × 1,000,000 (a sheet
    headed 单位:万元). A cell that says its unit itself (7000元, 1.2万) or holds no number is False:
    what the reports say of a cell's unit is what the cell shows, one test for all of them."""
    number = pd.to_numeric(pd.Series(typed.to_numpy(dtype=object), dtype=object), errors="coerce").to_numpy(dtype=float)
    read = pd.Series(fen.to_numpy()).astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        return (np.rint(number * 1_000_000) == read) & (number != 0)


def _read_in_wan(raw: pd.Series, wan: np.ndarray, fen: pd.Series, state: pd.Series) -> tuple[pd.Series, pd.Series]:
    """parse_money's (fen, state) with the cells at `wan` read as 万 (_marked_in_wan)."""
    if not wan.any():
        return fen, state
    wan_fen, wan_state = parse_money(_marked_in_wan(raw[wan]))
    fen, state = fen.copy(), state.copy()
    fen[wan] = wan_fen.array
    state[wan] = wan_state.to_numpy()
    return fen, state


class PackedColumn:
    """A column of text made cheap to send to another process: pickled, its cells go as one string
    joined (one copy of its characters, where a column pickles an object per cell), with which cells
    are NA, its index and dtype, and come back as the same column. Never pickled (parsed in this
    process), it is the column itself, untouched."""

    SEPARATOR = "\x00"

    def __init__(self, column: pd.Series):
        self._column = column

    def column(self) -> pd.Series:
        return self._column

    def __reduce__(self):
        column = self._column
        values = column.to_numpy(dtype=object)
        missing = None
        try:
            text = joined_apart(values.tolist(), self.SEPARATOR)
        except TypeError:  # an NA among the cells (rare: a column absent from a sheet)
            missing = column.isna().to_numpy(dtype=bool)
            values = values.copy()
            values[missing] = ""
            text = joined_apart(values.tolist(), self.SEPARATOR)
        if text is None:  # a cell holds the separator
            return PackedColumn, (column,)
        return _unpacked_column, (text, missing, column.index, column.dtype)


def _unpacked_column(text: str, missing: np.ndarray | None, index: pd.Index, dtype) -> PackedColumn:
    values = np.empty(len(index), dtype=object)
    if len(values):
        values[:] = text.split(PackedColumn.SEPARATOR)
    if missing is not None:
        values[missing] = None
    return PackedColumn(pd.Series(values, index=index, dtype=dtype))


def money_column(raw: pd.Series | PackedColumn, wan: np.ndarray | None = None
                 ) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """One money column parsed: (fen, state) as parse_money gives them, the cells at `wan` read as 万
    (_read_in_wan), and which cells hold a part below the fen (below_fen). A call of its own: the
    money columns may be parsed in another process (normalise's `elsewhere`), sent packed."""
    if isinstance(raw, PackedColumn):
        raw = raw.column()
    fen, state = parse_money(raw)
    if wan is not None:
        fen, state = _read_in_wan(raw, wan, fen, state)
    return fen, state, below_fen(raw, wan)


def parse_integer(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(Int64, state) with state 'ok', 'blank', 'absent', 'fraction' (not whole) or 'bad'."""
    values = _values(raw)
    plain = plain_numbers(values, 9)
    return _with_fast_path(raw, values, plain, values[plain].astype(np.int64), _parse_integer, "Int64")


def _parse_integer(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    text = _nfkc(raw).str.replace(r"\s+", "", regex=True).str.replace(r"(?:口人|人|口|名)$", "", regex=True)
    state = pd.Series(np.where(raw.isna(), "absent", np.where(text == "", "blank", "bad")), index=raw.index)
    parts = text.str.extract(_INT_RE)
    matched = parts["int"].notna()
    whole = matched & parts["frac"].fillna("0").str.fullmatch(r"0+")
    value = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    if whole.any():
        p = parts[whole]
        value[whole] = np.where(p["sign"].to_numpy() == "-", -1, 1) * _digits_to_int(p["int"])
        state[whole] = "ok"
    state[matched & ~whole] = "fraction"
    return value, state


def _flag_blank_hint(blocks: np.ndarray, value: pd.Series, state: pd.Series,
                     other_flags: list[tuple[pd.Series, pd.Series]] = ()) -> np.ndarray:
    """The hint of each blank 是/否 cell: 'missing_flag_ticks' on a sheet whose filled cells of the
    column all say yes (√ or 是 where it applies, blank elsewhere: a form's way without 打√ in its
    header), where the blanks are most likely its no; else 'missing_flag'. A column with no cell filled
    on a sheet where one of `other_flags` (the other 是/否 columns' (value, state)) is ticked so is the
    same habit with no one to tick (no 特困 household in the township: an outside try, 2026-12-06), not
    a column never filled in. Judged per sheet, and of a sheet per village and enumerator (填表人) where
    those are known: a township's sheet holds villages and enumerators of different habits (one ticks √
    only, the next writes 是/否), and one's habit is no other's: `blocks`, systemic.habit_blocks."""
    sheets = pd.factorize(np.asarray(blocks))[0]

    def ticks_only(value: pd.Series, state: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        # Per row, of its sheet: the column's filled cells all say yes (one at least); no cell filled.
        said = (state == "ok").to_numpy(dtype=bool)
        yes = said & value.fillna(False).to_numpy(dtype=bool)
        any_yes = np.bincount(sheets, weights=yes)[sheets] > 0
        any_no = np.bincount(sheets, weights=said & ~yes)[sheets] > 0
        return any_yes & ~any_no, ~any_yes & ~any_no

    ticked, unfilled = ticks_only(value, state)
    if unfilled.any() and len(other_flags):
        ticked = ticked | (unfilled & np.logical_or.reduce([ticks_only(v, s)[0] for v, s in other_flags]))
    return either(ticked, "missing_flag_ticks", "missing_flag")


def parse_flag(raw: pd.Series, spec=None) -> tuple[pd.Series, pd.Series]:
    """(boolean, state) with state 'ok', 'blank' (read as 否), 'absent' or 'bad'; with a field's `spec`,
    its own answers too (是(低保) under 是否低保户: FieldSpec.yes/no). Each distinct text is read once
    per process and its reading kept (_FLAG_READINGS): a county's 是/否 columns hold a handful of
    texts, read again in every run a notebook or a register command makes."""
    words = fields().flags
    kept = _FLAG_READINGS.setdefault((words.yes, words.no, *((spec.yes, spec.no) if spec else ())), {})
    if len(raw) and raw.isna().all():  # a column not there (a members sheet without 是否残疾): nothing to hash
        codes, uniques = np.zeros(len(raw), dtype=np.intp), [None]
    else:
        codes, uniques = pd.factorize(raw, use_na_sentinel=False)
        uniques = uniques.tolist()
    texts = [None if u is pd.NA or u is None else u for u in uniques]
    # Read from this call's own copy: a members sheet may be typed in another thread meanwhile.
    said = {t: kept[t] for t in texts if t in kept}
    new = [t for t in texts if t not in said]
    if new:
        value, state = _parse_flag(pd.Series(new, dtype=raw.dtype), spec)
        said.update(zip(new, zip(value.tolist(), state.tolist())))
        if len(kept) + len(new) > _FLAG_READINGS_KEPT:  # bounded: emptied before it would pass the bound
            kept.clear()
        kept.update({t: said[t] for t in new})
    read = [said[t] for t in texts]
    value = pd.array([v for v, _ in read], dtype="boolean").take(codes)
    state = pd.Categorical([s for _, s in read], dtype=STATES).take(codes)
    return pd.Series(value, index=raw.index), pd.Series(state, index=raw.index)


# (the yes and no words) → {a 是/否 cell's text (None: not there) → (value, state)}, parse_flag's readings.
_FLAG_READINGS: dict[tuple, dict] = {}
_FLAG_READINGS_KEPT = 10_000


def _parse_flag(raw: pd.Series, spec=None) -> tuple[pd.Series, pd.Series]:
    words = fields().flags
    yes = {normalise_header(w).upper() for w in (*words.yes, *(spec.yes if spec else ()))}
    no = {normalise_header(w).upper() for w in (*words.no, *(spec.no if spec else ()))}
    text = _nfkc(raw).str.replace(r"\s+", "", regex=True).str.upper()
    # 是(A类), 是(一档): the word before a note of class or grade (a note that may turn the answer,
    # 是(已退出), stays unrecognised, for a person to read); A类低保, 低保二档: a field's word with its
    # class before or after it, the word more than a letter or a digit (10类 is no 1); 1.0 as a number
    # cell written out is 1.
    text = text.str.replace(r"^(.+?)\((?:[A-Z0-9一二三四五六七八九十]{1,3}[类档级等]?)\)$", r"\1", regex=True) \
        .str.replace(r"^[A-Z0-9一二三四五六七八九十]{1,3}[类档级等](.*[^A-Z0-9].*)$", r"\1", regex=True) \
        .str.replace(r"^(.*[^A-Z0-9])[A-Z0-9一二三四五六七八九十]{1,3}[类档级等]$", r"\1", regex=True) \
        .str.replace(r"^([01])\.0+$", r"\1", regex=True)
    is_yes, is_no = text.isin(yes).fillna(False), text.isin(no).fillna(False)
    state = np.select([raw.isna(), text == "", is_yes | is_no], ["absent", "blank", "ok"], "bad")
    value = pd.Series(pd.array(np.where(is_yes, True, False), dtype="boolean"), index=raw.index)
    value[(state == "bad") | (state == "absent")] = pd.NA
    return value, pd.Series(state, index=raw.index)


def _read_options(raw: pd.Series, name: str, rows: np.ndarray, value: pd.Series, state: pd.Series
                  ) -> tuple[pd.Series, pd.Series]:
    """A yes/no field read from a column of options (`rows`: read.OPTIONS) where its cell is no
    plain 是/否: 是 where the cell chooses the field (低保户┋特困人员 under 是否特困人员), 否 where it
    chooses others only and each option is known (低保户; 以上都不是 is a 否 already); a cell with an
    option not known that does not choose the field stays unread (flag_unrecognized, at its cell)."""
    at = rows & (state == "bad").to_numpy(dtype=bool)
    if not at.any():
        return value, state
    said = pd.Series(raw.to_numpy(dtype=object, na_value="")[at], dtype=object)
    read = by_distinct(said, lambda distinct: distinct.map(chosen_options))
    chosen = np.fromiter((name in c for c, _ in read), dtype=bool, count=len(read))
    known = np.fromiter((k for _, k in read), dtype=bool, count=len(read))
    value, state = value.copy(), state.copy()
    where = np.flatnonzero(at)
    ok = chosen | known
    value.iloc[where[ok]] = chosen[ok]
    state.iloc[where[ok]] = "ok"
    return value, state


def normalise_id(raw: pd.Series) -> pd.Series:
    """IDs as they should be written: no spaces anywhere, no apostrophe (' ‘ ’) first or last, upper-case X."""
    written = pd.Series(pd.array(normalised_ids(_values(raw)), dtype=TEXT), index=raw.index)
    return written.where(raw.notna().to_numpy(dtype=bool)) if raw.hasnans else written


def normalised_ids(values: np.ndarray) -> np.ndarray:
    """normalise_id over an object array of text ('' for a blank), as an object array."""
    # ASCII letters and digits only: NFKC, trimming and removing spaces change nothing. All digits
    # (nearly every ID): the cell's own string is kept, not a copy made by upper() (millions of
    # members' IDs: a few hundred megabytes of copies); with a letter (an x), upper-cased. A column
    # where that holds of every ID is known from one look at all of them joined.
    if _made_only_of(values, _WRITTEN_ID_BYTES):
        return values
    ascii_ = _each(str.isascii, values)
    plain = ascii_ & _each(str.isdigit, values)
    maybe = np.flatnonzero(ascii_ & ~plain)
    lettered = maybe[_each(str.isalnum, values[maybe])]
    written = values.copy()
    written[lettered] = _each(str.upper, values[lettered], object)
    plain[lettered] = True
    rest = np.flatnonzero(~plain & (values != ""))
    if len(rest):
        written[rest] = by_distinct(pd.Series(values[rest], dtype=object), _normalise_id).to_numpy(dtype=object,
                                                                                                 na_value="")
    return written


# The marks a clerk puts before an ID to keep it text: Excel's ', or the Chinese keyboard's ‘ or ’ typed
# for it (NFKC leaves these two as they are).
_ID_QUOTES = "'\u2018\u2019"


# An ID written in its three parts (220122-19730401-154X: area, birth date, serial and check): its digits.
_ID_IN_PARTS = r"^([0-9]{6})[-—]([0-9]{8})[-—]([0-9]{3}[0-9X])$"


def _normalise_id(raw: pd.Series) -> pd.Series:
    # An export's ' mark first, or one typed by mistake last (220122…1017'): no ID holds one.
    written = _nfkc(raw).str.replace(r"\s+", "", regex=True).str.strip(_ID_QUOTES).str.upper()
    return written.str.replace(_ID_IN_PARTS, r"\1\2\3", regex=True).where(raw.notna())


def _without_spaces(values: pd.Series) -> pd.Series:
    return values.str.replace(r"\s+", "", regex=True)


def normalise_place(raw: pd.Series) -> pd.Series:
    """A place name (县, 乡镇, 村, 组) as read and as matched, by the survey, its members and the
    rosters alike: normalise_text, an export's ' mark dropped, no spaces (a place name holds none:
    前 岗 村 was typed to line it up) and no stop or comma after it (新立村。 typed as a sentence ends:
    a village of its own, its list apart, an outside try found)."""
    return by_distinct(raw, _place_names)


# Marks a place name never ends with, typed after it as after a word in a sentence.
_PLACE_END_MARKS = ".。、,，;；"


def _place_names(distinct: pd.Series) -> pd.Series:
    return _without_spaces(normalise_text(distinct)).str.rstrip(_PLACE_END_MARKS)


def normalise_text(raw: pd.Series) -> pd.Series:
    """Names of places and people, codes (户编号): NFKC (full-width letters and spaces folded),
    trimmed, an export's leading ' mark dropped."""
    # A column of printable ASCII without a space (户编号, codes, phone numbers): already as
    # normalised as it gets but for the ' mark, which one look at the whole column tells.
    # Names and other Chinese text are most often as normalised too, which one look at the column
    # joined tells as well.
    # Each look is at the one joined text (NUL between the values: no value holds one).
    joined = "\x00".join(_values(raw).tolist())
    if not (_only_of(joined, _PRINTABLE_WITHOUT_SPACE + b"\x00") or _already_normalised(joined)):
        return _without_quote_mark(by_distinct(raw, _normalise_distinct_text))
    text = raw.copy() if raw.dtype == TEXT else pd.Series(pd.array(raw.to_numpy(dtype=object), dtype=TEXT),
                                                         index=raw.index)
    return _without_quote_mark(text, joined)


# Whitespace other than a plain space (a tab, a line break, a full-width or no-break space).
_OTHER_SPACE = re.compile(r"[^\S ]")


def _already_normalised(joined: str) -> bool:
    """Whether _normalise_text leaves every value as it is: NFKC already, no invisible character, no
    ' mark first, no space first or last, no whitespace but single plain spaces. Told from the values
    joined by NUL: a NUL is no space, and NFKC joins it to no neighbour, so the joined text passes
    each test only where every value does."""
    return unicodedata.is_normalized("NFKC", joined) and _INVISIBLE_RE.search(joined) is None \
        and _OTHER_SPACE.search(joined) is None and "  " not in joined \
        and not joined.startswith((" ", "'")) and not joined.endswith(" ") \
        and "\x00 " not in joined and " \x00" not in joined and "\x00'" not in joined


def _normalise_distinct_text(raw: pd.Series) -> pd.Series:
    values = _values(raw)
    # Printable ASCII without a space (phone numbers, codes): already as normalised as it gets.
    plain = _each(str.isascii, values)
    at = np.flatnonzero(plain)
    plain[at] = _each(str.isprintable, values[at]) & ~np.fromiter(
        map(operator.contains, values[at], itertools.repeat(" ")), dtype=bool, count=len(at))
    plain &= raw.notna().to_numpy(dtype=bool)
    return _combine_text(raw, plain, values[plain], _normalise_text)


def _normalise_text(raw: pd.Series) -> pd.Series:
    return _nfkc(raw).str.replace(r"\s+", " ", regex=True).where(raw.notna())


# A note in brackets after a place's name (前岗村(屯)): NFKC made （） plain brackets.
_PLACE_NOTE = r"\([^()]*\)$"


def one_spelling_per_place(out: pd.DataFrame, log: IssueLog) -> None:
    """A township, then a village (within its township), written two ways in the run (fields.toml
    [places]): a spelling with its body's words (前岗村村委会, 合隆镇人民政府) is read as the one name it can
    stand for where that name is written too, with place_spelling_merged on its rows; names left apart
    that differ only by an end word or a note in brackets (前岗 / 前岗村 / 前岗村(屯)) get
    place_names_similar on the rows of each but the most written. Work is per distinct name."""
    for field, (target, similar) in place_readings(out).items():
        merged = target != ""
        if merged.any():
            column = out[field].copy()
            column[merged] = target[merged]
            out[field] = column
            log.add(merged, field, "place_spelling_merged", hint=f"merged_{field}", merged=target)
        if (similar != "").any():
            log.add(similar != "", field, "place_names_similar", hint=f"similar_{field}", others=similar)


def place_readings(places: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """one_spelling_per_place's reading of the place columns of `places` (township, then village
    within its township; those it has), without changing them: per field and row, the name the row's
    spelling is read as ('' where it stays) and the similar names more written ('' for none). The
    households' own, and their members' linked to them (members.link: 前岗村村委会 is 前岗村 there too)."""
    words = fields().places
    scope = np.zeros(len(places), dtype=np.int64)
    out = {}
    for field, kind in (("township", words.township), ("village", words.village)):
        if field not in places.columns:
            continue
        column = places[field].to_numpy(dtype=object, na_value="")
        codes, uniques = pd.factorize(column)
        into, listed, pairs = _place_spellings(scope, codes, np.asarray(uniques, dtype=object), kind)
        none = np.full(len(places), "", dtype=object)
        target = into[pairs] if into is not None else none
        out[field] = (target, listed[pairs] if listed is not None else none)
        if (target != "").any():
            codes = pd.factorize(np.where(target != "", target, column))[0]
        scope = codes.astype(np.int64)
    return out


def places_beside_held(places: pd.DataFrame, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The township and village of each of `places` (`held`: those a register already has) as one
    place, the village within its township as read: a spelling read as place_readings reads it
    (前岗村村委会 → 前岗村), and a name listed as similar to one held read as that one (合隆 beside 合隆镇,
    either way round). For a later survey compared with a register's places (a late township's join,
    year two's 户编号 within a village, a household's place last year and now)."""
    township = _beside_held(places, "township", held)
    return township, _beside_held(places.assign(township=township), "village", held)


def _beside_held(places: pd.DataFrame, column: str, held: np.ndarray) -> np.ndarray:
    target, similar = place_readings(places)[column]
    out = pd.Series(np.where(target != "", target, places[column].to_numpy(dtype=object)), dtype=object)
    held_names = set(out[held].tolist())
    for i in np.flatnonzero(similar != ""):  # the few names written so alike
        others = str(similar[i]).split("」「")
        if not held[i]:  # a new name listed beside names held
            found = [o for o in others if o in held_names]
            if found:
                out.iloc[i] = found[0]
        else:  # a name held, listed beside new ones: those are it
            out[~held & out.isin(others).to_numpy()] = out.iloc[i]
    return out.to_numpy(dtype=object)


def _place_spellings(scope: np.ndarray, codes: np.ndarray, names: np.ndarray, kind
                     ) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray]:
    """one_spelling_per_place over the names (`codes` into `names`, '' for a blank) in their scopes,
    per distinct (scope, name) pair: the name each is read as ('' where it stays), the similar names
    listed for it ('' where none is more written), both None where there are none; and each row's pair.
    Only the names ending in a body's words, an end word or a bracket are taken apart."""
    width = max(len(names), 1)
    pairs, distinct = pd.factorize(scope * width + codes)  # numbered as they first appear
    if len(np.unique(distinct // width)) == len(distinct):  # one name a scope: none to read as another
        return None, None, pairs
    d = pd.DataFrame({"scope": distinct // width, "name": names[distinct % width], "count": np.bincount(pairs)})
    bodies = _alternatives(kind.bodies)
    into = np.full(len(d), "", dtype=object)
    with_body = np.flatnonzero(d["name"].str.endswith(kind.bodies).to_numpy(dtype=bool)) if kind.bodies else []
    if len(with_body):
        stem = d["name"].iloc[with_body].str.replace(bodies, "", regex=True)
        at = with_body[(stem != "").to_numpy(dtype=bool)]
        stem = stem[stem != ""]
        # The names a spelling with a body's words can stand for: its stem where that ends as a name
        # does (前岗村|村委会), or the stem and an end word (前岗|村委会: the 村 shared). Read as the one written.
        written = pd.MultiIndex.from_arrays([d["scope"], d["name"]])
        scopes = d["scope"].iloc[at]
        candidates = [stem.where(stem.str.endswith(kind.ends), "")] + [stem + end for end in kind.ends]
        found = [pd.MultiIndex.from_arrays([scopes, c]).isin(written) & (c != "").to_numpy(dtype=bool)
                 for c in candidates]
        one = np.sum(found, axis=0) == 1
        for c, f in zip(candidates, found):
            into[at[one & f]] = c.to_numpy(dtype=object)[one & f]
    # The names left apart, with the rows of the spellings read as them, compared without a note in
    # brackets, a body's words and an end word: a name similar to one more written (more rows; as many,
    # and first written) is listed with its similar names. Two end words differ (合隆镇, 合隆乡).
    kept = d[into == ""].copy()
    moved = np.flatnonzero(into != "")
    if len(moved):
        extra = pd.DataFrame({"scope": d["scope"].to_numpy()[moved], "name": into[moved],
                              "count": d["count"].to_numpy()[moved]}).groupby(["scope", "name"])["count"].sum()
        kept["count"] += extra.reindex(pd.MultiIndex.from_frame(kept[["scope", "name"]]), fill_value=0).to_numpy()
    ends = _alternatives(kind.ends, after_one=True)
    kept["bare"], kept["end"] = kept["name"], ""
    marked = kept["name"].str.endswith((*kind.ends, *kind.bodies, ")")).to_numpy(dtype=bool)
    if marked.any():
        bare = kept["name"][marked].str.replace(_PLACE_NOTE, "", regex=True).str.replace(bodies, "", regex=True)
        kept.loc[marked, "end"] = bare.str.extract(f"({ends})", expand=False).fillna("")
        kept.loc[marked, "bare"] = bare.str.replace(ends, "", regex=True)
    listed = np.full(len(d), "", dtype=object)
    alike = kept[(kept["bare"] != "") & kept.duplicated(["scope", "bare"], keep=False)]
    for _, group in alike.groupby(["scope", "bare"], sort=False):  # the few names that differ so
        for i, count, end in zip(group.index, group["count"], group["end"]):
            others = group[(group.index != i) & ((group["end"] == end) | (group["end"] == "") | (end == ""))]
            if ((others["count"] > count) | ((others["count"] == count) & (others.index < i))).any():
                listed[i] = "」「".join(others["name"].tolist())
    if not len(moved) and not (listed != "").any():
        return None, None, pairs
    return into, listed, pairs


def _alternatives(words: tuple[str, ...], after_one: bool = False) -> str:
    """A pattern of any of `words` at the end (the longest first), after at least one character with
    `after_one`; one that never matches for none."""
    if not words:
        return "(?!)"
    either = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return ("(?<=.)" if after_one else "") + f"(?:{either})$"


def _parsed(spec, raw: pd.Series):
    """A column other than money parsed as its kind says: (value, state) for integers and yes/no,
    the text for IDs, places and other text."""
    if spec.kind == "integer":
        return parse_integer(raw)
    if spec.kind == "flag":
        return parse_flag(raw, spec)
    if spec.kind == "id":
        return normalise_id(raw)
    return normalise_place(raw) if spec.name in PLACE_FIELDS else normalise_text(raw)


def _dot_grouping(households: pd.DataFrame, name: str, log: IssueLog, fen: pd.Series, grouped: np.ndarray,
                  rounded: np.ndarray, wan: np.ndarray | None) -> tuple[pd.Series, np.ndarray]:
    """amount_dot_grouping on the money cells of `name` whose points group thousands (parse_money's
    'grouped': 12.000, 1.200.000), and on the cells of one point and three decimals a number could
    hold (1.234, rounded to the fen) in a sheet whose same column has such a grouping: an export that
    writes 12.000 for 12000 writes 1.234 for 1234. Returns (fen, rounded) with those cells not read
    (NA) and no longer said to be rounded."""
    n = len(households)
    doubted = np.zeros(n, dtype=bool)
    maybe = rounded & ~wan if wan is not None else rounded
    if maybe.any():
        sheets = households["sheet_key"].to_numpy(dtype=object) if "sheet_key" in households.columns \
            else np.zeros(n, dtype=object)
        at = np.flatnonzero(maybe)
        at = at[pd.Series(sheets[at]).isin(pd.unique(sheets[grouped])).to_numpy(dtype=bool)]
        if len(at):
            doubted[at] = (dot_readings(households[name].iloc[at])["shape"] == "one").to_numpy(dtype=bool)
    flagged = grouped | doubted
    at = np.flatnonzero(flagged)
    readings = dot_readings(households[name].iloc[at])
    decimal, grouping, hint = (np.full(n, None, dtype=object) for _ in range(3))
    decimal[at], grouping[at] = readings["decimal"].to_numpy(dtype=object), readings["grouped"].to_numpy(dtype=object)
    hint[at] = np.where(readings["shape"].to_numpy(dtype=object) == "many", "dot_grouping_many",
                        np.where(doubted[at], "dot_grouping_column", "dot_grouping_one"))
    log.add(flagged, name, "amount_dot_grouping", hint=hint, decimal=decimal, grouped=grouping)
    return (fen.mask(doubted) if doubted.any() else fen), rounded & ~doubted


class Elsewhere(Protocol):
    """Where some calls may be made meanwhile (another process: runtime.calls_elsewhere): entered with
    the calls, (stage, module-level function, arguments) each, it gives a function that returns what
    each returned, in order, once all are made."""

    def __call__(self, calls: list[tuple[str, Callable, tuple]]) -> AbstractContextManager[Callable[[], list]]: ...


def here(calls: list[tuple[str, Callable, tuple]]) -> AbstractContextManager[Callable[[], list]]:
    """The plain Elsewhere: each call made in this process, when the results are asked for."""
    return nullcontext(lambda: [fn(*args) for _, fn, args in calls])


# Place fields a clerk types once at the top of a block of rows (or leaves so by unmerging cells).
_PLACE_FIELDS = ("township", "village")

# How many of a yes/no field's own words (fields.toml, the first listed) flag_unrecognized names: enough
# to show the column's way of answering, short enough to read in one line.
_OWN_WORDS_NAMED = 4


# A cell calamine read as a date (a number in a date-formatted cell), as cells.cells_as_text prints it.
_DATE_CELL = r"^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$"


def _number_in_date_cell(raw: pd.Series, bad: np.ndarray) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Of the cells that did not parse (`bad`), those printed as calamine prints a date: a number in a
    cell formatted as a date (a column pasted from another sheet), which retyping does not mend.
    Returns them, the date as Excel's 常规 short date shows it (1926/6/6), and the number the cell
    holds, Excel's serial (9654.01): days since 1899-12-30, or 1899-12-31 before 1900-03-01, where
    Excel counts a 1900-02-29 that never was."""
    n = len(raw)
    dated = np.zeros(n, dtype=bool)
    shown = pd.Series("", index=raw.index, dtype=object)
    number = pd.Series("", index=raw.index, dtype=object)
    at = np.flatnonzero(bad)
    if not len(at):
        return dated, shown, number
    parts = raw.iloc[at].astype(str).str.extract(_DATE_CELL)
    found = parts[0].notna().to_numpy(dtype=bool)
    if not found.any():
        return dated, shown, number
    at, parts = at[found], parts[found].fillna("0")
    day = pd.to_datetime(parts[0] + "-" + parts[1] + "-" + parts[2], format="%Y-%m-%d", errors="coerce")
    ok = day.notna().to_numpy(dtype=bool)
    at, parts, day = at[ok], parts[ok], day[ok]
    seconds = (parts[3].astype(np.int64) * 3600 + parts[4].astype(np.int64) * 60 + parts[5].astype(np.int64)
               + (parts[6].str.ljust(6, "0").astype(np.int64) / 1e6)).to_numpy(dtype=np.float64)
    days = ((day - pd.Timestamp("1899-12-30")).dt.days.to_numpy(dtype=np.float64)
            - (day < pd.Timestamp("1900-03-01")).to_numpy(dtype=bool))
    serial = np.round(days + seconds / 86400, 6)
    dated[at] = True
    shown.iloc[at] = (day.dt.year.astype(str) + "/" + day.dt.month.astype(str) + "/" + day.dt.day.astype(str)).to_numpy()
    number.iloc[at] = [np.format_float_positional(v, trim="-") for v in serial.tolist()]
    return dated, shown, number


def _summed_blank(households: pd.DataFrame, name: str) -> np.ndarray:
    """The households whose cell of `name` is a formula adding up blank cells of its row (read.SUMMED_BLANK)."""
    column = SUMMED_BLANK + name
    if column not in households.columns:
        return np.zeros(len(households), dtype=bool)
    return households[column].eq(True).to_numpy(dtype=bool, na_value=False)


# The characters of a column of amounts as most are typed: one without any other holds no such word.
_AMOUNT_BYTES = b"0123456789.,+-\x00"


def _written_pattern(words) -> re.Pattern:
    """A cell that may say one of `words` as typed, found in a column joined by NUL: the whole cell, any
    case, spaces between the characters, an ASCII character in its full-width form too ((跳过), （跳过）).
    What it finds is then read as normalise reads it (_says_blank)."""
    def char(c: str) -> str:
        return f"[{re.escape(c)}{re.escape(chr(ord(c) + 0xFEE0))}]" if "!" <= c <= "~" else re.escape(c)
    either = "|".join(r"\s*".join(map(char, unicodedata.normalize("NFKC", w))) for w in words)
    return re.compile(rf"(?:^|(?<=\x00))\s*(?:{either})\s*(?=\x00|$)", re.IGNORECASE)


def _first_characters(words) -> frozenset[str]:
    """The characters the words begin with, in either case and width."""
    first = {f(unicodedata.normalize("NFKC", w)[0]) for w in words for f in (str.upper, str.lower)}
    return frozenset(first | {chr(ord(c) + 0xFEE0) for c in first if "!" <= c <= "~"})


@cache
def _export_blank_words() -> tuple[re.Pattern, frozenset[str], frozenset[str]]:
    """fields.toml [money] blank: the cells that may say one (_written_pattern), the words as read, and
    a pattern finding a cell that begins (after its spaces) with a character such a word begins with
    (a column holding none, names or codes, is passed over after one look at its text)."""
    words = fields().money.blank
    first = _first_characters(words)
    # A cell that begins (after its spaces) with one of those characters: one look for it over a column
    # joined, before the words themselves are looked for (因病(尿毒症) holds a "(" but begins with none).
    begins = re.compile(rf"\x00\s*[{''.join(re.escape(c) for c in sorted(first))}]")
    return _written_pattern(words), frozenset(unicodedata.normalize("NFKC", w).upper() for w in words), begins


def export_blanks(raw: pd.Series) -> np.ndarray:
    """Which cells hold an export's word for a blank (fields.toml [money] blank): one search over the column joined
    (a column of amounts typed as most are is known from one look at its bytes), the cells it finds
    read each distinct text once."""
    cell, _, begins = _export_blank_words()
    values = raw.to_numpy(dtype=object)
    try:  # a column without NA joined as it is (PackedColumn's way), not copied to fill NA first
        joined = "\x00".join(values.tolist())
    except TypeError:
        values = _values(raw)
        joined = "\x00".join(values.tolist())
    out = np.zeros(len(values), dtype=bool)
    if joined.isascii() and not joined.encode("ascii").translate(None, _AMOUNT_BYTES):
        return out
    if not begins.search("\x00" + joined):  # each cell after a NUL, the first one too
        return out
    at = texts_matching(values, cell, joined=joined)
    if len(at):
        out[at] = by_distinct(pd.Series(values[at], dtype=object), _says_blank).to_numpy(dtype=bool)
    return out


def _says_blank(distinct: pd.Series) -> pd.Series:
    return _nfkc(distinct).str.replace(r"\s+", "", regex=True).str.upper().isin(_export_blank_words()[1])


def _exports_blanked(households: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The households with every cell of an export's blank (export_blanks) made blank, in the money and
    yes/no columns and the optional text (联系电话, 主要困难, 备注: nothing decided on them); and, per field,
    which cells were. Required text and IDs keep their words: an error either way. The issue log keeps the
    cells as typed, so that a blank's issue quotes them."""
    blanked = {}
    for spec in fields().field:
        if spec.name in households.columns and (spec.kind in ("money", "flag") or (spec.kind == "text"
                                                                                  and not spec.required)):
            # A yes/no field's further columns read together with it (是否五保户 beside 是否特困人员) too.
            further = together_fields(spec.name, households.columns) if spec.together else []
            for name in (spec.name, *further):
                found = export_blanks(households[name])
                if found.any():
                    blanked[name] = found
    if not blanked:
        return households, blanked
    return households.assign(**{name: households[name].mask(found, "") for name, found in blanked.items()}), blanked


def _from_cells(source_file: pd.Series) -> np.ndarray:
    """Which rows were read from a workbook's cells, not a text file: asked once per file."""
    codes, files = pd.factorize(source_file.astype(str))
    workbook = np.fromiter((not f.lower().endswith(tuple(CSV_SUFFIXES)) for f in files), dtype=bool, count=len(files))
    return workbook[codes]


def _log_not_a_number(log: IssueLog, raw: pd.Series, name: str, bad: np.ndarray, celled: np.ndarray,
                      kind: str) -> None:
    """not_a_number, or number_in_date_cell where the cell is a number shown as a date: still an
    error (a date typed in a money column is no amount), said as what it is and how to mend it.
    `celled`: the households read from a workbook's cells (a CSV's 2019-06-06 is text typed so).
    `kind`: the field's (money, integer), for the words of what to write instead."""
    dated, shown, number = _number_in_date_cell(raw, bad & celled)
    log.add(bad & ~dated, name, "not_a_number", hint=f"not_a_number_{kind}")
    log.add(dated, name, "number_in_date_cell", date=shown, number=number)


def _filled_above(households: pd.DataFrame, values: pd.Series, blank: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """For each blank cell of a place column (`blank`), the nearest value filled above it in the same
    sheet and its Excel row, '' where none: the name typed once for a block of rows, or a merged
    cell unmerged. None where no blank cell has one."""
    if not blank.any() or "row" not in households.columns:
        return None
    sheets = households["sheet_key"] if "sheet_key" in households.columns else pd.Series(0, index=households.index)
    filled = values.fillna("").astype(object).where(~blank)
    rows = pd.Series(households["row"].to_numpy(), index=households.index).where(~blank)
    name = filled.groupby(sheets.to_numpy(), sort=False).ffill()
    row = rows.groupby(sheets.to_numpy(), sort=False).ffill()
    has = blank & name.notna().to_numpy(dtype=bool)
    if not has.any():
        return None
    out_name = np.where(has, name.fillna("").to_numpy(dtype=object), "")
    out_row = np.where(has, row.fillna(0).astype(np.int64).astype(str).to_numpy(dtype=object), "")
    return out_name.astype(object), out_row.astype(object)


def _read_together(households: pd.DataFrame, spec, log: IssueLog, value: pd.Series, state: pd.Series,
                   blank: np.ndarray, own: dict, unread: np.ndarray) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """A yes/no field read from its column and its further columns under other names of it (是否特困人员
    and 是否五保户: fields.toml `together`), as one answer: 是 in any is 是 (五保 is one kind of 特困, so a 是
    beside a 否 is no contradiction); else unknown where a cell is not understood (its issue names that
    cell's own column); else 否 where one says 否; else blank. A blank cell beside an answer in another
    column is answered, not said: the blank warning (`blank`, returned) stands where every column is
    blank (or absent: a sheet without the further column). `value` is the first column's (NA where its
    formula is unread: `unread`), `state` its parse_flag state. A first cell whose formula was never
    calculated is not known to say 否: only a 是 in another column answers it. The cells are read as
    _exports_blanked left them (NULL, (跳过) blank)."""
    said = value.notna().to_numpy(dtype=bool) & (state == "ok").to_numpy(dtype=bool)
    yes = said & value.fillna(False).to_numpy(dtype=bool)
    no = said & ~yes
    unknown = (~said & (state != "blank").to_numpy(dtype=bool) & (state != "absent").to_numpy(dtype=bool)) | unread
    blank = blank.copy()
    for name in together_fields(spec.name, households.columns):
        other, other_state = parse_flag(households[name], spec)
        bad = (other_state == "bad").to_numpy(dtype=bool)
        log.add(bad, name, "flag_unrecognized", value=households[name], **own)
        other_said = other.notna().to_numpy(dtype=bool) & (other_state == "ok").to_numpy(dtype=bool)
        yes |= other_said & other.fillna(False).to_numpy(dtype=bool)
        no |= other_said & ~other.fillna(False).to_numpy(dtype=bool)
        unknown |= bad
        blank &= (other_state == "blank").to_numpy(dtype=bool) | (other_state == "absent").to_numpy(dtype=bool)
    blank &= ~(yes | no | unknown)
    combined = pd.Series(pd.array(np.where(yes, True, False), dtype="boolean"), index=value.index)
    combined[~yes & (unknown | (~no & value.isna().to_numpy(dtype=bool) & ~blank))] = pd.NA
    combined_state = pd.Series(np.select([yes, unknown, no, blank], ["ok", "bad", "ok", "blank"],
                                         state.to_numpy(dtype=object)), index=value.index)
    return combined, combined_state, blank


def normalise(households: pd.DataFrame, log: IssueLog, rules: RuleSet | None = None,
              unread: pd.DataFrame | None = None, residents_from: pd.Series | None = None,
              residents_listed: np.ndarray | None = None,
              in_wan: dict[str, np.ndarray] | None = None, elsewhere: Elsewhere = here) -> pd.DataFrame:
    """Typed columns beside the raw ones: `<money>_fen`, integers, booleans, normalised text and IDs.
    Values that do not parse are logged; a blank money or yes/no cell is logged as a warning, except
    the blank components of a total given alone (with `rules`, which say what the totals are).
    `unread` (hh, field, formula: read.unread_formulas) are formula cells whose value was never
    calculated, and cells of an Excel error value (#N/A): flagged formula_not_calculated or
    error_value, not parsed, and NA (a money cell makes its sum unknown, not smaller).
    `residents_from` (members.residents_from_members): a count for households whose 家庭常住人口数
    cell is blank, known from their members: used, and no missing value. `residents_listed`
    (members.residents_blank_hints): per household the members list but whose blank count they could
    not make (a member left off, a 是否常住 blank), the hint naming why; '' elsewhere.
    `in_wan` (read.amounts_in_wan): {money field: the households whose sheet gives it in 万元}: their
    amounts are read as 万 (1.5 is 15,000 yuan), except a cell that says 万 or 元 itself.
    `elsewhere`: where the money columns are parsed (money_column) while this process parses the
    others; what is logged, and in what order, does not depend on it. A village or township written
    two ways in the run is made one where that is unambiguous (one_spelling_per_place)."""
    # A NULL or (跳过) is blank from here on: the totals given alone, the checks and the lists read it so.
    households, exported = _exports_blanked(households)
    out = households.copy(deep=False)  # copy-on-write: the raw columns are shared, never changed
    n = len(households)
    given_alone: dict[str, np.ndarray] = {}
    components_given: dict[str, np.ndarray] = {}  # per total: the households that filled a component
    # Read from a workbook's cells, where a date shown may be a number in a date-formatted cell.
    celled = _from_cells(households["source_file"]) if "source_file" in households.columns \
        else np.ones(n, dtype=bool)
    if rules is not None:
        for definition in (rules.income, rules.expenses):
            # A total the form adds up from its blank components (=SUM(K5:M5)) was not typed alone: the
            # components decide, each blank one said as read as 0.
            alone = blank_components(households, definition) & ~_summed_blank(households, definition.total)
            out[total_alone_column(definition)] = alone  # for compute and the checks: found once
            for component in definition.components:
                given_alone[component] = given_alone.get(component, np.zeros(n, dtype=bool)) | alone
            # A blank total beside components given is their sum (compute), not a 0 to confirm.
            summed = np.zeros(n, dtype=bool)
            for component in definition.components:
                summed |= (households[component] != "").to_numpy(dtype=bool, na_value=False)
            given_alone[definition.total] = given_alone.get(definition.total, np.zeros(n, dtype=bool)) | summed
            components_given[definition.total] = summed
    specs = fields().field
    money = [spec.name for spec in specs if spec.kind == "money"]
    calls = [("normalise", money_column, (PackedColumn(households[name]), (in_wan or {}).get(name)))
             for name in money]
    with elsewhere(calls) as money_parsed:
        parsed = {spec.name: _parsed(spec, households[spec.name]) for spec in specs if spec.kind != "money"}
        parsed.update(zip(money, money_parsed()))
    blocks = None  # the habits' blocks (systemic.habit_blocks), made where a 是/否 cell is blank
    for spec in specs:
        formula = np.zeros(n, dtype=bool)
        # An optional text cell (村民小组, 备注) is left blank, with the cell named in the file facts:
        # no decision rests on it.
        if unread is not None and len(unread) and (spec.kind != "text" or spec.required):
            here = unread[unread["field"] == spec.name]
            formula[here["hh"].to_numpy()] = True
            formula &= ~_summed_blank(households, spec.name)  # its value is 0, known without Excel
            if formula.any():
                text = np.full(n, None, dtype=object)
                text[here["hh"].to_numpy()] = here["formula"].to_numpy()
                error_value = formula.copy()
                error_value[here["hh"].to_numpy()] = here["formula"].str.startswith("#").to_numpy(dtype=bool)
                # A total's formula (=SUM(F5:I5)) beside components filled in: the components decide
                # (compute sums them), so the total's unknown value decides nothing; said, not an error
                # (a server's export is marked for recalculation whatever the values it saved).
                unchecked = formula & ~error_value & components_given.get(spec.name, np.zeros(n, dtype=bool))
                # A workbook marked for recalculation may hold values: not used, said so (not "none saved").
                stale = np.zeros(n, dtype=bool)
                if "stale" in here.columns:
                    stale[here["hh"].to_numpy()] = here["stale"].to_numpy(dtype=bool)
                hint = either(stale, "formula_stale", "formula_unsaved")
                log.add(formula & ~error_value & ~unchecked, spec.name, "formula_not_calculated", value=text, hint=hint)
                log.add(unchecked, spec.name, "formula_total_unchecked", value=text,
                        hint=either(stale, "formula_stale_total", "formula_unsaved_total"))
                log.add(error_value, spec.name, "error_value", value=text)
        if spec.kind == "money":
            fen, state, rounded = parsed[spec.name]
            summed = _summed_blank(households, spec.name)
            if summed.any():  # a sum of blank cells, never calculated (its formula the cell's text): 0
                fen, state = fen.mask(summed, 0), state.mask(summed, "ok")
            if formula.any():
                fen = fen.mask(formula)
            rounded = rounded & ~formula & (state == "ok").to_numpy(dtype=bool)
            grouped = (state == "grouped").to_numpy(dtype=bool) & ~formula
            if grouped.any():
                fen, rounded = _dot_grouping(households, spec.name, log, fen, grouped, rounded,
                                             (in_wan or {}).get(spec.name))
            out[f"{spec.name}_fen"] = fen
            _log_not_a_number(log, households[spec.name], spec.name,
                              (state == "bad").to_numpy(dtype=bool, na_value=False) & ~formula, celled, spec.kind)
            blank = (state == "blank").to_numpy(dtype=bool)
            if spec.name in given_alone:
                blank = blank & ~given_alone[spec.name]
            log.add(blank, spec.name, "missing_value",
                    hint=either(exported[spec.name], "missing_money_export", "missing_money")
                    if spec.name in exported else "missing_money")
            if rounded.any():  # said where the rounding could decide the household (checks.check_below_fen)
                out[f"{spec.name}_below_fen"] = rounded
        elif spec.kind == "integer":
            value, state = parsed[spec.name]
            if spec.name == "residents" and residents_from is not None:
                given = (state == "blank").to_numpy(dtype=bool) & residents_from.notna().to_numpy(dtype=bool)
                if given.any():
                    value = value.copy()
                    value[given] = residents_from[given]
                    state = state.mask(given, "ok")
            out[spec.name] = value.mask(formula) if formula.any() else value
            _log_not_a_number(log, households[spec.name], spec.name,
                              (state == "bad").to_numpy(dtype=bool, na_value=False) & ~formula, celled, spec.kind)
            log.add((state == "fraction") & ~formula, spec.name, "not_an_integer")
            if spec.required:
                missing = (state == "blank").to_numpy(dtype=bool) & ~formula
                why = residents_listed if spec.name == "residents" and residents_listed is not None \
                    else np.full(n, "", dtype=object)
                listed = why != ""
                # Members listed that could not count it: why, for the clerk (members.residents_blank_hints).
                log.add(missing & ~listed, spec.name, "missing_value", hint="missing_required")
                log.add(missing & listed, spec.name, "missing_value", hint=why)
        elif spec.kind == "flag":
            value, state = parsed[spec.name]
            if OPTIONS + spec.name in households.columns:  # an online form's multiple choice (read.OPTIONS)
                value, state = _read_options(households[spec.name], spec.name,
                                             households[OPTIONS + spec.name].eq(True).to_numpy(dtype=bool), value, state)
            out[spec.name] = value.mask(formula) if formula.any() else value
            own = {"hint": "flag_own_words", "own_yes": "」「".join(spec.yes[:_OWN_WORDS_NAMED]),
                   "own_no": "」「".join(spec.no[:_OWN_WORDS_NAMED])} if spec.yes or spec.no else {}
            # A column that takes its own words (低保户, 非低保): the message names some.
            log.add((state == "bad") & ~formula, spec.name, "flag_unrecognized", **own)
            blank = (state == "blank").to_numpy(dtype=bool) & ~formula
            if spec.together and together_fields(spec.name, households.columns):
                value, state, blank = _read_together(households, spec, log, out[spec.name], state, blank, own,
                                                     formula)
                out[spec.name] = value
            if TICKED + spec.name in households.columns:  # 低保户(打√): a box left blank is the form's 否
                blank &= ~households[TICKED + spec.name].eq(True).to_numpy(dtype=bool)
            if blank.any():
                others = [parsed[other.name] for other in specs if other.kind == "flag" and other.name != spec.name]
                if blocks is None:  # made once, for the first flag column with a blank
                    blocks = habit_blocks(households)
                hint = _flag_blank_hint(blocks, value, state, others)
                if spec.name in exported:
                    hint = np.where(exported[spec.name], "missing_flag_export", hint)
                log.add(blank, spec.name, "missing_value", hint=hint)
        elif spec.kind == "id":
            ids = parsed[spec.name]
            out[spec.name] = ids.mask(formula) if formula.any() else ids  # NA: not checked, not blank
        else:
            out[spec.name] = parsed[spec.name]
            if spec.required:
                blank = (out[spec.name].fillna("") == "").to_numpy(dtype=bool) & ~formula
                above = _filled_above(households, out[spec.name], blank) if spec.name in _PLACE_FIELDS else None
                if above is not None:
                    said = above[0] != ""
                    log.add(said, spec.name, "missing_value", hint="missing_place_above", above=above[0],
                            above_row=above[1])
                    blank &= ~said
                log.add(blank, spec.name, "missing_value", hint="missing_required")
    if BEYOND_HEADER[0] in households.columns:  # a text file's row longer than its header: read shifted
        beyond, columns, last = (households[c].fillna("") for c in BEYOND_HEADER)
        log.add((beyond != "").to_numpy(dtype=bool), "beyond_header", "fields_beyond_header", value=beyond,
                columns=columns, last=last)
    if ROW_FIELDS in households.columns:  # longer still, what is beyond the header empty
        count = households[ROW_FIELDS].fillna("")
        beyond = households[BEYOND_HEADER[0]].fillna("") if BEYOND_HEADER[0] in households.columns else ""
        log.add(((count != "") & (beyond == "")).to_numpy(dtype=bool), "beyond_header", "row_longer_than_header",
                fields=count, last=households[BEYOND_HEADER[2]].fillna(""))
    one_spelling_per_place(out, log)
    # Households whose sheet gives its amounts in 万元: the unit check words its doubt for them.
    out["amounts_in_wan"] = np.logical_or.reduce([*(in_wan or {}).values(), np.zeros(n, dtype=bool)])
    return out

