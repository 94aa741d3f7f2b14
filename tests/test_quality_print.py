"""Issue 13 item 6: the quality report prints. quality.xlsx and a village's fix list rendered by
LibreOffice to PDF and read back with poppler: A4 landscape, the issue list's text at 8 pt or more
with only the columns meant for paper, every table's header on every page, no English on 文件情况,
rows tall enough to write in by hand, and a title that states what it checks and the verdict instead
of claiming the plan's motto. Skipped where LibreOffice or poppler-utils are missing."""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from print_size import display_width, page_header_held, printed_points
from survey_builders import household, make_id, write_workbook
from edgescreen import screen
from edgescreen.catalogue import messages
from edgescreen.outputs.quality import (
    FIX_ROW_HEIGHT,
    quality_report,
    write_quality_workbook,
    write_village_fix_lists,
)

AS_OF = dt.date(2020, 1, 1)
needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are not installed")


def survey(folder: Path) -> Path:
    """60 villages (the village table runs over pages), 120 issues (so does the issue list), and a
    sheet without a household header (a fact worded from reading)."""
    rows = []
    for i in range(120):
        pid = make_id(f"19{50 + i // 12:02d}0{1 + i % 9}1{i % 10}", serial=1 + 2 * i)
        rows.append(household(**{"乡(镇)": "合隆镇" if i % 2 else "烧锅镇", "行政村": f"第{i // 2:02d}村",
                                 "户主姓名": f"户主{i:03d}", "户主身份证号": pid,
                                 **({"家庭常住人口数": 0} if i % 2 else {"联系电话": "12345"})}))
    path = write_workbook(folder / "全县汇总.xlsx", {"合隆镇": rows})
    book = openpyxl.load_workbook(path)
    book.create_sheet("填表说明").append(["1. 收入按上年度全年计算,单位为元。"])
    book.save(path)
    return path


def to_pdf(path: Path, work: Path) -> tuple[Path, list[str]]:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{work}/lo", "--convert-to", "pdf",
                    "--outdir", str(work / "pdf"), str(path)], check=True, capture_output=True, timeout=240)
    pdf = work / "pdf" / (path.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pdf, text.split("\f")


def word_heights(pdf: Path, page: int) -> list[float]:
    """The height in points of every word printed on a page: about the font size it prints at."""
    xml = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', xml)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    work = tmp_path_factory.mktemp("print")
    result = screen([survey(work)], as_of=AS_OF)
    report = quality_report(result, "zh")
    write_quality_workbook(report, work / "quality.xlsx")
    fix = write_village_fix_lists(report, work / "fix")
    return work, report, fix


def test_the_title_says_what_is_checked_and_the_verdict(printed):
    work, report, _ = printed
    ws = openpyxl.load_workbook(work / "quality.xlsx")["概览"]
    assert ws["A1"].value == "数据质量报告", "no claim of 不漏项、不串项、无逻辑错误 in the title"
    assert ws["A2"].value.startswith("结论:发现 60 条错误,涉及 60 户,须在原表中改正后重新上报")
    assert ws["A3"].value.startswith("检查内容:") and f"共 {sum(c.needs is None for c in messages().checks.values())} 项检查" in ws["A3"].value
    assert ws["A2"].font.color.rgb.endswith("B00020")
    # Its 合计 row printed alone on page 2 without the table's header, once: the header repeats.
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "问题代码")
    assert ws.print_title_rows == f"${header}:${header}"


