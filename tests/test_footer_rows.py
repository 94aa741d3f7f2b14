"""Rows under a table that are no household, as clerks write them: signature lines with a colon in
any cell (村书记签字:, 包村干部: 王五 in the name's column), an average row (平均), and a row of sums with
no label at all. None becomes a household; each is named in the file facts. A row that names no
head but does not hold the sums stays a household, to be fixed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from field_builders import col, households
from survey_builders import HEADERS, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _row(**cells) -> list:
    """A row of the sheet, cells by header."""
    row = [""] * len(HEADERS)
    for header, value in cells.items():
        row[col(header)] = value
    return row


def _screened(path, tmp_path):
    """Screen `path`: its ledger and its sheet's skipped rows (run.json)."""
    out = tmp_path / "out"
    screened = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert screened.exit_code == 0, screened.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return read_ledger(out / "decisions.csv"), run["inputs"][0]["sheets"][0]["skipped_rows"]


def _check(path, out):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    report = json.loads((out / "check.json").read_text(encoding="utf-8"))
    return result, report


def test_signature_lines_with_a_colon_anywhere_are_the_footer_not_households(tmp_path):
    # Rows 2-4 are households; 5-8 signature lines under them, one naming the cadre in the head's column.
    extra = [_row(家庭常住人口数="村书记签字:"),
             _row(**{"乡(镇)": "包村干部:", "户主姓名": "王五"}),
             _row(户编号="村委会主任(签字):", 工资性收入="审核:"),
             _row(户主姓名="乡镇审核意见:同意")]
    path = write_workbook(tmp_path / "前岗村.xlsx", households(3), extra_rows=extra)
    ledger, skipped = _screened(path, tmp_path)
    assert list(ledger["head_name"]) == ["户主1", "户主2", "户主3"]
    assert set(ledger["status"]) == {"candidate"}
    assert skipped == [{"row": r, "reason": "footer"} for r in (5, 6, 7, 8)]
    result, report = _check(path, tmp_path / "report")
    assert result.exit_code == 0, result.output
    assert [f["detail"] for f in report["facts"] if f["fact"] == "rows_footer"] == ["5-8"]


def test_a_signature_word_in_brackets_before_the_colon_is_a_signature_line(tmp_path):
    """村党支部书记(签字): | 村委会主任(签字): | 村委会(盖章), alone on their row (outside tester,
    2026-12-02): the row had become a household, its 乡(镇) a township of the summary."""
    extra = [_row(**{"乡(镇)": "村党支部书记(签字):", "户主姓名": "村委会主任(签字):", "家庭总收入": "村委会(盖章)"})]
    path = write_workbook(tmp_path / "前岗村.xlsx", households(3), extra_rows=extra)
    ledger, skipped = _screened(path, tmp_path)
    assert list(ledger["head_name"]) == ["户主1", "户主2", "户主3"]
    assert skipped == [{"row": 5, "reason": "footer"}]


def test_an_average_row_and_an_unlabelled_sum_row_are_named_not_households(tmp_path):
    records = households(3)  # wage 10,000 each, 3 residents each
    nameless = _row(**{"乡(镇)": "合隆镇", "家庭常住人口数": 3, "工资性收入": 5000})  # a household whose head is not written
    extra = [_row(**{"乡(镇)": "平均"}, 家庭常住人口数=3, 工资性收入=10000),
             _row(家庭常住人口数=9, 工资性收入=30000, 家庭总收入=30000),
             nameless]
    path = write_workbook(tmp_path / "前岗村.xlsx", records, extra_rows=extra)
    ledger, skipped = _screened(path, tmp_path)
    # The row that holds no sum is a household still, invalid for its blanks: every household comes out.
    assert list(ledger["row"].astype(int)) == [2, 3, 4, 7]
    assert ledger.loc[3, "status"] == "invalid"
    assert skipped == [{"row": 5, "reason": "average"},
                                                            {"row": 6, "reason": "sum"}]
    result, report = _check(path, tmp_path / "report")
    facts = {f["fact"]: f for f in report["facts"]}
    assert facts["rows_average"]["detail"] == "5" and facts["rows_sum"]["detail"] == "6"
    said = " ".join(result.output.split())
    assert "第 5 行是平均数行,不计为农户" in said, said


