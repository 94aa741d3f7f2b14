"""Builders for the field files of issue 12: workbooks, text files and rules files made the way county
offices, their export systems and their PCs really make them. One function per kind of file, named
for what it builds; each writes into the path it is given and returns it.

Imported by name (`from field_builders import ...`), like survey_builders."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import xlsxwriter

from survey_builders import HEADERS, household, make_id

COUNTY = "县(市、区)"


def col(header: str, headers: list[str] = HEADERS) -> int:
    """0-based column of a header in `headers`."""
    return headers.index(header)


def households(n: int, first_serial: int = 1, **overrides) -> list[dict]:
    """n clean candidate households with distinct IDs and names (户主1, 户主2 …)."""
    return [household(**{"户主身份证号": make_id(serial=first_serial + i), "户主姓名": f"户主{first_serial + i}",
                         **overrides}) for i in range(n)]


def _cell(ws, r: int, c: int, value, fmt=None) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        ws.write_number(r, c, value, fmt)
    elif value is None or value == "":
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _record_row(ws, r: int, record: dict, headers: list[str] = HEADERS, skip=()) -> None:
    for c, h in enumerate(headers):
        if h not in skip:
            _cell(ws, r, c, record.get(h, ""))


def _records(ws, first_row: int, records: list[dict]) -> int:
    """The records one per row from `first_row`; returns the row after the last."""
    for r, record in enumerate(records, start=first_row):
        _record_row(ws, r, record)
    return first_row + len(records)


def _edit_zip(path: Path, edit) -> Path:
    """Rewrite the members of a zip (an .xlsx) through edit(name, bytes) → bytes, as someone editing
    the package by hand would."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, edit(info.filename, src.read(info)))
    tmp.replace(path)
    return path


def namespace_prefixed(xml: str) -> str:
    """A sheet's XML as .NET's OpenXML SDK writes it: every element under the prefix x: (<x:row>,
    <x:c>, <x:f>), the namespace declared for it."""
    xml = xml.replace(' xmlns="http://schemas', ' xmlns:x="http://schemas', 1)
    return re.sub(r"<(/?)(?![?x]:?)(?=[A-Za-z])", r"<\1x:", xml)


# ---------------------------------------------------------------------------------------------
# Workbooks laid out for printing


def workbook_with_merged_region_cells(path: Path, villages: dict[str, list[list[dict]]],
                                      township: str = "合隆镇") -> Path:
    """A printed county form: 乡(镇) merged down over every household, 行政村 merged over each
    village's households, 村民小组 over each group's, and 是否特困人员 (all 否) merged per village.
    `villages`: village → its groups → the households of each group. Only the top cell of each merge
    holds the value, as Excel stores it."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet(township)
    merged = book.add_format({"valign": "vcenter", "align": "center", "border": 1})
    ws.write_row(0, 0, HEADERS)
    region = (col("乡(镇)"), col("行政村"), col("村民小组"), col("是否特困人员"))
    r = 1
    first_row = r
    for village, groups in villages.items():
        village_first = r
        for group, members in zip(("一组", "二组", "三组", "四组"), groups):
            group_first = r
            for record in members:
                _record_row(ws, r, record, skip=[HEADERS[c] for c in region])
                r += 1
            ws.merge_range(group_first, region[2], r - 1, region[2], group, merged)
        ws.merge_range(village_first, region[1], r - 1, region[1], village, merged)
        ws.merge_range(village_first, region[3], r - 1, region[3], "否", merged)
    ws.merge_range(first_row, region[0], r - 1, region[0], township, merged)
    book.close()
    return path


def workbook_with_hidden_sheets(path: Path, current: list[dict], *, hidden: str | None = None,
                                very_hidden: str | None = None) -> Path:
    """The township's sheet, then an old copy of the same households on a hidden sheet (Excel's
    Hide) and/or on a very hidden one (set in the VBA editor, or by a program): what a clerk keeps
    as 合隆镇(旧) or 备份."""
    book = xlsxwriter.Workbook(str(path))
    sheets = [("合隆镇", None)] + [(name, state) for name, state in ((hidden, "hidden"), (very_hidden, "veryHidden"))
                                   if name]
    for name, state in sheets:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, HEADERS)
        for r, record in enumerate(current, start=1):
            _record_row(ws, r, record)
        if state:
            ws.hide()
    book.close()
    if very_hidden:
        # xlsxwriter can only hide; Excel's "very hidden" is state="veryHidden" in workbook.xml.
        mark = f'<sheet name="{very_hidden}" '.encode()

        def edit(name, data):
            if name != "xl/workbook.xml":
                return data
            at = data.index(mark)
            end = data.index(b"/>", at)
            return data[:at] + data[at:end].replace(b'state="hidden"', b'state="veryHidden"') + data[end:]

        _edit_zip(path, edit)
    return path


def workbook_with_hidden_rows(path: Path, records: list[dict], hidden: set[int]) -> Path:
    """Households on rows 2…; those at the 0-based positions in `hidden` are on hidden rows."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    for i, record in enumerate(records):
        _record_row(ws, i + 1, record)
        if i in hidden:
            ws.set_row(i + 1, None, None, {"hidden": True})
    book.close()
    return path


