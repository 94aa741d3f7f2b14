"""The `edgescreen` command: the commands registered on one typer app, and the process's entry point."""

from __future__ import annotations

import os
import sys

import typer

from .. import runtime
from ..catalogue import label
from .check import check
from .common import say_error
from .explain import explain
from .rules import rules_app
from .screen import screen
from .template import template

app = typer.Typer(
    name="edgescreen",
    help="Screen household survey workbooks for 贫困边缘户 (poverty-edge households).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Screen household survey workbooks for 贫困边缘户 (poverty-edge households).

    edgescreen screen survey.xlsx      a decision for every household, per-village lists, issues
    """


app.command("screen")(screen)
app.command("check")(check)
app.add_typer(rules_app, name="rules")
app.command("explain")(explain)
app.command("template")(template)


def _lang_asked(argv: list[str]) -> str:
    """The --lang of the command line (or EDGESCREEN_LANG), for words said outside a command."""
    lang = os.environ.get("EDGESCREEN_LANG", "zh")
    for arg, value in zip(argv, [*argv[1:], ""]):
        if arg == "--lang":
            lang = value
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in ("zh", "en") else "zh"


def main() -> None:
    """The console entry point (`edgescreen`, `python -m edgescreen`): run the command, then end the
    process (runtime.exit_process: at once when the speed machinery is on). Ctrl-C, SIGTERM and
    SIGHUP unwind the command (nothing half written is left) and are said in one line."""
    runtime.handle_signals()
    try:
        app(prog_name="edgescreen")
        code = 0
    except SystemExit as exc:
        code = exc.code
    except runtime.Interrupted as stop:
        say_error(label("interrupted", _lang_asked(sys.argv[1:])))
        code = stop.exit_code
    if code is not None and not isinstance(code, int):  # as sys.exit("text") would: say it, exit 1
        print(code, file=sys.stderr)
        code = 1
    runtime.exit_process(code or 0)
