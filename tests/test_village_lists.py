"""The per-village review lists, end to end through `edgescreen screen`: printed as they come (A4
landscape, fitted to the width, header repeated, page numbers), the candidates of that village in
per-capita order, numbers as numbers, IDs as masked text, the invalid and below-line sheets, the
signature lines; and, where LibreOffice is installed, a real conversion to PDF."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from print_size import printed_pages
from survey_builders import household, make_id, write_csv_table, write_workbook
from edgescreen.catalogue import messages
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()
HOSTILE = '=HYPERLINK("http://example.com","x")'
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
FULL_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def label(key, lang="zh"):
    return messages().labels[key](lang)


def bad_checksum(id_: str) -> str:
    return id_[:-1] + ("0" if id_[-1] != "0" else "1")


# Village 合隆镇前岗村: candidates typed out of order, plus one of every other kind.
QIANGANG = [
    ("王一", {"工资性收入": 11900}),  # 3966.67, candidate
    ("李二", {"工资性收入": 9800}),   # 3266.67, candidate
    (HOSTILE, {"工资性收入": 11000}),  # 3666.67, candidate named like a formula
    ("赵四", {"工资性收入": 3300, "家庭常住人口数": 1, "家庭人口数": 1}),  # 3300.00, candidate
    ("孙五", {"工资性收入": 6000}),   # 2000.00, below the line
    ("周六", {"工资性收入": 30000}),  # above the limit
    ("吴七", {"是否低保户": "是", "转移性收入": 3000}),  # excluded
    ("郑八", {"工资性收入": "见备注"}),  # invalid: not a number (K column)
    ("冯九", {"户主身份证号": bad_checksum(make_id("19650505"))}),  # invalid: ID checksum
]


def qiangang_rows():
    return [household(**{"户主姓名": name, **extra}) for name, extra in QIANGANG]


def sanbao_rows():
    return [household(**{"乡(镇)": "烧锅镇", "行政村": "三宝村", "户主姓名": n, "工资性收入": w})
            for n, w in (("钱甲", 10500), ("孙乙", 9900), ("李丙", 50000))]


def screen(tmp_path, *extra, rows=None, name="survey.xlsx"):
    path = write_workbook(tmp_path / name, rows if rows is not None else qiangang_rows() + sanbao_rows())
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01", *extra])
    assert result.exit_code == 0, result.output
    return out


def ledger(out) -> pd.DataFrame:
    return read_ledger(out / "decisions.csv")


def table(ws, header_row=4):
    """The rows under the header, up to the first blank row, as lists of cells."""
    rows = []
    for row in ws.iter_rows(min_row=header_row + 1):
        if row[0].value is None:
            break
        rows.append(row)
    return rows


@pytest.fixture
def run(tmp_path):
    return screen(tmp_path)


def test_one_workbook_per_village_with_three_sheets(run):
    files = sorted(p.name for p in (run / "villages").iterdir())
    assert files == ["合隆镇-前岗村.xlsx", "烧锅镇-三宝村.xlsx"]
    wb = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")
    assert wb.sheetnames == [label("sheet_candidates"), label("sheet_invalid"), label("sheet_below_line")]


def test_every_sheet_prints_a4_landscape_across_the_width_with_titles_and_page_numbers(run):
    for path in (run / "villages").iterdir():
        book = openpyxl.load_workbook(path)
        for ws in book:
            assert ws.page_setup.orientation == "landscape", (path.name, ws.title)
            assert ws.page_setup.paperSize in (9, "9"), "A4"
            assert ws.print_title_rows == "$4:$4", "the header row is repeated on every page"
            footer = ws.oddFooter.center.text
            assert "&P" in footer and "&N" in footer, "page numbers"
            # Every page, the signature page too, says whose list it is: the sheet's title.
            assert ws.oddHeader.center.text == ws["A1"].value, (path.name, ws.title)
            assert path.stem.replace("-", "") in ws.oddHeader.center.text
        # The candidates print at a scale of their own, so that Excel keeps the page breaks placed
        # for the signatures (it ignores manual breaks on a sheet fitted to the page)...
        candidates, invalid, below = book.worksheets
        assert not candidates.sheet_properties.pageSetUpPr.fitToPage
        assert int(candidates.page_setup.scale or 100) == 100, "the table fits A4 landscape at 100 %"
        # ... and the other two are fitted to the page width.
        for ws in (invalid, below):
            assert ws.sheet_properties.pageSetUpPr.fitToPage is True
            assert int(ws.page_setup.fitToWidth or 1) == 1, "one page wide (1 is the OOXML default)"
            assert int(ws.page_setup.fitToHeight) == 0, "as many pages tall as needed"


def test_title_rule_set_and_headers(run):
    book = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")
    ws = book[label("sheet_candidates")]
    assert ws["A1"].value == "合隆镇前岗村贫困边缘户初选名单"
    # Each sheet says what it is: only the first is the first-pass list.
    assert book[label("sheet_invalid")]["A1"].value == "合隆镇前岗村数据有误待核实农户名单"
    assert book[label("sheet_below_line")]["A1"].value == "合隆镇前岗村低于贫困标准农户名单(转贫困户识别)"
    # The rule set by its title and bounds: its id (changchun-2019, ASCII a village cannot read) is the
    # county's outputs' (summary.xlsx), not the list the village meets over.
    assert ws["A2"].value.startswith("认定标准:长春市贫困边缘户识别标准(2019)(2019年度收入);")
    assert "3218" in ws["A2"].value and "4000" in ws["A2"].value and "changchun" not in ws["A2"].value
    headers = [c.value for c in ws[4]]
    assert headers == ["序号", "村民小组", "户主姓名", "身份证号", "常住人口数", "人均纯收入(元)", "主要困难",
                       "评议结果", "备注"]


def test_candidates_of_the_village_lowest_per_capita_first_numbers_as_numbers(run):
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    rows = table(ws)
    assert [r[2].value for r in rows] == ["李二", "赵四", HOSTILE, "王一"]
    assert [r[0].value for r in rows] == [1, 2, 3, 4]
    per_capita = [r[5] for r in rows]
    assert [c.value for c in per_capita] == [3266.67, 3300, 3666.67, 3966.67]
    for c in per_capita:
        # Two decimals, and a space's width clear of the right border ("_ "): padding.
        assert c.data_type == "n" and c.number_format == "0.00_ " and c.alignment.horizontal == "right"
    assert [r[4].value for r in rows] == [3, 1, 3, 3]
    assert all(r[4].data_type == "n" for r in rows), "resident members are numbers"
    assert all(r[3].data_type == "s" for r in rows), "IDs are text"
    assert all(r[7].value is None and r[8].value is None for r in rows), "评议结果 and 备注 left for the meeting"
    assert all(r[7].border.left.style for r in rows), "the empty columns are ruled for writing"

    # One row per candidate of that village, as the ledger has them.
    led = ledger(run)
    expected = led[(led["village"] == "前岗村") & (led["status"] == "candidate")]
    assert len(rows) == len(expected)
    other = table(openpyxl.load_workbook(run / "villages" / "烧锅镇-三宝村.xlsx")[label("sheet_candidates")])
    assert [r[2].value for r in other] == ["孙乙", "钱甲"]


def test_signature_lines_below_the_list(run):
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    last = 4 + len(table(ws))
    below = [c.value for row in ws.iter_rows(min_row=last + 1) for c in row if c.value]
    assert any('村"两委"' in v for v in below)
    assert any("核实人" in v for v in below)
    assert any("日期" in v for v in below)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_signature_labels_fit_their_space(tmp_path, lang):
    """Each signature label stands in a merged stretch of the row wide enough for it, in either
    language (English: 'Village committees (村"两委"), seal:' overran a third of the columns)."""
    out = screen(tmp_path, "--lang", lang)
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates", lang)]
    row = next(r for r in ws.iter_rows() if any(isinstance(c.value, str) and c.value.startswith(
        label("sign_verifier", lang)) for c in r))
    merged = [m for m in ws.merged_cells.ranges if m.min_row == row[0].row]
    assert len(merged) == 3
    for m in merged:
        text = ws.cell(m.min_row, m.min_col).value
        room = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                   for c in range(m.min_col, m.max_col + 1))
        wide = len(text) + len(re.findall(r"[^\x00-\x7f]", text))
        assert wide + 4 <= room, (text, wide, room)


def test_cells_have_padding(run):
    """Nothing touches a border: text is indented from the left, numbers end a space's width short
    of the right ("_ " in the number format; LibreOffice ignores a right indent)."""
    for ws in openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx"):
        cells = [c for row in table(ws) for c in row]
        assert cells, ws.title
        for c in cells:
            if c.alignment.horizontal == "center" or c.value is None:
                continue
            if c.data_type == "n" or c.number_format != "General":
                assert c.number_format.endswith("_ "), (ws.title, c.coordinate, c.number_format)
            else:
                assert c.alignment.indent >= 1, (ws.title, c.coordinate)


# Candidates per village: one page; around the edges of the first and second pages (with today's
# heights, 15 and 34 rows fill a page so that the signatures alone would start the next); several.
SIZES = (1, 14, 15, 16, 17, 18, 19, 33, 34, 35, 40, 100)


def sized_villages(tmp_path):
    """One screen of villages with SIZES candidates each (name 户主NNN), their lists written."""
    rows = [household(**{"行政村": f"{n}户村", "户主姓名": f"户主{i:03d}", "工资性收入": 9700 + 50 * (i % 45)})
            for n in SIZES for i in range(n)]
    return screen(tmp_path, rows=rows)


def test_signatures_share_the_last_rows_page_as_laid_out(tmp_path):
    out = sized_villages(tmp_path)
    for n in SIZES:
        ws = openpyxl.load_workbook(out / "villages" / f"合隆镇-{n}户村.xlsx")[label("sheet_candidates")]
        data = [r + 1 for r, row in enumerate(ws.iter_rows(values_only=True))
                if isinstance(row[2], str) and re.fullmatch(r"户主\d{3}", row[2])]
        assert len(data) == n
        signed = next(r + 1 for r, row in enumerate(ws.iter_rows(values_only=True))
                      if any(isinstance(v, str) and "核实人" in v for v in row))
        pages = printed_pages(ws)
        last = pages[-1]
        assert signed in last and data[-1] in last, n
        assert sum(r in data for r in last) >= min(2, n), f"{n}: the signatures' page holds the last rows"
        assert all(any(r in data for r in page) for page in pages), f"{n}: every page holds households"


@given(top=st.floats(40, 200), header=st.floats(15, 60), row=st.floats(12, 60), n=st.integers(0, 120),
       tail=st.floats(20, 80), keep=st.integers(1, 3))
@settings(max_examples=300, deadline=None)
def test_page_breaks_fill_pages_and_keep_the_tail_with_rows(top, header, row, n, tail, keep):
    from edgescreen.outputs.xlsx import page_breaks

    body = 500.0
    heights = [row] * n
    breaks = page_breaks(top, header, heights, tail, body, keep)
    assert breaks == sorted(set(breaks)) and all(0 < b < n for b in breaks)
    starts = [0, *breaks]
    stops = [*breaks, n]
    for i, (a, b) in enumerate(zip(starts, stops)):
        used = (top if i == 0 else header) + row * (b - a) + (tail if i == len(starts) - 1 else 0)
        # A millionth of a point: the running total's rounding (22 rows of 20.000000000000004 pt and
        # the rest came to 500.0000000000001 on a 500-pt page), nothing that prints.
        assert used <= body + 1e-6 or b - a <= 1 or (i == len(starts) - 1 and b - a <= keep), (i, a, b)
        assert b > a or n == 0, "every page holds a row"
    if breaks:
        assert n - breaks[-1] >= min(keep, n), "the tail's page holds `keep` rows"


needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are not installed")


@needs_office
def test_printed_signatures_are_never_alone_on_a_page(tmp_path):
    """Rendered by LibreOffice: the candidates' last page holds households and the signatures, for
    lists of 1 to 100 (SIZES); no page holds the signatures without households."""
    out = sized_villages(tmp_path)
    books = [out / "villages" / f"合隆镇-{n}户村.xlsx" for n in SIZES]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, books)], check=True, capture_output=True, timeout=300)
    for n, book in zip(SIZES, books):
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / f"{book.stem}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages = [p for p in text.split("\f") if "评议结果" in p]  # the candidates' pages
        households = [len(re.findall(r"户主\d{3}", p)) for p in pages]
        assert sum(households) == n
        assert "核实人" in pages[-1] and households[-1] >= min(2, n), (n, households)
        assert all(households), (n, households)
        assert sum("核实人" in p for p in pages) == 1


def test_invalid_sheet_says_what_to_fix_cell_by_cell(run):
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_invalid")]
    headers = [c.value for c in ws[4]]
    assert headers[-1] == "需核实的问题"
    rows = table(ws)
    assert [r[4].value for r in rows] == ["郑八", "冯九"]
    issues = read_issues(run / "issues.csv")
    for r in rows:
        fix = r[-1].value
        errors = issues[(issues["head_name"] == r[4].value) & (issues["severity"] == "error")]
        assert len(errors)
        for cell in errors["cell"]:
            column, row = re.match(r"([A-Z]+)(\d+)", cell).groups()
            assert f"第{row}行 {column}列" in fix, (cell, fix)
        assert r[2].data_type == "n", "the row number is a number"


def test_below_line_sheet(run):
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_below_line")]
    rows = table(ws)
    assert [r[2].value for r in rows] == ["孙五"]
    assert rows[0][5].value == 2000 and rows[0][5].number_format == "0.00_ "
    assert "3218" in ws["A3"].value, "says which line they are below"


def test_equal_per_capita_keep_survey_order_and_each_list_numbers_from_1(tmp_path):
    """The lists of all villages come from one sort of the whole run: within a village, equal
    per-capita stay in survey order, the invalid stay in survey order whatever their per-capita, and
    every list is numbered from 1, however the villages' rows interleave in the survey."""
    def at(village, name, **extra):
        return household(**{"行政村": village, "户主姓名": name, **extra})

    rows = [at("前岗村", "甲", 工资性收入=10500), at("后岗村", "乙", 工资性收入=10500),
            at("前岗村", "丙", 工资性收入=10500), at("前岗村", "丁", 工资性收入=9900),
            at("前岗村", "戊", 工资性收入=11000, 户主身份证号=bad_checksum(make_id("19600101"))),
            at("后岗村", "己", 工资性收入=9900), at("前岗村", "庚", 工资性收入=10500),
            at("前岗村", "辛", 工资性收入=5000, 户主身份证号=bad_checksum(make_id("19610101"))),
            at("前岗村", "壬", 工资性收入=6000), at("前岗村", "癸", 工资性收入=6000)]
    out = screen(tmp_path, rows=rows)
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    candidates = table(book[label("sheet_candidates")])
    assert [r[2].value for r in candidates] == ["丁", "甲", "丙", "庚"]
    assert [r[0].value for r in candidates] == [1, 2, 3, 4]
    invalid = table(book[label("sheet_invalid")])
    assert [(r[0].value, r[4].value) for r in invalid] == [(1, "戊"), (2, "辛")], "survey order, not per-capita"
    below = table(book[label("sheet_below_line")])
    assert [(r[0].value, r[2].value) for r in below] == [(1, "壬"), (2, "癸")]
    other = table(openpyxl.load_workbook(out / "villages" / "合隆镇-后岗村.xlsx")[label("sheet_candidates")])
    assert [(r[0].value, r[2].value) for r in other] == [(1, "己"), (2, "乙")]


