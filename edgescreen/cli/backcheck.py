"""`edgescreen backcheck`: the filled verification forms against the ledger or register they were drawn
from: 错评率, 漏评率 and the field error rate with their intervals, and the enumerators who stand out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..catalogue import label
from .common import LangOpt, check_lang, out, run_guarded
from .wrapping import say_prose


def backcheck(
    source: Annotated[Path, typer.Argument(show_default=False)],
    forms: Annotated[list[Path], typer.Argument(show_default=False)],
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    tolerance: Annotated[str, typer.Option("--tolerance")] = "10%",
    threshold: Annotated[float, typer.Option("--threshold")] = 0.02,
    alpha: Annotated[float, typer.Option("--alpha")] = 0.05,
    confidence: Annotated[float, typer.Option("--confidence")] = 0.95,
    rules: Annotated[Optional[str], typer.Option("--rules", "-r")] = None,
    survey: Annotated[Optional[list[Path]], typer.Option("--survey")] = None,
    sample: Annotated[Optional[Path], typer.Option("--sample")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    all_problems: Annotated[bool, typer.Option("--all-problems")] = False,
    lang: LangOpt = "zh",
) -> None:
    """`edgescreen backcheck` (its help: help_backcheck and opt_backcheck_* in data/messages/spotcheck.toml)."""
    lang = check_lang(lang)

    def job():
        from ..errors import EdgescreenError
        from ..spotcheck.backcheck import Tolerance
        from ..spotcheck.report import backcheck_into, refusal_names, terminal_lines, terminal_names

        try:
            result, folder = backcheck_into(source, forms, out_dir, lang=lang, force=force,
                                            tolerance=Tolerance.parse(tolerance), threshold=threshold, alpha=alpha,
                                            confidence=confidence, rules=rules, surveys=survey, sample=sample)
        except EdgescreenError as exc:  # a refusal's sheets and cells («入户核查表 (2)» J3), never broken
            keep.extend(refusal_names(exc))
            if all_problems:  # every place, not the first PLACE_LINES
                raise exc.in_full() from None
            raise
        return terminal_lines(result, lang), [*terminal_names(result, lang), str(folder)], folder

    from ..spotcheck.report import expand_forms

    given = [str(p) for p in (source, *forms, *(survey or []), *([sample] if sample else []))]
    keep = [*given, *(p.name for p in expand_forms(forms))]
    lines, names, folder = run_guarded(job, lang, keep=keep)
    for text, style in [*lines, (label("spot_backcheck_done", lang, folder=str(folder)), "")]:
        say_prose(out, text, indent=2, keep=names, style=style or None)
