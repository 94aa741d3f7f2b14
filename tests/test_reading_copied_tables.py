"""A sheet whose households are, row for row, those of other sheets read (a 全镇汇总 copying each
village's sheet), or a file that repeats another (the .xlsx an .xls was saved as, both in the folder):
refused, as a file given twice is, naming the copy and what it copies, once (read._copied_tables),
rather than every household counted twice and all invalid. Tables that merely share households are
read as ever, the shared ones duplicates."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_csv, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _flat(output: str) -> str:
    return "".join(output.split())


def _villages():
    return (households(2, 行政村="陈家店村", 工资性收入=9000),
            households(2, first_serial=3, 行政村="前岗村", 工资性收入=11000))


def test_a_sheet_copying_the_villages_sheets_is_refused_naming_both(tmp_path):
    chen, qian = _villages()
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"全镇汇总": chen + qian, "陈家店村": chen, "前岗村": qian})
    for command in ("screen", "check"):
        out = tmp_path / command
        result = CliRunner().invoke(app, [command, str(path), "-o", str(out)])
        said = _flat(result.output)
        assert result.exit_code == 2, result.output
        assert said.count("工作表「全镇汇总」的4户与工作表「陈家店村」、工作表「前岗村」逐户完全相同") == 1, said
        assert "请删除或隐藏工作表「全镇汇总」" in said, said
        assert not (out / "decisions.csv").exists()

    english = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "en"), "--lang", "en"])
    assert english.exit_code == 2 and "sheet “全镇汇总”: its 4 households are" in " ".join(english.output.split())

    # A 汇总 with one household more is a table of its own that shares 4: read, the 4 twice invalid as ever.
    extra = households(1, first_serial=5, 行政村="前岗村")
    other = write_workbook(tmp_path / "华家镇.xlsx", {"全镇汇总": chen + qian + extra, "陈家店村": chen, "前岗村": qian})
    out = tmp_path / "other"
    result = CliRunner().invoke(app, ["screen", str(other), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "逐户完全相同" not in _flat(result.output)
    statuses = read_ledger(out / "decisions.csv")["status"]
    assert len(statuses) == 9 and (statuses == "invalid").sum() == 8


def test_a_file_saved_again_beside_it_is_refused_naming_both(tmp_path):
    chen, qian = _villages()
    folder = tmp_path / "乡镇上报"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", chen + qian, layout="title")
    write_csv(folder / "合隆镇.csv", chen + qian)  # the same table exported again
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(tmp_path / "out")])
    said = _flat(result.output)
    assert result.exit_code == 2, result.output
    assert said.count("其中的农户与合隆镇.csv逐户完全相同") == 1, said
    assert "合隆镇.xlsx:其中的农户" in said and "请只给其中一份" in said, said
    assert not (tmp_path / "out" / "decisions.csv").exists()

    # A village's own file beside the township's, which holds it and another village: two tables
    # sharing households, read as ever (the village's table is no copy of the township's whole).
    other = tmp_path / "华家镇"
    other.mkdir()
    write_workbook(other / "华家镇.xlsx", chen + qian)
    write_workbook(other / "前岗村.xlsx", qian)
    out = tmp_path / "shared"
    result = CliRunner().invoke(app, ["screen", str(other), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "逐户完全相同" not in _flat(result.output)
    assert len(read_ledger(out / "decisions.csv")) == 6
