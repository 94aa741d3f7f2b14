"""The progress bar of a screening run: one bar with the share done, the time spent and the time
left, advanced by every file read and every step done."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from ..catalogue import label
from .common import err

# Each step's share of a run's wall time (seconds, measured on a million households, CSV): reading
# is spread over the files by their size, the rest follows in this order. The village lists are
# written beside the ledger, summary and quality report; their weight is the wait after those.
STEP_WEIGHTS = {"read": 5.5, "normalise": 3.6, "compute": 0.4, "check": 1.9, "classify": 0.7,
                "prepare_lists": 1.9, "write_ledger": 4.3, "write_issues": 0.1, "write_summary": 0.6,
                "write_quality": 4.2, "write_villages": 2.8, "write_publicity": 0.5}
# What the bar says once a step is done (the catalogue's progress_* labels): the next step's name.
STEP_LABELS = {"read": "progress_checking", "normalise": "progress_checking", "compute": "progress_checking",
               "check": "progress_deciding", "classify": "progress_writing", "write_ledger": "progress_writing"}


def progress_reader(console: Console = err, lang: str = "zh") -> Progress:
    """A rich progress display on stderr: bar, share done, time spent and time left (once the
    first step is done). It shows nothing when stderr is not a terminal."""
    return Progress(TextColumn("{task.description}", style="progress.description", markup=False), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                    TextColumn(escape(label("progress_time_left", lang))), TimeRemainingColumn(),
                    console=console, transient=True)


class ScreenProgress:
    """One bar for a whole screening run, advanced as each file is read and each step is done."""

    def __init__(self, progress: Progress, files: list[Path], publicity: bool, lang: str = "zh"):
        self.progress, self.lang = progress, lang
        sizes = {p: max(1, p.stat().st_size) for p in files}
        self.read_share = {p: STEP_WEIGHTS["read"] * size / sum(sizes.values()) for p, size in sizes.items()}
        steps = {k: v for k, v in STEP_WEIGHTS.items() if publicity or k != "write_publicity"}
        first = files[0].name if files else ""
        self.task = progress.add_task(label("progress_reading", lang, file=first), total=sum(steps.values()))
        self.files = files

    def file_read(self, path: Path, record) -> None:
        later = self.files[self.files.index(path) + 1:] if path in self.files else []
        self.progress.update(self.task, advance=self.read_share.get(path, 0.0),
                             description=label("progress_reading", self.lang, file=later[0].name) if later
                             else label("progress_checking", self.lang))

    def step_done(self, name: str) -> None:
        advance = 0.0 if name == "read" else STEP_WEIGHTS.get(name, 0.0)
        self.progress.update(self.task, advance=advance,
                             description=label(STEP_LABELS.get(name, "progress_writing"), self.lang))
