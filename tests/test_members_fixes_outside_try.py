"""Members as an outside tester found them read wrong (each test failed before its fix):
- a printed form's block, no keys, no 家庭人口数 column: the next household's children, its 户主 row
  forgotten, were counted as the residents of the household above (4 for 2: below_line, silently);
- a village spelled another way on the members sheet (前岗村村委会, 前岗) left every member unlinked;
- member_listed_twice quoted the ID it is about as blank."""

from __future__ import annotations

from test_rosters import run, write_sheets
from survey_builders import make_id
from edgescreen.outputs.ledger import read_issues, read_ledger

HOUSEHOLD = ["乡(镇)", "行政村", "户编号", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入",
             "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "是否低保户",
             "是否特困人员"]


def row(hid, name, head_id, residents, wage, village="前岗村"):
    return ["合隆镇", village, hid, name, head_id, residents, wage, 0, 0, 0, 0, 0, 0, "否", "否"]


def screen(tmp_path, sheets):
    path = write_sheets(tmp_path / "县.xlsx", sheets)
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--as-of", "2020-01-01")
    assert result.exit_code == 0, result.output
    return read_ledger(out / "decisions.csv").set_index("head_name"), read_issues(out / "issues.csv")


def test_a_block_without_household_size_does_not_count_the_residents(tmp_path):
    zhang, wang = make_id("19700301", serial=101), make_id("19680301", serial=103)
    households = [row("", "张大", zhang, "", 7200), row("", "王二", wang, 3, 10800)]
    members = [["张大", "户主", zhang, "是"], ["李梅", "配偶", make_id("19720301", serial=102), "是"],
               # 王二's own 户主 row forgotten: his children stand under 张大's block
               ["王小军", "儿子", make_id("19950301", serial=104), "是"],
               ["王小丽", "女儿", make_id("19980301", serial=105), "是"]]
    ledger, issues = screen(tmp_path, {"登记表": ([h for h in HOUSEHOLD if h != "户编号"],
                                               [r[:2] + r[3:] for r in households]),
                                       "家庭成员": (["姓名", "与户主关系", "身份证号", "是否常住"], members)})
    assert ledger.loc["张大", "status"] == "invalid", ledger.loc["张大"]
    assert ledger.loc["张大", "residents"] == "", ledger.loc["张大"]
    said = issues[(issues["code"] == "missing_value") & (issues["head_name"] == "张大")]["message"]
    assert said.str.contains("只因排在户主行下面").any(), said


def test_a_block_held_by_household_size_still_counts(tmp_path):
    zhang = make_id("19700301", serial=111)
    header = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭人口数", "家庭常住人口数", "家庭总收入",
              "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    members = [["张大", "户主", zhang, "是"], ["李梅", "配偶", make_id("19720301", serial=112), "是"]]
    ledger, _ = screen(tmp_path, {"登记表": (header, [["合隆镇", "新华村", "张大", zhang, 2, "", 7200, 0, "否", "否"]]),
                                  "家庭成员": (["姓名", "与户主关系", "身份证号", "是否常住"], members)})
    assert ledger.loc["张大", "status"] == "candidate" and ledger.loc["张大", "residents"] == "2", ledger.loc["张大"]


def _spelled(tmp_path, village):
    ids = [make_id("19700501", serial=s) for s in (1, 2, 3)]
    wife, shared = make_id("19700501", serial=4), make_id("19950501", serial=5)
    households = [row("001", "张一", ids[0], "", 7200), row("002", "李二", ids[1], 2, 7200),
                  row("003", "王三", ids[2], 2, 7200)]
    members = [["合隆镇", village, "001", "张一", "户主", ids[0], "是"], ["合隆镇", village, "001", "张妻", "配偶", wife, "是"],
               ["合隆镇", village, "002", "李二", "户主", ids[1], "是"], ["合隆镇", village, "002", "李小", "女", shared, "是"],
               ["合隆镇", village, "003", "王三", "户主", ids[2], "是"], ["合隆镇", village, "003", "李小", "儿媳", shared, "是"]]
    return screen(tmp_path, {"前岗村": (HOUSEHOLD, households),
                             "家庭成员": (["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "是否常住"], members)})


def test_members_village_with_its_committee_words_link_as_households_merge(tmp_path):
    ledger, issues = _spelled(tmp_path, "前岗村村委会")
    assert ledger.loc["张一", "status"] == "candidate" and ledger.loc["张一", "residents"] == "2", ledger.loc["张一"]
    assert set(ledger.loc[["李二", "王三"], "status"]) == {"invalid"}  # 串户 found
    assert (issues["code"] == "person_in_two_households").sum() == 2
    assert not (issues["code"] == "member_without_household").any()
    merged = issues[(issues["code"] == "place_spelling_merged") & (issues["table"] == "members")]
    assert len(merged) == 6 and (merged["village"] == "前岗村").all(), merged


def test_members_village_no_household_has_links_by_household_id_and_says_so(tmp_path):
    ledger, issues = _spelled(tmp_path, "前岗")
    assert ledger.loc["张一", "status"] == "candidate" and ledger.loc["张一", "residents"] == "2", ledger.loc["张一"]
    assert (issues["code"] == "person_in_two_households").sum() == 2
    said = issues[(issues["code"] == "place_spelling_merged") & (issues["table"] == "members")]
    assert len(said) == 6 and said["message"].str.contains("户表中没有这个村").all(), said
    assert (said["village"] == "前岗村").all()


def test_member_listed_twice_quotes_the_id(tmp_path):
    head, wife = make_id("19850605", serial=158), make_id("19850605", serial=159)
    households = [row("001", "何宝", head, 2, 7200)]
    members = [["001", "何宝", "户主", head, "是"], ["001", "何妻", "配偶", wife, "是"], ["001", "何宝", "户主", head, "是"]]
    _, issues = screen(tmp_path, {"户表": (HOUSEHOLD, households),
                                  "家庭成员": (["户编号", "姓名", "与户主关系", "身份证号", "是否常住"], members)})
    twice = issues[issues["code"] == "member_listed_twice"]
    assert len(twice) == 1 and twice["value"].iloc[0] == head, twice
    assert f"为「{head}」" in twice["message"].iloc[0]


def test_a_household_number_stored_as_a_number_is_named_as_the_cause(tmp_path):
    """户编号 1, 2 on the members sheet where the households have 001, 002 (Excel dropped the zeros):
    unlinked, as before, and each says which number the households have and why it differs."""
    ids = [make_id("19700601", serial=s) for s in (21, 22)]
    households = [row("001", "张一", ids[0], 2, 7200), row("002", "李二", ids[1], 2, 7200)]
    members = [["合隆镇", "前岗村", 1, "张一", "户主", ids[0], "是"], ["合隆镇", "前岗村", 2, "李二", "户主", ids[1], "是"]]
    _, issues = screen(tmp_path, {"登记表": (HOUSEHOLD, households),
                                  "家庭成员": (["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "是否常住"],
                                           members)})
    said = issues[issues["code"] == "member_without_household"]["message"]
    assert len(said) == 2 and said.str.contains("户表有「001」:多半是 Excel 把成员表的户编号存成了数字").any(), said
