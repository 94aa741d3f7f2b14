"""Where outputs are written: a folder that appears whole or not at all, never over an input, never
by two runs at once, and single files that appear whole or not at all.

- Reservation: a run holds its output folder from the start (`reserved`) through a lock file beside
  it, `.<name>.lock`, locked by the operating system (flock; on Windows a byte-range lock) and holding
  the run's process id. A second run into the same folder, with --force or without, is refused while
  the first lives; the lock of a process that has died is released by the system, so it is no
  obstacle. When the lock cannot be taken (a network file system without locks) a lock file naming a
  live process of this machine is respected instead.
- Staging: a folder is written into a hidden sibling, `.<name>.<8 characters>.partial`; only when
  the last file is written is it renamed into place (an existing folder is moved aside first, to
  `.<name>.<8 characters>.old`, and deleted after), and no signal cuts that rename in two
  (runtime.uninterrupted). Any failure or signal removes the staging folder and leaves what was
  there before untouched.
- Leftovers of a killed run (SIGKILL, a power cut): the next run into the same parent folder removes
  the staging and retired folders and lock files of that pattern whose output no live run holds; a
  retired folder whose output is missing (killed between the two renames) is put back in its place.
- A single file is written under a temporary name beside it and renamed. One written as a run's
  output (`atomic_file(..., reserve=True)`: the blank form, the register's 进度, 花名册 and trend, a new
  rules file) is reserved as a folder is, its temporary
  name `.<name>.<8 characters>.partial` (never ending as the file does, so never taken for it), and
  a killed run's is removed by the next run as a staging folder is.
- Permissions: folders and files are made as any program makes them (the umask decides: usually
  rwxr-xr-x and rw-r--r--), not private as mkdtemp and mkstemp would make them.
- Errors: every operating-system error while writing (a full disk, permission denied, a path too
  long, also inside xlsxwriter's FileCreateError or from the helper process) becomes an OutputError
  that says which, and where.
"""

from __future__ import annotations

import errno
import os
import random
import re
import shutil
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..catalogue import Phrase
from ..errors import OutputError, os_reason
from ..inputs import RECORDS, file_sha256, own_record
from ..runtime import mark_saved, notice, saved, uninterrupted

_TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_TOKEN = r"[a-z0-9_]{8}"
_LEFTOVER = re.compile(rf"^\.(?P<name>.+?)(?:\.{_TOKEN}\.(?:partial|old)|\.lock)$", re.DOTALL)
_NAME_BYTES = 200  # of an output folder's name inside its hidden siblings' names (255 bytes at most)
_CUT_NAME = re.compile(r".*~[0-9a-f]{8}", re.DOTALL)  # a name _short_name cut


# ---------------------------------------------------------------------------------------------
# Operating-system errors as the clerk reads them


def _os_error_in(exc: BaseException) -> OSError | None:
    """The OSError `exc` is or wraps (xlsxwriter's FileCreateError holds it as its argument)."""
    if isinstance(exc, OSError):
        return exc
    for inner in (*exc.args[:1], exc.__cause__, exc.__context__):
        if isinstance(inner, OSError):
            return inner
    return None


@contextmanager
def named_os_errors(path: Path, key: str = "output_unwritable") -> Iterator[None]:
    """An operating-system error inside the block becomes OutputError: `path` cannot be written, and
    why (the disk is full, permission denied, the path is too long …). `key`: the words, which say
    what -o should name instead (a folder; output_file_unwritable: a file)."""
    try:
        yield
    except Exception as exc:
        if isinstance(exc, OutputError):
            raise
        found = _os_error_in(exc)
        if found is None:
            raise
        raise OutputError(key, path=str(path), reason=os_reason(found)) from None


def target_exists(path: Path) -> bool:
    """Path.exists, with an over-long or unreachable path said as an OutputError, not a traceback."""
    with named_os_errors(path):
        return path.exists()


# ---------------------------------------------------------------------------------------------
# Refusals asked before anything is read


