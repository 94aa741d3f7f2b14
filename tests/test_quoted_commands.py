"""Commands the terminal gives to copy keep a path with spaces whole: an outside try's county kept its
rules in 县规则 2021/农安 县/, and `rules new` printed `edgescreen rules check 县规则 2021/农安 县/农安县.toml`,
which the shell splits into three arguments; the --add-to-round refusal's `--rules` likewise."""

from __future__ import annotations

import shlex

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from test_register_rules_change import county_file
from edgescreen.cli import app

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400", "EDGESCREEN_LANG": "zh"})


def command_line(output: str, start: str) -> list[str]:
    """The words of the one line of `output` that starts (after its indent) with `start`."""
    line = next(line.strip() for line in output.splitlines() if line.strip().startswith(start))
    return shlex.split(line)


def test_rules_new_prints_commands_whose_path_stays_one_word(tmp_path):
    target = tmp_path / "县规则 2021" / "农安 县" / "农安县.toml"
    target.parent.mkdir(parents=True)
    done = run("rules", "new", target)
    assert done.exit_code == 0, done.output
    assert command_line(done.output, "edgescreen rules check") == ["edgescreen", "rules", "check", str(target)]
    assert command_line(done.output, "edgescreen screen")[-2:] == ["--rules", str(target)]


def test_the_add_to_round_refusal_gives_the_rules_file_as_one_word(tmp_path):
    (tmp_path / "县 规则").mkdir()
    rules = county_file(tmp_path / "县 规则" / "农安县规则.toml")
    first = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"户主身份证号": make_id("19700101", serial=501)})])
    db = tmp_path / "农安县.db"
    done = run("screen", first, "-o", tmp_path / "out", "--rules", rules, "--register", db, "--date", "2019-12-02")
    assert done.exit_code == 0, done.output
    late = write_workbook(tmp_path / "万顺乡.xlsx", [household(**{"乡(镇)": "万顺乡", "行政村": "新村",
                                                                  "户主身份证号": make_id("19700101", serial=601)})])
    refused = run("screen", late, "-o", tmp_path / "late", "--register", db, "--add-to-round")
    assert refused.exit_code == 2, refused.output
    said = " ".join(refused.output.split())
    assert f"请用 --rules {shlex.quote(str(rules))} 再补报" in said, said