def workbook_with_filtered_rows(path: Path, records: list[dict], shown_village: str) -> Path:
    """An autofilter on 行政村 left set to one village: the other villages' rows are filtered out
    (hidden by the filter), as a clerk leaves the sheet after looking at one village."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    village = col("行政村")
    ws.autofilter(0, 0, len(records), len(HEADERS) - 1)
    ws.filter_column(village, f"x == {shown_village}")
    for i, record in enumerate(records):
        _record_row(ws, i + 1, record)
        if record["行政村"] != shown_village:
            ws.set_row(i + 1, None, None, {"hidden": True})
    book.close()
    return path


def workbook_with_repeated_header(path: Path, pages: list[list[dict]]) -> Path:
    """A multi-page export: the header row printed again at the top of every page's block of rows."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    r = 0
    for page in pages:
        ws.write_row(r, 0, HEADERS)
        r = _records(ws, r + 1, page)
    book.close()
    return path


def workbook_with_subtotal_rows(path: Path, villages: dict[str, list[dict]], label: str, column: str,
                                *, after: str) -> Path:
    """Households village by village, and a subtotal row labelled `label` in the column `column`,
    written after the households of village `after` (or at the very end for after='end'). The row
    carries the sums of residents, members and incomes, as a printed form's subtotal does."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    r = 1
    summed = ["家庭人口数", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入",
              "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出"]

    def subtotal(rows: list[dict]) -> None:
        nonlocal r
        ws.write_string(r, col(column), label)
        for h in summed:
            ws.write_number(r, col(h), sum(rec[h] for rec in rows))
        r += 1

    everyone: list[dict] = []
    for village, rows in villages.items():
        for record in rows:
            _record_row(ws, r, record)
            r += 1
        everyone += rows
        if village == after:
            subtotal(rows)
    if after == "end":
        subtotal(everyone)
    book.close()
    return path


def county_workbook_with_total_in_column_a(path: Path, n: int) -> Path:
    """A county-wide sheet: a title row, a header whose column A is 县(市、区), n households, and a
    last row with 合计 typed in column A and nothing else. Written in constant-memory mode, so a
    large n stays quick."""
    headers = [COUNTY] + HEADERS
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = book.add_worksheet("农安县")
    ws.write_string(0, 0, "农安县贫困边缘户入户登记表")
    ws.write_row(1, 0, headers)
    for i, record in enumerate(households(n)):
        _record_row(ws, i + 2, {**record, COUNTY: "农安县"}, headers)
    ws.write_string(n + 2, 0, "合计")
    book.close()
    return path


def workbook_with_uncalculated_formulas(path: Path, records: list[dict], formula_rows: set[int]) -> Path:
    """A workbook written by a program: the 工资性收入 of the households at the 0-based positions in
    `formula_rows` is a formula (=5000*2) whose saved value is xlsxwriter's default 0, and the
    workbook says fullCalcOnLoad (xlsxwriter always does): the values were never calculated."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    wage, total = col("工资性收入"), col("家庭总收入")
    for i, record in enumerate(records):
        _record_row(ws, i + 1, record)
        if i in formula_rows:
            ws.write_formula(i + 1, wage, "=5000*2")           # no value given: 0 is stored
            row = i + 2
            ws.write_formula(i + 1, total, f"=SUM(J{row}:M{row})")
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert b'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml")
    return path


