"""What the clerk reads at 80 columns, and what to do next (an outside try at 80 columns in tmux).

Before: an unquoted path with spaces was "农安县:找不到这个文件或文件夹" and no more; register record's
list of 22 skipped files stood on one line wider than the terminal, which cut 前进村.|xlsx apart; a place
read from a form's own words broke (读作三盛玉 | 镇三盛玉村); register next ended at "民主评议:25 份文书 →
…" without saying what to do with them; register history --id 杨亚森 said no household has that ID; an
empty 花名册 was written without a word of why; --register with no value said only 后面要写一个值."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import household, write_workbook
from test_places_from_title import HEADER, row, write
from test_register import IDS, Walk, run

runner = CliRunner()


def _paragraph(lines: list[str], words: str) -> list[str]:
    """The lines of the paragraph holding `words` at its start: its first line and those under it."""
    start = next(i for i, line in enumerate(lines) if words in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start:end]


def _at_80(*args, code: int = 2):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), lines
    return result, lines


def _quoted(path: str) -> str:
    """A path as a command to copy quotes it in this platform's shell (inputs.shell_word)."""
    return f'"{path}"' if os.name == "nt" else shlex.quote(path)


@pytest.mark.parametrize("command", [["screen"], ["check"], ["register", "record", "农安县.db"]])
def test_a_path_the_shell_cut_at_its_spaces_is_said_with_its_quotes(tmp_path, monkeypatch, command):
    """screen 农安县 2019年 边缘户调查: three arguments, the first not found; the folder they make joined by
    spaces exists, and the refusal says to put it in double quotes, the quoted path whole on a line."""
    folder = tmp_path / "农安县 2019年 边缘户调查"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", [household()])
    monkeypatch.chdir(tmp_path)
    result, lines = _at_80(*command, "农安县", "2019年", "边缘户调查")
    said = "".join(result.output.split())
    assert "农安县:找不到这个文件或文件夹" in said, result.output
    assert "请把它放在英文双引号里再运行" in said, result.output
    assert any('"农安县 2019年 边缘户调查"' in line for line in lines), lines
    # A file inside it, cut the same way: the file's whole path is the one to quote.
    result, lines = _at_80(*command, "农安县", "2019年", "边缘户调查/合隆镇.xlsx")
    assert any('"农安县 2019年 边缘户调查/合隆镇.xlsx"' in line for line in lines), lines
    # Nothing the pieces make exists: said as before, no quotes suggested.
    result, _ = _at_80(*command, "农安县", "2020年")
    assert "双引号" not in result.output, result.output


# Long village names, so that the files' list is wider than a line.
PLACES = {"合隆镇": "合隆满族镇", "前岗村": "前岗村第一村民小组", "青山村": "青山村第二村民小组",
          "烧锅镇": "烧锅满族镇", "三宝村": "三宝村第四村民小组"}


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> Walk:
    """The small county of test_register screened into its register, nothing recorded since; the
    commands below run in its folder, the register and the documents named as a clerk there types them."""
    return Walk(tmp_path_factory.mktemp("clerk80") / "walk", places=PLACES)


def test_register_next_ends_with_what_to_do_and_the_command_to_record(walk, monkeypatch):
    monkeypatch.chdir(walk.tmp)
    folder = Path("文书 第一批")
    result, lines = _at_80("register", "next", "农安县.db", "--date", "2019-11-21", "-o", folder, code=0)
    said = "".join(result.output.split())
    assert said.count("接下来") == 1, result.output
    assert "在村民代表大会上逐户填写评议结果和会议情况" in said, result.output
    command = (f"edgescreen register record 农安县.db "
               f"{_quoted(str(folder / '1-民主评议'))}{os.sep}*.xlsx")
    assert "  " + command in lines, lines  # whole, on one line, to copy (a long path may pass the edge)
    assert lines.index("  " + command) == len(lines) - 1, lines


