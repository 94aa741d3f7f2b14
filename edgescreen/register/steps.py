"""The procedure carried out on the register: which document each village needs next, and recording
a filled document (order and date rules, decisions, objections, amendments), all or nothing.

The state of a round is its events: the current value of a fact is the latest event for (household
or village, step, field). A household is in the procedure at a step while every decision before it
is yes (同意, 属实, no objection upheld, 通过); a village has done a step when its date is recorded.
Facts of a household: `decision` (yes/no, effective on the step's date), `reason`, `verifier`,
`objection`, `objection_result`, `objection_date`. Facts of a village: `date` (the step's date: the
meeting, the last visit, a publicity's last day), `period_start`, `period_end` and the form's fields
(meeting place, host …)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..catalogue import Lang, Lines, Phrase, label
from ..compute import per_capita_order
from ..errors import LANGS, InputError, OutputError, RulesError, UsageError
from ..inputs import CSV_SUFFIXES, LOCK_PREFIX, column_letter, content_suffix, file_sha256, files_given, input_labels
from ..money import bound_yuan, fen_text
from ..outputs.folder import carry_files, check_target, files_with_hashes, reserved, staged_folder, target_exists
from ..outputs.places import in_group_order, issuer_places, place_name, place_rank, village_file_names
from ..outputs.publicity import format_date
from ..outputs.xlsx import ColumnLists
from ..systemic import RowRuns
from ..rules import load_rules, rules_from_text, shipped_rule_sets
from ..runtime import run_tasks
from ..texts import joined_per_key
from ..workbook import struck_cells
from . import db
from .documents import (
    county_in_name,
    distinct_name as _distinct_name,
    DocumentPlan,
    FileOutcome,
    FilledDocument,
    PRINTED_BEFORE,
    SHOWN,
    Problem,
    Identity,
    bare_text,
    cell_name,
    find_label_with_value,
    merged_end,
    cell_text,
    date_example,
    decision_headers,
    decision_words,
    edited_cells,
    find_column,
    find_columns,
    find_form_value,
    find_header,
    folded_cell,
    identity_cells,
    is_printed_text,
    is_signature_line,
    signs_the_list,
    objection_headers,
    label_texts,
    open_filled,
    parse_count,
    parse_date,
    parse_seq,
    printed_as_is,
    printed_keys,
    printed_rows,
    row_hash,
    row_hashes,
    row_matches,
    says_no_objection,
    says_nothing,
    sheet_not_read,
    shown_cells,
    with_exit_refused,
    with_income_years,
    with_left_before,
    write_document,
)
from .measures import (
    MeasureReading,
    compare_measures,
    current_measures,
    form_place,
    measure_in_words,
    read_measure_form,
    record_measures,
    type_word,
)
from .registry import on_register, removed
from .years import bare_text as bare_column, same_place
from .procedure import (HEAD_MARKS, TRACKS, MEASURES_STEP, Procedure, Step, Track, folded_words, head_keys,
                        held_by_objections, procedure)

KEY = ["household", "township", "village", "step", "field"]
# A household's objections at a publicity, each its own facts: the one that decides it (the upheld one,
# or the last settled) is `objection` and `objection_result`; any other is `objection_2`, `objection_result_2` …
OBJECTION_FIELDS = r"^objection(?:_result)?(?:_\d+)?$"
OBJECTION_RESULTS = r"^objection_result(?:_\d+)?$"
HOUSEHOLD_COLUMNS = ["household", "county", "township", "village", "grp", "head_name", "head_id", "members",
                     "residents", "per_capita_fen", "difficulty", "household_id"]


# ---------------------------------------------------------------------------------------------
# The state of a round


@dataclass
class State:
    """A round as the register holds it now."""

    round: dict
    households: pd.DataFrame  # the round's candidates, in review order (village, per-capita, survey)
    current: pd.DataFrame  # the latest event of each fact
    documents: pd.DataFrame
    doc_villages: pd.DataFrame  # document id, township, village: the villages each document covers
    register_name: str = ""  # the register file's name without suffix: 农安县 for 农安县.db
    # Documents out whose list is no longer the list: document, household, and 'removed' (printed,
    # since taken off the list) or 'added' (put back on it since, by an amendment, and not printed).
    stale: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["document", "household", "change"]))
    proc: Procedure = field(default_factory=procedure)
    # The round's surveyed villages, in the survey's order (the entry track's): those with no candidate
    # too, whose 第一次公示 says 本村无 (_with_nobody_listed).
    surveyed: list[tuple[str, str]] = field(default_factory=list)
    # Of those, the villages with households the round could not decide (status invalid, 数据有误):
    # (township, village) → how many. Such a village's list is not known to be empty (no 本村无).
    undecided: dict[tuple[str, str], int] = field(default_factory=dict)
    # Of those, the villages with households decided on amounts the screen found typed in 万元
    # (in_wan_villages): → how many. Its list is not known to be empty either (no 本村无).
    in_wan: dict[tuple[str, str], int] = field(default_factory=dict)
    # The county the register's rounds name most, where this round's survey names none (known_county).
    register_county: str | None = None
    _tables: dict = field(default_factory=dict, repr=False)  # facts pivoted once per command

    def once(self, key, make):
        """What `make()` makes, made once per command and kept under `key` (a state is read, never
        changed, while a command runs)."""
        if key not in self._tables:
            self._tables[key] = make()
        return self._tables[key]

    @property
    def by_household(self) -> pd.DataFrame:
        """The candidates indexed by household key (made once)."""
        return self.once("by_household", lambda: self.households.set_index("household"))

    @property
    def household_info(self) -> dict[int, tuple[str, str, str]]:
        """household → (township, village, head's name), for reading documents (made once)."""
        h = self.households
        return self.once("info", lambda: dict(zip(h["household"].tolist(), zip(
            h["township"].tolist(), h["village"].tolist(), h["head_name"].fillna("").tolist()))))

    @property
    def round_id(self) -> int:
        return int(self.round["id"])

    @property
    def round_date(self) -> dt.date:
        return dt.date.fromisoformat(self.round["round_date"])

    def household_facts(self, fld: str) -> pd.DataFrame:
        """household × step: the current value of a household fact ('decision', 'reason' …) (made once;
        like every table `once` keeps, read and never changed by its callers)."""
        return self.once(("household", fld), lambda: self._household_table(fld, "new"))

    def household_dates(self, fld: str = "decision") -> pd.DataFrame:
        return self.once(("household_dates", fld), lambda: self._household_table(fld, "effective"))

    def _household_table(self, fld: str, values: str) -> pd.DataFrame:
        part = self.current[(self.current["field"] == fld) & (self.current["household"] >= 0)]
        index, steps = pd.Index(self.households["household"]), list(self.proc.ids)
        unique = index.unique()  # a household listed twice (two changes of it) has its row twice
        table = _by_step(unique, steps, unique.get_indexer(part["household"]), pd.Index(steps).get_indexer(part["step"]),
                         part[values])
        return table if len(unique) == len(index) else table.reindex(index)

    def alive(self) -> pd.DataFrame:
        """household × step: still in the procedure after the step (every decision so far yes) (made once)."""
        return self.once("alive", lambda: self.household_facts("decision").eq("yes").cumprod(axis=1).astype(bool))

    def village_facts(self, fld: str) -> pd.DataFrame:
        """(township, village) × step: the current value of a village fact ('date', 'period_end' …)."""
        return self.once(("village", fld), lambda: self._village_facts(fld))

    def village_fact(self, fld: str, step: str) -> dict[tuple[str, str], str]:
        """{(township, village): value} of one village fact at one step, where it is recorded."""
        def make():
            column = self.village_facts(fld)[step].dropna()
            return dict(zip(column.index.tolist(), column.tolist()))
        return self.once(("map", fld, step), make)

    def settled(self, step: str) -> pd.Series:
        """Per (township, village), the day the last objection at a step was settled; blank where
        none was raised."""
        def make():
            part = self.current[self.current["field"].str.match(OBJECTION_RESULTS) & (self.current["household"] >= 0)
                                & (self.current["step"] == step) & self.current["effective"].notna()]
            days = part.groupby("household")["effective"].max()
            days = days[days.index.isin(self.by_household.index)]
            where = self.by_household.loc[days.index, ["township", "village"]]
            if not len(days):
                return pd.Series(None, index=self.village_index(), dtype=object)
            last = days.groupby([where["township"], where["village"]]).max()
            return last.reindex(self.village_index())
        return self.once(("settled", step), make)

    def held_until(self, step: str) -> dict[tuple[str, str], str]:
        """{(township, village): the day its `step` lets the next step begin}, where the step is
        recorded: its date, or the later day an objection at it was settled (held_by_objections).
        What register next, a later step's date and an amended objection are all checked against."""
        def make():
            held = held_by_objections(self.village_facts("date")[step], self.settled(step)).dropna()
            return dict(zip(held.index.tolist(), held.tolist()))
        return self.once(("held", step), make)

    def _village_facts(self, fld: str) -> pd.DataFrame:
        cur = self.current
        part = cur[(cur["field"] == fld) & (cur["household"] < 0) & cur["new"].notna()]
        index, steps = self.village_index(), list(self.proc.ids)
        rows = index.get_indexer(pd.MultiIndex.from_arrays([part["township"], part["village"]]))
        return _by_step(index, steps, rows, pd.Index(steps).get_indexer(part["step"]), part["new"])

    def village_index(self) -> pd.MultiIndex:
        # The households are in place order (load_state): their villages, each once, are too.
        return self.once("village_index", lambda: pd.MultiIndex.from_frame(
            self.households[["township", "village"]].drop_duplicates()))

    def progress(self) -> pd.DataFrame:
        """Per village: candidates, the last step done (-1: none), households still in after it, the
        next step's index (None: finished or nobody left) and each step's date."""
        steps = self.proc.ids
        index = self.village_index()
        dates = self.village_facts("date")
        done = dates.notna().to_numpy()
        # The last of the steps done one after another from the first.
        consecutive = np.cumprod(done, axis=1).astype(bool)
        last = consecutive.sum(axis=1) - 1
        alive = self.alive()
        per_village = self.households[["township", "village"]].set_index(self.households["household"])
        counts = alive.groupby([per_village["township"], per_village["village"]]).sum().reindex(index)
        candidates = self.households.groupby(["township", "village"]).size().reindex(index).to_numpy()
        after = np.array([candidates[i] if last[i] < 0 else counts.iloc[i, last[i]] for i in range(len(index))])
        nxt = np.where((after > 0) & (last + 1 < len(steps)), last + 1, -1)
        out = pd.DataFrame({"candidates": candidates, "last": last, "remaining": after, "next": nxt}, index=index)
        for j, s in enumerate(steps):
            out[f"date_{s}"] = dates[s].to_numpy()
            out[f"after_{s}"] = np.where(consecutive[:, j], counts[s].to_numpy(), -1)
        return out

    def unrecorded(self) -> pd.DataFrame:
        """Per village, every document issued for a step it has not recorded yet (made once)."""
        return self.once("unrecorded", self._unrecorded)

    def _unrecorded(self) -> pd.DataFrame:
        if self.documents.empty:
            return pd.DataFrame(columns=["document", "township", "village", "step", "id", "issued", "period_end",
                                         "file_name"])
        covered = self.doc_villages.merge(self.documents.drop(columns=["township", "village"]),
                                          left_on="document", right_on="id")
        # From the facts, not village_facts: a village with no candidate (its 本村无 公示) is in no index.
        part = self.current[(self.current["field"] == "date") & (self.current["household"] < 0)
                            & self.current["new"].notna()]
        dates = part[["township", "village", "step"]].drop_duplicates().assign(done=True)
        covered = covered.merge(dates, on=["township", "village", "step"], how="left")
        return covered[covered["done"].isna()]

    def outstanding(self) -> pd.DataFrame:
        """Documents issued and not recorded yet: per (township, village, step) the latest one. A
        stale document (its list changed since it was printed) is not out: the step is due again."""
        waiting = self.unrecorded()
        waiting = waiting[~waiting["id"].isin(self.stale["document"])]
        return waiting.sort_values("id").drop_duplicates(["township", "village", "step"], keep="last")

    def off_list_step(self, household: int) -> str | None:
        """The step at which a household left the list (its first decision not yes), if it has."""
        decisions = self.household_facts("decision").loc[household]
        off = [s for s in self.proc.ids if decisions[s] == "no"]
        return off[0] if off else None


# A later round's comparison with the register (years.py) decides who enters which track: the
# entry takes the round's candidates but those already on the register (继续帮扶); the exit takes the
# households proposed to leave; the gone track those of the register its survey did not find.
ENTRY_CHANGES = ("new",)
EXIT_CHANGES = ("exit", "excluded")
# … and the verification of the households the round's survey did not find (未调查户核实).
GONE_CHANGE = "missing"


def _by_step(index: pd.Index, steps: list[str], rows: np.ndarray, cols: np.ndarray, values: pd.Series) -> pd.DataFrame:
    """index × steps, each of `values` placed at its (rows, cols) (-1: not in the table; a cell has one
    value at most, `current` holding one row per KEY): what pivot and a reindex make, dtypes too, at a
    fraction of their cost (every register command reads several such tables). A step with a value
    anywhere, in the table or not, has the values' dtype; one with none is NaN (float)."""
    grid = np.full((len(index), len(steps)), np.nan, dtype=object)
    known = (rows >= 0) & (cols >= 0)
    grid[rows[known], cols[known]] = values.to_numpy(dtype=object)[known]
    present = np.isin(np.arange(len(steps)), cols)
    table = pd.DataFrame({s: pd.Series(grid[:, j], index=index, dtype=values.dtype) if present[j]
                          else np.full(len(index), np.nan) for j, s in enumerate(steps)}, index=index)
    table.columns.name = "step"
    return table


def in_meeting_order(households: pd.DataFrame, then: list[str]) -> pd.DataFrame:
    """The households as the meeting's and the reviews' documents list them (a posted list:
    in_posted_order), the register's views too: places in the order `households` has them
    (places.place_rank: the survey's, not by character code), within a village the lowest per-capita
    first by its exact value (the fen printed ties 3218.0014 with 3218.0033), then by `then`."""
    if households.empty:  # a track with no one (a first year's exit): nothing to order
        return households.reset_index(drop=True)
    fraction, whole = per_capita_order(households["net_fen"], households["residents"])
    return households.assign(_place=place_rank(households, ("township", "village")), _whole=whole,
                             _fraction=fraction).sort_values(["_place", "_whole", "_fraction", *then], kind="stable") \
        .drop(columns=["_place", "_whole", "_fraction"]).reset_index(drop=True)


def in_posted_order(households: pd.DataFrame) -> pd.DataFrame:
    """A village's households as a posted list (a publicity, the 公告, the exit's) prints them: by
    村民小组 in the order of their numbers (一组 before 二组 … 十二组, a group naming none after them, no
    group last), then in the survey's order, as the 花名册 (places.in_group_order): a villager finds his
    group as he counts them, not as the survey happened to meet them (五社, 六社, 四社 …). Posted in the
    village, the meeting's order, lowest per-capita first, would itself show who is poorest."""

    if "unsurveyed" in households:
        return in_group_order(households, households["ledger_order"])
    # A posted list's households were all found by the round's survey: none goes last as missed.
    return in_group_order(households.assign(unsurveyed=False), households["ledger_order"]).drop(columns="unsurveyed")


def load_state(reg: db.Register, round_id: int | None = None, track: Track = "entry") -> State:
    """A round (the latest by default) as the register holds it, for one track of the procedure."""
    return _loaded_state(reg, round_id, track, empty_known=False)


def _loaded_state(reg: db.Register, round_id: int | None = None, track: Track = "entry", *,
                  empty_known: bool = True) -> State:
    """load_state; `empty_known`: the track is read in full even where it holds nothing."""
    rounds = db.rounds(reg)
    if rounds.empty:
        raise InputError("register_no_round", path=str(reg.path))
    row = rounds.iloc[-1] if round_id is None else rounds[rounds["id"] == round_id].iloc[0]
    rid = int(row["id"])
    proc = procedure(track)
    changes = db.changes(reg, rid)
    if track != "entry" and not empty_known and not _track_held(reg, rid, proc, changes, track):
        return _empty_track_state(reg, row, round_id, track, changes)
    if track == "entry":
        households = db.screened(reg, rid, status="candidate")
        if len(changes):  # a later round: its candidates already on the register continue, they do not enter
            staying = changes.loc[~changes["change"].isin(ENTRY_CHANGES), "household"]
            households = households[~households["household"].isin(staying)]
            households = _with_earlier_removal(reg, rid, households)
    elif track == "exit":
        leaving = changes.loc[changes["change"].isin(EXIT_CHANGES), "household"].tolist()
        # By their keys: a record reads the few leaving, not the county's round (none: the columns alone).
        households = db.screened_rows(reg, rid, leaving)
        households = households.merge(changes[["household", "change"]], on="household", how="left")
    else:
        households = _unsurveyed(reg, rid, int(row["year"]), changes)
    households["township"] = households["township"].fillna("").astype(str)
    households["village"] = households["village"].fillna("").astype(str)
    households = in_meeting_order(households.sort_values("ledger_order", kind="stable"), ["ledger_order"])
    events = db.events_of_steps(reg, rid, proc.ids)
    current = _with_village_dates(_keyed(events).drop_duplicates(KEY, keep="last"), households, proc)
    docs = db.documents(reg, rid)
    docs = docs[docs["step"].isin(proc.ids)].reset_index(drop=True)
    villages = docs.loc[docs["scope"] == "village", ["id", "township", "village"]].rename(columns={"id": "document"})
    wide = docs.loc[docs["scope"] != "village", "id"].tolist()
    if wide:
        rows = db.document_rows(reg, wide)
        where = households.set_index("household")[["township", "village"]]
        rows = rows.join(where, on="household")
        villages = pd.concat([villages, rows[["document", "township", "village"]].drop_duplicates()])
    # A survey naming no county (year two's, without the title row year one had): the county its
    # other rounds name (changes.xlsx's), not a blank on status and 进度.xlsx (an outside look).
    named = "county" in households and households["county"].fillna("").astype(str).ne("").any()
    judged = db.round_villages_unjudged(reg, rid) if track == "entry" else []
    state = State(round=row.to_dict(), households=households, current=current, documents=docs,
                  doc_villages=villages.reset_index(drop=True), register_name=reg.path.stem, proc=proc,
                  surveyed=[(t, v) for t, v, _ in judged], undecided={(t, v): n for t, v, n in judged if n},
                  in_wan=in_wan_villages(reg, rid) if track == "entry" else {},
                  register_county=None if named else db.county_name(reg))
    state.stale = _stale(reg, state)
    return state


def in_wan_villages(reg: db.Register, round_id: int) -> dict[tuple[str, str], int]:
    """{(township, village): how many of its households the round decided on amounts the screen found
    typed wholly in 万元} (db.IN_WAN among their recorded reasons): 低于贫困标准 on figures a
    ten-thousandth of the real ones, so the village's list is not known to be empty."""
    rows = reg.conn.execute(f"""
        SELECT IFNULL(township, ''), IFNULL(village, ''), COUNT(*) FROM screened
        WHERE round = ? AND status IN ('below_line', 'candidate', 'above_limit')
            AND ';' || IFNULL(reasons, '') || ';' LIKE '%;{db.IN_WAN};%'
        GROUP BY IFNULL(township, ''), IFNULL(village, '')""", (int(round_id),))
    return {(t, v): int(n) for t, v, n in rows}


def _track_held(reg: db.Register, round_id: int, proc: Procedure, changes: pd.DataFrame, track: Track) -> bool:
    """Whether the round holds anything of an exit or gone track: a household on it (a change that puts
    one there), an event of its steps or a document of them."""
    kinds = EXIT_CHANGES if track == "exit" else (GONE_CHANGE,)
    if changes["change"].isin(kinds).any():
        return True
    steps = list(proc.ids)
    marks = ",".join("?" * len(steps))
    return any(reg.conn.execute(f"SELECT 1 FROM {table} WHERE round = ? AND step IN ({marks}) LIMIT 1",
                                (round_id, *steps)).fetchone() is not None for table in ("events", "documents"))


# An exit or gone track holding nothing (a first year's exit: every register command reads it): its
# households and facts as the full reading makes them (no row, typed), made once per track, register
# schema and the round's changes' types, and copied for each state (a state's frames are its own). Its
# documents are read as the full reading reads them: their types follow the round's other documents.
_EMPTY_TRACK_FRAMES: dict[tuple, dict[str, pd.DataFrame]] = {}


def _empty_track_state(reg: db.Register, row: pd.Series, round_id: int | None, track: Track,
                       changes: pd.DataFrame) -> State:
    key = (track, int(reg.conn.execute("PRAGMA user_version").fetchone()[0]), changes.empty,
           tuple(map(str, changes.dtypes)))
    if key not in _EMPTY_TRACK_FRAMES:
        made = _loaded_state(reg, round_id, track)
        _EMPTY_TRACK_FRAMES[key] = {"households": made.households, "current": made.current}
    proc = procedure(track)
    docs = db.documents(reg, int(row["id"]))
    docs = docs[docs["step"].isin(proc.ids)].reset_index(drop=True)
    villages = docs.loc[docs["scope"] == "village", ["id", "township", "village"]].rename(columns={"id": "document"})
    state = State(round=row.to_dict(), **{name: frame.copy() for name, frame in _EMPTY_TRACK_FRAMES[key].items()},
                  documents=docs, doc_villages=villages.reset_index(drop=True), register_name=reg.path.stem,
                  proc=proc, surveyed=[], register_county=db.county_name(reg))
    state.stale = _stale(reg, state)
    return state


def _with_earlier_removal(reg: db.Register, round_id: int, households: pd.DataFrame) -> pd.DataFrame:
    """The candidates with, for one an earlier round took off its list, that round's year, the step,
    its day and why (`removed_*`): the review list prints it (documents.printed_rows, 'earlier')."""
    years = db.rounds(reg).set_index("id")["year"]
    off = removed(reg)
    off = off[off["round"] < round_id].sort_values(["household", "round"]).drop_duplicates("household", keep="last") \
        .set_index("household")
    out = households.copy()
    for col, values in (("removed_year", off["round"].map(years).astype("Int64")), ("removed_step", off["step"]),
                        ("removed_on", off["on"]), ("removed_reason", off["reason"])):
        out[col] = out["household"].map(values).astype(object).fillna("").astype(str).to_numpy()
    return out


def _with_split_from(reg: db.Register, round_id: int, households: pd.DataFrame) -> pd.DataFrame:
    """The households with, where members of theirs were listed by an earlier round in another
    household (分户: a son's own household since, with part of his father's), that household as its
    latest such listing names it (`split_year`, `split_place`, `split_head`; the one most of them left
    where several): the review list prints it (documents.printed_rows, 'earlier'), for a split made to
    qualify (拆户) is the meeting's to question (an outside try: changes.xlsx said it, the form not)."""
    out = households.assign(split_year="", split_place="", split_head="", split_kept=False)
    found = db.members_elsewhere(reg, out["household"].astype(int).unique().tolist())
    if found.empty:
        return out
    found = found.assign(listed=[max((r for r in rounds if r < round_id), default=0) for rounds in found["rounds"]])
    found = found[found["listed"] > 0]
    if found.empty:
        return out
    pairs = found.groupby(["household", "other"], sort=False).agg(people=("member_id", "size"),
                                                                   listed=("listed", "max")).reset_index()
    pairs = pairs.sort_values(["household", "people", "listed"], ascending=[True, False, False]) \
        .drop_duplicates("household")
    then = db.heads_at(reg, pairs["other"].astype(int).tolist(), pairs["listed"].astype(int).tolist())
    by = then.rename(columns={"year": "split_year", "place": "split_place", "head_name": "split_head"}) \
        .set_axis(pairs["household"].to_numpy())
    for col in ("split_year", "split_place", "split_head"):
        out[col] = out["household"].map(by[col]).fillna("").to_numpy(dtype=object)
    # The household split off kept the other's 户编号 and village, the other's head gone elsewhere
    # (唐亮林 to 太平村, his wife 崔亮永 with the rest under the old number): the register followed the
    # head, and the meeting should hear which is the family (`split_kept`).
    other = db.screened_of(reg, pairs["other"].astype(int).unique().tolist())
    then = other.set_index(["household", "round"])
    at = pd.MultiIndex.from_arrays([pairs["other"].astype(int), pairs["listed"].astype(int)])
    was = then.reindex(at)
    now = other[other["round"].eq(round_id)].drop_duplicates("household").set_index("household") \
        .reindex(pairs["other"].astype(int).to_numpy())
    mine = out.drop_duplicates("household").set_index("household").reindex(pairs["household"].to_numpy())
    def text(frame: pd.DataFrame, col: str) -> np.ndarray:
        return bare_column(frame[col]).to_numpy(dtype=object)

    def home(frame: pd.DataFrame) -> np.ndarray:  # in the village it had, read as years.same_place reads it
        return same_place(text(was, "township"), text(was, "village"), text(frame, "township"), text(frame, "village"))

    number = text(was, "household_id")
    kept = (number != "") & (text(mine, "household_id") == number) & home(mine) \
        & ((text(now, "household_id") != number) | ~home(now))
    out["split_kept"] = out["household"].map(pd.Series(kept, index=pairs["household"].to_numpy())).fillna(False) \
        .astype(bool).to_numpy()
    return out


def _with_measures(reg: db.Register, households: pd.DataFrame, days: np.ndarray, lang: Lang) -> pd.DataFrame:
    """The households with the 帮扶 measures of their stay on the register (current_measures) begun by
    the day their document is printed (`days`, ISO, one per row), briefly: each type and start year
    once, a line each (产业扶持(2020)), 无 for none (`support_measures`). The exit review prints it:
    the meeting weighs what support a household received before it leaves (an outside try of 帮扶
    over two years: the form did not show it)."""
    rows = pd.DataFrame({"row": np.arange(len(households)), "day": days,
                         "household": households["household"].astype(int).to_numpy()})
    measures = current_measures(reg, rows["household"].unique().tolist())[["household", "type", "start"]]
    got = rows.merge(measures.astype({"household": int, "start": str}), on="household")
    got = got[got["start"].le(got["day"]).to_numpy()].sort_values(["row", "start"], kind="stable")
    # Worded per distinct type and year (a dozen types), not per measure.
    pairs = got.assign(year=got["start"].str[:4])[["type", "year"]]
    codes, distinct = pd.factorize(pd.MultiIndex.from_frame(pairs))
    words = np.array([label("exit_measure_brief", lang, type=type_word(kind, None, lang), year=year)
                      for kind, year in distinct], dtype=object)
    got = got.assign(text=words[codes] if len(codes) else []).drop_duplicates(["row", "text"])
    joined = joined_per_key(got["row"].to_numpy(), got["text"].to_numpy(dtype=object), "\n")
    cells = rows["row"].map(joined).astype(object).fillna(label("exit_measures_none", lang))
    return households.assign(support_measures=cells.to_numpy(dtype=object))


def _unsurveyed(reg: db.Register, round_id: int, year: int, changes: pd.DataFrame) -> pd.DataFrame:
    """The households of the register the round's survey did not find (years.py's `missing`), as they
    were last surveyed: the gone track's households, each with the year of that survey
    (`last_surveyed`). Their places are the last survey's; `ledger_order` keeps that survey's order.
    One missed a second year running carries what the last check found (years.missed_before's
    columns, missed_*), and those words in each language (missed_earlier_zh, _en: the form prints its
    own language's under 此前核实情况, as changes.xlsx says them; documents.py imports no years). `year`:
    the round's."""
    from .years import MISSED_COLUMNS, missed_before, missed_frame, missed_words  # this function's alone

    missing = changes.loc[changes["change"] == GONE_CHANGE, "household"].tolist()
    empty = db.screened_rows(reg, round_id, []).assign(last_surveyed=pd.Series(dtype="Int64"))
    empty = empty.assign(**{f"missed_{c}": pd.Series(dtype=object) for c in MISSED_COLUMNS},
                         **{f"missed_earlier_{lang}": pd.Series(dtype=object) for lang in LANGS})
    if not missing:
        return empty
    rows = db.screened_of(reg, missing)
    rows = rows[rows["round"] < round_id].drop_duplicates("household", keep="last")
    rows = rows.assign(last_surveyed=rows["year"].astype("Int64"),
                       ledger_order=rows["round"] * 10**9 + rows["row"].fillna(0).astype(np.int64))
    found = missed_before(reg, rows["household"], round_id, year)
    rows = rows.assign(**{f"missed_{c}": rows["household"].map(found[c]).astype(object).to_numpy() for c in MISSED_COLUMNS})
    said = missed_frame(rows)
    if said is not None:
        rows = rows.assign(**{f"missed_earlier_{lang}": missed_words(said, lang).to_numpy() for lang in LANGS})
    return rows[[c for c in empty.columns if c in rows.columns]].reset_index(drop=True)


def _gone_leads(reg: db.Register, round_id: int, rows: pd.DataFrame) -> np.ndarray:
    """Per household not surveyed (`rows`, its last screened row), where the round's survey has most
    of its people (its last head, its last listed members) as 'place\x1fhead\x1fcount' of that
    household; '' for none. changes.xlsx named 「宋涛」户 for 李华芝, the verification form printed only
    name and ID, and the verifier had to find it again (an outside try)."""
    out = np.full(len(rows), "", dtype=object)
    if rows.empty:
        return out
    known = db.known_people(reg, round_id, rows)
    now = db.screened(reg, round_id)[["household", "township", "village", "head_name", "head_id"]]
    people = pd.concat([now[["household", "head_id"]].rename(columns={"head_id": "member_id"}),
                        db.members_of_round(reg, round_id)[["household", "member_id"]]], ignore_index=True)
    people = people[people["member_id"].fillna("").ne("")].drop_duplicates()
    pairs = known.merge(people.rename(columns={"household": "there"}), on="member_id")
    pairs = pairs[pairs["there"].ne(pairs["household"])]
    if pairs.empty:
        return out
    pairs = pairs.groupby(["household", "there"], sort=False).size().rename("count").reset_index() \
        .sort_values("count", ascending=False, kind="stable").drop_duplicates("household")
    there = now.drop_duplicates("household").set_index("household").reindex(pairs["there"].to_numpy())
    said = (there["township"].astype("string").fillna("") + there["village"].astype("string").fillna("") + "\x1f"
            + there["head_name"].astype("string").fillna("") + "\x1f" + pairs["count"].astype(str).to_numpy())
    lead = pd.Series(said.to_numpy(dtype=object), index=pairs["household"].to_numpy())
    return rows["household"].map(lead).astype(object).fillna("").to_numpy()


def _stale(reg: db.Register, state: State) -> pd.DataFrame:
    """The documents out (a village has not recorded their step) whose printed list is not the list
    a document of that step would have now: a decision before it amended after it was printed took
    a household off the list, or put one back on it. Recorded, such a document would decide for
    households no longer listed, or leave out one listed again (who would then be on no list)."""
    columns = ["document", "household", "change", "name"]
    if state.documents.empty:  # nothing printed for the track (a first year's exit): nothing out
        return pd.DataFrame(columns=columns)
    waiting = state.unrecorded()
    if waiting.empty:
        return pd.DataFrame(columns=columns)
    where = state.by_household[["township", "village"]]
    printed = db.document_rows(reg, waiting["id"].unique().tolist())[["document", "household"]]
    printed = printed.join(where, on="household")
    # Printed households the track no longer holds at all: a late township's survey added to the
    # round found them (they were 本年未调查). Of any step, the first's too; said by name.
    gone = printed[printed["township"].isna().to_numpy()]
    parts = []
    if len(gone):
        names = db.screened_of(reg, gone["household"].unique().tolist()).drop_duplicates("household", keep="last")
        parts.append(pd.DataFrame({"document": gone["document"].to_numpy(), "household": gone["household"].to_numpy(),
                                   "change": "joined", "name": gone["household"].map(
                                       names.set_index("household")["head_name"]).fillna("").to_numpy()}))
    waiting = waiting[waiting["step"] != state.proc.ids[0]]
    alive = state.alive()
    for step_id, mine in waiting.groupby("step"):
        prev = state.proc.previous(step_id)
        listed = state.households.loc[alive[prev.id].to_numpy(), ["household", "township", "village"]]
        expected = mine[["id", "township", "village"]].rename(columns={"id": "document"}).merge(
            listed, on=["township", "village"])
        shown = printed[printed["document"].isin(mine["id"])].merge(mine[["id", "township", "village"]].rename(
            columns={"id": "document"}), on=["document", "township", "village"])
        both = shown[["document", "household"]].merge(expected[["document", "household"]], how="outer",
                                                       indicator=True)
        both = both[both["_merge"] != "both"]
        parts.append(pd.DataFrame({"document": both["document"].to_numpy(), "household": both["household"].to_numpy(),
                                   "change": np.where(both["_merge"] == "left_only", "removed", "added"), "name": ""}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _with_village_dates(current: pd.DataFrame, households: pd.DataFrame, proc: Procedure) -> pd.DataFrame:
    """A decision at a step dated for the whole village takes effect on the village's date for that
    step as it stands now: a meeting's date put right is one event, the village's, not one more per
    household (whose decision did not change)."""
    steps = [s.id for s in proc.steps if s.dated_by_village]
    household = current["household"].to_numpy()
    fields = current["field"].to_numpy(dtype=object)
    step = current["step"].to_numpy(dtype=object)
    of_steps = current["step"].isin(steps).to_numpy()
    dated = (household < 0) & (fields == "date") & of_steps
    decided = (household >= 0) & (fields == "decision") & of_steps
    if not dated.any() or not decided.any():
        return current
    # Looked up by key, not merged: each load of the register's state does this (every command).
    places = households.drop_duplicates("household").set_index("household")
    where = places.reindex(household[decided])
    village_date = _by_key(current.loc[dated, ["new"]], [current.loc[dated, "township"], current.loc[dated, "village"],
                                                          step[dated]],
                           [where["township"].to_numpy(dtype=object), where["village"].to_numpy(dtype=object),
                            step[decided]])["new"]
    objected = (household >= 0) & (fields == "objection_result")
    objection = _by_key(current.loc[objected, ["effective", "new"]], [household[objected], step[objected]],
                        [household[decided], step[decided]])
    day = held_by_objections(village_date, objection["effective"], objection["new"].eq("upheld")).to_numpy(dtype=object)
    out = current.copy()
    own = out.loc[decided, "effective"].to_numpy()
    out.loc[decided, "effective"] = np.where(pd.notna(day), day, own)
    return out


def _by_key(values: pd.DataFrame, keys: list, wanted: list) -> pd.DataFrame:
    """The rows of `values` (keyed by the arrays `keys`; a key given twice, its last) at the keys
    `wanted`, NaN where absent: its columns looked up together, the keys indexed once."""
    if not len(values):
        return pd.DataFrame(np.nan, index=range(len(wanted[0])), columns=values.columns, dtype=object)
    index = pd.MultiIndex.from_arrays([np.asarray(k, dtype=object) for k in keys])
    once = ~index.duplicated(keep="last")
    found = pd.DataFrame({c: values[c].to_numpy(dtype=object)[once] for c in values.columns}, index=index[once])
    return found.reindex(pd.MultiIndex.from_arrays([np.asarray(w, dtype=object) for w in wanted])).reset_index(drop=True)


def _keyed(events: pd.DataFrame) -> pd.DataFrame:
    """Events with the key columns made comparable: a village fact has household -1, a household
    fact township and village ''."""
    out = events.copy()
    out["household"] = pd.to_numeric(out["household"]).fillna(-1).astype(np.int64)
    out["township"] = out["township"].fillna("").astype(str)
    out["village"] = out["village"].fillna("").astype(str)
    return out


# ---------------------------------------------------------------------------------------------
# register next: the documents due


@dataclass
class Planned:
    step: Step
    township: str
    village: str
    households: pd.DataFrame
    period: tuple[dt.date, dt.date] | None
    # A document printed again (its file lost): the day it was first printed and its file, relative to the folder.
    issued: dt.date | None = None
    file_name: str | None = None


@dataclass
class NextOutcome:
    """What `issue_documents` wrote: per step the number of documents and their folder; the villages
    left out with the reason; the documents out before it and not back; per step the documents
    out that the folder replaced held and the new one keeps, those printed again, and the filled
    forms recorded that it keeps too."""

    out_dir: Path | None
    written: dict[str, tuple[int, int, Path]]  # step → (documents, households, folder)
    skipped: list[Phrase]
    # The documents out before it (documents_out, of every track), `held` where the folder holds its
    # file as printed: said as kept there, and the others as not in it (lost, or printed elsewhere).
    out: pd.DataFrame
    carried: dict[str, tuple[int, Path]] = field(default_factory=dict)  # step → (documents, folder)
    reprinted: dict[str, tuple[int, int, Path]] = field(default_factory=dict)  # as `written`
    kept_recorded: dict[str, tuple[int, Path]] = field(default_factory=dict)  # as `carried`
    # The forms recorded as printed that the folder replaced held: not kept, the register holds them.
    let_go: dict[str, tuple[int, Path]] = field(default_factory=dict)  # as `carried`
    # The blank copies the folder replaced held, printed and never filled (their documents recorded from
    # another file, or no longer taken): not kept. step → (of recorded documents, of the others, folder).
    removed: dict[str, tuple[int, int, Path]] = field(default_factory=dict)
    # Nothing due: when something will be, where the register knows (a publicity out, its period's end).
    due_later: Phrase | None = None
    # With the 民主评议 documents written: the round's villages with nobody to review, (township, village,
    # households not decided) each, said so that a clerk counting the villages sees them done, not
    # forgotten, or waiting for a corrected survey.
    no_review: list[tuple[str, str, int]] = field(default_factory=list)
    # With the 未调查户核实 forms written: per registered household of a village they are printed for that
    # the round's survey has no row of at all (its survey may never have come), its place as last
    # surveyed, its change and village_unsurveyed (changes.unsurveyed_sentences' table), and the year:
    # said first, with the way to add the survey late, before the forms go out (an outside try).
    unsurveyed: pd.DataFrame | None = None
    year: int | None = None


def _due_later(states: list[State], lang: Lang) -> Phrase | None:
    """The earliest period out (a publicity or 公告 printed, not recorded): the day after it ends,
    it can be recorded and the next step's documents are due; with the villages whose period it is."""
    out = pd.concat([s.outstanding().assign(track=i) for i, s in enumerate(states)], ignore_index=True)
    out = out[out["period_end"].notna()]
    if out.empty:
        return None
    end = out["period_end"].min()
    first = out[out["period_end"] == end]
    step = first["step"].iloc[0]
    places = list(dict.fromkeys(zip(first.loc[first["step"] == step, "township"],
                                    first.loc[first["step"] == step, "village"])))
    return Phrase("reg_next_nothing_until", step=label(f"step_{step}", lang), places=_places(places, lang),
                  end=end, after=(dt.date.fromisoformat(end) + dt.timedelta(days=1)).isoformat())


def _previous_end(state: State, progress: pd.DataFrame, step: Step) -> tuple[pd.Series, bool]:
    """Per village, the date the previous step ended, and whether the next step must begin after it
    (a publicity: its last day is still inside it) rather than on or after it."""
    prev = state.proc.previous(step.id)
    if prev is None:
        return pd.Series(state.round_date.isoformat(), index=progress.index), False
    return progress[f"date_{prev.id}"], prev.has_period


def plan_documents(state: State, date: dt.date, lang: Lang) -> tuple[list[Planned], list[Phrase]]:
    """The documents due on `date`: for every village whose previous step is recorded, its next
    step's document (one per township or for the county where the step is theirs), none where that
    document is out (documents_out says those). Villages whose previous step ended after `date` are
    left out, said."""
    if state.proc.name != "entry" and state.households.empty and state.documents.empty:
        return [], []  # an exit or check with nobody to take (a first year's): none due, none out
    progress = state.progress()
    waiting = state.outstanding()
    out_keys = set(zip(waiting["township"], waiting["village"], waiting["step"]))
    planned: list[Planned] = []
    skipped: list[Phrase] = []
    alive = state.alive()
    households = state.households
    for i, step in enumerate(state.proc.steps):
        due = progress[progress["next"] == i]
        due = due[[(t, v, step.id) not in out_keys for t, v in due.index]]
        if due.empty:
            continue
        ends, strictly = _previous_end(state, due, step)
        held = state.held_until(state.proc.ids[i - 1]) if i else {}
        words = {"step": label(f"step_{step.id}", lang),
                 "previous": label(f"step_{state.proc.ids[i - 1]}", lang) if i else label("step_round", lang)}
        ok = []
        for (t, v), end in ends.items():
            end_day = dt.date.fromisoformat(end)
            if end_day > date or (strictly and end_day == date):
                skipped.append(Phrase("next_skipped_period" if strictly else "next_skipped", village=_place(t, v, lang, village_place=True),
                                      date=end, **words))
            elif held.get((t, v), end) > date.isoformat():  # an objection settled after the period
                skipped.append(Phrase("next_skipped_objection", village=_place(t, v, lang, village_place=True), date=held[(t, v)],
                                      **words))
            else:
                ok.append((t, v))
        if not ok:
            continue
        if i == 0:
            entered = households
        else:
            entered = households[alive[state.proc.steps[i - 1].id].to_numpy()]
        keyed = entered.set_index(["township", "village"])
        chosen = keyed[keyed.index.isin(ok)].reset_index()
        period = (date, date + dt.timedelta(days=step.days - 1)) if step.has_period else None
        if step.scope == "village":
            for (t, v), part in chosen.groupby(["township", "village"], sort=False):  # in place order
                planned.append(Planned(step, t, v, in_posted_order(part) if step.posted else part, period))
        elif step.scope == "township":
            for t, part in chosen.groupby("township", sort=False):
                planned.append(Planned(step, t, "", part, period))
        else:
            planned.append(Planned(step, "", "", chosen, period))
    return _with_nobody_listed(state, progress, planned, skipped, date, lang)


def _with_nobody_listed(state: State, progress: pd.DataFrame, planned: list[Planned], skipped: list[Phrase],
                        date: dt.date, lang: Lang) -> tuple[list[Planned], list[Phrase]]:
    """`planned` with the 第一次公示 of each village with nobody left on its list before it (no candidate,
    or every one taken off at 民主评议 or 入户核实), once the county's first 公示 goes out (with it, or
    after it where a list emptied later): an empty list saying 本村无, with its 异议处理 sheet, where an
    objection that a household was left out (漏评) is recorded as on any other. Nothing follows it: the
    village has nobody for the township to review. None where the village has households the round
    could not decide (数据有误: its list is not known to be empty) or its township is blank (no place
    of its own to post it in): held back, said with why (an outside try posted 本村无 for 91 such
    households under 「(乡镇未填)人民政府」)."""
    step = next((s for s in state.proc.steps if s.objections), None)
    if state.proc.name != "entry" or step is None:
        return planned, skipped
    docs = state.documents
    if not (docs["step"].eq(step.id).any() or any(p.step.id == step.id for p in planned)):
        return planned, skipped
    at = state.proc.ids.index(step.id)
    # Given one already: a document of the step that is not void (its list changed since), or recorded.
    live = docs.loc[docs["step"].eq(step.id) & ~docs["id"].isin(state.stale["document"]), "id"]
    given = state.doc_villages[state.doc_villages["document"].isin(live)]
    recorded = state.current[(state.current["household"] < 0) & state.current["field"].eq("date")
                             & state.current["step"].eq(step.id) & state.current["new"].notna()]
    given = set(zip(given["township"], given["village"])) | set(zip(recorded["township"], recorded["village"]))
    # Per village whose list is empty: the step that emptied it and its day (none: no candidate at all).
    emptied = progress[(progress["remaining"] == 0) & (progress["last"] < at)]
    ended = {place: (state.proc.ids[last], emptied.at[place, f"date_{state.proc.ids[last]}"])
             for place, last in emptied["last"].items()}
    ended.update((place, ("round", state.round_date.isoformat())) for place in state.surveyed
                 if place not in progress.index)
    period = (date, date + dt.timedelta(days=step.days - 1))
    nobody = state.households.iloc[:0]
    added = []
    for place in state.surveyed:  # in the survey's order
        if place not in ended or place in given:
            continue
        previous, day = ended[place]
        if place in state.undecided or place in state.in_wan or not place[0]:
            skipped.extend(_held_undecided(place, state.undecided.get(place, 0), state.in_wan.get(place, 0), step,
                                           lang))
            continue
        if day > date.isoformat():  # its list emptied after that day
            skipped.append(Phrase("next_skipped", village=_place(*place, lang, village_place=True), date=day,
                                  step=label(f"step_{step.id}", lang), previous=label(f"step_{previous}", lang)))
            continue
        added.append(Planned(step, *place, nobody, period))
    if not added:
        return planned, skipped
    # Among the other villages' notices in the survey's order: a township's folder reads as its list does.
    order = {place: i for i, place in enumerate(state.surveyed)}
    posted = sorted([p for p in planned if p.step.id == step.id] + added,
                    key=lambda p: order.get((p.township, p.village), len(order)))
    return [p for p in planned if p.step.id != step.id] + posted, skipped


def _held_undecided(place: tuple[str, str], households: int, in_wan: int, step: Step, lang: Lang) -> list[Phrase]:
    """Why a village with nobody listed gets no 本村无 notice: households not decided, or decided on
    amounts typed in 万元 (each count named, as `register status` names it), or no township to post it under.
    A village left blank is named so (伏龙泉镇(行政村未填)): the township alone read as if its whole 公示 were held."""
    where = _place(*place, lang, village_place=True)
    said = [Phrase(key, step=label(f"step_{step.id}", lang),
                   village=label("status_unjudged_village", lang, place=where, households=f"{n:,}"))
            for key, n in (("next_held_undecided", households), ("next_held_in_wan", in_wan)) if n]
    return said or [Phrase("next_held_no_township", step=label(f"step_{step.id}", lang), village=where)]


def live_documents(state: State) -> pd.DataFrame:
    """The round's documents still out: printed, their step not recorded, neither void (stale) nor
    printed again since. What a folder of documents replaced must not lose; their names no later
    document takes."""
    return state.documents[state.documents["id"].isin(state.outstanding()["id"])]


def documents_out(state: State) -> pd.DataFrame:
    """The documents still out (live_documents), one row each, as `register next` and `register status`
    both say them: its step, scope, whose it is (`whose`: a township's form its township, the county's
    form the county, blank for a village's document, named by its township and village), the day
    issued, its file's hash, and the places it covers (villages, of them communities 社区). A township's
    form out is one document of its villages, never counted as one per village (an outside try: 10 more)."""
    columns = ["id", "step", "scope", "township", "village", "whose", "issued", "sha256", "villages", "communities"]
    out = state.outstanding()
    if out.empty:
        return pd.DataFrame(columns=columns)
    from ..outputs.places import this_place_words

    # 本社区 against 本村, read in one language: which is a 社区 is the name's, not the words'.
    community = this_place_words(out, "zh") != label("this_place_village", "zh")
    covers = out.assign(community=community).groupby("id").agg(villages=("community", "size"),
                                                                 communities=("community", "sum"))
    docs = live_documents(state).merge(covers, left_on="id", right_index=True)
    township = docs["township"].fillna("").astype(str)
    whose = np.where(docs["scope"].eq("township"), township,
                     np.where(docs["scope"].eq("county"), known_county(state) or "", ""))
    return docs.assign(township=township, village=docs["village"].fillna("").astype(str), whose=whose,
                       issued=docs["issued"].astype(str))[columns].reset_index(drop=True)


def _reprints(reg: db.Register, state: State, docs: pd.DataFrame) -> list[tuple[Planned, Lang]]:
    """Each of `docs` (documents out whose file is lost) as it was printed: its households in its
    order, its day and period, its file and its language."""
    rows = db.document_rows(reg, docs["id"].tolist())  # in each document's order
    out = []
    for doc in docs.to_dict("records"):
        keys = rows.loc[rows["document"] == doc["id"], "household"].to_numpy()
        households = state.by_household.loc[keys].reset_index()
        period = None
        if isinstance(doc["period_start"], str):
            period = (dt.date.fromisoformat(doc["period_start"]), dt.date.fromisoformat(doc["period_end"]))
        township, village = (doc[k] if isinstance(doc[k], str) else "" for k in ("township", "village"))
        out.append((Planned(state.proc[doc["step"]], township, village, households, period,
                            issued=dt.date.fromisoformat(doc["issued"]), file_name=doc["file_name"]), doc["lang"]))
    return out


def _doc_place(state: State, doc, lang: Lang) -> str:
    """Where a document is for: its village, its township, or the county (a row of the documents
    table, as a dict or a frame's row: a blank is None or NaN)."""
    township, village = (doc[k] if isinstance(doc[k], str) else "" for k in ("township", "village"))
    return _place(township, village, lang) if township else known_county(state) or label("unknown_county", lang)


def _place(township: str, village: str, lang: Lang, *, village_place: bool = False) -> str:
    """A place in words: a township's own (a township's form: no village) as its name alone; with
    `village_place`, a village's, whose blank village is named as `register status` names it
    (伏龙泉镇(行政村未填)), not as its township."""
    t = place_name(township, lang, "unknown_township")
    named = village or not township or village_place
    return f"{t}{place_name(village, lang, 'unknown_village')}" if named else t


def known_county(state: State) -> str | None:
    """The county as the survey names it (its 县(市、区) column, or its title); without one, as the
    register's other rounds name it; else the register's file name where it is a county's (a county
    names its register after itself: 农安县.db; 登记簿2026.db names none)."""
    def make():
        names = state.households["county"].dropna().astype(str)
        names = names[names != ""]
        return names.mode().iloc[0] if len(names) else state.register_county or county_in_name(state.register_name)
    return state.once("county", make)


def county_name(state: State, lang: Lang) -> str:
    """known_county, or a blank to write it in, as summary.xlsx leaves it."""
    return known_county(state) or label("summary_county_blank", lang)


def round_basis(round_row) -> str:
    """The document a round's rule set names as its basis (《…方案》, cited by the posted notices), as
    the round was screened: from the rules text the register keeps, else the shipped rule set of its
    id; '' where neither gives one."""
    text = round_row.get("rules_text")
    if isinstance(text, str) and text:
        return _basis_of_text(text, str(round_row.get("rules_file") or "rules.toml"))
    return _basis_of_shipped(str(round_row.get("rules_id") or ""))


@cache
def _basis_of_text(text: str, file: str) -> str:
    loaded = rules_from_text(text, Path(file))
    return loaded.rules.basis if loaded is not None else ""


@cache
def _basis_of_shipped(rules_id: str) -> str:
    if rules_id not in shipped_rule_sets():
        return ""
    try:
        return load_rules(rules_id).rules.basis
    except RulesError:
        return ""


def _params(state: State, plan: Planned, date: dt.date, lang: Lang, county: str) -> dict:
    h = plan.households
    members = pd.to_numeric(h["members"], errors="coerce").fillna(pd.to_numeric(h["residents"], errors="coerce"))
    r = state.round
    params = {"township": place_name(plan.township, lang, "unknown_township"),
              "village": place_name(plan.village, lang, "unknown_village"),
              "county": county, "count": len(h), "people": int(members.fillna(0).sum()),
              "year": int(r["year"]), "upper": bound_yuan(r["upper_fen"]),
              "lower": bound_yuan(r["lower_fen"]) if pd.notna(r["lower_fen"]) else "",
              "date": format_date(date, lang), "issued_text": format_date(date, lang), "days": plan.step.days or 0,
              "start": "", "end": ""}
    # The meeting the 会议记录's title names: a 社区's 居民代表大会, not a 村民代表大会 (the form's sheet
    # takes these params; the places stay as typed, so only the word).
    params["assembly"] = issuer_places(plan.township, plan.village, lang)["assembly"]
    params["basis"] = round_basis(r)
    if plan.period:
        params["start"], params["end"] = (format_date(d, lang) for d in plan.period)
    if plan.step.kind == "announcement":  # it says 无异议 only where no objection was raised
        objected, omitted, upheld = _objected(state).get((plan.township, plan.village), (0, 0, 0))
        # An upheld 漏评 is not on this list: it waits for the next survey, which the notice says.
        waiting = "" if not upheld else "_waiting" if upheld == omitted else "_some_waiting"
        params["objections"] = label("doc_no_objection", lang) if not objected else \
            label(f"doc_objections_settled_omitted{waiting}", lang, n=objected, omitted=omitted, upheld=upheld) \
            if omitted else label("doc_objections_settled", lang, n=objected)
    return params


def _objected(state: State) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Per village, the households objected to in its publicities (upheld or dismissed), counted once:
    those on its list, and those an objection said were left off it (漏评, a village's fact): a 公告
    saying 两次公示无异议 where a 漏评 was upheld is a false notice (an outside try). (All, of them
    those off the list, of those the ones upheld in either publicity): 对 2 户 where one was off it
    read as two listed households contested; an upheld one waits for the next survey."""
    def make():
        steps = [s.id for s in state.proc.steps if s.objections]
        h = state.households
        if not (steps and len(h)):
            return {}
        any_objection = state.household_facts("objection_result")[steps].notna().any(axis=1).to_numpy()
        counts = h.loc[any_objection, ["township", "village"]].value_counts()
        objected = {k: (int(n), 0, 0) for k, n in counts.items()}
        facts = state.current
        facts = facts[(facts["household"] < 0) & facts["step"].isin(steps)]
        omitted = facts[facts["new"].notna() & facts["field"].str.match(r"^omission_head(?:_\d+)?$")]
        heads = head_keys(omitted["new"])  # one head typed 瓜尔佳·文瑞 and 瓜尔佳•文瑞 counted once
        # Each objection's outcome: the omission_result of its slot (omission_head_2: omission_result_2).
        where = ["township", "village", "step", "field"]
        slots = omitted[where[:3]].assign(field=("omission_result" + omitted["field"].str.removeprefix("omission_head"))
                                          .to_numpy())
        results = slots.merge(facts[[*where, "new"]].drop_duplicates(where, keep="last"), on=where, how="left")["new"]
        per_head = omitted.assign(head=heads, upheld=results.eq("upheld").to_numpy()) \
            .groupby(["township", "village", "head"])["upheld"].any()
        for key, (n, upheld) in per_head.groupby(level=["township", "village"]).agg(["size", "sum"]).iterrows():
            listed, _, _ = objected.get(key, (0, 0, 0))
            objected[key] = (listed + int(n), int(n), int(upheld))
        return objected
    return state.once("objected", make)


def _file_key(state: State, plan: Planned, lang: Lang) -> tuple[str, str]:
    """What names a document's file, as a village names its list: (township, village) for a village's
    document, (township or county, the step) for a township's or the county's form."""
    if plan.step.scope == "village":
        return plan.township, plan.village
    first = plan.township if plan.step.scope == "township" else known_county(state) or label("unknown_county", lang)
    return first, label(f"step_{plan.step.id}", lang)


def _file_kind(step: Step, lang: Lang) -> str:
    """The word after the place in the file name of a village's document of `step` (民主评议), none for
    a township's or the county's form, whose name is the step's already."""
    return label(f"step_{step.id}", lang) if step.scope == "village" else ""


def issue_documents(reg: db.Register, out_dir: str | Path, date: dt.date, *, lang: Lang = "zh",
                    force: bool = False, reprint: bool = False, today: dt.date | None = None) -> NextOutcome:
    """`register next`: write every document due on `date` into `out_dir` (a folder per step, the
    folder whole or not at all) and record them as issued, in one transaction. Replacing a folder
    loses no document still out (live_documents) and no filled form recorded (db.recorded_form_hashes): each
    one it holds as printed, or as recorded, is carried into the new folder at its place. `reprint`:
    each document still out that the folder does not hold (its file lost) is printed again as it was
    (its day, period and list; a new copy of it, which the register records as issued and which is
    recorded as it would be)."""
    from ..pipeline import given_day, given_flag, given_lang, given_path  # as screen() takes them

    out_dir, lang = given_path(out_dir, "out_dir"), given_lang(lang)
    force, reprint = given_flag(force, "force"), given_flag(reprint, "reprint")
    date, today = given_day(date, "date"), given_day(today, "today") or dt.date.today()
    if date is None:
        raise UsageError("argument_not_a_day", name="date", value=repr(date))
    with reg.writing():
        states = [load_state(reg, track=t) for t in TRACKS]
        first = states[0]
        if date > today:
            raise UsageError("date_in_future", option="--date", date=date.isoformat(), today=today.isoformat())
        if date < first.round_date:
            raise UsageError("date_before_round", date=date.isoformat(), round_date=first.round["round_date"])
        per_state, skipped = [], []
        for state in states:
            planned, skipped_here = plan_documents(state, date, lang)
            skipped += skipped_here
            if planned:
                per_state.append((state, planned, lang))
        live = [live_documents(state) for state in states]
        # What is out, counted as documents (a township's form one, of its villages), the one reading
        # register status says too.
        waiting = pd.concat([documents_out(state) for state in states], ignore_index=True)
        everything = pd.concat(live, ignore_index=True)
        if not per_state and not (reprint and any(len(docs) for docs in live)):
            # Nothing written: whether the folder holds them is only looked at, so that a document in
            # its folder is not taken for lost.
            found = set(files_with_hashes(out_dir, set(everything["sha256"])).values())
            return NextOutcome(None, {}, skipped, waiting.assign(held=waiting["sha256"].isin(found)),
                               due_later=_due_later(states, lang))
        recorded = db.recorded_form_hashes(reg)
        _refuse_step_folder(out_dir, lang)
        with reserved(out_dir):  # what the folder holds is read once nothing else can change it
            try:
                check_target(out_dir, [reg.path], force, issued=lambda: db.issued_hashes(reg) | set(recorded))
            except OutputError as exc:  # said as --force does it here: the documents still out stay
                if exc.key == "output_holds_filled_documents":  # said without the recorded ones, kept
                    raise OutputError("reg_next_folder_unrecorded", path=exc.params["path"], count=exc.params["count"],
                                      files=_why_not_kept(reg, out_dir, exc.params["files"])) from None
                if exc.key != "output_exists":
                    raise
                raise OutputError("reg_next_folder_exists", path=str(out_dir)) from None
            # Kept where they are: the documents still out as printed and the filled forms recorded
            # (the round's paper trail). Let go, and said: the forms recorded as printed (a publicity
            # with no objection), whose every word the register holds.
            out, as_printed = set(everything["sha256"]), db.recorded_as_printed(reg)
            # Every document printed, read with the rest: the blank copies it held go too, and are said.
            found = files_with_hashes(out_dir, out | set(recorded) | set(as_printed) | db.issued_hashes(reg))
            held = {name: sha for name, sha in found.items() if sha in out or sha in recorded}
            kept = {name: sha for name, sha in held.items() if sha not in recorded}
            kept_recorded = {name: sha for name, sha in held.items() if sha in recorded}
            gone = {name: sha for name, sha in found.items() if name not in held and sha in as_printed}
            blank = {name: sha for name, sha in found.items() if name not in held and sha not in as_printed}
            lost = [docs[~docs["sha256"].isin(set(kept.values()))] if reprint else docs.iloc[:0] for docs in live]
            again = []  # printed first, so that each keeps its document's file name
            for state, docs in zip(states, lost):
                by_lang: dict[str, list[Planned]] = {}
                for plan, doc_lang in _reprints(reg, state, docs):
                    by_lang.setdefault(doc_lang, []).append(plan)
                again += [(state, planned, doc_lang) for doc_lang, planned in by_lang.items()]
            waiting = waiting.assign(held=waiting["sha256"].isin(set(kept.values())))
            if not per_state and not again:
                return NextOutcome(None, {}, skipped, waiting, due_later=_due_later(states, lang))
            # Names no new document takes: the files carried over and those of the documents still out.
            # By file name alone (→ its folder): gathered into one folder, the step folders are gone.
            taken = {PurePosixPath(name).name.casefold(): str(PurePosixPath(name).parent).casefold()
                     for name in [*held, *(name for docs, gone in zip(live, lost)
                                           for name in docs.loc[~docs["id"].isin(gone["id"]), "file_name"])]}
            with staged_folder(out_dir) as staging:
                plans, doc_rows, docs, all_planned = [], [], [], []
                for state, planned, batch_lang in again + per_state:
                    p, r, d = _document_plans(reg, state, planned, staging, date, batch_lang, taken)
                    r["document"] += sum(len(x) for x in docs)  # a document's position among all of them
                    plans += p
                    doc_rows.append(r)
                    docs.append(d)
                    all_planned += planned
                docs, doc_rows = pd.concat(docs, ignore_index=True), pd.concat(doc_rows, ignore_index=True)
                run_tasks([("register_next", write_document, (plan,)) for plan in plans])
                carry_files(out_dir, staging, held)
                docs["sha256"] = [file_sha256(plan.path) for plan in plans]
                # Where it printed, kept with the changeset: the folder the advice after record and status names
                # again (views.last_printed).
                changeset = db.add_changeset(reg, "register next --reprint" if again else "register next",
                                             source_file=str(Path(out_dir).resolve()))
                docs["changeset"] = changeset
                db.add_documents(reg, docs, doc_rows)
                reg.commit()
        written: dict[str, tuple[int, int, Path]] = {}
        reprinted: dict[str, tuple[int, int, Path]] = {}
        for plan, p in zip(all_planned, plans):
            said = reprinted if plan.file_name else written
            n, households, folder = said.get(plan.step.id, (0, 0, out_dir / p.path.parent.relative_to(staging)))
            said[plan.step.id] = (n + 1, households + len(plan.households), folder)
        steps = dict(zip(everything["sha256"], everything["step"]))
        carried: dict[str, tuple[int, Path]] = {}
        for name, sha in kept.items():
            n, folder = carried.get(steps[sha], (0, out_dir / PurePosixPath(name).parent))
            carried[steps[sha]] = (n + 1, folder)
        kept_forms: dict[str, tuple[int, Path]] = {}  # said as `carried` is
        for name, sha in kept_recorded.items():
            n, folder = kept_forms.get(recorded[sha], (0, out_dir / PurePosixPath(name).parent))
            kept_forms[recorded[sha]] = (n + 1, folder)
        let_go: dict[str, tuple[int, Path]] = {}
        for name, sha in gone.items():
            n, folder = let_go.get(as_printed[sha], (0, out_dir / PurePosixPath(name).parent))
            let_go[as_printed[sha]] = (n + 1, folder)
        removed: dict[str, tuple[int, int, Path]] = {}
        steps_of = db.printed_steps(reg, set(blank.values()))
        for name, sha in blank.items():
            step, was_recorded = steps_of[sha]
            n_recorded, n_other, folder = removed.get(step, (0, 0, out_dir / PurePosixPath(name).parent))
            removed[step] = (n_recorded + was_recorded, n_other + (not was_recorded), folder)
        no_review = []
        if "review" in written:
            for t, v in db.villages_without_step(reg, first.round_id, "review"):
                if (t, v) in first.in_wan:  # nobody to review on figures in doubt: held, said why, not "nobody"
                    skipped.extend(_held_undecided((t, v), 0, first.in_wan[(t, v)], first.proc["review"], lang))
                else:
                    no_review.append((t, v, first.undecided.get((t, v), 0)))
        gone_state = states[TRACKS.index("gone")]
        gone_plans = [plan for state, planned, _ in per_state if state is gone_state for plan in planned]
        unsurveyed = _villages_unsurveyed(reg, gone_state, gone_plans) if gone_plans else None
    return NextOutcome(out_dir, written, skipped, waiting, carried, reprinted, kept_forms, let_go, no_review=no_review,
                       removed=removed, unsurveyed=unsurveyed, year=int(first.round["year"]))


def _villages_unsurveyed(reg: db.Register, state: State, planned: list[Planned]) -> pd.DataFrame | None:
    """Of the villages whose 未调查户核实 forms are printed now (`planned`), those the round's survey has
    no row of at all and that were not merged into another (years.unsurveyed_villages, as the screen
    judged them): the round's changes of their registered households, with village_unsurveyed, for
    changes.unsurveyed_sentences; None for none. The comparison's column is not stored: judged again
    from the round's surveyed villages and each household's place before the round and in it."""
    from .years import round_places, stored_changes_of_villages, unsurveyed_townships, unsurveyed_villages

    printed = pd.DataFrame([(p.township, p.village) for p in planned], columns=["township", "village"])
    h = state.households.merge(printed.drop_duplicates(), on=["township", "village"])
    places = round_places(reg, state.round_id)
    # First the missing households alone (no read of the county): most years no village is without rows.
    alone = h.rename(columns={"township": "previous_township", "village": "previous_village"}) \
        .assign(change=GONE_CHANGE, merged_village="")
    if not unsurveyed_villages(alone, places).any():
        return None
    villages = pd.MultiIndex.from_frame(alone[["previous_township", "previous_village"]].drop_duplicates())
    table = stored_changes_of_villages(reg, state.round_id, villages, places)
    table["village_unsurveyed"] = unsurveyed_villages(table, places)
    table["township_unsurveyed"] = unsurveyed_townships(table, places)
    return table if table["village_unsurveyed"].any() else None


def _why_not_kept(reg: db.Register, out_dir: Path, names: list[str]) -> Lines:
    """Each file named (those check_target shows, "…" after them) with why it stops the folder, as the
    register tells by the document the file says it is: none of this register's; a document never
    recorded (filled in where it was printed); or one recorded from another file (changed since, or
    only opened and saved again: which, `register record` tells by reading it)."""
    shown = [name for name in names if name != "…"]
    found = {}
    for name in shown:  # a handful at most (check_target shows so many)
        try:
            found[name] = open_filled(out_dir / name).identity
        except OSError:
            found[name] = None
    ids = [i.doc_id for i in found.values() if i is not None and i.register_id in (None, reg.register_id)]
    printed, recorded = db.documents_by_id(reg, ids), db.recorded_documents(reg, ids)
    lines = []
    for name, ident in found.items():
        doc_id = ident.doc_id if ident is not None and ident.register_id in (None, reg.register_id) else None
        key = "reg_next_file_not_printed" if doc_id not in printed else \
            "reg_next_file_recorded_other" if doc_id in recorded else "reg_next_file_not_recorded"
        lines.append(Phrase(key, file=name))
    return Lines(lines + (["…"] if len(shown) < len(names) else []))


def _document_plans(reg: db.Register, state: State, planned: list[Planned], staging: Path, date: dt.date,
                    lang: Lang, taken: dict[str, str]) -> tuple[list[DocumentPlan], pd.DataFrame, pd.DataFrame]:
    """The documents of `planned`, in `staging`: a document printed again where its file was, a new one
    named as its village's list is (places.village_file_names) with its step's word after the place
    (合隆镇-前岗村-民主评议.xlsx: Excel opens no two files of one name at once) in its step's folder,
    neither taking a name of `taken` (_distinct_name); their rows and their lines of the documents table."""
    plans, rows, docs = [], [], []
    by_folder: dict[str, list[int]] = {}
    keys = []
    for i, plan in enumerate(planned):
        keys.append(_file_key(state, plan, lang))
        if plan.file_name is None:
            by_folder.setdefault(label(plan.step.folder, lang), []).append(i)
    paths: list[Path] = [staging / _distinct_name(p.file_name, p.issued or date, taken) if p.file_name else staging
                         for p in planned]
    for folder, indexes in by_folder.items():
        # One naming rule for every output (bounded, unique, valid on Windows): places.village_file_names.
        mine = pd.DataFrame([keys[i] for i in indexes], columns=["township", "village"])
        step = planned[indexes[0]].step  # a folder is one step's
        # A township's or the county's form names its step already (_file_key): the kind once.
        names = village_file_names(mine, lang, _file_kind(step, lang))
        for i in indexes:
            paths[i] = staging / _distinct_name(f"{folder}/{names[keys[i]]}", date, taken, folder)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
    # The printed cells and row hashes of a step's documents, made once for all of them (masking
    # and hashing column-wise over the whole step), then cut into one part per document.
    county = county_name(state, lang)
    for step_id in dict.fromkeys(p.step.id for p in planned):
        mine = [i for i, p in enumerate(planned) if p.step.id == step_id]
        step = planned[mine[0]].step
        everyone = pd.concat([planned[i].households for i in mine], ignore_index=True)
        sizes = [len(planned[i].households) for i in mine]
        if "split_off" in step.columns:  # the meeting hears where a household split off from (拆户?)
            everyone = _with_split_from(reg, state.round_id, everyone)
        if "earlier" in step.columns:  # the meeting hears of one that left the register before (退出, 销户)
            everyone = with_left_before(reg, state.round_id, everyone, lang)
        if "gone_lead" in step.columns:  # the verifier hears where its people were found (并入「宋涛」户?)
            everyone = everyone.assign(gone_lead=_gone_leads(reg, state.round_id, everyone))
        if "support_measures" in step.columns:  # the exit meeting weighs the support each received
            days = [(planned[i].issued or date).isoformat() for i in mine]
            everyone = _with_measures(reg, everyone, np.repeat(days, sizes), lang)
        # The exit meeting and visit hear of an exit turned down before; a posted list does not (the
        # reason written then may be a family's illness).
        if "exit_reason" in step.columns and not step.posted:
            everyone = with_exit_refused(reg, state.round_id, everyone, lang)
        if "income_history" in printed_keys(step):  # the exit meeting's list: the years before
            everyone = with_income_years(reg, state.round_id, everyone, lang)
        printed = printed_rows(everyone, step, lang)
        first = np.repeat(np.r_[0, np.cumsum(sizes)[:-1]], sizes)
        printed["seq"] = np.arange(len(printed)) - first + 1  # numbered from 1 in each document
        cells = identity_cells(printed, step, lang)
        hashes = row_hashes(cells).to_numpy()
        table = ColumnLists.of(printed)  # the cells as lists, their kinds decided once for the step
        keys = everyone["household"].to_numpy()
        ident_all = pd.concat([pd.DataFrame({"seq": printed["seq"].to_numpy(), "key": keys, "hash": hashes}), cells,
                               shown_cells(printed, step)], axis=1)
        rows.append(pd.DataFrame({"document": np.repeat(mine, sizes), "seq": printed["seq"].to_numpy(),
                                  "household": keys, "row_hash": hashes}))
        offset = 0
        for i, size in zip(mine, sizes):
            plan, path = planned[i], paths[i]
            part = slice(offset, offset + size)
            offset += size
            doc_id = str(uuid.uuid4())
            identity = Identity(doc_id=doc_id, step=step.id, scope=step.scope, township=plan.township,
                                village=plan.village, round=state.round_id, register_id=reg.register_id,
                                sheet=label(f"sheet_{step.id}", lang), headers=tuple(cells.columns),
                                rows=ident_all.iloc[part])
            day = plan.issued or date
            plans.append((i, DocumentPlan(step.id, lang, path, _params(state, plan, day, lang, county),
                                          table[part], identity)))
            docs.append((i, {"doc_id": doc_id, "round": state.round_id, "step": step.id, "scope": step.scope,
                             "township": plan.township if step.scope != "county" else None,
                             "village": plan.village if step.scope == "village" else None,
                             "issued": day.isoformat(),
                             "period_start": plan.period[0].isoformat() if plan.period else None,
                             "period_end": plan.period[1].isoformat() if plan.period else None,
                             "file_name": path.relative_to(staging).as_posix(), "lang": lang}))
    plans = [p for _, p in sorted(plans, key=lambda x: x[0])]
    docs = [d for _, d in sorted(docs, key=lambda x: x[0])]
    return plans, pd.concat(rows, ignore_index=True), pd.DataFrame(docs)


# ---------------------------------------------------------------------------------------------
# register record: a filled document back into the register


class _Reading:
    """A document being checked: its problems and the facts it states."""

    def __init__(self, filled: FilledDocument, state: State, doc: dict, step: Step, lang: Lang, today: dt.date,
                 reg: db.Register):
        self.filled, self.state, self.doc, self.step, self.lang, self.today = filled, state, doc, step, lang, today
        self.reg = reg  # what hangs on the procedure's last step (the measures) is read from it
        self.doc_lang: Lang = doc.get("lang") or lang  # the language its sheets are named in
        self.problems: list[Problem] = []
        self.facts: list[dict] = []
        self.sheet = ""
        self.columns: dict[str, int] = {}
        # The household table's header row and its printed columns (key → column), as _read_rows found them.
        self.header_at = -1
        self.printed: dict[str, int] = {}
        self.notes: list[Phrase] = []  # what recording it did that the clerk must know (a period moved)
        # Posted late, its period counted from the posting and not over yet: passed over, saying when.
        self.waiting: Phrase | None = None
        # household → (sheet, row, col) of the cell that decides it here, for a refusal of its change to name
        self.decision_cells: dict[int, tuple[str, int, int | None]] = {}
        self.reason_cells: dict[int, tuple[str, int, int | None]] = {}
        self.table = ""  # the sheet holding the printed rows (_check_sheets)

    def problem(self, key: str, *, sheet: str = "", row: int | None = None, col: int | None = None,
                who: tuple | None = None, about: str | None = None, within: tuple[str, dict] | None = None,
                **params):
        """A problem at a cell (or a row); `who`, (序号, name), says whose row it is; `about`, whose
        objection (a row of the 异议处理 sheet); `within`, (phrase key, its params), what it follows
        from (a late posting that moved the period's end)."""
        cell = cell_name(row, col) if row is not None and col is not None else \
            (Phrase("rp_at_row", row=row + 1) if row is not None else "")
        what = Phrase(key, **params)
        if within is not None:
            what = Phrase(within[0], **within[1], what=what)
        if who is not None:
            what = Phrase("rp_of_row", seq=who[0], name=who[1], what=what)
        if about is not None:
            what = Phrase("rp_objection_about", name=about, what=what)
        self.problems.append(Problem(self.filled.name, what, sheet, cell))

    def date_example(self, value) -> dict:
        """rp_date_bad's example, in the year of this document."""
        return date_example(value, dt.date.fromisoformat(self.doc["issued"]))

    def fact(self, fld: str, new, effective: dt.date | None, *, household: int = -1, township: str = "",
             village: str = "") -> None:
        self.facts.append({"household": household, "township": township, "village": village, "step": self.step.id,
                           "field": fld, "new": None if new in (None, "") else str(new),
                           "effective": effective.isoformat() if effective else None})


def _check_date(reading: _Reading, day: dt.date, field_label: str, villages: Sequence[tuple[str, str]], *,
                sheet: str, row: int | None, col: int | None, who: tuple | None = None) -> bool:
    """A step's date: not in the future, not before the round, after the previous step of every
    village it concerns. Says what is wrong (of `who`'s row, where it is a household's); returns
    whether it is right."""
    state, step = reading.state, reading.step
    where = {"sheet": sheet, "row": row, "col": col, "who": who}
    if day > reading.today:
        reading.problem("rp_date_future", field=field_label, date=day.isoformat(), today=reading.today.isoformat(), **where)
        return False
    if day < state.round_date:
        reading.problem("rp_date_before_round", field=field_label, date=day.isoformat(),
                        round_date=state.round_date.isoformat(), **where)
        return False
    ok = _before_next(reading, day, field_label, villages, where)
    prev = state.proc.previous(step.id)
    if prev is not None:
        ok = _after_previous(reading, day, field_label, villages, prev, where) and ok
    issued = reading.doc["issued"]
    if ok and day.isoformat() < issued and step.dated_by_village:  # a meeting or a review of a list not printed yet
        reading.problem("rp_date_before_issued_list", field=field_label, date=day.isoformat(), issued=issued,
                        step=label(f"step_{step.id}", reading.lang), **where)
        ok = False
    elif ok and day.isoformat() < issued:  # a visit with a form not printed yet
        reading.problem("rp_date_before_issued", field=field_label, date=day.isoformat(), issued=issued, **where)
        ok = False
    return ok


def _after_previous(reading: _Reading, day: dt.date, field_label: str, villages: Sequence[tuple[str, str]],
                    prev: Step, where: dict) -> bool:
    """A step's date after the previous step of every village it concerns (after a publicity's
    period, and an objection settled late). Says what is wrong; returns whether it is right."""
    state = reading.state
    ends = state.village_fact("date", prev.id)
    starts = state.village_fact("period_start", prev.id)
    held = state.held_until(prev.id)
    found: list[tuple[str, dict, tuple[str, str]]] = []
    for t, v in villages:
        end = ends.get((t, v))
        if end is None:
            continue  # said once, by the order check
        end_day = dt.date.fromisoformat(end)
        start = starts.get((t, v))
        if prev.has_period and start and day.isoformat() < start:  # before the posting: not "inside" it
            after = (end_day + dt.timedelta(days=1)).isoformat()
            found.append(("rp_date_before_period", {"start": start, "end": end, "after": after}, (t, v)))
        elif prev.has_period and day <= end_day:
            found.append(("rp_date_in_period", {"start": start, "end": end}, (t, v)))
        elif day < end_day:
            found.append(("rp_date_before_previous", {"previous": end}, (t, v)))
        elif day.isoformat() < held.get((t, v), end):  # an objection settled after the period
            found.append(("rp_date_before_settled", {"settled": held[(t, v)]}, (t, v)))
    _say_per_village(reading, found, {"field": field_label, "date": day.isoformat(),
                                      "step": label(f"step_{prev.id}", reading.lang)}, where)
    return not found


def _before_next(reading: _Reading, day: dt.date, field_label: str, villages: Sequence[tuple[str, str]],
                 where: dict, recorded_printed: bool = True) -> bool:
    """A step's date (an amended one above all) not after the next step of any village it concerns:
    the next step recorded (a publicity: its period's start), or its document printed, after this
    step was recorded (out, or recorded too where `recorded_printed`: an objection settled after the
    next step's form was printed may still be settled by the day that step was recorded). Says what
    is wrong; returns whether it is right."""
    state, step, lang = reading.state, reading.step, reading.lang
    at = state.proc.index(step.id)
    if at + 1 >= len(state.proc.ids):
        return _before_measures(reading, day, field_label, villages, where) if state.proc.name == "entry" else True
    nxt = state.proc.steps[at + 1]
    dates = state.village_fact("date", nxt.id)
    starts = state.village_fact("period_start", nxt.id)
    def make():  # checked per row of a visit form: found once
        out = state.outstanding()
        out = out[out["step"] == nxt.id]
        waiting = dict(zip(zip(out["township"], out["village"]), out["issued"]))
        # Where the next step is recorded: the first of its documents printed (none stale): none could be
        # printed before this step was recorded, so this step's date is not after it (a meeting amended
        # past the 入户核实 form's print date is refused even once the visits are in).
        docs = state.documents
        docs = docs[(docs["step"] == nxt.id) & ~docs["id"].isin(state.stale["document"])]
        printed = state.doc_villages.merge(docs[["id", "issued"]], left_on="document", right_on="id")
        first = printed.groupby(["township", "village"])["issued"].min()
        return waiting, dict(zip(first.index, first.to_numpy()))
    waiting, printed = state.once(("issued", nxt.id), make)
    found: list[tuple[str, dict, tuple[str, str]]] = []
    for t, v in villages:
        later = dates.get((t, v))
        if later is not None and nxt.has_period and day.isoformat() > (starts.get((t, v)) or later):
            found.append(("rp_date_after_next_period", {"start": starts.get((t, v)) or later, "end": later}, (t, v)))
        elif later is not None and not nxt.has_period and day.isoformat() > later:
            found.append(("rp_date_after_next", {"later": later}, (t, v)))
        elif later is None and (t, v) in waiting and day.isoformat() > str(waiting[(t, v)]):
            found.append(("rp_date_after_next_issued", {"issued": str(waiting[(t, v)])}, (t, v)))
        elif later is not None and recorded_printed and (t, v) in printed and day.isoformat() > str(printed[(t, v)]):
            found.append(("rp_date_after_next_issued", {"issued": str(printed[(t, v)])}, (t, v)))
    _say_per_village(reading, found, {"field": field_label, "date": day.isoformat(),
                                      "step": label(f"step_{nxt.id}", lang)}, where)
    return not found


def _say_per_village(reading: _Reading, found: list[tuple[str, dict, tuple[str, str]]], words: dict,
                     where: dict) -> None:
    """Problems of one date found village by village (a township's or the county's form): each said
    once for the villages it holds for alike, naming them compactly, not once per village at one cell."""
    alike: dict[tuple, list[tuple[str, str]]] = {}
    for key, params, place in found:
        alike.setdefault((key, tuple(params.items())), []).append(place)
    for (key, params), places in alike.items():
        reading.problem(key, village=_places(places, reading.lang), **words, **dict(params), **where)


def _places(places: Sequence[tuple[str, str]], lang: Lang, shown: int = 3) -> str:
    """Villages named compactly: the first `shown`, a township's name once for its villages in a run
    (高家店镇红星村、兴隆村), then how many in all."""
    names, township = [], None
    for t, v in places[:shown]:
        names.append(place_name(v, lang, "unknown_village") if t == township and v else _place(t, v, lang))
        township = t
    text = label("list_sep", lang).join(names)
    return label("rp_villages_more", lang, places=text, count=len(places)) if len(places) > shown else text


def _before_measures(reading: _Reading, day: dt.date, field_label: str, villages: Sequence[tuple[str, str]],
                     where: dict) -> bool:
    """The entry's last step (the 公告) dated anew: its date is the day its households entered the
    register, and no measure begins before that (compare_measures refuses one). A measure recorded
    from the day it stands at now that would begin before the new day: said, one per village with
    the count of the others; returns whether there is none."""
    state, lang = reading.state, reading.lang
    final = state.proc.ids[-1]
    entered = state.held_until(final)

    def make():  # the measures of the households this round entered: read once
        listed = state.households.loc[state.alive()[final].to_numpy(), ["household", "township", "village",
                                                                         "head_name"]]
        found = current_measures(reading.reg, listed["household"].tolist()) if len(listed) else None
        if found is None or found.empty:
            return pd.DataFrame(columns=["household", "type", "model", "content", "start", "township", "village",
                                         "head_name"])
        return found.merge(listed, on="household").sort_values(["start", "household"], kind="stable")
    measures = state.once("entered_measures", make)
    ok = True
    for t, v in villages:
        since = entered.get((t, v))
        if since is None or not len(measures):
            continue
        # Begun on or after the day held now (a measure before it is an older registration's) and before the new one.
        early = measures[(measures["township"] == t) & (measures["village"] == v) & (measures["start"] >= since)
                         & (measures["start"] < day.isoformat())]
        if early.empty:
            continue
        first = early.iloc[0]
        others = Phrase("rp_date_after_measure_others", count=len(early) - 1) if len(early) > 1 else ""
        reading.problem("rp_date_after_measure", field=field_label, date=day.isoformat(), name=first["head_name"],
                        village=_place(t, v, lang), measure=measure_in_words(first, lang), start=first["start"],
                        others=others, **where)
        ok = False
    return ok


# The signature line printed for the person a form field names (审核人(签字): for 审核人姓名).
SIGNED_ON = {"township_reviewer": "sign_reviewer", "county_reviewer": "sign_county_reviewer"}


def _signed_name(reading: _Reading, cells: list[list], key: str) -> str:
    """The name written after the signature line printed for field `key` (审核人(签字):王丽 2019.12.12
    gives 王丽; a form printed before reads its earlier words), '' where none is: the clerk who signed
    and left the field blank is shown what was signed."""
    sign = SIGNED_ON.get(key)
    if sign is None:
        return ""
    printed = [bare_text(label(k, reading.doc_lang)) for k in (sign, *PRINTED_BEFORE.get(sign, ()))]
    for line in cells:
        for value in line:
            text = bare_text(value)
            # An opinion or a remark after the role (审核人:不同意, 户主去世) is no name signed.
            if any(text.startswith(p) and len(text) > len(p) for p in printed) and is_signature_line([value]):
                rest = next(text[len(p):] for p in printed if text.startswith(p))
                name = re.match(r"[^\d_〇○]*", rest).group()  # the name, not the day signed after it
                if name:
                    return name
    return ""


def _read_form_field(reading: _Reading, cells: list[list], sheet: str, f) -> tuple[object, bool]:
    """A form field's value (a date, a count or text) and whether it was read."""
    lang = reading.lang
    name = label(f.key, lang)
    found = find_form_value(cells, f.key, reading.filled.merges.get(sheet, ()))
    if found is None:
        typed = find_label_with_value(cells, f.key)
        if typed is not None:  # the value typed into the label's own cell: nothing was deleted
            value, row, col = typed
            # The cell to fill is past the label's merged range (审核日期 spans A:B below a table: C).
            end = merged_end(reading.filled.merges.get(sheet, ()), row, col)
            reading.problem("rp_field_in_label", field=name, value=value, right=cell_name(row, end + 1),
                            sheet=sheet, row=row, col=col)
            return None, False
        if f.older_forms_lack:  # printed before the form had it (审核人姓名): recorded without it, said
            reading.notes.append(Phrase("rp_field_not_on_form", step=label(f"step_{reading.step.id}", lang), field=name))
            return None, True
        reading.problem("rp_field_label_missing", field=name, sheet=sheet)
        return None, False
    value, row, col = found
    if cell_text(value) == "":
        if f.required:
            signed = _signed_name(reading, cells, f.key)
            if signed:  # signed on the printed line: offered, never taken (a signature is not the field)
                reading.problem("rp_field_missing_signed", field=name, name=signed, cell=cell_name(row, col),
                                sheet=sheet, row=row, col=col)
            else:
                reading.problem("rp_field_missing", field=name, sheet=sheet, row=row, col=col)
            return None, False
        return None, True
    if f.kind == "date":
        day = parse_date(value)
        if day is None:
            reading.problem("rp_date_bad", field=name, value=cell_text(value), sheet=sheet, row=row, col=col,
                            **reading.date_example(value))
            return None, False
        return (day, row, col), True
    if f.kind == "count":
        n = parse_count(value)
        if n is None:
            reading.problem("rp_count_bad", field=name, value=cell_text(value), sheet=sheet, row=row, col=col)
            return None, False
        return n, True
    return cell_text(value), True


def _table(reading: _Reading) -> tuple[str, list[list], int] | None:
    """The household table: (sheet, cells, header row index): the sheet `_check_sheets` found holding
    the printed rows, else the printed sheet, else the first with a household table."""
    sheets = reading.filled.sheets
    names = [reading.table] if reading.table in sheets else []
    names += [reading.filled.identity.sheet] if reading.filled.identity.sheet in sheets else []
    names += [n for n in sheets if n not in names]
    for name in names:
        header = find_header(sheets[name], "head_name")
        if header is not None:
            return name, sheets[name], header
    reading.problem("rp_no_table", header=label("head_name", reading.lang))
    return None


def _read_rows(reading: _Reading, expected: dict[int, dict]) -> list[dict] | None:
    """The printed rows as filled in, matched to the household each was printed for by its 序号, the
    identity cells checked against the row hash. One dict per row: `at` (the row's index), seq,
    household, township, village, head_name, and the cells of the step's fill-in columns. A document
    holds a few dozen rows: plain Python, no frame per document."""
    found = _table(reading)
    if found is None:
        return None
    sheet, cells, header_at = found
    reading.sheet = sheet
    step, lang = reading.step, reading.lang
    header = cells[header_at]
    columns: dict[str, int] = {}
    for key in step.identity:
        j = find_column(header, key)
        if j is None:
            reading.problem("rp_column_missing", header=label(key, lang), sheet=sheet, row=header_at)
            return None
        columns[key] = j
    fill: dict[str, int] = {}
    if step.decision is not None:
        d = step.decision
        # The column headed as the form printed it (评议结果 over (同意/不同意)), not the first whose
        # header begins alike: 评议结果2 added left of it, a first show of hands, is a remark (_remarks).
        found = find_columns(header, d.column, printed=decision_headers(d))
        if len(found) != 1:
            _column_not_told(reading, found, header, header_at, d.column,
                             next(h for h in decision_headers(d) if h.startswith(label(d.column, reading.doc_lang))))
            return None
        fill["decision"] = j = found[0]
        # Its reason's: headed as printed (备注, 不属实情况说明), not 备注2 added before it; where none is (a
        # form printed before, or its header edited), the one header right of it with a reason's word.
        found = [k for k in range(j + 1, len(header)) if folded_cell(header[k]) in label_texts(d.reason)] or \
            [k for k in range(j + 1, len(header))
             if cell_text(header[k]) and reading.state.proc.is_reason_header(cell_text(header[k]))]
        if len(found) != 1:
            if not found:
                reading.problem("rp_reason_column_missing", header=label(d.column, lang), sheet=sheet, row=header_at)
            else:
                _column_not_told(reading, found, header, header_at, d.reason, label(d.reason, reading.doc_lang))
            return None
        fill["reason"] = found[0]
    for f in step.row_fields:
        j = find_column(header, f.key)
        if j is None:
            reading.problem("rp_column_missing", header=label(f.key, lang), sheet=sheet, row=header_at)
            return None
        fill[f.key] = j
    reading.columns = {**columns, **fill}
    reading.header_at = header_at
    # The step's columns, and those its identity kept as printed (shown:residents): a document printed
    # before a column changed (the 第一次公示's 常住人口数, now 家庭人口数) reads as it was printed.
    kept = reading.filled.identity.rows if reading.filled.identity is not None else None
    before = [c[len(SHOWN):] for c in (kept.columns if kept is not None else ()) if c.startswith(SHOWN)]
    reading.printed = {key: j for key in dict.fromkeys((*step.columns, *before))
                       if (j := columns[key] if key in columns else find_column(header, key)) is not None}
    seq_col, name_col = columns["seq"], columns["head_name"]
    records, unnumbered = [], []
    for i in range(header_at + 1, len(cells)):
        row = cells[i]
        get = lambda j: row[j] if j < len(row) else ""  # noqa: E731
        seq = parse_count(get(seq_col))
        if seq is None:
            if cell_text(get(name_col)):
                unnumbered.append(i)
            continue
        record = {"at": i, "seq": seq, "ids": [get(j) for j in columns.values()]}
        record.update({k: get(j) for k, j in fill.items()})
        records.append(record)
    own = {id(r) for r in records if r["seq"] in expected and row_matches(r["ids"], expected[r["seq"]]["row_hash"])}
    # Another village's list of this step in this one's workbook (东升村's rows under 三合村's identity):
    # said once as that, not as a row deleted and names, IDs and groups changed on every other.
    other = _list_of_other_village(reading, [r for r in records if id(r) not in own], len(records), len(expected))
    if other is not None:
        reading.problem("rp_list_other_village", sheet=sheet, **other)
        return None
    # A row without 序号 is a household added, unless it is below the last household and signs the list
    # (审核人:王丽 2020.11.20 typed under 户主姓名).
    last = max((r["at"] for r in records), default=header_at)
    _totals_passed_over(reading, header_at, last, sheet)
    for i in unnumbered:
        if not signs_the_list(cells, i, last):
            reading.problem("rp_row_no_seq", name=cell_text(cells[i][name_col]), sheet=sheet, row=i, col=seq_col)
    # Matched to the printed rows by 序号.
    counts = Counter(r["seq"] for r in records)
    for r in records:
        if counts[r["seq"]] > 1:
            reading.problem("rp_row_twice", seq=r["seq"], sheet=sheet, row=r["at"], col=seq_col)
        elif r["seq"] not in expected:  # a row added below the list, numbered on: whose, and where it goes instead
            reading.problem("rp_row_added", seq=r["seq"], count=len(expected), sheet=sheet, row=r["at"], col=seq_col,
                            name=(cell_text(cells[r["at"]][name_col]) if name_col < len(cells[r["at"]]) else "") or "—",
                            objections=label("sheet_objections", reading.doc_lang),
                            outside=label("outside_list_word", lang))
    present = {r["seq"] for r in records}
    # A list that decides nothing and takes no objection (the 公告): a household comes off it by the
    # step before that decided, amended to its no, and the list printed again.
    decider = None if step.kind == "decision" or step.objections else _last_decision_step(reading)
    for seq, e in expected.items():
        if seq not in present and decider is not None:
            reading.problem("rp_row_missing_posted", seq=seq, name=e["head_name"], sheet=sheet,
                            decider=label(f"step_{decider.id}", lang), file=_step_file(reading, decider, e),
                            column=label(decider.decision.column, lang), no=decider.decision.word("no", lang),
                            step=label(f"step_{step.id}", lang))
        elif seq not in present:
            # Where the step decides, what to do instead: its own no, in its own column, on the household's row.
            said = {"column": label(step.decision.column, lang), "no": step.decision.word("no", lang)} \
                if step.kind == "decision" and step.decision is not None else {}
            reading.problem("rp_row_missing_decision" if said else "rp_row_missing",
                            seq=seq, name=e["head_name"], sheet=sheet, **said)
    matched, edited = [], []
    for r in records:
        e = expected.get(r["seq"])
        if counts[r["seq"]] > 1 or e is None:
            continue
        if id(r) in own:
            matched.append({**r, **e})
        else:
            edited.append(r)
    # Sorted, then numbered again (1, 2, 3 … down the sorted list): every row a household printed
    # under another 序号. Said once, not as a name, an ID and a group changed on each row.
    keys = list(columns)
    moved = [(r, seq) for r in edited if (seq := _printed_as(r["ids"], keys.index("seq"), r["seq"], expected))]
    if len(moved) >= 2:
        r, was = moved[0]
        reading.problem("rp_rows_renumbered", count=len(moved), seq=r["seq"], was=was,
                        now=cell_text(r["ids"][keys.index("head_name")]), printed=expected[r["seq"]]["head_name"],
                        sheet=sheet, row=r["at"], col=seq_col)
        renumbered = {id(r) for r, _ in moved}
        edited = [r for r in edited if id(r) not in renumbered]
    for r in edited:
        differ = edited_cells(reading.filled.identity, r["seq"], list(columns), r["ids"], lang)
        for k, old, now in differ:
            reading.problem("rp_row_edited", seq=r["seq"], header=label(k, lang), printed=old, now=now, sheet=sheet,
                            row=r["at"], col=columns[k])
        if not differ:
            reading.problem("rp_row_edited_somewhere", seq=r["seq"], headers=[label(k, lang) for k in columns],
                            sheet=sheet, row=r["at"])
    _printed_typed_over(reading, cells, matched)
    return matched


def _list_of_other_village(reading: _Reading, strangers: list[dict], count: int, total: int) -> dict | None:
    """Where most of a list's `count` rows are not its own printed rows but another village's (or
    township's) of this step and round, by their identifying cells as printed there (its row hashes):
    that place and this one, for rp_list_other_village. None otherwise; a list that is mostly its own
    is read row by row (an edited row is refused as one)."""
    if 2 * len(strangers) <= count:
        return None
    state, doc = reading.state, reading.doc
    docs = state.documents
    theirs = docs[(docs["step"] == doc["step"]) & (docs["id"] != doc["id"])]
    if theirs.empty:
        return None
    printed = db.document_rows(reading.reg, theirs["id"].tolist())
    hits = printed[printed["row_hash"].isin({row_hash(r["ids"]) for r in strangers})]
    if hits.empty:
        return None
    per_doc = hits.groupby("document")["seq"].nunique()
    if 2 * per_doc.max() <= count:
        return None
    best = per_doc.idxmax()
    other = theirs.set_index("id").loc[best]
    on_theirs = set(hits.loc[hits["document"] == best, "row_hash"])
    first = next(r for r in strangers if row_hash(r["ids"]) in on_theirs)
    lang = reading.lang
    ours, there = _doc_place(state, doc, lang), _doc_place(state, other, lang)
    # Two villages of one township named as the clerk says them: 东升村, 三合村.
    if doc.get("township") == other["township"] and isinstance(other["village"], str) and doc.get("village"):
        ours, there = place_name(doc["village"], lang, "unknown_village"), place_name(other["village"], lang,
                                                                                        "unknown_village")
    keys = list(reading.step.identity)
    return {"other": there, "ours": ours, "matched": int(per_doc.max()), "count": count, "total": total,
            "seq": first["seq"], "name": cell_text(first["ids"][keys.index("head_name")]),
            "step": label(f"step_{doc['step']}", lang), "file": other["file_name"] or "—"}


def _column_not_told(reading: _Reading, found: list[int], header: list, header_at: int, key: str,
                     printed: str) -> None:
    """A column of the step's the header does not tell: none (deleted, renamed), or several, none headed
    as printed, each of which may be it (评议结果(初评) and 评议结果(复评), 备注 retitled beside 说明): the
    cells named, never one taken for the decision or its reason at a guess."""
    lang = reading.lang
    if not found:
        reading.problem("rp_column_missing", header=label(key, lang), sheet=reading.sheet, row=header_at)
        return
    heads = label("list_sep", reading.doc_lang).join(f"{cell_name(header_at, j)}「{bare_text(header[j])}」"
                                                     for j in found)
    reading.problem("rp_column_ambiguous", header=label(key, lang), count=len(found), columns=heads,
                    printed=bare_text(printed), sheet=reading.sheet, row=header_at, col=found[0])


def _printed_typed_over(reading: _Reading, cells: list[list], rows: list[dict]) -> None:
    """A printed column the village is not asked to fill (人均纯收入, 主要困难, 此前未纳入 …) typed over
    on a household's row is refused at its cell, saying what was printed, what is there now, and where
    the village's word belongs: a 同意 typed where last year's form had 评议结果 overwrites what the
    meeting was to hear, and its row's decision may be misplaced too. A cell only re-formatted (a number
    saved as text, 3,218.00, a line break) is as printed. A form printed before its identity kept these
    cells (or saved without its identity sheet) is compared where it can be: a word of the decision in
    such a column is refused, anything else read as before."""
    step, lang = reading.step, reading.lang
    kept = reading.filled.identity.rows
    printed = kept.drop_duplicates("seq").set_index("seq") if kept is not None and "seq" in kept else pd.DataFrame()
    at = pd.Series([r["at"] for r in rows], dtype=int)
    seqs = [r["seq"] for r in rows]
    names = [cell_text(r["head_name"]) for r in rows]
    d = step.decision
    belongs = _belongs(reading)
    # The step's columns and those printed beside them (documents.BESIDE, kept as shown cells).
    for key in (k for k in reading.printed if k not in step.identity):
        j = reading.printed.get(key)
        if j is None or not rows:
            continue
        now = pd.Series([cells[i][j] if j < len(cells[i]) else "" for i in at], dtype=object)
        if SHOWN + key in printed:
            was = printed[SHOWN + key].reindex(seqs).fillna("").astype(object).reset_index(drop=True)
            changed = ~printed_as_is(was, now)
        elif d is not None:  # printed before: only a word of the decision is known not to be what it printed
            was = pd.Series([None] * len(now), dtype=object)
            changed = now.map(lambda v: d.value_of(cell_text(v)) is not None if cell_text(v) else False).to_numpy(bool)
        else:
            continue
        for i in np.flatnonzero(changed):
            old = cell_text(was[i]) if was[i] is not None else None
            common = dict(seq=seqs[i], name=names[i], header=label(key, lang), now=cell_text(now[i]) or label("blank", lang),
                          then=belongs, sheet=reading.sheet, row=int(at[i]), col=j)
            if old is None:
                reading.problem("rp_printed_decision_word", **common)
            else:
                reading.problem("rp_printed_typed_over", printed=old or label("blank", lang), **common)


def _struck_on_rows(reading: _Reading, rows: list[dict]) -> None:
    """A household's printed row or cell struck through (删除线) on the list, as a village marks paper:
    never read as a change, never passed over. A row struck whole (its head's name, or more than
    marks.STRUCK_SHARE of its filled cells) is refused, saying how this step takes a household off; a
    printed cell struck (常住人口数 4, 「常住人口 3」 written beside) is refused as a correction the
    register does not take from a form, saying what to do instead; a struck entry in a cell the village
    fills (同意 struck) is refused as not counted. Only rows holding a struck cell are looked at."""
    from ..marks import STRUCK_SHARE

    struck = struck_cells(reading.filled.path).get(reading.sheet)
    if not struck:
        return
    step, lang, sheet = reading.step, reading.lang, reading.sheet
    cells = reading.filled.sheets[sheet]
    printed = {j: key for key, j in reading.printed.items()}
    filled_in = {j: key for key, j in reading.columns.items() if key not in step.identity}
    known = set(printed) | set(filled_in) | set(reading.columns.values())
    hit_rows = {i for i, _ in struck}
    d = step.decision
    for r in (r for r in rows if r["at"] in hit_rows):
        i, row = r["at"], cells[r["at"]]
        typed = [j for j, v in enumerate(row) if cell_text(v)]
        hit = [j for j in typed if (i, j) in struck]
        who = (r["seq"], cell_text(r["head_name"]))
        if (i, reading.columns["head_name"]) in struck or len(hit) > STRUCK_SHARE * len(typed):
            reading.problem("rp_row_struck", way=_struck_way(reading, r), sheet=sheet, row=i, who=who)
            continue
        # What else the row holds, outside the form's columns and not struck: the village's new figure.
        beside = next((cell_text(row[j]) for j in typed if j not in known and (i, j) not in struck), "")
        for j in hit:
            if j in filled_in:
                reading.problem("rp_fill_struck", header=label(d.column if filled_in[j] == "decision" and d else
                                                               d.reason if filled_in[j] == "reason" and d else
                                                               filled_in[j], lang),
                                value=cell_text(row[j]), sheet=sheet, row=i, col=j, who=who)
            elif j in printed:
                way = Phrase("rp_cell_struck_way_decision", column=label(d.column, lang), no=d.word("no", lang)) \
                    if d is not None else Phrase("rp_cell_struck_way")
                reading.problem("rp_cell_struck", header=label(printed[j], lang), printed=cell_text(row[j]),
                                beside=Phrase("rp_cell_struck_beside", text=beside) if beside else "", way=way,
                                sheet=sheet, row=i, col=j, who=who)


def _struck_way(reading: _Reading, household: dict) -> Phrase:
    """How this step takes a household off its list: the no on its row (a decision), an objection
    upheld (a publicity), or the last deciding step's no amended and the list printed again (the 公告)."""
    step, lang = reading.step, reading.lang
    if step.decision is not None:
        return Phrase("rp_struck_way_decision", column=label(step.decision.column, lang),
                      no=step.decision.word("no", lang))
    if step.objections:
        return Phrase("rp_struck_way_objection", sheet=label("sheet_objections", reading.doc_lang),
                      yes=reading.state.proc.objection.yes(lang))
    decider = _last_decision_step(reading)
    if decider is None:  # no step before it decides (none in the procedure as shipped)
        return Phrase("rp_cell_struck_way")
    return Phrase("rp_struck_way_posted", decider=label(f"step_{decider.id}", lang),
                  file=_step_file(reading, decider, household), column=label(decider.decision.column, lang),
                  no=decider.decision.word("no", lang), step=label(f"step_{step.id}", lang))


def _belongs(reading: _Reading) -> Phrase:
    """Where what a village writes on this step's list goes: the decision's column and its reason's (by
    letter, as the form has them), or the sheet of objections, or of the posting."""
    step, lang = reading.step, reading.lang
    if step.decision is not None:
        return Phrase("rp_printed_belongs_decision", decision=label(step.decision.column, lang),
                      column=column_letter(reading.columns["decision"]), reason=label(step.decision.reason, lang),
                      reason_column=column_letter(reading.columns["reason"]))
    if step.objections:
        return Phrase("rp_printed_belongs_sheet", to=label("sheet_objections", reading.doc_lang))
    return Phrase("rp_printed_belongs_sheet", to=label(step.form_sheet, reading.doc_lang) if step.form_sheet else "")


def _last_decision_step(reading: _Reading) -> Step | None:
    """The last step before this one that decides per household (县级复审 before the 公告)."""
    proc = reading.state.proc
    before = proc.steps[:proc.index(reading.step.id)]
    return next((s for s in reversed(before) if s.kind == "decision" and s.decision is not None), None)


def _step_file(reading: _Reading, step: Step, household: dict) -> str:
    """The file name of `step`'s latest document covering the household's village ('—': none)."""
    state = reading.state
    covering = state.doc_villages[(state.doc_villages["township"] == household["township"])
                                  & (state.doc_villages["village"] == household["village"])]["document"]
    docs = state.documents[(state.documents["step"] == step.id) & state.documents["id"].isin(covering)]
    return docs["file_name"].iloc[-1] if len(docs) else "—"


def _totals_passed_over(reading: _Reading, header_at: int, last: int, sheet: str) -> None:
    """A subtotal row inside the list (一组小计 between the groups), which reading the table as it shows
    (documents.shown_and_passed) blanked as no household's: said as passed over, sheet and rows, as the survey
    reader says a 合计 row: the rows it blanked that held text as typed, which it kept (passed_over).
    A row blanked only of what merges carried into it held none."""
    texts = reading.filled.passed_over.get(sheet, {})
    rows = sorted(i for i in texts if header_at < i < last)
    if rows:
        reading.notes.append(Phrase("rp_total_row_passed", sheet=sheet, rows=[r + 1 for r in rows],
                                    text=texts[rows[0]]))


def _printed_as(ids: list, at_seq: int, seq: int, expected: dict[int, dict]) -> int | None:
    """The 序号 a row's identifying cells were printed under, where that is another than its own."""
    for other, e in expected.items():
        if other != seq and row_matches([*ids[:at_seq], other, *ids[at_seq + 1:]], e["row_hash"]):
            return other
    return None


def _word_and_reason(d, typed: str, yes: str, no: str) -> tuple[str, str] | None:
    """A decision word with its reason in the same cell (不同意(收入超), 不通过,户籍不在本村): the word as
    the form prints it and the reason, for the refusal to name both; None where the cell starts with
    no decision word. The longest word first: 不同意 is not 同意."""
    text = unicodedata.normalize("NFKC", typed).strip()
    words = [(w, yes) for w in (yes, d.yes.zh, d.yes.en, *d.yes_also)] + \
            [(w, no) for w in (no, d.no.zh, d.no.en, *d.no_also)]
    for w, printed in sorted(words, key=lambda x: -len(x[0])):
        w = unicodedata.normalize("NFKC", w)
        if not w or not text.casefold().startswith(w.casefold()):
            continue
        rest = text[len(w):]
        # "pass" is not "passed", 是 not 是否…: a word of one character or of letters ends at a bracket or space.
        if (w.isascii() or len(w) < 2) and rest[:1] not in (" ", *_REASON_WRAP):
            continue
        why = rest.strip(" \t" + _REASON_WRAP)
        if why and d.value_of(why) is None:
            return printed, why
    return None


# What wraps or leads a reason typed after the word in the decision's cell: brackets and separators.
_REASON_WRAP = "()()[]【】〔〕<>《》,,;;::、。.-—/"


def _decisions(reading: _Reading, rows: list[dict], days: list[dt.date | None]) -> None:
    """The decision and reason of each row: a word of the two, a reason for the negative one."""
    step, lang, sheet = reading.step, reading.lang, reading.sheet
    d = step.decision
    cols = reading.columns
    header = label(d.column, lang)
    # The two words as the form printed them for its place (a 社区's 仍在本社区, not 仍在本村).
    doc = reading.doc
    yes, no = decision_words(d, issuer_places(doc.get("township") or "", doc.get("village") or "", lang)["this_place"],
                             lang)
    for r, day in zip(rows, days):
        name = cell_text(r["head_name"])
        typed = cell_text(r["decision"])
        value = d.value_of(typed) if typed else None
        if not typed:
            reading.problem("rp_decision_missing", seq=r["seq"], name=name, header=header, yes=yes,
                            no=no, sheet=sheet, row=r["at"], col=cols.get("decision"))
            continue
        if value is None:
            said = _word_and_reason(d, typed, yes, no)
            if said is not None:  # 不同意(收入超): the word, and its reason where the reason goes
                word, why = said
                key = "rp_decision_word_remark" if word == yes and d.reason_for_no else "rp_decision_word_reason"
                reading.problem(key, seq=r["seq"], name=name, header=header, value=typed, word=word, reason=why,
                                reason_header=label(d.reason, lang), reason_column=column_letter(cols["reason"]),
                                sheet=sheet, row=r["at"], col=cols.get("decision"))
                continue
            # Another step's word (属实 on the 民主评议 form): the form mistaken for that step's, said so.
            other = next((s for s in procedure().all_steps if s.id != step.id and s.decision is not None
                          and s.decision.value_of(typed) is not None), None)
            if other is not None:
                reading.problem("rp_decision_word_other_step", seq=r["seq"], name=name, header=header, value=typed,
                                other=label(f"step_{other.id}", lang), step=label(f"step_{step.id}", lang), yes=yes,
                                no=no, sheet=sheet, row=r["at"], col=cols.get("decision"))
                continue
            reading.problem("rp_decision_word", seq=r["seq"], name=name, header=header, value=typed, yes=yes,
                            no=no, sheet=sheet, row=r["at"], col=cols.get("decision"))
            continue
        reason = cell_text(r["reason"])
        empty = says_nothing(reason)  # 无, /, N/A: no reason, beside 不同意 as beside 属实
        if value == "no" and empty:
            if reason:
                reading.problem("rp_reason_says_nothing", seq=r["seq"], name=name, value=no,
                                header=label(d.reason, lang), reason=reason, sheet=sheet, row=r["at"],
                                col=cols.get("reason"))
            else:
                reading.problem("rp_reason_missing", seq=r["seq"], name=name, value=no, sheet=sheet,
                                row=r["at"], col=cols.get("reason"))
            continue
        if value == "yes" and not empty and d.reason_for_no:  # 属实, and yet what is not true is written down
            reading.problem("rp_reason_contradicts", seq=r["seq"], name=name, yes=yes, no=no,
                            header=label(d.reason, lang), reason=reason, sheet=sheet, row=r["at"],
                            col=cols.get("reason"))
            continue
        reading.fact("decision", value, day, household=r["household"])
        reading.fact("reason", reason, day, household=r["household"])
        reading.decision_cells[r["household"]] = (sheet, r["at"], cols.get("decision"))
        reading.reason_cells[r["household"]] = (sheet, r["at"], cols.get("reason"))


def _form_values(reading: _Reading) -> dict[str, tuple[object, bool, str]]:
    """The step's form fields: {key: (value, read, sheet)}; a date's value is (day, row, col)."""
    step, cells = reading.step, reading.filled.sheets
    values, before = {}, None
    for f in step.form_fields:
        sheet = label(step.form_sheet, reading.doc_lang) if step.form_sheet else reading.sheet
        if sheet not in cells:  # a sheet renamed: the one with the label
            found = next((s for s in cells if find_form_value(cells[s], f.key)), None)
            if found is None and f.older_forms_lack and before is not None:
                found = before  # a field an older form lacks: on the sheet its other fields were found
            if found is None and step.form_sheet and not any(f.required for f in step.form_fields):
                # Nothing on it is required (a publicity's 张贴记录, which forms printed before it lack)
                return {f.key: (None, True, sheet) for f in step.form_fields}
            if found is None and step.form_sheet:  # the form's sheet is gone: said once, not per field
                reading.problem("rp_form_sheet_missing", name=sheet)
                return {f.key: (None, False, sheet) for f in step.form_fields}
            sheet = found or reading.sheet
        value, ok = _read_form_field(reading, cells.get(sheet, []), sheet, f)
        values[f.key] = (value, ok, sheet)
        before = sheet if sheet in cells else before
    return values


def _share(num: int, den: int, lang: Lang) -> str:
    """A quorum's share as read: 三分之二, two thirds (2/3 past the small numbers)."""
    zh = "〇一二三四五六七八九十"
    if lang == "zh":
        return f"{zh[den]}分之{zh[num]}" if den <= 10 else f"{num}/{den}"
    ordinals = {2: "half", 3: "third", 4: "quarter", 5: "fifth"}
    if den in ordinals:
        word = ordinals[den] + ("s" if num > 1 else "")
        return f"{['one', 'two', 'three', 'four'][num - 1]} {word}" if num <= 4 else f"{num}/{den}"
    return f"{num}/{den}"


@cache
def _signed_lines(keys: tuple[str, ...], lang: Lang) -> re.Pattern:
    """A signature line with the name typed after it (主持人(签字):王德发) is the line signed; its place
    words ({committees}) as any form printed them: 村"两委" (a 社区's before its own words), 社区"两委".
    Made once per step's lines and language, not per document read."""
    return re.compile("|".join(
        "[^:：]*?".join(map(re.escape, re.split(r"\{[^{}]*\}", label(k, lang).replace(" ", "")))) for k in keys))


def _form_remarks(reading: _Reading, form_values: dict) -> list[str]:
    """What a village wrote on the form's own sheet (会议记录) beyond its title, its fields and their
    values, and the signature lines: the attendees under it, 评议过程(续)…, a note beside a field. Lost
    before, while the same on the list was kept: returned to be recorded as the village's remark as
    _remarks records a line under the list, and the clerk is told."""
    step, lang = reading.step, reading.doc_lang
    sheets = {sheet for _, _, sheet in form_values.values()} - {reading.sheet}
    printed = (*(k for k in (step.form_title,) if k), "sign_host", "sign_recorder", *step.signatures)
    signed = _signed_lines(("sign_host", "sign_recorder", *step.signatures), lang)
    found: list[str] = []
    for sheet in sorted(sheets):
        cells = reading.filled.sheets.get(sheet, [])
        known: set[tuple[int, int]] = set()
        for f in step.form_fields:
            # The label and its value right of it, as _read_form_field reads them (a line beginning
            # 评议过程(续)… below is no label: a value typed into its label's cell is refused there).
            if (spot := find_form_value(cells, f.key, reading.filled.merges.get(sheet, ()))) is not None:
                known |= {(spot[1], j) for j in range(spot[2] + 1)}
        texts = [cell_text(v) for i, row in enumerate(cells) for j, v in enumerate(row)
                 if cell_text(v) and (i, j) not in known and not is_printed_text(v, printed, lang)
                 and not signed.match(cell_text(v).replace(" ", ""))]
        if texts:
            found += texts
            shown = texts[0] if len(texts[0]) <= 30 else texts[0][:29] + "…"
            reading.notes.append(Phrase("rp_remarks_recorded", count=len(texts), example=shown, sheet=sheet,
                                        decision=label(step.decision.column, reading.lang)))
    return found


def _remarks(reading: _Reading, rows: list[dict], days: list[dt.date | None],
             villages: list[tuple[str, str]], also: Sequence[str] = ()) -> None:
    """What a village wrote on a decision list beyond what it prints and reads: a column it added (同意
    票数, 备注) or a line under the table (备注:第3户户主外出…). Never read as the decision, never lost:
    each is recorded as a remark (its column's header, then the text), the household's for a cell of
    its row, the document's villages' for one under the table (with `also`, the form sheet's), and
    the clerk is told."""
    step, sheet = reading.step, reading.sheet
    cells = reading.filled.sheets.get(sheet, [])
    at = reading.header_at  # the table _read_rows read
    header = cells[at]
    known = set(reading.printed.values()) | set(reading.columns.values())
    of_row = {r["at"]: (r, day) for r, day in zip(rows, days)}
    last = max(of_row, default=at)
    printed = (*step.signatures, *((step.issuer,) if step.issuer else ()))
    # The form's own fields under the table (复审日期 and its date, on a review's form): read as the step's.
    # Where they are on a sheet of their own (会议记录), a field's words under the list are not read there:
    # 参会人员:… typed under an older list (its 会议记录 printed without that cell) is a remark, not lost.
    form_rows = set() if step.form_sheet else {
        spot[1] for f in step.form_fields for find in (find_form_value, find_label_with_value)
        if (spot := find(cells, f.key)) is not None}
    sep = label("list_sep_wide", reading.doc_lang)
    found: list[str] = []
    village_day = max((d for d in days if d is not None), default=None)
    under: list[str] = []
    for i in range(at + 1, len(cells)):
        # Below the last household, the village's signatures, seals and days (the printed lines with
        # the names written in, 审核人:王丽 2020.11.20): the list signed, no remark.
        if (i <= last and i not in of_row) or i in form_rows or signs_the_list(cells, i, last):
            continue
        texts = []
        for j, value in enumerate(cells[i]):
            text = cell_text(value)
            if not text or (i in of_row and j in known) or (i > last and (
                    is_printed_text(value, printed, reading.doc_lang) or is_signature_line([value]))):
                continue
            head = cell_text(header[j]) if i in of_row and j < len(header) else ""
            texts.append(f"{head}:{text}" if head else text)
        if not texts:
            continue
        found += texts
        if i in of_row:
            r, day = of_row[i]
            reading.fact("remark", sep.join(texts), day, household=r["household"])
        else:
            under += texts
    if under or also:  # one remark per village: the list's lines under it, then the form sheet's (said apart)
        for t, v in villages:
            reading.fact("remark", sep.join([*under, *also]), village_day, township=t, village=v)
    if found:
        shown = found[0] if len(found[0]) <= 30 else found[0][:29] + "…"
        reading.notes.append(Phrase("rp_remarks_recorded", count=len(found), example=shown, sheet=sheet,
                                    decision=label(step.decision.column, reading.lang)))


def _record_decision_step(reading: _Reading, rows: list[dict], villages: list[tuple[str, str]]) -> None:
    step, lang = reading.step, reading.lang
    form_values = _form_values(reading)
    if "meeting_present" in form_values:
        expected, present = (form_values[k][0] for k in ("meeting_expected", "meeting_present"))
        # A meeting nobody attended decided nothing, whatever it says; nor one short of its quorum.
        if isinstance(present, int) and (present == 0 or isinstance(expected, int) and present > expected):
            sheet = form_values["meeting_present"][2]
            _, row, col = find_form_value(reading.filled.sheets[sheet], "meeting_present")
            reading.problem("rp_present_none" if present == 0 else "rp_present_exceeds", present=present,
                            expected=expected, sheet=sheet, row=row, col=col)
        elif isinstance(present, int) and isinstance(expected, int) and step.quorum is not None \
                and present * step.quorum[1] < expected * step.quorum[0]:
            sheet = form_values["meeting_present"][2]
            _, row, col = find_form_value(reading.filled.sheets[sheet], "meeting_present")
            _, erow, ecol = find_form_value(reading.filled.sheets[form_values["meeting_expected"][2]],
                                            "meeting_expected")
            num, den = step.quorum
            reading.problem("rp_present_below_quorum", present=present, expected=expected,
                            needed=-(-expected * num // den), share=_share(num, den, lang),
                            expected_cell=cell_name(erow, ecol), sheet=sheet, row=row, col=col)
    if step.date_from in form_values:  # one date for the step: the meeting, the township's or the county's review
        found, ok, sheet = form_values[step.date_from]
        day = found[0] if ok and found is not None else None
        if day is None or not _check_date(reading, day, label(step.date_from, lang), villages, sheet=sheet,
                                          row=found[1], col=found[2]):
            # The date is wrong (said): the rows are still read, so that every problem is named at
            # once, not the rows' after the date is put right. The file is refused either way.
            _decisions(reading, rows, [None] * len(rows))
            return
        _decisions(reading, rows, [day] * len(rows))
        _remarks(reading, rows, [day] * len(rows), villages, _form_remarks(reading, form_values))
        for t, v in villages:
            reading.fact("date", day.isoformat(), day, township=t, village=v)
            for key, (value, ok, _) in form_values.items():
                if key != step.date_from and ok:
                    reading.fact(key, value, day, township=t, village=v)
        return
    # A date per row (入户核实): each visit on or after the meeting, none in the future.
    cols = reading.columns
    days: list[dt.date | None] = []
    good = True
    for r in rows:
        name = cell_text(r["head_name"])
        for f in step.row_fields:
            if f.required and not cell_text(r[f.key]):
                reading.problem("rp_row_field_missing", seq=r["seq"], name=name, field=label(f.key, lang),
                                sheet=reading.sheet, row=r["at"], col=cols.get(f.key))
                good = False
        value = r[step.date_from]
        day = parse_date(value) if cell_text(value) else None
        if cell_text(value) and day is None:
            reading.problem("rp_date_bad", field=label(step.date_from, lang), value=cell_text(value),
                            **reading.date_example(value),
                            sheet=reading.sheet, row=r["at"], col=cols.get(step.date_from), who=(r["seq"], name))
            good = False
        elif day is not None and not _check_date(reading, day, label(step.date_from, lang),
                                                 [(r["township"], r["village"])], sheet=reading.sheet, row=r["at"],
                                                 col=cols.get(step.date_from), who=(r["seq"], name)):
            good = False
        days.append(day)
    # The decisions are read whatever the dates: every problem of the file is said at once (what
    # they record is not kept where a date is wrong: the file is refused).
    _decisions(reading, rows, days)
    if not good:
        return
    _remarks(reading, rows, days, villages)
    last: dict[tuple[str, str], dt.date] = {}
    for r, day in zip(rows, days):
        for f in step.row_fields:
            if f.key != step.date_from:
                reading.fact(f.key, cell_text(r[f.key]), day, household=r["household"])
        place = (r["township"], r["village"])
        last[place] = max(day, last.get(place, day))
    for (t, v), day in last.items():
        reading.fact("date", day.isoformat(), day, township=t, village=v)


def head_key(value) -> str:
    """A head's name as a returned form's names are matched: without white space or separator marks."""
    return re.sub(HEAD_MARKS, "", cell_text(value))


def _near_heads(keys: pd.Series, typed: str) -> np.ndarray:
    """Which listed heads (their head_keys) the head typed (its head_key) is one character off from:
    one changed, one more or one less (瓜尔佳·文端, 瓜尔佳/文瑞). A refusal asks whether it meant one,
    before it offers 名单外, which would record a 漏评 and leave the listed household as it was."""
    near = np.zeros(len(keys), dtype=bool)
    if not typed:
        return near
    n, lengths = len(typed), keys.str.len()
    for i in range(n + 1):  # each place in the name typed (a few characters), the whole list at once
        same_before = keys.str[:i].eq(typed[:i])
        near |= (lengths.eq(n + 1) & same_before & keys.str[i + 1:].eq(typed[i:])).to_numpy(dtype=bool)
        if i < n:
            near |= (lengths.eq(n) & same_before & keys.str[i + 1:].eq(typed[i + 1:])).to_numpy(dtype=bool)
            near |= (lengths.eq(n - 1) & same_before & keys.str[i:].eq(typed[i + 1:])).to_numpy(dtype=bool)
    return near & keys.ne(typed).to_numpy(dtype=bool)


def _listed_heads(rows: list[dict]) -> list[Phrase]:
    """Listed households as a refusal names them: 「瓜尔佳·文瑞」(序号 2)."""
    return [Phrase("rp_listed_head", name=cell_text(r["head_name"]), seq=r["seq"]) for r in rows]


def _read_objections(reading: _Reading, rows: list[dict], start: dt.date,
                     posted: dt.date | None = None) -> list[dict] | None:
    """The 异议处理 sheet: per objection, the household, what it says, whether it was upheld and
    when; none settled before the period's start, nor before `posted`, the day the village put it
    up where later. An empty sheet means no objection; None: something in it is wrong, or it is gone (said)."""
    lang = reading.lang
    proc = reading.state.proc
    objection = proc.objection
    sheets = reading.filled.sheets
    named = label("sheet_objections", reading.doc_lang)
    name, cells = None, None
    for s in sorted(sheets, key=lambda s: s != named):  # the sheet of that name first, then any like it
        at = find_header(sheets[s], "head_name") if s != reading.sheet else None
        if at is not None and find_column(sheets[s][at], objection.column) is not None:
            name, cells = s, sheets[s]
            break
    if cells is None:  # deleted: "no objection" would be a guess the register keeps for good
        reading.problem("rp_objection_sheet_missing", name=named)
        return None
    if not _objections_elsewhere(reading, name):
        return None
    header_at = find_header(cells, "head_name")
    header = cells[header_at]
    col_seq = find_column(header, "objection_seq")
    col_name = find_column(header, "head_name")
    col_content = find_column(header, objection.reason)
    col_result = find_column(header, objection.column, printed=objection_headers(objection))
    col_date = find_column(header, "objection_date")
    for key, col in ((objection.reason, col_content), ("objection_date", col_date)):
        if col is None:
            reading.problem("rp_column_missing", header=label(key, lang), sheet=name, row=header_at)
            return None
    # The days the register holds: an objection's day unchanged is not checked again below.
    recorded = _objection_days(reading.state, reading.step.id)
    by_seq = {r["seq"]: r for r in rows}
    # The list's heads as matched (head_key): 瓜尔佳•文瑞 typed names the listed 瓜尔佳·文瑞.
    keys = head_keys(pd.Series([r["head_name"] for r in rows], dtype=object))
    by_name: dict[str, list[dict]] = {}
    for r, key in zip(rows, keys.tolist()):
        by_name.setdefault(key, []).append(r)
    found = []
    ok = True
    exit_track = reading.state.proc.name == "exit"
    columns = {col_seq, col_name, col_content, col_result, col_date} - {None}
    for i in range(header_at + 1, len(cells)):
        row = cells[i]
        get = lambda j: row[j] if j is not None and j < len(row) else ""  # noqa: E731
        who, content, result, when = (cell_text(get(j)) for j in (col_name, col_content, col_result, col_date))
        seq = parse_seq(get(col_seq))
        # Text outside the table's columns (a note beside or under it), or a line of text in 名单序号
        # alone: an objection written so (…经村两委核实,异议成立) was read as none and lost.
        loose = [(j, cell_text(v)) for j, v in enumerate(row) if j not in columns and cell_text(v)]
        alone = cell_text(get(col_seq)) if not (who or content or result or when) else ""
        if not (who or content or result or when or alone or loose):
            continue
        # The sheet signed (填表人:王丽, 村"两委"(盖章) and its day), in its rows or under them: no objection.
        # A day alone is not: it may be an objection's, the rest of it not written yet.
        if is_signature_line(row, day_alone=False):
            continue
        typed = [t for t in (content, who, cell_text(get(col_seq)), result, *(t for _, t in loose)) if t]
        if typed and all(says_nothing(t) or says_no_objection(t) for t in typed):
            # A line naming no household that says there was none (公示期间无异议, 无 under 户主姓名): none.
            reading.notes.append(Phrase("rp_objection_none_line", sheet=name, row=i + 1, text=typed[0]))
            continue
        if loose or (alone and seq is None and folded_words(alone) not in proc.words_outside_list):
            j, text = loose[0] if loose else (col_seq, alone)
            reading.problem("rp_objection_loose_text", text=text if len(text) <= 40 else text[:39] + "…",
                            seq_header=label("objection_seq", lang), name_header=label("head_name", lang),
                            content_header=label(objection.reason, lang), result_header=label(objection.column, lang),
                            date_header=label("objection_date", lang), yes=objection.yes(lang), no=objection.no(lang),
                            sheet=name, row=i, col=j)
            ok = False
            continue
        who = "" if says_nothing(who) else who  # 无 or / beside a list number: the number says whose it is
        # 漏评: a household not on the list that should be, marked so under 名单序号 (名单外), or a head
        # not on the list whose objection says so (应当评上). Recorded for the village, no one's outcome.
        outside = folded_words(cell_text(get(col_seq))) in proc.words_outside_list or (
            says_nothing(get(col_seq)) and who and head_key(who) not in by_name and proc.tells_omission(content))
        listed = None
        if outside:
            if not who:
                reading.problem("rp_omission_name_blank", header=label("head_name", lang),
                                value=cell_text(get(col_seq)), sheet=name, row=i, col=col_name)
                ok = False
                continue
            if head_key(who) in by_name:  # the listed 瓜尔佳·文瑞 typed 瓜尔佳•文瑞 is on the list too
                reading.problem("rp_omission_listed", name=who, value=cell_text(get(col_seq)),
                                seq=", ".join(str(r["seq"]) for r in by_name[head_key(who)]),
                                seq_header=label("objection_seq", lang), sheet=name, row=i, col=col_seq)
                ok = False
                continue
            if not exit_track and (other := _on_other_village_list(reading, who)) is not None:
                reading.problem("rp_objection_other_village", name=who, sheet=name, row=i, col=col_name, **other)
                ok = False
                continue
        elif seq is None and not says_nothing(get(col_seq)):  # a list number typed, not one that reads
            # With a name beside it, matching by the name alone would keep a guess: the typed number
            # may be another household's.
            reading.problem("rp_objection_seq_bad_named" if who else "rp_objection_seq_bad",
                            header=label("objection_seq", lang), value=cell_text(get(col_seq)), name=who,
                            sheet=name, row=i, col=col_seq)
            ok = False
            continue
        if outside:
            pass
        elif seq is not None:
            listed = by_seq.get(seq)
            if listed is None:
                reading.problem("rp_row_unknown", seq=seq, count=len(rows), sheet=name, row=i, col=col_seq)
                ok = False
                continue
            if who and head_key(who) != head_key(listed["head_name"]):
                reading.problem("rp_objection_seq_mismatch", seq=seq, listed=cell_text(listed["head_name"]), name=who,
                                sheet=name, row=i, col=col_name)
                ok = False
                continue
        elif not who:  # neither a name nor a list number: whose objection it is cannot be told
            reading.problem("rp_objection_name_blank", header=label("head_name", lang),
                            seq_header=label("objection_seq", lang), sheet=name, row=i, col=col_name)
            ok = False
            continue
        else:
            hits = by_name.get(head_key(who), [])
            if not hits and not exit_track and (other := _on_other_village_list(reading, who)) is not None:
                # Another village's household (its 公示 copied into this workbook): not a 漏评 here.
                reading.problem("rp_objection_other_village", name=who, sheet=name, row=i, col=col_name, **other)
                ok = False
                continue
            if len(hits) != 1:
                # On an exit's list 名单外 also names a household of the register said to leave as well.
                unknown = "rp_objection_name_exit" if exit_track else "rp_objection_name"
                # A listed head one character off (瓜尔佳·文端 for 瓜尔佳·文瑞) asked about before 名单外 is offered.
                near = [rows[k] for k in np.flatnonzero(_near_heads(keys, head_key(who)))] if not hits else []
                if near:
                    unknown += "_near"
                reading.problem("rp_objection_ambiguous" if hits else unknown, name=who, count=len(hits),
                                listed=_listed_heads(hits), seq_header=label("objection_seq", lang),
                                outside=label("outside_list_word", lang),
                                near=Phrase("rp_head_near_one" if len(near) == 1 else "rp_head_near_some",
                                            listed=_listed_heads(near)),
                                sheet=name, row=i, col=col_name)
                ok = False
                continue
            listed = hits[0]
        if not content:
            reading.problem("rp_objection_content", name=who, sheet=name, row=i, col=col_content)
            ok = False
        elif says_nothing(content) or says_no_objection(content):  # 无, 无异议: not what was raised
            reading.problem("rp_objection_says_nothing", name=who or cell_text(listed["head_name"]), content=content,
                            sheet=name, row=i, col=col_content)
            ok = False
        withdrawn = bool(result) and folded_words(result) in {folded_words(w) for w in procedure().withdrawn}
        verdict = "no" if withdrawn else objection.value_of(result) if result else None
        if verdict is None:
            reading.problem("rp_objection_result" if result else "rp_objection_result_blank", name=who, value=result,
                            yes=objection.yes(lang), no=objection.no(lang), withdrawn=label("objection_withdrawn", lang),
                            sheet=name, row=i, col=col_result)
            ok = False
        day = parse_date(get(col_date)) if when else None
        if day is None:
            reading.problem("rp_objection_about", name=who, what=Phrase(
                "rp_date_bad" if when else "rp_field_missing", field=label("objection_date", lang), value=when,
                **reading.date_example(when)),
                sheet=name, row=i, col=col_date)
            ok = False
        elif day > reading.today:
            reading.problem("rp_objection_about", name=who, what=Phrase(
                "rp_date_future", field=label("objection_date", lang), date=day.isoformat(),
                today=reading.today.isoformat()), sheet=name, row=i, col=col_date)
            ok = False
        elif day < start:
            reading.problem("rp_objection_about", name=who, what=Phrase(
                "rp_objection_early", date=day.isoformat(), start=start.isoformat()), sheet=name, row=i, col=col_date)
            ok = False
        elif posted is not None and day < posted:  # the period counts from the posting: nothing to object to before
            reading.problem("rp_objection_about", name=who, what=Phrase(
                "rp_objection_before_posting", date=day.isoformat(), posted=posted.isoformat(),
                field=label("posting_date", lang)), sheet=name, row=i, col=col_date)
            ok = False
        elif listed is not None and (listed["household"], day.isoformat()) not in recorded and not _before_next(
                reading, day, label("objection_date", lang), [(listed["township"], listed["village"])],
                {"sheet": name, "row": i, "col": col_date, "about": who or cell_text(listed["head_name"])},
                recorded_printed=False):
            # Added or moved by an amendment: it holds the next step (held_by_objections), which a
            # village that has recorded it, or has its document out, can no longer wait for.
            ok = False
        # On an exit's posting a household named outside the list that is on the register is not a 漏评
        # (one to survey and enter): the objection says it should leave too, which its own round decides.
        places = _registered_places(reading, who) if outside and exit_track else []
        found.append({"household": None if outside else listed["household"], "head_name": who, "content": content,
                      "upheld": verdict == "yes", "withdrawn": withdrawn, "day": day, "cell": (name, i, col_result),
                      "kind": "exit_also" if places else "omission", "places": places})
    return found if ok else None


def _objection_days(state: State, step: str) -> set[tuple[int, str]]:
    """(household, day) of every objection the register holds at a step: the round's, read once per
    command rather than once per village's file."""
    def make():
        current = state.current
        held = current[current["field"].str.match(OBJECTION_RESULTS) & (current["step"] == step)
                       & current["effective"].notna()]
        return set(zip(held["household"].tolist(), held["effective"].tolist()))
    return state.once(("objection_days", step), make)


def _on_other_village_list(reading: _Reading, who: str) -> dict | None:
    """Where a head named on this village's objections is a candidate of one other village of the
    round and no household of this village's survey has that head, that village and its own document
    of this step (`_other_village_list`): the objection is that village's, not a 漏评 here."""
    other = _other_village_list(reading, [who])
    if other is None:
        return None
    ours = reading.state.doc_villages[reading.state.doc_villages["document"] == reading.doc["id"]]
    for t, v in zip(ours["township"].tolist(), ours["village"].tolist()):
        heads = db.screened_in_village(reading.reg, reading.state.round_id, t, v)["head_name"]
        if head_keys(heads).eq(head_key(who)).any():
            return None  # a namesake of this village: the objection may well be a 漏评 here
    return other


def _copies_beside(reading: _Reading, sheet: str) -> list[str]:
    """`sheet` with the other sheets copied along with it: a copy's name is the document sheet's with
    " (2)" after it, as Excel and WPS name a sheet copied into a workbook holding one of that name
    (公示名单 (2), 张贴记录 (2), 异议处理 (2) from another village's 公示)."""
    copy = re.fullmatch(r"(.+?)\s*(\(\d+\))", sheet)
    if copy is None:
        return [sheet]
    step, lang = reading.step, reading.doc_lang
    printed = {reading.filled.identity.sheet or label(f"sheet_{step.id}", lang)}
    printed |= {label(key, lang) for key in (step.form_sheet, "sheet_objections" if step.objections else None) if key}
    suffix = copy.group(2)
    names = [n for n in reading.filled.sheets
             if (m := re.fullmatch(r"(.+?)\s*(\(\d+\))", n)) and m.group(2) == suffix and m.group(1) in printed]
    return [sheet] + [n for n in names if n != sheet]


def _objections_elsewhere(reading: _Reading, taken: str) -> bool:
    """Objections kept on a sheet of the village's own (异议登记, its header 户主姓名 … 处理结果) beside
    the 异议处理 sheet read: only that one is read, so they would be recorded as none. Refused, naming
    the sheet and its first filled row; a sheet with only its header is nothing. Whether it is right."""
    objection = reading.state.proc.objection
    good = True
    for s, cells in reading.filled.sheets.items():
        if s in (taken, reading.sheet, reading.table):
            continue
        at = next((a for key in ("head_name", objection.reason, objection.column)
                   if (a := find_header(cells, key)) is not None), None)
        if at is None or all(find_column(cells[at], key) is None
                             for key in (objection.reason, objection.column, "objection_date")):
            continue
        filled = next(((i, j) for i in range(at + 1, len(cells)) for j, v in enumerate(cells[i]) if cell_text(v)), None)
        if filled is None:
            continue
        good = False
        # The heads it names all on one other village's list: that village's objections, not to copy here.
        col_name = find_column(cells[at], "head_name")
        heads = [t for row in cells[at + 1:] if col_name is not None and col_name < len(row)
                 and (t := cell_text(row[col_name])) and not says_nothing(t)]
        other = _other_village_list(reading, heads) if heads else None
        if other is not None:
            sheets = _copies_beside(reading, s)
            reading.problem("rp_objection_sheet_other_village", sheets=_quoted(sheets, reading.doc_lang),
                            count=len(sheets), name=heads[0], sheet=s, row=filled[0], col=filled[1], **other)
            continue
        reading.problem("rp_objection_sheet_added", extra=s, to=taken, sheet=s, row=filled[0], col=filled[1])
    return good


def _check_posted_list(reading: _Reading, rows: list[dict]) -> None:
    """A posted list (a publicity, the announcement) is filled in nowhere: what is typed on it (a
    column added, 异议情况; a note beside a household, 异议成立,取消; a line below the table) is
    never read, so an objection written there would be recorded as none. Each such cell is refused,
    pointing to the sheet where it belongs (异议处理, 张贴记录). Printed: the title and the notice's
    lines above the header (each in its first column, merged across), the printed columns, and below
    the table the seal line, its date and any signature line."""
    step, sheet = reading.step, reading.sheet
    if not (step.objections or step.form_sheet):
        return
    cells = reading.filled.sheets.get(sheet, [])
    at = reading.header_at  # the table _read_rows read
    printed = set(reading.printed.values())
    households = {r["at"] for r in rows}
    # A list of nobody (a village with nobody left on it) printed one row in their place: (无).
    nobody = not households and at + 1 < len(cells) and bool(cells[at + 1]) \
        and is_printed_text(cells[at + 1][0], ("none_listed",), reading.doc_lang)
    last = max(households, default=at + nobody)
    # As printed: a blank row after the table, then the signatures' row and the issuer's two lines.
    tail = range(last + 2, last + 2 + bool(step.signatures) + 2 * bool(step.issuer))
    texts = (*step.signatures, *((step.issuer,) if step.issuer else ()), *(("none_listed",) if nobody else ()))
    key, belongs = (("rp_posted_list_extra", "sheet_objections") if step.objections
                    else ("rp_posted_list_extra_form", step.form_sheet))
    for i, row in enumerate(cells):
        # Below the table, a line the village signs (the seal line with names written in, 审核人:王丽
        # 2020.11.20) in any cells: no objection, nothing to refuse.
        signed = i > last and is_signature_line(row)
        for j, value in enumerate(row):
            text = cell_text(value)
            if not text:
                continue
            if i < at:
                fine = j == 0
            elif i == at or i in households:
                fine = j in printed
            elif i < last:
                fine = False
            else:
                fine = signed or (j == 0 and (i in tail or parse_date(value) is not None)) \
                    or is_printed_text(value, texts, reading.doc_lang) or is_signature_line([value])
            if not fine:
                shown = text if len(text) <= 40 else text[:39] + "…"
                reading.problem(key, text=shown, to=label(belongs, reading.doc_lang), sheet=sheet, row=i, col=j)


def _record_period_step(reading: _Reading, rows: list[dict], villages: list[tuple[str, str]]) -> None:
    """A publicity or the announcement, recorded once its period has ended: objections (a publicity),
    the posting (the announcement), and every household's outcome on the period's last day."""
    step, lang, doc = reading.step, reading.lang, reading.doc
    start, end = dt.date.fromisoformat(doc["period_start"]), dt.date.fromisoformat(doc["period_end"])
    # The form first: the posting day moves the period, and no objection is settled before it.
    form_values = {}
    posted, posted_at, read = None, {}, True
    for key, (value, ok, sheet) in _form_values(reading).items():
        if not ok:
            read = False
            continue
        if isinstance(value, tuple):  # a date: from the period's start on (posted late: below), not in the future
            day, row, col = value
            if day > reading.today:
                reading.problem("rp_date_future", field=label(key, lang), date=day.isoformat(),
                                today=reading.today.isoformat(), sheet=sheet, row=row, col=col)
                read = False
                continue
            if day < start:
                reading.problem(_posting_words(step, "rp_posting_date"), field=label(key, lang), date=day.isoformat(),
                                start=start.isoformat(), end=end.isoformat(), sheet=sheet, row=row, col=col)
                read = False
                continue
            if key == "posting_date":
                posted, posted_at = day, {"sheet": sheet, "row": row, "col": col}
            value = day.isoformat()
        form_values[key] = value
    objected: dict[int, list[dict]] = {}  # household → its objections, the one that decides it first
    omitted: list[dict] = []  # objections that a household not on the list should be on it (漏评)
    if step.objections:
        objections = _read_objections(reading, rows, start, posted if posted is not None and posted > start else None)
        if objections is None:
            return
        for o in objections:
            if o["household"] is None:
                omitted.append(o)
            else:
                objected.setdefault(o["household"], []).append(o)
        for household, its in objected.items():
            # Upheld: the first one upheld takes it off, on its day; none: it waits for the last settled.
            upheld = [o for o in its if o["upheld"]]
            first = min(upheld, key=lambda o: o["day"]) if upheld else max(its, key=lambda o: o["day"])
            objected[household] = [first, *(o for o in its if o is not first)]
            reading.decision_cells[household] = first["cell"]
    if not read:
        return
    if posted is not None and posted > start:
        # Posted late: it must still be up its full days, counted from the posting; the households are
        # on the register from that period's last day, not the printed one.
        late_end = posted + dt.timedelta(days=(end - start).days)
        if reading.today <= late_end:  # still up its days: passed over, as one in its printed period is
            reading.waiting = Phrase("reg_record_posted_late_waiting", file=reading.filled.name,
                                     step=label(f"step_{step.id}", lang), place=_doc_place(reading.state, doc, lang),
                                     posted=posted.isoformat(), start=start.isoformat(), end=late_end.isoformat(),
                                     after=(late_end + dt.timedelta(days=1)).isoformat())
            return
        reading.notes.append(Phrase(_posting_words(step, "rp_posted_late"), step=label(f"step_{step.id}", lang),
                                    posted=posted.isoformat(),
                                    start=start.isoformat(), end=late_end.isoformat()))
        start, end = posted, late_end
    if posted is not None:
        # The posting moves the period's end (late: counted from it), the day after which the next step
        # may begin: an amended posting date is checked against what was recorded after it, as a date is.
        moved = (_posting_words(step, "rp_posting_moves_end"), {"field": label("posting_date", lang),
                                                                 "posted": posted.isoformat(), "end": end.isoformat()})
        if not _before_next(reading, end, label("period_end", lang), villages, {**posted_at, "within": moved}):
            return
    elif step.kind == "publicity" and step.form_sheet:  # no posting day: counted from the print day, said once
        reading.notes.append(Phrase("rp_pub_no_posting_date", step=label(f"step_{step.id}", lang),
                                    sheet=label(step.form_sheet, reading.doc_lang), start=start.isoformat(),
                                    end=end.isoformat()))
    if objected:
        _say_settled_late(reading, rows, objected, end)
    settled = pd.Series([objected[r["household"]][0]["day"].isoformat() if r["household"] in objected else None
                         for r in rows], dtype=object)
    outcome_days = held_by_objections(pd.Series(end.isoformat(), index=settled.index, dtype=object), settled)
    # As many objection facts per household as any has, here or recorded before: one gone is blanked.
    slots = max([len(its) for its in objected.values()] + [_objection_slots(reading.state), 1])
    for r, decided in zip(rows, outcome_days.tolist()):
        its = objected.get(r["household"], [])
        reading.fact("decision", "no" if its and its[0]["upheld"] else "yes", dt.date.fromisoformat(decided),
                     household=r["household"])
        if not step.objections:
            continue
        for n in range(slots):
            o = its[n] if n < len(its) else None
            suffix = f"_{n + 1}" if n else ""
            reading.fact(f"objection{suffix}", o["content"] if o else None, o["day"] if o else None,
                         household=r["household"])
            reading.fact(f"objection_result{suffix}", _objection_result(o), o["day"] if o else None,
                         household=r["household"])
            if o and o["withdrawn"]:
                reading.notes.append(Phrase("rp_objection_withdrawn", name=cell_text(r["head_name"]),
                                            date=o["day"].isoformat(), no=procedure().objection.no(lang)))
    for t, v in villages:
        reading.fact("period_start", start.isoformat(), start, township=t, village=v)
        reading.fact("period_end", end.isoformat(), end, township=t, village=v)
        reading.fact("date", end.isoformat(), end, township=t, village=v)
        for key, value in form_values.items():
            reading.fact(key, value, end, township=t, village=v)
        if step.objections:
            for kind in ("omission", "exit_also"):
                _record_omissions(reading, [o for o in omitted if o["kind"] == kind], t, v, kind)


def _say_settled_late(reading: _Reading, rows: list[dict], objected: dict[int, list[dict]], end: dt.date) -> None:
    """An objection settled after the period (verifying it took days) holds its village's next step
    until that day (State.held_until): said as recorded, once per village with its last such day, not
    first by the next `register next` (a clerk who dated the next step at the period's end learnt it late)."""
    where = {r["household"]: (r["township"], r["village"]) for r in rows}
    last: dict[tuple[str, str], dt.date] = {}
    for household, its in objected.items():
        day = max(o["day"] for o in its)
        if day > end:
            last[where[household]] = max(day, last.get(where[household], day))
    proc, lang, step = reading.state.proc, reading.lang, reading.step
    at = proc.index(step.id)
    nxt = proc.steps[at + 1] if at + 1 < len(proc.ids) else None  # an exit's posting is its last step
    for (t, v), day in sorted(last.items(), key=lambda item: item[1]):
        reading.notes.append(Phrase("rp_objection_settled_late" if nxt else "rp_objection_settled_late_last",
                                    village=_place(t, v, lang, village_place=True), step=label(f"step_{step.id}", lang),
                                    settled=day.isoformat(), end=end.isoformat(),
                                    next=label(f"step_{nxt.id}", lang) if nxt else ""))


def _objection_result(o: dict | None) -> str | None:
    """An objection's outcome as the register keeps it: upheld, dismissed, or withdrawn (raised, then
    taken back by whoever raised it: the household stays as listed, as for dismissed, and the register
    says it was withdrawn rather than judged)."""
    if o is None:
        return None
    return "upheld" if o["upheld"] else "withdrawn" if o.get("withdrawn") else "dismissed"


def _objection_slots(state: State) -> int:
    """The most objection facts (`objection`, `objection_2` …) any household has recorded: read once
    per command, not once per file (a county's hundred villages each read the whole round's facts)."""
    def make():
        recorded = state.current["field"].str.extract(r"^objection_(\d+)$")[0].dropna().astype(int)
        return int(recorded.max()) if len(recorded) else 1
    return state.once("objection_slots", make)


def _posting_words(step: Step, key: str) -> str:
    """A posting's message in the words of its step: a publicity's (公示期) or the 公告's (公告期); the
    退出公示's late posting says when the households leave, no step following it."""
    if key == "rp_posted_late" and procedure().track_of(step.id) == "exit":
        return "rp_exit_posted_late"
    return key.replace("rp_", "rp_pub_", 1) if step.kind == "publicity" else key


def _posted_before_printed(reading: _Reading) -> None:
    """A posting date before the print day, said while the period runs too: it is wrong whatever the
    day it is recorded on (a 公告 posted before the county's review), and waiting out the period to be
    told so costs the village a week."""
    step, doc = reading.step, reading.doc
    sheet = label(step.form_sheet, reading.doc_lang)
    cells = reading.filled.sheets.get(sheet)
    found = find_form_value(cells, "posting_date", reading.filled.merges.get(sheet, ())) if cells else None
    day = parse_date(found[0]) if found is not None and cell_text(found[0]) else None
    if day is not None and day.isoformat() < doc["period_start"]:
        reading.problem(_posting_words(step, "rp_posting_date"), field=label("posting_date", reading.lang),
                        date=day.isoformat(), start=doc["period_start"], end=doc["period_end"], sheet=sheet,
                        row=found[1], col=found[2])


def _registered_places(reading: _Reading, head_name: str) -> list[tuple[str, bool]]:
    """The places (乡镇村) of the households on the register whose head is `head_name`, as last
    surveyed, each with whether it is on this round's exit list: none when no household of the
    register has that head."""
    latest = db.latest_screened(reading.reg)
    latest = latest[latest["household"].isin(on_register(reading.reg)["household"])]
    hits = latest[head_keys(latest["head_name"]).eq(head_key(head_name)).to_numpy()]
    # One on this round's exit list of another village is that village's to post; say so.
    leaving = hits["household"].isin(reading.state.households["household"]).to_numpy()
    return list(zip((hits["township"].fillna("").astype(str) + hits["village"].fillna("").astype(str)).tolist(),
                    leaving.tolist()))


def removed_at(state: State) -> pd.DataFrame:
    """The round's households a step took off the list (its decision no), each with its place, head,
    that step and the day of its decision: one named later as left out (漏评) was not missed but decided."""
    decisions = state.household_facts("decision")
    before = state.alive().shift(1, axis=1, fill_value=True).astype(bool)
    left = (decisions.eq("no") & before).to_numpy()
    who = np.flatnonzero(left.any(axis=1))
    at = left.argmax(axis=1)[who]
    h = state.households.iloc[who]
    return pd.DataFrame({"household": h["household"].to_numpy(), "township": h["township"].to_numpy(),
                         "village": h["village"].to_numpy(),
                         "head": head_keys(h["head_name"]).to_numpy(dtype=object),  # as objections name them
                         "step": [state.proc.ids[i] for i in at],
                         "date": state.household_dates("decision").to_numpy()[who, at]})


def _omission_slots(state: State, step: str, kind: str) -> dict[tuple[str, str], int]:
    """{(township, village): its `{kind}_head` facts recorded at a step}, those blanked since too:
    the round's village facts read once per command, not once per village."""
    def make():
        current = state.current
        held = current[(current["household"] < 0) & (current["step"] == step)
                       & current["field"].str.match(rf"^{kind}_head(?:_\d+)?$")]
        return held.groupby(["township", "village"]).size().to_dict()
    return state.once(("omission_slots", step, kind), make)


def _record_omissions(reading: _Reading, omitted: list[dict], township: str, village: str,
                      kind: str = "omission") -> None:
    """The village's objections about a household not on the list, each its head, what it says and
    its outcome on the day it was settled: `{kind}_head`, `{kind}`, `{kind}_result`, then `_2` … A
    slot recorded before and gone now is blanked. Each is said. `omission`: it should be on the list
    (漏评), an upheld one needs the household surveyed, which no step here does; `exit_also` (an exit's
    posting): a household of the register that should leave too, which its own round decides."""
    before = _omission_slots(reading.state, reading.step.id, kind).get((township, village), 0)
    if not omitted and not before:  # nothing said and nothing to blank: most villages of a county
        return
    # The round's removals and the village's survey: only where an objection names a head.
    removed = reading.state.once("removed_at", lambda: removed_at(reading.state)) \
        if kind == "omission" and omitted else None
    screened = None
    if removed is not None:
        removed = removed[removed["township"].eq(township).to_numpy() & removed["village"].eq(village).to_numpy()]
        # The village's households this round's survey screened: one named was not missed but screened
        # out, and a form for the next screen would only repeat that income; it is the income to re-check.
        screened = db.screened_in_village(reading.reg, reading.state.round_id, township, village)
        screened["head"] = head_keys(screened["head_name"])
    for n in range(max(len(omitted), before)):
        o = omitted[n] if n < len(omitted) else None
        suffix = f"_{n + 1}" if n else ""
        day = o["day"] if o else None
        result = _objection_result(o)
        for fld, value in ((f"{kind}_head", o and o["head_name"]), (kind, o and o["content"]),
                           (f"{kind}_result", result)):
            reading.fact(f"{fld}{suffix}", value, day, township=township, village=village)
        if o:
            key = {"omission": "rp_omission", "exit_also": "rp_exit_also"}[kind]
            leaving = [place for place, on_exit in o["places"] if on_exit]
            key = f"{key}_listed" if leaving else f"{key}_upheld" if o["upheld"] else f"{key}_dismissed"
            # One of this round's list that an earlier step took off was not missed: the objection
            # contests that step's decision, which no survey answers.
            gone = removed[removed["head"].eq(head_key(o["head_name"])).to_numpy()] if removed is not None else []
            if len(gone) and o["upheld"]:
                key = "rp_omission_removed"
            seen = screened[screened["head"].eq(head_key(o["head_name"])).to_numpy()] if screened is not None else []
            status, per_capita = "", ""
            if not len(gone) and len(seen) and o["upheld"]:
                key = "rp_omission_screened"
                status = label(seen["status"].iloc[0], reading.lang, target=label("target", reading.lang))
                per_capita = fen_text(seen["per_capita_fen"].iloc[0]) or "—"
            step = gone["step"].iloc[0] if len(gone) else None
            reading.notes.append(Phrase(key, name=o["head_name"], content=o["content"], date=o["day"].isoformat(),
                                        status=status, per_capita=per_capita,
                                        result=procedure().objection.word("yes" if o["upheld"] else "no", reading.lang),
                                        place=list(dict.fromkeys(place for place, _ in o["places"])),
                                        exit_place=list(dict.fromkeys(leaving)),
                                        step=label(f"step_{step}", reading.lang) if step else "",
                                        decided=gone["date"].iloc[0] if step else ""))


@dataclass
class StepOutcome(FileOutcome):
    """A step's document recorded: its outcome, and the step's date for its villages (the latest of
    them): the day its decisions took effect, a 公告's the day its households are on the register."""

    date: str | None = None


@dataclass
class _Checked:
    """A file as checked: its document, step, track's state and facts; then what they change and the
    outcome. A measure form has its reading instead of facts."""

    filled: FilledDocument
    doc: dict | None
    step: Step | None
    facts: pd.DataFrame | None
    changes: pd.DataFrame | None = None
    outcome: FileOutcome | None = None
    state: State | None = None
    measures: MeasureReading | None = None
    notes: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # household → (sheet, row, col) of its decision here
    reason_cells: dict = field(default_factory=dict)  # … and of its reason, where the step has one


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    """Equal values, two blanks counting as equal."""
    a, b = a.astype(object), b.astype(object)
    return (a.isna() & b.isna()) | (a.notna() & b.notna() & a.eq(b))


def _changes(state: State, facts: pd.DataFrame) -> pd.DataFrame:
    """The facts that differ from what the register holds now, with the value they replace. Where
    several files of one batch state a fact (a document and its reprint, both filled in), each is
    compared with the register as the files before it leave it (`_in_batch`): as recording them one
    command after another would, a repeat changing nothing and a conflict needing --amend. `old_file`
    names the file an `old` value comes from, where it is one of the batch's; `batch_recorded` says
    that an earlier file of the batch records its village's step."""
    if facts.empty:
        return facts.assign(old=None, old_effective=None, changeset=None, old_file=None, batch_recorded=False)
    current = state.current[KEY + ["new", "effective"]].rename(columns={"new": "old", "effective": "old_effective"})
    merged = facts.merge(current, on=KEY, how="left")
    if "file" in merged:
        merged = _in_batch(state, merged)
    else:
        merged = merged.assign(old_file=None, batch_recorded=False)
    same_value = _same(merged["new"], merged["old"])
    # A decision's date is a change of its own only where each row has its date (a visit); elsewhere
    # it is the village's date, which its own event carries.
    by_village = merged["step"].isin([s.id for s in state.proc.steps if s.dated_by_village])
    # An objection's day is the day it was settled, which holds its household and the next step.
    dated = (merged["field"].eq("date") | merged["field"].str.match(OBJECTION_FIELDS)) \
        | (merged["field"].eq("decision") & ~by_village)
    same_day = _same(merged["effective"], merged["old_effective"]) | ~dated
    return merged[~(same_value & same_day)]


def _in_batch(state: State, merged: pd.DataFrame) -> pd.DataFrame:
    """Facts merged with the register's (`old`, `old_effective`), each file's (`file`: its place in the
    batch, `file_name`) compared instead with the same fact of the last file before it in the batch
    that states it: two printings of one document given together are read in turn, never each
    against the register alone (the second's 不同意 overwrote the first's 同意; an objection or 漏评
    on both was kept twice). Adds `old_file` (the file the old value is from, where it is the
    batch's) and `batch_recorded` (an earlier file records the step for the fact's village)."""
    order = merged.sort_values("file", kind="stable")
    grouped = order.groupby(KEY, sort=False)
    earlier = pd.DataFrame({"new": grouped["new"].shift(), "effective": grouped["effective"].shift(),
                            "file": grouped["file_name"].shift()}).reindex(merged.index)
    from_batch = earlier["file"].notna()
    out = merged.assign(old=merged["old"].where(~from_batch, earlier["new"]),
                        old_effective=merged["old_effective"].where(~from_batch, earlier["effective"]),
                        old_file=earlier["file"].where(from_batch, None))
    # The first file of the batch recording each village's step: a later one finds it recorded.
    dates = merged[(merged["household"] < 0) & (merged["field"] == "date")]
    first = dates.groupby(["township", "village", "step"])["file"].min()
    households = merged["household"]
    where = state.by_household[["township", "village"]]
    township = merged["township"].where(households < 0, households.map(where["township"]))
    village = merged["village"].where(households < 0, households.map(where["village"]))
    recorded_by = pd.Series(first.reindex(pd.MultiIndex.from_arrays([township, village, merged["step"]])).to_numpy(),
                            index=merged.index)
    return out.assign(batch_recorded=(recorded_by < merged["file"]).fillna(False).astype(bool))


def _expected(state: State, rows: pd.DataFrame) -> dict[int, dict]:
    """A document's printed rows by 序号: the household, its row hash, township, village and name."""
    info = state.household_info
    out = {}
    for seq, household, digest in zip(rows["seq"].tolist(), rows["household"].tolist(), rows["row_hash"].tolist()):
        township, village, name = info.get(household, ("", "", ""))
        out[seq] = {"household": household, "row_hash": digest, "township": township, "village": village,
                    "head_name": name}
    return out


def _holds_text(path: Path) -> bool:
    try:
        return content_suffix(path) in CSV_SUFFIXES
    except OSError:
        return False


def _refuse_step_folder(out_dir: Path, lang: Lang) -> None:
    """`-o 文书2/2-入户核实`: a step's folder of a documents folder given for the folder itself (the last
    step's folder, or the next's beside it), where the next step's folder would be made inside it. Refused,
    naming the documents folder; a folder of that name never used for one (nothing beside it) is taken."""
    proc = procedure()
    names = proc.step_folders()
    step = names.get(out_dir.name.strip().casefold())
    if step is None:
        return
    parent = out_dir.parent
    beside = target_exists(parent) and any(p.is_dir() and p.name.casefold() in names for p in parent.iterdir())
    if beside or target_exists(out_dir):
        raise OutputError("reg_next_folder_is_step", path=str(out_dir), step=label(f"step_{step.id}", lang),
                          parent=str(parent))


def _to_fill_in(step: Step) -> bool:
    """Whether a step's document as printed lacks what it must be recorded with: a decision per row,
    a required field. A publicity's is complete as printed: its empty 异议处理 sheet is no objection."""
    return step.decision is not None or any(f.required for f in (*step.form_fields, *step.row_fields))


def _file_names_another_village(state: State, filled: FilledDocument, step: Step, villages: list[tuple[str, str]],
                                named_step: Step | None) -> tuple[str, str] | None:
    """The village a file's name names (高家店镇-胜利村-民主评议.xlsx as printed, 高家店镇-胜利村.xlsx as
    printed before names said the step) when it is another village of this round than the one the
    document is for (a form renamed, or another village's form sent). `named_step`: the other step
    its name names (_file_names_another_step), or None."""
    stem = filled.path.stem
    for lang in ("zh", "en"):  # the step's word, in the language it may have been printed in
        kind = _file_kind(step, lang)
        if kind and stem.endswith(f"-{kind}"):
            stem = stem[:-len(kind) - 1]
    if named_step is not None:  # another step's word after the place (红星村-第二次公示): the place is before it
        stem = stem.rsplit("-", 1)[0]
    township, _, village = stem.partition("-")
    named = (township.strip(), village.strip())
    if not villages or named in villages:
        return None
    known = set(zip(state.doc_villages["township"], state.doc_villages["village"]))
    return named if named in known else None


def _file_names_another_step(filled: FilledDocument, step: Step) -> Step | None:
    """The step a file's name names after its place (伏龙泉镇-红星村-第二次公示.xlsx) when it is another
    step than the document's (its 第一次公示 sent under that name): the longest step's word in the name's
    last part, so that 退出民主评议 is not read as 民主评议."""
    last = filled.path.stem.rsplit("-", 1)[-1].casefold()
    named = [(len(word), s) for s in procedure().all_steps for lang in ("zh", "en")
             if (word := label(f"step_{s.id}", lang).casefold()) and word in last]
    if not named:
        return None
    found = max(named, key=lambda n: n[0])[1]
    return None if found.id == step.id else found


@dataclass
class _SheetRows:
    """A sheet with a household table (a header naming 户主姓名; not the 异议处理 sheet), as it holds
    the document's printed rows: the 序号 whose identifying cells read as printed (`printed`), and
    the heads named on none of the printed rows (`strangers`: a household added)."""

    name: str
    header: tuple
    printed: set[int]
    strangers: list[str]


def _sheets_with_rows(reading: _Reading, expected: dict[int, dict]) -> list[_SheetRows]:
    """Every sheet of the file holding a household table, with the printed rows it holds (by their row
    hashes: a sheet is the document's by what it holds, not by its name or its place among the
    sheets), row by row as _read_rows reads them. The printed sheet as the only table, as nearly
    every form comes back, is taken without hashing its rows twice (a county's form of 90,000)."""
    step, proc = reading.step, reading.state.proc
    names_printed = set(head_keys(pd.Series([e["head_name"] for e in expected.values()], dtype=object)))
    headers = {}
    for name, cells in reading.filled.sheets.items():
        at = find_header(cells, "head_name")
        if at is not None and not (step.objections and find_column(cells[at], proc.objection.column) is not None):
            headers[name] = at  # not 异议处理: read as the objections
    if list(headers) == [reading.filled.identity.sheet or label(f"sheet_{step.id}", reading.doc_lang)]:
        name = next(iter(headers))
        return [_SheetRows(name, (), set(expected), [])]
    found = []
    for name, at in headers.items():
        cells = reading.filled.sheets[name]
        header = cells[at]
        cols = [find_column(header, key) for key in step.identity]
        name_col = find_column(header, "head_name")
        seq_col = find_column(header, "seq")
        printed, strangers = set(), []
        for row in cells[at + 1:]:
            get = lambda j: row[j] if j is not None and j < len(row) else ""  # noqa: E731
            seq = parse_count(get(seq_col))
            if seq in expected and None not in cols and row_matches([get(j) for j in cols], expected[seq]["row_hash"]):
                printed.add(seq)
                continue
            who = cell_text(get(name_col))
            if who and not says_nothing(who) and head_key(who) not in names_printed:
                strangers.append(who)
        width = max((i + 1 for i, v in enumerate(header) if cell_text(v)), default=0)
        found.append(_SheetRows(name, tuple(cell_text(v) for v in header[:width]), printed, strangers))
    return found


def _check_sheets(reading: _Reading, expected: dict[int, dict]) -> None:
    """Which sheet holds the document's list, and what the other sheets hold. The list is on the sheet
    printed for it, or, renamed, on the one sheet holding printed rows (said, and read). Refused: the
    printed sheet gone and its rows on several sheets (a township's form split by village: all its
    rows on one sheet again), a sheet copying the list (which copy counts is not the register's to
    guess), a sheet with rows of the list moved off it, and a sheet listing households the list does
    not (a 补报户 sheet: a household is added by a survey and a screen, as a row added to the list is
    refused). Any other sheet with something on it is not read, and said (a sign-in sheet, a note)."""
    filled, step, lang = reading.filled, reading.step, reading.lang
    printed_name = filled.identity.sheet or label(f"sheet_{step.id}", reading.doc_lang)
    tables = _sheets_with_rows(reading, expected)
    by_name = {t.name: t for t in tables}
    holding = [t for t in tables if t.printed]
    table = by_name.get(printed_name)
    if table is None and len(holding) == 1:
        table = holding[0]
        reading.notes.append(Phrase("rp_sheet_renamed", printed=printed_name, now=table.name))
    elif table is None and len(holding) > 1:
        names = [t.name for t in holding]
        seqs = [seq for t in holding for seq in t.printed]
        key = "rp_table_split" if len(seqs) == len(set(seqs)) else "rp_table_copies_printed_gone"
        reading.problem(key, printed=printed_name, sheets=_quoted(names, reading.doc_lang), count=len(names),
                        total=len(expected))
        return
    elif table is None:
        table = tables[0] if tables else None
    reading.table = table.name if table is not None else ""
    for t in tables:
        if t is table:
            continue
        if t.strangers and (other := _other_village_list(reading, t.strangers)) is not None:
            # The sheets copied along with it (张贴记录 (2), 异议处理 (2)) named in the same refusal:
            # one deleted alone left the others, and the objections on them, to be taken for this village's.
            sheets = _copies_beside(reading, t.name)
            reading.problem("rp_sheet_other_village" if len(sheets) == 1 else "rp_sheets_other_village",
                            extra=t.name, count=len(t.strangers), name=t.strangers[0], sheet=t.name,
                            sheets=_quoted(sheets, reading.doc_lang), others=_quoted(sheets[1:], reading.doc_lang),
                            n=len(sheets), **other)
        elif t.strangers:
            reading.problem("rp_sheet_added_households_publicity" if step.objections else "rp_sheet_added_households",
                            extra=t.name, count=len(t.strangers), name=t.strangers[0], printed=reading.table, sheet=t.name,
                            objections=label("sheet_objections", reading.doc_lang))
        elif table is not None and (t.printed - table.printed):
            moved = sorted(t.printed - table.printed)
            seqs = label("list_sep", reading.doc_lang).join(map(str, moved[:8])) + ("…" if len(moved) > 8 else "")
            reading.problem("rp_sheet_rows_moved", extra=t.name, printed=table.name, count=len(moved), seqs=seqs,
                            sheet=t.name)
        elif table is not None and (t.printed or t.header == table.header):
            reading.problem("rp_sheet_copied", original=table.name, copy=t.name, sheet=t.name)
    known = {t.name for t in tables}
    if step.form_sheet:
        known.add(label(step.form_sheet, reading.doc_lang))
    if step.objections:
        known.add(label("sheet_objections", reading.doc_lang))
    for name, cells in filled.sheets.items():
        if name in known or any(find_form_value(cells, f.key) for f in step.form_fields):
            continue
        if step.objections and (at := find_header(cells, "head_name")) is not None \
                and find_column(cells[at], reading.state.proc.objection.column) is not None:
            continue
        if (note := sheet_not_read(name, cells, lang)) is not None:  # not printed with it: nothing on it is read
            reading.notes.append(note)


def _other_village_list(reading: _Reading, strangers: list[str]) -> dict | None:
    """Where every head a sheet adds is a candidate of one other village of the round (永安村's list
    pasted into 新立村's workbook), that village and its own document of this step, for the refusal
    to say where those results go: not 'a household to survey', which they are not. None otherwise."""
    state, doc = reading.state, reading.doc
    h = state.households
    ours = state.doc_villages[state.doc_villages["document"] == doc["id"]]
    mine = set(zip(ours["township"].tolist(), ours["village"].tolist()))
    typed = {head_key(n) for n in strangers}
    named = h.loc[head_keys(h["head_name"]).isin(typed).to_numpy(), ["township", "village", "head_name"]]
    named = named.loc[~pd.MultiIndex.from_frame(named[["township", "village"]]).isin(list(mine))]
    places = set(zip(named["township"].tolist(), named["village"].tolist()))
    if len(places) != 1 or set(head_keys(named["head_name"])) != typed:
        return None
    (t, v), = places
    docs = state.documents
    theirs = docs[(docs["step"] == doc["step"]) & (docs["round"] == doc["round"]) & (docs["township"] == t)
                  & (docs["village"] == v)]
    file_name = theirs["file_name"].iloc[-1] if len(theirs) else ""
    return {"place": _place(t, v, reading.lang), "ours": _quoted([_place(a, b, reading.lang) for a, b in sorted(mine)],
                                                                  reading.lang),
            "step": label(f"step_{doc['step']}", reading.lang), "file": file_name or "—"}


def _quoted(names: Sequence[str], lang: Lang) -> str:
    """Sheet names as a refusal lists them: 「长山村」、「双山村」."""
    return label("list_sep", lang).join(f"「{n}」" for n in names)


class _TrackStates(dict):
    """{track: its State}, each loaded when a file of the track is first read: the files of one track
    (most batches) do not load the others'. items(): the tracks loaded, in the procedure's order."""

    def __init__(self, reg: db.Register):
        super().__init__()
        self.reg = reg

    def __missing__(self, track: Track) -> State:
        self[track] = state = load_state(self.reg, track=track)
        return state

    def items(self):
        return [(t, self[t]) for t in TRACKS if t in self]

    @property
    def round_id(self) -> int:
        """The round the states are of: the latest, whichever track was loaded."""
        return next(iter(self.values())).round_id


def _check_file(reg: db.Register, states: dict[str, State], filled: FilledDocument,
                seen: dict[str, tuple[str, str]], *,
                lang: Lang, today: dt.date, docs: dict[str, dict],
                rows: dict[int, pd.DataFrame], amend: bool) -> tuple[list[Problem], _Checked]:
    """Read and check one file; its facts (in `changes`, until compared with the register). `amend`:
    --amend, so that a measure form's change that needs it is said with the form's other problems."""
    nothing = _Checked(filled, None, None, None)
    if filled.unreadable:
        # Saved from WPS or Excel as CSV: a text table holds none of the document's identity.
        text = _holds_text(filled.path)
        return [Problem(filled.name, Phrase("rp_text_table" if text else "rp_unreadable"))], nothing
    ident = filled.identity
    if ident is None:
        return [Problem(filled.name, filled.not_a_document or Phrase("rp_no_identity"))], nothing
    if ident.register_id and ident.register_id != reg.register_id:
        return [Problem(filled.name, Phrase("rp_other_register", path=str(reg.path)))], nothing
    doc = docs.get(ident.doc_id)
    if doc is None and ident.register_id == reg.register_id:  # printed by a copy of this register (a USB stick's)
        return [Problem(filled.name, Phrase("rp_doc_of_a_copy", doc_id=ident.doc_id, path=str(reg.path)))], nothing
    if doc is None:
        return [Problem(filled.name, Phrase("rp_unknown_doc", doc_id=ident.doc_id, path=str(reg.path)))], nothing
    if ident.doc_id in seen:
        other, other_sha256 = seen[ident.doc_id]
        if filled.sha256 == doc["sha256"] and other_sha256 != doc["sha256"] and doc["step"] != MEASURES_STEP:
            # The copy as printed beside the filled one (files of a document as printed come last): passed over.
            state = states[procedure().track_of(doc["step"])]
            place, step = _doc_place(state, doc, lang), state.proc[doc["step"]]
            said = Phrase("reg_record_printed_copy_beside", file=filled.name, step=label(f"step_{step.id}", lang),
                          place=place, recorded=other)
            beside = FileOutcome(filled.name, doc["step"], place, "printed_copy", 0, 0, 0, notes=(said,))
            return [], _Checked(filled, doc, step, None, outcome=beside, state=state)
        if filled.sha256 != other_sha256:  # two versions of one document: which one holds is the clerk's to say
            return [Problem(filled.name, Phrase("rp_given_twice_differ", other=other))], nothing
        # A copy byte for byte (the village's e-mail and its USB stick in one folder): read once.
        if doc["step"] == MEASURES_STEP:
            place, step, state = form_place(doc, lang), None, None
        else:
            state = states[procedure().track_of(doc["step"])]
            place, step = _doc_place(state, doc, lang), state.proc[doc["step"]]
        copy = FileOutcome(filled.name, doc["step"], place, "copy", 0, 0, 0, notes=(other,))
        return [], _Checked(filled, doc, step, None, outcome=copy, state=state)
    seen[ident.doc_id] = (filled.name, filled.sha256)
    printed = rows.get(doc["id"], pd.DataFrame(columns=["seq", "household", "row_hash"]))
    if doc["step"] == MEASURES_STEP:  # a measure form: of no round's procedure, any round's form is good
        if filled.sha256 == doc["sha256"]:  # as printed, byte for byte: not come back yet, as a step's form
            skipped = FileOutcome(filled.name, MEASURES_STEP, form_place(doc, lang), "not_filled", 0, 0, 0)
            return [], _Checked(filled, doc, None, None, outcome=skipped)
        reading = read_measure_form(reg, filled, doc, printed, lang=lang, today=today, amend=amend)
        return reading.problems, _Checked(filled, doc, None, None, measures=reading)
    state = states[procedure().track_of(doc["step"])]
    if doc["round"] != state.round_id:
        # Another year's form (last year's meeting): its results are that year's, never to be copied
        # onto this year's form; only a form of an earlier round of this same year is copied over.
        years = db.rounds(reg).set_index("id")["year"]
        year, current_year = int(years.get(doc["round"], state.round["year"])), int(state.round["year"])
        if _recorded_as_it_is(reg, filled, doc, lang=lang, today=today, docs=docs, rows=rows):
            # Handed in again with this year's forms (a village's folder of both years): nothing of it
            # is new, passed over as a form of this round recorded again is, not refused.
            place = _doc_place(state, doc, lang)
            said = Phrase("reg_record_earlier_round_recorded", file=filled.name, step=label(f"step_{doc['step']}", lang),
                          place=place, year=year, round=doc["round"])
            again = FileOutcome(filled.name, doc["step"], place, "earlier_round", 0, 0, 0, notes=(said,))
            return [], _Checked(filled, doc, None, None, outcome=again, state=state)
        key = "rp_old_round" if year == current_year else "rp_old_round_year"
        return [Problem(filled.name, Phrase(key, round=doc["round"], current=state.round_id, year=year,
                                            current_year=current_year))], nothing
    step = state.proc[doc["step"]]
    if filled.sha256 == doc["sha256"] and _to_fill_in(step):
        # As printed, byte for byte: a village that has not returned its form yet (a step's folder is
        # recorded as its forms come back). Passed over, said; a publicity as printed is "no objection".
        # The office's copy as printed of a form recorded from the village's filled one is no form to fill.
        place = _doc_place(state, doc, lang)
        recorded = db.recorded_from(reg, doc["doc_id"])
        if recorded is not None:
            said = Phrase("reg_record_printed_copy", file=filled.name, step=label(f"step_{step.id}", lang), place=place,
                          recorded=recorded[0], on=recorded[1])
            copy = FileOutcome(filled.name, step.id, place, "printed_copy", 0, 0, 0, notes=(said,))
            return [], _Checked(filled, doc, step, None, outcome=copy, state=state)
        skipped = FileOutcome(filled.name, step.id, place, "not_filled", 0, 0, 0)
        return [], _Checked(filled, doc, step, None, outcome=skipped, state=state)
    villages = state.doc_villages[state.doc_villages["document"] == doc["id"]]
    villages = list(dict.fromkeys(zip(villages["township"], villages["village"])))
    reading = _Reading(filled, state, doc, step, lang, today, reg)
    named_step = _file_names_another_step(filled, step)
    named = _file_names_another_village(state, filled, step, villages, named_step)
    if named is not None:  # recorded for the village its identity says; the file's name is only a name
        reading.notes.append(Phrase("rp_file_names_other", file=filled.path.name, named=_place(*named, lang),
                                    place=_doc_place(state, doc, lang)))
    if named_step is not None:  # recorded as the step its identity says, the name said as misleading
        reading.notes.append(Phrase("rp_file_names_other_step", file=filled.path.name,
                                    named=label(f"step_{named_step.id}", lang), step=label(f"step_{step.id}", lang),
                                    place=_doc_place(state, doc, lang)))
    prev = state.proc.previous(step.id)
    # A list of nobody (_with_nobody_listed) follows whichever step emptied it, or none.
    if prev is not None and len(printed):
        done = state.village_facts("date")[prev.id]
        for t, v in villages:
            if pd.isna(done.get((t, v))):
                reading.problem("rp_step_out_of_order", village=_place(t, v, lang), step=label(f"step_{prev.id}", lang),
                                this=label(f"step_{step.id}", lang))
    stale = state.stale[state.stale["document"] == doc["id"]]
    if len(stale) and not reading.problems:
        said = dict(step=label(f"step_{step.id}", lang), issued=doc["issued"], changes=_stale_words(state, stale, lang),
                    place=_doc_place(state, doc, lang))
        # Every household of it found by a late township's survey: void, nothing to print again; passed
        # over with a word, not a refusal of the batch it came back in.
        if set(printed["household"]) <= set(stale.loc[stale["change"] == "joined", "household"]):
            void = FileOutcome(filled.name, step.id, said["place"], "void", 0, 0, 0,
                               notes=(Phrase("rp_doc_void_joined", file=filled.name, **said),))
            return [], _Checked(filled, doc, step, None, outcome=void, state=state)
        reading.problem("rp_doc_stale", **said)
    expected = _expected(state, printed)
    _check_sheets(reading, expected)
    if reading.problems:
        return reading.problems, _Checked(filled, doc, step, None, state=state)
    if step.has_period and today <= dt.date.fromisoformat(doc["period_end"]):
        # Still in its period (objections may be on it already): it cannot be recorded before the
        # period ends, and holds up none of the files given with it. Passed over, saying when; a
        # posting day before the print day is refused now.
        if step.form_sheet and any(f.key == "posting_date" for f in step.form_fields):
            _posted_before_printed(reading)
            if reading.problems:
                return reading.problems, _Checked(filled, doc, step, None, state=state)
        return [], _Checked(filled, doc, step, None, outcome=_in_period(filled, state, doc, step, lang), state=state)
    rows = _read_rows(reading, expected)
    # A row's problems (an ID edited, a 序号 twice) leave the other rows to be read: every problem of
    # the file is said at once. Nothing is recorded while any is left.
    if rows is not None:
        _struck_on_rows(reading, rows)  # a row or cell struck through: never read as a change, never silent
        if step.posted and not reading.problems:  # an edited row's cells are not words typed on the list
            _check_posted_list(reading, rows)
        if step.kind == "decision":
            _record_decision_step(reading, rows, villages)
        else:
            _record_period_step(reading, rows, villages)
    if reading.problems:
        return reading.problems, _Checked(filled, doc, step, None, state=state)
    if reading.waiting is not None:
        waiting = FileOutcome(filled.name, step.id, _doc_place(state, doc, lang), "in_period", 0, 0, 0,
                              notes=(reading.waiting,))
        return [], _Checked(filled, doc, step, None, outcome=waiting, state=state)
    facts = pd.DataFrame(reading.facts, columns=KEY + ["new", "effective"])
    return [], _Checked(filled, doc, step, facts, None, state=state, notes=reading.notes,
                        cells=reading.decision_cells, reason_cells=reading.reason_cells)


def _recorded_as_it_is(reg: db.Register, filled: FilledDocument, doc: dict, *, lang: Lang, today: dt.date,
                       docs: dict[str, dict], rows: dict[int, pd.DataFrame]) -> bool:
    """Whether a form of an earlier round holds nothing but what the register recorded from it: the
    very file recorded (its SHA-256), or one that reads, against its own round, to no change (saved
    again in Excel). A form with a problem or a change there is no such form: refused as of its round."""
    if filled.sha256 in db.last_recorded_files(reg, [doc["doc_id"]]).get(doc["doc_id"], ()):
        return True
    if not db.recorded_documents(reg, [doc["doc_id"]]):
        return False
    track = procedure().track_of(doc["step"])
    then = {track: load_state(reg, int(doc["round"]), track=track)}
    found, checked = _check_file(reg, then, filled, {}, lang=lang, today=today, docs=docs, rows=rows, amend=False)
    if found or checked.facts is None:
        return False
    return _changes(then[track], checked.facts).empty


def _in_period(filled: FilledDocument, state: State, doc: dict, step: Step, lang: Lang) -> FileOutcome:
    """A publicity or announcement whose period has not ended, as passed over: its note says the
    period and the first day it can be recorded (and that what is typed on it is recorded then)."""
    end = dt.date.fromisoformat(doc["period_end"])
    filled_in = Phrase("reg_record_in_period_filled") if filled.sha256 != doc["sha256"] else ""
    note = Phrase("reg_record_in_period", file=filled.name, step=label(f"step_{step.id}", lang),
                  place=_doc_place(state, doc, lang), start=doc["period_start"], end=end.isoformat(),
                  after=(end + dt.timedelta(days=1)).isoformat(), filled=filled_in)
    return FileOutcome(filled.name, step.id, _doc_place(state, doc, lang), "in_period", 0, 0, 0, notes=(note,))


# Rows of one column with the same problem (√ in every 评议结果 cell) said in one line from this many.
ALIKE_ROWS = 3
_CELL = re.compile(r"([A-Z]+)(\d+)")
_ROW_OWN = ("seq", "name")  # a problem's words of its row (序号 3(张三)), not of the problem


class _WithoutRow:
    """A row's problem as said of several rows: its words without its row's own (序号 N(name):)."""

    def __init__(self, what: Phrase):
        self.what = what

    def render(self, lang: Lang) -> str:
        text = self.what.render(lang)
        params = self.what.params
        if self.what.key == "rp_of_row":
            return params["what"].render(lang)
        lead = label("rp_of_row", lang, seq=params["seq"], name=params["name"], what="")
        return text.removeprefix(lead)


def _alike_key(p: Problem) -> tuple | None:
    """What makes two problems the same problem of two rows: file, sheet, column, and the words but
    the row's own; None for one that is not of a row's cell."""
    at = _CELL.fullmatch(p.cell) if isinstance(p.cell, str) else None
    what = p.what.params["what"] if p.what.key == "rp_of_row" else p.what
    if at is None or not all(k in p.what.params for k in _ROW_OWN):
        return None
    rest = {k: v for k, v in what.params.items() if k not in _ROW_OWN}
    return p.file, p.sheet, at.group(1), what.key, repr(sorted(rest.items()))


def _in_reading_order(problems: list[Problem]) -> list[Problem]:
    """The problems of each file (files as they came) in the order its cells are read: by sheet as first
    named, row, then column, a file's problems of no cell first (an outside try read L6, K7, L8, J4, J5:
    in the order the checks ran)."""
    files = {f: i for i, f in enumerate(dict.fromkeys(p.file for p in problems))}
    sheets = {s: i for i, s in enumerate(dict.fromkeys(p.sheet for p in problems))}

    def where(p: Problem) -> tuple:
        cell = _CELL.fullmatch(p.cell) if isinstance(p.cell, str) else None
        if cell is None:
            return files[p.file], -1, 0, 0, ""
        column = cell.group(1)
        return files[p.file], sheets[p.sheet], int(cell.group(2)), len(column), column
    return sorted(problems, key=where)


def _alike_rows_once(problems: list[Problem]) -> list[Problem]:
    """The problems as the refusal lists them: those of one file, sheet and column that say the same of
    each row's household said once, with the rows, where ALIKE_ROWS or more; in the place of the
    first, the others as they are."""
    keys = [_alike_key(p) for p in problems]
    count = Counter(k for k in keys if k is not None)
    out, said = [], set()
    for p, key in zip(problems, keys):
        if key is None or count[key] < ALIKE_ROWS:
            out.append(p)
        elif key not in said:
            said.add(key)
            rows = [int(_CELL.fullmatch(q.cell).group(2)) for q, k in zip(problems, keys) if k == key]
            out.append(Problem(p.file, Phrase("rp_rows_alike", rows=RowRuns(rows), count=len(rows),
                                              what=_WithoutRow(p.what)), p.sheet,
                               Phrase("rp_at_column", column=key[2])))
    return out


# The same problem on this many files or more (the same words but each file's own: its cells, rows,
# 序号 and names) is said once, with the files after it (an outside try: 121 villages' 民主评议 with
# the same two mistakes, 900 lines); on fewer, each file's lines as they are.
ALIKE_FILES = 3
# The files named under a problem said once: past these (about 20 lines at 80 columns), how many more.
ALIKE_FILES_SHOWN = 40
# A document's file as register next names it: 乡镇-村-步骤.xlsx (the places said by township, the
# step's ending once).
_VILLAGE_FILE = re.compile(r"([^-/\\]+)-([^-/\\]+)(-[^/\\]+)")


def _across_files_key(p: Problem) -> tuple:
    """What a listed problem says but its file's own: the sheet, the column (of a row's problem or of
    rows alike) or the cell, and the words without the rows, 序号 and name."""
    if isinstance(p.cell, Phrase) and p.cell.key == "rp_at_column" and p.what.key == "rp_rows_alike":
        what = p.what.params["what"].what
    elif _alike_key(p) is not None:
        what = p.what
    else:  # a cell of the form (会议时间 B3), or the file's own problem: the very same words
        return "cell", p.sheet, repr(p.cell), p.what.key, repr(sorted(p.what.params.items()))
    what = what.params["what"] if what.key == "rp_of_row" else what
    rest = {k: v for k, v in what.params.items() if k not in _ROW_OWN}
    column = p.cell.params["column"] if isinstance(p.cell, Phrase) else _CELL.fullmatch(p.cell).group(1)
    return "column", p.sheet, column, what.key, repr(sorted(rest.items()))


def _rows_of(p: Problem) -> list[int]:
    if p.what.key == "rp_rows_alike":
        return [r for first, last in p.what.params["rows"].ranges for r in range(first, last + 1)]
    return [int(_CELL.fullmatch(p.cell).group(2))]


def _alike_files_once(listed: list[Problem], below: set[str] = frozenset(), shown: int | None = None) -> list:
    """The refusal's entries: a problem alike on ALIKE_FILES files or more said once, in the place of
    its first, with its files and their rows (the first `shown`; None: all); the others as their lines
    are. `below`: the files listed at the refusal's end (a problem of a cell of every one of them
    points there, not named twice)."""
    keys = [_across_files_key(p) for p in listed]
    files: dict[tuple, dict[str, list[int] | None]] = {}
    for p, key in zip(listed, keys):
        at = files.setdefault(key, {})
        if key[0] == "column":
            at.setdefault(p.file, []).extend(_rows_of(p))
        else:
            at[p.file] = None
    out, said = [], set()
    for p, key in zip(listed, keys):
        if len(files[key]) < ALIKE_FILES:
            out.append(p.phrase())
        elif key not in said:
            said.add(key)
            out.append(_said_once(p, key, files[key], listed_below=key[0] == "cell" and set(files[key]) == below,
                                  shown=shown))
    return out


def _said_once(p: Problem, key: tuple, files: dict[str, list[int] | None], listed_below: bool = False,
               shown: int | None = None) -> Phrase:
    """One problem of many files: the words once, with how many files (and households), then where."""
    places = [Phrase("rp_files_listed_below")] if listed_below else _file_places(list(files.items()), shown=shown)
    if key[0] == "column":
        rows = sum(len(r) for r in files.values())
        head = Phrase("rp_files_alike_column", files=len(files), count=rows, sheet=p.sheet, column=key[2],
                      what=_WithoutRow(p.what.params["what"].what if p.what.key == "rp_rows_alike" else p.what))
    elif p.sheet:
        head = Phrase("rp_files_alike_at", files=len(files), sheet=p.sheet, cell=p.cell, what=p.what)
    else:
        head = Phrase("rp_files_alike", files=len(files), what=p.what)
    return Phrase("rp_files_alike_block", head=head, places=Lines(places))


def _file_places(files: list[tuple[str, list[int] | None]], shown: int | None = None) -> list[Phrase]:
    """Files (with their rows, if any) compactly, a line per township where all are named as register
    next names them (乡镇-村-步骤.xlsx, the same step), else a few to a line; past `shown`, how many more."""
    more = len(files) - shown if shown is not None and len(files) > shown else 0
    files = files[:len(files) - more]
    named = [_VILLAGE_FILE.fullmatch(f) for f, _ in files]
    lines: list[Phrase] = []
    if all(named) and len({m.group(3) for m in named}) == 1:
        lines.append(Phrase("rp_files_named", ending=named[0].group(3)))
        towns: dict[str, list] = {}
        for m, (_, rows) in zip(named, files):
            place = Phrase("rp_file_rows", place=m.group(2), rows=RowRuns(rows)) if rows else m.group(2)
            towns.setdefault(m.group(1), []).append(place)
        lines += [Phrase("rp_files_of_township", township=t, places=v) for t, v in towns.items()]
    else:
        places = [Phrase("rp_file_rows", place=f, rows=RowRuns(rows)) if rows else f for f, rows in files]
        lines += [Phrase("rp_files_line", places=places[i:i + 2]) for i in range(0, len(places), 2)]
    if more:
        lines.append(Phrase("rp_files_more", count=more))
    return lines


def _say_made_stale(reg: db.Register, states: dict[str, State], checked: list[_Checked], lang: Lang) -> None:
    """An amendment that changes who is listed while a later step's document is out makes that
    document void (it is refused if recorded, and register next prints it again): the clerk is told
    beside the amending file's outcome."""
    for track, before in states.items():
        amending = [c for c in checked if c.state is before and c.outcome is not None and c.outcome.status == "amended"
                    and c.changes["field"].eq("decision").any()]
        if not amending:
            continue
        after = load_state(reg, track=track)
        fresh = after.stale[~after.stale["document"].isin(before.stale["document"])]
        for document, part in fresh.groupby("document", sort=True):
            doc = after.documents[after.documents["id"] == document].iloc[0]
            households = set(part["household"].tolist())
            c = next((c for c in amending if households & set(c.changes["household"].tolist())), amending[0])
            place = _doc_place(after, doc, lang)
            c.outcome.notes = (*c.outcome.notes, Phrase("rp_doc_now_stale", place=place, issued=doc["issued"],
                                                        step=label(f"step_{doc['step']}", lang)))


def _stale_words(state: State, stale: pd.DataFrame, lang: Lang) -> list[Phrase]:
    """What changed on a stale document's list, a phrase per household."""
    names = state.household_info
    words = []
    given = stale["name"].tolist() if "name" in stale.columns else [""] * len(stale)
    joined = [named for change, named in zip(stale["change"].tolist(), given) if change == "joined"]
    if joined:  # no longer the track's: their township's late survey found them; said once for all
        words.append(Phrase("rp_stale_joined", names="」「".join(joined)))
    for household, change in zip(stale["household"].tolist(), stale["change"].tolist()):
        name = names.get(household, ("", "", ""))[2]
        if change == "joined":
            continue
        if change == "added":
            words.append(Phrase("rp_stale_added", name=name))
        else:
            off = state.off_list_step(household)
            words.append(Phrase("rp_stale_removed", name=name, step=label(f"step_{off}", lang) if off else ""))
    return words


def _outcome(state: State, checked: _Checked, changes: pd.DataFrame, decided: tuple[int, int], *, lang: Lang,
             amend: bool, reg: db.Register) -> list[Problem]:
    """What recording one checked file changes: refused where it changes a recorded fact without
    --amend; otherwise its outcome is set on `checked`. `decided`: its households and those of
    them turned down."""
    filled, doc, step = checked.filled, checked.doc, checked.step
    batch = changes["batch_recorded"].to_numpy(dtype=bool) if "batch_recorded" in changes else False
    amended = changes[changes["old"].notna() | _of_a_recorded_step(state, step, changes) | batch] \
        if len(changes) else changes
    late = _reinstated_too_late(state, step, amended, checked, lang)
    if late:
        return late
    if len(amended) and not amend:
        reverted = _reverting(reg, state, amended)
        if reverted is not None and reverted["reverts"].all():
            # The version an --amend replaced, come back again: nothing to record, said with that
            # amendment; recording it without --amend would be refused, and with it would undo it.
            checked.outcome = FileOutcome(filled.name, step.id, _doc_place(state, doc, lang), "void", 0, 0, 0,
                                          notes=tuple(_reverted_words(state, step, reverted, filled.name, lang)))
            return []
        names = state.household_info
        problems = []
        # A decision whose date alone follows the step's changed date (the meeting held a day later)
        # is that one change, said once by the village's date, not once more per household.
        if (amended["field"].eq("date") & amended["household"].lt(0)).any():
            amended = amended[~(amended["household"].ge(0) & _same(amended["new"], amended["old"]))]
        for r in amended.itertuples():
            what = field_label(step, r.field, lang)
            old, new = shown_value(step, r.field, r.old, lang), shown_value(step, r.field, r.new, lang)
            # What an earlier file of this batch says is named as that file's, not as recorded.
            other = r.old_file if isinstance(getattr(r, "old_file", None), str) else None
            if r.household >= 0:
                name = names.get(r.household, ("", "", ""))[2]
                what_said = Phrase("rp_amend_needed_batch", name=name, what=what, old=old, new=new, other=other) \
                    if other else Phrase("rp_amend_needed", name=name, what=what, old=old, new=new)
                problems.append(Problem(filled.name, what_said, *_cell_of(checked, r.household, r.field)))
            else:
                place = _place(r.township, r.village, lang)
                what_said = Phrase("rp_amend_needed_village_batch", village=place, what=what, old=old, new=new,
                                   other=other) if other else \
                    Phrase("rp_amend_needed_village", village=place, what=what, old=old, new=new)
                problems.append(Problem(filled.name, what_said))
        return problems
    status = "unchanged" if changes.empty else ("amended" if len(amended) else "recorded")
    place = _doc_place(state, doc, lang)
    checked.changes = changes
    days = checked.facts.loc[checked.facts["field"].eq("date") & checked.facts["household"].lt(0), "new"].dropna()
    # Recorded before with the same content: what recording said then is not said again, but a file
    # name naming another village or step is (the clerk takes it for the form the name says).
    notes = tuple(checked.notes) if status != "unchanged" else \
        tuple(n for n in checked.notes if n.key in ("rp_file_names_other", "rp_file_names_other_step"))
    checked.outcome = StepOutcome(filled.name, step.id, place, status, decided[0], decided[1], len(changes),
                                  notes=notes,
                                  date=str(days.max()) if len(days) else None)
    return []


def _reverting(reg: db.Register, state: State, amended: pd.DataFrame) -> pd.DataFrame | None:
    """The changes a file makes, each with the event that set the value it replaces and that event's
    changeset (`at`, `command`, `source_file`, `reason`), and `reverts`: the value was set by an
    --amend and this file says what was recorded before it (the events keep the old value), so the
    file is the version that amendment replaced. None where no change replaces an amended value."""
    if "old_file" in amended and amended["old_file"].notna().any():  # against another file of the batch
        return None
    held = state.current[KEY + ["changeset", "old"]].rename(columns={"old": "before"})
    merged = amended.drop(columns=["changeset"], errors="ignore").merge(held, on=KEY, how="left")
    ids = merged["changeset"].dropna().astype(np.int64).unique().tolist()
    if not ids:
        return None
    sets = db.changesets(reg, ids).set_index("id")
    by = merged["changeset"].astype("Int64")
    for col in ("at", "command", "source_file", "reason"):
        merged[col] = by.map(sets[col]).astype(object).to_numpy()
    amending = merged["command"].eq("register record --amend").to_numpy(dtype=bool)
    merged["reverts"] = amending & _same(merged["new"], merged["before"]).to_numpy(dtype=bool)
    return merged if merged["reverts"].any() else None


def _reverted_words(state: State, step: Step, reverted: pd.DataFrame, file: str, lang: Lang) -> list[Phrase]:
    """A version an --amend replaced, come back: per amendment, the households and fields it changed
    that this file holds as before, the day, the reason and the file of that amendment."""
    names = state.household_info
    said = []
    for _, rows in reverted.groupby("changeset", sort=True):
        items: dict[str, list[str]] = {}  # who → what of theirs, each field once
        for r in rows.itertuples():
            who = f"「{names.get(r.household, ('', '', ''))[2]}」" if r.household >= 0 else _place(r.township, r.village,
                                                                                               lang)
            items.setdefault(who, []).append(label(
                "rp_amend_reverted_item", lang, what=field_label(step, r.field, lang),
                now=shown_value(step, r.field, r.old, lang), before=shown_value(step, r.field, r.new, lang)))
        first = rows.iloc[0]
        said.append(Phrase("rp_amend_reverted", file=file, date=str(first["at"])[:10], reason=first["reason"] or "—",
                           source=first["source_file"] or "—",
                           items=label("rp_amend_reverted_sep", lang).join(
                               label("rp_amend_reverted_who", lang, who=who, what=label("list_sep", lang).join(what))
                               for who, what in items.items())))
    return said


def _of_a_recorded_step(state: State, step: Step, changes: pd.DataFrame) -> np.ndarray:
    """Whether each change is to a step its village has recorded already. There a blank was recorded
    too: "no objection to 赵四" is what the publicity said, so an objection added to it later changes
    the record, as a word changed does (--amend, a reason), dismissed or upheld."""
    done = state.village_fact("date", step.id)
    if not done:
        return np.zeros(len(changes), dtype=bool)
    households = changes["household"]
    where = state.by_household[["township", "village"]]
    township = changes["township"].where(households < 0, households.map(where["township"]))
    village = changes["village"].where(households < 0, households.map(where["village"]))
    return pd.MultiIndex.from_arrays([township, village]).isin(list(done))


def _reinstated_too_late(state: State, step: Step, amended: pd.DataFrame, checked: _Checked,
                         lang: Lang) -> list[Problem]:
    """A decision changed by an amendment after its village has recorded a later step, refused, --amend
    or not: a household turned down and agreed now (the later documents went out without it, and
    nothing would bring it back onto them), or agreed and turned down now (the later documents list
    it and decided on it; on the register, it leaves by the exit procedure, not by rewriting the
    step it passed). A turn-down while the later document is only out is recorded: that document is
    void (_say_made_stale)."""
    if not len(amended):
        return []
    changed = amended[(amended["field"] == "decision") & (amended["household"] >= 0)
                      & (((amended["old"] == "no") & (amended["new"] == "yes"))
                         | ((amended["old"] == "yes") & (amended["new"] == "no") & (state.proc.name == "entry")))]
    if not len(changed):
        return []
    here = state.proc.index(step.id)
    last = state.progress()["last"]  # per village, the last step done
    on_register = state.alive()[state.proc.ids[-1]]
    names = state.household_info
    problems = []
    for r in changed.itertuples():
        township, village, name = names.get(r.household, ("", "", ""))
        reached = int(last.get((township, village), -1))
        if reached <= here:
            continue
        words = {"name": name, "step": label(f"step_{step.id}", lang),
                 "later": label(f"step_{state.proc.ids[reached]}", lang),
                 "old": shown_value(step, "decision", r.old, lang), "new": shown_value(step, "decision", r.new, lang)}
        if r.new == "yes":
            key = "rp_reinstate_too_late"
        else:
            key = "rp_turn_down_registered" if bool(on_register.get(r.household, False)) else "rp_turn_down_too_late"
        problems.append(Problem(checked.filled.name, Phrase(key, **words), *_cell_of(checked, r.household, "decision")))
    return problems


def _cell_of(checked: _Checked, household: int, fld: str) -> tuple[str, str]:
    """(sheet, cell) where a checked file gives a household's `fld`: its decision (or the objection
    that decides), its reason; ('', '') for a fact of no cell of its row (the form's date)."""
    if fld == "reason":
        cells = checked.reason_cells
    elif fld == "decision" or fld.startswith("objection"):
        cells = checked.cells
    else:
        return "", ""
    sheet, row, col = cells.get(household, ("", None, None))
    return (sheet, cell_name(row, col)) if row is not None and col is not None else ("", "")


def _objection_field(fld: str) -> str:
    """objection_2 → objection, objection_result_3 → objection_result: each objection of a household
    is said as the first is."""
    return fld.rsplit("_", 1)[0] if fld.startswith(("objection", "omission", "exit_also")) \
        and fld.rsplit("_", 1)[-1].isdigit() else fld


def field_label(step: Step, fld: str, lang: Lang) -> str:
    fld = _objection_field(fld)
    if fld == "decision":
        return label(step.decision.column, lang) if step.decision else label(f"step_{step.id}", lang)
    if fld == "reason" and step.decision:
        return label(step.decision.reason, lang)
    key = {"date": "step_date", "objection": "objection_content", "objection_result": "objection_result",
           "omission": "omission_content", "exit_also": "exit_also_content", "period_start": "period_start", "period_end": "period_end"}.get(fld, fld)
    return label(key, lang)


def shown_value(step: Step, fld: str, value, lang: Lang) -> str:
    fld = _objection_field(fld)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        # A publicity's blank objection is what its 异议处理 sheet said: no objection.
        return label("objection_none" if fld in ("objection", "objection_result") else "blank", lang)
    if fld == "decision" and step.decision is not None:
        return step.decision.word(value, lang)
    if fld == "decision" and step.kind == "announcement":
        return label("registered_word", lang)
    if fld == "decision":
        return label("passed" if value == "yes" else "objection_upheld", lang)
    if fld in ("objection_result", "omission_result", "exit_also_result") and value == "withdrawn":
        return label("objection_withdrawn_shown", lang)
    if fld in ("objection_result", "omission_result", "exit_also_result"):
        return procedure().objection.word("yes" if value == "upheld" else "no", lang)
    return str(value)


# The workbooks a document may be saved as; a lock file (inputs.LOCK_PREFIX, ~$名称.xlsx) is none.
DOCUMENT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


def document_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Path]]:
    """(the documents to record, the lock files passed over): a folder gives the workbooks in it and
    in its folders (the folder register next wrote holds a folder per step); an Excel/WPS lock file
    (~$…, there while a document is open, and caught by *.xlsx) is no document. A path that is
    neither file nor folder stops everything (InputError)."""
    files = files_given(paths, DOCUMENT_SUFFIXES, empty_folder="folder_no_documents", subfolders=True,
                        text_only="folder_text_documents")
    locks = [p for p in files if p.name.startswith(LOCK_PREFIX)]
    documents = [p for p in files if not p.name.startswith(LOCK_PREFIX)]
    if not documents:
        raise InputError("record_only_lock_files", files=[p.name for p in locks])
    return documents, locks


@dataclass
class _MeasuresCompared:
    problems: list[Problem]
    recorded: set[int]  # id() of the forms recorded already (inside the command's transaction)


def _compare_measure_forms(reg: db.Register, forms: list[_Checked], *, lang: Lang, amend: bool, reason: str | None,
                           today: dt.date) -> _MeasuresCompared:
    """Each measure form compared with the register, in the batch's order. A form sharing households
    with a later one (a village's form and the copy printed again when it was lost, both filled in)
    is recorded first, inside the command's transaction, and the later one compared with the register
    as it then stands: the same measure on both is recorded once and the second says nothing new, as
    two commands would have it (each compared with the register alone, both were stored). Any
    problem in the batch rolls it all back."""
    problems: list[Problem] = []
    recorded: set[int] = set()
    shared: set[int] = set()  # households of forms recorded early
    for k, c in enumerate(forms):
        mine = set(c.measures.households)
        if mine & shared:  # read again: what the earlier form recorded is held now
            c.measures.history = None
        found = compare_measures(reg, c.measures, c.filled, c.doc, lang=lang, amend=amend)
        problems += found
        if not found and any(mine & set(d.measures.households) for d in forms[k + 1:]):
            record_measures(reg, [(c.measures, c.filled, c.doc)], reason, today)
            recorded.add(id(c))
            shared |= mine
    return _MeasuresCompared(problems, recorded)


def _note_saved_again(reg: db.Register, checked: list[_Checked]) -> None:
    """A form recorded before, given again as a file never given (opened in Excel or WPS and saved on
    close: other bytes, the same content), found to change nothing: that file is noted as the
    document's, a changeset with no event, so that a documents folder holding it keeps it as it keeps
    the recorded file (db.recorded_form_hashes): `register next` and `register measures` with --force
    do not stop at it."""
    outcomes = [c.measures.outcome if c.measures is not None else c.outcome for c in checked]
    again = [c for c, o in zip(checked, outcomes) if o is not None and c.doc is not None
             and o.status in ("unchanged", "earlier_round") and c.filled.sha256 != c.doc["sha256"]]
    # A register of an older format is not upgraded for a note ("没有改动" said, a colleague's older
    # program then refusing the file): its folder keeps asking, as before the upgrade.
    if not again or reg.upgrade_from is not None:
        return
    known = db.recorded_form_hashes(reg)
    again = [c for c in again if c.filled.sha256 not in known]
    # A document never recorded stays out: a file noted does not take it back.
    taken_back = db.recorded_documents(reg, [c.doc["doc_id"] for c in again])
    for c in again:
        if c.doc["doc_id"] in taken_back:
            db.add_changeset(reg, db.SAVED_AGAIN, source_file=c.filled.name, source_sha256=c.filled.sha256,
                             doc_id=c.doc["doc_id"])


def record_documents(reg: db.Register, paths: Sequence[str | Path], *, lang: Lang = "zh", amend: bool = False,
                     reason: str | None = None, today: dt.date | None = None) -> list[FileOutcome]:
    """`register record`: check every file, then record them all in one transaction. Any problem in
    any file: nothing is recorded, and every problem is listed (InputError 'record_refused'). The
    files may be documents of either track of the procedure and measure forms, mixed."""
    from ..pipeline import given_day, given_flag, given_lang, given_paths  # as screen() takes them

    paths = given_paths(paths, empty="no_documents_given", not_paths="documents_argument_not_paths")
    lang, amend, today = given_lang(lang), given_flag(amend, "amend"), given_day(today, "today") or dt.date.today()
    if amend and not (reason or "").strip():
        raise UsageError("amend_needs_reason")
    files, _ = document_files(paths)
    # Each named by as many of its folders as tell it from another of the same name (year two: 1-民主评议/
    # and 退出1-民主评议/ both hold 合隆镇-新立村.xlsx).
    labels = input_labels(files)
    filled = [open_filled(p, labels[p], tables=True) for p in files]
    with reg.writing():
        states = _TrackStates(reg)
        problems: list[Problem] = []
        checked: list[_Checked] = []
        seen: dict[str, tuple[str, str]] = {}  # doc_id → (the file that gave it, its SHA-256)
        # The documents and their printed rows, two queries for all the files.
        docs = db.documents_by_id(reg, [f.identity.doc_id for f in filled if f.identity is not None])
        printed = db.document_rows(reg, [d["id"] for d in docs.values()])
        by_doc = dict(iter(printed.groupby("document"))) if len(printed) else {}
        # A document's copy as printed after any other file of it (文书/ given whole, the office's copy
        # beside the village's filled one): the filled one is read, the copy passed over (_check_file).
        as_printed = {d["doc_id"]: d["sha256"] for d in docs.values()}
        given = Counter(f.identity.doc_id for f in filled if f.identity is not None)
        filled.sort(key=lambda f: f.identity is not None and given[f.identity.doc_id] > 1
                    and as_printed.get(f.identity.doc_id) == f.sha256)
        for one in filled:
            found, result = _check_file(reg, states, one, seen, lang=lang, today=today, docs=docs, rows=by_doc,
                                        amend=amend)
            problems += found
            checked.append(result)
        changes = pd.DataFrame(columns=KEY + ["new", "effective", "old", "file"])
        # What every file that read changes, against the register as it is (one comparison per track),
        # whether or not another file has a problem: each compares against the register alone, not
        # against the batch, so the refusal names every problem at once; a clerk who fixes what it
        # named then meets no new one. Recording stays all or nothing: any problem, nothing recorded.
        parts_all = []
        # The very file a document was last recorded from, given again (a folder recorded twice): the
        # same, whatever a later version reads into it (an older version recorded a late 公告 so).
        last = db.last_recorded_files(reg, [c.doc["doc_id"] for c in checked if c.doc is not None])
        for track, state in states.items():
            mine = [(i, c) for i, c in enumerate(checked) if c.state is state and c.facts is not None]
            same = [(i, c) for i, c in mine if c.doc is not None and c.filled.sha256 in last.get(c.doc["doc_id"], ())]
            for i, c in same:
                decisions = c.facts[c.facts["field"] == "decision"]
                problems += _outcome(state, c, c.facts.iloc[:0].assign(file=i), (len(decisions),
                                     int((decisions["new"] == "no").sum())), lang=lang, amend=amend, reg=reg)
            mine = [(i, c) for i, c in mine if not any(c is d for _, d in same)]
            if not mine:
                continue
            facts = pd.concat([c.facts.assign(file=i, file_name=c.filled.name) for i, c in mine], ignore_index=True)
            track_changes = _changes(state, facts)
            parts_all.append(track_changes)
            parts = dict(iter(track_changes.groupby("file"))) if len(track_changes) else {}
            decisions = facts[facts["field"] == "decision"]
            counts = decisions.groupby("file").size()
            turned_down = decisions[decisions["new"] == "no"].groupby("file").size()
            for i, c in mine:
                decided = (int(counts.get(i, 0)), int(turned_down.get(i, 0)))
                problems += _outcome(state, c, parts.get(i, track_changes.iloc[:0]), decided, lang=lang,
                                     amend=amend, reg=reg)
        if parts_all:
            changes = pd.concat(parts_all, ignore_index=True)
        # A form whose rows did not all read has had its other households compared already
        # (_problems_of_the_rest), and has no measures to compare here.
        forms = [c for c in checked if c.measures is not None and c.measures.measures is not None]
        early = _compare_measure_forms(reg, forms, lang=lang, amend=amend, reason=reason if amend else None,
                                       today=today)
        problems += early.problems
        if problems:
            bad = len({p.file for p in problems})
            passed_over = sum(c.outcome is not None and c.outcome.status in ("not_filled", "in_period", "copy", "void",
                                                                             "earlier_round", "printed_copy")
                              for c in checked)
            fine = len({f.path for f in filled}) - bad - passed_over
            listed = _alike_rows_once(_in_reading_order(problems))
            names = list(dict.fromkeys(p.file for p in problems))
            # With files to set aside listed last, a problem of a form's cell (B3) of all those files says so.
            gathered = _alike_files_once(listed, below=set(names) if fine > 0 else set(), shown=ALIKE_FILES_SHOWN)
            # A file or two, or files each with its own problems and none good: said as always.
            if bad < ALIKE_FILES or (fine <= 0 and len(gathered) == len(listed)):
                rest = Phrase("record_refused_rest", fine=fine) if fine > 0 else ""
                raise InputError("record_refused", count=len(problems), files=bad,
                                 problems=Lines([p.phrase() for p in listed]), rest=rest)
            # Many files: those to set aside named last, so that the good ones can be recorded now (an
            # outside try: 40 of 121 with a wrong 会议时间, the 81 good ones held up with them).
            end = Phrase("record_refused_end", lines=Lines([Phrase("record_refused_set_aside", fine=fine, bad=bad),
                                                            *_file_places([(n, None) for n in names])])) \
                if fine > 0 else ""
            as_listed = Phrase("record_refused_listed_as", listed=len(gathered)) if len(gathered) < len(problems) else ""
            refused = InputError("record_refused_gathered", count=len(problems), files=bad, listed=as_listed,
                                 problems=Lines(gathered), end=end)
            # Every file under each problem, for record --all-problems (not a parameter its words use).
            refused.every = Lines(_alike_files_once(listed, below=set(names) if fine > 0 else set(), shown=None))
            raise refused
        _note_saved_again(reg, checked)
        # A changeset per file that changes something; its events, all in one insert.
        changed = [(i, c) for i, c in enumerate(checked) if c.changes is not None and len(c.changes)]
        changeset_of = {}
        for i, c in changed:
            command = "register record --amend" if c.outcome.status == "amended" else "register record"
            changeset_of[i] = db.add_changeset(reg, command, source_file=c.filled.name, source_sha256=c.filled.sha256,
                                               doc_id=c.doc["doc_id"], reason=reason if amend else None)
        if changed:
            events = changes[changes["file"].isin(changeset_of)].copy()
            events["changeset"] = events["file"].map(changeset_of)
            events["round"] = states.round_id
            village_fact = events["household"] < 0
            events["household"] = events["household"].astype("Int64").mask(village_fact)
            for col in ("township", "village"):
                events[col] = events[col].where(village_fact, None)
            db.add_events(reg, events)
            _say_made_stale(reg, states, checked, lang)
        record_measures(reg, [(c.measures, c.filled, c.doc) for c in checked
                              if c.measures is not None and id(c) not in early.recorded],
                        reason if amend else None, today)
    return [c.measures.outcome if c.measures is not None else c.outcome for c in checked]
