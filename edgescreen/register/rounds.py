"""A screen recorded in the register: the round (income year, date, rule set), its inputs with their
SHA-256, and every household's decision with its key facts. Households get the register's keys:
a head ID already on the register (screened once in its latest round) keeps its key; everyone else
gets a new one (next year's matching by 户编号 and members' IDs builds on this)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Phrase
from ..errors import OutputError, UsageError
from ..result import Result
from . import db


@dataclass
class RoundRecorded:
    """What `recording_round` put in the register."""

    path: Path
    round_id: int
    round_date: dt.date
    households: int
    candidates: int
    created: bool


def check_round_date(round_date: dt.date | None, today: dt.date | None = None) -> dt.date:
    today = today or dt.date.today()
    round_date = round_date or today
    if round_date > today:
        raise UsageError("date_in_future", option="--date", date=round_date.isoformat(), today=today.isoformat())
    return round_date


class RoundTarget:
    """The register a screen will record into, looked at before the survey is read: a file that is
    not a register, or a date in the future, is refused first. A new register is made only when
    the round is recorded, so that a screen that fails leaves no file behind."""

    def __init__(self, path: str | Path, round_date: dt.date | None = None, *, today: dt.date | None = None):
        self.path = Path(path)
        self.round_date = check_round_date(round_date, today)
        self.reg = db.open_register(self.path) if self.path.exists() else None
        if self.reg is None and not self.path.resolve().parent.is_dir():
            raise OutputError("register_unwritable", path=str(self.path), reason=Phrase("os_not_found"))

    @contextmanager
    def recording(self, result: Result) -> Iterator[RoundRecorded]:
        """Record `result` around the block (see `recording_round`)."""
        created = self.reg is None
        if created:
            self.reg = db.open_register(self.path, create=True)
        with recording_round(self.reg, result, self.round_date, created=created) as recorded:
            yield recorded

    def close(self) -> None:
        if self.reg is not None:
            self.reg.close()


def _screened_rows(result: Result) -> pd.DataFrame:
    h = result.households
    reasons = h["reasons"].map(lambda r: " ".join(r) if isinstance(r, (list, tuple)) else (r or ""))
    return pd.DataFrame({
        "source_file": h["source_file"].to_numpy(), "sheet": h["sheet"].to_numpy(), "row": h["row"].to_numpy(),
        "county": h["county"].to_numpy(), "township": h["township"].to_numpy(), "village": h["village"].to_numpy(),
        "grp": h["group"].to_numpy(), "household_id": h["household_id"].to_numpy(),
        "head_name": h["head_name"].to_numpy(), "head_id": h["head_id"].to_numpy(),
        "members": h["members"].astype("Int64").to_numpy(), "residents": h["residents"].astype("Int64").to_numpy(),
        "income_fen": h["total_income_used_fen"].astype("Int64").to_numpy(),
        "expenses_fen": h["production_expenses_used_fen"].astype("Int64").to_numpy(),
        "net_fen": h["net_income_fen"].astype("Int64").to_numpy(),
        "per_capita_fen": h["per_capita_fen"].astype("Int64").to_numpy(),
        "status": h["status"].to_numpy(), "reasons": reasons.to_numpy(), "difficulty": h["risk"].to_numpy(),
        "roster_flags": None,
    })


def _keys(reg: db.Register, round_id: int, rows: pd.DataFrame) -> np.ndarray:
    """A key per household: the one its head ID has on the register (where that ID is on one row
    of this screen and on one household before), else a new one."""
    head = rows["head_id"].astype("string").fillna("")
    once = head.ne("") & ~head.duplicated(keep=False)
    known = db.known_heads(reg)
    keys = np.zeros(len(rows), dtype=np.int64)
    if len(known):
        matched = head.where(once).map(dict(zip(known["head_id"], known["household"])))
        # Two heads of this screen on one household (a head who changed): neither can say which.
        found = (matched.notna() & ~matched.duplicated(keep=False)).to_numpy()
        keys[found] = matched[found].astype(np.int64).to_numpy()
    else:
        found = np.zeros(len(rows), dtype=bool)
    keys[~found] = db.new_household_keys(reg, round_id, int((~found).sum()))
    return keys


@contextmanager
def recording_round(reg: db.Register, result: Result, round_date: dt.date, *, created: bool = False) -> Iterator[RoundRecorded]:
    """Record `result` as a new round in one transaction around the block (which writes the screen's
    outputs): if the block fails, the round is not recorded; if recording fails, the block's error
    is raised before anything is renamed into place."""
    rules = result.loaded_rules
    bounds = result.bounds
    rows = _screened_rows(result)
    with reg.writing():
        changeset = db.add_changeset(reg, "screen --register")
        inputs = [(record.name, record.sha256, record.households) for record in result.inputs]
        round_id, input_ids = db.add_round(
            reg, changeset, year=bounds.year, round_date=round_date, rules_id=result.rule_set.id,
            rules_file=str(rules.path), rules_sha256=rules.sha256,
            lower_fen=int(bounds.lower.value * 100) if bounds.lower else None, upper_fen=int(bounds.upper.value * 100),
            inputs=inputs)
        rows["round"] = round_id
        rows["input"] = rows["source_file"].map(input_ids)
        rows["household"] = _keys(reg, round_id, rows)
        db.add_screened(reg, rows)
        yield RoundRecorded(reg.path, round_id, round_date, len(rows), int((rows["status"] == "candidate").sum()),
                            created)
