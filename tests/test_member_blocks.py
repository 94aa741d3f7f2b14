"""Members of a printed form, linked by block (no 户编号, no head's ID on the member rows: each row
belongs to the 户主 row above it). A block holds one spouse of its head: where a household's own 户主
row was left out, its members would fall under the household above, and a 低保 spouse among them
would exclude that household. From a second spouse on (even within the household's 家庭人口数), and
past the household's 家庭人口数, the rows are left unlinked and said."""

from __future__ import annotations

import json

import openpyxl
import pytest

from typer.testing import CliRunner

from survey_builders import household, make_id, write_csv_table, write_workbook
from test_rosters import write_sheets
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-06-30"


def test_a_block_missing_its_head_row_is_not_put_under_the_household_above(tmp_path):
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 家庭人口数=2, 家庭常住人口数=2)
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"), 家庭人口数=3)
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    spouse_b = make_id("19730303")
    block = write_sheets(tmp_path / "成员.xlsx", {"家庭成员登记表": (
        ["姓名", "与户主关系", "身份证号"],
        [["甲", "户主", a["户主身份证号"]], ["甲妻", "配偶", make_id("19720202")],
         # 乙's own 户主 row left out: his wife and son follow 甲's block
         ["乙妻", "配偶", spouse_b], ["乙子", "子", make_id("19960101")]])}, title="合隆镇前岗村家庭成员登记表")
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["乙妻", spouse_b]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(x) for x in ("screen", survey, block, "-o", out, "--as-of", AS_OF,
                                                       "--roster", f"低保={roster}")])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[ledger["head_name"] == "甲", "status"].item() != "excluded_dibao"  # not by 乙妻
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["links"]
    assert links["block"] == 2  # 甲 and 甲妻
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"]
    said = " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "「乙妻」" in said and "已有一位配偶:可能漏了这一户自己的「户主」行" in said, said
    # 乙妻 is on the 低保 roster: unlinked, her household was not excluded, and that is said on her row.
    assert "家庭成员「乙妻」(配偶)在低保对象名单上,但找不到所属农户:所属农户的认定没有据此排除" in said, said
    assert "乙子" in said and said.count("在低保对象名单上") == 1
    # The members' errors are errors of the run: check's verdict says them (its exit status did already),
    # and screen --strict counts them.
    checked = CliRunner().invoke(app, [str(x) for x in ("check", survey, block, "-o", tmp_path / "chk", "--as-of", AS_OF,
                                                        "--roster", f"低保={roster}")])
    assert checked.exit_code == 1 and "家庭成员表另有" in checked.output and "可以报送" not in checked.output
    strict = CliRunner().invoke(app, [str(x) for x in ("screen", survey, block, "-o", tmp_path / "s2", "--as-of", AS_OF,
                                                       "--roster", f"低保={roster}", "--strict")])
    assert strict.exit_code == 1, strict.output


