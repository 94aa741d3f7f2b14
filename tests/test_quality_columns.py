"""quality.xlsx's issue lists and a village's fix list on paper: a village's or a head's name longer
than its column wraps in a row as high as the print model says (it was cut: 新农村建), and 填写内容 holds
an 18-character ID, masked or not, on one line (it broke as 22012219920320 / 7930)."""

from __future__ import annotations

import math

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.xlsx import printed_height, printed_lines

LONG_VILLAGE = "新农村建设示范点万顺屯村"
LONG_NAME = "欧阳慕容长孙"


def _check(tmp_path):
    bad_id = make_id("19920320", serial=793)
    bad_id = bad_id[:-1] + ("1" if bad_id[-1] != "1" else "2")
    records = [household(**{"行政村": LONG_VILLAGE, "户主姓名": LONG_NAME, "户主身份证号": bad_id}),
               household(**{"户主身份证号": make_id(serial=12), "家庭常住人口数": 0})]
    path = write_workbook(tmp_path / "survey.xlsx", records)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), "--as-of", "2020-01-01"])
    assert result.exit_code == 1, result.output
    return out, bad_id


def _columns(ws, header: int) -> dict[str, str]:
    return {c.value: c.column_letter for c in ws[header] if c.value}


def _header_row(ws) -> int:
    return next(r for r in range(1, 12) if any(c.value == "填写内容" for c in ws[r]))


def test_names_wrap_in_rows_as_high_as_they_print_and_an_id_takes_one_line(tmp_path):
    out, bad_id = _check(tmp_path)
    book = openpyxl.load_workbook(out / "quality.xlsx")
    for sheet in ("问题清单", "错误"):
        ws = book[sheet]
        header = _header_row(ws)
        columns = _columns(ws, header)
        row = next(r for r in range(header + 1, ws.max_row + 1) if ws[f"{columns['行政村']}{r}"].value == LONG_VILLAGE)
        for title, text in (("行政村", LONG_VILLAGE), ("户主姓名", LONG_NAME)):
            cell = ws[f"{columns[title]}{row}"]
            assert cell.value == text and cell.alignment.wrap_text, (sheet, title)
            width = math.floor(ws.column_dimensions[columns[title]].width)
            needed = float(printed_height(printed_lines([text], width)[0]))
            assert ws.row_dimensions[row].height >= needed - 0.5, (sheet, title, ws.row_dimensions[row].height, needed)
        width = math.floor(ws.column_dimensions[columns["填写内容"]].width)
        assert printed_lines([bad_id], width)[0] == 1, (sheet, width)


def test_a_masked_id_takes_one_line_on_the_village_fix_list(tmp_path):
    out, bad_id = _check(tmp_path)
    ws = openpyxl.load_workbook(out / "quality-villages" / f"合隆镇-{LONG_VILLAGE}-问题清单.xlsx").active
    header = _header_row(ws)
    columns = _columns(ws, header)
    masked = ws[f"{columns['填写内容']}{header + 1}"].value
    assert masked == bad_id[:6] + "*" * 8 + bad_id[-4:], masked
    width = math.floor(ws.column_dimensions[columns["填写内容"]].width)
    assert printed_lines([masked], width)[0] == 1, width
    assert ws[f"{columns['户主姓名']}{header + 1}"].alignment.wrap_text
