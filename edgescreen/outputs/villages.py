"""One workbook per village for its democratic review meeting (民主评议), printable as it comes.

Sheet 1, the candidates (初选名单), lowest per-capita first, with empty 评议结果 and 备注 columns
for the meeting and signature lines for the village committees (村"两委"), the person who verified
and the date. Sheet 2, the village's `invalid` households with what must be fixed, cell by cell
(数据有误待核实农户名单). Sheet 3, its `below_line` households, to be referred for registered-poor
identification (低于贫困标准农户名单). Every sheet is A4 landscape with the header row repeated and
page numbers. Sheets 2 and 3 are fitted to the page width; sheet 1 prints at a scale computed from
its column widths, with its page breaks placed here, so that the signatures are never on a page of
their own (Excel ignores manual page breaks on a sheet fitted to the page).

Where the run keeps a register (--register), the meetings review the documents the register prints:
sheet 1 is the county's working list, titled so, without the 评议结果 and 备注 columns and the
signature lines. A 村民小组 typed with its own township and village prints without them, in a column
sized to the village's longest group (group_in_village, group_widths, sized_columns).

ID and phone numbers are masked unless the county asks for its internal copy (--no-mask); so are
ID- and mobile-shaped numbers inside the text of the issue messages.

With rosters (信息比对, issue 14) the candidate list gains a 疑点 column (the short names of the
rosters that flag the household) and a line saying how many candidates are to verify, and the
workbook of a village that has any a last sheet, 核实清单: every candidate with a flag, which roster
matched which member (relation, name and masked ID), what to verify at the home and whose record it
is, and an empty column for what the verifier found, printed as the candidate list is. A village with
nothing to verify has no such sheet (it printed an empty page to sign); its candidate list's line says
so. A household an authoritative roster took off the village's lists (its survey did not say 低保, the
低保 roster lists a member) is named, masked, in a line above the candidate list (roster_excluded):
before, it left the list without a word. Nothing of a roster is printed but the fact of a match.

Beside each candidate and each household below the line, a 疑点 column says in a few words the doubts
its own warnings raise (data_doubts: 疑似按万元填写, 备注写户主已故, 常住人口多于家庭人口 …), and a line
above the table how many households to check before or at the meeting: the village committee never
sees report.html (an outside try: a household typed in 万元 referred to the poverty procedure, a dead
head's name on the candidate list, with nothing beside them). A warning of a systemic finding (a column
blank in most rows) is the column's, said once in the reports, and marks no household. A list none of
whose households has a doubt prints as before, without the column or the line; one that has prints the
candidate list at the scale its width gives (as a roster run's), the below-the-line list taking the
column's room from its blank 备注. With rosters the candidate list's one 疑点 column holds the rosters'
flags and the data's doubts; the 核实清单 keeps to the rosters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..catalogue import Lang, label, messages, rosters_catalogue
from ..classify import EXCLUSION_STATUS, check_titles
from ..compute import per_capita_order
from ..issues import filled
from ..rosters import cadres_of, names_differ
from ..runtime import Task, WriterHelper, run_tasks
from ..systemic import deciding
from ..texts import joined_per_key, texts_among
from .ledger import field_words
from .places import (issuer_places, likely_villages, place_name, routed_rows, rule_line, run_villages, village_keys,
                     village_paths)
from .privacy import mask_id_shown, mask_in_string, mask_in_text, mask_phone, masked_issues
from .xlsx import (
    ColumnLists,
    cell_formats,
    new_workbook,
    print_signed,
    setup_print,
    signature_lines,
    TITLE_SIZE,
    line_width,
    text_height,
    write_block,
    write_table,
    write_title,
    wrapped_heights,
)

if TYPE_CHECKING:
    from ..result import Result

# (label key, column width, format key) of each sheet, in print order.
CANDIDATE_COLUMNS = [("seq", 6, "center"), ("group", 10, "cell"), ("head_name", 12, "cell"),
                     ("masked_id", 24, "center"), ("residents", 11, "int"),
                     ("per_capita_income", 14, "money"), ("risk", 20, "cell"),
                     ("review_result", 18, "cell"), ("notes", 16, "cell")]
FIX_WIDTH = 62
INVALID_COLUMNS = [("seq", 6, "center"), ("sheet", 12, "cell"), ("row", 7, "int"), ("group", 10, "cell"),
                   ("head_name", 12, "cell"), ("masked_id", 24, "center"), ("phone", 14, "center"),
                   ("what_to_fix", FIX_WIDTH, "cell")]
BELOW_LINE_COLUMNS = [("seq", 6, "center"), ("group", 10, "cell"), ("head_name", 12, "cell"),
                      ("masked_id", 24, "center"), ("residents", 11, "int"),
                      ("per_capita_income", 14, "money"), ("risk", 20, "cell"), ("notes", 34, "cell")]
# The 疑点 column beside 主要困难 (data_doubts; with rosters, their flags too: _roster_columns), printed on a
# village's candidate list where one of them has a doubt (always with rosters), at the width a roster run's
# has always printed it; on its below-the-line list where one of them has, its room taken from the blank 备注.
DOUBT_COLUMN = ("doubts", 12, "cell")
# The doubts a 疑点 cell says at most, the most serious first (their order in outputs.toml), then 「等 N 项」.
DOUBTS_SHOWN = 3
CANDIDATE_COLUMNS_DOUBTS = [*CANDIDATE_COLUMNS[:7], DOUBT_COLUMN, *CANDIDATE_COLUMNS[7:]]
BELOW_LINE_COLUMNS_DOUBTS = [*BELOW_LINE_COLUMNS[:7], DOUBT_COLUMN,
                             ("notes", BELOW_LINE_COLUMNS[7][1] - DOUBT_COLUMN[1], "cell")]
# The warnings a list does not print as a doubt: they say nothing of the household the meeting reviews
# (a phone the lists do not print, a 户编号 they do not print either, a place name read as another
# spelling, or only like another name: said of the list, not of the household), or the list shows it
# already (a head's name holding a note in brackets or a second name is printed as typed).
NOT_DOUBTS = ("phone_malformed", "household_id_mangled", "place_spelling_merged", "place_names_similar",
              "name_holds_more")
# With rosters: the 核实清单 sheet.
VERIFY_COLUMNS = [("seq", 5, "center"), ("group", 8, "cell"), ("head_name", 10, "cell"), ("masked_id", 22, "center"),
                  ("suspect", 12, "cell"), ("matched_members", 32, "cell"), ("to_verify", 32, "cell"),
                  ("finding", 26, "cell")]
DATA_ROW_HEIGHT = 24  # room to write by hand at the meeting
# Where a run keeps a register, the meeting's form is the register's (register next, with its identity
# to be recorded): the candidate list is the county's working list, without the meeting's columns (and
# signatures), their room given to 主要困难 so that the page keeps its width.
MEETING_COLUMNS = ("review_result", "notes")
# The 村民小组 column, as wide as the village's longest group (第十二村民小组 on one line), this at most.
GROUP_WIDTH_MOST = 18
# Columns printed blank, to write in by hand: where a list has one, a wider group takes its room.
HAND_WRITTEN = ("review_result", "notes", "finding")


def group_in_village(df: pd.DataFrame) -> pd.Series:
    """Each household's 村民小组 as its village's list prints it: typed with its own township and
    village (哈拉海镇东风村第十二村民小组, the county before them too, or 东风村十二组), what follows them
    (第十二村民小组): the list's title names the place. A group that is only the place, or names
    another, is printed as typed. Worked out once per distinct (township, village, group)."""
    places = pd.DataFrame({key: df[key].fillna("").astype(str).to_numpy() for key in ("township", "village", "group")})
    code = places.groupby(["township", "village", "group"], sort=False).ngroup().to_numpy()
    distinct = places.drop_duplicates(["township", "village", "group"])

    def within(township: str, village: str, group: str) -> str:
        if not village:
            return group
        at = group.find(township + village) if township else -1
        if at >= 0:
            rest = group[at + len(township + village):]
        elif group.startswith(village):
            rest = group[len(village):]
        else:  # no place before it: as typed, its leading - too (-A1 is not A1)
            return group
        rest = rest.lstrip(" -/、")
        return rest or group

    keys = zip(*(distinct[k].tolist() for k in ("township", "village", "group")))
    shown = np.asarray([within(*key) for key in keys], dtype=object)[code]
    shortened = shown != places["group"].to_numpy(dtype=object)
    # Any other group as it was (a blank, a number typed as one): printed as the lists always printed it.
    return df["group"].astype(object).where(~shortened, pd.Series(shown, index=df.index, dtype=object))


# The marks a form joins a multiple choice's answers with (问卷星: 因残┋因学; ｜ is | by NFKC).
_CHOICE_MARKS = r"\s*[┋|]\s*"


def difficulty_shown(risk: pd.Series, lang: Lang) -> pd.Series:
    """主要困难 as the meeting reads it: as typed, a form's multiple choice listed as the 公示 lists its
    categories (因残、因学). A form's (跳过) is blank already (fields.toml [money] blank)."""
    return risk.str.replace(_CHOICE_MARKS, label("list_sep", lang), regex=True)