def test_a_flag_rosters_hit_on_a_member_of_no_household_is_said_not_dropped(tmp_path):
    """A vehicle register lists the wife of a household whose 户主 row is missing from the members: she
    is linked to no household, so the register flags no one. screen says so (the rosters' line and the
    members' errors, as check does), and her member row says which register and what was not done."""
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 家庭人口数=2, 家庭常住人口数=2)
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"), 家庭人口数=2)
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    spouse_b = make_id("19730303")
    block = write_sheets(tmp_path / "成员.xlsx", {"家庭成员登记表": (
        ["姓名", "与户主关系", "身份证号"],
        [["甲", "户主", a["户主身份证号"]], ["甲妻", "配偶", make_id("19720202")], ["乙妻", "配偶", spouse_b]])})
    roster = write_csv_table(tmp_path / "车.csv", ["所有人", "身份证号"], [["乙妻", spouse_b]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(x) for x in ("screen", survey, block, "-o", out, "--as-of", AS_OF,
                                                       "--roster", f"车辆={roster}")], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "0 户有成员在名单上" in said
    assert "另有 1 名家庭成员在名单上,但未能对应到农户,名单对其所属农户没有起作用" in said, said
    assert "家庭成员表另有 2 条错误" in said, said
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"]
    text = " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "家庭成员「乙妻」(配偶)在机动车登记名单上,但找不到所属农户:所属农户没有因此列为疑点" in text, text
    rosters = openpyxl.load_workbook(out / "quality.xlsx")["信息比对"]
    text = " ".join(str(c.value) for r in rosters.iter_rows() for c in r if c.value is not None)
    assert "另有 1 名家庭成员在名单上,但未能对应到农户" in text


def test_a_second_spouse_within_the_households_size_is_not_put_under_it(tmp_path):
    """孙二 says 4 people but lists only himself and his wife; 孙三's 户主 row is missing, so his wife and
    son follow in 孙二's block, still within 4 rows. The second 配偶 is the sign of the missing 户主 row:
    she and the son stay unlinked, and her being on the 低保 roster does not exclude 孙二."""
    a = household(户主姓名="孙二", 户主身份证号=make_id("19710101"), 家庭人口数=4, 家庭常住人口数=4)
    b = household(户主姓名="孙三", 户主身份证号=make_id("19720101"), 家庭人口数=3)
    spouse_b = make_id("19740404")
    block = write_sheets(tmp_path / "成员.xlsx", {"家庭成员登记表": (
        ["姓名", "与户主关系", "身份证号"],
        [["孙二", "户主", a["户主身份证号"]], ["李二", "配偶", make_id("19730303")],
         ["周三", "配偶", spouse_b], ["孙小三", "子女", make_id("20000101")]])}, title="合隆镇前岗村家庭成员登记表")
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["周三", spouse_b]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(x) for x in ("screen", survey, block, "-o", out, "--as-of", AS_OF,
                                                       "--roster", f"低保={roster}")])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[ledger["head_name"] == "孙二", "status"].item() != "excluded_dibao"  # not by 周三
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["links"]
    assert links["block"] == 2  # 孙二 and 李二
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"]
    said = " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "「周三」" in said and "「孙小三」" in said and "已有一位配偶:可能漏了这一户自己的「户主」行" in said, said
    assert "家庭成员「周三」(配偶)在低保对象名单上,但找不到所属农户:所属农户的认定没有据此排除" in said, said


@pytest.mark.parametrize("size", [2, "2人", " 2人 ", "２口人"], ids=["number", "with-ren", "spaced", "full-width-kou"])
def test_rows_past_the_households_size_are_not_put_under_it_without_a_second_spouse(tmp_path, size):
    """乙's 户主 and 配偶 rows are both left out: only his son follows 甲's block, so no second spouse
    shows the break. 甲 says 2 people; the third row is 甲's only by where it stands, and the 低保
    roster lists that son: he stays unlinked, said on his row, and 甲 is not excluded. 「2人」 and
    「２口人」 hold the block as 2 does, as the ledger reads them (they were no number here)."""
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 家庭人口数=size, 家庭常住人口数=2)
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"), 家庭人口数=3)
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    son_b = make_id("19960101")
    block = write_sheets(tmp_path / "成员.xlsx", {"家庭成员登记表": (
        ["姓名", "与户主关系", "身份证号"],
        [["甲", "户主", a["户主身份证号"]], ["甲妻", "配偶", make_id("19720202")], ["乙子", "子女", son_b]])})
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["乙子", son_b]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(x) for x in ("screen", survey, block, "-o", out, "--as-of", AS_OF,
                                                       "--roster", f"低保={roster}")])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[ledger["head_name"] == "甲", "status"].item() != "excluded_dibao"
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["links"]
    assert links["block"] == 2  # 甲 and 甲妻
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["家庭成员问题"]
    said = " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None)
    assert "「乙子」" in said and "已超过其「家庭人口数」" in said, said
    assert "家庭成员「乙子」(子女)在低保对象名单上,但找不到所属农户:所属农户的认定没有据此排除" in said, said
