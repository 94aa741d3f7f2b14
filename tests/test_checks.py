"""Every check of domain §6 (and id_region_unknown), planted one per row in a workbook built here:
each is reported at the right Excel row and cell, with the right severity and category, and with a
message in both languages; a clean workbook yields no issues at all."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from survey_builders import HEADERS, household, make_id, write_csv, write_workbook
from edgescreen import screen
from edgescreen.catalogue import messages

AS_OF = dt.date(2020, 1, 1)
FIRST_ROW = 2  # the header on row 1


def letter(header: str) -> str:
    """The column the builder wrote `header` into (HEADERS order, one letter: fewer than 26 columns)."""
    return chr(ord("A") + HEADERS.index(header))


def numeric_id(birth: str) -> int:
    """A valid ID without an X, as a number (what Excel keeps when the column is not text)."""
    for serial in range(1, 999, 2):
        pid = make_id(birth, serial=serial)
        if pid[-1] != "X":
            return int(pid)
    raise AssertionError("no ID without X")  # pragma: no cover


VALID = make_id("19700101", serial=11)
# (case, overrides, header of the flagged cell or None for a computed value, code, severity, value as typed)
CASES = [
    ("blank name", {"户主姓名": ""}, "户主姓名", "missing_value", "error", ""),
    ("blank ID", {"户主身份证号": ""}, "户主身份证号", "missing_value", "error", ""),
    ("blank residents", {"家庭常住人口数": ""}, "家庭常住人口数", "missing_value", "error", ""),
    ("blank township", {"乡(镇)": ""}, "乡(镇)", "missing_value", "error", ""),
    ("blank money", {"财产性收入": "", "家庭总收入": 10000}, "财产性收入", "missing_value", "warning", ""),
    ("blank flag", {"是否建档立卡贫困户": ""}, "是否建档立卡贫困户", "missing_value", "warning", ""),
    ("text in money", {"工资性收入": "见备注", "家庭总收入": 10000}, "工资性收入", "not_a_number", "error", "见备注"),
    ("text in count", {"家庭常住人口数": "两人"}, "家庭常住人口数", "not_a_number", "error", "两人"),
    ("fraction of a person", {"家庭常住人口数": "2.5"}, "家庭常住人口数", "not_an_integer", "error", "2.5"),
    ("unknown flag", {"是否低保户": "不详"}, "是否低保户", "flag_unrecognized", "error", "不详"),
    ("ID of 17", {"户主身份证号": VALID[:17]}, "户主身份证号", "id_malformed", "error", VALID[:17]),
    ("ID with a letter O", {"户主身份证号": "22O" + VALID[3:]}, "户主身份证号", "id_malformed", "error",
     "22O" + VALID[3:]),
    ("ID as number", {"户主身份证号": numeric_id("19700101")}, "户主身份证号", "id_malformed", "error", None),
    ("ID ending 000", {"户主身份证号": "220122197001011000"}, "户主身份证号", "id_malformed", "error",
     "220122197001011000"),
    ("ID masked", {"户主身份证号": "220122********2970"}, "户主身份证号", "id_masked", "error", "220122********2970"),
    ("ID check character", {"户主身份证号": VALID[:17] + ("0" if VALID[-1] != "0" else "1")}, "户主身份证号",
     "id_checksum", "error", None),
    ("ID birth date", {"户主身份证号": make_id("19701332", serial=21)}, "户主身份证号", "id_checksum", "error", None),
    ("ID region", {"户主身份证号": make_id("19700101", region="999999", serial=31)}, "户主身份证号",
     "id_region_unknown", "warning", None),
    ("no residents", {"家庭常住人口数": 0}, "家庭常住人口数", "residents_not_positive", "error", "0"),
    ("negative amount", {"财产性收入": -200}, "财产性收入", "negative_amount", "error", "-200"),
    ("total differs", {"家庭总收入": 15000}, "家庭总收入", "total_income_mismatch", "error", "15000"),
    ("expenses differ", {"家庭经营费用支出": 100, "家庭生产经营性支出": 500}, "家庭生产经营性支出",
     "expenses_mismatch", "error", "500"),
    ("total without components", {"工资性收入": "", "家庭经营收入": "", "财产性收入": "", "转移性收入": "",
                                  "家庭总收入": 10000}, "家庭总收入", "components_blank", "warning", "10000"),
    ("residents > members", {"家庭人口数": 2}, "家庭常住人口数", "residents_exceed_members", "warning", "3"),
    # 2026-12-05: a count no household has (14 typed for 4; an income typed there: test_field_checks_trust)
    ("14 residents", {"家庭常住人口数": 14}, "家庭常住人口数", "household_size_implausible", "warning", "14"),
    ("1248 residents", {"家庭常住人口数": 1248}, "家庭常住人口数", "household_size_impossible", "error", "1248"),
    ("one cell in 万元", {"工资性收入": 1.2, "转移性收入": 3000}, "工资性收入", "amount_unit_suspect", "warning",
     "1.2"),
    ("household in 万元", {"工资性收入": 1.2, "转移性收入": 0.3}, "家庭总收入", "amount_unit_suspect", "warning",
     "1.50"),
    # 2026-12-05: a cost in 万元 beside a business income of thousands; a farm household's business income
    # in 万元, beside no income of thousands but a cost of thousands.
    ("cost in 万元", {"家庭经营收入": 20000, "家庭经营费用支出": 0.8, "生产性固定资产折旧": 3000}, "家庭经营费用支出",
     "amount_unit_suspect", "warning", "0.8"),
    ("farm columns in 万元", {"工资性收入": 0, "家庭经营收入": 2.12, "财产性收入": 900, "转移性收入": 1800,
                            "家庭经营费用支出": 0.95}, "家庭经营收入", "amount_unit_suspect", "warning", "2.12"),
    # 2026-12-05: business income and costs typed in each other's column, beside wages
    ("costs a multiple of business income", {"家庭经营收入": 8000, "家庭经营费用支出": 20000, "工资性收入": 24000},
     "家庭生产经营性支出", "costs_exceed_business_income", "warning", "20000.00"),
    ("business income in 万元 beside a cost", {"工资性收入": 0, "家庭经营收入": 2.5, "财产性收入": 900, "转移性收入": 900,
                                            "家庭经营费用支出": 1000}, "家庭经营收入", "amount_unit_suspect", "warning", "2.5"),
    # 2026-12-06: on the cell to correct, as typed (the costs reaching the income; the income above the
    # ceiling), not on the per-capita, which has no cell; its figure is in the words (test_per_capita_cell)
    ("net below 0", {"家庭经营费用支出": 20000}, "家庭生产经营性支出", "per_capita_implausible", "warning", "20000"),
    ("per-capita over ceiling", {"工资性收入": 600000}, "家庭总收入", "per_capita_implausible", "warning", "600000"),
    ("business income, no costs", {"家庭经营收入": 5000}, "家庭经营收入", "income_without_costs", "warning", "5000"),
    ("dibao, no transfer", {"是否低保户": "是"}, "转移性收入", "dibao_without_transfer", "warning", "0"),
    # 2026-12-07: marked 低保 at 10 × the upper bound a head (120,000 for 3: 40,000), test_allowance_income_high
    ("dibao, income 10 × the limit", {"是否低保户": "是", "工资性收入": 118800, "转移性收入": 1200}, "是否低保户",
     "allowance_income_high", "warning", "是"),
    ("dibao in the notes", {"备注": "含低保金"}, "是否低保户", "flag_notes_differ", "warning", "否"),
    ("head noted dead", {"备注": "户主已于2019年9月病故"}, "户主姓名", "head_noted_deceased", "warning", "张三"),
    # 2026-12-06: a household noted gone (an outside try's 整户迁出), and two people in the name's cell
    ("household noted left", {"备注": "整户迁出"}, "备注", "household_noted_left", "warning", "整户迁出"),
    ("two names in one cell", {"户主姓名": "韩春生 廖宝山"}, "户主姓名", "name_holds_more", "warning", "韩春生 廖宝山"),
    # The value is the cell as typed, the ID (its age was there before: an outside try); the age is in the words.
    ("head too young", {"户主身份证号": make_id("20100101", serial=41)}, "户主身份证号", "head_age_implausible",
     "warning", make_id("20100101", serial=41)),
    ("head too old", {"户主身份证号": make_id("19050101", serial=51)}, "户主身份证号", "head_age_implausible",
     "warning", make_id("19050101", serial=51)),
    ("phone", {"联系电话": "1381234"}, "联系电话", "phone_malformed", "warning", "1381234"),
    # At the poverty line once rounded (9,654.00 for 3): where the rounding could decide, as it is said.
    ("amount below the fen", {"工资性收入": 9554, "转移性收入": 100.004, "家庭总收入": 9654}, "转移性收入",
     "amount_below_fen", "warning", "100.004"),
    ("户编号 as a number", {"户编号": "2.20122101001E+19"}, "户编号", "household_id_mangled", "warning",
     "2.20122101001E+19"),
    # 2026-12-05: an ID typed in a place column (a row pasted in another column order: test_town_misplaced)
    ("ID in 村民小组", {"村民小组": "220122197001010013"}, "村民小组", "value_in_wrong_field", "error",
     "220122197001010013"),
    ("points grouping thousands", {"工资性收入": "12.000", "家庭总收入": ""}, "工资性收入", "amount_dot_grouping",
     "error", "12.000"),
]


def clean_rows(n: int) -> list[dict]:
    return [household(**{"户主身份证号": make_id("19700101", serial=100 + 2 * i), "户主姓名": f"户主{i}"})
            for i in range(n)]


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """One workbook: a clean household first, then one row per case, then two rows with one head."""
    rows = clean_rows(1)
    for _, overrides, *_ in CASES:
        rows.append(household(**{"户主身份证号": make_id("19700101", serial=201 + 2 * len(rows)),
                                 **overrides}))
    dup = make_id("19700101", serial=901)
    rows += [household(**{"户主身份证号": dup}), household(**{"户主身份证号": dup, "户主姓名": "李四"})]
    path = write_workbook(tmp_path_factory.mktemp("planted") / "planted.xlsx", rows)
    result = screen([path], as_of=AS_OF)
    return result, result.issues("zh"), result.issues("en"), FIRST_ROW + len(rows) - 2


MEMBER_AND_ROSTER_CHECKS = {
    "member_count_mismatch": ("逻辑错误", "warning"), "person_in_two_households": ("逻辑错误", "error"),
    "member_without_household": ("漏项", "error"), "head_not_in_members": ("漏项", "warning"),
    "two_heads": ("逻辑错误", "warning"), "member_age_relation": ("逻辑错误", "warning"),
    "difficulty_without_member": ("逻辑错误", "warning"), "roster_conflict": ("逻辑错误", "warning"),
    "roster_name_mismatch": ("逻辑错误", "warning"), "roster_member_unlinked": ("逻辑错误", "error"),
    "roster_undecided": ("逻辑错误", "error"),
    "member_deceased": ("逻辑错误", "warning"),
    # 2026-12-04: said 是 to 低保 (特困, 建档立卡), and that roster, given, lists nobody of the household
    "roster_not_listed": ("逻辑错误", "warning"),
    # 2026-12-06: said instead where a row of the household's name has an unreadable ID (test_roster_leads_said)
    "roster_unreadable_listed": ("逻辑错误", "warning"),
    # 2026-12-04: one person twice among a household's members (test_members_residents_counted)
    "member_listed_twice": ("逻辑错误", "error"),
    # 2026-12-05: 是否低保户 / 是否特困人员 against the members' 是否低保 / 是否特困 (test_member_flags)
    "members_flag_differ": ("逻辑错误", "error"),
    # 2026-12-05: a 特困 household with an able member of working age (test_member_flags)
    "tekun_with_labour": ("逻辑错误", "warning"),
    # 2026-12-05: a member's 备注 says they died, still counted resident (test_member_flags)
    "member_noted_deceased": ("逻辑错误", "warning"),
    # 2026-12-06: two rosters of one kind, in force on one and 停保 on the other (test_rosters_twice_and_ruined)
    "roster_disagree": ("逻辑错误", "warning"),
    # 2026-12-07: member rows linked by a head's ID one slip off (test_members_slipped_head_id)
    "members_linked_by_near_id": ("逻辑错误", "warning"),
    # 2026-12-07: a member on another family's case, a payroll ID Excel made a number
    # (test_roster_other_household_and_lost_id); a period whose end does not read (test_roster_dates_and_cadre_named)
    "roster_other_household": ("逻辑错误", "warning"), "roster_lead_excel_number": ("逻辑错误", "warning"),
    "roster_period_unread": ("逻辑错误", "warning"),
    # 2026-12-07 (nineteenth): a 公安 export's member who left the 户, or whose 人员状态 does not read
    # (test_members_codes_and_moved_out)
    "member_left": ("逻辑错误", "warning"), "member_status_unknown": ("逻辑错误", "warning"),
}


def test_the_catalogue_declares_every_check_of_the_spec_once():
    spec = {  # domain.md §6: code → (category, severity)
        "missing_value": ("漏项", "error"), "not_a_number": ("串项", "error"),
        "not_an_integer": ("串项", "error"), "flag_unrecognized": ("串项", "error"),
        "id_malformed": ("串项", "error"), "id_checksum": ("逻辑错误", "error"),
        "id_masked": ("漏项", "error"),  # an export's masked ID (test_masked_ids_export)
        "duplicate_household": ("逻辑错误", "error"), "residents_not_positive": ("逻辑错误", "error"),
        "negative_amount": ("逻辑错误", "error"), "total_income_mismatch": ("逻辑错误", "error"),
        "expenses_mismatch": ("逻辑错误", "error"), "residents_exceed_members": ("逻辑错误", "warning"),
        "amount_unit_suspect": ("逻辑错误", "warning"), "per_capita_implausible": ("逻辑错误", "warning"),
        "income_without_costs": ("逻辑错误", "warning"), "dibao_without_transfer": ("逻辑错误", "warning"),
        # 2026-12-07: 低保 / 特困 with a per-capita of 10 × the upper bound or more (test_allowance_income_high)
        "allowance_income_high": ("逻辑错误", "warning"),
        "head_age_implausible": ("逻辑错误", "warning"), "phone_malformed": ("串项", "warning"),
        "id_region_unknown": ("逻辑错误", "warning"),
        # 2026-12-02: a 户编号 Excel stored as a number of more than 15 digits
        "household_id_mangled": ("串项", "warning"),
        # 2026-12-02: one 户编号 under different heads (a one-member-per-row export read as households)
        "household_id_repeated": ("逻辑错误", "error"),
        # issue 12: a formula whose value was never calculated; a total given with its components blank
        "formula_not_calculated": ("漏项", "error"), "components_blank": ("漏项", "warning"),
        # 2026-12-05: a number in a date-formatted cell (an outside try's independent oracle)
        "number_in_date_cell": ("串项", "error"),
        # 2026-12-04: a total's formula not calculated beside its components (a server's export)
        "formula_total_unchecked": ("逻辑错误", "warning"),
        # 2026-12-04: a number in the head's name; a character an export lost (王? for 王𠮷)
        "name_holds_number": ("串项", "error"), "name_character_lost": ("漏项", "warning"),
        # 2026-12-03: a cell of an Excel error value (#N/A), which calamine reads as blank
        "error_value": ("漏项", "error"),
        # probe 5: a CSV row with fields beyond its header (read shifted)
        "fields_beyond_header": ("串项", "error"),
        # 2026-12-03: the same, what is beyond the header an empty last field
        "row_longer_than_header": ("串项", "error"),
        # probe 5: an amount with a part below the fen, rounded to the fen
        "amount_below_fen": ("串项", "warning"),
        # 2026-12-04: a total within the tolerance of its components that would decide otherwise
        "total_decides_otherwise": ("逻辑错误", "warning"),
        # 2026-12-04: a village placed otherwise than the form's own 村名单 (test_form_places)
        "place_not_in_form_list": ("串项", "warning"),
        # 2026-12-04: points grouping thousands (12.000); a place written two ways (test_cell_slips)
        "amount_dot_grouping": ("串项", "error"), "place_spelling_merged": ("串项", "warning"),
        "place_names_similar": ("串项", "warning"),
        # 2026-12-05: 是否低保户 / 是否特困人员 read 否 while 备注 or 主要困难 says otherwise (test_flag_notes)
        "flag_notes_differ": ("逻辑错误", "warning"),
        "costs_exceed_business_income": ("逻辑错误", "warning"),
        "head_noted_deceased": ("逻辑错误", "warning"),
        # 2026-12-06: 备注 saying the household left; two people in the head's name's cell (test_notes_left);
        # a row struck through, a cell's comment (test_marks)
        "household_noted_left": ("逻辑错误", "warning"), "name_holds_more": ("串项", "warning"),
        "row_struck_through": ("逻辑错误", "warning"), "cell_has_comment": ("串项", "warning"),
        "sheet_named_removed": ("逻辑错误", "warning"),
        # 2026-12-05: an ID or a mobile number in a place column; a row pasted in another column order
        # (test_town_misplaced)
        "value_in_wrong_field": ("串项", "error"),
        # 2026-12-05: a household of more people than any (14 for 4; 1248, an income typed there)
        "household_size_implausible": ("逻辑错误", "warning"), "household_size_impossible": ("逻辑错误", "error"),
        # issue 14: members (家庭成员) and rosters (信息比对), planted in test_members.py and test_rosters.py
        **MEMBER_AND_ROSTER_CHECKS,
    }
    checks = messages().checks
    assert set(checks) == set(spec)
    for code, (category, severity) in spec.items():
        assert (checks[code].category, checks[code].severity) == (category, severity), code
        assert checks[code].zh and checks[code].en
        assert f"check_{code}" in messages().labels, f"the overview needs a short title for {code}"
    assert checks["missing_value"].severity_by_kind == {"money": "warning", "flag": "warning",
                                                       "integer": "error", "text": "error", "id": "error"}
    # (a formula cell cannot be planted by this builder: test_robustness and test_field_households;
    # nor two rows of one 户编号: test_member_exports)
    # (nor a CSV row longer than its header: test_fields_beyond_header)
    # (nor an error value: test_reading; nor a place written two ways, which takes two rows: test_cell_slips;
    # nor a total that decides otherwise: test_total_decides_otherwise; nor a total's formula never
    # calculated: test_robustness; nor a struck font, a comment or a sheet's name: test_marks)
    assert {case[3] for case in CASES} == set(spec) - {"duplicate_household", "formula_not_calculated", "error_value", "number_in_date_cell",
                                                       "formula_total_unchecked", "name_holds_number",
                                                       "name_character_lost",
                                                       "household_id_repeated", "fields_beyond_header",
                                                       "row_longer_than_header", "place_spelling_merged",
                                                       "place_names_similar", "total_decides_otherwise",
                                                       "place_not_in_form_list", "row_struck_through",
                                                       "cell_has_comment", "sheet_named_removed"} \
        - set(MEMBER_AND_ROSTER_CHECKS)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[c[0] for c in CASES])
def test_each_planted_check_is_reported_at_its_row_and_cell(planted, i):
    result, zh, en, _ = planted
    case, overrides, header, code, severity, value = CASES[i]
    row = FIRST_ROW + 1 + i
    here = zh[zh["row"] == row]
    assert list(here["code"]) == [code], f"{case}: {list(here['code'])} at row {row}"
    issue = here.iloc[0]
    cell = f"{letter(header)}{row}" if header else ""
    assert issue["cell"] == cell
    assert issue["severity"] == severity
    assert issue["category"] == messages().checks[code].category
    assert issue["source_file"] == "planted.xlsx" and issue["sheet"] == "Sheet1"
    assert issue["township"] == (overrides.get("乡(镇)", "合隆镇") or "")
    if value is not None:
        assert issue["value"] == value
    # Both languages, each naming the row and the column, with nothing left unfilled.
    english = en[en["row"] == row].iloc[0]["message"]
    assert issue["message"].startswith(f"第{row}行 ")
    assert english.startswith(f"row {row}")
    if header and case == "household in 万元":  # about the whole household: its cell is the total's
        assert f"{letter(header)}列「{header}」为 1.50 元" in issue["message"]
        assert f"column {letter(header)} ({header}), the total income, is 1.50 yuan" in english
    elif header:
        assert f"{letter(header)}列「{header}」" in issue["message"]
        assert f"column {letter(header)} ({header})" in english
    for message in (issue["message"], english):
        assert not re.search(r"\{\w+\}", message), message
        assert "Traceback" not in message and "Error" not in message
    # An error makes the household invalid; a warning leaves the decision alone.
    status = result.households.iloc[int(issue["hh"])]["status"]
    assert (status == "invalid") == (severity == "error")


def test_an_id_of_18_with_one_wrong_character_says_which(planted):
    """An ID of 18 characters with a letter O for a 0 was told "it must be 18 characters; it has 18"."""
    _, zh, en, _ = planted
    row = FIRST_ROW + 1 + next(i for i, case in enumerate(CASES) if case[0] == "ID with a letter O")
    assert "第3个字符「O」不对:身份证号是17位数字加最后1位数字或X" in zh[zh["row"] == row].iloc[0]["message"]
    assert "character 3, “O”, is wrong" in en[en["row"] == row].iloc[0]["message"]
    short = FIRST_ROW + 1 + next(i for i, case in enumerate(CASES) if case[0] == "ID of 17")
    assert "现为17位" in zh[zh["row"] == short].iloc[0]["message"]


def test_the_clean_row_has_no_issue_and_is_decided(planted):
    result, zh, _, _ = planted
    assert zh[zh["row"] == FIRST_ROW].empty
    assert result.households.iloc[0]["status"] == "candidate"


def test_the_same_head_on_two_rows_flags_both(planted):
    _, zh, en, last = planted
    dup = zh[zh["code"] == "duplicate_household"]
    assert list(dup["row"]) == [last, last + 1]
    assert list(dup["cell"]) == [f"{letter('户主身份证号')}{last}", f"{letter('户主身份证号')}{last + 1}"]
    assert set(dup["severity"]) == {"error"}
    assert f"planted.xlsx「Sheet1」 第{last + 1}行" in dup.iloc[0]["message"]
    assert f"第{last}行" in dup.iloc[1]["message"] and "2 次" in dup.iloc[0]["message"]
    english = en[en["code"] == "duplicate_household"].iloc[0]["message"]
    assert "appears 2 times" in english
    # The other row in the reader's language: no 第…行 in English.
    assert f"(also at planted.xlsx, sheet “Sheet1”, row {last + 1})" in english, english


def test_messages_a_clerk_can_act_on(planted):
    _, zh, en, _ = planted
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("no residents")
    col = letter("家庭常住人口数")
    assert zh[zh["row"] == row].iloc[0]["message"] == f"第{row}行 {col}列「家庭常住人口数」为 0:常住人口至少为 1 人"
    assert en[en["row"] == row].iloc[0]["message"] == (
        f"row {row}, column {col} (家庭常住人口数) is 0: a household has at least 1 resident member")
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("head too young")
    assert "户主 10 岁,不在 16 至 110 岁之间" in zh[zh["row"] == row].iloc[0]["message"]
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("total differs")
    assert "各项收入之和为 10000.00 元,相差超过 1 元" in zh[zh["row"] == row].iloc[0]["message"]
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("ID region")
    assert "地区码 999999" in zh[zh["row"] == row].iloc[0]["message"]
    # A net income of 0 or less is costs at least all income (a failed harvest is real), not a fortune.
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("net below 0")
    message = zh[zh["row"] == row].iloc[0]["message"]
    costs = letter("家庭生产经营性支出")
    assert message.startswith(f"第{row}行 {costs}列「家庭生产经营性支出」:人均纯收入为 -3333.33 元,家庭纯收入不大于 0") \
        and "受灾减产" in message
    assert "高于" not in message
    assert "harvest failed" in en[en["row"] == row].iloc[0]["message"]
    row = FIRST_ROW + 1 + [c[0] for c in CASES].index("per-capita over ceiling")
    message = zh[zh["row"] == row].iloc[0]["message"]
    assert message == f"第{row}行 {letter('家庭总收入')}列「家庭总收入」:人均纯收入为 200000.00 元,高于 150000 元," \
                      "请核对收入和支出", message


def test_a_clean_workbook_yields_no_issues(tmp_path):
    path = write_workbook(tmp_path / "clean.xlsx", clean_rows(6), layout="two_row")
    result = screen([path], as_of=AS_OF)
    assert result.issues("zh").empty and result.issues("en").empty
    assert result.error_count == 0
    assert set(result.households["status"]) == {"candidate"}


def test_a_real_id_of_an_old_resident_is_at_most_a_warning(tmp_path):
    """220122 born 1960 fails python-stdnum's cn.ric (the county code is dated 1983-): not an error."""
    path = write_workbook(tmp_path / "old.xlsx", [household(**{"户主身份证号": make_id("19600315", serial=7)})])
    result = screen([path], as_of=AS_OF)
    assert result.error_count == 0
    assert set(result.issues("zh")["code"]) <= {"id_region_unknown"}


