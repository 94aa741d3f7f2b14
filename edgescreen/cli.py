"""The command line: option parsing, progress display and errors mapped to exit codes.

Exit status: 0 ran; 1 error-level issues found under --strict (or by `check`); 2 bad usage or an
input that cannot be read, with a short message and no traceback (EDGESCREEN_DEBUG=1 shows one).
"""

from __future__ import annotations

import datetime as dt
import os
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.table import Table

from .catalogue import messages
from .errors import EdgescreenError
from .rules import DEFAULT_RULES
from .template import DEFAULT_ROWS

app = typer.Typer(
    name="edgescreen",
    help="Screen household survey workbooks for 贫困边缘户 (poverty-edge households).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Screen household survey workbooks for 贫困边缘户 (poverty-edge households).

    edgescreen screen survey.xlsx      a decision for every household, per-village lists, issues
    """

out = Console()

# Options shared by several commands, declared once.
Inputs = Annotated[list[Path], typer.Argument(help="Survey files (.xlsx .xlsm .xls .ods .csv) or folders of them.",
                                              show_default=False)]
RulesOpt = Annotated[str, typer.Option("--rules", "-r", help="Rule-set id (e.g. changchun-2019) or the path of a county's own rules file.")]
YearOpt = Annotated[Optional[int], typer.Option("--year", help="Income year of the survey; picks the rule values in force. Default: the rule set's latest.")]
AsOfOpt = Annotated[Optional[dt.datetime], typer.Option("--as-of", formats=["%Y-%m-%d"], help="Date ages are computed at (YYYY-MM-DD). Default: today.")]
LangOpt = Annotated[str, typer.Option("--lang", help="Language of everything people read: zh or en.")]


def fail(message: str, code: int = 2) -> typer.Exit:
    # escape: a message may quote [table] names or file names such as [2019]调查.xlsx, not markup
    err.print(f"[bold red]edgescreen:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def run_guarded(fn):
    """Call fn, turning the library's own errors into a message and exit 2."""
    try:
        return fn()
    except EdgescreenError as exc:
        raise fail(str(exc)) from None
    except (KeyboardInterrupt, typer.Exit):
        raise
    except Exception as exc:  # a bug: say so briefly; the traceback may hold personal data
        if os.environ.get("EDGESCREEN_DEBUG"):
            raise
        raise fail(f"internal error ({type(exc).__name__}). Nothing was written. Run again with "
                   "EDGESCREEN_DEBUG=1 to see the details and report them.") from None


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise fail(f"--lang must be zh or en, not {lang!r}.")
    return lang


def progress_reader(console: Console = err):
    """A rich progress display on stderr: bar, share done, time spent and time left (once the
    first step is done). It shows nothing when stderr is not a terminal."""
    progress = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                        TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                        TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True)
    return progress


# Wall seconds each step of a screening run takes (measured on a million households, CSV): reading
# is spread over the files by their size, the rest follows in this order. The village lists are
# written beside the ledger, summary and quality report; their weight is the wait after those.
_STEP_WEIGHTS = {"read": 5.5, "normalise": 3.6, "compute": 0.4, "check": 1.9, "classify": 0.7,
                 "prepare_lists": 1.9, "write_ledger": 4.3, "write_issues": 0.1, "write_summary": 0.6,
                 "write_quality": 4.2, "write_villages": 2.8, "write_publicity": 0.5}
_STEP_LABELS = {"read": "检查 checking", "normalise": "检查 checking", "compute": "检查 checking",
                "check": "判定 deciding", "classify": "写出 writing", "write_ledger": "写出 writing"}


class ScreenProgress:
    """One bar for a whole screening run, advanced as each file is read and each step is done."""

    def __init__(self, progress: Progress, files: list[Path], publicity: bool):
        self.progress = progress
        sizes = {p: max(1, p.stat().st_size) for p in files}
        self.read_share = {p: _STEP_WEIGHTS["read"] * size / sum(sizes.values()) for p, size in sizes.items()}
        steps = {k: v for k, v in _STEP_WEIGHTS.items() if publicity or k != "write_publicity"}
        first = files[0].name if files else ""
        self.task = progress.add_task(f"读取 {first}", total=sum(steps.values()))
        self.files = files

    def file_read(self, path: Path, record) -> None:
        later = self.files[self.files.index(path) + 1:] if path in self.files else []
        self.progress.update(self.task, advance=self.read_share.get(path, 0.0),
                             description=f"读取 {later[0].name}" if later else "检查 checking")

    def step_done(self, name: str) -> None:
        advance = 0.0 if name == "read" else _STEP_WEIGHTS.get(name, 0.0)
        self.progress.update(self.task, advance=advance, description=_STEP_LABELS.get(name, "写出 writing"))


