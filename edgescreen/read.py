"""Read survey files into one DataFrame of cell text, one row per household, with provenance.

Workbooks (.xlsx .xlsm .xls .ods) come parsed from workbook.py, CSV is read through pandas after the
encoding is settled (strict UTF-8 first, with or without BOM, then GB18030). Every cell is kept as
text. The header is found by header.py; total, blank and footer rows are dropped and recorded. Each
household keeps its file, sheet and Excel row number.

The same reading serves every kind of table header.py knows: a sheet whose header names the member
fields (姓名, 身份证号, 与户主关系) is a 家庭成员 table, read into a frame of its own with the same
provenance and the same row rules; a roster (rosters.py) is read through `read_table_file`.
"""

from __future__ import annotations

import calendar
import codecs
import dataclasses
import datetime as dt
import io
import itertools
import mmap
import operator
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

import numpy as np
import pandas as pd

from .catalogue import Lines, Phrase, fields, header_keys, label, messages, normalise_header, undated_header_keys
from .cells import cells_as_text, plain_numbers, rows_as_columns, texts_matching
from .dates import arabic_numerals, exported_day
from .errors import InputError, os_reason
from .header import (
    DEEP_HEADER_SCAN_ROWS,
    HEADER_SCAN_ROWS,
    ColumnRef,
    HeaderMatch,
    Table,
    check_columns,
    column_letter,
    find_header,
    household_table,
    member_table,
)
from .inputs import (
    CSV_SUFFIXES,
    HTML_TABLE,
    UTF16_BOMS,
    Background,
    Found,
    LeftOut,
    check_suffix,
    content_suffix,
    file_sha256,
    refuse_by_content,
    input_labels,
    sniff,
    unmarked_utf16,
    text_encoding,
)
from .html_table import html_table
from .marks import household_marks
from .rules import RuleSet
from .workbook import (HIDDEN, VERY_HIDDEN, VISIBLE, ParsedWorkbook, SheetHalves, SheetScan, TextRows, file_stamp,
                       SAVED_ZERO, parse_workbook, same_row_sum)

# Cell text is held in pandas' own (Python) string storage, named explicitly: with pyarrow installed
# pandas would otherwise pick Arrow storage for "string", and with it other regex and NA rules.
TEXT = pd.StringDtype("python")


class WorkbookSource(Protocol):
    """Where parsed workbooks come from: `take(path)` returns the workbook parsed (or raises its
    error). The command line passes one that parses ahead in a background thread (runtime.py)."""

    def take(self, path: Path) -> ParsedWorkbook: ...


class ParseWhenAsked:
    """The plain WorkbookSource: each workbook is parsed when the reader asks for it."""

    def take(self, path: Path) -> ParsedWorkbook:
        return parse_workbook(path)


# A table of this kind in a job's `tables` is never a sheet's own: it is read beside the sheet's own
# table, from the same cells, where that table's header left a column of its ID unread (a company
# register's shareholders beside its legal representatives: rosters._persons_table). The file is read
# and parsed once; where such a table is refused on a sheet, the sheet's own rows stand and the refusal
# is kept (InputFile.beside_refused) for the caller to say.
PERSONS_TABLE = "persons"


@dataclass(frozen=True)
class ReadJob:
    """A file to read as tables: read_table_file's arguments, and `finish`: (a module-level function,
    its further arguments) that takes the (table, cells) read and gives what the run keeps of them
    (members.type_member_sheets types the members sheets), done by whichever process reads it."""
    path: Path
    tables: tuple[Table, ...]
    include_hidden: bool = False
    finish: tuple | None = None
    label: str | None = None  # how the file is named in the outputs (inputs.input_labels)

    def finished(self, frames: list) -> list:
        if self.finish is None:
            return frames
        fn, args = self.finish
        return fn(frames, *args)

    @property
    def key(self) -> tuple[Path, tuple[str, ...]]:
        return self.path, tuple(t.kind for t in self.tables)


class FileSource(Protocol):
    """Where read files come from: `read(job, workbooks)` returns read_table_file's result for the
    job (or raises its error). The command line passes one that reads some of a run's files in a
    helper process while this one reads the others (runtime.py)."""

    def read(self, job: ReadJob, workbooks: WorkbookSource | None = None
             ) -> tuple[list[tuple[Table, pd.DataFrame]], InputFile]: ...


class Later:
    """What a file read by another process gives, handed over before it has come (a members table
    the helper is still typing): `get()` waits for it. See runtime.SharedReads."""

    def __init__(self, take: Callable[[], object]):
        self._take = take

    def get(self):
        return self._take()


def now(value):
    """A value, waited for if it is Later."""
    return value.get() if isinstance(value, Later) else value


class ReadHere:
    """The plain FileSource: each file is read in this process when the reader asks for it."""

    def read(self, job: ReadJob, workbooks: WorkbookSource | None = None
             ) -> tuple[list[tuple[Table, pd.DataFrame]], InputFile]:
        frames, record = read_table_file(job.path, job.tables, workbooks, include_hidden=job.include_hidden,
                                         label=job.label)
        return job.finished(frames), record


# Why a row of a sheet is no household: a total row, a row of sums with no label (its amounts the
# sums of the households above), an average row (平均), the footer (a signature line 村书记签字: in any
# cell counts), the header repeated part-way down, the column numbers under the header (栏次), a
# title or section line merged across the table, an example of how to fill in the form (_example_rows;
# on a sheet of the form's instructions, or placed in XX镇 XX村: _shown_examples),
# a sentence alone on its row below the last household (_note_rows).
SKIPPED_ROW_KINDS = ("total", "sum", "average", "footer", "header", "numbering", "section", "continued",
                     "unfilled", "example", "example_sheet", "placeholder", "note")

# The columns that name a place: a label there may be a total (前岗村小计) whatever words come first.
PLACE_FIELDS = ("county", "township", "village", "group")


@dataclass
class SheetInfo:
    name: str
    header_rows: tuple[int, int]  # Excel rows, inclusive
    columns: dict[str, ColumnRef]
    unknown_columns: list[ColumnRef]  # the columns not read (header.HeaderMatch.unknown)
    households: int = 0
    # (Excel row, reason): a reason of SKIPPED_ROW_KINDS.
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)
    # Households on rows hidden by hand, and on rows an autofilter hides: read like the others.
    hidden_rows: list[int] = field(default_factory=list)
    filtered_rows: list[int] = field(default_factory=list)
    # Households on rows struck through (删除线: the head's name, or most of the filled cells, in a struck
    # font), as (Excel row, its filled cells struck, its filled cells); and the comments (批注) on
    # households' rows, (Excel row, cell such as K9, text): read like the others, each said (marks.py).
    struck_rows: list[tuple[int, int, int]] = field(default_factory=list)
    comments: list[tuple[int, str, str]] = field(default_factory=list)
    # Rows at the sheet's end (first, last) holding only a value filled down from the row above (a
    # column filled to row 1,048,576), or an .ods's holding only what a merge covers: no households,
    # passed over (workbook.SheetScan.filler_row, hidden_reach), with the column's header where known.
    filled_down: tuple[int, int, ColumnRef | str] | None = None  # its column: a field's, or a letter
    # Money fields whose amounts the sheet gives in 万元 (its header, or a 单位:万元 line above it):
    # {field: what says so}, read as 万 (normalise).
    in_wan: dict[str, str] = field(default_factory=dict)
    # Yes/no fields whose column asks for a tick (低保户(打√)): {field: its column}; a blank there is the
    # form's 否 (normalise), said once.
    ticked: dict[str, ColumnRef] = field(default_factory=dict)
    # An online form's multiple choice (低保户┋特困人员) read as the yes/no fields it answers
    # (header._options_column): its column and those fields, said once.
    options: tuple[ColumnRef, tuple[str, ...]] | None = None
    # A table stacked below another on the same sheet whose header puts the fields in other columns
    # (read._tables): read by its own header, its rows keyed apart (sheet_key) so that each cell is
    # named by the column it is in.
    stacked: bool = False
    # A place field the sheet has no column of (a village's own form), read for all its rows from where
    # the form names it (_taken_places): {field: (name, source, what says so)}, source one of
    # PLACE_SOURCES. Said once for the sheet.
    places_from: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # The income years the lines above the sheet's header name (2020年度贫困边缘户入户登记表): a screen
    # of another year (--year left out, or mistyped) is said.
    title_years: tuple[int, ...] = ()
    # The day the lines above the header say the form was filled in (填报日期:2019年12月): the last day it
    # may mean (2019-12-31) and the words as written (二〇一九 in digits). Ages counted at today for an older
    # survey are said (quality.older_survey).
    filled_on: tuple[dt.date, str] | None = None
    # The county the form's title or 填报单位 line names (前郭尔罗斯蒙古族自治县…入户登记表), where the sheet has no
    # 县(市、区) column: the titles of summary.xlsx and the register's documents (Result.county), no row's.
    title_county: str | None = None
    # The total rows of a household sheet that give amounts or counts (合计, 本村小计): (Excel row, its
    # label, {field: the cell's text}) of the money and count cells filled, compared with the
    # households above once they are read (totals.check_total_rows).
    total_cells: list[tuple[int, str, dict[str, str]]] = field(default_factory=list)
    # Those that add up to no run of the households above: totals.TotalDiffers.
    totals_differ: list = field(default_factory=list)
    # Households read below the sheet's last total that no total covers (补录, added after the 合计 was
    # made): (the total's Excel row, its label, the households' Excel rows); totals.check_total_rows.
    below_last_total: tuple[int, str, list[int]] | None = None
    # A yes/no field's further columns read with its own (是否五保户 beside 是否特困人员: header.HeaderMatch.
    # together), each as its frame column together_field(name, k) names it, for its cells' issues.
    together: dict[str, list[ColumnRef]] = field(default_factory=dict)

    def key(self, file: str) -> str:
        """The sheet_key of its rows: file and sheet, and the header row of a stacked table."""
        return f"{file}\x1f{self.name}" + (f"\x1f{self.header_rows[0]}" if self.stacked else "")

    def places_said(self, key: str, lang, where: str) -> str:
        """places_from as the catalogue's `key` says it (a file fact, a terminal line), its {columns}
        (乡(镇)、行政村), {sources} (表题「合隆镇前岗村贫困边缘户入户登记表」) and {places} (合隆镇前岗村);
        those of a column there but blank on every row (read._blank_places) as `key`_blank says it."""
        blank = {f: p for f, p in self.places_from.items() if f in self.columns}
        missing = {f: p for f, p in self.places_from.items() if f not in self.columns}
        return label("places_said_sep", lang).join(
            label(k, lang, where=where, **_places_words(places, lang))
            for k, places in ((key, missing), (f"{key}_blank", blank)) if places)


@dataclass
class UnreadSheet:
    """A sheet of a roster with content but no recognised ID column: what a clerk needs to find it
    (its name, the headers seen: the filled cells of its fullest row near the top) and whether people
    are listed there all the same (cells shaped as ID numbers, and the column holding most)."""
    name: str
    headers: list[str]
    rows: int  # rows with content below the headers seen
    id_cells: int = 0
    id_column: str = ""


@dataclass
class InputFile:
    path: Path
    sha256: str
    kind: str
    encoding: str | None = None
    delimiter: str | None = None  # a text file's: 'comma', 'tab' or 'semicolon'
    sheets: list[SheetInfo] = field(default_factory=list)
    # Sheets read as 家庭成员 tables (their SheetInfo counts members in `households`).
    member_sheets: list[SheetInfo] = field(default_factory=list)
    # (sheet, reason): 'empty', 'no household header', 'summary' (a 汇总 sheet), 'hidden' or 'very hidden'.
    skipped_sheets: list[tuple[str, str]] = field(default_factory=list)
    # Formula cells of household rows whose value is not read: (sheet, cell such as "M12"); those
    # with no saved value, or every one when the workbook says its saved values are stale. Only
    # cells that decide (not an optional text's, left blank): their households are invalid.
    formula_cells_without_value: list[tuple[str, str]] = field(default_factory=list)
    error_cells: list[tuple[str, str]] = field(default_factory=list)  # (sheet, cell) of an Excel error value
    formulas_stale: bool = False
    # The same cells and error_cells as (sheet, Excel row, field, '=formula' or '#N/A'), for the
    # issue each gets.
    unread_formulas: list[tuple[str, int, str, str]] = field(default_factory=list)
    # A text file's records that run over more than one line (a field holding line breaks):
    # (row as numbered, the line of the text it starts on).
    records_over_lines: list[tuple[int, int]] = field(default_factory=list)
    # Hidden sheets not read (no --include-hidden) whose header is a household header: (sheet, the
    # households on it, None where a column is missing), for an attention-level fact.
    hidden_households: list[tuple[str, int | None]] = field(default_factory=list)
    # Hidden sheets read all the same (--include-hidden; a roster's, always).
    hidden_sheets_read: list[str] = field(default_factory=list)
    # The registration form's own list of (乡(镇), 行政村) pairs (edgescreen template --villages: its
    # hidden 村名单), as written: a household placed otherwise is said (checks.check_form_places).
    form_places: list[tuple[str, str]] = field(default_factory=list)
    # The suffix of the file's name where it holds something else (`kind`): an .xls renamed .xlsx.
    named_as: str | None = None
    # A roster's sheets with content but no recognised ID column (UnreadSheet), for its facts and errors.
    unread_sheets: list[UnreadSheet] = field(default_factory=list)
    # Its name in the outputs where that is not the file's own (inputs.input_labels: 华家镇/登记表.xlsx).
    label: str | None = None
    # A table read beside the sheets' own (PERSONS_TABLE): the sheets so read, as that table found them
    # (the columns it read), and the sheets where it was refused, with why: (sheet, the InputError).
    beside_sheets: list[SheetInfo] = field(default_factory=list)
    beside_refused: list[tuple[str, InputError]] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How the file is named in the ledger, the issues and the reports."""
        return self.label or self.path.name

    @property
    def households(self) -> int:
        return sum(s.households for s in self.sheets)

    @property
    def members(self) -> int:
        return sum(s.households for s in self.member_sheets)


# ---------------------------------------------------------------------------------------------
# Cells to text


@dataclass(frozen=True)
class _Words:
    """Words that mark a row as no household, as a pattern over a label cell (spaces inside ignored),
    and the cheap first look that finds the cells worth trying: they begin with one of `starts` or
    end with one of `ends`."""
    pattern: str
    starts: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()
    # Every match holds a character beyond ASCII (the words are Chinese): a column of ASCII text
    # (IDs, codes, numbers) holds none, which one look at the whole column tells.
    beyond_ascii: bool = False


def _starting(prefixes: tuple[str, ...], words: tuple[str, ...] = ("",)) -> _Words:
    """Words at the start of the cell: a word after one of the prefixes, or the word alone where ''
    is among the prefixes (本页合计, 合计(元))."""
    alternatives = "|".join(re.escape(p) for p in prefixes if p)
    pattern = "^" + (f"(?:{alternatives})" + ("?" if "" in prefixes else "") if alternatives else "") + \
        ("(?:" + "|".join(re.escape(w) for w in words) + ")" if any(words) else "")
    firsts = {p[0] for p in prefixes if p} | ({w[0] for w in words if w} if "" in prefixes or not alternatives else set())
    chinese = lambda texts: bool(texts) and not any(t.isascii() for t in texts)  # noqa: E731
    beyond = chinese([w for w in words if w]) or ("" not in prefixes and chinese([p for p in prefixes if p]))
    return _Words(pattern, starts=tuple(sorted(firsts)), beyond_ascii=beyond)


# After a total word at the end of a label: a unit in brackets, or a colon.
_TRAILER = r"(?:[(（][^()（）]*[)）]|[:：])?"


def _ending(words: tuple[str, ...]) -> _Words:
    """A total word closing the cell, whatever names the place before it (前岗村小计, 合隆镇合计,
    一组小计, 以上合计), with a unit in brackets or a colon after it."""
    alternatives = "|".join(re.escape(w) for w in words if w)
    ends = {w[-1] for w in words if w} | {")", "）", ":", "："}
    return _Words(f"(?:{alternatives}){_TRAILER}$", ends=tuple(sorted(ends)),
                  beyond_ascii=bool(words) and not any(w.isascii() for w in words if w))


@cache
def _place_ending(words: tuple[str, ...]) -> _Words:
    """A total word closing a label right after a place's last character (前岗村小计, 一组合计)."""
    closing = _ending(words)
    return _Words(f"[{_PLACE_ENDS}]" + closing.pattern, ends=closing.ends, beyond_ascii=True)


_PLACE_ENDS = "村组屯镇乡社队区县"
# An ID cell that holds an ID: 15 digits or more (an 18-character ID, one Excel turned into 2.2E+17),
# where a total row's holds nothing, a count or a phone number.
_ID_DIGITS = 15


def _holds_id(values: np.ndarray) -> np.ndarray:
    return np.fromiter((sum(map(str.isdigit, v)) >= _ID_DIGITS for v in values), dtype=bool, count=len(values))


@cache
def total_words() -> tuple[_Words, _Words]:
    """(a label beginning with a total word, after a total prefix or not: 合计, 本村小计, 以上合计; one
    closing a label that names a place first: 前岗村合计(元), 一组小计:), of fields.toml [rows]: how a
    total row is known, here and in the register's filled documents."""
    words = fields().rows
    return _starting(("", *words.total_prefixes), words.total_words), _ending(words.total_words)


def label_matches(values: np.ndarray, patterns: list[_Words], *, few: bool = False) -> list[np.ndarray]:
    """For each of `patterns`: which values (stripped text; spaces inside ignored) match it. A
    column of `few` distinct values (places: a township's name on every row of its villages) is
    looked at once per distinct value. Any other is passed over once per kind of first look (a
    C-level map), and only the values it finds are tried, once per distinct value."""
    n = len(values)
    if few and n:
        codes, distinct = pd.factorize(values)
        return [hit[codes] for hit in label_matches(np.asarray(distinct, dtype=object), patterns)]
    hits = [np.zeros(n, dtype=bool) for _ in patterns]
    if n and all(p.beyond_ascii for p in patterns) and "".join(values.tolist()).isascii():
        return hits
    starts = tuple(sorted({ch for p in patterns for ch in p.starts}))
    ends = tuple(sorted({ch for p in patterns for ch in p.ends}))
    maybe = np.fromiter(map(str.startswith, values, itertools.repeat(starts)), dtype=bool, count=n) \
        if starts else np.zeros(n, dtype=bool)
    if ends:
        maybe |= np.fromiter(map(str.endswith, values, itertools.repeat(ends)), dtype=bool, count=n)
    if maybe.any():
        codes, distinct = pd.factorize(values[maybe])
        squeezed = pd.Series(distinct, dtype=object).str.replace(r"\s+", "", regex=True)
        for hit, words in zip(hits, patterns):
            hit[maybe] = squeezed.str.contains(words.pattern, regex=True).to_numpy(dtype=bool)[codes]
    return hits


def no_place(values: np.ndarray) -> np.ndarray:
    """Which cells of a column of places say their row names none: a total (合计, 合隆镇小计), a count
    line (共 6 个村) or a footer (填表人:, 说明), as the survey's rows are known."""
    words = fields().rows
    total, closing = total_words()
    hits = label_matches(values, [total, closing, _starting(words.footer_prefixes), _count_line(words)], few=True)
    return np.logical_or.reduce(hits)


def _count_line(words) -> _Words:
    """A count word after a total prefix (本村共 20 户), or opening the label before a number and a
    unit (共12条记录, as web systems end an export): fields.toml count_words and count_units. 共 alone
    is a surname, so neither without the prefix or the number."""
    prefixes = "|".join(re.escape(p) for p in words.total_prefixes if p)
    counted = "|".join(re.escape(w) for w in words.count_words)
    units = "|".join(re.escape(u) for u in words.count_units)
    forms = ([f"(?:{prefixes})(?:{counted})"] if prefixes and counted else []) + \
        ([f"(?:{counted})[0-9]+(?:{units})"] if counted and units else [])
    if not forms:
        return _Words("(?!)")  # matches nothing
    starts = {p[0] for p in words.total_prefixes if p} | {w[0] for w in words.count_words if w}
    return _Words("^(?:" + "|".join(forms) + ")", starts=tuple(sorted(starts)), beyond_ascii=True)


