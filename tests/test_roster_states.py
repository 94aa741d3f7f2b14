"""Whether a roster's person was on it on the screen's day, as departments' exports say it. Found by an
outside try, each wrong before:
- a 停保日期 was not read: households that left 低保 in 2017 were still excluded;
- 未停保 (not stopped) was taken for 停保, and 不享受 (not receiving) for a case that goes on;
- 建档立卡's 人员状态 剔除 and 自然减少 still excluded, and its 贫困户状态 beside 人员状态 refused the file;
- a household's row of 户主身份证号 alone, on a sheet with a 成员身份证号 column, was said to have no ID;
- a death dated 2020年3月5日 after the screen's day was matched;
- a survey of totals only (家庭总收入, no parts) was taken for the 低保 roster."""

from __future__ import annotations

import json

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from test_rosters import named_county
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
NAMES = "甲乙丙丁戊己庚"


def run(*args, code: int = 0):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == code, result.output
    return result


def sheet(path, header: list[str], rows: list[list], title: str | None = None):
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("名单")
        top = 0
        if title:
            ws.write_string(0, 0, title)
            top = 1
        ws.write_row(top, 0, header)
        for r, row in enumerate(rows, top + 1):
            for c, v in enumerate(row):
                if v not in (None, ""):
                    ws.write(r, c, v)
    return path


@pytest.fixture
def county(tmp_path):
    return named_county(tmp_path, NAMES, 300)


def statuses(folder, survey, kind: str, roster, code: int = 0):
    out = folder / "out"
    result = run("screen", survey, "--roster", f"{kind}={roster}", "-o", out, "--as-of", AS_OF, "--force", code=code)
    if code:
        return result, None
    return result, read_ledger(out / "decisions.csv").set_index("head_name")["status"].to_dict()


def facts(out) -> list[str]:
    rows = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)
    return [" ".join(c for c in row if isinstance(c, str)) for row in rows]


def test_a_stop_date_on_or_before_the_day_leaves_the_row_out_and_a_period_ended_is_only_said(county):
    folder, survey, heads = county
    roster = sheet(folder / "低保.xlsx", ["姓名", "身份证号", "在保起止日期", "停保日期"], [
        ["甲", heads["甲"], "2015-01-01至2017-06-30", "2017年6月30日"],   # stopped long ago
        ["乙", heads["乙"], "2018-01-01至2019-12-31", "2019.12.31"],      # stopped on the day itself
        ["丙", heads["丙"], "2019-01-01至2020-12-31", "2020-03-01"],      # stops later: on it that day
        ["丁", heads["丁"], "2018-01-01至至今", ""],                       # goes on
        ["戊", heads["戊"], "2018-01-01至2019-06-30", ""]],               # period ended, no stop: kept, said
        title="农安县农村低保对象花名册")
    result, status = statuses(folder, survey, "低保", roster)
    assert status["甲"] == status["乙"] == "candidate", status
    assert status["丙"] == status["丁"] == status["戊"] == "excluded_dibao", status
    said = facts(folder / "out")
    assert any("低保对象名单:2 行的停保日期在 2019-12-31 或之前,已停保,没有参加比对:工作表「名单」第 3-4 行" in f
               for f in said), said
    assert any("1 行的在保起止日期在 2019-12-31 之前已到期(工作表「名单」第 7 行),仍按名单参加了比对" in f for f in said), said


def test_state_words_said_not_to_have_happened_keep_the_case(county):
    folder, survey, heads = county
    roster = sheet(folder / "低保.xlsx", ["姓名", "身份证号", "享受状态"], [
        ["甲", heads["甲"], "不享受"], ["乙", heads["乙"], "未停保"], ["丙", heads["丙"], "停保"],
        ["丁", heads["丁"], "没有退出"], ["戊", heads["戊"], "正常享受"], ["己", heads["己"], "已暂停保障"]])
    _, status = statuses(folder, survey, "低保", roster)
    assert status == {"甲": "candidate", "乙": "excluded_dibao", "丙": "candidate", "丁": "excluded_dibao",
                      "戊": "excluded_dibao", "己": "candidate", "庚": "candidate"}, status


