"""The command line: option parsing, progress display, and library errors mapped to exit codes.

- program.py — the `edgescreen` app (its commands) and what runs once the program has loaded
- language.py — the language a command line asks for, read before anything else; early.py — the
  survey a screen names first, which starts parsing before the program loads
- terminal.py — help and usage errors in the catalogue's words
- common.py — consoles, error mapping, options shared by several commands
- progress.py — the screening run's progress bar; tables.py — count tables that fit the terminal
- screen.py, check.py, explain.py, template.py, rules.py — one module per command

Every command calls the library (edgescreen.jobs, edgescreen.explain, edgescreen.rule_files …) and
prints what it returns; nothing below this package imports from it. This file loads nothing else at
import: the entry point below must be in place before the program loads."""

from __future__ import annotations

import gc
import os
import signal
import sys

_EARLY_SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# A signal from the very first instant of a command line (Ctrl-C right after Enter), while this package
# and the words to say it still load: held here, said by main once they have, never the traceback of
# an import cut short. Only where the program runs as the command (the console script, or
# `python -m edgescreen`), not where a notebook or a test imports the package.
_HELD: list[int] = []


def _hold(signum, _frame) -> None:
    _HELD.append(signum)


def _as_command() -> bool:
    started = os.path.basename(sys.argv[0] if sys.argv else "")
    stem = os.path.splitext(started)[0].lower()
    return stem == "edgescreen" or (stem == "__main__" and os.path.basename(os.path.dirname(sys.argv[0])) == "edgescreen")


if _as_command():
    for _signum in _EARLY_SIGNALS:
        if signal.getsignal(_signum) != signal.SIG_IGN:  # one started ignoring it (nohup) keeps ignoring it
            signal.signal(_signum, _hold)

from ..message_files import message_tables  # noqa: E402
from .early import first_survey, interrupted_key
from .language import lang_of

# Allocations between the collector's passes over the newest objects (Python's default 700).
GC_FIRST_GENERATION = 50_000


def main() -> None:
    """The console entry point (`edgescreen`, `python -m edgescreen`): a signal is said in one line
    from the first instant; then the program loads and runs (app.main)."""
    # The words are ready before a signal can come: the handler imports nothing (a module may be
    # half loaded when it runs).
    words = message_tables()["labels"][interrupted_key(sys.argv[1:])][lang_of(sys.argv[1:])]
    line = f"edgescreen: {words}\n".encode()

    early_helper: list[int] = []
    # A run makes millions of short-lived containers (rows read, cells rendered) and few cycles: a
    # collector's pass every 700 allocations (the default) finds next to nothing in them, and its
    # passes add up to a measurable share of a large screen. The helpers forked below inherit this.
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])

    def interrupted_while_loading(signum, frame) -> None:
        """Ctrl-C (or a SIGTERM, a hang-up) before the program has loaded: nothing can have been
        written yet, so say so in one line and end, without the traceback of an import cut short
        (and with the helper process that a screen's early start made)."""
        os.write(2, (b"\n" if signum == signal.SIGINT and os.isatty(2) else b"") + line)  # not on ^C's line
        for pid in early_helper:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        os._exit(128 + signum)

    for signum in _EARLY_SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:  # one started ignoring it (nohup) keeps ignoring it
            signal.signal(signum, interrupted_while_loading)
    if _HELD:  # come while the words loaded: said now
        interrupted_while_loading(_HELD[0], None)
    # A screen's survey starts parsing now, in the background, while the program loads.
    survey = first_survey(sys.argv[1:])
    if survey is not None:
        from .. import runtime

        early_helper.extend(runtime.start_early(survey))
    from .program import main as run

    run()


def __getattr__(name: str):
    if name == "app":
        from .program import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app", "main"]
