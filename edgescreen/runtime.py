"""The speed machinery of a command, in one place and behind one switch.

- `ReadAhead`: workbooks parse in a background thread (calamine works outside the GIL), the first one
  while the program is still loading, then always one ahead of the one being converted. A large
  sheet parses in two halves at once (workbook.split_sheet).
- The helper process's first work: where it is forked, it scans the first workbook's sheet for the
  read-ahead (workbook.scan_for_reader), at full priority for the reach calamine waits for; of a
  sheet parsed in halves it makes, parses and converts to text the second half.
- `WriterHelper` and `WorkShare`: a helper process shares the many small output files (a workbook
  per village) with this one; both claim tasks from a shared counter. Before them it parses the
  survey's money columns while this process parses the others (`calls_elsewhere`, normalise.py).
- `SharedReads`: before that, the same helper reads some of a run's input files (a members table
  beside the survey, one township's file of several) while this one reads the others, and hands
  them over a column at a time.
- `Session`: what a command starts with one call, before pandas is loaded: the read-ahead and the
  helper process. A screen's starts earlier still, before the program loads (`start_early`, for
  the survey its command line names first), and the command's `start` takes it over.
- `exit_process`: the end of the process without tearing the interpreter down (freeing a province's
  households one object at a time is work nobody waits for).
- `handle_signals`, `Interrupted`, `uninterrupted`, `held_once_saved`: Ctrl-C, SIGTERM and SIGHUP end a command by
  unwinding it (the staging folder removed, the helper process ended, the output folder's reservation
  released), never halfway through renaming an output into place, nor between a screen's output
  folder put in place and its register round committed; the helper process leaves them to its parent.

All of it is off when EDGESCREEN_DEBUG is set or coverage is measuring: then everything runs in this
process and thread, in order, and the process ends normally (atexit and coverage's own hooks run).
Nothing here imports pandas, so a command can start reading first.

The helper is started before the survey is read, while this process is small: a helper forked later
would share the survey's pages, and every page this process then touches (CPython writes a reference
count on each object it reads) would be copied, hundreds of MB for a million households. Tasks reach
it pickled, so a task is (stage, module-level function, plain arguments); that also lets the helper
be spawned where fork is missing (Windows). Without a helper, or with little work, this process does
it all, in the same order.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import OutputError
from .inputs import SCANNED_SUFFIXES, WORKBOOK_SUFFIXES, Background
from .workbook import ParsedWorkbook, RemoteScan, parse_workbook, scan_for_reader

if TYPE_CHECKING:
    from .read import FileSource, ReadJob


def enabled() -> bool:
    """Whether the speed machinery runs: not under EDGESCREEN_DEBUG (tracebacks in one process, in
    order) nor while coverage measures (it follows neither threads started early nor os._exit)."""
    return not os.environ.get("EDGESCREEN_DEBUG") and "coverage" not in sys.modules


# ---------------------------------------------------------------------------------------------
# Signals

# What ends a command from outside: Ctrl-C (to the whole process group), kill, a closed terminal.
SIGNALS = tuple(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))


class Interrupted(BaseException):
    """A signal of SIGNALS, raised in the main thread once `handle_signals` is on. A BaseException, as
    KeyboardInterrupt is, so that no `except Exception` takes it for an error; not a KeyboardInterrupt,
    so that click does not answer it with its own "Aborted!"."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # as a shell reports a process ended by the signal


_signals = {"deferred": 0, "pending": None, "raised": False, "saved": False, "held": 0}


def mark_saved(saved: str | bool = "register") -> None:
    """Say that this command has saved something for good: "register" (the register's transaction
    committed) or "outputs" (its output folder or file put in place). An interrupt after it must not
    be told as 'nothing was written'; the register is said first. False at a command's start."""
    if not saved or _signals["saved"] != "register":
        _signals["saved"] = saved


def saved() -> str | bool:
    return _signals["saved"]


# Who hears what a command has to tell while it runs (that it waits for something another program
# holds, the register's lock; a folder it could not delete): the command line, which says so; the
# library prints nothing itself.
_wait_listeners: list[Callable[[str, dict], None]] = []


@contextmanager
def waits_told_to(listener: Callable[[str, dict], None]) -> Iterator[None]:
    """While the block runs, `listener(key, params)` hears each wait or notice (a catalogue key and its
    words)."""
    _wait_listeners.append(listener)
    try:
        yield
    finally:
        _wait_listeners.remove(listener)


def waiting(key: str, **params) -> None:
    """Tell the listeners that this command waits now (key: the catalogue's words for what it waits for)."""
    for listener in list(_wait_listeners):
        listener(key, params)


notice = waiting  # something the clerk must know that stops nothing (a folder left that could not be deleted)


