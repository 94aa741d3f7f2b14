"""Titles of printed documents that are longer than their page is wide: found by an outside look at
the printed pages, where a village typed with its full official name (长春市九台区其塔木镇前三家子村民委员会)
had its posted notice's title cut at both ends ("木镇长春市…边缘户名单"), and a register document's
two-line title cut at the bottom. A title now wraps, breaks after the place it names, and its row is
as tall as its lines."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.xlsx import LINE_EM

runner = CliRunner()
TOWNSHIP = "其塔木镇"
LONG_VILLAGE = "长春市九台区其塔木镇前三家子村民委员会"
LONGER_VILLAGE = "长春市九台区其塔木镇前三家子朝鲜族满族蒙古族村民委员会第一第二村民小组联合"


def _screen(tmp_path, village: str):
    rows = [household(**{"乡(镇)": TOWNSHIP, "行政村": village, "户主姓名": f"王{i}",
                         "户主身份证号": make_id("19700101", serial=700 + i), "主要困难": "因病"})
            for i in range(3)]
    path = write_workbook(tmp_path / "survey.xlsx", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    return out


def _title(path, sheet=0):
    ws = openpyxl.load_workbook(path).worksheets[sheet]
    cell = ws["A1"]
    return cell, ws.row_dimensions[1].height


def test_a_posted_notice_title_breaks_after_the_place_and_its_row_holds_both_lines(tmp_path):
    out = _screen(tmp_path, LONG_VILLAGE)
    (notice,) = (out / "publicity").iterdir()
    cell, height = _title(notice)
    assert cell.value == f"{TOWNSHIP}{LONG_VILLAGE}\n贫困边缘户名单公示"
    assert cell.alignment.wrap_text
    assert height >= 2 * 18 * LINE_EM, height  # two lines of the notice's 18-point title


def test_a_village_list_title_too_long_for_the_page_wraps(tmp_path):
    out = _screen(tmp_path, LONGER_VILLAGE)
    (workbook,) = (out / "villages").iterdir()
    for sheet in range(3):  # 初选名单, 数据有误, 低于贫困标准: each its own title
        cell, height = _title(workbook, sheet)
        assert cell.value.startswith(f"{TOWNSHIP}{LONGER_VILLAGE}\n"), cell.value
        assert cell.alignment.wrap_text and height >= 2 * 16 * LINE_EM, (sheet, height)


def test_a_short_title_stays_on_one_line_at_its_usual_height(tmp_path):
    out = _screen(tmp_path, "前岗村")
    (notice,) = (out / "publicity").iterdir()
    cell, height = _title(notice)
    assert cell.value == f"{TOWNSHIP}前岗村贫困边缘户名单公示" and height == 39.75  # 40 points, in whole pixels
    (workbook,) = (out / "villages").iterdir()
    cell, height = _title(workbook)
    assert "\n" not in cell.value and height == 30


def test_a_spot_check_form_row_holds_a_long_village_name(tmp_path):
    """The 行政村 cell of a spot-check form printed its middle line only (a row of one line)."""
    out = _screen(tmp_path, LONG_VILLAGE)
    forms = tmp_path / "抽查"
    result = runner.invoke(app, ["sample", str(out), "-o", str(forms), "--seed", "1"])
    assert result.exit_code == 0, result.output
    form = next(p for p in forms.rglob("*.xlsx") if LONG_VILLAGE in p.name)
    ws = openpyxl.load_workbook(form).worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == LONG_VILLAGE)
    assert ws.row_dimensions[cell.row].height > 30
    title = ws["A1"]
    assert title.value.startswith(f"{TOWNSHIP}{LONG_VILLAGE}\n") and ws.row_dimensions[1].height > 36
