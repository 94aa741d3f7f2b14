"""Many small output files shared between this process and one helper process.

A province has thousands of villages and each village workbook costs milliseconds of pure Python
(xlsxwriter) to build and pack. A helper process writes them while this process writes the one-off
outputs (ledger, summary, quality report); then this process joins in. Both claim the next few
tasks from a shared counter, so neither waits for the other whatever the split of the work.

The command line starts the helper before the survey is read (`WriterHelper`), while the process is
small: a helper forked later would share the survey's pages, and every page this process then
touches (CPython writes a reference count on each object it reads) would be copied, hundreds of MB
for a million households. The tasks reach it pickled, so they are (stage, function, arguments) with
a module-level function and plain data; that also lets the helper be spawned where fork is missing
(Windows). Without a helper, or with little work, this process does it all, in the same order.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable
from contextlib import nullcontext

from ..errors import OutputError

Task = tuple[str, Callable[..., object], tuple]  # (stage name for the timings, function, its arguments)

# Below this many tasks a helper that is not running yet is not worth its start.
MIN_TASKS_TO_SHARE = 32
CHUNK = 4  # tasks claimed at a time: villages differ in size, small claims keep the finish even


def can_share() -> bool:
    return (os.cpu_count() or 1) >= 2


def _start_method() -> str:
    return "fork" if "fork" in mp.get_all_start_methods() else "spawn"


def _claim(claimed, total: int) -> range:
    with claimed.get_lock():
        start = claimed.value
        claimed.value = min(total, start + CHUNK)
    return range(start, min(total, start + CHUNK))


def _run(tasks: list[Task], claimed, seconds: dict[str, float]) -> None:
    """Claim and do tasks until none are left."""
    while todo := _claim(claimed, len(tasks)):
        for i in todo:
            stage, fn, args = tasks[i]
            started = time.perf_counter()
            fn(*args)
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started


def _stop_claims(claimed) -> None:
    with claimed.get_lock():
        claimed.value = 1 << 62


def _helper_main(tasks_conn, results_conn, claimed, parent_ends, modules, ready) -> None:
    """The helper: loads `modules` while it waits, then each message is a list of tasks to share;
    None or a closed pipe is the end."""
    import importlib

    for conn in parent_ends:  # inherited by fork: closed, so that this process sees EOF when the parent ends
        conn.close()
    if hasattr(os, "nice"):
        # Below the parent while both want a core: at the start the parent reads and parses the
        # survey, and this process's imports must not slow that; later each has a core of its own.
        os.nice(10)
    for module in modules:
        importlib.import_module(module)
    ready.set()
    while True:
        try:
            tasks = tasks_conn.recv()
        except (EOFError, OSError):
            return
        if tasks is None:
            return
        seconds: dict[str, float] = {}
        try:
            _run(tasks, claimed, seconds)
            results_conn.send(("ok", seconds))
        except BaseException as exc:  # handed to the parent, which raises it
            _stop_claims(claimed)
            try:
                results_conn.send(("error", exc))
            except Exception:  # an exception that cannot be pickled: its words are enough
                results_conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


# What the helper loads before its first tasks arrive (pandas and xlsxwriter among them).
WRITER_MODULES = ("edgescreen.outputs.villages", "edgescreen.outputs.publicity")


class WriterHelper:
    """One helper process, started now and fed lists of tasks later (see WorkShare). Close it (or use
    it as a context manager) when done; it also ends by itself when this process does."""

    def __init__(self, start_method: str | None = None, modules: tuple[str, ...] = WRITER_MODULES):
        ctx = mp.get_context(start_method or _start_method())
        self.claimed = ctx.Value("q", 0)
        self._ready = ctx.Event()
        tasks_recv, self._tasks = ctx.Pipe(duplex=False)
        self._results, results_send = ctx.Pipe(duplex=False)
        self.process = ctx.Process(target=_helper_main, daemon=True,
                                   args=(tasks_recv, results_send, self.claimed, (self._tasks, self._results),
                                         modules, self._ready))
        self.process.start()
        tasks_recv.close()
        results_send.close()

    def send(self, tasks: list[Task]) -> None:
        with self.claimed.get_lock():
            self.claimed.value = 0
        self._tasks.send(tasks)

    def result(self) -> dict[str, float]:
        """Wait for the helper's share of the last tasks; raise its error, if it had one."""
        try:
            outcome, value = self._results.recv()
        except (EOFError, OSError):  # the helper died without a word (killed, out of memory)
            self.process.join()
            raise OutputError(f"a writer process ended unexpectedly (exit code {self.process.exitcode}); "
                              "nothing was written. Free some memory and run again.") from None
        if outcome == "error":
            raise value
        return value

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Whether the helper has loaded its modules and waits for tasks (within `timeout` seconds)."""
        return self._ready.wait(timeout)

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def close(self) -> None:
        """End the helper. Nothing is in flight between shares, so one still loading its modules
        (a run that failed early) is not waited for."""
        try:
            self._tasks.send(None)
        except OSError:
            pass
        self.process.join(timeout=0.2)
        self.kill()
        self._tasks.close()
        self._results.close()

    def __enter__(self) -> WriterHelper:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class WorkShare:
    """Use as a context manager around the work this process does meanwhile: on entry the tasks go to
    the helper (one started here if none is given and the work is worth it); `finish()` (called on a
    clean exit if not before) makes this process join in, waits for the helper and raises its error.
    `seconds` holds each stage's time, summed over both processes."""

    def __init__(self, tasks: list[Task], helper: WriterHelper | None = None):
        self.tasks = tasks
        self.seconds: dict[str, float] = {}
        self.helper = helper
        self._own_helper = False
        self._claimed = None
        self._finished = False

    def __enter__(self) -> WorkShare:
        if self.helper is None and len(self.tasks) >= MIN_TASKS_TO_SHARE and can_share():
            self.helper, self._own_helper = WriterHelper(), True
        if self.helper is not None and self.tasks and self.helper.alive():
            try:
                self.helper.send(self.tasks)
                self._claimed = self.helper.claimed
            except OSError:  # the helper has gone since it was started: this process does it all
                self._claimed = None
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self.finish()
            elif self._claimed is not None and self.helper.alive():
                self.helper.kill()  # this process failed: the staging folder goes, the helper with it
        finally:
            if self._own_helper:
                self.helper.close()

    def finish(self) -> None:
        """Do what is left, wait for the helper, and raise its error if it had one."""
        if self._finished:
            return
        self._finished = True
        if self._claimed is None:  # not shared: everything is ours
            _run(self.tasks, _Counter(), self.seconds)
            return
        try:
            _run(self.tasks, self._claimed, self.seconds)
        except BaseException:
            _stop_claims(self._claimed)
            raise
        for stage, seconds in self.helper.result().items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds


def run_tasks(tasks: list[Task], helper: WriterHelper | None = None) -> dict[str, float]:
    """Do every task, shared with a helper process where that is worth it (see WorkShare), with
    nothing else to do meanwhile; returns the seconds per stage."""
    with WorkShare(tasks, helper) as share:
        pass
    return share.seconds


class _Counter:
    """The claim counter when nothing is shared: the same interface, no lock between processes."""

    def __init__(self):
        self.value = 0

    def get_lock(self):
        return nullcontext()
