"""The one model of wrapped text on paper (xlsx.printed_lines, printed_height, line_width) against what
LibreOffice printed: cells of known texts (CJK, file names and IDs, mixed, with line breaks) in the
widths and sizes the printed workbooks use, rendered to PDF and their lines counted."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from edgescreen.outputs.xlsx import (
    new_workbook,
    line_width,
    printed_height,
    printed_lines,
    text_height,
    wrapped_heights,
)

CJK = "贫困边缘户监测对象信息核实村委会公示镇政府审核县级复核"
TEXTS = {
    "cjk4": CJK[:4], "cjk10": CJK[:10], "cjk20": CJK[:20], "cjk37": (CJK * 2)[:37], "cjk60": (CJK * 3)[:60],
    "cjk100": (CJK * 4)[:100], "cjk150": (CJK * 6)[:150],
    "file1": "screening_results_2024_Q3_final_version_2.xlsx",
    "file2": "D:/扶贫/2024/village_list_export_20240915_WangJiaCun.xlsx",
    "id18": "220122198703153237", "idmask": "220122********3237",
    "ids3": "220122198703153237 220122199001011234 220122198512120011",
    "eng": "Household head ID number does not match the register entry for this village, please check",
    "upper": "WWWWWWWWWW MMMMMMMMMM WWWWWWWWWW MMMMMMMMMM",
    "digits": "12345678901234567890123456789012345678901234567890",
    "mix1": "户主身份证号220122********3237与户籍登记不符,请核实后在备注栏说明情况",
    "mix2": "文件 village_list_2024Q3_final.xlsx 第3行: 家庭常住人口(5)与成员数(4)不一致",
    "mix3": "人均纯收入6,512.40元低于监测线7,000元;2023年因病支出32,000元",
    "br2": "第一行\n第二行", "br4": "第一行\n第二行\n第三行\n第四行",
    "br8": "\n".join(f"第{i}行内容" for i in range(1, 9)),
    "br3long": (CJK * 2)[:30] + "\nshort\n" + (CJK * 2)[:45],
    "brmix": "screening_results_2024_Q3_final.xlsx\n户主身份证号220122********3237\n" + CJK[:25],
    "punct": "「贫困边缘户」认定:家庭人均收入低于低保标准1.5倍,且有返贫致贫风险。" * 2,
    "spaces": "a b c d e f g h i j k l m n o p q r s t u v w x y z " * 3,
}
# (text, font size, column width in Arial's digits, lines LibreOffice 7 printed in a 宋体 cell indented
# once, lines the model counts). LibreOffice draws the column 6 % wider than Excel's pixels, and
# Excel and WPS draw CJK a little wider: the model counts Excel's column, hence its few lines more
# in the narrow columns and the long texts.
PRINTED = [
    ("cjk4", 11, 46, 1, 1), ("cjk4", 10, 24, 1, 1), ("cjk10", 10, 24, 1, 1), ("cjk10", 12, 62, 1, 1),
    ("cjk20", 12, 62, 1, 1), ("cjk20", 11, 14, 3, 4), ("cjk37", 11, 14, 6, 7), ("cjk37", 11, 46, 2, 2),
    ("cjk60", 11, 46, 3, 3), ("cjk60", 10, 24, 5, 6), ("cjk100", 10, 24, 8, 10), ("cjk100", 12, 62, 4, 4),
    ("cjk150", 12, 62, 6, 6), ("cjk150", 11, 14, 22, 25), ("cjk150", 11, 38, 8, 9),
    ("file1", 11, 14, 4, 5), ("file1", 11, 46, 2, 2), ("file1", 11, 24, 2, 3), ("file2", 11, 46, 3, 3),
    ("file2", 10, 24, 3, 4), ("id18", 10, 24, 1, 1), ("id18", 12, 62, 1, 1), ("id18", 11, 14, 2, 2),
    ("idmask", 12, 62, 1, 1), ("idmask", 11, 14, 2, 2), ("ids3", 11, 14, 6, 8), ("ids3", 11, 46, 2, 3),
    ("ids3", 10, 62, 2, 2), ("eng", 11, 46, 3, 3), ("eng", 10, 24, 4, 5), ("upper", 10, 24, 4, 4),
    ("upper", 12, 62, 2, 2), ("digits", 12, 62, 2, 2), ("digits", 11, 14, 5, 6), ("digits", 11, 62, 2, 2),
    ("mix1", 11, 14, 6, 7), ("mix1", 11, 46, 2, 2), ("mix2", 11, 46, 2, 2), ("mix2", 10, 24, 4, 5),
    ("mix3", 10, 24, 3, 4), ("mix3", 12, 62, 2, 2), ("br2", 12, 62, 2, 2), ("br2", 11, 14, 2, 2),
    ("br4", 11, 14, 4, 4), ("br4", 11, 46, 4, 4), ("br8", 11, 46, 8, 8), ("br8", 10, 24, 8, 8),
    ("br3long", 10, 24, 8, 9), ("br3long", 12, 62, 5, 5), ("brmix", 12, 62, 3, 3), ("brmix", 11, 14, 10, 12),
    ("punct", 11, 14, 10, 13), ("punct", 11, 46, 3, 4), ("spaces", 11, 46, 3, 4), ("spaces", 10, 24, 6, 7),
]
# LibreOffice's line pitch of a CJK line, in points (the first line to the eighth, over 7).
PITCH = {10: 14.51, 11: 16.02, 12: 17.40, 16: 23.19}


@pytest.mark.parametrize("key, size, width, printed, counted", PRINTED)
def test_the_model_counts_never_fewer_lines_than_libreoffice_printed(key, size, width, printed, counted):
    """Never fewer lines than printed (a digit is DejaVu Sans' 0.636 em where LibreOffice has no 宋体:
    50 digits in a 62-wide column printed on two lines, counted one at Arial's), and not a spare line
    beyond Excel's narrower column."""
    got = int(printed_lines([TEXTS[key]], width, size)[0])
    assert got == counted
    assert printed <= got <= printed + 1 + printed // 3


@pytest.mark.parametrize("size", sorted(PITCH))
def test_a_row_holds_its_lines_at_libreoffices_pitch_and_not_a_line_more(size):
    """16 points a line at 11 points, not 14: eight lines of 宋体 printed 128 points tall, and a row of
    14 points a line cut the fifth line on."""
    for lines in range(1, 9):
        height = float(printed_height(lines, size))
        assert lines * PITCH[size] + 3 <= height < (lines + 0.5) * PITCH[size] + 3, (lines, height)
        assert height / 0.75 == int(height / 0.75), "whole pixels, as Excel stores a height"


def test_every_height_and_width_is_the_one_model():
    """A block's height, a table's rows and a label's width are printed_lines and printed_height."""
    import pandas as pd

    rows = pd.DataFrame({"what": [TEXTS["cjk100"], TEXTS["file1"], "一行", None]})
    for size in (10, 11, 12):
        lines = printed_lines(rows["what"], 46, size)
        assert lines.tolist()[2:] == [1, 1]
        heights = wrapped_heights(rows, [("what", 46, "cell")], 0, size)
        assert heights.tolist()[:2] == printed_height(lines[:2], size).tolist()
        assert text_height(TEXTS["cjk100"], 46, size) == float(printed_height(lines[0], size))
    for text in ("审核日期", "村民代表签字", TEXTS["id18"], TEXTS["mix3"]):
        need = line_width(text, 11)
        assert printed_lines([text], need, 11)[0] == 1
        assert printed_lines([text], need - 1, 11)[0] == 2, text


needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                  reason="LibreOffice and poppler-utils are not installed")


