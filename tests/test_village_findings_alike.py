"""A village finding repeated across villages is said once: the column, the cause once, how many villages.

An outside try's county (a_农安县) printed, after the one line of its villages leaving 0 blank, 20
near-identical paragraphs 「…前岗乡友谊村 V列「是否建档立卡贫困户」:漏填 166 行,占该村 166 户的 100%…可能原因:
该村这一列都没有填写…」, one per village, and 「另有 11 项同类问题」. Village findings of one check, field and
cause in 3 villages or more (an enumerator's block counted with its village) are one line on the terminal,
report.html and the 概览; each village stays on its fix list and on quality.xlsx's 各村整村问题 sheet, its
problem in a column of its own. Two villages are said each, as before; a finding of one village or of a
whole sheet is said as before."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from edgescreen.cli import app
from survey_builders import HEADERS, household, make_id, write_workbook

runner = CliRunner()

FLAG = "是否建档立卡贫困户"
COLUMN = chr(ord("A") + HEADERS.index(FLAG))  # U
ZERO_COLUMNS = ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]
# Leaving 是否建档立卡贫困户 blank throughout, their 0s typed: 2 villages in 合隆镇, 1 in 哈拉海镇.
FLAG_VILLAGES = [("合隆镇", "东兴村"), ("合隆镇", "西岭村"), ("哈拉海镇", "南山村")]


def _ids(n: int, start: int):
    born = pd.date_range("1961-05-01", periods=n, freq="11D").strftime("%Y%m%d")
    return iter([make_id(day, serial=start + 2 * i) for i, day in enumerate(born)])


def _village(ids, township: str, village: str, n: int, **more) -> list[dict]:
    """A village writing its 0s, as the form asks; `more` its cells otherwise (None: blank)."""
    return [household(户主身份证号=next(ids), 户主姓名=f"{village[0]}{i}", **{"乡(镇)": township}, 行政村=village,
                      **more) for i in range(n)]


def _blank_for_zero(ids, township: str, village: str, n: int = 12) -> list[dict]:
    """A village whose every amount of 0 is blank: the wage written, nothing else."""
    return _village(ids, township, village, n, 工资性收入=40000, 家庭总收入=40000, 家庭生产经营性支出=None,
                    **{c: None for c in ZERO_COLUMNS})


def _check(folder, path, *args):
    done = runner.invoke(app, ["check", str(path), "-o", str(folder / "report"), "--as-of", "2020-01-01", *args],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    return done.output


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _findings_said(said: str) -> int:
    """How many findings the warnings' line counts (its 「N 项整村或整列的问题(共 … 处空格)」)."""
    counted = re.findall(r"(\d+)项整村或整列的问题\(共", said)
    assert len(counted) == 1, said
    return int(counted[0])


def _overview(folder) -> list[str]:
    book = openpyxl.load_workbook(folder / "report" / "quality.xlsx")
    return [str(c) for row in book["概览"].iter_rows(values_only=True) for c in row if c is not None]


