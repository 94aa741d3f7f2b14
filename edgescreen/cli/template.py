"""`edgescreen template`: the blank 入户登记表."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..catalogue import label
from ..rules import DEFAULT_RULES
from .common import LangOpt, RulesOpt, check_lang, out, run_guarded

DEFAULT_ROWS = 200  # as outputs/template.py, which loads xlsxwriter: not imported for --help


def template(
    output: Annotated[Path, typer.Option("--out", "-o")] = Path("入户登记表.xlsx"),
    villages: Annotated[Optional[Path], typer.Option("--villages")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    rows: Annotated[int, typer.Option("--rows")] = DEFAULT_ROWS,
    force: Annotated[bool, typer.Option("--force")] = False,
    lang: LangOpt = "zh",
) -> None:
    """`edgescreen template` (its help: help_template and opt_* in data/messages/cli.toml)."""
    from ..outputs.template import write_template

    lang = check_lang(lang)
    written = run_guarded(lambda: write_template(output, rules=rules, villages=villages, rows=rows, force=force,
                                                 lang=lang), lang)
    out.print(label("template_done", lang, path=str(written), rows=rows, sheet=label("form_sheet", lang),
                    guide=label("form_guide_sheet", lang),
                    villages=label("template_done_villages", lang, file=str(villages)) if villages else ""),
              highlight=False, markup=False, soft_wrap=True)
