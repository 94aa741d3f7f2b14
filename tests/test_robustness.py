"""Bad and strange inputs, end to end through `edgescreen screen`: each ends in a correct screen, or
in one clear message and exit 2 — never a traceback, a hang, or a partial output folder."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import resource
import time
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv, write_workbook
from edgescreen.cli import app
from edgescreen.pipeline import screen
from edgescreen.outputs.ledger import read_issues, read_ledger


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """These tests read what the messages say in English (--lang en, here through EDGESCREEN_LANG);
    test_messages.py holds the same failures to their Chinese words."""
    monkeypatch.setenv("EDGESCREEN_LANG", "en")


runner = CliRunner()


def run(*args):
    return runner.invoke(app, ["screen", *[str(a) for a in args]])


def run_without_hanging(limit: float, *args):
    """run(), failing if it takes longer than `limit` seconds: a guard against hangs and runaway
    work (each limit is over ten times the usual time), not a speed target — those are measured
    in tests/benchmarks."""
    started = time.perf_counter()
    result = run(*args)
    assert time.perf_counter() - started < limit, f"took over {limit} s"
    return result


def leftovers(out: Path) -> list[Path]:
    """Staging or retired folders a failed run might leave beside the output folder."""
    return sorted(out.parent.glob(f".{out.name}.*"))


def refused(result, out: Path, *phrases: str) -> str:
    """Exit 2 with one clear message naming what is wrong; nothing written, nothing half-written."""
    text = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "internal error" not in result.output, result.output
    for phrase in phrases:
        assert phrase in text, f"{phrase!r} not in {text!r}"
    assert not out.exists(), "an output folder was written"
    assert not leftovers(out), leftovers(out)
    return text


def ledger(out: Path) -> pd.DataFrame:
    return read_ledger(out / "decisions.csv")


def issues(out: Path) -> pd.DataFrame:
    return read_issues(out / "issues.csv")


def households(n: int, **overrides) -> list[dict]:
    return [household(**{"户主身份证号": make_id(serial=i + 1), "户主姓名": f"户主{i}", **overrides})
            for i in range(n)]


# ---------------------------------------------------------------------------------------------
# Files that are not what their names say


def test_zero_byte_workbook(tmp_path):
    path = tmp_path / "空.xlsx"
    path.write_bytes(b"")
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "空.xlsx", "empty (0 bytes)")


def test_zero_byte_csv(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "empty.csv", "empty (0 bytes)")


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_bytes_named_xlsx(tmp_path, seed):
    import random

    noise = random.Random(seed).randbytes(50_000)
    path = tmp_path / "survey.xlsx"
    path.write_bytes(noise)
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "survey.xlsx", "not a workbook")


def test_random_bytes_behind_a_zip_signature(tmp_path):
    import random

    path = tmp_path / "survey.xlsx"
    path.write_bytes(b"PK\x03\x04" + random.Random(7).randbytes(20_000))
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "survey.xlsx", "not a workbook")


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("photo1.jpg", b"\xff\xd8\xff" + b"\0" * 1000)
        zf.writestr("readme.txt", "村里的照片")
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "photos.xlsx", "cannot be read as a workbook")


def test_an_html_table_saved_as_xls(tmp_path):
    table = "".join(f"<td>{h}</td>" for h in HEADERS)
    page = f"<html><head><meta charset='utf-8'></head><body><table><tr>{table}</tr></table></body></html>"
    path = tmp_path / "导出.xls"
    path.write_text(page, encoding="utf-8-sig")
    # Read as the table it is (html_table.py; tests/test_folder_arrivals.py): a header without a
    # household below it is an empty form, said as one, never "save it as .xlsx" (which loses IDs).
    text = refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "导出.xls", "no household below the header")
    assert "xlsx" not in text


def test_an_html_fragment_saved_as_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_bytes(b"\r\n  <table border=1><tr><td>\xe6\x88\xb7\xe4\xb8\xbb</td></tr></table>")
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "export.xls", "web page (HTML)")


def test_an_excel_2003_xml_spreadsheet_saved_as_xls(tmp_path):
    """Said to be a web page before; it is Excel 2003's XML, which some systems still export."""
    cells = "".join(f'<Cell><Data ss:Type="String">{h}</Data></Cell>' for h in HEADERS)
    path = tmp_path / "系统导出.xls"
    path.write_text('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
                    f'<Worksheet ss:Name="Sheet1"><Table><Row>{cells}</Row></Table></Worksheet></Workbook>',
                    encoding="utf-8")
    text = refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "系统导出.xls", "Excel 2003 XML spreadsheet")
    assert "web page" not in text and "xlsx" in text


