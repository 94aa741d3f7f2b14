"""The rules of outputs/privacy.py as properties: an ID or phone number however typed inside a printed
text never prints in full, other numbers print as typed, masking twice is masking once, a malformed
ID keeps its shape; and the formula guard touches exactly what a spreadsheet would run. Also the
end of issue 13 item 4 seen by the clerk: a 17-digit ID prints with 7 stars beside "现为17位"."""

from __future__ import annotations

import re
import unicodedata

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from field_checks import issues, screen
from survey_builders import household, make_id, write_workbook
from edgescreen.outputs.privacy import _DIGIT_RUN, _mask_run, csv_safe, mask_id, mask_in_text, mask_phone

FAST = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
# What clerks type between the digits of one number (up to 3 characters).
SEPARATORS = [" ", "  ", "-", " - ", ".", "\u3000", "\uff0d", "\u2014", "_", "/", "\u00b7", "\uff0e", "\u00a0"]
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
# Text around a number: Chinese, letters and punctuation, never a digit.
WORDS = st.text(st.sampled_from(list("张三李四因病联系电话身份证号组村:,()「」 abcXY")), max_size=8)


def one(text: str) -> str:
    return mask_in_text(pd.Series([text])).iloc[0]


def typed(number: str, cuts: list[int], sep: str, full_width: bool) -> str:
    """`number` with `sep` typed at each of `cuts` (positions inside it), optionally full-width."""
    parts, at = [], 0
    for cut in sorted({c for c in cuts if 0 < c < len(number)}):
        parts.append(number[at:cut])
        at = cut
    parts.append(number[at:])
    text = sep.join(parts)
    return text.translate(FULL_WIDTH) if full_width else text


def plain(text: str) -> str:
    """What a reader makes of the text's digits: full-width as ASCII."""
    return unicodedata.normalize("NFKC", text)


@FAST
@given(birth=st.dates(min_value=pd.Timestamp("1930-01-01").date(), max_value=pd.Timestamp("2005-12-31").date()),
       serial=st.integers(0, 999), cuts=st.lists(st.integers(1, 17), max_size=6), sep=st.sampled_from(SEPARATORS),
       full_width=st.booleans(), lower_x=st.booleans(), before=WORDS, after=WORDS)
def test_an_id_however_typed_inside_text_prints_as_its_first_6_and_last_4(birth, serial, cuts, sep, full_width,
                                                                          lower_x, before, after):
    number = make_id(birth=birth.strftime("%Y%m%d"), serial=serial)
    if lower_x:
        number = number.replace("X", "x")
    out = plain(one(before + typed(number, cuts, sep, full_width) + "号" + after))
    assert number[:6] + "********" + number[-4:] in out, out
    assert re.sub(r"\D", "", out) == re.sub(r"\D", "", number[:6] + number[-4:])  # nothing else of it


@FAST
@given(second=st.sampled_from("3456789"), rest=st.text("0123456789", min_size=9, max_size=9),
       cuts=st.lists(st.integers(1, 10), max_size=4), sep=st.sampled_from(SEPARATORS), full_width=st.booleans(),
       prefix=st.sampled_from(["", "+86 ", "86-"]), before=WORDS, after=WORDS)
def test_a_mobile_number_however_typed_inside_text_prints_as_138_stars_5678(second, rest, cuts, sep, full_width,
                                                                            prefix, before, after):
    number = "1" + second + rest
    out = plain(one(before + prefix + typed(number, cuts, sep, full_width) + after))
    assert number[:3] + "****" + number[-4:] in out, out
    assert re.sub(r"\D", "", out) == ("86" if prefix else "") + number[:3] + number[-4:]  # nothing else of it


@FAST
@given(st.lists(st.tuples(WORDS.filter(lambda w: w.strip(" abcXY()") != ""), st.integers(0, 999_999_999)),
                min_size=1, max_size=5))
def test_amounts_row_numbers_and_dates_print_as_typed(parts):
    text = "".join(f"{w}{n}" for w, n in parts) + "日 2020-01-06 至 2020/01/12,第492行 M列 相差 1,200.50 元"
    assert one(text) == text


