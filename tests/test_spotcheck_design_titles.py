"""抽样设计.xlsx's 各村 and 各层 printed with no title: their tables began in the first row, so a sheet
printed on its own and handed on said what it listed only in its small page header. Each now begins as
the workbook's 说明 does and every other printed table of edgescreen: a title saying what the sheet
lists, of which county and income year, drawn which day; a line naming the sample (its id, and what it
was drawn from: a register's round); the column headers under them, repeated on every printed page,
the sheet fitted to the page's width."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import draw, run, small_county
from edgescreen.outputs.xlsx import TITLE_SIZE, text_height

WHAT = {"各村": "各村户数与抽取户数", "各层": "各抽样层的户数、抽取户数与权数"}
FIRST_HEADERS = {"各村": ["乡(镇)", "行政村", "候选户数", "非候选户数"], "各层": ["乡(镇)", "行政村", "抽样层", "户数 N"]}


def header_row(ws) -> int:
    """The row (1-based) of the table's column headers: the first whose first cell is 乡(镇) (row 1 in
    a design written before the sheets had a title, row 3 since)."""
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "乡(镇)")


def assert_titled(ws, county: str, year: int, day: str, sample_id: str, source: str) -> None:
    columns = ws.max_column
    title = ws["A1"].value
    assert title == f"{county}抽查核实抽样设计:{WHAT[ws.title]}({year} 年度收入,{day} 抽取)", (ws.title, title)
    assert f"A1:{openpyxl.utils.get_column_letter(columns)}1" in {str(r) for r in ws.merged_cells.ranges}, ws.title
    assert ws["A1"].font.b and ws["A1"].font.sz == TITLE_SIZE and ws["A1"].alignment.wrap_text
    width = sum(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width for c in range(1, columns + 1))
    assert ws.row_dimensions[1].height >= text_height(title, width, TITLE_SIZE) - 1, ws.title
    line = ws["A2"].value
    assert line.startswith(f"样本编号 {sample_id};抽样来源:") and source in line, (ws.title, line)
    assert header_row(ws) == 3
    assert [c.value for c in ws[3]][:4] == FIRST_HEADERS[ws.title]
    # Printed as the other sheets: A4 portrait, one page wide, the headers (not the title) on every page,
    # the rows below them scrolling under frozen headers, the filter on the header row.
    assert ws.print_title_rows == "$3:$3", ws.print_title_rows
    assert ws.page_setup.orientation == "portrait" and ws.page_setup.paperSize == 9
    # fitToWidth is left out of the file where it is 1, its default.
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1)
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref.startswith("A3:"), ws.auto_filter.ref
    assert f"{county}抽查核实抽样设计" in ws.oddHeader.center.text and ws.oddFooter.center.text


def test_the_village_and_stratum_sheets_say_what_they_list_of_which_county_year_and_sample(tmp_path):
    run("screen", small_county(tmp_path / "农安县.xlsx", county="农安县"), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "738291045512")
    facts = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    assert book.sheetnames == ["说明", "各村", "各层"]
    for name in ("各村", "各层"):
        assert_titled(book[name], "农安县", facts["income_year"], facts["created"][:10], facts["sample_id"],
                      "decisions.csv")
    # The table under the title is whole: 前岗村 and 东兴村, and their four strata.
    villages = book["各村"]
    rows = [r for r in villages.iter_rows(min_row=header_row(villages) + 1, values_only=True)]
    assert sorted(r[1] for r in rows) == ["东兴村", "前岗村"]
    strata = book["各层"]
    rows = [r for r in strata.iter_rows(min_row=header_row(strata) + 1, values_only=True)]
    assert sorted((r[1], r[2], r[3]) for r in rows) == [("东兴村", "候选户", 2), ("东兴村", "非候选户", 3),
                                                        ("前岗村", "候选户", 4), ("前岗村", "非候选户", 12)]


def test_a_sample_from_a_register_names_the_round_above_each_table(tmp_path: Path):
    db = tmp_path / "农安县.db"
    run("screen", small_county(tmp_path / "农安县.xlsx", county="农安县"), "-o", tmp_path / "筛查", "--register", db,
        "--date", "2019-12-02")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "738291045512")
    facts = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    for name in ("各村", "各层"):
        assert_titled(book[name], "农安县", facts["income_year"], facts["created"][:10], facts["sample_id"],
                      f"农安县.db(第 1 轮筛查,{facts['income_year']}年度,2019-12-02)")


def test_the_village_and_stratum_sheets_list_the_villages_in_the_surveys_order(tmp_path):
    """From an outside try: 各村 and 各层 listed the places by their characters' codes (东兴村 before
    前岗村, 万顺乡 before 合隆镇), where the forms, the register and backcheck list them as the survey does."""
    run("screen", small_county(tmp_path / "农安县.xlsx", county="农安县"), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "738291045512", "--listed-rate", "1", "--unlisted-rate", "1")
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    for name in ("各村", "各层"):
        ws = book[name]
        villages = [r[1] for r in ws.iter_rows(min_row=header_row(ws) + 1, values_only=True) if r[1]]
        assert list(dict.fromkeys(villages)) == ["前岗村", "东兴村"], (name, villages)