def _on_signal(signum: int, _frame) -> None:
    if _signals["raised"]:  # the first one is being unwound: let the cleaning finish
        return
    if _signals["deferred"] or _holding():
        _signals["pending"] = signum
        return
    _signals["raised"] = True
    raise Interrupted(signum)


def _holding() -> bool:
    """Inside held_once_saved, once something is saved (the round committed, then the outputs put in
    place): a signal waits for the block's end."""
    return bool(_signals["held"]) and bool(_signals["saved"])


def _raise_pending() -> None:
    if not _signals["deferred"] and not _holding() and _signals["pending"] is not None and not _signals["raised"]:
        signum, _signals["pending"] = _signals["pending"], None
        _signals["raised"] = True
        raise Interrupted(signum)


# Seconds after which a signal Python dropped is delivered again (_on_unraisable).
_REDELIVER = 0.05


def _on_unraisable(unraisable) -> None:
    """A signal that came while a finalizer ran (a weakref's callback, a __del__, the garbage
    collector's) raised Interrupted there, where Python cannot raise: it printed a traceback and
    went on, and every later Ctrl-C was ignored as the first one's. Now it is said nowhere and
    delivered again a moment later, outside the finalizer."""
    if isinstance(unraisable.exc_value, Interrupted):
        _signals["raised"] = False
        timer = threading.Timer(_REDELIVER, signal.raise_signal, (unraisable.exc_value.signum,))
        timer.daemon = True
        timer.start()
        return
    if isinstance(unraisable.exc_value, OSError) and "ZipFile.__del__" in repr(unraisable.object):
        # A workbook's zip closed by the collector after its write failed (a full disk): the failure
        # is said by the command already; its finalizer's traceback would be a second, raw telling.
        return
    _previous_unraisable(unraisable)


_previous_unraisable = sys.unraisablehook


def handle_signals() -> None:
    """From now on each of SIGNALS raises Interrupted in the main thread (once: later ones are ignored
    while the first unwinds). A signal this process was started ignoring stays ignored (`nohup`, a
    background job of a script). Called by the command line's entry point only, from the main thread."""
    for signum in SIGNALS:
        if signal.getsignal(signum) != signal.SIG_IGN:
            signal.signal(signum, _on_signal)
    sys.unraisablehook = _on_unraisable


@contextmanager
def uninterrupted() -> Iterator[None]:
    """A block a signal must not cut in two (an output folder renamed into place, the old one moved
    aside): a signal that arrives meanwhile is raised when the block ends."""
    _signals["deferred"] += 1
    try:
        yield
    finally:
        _signals["deferred"] -= 1
        _raise_pending()


@contextmanager
def held_once_saved() -> Iterator[None]:
    """A block that commits the register and then puts its outputs in place (screen --register: a
    commit that fails, on a full disk, leaves no folder of a round not kept): from the moment the
    round is committed (mark_saved) a signal waits for the block's end, so that the folder and the
    round are both saved or neither. Before, it is raised as anywhere."""
    _signals["held"] += 1
    try:
        yield
    finally:
        _signals["held"] -= 1
        _raise_pending()


def _block_signals() -> object:
    """Block SIGNALS in this thread (over the fork of the helper, which inherits the mask); returns
    what to give _restore_signals."""
    if hasattr(signal, "pthread_sigmask"):
        return signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    return None


def _restore_signals(mask: object) -> None:
    if mask is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _leave_signals_to_parent() -> None:
    """In the helper: Ctrl-C and a hang-up reach the whole process group, and the parent ends the
    helper itself once it has cleaned up, so the helper ignores them (no second traceback); SIGTERM
    ends it at once, as by default. Then the signals blocked over the fork are let through."""
    for signum in SIGNALS:
        signal.signal(signum, signal.SIG_DFL if signum == getattr(signal, "SIGTERM", None) else signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)


# ---------------------------------------------------------------------------------------------
# Reading ahead


# Seconds this thread waits, at most, for a workbook's parse to start before it goes on (ReadAhead).
HEAD_START = 0.5


