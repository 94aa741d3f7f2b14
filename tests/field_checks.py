"""What the field-file tests of issue 12 ask of a run, in one place: running `edgescreen screen` (in
this process through CliRunner, or as a real process), reading its outputs back, and the two ways a
run may end well: the right decision, or a clear Chinese message with exit 2 and nothing written.

Imported by name (`from field_checks import ...`), like survey_builders."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from typer.main import get_command
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()
CJK = re.compile(r"[\u3400-\u9fff]")
INTERNAL = ("internal error", "内部错误")


def screen(*args, **kw):
    """`edgescreen screen ARGS` in this process."""
    return runner.invoke(app, ["screen", *[str(a) for a in args]], **kw)


def invoke(*args, **kw):
    """`edgescreen ARGS` in this process (rules check, …)."""
    return runner.invoke(app, [str(a) for a in args], **kw)


def run_process(*args, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    """`python -m edgescreen ARGS` as its own process: a Rust panic, a signal or a hang there cannot
    take pytest down. Text out, both streams kept apart."""
    return subprocess.run([sys.executable, "-m", "edgescreen", *[str(a) for a in args]], capture_output=True,
                          text=True, timeout=timeout, **kw)


def table(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def ledger(out: Path) -> pd.DataFrame:
    """decisions.csv under the machine names, whichever header set it was written with."""
    return read_ledger(out / "decisions.csv")


def issues(out: Path) -> pd.DataFrame:
    """issues.csv under the machine names, whichever header set it was written with."""
    return read_issues(out / "issues.csv")


def manifest(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def column(frame: pd.DataFrame, en: str, zh: str) -> pd.Series:
    """A ledger or issue column under the English or the Chinese header set."""
    return frame[en] if en in frame.columns else frame[zh]


def folded(text: str) -> str:
    """Text compared as a reader sees it: NFKC (full-width ,:() as ASCII), runs of white space as one."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def said(result) -> str:
    """What a command said (CliRunner's output), every white space taken out: wrapped or not, the words."""
    return "".join(result.output.split())


def leftovers(out: Path) -> list[Path]:
    """Staging (.partial) or retired folders a run leaves beside its output folder."""
    # os.path: False for a path too long to exist (Path.exists raises ENAMETOOLONG on Python 3.11).
    return sorted(out.parent.glob(f".{out.name}.*")) if os.path.isdir(out.parent) else []


def assert_clear_message(text: str, *, names=(), phrases=(), chinese: bool = True) -> str:
    """No traceback and no internal error; each of `names` (file names, paths) and `phrases` is
    said; with `chinese`, the message holds Chinese text besides those names and paths (a message
    that only quotes a Chinese file name in English does not count)."""
    flat = folded(text)
    assert "Traceback" not in text, text
    for marker in INTERNAL:
        assert marker not in flat, text
    for name in names:
        assert folded(str(name)) in flat, f"{name!r} not named in {flat!r}"
    for phrase in phrases:
        assert folded(phrase) in flat, f"{phrase!r} not in {flat!r}"
    if chinese:
        rest = flat
        for name in sorted((folded(str(n)) for n in names), key=len, reverse=True):
            rest = rest.replace(name, " ")
        assert CJK.search(rest), f"no Chinese in the message besides the names: {flat!r}"
    return flat


def assert_refused(result, out: Path, *, code: int = 2, names=(), phrases=(), chinese: bool = True) -> str:
    """A CliRunner result or a CompletedProcess that ended in exit `code` with a clear message
    (assert_clear_message) and wrote nothing: no output folder, no staging folder beside it."""
    if isinstance(result, subprocess.CompletedProcess):
        exit_code, text = result.returncode, result.stdout + result.stderr
    else:
        exit_code, text = result.exit_code, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert exit_code == code, f"exit {exit_code}, not {code}: {text}"
    flat = assert_clear_message(text, names=names, phrases=phrases, chinese=chinese)
    assert not os.path.lexists(out), f"{out} was written"
    assert not leftovers(out), leftovers(out)
    return flat


def xlsx_strings(folder: Path) -> dict[str, list[str]]:
    """Every text cell of every workbook under `folder`, by file (relative path)."""
    import openpyxl

    found = {}
    for path in sorted(folder.rglob("*.xlsx")):
        book = openpyxl.load_workbook(path, read_only=True)
        cells = []
        for ws in book.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += [v for v in row if isinstance(v, str)]
        book.close()
        found[path.relative_to(folder).as_posix()] = cells
    return found


def first_cell(path: Path) -> str:
    """A1 of the first sheet: the title of a village list or notice, as one line (a title too long for
    its page breaks after the place it names)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    value = next(book.worksheets[0].iter_rows(min_row=1, max_row=1, values_only=True))[0]
    book.close()
    return value.replace("\n", "") if isinstance(value, str) else value


WINDOWS_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
WINDOWS_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?$", re.IGNORECASE)


def assert_windows_file_name(name: str, limit: int = 80) -> None:
    """A file name a county office's Windows PC can hold: at most `limit` characters before .xlsx,
    none of \\/:*?"<>|, no trailing dot or space, not a reserved device name."""
    assert name.endswith(".xlsx"), name
    stem = name[: -len(".xlsx")]
    assert len(stem) <= limit, f"{len(stem)} characters: {name}"
    assert not WINDOWS_FORBIDDEN.search(name), name
    assert stem == stem.rstrip(" ."), name
    assert not WINDOWS_RESERVED.match(stem), name


def assert_one_workbook_per_village(out: Path, township: str, names: list[str]) -> None:
    """villages/ and publicity/ each hold exactly one workbook per village of `names` (by its title),
    every file name valid on Windows and unique without case."""
    for folder, title in (("villages", "{}贫困边缘户初选名单"), ("publicity", "{}贫困边缘户名单公示")):
        files = sorted((out / folder).iterdir())
        for f in files:
            assert_windows_file_name(f.name)
        assert len({f.name.casefold() for f in files}) == len(files), folder
        assert sorted(first_cell(f) for f in files) == sorted(title.format(township + v) for v in names), folder


def live_processes_in_group(pgid: int) -> list[int]:
    """Processes of the group `pgid` (one this test started) that are still running (zombies, ended
    and waiting to be reaped, are not counted)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        state, pgrp = fields[0], int(fields[2])
        if pgrp == pgid and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


def process_group_gone(pgid: int, wait: float = 10.0) -> bool:
    """Whether every process of the group `pgid` has ended, within `wait` seconds."""
    import time

    deadline = time.monotonic() + wait
    while live_processes_in_group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def without_file_permission_override() -> list[str]:
    """The command prefix that runs a process bound by file permissions: nothing for a clerk; for
    root (who may write anything) setpriv dropping the capabilities that override them. Skips the
    test where root cannot drop them."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("running as root and setpriv is missing: root may write any file")
    drop = "-dac_override,-dac_read_search"
    return ["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", "--"]


def valued_options():
    """(command path, option name, another option of the same command) for every option that takes
    a value, in every command."""
    root = get_command(app)
    with root.make_context("edgescreen", [], resilient_parsing=True) as ctx:
        stack = [([], ctx, root)]
        while stack:
            path, parent, command = stack.pop()
            options = [p for p in command.get_params(parent) if p.param_type_name == "option"]
            for param in options:
                if getattr(param, "is_flag", False) or getattr(param, "count", False):
                    continue
                for name in param.opts:
                    other = next(o for p in options if p is not param for o in p.opts if o.startswith("--"))
                    yield path, name, other
            for name, sub in getattr(command, "commands", {}).items():
                stack.append(([*path, name], sub.make_context(name, [], parent=parent, resilient_parsing=True), sub))
