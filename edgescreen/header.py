"""Finding a sheet's header: which row (or two or three rows) names the fields, and which column
holds each field.

The header is found by scanning the top of the sheet, not assumed: title rows and a 填报单位 line may
stand above it, and it may span two or three rows with group headers (家庭总收入(元)) merged over their
components, a row of units under it, and a field's header over columns of its own (SubColumns).
Headers are matched by name through the aliases of a field catalogue, never by
position. The same rules read three kinds of table (`Table`): the households of the survey
(fields.toml), the members of a 家庭成员 sheet (members.toml) and a department's roster
(rosters.toml)."""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from .catalogue import (
    FieldSpec,
    Lang,
    Phrase,
    alias_index,
    fields,
    header_keys as _header_keys,
    label,
    members_catalogue,
    normalise_header as _normalise_header,
    plain_header_keys,
    undated_header_keys as _undated_header_keys,
    rosters_catalogue,
)
from .errors import InputError
from .inputs import column_letter
from .rules import RuleSet

HEADER_SCAN_ROWS = 40
# The form's yes/no fields a household-kind column holds the answers of.
_KIND_FLAGS = ("is_dibao", "is_tekun")
# The yes/no fields a column of a multiple choice's options may answer (flag_options), where the sheet has
# no column of their own: the required two first.
_OPTION_FLAGS = ("is_dibao", "is_tekun", "is_registered_poor")
# The marks an online form joins a multiple choice's options with in one cell: 问卷星's ┋, 金数据's , or 、,
# and | ; (after NFKC: ｜，； are | , ;).
OPTION_SEPARATORS = re.compile(r"[┋|,、;]")
# Where no header is in the first HEADER_SCAN_ROWS rows (the form's long instructions pasted above the
# table), the rows looked through again for one.
DEEP_HEADER_SCAN_ROWS = 300


@dataclass
class ColumnRef:
    field: str
    index: int  # 0-based column index in the sheet
    letter: str
    header: str  # the header as typed (both rows of a two-row header joined by "/")
    hidden: bool = False  # a column the sheet hides: said so, the clerk cannot see it

    def render(self, lang: Lang) -> str:
        """The column as a message names it, by its letter and its header (F「家庭人均纯收入」), and
        whether it is hidden: a list of them in a message's parameters is joined by the catalogue's
        list_sep."""
        return label("column_ref_hidden" if self.hidden else "column_ref", lang, column=self.letter,
                     header=self.header)


# A header's keys, once per distinct text: a sheet's top rows are tried as a header of one, two and
# three rows, and a 10,000-column export holds as many texts in each.
@lru_cache(maxsize=1 << 16)
def header_keys(text: str) -> tuple[str, ...]:
    return tuple(_header_keys(text))


@lru_cache(maxsize=1 << 16)
def normalise_header(text: str) -> str:
    return _normalise_header(text)




@dataclass(frozen=True, eq=False)
class Table:
    """What a sheet holds and how its header is recognised: its fields (name, header, aliases, kind,
    required), the required ones as units (a unit is named when any of its fields is), whether the
    header must name every unit (`whole`) or at least half of them, the group headers of a two-row
    layout, and the columns the row rules look at: the ID (a row without one may be a total), the
    name, the label columns where a total or footer word marks a row, and the columns where a
    repeated header shows. `read`: the fields whose cells are read (None: every field named)."""

    kind: str  # "households", "members" or "roster"
    fields: tuple[FieldSpec, ...]
    units: tuple[tuple[str, ...], ...]
    id_field: str
    name_field: str
    labels: tuple[str, ...]
    repeats: tuple[str, ...]
    whole: bool = False
    groups: tuple[tuple[str, str], ...] = ()
    read: frozenset[str] | None = None
    # (field, for): `field`'s column is read as `for` where the sheet has no `for` column, else not at all.
    fallbacks: tuple[tuple[str, str], ...] = ()

    @cached_property
    def by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.fields}

    @cached_property
    def alias_index(self) -> dict[str, str]:
        """Normalised header text → field name."""
        if self.kind == "households":
            return alias_index()
        return {normalise_header(a): f.name for f in self.fields for a in f.header_names}

    @cached_property
    def loose_keys(self) -> frozenset[str]:
        """The loose names of the table's fields, normalised (FieldSpec.loose)."""
        return frozenset(normalise_header(a) for f in self.fields for a in f.loose)

    @cached_property
    def kinds(self) -> dict[str, str]:
        return {f.name: f.kind for f in self.fields}

    def reads(self, name: str) -> bool:
        return self.read is None or name in self.read

    @cached_property
    def together(self) -> frozenset[str]:
        """The yes/no fields whose columns under two of their names are read together (FieldSpec.together)."""
        return frozenset(f.name for f in self.fields if f.together)


def household_table(rules: RuleSet) -> Table:
    """The survey's household sheet under a rule set (its income and expense sums are required as
    a total or any of its components)."""
    return _household_table(rules.income.components, rules.income.total, rules.expenses.components,
                            rules.expenses.total)


@cache
def _household_table(income: tuple[str, ...], income_total: str, expenses: tuple[str, ...],
                     expenses_total: str) -> Table:
    catalogue = fields()
    units = [(f.name,) for f in catalogue.field if f.required]
    units += [(*income, income_total), (*expenses, expenses_total)]
    return Table("households", catalogue.field, tuple(units), id_field="head_id", name_field="head_name",
                 labels=("household_id", "head_name", "head_id"), repeats=("head_id", "residents"),
                 groups=tuple(catalogue.groups.items()))


