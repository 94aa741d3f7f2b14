"""Exports an outside tester found read wrong (2026-12-05): money cells in Excel's 会计专用 (accounting)
format, whose zero a CSV save writes as " ¥-   " (each such cell not_a_number, the household 数据有误);
the monitoring system's place headers 所属乡镇 / 所属村 (a county sheet refused, asked to add the columns it
has); and rows of column numbers (栏次) written otherwise than 甲 乙 丙 … 1 2 3 (each a made-up household
with a village list of its own). Each test failed on the code before, except the guards."""

from __future__ import annotations

import pytest

from field_builders import households, workbook_with_column_numbers
from field_checks import issues, ledger, manifest, screen
from survey_builders import HEADERS, make_id, write_csv_table, write_workbook


def _screened(path, tmp_path):
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    return out


# ---------------------------------------------------------------------------------------------
# 1. The accounting format's zero

ACCOUNTING = ["乡镇", "村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入",
              "转移性收入", "家庭生产经营性支出", "是否低保户", "是否特困人员"]


@pytest.mark.parametrize("zero", [" ¥-   ", " ￥- ", "¥ —", "￥-", " ¥ -  "])
def test_the_accounting_formats_zero_reads_as_0(tmp_path, zero):
    """Before: 工资性收入 and 财产性收入 not_a_number (error), the household invalid."""
    rows = [["合隆镇", "前岗村", "吴宝山", make_id(serial=19), 1, zero, " ¥4,500.00 ", zero, " ¥800.00 ",
             " ¥1,800.00 ", "否", "否"]]
    out = _screened(write_csv_table(tmp_path / "前岗村.csv", ACCOUNTING, rows), tmp_path)
    led = ledger(out)
    assert list(zip(led["head_name"], led["status"], led["per_capita_income"])) == [("吴宝山", "candidate", "3500.00")]
    assert "not_a_number" not in set(issues(out)["code"])


def test_a_form_line_of_accounting_zeros_only_is_no_household(tmp_path):
    """A line prepared ahead, its amounts 0 shown the accounting way and never filled: before, an
    invalid household of its own (no name, no ID)."""
    rows = [["合隆镇", "前岗村", "吴宝山", make_id(serial=19), 1, 0, 4500, 0, 800, 1800, "否", "否"],
            ["", "", "", "", "", " ¥-   ", " ¥-   ", " ¥-   ", " ¥-   ", " ¥-   ", "否", "否"]]
    out = _screened(write_csv_table(tmp_path / "前岗村.csv", ACCOUNTING, rows), tmp_path)
    assert list(ledger(out)["head_name"]) == ["吴宝山"]


def test_a_currency_sign_before_words_is_still_no_amount(tmp_path):
    """The guard: only a dash or 无 after the sign is none; ¥ before other words is not_a_number."""
    rows = [["合隆镇", "前岗村", "吴宝山", make_id(serial=19), 1, "¥见备注", 4500, 0, 800, 1800, "否", "否"]]
    out = _screened(write_csv_table(tmp_path / "前岗村.csv", ACCOUNTING, rows), tmp_path)
    found = issues(out)
    assert "not_a_number" in set(found["code"])
    assert list(ledger(out)["status"]) == ["invalid"]


# ---------------------------------------------------------------------------------------------
# 2. The monitoring system's place headers


@pytest.mark.parametrize("township, village", [("所属乡镇", "所属村"), ("所属乡(镇)", "所属行政村")])
def test_the_monitoring_systems_place_headers_are_read(tmp_path, township, village):
    """Before: the county sheet refused (缺少必填列:乡(镇)、行政村 … 请在表中加上乡(镇)、行政村列)."""
    first = households(1, 1, **{"乡(镇)": "合隆镇", "行政村": "前岗村"})
    second = households(1, 2, **{"乡(镇)": "哈拉海镇", "行政村": "东岗村"})
    renamed = {"乡(镇)": township, "行政村": village}
    path = write_workbook(tmp_path / "农安县.xlsx", first + second, headers=[renamed.get(h, h) for h in HEADERS])
    led = ledger(_screened(path, tmp_path))
    assert list(zip(led["township"], led["village"])) == [("合隆镇", "前岗村"), ("哈拉海镇", "东岗村")]
    assert set(led["status"]) == {"candidate"}


# ---------------------------------------------------------------------------------------------
# 3. Rows of column numbers written otherwise

_TEXTS = len(HEADERS) - 16  # the text columns before 家庭人口数: 乡(镇) … 联系电话
_NUMBERED = [str(i) for i in range(1, 17)]
_PARENS = [f"({i})" for i in range(1, len(HEADERS) + 1)]
_PARENS[HEADERS.index("家庭总收入")] = "(14)=(10)+(11)+(12)+(13)"
_PARENS[HEADERS.index("家庭生产经营性支出")] = "(18)=(15)+(16)+(17)"
NUMBERINGS = {
    "栏次 then dashes": ["栏次"] + ["—"] * (_TEXTS - 1) + _NUMBERED,
    "numbers under the number columns only": [""] * _TEXTS + _NUMBERED,
    "7=3+4+5+6": list("甲乙丙丁戊己庚") + ["1", "2", "3", "4", "5", "6", "7=3+4+5+6", "8", "9", "10", "11=8+9+10",
                                       "12", "13", "14", "15", "16"],
    "(14)=(10)+(11)+(12)+(13)": _PARENS,
}


@pytest.mark.parametrize("numbers", list(NUMBERINGS.values()), ids=list(NUMBERINGS))
def test_column_numbers_written_otherwise_are_no_household(tmp_path, numbers):
    """Before: row 2 an invalid household with a village list of its own (—-—.xlsx,
    (乡镇未填)-(行政村未填).xlsx, 乙-丙.xlsx, (1)-(2).xlsx)."""
    assert len(numbers) == len(HEADERS)
    out = _screened(workbook_with_column_numbers(tmp_path / "统计表.xlsx", households(4), numbers), tmp_path)
    led = ledger(out)
    assert list(led["row"]) == ["3", "4", "5", "6"]
    assert set(led["status"]) == {"candidate"}
    assert issues(out).empty
    skipped = manifest(out)["inputs"][0]["sheets"][0]["skipped_rows"]
    assert [s["row"] for s in skipped if s["reason"] == "numbering"] == [2]
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]


def test_a_household_whose_amounts_are_1_2_3_is_still_read(tmp_path):
    """The guard: a row with a name is a household whatever its numbers, with its ID, without it or
    with a dash for it; so is a row of amounts larger than any column's number."""
    rising = dict(zip(HEADERS[_TEXTS:], range(1, 17)))
    rows = households(4)
    rows[0].update(rising)
    rows[1].update(rising, **{"户主身份证号": ""})
    rows[2].update(rising, **{"户主身份证号": "—"})
    rows.append({h: "" for h in HEADERS} | dict(zip(HEADERS[_TEXTS:], range(100, 1700, 100))))
    out = _screened(workbook_with_column_numbers(tmp_path / "表.xlsx", rows, [""] * len(HEADERS)), tmp_path)
    led = ledger(out)
    assert list(led["row"]) == ["3", "4", "5", "6", "7"]
    assert list(led["head_name"])[:4] == ["户主1", "户主2", "户主3", "户主4"]
