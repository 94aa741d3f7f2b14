"""A password-protected .xls (Excel's or WPS's 文件加密: a FILEPASS record in its workbook stream), and
an encrypted .xlsx renamed .xls, are refused as encrypted, with the message an encrypted .xlsx gets
(an outside tester's exports). Before: "无法作为工作簿读取:文件可能已损坏…", calamine's PasswordError
taken for damage."""

from __future__ import annotations

import shutil
import struct
import subprocess
import textwrap
from pathlib import Path

import olefile
import pytest
import python_calamine
from typer.testing import CliRunner

from field_builders import encrypted_xlsx, households
from survey_builders import write_workbook
from edgescreen.biff import _records
from edgescreen.cli import app

FILES = Path(__file__).parent / "files"
ENCRYPTED = "工作簿已加密或设有打开密码"


def _run(command: str, path, out):
    result = CliRunner().invoke(app, [command, str(path), "-o", str(out)])
    return result, "".join(result.output.split())


def _with_filepass(path: Path) -> Path:
    """A LibreOffice .xls whose record after the BOF is made a FILEPASS (0x002F), as an .xls with an
    opening password has it: same length, so the compound file is rewritten in place."""
    shutil.copy(FILES / "hidden-by-libreoffice.xls", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        data = bytearray(ole.openstream("Workbook").read())
        _, at, _ = list(_records(bytes(data), 0))[1]
        struct.pack_into("<H", data, at - 4, 0x002F)
        ole.write_stream("Workbook", bytes(data))
    return path


@pytest.mark.parametrize("command", ["check", "screen"])
def test_an_xls_with_a_filepass_record_is_refused_as_encrypted(tmp_path, command):
    path = _with_filepass(tmp_path / "加密.xls")
    result, said = _run(command, path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert f"加密.xls:{ENCRYPTED}" in said, said
    assert "损坏" not in said and "Error" not in said, said


def test_calamines_password_error_is_said_as_encrypted_whatever_the_file(tmp_path, monkeypatch):
    """The error calamine raises for a password, as it raises it: the refusal does not depend on the
    FILEPASS look of the file."""
    path = write_workbook(tmp_path / "合隆镇.xls", households(2))  # an .xlsx named .xls: opened from bytes

    def refuse(*args, **kwargs):
        raise python_calamine.PasswordError("Workbook is password protected")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", refuse)
    result, said = _run("check", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"合隆镇.xls:{ENCRYPTED}" in said and "损坏" not in said, said



def test_an_encrypted_xlsx_renamed_xls_is_refused_as_encrypted(tmp_path):
    path = encrypted_xlsx(tmp_path / "加密改名.xls")
    result, said = _run("screen", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"加密改名.xls:{ENCRYPTED}" in said and "损坏" not in said, said


def test_a_damaged_xls_is_still_said_to_be_damaged(tmp_path):
    path = tmp_path / "坏.xls"
    path.write_bytes((FILES / "hidden-by-libreoffice.xls").read_bytes()[:3000])
    result, said = _run("check", path, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "无法作为工作簿读取" in said and "加密" not in said, said


_UNO_SCRIPT = textwrap.dedent("""
    import os, signal, subprocess, sys, time, uno
    from com.sun.star.beans import PropertyValue
    src, xls, profile, pipe = sys.argv[1:]
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                               "-env:UserInstallation=" + profile, "--accept=pipe,name=" + pipe + ";urp;"],
                              start_new_session=True)
    desktop = None
    try:
        ctx = uno.getComponentContext()
        resolver = ctx.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", ctx)
        for _ in range(120):
            try:
                remote = resolver.resolve("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        desktop = remote.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", remote)
        def pv(name, value):
            p = PropertyValue(); p.Name = name; p.Value = value; return p
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
        doc.storeToURL(uno.systemPathToFileUrl(xls), (pv("FilterName", "MS Excel 97"), pv("Password", "123456")))
        doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(office.pid, signal.SIGKILL)  # soffice.bin too, not the wrapper alone
""")


def _uno_python() -> str | None:
    """A Python that imports LibreOffice's uno (python3-uno), or None."""
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if python and shutil.which("soffice") and subprocess.run([python, "-c", "import uno"],
                                                                 check=False, capture_output=True).returncode == 0:
            return python
    return None


@pytest.mark.skipif(_uno_python() is None, reason="needs LibreOffice (soffice) and python3-uno to write a password")
def test_an_xls_libreoffice_saved_with_a_password_is_refused_as_encrypted(tmp_path):
    """The file as an office program writes it (LibreOffice's "MS Excel 97" filter with a password; its
    .xlsx with a password, from a fresh profile, comes out unencrypted, so only the .xls is made here)."""
    source = write_workbook(tmp_path / "source.xlsx", households(3))
    xls = tmp_path / "加密.xls"
    script = tmp_path / "encrypt.py"
    script.write_text(_UNO_SCRIPT, encoding="utf-8")
    subprocess.run([_uno_python(), str(script), str(source), str(xls), (tmp_path / "profile").as_uri(),
                    f"edgescreen_test_{tmp_path.name}"], check=True, capture_output=True, timeout=240)
    assert xls.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    result, said = _run("check", xls, tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert f"加密.xls:{ENCRYPTED}" in said and "损坏" not in said, said
