"""An .xlsx of 8 households whose 行政村 (or 乡(镇), or 备注) column holds its value down to the sheet's
last row, 1,048,576: a clerk selects the column to the end and fills down (Ctrl+D) or pastes the
village into the whole column; or the village is merged from the first household to the last row and
LibreOffice keeps the village in the cells the merge covers ("keep the contents of the hidden cells").

From an outside try: calamine built a million rows of 23 columns, 1.5 GB and 20-30 s for the village
or the township; filled down 备注, every one of those rows was read as a household with errors:
1,048,575 households, 8.4 GB and 6 minutes. The rows at the sheet's end that hold only the value of
the row above in that column, and nothing else, are no households: they are left out of what
calamine is handed (workbook.SheetScan.filler_row, sparse_copy)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from field_builders import households
from field_checks import issues, ledger, screen
from survey_builders import HEADERS, write_workbook

from edgescreen.workbook import parse_workbook

LAST_ROW = 1_048_576


def _letter(header: str) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[HEADERS.index(header)]


def filled_to_the_end(path: Path, header: str, text: str, *, merged: bool = False, from_row: int = 10,
                      n: int = 8, **record) -> Path:
    """`n` households (rows 2 to n + 1), then `text` in `header`'s column alone in every row from
    `from_row` to the sheet's last row, as Excel writes a column filled down: one cell per row, the
    same shared string. `merged`: the column merged from row 2 to the last row besides."""
    write_workbook(path, households(n, **record))
    column = _letter(header)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    strings = members["xl/sharedStrings.xml"].decode("utf-8")
    items = re.findall(r"<si>(.*?)</si>", strings)
    index = next((i for i, item in enumerate(items) if f">{text}<" in item), None)
    if index is None:
        index = len(items)
        members["xl/sharedStrings.xml"] = strings.replace("</sst>", f"<si><t>{text}</t></si></sst>").encode("utf-8")
    sheet = members["xl/worksheets/sheet1.xml"].decode("utf-8")
    below = "".join(f'<row r="{r}" spans="1:23"><c r="{column}{r}" t="s"><v>{index}</v></c></row>'
                    for r in range(from_row, LAST_ROW + 1))
    merge = f'<mergeCells count="1"><mergeCell ref="{column}2:{column}{LAST_ROW}"/></mergeCells>' if merged else ""
    sheet = sheet.replace("</sheetData>", below + "</sheetData>" + merge, 1)
    sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:W{LAST_ROW}"/>', sheet)
    members["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    # Deflate level 1: the same sheet as at the default level, written in half the time.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize(("header", "text", "merged", "record"), [
    ("行政村", "前岗村", False, {}),
    ("行政村", "前岗村", True, {}),
    ("乡(镇)", "合隆镇", False, {}),
    ("备注", "无", False, {"备注": "无"}),
], ids=["village-filled", "village-merged", "township-filled", "note-filled"])
def test_a_column_filled_to_the_sheets_end_reads_its_households_without_a_million_rows(
        tmp_path, header, text, merged, record):
    path = filled_to_the_end(tmp_path / "合隆镇.xlsx", header, text, merged=merged, **record)
    parsed = parse_workbook(path)
    sheet = parsed.sheets[0].sheet
    # The header and the 8 households: none of the rows filled down is built (before: 1,048,576).
    assert (sheet.height, sheet.width) == (9, len(HEADERS))

    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "已筛查 8 户" in result.output, result.output
    led = ledger(out)
    assert list(led["row"]) == [str(r) for r in range(2, 10)]
    assert list(led["village"]) == ["前岗村"] * 8 and list(led["township"]) == ["合隆镇"] * 8
    assert set(led["status"]) == {"candidate"}, result.output
    # Said, not passed over in silence: the terminal and the quality report's file facts.
    said = "".join(result.output.split())
    column = f"{_letter(header)}「{header}」"
    assert f"第10行到第1,048,576行,每行只有{column}一格,与上一行相同" in said, result.output
    facts = openpyxl.load_workbook(out / "quality.xlsx")
    texts = "".join(str(c.value) for ws in facts.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert f"第 10 行到第 1,048,576 行,每行只有{column}一格" in texts


def test_a_note_pasted_below_the_households_keeps_its_first_row(tmp_path):
    """备注 left blank by the households, 无 pasted from the row below them to the end: the first 无
    repeats nothing above it, so that row is read as any row of a lone 备注 is (a household with its
    fields missing, which sends the clerk to the rows pasted); the rows after it, each the 无 of the
    row above, are not built."""
    path = filled_to_the_end(tmp_path / "合隆镇.xlsx", "备注", "无")
    assert parse_workbook(path).sheets[0].sheet.height == 10

    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["row"]) == [str(r) for r in range(2, 11)]
    assert list(led["status"]) == ["candidate"] * 8 + ["invalid"]
    assert set(issues(out)["row"]) == {"10"}


def test_a_row_cut_at_the_end_of_the_sheets_head_is_no_odd_form(tmp_path):
    """The form of a sheet's XML is told from its first 64 KB (workbook._odd_form). Where that cut
    fell just after "<row " (before its r="…"), the sheet was taken for one written without row
    numbers: scanned by the slow parser, and a far cell refused instead of read sparse; one in
    twenty of the files above, by where their rows fell."""
    from edgescreen.workbook import _ODD_HEAD, _odd_form

    head = '<worksheet><sheetData>'
    row = '<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>'
    rows, r = [], 1
    while len(head) + sum(map(len, rows)) < _ODD_HEAD - 200:
        rows.append(row.format(r=r))
        r += 1
    body = head + "".join(rows)
    body += " " * (_ODD_HEAD - len(body) - len("<row ")) + "".join(row.format(r=k) for k in range(r, r + 10))
    assert body[_ODD_HEAD - 5:_ODD_HEAD] == "<row "
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("sheet.xml", body + "</sheetData></worksheet>")
    with zipfile.ZipFile(path) as zf:
        assert not _odd_form(zf, "sheet.xml")
