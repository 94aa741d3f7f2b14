"""`edgescreen sample 县.db` of a round recorded before the register kept enumerators (version 7) wrote
sample.csv without 填表人 and said nothing of it: the clerk learnt only at backcheck, with the survey
moved away, that enumerators could not be compared. After drawing it now says, in one line, that
backcheck will look for the survey files beside the register (or take --survey) to compare them; a
round whose register names its enumerators says nothing of the kind.

The county of test_sample_register_enumerator.py: small_county's 21 households, recorded as round 1."""

from __future__ import annotations

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import sample_rows
from test_sample_register_enumerator import _back_to_version_6, _draw, _recorded

NO_ENUMERATORS = ("登记簿没有记下这一轮各户的填表人(登记簿记填表人以前登记的一轮,或调查表没有“填表人”列),"
                  "sample.csv 中没有填表人:backcheck 按填表人比较时,会在登记簿旁按 SHA-256 查找筛查时读入的调查表;"
                  "调查表已移走的,请用 --survey 给出。")


def flat(text: str) -> str:
    """Text without its spaces and line breaks: as said, wherever the terminal's width wraps it."""
    return "".join(text.split())


def test_a_sample_of_a_round_recorded_before_version_7_says_backcheck_will_need_the_survey(tmp_path):
    db, _ = _recorded(tmp_path)
    _back_to_version_6(db)
    said = flat(_draw(db, tmp_path / "抽查").output)
    assert "填表人" not in sample_rows(tmp_path / "抽查")[0]
    assert flat(NO_ENUMERATORS) in said, said
    # Said once, after what was drawn and before the next step.
    assert said.count(flat(NO_ENUMERATORS)) == 1 and said.index("已抽取10户") < said.index(flat(NO_ENUMERATORS)) \
        < said.index("接下来:"), said
    english = flat(_draw(db, tmp_path / "sample", "--lang", "en").output)
    assert flat("The register holds no enumerator for this round's households (a round recorded before the "
                "register kept them, or a survey without a 填表人 column), so sample.csv has none: to compare "
                "enumerators, backcheck looks for the survey files the screen read beside the register, by SHA-256; "
                "if they were moved, give them with --survey.") in english, english


def test_a_sample_of_a_round_with_its_enumerators_or_of_a_ledger_says_nothing_of_them(tmp_path):
    db, _ = _recorded(tmp_path)
    said = _draw(db, tmp_path / "抽查").output
    assert all(r["填表人"] for r in sample_rows(tmp_path / "抽查"))
    assert "填表人" not in said and "--survey" not in said, said
    # A screen's folder: its ledger is no register; its survey's files are named in its run.json.
    said = _draw(tmp_path / "筛查", tmp_path / "抽查2").output
    assert "填表人" not in said and "--survey" not in said, said
