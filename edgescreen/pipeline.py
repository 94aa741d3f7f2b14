"""The library API: read → normalise → compute → check → classify, over one DataFrame.

    from edgescreen import screen
    result = screen(["survey.xlsx"])            # a notebook can stop here and look
    result.ledger                               # one row per household, in input order
    result.write("out/")                        # every output file, written atomically

The sums are computed before the checks because the logical checks (totals that disagree, an
implausible per-capita) are about those sums; the decision uses both.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__
from .catalogue import Lang
from .checks import check_households, fen_text, load_region_codes
from .classify import STATUSES, classify
from .compute import compute
from .issues import ISSUE_COLUMNS, IssueLog
from .normalise import normalise
from .inputs import ReadAhead, expand_inputs
from .read import InputFile, columns_table, read_inputs
from .rules import Bounds, LoadedRules, load_rules

LEDGER_COLUMNS = ["source_file", "sheet", "row", "township", "village", "household_id", "head_name",
                  "head_id", "residents", "total_income", "production_expenses", "net_income",
                  "per_capita_income", "status", "reasons"]


@dataclass
class Result:
    """Everything a run found: the households with every intermediate column, the issues, the
    inputs, the rule set and the bounds in force."""

    households: pd.DataFrame
    log: IssueLog
    columns: pd.DataFrame
    inputs: list[InputFile]
    rules: LoadedRules
    bounds: Bounds
    as_of: dt.date
    started: dt.datetime
    finished: dt.datetime
    timings: dict[str, float] = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    _issues: dict = field(default_factory=dict, repr=False)

    def issues(self, lang: Lang = "zh") -> pd.DataFrame:
        """The issue table with messages in `lang` (rendered once per language)."""
        if lang not in self._issues:
            self._issues[lang] = self.log.table(self.households, self.columns, lang)
        return self._issues[lang]

    @property
    def ledger(self) -> pd.DataFrame:
        """The ledger of domain §7: one row per input household, in input order."""
        return self.ledger_rows(0, len(self.households))

    def ledger_rows(self, start: int, stop: int) -> pd.DataFrame:
        """Rows start:stop of the ledger (a writer can take a million households in slices)."""
        df = self.households.iloc[start:stop]
        out = pd.DataFrame({
            "source_file": df["source_file"], "sheet": df["sheet"], "row": df["row"],
            "township": df["township"], "village": df["village"],
            "household_id": df["household_id"].fillna(""), "head_name": df["head_name"],
            "head_id": df["head_id"], "residents": df["residents"],
            "total_income": fen_text(df["total_income_used_fen"]),
            "production_expenses": fen_text(df["production_expenses_used_fen"]),
            "net_income": fen_text(df["net_income_fen"]),
            "per_capita_income": fen_text(df["per_capita_fen"]),
            "status": df["status"], "reasons": df["reasons"],
        })
        return out[LEDGER_COLUMNS]

    @property
    def counts(self) -> dict[str, int]:
        counts = self.households["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    @property
    def error_count(self) -> int:
        return int((self.log.codes()["severity"] == "error").sum())

    def write(self, out_dir: str | Path, **options) -> Path:
        from .outputs import write_outputs

        return write_outputs(self, Path(out_dir), **options)


def screen(
    paths: Iterable[str | Path],
    rules: str | Path | LoadedRules = "changchun-2019",
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
    progress: Callable[[Path, InputFile], None] | None = None,
    stage: Callable[[str], None] | None = None,
    read_ahead: ReadAhead | None = None,
) -> Result:
    """Screen survey files (or folders of them) and return the decisions. Raises EdgescreenError
    subclasses for problems the user must fix (unreadable file, missing column, bad rules).
    `progress` is called after each file is read, `stage` after each stage with its name.
    `read_ahead`: workbooks a caller has started parsing already (the command line does, while the
    program is still loading)."""
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

    read_ahead = read_ahead or ReadAhead(files)
    load_region_codes()  # while the first workbook parses
    raw, inputs = read_inputs(files, loaded.rules, progress=progress, ahead=read_ahead)
    lap("read")
    log = IssueLog(raw)
    households = normalise(raw, log)
    lap("normalise")
    households = compute(households, loaded.rules)
    lap("compute")
    check_households(households, log, loaded.rules, as_of)
    lap("check")
    households = classify(households, log.codes(), loaded.rules, bounds)
    lap("classify")
    # Raw text stays beside the typed columns for the issue table's "value as typed".
    log.households = raw
    return Result(households=households, log=log, columns=columns_table(inputs), inputs=inputs,
                  rules=loaded, bounds=bounds, as_of=as_of, started=started,
                  finished=dt.datetime.now().astimezone(), timings=timings,
                  options={"year": bounds.year, "as_of": as_of.isoformat()})


__all__ = ["Result", "screen", "LEDGER_COLUMNS", "ISSUE_COLUMNS", "__version__"]
