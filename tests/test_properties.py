"""Properties of the decision, checked with hypothesis on surveys built in the test.

Every household is decided exactly once; raising an income never lowers a household's band;
permuting the rows permutes the ledger and nothing else; splitting a workbook in two changes no
decision; and the bounds are exact, against Python's own fractions.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import tempfile
from fractions import Fraction
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from survey_builders import HEADERS, INCOME, EXPENSES, make_id, write_workbook
from edgescreen.classify import STATUSES
from edgescreen.pipeline import screen
from edgescreen.read import COMMA, TAB, _csv_shape, _TextTable

AS_OF = dt.date(2020, 6, 30)
FAST = settings(max_examples=30, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# A screen costs about the same for 1 household as for 50 (0.15 s against 0.3 s of CPU: a column's
# parse and checks are so many pandas calls whatever its length), and the drawn lists of st.lists
# were mostly of 1 to 8 households, the same few shapes again and again. So the properties over a
# list of households draw fewer lists, of any length from the smallest up to 40 to 80 (sized): as
# many households or more than before (counted at each test), in a half to a quarter of the
# screens. The first list drawn is still the smallest (1 household, or 2).
FEWER = settings(FAST, max_examples=8)


def sized(smallest: int, largest: int, element) -> st.SearchStrategy[list]:
    """Lists of `element` of every length from `smallest` to `largest` alike: st.lists keeps to
    about smallest + 5 whatever its largest (hypothesis's average size)."""
    return st.integers(smallest, largest).flatmap(lambda n: st.lists(element, min_size=n, max_size=n))


BAND = {"below_line": 0, "candidate": 1, "above_limit": 2}
LOWER, UPPER = 3218, 4000  # changchun-2019, income year 2019


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def typed(fen: int, style: int) -> str:
    """A non-negative amount in fen as a clerk may type it (every form parses to the same fen)."""
    whole, cents = divmod(fen, 100)
    forms = [yuan(fen), f"{whole:,}.{cents:02d}", f"{yuan(fen)}元",
             yuan(fen).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})]
    if cents == 0:
        forms += [str(whole), f"{whole}元", f"{whole:,}"]
        if whole % 100 == 0:
            forms.append(f"{whole / 10000:g}万".replace("e+", "E+") if whole < 10**9 else str(whole))
    elif cents % 10 == 0:
        forms.append(f"{whole}.{cents // 10}")
    return forms[style % len(forms)]


def write_csv(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for record in rows:
            w.writerow([record.get(h, "") for h in HEADERS])
    return path


def run(*files: Path) -> pd.DataFrame:
    return screen(list(files), as_of=AS_OF).ledger


_ids = (make_id(birth=f"{dt.date(1950, 1, 1) + dt.timedelta(days=i % 20_000):%Y%m%d}", serial=i // 20_000 % 999 + 1)
        for i in itertools.count())  # valid and distinct


def clean(wage: int, costs: int = 0, residents: int = 3, **extra) -> dict:
    """A household with no error: amounts in fen, written as yuan with two decimals."""
    record = {
        "乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": "一组", "户主姓名": "张三",
        "户主身份证号": next(_ids), "联系电话": "13812345678",
        "家庭人口数": str(residents), "家庭常住人口数": str(residents),
        "工资性收入": yuan(wage), "家庭经营收入": "0", "财产性收入": "0", "转移性收入": "0",
        "家庭总收入": yuan(wage), "家庭经营费用支出": yuan(costs), "生产性固定资产折旧": "0",
        "税金和上交承包费用": "0", "家庭生产经营性支出": yuan(costs),
        "是否低保户": "否", "是否特困人员": "否", "是否建档立卡贫困户": "否",
    }
    record.update(extra)
    return record


def with_keys(rows: list[dict]) -> list[dict]:
    """Give each household its own 户编号, to find it again in any ledger."""
    return [{**r, "户编号": f"H{i:04d}"} for i, r in enumerate(rows)]


# --- households as clerks type them, errors included --------------------------------------------

amount_text = st.one_of(
    st.integers(0, 30_000_000).map(yuan),
    st.integers(0, 300_000).map(str),
    st.integers(0, 300_000).map(lambda y: f"{y:,}"),
    st.integers(0, 300_000).map(lambda y: f"{y}元"),
    st.integers(0, 300).map(lambda y: f"{y / 10:g}万"),
    st.integers(0, 99_999).map(lambda y: str(y).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})),
    st.sampled_from(["", "见备注", "-500", "1.2.3", "壹万", "N/A"]),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=12),
)
count_text = st.one_of(st.integers(0, 9).map(str), st.sampled_from(["", "3人", "2.0", "2.5", "两人", "-1"]))
flag_text = st.sampled_from(["否", "否", "否", "是", "", "√", "×", "N", "不详"])
id_text = st.one_of(st.just(None), st.sampled_from(["", "22012219700101001", "2.20122197001E+17"]),
                    st.text("0123456789Xx ", min_size=17, max_size=19))