def test_cells_in_a_two_row_header_layout(tmp_path):
    rows = clean_rows(2) + [household(**{"家庭总收入": 12000, "户主身份证号": make_id("19700101", serial=105)})]
    path = write_workbook(tmp_path / "two.xlsx", rows, layout="two_row")
    issues = screen([path], as_of=AS_OF).issues("zh")
    assert list(issues["code"]) == ["total_income_mismatch"]
    assert issues.iloc[0]["row"] == 7 and issues.iloc[0]["cell"] == f"{letter('家庭总收入')}7"
    assert issues.iloc[0]["header"] == "家庭总收入(元)/合计"


def test_header_as_typed_under_a_title_row(tmp_path):
    # An ID of its own: the builder's counter can reach clean_rows' serials in a long run.
    rows = clean_rows(1) + [household(**{"家庭常住人口数": 0, "户主身份证号": make_id("19700101", serial=101)})]
    path = write_workbook(tmp_path / "title.xlsx", rows, layout="title")
    result = screen([path], as_of=AS_OF)
    issue = result.issues("zh").iloc[0]
    assert (issue["row"], issue["cell"]) == (5, f"{letter('家庭常住人口数')}5")
    assert issue["header"] == "家庭常住人口数"
    assert result.inputs[0].sheets[0].header_rows == (3, 3)


