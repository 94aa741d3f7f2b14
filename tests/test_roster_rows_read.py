"""A roster's rows read as the department meant them. Found by an outside try, each wrong before:
- a 低保 row whose 保障状态 says 停保 and whose 停保日期 is after --as-of was left out as stopped: the
  person was on 低保 that day, and the household that said 否 stayed a candidate;
- a company register of one row per shareholder, with both the legal representative's and the
  shareholder's (投资人's) ID columns, read the legal representative's alone: the shareholder's
  household got no 工商 疑点;
- a roster of two persons a row (村干部亲属: the cadre beside the relative) was said as twice its rows.
The file facts (quality.xlsx 文件情况) say the rows stopped after the day, the sheet's rows and persons,
and the ID columns a roster leaves unread."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import write_csv_table
from test_rosters import named_county, write_sheets
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
NAMES = "甲乙丙丁戊己"

def run(*args, code: int = 0):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == code, result.output
    return result


def sheet(path, header: list[str], rows: list[list], name: str = "名单"):
    return write_sheets(path, {name: (header, rows)})


@pytest.fixture
def county(tmp_path):
    return named_county(tmp_path, NAMES, 400)


def screened(folder, survey, roster: str):
    out = folder / "out"
    run("screen", survey, "--roster", roster, "-o", out, "--as-of", AS_OF, "--force")
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    return out, ledger["status"].to_dict(), ledger["roster_flags"].fillna("").astype(str).to_dict()


def facts(out) -> str:
    rows = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)
    return "\n".join(" ".join(c for c in row if isinstance(c, str)) for row in rows)


def test_a_case_stopped_after_the_day_is_matched_though_its_state_says_stopped(county):
    folder, survey, heads = county
    roster = sheet(folder / "低保.xlsx", ["户主姓名", "身份证号", "保障状态", "在保起止日期", "停保日期"], [
        ["甲", heads["甲"], "停保", "2016.01-2020.03", "2020-03-15"],   # stopped after the day: on 低保 then
        ["乙", heads["乙"], "停保", "2016.01-2019.10", "2019-10-01"],   # stopped before it
        ["丙", heads["丙"], "停保", "", ""],                              # stopped, no date: left out as ever
        ["丁", heads["丁"], "停保", "", "2019.12.31"],                    # stopped on the day itself
        ["戊", heads["戊"], "正常", "2019.01-2019.12", ""]])
    out, status, _ = screened(folder, survey, f"低保={roster}")
    assert status["甲"] == "excluded_dibao", status
    assert status["乙"] == status["丙"] == status["丁"] == "candidate", status
    assert status["戊"] == "excluded_dibao" and status["己"] == "candidate", status

    # Without the state column, the stop date alone decides, as before.
    roster = sheet(folder / "低保_无状态.xlsx", ["户主姓名", "身份证号", "停保日期"], [
        ["甲", heads["甲"], "2020-03-15"], ["乙", heads["乙"], "2019-10-01"]])
    _, status, _ = screened(folder, survey, f"低保={roster}")
    assert status["甲"] == "excluded_dibao" and status["乙"] == "candidate", status


def test_a_remark_of_a_stop_after_the_day_keeps_the_row_matched(county):
    """No state column: a 备注 saying 停保 leaves the row out, unless its 停保日期 is after the day."""
    folder, survey, heads = county
    roster = sheet(folder / "低保.xlsx", ["姓名", "身份证号", "停保日期", "备注"], [
        ["甲", heads["甲"], "2020年3月15日", "2020年3月停保"],
        ["乙", heads["乙"], "2019-05-01", "已停保"],
        ["丙", heads["丙"], "", "停发"],
        ["丁", heads["丁"], "", ""]])
    _, status, _ = screened(folder, survey, f"低保={roster}")
    assert status["甲"] == status["丁"] == "excluded_dibao", status
    assert status["乙"] == status["丙"] == "candidate", status


def test_a_case_stopped_after_the_day_is_said_matched(county):
    folder, survey, heads = county
    roster = sheet(folder / "低保.xlsx", ["姓名", "身份证号", "保障状态", "停保日期"], [
        ["甲", heads["甲"], "停保", "2020-03-15"], ["乙", heads["乙"], "停保", "2019-10-01"]])
    out, _, _ = screened(folder, survey, f"低保={roster}")
    said = facts(out)
    assert "1 行的停保日期在 2019-12-31 之后(工作表「名单」第 2 行),2019-12-31 那天仍在保,按名单参加了比对" in said, said
    assert "1 行的停保日期在 2019-12-31 或之前" in said or "1 行的保障状态是停保" in said, said


def test_a_company_register_of_one_row_per_shareholder_reads_every_person(county):
    """市场监管's export: the legal representative repeated on each shareholder's row."""
    folder, survey, heads = county
    roster = sheet(folder / "市场监管.xlsx", ["企业名称", "法定代表人", "法定代表人身份证号", "股东名称", "股东证件号码",
                                          "认缴出资(万元)"], [
        ["某农资有限公司", "甲", heads["甲"], "甲", heads["甲"], "60"],
        ["某农资有限公司", "甲", heads["甲"], "乙", heads["乙"], "40"]], name="股东信息")
    _, status, flags = screened(folder, survey, f"工商={roster}")
    assert flags["甲"] == flags["乙"] == "company", flags
    assert flags["丙"] == "" and status["乙"] == "candidate", (flags, status)


def test_an_investor_beside_the_legal_representative_is_on_the_register(county):
    folder, survey, heads = county
    roster = write_csv_table(folder / "市场主体登记信息.csv", ["统一社会信用代码", "企业名称", "法定代表人", "法定代表人证件号码",
                                                        "投资人", "投资人证件号码"], [
        ["92220122MA0000001X", "某合作社", "丙", heads["丙"], "丁", heads["丁"]],
        ["92220122MA0000002X", "某商店", "戊", heads["戊"], "", ""]])
    _, _, flags = screened(folder, survey, f"工商={roster}")
    assert flags["丙"] == flags["丁"] == flags["戊"] == "company", flags
    assert flags["甲"] == "", flags


def test_a_register_of_shareholders_alone_reads_them(county):
    """Already right before: a shareholder's column with no legal representative's is the ID."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "股东.csv", ["企业名称", "股东姓名", "股东证件号码"], [["某公司", "乙", heads["乙"]]])
    _, _, flags = screened(folder, survey, f"工商={roster}")
    assert flags["乙"] == "company" and flags["甲"] == "", flags