label_text = st.text("东西南北前后新兴村镇组甲乙丙丁", min_size=1, max_size=4)


@st.composite
def messy_household(draw) -> dict:
    record = clean(0)
    for h in INCOME + EXPENSES + ["家庭总收入", "家庭生产经营性支出"]:
        record[h] = draw(amount_text)
    record["家庭常住人口数"] = draw(count_text)
    record["家庭人口数"] = draw(count_text)
    for h in ("是否低保户", "是否特困人员", "是否建档立卡贫困户"):
        record[h] = draw(flag_text)
    made = draw(id_text)
    record["户主身份证号"] = next(_ids) if made is None else made
    record["乡(镇)"], record["行政村"] = draw(label_text), draw(label_text)
    record["户主姓名"] = draw(label_text)
    record["联系电话"] = draw(st.sampled_from(["13812345678", "", "0431-84567890", "123", "电话"]))
    record["备注"] = draw(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20))
    return record


# --- the properties -------------------------------------------------------------------------------


@FEWER  # 8 lists of 1 to 50: 237 households (30 lists of up to 25: 171)
@given(sized(1, 50, messy_household()))
def test_every_household_is_decided_exactly_once(rows):
    with tempfile.TemporaryDirectory() as tmp:
        led = run(write_csv(Path(tmp) / "s.csv", with_keys(rows)))
    assert len(led) == len(rows)
    assert list(led["row"]) == list(range(2, len(rows) + 2))  # in input order, each once
    assert list(led["household_id"]) == [f"H{i:04d}" for i in range(len(rows))]
    assert led["status"].isin(STATUSES).all()
    assert led["reasons"].str.len().gt(0).all()
    decided = led[led["status"].isin(BAND)]
    assert (decided["per_capita_income"] != "").all()  # decided on a number, never on a blank


@st.composite
def band_household(draw) -> dict:
    """A clean household whose per-capita income lies anywhere, but often near the band."""
    residents = draw(st.integers(1, 6))
    per_capita = draw(st.one_of(st.integers(250_000, 450_000), st.integers(0, 3_000_000),
                                st.sampled_from([LOWER * 100, UPPER * 100, LOWER * 100 + 1, UPPER * 100 - 1])))
    costs = draw(st.integers(0, 300_000))
    flag = draw(st.sampled_from(["否", "否", "否", "否", "是"]))
    return clean(per_capita * residents + costs, costs, residents, **{"是否低保户": flag})


@FEWER  # 8 lists of 1 to 60: 268 households (30 lists of up to 15: 149)
@given(sized(1, 60, band_household()), st.data())
def test_raising_an_income_never_lowers_the_band(rows, data):
    fen = lambda text: int(round(float(text) * 100))  # noqa: E731 — the test's own two-decimal text
    raised = [dict(r) for r in rows]
    for record in raised:  # every household gets more of one income, from a fen to 20,000 yuan
        component = data.draw(st.sampled_from(INCOME))
        record[component] = yuan(fen(record[component]) + data.draw(st.one_of(st.integers(1, 100),
                                                                            st.integers(1, 2_000_000))))
        record["家庭总收入"] = yuan(sum(fen(record[c]) for c in INCOME))
    with tempfile.TemporaryDirectory() as tmp:
        before = run(write_csv(Path(tmp) / "a.csv", rows))
        after = run(write_csv(Path(tmp) / "b.csv", raised))
    for old, new in zip(before["status"], after["status"]):
        assert not (old == "above_limit" and new == "candidate")
        assert not (old == "candidate" and new == "below_line")
        if old in BAND:
            assert new in BAND and BAND[new] >= BAND[old], (old, new)
        else:
            assert new == old  # an exclusion stays an exclusion


@settings(FEWER, max_examples=10)  # 10 lists of 2 to 40: 176 households (20 lists: 156)
@given(sized(2, 40, messy_household()), st.randoms(use_true_random=False))
def test_permuting_rows_permutes_the_ledger_and_nothing_else(rows, rnd):
    rows = with_keys(rows)
    rows += [dict(rows[0], **{"户编号": "DUP"})]  # a duplicate head: its issue names another row
    order = list(range(len(rows)))
    rnd.shuffle(order)
    with tempfile.TemporaryDirectory() as tmp:
        first = screen([write_csv(Path(tmp) / "s.csv", rows)], as_of=AS_OF)
        shuffled = screen([write_csv(Path(tmp) / "s.csv", [rows[k] for k in order])], as_of=AS_OF)
    a, b = first.ledger, shuffled.ledger
    assert list(b["row"]) == list(range(2, len(rows) + 2))
    expected = a.iloc[order].drop(columns="row").reset_index(drop=True)
    pd.testing.assert_frame_equal(b.drop(columns="row").reset_index(drop=True), expected)

    def found(result) -> list[tuple]:
        table = result.issues()
        keys = result.households["household_id"].to_numpy()[table["hh"].to_numpy()]
        return sorted(zip(keys, table["field"], table["code"], table["value"], table["severity"]))

    assert found(first) == found(shuffled)