def test_people_the_national_system_removed_do_not_exclude(county):
    folder, survey, heads = county
    roster = sheet(folder / "建档立卡.xlsx", ["序号", "姓名", "证件号码", "与户主关系", "人员状态", "贫困户状态"], [
        [1, "甲", heads["甲"], "户主", "正常", "已脱贫"], [2, "乙", heads["乙"], "户主", "剔除", "识别不精准剔除"],
        [3, "丙", heads["丙"], "户主", "自然减少", "已脱贫"], [4, "丁", heads["丁"], "户主", "正常", "未脱贫"]],
        title="全国扶贫开发信息系统 贫困人口明细")
    _, status = statuses(folder, survey, "建档立卡", roster)
    assert status["甲"] == status["丁"] == "excluded_registered", status
    assert status["乙"] == status["丙"] == "candidate", status


def test_a_households_row_naming_no_member_is_its_heads(county):
    """A household-then-members export: the household's row fills 户主姓名 and 户主身份证号 and leaves the
    member columns blank (a household of one on 低保 alone); its members' rows fill 成员…"""
    folder, survey, heads = county
    child = make_id("20000101", serial=377)
    roster = sheet(folder / "低保.xlsx", ["序号", "户主姓名", "户主身份证号", "成员姓名", "成员身份证号", "与户主关系"], [
        [1, "甲", heads["甲"], "", "", ""],
        [2, "乙", heads["乙"], "乙子", child, "子"],
        [3, "丙", heads["丙"], "", "", ""]])
    result, status = statuses(folder, survey, "低保", roster)
    assert status["甲"] == status["丙"] == "excluded_dibao", status
    assert status["乙"] == "candidate", status  # its child is no member of this survey's household
    assert "没有身份证号" not in result.output, result.output


def test_a_death_written_the_chinese_way_after_the_day_is_not_matched(county, tmp_path):
    folder, survey, heads = county
    members = folder / "家庭成员.xlsx"
    spouses = {name: make_id(f"197{i}0202", serial=500 + i) for i, name in enumerate(NAMES[:4])}
    sheet(members, ["户主身份证号", "姓名", "与户主关系", "身份证号"],
          [[heads[n], f"{n}妻", "配偶", spouses[n]] for n in spouses])
    roster = sheet(folder / "死亡.xlsx", ["姓名", "身份证号", "死亡日期"], [
        ["甲妻", spouses["甲"], "2020年3月5日"], ["乙妻", spouses["乙"], "2020年03月"],
        ["丙妻", spouses["丙"], "20200305"], ["丁妻", spouses["丁"], "2019年8月14日"]])
    out = folder / "out"
    run("screen", survey, members, "--roster", f"死亡={roster}", "-o", out, "--as-of", AS_OF)
    said = facts(out)
    assert any("死亡(户籍注销)人员名单:3 行的日期在 2019-12-31 之后(工作表「名单」第 2-4 行)" in f for f in said), said
    issues = (out / "issues.csv").read_text(encoding="utf-8-sig")
    # The one matched, its date as the day it is (2019年8月14日 as typed): the others are not matched.
    assert "2019-08-14" in issues and "2020-03-05" not in issues and "2020年3月5日" not in issues \
        and "2020年03月" not in issues and "2020-03" not in issues


def test_a_survey_of_totals_given_as_a_roster_is_refused(county):
    folder, survey, heads = county
    copy = write_workbook(folder / "调查表副本.xlsx", [household(户主姓名=n, 户主身份证号=h) for n, h in heads.items()],
                          headers=None)
    wb = openpyxl.load_workbook(copy)
    ws = wb.active
    header = [c.value for c in ws[1]]
    for name in ("工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"):
        if name in header:
            ws.delete_cols(header.index(name) + 1)
            header = [c.value for c in ws[1]]
    wb.save(copy)
    assert "家庭总收入" in header and "工资性收入" not in header, header
    result, _ = statuses(folder, survey, "低保", copy, code=2)
    assert "是农户入户登记表" in result.output and "「家庭总收入」" in result.output, result.output