def all_text(path):
    for ws in openpyxl.load_workbook(path):
        for row in ws.iter_rows():
            for c in row:
                yield ws.title, c


def test_no_unmasked_id_or_phone_in_any_village_file_by_default(run):
    for path in (run / "villages").iterdir():
        for sheet, c in all_text(path):
            if isinstance(c.value, str):
                assert not FULL_ID.search(c.value), (path.name, sheet, c.coordinate, c.value)
                assert not FULL_MOBILE.search(c.value), (path.name, sheet, c.coordinate, c.value)
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_invalid")]
    fix = table(ws)[1][-1].value
    assert "********" in fix, "the ID quoted in the checksum message is masked too"
    assert table(ws)[0][6].value == "138****5678"
    # The ledger is the county's record: full IDs.
    assert ledger(run)["head_id"].str.fullmatch(r"[0-9]{17}[0-9X]").all()


def test_no_mask_gives_the_county_full_numbers(tmp_path):
    out = screen(tmp_path, "--no-mask")
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    # The county's own copy says so above the rule line: the header a row lower.
    assert ws.cell(2, 1).value == label("list_unmasked")
    ids = [r[3].value for r in table(ws, header_row=5)]
    assert ids and all(FULL_ID.fullmatch(i) for i in ids)
    assert all(r[3].data_type == "s" for r in table(ws, header_row=5))


