"""Places as every output names them: townships and villages in the order the input has them, a file
name per village that is unique and safe on Windows, and the one line that states the rule under
every title.

Order: a township comes where it first appears in the input, and within it its villages where each
first appears; a clerk finds them as they were typed, not in character-code order (which sorts
Chinese names by their Unicode value, a meaningless order). Every output that lists places (the
village files, summary.xlsx, the quality report's tables, the terminal's tables) takes its order from
`village_keys` and `township_order`.

File names: `乡镇-村.xlsx` in villages/, and in every other folder the file's kind after the place
(`合隆镇-前岗村-公示.xlsx`, `-民主评议.xlsx`, `-入户核查表.xlsx` …, the words in the message catalogue):
Excel opens no two workbooks of one name at once, and files gathered in one folder (WeChat) keep
theirs. A name Windows would refuse or change (\\ / : * ? " < > |, control and
invisible characters, a trailing dot or space, a leading dot, a device name such as CON or COM1), a
name longer than 80 characters (or 240 bytes of UTF-8, the limit of Linux's 255 with ".xlsx"), or a
name that another village's takes first (compared as Windows compares, without case) gets a short
hash of its township and village instead of what was cut: `合隆镇-前岗村_~1a2b3c4d.xlsx`; the kind is
never cut (`…~1a2b3c4d-公示.xlsx`). The hash is of the names as typed, so a village keeps its file name
from run to run, and its hash is the same in every folder. An ID- or phone-shaped run of digits in a
name (a head's ID read as the village from a row pasted in another column order) is masked as the lists
mask it, a # for each hidden digit (`严玉兰-220122########3995.xlsx`); such a name's hash, where it
needs one, is of the masked name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import Lang, fields, label, messages

if TYPE_CHECKING:
    from ..result import Result

NAME_LIMIT = 80   # characters of a file name before .xlsx
NAME_BYTES = 240  # its UTF-8 bytes: with ".xlsx", within the 255 of ext4, APFS and NTFS
SUFFIX = ".xlsx"
_HASH_CHARS = 8
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
# Device names Windows reserves, whatever follows them after a dot (CON.xlsx is CON).
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
             *(f"{dev}{n}" for dev in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"])}


def place_name(text: str, lang: Lang, key: str) -> str:
    return text or messages().labels[key](lang)


def issuer_places(township: str, village: str, lang: Lang = "zh") -> dict[str, str]:
    """The township and the village as a seal line names them before their body's word (村民委员会,
    人民政府): a name typed with its body (前三家子村民委员会, 其塔木镇人民政府) without it, so that the
    body is named once; and each with its body (township_body, village_body): a 街道's is its 办事处
    and a 社区's its 居民委员会, not a 人民政府 and a 村民委员会 (奢岭街道人民政府 was printed); and the
    village's body as the notices' sentences name it (committee 村民委员会/居民委员会, committee_short
    村委会/居委会, committees 村"两委"/社区"两委", this_place 本村/本社区) and its meeting that reviews
    the list (assembly 村民代表大会/居民代表大会)."""
    words = fields().places
    town = _without_body(township, words.township.bodies)
    # 奢岭街道办事处 written whole: the name without 办事处 (街道 is the name's own end, 街道办事处 no body of it)
    office = _without_body(town, tuple(b for b in words.subdistrict.bodies if not b.startswith(words.subdistrict.ends)))
    subdistrict = office.endswith(words.subdistrict.ends)
    town = office if subdistrict else town
    place = _without_body(village, words.village.bodies)
    committee = _without_body(place, words.community.bodies)
    community = committee.endswith(words.community.ends)
    place = committee if community else place
    # The village's own body and the words for it in a notice's sentences (向村民委员会反映, 村委会联系人,
    # 本村): a 社区's are its 居民委员会's, not words its committee would correct by hand before posting.
    kind = "community" if community else "village"
    return {"township": town, "village": place,
            "township_body": label("body_subdistrict" if subdistrict else "body_township", lang, township=town),
            "village_body": label("body_community" if community else "body_village", lang, village=place),
            **{word: label(f"{word}_{kind}", lang)
               for word in ("committee", "committee_short", "committees", "this_place", "assembly")},
            # The township's word on a notice's supervision line: a 街道's, not 乡(镇).
            "township_word": label("township_word_subdistrict" if subdistrict else "township_word_township", lang)}


def this_place_words(frame: pd.DataFrame, lang: Lang) -> np.ndarray:
    """issuer_places' this_place (本村, a 社区's 本社区) of each row's township and village of `frame`:
    what a line about one household says of its place. Each place's word is found once."""
    codes, places = pd.factorize(pd.MultiIndex.from_arrays([_text(frame["township"]), _text(frame["village"])]))
    words = np.array([issuer_places(t, v, lang)["this_place"] for t, v in places], dtype=object)
    return words[codes]


