"""Three things a clerk misread (an outside try, try BN).

1. A household whose 行政村 was left blank, 数据有误: every `register next` held its 「第一次公示」 naming only
   the township (「伏龙泉镇(1 户):…暂不发出」), read as the whole township's 公示 held back, where `register
   status` names the place 「伏龙泉镇(行政村未填)」.
2. An ID Excel stored as a number (2.20122198001011E+17), a household 数据有误 for it: `register status` and
   进度.xlsx's 数据有误待核实 sheet showed 「*.**************E+17」, nothing to know it or find it by.
3. A screen whose only error is on a 低保户 (left out before any error counts) said 「1 条错误级数据问题,0 户
   认定为“数据有误,待核实”」 and, onto a register, a paragraph on how 「这些户要重新筛查」: there were none."""

from __future__ import annotations

import openpyxl
import pytest

from survey_builders import make_id
from test_register_undecided_village import County, _to_first_publicity, _wrong_check
from years_builders import run, survey


def flat(text: str) -> str:
    return "".join(text.split())


def test_next_names_a_blank_village_held_back_as_status_names_it(tmp_path):
    # 合隆镇前岗村 a candidate; 钟九, of 合隆镇 with no 行政村, 数据有误 (his ID's check character is wrong).
    people = [("合隆镇", "前岗村", "王一", 9800, make_id(birth="19600210", serial=200)),
              ("合隆镇", "", "钟九", 10100, _wrong_check(make_id(birth="19600213", serial=203)))]
    county = County(tmp_path, people)
    said, folder = _to_first_publicity(county)
    said = flat(said)
    assert "合隆镇(行政村未填)(1户):有农户数据有误、尚未认定,名单不能算“本村无”,「第一次公示」暂不发出" in said, said
    assert "合隆镇(1户)" not in said, said
    status = flat(run("register", "status", county.db, "--as-of", "2019-12-01").output)
    assert "合隆镇(行政村未填)(1户)" in status, status  # the same words for the same place
    # The township's own village is posted as before.
    assert sorted(p.name for p in (folder / "3-第一次公示").glob("*.xlsx")) == ["合隆镇-前岗村-第一次公示.xlsx"]


def test_status_shows_an_id_excel_stored_as_a_number_so_it_can_be_told(tmp_path):
    people = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "王一", "工资性收入": 10500,
               "户主身份证号": make_id(birth="19600303", serial=701)},
              {"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "史凤琴", "工资性收入": 10500,
               "户主身份证号": 220122195802276000.0}]  # a number cell, as Excel keeps an ID typed without '
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "农安县.xlsx", people), "-o", tmp_path / "筛查", "--register", db,
        "--date", "2019-11-20")
    said = run("register", "status", db, "--as-of", "2019-11-21", "-o", tmp_path / "进度.xlsx").output
    line = next(line for line in said.splitlines() if "史凤琴" in line)
    assert "史凤琴(220122********6000," in flat(line) and "*.*" not in line, said
    rows = list(openpyxl.load_workbook(tmp_path / "进度.xlsx")["数据有误待核实"].iter_rows(values_only=True))
    row = next(r for r in rows if "史凤琴" in r)
    assert "220122********6000" in row and not any("*.*" in str(v) for v in row), row


LEFT_OUT = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "王一", "工资性收入": 10500,
             "户主身份证号": make_id(birth="19600303", serial=701)},
            # A 低保户 with no 家庭常住人口数: an error-level issue, the household left out as 低保 first.
            {"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "李二", "工资性收入": 10500, "是否低保户": "是",
             "家庭常住人口数": None, "户主身份证号": make_id(birth="19610303", serial=702)}]
ON_EXCLUDED = ("发现1条错误级数据问题,都在已按低保户、特困人员或已建档立卡不列入的1户上(低保户(暂不列入)1户),"
               "没有户认定为“数据有误,待核实”,也就没有户要等重新筛查才能认定。"
               "请仍按report.html或quality.xlsx在调查表上更正这些格。")


@pytest.mark.parametrize("register", [True, False], ids=["register", "plain"])
def test_errors_only_on_left_out_households_say_so_not_a_rescreen(tmp_path, register):
    more = ["--register", tmp_path / "农安县.db", "--date", "2019-11-20"] if register else []
    said = flat(run("screen", survey(tmp_path / "农安县.xlsx", LEFT_OUT), "-o", tmp_path / "筛查", *more).output)
    assert ON_EXCLUDED in said, said
    assert "0户认定为" not in said and "重新筛查才能认定:" not in said and "核实更正后重新筛查" not in said, said
    decisions = (tmp_path / "筛查" / "decisions.csv").read_text(encoding="utf-8-sig")
    assert "数据有误" not in decisions and "低保户" in decisions, decisions  # what the line says is so