def test_formula_looking_names_stay_text(run):
    for path in (run / "villages").iterdir():
        for sheet, c in all_text(path):
            assert c.data_type != "f", (path.name, sheet, c.coordinate, c.value)
    ws = openpyxl.load_workbook(run / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    cell = table(ws)[2][2]
    assert cell.value == HOSTILE and cell.data_type == "s"


def test_english(tmp_path):
    out = screen(tmp_path, "--lang", "en")
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates", "en")]
    assert [c.value for c in ws[4]] == [label(k, "en") for k in ("seq", "group", "head_name", "masked_id",
                                                                 "residents", "per_capita_income", "risk",
                                                                 "review_result", "notes")]
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    titles = [sheet["A1"].value for sheet in book]
    assert titles == ["合隆镇 前岗村: first-pass list of poverty-edge households",
                      "合隆镇 前岗村: households with data errors, to be verified",
                      "合隆镇 前岗村: households below the poverty line (refer for registered-poor identification)"]
    assert "Page &P of &N" in ws.oddFooter.center.text


def test_a_village_without_candidates_still_gets_its_list(tmp_path):
    rows = [household(**{"工资性收入": 50000})]
    out = screen(tmp_path, rows=rows)
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    assert ws["A5"].value == label("none_listed")


def screened_with_a_vehicle_roster(tmp_path):
    """前岗村 and 三宝村 screened with a vehicle register naming 李二 (a 前岗村 candidate): 三宝村's
    candidates have nothing to verify."""
    car_owner = make_id("19710101")
    rows = [household(**{"户主姓名": name, **extra, **({"户主身份证号": car_owner} if name == "李二" else {})})
            for name, extra in QIANGANG] + sanbao_rows()
    roster = write_csv_table(tmp_path / "机动车.csv", ["所有人", "身份证号", "号牌号码"], [["李二", car_owner, "吉A1"]])
    return screen(tmp_path, "--roster", f"车辆={roster}", rows=rows)


def test_a_village_with_nothing_to_verify_gets_no_verification_sheet_and_is_told_so(tmp_path):
    """Before: with rosters every village workbook ended in a 核实清单, and a village none of whose
    candidates has a flag or lead printed it as an empty table with lines to sign. Now only a village
    with candidates to verify has one; every candidate list says which it is."""
    out = screened_with_a_vehicle_roster(tmp_path)
    sheet = label("sheet_roster_verify")
    qiangang = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    assert qiangang.sheetnames[-1] == sheet
    lines = [qiangang.worksheets[0].cell(r, 1).value for r in range(2, 5)]
    assert lines[2] == "信息比对:1 户候选户有疑点、同村同名线索或未能比对的成员,入户核实见“核实清单”。", lines
    sanbao = openpyxl.load_workbook(out / "villages" / "烧锅镇-三宝村.xlsx")
    assert sanbao.sheetnames == [label("sheet_candidates"), label("sheet_invalid"), label("sheet_below_line")]
    candidates = sanbao.worksheets[0]
    assert candidates["A4"].value == "信息比对:本村候选户没有疑点或同村同名线索,无需入户核实,不附“核实清单”。"
    header = next(r for r in range(1, candidates.max_row + 1) if candidates.cell(r, 1).value == "序号")
    assert [c.value for c in candidates[header]][7] == "疑点" and len(table(candidates, header)) == 2
    assert candidates.print_title_rows == f"${header}:${header}"


@needs_office
def test_a_village_with_nothing_to_verify_prints_no_empty_verification_page(tmp_path):
    out = screened_with_a_vehicle_roster(tmp_path)
    books = [out / "villages" / f"{name}.xlsx" for name in ("合隆镇-前岗村", "烧锅镇-三宝村")]
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf"), *map(str, books)], check=True, capture_output=True, timeout=300)
    for book, verify_pages in zip(books, (1, 0)):
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / f"{book.stem}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        verify = [p for p in pages if "信息比对核实清单" in p and "入户核实内容" in p]
        assert len(verify) == verify_pages, book.stem
        assert all("李二" in p for p in verify)


def test_a_blank_village_is_named_as_blank_not_as_a_village_called_weitiancun(tmp_path):
    """A blank 行政村 prints as (行政村未填), in brackets, in the file's name, every sheet's title and
    running header, and the notice: 合隆镇未填村 read like a real village called 未填村."""
    rows = [household(**{"行政村": "", "户主姓名": "王一", "工资性收入": 11000})]
    out = screen(tmp_path, "--publicity-start", "2020-01-28", rows=rows)
    # Its one household is invalid and nothing places it: the township's list of those (as its fix list).
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-未能确定所属村的农户.xlsx"]
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-未能确定所属村的农户.xlsx")
    assert [ws["A1"].value for ws in book] == ["合隆镇未能确定所属村的农户贫困边缘户初选名单",
                                              "合隆镇未能确定所属村的农户:数据有误待核实农户名单",
                                              "合隆镇未能确定所属村的农户低于贫困标准农户名单(转贫困户识别)"]
    assert book.worksheets[1].oddHeader.center.text == "合隆镇未能确定所属村的农户:数据有误待核实农户名单"
    notice = openpyxl.load_workbook(out / "publicity" / "合隆镇-(行政村未填)-公示.xlsx").active
    assert notice["A1"].value == "合隆镇(行政村未填)贫困边缘户名单公示"
    assert not any("未填村" in str(c.value) for ws in book for row in ws.iter_rows() for c in row)


def test_names_that_collide_on_disk_get_their_own_files(tmp_path):
    rows = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗/村"}), household(**{"乡(镇)": "合隆镇", "行政村": "前岗:村"})]
    out = screen(tmp_path, rows=rows)
    names = sorted(p.name for p in (out / "villages").iterdir())
    # Both names were changed to be valid on Windows: each carries the hash of what was typed.
    assert len(set(names)) == 2 and all(re.fullmatch(r"合隆镇-前岗_村~[0-9a-f]{8}\.xlsx", n) for n in names), names


@needs_office
def test_prints_on_a4_landscape_with_no_column_cut_off(tmp_path):
    # Enough candidates for more than one page.
    rows = [household(**{"户主姓名": f"户主{i:02d}", "工资性收入": 9700 + 50 * i, "主要困难": "因病"})
            for i in range(40)]
    out = screen(tmp_path, rows=rows)
    pdf_dir = tmp_path / "pdf"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(pdf_dir), str(out / "villages" / "合隆镇-前岗村.xlsx")],
                   check=True, capture_output=True, timeout=240)
    pdf = pdf_dir / "合隆镇-前岗村.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (round(width), round(height)) == (842, 595), "A4 landscape"
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    headers = ["序号", "村民小组", "户主姓名", "身份证号", "常住人口数", "人均纯收入", "主要困难", "评议结果", "备注"]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    candidate_pages = [p for p in text.split("\f") if "户主" in p and "评议结果" in p]
    assert len(candidate_pages) >= 2, "the candidate list runs over more than one page"
    for page in candidate_pages:
        for h in headers:
            assert h in page, f"column {h} is cut off or the header not repeated"
    assert all(f"户主{i:02d}" in text for i in range(40))


