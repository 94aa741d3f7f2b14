"""Files whose name says another format than they hold, as they arrive at a county office: a web
system's 导出Excel (tab- or comma-separated text saved as .xls), an .xlsx renamed .xls, an .ods renamed
.xlsx, an .xls renamed .xlsx. Each is read as what its bytes say, with a file fact saying so; an
encrypted .xlsx (an OLE2 file holding an EncryptionInfo stream) is still refused as encrypted, and
no message ever shows an exception's class name."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from field_builders import households, ods_with_merged_cells, ole2_file, raw_csv_export, tab_separated_text
from survey_builders import write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _screen(path, out):
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    return result, " ".join(result.output.split())


@pytest.mark.parametrize("encoding, what", [("gbk", "制表符分隔的文本"), ("utf-16", "制表符分隔的文本"),
                                            ("utf-8", "制表符分隔的文本")])
def test_tab_separated_text_saved_as_xls_is_read_as_text(tmp_path, encoding, what):
    path = tab_separated_text(tmp_path / "系统导出.xls", households(3), encoding)
    result, said = _screen(path, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Error" not in said and "无法作为工作簿读取" not in said
    assert f"这是{what}" in said and "扩展名却是 .xls" in said
    assert list(read_ledger(tmp_path / "out" / "decisions.csv")["head_name"]) == ["户主1", "户主2", "户主3"]
    check = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    facts = json.loads((tmp_path / "report" / "check.json").read_text(encoding="utf-8"))["facts"]
    assert [(f["fact"], f["detail"]) for f in facts if f["fact"] == "content_kind"] == [("content_kind", "txt")]
    assert check.exit_code == 0, check.output


def test_comma_separated_text_saved_as_xls_is_read_as_csv(tmp_path):
    path = raw_csv_export(tmp_path / "导出.xls", households(2))
    result, said = _screen(path, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "逗号分隔的文本(CSV)" in said
    assert len(read_ledger(tmp_path / "out" / "decisions.csv")) == 2


def test_an_xlsx_renamed_xls_and_an_ods_renamed_xlsx_are_read_as_what_they_are(tmp_path):
    xlsx = write_workbook(tmp_path / "合隆镇.xlsx", households(3))
    renamed = shutil.copy(xlsx, tmp_path / "改了扩展名.xls")
    result, said = _screen(renamed, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "这是 .xlsx 格式的文件,扩展名却是 .xls" in said
    assert len(read_ledger(tmp_path / "out" / "decisions.csv")) == 3
    ods = ods_with_merged_cells(tmp_path / "村.ods", {"前岗村": households(2)})
    renamed = shutil.copy(ods, tmp_path / "另存.xlsx")
    result, said = _screen(renamed, tmp_path / "out2")
    assert result.exit_code == 0, result.output
    assert "这是 .ods 格式的文件,扩展名却是 .xlsx" in said
    ledger = read_ledger(tmp_path / "out2" / "decisions.csv")
    assert list(ledger["village"]) == ["前岗村", "前岗村"]



def test_an_ole2_file_named_xlsx_is_called_encrypted_only_when_it_holds_an_encrypted_package(tmp_path):
    encrypted = ole2_file(tmp_path / "加密.xlsx", ["Root Entry", "EncryptionInfo", "EncryptedPackage"])
    result, said = _screen(encrypted, tmp_path / "out")
    assert result.exit_code == 2 and "已加密或设有打开密码" in said, said
    legacy = ole2_file(tmp_path / "旧格式.xlsx", ["Root Entry", "Workbook"])
    result, said = _screen(legacy, tmp_path / "out")
    assert result.exit_code == 2, said
    assert "加密" not in said and "Error" not in said, said  # a damaged .xls: said as such, no class name
    assert "这是 .xls 格式的文件,扩展名却是 .xlsx;按 .xls 也无法读取" in said
