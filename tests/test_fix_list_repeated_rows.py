"""A village's fix list: the rows of a systemic finding said at its top point to it in a few words.

An outside try (BM, 合隆镇): 太平村's 乡(镇) was typed only on its first row, its 124 rows below blank. Each
blank is an error, listed row by row (the household is invalid until its row is corrected), and each row's
说明 repeated 「…为空:此项必填。上方第135行填的是「合隆镇」:本户也是的,请补填」 with the routing note,
wrapped in the narrow 说明 column: about 4 rows a printed page, 28-29 pages, where the finding at the top
already says to fill B135:B259 down. Now those rows say 「同上方说明,一并补填」 on one line; the finding's
words stay at the top, and a row of no finding keeps its full 说明."""

from __future__ import annotations

import re

import openpyxl
from typer.testing import CliRunner

from edgescreen.catalogue import label
from edgescreen.cli import app
from survey_builders import household, make_id, write_workbook

runner = CliRunner()
TAIPING = 30   # 太平村's households: 乡(镇) typed on the first (Excel row 12), blank on the 29 below
XINLI = 10     # 新立村 above it (rows 2-11), every cell typed
POINTER = "同上方说明,一并补填"
# The finding at the top, as check says it of 太平村's blank 乡(镇).
FILL_DOWN = "只在第12行填了「合隆镇」,下面29行空着:请选中A12:A41向下填充"


def _bad_id() -> str:
    """An ID whose check character is wrong: an error of its own, in no finding."""
    good = make_id(serial=777)
    return good[:-1] + ("1" if good[-1] != "1" else "2")


def _rows(taiping: dict | None = None) -> list[dict]:
    rows = [household(行政村="新立村", 户主姓名=f"新{i}", 户主身份证号=make_id(serial=100 + i)) for i in range(XINLI)]
    for i in range(TAIPING):
        own = {"乡(镇)": None, **(taiping or {})} if i else {"户主身份证号": _bad_id()}
        rows.append(household(行政村="太平村", 户主姓名=f"太{i}",
                              **{"户主身份证号": make_id(serial=200 + i), **own}))
    return rows


def _fix_list(tmp_path, rows, *more) -> openpyxl.worksheet.worksheet.Worksheet:
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"合隆镇": rows})
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01", *more],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 1, done.output
    lists = sorted((tmp_path / "report" / "quality-villages").glob("*太平村*.xlsx"))
    assert len(lists) == 1, done.output
    return openpyxl.load_workbook(lists[0]).active


def _table(ws, lang: str = "zh") -> tuple[list[str], list[dict]]:
    """The lines above the fix list's header, and its rows keyed by column (seq, cell, header, message;
    with the row's height)."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, row in enumerate(rows) if row[0] == label("seq", lang))
    at = {key: rows[top].index(label(key, lang)) for key in ("cell", "header", "message")}
    above = [str(row[0]) for row in rows[:top] if row[0]]
    table = [{**{key: row[j] for key, j in at.items()}, "height": ws.row_dimensions[top + 2 + i].height}
             for i, row in enumerate(rows[top + 1:]) if row[0] is not None]
    return above, table


def test_the_rows_of_the_finding_point_to_it_on_one_line(tmp_path):
    above, table = _table(_fix_list(tmp_path, _rows()))
    # The finding's words at the top, once: the place typed once and the cells to fill down.
    flat = [re.sub(r"\s+", "", line) for line in above]
    assert sum(FILL_DOWN in line for line in flat) == 1, above
    assert any("合隆镇太平村" in line and "A列「乡(镇)」:漏填29行" in line for line in flat), above
    # Its 29 rows, one per blank cell, each saying only where to look: one printed line, no taller than
    # the rows of a handwritten correction (they were 5 lines: 117.75 points).
    blanks = [row for row in table if row["header"] == "乡(镇)"]
    assert [row["cell"] for row in blanks] == [f"A{r}" for r in range(13, 42)], blanks
    assert {row["message"] for row in blanks} == {POINTER}, blanks
    assert max(row["height"] for row in blanks) <= 37.5, [row["height"] for row in blanks]
    # Nothing of the finding said again on the rows.
    assert not any("此项必填" in str(row["message"]) or "归入" in str(row["message"]) for row in blanks), blanks


def test_a_row_of_no_finding_keeps_its_full_words(tmp_path):
    above, table = _table(_fix_list(tmp_path, _rows()))
    # The wrong ID on 太平村's first row: its own check's words, as before, and a row tall enough for them.
    own = [row for row in table if row["cell"] == "F12"]
    assert len(own) == 1, table
    said = str(own[0]["message"])
    assert said.startswith("第12行 F列「户主身份证号」") and "校验" in said, said
    assert own[0]["height"] > 37.5, own
    # The short words are the finding's rows' only: 29 of them.
    assert sum(row["message"] == POINTER for row in table) == TAIPING - 1, table


def test_with_two_findings_at_the_top_each_row_says_which(tmp_path):
    # 太平村 also left 家庭常住人口数 blank below its first row: a second finding of errors.
    above, table = _table(_fix_list(tmp_path, _rows(taiping={"家庭常住人口数": None})))
    flat = [re.sub(r"\s+", "", line) for line in above]
    numbered = [line for line in flat if line.startswith("第1条:") or line.startswith("第2条:")]
    assert len(numbered) == 2, above
    place = next(n for n, line in enumerate(numbered, 1) if FILL_DOWN in line)
    residents = next(n for n, line in enumerate(numbered, 1) if "「家庭常住人口数」" in line)
    by_header = {}
    for row in table:
        by_header.setdefault(row["header"], set()).add(row["message"])
    assert by_header["乡(镇)"] == {f"同上方第 {place} 条,一并补填"}, by_header
    assert by_header["家庭常住人口数"] == {f"同上方第 {residents} 条,一并补填"}, by_header


def test_in_english_the_rows_point_to_it_too(tmp_path):
    above, table = _table(_fix_list(tmp_path, _rows(), "--lang", "en"), "en")
    flat = [re.sub(r"\s+", "", line) for line in above]
    assert sum("selectA12:A41andfilldown" in line for line in flat) == 1, above
    blanks = [row for row in table if row["header"] == "乡(镇)"]
    assert len(blanks) == TAIPING - 1 and {row["message"] for row in blanks} == {"As said above: fill it in"}, blanks
    assert max(row["height"] for row in blanks) <= 37.5, [row["height"] for row in blanks]
