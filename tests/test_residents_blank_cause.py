"""A blank 家庭常住人口数 the members list but cannot count is an error naming the cause that applies. An
outside try (a monitoring system's export: 户编号 of 22 digits on every member row, the heads' rows there,
no 是否常住 column) was told five causes at once, and to fill a 家庭人口数 already filled."""

from __future__ import annotations

from test_rosters import run, write_sheets, write_survey
from survey_builders import household, make_id
from edgescreen.outputs.ledger import read_issues, read_ledger

PLACE = {"乡(镇)": "哈拉海镇", "行政村": "哈拉海村"}
HEADS_ID = ("户主身份证号", "姓名", "与户主关系", "身份证号", "是否常住")


def residents_said(out, lang="zh"):
    """{head's name: the message on its 家庭常住人口数 cell} of a run's issues.csv."""
    issues = read_issues(out / "issues.csv")
    on = issues[(issues["field"] == "residents") & (issues["code"] == "missing_value")]
    assert on["head_name"].is_unique, on
    return dict(zip(on["head_name"], on["message"]))


def test_a_members_sheet_without_resident_column_is_named_and_no_filled_count_asked_for(tmp_path):
    ids = [make_id("19650101", serial=901), make_id("19680101", serial=902), make_id("19900101", serial=903),
           make_id("19700101", serial=904), make_id("19720101", serial=905)]
    households = [household(**PLACE, 户编号="2201221060010000000001", 户主姓名="孟玉芬", 户主身份证号=ids[0],
                            家庭人口数=3, 家庭常住人口数="", 工资性收入=10500),
                  household(**PLACE, 户编号="2201221060010000000002", 户主姓名="尹宝山", 户主身份证号=ids[3],
                            家庭人口数=2, 家庭常住人口数="", 工资性收入=7000)]
    headers = ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号"]  # no 是否常住
    members = [{**PLACE, "户编号": "2201221060010000000001", "姓名": "孟玉芬", "与户主关系": "户主", "身份证号": ids[0]},
               {**PLACE, "户编号": "2201221060010000000001", "姓名": "孟大", "与户主关系": "配偶", "身份证号": ids[1]},
               {**PLACE, "户编号": "2201221060010000000001", "姓名": "孟二", "与户主关系": "子", "身份证号": ids[2]},
               {**PLACE, "户编号": "2201221060010000000002", "姓名": "尹宝山", "与户主关系": "户主", "身份证号": ids[3]},
               {**PLACE, "户编号": "2201221060010000000002", "姓名": "尹妻", "与户主关系": "配偶", "身份证号": ids[4]}]
    survey = write_survey(tmp_path / "A3.xlsx", households, members, member_headers=headers)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", "2019-12-31")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert (ledger["status"] == "invalid").all(), ledger  # rightly: nobody's residence is known
    said = residents_said(out)
    assert set(said) == {"孟玉芬", "尹宝山"}, said
    for message in said.values():
        assert "不能据此推算常住人口:成员表没有「是否常住」一列" in message, message
        assert "请填写常住人口数,或在家庭成员表加上「是否常住」一列" in message, message
        # 家庭人口数 is filled, the members as many, the heads' rows there: none of that is said.
        for other in ("填写家庭人口数", "与家庭人口数不符", "没有户主本人一行", "户编号和户主身份证号"):
            assert other not in message, message
    # The English twin says the same.
    out_en = tmp_path / "out_en"
    result = run("screen", survey, "-o", out_en, "--as-of", "2019-12-31", "--lang", "en")
    assert result.exit_code == 0, result.output
    for message in residents_said(out_en, "en").values():
        assert "it has no 是否常住 column" in message and "add a 是否常住 column" in message, message
        assert "fill in 家庭人口数" not in message and "not as many as" not in message, message


def test_each_household_is_told_its_own_cause_and_a_filled_count_is_never_asked_for(tmp_path):
    """A members sheet with 是否常住: a member left off, a 是否常住 blank, the head's row missing, two of
    these at once; and a whole household, counted."""
    ids = {k: make_id(f"19{60 + k}0101", serial=910 + k) for k in range(14)}
    households = [
        household(**PLACE, 户主姓名="甲", 户主身份证号=ids[0], 家庭人口数=3, 家庭常住人口数="", 工资性收入=10500),
        household(**PLACE, 户主姓名="乙", 户主身份证号=ids[3], 家庭人口数=3, 家庭常住人口数="", 工资性收入=10500),
        household(**PLACE, 户主姓名="丙", 户主身份证号=ids[6], 家庭人口数=2, 家庭常住人口数="", 工资性收入=7000),
        household(**PLACE, 户主姓名="丁", 户主身份证号=ids[9], 家庭人口数=3, 家庭常住人口数="", 工资性收入=10500),
        household(**PLACE, 户主姓名="戊", 户主身份证号=ids[12], 家庭人口数=2, 家庭常住人口数="", 工资性收入=7000),
    ]
    members = [[ids[0], "甲", "户主", ids[0], "是"], [ids[0], "甲妻", "配偶", ids[1], "是"],  # the son left off
               [ids[3], "乙", "户主", ids[3], "是"], [ids[3], "乙妻", "配偶", ids[4], "是"],
               [ids[3], "乙子", "子", ids[5], ""],  # 是否常住 blank
               [ids[6], "丙妻", "配偶", ids[7], "是"], [ids[6], "丙子", "子", ids[8], "是"],  # no head's row
               [ids[9], "丁", "户主", ids[9], "是"], [ids[9], "丁妻", "配偶", ids[10], ""],  # short, and a blank
               [ids[12], "戊", "户主", ids[12], "是"], [ids[12], "戊妻", "配偶", ids[13], "否"]]
    survey = write_survey(tmp_path / "县.xlsx", households, None)
    members_file = write_sheets(tmp_path / "家庭成员.xlsx", {"家庭成员": (list(HEADS_ID), members)})
    out = tmp_path / "out"
    result = run("screen", survey, members_file, "-o", out, "--as-of", "2020-01-01")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    said = residents_said(out)
    assert set(said) == {"甲", "乙", "丙", "丁"}, said
    assert ledger.loc["戊", "residents"] == "1", ledger.loc["戊"]  # whole: counted from its members
    lead = "家庭成员表虽列出了这一户,但不能据此推算常住人口:"
    assert f"{lead}列出的人数与家庭人口数不符。请填写常住人口数,或核对家庭人口数和家庭成员表" in said["甲"], said["甲"]
    assert f"{lead}有人的「是否常住」未填。请填写常住人口数,或在家庭成员表补填" in said["乙"], said["乙"]
    assert f"{lead}没有户主本人一行。请填写常住人口数,或在家庭成员表补上户主本人一行" in said["丙"], said["丙"]
    # Two causes at once: the ones a household with 家庭人口数 filled can have, and only those.
    assert f"{lead}列出的人数与家庭人口数不符、有人「是否常住」未填,或没有户主本人一行" in said["丁"], said["丁"]
    assert "户编号和户主身份证号" not in said["丁"], said["丁"]
    for name in ("甲", "乙", "丙"):
        others = [w for w in ("与家庭人口数不符", "「是否常住」未填", "没有户主本人一行") if w in said[name]]
        assert len(others) == 1, said[name]  # its own cause, no other
    for name, message in said.items():
        assert ledger.loc[name, "status"] == "invalid", ledger.loc[name]
        assert "填写家庭人口数" not in message and "是否常住」一列" not in message, message
