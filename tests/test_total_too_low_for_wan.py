"""A household whose total income is a few hundred yuan for four or more residents is not one typed in
万元: so read it would be millions, above the per-capita ceiling a head. An outside try (2026-12) had
280–586 yuan for 4–6 residents told 「是否整户误按万元填写」, the village's 疑点 「疑似按万元填写」 and the
terminal's count of households typed in 万元. The warning stays (the amounts are still to check); its words
say what is likely: incomes left out, or a unit or decimal point mistyped. A household that does read
as 万元 (1.2 and 0.3 for three residents: 15,000 yuan) keeps the 万元 words."""

from __future__ import annotations

import pandas as pd

from survey_builders import household, make_id
from test_village_list_doubts import DOUBTS, by_name, listed, sheet
from test_village_lists_register_working import screen as screened


def rows():
    return [
        household(户主姓名="万元户", 户主身份证号=make_id("19550101"), 工资性收入=1.2, 转移性收入=0.3),
        # 280 yuan for 4: in 万元 2,800,000, 700,000 a head
        household(户主姓名="漏填户", 户主身份证号=make_id("19560101"), 工资性收入=0, 转移性收入=280,
                  家庭人口数=4, 家庭常住人口数=4),
        # 586 yuan for 6: 976,666 a head in 万元
        household(户主姓名="六口户", 户主身份证号=make_id("19570101"), 工资性收入=0, 家庭经营收入=300,
                  转移性收入=286, 家庭人口数=6, 家庭常住人口数=6),
        household(户主姓名="清白甲", 户主身份证号=make_id("19610101"), 工资性收入=9900),
    ]


def test_a_total_too_low_even_in_wan_is_not_said_to_be_typed_in_wan(tmp_path):
    out, said = screened(tmp_path, rows(), out="out")
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    unit = issues[issues["code"] == "amount_unit_suspect"].set_index("户主姓名")
    assert set(unit.index) == {"万元户", "漏填户", "六口户"}, unit.index
    assert "是否整户误按万元填写" in unit.loc["万元户", "说明"]
    for name, figures in (("漏填户", ("280.00 元", "常住 4 人", "人均又超过 150000 元")), ("六口户", ("586.00 元", "常住 6 人"))):
        message = unit.loc[name, "说明"]
        assert "万元填写" not in message and "请核对是否漏填了收入" in message, message
        assert all(f in message for f in figures), message

    lines, _, listed_rows = listed(sheet(out, "sheet_below_line"))
    listed_rows = by_name(listed_rows)
    assert listed_rows["万元户"][DOUBTS] == "疑似按万元填写"
    assert listed_rows["漏填户"][DOUBTS] == listed_rows["六口户"][DOUBTS] == "总收入过低,疑有漏填"
    # The terminal counts only the household that reads as 万元 among those typed so.
    words = "".join(said.split())
    assert "其中1户的金额疑似整户按万元填写" in words, said
