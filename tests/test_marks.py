"""Rows a clerk struck through (删除线) and cells' comments (批注), said on their households (marks.py).

An outside try (2026-12-06): a township's workbook with five households "deleted" by striking their
rows had them read, decided and listed as 贫困边缘户候选 without a word, and its 合计, made without
them, was said to differ 「可能删过农户行」 without naming them; comments carrying the checked figure
(「实际 13199」 on a wage, 「2019年10月已纳入低保」 on 是否低保户) were never seen. Each is now a warning
on the household, which is decided on its cells as they are: every household in comes out once."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl import Workbook
from openpyxl.comments import Comment
from typer.testing import CliRunner

from edgescreen import runtime, workbook
from edgescreen.cli import app
from field_builders import _cell, households
from field_checks import issues, ledger
from survey_builders import HEADERS

runner = CliRunner()
AS_OF = "2020-06-30"
MONEY = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入", "家庭经营费用支出",
         "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出"]


def _struck_survey(path: Path, records: list[dict], struck: dict[int, list[str] | None], total: str | None = None,
                   comments: dict[tuple[int, str], str] | None = None) -> Path:
    """The households under a header on row 1 (the first on row 2), as xlsxwriter writes them: the
    cells of household i named in struck[i] (every filled one where None) in a font struck through;
    comments (household, header) → text. With `total` ("struck out" or "all"), a 合计 row below them
    summing the households' amounts and counts without the struck ones, or with every one."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    strike = book.add_format({"font_strikeout": True})
    for c, header in enumerate(HEADERS):
        ws.write_string(0, c, header)
    for i, record in enumerate(records):
        for c, header in enumerate(HEADERS):
            value = record.get(header, "")
            fmt = strike if i in struck and (struck[i] is None or header in struck[i]) else None
            _cell(ws, i + 1, c, value, fmt if value != "" else None)
        for (k, header), text in (comments or {}).items():
            if k == i:
                ws.write_comment(i + 1, HEADERS.index(header), text, {"author": "乡扶贫站"})
    if total is not None:
        counted = [r for i, r in enumerate(records) if total == "all" or i not in struck]
        row = len(records) + 1
        ws.write_string(row, 0, "合计")
        for header in ["家庭人口数", "家庭常住人口数", *MONEY]:
            ws.write_number(row, HEADERS.index(header), sum(r[header] for r in counted))
    book.close()
    return path


def _of(found, code: str):
    return found[found["code"] == code]