@cache
def member_table() -> Table:
    """A 家庭成员 sheet: recognised only when its header names every required member field."""
    catalogue = members_catalogue()
    return Table("members", catalogue.field, tuple((f.name,) for f in catalogue.field if f.required),
                 id_field="member_id", name_field="name", labels=("household_id", "name", "member_id"),
                 repeats=("member_id", "relation"), whole=True,
                 read=frozenset(f.name for f in catalogue.field if f.read))


@cache
def roster_table(kind: str) -> Table:
    """A roster of `kind`: its ID column (required), a name, the place, and the kind's date, reason,
    stop date, period and amount columns."""
    catalogue = rosters_catalogue()
    columns = dict(catalogue.columns)
    for name in ("date", "reason", "until", "period", "amount"):
        column = getattr(catalogue.by_code[kind], name)
        if column is not None:
            columns[name] = column
    columns.update(catalogue.by_code[kind].also)
    specs = tuple(FieldSpec(name=name, **c.model_dump(exclude={"fallback_for", "like", "resumed"})) for name, c in columns.items())
    fallbacks = tuple((name, c.fallback_for) for name, c in columns.items() if c.fallback_for is not None)
    # A unit is named by its field or a stand-in: a household-level roster's 户主身份证号 is its ID column.
    units = tuple((f.name, *(name for name, to in fallbacks if to == f.name)) for f in specs if f.required)
    return Table("roster", specs, units, id_field="id", name_field="name", labels=("name", "id"), repeats=("id",),
                 whole=True, fallbacks=fallbacks)


# ---------------------------------------------------------------------------------------------
# Header detection


@dataclass
class HeaderMatch:
    columns: dict[str, ColumnRef]
    duplicates: dict[str, list[ColumnRef]]
    # The columns not read: their header names no field, or names one less plainly than another
    # column does (`field` then says which).
    unknown: list[ColumnRef]
    headers_found: list[str]
    # Fields whose header stands over columns of their own that name no field (SubColumns).
    sub_columns: tuple[SubColumns, ...] = ()
    # Header cells merged over sub-headers that do not line up with the merge (MergeMisfit).
    misfits: tuple[MergeMisfit, ...] = ()
    # Fields two or more columns name only with a mark off (2018年家庭总收入, 2019年家庭总收入): none read.
    tied: dict[str, list[ColumnRef]] = field(default_factory=dict)
    # Sub-headers under an income or expense group header that name none of its fields (GroupStray).
    strays: tuple[GroupStray, ...] = ()
    # A yes/no field's further columns under other names of it (是否五保户 beside 是否特困人员: FieldSpec.
    # together), read beside its column in `columns`, 是 in either being 是 (read.py, normalise.py).
    together: dict[str, list[ColumnRef]] = field(default_factory=dict)
    # A column of a multiple choice's options (低保户┋特困人员) read as the yes/no fields it answers, those
    # fields' columns in `columns` (flag_options); else, where 是否低保户 or 是否特困人员 is missing, a column
    # not read whose cells name 低保 or 特困 (享受低保, 五保户): the refusal names it as the likely one.
    options: ColumnRef | None = None
    flag_words: ColumnRef | None = None


@dataclass(frozen=True)
class GroupStray:
    """A sub-header under a group header that names no field (家庭总收入(元) over 工资性收入 | … |
    其他收入, a column inserted inside the group and the merge widened over it): `column` its index,
    `label` the sub-header, `group` the group header as typed, `field` the group's total. Its column is
    not read; where the sum is computed from the components, amounts in it would be left out of the
    sum, and the reader refuses the sheet (read._refuse_group_strays)."""

    column: int
    label: str
    group: str
    field: str


