"""changes.xlsx over three income years (outside tester): a registered household that splits (分户: the
son's new household with part of the members, under a new 户编号) read as a plain 新识别候选, and the old
one said nothing of members leaving; a household taken off the 2019 list came back in 2021 as
「上一轮(2019年)」 though the round before was 2020's."""

from __future__ import annotations

from survey_builders import make_id
from test_years import sheet_rows
from years_builders import enter_everyone, members_file, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"19{50 + m}0101", serial=640 + m) for m, k in enumerate("ABCSW", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def notes(path) -> dict:
    return {r["户主姓名"]: " ".join(str(v) for v in r.values() if isinstance(v, str)) for r in sheet_rows(path, "变动名单")}


KID = make_id(birth="20150101", serial=661)
OTHER = make_id(birth="19450101", serial=662)


def split_in_2020(tmp_path):
    """2019: 户A of 5 on the register (户S, his wife W and two more among its members), 户B of 1. 2020: 户S
    heads his own household (new 户编号) with W and a child, 户A keeps 2. Returns the register."""
    kid, other = KID, OTHER
    m2019 = members_file(tmp_path / "成员2019.xlsx", {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力"), (other, "配偶", "无劳动力"), (IDS["S"], "子", "普通劳动力"),
                   (IDS["W"], "儿媳", "普通劳动力"), (kid, "孙子", "无劳动力")],
        IDS["B"]: [(IDS["B"], "户主", "普通劳动力")]})
    db = register_everyone(tmp_path, [person("A", 家庭人口数=5, 家庭常住人口数=5, 工资性收入=17500), person("B")],
                           inputs=(m2019,))
    m2020 = members_file(tmp_path / "成员2020.xlsx", {
        IDS["A"]: [(IDS["A"], "户主", "普通劳动力"), (other, "配偶", "无劳动力")],
        IDS["S"]: [(IDS["S"], "户主", "普通劳动力"), (IDS["W"], "配偶", "普通劳动力"), (kid, "子", "无劳动力")],
        IDS["B"]: [(IDS["B"], "户主", "普通劳动力")]})
    source = survey(tmp_path / "2020.xlsx", [person("A", 家庭人口数=2, 家庭常住人口数=2, 工资性收入=7000), person("B"),
                                            person("S", 家庭人口数=3, 家庭常住人口数=3, 工资性收入=10500)])
    run("screen", source, m2020, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20")
    return db


def test_a_split_of_a_registered_household_is_said_on_both_lines(tmp_path, monkeypatch):
    """户S's split from 户A (split_in_2020): both lines of changes.xlsx say members moved."""
    monkeypatch.chdir(tmp_path)
    split_in_2020(tmp_path)
    said = notes(tmp_path / "out" / "changes.xlsx")
    assert "新识别候选" in said["户S"]
    assert "分户:本户有 3 人在登记簿上是在册户合隆镇前岗村「户A」户的家庭成员" in said["户S"], said["户S"]
    assert "拆户" in said["户S"]
    assert "分户:本户登记的家庭成员中有 3 人本年列在合隆镇前岗村「户S」户" in said["户A"], said["户A"]
    assert "分户" not in said["户B"], said["户B"]


def test_a_removal_two_rounds_back_is_named_by_its_year_not_as_the_last_round(tmp_path, monkeypatch):
    """户C: 不同意 at the 2019 review; above the bound in 2020 (no candidate); a candidate again in 2021."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "2019.xlsx", [person("A"), person("C")]), "-o", tmp_path / "out2019",
        "--register", db, "--date", "2019-11-20")
    enter_everyone(tmp_path, db, turned_down={"户C": ("家中有经营性货车一辆", "2019-11-25")})
    run("screen", survey(tmp_path / "2020.xlsx", [person("A", 工资性收入=10500), person("C", 工资性收入=15000)]),
        "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("screen", survey(tmp_path / "2021.xlsx", [person("A", 工资性收入=10600), person("C")]),
        "--year", "2021", "-o", tmp_path / "out2021", "--register", db, "--date", "2021-11-20")
    note = notes(tmp_path / "out2021" / "changes.xlsx")["户C"]
    assert "2019年度筛查时因民主评议未纳入(2019-11-25):家中有经营性货车一辆" in note, note
    assert "上一轮" not in note, note
