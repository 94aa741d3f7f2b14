"""A file fact's rows on the terminal: the first runs, how many, and where every row is.

Before: `edgescreen check` said each file fact whole: a sheet with 300 households on hidden rows, every
other row, printed 300 row numbers (some 20 lines at 80 columns; a county's sheet of 5,000 hundreds of
lines), and a 低保 roster given to check said each of its 3,000 停保 rows, which screen already cut to
its first runs. Now check and screen say them alike (quality.rows_on_terminal), and quality.xlsx still
lists every row."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from rich.cells import cell_len
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.quality import ROWS_SAID_MOST, row_ranges
from survey_builders import HEADERS, household, make_id, write_workbook

AS_OF = "2019-12-31"
HOUSEHOLDS = 600


def check_at_80(*args, code: int = 0):
    result = CliRunner().invoke(app, ["check", *map(str, args), "--as-of", AS_OF, "--force"],
                                env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    lines = result.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), lines
    return lines, "".join(result.output.split())


def facts_sheet(out) -> list[str]:
    book = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)
    return [c for row in book["文件情况" if "文件情况" in book.sheetnames else "files"].iter_rows(values_only=True)
            for c in row if isinstance(c, str)]


@pytest.fixture
def hidden_survey(tmp_path):
    """600 households, every other row hidden by hand: 300 runs of one row each."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    for i in range(HOUSEHOLDS):
        record = household(户主姓名=f"户主{i}", 户主身份证号=make_id(f"19{50 + i % 40}0{1 + i % 9}1{i % 9}",
                                                                 serial=i % 1000))
        ws.append([record.get(h, "") for h in HEADERS])
        if i % 2:
            ws.row_dimensions[i + 2].hidden = True
    path = tmp_path / "合隆镇.xlsx"
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_says_a_sheets_hidden_rows_by_their_first_runs(tmp_path, hidden_survey, lang):
    out = tmp_path / "out"
    lines, said = check_at_80(hidden_survey, "-o", out, "--lang", lang)
    if lang == "zh":
        assert ("工作表「合隆镇」:有300户在隐藏的行上(第3,5,7,9,11等,共300行),已照常读入:"
                "请确认它们该在表中(全部行号见quality.xlsx的「文件情况」)") in said, said
    else:
        assert ("300householdsareonhiddenrows(rows3,5,7,9,11andmore,300inall),readliketheothers:"
                "makesuretheybelonginthetable(everyrowisonthe“files”sheetofquality.xlsx)") in said, said
    assert "13,15" not in said and "599,601" not in said, said
    # The fact is a few lines, the verdict right under it (and the rules line): not 20 lines of row numbers.
    assert len(lines) < 13, lines
    # quality.xlsx still lists every hidden row.
    every = ", ".join(str(r) for r in range(3, HOUSEHOLDS + 2, 2))
    assert any(every in text for text in facts_sheet(out)), every[-40:]


def test_a_few_runs_are_said_whole(tmp_path):
    """Five runs or fewer: said as the report says them, nothing cut, no pointer."""
    survey = tmp_path / "合隆镇.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(HEADERS)
    for i in range(12):
        record = household(户主姓名=f"户主{i}", 户主身份证号=make_id(serial=500 + i))
        ws.append([record.get(h, "") for h in HEADERS])
        if i in (1, 2, 3, 7, 9):
            ws.row_dimensions[i + 2].hidden = True
    book.save(survey)
    _, said = check_at_80(survey, "-o", tmp_path / "out")
    assert "有5户在隐藏的行上(第3-5,9,11行),已照常读入:请确认它们该在表中" in said, said
    assert "全部行号见" not in said, said


def test_check_says_a_rosters_stopped_rows_as_screen_does(tmp_path):
    """A 低保 roster given to check: its 3,000 停保 rows by their first runs, worded as screen words them
    (roster_warnings), and every row in quality.xlsx."""
    heads = [make_id(f"196{i}0101", serial=300 + i) for i in range(6)]
    survey = write_workbook(tmp_path / "合隆镇.xlsx",
                            [household(户主姓名=f"户主{i}", 户主身份证号=h) for i, h in enumerate(heads)])
    dibao = tmp_path / "低保对象名单.xlsx"
    with xlsxwriter.Workbook(dibao) as wb:  # every other row 停保: 1,500 rows, each a run of its own
        ws = wb.add_worksheet("低保对象")
        ws.write_row(0, 0, ["姓名", "身份证号", "保障状态"])
        for r in range(1, 3001):
            pid = make_id(f"19{50 + r % 40}0{1 + r % 9}1{r % 9}", region="220183", serial=r % 1000)
            ws.write_row(r, 0, [f"人{r}", pid, "停保" if r % 2 else "正常"])
    out = tmp_path / "out"
    lines, said = check_at_80(survey, "-o", out, "--roster", f"低保={dibao}")
    assert ("低保对象名单:1,500行的保障状态是停保、退出等,没有参加比对:工作表「低保对象」第2、4、6、8、10行等"
            "(全部行号见quality.xlsx的「文件情况」)") in said, said
    assert "12、14" not in said, said
    assert len(lines) < 45, len(lines)
    stopped = next(text for text in facts_sheet(out) if "行的保障状态是停保" in text)
    assert "2996、2998、3000" in stopped and "12、14" in stopped, stopped[-80:]


def test_rows_past_what_the_facts_cell_holds_are_pointed_to_the_all_rows_sheet():
    """A list longer than the fact's cell holds (rows_said cuts it there too): every row is on 全部行号."""
    from edgescreen.outputs.quality import rows_on_terminal

    rows = list(range(3, 2 * 6000, 2))
    cell = row_ranges(rows)
    assert len(cell) > ROWS_SAID_MOST
    part = pd.DataFrame({"sheet": "", "row": rows})
    shown, after = rows_on_terminal(part, "zh", cell=cell, bare=True)
    assert shown == f"3, 5, 7, 9, 11 等,共 {len(rows):,}" and after == "(全部行号见 quality.xlsx 的「全部行号」)"
    shown, after = rows_on_terminal(part.assign(sheet="低保"), "zh", cell=cell)
    assert shown == "工作表「低保」第 3、5、7、9、11 行等(全部行号见 quality.xlsx 的「全部行号」)" and after == ""
    assert rows_on_terminal(part.head(5), "zh", cell=row_ranges(rows[:5])) is None


def test_check_of_routine_facts_alone_does_not_point_above_to_nothing(tmp_path):
    """A folder of 12 township workbooks read as printed: 24 routine facts (a file, a sheet), none said.
    The line counting them was the first on the screen and read 「另有 24 条…以及上面同类情况的其余各表」,
    pointing to lines that were not there (an outside try)."""
    folder = tmp_path / "各乡镇"
    folder.mkdir()
    for t in range(12):
        write_workbook(folder / f"乡镇{t}.xlsx", [household(**{"乡(镇)": f"乡镇{t}"}, 户主姓名=f"户{t}",
                                                         户主身份证号=make_id("19700101", serial=100 + t))])
    lines, said = check_at_80(folder, "-o", tmp_path / "q")  # its path one word, kept short
    assert "24条读取情况(表头所在行、合计行和表尾、跳过的工作表等)未逐条列出" in said, lines
    assert "另有" not in said and "上面" not in said, lines
