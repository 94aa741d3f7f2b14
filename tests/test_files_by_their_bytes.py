"""Files read by what their bytes are, whatever their name (an outside try, BO): a web page named .xlsx
is read as the page named .xls is; an .xls named .et as the .xls it is; a Word document named .xlsx
said as the Word document it is; tab-separated UTF-16 text without its byte-order mark read as the
text with it is; a workbook cut short told to be sent again, not saved again (it will not open)."""

from __future__ import annotations

import html
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from field_builders import households, tab_separated_text, wps_native_file
from survey_builders import HEADERS, INCOME, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()
FILES = Path(__file__).parent / "files"
# A real .xls (BIFF8, as LibreOffice saves one): 10 households on its sheet 合隆镇.
REAL_XLS = FILES / "hidden-by-libreoffice.xls"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def flat(result) -> str:
    return "".join(result.output.split())


def screened(path: Path, out: Path):
    done = run("screen", path, "-o", out, "--as-of", "2019-12-31")
    assert done.exit_code == 0, done.output
    return done, read_ledger(out / "decisions.csv")


def refused(path: Path, out: Path) -> str:
    done = run("screen", path, "-o", out, "--as-of", "2019-12-31")
    assert done.exit_code == 2, done.output
    assert "Traceback" not in done.output and not out.exists(), done.output
    return flat(done)


def figures(ledger) -> dict[str, tuple[str, str, str]]:
    return {row.head_id: (row.total_income, row.net_income, row.status) for row in ledger.itertuples()}


def three_households() -> list[dict]:
    """Three households whose figures differ: a candidate, one above the limit, one below the line."""
    return [household(**{"户主姓名": "王喆", "户主身份证号": make_id(serial=301), "工资性收入": 10000}),
            household(**{"户主姓名": "李堃", "户主身份证号": make_id(serial=302), "工资性收入": 9000,
                         "转移性收入": 6000, "家庭经营费用支出": 1200}),
            household(**{"户主姓名": "张秀兰", "户主身份证号": make_id(serial=303), "工资性收入": 6000})]


WANTED = {make_id(serial=301): ("10000.00", "10000.00", "candidate"),
          make_id(serial=302): ("15000.00", "13800.00", "above_limit"),
          make_id(serial=303): ("6000.00", "6000.00", "below_line")}


def web_page(rows: list[dict]) -> bytes:
    """A web system's "Excel" export: an HTML table in GBK, its header on two rows (the income columns
    under one cell spanning them), as an outside try saved it."""
    first, last = HEADERS.index(INCOME[0]), HEADERS.index(INCOME[-1])
    top = ("".join(f'<td rowspan="2">{h}</td>' for h in HEADERS[:first])
           + f'<td colspan="{len(INCOME)}">家庭总收入构成(元)</td>'
           + "".join(f'<td rowspan="2">{h}</td>' for h in HEADERS[last + 1:]))
    under = "".join(f"<td>{h}</td>" for h in INCOME)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(h, '')))}</td>" for h in HEADERS) + "</tr>"
                   for r in rows)
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            f"<table border=1><tr>{top}</tr><tr>{under}</tr>\n{body}</table></body></html>").encode("gbk")


def test_a_web_page_named_xlsx_is_read_as_the_page_named_xls_is(tmp_path):
    """Today: 「不是工作簿…在 Excel/WPS 中打开它、另存为 .xlsx 后再试」, which loses its 18-digit IDs."""
    path = tmp_path / "网页另存.xlsx"
    path.write_bytes(web_page(three_households()))
    done, ledger = screened(path, tmp_path / "out")
    assert figures(ledger) == WANTED, ledger[["head_name", "total_income", "net_income", "status"]]
    assert "另存为.xlsx" not in flat(done), done.output
    record = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert [i["kind"] for i in record["inputs"]] == ["html"], record["inputs"]
    # Said once as what it is, as a page named .xls is: an html file, never "save it as .xlsx".
    same = tmp_path / "网页另存.xls"
    same.write_bytes(path.read_bytes())
    said = {}
    for given in (path, same):
        checked = run("check", given, "-o", tmp_path / f"checked{given.suffix}", "--as-of", "2019-12-31")
        assert checked.exit_code == 0, checked.output
        said[given.suffix] = flat(checked).replace(given.name, "FILE")
        assert said[given.suffix].count("FILE:html文件,读入3户") == 1, checked.output
    assert "另存为.xlsx" not in said[".xlsx"], said[".xlsx"]


