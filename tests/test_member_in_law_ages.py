"""A spouse's parents are a generation older than the spouse, not the head (an outside try, 2026-12): a
head of 55 whose wife is 45 has a 岳父 of 69, who was warned as a 父母 less than 15 years older than
the head. 公公/婆婆/岳父/岳母 are measured by the spouse's age (not where no spouse's age is known)."""
from __future__ import annotations

from survey_builders import household, make_id
from test_rosters import AS_OF, codes_at, head, issues, member, run, write_survey


def test_parents_in_law_are_measured_by_the_spouse(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19640101"), 家庭人口数="3")
          for i in range(1, 5)]
    members = [
        # 1: head 55, wife 45, her father 69: a generation older than her, not 15 years older than him
        head(hh[0]), member(hh[0], "甲妻", "配偶", make_id("19740101")), member(hh[0], "甲岳父", "岳父", make_id("19500101")),
        # 2: head 55, wife 45, a 婆婆 of 50: five years older than the spouse, warned
        head(hh[1]), member(hh[1], "乙妻", "配偶", make_id("19740101")), member(hh[1], "乙婆婆", "婆婆", make_id("19690101")),
        # 3: no spouse listed: the 岳母 is not measured by anyone
        head(hh[2]), member(hh[2], "丙子", "子", make_id("19900101")), member(hh[2], "丙岳母", "岳母", make_id("19660101")),
        # 4: the head's own father of 69 is still measured by the head (55): warned
        head(hh[3]), member(hh[3], "丁妻", "配偶", make_id("19660101")), member(hh[3], "丁父", "父亲", make_id("19500101")),
    ]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "member_age_relation") == ["3", "5"]  # 乙 and 丁
    said = " ".join(issues(out).loc[lambda f: f["code"] == "member_age_relation", "说明"])
    assert "婆婆 乙婆婆(51)" in said and "公婆、岳父母与配偶相差" in said, said
