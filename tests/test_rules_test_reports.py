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
    assert "有 2 个文件读不了或填写有误" in text
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


def test_a_case_file_that_does_not_validate_leaves_the_folders_other_files_to_run(tmp_path):
    """Files in a folder run in name order: one with a wrong status or a year the rule set cannot screen,
    first in the folder, is named as not run, and the files after it still run."""
    county(tmp_path)
    (tmp_path / "a_状态写错.toml").write_text(CASE.format(year=2023, status="边缘户"), encoding="utf-8")
    (tmp_path / "b_年份早.toml").write_text(CASE.format(year=2019, status="candidate"), encoding="utf-8")
    (tmp_path / "c_好.toml").write_text(CASE.format(year=2023, status="candidate"), encoding="utf-8")
    result = run("rules", "test", tmp_path)
    assert result.exit_code == 2, result.output
    text = flat(result)
    assert "1 个用例中 1 个通过" in text and "c_好.toml" in text
    assert "a_状态写错.toml" in text and "应为以下之一" in text
    assert "b_年份早.toml 第 3 行" in text
    assert "有 2 个文件读不了或填写有误" in text


def test_a_rule_set_that_does_not_load_is_said_once_for_a_folder(tmp_path):
    county(tmp_path)
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text(CASE.format(year=2023, status="candidate"), encoding="utf-8")
    result = run("rules", "test", tmp_path, "--rules", tmp_path / "没有这个.toml")
    assert result.exit_code == 2, result.output
    assert flat(result).count("没有这个.toml") == 1, result.output


def test_each_case_file_shows_statuses_in_its_own_rule_sets_words(tmp_path):
    """An outside try: the bundled changchun-2019 and monitoring case files run together showed the
    changchun cases as 防返贫监测对象候选, the words of the file run last."""
    import shutil
    from pathlib import Path

    bundled = Path(__file__).resolve().parents[1] / "rules" / "tests"
    for name in ("changchun-2019.toml", "monitoring.toml"):
        shutil.copy(bundled / name, tmp_path / name)
    said = run("rules", "test", tmp_path).output
    a, b = said.index("changchun-2019.toml"), said.index("monitoring.toml")
    changchun, monitoring = (said[a:b], said[b:]) if a < b else (said[a:], said[b:a])
    assert "贫困边缘户候选" in changchun and "防返贫监测对象候选" not in changchun, said
    assert "防返贫监测对象候选" in monitoring, said
