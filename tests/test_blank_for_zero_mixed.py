"""Enumerators who write 0 half the time and leave it blank the other half: their blanks are one finding.

An outside try (a clean county of 8,137 households) had enumerators who, household by household, wrote 0
or left it blank at random: their blocks had 35-50 % of their zeros blank, under the half that made a
blank_for_zero finding, and 558 blank cells stayed warnings one by one, with false 疑点 marks on the
village lists. A blank a third of the time or more is a way of writing 0 (systemic.BLANK_SHARE): such an
enumerator's blanks are one finding, said as 有的留空、有的填 0 (not 大多留空), while a careful 0-writer's few
real omissions stay warnings one by one. End to end through `check` and `screen` on a township's sheet
built here, with its 填表人 column."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.catalogue import messages
from edgescreen.outputs.ledger import read_issues
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

ZERO_COLUMNS = ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]
DOUBTS = "疑点"  # the village list's column (test_village_list_doubts)


def _ids(n: int, start: int):
    born = pd.date_range("1961-03-01", periods=n, freq="11D").strftime("%Y%m%d")
    return iter([make_id(day, serial=start + 2 * i) for i, day in enumerate(born)])


def _mixed(name: str, enumerator: str, ids, blank_of) -> list[dict]:
    """15 candidates of 前岗村 by `enumerator`, each amount of 0 (ZERO_COLUMNS) left blank where
    blank_of(household, column) and written 0 elsewhere; the totals written."""
    return [household(户主身份证号=next(ids), 户主姓名=f"{name}{i:02d}", 行政村="前岗村", 填表人=enumerator,
                      工资性收入=10000, 家庭总收入=10000, 家庭生产经营性支出=0,
                      **{column: None if blank_of(i, j) else 0 for j, column in enumerate(ZERO_COLUMNS)})
            for i in range(15)]


def _careful(village: str, name: str, enumerator: str, ids, n: int, omitted: int) -> list[dict]:
    """`n` candidates of `village` writing every 0, the first `omitted` of them leaving 财产性收入 blank."""
    return [household(户主身份证号=next(ids), 户主姓名=f"{name}{i:02d}", 行政村=village, 填表人=enumerator,
                      工资性收入=10000, **({"财产性收入": None, "家庭总收入": 10000} if i < omitted else {}))
            for i in range(n)]


# 张三 leaves 2 of every 5 zeros blank (36 of 90: 40 %), 李四 4 of every 9 (40 of 90: 44 %): under half.
# Never three in a row: no household leaves all three costs blank beside their total written 0, which says
# them 0 (no blank to warn of).
ZHANG = lambda i, j: (i * 6 + j) % 5 < 2  # noqa: E731
LI = lambda i, j: (i * 6 + j) % 9 in (0, 1, 3, 4)  # noqa: E731


@pytest.fixture(scope="module")
def township(tmp_path_factory):
    """合隆镇's sheet: 前岗村 (张三, 李四: rows 2-16, 17-31) mixing 0 and blank; 后岗村 (王五, rows 32-41)
    writing every 0, three households leaving 财产性收入 blank; 东岗村 (赵六, rows 42-71) the same with
    twelve of thirty: enough households for a pattern, but 12 blanks of its 180 zeros."""
    ids = _ids(70, 301)
    rows = (_mixed("张户", "张三", ids, ZHANG) + _mixed("李户", "李四", ids, LI)
            + _careful("后岗村", "王户", "王五", ids, 10, 3) + _careful("东岗村", "赵户", "赵六", ids, 30, 12))
    folder = tmp_path_factory.mktemp("mixed")
    path = write_workbook(folder / "合隆镇.xlsx", {"合隆镇": rows}, more=["填表人"])
    said = {}
    for lang in ("zh", "en"):
        done = runner.invoke(app, ["check", str(path), "-o", str(folder / f"check-{lang}"), "--as-of", "2020-01-01",
                                   "--lang", lang], env={"COLUMNS": "200"})
        assert done.exit_code == 0, done.output
        said[lang] = done.output
    done = runner.invoke(app, ["screen", str(path), "-o", str(folder / "screen"), "--as-of", "2020-01-01"])
    assert done.exit_code == 0, done.output
    return folder, said


def _blanks(pattern) -> int:
    return sum(pattern(i, j) for i in range(15) for j in range(len(ZERO_COLUMNS)))


def _listed_blanks(report) -> pd.DataFrame:
    """The blank warnings listed row by row in quality.xlsx's 问题清单: (village, row)."""
    listing = openpyxl.load_workbook(report / "quality.xlsx")["问题清单"]
    text = [" ".join(str(c) for c in r if c is not None) for r in listing.iter_rows(values_only=True)]
    found = [(m.group(1), int(m.group(2))) for line in text if "为空" in line
             for m in [re.search(r"(前岗村|后岗村|东岗村).*?第(\d+)行", line)] if m]
    return pd.DataFrame(found, columns=["village", "row"])


