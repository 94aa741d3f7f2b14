"""Next year's survey against the register (动态管理): match this year's households to the register's
across the years, and say for each household of the register what the year found.

Matching, in order, each step only among the households not matched yet, and only where both sides
are unambiguous (an ID or 户编号 that appears once in this survey and once among the register's
households):
1. by the head's ID (户主身份证号), as every round has done;
2. by 户编号, the county's household number;
3. by any member's ID, where this year's survey lists the members: against the head and the members
   of each household as the register last knew them (a head who died, or left in a 分家, while the
   household stayed). The household keeps its key, and the change of head is shown.
A household matched otherwise gets a new key.

The changes (round_changes, the ledger's register_change, changes.xlsx), for the households on the
register when the round is recorded:
- continue 继续帮扶: still in the band;
- exit 拟退出: at or above the upper bound, and the rule set's exit conditions hold; exit_blocked
  收入超标但不满足退出条件 otherwise (which condition fails is said);
- to_poor 转贫困户识别: at or below the lower bound (the registered-poor procedure, outside edgescreen);
- excluded: now a 低保, 特困 or 建档立卡 household: it leaves through the exit procedure too;
- unjudged: this year's data has an error, the household cannot be judged;
- missing 本年未调查: not in this year's survey (a 漏项 for the county to chase).
And for households not on the register: new 新识别候选, candidates of this round, who go through the
procedure like any candidate.

The members of a household: `members_frame(result)` reads what the screen carries as `result.members`
(issue 14) — a frame with a `member_id` column, linked to its household by `hh` (the households
frame's index) or else by `head_id` or `household_id`, and optionally `relation` and `labour` (劳动技能).
Without one, matching uses heads and 户编号 only and the labour condition is "unknown"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..catalogue import Lang, label
from ..normalise import normalise_id
from ..rules import Bounds, RuleSet
from . import db
from .registry import on_register

# Change codes, in the order changes.xlsx lists them.
CHANGES = ["continue", "exit", "exit_blocked", "excluded", "to_poor", "unjudged", "missing", "new"]
CONDITIONS = ["income", "measure", "labour"]


@dataclass
class Matched:
    """This round's households (in `rows` order): the register's key, how each was matched, and the
    household's previous screened row (or none)."""

    keys: np.ndarray
    matched_by: pd.Series  # head_id, household_id, member_id, or None (new to the register)
    previous: pd.DataFrame  # the previous latest_screened row per household of this round (NaN: none)
    register_rows: pd.DataFrame  # every household's latest screened row before this round


def members_frame(result) -> pd.DataFrame | None:
    """The screen's members as (hh, member_id, relation, labour): hh the position of the member's
    household in the households frame. None where the screen has no members."""
    members = getattr(result, "members", None)
    members = getattr(members, "frame", members)  # issue 14's members.Members keeps its table in .frame
    if members is None or len(members) == 0 or "member_id" not in members:
        return None
    h = result.households
    if "hh" in members:
        position = pd.Series(np.arange(len(h)), index=h.index)
        hh = members["hh"].map(position)
    else:
        hh = None
        for link in ("head_id", "household_id"):
            if link in members and link in h:
                keys = h[link].astype("string").fillna("")
                unique = keys.ne("") & ~keys.duplicated(keep=False)
                lookup = pd.Series(np.flatnonzero(unique.to_numpy()), index=keys[unique].to_numpy())
                hh = members[link].astype("string").map(lookup)
                break
        if hh is None:
            return None
    out = pd.DataFrame({"hh": hh.to_numpy(), "member_id": normalise_id(members["member_id"].astype("string").fillna("").astype(object)).to_numpy(),
                        "relation": members["relation"].to_numpy() if "relation" in members else None,
                        "labour": members["labour"].to_numpy() if "labour" in members else None})
    out = out[out["hh"].notna() & out["member_id"].fillna("").ne("")]
    out["hh"] = out["hh"].astype(np.int64)
    return out.reset_index(drop=True)


def _unique_map(keys: pd.Series, values: pd.Series) -> pd.Series:
    """keys → values for the keys that occur once (blank keys left out)."""
    keys = keys.astype("string").fillna("")
    once = keys.ne("") & ~keys.duplicated(keep=False)
    return pd.Series(values[once].to_numpy(), index=keys[once].to_numpy())


