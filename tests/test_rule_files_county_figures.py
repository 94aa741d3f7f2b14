"""A county's own rules file as an outside tester typed it by hand: figures no standard can have (an
extra 0 in an upper bound, a lower bound of 0 after 4000, a bound that halves), a hand-copied shipped
file that kept the shipped id, the encodings Notepad saves in, and the small slips (0.5万, True, a
year out of order, 5000.00, 低保户（暂不列入）). Each is said with the file, the line, the key and
what to write."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.rules import shipped_rule_sets

runner = CliRunner()

LOWER_2019 = '{ effective = 2019-01-01, value = 3218,'
UPPER_2019 = '{ effective = 2019-01-01, value = 4000,'
LOWER_2020 = '{ effective = 2020-01-01, value = 4000, source = "农安县乡村振兴局2020年文件,贫困标准4000元" },'
LOWER_2021 = '{ effective = 2021-01-01, value = 4200, source = "农安县乡村振兴局2021年文件" },'
UPPER_2020 = '{ effective = 2020-01-01, value = 5000, source = "农安县2020年边缘户收入上限5000元" },'
UPPER_2021 = '{ effective = 2021-01-01, value = 5400, source = "农安县2021年边缘户收入上限5400元" },'


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "EDGESCREEN_LANG": "zh"})


def flat(result) -> str:
    """The output with its white space folded away: a message reads the same at any width."""
    return "".join(result.output.split())


def county_text(tmp_path: Path, source: str = "changchun-2019") -> str:
    """The text of a county's file as `rules new` writes it."""
    path = tmp_path / "new.toml"
    assert run("rules", "new", path, "--from", source).exit_code == 0
    text = path.read_text(encoding="utf-8-sig")
    path.unlink()
    return text


def nongan(tmp_path: Path, **changes: str) -> str:
    """农安县's file: the shipped figures and its own for 2020 and 2021 (the tester's good.toml), with
    `changes` (an entry above → what it becomes) made as in Notepad."""
    text = county_text(tmp_path)
    lines = text.splitlines()
    at_lower = next(i for i, line in enumerate(lines) if LOWER_2019 in line)
    lines[at_lower + 1:at_lower + 1] = ["  " + LOWER_2020, "  " + LOWER_2021]
    at_upper = next(i for i, line in enumerate(lines) if UPPER_2019 in line)
    lines[at_upper + 1:at_upper + 1] = ["  " + UPPER_2020, "  " + UPPER_2021]
    text = "\n".join(lines) + "\n"
    for old, new in changes.values():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write(tmp_path: Path, text: str, name: str = "农安县.toml", encoding: str = "utf-8-sig") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


def line_of(text: str, needle: str) -> int:
    found = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    assert len(found) == 1, found
    return found[0]


def test_the_county_file_with_its_own_2020_and_2021_bands_passes(tmp_path):
    # Under its own title: the city's title over the county's figures is said (test_rules_said).
    own_title = ('title = "长春市贫困边缘户识别标准(2019)"', 'title = "农安县贫困边缘户识别标准(2020)"')
    result = run("rules", "check", write(tmp_path, nongan(tmp_path, title=own_title)))
    assert result.exit_code == 0, result.output
    assert "2020收入年度:4000<人均<5000" in flat(result)
    assert "2021收入年度:4200<人均<5400" in flat(result)
    assert "注意" not in result.output


# -- figures no standard has ----------------------------------------------------------------------

def test_an_upper_bound_with_a_zero_too_many_is_refused_on_its_line(tmp_path):
    """Before: 通过 … 2020 收入年度:4000 < 人均 < 50000 (9.3 times the next year's: under the ten-times check)."""
    text = nongan(tmp_path, upper=(UPPER_2020, UPPER_2020.replace("value = 5000", "value = 50000")))
    path = write(tmp_path, text)
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    said = flat(result)
    line = line_of(text, "value = 50000")
    assert f"规则文件{path}校验未通过" in said
    assert f"第{line}行upper_bound.values[1].value:upper_bound(50000,自2020-01-01起)" \
           f"是2020收入年度lower_bound(4000,自2020-01-01起)的12.5倍,超过3倍" in said, result.output
    assert "上限多打了一个0" in said


