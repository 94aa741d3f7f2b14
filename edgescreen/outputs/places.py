"""Places as every output names them: the villages of a run in order, a file name per village that
is unique and safe on Windows, and the one line that states the rule under every title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..catalogue import Lang, messages

if TYPE_CHECKING:
    from ..result import Result

_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def place_name(text: str, lang: Lang, key: str) -> str:
    return text or messages().labels[key](lang)


def village_file_name(township: str, village: str, lang: Lang = "zh") -> str:
    name = f"{place_name(township, lang, 'unknown_township')}-{place_name(village, lang, 'unknown_village')}"
    return f"{_UNSAFE_NAME.sub('_', name).strip(' .')}.xlsx"


def villages(df: pd.DataFrame) -> Iterator[tuple[str, str, pd.DataFrame]]:
    """(township, village, that village's rows of `df`) in township then village order."""
    keys = [df["township"].fillna("").astype(str), df["village"].fillna("").astype(str)]
    for (township, village), part in df.groupby(keys, sort=True):
        yield township, village, part


def village_keys(df: pd.DataFrame) -> list[tuple[str, str]]:
    """(township, village) of every village of `df`, in the order `villages` yields them, without
    cutting the rows into a frame per village."""
    keys = [df["township"].fillna("").astype(str), df["village"].fillna("").astype(str)]
    return df.groupby(keys, sort=True).size().index.tolist()


def unique_paths(folder: Path, names: list[str]) -> list[Path]:
    """File names made unique (a township-village pair that sanitises to a name already taken)."""
    seen: dict[str, int] = {}
    paths = []
    for name in names:
        key = name.casefold()
        seen[key] = seen.get(key, 0) + 1
        stem = name.removesuffix(".xlsx")
        paths.append(folder / (name if seen[key] == 1 else f"{stem}-{seen[key]}.xlsx"))
    return paths


def exclusions_text(result: Result, lang: Lang) -> str:
    labels = messages().labels
    excl = result.rule_set.exclude
    names = [labels[key](lang) for key, on in (("excl_dibao", excl.dibao), ("excl_tekun", excl.tekun),
                                                ("excl_registered", excl.registered_poor)) if on]
    if not names:
        return labels["list_no_exclusions"](lang)
    return labels["list_exclusions"](lang).format(names=labels["list_sep"](lang).join(names))


def rule_line(result: Result, lang: Lang) -> str:
    """The rule set and its bounds in one line, printed under every title."""
    labels = messages().labels
    b = result.bounds
    rules = result.rule_set
    key = "list_rule" if b.lower is not None else "list_rule_no_lower"
    return labels[key](lang).format(title=rules.title, id=rules.id, year=b.year,
                                    lower=b.lower.value if b.lower else "", upper=b.upper.value,
                                    exclusions=exclusions_text(result, lang))
