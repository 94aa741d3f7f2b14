"""Four things a clerk met on a bad evening (an outside try): a .zip's survey names shown as 乱码, a
backup copy of a file read told to be saved as .xlsx (a duplicate the next run), and an interrupt just
after the outputs were written into a new folder said as having replaced them."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import zipfile

from field_checks import folded, ledger
from test_folder_contents import flat, run, village
from test_output_folder import AFTER_RENAME

AS_OF = "2019-12-31"


def zip_unflagged(path, names: list[str], encoding: str):
    """A zip whose members' names are written in `encoding` without the UTF-8 flag: GBK as Windows
    Explorer's 压缩(zipped)文件夹 writes them, UTF-8 as Info-ZIP does. zipfile flags every non-ASCII name,
    so each is written as an ASCII stand-in of the same length, then its bytes put in its place."""
    raws = [name.encode(encoding) for name in names]
    stand_ins = [f"@{i}@".ljust(len(raw), "#").encode("ascii") for i, raw in enumerate(raws)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for stand_in in stand_ins:
            zf.writestr(stand_in.decode("ascii"), b"x")
    data = path.read_bytes()
    for stand_in, raw in zip(stand_ins, raws):
        assert data.count(stand_in) == 2  # the local header and the central directory
        data = data.replace(stand_in, raw)
    path.write_bytes(data)
    with zipfile.ZipFile(path) as zf:  # as zipfile reads them today: cp437, not the names written
        assert all(not info.flag_bits & 0x800 for info in zf.infolist())
        assert zf.namelist() != names
    return path


def test_a_zips_survey_names_written_in_gbk_or_unflagged_utf8_are_shown_as_written(tmp_path):
    town = tmp_path / "农安县"
    town.mkdir()
    village(town / "前岗村.xlsx", "前岗村", 300)
    zip_unflagged(town / "调查表-资源管理器压缩.zip", ["调查表/", "调查表/合隆镇.xlsx", "调查表/华家镇.xlsx"], "gbk")
    zip_unflagged(town / "调查表-微信.zip", ["调查表/烧锅镇.xlsx"], "utf-8")
    done = run("screen", town, "--as-of", AS_OF, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "「调查表/合隆镇.xlsx」「调查表/华家镇.xlsx」" in text, text
    assert "「调查表/烧锅镇.xlsx」" in text, text
    # cp437's reading of either, as the clerk saw it
    assert "╡≈▓Θ▒φ" not in text and "Φ░âµƒÑΦí¿" not in text, text


def test_a_backup_copy_of_a_file_read_is_said_as_that_files_copy_with_nothing_to_do(tmp_path):
    town = tmp_path / "农安县"
    town.mkdir()
    huajia = village(town / "华家镇.xlsx", "前岗村", 300)
    shaoguo = village(town / "烧锅镇.xlsx", "东兴村", 400, n=4)
    shutil.copyfile(huajia, town / "华家镇.bak")
    shutil.copyfile(shaoguo, town / "烧锅镇.xlsx.bak")
    # The same size as 华家镇.xlsx, one byte different: no copy, said as before.
    other = bytearray(huajia.read_bytes())
    other[-1] ^= 0xFF
    (town / "合隆镇.bak").write_bytes(bytes(other))
    done = run("screen", town, "--as-of", AS_OF, "-o", tmp_path / "out")
    assert done.exit_code == 0, done.output
    text = flat(done)
    assert "华家镇.bak:没有读入:这是华家镇.xlsx的副本" in text, text
    assert "烧锅镇.xlsx.bak:没有读入:这是烧锅镇.xlsx的副本" in text, text
    assert "无需处理" in text, text
    for copy in ("华家镇.bak", "烧锅镇.xlsx.bak"):  # never "save it as .xlsx": the duplicate of the next run
        assert f"{copy}:没有读入:edgescreen不读这种文件" not in text, text
    assert "合隆镇.bak:没有读入:edgescreen不读这种文件" in text and "另存为.xlsx" in text, text
    assert len(ledger(tmp_path / "out")) == 7  # each township read once

    english = run("screen", town, "--as-of", AS_OF, "-o", tmp_path / "en", "--lang", "en")
    assert english.exit_code == 0, english.output
    assert "a copy of 华家镇.xlsx" in folded(english.output), english.output




def test_an_interrupt_after_the_outputs_are_written_into_a_new_folder_says_nothing_was_replaced(tmp_path):
    survey = village(tmp_path / "合隆镇.xlsx", "前岗村", 300)
    out = tmp_path / "结果"
    done = subprocess.run([sys.executable, "-c", AFTER_RENAME, "screen", str(survey), "-o", str(out),
                           "--as-of", AS_OF], capture_output=True, text=True, timeout=120)
    said = folded(done.stdout + done.stderr)
    assert done.returncode == 128 + signal.SIGINT, said
    assert "已中断,但本次的结果在中断之前已全部写出" in said and "输出完整" in said, said
    assert "替换" not in said and "未写出任何文件" not in said, said
    assert len(ledger(out)) == 3
