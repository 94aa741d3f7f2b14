"""What an outside tester found running a county over several years (round f), each through the command
line on files built here: the income trend's figures cover exactly the years its headings name; an ID
put right under an unchanged head is said as such in changes.xlsx; a household dropped from the
candidate list is not said to have 退出 (left the register); a measure form's problems are all named
in one run."""

from __future__ import annotations

from statistics import median

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import MeasureForm, register_everyone, run, survey

PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
# Wages over 3 residents each year (None: not surveyed that year). All in the band in 2019.
WAGES = {
    "P": (10500, 11100, 11400),   # 3500 → 3700 → 3800: +100 from 2020 to 2021
    "Q": (10800, 11400, None),    # 2019 → 2020 only: no change from 2020 to 2021
    "R": (11100, None, 10200),    # 2019 and 2021, not 2020: no change from 2020 to 2021 either
    "S": (11400, 11700, 10800),   # 3900 → 3600: −300
}
TREND_IDS = {k: make_id(birth="19760101", serial=600 + i) for i, k in enumerate(WAGES)}


def _people(year_index: int) -> list[dict]:
    return [{**PLACE, "户主姓名": f"户{k}", "户主身份证号": TREND_IDS[k], "户编号": f"HB{k}", "家庭人口数": 3,
             "家庭常住人口数": 3, "工资性收入": w[year_index]} for k, w in WAGES.items() if w[year_index] is not None]


def _table(path, sheet: str, header_text: str) -> tuple[list[list], list[dict]]:
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    at = next(i for i, r in enumerate(rows) if header_text in r)
    return rows[:at], [dict(zip(rows[at], r)) for r in rows[at + 1:] if r[rows[at].index(header_text)] is not None]


def test_the_trend_counts_exactly_the_households_with_both_years_its_heading_names(tmp_path):
    """Three years: a household not surveyed in 2021 (Q) had its 2019→2020 change shown and counted as
    the latest, and one missing 2020 (R) its 2019→2021 change, under a heading of 2020 to 2021."""
    db = register_everyone(tmp_path, _people(0))
    for i, year in ((1, 2020), (2, 2021)):
        run("screen", survey(tmp_path / f"{year}.xlsx", _people(i)), "--year", year, "-o", tmp_path / f"out{year}",
            "--register", db, "--date", f"{year}-11-20")
    path = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", path)
    above, households = _table(path, "各户", "户主姓名")
    changes = {r["户主姓名"]: r["变化(元)"] for r in households}
    assert changes == {"户P": pytest.approx(100), "户Q": None, "户R": None, "户S": pytest.approx(-300)}
    rates = {r["户主姓名"]: r["变化率"] for r in households}
    assert rates["户P"] == pytest.approx(100 / 3700) and rates["户Q"] is None and rates["户R"] is None
    assert "2020年至2021年" in " ".join(str(c) for r in above for c in r if c)
    for sheet, key in (("各村", "行政村"), ("各乡镇", "乡(镇)")):
        heading, rows = _table(path, sheet, key)
        assert "2020年至2021年两年都有收入数据的农户" in " ".join(str(c) for r in heading for c in r if c)
        row = rows[0]
        assert (row["户数"], row["两年均有数据"]) == (4, 2), sheet
        assert row["变化中位数(元)"] == pytest.approx(median([100, -300]))
        assert row["增收户占比"] == pytest.approx(0.5)


def _sheet(path, sheet: str, header_text: str) -> list[dict]:
    return _table(path, sheet, header_text)[1]


