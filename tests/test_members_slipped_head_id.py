"""Member rows keyed by 户主身份证号 whose household's head ID is typed one slip of the hand off on the
household sheet (a wrong check digit, two digits swapped): the household was told 「家庭成员表中列出这一户
0 人」 and each of its members 「没有一户的户主身份证号是 …」, not pointing to the near-identical ID (an
outside try, try BD: 8 planted ID slips made 27 member_without_household and 10 member_count_mismatch).
Now they are linked to it and said once, on the household's row; near two heads, they are not."""
from __future__ import annotations

from survey_builders import household, make_id
from test_rosters import AS_OF, MEMBER_HEADERS, issues, member, run, write_survey

HEADERS = ["乡(镇)", "行政村", "户主身份证号", *MEMBER_HEADERS[3:]]
PLACE = {"乡(镇)": "合隆镇", "行政村": "双山村", "户编号": ""}
CHECKS = "0123456789X"


def wrong_check_digit(person_id: str) -> str:
    return person_id[:17] + CHECKS[(CHECKS.index(person_id[17]) + 1) % 11]


def swapped(person_id: str, at: int) -> str:
    assert person_id[at] != person_id[at + 1]
    return person_id[:at] + person_id[at + 1] + person_id[at] + person_id[at + 2:]


def county(tmp_path, typed_head: str, right_head: str, more_households=(), village="双山村"):
    """郭静's household, its head's ID typed `typed_head` on the household sheet, her 5 members' rows
    (rows 2-6 of 家庭成员) carrying `right_head`; and 王五's household with its 2 members, all right."""
    guo = household(**PLACE, 户主姓名="郭静", 户主身份证号=typed_head, 家庭人口数=5, 家庭常住人口数=5)
    wang = household(**PLACE, 户主姓名="王五", 户主身份证号=make_id("19600101", serial=501), 家庭人口数=2,
                     家庭常住人口数=2)
    households = [guo, wang, *more_households]
    theirs = {**guo, "行政村": village}
    family = [("郭静", "户主", right_head), ("李军", "配偶", make_id("19540301", serial=502)),
              ("李明", "子", make_id("19800101", serial=503)), ("王芳", "儿媳", make_id("19820101", serial=504)),
              ("李小", "孙子", make_id("20080101", serial=505))]
    members = [{**member(theirs, name, relation, pid), "户主身份证号": right_head} for name, relation, pid in family]
    members += [{**member(wang, name, relation, pid), "户主身份证号": wang["户主身份证号"]}
                for name, relation, pid in (("王五", "户主", wang["户主身份证号"]),
                                            ("赵兰", "配偶", make_id("19620101", serial=506)))]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", households, members, HEADERS), "-o", out,
                 "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return issues(out)


def said(frame, code):
    return frame.loc[frame["code"] == code].set_index("行号")["说明"].to_dict()


def test_a_head_id_with_a_wrong_check_digit_keeps_its_members_and_says_so_once(tmp_path):
    right = make_id("19550806", serial=2)
    frame = county(tmp_path, wrong_check_digit(right), right)
    linked = said(frame, "members_linked_by_near_id")
    assert list(linked) == ["2"], linked  # once, on 郭静's row of the household sheet
    assert f"家庭成员表第 2–6 行的户主身份证号是 {right}" in linked["2"], linked
    assert f"与本户户主身份证号 {wrong_check_digit(right)} 只差一位" in linked["2"], linked
    assert "2" in said(frame, "id_checksum"), "the head's own ID is still wrong: the household stays invalid"
    assert said(frame, "member_count_mismatch") == {}
    assert said(frame, "member_without_household") == {}


def test_a_head_id_with_two_digits_swapped_keeps_its_members(tmp_path):
    right = make_id("19550806", serial=123)
    frame = county(tmp_path, swapped(right, 14), right)
    assert list(said(frame, "members_linked_by_near_id")) == ["2"]
    assert said(frame, "member_count_mismatch") == {}
    assert said(frame, "member_without_household") == {}


def test_members_near_two_heads_are_not_linked_and_name_both(tmp_path):
    right = make_id("19550806", serial=2)
    other = right[:12] + str((int(right[12]) + 1) % 10) + right[13:]  # one digit off, check digit kept
    zhang = household(**PLACE, 户主姓名="张大", 户主身份证号=other, 家庭人口数=1, 家庭常住人口数=1)
    frame = county(tmp_path, wrong_check_digit(right), right, more_households=[zhang])
    assert said(frame, "members_linked_by_near_id") == {}
    lost = said(frame, "member_without_household")
    assert sorted(lost) == ["2", "3", "4", "5", "6"], lost
    assert all(f"户表第2行「郭静」的 {wrong_check_digit(right)} 和第4行「张大」的 {other} 都与它只差一位" in lost[r]
               for r in lost), lost


def test_members_of_another_village_are_not_linked_by_a_near_id(tmp_path):
    right = make_id("19550806", serial=2)
    frame = county(tmp_path, wrong_check_digit(right), right, village="前岗村")
    assert said(frame, "members_linked_by_near_id") == {}
    assert sorted(said(frame, "member_without_household")) == ["2", "3", "4", "5", "6"]


def test_a_county_typed_right_is_unchanged(tmp_path):
    right = make_id("19550806", serial=2)
    frame = county(tmp_path, right, right)
    for code in ("members_linked_by_near_id", "member_count_mismatch", "member_without_household", "id_checksum"):
        assert said(frame, code) == {}, code
