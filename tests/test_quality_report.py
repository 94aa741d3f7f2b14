"""quality.xlsx and the per-village lists sent back to be fixed, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pytest

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen import screen
from edgescreen.catalogue import messages
from edgescreen.outputs.quality import (ISSUE_LIST_COLUMNS, VILLAGE_FIX_FOLDER, quality_report, write_quality_workbook,
                                write_village_fix_lists)

AS_OF = dt.date(2020, 1, 1)
_serial = iter(range(601, 999, 2))


def hh(township, village, **overrides):
    return household(**{"乡(镇)": township, "行政村": village, "户主身份证号": make_id("19700101", serial=next(_serial)),
                        **overrides})


def col(header):
    return chr(ord("A") + HEADERS.index(header))


@pytest.fixture(scope="module")
def survey(tmp_path_factory):
    """Two townships; 东兴村 has the most errors, 前岗村 one error and a warning, 长山村 none."""
    rows = [
        hh("合隆镇", "前岗村"),                                   # row 2
        hh("合隆镇", "前岗村", **{"家庭常住人口数": 0}),            # row 3: error
        hh("合隆镇", "前岗村", **{"联系电话": "12345"}),           # row 4: warning
        hh("合隆镇", "东兴村", **{"是否低保户": "不详"}),          # row 5: error
        hh("合隆镇", "东兴村", **{"家庭总收入": 99999}),           # row 6: error
        hh("合隆镇", "东兴村", **{"工资性收入": "见备注", "家庭总收入": 10000}),  # row 7: error
        hh("烧锅镇", "长山村"),                                   # row 8
        hh("烧锅镇", "长山村"),                                   # row 9
    ]
    folder = tmp_path_factory.mktemp("quality")
    path = write_workbook(folder / "县.xlsx", rows)
    result = screen([path], as_of=AS_OF)
    return folder, result


def load(report_path):
    return openpyxl.load_workbook(report_path)


def test_sheets_of_the_workbook(survey):
    folder, result = survey
    write_quality_workbook(quality_report(result, "zh"), folder / "q.xlsx")
    write_quality_workbook(quality_report(result, "en"), folder / "q-en.xlsx")
    assert load(folder / "q.xlsx").sheetnames == ["概览", "各村情况", "问题清单", "错误", "警告", "文件情况"]
    assert load(folder / "q-en.xlsx").sheetnames == ["overview", "villages", "issues", "errors", "warnings", "files"]


def test_the_issue_list_has_every_column_an_autofilter_and_a_frozen_header(survey):
    folder, result = survey
    write_quality_workbook(quality_report(result, "zh"), folder / "q.xlsx")
    ws = load(folder / "q.xlsx")["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["来源文件", "工作表", "单元格", "行号", "乡(镇)", "行政村", "户主姓名", "表头", "填写内容",
                      "严重程度", "说明", "类别", "问题代码"]
    assert len(header) == len(ISSUE_LIST_COLUMNS)
    assert ws.auto_filter.ref == "A1:M6"
    assert ws.freeze_panes == "A2"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3], r[12], r[9]) for r in rows] == [
        (f"{col('家庭常住人口数')}3", 3, "residents_not_positive", "错误"),
        (f"{col('联系电话')}4", 4, "phone_malformed", "警告"),
        (f"{col('是否低保户')}5", 5, "flag_unrecognized", "错误"),
        (f"{col('家庭总收入')}6", 6, "total_income_mismatch", "错误"),
        (f"{col('工资性收入')}7", 7, "not_a_number", "错误"),
    ]
    first = rows[0]
    assert first[:2] == ("县.xlsx", "Sheet1")
    assert first[4:9] == ("合隆镇", "前岗村", "张三", "家庭常住人口数", "0")
    assert first[11] == "逻辑错误"
    assert first[10] == f"第3行 {col('家庭常住人口数')}列「家庭常住人口数」为 0:常住人口至少为 1 人"
    assert isinstance(first[3], int), "the Excel row is a number, to sort and filter by"


def test_one_sheet_per_severity(survey):
    folder, result = survey
    write_quality_workbook(quality_report(result, "zh"), folder / "q.xlsx")
    book = load(folder / "q.xlsx")
    errors = list(book["错误"].iter_rows(min_row=2, values_only=True))
    warnings = list(book["警告"].iter_rows(min_row=2, values_only=True))
    assert [r[3] for r in errors] == [3, 5, 6, 7] and {r[9] for r in errors} == {"错误"}
    assert [r[3] for r in warnings] == [4] and {r[9] for r in warnings} == {"警告"}
    for name in ("错误", "警告"):
        assert book[name].freeze_panes == "A2" and book[name].auto_filter.ref


def test_issue_cells_are_formatted_by_column(survey):
    """Severity in red (error) or amber (warning), the message wrapped, every cell bordered; the
    fix list's column for what was done blank but bordered."""
    folder, result = survey
    report = quality_report(result, "zh")
    write_quality_workbook(report, folder / "q.xlsx")
    ws = load(folder / "q.xlsx")["问题清单"]
    severity = {ws.cell(r, 10).value: ws.cell(r, 10).font for r in range(2, 7)}
    assert severity["错误"].b and severity["错误"].color.rgb.endswith("B00020")
    assert not severity["警告"].b and severity["警告"].color.rgb.endswith("8A5A00")
    wrapped = {c for c in range(1, 14) if all(ws.cell(r, c).alignment.wrap_text for r in range(2, 7))}
    assert wrapped == {1, 2, 5, 6, 7, 8, 9, 11}, \
        "file, sheet, township, village, head, header, value and the message wrap; short columns do not"
    assert not any(ws.cell(r, c).alignment.wrap_text for r in range(2, 7) for c in set(range(1, 14)) - wrapped)
    assert all(ws.cell(r, c).border.left.style == "thin" for r in range(2, 7) for c in range(1, 14))
    assert {ws.cell(r, 12).data_type for r in range(2, 7)} == {"s"}
    assert {ws.cell(r, 4).data_type for r in range(2, 7)} == {"n"}, "the Excel row is a number"

    fix = load(write_village_fix_lists(report, folder / "fix-formats")[0]).active
    column = next(c.column for c in fix[4] if c.value == "核实修改情况")
    done = [fix.cell(r, column) for r in range(5, fix.max_row + 1)]
    assert done and all(c.value is None and c.border.left.style == "thin" for c in done)


