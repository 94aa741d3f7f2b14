"""What roster matching tells the clerk, found by an outside try (brief P10):
- a 低保 roster whose IDs Excel turned into numbers told real 低保 households, named on it, that they are not
  on it and to write 否 (which makes them candidates);
- the 村干部亲属 roster made 同村同名 leads from rows with a valid but different ID (another person);
- leads were counted one way on the terminal, another in quality.xlsx, and a non-candidate's lead was
  listed nowhere;
- `check` with rosters did not say what they found;
- a county-wide roster's people of other townships were said only as "not found in the survey"."""

from __future__ import annotations

import openpyxl
import pandas as pd

from survey_builders import household, make_id
from test_rosters import AS_OF, member, run, write_sheets, write_survey


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _issues(out, code: str) -> pd.DataFrame:
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return issues[issues["code"] == code]


def _place(village: str, number: str) -> dict:
    return {"乡(镇)": "哈拉海镇", "行政村": village, "户编号": number}


def test_a_household_named_on_a_row_whose_id_is_unreadable_is_not_told_to_write_no(tmp_path):
    """史宝福 (said 是) is on the 低保 roster by name and village, his ID there a number Excel rounded: he is
    told the roster may list him under that row, never 改为否. 董明 (said 是) is on it nowhere: with every
    unreadable row naming someone, he is told as before; once a row with no name has an unreadable ID, he
    may be that row, and is not told to write 否 either."""
    shi, dong, feng = make_id("19550918", serial=339), make_id("19600101", serial=11), make_id("19481012", serial=720)
    households = [household(**_place("哈拉海村", "001"), 户主姓名="史宝福", 户主身份证号=shi, 是否低保户="是"),
                  household(**_place("永安村", "002"), 户主姓名="董明", 户主身份证号=dong, 是否低保户="是"),
                  household(**_place("哈拉海村", "003"), 户主姓名="冯红丽", 户主身份证号=feng, 是否低保户="是")]
    survey = write_survey(tmp_path / "哈拉海镇.xlsx", households, None)
    header = ["乡镇", "村", "姓名", "身份证号"]
    rows = [["哈拉海镇", "哈拉海村", "冯红丽", feng], ["哈拉海镇", "哈拉海村", "史宝福", int(shi)]]
    roster = write_sheets(tmp_path / "低保.xlsx", {"Sheet1": (header, rows)})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    told = _issues(out, "roster_not_listed")
    assert told["户主姓名"].tolist() == ["董明"], told
    assert "不在保的,改为“否”后重新筛查" in told["说明"].iloc[0]
    maybe = _issues(out, "roster_unreadable_listed")
    assert maybe["户主姓名"].tolist() == ["史宝福"], maybe
    said = maybe["说明"].iloc[0]
    assert "工作表「Sheet1」第 3 行" in said and "史宝福" in said and "不要改为“否”" in said, said
    assert "不在保的,改为“否”" not in said, said

    # A row with no name and an unreadable ID: anyone of the township may be it.
    unnamed = write_sheets(tmp_path / "低保2.xlsx", {"Sheet1": (header, rows + [["哈拉海镇", "永安村", "", int(dong)]])})
    again = tmp_path / "again"
    result = run("screen", survey, "-o", again, "--as-of", AS_OF, "--roster", f"低保={unnamed}")
    assert result.exit_code == 0, result.output
    told = _issues(again, "roster_not_listed")
    assert told["户主姓名"].tolist() == ["董明"], told
    assert "不在保的,改为“否”" not in told["说明"].iloc[0] and "1 行没有姓名" in told["说明"].iloc[0], told["说明"].iloc[0]
    assert _issues(again, "roster_unreadable_listed")["户主姓名"].tolist() == ["史宝福"]


def _cadre_survey(tmp_path):
    """曾福国's household (a candidate) with his daughter 曾小 born 2011; 王军's (a candidate) with his son
    王五; 龙明's, above the limit."""
    zeng, xiao = make_id("19800101", serial=787), make_id("20110305", serial=222)
    wang, wu = make_id("19750101", serial=111), make_id("20000101", serial=113)
    long_ = make_id("19900101", serial=555)
    zeng_hh = household(**_place("东岗村", "001"), 户主姓名="曾福国", 户主身份证号=zeng, 家庭人口数=2, 家庭常住人口数=2,
                        工资性收入=7000)
    wang_hh = household(**_place("东岗村", "002"), 户主姓名="王军", 户主身份证号=wang, 家庭人口数=2, 家庭常住人口数=2,
                        工资性收入=7000)
    long_hh = household(**_place("东岗村", "003"), 户主姓名="龙明", 户主身份证号=long_, 家庭人口数=1, 家庭常住人口数=1,
                        工资性收入=50000)
    members = [member(zeng_hh, "曾福国", "户主", zeng), member(zeng_hh, "曾小", "女", xiao),
               member(wang_hh, "王军", "户主", wang), member(wang_hh, "王五", "子", wu),
               member(long_hh, "龙明", "户主", long_)]
    return write_survey(tmp_path / "哈拉海镇.xlsx", [zeng_hh, wang_hh, long_hh], members)