@settings(FEWER, max_examples=10)  # 10 lists of 2 to 40: 223 households (20 lists: 112)
@given(sized(2, 40, messy_household()), st.data())
def test_splitting_a_workbook_in_two_changes_no_decision(rows, data):
    rows = with_keys(rows)
    rows[-1]["户主身份证号"] = rows[0]["户主身份证号"]  # a head in both halves: still a duplicate
    cut = data.draw(st.integers(1, len(rows) - 1))
    with tempfile.TemporaryDirectory() as tmp:
        whole = run(write_workbook(Path(tmp) / "whole.xlsx", rows))
        parts = run(write_workbook(Path(tmp) / "part1.xlsx", rows[:cut]),
                    write_workbook(Path(tmp) / "part2.xlsx", rows[cut:]))
    assert list(parts["source_file"]) == ["part1.xlsx"] * cut + ["part2.xlsx"] * (len(rows) - cut)
    keep = ["household_id", "head_id", "residents", "total_income", "production_expenses", "net_income",
            "per_capita_income", "status", "reasons"]
    pd.testing.assert_frame_equal(whole[keep].reset_index(drop=True), parts[keep].reset_index(drop=True))


near_bound = st.builds(lambda bound, residents, off: (bound * 100 * residents + off, residents),
                       st.sampled_from([LOWER, UPPER]), st.integers(1, 15),
                       st.one_of(st.integers(-50, 50), st.sampled_from([-100, 0, 100])))
anywhere = st.tuples(st.integers(-5_000_000, 60_000_000), st.integers(1, 15))


# Each household is clean with an ID of its own, so decided on its own amount alone: 10 lists of 1 to
# 80 draw 345 amounts (40 lists of up to 40 drew 176, 11 of them lists of 1) in 10 screens.
@settings(FEWER, max_examples=10)
@given(sized(1, 80, st.tuples(st.one_of(near_bound, anywhere), st.integers(0, 20))))
def test_bounds_are_exact_for_any_amount_in_fen(drawn):
    cases = [case for case, _ in drawn]
    rows = []
    for (net, residents), style in drawn:
        record = clean(max(net, 0), max(-net, 0), residents)
        record["工资性收入"] = record["家庭总收入"] = typed(max(net, 0), style)
        record["家庭经营费用支出"] = record["家庭生产经营性支出"] = typed(max(-net, 0), style)
        rows.append(record)
    with tempfile.TemporaryDirectory() as tmp:
        led = run(write_csv(Path(tmp) / "s.csv", rows))
    for (net, residents), status, shown in zip(cases, led["status"], led["per_capita_income"]):
        per_capita = Fraction(net, 100 * residents)
        expected = ("below_line" if per_capita <= LOWER else "candidate" if per_capita < UPPER
                    else "above_limit")
        assert status == expected, (net, residents, shown)
        # The per-capita shown is the exact quotient rounded half away from zero, to the fen, except
        # that a household inside the band is never shown on a bound: 3999.9967 shows 3999.99.
        cents = abs(Fraction(net, residents))
        rounded = int(cents) + (1 if cents - int(cents) >= Fraction(1, 2) else 0)
        rounded = rounded if net >= 0 else -rounded
        if expected == "candidate":
            rounded = min(max(rounded, LOWER * 100 + 1), UPPER * 100 - 1)
        assert shown == yuan(rounded), (net, residents, shown)
        # So what the list shows never contradicts the status beside it.
        fen = round(float(shown) * 100)
        assert {"below_line": fen <= LOWER * 100, "candidate": LOWER * 100 < fen < UPPER * 100,
                "above_limit": fen >= UPPER * 100}[status], (net, residents, shown, status)


