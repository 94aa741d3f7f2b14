"""信息比对: the rosters other departments hold, matched against every member of every household by ID.

    from edgescreen import screen
    from edgescreen.rosters import RosterSpec
    result = screen(["县.xlsx"], rosters=[RosterSpec.parse("低保=低保对象名单.xlsx")])
    result.rosters.matches          # one row per (household, person, roster) matched

A roster is any spreadsheet or CSV the survey reader accepts (read.read_table_file, with the header
found as a survey's is, data/rosters.toml naming its columns). Only its ID, name, place and the
kind's date column are read: nothing else of a roster can reach an output. IDs are normalised as the
survey's, a 15-digit ID becomes 18 (19 inserted after the region code, the check character
computed); an ID that is still not valid is a fact about the roster, and the run goes on.

Matching is exact on normalised IDs, one merge per roster: over every member's ID where members are
given, and the head's (otherwise the head's alone). What a match does is the rule set's
([rosters]: authoritative, flag or support; RuleSet.roster_effect). A cadre_relative roster may list
relatives by name alone: a name in the same village is a weaker lead (同村同名), kept apart from the
matches and never one of them.

A returned 信息比对申请名单 (outputs/request.py: the list of every person the county sent, which the
department gives back with its 比对结果 filled) is a roster like any other, known by that column
(rosters.toml [columns.result]) or by the list's identity: only its rows answered yes ([answers]) are
on the roster, and it covers exactly the households it lists (Roster.listed_ids), not the places it
names. A row answered neither yes nor no (Roster.unclear_rows), or left blank where the list answers no
elsewhere (Roster.unanswered_rows), leaves its household not covered and a lead, 比对结果待查
(RosterRun.pending). A yes whose 备注 says the case stopped is not matched. One list under two kinds,
and its answers under a header not known, are refused.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from .catalogue import FieldSpec, Lines, Phrase, RosterKind, answer_key, code_key, fields, label, rosters_catalogue
from .cells import affirmed
from .texts import keys_among, texts_among
from .identity import identity_from_cells, row_hashes
from .request_rows import HASHED, request_rows
from .checks import (add_naming_another_row, another_in_group, excel_column_like, id_faults, id_keys, ids_of_18,
                     valid_ids)
from .dates import DAY, EXPORTED_DAY, YEAR_MONTH, arabic_numerals, exported_day
from .errors import InputError, UsageError
from .header import ColumnRef, Table, field_named, household_table, normalise_header, roster_table
from .inputs import IDENTITY_SHEET, REQUEST_STEP, identity_facts  # the request list's identity (outputs/request.py)
from .issues import IssueLog
from .id_masks import mask_id
from .members import People, people, relation_groups
from .normalise import normalise_id, normalise_place, normalise_text, parse_money
from .read import (PERSONS_TABLE, PLACE_FIELDS, FileSource, InputFile, ReadHere, ReadJob, WorkbookSource, headers_seen,
                   sheets_looked_at)
from .rules import RuleSet

# The households frame's column of the kinds that matched each household (';'-joined, '' for none).
FLAGS_COLUMN = "roster_flags"
# RosterRun.unmatched: the members no roster could match, their ID being blank or not valid.
UNMATCHED_COLUMNS = ["hh", "member", "name", "relation", "same_name"]
# RosterRun.unlisted: the households whose members listed are fewer than their 家庭人口数.
UNLISTED_COLUMNS = ["hh", "missing"]
# Roster.unclear_rows: a returned list's rows whose 比对结果 is neither yes nor no.
UNCLEAR_COLUMNS = ["sheet", "row", "word"]
UNANSWERED_COLUMNS = ["sheet", "row", "township", "village"]
NOTED_COLUMNS = ["sheet", "row", "note"]
# RosterRun.pending: the people of a returned list whose answer is not known, by household.
PENDING_COLUMNS = ["hh", "member", "name", "relation", "roster", "kind"]
# A person of the survey named on an authoritative roster's row whose ID cannot be read (RosterRun.unreadable).
UNREADABLE_COLUMNS = ["hh", "member", "name", "relation", "roster", "kind", "sheet", "row"]
# Roster.left_people: a roster's rows of people who have left, with their valid ID.
LEFT_PEOPLE_COLUMNS = ["sheet", "row", "id"]
# RosterRun.disagreeing: a person of the survey in force on one roster of a kind and left on another of it.
DISAGREEING_COLUMNS = ["hh", "member", "id", "name", "relation", "kind", "roster", "sheet", "row",
                       "left_roster", "left_sheet", "left_row"]
# The survey's yes/no field of each exclusion a roster kind applies (rosters.toml `exclusion`).
EXCLUSION_FIELDS = {"dibao": "is_dibao", "tekun": "is_tekun", "registered_poor": "is_registered_poor"}


@dataclass(frozen=True)
class RosterSpec:
    """A roster as the command line gives it: `KIND=FILE` (KIND a code or an alias of rosters.toml)."""

    kind: str
    path: Path

    @classmethod
    def parse(cls, text: str) -> RosterSpec:
        word, sep, path = str(text).partition("=")
        catalogue = rosters_catalogue()
        if not sep or not word.strip() or not path.strip():
            raise UsageError("roster_option_form", given=repr(str(text)), kinds=_kind_list())
        kind = catalogue.kind_of(word.strip())
        if kind is None:
            raise UsageError("roster_kind_unknown", kind=repr(word.strip()), kinds=_kind_list())
        return cls(kind, Path(path.strip()))


def _kind_list() -> str:
    return ", ".join(f"{k.code}({k.aliases[0]})" if k.aliases else k.code for k in rosters_catalogue().kind)


def _no_rows() -> pd.DataFrame:
    """No roster rows: sheet, row (a Roster field's frame when none are said)."""
    return pd.DataFrame({"sheet": [], "row": []})


def _no_dated_rows() -> pd.DataFrame:
    """No roster rows, with the date each would carry (_no_rows and a date)."""
    return pd.DataFrame({"sheet": [], "row": [], "date": []})


@dataclass
class Roster:
    """One roster as read: where it came from, its kind and effect under the rule set, and per row
    read (totals and footers left out) its normalised ID, whether that ID is valid, blank or was
    converted from 15 digits, and the name, place and date where the roster has them."""

    kind: str
    effect: str
    record: InputFile
    rows: pd.DataFrame  # sheet, row, id, valid, blank, fault (checks.id_faults), converted, name, …, date
    # Sheets whose name says their people have left the roster (RosterKind.left), not matched: (sheet, rows).
    left_sheets: list[tuple[str, int]] = field(default_factory=list)
    # Rows whose state (保障状态) says so, not matched either: sheet, row.
    left_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Sheets of a workbook of several whose name says they are another kind's roster (民政's workbook
    # of 低保对象, 特困人员 and 残疾人 sheets), not matched as this one: (sheet, rows, that kind).
    other_sheets: list[tuple[str, int, str]] = field(default_factory=list)
    # Rows whose date (a death's) is after the day the screen is as of, not matched: sheet, row, date.
    later_rows: pd.DataFrame = field(default_factory=_no_dated_rows)
    # Rows whose reason holds none of the kind's `only` words (a 户籍注销 row for one who moved away),
    # not matched: sheet, row.
    other_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Rows whose reason holds one of the kind's `exempt` words (a tractor on the vehicle register), not
    # matched: sheet, row.
    exempt_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Rows whose amount reads below the kind's `at_least` (120 yuan of 个人自付), not matched: sheet, row.
    small_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Rows whose case stopped (停保日期) on or before the screen's day, not matched: sheet, row, date.
    stopped_rows: pd.DataFrame = field(default_factory=_no_dated_rows)
    # Rows whose period (在保起止日期) ended before the screen's day, matched all the same: sheet, row, date.
    expired_rows: pd.DataFrame = field(default_factory=_no_dated_rows)
    # A death register's rows dated by their 注销日期, the 死亡日期 blank or missing (_death_dates): sheet, row.
    cancelled_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Rows whose period is given and reads as none (2017年度): matched, their household's match said
    # (roster_period_unread): sheet, row.
    unread_period_rows: pd.DataFrame = field(default_factory=_no_rows)
    # Rows whose case stopped (停保日期) after the screen's day, a 停保 state or remark beside it or not:
    # on the roster that day, so matched, and said: sheet, row, date.
    stopped_later_rows: pd.DataFrame = field(default_factory=_no_dated_rows)
    # The columns of the sheets read that hold a person's ID by their header and were not read (a death
    # register's 申报人身份证号; a shareholder's beside the person's own ID, but on a company register):
    # (sheet, column), for the roster's fact to name, so that a clerk sees whose IDs were left.
    unread_id_columns: list[tuple[str, ColumnRef]] = field(default_factory=list)
    # The places the roster has rows for, the rows left out above too (a village whose one row is 停保 is
    # still a village it covers): the distinct county, township and village as normalised; and the
    # sheets its people are on (the sheets of those left and of another kind aside). _covered.
    places: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"county": [], "township": [], "village": []}))
    sheets: tuple[str, ...] = ()
    # A returned request list's rows answered neither yes nor no (待查), not matched: sheet, row, word.
    unclear_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNCLEAR_COLUMNS))
    # A returned request list's valid IDs, every row whatever its answer: the people it was asked about,
    # whose households it covers (RosterRun.covers); None for any other roster.
    listed_ids: np.ndarray | None = None
    # The request the list answers (its identity's doc_id), where the list still carries it.
    request_id: str | None = None
    # The rows the list was sent with, as its identity keeps them (key, hash: outputs/request._identity),
    # and the language they were printed in; None where the list carries no identity table.
    sent: pd.DataFrame | None = None
    sent_lang: str = "zh"
    # The rows given back on the list's sheets that name a person (an ID or a name), and whether they
    # answer 否 anywhere: where they do, the department answered row by row, and a row deleted was not
    # answered; where they do not (its hits alone kept), a row deleted is its 否 (RosterRun.covers).
    returned: int = 0
    answers_no: bool = False
    # A returned list's valid IDs whose answer is not known (unclear_rows, unanswered_rows): their
    # households are not taken as checked (RosterRun.covers) and carry the lead 比对结果待查 (RosterRun.pending).
    unsure_ids: np.ndarray | None = None
    # Rows with an ID left blank where the list answers no elsewhere (not answered): sheet, row, the
    # list's township and village ('' where it has none).
    unanswered_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNANSWERED_COLUMNS))
    # Rows whose answer has a note in brackets (是(2019年起)), read as the word before it: sheet, row, word.
    bracketed_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNCLEAR_COLUMNS))
    # Rows answered yes with a remark in 备注: sheet, row, the remark (quality.xlsx quotes its first words,
    # masked); those whose remark says the
    # case stopped (the kind's `left` words), not matched, likewise.
    noted_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOTED_COLUMNS))
    note_left_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOTED_COLUMNS))
    # Any other roster without a state column: rows whose 备注 (变更原因) says the case stopped, not
    # matched: sheet, row, the remark.
    note_stopped_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NOTED_COLUMNS))
    # The rows left out as people who have left (a left sheet, a state, a remark, a stop date) whose ID is
    # valid: sheet, row, id. Read only to compare two rosters of one kind (_same_kind_once, _disagreeing);
    # reaches no output.
    left_people: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEFT_PEOPLE_COLUMNS))
    # The file of an earlier roster of this kind whose people, as read, are this one's (the same list
    # sent by two offices, or given twice re-saved): said once as such, its people counted once.
    same_as: str | None = None

    @property
    def returned_list(self) -> bool:
        """Whether this roster is a returned 信息比对申请名单 (its 比对结果 read)."""
        return self.listed_ids is not None

    @property
    def not_returned(self) -> int:
        """The rows of a returned list fewer than it was sent with: the department deleted them (its 否
        left out, a common practice). 0 where nothing is missing or the list keeps no identity table."""
        return max(len(self.sent) - self.returned, 0) if self.sent is not None and self.returned_list else 0

    @property
    def path(self) -> Path:
        return self.record.path

    @property
    def sha256(self) -> str:
        return self.record.sha256

    @property
    def invalid(self) -> pd.DataFrame:
        """The rows whose ID is given but not valid (after a 15-digit one's conversion)."""
        return self.rows[~self.rows["valid"] & ~self.rows["blank"]]

    @cached_property
    def ids(self) -> int:
        """Distinct valid IDs on the roster (counted once: the reports ask more than once)."""
        return int(self.rows.loc[self.rows["valid"], "id"].nunique())

    @cached_property
    def sheet_rows(self) -> int:
        """The rows of the roster's sheets read, each once: `rows` is one per person, and a row may list
        two (a cadre beside the relative, a company's legal representative beside a shareholder) or a
        cell several IDs."""
        return int(len(self.rows[["sheet", "row"]].drop_duplicates())) if len(self.rows) else 0


# A header that names a person's ID, whatever person (申报人身份证号, 联系人证件号码): rosters.toml names
# the persons read; a column so headed and not read is named in the roster's fact (Roster.unread_id_columns).
_ID_HEADER = re.compile("身份证|证件号|身份号码|身份证明号码")


# The kinds every person of whose rows is on the roster: a company register's shareholder (股东, 投资人 …:
# the ID column's loose names) as well as its legal representative (rosters._other_persons).
EVERY_PERSON_KINDS = ("company",)


def roster_job(spec: RosterSpec) -> ReadJob:
    """A roster file to read: every sheet with an ID column, hidden sheets too (a roster is the
    department's, not a form a clerk copied); a company register's shareholders in the same read
    (_persons_table)."""
    persons = (_persons_table(spec.kind),) if spec.kind in EVERY_PERSON_KINDS else ()
    return ReadJob(spec.path, (roster_table(spec.kind), *persons), include_hidden=True)


# A cell listing several people's IDs (a household's row of a 建档立卡 export: 2201…3056、2201…3214):
# split at these marks, where every part has an ID's shape.
_ID_LIST_MARK = r"[、,，;；/／\n]+"
_ID_SHAPE = r"\s*'?[0-9]{15}(?:[0-9]{2}[0-9Xx])?\s*"


def _given(cells: pd.DataFrame, column: str) -> np.ndarray:
    """Which rows hold something in `column` (spaces alone are nothing)."""
    return (cells[column].fillna("").astype(str).str.strip() != "").to_numpy(dtype=bool)


def _heads_where_no_ids(cells: pd.DataFrame) -> pd.DataFrame:
    """The head's ID and name (户主身份证号, 户主姓名) as the row's: on each sheet whose ID column
    (成员身份证号) is blank on every row, a household-level export that has the members' columns and
    leaves them empty; and on a row naming no member at all, neither ID nor name (a household's row
    above its members' rows, or a household of one on 低保 alone). A member's row keeps its own ID
    (a member-level export repeats the head's ID on each member's row). The head's own row of a
    member-level export whose 身份证号 is left blank (_own_head_rows) takes the head's ID, keeping its
    name: left blank, the head would be matched by no one and the household stay a candidate."""
    if "head_id" not in cells.columns or not len(cells):
        return cells
    sheet = cells["sheet"].fillna("").astype(str)
    blank, heads = ~_given(cells, "id"), _given(cells, "head_id")
    by_sheet = pd.DataFrame({"sheet": sheet, "blank": blank, "heads": heads}).groupby("sheet", sort=False)
    no_member = blank & heads & (~_given(cells, "name") if "name" in cells.columns else True)
    take = (by_sheet["blank"].transform("all") & by_sheet["heads"].transform("any")).to_numpy(dtype=bool) | no_member
    own = blank & heads & ~take & _own_head_rows(cells)
    if not (take | own).any():
        return cells
    cells = cells.copy()
    cells.loc[take | own, "id"] = cells.loc[take | own, "head_id"]
    if "head_name" in cells.columns:
        cells.loc[take, "name"] = cells.loc[take, "head_name"]
    return cells


def _own_head_rows(cells: pd.DataFrame) -> np.ndarray:
    """Per row, whether it is the head's own (of a row beside a 户主身份证号): its 与户主关系 says 户主;
    or, no other relation said, its name is the 户主姓名's; or, neither a relation nor a name saying
    another person, it is the only row of that head's ID (a household of one). A row that says another
    relation (配偶) or another name is never the head's: a wrong head would be excluded on a member's case."""
    n = len(cells)
    if "relation" in cells.columns:
        groups = relation_groups(normalise_text(cells["relation"]).fillna("").to_numpy(dtype=object))
    else:
        groups = np.full(n, "", dtype=object)
    said_head, said_other = groups == "head", (groups != "") & (groups != "head")
    same = differs = np.zeros(n, dtype=bool)
    if "name" in cells.columns and "head_name" in cells.columns:
        both = _given(cells, "name") & _given(cells, "head_name")
        alike = _name_key(cells["name"].fillna("")) == _name_key(cells["head_name"].fillna(""))
        same, differs = both & alike, both & ~alike
    head = normalise_id(cells["head_id"]).fillna("")
    alone = (head.map(head.value_counts()) == 1).to_numpy(dtype=bool)
    return said_head | (~said_other & same) | (~said_other & ~differs & alone)


def _persons_table(kind: str) -> Table:
    """The roster table of `kind` whose ID and name are the loose ones alone (股东证件号码, 股东名称):
    read beside the plain table from the same cells (read.PERSONS_TABLE), it gives the row's other
    person (_other_persons)."""
    table = roster_table(kind)
    plain = {"id", "name"}
    fields_ = tuple(f.model_copy(update={"header": f.loose[0], "aliases": f.loose[1:], "loose": ()})
                    if f.name in plain and f.loose else f for f in table.fields)
    return replace(table, kind=PERSONS_TABLE, fields=fields_)


