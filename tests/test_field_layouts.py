"""Layouts county offices print that an outside tester found read wrong on 2026-12-02: a statistical
form's row of column numbers, a section line merged across the table, villages' tables stacked one
under another, a count line under the table, a two-row header whose income group is worded
otherwise, a county's 汇总 sheet beside its village sheets, amounts written as a dash or 无, IDs
pasted with invisible characters, and an .ods with merged cells. Each must give every household
exactly once, and no household that is not one; a row told apart is named in the file facts. Each
test failed on the code before (what with: its docstring), except the guards, which fail if a rule
is made looser."""

from __future__ import annotations

import openpyxl
import pytest

from field_builders import (households, ods_with_merged_cells, workbook_of_village_sections,
                            workbook_with_column_numbers, workbook_with_count_line, workbook_with_income_group,
                            workbook_with_summary_sheet)
from field_checks import issues, ledger, manifest, screen
from survey_builders import HEADERS, write_csv_table, write_workbook


def _screened(path, tmp_path):
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    return out, result


def _skipped(out, reason: str) -> list[int]:
    """The Excel rows the file facts name as no household for `reason`."""
    sheet = manifest(out)["inputs"][0]["sheets"][0]
    return [skipped["row"] for skipped in sheet["skipped_rows"] if skipped["reason"] == reason]


NUMBERINGS = {
    "甲乙丙 then 1 2 3": ["甲", "乙", "丙", "丁", "戊"] + [str(i) for i in range(1, len(HEADERS) - 4)],
    "1 to n": [str(i) for i in range(1, len(HEADERS) + 1)],
    # ① … ⑳, then ㉑ ㉒ (another block of Unicode; NFKC makes them all plain numbers)
    "栏次 then ① ②": ["栏次"] + [chr(0x2460 + i) if i < 20 else chr(0x3251 + i - 20) for i in range(len(HEADERS) - 1)],
    "numbers as numbers, (1) (2)": [f"({i})" for i in range(1, len(HEADERS) + 1)],
}


@pytest.mark.parametrize("numbers", list(NUMBERINGS.values()), ids=list(NUMBERINGS))
def test_the_row_of_column_numbers_under_the_header_is_no_household(tmp_path, numbers):
    """Before: an invalid household of its own (是否低保户 「19」, 家庭总收入 14.00) and a village
    list named after two of its numbers (villages/1-2.xlsx)."""
    out, _ = _screened(workbook_with_column_numbers(tmp_path / "统计表.xlsx", households(4), numbers), tmp_path)
    led = ledger(out)
    assert list(led["row"]) == ["3", "4", "5", "6"]
    assert set(led["status"]) == {"candidate"}
    assert issues(out).empty
    assert _skipped(out, "numbering") == [2]
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]


def test_a_household_whose_cells_hold_small_numbers_is_still_a_household(tmp_path):
    """The guard: a row without an ID whose cells rise 1, 2, 3 is a numbering row only where it fills
    half the row or more. A row of three such cells and nothing else is a household gone wrong, for
    the clerk to see in the ledger as invalid, not a row to drop."""
    rows = households(3)
    rows[1].update({"户主身份证号": "", "家庭人口数": 1, "家庭常住人口数": 2})
    rows.append({h: "" for h in HEADERS} | {"家庭人口数": 1, "家庭常住人口数": 2, "工资性收入": 3})
    out, _ = _screened(workbook_with_column_numbers(tmp_path / "表.xlsx", rows, [""] * len(HEADERS)), tmp_path)
    led = ledger(out)
    assert list(led["row"]) == ["3", "4", "5", "6"]
    assert list(led["status"]) == ["candidate", "invalid", "candidate", "invalid"]


@pytest.mark.parametrize("stacked", [False, True], ids=["section lines", "stacked village tables"])
def test_a_line_merged_across_the_table_is_no_household(tmp_path, stacked):
    """Before: the merged words filled every column and each line became an invalid household with
    a village list of its own (villages/一、前岗村(共 3 户)-一、前岗村(共 3 户).xlsx)."""
    villages = {"前岗村": households(3, 1, **{"行政村": "前岗村"}), "后岗村": households(2, 4, **{"行政村": "后岗村"})}
    out, _ = _screened(workbook_of_village_sections(tmp_path / "合隆镇.xlsx", villages, stacked=stacked), tmp_path)
    led = ledger(out)
    assert list(led["head_name"]) == [f"户主{i}" for i in range(1, 6)]
    assert set(led["status"]) == {"candidate"}
    assert issues(out).empty
    assert _skipped(out, "section") == ([6] if stacked else [2, 6])  # a first title above the header is no row
    if stacked:
        assert _skipped(out, "header") == [7]
    assert sorted(p.name for p in (out / "villages").iterdir()) == ["合隆镇-前岗村.xlsx", "合隆镇-后岗村.xlsx"]


