"""A household's 是否低保户 / 是否特困人员 against its own members table (an outside try, 2026-12): a
低保户 typed 否 on the household row while the members table says 是否低保 = 是 for its people was a
candidate with no word, the members' column known but never read. It decides the household (an
exclusion or a candidate), so the contradiction is an error, naming the members and their rows (the
household 数据有误,待核实, not a candidate); and a household typed 是 whose members all say 否 is one
too (it stays excluded). Members that answer as the household does,
or that leave the column blank, and a household with some members covered (单人保), are not."""
from __future__ import annotations

from survey_builders import household, make_id
from test_rosters import AS_OF, MEMBER_HEADERS, codes_at, head, issues, member, run, write_survey

from edgescreen.outputs.ledger import read_ledger

HEADERS = MEMBER_HEADERS + ["是否低保", "是否特困"]


def test_household_flags_are_held_against_the_members_table(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19640101"), 家庭人口数="2",
                    是否低保户=dibao, 是否特困人员=tekun)
          for i, (dibao, tekun) in enumerate([("否", "否"), ("是", "否"), ("是", "否"), ("否", "否"), ("", "否"),
                                              ("否", "是")], start=1)]

    def pair(h, said_head, said_spouse, column="是否低保"):
        other = "是否特困" if column == "是否低保" else "是否低保"
        return [head(h, **{column: said_head, other: "否"}),
                member(h, h["户主姓名"] + "妻", "配偶", make_id("19660101"), **{column: said_spouse, other: "否"})]

    members = (pair(hh[0], "否", "是")       # row 2: 否 on the household, the wife 是: warned
               + pair(hh[1], "否", "否")     # row 3: 是, both say 否: warned
               + pair(hh[2], "是", "否")     # row 4: 是, the head alone covered (单人保): as it may be
               + pair(hh[3], "", "")         # row 5: the column blank for them: nothing said
               + pair(hh[4], "是", "是")     # row 6: the household's cell blank (read as 否), both 是: warned
               + pair(hh[5], "是", "是", column="是否特困"))  # row 7: 特困 as said
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, HEADERS), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "members_flag_differ") == ["2", "3", "6"]
    said = issues(out).loc[lambda f: f["code"] == "members_flag_differ"].set_index("行号")["说明"]
    assert "按「否」认定" in said["2"] and "1 人的「是否低保」为「是」:配偶 户1妻(家庭成员表第 3 行)" in said["2"], said["2"]
    assert "2 人的「是否低保」都是「否」" in said["3"], said["3"]
    assert "2 人的「是否低保」为「是」:户主 户5;配偶 户5妻(家庭成员表第 10,11 行)" in said["6"], said["6"]
    # An error: a 低保户 typed 否 is no candidate until it is put right; one typed 是 stays excluded.
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["户1", "status"] == "invalid" and ledger.loc["户2", "status"] == "excluded_dibao"
    assert ledger.loc["户3", "status"] == "excluded_dibao" and ledger.loc["户4", "status"] != "invalid"


def test_members_table_without_the_columns_says_nothing(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号="001", 户主姓名="户1", 户主身份证号=make_id("19640101"), 家庭人口数="1",
                    是否低保户="是")]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, [head(hh[0])]), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "members_flag_differ") == []