def _other_persons(record: InputFile, cells: pd.DataFrame, others: list[pd.DataFrame]
                   ) -> tuple[pd.DataFrame, set[tuple[str, int]]]:
    """A company register's rows (EVERY_PERSON_KINDS) and, where a sheet has a shareholder's or an
    investor's ID column beside the legal representative's (the ID's loose names: not read by the
    roster's table, but by _persons_table in the same read, `others`), a row of that person's ID and
    name too (the same sheet and row): each is on the roster. Also the columns so read (sheet, column
    index), no longer 'not read'. Two such columns on one sheet are one field twice: neither read, and
    both named in the roster's fact with why (_unread_id_columns)."""
    if not others or not len(cells):
        return cells, set()
    others = pd.concat(others, ignore_index=True)
    others = others[_given(others, "id")]
    # The same person in both columns of a row (a legal representative who is a shareholder) is one.
    key = cells["sheet"].fillna("").astype(str) + "|" + cells["row"].astype(str) + "|" + normalise_id(cells["id"]).fillna("")
    theirs = others["sheet"].fillna("").astype(str) + "|" + others["row"].astype(str) + "|" \
        + normalise_id(others["id"]).fillna("")
    others = others[~theirs.isin(set(key)).to_numpy(dtype=bool)]
    read = {(sheet.name, sheet.columns["id"].index) for sheet in record.beside_sheets if "id" in sheet.columns}
    joined = pd.concat([cells, others[[c for c in others.columns if c in cells.columns]]], ignore_index=True)
    return joined, read


@dataclass(frozen=True)
class RefusedColumns:
    """A sheet's shareholder ID columns that its shareholders' table (_persons_table) was refused on
    (two of them: one field twice), as the roster's fact names them among the ID columns not read
    (Roster.unread_id_columns): the columns, and the reader's own words of why."""

    columns: tuple[ColumnRef, ...]
    why: InputError

    def render(self, lang) -> str:
        return label("roster_persons_refused", lang, columns=label("list_sep", lang).join(
            c.render(lang) for c in self.columns), why=self.why.message(lang))


def _unread_id_columns(record: InputFile, others_read: set[tuple[str, int]]) -> list:
    """The ID columns of the roster's sheets not read (Roster.unread_id_columns): by their header, or
    a loose ID column no table read. Those of a sheet where the shareholders' table was refused are
    named together, with why (RefusedColumns): a refusal is said, never dropped."""
    refused = dict(record.beside_refused)
    unread = []
    for sheet in record.sheets:
        loose = [ref for ref in sheet.unknown_columns if ref.field == "id" and (sheet.name, ref.index) not in others_read]
        if sheet.name in refused and loose:
            unread.append((sheet.name, RefusedColumns(tuple(loose), refused[sheet.name])))
        unread += [(sheet.name, ref) for ref in sheet.unknown_columns
                   if (sheet.name, ref.index) not in others_read and not (sheet.name in refused and ref in loose)
                   and (ref.field == "id" or _ID_HEADER.search(normalise_header(ref.header)))]
    return unread


def _also_listed(cells: pd.DataFrame) -> pd.DataFrame:
    """The roster's rows and, where a row names a second person who is on the roster too (the cadre
    beside the relative: RosterKind.also), a row of that person's ID and name (the same sheet and row)."""
    if "also_id" not in cells.columns or not len(cells):
        return cells
    # The same person in both columns of a row (a legal representative who is a shareholder) is one.
    given = _given(cells, "also_id") & (normalise_id(cells["also_id"]).fillna("").to_numpy(dtype=object)
                                        != normalise_id(cells["id"]).fillna("").to_numpy(dtype=object))
    if not given.any():
        return cells
    also = cells[given].copy()
    also["id"] = also["also_id"]
    if "also_name" in also.columns:
        also["name"] = also["also_name"]
        # The cadre's own row names no cadre: his relatives' rows do (cadres_of).
        also["also_name"] = pd.array([""] * len(also), dtype=cells["also_name"].dtype)
    elif "name" in also.columns:
        also["name"] = pd.array([""] * len(also), dtype=cells["name"].dtype)
    return pd.concat([cells, also], ignore_index=True)


def _one_id_per_row(cells: pd.DataFrame) -> pd.DataFrame:
    """The roster's rows with a cell of several IDs made one row per ID (the same sheet and row); the
    name cell split alike where it names as many people, else left blank for those rows (which name
    is whose is not known, and a wrong pairing would say "another person")."""
    raw = cells["id"].fillna("").astype(str)
    several = raw.str.fullmatch(f"{_ID_SHAPE}(?:{_ID_LIST_MARK}{_ID_SHAPE})+").to_numpy(dtype=bool)
    if not several.any():
        return cells
    listed = cells[several].copy()
    ids = raw[several].str.strip().str.split(_ID_LIST_MARK, regex=True)
    if "name" in listed.columns:
        names = listed["name"].fillna("").astype(str).str.strip().str.split(_ID_LIST_MARK, regex=True)
        same = (names.str.len() == ids.str.len()).to_numpy(dtype=bool)
        listed["name"] = [n if ok else [""] * len(i) for n, i, ok in zip(names, ids, same)]
    listed["id"] = ids.to_numpy(dtype=object)
    spread = listed.explode(["id", "name"] if "name" in listed.columns else ["id"])
    spread["id"] = pd.array(spread["id"].to_numpy(dtype=object), dtype=cells["id"].dtype)
    if "name" in spread.columns:
        spread["name"] = pd.array(spread["name"].to_numpy(dtype=object), dtype=cells["name"].dtype)
    return pd.concat([cells[~several], spread]).sort_index(kind="stable").reset_index(drop=True)


def read_roster(spec: RosterSpec, rules: RuleSet, *, as_of: dt.date | None = None,
                workbooks: WorkbookSource | None = None, files: FileSource | None = None) -> Roster:
    """Read one roster file (every sheet with an ID column; hidden sheets too: a roster is the
    department's, not a form a clerk copied). Raises InputError for a file that cannot be read or
    has no ID column."""
    path = spec.path
    if not path.is_file():
        raise InputError("roster_missing", path=str(path), roster=Phrase(f"roster_name_{spec.kind}"))
    roster = Phrase(f"roster_name_{spec.kind}")
    try:
        frames, record = (files or ReadHere()).read(roster_job(spec), workbooks)
    except InputError as e:
        if e.key != "file_not_a_table":
            raise
        # A PDF or a scan of the department's list: asked of the department, not of a township's survey.
        raise InputError("roster_not_a_table", roster=roster, **e.params) from None
    request_id = _request_identity(path, record)
    own = [f for t, f in frames if t.kind != PERSONS_TABLE]  # a company register's shareholders aside
    if not own:
        seen = [headers_seen(s) if s.name == "" else Phrase("roster_headers_seen_sheet", sheet=s.name,
                                                               headers=headers_seen(s))
                for s in record.unread_sheets]
        raise InputError("roster_no_id_column", file=path.name, roster=roster, sheets=sheets_looked_at(record),
                         seen=seen or Phrase("roster_headers_none"))
    # A sheet listing people under an ID header not recognised: its people would silently go
    # unmatched (an authoritative roster's, wrongly left candidates): refused, never only said.
    for sheet in record.unread_sheets:
        if sheet.id_cells:
            raise InputError("roster_sheet_no_id_column", file=path.name, roster=roster, sheet=sheet.name,
                             count=f"{sheet.id_cells:,}", column=sheet.id_column, seen=headers_seen(sheet))
    kind = rosters_catalogue().by_code[spec.kind]
    if not kind.incomes:
        _refuse_a_survey(record, rules, path, roster)
    cells = own[0] if len(own) == 1 else pd.concat(own, ignore_index=True)
    cells, others_read = _other_persons(record, cells, [f for t, f in frames if t.kind == PERSONS_TABLE])
    unread_id_columns = _unread_id_columns(record, others_read)
    answered = _answered_yes(cells, record, path, roster, request_id is not None, as_of, kind.left, spec.kind)
    cells = answered.cells
    if answered.listed is None:
        _refuse_answers_unnamed(spec, record, cells, path, roster)
    _refuse_state_unnamed(spec.kind, kind.left, record, cells, path, roster)
    day = as_of or dt.date.today()
    before_left = cells
    note_stopped_rows = None
    if answered.listed is None:  # a returned list's remarks are read beside its answers (_answered_yes)
        cells, note_stopped_rows = _without_noted_stops(cells, kind.left, day)
    cells, left_sheets = _without_left_sheets(cells, kind.left)
    cells, other_sheets = _without_other_kinds_sheets(cells, spec.kind)
    places = _places_of(cells)
    sheets = tuple(pd.unique(cells["sheet"].fillna("").astype(str)))
    cells, left_rows = _without_left_rows(cells, kind.left, day)
    cells, other_rows = _without_other_reasons(cells, kind.only)
    cells, exempt_rows = _without_exempt_rows(cells, kind)
    cells, small_rows = _without_small_amounts(cells, kind.at_least)
    cells, cancelled_rows = _death_dates(cells) if kind.date is not None else (cells, _no_rows())
    cells, stopped_rows, stopped_later_rows = _without_stopped_rows(cells, day)
    left_people = _left_people(before_left, as_of, [name for name, _ in left_sheets], left_rows, stopped_rows,
                               note_stopped_rows)
    expired_rows, unread_period_rows = _expired_rows(cells, day)
    cells = _one_id_per_row(_also_listed(_heads_where_no_ids(cells)))
    n = len(cells)

    def text(name: str) -> np.ndarray:
        if name not in cells.columns:
            return np.full(n, "", dtype=object)
        normalised = normalise_place if name in PLACE_FIELDS else normalise_text
        return normalised(cells[name]).fillna("").to_numpy(dtype=object)

    typed = normalise_id(cells["id"]).fillna("")
    # A 残疾人证号 is the holder's ID followed by the 残疾类别 (1–7) and 等级 (1–4): the ID is its first 18.
    card = typed.str.fullmatch(r"[0-9]{17}[0-9X][1-7][1-4]").to_numpy(dtype=bool)
    typed = np.where(card, typed.str[:18], typed).astype(object) if card.any() else typed.to_numpy(dtype=object)
    if spec.kind == "disability":
        typed = _old_cards(typed, as_of)
    ids, converted = ids_of_18(typed)
    valid, _ = valid_ids(ids, as_of)
    fault = id_faults(ids, as_of)
    # A sheet's ID column Excel stored as numbers: its IDs ending in 000 that happen to pass the check
    # are such numbers too, another person's ID if matched.
    ends = pd.Series(ids, dtype=object).str.endswith("000").to_numpy(dtype=bool)
    like, _ = excel_column_like(ends, valid, ends & (fault == "id_excel_number"), ids != "",
                                lambda: cells["sheet"].fillna("").to_numpy(dtype=object))
    valid &= ~like
    fault[like] = "id_excel_number"
    dates = text("date")
    later = np.zeros(n, dtype=bool)
    if "date" in cells.columns and n:
        # An Excel date reads back as a date and time: the time of day is never part of a death
        # date. Once per distinct date.
        codes, distinct = pd.factorize(dates)
        distinct, days = _roster_days(distinct)
        # A date after the day the screen is as of (a death in December, the screen as of June): it had
        # not happened then, and the row is not matched. One that reads as no date is matched.
        if as_of is not None:
            later = (days > np.datetime64(as_of, "D"))[codes]
        dates = distinct[codes]
    rows = pd.DataFrame({"sheet": cells["sheet"].to_numpy(dtype=object), "row": cells["row"].to_numpy(),
                         "id": np.where(valid, ids, ""), "valid": valid, "blank": typed == "",
                         "fault": fault,
                         "converted": converted & valid, "name": text("name"), "county": text("county"),
                         "township": text("township"), "village": text("village"), "date": dates,
                         "cadre": text("also_name"),
                         "head_id": _row_heads(cells, as_of), "head_name": text("head_name"),
                         "kept": _kept_digits(typed, fault)})
    # Where the roster has no village column, the places its address names (住址 吉林省农安县青山口乡东升村):
    # read for its 同村同名 leads alone (_name_leads), never a place it covers nor shown.
    blank = np.full(n, "", dtype=object)
    rows["address_township"], rows["address_village"] = _address_places(text("address")) \
        if "village" not in cells.columns and "address" in cells.columns else (blank, blank)
    # An ID of 18 characters that is not valid (two digits swapped, the check character wrong), as typed:
    # compared with a person's of its name in its township (_township_leads); '' for any other row.
    slipped = np.isin(fault, ("id_check_digit", "id_birth_date"))
    rows["typed"] = np.where(slipped, ids, "").astype(object)
    later_rows = rows.loc[later, ["sheet", "row", "date"]].reset_index(drop=True)
    effect = rules.roster_effect(spec.kind)
    if effect == "authoritative":
        _refuse_no_valid_id(rows, path, roster)
        _refuse_excel_numbers(rows, record, path, roster)
    return Roster(kind=spec.kind, effect=effect, record=record,
                  rows=rows[~later].reset_index(drop=True) if later.any() else rows,
                  left_sheets=left_sheets, left_rows=left_rows, other_sheets=other_sheets, later_rows=later_rows,
                  other_rows=other_rows, stopped_rows=stopped_rows, expired_rows=expired_rows,
                  unread_period_rows=unread_period_rows, cancelled_rows=cancelled_rows,
                  stopped_later_rows=stopped_later_rows, unread_id_columns=unread_id_columns,
                  exempt_rows=exempt_rows, small_rows=small_rows, places=places, sheets=sheets,
                  left_people=left_people,
                  unclear_rows=answered.unclear_rows, listed_ids=answered.listed, request_id=request_id,
                  **(_sent_rows(path) if request_id is not None and answered.listed is not None else {}),
                  returned=answered.returned, answers_no=answered.answers_no,
                  unsure_ids=answered.unsure_ids, **{name: getattr(answered, name) for name in (
                      "unanswered_rows", "bracketed_rows", "noted_rows", "note_left_rows")
                      if getattr(answered, name) is not None},
                  **({"note_stopped_rows": note_stopped_rows} if note_stopped_rows is not None else {}))


def _row_heads(cells: pd.DataFrame, as_of: dt.date | None) -> np.ndarray:
    """Per roster row, the valid ID of the 户主 it names (户主身份证号), '' where it names none: a person
    counted in another family's case (match_rosters: _in_other_household)."""
    if "head_id" not in cells.columns:
        return np.full(len(cells), "", dtype=object)
    heads, _ = ids_of_18(normalise_id(cells["head_id"]).fillna("").to_numpy(dtype=object))
    valid, _ = valid_ids(heads, as_of)
    return np.where(valid, heads, "").astype(object)


# An ID Excel stored as a number keeps its first 15 significant digits (2.20122195105131E+17, or
# 220122195105131000): the region, the birth date and one digit of the serial (_prefix_leads).
_KEPT_DIGITS = 15
_EXCEL_FLOAT = re.compile(r"^([0-9])\.([0-9]+)E\+?17$")


def _kept_digits(typed, fault: np.ndarray) -> np.ndarray:
    """Per roster row whose ID Excel stored as a number, the first 15 digits it kept ('' where fewer show:
    2.2E+17 keeps two); '' for every other row."""
    out = np.full(len(fault), "", dtype=object)
    at = np.flatnonzero(fault == "id_excel_number")
    if not len(at):
        return out
    text = pd.Series(np.asarray(typed, dtype=object)[at], dtype=object).astype(str)
    shown = text.str.extract(_EXCEL_FLOAT)
    digits = (shown[0] + shown[1]).where(shown[0].notna(), text.where(text.str.fullmatch(r"[0-9]{18}"), ""))
    digits = digits.fillna("")
    out[at] = np.where(digits.str.len() >= _KEPT_DIGITS, digits.str[:_KEPT_DIGITS], "").astype(object)
    return out


def _old_cards(typed: np.ndarray, as_of: dt.date | None) -> np.ndarray:
    """残联's card numbers of 17 digits: a first-generation 15-digit ID and the 残疾类别 (1–7) and 等级
    (1–4), as the 20-digit card is the 18-digit ID and the two: the ID is its first 15 (made 18 after,
    as any 15-digit ID is). Only where those 15 are a valid ID: an 18-digit ID missing a character stays
    as typed, said as of the wrong length. Before, every such card was refused as of the wrong length."""
    ids = pd.Series(typed, dtype=object)
    card = ids.str.fullmatch(r"[0-9]{15}[1-7][1-4]").fillna(False).to_numpy(dtype=bool)
    if not card.any():
        return typed
    old, _ = ids_of_18(ids[card].str[:15].to_numpy(dtype=object))
    valid, _ = valid_ids(old, as_of)
    out = typed.copy()
    out[np.flatnonzero(card)[valid]] = ids[card].str[:15].to_numpy(dtype=object)[valid]
    return out


# The share of an authoritative roster's person rows whose ID Excel stored as a number (its last digits
# lost) from which the roster is refused as a whole: read, those people would be name leads at best, and
# their households (韩福庆's, his mother on 特困) stay candidates. A handful of rows (2 of 3) is no column
# Excel turned: each is said by its row and name (roster_unreadable_listed), the clerk can see to them.
EXCEL_NUMBERS_REFUSED = 0.5
EXCEL_NUMBERS_AT_LEAST = 5


def _refuse_excel_numbers(rows: pd.DataFrame, record: InputFile, path: Path, roster: Phrase) -> None:
    """An authoritative roster half or more of whose person rows hold an ID Excel stored as a number
    (checks.id_faults: id_excel_number, and those ending in 000 of such a column): refused, naming the
    sheet and the column where most are, how many, and to export the column as text. A few such rows
    (2 of 40, or fewer than EXCEL_NUMBERS_AT_LEAST) leave it read, each said in its facts. One with not
    one valid ID is refused before, as such (_refuse_no_valid_id)."""
    ruined = (rows["fault"] == "id_excel_number").to_numpy(dtype=bool)
    if ruined.sum() < max(EXCEL_NUMBERS_AT_LEAST, EXCEL_NUMBERS_REFUSED * len(rows)):
        return
    sheet = str(rows.loc[ruined, "sheet"].fillna("").astype(str).value_counts().index[0])
    column = next((s.columns["id"] for s in record.sheets if s.name == sheet and "id" in s.columns), None)
    where = Phrase("roster_excel_numbers_where", sheet=sheet, column=column) if sheet and column is not None \
        else Phrase("roster_excel_numbers_column", column=column) if column is not None else ""
    raise InputError("roster_ids_excel_numbers", file=path.name, roster=roster, where=where,
                     count=f"{int(ruined.sum()):,}", rows=f"{len(rows):,}")


