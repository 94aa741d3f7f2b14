"""The data files that drive edgescreen: household fields with their header aliases, and the message
catalogue (checks and output labels). Both are validated by pydantic when first used."""

from __future__ import annotations

from decimal import Decimal

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .message_files import message_tables

Kind = Literal["text", "id", "integer", "money", "flag"]
Severity = Literal["error", "warning"]
Category = Literal["漏项", "串项", "逻辑错误"]
Lang = Literal["zh", "en"]
# Every household gets exactly one, in this order of precedence (domain §4); classify.py decides.
STATUSES = ["excluded_dibao", "excluded_tekun", "excluded_registered", "invalid",
            "below_line", "candidate", "above_limit"]


class StrictModel(BaseModel):
    """The base of every model loaded from a data file: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(StrictModel):
    name: str
    header: str
    aliases: tuple[str, ...] = ()
    # Names that say the field only where no column says it more plainly (外出务工收入, 低保对象):
    # beside the field's own column such a column is another one, not read, where an alias beside it
    # is two columns for one field.
    loose: tuple[str, ...] = ()
    kind: Kind
    required: bool = False
    # A yes/no field's own answers beside [flags] yes/no: words that answer its question only (是(低保)
    # and 非低保 under 是否低保户 say nothing of 特困).
    yes: tuple[str, ...] = ()
    no: tuple[str, ...] = ()
    # A yes/no field whose columns under two of its names (是否特困人员, 是否五保户) are read together,
    # 是 in either being 是, rather than refused as two columns for one field (header._match_headers).
    together: bool = False

    @model_validator(mode="after")
    def _own_answers(self) -> FieldSpec:
        if (self.yes or self.no or self.together) and self.kind != "flag":
            raise ValueError(f"field {self.name}: yes/no words and `together` are for a yes/no field (kind flag)")
        if set(map(normalise_header, self.yes)) & set(map(normalise_header, self.no)):
            raise ValueError(f"field {self.name}: a word is both yes and no")
        return self

    @property
    def header_names(self) -> tuple[str, ...]:
        """Every name the field's column may carry, as the catalogue writes it: its header, its
        aliases, its loose names."""
        return (self.header, *self.aliases, *self.loose)


class FlagWords(StrictModel):
    yes: tuple[str, ...]
    no: tuple[str, ...]
    unticked: tuple[str, ...] = ()  # in a tick column: the box not chosen (○, □)
    # A header holding one of tick_marks and none of tick_unless (打√, but not 是打√否打×): a tick column,
    # its blank 否 by the form's own words (fields.toml [flags]).
    tick_marks: tuple[str, ...] = ()
    tick_unless: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _tick_words(self) -> FlagWords:
        if any(not w or normalise_header(w) != w for w in (*self.tick_marks, *self.tick_unless)):
            raise ValueError("[flags] tick_marks and tick_unless must be non-empty and written as matched "
                             "(NFKC, no white space)")
        return self

    def is_tick_header(self, header: str) -> bool:
        """Whether a yes/no column under `header` (as typed) is a tick column: a blank there is 否."""
        key = normalise_header(header)
        return any(m in key for m in self.tick_marks) and not any(m in key for m in self.tick_unless)


class RowWords(StrictModel):
    row_number_headers: tuple[str, ...] = ()
    total_words: tuple[str, ...]
    total_word_ranks: dict[str, int] = {}
    total_prefixes: tuple[str, ...] = ()
    count_words: tuple[str, ...] = ()
    count_units: tuple[str, ...] = ()
    footer_prefixes: tuple[str, ...]
    signature_words: tuple[str, ...] = ()
    not_a_name: tuple[str, ...] = ()
    average_words: tuple[str, ...] = ()
    column_markers: tuple[str, ...] = ()
    numbering_labels: tuple[str, ...] = ()
    summary_markers: tuple[str, ...] = ()
    summary_names: tuple[str, ...] = ()
    removed_sheet_names: tuple[str, ...] = ()
    removed_sheet_unless: tuple[str, ...] = ()
    person_words: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ranked_words(self) -> RowWords:
        if any(w not in self.total_words or rank < 1 for w, rank in self.total_word_ranks.items()):
            raise ValueError("[rows] total_word_ranks ranks total_words only, each 1 or more")
        return self

    def removed_word(self, sheet: str) -> str | None:
        """The word of removed_sheet_names a sheet's name holds (删除户, 迁出户), None where none does or
        it also holds one of removed_sheet_unless (删除重复后)."""
        name = "".join(unicodedata.normalize("NFKC", sheet).split())
        if any(w in name for w in self.removed_sheet_unless):
            return None
        return next((w for w in self.removed_sheet_names if w in name), None)

    # A form's example row (its 序号 例, or its 备注 示例,填写时删除), a note's sentence marks, and the
    # words that make a sub-header under a group a part of a component (其中:低保金): read.py.
    example_words: tuple[str, ...] = ()
    # A sheet named as the form's instructions, and the marks that say its table is an example (read._shown_examples).
    instruction_sheet_words: tuple[str, ...] = ()
    example_marks: tuple[str, ...] = ()
    note_marks: tuple[str, ...] = ()
    group_breakdown_words: tuple[str, ...] = ()


class HeaderWords(StrictModel):
    """What is written around a header's name without changing the field (fields.toml [headers]):
    required-field marks, list numbering and a year before it, a unit or 合计 after it; the word a
    short sub-header under a group header leaves out; and the words that make an unread header look
    like a field edgescreen would have read. The patterns are regular expressions over the header
    as matched (NFKC, no white space), checked when the file loads."""

    marks: str = ""
    leading: tuple[str, ...] = ()
    apart: tuple[str, ...] = ()
    trailing: tuple[str, ...] = ()
    group_suffixes: dict[str, str] = {}
    role_group_endings: tuple[str, ...] = ()
    looks_like_field: tuple[str, ...] = ()
    looks_computed: tuple[str, ...] = ()
    # A column of the household's type (户类型: 一般户 / 低保户 / 特困供养户), as a national system's export
    # has in place of the form's two yes/no columns: named in the refusal, never read for them.
    household_kind: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    net_of_costs: tuple[str, ...] = ()  # net business income: not 家庭经营收入, never its alias
    # The words that make an unread header an amount of the income or expense sum, by the field they say
    # it is, and `none`: words that make it no such amount (read._refuse_unread_amounts).
    sum_words: dict[str, tuple[str, ...]] = {}

    @model_validator(mode="after")
    def _patterns_compile(self) -> HeaderWords:
        for pattern in (*self.leading, *self.apart, *self.trailing):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"[headers] pattern {pattern!r} is not a regular expression: {exc}") from None
        return self


class MoneyWords(StrictModel):
    none: tuple[str, ...] = ()  # what a clerk writes in an amount cell for "none": read as 0
    blank: tuple[str, ...] = ()  # what an export writes in a cell left blank (NULL, (跳过)): read as blank


class PhoneWords(StrictModel):
    none: tuple[str, ...] = ()  # what a clerk writes in the phone cell for "no phone": no number to check
    separators: str = ""  # between two numbers in one cell (the head's and a child's)


class NoteWords(StrictModel):
    """What the 备注 cell says that a check reads (fields.toml [notes])."""

    # A failed harvest confirmed (受灾, 绝收): a net income of 0 or less is then what happened, not a slip.
    failed_harvest: tuple[str, ...] = ()
    # A year's business that lost money or took a large outlay (亏损, 新建大棚): costs above the income.
    business_loss: tuple[str, ...] = ()
    # The household a 低保户 (dibao) or a 特困人员 (tekun) now: a clause (between clause_marks or white
    # space) holding one of the words and none of the negations.
    dibao: tuple[str, ...] = ()
    tekun: tuple[str, ...] = ()
    negations: tuple[str, ...] = ()
    negations_before: tuple[str, ...] = ()
    # A mention ended in the clause after it (享受低保,今年取消): that clause holds one of these, no word of its own.
    ended: tuple[str, ...] = ()
    clause_marks: str = ""

    deceased: tuple[str, ...] = ()
    dead_negations: tuple[str, ...] = ()
    head: str = ""
    others: tuple[str, ...] = ()
    # The household's 备注 of its head's death: 本人 as 户主; what stands before a death word naming no one.
    self_words: tuple[str, ...] = ()
    unnamed_before: tuple[str, ...] = ()
    # The whole household left or taken off the list (迁出, 销户, 重复), and what says it did not.
    left: tuple[str, ...] = ()
    left_negations: tuple[str, ...] = ()
    left_negations_before: tuple[str, ...] = ()
    left_counted: tuple[str, ...] = ()  # 人, 口: a leave word followed by a count of them is of members
    count_characters: str = ""  # what a count is written with (1, 一, 两)
    # A row's figures corrected (已更正, 核实后修改, 以此为准), and what says they are still to be (未更正).
    corrected: tuple[str, ...] = ()
    corrected_negations_before: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words_as_matched(self) -> NoteWords:
        # A note is read NFKC, its white space and clause marks splitting it: a word holding one, or
        # not NFKC, could never be found (a full-width comma in a word, 迁 出).
        marks = set(self.clause_marks)
        for name, value in self:
            words = (value,) if name == "head" and value else value if isinstance(value, tuple) else ()
            for word in words:
                if not word or unicodedata.normalize("NFKC", word) != word or marks & set(word) \
                        or any(ch.isspace() for ch in word):
                    raise ValueError(f"[notes] {name}: {word!r} must be non-empty, NFKC, without white space "
                                     "or a clause mark")
        return self

    def clauses(self, text: str) -> list[str]:
        return re.split(rf"[\s{re.escape(self.clause_marks)}]+", text)

    def _clause_says(self, text: str, words: tuple[str, ...], negations_before: tuple[str, ...] = (), *,
                     negations: tuple[str, ...] = (), subject: str = "", only_before: str = "",
                     not_after: str = "", named_earlier: tuple[str, ...] = ()) -> bool:
        """Whether a clause of `text` says one of `words`: the clause begins with `subject`, holds one of
        the words and none of `negations`; between the subject and the first of the words it holds none
        of `negations_before`, and only what `only_before` (a pattern) matches where that is given; no
        word of it is followed by what `not_after` matches (迁出1人: a member). With `named_earlier`, the
        clauses after one holding one of those are not read: they go on about that person (儿子李强,
        2019年去世 is the son's death)."""
        for clause in self.clauses(text):
            at = [clause.find(w) for w in words if w in clause] if clause.startswith(subject) else []
            if at and not any(n in clause for n in negations) \
                    and not any(n in clause[len(subject):min(at)] for n in negations_before) \
                    and (not only_before or re.fullmatch(only_before, clause[len(subject):min(at)])) \
                    and not (not_after and re.search(rf"(?:{self.mention(words)}){not_after}", clause)):
                return True
            if any(o in clause for o in named_earlier):
                return False
        return False

    def dead(self, text: str, subject: str = "") -> bool:
        """Whether a clause of `text` says a death of its own subject: it begins with `subject` (the
        head's 户主; '' for a member's own note), names no one else before its death word (户主母亲已故
        is the mother's, 配偶已于2020年去世 the spouse's), and holds none of dead_negations."""
        return self._clause_says(text, self.deceased, self.others, negations=self.dead_negations, subject=subject)

    def head_dead(self, text: str) -> bool:
        """Whether a clause of a household's 备注 says its head died: one beginning with `head` or one of
        `self_words` (本人已故) as dead() reads it, or one naming no one, where only a date and
        `unnamed_before` stand before its death word (死亡销户, 已死亡, 2019.8去世; not 牛羊死亡) and no
        clause before it names someone of `others` (妻子王芳,已故 is the wife's)."""
        if any(self.dead(text, subject) for subject in (self.head, *self.self_words) if subject):
            return True
        unnamed = "|".join(map(re.escape, sorted(self.unnamed_before, key=len, reverse=True))) or "(?!)"
        return self._clause_says(text, self.deceased, negations=self.dead_negations,
                                 only_before=rf"(?:[0-9./-]|{unnamed})*", named_earlier=self.others)

    def household_left(self, text: str) -> bool:
        """Whether a clause of a household's 备注 says the whole household left or was taken off the list:
        it holds one of `left`; before the first of them none of `left_negations_before` (未迁出, 拟迁出;
        低保已注销, 身份证号重复, 原表作废: something else) nor of `others` (子女迁出: someone else); after
        none a count of `left_counted` (迁出1人, 删除2口: members); no clause before it names someone of
        `others` (儿子李强,已迁出); and the note holds none of `left_negations` (2018年迁出,2019年已迁回)."""
        if any(n in text for n in self.left_negations):
            return False
        counted = "|".join(map(re.escape, self.left_counted))
        count = rf"了?[{re.escape(self.count_characters)}]+(?:{counted})" if counted and self.count_characters else ""
        return self._clause_says(text, self.left, (*self.left_negations_before, *self.others), not_after=count,
                                 named_earlier=self.others)

    def row_corrected(self, text: str) -> bool:
        """Whether a clause of a row's 备注 says its figures were corrected: it holds one of `corrected`
        and before the first of them none of `corrected_negations_before` (未更正, 需修改: still to be)."""
        return self._clause_says(text, self.corrected, self.corrected_negations_before)

    def mention(self, words: tuple[str, ...]) -> str:
        """A pattern finding any of `words`: the texts worth a closer look (says)."""
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    def says(self, text: str, words: tuple[str, ...]) -> bool:
        """Whether a clause of `text` holds one of `words`, none of `negations` and none of
        `negations_before` before the first of the words, and the clause after it does not end it (one
        of `ended` without any of the words: 老伴去年享受低保,今年取消)."""
        clauses = self.clauses(text)
        for k, clause in enumerate(clauses):
            if self._clause_says(clause, words, self.negations_before, negations=self.negations):
                after = clauses[k + 1] if k + 1 < len(clauses) else ""
                if not (any(e in after for e in self.ended) and not any(w in after for w in words)):
                    return True
        return False


class PlaceKind(StrictModel):
    """How a village or a township is called (fields.toml [places]): the words its name ends with
    (村; 镇, 乡), and the words of its body written after the name (村委会; 人民政府)."""

    ends: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words(self) -> PlaceKind:
        if any(not w or normalise_header(w) != w for w in (*self.ends, *self.bodies)):
            raise ValueError("[places] words must be non-empty and written as matched (NFKC, no white space)")
        return self


class PlaceWords(StrictModel):
    village: PlaceKind = PlaceKind()
    township: PlaceKind = PlaceKind()
    county: PlaceKind = PlaceKind()  # only its ends: a county named before a township is no township
    # Urban places a department's roster may name (社区 with its 居委会, 街道 with its 办事处): never read as
    # a village or a township, but left off with the others where places are compared (rosters).
    community: PlaceKind = PlaceKind()
    subdistrict: PlaceKind = PlaceKind()
    # A sheet without a place column names its place in a 填报单位 line (unit_labels), its title, its
    # name or its file's: form_words are taken out of those first (read._taken_places).
    unit_labels: tuple[str, ...] = ()
    form_words: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words(self) -> PlaceWords:
        if any(not w or normalise_header(w) != w for w in (*self.unit_labels, *self.form_words)):
            raise ValueError("[places] words must be non-empty and written as matched (NFKC, no white space)")
        return self

    def kind_pattern(self) -> str:
        """What a place is called after its name, at its end, as a pattern (前岗村, 前岗村村民委员会, 城关
        街道办事处): a body after its kind's end or alone, or an end, of every kind but the county's."""
        kinds = (self.village, self.township, self.community, self.subdistrict)

        def either(words) -> str:
            return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))
        bodies = [f"(?:(?:{either(k.ends)})?(?:{either(k.bodies)}))" for k in kinds if k.bodies and k.ends]
        bodies += [f"(?:{either(k.bodies)})" for k in kinds if k.bodies and not k.ends]
        ends = [either(k.ends) for k in kinds if k.ends]
        return f"(?:{'|'.join(bodies + ends)})$" if bodies or ends else "(?!)"


