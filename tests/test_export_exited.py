"""The 花名册's 已退出 sheet. A county files who left the register each year (动态管理): before, the
households that left by the exit procedure (退出民主评议 → 退出入户核实 → 退出公示) were on no sheet of
`register export`: its line said 另有 N 户已按退出程序退出,不列入花名册, and the clerk looked each one up
with `register history --id`. Now a 已退出 sheet lists them as 已销户 lists the found-gone: place, head,
masked ID, the year of the survey that found it (and why it left: the bound reached, or 转入兜底保障),
the exit's steps' days and the day it left; in the survey's village order; titled for the copy's place
and its --as-of day; absent while nobody has left so. One that came back is on the 花名册, not here."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, meeting
from survey_builders import make_id
from years_builders import MeasureForm, enter_everyone, run, survey

IDS = {k: make_id(birth=f"1968{m:02d}{m + 12:02d}", serial=530 + m) for m, k in enumerate("CABD", start=1)}
# 烧锅镇 first in the survey: the sheet follows it, not the characters' order (合 before 烧).
PLACES = {"C": ("烧锅镇", "三宝村"), "A": ("合隆镇", "前岗村"), "B": ("合隆镇", "前岗村"), "D": ("合隆镇", "前岗村")}
HEADER = ["序号", "乡(镇)", "行政村", "村民小组", "户主姓名", "身份证号", "调查年度", "退出原因", "退出民主评议",
          "退出入户核实", "退出公示", "退出日期"]


def person(key: str, **over) -> dict:
    township, village = PLACES[key]
    return {"乡(镇)": township, "行政村": village, "户主姓名": f"户{key}", "户主身份证号": IDS[key],
            "户编号": f"HB{key}", **over}


def _exit_everyone(db: Path, tmp: Path) -> None:
    """Every village's exit, all yes: 民主评议 2020-11-25, 入户核实 2020-11-27, 退出公示 2020-11-30 to
    2020-12-06 with no objection: off the register from 2020-12-06."""
    for date, folder, step in (("2020-11-23", "退出1-民主评议", "review"), ("2020-11-26", "退出2-入户核实", "verify"),
                               ("2020-11-30", "退出3-公示", "publicity")):
        run("register", "next", db, "--date", date, "-o", tmp / f"exit-{step}")
        docs = sorted((tmp / f"exit-{step}" / folder).glob("*.xlsx"))
        assert len(docs) == 2, docs  # 烧锅镇三宝村's and 合隆镇前岗村's
        for doc in docs:
            if step == "review":
                fill(doc, default=("同意", ""), form=meeting("2020-11-25"))
            elif step == "verify":
                fill(doc, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
            else:
                fill(doc, objections=[])
        run("register", "record", db, *docs)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: 户C (烧锅镇三宝村), 户A, 户B, 户D (合隆镇前岗村) enter the register (2019-12-27); 户D gets a
    measure. 2020: 户A is 低保 and 户C 特困 (转入兜底保障), 户D's income reaches the bound: the three leave
    on 2020-12-06; 户B stays. The register then is kept; 2021: 户A, back in the band, enters again."""
    tmp = tmp_path_factory.mktemp("export-exited")
    db = tmp / "农安县.db"
    run("screen", survey(tmp / "2019.xlsx", [person(k) for k in "CABD"]), "-o", tmp / "out2019", "--register", db,
        "--date", "2019-11-20")
    enter_everyone(tmp, db)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp / "forms")
    for path in sorted((tmp / "forms").glob("*.xlsx")):
        form = MeasureForm(path)
        if form.rows_of("户D"):
            form.add("户D", 帮扶类型="产业扶持", 帮扶内容="庭院经济", 开始日期="2020-03-01", 帮扶责任人="王干部")
            form.save()
            run("register", "record", db, path)
    run("screen", survey(tmp / "2020.xlsx", [person("C", 是否特困人员="是"), person("A", 是否低保户="是"), person("B"),
                                             person("D", 工资性收入=15000)]),
        "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    _exit_everyone(db, tmp)
    year_two = tmp / "2020.db"
    shutil.copy(db, year_two)
    run("screen", survey(tmp / "2021.xlsx", [person("A"), person("B")]), "--year", "2021", "-o", tmp / "out2021",
        "--register", db, "--date", "2021-11-20")
    enter_everyone(tmp, db, year=2021)
    return {"2020": year_two, "2021": db}


@pytest.fixture
def db(county, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # named as a clerk types it, in the folder it is in
    shutil.copy(county["2020"], tmp_path / "农安县.db")
    return "农安县.db"


def _sheet(path: Path, name: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[name]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True) if any(row)]


def _said(result) -> str:
    return "".join(result.output.split())


def test_the_roster_lists_who_left_by_the_exit_procedure_in_the_surveys_village_order(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "花名册.xlsx"))
    assert "花名册:1户" in said, said
    book = openpyxl.load_workbook(tmp_path / "花名册.xlsx")
    assert "已退出" in book.sheetnames and "已销户" not in book.sheetnames, book.sheetnames
    assert "不列入花名册(见「已退出」表)" in _sheet(tmp_path / "花名册.xlsx", "花名册")[1][0]
    rows = _sheet(tmp_path / "花名册.xlsx", "已退出")
    assert rows[0] == ["农安县按退出程序退出的农户(共 3 户)"], rows[0]
    assert rows[1] == HEADER, rows[1]
    masked = {k: IDS[k][:6] + "********" + IDS[k][-4:] for k in IDS}
    period = ["2020-11-25", "2020-11-27", "2020-11-30至2020-12-06", "2020年12月6日"]
    assert rows[2:] == [
        [1, "烧锅镇", "三宝村", "一组", "户C", masked["C"], 2020, "转入兜底保障:已纳入特困供养", *period],
        [2, "合隆镇", "前岗村", "一组", "户A", masked["A"], 2020, "转入兜底保障:已纳入低保", *period],
        [3, "合隆镇", "前岗村", "一组", "户D", masked["D"], 2020, "收入达到退出标准", *period]], rows[2:]
    # Printed as 已销户 is: landscape, its header on every page, its title heading each.
    ws = book["已退出"]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$2:$2", ws.print_title_rows
    assert "按退出程序退出的农户" in (ws.oddHeader.center.text or ""), ws.oddHeader.center.text