@pytest.mark.parametrize("line, column", [("本村共 3 户 9 人", "户主姓名"), ("全村共3户", "乡(镇)"),
                                          ("以上共 3 户", "行政村"), ("共3条记录", "乡(镇)"), ("共 3 户", "户主姓名")])
def test_a_count_line_under_the_table_is_no_household(tmp_path, line, column):
    """Before: an invalid household (户主身份证号 blank) and a list villages/(乡镇未填)-(行政村未填).xlsx. 共3条记录
    is how web systems end an export."""
    out, _ = _screened(workbook_with_count_line(tmp_path / "前岗村.xlsx", households(3), line, column), tmp_path)
    assert list(ledger(out)["row"]) == ["2", "3", "4"]
    assert _skipped(out, "total") == [5]


def test_a_head_whose_name_begins_with_gong_stays_a_household(tmp_path):
    """共 is a surname: only after 本村, 全村 … is it a count line, and never on a row with an ID."""
    rows = households(2)
    rows[0]["户主姓名"] = "共同"
    out, _ = _screened(workbook_with_count_line(tmp_path / "前岗村.xlsx", rows, "本村共 2 户"), tmp_path)
    assert list(ledger(out)["head_name"]) == ["共同", "户主2"]


@pytest.mark.parametrize("group", ["家庭收入情况(元)", "家庭全年收入", "收入情况"])
def test_a_total_under_an_income_group_worded_otherwise_is_the_total_income(tmp_path, group):
    """Before: under 家庭收入情况(元) the 合计 column was not read at all (one unknown column in the
    run's details), so a total 500 yuan above its components went unchecked: a candidate."""
    rows = households(2)
    rows[1]["家庭总收入"] = rows[1]["家庭总收入"] + 500
    out, _ = _screened(workbook_with_income_group(tmp_path / "前岗村.xlsx", rows, group), tmp_path)
    assert list(ledger(out)["status"]) == ["candidate", "invalid"]
    found = issues(out)
    assert found[["row", "code"]].values.tolist() == [["4", "total_income_mismatch"]]


def _villages() -> dict[str, list[dict]]:
    return {"前岗村": households(3, 1, **{"行政村": "前岗村"}), "后岗村": households(2, 4, **{"行政村": "后岗村"})}


def test_a_summary_sheet_beside_the_village_sheets_is_passed_over_and_named(tmp_path):
    """Before: exit 2 for the whole workbook, the 汇总 sheet taken for a household sheet missing its
    户主姓名 and 户主身份证号 columns ("最接近的可用表头:常住人口, 户籍人口")."""
    path = workbook_with_summary_sheet(tmp_path / "农安县.xlsx", _villages())
    out, _ = _screened(path, tmp_path)
    assert list(ledger(out)["head_name"]) == [f"户主{i}" for i in range(1, 6)]
    assert manifest(out)["inputs"][0]["skipped_sheets"] == [{"name": "汇总", "reason": "summary"}]
    facts = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"]
    said = " ".join(str(v) for row in facts.iter_rows(values_only=True) for v in row if v)
    assert "「汇总」" in said and "汇总表" in said, said


def test_a_summary_alone_is_refused_saying_what_it_is(tmp_path):
    path = workbook_with_summary_sheet(tmp_path / "农安县.xlsx", _villages(), summary_only=True)
    result = screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "「汇总」 是汇总表" in result.output and "请提交各户的入户登记表" in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_household_sheet_with_its_head_columns_mistyped_is_still_told_what_is_missing(tmp_path):
    """The guard: no 户数 column, so not a summary; the clerk learns which columns to fix."""
    headers = [{"户主姓名": "户主名字", "户主身份证号": "证件号"}.get(h, h) for h in HEADERS]
    path = write_workbook(tmp_path / "前岗村.xlsx", households(2), headers=headers)
    result = screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "户主姓名" in result.output and "户主身份证号" in result.output, result.output


def test_an_id_pasted_with_an_invisible_character_is_read_as_the_id(tmp_path):
    """Before: 「220122…」 is 19 characters, id_malformed, though the clerk sees the 18 of the ID."""
    rows = households(3)
    rows[0]["户主身份证号"] += "\u200b"  # a zero-width space after it, as a web page's copy carries
    rows[1]["户主身份证号"] = "\ufeff" + rows[1]["户主身份证号"]  # a BOM before it
    rows[2]["户主姓名"] = "户主\u200d3"
    out, _ = _screened(write_workbook(tmp_path / "前岗村.xlsx", rows), tmp_path)
    led = ledger(out)
    assert set(led["status"]) == {"candidate"}, issues(out)
    assert led["head_id"].str.len().tolist() == [18, 18, 18]
    assert led["head_name"].tolist()[2] == "户主3"