def people_columns(df: pd.DataFrame, mask: bool, lang: Lang = "zh") -> pd.DataFrame:
    """The columns every list shows, column-wise: masked ID and phone, per-capita in yuan, the group
    within its village (group_in_village), and the free text with any ID- or phone-shaped numbers
    masked too; the difficulty as difficulty_shown says it."""
    text = (lambda s: mask_in_text(s)) if mask else (lambda s: s.fillna("").astype(object))  # noqa: E731
    return pd.DataFrame({
        "township": df["township"].to_numpy(),
        "village": df["village"].to_numpy(),
        "status": df["status"].to_numpy(),
        "per_capita_fen": df["per_capita_fen"].to_numpy(),
        "net_income_fen": df["net_income_fen"].to_numpy(),  # with residents: the exact order of the list
        "seq": range(1, len(df) + 1),
        "group": text(group_in_village(df)).to_numpy(),
        "head_name": text(df["head_name"]).to_numpy(),
        "masked_id": (mask_id_shown(df["head_id"]) if mask else df["head_id"].fillna("").astype(object)).to_numpy(),
        "phone": (mask_phone(df["phone"]) if mask else df["phone"].fillna("").astype(object)).to_numpy(),
        "residents": df["residents"].astype("Float64").to_numpy(),
        "per_capita_income": (df["per_capita_fen"].astype("Float64") / 100).to_numpy(),
        "risk": text(difficulty_shown(df["risk"], lang)).to_numpy(),
    }, index=df.index)


def what_to_fix(result: Result, lang: Lang, mask: bool) -> pd.Series:
    """Per household position: its error messages, one line per cell to fix. With masking, the ID and
    phone values quoted in a message are masked as the lists mask them."""
    errors = result.issues(lang, severity="error")
    if errors.empty:
        return pd.Series(dtype=object)
    if mask:
        errors = masked_issues(errors, lang)
    return joined_per_key(errors["hh"].to_numpy(), errors["message"].to_numpy(dtype=object), "\n")


LISTED = ["candidate", "invalid", "below_line"]


