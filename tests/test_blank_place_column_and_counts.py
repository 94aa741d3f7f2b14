"""A township's try (合隆镇.xlsx, 12 villages): the 乡(镇) column was there but blank on every row of every
sheet, each titled 「合隆镇XX村贫困边缘户入户登记表」. Before, every household was an error (乡(镇)为空 on
each row, 1,524 households 有错误) and every fix list was named (乡镇未填)-…; a column missing was read
from the title. A column blank on a whole sheet is now read as a missing one, said once for the sheet;
a column filled on some rows, or one nothing names the place of, stays as typed.

And a 合计 whose head count differs by a count typed as text (3人, which Excel's SUM leaves out) says
so, as the money columns' did."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from field_checks import issues
from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app

FIXES = "quality-villages"


def _row(village: str, n: int, township: str | None = None, **overrides) -> list:
    """A household's cells in HEADERS' order: a clean candidate unless `overrides` say otherwise."""
    record = household(**{"乡(镇)": township, "行政村": village, "户主姓名": f"{village[:2]}{n}",
                          "户主身份证号": make_id(serial=n), **overrides})
    return [record.get(h) for h in HEADERS]


def _write(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of sheets, each its rows as written (titles, headers, households, totals)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for values in rows:
            ws.append(values)
    book.save(path)
    return path


def _village(village: str, first: int, count: int, **overrides) -> list[list]:
    """A village's own form: its title, its 填报单位 line, the header with a 乡(镇) column left blank on
    every household, and a 合计 row whose label stands in that column."""
    households = [_row(village, first + i, **(overrides if i == 0 else {})) for i in range(count)]
    total = ["合计"] + [None] * (len(HEADERS) - 1)
    total[HEADERS.index("家庭常住人口数")] = sum(r[HEADERS.index("家庭常住人口数")] or 0 for r in households)
    return [[f"合隆镇{village}贫困边缘户入户登记表"], [f"填报单位:{village}村民委员会"], HEADERS, *households, total]


def _check(path: Path, out: Path, *extra: str):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), *extra], env={"COLUMNS": "200"})
    assert (out / "check.json").exists(), result.output
    return result, " ".join(result.output.split())


def _facts(out: Path, fact: str) -> list[dict]:
    return [f for f in json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"] if f["fact"] == fact]


def _quality_texts(out: Path) -> list[str]:
    return [str(c) for ws in openpyxl.load_workbook(out / "quality.xlsx") for r in ws.iter_rows(values_only=True)
            for c in r if c]


def _township_book(tmp_path: Path) -> Path:
    """合隆镇.xlsx: 前岗村 (one household's 家庭常住人口数 blank, a real error), 后岗村, and a sheet of two
    villages' forms stacked, each under its own title and header; the 乡(镇) column blank throughout."""
    stacked = _village("永安村", 30, 2)[:-1] + [[]] + _village("太平村", 40, 2)[:-1]
    return _write(tmp_path / "合隆镇.xlsx", {"前岗村": _village("前岗村", 1, 4, 家庭常住人口数=None),
                                             "后岗村": _village("后岗村", 10, 3), "永安太平": stacked})


def test_a_township_column_blank_on_every_row_is_read_from_the_title_said_once_per_sheet(tmp_path):
    out = tmp_path / "rep"
    result, said = _check(_township_book(tmp_path), out)
    found = issues(out)
    # Only the household's own error: no 乡(镇)为空 on each row; every issue carries the township read.
    assert found.loc[found["severity"] == "error", ["field", "cell"]].values.tolist() == [["residents", "I4"]]
    assert "township" not in set(found["field"]) and set(found["township"]) == {"合隆镇"}
    assert sorted(p.name for p in (out / FIXES).iterdir()) == ["合隆镇-前岗村-问题清单.xlsx"]
    # Said once for each sheet, as a file fact: the column, where the township was read, and what to do.
    assert len(_facts(out, "places_from_title")) == 3, said
    texts = _quality_texts(out)
    for village in ("前岗村", "后岗村", "永安村"):
        fact = f"表中乡(镇)列每行都为空,按表题「合隆镇{village}贫困边缘户入户登记表」读作合隆镇"
        assert sum(fact in t for t in texts) == 1, texts
    assert any("如不对,请在乡(镇)列逐户填写" in t for t in texts)
    assert not any("表中没有乡(镇)列" in t for t in texts)
    assert "表中乡(镇)列每行都为空" in said, said
    # The screen reads it the same: every household in 合隆镇, in its own village.
    screened = CliRunner().invoke(app, ["screen", str(tmp_path / "合隆镇.xlsx"), "-o", str(tmp_path / "out")])
    assert screened.exit_code == 0, screened.output
    assert "表中乡(镇)列每行都为空" in "".join(screened.output.split())
    villages = sorted(p.name for p in (tmp_path / "out" / "villages").iterdir())
    assert villages == [f"合隆镇-{v}.xlsx" for v in sorted(["前岗村", "后岗村", "永安村", "太平村"])], villages


def test_said_in_english_too(tmp_path):
    out = tmp_path / "rep"
    _check(_township_book(tmp_path), out, "--lang", "en")
    texts = _quality_texts(out)
    assert any("the 乡(镇) column is blank on every row" in t and "合隆镇前岗村贫困边缘户入户登记表" in t
               and "fill in the 乡(镇) column on each row" in t for t in texts), texts


def test_a_village_column_blank_on_every_row_is_read_from_the_sheets_name(tmp_path):
    rows = [_row("", n, township="合隆镇") for n in (1, 2)]
    path = _write(tmp_path / "合隆镇.xlsx", {"前岗村": [["贫困边缘户入户登记表"], HEADERS, *rows]})
    out = tmp_path / "rep"
    _check(path, out)
    found = issues(out)
    assert "village" not in set(found["field"]) and set(found["village"]) <= {"前岗村"}
    assert any("表中行政村列每行都为空,按工作表名「前岗村」读作前岗村" in t for t in _quality_texts(out))


def test_a_blank_village_column_on_a_sheet_of_two_villages_stays_as_typed_not_refused(tmp_path):
    """Guards what was right: the sheet is named 前岗村 but a 后岗村小计 line stands between its rows (two
    villages under one header). A missing column is refused so; a blank one is no reason to refuse the
    file (its words would say the column is missing): the blanks stay each household's error."""
    label = [None] * len(HEADERS)
    label[HEADERS.index("行政村")] = "后岗村小计"
    rows = [_row("", 1, township="合隆镇"), _row("", 2, township="合隆镇"), label, _row("", 3, township="合隆镇")]
    path = _write(tmp_path / "合隆镇.xlsx", {"前岗村": [["贫困边缘户入户登记表"], HEADERS, *rows]})
    out = tmp_path / "rep"
    result, _ = _check(path, out)
    assert result.exit_code == 1, result.output
    found = issues(out)
    assert found.loc[found["field"] == "village", "cell"].tolist() == ["B3", "B4", "B6"]
    assert not any("读作前岗村" in t for t in _quality_texts(out))


def test_a_township_column_filled_on_some_rows_stays_as_typed(tmp_path):
    """Guards what was right: a blank beside a filled cell is the household's error, not a whole column
    left to the title."""
    rows = [_row("前岗村", 1, township="合隆镇"), _row("前岗村", 2), _row("前岗村", 3)]
    path = _write(tmp_path / "合隆镇.xlsx", {"前岗村": [["合隆镇前岗村贫困边缘户入户登记表"], HEADERS, *rows]})
    out = tmp_path / "rep"
    result, _ = _check(path, out)
    found = issues(out)
    blank = found[(found["field"] == "township") & (found["code"] == "missing_value")]
    assert blank["cell"].tolist() == ["A4", "A5"], found[["field", "cell", "code"]]
    assert result.exit_code == 1
    assert not any("每行都为空" in t for t in _quality_texts(out))


def test_a_blank_township_column_nothing_names_stays_each_households_error(tmp_path):
    """Guards what was right: with no title, sheet or file naming one township, the blanks are errors."""
    rows = [_row("前岗村", n) for n in (1, 2)]
    path = _write(tmp_path / "登记表.xlsx", {"Sheet1": [["贫困边缘户入户登记表"], HEADERS, *rows]})
    out = tmp_path / "rep"
    result, _ = _check(path, out)
    found = issues(out)
    assert found.loc[found["field"] == "township", "cell"].tolist() == ["A3", "A4"]
    assert result.exit_code == 1


def test_a_head_count_total_short_by_a_count_typed_as_text_names_that_cell(tmp_path):
    # Row 3's 家庭常住人口数 typed 3人: read as 3, but Excel's SUM leaves it out, so the 合计 says 6 for 9.
    rows = [household(**{"户主姓名": f"户{n}", "户主身份证号": make_id(serial=n)}) for n in (1, 2, 3)]
    rows[1]["家庭常住人口数"] = "3人"
    total = [""] * len(HEADERS)
    total[0], total[HEADERS.index("家庭常住人口数")], total[HEADERS.index("工资性收入")] = "合计", 6, 30000
    path = write_workbook(tmp_path / "前岗村.xlsx", rows, extra_rows=[total])
    out = tmp_path / "rep"
    result, said = _check(path, out)
    assert [f["detail"] for f in _facts(out, "total_differs")] == ["5"], said
    said = said.replace(" ", "")
    assert ("家庭常住人口数(I列)写6,上方3户之和为9(差额正是以文字填写的第3行I列「3人」:Excel求和不计文字,请改成数字)"
            in said), said
    assert "删过农户行" not in said, said
    english, _ = _check(path, tmp_path / "en", "--lang", "en")
    assert "I3 “3人”, typed as text" in " ".join(english.output.split()), english.output