class ReadAhead:
    """Workbooks parsed in a background thread, in input order, the next one while the current one
    is converted: at most two parsed workbooks are held at a time."""

    def __init__(self, paths: list[Path], scan: RemoteScan | None = None):
        self._waiting = [p for p in paths if p.suffix.lower() in WORKBOOK_SUFFIXES]
        self._running: dict[Path, Background] = {}
        self._start_next(scan)

    def _start_next(self, scan: RemoteScan | None = None) -> None:
        """Start the next workbook's parse; `scan`: a workbook's scan made by the helper, for that one."""
        if self._waiting:
            path = self._waiting.pop(0)
            begun = threading.Event()
            scan = scan if scan is not None and scan.path == path else None
            self._running[path] = Background(parse_workbook, path, begun, scan, can_share())
            # Until calamine's parse starts (the first sheet's reach scanned), the thread needs the
            # GIL: wait for that, or this thread's imports (or its conversion of the workbook before)
            # share the GIL with it and calamine starts late. Not longer than HEAD_START: a province's
            # sheet takes seconds to scan, and the clerk sees nothing until the command goes on.
            begun.wait(HEAD_START)

    def started(self) -> set[Path]:
        """The workbooks parsing now or parsed and not yet taken."""
        return set(self._running)

    def add(self, paths: list[Path]) -> None:
        """More workbooks to parse, after those given (Session.take_on)."""
        self._waiting += [p for p in paths if p.suffix.lower() in WORKBOOK_SUFFIXES and p not in self._running]

    def leave(self, paths: set[Path]) -> None:
        """Not to parse these (read elsewhere); one already started is still this process's."""
        self._waiting = [p for p in self._waiting if p not in paths]

    def take(self, path: Path) -> ParsedWorkbook:
        """The parsed workbook (or its error, raised); the next one starts parsing."""
        job = self._running.pop(path, None)
        if job is None:  # not one this read-ahead was given
            return parse_workbook(path)
        try:
            return job.result()
        finally:
            self._start_next()


# ---------------------------------------------------------------------------------------------
# Sharing output files with a helper process

Task = tuple[str, Callable[..., object], tuple]  # (stage name for the timings, function, its arguments)

# Below this many tasks a helper that is not running yet is not worth its start.
MIN_TASKS_TO_SHARE = 32
# Below this (bytes of CSV or their worth, read_cost) a command's inputs start no helper at once.
MIN_BYTES_FOR_HELPER = 1 << 20
CHUNK = 4  # tasks claimed at a time: villages differ in size, small claims keep the finish even


def can_share() -> bool:
    return (os.cpu_count() or 1) >= 2


def _start_method() -> str:
    return "fork" if "fork" in mp.get_all_start_methods() else "spawn"


def _claim(claimed, total: int, chunk: int = CHUNK) -> range:
    with claimed.get_lock():
        start = claimed.value
        claimed.value = min(total, start + chunk)
    return range(start, min(total, start + chunk))


def _run(tasks: list[Task], claimed, seconds: dict[str, float], values: dict[int, object] | None = None,
         chunk: int = CHUNK, parent: int | None = None) -> None:
    """Claim and do tasks until none are left; what a task returns (other than None) goes in `values`
    under its position. `parent`: the helper's parent's pid; the helper stops at its next claim once
    its parent has gone (killed outright, its pipes broken: _helper_main ends without a word) instead
    of writing the rest of the villages' workbooks into a folder nobody will put in place."""
    while (parent is None or os.getppid() == parent) and (todo := _claim(claimed, len(tasks), chunk)):
        for i in todo:
            stage, fn, args = tasks[i]
            started = time.perf_counter()
            value = fn(*args)
            seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - started
            if value is not None and values is not None:
                values[i] = value


def _stop_claims(claimed) -> None:
    with claimed.get_lock():
        claimed.value = 1 << 62


def _lower_priority() -> None:
    if hasattr(os, "nice"):
        # Below the parent while both want a core: at the start the parent reads and parses the
        # survey, and this process's imports must not slow that; later each has a core of its own.
        os.nice(10)


def _helper_main(*args, **kwargs) -> None:
    """The helper process's target (_helper_work): a parent killed outright (SIGKILL, the OOM killer,
    Task Manager's End task) leaves its pipes broken, and the helper ends without a word."""
    try:
        _helper_work(*args, **kwargs)
    except (BrokenPipeError, ConnectionResetError, EOFError):
        pass


def _helper_work(tasks_conn, results_conn, claimed, parent_ends, preload, ready, scan=None,
                 read_claims=None) -> None:
    """The helper: scans the survey's sheet for the parent first (`scan`: the workbook and the pipe
    for workbook.scan_for_reader), then calls `preload` (loading what its tasks need) while it
    waits; then each message is a list of tasks to share, or files to read (`read_claims`: which of
    them are still to read, see SharedReads); None or a closed pipe is the end."""
    _leave_signals_to_parent()
    parent = os.getppid()
    for conn in parent_ends:  # inherited by fork: closed, so that this process sees EOF when the parent ends
        conn.close()
    if scan is not None:
        path, scan_conn = scan
        try:
            # The reach at full priority: the parent's calamine waits for it.
            scan_for_reader(path, scan_conn.send, between=_lower_priority)
        except OSError:  # the parent has gone
            return
        finally:
            scan_conn.close()
    else:
        _lower_priority()
    if preload is not None:
        preload()
    from .catalogue import use_target  # the words each share is written under

    ready.set()
    while True:
        try:
            tasks = tasks_conn.recv()
        except (EOFError, OSError):
            return
        if tasks is None:
            return
        if isinstance(tasks, _Reads):
            _read_for_parent(tasks, results_conn, read_claims)
            continue
        tasks, chunk, target = tasks
        use_target(target)
        seconds: dict[str, float] = {}
        values: dict[int, object] = {}
        try:
            _run(tasks, claimed, seconds, values, chunk, parent=parent)
            if os.getppid() != parent:
                return  # the parent has gone (killed outright): nobody to tell, and nothing more to do
            results_conn.send(("ok", (seconds, values)))
            if values:  # the tasks' arguments and what they made (the money columns) are not kept
                del tasks, values
                _give_back_memory()
        except BaseException as exc:  # handed to the parent, which raises it
            _stop_claims(claimed)
            try:
                results_conn.send(("error", exc))
            except Exception:  # an exception that cannot be pickled: its words are enough
                results_conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))



