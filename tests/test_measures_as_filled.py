"""The 帮扶措施 form as townships fill it (an outside try, /tmp/try-AW), and how `register history`
counts a household's measures. Before:
- a row whose 帮扶类型 held two measures (产业帮扶、小额信贷) was refused as no type, naming only the
  nearest (小额信贷): a clerk following the hint dropped 产业帮扶;
- an amount in capital numerals (伍仟元, 壹万贰仟元整), as payment records write them, was refused;
- 光伏扶贫 (光伏, 光伏收益, 光伏电站收益), in practice 资产收益, was refused with no nearest type;
- `register history` counted the rows of a measure changed later as measures (登记 3 项 for two) and
  showed the measure before the change as a measure of its own."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from test_measures_cadre_words import amount_recorded
from test_measures_returned import QIAN, flat, printed, query, registered_county
from test_years import IDS
from years_builders import MeasureForm, run

PERSON = {"帮扶责任人": "王干部"}


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "measures_as_filled")


# ---------------------------------------------------------------------------------------------
# Two measures in one row


@pytest.mark.parametrize("typed", ["产业帮扶、小额信贷", "产业帮扶,小额信贷", "产业帮扶;小额信贷", "产业帮扶/小额信贷",
                                   "产业帮扶 小额信贷", "产业帮扶和小额信贷", "产业帮扶及小额信贷"])
def test_two_types_in_one_row_are_refused_as_two_measures_naming_both(registered, tmp_path, typed):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    at = form.add("户A", 帮扶类型=typed, 帮扶内容="肉牛养殖;扶贫小额贷款", 开始日期="2020-01-06", 金额="5万", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    assert f"{form.letter('帮扶类型')}{at}:序号 1(户A):帮扶类型填的是「{typed}」,是 2 项措施(产业扶持、小额信贷)" \
           "写在了一行里。一行只填一项措施:在该户这一行下面插入一行,把序号、村民小组、户主姓名、身份证号复制过去," \
           "另一项措施填在新的一行上" in said, said
    assert "最接近" not in said, said  # no hint to keep one of them and drop the other
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]  # never split by itself


def test_the_row_copied_as_the_refusal_says_records_both_measures(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="产业帮扶、小额信贷", 帮扶内容="肉牛养殖", 开始日期="2020-01-06", **PERSON)
    form.save(tmp_path / "前岗村.xlsx")
    run("register", "record", db, tmp_path / "前岗村.xlsx", code=2)
    # As told: a row under the household's, its identity copied, the second measure on it.
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="产业帮扶", 帮扶内容="肉牛养殖", 开始日期="2020-01-06", **PERSON)
    form.add("户A", 帮扶类型="小额信贷", 帮扶内容="扶贫小额贷款", 开始日期="2020-01-08", 金额="5万", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert "1 户的 2 项措施已登记" in said, said
    assert query(db, "SELECT type, content, start, amount_fen FROM measures ORDER BY start") == [
        ("industry", "肉牛养殖", "2020-01-06", None), ("microcredit", "扶贫小额贷款", "2020-01-08", 5000000)]


def test_two_types_in_one_row_are_said_in_english_too(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="教育、健康", 帮扶内容="助学;大病保险", 开始日期="2020-01-06", **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), "--lang", "en", code=2))
    assert "the measure type reads “教育、健康”: 2 measures (education, health) in one row. One measure per row" \
        in said, said


# ---------------------------------------------------------------------------------------------
# Amounts in capital numerals


@pytest.mark.parametrize("written, fen", [
    ("伍仟元", 500000), ("壹万贰仟元整", 1200000), ("伍万元", 5000000), ("叁仟伍佰元", 350000), ("贰佰元整", 20000),
    ("壹仟零伍拾元", 105000), ("伍拾元伍角", 5050), ("伍仟", 500000), ("人民币伍万元整", 5000000),
    ("壹佰元零伍分", 10005), ("拾元", 1000)])
def test_an_amount_in_capital_numerals_is_read_to_the_fen(registered, tmp_path, written, fen):
    assert amount_recorded(registered, tmp_path, written, "产业扶持", "肉牛养殖补贴") == [("肉牛养殖补贴", fen)]


@pytest.mark.parametrize("written", ["伍仟伍", "伍万伍", "伍佰伍拾伍佰元", "伍拾伍角", "伍佰零元"])
def test_a_malformed_amount_in_capitals_is_refused(registered, tmp_path, written):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    at = form.add("户A", 帮扶类型="产业扶持", 帮扶内容="肉牛养殖补贴", 开始日期="2020-01-06", 金额=written, **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    assert f"{form.letter('金额(元)')}{at}:序号 1(户A):金额填的是「{written}」,应是元数" in said, said
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]


DIGITS = "零壹贰叁肆伍陆柒捌玖"


def section_in_capitals(n: int) -> str:
    """1..9999 as a cheque writes it: a 零 for the places skipped between two digits, none after."""
    out, skipped = "", False
    for value, place in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if skipped and out else "") + DIGITS[digit] + place
            skipped = False
        else:
            skipped = True
    return out


def integer_in_capitals(n: int) -> str:
    """A whole number below 10**12 in capitals (the reference: 壹万零伍佰, 壹亿零伍, 壹拾)."""
    if n == 0:
        return "零"
    out, gap = "", False
    for value, section in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value:
            out += ("零" if out and (gap or value < 1000) else "") + section_in_capitals(value) + section
            gap = False
        elif out:
            gap = True
    return out


def amount_in_capitals(fen: int, yuan_word: bool, whole: bool, prefix: bool, short_ten: bool) -> str:
    yuan, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    words = integer_in_capitals(yuan) if yuan else ""
    if short_ten and words.startswith("壹拾"):
        words = words[1:]  # 拾元 for 壹拾元
    if not (jiao or cents):
        return ("人民币" if prefix else "") + (words or "零") + ("元" if yuan_word or not yuan else "") + \
            ("整" if whole or not yuan else "")
    text = (words + "元" if yuan else "") + (DIGITS[jiao] + "角" if jiao else ("零" if yuan else "")) + \
        (DIGITS[cents] + "分" if cents else "")
    return ("人民币" if prefix else "") + text + ("整" if whole and not cents else "")


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=0, max_value=10**14 - 1), st.booleans(), st.booleans(), st.booleans(), st.booleans())
def test_every_amount_written_in_capitals_reads_back_to_its_fen(fen, yuan_word, whole, prefix, short_ten):
    from edgescreen.register.measures import capital_amount_fen  # here: the file's other tests run without it

    written = amount_in_capitals(fen, yuan_word, whole, prefix, short_ten)
    assert capital_amount_fen(written) == fen, written


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=10**10 - 1), st.integers(min_value=1, max_value=9))
def test_a_digit_left_without_its_place_is_not_guessed(hundreds, digit):
    """伍仟伍 is said for 5500; it reads as 5005 too. A digit after 佰, 仟, 万 or 亿 with no 零 and no
    place (a whole number of hundreds, written, then a digit) is refused, whatever the number."""
    from edgescreen.register.measures import capital_amount_fen

    words = integer_in_capitals(hundreds * 100)
    assert words[-1] in "佰仟万亿", words
    assert capital_amount_fen(words + DIGITS[digit]) is None, words + DIGITS[digit]
    assert capital_amount_fen(words + DIGITS[digit] + "元整") is None, words + DIGITS[digit]


# ---------------------------------------------------------------------------------------------
# The words a township writes for a type


@pytest.mark.parametrize("word, kind", [("光伏扶贫", "asset_income"), ("光伏", "asset_income"),
                                        ("光伏收益", "asset_income"), ("光伏电站收益", "asset_income"),
                                        ("扶贫车间", "employment"), ("公益岗位", "public_job"),
                                        ("生态护林员", "public_job"), ("消费扶贫", "social")])
def test_the_words_a_township_writes_for_a_type_are_read_as_it(registered, tmp_path, word, kind):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型=word, 帮扶内容="村级光伏电站收益分配", 开始日期="2020-01-06", 金额=800, **PERSON)
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx")))
    assert query(db, "SELECT type, amount_fen FROM measures") == [(kind, 80000)], said


# ---------------------------------------------------------------------------------------------
# register history: measures counted as measures


def test_history_counts_a_measure_changed_later_once_with_its_changes_under_it(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="技术指导", 帮扶内容="玉米种植技术指导", 开始日期="2020-01-15", **PERSON)
    form.add("户A", 帮扶类型="小额信贷", 帮扶内容="扶贫小额信贷贴息", 开始日期="2020-02-10", 金额=50000, **PERSON)
    run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"))
    # Printed again: the first measure's end filled in (no --amend), then its content put right (--amend).
    run("register", "measures", db, "--date", "2020-06-01", "-o", tmp_path / "forms2")
    again = MeasureForm(tmp_path / "forms2" / QIAN)
    row = again.measure_row("户A")
    again.write(row, 结束日期="2020-12-31")
    run("register", "record", db, again.save(tmp_path / "前岗村2.xlsx"))
    run("register", "measures", db, "--date", "2020-06-02", "-o", tmp_path / "forms3")
    third = MeasureForm(tmp_path / "forms3" / QIAN)
    third.write(third.measure_row("户A"), 帮扶内容="玉米高产种植技术指导")
    run("register", "record", db, third.save(tmp_path / "前岗村3.xlsx"), "--amend", "--reason", "内容写得不全")
    assert query(db, "SELECT count(*) FROM measures WHERE household IN "
                     "(SELECT household FROM measures WHERE content = '扶贫小额信贷贴息')") == [(4,)]
    said = run("register", "history", db, "--id", IDS["A"]).output
    lines = [" ".join(line.split()) for line in said.splitlines()]
    text = " ".join(said.split())
    assert "帮扶措施 2 项(其中 1 项登记后有更改,更改列在该项下面):" in text, said
    assert "2020-01-15 帮扶措施 1 · 技术指导:玉米高产种植技术指导,至 2020-12-31,帮扶责任人 王干部" in text, said
    assert "2020-02-10 帮扶措施 2 · 小额信贷:扶贫小额信贷贴息,金额 50000.00 元,帮扶责任人 王干部" in text, said
    assert "帮扶措施 3" not in text and "已由帮扶措施" not in text, said
    # Every row still said: the first recording, then each change with what it changed and its file.
    first = next(i for i, line in enumerate(lines) if "帮扶措施 1" in line)
    under = " ".join(lines[first:first + 8])
    assert "register record · 前岗村.xlsx 更改:结束日期:(空) → 2020-12-31 " in under, said
    assert "register record · 前岗村2.xlsx 更改:帮扶类型和内容:技术指导:玉米种植技术指导 → 技术指导:玉米高产种植技术指导 " \
           in under, said
    assert "register record --amend · 前岗村3.xlsx · 更正:内容写得不全" in under, said
    english = " ".join(run("register", "history", db, "--id", IDS["A"], "--lang", "en").output.split())
    assert "support measures: 2 (1 changed since recorded, each change under its measure):" in english, english
    assert "changed: end: (blank) → 2020-12-31" in english, english
