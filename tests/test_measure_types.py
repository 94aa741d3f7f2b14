"""The measure-type catalogue (data/measures.toml): the words a clerk writes read as their type, aliases
included (产业帮扶, the wording since 2021), and a word naming two types refused when it loads."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from edgescreen.catalogue import data_toml
from edgescreen.measure_types import MeasureCatalogue, measure_types


@pytest.mark.parametrize("typed, read", [
    ("产业扶持", ("industry", None)), ("产业帮扶", ("industry", None)), (" 产业扶贫 ", ("industry", None)),
    ("产业帮扶(合作社+贫困边缘户)", ("industry", "cooperative")), ("健康帮扶", ("health", None)),
    ("兜底保障", ("social_security", None)), ("公益性岗位", ("public_job", None)), ("看病报销", None)])
def test_a_type_is_read_by_its_words_and_aliases(typed, read):
    assert measure_types().read(typed) == read


def test_aliases_are_never_offered_on_the_form():
    assert "产业帮扶" not in measure_types().choices("zh") and "产业扶持" in measure_types().choices("zh")


def test_an_alias_naming_another_type_is_refused_when_the_catalogue_loads():
    raw = data_toml("measures.toml")
    raw["type"][1]["aliases"] = ["产业帮扶"]  # 资产收益 would take 产业扶持's word
    with pytest.raises(ValidationError, match="given twice"):
        MeasureCatalogue.model_validate(raw)
