"""Roster rows whose ID finds no one (brief H6): a valid ID that matches nobody while the name is in the
village is a 同村同名 lead (one of the two IDs may be mistyped), not silence; an authoritative roster
with rows but not one valid ID (Excel stored the column as numbers) is refused, not read as a roster
that lists nobody; and the valid IDs that find no one are counted and their rows named."""

from __future__ import annotations

import openpyxl

from survey_builders import household, make_id
from test_rosters import run, write_sheets, write_survey
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-01-01"


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _member(hh: dict, name: str, relation: str, person_id: str) -> dict:
    return {"乡(镇)": hh["乡(镇)"], "行政村": hh["行政村"], "户编号": hh["户编号"], "姓名": name,
            "与户主关系": relation, "身份证号": person_id, "是否常住": "是"}


def _county(tmp_path, wang_wage: int = 3300):
    """莫洋 and his wife 夏雨轩 in 三盛村; another 夏雨轩 in 开安村; 王秀英 in 三盛村 (a common name)."""
    mo, xia = make_id("19850819", serial=899), make_id("19880819", serial=900)
    other_xia, wang = make_id("19600902", serial=398), make_id("19620304", serial=901)
    mo_hh = household(**{"乡(镇)": "开安镇", "行政村": "三盛村", "户编号": "001", "户主姓名": "莫洋", "户主身份证号": mo,
                         "家庭人口数": 2, "家庭常住人口数": 2, "工资性收入": 6600})
    other_hh = household(**{"乡(镇)": "开安镇", "行政村": "开安村", "户编号": "002", "户主姓名": "罗艳",
                            "户主身份证号": make_id("19701102", serial=101), "家庭人口数": 2, "家庭常住人口数": 2,
                            "工资性收入": 6600})
    wang_hh = household(**{"乡(镇)": "开安镇", "行政村": "三盛村", "户编号": "003", "户主姓名": "王秀英",
                           "户主身份证号": wang, "家庭人口数": 1, "家庭常住人口数": 1,
                           "工资性收入": wang_wage})
    members = [_member(mo_hh, "莫洋", "户主", mo), _member(mo_hh, "夏雨轩", "配偶", xia),
               _member(other_hh, "罗艳", "户主", other_hh["户主身份证号"]), _member(other_hh, "夏雨轩", "配偶", other_xia),
               _member(wang_hh, "王秀英", "户主", wang)]
    survey = write_survey(tmp_path / "开安镇.xlsx", [mo_hh, other_hh, wang_hh], members)
    return survey, {"mo": mo, "xia": xia, "wang": wang}


def test_a_valid_id_matching_nobody_leads_to_the_same_name_in_the_village(tmp_path):
    """The 低保 roster lists 莫洋 and 夏雨轩 of 三盛村 under valid IDs whose serial digits differ from the
    survey's: a lead on their household (not an exclusion), not on 开安村's 夏雨轩. Another 王秀英 of
    三盛村 under an ID of another birth date is another person: no lead, and counted as not found."""
    survey, ids = _county(tmp_path)
    mistyped_mo = make_id("19850819", serial=999)
    mistyped_xia = make_id("19880819", serial=902)
    roster = write_sheets(tmp_path / "低保.xlsx", {"开安镇": (["村", "姓名", "身份证号"], [
        ["三盛村", "夏雨轩", mistyped_xia], ["三盛村", "莫洋", mistyped_mo],
        ["三盛村", "王秀英", make_id("19450101", serial=5)]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["status"].tolist() == ["candidate", "candidate", "candidate"], ledger["status"].tolist()
    said = " ".join(result.output.split())
    # One household with a lead (莫洋's), and the one 王秀英 of the roster found nowhere.
    assert "1 户有同村同名线索" in said, said
    assert "上另有 1 人在调查的农户中找不到" in said, said
    book = openpyxl.load_workbook(out / "villages" / "开安镇-三盛村.xlsx")
    verify = _text(book["核实清单"])
    assert "户主 莫洋" in verify and "配偶 夏雨轩" in verify and "低保(同名)" in verify, verify
    assert "王秀英" not in verify, verify
    assert "核实清单" not in openpyxl.load_workbook(out / "villages" / "开安镇-开安村.xlsx").sheetnames
    quality = openpyxl.load_workbook(out / "quality.xlsx")
    rosters = _text(quality["信息比对"])
    assert "另有 1 户仅与名单上的人同村同名" in rosters, rosters
    files = _text(quality["文件情况"])
    # The two leads are said as leads; only 王秀英's row is not found.
    assert "名单上另有 1 人在调查的农户中找不到" in files and "工作表「开安镇」第 4 行" in files, files
    explained = run("explain", survey, "--name", "莫洋", "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert "莫洋" in explained.output and "第 3 行" in explained.output, explained.output


def test_an_authoritative_roster_without_one_valid_id_is_refused(tmp_path):
    """特困 with its ID column stored as numbers by Excel and no 村 column: refused (exit 2), nothing written,
    the register as it was; the same file as a 车辆 roster (a flag) is a warning."""
    first = tmp_path / "first"
    first.mkdir()
    db = tmp_path / "县.db"
    assert run("screen", _county(first, wang_wage=3200)[0], "-o", first / "out", "--as-of", AS_OF, "--register", db,
               "--date", "2019-11-20").exit_code == 0
    before = db.read_bytes()
    survey, ids = _county(tmp_path)  # surveyed again (王秀英's wage corrected): a second round, but for the roster
    roster = write_sheets(tmp_path / "特困.xlsx", {"Sheet1": (["姓名", "身份证号", "供养方式"], [
        ["莫洋", float(ids["mo"][:17] + "0"), "分散供养"], ["王秀英", float(ids["wang"][:17] + "0"), "分散供养"]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"特困={roster}", "--register", db,
                 "--date", "2019-11-21", env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "特困.xlsx(特困供养人员名单):2 行的身份证号没有一个有效(身份证号存成了数字而不是文本" in said, said
    assert "2.20122E+17" in said and "没有读入它" in said, said
    assert not out.exists()
    assert db.read_bytes() == before
    # Without that roster the same run records its round: the register was left as it was by the refusal.
    assert run("screen", survey, "-o", out, "--as-of", AS_OF, "--register", db, "--date", "2019-11-21").exit_code == 0
    assert db.read_bytes() != before
    flagged = run("screen", survey, "-o", tmp_path / "flag", "--as-of", AS_OF, "--roster", f"车辆={roster}",
                  env={"COLUMNS": "300"})
    assert flagged.exit_code == 0, flagged.output
    assert "2 行的身份证号无效" in " ".join(flagged.output.split()), flagged.output


def test_flag_roster_counts_its_ids_found_nowhere_in_its_fact(tmp_path):
    """A 车辆 roster of two valid IDs, one the head's, one nobody's: its fact says 1 is found in no
    household; there is no line of its own, and nothing on the terminal."""
    survey, ids = _county(tmp_path)
    roster = write_sheets(tmp_path / "车.xlsx", {"车辆": (["姓名", "身份证号"], [
        ["王秀英", ids["wang"]], ["陈九", make_id("19550505", serial=7)]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "在调查的农户中找不到" not in " ".join(result.output.split()), result.output
    files = _text(openpyxl.load_workbook(out / "quality.xlsx")["文件情况"])
    assert "有效身份证号 2 个,其中 1 个在调查的农户中找不到" in files, files
    assert "名单上另有" not in files, files
