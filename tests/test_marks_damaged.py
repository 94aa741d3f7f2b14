"""What a damaged or odd mark must not take away (an outside try, 2026-12-06): a comments part whose
bytes are damaged stopped the whole scan of the sheet, and with it the hidden rows, formulas and error
values it finds (a household with #N/A decided 低于贫困标准 instead of 数据有误); strike val="off" is not struck;
a 删除户 sheet copied from the live one is told to delete the households there too."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.marks import struck_styles
from field_builders import households
from field_checks import issues, ledger
from survey_builders import HEADERS

runner = CliRunner()


def _survey(path: Path, sheets: dict[str, list[dict]], *, comment: bool = False, hidden: int | None = None,
            error_at: int | None = None) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, records in sheets.items():
        ws = wb.create_sheet(name)
        for c, header in enumerate(HEADERS, start=1):
            ws.cell(1, c, header)
        for r, record in enumerate(records, start=2):
            for c, header in enumerate(HEADERS, start=1):
                if record.get(header, "") != "":
                    ws.cell(r, c, record[header])
        if comment:
            ws.cell(2, HEADERS.index("工资性收入") + 1).comment = Comment("实际 13199", "乡扶贫站")
        if hidden:
            ws.row_dimensions[hidden].hidden = True
        if error_at:  # a formula without a saved value (openpyxl saves none): the scan finds it
            ws.cell(error_at, HEADERS.index("工资性收入") + 1).value = "=1+1"
    wb.save(path)
    return path


def _damage(path: Path, member: str) -> None:
    """One byte of the member's compressed data flipped: reading it fails its CRC or its inflate."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_comments_part_leaves_the_hidden_rows_and_formulas_said(tmp_path):
    path = _survey(tmp_path / "合隆镇.xlsx", {"合隆镇": households(4)}, comment=True, hidden=4, error_at=5)
    with zipfile.ZipFile(path) as zf:
        part = next(n for n in zf.namelist() if "comments" in n.lower() and n.endswith(".xml"))
    _damage(path, part)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    found = issues(out)
    assert "cell_has_comment" not in set(found["code"])  # its comments unread, nothing else lost
    assert list(found.loc[found["code"] == "formula_not_calculated", "row"].astype(int)) == [5], found[["row", "code"]]
    decided = ledger(out).set_index(ledger(out)["row"].astype(int))
    assert decided.loc[5, "status"] == "invalid" and len(decided) == 4
    assert "1户在隐藏的行上(第4行),已照常读入" in "".join(result.output.split()), result.output


def test_strike_off_is_no_strike():
    styles = (b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b'<fonts count="3"><font/><font><strike val="off"/></font><font><strike/></font></fonts>'
              b'<cellXfs count="3"><xf fontId="0"/><xf fontId="1"/><xf fontId="2"/></cellXfs></styleSheet>')
    assert struck_styles(styles) == frozenset({2})


def test_a_removed_sheet_copied_from_the_live_one_says_to_delete_them_there_too(tmp_path):
    live = households(4)
    path = _survey(tmp_path / "合隆镇.xlsx", {"合隆镇": live, "删除户": live[1:3]})
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), "--as-of", "2020-06-30"])
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "表名有「删除户」,像是删除、迁出或作废的农户" in said, said
    assert "请在工作表「合隆镇」中删去这2户的行" in said, said


def test_a_sheet_struck_through_whole_is_said_once_as_the_sheets_format(tmp_path):
    from test_marks import _struck_survey

    records = households(40)
    path = _struck_survey(tmp_path / "合隆镇.xlsx", records, {i: None for i in range(len(records))})
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    said = "".join(result.output.split())
    assert "行划了删除线40行,占本表40户的100%" in said, said
    assert "本表大多数行都划了删除线:多半是整张表设成了删除线格式" in said, said
