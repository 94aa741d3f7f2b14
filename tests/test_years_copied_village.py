"""A village's survey copied from last year's (an outside try of three years: 永安村's 2021 rows left as in
2020, every registered household's income change 0). Before: nothing said it; the village went to its
meeting on last year's incomes."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import register_everyone, run, survey

FRONT = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
BACK = {"乡(镇)": "合隆镇", "行政村": "后岗村"}


def people(place: dict, start: int, wages: list[int]) -> list[dict]:
    return [{**place, "户主姓名": f"户{start + i}", "户主身份证号": make_id(f"1969{i + 1:02d}15", serial=start + i),
             "户编号": f"HB{start + i}", "工资性收入": wage} for i, wage in enumerate(wages)]


def test_a_village_whose_every_income_is_last_years_is_said(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    front = people(FRONT, 700, [10000, 10100, 10200, 10300, 10400, 10500])
    back = people(BACK, 720, [10000, 10100, 10200, 10300, 10400, 10500])
    db = register_everyone(tmp_path, front + back)
    # 2020: 前岗村's rows as they were (copied); 后岗村's alike but for one household's wage.
    back_2020 = [{**p, "工资性收入": 10700} if p["户主姓名"] == "户722" else p for p in back]
    source = survey(tmp_path / "2020调查表.xlsx", front + back_2020)
    said = " ".join(run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db,
                        "--date", "2020-11-20").output.split())
    words = "注意:合隆镇前岗村调查的 6 户,每一户的人均纯收入都与 2019 年度一分不差:多半是照抄了上一年的调查表"
    assert words in said, said
    assert "合隆镇后岗村调查的" not in said, said
    summary = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动汇总"]
    texts = [c.value for row in summary.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(words in t for t in texts), texts


def test_a_copied_village_is_said_counting_its_households_off_the_register_too(tmp_path, monkeypatch):
    """东兴村 (an outside try's README check): 5 households surveyed both years, 3 on the register and 2
    above the band, every income as last year's. Counted over the register's households alone (3 < 5)
    it was not said, though the README says every household surveyed both years counts."""
    monkeypatch.chdir(tmp_path)
    east = people({"乡(镇)": "合隆镇", "行政村": "东兴村"}, 740, [10000, 10100, 10200, 60000, 61000])
    db = register_everyone(tmp_path, east)
    said = " ".join(run("screen", survey(tmp_path / "2020调查表.xlsx", east), "--year", "2020", "-o",
                        tmp_path / "out", "--register", db, "--date", "2020-11-20").output.split())
    assert "注意:合隆镇东兴村调查的 5 户,每一户的人均纯收入都与 2019 年度一分不差" in said, said