# ---------------------------------------------------------------------------------------------
# Formulas without a saved value


def _formula_workbook(path: Path) -> Path:
    """openpyxl writes formulas with no cached value, as a web system or a script would."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    for record in households(4):
        ws.append([record.get(h, "") for h in HEADERS])
    col = {h: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(HEADERS)}
    total, wage, name = col["家庭总收入"], col["工资性收入"], col["户主姓名"]
    ws[f"{total}3"] = f"=SUM({col['工资性收入']}3:{col['转移性收入']}3)"   # row 3: the total is a formula
    ws[f"{wage}4"] = "=10000*1"                                           # row 4: a component is one
    ws[f"{name}5"] = '="王"&"五"'                                         # row 5: the name is one
    ws.append(["合计", "", "", "", "", "", "", "", "", f"=SUM({wage}2:{wage}5)"])  # a total row's formula
    wb.save(path)
    return path


def test_formula_cells_without_a_saved_value_are_found_and_never_read_as_0(tmp_path):
    path = _formula_workbook(tmp_path / "公式.xlsx")
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["row"]) == ["2", "3", "4", "5"]
    status = dict(zip(led["row"], led["status"]))
    # Row 2 is untouched; rows 4-5 each hold a formula with no value: not decided on a guessed 0.
    # Row 3's is its total beside the components filled in: they decide, the total is not compared
    # (a warning, formula_total_unchecked: a server's export is marked for recalculation).
    assert status["2"] == status["3"] == "candidate"
    assert status["4"] == status["5"] == "invalid"
    found = issues(out)
    by_row = {r: set(zip(g["field"], g["code"])) for r, g in found.groupby("row")}
    # One issue per cell, saying what it is: a formula never calculated (not "not a number" nor
    # "blank", which would send the clerk looking for a typing error).
    assert by_row["3"] == {("total_income", "formula_total_unchecked")}
    assert found.loc[found["row"] == "3", "severity"].tolist() == ["warning"]
    assert by_row["4"] >= {("wage_income", "formula_not_calculated")}
    assert ("head_name", "formula_not_calculated") in by_row["5"]
    assert not {("total_income", "not_a_number"), ("wage_income", "not_a_number"),
                ("head_name", "missing_value")} & set().union(*by_row.values())
    assert "asks for its formulas to be recalculated, so the saved result was not used" in " ".join(found["message"])
    # The value as typed is the formula itself, so the clerk sees why.
    values = dict(zip(found["cell"], found["value"]))
    # (written with the CSV guard's apostrophe: it is text, not a formula to run)
    assert values["N3"] == "'=SUM(J3:M3)"
    assert values["J4"] == "'=10000*1"
    # The library records exactly those cells (the 合计 row's formula is not a household's).
    record = screen([path]).inputs[0]
    assert record.formula_cells_without_value == [("合隆镇", "N3"), ("合隆镇", "J4"), ("合隆镇", "E5")]


def _saved_by_excel(path: Path) -> Path:
    """The workbook as Excel leaves it after a save: calcPr without fullCalcOnLoad (xlsxwriter and
    openpyxl always write it, so that Excel recalculates; Excel's own save drops it)."""
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"<calcPr[^>]*/>", b'<calcPr calcId="191029"/>', data)
                assert b"fullCalcOnLoad" not in data
            dst.writestr(info, data)
    tmp.replace(path)
    return path


