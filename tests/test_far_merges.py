"""A column merged from the first household down to the sheet's last row (1,048,576), as a county
shows one village for the whole table.

From an outside try: an .ods of 8 households whose 行政村 was merged so, the cells under the merge
keeping the village typed down the column (LibreOffice's "keep the contents of the hidden cells"),
took 2.3 GB: calamine builds a row for every covered cell that holds a value, a million rows of 23
columns, copied again by get_sheet_by_name and by to_python. Nothing below the households shows, so
those rows are left out of what calamine is handed (workbook.ods_trimmed_copy); the merge still
gives each household its village."""

from __future__ import annotations

import zipfile
from pathlib import Path

from field_builders import households, ods_with_merged_cells
from field_checks import ledger, screen
from survey_builders import HEADERS
from edgescreen.workbook import parse_workbook

LAST_ROW = 1_048_576
VILLAGE = HEADERS.index("行政村")


def ods_merged_to_the_end(path: Path, n: int = 8) -> Path:
    """ods_with_merged_cells of `n` households of 前岗村, its 行政村 merged from row 2 to the sheet's
    last row; the covered cells keep 前岗村, the rows below the households written as one row element
    repeated (LibreOffice's own form for identical rows): a small file."""
    ods_with_merged_cells(path, {"前岗村": households(n)})
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    xml = members["content.xml"].decode("utf-8")
    xml = xml.replace(f'table:number-rows-spanned="{n}"><text:p>前岗村', f'table:number-rows-spanned="{LAST_ROW - 1}">'
                      "<text:p>前岗村", 1)
    kept = ('<table:covered-table-cell office:value-type="string"><text:p>前岗村</text:p>'
            "</table:covered-table-cell>")
    # The households' own cells under the village (beside those under 乡(镇), merged over the 8 alone).
    covered = "<table:covered-table-cell/>"
    xml = xml.replace(covered * 2, covered + kept)
    below = (f'<table:table-row table:number-rows-repeated="{LAST_ROW - 1 - n}"><table:table-cell '
             f'table:number-columns-repeated="{VILLAGE}"/>{kept}</table:table-row>')
    tail = xml.rindex("<table:table-row")
    xml = xml[:tail] + below + "</table:table>" + xml[xml.index("</table:table>", tail) + len("</table:table>"):]
    members["content.xml"] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def test_an_ods_merge_to_the_sheets_end_reads_its_households_without_a_million_rows(tmp_path):
    path = ods_merged_to_the_end(tmp_path / "合隆镇.ods")
    parsed = parse_workbook(path)
    sheet = parsed.sheets[0].sheet
    # The header and the 8 households: no row past them is built (before: 1,048,576 rows of 23 cells).
    assert (sheet.height, sheet.width) == (9, len(HEADERS))
    assert ((1, VILLAGE), (LAST_ROW - 1, VILLAGE)) in parsed.merges_of(parsed.sheets[0])

    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["row"]) == [str(r) for r in range(2, 10)]
    assert list(led["village"]) == ["前岗村"] * 8 and list(led["township"]) == ["合隆镇"] * 8
    assert set(led["status"]) == {"candidate"}, result.output
    said = "".join(result.output.split())
    assert "第10行到第1,048,576行只有合并单元格盖住的内容(合并到了表底):不是农户,没有读入" in said, result.output


def test_an_ods_is_not_parsed_whole_to_learn_whether_it_is_a_request_list(tmp_path, monkeypatch):
    """The same try: with the rows trimmed, the run still took 830 MB, all of it from asking whether
    the survey was edgescreen's 信息比对申请名单: calamine parsed every sheet of the .ods to give their
    names. The names come from content.xml now, streamed."""
    import python_calamine

    from edgescreen.inputs import _ods_names_sheet, is_request_list

    path = ods_merged_to_the_end(tmp_path / "合隆镇.ods")
    opened = []
    real = python_calamine.CalamineWorkbook.from_path
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        staticmethod(lambda p, *a, **k: opened.append(p) or real(p, *a, **k)))
    assert not is_request_list(path) and opened == []
    # A sheet named so, in either quote, is found (then read for its identity as before).
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("content.xml").decode("utf-8")
    for quote in "\"'":
        named = tmp_path / f"named{ord(quote)}.ods"
        with zipfile.ZipFile(named, "w") as zf:
            zf.writestr("content.xml", xml.replace("<table:table ", f"<table:table table:name={quote}edgescreen{quote} ", 1))
        assert _ods_names_sheet(named, "edgescreen", chunk=7)
    assert not _ods_names_sheet(path, "edgescreen", chunk=7)
