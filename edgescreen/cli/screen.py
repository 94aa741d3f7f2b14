"""`edgescreen screen`: options, the progress bar, and what the clerk reads at the end.

The library is imported inside the command, after the session has started: the command line loads
without pandas, so that the first workbook parses while the rest of the program loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from .. import runtime
from ..catalogue import STATUSES, Phrase, label
from ..errors import UsageError
from ..inputs import folder_inputs, roster_path, shell_word
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
    click_context,
    day,
    day_option,
    err,
    example_figure_warnings,
    out,
    run_guarded,
    wan_households_line,
)
from .progress import ScreenProgress, progress_reader
from .tables import CountColumn, count_tables
from .wrapping import Named, say_prose


def status_tables(console: Console, township_counts, lang: str, statuses=STATUSES) -> list[Table]:
    """Households by township (rows) and status (columns, short labels, those of `statuses`), with
    totals: one table when it fits the console, else paged (tables.py); never a number cut."""
    townships = list(township_counts.index)
    columns = [CountColumn(label(f"status_short_{s}", lang), township_counts[s].tolist()) for s in statuses]
    columns.append(CountColumn(label("total", lang), township_counts["total"].tolist()))
    return count_tables(console, title=label("summary_title", lang), first=label("township", lang),
                        names=[t or label("unknown_township", lang) for t in townships], columns=columns,
                        footer=label("total", lang))


def legend_items(lang: str, statuses=STATUSES) -> list[str]:
    """What each short status label stands for: 有误 = 数据有误,待核实 …"""
    return [label("status_legend_item", lang, short=label(f"status_short_{s}", lang), status=label(s, lang))
            for s in statuses]


def legend(lang: str, statuses=STATUSES) -> str:
    """What each short status label stands for, in one line."""
    return label("status_legend", lang, items=label("list_sep_wide", lang).join(legend_items(lang, statuses)))


def print_summary(console: Console, township_counts, lang: str, possible=STATUSES) -> None:
    """The status table and its legend, a column for each status shown (classify.shown_statuses: those
    `possible` under the rules, and any a household has)."""
    from ..classify import shown_statuses

    statuses = shown_statuses(possible, township_counts[STATUSES].sum())
    for table in status_tables(console, township_counts, lang, statuses):
        console.print(table)
    # Wrapped between its items, never inside one ("有误 =" at a line's end, its meaning on the next).
    say_prose(console, legend(lang, statuses), keep=legend_items(lang, statuses), style="dim")


def formula_warnings(result, lang: str) -> None:
    """A line per file with formula cells never calculated, and one with cells of an Excel error value.
    A total's formula beside its components filled in decides nothing (formula_total_unchecked): its
    cells are said apart, their households decided on the components. Of a workbook marked for
    recalculation (InputFile.formulas_stale) the cells may hold saved values, not used: said so."""
    index = result.issue_index
    unchecked = index["code"].to_numpy(dtype=object) == "formula_total_unchecked"
    totals = set()
    if unchecked.any():
        rows = result.issue_rows(lang, unchecked)
        totals = set(zip(rows["source_file"], rows["sheet"].fillna(""), rows["cell"]))
    for record in result.inputs:
        found = record.formula_cells_without_value
        total_cells = [(sheet, cell) for sheet, cell in found if (record.name, sheet or "", cell) in totals]
        apart = set(total_cells)  # a set: a county's workbook may hold a formula total on every row
        stale = record.formulas_stale
        for key, cells_of in (("screen_formula_cells_stale" if stale else "screen_formula_cells",
                               [c for c in found if c not in apart]),
                              ("screen_formula_totals_stale" if stale else "screen_formula_totals", total_cells),
                              ("screen_error_cells", record.error_cells)):
            if cells_of:
                cells = [f"{sheet}!{cell}" if sheet else cell for sheet, cell in cells_of]
                shown = ", ".join(cells[:5]) + (", …" if len(cells) > 5 else "")
                _warn(label(key, lang, file=record.name, count=f"{len(cells):,}", cells=shown))


def what_to_open(result, written: Path, lang: str, publicity: bool, register: bool = False,
                 mask: bool = True) -> list[tuple[str, int]]:
    """The last lines: where the outputs are and which to open first; each with how far a line it
    wraps into goes in (an output's words go on under its words, not under its name). `register`:
    screened with --register, whose villages/ lists are not what the meetings review (register next's
    documents are: a later year's lists hold the households already on the register too)."""
    villages = len(list((written / "villages").glob("*.xlsx")))
    items = [("report.html", label("screen_open_report", lang)),
             ("quality.xlsx", label("screen_open_quality", lang)),
             # --no-mask: the lists hold whole IDs and phone numbers, the county's own copy, not to send.
             ("villages/", label("screen_open_villages_unmasked" if not mask else "screen_open_villages_register"
                                 if register else "screen_open_villages", lang, count=f"{villages:,}"))]
    if publicity:
        items.append(("publicity/", label("screen_open_publicity_register" if register else "screen_open_publicity", lang)))
    items.append(("summary.xlsx", label("screen_open_summary", lang)))
    items.append(("decisions.csv", label("screen_open_ledger", lang)))
    width = max(len(name) for name, _ in items)
    lines = [(label("screen_done", lang, households=f"{len(result.households):,}", folder=str(written)), 0),
             (rules_used_line(result, lang), 0),
             (label("screen_open_next", lang), 0)]
    lines += [(f"  {name:<{width}}  {what}", width + 2) for name, what in items]
    errors, invalid = result.error_count, int(result.counts["invalid"])
    if errors and not invalid:
        lines.append((errors_on_excluded_line(result, lang), 0))
    elif errors:
        # Recorded onto a register, 「重新筛查」 alone reads as "now", refused once villages have begun: the route.
        lines.append((label("screen_errors_found_register" if register else "screen_errors_found", lang,
                            errors=f"{errors:,}", invalid=f"{invalid:,}"), 0))
    if result.member_error_count:  # the members' own rows: said as check says them
        lines.append((label("check_member_errors", lang, count=f"{result.member_error_count:,}"), 0))
    if result.warning_count:
        lines.append((warnings_line(result, lang), 0))
    return lines


def errors_on_excluded_line(result, lang: str) -> str:
    """Errors with no household held 数据有误: every one is on a household left out as 低保户, 特困人员 or
    已建档立卡 (an exclusion comes before the errors), so nobody waits to be screened again; they are
    still to be corrected on the survey. 「0 户认定为数据有误」 and how 「这些户要重新筛查」 named no one
    (an outside try)."""
    import numpy as np

    errors = result.issue_index
    households = np.unique(errors.loc[errors["severity"] == "error", "hh"].to_numpy(dtype=np.int64))
    statuses = result.households["status"].iloc[households].value_counts()
    kinds = label("list_sep", lang).join(label("screen_errors_status_count", lang, status=label(s, lang),
                                               households=f"{int(statuses[s]):,}")
                                         for s in STATUSES if s in statuses.index)
    return label("screen_errors_on_excluded", lang, errors=f"{result.error_count:,}",
                 households=f"{len(households):,}", kinds=kinds)


def rules_used_line(result, lang: str) -> str:
    """The rule set that decided the households, where it came from and the year's bounds, in one line:
    with and without --rules the terminal read the same but for the folder, and a 2019 default run
    looked like the county's. The county's file by its name; a shipped one said as edgescreen's own."""
    from ..rules import is_shipped, rules_words  # one wording with the register's (status, the spot check)

    rules, bounds, path = result.rule_set, result.bounds, result.loaded_rules.path
    return rules_words(rules.title, rules.id, path.name, is_shipped(path), bounds.year, bounds.lower_fen,
                       bounds.upper_fen, lang)


def rules_file_named(result) -> list[str]:
    """The rules file's name as rules_used_line says it: kept whole where the line wraps."""
    return [result.loaded_rules.path.name]


# Kinds of warning named in screen's line of them, the most frequent first.
WARNING_KINDS_NAMED = 3


def warnings_line(result, lang: str, *, said_if_none_grouped: bool = True) -> str:
    """The households' warnings in a sentence, as the work they are: those to check one by one (how
    many, on how many households, the most frequent kinds), and apart those of the whole-village or
    whole-column findings said once each above (systemic.py: issues.csv keeps them row by row, the
    reports do not), counted as findings and cells: a village leaving every 0 blank is one thing to
    fix, not 800 to check. A warning decides nothing by itself, but a blank income read as 0 may have
    (a 【影响认定】 finding): said so, not "warnings change no decision" under it. Without this line a
    run of warnings only (a sheet named 删除户, rows struck through, comments) ended as a clean one.
    `said_if_none_grouped` False ('' where no warning is grouped): check's count of them is enough."""
    from ..classify import check_titles
    from ..outputs.quality import warning_work

    work = warning_work(result)  # the reports' verdict counts the same, from the same place
    if not work.findings and not said_if_none_grouped:
        return ""
    titles = check_titles(lang)
    named = [label("screen_warning_kind", lang, title=titles[code] if code in titles else label("screen_warning_kind_other", lang),
                   count=f"{count:,}") for code, count in work.by_check.head(WARNING_KINDS_NAMED).items()]
    said = dict(warnings=f"{work.warnings:,}", households=f"{work.households:,}",
                kinds=label("list_sep", lang).join(named),
                more=label("screen_warning_kinds_more", lang) if len(work.by_check) > WARNING_KINDS_NAMED else "")
    if not work.findings:
        return label("screen_warnings_found", lang, **said)
    apart = dict(findings=f"{work.findings:,}", cells=work.cells_text(lang))
    body = label("screen_warnings_apart", lang, **said, **apart) if len(work.by_check) else \
        label("screen_warnings_all_grouped", lang, **apart)
    end = label("screen_warnings_end_decides", lang, mark=label("systemic_decides_mark", lang).strip()) \
        if work.decides else label("screen_warnings_end", lang)
    return body + end


def roster_lines(result, lang: str) -> list[str]:
    """What the rosters found, in a sentence (none without rosters): the clerk's cue to open the
    villages' 核实清单 before the meetings."""
    run = result.rosters
    if run is None:
        return []
    counts = run.counts(result.households["status"])
    # The rosters that can change a status are named as given (only 低保: not 低保、特困、建档立卡).
    kinds = [Phrase(f"roster_short_{k}") for k in run.authoritative_kinds()]
    changed = counts.pop("changed")
    changed = Phrase("screen_rosters_changed", count=f"{changed:,}", kinds=kinds).render(lang) if kinds else ""
    # With nothing to verify no village has a 核实清单: the sentence does not send the clerk to one.
    pending = counts.pop("pending")
    if counts["flagged"] or counts["leads"]:
        opening = "screen_rosters_line"
    elif pending or counts["unmatched"] or counts["unlisted"]:  # on the 核实清单 all the same
        opening = "screen_rosters_line_others"
    else:
        opening = "screen_rosters_line_none"
    # Only the clauses that count something: "0 户有同村同名线索" says nothing.
    found = label("list_sep", lang).join(label(f"screen_rosters_{key}", lang, count=f"{counts[key]:,}")
                                         for key in ("flagged", "leads") if counts[key])
    lines = [label(opening, lang, changed=changed, found=found, **{key: f"{n:,}" for key, n in counts.items()})]
    if pending:  # a returned list did not answer for them: the village's 核实清单 says 比对结果待查
        lines.append(label("rosters_pending_candidates", lang, count=f"{pending:,}"))
    if counts["unmatched"]:  # their members' IDs went unmatched: the household was not checked in full
        lines.append(label("rosters_unmatched_candidates", lang, count=f"{counts['unmatched']:,}"))
    if counts["unlisted"]:  # members not listed at all: matched against no roster either
        lines.append(label("rosters_unlisted_candidates", lang, count=f"{counts['unlisted']:,}"))
    people, households = run.undecided()
    if people:  # in two households: the roster changed neither, and they are not two decisions
        lines.append(Phrase("rosters_undecided", people=f"{people:,}", households=f"{households:,}",
                            kinds=kinds).render(lang))
    if run.unlinked:  # matched to no household: not in the counts above, and not to be lost
        lines.append(label("rosters_unlinked", lang, count=f"{run.unlinked:,}"))
    for roster in run.rosters:
        # People on a roster without an ID match no one (an invalid ID, and a roster all blank, are said
        # with the file's facts): their rows are named in quality.xlsx.
        blank = int(roster.rows["blank"].sum())
        if 0 < blank < len(roster.rows):
            lines.append(label("rosters_rows_blank", lang, roster=label(f"roster_name_{roster.kind}", lang),
                               file=roster.path.name, count=f"{blank:,}"))
    for index, roster in enumerate(run.rosters):
        # People an authoritative roster lists whom the survey lacks (a household not surveyed, or an
        # ID mistyped on one side): they decided nothing; their rows are in quality.xlsx.
        not_found = run.not_found.get(index)
        if roster.effect == "authoritative" and not_found is not None and len(not_found):
            # A county's roster given for one township: its other townships' people said as such.
            elsewhere = int(not_found.loc[not_found["elsewhere"].to_numpy(dtype=bool), "id"].nunique()) \
                if "elsewhere" in not_found else 0
            lines.append(label("rosters_not_found_elsewhere" if elsewhere else "rosters_not_found", lang,
                               roster=label(f"roster_name_{roster.kind}", lang), file=roster.path.name,
                               count=f"{not_found['id'].nunique():,}", elsewhere=f"{elsewhere:,}"))
    if result.members is None:  # the members are where a roster finds what a household left unsaid
        lines.append(label("rosters_heads_only", lang))
    return lines


def _warn(line: str) -> None:
    """A warning line on stderr, wrapped by edgescreen at the terminal's width (never inside a
    number, a file name or a column letter's header)."""
    say_prose(err, f"edgescreen: {line}", indent=2, style="yellow", keep=getattr(line, "names", ()))


def sheet_warnings(result, lang: str, year_recorded: bool = False) -> None:
    """What the sheets read say of themselves: households read from rows hidden by hand or by a
    filter (the clerk may not have seen them), households on a hidden sheet, not read, amounts in 万元,
    places read from a title, a title's other year, a 合计 row that is no sum, households below the
    last 合计 (补录) that it leaves out. Each kind said for
    NOTES_OF_A_KIND_SAID sheets at most, then counted. `year_recorded`: recorded in the register under
    the --year given, a title's other year is said as the clerk's choice (--year of the title's year
    would now be refused as earlier than the round). Ages counted at today, no --as-of or --date given
    (quality.counted_today): a survey a sheet says was filled in more than a year before is said once."""
    import pandas as pd

    from ..outputs.quality import (ages_counted_today_line, below_last_total_line, counted_today, filled_down_line,
                                   hidden_sheet_line, older_survey, row_ranges, rows_on_terminal,
                                   total_differs_line, wan_words)

    aged_at = counted_today(result)
    older = older_survey(result.inputs, aged_at) if aged_at is not None else None

    notes: dict[str, list[str]] = {}

    def note(kind: str, line: str) -> None:
        notes.setdefault(kind, []).append(line)

    for record in result.inputs:
        for sheet, count in record.hidden_households:
            note("hidden_sheet", f"{record.name}: {hidden_sheet_line(sheet, count, lang)}")
        for sheet in record.sheets:
            where = label("where_sheet", lang, file=record.name, sheet=sheet.name) if sheet.name else record.name
            if sheet.in_wan:
                said, amounts = wan_words(sheet.in_wan, lang)
                note("in_wan", label("terminal_amounts_in_wan", lang, where=where, said=said, fields=amounts))
            if sheet.places_from:  # the place read (三盛玉镇三盛玉村) kept whole, as the file and sheet are
                places = [name for name, _, _ in sheet.places_from.values()]
                note("places_from", Named(sheet.places_said("terminal_places_from_title", lang, where),
                                          [label("place_names_sep", lang).join(places), *places,
                                           record.name, sheet.name]))
            if sheet.title_years and result.bounds.year not in sheet.title_years:
                key = "screen_title_year_recorded" if year_recorded else "fact_title_year"
                note("title_year", label(key, lang, where=label("terminal_where", lang, where=where),
                                         said=label("list_sep", lang).join(map(str, sheet.title_years)),
                                         year=result.bounds.year, first=sheet.title_years[0]))
            if older is not None and older[0] is sheet:  # ages at today of a survey years old: once
                note("ages_counted_today", ages_counted_today_line(older, label("terminal_where", lang, where=where),
                                                                   aged_at, lang))
            for total in sheet.totals_differ:
                note("total_differs", total_differs_line(total, label("terminal_where", lang, where=where), lang))
            if sheet.filled_down is not None:  # the column's letter and header kept together (B「行政村」)
                column = sheet.filled_down[2]
                note("filled_down", Named(filled_down_line(sheet.filled_down, label("terminal_where", lang, where=where),
                                                           lang), [column.render(lang) if hasattr(column, "render")
                                                                   else str(column)]))
            if sheet.below_last_total is not None:  # 补录 below the 合计: read, and not in it
                note("below_last_total", below_last_total_line(sheet.below_last_total,
                                                               label("terminal_where", lang, where=where), lang,
                                                               terminal=True)[0])
            for key, rows in (("terminal_hidden_rows", sheet.hidden_rows),
                              ("terminal_filtered_rows", sheet.filtered_rows)):
                if rows:  # a county's sheet may hide hundreds of runs: the first said, the rest in quality.xlsx
                    ranges = row_ranges(rows)
                    cut = rows_on_terminal(pd.DataFrame({"sheet": "", "row": rows}), lang, cell=ranges)
                    note(key, label(f"{key}_first" if cut else key, lang, where=where, count=f"{len(rows):,}",
                                    rows=cut[0] if cut else ranges))
    for kind, lines in notes.items():
        for line in lines[:NOTES_OF_A_KIND_SAID]:
            _warn(line)
        if len(lines) > NOTES_OF_A_KIND_SAID:
            _warn(label("terminal_sheet_notes_more", lang, count=len(lines) - NOTES_OF_A_KIND_SAID,
                        sheet=label("sheet_files", lang)))


def unread_column_warnings(result, lang: str) -> None:
    """Columns whose header names no field but reads like one (收入, 人口, 低保 …: fields.toml
    [headers] looks_like_field): their cells were not read, which may leave an amount out. Said
    once per header, with the sheets it stands on."""
    from ..catalogue import fields, members_catalogue, normalise_header

    words, computed = fields().headers.looks_like_field, fields().headers.looks_computed
    # Members typed in the household's row (成员1姓名 …): no field of the form to rename them to; said
    # once per sheet, where the members go instead.
    in_columns = members_catalogue().in_columns_pattern()
    where_by_header: dict[str, list[str]] = {}
    for record in result.inputs:
        for sheet in record.sheets:
            members = [c for c in sheet.unknown_columns
                       if in_columns is not None and in_columns.match(normalise_header(c.header))]
            if members:
                where = label("where_sheet", lang, file=record.name, sheet=sheet.name) if sheet.name else record.name
                _warn(label("terminal_members_in_columns", lang, where=where, count=len(members),
                            first=members[0].header, columns=f"{members[0].letter}–{members[-1].letter}"))
            for column in sheet.unknown_columns:
                header = column.header
                if column in members:
                    continue
                if any(w in header for w in words) and not any(w in header for w in computed):
                    where = label("where_sheet", lang, file=record.name, sheet=sheet.name) if sheet.name \
                        else record.name
                    where_by_header.setdefault(header, []).append((where, column.letter))
    for header, places in where_by_header.items():
        (where, letter), more = places[0], len(places) - 1
        line = label("terminal_unread_column", lang, header=header, where=where, column=letter,
                     more=label("terminal_unread_more", lang, count=more) if more else "")
        _warn(line)


def uncounted_column_warnings(result, lang: str) -> None:
    """A column the survey filled that the rules file does not count (财产性收入 left out of its
    [income] components): the amounts were not read into the income, and a total given beside them
    does not match; said with the column and the rules file, so the survey is not blamed."""
    from ..catalogue import fields
    from ..rule_files import uncounted_columns

    headers = fields().by_name
    rules = str(result.loaded_rules.path)
    for found in uncounted_columns(result):
        if not found["places"]:
            continue
        (file, sheet, column), more = found["places"][0], len(found["places"]) - 1
        where = label("where_sheet", lang, file=file, sheet=sheet) if sheet else file
        total = headers[found["total"]].header
        mismatch = label("screen_component_mismatch", lang, count=found["mismatched"], total=total) \
            if found["mismatched"] else ""
        _warn(label("screen_component_not_counted", lang, where=where, column=column.letter, header=column.header,
                    count=found["households"], rules=rules, side=found["side"], field=found["field"], total=total,
                    more=label("terminal_unread_more", lang, count=more) if more else "", mismatch=mismatch))


def file_kind_warnings(result, lang: str) -> None:
    """Files whose name says another format than they hold (an .xls renamed .xlsx, a text export saved
    as .xls): read as what they hold, and said, so that the clerk saves them rightly next time."""
    from ..outputs.quality import file_facts

    facts = file_facts([r for r in result.inputs if r.named_as], lang)
    for fact in facts[facts["fact"] == "content_kind"].itertuples(index=False):
        _warn(f'{fact.source_file}: {fact.message}')


def left_out_lines(result, lang: str) -> None:
    """What the folders given hold that was not read, and why: a warning where households may be in it
    (an .xlsb, a folder deeper down, a workbook without a household header), a plain line for a lock
    file (its workbook is read, maybe not as last edited)."""
    if not result.left_out:
        return
    from ..outputs.quality import file_facts

    for fact in file_facts([], lang, result.left_out).itertuples(index=False):
        if fact.level == "attention":
            _warn(f'{fact.source_file}: {fact.message}')
        else:
            say_prose(err, f"edgescreen: {fact.source_file}: {fact.message}", indent=2, style="dim")


def roster_warnings(result, lang: str) -> None:
    """What of a roster may have been missed (a sheet not read, IDs not valid or all blank): the
    quality report's roster facts that call for attention, on stderr. A fact's rows are said by their
    first runs (quality.rows_on_terminal): a county's 低保 roster has thousands of 停保 rows, a line for
    each fact and not 900 lines of row numbers above the summary (every row stays in quality.xlsx's 文件情况)."""
    if result.rosters is None:
        return
    from ..outputs.quality import roster_facts

    facts = roster_facts(result, lang, terminal=True)
    for fact in facts[facts["level"] == "attention"].itertuples(index=False):
        _warn(f'{fact.source_file}: {fact.message}')


def member_warnings(result, lang: str) -> None:
    """A members table whose 户号 are another system's (a 公安 export's), linked through the heads' own
    rows: said once per sheet on stderr, as quality.xlsx's 文件情况 says it, so a clerk knows how."""
    if result.members is None:
        return
    from ..members import other_numbers_facts

    for file, _, line in other_numbers_facts(result.members, lang):
        _warn(f"{file}: {line}")


def request_list_lines(done, inputs, lang: str) -> list[str]:
    """Where the request list is and what to do with it: send it to each department, and screen again
    with the list each gives back (--roster KIND=FILE). None without --request-list."""
    if done.request_list is None:
        return []
    said = label("screen_request_list", lang, file=str(done.request_list),
                 households=f"{len(done.result.households):,}", people=f"{done.request_people:,}")
    command = label("screen_request_list_command", lang, inputs=" ".join(shell_word(str(p)) for p in inputs))
    return [said, command]


def option_typed(name: str) -> bool:
    """Whether the option of parameter `name` was given on the command line (not left to its default)."""
    ctx, source = click_context()
    return ctx.get_parameter_source(name) == source.COMMANDLINE


def command_again(option: str, value: str, lang: str) -> str:
    """This screen's command as typed (its inputs, then each option given on the command line), with
    `option` set to `value`: the words to copy to run it again so, paths quoted as the shell needs."""
    ctx, source = click_context()
    words: list[str] = []
    for param in ctx.command.params:
        given = ctx.params.get(param.name)
        if param.param_type_name == "argument":
            words += [shell_word(str(v)) for v in given or ()]
            continue
        name = max(param.opts, key=len)
        if name == option or ctx.get_parameter_source(param.name) != source.COMMANDLINE:
            continue
        for v in given if isinstance(given, (list, tuple)) else [given]:
            if isinstance(v, bool):
                words += [name] if v else []
            else:
                words += [name, v.date().isoformat() if isinstance(v, dt.datetime) else shell_word(str(v))]
    words += [option, shell_word(value)]
    return label("screen_again_command", lang, arguments=" ".join(words))


def screen(
    inputs: Inputs,
    out_dir: Annotated[Optional[Path], typer.Option("--out", "-o")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    no_mask: Annotated[bool, typer.Option("--no-mask")] = False,
    publicity_start: Annotated[Optional[dt.datetime], day_option("--publicity-start")] = None,
    force: Annotated[bool, typer.Option("--force")] = False,
    strict: Annotated[bool, typer.Option("--strict")] = False,
    include_hidden: IncludeHiddenOpt = False,
    register: Annotated[Optional[Path], typer.Option("--register")] = None,
    round_date: Annotated[Optional[dt.datetime], day_option("--date")] = None,
    roster: RosterOpt = None,
    request_list: Annotated[bool, typer.Option("--request-list")] = False,
    leave_unfinished: Annotated[bool, typer.Option("--leave-unfinished")] = False,
    add_to_round: Annotated[bool, typer.Option("--add-to-round")] = False,
) -> None:
    """`edgescreen screen` (its help: help_screen and opt_* in data/messages/cli.toml; --roster's and
    --request-list's in data/messages/rosters.toml)."""
    lang = check_lang(lang)
    check_year(year, lang)

    def job():
        found = folder_inputs(list(inputs), rosters=[roster_path(r) for r in roster or ()])
        files = found.files
        with runtime.start(files) as session:
            # The bar shows before the library (pandas) loads: a second and more on a busy machine.
            with progress_reader(lang=lang) as progress:
                bar = ScreenProgress(progress, files, publicity_start is not None, lang)
                from ..jobs import screen_into
                from ..outputs.summary import township_table

                done = screen_into(inputs, out_dir, rules=rules, year=year, as_of=day(as_of), lang=lang,
                                   mask=not no_mask, publicity_start=day(publicity_start), force=force,
                                   progress=bar.file_read, stage=bar.step_done, session=session,
                                   include_hidden=include_hidden, register=register, round_date=day(round_date),
                                   rosters=roster or (), found=found, request_list=request_list,
                                   leave_unfinished=leave_unfinished, add_to_round=add_to_round)
        return done, township_table(done.result)

    again: list[str] = []

    def job_told():
        try:
            # --rules left off on a register kept under another rule set: refused before the survey is
            # read (a --rules given is the county's change, said when the round is recorded).
            if register is not None and not add_to_round and not option_typed("rules"):
                from ..register.rounds import check_rules_named

                check_rules_named(register, rules, year)
            return job()
        except UsageError as exc:  # a refusal a --year or --rules lifts: the command with it, to copy
            if getattr(exc, "lifted", None):  # register.rounds.lifted_by
                again.append(command_again(*exc.lifted, lang))
            raise

    try:
        done, townships = run_guarded(job_told, lang)
    except typer.Exit:
        for command in again:  # one line, never wrapped: a terminal's own wrapping copies back whole
            err.print("  " + command, markup=False, highlight=False, soft_wrap=True)
        raise
    result, written = done.result, done.out_dir
    formula_warnings(result, lang)
    sheet_warnings(result, lang, year_recorded=done.recorded is not None and year is not None)
    unread_column_warnings(result, lang)
    uncounted_column_warnings(result, lang)
    file_kind_warnings(result, lang)
    left_out_lines(result, lang)
    member_warnings(result, lang)
    roster_warnings(result, lang)
    example_figure_warnings(result, lang)
    from ..classify import possible_statuses  # after the job: pandas is loaded by now
    print_summary(out, townships, lang, possible_statuses(result.rule_set, result.bounds))
    from ..outputs.quality import similar_place_lines, systemic_lines
    for line in systemic_lines(result, lang) + similar_place_lines(result, lang):
        say_prose(out, line, style="yellow")
    for line in roster_lines(result, lang):
        say_prose(out, line)
    wan = wan_households_line(result, lang)
    if wan:
        say_prose(out, wan, style="yellow")
    # A workbook open in Excel or WPS (its lock file beside it) was read as last saved: said again here,
    # below the summary, for the warning above it has scrolled away by now.
    open_workbooks = [*dict.fromkeys(item.detail for item in result.left_out if item.reason == "lock_file")]
    if open_workbooks:
        files = label("list_sep", lang).join(open_workbooks)
        say_prose(out, label("screen_open_workbooks_again", lang, files=files), style="yellow", keep=open_workbooks)
    for line, indent in what_to_open(result, written, lang, publicity_start is not None, done.recorded is not None,
                                     mask=not no_mask):
        say_prose(out, line, indent=indent, keep=[str(written), *rules_file_named(result)])
    request_lines = request_list_lines(done, inputs, lang)
    if request_lines:  # the file, what to do with it, then the command to copy: one line, never wrapped
        say_prose(out, request_lines[0], keep=[str(done.request_list)])
        out.print("  " + request_lines[1], markup=False, highlight=False, soft_wrap=True)
    if done.recorded is not None:
        r = done.recorded
        if r.created:
            out.print(label("reg_created", lang, path=str(r.path)), highlight=False, markup=False, soft_wrap=True)
            from ..register.db import registers_beside  # loaded already: the run recorded into a register

            beside = registers_beside(r.path)
            if beside:  # 农按县.db made beside 农安县.db: a name typed wrong
                say_prose(out, Phrase("reg_created_beside", names=beside, path=str(r.path)).render(lang), style="yellow",
                          keep=[str(r.path), *beside])
        if r.joined:
            say_prose(out, label("reg_round_joined", lang, path=str(r.path), round=r.round_id,
                                 date=r.round_date.isoformat(), households=r.households, candidates=r.candidates,
                                 villages=r.villages), keep=[str(r.path)])
        else:
            out.print(label("reg_round_recorded", lang, path=str(r.path), round=r.round_id,
                            date=r.round_date.isoformat(), households=r.households, candidates=r.candidates),
                      highlight=False, markup=False, soft_wrap=True)
        if r.kept_as_one:  # a head's ID on two rows: the register holds one household for them
            say_prose(out, label("reg_round_kept_as_one_joined" if r.joined else "reg_round_kept_as_one", lang,
                                 count=f"{r.kept_as_one:,}",
                                 recorded=f"{r.households - r.kept_as_one:,}"), style="yellow")
        if r.left_unfinished:  # the round before stops there for them: said, so that no one is surprised
            from ..register.rounds import left_unfinished_line  # loaded already: this run recorded a round

            say_prose(out, left_unfinished_line(r, lang), style="yellow")
        if r.rules_changed is not None:  # another rule set than the round before's, or its own file edited since
            from ..register.rounds import rules_changed_line

            say_prose(out, rules_changed_line(r, lang), style="yellow")
        if r.rosters_dropped:  # a roster of last year's not given: its excluded households decided anew
            from ..register.rounds import rosters_dropped_line

            say_prose(out, rosters_dropped_line(r, lang), style="yellow",
                      keep=[text for _, name, place in r.rosters_dropped for text in (name, place)])
        if r.comparison is not None:  # a later round: what it found for the register's households
            out.print(label("reg_changes_title", lang), highlight=False, markup=False)
            for change, count in r.comparison.counts.items():
                if count:
                    out.print(label("reg_changes_item", lang, change=label(f"change_{change}", lang),
                                    count=f"{count:,}"), highlight=False, markup=False)
            from ..register.years import id_refused_count  # loaded already: this run compared the round

            if shared := id_refused_count(r.comparison.changes):  # an ID copied wrong: not one household
                say_prose(out, label("reg_id_shared", lang, count=f"{shared:,}"), style="yellow")
            for township, village, households, before in r.comparison.copied:
                say_prose(out, label("reg_village_copied", lang, place=f"{township}{village}",
                                     households=f"{households:,}", year=before), style="yellow")
            # loaded already: this run wrote changes.xlsx
            from ..register.changes import merged_sentences, unsurveyed_command, unsurveyed_sentences

            for text in merged_sentences(r.comparison.changes, lang):
                say_prose(out, text, style="yellow")
            # A village with no survey row at all: its survey may not have come, and how to add it late.
            given = shell_word(str(register))
            late = unsurveyed_command(lang, result.bounds.year, given)
            for text in unsurveyed_sentences(r.comparison.changes, lang, result.bounds.year, given):
                say_prose(out, text, style="yellow", keep=[late])
        # Last, as the next thing to do: the meetings' documents come from the register. `register next`
        # dates them today unless --date says otherwise, and each step's dates may not be before it: a
        # round dated earlier (a screen entered after the fact) names its day, or its meetings are refused.
        # A late township's join (--add-to-round) is today's, whatever the round's date.
        dated = r.round_date < dt.date.today() and not r.joined
        advice = label("screen_register_next_dated", lang, date=r.round_date.isoformat()) if dated else \
            label("screen_register_next", lang)
        say_prose(out, advice, keep=["edgescreen register record", "--date"])
        # The command to copy: one line, never wrapped (a terminal's own wrapping copies back whole);
        # the register as it was given, from where the screen ran.
        command = label("screen_register_next_dated_command" if dated else "screen_register_next_command", lang,
                        register=shell_word(str(register)), date=r.round_date.isoformat())
        out.print("  " + command, markup=False, highlight=False, soft_wrap=True)
    if strict and (result.error_count or result.member_error_count):
        raise typer.Exit(1)  # the members' own rows' errors count, as check's exit status counts them
