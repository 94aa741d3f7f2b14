"""Rows hidden in an .xls or an .ods, by hand or by a filter left on: read like the others, and said
as for an .xlsx (file facts, terminal, quality report). calamine gives no row's visibility for either
format: an .xls's comes from its workbook stream's ROW records (edgescreen/biff.py), an .ods's from
content.xml's table:visibility.

The two .xls files in tests/files were written by LibreOffice 7 (soffice --convert-to xls) from the
.xlsx workbooks of field_builders.workbook_with_filtered_rows (an autofilter on 行政村 = 前岗村) and
workbook_with_hidden_rows (the same rows hidden by hand): ten households, rows 3-5, 7-8 and 10-11
hidden."""

from __future__ import annotations

import shutil
import struct
from pathlib import Path

import pytest

from field_builders import households, ods_with_merged_cells
from field_checks import ledger, manifest, screen
from edgescreen import biff
from edgescreen.biff import xls_hidden_rows

FILES = Path(__file__).parent / "files"
HIDDEN = [3, 4, 5, 7, 8, 10, 11]


def flat(output: str) -> str:
    return "".join(output.split())  # the terminal wraps, and spaces the numbers in Chinese text


def sheet_facts(out: Path) -> dict:
    return manifest(out)["inputs"][0]["sheets"][0]


@pytest.mark.parametrize("name, said, fact", [
    ("filtered-by-libreoffice.xls", "7户被筛选隐藏(第3-5,7-8,10-11行)", "filtered_rows"),
    ("hidden-by-libreoffice.xls", "7户在隐藏的行上(第3-5,7-8,10-11行)", "hidden_rows"),
])
def test_rows_hidden_in_an_xls_are_read_and_said(tmp_path, name, said, fact):
    path = shutil.copy(FILES / name, tmp_path / "合隆镇.xls")
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(ledger(out)) == 10  # read like the others
    assert said in flat(result.output), result.output
    facts = sheet_facts(out)
    assert facts[fact] == 7 and facts["hidden_rows" if fact == "filtered_rows" else "filtered_rows"] == 0, facts


def test_an_xls_autofilter_spans_its_name_rows_and_counts_only_with_a_criterion():
    filtered = xls_hidden_rows(FILES / "filtered-by-libreoffice.xls")
    by_hand = xls_hidden_rows(FILES / "hidden-by-libreoffice.xls")
    assert (filtered["合隆镇"].hidden, filtered["合隆镇"].filter_rows) == (HIDDEN, (1, 11))
    assert (by_hand["合隆镇"].hidden, by_hand["合隆镇"].filter_rows) == (HIDDEN, None)


def test_what_is_not_an_xls_workbook_stream_gives_no_rows(tmp_path):
    (tmp_path / "x.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert xls_hidden_rows(tmp_path / "x.xls") == {}
    assert xls_hidden_rows(FILES / "missing.xls") == {}


def test_rows_hidden_in_an_ods_by_hand_and_by_a_filter_are_said_apart(tmp_path):
    records = households(8)
    path = ods_with_merged_cells(tmp_path / "合隆镇.ods", {"前岗村": records[:4], "后岗村": records[4:]},
                                 visibility={1: "collapse", 4: "filter", 5: "filter", 6: "filter"})
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(ledger(out)) == 8
    text = flat(result.output)
    assert "1户在隐藏的行上(第3行)" in text and "3户被筛选隐藏(第6-8行)" in text, result.output
    facts = sheet_facts(out)
    assert (facts["hidden_rows"], facts["filtered_rows"]) == (1, 3), facts


def _stream(name: str) -> bytearray:
    import olefile

    with olefile.OleFileIO(str(FILES / name)) as ole:
        return bytearray(ole.openstream("Workbook").read())


def test_an_xls_autofilter_without_a_criterion_filters_nothing():
    """The filtered file with its FILTERMODE record (a criterion is on) made another: the autofilter's
    rows are there, its hidden rows are hidden by hand (the test above held only a file with no
    autofilter at all)."""
    from edgescreen.biff import _FILTERMODE, _records, _rows_of

    data = _stream("filtered-by-libreoffice.xls")
    at = next(pos for kind, pos, _ in _records(bytes(data), 0) if kind == _FILTERMODE) - 4
    data[at:at + 2] = (0x00FF).to_bytes(2, "little")  # a record no reader knows, its length kept
    rows = _rows_of(bytes(data))["合隆镇"]
    assert (rows.hidden, rows.filter_rows) == (HIDDEN, None)


def test_a_biff5_stream_gives_no_rows():
    """An Excel 95 workbook (BOF version 0x0500) is not followed: its rows are read, unsaid."""
    from edgescreen.biff import _rows_of

    data = _stream("filtered-by-libreoffice.xls")
    assert _rows_of(bytes(data))  # BIFF8 as written
    data[4:6] = (0x0500).to_bytes(2, "little")
    assert _rows_of(bytes(data)) == {}


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def test_error_cells_of_an_xls_stream_are_found_as_excel_writes_them():
    """Excel writes an error typed into a cell (#N/A) as a BOOLERR record, and a formula's error
    result in its FORMULA record (FormulaValue 2 … 0xFFFF); calamine reads both as blanks. The other
    records of a cell (a number, a BOOLERR holding TRUE) are no error."""
    name = "合隆镇".encode("utf-16-le")
    sheet = (_record(0x0809, struct.pack("<HH", 0x0600, 0x0010) + bytes(12))
             + _record(0x0205, struct.pack("<HHHBB", 4, 18, 15, 0x2A, 1))  # S5: #N/A typed
             + _record(0x0205, struct.pack("<HHHBB", 5, 18, 15, 1, 0))  # S6: TRUE
             + _record(0x0006, struct.pack("<HHH", 6, 9, 15) + bytes([2, 0, 0x0F, 0, 0, 0, 0xFF, 0xFF])
                       + bytes(6))  # J7: a formula's #VALUE!
             + _record(0x0006, struct.pack("<HHHd", 7, 9, 15, 1200.0) + bytes(6))  # J8: a formula's 1200
             + _record(0x000A, b""))
    globals_ = _record(0x0809, struct.pack("<HH", 0x0600, 0x0005) + bytes(12))
    boundsheet_size = 4 + 8 + len(name)
    start = len(globals_) + boundsheet_size + 4
    stream = (globals_ + _record(0x0085, struct.pack("<IBBBB", start, 0, 0, len("合隆镇"), 1) + name)
              + _record(0x000A, b"") + sheet)
    assert biff._rows_of(stream) == {"合隆镇": biff.XlsRows(errors={(5, 18): "#N/A", (7, 9): "#VALUE!"})}