class _Reads:
    """A message to the helper: files to read (read.ReadJob), in this order."""

    def __init__(self, jobs: list[ReadJob]):
        self.jobs = jobs


# From this size (bytes of CSV or their worth) a file the helper read is followed by a collection of
# the garbage (the cells as read, once typed; the file's pieces, once sent). A full collection visits
# every object the helper holds, a tenth of a second on a busy machine: after each of a city's 150
# village files it was most of the helper's time (its share of the reading took 34 s against 13.5 s
# for all of it in one process), and it found next to nothing there.
COLLECT_AFTER_BYTES = 32 << 20


def _read_for_parent(reads: _Reads, results_conn, claims) -> None:
    """Read each file, in order, that the parent has not taken back (`claims`, _claim_read), and
    send it: ("file", i, record, tables) once it is read, then what the job's `finish` makes of each
    table: ("object", i, k, table, class, rest, rows per frame) and ("column", i, k, frame, name,
    values) for each column of its frames, each let go of once sent (the helper does not hold a
    file's text while the parent holds it too), then ("done", i); or ("error", i, exception) for a
    file it cannot read, and on with the next (a run names every file it refuses). ("x",) when no
    file is left. A table that is a DataFrame is one frame named "" (class None); anything else
    gives its frames and the rest by `pieces()` and is made again by the class's `from_pieces`."""
    import gc

    from .read import read_table_file

    while (i := _claim_read(claims, first=True)) is not None:
        job = reads.jobs[i]
        large = read_cost(job.path) >= COLLECT_AFTER_BYTES
        try:
            frames, record = read_table_file(job.path, job.tables, include_hidden=job.include_hidden,
                                             label=job.label)
            _post(results_conn, ("file", i, record, [table for table, _ in frames]))
            frames = job.finished(frames)
            # What the finish let go of (the cells as read) goes back to the system before the
            # parent takes over what it made: the two are not held at once.
            if large:
                gc.collect()
            _give_back_memory()
        except BaseException as exc:  # handed to the parent, which raises it when it asks for this file
            _post_error(results_conn, i, exc)
            continue
        for k, (table, kept) in enumerate(frames):
            pieces, rest, kind = ({"": kept}, None, None) if not hasattr(kept, "pieces") else (*kept.pieces(), type(kept))
            frames[k] = kept = None  # only the pieces hold it now: each column is let go of once sent
            _post(results_conn, ("object", i, k, table, kind, rest, {name: len(f) for name, f in pieces.items()}))
            for name, frame in pieces.items():
                for column in list(frame.columns):
                    _post(results_conn, ("column", i, k, name, column, frame[column].array))
                    del frame[column]
            del pieces, rest, kept
        del frames
        # Given back before the parent hears the file is done: it takes over what was sent only then.
        if large:
            gc.collect()
        _give_back_memory()
        _post(results_conn, ("done", i))
    _post(results_conn, ("x",))


def _claim_read(claims, first: bool) -> int | None:
    """The next file of a SharedReads to read (its position among the helper's files), or None when
    none is left: the helper takes them from the first on (`first`), the parent, done with its own
    files and waiting, from the last back, once the helper has begun (its first file stays its own:
    a members table the size of the survey is not read twice over in this process while the helper
    loads). `claims`: [next from the front, one past the last left]."""
    with claims.get_lock():
        front, back = claims[0], claims[1]
        if front >= back or (not first and front == 0):
            return None
        if first:
            claims[0] = front + 1
            return front
        claims[1] = back - 1
        return back - 1