def _systemic_items(folder) -> list[str]:
    html = (folder / "report" / "report.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="systemic".*?</section>', html, flags=re.S).group(0)
    return re.findall(r"<li>.*?</li>", section, flags=re.S)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """合隆镇's sheet: 前岗村 (30 households filling 是否建档立卡贫困户, leaving 是否特困人员 blank throughout:
    a finding of one village), 东兴村 and 西岭村 (12 each, 是否建档立卡贫困户 blank throughout); 哈拉海镇's:
    南山村 blank so, 北河村 filling it. Under half of each sheet blank: no sheet's finding, the villages'."""
    ids = _ids(90, 401)
    sheets = {"合隆镇": _village(ids, "合隆镇", "前岗村", 30, 是否特困人员=None)
              + _village(ids, "合隆镇", "东兴村", 12, **{FLAG: None}) + _village(ids, "合隆镇", "西岭村", 12, **{FLAG: None}),
              "哈拉海镇": _village(ids, "哈拉海镇", "南山村", 12, **{FLAG: None}) + _village(ids, "哈拉海镇", "北河村", 20)}
    folder = tmp_path_factory.mktemp("county")
    said = _check(folder, write_workbook(folder / "县.xlsx", sheets))
    return folder, _squeezed(said)


LINE = (f"3个村(分属2个乡镇;本次共5个村、2个乡镇){COLUMN}列「{FLAG}」:漏填36行(这些村共36户)。"
        "可能原因:这些村这一列都没有填写,空格都按「否」处理:请各村逐户填写是或否。"
        "各村的修改清单列出本村的行;逐村情况见quality.xlsx的「各村整村问题」表。")


def test_the_terminal_says_the_villages_alike_in_one_line(county):
    folder, said = county
    assert said.count(LINE) == 1, said
    # No village's own paragraph of it, no 「另有 N 项同类问题」.
    for _, village in FLAG_VILLAGES:
        assert village not in said, said
    assert "同类问题" not in said, said
    # 前岗村's 是否特困人员, a finding of one village, is said on its own as before.
    assert said.count("前岗村") == 1 and "合隆镇前岗村T列「是否特困人员」:漏填30行,占该村30户的100%" in said, said
    # The warnings' line counts the findings as said: 2, not 4.
    assert _findings_said(said) == 2, said


def test_the_overview_and_the_page_say_it_once(county):
    folder, _ = county
    overview = [_squeezed(c) for c in _overview(folder)]
    assert overview.count(LINE) == 1, overview
    assert not any(f"合隆镇东兴村{COLUMN}列" in c for c in overview), overview
    # The note on the count of warnings counts the findings as said.
    assert any(c.startswith("「警告」") and "属于2项整村或整列的问题" in c for c in overview), overview
    items = [_squeezed(re.sub(r"<[^>]+>", "", i)) for i in _systemic_items(folder)]
    assert len(items) == 2 and items.count(LINE) == 1, items


def test_every_village_is_on_the_sheet_and_keeps_its_finding_on_its_fix_list(county):
    folder, _ = county
    book = openpyxl.load_workbook(folder / "report" / "quality.xlsx")
    assert "各村整村问题" in book.sheetnames and "各村金额留空" not in book.sheetnames, book.sheetnames
    rows = list(book["各村整村问题"].iter_rows(values_only=True))
    assert _squeezed(rows[0][0]) == LINE, rows[0]
    header = next(i for i, row in enumerate(rows) if row[0] == "乡(镇)")
    assert list(rows[header]) == ["乡(镇)", "行政村", "填表人", "问题", "涉及户数", "单元格数", "其中低于贫困标准(户)",
                                  "其中候选(户)", "说明"], rows[header]
    listed = [row for row in rows[header + 1:] if row[0]]
    assert [(t, v) for t, v, *_ in listed] == FLAG_VILLAGES, listed
    for township, village, enumerator, problem, households, cells, below, candidates, message in listed:
        # A flag left blank decides no household: those columns are blank, not 0.
        assert (enumerator, problem, households, cells, below, candidates) == \
            (None, f"{COLUMN}列「{FLAG}」:漏填", 12, 12, None, None), listed
        own = f"{township}{village} {COLUMN}列「{FLAG}」:漏填 12 行,占该村 12 户的 100%"
        assert own in message and "该村这一列都没有填写" in message, message
        fix = openpyxl.load_workbook(folder / "report" / "quality-villages" / f"{township}-{village}-问题清单.xlsx")
        text = " ".join(str(c) for ws in fix for row in ws.iter_rows(values_only=True) for c in row if c is not None)
        assert own in text, text
    # The village of a finding of its own is not on it.
    assert "前岗村" not in [v for _, v, *_ in listed]


def test_two_villages_are_said_each_as_before(tmp_path):
    # 东兴村's two enumerators each leave the column blank (two findings), 西岭村 too: three findings, two villages.
    ids = _ids(90, 601)
    rows = (_village(ids, "合隆镇", "前岗村", 40)
            + _village(ids, "合隆镇", "东兴村", 12, 填表人="张三", **{FLAG: None})
            + _village(ids, "合隆镇", "东兴村", 12, 填表人="李四", **{FLAG: None})
            + _village(ids, "合隆镇", "西岭村", 12, **{FLAG: None}))
    said = _squeezed(_check(tmp_path, write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows}, more=["填表人"])))
    assert said.count(f"{COLUMN}列「{FLAG}」:漏填12行") == 3, said
    assert said.count("该村这一列都没有填写,空格都按「否」处理") == 3 and "这些村" not in said, said
    assert _findings_said(said) == 3, said
    book = openpyxl.load_workbook(tmp_path / "report" / "quality.xlsx")
    assert "各村整村问题" not in book.sheetnames, book.sheetnames
    assert len(_systemic_items(tmp_path)) == 3


