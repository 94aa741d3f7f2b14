"""Systemic problems (issue 11 item 2): one check hitting one column in most rows of a sheet is found
once, vectorised over the issue index, and said once, with its rows and likely cause, in every report a
person reads; issues.csv keeps every issue and errors still make each household invalid."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv, write_workbook
from edgescreen.outputs.ledger import read_issues
from edgescreen import screen
from edgescreen.cli import app
from edgescreen.outputs import quality, sheetdata
from edgescreen.outputs.quality import quality_report, write_quality_workbook
from edgescreen.systemic import MIN_ROWS, MIN_SHARE, find_systemic, row_ranges

AS_OF = dt.date(2020, 1, 1)
runner = CliRunner()


def col(header: str) -> str:
    return chr(ord("A") + HEADERS.index(header))


def heads(n: int, start: int = 1):
    """Valid IDs of heads born on n different days (their first 15 digits differ)."""
    born = pd.date_range("1960-01-01", periods=n, freq="7D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


def excel_number(pid: str) -> str:
    """An ID as Excel keeps it once the column is numbers: 15 significant digits, as text in a CSV."""
    return f"{float(pid[:15]) * 1000:.14e}".replace("e+", "e+")


# ---------------------------------------------------------------------------------------------
# The finding itself, over a synthetic issue index


def index_of(hh, kind=0, field="phone", code="phone_malformed", severity="warning", hint=""):
    hh = np.asarray(hh, dtype=np.int64)
    return pd.DataFrame({"hh": hh, "field": field, "code": code, "hint": hint, "severity": severity,
                         "kind": kind, "part": 0, "pos": np.arange(len(hh))})


def households_of(sizes: dict[str, int]) -> pd.DataFrame:
    frames = [pd.DataFrame({"sheet_key": f"f.xlsx\x1f{name}", "source_file": "f.xlsx", "sheet": name,
                            "row": np.arange(2, n + 2)}) for name, n in sizes.items()]
    return pd.concat(frames, ignore_index=True)


COLUMNS = pd.DataFrame({"sheet_key": ["f.xlsx\x1fA", "f.xlsx\x1fB"], "field": ["phone", "phone"],
                        "column": ["G", "H"], "header": ["联系电话", "电话"]})


def test_most_of_a_sheet_is_a_finding_with_its_rows_and_ranges():
    households = households_of({"A": 40, "B": 40})
    hit = [*range(0, 15), *range(17, 40)]          # 38 of sheet A's 40, rows 2-16 and 19-41
    found = find_systemic(index_of(hit + [45, 46]), households, COLUMNS)
    assert len(found) == 1
    f = found.findings.iloc[0]
    assert (f.sheet, f.field, f.code, f.rows, f.households, f.column, f.header) == \
        ("A", "phone", "phone_malformed", 38, 40, "G", "联系电话")
    assert f.share == pytest.approx(0.95)
    assert f.ranges == [(2, 16), (19, 41)]
    assert list(found.of_issue) == [0] * 38 + [-1, -1], "sheet B's two issues are listed row by row"
    assert found.warning_rows.sum() == 38


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 120), st.data())
def test_a_finding_is_exactly_half_a_sheet_and_at_least_20_rows(size, data):
    """For any sheet and any set of flagged households: a finding if and only if they are at least
    MIN_ROWS and at least MIN_SHARE of the sheet; each household counted once."""
    flagged = data.draw(st.sets(st.integers(0, size - 1)))
    twice = data.draw(st.booleans())
    hh = sorted(flagged) * (2 if twice else 1)  # a check adding a household twice still counts it once
    found = find_systemic(index_of(sorted(hh)), households_of({"A": size}), COLUMNS)
    expected = len(flagged) >= MIN_ROWS and len(flagged) >= MIN_SHARE * size
    assert (len(found) == 1) == expected
    if expected:
        assert found.findings.iloc[0].rows == len(flagged)
        assert sum(b - a + 1 for a, b in found.findings.iloc[0].ranges) == len(flagged)


def test_each_check_and_column_is_its_own_finding_errors_first():
    households = households_of({"A": 30})
    index = pd.concat([index_of(range(30), kind=0),
                       index_of(range(25), kind=1, field="head_id", code="id_malformed", severity="error",
                                hint="id_excel_number")]).sort_values("hh", kind="stable")
    found = find_systemic(index, households, COLUMNS)
    assert list(found.findings["code"]) == ["id_malformed", "phone_malformed"]
    assert list(found.findings["rows"]) == [25, 30]
    assert list(found.findings["column"]) == ["", "G"], "a field the sheet lacks has no letter"


@pytest.mark.parametrize("share, said", [(630 / 632, "99.7%"), (1.0, "100%"), (0.996, "99.6%"), (0.5, "50%"),
                                          (0.994, "99%"), (0.9999, "99.9%"), (0.004, "0.4%"), (0.0, "0%")])
def test_a_share_says_100_percent_only_for_every_row(share, said):
    """An outside try: 户主身份证号重复 630 行,占本表 632 户的 100%."""
    from edgescreen.systemic import share_text
    assert share_text(share) == said


def test_row_ranges():
    assert row_ranges([5, 6, 7, 9, 9, 12, 11]) == [(5, 7), (9, 9), (11, 12)]
    assert row_ranges([]) == []


# ---------------------------------------------------------------------------------------------
# End to end: a sheet with 财产性收入 left blank and an ID column Excel turned into numbers


N = 60


@pytest.fixture(scope="module")
def flooded(tmp_path_factory):
    """60 households: 财产性收入 blank in every row (total given without it), the head ID a number in 40
    rows (two-thirds: a finding; its households invalid), one phone number wrong (listed row by row)."""
    ids = heads(N, start=101)
    rows = []
    for i, pid in enumerate(ids):
        rows.append(household(**{"户主身份证号": excel_number(pid) if i < 40 else pid, "财产性收入": "",
                                 "家庭总收入": 10000, "行政村": "前岗村" if i < 30 else "东兴村",
                                 "联系电话": "12345" if i == 50 else "13812345678"}))
    folder = tmp_path_factory.mktemp("flooded")
    path = write_csv(folder / "合隆镇.csv", rows)
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01"])
    return folder, done


def test_the_terminal_says_each_finding_once(flooded):
    _, done = flooded
    assert done.exit_code == 1, done.output
    output = re.sub(r"\s+", "", done.output)
    assert output.count("整列或整村的问题") == 1
    assert f"{col('财产性收入')}列「财产性收入」:漏填60行,占本表60户的100%(第2-61行)" in output
    assert "该列整列未填写,空格都按0元计算" in output
    assert f"{col('户主身份证号')}列「户主身份证号」:身份证号格式错误40行,占本表60户的67%(第2-41行)" in output
    assert "身份证号列被Excel转成了数字" in output


def test_issues_csv_keeps_every_issue_and_errors_make_households_invalid(flooded):
    folder, _ = flooded
    issues = read_issues(folder / "report" / "issues.csv")
    codes = pd.Series(list(zip(issues["code"], issues["field"]))).value_counts()
    assert codes[("missing_value", "property_income")] == N
    assert codes[("id_malformed", "head_id")] == 40
    result = screen([folder / "合隆镇.csv"], as_of=AS_OF)
    assert (result.households["status"] == "invalid").sum() == 40


def test_the_workbook_says_it_once_and_lists_only_the_rest(flooded):
    folder, _ = flooded
    book = openpyxl.load_workbook(folder / "report" / "quality.xlsx")
    overview = [r[0] for r in book["概览"].iter_rows(values_only=True) if r[0]]
    title = overview.index("整列或整村的问题(每项只报一次)")
    assert overview[title + 1] == (f"合隆镇.csv {col('户主身份证号')}列「户主身份证号」:身份证号格式错误 40 行,"
                                   "占本表 60 户的 67%(第 2-41 行)。可能原因:身份证号列被 Excel 转成了数字,后几位已丢失:"
                                   "把该列设为文本格式,再按户口簿或身份证重新录入完整的 18 位")
    assert overview[title + 2].startswith(f"【影响认定】合隆镇.csv {col('财产性收入')}列「财产性收入」:漏填 60 行,占本表 60 户的 100%")
    assert overview[title + 3].startswith("同一检查在一个工作表的一列中命中该表半数以上的农户")
    ws = book["问题清单"]
    assert "另有 60 条警告属于整列或整村的问题" in ws["A1"].value
    listed = list(ws.iter_rows(min_row=4, values_only=True))
    assert sorted({r[12] for r in listed}) == ["id_malformed", "phone_malformed"]
    assert len(listed) == 41, "the 40 ID errors stay listed row by row, with the one phone number"
    assert ws.auto_filter.ref == "A3:M44" and ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3"


def test_the_page_says_it_once_on_the_first_screen(flooded):
    folder, _ = flooded
    html = (folder / "report" / "report.html").read_text(encoding="utf-8")
    alert = html[html.index('id="systemic"'):html.index('id="counts"')]
    assert alert.count("<li>") == 2 and "身份证号列被 Excel 转成了数字" in alert
    rows = re.findall(r'<tr class="(?:error|warning)" data-sev="\w+" data-code="(\w+)">', html)
    assert rows.count("missing_value") == 0 and rows.count("id_malformed") == 40
    assert "另有 60 条警告属于整列或整村的问题" in html


def test_each_village_gets_the_finding_with_its_own_rows(flooded):
    folder, _ = flooded
    ws = openpyxl.load_workbook(folder / "report" / "quality-villages" / "合隆镇-东兴村-问题清单.xlsx").active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    lines = [c for c in cells if "整列" in c or "本村" in c]
    assert any("漏填 60 行" in line and "本村 30 户:第 32-61 行" in line for line in lines), lines
    assert any("身份证号格式错误 40 行" in line and "本村 10 户:第 32-41 行" in line for line in lines), lines
    # Its own sentence after the finding's: '…此项必填 本村 30 户' ran on (an outside try).
    assert all("。本村" in line for line in lines if "本村" in line), lines
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    message = next(c.column for c in ws[header] if c.value == "说明")
    listed = [ws.cell(r, message).value for r in range(header + 1, ws.max_row + 1)]
    assert len(listed) == 11 and not any("财产性收入" in m for m in listed), "10 ID errors and the phone"
    assert ws.row_dimensions[header + 1].height >= quality.FIX_ROW_HEIGHT


# ---------------------------------------------------------------------------------------------
# Excel's row limit


def test_a_list_longer_than_a_sheet_continues_on_the_next_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(sheetdata, "MAX_SHEET_ROWS", 12)
    rows = [household(**{"户主身份证号": pid, "家庭常住人口数": 0}) for pid in heads(25, start=201)]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF)
    write_quality_workbook(quality_report(result, "zh"), tmp_path / "q.xlsx")
    book = openpyxl.load_workbook(tmp_path / "q.xlsx")
    parts = [name for name in book.sheetnames if name.startswith("问题清单")]
    assert parts == ["问题清单", "问题清单(2)", "问题清单(3)"]
    assert [name for name in book.sheetnames if name.startswith("错误")] == ["错误", "错误(2)", "错误(3)"]
    seen = []
    for k, name in enumerate(parts, start=1):
        ws = book[name]
        assert ws.max_row <= 12
        assert f"第 {k} 部分(共 3 部分)" in ws["A1"].value
        header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "来源文件")
        assert ws.print_title_rows == f"${header}:${header}"
        seen += [ws.cell(r, 4).value for r in range(header + 1, ws.max_row + 1)]
    assert seen == list(range(2, 27)), "every issue once, in order, across the parts"


def test_ranges_put_the_row_word_before_how_many_more():
    from edgescreen.systemic import ranges_text

    runs = [(3 * i, 3 * i + 1) for i in range(1, 10)]  # nine runs of two rows
    assert ranges_text(runs, "zh", shown=5) == "3-4、6-7、9-10、12-13、15-16 行等,另有 4 段"
    assert ranges_text(runs, "en", shown=5) == "3-4, 6-7, 9-10, 12-13, 15-16 and 4 more runs"
    assert ranges_text([(2, 41)], "zh") == "2-41 行" and ranges_text([(2, 41)], "en") == "2-41"


def test_the_same_households_given_twice_are_said_as_given_twice_not_as_a_filled_down_column(tmp_path):
    """Found by an outside try: a township's old table beside its corrected one (or two years' tables)
    gave every ID twice, once per file, and the finding's cause said the column had been filled down.
    A column whose IDs do repeat inside its own sheet keeps that cause."""
    ids = heads(25, start=301)
    rows = [household(**{"户主身份证号": pid}) for pid in ids]
    old = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    # (Another year's table: every income differs. One with most rows the same is refused as two
    # versions of one table before any check: tests/test_near_copy.py.)
    corrected = write_workbook(tmp_path / "合隆镇-更正.xlsx", [dict(r, 工资性收入=9000) for r in rows])
    done = runner.invoke(app, ["check", str(old), str(corrected), "-o", str(tmp_path / "twice"),
                               "--as-of", "2020-01-01"])
    said = re.sub(r"\s+", "", done.output)
    assert said.count("户主身份证号重复25行") == 2, done.output
    assert said.count("这些户在另一个文件或工作表里也有,多半是同一乡镇(村)的表给了两份") == 2, done.output
    assert "向下填充" not in said

    copied = write_workbook(tmp_path / "东兴村.xlsx", [household(**{"户主身份证号": pid}) for pid in ids[:12] * 2])
    done = runner.invoke(app, ["check", str(copied), "-o", str(tmp_path / "copied"), "--as-of", "2020-01-01"])
    said = re.sub(r"\s+", "", done.output)
    assert "户主身份证号重复24行" in said and "向下填充" in said and "给了两份" not in said, done.output


# ---------------------------------------------------------------------------------------------
# A township's sheet with its villages one below the other (an outside try, 2026-12-04: a county
# whose villages left amounts of 0 blank got a warning for one household in three, each listed)

BLANK_FOR_ZERO = {"家庭经营收入": None, "财产性收入": None, "转移性收入": None, "家庭经营费用支出": None,
                  "生产性固定资产折旧": None, "税金和上交承包费用": None, "家庭总收入": 10000,
                  "家庭生产经营性支出": None}


@pytest.fixture(scope="module")
def township_sheet(tmp_path_factory):
    """合隆镇's sheet: 前岗村 40 households as the form asks (0 typed); 东兴村 25 that leave every
    amount of 0 blank and write no 0 anywhere; 青山村 15 that type their 0s but leave 是否特困人员 blank."""
    ids = iter(heads(80, start=301))
    rows = ([household(户主身份证号=next(ids), 行政村="前岗村") for _ in range(40)]
            + [household(户主身份证号=next(ids), 行政村="东兴村", **BLANK_FOR_ZERO) for _ in range(25)]
            + [household(户主身份证号=next(ids), 行政村="青山村", 是否特困人员=None) for _ in range(15)])
    folder = tmp_path_factory.mktemp("township")
    path = write_workbook(folder / "合隆镇.xlsx", {"合隆镇": rows})
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "200"})
    return folder, done


def test_a_village_that_writes_no_0_is_one_finding_whatever_the_column(township_sheet):
    folder, done = township_sheet
    said = re.sub(r"\s+", "", done.output)
    assert ("合隆镇.xlsx「合隆镇」合隆镇东兴村:金额为0的都留空没有填0(全村没有一处金额填0),25户共175处金额空格"
            "(该村25户,第42-66行),都按0元计算。") in said, said
    # 青山村's blank column is its own: said for the village, its 0s typed.
    assert (f"合隆镇.xlsx「合隆镇」合隆镇青山村{col('是否特困人员')}列「是否特困人员」:漏填15行,占该村15户的100%"
            "(第67-81行)。可能原因:该村这一列都没有填写,空格都按「否」处理") in said, said
    assert "前岗村" not in said.split("整列或整村的问题")[1], "前岗村 types its 0s: nothing of it is said"
    # Every issue still in issues.csv; none of them listed row by row for a person.
    issues = read_issues(folder / "report" / "issues.csv")
    assert (issues["code"] == "missing_value").sum() == 175 + 15
    listing = openpyxl.load_workbook(folder / "report" / "quality.xlsx")["问题清单"]
    assert not any("漏填" in str(c.value) for r in listing.iter_rows(min_row=2) for c in r if c.value), \
        "the village's blanks are said once, not listed"
    # The village's fix list says it once, and its households as households (not one per blank cell).
    fix = " ".join(str(c.value) for r in openpyxl.load_workbook(
        folder / "report" / "quality-villages" / "合隆镇-东兴村-问题清单.xlsx").worksheets[0].iter_rows() for c in r if c.value)
    assert fix.count("金额为 0 的都留空没有填 0") == 1 and "本村" not in fix, fix
    # Its count says the warnings the finding holds: "0 条警告" alone read as nothing to check.
    assert "共 0 条错误、0 条警告。另有 175 条警告属于下面的整列或整村的问题,不逐条列出。" in fix, fix


def test_a_village_that_types_one_0_is_not_said_to_write_none(tmp_path):
    ids = iter(heads(80, start=401))
    rows = ([household(户主身份证号=next(ids), 行政村="前岗村") for _ in range(40)]
            + [household(户主身份证号=next(ids), 行政村="东兴村", **BLANK_FOR_ZERO) for _ in range(24)]
            + [household(户主身份证号=next(ids), 行政村="东兴村", **{**BLANK_FOR_ZERO, "财产性收入": 0})])
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows})
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "200"})
    said = re.sub(r"\s+", "", done.output)
    assert "全村没有一处金额填0" not in said
    # One finding of all its blanks: blank is most of its zeros, and the one 0 it writes is said.
    assert "合隆镇东兴村:金额为0的大多留空没有填0(全村填0的只有1处),25户共174处金额空格(该村25户,第42-66行)" in said, said


def test_a_village_of_a_sheet_is_a_finding_where_its_sheet_is_not():
    households = pd.DataFrame({"sheet_key": "f.xlsx\x1fA", "source_file": "f.xlsx", "sheet": "A",
                               "row": np.arange(2, 47), "township": "合隆镇",
                               "village": ["前岗村"] * 20 + ["东兴村"] * 15 + ["青山村"] * 10})
    hit = list(range(20, 32))                       # 12 of 东兴村's 15, 12 of the sheet's 45
    found = find_systemic(index_of(hit + [1, 40]), households, COLUMNS)
    assert len(found) == 1
    f = found.findings.iloc[0]
    assert (f.level, f.village, f.rows, f.households, f.ranges) == ("village", "东兴村", 12, 15, [(22, 33)])
    assert list(found.of_issue) == [0] * 12 + [-1, -1]
    # 9 of 东兴村's: fewer than a village's pattern takes.
    assert len(find_systemic(index_of(list(range(20, 29))), households, COLUMNS)) == 0