def list_rows(result: Result, lang: Lang, mask: bool, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """The printed columns of every household a list shows (candidates, invalid, below the line),
    computed once for the whole run, column-wise: the people columns, where in the input it is, and
    (for the invalid) what to fix and the row height. The others are never printed, so never masked.
    `places`: likely_villages of the run's households (computed here without it)."""
    df = result.households
    shown = df["status"].isin(LISTED).to_numpy()
    listed = df[shown]
    rows = people_columns(listed, mask, lang)
    fixes = what_to_fix(result, lang, mask)
    rows["what_to_fix"] = fixes.reindex(np.flatnonzero(shown)).fillna("").to_numpy()
    _route_invalid(rows, np.flatnonzero(shown), likely_villages(df) if places is None else places, lang)
    sheet = listed["sheet"].fillna("").astype(str)
    where = listed["source_file"] + " / " + sheet if df["source_file"].nunique() > 1 else sheet
    rows["sheet"] = (mask_in_text(where) if mask else where).to_numpy()  # every printed text cell is scanned
    rows["row"] = listed["row"].to_numpy()
    rows["group_width"] = group_widths(rows)
    doubts = data_doubts(result, lang)[shown]
    rows["data_doubts"] = doubts  # the household's own, counted by the line above its list
    if result.rosters is not None:
        _roster_columns(result, rows, np.flatnonzero(shown), lang, mask)
        # One 疑点 column: the rosters' flags first (a candidate's only), then the data's doubts.
        flags = rows["suspect"].to_numpy(dtype=object)
        both = (flags != "") & (doubts != "")
        doubts = np.where(both, flags + label("list_sep", lang) + doubts, flags + doubts)
    rows["doubts"] = doubts
    rows["height"] = float(DATA_ROW_HEIGHT)
    status = rows["status"].to_numpy()
    # Each row's height as its list prints it with the 疑点 column (the others' widths the same, or a
    # blank column's narrower), whether or not its village's list has one.
    printed = {"candidate": candidate_columns(True, keeps_register(result)),
               "invalid": INVALID_COLUMNS, "below_line": BELOW_LINE_COLUMNS_DOUBTS}
    for listed_status, columns in printed.items():
        on_list = status == listed_status
        rows.loc[on_list, "height"] = _heights(rows[on_list], columns, DATA_ROW_HEIGHT)
    return rows


def data_doubts(result: Result, lang: Lang) -> np.ndarray:
    """Per household of the run: the doubts its own warnings raise, in a few words each (doubt_<code>,
    else the check's short title), 、-joined, '' for none. A warning of a systemic finding is a whole
    column's or village's matter, said once in the reports, and not repeated per household; nor are
    NOT_DOUBTS, nor (with rosters) a candidate's roster warnings, which its 疑点 says in the rosters'
    words. Worded once per kind of issue (one check on one field with one hint), not per household."""

    n = len(result.households)
    doubts = np.full(n, "", dtype=object)
    index = result.issue_index
    if index.empty:
        return doubts
    code = index["code"].to_numpy(dtype=object)
    hh = index["hh"].to_numpy(dtype=np.int64)
    own = (index["severity"] == "warning").to_numpy(dtype=bool) & ~result.systemic().warning_rows
    own &= ~texts_among(code, NOT_DOUBTS)
    if result.rosters is not None:
        candidate = (result.households["status"] == "candidate").to_numpy(dtype=bool)
        own &= ~(pd.Series(code, dtype=object).str.startswith("roster_").to_numpy(dtype=bool) & candidate[hh])
    if not own.any():
        return doubts
    labels = messages().labels
    titles = check_titles(lang)
    headers = field_words(lang)
    # The doubt_* words' order in outputs.toml is their weight, most serious first; a title weighs as doubt_other.
    weights = {key: at for at, key in enumerate(k for k in labels if k.startswith("doubt_"))}
    income = set(result.rule_set.income.components)
    kind = index["kind"].to_numpy(dtype=np.int64)
    kinds, first = np.unique(kind[own], return_index=True)
    at = np.flatnonzero(own)[first]

    def words(code: str, field: str, hint: object) -> tuple[str, int]:
        # An income left blank may decide the household: weighed apart from a blank yes/no or cost.
        key = f"doubt_{code}_income" if code == "missing_value" and field in income else f"doubt_{code}"
        if f"{key}_{hint}" in labels:  # a hint with words of its own (a total too low even in 万元)
            key = f"{key}_{hint}"
        if key in labels:
            return label(key, lang, header=headers.get(field, field)), weights[key]
        return titles.get(code) or label("doubt_other", lang), weights["doubt_other"]

    fields_of = index["field"].to_numpy(dtype=object)
    hints = index["hint"].to_numpy(dtype=object)
    worded = dict(zip(kinds.tolist(), (words(code[i], fields_of[i], hints[i]) for i in at.tolist())))
    kind_words = pd.Series(kind[own]).map(worded)
    said = pd.DataFrame({"hh": hh[own], "words": kind_words.str[0].to_numpy(dtype=object),
                         "weight": kind_words.str[1].to_numpy(dtype=np.int64)})
    said = said.drop_duplicates(["hh", "words"])  # the same doubt twice (two cells of one check) said once
    said = said.iloc[np.lexsort((said["weight"].to_numpy(), said["hh"].to_numpy()))]
    # The most serious few, so that a row stays a line or two in the narrow column: the rest counted.
    count = said.groupby("hh", sort=False)["words"].transform("size").to_numpy()
    said = said.assign(count=count)[said.groupby("hh", sort=False).cumcount().to_numpy() < DOUBTS_SHOWN]
    joined = joined_per_key(said["hh"].to_numpy(), said["words"].to_numpy(dtype=object), label("list_sep", lang))
    totals = said.groupby("hh")["count"].first().reindex(joined.index).to_numpy()
    more = totals > DOUBTS_SHOWN
    text = joined.to_numpy(dtype=object, copy=True)
    for total in np.unique(totals[more]).tolist():  # once per count of doubts, not per household
        before, after = label("doubts_more", lang, doubts="\0", count=total).split("\0")
        text[totals == total] = before + text[totals == total] + after
    doubts[joined.index.to_numpy()] = text
    return doubts


def _route_invalid(rows: pd.DataFrame, positions: np.ndarray, places: pd.DataFrame, lang: Lang) -> None:
    """The invalid households of `rows` (at `positions` of the run) put under the village whose fix list
    they reach (likely_villages: a 行政村 left blank, an ID pasted there, 新立 for 新立村), what to fix
    ending in the fix list's note saying why (places.routed_rows): the village's 数据有误待核实 sheet lists
    every household the township sends it to fix. Candidates and the below-the-line stay where typed
    (a household whose 行政村 is blank or an ID is invalid anyway)."""
    invalid = rows["status"].to_numpy() == "invalid"
    if not invalid.any():
        return
    routed = routed_rows(pd.DataFrame({"hh": positions[invalid], "township": rows["township"].to_numpy()[invalid],
                                   "village": rows["village"].to_numpy()[invalid],
                                   "message": rows["what_to_fix"].to_numpy(dtype=object)[invalid]}), places, lang)
    # New columns, never written into: people_columns' places may share the households' own arrays.
    for key, routed_key in (("township", "township"), ("village", "village"), ("what_to_fix", "message")):
        column = rows[key].to_numpy(dtype=object).copy()
        column[invalid] = routed[routed_key].to_numpy(dtype=object)
        rows[key] = column


def placed_households(households: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Each household's (township, village) as the village lists place it: an invalid one where its fix
    list goes (likely_villages), every other where typed."""
    invalid = (households["status"] == "invalid").to_numpy()
    return pd.DataFrame({key: np.where(invalid, places[key].to_numpy(dtype=object),
                                       households[key].fillna("").astype(str).to_numpy(dtype=object))
                         for key in ("township", "village")}, index=households.index)


def keeps_register(result: Result) -> bool:
    """Whether the run records a round in a register (--register): its meetings review the documents
    the register prints, not these lists."""
    return bool(result.options.get("register"))


def candidate_columns(doubts: bool, register: bool = False) -> list:
    """The candidate list's columns: with the 疑点 column where `doubts` (a run with rosters, or a
    candidate of the village with a data doubt); without the meeting's columns (MEETING_COLUMNS, their
    width 主要困难's) where the run keeps a register."""
    columns = CANDIDATE_COLUMNS_DOUBTS if doubts else CANDIDATE_COLUMNS
    if not register:
        return columns
    freed = sum(width for key, width, _ in columns if key in MEETING_COLUMNS)
    return [(key, width + freed if key == "risk" else width, fmt) for key, width, fmt in columns
            if key not in MEETING_COLUMNS]


def group_widths(rows: pd.DataFrame) -> np.ndarray:
    """Per listed household, the width its village's lists give 村民小组: what the village's longest
    group takes on one line, in whole characters, GROUP_WIDTH_MOST at most (each list keeps its own
    width where that is more: sized_columns)."""
    groups = rows["group"].fillna("").astype(str)
    distinct = groups.unique()
    needed = dict(zip(distinct.tolist(), (line_width(g) if g else 0.0 for g in distinct.tolist())))
    need = groups.map(needed).groupby([rows["township"].fillna(""), rows["village"].fillna("")], sort=False) \
        .transform("max")
    return np.minimum(np.ceil(need.to_numpy(dtype=float)), GROUP_WIDTH_MOST)


def sized_columns(columns: list, group_width: float) -> list:
    """`columns` with 村民小组 `group_width` wide where that is more than its own width, the room taken
    from the widest column written by hand (评议结果, 备注, 核实结果), else from the widest free-text
    column (主要困难, 需核实的问题): the page keeps its width. Taken from 主要困难 beside a blank 评议结果,
    a county's long difficulties (40 characters) printed 9 lines a row, and 东风村's list 26 pages, not 24."""
    base = next(width for key, width, _ in columns if key == "group")
    more = max(float(group_width) - base, 0.0)
    if not more:
        return columns
    blank = [c for c in columns if c[0] in HAND_WRITTEN]
    text = [c for c in columns if c[2] == "cell" and c[0] not in ("group", "head_name")]
    widest = max(blank or text, key=lambda c: c[1])[0]
    return [(key, base + more if key == "group" else width - more if key == widest else width, fmt)
            for key, width, fmt in columns]


def _heights(rows: pd.DataFrame, columns: list, least: float) -> np.ndarray:
    """wrapped_heights of `rows` on a list of `columns`, each row's with its village's group width
    (group_widths): a step per distinct width (a handful in a county), not per village."""
    heights = np.full(len(rows), float(least))
    widths = rows["group_width"].to_numpy(dtype=float)
    for width in np.unique(widths).tolist():
        at = widths == width
        heights[at] = wrapped_heights(rows[at], sized_columns(columns, width), least)
    return heights


def _of_candidates(people: pd.DataFrame, candidate: np.ndarray) -> pd.DataFrame:
    """The rows of a roster run's table (leads, unmatched, unlisted, pending: by `hh`) of candidates."""
    return people[candidate[people["hh"].to_numpy(dtype=np.int64)]] if len(people) else people


def _who(people: pd.DataFrame, mask: bool) -> pd.Series:
    """Each person as a 核实清单 line names them: relation and name (the name alone where no relation is
    given), ID-shaped text masked unless `mask` is off."""
    relation = people["relation"].to_numpy(dtype=object)
    names = people["name"].to_numpy(dtype=object)
    text = pd.Series(np.where(relation != "", relation + " " + names, names), dtype=object)
    return mask_in_text(text) if mask else text


def _matched_person(matches: pd.DataFrame, lang: Lang, mask: bool) -> pd.Series:
    """Each matched member as a 核实清单 line names them: relation (the head as 户主), name and masked ID
    (之子 黄志刚 220122********831X). By relation and ID alone a household of three sons, or two heads of
    one name in the village, left the committee unable to tell whom the roster means (an outside try)."""
    relation = matches["relation"].fillna("").astype(str).to_numpy(dtype=object)
    who = np.where(relation != "", relation, label("relation_head", lang)).astype(object)
    names = matches["name"].fillna("").astype(str)
    names = (mask_in_text(names) if mask else names).to_numpy(dtype=object)
    who = np.where(names != "", who + " " + names, who).astype(object)
    ids = matches["id"].astype(object)
    shown_ids = (mask_id_shown(ids) if mask else ids.fillna("")).to_numpy(dtype=object)
    return pd.Series(who + " " + shown_ids, index=matches.index, dtype=object)


def _cadres(run, found: pd.DataFrame, mask: bool) -> np.ndarray:
    """Per match or lead of `found`, the cadre its 村干部亲属 row names (rosters.cadres_of), '' where none;
    ID-shaped text in it masked unless `mask` is off."""
    cadre = pd.Series(cadres_of(run, found), dtype=object)
    return (mask_in_text(cadre) if mask and (cadre != "").any() else cadre).to_numpy(dtype=object)


def _worded(values: np.ndarray, key: str, lang: Lang, param: str = "cadre") -> np.ndarray:
    """Label `key` worded with each value as its `param` (a cadre's name, a roster's short word), once
    per distinct value."""
    return pd.Series(values, dtype=object).map({v: label(key, lang, **{param: v}) for v in pd.unique(values)}) \
        .to_numpy(dtype=object)


def _roster_columns(result: Result, rows: pd.DataFrame, positions: np.ndarray, lang: Lang, mask: bool) -> None:
    """The listed households' roster columns, column-wise: `suspect` (the short names of the rosters
    whose effect is a flag, 、-joined), and for the 核实清单 `matched_members` (a line per match: the
    member's relation, name and masked ID, the roster: _matched_person), `to_verify` (a line per roster: what to verify),
    and `verify_height`. A cadre_relative name lead is its own line, said to be a name only."""
    run = result.rosters
    n = len(result.households)
    order = {k.code: i for i, k in enumerate(rosters_catalogue().kind)}
    short = {code: label(f"roster_short_{code}", lang) for code in order}
    # Only the candidates print a 疑点 column and a 核实清单 row: the other households' matches are
    # not worded at all (a million households may have a hundred thousand matches).
    candidate = (result.households["status"] == "candidate").to_numpy()
    matches = run.matches
    flags = matches[(matches["effect"] == "flag").to_numpy() & candidate[matches["hh"].to_numpy(dtype=np.int64)]]
    who = _matched_person(flags, lang, mask)
    # The roster names the ID otherwise (roster_name_mismatch): the village is to ask whether it is this member.
    differs = np.where(names_differ(flags), label("roster_matched_name_differs", lang), "").astype(object)
    shorts = flags["kind"].map(short).to_numpy(dtype=object)
    verify = flags["kind"].map({k: f"{short[k]}:{label(f'roster_verify_{k}', lang)}"
                                for k in order}).to_numpy(dtype=object)
    # A cadre's relative: the cadre the roster names (村干部姓名) is said, the one to stand aside at the review.
    cadre = _cadres(run, flags, mask)
    named = cadre != ""
    shorts[named] = _worded(cadre[named], "roster_short_cadre_relative_named", lang)
    verify[named] = shorts[named] + ":" + _worded(cadre[named], "roster_verify_cadre_relative_named", lang)
    # A member the roster counts in another family's case (rosters._in_other_household): whose, and what to ask.
    away = (flags["other_head"].fillna("") != "").to_numpy(dtype=bool)
    if away.any():
        verify[away] = [f"{s}:" + label("roster_verify_other_household", lang, head=head, place=label(
            "roster_other_household_place", lang, place=place) if place else "") for s, head, place in zip(
            shorts[away], flags["other_head"].to_numpy(dtype=object)[away],
            flags["other_place"].fillna("").to_numpy(dtype=object)[away])]
        # Its 疑点 (and matched line) says whose case it is: a bare 「低保」 reads as "this household is on
        # 低保", what the screen decided it is not. The verify line above keeps the roster's word.
        shorts[away] = _worded(shorts[away], "roster_short_other_household", lang, "roster")
    lines = pd.DataFrame({"hh": flags["hh"].to_numpy(), "kind": flags["kind"].to_numpy(dtype=object),
                          "rank": flags["kind"].map(order).to_numpy(),
                          "matched": (who + ":" + shorts + differs).to_numpy(dtype=object),
                          "verify": verify, "short": np.where(named | away, shorts, "")})
    leads = _of_candidates(run.leads, candidate)
    if len(leads):
        # A cadre's relative by name only; on another roster, a person of that name whose ID there is
        # not valid (no ID could find them).
        kinds = leads["kind"].astype(object)
        cadre = (kinds == "cadre_relative").to_numpy(dtype=bool)
        lead_word = kinds.map({k: label("roster_lead_bad_id", lang, roster=short[k]) for k in order})
        lead_word[cadre] = label("roster_lead_cadre_relative", lang)
        # The roster's valid ID is not the member's (one of the two may be mistyped): said so, not "not valid".
        differs = (leads["why"] == "id_differs").to_numpy(dtype=bool) & ~cadre
        lead_word[differs] = kinds[differs].map({k: label("roster_lead_id_differs", lang, roster=short[k])
                                                 for k in order})
        # The roster's ID stored as a number by Excel, its first 15 digits this member's (rosters._prefix_leads).
        excel = (leads["why"] == "id_excel_number").to_numpy(dtype=bool) & ~cadre
        lead_word[excel] = kinds[excel].map({k: label("roster_lead_id_excel_number", lang, roster=short[k])
                                             for k in order})
        text = _who(leads, mask)
        checking = label("roster_verify_bad_id", lang)
        bad_verify = {k: f"{label('roster_short_bad_id_lead', lang, roster=short[k])}:{checking}" for k in order}
        verify = kinds.map(bad_verify).to_numpy(dtype=object)
        differs_verify = label("roster_verify_id_differs", lang)
        verify[differs] = kinds[differs].map({k: f"{label('roster_short_bad_id_lead', lang, roster=short[k])}:"
                                                 f"{differs_verify}" for k in order}).to_numpy(dtype=object)
        verify[excel] = kinds[excel].map({k: f"{label('roster_short_bad_id_lead', lang, roster=short[k])}:"
                                             f"{label('roster_verify_id_excel_number', lang)}" for k in order}
                                         ).to_numpy(dtype=object)
        verify[cadre] = f"{label('roster_short_cadre_relative_lead', lang)}:{label('roster_verify_lead', lang)}"
        # The row's cadre (村干部姓名), where the roster names one: said as on a match.
        cadres = _cadres(run, leads, mask)
        named = cadres != ""
        lead_short = np.full(len(leads), "", dtype=object)
        lead_short[named] = _worded(cadres[named], "roster_short_cadre_relative_lead_named", lang)
        lead_word = lead_word.to_numpy(dtype=object)
        lead_word[named] = _worded(cadres[named], "roster_lead_cadre_relative_named", lang)
        verify[named] = lead_short[named] + ":" + _worded(cadres[named], "roster_verify_lead_cadre_named", lang)
        lines = pd.concat([lines, pd.DataFrame({
            "hh": leads["hh"].to_numpy(), "kind": np.where(cadre, "cadre_relative_lead", kinds + "_bad_id_lead"),
            "rank": len(order), "matched": (text + ":" + lead_word).to_numpy(dtype=object),
            "verify": verify, "short": lead_short})], ignore_index=True)
    unmatched = _of_candidates(run.unmatched, candidate)
    if len(unmatched):
        # A member whose ID no roster could match: the household was not checked in full (a lead
        # by name to the roster that lists someone of that name, where one does).
        text = _who(unmatched, mask)
        sep = label("list_sep", lang)
        same = unmatched["same_name"].map(lambda kinds: "" if not kinds else label(
            "roster_unmatched_same_name", lang, rosters=sep.join(short[k] for k in kinds.split(";"))))
        lines = pd.concat([lines, pd.DataFrame({
            "hh": unmatched["hh"].to_numpy(), "kind": "member_unmatched", "rank": len(order) + 1,
            "matched": (text + ":" + label("roster_member_unmatched", lang) + same.to_numpy(dtype=object))
            .to_numpy(dtype=object),
            "verify": f"{label('roster_short_member_unmatched', lang)}:{label('roster_verify_unmatched', lang)}"})],
            ignore_index=True)
    unlisted = _of_candidates(run.unlisted, candidate)
    if len(unlisted):
        # Members the members table leaves out: matched by no roster, as a member without an ID.
        missing = unlisted["missing"]
        said = missing.map({k: label("roster_members_unlisted", lang, count=int(k)) for k in missing.unique()})
        lines = pd.concat([lines, pd.DataFrame({
            "hh": unlisted["hh"].to_numpy(), "kind": "member_unmatched", "rank": len(order) + 1,
            "matched": said.to_numpy(dtype=object),
            "verify": f"{label('roster_short_member_unmatched', lang)}:{label('roster_verify_unlisted', lang)}"})],
            ignore_index=True)
    pending = _of_candidates(run.pending, candidate)
    if len(pending):
        # A returned list left their answer unknown (待查, blank): the household was not checked.
        text = _who(pending, mask)
        said = pending["kind"].map({k: label("roster_pending", lang, roster=short[k]) for k in order})
        lines = pd.concat([lines, pd.DataFrame({
            "hh": pending["hh"].to_numpy(), "kind": "pending", "rank": len(order) + 2,
            "matched": (text + ":" + said.to_numpy(dtype=object)).to_numpy(dtype=object),
            "verify": f"{label('roster_short_pending', lang)}:{label('roster_verify_pending', lang)}"})],
            ignore_index=True)
    lines = lines.assign(short=lines["short"].fillna(""))
    lines = lines.sort_values(["hh", "rank"], kind="stable")
    suspect = np.full(n, "", dtype=object)
    matched = np.full(n, "", dtype=object)
    verify = np.full(n, "", dtype=object)
    if len(lines):
        # One 疑点 per kind, and per cadre named (two cadres' relatives in one household are two).
        kinds = lines.drop_duplicates(["hh", "kind", "short"])
        names = kinds["kind"].map({**short, "cadre_relative_lead": label("roster_short_cadre_relative_lead", lang),
                                   "member_unmatched": label("roster_short_member_unmatched", lang),
                                   "pending": label("roster_short_pending", lang),
                                   **{f"{k}_bad_id_lead": label("roster_short_bad_id_lead", lang, roster=short[k])
                                      for k in order}})
        names = names.where(kinds["short"] == "", kinds["short"])
        joined = joined_per_key(kinds["hh"].to_numpy(), names.to_numpy(dtype=object), label("list_sep", lang))
        suspect[joined.index.to_numpy()] = joined.to_numpy(dtype=object)
        distinct = lines.drop_duplicates(["hh", "matched"])
        together = joined_per_key(distinct["hh"].to_numpy(), distinct["matched"].to_numpy(dtype=object), "\n")
        matched[together.index.to_numpy()] = together.to_numpy(dtype=object)
        todo = joined_per_key(kinds["hh"].to_numpy(), kinds["verify"].to_numpy(dtype=object), "\n")
        verify[todo.index.to_numpy()] = todo.to_numpy(dtype=object)
    rows["suspect"] = suspect[positions]
    rows["matched_members"] = matched[positions]
    rows["to_verify"] = verify[positions]
    rows["verify_height"] = _heights(rows, VERIFY_COLUMNS, DATA_ROW_HEIGHT * 1.5)


def village_tables(rows: pd.DataFrame) -> dict[tuple[str, str], dict[str, ColumnLists]]:
    """Every village's lists from `list_rows`, as {(township, village): {status: its rows}}, each
    numbered from 1 and ordered by per-capita (the invalid in survey order), equal per-capita in
    survey order. One sort of the whole run, by village, status, per-capita and survey position (so
    no tie is left to the sort); the columns become Python lists once, each list a slice of them."""
    if rows.empty:
        return {}
    township, village = (rows[key].fillna("").astype(str) for key in ("township", "village"))
    village_code = rows.groupby([township, village], sort=False).ngroup().to_numpy()
    status_code = pd.Categorical(rows["status"], categories=LISTED).codes
    # By the exact per-capita, not the fen printed: 3218.0014 before 3218.0033, both printed 3218.01.
    fraction, whole = per_capita_order(rows["net_income_fen"], rows["residents"])
    invalid = status_code == LISTED.index("invalid")
    fraction[invalid], whole[invalid] = 0.0, 0.0
    order = np.lexsort((np.arange(len(rows)), fraction, whole, status_code, village_code))
    group = village_code[order] * len(LISTED) + status_code[order]
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    stops = np.r_[starts[1:], len(rows)]
    seq = np.arange(len(rows)) - np.repeat(starts, stops - starts) + 1
    printed = {key for spec in (CANDIDATE_COLUMNS_DOUBTS, INVALID_COLUMNS, BELOW_LINE_COLUMNS) for key, _, _ in spec}
    printed.add("data_doubts")
    if "suspect" in rows.columns:
        printed |= {key for key, _, _ in VERIFY_COLUMNS} - {"finding"}
    ordered = rows.iloc[order].assign(seq=seq)
    table = ColumnLists.of(ordered, sorted(printed) + ["height", "group_width"])
    firsts = order[starts]
    keys = zip(township.to_numpy()[firsts].tolist(), village.to_numpy()[firsts].tolist(),
               rows["status"].to_numpy()[firsts].tolist())
    # One entry per village and status, not per household.
    tables: dict[tuple[str, str], dict[str, ColumnLists]] = {}
    for (t, v, status), start, stop in zip(keys, starts.tolist(), stops.tolist()):
        tables.setdefault((t, v), {})[status] = table[start:stop]
    if "suspect" in rows.columns:  # 核实清单: the flagged candidates, numbered as on the candidate list
        flagged = ((ordered["status"] == "candidate") & (ordered["to_verify"] != "")).to_numpy()
        verify = ordered[flagged].assign(height=ordered["verify_height"].to_numpy()[flagged])
        codes = village_code[order][flagged]
        cut = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]]) if len(codes) else np.array([], dtype=np.int64)
        ends = np.r_[cut[1:], len(codes)].astype(np.int64)
        listed = ColumnLists.of(verify, sorted(printed) + ["height", "group_width"])
        towns, names = township.to_numpy()[order][flagged], village.to_numpy()[order][flagged]
        for start, stop in zip(cut.tolist(), ends.tolist()):
            tables.setdefault((towns[start], names[start]), {})["verify"] = listed[start:stop]
    return tables


