"""Members typed in columns of the household's row (成员1姓名 | 成员1身份证号 | 成员2姓名 …: a members
try, 2026-12-04): each column was a warning of its own telling the clerk to rename it to the form's
name, which it has none of. They are said once per sheet, with where the members go instead."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import make_id, write_workbook
from edgescreen.cli import app

MEMBER_COLUMNS = ["成员1姓名", "成员1身份证号", "成员1与户主关系", "成员2姓名", "成员2身份证号", "成员2与户主关系"]


def test_members_in_columns_are_said_once_not_as_columns_to_rename(tmp_path):
    rows = households(3)
    for i, row in enumerate(rows):
        row.update({"成员1姓名": f"妻{i}", "成员1身份证号": make_id("19720101", serial=60 + i), "成员1与户主关系": "配偶",
                    "成员2姓名": f"子{i}", "成员2身份证号": make_id("19950101", serial=70 + i), "成员2与户主关系": "子"})
    path = write_workbook(tmp_path / "太平村.xlsx", rows, more=MEMBER_COLUMNS)
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    said = "".join(result.output.split())
    assert said.count("是按列填写的家庭成员,没有读入") == 1, result.output
    assert "(「成员1姓名」等6列)" in said and "另列一张「家庭成员」表" in said, said
    assert "这个表头不是登记表的栏目名称" not in said, said
