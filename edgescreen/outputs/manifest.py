"""The record a run leaves beside its outputs: run.json for `screen`, check.json for `check`.

Both say what was run on what: the tool's version, the rule set and its file's SHA-256, every input
with its SHA-256 and household count, and the times. run.json adds the options, the counts by
status, the seconds per stage and the SHA-256 of every file written beside it: enough to reproduce
the run and prove which data it saw. check.json adds the issue counts and the file facts, and marks
its folder as a check report (an earlier one is replaced by the next check)."""

from __future__ import annotations

import datetime as dt
import json
import platform
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..inputs import file_sha256, own_record
from ..rule_files import examples_in_force

if TYPE_CHECKING:
    from ..result import Result
    from .quality import QualityReport

CHECK_MARKER = "check.json"
CHECK_REPORT = "edgescreen check"


def _value(v):
    return None if v is None else {"value": str(v.value), "effective": v.effective.isoformat(), "source": v.source}


def output_files(folder: Path) -> list[dict]:
    """Every file written so far under `folder`, by path relative to it, with its SHA-256."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "run.json")
    return [{"file": p.relative_to(folder).as_posix(), "sha256": file_sha256(p)} for p in files]


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _rules(result: Result, lang: str = "zh") -> dict:
    loaded = result.loaded_rules
    return {
        "id": loaded.rules.id,
        "title": loaded.rules.title,
        "path": str(loaded.path),
        "sha256": loaded.sha256,
        "year": result.bounds.year,
        "text": loaded.text,  # for a spot check after an upgrade changed the file (spotcheck.source)
        "lower_bound": _value(result.bounds.lower),
        "upper_bound": _value(result.bounds.upper),
        "exclude": loaded.rules.exclude.model_dump(),
        # A bound in force that the rules file marks as an example (the shipped monitoring figure),
        # not the county's own: said here as on the terminal. Empty when the figures are the county's.
        "example_figures": [{**w.params, "message": w.render(lang)}
                            for w in examples_in_force(loaded.rules, result.bounds)],
    }


def members_and_rosters(result: Result) -> dict:
    """What a run read beside the survey (issue 14): its members (sheets, how many, how many linked,
    households whose residents were counted from them) and each roster (file, SHA-256, kind, the
    effect the rule set gives it and where it says so, rows, IDs, matches). Empty without them."""
    out: dict = {}
    members = result.members
    if members is not None:
        out["members"] = {
            "members": len(members), "linked": int(members.linked.sum()),
            "links": {how: int((members.frame["link"] == how).sum()) for how in ("household_id", "household_number_other", "head_id", "block", "left")},
            "sheets": [{"file": rec.name, "sheet": s.name, "members": s.households, "header_rows": list(s.header_rows)}
                       for rec in result.inputs for s in rec.member_sheets],
            "residents_from_members": int(members.filled.sum()),
            "issues": {"error": members.error_count, "warning": members.warning_count},
        }
    run = result.rosters
    if run is not None:
        rules = result.rule_set
        out["rosters"] = [
            {"file": r.path.name, "path": str(r.path), "sha256": r.sha256, "kind": r.kind, "effect": r.effect,
             "effect_from": f"rosters.{r.kind}" if r.kind in rules.rosters else "default",
             "rows": int(len(r.rows)), "ids": r.ids, "invalid_ids": int(len(r.invalid)),
             "converted_from_15": int(r.rows["converted"].sum()), "blank_ids": int(r.rows["blank"].sum()),
             "left_sheets": [{"name": name, "rows": rows} for name, rows in r.left_sheets],
             "other_kind_sheets": [{"name": name, "rows": rows, "kind": kind} for name, rows, kind in r.other_sheets],
             "left_rows": int(len(r.left_rows)), "note_stopped_rows": int(len(r.note_stopped_rows)), "later_rows": int(len(r.later_rows)),
             "stopped_rows": int(len(r.stopped_rows)), "expired_rows": int(len(r.expired_rows)),
             "other_reason_rows": int(len(r.other_rows)), **found}
            for r, found in zip(run.rosters, run.by_roster)]
        out["roster_changed_statuses"] = run.changed
    return out


def run_manifest(result: Result, options: dict, folder: Path | None = None,
                 timings: dict[str, float] | None = None) -> dict:
    """run.json. `folder`: where the other outputs were written, to list them with hashes;
    `timings`: seconds per stage, the screen's and the writers' (default: the screen's)."""
    return {
        "tool": "edgescreen",
        "version": __version__,
        "python": platform.python_version(),
        "rules": _rules(result, options.get("lang", "zh")),
        "inputs": [
            {
                "file": rec.name,
                "path": str(rec.path),
                "sha256": rec.sha256,
                "kind": rec.kind,
                "encoding": rec.encoding,
                "households": rec.households,
                # The rows that are no household, each with why (read.SKIPPED_ROW_KINDS): what was
                # not taken is on record beside what was.
                "sheets": [{"name": s.name, "households": s.households, "header_rows": list(s.header_rows),
                            "hidden_rows": len(s.hidden_rows), "filtered_rows": len(s.filtered_rows),
                            "skipped_rows": [{"row": row, "reason": why} for row, why in s.skipped_rows]}
                           for s in rec.sheets],
                "skipped_sheets": [{"name": n, "reason": r} for n, r in rec.skipped_sheets],
            }
            for rec in result.inputs
        ],
        "households": int(len(result.households)),
        "county": result.county(),  # the one county the survey names, or null: backcheck's title from the ledger
        "counts": result.counts,
        "issues": {"error": result.error_count, "warning": result.warning_count},
        **members_and_rosters(result),
        "options": options,
        "started": result.started.isoformat(timespec="seconds"),
        "screened": result.finished.isoformat(timespec="seconds"),
        "finished": _now(),
        "timings_seconds": {k: round(v, 3) for k, v in (timings or result.timings).items()},
        "outputs": output_files(folder) if folder is not None else [],
    }


def check_manifest(result: Result, report: QualityReport) -> dict:
    """check.json: what was checked, the issue counts by check, and the file facts."""
    return {
        "report": CHECK_REPORT,
        "version": __version__,
        "rules": {"id": result.rule_set.id, "sha256": result.loaded_rules.sha256, "year": result.bounds.year},
        "as_of": result.as_of.isoformat(),
        "lang": report.lang,
        "inputs": [{"file": rec.name, "sha256": rec.sha256, "households": rec.households,
                    "encoding": rec.encoding} for rec in result.inputs],
        "counts": {**report.counts,
                   "by_code": {c: int(n) for c, n in report.by_code["total"].items() if n}},
        "facts": report.facts[["source_file", "sheet", "fact", "level", "detail"]].to_dict(orient="records"),
        **members_and_rosters(result),
        "started": result.started.isoformat(timespec="seconds"),
        "finished": _now(),
    }


def is_check_report(folder: Path) -> bool:
    """Whether `folder` holds an earlier check report: its check.json, edgescreen's (own_record) and
    readable. A damaged one is not (replacing needs --force, and is refused then: check_target)."""
    own = own_record(folder, (CHECK_MARKER,))
    return own is not None and not own.damaged


def write_json(record: dict, path: Path) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
