"""A village with nobody on its list when the county's 第一次公示 goes out: none of its households a
candidate (青山村), all turned down at 民主评议 (三宝村), all taken off at 入户核实 (新立村). An outside
try: the register printed them no 公示, and the screen's own notice (publicity/, 本村没有…初选对象,
inviting objections) was refused by `register record` as 找不到文书标识, so the villages likeliest to
have a household left out (漏评) had nowhere to record the objection. `register next` now prints them a
第一次公示 saying 本村无, with its 异议处理 sheet; nothing follows it; the screen's notice is named."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, meeting, table_rows
from survey_builders import household, make_id, write_workbook
from test_register import run

# 前岗村 goes through; 青山村's only household is above the limit; 三宝村 and 新立村 have candidates the
# review and the visit take off.
PEOPLE = [("合隆镇", "前岗村", "1组", "王一", 9800), ("合隆镇", "前岗村", "2组", "张三", 10400),
          ("合隆镇", "青山村", "1组", "富贵", 60000),
          ("烧锅镇", "三宝村", "1组", "吴八", 10000), ("烧锅镇", "三宝村", "2组", "郑九", 11000),
          ("烧锅镇", "新立村", "1组", "褚十", 10300)]
TURNED_DOWN = {"吴八": ("不同意", "家中有小轿车"), "郑九": ("不同意", "家中有小轿车")}
NOT_TRUE = {"褚十": ("不属实", "实际外出务工收入较高")}
NOBODY = ("青山村", "三宝村", "新立村")


class County:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "工资性收入": wage,
                             "户主身份证号": make_id(birth=f"196002{10 + i}", serial=200 + i), "主要困难": "因病"})
                for i, (t, v, g, name, wage) in enumerate(PEOPLE)]
        self.survey = write_workbook(tmp / "农安县.xlsx", rows)
        self.db = tmp / "农安县.db"
        run("screen", self.survey, "-o", tmp / "筛查", "--register", self.db, "--date", "2019-11-20",
            "--publicity-start", "2019-11-22")

    def issue(self, date: str, name: str):
        folder = self.tmp / name
        said = run("register", "next", self.db, "--date", date, "-o", folder)
        return said, folder

    def through_verify(self):
        _, folder = self.issue("2019-11-21", "d1")
        for p in sorted(folder.rglob("*.xlsx")):
            fill(p, default=("同意", ""), decisions=_by_name(p, TURNED_DOWN), form=meeting("2019年11月25日"))
        run("register", "record", self.db, folder)
        _, folder = self.issue("2019-11-26", "d2")
        for p in sorted(folder.rglob("*.xlsx")):
            fill(p, default=("属实", ""), decisions=_by_name(p, NOT_TRUE),
                 rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
        run("register", "record", self.db, folder)


def _by_name(path: Path, wanted: dict) -> dict:
    return {int(r["序号"]): wanted[r["户主姓名"]] for r in table_rows(path) if r["户主姓名"] in wanted}


def _texts(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c) for ws in wb.worksheets if ws.sheet_state == "visible"
                     for row in ws.iter_rows(values_only=True) for c in row if c is not None)


@pytest.fixture
def county(tmp_path):
    county = County(tmp_path)
    county.through_verify()
    return county


def test_every_village_with_nobody_listed_gets_a_first_publicity_saying_so(county):
    said, folder = county.issue("2019-12-01", "d3")
    docs = sorted((folder / "3-第一次公示").glob("*.xlsx"))
    assert [p.name for p in docs] == ["合隆镇-前岗村-第一次公示.xlsx", "合隆镇-青山村-第一次公示.xlsx",
                                      "烧锅镇-三宝村-第一次公示.xlsx", "烧锅镇-新立村-第一次公示.xlsx"], docs
    for village in NOBODY:
        doc = next(p for p in docs if village in p.name)
        text = _texts(doc)
        assert "本村没有拟新认定的贫困边缘户(已纳入管理的农户不在本名单之列)" in text and "(无)" in text, text
        assert "认为有符合条件的农户没有列入的,可在公示期间反映" in text, text
        assert "异议处理" in openpyxl.load_workbook(doc).sheetnames
        assert table_rows(doc) == []
        # Its 异议处理 sheet asks for 漏评 alone (not "异议成立的,该户不再列入名单": nobody is listed).
        objections = " ".join(str(v) for row in openpyxl.load_workbook(doc)["异议处理"].iter_rows(values_only=True)
                              for v in row if v)
        assert "本村名单上没有农户" in objections and "该户不再列入名单" not in objections, objections
    assert "本村没有" not in _texts(docs[0]) and len(table_rows(docs[0])) == 2
    listed = " ".join(str(v) for row in openpyxl.load_workbook(docs[0])["异议处理"].iter_rows(values_only=True)
                      for v in row if v)
    assert "异议成立的,该户不再列入名单" in listed, listed


def _village_facts(db: Path, village: str) -> dict:
    con = sqlite3.connect(db)
    rows = con.execute("SELECT step, field, new FROM events WHERE (household IS NULL OR household < 0) "
                       "AND village = ?", (village,)).fetchall()
    con.close()
    return {(step, field): new for step, field, new in rows}


def test_an_omission_objection_there_is_recorded_and_said_and_nothing_follows(county):
    _, folder = county.issue("2019-12-01", "d3")
    qingshan = next((folder / "3-第一次公示").glob("*青山村*"))
    fill(qingshan, objections=[("吴国庆", "家里常年有病人,收入低,应当评上", "成立", "2019-12-05", "名单外")])
    said = " ".join(run("register", "record", county.db, folder).output.split())
    assert "已登记对名单外农户「吴国庆」的异议(漏评,2019-12-05 处理,成立)" in said, said
    assert "请为该户填写入户登记表,在下一次筛查时识别" in said, said
    # A list of nobody is said as one, not as "0 户(其中未通过、移出名单 0 户)已登记".
    assert "第一次公示,合隆镇青山村,名单上没有农户(本村无),已登记" in said and "0 户(其中" not in said, said
    facts = _village_facts(county.db, "青山村")
    assert facts[("publicity1", "omission_head")] == "吴国庆" and facts[("publicity1", "omission_result")] == "upheld"
    assert facts[("publicity1", "date")] == "2019-12-07", facts
    lines = run("register", "status", county.db, "--as-of", "2019-12-10").output.splitlines()
    at = lines.index("公示期间对名单外农户的异议(漏评):")
    assert lines[at + 1].startswith("  吴国庆(合隆镇青山村)— 第一次公示 2019年12月5日 成立"), lines
    assert "请为该户入户登记" in lines[at + 1], lines
    # Nothing is out or overdue for these villages, and the township's review lists 前岗村's alone.
    said, folder = county.issue("2019-12-08", "d4")
    docs = sorted(folder.rglob("*.xlsx"))
    assert [p.name for p in docs] == ["合隆镇-乡镇审核.xlsx"], docs
    assert {r["行政村"] for r in table_rows(docs[0])} == {"前岗村"}
    out = run("register", "status", county.db, "--as-of", "2019-12-20").output
    assert "逾期" not in out, out


def test_the_first_publicity_as_printed_records_no_objection(county):
    _, folder = county.issue("2019-12-01", "d3")
    for p in (folder / "3-第一次公示").glob("*.xlsx"):
        fill(p, form={"张贴日期": "2019-12-01", "张贴地点": "村务公开栏", "张贴人": "李会计"})
    run("register", "record", county.db, folder)
    for village in NOBODY:
        assert _village_facts(county.db, village)[("publicity1", "date")] == "2019-12-07", village
    # Recorded, none is printed again: the township's review is all that is due, of 前岗村.
    _, again = county.issue("2019-12-08", "d4")
    assert [p.relative_to(again).as_posix() for p in again.rglob("*.xlsx")] == ["4-乡镇审核/合隆镇-乡镇审核.xlsx"]


def test_the_screens_own_notice_is_named_for_what_it_is(county):
    notice = county.tmp / "筛查" / "publicity" / "合隆镇-青山村-公示.xlsx"
    assert "本村没有贫困边缘户初选对象" in _texts(notice)
    out = " ".join(run("register", "record", county.db, notice, code=2).output.split())
    assert "找不到文书标识" not in out, out
    assert "是筛查输出的公示表" in out and "edgescreen register next" in out and "3-第一次公示" in out, out
