"""Who is on the register, across the years: a household enters when every step of the entry
procedure of a round decided yes (the 公告's period over), and leaves when every step of a later exit
procedure did (the exit publicity's period over), or when the verification of a household a later
round's survey did not find (未调查户核实) found it gone (户已不存在: on the day of the visit). A
household may enter again in a later round.

Computed from the decisions recorded (the latest event of each household and step), without the
state of each round: the views, the measure forms and next year's comparison all ask it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from ..normalise import normalise_place
from . import db
from .procedure import held_by_objections, procedure

REGISTRY_COLUMNS = ["household", "entry_round", "entered_on", "exit_round", "exited_on", "left_by", "on_register"]


def _decisions(reg: db.Register, track: str, *, village_dated: bool = True) -> pd.DataFrame:
    """db.decisions of `track`'s steps (dated by their villages' dates, unless `village_dated` is False),
    read once while nothing is written: the registry and `removed` both ask the entry's, a query over
    every round's events (a second for a county's; the comparison of next year's survey asks both)."""
    proc = procedure(track)
    steps = proc.ids
    dated = [s.id for s in proc.steps if s.dated_by_village] if village_dated else []
    key = f"decisions:{','.join(steps)}:{','.join(dated)}"
    return reg.unchanged_since(key, lambda: db.decisions(reg, steps, dated)).copy()


def _completed(reg: db.Register, track: str) -> pd.DataFrame:
    """(round, household, on): the households whose every step of `track` decided yes in a round, and
    the effective date of the last step's decision."""
    steps = procedure(track).ids
    facts = _decisions(reg, track)
    if facts.empty:
        return pd.DataFrame(columns=["round", "household", "on"])
    facts["effective"] = held_by_objections(facts["effective"], facts["settled"])
    # Each step's last decision (of those not blank) yes, at every step: counted, not pivoted.
    decided = facts[facts["new"].notna() & facts["step"].isin(steps)] \
        .drop_duplicates(["round", "household", "step"], keep="last")
    yes = decided[decided["new"].eq("yes").to_numpy()].groupby(["round", "household"]).size()
    done = yes.index[yes.to_numpy() == len(steps)]
    last = facts[facts["step"] == steps[-1]].set_index(["round", "household"])["effective"]
    out = done.to_frame(index=False)
    out["on"] = last.reindex(done).to_numpy()
    return out


def gone(reg: db.Register) -> pd.DataFrame:
    """(round, household, on, reason): the households the verification of those a round's survey did
    not find (the gone track) found gone, 户已不存在, on the day of the visit, with what it says
    (情况说明). The latest decision holds: one amended to 仍在本村 is not gone."""
    proc = procedure("gone")
    facts = _decisions(reg, "gone", village_dated=False)
    facts = facts[facts["new"] == "no"]
    if facts.empty:
        return pd.DataFrame(columns=["round", "household", "on", "reason"])
    reasons = db.household_facts(reg, proc.ids, "reason")
    out = facts.merge(reasons[["round", "household", "step", "new"]].rename(columns={"new": "reason"}),
                      on=["round", "household", "step"], how="left")
    return out.rename(columns={"effective": "on"})[["round", "household", "on", "reason"]]


def removed(reg: db.Register) -> pd.DataFrame:
    """(round, household, step, on, reason): the households the entry procedure took off its list in a
    round (民主评议 不同意, 入户核实 不属实, an objection upheld at a publicity), at the first step that
    did, on its day, with why (the step's reason, or the upheld objection's content). The latest
    decision holds: one amended back to yes is not removed."""
    proc = procedure()
    facts = _decisions(reg, "entry")
    facts = facts[facts["new"] == "no"]
    if facts.empty:
        return pd.DataFrame(columns=["round", "household", "step", "on", "reason"])
    # A publicity's no is its objection upheld (the one that decided, `settled` its day): the household
    # left on that day (处理日期), not on the period's last day its decision is dated.
    facts = facts.assign(on=held_by_objections(facts["effective"], facts["settled"], facts["settled"].notna()),
                         order=facts["step"].map({s: i for i, s in enumerate(proc.ids)}))
    facts = facts.sort_values(["round", "household", "order"]).drop_duplicates(["round", "household"])
    key = ["round", "household", "step"]
    why = [db.household_facts(reg, proc.ids, fld)[[*key, "new"]].rename(columns={"new": fld})
           for fld in ("reason", "objection")]
    out = facts.merge(why[0], on=key, how="left").merge(why[1], on=key, how="left")
    out["reason"] = out["reason"].where(out["reason"].notna() & out["reason"].astype(str).ne(""), out["objection"])
    return out[["round", "household", "step", "on", "reason"]].reset_index(drop=True)


