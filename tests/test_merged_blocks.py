"""Text across merged cells (xlsx.write_block): the merge's other cells carry the format only where
it draws on them (a border, a fill), so that a bordered block keeps its frame in every renderer and
a title writes no cells for nothing. And a small workbook packed in memory (new_workbook(small=True))
is its file once closed, however often it is closed."""

from __future__ import annotations

import re
import zipfile

from edgescreen.outputs.xlsx import cell_formats, new_workbook, write_block


def _cells(path, row: int) -> dict[str, str]:
    """The cells of a row of the first sheet as written: reference → its style index ('' for none)."""
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    found = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', xml)
    return {ref: style for ref, style in re.findall(r'<c r="([A-Z]+\d+)"(?: s="(\d+)")?', found.group(1))} \
        if found else {}


def test_a_bordered_block_frames_every_cell_and_a_title_writes_one(tmp_path):
    path = tmp_path / "blocks.xlsx"
    book = new_workbook(path, small=True)
    formats = cell_formats(book, "zh")
    ws = book.add_worksheet("名单")
    write_block(ws, 0, 0, 5, "合隆镇前岗村贫困边缘户初选名单", formats["title"], 30)
    write_block(ws, 1, 0, 5, "(无)", formats["center"])
    write_block(ws, 2, 0, 5, "表头", formats["header"])  # a fill and a border
    book.close()
    assert list(_cells(path, 1)) == ["A1"]
    assert list(_cells(path, 2)) == ["A2", "B2", "C2", "D2", "E2", "F2"]
    assert len(set(_cells(path, 2).values())) == 1  # each with the bordered format
    assert list(_cells(path, 3)) == ["A3", "B3", "C3", "D3", "E3", "F3"]
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert '<mergeCell ref="A1:F1"/>' in sheet and '<mergeCell ref="A2:F2"/>' in sheet


def test_a_small_workbook_is_its_file_once_closed_and_a_second_close_changes_nothing(tmp_path):
    path = tmp_path / "村.xlsx"
    book = new_workbook(path, fixed_scale=True, small=True)
    book.add_worksheet("名单").write_string(0, 0, "前岗村")
    assert not path.exists()  # packed in memory until closed
    book.close()
    written = path.read_bytes()
    book.close()
    assert path.read_bytes() == written
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert "前岗村" in zf.read("xl/sharedStrings.xml").decode("utf-8")
