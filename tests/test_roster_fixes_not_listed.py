"""roster_not_listed ("said 是, the roster lists nobody of the household"), found noisy by an outside try:
- two rosters of one kind (a city's list of members beside its list of households): a household on
  neither was told twice, one on the second only was told by the first;
- a township's roster (合隆镇低保花名册_分村.xlsx, a sheet per village, no 乡镇 column) told every other
  township's 是 household that it "may have stopped": it says nothing of them;
- a roster of another county (its 县(市、区) column) says nothing of this county's households."""

from __future__ import annotations

import pandas as pd

from survey_builders import HEADERS, household, make_id
from test_rosters import AS_OF, run, write_sheets


def _not_listed(out) -> list[str]:
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return sorted(issues.loc[issues["code"] == "roster_not_listed", "户主姓名"].tolist())


def _screen(tmp_path, survey, *rosters) -> list[str]:
    out = tmp_path / "out"
    args = [a for r in rosters for a in ("--roster", f"低保={r}")]
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", *args)
    assert result.exit_code == 0, result.output
    return _not_listed(out)


def _survey(tmp_path, households: list[dict], headers=HEADERS):
    return write_sheets(tmp_path / "县.xlsx", {"户表": (headers, [[h.get(k, "") for k in headers] for h in households])})


def test_two_rosters_of_one_kind_say_a_household_on_neither_once_and_one_on_either_never(tmp_path):
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 是否低保户="是")
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"), 是否低保户="是")
    c = household(户主姓名="丙", 户主身份证号=make_id("19720101"), 是否低保户="是")
    survey = _survey(tmp_path, [a, b, c])
    people = write_sheets(tmp_path / "低保对象.xlsx", {"Sheet": (["姓名", "身份证号"], [["甲", a["户主身份证号"]]])})
    homes = write_sheets(tmp_path / "低保户.xlsx", {"Sheet": (["户主姓名", "户主身份证号"], [["乙", b["户主身份证号"]]])})
    assert _screen(tmp_path, survey, people, homes) == ["丙"]


def test_a_townships_roster_says_nothing_of_the_other_townships_households(tmp_path):
    def place(township: str, village: str) -> dict:
        return {"乡(镇)": township, "行政村": village}
    helong = [household(**place("合隆镇", "前岗村"), 户主姓名="前甲", 户主身份证号=make_id("19700101")),
              household(**place("合隆镇", "前岗村"), 户主姓名="前乙", 户主身份证号=make_id("19700202"), 是否低保户="是"),
              household(**place("合隆镇", "新立村"), 户主姓名="新丙", 户主身份证号=make_id("19700303"), 是否低保户="是")]
    shaoguo = [household(**place("烧锅镇", "长山村"), 户主姓名="长丁", 户主身份证号=make_id("19700404"), 是否低保户="是")]
    survey = _survey(tmp_path, helong + shaoguo)

    def per_village(path):
        # 合隆镇's roster: a sheet per village that has anyone on it, no 乡镇 column.
        return write_sheets(path, {"前岗村": (["序号", "姓名", "身份证号码"], [[1, "前甲", helong[0]["户主身份证号"]]])},
                            title="合隆镇前岗村低保对象花名册")

    # The file's name says the township: its households not on it are said, in every village of it.
    assert _screen(tmp_path, survey, per_village(tmp_path / "合隆镇低保花名册_分村.xlsx")) == ["前乙", "新丙"]
    # Nothing names the township: the township of the village its sheet is named for is what it covers
    # (a village of it with nobody on the roster, 新立村, is the very one to ask about).
    assert _screen(tmp_path, survey, per_village(tmp_path / "低保花名册_分村.xlsx")) == ["前乙", "新丙"]
    # A sheet named for no village of the survey: nothing tells, every 是 household not on it is said.
    plain = write_sheets(tmp_path / "低保名单.xlsx", {"名单": (["姓名", "身份证号"], [["前甲", helong[0]["户主身份证号"]]])})
    assert _screen(tmp_path, survey, plain) == ["前乙", "新丙", "长丁"]


def test_a_roster_of_another_county_says_nothing_of_this_countys_households(tmp_path):
    headers = ["县(市、区)", *HEADERS]
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"), 是否低保户="是", **{"县(市、区)": "农安县"})
    survey = _survey(tmp_path, [a], headers)
    other = write_sheets(tmp_path / "德惠市低保.xlsx", {"Sheet": (["县(市、区)", "村(社区)", "姓名", "身份证号"], [
        ["德惠市", "某村", "路人", make_id("19800101", region="220183")]])})
    assert _screen(tmp_path, survey, other) == []
    ours = write_sheets(tmp_path / "长春市低保.xlsx", {"Sheet": (["县(市、区)", "村(社区)", "姓名", "身份证号"], [
        ["德惠市", "某村", "路人", make_id("19800101", region="220183")],
        ["农安县", "前岗村", "路人乙", make_id("19810101")]])})
    assert _screen(tmp_path, survey, ours) == ["甲"]
