"""Last year's survey left in the folder beside this year's (read._earlier_year_files): a file whose
title names an earlier 年度 than another file's that holds most of its households is refused, both
years named; files of different years that share no households are each read as ever."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from field_builders import households
from survey_builders import HEADERS
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _survey(path, title: str, rows: list[dict]):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合隆镇"
    ws.append([title])
    ws.append(HEADERS)
    for row in rows:
        ws.append([row.get(h, "") for h in HEADERS])
    book.save(path)
    return path


def _said(result) -> str:
    return " ".join(result.output.split()).replace(" ", "")


def test_last_years_file_beside_this_years_is_refused_naming_both_years(tmp_path):
    folder = tmp_path / "合隆镇"
    folder.mkdir()
    this_year = households(6)
    # Last year: five of the same heads (one household is new this year), incomes a little lower.
    last_year = households(5, 工资性收入=9000)
    _survey(folder / "合隆镇.xlsx", "农安县2020年度贫困边缘户入户登记表", this_year)
    _survey(folder / "2019合隆镇.xlsx", "农安县2019年度贫困边缘户入户登记表", last_year)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(out), "--year", "2020"])
    assert result.exit_code != 0
    said = _said(result)
    assert ("2019合隆镇.xlsx:表头写的是2019年度,它的5户中有5户也在表头为2020年度的合隆镇.xlsx里,"
            "像是上一年度的调查表") in said, said
    assert "请把合隆镇/2019合隆镇.xlsx移出所给的文件夹" in said or "请把2019合隆镇.xlsx移出所给的文件夹" in said, said
    assert not out.exists()  # nothing half-screened: the folder is put right first

    # Taken out, this year's is screened: six households, none a duplicate.
    (folder / "2019合隆镇.xlsx").unlink()
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(out), "--year", "2020"])
    assert result.exit_code == 0, result.output
    assert len(read_ledger(out / "decisions.csv")) == 6


def test_files_of_two_years_sharing_no_households_are_both_read(tmp_path):
    # A township typed last year's year into its title by mistake: its households are its own.
    _survey(tmp_path / "合隆镇.xlsx", "农安县2020年度贫困边缘户入户登记表", households(4))
    _survey(tmp_path / "烧锅镇.xlsx", "农安县2019年度贫困边缘户入户登记表",
            households(4, first_serial=20, **{"乡(镇)": "烧锅镇"}))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(tmp_path / "合隆镇.xlsx"), str(tmp_path / "烧锅镇.xlsx"),
                                      "-o", str(out), "--year", "2020"])
    assert result.exit_code == 0, result.output
    assert len(read_ledger(out / "decisions.csv")) == 8
    assert "表头写的是 2019 年度" in result.output.replace("\n", "")  # the title-year note, as ever