@FAST
@given(st.text(max_size=40) | st.builds(lambda a, b, c: a + b + c, WORDS,
                                        st.text("0123456789 -.", min_size=10, max_size=30), WORDS))
def test_masking_twice_is_masking_once_and_never_lengthens_a_text(text):
    once = one(text)
    assert one(once) == once
    assert len(once) <= len(text)


def test_masking_examples():
    cases = {
        "张三 2201 2219 7001 0100 1X": "张三 220122********001X",
        "220122-19700101-001X": "220122********001X",
        "因病,联系 138-1234-5678": "因病,联系 138****5678",
        "电话139 8765 4321": "电话139****4321",
        "＋86 １３８ １２３４ ５６７８": "＋86138****5678",
        "村委会 0431-84561234": "村委会 043*****1234",
        "「22012219918212175」应为18位": "「220122*******2175」应为18位",  # 17 digits: 7 stars, not 8
        "户编号 22012219700101": "户编号 22012219700101",  # 14 digits: neither an ID nor a phone
    }
    assert [one(text) for text in cases] == list(cases.values())


@FAST
@given(st.text(st.sampled_from("0123456789Xx-O "), min_size=1, max_size=25))
def test_a_malformed_id_keeps_its_shape_and_is_never_made_to_look_valid(typed_id):
    masked = mask_id(pd.Series([typed_id])).iloc[0]
    if re.fullmatch(r"[0-9]{17}[0-9X]", typed_id):
        assert masked == typed_id[:6] + "********" + typed_id[-4:]
        return
    assert len(masked) == len(typed_id), (typed_id, masked)
    for was, now in zip(typed_id, masked):
        assert now == was or (was.isdigit() and now == "*")  # digits hidden, every other character as typed
    if len(typed_id) != 18:
        assert not re.fullmatch(r"[0-9]{6}\*{8}[0-9X]{4}", masked)


def _id_by_the_rule(value: str) -> str:
    """mask_id's rule for one value, written out plainly (the module's docstring)."""
    if re.fullmatch(r"[0-9]{17}[0-9X]", value):
        return value[:6] + "********" + value[-4:]
    if len(value) < 11:
        return re.sub(r"\d", "*", value)
    return value[:6] + re.sub(r"\d", "*", value[6:-4]) + value[-4:]


def _phone_by_the_rule(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    # A star for each digit hidden (a 10-digit number shows 10 characters: 139***1887), one at least.
    return digits[:3] + "*" * max(1, len(digits) - 7) + digits[-4:] if len(digits) >= 8 else re.sub(r"\S", "*", value)


# A column as the village lists mask it: mostly well-formed IDs and mobile numbers (masked as one
# block), among them what is not (a letter, a full-width digit, a space, one digit too many or few).
NEAR_NUMBERS = st.one_of(
    st.from_regex(r"[0-9]{17}[0-9X]", fullmatch=True),
    st.from_regex(r"-?[0-9]\.[0-9]{1,14}[eE]\+1[0-9]", fullmatch=True),  # an ID Excel made a number
    st.text(st.characters(min_codepoint=0, max_codepoint=0x7F), max_size=70),  # any ASCII, controls too
    st.from_regex(r"1[3-9][0-9]{8}[0-9Xx１]", fullmatch=True),
    st.text(st.sampled_from("0123456789Xx１２ -"), min_size=10, max_size=19),
    st.text(st.sampled_from("0123456789张"), min_size=0, max_size=12),
    st.none(),
)


@FAST
@given(st.lists(NEAR_NUMBERS, max_size=30))
def test_a_column_is_masked_value_by_value_by_the_rule(values):
    column = pd.Series(values, index=range(100, 100 + len(values)), dtype=object)
    ids, phones = mask_id(column), mask_phone(column)
    assert ids.index.equals(column.index) and phones.index.equals(column.index)
    assert ids.tolist() == [_id_by_the_rule(v or "") for v in values]
    assert phones.tolist() == [_phone_by_the_rule(v or "") for v in values]


# ---------------------------------------------------------------------------------------------
# The formula guard


@pytest.mark.parametrize("value, guarded", [
    ("=1+1", True), ("+SUM(A1)", True), ("+86 138", True), ("@cmd", True), ("\t=1", True), ("\r=1", True),
    ("-1+2", True), ("-A1", True), ("-SUM(A1)", True), ("--1", True), ("- 1+2", True), ("-(1)", True),
    ("-cmd|' /C calc'!A0", True), ("-1,200", True),
    ("-张三", False), ("- 张三", False), ("-", False), ("-3.5", False), ("-12", False), ("张三", False),
    ("a=b", False), ("张三=李四", False), ("", False), ("1+1", False),
])
def test_the_formula_guard_touches_what_a_spreadsheet_would_run_and_nothing_else(value, guarded):
    assert csv_safe(pd.Series([value])).iloc[0] == ("'" + value if guarded else value)


@FAST
@given(rest=st.text(max_size=12),
       name=st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=3),
       ascii_char=st.characters(min_codepoint=0x21, max_codepoint=0x7E))
