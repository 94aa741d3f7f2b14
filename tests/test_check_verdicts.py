"""The verdict atop report.html and quality.xlsx says what the terminal says and the exit status means:
the members' own errors are errors (and a member's error whose village is known is on that village's
fix list); households on a hidden sheet, or read from hidden or filtered rows, are not "no problems"."""

from __future__ import annotations

import re

import openpyxl
from typer.testing import CliRunner

from survey_builders import make_id
from edgescreen.cli import app

HEADERS = ["乡镇", "村", "户编号", "户主姓名", "身份证号", "家庭人口数", "常住人口", "家庭总收入",
           "家庭生产经营性支出", "是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难"]


def _verdicts(out):
    html = (out / "report.html").read_text(encoding="utf-8")
    page = re.search(r'<p class="verdict (\w+)" id="verdict">([^<]*)</p>', html)
    overview = openpyxl.load_workbook(out / "quality.xlsx")["概览"]
    sheet = next(str(c) for row in overview.iter_rows(values_only=True) for c in row if str(c).startswith("结论"))
    return page.group(1), page.group(2), sheet


def _members_workbook(path):
    """Three clean households of 前岗村; in the members table one member's ID has a wrong check
    character and one member's 户编号 matches no household."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "农户"
    ws.append(HEADERS)
    members = book.create_sheet("家庭成员")
    members.append(["户编号", "姓名", "身份证号", "与户主关系"])
    for i in range(3):
        head = make_id("19700101", serial=100 + i)
        ws.append(["合隆镇", "前岗村", f"H00{i}", f"王{i}", head, 2, 2, 7000, 0, "否", "否", "否", "因病"])
        members.append([f"H00{i}", f"王{i}", head, "户主"])
        spouse = make_id("19720202", serial=200 + i)
        if i == 1:
            spouse = spouse[:-1] + ("1" if spouse[-1] != "1" else "2")
        members.append([f"H00{i}" if i != 2 else "H009", f"李{i}", spouse, "配偶"])
    book.save(path)
    return path


def test_member_errors_make_the_verdict_an_error_and_reach_the_villages_fix_list(tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["check", str(_members_workbook(tmp_path / "m.xlsx")), "-o", str(out)])
    assert result.exit_code == 1, result.output
    level, page, sheet = _verdicts(out)
    assert level == "error" and page == sheet, (page, sheet)
    assert "家庭成员表有 2 条错误" in page and "未发现问题" not in page
    fix = openpyxl.load_workbook(out / "quality-villages" / "合隆镇-前岗村-问题清单.xlsx").active
    rows = [[c for c in row if c is not None] for row in fix.iter_rows(values_only=True)]
    member = [r for r in rows if "李1(家庭成员)" in r]
    assert member, rows
    assert "身份证号" in member[0] and "错误" in member[0], member
    # Masked as the households' IDs are on a village's list.
    assert not any(re.search(r"\d{17}", str(c)) for r in rows for c in r), rows
    assert "1 条错误" in str(rows[1]), rows[1]


def test_english_member_verdict(tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["check", str(_members_workbook(tmp_path / "m.xlsx")), "-o", str(out),
                                      "--lang", "en"])
    assert result.exit_code == 1, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "the members table has 2 errors" in html


def _hidden_workbook(path, *, filtered: bool, hidden_sheet: bool):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "登记表"
    header = [h for h in HEADERS if h not in ("户编号", "家庭人口数")]
    ws.append(header)
    for i in range(8):
        ws.append(["合隆镇", "前岗村" if i < 4 else "永安村", f"户{i}", make_id("19700101", serial=300 + i), 2, 7000, 0,
                   "否", "否", "否", "因病"])
    if filtered:
        ws.auto_filter.ref = "A1:K9"
        ws.auto_filter.add_filter_column(1, ["前岗村"])
        for r in range(6, 10):
            ws.row_dimensions[r].hidden = True
    if hidden_sheet:
        old = book.create_sheet("旧表")
        old.append(header)
        old.append(["合隆镇", "前岗村", "老户", make_id("19500101", serial=999), 1, 3000, 0, "否", "否", "否", "因病"])
        old.sheet_state = "hidden"
    book.save(path)
    return path


def test_a_hidden_sheet_with_households_is_not_no_problems(tmp_path):
    out = tmp_path / "report"
    path = _hidden_workbook(tmp_path / "h.xlsx", filtered=True, hidden_sheet=True)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "确认后再报送" in "".join(result.output.split())
    level, page, sheet = _verdicts(out)
    assert level == "warning" and page == sheet
    assert "隐藏的工作表里还有农户没有读入" in page and "确认后再报送" in page


def test_filtered_rows_alone_are_not_no_problems_nor_ready_to_send(tmp_path):
    out = tmp_path / "report"
    path = _hidden_workbook(tmp_path / "f.xlsx", filtered=True, hidden_sheet=False)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert "可以报送" not in said and "被筛选掉的行上" in said, said
    level, page, sheet = _verdicts(out)
    assert level == "warning" and page == sheet
    assert "被筛选掉的行上" in page


def _households_workbook(path, rows):
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADERS)
    for i, (head_id, difficulty) in enumerate(rows):
        ws.append(["合隆镇", "前岗村", f"H00{i}", f"王{i}", head_id, 2, 2, 7000, 0, "否", "否", "否", difficulty])
    book.save(path)
    return path


def test_an_error_verdict_asks_to_confirm_warnings_only_where_there_are_some(tmp_path):
    good = make_id("19700101", serial=301)
    wrong_id = good[:-1] + ("0" if good[-1] != "0" else "1")  # a wrong check character
    only_errors = _households_workbook(tmp_path / "e.xlsx", [(wrong_id, "因病"), (make_id(serial=302), "因病")])
    out = tmp_path / "errors"
    result = CliRunner().invoke(app, ["check", str(only_errors), "-o", str(out)])
    assert result.exit_code == 1, result.output
    level, page, sheet = _verdicts(out)
    assert level == "error" and page == sheet and "发现 1 条错误" in page, page
    assert "警告" not in page, page
    # The same with a warning beside it (a 家庭生产经营性支出 left blank is read as 0, to confirm).
    book = openpyxl.load_workbook(only_errors)
    book.active["I3"] = None
    book.save(tmp_path / "ew.xlsx")
    out = tmp_path / "errors-and-warnings"
    result = CliRunner().invoke(app, ["check", str(tmp_path / "ew.xlsx"), "-o", str(out), "--lang", "zh"])
    level, page, _ = _verdicts(out)
    assert level == "error" and re.search(r"另有 \d+ 条警告请核实。$", page), page
