"""The years after, as an outside try (BH) walked them: a household left out of the 2020 survey, found
仍在本村 (漏调查) by its 未调查户核实, and left out again in 2021, is said as not surveyed two years
running, with what the check found and that its income is still 2019's (changes.xlsx, the screen's
terminal, register status); one left out for the first time in 2021 keeps the first year's words. A
household whose head changed in 2020 (户G → 户G子, same 户编号) and changed back in 2021: register history
says 户主变更 on the year it changed, and changes.xlsx and history say the head come back was the head of
2019."""

from __future__ import annotations

import re

import openpyxl
import pytest

from register_builders import household_table, rows_by_seq
from survey_builders import make_id
from years_builders import register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"1971{m:02d}{m + 10:02d}", serial=600 + m) for m, k in enumerate("AGVW", start=1)}
SON_G = make_id(birth="19960606", serial=694)


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def son_of_g() -> dict:
    return {**person("G", 工资性收入=10500), "户主姓名": "户G子", "户主身份证号": SON_G}


def changes_notes(path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)["变动名单"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if "说明" in r)
    return {r[header.index("户主姓名")]: r[header.index("说明")] for r in rows[rows.index(header) + 1:]
            if r[header.index("户主姓名")]}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: 户A, 户G, 户V, 户W on the register. 2020: 户W not surveyed, its check says 仍在本村 (漏调查,
    需补充调查); 户G's son heads it. 2021: 户W not surveyed again, nor 户V (its first year); 户G heads again."""
    tmp = tmp_path_factory.mktemp("missed_twice")
    db = register_everyone(tmp, [person(k) for k in "AGVW"])
    s2020 = survey(tmp / "2020调查表.xlsx", [person("A", 工资性收入=10500), son_of_g(), person("V", 工资性收入=10500)])
    run("screen", s2020, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp / "docs2020")
    form = next((tmp / "docs2020" / "未调查户核实").glob("*.xlsx"))
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        assert ws.cell(r, cols["户主姓名"]).value == "户W"
        for key, value in {"核实结果": "仍在本村", "情况说明": "漏调查,需补充调查", "核实人": "张乡长",
                           "核实日期": "2020-11-25"}.items():
            ws.cell(r, cols[key]).value = value
    wb.save(form)
    run("register", "record", db, form)
    s2021 = survey(tmp / "2021调查表.xlsx", [person("A", 工资性收入=10600), person("G", 工资性收入=10600)])
    screen = run("screen", s2021, "--year", "2021", "-o", tmp / "out2021", "--register", db, "--date", "2021-11-20")
    return {"tmp": tmp, "db": db, "screen": screen.output}


def test_changes_say_a_household_not_surveyed_two_years_running_and_what_its_check_found(county):
    notes = changes_notes(county["tmp"] / "out2021" / "changes.xlsx")
    w = "".join(notes["户W"].split())
    assert w.startswith("连续2年未调查:2020年核实为漏调查、仍在本村(情况说明:漏调查,需补充调查),补充调查没有做;"
                        "收入仍是2019年的"), w
    assert "请查明是漏报、迁出、分户还是户主去世" not in w, w
    assert "请尽快入户补充调查" in w, w
    # Left out for the first time: the first year's words, nothing of a run.
    v = "".join(notes["户V"].split())
    assert "请查明是漏报、迁出、分户还是户主去世" in v and "连续" not in v, v


def test_the_terminal_counts_those_not_surveyed_two_years_running(county):
    said = "".join(county["screen"].split())
    assert "本年未调查:2户" in said, said
    assert "其中连续两年及以上未调查:1户" in said, said


def test_status_says_the_run_and_the_check_not_find_out_why(county, tmp_path):
    out = run("register", "status", county["db"], "--as-of", "2021-12-31", "-o", tmp_path / "进度.xlsx").output
    lines = ["".join(line.split()) for line in " ".join(out.split("\n      ")).splitlines()]
    w = next(line for line in lines if line.startswith("户W"))
    assert "连续2年未调查:2020年核实为漏调查、仍在本村(情况说明:漏调查,需补充调查),补充调查没有做;收入仍是2019年的" in w, out
    assert "须查明原因" not in w, w
    v = next(line for line in lines if line.startswith("户V"))
    assert "2021年未调查(收入为上次调查数),须查明原因" in v and "连续" not in v, v


def test_history_says_the_head_changed_on_its_year_and_a_head_come_back(county):
    out = run("register", "history", county["db"], "--id", IDS["G"]).output
    # Each round's block: its line, the lines under it, up to the next round's (or the first event's).
    flat = ["".join(block.split()) for block in re.split(r"(?m)^第 \d+ 轮筛查", out.split("\n2019-")[0])[1:]]
    assert len(flat) == 3, out
    assert "户主变更" not in flat[0], flat
    assert "户主变更:户G→户G子" in flat[1], flat
    assert "户主变更:户G子→户G(户G是2019年登记的户主)" in flat[2], flat


def test_changes_say_the_head_come_back_was_the_head_of_2019(county):
    notes = changes_notes(county["tmp"] / "out2021" / "changes.xlsx")
    g = "".join(notes["户G"].split())
    assert g.startswith("户主变更:原户主户G子(") and "户G是2019年登记的户主(户主换回)" in g, g
    # A first change of head says nothing of an earlier head.
    first = "".join(changes_notes(county["tmp"] / "out2020" / "changes.xlsx")["户G子"].split())
    assert first.startswith("户主变更:原户主户G(") and "登记的户主" not in first, first