@pytest.mark.parametrize("kind, header, suffix", [("残疾", "残疾人证号", "42"), ("医保", "参保人身份证号码", "")])
def test_the_id_columns_of_the_disability_and_medical_exports_are_read(county, kind, header, suffix):
    """残联's 残疾人证号 is the ID and the 残疾类别 (4: 肢体) and 等级 (2); 医保 names its column 参保人身份证号码.
    Before, both rosters were refused as having no ID column."""
    folder, survey, heads = county
    roster = sheet(folder / f"{kind}.xlsx", ["姓名", header], [["甲", heads["甲"] + suffix], ["乙", heads["乙"] + suffix]])
    out = folder / "out"
    run("screen", survey, "--roster", f"{kind}={roster}", "-o", out, "--as-of", AS_OF, "--force")
    listed = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert (listed["ids"], listed["invalid_ids"], listed["households"]) == (2, 0, 2), listed


def test_rows_hidden_on_a_roster_are_matched_and_said(county):
    """A clerk filters rows out of sight (待核实): they were matched without a word (hidden sheets are said).
    (A remark of 停保 now leaves a row out itself: test_a_change_lists_reason_or_a_remark_….)"""
    folder, survey, heads = county
    path = folder / "低保.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("低保对象")
        ws.write_row(0, 0, ["姓名", "身份证号", "备注"])
        for r, name in enumerate("甲乙丙", 1):
            ws.write_row(r, 0, [name, heads[name], "待核实" if name != "甲" else ""])
            if name != "甲":
                ws.set_row(r, None, None, {"hidden": True})
    result, status = statuses(folder, survey, "低保", path)
    assert status["乙"] == status["丙"] == "excluded_dibao", status
    said = "低保对象名单的工作表「低保对象」第 3-4 行是隐藏的或被筛选掉的(2 行),也已读入并参加比对"
    assert said.replace(" ", "") in "".join(result.output.split()), result.output
    assert any(said in f for f in facts(folder / "out"))


def test_a_roster_csv_cell_listing_ids_on_lines_of_its_own_is_read_and_a_runaway_quote_still_refused(county):
    """Excel saves a cell typed with Alt+Enter quoted, its line break inside: two IDs on two lines are the
    cell's own, never another record swallowed (before: refused as a quote left open)."""
    folder, survey, heads = county
    path = folder / "低保.csv"
    path.write_text("序号,乡镇,户主姓名,身份证号\r\n"
                    f'1,合隆镇,甲,"{heads["甲"]}\n{heads["乙"]}"\r\n'
                    f"2,合隆镇,丙,{heads['丙']}\r\n", encoding="utf-8-sig")
    _, status = statuses(folder, survey, "低保", path)
    assert status["甲"] == status["乙"] == status["丙"] == "excluded_dibao", status
    path.write_text("序号,乡镇,户主姓名,身份证号\r\n"
                    f'1,合隆镇,"甲,{heads["甲"]}\r\n'
                    f"2,合隆镇,丙,{heads['丙']}\r\n"
                    f'3,合隆镇,丁",{heads["丁"]}\r\n', encoding="utf-8-sig")
    result, _ = statuses(folder, survey, "低保", path, code=2)
    assert "第 2 行第 C 栏:以英文双引号" in result.output, result.output


