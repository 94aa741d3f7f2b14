"""A village that types no 0 anywhere, its 转移性收入 blank throughout, says what rests on its blanks.

Such a village has one blank_for_zero finding of all its blank amounts (of no one column), and
systemic.weigh_blank_income weighed only the findings of one income column: the village whose blanks
decide households said them in the words of a harmless blank. Now the finding is weighed by its
issues' own fields (an income component's blanks, each household once; a blank cost not) and the
terminal marks it 【影响认定】 with the counts."""

from __future__ import annotations

import re

import pandas as pd
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app

runner = CliRunner()

# Every amount a clerk would write 0 left blank: 家庭经营收入, 财产性收入, 转移性收入 and the costs.
BLANK = {"家庭经营收入": None, "财产性收入": None, "转移性收入": None, "家庭经营费用支出": None,
         "生产性固定资产折旧": None, "税金和上交承包费用": None, "家庭生产经营性支出": None}


def _ids(n: int, start: int) -> list[str]:
    born = pd.date_range("1958-01-01", periods=n, freq="13D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


def checked_blank_for_zero(folder, village: str) -> tuple[str, re.Match]:
    """`check` of `folder`: its output without white space, and the 【影响认定】 line of `village`
    leaving its zeros blank (asserted there)."""
    done = runner.invoke(app, ["check", str(folder), "-o", str(folder / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    said = re.sub(r"\s+", "", done.output)
    line = re.search(rf"【影响认定】[^【]*?合隆镇{village}:金额为0的都留空没有填0[^\n]*?补上金额", said)
    assert line, said
    return said, line


def test_a_village_typing_no_zero_says_the_households_decided_on_its_blank_incomes(tmp_path):
    # 6 households whose wages alone are 2,000 a head (below the line), 8 of 3,333 (candidates), 2 of
    # 13,333 (decided on nothing blank); each has three blank incomes, counted once.
    ids = iter(_ids(30, 701))
    rows = [household(户主身份证号=next(ids), 行政村="西岭村", 工资性收入=wage, 家庭总收入=wage, **BLANK)
            for wage in [6000] * 6 + [10000] * 8 + [40000] * 2]
    write_workbook(tmp_path / "西岭村.xlsx", {"西岭村": rows})
    # 东岭村 types no 0 either but writes every income: only its costs are blank, which read as 0 only
    # keep a household higher, so its 14 candidates rest on nothing blank.
    costs = {k: v for k, v in BLANK.items() if k not in ("家庭经营收入", "财产性收入", "转移性收入")}
    rows = [household(户主身份证号=next(ids), 行政村="东岭村", 工资性收入=9000, 家庭经营收入=500, 财产性收入=100,
                      转移性收入=200, 家庭总收入=9800, **costs) for _ in range(14)]
    write_workbook(tmp_path / "东岭村.xlsx", {"东岭村": rows})
    said, line = checked_blank_for_zero(tmp_path, "西岭村")
    assert "该村有6户认定为“低于贫困标准”、8户认定为“贫困边缘户候选”,这些户都有空着的收入按0计算,补上后认定可能改变" in line.group(0), line.group(0)
    assert "16户共" in line.group(0), line.group(0)
    assert "合隆镇东岭村:金额为0的都留空没有填0" in said and "【影响认定】东岭村.xlsx" not in said, said