def refuse_input_inside(out_dir: Path, inputs: Iterable[Path], what: str = "output_folder") -> None:
    """An output folder that is, or holds, an input would overwrite it: refuse."""
    with named_os_errors(out_dir):
        resolved = out_dir.resolve()
        for path in inputs:
            src = Path(path).resolve()
            if src == resolved or resolved in src.parents:
                raise OutputError("output_holds_input", path=str(out_dir), what=Phrase(what), file=src.name)
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputError("output_not_folder", path=str(out_dir))


def check_target(out_dir: Path, inputs: Iterable[Path], force: bool, *, what: str = "output_folder",
                 replaceable: Callable[[Path], bool] | None = None,
                 issued: Callable[[], set[str]] | None = None,
                 unrecorded: frozenset[str] = frozenset()) -> None:
    """Refuse an output folder that holds an input, that exists without `force` (unless
    `replaceable` says it is an earlier output of the same kind, which is replaced), or that holds
    files edgescreen did not write, or changed since (others_in): replacing the folder would delete
    them. `issued`: the SHA-256 of every file a register printed, for its documents' folders, which
    hold no record of their own. `unrecorded`: the files an earlier version of the command wrote with
    no record (backcheck's two, to 2026-12-06): a folder with no record holding exactly those is that
    version's output. A folder whose record is damaged is refused, said as such: the record no longer
    says what the run wrote. Asked before reading too, so a clerk is not told after a long run."""
    refuse_input_inside(out_dir, inputs, what=what)
    if not target_exists(out_dir):
        return
    if not force and not (replaceable is not None and replaceable(out_dir)):
        raise OutputError("output_exists", path=str(out_dir), what=Phrase(what))
    with named_os_errors(out_dir):
        owns = [own for name in RECORDS if (own := own_record(out_dir, (name,))) is not None]  # each read once
        damaged = [own.name for own in owns if own.damaged]
        if damaged:
            raise OutputError("output_record_damaged", path=str(out_dir), what=Phrase(what), record=damaged[0])
        records = {own.name: own.record for own in owns}
        others, held = _others_and_count(out_dir, issued() if issued is not None else None, records)
        if unrecorded and sorted(others) == sorted(unrecorded) and not records:
            return
    if others:
        shown = others[:_OTHERS_SHOWN] + (["…"] if len(others) > _OTHERS_SHOWN else [])
        # Nothing in it edgescreen's: a folder it never wrote (the clerk's, a copy), said as such.
        key = "output_holds_filled_documents" if issued is not None else \
            "output_folder_not_edgescreens" if len(others) == held else "output_holds_others"
        raise OutputError(key, path=str(out_dir), what=Phrase(what), count=len(others), files=shown)


# What edgescreen writes where its record lists no files: check.json before it listed its outputs (to
# 2026-12-03) and the first run.json. A file of another kind there (a .docx of notes, a register .db,
# a rules .toml) is someone's own.
_OUTPUT_SUFFIXES = {".xlsx", ".csv", ".html", ".json"}
_OTHERS_SHOWN = 5


def _records(folder: Path) -> dict[str, dict]:
    """The records edgescreen's runs left in `folder` (inputs.own_record: with its mark, readable), by name."""
    return {name: own.record for name in RECORDS
            if (own := own_record(folder, (name,))) is not None and not own.damaged}


def others_in(folder: Path, issued: set[str] | None = None) -> list[str]:
    """The files under `folder` (by path relative to it) that edgescreen did not write there, or that
    were changed since (a form filled in where it was printed): not listed in its run's record, or
    listed with another SHA-256; where no record lists files, not among `issued` (the hashes of a
    register's documents, which hold no record) when given; else, where a record lists none (an
    earlier version's), of a kind edgescreen never writes; where there is no record (another
    program's run.json is none, nor is a damaged one), every file: a folder with no record is no
    output of edgescreen's, and --force must not delete what it holds."""
    return _others_and_count(folder, issued)[0]


def _others_and_count(folder: Path, issued: set[str] | None,
                      records: dict[str, dict] | None = None) -> tuple[list[str], int]:
    """others_in, and how many files `folder` holds in all; `records`: its run records, read already."""
    found = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    records = _records(folder) if records is None else records
    listed: dict[str, str | None] | None = None
    for name, record in records.items():
        outputs = record.get("outputs")
        if isinstance(outputs, list):
            listed = {**(listed or {}), name: None,
                      **{o.get("file"): o.get("sha256") for o in outputs if isinstance(o, dict)}}
    if listed is not None:
        others = [f for f in found if f not in listed or listed[f] is not None and listed[f] != file_sha256(folder / f)]
    elif issued is not None:
        others = [f for f in found if file_sha256(folder / f) not in issued]
    elif records:
        others = [f for f in found if Path(f).suffix.lower() not in _OUTPUT_SUFFIXES]
    else:
        others = found
    return others, len(found)