def test_an_xls_named_et_is_read_as_the_xls_it_is(tmp_path):
    """Today: 「这是 WPS 的专用格式」 by its name alone, named or in a folder."""
    _, as_xls = screened(shutil.copy(REAL_XLS, tmp_path / "合隆镇.xls"), tmp_path / "xls")
    path = shutil.copy(REAL_XLS, tmp_path / "合隆镇.et")
    done, ledger = screened(path, tmp_path / "out")
    assert len(ledger) == 10 and figures(ledger) == figures(as_xls), ledger
    assert "合隆镇.et:这是.xls格式的文件,扩展名却是.et:已按.xls读入" in flat(done), done.output
    # In a folder given, read with the others, not left out as a WPS file to save as .xlsx.
    town = tmp_path / "town"
    town.mkdir()
    shutil.copy(REAL_XLS, town / "合隆镇.et")
    write_workbook(town / "华家镇.xlsx", households(2, first_serial=500, **{"乡(镇)": "华家镇"}))
    _, both = screened(town, tmp_path / "folder")
    assert len(both) == 12 and set(both["township"]) == {"合隆镇", "华家镇"}, both


def word_document(path: Path) -> Path:
    """A .docx as Word writes it: a zip of [Content_Types].xml, _rels/.rels and word/document.xml."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        zf.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                    '.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>贫困边缘户入户登记表</w:t></w:r></w:p>'
                    "</w:body></w:document>")
    return path


def test_a_word_document_named_xlsx_is_said_as_the_word_document_it_is(tmp_path):
    """Today: 「无法作为工作簿读取:文件可能已损坏…重新另存为 .xlsx」."""
    renamed = word_document(tmp_path / "Word改名.xlsx")
    named = shutil.copy(renamed, tmp_path / "登记表.docx")
    said = refused(renamed, tmp_path / "out")
    assert "Word改名.xlsx:这是Word文档,不是表格" in said and "可能已损坏" not in said, said
    # The same words as the .docx named so.
    assert said.replace("Word改名.xlsx", "FILE") == refused(named, tmp_path / "out").replace("登记表.docx", "FILE")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("name", ["系统导出.xls", "系统导出.txt"])
def test_tab_separated_utf16_without_its_mark_is_read_as_with_it(tmp_path, encoding, name):
    """Today: .xls 「文件可能已损坏」; .txt 「不是文本文件(内容是二进制)」."""
    rows = three_households()
    marked = tab_separated_text(tmp_path / "Unicode文本.txt", rows, "utf-16")  # Excel's, with its mark
    path = tab_separated_text(tmp_path / name, rows, encoding)
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    _, with_mark = screened(marked, tmp_path / "marked")
    _, ledger = screened(path, tmp_path / "out")
    assert figures(ledger) == figures(with_mark) == WANTED, ledger[["head_name", "net_income", "status"]]


def test_a_workbook_cut_short_is_asked_for_again_not_saved_again(tmp_path):
    """Today: 「…在 Excel/WPS 中打开,另存为 .xlsx 后再试」 for a file no program opens."""
    whole = write_workbook(tmp_path / "whole.xlsx", households(3)).read_bytes()
    path = tmp_path / "合隆镇.xlsx"
    path.write_bytes(whole[: len(whole) // 2])  # the first half: its zip's end record missing
    said = refused(path, tmp_path / "out")
    assert "合隆镇.xlsx:不是工作簿:文件不完整,只有开头的一部分" in said, said
    assert "请报送单位重新发送这个文件" in said and "另存为" not in said, said


def test_guard_ordinary_workbooks_and_wps_own_files_as_before(tmp_path):
    """Passes before and after: an .xlsx and a real .xls read as ever, WPS's own .et refused as ever,
    a Word document named .docx said as one, and UTF-16 text with its mark read."""
    _, ledger = screened(write_workbook(tmp_path / "合隆镇.xlsx", three_households()), tmp_path / "xlsx")
    assert figures(ledger) == WANTED
    done, ledger = screened(shutil.copy(REAL_XLS, tmp_path / "合隆镇.xls"), tmp_path / "xls")
    assert len(ledger) == 10 and "扩展名却是" not in flat(done), done.output
    said = refused(wps_native_file(tmp_path / "永安乡.et"), tmp_path / "out")
    assert "永安乡.et:这是WPS的专用格式" in said, said
    said = refused(word_document(tmp_path / "登记表.docx"), tmp_path / "out")
    assert "登记表.docx:这是Word文档,不是表格" in said, said
    _, ledger = screened(tab_separated_text(tmp_path / "Unicode文本.xls", three_households(), "utf-16"),
                         tmp_path / "utf16")
    assert figures(ledger) == WANTED
