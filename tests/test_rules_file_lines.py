"""A county's rules file refused or passed as an outside try met it: a lower bound meeting the upper named
no line and said nothing to write; a full-width comma after a date was called a bad date; a key in
Chinese or after a full-width space was told the line was no statement; pydantic's Decimal('10000000')
and "元/人·年" for a tolerance; two keys that contradict named their table's header line; a ceiling at
or below the upper bound and a head_age_max under 18 passed, and the flags then blamed the survey."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.rules import rules_dir

DEFAULT_TEXT = (rules_dir() / "changchun-2019.toml").read_text(encoding="utf-8")


def run(*args, lang="zh"):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400", "EDGESCREEN_LANG": lang})


def flat(result) -> str:
    return " ".join(result.output.split())


def county(tmp_path, old: str, new: str) -> tuple:
    """The default rule set with `old` replaced by `new` once; the file and the 1-based line of `new`."""
    assert DEFAULT_TEXT.count(old) >= 1, old
    text = DEFAULT_TEXT.replace(old, new, 1)
    path = tmp_path / "本县.toml"
    path.write_text(text, encoding="utf-8")
    line = text[:text.index(new)].count("\n") + 1 + new[:len(new) - len(new.lstrip("\n"))].count("\n")
    return path, line


def upper_entry(value: int) -> str:
    return f'  {{ effective = 2021-01-01, value = {value}, source = "2021年县文件" }},\n'


def test_an_upper_bound_below_the_lower_names_its_line_key_and_what_to_write(tmp_path):
    path, line = county(tmp_path, "value = 4000,", "value = 3000,")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行 upper_bound.values[0].value:lower_bound(3218)在 2019 收入年度不低于" in flat(result)
    assert "请在这一行写一个高于 3218 的上限" in flat(result)


def test_a_later_upper_entry_below_the_lower_is_the_line_named(tmp_path):
    old = '"但未达到4000元\\"" },\n'
    path, _ = county(tmp_path, old, old + upper_entry(3100))
    line = DEFAULT_TEXT[:DEFAULT_TEXT.index(old)].count("\n") + 2
    result = run("rules", "check", path, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"line {line}, upper_bound.values[1].value: lower_bound (3218) is not below upper_bound (3100)" \
        in flat(result), result.output
    assert "Write an upper bound above 3218 on this line" in flat(result)


def test_a_later_lower_entry_reaching_the_upper_is_the_line_named(tmp_path):
    old = "由县里在本县规则文件中改写\" },\n"
    new = old + '  { effective = 2020-01-01, value = 4000, source = "国家2020年标准" },\n'
    path, _ = county(tmp_path, old, new)
    line = DEFAULT_TEXT[:DEFAULT_TEXT.index(old)].count("\n") + 2
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行 lower_bound.values[4].value:lower_bound(4000)在 2020 收入年度" in flat(result)
    assert "请在这一行写一个低于 4000 的下限,或删去这一条" in flat(result)


def test_a_full_width_comma_after_a_date_is_said_as_the_comma(tmp_path):
    path, line = county(tmp_path, "effective = 2019-01-01, value = 3218,", "effective = 2019-01-01，value = 3218,")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行:不是有效的 TOML:这一行有中文(全角)标点「，」" in flat(result), result.output
    assert "不是有效日期" not in flat(result)


@pytest.mark.parametrize("key", ["低保户", "低保"])
def test_a_key_in_chinese_is_told_the_keys_of_its_table(tmp_path, key):
    path, line = county(tmp_path, "\ndibao = true", f"\n{key} = true")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    text = flat(result)
    assert f"第 {line} 行:不是有效的 TOML:项名「{key}」不能用中文:[exclude] 的项只能是 dibao、tekun、registered_poor" \
        in text, text
    assert "不是“项 = 值”" not in text


def test_a_key_in_chinese_where_keys_are_the_countys_words_is_told_to_quote_it(tmp_path):
    path, _ = county(tmp_path, '"因病" = ["health"]', '因病 = ["health"]')
    result = run("rules", "check", path)
    assert result.exit_code == 1 and '中文的项名要加英文双引号:写成 "因病" = …' in flat(result), result.output


def test_a_full_width_space_before_a_key_is_named(tmp_path):
    path, line = county(tmp_path, "\ndibao = true", "\n\u3000dibao = true")
    for lang, words in (("zh", f"第 {line} 行:不是有效的 TOML:这一行有全角空格"), ("en", "has a full-width space")):
        result = run("rules", "check", path, "--lang", lang)
        assert result.exit_code == 1 and words in flat(result), result.output


def test_a_tolerance_too_large_to_load_is_said_without_python_words(tmp_path):
    path, line = county(tmp_path, "amount_tolerance = 1", "amount_tolerance = 100000000")
    result = run("rules", "check", path)
    text = flat(result)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行 checks.amount_tolerance:必须小于 10000000" in text, text
    assert "Decimal" not in text and "元/人·年" not in text


@pytest.mark.parametrize("old, new, key, words", [
    ("head_age_min = 16", "head_age_min = 120", "checks.head_age_min", "head_age_min(120)须小于 head_age_max(110)"),
    ("working_age_max = 60", "working_age_max = 10", "exit.working_age_max", "working_age_max"),
    ("\ndibao = true", "\ndibao = false", "rosters.dibao", "exclude.dibao = false"),
])
def test_two_keys_that_contradict_name_a_keys_line(tmp_path, old, new, key, words):
    path, _ = county(tmp_path, old, new)
    text = path.read_text(encoding="utf-8").splitlines()
    want = key.split(".")[-1]
    table = "[" + key.split(".")[0] + "]"
    start = text.index(table)
    line = next(i for i in range(start, len(text)) if text[i].startswith(f"{want} =")) + 1
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行 {key}:" in flat(result) and words in flat(result), result.output


@pytest.mark.parametrize("ceiling", ["4000", "3500", "1"])
def test_a_ceiling_at_or_below_the_upper_bound_is_refused(tmp_path, ceiling):
    path, line = county(tmp_path, "per_capita_ceiling = 150000", f"per_capita_ceiling = {ceiling}")
    result = run("rules", "check", path)
    assert result.exit_code == 1, result.output
    assert f"第 {line} 行 checks.per_capita_ceiling:per_capita_ceiling({ceiling})不高于收入上限" in flat(result)


def test_a_head_age_max_under_18_is_refused(tmp_path):
    path, line = county(tmp_path, "head_age_max = 110", "head_age_max = 17")
    result = run("rules", "check", path, "--lang", "en")
    assert result.exit_code == 1, result.output
    assert f"line {line}, checks.head_age_max: head_age_max (17) is under 18" in flat(result), result.output


def test_a_tolerance_that_lets_any_total_pass_is_warned_of(tmp_path):
    path, _ = county(tmp_path, "amount_tolerance = 1", "amount_tolerance = 9999999")
    result = run("rules", "check", path)
    assert result.exit_code == 0, result.output
    assert "注意: checks.amount_tolerance = 9999999:合计与各项之和相差 9999999 元以内都算相符" in flat(result)
    plain, _ = county(tmp_path, "amount_tolerance = 1", "amount_tolerance = 2")
    assert "amount_tolerance" not in run("rules", "check", plain).output