def files_with_hashes(folder: Path, hashes: set[str]) -> dict[str, str]:
    """{path relative to `folder`: SHA-256} of the files under it whose SHA-256 is among `hashes` (a
    register's documents still out, as printed: what replacing the folder carries over); none when
    `folder` does not exist."""
    if not hashes or not target_exists(folder):
        return {}
    with named_os_errors(folder):
        found = {p.relative_to(folder).as_posix(): file_sha256(p) for p in folder.rglob("*") if p.is_file()}
    return {name: sha for name, sha in found.items() if sha in hashes}


def carry_files(source: Path, target: Path, names: Iterable[str]) -> None:
    """Copy the files `names` (relative paths) of `source` to the same places under `target` (a
    staging folder), as they are: what the folder replaced held and must keep."""
    for name in names:
        with named_os_errors(source / name):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / name, target / name)


# ---------------------------------------------------------------------------------------------
# Names beside the output folder


def _short_name(out_dir: Path) -> str:
    """The output folder's name as its hidden siblings carry it: cut, with a hash, when so long that
    a sibling's name would pass 255 bytes."""
    name = out_dir.name
    if len(name.encode("utf-8")) <= _NAME_BYTES:
        return name
    import hashlib

    tag = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    while len((name + tag).encode("utf-8")) > _NAME_BYTES:
        name = name[:-1]
    return name + tag


def _lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{_short_name(out_dir)}.lock"


def _new_sibling(parent: Path, name: str, suffix: str, make: Callable[[Path], None]) -> Path:
    """`make` a new path `.<name>.<8 random characters><suffix>` in `parent` (as mkdtemp names its
    folders, but with the umask's permissions)."""
    for _ in range(100):
        token = "".join(random.choices(_TOKEN_CHARS, k=8))
        path = parent / f".{name}.{token}{suffix}"
        try:
            make(path)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(parent))


