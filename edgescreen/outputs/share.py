"""Many small output files shared between this process and one forked helper.

A province has thousands of villages and each village workbook costs milliseconds of pure Python
(xlsxwriter) to build and pack. Where the system can fork, a helper process starts on them at once
while this process writes the one-off outputs (ledger, summary, quality report); then this process
joins in. Both claim the next few tasks from a shared counter, so neither waits for the other
whatever the split of the work. The helper inherits everything by fork: nothing is pickled.

Where fork is missing (Windows) or the work is small, this process does it all, in the same order.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import time
from collections.abc import Callable

from ..errors import OutputError

Task = tuple[str, Callable[[], object]]  # (stage name for the timings, the work)

# Below this many tasks a helper process is not worth its start.
MIN_TASKS_TO_SHARE = 32
CHUNK = 4  # tasks claimed at a time: villages differ in size, small claims keep the finish even


def can_fork() -> bool:
    return (os.cpu_count() or 1) >= 2 and "fork" in mp.get_all_start_methods()


class WorkShare:
    """Use as a context manager: the helper starts on entry; `finish()` (called on a clean exit if
    not before) makes this process join in, waits for the helper and raises its error, if any.
    `seconds` holds each stage's time, summed over both processes."""

    def __init__(self, tasks: list[Task]):
        self.tasks = tasks
        self.seconds: dict[str, float] = {}
        self._helper: mp.process.BaseProcess | None = None
        self._next = None  # the shared counter of claimed tasks, when a helper shares the work
        self._taken = 0  # claimed tasks when nothing is shared
        self._conn = None
        self._finished = False
        self._frozen = False

    def __enter__(self) -> WorkShare:
        if len(self.tasks) >= MIN_TASKS_TO_SHARE and can_fork():
            ctx = mp.get_context("fork")
            self._next = ctx.Value("l", 0)
            self._conn, child_end = ctx.Pipe(duplex=False)
            self._helper = ctx.Process(target=self._helper_main, args=(child_end,), daemon=True)
            # While the two processes share pages, the objects that exist now are out of both
            # collectors' sight: a full collection writes to every object it scans and so copies
            # every page they sit on (for a million households, hundreds of MB). Refcounts still
            # copy the pages each process reads; that cannot be helped.
            gc.freeze()
            self._frozen = True
            self._helper.start()
            child_end.close()
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self.finish()
            elif self._helper is not None and self._helper.is_alive():
                self._helper.kill()  # this process failed: the staging folder goes, the helper with it
                self._helper.join()
        finally:
            if self._frozen:
                gc.unfreeze()
                self._frozen = False

    # -- the work ----------------------------------------------------------------------------

    def _claim(self) -> range:
        if self._next is None:  # not shared: everything left is ours
            start, self._taken = self._taken, len(self.tasks)
            return range(start, len(self.tasks))
        with self._next.get_lock():
            start = self._next.value
            self._next.value = min(len(self.tasks), start + CHUNK)
        return range(start, min(len(self.tasks), start + CHUNK))

    def _work(self) -> None:
        while claimed := self._claim():
            for i in claimed:
                stage, fn = self.tasks[i]
                started = time.perf_counter()
                fn()
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

    def _stop_claims(self) -> None:
        if self._next is not None:
            with self._next.get_lock():
                self._next.value = len(self.tasks)

    def _helper_main(self, conn) -> None:
        try:
            self._work()
            conn.send(("ok", self.seconds))
        except BaseException as exc:  # handed to the parent, which raises it
            self._stop_claims()
            try:
                conn.send(("error", exc))
            except Exception:  # an exception that cannot be pickled: its words are enough
                conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))
        finally:
            conn.close()

    def finish(self) -> None:
        """Do what is left, wait for the helper, and raise its error if it had one."""
        if self._finished:
            return
        self._finished = True
        try:
            self._work()
        except BaseException:
            self._stop_claims()
            raise
        if self._helper is None:
            return
        try:
            outcome, value = self._conn.recv()
        except EOFError:  # the helper died without a word (killed, out of memory)
            self._helper.join()
            raise OutputError(f"a writer process ended unexpectedly (exit code {self._helper.exitcode}); "
                              "nothing was written. Free some memory and run again.") from None
        self._helper.join()
        if outcome == "error":
            raise value
        for stage, seconds in value.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
