"""What a screening run found, as data: the `Result` of `pipeline.screen`.

The households frame carries every intermediate column (parsed values, sums in fen, status and
reasons) with its provenance (file, sheet, Excel row); `cells` holds the same households' cells as
typed; the issue log, the inputs read, the rule set and the bounds in force complete it. Writers
read a Result and never change it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .catalogue import STATUSES, Lang
from .classify import possible_statuses, shown_statuses
from .errors import UsageError, given_lang
from .issues import IssueLog
from .money import fen_text
from .read import InputFile
from .rules import Bounds, LoadedRules
from .systemic import Systemic, find_systemic, weigh_blank_income

LEDGER_COLUMNS = ["source_file", "sheet", "row", "township", "village", "household_id", "head_name",
                  "head_id", "residents", "total_income", "production_expenses", "net_income",
                  "per_capita_income", "status", "reasons"]
# Columns the ledger has only when a run has them (domain §7: the bare screen's ledger is exactly
# LEDGER_COLUMNS): the enumerator (填表人) where a survey names one; the roster flags where rosters
# were matched (issue 14); the change against the register (issue 16). Their place: LEDGER_ORDER.
OPTIONAL_LEDGER_COLUMNS = ["enumerator", "roster_flags", "register_change"]
LEDGER_ORDER = [*LEDGER_COLUMNS[:LEDGER_COLUMNS.index("head_id") + 1], "enumerator",
                *LEDGER_COLUMNS[LEDGER_COLUMNS.index("head_id") + 1:LEDGER_COLUMNS.index("reasons")],
                "roster_flags", "register_change", "reasons"]

# What an issue's severity may be (issues.severity_of: the catalogue's checks say one of these).
SEVERITIES = ("error", "warning")


def ledger_columns(households: pd.DataFrame) -> list[str]:
    """The ledger's columns for this run: LEDGER_COLUMNS and each optional column the households
    carry (the enumerator only where some household names one), in LEDGER_ORDER."""
    def present(name: str) -> bool:
        if name not in households.columns:
            return False
        return name != "enumerator" or bool(households[name].fillna("").ne("").any())
    return [c for c in LEDGER_ORDER if c in LEDGER_COLUMNS or present(c)]


def county_name(households: pd.DataFrame) -> str | None:
    """The county the survey names (its 县(市、区) column) when it names one only; else None."""
    if "county" not in households:
        return None
    # The column's distinct values first (a county's survey repeats its name on every row), then
    # those trimmed: over a province's households.
    distinct = pd.unique(households["county"].dropna().to_numpy(dtype=object))
    names = {str(name).strip() for name in distinct} - {""}
    return names.pop() if len(names) == 1 else None


@dataclass
class Result:
    """Everything a run found: the households with every intermediate column, their cells as typed,
    the issues, the inputs, the rule set and the bounds in force."""

    households: pd.DataFrame
    cells: pd.DataFrame
    log: IssueLog
    columns: pd.DataFrame
    inputs: list[InputFile]
    loaded_rules: LoadedRules
    bounds: Bounds
    as_of: dt.date
    started: dt.datetime
    finished: dt.datetime
    # Whether as_of was asked for (--as-of, or a round's --date), not the run's own day.
    as_of_given: bool = True
    timings: dict[str, float] = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    # Issue 14: the members read (members.Members) and what the rosters found (rosters.RosterRun);
    # None in a run without them.
    members: object = None
    rosters: object = None
    # With --register after earlier rounds (issue 16): register.trend.YearView, the round against the
    # register and the income over time, for changes.xlsx and report.html.
    years: object = None
    # What the folders given hold that was not read, and why (inputs.LeftOut): said among the file facts.
    left_out: list = field(default_factory=list)
    _issues: dict = field(default_factory=dict, repr=False)
    _derived: dict = field(default_factory=dict, repr=False)

    @property
    def rule_set(self):
        """The rule set itself (its file, path and SHA-256 are `loaded_rules`)."""
        return self.loaded_rules.rules

    def issues(self, lang: Lang = "zh", *, severity: str | None = None) -> pd.DataFrame:
        """The issue table with messages in `lang`: every issue (rendered once per language and
        kept), or only those of one `severity` ("error"; rendered each time it is asked for, and not
        kept). A million issues make a table of a gigabyte: a writer of all of them takes
        a part at a time (outputs.ledger.IssueFile)."""
        lang = given_lang(lang)
        if severity is not None and severity not in SEVERITIES:  # "errors" would give no row at all
            raise UsageError("severity_argument_unknown", value=repr(severity))
        full = self._issues.get(lang)
        if severity is None:
            if full is None:
                full = self._issues[lang] = self.log.table(self.households, self.columns, lang)
            return full
        if full is not None:
            return full[full["severity"] == severity].reset_index(drop=True)
        return self.issue_rows(lang, self.issue_index["severity"].to_numpy() == severity)

    def issue_rows(self, lang: Lang, rows, provenance: dict | None = None) -> pd.DataFrame:
        """The issue table of the issues at `rows` of `issue_index` (positions or a boolean mask),
        rendered now and not kept."""
        lang = given_lang(lang)
        if isinstance(rows, np.ndarray) and rows.dtype == bool:
            rows = np.flatnonzero(rows)
        return self.log.table(self.households, self.columns, lang, rows=rows, provenance=provenance)

    @property
    def issue_index(self) -> pd.DataFrame:
        """Every issue in the order of the issue table, without text: hh, field, code, hint,
        severity, kind (IssueLog.index)."""
        return self.log.index()

    def county(self) -> str | None:
        """The county the survey names (county_name), else the one its forms' titles name where they
        have no 县(市、区) column (read.SheetInfo.title_county), looked up once: every sheet's title asks."""
        if "county" not in self._derived:
            titled = {sheet.title_county for record in self.inputs for sheet in record.sheets if sheet.title_county}
            self._derived["county"] = county_name(self.households) or (titled.pop() if len(titled) == 1 else None)
        return self._derived["county"]

    def shown_statuses(self) -> list[str]:
        """The statuses a count of this run's households shows (classify.shown_statuses): those its
        rules can give, and any a household has."""
        return shown_statuses(possible_statuses(self.rule_set, self.bounds), self.counts)

    def systemic(self) -> Systemic:
        """The systemic findings: one check on one column in most rows of a sheet (systemic.py), each
        income column left blank weighed by the households decided on it (weigh_blank_income, with the
        rule set's income components). Found once per run: the reports, the village lists and the
        terminal's line of warnings all read it."""
        if "systemic" not in self._derived:
            found = find_systemic(self.issue_index, self.households, self.columns)
            self._derived["systemic"] = weigh_blank_income(found, self.issue_index, self.households,
                                                           self.rule_set.income.components)
        return self._derived["systemic"]

    @property
    def ledger(self) -> pd.DataFrame:
        """The ledger of domain §7: one row per input household, in input order."""
        return self.ledger_rows(0, len(self.households))

    @property
    def ledger_fen(self) -> pd.DataFrame:
        """The ledger's four money columns as numbers to compute with: integer fen (pandas Int64, <NA>
        where a figure could not be computed), named as the ledger's and row for row with it. `ledger`
        keeps them as text, the very cells decisions.csv writes ('3565.00'), whose max() is the text's."""
        h = self.households
        return pd.DataFrame({"total_income": h["total_income_used_fen"],
                             "production_expenses": h["production_expenses_used_fen"],
                             "net_income": h["net_income_fen"], "per_capita_income": h["per_capita_fen"]})

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
        columns = ledger_columns(self.households)
        for name in columns:
            if name not in out.columns:  # an optional column, as text
                out[name] = df[name].fillna("").astype(str)
        return out[columns]

    @property
    def counts(self) -> dict[str, int]:
        counts = self.households["status"].value_counts()
        return {s: int(counts.get(s, 0)) for s in STATUSES}

    @property
    def error_count(self) -> int:
        return int((self.issue_index["severity"] == "error").sum())

    @property
    def member_error_count(self) -> int:
        """Error-level issues of the members' own rows (a member of no household …), none without members."""
        return self.members.error_count if self.members is not None else 0

    @property
    def warning_count(self) -> int:
        return int((self.issue_index["severity"] == "warning").sum())

    def warnings_by_check(self, apart: np.ndarray | None = None) -> tuple[int, pd.Series]:
        """(households with a warning, warnings per check code, the most first): counted by the issue
        index's kind (one number per check and column) and summed per check, no text hashed. `apart`:
        the issues (of the index) left out, those of the findings said once (screen's line of them)."""
        index = self.issue_index
        warned = (index["severity"] == "warning").to_numpy()
        if apart is not None:
            warned = warned & ~apart
        kind = index["kind"].to_numpy()
        per_kind = np.bincount(kind[warned], minlength=int(kind.max()) + 1 if len(kind) else 0)
        kinds, first = np.unique(kind, return_index=True)
        counts = pd.Series(per_kind[kinds], index=index["code"].to_numpy(dtype=object)[first]).groupby(level=0).sum()
        households = int(np.count_nonzero(np.bincount(index["hh"].to_numpy()[warned]))) if warned.any() else 0
        return households, counts[counts > 0].sort_values(ascending=False, kind="stable")
