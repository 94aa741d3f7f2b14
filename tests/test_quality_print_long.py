"""quality.xlsx printed for a county of many townships, as an outside tester printed it: 18 township
workbooks, a lock file and an .xlsb in the folder, a village and heads with long names. Before: the
概览 printed two pages across with columns A:B repeated, its 输入文件 list cut at page 1's edge and
page 2 showing fragments of the head (a cut 检查内容 line, half the counts table); 文件情况's 明细
said 36 beside 读入 36 户, or the whole sentence twice; 司马春/生, 人均纯收入(元/) and a village's name
on five lines in 问题清单 and the villages' fix lists. Skipped where LibreOffice or poppler are missing
(the checks of what the file says run everywhere)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from print_size import printed_points
from survey_builders import household, make_id, write_workbook
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.xlsx import WIDTH_SLACK, line_width, page_body, printed_lines

needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice and poppler-utils are not installed")

TOWNS = ["合隆镇", "烧锅镇", "高家店镇", "华家镇", "小城子满族朝鲜族乡", "三盛玉镇", "前岗乡", "万顺乡", "伏龙泉镇",
         "哈拉海镇", "靠山镇", "开安镇", "三岗镇", "青山口乡", "黄鱼圈乡", "鲍家镇", "杨树林乡", "巴吉垒镇"]
LONG_VILLAGE = "太平沟满族朝鲜族民族村委会第三村"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    work = tmp_path_factory.mktemp("county")
    folder = work / "county"
    folder.mkdir()
    for t, town in enumerate(TOWNS):
        rows = [household(**{"乡(镇)": town, "行政村": LONG_VILLAGE if i == 0 else "前岗村", "户主姓名": "司马春生",
                             "户主身份证号": make_id(f"19{50 + t}0{1 + i}15", serial=1 + 2 * i)})
                for i in range(3)]
        if t == 0:  # one error, to fill 问题清单 and a fix list
            rows[0]["家庭常住人口数"] = 0
        write_workbook(folder / f"{town}.xlsx", {town: rows})
    (folder / "~$鲍家镇.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file beside an open workbook
    shutil.copy(folder / "杨树林乡.xlsx", folder / "杨树林乡(旧).xlsb")
    out = work / "out"
    result = CliRunner().invoke(app, ["check", str(folder), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    return work, out


def _widths(ws) -> list[float]:
    return [ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(1, ws.max_column + 1)]


def test_the_overview_is_one_page_wide_its_text_wrapped_within_it(county):
    _, out = county
    book = openpyxl.load_workbook(out / "quality.xlsx")
    ws = book["概览"]
    assert not ws.print_title_cols, "no columns repeated: pages after the first printed the head's fragments"
    assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    scale = ws.page_setup.scale / 100
    widths = _widths(ws)
    printed = sum((int(w * 7 + 0.5) + 5) * 0.75 for w in widths) * WIDTH_SLACK * scale
    assert printed <= page_body(landscape=True)[0], (printed, widths)
    assert printed_points(ws, 20) >= 9.0
    # Every block of text within the printed columns, its row as tall as it wraps there.
    inputs = next(r for r in range(1, 12) if ws.cell(r, 1).value == "输入文件")
    merged = next(m for m in ws.merged_cells.ranges if m.min_row == inputs)
    assert merged.max_col <= len(widths)
    text = ws.cell(inputs, merged.min_col).value
    assert all(f"{town}.xlsx" in text for town in TOWNS)
    lines = int(printed_lines([text], sum(widths[merged.min_col - 1:merged.max_col]), 10)[0])
    assert lines >= 2 and ws.row_dimensions[inputs].height >= lines * 10 * 1.45
    # The townships' counts on a sheet of their own, every township there, the checks' names repeated.
    assert book.sheetnames[:3] == ["概览", "按乡镇统计", "各村情况"]
    towns = book["按乡镇统计"]
    header = [c.value for c in towns[2]]
    assert header[:2] == ["问题", "问题代码"] and set(TOWNS) <= set(header) and header[-1] == "合计"
    assert towns.print_title_cols == "$A:$B" and towns.print_title_rows == "$2:$2"
    assert "按乡镇统计" in (ws.cell(ws.max_row - 1, 1).value or "") + (ws.cell(ws.max_row, 1).value or "")


@needs_office
def test_no_printed_page_of_the_overview_shows_a_fragment(county):
    work, out = county
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(work / "pdf"), str(out / "quality.xlsx")], check=True, capture_output=True,
                   timeout=240)
    text = subprocess.run(["pdftotext", str(work / "pdf" / "quality.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [re.sub(r"\s+", "", p) for p in text.split("\f")]
    overview = [p for p in pages if "—概览—" in p]
    # The list of files whole on the first page, in reading order: no name cut at the page's edge.
    ws = openpyxl.load_workbook(out / "quality.xlsx")["概览"]
    listed = next(ws.cell(r, 2).value for r in range(1, 12) if ws.cell(r, 1).value == "输入文件")
    assert listed.count(".xlsx") == len(TOWNS) and listed in overview[0], overview[0][:800]
    assert "不能证明数据真实" in overview[0]
    for page in overview[1:]:  # no head again, cut or whole
        assert "检查内容" not in page and "输入文件" not in page.replace("输入文件:", "") and "农户数" not in page, page[:400]
    by_township = [p for p in pages if "—按乡镇统计—" in p]
    assert len(by_township) >= 2 and all("问题代码" in p for p in by_township)
    # Every township's column printed (a long name wraps in its header cell, read out of order).
    assert all(town in "".join(by_township) for town in TOWNS if len(town) <= 4)


def test_the_files_sheet_says_no_detail_twice_and_check_json_keeps_its_own(county):
    _, out = county
    ws = openpyxl.load_workbook(out / "quality.xlsx")["文件情况"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) >= 2 * len(TOWNS) + 2
    for source, sheet, level, detail, message in rows:
        assert not detail or (not re.fullmatch(r"[\d,]+", str(detail)) and str(detail) not in message), \
            (source, detail, message)
    lock = next(r for r in rows if r[0] == "~$鲍家镇.xlsx")
    assert "锁定文件" in lock[4] and not lock[3]
    # For programs, check.json's detail is as it was: the households read, a reason's code.
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    details = {(f["source_file"], f["fact"]): f["detail"] for f in facts}
    assert details[("合隆镇.xlsx", "file")] == "3" and details[("~$鲍家镇.xlsx", "not_read")] == "lock_file"


def test_a_four_character_name_a_header_with_its_unit_and_a_long_village_fit_their_columns(county):
    _, out = county
    ws = openpyxl.load_workbook(out / "quality.xlsx")["问题清单"]
    top = next(r for r in range(1, 6) if ws.cell(r, 1).value == "来源文件")
    header = [c.value for c in ws[top]]
    width = {h: ws.column_dimensions[get_column_letter(j + 1)].width for j, h in enumerate(header) if h}
    assert width["户主姓名"] >= line_width("司马春生")
    assert width["表头"] >= line_width("人均纯收入(元)")
    assert printed_lines([LONG_VILLAGE], width["行政村"])[0] <= 3
    # Its 11 printed columns (the print area) fitted to the page's width: 8 points or more.
    printed = sum((int(w * 7 + 0.5) + 5) * 0.75 for w in _widths(ws)[:11]) * WIDTH_SLACK
    assert 11 * min(1.0, page_body(landscape=True)[0] / printed) >= 8.0
    fix = openpyxl.load_workbook(out / "quality-villages" / f"合隆镇-{LONG_VILLAGE}-问题清单.xlsx").active
    top = next(r for r in range(1, 10) if fix.cell(r, 1).value == "序号")
    header = [c.value for c in fix[top]]
    width = {h: fix.column_dimensions[get_column_letter(j + 1)].width for j, h in enumerate(header) if h}
    assert width["户主姓名"] >= line_width("司马春生") and width["表头"] >= line_width("人均纯收入(元)")
    assert printed_points(fix, top + 1) >= 9.0


def test_a_fix_list_of_two_files_still_prints_at_9_points(tmp_path):
    """Its 来源文件 column too: the room the name and the header took came from 说明 and 工作表."""
    import datetime as dt

    from edgescreen import screen
    from edgescreen.outputs.quality import quality_report, write_village_fix_lists

    paths = [write_workbook(tmp_path / f"{name}.xlsx", [household(户主姓名="欧阳建国", 家庭常住人口数=0, 户主身份证号=make_id("19700101", serial=serial))])
        for name, serial in (("前岗村一组", 3), ("前岗村二组", 5))]
    report = quality_report(screen(paths, as_of=dt.date(2020, 1, 1)), "zh")
    (fix,) = write_village_fix_lists(report, tmp_path / "fix")
    ws = openpyxl.load_workbook(fix).active
    top = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    assert "来源文件" in [c.value for c in ws[top]]
    assert printed_points(ws, top + 1) >= 9.0