def test_many_villages_are_written_by_two_processes_alike(tmp_path, monkeypatch):
    """Past 32 villages the workbooks are shared between this process and a helper process: every
    village still gets its workbook, with its own candidates, exactly as the one-process path writes
    them."""
    from pathlib import Path

    from edgescreen import screen
    from edgescreen import runtime as S
    from edgescreen.outputs import villages as V

    rows = [household(**{"行政村": f"{i:02d}村", "户主姓名": f"户主{i}", "工资性收入": 9700 + i})
            for i in range(60)]
    result = screen([write_workbook(tmp_path / "many.xlsx", rows)])

    def names(folder):
        out = {}
        for path in sorted(folder.iterdir()):
            ws = openpyxl.load_workbook(path).worksheets[0]
            out[path.name] = [c.value for c in ws["C"] if c.value and str(c.value).startswith("户主") and c.value != "户主姓名"]
        return out

    helpers = []
    enter = S.WorkShare.__enter__

    def counted(self):
        entered = enter(self)
        helpers.append(self.helper is not None)
        return entered

    monkeypatch.setattr(S.WorkShare, "__enter__", counted)
    forked = names(Path(V.write_village_lists(result, tmp_path / "forked")[0]).parent)
    assert helpers == [S.can_share()], "60 villages are shared with a helper process on two cores"
    monkeypatch.setattr(S, "can_share", lambda: False)
    serial = names(Path(V.write_village_lists(result, tmp_path / "serial")[0]).parent)
    assert helpers[1:] == [False], "on one core, one process writes them all"
    assert len(forked) == 60 and forked == serial
    assert forked["合隆镇-07村.xlsx"] == ["户主7"]