def test_each_mixing_enumerator_is_one_finding_said_as_mixing(township):
    _, said = township
    said = re.sub(r"\s+", "", said["zh"])
    for who, pattern, rows in (("张三", ZHANG, "2-16"), ("李四", LI, "17-31")):
        typed, blank = 90 - _blanks(pattern), _blanks(pattern)
        line = re.search(rf"合隆镇前岗村\(填表人{who}\):[^\n]*?补上金额", said)
        assert line, said
        assert line.group(0).startswith(
            f"合隆镇前岗村(填表人{who}):金额为0的有的留空、有的填0(他(她)在本村填的填0的有{typed}处),15户共{blank}处金额空格"
            f"(他(她)在本村填的15户,第{rows}行),都按0元计算。他(她)在本村填的有"), line.group(0)
        assert "大多留空" not in line.group(0) and "都留空" not in line.group(0)
        assert said.count(f"(填表人{who})") == 1, said
    # The careful villages are no finding of their own: their blanks are theirs to check one by one.
    assert "后岗村" not in said.split("整列或整村的问题")[1] and "东岗村" not in said.split("整列或整村的问题")[1], said


def test_the_words_in_english(township):
    _, said = township
    said = re.sub(r"\s+", " ", said["en"])
    assert (f"合隆镇前岗村 (enumerator 张三): amounts of 0 are left blank in some households, written 0 in others "
            f"(amounts of this enumerator's work in the village written 0: {90 - _blanks(ZHANG)}): {_blanks(ZHANG)} blank amounts "
            "in 15 households (of this enumerator's in-village 15; rows 2-16), each read as 0 yuan.") in said, said
    assert "mostly left blank" not in said


def test_issues_csv_keeps_every_blank_and_no_mixing_household_is_listed_or_doubted(township):
    folder, _ = township
    issues = read_issues(folder / "screen" / "issues.csv")
    blank = issues[issues["code"] == "missing_value"]
    assert (blank["village"] == "前岗村").sum() == _blanks(ZHANG) + _blanks(LI), blank
    assert (blank["village"] == "后岗村").sum() == 3 and (blank["village"] == "东岗村").sum() == 12, blank
    # None of 前岗村's blanks is listed one by one; each of the careful villages' blanks is.
    listed = _listed_blanks(folder / "check-zh")
    assert sorted(listed["row"]) == [32, 33, 34, *range(42, 54)], listed
    # The village lists: no 前岗村 household has a 疑点 for its blanks; 后岗村's three omissions do.
    assert _doubts(folder, "合隆镇-前岗村.xlsx") == {}
    assert _doubts(folder, "合隆镇-后岗村.xlsx") == {f"王户{i:02d}": "财产性收入未填" for i in range(3)}


def _doubts(folder, village: str) -> dict[str, str]:
    """The households of a village's candidates list with something in its 疑点 column: {head: doubt}."""
    ws = openpyxl.load_workbook(folder / "screen" / "villages" / village)[messages().labels["sheet_candidates"]("zh")]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "序号")
    heads = rows[header]
    table = [dict(zip(heads, row)) for row in rows[header + 1:] if isinstance(row[0], int)]
    assert table, rows
    return {row["户主姓名"]: row[DOUBTS] for row in table if row.get(DOUBTS)}