def test_sums_of_the_block_above_in_stacked_tables_are_totals(tmp_path):
    """Villages' tables one under another, each closed by an unlabelled sum of its own households and a
    signature line in the 家庭常住人口数 column (as printed forms are pasted together)."""
    first, second = households(2), households(2, first_serial=3, 行政村="太平村")
    extra = [_row(家庭常住人口数=6, 工资性收入=20000), _row(户主姓名="", 家庭常住人口数="填表人:")]
    extra += [[r.get(h, "") for h in HEADERS] for r in second]
    extra += [_row(家庭常住人口数=6, 工资性收入=20000), _row(家庭常住人口数="村书记签字:")]
    path = write_workbook(tmp_path / "合隆镇.xlsx", first, extra_rows=extra)
    ledger, skipped = _screened(path, tmp_path)
    assert list(ledger["head_name"]) == ["户主1", "户主2", "户主3", "户主4"]
    assert skipped == [
        {"row": 4, "reason": "sum"}, {"row": 5, "reason": "footer"}, {"row": 8, "reason": "sum"},
        {"row": 9, "reason": "footer"}]


def test_a_household_that_looks_like_an_average_or_a_sum_is_a_household(tmp_path):
    """A head named 平均华 with an ID, and a nameless row with its 填表人 and 3 residents whose amounts
    happen to be the two rows above added up, or whose only amount is 0: households, as before."""
    from field_checks import ledger, screen
    from survey_builders import household, write_workbook

    rows = [household(**{"户主姓名": "甲", "工资性收入": 6000, "填表人": "李四"}),
            household(**{"户主姓名": "乙", "工资性收入": 4000, "填表人": "李四"}),
            household(**{"户主姓名": "", "户主身份证号": "", "行政村": "", "工资性收入": 10000, "填表人": "李四"}),
            household(**{"户主姓名": "平均华", "工资性收入": 5000}),
            household(**{"户主姓名": "", "户主身份证号": "", "行政村": "", "工资性收入": "", "家庭经营收入": "",
                         "转移性收入": "", "财产性收入": 0, "家庭总收入": ""})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "survey.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert len(ledger(out)) == 5


def test_below_a_footer_the_header_repeated_starts_a_table_again(tmp_path):
    """Villages' tables stacked, the first closed by 填表说明 and the second under its header repeated.
    Lines below a footer that name no head were footer down to the sheet's end: the second table's
    household whose head and ID are not written was dropped as footer, without a word. Now the footer ends
    at the header: the household is kept (invalid, to be fixed) and the header is named a header."""
    first, second = households(2), households(2, first_serial=3, 行政村="太平村")
    second[1]["户主姓名"] = second[1]["户主身份证号"] = ""
    extra = [_row(**{"乡(镇)": "填表说明:本表由村委会填写"}), list(HEADERS)]
    extra += [[r.get(h, "") for h in HEADERS] for r in second]
    path = write_workbook(tmp_path / "合隆镇.xlsx", first, extra_rows=extra)
    ledger, skipped = _screened(path, tmp_path)
    assert list(ledger["row"].astype(int)) == [2, 3, 6, 7]
    assert list(ledger["status"]) == ["candidate", "candidate", "candidate", "invalid"]
    assert skipped == [{"row": 4, "reason": "footer"},
                                                            {"row": 5, "reason": "header"}]


def test_lines_dragged_down_with_no_and_zero_and_the_enumerator_are_unused_not_households(tmp_path):
    """A sheet prepared for 20 households and used for 3: the village, the 调查员 and 否/无/0 copied down
    every line. The lines never used are named, not counted; a line holding a 主要困难 or an amount
    other than 0 is a household whose head is missing, to be fixed."""
    records = [{**r, "调查员": "李四"} for r in households(3)]
    dragged = _row(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "是否低保户": "否", "是否特困人员": "无",
                      "是否建档立卡贫困户": "0", "工资性收入": 0, "家庭经营收入": "0.00", "财产性收入": "-",
                      "家庭常住人口数": 0}) + ["李四"]
    with_hardship = list(dragged)
    with_hardship[col("主要困难")] = "因病"
    with_amount = list(dragged)
    with_amount[col("转移性收入")] = 1800
    extra = [dragged] * 4 + [with_hardship, with_amount] + [dragged] * 2
    path = write_workbook(tmp_path / "前岗村.xlsx", records, extra_rows=extra, more=["调查员"])
    ledger, skipped = _screened(path, tmp_path)
    assert list(ledger["row"].astype(int)) == [2, 3, 4, 9, 10]
    assert list(ledger["status"])[3:] == ["invalid", "invalid"]
    assert skipped == [{"row": r, "reason": "unfilled"} for r in (5, 6, 7, 8, 11, 12)]
