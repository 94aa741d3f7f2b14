"""run.json: enough to reproduce a run and prove which data it saw: the tool's version, the rule set
and its file's SHA-256, every input with its SHA-256 and household count, the options, the counts by
status, start and end time, and the SHA-256 of every file the run wrote beside run.json."""

from __future__ import annotations

import datetime as dt
import platform
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..inputs import file_sha256

if TYPE_CHECKING:
    from ..pipeline import Result


def _value(v):
    return None if v is None else {"value": str(v.value), "effective": v.effective.isoformat(), "source": v.source}


def output_files(folder: Path) -> list[dict]:
    """Every file written so far under `folder`, by path relative to it, with its SHA-256."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "run.json")
    return [{"file": p.relative_to(folder).as_posix(), "sha256": file_sha256(p)} for p in files]


def manifest(result: Result, options: dict, folder: Path | None = None) -> dict:
    """The run's record. `folder`: where the other outputs were written, to list them with hashes."""
    rules = result.rules
    return {
        "tool": "edgescreen",
        "version": __version__,
        "python": platform.python_version(),
        "rules": {
            "id": rules.rules.id,
            "title": rules.rules.title,
            "path": str(rules.path),
            "sha256": rules.sha256,
            "year": result.bounds.year,
            "lower_bound": _value(result.bounds.lower),
            "upper_bound": _value(result.bounds.upper),
            "exclude": rules.rules.exclude.model_dump(),
        },
        "inputs": [
            {
                "file": rec.name,
                "path": str(rec.path),
                "sha256": rec.sha256,
                "kind": rec.kind,
                "encoding": rec.encoding,
                "households": rec.households,
                "sheets": [{"name": s.name, "households": s.households, "header_rows": list(s.header_rows)}
                           for s in rec.sheets],
                "skipped_sheets": [{"name": n, "reason": r} for n, r in rec.skipped_sheets],
            }
            for rec in result.inputs
        ],
        "households": int(len(result.households)),
        "counts": result.counts,
        "issues": {"error": result.error_count,
                   "warning": int((result.log.codes()["severity"] == "warning").sum())},
        "options": options,
        "started": result.started.isoformat(timespec="seconds"),
        "screened": result.finished.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
        "outputs": output_files(folder) if folder is not None else [],
    }
