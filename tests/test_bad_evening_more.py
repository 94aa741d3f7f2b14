"""A clerk's bad evening, more (an outside try): a file whose name begins with a dash said with how to give
it, a copy of a file read not holding check's verdict back, an interrupt after --force saying what it replaced."""

import shutil
import signal
import subprocess
import sys

import pytest

from field_checks import folded
from test_bad_evening import AFTER_RENAME, AS_OF, flat, run, village

READY = "可以报送"


@pytest.mark.parametrize("command", ["screen", "check"])
def test_a_file_or_folder_whose_name_begins_with_a_dash_is_said_with_how_to_give_it(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    village(tmp_path / "-合隆镇.xlsx", "前岗村", 300)
    done = run(command, "-合隆镇.xlsx", "--as-of", AS_OF)
    assert done.exit_code == 2, done.output
    text = flat(done)
    assert "没有-合隆镇.xlsx这个选项" in text and "当前文件夹里有名为-合隆镇.xlsx的文件" in text, text
    assert ".\\-合隆镇.xlsx(Windows)或./-合隆镇.xlsx" in text and "放在--之后" in text, text

    (tmp_path / "-调查表").mkdir()
    folder = run(command, "-调查表", "--as-of", AS_OF)
    assert folder.exit_code == 2 and "当前文件夹里有名为-调查表的文件夹" in flat(folder), folder.output
    # An option that is no file here is said as before.
    other = run(command, "-合隆", "--as-of", AS_OF)
    assert other.exit_code == 2 and "当前文件夹里有名为" not in flat(other), other.output

    # Given either way the hint says, it is read.
    assert run(command, "./-合隆镇.xlsx", "--as-of", AS_OF, "-o", "a").exit_code == 0
    assert run(command, "--as-of", AS_OF, "-o", "b", "--", "-合隆镇.xlsx").exit_code == 0


def test_a_backup_copy_does_not_hold_checks_verdict_back_and_another_backup_still_does(tmp_path):
    town = tmp_path / "合隆镇"
    town.mkdir()
    front = village(town / "前岗村.xlsx", "前岗村", 300)
    shutil.copyfile(front, town / "前岗村.bak")
    done = run("check", town, "--as-of", AS_OF, "-o", tmp_path / "r1")
    assert done.exit_code == 0, done.output
    assert "前岗村.bak" in flat(done) and "是前岗村.xlsx的副本" in flat(done), done.output
    assert READY in flat(done), done.output

    (town / "东兴村.bak").write_bytes(b"not a copy of anything read")
    held = run("check", town, "--as-of", AS_OF, "-o", tmp_path / "r2")
    assert held.exit_code == 0, held.output
    assert READY not in flat(held), held.output


def test_an_interrupt_after_the_outputs_replaced_an_earlier_folder_says_so(tmp_path):
    survey = village(tmp_path / "合隆镇.xlsx", "前岗村", 300)
    out = tmp_path / "结果"
    assert run("screen", survey, "--as-of", AS_OF, "-o", out).exit_code == 0
    done = subprocess.run([sys.executable, "-c", AFTER_RENAME, "screen", str(survey), "-o", str(out),
                           "--as-of", AS_OF, "--force"], capture_output=True, text=True, timeout=120)
    said = folded(done.stdout + done.stderr)
    assert done.returncode == 128 + signal.SIGINT, said
    assert "已全部写出(原有的输出已替换为本次的结果)" in said, said