def workbook_with_formulas_without_saved_value(path: Path, records: list[dict], formula_rows: set[int]) -> Path:
    """A workbook written by a script with openpyxl: the 工资性收入 of the households at the 0-based
    positions in `formula_rows` is a formula (=5000*2) with no saved value at all."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    for i, record in enumerate(records):
        ws.append([record.get(h, "") for h in HEADERS])
        if i in formula_rows:
            ws.cell(row=i + 2, column=col("工资性收入") + 1, value="=5000*2")
    book.save(path)
    return path


def workbook_with_stray_cell(path: Path, records: list[dict], row: int, column: int) -> Path:
    """A few households and one stray space at (row, column), 0-based: XFD1048576 is (1048575, 16383),
    W1048576 is (1048575, 22). The file stays a few kB; its sheet claims a huge used range."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    for i, record in enumerate(records):
        _record_row(ws, i + 1, record)
    ws.write_string(row, column, " ")
    book.close()
    return path


def workbook_of_villages(path: Path, villages: list[tuple[str, str]], per_village: int = 1,
                         first_serial: int = 1) -> Path:
    """per_village households in each (township, village), in that order, on one sheet."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("调查表")
    ws.write_row(0, 0, HEADERS)
    r = 1
    serial = first_serial
    for township, village in villages:
        for record in households(per_village, serial, **{"乡(镇)": township, "行政村": village}):
            _record_row(ws, r, record)
            r += 1
        serial += per_village
    book.close()
    return path


# ---------------------------------------------------------------------------------------------
# Text files


def _lines(records: list[dict], sep: str) -> list[str]:
    return [sep.join(HEADERS)] + [sep.join(str(rec.get(h, "")) for h in HEADERS) for rec in records]


def raw_csv_export(path: Path, records: list[dict]) -> Path:
    """A CSV as a web system's raw export writes it: commas between fields, nothing quoted or
    escaped, even where a value holds a double quote. UTF-8, CRLF."""
    path.write_bytes(("\r\n".join(_lines(records, ",")) + "\r\n").encode("utf-8"))
    return path


def csv_with_nul_byte(path: Path, records: list[dict], after: int = 4096) -> Path:
    """A UTF-8 CSV with a NUL byte inside a 备注 cell somewhere past the first `after` bytes, as a
    damaged copy or a fixed-width export leaves them."""
    lines = _lines(records, ",")
    data = b""
    for i, line in enumerate(lines):
        encoded = line.encode("utf-8")
        if i and len(data) > after and b"\x00" not in data:
            encoded = encoded + b"\x00"  # at the end of the line: in the last cell, 备注
        data += encoded + b"\r\n"
    assert data.index(b"\x00") > after
    path.write_bytes(data)
    return path


def tab_separated_text(path: Path, records: list[dict], encoding: str) -> Path:
    """Tab-separated text as Excel's "Unicode 文本" writes it (encoding 'utf-16': UTF-16 LE with a
    BOM), or as WPS writes its 文本文件 (制表符分隔) ('gbk'), or UTF-8/GB18030 (a .tsv). CRLF."""
    text = "\r\n".join(_lines(records, "\t")) + "\r\n"
    path.write_bytes(text.encode(encoding))  # Python's 'utf-16' writes the BOM, little-endian here
    return path


def ole2_file(path: Path, names: list[str]) -> Path:
    """An OLE2 compound file's first bytes, then directory entries' names (UTF-16), as Excel writes an
    .xls (Workbook) or an encrypted .xlsx (EncryptionInfo, EncryptedPackage)."""
    body = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    for name in names:
        body += name.encode("utf-16-le").ljust(64, b"\0") + bytes(64)
    path.write_bytes(body + bytes(2048))
    return path


def encrypted_xlsx(path: Path) -> Path:
    """A workbook saved with an opening password, as Excel and WPS save one: OLE2, EncryptionInfo and
    EncryptedPackage."""
    return ole2_file(path, ["Root Entry", "EncryptionInfo", "EncryptedPackage"])


def wps_native_file(path: Path) -> Path:
    """A WPS native file (.et spreadsheet, .wps document): a compound document (OLE2) container with
    WPS's own streams, no Excel workbook inside. A header sector of a compound file is enough to
    be what such a file looks like to a reader."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    path.write_bytes(bytes(header) + b"\xff" * 1536)
    return path


# ---------------------------------------------------------------------------------------------
# Rules files


def default_rules_text() -> str:
    from edgescreen.rules import shipped_rule_sets

    return shipped_rule_sets()["changchun-2019"].read_text(encoding="utf-8")