def test_a_struck_row_is_warned_on_its_head_and_decided_as_usual(tmp_path):
    records = households(5)
    # Row 3 struck whole; row 4 its head's name alone; row 5 one amount (a figure corrected, not a
    # household deleted): not said.
    path = _struck_survey(tmp_path / "合隆镇.xlsx", records, {1: None, 2: ["户主姓名"], 3: ["工资性收入"]})
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    decided = ledger(out)
    # Every household comes out once, the struck ones decided on their figures as the others are.
    assert decided["row"].astype(int).tolist() == [2, 3, 4, 5, 6]
    assert decided["status"].nunique() == 1
    found = _of(issues(out), "row_struck_through")
    assert found["row"].astype(int).tolist() == [3, 4]
    assert found["cell"].tolist() == ["E3", "E4"] and set(found["severity"]) == {"warning"}
    assert found["value"].tolist() == ["户主2", "户主3"]
    whole, head = found["message"].tolist()
    filled = int(re.search(r"填了的 (\d+) 格中有 (\d+) 格", whole).group(1))
    assert f"填了的 {filled} 格中有 {filled} 格" in whole and "划了删除线" in whole and "请从表中删去这一行" in whole
    assert f"填了的 {filled} 格中有 1 格" in head
    # No other household is said struck, nor any comment.
    assert _of(issues(out), "cell_has_comment").empty
    # The struck workbook decides as the same households without a struck font: the ledger byte for byte.
    plain = tmp_path / "plain"
    plain.mkdir()
    _struck_survey(plain / "合隆镇.xlsx", records, {})
    result = runner.invoke(app, ["screen", str(plain / "合隆镇.xlsx"), "-o", str(tmp_path / "plain-out"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert (out / "decisions.csv").read_bytes() == (tmp_path / "plain-out" / "decisions.csv").read_bytes()
    english = tmp_path / "en"
    result = runner.invoke(app, ["screen", str(path), "-o", str(english), "--as-of", AS_OF, "--lang", "en"])
    assert result.exit_code == 0, result.output
    message = _of(issues(english), "row_struck_through")["message"].iloc[0]
    assert f"struck through ({filled} of its {filled} filled cells)" in message


def test_a_total_made_without_the_struck_rows_names_them(tmp_path):
    records = households(6)
    for i, record in enumerate(records):  # figures that differ, so that each row's share can be told
        record.update({"工资性收入": 9000 + 100 * i, "家庭总收入": 9000 + 100 * i})
    path = _struck_survey(tmp_path / "合隆镇.xlsx", records, {1: None, 3: None}, total="struck out")
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "check"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    said = _squashed(result.output)
    assert _squashed("第 8 行「合计」与上方农户之和不符") in said
    assert _squashed("(差额正是第 3、5 行这 2 户:这几行划了删除线,合计没有算它们)") in said
    # A total that counts the struck rows too is their sum: nothing said of it.
    both = _struck_survey(tmp_path / "合计含.xlsx", records, {1: None, 3: None}, total="all")
    result = runner.invoke(app, ["check", str(both), "-o", str(tmp_path / "check2"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "与上方农户之和不符" not in _squashed(result.output)


def _squashed(text: str) -> str:
    """Text without white space: the terminal wraps its lines wherever they fill."""
    return re.sub(r"\s+", "", text)


def _commented_survey(path: Path, records: list[dict]) -> Path:
    """Two sheets as openpyxl writes them (a title on row 1, the header on row 2, a 序号 column the form
    does not read): comments on household cells, on the header and on the title, in Excel's way (the
    author's name first)."""
    wb = Workbook()
    first = wb.active
    first.title = "合隆镇"
    second = wb.create_sheet("后岗村")
    columns = ["序号", *HEADERS]
    for ws, rows in ((first, records[:4]), (second, records[4:])):
        ws.cell(1, 1, "合隆镇贫困边缘户入户登记表")
        for c, header in enumerate(columns, start=1):
            ws.cell(2, c, header)
        for r, record in enumerate(rows, start=3):
            ws.cell(r, 1, r - 2)
            for c, header in enumerate(HEADERS, start=2):
                if record.get(header, "") != "":
                    ws.cell(r, c, record[header])

    def note(ws, row: int, header: str, text: str) -> None:
        ws.cell(row, columns.index(header) + 1).comment = Comment(f"乡扶贫站:\n{text}", "乡扶贫站")

    note(first, 3, "工资性收入", "实际 13199")
    note(first, 4, "是否低保户", "2019年10月已纳入低保")
    note(first, 4, "序号", "此户待核")
    note(first, 5, "家庭常住人口数", "实际常住1人,儿子常年在外打工。" * 6)
    note(first, 2, "工资性收入", "含务工补贴")  # the header's: no household's
    first.cell(1, 1).comment = Comment("2019年12月版", "县扶贫办")  # the title's
    note(second, 3, "家庭经营收入", "核实后为12720元")
    wb.save(path)
    return path


def test_comments_on_household_cells_are_quoted_with_their_cell_and_the_cells_decide(tmp_path):
    records = households(6)
    path = _commented_survey(tmp_path / "批注.xlsx", records)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    found = _of(issues(out), "cell_has_comment")
    said = {(sheet, cell): message for sheet, cell, message in found[["sheet", "cell", "message"]].itertuples(index=False)}
    assert set(found["severity"]) == {"warning"}
    assert set(said) == {("合隆镇", "K3"), ("合隆镇", "T4"), ("合隆镇", "F4"), ("合隆镇", "J5"), ("后岗村", "L3")}
    assert said[("合隆镇", "K3")].startswith("第3行 K3 格有批注:「实际 13199」。筛查只按单元格里填的认定,不看批注")
    assert "「2019年10月已纳入低保」" in said[("合隆镇", "T4")]
    # A comment on a column the form does not read (序号) is said on the head's name, naming its cell.
    assert said[("合隆镇", "F4")].startswith("第4行 A4 格有批注:「此户待核」")
    long = re.search(r"「(.*)」", said[("合隆镇", "J5")]).group(1)
    assert len(long) == 60 + 1 and long.endswith("…")  # marks.COMMENT_SHOWN
    assert long.startswith("实际常住1人,儿子常年在外打工。")
    assert "「核实后为12720元」" in said[("后岗村", "L3")]
    assert not any("含务工补贴" in m or "2019年12月版" in m for m in said.values())
    # The households are decided on their cells: the wage as typed, not the comment's; the ledger is
    # byte for byte the same workbook's without its comments (a copy saved with them taken off).
    decided = ledger(out)
    assert len(decided) == 6 and decided["status"].nunique() == 1
    plain = tmp_path / "plain"
    plain.mkdir()
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                cell.comment = None
    book.save(plain / "批注.xlsx")
    result = runner.invoke(app, ["screen", str(plain / "批注.xlsx"), "-o", str(tmp_path / "plain-out"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert issues(tmp_path / "plain-out").query("code == 'cell_has_comment'").empty
    assert (out / "decisions.csv").read_bytes() == (tmp_path / "plain-out" / "decisions.csv").read_bytes()


def test_a_survey_scanned_by_the_helper_and_parsed_in_halves_says_the_same(tmp_path, monkeypatch):
    """The benchmark's path: the helper process scans the one sheet while this process parses its
    first half (workbook.scan_for_reader): the struck cells and comments come in its SheetScan."""
    records = households(80)
    path = _struck_survey(tmp_path / "合隆镇.xlsx", records, {2: None, 70: ["户主姓名"]},
                          comments={(5, "工资性收入"): "实际 13199", (75, "是否低保户"): "已纳入低保"})
    monkeypatch.setattr(workbook, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(workbook, "SPLIT_BYTES", 1)
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)
    split = []
    real_parse = workbook._parse_halves
    monkeypatch.setattr(workbook, "_parse_halves", lambda *a: split.append(a[0][1] is None) or real_parse(*a))
    args = ["screen", str(path), "--as-of", AS_OF]
    shared = runner.invoke(app, [*args, "-o", str(tmp_path / "shared")])
    assert shared.exit_code == 0, shared.output
    assert split == [True], "the helper made the second half"
    monkeypatch.setenv("EDGESCREEN_DEBUG", "1")  # everything in this process
    alone = runner.invoke(app, [*args, "-o", str(tmp_path / "alone")])
    assert alone.exit_code == 0, alone.output
    for out in ("shared", "alone"):
        found = issues(tmp_path / out)
        assert _of(found, "row_struck_through")["cell"].tolist() == ["E4", "E72"], out
        assert _of(found, "cell_has_comment")["cell"].tolist() == ["J7", "S77"], out
    assert (tmp_path / "shared" / "issues.csv").read_bytes() == (tmp_path / "alone" / "issues.csv").read_bytes()


def test_a_workbook_without_a_struck_font_or_comments_is_not_looked_at_for_them(tmp_path, monkeypatch):
    """The usual workbook costs one look at styles.xml and the zip's listing: no cell's format is looked at."""
    path = _struck_survey(tmp_path / "plain.xlsx", households(3), {})
    with zipfile.ZipFile(path) as zf:
        parts = workbook._book_parts(zf)
        assert (parts.struck_styles, parts.comments) == (frozenset(), {})
        assert parts.marks_of(parts.sheets["合隆镇"]) is None

    def looked(*_):
        raise AssertionError("looked for marks")

    monkeypatch.setattr(workbook, "struck_cells_in", looked)
    monkeypatch.setattr(workbook, "sheet_comments", lambda zf, wanted: looked() if wanted is not None else [])
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert len(ledger(tmp_path / "out")) == 3
