"""Fixtures for the tests in this folder; the builders live in survey_builders.py."""

import os
import signal

import pytest

# edgescreen's consoles take the width COLUMNS gives when they are made, once, and keep it; without
# COLUMNS they ask at each line, so each test's own COLUMNS (_wide_terminal, or a test's 80) is the
# width it sees. pytest-xdist starts its workers with COLUMNS set: it goes before edgescreen is imported.
os.environ.pop("COLUMNS", None)

import functools
import gc

import typer.testing

from edgescreen.cli import GC_FIRST_GENERATION

from survey_builders import write_workbook

# typer makes the app into click's commands anew at every CliRunner.invoke (16 ms: each command's
# signature and type hints read again), thousands of times in the suite. The commands keep nothing
# between runs (widths, language and help are worked out when a command runs), so each app is made once.
typer.testing._get_command = functools.cache(typer.testing._get_command)

# The console entry (edgescreen.cli.main) sets the collector's first threshold before it runs; the
# tests run the commands through CliRunner, past main, and would collect every 700 allocations as no
# clerk's run does: about a twentieth of the suite's time, in passes that find next to nothing.
gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])

# A shell without job control starts a background job (`.ci/run &`, a CI runner's step) with SIGINT
# ignored, and every process it starts inherits that: edgescreen then keeps ignoring Ctrl-C as a
# `nohup` run should, and the tests of Ctrl-C would see a run that ignores it. The tests stand where
# a clerk does, at a terminal: the programs they start get SIGINT's default.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_configure(config):
    """Once, in the process that starts the workers: the package's modules compiled to their
    __pycache__ (git ignores it). The tests start `python -m edgescreen` some hundreds of times from
    this folder; with PYTHONDONTWRITEBYTECODE set (as CI's runner sets it), each start compiled every
    module it imports anew, a fifth of those tests' time. compileall writes whatever the variable
    says; a module whose copy is up to date is left as it is."""
    if hasattr(config, "workerinput"):
        return
    import compileall
    import edgescreen

    compileall.compile_dir(os.path.dirname(edgescreen.__file__), quiet=2)


@pytest.fixture(autouse=True)
def _wide_terminal(monkeypatch):
    """A wide terminal unless a test says otherwise (env COLUMNS): the tests read what is said, and
    edgescreen wraps its messages at the width; the tests of the wrap name theirs (80 columns)."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.fixture
def survey(tmp_path):
    """survey(rows, name='survey.xlsx', **kw) → path of a workbook written in tmp_path."""
    def make(rows, name="survey.xlsx", **kw):
        return write_workbook(tmp_path / name, rows, **kw)
    return make