def status_table(result, lang: str) -> Table:
    from .classify import STATUSES

    labels = messages().labels
    df = result.households
    table = Table(title=labels["summary_title"](lang), show_footer=True)
    counts = df.groupby([df["township"].fillna(""), "status"]).size().unstack(fill_value=0)
    townships = list(counts.index)
    table.add_column(labels["status"](lang), footer=labels["total"](lang))
    for t in townships:
        table.add_column(t or "—", justify="right", footer=str(int(counts.loc[t].sum())))
    table.add_column(labels["total"](lang), justify="right", footer=str(len(df)))
    for status in STATUSES:
        row = [str(int(counts.loc[t].get(status, 0))) for t in townships]
        table.add_row(labels[status](lang), *row, str(result.counts[status]))
    return table


@app.command()
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
) -> None:
    """Screen survey files: a decision for every household, lists per village, issues and a summary."""
    from .inputs import ReadAhead, expand_inputs
    from .outputs import check_target, default_out_dir
    from .outputs.share import WriterHelper, can_share

    lang = check_lang(lang)

    def job():
        files = expand_inputs(list(inputs))
        target = out_dir or default_out_dir(Path(inputs[0]))
        check_target(target, files, force)  # before a long run, not after it
        # The process that will share the village workbooks starts now, while this one is small.
        with (WriterHelper() if can_share() else nullcontext()) as helper:
            # The first workbook parses (outside the GIL) while pandas and the pipeline load.
            ahead = ReadAhead(files)
            from .outputs import prepare_writers
            from .pipeline import screen as run_screen

            prepare_writers()
            with progress_reader() as progress:
                bar = ScreenProgress(progress, files, publicity_start is not None)
                result = run_screen(files, rules, year=year, as_of=as_of.date() if as_of else None,
                                    progress=bar.file_read, stage=bar.step_done, read_ahead=ahead)
                written = result.write(target, lang=lang, mask=not no_mask, force=force,
                                       publicity_start=publicity_start.date() if publicity_start else None,
                                       progress=bar.step_done, helper=helper)
        for record in result.inputs:
            if record.formula_cells_without_value:
                cells = [f"{sheet}!{cell}" if sheet else cell for sheet, cell in record.formula_cells_without_value]
                shown = escape(", ".join(cells[:5]) + (", …" if len(cells) > 5 else ""))
                err.print(f"[yellow]edgescreen:[/] {escape(record.name)}: {len(cells)} formula cell(s) have no saved "
                          f"value ({shown}); those households are marked "
                          "invalid, not read as 0. Open the file in Excel or WPS and save it to store the values.",
                          highlight=False, soft_wrap=True)
        return result, written

    result, written = run_guarded(job)
    out.print(status_table(result, lang))
    out.print(f"{len(result.households)} households → {written}", highlight=False)
    if result.error_count:
        out.print(f"{result.error_count} error-level data issues: see {written / 'issues.csv'}", highlight=False)
    if strict and result.error_count:
        raise typer.Exit(1)


