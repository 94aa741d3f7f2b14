"""The work share behind the village workbooks: every task done exactly once, by this process and
one helper process, and a helper's failure never lost."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from edgescreen.errors import OutputError
from edgescreen.runtime import MIN_TASKS_TO_SHARE, WorkShare, WriterHelper, can_share

needs_two_cores = pytest.mark.skipif(not can_share(), reason="a single core: the work is not shared")


def mark(folder, i, pause):
    """A task: leave a file named after itself that says which process did it."""
    time.sleep(pause)
    with (folder / f"{i}.done").open("a") as fh:
        fh.write(f"{os.getpid()}\n")


def fail(message):
    raise ValueError(message)


def die_unless(parent):
    if os.getpid() != parent:
        os._exit(9)


def marking(folder, n, pause=0.0):
    return [("write_villages", mark, (folder, i, pause)) for i in range(n)]


def done_by(folder, n):
    return [(folder / f"{i}.done").read_text().split() for i in range(n)]


@needs_two_cores
def test_every_task_is_done_once_and_both_processes_take_part(tmp_path):
    n = 400
    with WorkShare(marking(tmp_path, n, pause=0.005)) as share:  # long enough for the helper to start, under load too
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


@needs_two_cores
def test_a_helper_started_early_serves_several_shares_even_small_ones(tmp_path):
    # The command line starts the helper before reading and hands it every share of the run.
    with WriterHelper() as helper:
        assert helper.wait_ready(60)
        for batch, n in enumerate((300, 3)):
            folder = tmp_path / str(batch)
            folder.mkdir()
            with WorkShare(marking(folder, n, pause=0.002), helper) as share:
                (folder / "ledger").write_text("written while the helper works")
                share.finish()
                assert all((folder / f"{i}.done").exists() for i in range(n))  # all done by then
            assert all(len(w) == 1 for w in done_by(folder, n))
        assert helper.alive()
    assert not helper.alive()


@needs_two_cores
def test_a_spawned_helper_works_as_a_forked_one(tmp_path):
    # Where fork is missing (Windows) the helper is spawned: the tasks must survive pickling.
    with WriterHelper(start_method="spawn") as helper:
        assert helper.wait_ready(60)  # a new interpreter loading pandas and xlsxwriter
        # 2 s of work: time for a ready helper to claim some of it however loaded the machine is
        with WorkShare(marking(tmp_path, 200, pause=0.01), helper):
            pass
    workers = done_by(tmp_path, 200)
    assert all(len(w) == 1 for w in workers) and len({w[0] for w in workers}) == 2


@needs_two_cores
def test_a_helper_gone_before_the_work_arrives_leaves_it_all_to_this_process(tmp_path):
    with WriterHelper() as helper:
        helper.kill()  # e.g. killed for memory while the survey was read
        with WorkShare(marking(tmp_path, 100), helper):
            pass
    assert {w[0] for w in done_by(tmp_path, 100)} == {str(os.getpid())}


@needs_two_cores
def test_a_failing_task_is_raised_here_whichever_process_ran_it(tmp_path):
    tasks = marking(tmp_path, 100)
    tasks[57] = ("write_villages", fail, ("village 57 could not be written",))
    with pytest.raises(ValueError, match="village 57"):
        with WorkShare(tasks):
            pass


@needs_two_cores
def test_a_helper_that_dies_is_an_error_not_a_silent_gap(tmp_path):
    tasks = marking(tmp_path, 200)
    # Every fourth task: whichever chunks the helper claims, it meets one.
    tasks = [("write_villages", die_unless, (os.getpid(),)) if i % 4 == 0 else t for i, t in enumerate(tasks)]
    with pytest.raises(OutputError, match="意外结束"):
        with WorkShare(tasks):
            pass


@needs_two_cores
def test_an_error_here_stops_the_helper(tmp_path):
    with WriterHelper() as helper:
        with pytest.raises(RuntimeError, match="disk full"):
            with WorkShare(marking(tmp_path, 5000, pause=0.001), helper):
                raise RuntimeError("disk full")
        assert not helper.alive()


@needs_two_cores
def test_the_helper_ends_when_its_parent_is_killed(tmp_path):
    # A parent killed mid-run (no close) must not leave a helper waiting for work forever.
    script = ("import os, sys; from edgescreen.runtime import WriterHelper; "
              "h = WriterHelper(); print(h.process.pid, flush=True); sys.stdin.read()")
    parent = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    helper_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    for _ in range(100):
        try:
            os.kill(helper_pid, 0)
        except ProcessLookupError:
            break
        if open(f"/proc/{helper_pid}/stat").read().split()[2] == "Z":  # ended, waiting to be reaped
            break
        time.sleep(0.05)
    else:
        os.kill(helper_pid, 9)
        pytest.fail("the helper outlived its parent by 5 s")


def test_python_dash_m_can_be_imported_again_by_a_spawned_helper():
    # multiprocessing's spawn re-imports the parent's __main__ (edgescreen.__main__ under
    # `python -m edgescreen`) as __mp_main__ in the helper: that must not run the command again.
    code = "import runpy; runpy.run_module('edgescreen.__main__', run_name='__mp_main__'); print('imported')"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "imported", done.stdout + done.stderr


def square(i, pause):
    time.sleep(pause)
    return i * i, os.getpid()


def nothing(i):
    return None


@needs_two_cores
def test_what_the_tasks_return_comes_back_in_their_order_from_both_processes():
    tasks = [("normalise", square, (i, 0.005)) for i in range(200)]
    with WriterHelper() as helper:
        assert helper.wait_ready(60)
        with WorkShare(tasks, helper, chunk=1) as share:
            pass
        results = share.results()
    assert [value for value, _ in results] == [i * i for i in range(200)]
    assert {pid for _, pid in results} == {os.getpid(), helper.process.pid}


def test_tasks_that_return_nothing_leave_no_values(tmp_path):
    with WorkShare([("write_villages", nothing, (i,)) for i in range(5)]) as share:
        pass
    assert share.values == {} and share.results() == [None] * 5


@needs_two_cores
def test_the_helper_alone_sends_back_every_value():
    with WriterHelper() as helper:
        helper.send([("normalise", square, (i, 0.0)) for i in range(7)])
        seconds, values = helper.outcome()  # this process claims none: the helper does all
    assert sorted(values) == list(range(7)) and all(values[i][0] == i * i for i in range(7))
    assert {pid for _, pid in values.values()} == {helper.process.pid} and "normalise" in seconds


def test_calls_elsewhere_without_a_helper_makes_every_call_here():
    from edgescreen.runtime import calls_elsewhere

    with calls_elsewhere(None)([("normalise", square, (i, 0.0)) for i in range(3)]) as results:
        done = results()
    assert done == [(0, os.getpid()), (1, os.getpid()), (4, os.getpid())]