def _sheet(book, name: str, title: str, lines: list[str], columns, rows: ColumnLists, formats: dict,
           lang: Lang, *, heights: list | None = None, place: str = "") -> tuple:
    """A sheet with the title (naming `place`), the lines under it, and the table. Returns (sheet,
    next free row)."""
    ws = book.add_worksheet(name)
    last = len(columns) - 1
    width = sum(w for _, w, _ in columns)
    write_title(ws, 0, 0, last, title, formats["title"], width=width, font_size=TITLE_SIZE, least=30, place=place)
    for i, line in enumerate(lines, start=1):
        write_block(ws, i, 0, last, line, formats["subtitle"], text_height(line, width, 10))
    header_row = len(lines) + 1
    end = write_table(ws, header_row, columns, rows, formats, lang, row_height=DATA_ROW_HEIGHT, heights=heights)
    if not len(rows):
        ws.set_row(header_row + 1, DATA_ROW_HEIGHT)  # the "(none)" row
    # The title (township and village) heads every page: the signature page is signed on its own.
    setup_print(ws, lang, header_row=header_row, landscape=True, running_title=title)
    return ws, end


def _signatures(ws, row: int, columns, formats: dict, lang: Lang, township: str, village: str) -> int:
    """村"两委" (a 社区's 社区"两委"), verifier and date a blank row below `row`, spread over the width
    of the table, with room to sign. Returns the row after them."""
    words = issuer_places(township, village, lang)  # the seal of the place's own committees
    texts = [label(key, lang, **words) for key in ("sign_committee", "sign_verifier", "sign_date")]
    return signature_lines(ws, row, [w for _, w, _ in columns], texts, formats["sign"])


