"""An enumerator's habit is one finding, not a warning per cell.

An outside try (a clean county of 8,137 households, 42 enumerators named in a 填表人 column, each with
his own way of writing 0 and 是/否): 1,887 blank warnings listed one by one, where a village's two
enumerators differ (one leaves 0 blank in 村民小组 1-3, the other writes 0 in 4-6) and the village's
blanks were judged together. Where the survey names its enumerator, his households of a village are a
block of their own: his blanks are one finding, said with his name; his √-only flags get the ticks hint
on a township's sheet; a total column's 0 (the sum of its components) is no 0 he wrote. Without a 填表人
column, as before."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

ZERO_COLUMNS = ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]


def _ids(n: int, start: int):
    born = pd.date_range("1962-05-01", periods=n, freq="13D").strftime("%Y%m%d")
    return iter([make_id(day, serial=start + 2 * i) for i, day in enumerate(born)])


def _check(folder, path, *more):
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01", *more],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    return re.sub(r"\s+", "", done.output)


def _listed_blanks(folder) -> int:
    """The blank warnings listed row by row in quality.xlsx's 问题清单."""
    listing = openpyxl.load_workbook(folder / "report" / "quality.xlsx")["问题清单"]
    return sum("missing_value" in " ".join(str(c) for c in r if c is not None)
               for r in listing.iter_rows(min_row=4, values_only=True))


def _two_enumerators(with_enumerator: bool) -> list[dict]:
    """前岗村: 张三 (groups 1-3, 24 households) leaves every 0 blank; 李四 (groups 4-6, 40) writes 0."""
    ids = _ids(64, 401)
    blank = {column: None for column in ZERO_COLUMNS}
    rows = []
    for i in range(64):
        mine = i < 24
        who = {"填表人": "张三" if mine else "李四"} if with_enumerator else {}
        rows.append(household(户主身份证号=next(ids), 户主姓名=f"户{i}", 村民小组=f"{i * 6 // 64 + 1}组",
                              工资性收入=40000, 家庭总收入=40000, **(blank if mine else {}), **who))
    return rows


def test_two_enumerators_of_one_village_the_blank_one_is_one_finding(tmp_path):
    path = write_workbook(tmp_path / "前岗村.xlsx", {"前岗村": _two_enumerators(True)}, more=["填表人"])
    said = _check(tmp_path, path)
    # 张三's 24 households, 6 blank amounts each and their blank 家庭生产经营性支出: one finding, with his name.
    # His households are 24 of the village's 64: said as his, not as the whole village's.
    assert "合隆镇前岗村(填表人张三):金额为0的都留空没有填0(他(她)在本村填的没有一处金额填0),24户共168处金额空格" \
           "(他(她)在本村填的24户," in said and "全村" not in said and "该村" not in said, said
    assert "李四" not in said, said
    # None of them listed one by one; issues.csv keeps every one.
    assert _listed_blanks(tmp_path) == 0
    issues = read_issues(tmp_path / "report" / "issues.csv")
    assert (issues["code"] == "missing_value").sum() == 168, issues


def test_two_enumerators_read_in_english(tmp_path):
    path = write_workbook(tmp_path / "前岗村.xlsx", {"前岗村": _two_enumerators(True)}, more=["填表人"])
    said = re.sub(r"\s+", " ", runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of",
                                                   "2020-01-01", "--lang", "en"], env={"COLUMNS": "200"}).output)
    assert "合隆镇前岗村 (enumerator 张三): amounts of 0 are left blank, not written 0 (no amount of this " \
           "enumerator's work in the village is written 0)" in said and "of this enumerator's in-village 24;" in said, said


def test_without_an_enumerator_column_the_village_is_judged_as_before(tmp_path):
    # The same village, no 填表人: its blanks are 168 of its 168 + 240 zeros (41 %), a way it writes 0
    # (systemic.BLANK_SHARE): one finding of the whole village, said as mixing, no enumerator named.
    path = write_workbook(tmp_path / "前岗村.xlsx", {"前岗村": _two_enumerators(False)})
    said = _check(tmp_path, path)
    assert "填表人" not in said and "金额为0的都留空" not in said, said
    assert "前岗村:金额为0的有的留空、有的填0(全村填0的有240处),24户共168处金额空格(该村64户,第2-25行)" in said, said
    assert _listed_blanks(tmp_path) == 0


def test_a_tick_only_enumerator_on_a_township_sheet_gets_the_ticks_hint(tmp_path):
    # 合隆镇's sheet: 前岗村 (张三) writes 是/否 in every flag; 东兴村 (王五) ticks √ for 是 and leaves 否 blank.
    ids = _ids(60, 701)
    rows = [household(户主身份证号=next(ids), 户主姓名=f"前{i}", 行政村="前岗村", 填表人="张三") for i in range(40)]
    rows += [household(户主身份证号=next(ids), 户主姓名=f"东{i}", 行政村="东兴村", 填表人="王五",
                       是否低保户="√" if i < 3 else None, 是否特困人员="√" if i == 5 else None,
                       是否建档立卡贫困户="√" if i in (7, 8) else None) for i in range(20)]
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows}, more=["填表人"])
    _check(tmp_path, path)
    issues = read_issues(tmp_path / "report" / "issues.csv")
    flags = issues[(issues["code"] == "missing_value") & (issues["village"] == "东兴村")]
    assert len(flags) == 17 + 19 + 18, flags
    # Each said as the tick habit, not 「请核实」 of a 是/否 left out.
    assert flags["message"].str.contains("只在「是」的户打了√").all(), flags["message"].tolist()


def test_a_total_columns_computed_zero_is_no_zero_written(tmp_path):
    # 东兴村 (12 households) leaves its 0s blank but one a row; its 家庭生产经营性支出, the sum of its costs,
    # shows 0 in every row: 12 zeros written, not 24.
    ids = _ids(52, 501)
    rows = [household(户主身份证号=next(ids), 户主姓名=f"前{i}", 行政村="前岗村") for i in range(40)]
    for i in range(12):
        zeros = {column: (0 if i % 6 == j else None) for j, column in enumerate(ZERO_COLUMNS)}
        rows.append(household(户主身份证号=next(ids), 户主姓名=f"东{i}", 行政村="东兴村", 工资性收入=40000,
                              家庭总收入=40000, 家庭生产经营性支出=0, **zeros))
    said = _check(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows}))
    assert re.search(r"合隆镇东兴村:金额为0的大多留空没有填0\(全村填0的只有12处\),12户共\d+处金额空格", said), said


def test_an_enumerators_finding_is_counted_against_his_own_rows_not_the_village(tmp_path):
    """One of two enumerators of 前岗村 (张三, 24 of its 64 households) leaves 是否低保户 blank: said
    「占该村 24 户」, the village's 64 read as 24 (an outside try: 高明's 36 of 石头村's 125)."""
    ids = _ids(64, 401)
    rows = [household(户主身份证号=next(ids), 户主姓名=f"户{i}", 村民小组=f"{i * 6 // 64 + 1}组",
                      填表人="张三" if i < 24 else "李四", **({"是否低保户": None} if i < 24 else {}))
            for i in range(64)]
    path = write_workbook(tmp_path / "前岗村.xlsx", {"前岗村": rows}, more=["填表人"])
    said = _check(tmp_path, path)
    assert "合隆镇前岗村(填表人张三)" in said and "占他(她)在本村填的24户的100%" in said, said
    assert "占该村24户" not in said, said
