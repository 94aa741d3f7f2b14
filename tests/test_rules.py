"""Rule sets as data: dated values and the year that picks them, components as a parameter, strict
loading with a precise message for each kind of mistake, and the two shipped rule sets."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app
from edgescreen.errors import RulesError
from edgescreen.rules import Bounds, load_rules, rules_dir
from edgescreen.outputs.ledger import read_ledger


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """These tests read what the messages say in English (--lang en, here through EDGESCREEN_LANG);
    test_messages.py holds the same failures to their Chinese words."""
    monkeypatch.setenv("EDGESCREEN_LANG", "en")


runner = CliRunner()
SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "changchun-sample.xlsx"
DEFAULT_TEXT = (rules_dir() / "changchun-2019.toml").read_text(encoding="utf-8")
UPPER_4000 = '{ effective = 2019-01-01, value = 4000, source = '


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def ledger(out: Path) -> pd.DataFrame:
    return read_ledger(out / "decisions.csv")


def county_file(tmp_path: Path, name: str, edit) -> Path:
    """A county's rules file made the way a county makes one: `rules new`, then an edit of the text."""
    path = tmp_path / name
    result = run("rules", "new", path)
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    edited = edit(text)
    assert edited != text, "the edit must change the file"
    path.write_text(edited, encoding="utf-8")
    return path


def one_resident(wage: str, name: str, **kw) -> dict:
    return household(**{"户主姓名": name, "家庭人口数": 1, "家庭常住人口数": 1, "工资性收入": wage,
                        "家庭总收入": wage, **kw})


# ---------------------------------------------------------------------------------------------
# The shipped rule sets


def test_default_rule_set_values_and_sources():
    loaded = load_rules()
    r = loaded.rules
    assert r.id == "changchun-2019" and r.latest_year == 2019
    b = loaded.bounds()
    assert (b.year, b.lower.value, b.upper.value) == (2019, 3218, 4000)
    assert (b.lower_fen, b.upper_fen) == (321800, 400000)
    assert "新华社" in b.lower.source and "未达到4000元" in b.upper.source
    # The national line by year: the value in force is the latest dated on or before 31 December.
    assert {y: str(r.lower_bound.in_force(y).value) for y in range(2014, 2020)} == {
        2014: "2800", 2015: "2855", 2016: "2952", 2017: "2952", 2018: "2952", 2019: "3218"}
    assert r.lower_bound.in_force(2013) is None
    assert r.exclude.dibao and r.exclude.tekun and r.exclude.registered_poor
    assert r.income.components == ("wage_income", "business_income", "property_income", "transfer_income")
    assert r.expenses.components == ("business_costs", "depreciation", "taxes_fees")


def test_monitoring_rule_set():
    loaded = load_rules("monitoring")
    r = loaded.rules
    assert r.lower_bound is None
    b = loaded.bounds(2023)
    assert b.lower is None and b.lower_fen is None and b.upper.value == 7300
    assert not (r.exclude.registered_poor or r.exclude.dibao or r.exclude.tekun)
    figures = {f.region: (f.value, f.effective, f.source) for f in r.reference_figures}
    assert figures["贵州省"][0] == 7300 and figures["湖北省"][0] == 7600
    assert all(eff == dt.date(2023, 1, 1) and src for _, eff, src in figures.values())
    # It says plainly, where a clerk sees it, that a county puts in its own province's figure.
    text = (rules_dir() / "monitoring.toml").read_text(encoding="utf-8")
    assert "县里必须填入本省的监测标准" in text
    assert "示例" in r.title and "本省" in r.title
    with pytest.raises(RulesError, match="上限自 2023 年起施行,2022 收入年度无法筛查"):
        loaded.bounds(2022)


def test_monitoring_screens_with_no_lower_bound_and_no_registered_exclusion(tmp_path):
    rows = [one_resident("500", "低收入"), one_resident("7299.99", "差一分"), one_resident("7300", "等于"),
            one_resident("5000", "脱贫户", **{"是否建档立卡贫困户": "是"})]
    path = write_workbook(tmp_path / "m.xlsx", rows)
    result = run("screen", path, "-o", tmp_path / "out", "--rules", "monitoring", "--year", "2023")
    assert result.exit_code == 0, result.output
    got = dict(zip(ledger(tmp_path / "out")["head_name"], ledger(tmp_path / "out")["status"]))
    assert got == {"低收入": "candidate", "差一分": "candidate", "等于": "above_limit", "脱贫户": "candidate"}