def _without_body(name: str, bodies: tuple[str, ...]) -> str:
    for body in sorted(bodies, key=len, reverse=True):
        if name.endswith(body) and len(name) > len(body):
            return name[:-len(body)]
    return name


def household_identity(frame: pd.DataFrame, lang: Lang, mask: bool) -> dict[str, np.ndarray]:
    """The columns that say which household a printed row is (seq, township, village, group,
    head_name, masked_id) from a frame of the register's households (township, village, grp,
    head_name, head_id): places named where blank, names and IDs masked with `mask`."""
    from .privacy import mask_id_shown, mask_in_text

    text = (lambda s: mask_in_text(s.astype("string"))) if mask else (lambda s: s.fillna("").astype(object))  # noqa: E731
    places = {key: frame[key].fillna("").astype(str).to_numpy(dtype=object) for key in ("township", "village")}
    return {
        "seq": np.arange(1, len(frame) + 1),
        **{key: np.where(values != "", values, place_name("", lang, f"unknown_{key}")) for key, values in places.items()},
        "group": text(frame["grp"]).to_numpy(), "head_name": text(frame["head_name"]).to_numpy(),
        "masked_id": (mask_id_shown(frame["head_id"].astype("string")) if mask else frame["head_id"].fillna("")).to_numpy(),
    }


# ---------------------------------------------------------------------------------------------
# Order


def _text(column: pd.Series) -> pd.Series:
    return column.fillna("").astype(str)


def group_numbers(groups: pd.Series) -> pd.Series:
    """The number each 村民小组 names, NaN where it names none: its last number, Chinese numerals read
    as a date's are (一组 and 01组 1, 第十二村民小组 and 东风村十二组 12, 3社 3). Worked out once per
    distinct group."""
    from ..dates import arabic_numerals

    text = groups.fillna("").astype(str)
    distinct = pd.Series(pd.unique(text), dtype=object)
    digits = distinct.map(arabic_numerals).str.normalize("NFKC").str.extract(r"([0-9]+)[^0-9]*$")[0]
    return text.map(pd.Series(pd.to_numeric(digits).to_numpy(dtype=float), index=distinct)).astype(float)


def in_group_order(h: pd.DataFrame, ledger: pd.Series) -> pd.DataFrame:
    """Households as the 花名册 and the posted lists print them, for a villager to find his own: the
    villages in the order `h` has them, within each by 村民小组 in the order of their numbers (group_numbers: 二组 before 十二组, not by the
    characters), a group naming none after those, households without a group last; within a group in
    the survey's order (`ledger`: each household's place in its latest survey's ledger), those the
    latest round's survey missed after the others."""
    group = h["grp"].fillna("").astype(str)
    keys = {"_place": place_rank(h, ("township", "village")), "_blank": group.eq("").to_numpy(),
            "_number": group_numbers(group).fillna(np.inf).to_numpy(),
            "_group": place_rank(h, ("township", "village", "grp")),  # 1组 and 01组: each together
            "_missed": h["unsurveyed"].to_numpy(dtype=bool), "_ledger": ledger.to_numpy()}
    return h.assign(**keys).sort_values(list(keys), kind="stable").drop(columns=list(keys)).reset_index(drop=True)