def test_farm_vehicles_on_the_vehicle_register_are_not_matched_and_said(county):
    """The plan's 车辆 is a car, farm machinery aside (after-screening §1). A 拖拉机 or 三轮汽车 row of 公安's
    export put a 车辆 疑点 on a candidate like a car (an outside try); a 非农用 row is a car still."""
    folder, survey, heads = county
    roster = sheet(folder / "车辆.xlsx", ["所有人", "身份证号", "号牌号码", "车辆类型"], [
        ["甲", heads["甲"], "吉A00001", "拖拉机"],
        ["乙", heads["乙"], "吉A00002", "三轮汽车"],
        ["丙", heads["丙"], "吉A00003", "小型普通客车"],
        ["丁", heads["丁"], "吉A00004", "非农用货车"]])
    result, _ = statuses(folder, survey, "车辆", roster)
    flags = read_ledger(folder / "out" / "decisions.csv").set_index("head_name")["roster_flags"].fillna("").to_dict()
    assert flags["甲"] == flags["乙"] == "" and flags["丙"] == flags["丁"] == "vehicle", flags
    said = " ".join(result.output.split())
    assert "2 行是农用车辆或农机" in said and "第 2-3 行" in said, said
    assert any("农用车辆或农机" in fact for fact in facts(folder / "out"))


def test_small_out_of_pocket_costs_on_the_medical_roster_are_not_matched_and_said(county):
    """大额自付 is a large cost (after-screening §1: 5,000 yuan and more). A row of 120 yuan bore out 因病
    like a large one (an outside try); an amount that does not read is matched, as before."""
    folder, survey, heads = county
    roster = sheet(folder / "医保.xlsx", ["姓名", "公民身份号码", "个人自付金额(元)"], [
        ["甲", heads["甲"], 120], ["乙", heads["乙"], "4,999.99"], ["丙", heads["丙"], 5000], ["丁", heads["丁"], "不详"]])
    result, _ = statuses(folder, survey, "医保自付", roster)
    flags = read_ledger(folder / "out" / "decisions.csv").set_index("head_name")["roster_flags"].fillna("").to_dict()
    assert flags["甲"] == flags["乙"] == "" and flags["丙"] == flags["丁"] == "medical_cost", flags
    said = " ".join(result.output.split())
    assert "2 行的金额不足 5000 元" in said and "第 2-3 行" in said, said


def test_a_change_lists_reason_or_a_remark_saying_the_case_stopped_leaves_the_row_out_and_is_said(county):
    # A 低保 change list (变更原因 新增 / 停发) and a 花名册 whose 备注 says 已停保, neither with a state
    # column: read as they were, the stopped people excluded their households from the candidates.
    folder, survey, heads = county
    changes = sheet(folder / "低保变更.xlsx", ["姓名", "身份证号", "变更原因"], [
        ["甲", heads["甲"], "新增"],
        ["乙", heads["乙"], "停发"],
        ["丙", heads["丙"], "2019年5月停保"],
        ["丁", heads["丁"], "未停保,提标"]], title="农安县农村低保变更名单")
    result, status = statuses(folder, survey, "低保", changes)
    assert status["甲"] == status["丁"] == "excluded_dibao", status
    assert status["乙"] == status["丙"] == "candidate", status
    said = [line for line in facts(folder / "out") if "变更原因" in line]
    assert said and "2 行" in said[0] and "第 4-5 行" in said[0] and "停发" in said[0], said
    remarks = sheet(folder / "低保花名册.xlsx", ["姓名", "身份证号", "备注"], [
        ["甲", heads["甲"], ""], ["乙", heads["乙"], "2019年10月已停保"], ["丙", heads["丙"], "因病"]])
    _, status = statuses(folder, survey, "低保", remarks)
    assert status["甲"] == status["丙"] == "excluded_dibao" and status["乙"] == "candidate", status
    # Beside a state column the state decides: the remark is only read.
    stated = sheet(folder / "低保在保.xlsx", ["姓名", "身份证号", "保障状态", "备注"], [
        ["乙", heads["乙"], "正常", "2017年曾停保,2018年恢复"]])
    _, status = statuses(folder, survey, "低保", stated)
    assert status["乙"] == "excluded_dibao", status
