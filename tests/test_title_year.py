"""A survey whose title names its income year (合隆镇2020年度贫困边缘户入户登记表) screened as another year:
--year left out (the rule set's latest, 2019) or mistyped. Before: recorded as a 2019 round without a word
(an outside try of three years)."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


@pytest.fixture
def survey(tmp_path):
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household()], layout="title")
    wb = openpyxl.load_workbook(path)
    wb.active["A1"] = "合隆镇2020年度贫困边缘户入户登记表"  # its 填报日期:2019年12月 below is a day, not a year's income
    wb.save(path)
    return path


def facts(folder):
    rows = openpyxl.load_workbook(folder / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)
    return [" ".join(c for c in row if isinstance(c, str)) for row in rows]


@pytest.mark.parametrize("command", ["screen", "check"])
def test_a_title_naming_another_year_is_said(survey, tmp_path, command):
    said = run(command, survey, "-o", tmp_path / "out")
    words = "表头写的是 2020 年度,本次却按 2019 年度的标准筛查:如果调查的是 2020 年度的收入,请加 --year 2020 重新运行"
    assert words in said, said
    assert any(words in fact for fact in facts(tmp_path / "out")), facts(tmp_path / "out")


def test_the_year_the_title_names_is_said_nothing_of(survey, tmp_path):
    said = run("screen", survey, "-o", tmp_path / "out", "--year", "2020")
    assert "表头写的是" not in said, said
    assert not any("表头写的是" in fact for fact in facts(tmp_path / "out"))


def test_a_year_after_every_figures_own_says_the_figures_carried_on(tmp_path):
    """The decisions try: --year 2020 on changchun-2019 used the 2019 line (3218) without a word; the rule
    set has no 2020 line on purpose (the national line then reached 4000)."""
    path = write_workbook(tmp_path / "s.xlsx", [household()])
    said = run("screen", path, "-o", tmp_path / "a", "--year", "2020")
    assert "2020 年度沿用规则集 changchun-2019 中自 2019-01-01 起施行的标准(高于 3218 元、低于 4000 元)" in said, said
    assert "沿用" not in run("screen", path, "-o", tmp_path / "b", "--year", "2019")


def test_a_rule_set_without_a_lower_bound_says_its_upper_alone_when_carried_on(tmp_path):
    """Under monitoring (no lower bound) the notice read 高于 — 元 (an outside try of county rules)."""
    path = write_workbook(tmp_path / "s.xlsx", [household()])
    said = run("screen", path, "-o", tmp_path / "a", "--rules", "monitoring", "--year", "2024")
    assert "2024 年度沿用规则集 monitoring 中自 2023-01-01 起施行的标准(低于 7300 元)" in said and "高于" not in said, said
