"""Ctrl-C from the first instant: a signal that reaches edgescreen while it is still loading (before
any command runs) is said in one line, never as the traceback of an import cut short."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")


def _catches(pid: int, signum: int) -> bool:
    """Whether process `pid` has a handler for `signum` (the SigCgt mask of /proc/PID/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    except OSError:
        pass
    return False


@pytest.mark.parametrize("lang, words", [("zh", "已中断,未写出任何文件"), ("en", "Interrupted")])
def test_ctrl_c_while_the_program_loads_is_one_line(tmp_path, lang, words):
    survey = Path(__file__).parent.parent / "sample_data" / "changchun-sample.xlsx"
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "edgescreen", "screen", str(survey), "-o", str(out),
                                "--lang", lang], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    # Python catches SIGINT from its own start; SIGTERM only once edgescreen's handler is in place.
    while not _catches(process.pid, signal.SIGTERM) and time.monotonic() < deadline:
        time.sleep(0.001)
    loaded = Path(f"/proc/{process.pid}/maps").read_text()
    process.send_signal(signal.SIGINT)
    # The handler was in place before the program loaded (pydantic's compiled core comes with the
    # first module of the program proper): the window for a traceback is Python's own start only.
    assert "pydantic_core" not in loaded
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and words in stderr and len(stderr.strip().splitlines()) == 1, stderr
    assert not out.exists() and not list(tmp_path.glob(".*"))


def test_ctrl_c_while_register_record_loads_says_the_register_was_not_changed(tmp_path):
    """register record writes only the register: stopped while it loads, it says the register was not
    changed, as it does stopped later before the save (before: 未写出任何文件)."""
    process = subprocess.Popen([sys.executable, "-m", "edgescreen", "register", "record", str(tmp_path / "县.db"),
                                str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 10
    while not _catches(process.pid, signal.SIGTERM) and time.monotonic() < deadline:
        time.sleep(0.001)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip() == "edgescreen: 已中断,登记簿没有改动", stderr


def test_ctrl_c_while_the_command_line_package_itself_imports_is_held_and_said(tmp_path):
    """An outside try: Ctrl-C right after Enter, while edgescreen.cli and the catalogue's words still
    loaded, printed a traceback ending in KeyboardInterrupt. From the package's first line the signal
    is held, and said in one line once the words are there."""
    script = ("import os, signal, sys\n"
              "sys.argv = ['edgescreen', 'screen', 'missing.xlsx']\n"
              "import edgescreen.cli as cli\n"
              "os.kill(os.getpid(), signal.SIGINT)  # as if pressed while the imports ran\n"
              "cli.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 130, done.stderr
    assert done.stderr.strip() == "edgescreen: 已中断,未写出任何文件", done.stderr
