"""Next year's survey against the register (动态管理): match this year's households to the register's
across the years, and say for each household of the register what the year found.

Matching, in order, each step only among the households not matched yet, and only where both sides
are unambiguous (an ID or 户编号, within its village where numbers recur, that appears once in this
survey and once among the register's households):
1. by the head's ID (户主身份证号), as every round has done;
2. by 户编号, the household number. A county numbers its households county-wide, or per village
   (001, 002 … in every village). A number once in this survey and once on the register is matched
   wherever the row is (a household moved to another village keeps its number); a number that
   recurs, in this survey or on the register, is matched within its village: the township, village
   and number, the places read as the screen reads a place written two ways (前岗村村委会 is 前岗村,
   合隆 is 合隆镇), each once on both sides. A number may be reused: a family that moved in can get
   the number of one that left. So where the head changed, the number alone does not make it the
   same household; it must be confirmed by a person: the new head, or any member this survey lists
   with it, is among whom the register knew in that household (its last head and its last listed
   members: a spouse or child who became head, a dead head's family, the old head now listed as
   父亲), or the head's name is unchanged with an ID put right: the two IDs can be one person's (either
   no valid ID, or their first 17 characters one apart). A valid ID further off under the same name is
   another person of that name, no confirmation. Where the people of both sides are known (the
   register listed that household's members, this survey lists the row's) and nobody is among them,
   it is another family: not matched (the registered household is 本年未调查, the other goes on as
   any household not on the register: a candidate goes through the procedure), and both lines of
   changes.xlsx say so. So too where this year's row is in another village or township than the
   register last had the household (a number once on each side, matched county-wide, may still be
   two villages' own numbering: the one village's household gone, the other's surveyed). Where one
   side lists no members, in the same village, a new head the register did not know does not show
   the family gone (the rest may still live there): matched, as `household_id_unverified`, and
   changes.xlsx asks the clerk to check. A head on two rows of this survey (one household surveyed
   twice, both rows invalid) is matched by neither row's number;
3. by the head's name and place (read as in step 2), only where this year's ID or the register's is
   written but no valid ID, so the two cannot be compared (Excel stored it as a number): each name
   and place once among all this year's rows and all the register's households, the village written
   on both sides, and the first 15 digits agreeing where both IDs still tell them (an ID stored as
   a number keeps 15, the last rounded). changes.xlsx says it is probably the same household, and
   where this year's row holds the ID to put right;
4. by any member's ID (the members this survey lists, and each row's head): against the head and
   the members of each household as the register last knew them (a head who died, or left in a
   分家, while the household stayed). The household keeps its key, and the change of head is shown.
   Last, as a household found by its own head (steps 1 to 3) is his: a son heading his own household
   is a registered member of his father's, and took it where the father's ID was typed wrong.
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
from ..checks import valid_ids
from ..normalise import normalise_id, places_beside_held
from ..outputs.places import this_place_words, village_keys
from ..outputs.privacy import mask_id_shown, mask_in_text
from ..rules import Bounds, RuleSet
from . import db
from .registry import gone as found_gone
from .procedure import head_keys, procedure
from .registry import on_register, registry, removed, still_here, this_stay

# Change codes, in the order changes.xlsx counts them.
CHANGES = ["continue", "exit", "exit_blocked", "excluded", "to_poor", "unjudged", "missing", "new"]
CONDITIONS = ["income", "measure", "labour"]
# An upheld 漏评 of an earlier round as the years after follow it (omissions_followed).
OMISSION_COLUMNS = ["round", "year", "previous", "step", "date", "township", "village", "head_name", "content",
                    "at", "status", "per_capita_fen", "household"]
# How a household was matched across years (round_changes.matched_by), as changes.xlsx words each.
MATCHED_BY = ["head_id", "household_id", "household_id_unverified", "member_id", "head_name"]


@dataclass
class Matched:
    """This round's households (in `rows` order): the register's key, how each was matched, and the
    household's previous screened row (or none)."""

    keys: np.ndarray
    matched_by: pd.Series  # head_id, household_id, household_id_unverified, member_id, head_name, or None (new)
    previous: pd.DataFrame  # the previous latest_screened row per household of this round (NaN: none)
    register_rows: pd.DataFrame  # every household's latest screened row before this round
    # (position, household, why, member_id): rows whose 户编号 is a registered household's that nobody
    # confirmed, why 'people' (both sides' people known, none carries over) or 'elsewhere' (in another
    # village); or whose head's ID ('head') or a member's ('member_id' the ID) is the household's, but
    # another person's in another village (_strangers): a mis-copied ID
    refused: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"position": [], "household": [], "why": []}))
    # Per row, True for the other copies of a household surveyed twice (its head on two rows, both
    # invalid): matched to the one household, the register keeps one row of it (`one_row_each`).
    copies: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))


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


def rows_people(rows: pd.DataFrame, members: pd.DataFrame | None, which: np.ndarray | None = None) -> pd.DataFrame:
    """(hh, member_id): the people of this survey's rows, the members it lists (where it lists any)
    and each row's head (of the rows `which`, all by default), each person once per row."""
    at = np.arange(len(rows)) if which is None else np.flatnonzero(which)
    heads = normalise_id(pd.Series(_text(rows["head_id"])[at], dtype=object)).to_numpy(dtype=object)
    parts = [pd.DataFrame({"hh": at.astype(np.int64), "member_id": heads})]
    if members is not None and len(members):
        parts.insert(0, members[["hh", "member_id"]])
    people = pd.concat(parts, ignore_index=True)
    people = people[people["member_id"].fillna("").ne("").to_numpy()]
    return people.drop_duplicates(["hh", "member_id"]).reset_index(drop=True)


def _unique_map(keys: pd.Series, values: pd.Series) -> pd.Series:
    """keys → values for the keys that occur once (blank keys left out)."""
    keys = keys.astype("string").fillna("")
    once = keys.ne("") & ~keys.duplicated(keep=False)
    return pd.Series(values[once].to_numpy(), index=keys[once].to_numpy())