class FieldCatalogue(StrictModel):
    field: tuple[FieldSpec, ...]
    groups: dict[str, str]
    flags: FlagWords
    rows: RowWords
    money: MoneyWords = MoneyWords()
    phone: PhoneWords = PhoneWords()
    notes: NoteWords = NoteWords()
    headers: HeaderWords = HeaderWords()
    places: PlaceWords = PlaceWords()
    # A rule file's key as another word for one a rule file knows (wubao: 五保 is 特困, tekun): the key
    # `rules check` suggests for it, before the nearest spelling (rule_files.check_rules_file).
    rule_keys: dict[str, str] = {}

    @model_validator(mode="after")
    def _unique(self) -> FieldCatalogue:
        for word, key in self.rule_keys.items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", word) or not re.fullmatch(r"[a-z][a-z0-9_]*", key) or word == key:
                raise ValueError(f"[rule_keys] {word} = {key!r}: both must be a rule file's key (a-z, 0-9, _), "
                                 "and differ")
        names = [f.name for f in self.field]
        if len(set(names)) != len(names):
            raise ValueError("a field name is declared twice")
        seen: dict[str, str] = {}
        for f in self.field:
            for alias in f.header_names:
                key = normalise_header(alias)
                if seen.setdefault(key, f.name) != f.name:
                    raise ValueError(f"header {alias!r} is an alias of both {seen[key]} and {f.name}")
        # [headers.sum_words]: each key a field of the sum (total_income, production_expenses, a component), or none.
        wrong = sorted(set(self.headers.sum_words) - set(names) - {"none"})
        if wrong:
            raise ValueError(f"[headers.sum_words] {', '.join(wrong)}: not a field")
        for word in self.headers.net_of_costs:
            if normalise_header(word) != word or word in seen:
                raise ValueError(f"[headers] net_of_costs {word!r} must be written as matched and name no field")
        for target in self.groups.values():
            if target not in names:
                raise ValueError(f"group header points at unknown field {target!r}")
        return self

    @property
    def by_name(self) -> dict[str, FieldSpec]:
        return {f.name: f for f in self.field}

    def fields_of_kind(self, *kinds: str) -> list[str]:
        return [f.name for f in self.field if f.kind in kinds]


