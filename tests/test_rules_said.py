"""The rule set in force said where the clerk reads it, and `rules new|check|test` slips (an outside try of a
county's own rules: 3,600 < per-capita < 4,000 from 2020). Before: `screen` with and without --rules 本县.toml
ended alike though its candidates went from 40 to 54; `rules check` passed a file printing the county's
3600 under the city's title; `rules test` on a folder said 「未运行 找不到规则集 tests-bad/本县.toml」 without
the case file that asked for it, and ran a case file without `rules =` against changchun-2019 unsaid."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app
from edgescreen.rules import rules_dir

COUNTY = """id = "xx-2020"
title = "XX县贫困边缘户识别标准"
basis = "XX县贫困边缘户识别办法"

[lower_bound]
values = [
  { effective = 2019-01-01, value = 3218, source = "国家农村贫困标准2019年当年价3218元(新华社,2020-12-03)" },
  { effective = 2020-01-01, value = 3600, source = "吉林省2020年农村贫困标准3600元(县扶贫办2020年第3号通知)" },
]

[upper_bound]
values = [
  { effective = 2019-01-01, value = 4000, source = "长春市贫困边缘户精准识别和实施帮扶的方案:\\"但未达到4000元\\"" },
]

[income]
components = ["wage_income", "business_income", "property_income", "transfer_income"]
total = "total_income"

[expenses]
components = ["business_costs", "depreciation", "taxes_fees"]
total = "production_expenses"
"""

CASES = """{rules}year = 2020

