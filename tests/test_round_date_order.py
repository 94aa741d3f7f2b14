"""A new round dated before what the register holds (an outside try, 2026-12): the year-2 survey screened
with --date 2019-12-05, last year's year left in, was recorded although round 1's 公告 was issued after it;
its documents were then dated 2019-12-06 and households left the register before they had entered it."""
from __future__ import annotations

import sqlite3

from test_years import PEOPLE_2019
from years_builders import register_everyone, run, survey


def test_a_round_dated_before_the_registers_documents_is_refused_and_the_register_unchanged(tmp_path):
    db = register_everyone(tmp_path, PEOPLE_2019)  # 公告 issued in December 2019, households on from 2019-12-27
    rounds = lambda: sqlite3.connect(db).execute("SELECT count(*) FROM rounds").fetchone()[0]  # noqa: E731
    latest = sqlite3.connect(db).execute("SELECT MAX(issued) FROM documents").fetchone()[0]
    source = survey(tmp_path / "2020.xlsx", PEOPLE_2019)
    said = " ".join(run("screen", source, "-o", tmp_path / "out2020", "--register", db, "--date", "2019-12-05",
                        "--year", "2020", code=2).output.split())
    assert f"--date 2019-12-05 早于登记簿中已有的记录({latest})" in said and "多半是年份没有改" in said, said
    assert rounds() == 1 and not (tmp_path / "out2020").exists()
    run("screen", source, "-o", tmp_path / "out2020", "--register", db, "--date", "2020-12-05", "--year", "2020")
    assert rounds() == 2
