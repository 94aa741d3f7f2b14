"""`register trend` counts a household's change only over years it was on the register (tester: the 6
households that left on 2020-12-17 got a 2020→2021 change, and it fed the village medians: 前进村
showed 两年均有数据 12 with only 10 households on the register).

A small county built here: everyone of 2019 on the register from 2019-12-27; in 2020 户A and 户B are
now 低保 and leave by the exit procedure on 2020-12-06 (its publicity's last day); the 2021 survey
still finds them. On the register in 2020 (the survey that proposed their exit found them on it),
not in 2021: a 2019→2020 change, none from 2020 to 2021."""

from __future__ import annotations

from statistics import median

import pytest

from survey_builders import make_id
from years_builders import exit_to_publicity, register_everyone, run, survey

PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"1966{m % 12 + 1:02d}{m:02d}", serial=700 + m) for m, k in enumerate("ABCDE", start=1)}
# Wage each year (3 residents): 10,000 → 3,333.33 in 2019. From 2020 to 2021 户A and 户B gain +366.67,
# the others +100, +50, +200: the median change is +100 of those on the register, +200 of all five.
WAGES = {"A": (10000, 10300, 11400), "B": (10000, 10600, 11700),
         "C": (10000, 10150, 10450), "D": (10000, 10450, 10600), "E": (10000, 9900, 10500)}


def people(year: int) -> list[dict]:
    col = year - 2019
    return [{**PLACE, "户主姓名": f"户{k}", "户主身份证号": IDS[k], "户编号": f"HB{k}", "工资性收入": wages[col],
             # 2020: 户A, 户B are 低保 (转入兜底保障: they leave by the exit procedure)
             **({"是否低保户": "是"} if year == 2020 and k in "AB" else {})} for k, wages in WAGES.items()]


def rows_of(path, sheet: str, header_text: str) -> list[dict]:
    import openpyxl

    ws = openpyxl.load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if header_text in r)
    return [dict(zip(rows[at], r)) for r in rows[at + 1:] if r[rows[at].index(header_text)] is not None]


def per_capita(k: str, year: int) -> float:
    return round(WAGES[k][year - 2019] / 3, 2)


def test_households_that_left_have_no_change_after_they_left_nor_in_the_medians(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, people(2019))
    run("screen", survey(tmp_path / "2020.xlsx", people(2020)), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    exit_to_publicity(db, tmp_path, [])  # 户A, 户B leave on 2020-12-06

    # 2019→2020: all five were on the register in both years (户A and 户B until after the 2020 survey).
    trend = tmp_path / "收入变化-2020.xlsx"
    run("register", "trend", db, "-o", trend)
    households = {r["户主姓名"]: r for r in rows_of(trend, "各户", "户主姓名")}
    assert households["户A"]["状态"] == "已退出(2020-12-06)"
    assert households["户A"]["变化(元)"] == pytest.approx(per_capita("A", 2020) - per_capita("A", 2019))
    assert rows_of(trend, "各村", "行政村")[0]["两年均有数据"] == 5

    run("screen", survey(tmp_path / "2021.xlsx", people(2021)), "--year", "2021", "-o", tmp_path / "out2021",
        "--register", db, "--date", "2021-11-20")
    trend = tmp_path / "收入变化-2021.xlsx"
    run("register", "trend", db, "-o", trend)
    households = {r["户主姓名"]: r for r in rows_of(trend, "各户", "户主姓名")}
    on = "CDE"
    for k in "AB":  # their incomes stay in the year columns; no change of a year off the register
        row = households[f"户{k}"]
        assert row["状态"] == "已退出(2020-12-06)"
        assert row["2021年"] == pytest.approx(per_capita(k, 2021))
        assert row["变化(元)"] is None and row["变化率"] is None, row
    changes = {k: per_capita(k, 2021) - per_capita(k, 2020) for k in on}
    for k in on:
        assert households[f"户{k}"]["变化(元)"] == pytest.approx(changes[k])
    # The village and the county: of the three on the register both years only.
    village = rows_of(trend, "各村", "行政村")[0]
    assert (village["户数"], village["其中在册"], village["两年均有数据"]) == (5, 3, 3), village
    assert village["变化中位数(元)"] == pytest.approx(median(changes.values()))
    assert village["增收户占比"] == pytest.approx(sum(c > 0 for c in changes.values()) / 3)
    county = {r["乡(镇)"]: r for r in rows_of(trend, "各乡镇", "乡(镇)")}["合计"]
    assert (county["两年均有数据"], county["变化中位数(元)"]) == (3, pytest.approx(median(changes.values())))
    assert median(changes.values()) == pytest.approx(100)
    # report.html of the 2021 screen: the township's median change is theirs too (its 5 households
    # are every one that entered, those that left included).
    html = (tmp_path / "out2021" / "report.html").read_text(encoding="utf-8")
    section = html[html.index('<section id="trend">'):]
    section = section[:section.index("</section>")]
    front = section[section.index("<td>合隆镇</td>"):]
    cells = [c.split(">")[-1] for c in front[:front.index("</tr>")].split("</td>")[1:7]]
    assert cells[3:5] == ["5", "100.00"], cells