def _block(ws, title):
    """Rows of the overview table under the row whose first cell is `title`, up to a blank row."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == title)
    out = []
    for r in rows[start + 1:]:
        if r[0] is None:
            break
        out.append(r)
    return out


def test_the_overview_counts_by_check_and_township_and_ranks_villages(survey):
    folder, result = survey
    write_quality_workbook(quality_report(result, "zh"), folder / "q.xlsx")
    ws = load(folder / "q.xlsx")["概览"]
    table = _block(ws, "按问题类型和乡镇统计(问题条数)")
    assert table[0] == ("问题", "问题代码", "类别", "严重程度", "合隆镇", "烧锅镇", "合计")
    by_code = {r[1] or r[0]: r[4:7] for r in table[1:]}
    assert by_code["residents_not_positive"] == (1, 0, 1)
    assert by_code["flag_unrecognized"] == (1, 0, 1)
    assert by_code["id_region_unknown"] == (0, 0, 0), "every check is listed, found or not"
    assert by_code["合计"] == (5, 0, 5)
    bare = sum(c.needs is None for c in messages().checks.values())  # members' and rosters' checks need them
    assert len(table) == 1 + bare + 1  # the header, every check of a bare run, the total

    villages = [r[:7] for r in _block(load(folder / "q.xlsx")["各村情况"], "各村问题数(错误最多的村在前)")]
    assert villages[0] == ("乡(镇)", "行政村", "农户数", "有错误的户数", "错误", "警告", "主要问题(条数)")
    assert villages[1:] == [("合隆镇", "东兴村", 3, 3, 3, 0, "不是数字 1、是/否无法识别 1、总收入与各项之和不符 1"),
                            ("合隆镇", "前岗村", 3, 1, 1, 1, "常住人口不足 1 人 1、电话号码格式不对 1"),
                            ("烧锅镇", "长山村", 2, 0, 0, 0, None)]
    numbers = [r[:5] for r in _block(ws, "农户数")]
    assert numbers == [(8, 4, 1, 4, 1)], "households, errors, warnings, households with errors, files"


def test_the_report_tables_are_the_workbooks(survey):
    _, result = survey
    report = quality_report(result, "zh")
    assert report.counts == {"files": 1, "households": 8, "errors": 4, "warnings": 1,
                             "households_with_errors": 4, "households_with_issues": 5}
    assert list(report.villages["village"]) == ["东兴村", "前岗村", "长山村"]
    assert report.villages.set_index("village").loc["东兴村", "invalid"] == 3
    assert report.statuses.sum() == 8


def test_a_list_per_village_to_send_back(survey):
    folder, result = survey
    written = write_village_fix_lists(quality_report(result, "zh"), folder / VILLAGE_FIX_FOLDER)
    assert sorted(p.name for p in written) == ["合隆镇-东兴村-问题清单.xlsx", "合隆镇-前岗村-问题清单.xlsx"], \
        "a village without issues gets nothing to fix"
    ws = load(folder / VILLAGE_FIX_FOLDER / "合隆镇-前岗村-问题清单.xlsx").active
    assert ws["A1"].value == "合隆镇前岗村数据质量问题清单"
    assert "1 条错误、1 条警告" in ws["A2"].value and "来源文件:" in ws["A2"].value  # one file: named above
    header = [c.value for c in ws[4]]
    assert header == ["序号", "工作表", "单元格", "行号", "户主姓名", "表头", "填写内容", "严重程度",
                      "类别", "说明", "核实修改情况"]
    rows = list(ws.iter_rows(min_row=5, values_only=True))
    assert [(r[0], r[2], r[7]) for r in rows] == [(1, f"{col('家庭常住人口数')}3", "错误"),
                                                  (2, f"{col('联系电话')}4", "警告")]
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref == "A4:K6"
    assert ws.print_title_rows == "$4:$4"


def test_errors_come_before_warnings_in_a_village_list(tmp_path):
    rows = [hh("合隆镇", "新立村", **{"联系电话": "1"}), hh("合隆镇", "新立村", **{"家庭常住人口数": 0})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF)
    write_village_fix_lists(quality_report(result, "en"), tmp_path / "v")
    ws = load(tmp_path / "v" / "合隆镇-新立村-issues.xlsx").active
    assert [r[7] for r in ws.iter_rows(min_row=5, values_only=True)] == ["error", "warning"]


def test_no_issues_no_village_lists_and_an_empty_list(tmp_path):
    result = screen([write_workbook(tmp_path / "s.xlsx", [hh("合隆镇", "新立村")])], as_of=AS_OF)
    report = quality_report(result, "zh")
    assert write_village_fix_lists(report, tmp_path / "v") == []
    write_quality_workbook(report, tmp_path / "q.xlsx")
    book = load(tmp_path / "q.xlsx")
    assert [[c.value for c in row][:1] for row in book["问题清单"].iter_rows(min_row=2)] == [["(无)"]]  # said, not blank
    assert _block(book["概览"], "按问题类型和乡镇统计(问题条数)")[-1][:6] == ("合计", None, None, None, 0, 0)


def test_a_blank_village_gets_a_named_list(tmp_path):
    rows = [hh("合隆镇", "", **{"联系电话": "1"})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF)
    written = write_village_fix_lists(quality_report(result, "zh"), tmp_path / "v")
    # Nothing tells its village (the only row): the township's list of those, titled so.
    assert [p.name for p in written] == ["合隆镇-未能确定所属村的农户-问题清单.xlsx"]


def test_a_computed_value_is_named_as_people_read_it(tmp_path):
    rows = [hh("合隆镇", "新立村", **{"家庭经营费用支出": 20000})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=AS_OF)
    write_quality_workbook(quality_report(result, "zh"), tmp_path / "q.xlsx")
    row = next(load(tmp_path / "q.xlsx")["问题清单"].iter_rows(min_row=2, values_only=True))
    # 2026-12-06: the cell to correct, as typed (it was no cell, 人均纯收入(元) and the per-capita before)
    assert (row[2], row[3], row[7], row[8], row[12]) == ("R2", 2, "家庭生产经营性支出", "20000",
                                                        "per_capita_implausible")


def test_fix_lists_never_overwrite_each_other_and_keep_blank_villages(tmp_path):
    """Two villages whose names make the same file name each get a workbook, and a household with the
    village left blank still gets its rows sent back: in the list of the village above it."""
    rows = [hh("合隆镇", "东/兴村", **{"家庭常住人口数": 0}), hh("合隆镇", "东_兴村", **{"家庭常住人口数": 0}),
            hh("合隆镇", "", **{"家庭常住人口数": 0})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=dt.date(2020, 1, 1))
    paths = write_village_fix_lists(quality_report(result, "zh"), tmp_path / "fix")
    names = [p.name for p in paths]
    # 东_兴村 is typed as its file name is; 东/兴村's name was changed, so it carries a hash of what was typed.
    assert names[1:] == ["合隆镇-东_兴村-问题清单.xlsx"], names
    assert re.fullmatch(r"合隆镇-东_兴村~[0-9a-f]{8}-问题清单\.xlsx", names[0]), names
    titles = {openpyxl.load_workbook(p).worksheets[0]["A1"].value for p in paths}
    assert len(titles) == 2


def test_a_villages_main_checks_say_how_many_kinds_are_not_named():
    """Before: '… 电话号码格式不对 2 等 1 类', read as if the four named were one kind; and it wrapped as
    '等 1 / 类'."""
    from edgescreen.outputs.quality import village_checks_text

    checks = [("missing_value", 300), ("id_malformed", 33), ("not_a_number", 3), ("phone_malformed", 2),
              ("id_checksum", 1)]
    assert village_checks_text(checks, "zh") == "漏填 300、身份证号格式错误 33、不是数字 3、电话号码格式不对 2;另有 1 类问题"
    assert village_checks_text(checks[:4], "zh").endswith("电话号码格式不对 2")


def test_the_verdict_says_why_fewer_households_are_invalid_than_have_errors(tmp_path):
    """Before: the terminal said 1 户认定为数据有误 and the report 2 errors 涉及 2 户, with nothing to tell
    why: an exclusion decides a household whatever else is wrong."""
    rows = [household(**{"户主身份证号": make_id(serial=1), "家庭常住人口数": "两人"}),
            household(**{"户主身份证号": make_id(serial=2), "是否低保户": "是", "转移性收入": 3000,
                         "家庭总收入": 13000, "联系电话": "12"}),
            household(**{"户主身份证号": make_id(serial=3), "是否低保户": "是", "转移性收入": 3000,
                         "家庭总收入": 13000, "家庭常住人口数": "三人"})]
    result = screen([write_workbook(tmp_path / "s.xlsx", rows)], as_of=dt.date(2020, 6, 30))
    assert list(result.households["status"]) == ["invalid", "excluded_dibao", "excluded_dibao"]
    level, sentence = quality_report(result, "zh").verdict()
    assert level == "error"
    assert "发现 2 条错误,涉及 2 户" in sentence
    assert "其中 1 户认定为“数据有误,待核实”;另 1 户是低保户、特困人员或已建档立卡户,按排除处理" in sentence


def test_the_overview_says_where_the_member_rows_issues_are(tmp_path):
    """Its table counts the households' issues: 成员找不到所属农户 read 0 there while the members table
    had 7 (an outside try). A line under it counts the member rows' issues by check and names their sheet."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "changchun-sample.xlsx"
    result = screen([sample], as_of=dt.date(2020, 6, 30))
    members = result.members.issues(result.households, "zh")
    path = write_quality_workbook(quality_report(result, "zh"), tmp_path / "quality.xlsx")
    texts = [str(v) for row in openpyxl.load_workbook(path)["概览"].iter_rows(values_only=True) for v in row if v]
    line = next(t for t in texts if t.startswith("家庭成员表另有"))
    assert f"另有 {len(members)} 条问题" in line and "「家庭成员问题」" in line, line
    assert f"成员找不到所属农户 {(members['code'] == 'member_without_household').sum()}" in line, line