def _signature_rows(columns: list[np.ndarray], n: int, signature_words: tuple[str, ...], *,
                    any_colon: bool = False) -> np.ndarray:
    """Rows where a cell of `columns` is a signature label: a few words holding one of
    `signature_words` (签字, 干部, 审核 …) and then a colon (村书记签字:, 包村干部:, 制表人:李四);
    `any_colon`: any cell holding a colon. A column without a colon is passed over at one look (the
    column joined), the others' cells looked at only where they hold one."""
    found = np.zeros(n, dtype=bool)
    if any_colon:
        pattern = "[:：]"
    elif signature_words:
        # A label of its own (村书记签字:, 村党支部书记(签字):), not a note in brackets after a place
        # (前岗村(村主任:王五)).
        pattern = ("^[^:：()（）]{0,10}(?:" + "|".join(re.escape(w) for w in signature_words)
                   + ")(?:[(（][^:：()（）]{1,4}[)）])?[^:：()（）]{0,6}[:：]")
    else:
        return found
    for values in columns:
        joined = "".join(values.tolist())
        if ":" not in joined and "：" not in joined:
            continue
        maybe = np.fromiter(map(operator.contains, values, itertools.repeat(":")), dtype=bool, count=n)
        maybe |= np.fromiter(map(operator.contains, values, itertools.repeat("：")), dtype=bool, count=n)
        at = np.flatnonzero(maybe)
        squeezed = pd.Series(values[at], dtype=object).str.replace(r"\s+", "", regex=True)
        found[at] |= squeezed.str.contains(pattern, regex=True).to_numpy(dtype=bool)
    return found


# A row of sums with no label is looked for only where such rows are few: a sheet whose names and
# IDs are mostly blank is a sheet to fix, each row a household to name, not a table of sums.
_SUM_ROWS_AT_MOST = 50


def _sum_rows(raw: dict[str, np.ndarray], table: Table, open_rows: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """Rows of sums that say nothing of what they are: no name, no ID, no village, and every money
    cell filled holding the sum of that column over the households above (those since the last
    total, footer, section or repeated header, `breaks`, or since the last sum found; or all of the
    sheet's above), two households at least. Looked at only among `open_rows` (those still
    households) and only where such rows are few; the amounts above are read only then."""
    n = len(open_rows)
    none = np.zeros(n, dtype=bool)
    money = [f for f in raw if table.kinds.get(f) == "money"]
    if not money or not n:
        return none
    unnamed = open_rows.copy()
    # A row with its 填表人 is a household's, however its amounts add up.
    for name in (table.id_field, table.name_field, "village", "enumerator"):
        if name in raw:
            unnamed &= raw[name] == ""
    counts = [f for f in raw if table.kinds.get(f) == "integer"]
    some_money = np.zeros(n, dtype=bool)
    for f in money:
        some_money |= raw[f] != ""
    at = np.flatnonzero(unnamed & some_money)
    if not len(at) or len(at) > _SUM_ROWS_AT_MOST:
        return none
    households = open_rows & ~unnamed
    # Fen, of numbers typed plainly (1200, 1200.50: one look at the column); a few others (1,200,
    # 1200元) with what a form adds stripped; anything else (见备注) is no sum.
    last = at[-1] + 1
    above = households[:last]
    counted = np.r_[0, np.cumsum(above)]
    sums, unknown = {}, {}
    for f in (*money, *counts):
        values = raw[f][:last]
        amounts = np.full(last, np.nan)
        plain = plain_numbers(values, 11, 2, sign=True)
        amounts[plain] = values[plain].astype(np.float64)
        other = np.flatnonzero(~plain & (above | unnamed[:last]) & (values != ""))
        if len(other):
            amounts[other] = _amounts(values[other])
        amounts[values == ""] = 0.0
        amounts = np.rint(amounts * 100)
        sums[f] = (amounts, np.r_[0.0, np.cumsum(np.where(above, np.nan_to_num(amounts), 0.0))])
        unknown[f] = np.r_[0, np.cumsum(above & np.isnan(amounts))]
    starts = np.maximum.accumulate(np.where(breaks, np.arange(n), -1))
    is_sum = none.copy()
    last_sum = -1
    for i in at.tolist():  # a few rows at most (_SUM_ROWS_AT_MOST)
        # The counts filled must add up too (a household's 3 residents are no sum of 6), and an amount
        # must be more than 0: a row of zeros and blanks is a household left unfilled, not a sum.
        filled = [f for f in (*money, *counts) if raw[f][i] != ""]
        if not any(sums[f][0][i] != 0 for f in filled if f in money):
            continue
        # Rows start … i-1: since the sheet's first, or since the last break or sum found above.
        for start in {0, max(int(starts[i]), last_sum) + 1}:
            if counted[i] - counted[start] < 2:
                continue
            if all(unknown[f][i] == unknown[f][start] and sums[f][0][i] == sums[f][1][i] - sums[f][1][start]
                   for f in filled):
                is_sum[i] = True
                last_sum = i
    return is_sum


def _numbering_and_section_rows(raw: dict[str, np.ndarray], left: list[np.ndarray], columns: dict[str, ColumnRef],
                                table: Table, open_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two kinds of row inside the table that are no household, among `open_rows` (those not yet
    told apart), looked at only where the ID cell holds a few characters at most or the name's words:

    - the column numbers statistical forms print under the header (栏次: 甲 乙 丙 1 2 3 …, ① ② ③):
      half the row's cells or more filled (three at least), each a marker (fields.toml
      column_markers), a number or a dash (— under a text column), the numbers rising from left to
      right, a numbering label (栏次) allowed in the first two cells; a number may carry how its column
      is made (7=3+4+5+6, (14)=(10)+(11)). One with neither ID nor name, numbers only under the
      number columns, is looked at too, if its numbers are no larger than a column's could be;
    - a title or section line merged across the table (一、永安村(共 8 户); each village's title where
      the villages' tables are stacked): one text, not a number, in every filled field cell, and in
      half the field cells or more (three at least): a merged cell's value fills its whole range.
    A row filled that little is an invalid household, for a person to look at, not one of these."""
    n = len(open_rows)
    none = np.zeros(n, dtype=bool)
    if table.id_field not in raw or not n:
        return none, none.copy()
    ids = raw[table.id_field]
    # Worth a look: an ID cell of a few characters at most (a column's number or marker), or one
    # holding the same words as the name's (a line merged across both).
    filled_id = ids != ""
    short = (np.fromiter(map(len, ids), dtype=np.int64, count=n) <= 4) & filled_id
    merged = (ids == raw[table.name_field]) & filled_id if table.name_field in raw else filled_id
    at = np.flatnonzero(open_rows & (short | merged))
    # Such lines are a few in a sheet; where most rows would be looked at (an ID column of 无 or of
    # the names), they are not what these rows are, and each is left a household, as it was.
    cap = max(200, n // 20)
    if len(at) > cap:
        at = at[:0]
    ordered = [left[c] for c in range(len(left))]
    field_columns = [raw[name] for name, _ in sorted(columns.items(), key=lambda item: item[1].index)]
    every = ordered + field_columns
    # A row with neither ID nor name, half its cells filled: the column numbers printed under the
    # number columns only. Counted column by column, over those rows alone.
    headless = np.flatnonzero(open_rows & ~filled_id & ((raw[table.name_field] == "") if table.name_field in raw
                                                         else True))
    if len(headless):
        counts = sum((column[headless] != "").astype(np.int64) for column in every)
        headless = headless[counts >= max(3, len(every) // 2)]
    if len(headless) > cap:
        headless = headless[:0]
    if not len(at) and not len(headless):
        return none, none.copy()
    words = fields().rows
    markers, labels = set(words.column_markers), {normalise_header(w) for w in words.numbering_labels}
    numbering, section = none.copy(), none.copy()
    # Column numbers count the sheet's columns: one larger than twice their number is an amount.
    for i, largest in itertools.chain(((i, None) for i in at.tolist()), ((i, 2 * len(every)) for i in headless.tolist())):
        cells = [_column_cell(normalise_header(column[i])) for column in every]
        filled = [c for c in cells if c]
        if len(filled) >= max(3, len(cells) // 2):
            numbering[i] = _is_numbering(filled, markers, labels, largest)
        if largest is not None:
            continue
        texts = {column[i] for column in field_columns if column[i]}
        if len(texts) == 1 and sum(bool(column[i]) for column in field_columns) >= max(3, len(field_columns) // 2):
            text = next(iter(texts))
            section[i] = not _NUMBER.fullmatch(normalise_header(text))
    return numbering, section & ~numbering


_NUMBER = re.compile(r"[+-]?[0-9.,]+")
# A column number with how the column is made from others (7=3+4+5+6, (14)=(10)+(11)+(12)+(13)).
_NUMBER_MADE_OF = re.compile(r"\(?([0-9]+)\)?=[-+*/×÷()0-9]+")


def _column_cell(text: str) -> str:
    """A cell of a row that may number the columns, as _is_numbering compares it: (3) and 3. are 3,
    7=3+4+5+6 is 7."""
    made_of = _NUMBER_MADE_OF.fullmatch(text)
    return made_of[1] if made_of else text.strip("()（）.、")


def _is_dash(cell: str) -> bool:
    """A cell of dashes only (—, -, ——): a column numbered by no number, as under a text column."""
    return all(unicodedata.category(c) == "Pd" for c in cell)


# Fields a form's every line may hold before anyone is surveyed: the place, and the enumerator
# dragged down the sheet.
_FORM_WIDE = (*PLACE_FIELDS, "enumerator")
_DEFAULTED = ("flag", "money", "integer")


def _unfilled_rows(raw: dict[str, np.ndarray], table: Table, open_rows: np.ndarray) -> np.ndarray:
    """Lines of a form prepared ahead and never used: no ID nor name, and nothing in the other fields
    but what a template or a drag down puts there (否 in the yes/no columns, 0 in the amounts and
    counts). The form's own 填表说明 says a line with only its 序号 is no household; neither is
    this one."""
    rows = np.flatnonzero(open_rows)
    # The text fields first: the rows with a name or an ID, nearly all of them, go at once.
    for name in sorted((f for f in raw if f not in _FORM_WIDE), key=lambda f: table.kinds[f] in _DEFAULTED):
        if not len(rows):
            break
        here = raw[name][rows]
        kind = table.kinds[name]
        nothing = here == ""
        if kind == "flag":  # 否 (fields.toml [flags] no)
            nothing |= _among(here, fields().flags.no)
        elif kind in _DEFAULTED:  # 0, or a dash or 无 ([money] none), which normalise reads as 0
            nothing |= money_none(pd.Series(here, dtype=object)) | (_amounts(here) == 0)
        rows = rows[nothing]
    unfilled = np.zeros(len(open_rows), dtype=bool)
    unfilled[rows] = True
    return unfilled


@cache
def _listed_words(key: str) -> tuple[str, ...]:
    """fields.toml [rows]' words the reader looks for (example_words, note_marks …), as matched (NFKC,
    no white space)."""
    return tuple(w for w in (normalise_header(w) for w in getattr(fields().rows, key)) if w)


@cache
def _example_patterns() -> tuple[_Words, str]:
    """(a 序号 cell that is an example's mark: 例, (例), 例1, 示例:; the same or a word of two characters
    or more anywhere in a 备注 cell: 示例,填写时删除), of fields.toml's example_words."""
    words = sorted(_listed_words("example_words"), key=len, reverse=True)
    either = "|".join(map(re.escape, words))
    alone = f"^[(\\[（【]?(?:{either})[)\\]）】]?[0-9]*[:：.。、]?$"
    long = "|".join(re.escape(w) for w in words if len(w) > 1)
    starts = tuple(sorted({w[0] for w in words} | set("([（【")))
    return _Words(alone, starts=starts, beyond_ascii=True), f"{alone}|{long}" if long else alone


def _example_rows(left: list[np.ndarray], notes: np.ndarray | None, n: int) -> np.ndarray:
    """Rows a county or a clerk filled in to show how (例 in the 序号 column, 示例,填写时删除 in 备注),
    left in place: no household, whatever their ID. The 序号 columns (left of the table) are looked at
    as total words are; 备注 only where one of the words is somewhere in the column, then once per
    distinct note."""
    alone, anywhere = _example_patterns()
    found = np.zeros(n, dtype=bool)
    for values in left:
        found |= label_matches(values, [alone])[0]
    if notes is not None and n:
        filled = np.flatnonzero(notes != "")
        joined = normalise_header("".join(notes[filled].tolist())) if len(filled) else ""
        if any(w in joined for w in _listed_words("example_words")):
            codes, distinct = pd.factorize(notes[filled])
            squeezed = pd.Series(distinct, dtype=object).map(normalise_header)
            found[filled] |= squeezed.str.contains(anywhere, regex=True).to_numpy(dtype=bool)[codes]
    return found


# The form's own example left in as a household (a county's 填表说明 sheet showing one filled row, an
# example placed in XX镇 XX村): a form shows one to three, so more rows so marked are the county's
# households (typed into such a sheet, or left with the template's place) and stay read.
_EXAMPLE_ROWS_AT_MOST = 3
# A place or a name that is a placeholder, nothing else (XX镇, ××村, X村, 某某村, ○○乡, XXX, 某某): no
# real township, village or person is called so. As matched (NFKC: ＸＸ is XX).
_PLACEHOLDER = "(?:[Xx×✕✖＊*]+|某+|[○〇□]{2,})"
_PLACEHOLDER_PLACE = re.compile(f"(?:{_PLACEHOLDER}(?:省|市|县|区|旗|镇|乡|街道|村|社区|屯)?)+")
_PLACEHOLDER_NAME = re.compile(_PLACEHOLDER)


def _instruction_sheet(name: str) -> bool:
    return any(w in normalise_header(name) for w in _listed_words("instruction_sheet_words"))


def _matching(values: np.ndarray, pattern: re.Pattern) -> np.ndarray:
    """Which cells match `pattern` as matched (NFKC, no white space), once per distinct value."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    codes, distinct = pd.factorize(values)
    squeezed = pd.Series(distinct, dtype=object).str.normalize("NFKC").str.replace(r"\s+", "", regex=True)
    return squeezed.str.fullmatch(pattern).to_numpy(dtype=bool)[codes]


def _shown_examples(grid: _Grid, raw: dict[str, np.ndarray], sheet: str, open_rows: np.ndarray, end: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """(rows of a sheet named as the form's instructions whose cells say 示例 or 请勿填写, rows placed in
    a placeholder: XX镇, XX村, or headed by one: XXX), among `open_rows` (those still read as households),
    each only where a form's few examples are: at most _EXAMPLE_ROWS_AT_MOST rows. A real household in a
    real village, whatever its head is called (张三), is neither."""
    n = len(open_rows)
    on_sheet = np.zeros(n, dtype=bool)
    placed = np.zeros(n, dtype=bool)
    at = np.flatnonzero(open_rows)
    if len(at) and len(at) <= _EXAMPLE_ROWS_AT_MOST and _instruction_sheet(sheet):
        marks = tuple(w for w in _listed_words("example_words") if len(w) > 1) + _listed_words("example_marks")
        text = normalise_header("".join("".join(grid.text(c, 0, end).tolist()) for c in range(grid.width)))
        if any(w in text for w in marks):
            on_sheet[at] = True
            return on_sheet, placed
    for name in ("county", "township", "village", "head_name"):
        if name in raw and len(at):
            placed[at] |= _matching(raw[name][at], _PLACEHOLDER_NAME if name == "head_name" else _PLACEHOLDER_PLACE)
    if placed.sum() > _EXAMPLE_ROWS_AT_MOST:
        placed[:] = False
    return on_sheet, placed


# A note below the table is one cell of text, alone on its row, that no name can be: more characters
# than any head's name without a middle dot (a Han name has at most 6, a Mongol or Manchu one written
# without the dot rarely 8: 那顺乌日图巴雅尔), or a sentence mark (fact_rows_note says so, with this number).
_NAME_CHARS_AT_MOST = 8
_NAME_DOTS = "·•・‧."


def _note_rows(raw: dict[str, np.ndarray], left: list[np.ndarray], table: Table, one_cell: np.ndarray,
               households: np.ndarray, carried: dict[str, np.ndarray]) -> np.ndarray:
    """Lines typed under the table that name nobody (以上户主均已签字确认 in the 户主姓名 column): among
    `households` (the rows still read as households), those with one field cell filled (`one_cell`), a
    text field's, nothing left of the table but a pre-printed 序号, its text a sentence (a mark of
    note_marks, or more than _NAME_CHARS_AT_MOST characters and no middle dot), and no household below
    them. A household with only its head's name typed (王秀兰) stays a household, invalid for its blanks.
    `carried`: per field, the rows a merged cell above carries its value down to (not typed there)."""
    n = len(households)
    at = np.flatnonzero(one_cell & households)
    notes = np.zeros(n, dtype=bool)
    if not len(at):
        return notes
    for values in left:  # a pre-printed 序号 at most
        cells = values[at]
        at = at[(cells == "") | pd.Series(cells, dtype=object).str.fullmatch(r"\s*[0-9]+\s*").to_numpy(dtype=bool)]
    text = np.full(len(at), "", dtype=object)
    for name, values in raw.items():
        if table.kinds[name] != "text" or not len(at):
            continue
        cells = values[at]
        typed = cells != ""
        if name in carried:
            typed &= ~carried[name][at]
        text[typed] = cells[typed]
    squeezed = pd.Series(text, dtype=object).map(normalise_header)
    marks = "|".join(map(re.escape, _listed_words("note_marks")))
    sentence = squeezed.str.contains(marks, regex=True) if marks else pd.Series(False, index=squeezed.index)
    long = (squeezed.str.len() > _NAME_CHARS_AT_MOST) & \
        ~squeezed.str.contains("[" + re.escape(_NAME_DOTS) + "]", regex=True)
    note_like = np.zeros(n, dtype=bool)
    note_like[at] = ((text != "") & (sentence | long).to_numpy(dtype=bool))
    # Below the last household of the table: a sentence between households is a household to fix.
    others = np.flatnonzero(households & ~note_like)
    last = others[-1] if len(others) else -1
    notes[last + 1:] = note_like[last + 1:]
    return notes


def _is_numbering(cells: list[str], markers: set[str], labels: set[str], largest: int | None = None) -> bool:
    """Whether the filled cells of a row, left to right, are a row of column numbers: three at least
    that are markers or numbers (dashes and a label besides), the numbers rising, none above
    `largest` if given."""
    numbers, marked = [], 0
    for k, cell in enumerate(cells):
        if (cell in labels and k < 2) or _is_dash(cell):
            continue
        if cell.isdigit() and cell.isascii():
            numbers.append(int(cell))
        elif cell in markers:
            marked += 1
        else:
            return False
    return len(numbers) + marked >= 3 and all(a < b for a, b in zip(numbers, numbers[1:])) and \
        (largest is None or all(x <= largest for x in numbers))


def _repeated_headers(raw: dict[str, np.ndarray], match: HeaderMatch, header_text: dict[str, set[str]],
                      two_rows: bool, table: Table) -> np.ndarray:
    """Rows that repeat the header (a multi-page export prints it atop every page): among the field
    cells filled, at least two and at least half hold a header of their own field (as typed on this
    sheet, or any alias). Only rows whose ID or residents cell holds that column's header text as
    typed are looked at (an element-wise comparison, no call per row), once per distinct value;
    under a two-row header the row after a repeated one is a repeat when half of its filled cells
    are headers. `header_text`: field → the texts of its header cells on this sheet."""
    n = len(next(iter(raw.values())))
    suspect = np.zeros(n, dtype=bool)
    for name in table.repeats:
        for text in header_text.get(name, ()) if name in raw else ():
            suspect |= raw[name] == text
    if two_rows:
        suspect[1:] |= suspect[:-1]
    at = np.flatnonzero(suspect)
    if len(at) == 0:
        return suspect
    index = table.alias_index
    headers = np.zeros(len(at), dtype=np.int64)
    filled = np.zeros(len(at), dtype=np.int64)
    for name, values in raw.items():
        typed = normalise_header(match.columns[name].header)
        codes, distinct = pd.factorize(values[at])
        own = np.array([bool(v) and (normalise_header(v) == typed or any(index.get(k) == name for k in header_keys(v)))
                        for v in distinct], dtype=bool)
        headers += own[codes]
        filled += values[at] != ""
    repeated = np.zeros(n, dtype=bool)
    repeated[at] = (headers >= 2) & (2 * headers >= filled)
    if two_rows:
        second = np.zeros(n, dtype=bool)
        second[at] = (headers >= 1) & (2 * headers >= filled)
        repeated[1:] |= repeated[:-1] & second[1:]
    return repeated


def _filled(cell) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


@dataclass
class _Grid:
    """A sheet's cells as columns of Python objects, row 0 being Excel row 1; or, `text_only`, of
    their text already (cells_as_text: a sheet read in halves)."""
    columns: list[np.ndarray]
    rows: int
    text_only: bool = False
    # Per column, the rows whose value a merged cell above carries down to them (_fill_merges).
    carried: dict[int, np.ndarray] = field(default_factory=dict)
    # A text file's fields in each record as written, an empty last one counted (_csv_shape).
    fields: np.ndarray | None = None

    @classmethod
    def from_rows(cls, rows: list[list]) -> _Grid:
        return cls(rows_as_columns(rows), len(rows))._trimmed()

    @classmethod
    def joined(cls, halves: tuple[TextRows, TextRows]) -> _Grid:
        """A sheet's halves as text (workbook.SheetHalves.as_text), each put at its own rows and
        columns: one grid of text as the whole sheet's, blank where neither half has a cell."""
        n = max(half.top + half.rows for half in halves)
        width = max(half.left + len(half.columns) for half in halves)
        columns = [np.full(n, "", dtype=object) for _ in range(width)]
        for half in halves:
            for k in range(len(half.columns)):
                columns[half.left + k][half.top:half.top + half.rows] = half.column(k)
        return cls(columns, n, text_only=True)._trimmed()

    def _trimmed(self) -> _Grid:
        """Without the blank rows at the bottom: a used range can claim a million rows for one
        stray cell, and only the rows above the last one with content are worth converting."""
        if self.rows == 0 or any(_filled(col[-1]) for col in self.columns):
            return self
        filled = np.zeros(self.rows, dtype=bool)
        for col in self.columns:
            filled |= (col != "") & (col != None)  # noqa: E711 — elementwise on an object array
        last = -1
        for r in np.flatnonzero(filled)[::-1]:  # a cell of only spaces is blank too
            if any(_filled(col[r]) for col in self.columns):
                last = r
                break
        self.columns = [col[: last + 1] for col in self.columns]
        self.rows = last + 1
        return self

    @property
    def width(self) -> int:
        return len(self.columns)

    def head(self, n: int, start: int = 0) -> list[list[str]]:
        """Rows `start` … n-1 as lists of their cells' text."""
        texts = [col[start:n] if self.text_only else cells_as_text(col[start:n]) for col in self.columns]
        return [[col[r] for col in texts] for r in range(max(0, min(n, self.rows) - start))]

    def carried_from(self, index: int, start: int, stop: int | None = None) -> np.ndarray | None:
        """Which of a column's rows from `start` (to `stop`) hold a value carried down by a merge (None:
        none)."""
        carried = self.carried.get(index)
        return None if carried is None else carried[start:stop]

    def text(self, index: int, start: int, stop: int | None = None) -> np.ndarray:
        """A column's text from row `start` (to `stop`): an array of its own (the reader writes into it)."""
        stop = self.rows if stop is None else min(stop, self.rows)
        if index >= self.width:
            return np.full(max(0, stop - start), "", dtype=object)
        column = self.columns[index][start:stop]
        return column.copy() if self.text_only else cells_as_text(column)