def test_cells_in_a_gb18030_csv(tmp_path):
    rows = clean_rows(1) + [household(**{"联系电话": "12345", "户主身份证号": make_id("19700101", serial=107)})]
    path = write_csv(tmp_path / "s.csv", rows, encoding="gb18030")
    issues = screen([path], as_of=AS_OF).issues("zh")
    assert list(issues["code"]) == ["phone_malformed"]
    assert (issues.iloc[0]["sheet"], issues.iloc[0]["row"], issues.iloc[0]["cell"]) == ("", 3, f"{letter('联系电话')}3")


def test_phone_numbers_as_clerks_write_them_pass_and_others_are_said(tmp_path):
    """The 11-digit mobile as typed is decided at one look; every other filled cell is matched by
    the patterns (a mobile with spaces or dashes, a landline with its area code), a blank one is no
    number to check."""
    # From an outside try: two numbers in one cell (the head's and a child's away at work) and 无电话
    # were said to be malformed, on one household in forty.
    good = ["138 1234 5678", "138-1234-5678", "0431-84567890", "(0431)84567890", "84567890", "0431-84567890-123",
            "15281147572,17734688321", "13899597549、18177699647", "13899597549 / 0431-84567890",
            "13899597549；18177699647", "无", "无电话", "暂无", "/",
            # A later outside try: two numbers apart by spaces or a line break (Alt+Enter), a note in
            # brackets, the country code; a landline's space and a mobile's grouping stay one number.
            "15281147572 17734688321", "15281147572  17734688321", "15281147572\n17734688321",
            "13812345678(儿子)", "15281147572（本人）", "+86 13812345678", "0086-13812345678",
            "0431 84567890", "13812345678 0431-84567890"]
    bad = ["1381234", "23812345678", "0431-845", "电话13812345678", "13899597549、1817769", "13899597549,无",
           "1528114757 17734688321", "+86 12345678901", "138123456789", "(儿子)"]
    rows = [household(**{"联系电话": phone, "户主身份证号": make_id("19700101", serial=700 + i)})
            for i, phone in enumerate(good + bad + ["", "13812345678"])]
    issues = screen([write_workbook(tmp_path / "phones.xlsx", rows)], as_of=AS_OF).issues("zh")
    flagged = issues.loc[issues["code"] == "phone_malformed", "value"].tolist()
    assert flagged == bad


