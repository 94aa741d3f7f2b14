"""A registered household the next survey does not list, whose head it lists among another household's
members (an old parent moved in with a son: 并入他户; a years try, 2026-12-04): changes.xlsx said only
"find out why". It now says where the head is listed, and what to write on the verification form."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import members_file, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"19{50 + m}0101", serial=600 + m) for m, k in enumerate("ABC", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def test_a_missing_head_listed_in_another_household_is_said_where(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, [person(k) for k in "ABC"])
    # 2020: 户C's head (the father) now lives with 户A; 户C is not surveyed.
    members = members_file(tmp_path / "成员.xlsx", {IDS["A"]: [(IDS["A"], "户主", "普通劳动力"),
                                                              (IDS["C"], "父亲", "无劳动力")],
                                                   IDS["B"]: [(IDS["B"], "户主", "普通劳动力")]})
    source = survey(tmp_path / "2020.xlsx", [person("A", 家庭常住人口数=4, 工资性收入=14000), person("B")])
    run("screen", source, members, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20")
    sheet = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动名单"]
    row = next([c.value for c in r] for r in sheet.iter_rows() if "户C" in [c.value for c in r])
    note = " ".join(str(v) for v in row if v)
    assert "本年未调查" in note and "这一户的户主列在合隆镇前岗村「户A」户的家庭成员里" in note, note
