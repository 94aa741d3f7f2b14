"""家庭成员: the members table read beside the households, linked to them, and counted per household.

A sheet whose header names the member fields (data/members.toml: 姓名, 身份证号, 与户主关系) is read as
members by read.py, with every reading rule of the household sheet and each member's provenance
(file, sheet, Excel row). Here, vectorised, never a loop per member:

- each member's cells are typed (ID normalised, 与户主关系 to its group, 是否常住 to yes or no) and
  checked on its own row: a blank name, ID or relation, a malformed ID, a member linked to no
  household. Those issues are the members' own list (`Members.log`), never a household's: they do not
  change a household's status. The typing and the row's own checks need no household
  (`member_rows`): they are done where the file is read, by the helper process for the files it
  reads (runtime.SharedReads); the link (`read_members`) is done here;
- each member is linked to a household by 户编号 where both sides have it (with the village and the
  township where the member row names them, so that 户编号 1 of two villages stay apart), otherwise
  by the 户主身份证号 on the member row, otherwise by the block of a printed form: the members listed
  under their head, the block starting at a 户主 row whose own ID is a household's head ID (or one
  slip off it, under that head's name), or at a row of a head's ID whose 与户主关系 is blank;
- what the members say per household is counted once (listed, marked resident, heads, disabled,
  students, the head among them) for the member checks (checks.MEMBER_CHECKS), and for the residents
  of a household whose 家庭常住人口数 is blank while every member of it says 是否常住.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, label, members_catalogue, normalise_header
from .cells import texts_matching, texts_saying
from .texts import keys_among, texts_among
from .checks import check_ids, id_keys, ids_of_18
from .dates import exported_day
from .issues import IssueLog
from .normalise import (by_distinct, normalise_place, normalise_text, normalised_ids, parse_flag, parse_integer,
                         place_readings)
from .read import TEXT
from .rules import RuleSet

# Where a member row comes from: what Members.cells keeps of its cells once they are typed.
PROVENANCE = ("source_file", "sheet", "row", "sheet_key")
# How a member was linked to its household (Members.frame["link"]). household_number_other: the
# 户号 of another system (a 公安 户籍 export's), read through the heads' IDs among its rows (_numbers_of_heads).
LINKS = ("household_id", "head_id", "block", "head_id_near", "household_number_other")
# "Almost none" of a members sheet's rows with a household number finding a household by it: at most
# this share. Above it, the numbers are the survey's 户编号 with slips, each unlinked row said as today.
OTHER_NUMBERS_MATCHED = 0.05


def _text(series: pd.Series) -> np.ndarray:
    return series.fillna("").to_numpy(dtype=object)


def _contains_any(values: np.ndarray, words: tuple[str, ...]) -> np.ndarray:
    """Which values (text) hold any of `words`, after NFKC and without white space: once per
    distinct value."""
    codes, distinct = pd.factorize(values)
    hit = np.array([any(w in normalise_header(v) for w in words) if v else False for v in distinct], dtype=bool)
    return hit[codes] if len(distinct) else np.zeros(len(values), dtype=bool)


# What a relation may carry around its word: a note in brackets after it (户主(本人), 妻(配偶)), the
# head it is relative to before it (户主之妻, 户主的儿子, 之妻).
_RELATION_NOTE = re.compile(r"\([^()]*\)$")
_RELATION_OF_HEAD = re.compile(r"^(?:户主)?[之的]?")
# A code written before its word (02户主, 22-长子): the code decides.
_RELATION_CODE = re.compile(r"^([0-9]{2})(?![0-9])")


def relation_group(word: str, index: dict[str, str]) -> str:
    """One 与户主关系 as typed → its group: as listed (a word, or a 公安 export's code: members.toml
    relation_codes), else without a note in brackets after it, else without the head named before it,
    else by the code written before its word; a word still not listed is 'other', a blank ''."""
    if not word:
        return ""
    key = normalise_header(word)
    for candidate in (key, _RELATION_NOTE.sub("", key), _RELATION_OF_HEAD.sub("", _RELATION_NOTE.sub("", key))):
        if candidate and candidate in index:
            return index[candidate]
    code = _RELATION_CODE.match(key)
    if code and code.group(1) in index:
        return index[code.group(1)]
    return "other"


def relation_groups(relations: np.ndarray) -> np.ndarray:
    """与户主关系 as typed → its group (members.toml [relations], relation_group): once per distinct word.
    A column of codes that Excel saved as numbers (「02」 户主 as 2) reads a lone digit as its code."""
    index = members_catalogue().relation_index()
    codes, distinct = pd.factorize(relations)
    words = list(distinct)
    keys = [normalise_header(w) if isinstance(w, str) else "" for w in words]
    numbers = {k for k in keys if k.isascii() and k.isdigit()}
    # Codes: a listed two-digit one among them, and no number longer; a 「1」 among words stays a word.
    if any(len(n) == 2 and n in index for n in numbers) and all(len(n) <= 2 for n in numbers):
        words = [f"0{k}" if len(k) == 1 and k in numbers else w for w, k in zip(words, keys)]
    groups = np.array([relation_group(v, index) for v in words], dtype=object)
    return groups[codes] if len(distinct) else np.array([], dtype=object)


def household_keys(households: pd.DataFrame) -> pd.DataFrame:
    """The households' link columns normalised as the members' are (from their cells as typed, so
    that the link is known before the households are parsed): head_id, household_id, township,
    village; and members (家庭人口数 as _stated_members reads it, else NaN), which a block's size is
    held to; and head_name as typed."""
    return pd.DataFrame({
        # An old 15-digit ID as 18 on either side, as a member's own: a members file keyed by it links.
        "head_id": ids_of_18(normalised_ids(_text(households["head_id"])))[0],
        "household_id": _text(normalise_text(households["household_id"])),
        "township": _text(normalise_place(households["township"])),
        "village": _text(normalise_place(households["village"])),
        # Read as the ledger and the member counts' checks read it (3人, ３口人): one reading of one cell.
        "members": _stated_members(households),
        # The head's name as typed: a 户主 row whose ID is one slip off is known by it (_slipped_heads).
        "head_name": _text(households["head_name"]) if "head_name" in households
        else np.full(len(households), "", dtype=object),
    })


def _unique_lookup(keys: np.ndarray, wanted: np.ndarray, blank="") -> np.ndarray:
    """For each of `wanted`, the position of the one household whose key it is, or -1 (none, or a
    key two households share: no guess). A `blank` key is nobody's. Text keys: both sides hashed in
    one pass."""
    if not len(keys) or not len(wanted):
        return np.full(len(wanted), -1, dtype=np.int64)
    if keys.dtype != object:  # integers hash fast: the households' own keys looked up as an index
        keys = pd.Series(keys)
        once = ~keys.duplicated(keep=False).to_numpy() & (keys != blank).to_numpy()
        if not once.any():  # every key shared (户编号 that Excel cut to the same 15 digits): none links
            return np.full(len(wanted), -1, dtype=np.int64)
        found = pd.Index(keys[once].to_numpy()).get_indexer(wanted)
        return np.where(found >= 0, np.flatnonzero(once)[np.maximum(found, 0)], -1)
    codes, uniques = pd.factorize(np.concatenate([keys, wanted]))
    own, asked = codes[:len(keys)], codes[len(keys):]
    households = np.bincount(own, minlength=len(uniques))
    position = np.full(len(uniques), -1, dtype=np.int64)
    position[own] = np.arange(len(keys))
    return np.where((households[asked] == 1) & (wanted != blank), position[asked], -1)


def _joint_codes(households: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """One column of both sides factorised together: (the households' codes, the members', how many
    distinct values). Equal text, equal code: keys are then built of integers, not of strings."""
    codes, uniques = pd.factorize(np.concatenate([households, members]))
    return codes[:len(households)].astype(np.int64), codes[len(households):].astype(np.int64), max(len(uniques), 1)


def _head_unsaid(frame: pd.DataFrame) -> np.ndarray:
    """Which member rows may be a head's own row by their 与户主关系: blank, or a word not understood
    that says 户主 or 本人 (本人/户主, 户主/本人). Such a row starts a block only with a head's ID."""
    group = frame["group"].to_numpy(dtype=object)
    out = group == ""
    other = np.flatnonzero(group == "other")
    if len(other):
        out[other] = _contains_any(frame["relation"].to_numpy(dtype=object)[other], ("户主", "本人"))
    return out


def may_be_head_row(frame: pd.DataFrame) -> np.ndarray:
    """Which member rows may be the head's own by their 与户主关系: it says 户主, or nothing, or words
    not listed that say 户主 or 本人 (_head_unsaid). A row of 子, 妻, 父 … is not, whatever its name: a
    son named as his father is the son."""
    return (frame["group"].to_numpy(dtype=object) == "head") | _head_unsaid(frame)


