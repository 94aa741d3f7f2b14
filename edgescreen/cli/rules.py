"""`edgescreen rules list|show|check|new|test`: printing what the library in rule_files.py and
rule_tests.py returns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape as esc
from rich.table import Table

from ..errors import RulesError
from ..rule_files import (
    bounds_text,
    check_rules_file,
    describe_rule_set,
    in_force_table,
    list_rule_sets,
    new_rules_file,
)
from ..rules import DEFAULT_RULES, load_rules
from .common import fail, out, run_guarded

rules_app = typer.Typer(
    name="rules",
    help="Rule sets: list them, show one, check or start a county's own file, run rule tests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RuleSpec = Annotated[str, typer.Argument(help="A shipped rule-set id (e.g. changchun-2019, monitoring) or the path of a rules file.",
                                         show_default=False)]


@rules_app.command("list")
def rules_list(
    folder: Annotated[Optional[Path], typer.Argument(help="A folder of county rules files to list instead of the shipped ones.",
                                                     show_default=False)] = None,
) -> None:
    """List rule sets: id, title, years with values, the bounds in force in the latest year."""
    rows = run_guarded(lambda: list_rule_sets(folder))
    table = Table(title="edgescreen rule sets" if folder is None else f"rule files in {folder}")
    for col in ("id", "title", "years", "bounds (latest year)", "file"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r["error"]:
            table.add_row(esc(r["id"]), "[red]does not load: run edgescreen rules check[/]", "", "", esc(r["path"]))
        else:
            table.add_row(*(esc(r[k]) for k in ("id", "title", "years", "bounds", "path")))
    out.print(table)


def _print_rule_set(d: dict) -> None:
    out.print(f"[bold]{esc(d['id'])}[/] — {esc(d['title'])}", highlight=False)
    out.print(f"file: {d['path']}\nsha256: {d['sha256']}", highlight=False, markup=False)
    if d["reference"]:
        out.print(f"reference: {d['reference']}", highlight=False, markup=False)
    if d["description"]:
        out.print(d["description"], highlight=False, markup=False)
    for key, meaning in (("lower_bound", "exclusive: per-capita net income must be above it"),
                         ("upper_bound", "exclusive: per-capita net income must be below it")):
        p = d[key]
        if p is None:
            out.print(f"\n[bold]{key}[/]: none (no lower bound: every household below the upper bound counts)")
            continue
        table = Table(title=f"{key} ({p['unit']}; {meaning})", title_justify="left", show_lines=False)
        table.add_column("effective")
        table.add_column("value", justify="right")
        table.add_column("source", overflow="fold")
        for v in p["values"]:
            table.add_row(v["effective"], v["value"], esc(v["source"]))
        out.print()
        if p["description"]:
            out.print(p["description"], highlight=False, markup=False)
        out.print(table)
    table = Table(title="value in force by income year (--year)", title_justify="left")
    table.add_column("year")
    keys = [k for k in ("lower_bound", "upper_bound") if d[k] is not None]
    for k in keys:
        table.add_column(k, justify="right")
    table.add_column("")
    for row in d["in_force"]:
        cells = [f"{row[k]['value']} (from {row[k]['effective']})" if row[k] else "—" for k in keys]
        table.add_row(str(row["year"]), *cells, "" if row["screenable"] else "cannot screen this year")
    out.print()
    out.print(table)
    ex = d["exclude"]
    yes_no = lambda b: "excluded" if b else "not excluded"  # noqa: E731
    out.print(f"\nexclusions: 低保户 {yes_no(ex['dibao'])}; 特困人员 {yes_no(ex['tekun'])}; "
              f"建档立卡贫困户 {yes_no(ex['registered_poor'])}", highlight=False, markup=False)
    for key, name in (("income", "家庭总收入"), ("expenses", "家庭生产经营性支出")):
        s = d[key]
        parts = " + ".join(f"{c['header']} ({c['field']})" for c in s["components"])
        out.print(f"{key}: {name} = {parts}; or the form's {s['total']['header']} ({s['total']['field']})"
                  " where the components are not given", highlight=False, markup=False)
    out.print("checks: " + "; ".join(f"{k} = {v}" for k, v in d["checks"].items()), highlight=False, markup=False)
    if d["reference_figures"]:
        table = Table(title="figures found elsewhere (for comparison; not applied)", title_justify="left")
        for col in ("region", "effective", "value", "source"):
            table.add_column(col, overflow="fold")
        for f in d["reference_figures"]:
            table.add_row(esc(f["region"]), f["effective"], f["value"], esc(f["source"]))
        out.print()
        out.print(table)


@rules_app.command("show")
def rules_show(
    rules: RuleSpec,
    year: Annotated[Optional[list[int]], typer.Option("--year", help="Show the values in force for this income year (repeatable). Default: every year the rule set spans.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rule set as JSON.")] = False,
) -> None:
    """Show a rule set: every parameter, each dated value with its source, the value in force per year."""
    d = run_guarded(lambda: describe_rule_set(load_rules(rules), year or None))
    if as_json:
        typer.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print_rule_set(d)


@rules_app.command("check")
def rules_check(
    file: Annotated[Path, typer.Argument(help="The county's rules file (.toml).", show_default=False)],
) -> None:
    """Validate a county's rules file: exit 0 if it loads, 1 with every problem if it does not."""
    if not file.is_file():
        raise fail(f"{file}: no such file.")
    try:
        loaded, warnings = check_rules_file(file)
    except RulesError as exc:
        raise fail(str(exc), 1) from None
    r = loaded.rules
    out.print(f"OK: {file} — {r.id}, {r.title}", highlight=False, markup=False)
    for row in in_force_table(r):
        if row["screenable"]:
            out.print(f"  income year {row['year']}: {bounds_text(loaded, row['year'])}", highlight=False)
    for w in warnings:
        out.print(f"[yellow]warning:[/] {esc(w)}", highlight=False)