@needs_office
def test_rows_sized_by_the_model_print_every_line_in_libreoffice(tmp_path):
    """Each case in a row as tall as text_height says, under a marker row: LibreOffice prints as many
    lines as it did when measured, none more than the model counts, and the last above the next row."""
    path = tmp_path / "cells.xlsx"
    book = new_workbook(path, fixed_scale=True)
    marker = book.add_format({"font_name": "Arial", "font_size": 8, "valign": "top"})
    by_sheet: dict[tuple[int, int], list[int]] = {}
    for i, (_, size, width, _, _) in enumerate(PRINTED):
        by_sheet.setdefault((size, width), []).append(i)
    for (size, width), cases in by_sheet.items():
        ws = book.add_worksheet(f"s{size}w{width}")
        cell = book.add_format({"font_name": "宋体", "font_size": size, "text_wrap": True, "valign": "top",
                                "indent": 1, "border": 1})
        ws.set_column(0, 0, 5)
        ws.set_column(1, 1, width)
        ws.set_paper(9)
        ws.set_margins(0.5, 0.5, 0.6, 0.7)
        for r, i in enumerate(cases):
            ws.write_string(r, 0, f"@{i}", marker)
            ws.write_string(r, 1, TEXTS[PRINTED[i][0]], cell)
            ws.set_row(r, text_height(TEXTS[PRINTED[i][0]], width, size))
        ws.write_string(len(cases), 0, "@end", marker)
    book.close()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    xml = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "cells.pdf"), "-"], capture_output=True, text=True,
                         check=True).stdout
    seen = {}
    for page in xml.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
            r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)]
        marks = sorted((w for w in words if re.fullmatch(r"@(\d+|end)", w[4]) and w[0] < 60), key=lambda w: w[1])
        for here, below in zip(marks, marks[1:] + [None]):
            if here[4] == "@end":
                continue
            bottom = below[1] - 1 if below else 1e9
            text = [w for w in words if w not in marks and here[1] - 2 <= w[1] < bottom + 1 and w[0] > here[2]]
            centres = sorted((w[1] + w[3]) / 2 for w in text)
            lines = 1 + sum(1 for a, b in zip(centres, centres[1:]) if b - a >= 4)
            seen[int(here[4][1:])] = (lines, max(w[3] for w in text) if text else 0.0, bottom)
    assert set(seen) == set(range(len(PRINTED)))
    for i, (key, size, width, printed, counted) in enumerate(PRINTED):
        lines, last, bottom = seen[i]
        assert lines == printed, (key, size, width, lines)
        assert lines <= int(printed_lines([TEXTS[key]], width, size)[0])
        assert last <= bottom, f"{key} at {size} pt in {width}: its last line printed below its row"