def test_bounds_are_exact_on_and_next_to_each_bound_in_every_spelling():
    """Every spelling of every amount on a bound, one fen and one yuan either side, 1-7 residents."""
    cases, rows = [], []
    for bound, residents, off, style in itertools.product((LOWER, UPPER), range(1, 8), (-100, -1, 0, 1, 100),
                                                          range(9)):
        net = bound * 100 * residents + off
        record = clean(net, 0, residents)
        record["工资性收入"] = record["家庭总收入"] = typed(net, style)
        cases.append((net, residents))
        rows.append(record)
    with tempfile.TemporaryDirectory() as tmp:
        led = run(write_csv(Path(tmp) / "s.csv", rows))
    for (net, residents), status in zip(cases, led["status"]):
        per_capita = Fraction(net, 100 * residents)
        expected = "below_line" if per_capita <= LOWER else "candidate" if per_capita < UPPER else "above_limit"
        assert status == expected, (net, residents)


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(lower=st.integers(3000_00, 9000_00), width=st.integers(1, 3000_00),
       cases=st.lists(st.tuples(st.integers(0, 20_000_000), st.integers(1, 12)), min_size=1, max_size=20))
def test_bounds_of_a_countys_own_rules_with_decimals(lower, width, cases):
    upper = lower + width
    text = (Path(__file__).parents[1] / "rules" / "changchun-2019.toml").read_text(encoding="utf-8")
    text = text.replace("value = 3218,", f'value = "{yuan(lower)}",').replace("value = 4000,", f'value = "{yuan(upper)}",')
    assume(f'"{yuan(lower)}"' in text and f'"{yuan(upper)}"' in text)
    near = [(lower * r + d, r) for r in (1, 3, 7) for d in (-1, 0, 1)] + [(upper * r + d, r) for r in (2, 3) for d in (-1, 0, 1)]
    cases = cases + near
    rows = [clean(net, 0, residents) for net, residents in cases]
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "county.toml"
        rules.write_text(text, encoding="utf-8")
        led = screen([write_csv(Path(tmp) / "s.csv", rows)], rules, year=2019, as_of=AS_OF).ledger
    for (net, residents), status in zip(cases, led["status"]):
        per_capita = Fraction(net, residents)  # fen
        expected = ("below_line" if per_capita <= lower else "candidate" if per_capita < upper
                    else "above_limit")
        assert status == expected, (net, residents, lower, upper)


# --- the reader's own arithmetic -----------------------------------------------------------------

csv_field = st.text(st.sampled_from('ab,"\n\r 户'), max_size=6)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.lists(csv_field, min_size=1, max_size=6), min_size=1, max_size=8), st.integers(1, 9),
       st.sampled_from([",", "\t"]))
def test_csv_width_counts_fields_as_the_csv_module_does(records, chunk_size, sep):
    """Separators and line breaks inside quotes are text, across any chunk boundary; the line breaks
    inside quotes are counted (the reader looks at records over several lines only when some are)."""
    records = [[f.replace(",", sep) for f in r] for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n", delimiter=sep).writerows(records)
        width, quoted_breaks, fields = _csv_shape(_TextTable(path, "utf-8"), TAB if sep == "\t" else COMMA,
                                                 chunk_size)
        assert width == max(len(r) for r in records)
        assert quoted_breaks == sum(f.count("\n") for r in records for f in r)
        assert fields.tolist() == [len(r) for r in records]
        # The last record without its line break is a record all the same.
        path.write_bytes(path.read_bytes()[:-1])
        assert _csv_shape(_TextTable(path, "utf-8"), TAB if sep == "\t" else COMMA, chunk_size)[2].tolist() == \
            [len(r) for r in records]


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_explain_writes_amounts_exactly_as_the_ledger(fen):
    """explain formats one amount at a time (a pandas call per cell would cost it 3x); it must
    agree with the ledger's column-wise fen_text for every amount."""
    import pandas as pd

    from edgescreen.money import fen_text

    assert fen_text(fen) == fen_text(pd.Series([fen], dtype="Int64")).iloc[0]


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_yuan_in_words_reads_back_to_the_fen_it_was_made_of(fen):
    """The figures a sentence or a printed cell quotes (yuan_words: 6,800 and 1,206.50; grouped_fen_text:
    3,218.00 beside a case) are the fen they say, exactly: commas every three digits of the whole yuan
    and nowhere else, the fen where there are some (always, grouped_fen_text), one amount as a column."""
    from decimal import Decimal

    from edgescreen.money import grouped_fen_text, yuan_words

    for shown, always_fen in ((yuan_words(fen), False), (grouped_fen_text(fen), True)):
        assert shown == (yuan_words if not always_fen else grouped_fen_text)(
            pd.Series([fen, None], dtype="Int64")).iloc[0]
        whole, _, cents = shown.lstrip("-").partition(".")
        assert all(len(group) == 3 for group in whole.split(",")[1:]) and 1 <= len(whole.split(",")[0]) <= 3
        assert len(cents) == 2 if always_fen or fen % 100 else cents == ""
        assert Decimal(shown.replace(",", "")) * 100 == fen
