"""A rules file whose [income] components leave out property_income passed `rules check` without a
word, and `screen` then ignored the survey's 财产性收入 column in silence: on a survey that gives
家庭总收入 too, nearly every household became invalid with total_income_mismatch (an outside try)."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.rules import rules_dir

DEFAULT_TEXT = (rules_dir() / "changchun-2019.toml").read_text(encoding="utf-8")
ALL_FOUR = 'components = ["wage_income", "business_income", "property_income", "transfer_income"]'


def run(*args, lang="zh"):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400", "EDGESCREEN_LANG": lang})


def flat(result) -> str:
    return " ".join(result.output.split())


def no_property(tmp_path):
    path = tmp_path / "本县.toml"
    assert ALL_FOUR in DEFAULT_TEXT
    path.write_text(DEFAULT_TEXT.replace(ALL_FOUR, ALL_FOUR.replace(' "property_income",', "")), encoding="utf-8")
    return path


def test_rules_check_warns_of_a_component_the_plan_counts(tmp_path):
    result = run("rules", "check", no_property(tmp_path))
    assert result.exit_code == 0, result.output
    text = flat(result)
    assert "[income] 的 components 里没有 property_income(「财产性收入」),而方案的公式计入这一项:" \
        "家庭总收入 = 工资性收入 + 家庭经营收入 + 财产性收入 + 转移性收入" in text, text
    english = flat(run("rules", "check", no_property(tmp_path), "--lang", "en"))
    assert "[income] components leaves out property_income" in english, english
    default = tmp_path / "默认.toml"
    default.write_text(DEFAULT_TEXT, encoding="utf-8")
    assert "components" not in run("rules", "check", default).output


def test_screen_names_the_filled_column_the_rules_file_does_not_count(tmp_path):
    rules = no_property(tmp_path)
    rows = [household(**{"户主身份证号": make_id(serial=s), "工资性收入": 9000, "财产性收入": 600,
                         "家庭总收入": 9600}) for s in (11, 12)]
    rows.append(household(**{"户主身份证号": make_id(serial=13), "工资性收入": 9000, "财产性收入": 0,
                             "家庭总收入": 9000}))
    survey = write_workbook(tmp_path / "s.xlsx", rows)
    result = run("screen", survey, "--rules", rules, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    text = flat(result)
    assert "列「财产性收入」有 2 户填了金额,但规则文件" in text and f"{rules} 不计入这一项" in text, text
    assert "其中2户另填的「家庭总收入」计入了这项金额" in "".join(text.split()), text
    # The default rules count it: nothing said.
    said = flat(run("screen", survey, "-o", tmp_path / "out2"))
    assert "不计入这一项" not in said, said
