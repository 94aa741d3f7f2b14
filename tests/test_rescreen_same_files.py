"""A screen run again on the very files of the register's latest round (tester, after the 2021 screen:
the same survey-2021.xlsx, same SHA-256, same --year and --date, run again as a clerk does when unsure
whether the first run worked). Before: round 4 was recorded without a word, round 3's exit documents
still out were refused as of an old round, `register next` printed the same households again, and the
notice of villages left part-way looked only at the entry procedure, not at the exits.

A small county built here: everyone of 2019 taken onto the register; in 2020 one household of each
village is now 低保 (转入兜底保障: it goes through the exit procedure) and 前岗村 has a new candidate."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from register_builders import fill, meeting
from survey_builders import built_once, make_id
from years_builders import register_everyone, run, survey

FRONT = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
BACK = {"乡(镇)": "合隆镇", "行政村": "后岗村"}
IDS = {k: make_id(birth=f"1968{m % 12 + 1:02d}{m:02d}", serial=600 + m) for m, k in enumerate("ABCDEFG", start=1)}


def person(key: str, place: dict, **over) -> dict:
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


PEOPLE_2019 = [person("A", FRONT), person("B", FRONT), person("C", FRONT), person("D", BACK), person("E", BACK),
               person("F", BACK)]
# 2020: 户A and 户D now 低保 (to leave by the exit procedure); 户G new in the band in 前岗村.
PEOPLE_2020 = [person("A", FRONT, 是否低保户="是"), person("B", FRONT, 工资性收入=10300), person("C", FRONT),
               person("D", BACK, 是否低保户="是"), person("E", BACK), person("F", BACK, 工资性收入=10400),
               person("G", FRONT)]
ROUND_2020 = "2020-11-20"


def said(result) -> str:
    return " ".join(result.output.split())


def rounds(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select id, year, round_date from rounds order by id").fetchall()
    finally:
        con.close()


def leaving() -> list[str]:
    """--leave-unfinished: since 2026-12-05 a new round over villages part-way through the latest one is
    refused first, naming them, unless the clerk says so."""
    return ["--leave-unfinished"]


@pytest.fixture
def part_way(tmp_path, monkeypatch):
    """The 2020 round recorded; 前岗村 has held both its meetings (the new candidate's and the exit's),
    后岗村's exit meeting document is out, not recorded yet."""
    monkeypatch.chdir(tmp_path)

    def build():
        db = register_everyone(tmp_path, PEOPLE_2019)
        source = survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020)
        run("screen", source, "--year", "2020", "-o", tmp_path / "筛查2020", "--register", db, "--date", ROUND_2020)
        docs = tmp_path / "文书-2020-11-23"
        run("register", "next", db, "--date", "2020-11-23", "-o", docs)
        # Each review's file has its step in its name.
        front = [docs / "1-民主评议" / "合隆镇-前岗村-民主评议.xlsx", docs / "退出1-民主评议" / "合隆镇-前岗村-退出民主评议.xlsx"]
        for doc in front:
            fill(doc, default=("同意", ""), form=meeting("2020-11-25"))
        run("register", "record", db, *front)
        back = docs / "退出1-民主评议" / "合隆镇-后岗村-退出民主评议.xlsx"
        fill(back, default=("同意", ""), form=meeting("2020-11-25"))
        return {"tmp": tmp_path, "db": db, "source": source, "back": back}

    # The same set-up for every test of this module: once per worker, a copy each (built_once).
    return built_once("test_rescreen_same_files part_way", tmp_path, build)


def test_the_same_files_screened_again_are_refused_naming_the_round_and_nothing_changes(part_way):
    tmp, db, source = part_way["tmp"], part_way["db"], part_way["source"]
    before = rounds(db)
    assert before == [(1, 2019, "2019-11-20"), (2, 2020, ROUND_2020)]
    # Villages part-way, and the round's very files: the same-files refusal speaks first (the unfinished
    # villages' advice, --leave-unfinished, would lead to the same round again).
    first = said(run("screen", source, "--year", "2020", "-o", tmp / "again", "--register", db, "--date", ROUND_2020,
                     code=2))
    assert "用的就是这次的调查文件" in first and "--leave-unfinished" not in first, first
    leave = leaving()
    # The very run again, and the same files on another day: both refused, the register as it was.
    for day in (ROUND_2020, "2020-11-26"):
        refused = said(run("screen", source, "--year", "2020", "-o", tmp / "again", "--register", db, "--date", day,
                           *leave, code=2))
        assert "第 2 轮筛查(2020-11-20,2020 年度)用的就是这次的调查文件,内容完全相同(SHA-256 一致)" in refused, refused
        assert "2020调查表.xlsx" in refused and "登记簿没有改动" in refused, refused
        # The way to a new round of the year on purpose: the re-survey's own files, with --year.
        assert "确是重新调查 2020 年度,请用重新调查后的调查表,写 --year 2020" in refused, refused
        assert rounds(db) == before
        assert not (tmp / "again").exists()
    english = said(run("screen", source, "--year", "2020", "-o", tmp / "again", "--register", db, "--date", ROUND_2020,
                       "--lang", "en", *leave, code=2))
    assert "round 2 (2020-11-20, income year 2020) was made from these very survey files" in english, english
    assert "Nothing was changed" in english and "with --year 2020" in english, english
    # Round 2's exit document still out is taken; the next step is printed once, for the households of round 2.
    assert "已登记" in said(run("register", "record", db, part_way["back"]))
    printed = said(run("register", "next", db, "--date", "2020-11-26", "-o", tmp / "文书-2020-11-26"))
    assert "退出入户核实:2 份文书,2 户" in printed, printed
    assert not (tmp / "文书-2020-11-26" / "退出1-民主评议").exists()


def test_a_new_round_names_the_villages_part_way_through_the_exit_too(part_way):
    """A re-survey of 2020 (its own file: one income put right) is a new round on purpose: recorded,
    and the notice names 后岗村, whose exit meeting is all it has done, and 前岗村 once, waiting for a
    step of each procedure."""
    tmp, db = part_way["tmp"], part_way["db"]
    run("register", "record", db, part_way["back"])
    again = survey(tmp / "2020重新调查.xlsx", [{**p, "工资性收入": 10600} if p["户主姓名"] == "户C" else p
                                             for p in PEOPLE_2020])
    out = said(run("screen", again, "--year", "2020", "-o", tmp / "重新调查", "--register", db, "--date", "2020-11-27",
                   *leaving()))
    assert "已记录第 3 轮筛查(2020-11-27)" in out, out
    assert "注意:第 2 轮还有 2 个村" in out, out
    assert "合隆镇前岗村(待「入户核实、退出入户核实」)、合隆镇后岗村(待「退出入户核实」)" in out, out
    assert rounds(db)[-1] == (3, 2020, "2020-11-27")


def test_the_same_files_deciding_otherwise_are_a_new_round(part_way):
    """The same survey with a 低保 roster given this time (户B on it): 户B is decided otherwise, so the
    screen finds something new and is a round of its own, not refused as a run twice."""
    tmp, db, source = part_way["tmp"], part_way["db"], part_way["source"]
    roster = tmp / "低保对象名单.csv"
    roster.write_text(f"姓名,身份证号\n户B,{IDS['B']}\n", encoding="utf-8")
    out = said(run("screen", source, "--year", "2020", "--roster", f"低保={roster}", "-o", tmp / "比对",
                   "--register", db, "--date", "2020-11-27", *leaving()))
    assert "已记录第 3 轮筛查(2020-11-27)" in out, out
    assert rounds(db)[-1] == (3, 2020, "2020-11-27")
