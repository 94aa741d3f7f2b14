"""`edgescreen rules list|show|check|new|test`: printing what the library in rule_files.py and
rule_tests.py returns."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.cells import cell_len
from rich.markup import escape as esc
from rich.table import Table

from ..catalogue import STATUSES, label, use_target
from ..inputs import shell_word
from ..errors import RulesError
from ..rule_files import (
    bounds_text,
    check_rules_file,
    describe_rule_set,
    in_force_table,
    list_rule_sets,
    new_rules_file,
)
from ..rules import (
    DEFAULT_RULES,
    FIRST_YEAR,
    LAST_YEAR,
    load_rules,
    shipped_title_kept,
    sources_naming_other_figures,
)
from .common import LangOpt, check_lang, err, fail, out, render, run_guarded, say_marked, words
from .terminal import Command, Group
from .wrapping import names_in, say_prose, wrap

rules_app = typer.Typer(
    name="rules",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RuleSpec = Annotated[str, typer.Argument(show_default=False)]


@rules_app.command("list", cls=Command)
def rules_list(
    folder: Annotated[Optional[Path], typer.Argument(show_default=False)] = None,
    lang: LangOpt = "zh",
) -> None:
    """`edgescreen rules list` (help: help_rules_list)."""
    lang = check_lang(lang)
    L = words(lang)
    rows = run_guarded(lambda: list_rule_sets(folder), lang)
    # One block per rule set rather than a table: an id and a file name are what a clerk copies into
    # --rules, and at 80 columns a table has to split one of them across lines.
    out.print(f"[bold]{esc(L('rules_list_title') if folder is None else L('rules_list_folder'))}[/]")
    for parent in dict.fromkeys(str(Path(r["path"]).parent) for r in rows):
        out.print(esc(L("rules_files_in", folder=parent)), soft_wrap=True)
    for r in rows:
        out.print()
        if r["error"]:
            out.print(f"[bold]{esc(r['id'])}[/]  [red]{esc(L('rules_does_not_load'))}[/]", soft_wrap=True)
            facts = [("rules_col_file", Path(r["path"]).name)]
        else:
            out.print(f"[bold]{esc(r['id'])}[/]")
            facts = [("rules_col_title", r["title"]), ("rules_col_file", Path(r["path"]).name),
                     ("rules_col_years", _screen_years(r["path"], lang)),
                     ("rules_col_bounds", render(r["bounds"], lang))]
        grid = Table.grid(padding=(0, 2), pad_edge=True)
        grid.add_column(no_wrap=True, style="dim")
        grid.add_column(overflow="fold")
        for key, value in facts:
            grid.add_row("  " + esc(L(key)), esc(value))
        out.print(grid)


def _screen_years(path: str, lang: str) -> str:
    """The income years --year can screen ('2019 起': each later year keeps the latest values), and
    the earlier years that have a lower bound only (the poverty line was known; the limit was not)."""
    table = in_force_table(load_rules(path).rules)
    screenable = [row["year"] for row in table if row["screenable"]]
    partial = [row["year"] for row in table if not row["screenable"] and any(row[k] for k in ("lower_bound", "upper_bound"))]
    text = label("rules_years_from", lang, year=screenable[0]) if screenable else "—"
    if partial:
        span = str(partial[0]) if len(partial) == 1 else f"{partial[0]}–{partial[-1]}"
        text += label("rules_years_partial", lang, years=span)
    return text


def _not_screenable(row: dict, lang: str) -> str:
    if row["screenable"]:
        return ""
    if row.get("lower_bound") and not row.get("upper_bound"):
        return label("rules_upper_not_in_force", lang)
    return label("rules_cannot_screen", lang)


def _print_rule_set(d: dict, lang: str) -> None:
    L = words(lang)
    say = lambda text: say_prose(out, text, indent=2)  # noqa: E731  (a sentence breaks where Chinese may)
    out.print(f"[bold]{esc(d['id'])}[/] — {esc(d['title'])}", highlight=False)
    say(L("rules_file_line", path=d["path"], sha256=d["sha256"]))
    say(L("rules_target", words=(d["target"] or {}).get(lang) or label("target", lang)))
    if d["basis"]:
        say(L("rules_basis", basis=d["basis"]))
    if d["reference"]:
        say(L("rules_reference", reference=d["reference"]))
    if d["description"]:  # a rules file's text breaks its lines mid-sentence: one paragraph per sentence end
        say(re.sub(r"(?<![。!?:;\n])\n(?!\n)", "", d["description"]))
    for key in ("lower_bound", "upper_bound"):
        p = d[key]
        if p is None:
            say("\n" + L("rules_no_lower", key=key))
            continue
        table = Table(title=L(f"rules_{key}_title", key=key, unit=p["unit"]), title_justify="left", show_lines=False)
        table.add_column(L("rules_col_effective"))
        table.add_column(L("rules_col_value"), justify="right")
        # The source wrapped by edgescreen, not folded by rich: "当年价2800元" stays whole.
        value_width = max(cell_len(L("rules_col_value")), *(len(v["value"]) for v in p["values"]))
        source_width = out.width - 10 - max(10, cell_len(L("rules_col_effective"))) - value_width
        table.add_column(L("rules_col_source"), overflow="fold")
        for v in p["values"]:
            table.add_row(v["effective"], v["value"], esc("\n".join(wrap(v["source"], source_width))))
        out.print()
        if p["description"]:
            say(p["description"])
        out.print(table)
    table = Table(title=L("rules_in_force_title"), title_justify="left")
    table.add_column(L("rules_col_year"))
    keys = [k for k in ("lower_bound", "upper_bound") if d[k] is not None]
    for k in keys:  # the clerk's word, and the key the file spells it with
        table.add_column(L(f"rules_col_{k}", key=k), justify="right")
    table.add_column(L("rules_col_note"), overflow="fold")
    for row in d["in_force"]:
        cells = [L("rules_value_from", value=row[k]["value"], effective=row[k]["effective"]) if row[k] else "—"
                 for k in keys]
        table.add_row(str(row["year"]), *cells, _not_screenable(row, lang))
    out.print()
    out.print(table)
    ex = d["exclude"]
    yes_no = lambda b: L("rules_excluded") if b else L("rules_not_excluded")  # noqa: E731
    say("\n" + L("rules_exclusions", dibao=yes_no(ex["dibao"]), tekun=yes_no(ex["tekun"]),
                  registered=yes_no(ex["registered_poor"])))
    for key, name in (("income", "total_income"), ("expenses", "production_expenses")):
        s = d[key]
        parts = " + ".join(f"{c['header']} ({c['field']})" for c in s["components"])
        say(L("rules_sum_line", key=key, name=label(name, "zh"), parts=parts, total=s["total"]["header"],
              field=s["total"]["field"]))
    from ..outputs.ledger import field_words

    headers = field_words(lang)  # a list of fields is said by their headers, as the form has them
    shown = {k: L("list_sep").join(headers.get(f, f) for f in v) if isinstance(v, (list, tuple)) else v
             for k, v in d["checks"].items()}
    # Each threshold on a line, by what it is, the rules file's key after it for the county that edits it.
    say(L("rules_checks_title"))
    for k, v in shown.items():
        say(L("rules_check_item", what=L("rules_check_" + k), value=v, key=k))
    if d["reference_figures"]:
        table = Table(title=L("rules_reference_title"), title_justify="left")
        for key in ("rules_col_region", "rules_col_effective", "rules_col_value", "rules_col_source"):
            table.add_column(L(key), overflow="fold")
        for f in d["reference_figures"]:
            table.add_row(esc(f["region"]), f["effective"], f["value"], esc(f["source"]))
        out.print()
        out.print(table)


@rules_app.command("show", cls=Command)
def rules_show(
    rules: RuleSpec,
    year: Annotated[Optional[list[int]], typer.Option("--year", min=FIRST_YEAR, max=LAST_YEAR)] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Show a rule set: every parameter, each dated value with its source, the value in force per year."""
    lang = check_lang(lang)
    d = run_guarded(lambda: describe_rule_set(load_rules(rules), year or None), lang)
    if as_json:
        typer.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print_rule_set(d, lang)


