"""Two slips of a tired clerk on the command line, refused before anything runs (cli/terminal.py):
an option's value forgotten, so that the next option would be taken as it (-o --force made a folder
named --force and replaced nothing); and -o naming the current folder (-o .), which the run could
never put its folder in place of and said was "in use" whatever the clerk closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from edgescreen.cli import app
from field_checks import valued_options
from survey_builders import household, write_workbook

runner = CliRunner()


@pytest.fixture(autouse=True)
def _chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def run(*args, code: int):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result, " ".join(result.output.split())


def survey(folder: Path) -> Path:
    return write_workbook(folder / "调查表.xlsx", [household(), household(name="李四")])


def everything_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- an option's value forgotten ---------------------------------------------------------------

def test_a_forgotten_folder_after_o_is_said_and_no_folder_named_force_is_made(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    survey(tmp_path)
    _, said = run("screen", "调查表.xlsx", "-o", "--force", code=2)
    assert "选项 -o 后面要写一个值,但紧跟着的 --force 是另一个选项。这里要写:文件夹。" in said, said
    assert "运行 edgescreen screen -h 查看帮助" in said, said
    assert "结果在" not in said, said
    assert everything_in(tmp_path) == ["调查表.xlsx"]


def test_o_followed_by_register_names_what_o_lacks_not_the_register_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    survey(tmp_path)
    _, said = run("screen", "调查表.xlsx", "-o", "--register", "../农安县.db", code=2)
    assert "选项 -o 后面要写一个值,但紧跟着的 --register 是另一个选项" in said, said
    assert "找不到" not in said, said
    assert everything_in(tmp_path) == ["调查表.xlsx"]


def test_a_forgotten_value_is_said_in_english_when_asked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    survey(tmp_path)
    _, said = run("screen", "调查表.xlsx", "--lang", "en", "--year", "--as-of", "2019-12-20", code=2)
    assert "option --year needs a value, but the word after it, --as-of, is another option." in said, said
    assert everything_in(tmp_path) == ["调查表.xlsx"]


VALUED = list(valued_options())


def test_the_scan_sees_the_options_that_take_a_value():
    seen = {(" ".join(path), name) for path, name, _ in VALUED}
    assert {("screen", "-o"), ("screen", "--register"), ("register next", "--date"), ("check", "--rules"),
            ("sample", "-o"), ("register history", "--id")} <= seen, sorted(seen)


@pytest.mark.parametrize("path, option, other", VALUED, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_every_option_that_takes_a_value_refuses_another_option_as_it(path, option, other, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, said = run(*path, option, other, code=2)
    assert f"选项 {option} 后面要写一个值,但紧跟着的 {other} 是另一个选项" in said, said
    assert everything_in(tmp_path) == []


def test_values_that_only_start_with_a_dash_stay_values(tmp_path, monkeypatch):
    """A folder named -结果 is no option of the command; a file really named -x.xlsx given as ./-x.xlsx
    is read."""
    monkeypatch.chdir(tmp_path)
    survey(tmp_path).rename(tmp_path / "-x.xlsx")
    _, said = run("screen", "./-x.xlsx", "-o", "-结果", code=0)
    assert "已筛查 2 户,结果在 -结果" in said, said
    assert (tmp_path / "-结果" / "decisions.csv").is_file()
    _, said = run("check", "./-x.xlsx", "--year", "-5", code=2)
    assert "另一个选项" not in said and "--year -5" in said, said


# -- -o naming the current folder -------------------------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--force"]])
def test_o_dot_in_an_empty_folder_asks_for_a_new_folder_not_to_close_excel(extra, tmp_path, monkeypatch):
    here = tmp_path / "空文件夹"
    here.mkdir()
    monkeypatch.chdir(here)
    _, said = run("screen", survey(tmp_path), "-o", ".", *extra, code=2)
    assert "-o .:这是命令行窗口当前所在的文件夹,结果不能写进它本身。请在 -o 后面写一个新文件夹的名字,如 -o 筛查结果。" in said, said
    assert "占用" not in said and "无法写入" not in said, said
    assert everything_in(here) == []
    assert everything_in(tmp_path) == ["空文件夹", "调查表.xlsx"]


def test_o_naming_the_current_folder_by_its_full_path_or_a_folder_above_is_refused(tmp_path, monkeypatch):
    here = tmp_path / "乡镇" / "合隆镇"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    source = survey(tmp_path)
    _, said = run("screen", source, "--out", str(here), "--force", code=2)
    assert f"--out {here}:这是命令行窗口当前所在的文件夹" in said, said
    _, said = run("check", source, "-o", "..", code=2)
    assert "-o ..:命令行窗口当前所在的文件夹就在它里面,结果不能写在这里。请在 -o 后面写一个新文件夹的名字,如 -o 质量报告。" in said, said
    assert everything_in(here) == [] and everything_in(here.parent) == ["合隆镇"]
    # A new folder inside the current one is what it asks for, and it is written.
    _, said = run("screen", source, "-o", "筛查结果", code=0)
    assert (here / "筛查结果" / "decisions.csv").is_file()


def test_sample_of_a_screen_refuses_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("screen", survey(tmp_path), "-o", "筛查", code=0)
    _, said = run("sample", "筛查", "-o", "./", code=2)
    assert "-o ./:这是命令行窗口当前所在的文件夹" in said and "如 -o 抽查" in said, said


@pytest.mark.parametrize("command, example", [
    (["backcheck", "筛查", "表.xlsx"], "核查结果"),
    (["register", "next", "农安县.db"], "文书"),
    (["register", "measures", "农安县.db"], "帮扶措施"),
])
def test_every_command_writing_a_folder_refuses_the_current_one_before_reading(command, example, tmp_path,
                                                                              monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, said = run(*command, "-o", ".", code=2)
    assert f"-o .:这是命令行窗口当前所在的文件夹,结果不能写进它本身。请在 -o 后面写一个新文件夹的名字,如 -o {example}。" in said, said
    assert "找不到" not in said, said
    assert everything_in(tmp_path) == []


def test_o_dot_is_said_in_english_when_asked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, said = run("check", "调查表.xlsx", "-o", ".", "--lang", "en", code=2)
    assert "-o .: that is the folder the command runs in" in said and "such as -o quality-report." in said, said
