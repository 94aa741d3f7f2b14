"""IDs a system masked at their end (2201221980010*****, the birth day and sequence hidden), as often as
in the middle: they were told 位数不对, 校验码不对 or a wrong character (列错位 of a whole column), the clerk
sent counting digits. Now said masked (id_masked), with the mark as typed (部分数字被*代替, 被X代替) and no
claim of where; where the mark is not known (a column's finding, a roster, the register's changes), 部分数字
被遮盖. An 18-character ID whose last X is its check character is no masked one."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd

from survey_builders import household, make_id, write_workbook
from test_masked_ids_export import _screen as _screened
from test_rosters import AS_OF, run, write_sheets
from edgescreen.outputs.ledger import read_ledger
from years_builders import register_everyone, run as run_years, survey as survey_of

ADVICE = "请从系统导出完整的身份证号(不打码)后再筛查"
PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
HEADER = ["乡镇", "村", "姓名", "身份证号"]


def _screen(tmp_path, rows):
    """The export screened as test_masked_ids_export screens it: the terminal flat, the ID issues, the folder."""
    result, ids, _ = _screened(tmp_path, rows)
    return "".join(result.output.split()), ids, tmp_path / "out"


def _listed(out) -> str:
    """quality.xlsx's 问题清单, every cell's text, one row a line."""
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["问题清单"]
    return "\n".join(" ".join(str(c) for c in r if c is not None) for r in sheet.iter_rows(values_only=True))


def _with_x() -> str:
    """A valid ID whose check character is X."""
    return next(i for i in (make_id("19800101", serial=s) for s in range(100, 200)) if i.endswith("X"))


def test_heads_ids_masked_at_the_end_are_said_masked_with_their_mark(tmp_path):
    real = make_id("19800101", serial=297)
    masked = {"甲": real[:13] + "*" * 5, "乙": real[:12] + "*" * 6, "丙": real[:14] + "****",
              "丁": real[:12] + "XXXXXX",  # a run of X at the end
              "戊": real[:17] + "*",  # 17 digits and one star: masked, not a digit short
              "己": real[:6] + real[8:14] + "***",  # an old 15-digit ID, its sequence masked
              "庚": real[:6] + "XXXXXXXX" + real[14:]}  # X in the middle: said so, no 中间几位被*
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i:02d}0412", serial=200 + i)) for i in range(25)]
    rows += [household(户主姓名=name, 户主身份证号=value) for name, value in masked.items()]
    _, ids, out = _screen(tmp_path, rows)
    by_name = ids.set_index("head_name")
    assert set(by_name.index) == set(masked), ids[["head_name", "code", "message"]]
    assert set(by_name["code"]) == {"id_masked"} and set(by_name["category"]) == {"漏项"}, by_name[["code", "message"]]
    for name in masked:
        message = by_name.loc[name, "message"]
        assert "身份证号已打码" in message and ADVICE in message, message
        assert not re.search("不对|位数|现为|中间", message), message
    for name in ("甲", "乙", "丙", "戊", "己"):
        assert "部分数字被*代替" in by_name.loc[name, "message"], by_name.loc[name, "message"]
    for name in ("丁", "庚"):
        assert "部分数字被X代替" in by_name.loc[name, "message"], by_name.loc[name, "message"]
    # quality.xlsx lists them as masked too, none as of a wrong length.
    listed = _listed(out)
    assert listed.count("身份证号已打码(部分数字被") == len(masked), listed
    assert "位数" not in listed and "校验" not in listed, listed
    status = read_ledger(out / "decisions.csv").set_index("head_name")["status"]
    assert (status[list(masked)] == "invalid").all()


def test_a_column_masked_at_the_end_throughout_is_one_finding_not_shifted(tmp_path):
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{50 + i:02d}0315", serial=100 + i)[:14] + "****")
            for i in range(24)]
    said, ids, out = _screen(tmp_path, rows)
    finding = "身份证号已打码(部分数字被遮盖),无法核对;" + ADVICE
    assert said.count(finding) == 1, said
    assert "列错位" not in said and "截短" not in said and "中间几位" not in said, said
    assert len(ids) == 24 and set(ids["code"]) == {"id_masked"}, ids[["row", "code"]]
    summary = " ".join(str(c) for ws in openpyxl.load_workbook(out / "quality.xlsx").worksheets
                       for r in ws.iter_rows(values_only=True) for c in r if c is not None)
    assert finding in "".join(summary.split()), summary


def test_a_valid_id_ending_in_x_stays_valid(tmp_path):
    # Guard (passes before the change too): its last X is the check character, not a mask.
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i:02d}0412", serial=300 + i)) for i in range(25)]
    rows += [household(户主姓名="甲", 户主身份证号=_with_x())]
    _, ids, out = _screen(tmp_path, rows)
    assert ids.empty, ids[["head_name", "code", "message"]]
    status = read_ledger(out / "decisions.csv").set_index("head_name")["status"]
    assert status["甲"] == "candidate", status


def _county(tmp_path):
    heads = {name: make_id(f"196{i}0101", serial=730 + i) for i, name in enumerate(["张一", "李二", "王三"])}
    survey = write_workbook(tmp_path / "县.xlsx", [household(**PLACE, 户编号=f"00{i}", 户主姓名=name, 户主身份证号=pid)
                                                   for i, (name, pid) in enumerate(heads.items())])
    return survey, heads


def test_a_roster_masked_at_the_end_is_said_masked(tmp_path):
    """A 低保 roster masked at the end throughout: refused as masked, not as 位数不对 of every row."""
    survey, heads = _county(tmp_path)
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (HEADER, [["合隆镇", "前岗村", n, i[:12] + "******"]
                                                               for n, i in heads.items()])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())
    assert text.count("低保.xlsx(低保对象名单)的身份证号已打码(部分数字被遮盖,共3行),无法比对") == 1, text
    assert "位数不对" not in text and "中间几位" not in text, text


def test_one_roster_row_masked_at_the_end_is_said_masked_by_its_row(tmp_path):
    survey, heads = _county(tmp_path)
    roster = write_sheets(tmp_path / "车辆.xlsx", {"车辆": (HEADER, [
        ["合隆镇", "前岗村", "张一", heads["张一"][:17] + "*"], ["合隆镇", "前岗村", "李二", heads["李二"]]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}",
                 env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = "".join(result.output.split())
    assert "1行的身份证号无效(已打码,部分数字被遮盖,无法比对:请向提供名单的部门要完整的身份证号),未参加比对:工作表「车辆」第2行" \
        in text, text
    assert "位数不对" not in text, text


def test_a_head_id_masked_at_the_end_this_year_is_said_masked_in_the_changes(tmp_path):
    good = make_id(birth="19650925", serial=737)
    now_id = good[:14] + "****"
    person = {**PLACE, "户主姓名": "马金", "户编号": "HB1"}
    db = register_everyone(tmp_path, [{**person, "户主身份证号": good}])
    now = survey_of(tmp_path / "2020.xlsx", [{**person, "户主身份证号": now_id, "工资性收入": 10500}])
    run_years("screen", now, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20",
              "--no-mask")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动名单"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "户主姓名" in r)
    note = pd.DataFrame(rows[at + 1:], columns=rows[at]).dropna(subset=["户主姓名"]).set_index("户主姓名")["说明"]["马金"]
    assert f"本年身份证号 {now_id} 有误(已打码,部分数字被遮盖,无法比对)" in note, note
    assert "位数不对" not in note and f"原登记身份证号 {good}" in note, note
