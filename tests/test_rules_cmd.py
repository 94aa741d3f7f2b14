"""`edgescreen rules list|show|check|new|test`, end to end through the command line."""

from __future__ import annotations

import json

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from survey_builders import household, write_workbook

from edgescreen.cli import app
from edgescreen.rules import load_rules, rules_dir
from edgescreen.rule_tests import load_cases, run_cases


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """These tests read what the messages say in English (--lang en, here through EDGESCREEN_LANG);
    test_messages.py holds the same failures to their Chinese words."""
    monkeypatch.setenv("EDGESCREEN_LANG", "en")


runner = CliRunner()
CASES_DIR = rules_dir() / "tests"


def run(*args):
    # A wide console, so rich tables do not wrap the figures the tests look for.
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "240"})


def flat(result) -> str:
    return " ".join(result.output.split())


@pytest.mark.parametrize("command", [
    ["rules"], ["rules", "list"], ["rules", "show"], ["rules", "check"], ["rules", "new"], ["rules", "test"],
    ["explain"], ["template"],
])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and len(result.output.split()) > 15


def test_list_shows_each_shipped_rule_set():
    result = run("rules", "list")
    assert result.exit_code == 0, result.output
    text = result.output.replace("\n", " ")
    for expected in ("changchun-2019", "monitoring"):
        assert expected in text
    flat_text = "".join(result.output.split())  # table cells wrap
    # The years --year accepts, as screen takes them (issue 13): 2019 on; 2014–2018 have a lower bound only.
    assert "2019on(2014–2018:lowerboundonly,cannotscreen)" in flat_text and "2023on" in flat_text
    assert "3218 < per-capita < 4000" in text and "per-capita < 7300" in text


def test_list_a_folder_of_county_files(tmp_path):
    assert run("rules", "new", tmp_path / "a-county.toml").exit_code == 0
    (tmp_path / "broken.toml").write_text("id = 1\n", encoding="utf-8")
    result = run("rules", "list", tmp_path)
    assert result.exit_code == 0, result.output
    assert "a-county" in result.output and "broken" in result.output and "does not load" in flat(result)


