"""The progress bar of a screening run: one bar with the share done, the time spent and the time
left, advanced by every file read and every step done."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from .common import err

# Each step's share of a run's wall time (seconds, measured on a million households, CSV): reading
# is spread over the files by their size, the rest follows in this order. The village lists are
# written beside the ledger, summary and quality report; their weight is the wait after those.
STEP_WEIGHTS = {"read": 5.5, "normalise": 3.6, "compute": 0.4, "check": 1.9, "classify": 0.7,
                "prepare_lists": 1.9, "write_ledger": 4.3, "write_issues": 0.1, "write_summary": 0.6,
                "write_quality": 4.2, "write_villages": 2.8, "write_publicity": 0.5}
STEP_LABELS = {"read": "检查 checking", "normalise": "检查 checking", "compute": "检查 checking",
               "check": "判定 deciding", "classify": "写出 writing", "write_ledger": "写出 writing"}


def progress_reader(console: Console = err) -> Progress:
    """A rich progress display on stderr: bar, share done, time spent and time left (once the
    first step is done). It shows nothing when stderr is not a terminal."""
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), console=console, transient=True)


class ScreenProgress:
    """One bar for a whole screening run, advanced as each file is read and each step is done."""

    def __init__(self, progress: Progress, files: list[Path], publicity: bool):
        self.progress = progress
        sizes = {p: max(1, p.stat().st_size) for p in files}
        self.read_share = {p: STEP_WEIGHTS["read"] * size / sum(sizes.values()) for p, size in sizes.items()}
        steps = {k: v for k, v in STEP_WEIGHTS.items() if publicity or k != "write_publicity"}
        first = files[0].name if files else ""
        self.task = progress.add_task(f"读取 {first}", total=sum(steps.values()))
        self.files = files

    def file_read(self, path: Path, record) -> None:
        later = self.files[self.files.index(path) + 1:] if path in self.files else []
        self.progress.update(self.task, advance=self.read_share.get(path, 0.0),
                             description=f"读取 {later[0].name}" if later else "检查 checking")

    def step_done(self, name: str) -> None:
        advance = 0.0 if name == "read" else STEP_WEIGHTS.get(name, 0.0)
        self.progress.update(self.task, advance=advance, description=STEP_LABELS.get(name, "写出 writing"))
