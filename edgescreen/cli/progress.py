"""The progress bar of a screening run: one bar with the share done, the time spent and the time
left, advanced by every file read and every step done."""

from __future__ import annotations

import threading
import time
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
# Bytes a second a file of each kind is read at (the benchmark's counties: 100,000 households in a
# 12 MB .xlsx in about 1.5 s, a million in a 150 MB CSV in about 9 s). While a file is read its share of
# the bar moves on by the clock at this pace, never past READ_CREEP of it; read, it is whole. Before,
# the bar stood at 0 % for the whole read of a county's one big file, and looked stuck.
READ_BYTES_PER_SECOND = {"csv": 17e6, "txt": 17e6, "tsv": 17e6}
READ_BYTES_PER_SECOND_DEFAULT = 8e6  # workbooks
READ_CREEP = 0.9
TICK_SECONDS = 0.25

# What the bar says once a step is done (the catalogue's progress_* labels): the next step's name.
STEP_LABELS = {"read": "progress_checking", "normalise": "progress_checking", "compute": "progress_checking",
               "check": "progress_deciding", "classify": "progress_writing", "write_ledger": "progress_writing"}


def progress_reader(console: Console = err, lang: str = "zh") -> Progress:
    """A rich progress display on stderr: bar, share done, time spent and time left (once the
    first step is done). It shows nothing when stderr is not a terminal: disabled there, for rich ends
    a display it did not show with an empty line, which stood above every refusal a log or a pipe kept."""
    return Progress(TextColumn("{task.description}", style="progress.description", markup=False), BarColumn(),
                    TextColumn("{task.percentage:>3.0f}%"), TimeElapsedColumn(),
                    TextColumn(escape(label("progress_time_left", lang))), TimeRemainingColumn(),
                    console=console, transient=True, disable=not console.is_interactive)


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
        self.expected = {p: size / READ_BYTES_PER_SECOND.get(p.suffix.lower().lstrip("."), READ_BYTES_PER_SECOND_DEFAULT)
                         for p, size in sizes.items()}
        # The file being read, since when, and how much of its share the clock has shown.
        self._lock = threading.Lock()
        self._reading = [files[0], time.monotonic(), 0.0] if files else None
        if files:
            threading.Thread(target=self._tick, name="edgescreen-progress", daemon=True).start()

    def _tick(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            with self._lock:
                # Reading is over, or the bar is gone (the run refused a file, or was interrupted).
                if self._reading is None or not self.progress.live.is_started:
                    return
                path, since, shown = self._reading
                expected = max(self.expected.get(path, 1.0), 0.1)
                target = self.read_share.get(path, 0.0) * min(READ_CREEP, (time.monotonic() - since) / expected)
                if target > shown:
                    self.progress.update(self.task, advance=target - shown)
                    self._reading[2] = target

    def file_read(self, path: Path, record) -> None:
        later = self.files[self.files.index(path) + 1:] if path in self.files else []
        with self._lock:
            shown = self._reading[2] if self._reading is not None and self._reading[0] == path else 0.0
            self._reading = [later[0], time.monotonic(), 0.0] if later else None
            self.progress.update(self.task, advance=self.read_share.get(path, 0.0) - shown,
                                 description=label("progress_reading", self.lang, file=later[0].name) if later
                                 else label("progress_checking", self.lang))

    def step_done(self, name: str) -> None:
        with self._lock:
            self._reading = None  # a step after the reading: every file is read
        advance = 0.0 if name == "read" else STEP_WEIGHTS.get(name, 0.0)
        self.progress.update(self.task, advance=advance,
                             description=label(STEP_LABELS.get(name, "progress_writing"), self.lang))
