"""`edgescreen check`: options, and the summary a township clerk reads before sending a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table
from rich.text import Text

from .. import runtime
from ..catalogue import label
from ..inputs import expand_inputs
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
from .progress import progress_reader


def _code_table(report, lang: str) -> Table:
    table = Table(title=label("check_summary_title", lang), show_footer=True)
    table.add_column(label("code", lang), footer=label("total", lang), no_wrap=True)
    table.add_column(label("check_name", lang))
    table.add_column(label("severity", lang), no_wrap=True)
    table.add_column(label("issue_count", lang), justify="right", footer=str(len(report.issues)))
    for code, severities, n in report.code_rows():
        table.add_row(code, label(f"check_{code}", lang),
                      Text("/".join(label(s, lang) for s in severities), style="red" if "error" in severities else "yellow"),
                      str(n))
    return table


def _township_table(report, lang: str) -> Table:
    townships = report.townships
    table = Table(show_footer=True)
    table.add_column(label("township", lang), footer=label("total", lang))
    for key, col in (("households_total", "households"), ("error", "errors"), ("warning", "warnings"),
                     ("households_with_errors", "households_with_errors")):
        table.add_column(label(key, lang), justify="right", footer=str(int(townships[col].sum())))
    for township, row in townships.iterrows():
        table.add_row(Text(township or "—"), *[str(int(v)) for v in row])
    return table


def check(
    inputs: Inputs,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o", help="Report folder. Default: <first input>-质量报告 beside the first input (<first input>-quality-report with --lang en); an earlier check report there is replaced.")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    force: Annotated[bool, typer.Option("--force", help="Replace the report folder even if it is not an earlier check report.")] = False,
) -> None:
    """Check survey files for missing items, misplaced items and logical errors (不漏项、不串项、无逻辑错误).

    Writes the quality report (quality.xlsx, report.html, issues.csv, one workbook per village to send
    back) and prints a summary. Exit 0: no error-level issues; 1: some; 2: an input cannot be read.
    """
    lang = check_lang(lang)

    def job():
        files = expand_inputs(list(inputs))
        # The fix lists are few next to a screen's village lists: a helper starts only when they
        # are many (runtime.WorkShare), not before reading.
        with runtime.start(files, share_writing=False) as session:
            from ..jobs import check as run_check  # after the session: see screen.py

            with progress_reader() as progress:
                task = progress.add_task("读取 reading", total=len(files))

                def advance(path, record):
                    progress.update(task, description=f"读取 {path.name}")
                    progress.advance(task)

                return run_check(inputs, rules, year=year, as_of=day(as_of), out_dir=out_dir, lang=lang,
                                 force=force, progress=advance, session=session)

    outcome = run_guarded(job, lang)
    report = outcome.report
    for fact in report.facts.itertuples(index=False):
        style = "yellow" if fact.level == "attention" else "dim"
        out.print(Text(f"{fact.source_file}: {fact.message}", style=style))
    from ..outputs.quality import systemic_lines  # after the job: pandas is loaded by now
    for line in systemic_lines(outcome.result, lang):
        out.print(Text(line, style="yellow"))
    if len(report.issues):
        out.print(_code_table(report, lang))
        out.print(_township_table(report, lang))
    out.print(Text(label("check_done", lang, households=outcome.households, errors=outcome.errors,
                         warnings=outcome.warnings, folder=str(outcome.out_dir))))
    raise typer.Exit(outcome.exit_code)
