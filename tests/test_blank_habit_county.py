"""Villages that all leave 0 blank are one finding, said once; each village's stays whole where it is needed.

An outside try (three counties of 20,000 households whose enumerators leave 0 blank, the normal way to
fill the form there): each of ~108 villages got its own blank_for_zero finding, and the terminal printed
10 near-identical 【影响认定】 paragraphs and 「另有 98 项同类问题」, report.html and quality.xlsx's 概览
listed 108. Where they reach 3 villages or more, they are one line: how many villages of how many, their
households and blank cells, the households decided on them, what to do and where the village-by-village
list is (quality.xlsx's 各村整村问题, which lists every kind of village finding said so, 问题 saying
which; each village's fix list says its own, as before). Under 3 villages
(an enumerator's block counted with its village), each is said as before. The 概览's count of warnings
says what it holds beside the verdict's."""

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

ZERO_COLUMNS = ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]
BLANK_VILLAGES = [("合隆镇", "东兴村"), ("合隆镇", "西岭村"), ("哈拉海镇", "南山村"), ("哈拉海镇", "北河村")]
# Per blank village: 2 below the line on their wage alone (2,000 a head), 3 candidates (3,333), 7 above.
WAGES = [6000] * 2 + [10000] * 3 + [40000] * 7


def _ids(n: int, start: int):
    born = pd.date_range("1958-03-01", periods=n, freq="13D").strftime("%Y%m%d")
    return iter([make_id(day, serial=start + 2 * i) for i, day in enumerate(born)])


def _blank_village(ids, township: str, village: str, wages=WAGES, **more) -> list[dict]:
    """A village whose every amount of 0 is blank: the wage written, nothing else."""
    return [household(户主身份证号=next(ids), 户主姓名=f"{village[0]}{i}", **{"乡(镇)": township},
                      行政村=village, 工资性收入=wage, 家庭总收入=wage, 家庭生产经营性支出=None,
                      **{c: None for c in ZERO_COLUMNS}, **more)
            for i, wage in enumerate(wages)]


def _typing_village(ids, township: str, village: str, n: int, **more) -> list[dict]:
    """A village that writes its 0s, as the form asks."""
    return [household(户主身份证号=next(ids), 户主姓名=f"{village[0]}{i}", **{"乡(镇)": township}, 行政村=village,
                      **more) for i in range(n)]


def _check(folder, path, *args):
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01", *args],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    return done.output


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """Two townships' sheets: 合隆镇 with 前岗村 (20 households writing every 0 but one slip, its 是否特困人员
    left blank throughout: a finding of its own) and 东兴村, 西岭村 leaving every 0 blank; 哈拉海镇 with
    南山村 and 北河村 leaving every 0 blank. Four villages of five, in both townships."""
    ids = _ids(80, 301)
    typing = _typing_village(ids, "合隆镇", "前岗村", 20, 是否特困人员=None)
    typing[3]["财产性收入"] = None  # a slip, to check one by one
    sheets = {"合隆镇": typing + _blank_village(ids, "合隆镇", "东兴村") + _blank_village(ids, "合隆镇", "西岭村"),
              "哈拉海镇": _blank_village(ids, "哈拉海镇", "南山村") + _blank_village(ids, "哈拉海镇", "北河村")}
    folder = tmp_path_factory.mktemp("county")
    said = _check(folder, write_workbook(folder / "县.xlsx", sheets))
    issues = read_issues(folder / "report" / "issues.csv")
    blanks = issues[(issues["code"] == "missing_value") & issues["field"].ne("是否特困人员")
                    & issues["village"].isin([v for _, v in BLANK_VILLAGES])]
    return folder, re.sub(r"\s+", "", said), blanks


def test_the_terminal_says_the_villages_leaving_0_blank_in_one_line(county):
    folder, said, blanks = county
    assert len(blanks) and blanks["village"].nunique() == 4, blanks
    households = blanks.groupby(["township", "village", "row"]).ngroups
    line = (f"【影响认定】4个村(分属2个乡镇;本次共5个村、2个乡镇)金额为0的留空没有填0:这些村共{households}户有金额空格,"
            f"共{len(blanks)}处,都按0元计算。其中8户认定为“低于贫困标准”、12户认定为“贫困边缘户候选”,"
            "这些户都有空着的收入按0计算,补上后认定可能改变:请各村在评议会前核实,确实没有的填0,漏填的补上金额。"
            "各村的修改清单列出本村的空格;逐村情况见quality.xlsx的「各村整村问题」表。")
    assert said.count(line) == 1, said
    # No village's own paragraph, no 「另有 N 项同类问题」.
    assert "全村没有一处金额填0" not in said and "同类问题" not in said, said
    # The other finding (前岗村's 是否特困人员 blank throughout) is still said, on its own.
    assert said.count("前岗村") == 1, said
    assert "该村这一列都没有填写,空格都按「否」处理" in said, said
    # The warnings' line counts the findings as said: 2, not 5.
    assert "有1条警告需在report.html里逐条核实,涉及1户(漏填1条);另有2项整村或整列的问题(共" in said, said


