"""The README's quick start works on a stock Debian or Ubuntu Python (PEP 668 refuses a bare `pip
install`): both commands make and use a virtual environment, one line each, and CI runs exactly the
second. The offline route (a wheelhouse) is documented; its test fetches packages, so it runs only
when asked (EDGESCREEN_TEST_WHEELHOUSE=1): about 60 s here (two venvs; 10 s to build the
wheelhouse; the install from it with --no-index and a screen of the sample take the rest)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + 1)
    return README[start:end]


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.S)


def quick_start() -> list[str]:
    part = section("## Quick start")
    return sh_blocks(part.split("### ")[0])


def test_both_quick_start_commands_are_one_line_and_use_a_venv():
    blocks = quick_start()
    assert len(blocks) == 2
    for block in blocks:
        lines = block.strip().splitlines()
        assert len(lines) == 1, block
        steps = [s.strip() for s in lines[0].split("&&")]
        assert steps[0] == "python3 -m venv .venv"
        for step in steps[1:]:
            program = shlex.split(step)[0]
            assert program.startswith(".venv/bin/"), step  # never the system's pip or python
    assert "edgescreen screen sample_data/changchun-sample.xlsx" in blocks[0]
    assert (ROOT / "sample_data" / "changchun-sample.xlsx").is_file()


def test_ci_runs_exactly_the_readmes_test_command():
    command = quick_start()[1].strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert commands[-1] == command
    assert ".venv/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_the_offline_install_reads_only_the_wheelhouse_and_windows_is_described():
    offline = section("### Installing on an office PC with no internet")
    build, install = sh_blocks(offline)[:2]
    assert "pip wheel --wheel-dir wheelhouse ." in build
    assert "--no-index --find-links wheelhouse edgescreen" in install and install.startswith("python3 -m venv .venv")
    windows = section("### On Windows")
    for needle in (r".venv\Scripts", "chcp 65001", "GBK", "PYTHONIOENCODING"):
        assert needle in windows, needle


@pytest.mark.skipif(os.environ.get("EDGESCREEN_TEST_WHEELHOUSE") != "1",
                    reason="fetches packages: EDGESCREEN_TEST_WHEELHOUSE=1 to run it")
def test_the_wheelhouse_route_installs_with_no_index(tmp_path):
    """The README's two offline commands, as written: build the wheelhouse here (the first
    command's venv), then install from it alone into a fresh venv in another folder and run."""
    build, install = (b.strip() for b in sh_blocks(section("### Installing on an office PC"))[:2])
    work = tmp_path / "edgescreen"
    shutil.copytree(ROOT, work, ignore=shutil.ignore_patterns(".venv", ".git", "*-edgescreen", "wheelhouse",
                                                            "__pycache__", "*-质量报告"))
    subprocess.run(build, shell=True, cwd=work, check=True, timeout=600)
    office = tmp_path / "office"
    office.mkdir()
    shutil.copytree(work / "wheelhouse", office / "wheelhouse")  # the USB stick
    offline = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    offline["PIP_CONFIG_FILE"] = os.devnull  # no index or find-links from the machine's pip config
    subprocess.run(install, shell=True, cwd=office, check=True, env=offline, timeout=600)
    done = subprocess.run([str(office / ".venv" / "bin" / "edgescreen"), "screen",
                           str(ROOT / "sample_data" / "changchun-sample.xlsx"), "-o", str(office / "out")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (office / "out" / "report.html").is_file()