def _give_back_memory() -> None:
    """Return freed memory to the system where the C library can (glibc): the helper writes the
    villages' files next, and what it held of the inputs should not count against the run."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _post(conn, message: tuple) -> None:
    """A message of the reads, as bytes led by its kind's first letter: the parent's receiving thread
    takes them in without unpickling them (but a file's end, "d" or "e", for its number), and knows
    the last one by its letter."""
    conn.send_bytes(message[0][:1].encode() + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))


def _post_error(conn, i: int, exc: BaseException) -> None:
    try:
        _post(conn, ("error", i, exc))
    except Exception:  # an exception that cannot be pickled: its words are enough
        _post(conn, ("error", i, RuntimeError(f"{type(exc).__name__}: {exc}")))


@dataclass
class _Incoming:
    """One table of a file the helper reads, as its columns come: the frames it is made of (rows
    of each, by name: "" for a DataFrame), their columns so far, and how to make it again (`cls`
    with `rest`; None for the DataFrame itself)."""

    table: object
    cls: type | None
    rest: object
    rows: dict[str, int]
    columns: dict[str, dict] = field(default_factory=dict)

    def made(self):
        import pandas as pd

        frames = {name: pd.DataFrame(self.columns.get(name, {}), index=pd.RangeIndex(rows), copy=False)
                  for name, rows in self.rows.items()}
        return frames[""] if self.cls is None else self.cls.from_pieces(frames, self.rest)


@dataclass
class _Received:
    """What has come of one of the helper's files: its record and tables as read (the first
    message), each table's columns, and whether all of it has come or the helper stopped there."""

    record: object = None
    read_tables: list | None = None
    tables: dict[int, _Incoming] = field(default_factory=dict)
    done: bool = False
    error: BaseException | None = None

    @property
    def complete(self) -> bool:
        return self.done or self.error is not None


class SharedReads:
    """A read.FileSource over a run's files (jobs, in the order the run asks for them): those at
    `theirs` (positions in jobs) are read by the helper, the rest here. Asked for one of the
    helper's files before it has come, this process reads its own next file meanwhile (kept, with
    its error if it has one, until asked for); with none of its own left, it takes back the last of
    the helper's that the helper has not begun (both finish together, however the split misjudged
    the helper's speed). A file the helper cannot read is said when its turn comes, and the helper
    goes on with the next. A helper's file of no households (a members table) is handed over as
    soon as it is read, its tables as read.Later: taken when the run needs them, while the helper
    types them and this process goes on with the households."""

    def __init__(self, helper: WriterHelper, jobs: list[ReadJob], theirs: list[int]):
        self.helper = helper
        self._theirs = {jobs[i].key: n for n, i in enumerate(theirs)}
        self._their_jobs = [jobs[i] for i in theirs]
        helpers = set(theirs)
        self._own = [job for i, job in enumerate(jobs) if i not in helpers]
        self._kept: dict = {}  # own files read ahead: key → (frames, record) or the exception
        self._received: dict[int, _Received] = {}  # the helper's files: n → their parts as they come
        self._assembled: dict[int, list] = {}  # the helper's files handed over before they came
        self._surveys = {n for n, i in enumerate(theirs) if "households" in jobs[i].key[1]}
        # What the helper sends is taken in by a thread as it comes (the pipe never fills: the
        # helper lets go of each column once sent, while this process goes on), and unpickled here
        # when the run asks for it.
        self._inbox: queue.SimpleQueue = queue.SimpleQueue()
        self._sent = [threading.Event() for _ in theirs]  # each file all taken in (or the helper stopped)
        self._claims = helper.read_claims
        with self._claims.get_lock():
            self._claims[0], self._claims[1] = 0, len(theirs)
        self._left = len(theirs)  # the helper's files not handed over yet
        helper._tasks.send(_Reads(self._their_jobs))
        # Until it ends (the helper's last message taken in), nothing else reads the helper's pipe.
        helper._reading = threading.Thread(target=self._take_in, daemon=True)
        helper._reading.start()

    def _take_in(self) -> None:
        try:
            while True:
                data = self.helper._results.recv_bytes()
                if data[:1] == b"x":  # no file left to read
                    break
                self._inbox.put(data)
                if data[:1] in (b"d", b"e"):  # a file all sent, or its error
                    self._sent[pickle.loads(data[1:])[1]].set()
        except (EOFError, OSError):  # the helper died without a word (killed, out of memory)
            self._inbox.put(None)
        for sent in self._sent:
            sent.set()

    def read(self, job: ReadJob, workbooks=None):
        from .read import ReadHere

        key = job.key
        n = self._theirs.get(key)
        if n is None:
            self._own = [j for j in self._own if j.key != key]
            if key in self._kept:
                return self._outcome(self._kept.pop(key))
            return ReadHere().read(job, workbooks)
        self._left -= 1
        while not (self._complete(n) or self._read_without_households(n)):
            if key in self._kept:  # taken back from the helper (_wait)
                self._all_handed()
                return self._outcome(self._kept.pop(key))
            self._wait(workbooks)
        if not self._complete(n):
            from .read import Later

            got = self._received[n]
            return [(table, Later(partial(self._later, n, k))) for k, table in enumerate(got.read_tables)], got.record
        self._all_handed()
        return self._assemble(n)

    def _all_handed(self) -> None:
        """With every file of the helper's handed over whole, its last message is taken in: the
        pipe is the output share's again."""
        if not self._left:
            self.helper.reads_taken_in()

    def _wait(self, workbooks=None) -> None:
        """Read one of this process's files ahead while nothing has come from the helper (or, with
        none of its own left, the helper's last not begun); else take in the helper's next message."""
        from .read import ReadHere

        ahead = None
        if self._inbox.empty():
            if self._own:
                ahead = self._own.pop(0)
            elif (n := _claim_read(self._claims, first=False)) is not None:
                ahead = self._their_jobs[n]
        if ahead is None:
            self._receive()
            return
        try:
            self._kept[ahead.key] = ReadHere().read(ahead, workbooks)
        except Exception as exc:  # said when that file is asked for, in the run's order
            self._kept[ahead.key] = exc

    def _read_without_households(self, n: int) -> bool:
        """A survey file (one that may hold households) found to hold none: a members table."""
        got = self._received.get(n)
        return got is not None and got.read_tables is not None and got.error is None and n in self._surveys \
            and all(table.kind != "households" for table in got.read_tables)

    def _later(self, n: int, k: int):
        """The file's k-th table, the file taken over at the first one asked for: once all of it has
        come and the helper has given its copy back (the two are not held at once)."""
        if n not in self._assembled:
            self._sent[n].wait()
            while not self._complete(n):
                self._receive()
            self._assembled[n] = self._assemble(n)[0]
        return self._assembled[n][k][1]

    @staticmethod
    def _outcome(kept):
        if isinstance(kept, BaseException):
            raise kept
        return kept

    def _complete(self, n: int) -> bool:
        got = self._received.get(n)
        return got is not None and got.complete

    def _receive(self) -> None:
        data = self._inbox.get()
        if data is None:
            self._inbox.put(None)  # said again to whoever asks next
            self.helper.process.join()
            raise OutputError("reader_died", code=self.helper.process.exitcode)
        message = pickle.loads(data[1:])
        kind, n = message[0], message[1]
        got = self._received.setdefault(n, _Received())
        if kind == "file":
            got.record, got.read_tables = message[2], message[3]
        elif kind == "object":
            _, _, k, table, cls, rest, rows = message
            got.tables[k] = _Incoming(table, cls, rest, rows)
        elif kind == "column":
            _, _, k, name, column, values = message
            got.tables[k].columns.setdefault(name, {})[column] = values
        elif kind == "done":
            got.done = True
        else:  # this file's error: the helper went on with the next
            got.error = message[2]

    def _assemble(self, n: int):
        got = self._received.pop(n)
        if got.error is not None:
            raise got.error
        return [(got.tables[k].table, got.tables[k].made()) for k in range(len(got.tables))], got.record