# What a screen finds, as the outputs name it ({target} in the catalogue's words): 贫困边缘户 by
# default ([labels] target), a rule set's own words where it gives them (防返贫监测对象: rules.Target).
# Reserved: it is filled before a message's own parameters, so no message takes one named target.
TARGET = "{target}"
# Per thread (and per context): two screens under two rule sets in threads of one process each word
# their own outputs.
_target: ContextVar[dict[str, str] | None] = ContextVar("edgescreen_target", default=None)


def use_target(words: dict[str, str] | None) -> None:
    """Name the screen's target in every word from now on with `words` ({lang: text}); None: the
    catalogue's own (贫困边缘户). A run's outputs are written under the rule set they were decided by
    (outputs.write), and the helper process is told with every share of tasks (runtime.py)."""
    _target.set(dict(words) if words else None)


@contextmanager
def target_of(words: dict[str, str] | None) -> Iterator[None]:
    """The target named with `words` inside the block, as it was after: what is written or explained
    of an earlier result (a notebook's) under its own rule set's words, whatever was screened since."""
    token = _target.set(dict(words) if words else None)
    try:
        yield
    finally:
        _target.reset(token)


def target_in_use() -> dict[str, str] | None:
    """The words use_target was last given (None: the catalogue's own)."""
    words = _target.get()
    return dict(words) if words else None