def _left_people(cells: pd.DataFrame, as_of: dt.date | None, sheets: list[str], *frames) -> pd.DataFrame:
    """The rows of `cells` (the roster before its people who left were taken out) that were so taken out:
    those of the left `sheets` and those of `frames` (sheet, row), with their valid ID (LEFT_PEOPLE_COLUMNS).
    A row without a valid ID is no one to compare."""
    gone = [f[["sheet", "row"]] for f in frames if f is not None and len(f)]
    if not len(cells) or not (gone or sheets):
        return pd.DataFrame(columns=LEFT_PEOPLE_COLUMNS)
    key = cells["sheet"].fillna("").astype(str) + "\x1f" + cells["row"].astype(str)
    keys = pd.concat(gone, ignore_index=True) if gone else _no_rows()
    left = key.isin(set(keys["sheet"].fillna("").astype(str) + "\x1f" + keys["row"].astype(str))).to_numpy(dtype=bool) \
        | cells["sheet"].fillna("").astype(str).isin(sheets).to_numpy(dtype=bool)
    if not left.any():
        return pd.DataFrame(columns=LEFT_PEOPLE_COLUMNS)
    ids, _ = ids_of_18(normalise_id(cells["id"][left]).fillna("").to_numpy(dtype=object))
    valid, _ = valid_ids(ids, as_of)
    out = pd.DataFrame({"sheet": cells["sheet"].to_numpy(dtype=object)[left], "row": cells["row"].to_numpy()[left],
                        "id": ids})
    return out[valid].reset_index(drop=True)


def _refuse_no_valid_id(rows: pd.DataFrame, path: Path, roster: Phrase) -> None:
    """An authoritative roster whose rows give IDs, not one of them valid (Excel stored the column as
    numbers): read, it would match no one and every household on it would stay as the survey says, the
    run looking done. Refused, with the reasons the IDs are not valid, the commonest first. One with no ID at all
    (blank on every row) is said as it is (fact_roster_all_blank), and a returned list answered no
    throughout has no rows. One whose IDs are mostly masked (checks.id_faults: id_masked) is said as that
    alone, once: the department masked them before sending, and the whole IDs are what to ask it for."""
    given = ~rows["blank"].to_numpy(dtype=bool)
    if not given.any() or rows["valid"].to_numpy(dtype=bool).any():
        return
    # A 低保 roster 民政 masked (220122********2970) was told 位数不对 of every row, sending the clerk to
    # count digits (an outside try).
    masked = int((rows["fault"] == "id_masked").sum())
    if 2 * masked > int(given.sum()):
        raise InputError("roster_ids_masked", file=path.name, roster=roster, count=f"{masked:,}")
    faults = rows.loc[given, "fault"].value_counts().index
    raise InputError("roster_no_valid_id", file=path.name, roster=roster, count=f"{int(given.sum()):,}",
                     why=[Phrase(f"roster_{fault}") for fault in faults])


def identity_part(part: int) -> str:
    """The name of the identity sheet's part `part` (2, 3 …): a request list past Excel's row limit
    keeps the rest of its identity's rows on very hidden sheets so named (outputs/request.py), each
    under the identity's table header again."""
    return f"{IDENTITY_SHEET}({part})"


def _identity_parts(names) -> list[str]:
    """The identity sheet's further parts among a workbook's sheet `names`, in order."""
    parts = []
    while identity_part(len(parts) + 2) in names:
        parts.append(identity_part(len(parts) + 2))
    return parts


def _request_identity(path: Path, record: InputFile) -> str | None:
    """The request id of edgescreen's 信息比对申请名单 given back as a roster, where it still carries its
    identity (register.documents.stamp: a very hidden sheet, which an .xls saved from it keeps); None
    for any other file. Its identity sheet (and its parts, identity_part) is no roster's sheet: taken
    out of the sheets not read, so that it is neither said nor refused."""
    if not any(s.name == IDENTITY_SHEET for s in record.unread_sheets):
        return None
    identity = {IDENTITY_SHEET, *_identity_parts({s.name for s in record.unread_sheets})}
    record.unread_sheets[:] = [s for s in record.unread_sheets if s.name not in identity]
    facts = identity_facts(path, ("doc_id", "step"))
    return facts.get("doc_id") or None if facts.get("step") == REQUEST_STEP else None


def _sent_rows(path: Path) -> dict:
    """The rows a returned request list was sent with, as its identity sheet keeps them (key and hash of
    each printed row: outputs/request._identity), and its parts after it (identity_part: a list past
    Excel's row limit), and the language they were printed in (its kept headers'), as Roster's `sent`
    and `sent_lang`; nothing where that sheet has no rows."""

    try:
        import python_calamine  # the identity's sheets alone: the list's own sheets are read already

        book = python_calamine.CalamineWorkbook.from_path(str(path))
        cells = book.get_sheet_by_name(IDENTITY_SHEET).to_python()
        # Each part repeats the table's header: its rows follow the sheet's before it.
        for part in _identity_parts(set(book.sheet_names)):
            cells.extend(book.get_sheet_by_name(part).to_python()[1:])
    except Exception:  # noqa: BLE001 — a workbook calamine cannot open has no identity to read
        return {}
    identity = identity_from_cells(cells)
    if identity is None or identity.rows is None or not {"key", "hash"} <= set(identity.rows.columns):
        return {}
    lang = next((lang for lang in ("zh", "en") if label("request_name", lang) in identity.headers), "zh")
    return {"sent": identity.rows[["key", "hash"]].astype(str).reset_index(drop=True), "sent_lang": lang}


def _valid_of(raw: pd.Series, as_of: dt.date | None) -> np.ndarray:
    """The valid IDs among `raw` (15-digit ones made 18), as read_roster reads a roster's."""
    ids, _ = ids_of_18(normalise_id(raw).fillna("").to_numpy(dtype=object))
    valid, _ = valid_ids(ids, as_of)
    return ids[valid]


@dataclass
class _Answers:
    """What _answered_yes makes of a returned request list (see Roster's fields of the same names)."""

    cells: pd.DataFrame
    unclear_rows: pd.DataFrame
    listed: np.ndarray | None
    unsure_ids: np.ndarray | None = None
    unanswered_rows: pd.DataFrame | None = None
    bracketed_rows: pd.DataFrame | None = None
    noted_rows: pd.DataFrame | None = None
    note_left_rows: pd.DataFrame | None = None
    returned: int = 0  # the rows given back that name a person (Roster.returned)
    answers_no: bool = False  # whether they answer 否 anywhere (Roster.answers_no)


# A word with a note in brackets after it (是(2019年起), 否(已停保)): the word before the bracket answers.
_BRACKETED = re.compile(r"^(.+?)[(\[【〔].*[)\]】〕]?$")


def _answer_sets() -> tuple[frozenset[str], frozenset[str]]:
    answers = rosters_catalogue().answers
    return answers.keys(answers.yes), answers.keys(answers.no)