def _doubted(rows: ColumnLists) -> int:
    """How many households of a list have a doubt of their own data (data_doubts)."""
    return int(np.count_nonzero(np.asarray(rows.column("data_doubts"), dtype=object) != "")) if len(rows) else 0


@dataclass(frozen=True)
class ListContext:
    """What every village's workbook prints besides its own rows: plain data, so that a task can be
    sent to the helper process that writes some of the workbooks."""

    rule: str  # rule_line
    lower: object  # the lower bound's value ('' without one), as the below-the-line note prints it
    lang: Lang
    rosters: bool = False  # the run matched rosters: a 疑点 column and the 核实清单 sheet
    unmasked: bool = False  # --no-mask: whole IDs and phones, the county's own copy (said on the list)
    register: bool = False  # --register: the county's working lists, not the meeting's form (keeps_register)

    @classmethod
    def of(cls, result: Result, lang: Lang, mask: bool = True) -> ListContext:
        lower = result.bounds.lower.value if result.bounds.lower else ""
        return cls(rule_line(result, lang, with_id=False), lower, lang,
                   rosters=result.rosters is not None, unmasked=not mask, register=keeps_register(result))


def write_village_workbook(context: ListContext, path: Path, township: str, village: str,
                           tables: dict[str, ColumnLists], unplaced: bool = False, blank_income: int = 0,
                           excluded: tuple[int, str] | None = None) -> None:
    """One village's workbook from its lists of `village_tables` (a status it lacks is an empty list).
    `unplaced`: the invalid households whose village cannot be told (likely_villages), for the township
    to place: titled so, its 数据有误待核实 sheet the one shown (it has no candidate and no household
    below the line). `blank_income`: how many of the village's households have incomes left blank and
    read as 0 in a finding that decides households (blank_income_households), said above its lists
    (the finding itself is in the run's quality report: a village's fix list is check's). `excluded`:
    the households an authoritative roster took off the village's lists (roster_excluded), said above
    its candidate list."""
    lang = context.lang
    labels = messages().labels
    place = {"township": place_name(township, lang, "unknown_township"),
             "village": place_name(village, lang, "fix_unplaced_village" if unplaced else "unknown_village")}
    if not context.unmasked:  # an ID read as the village (a row pasted in another column order) masked
        place = {key: mask_in_string(value) for key, value in place.items()}
    named = place["township"] + place["village"]  # where a long title breaks (zh: 合隆镇前岗村 | 贫困边缘户…)
    rule = context.rule
    book = new_workbook(path, fixed_scale=True, small=True)
    formats = cell_formats(book, lang)
    nobody = ColumnLists({}, 0)

    rows = tables.get("candidate", nobody)
    # The village's 村民小组 width, the same on each of its lists (group_widths).
    group_width = next((t.column("group_width")[0] for t in tables.values() if len(t)), 0)
    lines = [rule, labels["list_count"](lang).format(count=len(rows))]
    if context.register:  # not the paper to review or sign: the register prints the meeting's own
        lines.insert(0, label("list_working_note", lang))
    if context.unmasked:  # a copy that must not leave the county office says so on its face
        lines.insert(0, label("list_unmasked", lang))
    flagged = tables.get("verify", nobody)
    if context.rosters:  # whether to look for a 核实清单: a village with nothing to verify has none
        lines.append(label("list_verify_some" if len(flagged) else "list_verify_none", lang, count=len(flagged),
                           sheet=label("sheet_roster_verify", lang),
                           this_place=issuer_places(township, village, lang)["this_place"]))
    if excluded:  # a household the survey put on a list and a roster took off it is named, not dropped
        lines.append(label("list_roster_excluded", lang, count=excluded[0], households=excluded[1],
                           this_place=issuer_places(township, village, lang)["this_place"]))
    # Blanks read as 0 in the whole village or column mark no household, yet may hide a real income.
    blanks = [label("list_blank_income", lang, count=blank_income)] if blank_income else []
    lines += blanks
    doubted = _doubted(rows)
    if doubted:
        lines.append(label("list_doubts", lang, count=doubted, column=label("doubts", lang)))
    columns = sized_columns(candidate_columns(context.rosters or doubted > 0, context.register), group_width)
    heights = rows.column("height")
    title = labels["list_title_working" if context.register else "list_title"](lang).format(**place)
    candidates, end = _sheet(book, labels["sheet_candidates"](lang), title, lines,
                             columns, rows, formats, lang, heights=heights, place=named)
    stop = end if context.register else _signatures(candidates, end, columns, formats, lang, township, village)
    print_signed(candidates, [w for _, w, _ in columns], len(lines) + 1, end, stop, heights, row=DATA_ROW_HEIGHT)

    # A sheet of nobody stays in the workbook (its tab says so) but hidden: printed whole, a village of
    # no invalid and no below-line household took two pages of (无) (an outside try).
    rows = tables.get("invalid", nobody)
    lines = [rule, labels["invalid_note"](lang).format(count=len(rows))]
    title = labels["list_title_invalid"](lang).format(**place)
    if unplaced:  # no village's list: the township's, to find each household's village first
        title = label("list_title_invalid_unplaced", lang, township=place["township"])
        lines.append(label("invalid_unplaced_note", lang))
    ws, _ = _sheet(book, labels["sheet_invalid"](lang), title, lines,
                   sized_columns(INVALID_COLUMNS, group_width), rows, formats, lang, heights=rows.column("height"), place=named)
    if unplaced:  # no meeting reviews it: opened on its households, the empty candidate list hidden
        ws.activate()
        candidates.hide()
    elif not len(rows):
        ws.hide()

    below = tables.get("below_line", nobody)
    lower = context.lower
    lines = [rule, labels["below_line_note" if lower != "" else "below_line_note_no_lower"](lang)
             .format(count=len(below), lower=lower)] + blanks
    doubted = _doubted(below)
    if doubted:  # a household referred to the poverty procedure on figures in doubt (typed in 万元) says so
        lines.append(label("list_doubts", lang, count=doubted, column=label("doubts", lang)))
    ws, _ = _sheet(book, labels["sheet_below_line"](lang), labels["list_title_below_line"](lang).format(**place),
                   lines, sized_columns(BELOW_LINE_COLUMNS_DOUBTS if doubted else BELOW_LINE_COLUMNS, group_width),
                   below, formats, lang, heights=below.column("height"), place=named)
    if not len(below):
        ws.hide()

    if context.rosters and len(flagged):
        lines = [labels["verify_note"](lang).format(count=len(flagged))]
        heights = flagged.column("height")
        columns = sized_columns(VERIFY_COLUMNS, group_width)
        ws, end = _sheet(book, labels["sheet_roster_verify"](lang), labels["list_title_verify"](lang).format(**place),
                         lines, columns, flagged, formats, lang, heights=heights, place=named)
        stop = _signatures(ws, end, columns, formats, lang, township, village)
        print_signed(ws, [w for _, w, _ in columns], len(lines) + 1, end, stop, heights, row=DATA_ROW_HEIGHT)
    book.close()


