"""The screen: read → normalise → compute → check → classify, over one DataFrame.

    from edgescreen import screen
    result = screen(["survey.xlsx"])            # a notebook can stop here and look
    result.ledger                               # one row per household, in input order

The sums are computed before the checks because the logical checks (totals that disagree, an
implausible per-capita) are about those sums; the decision uses both. Each stage is a plain
function over the households frame, which carries its provenance (file, sheet, Excel row)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from .checks import check_households
from .classify import classify
from .compute import compute
from .inputs import expand_inputs
from .issues import IssueLog
from .normalise import normalise
from .read import InputFile, WorkbookSource, columns_table, read_inputs, unread_formulas
from .result import Result
from .rules import LoadedRules, load_rules


def screen(
    paths: Iterable[str | Path],
    rules: str | Path | LoadedRules = "changchun-2019",
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    progress: Callable[[Path, InputFile], None] | None = None,
    stage: Callable[[str], None] | None = None,
    workbooks: WorkbookSource | None = None,
    include_hidden: bool = False,
) -> Result:
    """Screen survey files (or folders of them) and return the decisions. Raises EdgescreenError
    subclasses for problems the user must fix (unreadable file, missing column, bad rules).
    `progress` is called after each file is read, `stage` after each stage with its name.
    `workbooks`: where parsed workbooks come from (see read.WorkbookSource; by default each is
    parsed when its turn comes). Hidden sheets are skipped (and named in the file facts) unless
    `include_hidden`."""
    started = dt.datetime.now().astimezone()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now
        if stage is not None:
            stage(name)

    loaded = rules if isinstance(rules, LoadedRules) else load_rules(rules)
    bounds = loaded.bounds(year)
    as_of = as_of or dt.date.today()
    files = expand_inputs([Path(p) for p in paths])

    cells, inputs = read_inputs(files, loaded.rules, progress=progress, workbooks=workbooks,
                                include_hidden=include_hidden)
    lap("read")
    log = IssueLog(cells)
    households = normalise(cells, log, loaded.rules, unread_formulas(cells, inputs))
    lap("normalise")
    households = compute(households, loaded.rules)
    lap("compute")
    check_households(households, log, loaded.rules, as_of)
    lap("check")
    households = classify(households, log.codes(), loaded.rules, bounds)
    lap("classify")
    return Result(households=households, cells=cells, log=log, columns=columns_table(inputs), inputs=inputs,
                  loaded_rules=loaded, bounds=bounds, as_of=as_of, started=started,
                  finished=dt.datetime.now().astimezone(), timings=timings,
                  options={"year": bounds.year, "as_of": as_of.isoformat(),
                           **({"include_hidden": True} if include_hidden else {})})


__all__ = ["screen"]