def township_order(df: pd.DataFrame) -> list[str]:
    """The townships of `df` ('' for a blank one), each once, in the order they first appear."""
    return pd.unique(_text(df["township"])).tolist()


def village_keys(df: pd.DataFrame) -> list[tuple[str, str]]:
    """(township, village) of every village of `df`, each once: townships in the order they first
    appear, and within each its villages in the order they first appear."""
    if not len(df):
        return []
    township, village = (_text(df[c]).to_numpy(dtype=object) for c in ("township", "village"))
    # Each numbered by first appearance; a village is a pair of numbers, first seen at `first`.
    township_number, village_number = pd.factorize(township)[0], pd.factorize(village)[0]
    pairs = township_number.astype(np.int64) * (int(village_number.max()) + 1) + village_number
    first = np.sort(np.unique(pairs, return_index=True)[1])
    order = np.argsort(township_number[first], kind="stable")  # stable: villages keep their first appearance
    return list(zip(township[first][order].tolist(), village[first][order].tolist()))


def place_rank(df: pd.DataFrame, columns: tuple[str, ...] = ("township", "village", "grp")) -> np.ndarray:
    """Each row's place as a number that sorts in place order: townships where each first appears
    in `df`, within one its villages where each first appears, and so on down `columns` (those `df`
    has; 村民小组 too, whose character codes would put 三组 before 二组)."""
    keys = [_text(df[c]).to_numpy(dtype=object) for c in columns if c in df.columns]
    if not keys or not len(df):
        return np.zeros(len(df), dtype=np.int64)
    # Each level numbered by the first appearance of its place (the place within the one above it).
    ranks, joined = [], np.full(len(df), "", dtype=object)
    for values in keys:
        joined = joined + "\x1f" + values
        ranks.append(pd.factorize(joined)[0])
    place = ranks[-1]
    in_order = pd.unique(place[np.lexsort(ranks[::-1])])
    rank = np.empty(len(in_order), dtype=np.int64)
    rank[in_order] = np.arange(len(in_order))
    return rank[place]


def place_order(df: pd.DataFrame, columns: tuple[str, ...] = ("township", "village", "grp")) -> np.ndarray:
    """The positions of `df`'s rows in place order (place_rank); rows of one place keep their order."""
    return np.argsort(place_rank(df, columns), kind="stable")


def in_place_order(table: pd.DataFrame, df: pd.DataFrame) -> pd.DataFrame:
    """`table`, indexed by township or by (township, village) as `df` names them, with its rows in the
    order of the places in `df` (township_order, village_keys)."""
    if table.index.nlevels == 2:
        keys = village_keys(df)
        index = pd.MultiIndex.from_tuples(keys, names=table.index.names) if keys else table.index[:0]
    else:
        index = pd.Index(township_order(df), name=table.index.name)
    return table.reindex(index)