LONG_DIFFICULTY = "因病、因残、缺劳力、缺资金、缺技术、自身发展动力不足"


def wrapped_lines(text: str, column_width: float) -> int:
    """Lines a text takes in a wrapped cell, counted plainly: a CJK character is two units wide, and
    three units of the column go to the indent, the right edge and rounding."""
    units = sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)
    return max(1, -(-units // int(column_width - 3)))


def test_rows_are_as_high_as_their_wrapped_text_and_pages_still_fit(tmp_path):
    """A 主要困难 of one common term (自身发展动力不足, 8 characters) prints on one line in a row of
    the hand-writing height; a long one gets the lines it wraps to, on the candidate and the
    below-the-line list alike, and the candidates' pages still hold their rows and the signatures."""
    difficulties = ["因病", "自身发展动力不足", LONG_DIFFICULTY]
    rows = [household(**{"户主姓名": f"户主{i:03d}", "工资性收入": 9700 + 50 * (i % 45),
                         "主要困难": difficulties[i % 3]}) for i in range(40)]
    rows += [household(**{"户主姓名": f"低户{i:03d}", "工资性收入": 3000, "主要困难": difficulties[i % 3]})
             for i in range(6)]
    out = screen(tmp_path, rows=rows)
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    for sheet, prefix in (("sheet_candidates", "户主"), ("sheet_below_line", "低户")):
        ws = book[label(sheet)]
        headers = [c.value for c in ws[4]]
        column = headers.index(label("risk"))
        risk_width = ws.column_dimensions[openpyxl.utils.get_column_letter(column + 1)].width
        seen = set()
        for r, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if not (isinstance(row[2], str) and re.fullmatch(prefix + r"\d{3}", row[2])):
                continue
            text = row[column]
            height = ws.row_dimensions[r].height
            lines = wrapped_lines(text, risk_width)
            seen.add(lines)
            assert height >= 14 * lines + 7, (sheet, r, text, height)  # 8 points less a pixel's rounding
            if lines == 1:
                assert height == 24, (sheet, r, text, height)
        assert 1 in seen and max(seen) > 1, seen
        assert wrapped_lines("自身发展动力不足", risk_width) == 1, "the common terms fit one line"
    pages = printed_pages(book[label("sheet_candidates")])
    assert len(pages) > 1


def plain_lines(text, width: float, size: float = 11) -> int:
    """Lines of a wrapped cell laid out plainly, a character at a time, with the model's widths
    (xlsx.ASCII_EM in 32nds of an em, a non-ASCII character a whole em): a line ends before the first
    character that does not fit, at the last place a line may begin (after a space, beside a CJK
    character, not after an opening mark nor before a closing one), or inside the word that is longer
    than a line."""
    from edgescreen.linebreaks import NO_BREAK_AFTER as opening, NO_BREAK_BEFORE as closing
    from edgescreen.outputs.xlsx import ASCII_EM, CELL_INSET

    text = ("" if text is None else text).replace("\0", "")
    em = size * 96 / 72
    room = int(max(int(width * 7 + 0.5) + 5 - CELL_INSET, em) / em * 32)

    def units(c):
        return 32 if ord(c) > 127 else int(math.ceil(ASCII_EM[ord(c)] * 32))

    total = 0
    for line in text.split("\n"):
        can = [i > 0 and c != " " and (line[i - 1] == " " or ord(line[i - 1]) > 127 or ord(c) > 127)
               and line[i - 1] not in opening and c not in closing for i, c in enumerate(line)]
        s, count = 0, 1
        while True:
            used, j = 0, s
            while j < len(line) and used + units(line[j]) <= room:
                used += units(line[j])
                j += 1
            if j >= len(line):
                break
            k = max([i for i in range(j + 1) if can[i]], default=-1)
            s = k if k > s else max(j, s + 1)
            count += 1
        total += count
    return total


@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from("ab 1W\n因病、「」é\0"), max_size=60)),
                max_size=8),
       st.sampled_from([5, 10, 16, 18, 60]), st.sampled_from([10, 11, 12]), st.booleans())
