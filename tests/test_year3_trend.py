"""`register trend` over the years a household was on the register only (outside tester, three income
years): the 图表's township medians took in incomes of years before a household entered and after it
left, so a township whose registered households' incomes rose read as falling, and a year's median
moved when a household entered later. The 各村/各乡镇 share in the band counts the same way, and the
explanation line says which households have no change as the code decides it (entered through the
later year's survey), not "entered after the earlier survey"."""

from __future__ import annotations

from statistics import median

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import enter_everyone, exit_to_publicity, register_everyone, run, survey

PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}


def ids(keys: str, base: int) -> dict:
    return {k: make_id(birth=f"1967{m % 12 + 1:02d}{m:02d}", serial=base + m) for m, k in enumerate(keys, start=1)}


def people(wages: dict, idmap: dict, col: int, extra=lambda k: {}) -> list[dict]:
    return [{**PLACE, "户主姓名": f"户{k}", "户主身份证号": idmap[k], "户编号": f"HB{k}", "工资性收入": w[col], **extra(k)}
            for k, w in wages.items() if w[col] is not None]


def chart_medians(path) -> dict:
    ws = openpyxl.load_workbook(path)["图表"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    years = [int(str(y)[:4]) for y in rows[0][1:] if y]
    return {r[0]: dict(zip(years, r[1:])) for r in rows[1:] if r[0]}


def rows_of(path, sheet: str, header_text: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if header_text in r)
    return [dict(zip(rows[at], r)) for r in rows[at + 1:] if r[rows[at].index(header_text)] is not None]


def test_year_medians_count_a_household_only_from_the_year_it_entered(tmp_path, monkeypatch):
    """户F is above the line in 2019 (5,000 a head) and enters through the 2020 round: the 2019 median
    is of 户A–C only, before and after 户F enters; the 2020 change of 户F is not counted (entered through
    the 2020 survey), and the line says so."""
    monkeypatch.chdir(tmp_path)
    wages = {"A": (10000, 10300), "B": (10300, 10600), "C": (10600, 10900), "F": (15000, 10900)}
    idmap = ids("ABCF", 600)
    db = register_everyone(tmp_path, people(wages, idmap, 0))
    run("screen", survey(tmp_path / "2020.xlsx", people(wages, idmap, 1)), "--year", "2020", "-o",
        tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    before = tmp_path / "收入变化-前.xlsx"
    run("register", "trend", db, "-o", before)
    enter_everyone(tmp_path, db, 2020)  # 户F on the register from 2020-12-27
    after = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", after)

    pc = {k: [round(w / 3, 2) for w in ws] for k, ws in wages.items()}
    expect_2019 = pytest.approx(median(pc[k][0] for k in "ABC"), abs=0.01)
    assert chart_medians(before)["合隆镇"][2019] == expect_2019
    got = chart_medians(after)["合隆镇"]
    assert got[2019] == expect_2019, got  # not moved by 户F's entry, nor its 5,000 before it
    assert got[2020] == pytest.approx(median(pc[k][1] for k in "ABCF"), abs=0.01)
    households = {r["户主姓名"]: r for r in rows_of(after, "各户", "户主姓名")}
    assert households["户F"]["变化(元)"] is None and households["户F"]["2019年"] == pytest.approx(pc["F"][0])
    line = openpyxl.load_workbook(after)["各户"].cell(2, 1).value
    assert "按2020年调查才纳入的不计变化" in line and "调查后才纳入" not in line, line
    for sheet in ("各村", "各乡镇"):
        text = openpyxl.load_workbook(after)[sheet].cell(2, 1).value
        assert "按2020年调查才纳入的不计" in text and "调查后才纳入" not in text, text


def test_year_medians_and_band_share_leave_out_a_household_after_it_left(tmp_path, monkeypatch):
    """户A and 户B leave by the exit procedure of the 2020 round (低保); the 2021 survey finds 户A at
    5,000 a head: neither its 2021 income nor its place above the band is the register's any more."""
    monkeypatch.chdir(tmp_path)
    wages = {"A": (10000, 10300, 15000), "B": (10000, 10600, 11700), "C": (10000, 10150, 10450),
             "D": (10000, 10450, 10600), "E": (10000, 9900, 10500)}
    idmap = ids("ABCDE", 700)
    low = lambda year: (lambda k: {"是否低保户": "是"} if year == 2020 and k in "AB" else {})  # noqa: E731
    db = register_everyone(tmp_path, people(wages, idmap, 0))
    run("screen", survey(tmp_path / "2020.xlsx", people(wages, idmap, 1, low(2020))), "--year", "2020", "-o",
        tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    exit_to_publicity(db, tmp_path, [])  # 户A, 户B leave on 2020-12-06
    run("screen", survey(tmp_path / "2021.xlsx", people(wages, idmap, 2)), "--year", "2021", "-o",
        tmp_path / "out2021", "--register", db, "--date", "2021-11-20")
    path = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", path)

    pc = {k: [round(w / 3, 2) for w in ws] for k, ws in wages.items()}
    got = chart_medians(path)["合隆镇"]
    assert got[2020] == pytest.approx(median(pc[k][1] for k in "ABCDE"), abs=0.01)  # on it in 2020
    assert got[2021] == pytest.approx(median(pc[k][2] for k in "CDE"), abs=0.01), got
    village = rows_of(path, "各村", "行政村")[0]
    assert village["仍在标准内占比"] == pytest.approx(1.0), village  # 户C–E all in the band; 户A left
    households = {r["户主姓名"]: r for r in rows_of(path, "各户", "户主姓名")}
    assert households["户A"]["2021年"] == pytest.approx(pc["A"][2])  # its figure stays in its column
