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
    IncludeHiddenOpt,
    Inputs,
    LangOpt,
    RosterOpt,
    RulesOpt,
    YearOpt,
    check_lang,
    day,
    example_figure_warnings,
    out,
    run_guarded,
)
from .progress import progress_reader
from .tables import CountColumn, count_tables


def _code_table(report, lang: str) -> Table:
    """Issues by check: the code and the check's name fold on a narrow terminal; the count never."""
    counts = [n for _, _, n in report.code_rows()]
    widest = max(len(str(n)) for n in [*counts, len(report.issues)])
    table = Table(title=label("check_summary_title", lang), show_footer=True, title_justify="left")
    table.add_column(label("code", lang), footer=label("total", lang), overflow="fold")
    table.add_column(label("check_name", lang), overflow="fold")
    table.add_column(label("severity", lang), no_wrap=True)
    table.add_column(label("issue_count", lang), justify="right", footer=str(len(report.issues)), no_wrap=True,
                     min_width=widest)
    for code, severities, n in report.code_rows():
        table.add_row(code, label(f"check_{code}", lang),
                      Text("/".join(label(s, lang) for s in severities), style="red" if "error" in severities else "yellow"),
                      str(n))
    return table


def _township_tables(console, report, lang: str) -> list[Table]:
    """Households, errors and warnings by township: as many tables as the width needs (tables.py)."""
    townships = report.townships
    columns = [CountColumn(label(key, lang), townships[col].tolist())
               for key, col in (("households_total", "households"), ("error", "errors"), ("warning", "warnings"),
                                ("households_with_errors", "households_with_errors"))]
    return count_tables(console, title=None, first=label("township", lang),
                        names=[t or "—" for t in townships.index], columns=columns, footer=label("total", lang))


def check(
    inputs: Inputs,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    force: Annotated[bool, typer.Option("--force")] = False,
    include_hidden: IncludeHiddenOpt = False,
    roster: RosterOpt = None,
) -> None:
    """`edgescreen check` (its help: help_check and opt_* in data/messages/cli.toml): the quality
    report and a summary. Exit 0: no error-level issues; 1: some; 2: an input cannot be read."""
    lang = check_lang(lang)

    def job():
        files = expand_inputs(list(inputs))
        # The fix lists are few next to a screen's village lists: a helper starts only when they
        # are many (runtime.WorkShare), not before reading.
        with runtime.start(files, share_writing=False) as session:
            with progress_reader(lang=lang) as progress:  # before the library loads: see screen.py
                task = progress.add_task(label("progress_reading", lang, file=files[0].name if files else ""),
                                         total=len(files))
                from ..jobs import check as run_check

                def advance(path, record):
                    progress.update(task, description=label("progress_reading", lang, file=path.name))
                    progress.advance(task)

                return run_check(inputs, rules, year=year, as_of=day(as_of), out_dir=out_dir, lang=lang,
                                 force=force, progress=advance, session=session, include_hidden=include_hidden,
                                 rosters=roster or ())

    outcome = run_guarded(job, lang)
    report = outcome.report
    example_figure_warnings(outcome.result, lang)
    for fact in report.facts.itertuples(index=False):
        style = "yellow" if fact.level == "attention" else "dim"
        out.print(Text(f"{fact.source_file}: {fact.message}", style=style))
    from ..outputs.quality import systemic_lines  # after the job: pandas is loaded by now
    for line in systemic_lines(outcome.result, lang):
        out.print(Text(line, style="yellow"))
    if outcome.result.rosters is not None and outcome.result.members is None:
        out.print(Text(label("rosters_heads_only", lang), style="yellow"))
    if len(report.issues):
        out.print(_code_table(report, lang))
        for table in _township_tables(out, report, lang):
            out.print(table)
    out.print(Text(label("check_done", lang, households=outcome.households, errors=outcome.errors,
                         warnings=outcome.warnings, folder=str(outcome.out_dir))))
    # The members' own rows (a member of no household, one on a 低保 roster among them) are errors too:
    # the verdict says so, as the exit status does.
    member_errors = outcome.result.member_error_count
    if member_errors:
        out.print(Text(label("check_member_errors", lang, count=member_errors), style="yellow"))
    # A blank form among the files (a file fact of the report): not "ready to send", whatever the others hold.
    empty = bool((report.facts["fact"] == "file_empty").any())
    # Households on a hidden sheet, not read: not "ready to send" either, until someone has looked.
    hidden = bool((report.facts["fact"] == "hidden_sheet_households").any())
    after = "check_open_next" if outcome.errors or member_errors else "check_open_next_hidden" \
        if hidden else "check_open_next_clean" if outcome.warnings else "check_open_next_empty" if empty \
        else "check_open_next_no_issue"
    out.print(Text(label(after, lang)))
    raise typer.Exit(outcome.exit_code)
