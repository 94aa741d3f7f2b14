"""The screen's doubts of a household's own data reach the register's 民主评议 and 入户核实 forms.

An outside try (伏龙泉镇合心村): the screen's village list gave 5 candidates a 疑点 from their data (姜国庆:
经营费用是经营收入的数倍) and told the village to check them 在评议前或评议会上逐户核实; but the forms the
village uses when the county keeps a register (register next: 民主评议, 入户核实) showed only the rosters'
疑点, or no 疑点 column at all without rosters: the doubt never reached the meeting or the visit. Built
here: 合隆镇前岗村's two candidates, 姜国庆 whose 家庭经营费用支出 is several times his 家庭经营收入
(costs_exceed_business_income, a warning) and 王平 with wages only."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl

from register_builders import fill, meeting, table_rows
from survey_builders import household, make_id, write_csv_table, write_workbook
from test_register import run

DOUBT = "经营费用是经营收入的数倍"  # outputs.toml doubt_costs_exceed_business_income, as the village list says it


def _county(tmp: Path) -> Path:
    return _screen(tmp)


def _screen(tmp: Path, *more) -> Path:
    rows = [household(**{"户主姓名": "姜国庆", "户主身份证号": make_id(birth="19600211", serial=301),
                         "工资性收入": 13000, "家庭经营收入": 2000, "家庭经营费用支出": 5000, "主要困难": "因病"}),
            household(**{"户主姓名": "王平", "户主身份证号": make_id(birth="19600212", serial=302), "主要困难": "因学"})]
    survey = write_workbook(tmp / "农安县.xlsx", rows)
    db = tmp / "农安县.db"
    run("screen", survey, "-o", tmp / "筛查", "--register", db, "--date", "2019-11-20", *more)
    return db


def _doubts(path: Path, header: str = "疑点") -> dict[str, str]:
    """Each household's 疑点 cell on a printed form, by head's name ('' for a blank cell)."""
    rows = table_rows(path)
    assert rows and header in rows[0], (path.name, list(rows[0]) if rows else rows)
    return {r["户主姓名"] if "户主姓名" in r else r["head of household"]: r[header] or "" for r in rows}


def _next(db: Path, folder: Path, date: str, *more) -> Path:
    run("register", "next", db, "--date", date, "-o", folder, *more)
    return folder


def _village_list_says_it(tmp: Path) -> None:
    # What the forms are to carry: the screen's own village list words the doubt so.
    book = openpyxl.load_workbook(next((tmp / "筛查").rglob("*前岗村*.xlsx")))
    cells = [v for row in book.worksheets[0].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert DOUBT in cells, cells


def test_meeting_and_visit_forms_carry_the_data_doubts(tmp_path):
    db = _county(tmp_path)
    _village_list_says_it(tmp_path)

    review = next((_next(db, tmp_path / "d1", "2019-11-21") / "1-民主评议").glob("*.xlsx"))
    # A survey without rosters: the 疑点 column is printed for the data's doubt, beside 姜国庆 only.
    assert _doubts(review) == {"姜国庆": DOUBT, "王平": ""}, _doubts(review)

    fill(review, default=("同意", ""), form=meeting("2019年11月25日"))
    run("register", "record", db, review)
    visit = next((_next(db, tmp_path / "d2", "2019-11-26") / "2-入户核实").glob("*.xlsx"))
    assert _doubts(visit) == {"姜国庆": DOUBT, "王平": ""}, _doubts(visit)

    # A posted list shows no doubt: the first 公示 is as it was.
    fill(visit, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    run("register", "record", db, visit)
    posted = next((_next(db, tmp_path / "d3", "2019-12-01") / "3-第一次公示").glob("*.xlsx"))
    texts = [v for ws in openpyxl.load_workbook(posted) for row in ws.iter_rows(values_only=True) for v in row
             if isinstance(v, str)]
    assert "疑点" not in texts and not [t for t in texts if DOUBT in t], texts


def test_forms_printed_in_english_word_the_doubt_in_english(tmp_path):
    db = _county(tmp_path)
    folder = _next(db, tmp_path / "d1", "2019-11-21", "--lang", "en")
    review = next(p for p in folder.rglob("*.xlsx"))
    assert _doubts(review, "flags") == {"姜国庆": "costs a multiple of business income", "王平": ""}, _doubts(review, "flags")


def test_a_round_recorded_before_the_register_kept_the_doubts_prints_as_before(tmp_path):
    # The register as edgescreen kept it before (format 7, no data doubts): its meeting form has no 疑点
    # column, a blank one reading "none found"; it is upgraded, and the round still has none.
    db = _county(tmp_path)
    con = sqlite3.connect(db, isolation_level=None)
    for (column,) in con.execute("SELECT name FROM pragma_table_info('screened') WHERE name LIKE 'data_doubts_%'"):
        con.execute(f"ALTER TABLE screened DROP COLUMN {column}")
    con.execute("DELETE FROM meta WHERE key = 'schema_8'")
    con.execute("PRAGMA user_version = 7")
    con.close()
    review = next((_next(db, tmp_path / "d1", "2019-11-21") / "1-民主评议").glob("*.xlsx"))
    rows = table_rows(review)
    assert {r["户主姓名"] for r in rows} == {"姜国庆", "王平"} and "疑点" not in rows[0], rows


def test_with_rosters_the_data_doubt_follows_the_rosters_flag(tmp_path):
    # Both 姜国庆 and 王平 have a car on the 车辆 roster (a flag): 姜国庆's cell says the roster first, then
    # his data's doubt, as the village list does; 王平's the roster alone.
    roster = write_csv_table(tmp_path / "车辆.csv", ["姓名", "身份证号"],
                             [["姜国庆", make_id(birth="19600211", serial=301)],
                              ["王平", make_id(birth="19600212", serial=302)]])
    db = _screen(tmp_path, "--roster", f"vehicle={roster}")
    review = next((_next(db, tmp_path / "d1", "2019-11-21") / "1-民主评议").glob("*.xlsx"))
    assert _doubts(review) == {"姜国庆": f"车辆、{DOUBT}", "王平": "车辆"}, _doubts(review)