def test_the_overview_and_the_page_say_it_once_and_the_warnings_counts_agree(county):
    folder, said, blanks = county
    book = openpyxl.load_workbook(folder / "report" / "quality.xlsx")
    overview = [str(c) for row in book["概览"].iter_rows(values_only=True) for c in row if c is not None]
    habit = [c for c in overview if "金额为 0 的留空没有填 0" in c]
    assert len(habit) == 1 and habit[0].startswith("【影响认定】4 个村"), overview
    assert not any("全村没有一处金额填 0" in c for c in overview), overview
    assert any("该村这一列都没有填写" in c for c in overview), overview
    # The table's 警告 and the verdict's warnings: the note says what each counts.
    rows = list(book["概览"].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == "农户数")
    table = int(rows[at + 1][2])
    verdict = re.search(r"有 ([\d,]+) 条警告需逐条核实", rows[1][0])
    assert verdict, rows[1][0]
    split = [c for c in overview if c.startswith("「警告」")]
    assert split == [f"「警告」{table:,} 条是全部警告:其中 {verdict.group(1)} 条需逐条核实(结论所说),其余 "
                     f"{table - int(verdict.group(1).replace(',', '')):,} 处空格属于 2 项整村或整列的问题,每项一并处理。"], \
        (split, table, verdict.group(0))
    html = (folder / "report" / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="systemic".*?</section>', html, flags=re.S).group(0)
    items = re.findall(r"<li>.*?</li>", section, flags=re.S)
    assert len(items) == 2 and sum("金额为 0 的留空没有填 0" in i for i in items) == 1, items
    assert "全村没有一处金额填 0" not in section and 'id="warnings-split"' in section, section


def test_every_village_keeps_its_own_finding_on_its_fix_list_and_in_the_full_listing(county):
    folder, said, blanks = county
    sheet = openpyxl.load_workbook(folder / "report" / "quality.xlsx")["各村整村问题"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "乡(镇)")
    listed = [row for row in rows[header + 1:] if row[0]]
    assert [(t, v) for t, v, *_ in listed] == BLANK_VILLAGES, listed
    for township, village, _, problem, households, cells, below, candidates, message in listed:
        own = blanks[blanks["village"] == village]
        assert (problem, households, cells, below, candidates) == ("金额为 0 的留空没有填 0", 12, len(own), 2, 3), listed
        assert f"{township}{village}:金额为 0 的都留空没有填 0(全村没有一处金额填 0)" in message, message
        fix = openpyxl.load_workbook(folder / "report" / "quality-villages" / f"{township}-{village}-问题清单.xlsx")
        text = " ".join(str(c) for ws in fix for row in ws.iter_rows(values_only=True) for c in row if c is not None)
        assert f"{township}{village}:金额为 0 的都留空没有填 0" in text, text
    # The village writing its 0s is in neither.
    assert "前岗村" not in [v for _, v, *_ in listed]


def test_two_villages_leaving_0_blank_are_said_each_as_before(tmp_path):
    # 东兴村's two enumerators each leave 0 blank (two findings), 西岭村 too: three findings, two villages.
    ids = _ids(60, 701)
    rows = (_typing_village(ids, "合隆镇", "前岗村", 20)
            + _blank_village(ids, "合隆镇", "东兴村", 填表人="张三") + _blank_village(ids, "合隆镇", "东兴村", 填表人="李四")
            + _blank_village(ids, "合隆镇", "西岭村"))
    said = re.sub(r"\s+", "", _check(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows},
                                                              more=["填表人"])))
    assert said.count("全村没有一处金额填0") == 1 and said.count("他(她)在本村填的没有一处金额填0") == 2, said
    assert "留空没有填0:这些村" not in said, said
    book = openpyxl.load_workbook(tmp_path / "report" / "quality.xlsx")
    assert "各村整村问题" not in book.sheetnames, book.sheetnames


def test_the_line_reads_in_english(tmp_path):
    ids = _ids(80, 21)
    sheets = {"合隆镇": _typing_village(ids, "合隆镇", "前岗村", 20) + _blank_village(ids, "合隆镇", "东兴村")
              + _blank_village(ids, "合隆镇", "西岭村") + _blank_village(ids, "合隆镇", "南山村", wages=[40000] * 12)}
    said = re.sub(r"\s+", " ", _check(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", sheets), "--lang", "en"))
    assert ("[changes decisions] 3 of 4 villages (townships: 1 of 1) leave amounts of 0 blank, not written 0:") in said, said
    assert "Of them, 4 households below the poverty line, 6 candidate households" in said, said
    assert "see the “village problems” sheet of quality.xlsx" in said, said
