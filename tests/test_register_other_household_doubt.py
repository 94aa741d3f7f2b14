"""The register's documents (`register next`: 民主评议, 入户核实) printed the 疑点 of a member on another
family's 低保 case (孙静梅, on her father 杜永山's; rosters._in_other_household) as a bare 「低保」: read
at the meeting as "this household is on 低保", the very thing the screen decided it is not. The round
stores such a match as dibao_other_household and the documents say 「低保(他户)」, as the screen's own
village lists do (test_other_household_doubt); another roster's flag keeps its word, and a household
with both says both. A register recorded before (its rows storing the bare `dibao`) still prints, and
the same survey screened onto it again is still the same survey."""

from __future__ import annotations

import sqlite3

from register_builders import fill, meeting, table_rows
from survey_builders import make_id
from test_request_list import statuses
from test_roster_other_household_and_lost_id import _county
from test_rosters import AS_OF, run, write_sheets

VILLAGE = "永丰村"


def _rosters(tmp_path, ids) -> list[str]:
    """覃宝's 儿媳 and 赵五's wife on other families' 低保 cases, 王大's wife on his father's (who lives with
    him: 王大's own case, excluded); 李四's wife and 赵五 himself on the vehicle register."""
    du, ma = make_id("19480808", serial=31), make_id("19470707", serial=33)
    dibao = write_sheets(tmp_path / "巴吉垒镇低保人员.xlsx", {"低保人员": (
        ["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "与户主关系", "身份证号"], [
            [1, "巴吉垒镇", "光明村", "杜永山", du, "杜永山", "户主", du],
            [2, "巴吉垒镇", "光明村", "杜永山", du, "孙静梅", "女", ids["孙静梅"]],
            [3, "伏龙泉镇", "永丰村", "王老", ids["王老"], "王妻", "儿媳", ids["王妻"]],
            [4, "巴吉垒镇", "新华村", "马德", ma, "刘芳", "女", ids["刘芳"]]])})
    vehicle = write_sheets(tmp_path / "机动车.xlsx", {"机动车": (
        ["所有人", "身份证号", "号牌号码"], [["李妻", ids["李妻"], "吉A12345"], ["赵五", ids["赵五"], "吉A54321"]])})
    return ["--roster", f"dibao={dibao}", "--roster", f"vehicle={vehicle}"]


def _registered(tmp_path):
    """The county screened onto 县.db with the rosters: (register, survey, roster options)."""
    survey, ids = _county(tmp_path)
    rosters = _rosters(tmp_path, ids)
    db = tmp_path / "县.db"
    done = run("screen", survey, "-o", tmp_path / "out", "--as-of", AS_OF, *rosters,
               "--register", db, "--date", "2019-11-20")
    assert done.exit_code == 0, done.output
    got = statuses(tmp_path / "out")
    assert got["覃宝"] == got["赵五"] == got["李四"] == got["严东志"] == "candidate", got
    assert got["王大"] == "excluded_dibao", got
    return db, survey, rosters


def _document(tmp_path, db, step: str, day: str, folder: str, *options: str):
    said = run("register", "next", db, "--date", day, "-o", tmp_path / step, *options)
    assert said.exit_code == 0, said.output
    return next((tmp_path / step / folder).glob(f"*{VILLAGE}*.xlsx"))


def _doubts(path, header: str = "疑点", name: str = "户主姓名") -> dict:
    return {row[name]: row[header] for row in table_rows(path)}


def test_the_meeting_and_the_visit_say_whose_dibao_case_it_is(tmp_path):
    db, _, _ = _registered(tmp_path)
    review = _document(tmp_path, db, "review", "2019-11-21", "1-民主评议")
    wanted = {"覃宝": "低保(他户)", "赵五": "低保(他户)、车辆", "李四": "车辆", "严东志": None}
    assert _doubts(review) == wanted, _doubts(review)
    fill(review, default=("同意", ""), form=meeting("2019年11月25日"))
    assert run("register", "record", db, review).exit_code == 0
    verify = _document(tmp_path, db, "verify", "2019-11-26", "2-入户核实")
    assert _doubts(verify) == wanted, _doubts(verify)


def test_under_english_the_meeting_says_another_households_case(tmp_path):
    db, _, _ = _registered(tmp_path)
    review = _document(tmp_path, db, "review", "2019-11-21", "1-review", "--lang", "en")
    got = _doubts(review, "flags", "head of household")
    assert got["覃宝"] == "dibao (another household's case)", got
    assert got["赵五"] == "dibao (another household's case), vehicle", got
    assert got["李四"] == "vehicle", got


def test_a_register_recorded_before_still_prints_and_its_survey_is_still_the_same(tmp_path):
    db, survey, rosters = _registered(tmp_path)
    # As an edgescreen before kept it: the bare kind (the register is append-only: a test's edit).
    con = sqlite3.connect(db)
    try:
        with con:
            con.execute("DROP TRIGGER screened_no_update")
            changed = con.execute("UPDATE screened SET roster_flags = replace(roster_flags, 'dibao_other_household', "
                                  "'dibao') WHERE roster_flags LIKE '%other_household%'").rowcount
    finally:
        con.close()
    assert changed == 2
    # The same files screened onto it again find nothing new: refused, as before the code changed.
    again = run("screen", survey, "-o", tmp_path / "again", "--as-of", AS_OF, *rosters,
                "--register", db, "--date", "2019-11-20")
    assert again.exit_code == 2 and "用的就是这次的调查文件" in " ".join(again.output.split()), again.output
    # Its documents print what it stored, as they did.
    review = _document(tmp_path, db, "review", "2019-11-21", "1-民主评议")
    assert _doubts(review) == {"覃宝": "低保", "赵五": "低保、车辆", "李四": "车辆", "严东志": None}, _doubts(review)