@dataclass(frozen=True)
class SubColumns:
    """A field's header merged over columns of its own that name no field, as printed forms have
    them: 是否低保户 over 是 | 否 ("pair", read as one yes/no), 主要困难 over 因病 | 因残 | 因学 ("ticks",
    read as the names of the columns ticked), 转移性收入 over 低保金 | 养老金 | 其他 | 小计 (its 小计 is
    the field, as under a group header). Anything else is "unreadable": the field cannot be read from
    one of its columns, and the sheet is refused. `columns` are the sub-columns' indexes, `labels`
    their sub-headers; the field is read from the first ("total": from its 小计)."""

    kind: str
    header: str
    columns: tuple[int, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class MergeMisfit:
    """A field's or a group's header merged across columns (是否低保户 over H2:I2) whose sub-headers in
    the row below do not line up with the merge, so that what a column holds cannot be told: a
    column the merge covers has no sub-header while its others have ("blank"), or a sub-header
    that names another field ("unrelated"), or a sub-header just beside the merge stands under no
    header at all ("outside": 是 | 否 typed one column to the right of the merge). `merge` is the
    merged range as Excel writes it, `header` the merged cell's text, `cells` the sub-header cells
    at fault (J3) and `labels` their text ("" for a blank one); `field` the field the header names
    or whose group it heads (`group`)."""

    kind: str
    merge: str
    header: str
    cells: tuple[str, ...]
    labels: tuple[str, ...]
    field: str
    group: bool

    def render(self, lang: Lang) -> str:
        cells = [label("merge_misfit_cell", lang, cell=c, text=t) if t else c
                 for c, t in zip(self.cells, self.labels)]
        return label(f"merge_misfit_{self.kind}", lang, cells=label("list_sep", lang).join(cells),
                     header=self.header)


class _Clauses(tuple):
    """Clauses of a message, joined by the language's wide separator (；)."""

    def render(self, lang: Lang) -> str:
        return label("list_sep_wide", lang).join(m.render(lang) for m in self)


class HeaderMerges:
    """A sheet's merged ranges over its top rows, as the header finder asks of them (0-based grid
    rows and columns, as calamine gives them): the ranges across columns by their last row, and the
    columns each row's ranges cover."""

    def __init__(self, merges, rows: int, width: int):
        self.across: dict[int, dict[int, tuple[int, int]]] = {}  # last row → first column → (first row, last column)
        self.cells: list[set[int]] = [set() for _ in range(rows)]  # the columns a range covers, by row
        self.inner: list[set[int]] = [set() for _ in range(rows)]  # of those, not a range's top-left cell
        self.down: list[tuple[int, int, int]] = []  # (first row, column, last row) of the ranges across rows
        for (r1, c1), (r2, c2) in merges:
            if r1 >= rows or c1 >= width:
                continue
            c2 = min(c2, width - 1)
            if r2 > r1:
                self.down.append((r1, c1, r2))
            if c2 > c1:
                self.across.setdefault(r2, {})[c1] = (r1, c2)
            for r in range(r1, min(r2, rows - 1) + 1):
                self.cells[r].update(range(c1, c2 + 1))
                self.inner[r].update(range(c1 + (r == r1), c2 + 1))


def _parent_field(text: str, table: Table) -> tuple[str | None, bool]:
    """The field a header names (or whose group it heads) and whether it heads a group."""
    groups = {normalise_header(k): v for k, v in table.groups}
    group = next((groups[k] for k in header_keys(text) if k in groups), None)
    return (group, True) if group is not None else (_field_and_rank(text, table)[0], False)


def _parents(top: list[str], bottom: list[str], table: Table, merges: HeaderMerges | None, row: int, start: int
             ) -> dict[int, int]:
    """The header cells of the upper row that the sheet merges across columns, name a field or a
    group, and stand over sub-headers in grid row `row` (first column → last column): the merge,
    not the text, says which columns each stands over."""
    if merges is None:
        return {}
    found = {}
    for c1, (r1, c2) in merges.across.get(row - 1, {}).items():
        if r1 < start or c2 >= len(top) or not top[c1] or _parent_field(top[c1], table)[0] is None:
            continue
        if any(b and not _is_unit(b) for b in bottom[c1:c2 + 1]):
            found[c1] = c2
    return found


def _related(name: str, other: str, table: Table) -> bool:
    """Whether `other` may stand under the header of `name`: the same field, or one of the same sum
    (a component under 家庭总收入), or an amount no other sum claims (a component a rule set leaves
    out of the sum is still income)."""
    if other == name or any(name in u and other in u for u in table.units):
        return True
    sums = [u for u in table.units if len(u) > 1]
    return table.kinds.get(name) == "money" and table.kinds.get(other) == "money" \
        and any(name in u for u in sums) and not any(other in u for u in sums)


def _misfits(top: list[str], bottom: list[str], typed_top: list[str], table: Table, merges: HeaderMerges,
             parents: dict[int, int], row: int, start: int) -> list[MergeMisfit]:
    """Where the sub-headers of grid row `row` do not line up with the merges above them (MergeMisfit)."""
    words = fields().rows
    found = []
    for c1, c2 in parents.items():
        name, group = _parent_field(top[c1], table)
        kind = table.kinds.get(name)
        r1 = merges.across[row - 1][c1][0]
        merge = f"{column_letter(c1)}{r1 + 1}:{column_letter(c2)}{row}"
        suffix = fields().headers.group_suffixes.get(name, "") if group else ""
        blank, unrelated = [], []
        for k in range(c1, c2 + 1):
            b = bottom[k]
            if not b:
                if k not in merges.inner[row]:
                    blank.append(k)
                continue
            other = _field_and_rank(b, table)[0] or (_field_and_rank(b + suffix, table)[0] if suffix else None)
            if other is not None and (group or kind != "text") and not _related(name, other, table):
                unrelated.append(k)
        outside, k = [], c2 + 1
        covered = set().union(*merges.cells[start:row]) if row > start else set()
        while k < len(bottom) and bottom[k] and not top[k] and k not in covered and not _is_unit(bottom[k]):
            if not _names_field(bottom[k], table) and normalise_header(bottom[k]) not in words.row_number_headers:
                outside.append(k)
            k += 1
        for what, columns in (("blank", blank), ("unrelated", unrelated), ("outside", outside)):
            if columns:
                cells = tuple(f"{column_letter(c)}{row + 1}" for c in columns)
                found.append(MergeMisfit(what, merge, typed_top[c1], cells, tuple(bottom[c] for c in columns), name,
                                         group))
    return found


def _set_aside(match: HeaderMatch, table: Table) -> HeaderMatch:
    """A misaligned merge over an optional field that decides nothing (主要困难 over its ticks, 家庭人口数
    over 男 | 女): the field is not read, its column named among those not read, as for sub-columns
    no one can read (read._read_sub_columns). The others stay, and refuse the sheet."""
    keep = []
    for misfit in match.misfits:
        spec = table.by_name.get(misfit.field)
        if misfit.group or spec is None or spec.required or spec.kind in ("money", "flag"):
            keep.append(misfit)
        elif (ref := match.columns.pop(misfit.field, None)) is not None:
            match.unknown.append(dataclasses.replace(ref, field=""))
    match.misfits = tuple(keep)
    return match


def field_named(text: str, table: Table) -> str | None:
    """The field of `table` a header names, or None."""
    return _field_and_rank(text, table)[0]


@lru_cache(maxsize=1 << 16)
def _field_and_rank(text: str, table: Table) -> tuple[str | None, int]:
    """The field a header names and how plainly: 1 its header or an alias as typed (a unit or bracket
    aside; two such columns are two columns for one field), 2 a loose name, or a name only once the
    marks around it that say a year are taken off (2018年工资性收入: beside a plainer one, another
    column); past a question's number (15. 是否特困人员) it is as plain as typed."""
    index = table.alias_index
    plain = _undated_header_keys(text)
    for key in header_keys(text):
        if key in index:
            name = index[key]
            return name, 2 if key not in plain or key in table.loose_keys else 1
    option = _question_option(text, table)
    return (option, 2) if option is not None else (None, 3)


# A question's text, then one of its options in brackets: an online form's multiple choice split into a
# column per option (问卷星: 「11. 家庭属于以下哪类人员:(低保户)」, 1 where it was chosen, 0 where not).
_OPTION_AFTER_QUESTION = re.compile(r"^(.+?)\(([^()]+)\)$")


def _question_option(text: str, table: Table) -> str | None:
    """The yes/no field a header names as a question's option in brackets after the question
    (11. 家庭属于以下哪类人员:(低保户) is 是否低保户), or None. The question must read as one (a number
    before it, a colon or question mark after it) and name no field itself: 是否低保户(是/否) is the
    field with a note, read as such before this."""
    found = _OPTION_AFTER_QUESTION.match(normalise_header(text))
    if found is None:
        return None
    question, option = found.groups()
    name = table.alias_index.get(option)
    if name is None or table.kinds.get(name) != "flag" or _names_field(question, table):
        return None
    asked = set(_undated_header_keys(question)) - set(plain_header_keys(question))  # a number or colon taken off
    return name if asked else None


@lru_cache(maxsize=1 << 14)
def chosen_options(text: str) -> tuple[frozenset[str], bool]:
    """What a cell of a multiple choice's options says (低保户┋特困人员, 低保户、五保户, 以上都不是): the
    yes/no fields it chooses (their own yes words: fields.toml `yes`, 五保户 one of 特困's) and whether
    each of its options is known (one of those words, or a word for none: [flags] no, 以上都不是)."""
    parts = [p for p in OPTION_SEPARATORS.split(normalise_header(text).upper()) if p]
    own, none = flag_options()
    chosen = frozenset(name for name, words in own.items() if any(p in words for p in parts))
    return chosen, bool(parts) and all(p in none or any(p in words for words in own.values()) for p in parts)


@cache
def flag_options() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The options a multiple choice answers the yes/no fields with: {field: its own yes words}, as
    matched (upper case), and the words for none ([flags] no)."""
    catalogue = fields()
    own = {f.name: frozenset(normalise_header(w).upper() for w in f.yes) for f in catalogue.field
           if f.name in _OPTION_FLAGS}
    return own, frozenset(normalise_header(w).upper() for w in catalogue.flags.no)


def _options_column(match: HeaderMatch, below: list[list[str]], table: Table) -> HeaderMatch:
    """Where the sheet has no column of 是否低保户 or 是否特困人员: a column not read whose cells (`below`
    the header, as far as it was scanned) are most of them lists of known options (chosen_options), one
    of them at least choosing a yes/no field, is read as every one of those fields the sheet has no
    column of (an online form's 家庭属于以下哪类人员? in one column). Recognised by its cells, not its
    header's words; never a column of the household's type (户类型: header_words household_kind), which
    the refusal names. Where none is, a column whose cells name 低保 or 特困 is noted for the refusal.
    Only where two fields at least are read from it: the normaliser reads a column shared so as options."""
    lacking = [f for f in _OPTION_FLAGS if f not in match.columns and f not in match.duplicates
               and f not in match.tied]
    if table.kind != "households" or not any(f in lacking for f in _KIND_FLAGS):
        return match
    kinds = set(fields().headers.household_kind)
    notes = fields().notes
    words = tuple(normalise_header(w) for w in (*notes.dibao, *notes.tekun))
    best, best_lists, hinted, hinted_cells = None, 0, None, 0
    for ref in match.unknown:
        if set(header_keys(ref.header)) & kinds:
            continue
        cells = [row[ref.index] for row in below if ref.index < len(row) and row[ref.index]]
        read = [chosen_options(c) for c in cells]
        lists = sum(known for _, known in read)
        if 2 * lists > len(cells) and any(chosen for chosen, _ in read) and lists > best_lists:
            best, best_lists = ref, lists
        named = sum(any(w in normalise_header(c) for w in words) for c in cells)
        if named > hinted_cells:
            hinted, hinted_cells = ref, named
    if best is None or len(lacking) < 2:
        match.flag_words = best or hinted
        return match
    match.unknown = [ref for ref in match.unknown if ref.index != best.index]
    for name in lacking:
        match.columns[name] = dataclasses.replace(best, field=name)
    match.options = best
    return match


def _match_headers(texts: list[str], typed: list[str], table: Table) -> HeaderMatch:
    columns: dict[str, ColumnRef] = {}
    ranks: dict[str, int] = {}
    tied: set[str] = set()
    tied_refs: dict[str, list[ColumnRef]] = {}
    duplicates: dict[str, list[ColumnRef]] = {}
    together: dict[str, list[ColumnRef]] = {}
    unknown: list[ColumnRef] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        name, rank = _field_and_rank(text, table)
        ref = ColumnRef(name or "", i, column_letter(i), typed[i])
        if name is not None and rank == 2 and (name in tied or (name in columns and ranks[name] == 2)):
            # Two columns that name a field only with their marks off (2018年工资性收入, 2019年工资性收入):
            # which one is meant is not known; neither is read, as before the marks were taken off.
            if name in columns and ranks[name] == 2:
                unknown.append(columns[name])
                tied_refs[name] = [columns.pop(name)]
            tied.add(name)
            tied_refs.setdefault(name, []).append(ref)
            name = None
        if name is None:
            if normalise_header(text) not in fields().rows.row_number_headers:
                unknown.append(ref)
        elif name in columns and rank == ranks[name] and name in table.together and name not in duplicates \
                and normalise_header(text) not in {normalise_header(texts[r.index])
                                                   for r in (columns[name], *together.get(name, ()))}:
            # Another name of a yes/no field read together (是否五保户 beside 是否特困人员): both are read.
            # The same name twice (an old year's column kept) is still two columns for one field.
            together.setdefault(name, []).append(ref)
        elif name in columns and rank == ranks[name]:
            duplicates.setdefault(name, [columns[name], *together.pop(name, ())]).append(ref)
        elif name in columns and rank > ranks[name]:
            # Beside the field's own column, one named less plainly (2018年工资性收入, 外出务工收入
            # beside 工资性收入) is another column, not read: as before the marks were taken off.
            unknown.append(ref)
        else:
            if name in columns:
                unknown.extend(duplicates.pop(name, None) or [columns[name], *together.pop(name, ())])
            columns[name], ranks[name] = ref, rank
    for name, to in table.fallbacks:
        refs = duplicates.pop(name, None) or ([columns[name]] if name in columns else [])
        columns.pop(name, None)
        if refs and to not in columns and to not in duplicates:
            refs = [ColumnRef(to, r.index, r.letter, r.header) for r in refs]
            columns[to] = refs[0]
            if len(refs) > 1:
                duplicates[to] = refs
        elif len(refs) == 1:
            # Read under its own name beside `to`'s column: the reader takes it where that column is
            # blank throughout (a household-level export whose members' ID column is left empty).
            columns[name] = refs[0]
    return HeaderMatch(columns, duplicates, unknown, [t for t in typed if t], tied=tied_refs, together=together)


@lru_cache(maxsize=1 << 14)
def _is_unit(text: str) -> bool:
    """Whether a header cell only gives a unit (元, (人), 万元): a units row under the header."""
    return normalise_header(text).strip("()[]") in fields().headers.units


@lru_cache(maxsize=1 << 16)
def _names_field(text: str, table: Table) -> bool:
    return any(k in table.alias_index for k in header_keys(text))


def _spans(top: list[str], bottom: list[str], parents: dict[int, int] | None = None) -> list[tuple[int, int]]:
    """The columns each cell of the upper row stands over: (first, last), as the sheet merges it
    (`parents`), else a cell followed by the blank cells of a merge over filled cells of the row
    below (one column where the row below is blank)."""
    spans, i, n = [], 0, len(top)
    parents = parents or {}
    while i < n:
        j = i
        if i in parents:
            j = parents[i]
        elif top[i] and bottom[i]:
            # A unit under a blank cell continues nothing: it is that column's own (人 | 元 | 元).
            while j + 1 < n and not top[j + 1] and bottom[j + 1] and not _is_unit(bottom[j + 1]) \
                    and j + 1 not in parents:
                j += 1
        spans.append((i, j))
        i = j + 1
    return spans


def _sub_columns(header: str, first: int, labels: list[str], table: Table) -> SubColumns | None:
    """A field's header over columns of its own that name no field (SubColumns), or None where the
    header names no field, or a sub-header does (components under a group header). An amount's own
    name under it beside sub-headers that name nothing (工资性收入 over 小计 | 外出务工收入 | 本地务工收入:
    外出务工收入 is a loose name of 工资性收入) is one of its parts, not the field: only where every
    sub-header names the field (工资性收入 | 其中:务工收入) is the plainest of them read as it."""
    name, _ = _field_and_rank(header, table)
    if name is None or any(_is_unit(b) for b in labels):
        return None
    named = {_field_and_rank(b, table)[0] for b in labels}
    if named - {None} and not (table.kinds.get(name) == "money" and named == {None, name}):
        return None
    words = fields()
    keys = [normalise_header(b) for b in labels]
    columns = tuple(range(first, first + len(labels)))
    kind = table.kinds.get(name)
    if any(k in words.rows.total_words for k in keys) and kind == "money":
        kind = "total"
    elif kind == "flag" and len(keys) == 2 and keys[0] in words.flags.yes and keys[1] in words.flags.no:
        kind = "pair"
    elif kind == "flag" and len(keys) == 2 and keys[0] in words.flags.no and keys[1] in words.flags.yes:
        kind, columns, labels = "pair", columns[::-1], labels[::-1]
    elif kind == "text":
        kind = "ticks"
    else:
        kind = "unreadable"
    return SubColumns(kind, header, columns, tuple(labels))


def _combine_rows(top: list[str], bottom: list[str], table: Table, typed_top: list[str] | None = None,
                  merges: HeaderMerges | None = None, row: int = 0, start: int = 0
                  ) -> tuple[list[str], list[str], list[SubColumns], list[MergeMisfit], list[GroupStray]]:
    """Header text per column of a header of two rows (or of a third under the first two combined:
    `top` then holds their text, `typed_top` as typed): the component under a group header, else the
    cell above. A 合计/小计 under a group header is that group's total; a unit under a header is the
    header's (家庭总收入 over 万元 is 家庭总收入(万元)); a field's own sub-columns are SubColumns.
    Where the sheet merges a field's or a group's header across columns (`merges`; `bottom` is grid
    row `row` of a header from row `start`), a sub-header belongs to the header whose merge covers
    it, and sub-headers that do not line up with the merge are said (MergeMisfit). A sub-header under
    a group header that names no field is a GroupStray."""
    groups = {normalise_header(k): v for k, v in table.groups}
    suffixes = fields().headers.group_suffixes
    total_words = fields().rows.total_words
    index = table.alias_index
    typed_top = typed_top or top
    texts, typed, subs, strays = [], [], [], []
    row_numbers = fields().rows.row_number_headers
    parents = _parents(top, bottom, table, merges, row, start)
    misfits = _misfits(top, bottom, typed_top, table, merges, parents, row, start) if parents else []
    for first, last in _spans(top, bottom, parents):
        group, shown = top[first], typed_top[first]
        labels = bottom[first:last + 1]
        group_field = next((groups[k] for k in header_keys(group) if k in groups), None) if group else None
        sub = _sub_columns(group, first, labels, table) if group and last > first and not group_field else None
        if sub is not None:
            subs.append(sub)
            at = sub.columns[0] if sub.kind != "total" else \
                first + next(i for i, b in enumerate(labels) if normalise_header(b) in total_words)
            for k, b in enumerate(labels, first):
                texts.append(group if k == at else "")
                typed.append(f"{shown}/{b}")
            continue
        for k, b in enumerate(labels, first):
            if not b and k > first:  # under a merge, beside its sub-headers: a column of its own, unnamed
                texts.append("")
                typed.append("")
            elif not b:
                texts.append(group)
                typed.append(shown)
            elif _is_unit(b):
                texts.append(group)
                typed.append(f"{shown}({normalise_header(b).strip('()[]')})" if group else shown)
            else:
                if group_field and normalise_header(b) in total_words:
                    texts.append(table.by_name[group_field].header)
                elif group_field in suffixes and not any(k in index for k in header_keys(b)) \
                        and any(k in index for k in header_keys(b + suffixes[group_field])):
                    texts.append(b + suffixes[group_field])  # 工资性 under 家庭总收入 is 工资性收入
                else:
                    texts.append(_with_role(group, b, table) if group and not group_field else b)
                    if group_field and not _names_field(b, table) and normalise_header(b) not in row_numbers:
                        strays.append(GroupStray(k, b, shown, group_field))
                typed.append(f"{shown}/{b}" if group and group != b else b)
    return texts, typed, subs, misfits, strays


def _with_role(group: str, header: str, table: Table) -> str:
    """A sub-header under a group naming whose its columns are (户主信息 over 身份证号): the group's word
    before it where the two name a field as typed (户主身份证号), else the sub-header as it is."""
    role = normalise_header(group)
    for ending in fields().headers.role_group_endings:
        role = role.removesuffix(ending)
    name, rank = _field_and_rank(role + header, table)
    return role + header if name is not None and rank == 1 else header


def _explained(row: list[str], table: Table, subs: list[SubColumns], strays: list[GroupStray] = ()) -> bool:
    """Whether every filled cell of a lower header row is header: a field's name, a group's (家庭收入情况
    over its components), a unit, a total word, a row number's header, one of a field's sub-columns or
    a sub-header under a group header, whatever it names (not a household's values)."""
    words = fields().rows
    inside = {c for sub in subs for c in sub.columns} | {s.column for s in strays}
    groups = {normalise_header(k) for k, _ in table.groups}
    return all(i in inside or _names_field(cell, table) or _is_unit(cell)
               or any(k in groups for k in header_keys(cell))
               or normalise_header(cell) in words.total_words or normalise_header(cell) in words.row_number_headers
               for i, cell in enumerate(row) if cell)


@lru_cache(maxsize=1 << 16)
def _clean_typed(text: str) -> str:
    """A header as shown in messages: line breaks inside the cell dropped, runs of spaces folded."""
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*[\r\n]+\s*", "", text)).strip()


def _may_name_every_unit(rows: list[list[str]], table: Table) -> bool:
    """Whether the cells of `rows` name a field of each of the table's units, each cell alone: a
    table that must name every one (`whole`) and has no group headers (whose sub-header names a
    field only under its group: 合计 under 家庭总收入) has no header in rows where one is never named.
    Looked at before trying every row as a header: a village's household sheet, tried as a members
    table first, cost 20 ms of a city's 300 files each."""
    named: set[str] = set()
    for row in rows:
        for cell in row:
            if cell and len(cell) <= 40 and not cell.replace(".", "", 1).isdigit():
                name = _field_and_rank(cell, table)[0]
                if name is not None:
                    named.add(name)
    return all(any(f in named for f in unit) for unit in table.units)


def find_header(grid: list[list[str]], table: Table, merges=(), scan_rows: int = HEADER_SCAN_ROWS
                ) -> tuple[int, int, HeaderMatch] | None:
    """(first header row, last header row, match) as 0-based grid rows, or None for a sheet that
    does not name at least half of the table's required fields (every one, for a `whole` table).
    `merges`: the sheet's merged ranges, ((first row, first column), (last row, last column)) as
    calamine gives them: a sub-header belongs to the header whose merge covers it, and where the
    two do not line up the match says so (HeaderMatch.misfits), also where the header's cells are
    merged down over rows below the header found (the rows of 是 | 否 under a merge they miss)."""
    units = table.units

    def score(match: HeaderMatch) -> int:
        return sum(any(f in match.columns or f in match.duplicates for f in unit) for unit in units)

    best: tuple[tuple[int, int, int, bool], int, int, HeaderMatch] | None = None
    rows = [[_clean_typed(c) for c in row] for row in grid[:scan_rows]]
    if table.whole and not table.groups and not _may_name_every_unit(rows, table):
        return None
    merged = HeaderMerges(merges, len(rows), max(map(len, rows), default=0)) if merges else None
    tried: dict[tuple[int, int], HeaderMatch] = {}
    for r, row in enumerate(rows):
        # A header naming every field was found three rows up or more: what lies below it is the
        # households (a wide export's forty top rows tried as headers cost seconds).
        if best is not None and best[0][0] == len(units) and r > best[1] + 3:
            break
        if not any(row):
            continue
        candidates = [(r, r, _match_headers(row, row, table), 0)]
        texts, typed, subs, misfits, strays = row, row, [], [], []
        # Two rows, three (家庭收支情况 over 家庭总收入 over its components) or four (and a units row).
        for last in range(r + 1, min(r + 4, len(rows))):
            texts, typed, more, wrong, stray = _combine_rows(texts, rows[last], table, typed, merged, last, r)
            subs, misfits, strays = subs + more, misfits + wrong, strays + stray
            match = _match_headers(texts, typed, table)
            match.sub_columns, match.misfits, match.strays = tuple(subs), tuple(misfits), tuple(strays)
            tried[r, last] = match
            # Rows under a header row that are header themselves (units, a field's sub-columns, a column
            # inserted under a group header): the more of them, the better (a units row under a header
            # of two rows is its third). Else a title and a 填报单位 line merged over such a column
            # would tie with the header and become part of every column's name.
            header_below = last - r if any(_names_field(c, table) for c in row if c) and \
                all(_explained(rows[k], table, subs, strays) for k in range(r + 1, last + 1)) else 0
            candidates.append((r, last, match, header_below))
        for first, last, match, header_below in candidates:
            # At an equal score a one-row header wins: a title or 填报单位 line above the header row
            # adds nothing to it and must not become part of every column's name. Rows below the
            # header row that are header too (a units row, 是 | 否 under 是否低保户) are its own.
            s = (score(match), len(match.columns), header_below, first == last)
            if best is None or s > best[0]:
                best = (s, first, last, match)
    if best is None or 2 * best[0][0] < len(units) or (table.whole and best[0][0] < len(units)):
        return None
    _, first, last, match = best
    if merged is not None and not match.misfits:
        # The header's cells merged down past the rows found: the rows they cover are header too,
        # and sub-headers there that miss their merge leave columns no one can read.
        below = min(max((r2 for r1, c1, r2 in merged.down
                         if first <= r1 <= last < r2 and c1 < len(rows[r1]) and rows[r1][c1]), default=last),
                    first + 3, len(rows) - 1)
        if below > last and _set_aside(tried[first, below], table).misfits:
            return first, below, tried[first, below]
    return first, last, _options_column(_set_aside(match, table), rows[last + 1:], table)


def _which_to_keep(refs: list[ColumnRef], header: str) -> Phrase:
    """What the refusal of two columns for one field advises: where they carry the same name (a copy,
    an old year's column kept), to delete or rename one; where they carry two names of the field
    (户主姓名, 姓名), which to keep (the one under the field's own header, else the first) and to move
    into it what the others hold first, for a column renamed is not read and what it says is lost."""
    if len({normalise_header(r.header) for r in refs}) == 1:
        return Phrase("two_columns_same_name")
    keep = next((r for r in refs if normalise_header(r.header) == normalise_header(header)), refs[0])
    return Phrase("two_columns_keep_one", keep=keep, letter=keep.letter,
                  others=[r for r in refs if r is not keep])


def _mistyped(header: str, spec: FieldSpec) -> bool:
    """Whether a header is one of the field's names with one character wrong, missing or added (是否底保户,
    是否低保护), as typed or with the marks around it off: the same question, mistyped."""
    keys = (normalise_header(header), *header_keys(header))
    return any(_one_edit(key, normalise_header(name)) for name in spec.header_names for key in keys)


def _one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) <= 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def check_columns(path: Path, sheet: str, match: HeaderMatch, table: Table, hidden_columns=(), *,
                  given: frozenset[str] = frozenset(), advice=None) -> None:
    """Refuses a sheet with two columns for one field (a hidden one said as hidden: an old year's
    column hidden beside this year's), or without a required one. `given`: fields the sheet has no
    column of but whose values are known all the same (a village form's place, read from its title);
    `advice`: what the refusal of a missing column adds (a Phrase: how to name the place)."""
    where = Phrase("where_sheet", file=path.name, sheet=sheet) if sheet else path.name
    if match.misfits:
        # The merge and its sub-headers disagree: before a column is missing or read twice for it.
        merge = match.misfits[0].merge
        raise InputError("header_merge_misaligned", where=where, merge=merge, header=match.misfits[0].header,
                         problems=_Clauses(m for m in match.misfits if m.merge == merge))
    # Columns read together (是否特困人员, 是否五保户) one of which is hidden: a 是 no one can see would
    # decide the household, so the sheet is refused as two columns for one field.
    hidden_together = {name: [match.columns[name], *refs] for name, refs in match.together.items()
                       if any(r.index in hidden_columns for r in (match.columns[name], *refs))}
    if match.duplicates or hidden_together:
        name, refs = next(iter({**match.duplicates, **hidden_together}.items()))
        refs = [dataclasses.replace(ref, hidden=ref.index in hidden_columns) for ref in refs]
        raise InputError("two_columns_one_field", where=where, header=table.by_name[name].header, columns=refs,
                         advice=_which_to_keep(refs, table.by_name[name].header))
    missing = [unit for unit in table.units if not any(f in match.columns or f in given for f in unit)]
    for name in (f for unit in missing for f in unit if f in match.tied):
        # Columns of different years for a missing field (an old year's kept beside this year's): which
        # one is meant is not guessed.
        refs = [dataclasses.replace(ref, hidden=ref.index in hidden_columns) for ref in match.tied[name]]
        raise InputError("field_in_year_columns", where=where, header=table.by_name[name].header, columns=refs)
    # A sum is its total, or all of its components (domain §5): without the total, a component that
    # is not there (or whose header was not recognised) would make the sum too small, silently.
    partial = [unit for unit in table.units if len(unit) > 1 and unit[-1] not in match.columns
               and any(f in match.columns for f in unit[:-1]) and not all(f in match.columns for f in unit[:-1])]
    if partial and not missing:
        by_name = table.by_name
        unit = partial[0]
        unknown = match.unknown
        raise InputError("sum_components_missing", where=where,
                         present=[by_name[f].header for f in unit[:-1] if f in match.columns],
                         absent=[by_name[f].header for f in unit[:-1] if f not in match.columns],
                         total=by_name[unit[-1]].header,
                         unknown=Phrase("sum_components_unknown", columns=unknown) if unknown else "")
    if missing:
        by_name = table.by_name
        # A sum is satisfied by its total or any component: name the total and say so.
        wanted = [by_name[unit[0]].header if len(unit) == 1
                  else Phrase("total_or_components", total=by_name[unit[-1]].header,
                              components="/".join(by_name[f].header for f in unit[:-1]))
                  for unit in missing]
        # Every name of a missing field that would be read, loose ones too (在家居住人口), as the catalogue
        # writes it. Only the missing fields': another field's name is no help here, whatever characters it
        # shares (户类型 is no 风险类型, a name of 主要困难).
        accepted = [a for unit in missing for f in unit for a in by_name[f].header_names]
        # 是否低保户 or 是否特困人员 missing beside a 户类型 column: the form asks for the two yes/no columns,
        # filled in from it (said below), and no other column is offered for them.
        kinds = set(fields().headers.household_kind)
        kind = next((ref for ref in match.unknown if set(header_keys(ref.header)) & kinds), None) \
            if table.kind == "households" and any((f,) in missing for f in _KIND_FLAGS) else None
        flag_names = {a: f for unit in missing for f in unit for a in by_name[f].header_names
                      if by_name[f].kind == "flag"}
        if kind is not None:
            accepted = [a for a in accepted if flag_names.get(a) not in _KIND_FLAGS]
        # Each by the column it is nearest to (an outside try read "所在村" and could not tell for which).
        # A yes/no question only as itself mistyped: 是否脱贫户 asks another question than 是否低保户, however
        # near it is written, and renamed it would make every 脱贫户 a 低保户.
        close = {ref.letter: (ref, [a for a in difflib.get_close_matches(ref.header, accepted, n=2, cutoff=0.5)
                                    if a not in flag_names or _mistyped(ref.header, by_name[flag_names[a]])])
                 for ref in match.unknown}
        near = sorted({m for _, names in close.values() for m in names})
        for_columns = [Phrase("nearest_for_column", headers=sorted(names), column=ref)
                       for ref, names in close.values() if names]
        # 常住人口 missing beside 家庭人口数: the registered members are not the residents the rule divides by.
        # (Unless a name of the residents is among the nearest: a typo's nearest names are more help.)
        members_only = table.kind == "households" and ("residents",) in missing and "members" in match.columns \
            and not any(table.alias_index.get(normalise_header(n)) == "residents" for n in near)
        near_phrase = Phrase("nearest_headers", headers=for_columns) if near else ""
        near_phrase = Phrase("residents_not_members", members=match.columns["members"].header) \
            if members_only else near_phrase
        if kind is not None:
            kind_phrase = Phrase("flags_from_household_kind", column=kind, dibao=by_name["is_dibao"].header,
                                 tekun=by_name["is_tekun"].header)
            near_phrase = Phrase("with_advice", near=near_phrase, advice=kind_phrase) if near_phrase else kind_phrase
        elif match.flag_words is not None and any((f,) in missing for f in _KIND_FLAGS):
            # A column whose cells name 低保 or 特困 but could not be read as the options (_options_column).
            words_phrase = Phrase("flags_from_words_column", column=match.flag_words,
                                  dibao=by_name["is_dibao"].header, tekun=by_name["is_tekun"].header)
            near_phrase = Phrase("with_advice", near=near_phrase, advice=words_phrase) if near_phrase \
                else words_phrase
        raise InputError("required_column_missing", where=where, wanted=wanted, found=match.headers_found,
                         near=Phrase("with_advice", near=near_phrase, advice=advice) if advice else near_phrase)
