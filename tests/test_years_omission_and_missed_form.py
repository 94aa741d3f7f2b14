"""The years after, as outside tries walked them. BG: 冯国强 was named in a 漏评 objection at the 2019
第二次公示 and it was upheld (survey him, screen him next time); the 2020 survey left him out, and
nothing said so: changes.xlsx, the screen's count and `register status` now do, with the round, step and
day it was upheld. One the 2020 survey did include is said on its changes line to come from that 漏评.
BH: the 2021 未调查户核实 form of a household not surveyed a second year running carries what the 2020
check found (此前核实情况), as changes.xlsx says it."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill, fill_form
from survey_builders import make_id
from years_builders import STEPS, fill_step, register_everyone, run, survey

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"1972{m:02d}{m + 10:02d}", serial=700 + m) for m, k in enumerate("AVWZ", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"OM{key}", **over}


def enter_with_omissions(tmp, db, objections: list[tuple]) -> None:
    """The 2019 round's candidates through the whole procedure, all yes, its 第二次公示 recorded with
    `objections` about households not on the list (漏评)."""
    for step, (date, folder) in STEPS.items():
        out = tmp / f"docs-2019-{step}"
        run("register", "next", db, "--date", date, "-o", out)
        docs = sorted((out / folder).glob("*.xlsx"))
        for doc in docs:
            if step == "publicity2":
                fill(doc, objections=objections)
            else:
                fill_step(step, doc)
        run("register", "record", db, *docs)


def sheet_rows(path, sheet: str) -> list[dict]:
    ws = openpyxl.load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if "户主姓名" in r)
    return [dict(zip(header, r)) for r in rows[rows.index(header) + 1:] if r[header.index("户主姓名")]]


def flat(text) -> str:
    return "".join(str(text or "").split())


@pytest.fixture(scope="module")
def omitted(tmp_path_factory):
    """2019: 户A and 户V registered; at the 第二次公示 冯国强 and 户Z named left out (upheld, 2019-12-13),
    钱不成 too (dismissed). 2020: 户A, 户V and 户Z surveyed (户Z a new candidate), not 冯国强."""
    tmp = tmp_path_factory.mktemp("omitted")
    db = tmp / "农安县.db"
    run("screen", survey(tmp / "2019.xlsx", [person("A"), person("V")]), "-o", tmp / "out2019", "--register", db,
        "--date", "2019-11-20")
    enter_with_omissions(tmp, db, [("冯国强", "反映该户因病致贫,应当评上", "成立", "2019-12-13", "名单外"),
                                   ("户Z", "应当评上", "成立", "2019-12-13", "名单外"),
                                   ("钱不成", "应当评上", "不成立", "2019-12-14", "名单外")])
    s2020 = survey(tmp / "2020调查表.xlsx", [person("A", 工资性收入=10500), person("V", 工资性收入=10500),
                                             person("Z")])
    screen = run("screen", s2020, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    return {"tmp": tmp, "db": db, "screen": screen.output}


def test_changes_list_an_upheld_omission_the_next_survey_left_out(omitted):
    path = omitted["tmp"] / "out2020" / "changes.xlsx"
    rows = sheet_rows(path, "漏评异议")
    by_name = {r["户主姓名"]: flat(r["说明"]) for r in rows}
    # Those not surveyed first; 户Z was, and is said with its outcome; 钱不成's objection was dismissed.
    assert list(by_name) == ["冯国强", "户Z"], rows
    assert by_name["户Z"].startswith("上一轮第二次公示漏评异议成立(2019-12-13),本年已调查,筛查结果是「贫困边缘户候选」"), rows
    assert by_name["冯国强"] == "上一轮第二次公示漏评异议成立(2019-12-13),本年调查表中没有该户:请入户调查后补充筛查", rows
    assert flat(rows[0]["异议内容"]) == "反映该户因病致贫,应当评上", rows
    # Said under 变动汇总 too, where the clerk looks first.
    summary = " ".join(flat(c.value) for r in openpyxl.load_workbook(path)["变动汇总"].iter_rows() for c in r if c.value)
    assert "此前公示中漏评异议成立的农户有1户本年调查表中没有:见「漏评异议」表" in summary, summary


def test_a_new_candidate_an_upheld_omission_named_is_said_to_come_from_it(omitted):
    rows = sheet_rows(omitted["tmp"] / "out2020" / "changes.xlsx", "变动名单")
    z = next(r for r in rows if r["户主姓名"] == "户Z")
    assert z["变动"] == "新识别候选", z
    assert flat(z["说明"]).startswith("上一轮第二次公示漏评异议成立(2019-12-13),本年已入户调查;按认定程序办理"), z
    a = next(r for r in rows if r["户主姓名"] == "户A")
    assert "漏评" not in flat(a["说明"]), a


def test_the_screen_counts_the_upheld_omissions_not_surveyed(omitted):
    said = flat(omitted["screen"])
    assert "此前漏评异议成立、本年调查表中没有的农户:1户" in said, omitted["screen"]


def test_status_after_the_next_screen_still_says_the_omission_not_surveyed(omitted, tmp_path):
    out = run("register", "status", omitted["db"], "--as-of", "2020-11-21", "-o", tmp_path / "进度.xlsx").output
    lines = [flat(line) for line in " ".join(out.split("\n      ")).splitlines()]
    feng = [line for line in lines if line.startswith("冯国强")]
    assert len(feng) == 1, out
    assert "上一轮第二次公示2019年12月13日成立:反映该户因病致贫,应当评上" in feng[0], feng
    assert "2020年调查表中没有该户:请入户调查后补充筛查" in feng[0], feng
    assert not any(line.startswith("户Z(") for line in lines), out  # surveyed: nothing left to chase
    sheet = sheet_rows(tmp_path / "进度.xlsx", "漏评异议")
    assert [r["户主姓名"] for r in sheet] == ["冯国强"], sheet


@pytest.fixture(scope="module")
def missed_twice(tmp_path_factory):
    """2019: 户A, 户V, 户W on the register. 2020: 户W not surveyed, its check says 仍在本村 (漏调查);
    2021: 户W not surveyed again, nor 户V (its first year); the 2021 未调查户核实 form printed."""
    tmp = tmp_path_factory.mktemp("missed_form")
    db = register_everyone(tmp, [person(k) for k in "AVW"])
    s2020 = survey(tmp / "2020调查表.xlsx", [person("A", 工资性收入=10500), person("V", 工资性收入=10500)])
    run("screen", s2020, "--year", "2020", "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp / "docs2020")
    form = next((tmp / "docs2020" / "未调查户核实").glob("*.xlsx"))
    assert "此前核实情况" not in {flat(c.value) for r in openpyxl.load_workbook(form).worksheets[0].iter_rows()
                                  for c in r}, form  # a first year: no column, as a blank one reads "none"
    fill_form(form, {None: {"核实结果": "仍在本村", "情况说明": "漏调查,需补充调查", "核实人": "张乡长",
                            "核实日期": "2020-11-25"}})
    run("register", "record", db, form)
    s2021 = survey(tmp / "2021调查表.xlsx", [person("A", 工资性收入=10600)])
    run("screen", s2021, "--year", "2021", "-o", tmp / "out2021", "--register", db, "--date", "2021-11-20")
    run("register", "next", db, "--date", "2021-11-23", "-o", tmp / "docs2021")
    return {"tmp": tmp, "db": db, "form": next((tmp / "docs2021" / "未调查户核实").glob("*.xlsx"))}


def test_the_check_form_of_a_second_year_says_what_the_last_check_found(missed_twice):
    rows = {r["户主姓名"]: r for r in sheet_rows(missed_twice["form"], openpyxl.load_workbook(
        missed_twice["form"]).sheetnames[0])}
    assert set(rows) == {"户V", "户W"}, rows
    w = flat(rows["户W"]["此前核实情况"])
    assert w == "连续2年未调查:2020年核实为漏调查、仍在本村(情况说明:漏调查,需补充调查),补充调查没有做;收入仍是2019年的", w
    assert flat(rows["户V"]["此前核实情况"]) == "", rows["户V"]  # its first year not surveyed


def test_the_check_form_of_a_second_year_is_recorded_as_any(missed_twice):
    """Its added column is printed text, read as printed: the form records as a first year's does."""
    fill_form(missed_twice["form"], {None: {"核实结果": "户已不存在", "情况说明": "整户迁出", "核实人": "张乡长",
                                            "核实日期": "2021-11-25"}})
    run("register", "record", missed_twice["db"], missed_twice["form"])
    said = flat(run("register", "status", missed_twice["db"], "--as-of", "2021-12-31").output)
    for head in ("户W", "户V"):  # the printed column read as printed: both rows recorded
        assert f"{head}220122" in said and "户已不存在,自2021年11月25日销户:整户迁出" in said, said
    assert "已核实:户已不存在2户(已销户)" in said, said