@app.command()
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
    from rich.text import Text

    from .check_cmd import check as run_check
    from .quality import label

    lang = check_lang(lang)

    def job():
        with progress_reader() as progress:
            task = progress.add_task("读取 reading", total=len(inputs))

            def advance(path, record):
                progress.update(task, description=f"读取 {path.name}")
                progress.advance(task)

            return run_check(inputs, rules, year=year, as_of=as_of.date() if as_of else None,
                             out_dir=out_dir, lang=lang, force=force, progress=advance)

    outcome = run_guarded(job)
    report = outcome.report
    for fact in report.facts.itertuples(index=False):
        style = "yellow" if fact.level == "attention" else "dim"
        out.print(Text(f"{fact.source_file}: {fact.message}", style=style))
    issues = report.issues
    if len(issues):
        by_code = Table(title=label("check_summary_title", lang), show_footer=True)
        by_code.add_column(label("code", lang), footer=label("total", lang), no_wrap=True)
        by_code.add_column(label("check_name", lang))
        by_code.add_column(label("severity", lang), no_wrap=True)
        by_code.add_column(label("issue_count", lang), justify="right", footer=str(len(issues)))
        for code, n in report.by_code["total"].items():
            if n:
                severities = sorted(set(issues.loc[issues["code"] == code, "severity"]))
                by_code.add_row(code, label(f"check_{code}", lang),
                                Text("/".join(label(s, lang) for s in severities),
                                     style="red" if "error" in severities else "yellow"), str(int(n)))
        out.print(by_code)
        villages = report.villages
        by_township = villages.groupby("township", sort=True)[
            ["households", "errors", "warnings", "households_with_errors"]].sum()
        table = Table(show_footer=True)
        table.add_column(label("township", lang), footer=label("total", lang))
        for key, col in (("households_total", "households"), ("error", "errors"), ("warning", "warnings"),
                         ("households_with_errors", "households_with_errors")):
            table.add_column(label(key, lang), justify="right", footer=str(int(by_township[col].sum())))
        for township, row in by_township.iterrows():
            table.add_row(Text(township or "—"), *[str(int(v)) for v in row])
        out.print(table)
    out.print(Text(label("check_done", lang, households=outcome.households, errors=outcome.errors,
                         warnings=outcome.warnings, folder=str(outcome.out_dir))))
    raise typer.Exit(outcome.exit_code)


# The rules sub-app lives with its library functions (registered last: it imports from this module).
from .rules_cmd import rules_app  # noqa: E402

app.add_typer(rules_app, name="rules")



@app.command("explain")
def explain_cmd(
    inputs: Inputs,
    head_id: Annotated[Optional[str], typer.Option("--id", help="The head of household's ID number (户主身份证号).")] = None,
    row: Annotated[Optional[str], typer.Option("--row", help="Where the household is: FILE:SHEET:ROW as Excel numbers it, e.g. 农安县.xlsx:合隆镇:12 (a CSV: FILE:ROW).")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    year: YearOpt = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the trace as JSON, for audit.")] = False,
) -> None:
    """Explain one household's decision: its cells, sums, per-capita, each rule with its figure and source.

    Give all the files screened together, so duplicates across them are found as `screen` finds them.
    """
    from .explain import explain, render_text, to_json

    lang = check_lang(lang)
    traces = run_guarded(lambda: explain(inputs, head_id=head_id, row=row, rules=rules, year=year,
                                         as_of=as_of.date() if as_of else None, lang=lang))
    if as_json:
        typer.echo(to_json(traces))
        return
    for i, trace in enumerate(traces):
        if i:
            out.print()
        out.print(render_text(trace, lang), highlight=False, markup=False, soft_wrap=True)


@app.command("template")
def template_cmd(
    output: Annotated[Path, typer.Option("--out", "-o", help="The form to write (.xlsx).")] = Path("入户登记表.xlsx"),
    villages: Annotated[Optional[Path], typer.Option("--villages", help="A CSV or workbook of 乡(镇) and 行政村 names: those columns get dropdowns of them.")] = None,
    rules: RulesOpt = DEFAULT_RULES,
    rows: Annotated[int, typer.Option("--rows", help="How many household rows to prepare (formatted and validated).")] = DEFAULT_ROWS,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write the blank 入户登记表 (household registration form) with dropdowns, validations and hints."""
    from .template import GUIDE_SHEET, SHEET, write_template

    written = run_guarded(lambda: write_template(output, rules=rules, villages=villages, rows=rows, force=force))
    out.print(f"wrote {written}: {rows} household rows, sheets {SHEET} and {GUIDE_SHEET}"
              + (f", with the village list of {villages}" if villages else ""), highlight=False, markup=False)


def main() -> None:
    """The console entry point (`edgescreen`, `python -m edgescreen`). When the command is done the
    process ends without tearing the interpreter down: freeing a province's households one object
    at a time is work nobody waits for. Every output is closed and renamed by then."""
    import sys

    try:
        app(prog_name="edgescreen")
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is not None and not isinstance(code, int):  # as sys.exit("text") would: say it, exit 1
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), or a closed stream
            pass
    os._exit(code or 0)
