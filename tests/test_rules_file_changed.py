"""A county's rules file edited between rounds (outside try BB): 农安县.toml, round 1 screened under it,
then its lower bound changed. A late township added to the round was refused with 「请用 --rules
农安县.toml 再补报」, the very file given; a new round under it was told 「如本县仍用自己的规则文件…
请加 --rules 指明该文件…确是改用 nongan-2020 的,可不理会」 though --rules named it; and the advice's
path was the one given in round 1, relative, which fails from another folder. The file's change is now
said as such (the bound, then → now), a join under it refused with the two ways out, and the advice to
use a round's file gives a path that works from here, or says the file is gone or changed."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest

from field_builders import default_rules_text
from spotcheck_builders import above, candidate, run, write_survey
from test_register import dump


@pytest.fixture(autouse=True)
def chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def county_rules(path: Path, lower: int = 3300, tolerance: int = 1) -> Path:
    """The default rule set as the county's own (id nongan-2019), its 2019 lower bound `lower`."""
    text = default_rules_text().replace('id = "changchun-2019"', 'id = "nongan-2019"')
    text, n = re.subn(r"effective = 2019-01-01, value = 3218,", f"effective = 2019-01-01, value = {lower},", text)
    assert n == 1
    text, n = re.subn(r"(?m)^amount_tolerance = 1$", f"amount_tolerance = {tolerance}", text)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return path


def flat(text: str) -> str:
    return "".join(text.split())


def round_one(tmp: Path, rules: Path | str) -> Path:
    """合隆镇 screened for 2019 under `rules` into a new register."""
    survey = write_survey(tmp / "合隆镇.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(3)]
                                                   + [above("前岗村", "乙") for _ in range(2)]})
    db = tmp / "农安县.db"
    run("screen", survey, "-o", tmp / "第1轮", "--rules", rules, "--register", db, "--date", "2019-11-20",
        "--year", "2019")
    return db


def late_township(tmp: Path) -> Path:
    return write_survey(tmp / "万顺乡.xlsx", {"万顺乡": [candidate("万顺村", "丙", township="万顺乡") for _ in range(2)]})


def test_a_late_township_under_the_edited_file_is_refused_naming_the_change(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, rules)
    county_rules(rules, lower=3350)  # edited after round 1
    before = dump(db)
    refused = run("screen", late_township(tmp_path), "-o", tmp_path / "补报", "--rules", rules, "--year", "2019",
                  "--register", db, "--add-to-round", code=2)
    said = flat(refused.output)
    assert f"规则文件{rules}在第1轮之后改过:2019年度下限3300元→3350元" in said, said
    assert "同一轮的户要按同一个规则文件认定" in said and "改回第1轮时的内容,再补报" in said, said
    assert "去掉--add-to-round" in said and "开始新的一轮" in said, said
    assert "请用--rules" not in said, said  # not the very file just given
    assert dump(db) == before and not (tmp_path / "补报").exists()
    english = flat(run("screen", late_township(tmp_path), "-o", tmp_path / "补报", "--rules", rules, "--year", "2019",
                       "--register", db, "--add-to-round", "--lang", "en", code=2).output)
    assert "2019'slowerbound3300yuan→3350yuan" in english, english
    # The first way out: the round's version put back, the township joins.
    county_rules(rules)
    done = run("screen", late_township(tmp_path), "-o", tmp_path / "补报", "--rules", rules, "--year", "2019",
               "--register", db, "--add-to-round")
    assert "规则文件" not in flat(done.output), done.output


def test_other_rules_changed_alone_are_said_by_the_files_sha256(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, rules)
    then = hashlib.sha256(rules.read_bytes()).hexdigest()
    county_rules(rules, tolerance=2)
    now = hashlib.sha256(rules.read_bytes()).hexdigest()
    said = flat(run("screen", late_township(tmp_path), "-o", tmp_path / "补报", "--rules", rules, "--year", "2019",
                    "--register", db, "--add-to-round", code=2).output)
    assert f"规则文件{rules}在第1轮之后改过:收入上下限没有变,改的是其他规则" in said, said
    assert then[:12] in said and now[:12] in said, said