# ---------------------------------------------------------------------------------------------
# Dated values: the survey's income year picks the value in force


def add_upper_value(text: str, line: str) -> str:
    """Add a dated value after the default's 2019 upper bound line."""
    lines = text.splitlines(keepends=True)
    at = next(i for i, l in enumerate(lines) if l.lstrip().startswith(UPPER_4000))
    return "".join(lines[:at + 1] + [f"  {line}\n"] + lines[at + 1:])


def test_a_value_dated_after_the_survey_year_is_not_applied(tmp_path):
    county = county_file(tmp_path, "county.toml", lambda t: add_upper_value(
        t, '{ effective = 2020-07-01, value = 4500, source = "县文件(2020)" },'))
    r = load_rules(county).rules
    assert [(str(v.value), v.effective.isoformat()) for v in r.upper_bound.values] == [
        ("4000", "2019-01-01"), ("4500", "2020-07-01")]

    path = write_workbook(tmp_path / "s.xlsx", [one_resident("4200", "甲")])
    for year, status, effective in (("2019", "above_limit", "2019-01-01"), ("2020", "candidate", "2020-07-01")):
        out = tmp_path / f"out{year}"
        result = run("screen", path, "-o", out, "--rules", county, "--year", year)
        assert result.exit_code == 0, result.output
        assert ledger(out)["status"].tolist() == [status]
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert manifest["rules"]["upper_bound"]["effective"] == effective
    # Without --year: the rule set's latest year, 2020.
    result = run("screen", path, "-o", tmp_path / "latest", "--rules", county)
    assert ledger(tmp_path / "latest")["status"].tolist() == ["candidate"]
    # A year before any bound is in force cannot be screened: exit 2 and say which years can.
    result = run("screen", path, "-o", tmp_path / "early", "--rules", county, "--year", "2018")
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "for income year 2018 only the lower bound is known (2952 yuan, from 2016-01-01)" in said
    assert "the upper bound is in force only from 2019 on" in said and "--year 2019" in said


def test_bounds_for_year_in_the_library():
    r = load_rules().rules
    with pytest.raises(RulesError, match="请用 --year 2019 或更晚的年度"):
        Bounds.for_year(r, 2016)  # the plan's upper bound takes effect in 2019
    assert Bounds.for_year(r, 2030).lower.value == 3218  # the latest value stays in force


# ---------------------------------------------------------------------------------------------
# A county raises the upper bound: exactly the households between the bounds change


def _pc_in(net_fen: pd.Series, residents: pd.Series, low: int, high: int) -> pd.Series:
    """low ≤ net/residents < high, exact, in yuan."""
    return (net_fen >= low * 100 * residents) & (net_fen < high * 100 * residents)


def test_raising_the_upper_bound_changes_exactly_the_households_between_the_bounds(tmp_path):
    rows = [one_resident(w, f"户{i}") for i, w in enumerate(
        ["3500", "3999.99", "4000", "4000.01", "4250", "4499.99", "4500", "4500.01", "6000"])]
    rows += [household(**{"户主姓名": "三口一", "工资性收入": "13499.99", "家庭总收入": "13499.99"}),
             household(**{"户主姓名": "三口二", "工资性收入": "13500", "家庭总收入": "13500"}),
             one_resident("4200", "低保户", **{"是否低保户": "是", "转移性收入": "1000", "家庭总收入": "5200"}),
             one_resident("4200", "坏数据", **{"家庭常住人口数": "两人"})]
    path = write_workbook(tmp_path / "s.xlsx", rows)
    county = county_file(tmp_path, "raised.toml", lambda t: t.replace(UPPER_4000, UPPER_4000.replace("4000", "4500")))
    assert run("screen", path, "-o", tmp_path / "old").exit_code == 0
    result = run("screen", path, "-o", tmp_path / "new", "--rules", county)
    assert result.exit_code == 0, result.output
    old, new = ledger(tmp_path / "old"), ledger(tmp_path / "new")
    changed = old["head_name"][old["status"] != new["status"]].tolist()
    assert changed == ["户2", "户3", "户4", "户5", "三口一"]
    assert set(new.loc[old["status"] != new["status"], "status"]) == {"candidate"}
    assert set(old.loc[old["status"] != new["status"], "status"]) == {"above_limit"}


