"""Two versions of one file (read._two_versions): a township's uncorrected workbook left in the folder
beside the corrected one, most village sheets the same, some with a household corrected (a figure, a
head's ID). From an outside try: the unchanged sheets of the CORRECTED file were refused one by one as
"copies" of the old file's, the header counting one file per sheet; once those were hidden, the sheet
whose head ID was corrected was read twice (110 rows, 95 数据有误). Now one refusal names both files,
how many households are the same and the rows that differ; a sheet whose only change is a corrected
ID is still a near copy (read._near_copies), and the refusals are counted by file."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _said(result) -> str:
    return "".join(result.output.split())


def _township(corrected: bool) -> dict[str, list[dict]]:
    """哈拉海镇's village sheets, 4 households each (rows 2-5); the corrected version changes
    前进村's second household's wage, 红旗村's third head's ID, and adds a household to 光明村."""
    villages = ("哈拉海村", "前进村", "红旗村", "民主村", "光明村")
    sheets = {name: households(4, first_serial=1 + 4 * k, **{"乡(镇)": "哈拉海镇", "行政村": name})
              for k, name in enumerate(villages)}
    if corrected:
        sheets["前进村"][1] = dict(sheets["前进村"][1], 工资性收入=12000, 家庭总收入=12000)
        sheets["红旗村"][2] = dict(sheets["红旗村"][2], 户主身份证号=make_id(birth="19630609", serial=77))
        sheets["光明村"].append(households(1, first_serial=90, **{"乡(镇)": "哈拉海镇", "行政村": "光明村"})[0])
    else:
        sheets["红旗村"][2] = dict(sheets["红旗村"][2], 户主身份证号=make_id(birth="19631609", serial=77))
    return sheets


def test_an_old_version_of_a_file_beside_the_corrected_one_is_refused_once_naming_both(tmp_path):
    folder = tmp_path / "调查"
    folder.mkdir()
    write_workbook(folder / "哈拉海镇.xlsx", _township(corrected=True))
    write_workbook(folder / "哈拉海镇(改前).xlsx", _township(corrected=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(out)])
    said = _said(result)
    assert result.exit_code == 2, result.output
    # One message for the two files, neither called the other's copy, no sheet refused one by one.
    assert said.count("两个版本") == 1, said
    assert "副本" not in said and "个文件不能读入" not in said and "请删除或隐藏工作表" not in said, said
    assert ("哈拉海镇(改前).xlsx与哈拉海镇.xlsx像是同一份表的两个版本(其中一份改过):两份都有的20户中,18户逐户相同,"
            "2户不同(工作表「前进村」第3行户主6,另一份第3行、工作表「红旗村」第4行户主11,另一份第4行);"
            "另有1户只在哈拉海镇.xlsx里") in said, said
    assert "只留改好的那一份,把另一份移出所给的文件夹" in said, said
    assert not (out / "decisions.csv").exists()

    english = " ".join(CliRunner().invoke(app, ["screen", str(folder), "-o", str(tmp_path / "en"),
                                                "--lang", "en"]).output.split())
    assert "look like two versions of one table" in english and "sheet “红旗村” row 4, 户主11" in english, english

    # The old one moved out: each household read once.
    (folder / "哈拉海镇(改前).xlsx").rename(tmp_path / "哈拉海镇(改前).xlsx")
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(read_ledger(out / "decisions.csv")) == 21


def test_a_sheet_whose_only_change_is_a_corrected_head_id_is_a_near_copy(tmp_path):
    # Before: the pair was matched by ID alone, the corrected household stood apart and the other
    # seven were the same: no near copy, all sixteen rows read, fifteen of them duplicates.
    old = households(8, **{"行政村": "红旗村"})
    new = [dict(r) for r in old]
    new[4]["户主身份证号"] = make_id(birth="19630609", serial=55)
    write_workbook(tmp_path / "红旗村.xlsx", new)
    write_workbook(tmp_path / "红旗村(旧).xlsx", old)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(tmp_path / "红旗村(旧).xlsx"), str(tmp_path / "红旗村.xlsx"),
                                      "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert ("红旗村.xlsx的8户都在红旗村(旧).xlsx里,其中7户逐户相同,1户不同(第6行户主5,另一份第6行)"
            in _said(result)), result.output
    assert not out.exists()


def test_near_copies_on_several_sheets_of_one_file_are_one_file_refused(tmp_path):
    # Two of a township's village sheets copied into another file with a household corrected in each
    # (the other file holding too few of the township's households to be a version of it).
    township = {name: households(4, first_serial=1 + 4 * k, **{"行政村": name})
                for k, name in enumerate(("前岗村", "陈家店村", "西岗村", "东岗村"))}
    picked = {name: [dict(r) for r in township[name]] for name in ("前岗村", "陈家店村")}
    picked["前岗村"][0]["工资性收入"] = 10500
    picked["陈家店村"][3]["工资性收入"] = 9500
    write_workbook(tmp_path / "合隆镇.xlsx", township)
    write_workbook(tmp_path / "合隆镇(补).xlsx", picked)
    result = CliRunner().invoke(app, ["screen", str(tmp_path / "合隆镇.xlsx"), str(tmp_path / "合隆镇(补).xlsx"),
                                      "-o", str(tmp_path / "out")])
    said = _said(result)
    assert result.exit_code == 2, result.output
    assert said.startswith("edgescreen:1个文件不能读入"), said
    assert said.count("像是同一份表的两个版本") == 2, said


def test_two_files_of_one_sheet_each_holding_a_household_the_other_lacks_are_two_versions(tmp_path):
    """前进村.xlsx and 前进村(改).xlsx: the corrected one adds a household, corrects a figure and drops one
    that moved away; neither sheet holds the other's whole (no near copy), so only the two versions'
    check pairs them: refused once, never read twice."""
    old = households(8, first_serial=1, **{"乡(镇)": "哈拉海镇", "行政村": "前进村"})
    new = [dict(h) for h in old[:7]]
    new[2] = dict(new[2], 工资性收入=12000, 家庭总收入=12000)
    new.append(households(1, first_serial=90, **{"乡(镇)": "哈拉海镇", "行政村": "前进村"})[0])
    folder = tmp_path / "调查"
    folder.mkdir()
    write_workbook(folder / "前进村.xlsx", old)
    write_workbook(folder / "前进村(改).xlsx", new)
    result = CliRunner().invoke(app, ["screen", str(folder), "-o", str(tmp_path / "out")])
    said = _said(result)
    assert result.exit_code == 2, result.output
    assert said.count("两个版本") == 1 and "两份都有的7户中,6户逐户相同,1户不同" in said, said
    assert "另有1户只在" in said and not (tmp_path / "out").exists(), said