def match_households(reg: db.Register, round_id: int, rows: pd.DataFrame, members: pd.DataFrame | None) -> Matched:
    """The register's key of every household of this round (new keys for those not found), matched
    by head ID, then 户编号, then any member's ID (see the module's docstring)."""
    previous = db.latest_screened(reg, before_round=round_id)
    n = len(rows)
    keys = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)
    how = np.full(n, None, dtype=object)
    taken: set[int] = set()

    def claim(candidates: pd.Series, name: str) -> None:
        """Give each unmatched row its candidate key, where the key is free and no other row of this
        step wants it too."""
        wanted = candidates.where(~found & candidates.notna())
        wanted = wanted[wanted.notna()].astype(np.int64)
        wanted = wanted[~wanted.isin(taken) & ~wanted.duplicated(keep=False)]
        at = wanted.index.to_numpy()
        keys[at] = wanted.to_numpy()
        found[at] = True
        how[at] = name
        taken.update(wanted.tolist())

    if len(previous):
        positions = pd.RangeIndex(n)
        for column, name in (("head_id", "head_id"), ("household_id", "household_id")):
            mine = rows[column].astype("string").fillna("").reset_index(drop=True)
            mine = mine.where(mine.ne("") & ~mine.duplicated(keep=False))
            lookup = _unique_map(previous[column], previous["household"])
            claim(pd.Series(mine.map(lookup).to_numpy(), index=positions), name)
        if members is not None and len(members):
            # Whom the register knew by ID: each household's head and its last listed members.
            known = pd.concat([previous[["head_id", "household"]].rename(columns={"head_id": "member_id"}),
                               db.latest_members(reg, round_id)], ignore_index=True)
            known = known[known["member_id"].fillna("").ne("")].drop_duplicates()
            lookup = _unique_map(known["member_id"], known["household"])
            hits = members.assign(key=members["member_id"].map(lookup)).dropna(subset=["key"])
            by_row = hits.groupby("hh")["key"]
            per_row = by_row.first().where(by_row.nunique() == 1)  # members of two households: neither
            claim(pd.Series(per_row.reindex(positions).to_numpy(), index=positions), "member_id")
    if (~found).any():
        keys[~found] = db.new_household_keys(reg, round_id, int((~found).sum()))
    prev = previous.set_index("household").reindex(keys)
    prev.index = pd.RangeIndex(n)
    return Matched(keys, pd.Series(how), prev, previous)


# ---------------------------------------------------------------------------------------------
# What the year found


@dataclass
class Comparison:
    """The round against the register: a row per household of the register and per new candidate
    (round_changes' columns, plus the place and the head to show them), and the ledger's column."""

    changes: pd.DataFrame
    ledger: pd.Series  # change code per household of this round, in rows order ('' for none)
    counts: dict[str, int] = field(default_factory=dict)


def _ages(ids: pd.Series, on: dt.date) -> pd.Series:
    """Whole years from the birth date inside an 18-character ID to `on` (NaN where it has none)."""
    born = pd.to_datetime(ids.astype("string").str[6:14], format="%Y%m%d", errors="coerce")
    had = (born.dt.month < on.month) | ((born.dt.month == on.month) & (born.dt.day <= on.day))
    return (on.year - born.dt.year - (~had).astype(int)).where(born.notna())


def _labour(rows: pd.DataFrame, members: pd.DataFrame | None, rules: RuleSet, on: dt.date) -> pd.Series:
    """Per household of this round: 'yes' it has a member of working age who is not without labour,
    'no' its members show none, 'unknown' no members listed."""
    out = pd.Series("unknown", index=pd.RangeIndex(len(rows)), dtype=object)
    if members is None or not len(members):
        return out
    x = rules.exit
    age = _ages(members["member_id"], on)
    words = members["labour"].astype("string").fillna("").str.replace(r"\s+", "", regex=True)
    able = age.between(x.working_age_min, x.working_age_max) & ~words.isin(list(x.no_labour))
    listed = members["hh"].unique()
    out.iloc[listed] = "no"
    out.iloc[members.loc[able.to_numpy(), "hh"].unique()] = "yes"
    return out


def _income_years(reg: db.Register, households: np.ndarray, this_year: int, years: int) -> pd.Series:
    """Per household: whether its per-capita was at or above the upper bound in each of the `years`
    - 1 surveyed years before `this_year` (always true for years = 1)."""
    if years <= 1:
        return pd.Series(True, index=households)
    s = db.screened_years(reg, households.tolist())
    s = s[s["year"] < this_year]
    s = s.sort_values(["household", "year", "round"]).drop_duplicates(["household", "year"], keep="last")
    s["above"] = pd.to_numeric(s["per_capita_fen"]) >= pd.to_numeric(s["upper_fen"])
    s = s.sort_values(["household", "year"], ascending=[True, False]).groupby("household").head(years - 1)
    held = s.groupby("household").agg(n=("above", "size"), all_above=("above", "all"))
    ok = (held["n"] == years - 1) & held["all_above"]
    return ok.reindex(households).fillna(False).astype(bool)


