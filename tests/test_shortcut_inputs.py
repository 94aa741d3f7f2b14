"""A Windows shortcut (.lnk) among the surveys (an outside try, 2026-12-07): 「华家镇.xlsx - 快捷方式.lnk」 in
a folder was said as a file type to save as .xlsx and the run went on without the township; named, it
got 「不读这种文件」. It is said as a shortcut, with the workbook it points to where it says so, and
named on the command line it is refused so."""

from __future__ import annotations

import struct

from typer.testing import CliRunner

from field_checks import said
from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()
TARGET = r"D:\2019边缘户\华家镇.xlsx"
SHORTCUT = "华家镇.xlsx - 快捷方式.lnk"
IS_SHORTCUT = "这是一个快捷方式(.lnk),不是调查表本身,里面没有农户"


def words(text: str) -> str:
    """`text` as said() compares it: every white space taken out."""
    return "".join(text.split())


def shortcut(path, target: str | None = TARGET, *, unicode: bool = False):
    """A .lnk as Windows writes one ([MS-SHLLINK]): the 76-byte header (HasLinkInfo, and an empty
    LinkTargetIDList before the LinkInfo, as Explorer writes), then the LinkInfo holding the target as
    LocalBasePath in GBK (and, with `unicode`, in UTF-16 too, a bogus ANSI one beside it)."""
    flags = 0x1 | 0x2 | 0x80  # HasLinkTargetIDList, HasLinkInfo, IsUnicode
    header = struct.pack("<I16sIIQQQIIIHHII", 0x4C,
                         bytes.fromhex("0114020000000000c000000000000046"), flags, 0x20, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    assert len(header) == 76
    id_list = struct.pack("<H", 2) + b"\x00\x00"  # one TerminalID: no item
    ansi = (b"?" * 8 if unicode else target.encode("gbk")) + b"\x00"
    volume = struct.pack("<IIII", 16, 3, 0x1234ABCD, 16) + b"\x00"  # DRIVE_FIXED, no label
    head_size = 0x24 if unicode else 0x1C
    volume_at = head_size
    base_at = volume_at + len(volume)
    suffix_at = base_at + len(ansi)
    body = volume + ansi + b"\x00"  # an empty CommonPathSuffix
    extra = b""
    if unicode:
        base_unicode = head_size + len(body)
        extra = target.encode("utf-16-le") + b"\x00\x00" + b"\x00\x00"
        fields = struct.pack("<IIII", volume_at, base_at, 0, suffix_at) + struct.pack(
            "<II", base_unicode, base_unicode + len(target.encode("utf-16-le")) + 2)
    else:
        fields = struct.pack("<IIII", volume_at, base_at, 0, suffix_at)
    size = 12 + len(fields) + len(body) + len(extra)
    info = struct.pack("<III", size, head_size, 0x1) + fields + body + extra
    assert len(info) == size
    path.write_bytes(header + id_list + info + struct.pack("<I", 0))  # no ExtraData: a TerminalBlock
    return path


def township(folder, name: str, serial: int):
    rows = [household(**{"乡(镇)": name, "行政村": "前岗村", "户主身份证号": make_id("19700101", serial=serial + 2 * i)})
            for i in range(3)]
    return write_workbook(folder / f"{name}.xlsx", rows)


def test_a_shortcut_in_the_folder_is_said_as_one_with_its_target_and_the_others_are_screened(tmp_path):
    surveys = tmp_path / "调查表"
    surveys.mkdir()
    township(surveys, "开安镇", 100)
    township(surveys, "青山口乡", 200)
    shortcut(surveys / SHORTCUT)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(surveys), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = said(result)
    assert words(f"{SHORTCUT}:没有读入:{IS_SHORTCUT}。它指向「{TARGET}」。请把「华家镇.xlsx」本身") in text, \
        result.output
    assert "在命令里直接给出它的路径" in text
    assert "另存为.xlsx" not in text  # a shortcut cannot be saved as a workbook
    ledger = read_ledger(out / "decisions.csv")
    assert len(ledger) == 6 and set(ledger["township"]) == {"开安镇", "青山口乡"}
    quality = (out / "report.html").read_text(encoding="utf-8")
    assert IS_SHORTCUT in quality and TARGET in quality


def test_a_shortcut_named_on_the_command_line_is_refused_as_one(tmp_path):
    lnk = shortcut(tmp_path / SHORTCUT, r"C:\Users\clerk\Desktop\合隆镇 2019.xlsx", unicode=True)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(lnk), "-o", str(out)])
    assert result.exit_code == 2, result.output
    text = said(result)
    assert words(f"{SHORTCUT}:{IS_SHORTCUT}。它指向「C:\\Users\\clerk\\Desktop\\合隆镇 2019.xlsx」。"
                 "请把「合隆镇 2019.xlsx」本身") in text, result.output
    assert "不读这种文件" not in text
    assert not out.exists()


def test_a_damaged_shortcut_is_said_as_one_without_a_target(tmp_path):
    """What the outside try's folder held: a shortcut cut short after its header's first 20 bytes."""
    surveys = tmp_path / "调查表"
    surveys.mkdir()
    township(surveys, "开安镇", 100)
    (surveys / SHORTCUT).write_bytes(bytes.fromhex("4c0000000114020000000000c000000000000046"))
    result = runner.invoke(app, ["screen", str(surveys), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = said(result)
    assert f"没有读入:{IS_SHORTCUT}。请把它指向的工作簿本身" in text, result.output
    assert "它指向「" not in text and "打开文件所在的位置" in text


def test_a_shortcut_under_a_survey_name_is_refused_as_a_shortcut(tmp_path):
    """Known by its first bytes whatever its name: 华家镇.xlsx that is a shortcut to the workbook."""
    lnk = shortcut(tmp_path / "华家镇.xlsx")
    result = runner.invoke(app, ["screen", str(lnk), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert f"华家镇.xlsx:{IS_SHORTCUT}。它指向「{TARGET}」" in said(result), result.output
    assert not (tmp_path / "out").exists()


def test_english_says_it_is_a_shortcut(tmp_path):
    lnk = shortcut(tmp_path / SHORTCUT)
    result = runner.invoke(app, ["screen", str(lnk), "-o", str(tmp_path / "out"), "--lang", "en"])
    assert result.exit_code == 2, result.output
    assert "a shortcut (.lnk), not the survey itself: it holds no household. It points to" in " ".join(
        result.output.split()), result.output


def test_a_folders_shortcut_without_the_lnk_suffix_is_known_by_its_bytes(tmp_path):
    """A copy that lost its .lnk (a USB stick's, a mail's), or one saved as .tmp: the folder scan knows it
    by its first bytes and says it as a shortcut with its target, not as a file type edgescreen does not
    read."""
    surveys = tmp_path / "调查表"
    surveys.mkdir()
    township(surveys, "开安镇", 100)
    shortcut(surveys / "华家镇 - 快捷方式")
    shortcut(surveys / "榆树镇.tmp", r"D:\2019边缘户\榆树镇.xlsx")
    result = runner.invoke(app, ["screen", str(surveys), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = said(result)
    assert words(f"华家镇 - 快捷方式:没有读入:{IS_SHORTCUT}。它指向「{TARGET}」。请把「华家镇.xlsx」本身") in text, \
        result.output
    assert words(f"榆树镇.tmp:没有读入:{IS_SHORTCUT}。它指向「D:\\2019边缘户\\榆树镇.xlsx」。请把「榆树镇.xlsx」本身") \
        in text, result.output
    assert "不读这种文件" not in text
