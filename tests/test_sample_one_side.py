"""A county that listed nobody (or everybody): its sample has no household on one side, and one of
the two rates cannot be estimated. An outside try learnt it only from the backcheck ("错评率:—");
the sample says it when it is drawn, on the terminal and in 抽样设计.xlsx's 说明."""

from __future__ import annotations

import openpyxl
import pytest

from spotcheck_builders import above, candidate, draw, run, write_survey


def _texts(path) -> str:
    book = openpyxl.load_workbook(path)
    return "".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row if v)


@pytest.mark.parametrize(("rows", "said", "not_said"), [
    ([above("前岗村", "甲") for _ in range(6)] + [above("东兴村", "乙") for _ in range(4)],
     "样本中没有候选户(本县没有列入名单的农户):核查结果只能估计漏评率,错评率无从计算。", "样本中没有非候选户"),
    ([candidate("前岗村", "甲") for _ in range(6)] + [candidate("东兴村", "乙") for _ in range(4)],
     "样本中没有非候选户(本县每一户都列入了名单):核查结果只能估计错评率,漏评率无从计算。", "样本中没有候选户"),
])
def test_a_sample_with_no_household_on_one_side_says_which_rate_it_cannot_give(tmp_path, rows, said, not_said):
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    terminal = "".join(draw(tmp_path, "抽查", "--seed", "11").output.split())
    assert said in terminal and not_said not in terminal, terminal
    design = next((tmp_path / "抽查").glob("抽样设计*.xlsx"))
    assert said in _texts(design), _texts(design)


def test_a_sample_with_both_sides_says_nothing_of_it(tmp_path):
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙") for _ in range(5)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    terminal = "".join(draw(tmp_path, "抽查", "--seed", "11").output.split())
    assert "样本中没有" not in terminal, terminal