def test_raising_the_upper_bound_on_the_sample(tmp_path):
    county = tmp_path / "raised.toml"
    county.write_text(DEFAULT_TEXT.replace(UPPER_4000, UPPER_4000.replace("4000", "4500")), encoding="utf-8")
    from edgescreen.pipeline import screen

    old = screen([SAMPLE], as_of=dt.date(2020, 6, 30)).households
    new = screen([SAMPLE], county, as_of=dt.date(2020, 6, 30)).households
    net, res = old["net_income_fen"].astype("Int64"), old["residents"].astype("Int64")
    between = ((old["status"] == "above_limit") & _pc_in(net, res, 4000, 4500).fillna(False)).astype(bool)
    changed = old["status"] != new["status"]
    assert between.sum() > 20, "the sample must have households between 4000 and 4500"
    assert changed.equals(between)
    assert (new.loc[changed, "status"] == "candidate").all()


# ---------------------------------------------------------------------------------------------
# Which components count is a parameter


def test_income_components_are_a_parameter(tmp_path):
    county = county_file(tmp_path, "no-transfer.toml", lambda t: t.replace(
        'components = ["wage_income", "business_income", "property_income", "transfer_income"]',
        'components = ["wage_income", "business_income", "property_income"]'))
    rows = [household(**{"户主姓名": "甲", "家庭人口数": 1, "家庭常住人口数": 1, "工资性收入": 3500,
                         "转移性收入": 1000, "家庭总收入": ""})]
    path = write_workbook(tmp_path / "s.xlsx", rows)
    assert run("screen", path, "-o", tmp_path / "a").exit_code == 0
    assert run("screen", path, "-o", tmp_path / "b", "--rules", county).exit_code == 0
    a, b = ledger(tmp_path / "a").iloc[0], ledger(tmp_path / "b").iloc[0]
    assert (a["total_income"], a["status"]) == ("4500.00", "above_limit")
    assert (b["total_income"], b["status"]) == ("3500.00", "candidate")


# ---------------------------------------------------------------------------------------------
# Strict loading: each kind of mistake, its message, its exit code


def _replace(old, new):
    def edit(text):
        assert old in text, old
        return text.replace(old, new, 1)
    return edit