def test_a_roster_of_two_persons_a_row_says_its_rows_and_persons(county):
    folder, survey, heads = county
    roster = sheet(folder / "村干部亲属.xlsx", ["村", "村干部姓名", "村干部身份证号", "亲属姓名", "亲属身份证号"], [
        ["前岗村", "甲", heads["甲"], "乙", heads["乙"]], ["前岗村", "甲", heads["甲"], "丙", heads["丙"]]])
    out, _, flags = screened(folder, survey, f"村干部亲属={roster}")
    assert flags["甲"] == flags["乙"] == flags["丙"] == "cadre_relative", flags
    said = facts(out)
    assert "读入 2 行(共 4 人" in said and "读入 4 行" not in said, said


def test_an_id_column_a_roster_does_not_read_is_named(county):
    """公安's death register: the deceased's ID is read, never the 申报人's (who reported it), and the fact
    says which column was left."""
    folder, survey, heads = county
    roster = sheet(folder / "死亡.xlsx", ["死者姓名", "死者身份证号", "申报人", "申报人身份证号", "死亡日期"], [
        ["甲", heads["甲"], "乙", heads["乙"], "2019-05-01"]])
    out, _, flags = screened(folder, survey, f"死亡={roster}")
    assert flags["乙"] == "", flags
    said = facts(out)
    assert "其中有身份证号栏目 D「申报人身份证号」" in said, said
