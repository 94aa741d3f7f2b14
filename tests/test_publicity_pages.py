"""The publicity notice as a clerk posts it: a list that is not final says so (households of the
village still 数据有误,待核实), and the committee's seal line and date print on the page of the last
rows, never alone on a page of their own."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest
from typer.testing import CliRunner

from print_size import page_header_held
from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app

runner = CliRunner()
needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are not installed")
PENDING = "不是最终名单"


def _screen(tmp_path, records):
    path = write_workbook(tmp_path / "survey.xlsx", records)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    return out / "publicity"


def _text(path):
    return [c.value for row in openpyxl.load_workbook(path).active.iter_rows() for c in row if c.value is not None]


def _invalid(village: str, serial: int) -> dict:
    # An ID whose check character is wrong: 数据有误,待核实.
    good = make_id("19700101", serial=serial)
    return household(**{"行政村": village, "户主姓名": f"刘{serial}",
                        "户主身份证号": good[:-1] + ("1" if good[-1] != "1" else "2")})


def test_a_notice_says_the_list_is_not_final_while_households_are_being_verified(tmp_path):
    records = [_invalid("永安村", 10 + i) for i in range(3)]  # every household of 永安村 invalid
    records += [household(**{"行政村": "前岗村", "户主身份证号": make_id(serial=40)}), _invalid("前岗村", 41)]
    records += [household(**{"行政村": "三宝村", "户主身份证号": make_id(serial=50)})]
    folder = _screen(tmp_path, records)
    none_listed = " ".join(map(str, _text(folder / "合隆镇-永安村-公示.xlsx")))
    assert "本村没有贫困边缘户初选对象" in none_listed and "本村另有 3 户" in none_listed and PENDING in none_listed
    assert "共 0 户" not in none_listed and "隐去" not in none_listed  # no list to hide anything of
    some = " ".join(map(str, _text(folder / "合隆镇-前岗村-公示.xlsx")))
    assert "共 1 户" in some and "本村另有 1 户" in some and PENDING in some and "隐去中间 8 位" in some
    assert PENDING not in " ".join(map(str, _text(folder / "合隆镇-三宝村-公示.xlsx")))


def _many(n: int) -> list[dict]:
    return [household(**{"行政村": "测村", "户主姓名": "张三丰", "户主身份证号": make_id("19700101", serial=i)})
            for i in range(n)]


def test_the_seal_line_is_kept_with_the_last_rows_by_a_page_break(tmp_path):
    """67 candidates fill two pages to the last row in LibreOffice: unbroken, the seal went to page 3
    alone. The notice breaks its pages itself, the last rows on the page with the seal."""
    path = _screen(tmp_path, _many(67)) / "合隆镇-测村-公示.xlsx"
    ws = openpyxl.load_workbook(path).active
    seal = next(c.row for row in ws.iter_rows() for c in row if "盖章" in str(c.value or ""))
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks, "no page break: the renderer decides, and the seal may print alone"
    # Rows after the last break (1-based: a break after row id) hold list rows, then the seal line.
    assert seal - 2 - breaks[-1] >= 2, (breaks, seal)
    setup = ws.sheet_properties.pageSetUpPr
    assert setup is None or not setup.fitToPage, "fitted to the page, Excel drops manual breaks"
    # Page 2 on, a page says whose list it is: the notice's title heads every page.
    assert page_header_held(ws) == "合隆镇测村贫困边缘户名单公示"


@needs_office
@pytest.mark.parametrize("n", [52, 67])
def test_the_seal_line_prints_on_the_page_of_the_last_rows(tmp_path, n):
    path = _screen(tmp_path, _many(n)) / "合隆镇-测村-公示.xlsx"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / "合隆镇-测村-公示.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    last = pages[-1]
    assert "盖章" in last and last.count("张三丰") >= 2, last
    assert sum(p.count("张三丰") for p in pages) == n
    assert len(pages) >= 2 and all("合隆镇测村贫困边缘户名单公示" in p for p in pages), pages
