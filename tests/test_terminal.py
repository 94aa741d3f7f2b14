"""What a person reads on the terminal (issue 13, items 1 and 2): every command speaks --lang (default
zh) in its help, its usage errors, its refusals and its last lines; help has no Python types; -h and
--version work; the summary after `screen` fits 80 columns and never cuts a number."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.main import get_command
from typer.testing import CliRunner

import edgescreen
from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import STATUSES, fields, label, messages
from edgescreen.cli import app
from edgescreen.cli.terminal import _name, lang_of, render_help
from edgescreen.cli.wrapping import wrap

runner = CliRunner()
README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(autouse=True)
def _default_language(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def run(*args, env=None, columns=80):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns), **(env or {})})


def commands():
    """Every command path of the program: [], ['screen'], …, ['rules', 'show'] …"""
    root = get_command(app)
    ctx = root.make_context("edgescreen", ["--version"], resilient_parsing=True)
    found = [[]]
    for name in root.list_commands(ctx):
        sub = root.get_command(ctx, name)
        found.append([name])
        if hasattr(sub, "list_commands"):
            found += [[name, n] for n in sub.list_commands(ctx)]
    return found


def every_parameter():
    """(command key, command, parameter) for every parameter of every command, help included."""
    root = get_command(app)
    with root.make_context("edgescreen", [], resilient_parsing=True) as ctx:
        stack = [(ctx, root)]
        while stack:
            parent, command = stack.pop()
            from edgescreen.cli.terminal import command_key

            yield command_key(parent), parent, command
            for name in getattr(command, "commands", {}):
                sub = command.commands[name]
                stack.append((sub.make_context(name, [], parent=parent, resilient_parsing=True), sub))


# -- English leaking into the Chinese terminal ------------------------------------------------

# Words that are not English sentences: the program's name, codes people type or read as codes, units.
ALLOWED = {
    "edgescreen", "zh", "en", "SHA", "YYYY", "MM", "DD", "Excel", "WPS", "CSV", "JSON", "TOML", "ID",
    "screen", "check", "explain", "template", "rules", "list", "show", "new", "test", "monitoring",
    "register", "next", "record", "status", "export", "history", "sample", "backcheck", "measures", "trend",
    "changchun", "true", "false", "xlsx", "xls", "xlsm", "ods", "csv", "toml", "html", "json", "txt", "tsv", "db",
    *STATUSES, *messages().checks, *(f.name for f in fields().field),
}
_NOT_WORDS = [
    re.compile(r"(?:[A-Za-z]:)?[\w.~-]*[/\\][^\s,;:,;:()()「」]*"),  # paths
    re.compile(r"[\w.-]+\.(?:xlsx|xlsm|xls|ods|csv|toml|html|json|txt|tsv|db)\b"),  # file names
    re.compile(r"(?<![\w-])--?[A-Za-z][\w-]*"),  # options
    re.compile(r"\b[a-z]+(?:[_.][a-z0-9]+)+\b"),  # codes and keys: missing_value, exclude.dibao
    re.compile(r"\b[a-z]+-\d{4}\b"),  # rule-set ids: changchun-2019
    re.compile(r"\b[A-Z]+(?:_[A-Z]+)+\b"),  # environment variables: EDGESCREEN_LANG
    re.compile(r"\b[0-9a-f]{64}\b"),  # SHA-256
    re.compile(r"\[[a-z_]+\]|(?:^\s*|行\s)[a-z_]+(?=[::])", re.MULTILINE),  # a rules file's tables, keys
    re.compile(r"\[\[case\]\]"),
]


def english_words(text: str, *also_allowed: str) -> list[str]:
    """The ASCII words in `text` that are neither codes, names of files, options nor units."""
    for pattern in _NOT_WORDS:
        text = pattern.sub(" ", text)
    allowed = ALLOWED | set(also_allowed)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed]


def test_the_leak_detector_sees_english_and_lets_codes_and_files_pass():
    assert english_words("Usage: edgescreen screen [OPTIONS]") == ["Usage", "OPTIONS"]
    assert english_words("Missing argument 'inputs'.") == ["Missing", "argument", "inputs"]
    assert english_words("读取 a.xlsx:missing_value,见 /tmp/x/report.html --force -o 农安县.toml") == []


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("terminal")
    # Each its own ID: a default one (survey_builders' counter, modulo 1000) could meet 张三's 011 after
    # a thousand IDs made earlier in the worker, and two more errors appear.
    rows = [household(**{"户主姓名": "张三", "户主身份证号": make_id(serial=11)}),
            household(**{"户主姓名": "李四", "家庭常住人口数": 0, "户主身份证号": make_id(serial=12)}),
            household(**{"户主姓名": "王五", "工资性收入": 2000, "户主身份证号": make_id(serial=13)}),
            household(**{"户主姓名": "赵六", "联系电话": "123", "户主身份证号": make_id(serial=14)})]
    survey = write_workbook(d / "合隆镇.xlsx", {"合隆镇": rows})
    cases = d / "用例.toml"
    cases.write_text('rules = "changchun-2019"\nyear = 2019\n[[case]]\nname = "一人,收入 3218.01 元:候选"\n'
                     'inputs = { residents = 1, wage_income = "3218.01" }\nexpect = { status = "candidate" }\n',
                     encoding="utf-8")
    failing = d / "错的用例.toml"
    failing.write_text('rules = "changchun-2019"\nyear = 2019\n[[case]]\nname = "一人,收入 3218 元:候选(错)"\n'
                       'inputs = { residents = 1, wage_income = "3218" }\nexpect = { status = "candidate" }\n',
                       encoding="utf-8")
    broken = d / "坏的规则.toml"
    broken.write_text('id = "x"\ntitle = 1\n', encoding="utf-8")
    return {"dir": d, "survey": survey, "cases": cases, "failing": failing, "broken": broken}


def runs(f):
    """(args, expected exit code) for each command: its help, a usage error, a run that works, and a
    refusal."""
    d, survey = f["dir"], f["survey"]
    county = d / "本县.toml"
    return [
        ([], 2), (["-h"], 0), (["--help"], 0), (["--version"], 0), (["nosuch"], 2), (["--bogus"], 2),
        (["screen", "-h"], 0), (["screen"], 2), (["screen", survey, "--bogus"], 2),
        (["screen", survey, "--year", "abc"], 2), (["screen", survey, "--as-of", "2020-13-01"], 2),
        (["screen", survey, "--out"], 2), (["screen", survey, "-o", d / "out"], 0),
        (["screen", survey, "-o", d / "out"], 2), (["screen", survey, "-o", d / "out2", "--year", "2015"], 2),
        (["screen", survey, "-o", d / "out3", "--rules", "monitoring", "--publicity-start", "2024-03-01"], 0),
        (["screen", d / "missing.xlsx"], 2), (["screen", survey, "a", "-o", d / "o4"], 2),
        (["check", "-h"], 0), (["check"], 2), (["check", survey, "--force=yes"], 2),
        (["check", survey, "-o", d / "report"], 1), (["check", d / "missing.xlsx"], 2),
        (["explain", "-h"], 0), (["explain", survey], 2), (["explain", survey, "--name", "张三"], 0),
        (["explain", survey, "--name", "无此人"], 2), (["explain", survey, "--row", "合隆镇.xlsx:合隆镇:3"], 0),
        (["explain", survey, "--id", "220122********0000"], 2), (["explain", survey, "--json", "--name", "李四"], 0),
        (["template", "-h"], 0), (["template", "--rows", "x"], 2), (["template", "-o", d / "表.xlsx"], 0),
        (["template", "-o", d / "表.xlsx"], 2),
        (["rules", "-h"], 0), (["rules"], 2), (["rules", "nosuch"], 2),
        (["rules", "list", "-h"], 0), (["rules", "list"], 0), (["rules", "list", "--x"], 2),
        (["rules", "list", d / "nofolder"], 2),
        (["rules", "show", "-h"], 0), (["rules", "show", "changchun-2019"], 0), (["rules", "show", "monitoring"], 0),
        (["rules", "show"], 2), (["rules", "show", "monitoring", "--year", "1900"], 2),
        (["rules", "show", "no-such-rules"], 2),
        (["rules", "new", "-h"], 0), (["rules", "new", county], 0), (["rules", "new", county], 2),
        (["rules", "check", "-h"], 0), (["rules", "check", county], 0), (["rules", "check", f["broken"]], 1),
        (["rules", "check"], 2),
        (["rules", "test", "-h"], 0), (["rules", "test", f["cases"]], 0), (["rules", "test", f["failing"]], 1),
        (["rules", "test", d / "missing.toml"], 2),
        (["sample", "-h"], 0), (["sample"], 2), (["sample", d / "out", "--seed", "x"], 2),
        (["sample", d / "out", "-o", d / "抽查", "--seed", "5"], 0), (["sample", d / "out", "-o", d / "抽查"], 2),
        (["sample", d / "missing"], 2), (["sample", d / "out", "-o", d / "抽查2", "--listed-rate", "2"], 2),
        (["backcheck", "-h"], 0), (["backcheck", d / "out"], 2),
        # the printed forms, unfilled: refused, nothing filled in to compare
        (["backcheck", d / "out", d / "抽查" / "入户核查表", "-o", d / "核查结果"], 2),
        (["backcheck", d / "out", survey, "-o", d / "核查结果2"], 2),
        (["backcheck", d / "out", d / "抽查" / "入户核查表", "-o", d / "核查结果3", "--tolerance", "x"], 2),
    ]


def test_under_zh_no_english_reaches_the_terminal(files):
    """Every command and subcommand: its help, a usage error, a run that works and a refusal, read
    whole (stdout and stderr): no English words but codes, file names and options."""
    cases = runs(files)
    assert {tuple(a[:2]) for a, _ in cases if a and a[0] == "rules"} >= {
        ("rules", n) for n in ("list", "show", "new", "check", "test")}
    leaks = {}
    for args, code in cases:
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert "Traceback" not in result.output
        text = result.output.replace(str(files["dir"]), "")
        if "--json" in args:  # data for programs: its keys and values are codes
            json.loads(text)
            continue
        found = english_words(text, edgescreen.__version__, *re.findall(r"[A-Za-z]+", " ".join(a for a in map(str, args) if a.isascii())))
        if found:
            leaks[" ".join(map(str, args)).replace(str(files["dir"]), "")] = found
    assert leaks == {}, "\n".join(f"{k}: {v}" for k, v in leaks.items())


# Chinese that English help keeps on purpose: the form's own words, and example file names.
DOMAIN_WORDS = re.compile(r"\S+\.(?:xlsx|toml|db)\S*|乡\(镇\)|行政村|入户登记表|贫困边缘户|-质量报告|\[\[case\]\]")


def test_under_en_no_chinese_in_the_programs_own_words(files):
    """--lang en: help and usage errors hold no Chinese of the program's (the form's own words and
    example file names excepted)."""
    for path in commands():
        for args in ([*path, "-h"], [*path, "--bogus"]):
            result = run(*args, env={"EDGESCREEN_LANG": "en"})
            text = DOMAIN_WORDS.sub("", result.output)
            assert not re.search(r"[\u4e00-\u9fff]", text), (args, result.output)
    assert "Usage: edgescreen screen [OPTIONS] SURVEY…" in run("screen", "--lang=en").output
    # EDGESCREEN_LANG is read before parsing too.
    assert "Usage:" in run("screen", "-h", env={"EDGESCREEN_LANG": "en"}).output


def test_help_shows_no_python_types_and_every_option_is_worded(files):
    for path in commands():
        for lang in ("zh", "en"):
            result = run(*path, "-h", "--lang", lang) if path and path not in (["rules"], ["register"]) else run(*path, "-h")
            text = result.output
            assert result.exit_code == 0, (path, text)
            for leak in ("<list", "<bool>", "<str>", "<int>", "<path>", "{inputs}", "[default:", "%Y",
                         "Show this message", "[required]"):
                assert leak not in text, (path, leak, text)
    labels = messages().labels
    unworded = []
    for key, ctx, command in every_parameter():
        if key != "edgescreen":
            assert f"help_{key}" in labels, key
        for param in command.get_params(ctx):
            name = _name(param)
            if not any(k in labels for k in (f"opt_{key}_{name}", f"opt_{name}")):
                unworded.append(f"{key}: {name}")
            if param.param_type_name == "argument" or not getattr(param, "is_flag", False):
                if not any(k in labels for k in (f"meta_{key}_{name}", f"meta_{name}")):
                    unworded.append(f"{key}: {name} (its value)")
    assert unworded == []  # a new option: give it opt_<command>_<name> and meta_… in messages/cli.toml


def test_no_help_word_is_left_over_in_the_catalogue():
    """Each help_/opt_/meta_ entry belongs to a command or a parameter that exists."""
    used = {"help_usage", "help_options_metavar", "help_command_metavar", "help_arguments", "help_options",
            "help_commands", "help_required", "help_try", "help_edgescreen"}
    for key, ctx, command in every_parameter():
        used.add(f"help_{key}")
        for param in command.get_params(ctx):
            name = _name(param)
            used |= {f"opt_{key}_{name}", f"opt_{name}", f"meta_{key}_{name}", f"meta_{name}"}
    stale = [k for k in messages().labels if k.split("_")[0] in ("help", "opt", "meta") and k not in used]
    assert stale == []


def test_dash_h_is_help_and_version_prints_the_version():
    assert run("-h").output == run("--help").output
    assert run("rules", "show", "-h").output == run("rules", "show", "--help").output
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"edgescreen {edgescreen.__version__}"


@pytest.mark.parametrize("args, zh, en", [
    (["screen"], "缺少调查表。", "SURVEY is missing."),
    (["screen", "x.xlsx", "--bogus"], "没有 --bogus 这个选项。", "there is no option --bogus."),
    (["screen", "x.xlsx", "--forc"], "你是不是要写 --force?", "Did you mean --force?"),
    (["screen", "x.xlsx", "--year", "abc"], "--year abc:收入年度须是 1978 至 2100 之间的整数", "--year abc: the income year"),
    (["rules", "show", "monitoring", "--year", "1900"], "--year 1900:收入年度须是 1978 至 2100 之间的整数",
     "--year 1900: the income year must be a whole number from 1978 to 2100"),
    (["screen", "x.xlsx", "--as-of", "2020-13-01"], "--as-of 2020-13-01:日期须写成 YYYY-MM-DD",
     "--as-of 2020-13-01: write the date as YYYY-MM-DD"),
    # Every date option says how to write a date (before: register next --date, screen --date and
    # register measures --date said only 这个值不能用); digits alone only as eight (2019120 is no date).
    (["register", "next", "x.db", "--date", "2019120"], "--date 2019120:日期须写成 YYYY-MM-DD,例如 2024-03-01(也可写",
     "--date 2019120: write the date as YYYY-MM-DD, e.g. 2024-03-01 (or 2024/3/1"),
    (["screen", "x.xlsx", "--date", "12/20/2019"], "--date 12/20/2019:日期须写成 YYYY-MM-DD",
     "--date 12/20/2019: write the date as YYYY-MM-DD"),
    (["register", "measures", "x.db", "--date", "2020-06"], "--date 2020-06:日期须写成 YYYY-MM-DD",
     "--date 2020-06: write the date as YYYY-MM-DD"),
    (["screen", "x.xlsx", "--out"], "选项 --out 后面要写一个值。", "option --out needs a value."),
    (["check", "x.xlsx", "--force=yes"], "选项 --force 不带值。", "option --force takes no value."),
    (["nosuch"], "没有 nosuch 这个命令。可用的命令:screen、check、explain、template、sample、backcheck、rules、register。",
     "there is no command nosuch. Commands: screen, check, explain, template, sample, backcheck, rules, register."),
    # An outside try: a command typed a letter off was not told which was meant, as an option is.
    (["scren", "x.xlsx"], "没有 scren 这个命令。你是不是要写 screen?可用的命令:", "there is no command scren. Did you mean screen?"),
    (["rules", "show", "a", "b"], "多余的参数:b。", "unexpected extra arguments: b."),
])
def test_usage_errors_name_the_mistake_in_the_users_language(args, zh, en):
    # the words, on a wide terminal; test_errors_wrap_* read the wrap at 80 columns
    result = run(*args, columns=200)
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and zh in said, said
    assert "-h 查看帮助" in said
    english = run(*args, env={"EDGESCREEN_LANG": "en"}, columns=200)
    said = " ".join(english.output.split())
    assert english.exit_code == 2 and en in said, said
    assert "for help" in said


@pytest.mark.parametrize("args, whole", [
    (["frobnicate"], ["template"]),
    (["screen", "{survey}", "--year", "2016", "-o", "{tmp}/y"], ["2016-01-01", "--year 2019", "edgescreen rules list"]),
    (["explain", "{survey}", "--id", "220122********0019"], ["220122********0019"]),
    (["screen", "{tmp}/bad.dat"], [".xlsm", ".xlsx", ".csv"]),
])
def test_errors_wrap_at_80_columns_never_inside_a_word_number_date_or_id(files, tmp_path, args, whole):
    """Before: the terminal broke the unwrapped message anywhere ("templat|e", "2016-|01-01",
    "220122********00|19", ".xlsm| .xlsx"). Now each line fits, later lines hang under the first."""
    (tmp_path / "bad.dat").write_bytes(b"x")
    result = run(*[a.format(survey=files["survey"], tmp=tmp_path) for a in args])
    lines = result.output.splitlines()
    said = [line for line in lines if line.strip() and not line.startswith(("用法", "运行"))]
    assert result.exit_code == 2 and len(said) >= 2, result.output  # long enough to wrap
    assert all(cell_len(line) <= 80 for line in lines), lines
    assert said[0].startswith("edgescreen:") and all(line.startswith("  ") for line in said[1:]), said
    for token in whole:
        assert any(token in line for line in said), (token, said)


def test_a_short_name_in_corner_quotes_is_never_broken_and_a_long_quotation_may_be():
    """Before: 「工资性收入(万元 | )」 at the end of a line (the outside try's f10_wan). A header or a
    village in corner quotes stays on one line; a quoted sentence longer than that still wraps."""
    text = "edgescreen: 合隆镇.xlsx 工作表「前岗村」:K列「工资性收入(万元)」按万元读取,已换算为元"
    for width in range(30, 81):
        lines = wrap(text, width, indent=2)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        for name in ("「前岗村」", "「工资性收入(万元)」"):
            assert any(name in line for line in lines), (width, lines)
    quoted = "异议内容写的是「" + "他家去年在县城买了楼房还有一辆小轿车平时不在村里住" + "」"
    assert len(wrap(quoted, 40)) == 2


@pytest.mark.parametrize("typed, suggested", [("--bogus", None), ("--yaer", "--year"), ("--forse", "--force")])
def test_an_unknown_option_suggests_only_a_close_one(typed, suggested):
    """Before: --bogus got "你是不是要写 --out?"; an option is suggested only when spelled alike."""
    said = " ".join(run("screen", "x.xlsx", typed).output.split())
    if suggested is None:
        assert "你是不是要写" not in said and "edgescreen screen -h 查看帮助" in said
    else:
        assert f"你是不是要写 {suggested}?" in said


def test_help_lines_fit_the_terminal_and_chinese_wraps_between_characters():
    from edgescreen.cli.terminal import cell_len

    for columns in (60, 80, 120):
        for path in commands():
            text = run(*path, "-h", columns=columns).output
            assert max(cell_len(line) for line in text.splitlines()) <= min(columns, 100), (path, columns)
    lines = wrap("规则集编号(如 changchun-2019、monitoring)或本县规则文件的路径。", 20)
    assert all(cell_len(line) <= 20 for line in lines)
    assert not any(line.startswith(("、", "。", ")", ",")) for line in lines)
    assert "".join(lines).replace(" ", "") == "规则集编号(如changchun-2019、monitoring)或本县规则文件的路径。"


@pytest.mark.parametrize("prefix", ["", "第81行 H列", "  H81  [错误] 身份证号格式错误: 第81行 H列「户主身份证号」为"])
@pytest.mark.parametrize("run_", ["2.20122197005019e+17", "2.201221952063E+17", "x.xlsx+1", "3.5e-3元"])
def test_a_run_of_ascii_is_never_cut_even_where_a_file_name_pattern_ends_inside_it(prefix, run_):
    """Before: explain printed 「2.20122197005019e」 on one line and 「+17」 on the next at 80 columns:
    the file-name pattern (a.b) took 2.20122197005019e as a token and the wrap broke before +17."""
    text = f"{prefix}「{run_}」:身份证号被 Excel 存成了数字,后几位已丢失:请把该列设为文本后重新录入"
    for width in (40, 60, 80):
        for pad in range(0, 30, 3):  # the run falls at every place along a line
            lines = wrap("汉" * pad + text, width, indent=3)
            assert all(cell_len(line) <= width for line in lines), lines
            assert any(f"「{run_}」" in line for line in lines), (width, pad, lines)


@pytest.mark.parametrize("command", ["screen", "explain", "check"])
def test_help_at_80_columns_keeps_each_example_to_type_on_one_line(command):
    """Before: "--roster 低|保=低保对象名单.xlsx" and "edgescreen|rules list" were broken across lines."""
    lines = run(command, "-h", columns=80).output.splitlines()
    for example in ("--roster 低保=低保对象名单.xlsx", "--roster 车辆=车辆.csv", "edgescreen rules list"):
        assert any(example in line for line in lines), (example, lines)
    if command == "explain":
        assert any("农安县.xlsx:合隆镇:12" in line for line in lines)


def test_the_language_is_read_before_parsing():
    assert lang_of(["screen", "--lang", "en"]) == "en"
    assert lang_of(["screen", "--lang=en", "-h"]) == "en"
    assert lang_of(["screen", "--lang", "fr"]) == "zh"  # the command refuses fr itself
    assert lang_of(["screen", "--", "--lang", "en"]) == "zh"


def test_a_help_text_renders_in_both_languages_for_the_root():
    root = get_command(app)
    with root.make_context("edgescreen", [], resilient_parsing=True) as ctx:
        zh, en = render_help(ctx, "zh", width=80), render_help(ctx, "en", width=80)
    assert zh.startswith("用法:edgescreen [选项] 命令 [参数]…") and "命令:" in zh
    assert en.startswith("Usage: edgescreen [OPTIONS] COMMAND [ARGS]…") and "Commands:" in en


# -- the last lines of screen and check --------------------------------------------------------

def test_screen_ends_by_pointing_at_what_to_open_next(files, tmp_path):
    result = run("screen", files["survey"], "-o", tmp_path / "out", columns=120)
    assert result.exit_code == 0, result.output
    tail = result.output.split("接下来请打开:")[1]
    for name in ("report.html", "quality.xlsx", "villages/"):
        assert name in tail
    # The ledger too, with the one thing to know before opening it in Excel.
    assert "decisions.csv  台账:本次筛查的每户一行。请原样保存:在 Excel 中另存,身份证号末三位会变成 0,户编号开头的 0 会丢失" in tail
    assert "issues.csv" not in result.output
    assert "已筛查 4 户" in result.output and "条错误级数据问题" in result.output
    english = run("screen", files["survey"], "-o", tmp_path / "en", "--lang", "en", columns=120)
    assert "Open next:" in english.output and "4 households screened" in english.output


@pytest.mark.parametrize("columns", [60, 80])
def test_the_last_lines_never_cut_a_file_name(files, tmp_path, columns):
    """The last lines are sentences, wrapped between Chinese characters: a file name the clerk must
    find (report.html, quality.xlsx) stays whole on one line, as does every line within the width."""
    result = run("screen", files["survey"], "-o", tmp_path / "out", columns=columns)
    assert result.exit_code == 0, result.output
    tail = result.output.split("接下来请打开:")[1].splitlines()
    last = tail[tail.index(next(line for line in tail if line.startswith("发现"))):]
    assert len(last) >= 2  # the sentence is longer than the width: it did wrap
    assert all(cell_len(line) <= columns for line in tail), tail
    for name in ("report.html", "quality.xlsx"):
        assert any(name in line for line in last), last
    said = label("screen_errors_found", "zh", errors=1, invalid=1).replace(" ", "")  # 联系电话 "123": one error
    joined = "".join(last).replace(" ", "")
    assert joined.startswith(said)  # nothing lost at the breaks
    # Then the warnings, whole too (a warning decides nothing: said, so that it is looked at).
    warned = label("screen_warnings_found", "zh", warnings=1, households=1, more="",
                   kinds=label("screen_warning_kind", "zh", title=label("check_phone_malformed", "zh"), count=1))
    assert joined[len(said):] == warned.replace(" ", ""), joined



def test_an_outputs_words_wrap_under_its_words_not_under_its_name(files, tmp_path):
    """At 80 columns in English, report.html's words take two lines: the second begins under the
    first's words, where the eye reads on, not under the file names (before: two spaces in)."""
    result = run("screen", files["survey"], "-o", tmp_path / "en", "--lang", "en")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  report.html"))
    words = lines[at].index("the data-quality report")
    assert lines[at + 1][:words].isspace() and not lines[at + 1][words].isspace(), lines[at:at + 2]
    assert lines[at + 2].startswith("  quality.xlsx"), lines[at:at + 3]

# -- the summary table ------------------------------------------------------------------------

def _township_counts(n: int, big: int):
    import pandas as pd

    names = [f"{chr(0x4e00 + 7 * i)}{chr(0x4e01 + 7 * i)}镇" for i in range(n)]  # three characters each
    data = {s: [big + i * 7 + j for i in range(n)] for j, s in enumerate(STATUSES)}
    frame = pd.DataFrame(data, index=pd.Index(names, name="township"))
    frame["total"] = frame[STATUSES].sum(axis=1)
    return frame


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("big", [300, 123456])
def test_the_summary_fits_and_never_cuts_a_number(width, lang, big):
    """14 townships of 3-character names: each number appears whole, totals too; no line wider than
    the terminal; a legend says what each short label means."""
    from edgescreen.cli.screen import print_summary

    counts = _township_counts(14, big)
    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    print_summary(console, counts, lang)
    text = console.file.getvalue()
    assert "…" not in text
    from rich.cells import cell_len

    assert max(cell_len(line) for line in text.splitlines()) <= width
    # 123,456: counts carry thousands separators, as every count the clerk reads does
    numbers = {int(n.replace(",", "")) for n in re.findall(r"(?<![\d.,])\d{1,3}(?:,\d{3})*(?![\d.,])", text)}
    for township in counts.index:
        assert township in text
        for value in counts.loc[township]:
            assert int(value) in numbers
    for status in [*STATUSES, "total"]:
        assert int(counts[status].sum()) in numbers  # every column's total, whole
    legend = "图例" if lang == "zh" else "Legend"
    assert legend in text
    # Townships are rows: each name stands at the start of one row of each table.
    rows = [line for line in text.splitlines() if counts.index[0] in line]
    assert 1 <= len(rows) <= 3


def test_a_status_the_rules_cannot_give_has_no_column_unless_a_household_has_it():
    from edgescreen.cli.screen import print_summary

    counts = _township_counts(3, 300)
    counts[["excluded_tekun", "excluded_registered", "below_line"]] = 0  # none, nor can the rules give them
    # 低保 is not left out by these rules, yet households have it: shown.
    possible = ["invalid", "candidate", "above_limit"]
    console = Console(width=120, file=io.StringIO(), color_system=None, legacy_windows=False)
    print_summary(console, counts, "zh", possible)
    text = "".join(console.file.getvalue().split())
    assert "┃乡(镇)┃低保┃有误┃候选┃超限┃合计┃" in text
    assert "低保=低保户(暂不列入)" in text and "特困=" not in text and "低于=" not in text


def test_the_summary_is_one_table_where_it_fits():
    from edgescreen.cli.screen import status_tables

    counts = _township_counts(14, 300)
    wide = Console(width=120, file=io.StringIO())
    narrow = Console(width=50, file=io.StringIO())
    assert len(status_tables(wide, counts, "zh")) == 1
    assert len(status_tables(narrow, counts, "zh")) > 1  # paged, not squeezed


def test_checks_tables_fit_80_columns_without_cutting(tmp_path):
    """check's tables: long check names fold, counts are whole, at 80 columns with 14 townships."""
    rows = []
    for i in range(14):
        township = f"{chr(0x4e00 + 7 * i)}{chr(0x4e01 + 7 * i)}镇"
        rows += [household(**{"乡(镇)": township, "户主身份证号": make_id(serial=100 + 3 * i)}),
                 household(**{"乡(镇)": township, "户主身份证号": "22012219900101123"}),
                 household(**{"乡(镇)": township, "户主身份证号": make_id(serial=101 + 3 * i), "联系电话": "1"})]
    survey = write_workbook(tmp_path / "县.xlsx", rows)
    result = run("check", survey, "-o", tmp_path / "r", columns=80)
    assert result.exit_code == 1, result.output
    text = result.output
    assert "…" not in text
    from rich.cells import cell_len

    table_lines = [line for line in text.splitlines() if line[:1] in "┃│┏┡└├"]
    assert table_lines and max(cell_len(line) for line in table_lines) <= 80
    # 14 malformed IDs, all alike: each is also a duplicate of the others (28 errors on 14 households).
    assert re.search(r"合计\s*│\s*42\s*│\s*28\s*│\s*14\s*│\s*14\s*│", text), text


def test_readme_documents_every_option_of_every_command():
    """The README's command sections list each option the help shows."""
    readme = README.read_text(encoding="utf-8")
    missing = []
    for key, ctx, command in every_parameter():
        for param in command.get_params(ctx):
            if param.param_type_name == "option":
                for opt in param.opts:
                    if opt.startswith("--") and opt not in readme:
                        missing.append(f"{key}: {opt}")
    assert missing == []


# -- small truths: --year and the example threshold ------------------------------------------

def test_year_agrees_with_rules_list(files, tmp_path):
    """The first year `rules list` says a rule set can screen is accepted; the year before is refused,
    and for changchun-2019 the refusal says exactly why: the lower bound is known, the upper is not
    yet in force."""
    listing = "".join(run("rules", "list", columns=200).output.split())
    for rules, first in (("changchun-2019", 2019), ("monitoring", 2023)):
        assert f"{first}起" in listing
        ok = run("screen", files["survey"], "-o", tmp_path / f"{rules}-ok", "--rules", rules, "--year", first)
        assert ok.exit_code == 0, ok.output
        refused = run("screen", files["survey"], "-o", tmp_path / f"{rules}-no", "--rules", rules,
                      "--year", first - 1, columns=200)
        assert refused.exit_code == 2 and f"请用 --year {first} 或更晚的年度" in refused.output
    assert "(2014–2018只有下限,无法筛查)" in listing
    refused = " ".join(run("screen", files["survey"], "--year", "2016", columns=200).output.split())
    assert "在 2016 收入年度只有下限:下限 2952 元(自 2016-01-01 起)已知,但上限自 2019 年才施行" in refused
    shown = "".join(run("rules", "show", "changchun-2019", "--year", "2016", columns=200).output.split())
    assert "只有下限:上限尚未施行,无法筛查" in shown
    # The README says the same.
    readme = " ".join(README.read_text(encoding="utf-8").split())
    assert "2019 on" in readme and "lower bound only" in readme


def test_the_monitoring_example_threshold_is_said_on_the_terminal_and_in_run_json(files, tmp_path):
    out = tmp_path / "m"
    result = run("screen", files["survey"], "-o", out, "--rules", "monitoring")
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "本次使用的upper_bound=7300(自2023-01-01起)是规则集monitoring文件中的示例" in said
    # Wrapped by edgescreen at 80 columns (before: left to the terminal, it cut "--from | monitoring"
    # and, in English, "moni | toring"): every line fits, and the command to copy is on one line.
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), result.output
    assert any("--from monitoring" in line for line in lines), result.output
    english = run("screen", files["survey"], "-o", tmp_path / "en", "--rules", "monitoring", "--lang", "en")
    assert english.exit_code == 0, english.output
    assert all(cell_len(line) <= 80 for line in english.output.splitlines()), english.output
    assert "monitoring" in english.output.split() or "monitoring," in english.output.split(), english.output
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    examples = record["rules"]["example_figures"]
    assert [(e["key"], e["value"], e["effective"]) for e in examples] == [("upper_bound", "7300", "2023-01-01")]
    assert "示例" in examples[0]["message"]
    # A county's own figure: no such words, and an empty list.
    county = tmp_path / "本县.toml"
    assert run("rules", "new", county, "--from", "monitoring").exit_code == 0
    text = county.read_text(encoding="utf-8")
    county.write_text(text.replace("value = 7300, source = \"示例:", "value = 7600, source = \"湖北省文件:"),
                      encoding="utf-8")
    own = run("screen", files["survey"], "-o", tmp_path / "own", "--rules", county)
    assert own.exit_code == 0, own.output
    assert "文件中的示例" not in own.output
    record = json.loads((tmp_path / "own" / "run.json").read_text(encoding="utf-8"))
    assert record["rules"]["upper_bound"]["value"] == "7600" and record["rules"]["example_figures"] == []
    # check says it too.
    checked = run("check", files["survey"], "-o", tmp_path / "c", "--rules", "monitoring")
    assert "文件中的示例" in "".join(checked.output.split())