MALFORMED = [
    ("unknown key", _replace("[exclude]", "[exclude]\nlow_income = true"),
     ["exclude.low_income: unknown key"]),
    ("misspelt key", _replace("[upper_bound]", "[uper_bound]"),
     ["upper_bound: missing", "uper_bound: unknown key (did you mean 'upper_bound'?)"]),
    ("duplicate key", _replace("tekun = true", "tekun = true\ntekun = false"),
     ["duplicate key 'exclude.tekun': it is given twice (first given on line"]),
    ("duplicate table", lambda t: t + "\n[exclude]\ndibao = false\n",
     ["duplicate table [exclude]: it is declared twice"]),
    ("duplicate key in a value", _replace("{ effective = 2015-01-01,", "{ effective = 2015-01-01, effective = 2015-02-01,"),
     ["duplicate key 'effective'", "lower_bound.values[1]"]),
    ("impossible date", _replace("effective = 2016-01-01", "effective = 2016-02-30"),
     ["lower_bound.values[2].effective = 2016-02-30 is not a valid date", "YYYY-MM-DD"]),
    ("month 13", _replace("effective = 2019-01-01, value = 4000", "effective = 2019-13-01, value = 4000"),
     ["upper_bound.values[0].effective = 2019-13-01 is not a valid date"]),
    # Unquoted as a person writes a date: tomllib said an inline table was not closed.
    ("date with slashes", _replace("effective = 2016-01-01", "effective = 2016/01/01"),
     ["lower_bound.values[2].effective = 2016/01/01 is not a valid date", "YYYY-MM-DD"]),
    ("date with dots", _replace("effective = 2016-01-01", "effective = 2016.1.1"),
     ["lower_bound.values[2].effective = 2016.1.1 is not a valid date", "YYYY-MM-DD"]),
    ("date in Chinese", _replace("effective = 2016-01-01", "effective = 2016年1月1日"),
     ["lower_bound.values[2].effective = 2016年1月1日 is not a valid date", "YYYY-MM-DD"]),
    ("date as text with slashes", _replace("effective = 2016-01-01", 'effective = "2016/01/01"'),
     ["lower_bound.values[2].effective: '2016/01/01' is not a date: write it as YYYY-MM-DD"]),
    ("a year, not a date", _replace("effective = 2016-01-01", "effective = 2016"),
     ["lower_bound.values[2].effective: 2016 is not a date"]),
    ("a date with a time", _replace("effective = 2016-01-01", "effective = 2016-01-01T08:00:00"),
     ["lower_bound.values[2].effective: a date without a time of day is expected"]),
    ("dates out of order", _replace("effective = 2016-01-01", "effective = 2013-01-01"),
     ["lower_bound: values must be listed in order of their effective dates"]),
    ("two values on one date", _replace("effective = 2016-01-01", "effective = 2015-01-01"),
     ["lower_bound: two values take effect on the same date"]),
    ("lower not below upper", _replace("value = 4000,", "value = 3000,"),
     ["lower_bound (3218) is not below upper_bound (3000) in income year 2019"]),
    ("lower equal to upper", _replace("value = 3218,", "value = 4000,"),
     ["lower_bound (4000) is not below upper_bound (4000) in income year 2019"]),
    ("money as a float", _replace("value = 4000,", "value = 4000.5,"),
     ["upper_bound.values[0].value: write amounts as whole numbers or quoted decimals", "(given: 4000.5)"]),
    ("three decimals", _replace("value = 4000,", 'value = "4000.005",'),
     ["upper_bound.values[0].value"]),
    ("a source left empty", _replace('value = 2855, source = "国家统计局,2015年农村贫困标准"', 'value = 2855, source = ""'),
     ["lower_bound.values[1].source"]),
    ("not a money field", _replace('"transfer_income"]', '"pension"]'),
     ["income: 'pension' is not a money field"]),
    ("counted on both sides", _replace('components = ["business_costs",', 'components = ["wage_income", "business_costs",'),
     ["income and expenses both list wage_income"]),
    ("a component listed twice", _replace('"transfer_income"]', '"transfer_income", "wage_income"]'),
     ["income: 'wage_income' is listed twice"]),
    ("the total among its components", _replace('"transfer_income"]', '"transfer_income", "total_income"]'),
     ["'total_income' is the total; it cannot also be one of its components"]),
    ("no upper bound above 0", _replace("value = 4000,", "value = 0,"),
     ["an upper bound must be above 0"]),
    ("not TOML at all", lambda t: "this is not a rules file\n" + t, ["line 1: not valid TOML"]),
]


@pytest.mark.parametrize("name, edit, phrases", MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_rules_file_message_and_exit_codes(tmp_path, name, edit, phrases):
    bad = tmp_path / "county.toml"
    bad.write_text(edit(DEFAULT_TEXT), encoding="utf-8")
    survey = write_workbook(tmp_path / "s.xlsx", [household()])
    for args, code in ((("rules", "check", bad), 1), (("screen", survey, "-o", tmp_path / "o", "--rules", bad), 2)):
        result = run(*args)
        text = " ".join(result.output.split())
        assert result.exit_code == code, (args, result.output)
        assert "Traceback" not in result.output
        assert str(bad) in text or "county.toml" in text
        for phrase in phrases:
            assert phrase in text, f"{phrase!r} not in {text!r}"
    assert not (tmp_path / "o").exists()


def test_rules_file_not_utf8(tmp_path):
    bad = tmp_path / "gbk.toml"
    bad.write_bytes(DEFAULT_TEXT.encode("gb18030"))
    result = run("rules", "check", bad)
    assert result.exit_code == 1 and "not UTF-8 text" in result.output


def test_unknown_rule_set_id():
    result = run("rules", "show", "no-such-rules")
    assert result.exit_code == 2
    assert "not one of the shipped rule sets" in result.output and "changchun-2019" in result.output
