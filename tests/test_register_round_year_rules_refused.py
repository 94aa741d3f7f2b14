"""A round is recorded in the register only when its year and rules are right: the register has no way
to undo a round. An outside try (农安县, a county file with 2020 and 2021 lines filled in early):
1. the 2020 survey (its title 2020年度) screened with --register and no --year was recorded as round 1 of
   2021 under the 2021 bounds, with only a warning; the --year 2020 it advised was then refused as
   earlier than 2021;
2. year two without --rules on a register kept under the county's file was recorded under
   changchun-2019, and only then told to screen again with --rules;
3. the same 2019 survey again, after 2020/2021 lines were added to the rules file (same id, same 2019
   figures), was recorded as a second round (its 9 candidates all 新识别候选), where the same file
   again was refused."""

from __future__ import annotations

import re
import shlex
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from field_builders import default_rules_text
from spotcheck_builders import above, candidate, run, write_survey
from edgescreen.register import db
from edgescreen.register.rounds import same_files_again
from edgescreen.rules import load_rules


@pytest.fixture(autouse=True)
def chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def titled_survey(path: Path, title: str) -> Path:
    """Three candidates and three above the limit of 合隆镇前岗村, under a title row as counties write it."""
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙") for _ in range(3)]
    write_survey(path, {"合隆镇": rows})
    book = openpyxl.load_workbook(path)
    book.active.insert_rows(1)
    book.active["A1"] = title
    book.save(path)
    return path


def county_file(path: Path, *, upper_2019: int = 4200, later_years: bool = False) -> Path:
    """The default rule set copied by 农安县 (id nongan-2019), its 2019 upper bound `upper_2019`; with
    `later_years`, next years' lines filled in as well (2020: 5000)."""
    text = default_rules_text().replace('id = "changchun-2019"', 'id = "nongan-2019"')
    line = re.search(r"(\[upper_bound\][\s\S]*?)(  \{ effective = 2019-01-01, value = )4000(.*\n)", text)
    assert line is not None
    added = '  { effective = 2020-01-01, value = 5000, source = "农安县2020年边缘户收入上限" },\n' if later_years else ""
    text = text[:line.start(2)] + f"{line.group(2)}{upper_2019}{line.group(3)}{added}" + text[line.end():]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rounds(register: Path) -> list[tuple]:
    with sqlite3.connect(register) as conn:
        return conn.execute("SELECT id, year, rules_id FROM rounds ORDER BY id").fetchall()


def command_given(output: str) -> list[str]:
    """The command the refusal gives to copy (its own line), as the shell splits it."""
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith("edgescreen screen ")]
    assert len(lines) == 1, output
    words = shlex.split(lines[0])
    assert words[:2] == ["edgescreen", "screen"]
    return words[2:]


def flat(text: str) -> str:
    return "".join(text.split())


# 1. The title's year --------------------------------------------------------------------------------

def test_a_title_naming_another_year_without_year_is_refused_before_anything_is_recorded(tmp_path):
    folder = tmp_path / "D盘 资料"  # a space in the paths: the command given quotes them
    folder.mkdir()
    survey = titled_survey(folder / "农安县2020年度登记表.xlsx", "2020年度农安县贫困边缘户入户登记表")
    register, out = folder / "农安 县.db", folder / "筛查 2020"
    said = run("screen", survey, "--register", register, "--date", "2020-12-01", "-o", out, code=2).output
    # Nothing recorded and nothing written: no register made, no round, no output folder.
    assert not register.exists() and not out.exists(), said
    text = flat(said)
    assert "调查表农安县2020年度登记表.xlsx的表头写的是2020年度,这次没有写--year,会按规则文件的最新年度记成2019年度" \
        in text, said
    assert "登记簿记下的一轮不能撤销,这次没有记入,也没有写出结果" in text and "请加--year2020重新筛查" in text
    # The command to copy: as typed, with --year 2020; run so, it records the round as 2020's.
    words = command_given(said)
    assert words == [str(survey), "--out", str(out), "--register", str(register), "--date", "2020-12-01",
                     "--year", "2020"], said
    assert f"'{register}'" in said  # quoted for the shell, as other commands given are
    done = run("screen", *words).output
    assert "已记录第1轮筛查(2020-12-01)" in flat(done), done
    assert rounds(register) == [(1, 2020, "changchun-2019")]


def test_the_refusal_leaves_a_register_with_rounds_unchanged(tmp_path):
    rules = county_file(tmp_path / "农安县规则.toml", upper_2019=4000, later_years=True)  # 2020's line filled in
    register = tmp_path / "农安县.db"
    first = titled_survey(tmp_path / "2019.xlsx", "2019年度农安县贫困边缘户入户登记表")
    run("screen", first, "--rules", rules, "--year", "2019", "--register", register, "--date", "2020-01-10",
        "-o", tmp_path / "筛查2019")
    # 2020's figures are the file's latest: the run would record this 2019-titled survey as 2020.
    again = titled_survey(tmp_path / "2019补.xlsx", "2019年度农安县贫困边缘户入户登记表(补)")
    said = run("screen", again, "--rules", rules, "--register", register, "--date", "2020-01-20",
               "-o", tmp_path / "再筛", code=2).output
    assert "表头写的是2019年度,这次没有写--year,会按规则文件的最新年度记成2020年度" in flat(said), said
    assert rounds(register) == [(1, 2019, "nongan-2019")] and not (tmp_path / "再筛").exists()
    assert command_given(said)[-2:] == ["--year", "2019"]


