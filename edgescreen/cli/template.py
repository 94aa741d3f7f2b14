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
    output: Annotated[Path, typer.Option("--out", "-o", help="The form to write (.xlsx).")] = Path("入户登记表.xlsx"),
    villages: Annotated[Optional[Path], typer.Option("--villages", help="A CSV or workbook of 乡(镇) and 行政村 names: those columns get dropdowns of them.")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    rows: Annotated[int, typer.Option("--rows", help="How many household rows to prepare (formatted and validated).")] = DEFAULT_ROWS,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Write the blank 入户登记表 (household registration form) with dropdowns, validations and hints."""
    from ..outputs.template import write_template

    lang = check_lang(lang)
    written = run_guarded(lambda: write_template(output, rules=rules, villages=villages, rows=rows, force=force,
                                                 lang=lang), lang)
    out.print(f"wrote {written}: {rows} household rows, sheets {label('form_sheet', 'zh')} and "
              f"{label('form_guide_sheet', 'zh')}" + (f", with the village list of {villages}" if villages else ""),
              highlight=False, markup=False)
