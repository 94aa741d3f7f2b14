"""The members table's own 是否残疾 column (an outside try, 2026-12): a member with 是否残疾 = 是 whose
健康状况 says 长期慢性病 or 健康 was no disabled member, so a household whose 主要困难 says 因残 got
difficulty_without_member: 5 % of the try's county, every one false, the column said nowhere. 是 there
is a disabled member as 残疾 in 健康状况 is; a table with the column and without 健康状况 describes them."""
from __future__ import annotations

from survey_builders import household, make_id
from test_rosters import AS_OF, MEMBER_HEADERS, codes_at, head, member, run, write_survey


def test_a_yes_under_the_disability_column_is_a_disabled_member(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19640101"), 家庭人口数="2",
                    主要困难="因残") for i in range(1, 4)]

    def pair(h, head_health, head_says, spouse_says):
        return [head(h, 健康状况=head_health, 是否残疾=head_says),
                member(h, h["户主姓名"] + "妻", "配偶", make_id("19660101"), 是否残疾=spouse_says)]

    members = (pair(hh[0], "长期慢性病", "是", "否")   # row 2: the head is disabled by the column
               + pair(hh[1], "健康", "否", "是")      # row 3: the wife is
               + pair(hh[2], "健康", "否", "否"))     # row 4: nobody is: said
    headers = [h for h in MEMBER_HEADERS] + ["是否残疾"]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, headers), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "difficulty_without_member") == ["4"]

    # Without 健康状况, the column alone says who is disabled: nobody there, the household is said.
    bare = [h for h in headers if h != "健康状况"]
    out = tmp_path / "bare"
    result = run("screen", write_survey(tmp_path / "县2.xlsx", hh, members, bare), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "difficulty_without_member") == ["4"]


def test_a_grade_or_a_certificate_under_the_disability_column_is_a_yes(tmp_path):
    """A second outside try: 是(肢体二级), 二级, 肢体残疾三级, 有证 and 持证 were read as not disabled."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    values = ["是(肢体二级)", "二级", "肢体残疾三级", "有证", "持证", "无证"]
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19640101"), 家庭人口数="1",
                    主要困难="因残") for i in range(1, len(values) + 1)]
    members = [head(h, 健康状况="健康", 是否残疾=v) for h, v in zip(hh, values)]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, MEMBER_HEADERS + ["是否残疾"]),
                 "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "difficulty_without_member") == ["7"]  # only 无证
