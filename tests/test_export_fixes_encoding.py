"""A text table no encoding reads whole is refused at the line where the encoding that read furthest
broke off (an outside tester's exports). Before, always at the line where strict UTF-8 broke: in a GBK
file the header's first Chinese character, 第 1 行, with "常见于把另一种编码保存的内容接在了文件后面" —
for two stray bytes on line 15, and for a copy cut off inside its last character."""

from __future__ import annotations

import codecs

import pytest
from typer.testing import CliRunner

from field_builders import households
from survey_builders import HEADERS
from edgescreen.cli import app


def _lines(n: int = 30) -> list[str]:
    rows = households(n, 备注="已核实")
    return [",".join(HEADERS)] + [",".join(str(r.get(h, "")) for h in HEADERS) for r in rows]


def _run(command: str, path, out):
    result = CliRunner().invoke(app, [command, str(path), "-o", str(out)])
    return result, "".join(result.output.split())


@pytest.mark.parametrize("command", ["check", "screen"])
def test_a_gbk_csv_with_stray_bytes_on_line_15_is_refused_at_line_15(tmp_path, command):
    lines = [line.encode("gbk") for line in _lines()]
    lines[14] = lines[14].replace(b",", b",\xff\xfe", 1)  # line 15 only
    path = tmp_path / "合隆镇.csv"
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    result, said = _run(command, path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert "合隆镇.csv第15行:这一行有无法识别的字节" in said, said
    assert "GB18030/GBK编码读到这一行之前都正常" in said, said
    assert "第1行" not in said and "接在了文件后面" not in said, said


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_csv_cut_off_inside_its_last_character_is_said_to_be_incomplete(tmp_path, encoding):
    lines = _lines()
    body = "\r\n".join(lines).encode(encoding)
    assert lines[-1].endswith("实")
    path = tmp_path / "合隆镇.csv"
    path.write_bytes(body[:-1])  # the copy stopped inside the last 实
    result, said = _run("check", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert f"合隆镇.csv第{len(lines)}行:文件在一个字的中间就结束了,像是没有复制或下载完整" in said, said
    assert "接在了文件后面" not in said and "无法识别" not in said, said


def test_a_utf8_csv_with_gbk_rows_appended_is_still_named_where_they_begin(tmp_path):
    lines = _lines(6)
    path = tmp_path / "合隆镇.csv"
    path.write_bytes(("\r\n".join(lines[:4]) + "\r\n").encode("utf-8-sig")
                     + ("\r\n".join(lines[4:]) + "\r\n").encode("gbk"))
    result, said = _run("check", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "合隆镇.csv第5行:从这一行起的文字无法识别" in said and "接在了文件后面" in said, said


def test_a_utf16_text_is_named_at_its_own_line_whatever_bytes_its_characters_hold(tmp_path):
    """上 is U+4E0A: in UTF-16 one of its bytes is 0x0A, which a count of line-break bytes took for a
    line break (第 5 行 for line 3 here)."""
    lines = ["乡(镇)\t行政村\t备注", "合隆镇\t前岗村\t上上", "合隆镇\t前岗村\t上"]
    data = codecs.BOM_UTF16_LE + "\r\n".join(lines[:2]).encode("utf-16-le") + "\r\n合隆".encode("utf-16-le")
    path = tmp_path / "合隆镇.txt"
    path.write_bytes(data + b"\x00\xdc" + "镇\t前岗村\r\n".encode("utf-16-le"))  # a lone low surrogate
    result, said = _run("check", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "合隆镇.txt第3行" in said, said
