"""Roster dates and words an outside try found wrong, each end to end:
- a 在保起止日期 of months (2017.01-2018.12, the form 民政's exports use; 201701-201812) was not read, and
  2017年1月-2019年12月 ended on the month's first day: a period ended a year before looked in force, one
  running to the end of December looked ended; one whose end does not read at all was taken silently;
- a 户籍注销 row with 死亡日期 blank and 注销日期 after the survey's day was a death at the survey, and one
  with 注销日期 before it was said with no date;
- the 村干部亲属 roster names each relative's cadre (村干部姓名), and no output named him;
- a 残联 card number of 17 digits (an old 15-digit ID and the 残疾类别 and 等级) was refused as of the
  wrong length."""

from __future__ import annotations

import openpyxl
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from test_rosters import named_county
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

AS_OF = "2019-12-31"


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result


def sheet(path, header: list[str], rows: list[list]):
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("名单")
        ws.write_row(0, 0, header)
        for r, row in enumerate(rows, 1):
            for c, v in enumerate(row):
                if v not in (None, ""):
                    ws.write_string(r, c, str(v))
    return path


def facts(out) -> list[str]:
    rows = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)
    return [" ".join(c for c in row if isinstance(c, str)) for row in rows]


def issues(out):
    return read_issues(out / "issues.csv").fillna("")


def village_sheet(out, name: str) -> list[str]:
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx", read_only=True)
    return [" | ".join(str(c) for c in row if c is not None) for row in book[name].iter_rows(values_only=True)]


def test_a_period_of_months_ends_on_the_last_day_and_one_that_does_not_read_is_said(tmp_path):
    folder, survey, heads = named_county(tmp_path, list("甲乙丙丁戊己"), 410)
    roster = sheet(folder / "低保.xlsx", ["户主姓名", "户主身份证号", "在保起止日期"], [
        ["甲", heads["甲"], "2017.01-2018.12"],            # row 2: ended a year before the survey
        ["乙", heads["乙"], "2017年1月-2018年12月"],        # row 3
        ["丙", heads["丙"], "201701-201812"],              # row 4
        ["丁", heads["丁"], "2018年1月-2019年12月"],        # row 5: runs to 2019-12-31, the survey's day
        ["戊", heads["戊"], "2017年度"]])                   # row 6: no end to read
    out = folder / "out"
    run("screen", survey, "--roster", f"低保={roster}", "-o", out, "--as-of", AS_OF)
    status = read_ledger(out / "decisions.csv").set_index("head_name")["status"].to_dict()
    # Matched all the same (a period's end is often the yearly review): every one still excluded.
    assert {status[n] for n in "甲乙丙丁戊"} == {"excluded_dibao"} and status["己"] == "candidate", status
    said = facts(out)
    assert any("低保对象名单:3 行的在保起止日期在 2019-12-31 之前已到期(工作表「名单」第 2-4 行)" in f
               for f in said), said
    unread = issues(out)
    unread = unread[unread["code"] == "roster_period_unread"]
    assert len(unread) == 1, unread
    assert unread["head_name"].iloc[0] == "戊", unread
    assert "低保.xlsx 工作表「名单」第 6 行" in unread["message"].iloc[0] and "读不出" in unread["message"].iloc[0], \
        unread["message"].iloc[0]


def test_a_hukou_cancelled_after_the_day_is_no_death_and_one_before_is_said_with_its_date(tmp_path):
    folder, survey, heads = named_county(tmp_path, list("甲乙"), 430)
    roster = sheet(folder / "户籍注销.xlsx", ["姓名", "公民身份号码", "死亡日期", "注销日期", "注销原因"], [
        ["甲", heads["甲"], "", "2020-03-01", "死亡"],      # cancelled after the survey's day
        ["乙", heads["乙"], "", "2019/10/5", "死亡"]])      # cancelled before it, no date of death
    out = folder / "out"
    run("screen", survey, "--roster", f"死亡={roster}", "-o", out, "--as-of", AS_OF)
    dead = issues(out)
    dead = dead[dead["code"] == "member_deceased"]
    assert list(dead["head_name"]) == ["乙"], dead
    assert "户籍注销日期 2019-10-05" in dead["message"].iloc[0], dead["message"].iloc[0]
    assert any("1 行的日期在 2019-12-31 之后(工作表「名单」第 2 行),那天还没有发生,没有参加比对" in f
               for f in facts(out)), facts(out)


def test_the_cadre_a_relative_is_listed_for_is_named_on_the_village_list(tmp_path):
    folder, survey, heads = named_county(tmp_path, list("甲乙丙"), 450)
    roster = sheet(folder / "村干部亲属.xlsx",
                   ["乡镇", "村", "村干部姓名", "职务", "村干部身份证号", "亲属姓名", "与村干部关系", "亲属身份证号"], [
                       ["合隆镇", "前岗村", "周国庆", "村主任", "", "甲", "兄弟", heads["甲"]],
                       ["合隆镇", "前岗村", "丙", "村支书", heads["丙"], "乙", "表兄弟", ""]])  # 乙 by name only
    out = folder / "out"
    run("screen", survey, "--roster", f"村干部亲属={roster}", "-o", out, "--as-of", AS_OF)
    listed = "\n".join(village_sheet(out, "候选名单"))
    checks = village_sheet(out, "核实清单")
    line = {name: next(r for r in checks if f" | {name} | " in r) for name in "甲乙丙"}
    assert "核实与村干部 周国庆 的亲属关系(乡镇村干部亲属名单),评议时 周国庆 回避" in line["甲"], line["甲"]
    assert "村干部 周国庆 的亲属" in listed, listed
    assert "村干部 丙 的亲属(同村同名,仅姓名相同)" in line["乙"] and "核实与村干部 丙 的亲属关系" in line["乙"], line["乙"]
    # The cadre himself is on the roster too: his own line names no cadre of his.
    assert "核实与村干部的亲属关系" in line["丙"] and "村干部 丙 的亲属" not in line["丙"], line["丙"]


def test_a_disability_card_of_an_old_id_is_read_as_that_id(tmp_path):
    head = make_id("19570217", serial=203)
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名="朱宝东", 户主身份证号=head, 主要困难="因残")])
    card = "22012257021720322"  # the 15-digit ID of 1957-02-17, 听力 (2), 二级 (2)
    roster = sheet(tmp_path / "残联.xlsx", ["姓名", "残疾人证号", "残疾类别", "残疾等级"], [["朱宝东", card, "听力", "二级"]])
    out = tmp_path / "out"
    run("screen", survey, "--roster", f"残疾={roster}", "-o", out, "--as-of", AS_OF)
    flags = read_ledger(out / "decisions.csv")["roster_flags"].fillna("").astype(str).tolist()
    assert flags == ["disability"], flags
    said = facts(out)
    assert not any("位数不对" in f for f in said), said
    assert any("残疾人名单:读入 1 行,有效身份证号 1 个(其中 1 个由15位转为18位)" in f for f in said), said
