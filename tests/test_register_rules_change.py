"""Year two screened into the register under another rule set than year one, with nothing said: an
outside try recorded 2019 under 农安县's own file (upper bound 4200), then screened 2020 with --register
but without --rules, and changchun-2019 (4000) decided the year; only "2020 年度沿用规则集
changchun-2019…" was said. The round now says both rule sets with their figures, and --rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from field_builders import default_rules_text
from spotcheck_builders import above, candidate, run, write_survey
from edgescreen.jobs import screen_into
from edgescreen.register.rounds import rules_changed_line


@pytest.fixture(autouse=True)
def chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def county_file(path: Path, rules_id: str = "nongan-2019") -> Path:
    """The default rule set copied by the county, its upper bound 4200 (and, as given, its id)."""
    text = default_rules_text().replace('id = "changchun-2019"', f'id = "{rules_id}"')
    text, n = re.subn(r"(\[upper_bound\][\s\S]*?value = )4000", r"\g<1>4200", text, count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return path


def year_one(tmp: Path, rules: Path) -> tuple[Path, Path]:
    """2019 screened under `rules` into a new register; the survey (kept for 2020) and the register."""
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙") for _ in range(3)]
    survey = write_survey(tmp / "调查.xlsx", {"合隆镇": rows})
    db = tmp / "农安县.db"
    run("screen", survey, "-o", tmp / "筛查2019", "--rules", rules, "--register", db, "--date", "2019-11-20")
    return survey, db


def year_two(tmp: Path, survey: Path, db: Path, **rules):
    return screen_into(survey, tmp / "筛查2020", register=db, round_date=dt.date(2020, 11, 20), year=2020, **rules)


def flat(text: str) -> str:
    return "".join(text.split())


def test_year_two_without_the_countys_file_says_both_rule_sets_and_rules(tmp_path):
    rules = county_file(tmp_path / "农安县规则.toml")
    survey, db = year_one(tmp_path, rules)
    recorded = year_two(tmp_path, survey, db).recorded
    said = flat(rules_changed_line(recorded, "zh"))
    assert "登记簿上一轮(第1轮,2019年度)是按规则集nongan-2019(3218<人均<4200)筛查的" in said, said
    assert "本轮(第2轮,2020年度)按规则集changchun-2019(3218<人均<4000)" in said
    assert f"上一轮用的是{rules}" in said and "请加--rules" in said
    english = flat(rules_changed_line(recorded, "en"))
    assert "rulesetnongan-2019(3218<per-capita<4200)" in english and "--rules" in english


def test_a_copy_under_the_shipped_id_with_its_own_bound_is_said_too(tmp_path):
    rules = county_file(tmp_path / "农安县规则.toml", rules_id="changchun-2019")  # copied by hand, id kept
    survey, db = year_one(tmp_path, rules)
    said = flat(rules_changed_line(year_two(tmp_path, survey, db).recorded, "zh"))
    assert "changchun-2019(3218<人均<4200)" in said and "changchun-2019(3218<人均<4000)" in said


def test_year_two_under_the_same_file_says_nothing(tmp_path):
    rules = county_file(tmp_path / "农安县规则.toml")
    survey, db = year_one(tmp_path, rules)
    assert rules_changed_line(year_two(tmp_path, survey, db, rules=rules).recorded, "zh") == ""


def test_the_terminal_says_it(tmp_path):
    # On the command line, --rules left off is refused before anything is recorded (a round cannot be
    # taken back); the refusal says both rule sets and the --rules to add.
    rules = county_file(tmp_path / "农安县规则.toml")
    survey, db = year_one(tmp_path, rules)
    refused = run("screen", survey, "-o", tmp_path / "筛查2020", "--register", db, "--date", "2020-11-20",
                  "--year", "2020", code=2)
    said = flat(refused.output)
    assert not (tmp_path / "筛查2020").exists(), refused.output
    assert "两轮的规则集不同" in said and "nongan-2019(3218<人均<4200)" in said and "--rules" in said, said


def test_a_shipped_rule_set_the_round_before_used_is_named_by_its_id(tmp_path):
    """Before: a round screened under a shipped rule set was called the county's own file in year
    two's line (如本县仍用自己的规则文件(上一轮用的是 …/rules/changchun-2019.toml))."""
    survey, db = year_one(tmp_path, "changchun-2019")
    recorded = year_two(tmp_path, survey, db, rules=county_file(tmp_path / "农安县规则.toml")).recorded
    said = flat(rules_changed_line(recorded, "zh"))
    assert "本县仍用自己的规则文件" not in said, said
    assert "如本轮仍应按changchun-2019认定,请加--ruleschangchun-2019重新筛查" in said, said