def _frame_from_grid(grid: _Grid, first_data_row: int, match: HeaderMatch, info: SheetInfo,
                     formulas: dict[tuple[int, int], str] | None = None, two_row_header: bool = False,
                     header_text: dict[str, set[str]] | None = None, *, table: Table,
                     errors: dict[tuple[int, int], str] | None = None,
                     truths: dict[tuple[int, int], str] | None = None, end: int | None = None,
                     repeats: np.ndarray | None = None,
                     ) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, str, str]]]:
    """Households (or members, or a roster's rows: `table`) of one sheet: raw text per field, Excel
    row numbers, rows that are no household dropped. Also returns the Excel row number of every
    household kept, and the cells of household rows whose value is not read: (Excel row, field,
    '=formula') of a formula never calculated, (Excel row, field, '#N/A') of an error value
    (`errors`, as `formulas` by cell). `truths`: cells of a truth value, read as its word (TRUE), not
    as the 1 calamine gives. `header_text`: field → the text of its header cells, to find the header
    repeated further down. Only the fields the table reads are taken from the grid, and only its rows
    above grid row `end` (where the next table of the sheet begins). `repeats`: grid rows that repeat
    the header with the same columns as found by _tables, skipped as header too."""
    end = grid.rows if end is None else min(end, grid.rows)
    n = max(0, end - first_data_row)
    excel_rows = np.arange(first_data_row + 1, first_data_row + 1 + n)
    columns = {name: ref for name, ref in match.columns.items() if table.reads(name)}
    raw = {name: grid.text(ref.index, first_data_row, end) for name, ref in columns.items()}
    unread: list[tuple[int, str, str]] = []
    by_column = {ref.index: name for name, ref in columns.items()}

    def fields_at(cells: dict[tuple[int, int], str]):
        """(Excel row, field, text) of the cells of `cells` in a column read and a row of the table."""
        for (row, col), text in cells.items():
            name = by_column.get(col)
            if name is not None and first_data_row < row <= end:
                yield row, name, text

    for row, name, word in fields_at(truths or {}):
        raw[name][row - 1 - first_data_row] = word
    # A formula cell of a stale workbook that shows an error is said as the formula it is.
    for row, name, formula in fields_at({**(errors or {}), **(formulas or {})}):
        # Not silently 0 or blank: a number, count, yes/no or ID cell shows its formula (the value
        # quoted in its issue), a text cell is left blank; normalise flags the cell.
        raw[name][row - 1 - first_data_row] = "" if table.kinds[name] == "text" else formula
        unread.append((row, name, formula))

    # Where a total or footer row says so: the columns left of the first field (序号), the place
    # columns, and the text fields that come first on a form (not notes, which may hold any words).
    first_col = min(ref.index for ref in match.columns.values())
    left = [grid.text(c, first_data_row, end) for c in range(first_col)]
    # A row with no field filled is no household (a pre-numbered empty line of the form); it is
    # reported as a total or footer row when its 序号 column says so. Nor is a row whose fields hold
    # only what merged cells above carry down to it: a household's cells merged over its members'
    # rows, or an unused line of a form whose 乡(镇) and 村 are merged over the whole block.
    blank = np.ones(n, dtype=bool)
    continued = np.zeros(n, dtype=bool)
    cells_typed = np.zeros(n, dtype=np.int16)  # field cells typed on the row (a note below the table: one)
    carried_by = {}
    for name, values in raw.items():
        typed = values != ""
        carried = grid.carried_from(columns[name].index, first_data_row, end)
        if carried is not None:
            carried_by[name] = carried
            continued |= typed & carried
            typed &= ~carried
        blank &= ~typed
        cells_typed += typed
    continued &= blank
    empty = blank.copy()
    for values in left:
        empty &= values == ""
    # A total word at the start of a label counts in any of these columns; one closing a label that
    # names a place first (前岗村小计) only in the columns of places and on a row without an ID.
    places = left + [raw[f] for f in PLACE_FIELDS if f in raw]
    others = [(f, raw[f]) for f in table.labels if f in raw]
    words = fields().rows
    total, total_closing = total_words()
    footer = _starting(words.footer_prefixes)
    # An average row (平均, 本村平均数) as a total row is found: the words are fields.toml average_words.
    average = _starting(("", *words.total_prefixes), words.average_words)
    average_closing = _ending(words.average_words)
    # A count line under the table (本村共 20 户 66 人, 共12条记录), in any label column of a row
    # without an ID.
    count = _count_line(words)
    is_total = np.zeros(n, dtype=bool)
    closes_total = np.zeros(n, dtype=bool)
    starts_footer = np.zeros(n, dtype=bool)
    counts = np.zeros(n, dtype=bool)
    is_average = np.zeros(n, dtype=bool)
    closes_average = np.zeros(n, dtype=bool)
    for i, values in enumerate(places):
        total_here, footer_here, closing_here, count_here, average_here, average_closing_here = label_matches(
            values, [total, footer, total_closing, count, average, average_closing], few=i >= len(left))
        is_total |= total_here
        starts_footer |= footer_here
        closes_total |= closing_here
        counts |= count_here
        is_average |= average_here
        closes_average |= average_closing_here
    for name, values in others:
        # In the head's name column, a total word closes a label only after a place (前岗村小计, 一组合计):
        # a head may be named 王合计.
        closing = [_place_ending(words.total_words)] if name == table.name_field else []
        total_here, footer_here, count_here, average_here, *closing_here = label_matches(
            values, [total, footer, count, average, *closing])
        is_total |= total_here
        starts_footer |= footer_here
        counts |= count_here
        is_average |= average_here
        for hit in closing_here:
            closes_total |= hit
    no_id = raw[table.id_field] == "" if table.id_field in raw else np.ones(n, dtype=bool)
    if table.id_field in raw:
        # A row whose ID cell holds an ID is a household's, whatever a label cell beside it says (审核通过
        # in a column left of the table, 合计 as a 村民小组, a head named 合计): never a total or footer.
        said = np.flatnonzero(is_total | starts_footer)
        held = said[_holds_id(raw[table.id_field][said])]
        is_total[held] = starts_footer[held] = False
    is_total |= (closes_total | counts) & no_id
    is_average = (is_average | closes_average) & no_id & ~is_total  # a head named 平均华 has an ID
    no_head = no_id & (raw[table.name_field] == "") if table.name_field in raw else no_id
    # Lines after a footer (填表说明 numbered 1. 2. …) are footer too unless they name a head, up to
    # the header repeated (the next village's table stacked below).
    repeated = _repeated_headers(raw, match, header_text or {}, two_row_header, table) if n else blank & False
    if repeats is not None and len(repeats):
        repeated[repeats - first_data_row] = True
    at = np.arange(n)
    last_footer = np.maximum.accumulate(np.where(starts_footer, at, -1)) if n else at
    last_header = np.maximum.accumulate(np.where(repeated, at, -1)) if n else at
    after_footer = (last_footer > last_header) & no_head
    # A signature line (村书记签字:, 包村干部: 王五) in any cell but free text, on a row without an ID;
    # an ID cell holding a colon (联系电话:139…) holds no ID. Only those rows are looked at: a
    # household's row is no signature line whatever its cells say.
    ids = [raw[table.id_field]] if table.id_field in raw else []
    idless = np.flatnonzero(no_id | _signature_rows(ids, n, (), any_colon=True))
    if len(idless):
        signable = left + [raw[f] for f in raw if f in PLACE_FIELDS or f in table.labels or table.kinds[f] != "text"]
        signed = np.zeros(n, dtype=bool)
        signed[idless] = _signature_rows([values[idless] for values in signable], len(idless), words.signature_words)
        starts_footer = starts_footer | signed
    is_footer = (starts_footer | after_footer) & ~is_total & ~is_average
    is_header = repeated & ~is_total & ~is_footer
    # An example row says what it is in so many words: before any other reason, whatever its ID.
    is_example = _example_rows(left, raw.get("notes") if table.kind == "households" else None, n) & ~blank
    is_total &= ~is_example
    is_average &= ~is_example
    is_footer &= ~is_example
    is_header &= ~is_example
    is_numbering, is_section = _numbering_and_section_rows(raw, left, columns, table, ~(blank | is_total | is_footer
                                                                                          | is_header | is_example))
    is_unfilled = _unfilled_rows(raw, table, ~(blank | is_total | is_average | is_footer | is_header | is_numbering
                                               | is_section | is_example))
    skipped = blank | is_total | is_average | is_footer | is_header | is_numbering | is_section | is_unfilled \
        | is_example
    is_sum = _sum_rows(raw, table, ~skipped, is_total | is_footer | is_section | is_header)
    keep = ~(skipped | is_sum)
    # The form's example left in where no 例 marks it: on its 填表说明 sheet (with the line saying so under
    # it), or in XX镇 XX村.
    is_example_sheet, is_placeholder = _shown_examples(grid, raw, info.name, keep, end) \
        if table.kind == "households" else (np.zeros(n, dtype=bool),) * 2
    keep &= ~(is_example_sheet | is_placeholder)
    is_note = _note_rows(raw, left, table, cells_typed == 1, keep, carried_by) if table.kind == "households" \
        else np.zeros(n, dtype=bool)
    keep &= ~is_note

    for mask, reason in ((is_total & ~empty, "total"), (is_sum, "sum"), (is_average & ~empty, "average"),
                         (is_footer & ~empty, "footer"), (is_header, "header"),
                         (is_numbering, "numbering"), (is_section, "section"), (is_unfilled, "unfilled"),
                         (is_example, "example"), (is_example_sheet, "example_sheet"),
                         (is_placeholder, "placeholder"), (is_note, "note"),
                         (continued & ~is_total & ~is_footer, "continued")):
        info.skipped_rows.extend((int(r), reason) for r in excel_rows[mask])
    info.skipped_rows.sort()
    if table.kind == "households":
        info.total_cells.extend(_total_cells(raw, left + [raw[f] for f in PLACE_FIELDS if f in raw], table,
                                             np.flatnonzero(is_total & ~empty), excel_rows))
    # The text arrays are taken as they are (every value is str): no copy of a million
    # pointers per column, and each raw array is let go as soon as its column is built.
    everything = bool(keep.all())
    columns = {}
    for name in list(raw):
        values = raw.pop(name)
        columns[name] = pd.array(values if everything else values[keep], dtype=TEXT, copy=False)
    # A yes/no field's further columns (是否五保户 beside 是否特困人员), as typed: normalise reads them with it.
    for name, refs in match.together.items():
        if table.reads(name):
            for k, ref in enumerate(refs, 2):
                values = grid.text(ref.index, first_data_row, end)
                columns[together_field(name, k)] = pd.array(values if everything else values[keep], dtype=TEXT,
                                                            copy=False)
    frame = pd.DataFrame(columns, copy=False)
    frame.insert(0, "row", excel_rows[keep])
    info.households = len(frame)
    kept_rows = excel_rows[keep]
    if unread and not everything:
        kept = set(kept_rows.tolist())
        unread = [u for u in unread if u[0] in kept]
    return frame, kept_rows, sorted(unread)


def _total_cells(raw: dict[str, np.ndarray], labels: list[np.ndarray], table: Table, at: np.ndarray,
                 excel_rows: np.ndarray) -> Iterator[tuple[int, str, dict[str, str]]]:
    """SheetInfo.total_cells of the total rows at `at`: a few rows of a sheet, their label the first
    cell left of the fields or among the places holding a total word (前岗村小计 beside the 合隆镇 of its
    township: the place it names tells which households it sums, totals._ways), else the first filled."""
    counted = [f for f in raw if table.kinds.get(f) in ("money", "integer")]
    words = fields().rows.total_words
    for i in at.tolist():
        cells = {f: raw[f][i].strip() for f in counted if raw[f][i].strip()}
        if cells:
            filled = [text for text in (str(values[i]).strip() for values in labels) if text]
            said = next((t for t in filled if any(w in t for w in words)), filled[0] if filled else "")
            yield int(excel_rows[i]), said, cells


@cache
def _template_list_sheets() -> frozenset[str]:
    """The names of the hidden sheet of villages that the registration form (edgescreen template)
    carries for its drop-downs, in either language."""
    text = messages().labels["form_list_sheet"]
    return frozenset((text.zh, text.en))


def _read_workbook(path: Path, parsed: ParsedWorkbook, tables: tuple[Table, ...], record: InputFile,
                   include_hidden: bool = False) -> list[tuple[Table, pd.DataFrame]]:
    frames = []
    record.formulas_stale = parsed.stale_formulas
    while parsed.sheets:
        entry = parsed.sheets.pop(0)  # let go of each sheet's cells once converted
        if entry.visibility != VISIBLE and not include_hidden:
            # An old copy (合隆镇(旧), 备份) or a list for drop-downs: named in the file facts, not read.
            # The registration form's own list of villages (edgescreen template) is said as that.
            own = entry.name in _template_list_sheets()
            record.skipped_sheets.append((entry.name, "template list" if own else entry.visibility))
            if own:
                record.form_places = _form_places(parsed, entry)
            else:
                _look_at_hidden(path, parsed, entry, tables, record)
            continue
        if entry.visibility != VISIBLE:
            record.hidden_sheets_read.append(entry.name)
        parsed.parse(entry)
        if isinstance(entry.sheet, InputError):
            raise entry.sheet
        sheet = entry.sheet
        try:
            halves = sheet.as_text() if isinstance(sheet, SheetHalves) else None
            if halves is not None:
                merges = halves[1].merges
                grid = _Grid.joined(halves)
            else:
                if isinstance(sheet, SheetHalves):  # the helper's half did not come
                    sheet = sheet.whole()
                merges = sheet.merged_cell_ranges or parsed.merges_of(entry)
                grid = _Grid.from_rows(sheet.to_python(skip_empty_area=False))
        except InputError:
            raise
        except Exception:
            raise InputError("sheet_unreadable", file=path.name, sheet=entry.name) from None
        del sheet, halves
        entry.sheet = None
        frames.extend(_read_sheet(path, entry.name, grid, tables, record, entry.scan, merges))
    return frames


# What a household header lacking a column raises (header.check_columns).
_HEADER_PROBLEMS = ("required_column_missing", "two_columns_one_field", "header_merge_misaligned")


def _form_places(parsed: ParsedWorkbook, entry) -> list[tuple[str, str]]:
    """The (乡(镇), 行政村) pairs of the form's own hidden list of villages (outputs/template.py: columns
    A:B under a header row); none where it cannot be read (nothing is then said of the places)."""
    try:
        parsed.parse(entry)
        sheet = entry.sheet
        if isinstance(sheet, InputError):
            return []
        if isinstance(sheet, SheetHalves):
            sheet = sheet.whole()
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 — a list not read checks nothing; the sheet is named as skipped
        return []
    finally:
        entry.sheet = None
    return [(str(r[0]).strip(), str(r[1]).strip()) for r in rows[1:]
            if len(r) > 1 and str(r[0]).strip() and str(r[1]).strip()]


def _look_at_hidden(path: Path, parsed: ParsedWorkbook, entry, tables: tuple[Table, ...], record: InputFile) -> None:
    """A hidden sheet left unread: read aside, to count the households it holds (a village hidden
    to tidy the workbook is not an old copy). Counted in the record's hidden_households, not read."""
    aside = InputFile(path, "", record.kind)
    try:
        parsed.parse(entry)
        sheet = entry.sheet
        if isinstance(sheet, InputError):
            return
        if isinstance(sheet, SheetHalves):
            sheet = sheet.whole()
        grid = _Grid.from_rows(sheet.to_python(skip_empty_area=False))
        own = tuple(t for t in tables if t.kind != PERSONS_TABLE)
        found = _read_grid(path, entry.name, grid, own, aside, entry.scan, sheet.merged_cell_ranges or ())
    except InputError as exc:  # a household header lacking a column: households all the same, uncounted
        found = None
        if exc.key in _HEADER_PROBLEMS:
            record.hidden_households.append((entry.name, None))
    except Exception:  # noqa: BLE001 — a sheet not read is already named as skipped; nothing more to say
        found = None
    finally:
        entry.sheet = None
    if found is not None and found[0].kind == "households" and aside.households:
        record.hidden_households.append((entry.name, aside.households))


MAX_CSV_COLUMNS = 16_384  # Excel's own limit: a wider "survey" is something else
TAB, COMMA, QUOTE, LINE_FEED, SEMICOLON = 9, 44, 34, 10, 59
_DELIMITER_NAMES = {TAB: "tab", COMMA: "comma", SEMICOLON: "semicolon"}
# Where a field that holds line breaks swallowed other households' lines: an ID number after the break
# in a field that is not the ID column, or most of a record's separators.
_ID_RUN = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


@dataclass
class _TextTable:
    """A text table's bytes as the parser reads them: the file itself (UTF-8, GB18030), or its text
    re-encoded as UTF-8 in memory (UTF-16, whose two-byte units the byte scans cannot read)."""
    path: Path
    encoding: str
    data: bytes | None = None

    @classmethod
    def open(cls, path: Path, encoding: str) -> _TextTable:
        if not encoding.startswith("utf-16"):  # utf-16, or utf-16-le/-be for text without its mark
            return cls(path, encoding)
        decoder = codecs.getincrementaldecoder(encoding)()
        out = io.BytesIO()
        with path.open("rb") as fh:  # a chunk at a time: never the whole text as one str
            while chunk := fh.read(1 << 24):
                out.write(decoder.decode(chunk).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
        return cls(path, "utf-8", out.getvalue())

    def stream(self):
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")

    def source(self):
        return io.BytesIO(self.data) if self.data is not None else self.path

    def delimiter(self) -> int:
        """The one Excel's "sep=;" first line names, else tab or comma, whichever the first 64 kB hold
        more of: a tab-separated file's names may hold commas, a comma-separated file almost never holds
        tabs. A semicolon where there are more of those than of either (Excel's CSV where the comma is
        the decimal mark); neither GBK's nor UTF-8's multi-byte characters hold the byte ;."""
        with self.stream() as fh:
            head = fh.read(1 << 16)
        first = head.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0].strip().lower()
        if first.startswith(b"sep=") and len(first) == 5 and first[4] in _DELIMITER_NAMES:
            return first[4]
        tabs, commas, semicolons = head.count(b"\t"), head.count(b","), head.count(b";")
        if semicolons > max(tabs, commas):
            return SEMICOLON
        return TAB if tabs > commas else COMMA


