"""`edgescreen check`: options, and the summary a township clerk reads before sending a workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .. import runtime
from ..catalogue import label
from ..inputs import folder_inputs, roster_path
from ..rules import DEFAULT_RULES
from .common import (
    AsOfOpt,
    IncludeHiddenOpt,
    NOTES_OF_A_KIND_SAID,
    Inputs,
    LangOpt,
    RosterOpt,
    RulesOpt,
    YearOpt,
    check_lang,
    check_year,
    day,
    example_figure_warnings,
    out,
    run_guarded,
    wan_households_line,
)
from .progress import progress_reader
from .tables import CountColumn, count_tables
from .wrapping import say_prose


def _code_table(console, report, lang: str) -> Table:
    """Issues by check: the check's Chinese title first (what the clerk reads), the count never folded;
    the code (the key into quality.xlsx) last, and only where the terminal has room for it."""
    rows = report.code_rows()
    counts = [f"{n:,}" for _, _, n in rows]
    total = f"{len(report.issues):,}"

    def table(with_code: bool) -> Table:
        t = Table(title=label("check_summary_title", lang), show_footer=True, title_justify="left")
        t.add_column(label("check_name", lang), footer=label("total", lang), overflow="fold")
        t.add_column(label("severity", lang), no_wrap=True)
        t.add_column(label("issue_count", lang), justify="right", footer=total, no_wrap=True,
                     min_width=max(map(len, [*counts, total])))
        if with_code:
            t.add_column(label("code", lang), style="dim", no_wrap=True)
        for (code, severities, _), n in zip(rows, counts):
            severity = Text("/".join(label(s, lang) for s in severities),
                            style="red" if "error" in severities else "yellow")
            t.add_row(label(f"check_{code}", lang), severity, n, *([code] if with_code else []))
        return t

    wide = table(with_code=True)
    return wide if Measurement.get(console, console.options.update_width(10_000), wide).maximum <= console.width \
        else table(with_code=False)


def _township_tables(console, report, lang: str) -> list[Table]:
    """Households, errors and warnings by township: as many tables as the width needs (tables.py)."""
    townships = report.townships
    columns = [CountColumn(label(key, lang), townships[col].tolist())
               for key, col in (("households_total", "households"), ("error", "errors"), ("warning", "warnings"),
                                ("households_with_errors", "households_with_errors"))]
    return count_tables(console, title=None, first=label("township", lang),
                        names=[t or label("unknown_township", lang) for t in townships.index], columns=columns, footer=label("total", lang))


# How a file was read (its header rows, its 合计 and footer rows, a sheet skipped): said one by one up
# to this many facts; past it (a county's folder of township workbooks, a sheet per village: 900
# lines), said in quality.xlsx alone, with what needs attention and what changes the reading.
FACTS_SAID = 20
ROUTINE_FACTS = ("file", "sheet", "encoding", "sheet_skipped")


# Past FACTS_SAID, of each other kind of fact the first few are said (common.NOTES_OF_A_KIND_SAID) and
# the rest counted; what was not read at all is said whole. So is every 合计/小计 row that is not the sum
# of its households: the verdict holds the folder back for them, and a clerk folded two of five (an
# outside try), corrected three, and needed another round. Those past the first few in a line each.
ALWAYS_SAID = ("not_read", "file_empty", "total_differs")


def _facts_to_say(facts):
    """The file facts the terminal says, and how many it leaves to quality.xlsx: past FACTS_SAID,
    the routine ones, and of every other kind the facts past NOTES_OF_A_KIND_SAID (attention or not:
    the same fact of 300 sheets is one thing to look at, and the report lists them all). With them, the
    totals that differ to say in a line (the index of those past NOTES_OF_A_KIND_SAID, where facts are cut)."""
    if len(facts) <= FACTS_SAID:
        return facts, 0, set()
    routine = (facts["level"] == "info") & (facts["fact"].isin(ROUTINE_FACTS) | facts["fact"].str.startswith("rows_"))
    past = facts.groupby("fact", sort=False).cumcount().to_numpy() >= NOTES_OF_A_KIND_SAID
    short = set(facts.index[past & (facts["fact"] == "total_differs").to_numpy(dtype=bool)])
    # What was not read at all (a folder too deep, a lock file, an empty workbook) is said whole.
    past &= ~facts["fact"].isin(ALWAYS_SAID).to_numpy(dtype=bool)
    left = routine.to_numpy(dtype=bool) | past
    return facts[~left], int(left.sum()), short


def _total_labels(result) -> dict[tuple[str, str, str], str]:
    """Each total row that differs (totals.TotalDiffers), by its fact's file, sheet and detail (its row):
    its label as the sheet writes it (合计, 前岗村小计), or ''."""
    return {(rec.name, sheet.name, str(total.row)): total.said
            for rec in result.inputs for sheet in rec.sheets for total in sheet.totals_differ}


def _total_in_a_line(fact, labels: dict, lang: str) -> str:
    """A total row that is not the sum of its households in a line: its sheet, its row and label; what
    differs is in quality.xlsx, as the first few said in full show."""
    said = labels.get((fact.source_file, fact.sheet, str(fact.detail)), "")
    return label("check_total_differs_line", lang,
                 where=label("fact_where_sheet", lang, sheet=fact.sheet) if fact.sheet else "", row=fact.detail,
                 said=label("total_said", lang, said=said) if said else "")


def _formula_cells_on_terminal(fact, message: str, lang: str) -> str:
    """A fact of formula cells without a saved value (a workbook never opened in Excel: every amount of
    every row) as screen says it: its first few cells (systemic.RANGES_SHOWN), how many, and where every
    one is in quality.xlsx; list_said's cut, the one its cell has past 30,000 characters."""
    from ..outputs.quality import ROWS_SAID_MOST, list_said
    from ..systemic import RANGES_SHOWN

    detail = str(fact.detail)
    cells = detail.split(", ")
    where = label("sheet_all_rows" if len(detail) > ROWS_SAID_MOST else "sheet_files", lang)
    said = list_said(detail, len(cells), lang, rest=label("fact_cells_all_at", lang, sheet=where),
                     most=len(", ".join(cells[:RANGES_SHOWN])) + len(", "))
    return message.replace(str(fact.shown), said, 1)


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
    check_year(year, lang)

    def job():
        found = folder_inputs(list(inputs), rosters=[roster_path(r) for r in roster or ()])
        files = found.files
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
                                 rosters=roster or (), found=found)

    outcome = run_guarded(job, lang)
    report = outcome.report
    example_figure_warnings(outcome.result, lang)
    # Sentences wrapped by edgescreen, not the terminal: 第 613 行 and a file's name stay whole.
    # A place read from the form's own words (三盛玉镇三盛玉村) too, as screen keeps it.
    places = report.facts.loc[report.facts["fact"] == "places_from_title", "detail"]
    names = [*dict.fromkeys([*report.facts["source_file"], *places.astype(str)])]
    from ..outputs.quality import run_facts, similar_place_lines, systemic_lines  # after the job: pandas is loaded by now

    facts, routine, short = _facts_to_say(report.facts)
    messages = run_facts(outcome.result, lang, terminal=True)["message"]  # report.facts' order, rows cut
    total_labels = _total_labels(outcome.result) if short else {}
    for fact in facts.itertuples():
        style = "yellow" if fact.level == "attention" else "dim"
        message = messages[fact.Index]
        if fact.fact == "formula_cells":
            message = _formula_cells_on_terminal(fact, message, lang)
        elif fact.Index in short:
            message = _total_in_a_line(fact, total_labels, lang)
        say_prose(out, f"{fact.source_file}: {message}", indent=2, keep=names, style=style)
    if routine:
        say_prose(out, label("check_facts_more" if len(facts) else "check_facts_only", lang, count=f"{routine:,}",
                             sheet=label("sheet_files", lang)),
                  style="dim")
    for line in systemic_lines(outcome.result, lang) + similar_place_lines(outcome.result, lang):
        say_prose(out, line, indent=2, keep=names, style="yellow")
    if outcome.result.rosters is not None:
        # What the rosters found, in screen's sentences (its last says when only heads were matched); the
        # village lists with their 核实清单 are screen's, which check does not write: said so.
        from .screen import roster_lines
        for line in roster_lines(outcome.result, lang):
            say_prose(out, line, indent=2, keep=names)
        say_prose(out, label("check_rosters_lists", lang), indent=2)
    if len(report.issues):
        out.print(_code_table(out, report, lang))
        for table in _township_tables(out, report, lang):
            out.print(table)
    from .screen import rules_file_named, rules_used_line
    # The rule set the households were checked and decided by, as screen says it (a --rules left off
    # reads the same as the county's file otherwise).
    say_prose(out, rules_used_line(outcome.result, lang), keep=rules_file_named(outcome.result))
    say_prose(out, label("check_done", lang, households=f"{outcome.households:,}", errors=f"{outcome.errors:,}",
                         warnings=f"{outcome.warnings:,}", folder=str(outcome.out_dir)), keep=[str(outcome.out_dir)])
    # The warnings counted above hold those of the whole-village or whole-column findings said once: the
    # ones to check one by one said apart from them, as screen says them (its line: none when none is grouped).
    from .screen import warnings_line
    apart = warnings_line(outcome.result, lang, said_if_none_grouped=False) if outcome.warnings else ""
    if apart:
        say_prose(out, apart)
    # The members' own rows (a member of no household, one on a 低保 roster among them) are errors too:
    # the verdict says so, as the exit status does.
    member_errors = outcome.result.member_error_count
    if member_errors:
        say_prose(out, label("check_member_errors", lang, count=f"{member_errors:,}"), style="yellow")
    wan = wan_households_line(outcome.result, lang)
    if wan:
        say_prose(out, wan, style="yellow")
    # A blank form among the files (a file fact of the report): not "ready to send", whatever the others hold.
    empty = bool((report.facts["fact"] == "file_empty").any())
    # What holds the folder back without a data problem (a hidden sheet, hidden rows, a file not read, a
    # workbook open), as the report's verdict has it. These lines begin "no data issue in the households
    # read": said only where that is so (warnings first), never "ready to send" while any of them holds.
    caveat = {"hidden_sheet": "check_open_next_hidden", "hidden_rows": "check_open_next_hidden_rows",
              "unread": "check_open_next_unread", "open_file": "check_open_next_open_file"}.get(report.caveat)
    after = "check_open_next" if outcome.errors or member_errors else "check_open_next_clean" \
        if outcome.warnings else caveat or ("check_open_next_empty" if empty else "check_open_next_no_issue")
    # A 合计/小计 row that is not the sum of its households (all said above) goes to the county as it is:
    # never "ready to send" while one is left, said with whatever else holds the folder back. The exit
    # status stays that of the error-level issues (README).
    totals = report.totals_differ
    if totals and after == "check_open_next_no_issue":
        verdict = label("check_open_next_totals", lang, count=f"{totals:,}")
    else:
        verdict = label(after, lang) + (label("check_open_next_totals_also", lang, count=f"{totals:,}") if totals else "")
    say_prose(out, verdict)
    # The villages' fix lists, where any were written (errors or warnings): where they are, as written,
    # and that they go back to the villages; nothing where none.
    from ..outputs.quality import VILLAGE_FIX_FOLDER

    lists = outcome.out_dir / VILLAGE_FIX_FOLDER
    count = sum(1 for _ in lists.glob("*.xlsx")) if lists.is_dir() else 0
    if count:
        say_prose(out, label("check_fix_lists", lang, count=f"{count:,}", folder=str(outcome.out_dir),
                             lists=VILLAGE_FIX_FOLDER + "/"), keep=[str(outcome.out_dir)])  # a folder, not a word
    raise typer.Exit(outcome.exit_code)