def test_a_lower_bound_of_0_after_4000_is_refused_on_its_line(tmp_path):
    """Before: 通过 … 2021 收入年度:0 < 人均 < 5400."""
    text = nongan(tmp_path, lower=(LOWER_2021, LOWER_2021.replace("value = 4200", "value = 0")))
    path = write(tmp_path, text)
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    line = line_of(text, "2021-01-01, value = 0,")
    assert f"第{line}行lower_bound.values[5].value:lower_bound自2021-01-01起为0," \
           "而其他年度有下限(自2020-01-01起为4000)" in flat(result), result.output
    assert "漏填了数字" in flat(result)


def test_a_bound_that_falls_to_under_half_the_year_before_names_both_lines(tmp_path):
    """A rule set without a lower bound (monitoring): 7300 in 2023, then 730 typed for 7300 in 2024."""
    entry = '  { effective = 2024-01-01, value = 730, source = "本省2024年度监测范围7300元" },'
    text = county_text(tmp_path, "monitoring")
    text = text.replace("source = \"示例:", "source = \"本省2023年度监测范围,", 1)
    before = next(line for line in text.splitlines() if "effective = 2023-01-01, value = 7300" in line)
    text = text.replace(before, before + "\n" + entry, 1)
    path = write(tmp_path, text)
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第{line_of(text, 'value = 730,')}行upper_bound.values[1].value:upper_bound(730,自2024-01-01起)" \
           f"不到第{line_of(text, 'value = 7300,')}行的数值(7300,自2023-01-01起)的一半" in flat(result), result.output


# -- a shipped rule set copied by hand ------------------------------------------------------------

def test_a_hand_copy_that_keeps_the_shipped_id_with_other_figures_is_warned(tmp_path):
    """Before: 通过 … changchun-2019,长春市贫困边缘户识别标准(2019), 3300 < 人均 < 4000, and nothing else."""
    shipped = shipped_rule_sets()["changchun-2019"]
    folder = tmp_path / "D盘 资料"
    folder.mkdir()
    copy = folder / "changchun-2019.toml"
    text = shipped.read_text(encoding="utf-8-sig")
    copy.write_text(text.replace("value = 3218,", "value = 3300,"), encoding="utf-8-sig")
    result = run("rules", "check", copy)
    assert result.exit_code == 0, result.output
    said = flat(result)
    assert f'注意:{str(copy).replace(" ", "")}的id是"changchun-2019",与edgescreen自带的规则集同名,数值却不同' \
           "(如lower_bound自2019-01-01起为3300,自带的是3218)" in said, result.output
    assert f"请把第{line_of(text, 'id = ')}行改为本县自己的id" in said
    # screen --rules with it says the same on its terminal.
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"户主身份证号": make_id("19700101", serial=501)})])
    screened = run("screen", survey, "--rules", copy, "-o", tmp_path / "out")
    assert screened.exit_code == 0, screened.output
    assert '与edgescreen自带的规则集同名,数值却不同(如lower_bound自2019-01-01起为3300,自带的是3218)' in flat(screened)

    # The same figures copied (a copy kept for reference): nothing to say.
    same = tmp_path / "changchun-2019.toml"
    shutil.copyfile(shipped, same)
    result = run("rules", "check", same)
    assert result.exit_code == 0 and "注意" not in result.output, result.output


# -- Notepad's encodings --------------------------------------------------------------------------

def test_notepads_unicode_file_is_read_as_it_is(tmp_path):
    """Before: 不是 UTF-8 文本。"""
    text = nongan(tmp_path).replace("\n", "\r\n")
    # Notepad's Unicode and Unicode big endian: UTF-16 with its BOM.
    for name, raw in (("le.toml", b"\xff\xfe" + text.encode("utf-16-le")),
                      ("be.toml", b"\xfe\xff" + text.encode("utf-16-be"))):
        path = tmp_path / name
        path.write_bytes(raw)
        result = run("rules", "check", path)
        assert result.exit_code == 0, result.output
        assert "2021收入年度:4200<人均<5400" in flat(result)