def test_a_file_that_only_gained_a_later_years_figure_still_joins(tmp_path):
    # Guards what was right before: next year's line written in early decides 2019 as before.
    rules = county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, rules)
    text = rules.read_text(encoding="utf-8")
    line = re.search(r"(?m)^  \{ effective = 2019-01-01, value = 4000, .*\},\n", text).group(0)
    rules.write_text(text.replace(line, line + line.replace("2019-01-01", "2021-01-01").replace("4000", "4100")),
                     encoding="utf-8")
    run("screen", late_township(tmp_path), "-o", tmp_path / "补报", "--rules", rules, "--year", "2019",
        "--register", db, "--add-to-round")


def test_a_new_round_under_the_edited_file_says_the_change_not_another_rule_set(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, rules)
    county_rules(rules, lower=3350)
    survey = write_survey(tmp_path / "全县.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(4)]})
    done = run("screen", survey, "-o", tmp_path / "第2轮", "--rules", rules, "--register", db, "--date", "2019-12-20",
               "--year", "2019")
    said = flat(done.output)
    assert f"注意:规则文件{rules}在第1轮之后改过:2019年度下限3300元→3350元" in said, said
    assert "改回第1轮时的内容" in said, said
    assert "改用" not in said and "两轮的规则集不同" not in said and "请加--rules指明该文件" not in said, said


def _advised(said: str, before: str, after: str) -> str:
    found = re.search(re.escape(before) + r"(\S+?)" + re.escape(after), said)
    assert found, said
    return found.group(1)


@pytest.mark.parametrize("recorded_relative", [False, True], ids=["recorded-now", "recorded-relative-by-older"])
def test_the_advised_rules_file_works_from_another_folder(tmp_path, monkeypatch, recorded_relative):
    monkeypatch.chdir(tmp_path)
    county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, "农安县.toml")  # given relative, as the tester typed it
    if recorded_relative:  # a register an older edgescreen made kept the path as given
        con = sqlite3.connect(db)
        with con:
            (trigger,) = con.execute("SELECT sql FROM sqlite_master WHERE name = 'rounds_no_update'").fetchone()
            con.execute("DROP TRIGGER rounds_no_update")
            con.execute("UPDATE rounds SET rules_file = '农安县.toml'")
            con.execute(trigger)
        con.close()
    elsewhere = tmp_path / "其他"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    # A late township without --rules: told to add it under the round's file.
    late = late_township(tmp_path)
    said = flat(run("screen", late, "-o", tmp_path / "补报", "--register", db, "--year", "2019", "--add-to-round",
                    code=2).output)
    held = _advised(said, "请用--rules", "再补报")
    assert Path(held).is_file(), said
    done = run("screen", late, "-o", tmp_path / "补报", "--register", db, "--year", "2019", "--add-to-round",
               "--rules", held)
    assert "已记录" in flat(done.output) or "并入" in flat(done.output), done.output
    # A new round without --rules: refused, told the file by a path that works from here.
    survey = write_survey(tmp_path / "全县.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(4)]})
    said = flat(run("screen", survey, "-o", tmp_path / "第2轮", "--register", db, "--date", "2019-12-20",
                    "--year", "2019", code=2).output)
    again = _advised(said, "本县仍按上一轮的规则认定的,请加--rules", "重新筛查")
    assert Path(again).is_file() and "找不到" not in said and "改过" not in said, said
    run("screen", survey, "-o", tmp_path / "第2轮", "--register", db, "--date", "2019-12-20", "--year", "2019",
        "--rules", again, "--leave-unfinished")


def test_the_advice_says_the_rounds_file_is_gone_or_changed(tmp_path, monkeypatch):
    rules = county_rules(tmp_path / "农安县.toml")
    db = round_one(tmp_path, rules)
    survey = write_survey(tmp_path / "全县.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(4)]})

    def refused() -> str:
        return flat(run("screen", survey, "-o", tmp_path / "第2轮", "--register", db, "--date", "2019-12-20",
                        "--year", "2019", code=2).output)

    county_rules(rules, lower=3350)
    said = refused()
    assert f"注意:{rules}在第1轮之后改过,已不是那一轮的内容" in said, said
    rules.unlink()
    said = refused()
    assert f"注意:{rules}现在找不到了" in said, said
