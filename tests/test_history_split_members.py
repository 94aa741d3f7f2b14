"""`register history` of a household that split (分户): the son's new household and his father's each
name the other, with the member, the year and the relations; a household whose members stayed says
nothing of the kind (outside tester: a 分家 son's trail did not name the household he left)."""

from __future__ import annotations

from test_year3_changes_wording import IDS, KID, OTHER, split_in_2020
from years_builders import run


def test_history_names_the_household_a_member_was_listed_in_before_and_after_a_split(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db, kid, other = split_in_2020(tmp_path), KID, OTHER

    son = run("register", "history", db, "--id", IDS["S"]).output
    assert f"家庭成员 {IDS['S']}(本户:户主)2019 年度的调查也列在「户A」户(合隆镇前岗村,与户主关系:子)" in son, son
    assert f"家庭成员 {kid}(本户:子)2019 年度的调查也列在「户A」户(合隆镇前岗村,与户主关系:孙子)" in son, son
    father = run("register", "history", db, "--id", IDS["A"]).output
    assert f"家庭成员 {IDS['W']}(本户:儿媳)2020 年度的调查也列在「户S」户(合隆镇前岗村,与户主关系:配偶)" in father, father
    # His wife stayed in 户A: no line of its trail says she was listed elsewhere.
    assert not any(other in line and "也列在" in line for line in father.splitlines()), father
    assert "也列在" not in run("register", "history", db, "--id", IDS["B"]).output


def test_the_meetings_review_list_says_a_candidate_split_off_another_household(tmp_path, monkeypatch):
    """changes.xlsx said 户S split off 户A (拆户 to question); the meeting's own form, where it is
    questioned, said nothing: its 此前未纳入 column says it now."""
    import openpyxl

    monkeypatch.chdir(tmp_path)
    db = split_in_2020(tmp_path)
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "文书")
    form = next((tmp_path / "文书").rglob("*前岗村*.xlsx"))
    texts = [" ".join(str(c) for c in row if c is not None)
             for ws in openpyxl.load_workbook(form) for row in ws.iter_rows(values_only=True)]
    row = next(t for t in texts if "户S" in t)
    assert "2019年调查时是合隆镇前岗村「户A」户的家庭成员,本年分出:请核实是否为纳入而拆户" in row, row
    assert not any("户B" in t and "分出" in t for t in texts)
