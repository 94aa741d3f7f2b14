"""A household the exit procedure kept (2020: its income at the upper bound, the village's 退出民主评议
不同意, 继续帮扶) whose 2021 survey missed it (本年未调查, its income carried from 2020): `register status`
and the 花名册 read "2020年人均纯收入已达到收入上限,尚未退出(是否满足退出条件见 changes.xlsx)", as if its
exit had never been held (the kept word was looked up in the latest round's exit procedure only). They
say both: kept by 2020's exit procedure, and not surveyed in 2021 (income as last surveyed)."""

from __future__ import annotations

import test_years
from register_builders import fill, meeting
from test_years import IDS, PEOPLE_2020, copy_db, person, sheet_rows
from years_builders import run, survey

# test_years' small county as a fixture here: 前岗村 and 后岗村 registered in 2019, screened again in 2020.
county = test_years.county

KEPT = "2020年人均纯收入已达到收入上限,经退出程序保留(退出民主评议:不同意)"
NOT_SURVEYED = "2021年未调查(收入为上次调查数),须查明原因"
NOT_LEFT = "尚未退出(是否满足退出条件见 changes.xlsx)"


def _kept_in_2020(county, tmp_path, people_2021: list[dict]):
    """2020's exit review of 前岗村 (2020-11-25) says 不同意 to 户B (above the bound, proposed to leave):
    kept; 户J (now 低保) goes on through its visit and publicity and leaves. Then the 2021 survey of
    `people_2021`, screened on 2021-11-20."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))[0]
    seq = {r["户主姓名"]: r["序号"] for r in sheet_rows(review, "退出评议名单")}
    fill(review, decisions={seq["户B"]: ("不同意", "儿子刚失业,收入不稳")}, default=("同意", ""),
         form=meeting("2020-11-25"))
    run("register", "record", db, review)
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    verify = sorted((tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))[0]
    fill(verify, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    run("register", "record", db, verify)
    run("register", "next", db, "--date", "2020-11-30", "-o", tmp_path / "exit-3")
    run("register", "record", db, *sorted((tmp_path / "exit-3" / "退出3-公示").glob("*.xlsx")))
    run("screen", survey(tmp_path / "2021调查表.xlsx", people_2021), "--year", "2021", "-o", tmp_path / "out2021",
        "--register", db, "--date", "2021-11-20")
    return db


def _status_line(db, name: str, *extra) -> str:
    said = run("register", "status", db, "--as-of", "2021-11-22", *extra).output
    return next(line.strip() for line in said.splitlines() if line.strip().startswith(name + " "))


def _roster_gap(db, tmp_path, name: str) -> str:
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    return {r["户主姓名"]: r for r in sheet_rows(export, "花名册")}[name]["帮扶缺口"]


def test_kept_in_2020_and_not_surveyed_in_2021_says_both(county, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = _kept_in_2020(county, tmp_path, [p for p in PEOPLE_2020 if p["户主姓名"] not in ("户B", "户J")])
    # status and the 花名册 alike: the village's decision of 2020, then the survey 2021 missed.
    line = _status_line(db, "户B")
    assert line.endswith(f":{KEPT};{NOT_SURVEYED}"), line
    assert NOT_LEFT not in line, line
    gap = _roster_gap(db, tmp_path, "户B")
    assert gap == f"{KEPT};{NOT_SURVEYED}", gap
    # In English too.
    line = _status_line(db, "户B", "--lang", "en")
    assert "per-capita income of 2020 at the upper bound, kept on the register by the exit procedure" in line, line
    assert "not surveyed in 2021 (income as last surveyed)" in line and "not left" not in line, line
    # 户C, above the bound in 2021 with no exit of his held, reads as before.
    assert _status_line(db, "户C").endswith(f"2021年人均纯收入已达到收入上限,{NOT_LEFT};"
                                           "纳入超过 30 天仍无帮扶措施(纳入于 2019-12-27,已 696 天,已满 1 年)")
    # register history tells the same story in order: above the bound in 2020, kept at the exit
    # review, not surveyed in 2021.
    history = run("register", "history", db, "--id", IDS["B"]).output
    lines = [line.strip() for line in history.splitlines()]
    screened_2020 = next(i for i, t in enumerate(lines) if t.startswith("第 2 轮筛查(2020年度") and "达到收入上限" in t)
    missed_2021 = next(i for i, t in enumerate(lines) if t.startswith("第 3 轮筛查(2021年度") and "本年未调查" in t)
    kept = next(i for i, t in enumerate(lines) if t == "2020-11-25  退出民主评议 · 评议结果:不同意")
    assert screened_2020 < missed_2021 < kept, history


def test_kept_in_2020_and_above_the_bound_again_in_2021_is_not_left_yet(county, tmp_path, monkeypatch):
    """Surveyed again in 2021, above the bound: 2021's exit procedure, not yet held, judges it; the
    village's word of 2020 is not carried over to it."""
    monkeypatch.chdir(tmp_path)
    again = [person("B", 主要困难="缺技术", 工资性收入=13800) if p["户主姓名"] == "户B" else p
             for p in PEOPLE_2020 if p["户主姓名"] != "户J"]
    db = _kept_in_2020(county, tmp_path, again)
    assert _roster_gap(db, tmp_path, "户B") == f"2021年人均纯收入已达到收入上限,{NOT_LEFT}"
