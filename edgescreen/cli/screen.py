"""`edgescreen screen`: options, the progress bar, and what the clerk reads at the end.

The library is imported inside the command, after the session has started: the command line loads
without pandas, so that the first workbook parses while the rest of the program loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from .. import runtime
from ..catalogue import STATUSES, label
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
    err,
    out,
    run_guarded,
)
from .progress import ScreenProgress, progress_reader


def status_table(township_counts, lang: str) -> Table:
    """Households by status (rows) and township (columns), with totals."""
    table = Table(title=label("summary_title", lang), show_footer=True)
    townships = list(township_counts.index)
    table.add_column(label("status", lang), footer=label("total", lang))
    for t in townships:
        table.add_column(t or "—", justify="right", footer=str(int(township_counts.loc[t, "total"])))
    table.add_column(label("total", lang), justify="right", footer=str(int(township_counts["total"].sum())))
    for status in STATUSES:
        row = [str(int(township_counts.loc[t, status])) for t in townships]
        table.add_row(label(status, lang), *row, str(int(township_counts[status].sum())))
    return table


def formula_warnings(result) -> None:
    for record in result.inputs:
        if record.formula_cells_without_value:
            cells = [f"{sheet}!{cell}" if sheet else cell for sheet, cell in record.formula_cells_without_value]
            shown = escape(", ".join(cells[:5]) + (", …" if len(cells) > 5 else ""))
            err.print(f"[yellow]edgescreen:[/] {escape(record.name)}: {len(cells)} formula cell(s) have no saved "
                      f"value ({shown}); those households are marked "
                      "invalid, not read as 0. Open the file in Excel or WPS and save it to store the values.",
                      highlight=False, soft_wrap=True)


def screen(
    inputs: Inputs,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o", help="Output folder (must not exist unless --force). Default: <first input>-edgescreen in the current folder.")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    no_mask: Annotated[bool, typer.Option("--no-mask", help="Show ID and phone numbers in full in the village lists (the county's internal copy). Publicity notices stay masked.")] = False,
    publicity_start: Annotated[Optional[dt.datetime], typer.Option("--publicity-start", formats=["%Y-%m-%d"], help="First day of the village publicity (YYYY-MM-DD): also writes a 7-day publicity notice per village into publicity/, always masked.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the output folder if it exists.")] = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 if any error-level data issue was found (after writing everything).")] = False,
    register: Annotated[Optional[Path], typer.Option("--register", help="Also record this screen as a round in the register file (made the first time), e.g. 农安县.db: see edgescreen register.")] = None,
    round_date: Annotated[Optional[dt.datetime], typer.Option("--date", formats=["%Y-%m-%d"], help="With --register: the round's date (YYYY-MM-DD); every later step's date must be on or after it. Default: today.")] = None,
) -> None:
    """Screen survey files: a decision for every household, lists per village, issues and a summary."""
    lang = check_lang(lang)

    def job():
        files = expand_inputs(list(inputs))
        with runtime.start(files) as session:
            from ..jobs import screen_into
            from ..outputs.summary import township_table

            with progress_reader() as progress:
                bar = ScreenProgress(progress, files, publicity_start is not None)
                done = screen_into(inputs, out_dir, rules=rules, year=year, as_of=day(as_of), lang=lang,
                                   mask=not no_mask, publicity_start=day(publicity_start), force=force,
                                   progress=bar.file_read, stage=bar.step_done, session=session,
                                   register=register, round_date=day(round_date))
        return done, township_table(done.result)

    done, townships = run_guarded(job, lang)
    result, written = done.result, done.out_dir
    formula_warnings(result)
    out.print(status_table(townships, lang))
    out.print(f"{len(result.households)} households → {written}", highlight=False)
    if done.recorded is not None:
        r = done.recorded
        if r.created:
            out.print(label("reg_created", lang, path=str(r.path)), highlight=False, markup=False, soft_wrap=True)
        out.print(label("reg_round_recorded", lang, path=str(r.path), round=r.round_id, date=r.round_date.isoformat(),
                        households=r.households, candidates=r.candidates), highlight=False, markup=False, soft_wrap=True)
    if result.error_count:
        out.print(f"{result.error_count} error-level data issues: see {written / 'issues.csv'}", highlight=False)
    if strict and result.error_count:
        raise typer.Exit(1)
