"""`edgescreen backcheck`: the filled verification forms against the ledger or register they were drawn
from: 错评率, 漏评率 and the field error rate with their intervals, and the enumerators who stand out.
Drawn from a register, the check is recorded in it once compared (register.spotchecks)."""

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
        recorded = _recorded_line(result, folder) if result.source.kind == "register" else None
        lines = [*terminal_lines(result, lang), *([recorded] if recorded else [])]
        return lines, [*terminal_names(result, lang), str(folder), str(source)], folder

    def _recorded_line(result, folder: Path) -> tuple[str, str]:
        """Record the check in the register it was drawn from (after the comparison and its files), and
        the line saying what was recorded: nothing new where the same findings are there already; not
        recorded where the register cannot be written (read-only: the report stands, as it is written)."""
        from ..errors import OutputError
        from ..register.spotchecks import record_spot_check
        from .register import _when

        try:
            done = record_spot_check(source, result, expanded, seed=result.facts.get("seed"))
        except OutputError as exc:
            key = "spot_record_read_only" if exc.key == "register_read_only" else "spot_record_failed"
            return label(key, lang, register=str(source), folder=str(folder), reason=exc.message(lang)), "bold yellow"
        return label(f"spot_record_{done.outcome}", lang, register=str(source), sample=done.sample_id,
                     households=done.households, who=done.who or label("blank", lang), at=_when(done.at, lang),
                     round=done.round), "bold" if done.outcome != "unchanged" else "yellow"

    from ..spotcheck.report import expand_forms

    expanded = expand_forms(forms)
    given = [str(p) for p in (source, *forms, *(survey or []), *([sample] if sample else []))]
    keep = [*given, *(p.name for p in expanded)]
    lines, names, folder = run_guarded(job, lang, keep=keep)
    for text, style in [*lines, (label("spot_backcheck_done", lang, folder=str(folder)), "")]:
        say_prose(out, text, indent=2, keep=names, style=style or None)
