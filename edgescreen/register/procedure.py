"""The procedure after the screen, as data: data/procedure.toml loaded and validated strictly.

Three tracks: the entry (seven steps in order, for the candidates of a round), the exit (three
steps, for households of the register that a later round proposes to leave) and the verification
of the households of the register a later round's survey did not find (未调查户核实: one visit,
which finds the household gone, 户已不存在, and off the register, or still there, awaiting a
survey). Each step has its scope (a document per village, per township or for the county), its
kind (a decision per household; a publicity with objections; the announcement), the columns its
document prints, what the clerk fills in (the decision and its reason, per-row fields such as the
verifier, form fields such as the meeting's time and place), and the words a decision may be written
with. Every printed word is a label of the message catalogue (data/messages/register.toml)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import cache, cached_property
from typing import Literal

import pandas as pd
from pydantic import Field, model_validator

from ..catalogue import Lang, StrictModel, Text, data_toml, messages, normalise_header

Scope = Literal["village", "township", "county"]
Track = Literal["entry", "exit", "gone"]
TRACKS: tuple[Track, ...] = ("entry", "exit", "gone")
Kind = Literal["decision", "publicity", "announcement"]
FieldKind = Literal["date", "text", "count", "long_text"]

# Columns that identify a household's row on a document: the row hash is made of these cells as
# printed, so editing any of them is seen.
IDENTITY_COLUMNS = ("seq", "township", "village", "group", "head_name", "masked_id")
# The step of a 帮扶措施 form (register measures): a document with an identity, outside the tracks.
MEASURES_STEP = "measures"


class FormField(StrictModel):
    """A value the clerk writes: its label key (the printed label) and what it holds."""

    key: str
    kind: FieldKind
    required: bool = True
    # Added to a form later: one printed before, without its label, is recorded without it (said).
    older_forms_lack: bool = False
    # The name of who acted at the step (主持人, 审核人): shown in each of its households' history.
    who_acted: bool = False


class Decision(StrictModel):
    """A step's decision column: its header, the reason column after it, and the two words. The
    negative word needs a reason; where the reason column is the negative's alone (`reason_for_no`:
    不属实情况说明), a reason beside the positive word contradicts it."""

    column: str
    reason: str
    yes: Text
    no: Text
    reason_for_no: bool = False
    # Other words a clerk writes for either, that can mean nothing else on this form (同意 or √ on a
    # review form for 通过, 已不存在 for 户已不存在): read as it, written back as the word itself. A
    # word that could be read either way (否 on a form asking 属实?, a bare x) is in neither list.
    yes_also: tuple[str, ...] = ()
    no_also: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _words_apart(self) -> Decision:
        yes = [folded_words(w) for w in (self.yes.zh, self.yes.en, *self.yes_also)]
        no = [folded_words(w) for w in (self.no.zh, self.no.en, *self.no_also)]
        both = set(yes) & set(no)
        if "" in yes + no or both:
            raise ValueError(f"decision {self.column}: a word is blank, or both yes and no: {sorted(both)}")
        twice = sorted(w for w, n in Counter(yes + no).items() if n > 1)
        if twice:
            raise ValueError(f"decision {self.column}: a word is given twice: {twice}")
        return self

    @cached_property
    def _words(self) -> dict[str, str]:
        """Every word of either value, folded as a typed cell is (folded_words: 同意。 is 同意)."""
        words = {folded_words(w): "no" for w in (self.no.zh, self.no.en, *self.no_also)}
        words.update({folded_words(w): "yes" for w in (self.yes.zh, self.yes.en, *self.yes_also)})
        return words

    def word(self, value: str, lang: Lang) -> str:
        return (self.yes if value == "yes" else self.no)(lang)

    def value_of(self, typed: str) -> str | None:
        """'yes', 'no', or None for a word that is neither (either language, or one of its other
        words; spaces, width, case and the punctuation closing it folded)."""
        return self._words.get(folded_words(typed))


class Step(StrictModel):
    id: str
    scope: Scope
    kind: Kind
    posted: bool
    landscape: bool
    folder: str
    title: str
    lines: tuple[str, ...] = ()
    columns: tuple[str, ...]
    signatures: tuple[str, ...] = ()
    issuer: str | None = None
    days: int | None = Field(default=None, ge=1, le=60)
    form_sheet: str | None = None
    form_title: str | None = None
    form_fields: tuple[FormField, ...] = ()
    row_fields: tuple[FormField, ...] = ()
    date_from: str | None = None
    decision: Decision | None = None
    objections: bool = False
    # A meeting's quorum [numerator, denominator]: 实到 below this share of 应到 held no meeting
    # (村民委员会组织法 第二十六条: a 村民代表会议 needs two thirds of its members present).
    quorum: tuple[int, int] | None = None

    @property
    def identity(self) -> tuple[str, ...]:
        """The printed columns that identify a row, in print order."""
        return tuple(c for c in self.columns if c in IDENTITY_COLUMNS)

    @property
    def has_period(self) -> bool:
        return self.kind in ("publicity", "announcement")

    @property
    def dated_by_village(self) -> bool:
        """Whether its decisions take effect on one date for the village (the meeting, a review, a
        publicity's last day), not each on its row's date (a visit)."""
        return self.date_from not in {f.key for f in self.row_fields}

    @model_validator(mode="after")
    def _consistent(self) -> Step:
        if self.kind == "decision" and self.decision is None:
            raise ValueError(f"step {self.id}: a decision step needs its decision")
        if self.has_period and self.days is None:
            raise ValueError(f"step {self.id}: a publicity needs its days")
        if "seq" not in self.columns or "head_name" not in self.columns:
            raise ValueError(f"step {self.id}: a document lists 序号 and 户主姓名")
        if self.posted and "suspect" in self.columns:  # issue 14: a roster match is never posted
            raise ValueError(f"step {self.id}: a posted document cannot show the rosters' 疑点")
        named = {f.key for f in (*self.form_fields, *self.row_fields)}
        if self.quorum is not None and (not 0 < self.quorum[0] <= self.quorum[1]
                                        or not {"meeting_expected", "meeting_present"} <= named):
            raise ValueError(f"step {self.id}: a quorum is a share (0, 1] of a meeting's 应到人数 and 实到人数")
        if self.kind == "decision" and self.date_from not in named:
            raise ValueError(f"step {self.id}: date_from names none of its fields")
        labels = messages().labels
        for key in (self.folder, self.title, *self.lines, *self.columns, *self.signatures, *named,
                    *(k for k in (self.issuer, self.form_sheet, self.form_title) if k),
                    *((self.decision.column, self.decision.reason) if self.decision else ())):
            if key not in labels:
                raise ValueError(f"step {self.id}: no label {key!r} in the message catalogue")
        return self


# What wraps or ends a word a clerk writes in a cell (无。 (无)): not part of it.
_PUNCTUATION = "。.,,;;::!!??、\"'“”‘’()()"


def folded_words(text: str) -> str:
    """A cell's words as compared with the procedure's word lists: NFKC, no white space, case folded,
    without the punctuation that ends or wraps them (无。 (无))."""
    return "".join(unicodedata.normalize("NFKC", text).split()).casefold().strip(_PUNCTUATION)


# What a returned form's head is matched to the list (or the register) by, beside white space: the
# separator of a minority name typed as another mark or left out. 瓜尔佳•文瑞 (U+2022), 瓜尔佳‧文瑞 (U+2027),
# 瓜尔佳・文瑞 (U+30FB), 瓜尔佳.文瑞, 瓜尔佳。文瑞, 瓜尔佳-文瑞 and 瓜尔佳文瑞 are the listed 瓜尔佳·文瑞: refused as
# not on the list, the way out offered (名单外) recorded a 漏评 and left the household the objection was
# about as it was. NFKC (cell_text) made the full-width ones (．－･) plain first.
HEAD_MARKS = "[\\s\u00b7\u2022\u2027\u2219\u22c5\u2e31\u30fb\ua78f.\u3002\\-\u2010-\u2015\u2212]"


def head_keys(names: pd.Series) -> pd.Series:
    """head_key of a column of names (the list's, the register's)."""
    return names.astype("string").fillna("").str.normalize("NFKC").str.replace(HEAD_MARKS, "", regex=True)


class Procedure(StrictModel):
    overdue_days: int = Field(ge=1)
    overdue_after_period_days: int = Field(ge=0)
    reason_markers: tuple[str, ...]
    objection: Decision  # yes: 成立 (upheld, the household leaves), no: 不成立
    withdrawn: tuple[str, ...]  # 撤回: an objection taken back, compared folded (folded_words)
    # What a clerk writes to say there is nothing to say (a reason, an objection: 无, N/A), and that a
    # publicity raised no objection (公示期间无异议): compared folded (folded_words).
    say_nothing: tuple[str, ...]
    no_objection: tuple[str, ...]
    # An objection about a household not on the list (漏评): the 名单序号 cell's words, and the words
    # of such an objection's content (found inside it, folded).
    outside_list: tuple[str, ...]
    omission_words: tuple[str, ...]
    step: tuple[Step, ...]
    exit_step: tuple[Step, ...] = ()
    # 未调查户核实: its decision's no (户已不存在) takes the household off the register on its date.
    gone_step: tuple[Step, ...] = ()
    name: Track = "entry"

    @property
    def all_steps(self) -> tuple[Step, ...]:
        """Every step: the entry's, the exit's, the not-surveyed visit's, in that order."""
        return (*self.step, *self.exit_step, *self.gone_step)

    def step_folders(self) -> dict[str, Step]:
        """Each step's documents folder name (zh and en, case folded: 2-入户核实) → its step."""
        from ..catalogue import label

        return {label(step.folder, lang).casefold(): step for step in self.all_steps for lang in ("zh", "en")}

    @model_validator(mode="after")
    def _unique(self) -> Procedure:
        ids = [s.id for s in self.all_steps]
        if len(set(ids)) != len(ids) or MEASURES_STEP in ids:
            raise ValueError("a step id is given twice")
        for s in self.gone_step:  # each household decided on its own visit's day, and none posted
            if s.kind != "decision" or s.dated_by_village or s.posted:
                raise ValueError(f"gone_step {s.id}: a visit's decision per household, dated on its row")
        for key in ("say_nothing", "no_objection", "outside_list", "omission_words"):
            seen: set[str] = set()
            for word in getattr(self, key):
                folded = folded_words(word)
                if not folded:  # 无 and 无。 fold alike; an empty word would match a blank cell
                    raise ValueError(f"{key}: an empty word ({word!r})")
                if folded in seen:
                    raise ValueError(f"{key}: {word!r} is given twice")
                seen.add(folded)
        return self

    @cached_property
    def words_saying_nothing(self) -> frozenset[str]:
        return frozenset(map(folded_words, self.say_nothing))

    @cached_property
    def words_of_no_objection(self) -> frozenset[str]:
        return frozenset(map(folded_words, self.no_objection))

    @cached_property
    def words_outside_list(self) -> frozenset[str]:
        return frozenset(map(folded_words, self.outside_list))

    @cached_property
    def omission_pattern(self) -> re.Pattern:
        # Not after 不 or 非: 不应当评上 says the opposite, of a household on the list.
        words = "|".join(re.escape(folded_words(w)) for w in sorted(self.omission_words, key=len, reverse=True))
        return re.compile(f"(?<![不非])(?:{words})")

    def tells_omission(self, content: str) -> bool:
        """An objection's content that says a household should have been listed (应当评上, 漏评)."""
        return self.omission_pattern.search(folded_words(content)) is not None

    def track(self, name: Track) -> Procedure:
        """The procedure of one track: its steps in order (every step of both tracks can still be
        looked up by id)."""
        if name == self.name:
            return self
        full = procedure()
        steps = {"entry": full.step, "exit": full.exit_step, "gone": full.gone_step}[name]
        return self.model_copy(update={"step": steps, "name": name})

    def track_of(self, step_id: str) -> Track | None:
        """The track a step belongs to; None for a step of none (a measure form)."""
        full = procedure()
        for name, steps in (("entry", full.step), ("exit", full.exit_step), ("gone", full.gone_step)):
            if step_id in {s.id for s in steps}:
                return name
        return None

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.step

    @property
    def ids(self) -> list[str]:
        return [s.id for s in self.step]

    def __getitem__(self, step_id: str) -> Step:
        full = procedure()
        for s in (*self.step, *self.exit_step, *self.gone_step, *full.step, *full.exit_step, *full.gone_step):
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        return self.ids.index(step_id)

    def previous(self, step_id: str) -> Step | None:
        i = self.index(step_id)
        return self.step[i - 1] if i else None

    def is_reason_header(self, header: str) -> bool:
        key = normalise_header(header).casefold()
        return any(normalise_header(m).casefold() in key for m in self.reason_markers)


def held_by_objections(days: pd.Series, settled: pd.Series, upheld: pd.Series | None = None) -> pd.Series:
    """The rule of an objection's day, in one place: an objection at a publicity settled after the
    period (verifying it takes days) holds its household's outcome and its village's next step until
    the day it was settled; one upheld (`upheld`, aligned) took its household off the list on the day
    it was settled, within the period too. `days`: a step's dates (ISO text); `settled`: the settling
    days, aligned with them (blank: none raised). The dates as held."""
    later = settled.notna() & days.notna() & (settled.astype(object) > days.astype(object))
    if upheld is not None:
        later |= settled.notna() & upheld.fillna(False).astype(bool)
    return days.where(~later, settled)


@cache
def procedure(track: Track = "entry") -> Procedure:
    """The procedure of data/procedure.toml: the entry's steps (or the exit's)."""
    if track != "entry":
        return procedure().track(track)
    return Procedure.model_validate(data_toml("procedure.toml"))
