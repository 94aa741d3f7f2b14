"""The terminal's count of warnings says what there is to check, not every grouped cell.

An outside try (two townships, 7,918 households): screen ended 「有 6,631 条警告,涉及 2,009 户(漏填 6,584
条…):警告不改变认定,请在 report.html 里逐条核实」, but 6,584 of them were the blank amounts of 8 villages that
write no 0, each said once above as a finding (systemic.py) and listed no further row by row; 47 were
the clerk's to check one by one. And 「警告不改变认定」 stood under those findings' 【影响认定】. Now screen
and check say the warnings to check one by one apart from the findings (how many, how many cells), a
warning changing nothing by itself but a blank income read as 0 maybe so. issues.csv keeps every one.
The same try: 「…于家村 1 户 等 1 个村」 read as "etc., one village" (now 另有 1 个村), and the 【影响认定】
sentence said the 16 households below the line were decided on the blanks (one was on a swapped column):
now that they have blank incomes read as 0, which filled may change them."""

from __future__ import annotations

import re

import pandas as pd
from typer.testing import CliRunner

from edgescreen.cli import app
from field_checks import issues, manifest
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

# Every amount a clerk would write 0 left blank: a village that writes no 0 (blank_for_zero).
BLANK = {"家庭经营收入": None, "财产性收入": None, "转移性收入": None, "家庭经营费用支出": None,
         "生产性固定资产折旧": None, "税金和上交承包费用": None, "家庭生产经营性支出": None}
# Four villages with a household typed in 万元 each (individual warnings): three named, one more.
WAN_VILLAGES = ["陈家店村", "兴隆村", "于家村", "东升村"]


