"""Members keyed by 户主身份证号 whose head is on two households' rows (duplicate_household, common where a
township merges village sheets): they were told 「没有一户的户主身份证号是 …」 although two households have
exactly that ID; now the message says how many share it (an outside try, 2026-12)."""
from __future__ import annotations

from survey_builders import household, make_id
from test_rosters import AS_OF, MEMBER_HEADERS, issues, member, run, write_survey

HEADERS = ["乡(镇)", "行政村", "户主身份证号", *MEMBER_HEADERS[3:]]


def test_members_of_a_head_on_two_rows_are_told_the_id_is_shared(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    twice = make_id("19560321")
    hh = [household(**place, 户编号="", 户主姓名="崔山海", 户主身份证号=twice) for _ in range(2)]
    hh.append(household(**place, 户编号="", 户主姓名="王五", 户主身份证号=make_id("19600101")))
    members = [{**member(h, name, relation, pid), "户主身份证号": h["户主身份证号"]}
               for h, name, relation, pid in ((hh[0], "崔山海", "户主", twice), (hh[0], "谭兰", "配偶", make_id("19580101")),
                                              (hh[2], "王五", "户主", hh[2]["户主身份证号"]))]
    members.append({**member(hh[2], "李六", "配偶", make_id("19620101")), "户主身份证号": make_id("19610101")})
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, HEADERS), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    said = issues(out).loc[lambda f: f["code"] == "member_without_household"].set_index("行号")["说明"].to_dict()
    assert sorted(said) == ["2", "3", "5"], said
    assert all(f"有 2 户的户主身份证号都是 {twice}" in said[r] for r in ("2", "3")), said
    assert "没有一户的户主身份证号是" in said["5"], said  # a head's ID no household has: as before