def test_the_files_sheet_has_only_catalogue_words(printed):
    work, _, _ = printed
    ws = openpyxl.load_workbook(work / "quality.xlsx")["文件情况"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert any("填表说明" in (r[1] or "") for r in rows)
    words = {w for r in rows for cell in r[1:] if isinstance(cell, str) for w in re.findall(r"[A-Za-z]{2,}", cell)}
    assert words <= {"xlsx"}, words
    # Every row has room for its wrapped text. Before: no height set, one line, a wrapped file name
    # printed over itself and a long fact cut off.
    heights = [ws.row_dimensions[r].height for r in range(2, ws.max_row + 1)]
    assert all(h is not None and h >= 15 for h in heights), heights
    # Measured against 说明's own width: it takes 明细's room where 明细 would only repeat it.
    room = ws.column_dimensions["E"].width - 2
    longest = max(range(len(rows)), key=lambda i: len(rows[i][4] or ""))
    lines = -(-2 * len(rows[longest][4]) // room)  # CJK: 2 wide
    assert heights[longest] >= lines * 15, (rows[longest][4], heights)


@needs_office
def test_the_issue_list_prints_landscape_at_8_points_with_its_header_on_every_page(printed):
    work, _, _ = printed
    pdf, pages = to_pdf(work / "quality.xlsx", work)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595), "A4 landscape"
    listing = [i for i, p in enumerate(pages, start=1) if re.search(r"第\d+行 ", p)]
    assert len(listing) >= 4, "the issue lists run over pages"
    for number in listing:
        page = pages[number - 1]
        for header in ("来源文件", "单元格", "户主姓名", "填写内容", "严重程度", "说明"):
            assert header in page, f"page {number}: the header is not repeated ({header})"
        assert "问题代码" not in page and "residents_not_positive" not in page, "code and category stay on screen"
        heights = sorted(word_heights(pdf, number))
        assert heights[len(heights) // 10] >= 8.0, f"page {number} prints smaller than 8 pt: {heights[:5]}"
    village_pages = [p for p in pages if re.search(r"^\s*(合隆镇|烧锅镇)\s+第\d\d村", p, re.M)]
    assert len(village_pages) >= 2, "the village table runs over pages"
    assert all("主要问题(条数)" in p and "有错误的户" in p for p in village_pages), "its header on every page"


@needs_office
def test_a_fix_list_has_room_to_write_the_correction(printed):
    work, _, fix = printed
    ws = openpyxl.load_workbook(fix[0]).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    heights = [ws.row_dimensions[r].height for r in range(header + 1, ws.max_row + 1)]
    assert heights and min(heights) >= FIX_ROW_HEIGHT
    pdf, pages = to_pdf(fix[0], work)
    assert "核实修改情况" in pages[0] and "户主" in pages[0]
    assert sorted(word_heights(pdf, 1))[5] >= 8.0


def test_a_fix_list_prints_at_9_points_and_no_cell_runs_into_the_next(tmp_path):
    """A village's fix list is filled in by hand: 9 pt or more on A4, measured from the print setup
    written. Its one file is named once above the table, not wrapped on every row; every text and
    row number is set off from the cell's left border, in quality.xlsx too, where a file's name as
    long as changchun-sample.xlsx holds one line in 问题清单 and 文件情况."""
    rows = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": f"户主{i}",
                         "户主身份证号": make_id(f"1970010{i + 1}", serial=11 + 2 * i), "家庭常住人口数": 0})
            for i in range(3)]
    source = write_workbook(tmp_path / "changchun-sample.xlsx", {"合隆镇": rows})
    report = quality_report(screen([source], as_of=AS_OF), "zh")
    (fix,) = write_village_fix_lists(report, tmp_path / "fix")
    ws = openpyxl.load_workbook(fix).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    assert printed_points(ws, header + 1) >= 9.0
    headers = [c.value for c in ws[header]]
    assert "来源文件" not in headers and "来源文件:changchun-sample.xlsx" in ws["A2"].value
    assert {ws.cell(header + 1, c).alignment.horizontal for c in range(2, len(headers))} == {"left"}
    book = openpyxl.load_workbook(write_quality_workbook(report, tmp_path / "q.xlsx"))
    for name in ("问题清单", "文件情况"):
        sheet = book[name]
        top = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "来源文件")
        assert sheet.column_dimensions["A"].width >= display_width(["changchun-sample.xlsx"])[0] + 2, name
        row = sheet[top + 1]
        assert {c.alignment.horizontal for c in row if isinstance(c.value, (str, int))} == {"left"}, name


# Items found printing a county's fix lists: each message whole on paper, and every page naming its
# village.