def _ids(n: int, start: int) -> list[str]:
    born = pd.date_range("1958-01-01", periods=n, freq="13D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


def _blank_village(folder, ids, wages: list[int], village: str = "西岭村") -> None:
    rows = [household(户主身份证号=next(ids), 户主姓名=f"西{i}", 行政村=village, 工资性收入=wage, 家庭总收入=wage, **BLANK)
            for i, wage in enumerate(wages)]
    write_workbook(folder / f"{village}.xlsx", {village: rows})


def _county(folder) -> None:
    """西岭村 leaves every 0 blank: 6 households below the line and 8 candidates on their wages alone
    (its blank incomes read as 0), 2 above; four other villages write their 0s, each with one
    household typed in 万元 beside clean ones."""
    ids = iter(_ids(40, 301))
    _blank_village(folder, ids, [6000] * 6 + [10000] * 8 + [40000] * 2)
    rows = []
    for village in WAN_VILLAGES:
        rows += [household(户主身份证号=next(ids), 户主姓名=f"{village}甲", 行政村=village),
                 household(户主身份证号=next(ids), 户主姓名=f"{village}乙", 行政村=village, 工资性收入=1.2,
                           家庭总收入=1.2)]
    write_workbook(folder / "合隆镇.xlsx", {"合隆镇": rows})


def _flat(done) -> str:
    return re.sub(r"\s+", "", done.output)


def _counted(out) -> tuple[int, int, int]:
    """(warnings, of them blank amounts, households with a warning not blank) from issues.csv."""
    table = issues(out)
    warned = table[table["severity"] == "warning"]
    blank = (warned["code"] == "missing_value").to_numpy(dtype=bool)
    households = warned[~blank][["source_file", "sheet", "row"]].drop_duplicates()
    return len(warned), int(blank.sum()), len(households)


def test_screen_says_the_warnings_to_check_apart_from_a_village_findings(tmp_path):
    _county(tmp_path)
    out = tmp_path / "out"
    done = runner.invoke(app, ["screen", str(tmp_path), "-o", str(out), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "100"})
    assert done.exit_code == 0, done.output
    said = _flat(done)
    total, blanks, households = _counted(out)
    individual = total - blanks
    # issues.csv and run.json keep every warning, the village's blanks among them.
    assert blanks >= 16 and individual >= 4 and households == 4, (total, blanks, households)
    assert manifest(out)["issues"]["warning"] == total
    # The terminal: the individual ones to check one by one, the village's blanks as one finding.
    assert (f"有{individual}条警告需在report.html里逐条核实,涉及4户(金额过小:疑按万元填写或漏填{individual}条)"
            f";另有1项整村或整列的问题(共{blanks}处空格),已在上面逐项说明,每项整村或整列一并处理,不必逐条核实。") in said, said
    assert f"有{total}条警告" not in said and "警告不改变认定,请在report.html里逐条核实" not in said, said
    # Its blank incomes read as 0 may have decided households: no flat "warnings change no decision".
    assert "警告本身不改变认定;但空着的收入按0计算,补上后认定可能改变(见上面标有【影响认定】的问题)。" in said, said
    # The 【影响认定】 sentence says what is known: blanks read as 0, not that they decided them.
    line = re.search(r"【影响认定】[^【]*?合隆镇西岭村:金额为0的都留空没有填0[^\n]*?补上金额", said)
    assert line, said
    assert ("该村有6户认定为“低于贫困标准”、8户认定为“贫困边缘户候选”,这些户都有空着的收入按0计算,"
            "补上后认定可能改变") in line.group(0), line.group(0)
    assert "都是按空着的收入为0认定的" not in said, said
    # Four villages typed in 万元, three named: the fourth is one more village, not "etc., 1 village".
    assert "合隆镇于家村1户,另有1个村):" in said and "等1个村" not in said, said


def test_check_says_them_apart_after_its_count(tmp_path):
    _county(tmp_path)
    done = runner.invoke(app, ["check", str(tmp_path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "100"})
    assert done.exit_code == 0, done.output  # warnings only
    said = _flat(done)
    total, blanks, _ = _counted(tmp_path / "report")
    # The count of every warning stays, as the table's; the work said after it.
    count = re.search(rf"户:0条错误,{total}条警告→", said)
    apart = said.find(f"有{total - blanks}条警告需在report.html里逐条核实,涉及4户")
    assert count and apart > count.end(), said
    assert f"另有1项整村或整列的问题(共{blanks}处空格)" in said, said
    assert "警告本身不改变认定;但空着的收入按0计算,补上后认定可能改变" in said, said
    assert "合隆镇于家村1户,另有1个村):" in said, said


def test_warnings_all_of_a_village_that_decides_nothing_leave_nothing_to_check_one_by_one(tmp_path):
    # Every household of 西岭村 well above the limit on its wages: its blanks read as 0 decide no one.
    _blank_village(tmp_path, iter(_ids(20, 501)), [40000] * 12)
    screened = runner.invoke(app, ["screen", str(tmp_path), "-o", str(tmp_path / "out"), "--as-of", "2020-01-01"],
                             env={"COLUMNS": "100"})
    assert screened.exit_code == 0, screened.output
    said = _flat(screened)
    total, blanks, _ = _counted(tmp_path / "out")
    assert total == blanks >= 12, (total, blanks)
    assert (f"警告都属于上面逐项说明的1项整村或整列的问题(共{blanks}处空格),每项整村或整列一并处理,"
            "没有需要逐条核实的警告。警告不改变认定。") in said, said
    assert "【影响认定】" not in said and "逐条核实。" not in said.replace("没有需要逐条核实的警告。", ""), said
    checked = runner.invoke(app, ["check", str(tmp_path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01"],
                            env={"COLUMNS": "100"})
    assert "没有需要逐条核实的警告" in _flat(checked), checked.output


def test_english_says_the_same(tmp_path):
    _county(tmp_path)
    done = runner.invoke(app, ["screen", str(tmp_path), "-o", str(tmp_path / "en"), "--as-of", "2020-01-01",
                               "--lang", "en"], env={"COLUMNS": "100"})
    assert done.exit_code == 0, done.output
    said = re.sub(r"\s+", " ", done.output)
    total, blanks, _ = _counted(tmp_path / "en")
    assert (f"{total - blanks} warnings to check one by one in report.html, on 4 households" in said
            and f"besides, 1 whole-village or whole-column problem(s) ({blanks} blank cells)" in said), said
    assert "A warning changes no decision by itself; but blank incomes are read as 0" in said, said
    assert ", and 1 more village(s))" in said, said
