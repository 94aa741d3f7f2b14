"""A run whose reader goes away (`| head`), and a run killed or interrupted, as a clerk's terminal
would do it, in processes of their own: no traceback, no "Exception ignored", a screen's outputs
written whole all the same, and nothing half written left, nor anything a clerk would take for the
blank form.

Found by an outside try: `edgescreen rules list | head -1` (and `screen … | head -2`, `--help |
head -1`) ended with status 1 once the reader had gone; `template` killed with SIGKILL while it
wrote left `.入户登记表.<8 characters>.tmp.xlsx` beside the form, which no later run removed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from field_checks import assert_clear_message, folded, invoke, leftovers
from edgescreen.inputs import file_sha256

SAMPLE = Path(__file__).parent.parent / "sample_data" / "changchun-sample.xlsx"
FORM = "入户登记表.xlsx"
NOISE = ("Traceback", "Exception ignored", "BrokenPipe")


def edgescreen(*args, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "edgescreen", *[str(a) for a in args]], **kw)


def reader_gone_at_once(*args, both: bool = False, timeout: float = 120) -> tuple[int, str]:
    """Run `edgescreen ARGS` with its stdout (and with `both` its stderr) a pipe whose reader has
    closed it before the program writes a word; the exit status and what it said on stderr."""
    proc = edgescreen(*args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT if both else subprocess.PIPE)
    proc.stdout.close()  # the reader goes: every write to it now meets a broken pipe
    said = "" if both else proc.stderr.read().decode("utf-8", "replace")
    if not both:
        proc.stderr.close()
    return proc.wait(timeout=timeout), said


def assert_written_whole(out: Path) -> None:
    """Every output run.json lists is there with the content it records, and nothing half written."""
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    outputs = [o for o in record["outputs"] if isinstance(o, dict) and o.get("file")]
    assert len(outputs) > 5 and any(o["file"] == "decisions.csv" for o in outputs), outputs
    for o in outputs:
        assert (out / o["file"]).is_file(), o
        if o.get("sha256"):
            assert file_sha256(out / o["file"]) == o["sha256"], o
    assert not leftovers(out), leftovers(out)


# ---------------------------------------------------------------------------------------------
# A reader that stops reading


@pytest.mark.parametrize("args", [["rules", "list"], ["--help"], ["--version"], ["template", "--help"]],
                         ids=["rules-list", "help", "version", "template-help"])
def test_a_reader_that_stops_reading_ends_the_command_quietly_and_well(args):
    code, said = reader_gone_at_once(*args)
    assert code == 0, said
    assert said.strip() == "", said


def test_a_screen_piped_into_a_reader_that_stops_writes_every_output_and_says_it_ran(tmp_path):
    """The summary goes nowhere, the run is not abandoned: the outputs are whole, the status 0."""
    out = tmp_path / "out"
    code, said = reader_gone_at_once("screen", SAMPLE, "-o", out)
    assert code == 0, said
    assert not any(word in said for word in NOISE), said
    assert_written_whole(out)


def test_with_stderr_gone_too_the_command_keeps_its_own_exit_status(tmp_path):
    """--strict on a survey with error-level problems says 1, as it does to a terminal; a survey
    that is missing says 2. Neither is turned into the reader's going."""
    out = tmp_path / "out"
    code, _ = reader_gone_at_once("screen", SAMPLE, "-o", out, "--strict", both=True)
    assert code == 1
    assert_written_whole(out)
    code, _ = reader_gone_at_once("screen", tmp_path / "无此文件.xlsx", "-o", tmp_path / "o2", both=True)
    assert code == 2
    assert not (tmp_path / "o2").exists()


# ---------------------------------------------------------------------------------------------
# The blank form, killed or interrupted while it is written


