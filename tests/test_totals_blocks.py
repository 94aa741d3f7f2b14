"""A sheet's 合计 against the block it closes (totals.py): another township's block pasted below, with
its own title, header and 合计, is compared with its own households, not with every household above;
and households typed below the last 合计 (补录) are said, the 合计 no longer counting them."""

from __future__ import annotations

import json

import xlsxwriter
from typer.testing import CliRunner

from field_builders import _cell, households
from survey_builders import HEADERS
from edgescreen.cli import app

# The county's form: 序号 first, then the fields.
COLUMNS = ["序号", *HEADERS]
WAGE = COLUMNS.index("工资性收入")
TOTAL_INCOME = COLUMNS.index("家庭总收入")


def _sheet(path, parts: list) -> None:
    """One sheet from the top: a title, then `parts` in order, each a list of households (numbered
    from 1, as each township's own table), 'header' (the form's header), ('title', text), or
    ('total', label, wages) (a total row giving 工资性收入 and 家庭总收入)."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("开安镇")
    ws.write_string(0, 0, "农安县开安镇贫困边缘户入户登记表")
    r = 1
    for part in parts:
        if part == "header":
            for c, h in enumerate(COLUMNS):
                ws.write_string(r, c, h)
            r += 1
        elif isinstance(part, tuple) and part[0] == "title":
            ws.write_string(r, 0, part[1])
            r += 1
        elif isinstance(part, tuple) and part[0] == "total":
            ws.write_string(r, 0, part[1])
            ws.write_number(r, WAGE, part[2])
            ws.write_number(r, TOTAL_INCOME, part[2])
            r += 1
        else:
            for k, record in enumerate(part, start=1):
                ws.write_number(r, 0, k)
                for c, h in enumerate(COLUMNS[1:], start=1):
                    _cell(ws, r, c, record.get(h, ""))
                r += 1
    book.close()


def _check(path, out):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert (out / "check.json").exists(), result.output
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    return " ".join(result.output.split()).replace(" ", ""), facts


def _of(facts, kind):
    return [f for f in facts if f["fact"] == kind]


def test_a_pasted_townships_total_is_compared_with_its_own_block(tmp_path):
    # 开安镇's 4 households (wages 10,000 each), then 青山口乡's table pasted below with its title, its
    # header and its 合计 of its own 2 households: 20,000.
    kaian = households(4, **{"乡(镇)": "开安镇", "行政村": "开安村"})
    qingshan = households(2, first_serial=11, **{"乡(镇)": "青山口乡", "行政村": "青山村"})
    pasted = ["header", kaian, ("title", "农安县青山口乡贫困边缘户入户登记表"), "header", qingshan]
    path = tmp_path / "开安镇.xlsx"
    _sheet(path, [*pasted, ("total", "合计", 20000)])
    said, facts = _check(path, tmp_path / "right")
    assert _of(facts, "total_differs") == [], said
    assert "与上方农户之和不符" not in said
    assert [f["detail"] for f in facts if f["fact"] == "file"] == ["6"]  # every household read

    # A 合计 that is not its block's sum is said against the block's 2 households, not all 6 above.
    wrong = tmp_path / "开安镇错.xlsx"
    _sheet(wrong, [*pasted, ("total", "合计", 30000)])
    said, facts = _check(wrong, tmp_path / "wrong")
    assert [f["detail"] for f in _of(facts, "total_differs")] == ["11"], said
    assert "工资性收入(K列)写30,000.00元,上方2户之和为20,000.00元" in said, said

    # A header a paged export repeats (the same township going on) opens no block: the 合计 of the
    # whole sheet is its sum, and one that is not is said against all of them.
    paged = tmp_path / "分页.xlsx"
    _sheet(paged, ["header", kaian[:2], "header", kaian[2:], ("total", "合计", 40000)])
    assert _of(_check(paged, tmp_path / "paged")[1], "total_differs") == []
    paged_wrong = tmp_path / "分页错.xlsx"
    _sheet(paged_wrong, ["header", kaian[:2], "header", kaian[2:], ("total", "合计", 20000)])
    said, facts = _check(paged_wrong, tmp_path / "paged-wrong")
    assert "工资性收入(K列)写20,000.00元,上方4户之和为40,000.00元" in said, said


def test_households_below_the_last_total_are_said(tmp_path):
    # 3 households and their 合计 (30,000), then 2 households added late (补录) below it.
    first = households(3, **{"乡(镇)": "开安镇", "行政村": "开安村"})
    late = households(2, first_serial=21, **{"乡(镇)": "开安镇", "行政村": "红光村"})
    path = tmp_path / "补录.xlsx"
    _sheet(path, ["header", first, ("total", "合计", 30000), ("title", "补录"), late])
    said, facts = _check(path, tmp_path / "late")
    assert _of(facts, "total_differs") == []  # the 合计 is right for the households it was made of
    below = _of(facts, "below_last_total")
    assert [(f["level"], f["detail"]) for f in below] == [("attention", "8-9")], said
    assert "第6行「合计」的下方还有2户(第8-9行),已照常读入,但不在这个合计里" in said, said
    assert [f["detail"] for f in facts if f["fact"] == "file"] == ["5"]

    # screen's terminal says it too, with the other notes of the sheets read.
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "screened")])
    assert result.exit_code == 0, result.output
    assert "第6行「合计」的下方还有2户(第8-9行),已照常读入" in "".join(result.output.split()), result.output

    # In English too.
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "en"), "--lang", "en"])
    english = " ".join(result.output.split())
    assert "2 households are below the total on row 6 (“合计”) (rows 8-9)" in english, english

    # A 合计 below them that covers them all: nothing said.
    covered = tmp_path / "补录合计.xlsx"
    _sheet(covered, ["header", first, ("total", "小计", 30000), late, ("total", "合计", 50000)])
    said, facts = _check(covered, tmp_path / "covered")
    assert _of(facts, "below_last_total") == [] and _of(facts, "total_differs") == [], said

    # A 合计 under the header sums the households below it: nothing said either.
    over = tmp_path / "合计在上.xlsx"
    _sheet(over, ["header", ("total", "合计", 50000), first, late])
    said, facts = _check(over, tmp_path / "over")
    assert _of(facts, "below_last_total") == [] and _of(facts, "total_differs") == [], said


def test_a_pasted_block_without_its_own_total_is_not_below_the_last_total(tmp_path):
    # 开安镇's 4 households and their 合计 (40,000), then 青山口乡's table pasted below with its title and
    # header but no 合计: its households are another block's, not 补录 under 开安镇's 合计.
    kaian = households(4, **{"乡(镇)": "开安镇", "行政村": "开安村"})
    qingshan = households(2, first_serial=11, **{"乡(镇)": "青山口乡", "行政村": "青山村"})
    pasted = tmp_path / "无合计.xlsx"
    _sheet(pasted, ["header", kaian, ("total", "合计", 40000),
                    ("title", "农安县青山口乡贫困边缘户入户登记表"), "header", qingshan])
    said, facts = _check(pasted, tmp_path / "pasted")
    assert _of(facts, "below_last_total") == [] and _of(facts, "total_differs") == [], said
    assert "下方还有" not in said and "请把合计改为包含它们" not in said, said
    assert [f["detail"] for f in facts if f["fact"] == "file"] == ["6"]  # every household read
    result = CliRunner().invoke(app, ["screen", str(pasted), "-o", str(tmp_path / "screened")])
    assert result.exit_code == 0, result.output
    assert "下方还有" not in "".join(result.output.split()), result.output

    # 补录 typed under 开安镇's 合计, before the block pasted below: only they are below it.
    late = households(2, first_serial=21, **{"乡(镇)": "开安镇", "行政村": "红光村"})
    both = tmp_path / "补录再粘贴.xlsx"
    _sheet(both, ["header", kaian, ("total", "合计", 40000), late,
                  ("title", "农安县青山口乡贫困边缘户入户登记表"), "header", qingshan])
    said, facts = _check(both, tmp_path / "both")
    assert [f["detail"] for f in _of(facts, "below_last_total")] == ["8-9"], said
    assert "第7行「合计」的下方还有2户(第8-9行),已照常读入" in said, said
    result = CliRunner().invoke(app, ["screen", str(both), "-o", str(tmp_path / "both-screened")])
    assert result.exit_code == 0, result.output
    assert "第7行「合计」的下方还有2户(第8-9行),已照常读入" in "".join(result.output.split()), result.output


def test_villages_with_their_own_subtotals_and_a_total_at_the_end_say_nothing(tmp_path):
    # Three villages of 开安镇, each closed by its 小计, then the township's 合计 of all of them.
    villages = [households(n, first_serial=10 * k + 1, **{"乡(镇)": "开安镇", "行政村": village})
                for k, (village, n) in enumerate((("开安村", 3), ("红光村", 2), ("前岗村", 4)))]
    path = tmp_path / "各村小计.xlsx"
    _sheet(path, ["header",
                  villages[0], ("total", "开安村小计", 30000),
                  villages[1], ("total", "红光村小计", 20000),
                  villages[2], ("total", "前岗村小计", 40000),
                  ("total", "合计", 90000)])
    said, facts = _check(path, tmp_path / "villages")
    assert _of(facts, "below_last_total") == [] and _of(facts, "total_differs") == [], said
    assert "下方还有" not in said and "不符" not in said, said
    assert [f["detail"] for f in facts if f["fact"] == "file"] == ["9"]
