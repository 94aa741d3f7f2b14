"""Two roster matches an outside try (BF) found wrong:
- 孙静梅, married into 覃宝's household (said 否 to 低保), is on the 低保 roster in her father 杜永山's case
  (the roster's 户主, not one of 覃宝's people): the household was excluded as a 低保户. It is a 疑点 to
  verify (roster_other_household), not an exclusion. A roster 户主 living in the household (the survey's
  head is his son), or a roster naming no 户主, still excludes;
- a 财政供养 row whose ID Excel stored as a number (its last digits lost) named 严东志's spouse, and the
  household stayed a clean candidate: the same name and the ID's first 15 digits are a lead."""

from __future__ import annotations

import openpyxl
import pandas as pd

from survey_builders import household, make_id
from test_request_list import statuses
from test_rosters import AS_OF, head, member, run, write_sheets, write_survey


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _issues(out, code: str) -> pd.DataFrame:
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return issues[issues["code"] == code]


def _place(number: str) -> dict:
    return {"乡(镇)": "伏龙泉镇", "行政村": "永丰村", "户编号": number}


def _county(tmp_path):
    """覃宝's household (孙静梅 its 儿媳), 王大's (his father 王老 living with him), 李四's, 严东志's (陈云静 his
    spouse) and 赵五's (刘芳 his spouse), every one a candidate by its income."""
    ids = {name: make_id(birth, serial=serial) for name, birth, serial in (
        ("覃宝", "19600306", 205), ("雷娟", "19571008", 204), ("覃国强", "19880921", 207), ("孙静梅", "19890210", 206),
        ("王大", "19700101", 311), ("王老", "19450101", 313), ("王妻", "19720101", 312),
        ("李四", "19650101", 411), ("李妻", "19660101", 412),
        ("严东志", "19510214", 149), ("陈云静", "19510513", 150),
        ("赵五", "19700303", 511), ("刘芳", "19700303", 512))}
    qin = household(**_place("001"), 户主姓名="覃宝", 户主身份证号=ids["覃宝"], 家庭人口数=4, 家庭常住人口数=4,
                    工资性收入=14000)
    wang = household(**_place("002"), 户主姓名="王大", 户主身份证号=ids["王大"])
    li = household(**_place("003"), 户主姓名="李四", 户主身份证号=ids["李四"], 家庭人口数=2, 家庭常住人口数=2,
                   工资性收入=7000)
    yan = household(**_place("004"), 户主姓名="严东志", 户主身份证号=ids["严东志"], 家庭人口数=2, 家庭常住人口数=2,
                    工资性收入=7000)
    zhao = household(**_place("005"), 户主姓名="赵五", 户主身份证号=ids["赵五"], 家庭人口数=2, 家庭常住人口数=2,
                     工资性收入=7000)
    members = [head(qin), member(qin, "雷娟", "配偶", ids["雷娟"]), member(qin, "覃国强", "之子", ids["覃国强"]),
               member(qin, "孙静梅", "儿媳", ids["孙静梅"]),
               head(wang), member(wang, "王老", "父亲", ids["王老"]), member(wang, "王妻", "配偶", ids["王妻"]),
               head(li), member(li, "李妻", "配偶", ids["李妻"]),
               head(yan), member(yan, "陈云静", "配偶", ids["陈云静"]),
               head(zhao), member(zhao, "刘芳", "配偶", ids["刘芳"])]
    survey = write_survey(tmp_path / "伏龙泉镇.xlsx", [qin, wang, li, yan, zhao], members)
    return survey, ids


def test_a_member_on_another_familys_dibao_is_a_doubt_not_an_exclusion(tmp_path):
    survey, ids = _county(tmp_path)
    du = make_id("19480808", serial=31)
    header = ["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "与户主关系", "身份证号"]
    by_person = write_sheets(tmp_path / "巴吉垒镇低保人员.xlsx", {"低保人员": (header, [
        [1, "巴吉垒镇", "光明村", "杜永山", du, "杜永山", "户主", du],
        [2, "巴吉垒镇", "光明村", "杜永山", du, "孙静梅", "女", ids["孙静梅"]],
        # The roster's 户主 is 王大's father, living with him: his household's case.
        [3, "伏龙泉镇", "永丰村", "王老", ids["王老"], "王妻", "儿媳", ids["王妻"]]])})
    # No 户主 on this one: a member on it is the household's case, as before.
    no_head = write_sheets(tmp_path / "低保名单.xlsx", {"Sheet1": (["姓名", "身份证号"], [["李妻", ids["李妻"]]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force",
                 "--roster", f"低保={by_person}", "--roster", f"低保={no_head}")
    assert result.exit_code == 0, result.output
    got = statuses(out)
    assert got["覃宝"] == "candidate", got
    assert got["王大"] == "excluded_dibao" and got["李四"] == "excluded_dibao", got
    doubted = _issues(out, "roster_other_household")
    assert doubted["户主姓名"].tolist() == ["覃宝"], doubted
    said = doubted["说明"].iloc[0]
    assert "孙静梅 在低保对象名单上属于 杜永山 户(光明村),不是本户" in said and "重复享受" in said, said
    # Not told that it said 否 wrongly; 王大's household said 否 and is.
    assert _issues(out, "roster_conflict")["户主姓名"].tolist() == ["王大", "李四"]
    book = openpyxl.load_workbook(out / "villages" / "伏龙泉镇-永丰村.xlsx")
    verify = _text(book["核实清单"])
    assert "孙静梅" in verify and "覃宝" in verify, verify
    assert "名单上此人属于 杜永山 户(光明村),不是本户" in verify, verify  # what the verifier asks


def test_a_payroll_id_excel_turned_into_a_number_is_a_lead_by_name_and_its_first_digits(tmp_path):
    survey, ids = _county(tmp_path)
    payroll = write_sheets(tmp_path / "财政供养人员.xlsx", {"财政供养人员": (["单位", "姓名", "身份证号", "岗位"], [
        ["农安县第三中学", "陈云静", int(ids["陈云静"]), "教师"],
        # 刘芳 of the roster was born in 1971: a namesake, not 赵五's spouse.
        ["农安县某局", "刘芳", int(make_id("19710505", serial=512)), "科员"],
        ["农安县某局", "卢春德", make_id("19800101", serial=185), "科员"]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", "--roster", f"财政供养={payroll}")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "候选户中 1 户有同村同名线索" in said, said
    got = statuses(out)
    assert got["严东志"] == "candidate" and got["赵五"] == "candidate", got
    verify = _text(openpyxl.load_workbook(out / "villages" / "伏龙泉镇-永丰村.xlsx")["核实清单"])
    assert "陈云静" in verify and "严东志" in verify, verify
    assert "刘芳" not in verify and "赵五" not in verify, verify
    assert "身份证号前15位与本表相同" in verify and "仅姓名相同" not in verify, verify
    lead = _issues(out, "roster_lead_excel_number")
    assert lead["户主姓名"].tolist() == ["严东志"], lead
    text = lead["说明"].iloc[0]
    assert "陈云静" in text and "财政供养人员.xlsx" in text and "第 2 行" in text and "数字" in text, text