def _answer_keys(words) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per distinct word of an answer column: its key (answer_key), whether it says yes, no, and
    whether it says so only before a note in brackets (是(2019年起): the word before it answers)."""
    yes_keys, no_keys = _answer_sets()
    keys = np.array([answer_key(w) for w in words], dtype=object)
    yes, no = np.isin(keys, list(yes_keys)), np.isin(keys, list(no_keys))
    before = np.array([(m.group(1) if (m := _BRACKETED.match(k)) else "") for k in keys], dtype=object)
    bracketed = ~yes & ~no & (np.isin(before, list(yes_keys)) | np.isin(before, list(no_keys)))
    return keys, yes | (bracketed & np.isin(before, list(yes_keys))), no | (bracketed & np.isin(before, list(no_keys))), \
        bracketed


def _answered_yes(cells: pd.DataFrame, record: InputFile, path: Path, roster: Phrase, identified: bool,
                  as_of: dt.date | None, left: tuple[str, ...] = (), kind: str | None = None) -> _Answers:
    """A returned request list's rows that are on the roster: on each sheet with a 比对结果 column
    (rosters.toml [answers]), only those answered yes; the others' sheets as they are. Also what is
    said of it: the rows with an ID answered neither yes nor no (待查, a Wingdings tick), and where the
    list answers no anywhere, the blank rows (not answered: a township not done yet), both unsure, their
    people's households not taken as checked; the yes words with a note in brackets; the yes rows with a
    remark in 备注, those whose remark says the case stopped (the kind's `left` words) not matched.
    Refused: a list whose answers are blank on every row (sent back unfilled; or its answers typed in
    备注 or in a column of the department's own, which is named), and a list that carries the request's identity but no 比对结果 column
    (deleted or renamed: each row would count as on the roster)."""
    answers = rosters_catalogue().answers
    column = answers.column if answers is not None else None
    answering = [s.name for s in record.sheets if column in s.columns]
    header = rosters_catalogue().columns[column].header if column is not None else ""
    if not answering:
        if identified:
            raise InputError("roster_request_no_result", file=path.name, roster=roster, column=header)
        return _Answers(cells, pd.DataFrame(columns=UNCLEAR_COLUMNS), None)
    sheet = cells["sheet"].fillna("").astype(str)
    on_list = sheet.isin(answering).to_numpy(dtype=bool)
    # Once per distinct word: a county's list holds a handful of answers over a hundred thousand rows.
    codes, words = pd.factorize(cells[column].fillna("").astype(str))
    keys, yes_word, no_word, bracketed_word = _answer_keys(words)
    yes, no, bracketed = yes_word[codes], no_word[codes], bracketed_word[codes]
    blank = (keys == "")[codes]
    # A row without any ID (a signature line, 经办人:) asks about nobody: never an answer.
    asked = on_list & _given(cells, "id")
    note = answers.note if answers.note in cells.columns else None
    if not (asked & ~blank).any():
        if note is not None:
            _refuse_answers_in_note(cells, asked, note, record, answering, path, roster, header)
        if kind is not None:
            # 比对结果 left blank, the answers under the department's own header (是否低保: 是 on the hits).
            for ref, counts in _asking_columns(kind, record, path):
                if _answers_like(counts):
                    raise InputError("roster_result_elsewhere", file=path.name, roster=roster, column=header,
                                     header=ref.header, letter=ref.letter, count=f"{counts['yes']:,}")
        raise InputError("roster_result_blank", file=path.name, roster=roster, column=header)
    # Blank is no where the department marks its hits alone (√ and blanks); where it writes 否 too, it
    # answered row by row, and a blank row was not answered.
    answers_no = bool((asked & no & ~blank).any())
    unanswered = asked & blank & answers_no
    unclear = asked & ~yes & ~no & ~blank
    at = sheet[unclear]
    unclear_rows = pd.DataFrame({"sheet": at.to_numpy(dtype=object), "row": cells["row"].to_numpy()[unclear],
                                 "word": np.asarray(words, dtype=object)[codes[unclear]]})
    keep = ~on_list | (yes & asked)
    noted_rows = note_left_rows = None
    if note is not None:
        remark = cells[note].fillna("").astype(str).str.strip()
        remarked = keep & on_list & (remark != "").to_numpy(dtype=bool)
        # 是 with 备注 「2019年10月已停保」: the department says the case stopped; as a state column says it.
        stopped = remarked & (remark.str.contains(affirmed(left), regex=True).to_numpy(dtype=bool)
                              if left else np.zeros(len(cells), dtype=bool))
        noted_rows = pd.DataFrame({"sheet": sheet[remarked & ~stopped].to_numpy(dtype=object),
                                   "row": cells["row"].to_numpy()[remarked & ~stopped],
                                   "note": remark[remarked & ~stopped].to_numpy(dtype=object)})
        note_left_rows = pd.DataFrame({"sheet": sheet[stopped].to_numpy(dtype=object),
                                       "row": cells["row"].to_numpy()[stopped],
                                       "note": remark[stopped].to_numpy(dtype=object)})
        keep &= ~stopped
    said = bracketed & asked & (yes | no)
    bracketed_rows = pd.DataFrame({"sheet": sheet[said].to_numpy(dtype=object), "row": cells["row"].to_numpy()[said],
                                   "word": np.asarray(words, dtype=object)[codes[said]]})
    places = {name: (normalise_place(cells.loc[unanswered, name]).fillna("").to_numpy(dtype=object)
                     if name in cells.columns else np.full(int(unanswered.sum()), "", dtype=object))
              for name in ("township", "village")}
    unanswered_rows = pd.DataFrame({"sheet": sheet[unanswered].to_numpy(dtype=object),
                                    "row": cells["row"].to_numpy()[unanswered], **places})
    unsure = unclear | unanswered
    person = _given(cells, "id") | (_given(cells, "name") if "name" in cells.columns else False)
    return _Answers(cells=cells[keep].reset_index(drop=True) if not keep.all() else cells, unclear_rows=unclear_rows,
                    returned=int((on_list & person).sum()), answers_no=answers_no,
                    listed=_valid_of(cells.loc[asked, "id"], as_of), unsure_ids=_valid_of(cells.loc[unsure, "id"], as_of),
                    unanswered_rows=unanswered_rows, bracketed_rows=bracketed_rows, noted_rows=noted_rows,
                    note_left_rows=note_left_rows)


def _refuse_answers_in_note(cells: pd.DataFrame, asked: np.ndarray, note: str, record: InputFile,
                            answering: list[str], path: Path, roster: Phrase, header: str) -> None:
    """A list whose 比对结果 is blank on every row while its 备注 holds yes and no words on most rows
    asked about: the department answered in the wrong column. Refused naming that column (as typed)."""
    codes, words = pd.factorize(cells.loc[asked, note].fillna("").astype(str))
    keys, yes, no, _ = _answer_keys(words)
    said = (yes | no)[codes]
    if not len(said) or said.mean() < 0.5 or not yes[codes].any():
        return
    typed = next((s.columns[note] for s in record.sheets if s.name in answering and note in s.columns), None)
    raise InputError("roster_result_in_note", file=path.name, roster=roster, column=header,
                     note=typed.header if typed is not None else note,
                     letter=typed.letter if typed is not None else "", count=f"{int(said.sum()):,}")


def _refuse_answers_unnamed(spec: RosterSpec, record: InputFile, cells: pd.DataFrame, path: Path,
                            roster: Phrase) -> None:
    """A roster with no answer column recognised, one of whose columns not read holds a department's
    answers (_answers_like): yes and no words (是/否 …) on most rows with an ID, or yes on the hits and
    blank on the rest (是否有车: 有 on three rows of sixty). Read as a roster it would put every row on
    it (an authoritative roster's: every household excluded). Refused, naming the column and what to
    head it."""
    if rosters_catalogue().answers is None or not len(cells):
        return
    header = rosters_catalogue().columns[rosters_catalogue().answers.column].header
    for ref, counts in _asking_columns(spec.kind, record, path):
        if not _answers_like(counts):
            continue
        if counts["no"]:
            raise InputError("roster_answers_unnamed", file=path.name, roster=roster, header=ref.header,
                             letter=ref.letter, count=f"{counts['no']:,}", column=header)
        raise InputError("roster_hits_unnamed", file=path.name, roster=roster, header=ref.header, letter=ref.letter,
                         count=f"{counts['yes']:,}", blank=f"{counts['blank']:,}", column=header)


# Of a column of yes words and blanks, the most its yes may be of the rows with an ID for the blanks to be a
# department's "not on it" (a returned list's hits are the few); more, and it is a roster's own column (是否在保
# 是 on nearly every row), read as the roster it is.
HITS_AT_MOST = 0.5


def _answers_like(counts: dict[str, int]) -> bool:
    """Whether a column's counts (_asking_columns) are a department's answers: yes and no words on most
    rows (a column of yes alone, 是否在保 是 on every row of the roster's own people, is a roster's); or
    yes on some rows, blank on the others, and the hits not the most of them."""
    rows, yes, no, blank = counts["rows"], counts["yes"], counts["no"], counts["blank"]
    if not rows or not yes:
        return False
    if (yes + no) >= 0.8 * rows and no:
        return True
    return (yes + no + blank) >= 0.8 * rows and blank > 0 and yes <= HITS_AT_MOST * rows


def _asking_columns(kind: str, record: InputFile, path: Path):
    """The columns not read whose header asks (rosters.toml [answers] `asking`, or a kind's name), each with
    the counts of its yes and no words and blanks over the rows with an ID (rows), read once more with
    them named. Nothing where there is none or the file will not read again."""
    catalogue = rosters_catalogue()
    answers = catalogue.answers
    if answers is None:
        return
    words = (*answers.asking, *(a for k in catalogue.kind for a in _kind_words(k)))
    for ref, texts in _unread_columns(kind, record, path, words):
        codes, distinct = pd.factorize(texts)
        keys, yes, no, _ = _answer_keys(distinct)
        yield ref, {"rows": len(texts), "yes": int(yes[codes].sum()), "no": int(no[codes].sum()),
                    "blank": int((keys == "")[codes].sum())}


def _unread_columns(kind: str, record: InputFile, path: Path, words: tuple[str, ...]):
    """The columns not read whose header holds one of `words`, each with its texts on the rows with an
    ID, read once more with them named. Nothing where there is none or the file will not read again."""
    wanted = {c.header: c for s in record.sheets for c in s.unknown_columns
              if c.header and any(w in re.sub(r"\s+", "", c.header) for w in words)}
    if not wanted:
        return
    table = roster_table(kind)
    probes = {f"probe_{i}": ref for i, ref in enumerate(wanted.values())}
    table = replace(table, fields=table.fields + tuple(FieldSpec(name=name, header=ref.header, kind="text")
                                                       for name, ref in probes.items()))
    try:
        frames, _ = ReadHere().read(ReadJob(path, (table,), include_hidden=True))
    except InputError:
        return
    for _, frame in frames:
        with_id = _given(frame, "id")
        for name, ref in probes.items():
            if name not in frame.columns or not with_id.any():
                continue
            yield ref, frame.loc[with_id, name].fillna("").astype(str)


def _refuse_state_unnamed(kind: str, left: tuple[str, ...], record: InputFile, cells: pd.DataFrame, path: Path,
                          roster: Phrase) -> None:
    """A roster of a kind whose stopped cases are not matched (a kind's left words), with no state column
    recognised, one of whose columns not read is headed like one (rosters.toml [columns.state] like:
    发放情况标志) and holds those words on a row with an ID (停发): read without it, the stopped cases would
    be matched (an authoritative roster's: their households excluded). Refused, naming the column."""
    spec = rosters_catalogue().columns.get("state")
    if not left or spec is None or not spec.like or "state" in cells.columns:
        return
    for ref, texts in _unread_columns(kind, record, path, spec.like):
        stopped = int(texts.str.contains(affirmed(left), regex=True).sum())
        if stopped:
            raise InputError("roster_state_unnamed", file=path.name, roster=roster, header=ref.header,
                             letter=ref.letter, count=f"{stopped:,}", column=spec.header)


def _places_of(cells: pd.DataFrame) -> pd.DataFrame:
    """The distinct places of the roster's rows (county, township, village as normalised; '' where
    the roster has no such column)."""
    n = len(cells)
    out = pd.DataFrame({name: (normalise_place(cells[name]).fillna("").to_numpy(dtype=object)
                               if name in cells.columns else np.full(n, "", dtype=object))
                        for name in ("county", "township", "village")})
    return out.drop_duplicates().reset_index(drop=True)


def _address_places(addresses: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per address (吉林省农安县青山口乡东升村三组), the one township and the one village it names ('' where it
    names none, or two): its names cut as a form's title is (read._place_names), each at a place's end word
    (fields.toml [places]: 县, 乡, 镇, 村, 社区 …) after two characters at least, within a run of Chinese
    characters. Once per distinct address."""
    words = fields().places
    kinds = {"township": words.township.ends, "village": words.village.ends}
    ends = sorted({*words.county.ends, *words.community.ends, *words.subdistrict.ends, *kinds["township"],
                   *kinds["village"]}, key=len, reverse=True)
    han = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    codes, distinct = pd.factorize(pd.Series(np.asarray(addresses, dtype=object), dtype=object).fillna(""))
    names = pd.Series(distinct, dtype=object).str.findall(f"[{han}]{{2,}}?(?:{'|'.join(map(re.escape, ends))})")
    names = names.explode().dropna()
    out = []
    for kind in ("township", "village"):
        named = names[names.str.contains(f"(?:{'|'.join(map(re.escape, kinds[kind]))})$", regex=True)]
        one = named.groupby(level=0).agg(["nunique", "first"])
        one = one[one["nunique"] == 1]
        found = np.full(len(distinct), "", dtype=object)
        found[one.index.to_numpy(dtype=np.int64)] = one["first"].to_numpy(dtype=object)
        out.append(found[codes] if len(codes) else np.zeros(0, dtype=object))
    return out[0], out[1]


def _roster_days(texts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct date texts of a roster's column, as shown and as days (datetime64[D], NaT where none
    reads). Shown as the day it reads as, whatever the export typed (2019.6.1, 20190701, an Excel day
    count 43529, a date with its time of day: 2019-06-01); a month alone as its month (2019-06); a
    text that reads as no date as typed. Called once per distinct text."""
    shown = np.array([t[:-9] if t.endswith(" 00:00:00") else t for t in texts], dtype=object)
    days = np.full(len(shown), np.datetime64("NaT"), dtype="datetime64[D]")
    for i, text in enumerate(shown):
        day = exported_day(str(text))
        if day is None:
            continue
        days[i] = np.datetime64(day, "D")
        month = EXPORTED_DAY.match(arabic_numerals(str(text).strip()))
        shown[i] = day.isoformat()[:7] if month is not None and month.group(3) is None else day.isoformat()
    return shown, days


def _stop_days(cells: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's stop date (停保日期) as shown and as a day (NaT where none reads); the roster has the
    column (read once per distinct text)."""
    codes, distinct = pd.factorize(normalise_text(cells["until"]).fillna(""))
    shown, days = _roster_days(np.asarray(distinct, dtype=object))
    return shown[codes], days[codes]


def _stopped_after(cells: pd.DataFrame, day: dt.date) -> np.ndarray:
    """Per row, whether its stop date reads after `day`: a case stopped in March, the screen as of
    December, was on the roster that day, whatever its state or remark says now (停保)."""
    if "until" not in cells.columns or not len(cells):
        return np.zeros(len(cells), dtype=bool)
    return _stop_days(cells)[1] > np.datetime64(day, "D")


def _without_stopped_rows(cells: pd.DataFrame, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those whose case stopped (停保日期) on or before `day`, those rows'
    sheet, row and date, and likewise the rows stopped after `day` (matched: on the roster that day,
    and said). No stop date leaves the row matched, unsaid."""
    if "until" not in cells.columns or not len(cells):
        return cells, _no_dated_rows(), _no_dated_rows()
    shown, days = _stop_days(cells)
    stopped, later = days <= np.datetime64(day, "D"), days > np.datetime64(day, "D")
    sheet, row = cells["sheet"].to_numpy(dtype=object), cells["row"].to_numpy()
    gone = pd.DataFrame({"sheet": sheet[stopped], "row": row[stopped], "date": shown[stopped]})
    kept = pd.DataFrame({"sheet": sheet[later], "row": row[later], "date": shown[later]})
    return (cells[~stopped].reset_index(drop=True) if stopped.any() else cells), gone, kept


# One date of a period (在保起止日期) as 民政's exports write it: a day (2017-01-01, 2017.1.1, 2017年1月1日,
# 20170101) or a month alone (2017.01, 2017年1月, 201701), on the day's pattern pieces of dates.py and
# the digits alone. A day is never followed by more digits, so that 2017.01-2018.12 is two months, not
# 2017-01-20; unlike EXPORTED_DAY's, a month alone may be followed by the range's next date.
_PERIOD_DATE = re.compile(r"(?<![0-9])(?:" + YEAR_MONTH + "(?:" + DAY + r"(?![0-9])|\s*月?)"
                          r"|(\d{4})(\d{2})(\d{2})?)(?![0-9])")
# A period still running: to 至今 (or 今), or a start with its range mark and nothing after (2019-01-01至).
_PERIOD_OPEN = re.compile(r"(?:[至到~～—-]\s*|今)$")


def _death_dates(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A death register's rows with the 注销日期 (the kind's `until` column) as the date where the 死亡日期
    is blank or the roster has none, that column then dropped (it is no stop: a death is not a case
    that stopped); and those rows' sheet and row, said as so dated. Left so, a row of 注销日期 2020-03-01
    and no 死亡日期 was a death at a survey of 2019 (an outside try)."""
    if "until" not in cells.columns:
        return cells, _no_rows()
    cancelled = normalise_text(cells["until"]).fillna("")
    died = normalise_text(cells["date"]).fillna("") if "date" in cells.columns else pd.Series("", index=cells.index)
    by_cancel = ((died == "") & (cancelled != "")).to_numpy(dtype=bool)
    date = cells["until"].astype(object).where(by_cancel, cells["date"].astype(object) if "date" in cells.columns
                                               else None)
    cells = cells.drop(columns="until").assign(date=pd.array(date.to_numpy(dtype=object), dtype=cells["until"].dtype))
    return cells, pd.DataFrame({"sheet": cells["sheet"].to_numpy(dtype=object)[by_cancel],
                                "row": cells["row"].to_numpy()[by_cancel]})


def _period_end(text: str) -> tuple[str, dt.date | None, bool]:
    """A period's end (2015-01-01至2017-06-30: 2017-06-30) as shown and as a day, and whether the text
    reads. A month alone ends on its last day (2017.01-2018.12 ends 2018-12-31; shown 2018-12). A period
    to 至今, or of a start alone with its range mark (2019-01-01至), reads and has not ended ('' and None);
    blank reads as nothing said; anything else whose end is not a date read (2017年度, one date alone) does
    not read."""
    text = arabic_numerals(text.strip())
    if not text:
        return "", None, True
    found = []
    for m in _PERIOD_DATE.finditer(text):
        year, month, day = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        try:
            start = dt.date(int(year), int(month), int(day or 1))
        except ValueError:
            return "", None, False
        found.append((start, day is None))
    if "至今" in text or (len(found) == 1 and _PERIOD_OPEN.search(text)):
        return "", None, True
    if len(found) != 2:
        return "", None, False
    end, month_alone = found[-1]
    if month_alone:
        return end.isoformat()[:7], end.replace(day=calendar.monthrange(end.year, end.month)[1]), True
    return end.isoformat(), end, True


def _expired_rows(cells: pd.DataFrame, day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows whose period (在保起止日期: 2015-01-01至2017-06-30, 2017.01-2018.12) ended before `day`:
    sheet, row and the period's end; and the rows whose period is given and reads as no period
    (_period_end: 2017年度, one date alone): sheet, row. A period to 至今, or with its start alone, has
    not ended. Read once per distinct text."""
    if "period" not in cells.columns or not len(cells):
        return _no_dated_rows(), _no_rows()
    codes, distinct = pd.factorize(normalise_text(cells["period"]).fillna(""))
    read = [_period_end(str(text)) for text in distinct]
    shown = np.array([r[0] for r in read], dtype=object)
    days = np.array([np.datetime64(r[1], "D") if r[1] is not None else np.datetime64("NaT") for r in read],
                    dtype="datetime64[D]")
    ended = (days < np.datetime64(day, "D"))[codes]
    unread = ~np.array([r[2] for r in read], dtype=bool)[codes]
    sheet, row = cells["sheet"].to_numpy(dtype=object), cells["row"].to_numpy()
    return (pd.DataFrame({"sheet": sheet[ended], "row": row[ended], "date": shown[codes][ended]}),
            pd.DataFrame({"sheet": sheet[unread], "row": row[unread]}))


# Income and expense columns of the survey's that a roster sheet may hold before it is taken for a
# survey: a 低保 roster may give a household's income (家庭年收入), never its parts one by one.
SURVEY_COLUMNS_OF_A_ROSTER = 2


# The survey's yes/no columns of the exclusions: a roster lists its people, never asks whether each is.
SURVEY_FLAGS = ("is_dibao", "is_tekun", "is_registered_poor")


def _refuse_a_survey(record: InputFile, rules: RuleSet, path: Path, roster: Phrase) -> None:
    """A survey given as a roster (--roster 低保=调查表.xlsx) would put every household on it on the
    roster: refused where a sheet read has more of the survey's income and expense columns (parts or
    totals: a survey may give either) and its 是否低保户-like columns than SURVEY_COLUMNS_OF_A_ROSTER
    among the columns the roster does not read."""
    survey = household_table(rules)
    parts = set(rules.income.components) | set(rules.expenses.components) | {rules.income.total, rules.expenses.total} \
        | set(SURVEY_FLAGS)
    for sheet in record.sheets:
        named = [c.header for c in sheet.unknown_columns if field_named(c.header, survey) in parts]
        if len(named) > SURVEY_COLUMNS_OF_A_ROSTER:
            raise InputError("roster_is_survey", file=path.name, roster=roster, sheet=sheet.name,
                             columns=[f"「{h}」" for h in named[:3]])


def _without_left_sheets(cells: pd.DataFrame, words: tuple[str, ...]) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """The roster's rows without those of sheets whose name holds one of `words` (已停保: people who
    have left the roster, whom a match would wrongly exclude), and those sheets with their rows."""
    if not words or not len(cells):
        return cells, []
    pattern = re.compile(affirmed(words))
    names = [name for name in pd.unique(cells["sheet"].fillna("").astype(str)) if pattern.search(name)]
    return _without_sheets(cells, names)


def _without_sheets(cells: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """The rows without those of the sheets `names`, and each of those sheets with its rows."""
    if not names:
        return cells, []
    sheets = cells["sheet"].fillna("").astype(str)
    gone = sheets.isin(names).to_numpy(dtype=bool)
    counts = sheets[gone].value_counts()
    return cells[~gone].reset_index(drop=True), [(name, int(counts[name])) for name in names]


def _without_other_kinds_sheets(cells: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, list[tuple[str, int, str]]]:
    """Of a workbook of several sheets, the rows without those of sheets whose name holds another
    kind's word and none of this kind's (特困人员 and 残疾人 beside 低保对象, given as the 低保 roster:
    matched as 低保 they would exclude households that are not), and those sheets with their rows
    and kind. Where every sheet would go, none does: which is meant cannot be told."""
    if not len(cells):
        return cells, []
    sheets = cells["sheet"].fillna("").astype(str)
    names = pd.unique(sheets)
    if len(names) < 2:
        return cells, []
    catalogue = rosters_catalogue()
    own = _kind_words(catalogue.by_code[kind])
    other = {}
    for name in names:
        squeezed = re.sub(r"\s+", "", name)
        if any(word in squeezed for word in own):
            continue
        found = next((k.code for k in catalogue.kind if k.code != kind
                      and any(word in squeezed for word in _kind_words(k))), None)
        if found is not None:
            other[name] = found
    if len(other) == len(names):
        return cells, []
    kept, counts = _without_sheets(cells, list(other))
    return kept, [(name, rows, other[name]) for name, rows in counts]


def _kind_words(kind) -> tuple[str, ...]:
    """The words that name a roster kind in a sheet's name: its aliases of two characters or more."""
    return tuple(a for a in kind.aliases if len(a) >= 2)


def _words_of(cells: pd.DataFrame, column: str) -> tuple[np.ndarray, pd.Series] | None:
    """Each row's code into the distinct words of `column` (a state or a reason: a handful of words,
    each looked at once), normalised; None where the roster has no such column."""
    if column not in cells.columns or not len(cells):
        return None
    codes, words = pd.factorize(cells[column].fillna(""))
    return codes, normalise_text(pd.Series(words, dtype=cells[column].dtype)).fillna("")


def _holding(said: pd.Series, words: tuple[str, ...]) -> np.ndarray:
    return said.str.contains("|".join(map(re.escape, words)), regex=True).to_numpy(dtype=bool)


def _apart(cells: pd.DataFrame, out: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those of `out`, and those rows' sheet and row (said in the reports)."""
    gone = pd.DataFrame({"sheet": cells["sheet"].to_numpy(dtype=object)[out], "row": cells["row"].to_numpy()[out]})
    return (cells[~out].reset_index(drop=True) if out.any() else cells), gone


def _without_left_rows(cells: pd.DataFrame, words: tuple[str, ...], day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those whose state (保障状态: 停保, 已退出) holds one of `words`, and
    those rows' sheet and row. A row whose stop date (停保日期) is after `day` stays: the state is
    today's, and the case went on that day (_without_stopped_rows says it)."""
    states = _words_of(cells, "state") if words else None
    left = (states[1].str.contains(affirmed(words), regex=True).to_numpy(dtype=bool)[states[0]]
            if states is not None else np.zeros(len(cells), dtype=bool))
    if left.any():
        left &= ~_stopped_after(cells, day)
    return _apart(cells, left)


def _without_noted_stops(cells: pd.DataFrame, words: tuple[str, ...],
                         day: dt.date) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A roster with no state column: its rows with an ID whose 备注 (or 变更原因, rosters.toml
    [columns.note]) says the case stopped (the kind's `left` words: 2019年10月已停保, 停发), left out as a
    state saying so would leave them; and those rows' sheet, row and remark. Read as they are, their
    people would count as on the roster (an authoritative one's: their households excluded). A row
    whose stop date (停保日期) is after `day` stays, as beside a state."""
    notes = _words_of(cells, "note") if words and "state" not in cells.columns else None
    if notes is None:
        return cells, None
    codes, said = notes
    person = _given(cells, "id") | (_given(cells, "head_id") if "head_id" in cells.columns else False)
    # 2019年停发后恢复: a stop undone since is no stop (rosters.toml [columns.note] resumed).
    resumed = rosters_catalogue().columns["note"].resumed
    stopped = said.str.contains(affirmed(words), regex=True) & ~(
        _holding(said, resumed) if resumed else False)
    stopped = stopped.to_numpy(dtype=bool)[codes] & person
    if stopped.any():
        stopped &= ~_stopped_after(cells, day)
    remark = np.asarray(said, dtype=object)[codes[stopped]]
    cells, gone = _apart(cells, stopped)
    return cells, gone.assign(note=remark)


def _without_other_reasons(cells: pd.DataFrame, words: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those whose reason is given and holds none of `words` (a 户籍注销
    row that says 迁出 where the kind is deaths), and those rows' sheet and row. The reason itself
    reaches no output: a roster's own words are never copied."""
    reasons = _words_of(cells, "reason") if words else None
    if reasons is None:
        return cells, _no_rows()
    codes, said = reasons
    other = ((said != "").to_numpy(dtype=bool) & ~_holding(said, words))[codes]
    return _apart(cells, other)


# The columns a kind's `exempt` words are read in: why the row is listed (车辆类型), the plate's kind
# (号牌种类) and the state (机动车状态), any of them saying so.
EXEMPT_COLUMNS = ("reason", "plate", "state")


def _without_exempt_rows(cells: pd.DataFrame, kind: RosterKind) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those whose reason, plate or state holds one of the kind's `exempt`
    words (车辆类型 拖拉机, 号牌种类 低速车号牌, 机动车状态 报废), a cell that is one of the kind's `codes` for
    its column (N11, 13, E) read as the word it stands for; and those rows' sheet and row."""
    if not kind.exempt or not len(cells):
        return cells, _no_rows()
    exempt = np.zeros(len(cells), dtype=bool)
    pattern = affirmed(kind.exempt)
    for column in EXEMPT_COLUMNS:
        said = _words_of(cells, column)
        if said is None:
            continue
        codes, words = said
        coded = kind.codes.get(column, {})  # written as compared (the catalogue's validator)
        if coded:
            words = words.map(lambda w: coded.get(code_key(w), w))  # once per distinct word
        exempt |= words.str.contains(pattern, regex=True).to_numpy(dtype=bool)[codes]
    return _apart(cells, exempt)


def _without_small_amounts(cells: pd.DataFrame, at_least) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster's rows without those whose amount reads below `at_least` yuan, and those rows' sheet
    and row. An amount that does not read (blank, 不详) leaves the row matched."""
    if at_least is None or "amount" not in cells.columns or not len(cells):
        return cells, _no_rows()
    fen, _ = parse_money(cells["amount"].fillna("").astype(str))
    small = (fen < int(at_least * 100)).to_numpy(dtype=bool, na_value=False)
    return _apart(cells, small)


def read_rosters(specs, rules: RuleSet, *, as_of: dt.date | None = None,
                 workbooks: WorkbookSource | None = None, files: FileSource | None = None) -> list[Roster]:
    """Every roster given, in the order given; the same file twice as one kind is refused (as two
    kinds it is read for each: a department's workbook of a sheet per kind). Rosters refused: each
    said, the others read all the same, then one refusal naming every one (files_refused, as the
    survey's files are), so that one run names every roster to put right."""
    rosters, seen, refused = [], {}, []
    for spec in specs:
        key = (spec.path.resolve(), spec.kind)
        if key in seen:
            refused.append(InputError("roster_twice", path=str(spec.path)))
            continue
        seen[key] = spec
        try:
            rosters.append(read_roster(spec, rules, as_of=as_of, workbooks=workbooks, files=files))
        except InputError as exc:
            refused.append(exc)
    refused += _one_list_two_kinds(rosters)
    if len(refused) == 1:
        raise refused[0]
    if refused:
        raise InputError("files_refused", count=len(refused), problems=Lines(refused))
    _same_kind_once(rosters)
    return rosters


def _same_kind_once(rosters: list[Roster]) -> None:
    """Two rosters of one kind (the same 低保 list sent by the county and by the township, one re-saved by
    WPS) name many people twice: each person counted once. A roster whose people, as read, are an earlier
    one's of its kind is that one again (Roster.same_as: said once as such); of any other, the rows of
    people who left that an earlier one already left out are said there, not again (the terminal's 停保
    count was each row twice). The people matched stay on both: one in force on either is in force
    (README), and where the two disagree it is said (RosterRun.disagreeing)."""
    earlier: dict[str, list[Roster]] = {}
    for roster in rosters:
        before = earlier.setdefault(roster.kind, [])
        same = next((r for r in before if r.same_as is None and _same_people(r, roster)), None)
        if same is not None:
            roster.same_as = same.path.name
        left = set().union(*(set(r.left_people["id"]) for r in before)) if before else set()
        if left:
            ids = roster.left_people
            said = ids.loc[ids["id"].isin(left).to_numpy(dtype=bool), ["sheet", "row"]]
            for name in ("left_rows", "stopped_rows", "note_stopped_rows"):
                setattr(roster, name, _without_said(getattr(roster, name), said))
            if same is not None:  # the whole list again: its left sheets are the other's too
                roster.left_sheets = []
        before.append(roster)


def _same_people(a: Roster, b: Roster) -> bool:
    """Whether two rosters of one kind list the same people as read: the same file, or the same rows
    (ID, name, place, date; an ID not valid by its row) and the same people left out as having left."""
    if a.sha256 == b.sha256:
        return True
    columns = ["id", "valid", "name", "county", "township", "village", "date"]
    if len(a.rows) != len(b.rows) or len(a.left_people) != len(b.left_people):
        return False

    def listed(r: Roster) -> pd.DataFrame:
        # An ID not valid is blank in rows: its sheet and row stand for it.
        rows = r.rows.assign(at=np.where(r.rows["valid"], "", r.rows["sheet"].astype(str) + "|" + r.rows["row"].astype(str)))
        return rows[columns + ["at"]].astype(str).sort_values(columns + ["at"]).reset_index(drop=True)

    return bool(listed(a).equals(listed(b))) and set(a.left_people["id"]) == set(b.left_people["id"])


def _without_said(frame: pd.DataFrame, said: pd.DataFrame) -> pd.DataFrame:
    """`frame` (rows of a roster: sheet, row, …) without those of `said` (sheet, row)."""
    if not len(frame) or not len(said):
        return frame
    key = frame["sheet"].fillna("").astype(str) + "\x1f" + frame["row"].astype(str)
    gone = set(said["sheet"].fillna("").astype(str) + "\x1f" + said["row"].astype(str))
    return frame[~key.isin(gone).to_numpy(dtype=bool)].reset_index(drop=True)


def _one_list_two_kinds(rosters: list[Roster]) -> list[InputError]:
    """A returned request list given under two kinds (--roster 低保=X --roster 特困=X, or a copy of X
    under another name): its one 比对结果 column answers for one department, and read for two it would
    make one's answers the other's exclusions. Known by its content (SHA-256), or by the same request
    answered alike (the same people asked, the same answered yes). The same request answered by two
    departments is what the list is for: it is not refused."""
    def same(a: Roster, b: Roster) -> bool:
        if a.sha256 == b.sha256:
            return True
        if a.request_id is None or a.request_id != b.request_id:
            return False
        yes_a, yes_b = (set(r.rows.loc[r.rows["valid"], "id"]) for r in (a, b))
        return bool(yes_a) and yes_a == yes_b and set(a.listed_ids) == set(b.listed_ids)

    lists = [r for r in rosters if r.returned_list]
    refused, said = [], set()
    for i, a in enumerate(lists):
        for b in lists[i + 1:]:
            if a.kind != b.kind and (a.kind, b.kind) not in said and same(a, b):
                said.add((a.kind, b.kind))
                files = a.path.name if a.path.name == b.path.name else Phrase(
                    "roster_list_files", file=a.path.name, other=b.path.name)
                refused.append(InputError("roster_list_two_kinds", roster=Phrase(f"roster_name_{a.kind}"),
                                          other=Phrase(f"roster_name_{b.kind}"), files=files))
    return refused


@dataclass
class RosterRun:
    """What the rosters of a run found: the rosters, every match (hh, member, id, relation, group,
    name, kind, effect, roster, row, date) and the weaker name leads (hh, member, name, relation,
    roster, kind, row: a cadre's relative, or a person whose ID on another roster is not valid), and
    per household the kinds matched."""

    rosters: list[Roster]
    matches: pd.DataFrame
    leads: pd.DataFrame
    households: int
    changed: int = 0  # statuses an authoritative roster changed (classify)
    unlinked: int = 0  # members on a roster who belong to no household (check_rosters): matched to no one
    by_roster: list[dict] = field(default_factory=list)
    # Members of a household whose ID is blank or not valid: matched by no roster (_unmatched_members).
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMATCHED_COLUMNS))
    # Households listing fewer members than their 家庭人口数: those not listed matched by no roster.
    unlisted: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNLISTED_COLUMNS))
    # Per returned request list (by its index among the rosters): the households it asked about, those
    # with a person whose ID it lists. A list covers exactly those (_not_listed), not the places it names.
    covers: dict[int, np.ndarray] = field(default_factory=dict)
    # The people a returned list was asked about whose answer is not known (Roster.unsure_ids): their
    # households carry the lead 比对结果待查 (the village's 疑点 column and 核实清单, explain).
    pending: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PENDING_COLUMNS))
    # Per returned list that came back with rows deleted (Roster.not_returned), by its index: the rows it
    # was sent with that are no row of this screen (_sent_people), whose people could not be read as 否.
    unplaced: dict[int, int] = field(default_factory=dict)
    # Per roster (by its index among the rosters): the rows whose valid ID finds no one in the survey
    # and that are no lead either (sheet, row, id): said, counted, never matched.
    not_found: dict[int, pd.DataFrame] = field(default_factory=dict)
    # Per authoritative roster, its rows whose ID is blank or cannot be read and that name a person of
    # the survey (in their village, township, county where the row names them): the household may be on
    # it under that ID, so it is never told it is not (_not_listed). UNREADABLE_COLUMNS.
    unreadable: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNREADABLE_COLUMNS))
    # People of the survey in force on one roster of a kind and left (停保, 退出) on another of it: kept
    # as in force (README), said on their household (roster_disagree). DISAGREEING_COLUMNS.
    disagreeing: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=DISAGREEING_COLUMNS))

    def counts(self, status: pd.Series) -> dict[str, int]:
        """What the run found, counted for the terminal: rosters read, households with a match,
        statuses changed, and among the candidates those flagged, those with a name lead (flagged or not:
        the one count of the 核实清单, the terminal and quality.xlsx), and those with a member no roster
        could match (RosterRun.unmatched)."""
        candidate = (status == "candidate").to_numpy()
        flagged = self.flagged("flag") != ""
        leads, unmatched, unlisted, pending = (self._marked(frame) for frame in (
            self.leads, self.unmatched, self.unlisted, self.pending))
        # A roster that is another of its kind again (Roster.same_as) is one list, not two.
        distinct = sum(r.same_as is None for r in self.rosters)
        return {"rosters": distinct, "matched": int((self.flags() != "").sum()), "changed": self.changed,
                "flagged": int((flagged & candidate).sum()), "leads": int((leads & candidate).sum()),
                "unmatched": int((unmatched & candidate).sum()), "unlisted": int((unlisted & candidate).sum()),
                "pending": int((pending & candidate).sum())}

    def _marked(self, frame: pd.DataFrame) -> np.ndarray:
        """Per household, whether `frame` (leads, unmatched, unlisted) has a row of it."""
        marked = np.zeros(self.households, dtype=bool)
        marked[frame["hh"].to_numpy(dtype=np.int64)] = True
        return marked

    def flags(self) -> np.ndarray:
        """Per household the kinds that matched it, ';'-joined in the catalogue's order ('' for none)."""
        return self.kinds_joined(self.matches)

    def flagged(self, effect: str) -> np.ndarray:
        """Per household the kinds of `effect` that matched it, ';'-joined ('' for none)."""
        return self.kinds_joined(self.matches[self.matches["effect"] == effect])

    def kinds_joined(self, matches: pd.DataFrame, codes: list[str] | None = None,
                     rank: np.ndarray | None = None) -> np.ndarray:
        """Per household the kinds of `matches`, ';'-joined in the catalogue's order (or each match's
        `rank` among `codes`, in that order): a bit per code set per household, then each distinct set
        of bits worded once (no Python loop per household)."""
        out = np.full(self.households, "", dtype=object)
        if not len(matches):
            return out
        if (codes is None) != (rank is None):
            raise TypeError("kinds_joined takes codes and their ranks together")
        if codes is None:
            codes = [k.code for k in rosters_catalogue().kind]
            rank = matches["kind"].map({k: i for i, k in enumerate(codes)}).to_numpy(dtype=np.int64)
        bits = np.zeros(self.households, dtype=np.int64)
        np.bitwise_or.at(bits, matches["hh"].to_numpy(dtype=np.int64), np.left_shift(1, rank))
        distinct, inverse = np.unique(bits, return_inverse=True)
        words = np.array([";".join(c for i, c in enumerate(codes) if int(b) >> i & 1) for b in distinct], dtype=object)
        return words[inverse.reshape(-1)]

    def matched(self, kind: str) -> np.ndarray:
        """Which households a roster of `kind` matched."""
        out = np.zeros(self.households, dtype=bool)
        out[self.matches.loc[self.matches["kind"] == kind, "hh"].to_numpy()] = True
        return out

    def authoritative(self) -> dict[str, np.ndarray]:
        """Exclusion switch (dibao, tekun, registered_poor) → households an authoritative roster puts
        under it. A person listed in two households (串户, or a household entered twice) decides
        neither: which household the roster means is unknown, and both are kept for checking."""
        catalogue = rosters_catalogue().by_code
        out: dict[str, np.ndarray] = {}
        deciding = self.matches[(self.matches["effect"] == "authoritative") & ~self.matches["ambiguous"]]
        for kind in deciding["kind"].unique():
            exclusion = catalogue[kind].exclusion
            on = np.zeros(self.households, dtype=bool)
            on[deciding.loc[deciding["kind"] == kind, "hh"].to_numpy()] = True
            out[exclusion] = out.get(exclusion, np.zeros(self.households, dtype=bool)) | on
        return out

    def authoritative_kinds(self) -> list[str]:
        """The kinds of the authoritative rosters read, in the catalogue's order: those that can
        change a status (the terminal names these, not every roster that could be given)."""
        given = {r.kind for r in self.rosters if r.effect == "authoritative"}
        return [k.code for k in rosters_catalogue().kind if k.code in given]

    def undecided(self) -> tuple[int, int]:
        """(people, households) of the authoritative matches that decided nothing: the person is in
        two households or more."""
        held = self.matches[(self.matches["effect"] == "authoritative") & self.matches["ambiguous"]]
        return int(held["id"].nunique()), int(held["hh"].nunique())

    def borne_out(self, risk: pd.Series) -> np.ndarray:
        """Households whose 主要困难 a supporting roster bears out (its kind's `supports` words)."""
        catalogue = rosters_catalogue().by_code
        out = np.zeros(self.households, dtype=bool)
        text = risk.fillna("").to_numpy(dtype=object)
        for kind in self.matches.loc[self.matches["effect"] == "support", "kind"].unique():
            words = catalogue[kind].supports
            names = np.fromiter((any(w in t for w in words) for t in text), dtype=bool, count=len(text)) \
                if len(words) else np.zeros(len(text), dtype=bool)
            out |= names & self.matched(kind)
        return out


def match_rosters(rosters: list[Roster], households: pd.DataFrame, members=None) -> RosterRun:
    """Every roster against every person (people): one merge per roster on the normalised ID. A
    roster's rows without a usable ID that give a name and a village are looked up by name in that
    village (and township, where the row names one): leads, not matches. A row with a valid ID is
    matched by that ID only (on a roster other than 村干部亲属, a lead where it looks mistyped)."""
    persons = members.persons(households) if members is not None else people(households)
    # The people's IDs hashed once, as integers (checks.id_keys); each roster's IDs are looked up in
    # them (a join on the ID, its hash table built once for every roster rather than once per roster).
    codes, uniques = persons.code, persons.uniques
    lookup = pd.Index(uniques)
    # Members linked to no household: a roster's ID of one of them found that member (said by
    # roster_member_unlinked), not a person missing from the survey.
    unlinked_keys = members.frame["key"].to_numpy()[members.frame["hh"].to_numpy() < 0] if members is not None \
        else np.zeros(0, dtype=np.int64)
    found, leads, by_roster, not_found, unreadable = [], [], [], {}, []
    survey_places = _survey_places(households)
    for i, roster in enumerate(rosters):
        # Valid IDs only: formed, so their keys are the numbers they spell, the same in every column
        # (an unformed ID's negative key is numbered within its own column).
        listed = roster.rows[roster.rows["valid"]].drop_duplicates("id")
        at = lookup.get_indexer(id_keys(listed["id"].to_numpy(dtype=object)))
        on = at >= 0
        row_of = np.full(len(uniques), -1, dtype=np.int64)
        row_of[at[on]] = np.flatnonzero(on)
        which = row_of[codes]
        take = np.flatnonzero(which >= 0)
        source = which[take]
        hits = persons.frame(take, households, members).assign(
            row=listed["row"].to_numpy()[source], sheet=listed["sheet"].to_numpy(dtype=object)[source],
            date=listed["date"].to_numpy(dtype=object)[source],
            listed_name=listed["name"].to_numpy(dtype=object)[source], kind=roster.kind, effect=roster.effect, roster=i)
        # One listed person found in two households or more: which one the roster means is not known.
        households_of = pd.Series(source).map(pd.Series(source).value_counts()).to_numpy()
        hits["ambiguous"] = households_of > 1
        hits["other_head"], hits["other_place"] = "", ""
        if roster.effect == "authoritative" and len(hits):
            _in_other_household(hits, listed, source, households, persons, members)
        found.append(hits)
        # A valid ID that finds no one in the survey (nor among the members linked to no household).
        valid = roster.rows["valid"].to_numpy(dtype=bool)
        ids = roster.rows["id"]
        unfound = valid & ~ids.isin(hits["id"]).to_numpy(dtype=bool) \
            & ~keys_among(id_keys(ids.to_numpy(dtype=object)), unlinked_keys)
        # A person whose ID on the roster is not valid (an ID Excel kept as a number, a mistyped one)
        # or, on a roster other than 村干部亲属 (whose name lookup README limits to rows without a usable
        # ID), finds no one and looks mistyped: no ID can find them, their name in their village can. A
        # row with another valid ID is another person of that name (曾小 born 1968 is not one born 2011).
        lead = _name_leads(roster, i, hits, households, persons, members, bad_ids_only=True,
                           unfound=unfound if roster.kind != "cadre_relative" else None)
        if lead is not None:
            leads.append(lead)
            # A row that became a lead is said as one, not as a person the survey lacks.
            unfound &= ~ids.isin(lead.loc[lead["why"] == "id_differs", "listed_id"]).to_numpy(dtype=bool)
        not_found[i] = roster.rows.loc[unfound, ["sheet", "row", "id"]].reset_index(drop=True).assign(
            elsewhere=_elsewhere(roster.rows[unfound], survey_places))
        if roster.effect == "authoritative":
            named = _unreadable_named(roster, i, households, persons, members)
            if named is not None:
                unreadable.append(named)
        # matches: a person in two households is two; people: the distinct people matched.
        by_roster.append({"matches": int(len(hits)), "people": int(hits["id"].nunique()),
                          "households": int(hits["hh"].nunique()),
                          "leads": int(lead["hh"].nunique()) if lead is not None else 0,
                          "not_found": int(not_found[i]["id"].nunique())})
    # A person two rosters of one kind list and the survey lacks is one person: said on the first only.
    said: dict[str, set] = {}
    for i, roster in enumerate(rosters):
        seen = said.setdefault(roster.kind, set())
        ids = not_found[i]["id"]
        if seen:
            not_found[i] = not_found[i][~ids.isin(seen).to_numpy(dtype=bool)].reset_index(drop=True)
            by_roster[i]["not_found"] = int(not_found[i]["id"].nunique())
        seen |= set(ids)
        if roster.same_as is not None:
            by_roster[i]["same_as"] = roster.same_as
    columns = ["hh", "member", "id", "relation", "group", "name", "kind", "effect", "roster", "row", "sheet", "date",
               "listed_name", "ambiguous", "other_head", "other_place"]
    matches = pd.concat(found, ignore_index=True)[columns] if found else pd.DataFrame(columns=columns)
    matches = matches.sort_values(["hh", "roster"], kind="stable").reset_index(drop=True)
    lead_columns = ["hh", "member", "name", "relation", "roster", "kind", "row", "sheet", "why"]
    leads = pd.concat(leads, ignore_index=True)[lead_columns] if leads else pd.DataFrame(columns=lead_columns)
    covers, pending, unplaced = {}, [], {}
    for i, roster in enumerate(rosters):
        if roster.returned_list:
            covered = np.zeros(len(households), dtype=bool)
            covered[persons.hh[keys_among(persons.key, id_keys(roster.listed_ids))]] = True
            if roster.not_returned and not roster.answers_no:
                # Rows the department deleted (its 否 left out): their people asked about, answered no.
                sent, unplaced[i] = _sent_people(roster, households, members, persons)
                covered[persons.hh[sent]] = True
            # A household with a person whose answer is not known (待查, left blank) was not checked in
            # full: not covered (no roster_not_listed), and its people so are a lead (比对结果待查).
            unsure = np.flatnonzero(keys_among(persons.key, id_keys(roster.unsure_ids))) \
                if roster.unsure_ids is not None and len(roster.unsure_ids) else np.zeros(0, dtype=np.int64)
            if len(unsure):
                covered[persons.hh[unsure]] = False
                found_here = persons.frame(unsure, households, members)
                pending.append(found_here.assign(roster=i, kind=roster.kind)[PENDING_COLUMNS])
            covers[i] = covered
    pending = pd.concat(pending, ignore_index=True).drop_duplicates(["hh", "member", "kind"]) if pending \
        else pd.DataFrame(columns=PENDING_COLUMNS)
    return RosterRun(rosters=rosters, matches=matches, leads=leads.sort_values("hh", kind="stable"),
                     households=len(households), by_roster=by_roster, covers=covers, not_found=not_found,
                     unplaced=unplaced,
                     unreadable=pd.concat(unreadable, ignore_index=True) if unreadable
                     else pd.DataFrame(columns=UNREADABLE_COLUMNS),
                     pending=pending.sort_values("hh", kind="stable").reset_index(drop=True),
                     disagreeing=_disagreeing(rosters, matches),
                     unmatched=_unmatched_members(rosters, found, households, members),
                     unlisted=_unlisted_members(households, members, persons))


def _in_other_household(hits: pd.DataFrame, listed: pd.DataFrame, source: np.ndarray, households: pd.DataFrame,
                        persons: People, members) -> None:
    """An authoritative roster's matches of a person it counts in another family's case: the row names its
    户主 (by ID, else by name), the person is not that 户主, and that 户主 is none of the household's people
    (neither by ID nor by name). 孙静梅, married into 覃宝's household, on 低保 in her father 杜永山's:
    her husband's household is not a 低保 household. Such a match excludes nothing: its effect is a flag
    (a 疑点 to verify, roster_other_household), with the roster's 户主 and place (other_head, other_place)."""
    if "head_id" not in listed.columns:
        return
    head_id = listed["head_id"].to_numpy(dtype=object)[source]
    head_name = listed["head_name"].to_numpy(dtype=object)[source]
    head_key = _name_key(pd.Series(head_name, dtype=object))
    by_id = head_id != ""
    named = by_id | (head_key != "")
    # The person is the 户主 himself (a household-level export's row is the head's own).
    own = np.where(by_id, head_id == hits["id"].to_numpy(dtype=object),
                   (head_key == _name_key(hits["listed_name"].fillna("").astype(str)))
                   | (head_key == _name_key(hits["name"].fillna("").astype(str))))
    ask = np.flatnonzero(named & ~own)
    if not len(ask):
        return
    hh = hits["hh"].to_numpy(dtype=np.int64)
    take = np.flatnonzero(keys_among(persons.hh, hh[ask]))
    there = persons.frame(take, households, members)
    keys = persons.key[take]
    known = keys >= 0  # an unformed ID's key is numbered within its column: no one's
    ids_in = pd.MultiIndex.from_arrays([persons.hh[take][known], keys[known]])
    names = _name_key(there["name"].fillna("").astype(str))
    names_in = pd.MultiIndex.from_arrays([there["hh"].to_numpy(dtype=np.int64)[names != ""], names[names != ""]])
    head_keys = np.where(by_id[ask], id_keys(np.where(by_id[ask], head_id[ask], "").astype(object)), -1)
    at_home = (by_id[ask] & pd.MultiIndex.from_arrays([hh[ask], head_keys]).isin(ids_in)) \
        | ((head_key[ask] != "") & pd.MultiIndex.from_arrays([hh[ask], head_key[ask]]).isin(names_in))
    away = ask[~at_home]
    if not len(away):
        return
    hits.loc[hits.index[away], "effect"] = "flag"
    hits.loc[hits.index[away], "other_head"] = np.where(head_name[away] != "", head_name[away],
                                                        mask_id(pd.Series(head_id[away], dtype=object)))
    village = listed["village"].to_numpy(dtype=object)[source][away]
    hits.loc[hits.index[away], "other_place"] = np.where(
        village != "", village, listed["township"].to_numpy(dtype=object)[source][away])


def _disagreeing(rosters: list[Roster], matches: pd.DataFrame) -> pd.DataFrame:
    """The people matched on a roster whose ID another roster of the kind left out as having left (停保 on
    the township's copy, in force on the county's): DISAGREEING_COLUMNS, once per person and pair of
    rosters. One merge per kind given twice or more."""
    out = []
    for i, roster in enumerate(rosters):
        others = [(j, r) for j, r in enumerate(rosters) if j != i and r.kind == roster.kind and len(r.left_people)]
        if not others:
            continue
        left = pd.concat([r.left_people.assign(left_roster=j) for j, r in others], ignore_index=True).rename(
            columns={"sheet": "left_sheet", "row": "left_row"})
        mine = matches[(matches["roster"] == i).to_numpy()]
        both = mine.merge(left, on="id")
        if len(both):
            out.append(both[DISAGREEING_COLUMNS].drop_duplicates(["hh", "id", "roster", "left_roster"]))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(columns=DISAGREEING_COLUMNS)


def _sent_people(roster: Roster, households: pd.DataFrame, members, persons: People) -> tuple[np.ndarray, int]:
    """The people a returned list was sent about whose ID is valid (positions in `persons`), placed by its
    identity: this screen's rows as the list prints them (request_rows.py) whose key and
    hash are a sent row's, as the full list's rows would cover them; and the count of sent rows that are
    no row of this screen (a list written by another screen, the surveys corrected since)."""

    rows = request_rows(households, members, roster.sent_lang)
    printed = pd.DataFrame({"key": rows["key"].to_numpy(dtype=object),
                            "hash": row_hashes(rows[list(HASHED)].astype(str)).to_numpy(dtype=object)})
    same = printed.merge(roster.sent[["key", "hash"]], on=["key", "hash"]).drop_duplicates("key")
    # A row's key is its household's place and its own in the members table (0: the head the household
    # sheet gives), each counted from 1: People's hh and member (-1 for that head).
    parts = same["key"].str.split(".", n=1, expand=True).astype(np.int64) - 1 if len(same)         else pd.DataFrame({0: [], 1: []}, dtype=np.int64)
    width = (len(members.frame) if members is not None else 0) + 1
    at = np.flatnonzero(keys_among(persons.hh * width + persons.member + 1,
                                   parts[0].to_numpy(dtype=np.int64) * width + parts[1].to_numpy(dtype=np.int64) + 1))
    ids, _ = ids_of_18(normalise_id(pd.Series(persons.ids(at), dtype=object)).fillna("").to_numpy(dtype=object))
    valid, _ = valid_ids(ids)
    return at[valid], len(roster.sent) - len(same)


def _unlisted_members(households: pd.DataFrame, members, persons: People) -> pd.DataFrame:
    """The households of a village whose members are listed that list fewer people than their
    家庭人口数 (the head counted where their own row is missing): the people not listed were matched
    against no roster, so the household was not checked in full (程春, on the 低保 roster, missing from
    her household's rows, left it a candidate 无需入户核实). Per household: hh, missing."""
    if members is None or not len(households):
        return pd.DataFrame(columns=UNLISTED_COLUMNS)
    declared = households["members"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
    listed = members.counts["listed"].to_numpy(dtype=np.int64)
    head_alone = np.bincount(persons.hh[persons.member < 0], minlength=len(households)) > 0
    missing = np.where(members.covered, declared - listed - head_alone, 0)
    at = np.flatnonzero(missing > 0)
    return pd.DataFrame({"hh": at.astype(np.int64), "missing": missing[at].astype(np.int64)})


def _unmatched_members(rosters: list[Roster], found: list[pd.DataFrame], households: pd.DataFrame,
                       members) -> pd.DataFrame:
    """The members linked to a household whose ID is blank or not valid (a mistyped check digit, an ID
    Excel kept as a number): no roster can match them by ID, so their household was not checked in
    full. Each with `same_name`: the kinds (';'-joined) of the rosters that list, on a row matched to
    no one by ID, a person of the member's name (in the member's village where the row names one),
    a lead to the roster the member may be on; '' for none."""
    if members is None or "birth" not in members.frame.columns:
        return pd.DataFrame(columns=UNMATCHED_COLUMNS)
    frame = members.frame
    at = np.flatnonzero((frame["hh"].to_numpy() >= 0) & pd.isna(frame["birth"]).to_numpy(dtype=bool))
    out = pd.DataFrame({"hh": frame["hh"].to_numpy()[at].astype(np.int64), "member": at.astype(np.int64),
                        "name": frame["name"].to_numpy(dtype=object)[at],
                        "relation": frame["relation"].to_numpy(dtype=object)[at], "same_name": ""})
    if not len(out):
        return out
    key = _name_key(out["name"])
    at_hh = out["hh"].to_numpy()
    village = _place_key(households["village"].fillna(""))[at_hh]
    township = _place_key(households["township"].fillna(""))[at_hh]
    # Keyed only where a roster names a county (a county's own rosters seldom do).
    county = _household_counties(households)[at_hh] if any(_roster_counties(r) for r in rosters) \
        else np.full(len(out), "", dtype=object)
    kinds = [k.code for k in rosters_catalogue().kind]
    bits = np.zeros(len(out), dtype=np.int64)
    # A roster's name (normalised) starts as its key does: only the rows that start as a member's
    # name are keyed (a million-row roster's names keyed in full cost 0.7 s, the first characters 0.2 s).
    initials = {k[:1] for k in key.tolist()} - {""}
    for roster, hits in zip(rosters, found):
        rows = roster.rows
        loose = rows[(~rows["id"].isin(hits["id"]) | ~rows["valid"]).to_numpy()
                     & rows["name"].str[:1].isin(initials).to_numpy(dtype=bool)]
        if not len(loose):
            continue
        places = pd.DataFrame({"key": _name_key(loose["name"]), "place": _place_key(loose["village"]),
                               "in_township": _place_key(loose["township"]), "in_county": _county_key(loose["county"])})
        named = pd.DataFrame({"key": key, "village": village, "township": township, "county": county,
                              "at": np.arange(len(out))}).merge(places, on="key")
        # In the member's village, township and county where the row names them: a person of the same
        # name in another county is nobody's lead.
        named = named[((named["place"] == "") | (named["place"] == named["village"])).to_numpy()
                      & ((named["in_township"] == "") | (named["in_township"] == named["township"])).to_numpy()
                      & _same_county(named["in_county"], named["county"], _roster_counties(roster))]
        bits[named["at"].to_numpy(dtype=np.int64)] |= 1 << kinds.index(roster.kind)
    distinct, inverse = np.unique(bits, return_inverse=True)
    words = np.array([";".join(k for i, k in enumerate(kinds) if int(b) >> i & 1) for b in distinct], dtype=object)
    out["same_name"] = words[inverse.reshape(-1)]
    return out


def _name_leads(roster: Roster, index: int, hits: pd.DataFrame, households: pd.DataFrame,
                persons: People, members=None, bad_ids_only: bool = False,
                unfound: np.ndarray | None = None) -> pd.DataFrame | None:
    """同村同名: the roster's rows not matched by ID that name a person and a village (with
    `bad_ids_only`, those whose ID is blank or not valid, or valid and `unfound`: found in no
    household), against the people of that village with the same name (not already matched by this
    roster), in the township and the county the row names where it names them: a city-wide roster's
    row of another county (德惠市's 前岗村 beside 农安县's) is no lead. Places compare without what they
    are called (陈家店 is 陈家店村, 长山村委会 长山村, 烧锅 烧锅镇, 农安 农安县), names as _name_key compares
    them (吴  春 is 吴春). An `unfound` row's valid ID must be the person's mistyped (_mistyped); naming no
    village, the row is looked up by its ID's region and birth date. Each lead with the
    roster's `kind`, `why` (bad_id; id_differs: the roster's valid ID is not the person's) and the
    roster's ID (listed_id). A roster without a village column is placed by its address where it names
    one (_placed_by_address); a row naming a township and no village, on a roster other than 村干部亲属
    (`unfound` given), leads to a person of its name in that township whose ID its ID, valid or not, looks
    mistyped from (_township_leads)."""
    rows = _placed_by_address(roster.rows)
    valid = rows["valid"].to_numpy(dtype=bool)
    differs = unfound if bad_ids_only and unfound is not None else np.zeros(len(rows), dtype=bool)
    unmatched = (~valid | differs) if bad_ids_only else (~rows["id"].isin(hits["id"]).to_numpy(dtype=bool) | ~valid)
    named = unmatched & (rows["name"] != "").to_numpy(dtype=bool)
    placed = (rows["village"] != "").to_numpy(dtype=bool)
    kept = (rows["kept"] != "").to_numpy(dtype=bool)
    in_township = (rows["township"] != "").to_numpy(dtype=bool) & ((rows["typed"] != "").to_numpy(dtype=bool)
                                                                   | differs)
    found = [_village_leads(rows[named & placed], hits, households, persons, members, roster),
             _birth_leads(rows[named & ~placed & differs], hits, households, persons, members),
             _prefix_leads(rows[named & ~placed & kept], hits, households, persons, members),
             _township_leads(rows[named & ~placed & ~kept & in_township], hits, households, persons, members, roster)
             if unfound is not None else None]
    found = [f for f in found if f is not None and len(f)]
    if not found:
        return None
    lead = pd.concat(found, ignore_index=True)
    lead["why"] = np.where(lead["listed_valid"].to_numpy(dtype=bool), "id_differs", "bad_id")
    if "kept" in lead.columns:
        lead.loc[lead["kept"].notna().to_numpy(dtype=bool), "why"] = "id_excel_number"
    if bad_ids_only:
        # A person whose own ID is not valid is a member no roster could match: said as one, with the
        # roster that has the name (_unmatched_members), not a second time here. Two valid IDs far apart
        # are two people of one name (a common name in a village), not a mistype.
        own, _ = valid_ids(lead["id"].fillna("").to_numpy(dtype=object))
        differing = (lead["why"] == "id_differs").to_numpy()
        near = np.zeros(len(lead), dtype=bool)
        near[differing & own] = _mistyped(lead["id"].to_numpy(dtype=object)[differing & own],
                                          lead["listed_id"].to_numpy(dtype=object)[differing & own])
        lead = lead[~differing | near]
    if not len(lead):
        return None
    return lead.drop_duplicates(["hh", "member", "name"]).assign(roster=index, kind=roster.kind)


def _placed_by_address(rows: pd.DataFrame) -> pd.DataFrame:
    """Roster.rows placed where the roster has no village column by what its address names (read_roster:
    address_township, address_village): the township where the row gives none, and the village where a
    township is known, as a village column would place them. An address naming a village alone (东升村三组)
    places nothing: a county may have two of the name, and a name lead is never county-wide."""
    township = np.where(rows["township"] != "", rows["township"], rows["address_township"])
    village = np.where((rows["village"] == "") & (township != ""), rows["address_village"], rows["village"])
    return rows.assign(township=township.astype(object), village=village.astype(object))


def _township_leads(wanted: pd.DataFrame, hits: pd.DataFrame, households: pd.DataFrame, persons: People,
                    members, roster: Roster) -> pd.DataFrame | None:
    """_name_leads of rows naming a township and no village (an address of the township alone: 吉林省农安县
    青山口乡) whose ID of 18 characters, valid or not (typed), finds no one: the people of the same name in
    that township (and county) whose ID it looks mistyped from (_mistyped: two digits swapped). A name alone
    in a township is too wide a lead; with an ID one slip apart it is said as an ID that differs
    (listed_valid), never as 同村同名."""
    if not len(wanted):
        return None
    listed = np.where(wanted["valid"].to_numpy(dtype=bool), wanted["id"].to_numpy(dtype=object),
                      wanted["typed"].to_numpy(dtype=object))
    wanted = pd.DataFrame({"key": _name_key(wanted["name"]), "township": _place_key(wanted["township"]),
                           "in_county": _county_key(wanted["county"]), "row": wanted["row"].to_numpy(),
                           "sheet": wanted["sheet"].to_numpy(dtype=object), "listed_id": listed,
                           "listed_valid": True})
    township = _place_key(households["township"].fillna(""))
    there, counties = _people_placed(township, wanted["township"], hits, households, persons, members, roster)
    if there is None:
        return None
    there = there.assign(township=township[there["hh"].to_numpy()])
    there["key"] = _name_key(there["name"])
    lead = there.merge(wanted, on=["key", "township"])
    lead = lead[_same_county(lead["in_county"], lead["county"], counties)]
    own, _ = valid_ids(lead["id"].fillna("").to_numpy(dtype=object))
    near = np.zeros(len(lead), dtype=bool)
    near[own] = _mistyped(lead["id"].to_numpy(dtype=object)[own], lead["listed_id"].to_numpy(dtype=object)[own])
    return lead[near]


def _people_placed(place: np.ndarray, wanted: pd.Series, hits: pd.DataFrame, households: pd.DataFrame,
                   persons: People, members, roster: Roster) -> tuple[pd.DataFrame | None, set]:
    """(The persons of the households whose `place` (a key per household) is among `wanted`, those a
    roster row matched by ID left out, each with its household's county where the roster names counties;
    the roster's counties): where a name lead is looked for (_village_leads, _township_leads)."""
    there = persons.frame(np.flatnonzero(pd.Series(place[persons.hh]).isin(wanted).to_numpy()), households, members)
    there = there[~there["hh"].isin(hits["hh"])]
    counties = _roster_counties(roster)
    if not len(there):
        return None, counties
    county = _household_counties(households) if counties else np.full(len(households), "", dtype=object)
    return there.assign(county=county[there["hh"].to_numpy()]), counties


def _mistyped(ids: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Per pair of valid IDs, whether one may be the other mistyped: the same region and birth date (the
    first 14: a slip in the serial digits), or two characters differing at most (a slip, two digits swapped)."""
    if not len(ids):
        return np.zeros(0, dtype=bool)
    a, b = (np.frombuffer("".join(x).encode("ascii"), dtype="S1").reshape(-1, 18) for x in (ids, others))
    differ = a != b
    return ~differ[:, :14].any(axis=1) | (differ.sum(axis=1) <= 2)


def _village_leads(wanted: pd.DataFrame, hits: pd.DataFrame, households: pd.DataFrame, persons: People,
                   members, roster: Roster) -> pd.DataFrame | None:
    """_name_leads by name in the village (township, county) the rows name."""
    if not len(wanted):
        return None
    wanted = pd.DataFrame({"key": _name_key(wanted["name"]), "place": _place_key(wanted["village"]),
                           "in_township": _place_key(wanted["township"]), "in_county": _county_key(wanted["county"]),
                           "row": wanted["row"].to_numpy(), "sheet": wanted["sheet"].to_numpy(dtype=object),
                           "listed_id": wanted["id"].to_numpy(dtype=object),
                           "listed_valid": wanted["valid"].to_numpy(dtype=bool)})
    # The households' places are normalised already (normalise): keyed once per distinct place.
    village = _place_key(households["village"].fillna(""))
    township = _place_key(households["township"].fillna(""))
    there, counties = _people_placed(village, wanted["place"], hits, households, persons, members, roster)
    if there is None:
        return None
    at_hh = there["hh"].to_numpy()
    there = there.assign(place=village[at_hh], township=township[at_hh],
                         name=normalise_text(pd.Series(there["name"].to_numpy(dtype=object), dtype=object))
                         .fillna("").to_numpy(dtype=object))
    there["key"] = _name_key(there["name"])
    lead = there.merge(wanted, on=["key", "place"])
    return lead[((lead["in_township"] == "") | (lead["in_township"] == lead["township"])).to_numpy()
                & _same_county(lead["in_county"], lead["county"], counties)]


def _birth_leads(wanted: pd.DataFrame, hits: pd.DataFrame, households: pd.DataFrame, persons: People,
                 members) -> pd.DataFrame | None:
    """_name_leads of rows naming no village: the people of the same name whose ID has the same first 14
    characters (region and birth date) as the row's valid ID, on the IDs' integer keys (checks.id_keys:
    the 17 digits times 11 plus the last, so the first 14 are the key over 11,000)."""
    if not len(wanted):
        return None
    prefix = id_keys(wanted["id"].to_numpy(dtype=object)) // 11_000
    return _same_name_and_prefix(wanted, prefix, 11_000, hits, households, persons, members,
                                 listed_id=wanted["id"].to_numpy(dtype=object), listed_valid=True)


def _prefix_leads(wanted: pd.DataFrame, hits: pd.DataFrame, households: pd.DataFrame, persons: People,
                  members) -> pd.DataFrame | None:
    """_name_leads of rows naming no village whose ID Excel stored as a number (a 财政供养 roster has a
    单位, no village): the people of the same name whose ID begins with the 15 digits it kept
    (Roster.rows `kept`), on the IDs' integer keys (checks.id_keys: the first 15 are the key over 1,100).
    A lead, never a match: the last digits are lost, and the roster's ID is to be confirmed."""
    if not len(wanted):
        return None
    prefix = pd.to_numeric(wanted["kept"]).to_numpy(dtype=np.int64)
    return _same_name_and_prefix(wanted, prefix, 1_100, hits, households, persons, members, listed_id="",
                                 listed_valid=False, kept=wanted["kept"].to_numpy(dtype=object))


def _same_name_and_prefix(wanted: pd.DataFrame, prefix: np.ndarray, over: int, hits: pd.DataFrame,
                          households: pd.DataFrame, persons: People, members, **more) -> pd.DataFrame | None:
    """The people not matched already (`hits`) of a `wanted` row's name whose ID key over `over` is the
    row's `prefix` (the first characters of an ID, checks.id_keys), each with the row's sheet, row and `more`."""
    person_prefix = np.where(persons.key >= 0, persons.key // over, -1)
    take = np.flatnonzero(keys_among(person_prefix, prefix))
    if not len(take):
        return None
    there = persons.frame(take, households, members).assign(prefix=person_prefix[take])
    there = there[~there["hh"].isin(hits["hh"])]
    there["key"] = _name_key(there["name"])
    wanted = pd.DataFrame({"key": _name_key(wanted["name"]), "prefix": prefix, "row": wanted["row"].to_numpy(),
                           "sheet": wanted["sheet"].to_numpy(dtype=object), **more})
    return there.merge(wanted, on=["key", "prefix"])


def _survey_places(households: pd.DataFrame) -> tuple[set[str], set[str]]:
    """The townships and the counties the survey's households are in, as _elsewhere compares them: of
    their distinct names (a million households name a few dozen), once a run."""
    townships = set(_place_key(pd.unique(households["township"].fillna("").to_numpy(dtype=object)))) - {""}
    counties = set(_county_key(pd.unique(households["county"].to_numpy(dtype=object)))) - {""} \
        if "county" in households.columns else set()
    return townships, counties


def _elsewhere(rows: pd.DataFrame, survey_places: tuple[set[str], set[str]]) -> np.ndarray:
    """Per roster row, whether it is of a place the survey does not cover (`survey_places`): a township
    (乡镇 column) none of its households is in, or a county none is in where both name one (a county-wide
    低保 roster beside one township's survey: its other townships' people are not missing from the survey)."""
    if not len(rows):
        return np.zeros(0, dtype=bool)
    townships, counties = survey_places
    township = _place_key(rows["township"])
    out = (township != "") & ~texts_among(township, townships) if townships else np.zeros(len(rows), dtype=bool)
    if counties:
        county = _county_key(rows["county"])
        out |= (county != "") & ~texts_among(county, counties)
    return np.asarray(out, dtype=bool)


def _unreadable_rows(roster: Roster) -> np.ndarray:
    """A roster's rows whose ID cannot be matched (blank, or not valid: Excel kept it as a number)."""
    rows = roster.rows
    return ~rows["valid"].to_numpy(dtype=bool)


def _unreadable_named(roster: Roster, index: int, households: pd.DataFrame, persons: People,
                      members) -> pd.DataFrame | None:
    """The people of the survey named on a roster's row whose ID cannot be read (_unreadable_rows), in the
    village, township and county the row names where it names them (anywhere else where it does not):
    the roster may list them under that ID (UNREADABLE_COLUMNS). Only the people whose name starts as
    such a row's do are keyed."""
    rows = roster.rows
    wanted = rows[_unreadable_rows(roster) & (rows["name"] != "").to_numpy(dtype=bool)]
    if not len(wanted):
        return None
    wanted = pd.DataFrame({"key": _name_key(wanted["name"]), "place": _place_key(wanted["village"]),
                           "in_township": _place_key(wanted["township"]), "in_county": _county_key(wanted["county"]),
                           "sheet": wanted["sheet"].to_numpy(dtype=object), "row": wanted["row"].to_numpy()})
    names = households["head_name"].fillna("").to_numpy(dtype=object)[persons.hh]
    listed = np.flatnonzero(persons.member >= 0)
    if members is not None and len(listed):
        names[listed] = members.frame["name"].fillna("").to_numpy(dtype=object)[persons.member[listed]]
    initials = {k[:1] for k in wanted["key"].tolist()} - {""}
    take = np.flatnonzero(pd.Series(names, dtype=object).astype(str).str.strip().str[:1].isin(initials).to_numpy())
    if not len(take):
        return None
    there = persons.frame(take, households, members)
    at_hh = there["hh"].to_numpy()
    counties = _roster_counties(roster)
    county = _household_counties(households) if counties else np.full(len(households), "", dtype=object)
    there = there.assign(key=_name_key(there["name"]), village=_place_key(households["village"].fillna(""))[at_hh],
                         township=_place_key(households["township"].fillna(""))[at_hh], county=county[at_hh])
    named = there.merge(wanted, on="key")
    named = named[((named["place"] == "") | (named["place"] == named["village"])).to_numpy()
                  & ((named["in_township"] == "") | (named["in_township"] == named["township"])).to_numpy()
                  & _same_county(named["in_county"], named["county"], counties)]
    if not len(named):
        return None
    return named.assign(roster=index, kind=roster.kind)[UNREADABLE_COLUMNS]


def cadres_of(run: RosterRun, found: pd.DataFrame) -> np.ndarray:
    """Per row of `found` (RosterRun.matches or leads: roster, sheet, row), the cadre its 村干部亲属 roster
    row names beside the relative (村干部姓名: rosters.toml cadre_relative also_name), '' where none (the
    cadre's own row, another kind, a roster without the column). A match is its row's relative by ID, not
    the cadre of the same row; a lead (no usable ID) is the row's relative. The 核实清单 names the cadre:
    which one is to stand aside at the review is not otherwise told."""
    if not len(found):
        return np.zeros(0, dtype=object)
    named = [r.rows.loc[r.rows["cadre"] != "", ["sheet", "row", "id", "cadre"]].assign(roster=i)
             for i, r in enumerate(run.rosters) if (r.rows["cadre"] != "").any()]
    if not named:
        return np.full(len(found), "", dtype=object)
    named = pd.concat(named, ignore_index=True)
    named = named.astype({"row": found["row"].dtype, "roster": found["roster"].dtype})
    key = ["roster", "sheet", "row"] + (["id"] if "id" in found.columns else [])
    if "id" not in found.columns:
        named = named[named["id"] == ""]
    said = found[key].reset_index(drop=True).merge(named.drop_duplicates(key), on=key, how="left")
    return said["cadre"].fillna("").to_numpy(dtype=object)


def check_rosters(df: pd.DataFrame, run: RosterRun, log: IssueLog, members=None) -> None:
    """The issues a match makes on its household: roster_conflict where a roster of an exclusion
    (低保, 特困, 建档立卡) lists a member and the household said 否; member_deceased where a member
    on the deceased roster is still counted resident (is 常住, or says nothing of it), with the
    roster's date where it has one."""
    catalogue = rosters_catalogue().by_code
    matches = run.matches
    n = len(df)
    # The matches made on a row whose period does not read, found once for every kind.
    period_unread = matches.index[_on_rows(matches, run.rosters, "unread_period_rows")]
    for kind in dict.fromkeys(matches["kind"]):
        exclusion = catalogue[kind].exclusion
        if exclusion is None:
            # A lead-only roster (车辆, 财政供养 …) listing the ID under another name: the 核实清单 would
            # send the village to question the member over someone else's car. Said as on the others.
            _say_names_differ(matches[matches["kind"] == kind], "head_id", kind, n, log)
            continue
        field_name = EXCLUSION_FIELDS[exclusion]
        said_no = (df[field_name] == False).fillna(False).to_numpy(dtype=bool)  # noqa: E712 — a clear 否
        of_kind = matches[matches["kind"] == kind]
        # A person in two households: the roster decides neither (RosterRun.authoritative); each is said
        # so, naming the other, and stays for checking. Its other matches are not this person's.
        held = of_kind[of_kind["ambiguous"].to_numpy(dtype=bool) & (of_kind["effect"] == "authoritative").to_numpy()]
        if len(held):
            _say_undecided(df, held, field_name, log)
        of_kind = of_kind[~of_kind["hh"].isin(held["hh"]).to_numpy() | ~of_kind["ambiguous"].to_numpy(dtype=bool)]
        # A person the roster counts in another family's case (_in_other_household): no conflict with the
        # household's 否, a 疑点 of its own.
        away = (of_kind["other_head"] != "").to_numpy(dtype=bool)
        if away.any():
            _say_other_household(of_kind[away], field_name, kind, n, log)
        first = of_kind[~away].drop_duplicates("hh")
        on = np.zeros(n, dtype=bool)
        on[first["hh"].to_numpy()] = True
        log.add(on & said_no, field_name, "roster_conflict", hint=f"roster_{kind}",
                who=_per_household(first, "who", n, _who(first)), **_who_worded(first, n))
        _say_disagreeing(df, run, kind, field_name, log)
        _say_period_unread(df, run, of_kind[of_kind.index.isin(period_unread)], kind, field_name, log)
        # The name the roster gives to the ID is not the member's: one of the two IDs may be mistyped,
        # and the exclusion would then rest on someone else.
        _say_names_differ(of_kind, field_name, kind, n, log)
    _say_lost_digits(run, n, log)
    _not_listed(df, run, log)
    dead = matches[matches["kind"] == "deceased"]
    if len(dead):
        member = dead["member"].to_numpy()
        if members is not None:
            resident = members.frame["resident"].to_numpy(dtype=object)[np.maximum(member, 0)]
            counted = (member < 0) | (resident != False)  # noqa: E712 — 是, or nothing said
        else:
            counted = np.ones(len(dead), dtype=bool)
        dead = dead[counted].drop_duplicates("hh")
        on = np.zeros(n, dtype=bool)
        on[dead["hh"].to_numpy()] = True
        dated = np.zeros(n, dtype=bool)
        dated[dead.loc[dead["date"] != "", "hh"].to_numpy()] = True
        who = _per_household(dead, "who", n, _who(dead))
        date = _per_household(dead, "date", n, dead["date"].to_numpy(dtype=object))
        # A date that is the 注销日期 (the 死亡日期 blank) is said as such: the death may be earlier.
        cancelled = np.zeros(n, dtype=bool)
        cancelled[dead.loc[_on_rows(dead, run.rosters, "cancelled_rows"), "hh"].to_numpy(dtype=np.int64)] = True
        log.add(on & dated & ~cancelled, "residents", "member_deceased", hint="deceased_dated", who=who, date=date)
        log.add(on & dated & cancelled, "residents", "member_deceased", hint="deceased_cancelled", who=who, date=date)
        log.add(on & ~dated, "residents", "member_deceased", hint="deceased_undated", who=who)
    if members is not None:
        _unlinked_on_rosters(run, members)


def _say_lost_digits(run: RosterRun, n: int, log: IssueLog) -> None:
    """roster_lead_excel_number on each household of a lead by name and the first 15 digits of an ID Excel
    stored as a number (_prefix_leads), once per household: the roster's file and row, and that its ID
    lost its last digits, so the lead is to be confirmed. A lead, never a match."""
    lost = run.leads[(run.leads["why"] == "id_excel_number").to_numpy(dtype=bool)].drop_duplicates("hh")
    if not len(lost):
        return
    where = _where_worded(run, lost, n)
    for kind in dict.fromkeys(lost["kind"]):
        of_kind = lost[(lost["kind"] == kind).to_numpy(dtype=bool)]
        here = np.zeros(n, dtype=bool)
        here[of_kind["hh"].to_numpy(dtype=np.int64)] = True
        log.add(here, "head_id", "roster_lead_excel_number", hint=f"roster_{kind}",
                who=_per_household(lost, "who", n, _who(lost)), **where, **_who_worded(lost, n))


def _where_worded(run: RosterRun, said: pd.DataFrame, n: int, part: str = "where") -> dict[str, np.ndarray]:
    """Per household of `said` (hh, roster, sheet, row; once per household), its roster's file and row
    (农安县低保.xlsx 工作表「Sheet1」第 4 行), in each language: the message's {part}_zh and {part}_en."""
    files = np.array([r.path.name for r in run.rosters], dtype=object)[said["roster"].to_numpy(dtype=np.int64)]
    return {f"{part}_{lang}": _per_household(said, part, n, (files + " " + _rows_worded(said, lang)).astype(object))
            for lang in ("zh", "en")}


def _say_other_household(away: pd.DataFrame, field_name: str, kind: str, n: int, log: IssueLog) -> None:
    """roster_other_household on each household of a person an authoritative roster counts in another
    family's case (RosterRun.matches other_head, other_place), once per household: the roster's 户主 and
    place, and to verify whether the person has left that household or draws the benefit twice."""
    first = away.drop_duplicates("hh")
    on = np.zeros(n, dtype=bool)
    on[first["hh"].to_numpy()] = True
    place = first["other_place"].fillna("").astype(str)
    worded = {f"place_{lang}": _per_household(first, "place", n, np.where(
        place != "", place.map(lambda p: label("roster_other_household_place", lang, place=p)), "").astype(object))
        for lang in ("zh", "en")}
    log.add(on, field_name, "roster_other_household", hint=f"roster_{kind}",
            who=_per_household(first, "who", n, _who(first)), person=_per_household(
                first, "person", n, first["name"].fillna("").to_numpy(dtype=object)),
            head=_per_household(first, "head", n, first["other_head"].to_numpy(dtype=object)),
            **worded, **_who_worded(first, n))


def _say_disagreeing(df: pd.DataFrame, run: RosterRun, kind: str, field_name: str, log: IssueLog) -> None:
    """roster_disagree on each household of a person one roster of `kind` has in force and another has
    left (RosterRun.disagreeing): the household is taken as on the roster (one in force on any roster of
    the kind is), and the clerk is told which files and rows say what, and whom (masked ID), once per
    household."""
    said = run.disagreeing[(run.disagreeing["kind"] == kind).to_numpy()]
    if not len(said):
        return
    said = said.drop_duplicates("hh")
    n = len(df)
    on = np.zeros(n, dtype=bool)
    on[said["hh"].to_numpy(dtype=np.int64)] = True
    left = said[["hh", "left_roster", "left_sheet", "left_row"]].rename(columns=lambda c: c.removeprefix("left_"))
    where = _where_worded(run, said, n, "listed") | _where_worded(run, left, n, "left")
    log.add(on, field_name, "roster_disagree", hint=f"roster_{kind}", who=_per_household(said, "who", n, _who(said)),
            **_who_worded(said, n),
            person_id=_per_household(said, "id", n, mask_id(said["id"]).to_numpy(dtype=object)), **where)


def _on_rows(matches: pd.DataFrame, rosters: list[Roster], rows: str) -> np.ndarray:
    """Per match, whether it was made on a row of its roster's frame `rows` (a Roster field of sheet and row)."""
    frames = [getattr(r, rows)[["sheet", "row"]].assign(roster=i)
              for i, r in enumerate(rosters) if len(getattr(r, rows))]
    if not frames or not len(matches):
        return np.zeros(len(matches), dtype=bool)
    listed = pd.concat(frames, ignore_index=True)
    listed = listed.astype({"row": matches["row"].dtype, "roster": matches["roster"].dtype})
    key = ["roster", "sheet", "row"]
    found = matches[key].reset_index(drop=True).merge(listed.drop_duplicates(), on=key, how="left", indicator=True)
    return (found["_merge"] == "both").to_numpy(dtype=bool)


def _say_period_unread(df: pd.DataFrame, run: RosterRun, unread: pd.DataFrame, kind: str, field_name: str,
                       log: IssueLog) -> None:
    """roster_period_unread on each household of `unread`, the matches of `kind` made on a row whose
    在保起止日期 does not read (Roster.unread_period_rows): taken as in force, and the file and row said,
    once per household. Taken silently, a period ended a year before looked like one running."""
    said = unread.drop_duplicates("hh")
    if not len(said):
        return
    n = len(df)
    on = np.zeros(n, dtype=bool)
    on[said["hh"].to_numpy(dtype=np.int64)] = True
    log.add(on, field_name, "roster_period_unread", hint=f"roster_{kind}",
            who=_per_household(said, "who", n, _who(said)), **_who_worded(said, n), **_where_worded(run, said, n))


def names_differ(matches: pd.DataFrame) -> np.ndarray:
    """Per match (RosterRun.matches), whether the roster gives the ID a name and not the member's (as
    _name_key compares them): one of the two IDs may be mistyped."""
    listed = matches["listed_name"].fillna("").astype(str)
    return ((listed != "").to_numpy(dtype=bool)
            & (_name_key(listed) != _name_key(matches["name"].fillna("").astype(str))))


# What an export writes for a character its encoding lacks (王? for 王喆), as checks.name_character_lost reads it;
# a run of them may stand for one character (a UTF-8 character's bytes each replaced) or as many.
_LOST_RUN = re.compile("([?\ufffd]+)")


def _alike_but_lost(lost: str, whole: str) -> bool:
    """Whether name `lost` (as _name_key keys it), holding a ? or \ufffd, is `whole` but for the characters
    its runs of them stand for (one to as many as the run is long)."""
    parts = _LOST_RUN.split(lost)
    pattern = "".join(f".{{1,{len(p)}}}" if i % 2 else re.escape(p) for i, p in enumerate(parts))
    return len(parts) > 1 and re.fullmatch(pattern, whole) is not None and _LOST_RUN.search(whole) is None


def _why_names_differ(matches: pd.DataFrame) -> np.ndarray:
    """Per match whose names differ (names_differ), why it may be: roster_lost where the roster's name is
    the member's but for a character its export lost (王? for 王喆), survey_lost where the survey's is the
    roster's so; id (one of the two IDs may be mistyped) otherwise. Looked at per distinct pair of names."""
    pairs = pd.DataFrame({"listed": _name_key(matches["listed_name"].fillna("").astype(str)),
                          "name": _name_key(matches["name"].fillna("").astype(str))})
    codes, distinct = pd.MultiIndex.from_frame(pairs).factorize()
    why = np.array([("roster_lost" if _alike_but_lost(listed, name) else
                     "survey_lost" if _alike_but_lost(name, listed) else "id")
                    for listed, name in distinct], dtype=object)
    return why[codes] if len(codes) else np.array([], dtype=object)


def _say_names_differ(matches: pd.DataFrame, field_name: str, kind: str, n: int, log: IssueLog) -> None:
    """roster_name_mismatch on each household of `matches` (one kind's) whose roster names a member's ID
    otherwise, once per household, with why (a mistyped ID, or a character an export lost) and what the
    match did (the kind's effect); never the roster's name."""
    other = matches[names_differ(matches)].drop_duplicates("hh")
    if not len(other):
        return
    on = np.zeros(n, dtype=bool)
    on[other["hh"].to_numpy()] = True
    who = _per_household(other, "who", n, _who(other))
    done = f"roster_name_mismatch_{other['effect'].iloc[0]}"
    why = _why_names_differ(other)
    worded = {f"why_{lang}": _per_household(other, "why", n, pd.Series(why).map(
        {w: label(f"roster_name_mismatch_why_{w}", lang, done=label(done, lang)) for w in set(why)}).to_numpy(dtype=object))
        for lang in ("zh", "en")}
    log.add(on, field_name, "roster_name_mismatch", value=who, hint=f"roster_{kind}", who=who, **worded)


# The hints of issues that quote a roster's column beside the match itself (a death's date), and the
# hint that says the same without it: what leaves the county office says only *that* a member matched
# a roster (after-screening §1). The county's own issues.csv and quality.xlsx keep the date.
UNQUOTED_HINTS = {"deceased_dated": "deceased_undated", "deceased_cancelled": "deceased_undated"}


def without_roster_columns(issues: pd.DataFrame) -> pd.DataFrame:
    """An issue table (Result.issue_rows) as a document that leaves the county office takes it: each
    issue that quotes a roster's column (UNQUOTED_HINTS) with the hint that does not, its value gone.
    Its message is rendered again by the caller (privacy.masked_issues renders every one)."""
    if not len(issues) or "hint" not in issues.columns:
        return issues
    hints = issues["hint"].map(UNQUOTED_HINTS)
    on = hints.notna().to_numpy(dtype=bool)
    if not on.any():
        return issues
    out = issues.copy()
    out.loc[on, "hint"] = hints[on]
    if "date" in out.columns:
        out.loc[on, "date"] = None
    return out


def _not_listed(df: pd.DataFrame, run: RosterRun, log: IssueLog) -> None:
    """roster_not_listed: a household that said 是 to an exclusion whose roster was given, none of its
    people on any roster of that kind (a city's list of members beside its list of households; a match
    in two households counts: the person is on it), among the households of the places a roster of the
    kind covers (_covered; a returned request list, the households it lists: RosterRun.covers). Said once
    per household, however many rosters of the kind were given.

    Where such a roster has rows whose ID cannot be read, a household may be on it all the same: one of
    whose people a row names (RosterRun.unreadable) is told so (roster_unreadable_listed, naming the row),
    never to write 否; and while rows naming nobody have such IDs, no household is told to write 否."""
    catalogue = rosters_catalogue().by_code
    unreadable = run.unreadable
    for kind in dict.fromkeys(r.kind for r in run.rosters):
        exclusion = catalogue[kind].exclusion
        if exclusion is None:
            continue
        field_name = EXCLUSION_FIELDS[exclusion]
        said_yes = (df[field_name] == True).fillna(False).to_numpy(dtype=bool)  # noqa: E712 — a clear 是
        covered = np.zeros(len(df), dtype=bool)
        unnamed = 0
        for i, roster in enumerate(run.rosters):
            if roster.kind == kind:
                covered |= run.covers[i] if i in run.covers else _covered(roster, df)
                # A row with an ID that cannot be read and no name: anyone might be it.
                unnamed += int((_unreadable_rows(roster) & ~roster.rows["blank"].to_numpy(dtype=bool)
                                & (roster.rows["name"] == "").to_numpy(dtype=bool)).sum())
        not_listed = said_yes & ~run.matched(kind) & covered
        named = unreadable[unreadable["kind"] == kind].drop_duplicates("hh") if len(unreadable) else unreadable
        maybe = np.zeros(len(df), dtype=bool)
        maybe[named["hh"].to_numpy(dtype=np.int64)] = True
        if (not_listed & maybe).any():
            n = len(df)
            where = {f"where_{lang}": _per_household(named, "where", n, _rows_worded(named, lang)) for lang in ("zh", "en")}
            log.add(not_listed & maybe, field_name, "roster_unreadable_listed", hint=f"roster_{kind}",
                    who=_per_household(named, "who", n, _who(named)), **where)
        advice = {f"advice_{lang}": label("roster_not_listed_advice_unread" if unnamed else "roster_not_listed_advice",
                                          lang, count=f"{unnamed:,}") for lang in ("zh", "en")}
        log.add(not_listed & ~maybe, field_name, "roster_not_listed", hint=f"roster_{kind}", **advice)


def _rows_worded(named: pd.DataFrame, lang: str) -> np.ndarray:
    """Each roster row where it is: 工作表「Sheet1」第 4 行 (第 4 行 for a CSV), worded column-wise."""
    sheet = named["sheet"].fillna("").astype(str).to_numpy(dtype=object)
    row = named["row"].astype(str).to_numpy(dtype=object)
    before, rest = label("fact_roster_rows_sheet", lang, sheet="\x00", rows="\x01").split("\x00")
    between, after = rest.split("\x01")
    alone, end = label("fact_roster_rows", lang, rows="\x01").split("\x01")
    return np.where(sheet != "", before + sheet + between + row + after, alone + row + end).astype(object)


def _covered(roster: Roster, df: pd.DataFrame) -> np.ndarray:
    """The households of the places a roster has rows for, where that can be told (a township's roster
    says nothing of the others' households): of its counties where it names any (a household whose
    county is not known is kept); then of its townships where it names any, else of the one township
    of the survey its file's name names (合隆镇低保花名册_分村.xlsx); else of the townships its villages
    are in (its column, or a sheet per village, each sheet named for one of the survey's villages): a
    village of the roster's township with nobody on it is the very household to ask about. Every
    household where nothing tells."""
    n = len(df)
    covered = np.ones(n, dtype=bool)
    if not n:
        return covered
    places = roster.places
    counties = set(_county_key(places["county"])) - {""}
    if counties:
        home = _household_counties(df)
        covered &= (home == "") | texts_among(home, counties)
    township = _place_key(df["township"].fillna(""))
    townships = set(_place_key(places["township"])) - {""}
    if townships:
        return covered & texts_among(township, townships)
    stem = re.sub(r"\s+", "", normalise_text(pd.Series([roster.path.stem], dtype=object)).fillna("").iloc[0])
    full = {str(t) for t in pd.unique(normalise_place(df["township"]).fillna("").to_numpy(dtype=object))} - {""}
    named = {t for t in full if len(t) > 2 and t in stem}
    if len(named) == 1:  # a township's roster lists its villages' people: a village of none is covered too
        return covered & (township == _place_key(pd.Series(list(named), dtype=object))[0])
    village = _place_key(df["village"].fillna(""))
    villages = set(_place_key(places["village"])) - {""}
    if not villages and roster.sheets:
        sheets = set(_place_key(pd.Series(list(roster.sheets), dtype=object)))
        if sheets <= set(village) - {""}:
            villages = sheets
    if villages:
        covered &= texts_among(township, set(township[texts_among(village, villages)]))
    return covered


def _say_undecided(df: pd.DataFrame, held: pd.DataFrame, field_name: str, log: IssueLog) -> None:
    """roster_undecided on each household of a person an authoritative roster lists and who is in two
    households or more: once per household, naming the person and another household the person is in."""
    held = held.drop_duplicates(["hh", "id"])
    other = held["hh"].to_numpy(dtype=np.int64)[another_in_group(held["id"].to_numpy(dtype=object))]
    held = held.assign(other=other, who=_who(held)).drop_duplicates("hh")
    n = len(df)
    on = np.zeros(n, dtype=bool)
    on[held["hh"].to_numpy()] = True
    others = _per_household(held, "other", n, held["other"].to_numpy())
    kind = held["kind"].iloc[0]
    names = {f"roster_{lang}": label(f"roster_name_{kind}", lang) for lang in ("zh", "en")}
    add_naming_another_row(log, on, field_name, "roster_undecided", df, np.where(on, others, 0).astype(np.int64),
                           value=_per_household(held, "who", n, held["who"].to_numpy(dtype=object)),
                           member_id=_per_household(held, "id", n, held["id"].to_numpy(dtype=object)), **names)


def _unlinked_on_rosters(run: RosterRun, members) -> None:
    """A member linked to no household whose ID a roster lists: the roster does nothing to the
    household it belongs to (no exclusion, no 疑点, no difficulty borne out) until the member is
    placed. Said on the member's row, once per roster, with what was not done; counted in the run."""
    frame = members.frame
    keys = frame["key"].to_numpy()
    unlinked = frame["hh"].to_numpy() < 0
    if members.head_keys is not None:
        # A head's own row left unlinked (a 户编号 nobody has): the roster found him all the same, by
        # his household's 户主身份证号, and did to that household what it does. Nothing to say.
        heads = members.head_keys[members.head_keys >= 0]
        unlinked &= ~keys_among(keys, heads)
    if not unlinked.any():
        return
    said = np.zeros(len(frame), dtype=bool)
    for roster in run.rosters:
        listed = roster.rows.loc[roster.rows["valid"], "id"].to_numpy(dtype=object)
        on = unlinked & keys_among(keys, id_keys(listed)) & (keys >= 0)
        if on.any():
            # The roster's name in both languages: the message is worded later, in either.
            names = {f"roster_{lang}": label(f"roster_name_{roster.kind}", lang) for lang in ("zh", "en")}
            members.log.add(on, "member_id", "roster_member_unlinked", hint=f"unlinked_{roster.effect}",
                            member=frame["name"], relation=frame["relation"], **names)
            said |= on
    run.unlinked = int(said.sum())


def _place_key(places: pd.Series) -> np.ndarray:
    """Place names as compared: without what the place is called (前岗村, 长山村委会, 烧锅镇人民政府, 城关街道:
    fields.toml [places], PlaceWords.kind_pattern), a name of two characters at least being left; once
    per distinct name."""
    codes, distinct = pd.factorize(pd.Series(np.asarray(places, dtype=object), dtype=object).fillna(""))
    text = pd.Series(distinct, dtype=object)
    bare = text.str.replace(fields().places.kind_pattern(), "", regex=True)
    return np.where(bare.str.len() >= 2, bare, text).astype(object)[codes]


def _county_key(places) -> np.ndarray:
    """County names as compared: without what a county is called (农安县 is 农安, 九台区 and 九台市 九台:
    fields.toml [places] county) and without the city named before it (长春市农安县 is 农安), a name of two
    characters at least being left; once per distinct name."""
    codes, distinct = pd.factorize(pd.Series(np.asarray(places, dtype=object), dtype=object).fillna(""))
    text = normalise_text(pd.Series(distinct, dtype=object)).fillna("").str.replace(r"\s+", "", regex=True)
    ends = "|".join(map(re.escape, fields().places.county.ends))
    text = text.str.replace(f"(?<=..)(?:{ends})$", "", regex=True)
    text = text.str.replace(f"^.*(?:{ends})(?=.{{2,}}$)", "", regex=True)
    return text.to_numpy(dtype=object)[codes] if len(codes) else np.array([], dtype=object)


def _household_counties(households: pd.DataFrame) -> np.ndarray:
    """Each household's county (_county_key): its own 县(市、区), else the one county the survey names
    (a county's survey repeats its name, or leaves it blank on some rows); '' where none is known."""
    if "county" not in households.columns:
        return np.full(len(households), "", dtype=object)
    keys = _county_key(households["county"])
    named = set(keys) - {""}
    return np.where(keys == "", named.pop(), keys).astype(object) if len(named) == 1 else keys


def _roster_counties(roster: Roster) -> set[str]:
    """The counties a roster names (_county_key)."""
    return set(_county_key(roster.places["county"])) - {""}


def _same_county(listed, home, counties: set[str]) -> np.ndarray:
    """Whether a roster's row of county `listed` may be of a household of county `home`: the row names
    none, or the household's; where the household's is not known, only a roster of one county (the
    county's own) may be (a city's roster of several: which county is the household's is not known)."""
    listed, home = np.asarray(listed, dtype=object), np.asarray(home, dtype=object)
    return (listed == "") | (listed == home) | ((home == "") & (len(counties) <= 1))


def _name_key(names: pd.Series) -> np.ndarray:
    """A name as compared: normalised (full-width folded), without a note in brackets after it
    (蒋五(曾用名:蒋小五)), any white space, or any dot or dash between the parts of a minority's name
    (阿依古丽·买买提, 阿依古丽・买买提, 古丽娜尔-艾山)."""
    text = normalise_text(pd.Series(names.to_numpy(dtype=object), dtype=object)).fillna("")
    text = text.str.replace(r"\([^()]*\)", "", regex=True)  # NFKC made （） plain brackets
    return text.str.replace(r"[\s·•‧・･．.\-‐‑‒–—―－]", "", regex=True).to_numpy(dtype=object)


def _who(matches: pd.DataFrame) -> np.ndarray:
    """A matched person as the survey names them: relation and name (the head: the name alone)."""
    relation = matches["relation"].to_numpy(dtype=object)
    name = matches["name"].to_numpy(dtype=object)
    return np.where(relation != "", relation + " " + name, name)


def _who_worded(matches: pd.DataFrame, n: int) -> dict[str, np.ndarray]:
    """_who per household in each language (who_zh, who_en), the head said as the head (户主 高立军: "这一户的
    高立军" left the clerk to guess who he was)."""
    relation = matches["relation"].fillna("")
    return {f"who_{lang}": _per_household(matches, "who", n, _who(matches.assign(
        relation=relation.mask(relation.eq(""), label("relation_head", lang)), name=matches["name"].fillna(""))))
        for lang in ("zh", "en")}


def _per_household(matches: pd.DataFrame, _name: str, n: int, values: np.ndarray) -> np.ndarray:
    out = np.full(n, None, dtype=object)
    out[matches["hh"].to_numpy()] = values
    return out


__all__ = ["RosterSpec", "Roster", "RosterRun", "People", "read_roster", "read_rosters", "match_rosters", "check_rosters",
           "names_differ", "cadres_of",
           "ids_of_18", "people", "roster_job", "without_roster_columns", "FLAGS_COLUMN"]
