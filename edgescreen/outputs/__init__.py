"""Every output of a screening run, written into a temporary folder that is renamed into place
only when all of it is written: the output folder appears whole or not at all."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from ..catalogue import Lang
from ..errors import OutputError
from .staging import refuse_input_inside, staged_folder

# Households per slice of the ledger as it is written: its text is never all in memory at once.
_LEDGER_SLICE = 100_000

if TYPE_CHECKING:
    from ..pipeline import Result
    from .share import WriterHelper


def default_out_dir(first_input: Path) -> Path:
    """A new folder in the current directory named after the first input: survey.xlsx → survey-edgescreen."""
    stem = first_input.stem if first_input.suffix else first_input.name
    return Path.cwd() / f"{stem}-edgescreen"


def check_target(out_dir: Path, inputs: list[Path], force: bool) -> None:
    """Refuse an output folder that holds an input, or exists without --force. The CLI asks this
    before screening too, so a clerk is not told after a long run."""
    refuse_input_inside(out_dir, inputs)
    if out_dir.exists() and not force:
        raise OutputError(f"{out_dir}: the output folder already exists. Choose another with -o, "
                          "or add --force to replace it.")


@contextmanager
def _timed(result: Result, stage: str, progress: Callable[[str], None] | None = None):
    """Seconds spent writing one output, kept with the run's other stage timings (run.json);
    `progress` hears the stage's name when it is done."""
    start = time.perf_counter()
    yield
    result.timings[stage] = time.perf_counter() - start
    if progress is not None:
        progress(stage)


def prepare_writers() -> None:
    """Load the writers and compile the report template now, while there is time to spare (the
    command line calls this while the first workbook parses) rather than on the clock later."""
    import importlib

    for module in ("outputs.manifest", "outputs.publicity", "outputs.share", "outputs.summary",
                   "outputs.tables", "outputs.villages", "quality"):
        importlib.import_module(f"edgescreen.{module}")
    importlib.import_module("edgescreen.report_html").prepare()


def write_outputs(result: Result, out_dir: Path, *, lang: Lang = "zh", mask: bool = True,
                  force: bool = False, publicity_start=None,
                  progress: Callable[[str], None] | None = None, helper: WriterHelper | None = None) -> Path:
    """Write every output into `out_dir`, atomically. Returns the folder. `progress`, if given,
    is called with each output's stage name (write_ledger, write_villages, …) as it is done.
    `helper`: a share.WriterHelper started earlier for the village lists (the command line starts
    one before reading); without it, one is started here when the lists are many."""
    from .manifest import manifest
    from .publicity import publicity_tasks
    from .share import WorkShare
    from .summary import write_summary
    from .tables import issues_for_csv, write_csv, write_csv_parts
    from .villages import village_list_tasks

    out_dir = Path(out_dir)
    check_target(out_dir, [record.path for record in result.inputs], force)
    with staged_folder(out_dir) as staging:
        # A workbook per village (and a notice per village): thousands of small tasks, shared with
        # a helper process that starts on them now, while this one writes the one-off outputs.
        with _timed(result, "prepare_lists", progress):
            tasks = village_list_tasks(result, staging / "villages", lang=lang, mask=mask)
            if publicity_start is not None:
                tasks += publicity_tasks(result, staging / "publicity", start=publicity_start, lang=lang)
        with WorkShare(tasks, helper) as share:
            with _timed(result, "write_ledger", progress):
                write_csv_parts((result.ledger_rows(start, start + _LEDGER_SLICE)
                                 for start in range(0, max(1, len(result.households)), _LEDGER_SLICE)),
                                staging / "decisions.csv")
            with _timed(result, "write_issues", progress):
                write_csv(issues_for_csv(result.issues(lang)), staging / "issues.csv")
            with _timed(result, "write_summary", progress):
                write_summary(result, staging / "summary.xlsx", lang=lang)
            from ..quality import write_quality_reports  # quality.xlsx and report.html
            with _timed(result, "write_quality", progress):
                write_quality_reports(result, staging, lang=lang)
            # This process joins in on the lists still unclaimed, then waits for the helper's last ones.
            with _timed(result, "finish_lists"):
                share.finish()
        # Seconds of work per kind of list, summed over both processes.
        result.timings.update(share.seconds)
        if progress is not None:
            for stage in share.seconds:
                progress(stage)
        options = {**result.options, "lang": lang, "mask": mask,
                   "publicity_start": publicity_start.isoformat() if publicity_start else None}
        (staging / "run.json").write_text(
            json.dumps(manifest(result, options, staging), ensure_ascii=False, indent=2), encoding="utf-8")
    return out_dir