def _temporary(folder: Path) -> list[Path]:
    """What a template run writes beside the form before it is the form (not its lock file)."""
    return [p for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock")]


def _start_template(folder: Path, *extra) -> subprocess.Popen:
    """A template run of many rows (a couple of seconds of writing), once its temporary file is made."""
    proc = edgescreen("template", "-o", folder / FORM, "--rows", 10_000, *extra,
                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not _temporary(folder) and proc.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.002)
    return proc


def assert_nothing_taken_for_the_form(folder: Path) -> None:
    """Beside the form only hidden names, none of them ending as a workbook does (Windows shows
    hidden-by-dot files, and Excel opens any .xlsx on a double click)."""
    for path in folder.iterdir():
        if path.name != FORM:
            assert path.name.startswith("."), path
            assert not path.name.lower().endswith((".xlsx", ".xls", ".xlsm")), path


def test_a_template_killed_outright_leaves_nothing_taken_for_the_form_and_the_next_run_removes_it(tmp_path):
    """SIGKILL cannot be caught: killed at several moments of the writing, what is left is never
    named like a form, at most the last killed run's is there, and the next run leaves the form alone."""
    for delay in (0.0, 0.2, 0.5, 0.9, 1.4):
        proc = _start_template(tmp_path, "--force")
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=60)
        proc.stderr.close()
        assert_nothing_taken_for_the_form(tmp_path)
        assert len(_temporary(tmp_path)) <= 1, sorted(p.name for p in tmp_path.iterdir())
    result = invoke("template", "-o", tmp_path / FORM, "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [FORM]
    assert openpyxl.load_workbook(tmp_path / FORM).sheetnames[0] == "入户登记表"


def test_what_a_killed_template_left_is_removed_by_the_next_run(tmp_path):
    dead = 4_194_303  # above Linux's largest process id: never a live process
    (tmp_path / f".{FORM}.abcd1234.partial").write_bytes(b"PK\x03\x04 half")
    (tmp_path / f".{FORM}.lock").write_text(f"edgescreen {dead}\n", encoding="ascii")
    own = tmp_path / ".我的备注.txt"
    own.write_text("clerk's own", encoding="utf-8")
    result = invoke("template", "-o", tmp_path / FORM)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([FORM, own.name])


HOLD = """
import sys, time
from pathlib import Path
from edgescreen.outputs.folder import reserved
with reserved(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_form_another_run_is_writing_is_refused_as_a_file_in_the_clerks_words(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path / FORM)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for lang, words in (("zh", "正在写这个文件。"), ("en", "is writing this file.")):
            result = invoke("template", "-o", tmp_path / FORM, "--lang", lang)
            assert result.exit_code == 2, result.output
            text = assert_clear_message(result.output, names=[FORM, str(holder.pid)], chinese=lang == "zh")
            assert words in text, text
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert not (tmp_path / FORM).exists()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_template_interrupted_while_writing_says_so_in_one_chinese_line_and_leaves_nothing(tmp_path, signum):
    proc = _start_template(tmp_path)
    proc.send_signal(signum)
    code = proc.wait(timeout=60)
    said = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert code == 128 + signum, said
    assert_clear_message(said)
    assert folded(said).count("已中断,未写出任何文件") == 1 and len(said.strip().splitlines()) == 1, said
    assert list(tmp_path.iterdir()) == []


def signalled_when(ready, signum: int, *args, pause: float = 0.002, timeout: float = 120) -> tuple[int, str]:
    """`edgescreen ARGS` in a session of its own, sent `signum` once `ready()` (or once it has ended);
    its exit status and what it said on stderr. Killed with its helpers if it outlives the test."""
    proc = edgescreen(*args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while not ready() and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(pause)
        proc.send_signal(signum)
        code = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    said = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    return code, said


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_screen_of_the_sample_interrupted_while_writing_leaves_nothing(tmp_path, signum):
    out = tmp_path / "out"
    code, said = signalled_when(lambda: bool(list(tmp_path.glob(".out.*.partial"))), signum,
                                "screen", SAMPLE, "-o", out)
    if code == 0:  # the signal came after the last rename: the run had finished
        assert_written_whole(out)
        return
    assert code == 128 + signum, said
    assert_clear_message(said)
    assert folded(said).count("已中断") == 1, said
    assert not out.exists() and not leftovers(out), leftovers(out)


def test_a_screen_into_the_register_interrupted_as_its_folder_appears_keeps_both_or_neither(tmp_path):
    """The outputs put in place, then the register's round committed: a signal in between (sent the
    moment the folder appears) rolled the round back under a folder already there, 8 times in 8 in an
    outside try, and a register the run had just made was deleted. Whatever the moment, now both are
    saved or neither."""
    import sqlite3

    for attempt in range(3):
        here = tmp_path / str(attempt)
        here.mkdir()
        out, register = here / "out", here / "农安县.db"
        # Polled every 0.2 ms: the window between the folder and the commit is a few milliseconds. (A
        # poll without a pause took a core from the run it waits for and from the other tests.)
        code, said = signalled_when(out.exists, signal.SIGTERM, "screen", SAMPLE, "-o", out, "--register", register,
                                    "--date", "2019-12-02", pause=0.0002)
        assert "Traceback" not in said and "Exception ignored" not in said, said
        rounds = 0
        if register.exists():
            with sqlite3.connect(register) as conn:
                rounds = conn.execute("SELECT count(*) FROM rounds").fetchone()[0]
        assert out.exists() == (rounds == 1), (code, said)
