"""Two versions of one table (read._near_copies): a township's file sent twice, one household corrected
in the later copy, is refused naming both files, how many households are the same and the rows that
differ; tables that share households with most of them different (two years' surveys) are read."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger
from test_earlier_year_file import _said


def test_a_file_sent_twice_with_one_household_corrected_is_refused_naming_it(tmp_path):
    folder = tmp_path / "收到的"
    folder.mkdir()
    first = households(8)
    corrected = households(8)
    corrected[4]["转移性收入"] = 1800  # 户主5, row 6: income corrected in the later copy
    corrected[4]["家庭总收入"] = 11800
    write_workbook(folder / "伏龙泉镇.xlsx", first)
    write_workbook(folder / "伏龙泉镇(修改后).xlsx", corrected)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(out)])
    assert result.exit_code != 0
    said = _said(result)
    assert ("伏龙泉镇.xlsx的8户都在伏龙泉镇(修改后).xlsx里,其中7户逐户相同,1户不同"
            "(第6行户主5,另一份第6行):像是同一份表的两个版本") in said, said
    assert not out.exists()

    # The right one given alone: eight households, one each.
    (folder / "伏龙泉镇.xlsx").unlink()
    assert CliRunner().invoke(app, ["screen", str(folder), "-o", str(out)]).exit_code == 0
    assert len(read_ledger(out / "decisions.csv")) == 8


def test_a_village_file_beside_the_townships_with_a_household_corrected_is_named(tmp_path):
    township = households(10)
    village = households(4, first_serial=3)
    village[2]["工资性收入"] = 10500  # 户主5: corrected in the village's own file only
    village[2]["家庭总收入"] = 10500
    write_workbook(tmp_path / "合隆镇.xlsx", township)
    write_workbook(tmp_path / "前岗村.xlsx", village)
    result = CliRunner().invoke(app, ["screen", str(tmp_path / "合隆镇.xlsx"), str(tmp_path / "前岗村.xlsx"),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    said = _said(result)
    assert "前岗村.xlsx的4户都在合隆镇.xlsx里,其中3户逐户相同,1户不同(第4行户主5,另一份第6行)" in said, said


def test_tables_sharing_households_with_most_different_are_read_as_duplicates(tmp_path):
    # Last year's survey without a year in its title: the same heads, incomes grown in most rows.
    this_year = households(6)
    last_year = households(6, 工资性收入=9000)
    last_year[0]["工资性收入"] = 10000
    write_workbook(tmp_path / "2020.xlsx", this_year)
    write_workbook(tmp_path / "2019.xlsx", last_year)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(tmp_path / "2020.xlsx"), str(tmp_path / "2019.xlsx"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_ledger(out / "decisions.csv")) == 12  # read, each a duplicate_household, as before
