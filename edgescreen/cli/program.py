"""The `edgescreen` command: the commands registered on one typer app, and the process's entry point."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from .. import __version__, runtime
from ..catalogue import label
from .backcheck import backcheck
from .check import check
from ..errors import EdgescreenError
from .common import after_ctrl_c, reader_may_leave, say_error
from .early import interrupted_key
from .explain import explain
from .register import register_app
from .language import lang_of
from .rules import rules_app
from .sample import sample
from .screen import screen
from .template import template
from .terminal import Command, Group

# The help of every command and option is the catalogue's (data/messages/cli.toml: help_*, opt_*,
# meta_*), in the language of --lang: see terminal.py.
app = typer.Typer(
    name="edgescreen",
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"edgescreen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_show_version)] = False,
) -> None:
    """The program: its commands below (help: help_edgescreen)."""
    from ..catalogue import use_target

    # Each command starts in the catalogue's own words; one that decides under a rule set takes its
    # [target] (a process that ran another command before, as a test's does, keeps nothing of it).
    use_target(None)


app.command("screen", cls=Command)(screen)
app.command("check", cls=Command)(check)
app.add_typer(rules_app, name="rules")
app.command("explain", cls=Command)(explain)
app.command("template", cls=Command)(template)
app.add_typer(register_app, name="register")
app.command("sample", cls=Command)(sample)
app.command("backcheck", cls=Command)(backcheck)


def _say_internal_error(kind: str) -> None:
    """The internal error in one line, no traceback (it may hold personal data); in plain words where
    the catalogue itself cannot say it (an installation damaged)."""
    try:
        say_error(EdgescreenError("internal_error", kind=kind).message(lang_of(sys.argv[1:])))
    except Exception:
        try:
            os.write(2, f"edgescreen: internal error ({kind}) / 内部错误\n".encode())
        except OSError:  # no stderr left to say it on (its reader gone): the exit status says it
            pass


def main() -> None:
    """The console entry point (`edgescreen`, `python -m edgescreen`): run the command, then end the
    process (runtime.exit_process: at once when the speed machinery is on). Ctrl-C, SIGTERM and
    SIGHUP unwind the command (nothing half written is left) and are said in one line; a reader that
    stops reading its output (`| head`) ends nothing (common.ReaderMayLeave)."""
    runtime.handle_signals()
    reader_may_leave()
    runtime.mark_saved(False)
    try:
        app(prog_name="edgescreen")
        code = 0
    except SystemExit as exc:
        code = exc.code
    except runtime.Interrupted as stop:
        after_ctrl_c(stop)
        # "Replaced" only where an earlier folder or file was (an outside try read it of a new folder).
        said = {"register": "interrupted_after_save", "outputs": "interrupted_after_outputs",
                "outputs_replaced": "interrupted_after_outputs_replaced"}
        # Before the command's own guard (a Ctrl-C while it loads): record writes only the register.
        said_now = said.get(runtime.saved(), interrupted_key(sys.argv[1:]))
        say_error(label(said_now, lang_of(sys.argv[1:])))
        code = stop.exit_code
    except Exception as exc:  # a bug outside a command's own guard (run_guarded), or in saying its error
        if os.environ.get("EDGESCREEN_DEBUG"):
            raise
        _say_internal_error(type(exc).__name__)
        code = 2
    if code is not None and not isinstance(code, int):  # as sys.exit("text") would: say it, exit 1
        print(code, file=sys.stderr)
        code = 1
    runtime.exit_process(code or 0)