def test_a_path_longer_than_the_line_is_said_whole_on_a_line_of_its_own(files, tmp_path):
    """Before (tester, 2026-12-03): at 80 columns the output folder's path was cut in two ("…第二次修改后
    的版 | 本输出"), and a command to copy with it; a copy of the lines gave a path that is not there.
    A piece longer than the line now stands whole on its own line, for the terminal to fold."""
    out = tmp_path / ("农安县2019年度抽查样本第二次修改后的版本输出" * 2)
    result = run("screen", files["survey"], "-o", out, "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    assert any(str(out) in line for line in result.output.splitlines()), result.output
    lines = wrap("结果在 " + str(out) + " 里,请打开 report.html 查看", 80, indent=2, keep=[str(out)])
    assert str(out) in lines[1] and lines[1].strip() == str(out), lines
    assert cell_len(lines[0]) <= 80 and all(cell_len(line) <= 80 for line in lines[2:]), lines


@pytest.mark.parametrize("broken", ["summary", "catalogue"])
def test_a_bug_outside_a_commands_guard_is_one_line_never_a_traceback(files, tmp_path, broken):
    """Before: an exception after the job (printing the summary), or while the error itself was said
    (a damaged installation's catalogue), ended in a Python traceback (a tester saw one on
    2026-12-03). Now one line, exit 2."""
    breaking = {
        "summary": "import edgescreen.cli.screen as s; s.print_summary = lambda *a: 1 / 0",
        "catalogue": ("import edgescreen.cli.screen as s, edgescreen.errors as e; s.print_summary = lambda *a: 1 / 0; "
                      "e.EdgescreenError.message = lambda self, lang: {}['gone']"),
    }[broken]
    code = (f"import sys; {breaking}; from edgescreen.cli import main; "
            f"sys.argv = ['edgescreen', 'screen', {str(files['survey'])!r}, '-o', {str(tmp_path / 'out')!r}]; main()")
    env = {k: v for k, v in os.environ.items() if k != "EDGESCREEN_DEBUG"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "内部错误" in done.stderr, done.stderr
    assert "ZeroDivisionError" in done.stderr and len(done.stderr.strip().splitlines()) <= 2, done.stderr


@pytest.mark.parametrize("columns", [60, 80])
def test_the_status_legend_breaks_between_its_items_never_inside_one(tmp_path, columns):
    """Found by an outside try: at 80 columns the legend broke after "有误 =", its meaning on the next
    line. Every item now stands whole on a line, and no line is wider than the terminal."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    result = run("screen", path, "-o", tmp_path / "out", columns=columns)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("图例:"))
    legend = lines[start:start + next(j for j, line in enumerate(lines[start:]) if line.startswith("已筛查"))]
    assert len(legend) >= 2 and all(cell_len(line) <= columns for line in legend), legend
    assert not any(line.rstrip().endswith("=") for line in legend), legend
    for status in STATUSES:
        item = f"{label(f'status_short_{status}', 'zh')} = {label(status, 'zh')}"
        if item in "".join(legend):
            assert any(item in line for line in legend), (item, legend)


def test_a_control_character_is_measured_as_the_picture_shown():
    """An ESC a clerk typed is shown as ␛, one cell: a line holding it is measured so, and never runs
    a cell past the terminal; a village named with it keeps its table inside the width."""
    from edgescreen.cli.common import _Console
    from edgescreen.cli.tables import CountColumn, count_tables

    text = "户主「李\x1b[31m二\x1b[0m」的身份证号第 18 位校验码不对,请核对原表后改正再筛查,改好后重新运行。" * 3
    lines = wrap(text, 40)
    assert all("\x1b" not in line and cell_len(line) <= 40 for line in lines), lines
    console = _Console(file=io.StringIO(), width=40, force_terminal=False, color_system=None)
    names = ["前岗村\x1b[2J\x1b[2J\x1b[2J", "后岗村"]
    for table in count_tables(console, title=None, first="村", names=names, footer="合计",
                              columns=[CountColumn("候选", [1, 2]), CountColumn("无效", [3, 4])]):
        console.print(table)
    shown = console.file.getvalue()
    assert "\x1b" not in shown and "␛[2J" in shown, shown
    assert all(cell_len(line) <= 40 for line in shown.splitlines()), shown


def test_a_file_the_clerk_may_not_read_is_named_with_the_reason(tmp_path, monkeypatch):
    """A survey without read permission (typer's check that a path is readable) and one inside a
    folder the clerk may not open: each named, "没有权限", never "这个值不能用" nor an internal error."""
    import pathlib

    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"户主身份证号": make_id(serial=1)})])
    real_access, real_stat = os.access, pathlib.Path.stat
    monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if str(p).endswith("合隆镇.xlsx") else real_access(p, mode, *a, **k))
    said = CliRunner().invoke(app, ["screen", str(survey), "-o", str(tmp_path / "o")])
    assert said.exit_code == 2 and "合隆镇.xlsx:无法打开(没有权限)" in "".join(said.output.split()), said.output
    monkeypatch.setattr(os, "access", real_access)

    def stat(self, *args, **kwargs):
        if self.name == "烧锅镇.xlsx":
            raise PermissionError(13, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "stat", stat)
    locked = tmp_path / "锁住" / "烧锅镇.xlsx"
    said = CliRunner().invoke(app, ["check", str(locked)])
    text = "".join(said.output.split())
    assert said.exit_code == 2 and "烧锅镇.xlsx:无法打开(没有权限)" in text and "内部错误" not in text, said.output


def test_a_name_to_keep_after_a_colon_is_never_broken():
    """已写出:/home/clerk/农安县-edgescreen/… was read as one name from 已写出 on, ending inside the path,
    which then broke at 80 columns: a name to keep is a piece of its own wherever it stands."""
    path = "/home/clerk/农安县-edgescreen/信息比对/信息比对申请名单.xlsx"
    lines = wrap(f"信息比对申请名单(共 2,400 户 7,246 人)已写出:{path}。请把同一份名单发给各比对部门", 80, keep=[path])
    assert any(path in line for line in lines) and all(cell_len(line) <= 80 for line in lines), lines


def test_a_short_word_after_a_bracket_or_a_mark_goes_down_whole_a_clause_still_breaks():
    """An outside try at 80 columns: 第 3951 行(刘 | 立国) split a member's name. A word of a few
    characters after a bracket, a mark or a space goes to the next line whole; a long run of characters
    breaks where it must, as before, and no line is longer than the width."""
    lines = wrap("家庭成员表第 3951 行(刘立国)的身份证号有误,请核对后改正", 20)
    # 有 goes down with 误: a line never starts with one character before its mark ("误,").
    assert lines == ["家庭成员表第 3951 行", "(刘立国)的身份证号", "有误,请核对后改正"], lines
    lines = wrap("请核对,刘立国的收入", 12)
    assert lines == ["请核对,", "刘立国的收入"], lines
    long = wrap("按分四舍五入后认定为贫困边缘户候选", 10)
    assert "".join(long) == "按分四舍五入后认定为贫困边缘户候选" and all(cell_len(x) <= 10 for x in long), long