def _one_slip(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairwise: whether two IDs (text) of 18 characters differ by one slip of the hand: one
    character typed differently, or two side by side swapped. Either makes a valid ID fail its check."""
    same_length = (pd.Series(a, dtype=object).str.len().to_numpy() == 18) \
        & (pd.Series(b, dtype=object).str.len().to_numpy() == 18)
    out = np.zeros(len(a), dtype=bool)
    at = np.flatnonzero(same_length)
    if not len(at):
        return out
    x = np.array(a[at].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18)
    y = np.array(b[at].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18)
    differs = x != y
    count = differs.sum(axis=1)
    first = differs.argmax(axis=1)
    rows = np.arange(len(at))
    second = np.minimum(first + 1, 17)
    swapped = (count == 2) & differs[rows, second] & (x[rows, first] == y[rows, second]) \
        & (x[rows, second] == y[rows, first])
    out[at] = (count == 1) | swapped
    return out


# 11 to the power of each of an ID's 18 places: an ID of digits and X as one integer (_id_numbers).
_POWERS = 11 ** np.arange(18, dtype=np.int64)


def _id_numbers(ids: np.ndarray) -> np.ndarray:
    """Each ID of 18 digits (X as 10) as one integer, base 11, its first character the lowest place;
    -1 for any other text. A hundred thousand IDs' characters at a time, not a county's at once."""
    out = np.full(len(ids), -1, dtype=np.int64)
    at = np.flatnonzero(pd.Series(ids, dtype=object).str.fullmatch(r"[0-9X]{18}").fillna(False).to_numpy(dtype=bool))
    for start in range(0, len(at), 100_000):
        part = at[start:start + 100_000]
        codes = np.array(ids[part].tolist(), dtype="<U18").view(np.uint32).reshape(-1, 18).astype(np.int64)
        out[part] = np.where(codes == ord("X"), 10, codes - ord("0")) @ _POWERS
    return out


def _near_pairs(asked: np.ndarray, held: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in `asked`, positions in `held`) of the IDs one slip apart (_one_slip). Two such IDs
    agree but for two places side by side: matched on the 17 windows of two places blanked out, as
    integers, then each pair found checked; never every ID against every other."""
    a, h = _id_numbers(asked), _id_numbers(held)
    a_at, h_at = np.flatnonzero(a >= 0), np.flatnonzero(h >= 0)
    pairs = []
    for place in range(17):
        def blanked(numbers: np.ndarray) -> np.ndarray:
            low, high = _POWERS[place], _POWERS[place + 1]
            return numbers - (numbers // low % 11) * low - (numbers // high % 11) * high
        mine, theirs = blanked(a[a_at]), blanked(h[h_at])
        keep = keys_among(theirs, mine)
        if keep.any():
            pairs.append(pd.DataFrame({"key": mine, "a": a_at})
                         .merge(pd.DataFrame({"key": theirs[keep], "h": h_at[keep]}), on="key")[["a", "h"]])
    if not pairs:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    found = pd.concat(pairs, ignore_index=True).drop_duplicates()
    at, hh = found["a"].to_numpy(dtype=np.int64), found["h"].to_numpy(dtype=np.int64)
    slip = _one_slip(asked[at], held[hh])
    return at[slip], hh[slip]


def _near_heads(frame: pd.DataFrame, keys: pd.DataFrame, hh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For member rows linked to nothing whose 户主身份证号 is no household's head: (the household
    whose head's ID is one slip from it (_one_slip), in the same township and village where both
    name one, or -1; per row the two such households where there are two or more, else -1, -1).
    Linked only to a household no member row names or is linked to (its own members are elsewhere
    under the ID it was typed with), and that no other ID of the members sheet is one slip from:
    one household's head ID typed wrong on one side, its members otherwise lost, its count said 0."""
    n = len(frame)
    near, two = np.full(n, -1, dtype=np.int64), np.full((n, 2), -1, dtype=np.int64)
    heads = keys["head_id"].to_numpy(dtype=object)
    m_head = frame["head_id"].to_numpy(dtype=object)
    # Of the rows linked to nothing alone (none, where the whole sheet linked): a county's 2.6 million
    # IDs looked up among its heads' for none took a second.
    rows = np.flatnonzero((hh < 0) & (m_head != ""))
    rows = rows[~texts_among(m_head[rows], heads[heads != ""])]
    if not len(rows):
        return near, two
    # One question per head's ID and place: a household's five member rows ask once.
    asked = pd.DataFrame({"head_id": m_head[rows], "township": frame["township"].to_numpy(dtype=object)[rows],
                          "village": frame["village"].to_numpy(dtype=object)[rows]})
    codes = asked.groupby(list(asked.columns), sort=False).ngroup().to_numpy()  # numbered as first seen
    distinct = asked.drop_duplicates().reset_index(drop=True)
    at, h = _near_pairs(distinct["head_id"].to_numpy(dtype=object), heads)
    for column in ("township", "village"):  # the same place where both sides name one
        mine, theirs = distinct[column].to_numpy(dtype=object)[at], keys[column].to_numpy(dtype=object)[h]
        same = (mine == "") | (theirs == "") | (mine == theirs)
        at, h = at[same], h[same]
    if not len(at):
        return near, two
    households = np.bincount(at, minlength=len(distinct))
    # A household no member row is linked to, whose head's ID no member row names (an invalid ID is
    # still the link where the members carry it the same), and that one ID of the members is near.
    free = (np.bincount(hh[hh >= 0], minlength=len(keys)) == 0) & ~texts_among(heads, m_head)
    one = households[at] == 1
    ids_near = pd.DataFrame({"h": h[one], "id": distinct["head_id"].to_numpy(dtype=object)[at[one]]}) \
        .drop_duplicates()["h"].value_counts()
    taken = one & free[h] & (pd.Series(h).map(ids_near).fillna(0).to_numpy() == 1)
    target = np.full(len(distinct), -1, dtype=np.int64)
    target[at[taken]] = h[taken]
    near[rows] = target[codes]
    # Two households (or more) near: no guess; the first two named on the rows, by their order.
    order = np.lexsort((h, at))
    at, h = at[order], h[order]
    rank = pd.Series(at).groupby(at).cumcount().to_numpy()
    pair = np.full((len(distinct), 2), -1, dtype=np.int64)
    several = (households[at] >= 2) & (rank < 2)
    pair[at[several], rank[several]] = h[several]
    two[rows] = pair[codes]
    return near, two


def _slipped_heads(frame: pd.DataFrame, rows: np.ndarray, keys: pd.DataFrame) -> np.ndarray:
    """For 户主 rows (`rows` of `frame`) whose ID is no household's head: the one household whose head
    has the row's name and an ID one slip from the row's (_one_slip), the row's own ID failing its
    check; else -1. A valid ID is a real person's, never taken for another's."""
    out = np.full(len(rows), -1, dtype=np.int64)
    invalid = pd.isna(frame["birth"].to_numpy()[rows]) if "birth" in frame.columns else np.ones(len(rows), dtype=bool)
    names = frame["name"].to_numpy(dtype=object)[rows]
    ask = np.flatnonzero(invalid & (names != ""))
    if not len(ask) or "head_name" not in keys.columns:
        return out

    def name_key(values: np.ndarray) -> np.ndarray:  # NFKC, no white space: as normalise_header
        return pd.Series(values, dtype=object).str.normalize("NFKC").str.replace(r"\s+", "", regex=True) \
            .to_numpy(dtype=object)

    asked = pd.DataFrame({"name": name_key(names[ask]), "at": ask})
    codes, distinct = pd.factorize(keys["head_name"].to_numpy(dtype=object))  # each name normalised once
    households = pd.DataFrame({"name": name_key(distinct)[codes] if len(distinct) else np.array([], dtype=object),
                               "hh": np.arange(len(keys))})
    pairs = asked.merge(households, on="name")
    if not len(pairs):
        return out
    at, hh = pairs["at"].to_numpy(), pairs["hh"].to_numpy()
    ids = frame["member_id"].to_numpy(dtype=object)[rows[at]]
    near = _one_slip(ids, keys["head_id"].to_numpy(dtype=object)[hh])
    at, hh = at[near], hh[near]
    once = np.bincount(at, minlength=len(rows))[at] == 1  # two such households: no guess
    out[at[once]] = hh[once]
    return out


def _numbers_of_heads(frame: pd.DataFrame, keys: pd.DataFrame, hh: np.ndarray, has_id: np.ndarray) -> np.ndarray:
    """Per member row, the household it belongs to by another system's household numbers, else -1.
    A members sheet whose numbers (almost) never find a household by 户编号 (OTHER_NUMBERS_MATCHED;
    nor without their leading zeros: Excel's 1 for 001 is the survey's number, said as such), while
    more of its numbers hold a survey head's own row: each number holding the row of one household's
    head (the head's ID, a relation that may be the head's: not 子 or 妻, whose own household that
    is not) is that household, all its rows. A number of no survey head, or of two, stays unlinked."""
    out = np.full(len(frame), -1, dtype=np.int64)
    if not (has_id & (hh < 0)).any():  # every number found a household: the survey's own
        return out
    sheets = pd.factorize(frame["sheet_key"].to_numpy(dtype=object))[0]
    # A sheet is looked at only where almost none of its numbered rows found a household: a survey's
    # own members table costs two bincounts.
    numbered = np.bincount(sheets[has_id], minlength=sheets.max(initial=-1) + 1)
    found = np.bincount(sheets[has_id & (hh >= 0)], minlength=len(numbered))
    rows = np.flatnonzero(has_id & (found <= OTHER_NUMBERS_MATCHED * numbered)[sheets])
    if not len(rows):
        return out
    m_id = frame["household_id"].to_numpy(dtype=object)[rows]
    h_id = keys["household_id"].to_numpy(dtype=object)
    bare = pd.Series(h_id[h_id != ""], dtype=object).str.lstrip("0")
    survey = (hh[rows] >= 0) | pd.Series(m_id, dtype=object).str.lstrip("0").isin(bare[bare != ""]).to_numpy()
    head = _unique_lookup(keys["head_id"].to_numpy(dtype=object), frame["member_id"].to_numpy(dtype=object)[rows])
    # A survey head listed as 子 in his father's 户号 is not that number's head: its rows are not his.
    head[~np.isin(frame["group"].to_numpy(dtype=object)[rows], ("head", "", "other"))] = -1
    # One number: its sheet, township, village and the number itself, as the member rows write them.
    number = pd.DataFrame({"sheet": sheets[rows], **{c: pd.factorize(frame[c].to_numpy(dtype=object)[rows])[0]
                                                     for c in ("township", "village", "household_id")}}) \
        .groupby(["sheet", "township", "village", "household_id"], sort=False).ngroup().to_numpy()
    count = number.max() + 1
    sheet_of = np.zeros(count, dtype=np.int64)
    sheet_of[number] = sheets[rows]
    matched = np.bincount(number[survey], minlength=count) > 0
    with_head = head >= 0
    low = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
    high = np.full(count, -1, dtype=np.int64)
    np.minimum.at(low, number[with_head], head[with_head])
    np.maximum.at(high, number[with_head], head[with_head])
    one = (high >= 0) & (low == high)  # the heads' rows of one household only
    per_sheet = len(numbered)
    numbers = np.bincount(sheet_of, minlength=per_sheet)
    hit = np.bincount(sheet_of[matched], minlength=per_sheet)
    other = (hit <= OTHER_NUMBERS_MATCHED * numbers) & (np.bincount(sheet_of[one], minlength=per_sheet) > hit)
    target = np.where(one & other[sheet_of], high, -1)
    out[rows] = target[number]
    return out


def link(frame: pd.DataFrame, keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(household position or -1, how it was linked: one of LINKS or '' or why not, the 户主 row
    whose block a row stands in when that row is no household's head, else -1, the two households
    whose head's ID is one slip from the row's 户主身份证号 where two are, else -1, -1) for every member of
    `frame` (typed: household_id, head_id, township, village, member_id, name, relation, group,
    sheet_key, birth) against the households' `keys` (household_keys)."""
    n = len(frame)
    hh = np.full(n, -1, dtype=np.int64)
    how = np.full(n, "", dtype=object)
    block_head = np.full(n, -1, dtype=np.int64)
    # 1. 户编号, with as much of the place as the member row names.
    m_id = frame["household_id"].to_numpy(dtype=object)
    m_town = frame["township"].to_numpy(dtype=object)
    m_village = frame["village"].to_numpy(dtype=object)
    has_id = m_id != ""
    with_village = has_id & (m_village != "")
    with_town = with_village & (m_town != "")
    h_id, h_town, h_village = (keys[c].to_numpy(dtype=object) for c in ("household_id", "township", "village"))
    if has_id.any():
        # The keys as integers (town, village and 户编号 each factorised over both sides): three
        # million members' keys as strings were 250 MB made and hashed for this alone.
        ht, mt, nt = _joint_codes(h_town, m_town)
        hv, mv, nv = _joint_codes(h_village, m_village)
        hi, mi, ni = _joint_codes(h_id, m_id)
        levels = ((with_town, lambda t, v, i: (t * nv + v) * ni + i),
                  (with_village & ~with_town, lambda t, v, i: v * ni + i),
                  (has_id & ~with_village, lambda t, v, i: i))
        for rows, key in levels:
            at = np.flatnonzero(rows)
            if not len(at):
                continue
            found = _unique_lookup(np.where(h_id != "", key(ht, hv, hi), -1), key(mt[at], mv[at], mi[at]), blank=-1)
            hh[at] = found
            how[at[found >= 0]] = "household_id"
        # A village that is still no household's (前岗 for 前岗村, a village typed into the wrong column):
        # the 户编号 within the township, else alone, where exactly one household has it (said: read_members).
        known_village = keys_among(mv, hv)
        known_town = keys_among(mt, ht) & (m_town != "")
        for rows, key in ((with_village & ~known_village & known_town, lambda t, v, i: t * ni + i),
                          (with_village & ~known_village & ~known_town, lambda t, v, i: i)):
            at = np.flatnonzero(rows & (hh < 0))
            if not len(at):
                continue
            found = _unique_lookup(np.where(h_id != "", key(ht, hv, hi), -1), key(mt[at], mv[at], mi[at]), blank=-1)
            hh[at] = found
            how[at[found >= 0]] = "household_id"
    # 1b. A members table whose household numbers are another system's (a 公安 户籍 export's 户号
    # 220100029 beside the survey's 户编号 220122101001): every member had no household, the rosters
    # then matched the heads alone. Its members go where a survey head's own row shares their number.
    if has_id.any():
        other = _numbers_of_heads(frame, keys, hh, has_id)
        at = np.flatnonzero(other >= 0)
        hh[at] = other[at]
        how[at] = "household_number_other"
    # 2. The head's ID on the member row.
    heads = keys["head_id"].to_numpy(dtype=object)
    m_head = frame["head_id"].to_numpy(dtype=object)
    at = np.flatnonzero((hh < 0) & (m_head != ""))
    if len(at):
        found = _unique_lookup(heads, m_head[at])
        hh[at] = found
        how[at[found >= 0]] = "head_id"
    # 3. The printed form's blocks, for the rows that name no household themselves: a 户主 row whose
    # own ID is a household's head starts its block. A row that names a household nobody has stays
    # unlinked: it is not put under the head above it.
    group = frame["group"].to_numpy(dtype=object)
    unnamed = ~has_id & (m_head == "")
    # The head's own row whose 与户主关系 is blank, or says 户主/本人 in words not listed (本人/户主):
    # its ID, a household's head's, starts the block all the same. Not started, the head and every
    # member under him fell under the household above, or were said to have none.
    is_head = group == "head"
    may_be_head = may_be_head_row(frame)
    if may_be_head.any() and (unnamed & (hh < 0)).any():
        member_ids = frame["member_id"].to_numpy(dtype=object)
        at = np.flatnonzero(may_be_head)
        own = _unique_lookup(heads, member_ids[at])
        # A 户主 row whose ID is one slip off its head's on the household sheet (the ID fails its
        # check): its household by the head's name. Without it the whole household went unlinked, a
        # 低保 spouse under it excluding no one.
        slipped = np.flatnonzero(is_head[at] & (own < 0))
        if len(slipped):
            own[slipped] = _slipped_heads(frame, at[slipped], keys)
        starts = is_head.copy()
        starts[at[own >= 0]] = True
        block_hh = np.full(n, np.nan)
        block_hh[at[starts[at]]] = own[starts[at]]
        sheets = pd.factorize(frame["sheet_key"].to_numpy(dtype=object))[0]  # once, for each grouping below
        carried = pd.Series(block_hh).groupby(sheets, sort=False).ffill().fillna(-1).to_numpy().astype(np.int64)
        # A block holds one spouse of its head: a second one is the sign of another household whose 户主
        # row is missing, even when the block stays within this one's 家庭人口数 (孙二 said 4, listed
        # himself and his wife, and 孙三's wife and son followed). Put under it, a 低保 spouse there
        # would exclude the household above: the rows from her on stay unlinked, said as such.
        block = sheets * (n + 1) + np.cumsum(starts)  # a 户主 row and the rows below it
        spouse = group == "spouse"
        spouses = pd.Series(spouse.astype(np.int64)).groupby(block, sort=False).cumsum().to_numpy()
        declared = np.where(carried >= 0, keys["members"].to_numpy(dtype=float)[np.maximum(carried, 0)], np.nan)
        cut = pd.Series(spouses >= 2).groupby(block, sort=False).cummax().to_numpy(dtype=bool) & ~starts
        # Without a second spouse too: the rows past the household's 家庭人口数 are known to be its only
        # by where they stand, and the next household's members under a missing 户主 row stand just
        # there (a 低保 child there excluded the household above). They stay unlinked, said as such.
        position = pd.Series(block).groupby(block, sort=False).cumcount().to_numpy() + 1
        over = (position > declared) & ~cut & ~starts  # NaN (no 家庭人口数): nothing to hold them to
        at = np.flatnonzero(unnamed & (hh < 0) & (carried >= 0) & ~cut & ~over)
        hh[at] = carried[at]
        how[at] = "block"
        how[np.flatnonzero(unnamed & (hh < 0) & (carried >= 0) & cut)] = "block_cut"
        how[np.flatnonzero(unnamed & (hh < 0) & (carried >= 0) & over)] = "block_over"
        # A 户主 row that is no household's head, and the rows under it, said as such: the rows under it
        # name that row (its ID is the one to check), not "no 户主 row above".
        start = np.where(starts, np.arange(n), np.nan)
        start = pd.Series(start).groupby(sheets, sort=False).ffill().fillna(-1).to_numpy().astype(np.int64)
        lost = unnamed & (hh < 0) & (carried < 0) & (start >= 0)
        how[np.flatnonzero(lost & starts)] = "head_unknown"
        below = np.flatnonzero(lost & ~starts)
        how[below] = "under_unknown_head"
        block_head[below] = start[below]
    # 4. A 户主身份证号 on member rows one slip of the hand from a household's whose members are nowhere
    # (try BD: 郭静's ID with a wrong check digit on the household sheet, right on her 5 members' rows):
    # theirs. Not linked, the household said 0 members and each of them no household.
    near, near_two = _near_heads(frame, keys, hh)
    at = np.flatnonzero(near >= 0)
    hh[at] = near[at]
    how[at] = "head_id_near"
    how[np.flatnonzero(near_two[:, 0] >= 0)] = "head_id_near_two"
    return hh, how, block_head, near_two


@dataclass
class Members:
    """The members of a run: their cells as typed, the typed frame with each member's household,
    the issues of member rows, where each member field sits, and the counts per household."""

    cells: pd.DataFrame
    frame: pd.DataFrame
    log: IssueLog
    columns: pd.DataFrame
    counts: pd.DataFrame
    # Households of a village where some household has members listed: the member checks apply there.
    # Not a household of one listing nobody in a village that leaves its heads out (read_members).
    covered: np.ndarray
    # Households whose blank 家庭常住人口数 is counted from their members' 是否常住.
    filled: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    _issues: dict = field(default_factory=dict, repr=False)
    _people: People | None = field(default=None, repr=False)
    # Households whose members were linked by a head's ID one slip from their own (_linked_near).
    near: pd.DataFrame | None = None
    # Per members sheet whose household numbers were read as another system's (_other_numbers).
    other_numbers: pd.DataFrame | None = None
    # What check_households found of the heads' IDs: birth dates (NaT: not valid) and integer keys.
    head_birth: np.ndarray | None = None
    head_keys: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.frame)

    # What is read of the typed frame once the checks have run (the link facts, the member rows'
    # provenance and issue list, the roster matches): the rest is dropped, three million rows' worth.
    KEPT = ("hh", "link", "name", "member_id", "key", "relation", "group", "resident", "township", "village",
            "labour", "converted")

    def slim(self) -> None:
        """Drop the typed columns only the checks and the links needed, and the people hashed for
        the checks and the rosters."""
        self.frame = self.frame[[c for c in self.frame.columns if c in self.KEPT]]
        self._people = None

    def persons(self, households: pd.DataFrame) -> People:
        """The run's people (members and heads, `people`), made once: the check of a person in two
        households and the rosters hash the same IDs."""
        if self._people is None:
            self._people = people(households, self)
        return self._people

    def may_be_head(self, at: np.ndarray) -> np.ndarray:
        """may_be_head_row of the member rows at `at` (positions in the frame)."""
        return may_be_head_row(self.frame.iloc[at])

    @property
    def linked(self) -> np.ndarray:
        return self.frame["hh"].to_numpy() >= 0

    def provenance(self, households: pd.DataFrame, at: np.ndarray | None = None) -> pd.DataFrame:
        """The member rows' provenance as an issue table takes it (issues._PROVENANCE): the member's
        own place where the row names it, else its household's; the member's name for the head's.
        Worked out only for the rows `at` (default all), blank elsewhere."""
        n = len(self.frame)
        at = np.arange(n) if at is None else at
        hh = self.frame["hh"].to_numpy()[at]
        out = {}
        for col in ("township", "village"):
            own = self.frame[col].to_numpy(dtype=object)[at]
            theirs = np.full(len(at), "", dtype=object)
            linked = np.flatnonzero(hh >= 0)
            theirs[linked] = households[col].fillna("").to_numpy(dtype=object)[hh[linked]]
            out[col] = np.full(n, "", dtype=object)
            # A linked member is where its household is (its fix list); an unlinked one where it says.
            out[col][at] = np.where((own != "") & (hh < 0), own, theirs)
        return pd.DataFrame({"source_file": self.cells["source_file"].to_numpy(), "sheet": self.cells["sheet"].to_numpy(),
                             "row": self.cells["row"].to_numpy(), **out,
                             "head_name": self.frame["name"].to_numpy(dtype=object),
                             "sheet_key": self.cells["sheet_key"].to_numpy()})

    def issues(self, households: pd.DataFrame, lang: Lang) -> pd.DataFrame:
        """The member rows' issue table in `lang` (issues.IssueLog.table), made once per language."""
        if lang not in self._issues:
            rows = np.unique(self.log.index()["hh"].to_numpy(dtype=np.int64))
            self._issues[lang] = self.log.table(self.provenance(households, rows), self.columns, lang)
        return self._issues[lang]

    @property
    def error_count(self) -> int:
        index = self.log.index()
        return int((index["severity"] == "error").sum())

    @property
    def warning_count(self) -> int:
        index = self.log.index()
        return int((index["severity"] == "warning").sum())


@dataclass
class People:
    """Every person whose ID is matched: each member linked to a household (where members are
    given) and each household's head, once per household and ID (a head listed among the members
    is that member). Per person: hh, member (its position in members.frame, -1 for a head not
    listed) and the ID's integer key (checks.id_keys), factorised (code into uniques): hashed once
    for the person in two households and for every roster. Per household: its head's key
    (head_key; NO_KEY where it has no head ID). The IDs as text are taken only for those asked for."""

    hh: np.ndarray
    member: np.ndarray
    key: np.ndarray
    code: np.ndarray
    uniques: np.ndarray
    head_key: np.ndarray
    member_ids: np.ndarray  # members.frame's member_id (empty without members)
    head_ids: np.ndarray  # the households' head IDs ('' for none)

    NO_KEY = np.iinfo(np.int64).min

    def ids(self, take: np.ndarray) -> np.ndarray:
        """The IDs as written of the people at `take`."""
        hh, member = self.hh[take], self.member[take]
        out = self.head_ids[hh]
        listed = member >= 0
        out[listed] = self.member_ids[member[listed]]
        return out

    def heads_listed(self) -> np.ndarray:
        """Per household: whether its head's ID is among its members' IDs."""
        out = np.zeros(len(self.head_key), dtype=bool)
        listed = self.member >= 0
        out[self.hh[listed & (self.key == self.head_key[self.hh])]] = True
        return out

    def frame(self, take: np.ndarray, households: pd.DataFrame, members=None) -> pd.DataFrame:
        """The people at `take` with what the outputs say of them: hh, member, id, relation,
        group, name (a head not listed: no relation, the head's group, the survey's name)."""
        hh, member = self.hh[take], self.member[take]
        relation = np.full(len(take), "", dtype=object)
        group = np.full(len(take), "head", dtype=object)
        name = households["head_name"].fillna("").to_numpy(dtype=object)[hh]
        listed = np.flatnonzero(member >= 0)
        if members is not None and len(listed):
            frame = members.frame
            at = member[listed]
            relation[listed] = frame["relation"].to_numpy(dtype=object)[at]
            group[listed] = frame["group"].to_numpy(dtype=object)[at]
            name[listed] = frame["name"].to_numpy(dtype=object)[at]
        return pd.DataFrame({"hh": hh, "member": member, "id": self.ids(take), "relation": relation,
                             "group": group, "name": name})


def people(households: pd.DataFrame, members: Members | None = None) -> People:
    """Every person of the run (People), built column-wise: the frame of three million people with
    their names and relations is made only for those a check or a roster names. With members, use
    `members.persons(households)`: made once for the checks and the rosters."""
    heads = households["head_id"].fillna("").to_numpy(dtype=object)
    head_at = np.flatnonzero(heads != "")
    member_ids = np.array([], dtype=object)
    hh, member, keys = [], [], []
    if members is not None:
        frame = members.frame
        member_ids = frame["member_id"].to_numpy(dtype=object)
        at = np.flatnonzero((frame["hh"].to_numpy() >= 0) & (member_ids != ""))
        hh.append(frame["hh"].to_numpy()[at].astype(np.int64))
        member.append(at.astype(np.int64))
        keys.append(frame["key"].to_numpy()[at])
    hh.append(head_at.astype(np.int64))
    member.append(np.full(len(head_at), -1, dtype=np.int64))
    keys.append(members.head_keys[head_at] if members is not None and members.head_keys is not None
                else id_keys(heads[head_at]))
    hh, member, keys = (np.concatenate(a) for a in (hh, member, keys))
    # An ID that is no ID's form has a key only within its own column: numbered again over all.
    other = np.flatnonzero(keys < 0)
    if len(other):
        listed = member[other] >= 0
        text = heads[hh[other]]
        text[listed] = member_ids[member[other][listed]]
        keys[other] = -1 - pd.factorize(text)[0].astype(np.int64)
    head_key = np.full(len(heads), People.NO_KEY, dtype=np.int64)
    head_key[head_at] = keys[len(keys) - len(head_at):]
    # Once per household and ID: on integer keys (the IDs' keys factorised), not on the strings.
    code, uniques = pd.factorize(keys)
    once = ~pd.Series(hh * max(len(uniques), 1) + code).duplicated().to_numpy()
    return People(hh=hh[once], member=member[once], key=keys[once], code=code[once], uniques=uniques,
                  head_key=head_key, member_ids=member_ids, head_ids=heads)


def typed(cells: pd.DataFrame) -> pd.DataFrame:
    """The member rows' cells typed: text normalised, the ID as IDs are written, 与户主关系 and its
    group, 是否常住 as yes/no (NA where blank or not recognised), disabled and student from
    健康状况 and 在校生状况."""
    values = members_catalogue().values
    resident, resident_state = parse_flag(cells["resident"])
    # A blank 是否常住 is no answer (a household's blank 是否低保户 is its 否): counted neither way.
    resident = resident.mask((resident_state == "blank").to_numpy())
    relation = _text(normalise_text(cells["relation"]))
    student = _text(normalise_text(cells["student"]))
    not_student = {normalise_header(w) for w in values.not_student}
    codes, distinct = pd.factorize(student)
    is_student = np.array([bool(v) and normalise_header(v) not in not_student for v in distinct], dtype=bool)
    return pd.DataFrame({
        **{f"{name}_said": _said_flag(cells[name], name) for name in ("dibao", "tekun")},
        "dead_note": _dead_notes(cells["notes"]),
        "sheet_key": cells["sheet_key"].to_numpy(dtype=object),
        "name": _text(cells["name"]),
        "member_id": normalised_ids(_text(cells["member_id"])),
        "relation": relation,
        "group": relation_groups(relation),
        "head_id": ids_of_18(normalised_ids(_text(cells["head_id"])))[0],
        "household_id": _text(normalise_text(cells["household_id"])),
        "township": _text(normalise_place(cells["township"])),
        "village": _text(normalise_place(cells["village"])),
        "resident": resident.to_numpy(dtype=object, na_value=None),
        "resident_state": resident_state.astype(str).to_numpy(dtype=object),
        # 劳动技能 as typed (normalised): the years after (register.years) judge working-age labour by it.
        "labour": _text(normalise_text(cells["labour"])) if "labour" in cells else np.full(len(cells), "", dtype=object),
        "disabled": _contains_any(_text(cells["health"]), values.disabled) | _disabled_said(cells["disability"]),
        "student": is_student[codes] if len(distinct) else np.zeros(len(cells), dtype=bool),
    })


def _dead_notes(raw: pd.Series) -> np.ndarray:
    """A member's 备注 where it says the member died (已故, 病故 … in a clause without a negation:
    fields.toml [notes]), None elsewhere: the texts mentioning a death word are read clause by clause,
    once per distinct text; the rest of the column is not kept."""
    words = fields().notes
    out = np.full(len(raw), None, dtype=object)
    if not words.deceased:
        return out
    texts = _text(normalise_text(raw))
    near = texts_matching(texts, words.mention(words.deceased))
    dead = near[texts_saying(texts[near], words.dead)]
    out[dead] = texts[dead]
    return out


def _disabled_said(raw: pd.Series) -> np.ndarray:
    """Who the 是否残疾 column says is disabled: 是 (有证, 二级 …: the field's own words), or, where it
    says no 否, words of a disability's kind or grade (是(肢体二级), 肢体残疾三级: [values] disability_marks)."""
    said = _said_flag(raw, "disability")
    return (said == 1) | ((said != 0) & _contains_any(_text(raw), members_catalogue().values.disability_marks))


def _said_flag(raw: pd.Series, name: str) -> np.ndarray:
    """A person's 是否低保, 是否特困 or 是否残疾 as said (with the member field's own answers: 农村低保,
    分散供养, 二级): 1 是, 0 否, -1 blank, absent or not a yes or no."""
    spec = next(f for f in members_catalogue().field if f.name == name)
    value, state = parse_flag(raw, spec)
    said = np.where(value.fillna(False).to_numpy(dtype=bool), 1, 0).astype(np.int8)
    said[(state != "ok").to_numpy(dtype=bool)] = -1
    return said


@dataclass
class MemberRows:
    """Member rows typed and checked on their own rows, not yet linked to households (one sheet's,
    or a run's joined): `cells` where each row comes from and the cells a link issue quotes
    (PROVENANCE and LINK_CELLS), `frame` the typed columns, `log` the rows' own issues."""

    cells: pd.DataFrame
    frame: pd.DataFrame
    log: IssueLog

    def __len__(self) -> int:
        return len(self.frame)

    def pieces(self) -> tuple[dict[str, pd.DataFrame], dict]:
        """(its frames, the rest) to hand to another process: the frames a column at a time. A
        link cell is sent only where its text is not the typed column's (nearly nowhere: 户编号,
        户主身份证号 and 姓名 as typed are the typed text), so the other process holds one string
        for both, not two."""
        link = [c for c in LINK_CELLS if c in self.cells.columns]
        differs = {}
        for column in link:
            typed = self.frame[column].to_numpy(dtype=object)
            raw = self.cells[column].to_numpy(dtype=object, na_value=None)
            at = np.flatnonzero(raw != typed)
            differs[column] = (at, raw[at])
        return {"cells": self.cells.drop(columns=link), "frame": self.frame}, \
            {"parts": self.log.parts, "link": differs}

    @classmethod
    def from_pieces(cls, frames: dict[str, pd.DataFrame], rest: dict) -> MemberRows:
        cells, frame = frames["cells"], frames["frame"]
        for column, (at, raw) in rest["link"].items():
            values = frame[column].to_numpy(dtype=object).copy()
            values[at] = raw
            cells[column] = pd.array(values, dtype=TEXT)
        return cls(cells, frame, IssueLog.of_parts(cells, rest["parts"]))


# The member row cells a link issue quotes (its 户编号, 户主身份证号 or name, as typed): kept with
# where each row comes from until the members are linked.
LINK_CELLS = ("household_id", "head_id", "name")


def member_rows(cells: pd.DataFrame, rules: RuleSet, as_of: dt.date) -> MemberRows:
    """Member rows as read (one sheet's cells, with provenance) typed and checked on their own rows:
    a blank name or relation, the ID's own checks, a 是否常住 not understood. Needs no household:
    done where the file is read, the helper process's files in the helper."""
    lacking = [spec.name for spec in members_catalogue().field if spec.read and spec.name not in cells.columns]
    if lacking:  # a field this sheet lacks is NA, as in a joined table: one column of NA for all of them
        absent = pd.Series(pd.NA, index=cells.index, dtype=TEXT)
        for name in lacking:
            cells[name] = absent
    frame = typed(cells)
    # A 15-digit ID (the first-generation card's) becomes 18, as a roster's does: the same person.
    frame["member_id"], converted = ids_of_18(frame["member_id"].to_numpy(dtype=object))
    frame["converted"] = converted
    log = IssueLog(cells)
    for name in ("name", "relation"):
        log.add(frame[name] == "", name, "missing_value", hint="missing_required")
    # The ID's own checks on the member's row (the same as the head's, without duplicate_household:
    # a person in two households is the households' issue, person_in_two_households).
    ids = pd.DataFrame({"member_id": pd.Series(frame["member_id"], dtype=object).where(cells["member_id"].notna().to_numpy()),
                        "source_file": cells["source_file"].to_numpy(), "sheet": cells["sheet"].to_numpy(),
                        "row": cells["row"].to_numpy()})
    birth, frame["key"] = check_ids(ids, log, as_of, rules, field="member_id", duplicates=False, keys=True)
    frame["converted"] &= ~pd.isna(birth).to_numpy(dtype=bool)  # converted, and valid then
    frame["birth"] = birth.to_numpy(dtype="datetime64[ns]")
    log.add(frame["resident_state"] == "bad", "resident", "flag_unrecognized")
    frame["left"] = _left_the_household(cells, frame, log, as_of)
    # The issues hold the text they quote: of the cells as typed, only where each row comes from
    # and the link cells are kept (three million rows of every column's text are let go here).
    cells = cells[[c for c in (*PROVENANCE, *LINK_CELLS) if c in cells.columns]]
    log.cells = cells
    return MemberRows(cells, frame, log)


def _left_the_household(cells: pd.DataFrame, frame: pd.DataFrame, log: IssueLog, as_of: dt.date) -> np.ndarray:
    """Which member rows are of a person who left the 户 (a 公安 export's 人员状态 迁出, 死亡, 注销:
    members.toml [status] left) on or before `as_of`, or on no day given (迁出日期, 注销日期): no member of
    the household (read_members). Each is said once on its row (member_left, with the day); a 人员状态
    not known keeps its person a member, said (member_status_unknown). Once per distinct word and day."""
    words = members_catalogue().status
    status = _text(normalise_text(cells["status"]))
    codes, distinct = pd.factorize(status)
    keys = [normalise_header(v) for v in distinct]
    keys = [(k, _RELATION_NOTE.sub("", k)) for k in keys]  # 注销(迁出) is 注销
    left_words = {normalise_header(w) for w in words.left}
    present_words = {normalise_header(w) for w in words.present}
    says_left = np.array([bool({*k} & left_words) for k in keys], dtype=bool)
    unknown = np.array([bool(v) and not ({*k} & (left_words | present_words)) for v, k in zip(distinct, keys)],
                       dtype=bool)
    says_left, unknown = says_left[codes], unknown[codes]
    typed_day = _text(normalise_text(cells["left_on"]))
    day_codes, days = pd.factorize(typed_day)
    read = [exported_day(v) for v in days]
    # Left after the survey's day: a member on that day. A day that does not read is shown as typed.
    later = np.array([d is not None and d > as_of for d in read], dtype=bool)
    shown = np.array([d.isoformat() if d is not None else v for v, d in zip(days, read)], dtype=object)
    later, shown = later[day_codes], shown[day_codes]
    left = says_left & ~later
    said = {"member": frame["name"], "relation": frame["relation"], "value": pd.Series(status, dtype=object)}
    shown = pd.Series(shown, dtype=object)
    log.add(left & (typed_day != ""), "status", "member_left", hint="member_left_dated", date=shown, **said)
    log.add(left & (typed_day == ""), "status", "member_left", hint="member_left_undated", **said)
    log.add(unknown, "status", "member_status_unknown", **said)
    return left


def type_member_sheets(frames: list, rules: RuleSet, as_of: dt.date) -> list:
    """A survey file's tables as read (table, cells): each members sheet typed (member_rows), the
    households as they are. A read.ReadJob's `finish`."""
    return [(table, member_rows(cells, rules, as_of) if table.kind == "members" else cells) for table, cells in frames]


def joined_rows(rows: list[MemberRows]) -> MemberRows:
    """The member rows of several sheets as one, in order."""
    if len(rows) == 1:
        return rows[0]
    cells = pd.concat([r.cells for r in rows], ignore_index=True)
    frame = pd.concat([r.frame for r in rows], ignore_index=True)
    log = IssueLog.joined(cells, [r.log for r in rows])
    return MemberRows(cells, frame, log)


def read_members(rows: MemberRows, households: pd.DataFrame, columns: pd.DataFrame, rules: RuleSet,
                 as_of: dt.date) -> Members:
    """The member rows (typed and checked on their own rows: member_rows) linked to `households`
    (their cells as typed) and counted per household."""
    frame, log = rows.frame, rows.log
    keys = household_keys(households)
    typed_village = frame["village"].to_numpy(dtype=object)
    merged = _read_places(frame, keys)
    hh, how, block_head, near_two = _link_present(frame, keys)
    frame["hh"], frame["link"] = hh, how
    _said_places(frame, log, keys, merged, typed_village)
    _unlinked(frame, log, keys["household_id"].to_numpy(dtype=object), block_head,
              keys["village"].to_numpy(dtype=object), keys["head_id"].to_numpy(dtype=object),
              _near_two_words(near_two, households))
    near = _linked_near(frame, rows.cells)
    other_numbers = _other_numbers(frame, rows.cells, columns)
    again = _listed_twice(frame, log)
    # A person listed twice is counted once: twice, a list short of someone passed for whole.
    counts = _counts(frame[~again] if again.any() else frame, len(households))
    # The villages (township and village) where some household has members listed.
    town, village = (pd.factorize(keys[c].to_numpy(dtype=object))[0].astype(np.int64) for c in ("township", "village"))
    village = town * (int(village.max(initial=0)) + 1) + village
    listed = counts["listed"].to_numpy() > 0
    covered = keys_among(village, village[listed])
    # A household of one listing nobody, in a village whose members sheet leaves its heads out: its one
    # member is the head, whom the village does not list. Its empty list is the village's habit (said
    # on its other households, head_not_in_members), no count to hold against 家庭人口数 1.
    alone = ~listed & (_stated_members(households) == 1)
    if alone.any():
        covered &= ~(alone & _heads_left_out(frame, keys, listed, village, alone))
    cells = rows.cells[[c for c in PROVENANCE if c in rows.cells.columns]]
    log.cells = cells
    return Members(cells=cells, frame=frame, log=log, columns=columns, counts=counts, covered=covered, near=near,
                   other_numbers=other_numbers)


def _other_numbers(frame: pd.DataFrame, cells: pd.DataFrame, columns: pd.DataFrame) -> pd.DataFrame:
    """Per members sheet whose household numbers were read as another system's (link
    'household_number_other'): its file and sheet, the header of that column, the members so linked
    and their households, and the sheet's numbered rows still of no household (a number of no head)."""
    how = frame["link"].to_numpy(dtype=object)
    linked = how == "household_number_other"
    out = ["source_file", "sheet", "header", "members", "households", "unlinked"]
    if not linked.any():
        return pd.DataFrame(columns=out)
    keys = frame["sheet_key"].to_numpy(dtype=object)
    mine = np.isin(keys, np.unique(keys[linked]))
    hh = frame["hh"].to_numpy()
    part = pd.DataFrame({"sheet_key": keys[mine], "source_file": cells["source_file"].to_numpy(dtype=object)[mine],
                         "sheet": cells["sheet"].to_numpy(dtype=object)[mine], "linked": linked[mine],
                         "hh": np.where(linked, hh, -1)[mine],
                         "unlinked": ((hh < 0) & (frame["household_id"].to_numpy(dtype=object) != ""))[mine]})
    said = part.groupby("sheet_key", sort=False).agg(source_file=("source_file", "first"), sheet=("sheet", "first"),
                                                     members=("linked", "sum"), unlinked=("unlinked", "sum"))
    said["households"] = part[part["linked"]].groupby("sheet_key", sort=False)["hh"].nunique()
    headers = columns[columns["field"] == "household_id"].drop_duplicates("sheet_key").set_index("sheet_key")["header"]
    said["header"] = headers.reindex(said.index).fillna("").to_numpy(dtype=object)
    return said.reset_index(drop=True)[out]


def other_numbers_facts(members: Members, lang: Lang) -> list[tuple[str, str, str]]:
    """members_other_numbers, said once per members sheet whose household numbers were read as another
    system's (a 公安 户籍 export's 户号, not the survey's 户编号) and linked through the heads' IDs:
    (file, sheet, the line), the line opening on its sheet as the quality report's facts do."""
    said = members.other_numbers
    if said is None or not len(said):
        return []
    out = []
    for fact in said.itertuples(index=False):  # one per sheet of another system's numbers: a handful
        rest = label("fact_members_other_numbers_rest", lang, unlinked=f"{int(fact.unlinked):,}") if fact.unlinked else ""
        out.append((str(fact.source_file), str(fact.sheet), label(
            "fact_members_other_numbers", lang,
            where=label("fact_where_sheet", lang, sheet=fact.sheet) if fact.sheet else "",
            header=fact.header or label("fact_members_other_numbers_column", lang),
            members=f"{int(fact.members):,}", households=f"{int(fact.households):,}", rest=rest)))
    return out


def _link_present(frame: pd.DataFrame, keys: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """link, for the members who did not leave the 户 (_left_the_household): one who left stands in no
    block (counted there, his brother after him was past 家庭人口数 and unlinked), is linked to no
    household (not counted, nobody's on a roster) and said only as left (link 'left', key none). A
    户主 row that left still starts its block: the members under it are that 户's."""
    left = frame["left"].to_numpy(dtype=bool)  # member_rows sets it on every frame
    if not left.any():
        return link(frame, keys)
    n = len(frame)
    at = np.flatnonzero(~left | may_be_head_row(frame))
    part_hh, part_how, part_head, part_two = link(frame.iloc[at].reset_index(drop=True), keys)
    hh, how = np.full(n, -1, dtype=np.int64), np.full(n, "", dtype=object)
    block_head, near_two = np.full(n, -1, dtype=np.int64), np.full((n, 2), -1, dtype=np.int64)
    hh[at], how[at], near_two[at] = part_hh, part_how, part_two
    block_head[at] = np.where(part_head >= 0, at[np.maximum(part_head, 0)], -1)
    hh[left], how[left] = -1, "left"
    key = frame["key"].to_numpy().copy()
    key[left] = People.NO_KEY
    frame["key"] = key
    return hh, how, block_head, near_two


def _linked_near(frame: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """Per household whose members were linked by a head's ID one slip from its own (link 'head_id_near'):
    hh, the first and last of those member rows, their 户主身份证号 as typed."""
    at = np.flatnonzero(frame["link"].to_numpy(dtype=object) == "head_id_near")
    typed = cells["head_id"].astype(object).fillna("").to_numpy(dtype=object)[at] if "head_id" in cells \
        else frame["head_id"].to_numpy(dtype=object)[at]
    return pd.DataFrame({"hh": frame["hh"].to_numpy()[at], "row": cells["row"].to_numpy()[at], "head_id": typed}) \
        .groupby("hh", sort=True).agg(first=("row", "min"), last=("row", "max"), head_id=("head_id", "first")).reset_index()


def _near_two_words(near_two: np.ndarray, households: pd.DataFrame) -> dict[str, np.ndarray]:
    """For member rows whose 户主身份证号 is one slip from two households' (link 'head_id_near_two'): each
    one's row on the household sheet, head's name and ID as typed ('' elsewhere): the message's params.
    None near two (most sheets): none, and no column of a county's made."""
    out = {}
    if not (near_two[:, 0] >= 0).any():
        return out
    for i, which in enumerate(("near", "other")):
        at = np.flatnonzero(near_two[:, i] >= 0)
        for column, key in (("row", "row"), ("head_name", "name"), ("head_id", "id")):
            values = np.full(len(near_two), "", dtype=object)
            if column in households:
                said = households[column].iloc[near_two[at, i]]
                values[at] = said.astype(object).fillna("").astype(str).to_numpy(dtype=object)
            out[f"{which}_{key}"] = values
    return out


def say_linked_by_near_id(households: pd.DataFrame, members: Members, log: IssueLog) -> None:
    """members_linked_by_near_id, once on each household's row whose members were linked by a head's ID
    one slip from its own (link): which member rows, the ID they carry. The head's own ID keeps its own
    issue (id_checksum): which of the two is right is for the clerk to find."""
    near = members.near
    if near is None or not len(near):
        return
    said = np.zeros(len(households), dtype=bool)
    hh = near["hh"].to_numpy(dtype=np.int64)
    said[hh] = True
    first, last = near["first"].astype(str).to_numpy(dtype=object), near["last"].astype(str).to_numpy(dtype=object)
    member_rows = np.full(len(households), "", dtype=object)
    member_rows[hh] = np.where(first == last, first, first + "–" + last)
    member_head = np.full(len(households), "", dtype=object)
    member_head[hh] = near["head_id"].to_numpy(dtype=object)
    log.add(said, "head_id", "members_linked_by_near_id", member_rows=member_rows, member_head=member_head)


def _read_places(frame: pd.DataFrame, keys: pd.DataFrame) -> np.ndarray:
    """The members' township and village read as the households' are (normalise.place_readings, the
    two sides as one run: 前岗村村委会 is 前岗村), in `frame` and `keys` both. Returns per member row the
    village it was read as ('' where it stays as written)."""
    n = len(keys)
    both = pd.DataFrame({c: np.concatenate([keys[c].to_numpy(dtype=object), frame[c].to_numpy(dtype=object)])
                         for c in ("township", "village")})
    merged = np.full(len(frame), "", dtype=object)
    for column, (target, _) in place_readings(both).items():
        if not (target != "").any():
            continue
        read = np.where(target != "", target, both[column].to_numpy(dtype=object))
        keys[column] = read[:n]
        frame[column] = read[n:]
        if column == "village":
            merged = target[n:]
    return merged


def _said_places(frame: pd.DataFrame, log: IssueLog, keys: pd.DataFrame, merged: np.ndarray,
                 typed_village: np.ndarray) -> None:
    """On member rows: a village read as the households' spelling of it (place_spelling_merged, as on
    a household's row), and a member linked (by 户编号 or the head's ID) whose village is still no
    household's: its household's village named."""
    log.add(merged != "", "village", "place_spelling_merged", hint="merged_village", merged=merged,
            value=pd.Series(typed_village, dtype=object))
    hh = frame["hh"].to_numpy()
    village = frame["village"].to_numpy(dtype=object)
    alone = (hh >= 0) & (village != "") & ~texts_among(village, keys["village"].to_numpy(dtype=object))
    if alone.any():
        theirs = np.full(len(frame), "", dtype=object)
        theirs[alone] = keys["village"].to_numpy(dtype=object)[hh[alone]]
        head = np.full(len(frame), "", dtype=object)
        head[alone] = keys["head_name"].to_numpy(dtype=object)[hh[alone]]
        log.add(alone, "village", "place_spelling_merged", hint="member_village_unknown", merged=theirs,
                head=head, value=pd.Series(typed_village, dtype=object))


def _sharing(values: np.ndarray, held: np.ndarray) -> np.ndarray:
    """How many of `held` (the households' 户编号, or their heads' IDs; blanks not counted) are each
    of `values`."""
    codes = pd.Series(held[held != ""]).value_counts()
    return pd.Series(values).map(codes).fillna(0).to_numpy(dtype=np.int64)


def _unlinked(frame: pd.DataFrame, log: IssueLog, household_ids: np.ndarray, block_head: np.ndarray,
              villages: np.ndarray | None = None, head_ids: np.ndarray | None = None,
              near_two: dict[str, np.ndarray] | None = None) -> None:
    """member_without_household on each member row linked to no household, on the cell it was to be
    linked by: its 户编号 (no household has it, or several do: no guess), else its 户主身份证号, else
    (a row of a printed form's block) its name, or for a 户主 row that is no household's head its ID
    (`block_head`: per row, that 户主 row's position where the row stands in its block)."""
    # One who left the 户 (link 'left') is said as such (_left_the_household), not as no household's.
    alone = (frame["hh"].to_numpy() < 0) & (frame["link"].to_numpy(dtype=object) != "left")
    if not alone.any():  # every finding below is of such a row: a county's whole sheet linked, none
        return
    member_ids = frame["household_id"].to_numpy(dtype=object)
    by_id = member_ids != ""
    by_head = frame["head_id"].to_numpy(dtype=object) != ""
    params = {"member": frame["name"], "relation": frame["relation"]}
    sharing = _sharing(member_ids, household_ids)
    shared = alone & by_id & (sharing > 1)
    log.add(shared, "household_id", "member_without_household", hint="shared_household_id",
            households=pd.Series(sharing).astype(str), **params)
    # 1 where the households have 001: Excel stored the members' 户编号 as numbers, its zeros gone. In
    # the member's own village where it names one (another village's 001 is no hint).
    given = household_ids != ""
    place = villages[given] if villages is not None else np.full(int(given.sum()), "", dtype=object)
    bare = pd.DataFrame({"id": household_ids[given], "key": pd.Series(household_ids[given], dtype=object)
                         .str.lstrip("0").to_numpy(dtype=object), "village": place})
    own = frame["village"].fillna("").to_numpy(dtype=object) if "village" in frame else np.full(len(frame), "", dtype=object)
    typed = pd.Series(member_ids, dtype=object).str.lstrip("0")
    # In the member's village, the one household of that number there (001 in every village of a county);
    # a member naming no village, the one household of that number in the run.
    in_village = bare[~bare.duplicated(["village", "key"], keep=False)].set_index(["village", "key"])["id"]
    anywhere = bare[~bare["key"].duplicated(keep=False)].set_index("key")["id"]
    there = pd.Series(pd.MultiIndex.from_arrays([own, typed.to_numpy(dtype=object)]).map(in_village), dtype=object)
    meant = np.where(own != "", there.fillna("").to_numpy(dtype=object),
                     typed.map(anywhere).astype(object).fillna("").to_numpy(dtype=object))
    meant = np.where(member_ids != "", meant, "").astype(object)
    zeros_lost = alone & by_id & ~shared & (meant != "") & (meant != member_ids)
    log.add(zeros_lost, "household_id", "member_without_household", hint="unlinked_household_id_zeros",
            meant=meant, **params)
    log.add(alone & by_id & ~shared & ~zeros_lost, "household_id", "member_without_household",
            hint="unlinked_household_id", **params)
    # A head's ID on two households' rows (duplicate_household): the member's is theirs, not no one's.
    heads_sharing = _sharing(frame["head_id"].to_numpy(dtype=object), head_ids) if head_ids is not None \
        else np.zeros(len(frame), dtype=np.int64)
    head_shared = alone & ~by_id & by_head & (heads_sharing > 1)
    log.add(head_shared, "head_id", "member_without_household", hint="shared_head_id",
            households=pd.Series(heads_sharing).astype(str), **params)
    how = frame["link"].to_numpy(dtype=object)
    # One slip from two households' heads (link): no guess, the two named.
    two = alone & ~by_id & by_head & (how == "head_id_near_two")
    if two.any():
        log.add(two, "head_id", "member_without_household", hint="unlinked_head_id_near_two",
                **(near_two or {}), **params)
    log.add(alone & ~by_id & by_head & ~head_shared & ~two, "head_id", "member_without_household",
            hint="unlinked_head_id", **params)
    block = alone & ~by_id & ~by_head
    cut, over = how == "block_cut", how == "block_over"
    head, under = how == "head_unknown", how == "under_unknown_head"
    log.add(block & cut, "name", "member_without_household", hint="unlinked_second_spouse", **params)
    log.add(block & over, "name", "member_without_household", hint="unlinked_block_over", **params)
    # A 户主 row whose ID is no household's head: on its ID, the cell to check against the household sheet.
    log.add(block & head, "member_id", "member_without_household", hint="unlinked_head_row",
            value=frame["member_id"], **params)
    if (block & under).any():
        rows = log.cells["row"].to_numpy()
        head_row = np.where(block_head >= 0, rows[np.maximum(block_head, 0)], 0)
        names = frame["name"].to_numpy(dtype=object)[np.maximum(block_head, 0)]
        log.add(block & under, "name", "member_without_household", hint="unlinked_under_head_row",
                head_row=pd.Series(head_row).astype(str), head=names, **params)
    log.add(block & ~cut & ~over & ~head & ~under, "name", "member_without_household", hint="unlinked_block",
            **params)


def _listed_twice(frame: pd.DataFrame, log: IssueLog) -> np.ndarray:
    """member_listed_twice on each member row whose ID a row above already lists in the same
    household, naming that row. Returns those rows (each person's second and later)."""
    hh = frame["hh"].to_numpy()
    keyed = (hh >= 0) & (frame["member_id"].to_numpy(dtype=object) != "")
    again = np.zeros(len(frame), dtype=bool)
    if not keyed.any():
        return again
    at = np.flatnonzero(keyed)
    # One integer per (household, person): the person's key numbered, times the households.
    person = pd.factorize(frame["key"].to_numpy()[at])[0].astype(np.int64)
    pair = pd.Series(person * (int(hh.max()) + 1) + hh[at])
    twice = pair.duplicated().to_numpy()
    if not twice.any():
        return again
    again[at[twice]] = True
    first = pd.Series(at).groupby(pair.to_numpy(), sort=False).transform("first").to_numpy()
    rows = log.cells["row"].to_numpy()
    first_row = np.full(len(frame), "", dtype=object)
    first_row[at[twice]] = rows[first[twice]].astype(str)
    # The ID as typed is not among the cells kept for the issues (member_rows): quoted from the frame.
    log.add(again, "member_id", "member_listed_twice", member=frame["name"], first_row=first_row,
            value=frame["member_id"])
    return again


def _counts(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """Per household (0 … n-1): members listed, marked resident (是), with 是否常住 known, heads,
    disabled, students. (Whether the head's ID is among the members': People.heads_listed.)"""
    hh = frame["hh"].to_numpy()
    at = hh >= 0
    linked = hh[at]

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(linked[np.asarray(mask)[at]], minlength=n).astype(np.int64)

    resident = frame["resident"].to_numpy(dtype=object)
    return pd.DataFrame({
        "listed": count(np.ones(len(frame), dtype=bool)),
        "resident_marked": count(resident == True),  # noqa: E712 — an object array of True/False/None
        "resident_known": count(resident != None),  # noqa: E711
        "heads": count(frame["group"].to_numpy(dtype=object) == "head"),
        "disabled": count(frame["disabled"].to_numpy(dtype=bool)),
        "students": count(frame["student"].to_numpy(dtype=bool)),
        **{f"{name}_{answer}": count(frame[f"{name}_said"].to_numpy() == said)
           for name in ("dibao", "tekun") for answer, said in (("yes", 1), ("no", 0))},
    })


def residents_blank(households: pd.DataFrame) -> np.ndarray:
    """Which households' 家庭常住人口数 cell (as typed) is blank: the only ones members can count."""
    return by_distinct(households["residents"], lambda d: d.fillna("x").astype(str).str.strip() == "").to_numpy(dtype=bool)


def _comparable(values) -> np.ndarray:
    """Text as a member's and a head's are compared: stripped, upper case (x in an ID)."""
    return pd.Series(values, dtype=object).fillna("").astype(str).str.strip().str.upper().to_numpy(dtype=object)


def _heads_own_rows(frame: pd.DataFrame, head_ids: np.ndarray, head_names: np.ndarray) -> np.ndarray:
    """Per household (its head's ID and name, _comparable): a linked member row is the head's own: it
    says 户主, or bears the head's ID, or the head's name where its 与户主关系 may be the head's (blank,
    or words not listed saying 户主 or 本人: may_be_head_row). A 子 of his father's name is the son:
    taken for the head, a list short of its head passed for whole."""
    out = np.zeros(len(head_ids), dtype=bool)
    hh = frame["hh"].to_numpy()
    linked = np.flatnonzero(hh >= 0)
    if not len(linked):
        return out
    hh = hh[linked]
    is_head = frame["group"].to_numpy(dtype=object)[linked] == "head"
    may_be = may_be_head_row(frame)[linked]

    def same(mine: np.ndarray, theirs: np.ndarray) -> np.ndarray:
        mine = _comparable(mine[linked])
        return (mine != "") & (mine == theirs[hh])

    own = is_head | same(frame["member_id"].to_numpy(dtype=object), head_ids) \
        | (may_be & same(frame["name"].to_numpy(dtype=object), head_names))
    out[hh[own]] = True
    return out


def _head_among_members(members: Members, households: pd.DataFrame) -> np.ndarray:
    """Per household: a member row is the head's own (_heads_own_rows)."""
    return _heads_own_rows(members.frame, _comparable(households["head_id"]), _comparable(households["head_name"]))


def _heads_left_out(frame: pd.DataFrame, keys: pd.DataFrame, listed: np.ndarray, village: np.ndarray,
                    asked: np.ndarray) -> np.ndarray:
    """Per household of a village of one `asked`: the village's members sheet leaves the heads out: of
    its households with members listed, more than half have no row for the head (_heads_own_rows). One
    head's row missing is that household's slip; most of them, the enumerator's habit of listing the
    others only. Only those villages' members are looked at: a county's three million need not be."""
    codes = pd.factorize(village)[0]
    there = keys_among(codes, codes[asked])
    hh = frame["hh"].to_numpy()
    rows = (hh >= 0) & there[np.maximum(hh, 0)]
    own = _heads_own_rows(frame.loc[rows, ["hh", "group", "relation", "member_id", "name"]],
                          _comparable(keys["head_id"]), _comparable(keys["head_name"]))
    listed = listed & there
    with_members = np.bincount(codes[listed], minlength=codes.max(initial=-1) + 1)
    without_head = np.bincount(codes[listed & ~own], minlength=codes.max(initial=-1) + 1)
    return (2 * without_head > with_members)[codes]


def _stated_members(households: pd.DataFrame) -> np.ndarray:
    """家庭人口数 as typed, read as the ledger reads it (normalise.parse_integer: 3, 3人, ３口人, 3 名);
    NaN where blank or not a whole number. Once per distinct text, not per household."""
    if "members" not in households:
        return np.full(len(households), np.nan)

    def read(texts: pd.Series) -> pd.Series:
        value, state = parse_integer(texts)
        return value.where(state.eq("ok"))

    return by_distinct(households["members"], read).to_numpy(dtype=float, na_value=np.nan)


def _positional(frame: pd.DataFrame, households: pd.DataFrame, n: int) -> np.ndarray:
    """Per household: its members linked only by where they stand in a printed form's block (link
    'block'), not the head's own row (it says 户主, or bears the head's ID: linked by that ID)."""
    hh = frame["hh"].to_numpy()
    at = np.flatnonzero((hh >= 0) & (frame["link"].to_numpy(dtype=object) == "block"))
    if not len(at):
        return np.zeros(n, dtype=np.int64)
    heads = ids_of_18(normalised_ids(_text(households["head_id"])))[0][hh[at]]
    own = (frame["group"].to_numpy(dtype=object)[at] == "head") | (frame["member_id"].to_numpy(dtype=object)[at] == heads)
    return np.bincount(hh[at][~own], minlength=n).astype(np.int64)


def residents_from_members(members: Members, households: pd.DataFrame) -> pd.Series:
    """For each household whose 家庭常住人口数 cell is blank and whose members all say 是否常住 (at
    least one member listed, the head's own row among them, as many as its 家庭人口数 where that is
    given): how many of them say 是. NA elsewhere. Marks them in `members.filled`. Without the head's
    row, or with a member missing from the list or not linked to it, the count would leave someone out
    and the per-capita income be divided by a resident too few: the cell stays blank, for the clerk.
    Members linked only by standing under the head's row (a printed form's block, no 户编号 or head's
    ID on their rows) count only where 家庭人口数 holds the block: else they may be the next household's."""
    counts = members.counts
    blank = residents_blank(households)
    listed = counts["listed"].to_numpy()
    stated = _stated_members(households)
    complete = np.isnan(stated) | (stated == listed)
    # Members known to be this household's only by standing under its 户主 row hold nothing without
    # a 家庭人口数: the next household's members stand just there when its own 户主 row is missing
    # (张大's two of 王二's two children, 4 residents for 2, below_line for a candidate). Nor does a
    # relation word tell them apart (王二's 儿子 is as much a 儿子 of 张大's); a surname never does.
    complete &= ~(np.isnan(stated) & (_positional(members.frame, households, len(blank)) > 0))
    filled = blank & complete & (listed > 0) & (counts["resident_known"].to_numpy() == listed)
    if filled.any():
        filled &= _head_among_members(members, households)
    members.filled = filled
    out = pd.Series(pd.NA, index=households.index, dtype="Int64")
    out[filled] = counts["resident_marked"].to_numpy()[filled]
    return out


# The causes residents_from_members leaves a blank count blank for, in this order, each with the words
# of its missing value (checks.toml [hints]). Told every possible cause, a clerk whose members sheet
# had no 是否常住 column was asked to fill a 家庭人口数 already filled (an outside try).
RESIDENTS_CAUSES = ("residents_members_differ", "residents_resident_blank", "residents_no_head_row",
                    "residents_by_position")


def residents_blank_hints(members: Members, households: pd.DataFrame) -> np.ndarray:
    """Per household whose 家庭常住人口数 is blank and whose members are listed but did not count it
    (residents_from_members, run first): the hint of its missing value, naming the cause that applies
    (RESIDENTS_CAUSES). A members sheet with no 是否常住 column is named alone: nothing else the
    clerk mends lets its members count. Where several causes apply, the words listing them
    (missing_residents_members_stated where 家庭人口数 is filled, never asking for it; else
    missing_residents_members). '' elsewhere."""
    n = len(households)
    out = np.full(n, "", dtype=object)
    listed = members.counts["listed"].to_numpy()
    filled = members.filled if len(members.filled) == n else np.zeros(n, dtype=bool)
    asked = residents_blank(households) & (listed > 0) & ~filled
    if not asked.any():
        return out
    stated = _stated_members(households)
    given = ~np.isnan(stated)
    frame = members.frame
    hh = frame["hh"].to_numpy()
    rows = (hh >= 0) & asked[np.maximum(hh, 0)]  # only the asked households' members are looked at
    answerable = np.isin(frame["sheet_key"].to_numpy(dtype=object)[rows],
                         members.columns.loc[members.columns["field"] == "resident", "sheet_key"].to_numpy(dtype=object))
    no_column = asked & (np.bincount(hh[rows][answerable], minlength=n) == 0)
    own = _heads_own_rows(frame.loc[rows, ["hh", "group", "relation", "member_id", "name"]],
                          _comparable(households["head_id"]), _comparable(households["head_name"]))
    causes = np.column_stack([
        given & (stated != listed),
        members.counts["resident_known"].to_numpy() < listed,
        ~own,
        ~given & (_positional(frame, households, n) > 0),
    ]) & asked[:, None]
    many = causes.sum(axis=1)
    one = many == 1
    out[one] = np.asarray(RESIDENTS_CAUSES, dtype=object)[causes[one].argmax(axis=1)]
    several = asked & (many != 1)  # none found: no single cause known either
    out[several] = np.where(given[several], "missing_residents_members_stated", "missing_residents_members")
    out[no_column] = "residents_no_resident_column"
    return out


__all__ = ["Members", "MemberRows", "member_rows", "type_member_sheets", "joined_rows", "People", "people", "read_members", "say_linked_by_near_id", "residents_blank", "residents_from_members", "residents_blank_hints", "relation_groups", "household_keys", "link",
           "LINKS", "other_numbers_facts"]