def village_list_tasks(result: Result, folder: Path, *, lang: Lang = "zh", mask: bool = True) -> list[Task]:
    """One task per village (every village of the survey, also one with nobody listed) writing its
    review-list workbook into `folder`; the lists of all villages are made here, once. The invalid
    households are under the village their fix list goes to (_route_invalid): a village none of whose
    households stays (新立, each of its households invalid and on 新立村's list) has no workbook, and the
    invalid households whose village cannot be told are in their township's workbook named as the fix
    lists name theirs (合隆镇-未能确定所属村的农户.xlsx), unless a household of a blank 行政村 that is
    not invalid stays there too (合隆镇-(行政村未填).xlsx, its list for a meeting, as before)."""
    folder.mkdir(parents=True, exist_ok=True)
    households = result.households
    places = run_villages(result)
    tables = village_tables(list_rows(result, lang, mask, places))
    placed = placed_households(households, places)
    keys = village_keys(placed)
    invalid = (households["status"] == "invalid").to_numpy()
    kept = set(placed[~invalid].drop_duplicates().itertuples(index=False, name=None))  # the places, each once
    unplaced = [v == "" and (t, v) not in kept for t, v in keys]
    # Named over the villages as typed first (the names publicity/ gives them), those only the
    # routing makes after them: no village's name changes for it.
    named = pd.concat([households[["township", "village"]].fillna("").astype(str), placed], ignore_index=True)
    paths = village_paths(folder, keys, named, lang)
    if any(unplaced):
        apart = village_paths(folder, keys, named, lang, blank_village="fix_unplaced_village")
        paths = [other if alone else path for path, other, alone in zip(paths, apart, unplaced)]
    context = ListContext.of(result, lang, mask)
    blanks = blank_income_households(result, placed)
    excluded = roster_excluded(result, placed, lang, mask)
    return [("write_villages", write_village_workbook,
             (context, path, t, v, tables.get((t, v), {}), alone, blanks.get((t, v), 0), excluded.get((t, v))))
            for path, (t, v), alone in zip(paths, keys, unplaced)]


