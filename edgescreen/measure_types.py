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
        key = normalise_header(typed).casefold()
        if not key:
            return None
        m = _BRACKETED.match(key)
        name, model = (m.group(1), m.group(2)) if m else (key, None)
        for t in self.type:
            if name not in (normalise_header(w).casefold() for w in (t.zh, t.en, *t.aliases)):
                continue
            if model is None:
                return t.id, None
            for mo in t.models:
                if model in (normalise_header(mo.zh).casefold(), normalise_header(mo.en).casefold()):
                    return t.id, mo.id
            return None
        return None


@cache
def measure_types() -> MeasureCatalogue:
    """The catalogue of data/measures.toml."""
    return MeasureCatalogue.model_validate(data_toml("measures.toml"))