def _workbook_with_saved_totals(path: Path) -> Path:
    """家庭总收入 a formula (=SUM of the components) whose saved value is the sum, as Excel saves it."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    ws.write_row(0, 0, HEADERS)
    total = HEADERS.index("家庭总收入")
    for r, record in enumerate(households(2), start=1):
        for c, h in enumerate(HEADERS):
            value = record.get(h, "")
            if c == total:
                ws.write_formula(r, c, f"=SUM(J{r + 1}:M{r + 1})", None, value)  # Excel's saved result
            elif isinstance(value, (int, float)):
                ws.write_number(r, c, value)
            elif value:
                ws.write_string(r, c, value)
    book.close()
    return path


def test_formulas_with_saved_values_are_read_as_their_values(tmp_path):
    path = _saved_by_excel(_workbook_with_saved_totals(tmp_path / "saved.xlsx"))
    out = tmp_path / "out"
    assert run(path, "-o", out).exit_code == 0
    assert set(ledger(out)["status"]) == {"candidate"}
    assert screen([path]).inputs[0].formula_cells_without_value == []


def test_saved_values_of_a_workbook_marked_for_recalculation_are_not_trusted(tmp_path):
    """The same workbook as xlsxwriter leaves it (fullCalcOnLoad): its saved values may be anything
    the program wrote (0 by default), so the formula cells are not read. They are the totals, beside
    components filled in: the components decide, and the totals are said not to have been checked
    (an outside try of a server's export, 2026-12-04: every household had waited on them)."""
    path = _workbook_with_saved_totals(tmp_path / "program.xlsx")
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert set(ledger(out)["status"]) == {"candidate"}
    found = issues(out)
    assert set(zip(found["cell"], found["code"], found["severity"])) >= {
        ("N2", "formula_total_unchecked", "warning"), ("N3", "formula_total_unchecked", "warning")}
    assert "formula_not_calculated" not in set(found["code"])
    # The terminal says the same: not "these households are 数据有误" (a re-check, 2026-12-05).
    said = " ".join(result.output.split())  # (this module's runs are in English)
    assert "2 total cells are formulas" in said and "decided on their sum" in said, result.output
    assert "marked invalid" not in said, result.output
    record = screen([path]).inputs[0]
    assert record.formulas_stale and record.formula_cells_without_value == [("Sheet1", "N2"), ("Sheet1", "N3")]


# ---------------------------------------------------------------------------------------------
# Sheets bigger than their data


def test_a_used_range_of_1048576_rows_holding_10_households(tmp_path):
    """One stray space in the last row Excel has: calamine hands over a million rows."""
    path = write_workbook(tmp_path / "range.xlsx", households(10))
    book = openpyxl.load_workbook(path)
    book.active.cell(row=1_048_576, column=len(HEADERS), value=" ")
    book.save(path)
    out = tmp_path / "out"
    result = run_without_hanging(60, path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert len(led) == 10 and set(led["status"]) == {"candidate"}
    assert list(led["row"]) == [str(r) for r in range(2, 12)]


def test_a_dimension_that_claims_1048576_rows(tmp_path):
    """Formatting down to the last row (the sheet's <dimension> says A1:W1048576)."""
    path = tmp_path / "formatted.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet()
    border = book.add_format({"border": 1})
    ws.write_row(0, 0, HEADERS)
    for r, record in enumerate(households(10), start=1):
        for c, h in enumerate(HEADERS):
            value = record.get(h, "")
            (ws.write_number if isinstance(value, (int, float)) else ws.write_string)(r, c, value)
    ws.write_blank(1_048_575, len(HEADERS) - 1, None, border)
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert b'<dimension ref="A1:W1048576"/>' in zf.read("xl/worksheets/sheet1.xml")
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(ledger(out)) == 10


class _RunDeflated:
    """zlib's deflate at its default level, as zipfile's own, but for a chunk written again and again
    (the run of white space): each deflated after a full flush (nothing before it referred to), so
    every time after the first it is the first's bytes again, given as they are instead of deflated
    anew (2 GB: 6 s). The part inflates to the same bytes."""

    def __init__(self):
        import zlib

        self._zlib = zlib
        self._deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self._runs: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if len(data) < 1 << 20:
            return self._deflate.compress(data)
        flushed = self._deflate.flush(self._zlib.Z_FULL_FLUSH)
        if data not in self._runs:
            self._runs[data] = self._deflate.compress(data) + self._deflate.flush(self._zlib.Z_FULL_FLUSH)
        return flushed + self._runs[data]

    def flush(self) -> bytes:
        return self._deflate.flush()


def _padded_workbook(path: Path, padding: int) -> Path:
    """A valid workbook whose sheet XML carries `padding` bytes of white space: it inflates to
    gigabytes from a few megabytes."""
    plain = write_workbook(path.with_name("plain.xlsx"), households(3))
    chunk = b" " * (1 << 24)
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            big = zipfile.ZipInfo(info.filename)
            big.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(big, "w", force_zip64=True) as fh:
                fh._compressor = _RunDeflated()  # what zipfile writes the part with: the same bytes inflate
                fh.write(head)
                for _ in range(padding // len(chunk)):
                    fh.write(chunk)
                fh.write(b"</sheetData>" + tail)
    return path


def test_a_workbook_that_expands_to_gigabytes_is_refused_before_it_is_read(tmp_path):
    path = _padded_workbook(tmp_path / "bomb.xlsx", 2 * 1024**3)
    assert path.stat().st_size < 30 * 1024**2
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = tmp_path / "out"
    text = refused(run_without_hanging(20, path, "-o", out), out, "bomb.xlsx", "refused before reading")
    assert re.search(r"expands to 2\.\d GB", text)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 500, f"memory grew by {grown_mb:.0f} MB"


def _lying_workbook(path: Path, inflates_to: int, claims: int) -> Path:
    """A workbook whose sheet part inflates to `inflates_to` bytes while its local header and the
    central directory both say `claims`: the size check that reads the directory is fooled."""
    import struct
    import zlib

    plain = write_workbook(path.with_name("plain.xlsx"), households(3))
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        sheet = src.read(name)
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
    head, tail = sheet.split(b"</sheetData>")
    squeeze = _RunDeflated()  # the 1 GB of spaces deflated once a chunk, then given again
    packed = [squeeze.compress(head)]
    chunk = b" " * (1 << 24)
    packed += [squeeze.compress(chunk) for _ in range(inflates_to // len(chunk))]
    packed.append(squeeze.compress(b"</sheetData>" + tail) + squeeze.flush())
    body = b"".join(packed)
    data = path.read_bytes()
    end = data.rfind(b"PK\x05\x06")
    entries, cd_size, cd_offset = struct.unpack("<HII", data[end + 10:end + 20])
    crc = zlib.crc32(head)  # wrong for the whole part, as a forged header's would be
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), claims, len(name), 0)
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), claims,
                          len(name), 0, 0, 0, 0, 0, cd_offset)
    out = data[:cd_offset] + local + name.encode() + body
    new_cd = len(out)
    out += data[cd_offset:cd_offset + cd_size] + central + name.encode()
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, entries + 1, entries + 1, cd_size + len(central) + len(name),
                       new_cd, 0)
    path.write_bytes(out)
    return path