def test_business_income_with_no_cost_written_is_said_whatever_the_cost_cells_hold():
    """A cost column absent (NA) or 0 is no cost written; a cost cell that could not be read (its
    own issue says why) is a cost given."""
    from edgescreen.checks import check_business_costs
    from edgescreen.issues import IssueLog
    from edgescreen.rules import load_rules

    rules = load_rules("changchun-2019").rules
    costs = [*rules.expenses.components, rules.expenses.total]
    # Households: every cost column absent; every cost 0; the first cost unreadable; no business income.
    frame = {"business_income_fen": pd.array([5_000_00, 5_000_00, 5_000_00, 0], dtype="Int64")}
    for c in costs:
        first = c == costs[0]
        frame[f"{c}_fen"] = pd.array([None, 0, None if first else 0, None], dtype="Int64")
        frame[c] = pd.array([None, "0", "RMB6646.69" if first else "0", None], dtype="string")
    df = pd.DataFrame(frame)
    log = IssueLog(df)
    check_business_costs(df, log, rules)
    assert log.codes()["hh"].tolist() == [0, 1]


def _rules_with(tmp_path: Path, **checks) -> Path:
    text = (Path(__file__).resolve().parent.parent / "rules" / "changchun-2019.toml").read_text(encoding="utf-8")
    for key, value in checks.items():
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert n == 1, key
    path = tmp_path / "county.toml"
    path.write_text(text.replace('id = "changchun-2019"', 'id = "county-test"'), encoding="utf-8")
    return path


