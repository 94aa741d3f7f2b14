"""An empty 花名册 (from an outside try of rare county shapes). Once every registered household had
left (the 2020 exit, found gone), `register export` said 还没有在册农户…公告期满并登记了公告之后,农户才在册,
as of a register nobody had entered, and its 花名册 was a bare header above the signature line. A
township the register surveyed with nobody on it (烧锅镇: its one household turned down) was refused
(登记簿里没有「烧锅镇」的在册农户), though 逐级建档 files its 花名册 with 0 households, and a script looping
over the townships stopped there. Now: an empty 花名册 of the place with a (无) row, and the terminal says
how many were on it and how they left, and where they are listed; a place never surveyed is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq
from survey_builders import make_id
from years_builders import enter_everyone, run, runner, survey
from edgescreen.cli import app

IDS = {k: make_id(birth=f"1971{m:02d}{m + 10:02d}", serial=770 + m) for m, k in enumerate("ABC", start=1)}
PLACES = {"A": ("合隆镇", "前岗村"), "B": ("合隆镇", "前岗村"), "C": ("烧锅镇", "三宝村")}


def person(key: str, **over) -> dict:
    township, village = PLACES[key]
    return {"乡(镇)": township, "行政村": village, "户主姓名": f"户{key}", "户主身份证号": IDS[key],
            "户编号": f"HB{key}", **over}


def _said(result) -> str:
    return "".join(result.output.split())


def _cells(path: Path, sheet: int | str = 0) -> list[list]:
    book = openpyxl.load_workbook(path)
    ws = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet]
    return [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True) if any(row)]


def _gone_form(path: Path) -> None:
    """户B 户已不存在 on the village's 未调查户核实表, as a clerk fills it."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        if ws.cell(r, cols["户主姓名"]).value == "户B":
            for text, value in {"核实结果": "户已不存在", "情况说明": "整户迁出", "核实人": "张乡长",
                                "核实日期": "2020-11-25"}.items():
                ws.cell(r, cols[text]).value = value
    wb.save(path)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: 户A and 户B (合隆镇前岗村) enter the register; 户C (烧锅镇三宝村) is turned down at its
    民主评议. What export says then is kept. 2020: 户A is 低保 and exits (退出公示 2020-11-30 to
    2020-12-06), 户B is not surveyed and found gone (户已不存在, 2020-11-25): nobody is left."""
    tmp = tmp_path_factory.mktemp("export-empty")
    db = tmp / "农安县.db"
    run("screen", survey(tmp / "2019.xlsx", [person(k) for k in "ABC"]), "-o", tmp / "out2019", "--register", db,
        "--date", "2019-11-20")
    said = {"nobody_yet": run("register", "export", db, "-o", tmp / "nobody.xlsx")}
    enter_everyone(tmp, db, turned_down={"户C": ("家中有车", "2019-11-25")})
    # Whatever it ends with: the test reads it (before, refused with 2).
    said["year_one"] = runner.invoke(app, ["register", "export", str(db), "-o", str(tmp / "烧锅镇2019.xlsx"),
                                           "--township", "烧锅镇"], env={"COLUMNS": "400"})
    run("screen", survey(tmp / "2020.xlsx", [person("A", 是否低保户="是")]), "--year", "2020", "-o", tmp / "out2020",
        "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp / "exit-1")
    review = sorted((tmp / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    gone_forms = sorted((tmp / "exit-1" / "未调查户核实").glob("*.xlsx"))
    assert len(review) == 1 and len(gone_forms) == 1, (review, gone_forms)
    fill(review[0], default=("同意", ""), form=meeting("2020-11-25"))
    _gone_form(gone_forms[0])
    run("register", "record", db, review[0], gone_forms[0])
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp / "exit-2")
    verify = sorted((tmp / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    fill(verify[0], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    run("register", "record", db, verify[0])
    run("register", "next", db, "--date", "2020-11-30", "-o", tmp / "exit-3")
    notice = sorted((tmp / "exit-3" / "退出3-公示").glob("*.xlsx"))[0]
    fill(notice, objections=[])
    run("register", "record", db, notice)
    return {"tmp": tmp, "db": db, "said": said}


@pytest.fixture
def db(county, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # named as a clerk types it, in the folder it is in
    shutil.copy(county["db"], tmp_path / "农安县.db")
    return "农安县.db"


def test_a_register_everyone_left_says_how_many_were_and_where_they_are(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "花名册2020.xlsx"))
    assert "花名册:0户" in said, said
    assert "还没有在册农户" not in said and "公告期满并登记了公告之后" not in said, said
    assert "现在没有在册农户" in said and "曾在册的2户都已不在册" in said, said
    assert "其中1户办完退出程序已退出" in said and "edgescreenregisterstatus农安县.db" in said, said
    assert "edgescreenregisterhistory农安县.db--id" in said, said
    assert "其中1户经核实户已不存在、已销户,列在这份花名册的「已销户」表" in said, said
    roster = _cells(tmp_path / "花名册2020.xlsx")
    assert roster[1][0].startswith("共 0 户 0 人") and "另有 1 户经核实户已不存在" in roster[1][0], roster[1]
    assert "另有 1 户已按退出程序退出,不列入花名册" in roster[1][0], roster[1]
    assert roster[2][0] == "序号" and roster[3] == ["(无)"] and roster[4][0].startswith("填报单位(盖章)"), roster
    gone = _cells(tmp_path / "花名册2020.xlsx", "已销户")
    assert [r[4] for r in gone[2:]] == ["户B"], gone


def test_an_empty_roster_of_a_day_says_as_of_it(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "x.xlsx", "--as-of", "2020-12-20"))
    assert "截至2020年12月20日没有在册农户" in said and "曾在册的2户都已不在册" in said, said
    # On 2020-12-01 户A was still on it (its 退出公示 not over): a roster of one, nothing to explain.
    said = _said(run("register", "export", db, "-o", tmp_path / "y.xlsx", "--as-of", "2020-12-01"))
    assert "花名册:1户" in said and "没有在册农户" not in said, said


def test_a_township_everyone_left_gets_its_empty_roster(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "合隆镇.xlsx", "--township", "合隆镇"))
    assert "「合隆镇」现在没有在册农户" in said and "曾在册的2户都已不在册" in said, said
    roster = _cells(tmp_path / "合隆镇.xlsx")
    assert roster[0][0].startswith("农安县合隆镇") and roster[1][0].startswith("共 0 户") and roster[3] == ["(无)"], roster
    said = _said(run("register", "export", db, "-o", tmp_path / "前岗村.xlsx", "--township", "合隆镇", "--village", "前岗村"))
    assert "「合隆镇前岗村」现在没有在册农户" in said, said


def test_a_surveyed_township_with_nobody_on_it_gets_its_empty_roster(county, db, tmp_path):
    # Year one, 合隆镇's households on the register and 烧锅镇's turned down: its roster, empty, not refused.
    assert county["said"]["year_one"].exit_code == 0, county["said"]["year_one"].output
    year_one = _said(county["said"]["year_one"])
    assert "花名册:0户" in year_one and "「烧锅镇」没有在册农户" in year_one and "还没有在册过" in year_one, year_one
    roster = _cells(county["tmp"] / "烧锅镇2019.xlsx")
    assert roster[0][0].startswith("农安县烧锅镇") and roster[1][0].startswith("共 0 户") and roster[3] == ["(无)"], roster
    # Year two: the same, and none of 合隆镇's who left is counted for it.
    said = _said(run("register", "export", db, "-o", tmp_path / "烧锅镇.xlsx", "--township", "烧锅镇",
                     "--village", "三宝村"))
    assert "「烧锅镇三宝村」没有在册农户" in said and "曾在册" not in said, said
    assert _cells(tmp_path / "烧锅镇.xlsx")[3] == ["(无)"]


def test_a_place_never_surveyed_is_still_refused_naming_those_there_are(db, tmp_path):
    said = _said(run("register", "export", db, "-o", tmp_path / "x.xlsx", "--township", "万顺乡", code=2))
    assert "没有「万顺乡」的在册农户" in said and "合隆镇、烧锅镇" in said, said
    said = _said(run("register", "export", db, "-o", tmp_path / "x.xlsx", "--township", "烧锅镇", "--village", "前岗村",
                     code=2))
    assert "三宝村" in said and "前岗村、" not in said, said
    assert not (tmp_path / "x.xlsx").exists()


def test_a_register_nobody_has_entered_yet_still_says_so(county):
    said = _said(county["said"]["nobody_yet"])
    assert "还没有在册农户" in said and "公告期满并登记了公告之后" in said and "曾在册" not in said, said
    assert _cells(county["tmp"] / "nobody.xlsx")[3] == ["(无)"]
