"""The `edgescreen` command: the commands registered on one typer app, and the process's entry point."""

from __future__ import annotations

import sys

import typer

from .. import runtime
from .check import check
from .explain import explain
from .register import register_app
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
app.add_typer(register_app, name="register")


def main() -> None:
    """The console entry point (`edgescreen`, `python -m edgescreen`): run the command, then end the
    process (runtime.exit_process: at once when the speed machinery is on)."""
    try:
        app(prog_name="edgescreen")
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # as sys.exit("text") would: say it, exit 1
        print(code, file=sys.stderr)
        code = 1
    runtime.exit_process(code or 0)
