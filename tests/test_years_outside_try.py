"""What an outside tester found taking a county through three survey years, each through the command
line on files built here: a head's ID typed wrong this year (two birth-date digits swapped) is no ID
correction, the household keeps its registered ID and is said to be 数据有误 where the clerk looks,
and that year's income feeds no figure; the trend counts a household's change only over its years on
the register; an exit publicity that kept everyone says nobody left; a failing exit condition is
said as what is lacking."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import enter_everyone, exit_to_publicity, members_file, register_everyone, run, survey

PLACE = {"乡(镇)": "万顺乡", "行政村": "永安村"}
GOOD = make_id(birth="19650925", serial=627)
BAD = GOOD[:10] + GOOD[11] + GOOD[10] + GOOD[12:]  # 19650925 typed 19659025: no such date
OTHER = make_id(birth="19700101", serial=611)
OLD = make_id(birth="19450301", serial=612)        # an old couple: nobody of working age in 2020
WIFE = make_id(birth="19480808", serial=613)
DIBAO = make_id(birth="19720202", serial=614)


def _person(name: str, pid: str, number: str, **over) -> dict:
    return {**PLACE, "户主姓名": name, "户主身份证号": pid, "户编号": number, **over}


def _table(path, sheet: str, header_text: str = "户主姓名") -> tuple[str, list[dict]]:
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path)[sheet].iter_rows()]
    at = next(i for i, r in enumerate(rows) if header_text in r)
    above = " ".join(str(c) for r in rows[:at] for c in r if c is not None)
    return above, [dict(zip(rows[at], r)) for r in rows[at + 1:] if r[rows[at].index(header_text)] is not None]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: four households registered. 2020: 毛贵's ID typed with two birth-date digits swapped
    (his row invalid), 户甲 in the band, 户老 above the bound with no measure and nobody of working age,
    户保 now a 低保 household (proposed to leave)."""
    tmp = tmp_path_factory.mktemp("outside")
    members = {OLD: [(OLD, "户主", "丧失劳动力"), (WIFE, "配偶", "普通劳动力")]}
    people = [_person("毛贵", GOOD, "HB1"), _person("户甲", OTHER, "HB2"), _person("户老", OLD, "HB3"),
              _person("户保", DIBAO, "HB4")]
    db = register_everyone(tmp, people, inputs=(members_file(tmp / "成员2019.xlsx", members),))
    now = [_person("毛贵", BAD, "HB1", 工资性收入=10500), _person("户甲", OTHER, "HB2", 工资性收入=10500),
           _person("户老", OLD, "HB3", 工资性收入=13500), _person("户保", DIBAO, "HB4", 是否低保户="是")]
    run("screen", survey(tmp / "2020.xlsx", now), members_file(tmp / "成员2020.xlsx", members), "--year", "2020",
        "-o", tmp / "out2020", "--register", db, "--date", "2020-11-20", "--no-mask")
    return {"tmp": tmp, "db": db, "out": tmp / "out2020"}


def test_an_invalid_id_this_year_is_no_correction_and_the_registered_id_is_kept(county, tmp_path):
    """毛贵's 2020 row has his ID with two birth-date digits swapped (invalid). Before: changes.xlsx
    said 身份证号更正, the 花名册 and history showed the invalid ID with the invalid row's income as
    2020's, the trend counted it, and status did not name him."""
    notes = {r["户主姓名"]: r["说明"] for r in _table(county["out"] / "changes.xlsx", "变动名单")[1]}
    note = notes["毛贵"]
    assert "身份证号更正:户主" not in note and "户主变更" not in note, note
    assert f"本年身份证号 {BAD} 有误(校验码不符)" in note and f"原登记身份证号 {GOOD}" in note, note
    assert "本年调查数据有误" in note

    db = county["db"]
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export, "--no-mask")
    line, rows = _table(export, "花名册")
    row = {r["户主姓名"]: r for r in rows}["毛贵"]
    assert row["身份证号"] == GOOD
    assert row["人均纯收入(元)"] is None  # the invalid row's 3500.00 is no figure of 2020
    assert "2020年调查数据有误" in row["帮扶缺口"]
    assert "2020年调查数据有误" in line

    said = run("register", "history", db, "--id", GOOD).output
    head = said.splitlines()[0]
    assert GOOD in head and BAD not in head, head

    status = " ".join(run("register", "status", db).output.split())
    assert "毛贵" in status and "2020年调查数据有误" in status, status

    trend = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", trend)
    rows = {r["户主姓名"]: r for r in _table(trend, "各户")[1]}
    assert rows["毛贵"]["2020年"] is None and rows["毛贵"]["变化(元)"] is None
    assert rows["毛贵"]["状态"] == "在册,2020年调查数据有误(收入未列)"
    assert rows["户甲"]["变化(元)"] == pytest.approx(166.67, abs=0.01)
    village = _table(trend, "各村", "行政村")[1][0]
    assert village["两年均有数据"] == 3  # 户甲, 户老, 户保: not 毛贵


