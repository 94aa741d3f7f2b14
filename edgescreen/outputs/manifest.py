"""run.json: enough to reproduce a run and prove which data it saw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:
    from ..pipeline import Result


def _value(v):
    return None if v is None else {"value": str(v.value), "effective": v.effective.isoformat(), "source": v.source}


def manifest(result: Result, options: dict) -> dict:
    rules = result.rules
    return {
        "tool": "edgescreen",
        "version": __version__,
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
        "finished": result.finished.isoformat(timespec="seconds"),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }
