"""A village's 合计 row that is not the sum of its households (totals.check_total_rows) is on that
village's fix list (quality.total_rows). A run whose only problem is such a total, every household clean,
wrote no fix list at all, and check's terminal named none: the lists were decided on the households'
issues alone. Now that village gets its list, said as any list is; a village whose 合计 is right, none."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from field_builders import households
from survey_builders import HEADERS
from edgescreen.cli import app

FIGURES = ("家庭人口数", "家庭常住人口数", "工资性收入", "家庭总收入")


def _survey(path, over: dict[str, int]):
    """合隆镇's workbook, a sheet per village of 3 clean households (wages 10,000 each) closed by a 合计
    row; `over`: yuan a village's 合计 writes too much in 工资性收入 and 家庭总收入."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for k, village in enumerate(("前岗村", "后岗村")):
        ws = book.create_sheet(village)
        ws.append(HEADERS)
        records = households(3, first_serial=1 + 10 * k, **{"行政村": village})
        for record in records:
            ws.append([record.get(h) if record.get(h, "") != "" else None for h in HEADERS])
        total = [None] * len(HEADERS)
        total[HEADERS.index("户主姓名")] = "合计"
        for field in FIGURES:
            total[HEADERS.index(field)] = sum(r[field] for r in records) + (over.get(village, 0) if "收入" in field else 0)
        ws.append(total)
    book.save(path)
    return path


def _check(path, out, *extra):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), "--as-of", "2019-12-31", *extra])
    assert (out / "check.json").exists(), result.output
    return result, " ".join(result.output.split()).replace(" ", "")


def _rows(book) -> list[list[str]]:
    return [[str(c) for c in row if c is not None]
            for row in openpyxl.load_workbook(book).active.iter_rows(values_only=True)]


def test_a_wrong_total_alone_gets_its_village_a_fix_list_said_on_the_terminal(tmp_path):
    # 后岗村's 合计 writes 31,000 yuan of wages and of 家庭总收入 over its households' 30,000.
    path = _survey(tmp_path / "合隆镇.xlsx", {"后岗村": 1000})
    out = tmp_path / "out"
    result, said = _check(path, out)
    assert result.exit_code == 0, result.output  # a warning for the clerk: no error-level issue
    lists = sorted((out / "quality-villages").glob("*.xlsx")) if (out / "quality-villages").is_dir() else []
    assert [book.name for book in lists] == ["合隆镇-后岗村-问题清单.xlsx"], (lists, result.output)
    rows = _rows(lists[0])
    assert "共0条错误、1条警告" in rows[1][0].replace(" ", ""), rows[1]
    totals = [row for row in rows if "合计" in row]
    assert len(totals) == 1, rows
    line = " ".join(totals[0])
    assert "J5、N5" in line and "31,000.00 元" in line, line  # its cells and what it writes
    assert "第 5 行与上方农户之和不符" in line and "上方 3 户之和为 30,000.00 元" in line, line
    # The terminal says the lists were written, with their folder, as it does for households' issues.
    assert "各村的问题清单(1份)在" in said and "quality-villages/文件夹里" in said, said
    assert "合计/小计行与所合计的农户之和不符" in said, said  # the verdict as before
    manifest = json.loads((out / "check.json").read_text(encoding="utf-8"))
    assert any("后岗村-问题清单" in str(f) for f in manifest["outputs"]), manifest["outputs"]

    # Guards what was right: both totals right, every household clean: no list, no line of lists.
    (tmp_path / "right").mkdir()
    right = _survey(tmp_path / "right" / "合隆镇.xlsx", {})
    result, said = _check(right, tmp_path / "right-out")
    assert not (tmp_path / "right-out" / "quality-villages").exists(), result.output
    assert "问题清单" not in said and "不符" not in said, said


def test_a_wrong_total_alone_says_its_fix_list_in_english(tmp_path):
    # Both villages' 合计 wrong, by 1,000 and 500 yuan: a list each, said in English with --lang en.
    path = _survey(tmp_path / "合隆镇.xlsx", {"前岗村": 500, "后岗村": 1000})
    out = tmp_path / "out"
    result, _ = _check(path, out, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert sorted(book.name for book in (out / "quality-villages").glob("*.xlsx")) == [
        "合隆镇-前岗村-issues.xlsx", "合隆镇-后岗村-issues.xlsx"], result.output
    said = " ".join(result.output.split())
    assert "The villages' fix lists (2) are in the quality-villages/ folder of" in said, said
