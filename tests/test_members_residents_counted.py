"""A blank 家庭常住人口数 is counted from the members only where the members list the whole household and
each says 是否常住. Found by an outside try, each decided wrong before:
- 家庭人口数 3 and the son left off the members sheet: counted 2 residents, 5250.00, above the limit;
- a blank 是否常住 read as 否: counted 2 of 3, above the limit, and quality.xlsx said 未发现问题;
- a members file keyed by the head's old 15-digit ID linked no one: the household invalid."""

from __future__ import annotations

from test_rosters import run, write_sheets, write_survey
from survey_builders import household, make_id
from edgescreen.outputs.ledger import read_issues, read_ledger

PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}


def screen(tmp_path, households, members, member_headers=("户主身份证号", "姓名", "与户主关系", "身份证号", "是否常住")):
    survey = write_survey(tmp_path / "县.xlsx", households, None)
    members_file = write_sheets(tmp_path / "家庭成员.xlsx", {"家庭成员": (list(member_headers), members)})
    out = tmp_path / "out"
    result = run("screen", survey, members_file, "-o", out, "--as-of", "2020-01-01")
    assert result.exit_code == 0, result.output
    return read_ledger(out / "decisions.csv").set_index("head_name"), read_issues(out / "issues.csv")


def test_a_members_list_short_of_the_household_counts_no_residents(tmp_path):
    head, wife = make_id("19700101", serial=811), make_id("19720101", serial=812)
    whole = make_id("19710101", serial=813)
    households = [household(**PLACE, 户主姓名="甲", 户主身份证号=head, 家庭人口数=3, 家庭常住人口数="", 工资性收入=10500),
                  household(**PLACE, 户主姓名="乙", 户主身份证号=whole, 家庭人口数=2, 家庭常住人口数="", 工资性收入=10500)]
    members = [[head, "甲", "户主", head, "是"], [head, "甲妻", "配偶", wife, "是"],  # the son left off
               [whole, "乙", "户主", whole, "是"], [whole, "乙妻", "配偶", make_id("19730101", serial=814), "是"]]
    ledger, issues = screen(tmp_path, households, members)
    assert ledger.loc["甲", "status"] == "invalid", ledger.loc["甲"]
    said = issues[(issues["code"] == "missing_value") & (issues["head_name"] == "甲")]["message"]
    assert said.str.contains("家庭成员表虽列出了这一户,但不能据此推算常住人口").any(), said
    assert ledger.loc["乙", "status"] == "above_limit" and ledger.loc["乙", "residents"] == "2", ledger.loc["乙"]


def test_a_blank_resident_answer_counts_no_residents(tmp_path):
    head = make_id("19700101", serial=821)
    households = [household(**PLACE, 户主姓名="丙", 户主身份证号=head, 家庭人口数=3, 家庭常住人口数="", 工资性收入=9000)]
    members = [[head, "丙", "户主", head, "是"], [head, "丙妻", "配偶", make_id("19720101", serial=822), "是"],
               [head, "丙子", "子", make_id("19950101", serial=823), ""]]
    ledger, _ = screen(tmp_path, households, members)
    assert ledger.loc["丙", "status"] == "invalid", ledger.loc["丙"]


def test_members_keyed_by_the_heads_old_15_digit_id_link(tmp_path):
    head = make_id("19700101", serial=831)
    old = head[:6] + head[8:17]
    households = [household(**PLACE, 户主姓名="丁", 户主身份证号=head, 家庭人口数=2, 家庭常住人口数="", 工资性收入=7000)]
    members = [[old, "丁", "户主", head, "是"], [old, "丁妻", "配偶", make_id("19720101", serial=832), "是"]]
    ledger, _ = screen(tmp_path, households, members)
    assert ledger.loc["丁", "status"] == "candidate" and ledger.loc["丁", "residents"] == "2", ledger.loc["丁"]


def test_a_person_listed_twice_in_one_household_is_said_on_the_repeated_row_and_counted_once(tmp_path):
    """An outside try: 庚七 pasted twice was said only as a count mismatch, naming no row; and counted
    twice, a list short of a member passed for the whole household."""
    head, wife = make_id("19700101", serial=841), make_id("19720101", serial=842)
    households = [household(**PLACE, 户主姓名="庚", 户主身份证号=head, 家庭人口数=3, 家庭常住人口数="", 工资性收入=10500)]
    members = [[head, "庚", "户主", head, "是"], [head, "庚七", "配偶", wife, "是"], [head, "庚七", "配偶", wife, "是"]]
    ledger, issues = screen(tmp_path, households, members)
    assert ledger.loc["庚", "status"] == "invalid", ledger.loc["庚"]  # 2 people, not the 3 it says
    twice = issues[issues["code"] == "member_listed_twice"]
    assert len(twice) == 1 and twice.iloc[0]["row"] == "4", twice
    assert "家庭成员「庚七」在这一户已经列过(第3行)" in twice.iloc[0]["message"], twice.iloc[0]["message"]