def villages(df: pd.DataFrame, households: pd.DataFrame | None = None) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(township, village, that village's rows of `df`) in the order of the places in `households`
    (default `df` itself); a village of `df` that `households` lacks comes last."""
    if not len(df):
        return
    township, village = _text(df["township"]), _text(df["village"])
    keys = village_keys(df if households is None else households)
    rank = pd.MultiIndex.from_tuples(keys).get_indexer(pd.MultiIndex.from_arrays([township, village])) \
        if keys else np.full(len(df), -1)
    missing = rank < 0
    if missing.any():
        rank[missing] = len(keys) + pd.factorize(township[missing] + "\x00" + village[missing])[0]
    _, firsts = np.unique(rank, return_index=True)
    names = zip(township.to_numpy()[firsts].tolist(), village.to_numpy()[firsts].tolist())
    for (t, v), (_, part) in zip(names, df.groupby(rank, sort=True)):
        yield t, v, part


# ---------------------------------------------------------------------------------------------
# The village a row most likely belongs to


# A place cell holding 11 digits in a row: an ID or a phone number, no place's name (as
# checks.check_wrong_field looks at it).
_NUMBER_IN_PLACE = r"[0-9]{11}"


def _not_a_name(values: np.ndarray) -> np.ndarray:
    """Per value (an object array of str): blank, or a number rather than a place's name. Each
    distinct value looked at once."""
    from ..cells import texts_matching

    codes, distinct = pd.factorize(values)
    distinct = np.asarray(distinct, dtype=object)
    number = np.zeros(len(distinct), dtype=bool)
    number[texts_matching(distinct, _NUMBER_IN_PLACE)] = True
    return (values == "") | number[codes]


def run_villages(result) -> pd.DataFrame:
    """likely_villages of a run's households, made once for its village lists and its fix lists."""
    if "likely_villages" not in result._derived:
        result._derived["likely_villages"] = likely_villages(result.households)
    return result._derived["likely_villages"]


def likely_villages(households: pd.DataFrame) -> pd.DataFrame:
    """Per household (`households`' index), the (township, village) whose fix list its rows reach:
    the village the row most likely belongs to, where its own cell does not say it plainly. A name
    only spelled otherwise than a village more written in the same township (新立 beside 新立村:
    normalise's place_names_similar) is that village; a village blank, or a number (an ID pasted into
    行政村), is the nearest village named above it in the same sheet (or block of a stacked sheet),
    else the nearest below, of the same township where the row names one. Nothing is changed in the
    survey: its issues still say what the cell holds. A row whose 乡(镇) is blank under a village the
    run has in one township only (东兴村, whose other rows say 合隆镇) is in that township; under a name
    of two townships it stays as typed. Columns township, village ('' where no village can be told),
    how ('' as typed, 'spelling', 'cell', 'township', 'above', 'below', 'none'), was ('blank' or
    'not_a_name' for a village taken from another row, 'blank' for the 乡(镇) of 'township'), typed
    (the village as typed), anchor (the Excel row it was taken from, 0 for none)."""
    from ..normalise import place_readings

    n = len(households)
    # Copies: the arrays of a column already text are the households' own, never to be written into.
    township = _text(households["township"]).to_numpy(dtype=object).copy()
    typed = _text(households["village"]).to_numpy(dtype=object)
    village = typed.copy()
    how = np.full(n, "", dtype=object)
    missing = _not_a_name(typed)
    # 新立 beside 新立村: the similar name most written in its township (few names: looked at per name).
    similar = place_readings(pd.DataFrame({"township": township, "village": typed}))["village"][1]
    spelled = np.flatnonzero((similar != "") & ~missing)
    if len(spelled):
        written = pd.Series(1, index=pd.MultiIndex.from_arrays([township, typed])).groupby(level=[0, 1]).sum()
        pairs = dict.fromkeys(zip(township[spelled].tolist(), typed[spelled].tolist(), similar[spelled].tolist()))
        into = {}
        for town, name, others in pairs:
            most = max(str(others).split("」「"), key=lambda other: written.get((town, other), 0))
            # Only a name more written is the village's (one row each of 长…长 and 长…长村: two villages).
            into[(town, name)] = most if written.get((town, most), 0) > written.get((town, name), 0) else ""
        target = np.array([into[(t, v)] for t, v in zip(township[spelled].tolist(), typed[spelled].tolist())],
                          dtype=object)
        spelled, target = spelled[target != ""], target[target != ""]
        village[spelled] = target
        how[spelled] = "spelling"
    unnamed_town = _not_a_name(township)
    # 乡(镇) left blank over a village the run has in one township only: that township (looked at only
    # where some 乡(镇) is blank, and per village named so). A name of two townships stays as typed.
    orphan = np.flatnonzero(unnamed_town & ~missing)
    orphan = orphan[(township[orphan] == "") & (how[orphan] == "")]
    if len(orphan):
        sure = ~unnamed_town & ~missing
        sure[sure] = pd.Series(village[sure]).isin(pd.unique(village[orphan])).to_numpy(dtype=bool)
        homes = pd.DataFrame({"township": township[sure], "village": village[sure]}).drop_duplicates()
        only_town = homes.drop_duplicates("village", keep=False).set_index("village")["township"]
        orphan = orphan[pd.Series(village[orphan]).isin(only_town.index).to_numpy(dtype=bool)]
        township[orphan] = only_town.reindex(village[orphan]).to_numpy(dtype=object)
        how[orphan] = "township"
    anchor = np.zeros(n, dtype=np.int64)
    # A number under 行政村: the row pasted in another column order, its township no surer. A village's
    # name in another of its cells (合隆村 under the ID) is its village where the run has it; a name of
    # a village the run has not (三合村 under 户编号: a village's rows pasted under another's) tells
    # that the rows near it are not its village's.
    misplaced = missing & (typed != "")
    free = unnamed_town | misplaced  # as typed: a township the rule above gave is no row's own
    if misplaced.any():
        at = np.flatnonzero(misplaced)
        known = pd.Series(village[~missing]).value_counts()
        homes = pd.DataFrame({"township": township[~missing], "village": village[~missing]}).drop_duplicates()
        only_town = homes.drop_duplicates("village", keep=False).set_index("village")["township"]
        found = np.full(len(at), "", dtype=object)
        elsewhere = np.zeros(len(at), dtype=bool)
        ends = tuple(fields().places.village.ends) + tuple(fields().places.community.ends)
        for column in ("township", "group", "household_id", "head_name", "head_id"):
            if column not in households.columns:
                continue
            cells = _text(households[column]).to_numpy(dtype=object)[at]
            hit = pd.Series(cells).isin(known.index).to_numpy(dtype=bool) & (found == "")
            found[hit] = cells[hit]
            elsewhere |= pd.Series(cells).str.endswith(ends).to_numpy(dtype=bool) & ~hit & (found == "")
        named = at[found != ""]
        village[named] = found[found != ""]
        township[named] = pd.Series(found[found != ""]).map(only_town).fillna(
            pd.Series(township[named])).to_numpy(dtype=object)
        how[named] = "cell"
        missing[named] = False
        cut = at[(found == "") & elsewhere]
        how[cut] = "none"
        missing[cut] = False  # not taken into the village of the rows near it
    if missing.any():
        rows = households["row"].to_numpy(dtype=np.int64) if "row" in households.columns else np.arange(n)
        if "sheet_key" in households.columns:
            sheets = _text(households["sheet_key"])
        else:
            sheets = _text(households["source_file"]) + "\x1f" + _text(households["sheet"])
        sheet = pd.factorize(sheets.to_numpy(dtype=object))[0]
        order = np.lexsort((rows, sheet))
        # A row that names its township goes to a village of that township only: the nearest row of
        # it (another township's rows between them are passed over); one that names none, the nearest.
        in_town = pd.factorize(pd.MultiIndex.from_arrays([sheet, township]))[0]
        named = pd.Series(np.where(missing, np.nan, np.arange(n, dtype=float))[order])
        nearest = {}
        for side, fill in (("above", "ffill"), ("below", "bfill")):
            found = np.empty(n, dtype=float)
            for scope, these in ((sheet, free), (in_town, ~free)):
                filled = np.empty(n, dtype=float)
                filled[order] = getattr(named.groupby(scope[order]), fill)().to_numpy(dtype=float)
                found[these] = filled[these]
            nearest[side] = found
        taken = np.zeros(n, dtype=bool)
        for side in ("above", "below"):
            at = np.flatnonzero(missing & ~taken & ~np.isnan(nearest[side]))
            other = nearest[side][at].astype(np.int64)
            village[at], township[at] = village[other], township[other]
            how[at], anchor[at], taken[at] = side, rows[other], True
        how[missing & ~taken] = "none"
    if not how.any():  # every row names its village plainly (a county's clean survey): as typed
        return pd.DataFrame({"township": township, "village": village, "how": how, "was": how, "typed": typed,
                             "anchor": anchor}, index=households.index)
    lost = how == "none"
    village[lost] = ""
    # A township the run names only on rows out of line (a head's name read as 乡(镇)) is none.
    towns = set(township[(how == "") | (how == "spelling")].tolist())
    township[lost & (_not_a_name(township) | misplaced & ~pd.Series(township).isin(towns).to_numpy(dtype=bool))] = ""
    was = np.where(how == "spelling", "", np.where(typed == "", "blank", "not_a_name"))
    was[how == ""] = ""
    was[how == "township"] = "blank"  # its 乡(镇), the village as typed
    return pd.DataFrame({"township": township, "village": village, "how": how, "was": was, "typed": typed,
                         "anchor": anchor}, index=households.index)


def routed_rows(listing: pd.DataFrame, places: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """`listing` with each household's rows under the (township, village) of `places` (likely_villages),
    and a routed household's messages saying why it is on that list (a member row of no household as
    it was): the fix lists' and the village lists' 数据有误待核实 rows alike."""
    from ..issues import filled
    from .privacy import mask_in_text

    hh = listing["hh"].to_numpy(dtype=np.int64)
    known = (hh >= 0) & (hh < len(places))
    at = hh[known]
    township, village = (listing[key].to_numpy(dtype=object).copy() for key in ("township", "village"))
    township[known] = places["township"].to_numpy(dtype=object)[at]
    village[known] = places["village"].to_numpy(dtype=object)[at]
    notes = np.full(len(places), "", dtype=object)
    how = places["how"].to_numpy(dtype=object)
    rows = {key: np.flatnonzero(how == key) for key in ("spelling", "cell", "township")}
    for side in ("above", "below"):
        for was in ("blank", "not_a_name"):
            rows[(side, was)] = np.flatnonzero((how == side) & (places["was"].to_numpy(dtype=object) == was))
    for key, these in rows.items():
        if not len(these):
            continue
        part = places.iloc[these]
        params = pd.DataFrame({"this_place": this_place_words(part, lang), "typed": part["typed"].to_numpy(),
                               "village": part["village"].to_numpy(), "township": part["township"].to_numpy(),
                               "row": part["anchor"].to_numpy(),
                               "side": label(f"fix_side_{key[0]}", lang) if isinstance(key, tuple) else ""})
        template = messages().labels[f"fix_routed_{key[1]}" if isinstance(key, tuple) else f"fix_routed_{key}"](lang)
        notes[these] = filled(template, params)
    note = np.full(len(listing), "", dtype=object)
    note[known] = notes[at]
    # Sent out: what the note quotes masked as every text on the list is.
    said = np.where(note != "", "\n" + mask_in_text(pd.Series(note, dtype=object)).to_numpy(dtype=object), "")
    return listing.assign(township=township, village=village,
                          message=listing["message"].to_numpy(dtype=object) + said)


# ---------------------------------------------------------------------------------------------
# File names


def _fits(stem: str, kind: str = "") -> bool:
    return len(stem + kind) <= NAME_LIMIT and len((stem + kind).encode("utf-8")) <= NAME_BYTES


def _windows_safe(stem: str) -> str:
    """`stem` with what Windows refuses or alters replaced: the characters \\/:*?"<>|, control and
    invisible (format) characters as _, leading dots and spaces and trailing ones dropped, a device
    name prefixed with _."""
    stem = _UNSAFE_NAME.sub("_", stem)
    stem = "".join("_" if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") else c
                   for c in stem)
    stem = stem.strip(" .")
    if stem.split(".")[0].rstrip(" ").upper() in _RESERVED:
        stem = "_" + stem
    return stem or "_"


def _with_hash(stem: str, key: str, extra: str = "", kind: str = "") -> str:
    """`stem` cut to fit with `~` and a hash of `key` (and `extra`) at its end, and room for `kind` after."""
    tag = "~" + hashlib.sha256((key + extra).encode("utf-8")).hexdigest()[:_HASH_CHARS]
    while stem and not _fits(stem + tag, kind):
        stem = stem[:-1]
    return stem.rstrip(" .") + tag


def safe_stem(stem: str) -> str:
    """`stem` (a file name without its suffix, made of a survey's words: a township and village given
    to `register export`) valid on Windows and short enough, as a village's file name is: changed or
    cut, with a hash of what it was at its end."""
    safe = _windows_safe(stem)
    return safe if safe == stem and _fits(safe) else _with_hash(safe, stem)


def village_file_names(df: pd.DataFrame, lang: Lang = "zh", kind: str = "",
                       blank_village: str = "unknown_village") -> dict[tuple[str, str], str]:
    """A file name (with .xlsx) for every village of `df` (the run's households), unique without case
    and valid on Windows (see the module's docstring); villages in place order, so that of two names
    alike the first in the input keeps the plain one. `kind`: what the file is (公示, 民主评议 …), after
    the place (合隆镇-前岗村-公示.xlsx) and kept whole where the place is cut; none for the review lists.
    `blank_village`: the label a blank village is named by (the fix lists': 未能确定所属村的农户)."""
    # The same kind after every place: the places alone decide which names are taken.
    kind = f"-{_windows_safe(kind)}" if kind else ""
    names: dict[tuple[str, str], str] = {}
    taken: set[str] = set()
    tagged = []
    from .privacy import mask_in_name

    for township, village in village_keys(df):
        plain = f"{place_name(township, lang, 'unknown_township')}-{place_name(village, lang, blank_village)}"
        # An ID or a phone number read as a place (a row pasted in another column order) never goes
        # whole into a file name that is sent out: masked as the lists mask it.
        masked = mask_in_name(plain)
        stem = _windows_safe(masked)
        if stem == masked and _fits(stem, kind) and stem.casefold() not in taken:
            names[(township, village)] = stem
            taken.add(stem.casefold())
        else:
            tagged.append((township, village, stem, masked != plain))
    # Names changed, cut or taken get the hash; a hash taken too (never seen) draws again. A masked
    # name's hash is of the masked name: one of the ID would let the ID be found again by trying.
    for township, village, stem, was_masked in tagged:
        key, extra = (stem if was_masked else f"{township}\x00{village}"), ""
        name = _with_hash(stem, key, kind=kind)
        while name.casefold() in taken:
            extra += "+"
            name = _with_hash(stem, key, extra, kind)
        names[(township, village)] = name
        taken.add(name.casefold())
    return {key: name + kind + SUFFIX for key, name in names.items()}


def village_paths(folder: Path, keys: list[tuple[str, str]], households: pd.DataFrame,
                  lang: Lang = "zh", kind: str = "", blank_village: str = "unknown_village") -> list[Path]:
    """The file of each village of `keys` in `folder`, named by village_file_names over every village of
    the run (`households`) with the folder's `kind` after the place, so that a village's name is the
    same in every run and its file named apart from its other files."""
    names = village_file_names(households, lang, kind, blank_village)
    return [folder / names[key] for key in keys]


# ---------------------------------------------------------------------------------------------
# The rule line


def exclusions_text(result: Result, lang: Lang) -> str:
    labels = messages().labels
    excl = result.rule_set.exclude
    names = [labels[key](lang) for key, on in (("excl_dibao", excl.dibao), ("excl_tekun", excl.tekun),
                                                ("excl_registered", excl.registered_poor)) if on]
    if not names:
        return labels["list_no_exclusions"](lang)
    return labels["list_exclusions"](lang).format(names=labels["list_sep"](lang).join(names))


def rule_line(result: Result, lang: Lang, *, with_id: bool = True) -> str:
    """The rule set and its bounds in one line, printed under every title; `with_id`: with the rule
    set's id (changchun-2019), which the county's own outputs name and a village's list does not."""
    labels = messages().labels
    b = result.bounds
    rules = result.rule_set
    key = "list_rule" if b.lower is not None else "list_rule_no_lower"
    rule_id = labels["list_rule_id"](lang).format(id=rules.id) if with_id else ""
    return labels[key](lang).format(title=rules.title, id=rule_id, year=b.year,
                                    lower=b.lower.value if b.lower else "", upper=b.upper.value,
                                    exclusions=exclusions_text(result, lang))