LINE_POINTS = 16  # LibreOffice prints a line of 11-point 宋体 text (Noto Sans CJK) 16 points apart


def _bad_checksum(pid: str) -> str:
    return pid[:-1] + ("0" if pid[-1] != "0" else "1")


@pytest.fixture(scope="module")
def fix_list(tmp_path_factory):
    """A village whose messages quote a masked ID and another sheet by its name (the ID in two
    townships' sheets), and one with 40 issues, so that its list runs over two pages."""
    work = tmp_path_factory.mktemp("fix")
    dup = make_id("19500101", serial=3)
    here = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": f"户主{i:02d}",
                         "户主身份证号": _bad_checksum(make_id(f"196{i % 10}0{1 + i % 9}15", serial=11 + 2 * i))})
            for i in range(40)]
    here.append(household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "范林", "户主身份证号": dup}))
    there = [household(**{"乡(镇)": "烧锅镇", "行政村": "东升村", "户主姓名": "范林", "户主身份证号": dup})]
    source = write_workbook(work / "county.xlsx", {"合隆镇": here, "烧锅镇": there})
    report = quality_report(screen([source], as_of=AS_OF), "zh")
    paths = write_village_fix_lists(report, work / "fix")
    (path,) = [p for p in paths if "前岗村" in p.name]
    return work, path