def _csv_shape(table: _TextTable, sep: int = COMMA, chunk_size: int = 1 << 24) -> tuple[int, int, np.ndarray]:
    """(the most fields in any record, the line breaks inside quoted fields, the fields of each
    record). Separators outside quotes are counted up to each line break outside quotes (a quoted
    separator or line break is text, RFC 4180). Counted with numpy over chunks."""
    width = 0
    carry = 0  # separators in the record that runs on past the chunk
    inside = 0  # whether the chunk starts inside a quoted field
    quoted_breaks = 0
    fields: list[np.ndarray] = []
    open_record = False  # bytes after the last line break: a last record without one
    with table.stream() as fh:
        while chunk := fh.read(chunk_size):
            open_record = True
            data = np.frombuffer(chunk, dtype=np.uint8)
            if b'"' in chunk:
                quoted = np.bitwise_xor.accumulate((data == QUOTE).view(np.uint8)) ^ inside
                inside = int(quoted[-1])
                outside = quoted == 0
                breaks = data == LINE_FEED
                seps = np.flatnonzero((data == sep) & outside)
                ends = np.flatnonzero(breaks & outside)
                quoted_breaks += int(np.count_nonzero(breaks)) - len(ends)
            elif inside:  # all of it inside one quoted field
                quoted_breaks += chunk.count(b"\n")
                continue
            else:
                seps = np.flatnonzero(data == sep)
                ends = np.flatnonzero(data == LINE_FEED)
            if len(ends) == 0:
                carry += len(seps)
                width = max(width, carry)
                continue
            per_record = np.diff(np.searchsorted(seps, ends), prepend=0)
            per_record[0] += carry
            width = max(width, int(per_record.max()))
            fields.append(per_record + 1)
            carry = len(seps) - int(np.searchsorted(seps, ends[-1]))
            width = max(width, carry)
            open_record = int(ends[-1]) < len(data) - 1
    if open_record:
        fields.append(np.array([carry + 1]))
    return width + 1, quoted_breaks, np.concatenate(fields) if fields else np.zeros(0, dtype=np.int64)


