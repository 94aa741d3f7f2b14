"""The survey a `screen` command line names first, read from its raw arguments before the program
loads: the process starts parsing it (runtime.start_early) while typer, pandas and the rest load.

Only the first argument that is not an option counts, and only where it is a workbook that exists:
a folder, a CSV or a typing error waits for the command itself. A guess that turns out wrong costs
nothing but the guess: the command's own session (runtime.start) takes over the early one only where
its first workbook is this one."""

from __future__ import annotations

from pathlib import Path

from ..inputs import SCANNED_SUFFIXES

# The options of `screen` that take a value (tests/test_early_start.py holds this against the
# command's own options): the word after one is its value, not an input.
VALUED_OPTIONS = frozenset({"-o", "--out", "-r", "--rules", "--year", "--as-of", "--lang", "--publicity-start",
                            "--register", "--date", "--roster"})


def first_survey(args: list[str]) -> Path | None:
    """The first input of `edgescreen screen …` where it is an existing workbook the helper scans
    (.xlsx, .xlsm: inputs.SCANNED_SUFFIXES); else None."""
    if not args or args[0] != "screen":
        return None
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--":
            arg = next(rest, "")
        elif arg.startswith("-"):
            if arg in VALUED_OPTIONS:
                next(rest, None)
            continue
        path = Path(arg)
        try:
            return path if path.suffix.lower() in SCANNED_SUFFIXES and path.is_file() else None
        except OSError:  # a name the system cannot look at: the command says what is wrong with it
            return None
    return None


def interrupted_key(args: list[str]) -> str:
    """The words said for a signal before the program has loaded: nothing written yet, and for
    `register record`, which writes only the register, the register not changed."""
    return "reg_record_interrupted" if args[:2] == ["register", "record"] else "interrupted"