def test_the_exit_condition_that_fails_is_said_as_what_is_lacking(county):
    """户老 (no measure, nobody of working age) was said 不满足退出条件(享受过帮扶措施、有劳动年龄劳动力):
    as if having them were why."""
    notes = {r["户主姓名"]: r["说明"] for r in _table(county["out"] / "changes.xlsx", "变动名单")[1]}
    assert notes["户老"].startswith("不满足退出条件:未享受过帮扶措施、无劳动年龄劳动力。"), notes["户老"]


def test_the_roster_says_why_a_household_above_the_bound_is_still_on_it(county, tmp_path):
    """户老 is above the bound in 2020 and stays (no measure, nobody of working age). Before: the 花名册
    showed his 4,500.00 on the list of the band with nothing beside it."""
    export = tmp_path / "花名册.xlsx"
    run("register", "export", county["db"], "-o", export)
    rows = {r["户主姓名"]: r for r in _table(export, "花名册")[1]}
    assert rows["户老"]["人均纯收入(元)"] == pytest.approx(4500)
    assert rows["户老"]["帮扶缺口"].startswith("2020年人均纯收入已达到收入上限,尚未退出(是否满足退出条件见 changes.xlsx)")
    assert "收入上限" not in (rows["户甲"]["帮扶缺口"] or "")


def test_an_exit_publicity_that_kept_everyone_says_nobody_left(county, tmp_path):
    """户保's exit publicity: an objection upheld kept him. Before: status said 已退出(自 …) for the
    village although nobody left."""
    db = shutil.copyfile(county["db"], tmp_path / "农安县.db")
    exit_to_publicity(db, tmp_path, [("户保", "低保是临时救助,家里仍困难", "成立", "2020-12-03")])
    said = " ".join(run("register", "status", db, "--as-of", "2020-12-10").output.split())
    exits = said[said.index("退出程序"):]
    assert "已退出" not in exits and "无人退出" in exits, exits
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    assert "户保" in [r["户主姓名"] for r in _table(export, "花名册")[1]]


def test_the_trend_counts_a_change_only_over_the_years_on_the_register(tmp_path):
    """户唐 was above the bound in 2019 and entered with the 2020 survey. Before: his 2019 → 2020
    change was counted (两年均有数据 2, 增收) although 2019 was before he was on the register."""
    place = {"乡(镇)": "青山口乡", "行政村": "双龙村"}
    a, t = make_id(birth="19700303", serial=621), make_id(birth="19700404", serial=622)
    db = register_everyone(tmp_path, [{**place, "户主姓名": "户甲", "户主身份证号": a, "户编号": "S1"},
                                      {**place, "户主姓名": "户唐", "户主身份证号": t, "户编号": "S2",
                                       "工资性收入": 30000}])
    people = [{**place, "户主姓名": "户甲", "户主身份证号": a, "户编号": "S1", "工资性收入": 10500},
              {**place, "户主姓名": "户唐", "户主身份证号": t, "户编号": "S2", "工资性收入": 10200}]
    run("screen", survey(tmp_path / "2020.xlsx", people), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    enter_everyone(tmp_path, db, year=2020)
    trend = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", trend)
    above, rows = _table(trend, "各户")
    rows = {r["户主姓名"]: r for r in rows}
    assert rows["户唐"]["2019年"] == pytest.approx(10000) and rows["户唐"]["2020年"] == pytest.approx(3400)
    assert rows["户唐"]["变化(元)"] is None
    assert rows["户甲"]["变化(元)"] == pytest.approx(166.67, abs=0.01)
    assert "两年都在登记簿期间" in above
    village = _table(trend, "各村", "行政村")[1][0]
    assert (village["户数"], village["两年均有数据"]) == (2, 1)


def test_history_names_the_head_of_a_round_whose_head_was_another(tmp_path):
    """From an outside try: the history of a household whose head died showed the spouse, head now, on
    every round, the round its first head was surveyed under too. Here an ID put right (same name, a
    valid new ID): the first round's line names the ID it was surveyed under."""
    fixed = make_id(birth="19650926", serial=627)
    db = register_everyone(tmp_path, [_person("毛贵", GOOD, "HB1")])
    run("screen", survey(tmp_path / "2020.xlsx", [_person("毛贵", fixed, "HB1")]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    said = run("register", "history", db, "--id", fixed).output
    first, second = (line for line in said.splitlines() if "轮筛查" in line)
    assert f"户主 毛贵({GOOD})" in first and "户主" not in second, said


def test_a_head_id_typed_in_its_old_15_digits_is_said_as_such(tmp_path):
    """马金's registered ID typed in its first-generation 15 digits in 2020: changes.xlsx said his ID had
    a wrong check character or birth date (an outside try of three years); a 15-digit ID has neither
    fault. It now says the length."""
    db = register_everyone(tmp_path, [_person("马金", GOOD, "HB1")])
    old_form = GOOD[:6] + GOOD[8:17]
    run("screen", survey(tmp_path / "2020.xlsx", [_person("马金", old_form, "HB1", 工资性收入=10500)]), "--year",
        "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20", "--no-mask")
    note = {r["户主姓名"]: r["说明"] for r in _table(tmp_path / "out" / "changes.xlsx", "变动名单")[1]}["马金"]
    assert f"本年身份证号 {old_form} 有误(位数不对:现为 15 位,应为 18 位)" in note, note
