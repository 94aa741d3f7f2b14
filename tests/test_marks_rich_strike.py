"""Strike applied to a cell's text (rich text), not to its format, said as a row struck through.

An outside try (2026-12-06): a clerk who strikes a household while editing its cells selects the
text and strikes it (Excel, WPS): the strike is then in the text's runs (sharedStrings.xml
<si><r><rPr><strike/>, or a cell's own <is> of inline text), not in the cell's format. Such a
workbook, its heads' names and IDs struck in Excel, gave no row_struck_through. A cell counts as
struck where every run of its text with characters is; a cell partly struck (an old head's name
struck, the new one typed after it) is not."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import xlsxwriter
from typer.testing import CliRunner

from edgescreen import marks, runtime, workbook
from edgescreen.cli import app
from field_builders import _cell, households
from field_checks import issues, ledger
from survey_builders import HEADERS

runner = CliRunner()
AS_OF = "2020-06-30"
STRUCK, PARTLY, ONE_OF_TWO = "struck", "partly", "one of two"


def _rich_survey(path: Path, records: list[dict], texts: dict[tuple[int, str], str], inline: bool = False) -> Path:
    """The households under a header on row 1 (the first on row 2), as xlsxwriter writes them, in
    shared strings (or, with `inline`, as its constant-memory mode writes them: each cell's own inline
    text). texts[(household, header)] strikes that cell's text with write_rich_string: STRUCK, in two
    runs both struck; PARTLY, the text struck and a new head's name typed after it unstruck;
    ONE_OF_TWO, its first character struck and the rest not."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    ws = book.add_worksheet("合隆镇")
    strike = book.add_format({"font_strikeout": True})
    for c, header in enumerate(HEADERS):
        ws.write_string(0, c, header)
    for i, record in enumerate(records):
        for c, header in enumerate(HEADERS):
            value = record.get(header, "")
            how = texts.get((i, header))
            if how == STRUCK:
                ws.write_rich_string(i + 1, c, strike, str(value)[:1], strike, str(value)[1:])
            elif how == PARTLY:
                ws.write_rich_string(i + 1, c, strike, str(value), " 刘桂兰")
            elif how == ONE_OF_TWO:
                ws.write_rich_string(i + 1, c, strike, str(value)[:1], str(value)[1:])
            else:
                _cell(ws, i + 1, c, value)
    book.close()
    return path