@settings(max_examples=300, deadline=None)
def test_printed_lines_lays_out_every_text_as_the_plain_rule(texts, width, size, as_string):
    """The vectorised layout (all texts at once, a line of each per pass) is the plain one's."""
    from edgescreen.outputs.xlsx import printed_lines

    column = pd.Series(texts, dtype="string" if as_string else object, index=range(100, 100 + len(texts)))
    assert printed_lines(column, width, size).tolist() == [plain_lines(t, width, size) for t in texts]


def test_a_short_text_of_several_lines_gets_its_lines():
    """Only texts that could wrap are laid out; a text of short lines still gets a line for each:
    two short lines are a two-line row, 16 points a line as LibreOffice prints 11-point 宋体 (not 14:
    from the fifth line on, a row of 14 a line cut the last line)."""
    from edgescreen.outputs.villages import DATA_ROW_HEIGHT
    from edgescreen.outputs.xlsx import wrapped_heights

    rows = pd.DataFrame({"what_to_fix": ["第5行缺户主\n第6行缺电话", "一行", "", "\n".join("第一二三四五")],
                         "group": ["一组", "二组", "三组", "四组"]})
    heights = wrapped_heights(rows, [("group", 10, "cell"), ("what_to_fix", 62, "cell")], DATA_ROW_HEIGHT)
    assert heights.tolist() == [37.5, DATA_ROW_HEIGHT, DATA_ROW_HEIGHT, 102]  # 2 and 6 lines, 16.06 each + 5


