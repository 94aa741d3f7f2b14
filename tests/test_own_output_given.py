"""From an outside try: edgescreen's output folder sits beside the survey folder, so tab completion
picks it. Given as the survey, `screen "农安县 2019年 边缘户调查-edgescreen"` said "decisions.csv:缺少必填
列:是否低保户、是否特困人员" (read as "add two columns"), and summary.xlsx or villages/*.xlsx given said
"没有找到农户表头". Now the folder, or a file edgescreen wrote in it, is refused as what it is, naming
the run that wrote it and the survey to give instead; for `check` too, and for a check's report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app

runner = CliRunner()
SURVEY = "农安县 2019年 边缘户调查"


def run(*args, code: int = 0):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == code, result.output
    return result


def said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture
def screened(tmp_path, monkeypatch):
    """The survey folder, and the screen's output folder beside it (the default name, in the current
    folder), as the clerk's run left them."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / SURVEY
    folder.mkdir()
    write_workbook(folder / "哈拉海镇.xlsx", [household(), household(户主姓名="李四")])
    run("screen", SURVEY)
    out = Path(f"{SURVEY}-edgescreen")
    assert (out / "run.json").is_file() and (out / "decisions.csv").is_file()
    return out


def test_the_output_folder_given_as_the_survey_is_refused_naming_the_survey(screened):
    day = json.loads((screened / "run.json").read_text(encoding="utf-8"))["started"][:10]
    for command in ("screen", "check"):
        refused = said(run(command, screened, "-o", "again", code=2))
        assert f"{screened}:这是 edgescreen 写的输出文件夹({day} 筛查「{SURVEY}」的结果),不是调查表" in refused, refused
        # The survey to give, as a word of the command (its name holds spaces).
        assert f"请改为给出调查表:'{SURVEY}'" in refused or f'请改为给出调查表:"{SURVEY}"' in refused, refused
        # Not the survey's words for it: no columns to add, no header to look for.
        assert "缺少必填列" not in refused and "农户表头" not in refused, refused
        assert not Path("again").exists()
    english = said(run("screen", screened, "-o", "again", "--lang", "en", code=2))
    assert f"an output folder edgescreen wrote (the output of the screen of {SURVEY} on {day}), not a survey" \
        in english, english


def test_a_file_edgescreen_wrote_given_as_the_survey_is_refused_as_its_output(screened):
    villages = sorted((screened / "villages").glob("*.xlsx"))
    assert villages
    for given in (screened / "decisions.csv", screened / "summary.xlsx", screened / "issues.csv",
                  screened / "quality.xlsx", villages[0]):
        for command in ("screen", "check"):
            refused = said(run(command, given, "-o", "again", code=2))
            assert f"{given}:这是 edgescreen 写的输出文件,在它的输出文件夹 {screened} 里" in refused, refused
            assert f"筛查「{SURVEY}」的结果),不是调查表,没有读入" in refused, refused
            assert "缺少必填列" not in refused and "农户表头" not in refused, refused


def test_a_check_report_given_is_refused_as_the_check_of_its_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    run("check", "合隆镇.xlsx")
    report = Path("合隆镇-质量报告")
    assert (report / "check.json").is_file()
    for given in (report, report / "quality.xlsx"):
        refused = said(run("screen", given, "-o", "out", code=2))
        assert "检查「合隆镇.xlsx」的质量报告),不是调查表,没有读入" in refused, refused
        assert "请改为给出调查表:合隆镇.xlsx" in refused, refused


def test_a_survey_kept_in_an_output_folder_is_still_read(screened, tmp_path):
    """Only what the run wrote there is its output: a survey the clerk saved into the folder is read."""
    kept = write_workbook(screened / "补充调查.xlsx", [household(户主姓名="王五")])
    out = said(run("screen", kept, "-o", tmp_path / "补充"))
    assert "这是 edgescreen 写的" not in out, out
    assert (tmp_path / "补充" / "decisions.csv").is_file()


def test_a_village_list_named_from_inside_its_folder_is_refused_naming_the_folder(screened, monkeypatch):
    """The clerk in villages/ (opened there to look at the lists) gives a list by its name alone."""
    folder = screened.absolute()
    village = sorted((folder / "villages").glob("*.xlsx"))[0]
    monkeypatch.chdir(folder / "villages")
    refused = said(run("screen", village.name, "-o", folder.parent / "again", code=2))
    assert f"{village.name}:这是 edgescreen 写的输出文件,在它的输出文件夹 {folder} 里" in refused, refused
    # The long path wraps even at 400 columns: looked at without the terminal's breaks.
    assert f"请改为给出调查表:'{folder.parent / SURVEY}'".replace(" ", "") in refused.replace(" ", ""), refused


def test_the_publicity_a_screen_wrote_given_is_refused_too(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    run("screen", "合隆镇.xlsx", "--publicity-start", "2019-12-01", "-o", "公示")
    written = sorted(Path("公示", "publicity").glob("*.xlsx"))
    assert written, sorted(Path("公示").rglob("*"))
    refused = said(run("screen", written[0], "-o", "out", code=2))
    assert "这是 edgescreen 写的输出文件,在它的输出文件夹 公示 里" in refused, refused
    assert "请改为给出调查表:合隆镇.xlsx" in refused, refused