def _new_file(path: Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


# ---------------------------------------------------------------------------------------------
# The reservation


def _pid_alive(pid: int) -> bool:
    """Whether a process `pid` runs on this machine."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        import ctypes

        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


_MARK = "edgescreen"  # a lock file's first word: what tells our lock files from any other program's


def _lock_text(lock: Path) -> str:
    try:
        return lock.read_text(encoding="ascii", errors="replace")
    except OSError:
        return ""


def _holder(lock: Path) -> int:
    """The process id written in a lock file (0 when unreadable or not written yet)."""
    words = _lock_text(lock).split()
    return int(words[1]) if len(words) == 2 and words[0] == _MARK and words[1].isdigit() else 0


_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL}


def _try_lock(fd: int, lock: Path) -> bool:
    """Take the system's lock on the open lock file without waiting; False when another process holds
    it. Where the file system has no locks, a lock file naming another live process counts as held."""
    try:
        if os.name == "nt":
            import msvcrt

            os.lseek(fd, 1 << 20, os.SEEK_SET)  # a byte beyond the process id, so others can read it
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
    except OSError as exc:
        if os.name == "nt" and exc.errno in (errno.EACCES, errno.EDEADLK):
            return False
        if exc.errno not in _NO_LOCKS:
            raise
        pid = _holder(lock)
        return pid in (0, os.getpid()) or not _pid_alive(pid)


def _acquire(lock: Path) -> int | None:
    """An open descriptor of `lock` holding its lock, or None when a live process holds it."""
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if not _try_lock(fd, lock):
                os.close(fd)
                return None
            # The file may have been removed by its last holder between our open and our lock: then
            # this lock is on a file nobody else sees; take the one at the path instead.
            try:
                current = os.stat(lock)
            except FileNotFoundError:
                current = None
            if current is not None and os.path.samestat(os.fstat(fd), current):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _release(lock: Path, fd: int, remove: bool = True) -> None:
    """Remove the lock file (with `remove`), then let go of its lock (on Windows, where an open file
    cannot be removed, the other way round)."""
    if os.name == "nt":
        os.close(fd)
        try:
            if remove:
                lock.unlink()
        except OSError:  # taken meanwhile by another run, which keeps it
            pass
        return
    try:
        if remove:
            lock.unlink()
    except FileNotFoundError:
        pass
    finally:
        os.close(fd)


# lock path → [thread, depth]: the reservations this process holds. A thread other than the holder
# is a second run, refused as another process is; only the holder's own nested holds are one.
_held: dict[Path, list[int]] = {}
_held_guard = threading.Lock()


def _remove_leftovers(parent: Path, ours: str) -> None:
    """Staging and retired folders and lock files beside `parent`'s output folders whose output no live
    run holds: what a killed run left (see the module's docstring). `ours` is the name of the output
    this process holds (its leftovers are removed without asking a lock again)."""
    found: dict[str, list[Path]] = {}
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        match = _LEFTOVER.match(entry.name)
        if match:
            found.setdefault(match.group("name"), []).append(Path(entry.path))
    for name, paths in found.items():
        lock = parent / f".{name}.lock"
        leftovers = [path for path in paths if path != lock]
        if name == ours:  # held by this process: what is there is a dead run's
            for path in leftovers:
                _remove(path, parent / name)
            continue
        # A lock file of another program that happens to be named alike is never touched.
        had_lock = lock in paths
        if lock in _held or not (leftovers or (had_lock and _lock_text(lock).startswith(_MARK))):
            continue
        try:
            fd = _acquire(lock)
        except OSError:
            continue
        if fd is None:  # a live run writes that folder
            continue
        try:
            for path in leftovers:
                _remove(path, parent / name)
        finally:
            _release(lock, fd, remove=not had_lock or _lock_text(lock).startswith(_MARK))


def _remove(leftover: Path, output: Path) -> None:
    """A killed run's staging or retired folder, or its temporary file (atomic_file's `.partial`). A
    retired folder whose output is not there (the run killed between moving the old folder aside and
    renaming the new one in) holds the only copy: it is put back as the output, not deleted. Where the
    output's name was cut (_short_name), or it cannot be moved, it is left as it is."""
    kept = leftover / "old"
    if leftover.name.endswith(".old") and kept.is_dir() and not output.exists():
        try:
            if _CUT_NAME.fullmatch(output.name):  # the real name is longer: not known here
                return
            kept.replace(output)
        except OSError:
            return
    if leftover.is_dir() and not leftover.is_symlink():
        shutil.rmtree(leftover, ignore_errors=True)
    elif leftover.name.endswith(".partial"):
        try:
            leftover.unlink()
        except OSError:
            pass


@contextmanager
def reserved(out_dir: Path, busy: str = "output_busy") -> Iterator[None]:
    """Hold `out_dir` against every other run until the block ends (see the module's docstring); a
    second run is refused with OutputError `busy` (output_busy: said of a folder). Creates the parent
    folder if needed. Nested reservations of the same folder in one thread are one; another thread
    of this process is a second run."""
    out_dir = Path(out_dir)
    with named_os_errors(out_dir):
        parent = out_dir.resolve().parent
    lock = parent / _lock_path(out_dir).name
    me = threading.get_ident()
    with _held_guard:  # claimed in this process before the system's lock, which may not tell threads apart
        holder = _held.setdefault(lock, [me, 0])
        holder[1] += holder[0] == me
    if holder[0] != me:
        raise OutputError(busy, path=str(out_dir), pid=os.getpid())
    if holder[1] > 1:
        try:
            yield
        finally:
            holder[1] -= 1
        return
    made: list[Path] = []
    fd = None
    try:
        # Taken whole or not at all: a signal meanwhile is raised once the release below is sure to run.
        with uninterrupted(), named_os_errors(out_dir):
            made = _missing_parents(parent)
            parent.mkdir(parents=True, exist_ok=True)
            fd = _acquire(lock)
            if fd is None:
                raise OutputError(busy, path=str(out_dir), pid=_holder(lock) or "?")
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, f"{_MARK} {os.getpid()}\n".encode("ascii"))
        _remove_leftovers(parent, _short_name(out_dir))
        yield
    finally:
        with uninterrupted():
            if fd is not None:
                _release(lock, fd)
            with _held_guard:
                _held.pop(lock, None)
            if not _exists(out_dir):
                _remove_empty(made)


