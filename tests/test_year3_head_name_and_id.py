"""A head whose name and ID are both put right between years (徐凤芝 → 徐凤枝, birth day 25 → 24, the
same birth year and sequence digits; outside tester) read in changes.xlsx as a new head (户主变更): it now
says the two are one character apart each, perhaps a correction, for the clerk to check. A head of
another name stays 户主变更."""

from __future__ import annotations

from survey_builders import make_id
from test_years import sheet_rows
from years_builders import register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "陈家店村"}


def test_name_and_id_one_character_apart_each_is_said_maybe_a_correction(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = {"户主姓名": "徐凤芝", "户主身份证号": make_id(birth="19650225", serial=205), "户编号": "HB1"}
    other = {"户主姓名": "王德明", "户主身份证号": make_id(birth="19700310", serial=311), "户编号": "HB2"}
    db = register_everyone(tmp_path, [{**VILLAGE, **first}, {**VILLAGE, **other}])
    fixed = {**first, "户主姓名": "徐凤枝", "户主身份证号": make_id(birth="19650224", serial=205)}
    new_head = {**other, "户主姓名": "王小红", "户主身份证号": make_id(birth="19950310", serial=322)}
    run("screen", survey(tmp_path / "2020.xlsx", [{**VILLAGE, **fixed, "工资性收入": 10500},
                                                 {**VILLAGE, **new_head, "工资性收入": 10500}]),
        "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20")
    notes = {r["户主姓名"]: r["说明"] for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert "户主姓名和身份证号各只差一个字(原登记:徐凤芝," in notes["徐凤枝"], notes["徐凤枝"]
    assert "户主变更:原户主" not in notes["徐凤枝"], notes["徐凤枝"]
    assert "户主变更:原户主 王德明" in notes["王小红"], notes["王小红"]