# What it costs to read a file of each kind, per byte of it, against a CSV: a workbook is zipped.
_READ_WEIGHT = {".xlsx": 4.0, ".xlsm": 4.0, ".xls": 1.0}
# The helper's cost of a file it reads, and this process's of taking it over, against reading it here.
_HELPER_COST, _TAKE_COST = 1.4, 0.3
# Below this (bytes of CSV or their worth) the helper's share is not worth its messages.
MIN_BYTES_TO_SHARE = 16 << 20


def read_cost(path: Path) -> float:
    """What reading a file costs: its bytes, weighted by its kind (_READ_WEIGHT)."""
    try:
        return path.stat().st_size * _READ_WEIGHT.get(path.suffix.lower(), 1.0)
    except OSError:  # said when it is read
        return 0.0


def split_reads(costs: list[float], here: set[int] = frozenset()) -> list[int]:
    """Which files (positions; `costs` in the order they are asked for) the helper reads: each in
    turn goes where the two would finish sooner. The first, and those at `here` (a workbook already
    parsing in this process), are read here. None when the helper's share is too small to pay."""
    mine, theirs, helper = (costs[0] if costs else 0.0), 0.0, []
    for i, cost in enumerate(costs[1:], 1):
        if i not in here and max(mine + _TAKE_COST * cost, theirs + _HELPER_COST * cost) < max(mine + cost, theirs):
            helper.append(i)
            mine += _TAKE_COST * cost
            theirs += _HELPER_COST * cost
        else:
            mine += cost
    return helper if sum(costs[i] for i in helper) >= MIN_BYTES_TO_SHARE else []


