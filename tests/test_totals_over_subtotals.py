"""A 合计 under the villages' 小计 rows (totals.py): compared with every household above it, not with the
last village's, and said with those figures (naming the one village's 小计 it equals); and a village's
own total that is wrong is on that village's fix list too, with its cells and figures."""

from __future__ import annotations

import json

import openpyxl
import xlsxwriter
from typer.testing import CliRunner

from field_builders import _cell, households
from survey_builders import HEADERS
from edgescreen.cli import app

COLUMNS = ["序号", *HEADERS]
NAME = COLUMNS.index("户主姓名")
PEOPLE = COLUMNS.index("家庭人口数")
WAGE = COLUMNS.index("工资性收入")
TOTAL_INCOME = COLUMNS.index("家庭总收入")
VILLAGES = ["前岗村", "后岗村", "太平村"]


def _village(name: str, n: int, first: int) -> list[dict]:
    # Wages differ per household, so that no two runs of households add up alike by chance.
    return [dict(record, 工资性收入=8000 + 137 * (first + k), 家庭总收入=8000 + 137 * (first + k))
            for k, record in enumerate(households(n, first_serial=first, **{"乡(镇)": "合隆镇", "行政村": name}))]


def _figures(records: list[dict]) -> tuple[int, int]:
    return sum(r["家庭人口数"] for r in records), sum(r["工资性收入"] for r in records)


def _write(path, sheets: dict[str, list]) -> None:
    """Sheets of a title, the form's header, then parts: a list of households, or ('total', label,
    (people, wages)), its label typed under 户主姓名 as a WPS form has it."""
    book = xlsxwriter.Workbook(str(path))
    for name, parts in sheets.items():
        ws = book.add_worksheet(name)
        ws.write_string(0, 0, "农安县合隆镇贫困边缘户入户登记表")
        for c, h in enumerate(COLUMNS):
            ws.write_string(1, c, h)
        r = 2
        for part in parts:
            if isinstance(part, tuple):
                _, said, (people, wages) = part
                ws.write_string(r, NAME, said)
                ws.write_number(r, PEOPLE, people)
                ws.write_number(r, WAGE, wages)
                ws.write_number(r, TOTAL_INCOME, wages)
                r += 1
                continue
            for k, record in enumerate(part, start=1):
                ws.write_number(r, 0, k)
                for c, h in enumerate(COLUMNS[1:], start=1):
                    _cell(ws, r, c, record.get(h, ""))
                r += 1
    book.close()


def _township(path, grand: tuple[int, int]) -> tuple[list, int]:
    """合隆镇's sheet: three villages of 2 households, each closed by its right 小计, then a 合计 giving
    `grand`. Returns the villages and the 合计's Excel row."""
    villages = [_village(v, 2, 1 + 10 * k) for k, v in enumerate(VILLAGES)]
    parts = [p for records in villages for p in (records, ("total", "小计", _figures(records)))]
    _write(path, {"合隆镇": [*parts, ("total", "合计", grand)]})
    return villages, 2 + sum(len(v) + 1 for v in villages) + 1  # Excel rows: title, header, …


def _check(path, out):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert (out / "check.json").exists(), result.output
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    return " ".join(result.output.split()).replace(" ", ""), [f for f in facts if f["fact"] == "total_differs"]


def test_a_grand_total_equal_to_the_last_villages_subtotal_is_said_against_every_household(tmp_path):
    # The 合计 of =SUM(G9): the last village's 小计, 2 households of the 6 above.
    path = tmp_path / "合隆镇.xlsx"
    villages, row = _township(path, _figures(_village("太平村", 2, 21)))
    said, totals = _check(path, tmp_path / "out")
    assert [t["detail"] for t in totals] == [str(row)], said
    people, wages = _figures([r for v in villages for r in v])
    assert f"第{row}行与上方农户之和不符:家庭人口数(I列)写" in said, said
    assert f"上方6户之和为{people}" in said, said
    assert f"上方6户之和为{wages:,}.00元" in said, said
    assert f"合计只等于最后一个村(太平村)的小计(第{row - 1}行),其余4户没有算进去" in said, said


def test_a_grand_total_holding_nothing_is_said_with_every_households_figures(tmp_path):
    # The 合计 left at 0 (its formula never calculated): said against the 6 households, not the last 2.
    path = tmp_path / "合隆镇.xlsx"
    villages, row = _township(path, (0, 0))
    said, totals = _check(path, tmp_path / "out")
    assert [t["detail"] for t in totals] == [str(row)], said
    assert f"写0,上方6户之和为{_figures([r for v in villages for r in v])[0]}" in said, said
    assert "上方2户" not in said and "只等于" not in said, said


def test_a_grand_total_of_every_household_and_right_subtotals_are_not_said(tmp_path):
    # Guards what was right: a 合计 of all 6 under right 小计 rows is no warning.
    path = tmp_path / "合隆镇.xlsx"
    villages = [_village(v, 2, 1 + 10 * k) for k, v in enumerate(VILLAGES)]
    _township(path, _figures([r for v in villages for r in v]))
    said, totals = _check(path, tmp_path / "out")
    assert totals == [], said


def test_a_villages_wrong_total_is_on_its_own_fix_list(tmp_path):
    # A sheet per village; 后岗村's 合计 leaves out its last household. Each village has a wrong phone,
    # so that each has a fix list; only 后岗村's shows its 合计, with its cells and the figures.
    qiangang, hougang = (_village(v, 3, 1 + 10 * k) for k, v in enumerate(VILLAGES[:2]))
    for records in (qiangang, hougang):
        records[0]["联系电话"] = "123"
    path = tmp_path / "合隆镇.xlsx"
    short = _figures(hougang[:2])
    _write(path, {"前岗村": [qiangang, ("total", "合计", _figures(qiangang))],
                  "后岗村": [hougang, ("total", "合计", short)]})
    out = tmp_path / "out"
    said, totals = _check(path, out)
    assert [(t["sheet"], t["detail"]) for t in totals] == [("后岗村", "6")], said
    lists = {book.name: [[str(c) for c in row if c is not None]
                         for row in openpyxl.load_workbook(book).active.iter_rows(values_only=True)]
             for book in (out / "quality-villages").iterdir()}
    hou = next(rows for name, rows in lists.items() if "后岗村" in name)
    qian = next(rows for name, rows in lists.items() if "前岗村" in name)
    total_rows = [row for row in hou if "合计" in row]
    assert len(total_rows) == 1, hou
    line = " ".join(total_rows[0])
    people, wages = _figures(hougang)
    assert "I6" in line and "K6" in line, line  # 家庭人口数 and 工资性收入 of row 6
    assert str(short[0]) in line and f"{short[1]:,}.00" in line, line
    assert f"上方 3 户之和为 {people}" in line and f"{wages:,}.00" in line, line
    assert not any("合计" in row and "与上方农户之和不符" in " ".join(row) for row in qian), qian


def test_a_total_word_rank_of_a_word_not_a_total_word_is_refused_at_load():
    import pytest

    from edgescreen.catalogue import FieldCatalogue, data_toml

    data = data_toml("fields.toml")
    assert FieldCatalogue.model_validate(data).rows.total_word_ranks["合计"] == 2
    data["rows"]["total_word_ranks"] = {**data["rows"]["total_word_ranks"], "汇总": 2}  # not among total_words
    with pytest.raises(ValueError, match="total_word_ranks"):
        FieldCatalogue.model_validate(data)