def still_here(reg: db.Register, round_id: int) -> set[int]:
    """The households the round's 未调查户核实 found still there (仍在本村): on the register, awaiting a
    survey (补充调查), not a household whose absence is still to be explained."""
    facts = _decisions(reg, "gone", village_dated=False)
    return set(facts.loc[(facts["round"] == round_id) & (facts["new"] == "yes"), "household"].astype(int).tolist())


def registry(reg: db.Register, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """Every household that ever entered the register: the round and day it entered (its latest
    entry; on `as_of`, its latest by then), the round and day it left (an exit, or found gone, after
    that entry) and how (`left_by`: 'exit' or 'gone'), and whether it is on the register now (or on
    `as_of`: entered on or before it, not left by it). Read once per command while nothing is
    written: a record of a county's 331 measure forms read every decision of the county for each form
    (6 minutes at 100,000 households)."""
    key = f"registry:{as_of.isoformat() if as_of else ''}"
    return reg.unchanged_since(key, lambda: _registry(reg, as_of=as_of)).copy()


def _registry(reg: db.Register, *, as_of: dt.date | None = None) -> pd.DataFrame:
    entries = _completed(reg, "entry")
    if entries.empty:
        return pd.DataFrame({c: pd.Series(dtype=bool if c == "on_register" else object) for c in REGISTRY_COLUMNS})
    # On a day gone by, a household's entry and exit are those made by then: one that left and entered
    # again was off the register between the two, and on it before its exit.
    entries = _latest(entries, as_of)
    out = pd.DataFrame({"household": entries["household"].astype(np.int64).to_numpy(),
                        "entry_round": entries["round"].astype(np.int64).to_numpy(),
                        "entered_on": entries["on"].to_numpy()})
    exits = pd.concat([_completed(reg, "exit").assign(left_by="exit"),
                       gone(reg)[["round", "household", "on"]].assign(left_by="gone")], ignore_index=True)
    exits = _latest(exits, as_of)
    exits = exits.rename(columns={"round": "exit_round", "on": "exited_on"})
    out = out.merge(exits, on="household", how="left")
    # An exit belongs to the registration before it: one of an earlier round is an older story.
    stale = out["exit_round"].notna() & (out["exit_round"] < out["entry_round"])
    out.loc[stale, ["exit_round", "exited_on", "left_by"]] = None
    out["exit_round"] = out["exit_round"].astype("Int64")
    entered = out["entered_on"].notna()
    left = out["exited_on"].notna()
    if as_of is not None:
        day = as_of.isoformat()
        entered &= out["entered_on"].fillna("9999") <= day
        left &= out["exited_on"].fillna("9999") <= day
    out["on_register"] = (entered & ~left).to_numpy()
    return out[REGISTRY_COLUMNS].sort_values("household").reset_index(drop=True)


def registered_there(reg: db.Register, township: str | None, village: str | None, *,
                     as_of: dt.date | None = None) -> pd.DataFrame:
    """The households that were on the register while a survey had them in `township` (and `village`),
    names compared as the survey writes them (normalise_place), in any round of their latest stay (its
    entry's round on, up to the survey that took them off): (household, on_register now or on `as_of`,
    left_by, and township and village of their latest survey, where the 花名册 lists them). The register
    keeps a household's place by round (each round's screened row): a village merged into another (合村
    并组) has none on the register now, its households listed under the new one; an empty roster of the
    old name should say where they went, not that nobody there was ever registered (an outside try)."""
    r = registry(reg, as_of=as_of)
    entered = r["entered_on"].notna()
    if as_of is not None:
        entered &= r["entered_on"].fillna("9999").astype(str).le(as_of.isoformat())
    r = r[entered.to_numpy()]
    columns = ["household", "on_register", "left_by", "township", "village"]
    if r.empty:
        return pd.DataFrame(columns=columns)
    rows = db.screened_of(reg, r["household"].astype(int).tolist())[["household", "round", "township", "village",
                                                                       "round_date"]]
    if as_of is not None:  # a round screened after the day had not placed anyone by it
        rows = rows[rows["round_date"].astype(str).le(as_of.isoformat()).to_numpy()]
    rows = rows.merge(r[["household", "entry_round", "exit_round", "left_by", "on_register"]], on="household")
    # Its stay: from its entry's round to its exit's (that survey found it above the bound), or to the
    # round before the one whose survey missed it (found gone), as left_households reads it.
    until = rows["exit_round"].astype("Float64").fillna(np.inf).to_numpy(dtype=float) \
        + rows["left_by"].eq("exit").to_numpy(dtype=float) - 0.5
    stay = (rows["round"].astype(int).to_numpy() >= rows["entry_round"].astype(int).to_numpy()) \
        & (rows["round"].astype(int).to_numpy() < until)
    there = stay.copy()
    for column, name in (("township", township), ("village", village)):
        if name is not None:
            there &= normalise_place(rows[column].fillna("").astype(str)).fillna("").eq(
                normalise_place(pd.Series([name])).fillna("").iloc[0]).to_numpy()
    found = rows.loc[there, "household"].unique()
    latest = rows[rows["household"].isin(found).to_numpy()].drop_duplicates("household", keep="last")  # round order
    latest = latest.assign(township=latest["township"].fillna("").astype(str),
                           village=latest["village"].fillna("").astype(str))
    return latest[columns].reset_index(drop=True)


def _latest(made: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    """Of `made` (round, household, on: entries, or exits), each household's of the latest round; on
    `as_of`, of the latest round made by then (on it or before), where it has one, else its latest
    (made after the day)."""
    by_then = made["on"].fillna("9999").astype(str).le(as_of.isoformat()) if as_of is not None else True
    return made.assign(_by_then=by_then).sort_values(["household", "_by_then", "round"]) \
        .drop_duplicates("household", keep="last").drop(columns="_by_then")


def on_register(reg: db.Register, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """The households on the register now (or on `as_of`), with the day each entered."""
    r = registry(reg, as_of=as_of)
    return r.loc[r["on_register"].astype(bool).to_numpy()].reset_index(drop=True)


def this_stay(measures: pd.DataFrame, entered: pd.Series) -> pd.DataFrame:
    """The measures of each household's latest stay on the register: begun on or after the day it
    last entered (`entered`: household → entered_on). A household that left and entered again starts
    afresh: what it received before (begun, and perhaps ended, before this entry) is its earlier
    stay's, as a measure of the new stay may not begin before its entry (mp_before_entry)."""
    since = measures["household"].map(entered)
    return measures[since.isna().to_numpy() | (measures["start"] >= since.fillna("")).to_numpy()]


def use_round_words(reg: db.Register) -> None:
    """Word what is written from the register (its documents, views and history) as the rule set of its
    latest round names what it screens for (catalogue.use_target): 防返贫监测对象 for a register kept
    under the monitoring rules."""
    from ..catalogue import use_target

    use_target(round_rules(reg).rules.target_words())


@contextmanager
def opened_register(path: str | Path, *, upgrade: bool | str = True) -> Iterator[db.Register]:
    """db.open_register, worded as its latest round's rule set names what it screens for
    (use_round_words): how each register command opens the file. `upgrade` False: a command that only
    looks reads an older file as it is; db.UPGRADE_ON_WRITE: one that checks what it was given first
    upgrades it only as it writes (db.open_register)."""
    with db.open_register(path, upgrade=upgrade) as reg:
        use_round_words(reg)
        yield reg


def round_rules(reg: db.Register):
    """The rule set of the latest round (its [measures] and [exit] judge the register): the file the
    round was screened with where it still loads, else the shipped rule set of that id, else the
    default one."""
    from ..errors import RulesError
    from ..rules import DEFAULT_RULES, load_rules

    latest = db.latest_round(reg)
    for spec in ((latest or {}).get("rules_file"), (latest or {}).get("rules_id"), DEFAULT_RULES):
        if not spec:
            continue
        try:
            return load_rules(spec)
        except RulesError:
            continue
    return load_rules(DEFAULT_RULES)
