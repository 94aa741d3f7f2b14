"""A 低保 member-level export that leaves the head's own 身份证号 blank and gives the 户主身份证号 on the
same row (an outside tester's export): the head's row is matched by the head's ID where it says it is the
head (与户主关系 户主, or its name is the 户主姓名), never a member's row that says another relation."""

from __future__ import annotations

from survey_builders import household, make_id
from test_request_list import statuses
from test_rosters import AS_OF, head, member, run, write_sheets, write_survey


def test_a_head_row_with_its_own_id_blank_is_matched_by_the_head_id_beside_it(tmp_path):
    alone = household(户主姓名="李四", 户编号="001", 户主身份证号=make_id("19600101"), 家庭人口数=1, 家庭常住人口数=1)
    pair = household(户主姓名="王五", 户编号="002", 户主身份证号=make_id("19610101"), 家庭人口数=2, 家庭常住人口数=2,
                     工资性收入=7000)
    named = household(户主姓名="赵六", 户编号="003", 户主身份证号=make_id("19620101"), 家庭人口数=1, 家庭常住人口数=1)
    other = household(户主姓名="周八", 户编号="004", 户主身份证号=make_id("19630101"), 家庭人口数=2, 家庭常住人口数=2)
    spouses = {"王五": ("王妻", make_id("19650101")), "周八": ("周妻", make_id("19660101"))}
    members = [head(alone), head(pair), member(pair, *spouses["王五"][:1], "配偶", spouses["王五"][1]), head(named),
               head(other), member(other, spouses["周八"][0], "配偶", spouses["周八"][1])]
    survey = write_survey(tmp_path / "县.xlsx", [alone, pair, named, other], members)
    with_relation = ["序号", "户主姓名", "户主身份证号", "姓名", "与户主关系", "身份证号"]
    without = ["序号", "户主姓名", "户主身份证号", "姓名", "身份证号"]
    roster = write_sheets(tmp_path / "低保.xlsx", {
        # 李四 alone, his own ID blank; 王五's spouse, hers blank too (her case, not his); 周八 with his own.
        "在保人员": (with_relation, [[1, "李四", alone["户主身份证号"], "李四", "户主", ""],
                                 [2, "王五", pair["户主身份证号"], "王妻", "配偶", ""],
                                 [3, "周八", other["户主身份证号"], "周八", "户主", other["户主身份证号"]]]),
        # No relation column: 赵六's row names the head himself.
        "补充": (without, [[1, "赵六", named["户主身份证号"], "赵六", ""],
                          [2, "周八", other["户主身份证号"], "周妻", spouses["周八"][1]]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    got = statuses(out)
    assert got["李四"] == "excluded_dibao" and got["赵六"] == "excluded_dibao" and got["周八"] == "excluded_dibao"
    # A spouse's row is never the head's: 王五 is not excluded on it.
    assert got["王五"] == "candidate"
