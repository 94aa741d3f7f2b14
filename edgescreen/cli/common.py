"""What every command shares: the consoles, how a library error becomes a message and an exit code,
and the options several commands declare alike.

Exit status: 0 ran; 1 error-level issues found under --strict (or by `check`); 2 bad usage or an
input that cannot be read, with a short message and no traceback (EDGESCREEN_DEBUG=1 shows one).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import EdgescreenError

out = Console()
err = Console(stderr=True)

# Options shared by several commands, declared once.
Inputs = Annotated[list[Path], typer.Argument(help="Survey files (.xlsx .xlsm .xls .ods .csv) or folders of them.",
                                              show_default=False)]
RulesOpt = Annotated[str, typer.Option("--rules", "-r", help="Rule-set id (e.g. changchun-2019) or the path of a county's own rules file.")]
YearOpt = Annotated[Optional[int], typer.Option("--year", help="Income year of the survey; picks the rule values in force. Default: the rule set's latest.")]
AsOfOpt = Annotated[Optional[dt.datetime], typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date ages are computed at (YYYY-MM-DD). Default: today.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of everything people read: zh or en.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    # escape: a message may quote [table] names or file names such as [2019]调查.xlsx, not markup
    err.print(f"[bold red]edgescreen:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def run_guarded(fn):
    """Call fn, turning the library's own errors into a message and exit 2."""
    try:
        return fn()
    except EdgescreenError as exc:
        raise fail(str(exc)) from None
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # a bug: say so briefly; the traceback may hold personal data
        if os.environ.get("EDGESCREEN_DEBUG"):
            raise
        raise fail(f"internal error ({type(exc).__name__}). Nothing was written. Run again with "
                   "EDGESCREEN_DEBUG=1 to see the details and report them.") from None


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise fail(f"--lang must be zh or en, not {lang!r}.")
    return lang


def day(value: dt.datetime | None) -> dt.date | None:
    """A date option (typer parses it as a datetime) as a date."""
    return value.date() if value else None