def target_words(lang: Lang) -> str:
    """The target as the outputs name it now, in `lang`."""
    words = _target.get()
    if words and words.get(lang):
        return words[lang]
    return messages().labels["target"](lang)


def status_codes(lang: Lang, seen: Iterable[str] = ()) -> dict[str, str]:
    """Each status as the outputs word it in `lang` → its code: under the target in use and under
    the catalogue's own; and each of the words `seen` that is a status under another rule set's
    target (防返贫监测对象候选 in a ledger written under monitoring, read by a later command)."""
    labels = messages().labels
    own = labels["target"](lang)
    words, templates = {}, []
    for status in STATUSES:
        text = labels[status].template(lang)
        words[text.replace(TARGET, own)] = status
        if TARGET in text:
            templates.append((re.compile("^" + re.escape(text).replace(re.escape(TARGET), ".+") + "$"), status))
    words.update({label(status, lang): status for status in STATUSES})
    for word in seen:
        if isinstance(word, str) and word not in words:
            found = next((status for pattern, status in templates if pattern.match(word)), None)
            if found is not None:
                words[word] = found
    return words


class Text(StrictModel):
    zh: str
    en: str

    def template(self, lang: Lang) -> str:
        """The words as the catalogue holds them, {target} unfilled."""
        return self.zh if lang == "zh" else self.en

    def __call__(self, lang: Lang) -> str:
        text = self.template(lang)
        return text.replace(TARGET, target_words(lang)) if TARGET in text else text


