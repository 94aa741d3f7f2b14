"""What a county clerk is told about the rules files he typed or pointed at, in Chinese: a folder
mistyped for `rules list`, two values on one effective date, an amount typed as 4,000 or 4000元, and
the other slips of Notepad (a full-width bracket, a quote or a "]" left out). Each message names what
was typed, where, and what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from edgescreen.cli import app

runner = CliRunner()
UPPER_4000 = "{ effective = 2019-01-01, value = 4000, source = "


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "EDGESCREEN_LANG": "zh"})


def flat(result) -> str:
    """The output with its white space folded away: a message reads the same at any width."""
    return "".join(result.output.split())


def county_file(tmp_path: Path, edit, name: str = "农安县.toml") -> Path:
    """A rules file made as a county makes one (`rules new`), then edited as in Notepad."""
    path = tmp_path / name
    assert run("rules", "new", path).exit_code == 0
    text = path.read_text(encoding="utf-8-sig")
    edited = edit(text)
    assert edited != text, "the edit must change the file"
    path.write_text(edited, encoding="utf-8")
    return path


def line_number(path: Path, needle: str) -> int:
    """The 1-based line of the file that holds `needle` (the only one)."""
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(found) == 1, found
    return found[0]


# -- rules list FOLDER --------------------------------------------------------------------------

def test_list_a_folder_that_does_not_exist_says_so(tmp_path):
    """Before: the heading 本县的规则文件 and nothing else, exit 0."""
    missing = tmp_path / "规则文件夹"
    result = run("rules", "list", missing)
    assert result.exit_code == 2, result.output
    assert f"{missing}:找不到这个文件夹" in flat(result), result.output
    assert "本县的规则文件" not in result.output


def test_list_a_file_where_a_folder_is_expected_says_so(tmp_path):
    county = county_file(tmp_path, lambda t: t.replace('title = "', 'title = "农安县 ', 1))
    result = run("rules", "list", county)
    assert result.exit_code == 2, result.output
    assert f"{county}:是一个文件,不是文件夹" in flat(result) and "edgescreenrulescheck" in flat(result)


def test_list_an_empty_folder_says_it_holds_no_rules_files(tmp_path):
    result = run("rules", "list", tmp_path)
    assert result.exit_code == 2, result.output
    assert f"{tmp_path}:文件夹里没有规则文件(.toml文件)。" in flat(result), result.output


def test_list_names_a_rules_file_notepad_saved_as_txt(tmp_path):
    (tmp_path / "农安县.toml.txt").write_text('id = "nongan"\n', encoding="utf-8")
    result = run("rules", "list", tmp_path)
    assert result.exit_code == 2, result.output
    assert "农安县.toml.txt以.txt结尾" in flat(result) and "文件名写成农安县.toml" in flat(result), result.output


def test_list_a_folder_of_rule_tests_points_to_rules_test(tmp_path):
    (tmp_path / "用例.toml").write_text('rules = "changchun-2019"\nyear = 2019\n[[case]]\nname = "a"\n'
                                       'inputs = { residents = 1, wage_income = "3218.01" }\n'
                                       'expect = { status = "candidate" }\n', encoding="utf-8")
    result = run("rules", "list", tmp_path)
    assert result.exit_code == 2, result.output
    assert "是规则测试文件" in flat(result) and "edgescreenrulestest" in flat(result), result.output


def test_list_a_folder_of_rules_files_still_lists_them(tmp_path):
    county_file(tmp_path, lambda t: t.replace('title = "', 'title = "农安县 ', 1))
    result = run("rules", "list", tmp_path)
    assert result.exit_code == 0, result.output
    assert "本县的规则文件" in result.output and "农安县.toml" in result.output


# -- two values on one effective date -------------------------------------------------------------

def test_two_values_on_one_date_name_the_date_the_values_and_the_line(tmp_path):
    """Before: 第 N 行 lower_bound:有两个数值在同一天生效, N the table's line and no date."""
    county = county_file(tmp_path, lambda t: t.replace("{ effective = 2016-01-01, value = 2952",
                                                       "{ effective = 2015-01-01, value = 2952"))
    result = run("rules", "check", county)
    assert result.exit_code == 1, result.output
    said = flat(result)
    line = line_number(county, "value = 2952")
    assert f"规则文件{county}校验未通过" in said, result.output
    assert f"第{line}行lower_bound:有两个数值在同一天生效:2855和2952都自2015-01-01起生效" in said, result.output


# -- an amount typed as a clerk types it ------------------------------------------------------------