@rules_app.command("new")
def rules_new(
    file: Annotated[Path, typer.Argument(help="The new rules file to write, e.g. 农安县.toml.", show_default=False)],
    source: Annotated[str, typer.Option("--from", help="The rule set to copy (id or file).")] = DEFAULT_RULES,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Start a county's own rules file: a commented copy of the default rule set (or of --from)."""
    target = run_guarded(lambda: new_rules_file(file, source, force=force))
    out.print(f"wrote {target}: edit the values and their sources, then run", highlight=False, markup=False)
    out.print(f"  edgescreen rules check {target}\n  edgescreen screen SURVEY.xlsx --rules {target}", highlight=False, markup=False)


@rules_app.command("test")
def rules_test(
    files: Annotated[list[Path], typer.Argument(help="Rule-test files (TOML of [[case]] entries) or folders of them.",
                                                show_default=False)],
    rules: Annotated[Optional[str], typer.Option("--rules", "-r", help="Run the cases against this rule set instead of the one each file names.")] = None,
) -> None:
    """Run rule tests: each case's household is screened and its status and per-capita compared."""
    from ..rule_tests import case_files, run_cases  # the pipeline loads pandas

    def job():
        results = []
        for path in case_files(files):
            results.append(run_cases(path, rules))
        return results

    runs = run_guarded(job)
    failed = 0
    for loaded, results in runs:
        table = Table(title=esc(f"{loaded.path} — rules {loaded.rules.rules.id}"), title_justify="left")
        for col in ("", "case", "expected", "got"):
            table.add_column(col, overflow="fold")
        for r in results:
            want = r.expected["status"] + (f" {r.expected['per_capita']}" if r.expected["per_capita"] is not None else "")
            got = (r.got.get("status", "") + (f" {r.got.get('per_capita', '')}" if r.got else "")).strip()
            mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
            table.add_row(mark, esc(r.name), want, got)
        out.print(table)
        for r in results:
            if not r.passed:
                failed += 1
                out.print(f"[red]FAIL[/] {esc(r.explain())}", highlight=False)
    total = sum(len(r) for _, r in runs)
    out.print(f"{total - failed} of {total} cases passed.", highlight=False)
    if failed:
        raise typer.Exit(1)