def test_an_id_put_right_under_the_same_head_is_said_as_an_id_correction_not_a_new_head(tmp_path):
    """2020's survey has 郑国强 under his 户编号 with his birth day typed right (11 → 12): the same
    person, matched by the number; changes.xlsx said 户主变更:原户主 郑国强. A head who really
    changed (another name, same 户编号) is still said as a new head."""
    wrong, right = make_id(birth="19700311", serial=301), make_id(birth="19700312", serial=301)
    old_head, son = make_id(birth="19650505", serial=302), make_id(birth="19900909", serial=303)
    people = [{**PLACE, "户主姓名": "郑国强", "户主身份证号": wrong, "户编号": "HB1"},
              {**PLACE, "户主姓名": "王春生", "户主身份证号": old_head, "户编号": "HB2"}]
    db = register_everyone(tmp_path, people)
    now = [{**PLACE, "户主姓名": "郑国强", "户主身份证号": right, "户编号": "HB1"},
           {**PLACE, "户主姓名": "王小春", "户主身份证号": son, "户编号": "HB2"}]
    run("screen", survey(tmp_path / "2020.xlsx", now), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20", "--no-mask")
    notes = {r["户主姓名"]: r["说明"] for r in _sheet(tmp_path / "out2020" / "changes.xlsx", "变动名单", "户主姓名")}
    assert notes["郑国强"].startswith(f"身份证号更正:户主 郑国强 未变,原登记身份证号 {wrong}"), notes["郑国强"]
    assert "户主变更" not in notes["郑国强"]
    assert notes["王小春"].startswith(f"户主变更:原户主 王春生({old_head})"), notes["王小春"]


def test_a_household_turned_down_at_the_meeting_is_off_the_list_not_said_to_have_left_the_register(tmp_path):
    """退出 is the exit procedure (leaving the register). A household turned down at 民主评议 never
    entered it: `register record` said 其中退出 1 户 and `register status` 退出名单的农户."""
    from register_builders import fill, meeting

    people = [{**PLACE, "户主姓名": f"户{k}", "户主身份证号": make_id(birth="19720101", serial=700 + i), "户编号": f"HB{k}"}
              for i, k in enumerate("VW")]
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "2019.xlsx", people), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "docs")
    doc = next((tmp_path / "docs" / "1-民主评议").glob("*.xlsx"))
    fill(doc, decisions={1: ("不同意", "家中有经营性车辆")}, default=("同意", ""), form=meeting("2019-11-25"))
    said = run("register", "record", db, doc).output
    assert "2 户(其中未通过、移出名单 1 户)已登记" in said and "退出" not in said, said
    said = run("register", "status", db, "--as-of", "2019-11-26", "-o", tmp_path / "进度.xlsx").output
    assert "移出名单的农户" in said and "退出" not in said, said
    book = openpyxl.load_workbook(tmp_path / "进度.xlsx")
    assert "移出名单" in book.sheetnames
    texts = [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value is not None]
    assert not [t for t in texts if "退出" in t], texts
    english = run("register", "status", db, "--as-of", "2019-11-26", "--lang", "en").output
    assert "taken off the list" in english


def test_every_problem_of_a_measure_form_is_named_in_one_run(tmp_path):
    """Two problems on one form, on two households: a type not in the catalogue (户X) and a start
    before the household entered the register (户Y, on it from 2019-12-27). Only the first was
    named; the second came after it was put right. Both, each at its cell, and nothing recorded."""
    people = [{**PLACE, "户主姓名": f"户{k}", "户主身份证号": make_id(birth="19740101", serial=800 + i), "户编号": f"HB{k}"}
              for i, k in enumerate("XYZ")]
    db = register_everyone(tmp_path, people)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "forms")
    form = MeasureForm(tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")
    bad_type = form.add("户X", 帮扶类型="发钱", 帮扶内容="慰问", 开始日期="2020-01-02", 帮扶责任人="赵敏")
    early = form.add("户Y", 帮扶类型="健康", 帮扶内容="体检", 开始日期="2019-05-01", 帮扶责任人="赵敏")
    form.add("户Z", 帮扶类型="就业", 帮扶内容="转移就业", 开始日期="2020-01-02", 帮扶责任人="赵敏")
    form.save()
    said = run("register", "record", db, form.path, code=2).output
    type_cell = form.ws.cell(bad_type, form.cols["帮扶类型"]).coordinate
    start_cell = form.ws.cell(early, form.cols["开始日期"]).coordinate
    assert "1 个文件中有 2 处问题" in said, said
    assert f"合隆镇-前岗村-帮扶措施.xlsx 「帮扶措施」{type_cell}:" in said and "「发钱」" in said, said
    assert f"合隆镇-前岗村-帮扶措施.xlsx 「帮扶措施」{start_cell}:「户Y」的措施" in said, said
    assert "早于该户纳入贫困边缘户的日期 2019-12-27" in said, said
    # Both put right: recorded, the three measures.
    form = MeasureForm(form.path)
    form.write(bad_type, 帮扶类型="综合保障")
    form.write(early, 开始日期="2020-01-02")
    form.save()
    run("register", "record", db, form.path)
    said = run("register", "history", db, "--id", people[1]["户主身份证号"]).output
    assert "体检" in said, said
    # On the next form, a recorded measure typed over (it needs --amend) and a new one of no type: both
    # said in the one run, not the --amend only once the other is put right.
    run("register", "measures", db, "--date", "2020-02-05", "-o", tmp_path / "forms2")
    form = MeasureForm(tmp_path / "forms2" / "合隆镇-前岗村-帮扶措施.xlsx")
    typed_over = form.measure_row("户Z")
    form.write(typed_over, 帮扶内容="技能培训")
    form.add("户Y", 帮扶类型="发钱", 帮扶内容="慰问", 开始日期="2020-02-02", 帮扶责任人="赵敏")
    form.save()
    said = " ".join(run("register", "record", db, form.path, code=2).output.split())
    assert "1 个文件中有 2 处问题" in said and "「发钱」" in said, said
    assert "「户Z」已登记的措施「就业:转移就业(自 2020-01-02)」" in said and "须加 --amend" in said, said