def _exists(path: Path) -> bool:
    """Path.exists where asking must not raise (a name too long to exist: the error being said is the
    one that reached here, not this question's)."""
    try:
        return path.exists()
    except OSError:
        return False


def _missing_parents(folder: Path) -> list[Path]:
    """The folders of `folder`'s path that do not exist yet, deepest first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    """Folders this run made for its output and left empty (it was refused or failed), deepest first."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


# ---------------------------------------------------------------------------------------------
# Writing


@contextmanager
def atomic_file(path: Path, *, reserve: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error it becomes `path`.
    `reserve`: a run's output, held as an output folder is (reserved), under a temporary name that a
    killed run's next run removes (see the module's docstring)."""
    if reserve:
        with reserved(path, busy="output_file_busy"), _written_to(path, _short_name(path), ".partial") as tmp:
            yield tmp
        return
    stem = path.stem if len(path.stem.encode("utf-8")) <= _NAME_BYTES else _short_name(Path(path.stem))
    with _written_to(path, stem, f".tmp{path.suffix}") as tmp:
        yield tmp


@contextmanager
def _written_to(path: Path, name: str, suffix: str) -> Iterator[Path]:
    """atomic_file's temporary file `.<name>.<8 characters><suffix>` beside `path`, renamed to it."""
    with named_os_errors(path, "output_file_unwritable"):
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = None
        try:
            with uninterrupted():  # made and known, or not made
                tmp = _new_sibling(path.parent, name, suffix, _new_file)
            yield tmp
            with uninterrupted():
                replacing = path.exists()
                os.replace(tmp, path)
                _mark_placed(replacing)
        except BaseException:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            raise


@contextmanager
def staged_folder(out_dir: Path, check: Callable[[], None] | None = None,
                  before_place: Callable[[], None] | None = None) -> Iterator[Path]:
    """Yield a staging folder beside out_dir; on success it becomes out_dir. Held in a reservation
    (`reserved`: taken here unless the caller holds it already); `check` (check_target) is asked once
    it is held, so that no other run can make the folder between the check and the writing.
    `before_place`: called once the folder is written, before it is put in place (a register's round
    committed: a commit that fails, on a full disk, leaves no folder in place for a round not kept)."""
    out_dir = Path(out_dir)
    with reserved(out_dir), named_os_errors(out_dir):
        if check is not None:
            check()
        parent = out_dir.resolve().parent
        name = _short_name(out_dir)
        staging = None
        try:
            with uninterrupted():  # made and known, or not made
                staging = _new_sibling(parent, name, ".partial", lambda p: p.mkdir())
            yield staging
            with uninterrupted():
                if before_place is not None:
                    before_place()
                replacing = out_dir.exists()
                _put_in_place(staging, out_dir, parent, name)
                _mark_placed(replacing)
        except BaseException:
            if staging is not None:
                with uninterrupted():
                    shutil.rmtree(staging, ignore_errors=True)
            raise


def _mark_placed(replaced: bool) -> None:
    """An output put in place, as an interrupt after it says so: "replaced" only where an earlier folder
    or file was (--force), and kept so by a later output of the same run."""
    mark_saved("outputs_replaced" if replaced or saved() == "outputs_replaced" else "outputs")


def _put_in_place(staging: Path, out_dir: Path, parent: Path, name: str) -> None:
    """Rename the staging folder to out_dir; an existing out_dir is moved aside first and deleted
    after, or put back if the rename fails."""
    if not out_dir.exists():
        staging.replace(out_dir)
        return
    retired = _new_sibling(parent, name, ".old", lambda p: p.mkdir())
    try:
        out_dir.replace(retired / "old")
        try:
            staging.replace(out_dir)
        except BaseException:
            (retired / "old").replace(out_dir)
            raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
        if retired.exists():  # a file of the old folder that cannot be deleted: said, not left unseen
            notice("output_old_left", folder=str(retired), out=str(out_dir))