def test_register_record_keeps_each_skipped_files_name_whole(walk, monkeypatch):
    """Documents printed and given back as printed: passed over, their names listed once, each whole on
    a line, the later lines under the first's text as the command's other wrapped lines are."""
    monkeypatch.chdir(walk.tmp)
    folder = Path("文书 第一批", "1-民主评议")
    if not folder.exists():  # the test before prints them; run alone, or on another xdist worker, print them here
        _at_80("register", "next", "农安县.db", "--date", "2019-11-21", "-o", folder.parent, code=0)
    docs = sorted(folder.glob("*.xlsx"))
    assert len(docs) == 3
    result, lines = _at_80("register", "record", "农安县.db", *docs, code=0)
    listed = _paragraph(lines, "份文书还没有填写")
    assert len(listed) > 1, lines
    for doc in docs:
        assert any(doc.name in line for line in listed), (doc.name, lines)
    assert all(line.startswith("  ") and not line.startswith("   ") for line in listed[1:]), listed


def test_register_export_of_nobody_says_why_and_where_to_look(walk, monkeypatch):
    monkeypatch.chdir(walk.tmp)
    result, lines = _at_80("register", "export", "农安县.db", code=0)
    said = "".join(result.output.split())
    assert "花名册:0户" in said, result.output
    assert "还没有在册农户" in said and "公告期满并登记了公告" in said, result.output
    assert any("edgescreen register status 农安县.db" in line for line in lines), lines


def test_register_history_by_a_heads_name_names_the_id_to_ask_by(walk, monkeypatch):
    monkeypatch.chdir(walk.tmp)
    result, lines = _at_80("register", "history", "农安县.db", "--id", "王 一")
    said = "".join(result.output.split())
    assert "--id要写户主或家庭成员的18位身份证号" in said and "「王一」不是身份证号" in said, result.output
    masked = IDS["王一"][:6] + "*" * 8 + IDS["王一"][-4:]
    assert f"户主叫「王一」的有1户:{masked}(合隆满族镇前岗村第一村民小组)" in said, result.output
    assert "没有户主或家庭成员身份证号为" not in said, result.output
    assert any("合隆满族镇前岗村第一村民小组" in line for line in lines), lines
    # The ID it names finds the household.
    assert "王一" in run("register", "history", "农安县.db", "--id", masked).output
    said = "".join(_at_80("register", "history", "农安县.db", "--id", "无此人")[0].output.split())
    assert "「无此人」不是身份证号" in said and "登记簿里也没有叫「无此人」的户主" in said, said


def test_a_place_read_from_the_forms_words_stays_whole(tmp_path):
    """A township's workbook of village sheets without place columns, each naming its village in a
    填报单位 line (as the outside try's did): 读作三盛玉 | 镇三盛玉村 broke at 80 columns. Each place whole."""
    villages = ["三盛玉村", "五家子村", "八里营子村"]
    src = write(tmp_path / "三盛玉镇.xlsx", {v: ([[f"填报单位:三盛玉镇{v}村民委员会 填报日期:2019年11月20日"]], HEADER,
                                                [row(10 * k + 1), row(10 * k + 2, wage=3000)])
                                            for k, v in enumerate(villages)})
    result, lines = _at_80("screen", src, "-o", tmp_path / "out", code=0)
    for village in villages:
        said = "\n".join(_paragraph(lines, f"工作表「{village}」:表中没有"))
        read_as = said.split("读作")[-1].split("\n")
        place = f"三盛玉镇{village}"
        assert next(part.strip() for part in read_as if part.strip()).startswith(place), said


@pytest.mark.parametrize("args, what", [
    (["screen", "x.xlsx", "--register"], "这里要写:登记簿,如 农安县.db。"),
    (["register", "history", "x.db", "--id"], "这里要写:身份证号。"),
    (["screen", "x.xlsx", "-o"], "这里要写:文件夹。"),
])
def test_an_option_without_its_value_says_what_it_takes(args, what):
    result, _ = _at_80(*args)
    said = " ".join(result.output.split())
    assert f"选项 {args[-1]} 后面要写一个值。{what}" in said, said
    assert f"运行 edgescreen {' '.join(args[:-2] if args[0] == 'register' else args[:1])} -h 查看帮助" in said, said
