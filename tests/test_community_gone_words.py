"""A 社区's 未调查户核实 form in its own words. Its line already said 户仍在本社区, but told its clerk to
write 「仍在本村」, its result column's header and drop-down offered 仍在本村/户已不存在, so a 社区's
clerk picking from the list wrote that its household was still in the village. Now a 社区's form says
仍在本社区 in its line, its header and its drop-down, a village's 仍在本村 as before, and either word is
read on either form."""

from __future__ import annotations

import sqlite3

import openpyxl

from register_builders import household_table
from survey_builders import make_id
from test_community_words_last import _fill_gone as _fill
from test_community_words_rest import COMMUNITY, VILLAGE, _texts
from test_register_late_township import _fill_gone, _gone_forms, _join_late, _said, year_two  # noqa: F401  (a fixture)
from years_builders import register_everyone, run, survey

IDS = {k: make_id(birth=f"1971{m:02d}{m + 10:02d}", serial=600 + m) for m, k in enumerate("ABCDEFGH", start=1)}


def _person(key: str, **over) -> dict:
    place = COMMUNITY if key in "ABCD" else VILLAGE
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HG{key}", **over}


def _forms(tmp_path):
    """The register of 户A–户D of 青山社区 and 户E–户H of 前岗村 (2019); 2020's survey finds A, B, E and F
    only: the 未调查户核实 forms `register next` prints, the 社区's and the village's."""
    db = register_everyone(tmp_path, [_person(k) for k in "ABCDEFGH"])
    run("screen", survey(tmp_path / "2020.xlsx", [_person(k, 工资性收入=10500) for k in "ABEF"]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "2020")
    forms = tmp_path / "2020" / "未调查户核实"
    return db, next(forms.glob("*青山社区*.xlsx")), next(forms.glob("*前岗村*.xlsx"))


def _result_column(form) -> tuple[str, list[str]]:
    """The 核实结果 column's header as printed, and the words its drop-down offers on its rows."""
    ws = openpyxl.load_workbook(form).worksheets[0]
    header, cols = household_table(ws)
    letter = openpyxl.utils.get_column_letter(cols["核实结果"])
    offered = [v.formula1.strip('"').split(",") for v in ws.data_validations.dataValidation
               if any(str(r).startswith(letter) for r in v.sqref.ranges)]
    assert len(offered) == 1, offered
    return ws.cell(header, cols["核实结果"]).value, offered[0]


def _decisions(db) -> list[str]:
    """The recorded 未调查户核实 decisions, in the households' order (户C, 户D, 户G, 户H)."""
    con = sqlite3.connect(db)
    try:
        return [new for (new,) in con.execute("SELECT new FROM events WHERE step = 'gone_verify' AND field = 'decision' "
                                              "ORDER BY household")]
    finally:
        con.close()


def test_a_communitys_unsurveyed_check_says_still_in_the_community_and_a_villages_still_in_the_village(tmp_path):
    db, community, village = _forms(tmp_path)
    line = _texts(community)
    assert "户仍在本社区、漏调查的,填“仍在本社区”,须补充调查。" in line and "仍在本村" not in line, line
    assert _result_column(community) == ("核实结果\n(仍在本社区/户已不存在)", ["仍在本社区", "户已不存在"])
    # A village's form as before.
    assert "户仍在本村、漏调查的,填“仍在本村”,须补充调查。" in _texts(village)
    assert _result_column(village) == ("核实结果\n(仍在本村/户已不存在)", ["仍在本村", "户已不存在"])

    # Each clerk picks its own form's word; the other form's word is read too (仍在本村 on the 社区's).
    _fill(community, {"户C": ("仍在本村", None), "户D": ("仍在本社区", None)})
    _fill(village, {"户G": ("户已不存在", "整户迁出"), "户H": ("仍在本村", None)})
    said = " ".join(run("register", "record", db, community, village).output.split())
    assert "打印时没有的内容" not in said and said.count("已登记") >= 2, said
    assert _decisions(db) == ["yes", "yes", "no", "yes"]


def test_a_communitys_recorded_check_says_still_in_the_community(tmp_path):
    db, community, _ = _forms(tmp_path)
    _fill(community, {"户C": ("户已不存在", "整户迁出"), "户D": ("仍在本社区", None)})
    said = " ".join(run("register", "record", db, community).output.split())
    assert "户已不存在、销户 1 户,仍在本社区、待补充调查 1 户" in said, said


def test_a_household_found_gone_blocks_the_join_naming_either_places_word(year_two):  # noqa: F811
    walk, late = year_two
    [form] = _gone_forms(walk, "2020-11-21", "gone")
    run("register", "record", walk.db, _fill_gone(form, {"吴八": "户已不存在", "郑九": "仍在本村"}))
    said = _said(_join_late(walk, late, code=2))
    # The late township's survey may hold villages and 社区: the word each one's form prints.
    assert "核实结果改为「仍在本村」(社区的表为「仍在本社区」)" in said, said

