"""One fault said once: a household whose head's own row is missing from the members table is one
member short, and that is the head. head_not_in_members says it, with the counts it leaves short;
member_count_mismatch does not say it again. Where the counts are off by more than the head (short by
two, or over), that is a second fault: both are said, the count's words giving the count with the head.
A head's row that is there under another ID is counted: a count one short is then another member's."""

from __future__ import annotations

import openpyxl

from survey_builders import household, make_id
from test_rosters import codes_at, head, issues, member, run, write_survey
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2020-01-01"


def _households(sizes: list[int], residents: list[int] | None = None, **more) -> list[dict]:
    residents = residents or sizes
    return [household(户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i % 10}0{1 + i % 9}01"),
                      家庭人口数=n, 家庭常住人口数=r, **more) for i, (n, r) in enumerate(zip(sizes, residents), 1)]


def _others(h: dict, n: int, **more) -> list[dict]:
    """n members of household h besides its head: a spouse, then children."""
    return [member(h, f"{h['户主姓名']}妻", "配偶", make_id("19750101"), **more)] + \
        [member(h, f"{h['户主姓名']}子{k}", "子", make_id(f"200{k}0101"), **more) for k in range(n - 1)]


def _screen(tmp_path, hh, rows, *more, out: str = "out"):
    out = tmp_path / out
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, rows), "-o", out, "--as-of", AS_OF, *more)
    assert result.exit_code == 0, result.output
    return out


def _said(out, code: str, column: str = "说明") -> list[str]:
    frame = issues(out)
    return frame.loc[frame["code"] == code, column].tolist()


def test_a_missing_head_row_one_short_is_said_once_with_what_it_leaves_short(tmp_path):
    """户2 (3 people, 3 resident) lists his wife and son, not himself: one warning on his row, the head's,
    that names both counts short by the head; no member_count_mismatch. Before: three warnings."""
    hh = _households([3, 3, 3])
    rows = [head(hh[0]), *_others(hh[0], 2), *_others(hh[1], 2), head(hh[2]), *_others(hh[2], 2)]
    out = _screen(tmp_path, hh, rows)
    assert codes_at(out, "head_not_in_members") == ["3"]
    assert codes_at(out, "member_count_mismatch") == []
    message = _said(out, "head_not_in_members")[0]
    assert "成员表因此只列出这一户 2 人、标为常住的 2 人,比「家庭人口数」3、「家庭常住人口数」3 都少了户主一人。" in message, message
    assert "请在家庭成员表中补上户主一行" in message, message
    said = issues(_screen(tmp_path, hh, rows, "--lang", "en", out="en"))
    message = said.loc[said["code"] == "head_not_in_members", "message"].item()
    assert "lists 2 members of this household and marks 2 as resident, each one fewer than 家庭人口数 (3) and " \
           "家庭常住人口数 (3): the head. The head is still screened" in message, message
    assert set(said["code"]) == {"head_not_in_members"}


def test_only_the_count_the_head_leaves_short_is_folded(tmp_path):
    """户1: 家庭人口数 one more than listed, 家庭常住人口数 right without him (he lives away): the head's
    warning names 家庭人口数 only. 户2: the other way round (3 listed, one not resident; 家庭常住人口数 3)."""
    hh = _households([3, 3], residents=[2, 3])
    rows = [*_others(hh[0], 2), *_others(hh[1], 2),
            member(hh[1], "户2女", "女", make_id("20050101"), 是否常住="否")]
    out = _screen(tmp_path, hh, rows)
    assert codes_at(out, "member_count_mismatch") == []
    first, second = _said(out, "head_not_in_members")
    assert "成员表因此只列出这一户 2 人,比「家庭人口数」3 少了户主一人。" in first and "常住" not in first, first
    assert "成员表中标为常住的因此只有 2 人,比「家庭常住人口数」3 少了户主一人。" in second, second
    assert "家庭人口数" not in second, second


