"""`edgescreen check`: read the surveys, run every check, write the quality report.

    from edgescreen.check_cmd import check
    outcome = check(["合隆镇.xlsx"])          # writes 合隆镇-质量报告/ beside the input
    outcome.errors, outcome.warnings, outcome.exit_code

The report folder holds quality.xlsx (overview, issue list, one sheet per severity, file facts),
report.html (the same, one offline page with charts), issues.csv, one workbook per village with
issues under quality-villages/ (to send back to be fixed) and check.json (what was checked). It is
written into a staging folder and renamed into place: it appears whole or not at all. A folder that
holds a previous check report (it has check.json) is replaced; any other existing folder needs force.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .catalogue import Lang
from .errors import OutputError
from .outputs.staging import refuse_input_inside, staged_folder
from .outputs.tables import issues_for_csv, write_csv
from .pipeline import Result, screen
from .outputs.share import WorkShare
from .quality import (VILLAGE_FIX_FOLDER, QualityReport, label, quality_report, village_fix_tasks,
                      write_quality_workbook)
from .read import InputFile

MARKER = "check.json"


@dataclass
class CheckOutcome:
    """What `check` found and where it wrote the report."""

    result: Result
    report: QualityReport
    out_dir: Path

    @property
    def errors(self) -> int:
        return self.report.errors

    @property
    def warnings(self) -> int:
        return self.report.warnings

    @property
    def households(self) -> int:
        return self.report.counts["households"]

    @property
    def counts(self) -> dict:
        """households, errors, warnings, households_with_errors, files, and issues per code."""
        by_code = self.report.by_code["total"]
        return {**self.report.counts, "by_code": {c: int(n) for c, n in by_code.items() if n}}

    @property
    def exit_code(self) -> int:
        """0 with no error-level issue, 1 with some (2, an unreadable input, is raised as InputError)."""
        return 1 if self.errors else 0


def default_report_dir(first_input: Path, lang: Lang = "zh") -> Path:
    """Beside the first input: 合隆镇.xlsx → 合隆镇-质量报告/ (quality-report with --lang en); a folder
    of surveys → <folder>-质量报告/ beside the folder."""
    first_input = Path(first_input)
    stem = first_input.name if first_input.is_dir() else first_input.stem
    return first_input.resolve().parent / f"{stem}-{label('report_folder', lang)}"


def _is_previous_report(folder: Path) -> bool:
    try:
        return json.loads((folder / MARKER).read_text(encoding="utf-8")).get("report") == "edgescreen check"
    except (OSError, ValueError, AttributeError):
        return False


def _check_target(inputs: list[InputFile], out_dir: Path, force: bool) -> None:
    refuse_input_inside(out_dir, [record.path for record in inputs], what="report folder")
    if out_dir.exists() and not force and not _is_previous_report(out_dir):
        raise OutputError(f"{out_dir}: the folder already exists and is not an earlier check report. "
                          "Choose another with -o, or add --force to replace it.")


def check_manifest(outcome_result: Result, report: QualityReport) -> dict:
    result = outcome_result
    return {
        "report": "edgescreen check",
        "version": __version__,
        "rules": {"id": result.rules.rules.id, "sha256": result.rules.sha256, "year": result.bounds.year},
        "as_of": result.as_of.isoformat(),
        "lang": report.lang,
        "inputs": [{"file": rec.name, "sha256": rec.sha256, "households": rec.households,
                    "encoding": rec.encoding} for rec in result.inputs],
        "counts": {**report.counts,
                   "by_code": {c: int(n) for c, n in report.by_code["total"].items() if n}},
        "facts": report.facts[["source_file", "sheet", "fact", "level", "detail"]].to_dict(orient="records"),
        "started": result.started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def write_report(result: Result, out_dir: Path, *, lang: Lang = "zh", force: bool = False) -> QualityReport:
    """Write the whole check report into out_dir, atomically."""
    from .report_html import write_html_report

    out_dir = Path(out_dir)
    _check_target(result.inputs, out_dir, force)
    report = quality_report(result, lang)
    with staged_folder(out_dir) as staging:
        # The villages' fix lists (hundreds of small workbooks) go to a helper process meanwhile.
        with WorkShare(village_fix_tasks(report, staging / VILLAGE_FIX_FOLDER)):
            write_quality_workbook(report, staging / "quality.xlsx")
            write_html_report(report, staging / "report.html")
            write_csv(issues_for_csv(report.issues), staging / "issues.csv")
        (staging / MARKER).write_text(json.dumps(check_manifest(result, report), ensure_ascii=False, indent=2),
                                      encoding="utf-8")
    return report


def check(
    paths: Iterable[str | Path],
    rules="changchun-2019",
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    out_dir: str | Path | None = None,
    lang: Lang = "zh",
    force: bool = False,
    progress: Callable[[Path, InputFile], None] | None = None,
) -> CheckOutcome:
    """Read every input, run every check, write the quality report. Raises EdgescreenError
    subclasses for inputs that cannot be read and report folders that cannot be written."""
    paths = [Path(p) for p in paths]
    result = screen(paths, rules, year=year, as_of=as_of, progress=progress)
    target = Path(out_dir) if out_dir is not None else default_report_dir(paths[0], lang)
    report = write_report(result, target, lang=lang, force=force)
    return CheckOutcome(result=result, report=report, out_dir=target)