[[case]]
name = "1人 恰3600"
inputs = {{ residents = 1, wage_income = "3600" }}
expect = {{ status = "below_line" }}
"""


def run(*args, code: int = 0):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400", "EDGESCREEN_LANG": "zh"})
    assert result.exit_code == code, result.output
    return " ".join(result.output.split())


@pytest.fixture
def county(tmp_path, monkeypatch):
    """A county's folder: its rules file 本县.toml and a survey of one household at 3,800 per person
    (a candidate under both 3218 and 3600), run from there."""
    (tmp_path / "本县.toml").write_text(COUNTY, encoding="utf-8")
    write_workbook(tmp_path / "调查表.xlsx", [household(**{"工资性收入": 11400})])
    monkeypatch.chdir(tmp_path)
    return tmp_path


# -- 1. the rule set, its source, the year and the bounds, before 接下来请打开 -------------------------

def test_screen_says_the_county_file_its_year_and_bounds_before_what_to_open(county):
    said = run("screen", "调查表.xlsx", "--rules", "本县.toml", "--year", "2020", "-o", "a")
    line = "认定标准:XX县贫困边缘户识别标准(本县.toml),2020 年度收入:人均纯收入高于 3,600 元、低于 4,000 元"
    assert line in said, said
    assert said.index(line) < said.index("接下来请打开"), said


def test_screen_without_rules_says_it_was_edgescreens_own_file_and_the_2019_figures(county):
    said = run("screen", "调查表.xlsx", "-o", "a")
    line = ("认定标准:长春市贫困边缘户识别标准(2019)(edgescreen 自带规则文件 changchun-2019),2019 年度收入:"
            "人均纯收入高于 3,218 元、低于 4,000 元")
    assert line in said, said
    assert said.index(line) < said.index("接下来请打开"), said
    english = run("screen", "调查表.xlsx", "-o", "b", "--lang", "en")
    assert ("Rule: 长春市贫困边缘户识别标准(2019) (edgescreen's own rules file changchun-2019), income year 2019: "
            "per-capita net income above 3,218 and below 4,000 yuan") in english, english


def test_check_says_the_rules_in_force_too(county):
    said = run("check", "调查表.xlsx", "--rules", "本县.toml", "--year", "2020", "-o", "c")
    assert "认定标准:XX县贫困边缘户识别标准(本县.toml),2020 年度收入:人均纯收入高于 3,600 元、低于 4,000 元" in said, said
    said = run("check", "调查表.xlsx", "--rules", "monitoring", "--year", "2023", "-o", "d")
    assert "(edgescreen 自带规则文件 monitoring),2023 年度收入:人均纯收入低于 7,300 元" in said and "高于" not in said, said


# -- 2. a year carried over from the default set: --rules forgotten is said beside rules new --------

def test_figures_carried_on_says_to_add_rules_as_well_as_rules_new(county):
    said = run("screen", "调查表.xlsx", "--year", "2020", "-o", "a")
    assert "2020 年度沿用规则集 changchun-2019" in said, said
    assert "如本县已有规则文件,请在其中写明,并加 --rules 文件名重新运行;还没有的,先用 edgescreen rules new 建一个" in said, said


# -- 3. rules new / rules check: the city's title, a source quoting another figure -------------------

def test_rules_new_says_to_change_the_title_it_copied(tmp_path):
    said = run("rules", "new", tmp_path / "农安县.toml")
    assert "请把标准名称「长春市贫困边缘户识别标准(2019)」(各村名单在“认定标准”处印的就是它)改为本县的" in said, said


def test_rules_check_warns_of_the_shipped_title_over_the_countys_figures(county):
    kept = COUNTY.replace('title = "XX县贫困边缘户识别标准"', 'title = "长春市贫困边缘户识别标准(2019)"')
    (county / "懒.toml").write_text(kept, encoding="utf-8")
    said = run("rules", "check", "懒.toml")  # a warning: exit 0, the file screens
    assert "通过:懒.toml" in said, said
    assert ("第 2 行的标准名称仍是 edgescreen 自带规则集 changchun-2019 的「长春市贫困边缘户识别标准(2019)」,"
            "数值却与它不同(如 lower_bound 自 2020-01-01 起的 3600,自带的没有这一条)") in said, said
    assert "请把这一行的名称改为本县的" in said, said


def test_rules_check_warns_of_a_source_naming_another_figure_than_its_value(county):
    copied = COUNTY.replace("吉林省2020年农村贫困标准3600元(县扶贫办2020年第3号通知)", "国家农村贫困标准2019年当年价3218元")
    (county / "抄.toml").write_text(copied, encoding="utf-8")
    said = run("rules", "check", "抄.toml")
    assert ("第 8 行 lower_bound.values[1]:自 2020-01-01 起的数值是 3600,出处写的却是 3218元") in said, said
    assert "第 7 行" not in said, said  # 3218 beside a source of 3218元: as it should be


@pytest.mark.parametrize("name", ["changchun-2019", "monitoring"])
def test_the_shipped_sets_and_a_county_file_of_its_own_are_not_warned_so(county, name):
    """A guard: the shipped sources name their own figures (当年价2800元 beside 2010年不变价2300元, 但未达到
    4000元), and a county file with its own title and sources has nothing to be told."""
    for said in (run("rules", "check", rules_dir() / f"{name}.toml"), run("rules", "check", "本县.toml")):
        assert "出处写的却是" not in said and "标准名称仍是" not in said, said


# -- 4. rules test: the case file that names a missing rule set, and the one that names none ---------

def test_rules_test_names_the_case_file_and_line_of_a_missing_rule_set(county):
    folder = county / "tests-bad"
    folder.mkdir()
    (folder / "rules_missing.toml").write_text(CASES.format(rules='rules = "本县.toml"\n'), encoding="utf-8")
    (folder / "fine.toml").write_text(CASES.format(rules='rules = "../本县.toml"\n'), encoding="utf-8")
    said = run("rules", "test", "tests-bad", code=2)
    assert ("未运行 tests-bad/rules_missing.toml 第 1 行 rules = \"本县.toml\":找不到这个规则集。"
            f"用例文件里的 rules 从用例文件所在的文件夹 {folder} 找起") in said, said
    assert "tests-bad/fine.toml — 规则集 xx-2020" in said and "1 个用例中 1 个通过" in said, said
    # Given alone, the same words: the file and its line.
    alone = run("rules", "test", "tests-bad/rules_missing.toml", code=2)
    assert 'tests-bad/rules_missing.toml 第 1 行 rules = "本县.toml":找不到这个规则集' in alone, alone


def test_rules_test_says_a_case_file_without_rules_ran_against_the_default(county):
    (county / "no_rules_key.toml").write_text(CASES.format(rules=""), encoding="utf-8")
    said = run("rules", "test", "no_rules_key.toml", code=1)  # 3600 is a candidate under 3218
    assert "no_rules_key.toml 没有写 rules =,用例按 edgescreen 自带规则集 changchun-2019 运行" in said, said
    named = county / "named.toml"
    named.write_text(CASES.format(rules='rules = "本县.toml"\n'), encoding="utf-8")
    said = run("rules", "test", named)
    assert "没有写 rules" not in said, said
    # --rules on the command line names the rule set: nothing to say either.
    said = run("rules", "test", "no_rules_key.toml", "--rules", "本县.toml")
    assert "没有写 rules" not in said, said


# -- 5. --rules from another folder: the folder it looked in ----------------------------------------

def test_rules_not_found_says_the_folder_it_looked_in(county, monkeypatch):
    other = county / "other"
    other.mkdir()
    monkeypatch.chdir(other)
    said = run("screen", county / "调查表.xlsx", "--rules", "本县.toml", "-o", county / "o", code=2)
    assert f"找不到规则集 本县.toml:文件夹 {other} 里没有这个文件" in said, said
    assert not (county / "o").exists()
