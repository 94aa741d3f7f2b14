"""A village that writes its 0s but never fills one income column (财产性收入 blank in every row) is that
column's finding, said by its column, even where few other 0s are written (a third of its zeros blank):
not taken for a village that writes 0 or blank at random (systemic.MAX_FIELD_SHARE)."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import household, make_id, write_workbook


def test_one_column_never_filled_is_said_by_its_column_not_as_mixing(tmp_path):
    # Each household: wages, business, transfer and costs filled; depreciation and taxes 0 written;
    # 财产性收入 blank: 1 blank beside 2 zeros written, a third of its zeros.
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id("19600101"), 工资性收入=9000 + 10 * i,
                      家庭经营收入=3000, 财产性收入="", 转移性收入=800, 家庭经营费用支出=1500,
                      生产性固定资产折旧=0, 税金和上交承包费用=0) for i in range(30)]
    path = write_workbook(tmp_path / "前岗村.xlsx", rows)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")], env={"COLUMNS": "400"})
    said = "".join(result.output.split())
    assert "财产性收入" in said and "有的留空、有的填0" not in said, said