def _number_keys(rows: pd.DataFrame, registered: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The 户编号 this survey's rows and the register's households (`registered`, latest_screened's rows,
    on its index) are matched by: the bare number where it is once in this survey and once on the
    register (a county numbering county-wide: a household moved to another village keeps it); else
    the number within its place (_read_places), as a county numbering per village has 001 in every
    village and the bare number tells no household. '' where there is none."""
    text = bare_text
    mine = text(rows["household_id"]).reset_index(drop=True)
    theirs = text(registered["household_id"])
    once = set(mine[mine.ne("") & ~mine.duplicated(keep=False)]) & set(theirs[theirs.ne("") & ~theirs.duplicated(keep=False)])
    recurs_mine, recurs_theirs = mine.ne("") & ~mine.isin(once), theirs.ne("") & ~theirs.isin(once)
    if recurs_mine.any() and recurs_theirs.any():
        place_mine, place_theirs = _read_places(rows, registered)
        mine = mine.where(~recurs_mine, place_mine + "\x1f" + mine)
        theirs = theirs.where(~recurs_theirs, place_theirs + "\x1f" + theirs)
    return mine, theirs


def _read_places(rows: pd.DataFrame, registered: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Each row's place and each registered household's last, as one text (township, village), read
    as the screen reads a place written two ways (normalise.place_readings): a spelling with a body's
    words as the name it stands for (前岗村村委会 → 前岗村), and a name similar to one the register has
    (合隆 beside 合隆镇, either way round) as the register's. On the indexes of _number_keys."""
    text = _text
    n = len(registered)
    both = pd.DataFrame({"township": np.r_[text(registered["township"]), text(rows["township"])],
                         "village": np.r_[text(registered["village"]), text(rows["village"])],
                         "held": np.r_[np.ones(n, dtype=bool), np.zeros(len(rows), dtype=bool)]})
    places = both.drop_duplicates().reset_index(drop=True)
    held = places["held"].to_numpy(dtype=bool)
    township, village = places_beside_held(places, held)
    read = pd.Series(township + "\x1f" + village)
    at = pd.MultiIndex.from_frame(places).get_indexer(pd.MultiIndex.from_frame(both))
    read = read.to_numpy(dtype=object)[at]
    return pd.Series(read[n:], dtype=object), pd.Series(read[:n], index=registered.index, dtype=object)


def _number_check(rows: pd.DataFrame, members: pd.DataFrame | None, previous: pd.DataFrame, wanted: pd.Series,
                  known: pd.DataFrame, listed: set) -> pd.Series:
    """Per row of `wanted` (position → the registered household its 户编号 names): 'same' where the
    head is unchanged, or a person confirms it (the new head or a member listed with it among
    `known`, the register's last head and members of that household; or the head's name unchanged
    with an ID put right, one_person); else 'refused' where the people of both sides are known (the
    register listed that household's members, `listed`, and this survey lists the row's): a family
    none of whom lived there; else 'refused_elsewhere' where the row is in another village or
    township than the household's last; else 'unverified' (only one side's people known: nothing to
    tell by)."""
    at = wanted.dropna().astype(np.int64)
    out = pd.Series("same", index=at.index, dtype=object)
    if at.empty:
        return out
    prev = previous.set_index("household")

    text = bare_text
    old_head = text(prev["head_id"]).reindex(at.to_numpy()).fillna("").to_numpy()
    new_head = text(rows["head_id"]).to_numpy()[at.index.to_numpy()]
    old_name = text(prev["head_name"]).reindex(at.to_numpy()).fillna("").to_numpy()
    new_name = text(rows["head_name"]).to_numpy()[at.index.to_numpy()]
    # The same name confirms an ID put right, not a namesake: 崔凤林 born 1983 in 五棵树村 was taken for
    # 崔凤林 born 1950 in 巴吉垒村 by a 户编号 the county numbers per village (an outside try).
    same_name = (old_name != "") & (old_name == new_name) & one_person(pd.Series(old_head), pd.Series(new_head)).to_numpy()
    changed = (old_head != "") & (new_head != "") & (old_head != new_head) & ~same_name
    ask = at[changed]
    if ask.empty:
        return out
    people = [pd.DataFrame({"position": ask.index.to_numpy(), "member_id": new_head[changed]})]
    if members is not None and len(members):
        listed_here = members[members["hh"].isin(ask.index)]
        people.append(pd.DataFrame({"position": listed_here["hh"].to_numpy(),
                                    "member_id": listed_here["member_id"].to_numpy()}))
    people = pd.concat(people, ignore_index=True)
    people["household"] = people["position"].map(ask).to_numpy()
    confirmed = people.merge(known, on=["household", "member_id"])["position"].unique()
    both = ask.isin(listed).to_numpy() & ask.index.isin(members["hh"] if members is not None else [])
    # Numbers recur from village to village where a county numbers per village: found elsewhere,
    # nobody confirming, it is another family's number, not this household moved under a new head.
    def was(col: str) -> np.ndarray:
        return text(prev[col]).reindex(ask.to_numpy()).fillna("").to_numpy()

    def now(col: str) -> np.ndarray:
        return text(rows[col]).to_numpy()[ask.index.to_numpy()]
    elsewhere = (was("village") != "") & (now("village") != "") & ~same_place(
        was("township"), was("village"), now("township"), now("village"))
    out[ask.index] = np.where(ask.index.isin(confirmed), "same",
                              np.where(both, "refused", np.where(elsewhere, "refused_elsewhere", "unverified")))
    return out


def bare_text(s: pd.Series) -> pd.Series:
    """A column as text to compare: blank for none, no white space (张 三 is 张三, 220 122 … an ID)."""
    return s.astype("string").fillna("").str.replace(r"\s+", "", regex=True)


def _text(s: pd.Series) -> np.ndarray:
    return bare_text(s).to_numpy(dtype=object)


def _people_shared(rows: pd.DataFrame, members: pd.DataFrame | None, positions: np.ndarray, households: np.ndarray,
                   known: pd.DataFrame) -> np.ndarray:
    """Per pair (row position, earlier household), how many people of the row (its head, the members
    listed with it) the register knew in that household (`known`: its last head and listed members)."""
    people = [pd.DataFrame({"position": positions, "member_id": _text(rows["head_id"])[positions]})]
    if members is not None and len(members):
        listed = members[members["hh"].isin(positions)]
        people.append(pd.DataFrame({"position": listed["hh"].to_numpy(), "member_id": listed["member_id"].to_numpy()}))
    people = pd.concat(people, ignore_index=True)
    people["household"] = people["position"].map(pd.Series(households, index=positions)).to_numpy()
    shared = people.merge(known, on=["household", "member_id"]).drop_duplicates(["position", "member_id"])
    return shared.groupby("position").size().reindex(positions, fill_value=0).to_numpy()


def _strangers(rows: pd.DataFrame, previous: pd.DataFrame, positions: np.ndarray, households: np.ndarray) -> np.ndarray:
    """Per pair (row position, the earlier household an ID matched it to), whether the row's head is
    another person in another place: the head's name not the household's last head's (nor one character
    apart: a name typed wrong) and the row in another village or township (same_place). Field workers
    copy IDs wrong: 邱福林 of 齐家镇永安村, under the ID of 刘玉芬 of 奢岭街道王家村, took her household
    over, her dates and measures, and she was never missed (an outside try). A move keeps the name; a
    new head (户主变更) or a name put right stays in the village."""
    prev = previous.set_index("household").reindex(households)
    was_name, now_name = _text(prev["head_name"]), _text(rows["head_name"])[positions]
    was_t, was_v = _text(prev["township"]), _text(prev["village"])
    now_t, now_v = _text(rows["township"])[positions], _text(rows["village"])[positions]
    other = (was_name != "") & (now_name != "") & (was_name != now_name) & (was_v != "") & (now_v != "")
    at = np.flatnonzero(other)  # the places read only for the few heads of another name (100,000 matched)
    if len(at):
        other[at] = ~_one_apart(pd.Series(was_name[at]), pd.Series(now_name[at])).to_numpy() \
            & ~same_place(was_t[at], was_v[at], now_t[at], now_v[at])
    return other


def _by_head_and_name(rows: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """Per row (position), where its head's ID is on several earlier households (a mis-copied ID kept
    apart, _strangers: 刘玉芬's household and 邱福林's), the one whose last head's name and place are
    the row's too; NaN elsewhere. By the ID alone (_unique_map) neither is found."""
    ids = pd.Series(_text(previous["head_id"]))
    several = (ids.ne("") & ids.duplicated(keep=False)).to_numpy()
    out = pd.Series(np.nan, index=pd.RangeIndex(len(rows)))
    if not several.any():
        return out
    theirs = pd.DataFrame({"head_id": ids.to_numpy()[several], "name": _text(previous["head_name"])[several],
                           "household": previous["household"].to_numpy()[several],
                           "was_t": _text(previous["township"])[several], "was_v": _text(previous["village"])[several]})
    mine = pd.DataFrame({"position": np.arange(len(rows)), "head_id": _text(rows["head_id"]),
                         "name": _text(rows["head_name"]), "now_t": _text(rows["township"]),
                         "now_v": _text(rows["village"])})
    pairs = mine.merge(theirs, on=["head_id", "name"])
    if pairs.empty:
        return out
    pairs = pairs[same_place(*(pairs[c].to_numpy(dtype=object) for c in ("was_t", "was_v", "now_t", "now_v")))]
    pairs = pairs.drop_duplicates("position", keep=False)
    out[pairs["position"].to_numpy()] = pairs["household"].to_numpy()
    return out


def _id_first_digits(ids: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Per head's ID (text as _text gives it), the 15 significant digits Excel keeps of an ID it stores
    as a number (the 15th rounded, half up), where they can be read: a valid ID's rounded so; an ID
    Excel stored, 2.20122195802276E+17 (a mantissa without its trailing zeros), or saved as text after,
    220122195802276000. '' elsewhere (a typo, a formula): nothing to compare by. Rounding can carry into
    the 14th digit (…02279|6 is stored …0228), so the two are compared rounded alike, not cut."""
    text = pd.Series(ids, dtype=object)
    first16 = pd.to_numeric(text.str[:16].where(valid, "0"), errors="coerce").fillna(0).astype(np.int64)
    rounded = ((first16 + 5) // 10).astype(str).str.zfill(15)
    out = np.where(valid, rounded.to_numpy(dtype=object), "").astype(object)
    number = text.str.extract(r"(?i)^([0-9])(?:\.([0-9]+))?E\+?0*17$")  # 18 digits, as an ID has
    digits = number[0].fillna("") + number[1].fillna("")
    # More than 15 digits (a program wrote the double Excel keeps in full, 2.2012219580227962e+17):
    # rounded to 15 as Excel would show them; fewer, its trailing zeros put back.
    longer = digits.str.len() > 15
    wide = pd.to_numeric(digits.str[:16].where(longer, "0"), errors="coerce").fillna(0).astype(np.int64)
    mantissa = digits.str.ljust(15, "0").str[:15].where(~longer, ((wide + 5) // 10).astype(str).str.zfill(15))
    out = np.where(number[0].notna().to_numpy(), mantissa.to_numpy(dtype=object), out)
    zeros = ~valid & text.str.fullmatch(r"[0-9]{15}000").to_numpy(dtype=bool)  # saved as text after
    return np.where(zeros, text.str[:15].to_numpy(dtype=object), out).astype(object)


def _by_name_where_id_unreadable(rows: pd.DataFrame, previous: pd.DataFrame, found: np.ndarray,
                                 taken: set[int]) -> pd.Series:
    """Per row (position) not matched yet, the earlier household not taken whose last head's name and
    place (read as _read_places reads them) are the row's, where either head's ID is written but no
    valid ID, so the two cannot be compared (Excel stored it as a number, 2.20122195802276E+17, its last
    digits lost; or typed wrong): each name and place once among all this survey's rows and once among
    all the register's households, the village written on both sides, and where both IDs' first digits
    can be read (_id_first_digits) the same 15 digits, rounded alike. NaN elsewhere."""
    out = pd.Series(np.nan, index=pd.RangeIndex(len(rows)))
    # Only the rows and households left (a few in a county of 100,000) are read.
    mine_at = np.flatnonzero(~found)
    theirs = previous[~previous["household"].isin(taken).to_numpy()]
    if not len(mine_at) or theirs.empty:
        return out
    mine = rows.iloc[mine_at]
    # A blank village makes the name alone the key, across the township or the county: not one person.
    written = (_text(mine["head_name"]) != "") & (_text(mine["head_id"]) != "") & (_text(mine["village"]) != "")
    mine, mine_at = mine[written], mine_at[written]
    theirs = theirs[(_text(theirs["head_name"]) != "") & (_text(theirs["head_id"]) != "")
                    & (_text(theirs["village"]) != "")]
    mine_valid = valid_ids(_text(mine["head_id"]))[0]
    theirs_valid = valid_ids(_text(theirs["head_id"]))[0]
    if mine_valid.all() and theirs_valid.all():
        return out
    # "Once" among every row and every household of the name, matched already or not: a namesake in
    # the village matched by his ID is still another 钱五 this row might be. Only the names asked
    # about are read.
    names = set(_text(mine["head_name"])) & set(_text(theirs["head_name"]))
    all_mine = np.flatnonzero(pd.Series(_text(rows["head_name"])).isin(names).to_numpy())
    all_theirs = previous[pd.Series(_text(previous["head_name"])).isin(names).to_numpy()]
    if not len(all_mine) or all_theirs.empty:
        return out
    place_mine, place_theirs = _read_places(rows.iloc[all_mine], all_theirs)
    key_now = pd.Series(_text(rows["head_name"])[all_mine] + "\x1f" + place_mine.to_numpy(dtype=object))
    key_was = pd.Series(_text(all_theirs["head_name"]) + "\x1f" + place_theirs.to_numpy(dtype=object))
    row_of = _unique_map(key_now, pd.Series(all_mine))
    household_of = _unique_map(key_was, all_theirs["household"].reset_index(drop=True))
    now = pd.DataFrame({"position": mine_at, "valid_now": mine_valid,
                        "digits_now": _id_first_digits(_text(mine["head_id"]), mine_valid),
                        "key": pd.Series(key_now.to_numpy(), index=all_mine).reindex(mine_at).to_numpy()})
    now = now[now["key"].map(row_of).eq(now["position"]).to_numpy()]  # the row the one of its key
    now["household"] = now["key"].map(household_of)
    now = now.dropna(subset=["household"]).astype({"household": np.int64})
    # The household left, its head's name and ID written, in a village.
    was = pd.DataFrame({"household": theirs["household"].to_numpy(), "valid_was": theirs_valid,
                        "digits_was": _id_first_digits(_text(theirs["head_id"]), theirs_valid)})
    pairs = now.merge(was, on="household")
    # An ID Excel stored as a number still tells the birth date: another's is another person.
    comparable = (pairs["digits_now"] != "") & (pairs["digits_was"] != "")
    pairs = pairs[(~pairs["valid_now"] | ~pairs["valid_was"]).to_numpy()
                  & ~(comparable & (pairs["digits_now"] != pairs["digits_was"])).to_numpy()]
    out[pairs["position"].to_numpy()] = pairs["household"].to_numpy()
    return out


def match_households(reg: db.Register, round_id: int, rows: pd.DataFrame, members: pd.DataFrame | None) -> Matched:
    """The register's key of every household of this round (new keys for those not found), matched
    by head ID, then 户编号 (confirmed by a person where the head changed), then the head's name where
    an ID cannot be compared, then any member's ID (see the module's docstring)."""
    previous = _without_copies(db.latest_screened(reg, before_round=round_id))
    n = len(rows)
    keys = np.zeros(n, dtype=np.int64)
    found = np.zeros(n, dtype=bool)
    how = np.full(n, None, dtype=object)
    taken: set[int] = set()
    refused = pd.DataFrame({"position": pd.Series(dtype=np.int64), "household": pd.Series(dtype=np.int64),
                            "why": pd.Series(dtype=object)})
    read: dict[str, pd.DataFrame] = {}

    def known_people() -> pd.DataFrame:
        """(member_id, household): whom the register knew by ID, each household's head and its last
        listed members (read once, where asked; read["listed"] the members alone)."""
        if not read:
            listed = db.latest_members(reg, round_id)
            listed = listed[listed["household"].isin(previous["household"])]  # not a copy's (_without_copies)
            both = pd.concat([previous[["head_id", "household"]].rename(columns={"head_id": "member_id"}),
                              listed[["member_id", "household"]]], ignore_index=True)
            read.update(known=both[both["member_id"].fillna("").ne("")].drop_duplicates(), listed=listed)
        return read["known"]

    barred: dict[int, int] = {}  # position → the household it was found not to be (refuse_strangers)
    strangers: list[pd.DataFrame] = []

    def claim(candidates: pd.Series, name) -> None:
        """Give each unmatched row its candidate key, where the key is free and no other row of this
        step wants it too. `name`: how, one for all or per row (a Series on the rows' positions)."""
        wanted = candidates.where(~found & candidates.notna())
        wanted = wanted[wanted.notna()].astype(np.int64)
        if barred:  # a later step does not take a row for the household an ID was refused for
            wanted = wanted[wanted.ne(pd.Series(barred).reindex(wanted.index)).to_numpy()]
        wanted = wanted[~wanted.isin(taken) & ~wanted.duplicated(keep=False)]
        at = wanted.index.to_numpy()
        keys[at] = wanted.to_numpy()
        found[at] = True
        how[at] = name if isinstance(name, str) else name.reindex(at).to_numpy()
        taken.update(wanted.tolist())

    def refuse_strangers(how_matched: str, why: str, hit: pd.Series | None = None) -> None:
        """Undo this step's matches (`how_matched`) of a row whose head is another person in another
        place (_strangers) and that no second person confirms (one ID in common, the one copied wrong;
        two of the household's people among the row's are the family moved under a new head)."""
        at = np.flatnonzero(how == how_matched)
        if not len(at):
            return
        maybe = _strangers(rows, previous, at, keys[at])
        at = at[maybe]
        if not len(at):
            return
        at = at[_people_shared(rows, members, at, keys[at], known_people()) < 2]
        if not len(at):
            return
        households = keys[at].copy()
        strangers.append(pd.DataFrame({"position": at, "household": households, "why": why,
                                       "member_id": "" if hit is None else hit.reindex(at).fillna("").to_numpy()}))
        barred.update(zip(at.tolist(), households.tolist()))
        taken.difference_update(households.tolist())
        keys[at], found[at], how[at] = 0, False, None

    if len(previous):
        positions = pd.RangeIndex(n)

        def by(mine: pd.Series, theirs: pd.Series) -> pd.Series:
            mine = mine.astype("string").fillna("").reset_index(drop=True)
            mine = mine.where(mine.ne("") & ~mine.duplicated(keep=False))
            lookup = _unique_map(theirs, previous["household"])
            return pd.Series(mine.map(lookup).to_numpy(), index=positions)

        claim(by(rows["head_id"], previous["head_id"]), "head_id")
        refuse_strangers("head_id", "head")
        claim(_by_head_and_name(rows, previous), "head_id")
        # A head on two rows is one household surveyed twice (both rows invalid): both copies are the
        # household the register has under that ID, not new ones (曲永春, on the register, surveyed in
        # 长岭村 and 双榆村: two new households, and the registered one 未调查, an outside try). Neither
        # copy is it by its number, though each copy's village makes the number once there.
        heads = rows["head_id"].astype("string").fillna("").reset_index(drop=True)
        twice = (heads.ne("") & heads.duplicated(keep=False)).to_numpy()
        same_head = heads.where(twice).map(_unique_map(previous["head_id"], previous["household"]))
        at = np.flatnonzero(same_head.notna().to_numpy() & ~found)
        keys[at], found[at], how[at] = same_head.iloc[at].astype(np.int64).to_numpy(), True, "head_id"
        taken.update(keys[at].tolist())
        number = by(*_number_keys(rows, previous)).where(~found & ~twice)
        if number.notna().any():
            known = known_people()
            check = _number_check(rows, members, previous, number, known, set(read["listed"]["household"].tolist()))
            out = check.index[check.str.startswith("refused").to_numpy()]
            refused = pd.DataFrame({"position": out.to_numpy(dtype=np.int64),
                                    "household": number[out].to_numpy(dtype=np.int64),
                                    "why": np.where(check[out].eq("refused_elsewhere"), "elsewhere", "people")})
            named = pd.Series(np.where(check.eq("unverified"), "household_id_unverified", "household_id"),
                              index=check.index)
            claim(number.where(~number.index.isin(out)), named)
        # Where an ID cannot be compared, this year's or the register's: the household by its head's
        # name and place. 钱五 of 青山村, his ID stored as a number in 2020, was 本年未调查 and his row on
        # no list; registered so and surveyed with his whole ID, a new candidate. Before the members:
        # a household is its own head's first. 徐华's ID typed wrong, his son 徐军 (a registered member)
        # heading a household of his own took 徐华's, and 徐华's row was new (a review).
        claim(_by_name_where_id_unreadable(rows, previous, found, taken), "head_name")
        # Each row's people: the members this survey lists, and its head, whose ID the register may
        # know as a member's. Without a members sheet 邓立 (died) was 本年未调查 and his wife 金刚刚, the
        # register's 配偶 of his household, heading it under a new 户编号, a new candidate (an outside try).
        people = rows_people(rows, members, ~found)
        if len(people):
            lookup = _unique_map(known_people()["member_id"], known_people()["household"])
            hits = people.assign(key=people["member_id"].map(lookup)).dropna(subset=["key"])
            by_row = hits.groupby("hh")["key"]
            per_row = by_row.first().where(by_row.nunique() == 1)  # members of two households: neither
            claim(pd.Series(per_row.reindex(positions).to_numpy(), index=positions), "member_id")
            # The same mis-copied ID, a member's: the member whose ID it is, said on both lines.
            refuse_strangers("member_id", "member", hits.groupby("hh")["member_id"].first())
    if (~found).any():
        # One new household for the copies of a head on two rows, as for a registered one.
        heads = rows["head_id"].astype("string").fillna("").to_numpy(dtype=object)[~found]
        own = pd.Series(np.arange(len(heads)), dtype=object).where(heads == "", heads)
        which, households = pd.factorize(own)
        keys[~found] = db.new_household_keys(reg, round_id, len(households))[which]
    prev = previous.set_index("household").reindex(keys)
    prev.index = pd.RangeIndex(n)
    if strangers:
        refused = pd.concat([refused.assign(member_id=""), *strangers], ignore_index=True)
    return Matched(keys, pd.Series(how), prev, previous, refused, _copies(rows, keys, prev))


def _without_copies(previous: pd.DataFrame) -> pd.DataFrame:
    """The register's latest rows without those of a household surveyed twice recorded as two
    (an earlier version gave each copy of a head on two rows a new household, both invalid): their
    head's ID on another household's row of the same round. Left in, the ID was on three households
    and the corrected survey matched none: the registered household 本年未调查, the family a new
    candidate (an outside try)."""
    ids = previous["head_id"].astype("string").fillna("")
    copy = ids.ne("") & pd.DataFrame({"round": previous["round"], "id": ids}).duplicated(keep=False)
    return previous[~copy.to_numpy()].reset_index(drop=True) if copy.any() else previous


def _copies(rows: pd.DataFrame, keys: np.ndarray, prev: pd.DataFrame) -> np.ndarray:
    """Per row, whether it is another copy of a household whose key an earlier row has too (one
    household surveyed twice): the row kept is the one in the household's last place, else the first."""
    at = pd.Series(keys)
    copies = at.duplicated(keep=False).to_numpy()
    if not copies.any():
        return copies

    def text(frame: pd.DataFrame, col: str) -> np.ndarray:
        return frame[col].astype("string").fillna("").to_numpy(dtype=object)[copies]
    home = same_place(text(prev, "township"), text(prev, "village"), text(rows.reset_index(drop=True), "township"),
                      text(rows.reset_index(drop=True), "village")) & (text(prev, "village") != "")
    order = np.zeros(len(keys), dtype=np.int64)  # the row kept first: at home, then in the survey's order
    order[copies] = np.where(home, 0, 1)
    first = pd.DataFrame({"key": keys, "order": order, "at": np.arange(len(keys))}) \
        .sort_values(["key", "order", "at"]).drop_duplicates("key")["at"]
    kept = np.zeros(len(keys), dtype=bool)
    kept[first.to_numpy()] = True
    return copies & ~kept


def one_row_each(rows: pd.DataFrame, members: pd.DataFrame | None, matched: Matched) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """This round's rows and members as the register records them: one row per household, the other
    copies of a household surveyed twice left out (Matched.copies), and their members with them (the
    same people listed twice)."""
    copies = matched.copies
    if not copies.any():
        return rows, members
    if members is not None:
        members = members[~copies[members["hh"].to_numpy()]]
    return rows[~copies], members


# ---------------------------------------------------------------------------------------------
# What the year found


@dataclass
class Comparison:
    """The round against the register: a row per household of the register and per new candidate
    (round_changes' columns, plus the place and the head to show them), and the ledger's column."""

    changes: pd.DataFrame
    ledger: pd.Series  # change code per household of this round, in rows order ('' for none)
    counts: dict[str, int] = field(default_factory=dict)
    # Villages whose every household surveyed both years has this year the very per-capita income of an
    # earlier income year, to the fen (COPIED_AT_LEAST of them at least): a survey copied from last
    # year's. (township, village, households, the year before). Never a second round of the same year.
    copied: list[tuple[str, str, int, int]] = field(default_factory=list)
    # The registry (registry.registry) as the comparison read it: the round's rows recorded after it
    # decide nothing (no event is of a round being recorded), so the income over time reads it here.
    ever_registered: pd.DataFrame | None = None
    # The 漏评 objections upheld in earlier rounds and answered by no survey since (omissions_followed):
    # what this survey found of each (its row, `at` -1 for none).
    omissions: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=OMISSION_COLUMNS))


# Households a village needs, each surveyed both years, before the same income for all says the survey
# was copied: two or three alike may be pensions and subsidies that did not change.
COPIED_AT_LEAST = 5


def copied_villages(table: pd.DataFrame, earlier: pd.DataFrame) -> list[tuple[str, str, int, int]]:
    """The villages of `table` (this round's households: household, township, village, per_capita_fen)
    whose households surveyed this year and an
    earlier income year (COPIED_AT_LEAST or more) all have the same per-capita income as then.
    `earlier` (earlier_income): per household, the per-capita of its latest earlier year, and the year.
    A second round of the same year (a roster added, errors put right) is the same survey screened
    again: its incomes are that year's, not a copy of the year before."""
    before = earlier.reindex(table["household"].to_numpy())
    both = table.assign(before_fen=before["per_capita_fen"].to_numpy(), before_year=before["year"].to_numpy())
    both = both[both["per_capita_fen"].notna() & both["before_fen"].notna()]
    if both.empty:
        return []
    same = pd.to_numeric(both["per_capita_fen"]).eq(pd.to_numeric(both["before_fen"]))
    place = [both["township"].fillna("").astype(str), both["village"].fillna("").astype(str)]
    by_village = pd.DataFrame({"same": same.to_numpy(), "year": both["before_year"].to_numpy()}) \
        .groupby([p.to_numpy() for p in place], sort=False).agg(n=("same", "size"), all_same=("same", "all"),
                                                               year=("year", "max"))
    hit = by_village[(by_village["n"] >= COPIED_AT_LEAST) & by_village["all_same"]]
    return [(t, v, int(r.n), int(r.year)) for (t, v), r in zip(hit.index, hit.itertuples())]


# Registered households a village needs, found this year in one other village of its township, before
# it reads as merged into that one (撤并村): two families moving together are two moves.
MERGED_AT_LEAST = 3
# Of the households the register has in a village with no survey row of its own, the share found in one
# other village of its township before the village reads as merged into it. Not all: 合村并组 moves a
# family or two elsewhere the same year (an outside try's 陆国军, 红旗村 → 东风村, and 红旗村's other 12 in
# 红新村 read as 12 moves), and one may be missed by the survey. A share of the whole register there, not
# of those found: a village whose survey never came, three of its families moved, is no merge.
MERGED_SHARE = 0.8


def _no_survey_row(township: np.ndarray, village: np.ndarray, places: pd.DataFrame) -> np.ndarray:
    """Per village (`township`, `village`), whether `places` (this round's surveyed places: township,
    village) has no row of it, its name read as the screen reads places (新立村村委会 is 新立村)."""
    k, n = len(places), len(village)
    if not n:
        return np.zeros(0, dtype=bool)
    if not k:
        return np.ones(n, dtype=bool)
    survey_t, survey_v = (np.tile(places[c].to_numpy(dtype=object), n) for c in ("township", "village"))
    return ~same_place(np.repeat(township, k), np.repeat(village, k), survey_t, survey_v).reshape(n, k).any(axis=1)


def surveyed_places(rows: pd.DataFrame, held: list[tuple[str, str]] = ()) -> pd.DataFrame:
    """This round's surveyed places (township, village, '' for none): `rows`' and `held`, those the
    round already recorded (a late township's survey added to it: the round's other villages were
    surveyed)."""
    places = pd.concat([rows[["township", "village"]].astype("string").fillna(""),
                        pd.DataFrame(list(held), columns=["township", "village"], dtype="string")])
    return places.astype(object).drop_duplicates().reset_index(drop=True)


def merged_villages(table: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """Per row of `table` (a Comparison's changes), the village the register last had it in where that
    village looks merged into the one it is surveyed in this year (撤并村, 村庄合并); '' elsewhere. A
    village is merged when this year's survey (`places`, surveyed_places) has no row of its own and,
    of the households the register has there, MERGED_AT_LEAST or more and MERGED_SHARE of them were
    found this year in one other village of the same township: its people did not move, their
    village was joined to another (an outside try's 新立村, its 23 households listed in 永胜村's survey,
    read as 23 moves). Its new candidates surveyed there last year are marked too. Its other
    households, found elsewhere, are moves, said as moves. A village with a survey of its own, or
    whose households went many ways, is left to moves."""
    def text(frame: pd.DataFrame, col: str) -> np.ndarray:
        return frame[col].astype("string").fillna("").to_numpy(dtype=object)
    out = np.full(len(table), "", dtype=object)
    if "previous_village" not in table or table.empty:
        return out
    was_t, was_v = text(table, "previous_township"), text(table, "previous_village")
    now_t, now_v = text(table, "township"), text(table, "village")
    # Elsewhere, as changes.moved_village reads it: written apart but one place (前岗村村委会) is no move.
    elsewhere = (table["previous_round"].notna() & table["change"].ne("missing")).to_numpy() \
        & ((was_t != now_t) | (was_v != now_v))
    at = np.flatnonzero(elsewhere)
    if not len(at):
        return out
    elsewhere[at] = ~same_place(was_t[at], was_v[at], now_t[at], now_v[at])
    registered = table["change"].ne("new").to_numpy()
    frame = pd.DataFrame({"was_t": was_t, "was_v": was_v, "now": now_t + "\x1f" + now_v,
                          "same_township": now_t == was_t})
    on_register = frame[registered].groupby(["was_t", "was_v"], sort=False).size()
    # Per old village, the one village most of its registered households were found in this year.
    went = frame[registered & elsewhere].groupby(["was_t", "was_v", "now"], sort=False) \
        .agg(n=("now", "size"), same_township=("same_township", "first")).reset_index() \
        .sort_values("n", ascending=False, kind="stable").drop_duplicates(["was_t", "was_v"])
    share = went["n"].to_numpy() / on_register.reindex(pd.MultiIndex.from_frame(went[["was_t", "was_v"]])).to_numpy()
    hit = went[(went["n"] >= MERGED_AT_LEAST).to_numpy() & (share >= MERGED_SHARE) & went["same_township"].to_numpy()]
    if hit.empty:
        return out
    old_t, old_v = hit["was_t"].to_numpy(dtype=object), hit["was_v"].to_numpy(dtype=object)
    alone = _no_survey_row(old_t, old_v, places)
    into = pd.Series(hit["now"].to_numpy()[alone], index=(old_t + "\x1f" + old_v)[alone], dtype=object)
    merged = elsewhere & (pd.Series(was_t + "\x1f" + was_v).map(into).to_numpy(dtype=object)
                          == now_t + "\x1f" + now_v)
    out[merged] = was_v[merged]
    return out


def unsurveyed_villages(table: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """Per row of `table` (a Comparison's changes, merged_village set), whether it is a household 本年未调查
    of a village this year's survey (`places`) has no row of at all: the village's survey most likely
    never came (an outside try's 红新村, its 26 households recorded 本年未调查 one by one, and `next`
    printed a 未调查户核实 form for each). A village merged into another is no such village."""
    missing = table["change"].eq("missing").to_numpy()
    out = np.zeros(len(table), dtype=bool)
    if not missing.any():
        return out
    merged = table["merged_village"].fillna("").astype(str).ne("").to_numpy() if "merged_village" in table \
        else np.zeros(len(table), dtype=bool)
    key = (table["previous_township"].astype("string").fillna("") + "\x1f"
           + table["previous_village"].astype("string").fillna("")).to_numpy(dtype=object)
    # Per village, not per household: a county has a few hundred.
    villages = pd.Series(pd.unique(key[missing & ~merged]), dtype=object)
    township, village = (villages.str.split("\x1f", n=1).str[i].to_numpy(dtype=object) for i in (0, 1))
    # A household the register has with no village written is no village to name.
    alone = _no_survey_row(township, village, places) & ~villages.isin(set(key[merged].tolist())).to_numpy() \
        & (village != "")
    return missing & pd.Series(key).isin(set(villages[alone].tolist())).to_numpy()


def round_places(reg: db.Register, round_id: int) -> pd.DataFrame:
    """A recorded round's surveyed places (surveyed_places), as the register holds them."""
    return surveyed_places(pd.DataFrame(columns=["township", "village"]), db.round_villages(reg, round_id))


def stored_changes_of_villages(reg: db.Register, round_id: int, villages: pd.MultiIndex,
                               places: pd.DataFrame) -> pd.DataFrame:
    """A round's stored changes of the households the register had in `villages` (township, village)
    before it, as a Comparison's table holds them (previous_township and previous_village, the round's
    own township and village), with merged_village judged again on the round's surveyed `places`
    (round_places): the comparison's columns are not stored."""
    before = db.latest_screened(reg, before_round=round_id)[["household", "township", "village"]]
    before = before.assign(**{c: before[c].fillna("").astype(str) for c in ("township", "village")})
    there = pd.MultiIndex.from_arrays([before["township"], before["village"]]).isin(villages)
    table = db.changes(reg, round_id).merge(
        before[there].rename(columns={"township": "previous_township", "village": "previous_village"}), on="household")
    now = db.screened_rows(reg, round_id, table["household"].astype(int).tolist())[["household", "township", "village"]]
    table = table.merge(now, on="household", how="left")
    table["merged_village"] = merged_villages(table, places)
    return table


def unsurveyed_townships(table: pd.DataFrame, places: pd.DataFrame) -> np.ndarray:
    """Per row of `table` (village_unsurveyed set), whether this year's survey (`places`) has no row of
    its township either, read as places are read (合隆 is 合隆镇): the township's whole survey most likely
    never came, said once for all its villages (changes.unsurveyed_sentences)."""
    gone = table["village_unsurveyed"].to_numpy(dtype=bool)
    out = np.zeros(len(table), dtype=bool)
    if not gone.any():
        return out
    townships = table["previous_township"].astype("string").fillna("").to_numpy(dtype=object)
    named = pd.unique(townships[gone])
    bare = places.assign(village="")
    alone = _no_survey_row(named, np.full(len(named), "", dtype=object), bare.drop_duplicates()) & (named != "")
    return gone & pd.Series(townships).isin(set(named[alone].tolist())).to_numpy()


def survey_village_rank(rows: pd.DataFrame, township: pd.Series, village: pd.Series) -> np.ndarray:
    """Per place (`township`, `village`), the number of its village in `rows`' order of villages
    (village_keys: the survey's, as every output lists them); -1 for a village `rows` has not."""
    keys = village_keys(rows)
    if not keys:
        return np.full(len(township), -1, dtype=np.int64)
    places = pd.MultiIndex.from_arrays([township.fillna("").astype(str), village.fillna("").astype(str)])
    return pd.MultiIndex.from_tuples(keys).get_indexer(places).astype(np.int64)


def earlier_income(reg: db.Register, households, this_year: int) -> pd.DataFrame:
    """Per household (the index) of `households`: `year`, its latest income year before `this_year`,
    and `per_capita_fen`, that year's per-capita as its last round of the year found it (none where
    that survey was invalid). Households with no earlier year are left out."""
    s = db.per_capita_before(reg, this_year)
    s = s[s["household"].isin(set(households))].sort_values(["household", "year", "round"]) \
        .drop_duplicates("household", keep="last")
    return pd.DataFrame({"year": s["year"].astype(np.int64).to_numpy(), "per_capita_fen": _year_income(s)},
                        index=s["household"].astype(np.int64).to_numpy())


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
    words = bare_text(members["labour"])
    able = age.between(x.working_age_min, x.working_age_max) & ~words.isin(list(x.no_labour))
    listed = members["hh"].unique()
    out.iloc[listed] = "no"
    out.iloc[members.loc[able.to_numpy(), "hh"].unique()] = "yes"
    return out


def _registered_labour(reg: db.Register, households: np.ndarray, round_id: int, rules: RuleSet,
                       on: dt.date) -> pd.DataFrame:
    """For `households` whose survey this round lists no members: 'yes' or 'no' as _labour says of
    the members the register last listed for them (ages at `on`), and the income year of that listing,
    indexed by household. A couple of 77 and 73, 无劳动力 in the 2019 survey, was 'unknown' in a 2020
    survey without a members sheet, and proposed to leave (an outside try). Households the register
    never listed members for are left out: unknown still."""
    listed = db.latest_members(reg, round_id)
    listed = listed[listed["household"].isin(households)].reset_index(drop=True)
    if not len(listed):
        return pd.DataFrame({"labour": pd.Series(dtype=object), "year": pd.Series(dtype=np.int64)})
    x = rules.exit
    age = _ages(listed["member_id"], on)
    words = bare_text(listed["labour"])
    able = (age.between(x.working_age_min, x.working_age_max) & ~words.isin(list(x.no_labour))).to_numpy(dtype=bool)
    years = db.rounds(reg).set_index("id")["year"]
    by_household = pd.DataFrame({"household": listed["household"], "able": able,
                                 "year": listed["round"].map(years)}).groupby("household")
    return pd.DataFrame({"labour": np.where(by_household["able"].any(), "yes", "no"),
                         "year": by_household["year"].max().astype(np.int64)})


def invalid_survey(status: pd.Series) -> pd.Series:
    """Per screened row, whether its survey was invalid (数据有误): its income is no year's figure."""
    return status.eq("invalid").fillna(False).astype(bool)


def _income_years(reg: db.Register, households: np.ndarray, this_year: int, years: int) -> pd.Series:
    """Per household, whether its per-capita was at or above the upper bound in each of the `years`
    - 1 surveyed years before `this_year`, as the exit's income condition: 'yes' (always for years = 1),
    'no', or, where no year failed but a year's survey was invalid (数据有误: its income no year's
    figure), 'invalid;invalid_years=2020' (the years ';'-joined by '/')."""
    if years <= 1:
        return pd.Series("yes", index=households, dtype=object)
    s = db.screened_years(reg, households.tolist())
    s = s[s["year"] < this_year]
    s = s.sort_values(["household", "year", "round"]).drop_duplicates(["household", "year"], keep="last")
    s = s.sort_values(["household", "year"], ascending=[True, False]).groupby("household").head(years - 1)
    invalid = invalid_survey(s["status"])
    above = (pd.to_numeric(s["per_capita_fen"]) >= pd.to_numeric(s["upper_fen"])) & ~invalid
    s = s.assign(above=above, below=~above & ~invalid)
    held = s.groupby("household").agg(n=("above", "size"), all_above=("above", "all"), below=("below", "any"))
    # Joined only for the few households with an invalid year.
    bad = s[invalid].sort_values("year")
    held["invalid"] = bad["year"].astype(int).astype(str).groupby(bad["household"]).agg("/".join) \
        .reindex(held.index).fillna("")
    state = np.where((held["n"] == years - 1) & held["all_above"], "yes",
                     np.where(held["invalid"].ne("") & ~held["below"], "invalid;invalid_years=" + held["invalid"], "no"))
    return pd.Series(state, index=held.index, dtype=object).reindex(households).fillna("no")


def _year_income(rows: pd.DataFrame) -> np.ndarray:
    """Screened rows' per-capita in fen, none for an invalid row (数据有误): its income is no year's figure."""
    fen = pd.to_numeric(rows["per_capita_fen"]).astype("Int64")
    return fen.mask(invalid_survey(rows["status"])).to_numpy()


def compare_round(reg: db.Register, round_id: int, rows: pd.DataFrame, matched: Matched, *, rules: RuleSet,
                  bounds: Bounds, round_date: dt.date, members: pd.DataFrame | None = None) -> Comparison:
    """What this round finds for the households on the register (as recorded before it) and for
    the candidates new to it. `rows` are this round's screened rows with their keys."""
    ever = registry(reg)
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
        income_state = _income_years(reg, keys.iloc[at].to_numpy(), bounds.year, x.years_above).to_numpy()
        income = income_state == "yes"
        # Of this stay on the register: a household that left and entered again received afresh.
        m = this_stay(db.measures(reg), registered.set_index("household")["entered_on"])
        received = set(m.loc[m["start"] <= round_date.isoformat(), "household"].tolist())
        measure = keys.iloc[at].isin(received).to_numpy()
        # Ages at the end of the income year the survey speaks of.
        year_end = dt.date(bounds.year, 12, 31)
        labour = np.array(_labour(rows, members, rules, year_end).iloc[at].to_numpy(), dtype=object)
        # No members in this survey: those the register last listed, said as such (labour_from).
        listed_in = np.full(len(at), "", dtype=object)
        unknown = labour == "unknown"
        if unknown.any():
            known = _registered_labour(reg, keys.iloc[at[unknown]].to_numpy(), round_id, rules, year_end)
            found = known.reindex(keys.iloc[at].to_numpy())
            use = unknown & found["labour"].notna().to_numpy()
            labour[use] = found["labour"].to_numpy()[use]
            listed_in[use] = [f";labour_from={int(y)}" for y in found["year"].to_numpy()[use]]
        holds = income & (measure | (not x.require_measure)) & ((labour != "no") | (not x.require_labour))
        change.iloc[at] = np.where(holds, "exit", "exit_blocked")
        # `asked`: the conditions the rule set requires, the only ones an exit can fail on.
        asked = "/".join(["income", *(["measure"] if x.require_measure else []), *(["labour"] if x.require_labour else [])])
        conditions.iloc[at] = [f"income={i};measure={'yes' if me else 'no'};labour={lab}{src};asked={asked}"
                               for i, me, lab, src in zip(income_state, measure, labour, listed_in)]
    prev = matched.previous
    surveyed = pd.DataFrame({
        "household": keys.to_numpy(), "change": change.to_numpy(), "matched_by": matched.matched_by.to_numpy(),
        "previous_round": prev["round"].astype("Int64").to_numpy(),
        "previous_head_name": prev["head_name"].to_numpy(), "previous_head_id": prev["head_id"].to_numpy(),
        "previous_per_capita_fen": _year_income(prev), "previous_status": prev["status"].to_numpy(),
        "previous_township": prev["township"].to_numpy(), "previous_village": prev["village"].to_numpy(),
        "conditions": conditions.to_numpy(),
        "township": rows["township"].to_numpy(), "village": rows["village"].to_numpy(), "grp": rows["grp"].to_numpy(),
        "head_name": rows["head_name"].to_numpy(), "head_id": rows["head_id"].to_numpy(),
        "per_capita_fen": pd.to_numeric(rows["per_capita_fen"]).astype("Int64").to_numpy(),
        "status": status.to_numpy(), "difficulty": rows["difficulty"].to_numpy()})
    # Where the row is, for a note to send the clerk to it (a head matched by name: its ID to put right).
    for col, source in (("source_file", "source_file"), ("source_row", "row")):
        surveyed[col] = rows[source].to_numpy() if source in rows else None
    surveyed["surveyed_twice"] = _surveyed_twice(rows, keys)
    surveyed["surveyed_twice_names"] = _surveyed_twice(rows, keys, "head_name")
    surveyed = surveyed[(surveyed["change"] != "").to_numpy() & ~matched.copies]
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
        "previous_per_capita_fen": _year_income(last), "previous_status": last["status"].to_numpy(),
        "previous_township": last["township"].to_numpy(), "previous_village": last["village"].to_numpy(),
        "conditions": "", "township": last["township"].to_numpy(), "village": last["village"].to_numpy(),
        "grp": last["grp"].to_numpy(), "head_name": last["head_name"].to_numpy(), "head_id": last["head_id"].to_numpy(),
        "per_capita_fen": pd.array([pd.NA] * len(gone), dtype="Int64"), "status": None,
        "difficulty": last["difficulty"].to_numpy()})
    # A missing household's head listed this year among another household's members (an old parent
    # moved in with a son: 并入他户): where, for the note.
    missing["found_in"] = ""
    if members is not None and len(missing):
        listed = members.drop_duplicates("member_id").set_index("member_id")["hh"]
        at = pd.Series(normalise_id(missing["head_id"].astype("string").fillna("").astype(object)).to_numpy(),
                       dtype=object).map(listed)
        # Not where that row was refused as this household (_strangers): its ID copied wrong, no 并入他户.
        at = at.where(~_refused_pairs(matched, at, missing["household"]))
        there = at.notna().to_numpy()
        if there.any():
            hh = at[there].astype(np.int64).to_numpy()
            missing.loc[there, "found_in"] = (rows["township"].fillna("").astype(str).to_numpy()[hh]
                                              + rows["village"].fillna("").astype(str).to_numpy()[hh] + "\x1f"
                                              + rows["head_name"].fillna("").astype(str).to_numpy()[hh])
    table = pd.concat([surveyed, missing], ignore_index=True) if len(missing) else surveyed.reset_index(drop=True)
    table = _missing_people_found(reg, round_id, table, rows, keys, members, last, matched)
    earlier_gone = found_gone(reg).sort_values(["household", "round"]).drop_duplicates("household", keep="last") \
        .set_index("household")
    table = _shared_numbers(table, rows, matched, on, set(earlier_gone.index.tolist()))
    table = _split_members(reg, round_id, table, rows, keys, members, on, seen, matched)
    # A new candidate the register once found gone (未调查户核实: 户已不存在): back, or another family
    # under the head's ID; the meeting should hear it (changes.xlsx's note).
    new = table["change"].eq("new").to_numpy()
    table["gone_on"] = table["household"].map(earlier_gone["on"]).where(new).astype(object).fillna("").to_numpy()
    table["gone_reason"] = table["household"].map(earlier_gone["reason"]).where(new).astype(object).fillna("").to_numpy()
    # A new candidate that left the register by the exit procedure (退出公示) and is back in the band:
    # the meeting should hear it, as of one turned down before (42 households of an outside try's
    # county, out at the 2020 publicity, were told only 按认定程序办理 in 2021).
    years = db.rounds(reg).set_index("id")["year"]
    left = ever[ever["left_by"].eq("exit").to_numpy()].set_index("household")
    for col, values in (("exited_on", left["exited_on"]), ("exited_year", left["exit_round"].map(years).astype("Int64"))):
        table[col] = table["household"].map(values).where(new).astype(object).fillna("").astype(str).to_numpy()
    # A new candidate an earlier round took off its list (不同意, 不属实, an objection upheld): the
    # village should not debate it again blind (changes.xlsx's note, the new review list).
    taken_off = removed(reg)
    taken_off = taken_off[taken_off["round"] < round_id].sort_values(["household", "round"]) \
        .drop_duplicates("household", keep="last").set_index("household")
    for col, values in (("removed_year", taken_off["round"].map(years).astype("Int64")), ("removed_step", taken_off["step"]),
                        ("removed_on", taken_off["on"]), ("removed_reason", taken_off["reason"])):
        table[col] = table["household"].map(values).where(new).astype(object).fillna("").astype(str).to_numpy()
    # Only the round just before this one is 上一轮: a removal two rounds back is named by its year alone.
    before = years[years.index < round_id]
    last_year = str(int(before.max())) if len(before) else ""
    table["removed_previous"] = table["removed_year"].eq(last_year).to_numpy() & table["removed_year"].ne("").to_numpy()
    # The round's surveyed places: this survey's, and, for a late township added to the round, the
    # villages the round already holds (surveyed, not missing).
    places = surveyed_places(rows, db.round_villages(reg, round_id))
    table["merged_village"] = merged_villages(table, places)
    table["village_unsurveyed"] = unsurveyed_villages(table, places)
    table["township_unsurveyed"] = unsurveyed_townships(table, places)
    # Each line's village, now and as the register last had it, as numbered in this survey's order
    # (changes.xlsx lists and counts its villages so, not by character code).
    for now in ("", "previous_"):
        table[f"{now}survey_village"] = survey_village_rank(rows, table[f"{now}township"], table[f"{now}village"])
    table["round"] = round_id
    table["previous_year"] = table["previous_round"].map(years).astype("Int64")
    # Not surveyed a second year running (its 未调查户核实 said 仍在本村, and no survey came): said as
    # such, not in the first year's words; a new head who was the household's head before, said so.
    missing = table["change"].eq("missing").to_numpy()
    found = missed_before(reg, table.loc[missing, "household"], round_id, bounds.year)
    for col in MISSED_COLUMNS:
        table[f"missed_{col}"] = table["household"].map(found[col]).where(missing) \
            .astype(object).fillna("").to_numpy()
    table["head_returned"] = head_returned(reg, table, round_id).to_numpy()
    # An upheld 漏评 of an earlier round: found in this survey (its new line says where it came from),
    # or not (counted, and listed in changes.xlsx: no one else says the household was never surveyed).
    omissions = omissions_followed(reg, round_id, rows.reset_index(drop=True))
    found = omissions[omissions["at"].ge(0).to_numpy()]
    if len(found):
        omissions.loc[found.index, "household"] = keys.to_numpy()[found["at"].to_numpy()]
    # As changes.xlsx words it (omission_words): round, year, 上一轮 or not, step, date.
    code = omissions[["round", "year", "previous", "step", "date"]].astype(str).agg("\x1f".join, axis=1) \
        if len(omissions) else pd.Series(dtype=object)
    said = pd.Series(code.to_numpy(dtype=object), index=omissions["household"].to_numpy())
    said = said[said.index.notna()]
    said = said[~said.index.duplicated()]
    table["omission_upheld"] = table["household"].map(said).where(table["change"].eq("new")) \
        .astype(object).fillna("").to_numpy()
    counts = change_counts(table, omissions)
    # A survey copied whole shows in every household of its village surveyed both years, on the
    # register or not (a village of 5 with 3 on the register and a candidate was not said: an outside try).
    everyone = pd.DataFrame({"household": keys.to_numpy(), "township": rows["township"].to_numpy(),
                             "village": rows["village"].to_numpy(),
                             "per_capita_fen": pd.to_numeric(rows["per_capita_fen"]).astype("Int64").to_numpy()})
    everyone = everyone[~matched.copies & everyone["per_capita_fen"].notna().to_numpy()]
    earlier = earlier_income(reg, everyone["household"].astype(np.int64).tolist(), bounds.year)
    return Comparison(table, change, counts, copied_villages(everyone, earlier), ever, omissions)


def _surveyed_twice(rows: pd.DataFrame, keys: pd.Series, of: str = "place") -> np.ndarray:
    """Per row, for a household surveyed twice (its key on two rows or more: Matched.copies), how many
    rows and where, 'count\x1fplace\x1fplace…' (each place once, in the survey's order); '' elsewhere.
    `of` "head_name": the heads' names instead of the places (two names: two people under one ID)."""
    out = np.full(len(keys), "", dtype=object)
    twice = keys.duplicated(keep=False).to_numpy()
    if not twice.any():
        return out
    place = (rows["township"].astype("string").fillna("") + rows["village"].astype("string").fillna("")).to_numpy() \
        if of == "place" else bare_text(rows[of]).to_numpy()
    each = pd.DataFrame({"key": keys.to_numpy()[twice], "place": place[twice]})
    said = each.groupby("key", sort=False)["place"].agg(lambda p: "\x1f".join([str(len(p)), *dict.fromkeys(p)]))
    out[twice] = keys[twice].map(said).to_numpy()
    return out


def _refused_pairs(matched: Matched, positions: pd.Series, households: pd.Series) -> np.ndarray:
    """Per pair (a row's position, NaN for none; an earlier household), whether an ID matched the row
    to that household and was refused (_strangers): one mis-copied ID, no person shared."""
    r = matched.refused
    if r.empty or "member_id" not in r:
        return np.zeros(len(positions), dtype=bool)
    r = r[r["why"].isin(["head", "member"])]
    refused = pd.MultiIndex.from_arrays([r["position"].astype(np.int64), r["household"].astype(np.int64)])
    at = pd.to_numeric(pd.Series(positions), errors="coerce").fillna(-1).astype(np.int64).to_numpy()
    return pd.MultiIndex.from_arrays([at, pd.Series(households).astype(np.int64).to_numpy()]).isin(refused)


def _split_members(reg: db.Register, round_id: int, table: pd.DataFrame, rows: pd.DataFrame, keys: pd.Series,
                   members: pd.DataFrame | None, on: set, seen: set, matched: Matched | None = None) -> pd.DataFrame:
    """Members of a household listed this year in another household (分户: a son's new household with
    part of the members), each household's people as the register last listed them. Where the
    household they left is on the register: `split_from` on the household they are in now,
    `split_to` on the registered one they left, each 'place\x1fhead\x1fcount' of the other side (the
    first where several). Where it is not (above the bound, say): `split_from_surveyed` on a new
    candidate's line only, 'place\x1fhead\x1fcount\x1fyear' (the year of that listing), for splitting
    off to get onto the list is what the meeting must catch (曾佳怡 left 曾福庆's household, above the
    bound, and came as a candidate of one: an outside try). A split made to qualify (拆户) is for the
    meeting to question. The household left must be surveyed this year too: one that was not, its
    head among another's members, merged into it (note_head_found_in says so)."""
    table = table.assign(split_from="", split_to="", split_from_surveyed="")
    # The heads too: without a members sheet a son heading his own household is still one of his
    # father's listed members (徐华军's 分户 said nothing: an outside try).
    people = rows_people(rows, members)
    listed = db.latest_members(reg, round_id)[["household", "member_id", "round"]]
    listed = listed[listed["household"].isin(seen)]
    if people.empty or listed.empty:
        return table
    here = pd.DataFrame({"key": keys.to_numpy()[people["hh"].to_numpy()], "member_id": people["member_id"].to_numpy()})
    here["position"] = people["hh"].to_numpy()
    both = here.merge(listed, on="member_id")
    moved = both[both["key"].ne(both["household"])]
    stayed = both[both["key"].eq(both["household"])].groupby("key").size()  # people still in their household
    if matched is not None and len(moved):  # an ID refused as copied wrong (_strangers): no member moved
        moved = moved[~_refused_pairs(matched, moved["position"], moved["household"])]
    if moved.empty:
        return table
    pairs = moved.groupby(["key", "household"], sort=False).agg(count=("member_id", "size"), round=("round", "max")) \
        .reset_index()
    position = pd.Series(np.arange(len(keys)), index=keys.to_numpy())
    position = position[~position.index.duplicated()]

    def said(side: pd.Series) -> np.ndarray:
        at = side.map(position).astype(np.int64).to_numpy()
        return (rows["township"].fillna("").astype(str).to_numpy()[at] + rows["village"].fillna("").astype(str).to_numpy()[at]
                + "\x1f" + rows["head_name"].fillna("").astype(str).to_numpy()[at] + "\x1f" + pairs["count"].astype(str).to_numpy())

    def first(values: np.ndarray, index: pd.Series) -> pd.Series:
        by = pd.Series(values, index=index.to_numpy())
        return by[~by.index.duplicated()]
    registered = pairs["household"].isin(on).to_numpy()
    into, out_of = said(pairs["household"]), said(pairs["key"])
    table["split_from"] = table["household"].map(first(into[registered], pairs["key"][registered])).astype(object) \
        .fillna("").to_numpy()
    table["split_to"] = table["household"].map(first(out_of[registered], pairs["household"][registered])).astype(object) \
        .fillna("").to_numpy()
    other = ~registered
    if other.any():
        years = db.rounds(reg).set_index("id")["year"]
        listed_in = pairs["round"][other].map(years).astype(np.int64).astype(str).to_numpy()
        surveyed = first(into[other] + "\x1f" + listed_in, pairs["key"][other])
        # Only a new candidate's: a registered household taking in a relative is no 拆户 to question.
        asks = table["change"].eq("new").to_numpy() & table["split_from"].eq("").to_numpy()
        table["split_from_surveyed"] = table["household"].map(surveyed).where(asks).astype(object).fillna("").to_numpy()
    if matched is not None and registered.any():
        table = _home_kept(table, rows, pairs[registered], stayed, position, matched)
    return table


def _home_kept(table: pd.DataFrame, rows: pd.DataFrame, pairs: pd.DataFrame, stayed: pd.Series, position: pd.Series,
               matched: Matched) -> pd.DataFrame:
    """Of the splits from a registered household (`pairs`: key, household, count), those where the
    register followed the head out and the family stayed: the household split off has the registered
    one's 户编号, its village and more of its people than the head's row. 唐亮林 (registered) heads a
    one-person household in 太平村, his wife 崔亮永 the other four under the same number in the same
    village: he was 继续帮扶 (迁出), she a 新识别候选 (分户) (an outside try). The register still
    follows the head's ID; both lines say it (`home_kept`: 'kept' on the family's line, 'left' on the
    head's, each 'side\x1fplace\x1fhead\x1fcount' of the other), for the clerk to resolve."""
    table = table.assign(home_kept="")
    before = matched.register_rows.set_index("household").reindex(pairs["household"].to_numpy())
    family = pairs["key"].map(position).astype(np.int64).to_numpy()
    head = pairs["household"].map(position)
    pairs, before, family = pairs[head.notna().to_numpy()], before[head.notna().to_numpy()], family[head.notna().to_numpy()]
    if pairs.empty:
        return table
    head = pairs["household"].map(position).astype(np.int64).to_numpy()
    text = lambda frame, col: bare_text(frame[col]).to_numpy(dtype=object)  # noqa: E731
    number_then, number_family, number_head = text(before, "household_id"), text(rows, "household_id")[family], \
        text(rows, "household_id")[head]
    at_home = same_place(text(before, "township"), text(before, "village"), text(rows, "township")[family],
                         text(rows, "village")[family])
    head_home = same_place(text(before, "township"), text(before, "village"), text(rows, "township")[head],
                           text(rows, "village")[head])
    kept = (number_then != "") & (number_family == number_then) & at_home \
        & ((number_head != number_then) | ~head_home) \
        & (pairs["count"].to_numpy() > pairs["household"].map(stayed).fillna(0).to_numpy())
    if not kept.any():
        return table
    pairs, family, head = pairs[kept], family[kept], head[kept]

    def said(at: np.ndarray, count: np.ndarray) -> np.ndarray:
        return (text(rows, "township")[at] + text(rows, "village")[at] + "\x1f" + text(rows, "head_name")[at]
                + "\x1f" + count.astype(str))
    count = pairs["count"].to_numpy()
    notes = pd.concat([pd.Series("kept\x1f" + said(head, count), index=pairs["key"].to_numpy()),
                       pd.Series("left\x1f" + said(family, count), index=pairs["household"].to_numpy())])
    notes = notes[~notes.index.duplicated()]
    table["home_kept"] = table["household"].map(notes).astype(object).fillna("").to_numpy()
    return table


def _missing_people_found(reg: db.Register, round_id: int, table: pd.DataFrame, rows: pd.DataFrame, keys: pd.Series,
                          members: pd.DataFrame | None, last: pd.DataFrame, matched: Matched) -> pd.DataFrame:
    """People of a registered household this survey did not find (its last head, its last listed
    members) among this year's rows' people (rows_people): on the missing household's line
    `people_in`, 'place\x1fhead\x1fcount' of the row holding most of them; on that row's line `took_in`,
    'place\x1fhead\x1fcount' of the missing household. A registered household that took in another's
    couple (合户: 宋涛, 4 → 6 residents) said only 继续帮扶; a new head the register knew as a member of
    two missing households is matched to neither, and the clerk is told where to look (an outside try)."""
    table = table.assign(people_in="", took_in="")
    gone = last.reset_index()
    gone = gone[gone["household"].isin(table.loc[table["change"].eq("missing"), "household"]).to_numpy()]
    if gone.empty:
        return table
    known = db.known_people(reg, round_id, gone)
    here = rows_people(rows, members)
    pairs = here.merge(known, on="member_id")
    if pairs.empty:
        return table
    pairs = pairs[~_refused_pairs(matched, pairs["hh"], pairs["household"])]
    if len(matched.copies):
        pairs = pairs[~matched.copies[pairs["hh"].to_numpy()]]
    pairs = pairs.groupby(["hh", "household"], sort=False).size().rename("count").reset_index() \
        .sort_values("count", ascending=False, kind="stable")
    if pairs.empty:
        return table

    def text(frame: pd.DataFrame, col: str, at) -> np.ndarray:
        return frame[col].astype("string").fillna("").to_numpy(dtype=object)[at]
    at = pairs["hh"].to_numpy()
    count = pairs["count"].astype(str).to_numpy(dtype=object)
    row_said = text(rows, "township", at) + text(rows, "village", at) + "\x1f" + text(rows, "head_name", at) + "\x1f" + count
    was = gone.set_index("household").reindex(pairs["household"].to_numpy())
    gone_said = text(was, "township", slice(None)) + text(was, "village", slice(None)) + "\x1f" \
        + text(was, "head_name", slice(None)) + "\x1f" + count
    first = ~pairs["household"].duplicated().to_numpy()
    people_in = pd.Series(row_said[first], index=pairs["household"].to_numpy()[first])
    took = pd.Series(gone_said, index=keys.to_numpy()[at])
    took = took[~took.index.duplicated()]
    missing = table["change"].eq("missing").to_numpy()
    table["people_in"] = table["household"].map(people_in).where(missing).astype(object).fillna("").to_numpy()
    table["took_in"] = table["household"].map(took).where(~missing).astype(object).fillna("").to_numpy()
    return table


def _shared_numbers(table: pd.DataFrame, rows: pd.DataFrame, matched: Matched, on: set, gone: set) -> pd.DataFrame:
    """The columns changes.xlsx words a refused 户编号 with (number_notes): on the line of this year's
    household, and on the registered household's, the number, the other household's head and place,
    and why it was refused (Matched.refused); on this year's household's line, `shared_state` of the
    household the number was that of: 'registered' (on the register, `on`), 'gone' (found gone, off
    the register: `gone`) or 'surveyed' (any other earlier surveyed household: never on the register,
    or left it). Numbers are matched against every household surveyed before, not only the register's:
    a household above the bound was called 在册户 (an outside try)."""
    columns = ("shared_number", "shared_name", "shared_id", "shared_side", "shared_why", "shared_place", "shared_state",
               "shared_member")
    out = table.assign(**dict.fromkeys(columns, ""))
    r = matched.refused
    if r.empty:
        return out
    at = r["position"].to_numpy()
    last = matched.register_rows.set_index("household").reindex(r["household"].to_numpy())
    number = rows["household_id"].astype("string").fillna("").to_numpy()[at]
    why = r["why"].to_numpy() if "why" in r else "people"
    # Refused by an ID ('head', 'member': _strangers): the member's ID whose it is, for the note.
    member = r["member_id"].fillna("").astype(str).to_numpy() if "member_id" in r else ""

    def place(t: pd.Series, v: pd.Series) -> np.ndarray:
        return (t.astype("string").fillna("") + v.astype("string").fillna("")).to_numpy()
    # This year's household: the earlier one it is not (its line, where it has one: by its key).
    earlier = r["household"]
    state = np.where(earlier.isin(on), "registered", np.where(earlier.isin(gone), "gone", "surveyed"))
    mine = pd.DataFrame({"household": matched.keys[at], "shared_number": number, "shared_side": "new",
                         "shared_name": last["head_name"].to_numpy(), "shared_id": last["head_id"].to_numpy(),
                         "shared_why": why, "shared_place": place(last["township"], last["village"]),
                         "shared_state": state, "shared_member": member})
    # The registered one: this year's household that carries its number.
    theirs = pd.DataFrame({"household": r["household"].to_numpy(), "shared_number": number,
                           "shared_side": "registered", "shared_name": rows["head_name"].to_numpy()[at],
                           "shared_id": rows["head_id"].to_numpy()[at], "shared_why": why,
                           "shared_place": place(rows["township"].iloc[at], rows["village"].iloc[at]),
                           "shared_state": "", "shared_member": member})
    notes = pd.concat([mine, theirs], ignore_index=True).drop_duplicates("household").set_index("household")
    for col in columns:
        out[col] = out["household"].map(notes[col]).astype(object).fillna("").to_numpy()
    return out


def number_notes(table: pd.DataFrame, lang: Lang, *, mask: bool = True) -> pd.Series:
    """Per line of changes.xlsx: where a 户编号 was not taken for the same household (no person of the
    registered household among this year's), or an ID (another person's in another village: id_notes),
    what the clerk is told on either line ('' elsewhere)."""
    out = pd.Series("", index=table.index, dtype=object)
    if "shared_number" not in table:
        return out
    by_id = id_refused(table)
    shared = table["shared_number"].astype("string").fillna("").ne("").to_numpy() & ~by_id
    if by_id.any():
        out[by_id] = id_notes(table[by_id], lang, mask=mask)
    if not shared.any():
        return out
    t = table[shared]
    name, pid = t["shared_name"].astype("string").fillna(""), t["shared_id"].astype("string").fillna("")
    number = t["shared_number"].astype("string")
    if mask:
        name, pid, number = mask_in_text(name), mask_id_shown(pid), mask_in_text(number)
    # Refused as in another village: said with the other side's place (no people to compare).
    why = t["shared_why"].astype(str) if "shared_why" in t else pd.Series("people", index=t.index)
    # 在册户 only of a household on the register: else 已销户 or 往年调查户, as it is now.
    state = t["shared_state"].astype("string").fillna("") if "shared_state" in t else pd.Series("", index=t.index)
    state = np.where(t["shared_side"].eq("new").to_numpy() & state.isin(["gone", "surveyed"]).to_numpy(), "_" + state, "")
    key = "note_number_reused_" + t["shared_side"].astype(str) + state + np.where(why.eq("elsewhere"), "_elsewhere", "")
    place = t["shared_place"].astype("string").fillna("") if "shared_place" in t else pd.Series("", index=t.index)
    # The registered household's own place (不在本社区 of a 社区's), where a note says it is not there.
    here = this_place_words(t, lang)
    out[shared] = [label(k, lang, number=num, name=nm, id=i, place=pl, this_place=h)
                   for k, num, nm, i, pl, h in zip(key, number, name, pid, place, here)]
    return out


def id_refused(table: pd.DataFrame) -> np.ndarray:
    """Per line of changes.xlsx, whether an ID was refused on it (Matched.refused's 'head' or
    'member': another person's in another village), on either side."""
    if "shared_why" not in table:  # a table read back has no column
        return np.zeros(len(table), dtype=bool)
    return table["shared_why"].isin(["head", "member"]).to_numpy() & table["shared_side"].ne("").to_numpy()


def id_refused_count(table: pd.DataFrame) -> int:
    """How many households an ID was refused for (id_refused), each pair once: by the registered
    household's line, else (the earlier household not on the register) by this year's."""
    at = id_refused(table)
    side = table["shared_side"].to_numpy()[at] if at.any() else np.zeros(0, dtype=object)
    state = table["shared_state"].astype(str).to_numpy()[at] if at.any() else side
    return int(((side == "registered") | ((side == "new") & (state != "registered"))).sum())


def id_notes(t: pd.DataFrame, lang: Lang, *, mask: bool = True) -> list[str]:
    """The notes of id_refused's lines: on this year's, whose household the ID is ({state}: on the
    register, found gone, or surveyed before); on the registered one's, whose row this year has it."""
    name, pid = t["shared_name"].astype("string").fillna(""), t["shared_id"].astype("string").fillna("")
    member = t["shared_member"].astype("string").fillna("")
    if mask:
        name, pid, member = mask_in_text(name), mask_id_shown(pid), mask_id_shown(member)
    state = t["shared_state"].astype("string").fillna("").replace("", "registered")
    key = "note_" + t["shared_why"].astype(str) + "_id_shared_" + t["shared_side"].astype(str)
    return [label(k, lang, id=i, name=nm, member=m, place=pl, state=label(f"id_shared_state_{st}", lang))
            for k, i, nm, m, pl, st in zip(key, pid, name, member, t["shared_place"].astype("string").fillna(""), state)]


def change_words(codes: pd.Series, lang: Lang) -> pd.Series:
    """Change codes as the ledger writes them: the words under zh, the codes under en (as its status)."""
    if lang == "en":
        return codes.fillna("")
    words = {c: label(f"change_{c}", lang) for c in CHANGES}
    return codes.map(words).fillna("")


def _ids_differ(table: pd.DataFrame) -> pd.Series:
    before = table["previous_head_id"].astype("string").fillna("")
    now = table["head_id"].astype("string").fillna("")
    return before.ne("") & now.ne("") & before.ne(now)


def _valid(ids: pd.Series) -> pd.Series:
    return pd.Series(valid_ids(ids.astype("string").fillna("").to_numpy(dtype=object))[0], index=ids.index)


def head_changed(table: pd.DataFrame) -> pd.Series:
    """Whether the household's head is another person than the register's last one: a valid ID other
    than the registered one. An invalid one (id_invalid) is a typing error, not a new head."""
    return _ids_differ(table) & _valid(table["head_id"])


def id_invalid(table: pd.DataFrame) -> pd.Series:
    """The households whose head's ID this year is not the registered one and is no valid ID (two
    birth-date digits swapped): the household keeps the registered ID (db.latest_screened), and is
    unjudged this year (its row invalid)."""
    return _ids_differ(table) & ~_valid(table["head_id"])


def _one_apart(a: pd.Series, b: pd.Series) -> pd.Series:
    """Whether two texts of the same length differ in exactly one character (compared as code points)."""
    a, b = bare_text(a), bare_text(b)
    if not len(a):
        return pd.Series(False, index=a.index)
    width = max(int(a.str.len().max()), int(b.str.len().max()), 1)
    left = np.array(a.tolist(), dtype=f"<U{width}").view(np.uint32).reshape(len(a), width)
    right = np.array(b.tolist(), dtype=f"<U{width}").view(np.uint32).reshape(len(b), width)
    return a.ne("") & a.str.len().eq(b.str.len()) & pd.Series((left != right).sum(axis=1) == 1, index=a.index)


def same_place(was_township: np.ndarray, was_village: np.ndarray, now_township: np.ndarray,
               now_village: np.ndarray) -> np.ndarray:
    """Per pair, whether last year's place and this year's are one, read as a survey's places are
    beside the register's (normalise.places_beside_held): 前岗村村委会 is 前岗村, and a name similar to
    the other (合隆, 合隆镇) is it too. Only a village truly elsewhere is another village's."""
    n = len(was_village)
    frame = pd.DataFrame({"township": np.r_[was_township, now_township], "village": np.r_[was_village, now_village]})
    township, village = places_beside_held(frame, np.r_[np.ones(n, dtype=bool), np.zeros(n, dtype=bool)])
    return (township[:n] == township[n:]) & (village[:n] == village[n:])


def one_person(before: pd.Series, now: pd.Series) -> pd.Series:
    """Whether two head IDs can be one person's, the one put right into the other: either is no valid
    ID (mistyped, or 15 digits), or their first 17 characters differ in one only (the check character
    follows any digit put right). Two valid IDs further apart are two people, whatever their names."""
    before = bare_text(before)
    now = bare_text(now)
    return ~_valid(before) | ~_valid(now) | _one_apart(before.str[:17], now.str[:17])


def head_maybe_corrected(table: pd.DataFrame) -> pd.Series:
    """Of the heads changed that are no plain ID correction (id_corrected), those whose name and ID
    (its first 17 characters: the check character follows any digit put right) each differ from the
    register's in one character only (徐凤芝 → 徐凤枝, a birth day 25 → 24): likely the same person with
    both put right, said as such for the clerk to check, rather than as a new head."""
    ids = _one_apart(table["previous_head_id"].astype("string").fillna("").str[:17],
                     table["head_id"].astype("string").fillna("").str[:17])
    return head_changed(table) & ~id_corrected(table) & ids & _one_apart(table["previous_head_name"], table["head_name"])


def id_corrected(table: pd.DataFrame) -> pd.Series:
    """Of the households whose head's ID changed (head_changed), those whose head's name is the
    register's last one (spaces aside) and whose IDs can be one person's (one_person): the same
    person, the ID put right (a birth day typed 11 for 12), not a new head. A valid ID born 33 years
    apart under a common name (崔凤林) is another person: a new head, no correction."""
    def name(col: str) -> pd.Series:
        return bare_text(table[col])
    before, now = name("previous_head_name"), name("head_name")
    return head_changed(table) & before.ne("") & before.eq(now) & one_person(table["previous_head_id"], table["head_id"])


MISSED_COLUMNS = ["missed", "last_year", "checked_year", "check", "reason"]


def change_counts(table: pd.DataFrame, omissions: pd.DataFrame | None = None) -> dict[str, int]:
    """The households of each change, in CHANGES' order, and under 本年未调查 those not surveyed a second
    year running (missing_running: the terminal's and report.html's count of them); with `omissions`
    (omissions_followed), the upheld 漏评 no survey has listed (omission_unsurveyed)."""
    counts = {c: int((table["change"] == c).sum()) for c in CHANGES}
    running = int(pd.to_numeric(table["missed_missed"], errors="coerce").gt(1).sum()) if "missed_missed" in table else 0
    at = CHANGES.index("missing") + 1
    unsurveyed = int(omissions["at"].lt(0).sum()) if omissions is not None and len(omissions) else 0
    return {**{c: counts[c] for c in CHANGES[:at]}, "missing_running": running, **{c: counts[c] for c in CHANGES[at:]},
            "omission_unsurveyed": unsurveyed}


def missed_before(reg: db.Register, households, round_id: int, year: int) -> pd.DataFrame:
    """Of `households` (on the register, not found by the survey of `round_id`, of income `year`), those
    an earlier round's survey missed too since their last survey, by household: how many years running
    not surveyed, this one counted (`missed`), the income year of the last survey (`last_year`, the only
    income the register has of it), the latest earlier year that missed it (`checked_year`), what that
    round's 未调查户核实 found ('still': 仍在本村, awaiting a 补充调查 that never came; '' none recorded)
    and its 情况说明 (`reason`). An outside try's 魏玉, 漏调查 in 2020 and missed again in 2021, was said
    in the first year's words, nothing of the check or of its income two years old."""
    empty = pd.DataFrame(columns=MISSED_COLUMNS, index=pd.Index([], name="household", dtype=np.int64))
    keys = [int(k) for k in households]
    if not keys:
        return empty
    changes = db.changes_of(reg, keys)
    changes = changes[(changes["round"] < round_id).to_numpy() & changes["change"].eq("missing").to_numpy()]
    if changes.empty:
        return empty
    screened = db.screened_of(reg, changes["household"].unique().tolist())
    last = screened[screened["round"] < round_id].drop_duplicates("household", keep="last").set_index("household")
    # Only the rounds since its last survey: one that found it since (a late township's) ends the run.
    since = changes["household"].map(last["round"]).fillna(-1).to_numpy()
    changes = changes[changes["round"].to_numpy() > since]
    if changes.empty:
        return empty
    years = pd.concat([changes[["household", "year"]],
                       pd.DataFrame({"household": changes["household"].unique(), "year": year})])
    latest = changes.sort_values("round", kind="stable").drop_duplicates("household", keep="last").set_index("household")
    out = pd.DataFrame({"missed": years.drop_duplicates().groupby("household").size(),
                        "last_year": last["year"].reindex(latest.index), "checked_year": latest["year"]})
    out["check"] = ""
    for r in latest["round"].unique():  # a round or two: those that missed them
        here = latest.index[latest["round"].eq(r).to_numpy()]
        out.loc[here, "check"] = np.where(here.isin(list(still_here(reg, int(r)))), "still", "")
    reasons = db.household_facts(reg, procedure("gone").ids, "reason")
    reasons = reasons[reasons["new"].astype("string").fillna("").str.strip().ne("").to_numpy()]
    said = reasons.drop_duplicates(["round", "household"], keep="last").set_index(["round", "household"])["new"]
    at = pd.MultiIndex.from_arrays([latest["round"].astype(np.int64), latest.index.astype(np.int64)])
    out["reason"] = said.reindex(at).astype(object).fillna("").to_numpy()
    out["reason"] = out["reason"].where(out["check"].eq("still"), "")
    out.index = out.index.astype(np.int64)
    return out[MISSED_COLUMNS].rename_axis("household")


def missed_frame(table: pd.DataFrame) -> pd.DataFrame | None:
    """missed_before's columns as a table carries them (missed_*: the round's comparison, the 未调查户核实
    form's rows), with its place, for missed_words; None where the table carries none."""
    if "missed_missed" not in table or not table["missed_missed"].notna().any():
        return None
    return table[["township", "village"]].assign(**{c: table[f"missed_{c}"] for c in MISSED_COLUMNS})


def missed_words(found: pd.DataFrame, lang: Lang) -> pd.Series:
    """missed_before's households in words (township, village beside its columns): 连续 2 年未调查, what the
    last year's 未调查户核实 found (仍在本村: the 补充调查 never done) and that its income is still its
    last survey's; '' where the run is of one year."""
    out = pd.Series("", index=found.index, dtype=object)
    running = pd.to_numeric(found["missed"], errors="coerce").fillna(0).gt(1).to_numpy()
    if not running.any():
        return out
    at = found[running]
    place = this_place_words(at, lang)
    reason = at["reason"].astype("string").fillna("").str.strip()
    said = [label("missed_running_still" if check == "still" else "missed_running_unchecked", lang, count=int(n),
                  year=int(y), last=int(last) if pd.notna(last) else label("blank", lang), this_place=p,
                  reason=label("missed_running_reason", lang, reason=r) if r else "")
            for n, y, last, check, p, r in zip(at["missed"], at["checked_year"], at["last_year"], at["check"], place,
                                                reason)]
    out[running] = said
    return out


def head_returned(reg: db.Register, table: pd.DataFrame, round_id: int) -> pd.Series:
    """Per line of `table` (this round's comparison) whose head changed (head_changed): the latest income
    year before the last survey in which this head was the household's registered head ('' for none):
    a head come back (魏华全, the head in 2019, 余玉 in 2020, 魏华全 again in 2021) is no new head."""
    out = pd.Series("", index=table.index, dtype=object)
    changed = (head_changed(table) & table["change"].ne("missing")).to_numpy()
    if not changed.any():
        return out
    at = table[changed]
    earlier = db.screened_of(reg, at["household"].astype(np.int64).unique().tolist())
    earlier = earlier[(earlier["round"] < round_id).to_numpy()]
    heads = pd.DataFrame({"household": earlier["household"].astype(np.int64).to_numpy(),
                          "head_id": bare_text(earlier["head_id"]).to_numpy(), "year": earlier["year"].to_numpy()})
    now = pd.DataFrame({"line": at.index, "household": at["household"].astype(np.int64).to_numpy(),
                        "head_id": bare_text(at["head_id"]).to_numpy()})
    hits = now[now["head_id"].ne("").to_numpy()].merge(heads, on=["household", "head_id"])
    if hits.empty:
        return out
    year = hits.groupby("line")["year"].max()
    out[year.index] = year.astype(int).astype(str).to_numpy()
    return out


def _upheld_omissions(reg: db.Register, before_round: int) -> pd.DataFrame:
    """The 漏评 objections upheld in rounds before `before_round`, as they stand (an amendment's blank
    ends one): round, step, date (the day it was settled), township, village, head_name, content. A
    village's facts (steps._record_omissions): omission_head, omission, omission_result, then _2 …"""
    facts = db.named_objections(reg)
    facts = facts[(facts["round"] < before_round).to_numpy() & facts["field"].str.match(
        r"^omission(?:_head|_result)?(?:_\d+)?$").to_numpy()]
    where = ["round", "step", "township", "village"]
    facts = facts.assign(township=facts["township"].fillna(""), village=facts["village"].fillna("")) \
        .drop_duplicates([*where, "field"], keep="last")
    heads = facts[facts["field"].str.match(r"^omission_head(?:_\d+)?$").to_numpy() & facts["new"].notna().to_numpy()]
    slot = heads["field"].str.removeprefix("omission_head").to_numpy(dtype=object)
    out = heads[[*where, "new", "effective"]].rename(columns={"new": "head_name", "effective": "date"})
    values = facts.set_index([*where, "field"])["new"]
    for column, prefix in (("content", "omission"), ("result", "omission_result")):
        at = pd.MultiIndex.from_frame(heads[where].assign(field=prefix + slot))
        out[column] = values.reindex(at).to_numpy()
    return out[out["result"].eq("upheld").to_numpy()].drop(columns="result").reset_index(drop=True)


def omissions_followed(reg: db.Register, round_id: int, rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """The 漏评 objections upheld in rounds before `round_id` (a household not on the list that should
    be: the advice was to survey it and screen it next time) that no survey since found, each with
    what this round's found of it (OMISSION_COLUMNS): `at` its row in `rows` (this round's survey,
    positions; None: the round's screened rows as recorded), -1 for none; `previous` whether its round
    is the one just before (上一轮, omission_words). Found by its village and its head's name as a
    returned form's names are matched (procedure.head_keys): an objection names no ID. After an outside
    try's 2020 screen the upheld 漏评 of 冯国强, never surveyed, was said nowhere."""
    upheld = _upheld_omissions(reg, round_id)
    if upheld.empty:
        return pd.DataFrame(columns=OMISSION_COLUMNS)
    upheld["head"] = head_keys(upheld["head_name"]).to_numpy(dtype=object)
    # One household named twice (both publicities): once, as last settled.
    upheld = upheld.sort_values(["round", "date"], kind="stable").drop_duplicates(
        ["township", "village", "head"], keep="last").reset_index(drop=True)
    years = db.rounds(reg).set_index("id")["year"]
    # A round after the objection's found it (the survey put right and screened again): answered.
    later = [r for r in years.index if r > upheld["round"].min() and (r < round_id or (rows is None and r == round_id))]
    seen = []
    for (township, village), group in upheld.groupby(["township", "village"], sort=False):  # a few villages
        for r in [r for r in later if r > group["round"].min()]:
            there = db.screened_in_village(reg, int(r), township, village)
            seen.append(pd.DataFrame({"township": township, "village": village, "round_seen": int(r),
                                      "head": head_keys(there["head_name"]).to_numpy(dtype=object),
                                      "status": there["status"].to_numpy(dtype=object),
                                      "per_capita_fen": there["per_capita_fen"].to_numpy()}))
    seen = pd.concat(seen, ignore_index=True) if seen else pd.DataFrame(
        columns=["township", "village", "round_seen", "head", "status", "per_capita_fen"])
    hits = upheld.reset_index().merge(seen, on=["township", "village", "head"])
    hits = hits[hits["round_seen"].gt(hits["round"]).to_numpy()]
    if rows is None:  # read from the register: the round's own rows are what it found
        found = hits[hits["round_seen"].eq(round_id).to_numpy()].drop_duplicates("index").set_index("index")
        upheld = upheld.drop(index=hits.loc[hits["round_seen"].lt(round_id), "index"].unique())
        upheld["at"] = np.where(upheld.index.isin(found.index), 0, -1)
        upheld["status"] = found["status"].reindex(upheld.index).to_numpy()
        upheld["per_capita_fen"] = found["per_capita_fen"].reindex(upheld.index).to_numpy()
    else:
        upheld = upheld.drop(index=hits["index"].unique())
        now = pd.DataFrame({"at": np.arange(len(rows)), "head": head_keys(rows["head_name"]).to_numpy(dtype=object),
                            "now_township": bare_text(rows["township"]).to_numpy(dtype=object),
                            "now_village": bare_text(rows["village"]).to_numpy(dtype=object)})
        pairs = upheld.reset_index().merge(now, on="head")
        # The village as the survey writes it (前岗村村委会 is 前岗村): same_place.
        pairs = pairs[same_place(bare_text(pairs["township"]).to_numpy(dtype=object),
                                 bare_text(pairs["village"]).to_numpy(dtype=object),
                                 pairs["now_township"].to_numpy(dtype=object),
                                 pairs["now_village"].to_numpy(dtype=object))].drop_duplicates("index").set_index("index")
        upheld["at"] = pairs["at"].reindex(upheld.index).fillna(-1).astype(np.int64).to_numpy()
        at = upheld["at"].to_numpy()  # -1, none, reads as no row
        upheld["status"] = pd.Series(rows["status"].to_numpy(dtype=object)).reindex(at).to_numpy(dtype=object)
        upheld["per_capita_fen"] = pd.Series(pd.to_numeric(rows["per_capita_fen"]).to_numpy(dtype=object)) \
            .reindex(at).to_numpy(dtype=object)
    upheld["year"] = upheld["round"].map(years).astype("Int64").to_numpy()
    # 上一轮 only of the round just before this one; an earlier one by its year.
    upheld["previous"] = upheld["round"].eq(int(years[years.index < round_id].index.max())).to_numpy()
    upheld["household"] = pd.NA
    return upheld[OMISSION_COLUMNS].reset_index(drop=True)


def omission_words(found: pd.DataFrame, lang: Lang) -> pd.Series:
    """An upheld 漏评 of an earlier round (omissions_followed's year, previous, step, date; read back
    from changes' omission_upheld, as text) in words: 上一轮第二次公示漏评异议成立(2026-10-20)."""
    when = [label("omission_when_previous", lang) if str(p) == "True" else label("omission_when_year", lang, year=y)
            for p, y in zip(found["previous"], found["year"].astype(str))]
    return pd.Series([label("omission_upheld_before", lang, when=w, step=label(f"step_{s}", lang), date=d)
                      for w, s, d in zip(when, found["step"], found["date"].astype(str))], index=found.index, dtype=object)
