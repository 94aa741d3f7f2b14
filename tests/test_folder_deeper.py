"""A city's folder given (a province try, 2026-12-04): its counties' townships two levels down are not
read, and a 说明.txt beside the counties was the only thing the refusal named ("no household header").
The folders deeper down are named too, with what to give instead."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_workbook
from edgescreen.cli import app


def test_a_note_beside_folders_too_deep_is_not_all_the_refusal_says(tmp_path):
    city = tmp_path / "长春市"
    township = city / "农安县" / "合隆镇"
    township.mkdir(parents=True)
    write_workbook(township / "前岗村.xlsx", households(2))
    (city / "说明.txt").write_text("各县按乡镇文件夹报送", encoding="utf-8")
    result = CliRunner().invoke(app, ["screen", str(city), "-o", str(tmp_path / "out")], env={"COLUMNS": "400"})
    said = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "说明.txt:没有找到农户表头" in said and "更深一层的文件夹没有读入" in said and "农安县/合隆镇/" in said, said
    assert not (tmp_path / "out").exists()