class WriterHelper:
    """One helper process, started now and fed lists of tasks later (see WorkShare). `preload`, a
    module-level function, runs in the helper before its first tasks arrive (runtime.py passes one
    that loads the writers). Close it (or use it as a context manager) when done; it also ends by
    itself when this process does."""

    def __init__(self, start_method: str | None = None, preload: Callable[[], None] | None = None,
                 scan: Path | None = None):
        ctx = mp.get_context(start_method or _start_method())
        self.claimed = ctx.Value("q", 0)
        self.read_claims = ctx.Array("q", 2)  # of a SharedReads: see _claim_read
        self._reading: threading.Thread | None = None  # a SharedReads' receiving thread
        self._ready = ctx.Event()
        tasks_recv, self._tasks = ctx.Pipe(duplex=False)
        self._results, results_send = ctx.Pipe(duplex=False)
        scan_recv, scan_send = ctx.Pipe(duplex=False) if scan is not None else (None, None)
        self.process = ctx.Process(target=_helper_main, daemon=True,
                                   args=(tasks_recv, results_send, self.claimed,
                                         (self._tasks, self._results) + ((scan_recv,) if scan is not None else ()),
                                         preload, self._ready, (scan, scan_send) if scan is not None else None,
                                         self.read_claims))
        mask = _block_signals()  # until the helper has set its own handlers (see _leave_signals_to_parent)
        try:
            self.process.start()
        finally:
            _restore_signals(mask)
        tasks_recv.close()
        results_send.close()
        # The survey's scan, as the helper sends it (workbook.RemoteScan), for the read-ahead.
        self.scan = None
        if scan is not None:
            scan_send.close()
            self.scan = RemoteScan(scan, scan_recv)

    def send(self, tasks: list[Task], chunk: int = CHUNK) -> None:
        """Tasks to share, claimed `chunk` at a time."""
        from .catalogue import target_in_use  # loaded by now; this module loads before the catalogue

        with self.claimed.get_lock():
            self.claimed.value = 0
        # The words the tasks write under (catalogue.use_target) go with them.
        self._tasks.send((tasks, chunk, target_in_use()))

    def result(self) -> dict[str, float]:
        """Wait for the helper's share of the last tasks; raise its error, if it had one. Returns the
        seconds per stage of its share."""
        return self.outcome()[0]

    def reads_taken_in(self) -> None:
        """Wait until the last message of the helper's reads (SharedReads) has been taken in."""
        if self._reading is not None:
            self._reading.join()
            self._reading = None

    def outcome(self) -> tuple[dict[str, float], dict[int, object]]:
        """result(), with what the helper's tasks returned: (seconds per stage, {task position: value})."""
        self.reads_taken_in()  # its answer comes after them
        try:
            outcome, value = self._results.recv()
        except (EOFError, OSError):  # the helper died without a word (killed, out of memory)
            self.process.join()
            raise OutputError("writer_died", code=self.process.exitcode) from None
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
    `seconds` holds each stage's time, summed over both processes, and `values` what the tasks
    returned, by position (`results()`). `chunk`: tasks claimed at a time (a few long tasks: one)."""

    def __init__(self, tasks: list[Task], helper: WriterHelper | None = None, chunk: int = CHUNK):
        self.tasks = tasks
        self.chunk = chunk
        self.seconds: dict[str, float] = {}
        self.values: dict[int, object] = {}
        self.helper = helper
        self._own_helper = False
        self._claimed = None
        self._finished = False

    def __enter__(self) -> WorkShare:
        if self.helper is None and len(self.tasks) >= MIN_TASKS_TO_SHARE and can_share() and enabled():
            self.helper, self._own_helper = WriterHelper(), True
        if self.helper is not None and self.tasks and self.helper.alive():
            try:
                self.helper.send(self.tasks, self.chunk)
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
            _run(self.tasks, _Counter(), self.seconds, self.values)
            return
        try:
            _run(self.tasks, self._claimed, self.seconds, self.values, self.chunk)
        except BaseException:
            _stop_claims(self._claimed)
            raise
        seconds, values = self.helper.outcome()
        for stage, spent in seconds.items():
            self.seconds[stage] = self.seconds.get(stage, 0.0) + spent
        self.values.update(values)

    def results(self) -> list:
        """finish(), then what each task returned, in the tasks' order (None for nothing)."""
        self.finish()
        return [self.values.get(i) for i in range(len(self.tasks))]


def calls_elsewhere(helper: WriterHelper | None):
    """The core's `Elsewhere` (normalise.py) over `helper`: the calls go to it on entry, one at a
    time, while this process does its own work; the value entered is a function that joins in, waits
    and returns what every call returned, in order. Without a helper every call is made here."""

    if helper is None:  # never a helper started for them (WorkShare would, for many calls)
        from .normalise import here  # the run's library: loaded by the time a screen asks

        return here

    @contextmanager
    def elsewhere(calls: list[Task]) -> Iterator[Callable[[], list]]:
        with WorkShare(calls, helper, chunk=1) as share:
            yield share.results

    return elsewhere


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


