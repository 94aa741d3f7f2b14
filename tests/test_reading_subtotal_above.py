"""A block's total over the block (「前岗村小计」 above 前岗村's households, as statistical sheets lay them
out; a 合计 under the header) is compared with the households below it (totals.py), never with the
previous village's above it: no false warning, and one that does not add up is said, with 下方."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from field_builders import col, households
from survey_builders import HEADERS, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _row(**cells) -> list:
    row = [""] * len(HEADERS)
    for header, value in cells.items():
        row[col(header)] = value
    return row


def _rows(records: list[dict]) -> list[list]:
    return [[r.get(h, "") for h in HEADERS] for r in records]


def _sheet(tmp_path, name: str, *, top=None, chen=(2, 10000), qian=(2, 30000), label=True):
    """Row 1 the header; then (a 合计 of all,) 陈家店村小计, its 2 households, 前岗村小计, its 2: each
    小计 over its village, its wages and residents (`chen`, `qian`: (residents, wages) it says)."""
    chen_rows = households(2, 行政村="陈家店村", 工资性收入=5000, 家庭常住人口数=1)
    qian_rows = households(2, first_serial=3, 行政村="前岗村", 工资性收入=15000, 家庭常住人口数=3)
    rows = [] if top is None else [_row(**{"乡(镇)": "合计"}, 家庭常住人口数=top[0], 工资性收入=top[1])]
    rows += [_row(**{"乡(镇)": "合隆镇", "行政村": "陈家店村小计" if label else "小计"},
                  家庭常住人口数=chen[0], 工资性收入=chen[1]), *_rows(chen_rows),
             _row(**{"乡(镇)": "合隆镇", "行政村": "前岗村小计" if label else "小计"},
                  家庭常住人口数=qian[0] * 3, 工资性收入=qian[1]), *_rows(qian_rows)]
    return write_workbook(tmp_path / name, [], extra_rows=rows)


def _check(path, out):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert (out / "check.json").exists(), result.output
    report = json.loads((out / "check.json").read_text(encoding="utf-8"))
    return " ".join(result.output.split()).replace(" ", ""), [f for f in report["facts"]
                                                              if f["fact"] == "total_differs"]


def test_subtotals_over_their_villages_that_add_up_say_nothing(tmp_path):
    path = _sheet(tmp_path, "合隆镇.xlsx")
    said, facts = _check(path, tmp_path / "c")
    assert facts == [], said
    assert "之和不符" not in said

    out = tmp_path / "out"
    screened = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert screened.exit_code == 0, screened.output
    assert "之和不符" not in " ".join(screened.output.split()).replace(" ", "")
    assert len(read_ledger(out / "decisions.csv")) == 4

    # A 合计 of all under the header, before the villages' 小计: the 8 residents and 40,000 below it.
    assert _check(_sheet(tmp_path, "合计在上.xlsx", top=(8, 40000)), tmp_path / "t")[1] == []
    # 小计 naming no village, each over its block: neither is taken for the block above's.
    assert _check(_sheet(tmp_path, "无名.xlsx", label=False), tmp_path / "n")[1] == []


def test_a_subtotal_over_its_village_that_does_not_add_up_is_said_with_the_households_below(tmp_path):
    # 前岗村小计 (row 5) says 35,000: its 2 households below earn 30,000 (陈家店村's above, 10,000).
    said, facts = _check(_sheet(tmp_path, "合隆镇.xlsx", qian=(2, 35000)), tmp_path / "c")
    assert [f["detail"] for f in facts] == ["5"], said
    assert "第5行「前岗村小计」与下方农户之和不符" in said, said
    assert "工资性收入(J列)写35,000.00元,下方2户之和为30,000.00元" in said, said
    assert "家庭常住人口数" not in said.split("与下方农户之和不符")[1].split("。")[0]  # 6 residents: right

    # A 合计 at the top that is not the sum of all below it is said too.
    said, facts = _check(_sheet(tmp_path, "合计在上.xlsx", top=(8, 45000)), tmp_path / "t")
    assert [f["detail"] for f in facts] == ["2"], said
    assert "第2行「合计」与下方农户之和不符" in said, said


def _nested(tmp_path, name: str, *, over: bool, qian_says: int = 30000):
    """Two villages of two groups each, every group and every village with its 小计: under their blocks
    (1组 households, 一组小计, 2组 …, 二组小计, 陈家店村小计) or, with `over`, over them. 前岗村小计 says
    `qian_says` of wages (its 4 households earn 30,000)."""
    blocks = []
    for v, (village, wage) in enumerate((("陈家店村", 2500), ("前岗村", 7500))):
        groups = []
        for g, group in enumerate(("一组", "二组")):
            rows = households(2, first_serial=1 + 4 * v + 2 * g, 行政村=village, 村民小组=group, 工资性收入=wage,
                              家庭常住人口数=1)
            total = _row(**{"乡(镇)": "合隆镇", "行政村": village, "村民小组": f"{group}小计"}, 家庭常住人口数=2,
                         工资性收入=2 * wage)
            groups.append([total, *_rows(rows)] if over else [*_rows(rows), total])
        says = qian_says if village == "前岗村" else 4 * wage
        total = _row(**{"乡(镇)": "合隆镇", "行政村": f"{village}小计"}, 家庭常住人口数=4, 工资性收入=says)
        inner = [r for g in groups for r in g]
        blocks += [total, *inner] if over else [*inner, total]
    return write_workbook(tmp_path / name, [], extra_rows=blocks)


def test_nested_subtotals_are_each_held_against_their_own_block(tmp_path):
    """An outside try: a village's 小计 right under its last group's 小计 was taken for a total over the
    next village's first group: false warnings where all added up, and a wrong 小计 said against the
    wrong households (下方 11 户). Over their blocks, a wrong village 小计 was held against its first
    group only."""
    for over in (False, True):
        said, facts = _check(_nested(tmp_path, f"对{over}.xlsx", over=over), tmp_path / f"c{over}")
        assert facts == [], said
        said, facts = _check(_nested(tmp_path, f"错{over}.xlsx", over=over, qian_says=31000), tmp_path / f"w{over}")
        assert len(facts) == 1, said
        way = "下方" if over else "上方"
        assert f"「前岗村小计」与{way}农户之和不符" in said and f"写31,000.00元,{way}4户之和为30,000.00元" in said, said