def test_villages_leaving_0_blank_and_a_flag_blank_are_two_lines_and_one_sheet(tmp_path):
    """Three villages leaving 0 blank and three others leaving the flag blank: the one line of each kind,
    the first as 11fea5c said it; the sheet lists the six, each kind's columns as they mean."""
    ids = _ids(160, 201)
    sheets = {"合隆镇": _village(ids, "合隆镇", "前岗村", 40) + _blank_for_zero(ids, "合隆镇", "红旗村")
              + _village(ids, "合隆镇", "东兴村", 12, **{FLAG: None}) + _village(ids, "合隆镇", "西岭村", 12, **{FLAG: None}),
              "哈拉海镇": _village(ids, "哈拉海镇", "北河村", 30) + _blank_for_zero(ids, "哈拉海镇", "五星村")
              + _blank_for_zero(ids, "哈拉海镇", "靠山村") + _village(ids, "哈拉海镇", "南山村", 12, **{FLAG: None})}
    said = _squeezed(_check(tmp_path, write_workbook(tmp_path / "县.xlsx", sheets)))
    flag = (f"3个村(分属2个乡镇;本次共8个村、2个乡镇){COLUMN}列「{FLAG}」:漏填36行(这些村共36户)。"
            "可能原因:这些村这一列都没有填写")
    zeros = ("3个村(分属2个乡镇;本次共8个村、2个乡镇)金额为0的留空没有填0:这些村共36户有金额空格,共252处,都按0元计算。"
             "请各村核实:确实没有的填0,漏填的补上金额。各村的修改清单列出本村的空格;逐村情况见quality.xlsx的「各村整村问题」表。")
    assert said.count(flag) == 1 and said.count(zeros) == 1, said
    assert "同类问题" not in said and _findings_said(said) == 2, said
    assert len(_systemic_items(tmp_path)) == 2
    rows = list(openpyxl.load_workbook(tmp_path / "report" / "quality.xlsx")["各村整村问题"].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "乡(镇)")
    listed = {(row[1], row[3]): row[4:8] for row in rows[header + 1:] if row[0]}
    assert listed == {**{(v, "金额为 0 的留空没有填 0"): (12, 84, 0, 0) for v in ("红旗村", "五星村", "靠山村")},
                      **{(v, f"{COLUMN}列「{FLAG}」:漏填"): (12, 12, None, None) for v in ("东兴村", "西岭村", "南山村")}}, listed


def test_the_line_reads_in_english(county, tmp_path):
    folder, _ = county
    said = re.sub(r"\s+", " ", _check(tmp_path, next(folder.glob("县.xlsx")), "--lang", "en"))
    assert (f"3 of 5 villages (townships: 2 of 2), column {COLUMN} ({FLAG}): blank cell in 36 rows "
            "(of their 36 households). Likely cause: the villages left the column empty and every blank is read as no") in said, said
    assert "see the “village problems” sheet of quality.xlsx" in said, said
