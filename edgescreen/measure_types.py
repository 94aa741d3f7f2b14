"""帮扶措施的类型: the catalogue of measure types (data/measures.toml), loaded strictly, and reading a
type as a clerk writes it: 产业扶持(合作社+贫困边缘户), 产业扶持, 技术指导 … in either language.

Core, because a rule set's fit table names these types and is validated when it loads."""

from __future__ import annotations

import re
from functools import cache

from pydantic import Field, model_validator

from .catalogue import Lang, StrictModel, Text, data_toml, normalise_header


class Model(StrictModel):
    """One way a type is carried out (产业扶持's 合作社+贫困边缘户)."""

    id: str = Field(pattern=r"^[a-z_]+$")
    zh: str
    en: str


class MeasureType(StrictModel):
    id: str = Field(pattern=r"^[a-z_]+$")
    zh: str
    en: str
    plan: bool = False  # one of the plan's own three (六、实施帮扶)
    aliases: tuple[str, ...] = ()  # other words read as this type (产业帮扶), never printed
    note: Text
    models: tuple[Model, ...] = ()

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def word(self, model: str | None, lang: Lang) -> str:
        """The type as printed: 产业扶持(合作社+贫困边缘户), or 产业扶持 without a model."""
        found = next((m for m in self.models if m.id == model), None)
        return f"{self.name(lang)}({found.zh if lang == 'zh' else found.en})" if found else self.name(lang)


_BRACKETED = re.compile(r"^(.*?)\((.*)\)$")


class FormWords(StrictModel):
    """Words cadres write on a returned form (measures.toml [form]), compared as cells are (NFKC, no
    spaces, case folded): a ditto under the first row (同上, 〃), refused at its cell; a measure still
    going on in 结束日期 (长期, 至今), read as no end date."""

    ditto: tuple[str, ...] = ()
    no_end: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _not_blank(self) -> FormWords:
        if any(not w.strip() for w in (*self.ditto, *self.no_end)):
            raise ValueError("a blank word in measures.toml [form]")
        return self


class MeasureCatalogue(StrictModel):
    type: tuple[MeasureType, ...] = Field(min_length=1)
    form: FormWords = FormWords()

    @model_validator(mode="after")
    def _unique(self) -> MeasureCatalogue:
        ids = [t.id for t in self.type]
        if len(set(ids)) != len(ids):
            raise ValueError("a measure type id is given twice")
        words = [normalise_header(w).casefold() for t in self.type for w in (t.zh, t.en, *t.aliases)]
        if len(set(words)) != len(words):
            raise ValueError("a measure type's word is given twice")
        return self

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.type]

    def __getitem__(self, type_id: str) -> MeasureType:
        for t in self.type:
            if t.id == type_id:
                return t
        raise KeyError(type_id)

    def choices(self, lang: Lang) -> list[str]:
        """Every word the form's drop-down offers, in catalogue order: a type with models first with
        each model, then alone."""
        out = []
        for t in self.type:
            out += [t.word(m.id, lang) for m in t.models]
            out.append(t.name(lang))
        return out

    def read(self, typed: str) -> tuple[str, str | None] | None:
        """(type id, model id or None) of a type as written, either language, brackets of either
        width, spaces and case folded; None for a word the catalogue does not have."""
        found = self.read_written(typed)
        return found[:2] if found is not None and not found[2] else None

    def read_written(self, typed: str) -> tuple[str, str | None, bool] | None:
        """read, with a known type's brackets holding no model of it read as well: (type id, model id
        or None, True). A cadre's 产业扶持(合作社) is the 合作社+贫困边缘户 model (the part before + names
        one model); 产业扶持(龙头企业) or 教育(雨露计划) is the type alone. The caller says how it read."""
        key = normalise_header(typed).casefold()
        if not key:
            return None
        m = _BRACKETED.match(key)
        name, model = (m.group(1), m.group(2)) if m else (key, None)
        found = next((t for t in self.type if name in _folded(t.zh, t.en, *t.aliases)), None)
        if found is None:
            return None
        if model is None:
            return found.id, None, False
        for mo in found.models:
            if model in _folded(mo.zh, mo.en):
                return found.id, mo.id, False
        lead = model.split("+")[0]
        by_lead = [mo.id for mo in found.models if lead in _folded(mo.zh.split("+")[0], mo.en.split("+")[0])]
        return found.id, by_lead[0] if len(by_lead) == 1 else None, True

    def near(self, typed: str) -> list[str]:
        """The types whose words, aliases or note share the most of a word the catalogue does not have
        (两个字 or more; 帮扶, 扶贫, 扶持 left out, every type's alias has one): 残疾人两项补贴 is near
        综合保障 (残疾人补贴), 光伏分红 near 资产收益. At most three, in catalogue order; none if nothing is."""
        if len(_generic(normalise_header(typed))) < 2:
            return []
        best: dict[str, int] = {}
        for t in self.type:
            words = (t.zh, t.en, *t.aliases, *_NOTE_SPLIT.split(t.note.zh), *_NOTE_SPLIT.split(t.note.en))
            best[t.id] = max(_common(typed, w) for w in words)
        top = max(best.values())
        return [t for t, n in best.items() if n == top][:3] if top >= 2 else []


_NOTE_SPLIT = re.compile(r"[、,,;;/]|等|和|及|或|\band\b|\bor\b")
# Words every kind of support is written with (产业帮扶, 教育扶贫): sharing one says nothing of the type.
_GENERIC = re.compile("帮扶|扶贫|扶持")


def _generic(word: str) -> str:
    return _GENERIC.sub("", word.casefold())


def _folded(*words: str) -> set[str]:
    return {normalise_header(w).casefold() for w in words}


def _common(a: str, b: str) -> int:
    """How much two words share: the longest run of characters (帮扶 and the like left out); of words
    in Latin letters, the longest whole word of 4 letters or more they both hold."""
    if a.isascii() or b.isascii():
        shared = set(re.findall(r"[a-z]{4,}", a.casefold())) & set(re.findall(r"[a-z]{4,}", b.casefold()))
        return max(map(len, shared), default=0)
    a, b = _generic(normalise_header(a)), _generic(normalise_header(b))
    return max((n for i in range(len(a)) for n in range(len(a) - i, 1, -1) if a[i:i + n] in b), default=0)


@cache
def measure_types() -> MeasureCatalogue:
    """The catalogue of data/measures.toml."""
    return MeasureCatalogue.model_validate(data_toml("measures.toml"))
