"""`edgescreen explain`: one household's decision, step by step."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from ..rules import DEFAULT_RULES
from .common import (
    AsOfOpt,
    Inputs,
    LangOpt,
    RulesOpt,
    YearOpt,
    check_lang,
    day,
    out,
    run_guarded,
)


def explain(
    inputs: Inputs,
    head_id: Annotated[Optional[str], typer.Option("--id", help="The head of household's ID number (户主身份证号).")] = None,
    row: Annotated[Optional[str], typer.Option("--row", help="Where the household is: FILE:SHEET:ROW as Excel numbers it, e.g. 农安县.xlsx:合隆镇:12 (a CSV: FILE:ROW).")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the trace as JSON, for audit.")] = False,
) -> None:
    """Explain one household's decision: its cells, sums, per-capita, each rule with its figure and source.

    Give all the files screened together, so duplicates across them are found as `screen` finds them.
    """
    from ..explain import explain as trace  # the library loads pandas
    from ..explain import render_text, to_json

    lang = check_lang(lang)
    traces = run_guarded(lambda: trace(inputs, head_id=head_id, row=row, rules=rules, year=year,
                                       as_of=day(as_of), lang=lang), lang)
    if as_json:
        typer.echo(to_json(traces))
        return
    for i, one in enumerate(traces):
        if i:
            out.print()
        out.print(render_text(one, lang), highlight=False, markup=False, soft_wrap=True)
