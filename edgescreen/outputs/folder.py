"""Where outputs are written: a folder that appears whole or not at all, never over an input, and
single files that appear whole or not at all.

A folder is written into a hidden sibling folder; only when the last file is written is it renamed
into place (an existing folder is moved aside first and deleted after). A single file is written
under a temporary name beside it and renamed. Any failure removes what was being written and leaves
what was there before untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..catalogue import Phrase
from ..errors import OutputError, os_reason


def refuse_input_inside(out_dir: Path, inputs: Iterable[Path], what: str = "output_folder") -> None:
    """An output folder that is, or holds, an input would overwrite it: refuse."""
    resolved = out_dir.resolve()
    for path in inputs:
        src = Path(path).resolve()
        if src == resolved or resolved in src.parents:
            raise OutputError("output_holds_input", path=str(out_dir), what=Phrase(what), file=src.name)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("output_not_folder", path=str(out_dir))


def check_target(out_dir: Path, inputs: Iterable[Path], force: bool, *, what: str = "output_folder",
                 replaceable: Callable[[Path], bool] | None = None) -> None:
    """Refuse an output folder that holds an input, or that exists without `force` (unless
    `replaceable` says it is an earlier output of the same kind, which is replaced). Asked before
    reading too, so a clerk is not told after a long run."""
    refuse_input_inside(out_dir, inputs, what=what)
    if out_dir.exists() and not force and not (replaceable is not None and replaceable(out_dir)):
        raise OutputError("output_exists", path=str(out_dir), what=Phrase(what))


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block ends without error it becomes `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """Yield a staging folder beside out_dir; on success it becomes out_dir."""
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=parent))
    except OSError as exc:
        raise OutputError("output_unwritable", path=str(out_dir), reason=os_reason(exc)) from None
    try:
        yield staging
        if out_dir.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".old", dir=parent))
            out_dir.replace(retired / "old")
            staging.replace(out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.replace(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