def test_a_townships_and_a_villages_copy_list_their_own_and_say_whose(db, tmp_path):
    run("register", "export", db, "-o", tmp_path / "合隆镇.xlsx", "--township", "合隆镇")
    rows = _sheet(tmp_path / "合隆镇.xlsx", "已退出")
    assert rows[0] == ["农安县合隆镇按退出程序退出的农户(共 2 户)"], rows[0]
    assert [r[4] for r in rows[2:]] == ["户A", "户D"], rows
    run("register", "export", db, "-o", tmp_path / "三宝村.xlsx", "--township", "烧锅镇", "--village", "三宝村",
        "--no-mask")
    rows = _sheet(tmp_path / "三宝村.xlsx", "已退出")
    assert rows[0] == ["农安县烧锅镇三宝村按退出程序退出的农户(共 1 户)"], rows[0]
    assert rows[2][4:6] == ["户C", IDS["C"]], rows[2]  # the office's own copy: the whole ID


def test_as_of_a_day_the_sheet_says_it_and_lists_who_had_left_by_then(db, tmp_path):
    run("register", "export", db, "-o", tmp_path / "年底.xlsx", "--as-of", "2020-12-31")
    rows = _sheet(tmp_path / "年底.xlsx", "已退出")
    assert rows[0] == ["农安县按退出程序退出的农户(截至2020年12月31日,共 3 户)"], rows[0]
    # On 2020-12-01 their 退出公示 was not over: on the 花名册, and nobody had left: no 已退出 sheet.
    said = _said(run("register", "export", db, "-o", tmp_path / "月初.xlsx", "--as-of", "2020-12-01"))
    assert "花名册:4户" in said, said
    assert "已退出" not in openpyxl.load_workbook(tmp_path / "月初.xlsx").sheetnames


def test_one_that_came_back_is_on_the_roster_not_among_those_who_left(county, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(county["2021"], tmp_path / "农安县.db")
    run("register", "export", "农安县.db", "-o", tmp_path / "花名册2021.xlsx")
    roster = [r[2] for r in _sheet(tmp_path / "花名册2021.xlsx", "花名册") if isinstance(r[0], int)]
    assert roster == ["户A", "户B"], roster  # 户A as it entered again (2021-12-27)
    rows = _sheet(tmp_path / "花名册2021.xlsx", "已退出")
    assert rows[0] == ["农安县按退出程序退出的农户(共 2 户)"] and [r[4] for r in rows[2:]] == ["户C", "户D"], rows
    assert "另有 2 户已按退出程序退出" in _sheet(tmp_path / "花名册2021.xlsx", "花名册")[1][0]


def test_in_english_the_sheet_is_named_and_titled_through_the_catalogue(db, tmp_path):
    run("register", "export", db, "-o", tmp_path / "roster.xlsx", "--lang", "en")
    rows = _sheet(tmp_path / "roster.xlsx", "left")
    assert rows[0] == ["农安县: households that left by the exit procedure (3)"], rows[0]
    assert rows[1][7] == "why it left" and rows[3][7] == "now in a safety net: now receives 低保", rows[3]