@pytest.mark.parametrize("typed, why", [
    ('"4,000"', "数字里不能用逗号分隔千位"), ('"4000元"', "金额只写数字,不写单位“元”"),
    ('"4 000"', "数字中间不能有空格"), ('"4000 元"', "金额只写数字,不写单位“元”"),
])
def test_an_amount_typed_as_text_says_what_to_write(tmp_path, typed, why):
    """Before: 不是数字(填写的是:'4,000'): what was typed and where, not what to write instead."""
    county = county_file(tmp_path, lambda t: t.replace(UPPER_4000, UPPER_4000.replace("4000", typed)))
    result = run("rules", "check", county)
    assert result.exit_code == 1, result.output
    line = line_number(county, typed)
    expected = f"第{line}行upper_bound.values[0].value:填写的是'{typed.strip(chr(34))}',{why}:请写value=4000"
    assert expected.replace(" ", "") in flat(result), result.output


@pytest.mark.parametrize("typed, why", [
    ("4,000", "数字里不能用逗号分隔千位"), ("4000元", "金额只写数字,不写单位“元”"),
    ("4 000", "数字中间不能有空格"), ("4000 元/人·年", "金额只写数字,不写单位“元”"),
])
def test_an_amount_typed_bare_says_what_was_typed_and_what_to_write(tmp_path, typed, why):
    """Before: 4000元 and 4 000 were told '{ … } 没有结束,或写成了多行', and 4,000 '写 7300,不写
    7,300' without the key it was typed for."""
    county = county_file(tmp_path, lambda t: t.replace(UPPER_4000, UPPER_4000.replace("4000", typed)))
    result = run("rules", "check", county)
    assert result.exit_code == 1, result.output
    line = line_number(county, f"value = {typed},")
    said = flat(result)
    expected = f"{county}第{line}行upper_bound.values[0].value:不是有效的TOML:填写的是{typed},{why}。请写value=4000。"
    assert expected.replace(" ", "") in said, result.output


def test_a_decimal_amount_with_a_comma_is_told_to_be_quoted(tmp_path):
    county = county_file(tmp_path, lambda t: t.replace(UPPER_4000, UPPER_4000.replace("4000", "3,999.50")))
    result = run("rules", "check", county)
    assert result.exit_code == 1 and '请写value="3999.50"' in flat(result), result.output


def test_digits_that_are_not_an_amount_are_not_guessed_at(tmp_path):
    county = county_file(tmp_path, lambda t: t.replace(UPPER_4000, UPPER_4000.replace("4000", '"1,2,3"')))
    result = run("rules", "check", county)
    assert result.exit_code == 1 and "不是数字(填写的是:'1,2,3')" in flat(result), result.output


# -- other slips of Notepad --------------------------------------------------------------------------

def test_a_bracket_of_chinese_typing_in_a_table_name_is_named(tmp_path):
    """Before: 【exclude】 was told 这一行不是“项 = 值”,也不是 [表名], and [exclude】 表名缺少右方括号."""
    for n, typed in enumerate(("【exclude】", "[exclude】")):
        county = county_file(tmp_path, lambda t: t.replace("\n[exclude]", f"\n{typed}"), f"县{n}.toml")
        result = run("rules", "check", county)
        assert result.exit_code == 1, result.output
        line = line_number(county, typed)
        mark = typed[0] if typed[0] != "[" else typed[-1]
        assert f"第{line}行:不是有效的TOML:这一行有中文(全角)标点「{mark}」" in flat(result), result.output


def test_a_quote_left_open_is_said_so(tmp_path):
    """Before: 有不允许的字符 (tomllib's illegal newline), not the quote."""
    county = county_file(tmp_path, lambda t: t.replace('source = "国家统计局,2015年农村贫困标准"',
                                                       'source = "国家统计局,2015年农村贫困标准'))
    result = run("rules", "check", county)
    assert result.exit_code == 1, result.output
    line = line_number(county, "2015年农村贫困标准")
    assert f"第{line}行:不是有效的TOML:引号没有配对" in flat(result), result.output


def test_a_full_width_comma_inside_a_text_is_not_blamed_for_a_quote_left_open(tmp_path):
    county = county_file(tmp_path, lambda t: t.replace('source = "国家统计局,2015年农村贫困标准"',
                                                       'source = "国家统计局，2015年农村贫困标准'))
    result = run("rules", "check", county)
    assert result.exit_code == 1 and "引号没有配对" in flat(result) and "全角" not in flat(result), result.output


def test_a_list_left_open_names_the_line_it_begins_on(tmp_path):
    """Before: the next table's line, told 值的写法不对(文字要加引号,数字不加)."""
    def edit(text):
        at = text.index(UPPER_4000)
        end = text.index("\n]", at)
        return text[:end] + text[end + 2:]
    county = county_file(tmp_path, edit)
    result = run("rules", "check", county)
    assert result.exit_code == 1, result.output
    text = county.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(text, 1) if line.startswith("values = [") and i > line_number(
        county, "[upper_bound]"))
    table = line_number(county, "[exclude]")
    assert f"第{table}行:不是有效的TOML:第{start}行upper_bound.values=[开始的列表没有用]结束" in flat(result), \
        result.output
