"""A blank form (the template, or a survey with its header and no household) is refused by check and
screen alike, exit 2 and nothing written: "no issue found, ready to send" of an empty form misleads."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from edgescreen.cli import app


@pytest.mark.parametrize("command", ["check", "screen"])
def test_a_blank_form_is_refused_not_passed(tmp_path, command):
    runner = CliRunner()
    form = tmp_path / "入户登记表.xlsx"
    assert runner.invoke(app, ["template", "-o", str(form), "--rows", "5"]).exit_code == 0
    out = tmp_path / "out"
    result = runner.invoke(app, [command, str(form), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "入户登记表.xlsx:表头下面没有任何农户(空表)" in result.output
    assert "可以报送" not in result.output and not out.exists()


def test_a_blank_form_among_filled_ones_is_said_and_keeps_the_verdict_from_ready(tmp_path):
    from survey_builders import household, write_workbook

    runner = CliRunner()
    folder = tmp_path / "各村"
    folder.mkdir()
    assert runner.invoke(app, ["template", "-o", str(folder / "a空表.xlsx"), "--rows", "5"]).exit_code == 0
    write_workbook(folder / "b已填.xlsx", [household()])
    out = tmp_path / "out"
    result = runner.invoke(app, ["check", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "a空表.xlsx: xlsx 文件,表头下没有任何农户(空表)" in said and "可以报送" not in said
    import openpyxl
    assert "但有空表" in openpyxl.load_workbook(out / "quality.xlsx")["概览"]["A2"].value
