"""`rules test` as a county meets it: a misspelt status in a case file was refused without its line
(case[2].expect.status) while a bad year named its line; and in a folder, the files not run were
printed unwrapped, a status code split at the terminal's edge (exc|luded_tekun)."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app

CASES = '''description = "本县用例"
rules = "changchun-2019"
year = 2019

[[case]]
name = "一人 3500"
inputs = {{ residents = 1, wage_income = "3500" }}
expect = {{ status = "candidate", per_capita = "3500.00" }}

[[case]]
name = "一人 4000"
inputs = {{ residents = 1, wage_income = "4000" }}
expect = {{ status = "{status}", per_capita = "4000.00" }}
'''


def run(*args, columns=400):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": str(columns), "EDGESCREEN_LANG": "zh"})


def test_a_misspelt_status_names_its_line(tmp_path):
    path = tmp_path / "本县用例.toml"
    path.write_text(CASES.format(status="超限"), encoding="utf-8")
    result = run("rules", "test", path)
    assert result.exit_code == 2, result.output
    assert "第 13 行 case[1].expect.status:应为以下之一" in " ".join(result.output.split()), result.output


def test_a_folders_files_not_run_wrap_as_a_refusal_does(tmp_path):
    (tmp_path / "a_好.toml").write_text(CASES.format(status="above_limit"), encoding="utf-8")
    (tmp_path / "b_错.toml").write_text(CASES.format(status="超限"), encoding="utf-8")
    result = run("rules", "test", tmp_path, columns=80)
    assert result.exit_code == 2, result.output
    lines = result.output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("未运行"))
    said = lines[start:-1]
    assert len(said) > 3, result.output
    # Every later line goes in under the first, and no status code is cut at a line's end.
    assert all(line.startswith("  ") for line in said[1:]), result.output
    codes = ("excluded_dibao", "excluded_tekun", "excluded_registered", "invalid", "below_line", "candidate",
             "above_limit")
    for code in codes:
        assert any(code in line for line in said), (code, result.output)