def test_row_heights_are_the_same_from_a_frame_or_its_column_lists():
    """The register's documents give their rows as ColumnLists: a long name there grows its row as it
    does on a village list (it printed clipped at a fixed height)."""
    from edgescreen.outputs.xlsx import ColumnLists, wrapped_heights

    rows = pd.DataFrame({"head_name": ["王一", "阿不都热合曼·买买提艾力", None], "seq": [1, 2, 3]})
    columns = [("seq", 6, "center"), ("head_name", 12, "cell")]
    from_frame = wrapped_heights(rows, columns, 20)
    assert from_frame.tolist() == [20, 53.25, 20]  # three lines of five CJK characters, 16.06 each + 5
    assert wrapped_heights(ColumnLists.of(rows), columns, 20).tolist() == from_frame.tolist()


def test_a_verification_row_holds_a_long_head_name(tmp_path):
    """The 核实清单's rows were sized by its two long columns only (比对到的成员, 入户核实内容): a head's
    name of three lines in its 10-wide column printed cut (reviewer). Every column counts now."""
    from edgescreen.outputs.xlsx import printed_height, printed_lines

    name = "阿不都热合曼·买买提艾力"
    car_owner = make_id("19710101")
    rows = [household(**{"户主姓名": name if who == "李二" else who, **extra,
                         **({"户主身份证号": car_owner} if who == "李二" else {})}) for who, extra in QIANGANG]
    roster = write_csv_table(tmp_path / "机动车.csv", ["所有人", "身份证号", "号牌号码"], [[name, car_owner, "吉A1"]])
    out = screen(tmp_path, "--roster", f"车辆={roster}", rows=rows)
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_roster_verify")]
    at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == name)
    assert ws.row_dimensions[at].height >= printed_height(printed_lines([name], 10))[0] > 36