def test_a_workbook_whose_directory_understates_its_size_is_not_inflated(tmp_path):
    # The directory says 4 kB; the part inflates to 1 GB. calamine reads a part only as far as its
    # stated size, so the sheet ends mid-XML and the file is reported as unreadable, in a moment and
    # without the gigabyte ever reaching memory.
    path = _lying_workbook(tmp_path / "liar.xlsx", 1024**3, 4096)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 4096
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out = tmp_path / "out"
    refused(run_without_hanging(20, path, "-o", out), out, "liar.xlsx", "cannot be read")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 300, f"memory grew by {grown_mb:.0f} MB"


# ---------------------------------------------------------------------------------------------
# Headers, paths, cells


def test_duplicate_header_names_for_one_field(tmp_path):
    headers = [h if h != "联系电话" else "户主姓名" for h in HEADERS]
    path = write_workbook(tmp_path / "dup.xlsx", households(2), headers=headers)
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "dup.xlsx", "two columns for one field",
            "E「户主姓名」", "G「户主姓名」")


def test_duplicate_header_names_through_an_alias(tmp_path):
    headers = [h if h != "联系电话" else "姓名" for h in HEADERS]  # 姓名 is an alias of 户主姓名
    path = write_workbook(tmp_path / "alias.xlsx", households(2), headers=headers)
    refused(run(path, "-o", tmp_path / "out"), tmp_path / "out", "two columns for one field", "G「姓名」")