@rules_app.command("check", cls=Command)
def rules_check(
    file: Annotated[Path, typer.Argument(show_default=False)],
    lang: LangOpt = "zh",
) -> None:
    """Validate a county's rules file: exit 0 if it loads, 1 with every problem if it does not."""
    lang = check_lang(lang)
    L = words(lang)
    if file.is_dir():
        raise fail(RulesError("rules_file_is_folder", path=str(file)), lang)
    if not file.is_file():
        raise fail(RulesError("rules_file_missing", path=str(file)), lang)
    try:
        loaded, warnings = check_rules_file(file)
    except RulesError as exc:
        raise fail(exc, lang, 1) from None
    r = loaded.rules
    out.print(L("rules_check_ok", path=str(file), id=r.id, title=r.title), highlight=False, markup=False)
    for row in in_force_table(r):
        if row["screenable"]:
            out.print(L("rules_check_year", year=row["year"], bounds=render(bounds_text(loaded, row["year"]), lang)),
                      highlight=False, markup=False)
    # A county's figures under the city's name: a title kept from the shipped set, a source quoting
    # another figure than its value (3218元 beside 3600). Warned, not refused: the file screens right.
    title = shipped_title_kept(loaded)
    for w in [*warnings, *([title] if title is not None else []), *sources_naming_other_figures(loaded)]:
        say_marked(out, L("warning_prefix"), "yellow", w.render(lang))