class CheckSpec(StrictModel):
    category: Category
    severity: Severity
    severity_by_kind: dict[Kind, Severity] = Field(default_factory=dict)
    # A check that runs only when a run has members (家庭成员) or rosters (信息比对): the reports of a
    # run without them do not list it.
    needs: Literal["members", "rosters"] | None = None
    zh: str
    en: str

    def template(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class MessageCatalogue(StrictModel):
    checks: dict[str, CheckSpec]
    hints: dict[str, Text]
    labels: dict[str, Text]
    errors: dict[str, Text]  # what EdgescreenError(key, …) says, by key
    form_hints: dict[str, Text]  # the blank form's input hint per field

    @model_validator(mode="after")
    def _hint_per_field(self) -> MessageCatalogue:
        names = {f.name for f in fields().field}
        if set(self.form_hints) != names:
            raise ValueError(f"form_hints must name every field once: missing {sorted(names - set(self.form_hints))}, "
                             f"unknown {sorted(set(self.form_hints) - names)}")
        return self


_SPACE = re.compile(r"\s+")
_TRAILING_UNIT = re.compile(r"\((?:元|人|户|万元|人民币元|岁|个|口)\)$")
_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def normalise_header(text: object) -> str:
    """A header as matched: NFKC (full-width brackets and digits to ASCII), no white space at all."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text)))


@cache
def _decorations() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    """(leading, trailing, one leading, one undated leading): fields.toml [headers] as patterns, the
    first two taking their marks off repeatedly (*1.其中:工资性收入 → 工资性收入), the third one mark
    before the name, the fourth one that makes no other column of it (a question's number, a mark: not
    2018年 or 其中, fields.toml [headers] apart)."""
    words = fields().headers
    marks = f"[{re.escape(words.marks)}]" if words.marks else None
    undated = [*([marks] if marks else []), *words.leading]
    leading = [*undated, *words.apart]
    trailing = [*([marks] if marks else []), *words.trailing]
    never = re.compile("(?!)")
    return (re.compile(f"^(?:{'|'.join(leading)})+") if leading else never,
            re.compile(f"(?:{'|'.join(trailing)})+$") if trailing else never,
            re.compile(f"^(?:{'|'.join(leading)})") if leading else never,
            re.compile(f"^(?:{'|'.join(undated)})") if undated else never)


# What ends a question as an online form titles a column with it (户主姓名：, 是否低保户？), after NFKC.
_QUESTION_END = re.compile(r"[:?]+$")


def plain_header_keys(text: object) -> list[str]:
    """The keys a header is tried under as typed: as is, without a unit, without any bracket."""
    key = normalise_header(text)
    keys = [key]
    for pattern in (_TRAILING_UNIT, _TRAILING_BRACKET):
        shorter = pattern.sub("", key)
        if shorter and shorter not in keys:
            keys.append(shorter)
    return keys


def header_keys(text: object) -> list[str]:
    """The keys a header is tried under, most exact first: plain_header_keys of the header, of it
    without a question's colon or question mark at the end (3. 户主姓名：) and of it with the marks
    before its name taken off one by one (19. 年龄 is 年龄 before 龄); then of each, the same without
    everything written around the name at once (fields.toml [headers]). Taken off all at once only,
    a name beginning as a year does or ending as a unit does was never tried whole behind a question's
    number (19. 是否建档立卡贫困户 was 是否建档立卡贫困, and a registered-poor household a candidate)."""
    starts = _starts(text, _decorations()[2])
    plain = [k for s in starts for k in plain_header_keys(s)]
    return list(dict.fromkeys([*plain, *(k for s in starts for k in _undecorated_keys(s))]))


def undated_header_keys(text: object) -> list[str]:
    """plain_header_keys of the header, of it without a question's colon or question mark at the end
    and without the marks before its name that make no other column of it (15. 是否特困人员, *户主姓名;
    not 2018年 or 其中: [headers] apart): a name so
    written is as plain as typed. Two such columns of one field are two columns for it (是否特困人员
    and 是否五保户 read together), not a year's columns told apart by their marks (2018年, 2019年)."""
    return list(dict.fromkeys(k for s in _starts(text, _decorations()[3]) for k in plain_header_keys(s)))


def _starts(text: object, one_mark: re.Pattern) -> list[str]:
    """A header normalised, without its question's end, and each with `one_mark`s taken off one by one."""
    starts = [normalise_header(text)]
    starts.append(_QUESTION_END.sub("", starts[0]))
    for start in starts[:2]:
        while (mark := one_mark.match(start)) and mark.end():
            start = start[mark.end():]
            starts.append(start)
    return [s for s in dict.fromkeys(starts) if s]


def _undecorated_keys(key: str) -> list[str]:
    """A normalised header's keys without what is written around its name (fields.toml [headers]),
    as is, without a unit and without a bracket."""
    leading, trailing, _, _ = _decorations()
    bare = trailing.sub("", leading.sub("", key))
    keys: list[str] = []
    for start in ((key, bare) if bare and bare != key else (key,)):
        for pattern in (None, _TRAILING_UNIT, _TRAILING_BRACKET):
            shorter = pattern.sub("", start) if pattern is not None else start
            for candidate in (shorter, trailing.sub("", shorter)):
                if candidate and candidate not in keys:
                    keys.append(candidate)
    return keys


def data_toml(name: str) -> dict:
    """A file of edgescreen/data as TOML: what a catalogue's model then validates."""
    with resources.files("edgescreen.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


@cache
def fields() -> FieldCatalogue:
    return FieldCatalogue.model_validate(data_toml("fields.toml"))


@cache
def messages() -> MessageCatalogue:
    """The message catalogue: every word a person reads, zh and en (data/messages/*.toml)."""
    return MessageCatalogue.model_validate(message_tables())


def label(key: str, lang: Lang, /, **params) -> str:
    """A label of the message catalogue in `lang`, its {placeholders} filled from `params`."""
    text = messages().labels[key](lang)
    return text.format(**params) if params else text


class Phrase:
    """Words of the catalogue ([labels]) that stand inside another message: rendered in the language
    of the message they are part of, when it is shown (`Phrase("os_no_space")`)."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params):
        self.key, self.params = key, params

    def render(self, lang: Lang) -> str:
        return label(self.key, lang, **_rendered(self.params, lang))

    def __repr__(self) -> str:
        return f"Phrase({self.key!r}, {self.params!r})"


class Lines(list):
    """Parts of a message that stand one per line (a rules file's problems)."""


def _rendered(params: dict, lang: Lang) -> dict:
    """Phrases rendered in `lang`; Lines one per line; another list joined with the language's
    separator (、 or , )."""
    def one(v):
        if isinstance(v, Phrase) or hasattr(v, "render"):  # a Phrase, or an error inside a message
            return v.render(lang)
        if isinstance(v, Lines):
            return "\n".join(str(one(x)) for x in v)
        if isinstance(v, (list, tuple)):
            return label("list_sep", lang).join(str(one(x)) for x in v)
        return v
    return {k: one(v) for k, v in params.items()}


def error_message(key: str, lang: Lang, /, **params) -> str:
    """An error's message in `lang` from the catalogue's [errors], its {placeholders} filled (a
    Phrase among them in the same language)."""
    return messages().errors[key](lang).format(**_rendered(params, lang))


@cache
def alias_index() -> dict[str, str]:
    """Normalised header text → field name."""
    return {normalise_header(alias): f.name for f in fields().field for alias in f.header_names}


# ---------------------------------------------------------------------------------------------
# Members (家庭成员) and rosters (信息比对): data/members.toml and data/rosters.toml


class MemberField(FieldSpec):
    read: bool = True  # false: the header is known, its cells are not read (no check uses them)


class MemberValues(StrictModel):
    disabled: tuple[str, ...]
    disability_difficulty: tuple[str, ...]
    study_difficulty: tuple[str, ...]
    not_student: tuple[str, ...]
    # A 劳动技能 that says the member can work (tekun_with_labour).
    able_labour: tuple[str, ...] = ()
    # Words of a disability's kind or grade in a 是否残疾 cell that is not a plain yes or no (是(肢体二级)).
    disability_marks: tuple[str, ...] = ()


class MemberStatus(StrictModel):
    # 人员状态 words (NFKC, no white space, a note in brackets after the word tried without it): `left`
    # says the person left the 户 (迁出, 死亡, 注销), `present` that they are in it (正常). Any other word
    # keeps the person a member, said (member_status_unknown).
    left: tuple[str, ...] = ()
    present: tuple[str, ...] = ()


class MemberCatalogue(StrictModel):
    field: tuple[MemberField, ...]
    relations: dict[str, tuple[str, ...]]
    values: MemberValues
    # 与户主关系 as the national code (GB/T 4761 家庭关系代码, as 公安 exports it: 02 户主, 10 配偶 …), by
    # group: two digits each, a group of `relations`.
    relation_codes: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    status: MemberStatus = Field(default_factory=MemberStatus)
    # Members typed in columns of the household's row (成员1姓名, 家庭成员2身份证号): a header that
    # begins with one of these, then a number. Not read; said once per sheet (the terminal).
    in_columns: tuple[str, ...] = ()

    def in_columns_pattern(self) -> re.Pattern | None:
        """A header of a member typed in the household's row (in_columns), as normalise_header gives it."""
        if not self.in_columns:
            return None
        words = "|".join(sorted((re.escape(normalise_header(w)) for w in self.in_columns), key=len, reverse=True))
        return re.compile(f"^(?:{words})[0-9一二三四五六七八九十]+")

    @model_validator(mode="after")
    def _unique(self) -> MemberCatalogue:
        names = [f.name for f in self.field]
        if len(set(names)) != len(names):
            raise ValueError("a member field is declared twice")
        seen: dict[str, str] = {}
        for f in self.field:
            for alias in f.header_names:
                if seen.setdefault(normalise_header(alias), f.name) != f.name:
                    raise ValueError(f"member header {alias!r} is an alias of two fields")
        words: dict[str, str] = {}
        for group, listed in self.relations.items():
            for word in listed:
                if words.setdefault(normalise_header(word), group) != group:
                    raise ValueError(f"relation {word!r} is in two groups")
        if "head" not in self.relations:
            raise ValueError("the relations need a head group")
        codes: dict[str, str] = {}
        for group, listed in self.relation_codes.items():
            if group not in self.relations:
                raise ValueError(f"relation code group {group!r} is no group of the relations")
            for code in listed:
                if not re.fullmatch(r"[0-9]{2}", code):
                    raise ValueError(f"relation code {code!r} is not two digits")
                if codes.setdefault(code, group) != group:
                    raise ValueError(f"relation code {code!r} is in two groups")
        left = {normalise_header(w) for w in self.status.left}
        present = {normalise_header(w) for w in self.status.present}
        if "" in left | present:
            raise ValueError("the member status words hold a blank word")
        if left & present:
            raise ValueError(f"member status words both left and present: {sorted(left & present)}")
        if any(not normalise_header(w) for w in self.in_columns):
            raise ValueError("in_columns holds a blank word")
        return self

    @property
    def by_name(self) -> dict[str, MemberField]:
        return {f.name: f for f in self.field}

    def relation_index(self) -> dict[str, str]:
        """Normalised relation word, or its code (relation_codes), → its group."""
        index = {normalise_header(w): group for group, listed in self.relations.items() for w in listed}
        index.update({code: group for group, listed in self.relation_codes.items() for code in listed})
        return index


class RosterColumn(StrictModel):
    header: str
    aliases: tuple[str, ...] = ()
    # Names that say the column only where no column says it more plainly (FieldSpec.loose).
    loose: tuple[str, ...] = ()
    kind: Literal["text", "id"]
    required: bool = False
    # Read as that column where a roster has none of its own, else not read (rosters.toml head_id).
    fallback_for: str | None = None
    # Header words of a column not read that may be this one under a name not known (状态, 标志): looked
    # at for what this column's words are (the state's: a kind's left words, 停发).
    like: tuple[str, ...] = ()
    # Words of a remark that say a stop was undone (停发后恢复): the note column's, not read as a stop.
    resumed: tuple[str, ...] = ()


class RosterAnswers(StrictModel):
    """The words a department answers with in a column of a list it returns (rosters.toml [answers]:
    the 比对结果 of edgescreen's 信息比对申请名单): a row is on its roster only where the cell says yes."""

    column: str
    yes: tuple[str, ...]
    no: tuple[str, ...]
    # The list's own 备注 column (a remark beside a yes; the answers typed there instead).
    note: str | None = None
    # Letters a symbol font shows as a tick or a cross (Wingdings 2's P is ✓): key → tick, cross or symbol.
    symbols: dict[str, Literal["tick", "cross", "symbol"]] = {}
    # Header words of a column that may hold answers under a name not known (是否低保对象, 核实情况).
    asking: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words(self) -> RosterAnswers:
        if not self.yes or not self.no:
            raise ValueError("roster answers: both yes and no words are needed")
        if any(not answer_key(word) for word in (*self.yes, *self.no)):
            raise ValueError("roster answers: a blank yes or no word")
        both = {answer_key(w) for w in self.yes} & {answer_key(w) for w in self.no}
        if both:
            raise ValueError(f"roster answers: {sorted(both)} both yes and no")
        return self

    def keys(self, words: tuple[str, ...]) -> frozenset[str]:
        return frozenset(map(answer_key, words))


def answer_key(word: str) -> str:
    """A yes/no answer as compared: NFKC-folded, without white space, case-folded (Y is y)."""
    return "".join(unicodedata.normalize("NFKC", str(word)).split()).casefold()


class RosterKind(StrictModel):
    code: str = Field(pattern=r"^[a-z_]+$")
    aliases: tuple[str, ...] = ()
    exclusion: Literal["dibao", "tekun", "registered_poor"] | None = None
    supports: tuple[str, ...] = ()
    date: RosterColumn | None = None
    # Words in a sheet's name or a row's state that say its people have left the roster (已停保): not
    # matched. Not after 未, 没, 不 or 非 (未停保 says the case goes on).
    left: tuple[str, ...] = ()
    # The day a case stopped (停保日期): a row stopped on or before the screen's day is not matched.
    until: RosterColumn | None = None
    # The case's period (在保起止日期 2019-01-01至2019-12-31): its end is often the yearly review, not a
    # stop, so a period ended is said, never taken for one.
    period: RosterColumn | None = None
    # The kind's column of why a person is on it (公安's 户籍注销 export: 注销原因, 死亡 beside 迁出 and 参军)
    # and the words it must hold, where given, for the row to be matched: a row whose reason holds
    # none is not matched.
    reason: RosterColumn | None = None
    only: tuple[str, ...] = ()
    # Words of that column, of the plate's kind or of the state that make a row no case of the kind
    # (车辆类型 拖拉机: farm machinery is no car, after-screening §1; 机动车状态 报废): not matched, and said.
    # Not after 未, 没, 不, 非 or 无 (非农用车).
    exempt: tuple[str, ...] = ()
    # Per one of those columns, a department's codes as a cell holds them alone (车管所's N11, 13, E), each
    # read as the word it stands for (三轮汽车): a word holding one of `exempt`, so a code is only ever
    # another way to write an exempt word.
    codes: dict[Literal["reason", "plate", "state"], dict[str, str]] = Field(default_factory=dict)
    # The kind's column of an amount (医保's 个人自付金额) and the least that makes a row a case of it
    # (大额自付: after-screening §1, monitoring systems push 5,000 yuan and more): a row whose amount reads
    # below it is not matched, and said; one that does not read is matched.
    amount: RosterColumn | None = None
    at_least: Decimal | None = None
    # A second person each row lists who is on the roster too (the cadre beside the relative): the
    # columns of that person's ID (also_id) and name (also_name).
    also: dict[Literal["also_id", "also_name"], RosterColumn] = Field(default_factory=dict)
    # Its exports give a household's incomes part by part (建档立卡: 工资性收入, 生产经营性收入 …): such
    # columns do not make it a survey given by mistake (rosters._refuse_a_survey).
    incomes: bool = False

    @model_validator(mode="after")
    def _left_words(self) -> RosterKind:
        for what, words in (("left", self.left), ("only", self.only), ("exempt", self.exempt)):
            if any(not word.strip() for word in words):
                raise ValueError(f"roster {self.code}: a blank word in {what}")
        if bool(self.only or self.exempt) != (self.reason is not None):
            raise ValueError(f"roster {self.code}: a reason column and its `only` or `exempt` words go together")
        if (self.amount is None) != (self.at_least is None) or (self.at_least is not None and self.at_least <= 0):
            raise ValueError(f"roster {self.code}: an amount column and its positive `at_least` go together")
        for column, codes in self.codes.items():
            for code, word in codes.items():
                if not code_key(code) or code_key(code) != code:
                    raise ValueError(f"roster {self.code}: codes.{column}: {code!r} is blank or not written as "
                                     "compared (NFKC, trimmed, upper case)")
                if not any(e in word for e in self.exempt):
                    raise ValueError(f"roster {self.code}: codes.{column}.{code} = {word!r} holds no `exempt` word")
        return self


def code_key(code: str) -> str:
    """A department's code as compared: NFKC-folded, trimmed, upper case (n11 and Ｎ11 are N11)."""
    return unicodedata.normalize("NFKC", str(code)).strip().upper()


class RosterCatalogue(StrictModel):
    columns: dict[str, RosterColumn]
    kind: tuple[RosterKind, ...]
    answers: RosterAnswers | None = None

    @model_validator(mode="after")
    def _unique(self) -> RosterCatalogue:
        if "id" not in self.columns:
            raise ValueError("a roster needs its id column")
        if self.answers is not None and self.answers.column not in self.columns:
            raise ValueError(f"roster answers: column {self.answers.column!r} is no column")
        if self.answers is not None and self.answers.note is not None and self.answers.note not in self.columns:
            raise ValueError(f"roster answers: note column {self.answers.note!r} is no column")
        for name, column in self.columns.items():
            if column.fallback_for is not None and column.fallback_for not in self.columns:
                raise ValueError(f"roster column {name}: fallback_for {column.fallback_for!r} is no column")
        # A header names one column: of the columns every roster has, or a kind's date column.
        common: dict[str, str] = {}
        for name, column in self.columns.items():
            for word in (column.header, *column.aliases, *column.loose):
                if common.setdefault(normalise_header(word), name) != name:
                    raise ValueError(f"roster header {word!r} names two columns")
        for k in self.kind:
            own = [c for c in (k.date, k.reason, k.until, k.period, *k.also.values()) if c is not None]
            for column in own:
                for word in (column.header, *column.aliases, *column.loose):
                    if normalise_header(word) in common:
                        raise ValueError(f"roster {k.code}: header {word!r} names another column")
        seen: dict[str, str] = {}
        for k in self.kind:
            for word in (k.code, *k.aliases):
                if seen.setdefault(normalise_header(word).lower(), k.code) != k.code:
                    raise ValueError(f"roster kind {word!r} names two kinds")
        return self

    @property
    def by_code(self) -> dict[str, RosterKind]:
        return {k.code: k for k in self.kind}

    def kind_of(self, word: str) -> str | None:
        """The kind a command line names (its code or an alias, as typed), or None."""
        key = normalise_header(word).lower()
        return next((k.code for k in self.kind for w in (k.code, *k.aliases) if normalise_header(w).lower() == key),
                    None)


@cache
def members_catalogue() -> MemberCatalogue:
    return MemberCatalogue.model_validate(data_toml("members.toml"))


@cache
def rosters_catalogue() -> RosterCatalogue:
    return RosterCatalogue.model_validate(data_toml("rosters.toml"))
