"""`register history` of a household that split (分户): the son's new household and his father's each
name the other, with the member, the year and the relations; a household whose members stayed says
nothing of the kind (outside tester: a 分家 son's trail did not name the household he left)."""

from __future__ import annotations

from survey_builders import make_id
from test_year3_changes_wording import IDS, person
from years_builders import members_file, register_everyone, run, survey


def test_history_names_the_household_a_member_was_listed_in_before_and_after_a_split(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    kid = make_id(birth="20150101", serial=661)
    other = make_id(birth="19450101", serial=662)
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

    son = run("register", "history", db, "--id", IDS["S"]).output
    assert f"家庭成员 {IDS['S']}(本户:户主)2019 年度的调查也列在「户A」户(合隆镇前岗村,与户主关系:子)" in son, son
    assert f"家庭成员 {kid}(本户:子)2019 年度的调查也列在「户A」户(合隆镇前岗村,与户主关系:孙子)" in son, son
    father = run("register", "history", db, "--id", IDS["A"]).output
    assert f"家庭成员 {IDS['W']}(本户:儿媳)2020 年度的调查也列在「户S」户(合隆镇前岗村,与户主关系:配偶)" in father, father
    assert other not in father.split("也列在")[0], father  # the wife stayed: not named
    assert "也列在" not in run("register", "history", db, "--id", IDS["B"]).output