def test_a_fix_list_row_holds_its_whole_message(fix_list):
    """Before: the row heights counted a CJK character as two digits' width and broke lines
    anywhere, so a message quoting an ID (kept whole on the next line) or 「county.xlsx「烧锅镇」」 lost
    its end on paper: 「…:校验位不正」 without 「确,请核对号码」 (3 lines printed, 2 lines' room)."""
    _, path = fix_list
    ws = openpyxl.load_workbook(path).active
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    col = [c.value for c in ws[header]].index("说明") + 1
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
    # The column's room for text at 100 %: its pixels (Excel's, 7 a digit) less indent and padding,
    # in 11-point CJK characters (14.67 pixels), whatever the printed scale.
    per_line = ((width - 0.71) * 7 + 5 - 14) / (11 * 96 / 72)
    checked = duplicate = 0
    for r in range(header + 1, ws.max_row + 1):
        text, height = ws.cell(r, col).value, ws.row_dimensions[r].height
        if not text:
            continue
        ems = display_width([text])[0] / 2  # a lower bound: ASCII as half a CJK character
        assert height >= -(-ems // per_line) * LINE_POINTS, (r, text, height)
        if "校验位不正确,请核对号码" in text:
            # As LibreOffice printed it: 第2行 H列「户主身份证号」为 / 「220122********1234」:校验位不正 / 确,请核对号码
            assert height >= 3 * LINE_POINTS, (text, height)
            checked += 1
        if "烧锅镇" in text:
            assert height >= 4 * LINE_POINTS, (text, height)
            duplicate += 1
    assert checked == 40 and duplicate == 1


def test_every_page_of_a_fix_list_names_its_village(fix_list):
    """Before: page 2 on showed only the repeated column header, its 工作表 column the township's
    sheet: a page handed on alone did not say whose list it was."""
    work, path = fix_list
    ws = openpyxl.load_workbook(path).active
    assert ws.oddHeader.center.text == "合隆镇前岗村数据质量问题清单"


@needs_office
def test_every_printed_page_of_a_fix_list_names_its_village(fix_list):
    work, path = fix_list
    _, pages = to_pdf(path, work)
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    assert all("合隆镇前岗村数据质量问题清单" in p for p in pages)


def test_every_list_of_quality_xlsx_says_which_it_is_on_every_page(printed):
    """Before: 问题清单, 错误 and 警告 printed with the same column headers and no page header: a page
    did not say which list it was of, nor whose report."""
    work, _, _ = printed
    book = openpyxl.load_workbook(work / "quality.xlsx")
    names = ("问题清单", "错误", "警告", "各村情况", "文件情况")
    headers = {name: book[name].oddHeader.center.text or "" for name in names}
    assert all(h.startswith("数据质量报告 — ") and h.endswith("输入文件:全县汇总.xlsx") for h in headers.values()), headers
    assert "问题清单" in headers["问题清单"] and "错误清单" in headers["错误"] and "警告清单" in headers["警告"]
    assert len(set(headers.values())) == len(headers)


def test_the_page_header_names_the_county_the_survey_names(tmp_path):
    rows = [household(**{"县(市、区)": "农安县", "户主姓名": f"户主{i}", "家庭常住人口数": 0}) for i in range(2)]
    report = quality_report(screen([write_workbook(tmp_path / "a.xlsx", rows, more=["县(市、区)"])], as_of=AS_OF), "zh")
    ws = openpyxl.load_workbook(write_quality_workbook(report, tmp_path / "q.xlsx"))["错误"]
    assert ws.oddHeader.center.text == "农安县数据质量报告 — 错误清单(须改正) — 输入文件:a.xlsx"
    en = quality_report(screen([write_workbook(tmp_path / "b.xlsx", rows, more=["县(市、区)"])], as_of=AS_OF), "en")
    ws = openpyxl.load_workbook(write_quality_workbook(en, tmp_path / "e.xlsx"))["errors"]
    assert ws.oddHeader.center.text == "农安县, Data-quality report — errors (to correct) — inputs: b.xlsx"


def test_a_page_header_full_of_ampersands_is_kept_within_excels_limit(tmp_path):
    """Before: running_title cut the header to 250 characters and page_footer then doubled each &:
    a county cell of & and a file named with them (170 characters, 135 of them &) made 305, and
    every sheet of quality.xlsx lost its page header (xlsxwriter drops one past 255)."""
    rows = [household(**{"县(市、区)": "&" * 40, "户主姓名": f"户主{i}", "家庭常住人口数": 0}) for i in range(2)]
    source = write_workbook(tmp_path / ("&" * 95 + ".xlsx"), rows, more=["县(市、区)"])
    report = quality_report(screen([source], as_of=AS_OF), "zh")
    book = openpyxl.load_workbook(write_quality_workbook(report, tmp_path / "q.xlsx"))
    for ws in book.worksheets:  # every sheet keeps its header: the county, the report, the file's name cut
        assert page_header_held(ws).startswith(f"{'&' * 40}数据质量报告 — "), ws.title
    # As much of the title as 255 characters hold with &C and every & doubled: 139 and 141 of its
    # 166 and 170 (cut first and escaped after, 140 and 142 with a lone & dropped).
    for name, words, held in (("错误", "错误清单(须改正)", 139), ("问题清单", "问题清单(全部错误和警告)", 141)):
        title = f"{'&' * 40}数据质量报告 — {words} — 输入文件:{'&' * 95}.xlsx"
        printed = page_header_held(book[name], title)
        assert len(printed) == held and "输入文件:&" in printed, (name, printed)


def test_the_overview_prints_at_9_points_its_rows_fitted_and_counts_on_the_right(printed):
    """Before: fitted to one page, the overview (52 rows and a verdict on one long line) printed at
    8 points; 户编号有几户(户主身份证号不同) wrapped in a row of one line and printed over the next row;
    counts sat on the left."""
    work, report, _ = printed
    ws = openpyxl.load_workbook(work / "quality.xlsx")["概览"]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "问题代码")
    assert printed_points(ws, header + 1) >= 9.0
    # The verdict wraps across the table's width, in a row as tall as its lines at 12 points.
    merged = next(m for m in ws.merged_cells.ranges if m.min_row == 2)
    assert ws["A2"].alignment.wrap_text and merged.max_col >= 5
    across = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, merged.max_col + 1))
    ems = display_width([ws["A2"].value])[0] / 2
    assert ws.row_dimensions[2].height >= -(-ems * 16 // (across * 7 - 14)) * 17
    name = ws.column_dimensions["A"].width  # the check's name first, its code beside it
    per_line = ((name - 0.71) * 7 + 5 - 14) / (11 * 96 / 72)  # CJK characters a line holds
    checked = 0
    for r in range(header + 1, ws.max_row + 1):
        text = ws.cell(r, 1).value
        if text == "合计":  # the table's last row
            break
        height = ws.row_dimensions[r].height
        lines = -(-display_width([text])[0] / 2 // per_line)
        assert height is not None and height >= lines * LINE_POINTS, (text, height)
        if text.startswith("一个户编号有几户"):
            assert height >= 2 * LINE_POINTS
            checked += 1
        counts = [ws.cell(r, c) for c in range(5, ws.max_column + 1) if isinstance(ws.cell(r, c).value, int)]
        assert counts and all(c.alignment.horizontal == "right" for c in counts), text
    assert checked == 1
    counts_row = next(r for r in range(1, header) if ws.cell(r, 1).value == "农户数") + 1
    assert ws.cell(counts_row, 1).value == 120 and ws.cell(counts_row, 1).alignment.horizontal == "right"
    # Two pages at the most at its scale (all its rows, and the header repeated on the second), unless
    # that would print it under 9 points: then at 9 points, over the pages it takes (every check is
    # listed, and their number grows).
    body = (595.3 - 72 * (ws.page_margins.top + ws.page_margins.bottom)) / (ws.page_setup.scale / 100)
    tall = sum(ws.row_dimensions[r].height or 12.75 for r in range(1, ws.max_row + 1))
    floor = math.ceil(100 * 9 / 11)
    assert ws.page_setup.scale >= floor
    assert tall + ws.row_dimensions[header].height <= 2 * body or ws.page_setup.scale == floor


def test_a_long_place_name_in_the_villages_sheet_gets_the_lines_it_wraps_to(tmp_path):
    """Found by an outside look at the printed pages: 靠山朝鲜族乡 / 新兴朝鲜族村民委员会 wrapped to two
    lines in their 12- and 14-character cells of 各村情况 while the row kept one line's height: only
    halves of the characters printed, cut by the borders."""
    rows = [household(**{"乡(镇)": "靠山朝鲜族乡", "行政村": "新兴朝鲜族村民委员会", "户主姓名": "金一",
                         "户主身份证号": make_id("19700101"), "家庭常住人口数": 0}),
            household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "王二", "户主身份证号": make_id("19710101")})]
    path = write_workbook(tmp_path / "县.xlsx", {"合隆镇": rows})
    result = screen([path], as_of=AS_OF)
    out = tmp_path / "quality.xlsx"
    write_quality_workbook(quality_report(result, "zh"), out)
    ws = openpyxl.load_workbook(out)[messages().labels["sheet_villages"]("zh")]
    heights = {ws.cell(r, 2).value: ws.row_dimensions[r].height for r in range(3, ws.max_row + 1)}
    from edgescreen.outputs.xlsx import printed_height

    assert heights["新兴朝鲜族村民委员会"] >= printed_height(2) > heights["前岗村"], heights


@needs_office
def test_row_numbers_and_notes_print_whole_where_the_font_is_wider_than_planned(tmp_path):
    """The sample's 家庭成员问题 printed by LibreOffice with no 宋体 on the machine (DejaVu Sans, wider
    digits): row 5266 was ### and D5266 cut to D526, and the sheet's note ran past the print area and
    was cut. A row number and a cell reference now shrink to fit; a note wraps across the page."""
    sample = Path(__file__).resolve().parents[1] / "sample_data" / "changchun-sample.xlsx"
    report = quality_report(screen([sample], as_of=AS_OF), "zh")
    write_quality_workbook(report, tmp_path / "quality.xlsx")
    _, pages = to_pdf(tmp_path / "quality.xlsx", tmp_path)
    assert not [i for i, p in enumerate(pages, start=1) if "###" in p], "a number printed as ###"
    members = [p for p in pages if "家庭成员问题清单" in p]
    assert members and re.search(r"D5266\s+5266\s", members[0]), members[0][:3000]
    note = " ".join(members[0].split())
    assert "没有列为疑点)。" in note.replace(" ", ""), note[:600]