def _screened_with_cadres(tmp_path, people: list[list[str]]):
    """The cadre survey screened with a 村干部亲属 roster of `people` ([name, ID]) of 哈拉海镇东岗村: (the
    output folder, the terminal's words on one line)."""
    roster = write_sheets(tmp_path / "村干部近亲属.xlsx", {"Sheet1": (["乡镇", "村", "姓名", "身份证号"], [
        ["哈拉海镇", "东岗村", *person] for person in people])})
    out = tmp_path / "out"
    result = run("screen", _cadre_survey(tmp_path), "-o", out, "--as-of", AS_OF, "--roster", f"村干部亲属={roster}",
                 env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return out, " ".join(result.output.split())


def test_a_cadre_relatives_row_with_a_valid_id_is_matched_by_that_id_only(tmp_path):
    """The roster's 曾小 born 1968 (a valid ID) is not the survey's 曾小 born 2011: no lead. Its 王五 without
    an ID is a lead, as README has it."""
    out, said = _screened_with_cadres(tmp_path, [["曾小", make_id("19680412", serial=664)], ["王五", ""]])
    assert "1 户有同村同名线索" in said, said
    verify = _text(openpyxl.load_workbook(out / "villages" / "哈拉海镇-东岗村.xlsx")["核实清单"])
    assert "王五" in verify and "曾小" not in verify and "曾福国" not in verify, verify


def test_leads_are_counted_alike_and_each_is_in_quality(tmp_path):
    """Two leads of the 村干部亲属 roster (rows without an ID): 王五 of a candidate, 龙明 of a household above
    the limit. The terminal counts the candidate's, quality.xlsx says the same one among two, and lists
    both households, 龙明's too (on no 核实清单)."""
    out, said = _screened_with_cadres(tmp_path, [["王五", ""], ["龙明", "无"]])
    assert "候选户中 1 户有同村同名线索" in said, said
    sheet = _text(openpyxl.load_workbook(out / "quality.xlsx")["信息比对"])
    assert "另有 2 户仅与名单上的人同村同名" in sheet and "其中候选户 1 户" in sheet, sheet
    assert "龙明" in sheet and "王军" in sheet and "达到收入上限" in sheet, sheet


def test_check_says_what_the_rosters_found_as_screen_does(tmp_path):
    """check with a vehicle roster listing a candidate's head: the same 信息比对 sentence as screen's."""
    head = make_id("19700101", serial=301)
    survey = write_survey(tmp_path / "哈拉海镇.xlsx", [household(**_place("东岗村", "001"), 户主姓名="车主",
                                                                   户主身份证号=head)], None)
    roster = write_sheets(tmp_path / "车辆.xlsx", {"Sheet1": (["姓名", "身份证号", "车辆类型"], [["车主", head, "小型轿车"]])})
    args = ["--as-of", AS_OF, "--roster", f"车辆={roster}"]
    screened = run("screen", survey, "-o", tmp_path / "out", *args, env={"COLUMNS": "300"})
    checked = run("check", survey, "-o", tmp_path / "chk", *args, env={"COLUMNS": "300"})
    assert screened.exit_code == 0, screened.output
    assert checked.exit_code == 0, checked.output
    sentence = "信息比对:1 份名单,1 户有成员在名单上;候选户中 1 户有疑点"
    assert sentence in " ".join(screened.output.split()), screened.output
    assert sentence in " ".join(checked.output.split()), checked.output


def test_a_county_wide_rosters_people_of_other_townships_are_said_so(tmp_path):
    """A county's 低保 roster beside one township's survey: its two people of 烧锅镇 are not missing from
    the survey, and quality.xlsx says how many are of places the survey does not cover."""
    head = make_id("19700101", serial=401)
    survey = write_survey(tmp_path / "哈拉海镇.xlsx", [household(**_place("东岗村", "001"), 户主姓名="甲",
                                                                   户主身份证号=head, 是否低保户="是")], None)
    roster = write_sheets(tmp_path / "农安县低保.xlsx", {"Sheet1": (["乡镇", "村", "姓名", "身份证号"], [
        ["哈拉海镇", "东岗村", "甲", head], ["烧锅镇", "长山村", "乙", make_id("19600101", serial=402)],
        ["烧锅镇", "长山村", "丙", make_id("19610101", serial=403)],
        ["哈拉海镇", "东岗村", "丁", make_id("19620101", serial=404)]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    sheet = _text(openpyxl.load_workbook(out / "quality.xlsx")["信息比对"])
    assert "上另有 3 人在调查的农户中找不到,其中 2 人所在的乡镇(县)不在本次调查的范围内" in sheet, sheet
    # And on the terminal, the same count.
    said = "".join(result.output.split())
    assert "上另有3人在调查的农户中找不到,其中2人所在的乡镇(县)不在本次调查的范围内" in said, result.output