def test_thresholds_are_rule_set_parameters(tmp_path):
    head = lambda serial, birth="19700101": make_id(birth, serial=serial)  # noqa: E731
    rows = [household(**{"户主身份证号": head(3, "20050101"), "工资性收入": 9, "转移性收入": 1000}),  # 14 years old
            household(**{"户主身份证号": head(5), "家庭总收入": 10001}),                          # 1 yuan apart
            household(**{"户主身份证号": head(9), "工资性收入": 240000}),                          # 80,000 each
            household(**{"户主身份证号": head(13), "工资性收入": 250}),                            # 83.33 each
            household(**{"户主身份证号": head(15), "家庭经营收入": 800, "家庭经营费用支出": 5}),  # a cost beside 800
            household(**{"户主身份证号": head(17), "财产性收入": 5})]                              # beside 10,000
    path = write_workbook(tmp_path / "t.xlsx", rows)

    def codes(rules):
        issues = screen([path], rules, as_of=AS_OF).issues("zh")
        return sorted(zip(issues["row"], issues["code"]))

    assert codes("changchun-2019") == [(2, "amount_unit_suspect"), (2, "head_age_implausible"),
                                       (5, "amount_unit_suspect")]
    county = _rules_with(tmp_path, head_age_min=14, amount_tolerance='"0.5"', per_capita_ceiling=50000,
                         unit_household_below=50, unit_component_below=8, unit_component_beside=500,
                         unit_components='["wage_income", "property_income"]')
    assert codes(county) == [(3, "total_income_mismatch"), (4, "per_capita_implausible"),
                             (6, "amount_unit_suspect"), (7, "amount_unit_suspect")]