def test_counts_off_by_more_than_the_head_are_said_too_with_the_count_with_the_head(tmp_path):
    """户1 lists 2 for 5 people (short by two: the head and one more); 户2 lists 3 for 2 people (over):
    both faults on each, the count's words saying the head's row is missing and the count with him."""
    hh = _households([5, 2], residents=[5, 2])
    rows = [*_others(hh[0], 2), *_others(hh[1], 3)]
    out = _screen(tmp_path, hh, rows)
    assert codes_at(out, "head_not_in_members") == ["2", "3"]
    assert codes_at(out, "member_count_mismatch") == ["2", "2", "3", "3"]
    said = issues(out).query("code == 'member_count_mismatch'").set_index(["行号", "单元格"])["说明"]
    members, residents = chr(ord("A") + 7), chr(ord("A") + 8)  # H 家庭人口数, I 家庭常住人口数
    # The cell named as every other message names it (第2行 H列「…」): it had no column letter.
    assert said[("2", f"{members}2")] == (f"第2行 {members}列「家庭人口数」为 5,家庭成员表中列出这一户 2 人(没有户主本人的一行),"
                                          "算上户主是 3 人,仍对不上:户主以外还有成员漏列或多列")
    assert "列出这一户 3 人(没有户主本人的一行),算上户主是 4 人,仍对不上" in said[("3", f"{members}3")]
    assert "标为常住的有 2 人(没有户主本人的一行),算上户主也只能是 2 或 3 人,仍对不上" in said[("2", f"{residents}2")]
    for message in _said(out, "head_not_in_members"):
        assert "少了户主一人" not in message, message


def test_a_head_row_under_another_id_is_counted_and_a_short_count_still_said(tmp_path):
    """户1's 户主 row gives another (valid) ID, and his son is missing: 2 listed for 3. His row is there,
    counted: the count one short is the son's, said as well as the head's ID."""
    hh = _households([3, 3])
    rows = [member(hh[0], "户1", "户主", make_id("19500101")), *_others(hh[0], 1),
            head(hh[1]), *_others(hh[1], 2)]
    out = _screen(tmp_path, hh, rows)
    assert codes_at(out, "head_not_in_members") == ["2"]
    assert codes_at(out, "member_count_mismatch") == ["2", "2"]
    assert "少了户主一人" not in _said(out, "head_not_in_members")[0]


def test_a_short_count_is_not_silenced_where_the_heads_warning_is_not_said(tmp_path):
    """户1's head ID fails its check: head_not_in_members is not said of him, so his members one short
    stay member_count_mismatch's, in their own words."""
    hh = _households([3, 3])
    bad = hh[0]["户主身份证号"]
    hh[0]["户主身份证号"] = bad[:-1] + ("1" if bad[-1] != "1" else "2")
    rows = [*_others(hh[0], 2), head(hh[1]), *_others(hh[1], 2)]
    out = _screen(tmp_path, hh, rows)
    assert codes_at(out, "head_not_in_members") == []
    assert codes_at(out, "member_count_mismatch") == ["2", "2"]
    assert all("没有户主本人的一行" not in m for m in _said(out, "member_count_mismatch"))


def test_a_members_sheet_without_heads_is_one_finding_not_two(tmp_path):
    """25 households, each listing all but its head: the quality report's overview has the heads' finding
    alone, with its cause; the counts it leaves short are not a second finding of the sheet."""
    hh = _households([3] * 25)
    rows = [m for h in hh for m in _others(h, 2)]
    out = _screen(tmp_path, hh, rows)
    overview = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "quality.xlsx")["概览"].iter_rows()
                        for c in row if c.value is not None)
    assert "户主不在成员表中 25 行" in overview, overview
    assert "「家庭人口数」:成员人数与户表不符" not in overview, overview
    assert "「家庭常住人口数」:成员人数与户表不符" not in overview, overview
    # Its 25 warnings counted as the terminal counts them: in the one finding, none to check one by one.
    assert "警告都属于下面逐项说明的 1 项整村或整列的问题(共 25 条警告)" in overview, overview
    assert codes_at(out, "member_count_mismatch") == []


def test_a_blank_resident_count_is_not_taken_from_members_without_the_heads_row(tmp_path):
    """家庭常住人口数 blank: counted from the members' 是否常住 only where the head's own row is among them
    (it says 户主, or bears the head's ID or name). 户1 lists his wife and son, not himself: before, his
    residents were counted 2 and his per-capita income divided by one resident too few (10,000 / 2 =
    5,000, above the limit, where his 3 residents give 3,333.33, a candidate). Now the cell stays blank:
    an error for the clerk to fill. 户2's head row bears his name under another relation word: counted."""
    hh = _households([3, 3])
    for h in hh:
        h["家庭常住人口数"] = ""
    rows = [*_others(hh[0], 2), {**head(hh[1]), "与户主关系": "本人"}, *_others(hh[1], 2)]
    out = _screen(tmp_path, hh, rows)
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["户1", "status"] == "invalid" and ledger.loc["户1", "residents"] == ""
    assert ledger.loc["户2", "residents"] == "3" and ledger.loc["户2", "status"] == "candidate"
    assert codes_at(out, "missing_value") == ["2"]
