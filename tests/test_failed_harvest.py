"""A failed harvest's year, as an outside try's farming county had one household in ten: transfer
income of a few hundred yuan, costs of thousands, net income 0 or less. It is not a household typed
in 万元 (its costs are in yuan), and once 备注 confirms the failed harvest, as the warning asks, the
warning is not raised again. A household typed wholly in 万元, costs too, is still said."""

from __future__ import annotations

import datetime as dt

from survey_builders import household, make_id, write_workbook
from edgescreen import screen

AS_OF = dt.date(2020, 1, 1)


def failed_harvest(serial: int, note: str = "") -> dict:
    return household(**{"户主身份证号": make_id("19700101", serial=serial), "家庭常住人口数": 4, "家庭人口数": 4,
                        "工资性收入": 0, "家庭经营收入": 0, "转移性收入": 399,
                        "家庭经营费用支出": 9042, "生产性固定资产折旧": 388, "税金和上交承包费用": 300, "备注": note})


def codes_by_row(tmp_path, rows) -> dict[int, list[str]]:
    issues = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF).issues("zh")
    return {row: sorted(group["code"]) for row, group in issues.groupby("row")}


def test_a_failed_harvest_is_not_taken_for_amounts_in_wan_and_a_confirming_note_is_read(tmp_path):
    rows = [failed_harvest(11), failed_harvest(13, "2019年受灾绝收,属实"), failed_harvest(15, "受灾减产"),
            failed_harvest(17, "未受灾"), failed_harvest(19, "没有受灾,支出待核"),
            # Typed wholly in 万元, costs too: still the unit warning.
            household(**{"户主身份证号": make_id("19700101", serial=21), "工资性收入": 1.2, "家庭经营收入": 0.8,
                         "家庭经营费用支出": 0.45})]
    codes = codes_by_row(tmp_path, rows)
    assert codes[2] == ["per_capita_implausible"]  # no amount_unit_suspect: its costs are in yuan
    assert 3 not in codes and 4 not in codes  # the note confirms it
    assert codes[5] == ["per_capita_implausible"]  # 未受灾 says the opposite
    assert codes[6] == ["per_capita_implausible"]
    assert "amount_unit_suspect" in codes[7]


def test_costs_above_the_business_income_are_not_asked_again_once_the_remarks_say_why(tmp_path):
    """A second outside try: the swap warning asked a loss year to say so in 备注, yet 当年养猪亏损, 非洲猪瘟,
    生猪全部扑杀 or 新建温室大棚,投入较大 there still warned: only a failed harvest's words counted."""
    notes = ["当年养猪亏损", "非洲猪瘟,生猪全部扑杀", "新建温室大棚,投入较大", "", "未亏损"]
    rows = [household(**{"户主身份证号": make_id("19700101", serial=40 + 2 * i), "家庭经营收入": 5000,
                         "家庭经营费用支出": 15000, "工资性收入": 20000, "备注": note}) for i, note in enumerate(notes)]
    codes = codes_by_row(tmp_path, rows)
    assert [row for row, found in codes.items() if "costs_exceed_business_income" in found] == [5, 6]