def _edit_sheet(path: Path, edit) -> Path:
    """The workbook with its sheet's XML rewritten through edit(text) → text, as by hand."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, edit(data.decode()).encode() if info.filename == "xl/worksheets/sheet1.xml" else data)
    tmp.replace(path)
    return path


def _struck_said(out: Path) -> list[tuple[int, str, str]]:
    found = issues(out)
    found = found[found["code"] == "row_struck_through"]
    assert set(found["severity"]) <= {"warning"}
    assert all("划了删除线" in message for message in found["message"])
    return [(int(row), cell, value) for row, cell, value in found[["row", "cell", "value"]].itertuples(index=False)]


def _screen(path: Path, out: Path) -> None:
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output


def test_a_head_struck_in_its_text_in_shared_strings_is_warned_and_decided_as_usual(tmp_path):
    records = households(6)
    # Household 1: its head's name and ID struck in their text (each in two runs, both struck);
    # household 2: its ID alone (no head's name: 1 of its filled cells, not said); household 3: the old
    # head's name struck and the new one typed after; household 4: the name's first character struck.
    texts = {(1, "户主姓名"): STRUCK, (1, "户主身份证号"): STRUCK, (2, "户主身份证号"): STRUCK,
             (3, "户主姓名"): PARTLY, (4, "户主姓名"): ONE_OF_TWO}
    path = _rich_survey(tmp_path / "合隆镇.xlsx", records, texts)
    with zipfile.ZipFile(path) as zf:
        assert b"<strike/>" in zf.read("xl/sharedStrings.xml")
        assert b"strike" not in zf.read("xl/styles.xml")  # no cell format struck: the text's runs only
    out = tmp_path / "out"
    _screen(path, out)
    assert _struck_said(out) == [(3, "E3", "户主2")]
    message = issues(out).query("code == 'row_struck_through'")["message"].iloc[0]
    assert "这一行划了删除线(填了的" in message and "中有 2 格)" in message
    # Every household decided once, on its figures, as the same workbook without a strike is.
    decided = ledger(out)
    assert decided["row"].astype(int).tolist() == [2, 3, 4, 5, 6, 7]
    plain = _rich_survey(tmp_path / "plain.xlsx", records, {})
    _screen(plain, tmp_path / "plain-out")
    assert decided["status"].tolist() == ledger(tmp_path / "plain-out")["status"].tolist()


def test_inline_text_struck_is_warned_and_a_run_not_struck_keeps_the_cell_unstruck(tmp_path):
    records = households(6)
    texts = {(1, "户主姓名"): STRUCK, (2, "户主姓名"): STRUCK, (3, "户主姓名"): PARTLY,
             (4, "户主姓名"): ONE_OF_TWO, (5, "户主姓名"): STRUCK}
    path = _rich_survey(tmp_path / "合隆镇.xlsx", records, texts, inline=True)

    def edit(xml: str) -> str:
        assert xml.count('t="inlineStr"') > 20
        # Row 4's second run turned back (<strike val="0"/>, as Excel writes a run unstruck again);
        # row 7's runs struck with val="1".
        row4, row7 = (re.search(rf'<c r="E{row}".*?</c>', xml).group(0) for row in (4, 7))
        first, _, last = row4.rpartition("<strike/>")
        return xml.replace(row4, f'{first}<strike val="0"/>{last}').replace(row7, row7.replace("<strike/>", '<strike val="1"/>'))

    _edit_sheet(path, edit)
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
        assert "xl/sharedStrings.xml" not in zf.namelist()
    assert sheet.count(b'<strike val="0"/>') == 1 and sheet.count(b'<strike val="1"/>') == 2
    out = tmp_path / "out"
    _screen(path, out)
    assert _struck_said(out) == [(3, "E3", "户主2"), (7, "E7", "户主6")]
    assert len(ledger(out)) == 6


def test_the_helper_process_and_the_halves_find_struck_text_too(tmp_path, monkeypatch):
    """The benchmark's path: the helper process scans the one sheet while this process parses its
    first half (workbook.scan_for_reader); its shared strings are read there, its blocks small."""
    records = households(80)
    texts = {(2, "户主姓名"): STRUCK, (40, "户主姓名"): PARTLY, (70, "户主姓名"): STRUCK, (70, "户主身份证号"): STRUCK}
    shared = _rich_survey(tmp_path / "合隆镇.xlsx", records, texts)
    inline = _rich_survey(tmp_path / "内联.xlsx", records, texts, inline=True)
    monkeypatch.setattr(workbook, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(workbook, "SPLIT_BYTES", 1)
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)
    split = []
    real_parse = workbook._parse_halves
    monkeypatch.setattr(workbook, "_parse_halves", lambda *a: split.append(a[0][1] is None) or real_parse(*a))
    for path in (shared, inline):
        _screen(path, tmp_path / f"{path.stem}-helper")
    assert split == [True, True], "the helper made the second half"
    monkeypatch.setenv("EDGESCREEN_DEBUG", "1")  # everything in this process
    for path in (shared, inline):
        _screen(path, tmp_path / f"{path.stem}-alone")
        for how in ("helper", "alone"):
            assert _struck_said(tmp_path / f"{path.stem}-{how}") == [(4, "E4", "户主3"), (72, "E72", "户主71")], (path, how)
        assert (tmp_path / f"{path.stem}-helper" / "issues.csv").read_bytes() == \
            (tmp_path / f"{path.stem}-alone" / "issues.csv").read_bytes()


def test_a_workbook_without_struck_text_is_not_looked_at_for_it(tmp_path, monkeypatch):
    """Shared strings without "strike" are not parsed, and no block of rows without it is looked at."""
    path = _rich_survey(tmp_path / "plain.xlsx", households(3), {})
    inline = _rich_survey(tmp_path / "内联.xlsx", households(3), {}, inline=True)
    with zipfile.ZipFile(path) as zf:
        parts = workbook._book_parts(zf)
        assert parts.struck_strings == frozenset()
        assert parts.marks_of(parts.sheets["合隆镇"]) is None

    def looked(*_):
        raise AssertionError("looked for struck text")

    monkeypatch.setattr(marks, "text_struck", looked)
    monkeypatch.setattr(workbook, "text_struck", looked)
    monkeypatch.setattr(workbook, "struck_inline_in", looked)
    for book in (path, inline):
        _screen(book, tmp_path / f"{book.stem}-out")
        assert len(ledger(tmp_path / f"{book.stem}-out")) == 3
        assert _struck_said(tmp_path / f"{book.stem}-out") == []
