"""Nothing from the input runs as a formula, in any xlsx or csv output; IDs are text, money and counts
numbers; masking as a village sees it."""

from __future__ import annotations

import csv
import re
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.privacy import csv_safe, mask_id, mask_in_text, mask_phone
from edgescreen.outputs.xlsx import new_workbook, write_cells
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()
HOSTILE = {
    "户主姓名": '=HYPERLINK("http://example.com","x")',
    "村民小组": "@SUM(1+1)",
    "主要困难": "+cmd|' /C calc'!A0",
    "备注": "-2+3",
}


@pytest.mark.parametrize("value, written", [
    ("=1+1", "'=1+1"), ("+86 138", "'+86 138"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-2+3", "'-2+3"), ("-1,200", "'-1,200"),
    ("-5", "-5"), ("-12.50", "-12.50"), ("张三", "张三"), ("a=b", "a=b"), ("", ""),
])
def test_csv_safe(value, written):
    assert csv_safe(pd.Series([value])).iloc[0] == written


def test_csv_safe_blank():
    assert csv_safe(pd.Series([None, pd.NA], dtype=object)).tolist() == ["", ""]


def test_masks():
    assert mask_id(pd.Series(["220122197001010019", "22012219700101001X", "12345", None])).tolist() == \
        ["220122********0019", "220122********001X", "*****", ""]
    assert mask_phone(pd.Series(["13812345678", "0431-84561234", "12345", None])).tolist() == \
        ["138****5678", "043*****1234", "*****", ""]  # a star per hidden digit, as in a text (mask_in_text)


@pytest.mark.parametrize("text, masked", [
    ("身份证号为「220122197001010019」:校验位不正确", "身份证号为「220122********0019」:校验位不正确"),
    ("「22012219700101001x」", "「220122********001x」"),
    ("15位 220122700101001 旧号", "15位 220122*****1001 旧号"),  # a star per hidden digit: 15 stay 15
    ("电话「13812345678」", "电话「138****5678」"),
    ("第492行 M列 为 10000,相差超过 1 元", "第492行 M列 为 10000,相差超过 1 元"),
    ("「2201221970010100190」应为18位", "「220122*********0190」应为18位"),  # a mistyped ID, 19 digits
    ("账号 6228480012345678901", "账号 622848*********8901"),  # a bank account
    ("编号 22012219700101", "编号 22012219700101"),  # 14 digits: not ID-shaped, left as it is
])
def test_mask_in_text(text, masked):
    assert mask_in_text(pd.Series([text])).iloc[0] == masked


def test_write_cells_numbers_text_and_blanks(tmp_path):
    path = tmp_path / "t.xlsx"
    book = new_workbook(path)
    ws = book.add_worksheet()
    write_cells(ws, 0, 0, ["=1+1", 3, 2.5, np.int64(7), float("nan"), pd.NA, None, "220122197001010019",
                           "http://example.com", "0012"])
    book.close()
    cells = openpyxl.load_workbook(path).active[1]
    assert [c.data_type for c in cells[:4]] == ["s", "n", "n", "n"]
    assert cells[0].value == "=1+1"
    assert [c.value for c in cells[4:7]] == [None, None, None]
    assert cells[7].value == "220122197001010019" and cells[7].data_type == "s"
    assert cells[9].value == "0012" and cells[9].data_type == "s", "strings never become numbers"
    with zipfile.ZipFile(path) as z:
        assert "<hyperlink" not in z.read("xl/worksheets/sheet1.xml").decode()


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("safe")
    rows = [household(**{**HOSTILE, "工资性收入": 10000}),               # candidate
            household(**{**HOSTILE, "工资性收入": 6000}),                # below the line
            household(**{**HOSTILE, "工资性收入": "=1+1"}),              # invalid, the value quoted in messages
            household(**{"行政村": "=1+1村", "户主姓名": "@王", "工资性收入": 10000})]
    path = write_workbook(tmp / "survey.xlsx", rows)
    target = tmp / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(target), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    return target


def test_no_formula_in_any_workbook(out):
    books = sorted(out.rglob("*.xlsx"))
    assert len(books) >= 5
    seen = set()
    for path in books:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    assert not re.search(r"<f[ >]", z.read(name).decode("utf-8")), (path.name, name)
        for ws in openpyxl.load_workbook(path):
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (path.name, ws.title, c.coordinate)
                    if isinstance(c.value, str):
                        seen.update(v for v in HOSTILE.values() if v in c.value)
    assert {HOSTILE["户主姓名"], HOSTILE["村民小组"]} <= seen, "the hostile text comes out as text"
    village = openpyxl.load_workbook(out / "villages" / "合隆镇-=1+1村.xlsx").active
    assert village["A1"].value == "合隆镇=1+1村贫困边缘户初选名单"


def test_no_formula_in_any_csv(out):
    risky = re.compile(r"^[=+\-@\t\r]")
    plain_number = re.compile(r"^-?\d+(\.\d+)?$")
    checked = 0
    for path in sorted(out.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.reader(fh):
                for value in row:
                    checked += 1
                    assert not risky.match(value) or plain_number.match(value), (path.name, value)
    assert checked > 50
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[0, "head_name"] == "'" + HOSTILE["户主姓名"]
    assert ledger.loc[3, "village"] == "'=1+1村"


def test_ids_text_money_and_counts_numbers(out):
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx").active
    row = ws[5]
    assert row[3].data_type == "s" and row[3].value.startswith("220122********")
    assert row[4].data_type == "n" and row[5].data_type == "n" and row[0].data_type == "n"


def _colour(font) -> str | None:
    return font.color.rgb if font.color is not None and isinstance(font.color.rgb, str) else None


def test_write_table_column_by_column_writes_what_write_cells_writes_cell_by_cell(tmp_path):
    """write_table decides number-or-text once per column and makes its records' rows as sheet XML
    (xlsx.TableSheet): read back, they are what write_cells, deciding cell by cell through
    xlsxwriter, writes, from a DataFrame or from ColumnLists sliced, with the rows xlsxwriter writes
    above and below them in place."""
    from edgescreen.catalogue import messages
    from edgescreen.outputs.xlsx import Column, ColumnLists, cell_formats, write_table

    frame = pd.DataFrame({
        "head_name": ["=1+1", "张三", "@王", " 0012", "a<b & c>d"],                # text, XML's own characters
        "residents": pd.array([3, None, 1, 2, 0.5], dtype="Float64"),            # numbers and a blank
        "row": np.array([5, 6, 7, 8, 12345678901]),                              # numbers
        "group": pd.array(["一组", None, "=A1", "", "二组\n三组"], dtype="string"),  # text and a blank
        "risk": np.array([True, False, True, False, True]),                      # True/False as text
        "notes": pd.Series(["a", 3, None, 2.5, np.int64(4)], dtype=object),      # decided per cell
        "status": ["invalid", "candidate", "invalid", "x", "candidate"],          # formats by value
    })
    # The last column is not in the frame: written blank, for the meeting.
    columns = [Column("head_name", 12, "cell"), Column("residents", 9, "int"), Column("row", 7, "int"),
               Column("group", 10, "wrap"), Column("risk", 16, "cell"), Column("notes", 20, "cell"),
               Column("status", 10, "cell", {"invalid": "error"}), Column("review_result", 22, "cell")]
    keys = [c.key for c in columns]
    heights = [24, 30, 24, 45.5, 24]

    def read_back(name, write):
        """Every cell of the sheet as (value, type, font, bold, colour, border, wrap, number format),
        an empty text as a blank, and the records' rows' heights to the pixel xlsxwriter rounds to."""
        book = new_workbook(tmp_path / name)
        ws = book.add_worksheet()
        formats = cell_formats(book, "zh")
        ws.write_string(0, 0, "表头之上", formats["title"])
        write(ws, formats)
        ws.write_string(7, 1, "表下", formats["note"])
        book.close()
        sheet = openpyxl.load_workbook(tmp_path / name).active
        cells = {c.coordinate: (None if c.value == "" else c.value, "n" if c.value in ("", None) else c.data_type,
                                c.font.name, c.font.b, _colour(c.font), c.border.left.style, c.alignment.wrap_text,
                                c.number_format)
                 for row in sheet.iter_rows() for c in row if c.has_style or c.value is not None}
        return cells, [round((sheet.row_dimensions[r].height or 0) / 0.75) for r in range(3, 10)]

    def cell_by_cell(ws, formats):
        write_cells(ws, 1, 0, [messages().labels[key]("zh") for key in keys], formats["header"])
        for i, record in enumerate(frame.assign(review_result=None)[keys].itertuples(index=False)):
            fmts = [formats[c.fmt] for c in columns]
            if record.status == "invalid":
                fmts[keys.index("status")] = formats["error"]
            write_cells(ws, 2 + i, 0, list(record), fmts)
            ws.set_row(2 + i, heights[i])

    expected = read_back("cells.xlsx", cell_by_cell)
    frame_written = read_back("frame.xlsx", lambda ws, f: write_table(ws, 1, columns, frame, f, "zh", heights=heights))
    assert frame_written == expected
    table = ColumnLists.of(pd.concat([frame.iloc[:1], frame]), keys)
    assert len(table[1:]) == len(frame)
    assert read_back("lists.xlsx", lambda ws, f: write_table(ws, 1, columns, table[1:], f, "zh",
                                                             heights=heights)) == expected
    cells = openpyxl.load_workbook(tmp_path / "lists.xlsx").active
    assert [c.data_type for c in cells[3]][:6] == ["s", "n", "n", "s", "s", "s"]
    assert cells["A3"].value == "=1+1" and cells["A6"].value == " 0012" and cells["A7"].value == "a<b & c>d"
    assert cells["B4"].value is None and cells["D4"].value is None and cells["D7"].value == "二组\n三组"
    assert cells["E3"].value == "True" and cells["F4"].value == 3 and cells["F5"].value is None
    assert cells["C7"].value == 12345678901 and cells["B7"].value == 0.5
    assert _colour(cells["G3"].font) != _colour(cells["G4"].font), "an error in its own format"
    assert cells.row_dimensions[6].height == 45.5 and cells["B8"].value == "表下"


def test_a_table_and_a_cell_written_into_its_rows_are_refused(tmp_path):
    """Two writers of one row would make a sheet Excel repairs: the workbook is not written."""
    from edgescreen.outputs.xlsx import cell_formats, write_table

    book = new_workbook(tmp_path / "twice.xlsx")
    ws = book.add_worksheet()
    write_table(ws, 0, [("head_name", 12, "cell")], pd.DataFrame({"head_name": ["张三", "李四"]}),
                cell_formats(book, "zh"), "zh")
    ws.write_string(2, 3, "又一格")
    with pytest.raises(RuntimeError, match="written twice"):
        book.close()


def test_a_villages_rows_are_a_view_on_the_runs_lists_and_travel_with_them_once():
    # table[start:stop] copies nothing until its column is asked for; the views of one table sent
    # to the helper together (one pickled message) carry the table's lists once, not a whole table
    # per view.
    import pickle

    from edgescreen.outputs.xlsx import ColumnLists

    names = [f"户主{i}" for i in range(10_000)]
    table = ColumnLists.of(pd.DataFrame({"head_name": names, "residents": np.arange(10_000) % 6}))
    village = table[2_000:2_500]
    assert village.columns is table.columns  # nothing copied by the slice
    assert len(village) == 500 and village.column("head_name") == names[2_000:2_500]
    assert village[10:20].column("residents") == [float(v % 6) for v in range(2_010, 2_020)]
    assert village[490:600].column("head_name") == names[2_490:2_500]  # a view ends where its rows do
    assert village.column("not_there") == [None] * 500
    assert len(table[9_990:20_000]) == 10 and len(table[5:5]) == 0
    views = [table[i:i + 100] for i in range(0, 10_000, 100)]
    together = len(pickle.dumps(views))
    assert together < 1.5 * len(pickle.dumps(table))
    back = pickle.loads(pickle.dumps(views))
    assert back[37].column("head_name") == names[3_700:3_800]
