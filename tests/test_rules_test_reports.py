"""`edgescreen rules test` as a county clerk meets it (probe 5): a folder's case file that cannot be read
(saved as GBK by Notepad, a bracket missing) was passed over in silence and the run reported success;
a status written as the outputs name it (贫困边缘户候选) got pydantic's English; a case file's year the
rule set cannot screen advised --year, an option `rules test` does not have."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app

CASE = '''description = "本县用例"
rules = "本县.toml"
year = {year}

[[case]]
name = "一人 7299.99"
inputs = {{ residents = 1, wage_income = "7299.99" }}
expect = {{ status = "{status}", per_capita = "7299.99" }}
'''


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "240", "EDGESCREEN_LANG": "zh"})


def flat(result) -> str:
    return " ".join(result.output.split())


def county(tmp_path):
    assert run("rules", "new", tmp_path / "本县.toml", "--from", "monitoring").exit_code == 0


def test_a_folder_names_each_case_file_it_cannot_read_and_reports_no_success(tmp_path):
    county(tmp_path)
    good = CASE.format(year=2023, status="candidate")
    (tmp_path / "a_好.toml").write_text(good, encoding="utf-8")
    (tmp_path / "b_记事本.toml").write_bytes(good.replace("一人", "二人").encode("gbk"))
    (tmp_path / "c_少括号.toml").write_text(good.replace("[[case]]", "[[case]", 1), encoding="utf-8")
    result = run("rules", "test", tmp_path)
    assert result.exit_code == 2, result.output
    text = flat(result)
    assert "1 个用例中 1 个通过" in text  # the readable file still runs
    assert "b_记事本.toml" in text and "UTF-8" in text
    assert "c_少括号.toml 第 5 行" in text
    assert "有 2 个文件读不了" in text
    # The rule set beside the cases reads: it is passed over, not named.
    assert "本县.toml:" not in text


def test_a_status_by_its_chinese_name_is_taken_and_a_wrong_one_is_said_in_chinese(tmp_path):
    county(tmp_path)
    named = tmp_path / "named.toml"
    named.write_text(CASE.format(year=2023, status="贫困边缘户候选"), encoding="utf-8")
    result = run("rules", "test", named)
    assert result.exit_code == 0 and "1 个用例中 1 个通过" in flat(result), result.output
    wrong = tmp_path / "wrong.toml"
    wrong.write_text(CASE.format(year=2023, status="边缘户"), encoding="utf-8")
    result = run("rules", "test", wrong)
    assert result.exit_code == 2, result.output
    text = flat(result)
    assert "Input should be" not in text and "应为以下之一" in text and "candidate(或「贫困边缘户候选」)" in text


def test_a_year_the_rule_set_cannot_screen_points_at_the_year_line(tmp_path):
    county(tmp_path)
    path = tmp_path / "early.toml"
    path.write_text(CASE.format(year=2019, status="candidate"), encoding="utf-8")
    result = run("rules", "test", path)
    assert result.exit_code == 2, result.output
    text = flat(result)
    assert "--year" not in text and "early.toml 第 3 行" in text and "year = 2023" in text, text