def test_a_page_body_leaves_out_what_libreoffice_gives_its_page_header_and_footer():
    """A4 landscape inside the margins is 501.7 points; LibreOffice printed 492 of it under a page header
    and above a footer, and put a row reaching 494 on the next page (portrait: 740 of 748.3)."""
    from edgescreen.outputs.xlsx import page_body

    assert page_body(landscape=True)[1] <= 492
    assert page_body(landscape=False)[1] <= 740


@needs_office
@pytest.mark.parametrize("landscape", [True, False])
def test_rows_filling_the_page_body_print_on_one_page_in_libreoffice(tmp_path, landscape):
    """A sheet printed as every list is (setup_print: a running title, page numbers) at 100 %: rows
    as tall as page_body print on its first page, the last one too."""
    from edgescreen.outputs.xlsx import cell_formats, page_body, setup_print

    path = tmp_path / "body.xlsx"
    book = new_workbook(path, fixed_scale=True)
    formats = cell_formats(book, "zh")
    ws = book.add_worksheet("body")
    ws.set_column(0, 0, 30)
    ws.write_string(0, 0, "表头", formats["header"])
    ws.set_row(0, 18)
    ws.write_string(1, 0, "第一行", formats["cell"])
    ws.set_row(1, page_body(landscape)[1] - 36)
    ws.write_string(2, 0, "LASTROW", formats["cell"])
    ws.set_row(2, 18)
    ws.write_string(3, 0, "NEXTPAGE", formats["cell"])
    setup_print(ws, "zh", header_row=0, landscape=landscape, running_title="标题")
    ws.set_print_scale(100)
    book.close()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "body.pdf"), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    assert "LASTROW" in pages[0] and "NEXTPAGE" in pages[1]


def test_texts_laid_out_some_thousands_at_a_time_take_the_lines_they_take_all_at_once(monkeypatch):
    # A million messages are laid out in slices (the layout's arrays are a character's size each):
    # the slices' edges change no text's lines, long or short, with line breaks or without.
    import edgescreen.outputs.xlsx as xlsx

    texts = [("户主身份证号 220122197001011234 校验位不对," * (i % 4)) + "\n" * (i % 3) + f"第{i}行" * (i % 5)
             for i in range(997)]
    whole = printed_lines(texts, 14)
    monkeypatch.setattr(xlsx, "LAYOUT_CHUNK", 7)
    assert (printed_lines(texts, 14) == whole).all()
    assert whole.max() > 3 and (whole == 1).any()


def test_a_row_is_never_made_taller_than_a_spreadsheet_keeps_one():
    # Excel, WPS and LibreOffice keep a row at most 409 points tall (408.75 in whole pixels): a cell of
    # a megabyte of notes (an outside try's pasted 备注) gets the tallest row, and the layout stops
    # counting its lines there; a text under that height is measured as before, lines and breaks alike.
    import pandas as pd

    from edgescreen.outputs.xlsx import LINE_EM, ROW_PADDING, ROW_POINTS_MOST, row_lines_most

    huge = "外出务工收入待核实," * 100_000
    texts = [huge, "短", (CJK * 4)[:100], "一\n二\n三", "\n".join([CJK] * 60)]
    rows = pd.DataFrame({"notes": texts})
    heights = wrapped_heights(rows, [("notes", 20, "wrap")], 18)
    assert heights[0] == ROW_POINTS_MOST == heights[4]  # 60 lines of 11 points do not fit either
    assert heights[1] == 18
    for i in (2, 3):
        assert heights[i] == printed_height(printed_lines([texts[i]], 20))[0] < ROW_POINTS_MOST
    # Counted up to the lines the tallest row holds, and one over; the same as uncounted below that.
    most = row_lines_most()
    assert printed_height(most - 1)[()] <= ROW_POINTS_MOST < most * 11 * LINE_EM + ROW_PADDING
    assert printed_height(most)[()] == printed_height(100 * most)[()] == ROW_POINTS_MOST  # every row height
    capped = printed_lines(texts, 20, most=most)
    assert capped[0] == most and capped[4] == most
    assert (capped[1:4] == printed_lines(texts[1:4], 20)).all()