def test_a_tekun_household_with_an_able_member_of_working_age_is_said(tmp_path):
    """特困 is for people without labour nor anyone bound to keep them (an outside try: a couple of about
    40 with two adult children, all 普通劳动力 and earning, excluded as 特困 with no word). A member of
    working age (16 to 60 as the rule set's [exit] says) whose 劳动技能 says they can work is named."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id(birth), 家庭人口数=str(n),
                    是否特困人员="是", 转移性收入=6600)
          for i, (birth, n) in enumerate([("19780101", 2), ("19480101", 1), ("19500101", 3)], start=1)]
    members = [head(hh[0], 劳动技能="弱劳动力或半劳动力"),
               member(hh[0], "户1子", "子", make_id("19990101"), 劳动技能="普通劳动力"),   # row 2: 21, able: said
               head(hh[1], 劳动技能="丧失劳动力"),                                        # row 3: alone, 72
               head(hh[2], 劳动技能="丧失劳动力"),
               member(hh[2], "户3妻", "配偶", make_id("19540101"), 劳动技能="普通劳动力"),  # row 4: 66, past working age
               member(hh[2], "户3弟", "弟弟", make_id("19800101"), 劳动技能="普通劳动力")]  # a brother: not bound
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, MEMBER_HEADERS + ["劳动技能"]),
                 "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "tekun_with_labour") == ["2"]
    said = issues(out).loc[lambda f: f["code"] == "tekun_with_labour", "说明"].iloc[0]
    assert "子 户1子(21,普通劳动力)" in said and "16至60岁" in said, said


def test_the_dead_noted_in_the_remarks_are_said(tmp_path):
    """An outside try: 已故 in a member row's 备注, and 户主已于2019年9月病故 in the household's, were never
    read; a person living alone who had died was screened as a living household. A member noted dead
    and still counted resident, and a head the remarks say died, are warned; a note of someone else's
    death (户主母亲已故) or of none (未死亡) is not."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    notes = ["户主已于2019年9月病故", "户主母亲已故", "", ""]
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19500101"), 家庭人口数="2",
                    备注=note) for i, note in enumerate(notes, start=1)]
    members = [head(hh[0]), member(hh[0], "户1妻", "配偶", make_id("19520101")),
               head(hh[1]), member(hh[1], "户2妻", "配偶", make_id("19520101")),
               head(hh[2]), member(hh[2], "户3妻", "配偶", make_id("19520101"), 备注="2019年8月去世"),    # row 4
               head(hh[3]), member(hh[3], "户4妻", "配偶", make_id("19520101"), 备注="已故", 是否常住="否")]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, MEMBER_HEADERS + ["备注"]),
                 "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "head_noted_deceased") == ["2"]
    assert codes_at(out, "member_noted_deceased") == ["4"]
    said = issues(out).loc[lambda f: f["code"] == "member_noted_deceased", "说明"].iloc[0]
    assert "配偶 户3妻「2019年8月去世」仍计入家庭常住人口" in said, said


def test_members_as_other_systems_export_them_and_the_dead_among_them(tmp_path):
    """A second outside try: 是否享受低保 = 农村低保 / 城市低保, 是否特困 = 分散供养, as other systems export
    them, were read as nothing said (a 低保 household typed 否 stayed a candidate); and a 单人保 mother
    who died (not resident, 备注 2019年8月去世) made the household's right 否 an error."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19640101"), 家庭人口数="2")
          for i in range(1, 4)]
    members = [head(hh[0], 是否享受低保="农村低保"), member(hh[0], "户1妻", "配偶", make_id("19660101"), 是否享受低保="否"),
               head(hh[1], 是否特困="分散供养"), member(hh[1], "户2妻", "配偶", make_id("19660101")),
               head(hh[2], 是否享受低保="否"),
               member(hh[2], "户3母", "母亲", make_id("19400101"), 是否享受低保="是", 是否常住="否", 备注="2019年8月去世")]
    headers = MEMBER_HEADERS + ["是否享受低保", "是否特困", "备注"]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, headers), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "members_flag_differ") == ["2", "3"]


def test_a_death_noted_of_someone_else_is_no_death_of_the_head_or_the_member(tmp_path):
    """A second outside try: 户主老伴去世,现独居 and a living member's own 配偶已于2020年去世 were read as the
    head's and the member's own deaths."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    notes = ["户主老伴去世,现独居", "户主爱人2020年病故", "户主叔叔已故", "户主已于2019年9月病故"]
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19500101"), 家庭人口数="2",
                    备注=note) for i, note in enumerate(notes, start=1)]
    members = [head(hh[0], 备注="丧偶,配偶已于2020年去世"), member(hh[0], "户1女", "女儿", make_id("19800101"), 备注="父亲已故,随母生活"),
               head(hh[1]), head(hh[2]), head(hh[3])]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, MEMBER_HEADERS + ["备注"]),
                 "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "head_noted_deceased") == ["5"]
    assert codes_at(out, "member_noted_deceased") == []
