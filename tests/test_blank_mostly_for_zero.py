"""A village that leaves most of its amounts of 0 blank, writing 0 now and then, is one finding.

An outside try (a clean county of 6,000 households, villages one below another in each township's
sheet) whose enumerators left about 70 % of their zero cells blank and wrote 0 in the rest: 6,074
warnings 「请逐条核实」 on 3,916 households, because a village was taken as leaving 0 blank only where it
wrote no 0 at all. Blank being most of a village's zeros is the same habit: its blanks are one finding
(said with how many 0s it wrote), a village that writes its 0s keeps its few blanks row by row, and
issues.csv keeps every issue."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

# The amounts a clerk writes 0 in: the incomes beside the wage, and the costs.
ZERO_COLUMNS = ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]


def _ids(n: int, start: int) -> list[str]:
    born = pd.date_range("1960-03-01", periods=n, freq="11D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


def _mostly_blank(ids, village: str, wages: list[int]) -> list[dict]:
    """A village of len(wages) households whose amounts of 0 are blank but for one cell in four: each
    column written 0 in 3 of 12 rows, blank in 9 (fewer than a village's column takes to be a finding of
    its own), 18 zeros written and 54 blank (with the 家庭生产经营性支出 of the 6 households whose costs
    are all blank, 60)."""
    rows = []
    for i, wage in enumerate(wages):
        zeros = {column: (0 if (i + 2 * j) % 4 == 0 else None) for j, column in enumerate(ZERO_COLUMNS)}
        rows.append(household(户主身份证号=next(ids), 户主姓名=f"{village[0]}{i}", 行政村=village, 工资性收入=wage,
                              家庭总收入=wage, 家庭生产经营性支出=None, **zeros))
    return rows


def _check(folder, path):
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    return done


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    """合隆镇's sheet: 前岗村 40 households as the form asks (every 0 written); 东兴村 12 leaving most of
    their 0s blank, all well above the limit (its blanks decide no one); 青山村 16 writing 0 in every
    amount but 4 cells left blank, one each in 4 households."""
    ids = iter(_ids(80, 301))
    slips = {1: "财产性收入", 5: "生产性固定资产折旧", 9: "家庭经营收入", 13: "税金和上交承包费用"}
    rows = ([household(户主身份证号=next(ids), 户主姓名=f"前{i}", 行政村="前岗村") for i in range(40)]
            + _mostly_blank(ids, "东兴村", [40000] * 12)
            + [household(户主身份证号=next(ids), 户主姓名=f"青{i}", 行政村="青山村", 工资性收入=40000, 家庭总收入=40000,
                         **({slips[i]: None} if i in slips else {})) for i in range(16)])
    folder = tmp_path_factory.mktemp("township")
    done = _check(folder, write_workbook(folder / "合隆镇.xlsx", {"合隆镇": rows}))
    return folder, re.sub(r"\s+", "", done.output)


def _listed_blanks(folder) -> dict[str, int]:
    """Per village, the blank warnings listed row by row in quality.xlsx's 问题清单 and in report.html."""
    listing = openpyxl.load_workbook(folder / "report" / "quality.xlsx")["问题清单"]
    rows = [" ".join(str(c) for c in r if c is not None) for r in listing.iter_rows(min_row=4, values_only=True)]
    html = (folder / "report" / "report.html").read_text(encoding="utf-8")
    trs = re.findall(r'<tr class="warning" data-sev="\w+" data-code="missing_value">.*?</tr>', html, flags=re.S)
    rows = [r for r in rows if "missing_value" in r]
    return {f"{where}{village}": sum(village in r for r in listed)
            for where, listed in (("xlsx", rows), ("html", trs)) for village in ("东兴村", "青山村", "前岗村")}


def test_a_village_leaving_most_zeros_blank_is_one_finding_not_a_warning_per_cell(township):
    folder, said = township
    # One finding of the village's blanks, said with the 0s it wrote (not "no 0 anywhere").
    assert ("合隆镇.xlsx「合隆镇」合隆镇东兴村:金额为0的大多留空没有填0(全村填0的只有18处),12户共60处金额空格"
            "(该村12户,第42-53行),都按0元计算。请核实:确实没有的填0,漏填的补上金额") in said, said
    assert "全村没有一处金额填0" not in said and said.count("东兴村") == 1, said
    # issues.csv keeps every blank, the village's 60 and 青山村's 4.
    issues = read_issues(folder / "report" / "issues.csv")
    blank = issues[issues["code"] == "missing_value"]
    assert len(blank) == 64 and (blank["severity"] == "warning").all(), blank
    # None of 东兴村's blanks listed row by row for a person; 青山村's 4 are.
    assert _listed_blanks(folder) == {"xlsx东兴村": 0, "xlsx青山村": 4, "xlsx前岗村": 0,
                                      "html东兴村": 0, "html青山村": 4, "html前岗村": 0}
    # The terminal's work: 青山村's 4 blanks to check one by one, 东兴村's 60 as one finding.
    assert ("有4条警告需在report.html里逐条核实,涉及4户(漏填4条);另有1项整村或整列的问题(共60处空格)") in said, said


def test_a_village_writing_most_of_its_zeros_keeps_its_few_blanks_row_by_row(township):
    folder, said = township
    # 青山村 writes 0 in 92 of its 96 amounts of 0: its 4 blanks are slips, each to check.
    assert "青山村:金额为0" not in said and "青山村" not in said, said
    listed = _listed_blanks(folder)
    assert (listed["xlsx青山村"], listed["html青山村"]) == (4, 4), listed
    issues = read_issues(folder / "report" / "issues.csv")
    assert (issues["village"] == "青山村").sum() == 4, issues


def test_a_village_leaving_most_zeros_blank_says_the_households_decided_on_its_blank_incomes(tmp_path):
    # 西岭村: 4 households below the line on their wages alone (2,000 a head), 5 candidates (3,333), 3 above
    # the limit; every household has an income blank (read as 0), so 4 and 5 rest on blanks.
    ids = iter(_ids(52, 601))
    rows = ([household(户主身份证号=next(ids), 户主姓名=f"前{i}", 行政村="前岗村") for i in range(40)]
            + _mostly_blank(ids, "西岭村", [6000] * 4 + [10000] * 5 + [40000] * 3))
    said = re.sub(r"\s+", "", _check(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows})).output)
    line = re.search(r"【影响认定】[^【]*?合隆镇西岭村:金额为0的大多留空没有填0[^\n]*?补上金额", said)
    assert line, said
    assert "(全村填0的只有18处),12户共60处金额空格" in line.group(0), line.group(0)
    assert ("该村有4户认定为“低于贫困标准”、5户认定为“贫困边缘户候选”,这些户都有空着的收入按0计算,"
            "补上后认定可能改变:请在评议会前核实") in line.group(0), line.group(0)


def test_the_finding_reads_in_english_with_the_zeros_written(tmp_path):
    ids = iter(_ids(52, 801))
    rows = ([household(户主身份证号=next(ids), 户主姓名=f"前{i}", 行政村="前岗村") for i in range(40)]
            + _mostly_blank(ids, "东兴村", [40000] * 12))
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows})
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01",
                               "--lang", "en"], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    said = re.sub(r"\s+", " ", done.output)
    assert ("合隆镇东兴村: amounts of 0 are mostly left blank, not written 0 (amounts of the village written 0: "
            "only 18): 60 blank amounts in 12 households (of the village's 12; rows 42-53)") in said, said
    assert "no amount of the village is written 0" not in said, said
