"""The work share behind the village workbooks: every task done exactly once, by this process and
one forked helper, and a helper's failure never lost."""

from __future__ import annotations

import os
import time

import pytest

from edgescreen.errors import OutputError
from edgescreen.outputs.share import MIN_TASKS_TO_SHARE, WorkShare, can_fork

needs_fork = pytest.mark.skipif(not can_fork(), reason="no fork or a single core: the work is not shared")


def marking(folder, n, stage="write_villages", pause=0.0):
    """n tasks, each leaving a file named after itself that says which process did it."""
    def task(i):
        def run():
            time.sleep(pause)
            with (folder / f"{i}.done").open("a") as fh:
                fh.write(f"{os.getpid()}\n")
        return run
    return [(stage, task(i)) for i in range(n)]


def done_by(folder, n):
    return [(folder / f"{i}.done").read_text().split() for i in range(n)]


@needs_fork
def test_every_task_is_done_once_and_both_processes_take_part(tmp_path):
    n = 400
    with WorkShare(marking(tmp_path, n, pause=0.002)) as share:  # long enough for the helper to start
        pass
    workers = done_by(tmp_path, n)
    assert all(len(w) == 1 for w in workers)  # once each
    pids = {w[0] for w in workers}
    assert str(os.getpid()) in pids and len(pids) == 2
    assert set(share.seconds) == {"write_villages"}


def test_little_work_stays_in_this_process(tmp_path):
    n = MIN_TASKS_TO_SHARE - 1
    with WorkShare(marking(tmp_path, n)):
        pass
    assert {w[0] for w in done_by(tmp_path, n)} == {str(os.getpid())}


@needs_fork
def test_this_process_does_its_own_work_first_and_then_joins_in(tmp_path):
    n = 200
    with WorkShare(marking(tmp_path, n)) as share:
        (tmp_path / "ledger").write_text("written while the helper works")
        share.finish()
        assert all((tmp_path / f"{i}.done").exists() for i in range(n))  # all done when finish returns
    assert all(len(w) == 1 for w in done_by(tmp_path, n))


@needs_fork
def test_a_failing_task_is_raised_here_whichever_process_ran_it(tmp_path):
    tasks = marking(tmp_path, 100)

    def broken():
        raise ValueError("village 57 could not be written")
    tasks[57] = ("write_villages", broken)
    with pytest.raises(ValueError, match="village 57"):
        with WorkShare(tasks):
            pass


@needs_fork
def test_a_helper_that_dies_is_an_error_not_a_silent_gap(tmp_path):
    parent = os.getpid()
    tasks = marking(tmp_path, 200)

    def die_in_helper():
        if os.getpid() != parent:
            os._exit(9)
    # Every fourth task: whichever chunks the helper claims, it meets one.
    tasks = [("write_villages", die_in_helper) if i % 4 == 0 else t for i, t in enumerate(tasks)]
    with pytest.raises(OutputError, match="ended unexpectedly"):
        with WorkShare(tasks):
            pass


@needs_fork
def test_an_error_here_stops_the_helper(tmp_path):
    with pytest.raises(RuntimeError, match="disk full"):
        with WorkShare(marking(tmp_path, 5000)) as share:
            raise RuntimeError("disk full")
    assert share._helper is not None and not share._helper.is_alive()