@pytest.mark.parametrize("none", ["—", "无", "/", "－", "-", "零", " — "])
def test_a_dash_or_wu_written_for_no_income_is_0_yuan(tmp_path, none):
    """Before: not_a_number, the household invalid, for a clerk's way of writing none."""
    rows = households(2)
    rows[0]["财产性收入"] = none
    rows[1].update({"家庭经营费用支出": none, "生产性固定资产折旧": none})
    out, _ = _screened(write_workbook(tmp_path / "前岗村.xlsx", rows), tmp_path)
    assert list(ledger(out)["status"]) == ["candidate", "candidate"]
    assert issues(out).empty
    assert list(ledger(out)["per_capita_income"]) == ["3333.33", "3333.33"]


def test_merged_cells_of_an_ods_fill_the_households_below(tmp_path):
    """Before: calamine gives an .ods no merged ranges, so only each merge's first household had its
    乡(镇) and 行政村: 4 of 5 households invalid ('此项必填'), where the .xlsx and .xls read whole."""
    path = ods_with_merged_cells(tmp_path / "合隆镇.ods", _villages())
    out, _ = _screened(path, tmp_path)
    led = ledger(out)
    assert list(led["row"]) == ["2", "3", "4", "5", "6"]
    assert set(led["status"]) == {"candidate"}, issues(out)
    assert list(led["township"]) == ["合隆镇"] * 5
    assert list(led["village"]) == ["前岗村"] * 3 + ["后岗村"] * 2


def test_amounts_written_with_rmb_are_read_and_an_unreadable_cost_is_not_no_cost(tmp_path):
    """Before: RMB12000 was not_a_number, and a business income beside an unreadable cost also got
    income_without_costs ('但没有填写任何经营费用支出') though a cost was written."""
    rows = households(2)
    rows[0].update({"工资性收入": "RMB10000", "家庭总收入": "rmb 10000.00"})
    rows[1].update({"工资性收入": 5000, "家庭经营收入": 5000, "家庭经营费用支出": "见账本"})
    out, _ = _screened(write_workbook(tmp_path / "前岗村.xlsx", rows), tmp_path)
    assert list(ledger(out)["status"]) == ["candidate", "invalid"]
    assert issues(out)[["row", "field", "code"]].values.tolist() == [["3", "business_costs", "not_a_number"]]


def test_a_web_exports_ids_written_as_excel_text_formulas_are_the_ids(tmp_path):
    """Web systems write IDs and codes as ="…" in their CSV so that Excel keeps the digits; Excel
    shows the ID. Before: every such ID was 21 characters, id_malformed, every household invalid."""
    rows = households(3)
    ids = [r["户主身份证号"] for r in rows]
    table = [[f'="{r[h]}"' if h in ("户主身份证号", "户编号") else r[h] for h in HEADERS] for r in rows]
    table[0][HEADERS.index("户编号")] = '="000123"'
    out, _ = _screened(write_csv_table(tmp_path / "系统导出.csv", HEADERS, table), tmp_path)
    led = ledger(out)
    assert set(led["status"]) == {"candidate"}, issues(out)
    assert list(led["head_id"]) == ids
    assert led["household_id"][0] == "000123"


def test_a_summary_workbook_without_a_household_count_is_passed_over_by_its_name(tmp_path):
    """A township's 汇总表.xlsx counting 常住人口, 低保户, 特困人员 by village, with no 户数 column: its
    header names places, residents and both flags, and no head. Before (tester, 2026-12-03): the whole
    folder refused, 缺少必填列:户主姓名、户主身份证号…. Its name says what it is."""
    folder = tmp_path / "农安县"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", households(2))
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "汇总"
    for row in (["农安县贫困边缘户识别情况汇总表"], ["乡镇", "村", "常住人口", "低保户", "特困人员", "贫困边缘户"],
                ["合隆镇", "前岗村", 6, 0, 0, 2], ["合计", None, 6, 0, 0, 2]):
        ws.append(row)
    book.save(folder / "汇总表.xlsx")
    out, result = _screened(folder, tmp_path)
    assert len(ledger(out)) == 2
    assert "汇总表.xlsx: 没有读入:是汇总表" in result.output, result.output