def compare_round(reg: db.Register, round_id: int, rows: pd.DataFrame, matched: Matched, *, rules: RuleSet,
                  bounds: Bounds, round_date: dt.date, members: pd.DataFrame | None = None) -> Comparison:
    """What this round finds for the households on the register (as recorded before it) and for
    the candidates new to it. `rows` are this round's screened rows with their keys."""
    registered = on_register(reg)
    on = set(registered["household"].tolist())
    keys = pd.Series(matched.keys)
    status = rows["status"].reset_index(drop=True)
    is_on = keys.isin(on)
    change = pd.Series("", index=keys.index, dtype=object)
    change[is_on & (status == "candidate")] = "continue"
    change[is_on & (status == "below_line")] = "to_poor"
    change[is_on & status.str.startswith("excluded_")] = "excluded"
    change[is_on & (status == "invalid")] = "unjudged"
    change[~is_on & (status == "candidate")] = "new"
    above = is_on & (status == "above_limit")

    # The exit's conditions, for those above: income (this year, and the years before where asked),
    # a measure received by the round's date, working-age labour where the members show it.
    x = rules.exit
    conditions = pd.Series("", index=keys.index, dtype=object)
    if above.any():
        at = np.flatnonzero(above.to_numpy())
        income = _income_years(reg, keys.iloc[at].to_numpy(), bounds.year, x.years_above).to_numpy()
        m = db.measures(reg)
        received = set(m.loc[m["start"] <= round_date.isoformat(), "household"].tolist())
        measure = keys.iloc[at].isin(received).to_numpy()
        # Ages at the end of the income year the survey speaks of.
        labour = _labour(rows, members, rules, dt.date(bounds.year, 12, 31)).iloc[at].to_numpy()
        holds = income & (measure | (not x.require_measure)) & ((labour != "no") | (not x.require_labour))
        change.iloc[at] = np.where(holds, "exit", "exit_blocked")
        conditions.iloc[at] = [f"income={'yes' if i else 'no'};measure={'yes' if me else 'no'};labour={lab}"
                               for i, me, lab in zip(income, measure, labour)]
    prev = matched.previous
    surveyed = pd.DataFrame({
        "household": keys.to_numpy(), "change": change.to_numpy(), "matched_by": matched.matched_by.to_numpy(),
        "previous_round": prev["round"].astype("Int64").to_numpy(),
        "previous_head_name": prev["head_name"].to_numpy(), "previous_head_id": prev["head_id"].to_numpy(),
        "previous_per_capita_fen": pd.to_numeric(prev["per_capita_fen"]).astype("Int64").to_numpy(),
        "previous_township": prev["township"].to_numpy(), "previous_village": prev["village"].to_numpy(),
        "conditions": conditions.to_numpy(),
        "township": rows["township"].to_numpy(), "village": rows["village"].to_numpy(), "grp": rows["grp"].to_numpy(),
        "head_name": rows["head_name"].to_numpy(), "head_id": rows["head_id"].to_numpy(),
        "per_capita_fen": pd.to_numeric(rows["per_capita_fen"]).astype("Int64").to_numpy(),
        "status": status.to_numpy(), "difficulty": rows["difficulty"].to_numpy()})
    surveyed = surveyed[surveyed["change"] != ""]
    # The register's households this survey did not find.
    seen = set(keys.tolist())
    gone = registered[~registered["household"].isin(seen)]
    last = matched.register_rows.set_index("household").reindex(gone["household"])
    # A head on two rows of this survey (duplicate_household, both invalid) matched neither row:
    # the household was surveyed, wrongly, not left out. Its rows and its register line say so.
    ids = rows["head_id"].astype("string").fillna("").reset_index(drop=True)
    twice = set(ids[ids.ne("") & ids.duplicated(keep=False)].tolist())
    shared = last["head_id"].astype("string").fillna("").isin(twice).to_numpy()
    if shared.any():
        on_rows = ids.isin(set(last["head_id"][shared].tolist())).to_numpy()
        change = change.where(~(on_rows & change.eq("").to_numpy()), "unjudged")
    missing = pd.DataFrame({
        "household": gone["household"].to_numpy(), "change": np.where(shared, "unjudged", "missing"),
        "matched_by": None,
        "previous_round": last["round"].astype("Int64").to_numpy(), "previous_head_name": last["head_name"].to_numpy(),
        "previous_head_id": last["head_id"].to_numpy(),
        "previous_per_capita_fen": pd.to_numeric(last["per_capita_fen"]).astype("Int64").to_numpy(),
        "conditions": "", "township": last["township"].to_numpy(), "village": last["village"].to_numpy(),
        "grp": last["grp"].to_numpy(), "head_name": last["head_name"].to_numpy(), "head_id": last["head_id"].to_numpy(),
        "per_capita_fen": pd.array([pd.NA] * len(gone), dtype="Int64"), "status": None,
        "difficulty": last["difficulty"].to_numpy()})
    table = pd.concat([surveyed, missing], ignore_index=True) if len(missing) else surveyed.reset_index(drop=True)
    table["round"] = round_id
    years = db.rounds(reg).set_index("id")["year"]
    table["previous_year"] = table["previous_round"].map(years).astype("Int64")
    counts = {c: int((table["change"] == c).sum()) for c in CHANGES}
    return Comparison(table, change, counts)


def change_words(codes: pd.Series, lang: Lang) -> pd.Series:
    """Change codes as the ledger writes them: the words under zh, the codes under en (as its status)."""
    if lang == "en":
        return codes.fillna("")
    words = {c: label(f"change_{c}", lang) for c in CHANGES}
    return codes.map(words).fillna("")


def head_changed(table: pd.DataFrame) -> pd.Series:
    """Whether the household's head is another person than the register's last one."""
    before = table["previous_head_id"].astype("string").fillna("")
    now = table["head_id"].astype("string").fillna("")
    return before.ne("") & now.ne("") & before.ne(now)