def test_a_rule_set_names_only_money_fields_for_the_unit_check(tmp_path):
    from edgescreen.errors import RulesError

    county = _rules_with(tmp_path, unit_components='["wage_income", "head_name"]')
    with pytest.raises(RulesError) as caught:
        screen([write_workbook(tmp_path / "t.xlsx", clean_rows(1))], county, as_of=AS_OF)
    assert "unit_components" in str(caught.value) and "head_name" in str(caught.value)


def test_thresholds_are_not_literals_in_the_checks():
    source = (Path(__file__).resolve().parent.parent / "edgescreen" / "checks.py").read_text(encoding="utf-8")
    for literal in ("100000", "110", " 16", "10000"):
        assert literal not in source, f"{literal!r} belongs in the rule set's [checks]"


def test_issue_order_follows_the_households(planted):
    _, zh, _, _ = planted
    rows = list(zh["row"])
    assert rows == sorted(rows)
    assert isinstance(zh, pd.DataFrame) and {"header", "value", "hh"} <= set(zh.columns)


def test_amounts_typed_in_wan_are_found_and_small_ordinary_incomes_are_not(tmp_path):
    """domain §6, issue 11: a household typed wholly in 万元 and one cell in 万元 beside others in yuan
    are found; bank interest and a land subsidy of tens of yuan are not."""
    head = lambda serial: make_id("19700101", serial=serial)  # noqa: E731
    rows = [
        household(**{"户主身份证号": head(3), "工资性收入": 1.2, "家庭经营收入": 0.8, "家庭经营费用支出": 0.3}),
        household(**{"户主身份证号": head(5), "工资性收入": 3.5, "家庭经营收入": 12000, "家庭经营费用支出": 5000}),
        household(**{"户主身份证号": head(7), "工资性收入": 10000, "财产性收入": 30.92}),
        household(**{"户主身份证号": head(9), "工资性收入": 8000, "财产性收入": 12.5, "转移性收入": 45.5}),
        household(**{"户主身份证号": head(11), "工资性收入": 0, "转移性收入": 1800, "家庭常住人口数": 1}),  # a pension
    ]
    result = screen([write_workbook(tmp_path / "wan.xlsx", rows)], as_of=AS_OF)
    issues = result.issues("zh")
    unit = issues[issues["code"] == "amount_unit_suspect"]
    assert sorted(zip(unit["row"], unit["field"])) == [(2, "total_income"), (3, "wage_income")]
    assert set(issues["code"]) == {"amount_unit_suspect"}
    whole, one = unit.iloc[0], unit.iloc[1]
    assert whole["cell"] == f"{letter('家庭总收入')}2" and whole["value"] == "2.00"
    # The message names the column too, as every cell check's does: the clerk finds the cell from it.
    assert f"第2行 {letter('家庭总收入')}列「家庭总收入」为 2.00 元,常住 3 人,人均不足 100 元:是否整户误按万元填写?" \
        in whole["message"]
    assert one["cell"] == f"{letter('工资性收入')}3" and one["value"] == "3.5"
    assert f"{letter('工资性收入')}列「工资性收入」为 3.5 元,不足 10 元,而本户另一项收入达 1000 元以上" in one["message"]
    # Warnings: the households are decided on their figures as typed.
    assert list(result.households["status"]) == ["below_line", "below_line", "candidate", "below_line", "below_line"]


