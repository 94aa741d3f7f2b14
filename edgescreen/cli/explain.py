"""`edgescreen explain`: one household's decision, step by step."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from ..catalogue import label
from ..rules import DEFAULT_RULES
from .common import (
    AsOfOpt,
    Inputs,
    LangOpt,
    RosterOpt,
    RulesOpt,
    YearOpt,
    check_lang,
    check_year,
    day,
    out,
    run_guarded,
)
from .terminal import stdout_is_unicode
from .wrapping import wrap


def explain(
    inputs: Inputs,
    head_id: Annotated[Optional[str], typer.Option("--id")] = None,
    name: Annotated[Optional[str], typer.Option("--name")] = None,
    row: Annotated[Optional[str], typer.Option("--row")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    roster: RosterOpt = None,
) -> None:
    """`edgescreen explain` (its help: help_explain and opt_* in data/messages/cli.toml).

    What it prints may go to a console or file that cannot encode every character (a Chinese
    Windows `> 说明.txt` is GBK): the program's streams replace such a character (terminal.py), and
    the JSON escapes non-ASCII there, so an audit copy loses nothing."""
    from ..explain import explain as trace  # the library loads pandas
    from ..explain import render_text, to_json

    lang = check_lang(lang)
    check_year(year, lang)
    traces = run_guarded(lambda: trace(inputs, head_id=head_id, row=row, name=name, rules=rules, year=year,
                                       as_of=day(as_of), lang=lang, rosters=roster or ()), lang)
    if as_json:
        sys.stdout.write(to_json(traces, ascii_only=not stdout_is_unicode()) + "\n")
        return
    for i, one in enumerate(traces):
        if i:
            out.print()
        # On a terminal, edgescreen wraps each line (a figure, 3875.00, is never cut in two), its later
        # lines indented under its first; to a file, each line stays whole.
        text = render_text(one, lang)
        lines = wrap(text, out.width, indent=3, keep=[label("explain_decides", lang)]) if out.is_terminal \
            else text.split("\n")
        for line in lines:
            out.print(line, highlight=False, markup=False, soft_wrap=True)