def test_candidates_equal_to_the_fen_are_listed_by_their_exact_per_capita(tmp_path):
    """张二 (9,654.01 ÷ 3 = 3,218.0033) and 张六 (22,526.01 ÷ 7 = 3,218.0014) both print 3,218.01: the
    list put 张二 first, in survey order, though 张六 has less per person."""
    rows = [household(户主姓名="张二", 工资性收入=9654.01),
            household(户主姓名="张六", 工资性收入=22526.01, 家庭常住人口数=7, 家庭人口数=7),
            household(户主姓名="张一", 工资性收入=9654.02)]
    out = screen(tmp_path, rows=rows)
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_candidates")]
    names = [r[2].value for r in table(ws)]
    assert names == ["张六", "张二", "张一"], names


def test_a_sheet_of_nobody_stays_in_the_workbook_hidden_so_it_prints_no_page(run):
    """An outside try printed a village of no invalid and no below-line household whole: three pages, two
    of them (无). A sheet of nobody is kept (its tab) but hidden; one with households shows."""
    shown = {}
    for path in sorted((run / "villages").iterdir()):
        book = openpyxl.load_workbook(path)
        shown[path.stem] = {ws.title: ws.sheet_state for ws in book}
    assert shown["合隆镇-前岗村"] == {label("sheet_candidates"): "visible", label("sheet_invalid"): "visible",
                                     label("sheet_below_line"): "visible"}, shown
    assert shown["烧锅镇-三宝村"][label("sheet_candidates")] == "visible", shown
    hidden = {name for name, state in shown["烧锅镇-三宝村"].items() if state == "hidden"}
    assert hidden == {label("sheet_invalid"), label("sheet_below_line")}, shown  # 三宝村 has neither kind