def test_a_total_summed_from_its_components_is_named_without_a_column_letter(tmp_path):
    """A sheet with no 家庭总收入 column: the total the unit check names is the components' sum, in no
    column of the sheet, so the message names the header alone (never '列「家庭总收入」')."""
    headers = [h for h in HEADERS if h != "家庭总收入"]
    rows = [household(**{"户主身份证号": make_id(serial=3), "工资性收入": 1.2, "家庭经营收入": 0.8})]
    path = write_csv(tmp_path / "no-total.csv", rows, headers=headers)
    issues = screen([path], as_of=AS_OF).issues("zh")
    unit = issues[issues["code"] == "amount_unit_suspect"]
    assert list(unit["cell"]) == [""]
    assert unit["message"].iloc[0].startswith("第2行 「家庭总收入」为 2.00 元,常住 3 人")


def test_sixteen_digit_household_codes_excel_kept_as_numbers_are_said_so(tmp_path):
    """From an outside try: 户编号 of 16 digits saved by Excel as numbers keep 15 (2201221010020013 →
    2201221010020010), so households share one; household_id_repeated called that a list of one
    member per row. Said as household_id_mangled; a shared code of 15 digits is still repeated."""
    rows = [household(**{"户编号": "2201221010020010", "户主身份证号": make_id("19700101", serial=800 + 2 * i)})
            for i in range(3)]
    rows += [household(**{"户编号": "220122101002001", "户主身份证号": make_id("19700101", serial=900 + 2 * i)})
             for i in range(2)]
    issues = screen([write_csv(tmp_path / "s.csv", rows)], as_of=AS_OF).issues("zh")
    codes = issues.groupby("code")["row"].apply(list).to_dict()
    assert codes.get("household_id_mangled") == [2, 3, 4], codes
    assert codes.get("household_id_repeated") == [5, 6], codes