def test_a_year_given_against_the_title_is_recorded_as_the_clerk_chose_and_said(tmp_path):
    survey = titled_survey(tmp_path / "调查.xlsx", "2020年度农安县贫困边缘户入户登记表")
    register = tmp_path / "农安县.db"
    said = run("screen", survey, "--year", "2019", "--register", register, "--date", "2020-12-01",
               "-o", tmp_path / "筛查").output
    text = flat(said)
    assert "表头写的是2020年度,本次按--year2019筛查,记入登记簿为2019年度" in text, said
    assert "请加--year2020重新运行" not in text  # advice the register would now refuse
    assert rounds(register) == [(1, 2019, "changchun-2019")]


def test_without_a_register_the_title_is_a_warning_as_before(tmp_path):
    survey = titled_survey(tmp_path / "调查.xlsx", "2020年度农安县贫困边缘户入户登记表")
    said = run("screen", survey, "-o", tmp_path / "筛查").output
    assert "表头写的是2020年度,本次却按2019年度的标准筛查" in flat(said) and "请加--year2020重新运行" in flat(said)
    assert (tmp_path / "筛查" / "decisions.csv").exists()


# 2. The rules between rounds ---------------------------------------------------------------------

def year_one(tmp: Path, rules: Path | str) -> tuple[Path, Path]:
    survey = titled_survey(tmp / "调查2019.xlsx", "农安县贫困边缘户入户登记表")
    register = tmp / "农安县.db"
    run("screen", survey, "-o", tmp / "筛查2019", "--rules", rules, "--register", register, "--date", "2019-11-20")
    return survey, register


def test_rules_left_off_on_a_register_kept_under_the_countys_file_is_refused_before_recording(tmp_path):
    rules = county_file(tmp_path / "县规则 2021" / "农安县.toml")
    survey, register = year_one(tmp_path, rules)
    out = tmp_path / "筛查2020"
    said = run("screen", survey, "-o", out, "--register", register, "--date", "2020-11-20", "--year", "2020",
               code=2).output
    assert rounds(register) == [(1, 2019, "nongan-2019")] and not out.exists(), said
    text = flat(said)
    assert "登记簿上一轮(第1轮,2019年度)是按规则集nongan-2019(3218<人均<4200)筛查的;这次没有写--rules," \
           "会按默认的规则集changchun-2019(3218<人均<4000)筛查2020年度" in text, said
    assert "这次没有记入" in text and "确是改用changchun-2019的,请写明--ruleschangchun-2019" in text
    words = command_given(said)
    assert words[-2:] == ["--rules", str(rules)] and f"'{rules}'" in said
    done = run("screen", *words).output
    assert "两轮的规则集不同" not in flat(done), done
    assert rounds(register) == [(1, 2019, "nongan-2019"), (2, 2020, "nongan-2019")]


def test_a_rule_set_named_on_purpose_is_recorded_and_both_are_said(tmp_path):
    rules = county_file(tmp_path / "农安县规则.toml")
    survey, register = year_one(tmp_path, rules)
    said = run("screen", survey, "-o", tmp_path / "筛查2020", "--register", register, "--date", "2020-11-20",
               "--year", "2020", "--rules", "changchun-2019").output
    assert "两轮的规则集不同" in flat(said), said
    assert rounds(register) == [(1, 2019, "nongan-2019"), (2, 2020, "changchun-2019")]


# 3. The same files again, the rules file grown by next year's lines ------------------------------

def test_the_same_survey_again_after_next_years_lines_were_added_is_refused_as_the_same_files(tmp_path):
    rules = county_file(tmp_path / "农安县.toml")
    survey, register = year_one(tmp_path, rules)
    county_file(rules, later_years=True)  # 2020's line added: the same id, the same 2019 figures
    said = run("screen", survey, "-o", tmp_path / "再筛", "--rules", rules, "--register", register,
               "--date", "2019-11-22", "--year", "2019", code=2).output
    assert "用的就是这次的调查文件,内容完全相同" in flat(said), said
    assert rounds(register) == [(1, 2019, "nongan-2019")] and not (tmp_path / "再筛").exists()
    # Asked before the survey is read, given the rule set loaded: the same by its id and figures.
    with db.open_register(register) as reg:
        assert same_files_again(reg, [survey], 2019, "not the file's", load_rules(rules))
        assert not same_files_again(reg, [survey], 2019, "not the file's")


def test_other_figures_for_the_year_are_a_new_round(tmp_path):
    rules = county_file(tmp_path / "农安县.toml")
    survey, register = year_one(tmp_path, rules)
    county_file(rules, upper_2019=4300)  # the 2019 bound corrected: decided anew, not "the same files"
    said = run("screen", survey, "-o", tmp_path / "再筛", "--rules", rules, "--register", register,
               "--date", "2019-11-22", "--year", "2019").output
    assert "已记录第2轮筛查" in flat(said), said
    assert rounds(register) == [(1, 2019, "nongan-2019"), (2, 2019, "nongan-2019")]
