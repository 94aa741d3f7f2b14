"""The register's printed pages as outside testers printed them with LibreOffice (try BC, BB, 2026-12-07):
long names and groups wrapped mid-word in columns of ten (瓜尔佳·文 / 瑞, 十一组(老 / 虎沟屯)) while other
columns had room; the 入户核实's header printed 人均纯收入(元 over a lone ); a 社区's column said 村民小组
on a page saying 居民代表大会; the 民主评议's line read 2019年度收入;人均… where a colon is meant; and
the register's 公示 cited no document where screen's own notice cites the rule set's basis.

Widths are checked as the code reckons them (xlsx.printed_lines, line_width), each column at the width
it was given (openpyxl's stored width less Excel's 0.71); the print scale as xlsx.print_scale reckons
the page's width."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from register_builders import household_table
from survey_builders import make_id
from years_builders import STEPS, fill_step, run, survey
from edgescreen.outputs.xlsx import breaks_at_a_mark, lines_of, print_scale, printed_lines

NAMES = ["瓜尔佳·文瑞", "爱新觉罗·恒绍", "那顺乌日图巴雅尔", "金·哲洙", "王秀兰"]
GROUPS = ["满族二组(叶赫那拉屯)", "十一组(老虎沟屯)", "第十二村民小组(东南岗子王家窝堡屯)", "一组"]
SEVEN = "爱新觉罗·恒绍"


def people() -> list[dict]:
    rows = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": GROUPS[k % 4], "户主姓名": NAMES[k % 5],
             "户主身份证号": make_id(serial=100 + k), "工资性收入": 9700 + 40 * k, "家庭经营收入": 1200,
             "财产性收入": 300, "转移性收入": 560, "家庭经营费用支出": 1500, "主要困难": "因病、因学"}
            for k in range(40)]
    rows += [{"乡(镇)": "城郊街道", "行政村": "幸福社区", "村民小组": "三组", "户主姓名": f"社区户{k}",
              "户主身份证号": make_id(serial=300 + k), "工资性收入": 10000 + 100 * k, "主要困难": "缺技术"}
             for k in range(3)]
    return rows


def issued(tmp: Path) -> dict[str, list[Path]]:
    """screen, then each step's documents to the 第一次公示 (the first two filled with yes and recorded)."""
    db = tmp / "农安县.db"
    run("screen", survey(tmp / "2019.xlsx", people()), "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    docs = {}
    for step in ("review", "verify", "publicity1"):
        date, folder = STEPS[step]
        run("register", "next", db, "--date", date, "-o", tmp / f"docs-{step}")
        docs[step] = sorted((tmp / f"docs-{step}" / folder).glob("*.xlsx"))
        if step != "publicity1":
            for doc in docs[step]:
                fill_step(step, doc)
            run("register", "record", db, *docs[step])
    return docs


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    return issued(tmp_path_factory.mktemp("fit"))


def sheet(docs, step: str, village: str = "前岗村"):
    ws = openpyxl.load_workbook(next(p for p in docs[step] if village in p.name)).worksheets[0]
    header, cols = household_table(ws)
    return ws, header, cols


def width(ws, col: int) -> float:
    return ws.column_dimensions[get_column_letter(col)].width - 0.71


def widths(ws) -> list[float]:
    return [width(ws, c) for c in range(1, ws.max_column + 1)]


@pytest.mark.parametrize("step, landscape", [("review", True), ("publicity1", False)])
def test_a_seven_character_name_and_a_long_group_print_on_one_line_within_the_page(docs, step, landscape):
    ws, _, cols = sheet(docs, step)
    assert printed_lines([SEVEN], width(ws, cols["户主姓名"]))[0] == 1, width(ws, cols["户主姓名"])
    # The group column holds 十一组(老虎沟屯) whole (the 民主评议's room holds 满族二组(叶赫那拉屯) too).
    held = GROUPS[:2] if step == "review" else GROUPS[1:2]
    assert printed_lines(held, width(ws, cols["村民小组"])).max() == 1, width(ws, cols["村民小组"])
    # The page still holds its columns at the scale it prints at (a notice at full size on portrait A4).
    assert print_scale(widths(ws), landscape) >= (ws.page_setup.scale or 100)


def test_the_review_page_holds_more_households(docs):
    ws, header, _ = sheet(docs, "review")
    breaks = sorted(b.id for b in ws.row_breaks.brk)
    # Rows taller than their one or two lines filled the first page with nine households (ten now).
    assert breaks[0] - header >= 10, breaks


def test_the_per_capita_header_leaves_no_lone_bracket(docs):
    """人均纯收入(元) on one line, or broken before its bracket: each line holding a bracket whole. (The
    入户核实's decision header, (属实/不属实) in 13 at the form's least scale, is as it was.)"""
    for step in ("review", "verify"):
        ws, header, cols = sheet(docs, step)
        cell = next(c for c in ws[header] if str(c.value or "").startswith("人均纯收入"))
        lines = str(cell.value).split("\n")
        assert "".join(lines) == "人均纯收入(元)", lines
        for line in lines:
            if breaks_at_a_mark(line):
                assert lines_of(line, width(ws, cell.column)) == 1, (step, line, width(ws, cell.column))


def test_a_communitys_column_says_its_residents_groups(docs):
    for step in ("review", "verify", "publicity1"):
        _, _, cols = sheet(docs, step, "幸福社区")
        assert "居民小组" in cols and "村民小组" not in cols, (step, cols)
        _, _, cols = sheet(docs, step)
        assert "村民小组" in cols, (step, cols)


def test_the_review_line_says_the_income_year_with_a_colon(docs):
    ws, _, _ = sheet(docs, "review")
    assert ws["A2"].value.startswith("2019年度收入:人均纯收入高于"), ws["A2"].value


def intro(docs, village: str = "前岗村") -> str:
    ws, _, _ = sheet(docs, "publicity1", village)
    return ws["A2"].value


@pytest.mark.parametrize("basis, begins", [
    ("农安县贫困边缘户认定办法(试行)", "根据《农安县贫困边缘户认定办法(试行)》,经民主评议、入户核实,现将本"),
    ("", "经民主评议、入户核实,现将本")])
def test_the_notice_cites_the_basis_it_is_given(tmp_path, monkeypatch, basis, begins):
    """The page's part: a basis among the document's params is cited as screen's notice cites it (a
    blank one, today's words)."""
    from edgescreen.register import steps

    given = steps._params
    monkeypatch.setattr(steps, "_params", lambda *a, **k: {**given(*a, **k), "basis": basis})
    monkeypatch.chdir(tmp_path)
    docs = issued(tmp_path)
    assert intro(docs).startswith(begins + "村拟认定的"), intro(docs)
    assert intro(docs, "幸福社区").startswith(begins + "社区拟认定的"), intro(docs, "幸福社区")
    assert ("《" in intro(docs)) == bool(basis)


def test_the_registers_notice_cites_the_rule_sets_basis(docs):
    assert intro(docs).startswith("根据《长春市贫困边缘户精准识别和实施帮扶的方案》,经民主评议"), intro(docs)