def test_duplicate_names_of_columns_no_field_uses_are_harmless(tmp_path):
    path = tmp_path / "extra.csv"
    rows = households(3)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([*HEADERS, "备用", "备用"])
        for record in rows:
            w.writerow([*(record.get(h, "") for h in HEADERS), "x", "y"])
    out = tmp_path / "out"
    assert run(path, "-o", out).exit_code == 0
    assert set(ledger(out)["status"]) == {"candidate"}


def test_chinese_characters_and_spaces_in_paths(tmp_path):
    folder = tmp_path / "农安县 2019 年" / "合隆镇 调查"
    folder.mkdir(parents=True)
    write_workbook(folder / "合隆镇 前岗村 入户登记表.xlsx", households(3))
    rows = [household(**{"乡(镇)": "烧锅镇", "户主身份证号": make_id(serial=900 + i)}) for i in range(2)]
    write_csv(folder / "烧锅镇 汇总 (GBK).csv", rows, encoding="gbk")
    out = tmp_path / "输出 结果" / "第 1 次"
    result = run(folder, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert sorted(set(led["source_file"])) == ["合隆镇 前岗村 入户登记表.xlsx", "烧锅镇 汇总 (GBK).csv"]
    assert len(led) == 5 and set(led["status"]) == {"candidate"}
    assert sorted(p.name for p in (out / "villages").iterdir())
    assert "合隆镇 调查" in (out / "run.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_cell_holding_1_mb_of_text(tmp_path, kind):
    big = "外出务工收入待核实," * 100_000  # 1 MB of text (UTF-8), commas included
    assert len(big.encode("utf-8")) > 1_000_000
    rows = households(4)
    rows[1]["备注"] = big                      # notes: carried, harmless
    rows[2]["户主姓名"] = big                  # a name: the household is still decided
    rows[3]["工资性收入"] = big                # an amount: not a number, an error
    path = tmp_path / f"big.{kind}"
    if kind == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(HEADERS)
            for record in rows:
                w.writerow([record.get(h, "") for h in HEADERS])
    else:  # Excel and the writers stop at 32,767 characters: put the text into the XML directly
        marked = [dict(r) for r in rows]
        marked[1]["备注"], marked[2]["户主姓名"], marked[3]["工资性收入"] = "@@1@@", "@@2@@", "@@3@@"
        plain = write_workbook(tmp_path / "plain.xlsx", marked)
        with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info)
                if info.filename == "xl/sharedStrings.xml":
                    for mark in (b"@@1@@", b"@@2@@", b"@@3@@"):
                        data = data.replace(mark, big.encode("utf-8"))
                dst.writestr(info, data)
    out = tmp_path / "out"
    result = run_without_hanging(30, path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["status"]) == ["candidate", "candidate", "candidate", "invalid"]
    assert led["head_name"][2] == big
    found = issues(out)
    wage = found[(found["field"] == "wage_income") & (found["code"] == "not_a_number")]
    assert list(wage["row"]) == ["5"] and wage["value"].iloc[0] == big


# ---------------------------------------------------------------------------------------------
# An input that is also the output


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_input_folder_as_the_output_folder(tmp_path):
    data = tmp_path / "调查"
    data.mkdir()
    write_workbook(data / "a.xlsx", households(2))
    write_workbook(data / "b.xlsx", [household(**{"乡(镇)": "烧锅镇"})])
    before = _digest(data)
    result = run(data, "-o", data, "--force")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "holds an input" in text and "Traceback" not in text
    assert _digest(data) == before, "an input was touched"
    assert not leftovers(data)
    # Without --force too.
    result = run(data, "-o", data)
    assert result.exit_code == 2 and "holds an input" in " ".join(result.output.split())
    assert _digest(data) == before


def test_the_input_file_as_the_output_folder(tmp_path):
    path = write_workbook(tmp_path / "survey.xlsx", households(2))
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = run(path, "-o", path, "--force")
    assert result.exit_code == 2 and "holds an input" in " ".join(result.output.split())
    assert path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not leftovers(path)


def test_an_output_folder_that_holds_an_input_deeper_down(tmp_path):
    work = tmp_path / "work"
    (work / "in").mkdir(parents=True)
    path = write_workbook(work / "in" / "s.xlsx", households(1))
    result = run(path, "-o", work, "--force")
    assert result.exit_code == 2 and "holds an input" in " ".join(result.output.split())
    assert path.exists()


def test_an_output_folder_inside_the_input_folder_is_fine(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_workbook(data / "s.xlsx", households(2))
    out = data / "结果"
    assert run(data, "-o", out).exit_code == 0
    assert len(ledger(out)) == 2
    # A second run over the same folder is not confused by the first run's outputs (no survey
    # files among them at the top level) and replaces them with --force.
    assert run(data, "-o", out, "--force").exit_code == 0


# ---------------------------------------------------------------------------------------------
# Text the parsers must take without crashing


def test_digits_of_other_scripts_are_errors_not_crashes(tmp_path):
    rows = households(3)
    rows[1]["户主身份证号"] = "٢٢٠١٢٢١٩٧٠٠١٠١٠٠١٣"   # Arabic-Indic digits: 18 \\d, not an ID
    rows[1]["联系电话"] = "١٣٨١٢٣٤٥٦٧٨"
    rows[2]["工资性收入"] = "١٢٣"
    rows[2]["家庭常住人口数"] = "३"                   # Devanagari
    path = tmp_path / "digits.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADERS)
        for record in rows:
            w.writerow([record.get(h, "") for h in HEADERS])
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert list(ledger(out)["status"]) == ["candidate", "invalid", "invalid"]
    codes = set(zip(issues(out)["field"], issues(out)["code"]))
    assert {("head_id", "id_malformed"), ("phone", "phone_malformed"), ("wage_income", "not_a_number"),
            ("residents", "not_a_number")} <= codes


def test_formula_looking_text_is_written_as_text_in_the_csvs(tmp_path):
    rows = households(3)
    rows[0]["户主姓名"] = "=HYPERLINK(\"http://x\",\"点\")"
    rows[1]["行政村"] = "+村"
    rows[2]["工资性收入"] = "@SUM(1)"
    path = write_workbook(tmp_path / "s.xlsx", rows)
    out = tmp_path / "out"
    assert run(path, "-o", out).exit_code == 0
    raw = (out / "decisions.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in raw and ",'+村," in raw
    assert "'@SUM(1)" in (out / "issues.csv").read_text(encoding="utf-8-sig")


def test_a_csv_record_wider_than_any_line(tmp_path):
    """A quoted line break inside a field: the record spans two lines."""
    rows = households(2)
    path = tmp_path / "wrapped.csv"
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\r\n")
    w.writerow(HEADERS)
    for record in rows:
        w.writerow([record.get(h, "") for h in HEADERS])
    w.writerow([*(rows[0].get(h, "") for h in HEADERS[:-1]), "第一行\n第二行", "多出的一列"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert len(ledger(out)) == 3


def test_no_partial_output_when_writing_fails(tmp_path, monkeypatch):
    """A writer that fails half-way leaves no output folder and no staging folder behind."""
    import edgescreen.outputs.write as write

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(write, "write_summary", broken)
    path = write_workbook(tmp_path / "s.xlsx", households(2))
    out = tmp_path / "out"
    result = run(path, "-o", out)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists() and not leftovers(out)