def rules_file(path: Path, *, upper: str | None = None, checks: dict[str, str] | None = None) -> Path:
    """The default rule set copied as a county would (`rules new`), with the upper bound's value
    replaced by `upper` (as written in TOML: 4000, "1E+400") and [checks] keys set from `checks`."""
    text = default_rules_text().replace('id = "changchun-2019"', 'id = "county-test"')
    if upper is not None:
        text, n = re.subn(r"(\[upper_bound\][\s\S]*?value = )4000", lambda m: m.group(1) + upper, text, count=1)
        assert n == 1
    for key, value in (checks or {}).items():
        text, n = re.subn(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
        assert n == 1, key
    path.write_text(text, encoding="utf-8")
    return path


def deeply_nested_toml(path: Path, depth: int = 100_000) -> Path:
    """`a = [[[[…` : one line, nested far deeper than Python's parser can recurse."""
    path.write_text("a = " + "[" * depth + "\n", encoding="utf-8")
    return path


def rules_file_with_long_broken_line(path: Path, length: int = 40_000) -> Path:
    """The default rule set with one broken line of `length` word characters and no `=` (a pasted
    blob), at the end: a TOML parse error on that line."""
    path.write_text(default_rules_text() + "\n" + "x" * length + "\n", encoding="utf-8")
    return path


def symlink_to(path: Path, target: Path) -> Path:
    path.symlink_to(target)
    return path


def copy_of(path: Path, source: Path) -> Path:
    shutil.copyfile(source, path)
    return path


# ---------------------------------------------------------------------------------------------
# Rows inside the table that are no household (a statistical form's 栏次, merged section lines)


def workbook_with_column_numbers(path: Path, records: list[dict], numbers: list[str]) -> Path:
    """A statistical form: under the header, the row that numbers its columns (栏次), `numbers`
    one per column from A: 甲 乙 丙 … 1 2 3 …, or 栏次 ① ② ③ …, as printed forms have it."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    ws.write_row(1, 0, numbers)
    _records(ws, 2, records)
    book.close()
    return path


def workbook_of_village_sections(path: Path, villages: dict[str, list[dict]], *, stacked: bool) -> Path:
    """Villages one under another, each after a line merged across the whole table: a section line
    (一、前岗村(共 3 户)) under one header, or, `stacked`, each village's own table pasted below the
    last: its merged title line, then its header again."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    title = book.add_format({"bold": True, "align": "center"})
    last = len(HEADERS) - 1
    r = 0
    if not stacked:
        ws.write_row(r, 0, HEADERS)
        r += 1
    for k, (village, rows) in enumerate(villages.items()):
        words = f"{village}贫困边缘户登记表" if stacked else f"{'一二三四五'[k]}、{village}(共 {len(rows)} 户)"
        ws.merge_range(r, 0, r, last, words, title)
        r += 1
        if stacked:
            ws.write_row(r, 0, HEADERS)
            r += 1
        r = _records(ws, r, rows)
    book.close()
    return path


def workbook_with_count_line(path: Path, records: list[dict], line: str, column: str = "户主姓名") -> Path:
    """The households, then a line saying how many there are (本村共 3 户 9 人) in one cell."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    ws.write_string(_records(ws, 1, records), col(column), line)
    book.close()
    return path


def workbook_with_income_group(path: Path, records: list[dict], group: str) -> Path:
    """A two-row header whose incomes stand under a group worded `group` (家庭收入情况(元)), the
    sub-header 合计 under it being the total income; the other headers merged over both rows."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    merged = book.add_format({"align": "center", "valign": "vcenter"})
    income = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入"]
    first = col("工资性收入")
    for c, header in enumerate(HEADERS):
        if header not in income:
            ws.merge_range(0, c, 1, c, header, merged)
    ws.merge_range(0, first, 0, first + len(income) - 1, group, merged)
    ws.write_row(1, first, income[:-1] + ["合计"])
    _records(ws, 2, records)
    book.close()
    return path


SUMMARY_HEADERS = ["序号", "乡(镇)", "行政村", "总户数", "总人口", "常住人口数", "家庭总收入(元)", "低保户(户)", "特困人员(户)"]


def workbook_with_summary_sheet(path: Path, villages: dict[str, list[dict]], *, summary_only: bool = False) -> Path:
    """A county's workbook: a 汇总 sheet first (households, people and income counted by village, as
    SUMMARY_HEADERS), then one sheet per village of `villages` (none with `summary_only`)."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("汇总")
    ws.write_row(0, 0, SUMMARY_HEADERS)
    for r, (village, rows) in enumerate(villages.items(), start=1):
        ws.write_row(r, 0, [r, rows[0]["乡(镇)"], village, len(rows), sum(x["家庭人口数"] for x in rows),
                            sum(x["家庭常住人口数"] for x in rows), sum(x["家庭总收入"] for x in rows),
                            sum(x["是否低保户"] == "是" for x in rows), 0])
    if not summary_only:
        for village, rows in villages.items():
            sheet = book.add_worksheet(village)
            sheet.write_row(0, 0, HEADERS)
            _records(sheet, 1, rows)
    book.close()
    return path


def ods_with_merged_cells(path: Path, villages: dict[str, list[dict]], township: str = "合隆镇",
                          visibility: dict[int, str] | None = None) -> Path:
    """An OpenDocument spreadsheet (.ods, as LibreOffice or WPS saves one) of HEADERS and the households
    of `villages`: 乡(镇) merged down over every household and 行政村 over each village's, the cells
    under a merge left empty (table:covered-table-cell), blank cells run-length coded as .ods does.
    `visibility`: a household's table:visibility by its index among them all ("collapse": hidden by
    hand, "filter": by a filter), as LibreOffice writes a hidden row."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')

    def cell(value, span: int = 1) -> str:
        spanned = f' table:number-rows-spanned="{span}"' if span > 1 else ""
        if value is None or value == "":
            return f"<table:table-cell{spanned}/>"
        if isinstance(value, (int, float)):
            return (f'<table:table-cell office:value-type="float" office:value="{value}"{spanned}>'
                    f"<text:p>{value}</text:p></table:table-cell>")
        return f'<table:table-cell office:value-type="string"{spanned}><text:p>{value}</text:p></table:table-cell>'

    rows = ["<table:table-row>" + "".join(cell(h) for h in HEADERS) + "</table:table-row>"]
    total = sum(len(v) for v in villages.values())
    first, index = True, 0
    for village, records in villages.items():
        for k, record in enumerate(records):
            cells = []
            for h in HEADERS:
                if h == "乡(镇)":
                    cells.append(cell(township, total) if first else "<table:covered-table-cell/>")
                elif h == "行政村":
                    cells.append(cell(village, len(records)) if k == 0 else "<table:covered-table-cell/>")
                else:
                    cells.append(cell(record.get(h, "")))
            first = False
            seen = (visibility or {}).get(index)
            index += 1
            row = f'<table:table-row table:visibility="{seen}">' if seen else "<table:table-row>"
            rows.append(row + "".join(cells) + "</table:table-row>")
    rows.append('<table:table-row table:number-rows-repeated="3"><table:table-cell '
                'table:number-columns-repeated="23"/></table:table-row>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{township}">'
               f'<table:table-column table:number-columns-repeated="{len(HEADERS)}"/>{"".join(rows)}'
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def workbook_with_error_values(path: Path, prefixed: bool = False) -> Path:
    """Five households of HEADERS on 合隆镇, rows 2-6, as Excel saves them with error values: S2
    (是否低保户) a VLOOKUP's #N/A, J3 (工资性收入) #VALUE! beside a 家庭总收入 of 10000, E4 (户主姓名)
    #REF!, W5 (备注) #N/A; the saved values standing (no fullCalcOnLoad). `prefixed`: the sheet as
    .NET's SDK writes it (namespace_prefixed)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    rows = households(5)
    rows[0]["是否低保户"] = "#N/A"
    rows[1]["工资性收入"], rows[1]["家庭总收入"] = "#VALUE!", 10000
    rows[2]["户主姓名"] = "#REF!"
    rows[3]["备注"] = "#N/A"
    for record in rows:
        ws.append([record[h] for h in HEADERS])
    wb.save(path)

    def edit(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            return data.replace(b' fullCalcOnLoad="1"', b"")
        if not name.startswith("xl/worksheets/"):
            return data
        text = data.decode()
        assert '<c r="S2" t="e"><v>#N/A</v></c>' in text  # openpyxl writes an error cell as Excel does
        text = text.replace('<c r="S2" t="e"><v>#N/A</v></c>',
                            '<c r="S2" t="e"><f>VLOOKUP(F2,低保名单!A:B,2,0)</f><v>#N/A</v></c>')
        return (namespace_prefixed(text) if prefixed else text).encode()

    return _edit_zip(path, edit)


def workbook_with_hidden_old_column(path: Path) -> Path:
    """Three households of HEADERS on 合隆镇, and right of them a hidden column headed 工资性收入 again
    (last year's, hidden rather than deleted): the sheet has two columns for one field."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    extra = len(HEADERS) + 1
    ws.write_string(0, extra, "工资性收入")
    for r, record in enumerate(households(3), start=1):
        _record_row(ws, r, record)
        ws.write_number(r, extra, 8000)
    ws.set_column(extra, extra, None, None, {"hidden": True})
    book.close()
    return path
