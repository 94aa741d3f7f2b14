"""Workbooks in the structures real offices' programs save, which the scan of the sheet XML must
follow as it follows the ordinary form: Strict Open XML (Excel's 另存为 → Strict Open XML 电子表格),
attributes in single quotes, rows and cells without r="…" references. Found by an outside try: in
each, a 低保户 whose 是否低保户 was #N/A became a candidate and `check` said nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from field_builders import _edit_zip, workbook_with_error_values
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()

SHEET = "xl/worksheets/sheet1.xml"
_STRICT = [("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main"),
           ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
            "http://purl.oclc.org/ooxml/officeDocument/relationships")]
FAR_CELL = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>{}</t></is></c></row></sheetData>'


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _strict(name: str, text: str) -> str:
    if name == "[Content_Types].xml":
        return text
    for transitional, strict in _STRICT:
        text = text.replace(transitional, strict)
    return text.replace("<workbook ", '<workbook conformance="strict" ', 1) if name == "xl/workbook.xml" else text


def _single_quoted(name: str, text: str) -> str:
    if name != SHEET:
        return text
    return re.sub(r"<(?:c|row|dimension)\b[^>]*>", lambda m: re.sub(r'="([^"]*)"', r"='\1'", m.group(0)), text)


def _without_references(name: str, text: str) -> str:
    """Every row's r="…" dropped, and each cell's that follows the one before it (as the standard
    allows: the position says it)."""
    if name != SHEET:
        return text

    def row(m: re.Match) -> str:
        last = [-1]

        def cell(c: re.Match) -> str:
            letters = c.group(1)
            index = sum((ord(ch) - 64) * 26 ** k for k, ch in enumerate(reversed(letters))) - 1
            follows, last[0] = index == last[0] + 1, index
            return "<c" if follows else c.group(0)

        return re.sub(r'<c r="([A-Z]+)[0-9]+"', cell, re.sub(r'^<row r="[0-9]+"', "<row", m.group(0)))

    return re.sub(r"<row\b.*?</row>", row, text, flags=re.S)


FORMS = {"strict": _strict, "single-quotes": _single_quoted, "no-references": _without_references}


def _survey(path: Path, form: str, far: str | None = None) -> Path:
    """workbook_with_error_values (S2 #N/A, J3 #VALUE!, E4 #REF!, W5 #N/A), row 6 hidden, and
    optionally a stray cell holding `far` at XFD1048576; then written in `form`."""
    workbook_with_error_values(path)

    def edit(name: str, data: bytes) -> bytes:
        if not (name.endswith(".xml") or name.endswith(".rels")):
            return data
        text = data.decode("utf-8")
        if name == SHEET:
            assert '<row r="6"' in text
            text = text.replace('<row r="6"', '<row r="6" hidden="1"', 1)
            if far is not None:
                text = text.replace("</sheetData>", FAR_CELL.format(far), 1)
        changed = FORMS[form](name, text)
        assert changed != text or not (name == SHEET or form == "strict" and name == "xl/workbook.xml")
        return changed.encode("utf-8")

    return _edit_zip(path, edit)


@pytest.mark.parametrize("form", list(FORMS))
def test_error_values_and_hidden_rows_are_found_in_every_form(tmp_path, form):
    path = _survey(tmp_path / f"{form}.xlsx", form)
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["invalid", "invalid", "invalid", "candidate",
                                                                  "candidate"]
    found = read_issues(out / "issues.csv")
    errors = found[found["code"] == "error_value"]
    assert list(zip(errors["cell"], errors["value"])) == [("S2", "#N/A"), ("J3", "#VALUE!"), ("E4", "#REF!")]
    facts = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert facts["inputs"][0]["sheets"][0]["hidden_rows"] == 1
    said = " ".join(result.output.split())
    assert "有 3 个单元格是 Excel 的错误值" in said, said


@pytest.mark.parametrize("form", ["strict", "single-quotes"])
def test_a_far_cell_with_content_is_refused_by_its_address_in_every_form(tmp_path, form):
    # It used to abort the process: calamine asked for 512 GB for the grid.
    path = _survey(tmp_path / f"{form}.xlsx", form, far=".")
    result = run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "工作表「合隆镇」:单元格XFD1048576有内容「.」,离表格其余内容太远" in said, said


def test_a_sheet_in_a_rare_form_with_only_a_blank_far_cell_is_refused_not_read_blind(tmp_path):
    # The ordinary form drops a far blank cell from a copy (read sparse); that copy's regexes do not
    # follow single quotes, so the sheet is refused with what to do.
    path = _survey(tmp_path / "quoted.xlsx", "single-quotes", far=" ")
    result = run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "quoted.xlsx工作表「合隆镇」:内部写法特殊" in said and "另存为普通的.xlsx(Excel工作簿)" in said, said


def test_a_workbook_whose_sheets_the_scan_cannot_find_is_refused(tmp_path):
    # A relationship the scan does not follow (an unknown namespace on r:id) while calamine reads the
    # sheet by its order: refused, not read without a look for error values.
    path = _survey(tmp_path / "odd.xlsx", "strict")
    _edit_zip(path, lambda name, data: data.replace(b"purl.oclc.org/ooxml/officeDocument/relationships\"",
                                                     b"example.com/relationships\"")
              if name == "xl/workbook.xml" else data)
    result = run("check", path, "-o", tmp_path / "out")
    if result.exit_code == 2 and "无法作为工作簿读取" in "".join(result.output.split()):
        pytest.skip("calamine does not read it either")
    assert result.exit_code == 2, result.output
    assert "odd.xlsx:这个工作簿的内部写法特殊" in "".join(result.output.split()), result.output


assert pd  # the frames above are pandas'


# ---------------------------------------------------------------------------------------------
# An .xls with a stray cell at IV65536: calamine builds every sheet's grid as it opens the file


FILES = Path(__file__).parent / "files"


def _xls_with_far_cell(path: Path) -> Path:
    """LibreOffice's .xls of tests/files (error values) with the last text cell of its first sheet
    moved to IV65536 and its DIMENSIONS claiming the whole sheet, as a stray '.' typed there leaves
    it. Patched in place: every record keeps its length."""
    import shutil
    import struct

    import olefile

    shutil.copy(FILES / "error-values-by-libreoffice.xls", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        pos, sheet_bof, last_text = 0, 0, None
        while pos + 4 <= len(data):
            kind, size = struct.unpack_from("<HH", data, pos)
            if kind == 0x0809 and pos > 0 and not sheet_bof:
                sheet_bof = pos
            elif sheet_bof and kind == 0x0200:  # DIMENSIONS
                struct.pack_into("<IIHH", data, pos + 4, 0, 65536, 0, 256)
            elif sheet_bof and kind == 0x00FD:  # LABELSST
                last_text = pos
            elif sheet_bof and kind == 0x000A:  # the first sheet's EOF
                break
            pos += 4 + size
        struct.pack_into("<HH", data, last_text + 4, 65535, 255)
        ole.write_stream("Workbook", bytes(data))
    return path


def test_a_far_cell_in_an_xls_is_refused_before_calamine_builds_its_grid(tmp_path):
    # It took 38-77 s and 9.5 GB for six village sheets (1.4 GB for one), the .xlsx 2 s.
    import resource

    path = _xls_with_far_cell(tmp_path / "合隆镇.xls")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "合隆镇.xls工作表「" in said and "单元格IV65536有内容「" in said and "离表格其余内容太远" in said, said
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown < 400_000, f"{grown} kB"  # the grid of IV65536 alone is some 1.4 GB


def test_an_xls_whose_dimensions_only_claim_the_whole_sheet_is_read(tmp_path):
    # DIMENSIONS A1:IV65536 with the cells in the table (report exporters, formatting the whole sheet).
    import struct

    import olefile

    path = _xls_with_far_cell(tmp_path / "dims.xls")
    with olefile.OleFileIO(str(FILES / "error-values-by-libreoffice.xls")) as ole:
        original = ole.openstream("Workbook").read()
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        # the moved cell put back where it was: only the claim stays
        for pos in range(len(data) - 8):
            if data[pos:pos + 2] == b"\xfd\x00" and data[pos + 4:pos + 8] == struct.pack("<HH", 65535, 255):
                data[pos + 4:pos + 8] = original[pos + 4:pos + 8]
        ole.write_stream("Workbook", bytes(data))
    result = run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 1, result.output  # the error values, as ever
    assert "离表格其余内容太远" not in "".join(result.output.split())


# ---------------------------------------------------------------------------------------------
# An .ods with a stray cell at AMJ1048576: past the reading library's limit on cells

_ODS_FAR_ROW = ('<table:table-row><table:table-cell table:number-columns-repeated="1023"/><table:table-cell '
                'office:value-type="string"><text:p>备</text:p></table:table-cell></table:table-row></table:table>')


def _far_ods_content(xml: str) -> str:
    """The first sheet's last row, LibreOffice's empty rows repeated to row 1048576, made one fewer,
    and '备' typed at AMJ1048576."""
    end = xml.index("</table:table>")
    repeats = list(re.finditer(r'table:number-rows-repeated="([0-9]+)"', xml[:end]))[-1]
    xml = xml[:repeats.start(1)] + str(int(repeats.group(1)) - 1) + xml[repeats.end(1):]
    return xml.replace("</table:table>", _ODS_FAR_ROW, 1)


def test_a_far_cell_in_an_ods_is_named_not_called_damage(tmp_path):
    import shutil

    path = shutil.copy(FILES / "error-values-by-libreoffice.ods", tmp_path / "合隆镇.ods")
    _edit_zip(path, lambda name, data: _far_ods_content(data.decode("utf-8")).encode("utf-8")
              if name == "content.xml" else data)
    result = run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "文件可能已损坏" not in said, said
    assert re.search(r"合隆镇\.ods工作表「[^」]+」:单元格AMJ1048576有内容「备」,离表格其余内容太远", said), said


def test_empty_styled_rows_to_the_sheets_end_are_no_reach(tmp_path):
    """From an outside try: a township's 12 village sheets copied from a template whose rows were
    formatted down to row 1,048,576 (<row r="…" s="1" customFormat="1"/>, no cell) took 58 s and 4.5 GB
    for 48 households: each empty row element counted as the sheet's reach, so every sheet was copied
    sparse. calamine gives such rows nothing; a row with a cell still counts."""
    import zipfile

    from survey_builders import household, write_workbook
    from edgescreen.workbook import scan_reach

    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(), household(户主姓名="李四")])
    tail = "".join(f'<row r="{r}" s="1" customFormat="1" spans="1:26"/>' for r in range(10, 200_001, 7))
    _edit_zip(path, lambda name, data: data.replace(b"</sheetData>", tail.encode() + b"</sheetData>")
              if name.startswith("xl/worksheets/") else data)
    with zipfile.ZipFile(path) as zf:
        part = next(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))
        assert scan_reach(zf, part).last_row < 10
    _edit_zip(path, lambda name, data: data.replace(b"</sheetData>", b'<row r="150000"><c r="A150000" s="1"/></row></sheetData>')
              if name.startswith("xl/worksheets/") else data)
    with zipfile.ZipFile(path) as zf:
        assert scan_reach(zf, part).last_row == 150_000
