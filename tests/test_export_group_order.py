"""The 花名册 of `register export` as a village clerk reads it on paper. Within a village its households
came in the meeting's order (lowest per-capita first): a clerk looking for one under its 村民小组 had
to read the whole village. Now each village's rows are by 村民小组 in the order of their numbers
(一组, 01组, 二组, 3社, 第十一村民小组, 十二组: not by characters, which put 十二组 before 二组),
households without a group last, within a group in the survey's order; the villages as before.

And `register export --as-of` a day between a household's exit (退出) and its entering again in a
later round: the registry kept only its latest entry, not yet made on that day, so the household was
neither on the 花名册 nor on the 已退出 sheet. On that day it had left: it is on 已退出, with the day."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, meeting
from survey_builders import make_id
from years_builders import enter_everyone, register_everyone, run, survey

from edgescreen.register import db as regdb
from edgescreen.register.registry import on_register


def _roster(path: Path) -> list[tuple]:
    """The 花名册's lines below its header: a place's line as (its text up to its notes,), a household's
    (村民小组, 户主)."""
    ws = openpyxl.load_workbook(path)["花名册"]
    out = []
    for row in list(ws.iter_rows(values_only=True))[3:]:
        if isinstance(row[0], int):
            out.append((row[1] or "", row[2]))
        elif row[0] and not str(row[0]).startswith("填报单位") and not str(row[0]).endswith("(接上页)"):
            out.append(("".join(str(row[0]).split()).split(",")[0],))
    return out


def _said(result) -> str:
    return "".join(result.output.split())


# (township, village, 村民小组, head, wage): in the survey's order. The wages make the meeting's order
# (lowest per-capita first) another one.
GROUPED = [("烧锅镇", "三宝村", "二组", "户壹", 10000), ("烧锅镇", "三宝村", "一组", "户贰", 11800),
           ("合隆镇", "前岗村", "十二组", "户甲", 10000), ("合隆镇", "前岗村", "二组", "户乙", 11500),
           ("合隆镇", "前岗村", "", "户丙", 10100), ("合隆镇", "前岗村", "一组", "户丁", 11800),
           ("合隆镇", "前岗村", "3社", "户戊", 10200), ("合隆镇", "前岗村", "二组", "户己", 10300),
           ("合隆镇", "前岗村", "01组", "户庚", 10400), ("合隆镇", "前岗村", "第十一村民小组", "户辛", 10500)]


def test_each_villages_households_are_by_group_in_the_order_of_its_number(tmp_path, monkeypatch):
    people = [{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "工资性收入": wage,
               "户主身份证号": make_id(birth=f"1970{i % 12 + 1:02d}{i + 10:02d}", serial=600 + i)}
              for i, (t, v, g, name, wage) in enumerate(GROUPED)]
    db = register_everyone(tmp_path, people)
    monkeypatch.chdir(tmp_path)
    said = _said(run("register", "export", db, "-o", tmp_path / "花名册.xlsx"))
    assert "花名册:10户" in said, said
    assert _roster(tmp_path / "花名册.xlsx") == [
        ("烧锅镇(共2户)",), ("三宝村(2户)",), ("一组", "户贰"), ("二组", "户壹"),
        ("合隆镇(共8户)",), ("前岗村(8户)",),
        ("一组", "户丁"), ("01组", "户庚"),  # the same number: as the survey first has each
        ("二组", "户乙"), ("二组", "户己"),  # one group: the survey's order, not the per-capita
        ("3社", "户戊"), ("第十一村民小组", "户辛"), ("十二组", "户甲"),
        ("", "户丙")]  # without a group: last
    # The 认定环节 sheet lists them in the same order, numbered alike.
    ws = openpyxl.load_workbook(tmp_path / "花名册.xlsx")["认定环节"]
    heads = [row[3] for row in ws.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert heads == ["户贰", "户壹", "户丁", "户庚", "户乙", "户己", "户戊", "户辛", "户甲", "户丙"], heads


# ---------------------------------------------------------------------------------------------
# --as-of between an exit and the household's entering again

IDS = {k: make_id(birth=f"1966{m:02d}{m + 10:02d}", serial=640 + m) for m, k in enumerate("AB", start=1)}


def person(key: str, **over) -> dict:
    return {"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": f"户{key}", "户主身份证号": IDS[key],
            "户编号": f"HB{key}", **over}


def _exit_everyone(db: Path, tmp: Path) -> None:
    """The village's exit, all yes (as test_export_exited's): off the register from 2020-12-06."""
    for date, folder, step in (("2020-11-23", "退出1-民主评议", "review"), ("2020-11-26", "退出2-入户核实", "verify"),
                               ("2020-11-30", "退出3-公示", "publicity")):
        run("register", "next", db, "--date", date, "-o", tmp / f"exit-{step}")
        docs = sorted((tmp / f"exit-{step}" / folder).glob("*.xlsx"))
        assert len(docs) == 1, docs
        if step == "review":
            fill(docs[0], default=("同意", ""), form=meeting("2020-11-25"))
        elif step == "verify":
            fill(docs[0], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
        else:
            fill(docs[0], objections=[])
        run("register", "record", db, *docs)


@pytest.fixture(scope="module")
def came_back(tmp_path_factory):
    """2019: 户A and 户B enter (2019-12-27). 2020: 户A is 低保 (转入兜底保障): it leaves on 2020-12-06.
    2021 (surveyed 2021-11-20): 户A, back in the band, enters again on 2021-12-27."""
    tmp = tmp_path_factory.mktemp("came-back")
    db = register_everyone(tmp, [person("A"), person("B")])
    run("screen", survey(tmp / "2020.xlsx", [person("A", 是否低保户="是"), person("B")]), "--year", "2020",
        "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    _exit_everyone(db, tmp)
    run("screen", survey(tmp / "2021.xlsx", [person("A"), person("B")]), "--year", "2021", "-o", tmp / "out2021",
        "--register", db, "--date", "2021-11-20")
    enter_everyone(tmp, db, year=2021)
    return db


@pytest.fixture
def db(came_back, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(came_back, tmp_path / "农安县.db")
    return "农安县.db"


def _heads(path: Path, sheet: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    column = 4 if sheet == "已退出" else 2
    return [row[column] for row in ws.iter_rows(values_only=True) if isinstance(row[0], int)]


def test_as_of_a_day_between_its_exit_and_its_return_it_is_among_those_who_left(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "月初.xlsx", "--as-of", "2021-12-01"))
    assert "花名册:1户" in said, said
    assert _heads(tmp_path / "月初.xlsx", "花名册") == ["户B"]
    book = openpyxl.load_workbook(tmp_path / "月初.xlsx")
    assert "已退出" in book.sheetnames, book.sheetnames
    rows = [[c for c in row if c is not None] for row in book["已退出"].iter_rows(values_only=True) if any(row)]
    assert rows[0] == ["农安县按退出程序退出的农户(截至2021年12月1日,共 1 户)"], rows[0]
    assert rows[2][4] == "户A" and rows[2][6] == 2020 and rows[2][-1] == "2020年12月6日", rows[2]
    assert "另有 1 户已按退出程序退出" in book["花名册"]["A2"].value, book["花名册"]["A2"].value


def test_as_of_a_day_after_its_return_it_is_on_the_roster_again(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "年底.xlsx", "--as-of", "2021-12-31"))
    assert "花名册:2户" in said, said
    assert sorted(_heads(tmp_path / "年底.xlsx", "花名册")) == ["户A", "户B"]
    assert "已退出" not in openpyxl.load_workbook(tmp_path / "年底.xlsx").sheetnames


def test_the_register_as_of_each_day_has_it_on_before_its_exit_off_between_and_on_after(db):
    on = {}
    with regdb.open_register(db, upgrade=False) as reg:
        heads = dict(reg.conn.execute("SELECT household, head_name FROM screened"))
        for day in ("2020-06-30", "2021-06-30", "2021-12-31"):
            on[day] = sorted(heads[h] for h in on_register(reg, as_of=dt.date.fromisoformat(day))["household"])
    assert on == {"2020-06-30": ["户A", "户B"], "2021-06-30": ["户B"], "2021-12-31": ["户A", "户B"]}, on