def blank_income_households(result: Result, placed: pd.DataFrame) -> dict[tuple[str, str], int]:
    """Per village (as `placed`, placed_households): how many of its households have an income component
    left blank and read as 0 within a systemic finding that decides households (systemic.deciding: a
    whole village leaving its 0s blank, a column blank in most rows). Such a finding marks no household,
    and a real income left blank hides among its blanks (an outside try: a wage left blank in a village
    that writes no 0, the household a candidate, its list silent)."""
    found = result.systemic()
    if not len(found.findings):
        return {}
    index = result.issue_index
    at = np.flatnonzero(found.of_issue >= 0)
    at = at[deciding(found.findings)[found.of_issue[at]]]
    at = at[index["field"].iloc[at].isin(list(result.rule_set.income.components)).to_numpy(dtype=bool)]
    if not len(at):
        return {}
    hh = np.unique(index["hh"].to_numpy(dtype=np.int64)[at])
    counts = placed.iloc[hh].value_counts()
    return {key: int(n) for key, n in counts.items()}


def roster_excluded(result: Result, placed: pd.DataFrame, lang: Lang, mask: bool) -> dict[tuple[str, str], tuple[int, str]]:
    """Per village (as `placed`, placed_households): the households an authoritative roster took off its
    lists, (how many, each named: head, group and masked ID, the roster), for the line above its candidate
    list. Only those the survey alone put on a list (candidate, below the line, invalid): a household
    the survey itself excluded, or above the limit, was on none. Counted on the terminal and in
    quality.xlsx, such a household left the village's list without a word (an outside try)."""
    households = result.households
    if result.rosters is None or "status_without_rosters" not in households:
        return {}
    status = households["status"].to_numpy(dtype=object)
    was = households["status_without_rosters"].to_numpy(dtype=object)
    at = np.flatnonzero((status != was) & texts_among(was, LISTED))
    if not len(at):
        return {}
    people = people_columns(households.iloc[at], mask, lang)
    # The roster by the exclusion it decided: one kind per exclusion (低保 roster → excluded_dibao).
    rosters = {EXCLUSION_STATUS[k.exclusion]: label(f"roster_short_{k.code}", lang)
               for k in rosters_catalogue().kind if k.exclusion}
    group = people["group"].fillna("").astype(str).to_numpy(dtype=object)
    ids = people["masked_id"].fillna("").astype(str).to_numpy(dtype=object)
    where = np.where(group != "", group + " " + ids, ids).astype(object)
    named = np.array(filled(messages().labels["list_roster_excluded_household"](lang), pd.DataFrame({
        "name": people["head_name"].to_numpy(dtype=object), "where": where,
        "roster": pd.Series(status[at]).map(rosters).fillna("").to_numpy(dtype=object)})), dtype=object)
    village = placed.iloc[at]
    code, keys = pd.factorize(pd.MultiIndex.from_arrays([village["township"], village["village"]]))
    joined = joined_per_key(code, named, label("list_sep", lang))
    counts = np.bincount(code)
    return {tuple(keys[i]): (int(counts[i]), text) for i, text in zip(joined.index.tolist(), joined.tolist())}


def write_village_lists(result: Result, folder: Path, *, lang: Lang = "zh", mask: bool = True,
                        helper: WriterHelper | None = None) -> list[Path]:
    """Write one review-list workbook per village into `folder`; returns their paths. Where the
    system can fork, two processes share the villages (see runtime.py): each workbook costs
    milliseconds to pack, and a province has thousands."""
    tasks = village_list_tasks(result, folder, lang=lang, mask=mask)
    run_tasks(tasks, helper)
    return [args[1] for _, _, args in tasks]
