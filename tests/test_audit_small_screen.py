"""Two small findings of an outside audit of `edgescreen screen` (2026-12-06), end to end:

1. A household with 乡(镇) left blank is named on the terminal's summary table as summary.xlsx and
   the village file name name it, (乡镇未填), not a bare 「—」 a clerk cannot read.
2. A 村民小组 typed beginning with - (-A1) prints on the village list as typed, a text cell: only a
   group typed after its own village (前岗村-二组) loses the place and the separator after it."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import label
from edgescreen.cli import app

runner = CliRunner()


def screen(tmp_path, rows, *extra):
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-10", *extra],
                           env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.output, out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_blank_township_is_named_on_the_terminal_as_in_the_files(tmp_path, lang):
    rows = [household(**{"户主身份证号": make_id(serial=11)}),
            household(**{"乡(镇)": "", "户主姓名": "李四", "户主身份证号": make_id(serial=13)})]
    output, out = screen(tmp_path, rows, "--lang", lang)
    unnamed = label("unknown_township", lang)
    table_rows = [line.split("│")[1].strip() for line in output.splitlines() if line.startswith("│")]
    assert table_rows[:2] == ["合隆镇", unnamed], output
    assert "—" not in "".join(table_rows)
    # The same words as the files the clerk opens next. Its village list is 合隆镇前岗村's, for 前岗村 is
    # only in 合隆镇 (places.likely_villages), where its 数据有误 row says so.
    assert not (out / "villages" / f"{unnamed}-前岗村.xlsx").exists()
    assert (out / "villages" / "合隆镇-前岗村.xlsx").exists()
    summary = openpyxl.load_workbook(out / "summary.xlsx")
    cells = {v for ws in summary for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert unnamed in cells


def test_a_group_beginning_with_a_dash_prints_as_typed(tmp_path):
    groups = {"赵六": "-A1", "孙八": "-1", "钱七": "前岗村-二组", "周九": "一组"}
    rows = [household(**{"户主姓名": name, "村民小组": group, "户主身份证号": make_id(serial=21 + 2 * i)})
            for i, (name, group) in enumerate(groups.items())]
    _, out = screen(tmp_path, rows)
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates", "zh")]
    header = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "序号")[0].row
    printed = {r[2].value: r[1] for r in ws.iter_rows(min_row=header + 1) if r[2].value in groups}
    assert {name: cell.value for name, cell in printed.items()} == \
        {"赵六": "-A1", "孙八": "-1", "钱七": "二组", "周九": "一组"}
    # Text as typed, never a formula or a number (-1) in the printed list.
    assert {cell.data_type for cell in printed.values()} == {"s"}


def test_check_and_the_quality_report_name_a_blank_township_too(tmp_path):
    """`check`'s table and quality.xlsx (概览's township columns, 各村情况) said 「—」 for it as well.
    An ID with a wrong check digit gives each household an issue, so both places are listed."""
    bad = make_id(serial=11)[:-1] + ("0" if make_id(serial=11)[-1] != "0" else "1")
    rows = [household(**{"户主身份证号": bad}),
            household(**{"乡(镇)": "", "户主姓名": "李四", "户主身份证号": bad[:-2] + "99"})]
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    said = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "chk")], env={"COLUMNS": "100"}).output
    unnamed = label("unknown_township", "zh")
    assert unnamed in said and "│ —" not in said, said
    _, out = screen(tmp_path, rows)
    book = openpyxl.load_workbook(out / "quality.xlsx")
    cells = {v for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)}
    assert unnamed in cells and "—" not in cells
