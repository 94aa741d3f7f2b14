"""A PDF, a photo or a Word document given as the survey (an outside try, 2026-12-06): a PDF named
.xlsx was read as a text table and said to have no household header; a .jpg or .pdf got only
「不读这种文件」. Each is now said as what it is, with what to ask for."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from field_checks import said
from edgescreen.cli import app

runner = CliRunner()
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" * 4
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(200)


@pytest.mark.parametrize("name, content, kind", [
    ("烧锅镇.xlsx", PDF, "PDF文件"), ("烧锅镇.pdf", PDF, "PDF文件"), ("入户表.jpg", JPEG, "图片(照片或扫描件)"),
    ("入户表.xlsx", JPEG, "图片(照片或扫描件)"), ("说明.docx", b"PK\x03\x04" + bytes(60), "Word文档")])
def test_a_file_that_is_no_table_is_said_as_what_it_is(tmp_path, name, content, kind):
    (tmp_path / name).write_bytes(content)
    result = runner.invoke(app, ["screen", str(tmp_path / name), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"{name}:这是{kind},不是表格,edgescreen读不出里面的农户。请向报送的乡镇或村要调查表的Excel原件" in said(result), \
        result.output
    assert not (tmp_path / "out").exists()


def test_a_township_sent_as_a_pdf_among_the_surveys_stops_the_run_naming_it(tmp_path):
    """Left out, its township's households would be missing from the county's results without a word
    louder than a note."""
    write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    (tmp_path / "烧锅镇.xlsx").write_bytes(PDF)
    result = runner.invoke(app, ["screen", str(tmp_path), "-o", str(tmp_path.parent / "out")])
    assert result.exit_code == 2, result.output
    assert "烧锅镇.xlsx:这是PDF文件" in said(result)