def test_a_farms_columns_in_wan_over_ten_are_asked_about_and_a_small_real_farm_is_not(tmp_path):
    """An outside try (2026-12-05): a farm's 家庭经营收入 12 and 费用 9.5 (万元) beside wages in yuan had
    no word: both were above unit_component_below. A business income and every cost under the rule
    set's unit_farm_below (100 as shipped) are asked about; at 100 or with a cost of 100, not."""
    head = lambda serial: make_id("19700101", serial=serial)  # noqa: E731
    rows = [household(**{"户主身份证号": head(3), "工资性收入": 9400, "家庭经营收入": 12, "家庭经营费用支出": 9.5}),
            household(**{"户主身份证号": head(5), "工资性收入": 9400, "家庭经营收入": 99.99, "家庭经营费用支出": 40,
                         "生产性固定资产折旧": 20}),
            household(**{"户主身份证号": head(7), "工资性收入": 9400, "家庭经营收入": 100, "家庭经营费用支出": 40}),
            household(**{"户主身份证号": head(9), "工资性收入": 9400, "家庭经营收入": 60, "家庭经营费用支出": 40,
                         "生产性固定资产折旧": 100}),
            household(**{"户主身份证号": head(11), "工资性收入": 9400, "家庭经营收入": 60})]  # no cost: another check's
    path = write_workbook(tmp_path / "farm.xlsx", rows)
    issues = screen([path], as_of=AS_OF).issues("zh")
    unit = issues[issues["code"] == "amount_unit_suspect"]
    assert sorted(zip(unit["row"], unit["field"])) == [(2, "business_income"), (3, "business_income")]
    assert f"{letter('家庭经营收入')}列「家庭经营收入」为 12 元,本户的经营费用也不足 100 元" in unit["message"].iloc[0]
    # The threshold is the rule set's.
    county = _rules_with(tmp_path, unit_farm_below=50)
    unit = screen([path], county, as_of=AS_OF).issues("zh").query("code == 'amount_unit_suspect'")
    assert list(unit["row"]) == [2]
