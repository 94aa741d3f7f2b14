"""The two output folders, each written whole or not at all (folder.py):

- a screen's folder: the ledger (decisions.csv), issues.csv, the village review lists, the publicity
  notices (when asked), summary.xlsx, quality.xlsx with report.html, and run.json;
- a check's report folder: quality.xlsx, report.html, issues.csv, the villages' fix lists and
  check.json.

The many small workbooks (one per village) are tasks shared with a helper process where one is given
(runtime.py) while this process writes the one-off files."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from ..catalogue import Lang, label, use_target
from ..pipeline import given_day, given_flag, given_lang
from ..result import Result
from ..runtime import WorkShare, WriterHelper
from .folder import check_target, staged_folder
from .ledger import IssueFile, write_ledger
from .manifest import (
    CHECK_MARKER,
    check_manifest,
    is_check_report,
    output_files,
    run_manifest,
    write_json,
)
from .publicity import publicity_tasks
from .quality import (
    VILLAGE_FIX_FOLDER,
    QualityReport,
    quality_report,
    village_fix_tasks,
    write_quality_workbook,
)
from .report_html import prepare as prepare_report_template
from .report_html import write_html_report
from .summary import write_summary
from .villages import village_list_tasks


def default_out_dir(first_input: Path) -> Path:
    """A new folder in the current directory named after the first input: survey.xlsx → survey-edgescreen."""
    first_input = Path(first_input)
    if first_input.name in ("", ".", ".."):  # `screen .`: the folder's own name, never "-edgescreen"
        first_input = first_input.resolve()
    stem = first_input.name if first_input.is_dir() or not first_input.suffix else first_input.stem
    return Path.cwd() / f"{stem}-edgescreen"


def default_report_dir(first_input: Path, lang: Lang = "zh") -> Path:
    """Beside the first input: 合隆镇.xlsx → 合隆镇-质量报告/ (quality-report with --lang en); a folder
    of surveys → <folder>-质量报告/ beside the folder."""
    first_input = Path(first_input)
    if first_input.name in ("", ".", ".."):  # `check .`: the folder's own name, never "-质量报告"
        first_input = first_input.resolve()
    stem = first_input.name if first_input.is_dir() else first_input.stem
    return first_input.resolve().parent / f"{stem}-{label('report_folder', lang)}"


def check_report_target(out_dir: Path, inputs: list[Path], force: bool) -> None:
    """A check report replaces an earlier check report; any other existing folder needs force."""
    check_target(out_dir, inputs, force, what="report_folder_what", replaceable=is_check_report)


def prepare_writers() -> None:
    """Compile the report template now (the command line calls this while the first workbook
    parses) rather than on the clock later; importing this module loaded the writers."""
    prepare_report_template()


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Callable[[str], None] | None = None):
    """Seconds spent writing one output, kept with the run's stage timings (run.json); `progress`
    hears the stage's name when it is done."""
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start
    if progress is not None:
        progress(stage)


def write_outputs(result: Result, out_dir: str | Path, *, lang: Lang = "zh", mask: bool = True,
                  force: bool = False, publicity_start: dt.date | None = None,
                  progress: Callable[[str], None] | None = None, helper: WriterHelper | None = None,
                  extra: Sequence[tuple[str, Callable[[Path], None]]] = (),
                  before_place: Callable[[], None] | None = None) -> Path:
    """Write every output of a screen into `out_dir`, atomically. Returns the folder. `progress`,
    if given, is called with each output's stage name (write_ledger, write_villages, …) as it is
    done. `helper`: a runtime.WriterHelper started earlier for the village lists; without it, one
    is started here when the lists are many. `extra`: (file name, writer) of outputs a caller adds
    (changes.xlsx with --register), each written into the folder with the others. `before_place`:
    called with the folder written, before it is put in place (staged_folder)."""
    lang, publicity_start = given_lang(lang), given_day(publicity_start, "publicity_start")
    mask, force = given_flag(mask, "mask"), given_flag(force, "force")  # "no" would be true
    out_dir = Path(out_dir)
    use_target(result.loaded_rules.rules.target_words())  # the words of the rule set the run was decided by
    timings = dict(result.timings)
    inputs = [record.path for record in result.inputs]
    with staged_folder(out_dir, check=partial(check_target, out_dir, inputs, force),
                       before_place=before_place) as staging:
        # issues.csv's parts go to the helper process first: it renders them while this one
        # prepares the lists, then this one joins in on those left.
        issues = IssueFile(result, staging / "issues.csv", lang)
        with WorkShare(issues.tasks(), helper) as issue_share:
            with _timed(timings, "prepare_lists", progress):
                tasks = village_list_tasks(result, staging / "villages", lang=lang, mask=mask)
                if publicity_start is not None:
                    tasks += publicity_tasks(result, staging / "publicity", start=publicity_start, lang=lang)
            with _timed(timings, "finish_issues"):
                issue_share.finish()
        # A workbook per village (and a notice per village): thousands of small tasks, shared with
        # a helper process that starts on them now, while this one writes the one-off outputs.
        with WorkShare(tasks, helper) as share:
            with _timed(timings, "write_ledger", progress):
                write_ledger(result, staging / "decisions.csv", lang)
            with _timed(timings, "write_summary", progress):
                write_summary(result, staging / "summary.xlsx", lang=lang)
            with _timed(timings, "write_quality", progress):
                report = quality_report(result, lang)
                write_quality_workbook(report, staging / "quality.xlsx")
                write_html_report(report, staging / "report.html")
            for name, writer in extra:
                with _timed(timings, f"write_{Path(name).stem}", progress):
                    writer(staging / name)
            # This process joins in on the lists still unclaimed, then waits for the helper's last ones.
            with _timed(timings, "finish_lists"):
                share.finish()
            issues.assemble()
        # Seconds of work per kind of task, summed over both processes.
        timings.update({"write_issues": 0.0, **issue_share.seconds, **share.seconds})
        if progress is not None:
            for stage in {"write_issues": None, **share.seconds}:
                progress(stage)
        options = {**result.options, "lang": lang, "mask": mask,
                   "publicity_start": publicity_start.isoformat() if publicity_start else None}
        write_json(run_manifest(result, options, staging, timings), staging / "run.json")
    return out_dir


def write_check_report(result: Result, out_dir: str | Path, *, lang: Lang = "zh", force: bool = False,
                       helper: WriterHelper | None = None) -> QualityReport:
    """Write a check's report folder into `out_dir`, atomically: quality.xlsx, report.html,
    issues.csv, the villages' fix lists (shared with `helper`) and check.json."""
    lang = given_lang(lang)
    out_dir = Path(out_dir)
    use_target(result.loaded_rules.rules.target_words())
    report = quality_report(result, lang)
    inputs = [record.path for record in result.inputs]
    with staged_folder(out_dir, check=partial(check_report_target, out_dir, inputs, force)) as staging:
        issues = IssueFile(result, staging / "issues.csv", lang)
        with WorkShare(issues.tasks() + village_fix_tasks(report, staging / VILLAGE_FIX_FOLDER), helper):
            write_quality_workbook(report, staging / "quality.xlsx")
            write_html_report(report, staging / "report.html")
        issues.assemble()
        write_json({**check_manifest(result, report), "outputs": output_files(staging)}, staging / CHECK_MARKER)
    return report