def test_what_begins_as_a_formula_is_always_guarded_and_nothing_else_is_touched(rest, name, ascii_char):
    def written(value):
        return csv_safe(pd.Series([value])).iloc[0]

    for first in "=+@\t\r":
        assert written(first + rest) == "'" + first + rest
    assert written("x" + rest) == "x" + rest
    assert written("-" + name + rest) == "-" + name + rest  # a minus before a name: no formula follows
    minus = "-" + ascii_char + rest
    assert written(minus) == (minus if re.fullmatch(r"-[0-9]+(\.[0-9]+)?", minus) else "'" + minus)


# ---------------------------------------------------------------------------------------------
# Issue 13 item 4: a malformed ID as the clerk sees it


BAD_ID = "22012219918212175"  # 17 digits


@pytest.mark.parametrize("lang, words", [("zh", "现为17位"), ("en", "it has 17")])
def test_a_malformed_id_is_said_with_its_length_and_printed_in_its_own_shape(tmp_path, lang, words):
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"户主身份证号": BAD_ID}), household()])
    out = tmp_path / "out"
    result = screen(path, "-o", out, "--lang", lang)
    assert result.exit_code == 0, result.output
    said = [str(v) for v in issues(out).to_numpy().ravel()]
    assert any(words in v for v in said), said
    book = openpyxl.load_workbook(next((out / "villages").iterdir()), read_only=True)
    cells = [v for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
             if isinstance(v, str) and "220122" in v]
    book.close()
    assert "220122*******2175" in cells, cells  # 7 stars: 17 characters, as typed
    assert not any("220122********2175" in c for c in cells), cells  # never the 18-character shape
    assert not any(BAD_ID in c for c in cells), cells  # nor in full


# Texts a column holds side by side: runs of digits long and short, cut by separators, an X after
# them, words between, and what no text should hold but some do (a NUL, a line break) at the joins.
_BESIDE = st.lists(st.one_of(st.text(st.sampled_from("0123456789１２"), min_size=8, max_size=19),
                             st.sampled_from(SEPARATORS + ["X", "ｘ", "\x00", "\n"]), WORDS), max_size=5).map("".join)


@FAST
@given(st.lists(st.one_of(_BESIDE, st.none()), max_size=25))
def test_a_column_masked_at_once_is_each_text_masked_alone(values):
    """mask_in_text searches the column joined and masks only the texts with a run: the same as the
    rule applied to each text on its own, whatever its neighbours end or begin with."""
    column = pd.Series(values, index=range(7, 7 + len(values)), dtype=object)
    masked = mask_in_text(column)
    assert masked.index.equals(column.index)
    assert masked.tolist() == [_DIGIT_RUN.sub(_mask_run, v or "") for v in values]


def test_a_phone_of_the_wrong_length_is_masked_to_its_own_length():
    """Beside 不是11位手机号 a fix list showed a 10-digit 1390431887 as 139****1887: 11 characters, the
    fault hidden. A star for each hidden digit: the clerk counts what was typed."""
    masked = mask_phone(pd.Series(["1390431887", "138123456789", "13812345678", "0431-85551234"])).tolist()
    assert masked == ["139***1887", "138*****6789", "138****5678", "043*****1234"]
