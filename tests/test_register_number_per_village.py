"""Year two matched to the register by 户编号 where the county numbers its households per village (001,
002 … in every village): a number that recurs is matched within its village (township, village and
number, the places read as a survey's are: 前岗村村委会 is 前岗村). An outside try: 合隆镇前岗村's 陆福,
户编号 005, his ID put right (one digit), came out as two households, the registered one 本年未调查 and
the same family 新识别候选, which went through the procedure and stood on the register twice: step 2
took only a number once in the whole survey and once on the whole register, and per-village
numbering has none."""

from __future__ import annotations


import openpyxl
import pytest

from survey_builders import make_id
from years_builders import matched_by, members_file, register_everyone, run, survey

QIANGANG = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
QIANGANG_2020 = {"乡(镇)": "合隆镇", "行政村": "前岗村村委会"}  # the same village, written so this year
DONGXING = {"乡(镇)": "合隆镇", "行政村": "东兴村"}
LU_WRONG, LU_RIGHT = make_id(birth="19600708", serial=765), make_id(birth="19600708", serial=767)
LU_DONGXING = make_id(birth="19670710", serial=868)  # another 陆福, 东兴村's 001
WANG, LI = make_id(birth="19580303", serial=122), make_id(birth="19560404", serial=131)
ZHANG, ZHAO = make_id(birth="19700505", serial=140), make_id(birth="19750606", serial=151)
SUN, SUN_SON = make_id(birth="19480707", serial=162), make_id(birth="19800808", serial=171)

PEOPLE_2019 = [{**QIANGANG, "户编号": "001", "户主姓名": "陆福", "户主身份证号": LU_WRONG},
               {**QIANGANG, "户编号": "002", "户主姓名": "王淑芬", "户主身份证号": WANG},
               {**QIANGANG, "户编号": "003", "户主姓名": "张玉", "户主身份证号": ZHANG},
               {**DONGXING, "户编号": "001", "户主姓名": "陆福", "户主身份证号": LU_DONGXING},
               {**DONGXING, "户编号": "002", "户主姓名": "赵刚", "户主身份证号": ZHAO},
               {**DONGXING, "户编号": "003", "户主姓名": "孙丽", "户主身份证号": SUN}]
MEMBERS_2019 = {WANG: [(WANG, "户主", "普通劳动力"), (LI, "配偶", "普通劳动力")],
                SUN: [(SUN, "户主", "普通劳动力")]}
# 2020, no members listed: only the 户编号 can find a household whose head's ID changed.
PEOPLE_2020 = [
    # The same head, one digit of his ID put right.
    {**QIANGANG_2020, "户编号": "001", "户主姓名": "陆福", "户主身份证号": LU_RIGHT},
    # 王淑芬's husband, listed with the household in 2019, is the head now.
    {**QIANGANG_2020, "户编号": "002", "户主姓名": "李国", "户主身份证号": LI},
    {**QIANGANG_2020, "户编号": "003", "户主姓名": "张玉", "户主身份证号": ZHANG},
    {**DONGXING, "户编号": "001", "户主姓名": "陆福", "户主身份证号": LU_DONGXING},
    {**DONGXING, "户编号": "002", "户主姓名": "赵刚", "户主身份证号": ZHAO},
    # A son the register never knew is the head: nothing confirms it, nothing shows the family gone.
    {**DONGXING, "户编号": "003", "户主姓名": "孙明", "户主身份证号": SUN_SON}]


@pytest.fixture(scope="module")
def screened(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("per_village")
    db = register_everyone(tmp, PEOPLE_2019, inputs=(members_file(tmp / "家庭成员2019.xlsx", MEMBERS_2019),))
    source = survey(tmp / "2020.xlsx", PEOPLE_2020)
    run("screen", source, "--year", "2020", "-o", tmp / "out", "--register", db, "--date", "2020-11-20", "--no-mask")
    ws = openpyxl.load_workbook(tmp / "out" / "changes.xlsx").worksheets[1]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[4] == "户主姓名")
    listed = {(r[2], r[4]): dict(zip(rows[at], r)) for r in rows[at + 1:] if r[4]}
    return {"listed": listed, "how": matched_by(db)}


def test_each_household_is_matched_to_its_own_under_its_villages_number(screened):
    listed = screened["listed"]
    change = {key: row["变动"] for key, row in listed.items()}
    assert change == {("前岗村村委会", "陆福"): "继续帮扶", ("前岗村村委会", "李国"): "继续帮扶",
                      ("前岗村村委会", "张玉"): "继续帮扶", ("东兴村", "陆福"): "继续帮扶",
                      ("东兴村", "赵刚"): "继续帮扶", ("东兴村", "孙明"): "继续帮扶"}, change
    assert screened["how"] == {LU_WRONG: "household_id", WANG: "household_id", ZHANG: "head_id",
                               LU_DONGXING: "head_id", ZHAO: "head_id", SUN: "household_id_unverified"}, screened["how"]


def test_the_changes_say_what_became_of_each_head(screened):
    listed = screened["listed"]
    lu = listed[("前岗村村委会", "陆福")]["说明"]
    assert lu.startswith(f"身份证号更正:户主 陆福 未变,原登记身份证号 {LU_WRONG},按户编号对应"), lu
    # 前岗村 last year, 前岗村村委会 now: one village, no move (changes.moved_village reads them so; it
    # compared the text, and every household of the village "上次调查在合隆镇前岗村,本年在本村调查").
    assert not any("上次调查在" in str(row["说明"]) for row in listed.values()), listed
    li = listed[("前岗村村委会", "李国")]["说明"]
    assert f"户主变更:原户主 王淑芬({WANG}),按户编号对应" in li and "无法核实" not in li, li
    son = listed[("东兴村", "孙明")]["说明"]
    assert son.startswith(f"户主变更:原户主 孙丽({SUN}),按户编号对应") and "无法核实" in son, son
    assert listed[("东兴村", "陆福")]["说明"] == "人均纯收入仍在标准范围内,继续帮扶", listed[("东兴村", "陆福")]
