"""A sample drawn from the register keeps each household's 填表人 (outside try): `sample 县.db` wrote
sample.csv without the 填表人 column that the same sample drawn from the screen's folder has, and
`backcheck` compared enumerators only by finding the survey files again by their SHA-256; moved away,
the per-enumerator check (who made households up) had nothing to go on. The register keeps the
enumerator of each screened household (format version 7); a round recorded before has none, and its
sample and spot check do as they did.

The county: small_county's 21 households (前岗村 4 candidates by 甲 and 12 above by 乙, 东兴村 2 by 丙
and 3 by 丁), its survey in 县/调查表/ beside the register's folder 县/登记簿/, recorded as round 1."""

from __future__ import annotations

import shutil
import sqlite3

import openpyxl

from register_builders import back_to_version, register_version
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, fill, fill_all, run, sample_rows, small_county
from test_register import dump
from edgescreen.register import db as register_db

ROUND_DATE = "2019-12-02"


def words(result) -> str:
    return " ".join(result.output.split())


def _recorded(tmp):
    """small_county screened into the register 县/登记簿/农安县.db; its survey's enumerators by head's name."""
    (tmp / "县" / "调查表").mkdir(parents=True)
    (tmp / "县" / "登记簿").mkdir()
    survey = small_county(tmp / "县" / "调查表" / "农安县.xlsx")
    db = tmp / "县" / "登记簿" / "农安县.db"
    run("screen", survey, "-o", tmp / "筛查", "--register", db, "--date", ROUND_DATE)
    book = openpyxl.load_workbook(survey)
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    name, enumerator = rows[0].index("户主姓名"), rows[0].index("填表人")
    return db, {r[name]: r[enumerator] for r in rows[1:]}


def _draw(db, out, *extra):
    """Every candidate drawn, a quarter of the others (seed 11)."""
    return run("sample", db, "-o", out, "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25", *extra)


def _sheet(book, name: str, header_first: str) -> tuple[list, list[list]]:
    rows = [[c.value for c in r] for r in book[name].iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == header_first)
    return rows[at], rows[at + 1:]


def test_a_sample_drawn_from_the_register_names_each_households_enumerator(tmp_path):
    db, enumerators = _recorded(tmp_path)
    _draw(db, tmp_path / "抽查")
    drawn = sample_rows(tmp_path / "抽查")
    assert len(drawn) == 10 and "填表人" in drawn[0], list(drawn[0])
    assert [r["填表人"] for r in drawn] == [enumerators[r["户主姓名"]] for r in drawn], drawn
    assert {r["填表人"] for r in drawn} == {"甲", "乙", "丙", "丁"}
    # As a sample drawn from the screen's folder has it (its own households: keyed otherwise, drawn otherwise).
    _draw(tmp_path / "筛查", tmp_path / "抽查2")
    from_folder = sample_rows(tmp_path / "抽查2")
    assert [c for c in drawn[0] if c != "登记簿户号"] == list(from_folder[0])
    assert all(r["填表人"] == enumerators[r["户主姓名"]] for r in from_folder)


def test_backcheck_of_the_register_flags_the_enumerator_with_the_survey_files_moved_away(tmp_path):
    """3 of 甲's 4 candidates do not exist (查无此户); the survey is moved away from beside the register
    (where backcheck looks for it): 甲 is still listed for follow-up, by the register's 填表人."""
    db, _ = _recorded(tmp_path)
    _draw(db, tmp_path / "抽查")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    listed = [r for r in sample_rows(tmp_path / "抽查") if r["行政村"] == "前岗村" and r["抽样层"] == "候选户"]
    blank = {k: None for k in LABELS if k != "verify_notes"}
    fill(next(f for f in forms if "前岗村" in f.name),
         {int(r["核查序号"]): {**blank, "verify_notes": "查无此户,村里没有这户人家"} for r in listed[:3]})
    shutil.move(tmp_path / "县" / "调查表", tmp_path / "移走")

    said = words(run("backcheck", db, tmp_path / "填好", "-o", tmp_path / "核查结果"))
    assert "找不到筛查时读入的调查表" in said, said  # the files are gone indeed
    assert "不知道各户的填表人" not in said and "填表人取自调查表的“填表人”列" in said, said
    assert "需复查的填表人(1 人)" in said and "甲" in said.split("需复查的填表人")[1], said
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    header, rows = _sheet(book, "分填表人", "填表人")
    by_name = {r[0]: r for r in rows if r[0]}
    assert {"甲", "乙", "丙", "丁"} <= set(by_name), by_name
    assert by_name["甲"][header.index("需复查")] == "需复查"


def _back_to_version_6(db) -> None:
    """The register as edgescreen kept it before version 7 (without the enumerators)."""
    back_to_version(db, 6)



def test_a_round_recorded_before_version_7_samples_as_before_and_the_upgrade_keeps_it_so(tmp_path):
    """Its sample has no 填表人 column (the register has none) and leaves the file as it was; the next
    screen upgrades the register, the earlier round still has none, the new round has them; the
    backcheck of the earlier round finds the survey beside the register for its enumerators, as before."""
    db, _ = _recorded(tmp_path)
    _back_to_version_6(db)
    before = dump(db)
    _draw(db, tmp_path / "抽查")
    drawn = sample_rows(tmp_path / "抽查")
    assert len(drawn) == 10 and "填表人" not in drawn[0], list(drawn[0])
    assert dump(db) == before and register_version(db) == 6

    # Year two, recorded into it: upgraded, the copy kept as it was.
    (tmp_path / "2020").mkdir()
    said = words(run("screen", small_county(tmp_path / "2020" / "农安县.xlsx"), "--year", "2020",
                     "-o", tmp_path / "筛查2020", "--register", db, "--date", "2020-12-01"))
    kept = db.with_name(f"{db.stem}.升级前第6版{db.suffix}")
    assert "格式第 6 版" in said and kept.exists() and dump(kept) == before, said
    assert register_version(db) == register_db.SCHEMA_VERSION == 9
    con = sqlite3.connect(db)
    named = dict(con.execute("SELECT round, COUNT(enumerator) FROM screened GROUP BY round").fetchall())
    con.close()
    assert named == {1: 0, 2: 21}, named
    _draw(db, tmp_path / "抽查2019", "--round", "1")
    assert "填表人" not in sample_rows(tmp_path / "抽查2019")[0]
    _draw(db, tmp_path / "抽查2020")
    assert all(r["填表人"] for r in sample_rows(tmp_path / "抽查2020"))

    # The earlier round's spot check: its enumerators from the survey found beside the register.
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    said = words(run("backcheck", db, tmp_path / "填好", "-o", tmp_path / "核查结果"))
    assert "按登记簿为这一轮筛查记下的 SHA-256 认出" in said and "填表人取自调查表的“填表人”列" in said, said
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    _, rows = _sheet(book, "分填表人", "填表人")
    assert {"甲", "乙", "丙", "丁"} <= {r[0] for r in rows if r[0]}
