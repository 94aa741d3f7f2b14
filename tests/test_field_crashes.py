"""Issue 12, "Crashes and leftovers" (the part that needs no signal or second process): stray cells
at the far end of a sheet, village names too long for a file name, and an output folder that cannot
be written (a full disk, no permission, a path too long). Each ends in the right decision or in a
clear Chinese message with exit 2 that says what is wrong and where, never an internal error."""

from __future__ import annotations

import builtins
import errno
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from field_builders import households, workbook_of_villages, workbook_with_stray_cell
from field_checks import (assert_clear_message, assert_one_workbook_per_village, assert_refused, ledger,
                          screen, without_file_permission_override)
from survey_builders import write_workbook

# ---------------------------------------------------------------------------------------------
# Stray cells at the far end of a sheet


def _peak_mb(pid: int) -> float:
    """The process's own peak resident memory so far (VmHWM), in MB; 0 once it has ended."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _run_measured(tmp_path: Path, *args, timeout: float = 120) -> tuple[int, str, float]:
    """`python -m edgescreen ARGS` in its own process: (wait status as subprocess reports it,
    its stdout + stderr, its peak resident memory in MB). The peak is the process's own high-water
    mark, read while it runs: the ru_maxrss that wait4 reports starts from this (pytest's) size at
    the fork, which after a few hundred tests is past any guard."""
    import time

    log = tmp_path / "process.log"
    peak = 0.0
    with open(log, "wb") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "edgescreen", *map(str, args)], stdout=fh, stderr=fh)
        deadline = time.monotonic() + timeout
        while True:
            peak = max(peak, _peak_mb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                pytest.fail(f"edgescreen {' '.join(map(str, args))} ran past {timeout} s")
            time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if not Path("/proc/self/status").exists():  # no /proc: the inherited figure is all there is
        peak = usage.ru_maxrss / 1024
    return proc.returncode, log.read_text(encoding="utf-8", errors="replace"), peak


def test_a_stray_cell_at_xfd1048576_is_read_sparse_or_refused_never_a_panic(tmp_path):
    """Today calamine panics and the process aborts (signal 6) with a Rust backtrace and no word from
    edgescreen. The issue allows either end: the five households read (the reader skips the empty
    cells), or a clear refusal naming the file; never a signal. Run as its own process so an abort
    cannot take pytest down."""
    path = workbook_with_stray_cell(tmp_path / "stray.xlsx", households(5), 1_048_575, 16_383)
    out = tmp_path / "out"
    code, text, _ = _run_measured(tmp_path, "screen", path, "-o", out)
    assert code >= 0, f"ended by signal {-code}: {text[-1500:]}"
    assert "panicked" not in text and "RUST_BACKTRACE" not in text, text[-1500:]
    if code == 2:
        assert_clear_message(text, names=["stray.xlsx"])
        assert not out.exists()
        return
    assert code == 0, text[-1500:]
    assert list(ledger(out)["status"]) == ["candidate"] * 5


def test_a_stray_cell_at_w1048576_does_not_allocate_the_empty_rows(tmp_path):
    """A 6 kB workbook with 5 households and one space at W1048576. Today calamine hands over the
    whole used range: 1.3 GB and 6-14 s. The process's peak memory must stay near what 5 households
    need (about 100 MB here today); 500 MB is a guard, not a target."""
    path = workbook_with_stray_cell(tmp_path / "stray.xlsx", households(5), 1_048_575, 22)
    assert path.stat().st_size < 10_000
    out = tmp_path / "out"
    code, text, peak_mb = _run_measured(tmp_path, "screen", path, "-o", out)
    assert code in (0, 2), f"exit {code}: {text[-1500:]}"
    if code == 2:
        assert_clear_message(text, names=["stray.xlsx"])
    else:
        assert list(ledger(out)["status"]) == ["candidate"] * 5
    assert peak_mb < 500, f"peak memory {peak_mb:.0f} MB for 5 households"


# ---------------------------------------------------------------------------------------------
# Village names too long for a file name


def test_long_village_names_give_one_bounded_workbook_each(tmp_path):
    """Village names of 82 and 300 characters. Today: "internal error (FileCreateError)"."""
    names = ["前岗村", "长" * 82, "宽" * 300]
    path = workbook_of_villages(tmp_path / "合隆镇.xlsx", [("合隆镇", v) for v in names])
    out = tmp_path / "out"
    result = screen(path, "-o", out, "--publicity-start", "2020-01-06")
    assert result.exit_code == 0, result.output
    assert sorted(set(ledger(out)["village"])) == sorted(names)
    assert_one_workbook_per_village(out, "合隆镇", names)


# ---------------------------------------------------------------------------------------------
# An output folder that cannot be written


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """A folder on a disk with no room left: a 64 kB tmpfs (as root), or else every file opened for
    writing under it fails with ENOSPC (open is patched, for this process only)."""
    disk = tmp_path / "U盘"
    disk.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True).returncode == 0
    if not mounted:
        real_open = builtins.open

        def open_on_full_disk(file, mode="r", *args, **kw):
            if isinstance(file, (str, os.PathLike)) and any(c in mode for c in "wax+") \
                    and Path(os.path.abspath(file)).is_relative_to(disk):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(file))
            return real_open(file, mode, *args, **kw)

        monkeypatch.setattr(builtins, "open", open_on_full_disk)
        monkeypatch.setattr(io, "open", open_on_full_disk)
    try:
        yield disk
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], capture_output=True)


def test_a_full_disk_is_named_as_a_full_disk_and_where(tmp_path, full_disk):
    """Today: "internal error (FileCreateError)" (xlsxwriter's wrapper of the OSError). Nothing
    written, which is right already."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", households(30))
    out = full_disk / "out"
    text = assert_refused(screen(path, "-o", out), out, names=[full_disk])
    assert re.search(r"磁盘|空间不足|已满", text.replace(str(full_disk), "")), text


def test_an_output_folder_without_write_permission_is_named(tmp_path):
    """A folder the clerk may not write in. Today the message is right but English only ("cannot be
    written there (Permission denied)"): it fails here for want of Chinese. Run as its own process;
    as root (who may write anywhere) without the capability to override file permissions."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", households(2))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    out = locked / "out"
    prefix = without_file_permission_override()
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "edgescreen", "screen", str(path), "-o", str(out)],
                              capture_output=True, text=True, timeout=120)
        text = assert_refused(done, out, names=[locked])
        assert re.search(r"权限|拒绝", text.replace(str(locked), "")), text
    finally:
        locked.chmod(0o755)


def test_an_output_path_too_long_is_named(tmp_path):
    """-o with a folder name of 270 bytes (90 Chinese characters). Today: "internal error (OSError)"
    (Path.exists raises ENAMETOOLONG before anything is tried)."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", households(2))
    folder = tmp_path / ("很" * 90)
    out = folder / "out"
    text = assert_refused(screen(path, "-o", out), out, names=[folder])
    assert re.search(r"过长|太长", text.replace(str(folder), "")), text