def test_a_gbk_file_is_refused_naming_gbk(tmp_path):
    path = write(tmp_path, nongan(tmp_path), encoding="gbk")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"规则文件{path}:不是UTF-8文本,看来是GBK(记事本的“ANSI”)编码" in flat(result), result.output


def test_utf16_without_a_bom_is_refused_naming_it(tmp_path):
    path = write(tmp_path, nongan(tmp_path), encoding="utf-16-le")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert "看来是UTF-16(没有BOM)编码" in flat(result), result.output


# -- small slips ----------------------------------------------------------------------------------

def test_an_amount_in_wan_is_told_the_yuan_to_write(tmp_path):
    """Before: 不是数字(填写的是:'0.5万'); unquoted, 值的写法不对."""
    for typed in ('"0.5万"', "0.5万"):
        text = nongan(tmp_path, upper=(UPPER_2020, UPPER_2020.replace("value = 5000", f"value = {typed}")))
        result = run("rules", "check", write(tmp_path, text))
        assert result.exit_code == 1, result.output
        assert "金额以元为单位,不按“万”写" in flat(result), result.output
        assert "请写value=5000" in flat(result), result.output


def test_true_typed_with_a_capital_is_told_to_write_true(tmp_path):
    text = nongan(tmp_path, dibao=("dibao = true", "dibao = True"))
    result = run("rules", "check", write(tmp_path, text))
    assert result.exit_code == 1, result.output
    assert f"第{line_of(text, 'dibao = True')}行:不是有效的TOML:True须全用小写英文:请写dibao=true" \
           in flat(result), result.output


def test_years_out_of_order_name_the_lines_of_both_entries(tmp_path):
    """Before: 第 24 行 lower_bound (the table's header): 各数值须按生效日期先后排列."""
    text = nongan(tmp_path, swap=("  " + LOWER_2020 + "\n  " + LOWER_2021, "  " + LOWER_2021 + "\n  " + LOWER_2020))
    result = run("rules", "check", write(tmp_path, text))
    assert result.exit_code == 1, result.output
    first, second = line_of(text, LOWER_2021), line_of(text, LOWER_2020)
    assert f"第{second}行lower_bound:各数值须按生效日期先后排列:这一条自2020-01-01起生效," \
           f"却排在第{first}行(自2021-01-01起)的后面" \
           in flat(result), result.output


def test_an_amount_typed_with_two_decimals_is_quoted_as_typed(tmp_path):
    """Before: (填写的是:5000.0)."""
    text = nongan(tmp_path, upper=(UPPER_2020, UPPER_2020.replace("value = 5000", "value = 5000.00")))
    result = run("rules", "check", write(tmp_path, text))
    assert result.exit_code == 1, result.output
    assert "(填写的是:5000.00)" in flat(result), result.output


def test_a_rule_test_with_full_width_brackets_and_an_unquoted_amount(tmp_path):
    """Before: 低保户（暂不列入） was not a status; per_capita = 5000.00 was quoted as 5000.0."""
    write(tmp_path, nongan(tmp_path))
    cases = tmp_path / "农安县2020.toml"
    cases.write_text('rules = "农安县.toml"\nyear = 2020\n\n[[case]]\nname = "低保户"\n'
                     'inputs = { residents = 2, wage_income = "8500", "是否低保户" = "是" }\n'
                     'expect = { status = "低保户（暂不列入）", per_capita = "4250.00" }\n', encoding="utf-8")
    result = run("rules", "test", cases)
    assert result.exit_code == 0, result.output
    assert "1个用例中1个通过" in flat(result), result.output

    cases.write_text(cases.read_text(encoding="utf-8").replace('per_capita = "4250.00"', "per_capita = 4250.00"),
                     encoding="utf-8")
    result = run("rules", "test", cases)
    assert result.exit_code == 2, result.output
    assert "第7行case[0].expect.per_capita:预期金额请写成加引号、两位小数的文字" in flat(result), result.output
    assert "(填写的是:4250.00)" in flat(result), result.output