# ---------------------------------------------------------------------------------------------
# The session a command starts


def _preload_writers() -> None:
    """Run in the helper before its first tasks: the libraries the writers need, the package's core
    and the writers' own building blocks load while this process reads the survey (the helper runs
    at a lower priority). The writers themselves import this module, so they load with the first
    task; what they build on is here. So does the parsing of the money columns, the helper's first
    share of a run (normalise.py)."""
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import xlsxwriter  # noqa: F401

    from . import normalise, result  # noqa: F401
    from .catalogue import fields, messages
    from .outputs import places, privacy, xlsx  # noqa: F401

    messages()  # the catalogue parsed and validated once, before the first workbook needs it
    fields()


class Session:
    """What a command starts with one call, before pandas is loaded: workbooks parsing ahead and a
    helper process for the output files. `workbooks` is None (parse when asked) and `helper` None
    (write alone) when the machinery is off or not worth it."""

    def __init__(self, files: list[Path], *, share_writing: bool = True):
        self.on = enabled()
        self.helper = None
        # Small inputs (a village's, a township's few hundred households) start none: its fork and
        # imports cost more than it saves there (a tenth of a second of CPU a command); writing many
        # outputs still starts one (WorkShare, MIN_TASKS_TO_SHARE).
        if self.on and share_writing and can_share() and sum(map(read_cost, files)) >= MIN_BYTES_FOR_HELPER:
            # Where the helper is forked it starts at once, and it scans the survey's sheet first,
            # without sharing this process's GIL with its imports (workbook.scan_for_reader).
            first = next((p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES), None)
            scan = first if first is not None and first.suffix.lower() in SCANNED_SUFFIXES \
                and _start_method() == "fork" else None
            self.helper = WriterHelper(preload=_preload_writers, scan=scan)
        # The first workbook parses (outside the GIL) while pandas and the pipeline load.
        self.workbooks = ReadAhead(files, self.helper.scan if self.helper else None) if self.on else None

    def take_on(self, files: list[Path]) -> bool:
        """Take on a run of `files`, where this session (started early: start_early) can: their first
        workbook is the one it parses. The others are added, in their order. Whether it did."""
        first = next((p for p in files if p.suffix.lower() in WORKBOOK_SUFFIXES), None)
        if self.helper is None or self.workbooks is None or first is None or first not in self.workbooks.started():
            return False
        self.workbooks.add([p for p in files if p != first])
        return True

    def reads(self, jobs: list[ReadJob]) -> FileSource:
        """Where a run's files are read (read.FileSource): some by the helper while this process
        reads the others, where that pays (split_reads); else each here."""
        from .read import ReadHere

        if self.helper is None or not self.helper.alive() or len(jobs) < 2:
            return ReadHere()
        parsing = self.workbooks.started() if self.workbooks is not None else set()
        theirs = split_reads([read_cost(job.path) for job in jobs], {i for i, job in enumerate(jobs) if job.path in parsing})
        if not theirs:
            return ReadHere()
        if self.workbooks is not None:
            self.workbooks.leave({jobs[i].path for i in theirs})
        return SharedReads(self.helper, jobs, theirs)

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start(files: list[Path], *, share_writing: bool = True) -> Session:
    """Start a command's session (see Session); use it as a context manager. The session started
    early for the first of these workbooks (start_early) is this one, with the others added."""
    global _early
    early, _early = _early, None
    if early is not None:
        if share_writing and early.take_on(files):
            return early
        early.close()
    return Session(files, share_writing=share_writing)


_early: Session | None = None


def start_early(survey: Path) -> list[int]:
    """Start the session of a command that will screen `survey` first, before the program has
    loaded (the command line's first_survey): its scan and parse begin while typer and pandas load.
    The command's own start() takes it over; where the machinery is off, nothing starts. Returns the
    helper process's id (none where none started), for a Ctrl-C before the program runs to end it."""
    global _early
    if _early is None and enabled() and can_share() and _start_method() == "fork":
        try:
            _early = Session([survey])
        except Exception:  # whatever stops it now, the command meets and says itself
            _early = None
    helper = _early.helper if _early is not None else None
    return [helper.process.pid] if helper is not None else []


def exit_process(code: int) -> None:
    """End the process with `code`: at once, after flushing, when the machinery is on (every output
    is closed and renamed by then); through the interpreter's normal exit when it is off."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (| head), or a closed stream
            pass
    if enabled():
        os._exit(code)
    sys.exit(code)