@rules_app.command("new", cls=Command)
def rules_new(
    file: Annotated[Path, typer.Argument(show_default=False)],
    source: Annotated[str, typer.Option("--from")] = DEFAULT_RULES,
    force: Annotated[bool, typer.Option("--force")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Start a county's own rules file: a commented copy of the default rule set (or of --from)."""
    lang = check_lang(lang)
    target = run_guarded(lambda: new_rules_file(file, source, force=force), lang)
    # The commands to copy with the path quoted as the shell needs (a folder 县规则 2021 has a space).
    # The title first among what to change: every list prints it as the standard its households met.
    title = load_rules(target).rules.title
    said, *commands = words(lang)("rules_new_done", path=str(target), quoted=shell_word(str(target)),
                                  title=title).split("\n")
    say_prose(out, said, keep=[str(target), title])
    for command in commands:  # one line each, never wrapped: a terminal's own wrapping copies back whole
        out.print(command, highlight=False, markup=False, soft_wrap=True)


@rules_app.command("test", cls=Command)
def rules_test(
    files: Annotated[Optional[list[Path]], typer.Argument(show_default=False)] = None,
    rules: Annotated[Optional[str], typer.Option("--rules", "-r")] = None,
    lang: LangOpt = "zh",
) -> None:
    """Run rule tests: each case's household is screened and its status and per-capita compared."""
    from ..rule_tests import figures_used, run_case_files  # the pipeline loads pandas
    from ..rules import is_shipped, rules_dir

    lang = check_lang(lang)
    L = words(lang)
    # None given: the shipped rule sets' own cases, wherever the package is installed (an office's
    # wheel has no rules/tests folder beside it; README's `rules test rules/tests` was a checkout's).
    files = files or [rules_dir() / "tests"]
    runs, unreadable = run_guarded(lambda: run_case_files(files, rules), lang)
    failed = 0

    def shown(status: str) -> str:  # a status in the reader's words; a code the case mistyped as typed
        return L(status) if status in STATUSES else status

    for loaded, results in runs:
        # Each file's statuses in its own rule set's words (贫困边缘户候选, 防返贫监测对象候选): every file
        # was screened before, and the last one's words were left in use.
        use_target(loaded.rules.rules.target_words())
        # The file's path above the table, on a line of its own: as the table's title it was wrapped
        # to the table's width, inside the path (c_好.tom | l).
        shipped = is_shipped(loaded.rules.path)
        out.print(L("rules_test_title", path=str(loaded.path), id=loaded.rules.rules.id,
                    file=L("rules_test_shipped") if shipped else str(loaded.rules.path)),
                  soft_wrap=True, highlight=False, markup=False)
        # The figures each income year was tested against, and a year carrying on an earlier year's
        # (a 2020 case under changchun-2019 tests 3218): six failures were shown with no figure to read.
        for row in figures_used(results):
            line = L("rules_test_year" if row["lower"] is not None else "rules_test_year_no_lower",
                     year=row["year"], lower=row["lower"], upper=row["upper"])
            if row["since"] is not None:
                line += L("rules_test_year_carried", year=row["year"], since=row["since"])
            say_prose(out, line, indent=4)
        if not loaded.rules_named:  # a county's cases ran against the city's figures: said, not left to guess
            say_prose(out, L("rules_test_no_rules_line", path=loaded.path.name, id=loaded.rules.rules.id),
                      style="yellow", keep=[loaded.path.name])
        table = Table()
        for key in ("rules_col_mark", "rules_col_case", "rules_col_expected", "rules_col_got"):
            table.add_column(L(key), overflow="fold")
        for r in results:
            want = shown(r.expected["status"]) + (f" {r.expected['per_capita']}" if r.expected["per_capita"] is not None
                                                  else "")
            got = (shown(r.got.get("status", "")) + (f" {r.got.get('per_capita', '')}" if r.got else "")).strip()
            mark = f"[green]{esc(L('rules_pass'))}[/]" if r.passed else f"[red]{esc(L('rules_fail'))}[/]"
            table.add_row(mark, esc(r.name), want, got)
        out.print(table)
        for r in results:
            if not r.passed:
                failed += 1
                out.print(f"[red]{esc(L('rules_fail'))}[/] {esc(r.explain(lang))}", highlight=False)
    total = sum(len(r) for _, r in runs)
    out.print(L("rules_test_done", passed=total - failed, total=total), highlight=False)
    if unreadable:  # a folder's file that may hold cases and could not be read: no success to report
        for exc in unreadable:  # wrapped as a single file's refusal is: its later lines under its first
            paths = [str(v) for v in exc.params.values() if isinstance(v, str) and v.endswith(".toml")]
            paths += names_in(exc.params)  # the case file inside its line's words (第 2 行 rules = …)
            say_marked(err, L("rules_test_not_run"), "red", exc.message(lang), keep=paths)
        say_prose(err, L("rules_test_files_not_run", count=len(unreadable)))
        raise typer.Exit(2)
    if failed:
        raise typer.Exit(1)
