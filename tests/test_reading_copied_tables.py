"""A sheet whose households all stand, row for row, on other sheets read (a 全镇汇总 copying each
village's sheet, a 候选户 sheet picked from them), or a file that repeats another (the .xlsx an .xls was
saved as, a village's file beside the township's that holds it): refused, as a file given twice is,
naming the copy and what it copies, once (read._copied_tables), rather than every household counted
twice and all invalid. A household is compared by its ID, name, counts and amounts (a copy without
the phone column, or made by formulas showing 0 for a blank, is still one). Tables that merely share
households, one of them different, are read as ever, the shared ones duplicates."""

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
        assert said.count("工作表「全镇汇总」的4户都在工作表「陈家店村」、工作表「前岗村」里,逐户完全相同") == 1, said
        assert "请删除或隐藏工作表「全镇汇总」" in said, said
        assert not (out / "decisions.csv").exists()

    english = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "en"), "--lang", "en"])
    assert english.exit_code == 2 and "sheet “全镇汇总”: its 4 households are all in" in " ".join(english.output.split())

    # A 汇总 with one household more holds every village's: the villages' sheets are the copies then,
    # each named (one file: one file refused).
    extra = households(1, first_serial=5, 行政村="前岗村")
    other = write_workbook(tmp_path / "华家镇.xlsx", {"全镇汇总": chen + qian + extra, "陈家店村": chen, "前岗村": qian})
    said = _flat(CliRunner().invoke(app, ["screen", str(other), "-o", str(tmp_path / "other")]).output)
    assert "1个文件不能读入" in said and "工作表「陈家店村」的2户都在工作表「全镇汇总」里" in said, said
    assert "工作表「前岗村」的2户都在工作表「全镇汇总」里" in said, said

    # One household different (corrected in the 汇总 only): no copy, but two versions of the village's
    # table, refused naming the row that differs (read, each household counted twice; read._near_copies).
    fixed = [dict(qian[0], 工资性收入=9500), qian[1]]
    mixed = write_workbook(tmp_path / "双营子乡.xlsx", {"全镇汇总": chen + fixed, "前岗村": qian})
    out = tmp_path / "mixed"
    result = CliRunner().invoke(app, ["screen", str(mixed), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert ("工作表「前岗村」的2户都在双营子乡.xlsx工作表「全镇汇总」里,其中1户逐户相同,1户不同(第2行户主3,另一份第4行)"
            in _flat(result.output)), result.output
    assert not (out / "decisions.csv").exists()

    # Every household of the village's table different in the 汇总 (another year's figures): read as ever.
    other_year = [dict(r, 工资性收入=9500) for r in qian]
    apart = write_workbook(tmp_path / "太平镇.xlsx", {"全镇汇总": chen + other_year, "前岗村": qian})
    out = tmp_path / "apart"
    result = CliRunner().invoke(app, ["screen", str(apart), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_ledger(out / "decisions.csv")) == 6


def test_a_candidates_sheet_and_a_summary_by_formulas_without_the_phone_are_copies(tmp_path):
    """An outside try: a 候选户 sheet repeating the candidates picked from the villages made every one of
    them a duplicate (0 candidates); a 汇总 made by formulas (a blank shown as 0) or without the phone
    and 填表人 columns was no exact copy, and half the households were 数据有误."""
    chen, qian = _villages()
    picked = write_workbook(tmp_path / "合隆镇.xlsx", {"陈家店村": chen, "前岗村": qian, "候选户": [chen[0], qian[1]]})
    said = _flat(CliRunner().invoke(app, ["screen", str(picked), "-o", str(tmp_path / "a")]).output)
    assert "工作表「候选户」的2户都在工作表「陈家店村」、工作表「前岗村」里" in said, said
    assert "请删除或隐藏工作表「候选户」" in said, said

    shown = [dict(r, 财产性收入=0, 联系电话="", 填表人="") for r in chen + qian]  # =前岗村!B5 over a blank: 0
    blank = [dict(r, 财产性收入="") for r in chen + qian]
    summary = write_workbook(tmp_path / "华家镇.xlsx", {"全镇汇总": shown, "陈家店村": blank[:2], "前岗村": blank[2:]})
    said = _flat(CliRunner().invoke(app, ["screen", str(summary), "-o", str(tmp_path / "b")]).output)
    assert "工作表「全镇汇总」的4户都在工作表「陈家店村」、工作表「前岗村」里" in said, said


def test_a_file_saved_again_beside_it_is_refused_naming_both(tmp_path):
    chen, qian = _villages()
    folder = tmp_path / "乡镇上报"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", chen + qian, layout="title")
    write_csv(folder / "合隆镇.csv", chen + qian)  # the same table exported again
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(tmp_path / "out")])
    said = _flat(result.output)
    assert result.exit_code == 2, result.output
    assert said.count("其中的4户都在合隆镇.csv里,逐户完全相同") == 1, said
    assert "请把合隆镇.xlsx移出所给的文件夹" in said, said
    assert not (tmp_path / "out" / "decisions.csv").exists()

    # A village's own file beside the township's, which holds it: the village's file is the copy
    # (an outside try: the township's own sheet was named, and one file counted as two).
    other = tmp_path / "华家镇"
    other.mkdir()
    write_workbook(other / "华家镇.xlsx", {"陈家店村": chen, "前岗村": qian})
    write_workbook(other / "前岗村.xlsx", qian)
    said = _flat(CliRunner().invoke(app, ["screen", str(other), "-o", str(tmp_path / "shared")]).output)
    assert "前岗村.xlsx:其中的2户都在华家镇.xlsx里" in said and "请把前岗村.xlsx移出所给的文件夹" in said, said


def test_two_files_whose_yes_no_cells_differ_are_no_exact_copy(tmp_path):
    """From an outside try: 合隆镇.xlsx (是否低保户 by a lookup, #N/A for one household) beside an older copy
    where that household's 是否低保户 is typed 是 was said to be "逐户完全相同", and the file with the #N/A
    the one to take away, though which holds is the clerk's to say. Yes/no cells are compared too; a
    formula over a blank showing 0 is still blank."""
    chen, qian = _villages()
    folder = tmp_path / "乡镇上报"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", chen + qian)
    write_workbook(folder / "合隆镇 - 副本.xlsx", [dict(r, 是否低保户="是") if i == 1 else r
                                                 for i, r in enumerate(chen + qian)])
    said = _flat(CliRunner().invoke(app, ["screen", str(folder), "-o", str(tmp_path / "out")]).output)
    assert "逐户完全相同" not in said and "其中3户逐户相同,1户不同" in said, said
    shown = tmp_path / "汇总"
    shown.mkdir()
    write_workbook(shown / "合隆镇.xlsx", [dict(r, 是否特困人员="") for r in chen + qian])
    write_workbook(shown / "合隆镇汇总.xlsx", [dict(r, 是否特困人员=0) for r in chen + qian])  # =B5 over a blank
    said = _flat(CliRunner().invoke(app, ["screen", str(shown), "-o", str(tmp_path / "out2")]).output)
    assert "逐户完全相同" in said, said


def test_a_copy_is_said_to_copy_the_sheets_kept_not_another_copy(tmp_path):
    """A 全镇汇总 and a 候选户 sheet beside the villages': both are copies, and the 汇总 is said to copy
    the villages' sheets (before: 「候选户」 too, itself taken out as a copy)."""
    chen, qian = _villages()
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"全镇汇总": chen + qian, "陈家店村": chen, "前岗村": qian,
                                                   "候选户": [chen[0], qian[1]]})
    said = _flat(CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "out")]).output)
    assert "工作表「全镇汇总」的4户都在工作表「陈家店村」、工作表「前岗村」里" in said, said
    assert "工作表「候选户」的2户都在工作表「陈家店村」、工作表「前岗村」里" in said, said