def test_list_at_80_columns_never_splits_a_name_or_an_id(tmp_path):
    """An id and a file name are what a clerk copies into --rules; under a deep folder, as a county
    office's shared drive is, the 80-column table keeps each whole and names the folder once."""
    deep = tmp_path / "county-office-shared-drive" / "edge-households" / "rules-of-2026-for-this-county"
    deep.mkdir(parents=True)
    assert run("rules", "new", deep / "nongan-county-2026.toml").exit_code == 0
    result = runner.invoke(app, ["rules", "list", str(deep)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert all(len(line) <= 80 for line in lines if str(deep) not in line), result.output
    assert any("nongan-county-2026.toml" in line for line in lines), result.output
    assert sum(line.endswith(str(deep)) for line in lines) == 1, result.output  # said once, whole
    assert "nongan-county-2026" in [line.strip() for line in lines]
    shipped = [line.strip() for line in runner.invoke(app, ["rules", "list"], env={"COLUMNS": "80"}).output.splitlines()]
    assert "changchun-2019" in shipped and "monitoring" in shipped, shipped
    assert any(line.endswith("changchun-2019.toml") for line in shipped), shipped


def test_show_every_parameter_with_values_and_sources():
    result = run("rules", "show", "changchun-2019")
    assert result.exit_code == 0, result.output
    text = "".join(result.output.split())
    for needle in ("2014-01-01", "2800", "2855", "2952", "3218", "新华社", "未达到4000元", "4000",
                   "家庭经营费用支出", "转移性收入", "amount_tolerance", "低保户excluded"):
        assert needle in text, needle
    # The value in force per year: 2016 keeps 2952, and no upper bound is in force before 2019.
    assert "2952 (from 2016-01-01)" in result.output
    assert "lowerboundonly:theupperboundisnotyetinforce;cannotscreen" in text


def test_show_at_80_columns_keeps_the_note_whole_and_names_the_bounds_in_chinese(monkeypatch):
    monkeypatch.setenv("EDGESCREEN_LANG", "zh")
    result = runner.invoke(app, ["rules", "show", "changchun-2019"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    text = "".join(result.output.split()).replace("│", "")
    assert "下限lower_bound" in text and "上限upper_bound" in text and "说明" in text
    assert "…" not in result.output and "无法筛查" in text, result.output  # the note folds, never cut


def test_show_as_json_and_for_chosen_years():
    result = run("rules", "show", "changchun-2019", "--json", "--year", "2017", "--year", "2019")
    assert result.exit_code == 0, result.output
    d = json.loads(result.output)
    assert [v["value"] for v in d["lower_bound"]["values"]] == ["2800", "2855", "2952", "3218"]
    assert all(v["source"] for v in d["lower_bound"]["values"] + d["upper_bound"]["values"])
    by_year = {row["year"]: row for row in d["in_force"]}
    assert by_year[2017]["lower_bound"] == {"value": "2952", "effective": "2016-01-01"}
    assert by_year[2017]["upper_bound"] is None and not by_year[2017]["screenable"]
    assert by_year[2019]["upper_bound"]["value"] == "4000" and by_year[2019]["screenable"]
    assert d["exclude"] == {"dibao": True, "tekun": True, "registered_poor": True}


def test_show_monitoring_and_a_file_by_path():
    d = json.loads(run("rules", "show", rules_dir() / "monitoring.toml", "--json").output)
    assert d["lower_bound"] is None and d["upper_bound"]["values"][0]["value"] == "7300"
    assert {f["region"]: f["value"] for f in d["reference_figures"]} == {"贵州省": "7300", "湖北省": "7600"}
    text = "".join(run("rules", "show", "monitoring").output.split())
    assert "lower_bound:none" in text and "湖北省" in text and "7600" in text


def test_check_a_good_file_and_a_bad_one(tmp_path):
    good = tmp_path / "good.toml"
    assert run("rules", "new", good).exit_code == 0
    result = run("rules", "check", good)
    assert result.exit_code == 0, result.output
    assert "OK" in result.output and "income year 2019" in result.output and "warning" not in result.output

    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text(encoding="utf-8").replace("[exclude]", "[exclude]\nwubao = true"), encoding="utf-8")
    result = run("rules", "check", bad)
    assert result.exit_code == 1
    assert "bad.toml" in flat(result) and "exclude.wubao: unknown key" in flat(result)

    result = run("rules", "check", tmp_path / "missing.toml")
    assert result.exit_code == 2 and "no such file" in result.output
    # A folder, or a workbook given by mistake: said as what it is, not as missing or as text to re-save.
    result = run("rules", "check", tmp_path)
    assert result.exit_code == 2 and "a folder; a rules file is one .toml file" in flat(result)
    workbook = tmp_path / "县.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\0" * 40)
    result = run("rules", "check", workbook)
    assert result.exit_code == 1 and "an Excel workbook, not a rules file" in flat(result), result.output

    # Each problem names its line, as the README promises: the table's key, and a list's entry.
    lines = good.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("{") and "value = 4000" in line)
    lines[at] = lines[at].replace("value = 4000", 'value = "4,000元"')
    typo = next(i for i, line in enumerate(lines) if line.startswith("amount_tolerance"))
    lines[typo] = lines[typo].replace("amount_tolerance", "amount_tolerence")
    bad.write_text("\n".join(lines), encoding="utf-8")
    said = flat(run("rules", "check", bad))
    assert f"line {at + 1}, upper_bound.values[0].value:" in said, said
    assert f"line {typo + 1}, checks.amount_tolerence: unknown key" in said, said


def test_check_warns_about_the_example_figure_left_in_a_copy_of_monitoring(tmp_path):
    copy = tmp_path / "本县监测标准.toml"
    result = run("rules", "new", copy, "--from", "monitoring")
    assert result.exit_code == 0, result.output
    result = run("rules", "check", copy)
    assert result.exit_code == 0
    assert "warning" in result.output and "example" in flat(result) and "示例" in result.output
    # Once the county puts in its own figure and source, and its own title, the warnings go.
    text = copy.read_text(encoding="utf-8")
    text = text.replace('value = 7300, source = "示例:', 'value = 7000, source = "本省2023年监测范围通知,').replace(
        'title = "防止返贫动态监测:边缘易致贫户(示例:贵州省2023年监测范围,县里须改为本省标准)"',
        'title = "防止返贫动态监测:边缘易致贫户(本省2023年标准)"').replace("农村人口人均纯收入7300元", "农村人口人均纯收入7000元")
    copy.write_text(text, encoding="utf-8")
    result = run("rules", "check", copy)
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert load_rules(copy).bounds(2023).upper.value == 7000


def test_new_writes_a_commented_copy_named_after_the_file(tmp_path):
    target = tmp_path / "nongan-2019.toml"
    result = run("rules", "new", target)
    assert result.exit_code == 0, result.output
    raw = target.read_bytes()
    # Notepad on Windows reads it as UTF-8 and in lines: a BOM, and every line ended by CRLF.
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n") > 100
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("# 本文件由 edgescreen rules new")
    assert 'id = "nongan-2019"' in text
    # The default's comments come along: they explain each value to the county.
    assert "# 长春市贫困边缘户识别标准" in text and "新华社" in text
    loaded = load_rules(target)
    assert loaded.rules.id == "nongan-2019"
    assert loaded.rules.model_dump(exclude={"id"}) == load_rules().rules.model_dump(exclude={"id"})
    # Never overwrites unless asked.
    result = run("rules", "new", target)
    assert result.exit_code == 2 and "already exists" in result.output
    assert run("rules", "new", target, "--force").exit_code == 0
    # A Chinese file name is a valid id.
    assert run("rules", "new", tmp_path / "农安县.toml").exit_code == 0
    assert load_rules(tmp_path / "农安县.toml").rules.id == "农安县"
    assert run("rules", "new", tmp_path / "x.txt").exit_code == 2


def test_shipped_rule_tests_pass_through_the_command(tmp_path, monkeypatch):
    """Given no file, from an office's folder (no rules/tests beside it: an outside try ran the README's
    `rules test rules/tests` there and was told the file did not exist), the shipped cases run."""
    monkeypatch.chdir(tmp_path)
    result = run("rules", "test")
    assert result.exit_code == 0, result.output
    n = sum(len(load_cases(p).cases.case) for p in CASES_DIR.glob("*.toml"))
    assert f"{n} of {n} cases passed" in result.output
    missing = run("rules", "test", "rules/tests", "--lang", "zh")
    assert missing.exit_code == 2, missing.output
    said = flat(missing)
    assert "rules/tests:找不到这个规则测试文件或文件夹" in said and "不给文件直接运行 edgescreen rules test" in said, said


COUNTY_CASES = '''
rules = "county.toml"
year = 2019

[[case]]
name = "at the new bound"
inputs = { residents = 1, "工资性收入" = "4500" }
expect = { status = "above_limit", per_capita = "4500.00" }

[[case]]
name = "one fen under the new bound"
inputs = { residents = 1, wage_income = "4499.99" }
expect = { status = "candidate", per_capita = "4499.99" }

[[case]]
name = "wrong on purpose"
inputs = { residents = 3, wage_income = "13499.99" }
expect = { status = "above_limit", per_capita = "4500.00" }
'''


def test_a_county_runs_its_own_cases_against_its_own_file(tmp_path):
    county = tmp_path / "county.toml"
    assert run("rules", "new", county).exit_code == 0
    county.write_text(county.read_text(encoding="utf-8").replace(
        "{ effective = 2019-01-01, value = 4000,", "{ effective = 2019-01-01, value = 4500,"), encoding="utf-8")
    cases = tmp_path / "county-cases.toml"
    cases.write_text(COUNTY_CASES, encoding="utf-8")
    result = run("rules", "test", cases)
    assert result.exit_code == 1, result.output
    text = flat(result)
    assert "2 of 3 cases passed" in text
    # Statuses and reasons in the ledger's words, not the codes a case is written in (an outside try).
    assert "FAIL case “wrong on purpose”" in text
    assert "status: expected “income at or above the limit”, got “candidate”" in text, text
    # The same cases against the default rule set (--rules) fail differently: 4499.99 is above 4000
    # there, while the deliberately wrong case is right by accident.
    result = run("rules", "test", cases, "--rules", "changchun-2019")
    assert result.exit_code == 1 and "2 of 3 cases passed" in flat(result)
    assert "FAIL case “one fen under the new bound”" in flat(result)
    # Through the library: every case has a result and the failure is named.
    _, results = run_cases(cases)
    assert [r.passed for r in results] == [True, True, False]


@pytest.mark.parametrize("content, phrase", [
    ('rules = "changchun-2019"\n[[case]]\nname = "x"\ninputs = { pension = 1 }\nexpect = { status = "candidate" }\n',
     "'pension' is not a field of the form"),
    ('[[case]]\nname = "x"\ninputs = { residents = 1 }\nexpect = { status = "edge" }\n', "case[0].expect.status"),
    ('[[case]]\nname = "x"\ninputs = { residents = 1 }\nexpect = { status = "candidate", per_capita = 3218.5 }\n',
     "quoted text with two decimals"),
    ('[[case]]\nname = "x"\ninputs = { residents = 1 }\nexpect = { status = "candidate" }\n'
     '[[case]]\nname = "x"\ninputs = { residents = 2 }\nexpect = { status = "candidate" }\n', "given more than once: x"),
    ('[[case]]\nname = "x"\ninputs = { residents = 1 }\nexpect = { status = "candidate" }\nspeed = 1\n',
     "case[0].speed: unknown key"),
    ('rules = "nowhere.toml"\n[[case]]\nname = "x"\ninputs = { residents = 1 }\nexpect = { status = "candidate" }\n',
     "no rule set"),
    ('[[case]]\nname = "x"\nname = "y"\n', "duplicate key"),
])
def test_malformed_case_files(tmp_path, content, phrase):
    path = tmp_path / "cases.toml"
    path.write_text(content, encoding="utf-8")
    result = run("rules", "test", path)
    assert result.exit_code == 2, result.output
    assert phrase in flat(result) and "Traceback" not in result.output


def test_a_rules_file_given_to_test_is_named_for_what_it_is():
    result = run("rules", "test", rules_dir() / "changchun-2019.toml")
    assert result.exit_code == 2 and "this is a rules file, not a rule-test file" in flat(result)


def test_rules_show_at_80_columns_keeps_figures_whole_and_says_fields_in_chinese():
    """Before: "当年价2|800元" folded in the source column, the rules file's own line break left mid-sentence
    ("…但未达到4000元,|且实际…"), and unit_components = ('wage_income', 'business_income'), every
    threshold by its English key alone."""
    result = CliRunner().invoke(app, ["rules", "show", "changchun-2019", "--lang", "zh"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Every line fits but the rules file's path where it is longer than a line (an installation deep in
    # a folder): whole, on a line of its own (wrapping.wrap), for the terminal to fold.
    path = str(load_rules("changchun-2019").path)
    assert all(cell_len(line) <= 80 for line in lines if not (cell_len(path) > 70 and path in line)), \
        "a Chinese character takes two columns"
    assert any("2800元)" in line for line in lines)
    assert not any("当年价2 " in line or line.lstrip("│ ").startswith("800元") for line in lines)
    assert "但未达到4000元,且实际生活水平" in "".join(line.strip() for line in lines)
    assert not any(line.startswith("且实际") for line in lines)
    # each threshold said by what it is, one to a line, the rules file's key after it
    assert "单项万元检查的收入项 工资性收入、家庭经营收入(unit_components)" in lines[lines.index("检查阈值:") + 5]
    assert "  合计与各项之和允许相差(元) 1(amount_tolerance)" in lines
    assert "wage_income'" not in result.output


def test_the_example_figure_warning_on_a_countys_own_file_says_to_change_it_there(tmp_path):
    """Before (tester, 2026-12-03): a screen under 农安县.toml (rules new --from monitoring, figure left
    as the example) advised 'edgescreen rules new 本县.toml --from 农安县', which fails: 农安县 is no
    shipped rule set. Under a county's own file the warning names that file to change; under the
    shipped set it still says to start one."""
    county = tmp_path / "农安县.toml"
    assert CliRunner().invoke(app, ["rules", "new", str(county), "--from", "monitoring"]).exit_code == 0
    survey = write_workbook(tmp_path / "调查表.xlsx", [household()])
    own = CliRunner().invoke(app, ["screen", str(survey), "--rules", str(county), "-o", str(tmp_path / "a"),
                                   "--lang", "zh"], env={"COLUMNS": "300"})
    said = " ".join(own.output.split())
    assert own.exit_code == 0 and f"规则文件 {county} 中照抄的示例" in said and "--from 农安县" not in said, said
    shipped = CliRunner().invoke(app, ["screen", str(survey), "--rules", "monitoring", "-o", str(tmp_path / "b"),
                                       "--lang", "zh"], env={"COLUMNS": "300"})
    assert "edgescreen rules new 本县.toml --from monitoring" in " ".join(shipped.output.split()), shipped.output


@pytest.mark.parametrize("typed, said", [("value = 7,300", "数字里不能用逗号分隔千位"),
                                         ("value = 7300，", "中文(全角)标点「，」")])
def test_notepad_slips_in_a_rules_file_are_named_for_what_they_are(tmp_path, typed, said):
    """Before (tester, 2026-12-03): 'value = 7,300' was told 项名后面应有等号 =, and a full-width comma
    '{ … } 没有结束,或写成了多行': tomllib's reason, not the slip."""
    county = tmp_path / "本县.toml"
    assert CliRunner().invoke(app, ["rules", "new", str(county), "--from", "monitoring"]).exit_code == 0
    text = county.read_text(encoding="utf-8")
    assert "\nvalue = 7300\n" in text
    county.write_text(text.replace("\nvalue = 7300\n", f"\n{typed}\n"), encoding="utf-8")
    result = CliRunner().invoke(app, ["rules", "check", str(county), "--lang", "zh"], env={"COLUMNS": "300"})
    flat = "".join(result.output.split())
    assert result.exit_code == 1 and said in flat and typed.replace(" ", "") in flat, result.output


def test_the_case_table_says_the_statuses_in_the_readers_words(tmp_path, monkeypatch):
    """An outside try: under zh the table showed candidate and below_line, the program's codes."""
    monkeypatch.setenv("EDGESCREEN_LANG", "zh")
    cases = tmp_path / "cases.toml"
    cases.write_text('rules = "changchun-2019"\nyear = 2019\n[[case]]\nname = "x"\ninputs = { residents = 1, '
                     'wage_income = "3000" }\nexpect = { status = "candidate" }\n', encoding="utf-8")
    result = runner.invoke(app, ["rules", "test", str(cases)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    row = next(line for line in result.output.splitlines() if "│ x" in line)
    assert "贫困边缘户候选" in row and "低于贫困标准,转贫困户识别 3000.00" in row, row
    assert "candidate" not in row and "below_line" not in row, row
