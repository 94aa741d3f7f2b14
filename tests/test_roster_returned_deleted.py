"""A returned 信息比对申请名单 as an outside tester's county gave it back (2026-12-05): the department's 否
rows deleted and its 是 rows kept (read as 否, said, as with the whole list back); a township left blank
said on the terminal by place, its rows in quality.xlsx; a character the department's export lost (王? for
王喆) said as lost, not as a mistyped ID; and the terminal's roster line without a clause counting 0."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from test_request_list import not_listed
from test_request_returned import County, REQUEST, facts, returned
from test_rosters import issues, write_sheets

from edgescreen.rosters import _why_names_differ


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> County:
    county = County(tmp_path_factory.mktemp("returned_deleted"))
    county.listed = county.screen("out", "--request-list") / REQUEST
    return county


def head_id(county: County, name: str) -> str:
    return next(h["户主身份证号"] for h in county.households if h["户主姓名"] == name)


def kept_yes_only(path: Path, *, only_blank: bool = False) -> Path:
    """The list with every row not answered 是 deleted, as a department that keeps its hits alone gives it
    (`only_blank`: the rows left blank, a department answering 否 elsewhere)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    result = next(c for c in range(1, ws.max_column + 1) if ws.cell(at, c).value == "比对结果")
    gone = [r for r in range(at + 1, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, (int, float))
            and (ws.cell(r, result).value is None if only_blank else ws.cell(r, result).value != "是")]
    for r in reversed(gone):
        ws.delete_rows(r)
    wb.save(path)
    return path


def test_a_list_given_back_with_its_no_rows_deleted_reads_them_as_no_and_says_so(county, tmp_path):
    answers = {name: "否" for name in ("张三", "张妻", "李四", "李妻", "赵六", "赵妻", "王妻", "孙七", "孙妻")}
    answers["王五"] = "是"
    whole = county.screen("whole", "--roster", f"低保={returned(county, tmp_path / '全.xlsx', answers)}")
    # 赵六 said 低保 是 and the department answered 否 for his household: said missing from the roster.
    assert not_listed(whole) == ["赵六"]
    assert "送去比对的名单有" not in county.text
    hits = kept_yes_only(returned(county, tmp_path / "只留是.xlsx", answers))
    out = county.screen("hits", "--roster", f"低保={hits}")
    # His rows deleted are his department's 否: as with the whole list, not a household the list leaves out.
    assert not_listed(out) == ["赵六"]
    said = "低保对象名单:送去比对的名单有10行(名单里隐藏的标识页记着),交回的只有1行:少了的9行当作部门删去了不在名单上的人"
    assert said in county.text and "请部门交回整份名单" in county.text, county.output
    assert said in facts(out).replace(" ", "")


def test_rows_left_out_of_a_list_that_answers_no_elsewhere_are_not_answered_and_said(county, tmp_path):
    # The department wrote 否 row by row and left 赵六's household out: not his 否, so not said missing.
    answers = {name: "否" for name in ("张三", "张妻", "李四", "李妻", "王妻", "孙七", "孙妻")}
    answers["王五"] = "是"
    out = county.screen("left_out", "--roster",
                        f"低保={kept_yes_only(returned(county, tmp_path / '少赵.xlsx', answers), only_blank=True)}")
    assert not_listed(out) == []
    said = "交回的只有8行。名单上填了“否”,少了的2行不当作“否”:这些人所在的户没有算作已比对"
    assert said in facts(out).replace(" ", ""), facts(out)


def test_a_township_left_blank_is_said_on_the_terminal_by_place_and_its_rows_in_quality_xlsx(county, tmp_path):
    half = returned(county, tmp_path / "半.xlsx", {name: "否" for name in ("张三", "张妻", "李四", "李妻", "赵六", "赵妻")})
    out = county.screen("half", "--roster", f"低保={half}")
    assert "4行的比对结果是空的" in county.text and "按地方:烧锅镇长山村4行" in county.text
    assert "行号见quality.xlsx的「文件情况」" in county.text
    # The row numbers are quality.xlsx's alone (a township left blank is a thousand of them).
    assert "工作表「信息比对申请名单」第" not in county.text, county.output
    assert "工作表「信息比对申请名单」第 " in facts(out)


def test_a_character_the_departments_export_lost_is_said_as_lost_not_as_a_mistyped_id(county, tmp_path):
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (["姓名", "身份证号"], [
        ["张?", head_id(county, "张三")],       # 张三's ID: the export had no such character
        ["钱八", head_id(county, "李四")]])})    # 李四's ID under another name: one of the IDs may be mistyped
    out = county.screen("lost", "--roster", f"低保={roster}")
    said = issues(out)
    said = dict(zip(said.loc[said["code"] == "roster_name_mismatch", "户主姓名"],
                    said.loc[said["code"] == "roster_name_mismatch", "说明"]))
    assert "部门系统导出时没有这个字" in said["张三"] and "不是身份证号填错" in said["张三"], said
    assert "可能是名单或本表的身份证号填错了" not in said["张三"] and "张?" not in said["张三"]
    assert "可能是名单或本表的身份证号填错了" in said["李四"], said


def test_a_character_lost_on_either_side_is_told_from_a_name_that_differs():
    # A ? on either side, U+FFFD for each byte of a character, a ? for two characters (id), another surname (id).
    matches = pd.DataFrame({"listed_name": ["王?", "王喆", "王\ufffd\ufffd\ufffd", "王?", "李?"],
                            "name": ["王喆", "王?", "王喆", "王小明", "王喆"]})
    assert _why_names_differ(matches).tolist() == ["roster_lost", "survey_lost", "roster_lost", "id", "id"]


def test_the_roster_line_leaves_out_a_clause_counting_nothing(county, tmp_path):
    cars = write_sheets(tmp_path / "车辆.xlsx", {"车辆": (["姓名", "身份证号"], [["张三", head_id(county, "张三")]])})
    county.screen("cars", "--roster", f"车辆={cars}")
    assert "候选户中1户有疑点,见各村评议名单的“核实清单”" in county.text, county.output
    assert "0户有同村同名线索" not in county.text