def _records_over_lines(path: Path, grid: _Grid, record: InputFile) -> None:
    """Records whose fields hold line breaks: each takes more than one line of the text, so the
    row numbers (as Excel numbers the records) and the text's line numbers part there. A field
    that swallowed other households' lines (a quote opened and never closed: an ID number or most
    of a record after the break) is refused, naming the line where it opens; other such records
    are listed in the file facts with the line each starts on. Only the cells holding a break are
    looked at, column by column."""
    breaks = np.zeros(grid.rows, dtype=np.int64)
    swallowed: list[tuple[int, int]] = []  # (row, column)
    for c, values in enumerate(grid.columns):
        at = np.flatnonzero(np.fromiter(map(operator.contains, values, itertools.repeat("\n")), dtype=bool,
                                        count=grid.rows))
        if len(at) == 0:
            continue
        cells = pd.Series(values[at], dtype=object)
        breaks[at] += cells.str.count("\n").to_numpy(dtype=np.int64)
        after = cells.str.split("\n", n=1).str[1]
        marks = (after.str.count(",") + after.str.count("\t") + after.str.count(";")).to_numpy()
        many = marks >= max(3, grid.width // 2)
        # An ID after the break with a field mark beside it: another record's. IDs alone, one a line (a
        # cell listing a household's people, Alt+Enter in Excel), are the cell's own.
        found = at[(after.str.contains(_ID_RUN).to_numpy(dtype=bool) & (marks > 0)) | many]
        swallowed += [(int(r), c) for r in found[:1]]
    if not breaks.any():
        return
    lines = np.arange(1, grid.rows + 1) + np.concatenate([[0], np.cumsum(breaks)[:-1]])  # line each record starts on
    if swallowed:
        r, c = min(swallowed)
        raise InputError("csv_quote_unclosed", file=path.name, line=int(lines[r]), column=column_letter(c),
                         last=int(lines[r] + breaks[r]))
    record.records_over_lines = [(int(r) + 1, int(lines[r])) for r in np.flatnonzero(breaks)]


def _read_csv(path: Path, tables: tuple[Table, ...], record: InputFile) -> list[tuple[Table, pd.DataFrame]]:
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise InputError("file_empty", file=path.name)
    if b"\x00" in head and not head.startswith(UTF16_BOMS) and not unmarked_utf16(head):
        raise InputError("csv_binary", file=path.name)
    record.encoding = text_encoding(path, refuse_nul=True)
    table = _TextTable.open(path, record.encoding)
    sep = table.delimiter()
    record.delimiter = _DELIMITER_NAMES[sep]
    width, quoted_breaks, fields = _csv_shape(table, sep)
    if width > MAX_CSV_COLUMNS:
        raise InputError("csv_too_wide", file=path.name, width=f"{width:,}", limit=f"{MAX_CSV_COLUMNS:,}")
    # The width counted above treats every quote as a quote; pandas' parser takes a quote inside an
    # unquoted field as text, so a record can come out wider. Widen and try again.
    while True:
        try:
            frame = pd.read_csv(table.source(), header=None, names=range(width), dtype=object, sep=chr(sep),
                                encoding=table.encoding, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, engine="c")
            break
        except pd.errors.ParserError:
            if width >= MAX_CSV_COLUMNS:
                raise InputError("csv_unreadable", file=path.name) from None
            width = min(MAX_CSV_COLUMNS, width * 2)
        except ValueError:
            raise InputError("csv_unreadable", file=path.name) from None
    del table
    shown = _shown_as_text if _may_hold_text_formulas(path, record.encoding) else (lambda column: column)
    grid = _Grid([shown(frame[c].to_numpy(dtype=object)) for c in frame.columns], len(frame))
    # Counted where each line break ends a record as pandas reads it (not a file of bare CR breaks).
    grid.fields = fields if len(fields) == len(frame) else None
    del frame
    if quoted_breaks:  # only then can a field hold a line break: the usual file is not looked at again
        _records_over_lines(path, grid, record)
    return _read_sheet(path, "", grid._trimmed(), tables, record, text_file=True)


def _may_hold_text_formulas(path: Path, encoding: str | None) -> bool:
    """Whether a text file holds =" anywhere (one search of its bytes, mapped, not read); a UTF-16
    file is looked at cell by cell."""
    if encoding is None or encoding.lower().replace("-", "").startswith("utf16"):
        return True
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            # = alone is found at memchr's speed and is rare in a survey; =" is looked for after it.
            at = data.find(b"=")
            for _ in range(1000):
                if at < 0 or data[at + 1:at + 2] == b'"':
                    return at >= 0
                at = data.find(b"=", at + 1)
            return data.find(b'="', at) >= 0
    except (OSError, ValueError):  # an empty or unmappable file: look at the cells
        return True


def _shown_as_text(column: np.ndarray) -> np.ndarray:
    """A CSV column with each ="…" cell as the text Excel shows for it: web systems write an ID or a
    code with leading zeros as that formula so that Excel keeps its digits (="220122197001011234").
    One look at the column joined finds whether any cell is one."""
    if '="' not in "\x00".join(column.tolist()):
        return column
    formula = np.fromiter(map(str.startswith, column, itertools.repeat('="')), dtype=bool, count=len(column))
    formula &= np.fromiter(map(str.endswith, column, itertools.repeat('"')), dtype=bool, count=len(column))
    formula &= np.fromiter(map(len, column), dtype=np.int64, count=len(column)) >= 3
    column = column.copy()
    column[formula] = pd.Series(column[formula], dtype=object).str.slice(2, -1).str.replace('""', '"', regex=False) \
        .to_numpy(dtype=object)
    return column


def _fill_merges(grid: _Grid, merges, below: int) -> None:
    """Give every cell of a merged range below grid row `below` the value its top-left cell holds,
    as the printed form shows it: 乡(镇), 行政村 and 村民小组 merged down over their households, a
    是否特困人员 merged over a village. Merges in the header are left as they are (the header is
    read from their top-left cells). One slice per merged column, not a loop over rows."""
    for (r1, c1), (r2, c2) in merges:
        if r1 <= below or r1 >= grid.rows:
            continue
        r2 = min(r2, grid.rows - 1)
        value = grid.columns[c1][r1] if c1 < grid.width else None
        for c in range(c1, min(c2, grid.width - 1) + 1):
            grid.columns[c][r1:r2 + 1] = value
            if r2 > r1:
                carried = grid.carried.setdefault(c, np.zeros(grid.rows, dtype=bool))
                carried[r1 + 1:r2 + 1] = True


def _among(text: np.ndarray, words: Iterable[str]) -> np.ndarray:
    """Which cells say one of `words`, read as a header is (width and spaces aside)."""
    return pd.Series(text, dtype=object).map(normalise_header).isin(list(words)).to_numpy(dtype=bool)


def _ticked(text: np.ndarray) -> np.ndarray:
    """Which cells of a tick column are ticked: filled, and not a "no" (×, 否, 0, a dash) nor an empty
    box or circle (○, □: the box not chosen, beside a ● or ☑ in the one that is)."""
    return ~_among(text, ("", *fields().flags.no, *fields().flags.unticked))


_TICK_MARKS = re.compile(r"^[√✓✔☑●■]\s*")


# The currency an amount may begin with (normalise's money grammar), after NFKC (￥ is ¥).
CURRENCY = r"(?:人民币|(?i:RMB|CNY)|¥|\$)"
# A currency sign before the word for none says nothing more: Excel's 会计专用 (accounting) format shows
# a zero as " ¥-   ", and a CSV or text save writes what is shown.
_CURRENCY_BEFORE_NONE = rf"^{CURRENCY}(?=.)"
# A cell holding a currency, before NFKC (the full-width signs too).
_CURRENCY_SIGN = re.compile(rf"{CURRENCY}|[￥＄]")
_CURRENCY_TEXTS = ("¥", "￥", "$", "＄", "人民币", "RMB", "rmb", "CNY", "cny")


def money_none(text: pd.Series, *, normalised: bool = False) -> np.ndarray:
    """Which money cells say none (fields.toml [money] none: a dash, 无), a currency sign before the
    word or not (¥-, ￥ —); 0 yuan, as a 0 typed is. `normalised`: the cells are already as
    normalise_header makes them (normalise's money text), and are compared as they are. Only cells
    holding a currency sign are looked at one by one (a county's money columns hold none)."""
    words = [normalise_header(w) for w in fields().money.none]
    text = text if normalised else text.fillna("")  # normalise's money text has no NA
    values = text.to_numpy(dtype=object)
    out = text.isin(words).to_numpy(dtype=bool) if normalised else _among(values, words)
    joined = "\x00".join(values)  # cells of text: blanks are '' here
    # Looked for as plain text first: a regex over a column of 100,000 amounts is ten times slower.
    if any(sign in joined for sign in _CURRENCY_TEXTS):
        at = texts_matching(values, _CURRENCY_SIGN, joined=joined)
        bare = pd.Series(values[at], dtype=object).map(normalise_header).str.replace(_CURRENCY_BEFORE_NONE, "",
                                                                                   regex=True)
        out = out.copy()  # isin's array may be read-only
        out[at] |= bare.isin(words).to_numpy(dtype=bool)
    return out


def _amounts(text: np.ndarray) -> np.ndarray:
    """Amounts typed plainly (1200, 1,200, 1200元, 1112元整) as floats; NaN for a blank or anything else."""
    return pd.to_numeric(pd.Series(text, dtype=object).str.replace(r"[,，\s元]|整$", "", regex=True),
                         errors="coerce").to_numpy(dtype=float)


def _read_sub_columns(path: Path, sheet: str, grid: _Grid, match: HeaderMatch, start: int,
                      stop: int | None = None, where=None) -> None:
    """The fields whose header stands over sub-columns of their own (header.SubColumns), each written
    into the column it is read from, from grid row `start` on (to `stop`, where the sheet's next
    table begins; `where` names the table in a refusal): a 是 | 否 pair as one yes/no (both
    ticked: a value no yes/no reads), tick columns as the names of those ticked (因病、因学; a cell
    with more than a tick adds what it says), an amount's 小计 as typed, or the sum of the columns
    beside it where it is blank (a 小计 that differs from them says so, and is no number). A field
    that cannot be read from its sub-columns refuses the sheet, naming them; one the screen does not
    need (家庭人口数 over 男 | 女, beside 家庭常住人口数) is left unread, its columns named."""
    flags = fields().flags
    total_words = set(fields().rows.total_words)
    for sub in match.sub_columns:
        keys = [normalise_header(b) for b in sub.labels]
        at = sub.columns[keys.index(next(k for k in keys if k in total_words))] if sub.kind == "total" \
            else sub.columns[0]
        name = next((n for n, ref in match.columns.items() if ref.index == at), None)
        if name is None:
            continue
        refs = [ColumnRef("", c, column_letter(c), f"{sub.header}/{b}") for c, b in zip(sub.columns, sub.labels)]
        if sub.kind == "unreadable":
            spec = fields().by_name.get(name)
            if spec is not None and not spec.required and spec.kind not in ("money", "flag"):
                del match.columns[name]
                match.unknown.extend(refs)
                continue
            where = where or Phrase("where_sheet", file=path.name, sheet=sheet)
            raise InputError("sub_columns_unreadable", where=where,
                             header=sub.header, columns=refs,
                             hint=Phrase("sub_columns_subtotal") if spec is not None and spec.kind == "money" else "")
        texts = [grid.text(c, start, stop) for c in sub.columns]
        if sub.kind == "total":
            parts = [t for c, t in zip(sub.columns, texts) if c != at]
            amounts = np.column_stack([_amounts(t) for t in parts])
            filled = np.column_stack([t != "" for t in parts])
            summed = np.where(np.isnan(amounts), 0.0, amounts).sum(axis=1)
            readable = ~(filled & np.isnan(amounts)).any(axis=1) & filled.any(axis=1)
            given = texts[sub.columns.index(at)]
            stated = _amounts(given)
            value = given.astype(object)
            sums = np.char.mod("%.2f", summed).astype(object)
            blank = (given == "") & readable
            value[blank] = sums[blank]
            differs = readable & ~np.isnan(stated) & (np.abs(stated - summed) > 1.0)
            # shown as typed beside the sum it should be: no number, an error on the cell
            words = "+".join(b for c, b in zip(sub.columns, sub.labels) if c != at)
            value[differs] = given[differs] + f" ≠ {words} = " + sums[differs]
        else:
            ticked = [_ticked(t) for t in texts]
            if sub.kind == "pair":
                yes, no = ticked
                both = sub.labels[0] + texts[0] + " " + sub.labels[1] + texts[1]  # 是√ 否√: both boxes, as ticked
                value = np.select([yes & ~no, no & ~yes, yes & no], [flags.yes[0], flags.no[0], both], "")
            else:
                value = np.full(len(texts[0]), "", dtype=object)
                for text, on, label_ in zip(texts, ticked, sub.labels):
                    plain = pd.Series(text, dtype=object).map(normalise_header).isin(flags.yes).to_numpy(dtype=bool)
                    said = pd.Series(text, dtype=object).str.replace(_TICK_MARKS, "", regex=True).to_numpy(dtype=object)
                    piece = np.where(on, np.where(plain | (said == ""), label_, label_ + "(" + said + ")"), "")
                    piece = piece.astype(object)
                    value = np.where(value == "", piece, np.where(piece == "", value, value + "、" + piece))
        column = grid.columns[at]
        if column.dtype != object or not column.flags.writeable:  # a text file's columns are read-only views
            column = grid.columns[at] = column.astype(object)
        column[start:start + len(value)] = value


def _refuse_group_strays(path: Path, sheet: str, grid: _Grid, match: HeaderMatch, table: Table, rows: np.ndarray,
                         where=None) -> None:
    """Refuses a sheet with a column under an income or expense group header that names none of its
    components (header.GroupStray: 其他收入 inserted inside 家庭总收入(元)) where the sum is computed
    from the components (no total column) and a household (Excel `rows`) has an amount there.

    Refused, not read as a row error: its amounts belong to the household's sum, and no component can
    be guessed for them; as with a field split into sub-columns without a 小计, or a sum with a component
    missing, reading the sheet as it stands would read every such household wrong, and the fix (move
    the amounts, or rename the header) is one edit to the column. A column left blank, one that begins
    with 其中 (a part already counted in its component: 其中:低保金) or one that is computed (人均纯收入:
    fields.toml looks_computed) is no amount left out, and stays a column not read, as before."""
    breakdown = _listed_words("group_breakdown_words")
    computed = [normalise_header(w) for w in fields().headers.looks_computed]
    for stray in match.strays:
        key = normalise_header(stray.label)
        if stray.field in match.columns or key.startswith(breakdown) or any(w in key for w in computed):
            continue
        _, _, held = _held_amounts(grid, stray.column, rows)
        if not held.any():
            continue
        unit = next(u for u in table.units if u[-1] == stray.field)
        by_name = table.by_name
        raise InputError("group_column_unread", where=where or _where_said(path, sheet),
                         column=ColumnRef("", stray.column, column_letter(stray.column), stray.label),
                         group=stray.group, components=[by_name[f].header for f in unit[:-1]],
                         total=by_name[stray.field].header, rows=_rows_shown(rows[held]))


def _held_amounts(grid: _Grid, column: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A column's cells on the households' Excel `rows`: as amounts (_amounts: NaN for blank or words),
    which are filled (not blank, no money_none word: -, 无), and which hold an amount (filled, not 0)."""
    values = grid.text(column, 0)[rows - 1]
    amounts = _amounts(values)
    filled = (values != "") & ~money_none(pd.Series(values, dtype=object))
    return amounts, filled, filled & ~(amounts == 0)


def _rows_shown(rows: np.ndarray) -> list:
    """The first five Excel rows a refusal names, then … where there are more."""
    return rows[:5].tolist() + (["…"] if len(rows) > 5 else [])


def _where_said(path: Path, sheet: str) -> Phrase | str:
    """Where a refusal is: the file and its sheet, or the file alone where it has no sheets (a CSV)."""
    return Phrase("where_sheet", file=path.name, sheet=sheet) if sheet else path.name


@cache
def _sum_words() -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """fields.toml [headers.sum_words] as matched: the words that make a header no amount of a sum
    (`none`, looks_computed, the total words), and (word, field) for the others."""
    words = fields().headers.sum_words
    none = (*words.get("none", ()), *fields().headers.looks_computed, *fields().rows.total_words)
    said = tuple((normalise_header(w), name) for name, ws in words.items() if name != "none" for w in ws)
    return tuple(w for w in (normalise_header(w) for w in none) if w), tuple((w, f) for w, f in said if w)


def unread_amount_field(header: str, table: Table) -> tuple[tuple[str, ...], str] | None:
    """The sum (a unit of `table`: its components, then its total) an unread header reads as an amount
    of, and the field its words say it is (a component, or the sum's total where they name none); None
    for a header that is no such amount (fields.toml [headers.sum_words]). A compound says what it is
    by its last word: the word ending last picks the sum (化肥补贴 is income, 养殖成本 a cost), then the
    last of that sum's component words the component (土地流转收入: 财产性收入)."""
    key = normalise_header(header)
    none, words = _sum_words()
    if key.startswith(_listed_words("group_breakdown_words")) or any(w in key for w in none):
        return None
    found = [(key.rfind(w) + len(w), len(w), f) for w, f in words if w in key]
    units = [u for u in table.units if len(u) > 1]
    found = [(end, size, f, u) for end, size, f in found for u in units if f in u]
    if not found:
        return None
    unit = max(found, key=lambda x: x[:2])[3]
    parts = [x for x in found if x[3] == unit and x[2] != unit[-1]]
    return unit, max(parts, key=lambda x: x[:2])[2] if parts else unit[-1]


def _refuse_unread_amounts(path: Path, sheet: str, grid: _Grid, match: HeaderMatch, table: Table, rows: np.ndarray,
                           where=None) -> None:
    """Refuses a sheet with a column not read whose header says it is income or a cost (土地流转收入 beside
    财产性收入; 本地务工收入 beside 外出务工收入, read as 工资性收入) where that sum is computed from its
    components (no total column) and a household (Excel `rows`) has an amount there.

    As a column under the group header naming no component (_refuse_group_strays), for a flat header:
    its amounts belong to the household's sum, read as it stands every such household's income would be
    too small and check would call the survey ready to send. Where the total is given, its column decides
    and the mismatch checks compare it with the components: nothing is refused. A column of words (收入
    来源: 务工), left blank or all 0, or that is no amount of the sum (unread_amount_field: 其中:低保金,
    人均纯收入, 务工时间, 医疗支出 …) stays a column not read, said on the terminal as before. So does a
    component's name told apart by a year or 其中 beside its column (2018年工资性收入): another year's."""
    strays = {s.column for s in match.strays}  # refused as such, or passed over there (_refuse_group_strays)
    for ref in match.unknown:
        if ref.index in strays or (ref.field and not any(table.alias_index.get(k) == ref.field
                                                         for k in undated_header_keys(ref.header))):
            continue
        said = unread_amount_field(ref.header, table)
        if said is None or said[0][-1] in match.columns:
            continue
        amounts, filled, held = _held_amounts(grid, ref.index, rows)
        # Amounts, not words: most of its filled cells numbers (a note or two among them is still an amount
        # column; 收入来源's 务工 / 种植 is none).
        if not held.any() or 2 * np.isnan(amounts[filled]).sum() > filled.sum():
            continue
        unit, name = said
        by_name = table.by_name
        into = match.columns.get(name)
        if into is not None:
            into = Phrase("unread_amount_into", header=ref.header, field=by_name[name].header, column=into) \
                if normalise_header(into.header) == normalise_header(by_name[name].header) else \
                Phrase("unread_amount_into_read_as", header=ref.header, field=by_name[name].header, column=into)
        else:
            into = Phrase("unread_amount_into_one_of", components=[by_name[f].header for f in unit[:-1]])
        raise InputError("income_column_unread", where=where or _where_said(path, sheet),
                         column=ref, header=ref.header, into=into, total=by_name[unit[-1]].header,
                         components=[by_name[f].header for f in unit[:-1]], rows=_rows_shown(rows[held]))


def _is_summary(match: HeaderMatch, table: Table, names: tuple[str, ...] = ()) -> bool:
    """A county's 汇总 sheet beside its household sheets: places, residents and incomes counted by
    village, no household listed. Its header names places and sums as a household sheet's does, but
    no head (neither name nor ID), and counts households (总户数, 低保户(户): fields.toml
    summary_markers), or its sheet's or file's name (`names`) says it is one (汇总表.xlsx, 「汇总」:
    summary_names) where its columns do not. A household sheet whose name and ID headers are
    mistyped has neither: it is still told which columns are missing."""
    if table.kind != "households" or table.id_field in match.columns or table.name_field in match.columns:
        return False
    if _counts_households(match.headers_found):
        return True
    # By its name only where no header cell looks like a person's (户主性名, 身分证号 mistyped: a household
    # sheet, to be told what is missing, whatever its file is called).
    person = [normalise_header(w) for w in fields().rows.person_words]
    return any(word in name for name in names for word in fields().rows.summary_names) and \
        not any(w in normalise_header(h) for h in match.headers_found if h for w in person)


def _counts_households(headers) -> bool:
    """Whether a header cell counts households (fields.toml summary_markers: 户数, (户))."""
    markers = [normalise_header(m) for m in fields().rows.summary_markers]
    return any(m in normalise_header(h) for h in headers if h for m in markers)


def _counts_by_place(head, table: Table) -> bool:
    """Whether a sheet without a household header is a summary all the same: a row at its top names
    a place and counts households (村 … 户数), and none names a head (a 汇总 of fewer columns than a
    household header needs)."""
    if table.kind != "households":
        return False
    index = table.alias_index
    for row in head:
        named = {index.get(k) for cell in row if cell for k in header_keys(cell)} - {None}
        if named & {table.id_field, table.name_field}:
            return False
        if named & set(PLACE_FIELDS) and _counts_households(row):
            return True
    return False


# A header's unit of 万元 (家庭总收入(万元), 收入(万元)/工资性收入) and a line above the table giving the
# amounts' unit (金额单位:万元); a header that says 元 keeps to yuan under such a line.
_WAN_HEADER = re.compile(r"万元")
_YUAN_HEADER = re.compile(r"(?<!万)元")
_WAN_LINE = re.compile(r"单位[:：]?\s*(?:人民币)?\s*万元")


def _amounts_in_wan(match: HeaderMatch, above: list[list[str]]) -> dict[str, str]:
    """{money field: what says it is in 万元} for the sheet's columns (see SheetInfo.in_wan)."""
    money = {spec.name for spec in fields().field if spec.kind == "money"}
    line = next((cell for row in above for cell in row if cell and _WAN_LINE.search(normalise_header(cell))), None)
    found = {}
    for name, ref in match.columns.items():
        if name not in money:
            continue
        header = normalise_header(ref.header)
        if _WAN_HEADER.search(header):
            found[name] = ref.header
        elif line is not None and not _YUAN_HEADER.search(header):
            found[name] = str(line).strip()
    return found


def amounts_in_wan(households: pd.DataFrame, inputs: list[InputFile]) -> dict[str, np.ndarray]:
    """{money field: which households' amounts of it are in 万元} (SheetInfo.in_wan), for normalise."""
    found: dict[str, np.ndarray] = {}
    for rec in inputs:
        for sheet in rec.sheets:
            if not sheet.in_wan:
                continue
            rows = (households["sheet_key"] == sheet.key(rec.name)).to_numpy(dtype=bool)
            for name in sheet.in_wan:
                found[name] = found.get(name, np.zeros(len(households), dtype=bool)) | rows
    return found


# A household sheet without a 乡(镇) or 行政村 column (each village filling its own form) names its place
# elsewhere: where it is found, in this order (fields.toml [places]). A folder names a township only.
PLACE_SOURCES = ("unit_line", "title", "sheet", "file", "folder")
_TAKEN_PLACES = ("township", "village")
_DATE = re.compile(r"\d+(?:年度|年|月份|月|日|号)")
_NOT_IN_NAME = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")  # a name is Chinese characters
_LEAST_BEFORE_END = 2  # characters before a place's end word (新村镇 is one township, no village 新村)


@cache
def _place_words() -> tuple[tuple[tuple[str, str], ...], re.Pattern | None, dict[str, tuple[str, ...]],
                            re.Pattern | None]:
    """(every end word with its kind, longest first; the bodies as a pattern; each body's kind's ends;
    the unit labels and form words as a pattern) of fields.toml [places]."""
    words = fields().places
    kinds = {"township": words.township, "village": words.village, "county": words.county}
    # A 社区's end read as its own kind, longest first: 华昌社区 is no county ending in 区 (an outside try's
    # 街道 sheets named a county each). Its bodies are not read here: the others' are.
    ended = {**kinds, "community": words.community}
    ends = tuple(sorted(((e, k) for k, kind in ended.items() for e in kind.ends), key=lambda ek: -len(ek[0])))
    body_ends = {b: kind.ends for kind in kinds.values() for b in kind.bodies}

    def alternatives(ws) -> re.Pattern | None:
        return re.compile("|".join(map(re.escape, sorted(ws, key=len, reverse=True)))) if ws else None
    return ends, alternatives(body_ends), body_ends, alternatives((*words.unit_labels, *words.form_words))


def _place_names(text: str) -> dict[str, set[str]]:
    """{kind: the names of that kind a title, a 填报单位 line or a file's name holds}: 合隆镇前岗村贫困边缘户
    入户登记表 → township 合隆镇, village 前岗村; kinds township, village and county."""
    ends, bodies, body_ends, form = _place_words()
    text = _DATE.sub("|", normalise_header(text))
    if bodies is not None:
        # 前岗村村民委员会 is 前岗村's committee; 前岗村委会 shares its 村 with the name.
        def body(m: re.Match) -> str:
            end = next((e for e in body_ends[m.group()] if m.group().startswith(e)), "")
            return end if end and not m.string[:m.start()].endswith(body_ends[m.group()]) else "|"
        text = bodies.sub(body, text)
    if form is not None:
        text = form.sub("|", text)
    found: dict[str, set[str]] = {"township": set(), "village": set(), "county": set(), "community": set()}
    for part in _NOT_IN_NAME.split(text):
        start = i = 0
        while i < len(part):
            end = next(((e, k) for e, k in ends if part.startswith(e, i)), None) if i - start >= _LEAST_BEFORE_END \
                else None
            if end is None:
                i += 1
                continue
            found[end[1]].add(part[start:i + len(end[0])])
            i = start = i + len(end[0])
    return found


# An income year as a form's title names it: 2020年度, 2020 年度 (a year alone, 2020年, may be the day
# it was filled in: the survey of a year's income is made at its end or early the next).
_TITLE_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})\s*年度")


def _title_county(lines: list[list[str]]) -> str | None:
    """The one county the 填报单位 lines, else the title lines, above a header name (_place_names), or None."""
    units, titles = _form_lines(lines)
    for texts in (units, titles):
        found = set().union(*(_place_names(t)["county"] for t in texts)) if texts else set()
        if len(found) == 1:
            return found.pop()
    return None


def _title_years(lines: list[list[str]], sheet: str) -> tuple[int, ...]:
    """The income years the lines above a header and the sheet's name give, each once, in order."""
    texts = [str(c) for row in lines for c in row if c] + [sheet]
    return tuple(dict.fromkeys(int(y) for text in texts for y in _TITLE_YEAR.findall(text)))


# The day a form says it was filled in, in the lines above its header: 填报日期:2019年12月, 调查日期 2019-12-05,
# 统计时间:2019年11月30日 (a system's export),
# 填表日期: | 2019.12 (the label's cell, then the date's), a year alone (2019年) too. An Excel date cell reads
# 2019-12-05 00:00:00.
_FILLED_ON = re.compile(r"(?:填报|调查|填表|统计)(?:日期|时间)\s*[:：]?\s*((?:19|20)[0-9]{2})"
                        r"(?:\s*[-/.年]\s*([0-9]{1,2})(?:\s*[-/.月]\s*([0-9]{1,2})\s*[日号]?|\s*月)?|\s*年度?)?(?![0-9])")


# A column of the days each household was surveyed (调查日期, 填表日期), not read as a field: its days
# date the survey where no line above the header does.
_FILLED_ON_HEADER = re.compile(r"^(?:填报|调查|填表|登记|入户调查)(?:日期|时间)")


def _filled_on_column(grid: _Grid, unknown: list, start: int, end: int) -> tuple[dt.date, str] | None:
    """The last day a column of survey days (_FILLED_ON_HEADER: 调查日期, as a date cell or as typed) holds
    in rows `start` to `end`, and its words as a message quotes them (调查日期 2019-12-02–2019-12-18): a
    survey with no 填报日期 line above it is dated so (an outside try: ages were counted at today, nothing
    said). Once per distinct cell; None where no such column holds a day."""
    for ref in unknown:
        if not _FILLED_ON_HEADER.match(normalise_header(ref.header)):
            continue
        distinct = pd.unique(grid.text(ref.index, start, end))
        days = [d for d in (exported_day(v) for v in distinct if v) if d is not None]
        if days:
            first, last = min(days), max(days)
            span = first.isoformat() if first == last else f"{first.isoformat()}–{last.isoformat()}"
            return last, f"{ref.header.split('/')[-1].strip()} {span}"
    return None


def _filled_on(lines: list[list[str]]) -> tuple[dt.date, str] | None:
    """The earliest day the lines above a header say the form was filled in (_FILLED_ON), as the last
    day it may mean (a month's last day, a year's 12-31) and the words as written; None where none says."""
    found = []
    for row in lines:
        text = arabic_numerals(unicodedata.normalize("NFKC", " ".join(str(c).strip() for c in row if c)))
        for m in _FILLED_ON.finditer(text):
            year, month, day = (int(g) if g else None for g in m.groups())
            try:
                last = dt.date(year, month or 12, day or calendar.monthrange(year, month or 12)[1])
            except ValueError:  # 2019年13月: no day
                continue
            found.append((last, " ".join(m.group().split())))
    return min(found, default=None)


def _form_lines(lines: list[list[str]]) -> tuple[list[str], list[str]]:
    """(the 填报单位 lines, the title lines) of rows above a header, as written: a unit label's cell
    with the next filled cell where the label stands alone (填报单位: | 合隆镇前岗村), every other cell."""
    labels = fields().places.unit_labels
    units, titles = [], []
    for row in lines:
        cells = [" ".join(str(c).split()) for c in row if c and str(c).strip()]
        for k, cell in enumerate(cells):
            plain = normalise_header(cell)
            word = next((w for w in labels if w in plain), None)
            if word is None:
                titles.append(cell)
            elif plain.rstrip(":：") == word and k + 1 < len(cells):
                units.append(f"{cell}{cells[k + 1]}")
            else:
                units.append(cell)
    return units, titles


def _taken_places(path: Path, sheet: str, lines: list[list[str]], wanted: Iterable[str], *,
                  own_lines_only: Iterable[str] = ()) -> dict[str, tuple[str, str, str]]:
    """The place fields of `wanted` a household sheet has no column of, read for all its rows from
    where the form names them (PLACE_SOURCES, in order: `lines` are the rows above its header), each
    from the first source naming exactly one place of its kind: {field: (name, source, as written)}.
    A source naming two (a title of two villages) is passed over. The fields of `own_lines_only`
    (a stacked table's village) are read from `lines` alone."""
    units, titles = _form_lines(lines)
    folder = path.absolute().parent.name
    sources = (("unit_line", units), ("title", titles), ("sheet", [sheet] if sheet else []),
               ("file", [path.name]), ("folder", [folder] if folder else []))
    taken = {}
    for name in wanted:
        for source, texts in sources:
            if (source == "folder" and name != "township") or (name in own_lines_only and
                                                               source not in ("unit_line", "title")):
                continue
            stem = [Path(t).stem if source == "file" else t for t in texts]
            names = [_place_names(t)[name] for t in stem]
            found = set().union(*names)
            if len(found) == 1:
                taken[name] = (found.pop(), source, next(t for t, n in zip(texts, names) if n))
                break
    return taken


def _places_words(places_from: dict[str, tuple[str, str, str]], lang) -> dict[str, str]:
    """SheetInfo.places_said's words: the place columns missing, where the places were read, the places."""
    by_name = fields().by_name
    order = [f for f in _TAKEN_PLACES if f in places_from]
    said = dict.fromkeys((places_from[f][1], places_from[f][2]) for f in order)
    return {"columns": label("list_sep", lang).join(by_name[f].header for f in order),
            "sources": label("list_sep", lang).join(label(f"place_source_{s}", lang, said=t) for s, t in said),
            "places": label("place_names_sep", lang).join(places_from[f][0] for f in order)}


# A sheet may hold more than one table: each village's stacked below the last under a header of its
# own. A header repeated with the same columns (a paged export) is a row to skip; one that puts the
# fields in other columns starts a table read by its own header.
_TITLE_ROWS = 5  # the rows above a stacked table's header where its 单位:万元 line may stand
_HEADER_ROWS = 4  # a header takes one to four rows (header.find_header)
# An ID cell holding words (no digit) is looked at as a header's only where such cells are few: a
# column of 无 or of the names is no column of headers.
_WORDS_AT_MOST = 500
_DIGIT = re.compile(r"\d")


def _tables(grid: _Grid, head: list[list[str]], found: tuple[int, int, HeaderMatch], table: Table, merges
            ) -> tuple[list[tuple[int, int, HeaderMatch]], np.ndarray]:
    """The tables of a sheet, top to bottom, as (first header row, last header row, match) in grid
    rows, and the grid rows that repeat a table's header with the same columns. Beside the header
    find_header found: a household header above it with rows of its own below (find_header takes
    the fuller of two headers, the other village's, a column short, is above it), and a header below
    whose fields stand in other columns than the table's above it (the next village's table with its
    columns in another order, or a column more)."""
    parts = [found]
    while parts[0][0] > 0:
        above = find_header(head[:parts[0][0]], table, merges)
        if above is None or not _rows_below(grid, above, parts[0][0]):
            break
        parts.insert(0, above)
    below, repeats = _headers_below(grid, head, parts, table, merges)
    return parts + below, repeats


def _rows_below(grid: _Grid, part: tuple[int, int, HeaderMatch], stop: int) -> bool:
    """Whether a header above another has rows of its own: one between the two with two field cells
    filled."""
    _, last, match = part
    filled = np.zeros(max(0, stop - last - 1), dtype=np.int64)
    for ref in match.columns.values():
        filled += grid.text(ref.index, last + 1, stop) != ""
    return bool((filled >= 2).any())


def _headers_below(grid: _Grid, head: list[list[str]], parts: list[tuple[int, int, HeaderMatch]], table: Table,
                   merges) -> tuple[list[tuple[int, int, HeaderMatch]], np.ndarray]:
    """The tables below the last of `parts` whose header puts the fields in other columns, and the
    rows that repeat a header with the same columns (see _tables). Looked at: the rows whose cell in
    an ID or residents column (table.repeats) of the tables above holds a header as typed there or
    as the catalogue names a field, and another of its cells one too, or whose ID cell holds words
    without a digit; each distinct row once, as find_header reads it with the rows below it."""
    _, last, match = parts[-1]
    start, none = last + 1, np.zeros(0, dtype=np.int64)
    n = grid.rows - start
    if n <= 0:
        return [], none
    typed = list({c for f, l, _ in parts for row in head[f:l + 1] for c in row if c}
                 | {a for spec in table.fields for a in spec.header_names})
    suspect, named = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    ids = {m.columns[table.id_field].index for _, _, m in parts if table.id_field in m.columns}
    for index in sorted({m.columns[f].index for _, _, m in parts for f in table.repeats if f in m.columns} | ids):
        text = grid.text(index, start)
        named |= pd.Series(text, dtype=object).isin(typed).to_numpy(dtype=bool)
        if index not in ids:
            continue
        length = np.fromiter(map(len, text), dtype=np.int64, count=n)
        short = np.flatnonzero((length > 0) & (length < 15))
        words = short[~np.fromiter(map(bool, map(_DIGIT.search, text[short])), dtype=bool, count=len(short))]
        if len(words) <= _WORDS_AT_MOST:
            suspect[words] = True
    # A data cell may hold some field's header: each head's 与户主关系 says 户主, 户主姓名's alias. A
    # header names two fields at least (_header_at), so a row is one only with two cells of header text.
    at = np.flatnonzero(named)
    texts = np.zeros(len(at), dtype=np.int64)
    for column in grid.columns:
        cells = column[start + at]
        texts += pd.Series(cells if grid.text_only else cells_as_text(cells), dtype=object).isin(typed).to_numpy()
    suspect[at[texts >= 2]] = True
    current = {name: ref.index for name, ref in match.columns.items()}
    width = min(grid.width, 1 + max(ref.index for _, _, m in parts for ref in m.columns.values()))
    seen: dict[tuple, tuple[int, int, HeaderMatch] | None] = {}
    tables, repeats, covered = [], [], last
    for r in (np.flatnonzero(suspect) + start).tolist():  # a few distinct rows: headers, or no household
        if r <= covered:
            continue
        key = tuple(str(grid.columns[c][r]) for c in range(width))
        if key not in seen:
            seen[key] = _header_at(grid, r, table, merges)
        if seen[key] is None:
            continue
        f, l, m = seen[key]
        layout = {name: ref.index for name, ref in m.columns.items()}
        if layout == current:
            repeats.extend(range(r + f, r + l + 1))
        else:
            tables.append((r + f, r + l, dataclasses.replace(m, columns=dict(m.columns), unknown=list(m.unknown))))
            current = layout
        covered = r + l
    return tables, np.asarray(repeats, dtype=np.int64)


def _header_at(grid: _Grid, r: int, table: Table, merges) -> tuple[int, int, HeaderMatch] | None:
    """The household header find_header finds in the rows a header may take from grid row `r`, as
    rows counted from `r`; None where row `r` names fewer than two fields."""
    stop = min(r + _HEADER_ROWS, grid.rows)
    rows = grid.head(stop, r)
    index = table.alias_index
    if sum(any(k in index for k in header_keys(cell)) for cell in rows[0] if cell) < 2:
        return None
    shifted = [((r1 - r, c1), (r2 - r, c2)) for (r1, c1), (r2, c2) in merges or () if r <= r1 < stop]
    return find_header(rows, table, shifted)


def _lacks_place(match: HeaderMatch, table: Table) -> bool:
    return table.kind == "households" and any(f not in match.columns for f in _TAKEN_PLACES)


def _sheet_places(path: Path, sheet: str, grid: _Grid, parts: list[tuple[int, int, HeaderMatch]] | None,
                  table: Table, blank: Iterable[str] = ()) -> list[dict[str, tuple[str, str, str]]]:
    """Per table of a household sheet, the places it has no column of (or a column `blank` on every
    row of the sheet, _blank_places), as _taken_places reads them:
    the first table's from the rows above its header, the sheet's name, the file's and the folder's;
    a table stacked below another's, from the title lines just above it (rows of one cell: not the
    rows of the table above), its township from the sheet's too, its village from those lines only."""
    if not parts:
        return []
    out = []
    for k, (first, _, match) in enumerate(parts):
        wanted = [f for f in _TAKEN_PLACES if (f not in match.columns or f in blank) and table.reads(f)]
        if not wanted:
            out.append({})
            continue
        if k == 0:
            out.append(_taken_places(path, sheet, grid.head(first), wanted))
            continue
        own = [grid.head(r + 1, r)[0] for r in _title_rows(grid, parts, k)]
        taken = _taken_places(path, sheet, own, wanted, own_lines_only=wanted)
        if "township" in wanted and "township" not in taken:
            taken.update(_taken_places(path, sheet, grid.head(parts[0][0]), ["township"]))
        out.append({f: taken[f] for f in _TAKEN_PLACES if f in taken})
    return out


def _one_place(path: Path, sheet: str, grid: _Grid, info: SheetInfo, start: int, end: int, passed: np.ndarray,
               table: Table) -> None:
    """Refuses a table (grid rows `start` … `end`) whose place was read from where the form names it
    (info.places_from) when a line of it that is no household (a title further down, a 后岗村小计 row)
    names another place of that kind: villages stacked under one header, which one place for all
    would merge unseen. `passed`: grid rows not looked at (the households, the next table's title).
    A signature line (the reader's footer) is read a word at a time, as its blanks part it: 审核人:张国庆
    村主任(签字): names a person and an office, no village 张国庆村."""
    ends = re.compile("|".join(re.escape(e) for e, _ in _place_words()[0]))
    other = np.ones(max(0, end - start), dtype=bool)
    other[passed - start] = False
    footer = {r - 1 for r, why in info.skipped_rows if why == "footer"}
    for c in range(grid.width):
        text = grid.text(c, start, end)
        at = np.flatnonzero(other & (text != ""))
        named = at[pd.Series(text[at], dtype=object).str.contains(ends).to_numpy(dtype=bool)] if len(at) else at
        for i in named.tolist():
            words = text[i].split() if start + i in footer else [text[i]]
            found = {kind: set().union(*(_place_names(w)[kind] for w in words)) for kind in ("township", "village", "county")}
            for name, (place, source, said) in info.places_from.items():
                if found[name] - {place}:
                    raise InputError("place_differs_in_sheet", where=Phrase("where_sheet", file=path.name, sheet=sheet)
                                     if sheet else path.name, column=table.by_name[name].header, place=place,
                                     source=Phrase(f"place_source_{source}", said=said), row=start + i + 1,
                                     line=text[i])


def _blank_places(frames: list[pd.DataFrame], parts: list[tuple[int, int, HeaderMatch]], table: Table) -> list[str]:
    """The place fields a household sheet has a column of but left blank on every household's row (the
    乡(镇) column of a village's own form, its township in the title): read as a missing column is
    (_sheet_places), not as each household's error. A column filled on some rows is left as typed."""
    if table.kind != "households" or not sum(map(len, frames)):
        return []
    return [f for f in _TAKEN_PLACES if table.reads(f) and any(f in m.columns for _, _, m in parts)
            and all(_all_blank(frame[f]) for frame in frames if f in frame)]


def _all_blank(column: pd.Series) -> bool:
    """Whether every cell of `column` is empty or white space; a filled column (a county's 100,000 rows)
    told by its first cells, not stripped whole."""
    typed = column[column.notna().to_numpy() & column.ne("").to_numpy(dtype=bool, na_value=False)]
    return not len(typed) or (not typed.iloc[:64].str.strip().ne("").any() and typed.str.strip().eq("").all())


def _place_rows(path: Path, sheet: str, grid: _Grid, parts: list[tuple[int, int, HeaderMatch]], k: int,
                info: SheetInfo, frame: pd.DataFrame, table: Table, *, fill: bool = True) -> None:
    """Gives every household of table `k` the places read for it (info.places_from), once _one_place
    has found no other place of that kind named on a line of the table (without `fill`, only that)."""
    # Not the next table's title: the lines it takes its own place from.
    titled = frame["row"].to_numpy() - 1
    if k + 1 < len(parts):
        titled = np.r_[titled, np.asarray(_title_rows(grid, parts, k + 1), dtype=np.int64)]
    end = parts[k + 1][0] if k + 1 < len(parts) else grid.rows
    _one_place(path, sheet, grid, info, parts[k][1] + 1, end, titled, table)
    for name, (place, _, _) in info.places_from.items() if fill else ():
        frame[name] = pd.array(np.full(len(frame), place, dtype=object), dtype=TEXT)


def _read_blank_places(path: Path, sheet: str, grid: _Grid, parts: list[tuple[int, int, HeaderMatch]],
                       table: Table, blank: list[str], infos: list[SheetInfo], frames: list[pd.DataFrame]) -> None:
    """The place columns `blank` on every row of the sheet (_blank_places), read as missing ones are
    where the form names one place of their kind, into each table's info.places_from and households.
    Where a line of a table names another (a 后岗村小计 under a sheet named 前岗村), the blanks stay as
    typed, each household's error as before: the sheet is not refused for a column it has."""
    taken = [{f: t[f] for f in blank if f in t} for t in _sheet_places(path, sheet, grid, parts, table, blank)]
    before = [info.places_from for info in infos]
    for info, found in zip(infos, taken):
        info.places_from = {f: {**info.places_from, **found}[f] for f in _TAKEN_PLACES
                            if f in info.places_from or f in found}
    try:
        for k, found in enumerate(taken):
            if found:
                _place_rows(path, sheet, grid, parts, k, infos[k], frames[k], table, fill=False)
    except InputError as exc:
        if exc.key != "place_differs_in_sheet":
            raise
        for info, places in zip(infos, before):
            info.places_from = places
        return
    for k, found in enumerate(taken):
        for name in found:
            frames[k][name] = pd.array(np.full(len(frames[k]), found[name][0], dtype=object), dtype=TEXT)


def _title_rows(grid: _Grid, parts: list[tuple[int, int, HeaderMatch]], k: int) -> list[int]:
    """The grid rows just above a stacked table's header (parts[k], k > 0) that may be its title: rows
    of one filled cell (not the rows of the table above)."""
    start = max(parts[k - 1][1] + 1, parts[k][0] - _TITLE_ROWS)
    return [start + i for i, row in enumerate(grid.head(parts[k][0], start))
            if sum(bool(str(c).strip()) for c in row) == 1]


def _place_check(places: dict[str, tuple[str, str, str]], match: HeaderMatch, table: Table) -> dict:
    """check_columns' arguments for a sheet's places: the fields read from where the form names them
    count as present; where a place column is missing and unnamed, the refusal says what to do."""
    if not _lacks_place(match, table):
        return {}
    unnamed = [f for f in _TAKEN_PLACES if f not in match.columns and f not in places]
    return {"given": frozenset(places),
            "advice": Phrase("place_columns_advice", columns=[table.by_name[f].header for f in unnamed])
            if unnamed else None}


def _read_sheet(path: Path, sheet: str, grid: _Grid, tables: tuple[Table, ...], record: InputFile,
                scan: SheetScan | None = None, merges=(), *, text_file: bool = False,
                ) -> list[tuple[Table, pd.DataFrame]]:
    """A sheet as _read_grid reads it (as the first of `tables` whose header it has, a PERSONS_TABLE
    aside), then as each PERSONS_TABLE of `tables` where the header found left a column of that table's
    ID unread: from the same cells, the file not parsed again. Such a table refused on the sheet (two
    columns of its ID) leaves the sheet's own rows as read; the refusal is kept in the record."""
    own = tuple(t for t in tables if t.kind != PERSONS_TABLE)
    first = len(record.sheets)
    found = _read_grid(path, sheet, grid, own, record, scan, merges, text_file=text_file)
    if found is None:
        return []
    unread = {ref.field for info in record.sheets[first:] for ref in info.unknown_columns}
    frames = [found]
    for table in tables:
        if table.kind != PERSONS_TABLE or table.id_field not in unread:
            continue
        aside = InputFile(path, "", record.kind, label=record.label)  # its skipped rows are the sheet's own
        try:
            beside = _read_grid(path, sheet, grid, (table,), aside, scan, merges, text_file=text_file)
        except InputError as exc:
            record.beside_refused.append((sheet, exc))
            continue
        if beside is not None:
            frames.append(beside)
            record.beside_sheets.extend(aside.sheets)
    return frames


def _read_grid(path: Path, sheet: str, grid: _Grid, tables: tuple[Table, ...], record: InputFile,
               scan: SheetScan | None = None, merges=(), *, text_file: bool = False,
               ) -> tuple[Table, pd.DataFrame] | None:
    """A sheet as the first of `tables` whose header it has (its rows as cell text, with provenance),
    or None (the sheet skipped, and why, in the record). A `text_file`'s households get the fields
    they hold beyond the header's last column (_beyond_header)."""
    if grid.rows == 0 or grid.width == 0:
        record.skipped_sheets.append((sheet, "empty"))
        return None
    head = grid.head(HEADER_SCAN_ROWS)
    for table in tables:
        found = find_header(head, table, merges)
        if found is not None:
            break
    households = next((t for t in tables if t.kind == "households"), None)
    summary = found is None and households is not None and _counts_by_place(head, households)
    if found is None and not summary and grid.rows > HEADER_SCAN_ROWS and \
            all(sum(1 for c in row if c) <= 2 for row in head):
        # The form's instructions pasted above the table (lines of text, no table yet): its header further
        # down, said (fact_sheet names its row). A sheet that is some other table is not looked through.
        deeper = grid.head(DEEP_HEADER_SCAN_ROWS)
        for table in tables:
            found = find_header(deeper, table, merges, scan_rows=DEEP_HEADER_SCAN_ROWS)
            if found is not None:
                head = deeper
                break
    if found is None:
        record.skipped_sheets.append((sheet, "summary" if summary else "no household header"))
        if tables[0].kind == "roster":
            record.unread_sheets.append(_unread_sheet(sheet, grid, head))
        return None
    first, last, match = found
    if _is_summary(match, table, (sheet, path.stem)):
        record.skipped_sheets.append((sheet, "summary"))
        return None
    hidden_columns = set(scan.hidden_columns) if scan else ()
    # 经营净收入 for 家庭经营收入 and no 家庭总收入 (fields.toml [headers] net_of_costs): renamed as the
    # refusal of a missing component would ask, its costs would be taken off twice. Says what to write.
    net = [ref for ref in match.unknown if set(header_keys(ref.header)) & set(fields().headers.net_of_costs)]
    unit = next((u for u in table.units if "business_income" in u), ())
    if net and unit and not any(f in match.columns for f in unit[-1:] + ("business_income",)):
        raise InputError("business_income_net", where=_where_said(path, sheet), column=net[0],
                         gross=table.by_name["business_income"].header,
                         costs=table.by_name["production_expenses"].header)
    parts, repeats = _tables(grid, head, found, table, merges) if _lacks_place(match, table) else (None, None)
    places = _sheet_places(path, sheet, grid, parts, table)
    check_columns(path, sheet, match, table, hidden_columns, **_place_check(places[parts.index(found)]
                                                                            if parts else {}, match, table))
    if parts is None:
        parts, repeats = _tables(grid, head, found, table, merges)
    if merges:
        _fill_merges(grid, merges, parts[0][1])
    frames, keys, infos = [], [], []
    for k, (first, last, match) in enumerate(parts):
        end = parts[k + 1][0] if k + 1 < len(parts) else grid.rows
        # A table other than the one whose header was found first is named by its header's row.
        where = None if first == found[0] else Phrase("where_sheet_table", file=path.name, sheet=sheet, row=first + 1)
        if where is not None:
            try:
                check_columns(path, sheet, match, table, hidden_columns,
                              **_place_check(places[k] if places else {}, match, table))
            except InputError as exc:
                exc.params["where"] = where
                raise
        if match.sub_columns:
            _read_sub_columns(path, sheet, grid, match, last + 1, end, where)
        # A 单位:万元 line above the table, or above the sheet's first table (said once for the sheet).
        above = grid.head(first, max(parts[k - 1][1] + 1, first - _TITLE_ROWS)) if k else []
        info = SheetInfo(sheet, (first + 1, last + 1), match.columns, match.unknown, stacked=k > 0,
                         together={name: refs for name, refs in match.together.items() if table.reads(name)},
                         in_wan=_amounts_in_wan(match, above + grid.head(parts[0][0])),
                         places_from=places[k] if places else {},
                         title_years=() if k else _title_years(grid.head(parts[0][0]), sheet),
                         filled_on=None if k else _filled_on(grid.head(parts[0][0]))
                         or _filled_on_column(grid, match.unknown, last + 1, end),
                         title_county=None if k or "county" in match.columns
                         else _title_county(grid.head(parts[0][0])))
        frames.append(_read_table(path, grid, first, last, match, info, record, scan, table, end,
                                  repeats[(repeats > last) & (repeats < end)], text_file))
        if match.strays:
            _refuse_group_strays(path, sheet, grid, match, table, frames[-1]["row"].to_numpy(), where)
        if table.kind == "households" and match.unknown:
            _refuse_unread_amounts(path, sheet, grid, match, table, frames[-1]["row"].to_numpy(), where)
        if info.places_from:  # the same place on every row of the table
            _place_rows(path, sheet, grid, parts, k, info, frames[-1], table)
        keys.append(np.full(len(frames[-1]), info.key(record.name), dtype=object))
        infos.append(info)
    # A place column left blank on every row is read as a missing one: from the title, the sheet's name …
    # Where nothing names the place, its blanks stay each household's error, as typed.
    blank = _blank_places(frames, parts, table)
    if blank:
        _read_blank_places(path, sheet, grid, parts, table, blank, infos, frames)
    frame = _concat(frames)
    frame.insert(0, "sheet", sheet)
    frame.insert(0, "source_file", record.name)
    frame.insert(3, "sheet_key", np.concatenate(keys) if len(keys) > 1 else f"{record.name}\x1f{sheet}")
    return table, frame


def _read_table(path: Path, grid: _Grid, first: int, last: int, match: HeaderMatch, info: SheetInfo,
                record: InputFile, scan: SheetScan | None, table: Table, end: int, repeats: np.ndarray,
                text_file: bool) -> pd.DataFrame:
    """The rows of one table of a sheet, its header on grid rows `first` … `last`, above grid row `end`
    (the next table's header, or the sheet's end); `repeats`: grid rows of its header repeated with
    the same columns. Said in `info`, appended to the record."""
    sheet = info.name
    head = grid.head(last + 1, first)
    header_text = {name: {row[ref.index] for row in head if row[ref.index]} for name, ref in match.columns.items()}
    frame, rows, unread = _frame_from_grid(grid, last + 1, match, info, scan.formulas if scan else None,
                                           two_row_header=first != last, header_text=header_text, table=table,
                                           errors=scan.errors if scan else None,
                                           truths=scan.truths if scan else None, end=end, repeats=repeats)
    summed_blank = _summed_blank_cells(frame, rows, match, table, scan)
    if unread:
        letters = {name: ref.letter for name, ref in match.columns.items()}
        for row, name, text in unread:
            if (row, name) in summed_blank:  # known without Excel: 0, not a household refused
                continue
            spec = table.by_name[name]
            if spec.kind != "text" or spec.required:  # an optional text cell (备注) decides nothing: left blank
                cells = record.error_cells if text.startswith("#") else record.formula_cells_without_value
                cells.append((sheet, f"{letters[name]}{row}"))
        record.unread_formulas.extend((sheet, row, name, formula) for row, name, formula in unread)
    if scan is not None and (scan.hidden_rows or scan.filtered_rows):
        hidden = np.intersect1d(rows, np.asarray(scan.hidden_rows, dtype=np.int64))
        filtered = np.intersect1d(rows, np.asarray(scan.filtered_rows, dtype=np.int64))
        if scan.filter_rows is not None:  # hidden inside a filtering autofilter's rows: filtered out
            low, high = scan.filter_rows
            inside = (hidden >= low) & (hidden <= high)
            filtered, hidden = np.union1d(filtered, hidden[inside]), hidden[~inside]
        info.hidden_rows, info.filtered_rows = hidden.tolist(), filtered.tolist()
    if scan is not None and (scan.struck_cells or scan.comments):
        info.struck_rows, info.comments = household_marks(scan.struck_cells, scan.comments, rows, frame, match.columns)
    if scan is not None and scan.filler_reach:
        column = next((ref for ref in match.columns.values() if ref.letter == scan.filler_column), scan.filler_column)
        info.filled_down = (scan.filler_row, scan.last_row, column)
    elif scan is not None and scan.hidden_reach:
        info.filled_down = (scan.data_row + 1, scan.held_row, "")
    (record.member_sheets if table.kind == "members" else record.sheets).append(info)
    if text_file and table.kind == "households":
        _beyond_header(grid, head, rows, frame, {"tab": "\t", "semicolon": ";"}.get(record.delimiter, ","))
    if table.kind == "households" and match.options is not None:
        info.options = (match.options, tuple(name for name, ref in match.columns.items()
                                             if ref.index == match.options.index))
        for name in info.options[1]:  # its cells read as options of each field (normalise)
            frame[OPTIONS + name] = True
    if table.kind == "households":  # a yes/no column headed 打√: its blank is 否 (normalise)
        for name, ref in match.columns.items():
            if table.kinds[name] == "flag" and fields().flags.is_tick_header(ref.header):
                frame[TICKED + name] = True
                info.ticked[name] = ref
    return frame


# The columns a text file's household row fills beyond its header, as read._beyond_header adds them;
# and its count of fields where it has more than the header and than most rows, all beyond it empty.
BEYOND_HEADER = ("beyond_header", "beyond_header_columns", "header_last_column")
ROW_FIELDS = "row_fields"
# SUMMED_BLANK + a money field: True on the households whose cell of it is a formula adding up only
# cells of its own row that the form reads, all blank (=SUM(K5:M5) of a household without costs): its
# value is 0 whether or not it was calculated, and it was not typed as a total alone (normalise).
SUMMED_BLANK = "summed_blank:"
# TICKED + a yes/no field: True on the households whose column of it is a tick column (低保户(打√):
# fields.toml [flags] tick_marks), where a blank box is the form's 否.
TICKED = "ticked:"
# OPTIONS + a yes/no field: True on the households whose sheet reads it from an online form's multiple
# choice (低保户┋特困人员: SheetInfo.options): its cells are read as options (normalise).
OPTIONS = "options:"
# A yes/no field's k-th column (k ≥ 2) read together with its own (fields.toml `together`: 是否五保户 beside
# 是否特困人员): a frame column of its own, and a field of its own in the columns table, so that an
# issue of its cell names its column (R20「是否五保户」), not the field's first.
TOGETHER = "#"


def together_field(name: str, k: int) -> str:
    return f"{name}{TOGETHER}{k}"


def together_fields(name: str, columns) -> list[str]:
    """The frame columns of `name`'s further columns read together with it (together_field), in order."""
    return sorted((c for c in columns if isinstance(c, str) and c.startswith(name + TOGETHER)),
                  key=lambda c: int(c.rsplit(TOGETHER, 1)[1]))


def _beyond_header(grid: _Grid, head: list[list[str]], rows: np.ndarray, frame: pd.DataFrame, sep: str) -> None:
    """Adds to `frame` (the households at Excel `rows`) the fields each row holds beyond the header's
    last filled column, as typed and joined by the file's delimiter, the columns they take (P, P-Q)
    and the header's last column, where any row has such a field. In a text file a row one field
    longer than its header is shifted: an unquoted thousands separator (3,500) or a stray delimiter
    split a field in two, and every field after it sits in the next column. That holds too where
    what was pushed past the header is an empty last field (备注 left empty, as Excel writes it):
    a row with more fields than the header and than most rows is given its count of fields
    (`row_fields`)."""
    last = max((c for row in head for c, cell in enumerate(row) if str(cell).strip()), default=-1)
    if last < 0 or grid.width <= last + 1 or not len(rows):
        return
    if grid.fields is not None:
        counts = grid.fields[rows - 1]
        usual = int(np.bincount(counts).argmax())  # a file whose rows all end with an empty field is so
        longer = counts > max(last + 1, usual)
        if longer.any():
            frame[ROW_FIELDS] = pd.array(np.where(longer, counts.astype(str).astype(object), ""), dtype=TEXT)
            frame[BEYOND_HEADER[2]] = pd.array(np.full(len(rows), column_letter(last), dtype=object), dtype=TEXT)
    at = rows - 1
    texts = [grid.text(c, 0)[at] for c in range(last + 1, grid.width)]
    last_filled = np.full(len(rows), -1, dtype=np.int64)
    for k, text in enumerate(texts):
        last_filled[text != ""] = k
    if not (last_filled >= 0).any():
        return
    value = np.full(len(rows), "", dtype=object)
    for k, text in enumerate(texts):
        value = np.where(last_filled > k, value + text + sep, np.where(last_filled == k, value + text, value))
    first_letter = column_letter(last + 1)
    letters = np.array([column_letter(last + 1 + k) for k in range(len(texts))], dtype=object)
    columns = np.where(last_filled > 0, first_letter + "-" + letters[np.maximum(last_filled, 0)], first_letter)
    extra = last_filled >= 0
    for name, values in zip(BEYOND_HEADER, (value, np.where(extra, columns, ""),
                                            np.full(len(rows), column_letter(last), dtype=object))):
        frame[name] = pd.array(values, dtype=TEXT)


# An ID number as typed or as Excel shows one it stored as a number: 15 or 18 characters, or 2.20122E+17.
_ID_SHAPED = r"\s*(?:\d{17}[\dXx]|\d{15}|\d(?:\.\d+)?[Ee]\+?1[47])\s*"


def _unread_sheet(sheet: str, grid: _Grid, head: list[list[str]]) -> UnreadSheet:
    """What a sheet read for no table shows: the filled cells of its fullest row near the top (the
    first such), the rows with content below it, and the cells shaped as ID numbers."""
    filled = [sum(bool(str(c).strip()) for c in row) for row in head]
    at = int(np.argmax(filled)) if filled else 0
    headers = [re.sub(r"\s+", " ", str(c)).strip() for c in head[at]] if head else []
    below = np.zeros(max(grid.rows - at - 1, 0), dtype=bool)
    best, best_count, total = "", 0, 0
    for index in range(grid.width):
        text = pd.Series(grid.text(index, at + 1), dtype=object).fillna("").astype(str)
        below |= (text.str.strip() != "").to_numpy(dtype=bool)
        count = int(text.str.fullmatch(_ID_SHAPED).sum())
        total += count
        if count > best_count:
            best, best_count = column_letter(index), count
    return UnreadSheet(sheet, [h for h in headers if h], int(below.sum()), total, best)


def read_table_file(path: Path, tables: tuple[Table, ...], workbooks: WorkbookSource | None = None, *,
                    include_hidden: bool = False, label: str | None = None,
                    ) -> tuple[list[tuple[Table, pd.DataFrame]], InputFile]:
    """Any file of tables → (each sheet read as the first of `tables` whose header it has, with its
    table, and as a PERSONS_TABLE of them beside it where one is given; what was found in the file). A workbook is taken from `workbooks` (by default, parsed
    now); its hidden sheets are read only with `include_hidden`. A file without any such sheet gives
    no frames: the caller says what it wanted. `label`: how the file is named in the outputs, if not
    by its own name."""
    named = path.suffix.lower()
    check_suffix(path)
    # What the file holds, whatever its name says, from its first bytes read once: a text export saved
    # as .xls is read as text, an .xls renamed .xlsx as the .xls it is (workbook.parse_workbook tells it
    # the same way); a PDF or a picture is said as one.
    try:
        with path.open("rb") as fh:
            head = fh.read(512)
        before = file_stamp(path)
    except OSError as exc:
        raise InputError("file_cannot_open", file=path.name, reason=os_reason(exc)) from None
    if named in CSV_SUFFIXES:
        sniff(path, head)
    else:
        refuse_by_content(path, head)
    try:
        suffix = content_suffix(path, head)
    except OSError as exc:
        raise InputError("file_cannot_open", file=path.name, reason=os_reason(exc)) from None
    digest = Background(file_sha256, path)  # hashlib lets go of the GIL: the hash costs no wall time
    record = InputFile(path=path, sha256="", kind=suffix.lstrip("."), label=label)
    began = before  # the stamp when the file's parse began, where a read-ahead began it earlier
    if suffix != named:
        record.named_as = named
    if suffix in CSV_SUFFIXES:
        if named not in CSV_SUFFIXES and workbooks is not None:
            _let_go(workbooks, path)
        frames = _read_csv(path, tables, record)
        if named not in CSV_SUFFIXES and record.delimiter == "tab":
            record.kind = "txt"
    elif suffix == HTML_TABLE:  # a web system's "Excel" export: its table read as one sheet named by the file
        if workbooks is not None:
            _let_go(workbooks, path)
        # Not said as "a .html named .xls: save it as .xlsx" (fact_content_kind): saved so, its IDs are lost.
        record.named_as = None
        rows, merges, record.encoding = html_table(path, tables)
        frames = _read_sheet(path, path.stem, _Grid.from_rows(rows), tables, record, merges=merges)
    else:
        parsed = (workbooks or ParseWhenAsked()).take(path)
        # A read-ahead began the parse before `before`: saved again (WPS replaces the file) in between,
        # the households would be the old file's and the SHA-256 the new one's.
        began = parsed.stamp if parsed.stamp is not None else before
        frames = _read_workbook(path, parsed, tables, record, include_hidden)
    record.sha256 = digest.result()
    # Saved again or still being copied while it was read (an outside try truncated a survey 0.8 s in):
    # the households came from one version and the SHA-256 recorded from another.
    try:
        changed = file_stamp(path) != before or began != before
    except OSError:
        changed = True
    if changed:
        raise InputError("file_changed_while_read", file=label or path.name)
    return frames, record


def _let_go(workbooks: WorkbookSource, path: Path) -> None:
    """A file named as a workbook that holds text: a parse a read-ahead may have begun is taken (it
    stopped at once, saying so), so that the next workbook's starts."""
    try:
        workbooks.take(path)
    except InputError:
        pass


def headers_seen(sheet: UnreadSheet) -> Phrase | str:
    """The headers a sheet read for no table shows, as a message names them."""
    return "".join(f"「{h}」" for h in sheet.headers[:20]) or Phrase("roster_headers_none")


def sheets_looked_at(record: InputFile) -> Phrase | str:
    """The sheets a file was looked through for, as an error names them (and its hidden sheets, with
    how to read them)."""
    hidden = [s for s, why in record.skipped_sheets if why in (HIDDEN, VERY_HIDDEN)]
    sheets = [f"「{s}」" for s, why in record.skipped_sheets if s and s not in hidden]
    looked = Phrase("sheets_looked_at", sheets=sheets) if sheets else ""
    summaries = [s for s, why in record.skipped_sheets if why == "summary"]
    if summaries:  # a 汇总 sheet alone: the households are in another file, or on sheets not sent
        looked = Phrase("sheets_looked_at_summary", looked=looked, summaries=[f"「{s}」" for s in summaries])
    if hidden:  # the households may be on a hidden sheet: say how to read it
        looked = Phrase("sheets_looked_at_hidden", looked=looked, hidden=[f"「{s}」" for s in hidden])
    if record.kind == HTML_TABLE.lstrip("."):  # a web page named .xls: said as one, never "save it as .xlsx"
        looked = Phrase("sheets_looked_at_html", looked=looked)
    return looked


# Households a sheet holds at least to be taken for a copy of others (_copied_tables).
_COPY_AT_LEAST = 2


def _copy_keys(frame: pd.DataFrame, rows: np.ndarray, names: list[str]) -> np.ndarray:
    """A key per row of `frame` at `rows`, the same for two rows that hold the same household as a
    copy holds it: the head's ID and name (no white space) and its counts and amounts, an amount as
    its value in fen (1200 and 1200.00 alike; a blank 0, as a formula copying a blank cell shows it),
    and its yes/no cells as typed (a blank 0 too): 是否低保户 是 in one and #N/A in the other is no copy.
    What a copy leaves out or words otherwise (places, phone, 填表人, 备注) is not compared."""
    key = np.zeros(len(rows), dtype=np.uint64)
    flags = [f.name for f in fields().field if f.kind == "flag" and f.name in frame]
    for name in ("head_id", "head_name", *names, *flags):
        values = frame[name].to_numpy(dtype=object, na_value="")[rows] if name in frame \
            else np.full(len(rows), "", dtype=object)
        text = pd.Series(values, dtype=object).astype(str).str.replace(r"\s+", "", regex=True)
        if name in flags:
            text = text.mask(text == "0", "")
        elif name in names:
            number = pd.to_numeric(text.where(text != "", "0"), errors="coerce")
            # Inf, NaN typed in a cell read as numbers here, and are none (not_a_number): compared as typed.
            fen = (number.where(np.isfinite(number)) * 100).round()
            text = text.where(fen.isna(), fen.astype("Int64").astype(str))
        key = key * np.uint64(1_000_003) + pd.util.hash_array(text.to_numpy(dtype=object))
    return key


def _column_of(frames: list[pd.DataFrame], name: str) -> np.ndarray:
    """A column of every frame as one object array ('' for a blank, and where a frame has no such
    column): what the checks of tables against one another (copies, near copies, years) compare."""
    return np.concatenate([f[name].to_numpy(dtype=object, na_value="") if name in f
                           else np.full(len(f), "", dtype=object) for f in frames]) if frames else np.zeros(0, object)


# Of a sheet's households, the share row for row the same on another sheet holding them all, for the
# two to be taken for two versions of one table (_near_copies); the differing rows named at most.
_NEAR_COPY_SHARE = 0.5
_NEAR_COPY_ROWS_SAID = 3


def _household_keys(frames: list[pd.DataFrame]) -> np.ndarray:
    """Who each row's household is, for pairing the rows of two versions of one table: its head's ID
    (as read) where another row holds that ID too; where the ID stands on this row alone (corrected in
    one version: 220122196316092684 → …0609…), its township, village and head's name where those stand
    once on each of two sheets or more; 0 where no other row holds the household. The place and name,
    not the row's position, so that a version with a row inserted, deleted or sorted still pairs; a
    name without a village is not enough to tell two 张三 apart."""
    ids = _column_of(frames, "head_id")
    twice = pd.Series(ids, dtype=object).duplicated(keep=False).to_numpy() & (ids != "")
    who = np.where(twice, pd.util.hash_array(ids), np.uint64(0))
    if twice.all() or not twice.any():  # no ID shared: no two versions of a table to pair rows of
        return who
    parts = [pd.Series(_column_of(frames, name), dtype=object).astype(str).str.replace(r"\s+", "", regex=True)
             for name in ("township", "village", "head_name")]
    named = ((parts[1] != "") & (parts[2] != "")).to_numpy()
    name_key = np.uint64(0)
    for part in parts:
        name_key = name_key * np.uint64(1_000_003) + pd.util.hash_array(part.to_numpy(dtype=object))
    table = pd.DataFrame({"sheet": _column_of(frames, "sheet_key"), "name": name_key})
    # Once on its sheet, whatever the other rows' IDs (two 张三 of one village: neither is paired) …
    table = table[named & ~table.duplicated(["sheet", "name"], keep=False).to_numpy() & ~twice]
    table = table[table.duplicated("name", keep=False)]  # … and on another sheet, its ID alone there too
    who[table.index.to_numpy()] = table["name"].to_numpy(dtype=np.uint64) | np.uint64(1)  # never 0
    return who


def _rows_compared(frames: list[pd.DataFrame], at: np.ndarray, names: list[str]) -> dict[str, np.ndarray]:
    """Of the rows at `at` (positions in the frames one after another, ascending): the key a copy
    shares (_copy_keys), the Excel row, the sheet and the head's name, as the checks of two versions
    name the rows that differ."""
    bounds = np.cumsum([0] + [len(f) for f in frames])
    hashes = np.zeros(len(at), dtype=np.uint64)
    excel_rows = np.zeros(len(at), dtype=np.int64)
    heads = np.empty(len(at), dtype=object)
    sheets = np.empty(len(at), dtype=object)
    for k, frame in enumerate(frames):
        mine = (at >= bounds[k]) & (at < bounds[k + 1])
        if mine.any():
            rows = at[mine] - bounds[k]
            hashes[mine] = _copy_keys(frame, rows, names)
            excel_rows[mine] = frame["row"].to_numpy()[rows]
            heads[mine] = frame["head_name"].to_numpy(dtype=object, na_value="")[rows] if "head_name" in frame else ""
            sheets[mine] = frame["sheet"].to_numpy(dtype=object, na_value="")[rows] if "sheet" in frame else ""
    return {"hash": hashes, "excel_row": excel_rows, "head": heads, "sheet_name": sheets}


def _compared_fields(frames: list[pd.DataFrame]) -> list[str]:
    """The count and money columns a copy's rows are compared by (_copy_keys)."""
    return sorted({c for f in frames for c in f.columns
                   if c in fields().by_name and fields().by_name[c].kind in ("money", "integer")})


def _near_copies(frames: list[pd.DataFrame], inputs: list[InputFile], refused: set[str]) -> list[InputError]:
    """Two versions of one table: a sheet every household of which (by the head's ID) another sheet
    holds too, half or more of them row for row the same there and some not (伏龙泉镇.xlsx beside
    伏龙泉镇(修改后).xlsx, one household corrected in the later). Read together, every household would
    be counted twice and each be a duplicate_household; refused, naming both, how many are the same
    and the rows that differ, for the clerk to give the right one. Of two sheets holding each other's
    households, the later is said. Files refused already (`refused`: copies, an earlier year's) and
    hidden sheets read on purpose are left out."""
    record_of = {sheet.key(record.name): (record, sheet) for record in inputs for sheet in record.sheets}
    hidden = {sheet.key(record.name) for record in inputs for sheet in record.sheets
              if sheet.name in record.hidden_sheets_read}
    frames = [f for f in frames if len(f)]
    keys = _column_of(frames, "sheet_key")
    if len(pd.unique(keys)) < 2:
        return []
    # The rows whose household another row holds too: by the ID as read, as _copied_tables compares
    # them, or where one version corrected the ID, by place and name (_household_keys).
    who = _household_keys(frames)
    if not who.any():
        return []
    left_out = hidden | {k for k, (record, _) in record_of.items() if record.name in refused}
    table = pd.DataFrame({"sheet": keys, "id": who})
    table = table[(who != 0) & ~table["sheet"].isin(left_out).to_numpy(dtype=bool)]
    elsewhere = table.drop_duplicates().duplicated("id", keep=False)
    table = table.loc[elsewhere[elsewhere].index] if len(table) else table
    if table.empty:
        return []
    table = table.assign(**_rows_compared(frames, table.index.to_numpy(), _compared_fields(frames)))
    counts = table.groupby("sheet", sort=False).size()
    # Each sheet against the sheet sharing most of its IDs.
    pairs = table.merge(table[["sheet", "id", "hash", "excel_row"]], on="id", suffixes=("", "_other"))
    pairs = pairs[pairs["sheet"] != pairs["sheet_other"]]
    order = {key: k for k, key in enumerate(dict.fromkeys(keys.tolist()))}
    errors = []
    for (sheet, other), shared in pairs.groupby(["sheet", "sheet_other"], sort=False):
        n = int(counts[sheet])
        if shared["id"].nunique() < n or n < _COPY_AT_LEAST:
            continue
        same = shared["hash"].to_numpy() == shared["hash_other"].to_numpy()
        same_ids = set(shared.loc[same, "id"])
        differ = shared[~shared["id"].isin(same_ids)].drop_duplicates("id")
        if len(same_ids) < _NEAR_COPY_SHARE * n or differ.empty:
            continue
        # Two versions holding the same households are a near copy both ways: the later one is said.
        if int(counts[other]) == n and order[sheet] < order[other]:
            continue
        rows = [Phrase("near_copy_row", row=int(r.excel_row), name=str(r.head), other_row=int(r.excel_row_other))
                for r in differ.sort_values("excel_row").head(_NEAR_COPY_ROWS_SAID).itertuples()]
        more = len(differ) - len(rows)
        error = InputError("near_copy", where=_table_named(*record_of[sheet]), other=_table_named(*record_of[other]),
                           count=f"{n:,}", same=f"{len(same_ids):,}", differ=f"{len(differ):,}", rows=rows,
                           more=Phrase("near_copy_more", count=f"{more:,}") if more > 0 else "")
        error.refused_file = record_of[sheet][0].name  # counted by file (read_inputs): three sheets of one file, one
        errors.append(error)
    return errors


# Of each of two files' households, the share the other holds too (_household_keys) for the two to be
# taken for two versions of one file (_two_versions); of those, the share row for row the same is a
# near copy's.
_VERSIONS_SHARE = 0.8


def _two_versions(frames: list[pd.DataFrame], inputs: list[InputFile]) -> list[InputError]:
    """Two versions of one file of several sheets: 哈拉海镇(改前).xlsx left beside 哈拉海镇.xlsx, each
    holding most of the other's households, most of them row for row the same, and some corrected
    (a figure, a yes/no, a head's ID) or only in one. Read together, every household would be counted
    twice; refused once, naming both files (not each sheet, and neither as the other's copy: which is
    the corrected one is the clerk's to say), how many households are the same and the first rows that
    differ. Pairs one of which holds the other whole, row for row, are copies (_copied_tables); two
    files of one sheet each, their sheets' near copy (_near_copies), unless each holds households the
    other does not (one added, one corrected); files whose titles name two years, last year's
    survey (_earlier_year_files). Hidden sheets read on purpose are left out."""
    several = {record.name for record in inputs if sum(1 for s in record.sheets if s.households) > 1}
    if sum(1 for record in inputs if any(s.households for s in record.sheets)) < 2:
        return []
    file_of = {sheet.key(record.name): record.name for record in inputs for sheet in record.sheets
               if sheet.name not in record.hidden_sheets_read}
    frames = [f for f in frames if len(f)]
    files = pd.Series(_column_of(frames, "sheet_key"), dtype=object).map(file_of).to_numpy(dtype=object)
    who = _household_keys(frames)
    read = pd.notna(files)
    # Each file's households, each once (a 全镇汇总 sheet repeating its villages' holds none more).
    held = pd.DataFrame({"file": files[read], "who": who[read]})
    households = (held[held["who"] != 0].groupby("file")["who"].nunique()
                  .add(held[held["who"] == 0].groupby("file").size(), fill_value=0))
    at = np.flatnonzero(read & (who != 0))
    if not len(at):
        return []
    table = pd.DataFrame({"file": files[at], "who": who[at], "at": at,
                          **_rows_compared(frames, at, _compared_fields(frames))})
    order = {record.name: k for k, record in enumerate(inputs)}
    pairs = table.merge(table.drop(columns="at"), on="who", suffixes=("", "_other"))
    pairs = pairs[pairs["file"].map(order).to_numpy() < pairs["file_other"].map(order).to_numpy()]
    years = {record.name: max((y for s in record.sheets if s.households for y in s.title_years), default=None)
             for record in inputs}
    errors = []
    for (first, second), shared in pairs.groupby(["file", "file_other"], sort=False):
        if None not in (years[first], years[second]) and years[first] != years[second]:
            continue
        n = shared["who"].nunique()
        if n < _VERSIONS_SHARE * households[first] or n < _VERSIONS_SHARE * households[second]:
            continue
        same = set(shared.loc[shared["hash"].to_numpy() == shared["hash_other"].to_numpy(), "who"])
        differ = shared[~shared["who"].isin(same)].sort_values("at").drop_duplicates("who")
        only = {name: int(households[name]) - n for name in (first, second) if households[name] > n}
        # Two files of a sheet each are _near_copies', but where each holds households the other does not
        # (one added, one corrected): no sheet holds the other's whole, and only this pairs them.
        if first not in several and second not in several and len(only) < 2:
            continue
        # No household differs and one file holds the other whole: that one is a copy, said as one.
        if len(same) < _NEAR_COPY_SHARE * n or (differ.empty and len(only) < 2):
            continue
        rows = [Phrase("two_versions_row", sheet=Phrase("two_versions_sheet", sheet=r.sheet_name) if r.sheet_name else "",
                       row=int(r.excel_row), name=str(r.head), other_row=int(r.excel_row_other),
                       other_sheet=Phrase("two_versions_sheet", sheet=r.sheet_name_other)
                       if r.sheet_name_other and r.sheet_name_other != r.sheet_name else "")
                for r in differ.head(_NEAR_COPY_ROWS_SAID).itertuples()]
        more = len(differ) - len(rows)
        said = Phrase("two_versions_differ", differ=f"{len(differ):,}", rows=rows,
                      more=Phrase("near_copy_more", count=f"{more:,}") if more > 0 else "") if len(differ) else ""
        errors.append(InputError(
            "two_versions", file=first, other=second, count=f"{n:,}", same=f"{len(same):,}", differ=said,
            only=Phrase("two_versions_only", only=[Phrase("two_versions_only_in", file=name, count=f"{k:,}")
                                                   for name, k in only.items()]) if only else ""))
    return errors


def _table_named(record: InputFile, sheet: SheetInfo) -> str | Phrase:
    """A file by its name where it holds no other household sheet, else the file and the sheet."""
    if sum(1 for s in record.sheets if s.households) <= 1:
        return record.name
    return Phrase("where_sheet", file=record.name, sheet=sheet.name)


# Of an earlier year's file's households, the share another file of a later title year holds too.
_EARLIER_YEAR_SHARE = 0.5


def _earlier_year_files(frames: list[pd.DataFrame], inputs: list[InputFile], refused: set[str]) -> list[InputError]:
    """Files whose titles name an earlier year (2019年度) than another file's (2020年度) holding half
    or more of their households (by the head's ID) too: last year's survey left in the folder beside
    this year's. Read together, each such household would be a duplicate_household, decided on
    neither year's figures; refused, naming both years. A file whose title names no year, or the
    same one, is never taken for an earlier year's. `refused`: files refused already (copies)."""
    years = {record.name: {y for sheet in record.sheets if sheet.households for y in sheet.title_years}
             for record in inputs}
    dated = {name: ys for name, ys in years.items() if ys}
    if len({max(ys) for ys in dated.values()}) < 2:
        return []
    file_of = {sheet.key(record.name): record.name for record in inputs for sheet in record.sheets}
    pairs = pd.DataFrame({
        "file": pd.Series(_column_of(frames, "sheet_key"), dtype=object).map(file_of).to_numpy(dtype=object),
        "id": _column_of(frames, "head_id")})
    pairs["id"] = pairs["id"].astype(str).str.replace(r"\s+", "", regex=True).str.upper()
    pairs = pairs[(pairs["id"] != "") & pairs["file"].isin(list(dated))].drop_duplicates()
    households = pairs.groupby("file").size()
    shared = pairs.merge(pairs, on="id", suffixes=("", "_later"))
    shared = shared[shared["file"] != shared["file_later"]]
    counts = shared.groupby(["file", "file_later"]).size()
    errors = []
    for name in dated:
        if name in refused or name not in households.index:
            continue
        later = [other for (mine, other), n in counts.items() if mine == name and other not in refused
                 and min(dated[other]) > max(dated[name])
                 and n >= max(_COPY_AT_LEAST, _EARLIER_YEAR_SHARE * households[name])]
        if later:
            errors.append(InputError(
                "earlier_year_file", file=name, year=max(dated[name]), later=min(min(dated[o]) for o in later),
                others=later, shared=f"{int(max(counts[(name, o)] for o in later)):,}",
                count=f"{int(households[name]):,}"))
    return errors


def _copied_tables(frames: list[pd.DataFrame], inputs: list[InputFile], left_out: set[str] = frozenset()
                   ) -> list[InputError]:
    """Sheets whose every household stands, as the same household, on other sheets read: a 全镇汇总
    copying the villages' sheets (typed, or by formulas =前岗村!B5), a 候选户 sheet listing some of
    them again, the .xlsx an .xls was saved as beside it, a village's own file beside the township's
    that holds it. Each of their households would be counted twice and be a duplicate_household (the
    候选户 sheet made every candidate so). Refused, as a file given twice is, naming the copy and what
    it copies: the whole file where each of its sheets is one. Of sheets copying one another, the
    largest is the copy (the 汇总, not its villages), then one that takes its whole file with it (a
    village's file, not the township's sheet of it), then the later. Sheets that merely share some
    households (an old table and a corrected one: a household differs) are no copy: each is read, the
    households they share duplicates as ever; so is a hidden sheet read on purpose (--include-hidden).
    Only rows whose head ID stands on another row too are compared (_copy_keys). Files `left_out`
    (one of two versions of a file, refused as such: _two_versions) are not compared."""
    hidden = [sheet.key(record.name) for record in inputs for sheet in record.sheets
              if sheet.name in record.hidden_sheets_read or record.name in left_out]
    frames = [f[~f["sheet_key"].isin(hidden).to_numpy(dtype=bool)] if hidden else f for f in frames]
    frames = [f for f in frames if len(f)]
    if sum(f["sheet_key"].nunique() for f in frames) < 2:
        return []
    ids = _column_of(frames, "head_id")
    twice = pd.Series(ids, dtype=object).duplicated(keep=False).to_numpy()
    keys = _column_of(frames, "sheet_key")
    # A sheet can be a copy only if each of its households' IDs stands elsewhere too.
    whole = pd.Series(twice).groupby(keys, sort=False).all()
    if not whole.any():
        return []
    names = sorted({c for f in frames for c in f.columns
                    if c in fields().by_name and fields().by_name[c].kind in ("money", "integer")})
    hashes = np.concatenate([_copy_keys(f, np.flatnonzero(chosen), names)
                             for f, chosen in zip(frames, np.split(twice, np.cumsum([len(f) for f in frames])[:-1]))])
    rows = pd.Series(hashes).groupby(keys[twice], sort=False).agg(lambda h: frozenset(h.tolist()))
    where = {sheet.key(record.name): (record, sheet) for record in inputs for sheet in record.sheets}
    order = {key: k for k, key in enumerate(rows.index)}
    sheets_of = {record.name: [sheet.key(record.name) for sheet in record.sheets if sheet.households]
                 for record in inputs}
    # How many sheets still read hold each household: a sheet all of whose households another holds
    # too may be a copy; taken out one at a time, the largest first.
    held: dict[int, int] = {}
    for h in rows:
        for x in h:
            held[x] = held.get(x, 0) + 1
    left = set(rows.index)
    copies: dict[str, list[str]] = {}
    while True:
        # A table of one household is no copy of a table: its household a duplicate, said as one.
        candidates = [k for k in left if whole.get(k, False) and len(rows[k]) >= _COPY_AT_LEAST
                      and all(held[x] > 1 for x in rows[k])]
        if not candidates:
            break

        def whole_file(k: str) -> bool:
            mine = sheets_of[where[k][0].name]
            return all(m in candidates or m in copies for m in mine)

        key = min(candidates, key=lambda k: (-len(rows[k]), not whole_file(k), -order[k]))
        left.discard(key)
        copies[key] = []
        for x in rows[key]:
            held[x] -= 1
    # What each copies: the sheets kept that hold its households (every one stays held by one: a copy
    # is taken out only while another holds each of its households).
    for key in copies:
        copies[key] = [other for other in rows.index if other in left and rows[other] & rows[key]]
    errors = []
    for record in inputs:
        mine = sheets_of[record.name]
        if not any(key in copies for key in mine):
            continue
        if all(key in copies for key in mine):
            files = list(dict.fromkeys(where[p][0].name for key in mine for p in copies[key]))
            errors.append(InputError("copied_file", file=record.name, others=files,
                                     count=f"{sum(where[key][1].households for key in mine):,}"))
            continue
        for key in mine:
            if key in copies:
                sheet = where[key][1]
                others = [Phrase("copied_sheet_here", sheet=where[p][1].name) if where[p][0] is record
                          else Phrase("where_sheet", file=where[p][0].name, sheet=where[p][1].name) for p in copies[key]]
                word = fields().rows.removed_word(sheet.name)  # 删除户: copied there, still on the live sheet
                errors.append(InputError("copied_sheet_removed" if word else "copied_sheet", file=record.name,
                                         sheet=sheet.name, count=f"{sheet.households:,}", others=others,
                                         **({"word": word} if word else {})))
    return errors


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame | None:
    if not frames:
        return None
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


def survey_job(path: Path, rules: RuleSet, include_hidden: bool = False, finish: tuple | None = None,
               label: str | None = None) -> ReadJob:
    """A survey file to read: its households' sheets and its 家庭成员 sheets (each given to
    `finish`, see ReadJob), named `label` in the outputs where that is not its own name."""
    return ReadJob(path, (member_table(), household_table(rules)), include_hidden, finish, label)


def read_file(path: Path, rules: RuleSet, workbooks: WorkbookSource | None = None, *,
              include_hidden: bool = False, files: FileSource | None = None, finish: tuple | None = None,
              label: str | None = None) -> tuple[pd.DataFrame | None, list, InputFile]:
    """One survey file → (households as cell text with provenance, its 家庭成员 sheets (each as
    `finish` makes it, see ReadJob; their cells by default), what was found in the file). A file of
    members alone has no households (None); a file with neither is refused. `files`: where it is
    read (ReadHere)."""
    frames, record = (files or ReadHere()).read(survey_job(path, rules, include_hidden, finish, label), workbooks)
    if not frames:
        error = InputError("no_household_header", file=record.name, sheets=sheets_looked_at(record))
        error.record = record
        raise error
    households = _concat([f for table, f in frames if table.kind == "households"])
    members = [f for table, f in frames if table.kind == "members"]
    return households, members, record


def _summed_blank_cells(frame: pd.DataFrame, rows: np.ndarray, match: HeaderMatch, table: Table,
                        scan: SheetScan | None) -> set[tuple[int, str]]:
    """Mark (SUMMED_BLANK) the money cells that are a plain sum of cells of their own row
    (workbook.same_row_sum), every one of them in a column this table reads and blank on the row:
    a sum whose value is known without Excel, calculated or not. Returns them as (Excel row, field).
    One saved as 0 (scan.row_sums) over an amount other than 0 is marked SAVED_ZERO: a result the
    program that wrote the file never calculated (checks.check_totals says so of its mismatch)."""
    if scan is None or not (scan.formulas or scan.row_sums) or not len(rows):
        return set()
    read = {ref.index: name for name, ref in match.columns.items() if table.reads(name)}
    money = {ref.index: name for name, ref in match.columns.items()
             if table.reads(name) and table.kinds.get(name) == "money"}
    # (column, columns summed) → [Excel rows, whether each was saved as 0 (else: no saved value)]
    groups: dict[tuple[int, tuple[int, ...]], list[list]] = {}
    for (row, col), columns in scan.row_sums.items():
        if col in money:
            at = groups.setdefault((col, columns), [[], []])
            at[0].append(row)
            at[1].append(True)
    for (row, col), text in scan.formulas.items():
        if col in money and (columns := same_row_sum(text, row)) is not None:
            at = groups.setdefault((col, columns), [[], []])
            at[0].append(row)
            at[1].append(False)
    where = pd.Index(rows)
    marked: dict[str, np.ndarray] = {}
    saved_zero: dict[str, np.ndarray] = {}
    found: set[tuple[int, str]] = set()
    for (col, columns), (at, saved) in groups.items():
        if col in columns or not all(c in read for c in columns):
            continue  # a cell the form does not read may hold anything
        positions = where.get_indexer(np.asarray(at, dtype=np.int64))
        saved = np.asarray(saved, dtype=bool)[positions >= 0]
        positions = positions[positions >= 0]
        blank = np.ones(len(positions), dtype=bool)
        for c in columns:
            blank &= (frame[read[c]].iloc[positions] == "").to_numpy(dtype=bool, na_value=False)
        name = money[col]
        if blank.any():
            marked.setdefault(name, np.zeros(len(frame), dtype=bool))[positions[blank]] = True
            found.update((int(r), name) for r in rows[positions[blank]])
        zero = ~blank & saved
        if zero.any():  # over an amount: a 0 of cells that are 0 (a transfer beside them) is the sum
            amounts = [np.nan_to_num(_amounts(frame[read[c]].iloc[positions[zero]].to_numpy(dtype=object))) != 0
                       for c in columns]
            zero[zero] = np.logical_or.reduce(amounts)
        if zero.any():
            saved_zero.setdefault(name, np.zeros(len(frame), dtype=bool))[positions[zero]] = True
    for name, mask in marked.items():
        frame[SUMMED_BLANK + name] = mask
    for name, mask in saved_zero.items():
        frame[SAVED_ZERO + name] = mask
    return found


def unread_formulas(households: pd.DataFrame, inputs: list[InputFile]) -> pd.DataFrame:
    """(hh, field, formula, stale) for every formula cell of a household whose value was not read: its
    position in `households`, the field, the formula as typed, and whether its workbook is marked for
    recalculation (its saved value, if any, not used: InputFile.formulas_stale)."""
    found = [(_key_of_row(rec, sheet, row), row, name, formula, rec.formulas_stale)
             for rec in inputs for sheet, row, name, formula in rec.unread_formulas]
    if not found:
        return pd.DataFrame({"hh": pd.Series(dtype=np.int64), "field": pd.Series(dtype=object),
                             "formula": pd.Series(dtype=object), "stale": pd.Series(dtype=bool)})
    wanted = pd.DataFrame(found, columns=["sheet_key", "row", "field", "formula", "stale"])
    where = pd.DataFrame({"sheet_key": households["sheet_key"].to_numpy(dtype=object),
                          "row": households["row"].to_numpy(dtype=np.int64), "hh": np.arange(len(households))})
    return wanted.merge(where, on=["sheet_key", "row"])[["hh", "field", "formula", "stale"]]


def _key_of_row(record: InputFile, sheet: str, row: int) -> str:
    """The sheet_key of a row of a sheet: its stacked table's where the sheet holds several."""
    tables = [s for s in (*record.sheets, *record.member_sheets) if s.name == sheet and s.header_rows[0] <= row]
    return max(tables, key=lambda s: s.header_rows[0]).key(record.name) if tables else f"{record.name}\x1f{sheet}"


def columns_table(inputs: list[InputFile], *, members: bool = False) -> pd.DataFrame:
    """One row per (sheet, field): where each field sits, for cell references in issues (of the
    members sheets, with `members`)."""
    rows = [
        (sh.key(rec.name), ref.field, ref.letter, ref.header)
        for rec in inputs for sh in (rec.member_sheets if members else rec.sheets) for ref in sh.columns.values()
    ]
    rows += [(sh.key(rec.name), together_field(name, k), ref.letter, ref.header)
             for rec in inputs for sh in (rec.member_sheets if members else rec.sheets)
             for name, refs in sh.together.items() for k, ref in enumerate(refs, 2)]
    return pd.DataFrame(rows, columns=["sheet_key", "field", "column", "header"])


def _members_with_amounts(inputs: list[InputFile], rules: RuleSet) -> dict | None:
    """Where a sheet read as 家庭成员 (it names 姓名, 身份证号 and 与户主关系) also heads a household's
    amounts (家庭总收入 …: one row per member, the household's amounts on its head's row): its file,
    sheet and those headers, for the message that says so; else None."""
    index = household_table(rules).alias_index
    money = {spec.name for spec in fields().field if spec.kind == "money"}
    for rec in inputs:
        for sheet in rec.member_sheets:
            amounts = [ref for ref in sheet.unknown_columns
                       if any(index.get(k) in money for k in header_keys(ref.header))]
            if amounts:
                return {"file": rec.name, "sheet": sheet.name, "columns": amounts[:4]}
    return None


def read_inputs(paths: list[Path], rules: RuleSet, progress=None, workbooks: WorkbookSource | None = None,
                include_hidden: bool = False, files: FileSource | None = None, finish: tuple | None = None,
                found: Found | None = None, labels: dict[Path, str] | None = None,
                ) -> tuple[pd.DataFrame, list, list[InputFile]]:
    """Every household of every input, in input order; the inputs' 家庭成员 sheets likewise, each as
    `finish` makes it (see ReadJob; an empty list when no input has one); and the per-file records. Workbooks come from
    `workbooks` (by default each is parsed when its turn comes), the files from `files` (by default
    each is read here when its turn comes); hidden sheets are read only with `include_hidden`. With
    `found` (inputs.folder_inputs), a file found in a folder without a household header (a township's
    汇总 workbook beside the villages') is passed over, added to found.left_out; one named is refused,
    and so is the first passed over when no file has one. Files of the same name (each township's
    folder holding the same form) are named with their folders (`labels`, inputs.input_labels)."""
    workbooks = workbooks or ParseWhenAsked()
    frames, member_frames, inputs = [], [], []
    labels = labels if labels is not None else input_labels(paths)
    hashes: dict[str, Path] = {}
    passed: list[InputError] = []
    # Files refused: each said, the others read all the same, so that one run names every file to
    # put right (a folder with a corrupt, an empty and an encrypted file took four runs).
    refused: list[InputError] = [InputError("input_twice", path=str(p)) for p in (found.twice if found else ())]
    for path in paths:
        try:
            households, members, record = read_file(path, rules, workbooks, include_hidden=include_hidden,
                                                    files=files, finish=finish, label=labels[path])
        except InputError as exc:
            if exc.params.get("file") == path.name != labels[path]:  # 烧锅镇/登记表.xlsx, not 登记表.xlsx
                exc.params["file"] = labels[path]
            if found is None or exc.key != "no_household_header" or path not in found.in_folder:
                refused.append(exc)
                continue
            passed.append(exc)
            skipped = exc.record.skipped_sheets if exc.record is not None else []
            sheets = [s for s, _ in skipped if s]
            # A workbook whose sheets are 汇总 (counts by village, no head named) is the township's
            # summary: passed over without holding the folder back from being ready to send.
            summary = bool(skipped) and all(why in ("summary", "empty") for _, why in skipped) \
                and any(why == "summary" for _, why in skipped)
            # Named as the refusal names them (sheets_looked_at: none for a text file, how to read a
            # hidden sheet where there is one).
            looked = sheets_looked_at(exc.record) if exc.record is not None else ""
            found.left_out.append(LeftOut(labels[path], "summary_workbook", "".join(f"「{s}」" for s in sheets))
                                  if summary else LeftOut(labels[path], "no_household_header", looked))
            continue
        if record.sha256 in hashes:
            refused.append(InputError("same_contents_twice", file=record.name, other=labels[hashes[record.sha256]]))
            continue
        hashes[record.sha256] = path
        if households is not None:
            frames.append(households)
        member_frames += members
        inputs.append(record)
        if progress is not None:
            progress(path, record)
    # Two versions of a file are said once, as such; the second is compared no more (its sheets are no
    # copies of the first's), the first still is (a 全镇汇总 sheet copying its villages').
    versions = _two_versions(frames, inputs)
    seconds = {e.params["other"] for e in versions}
    copies = _copied_tables(frames, inputs, seconds)
    earlier = _earlier_year_files(frames, inputs, {e.params.get("file") for e in copies} | seconds)
    refused += versions + copies + earlier + _near_copies(
        frames, inputs, {e.params.get("file") for e in copies + earlier} | seconds)
    if len(refused) == 1:
        raise refused[0]
    if refused:  # counted by file: one file's two sheets refused are one file
        files = {getattr(e, "refused_file", None) or e.params.get("file") or id(e) for e in refused}
        raise InputError("files_refused", count=len(files), problems=Lines(refused))
    if not inputs and passed:  # no file of the folder has a household header: say so of the first
        # … and of the folders deeper down, not read: a city's folder given, its townships' two levels
        # down, a 说明.txt beside its counties was the only thing said.
        deeper = [item.shown for item in found.left_out if item.reason == "folder_too_deep"]
        if deeper:
            raise InputError("no_survey_but_deeper", problem=Lines([passed[0]]), folders=deeper)
        raise passed[0]
    if not frames:  # members alone: whose members?
        mixed = _members_with_amounts(inputs, rules)
        if mixed is not None:
            raise InputError("members_with_household_columns", **mixed)
        raise InputError("members_only", files=[p.name for p in paths])
    households = _concat(frames)
    del frames
    # A field absent from one sheet but present in another is NA there, blank ('') where typed empty.
    lacking = [spec.name for spec in fields().field if spec.name not in households.columns]
    if lacking:
        absent = pd.Series(pd.NA, index=households.index, dtype=TEXT)
        for name in lacking:
            households[name] = absent
    return households, member_frames, inputs
