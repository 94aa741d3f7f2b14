"""Counts and long lists in the files and on the terminal at a county's size (the look that found
test_county_size_files' three, continued).

1. Counts in summary.xlsx, quality.xlsx and report.html without thousands separators (输入文件 合隆镇.xlsx
   (5000 户), 检查内容 … 共 N 项检查, 共 5000 条,全部列出, 有 2500 户在隐藏的行上, the histogram's
   counts): every label rendered in a run is watched, the workbooks' and the page's too.
2. Lists joined into one cell with no cap: a sheet's formula cells without a saved value (5,000 of them
   some 35,000 characters, past Excel's 32,767 a cell), a text file's rows over several lines with the
   text's line each starts on (two lists, 3,000 pairs some 40,000 characters), a returned list's remarks.
   Now each ends whole with 等,共 N 项 and where the rest is.
3. On the terminal, a sheet's hidden rows listed every row (2,500 runs of one row: hundreds of lines).
   Now the first runs and 等, as a roster's rows are said.
"""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import test_county_size_files as county
from edgescreen.cli import app
from edgescreen.outputs.quality import _remarks
from survey_builders import HEADERS, household, make_id, write_csv_table
from test_county_size_files import bare_counts  # noqa: F401 (the fixture)

AS_OF = "2019-12-31"
EXCEL_CELL_MOST = 32_767
HOUSEHOLDS = 5_000


def screen(*args, columns: int = 200):
    return CliRunner().invoke(app, ["screen", *map(str, args), "--as-of", AS_OF, "--force"],
                              env={"COLUMNS": str(columns)})


def texts(path, sheet=None) -> list[str]:
    book = openpyxl.load_workbook(path, read_only=True)
    sheets = [book[sheet]] if sheet else book.worksheets
    return [c for ws in sheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]


@pytest.fixture
def county_survey(tmp_path):
    """5,000 households, each one's 工资性收入 a formula never calculated (openpyxl saves no value), every
    other row hidden by hand."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    wage = HEADERS.index("工资性收入")
    for i in range(HOUSEHOLDS):
        record = household(户主姓名=f"户主{i}", 户主身份证号=make_id(f"19{50 + i % 40}0{1 + i % 9}1{i % 9}",
                                                                 serial=i % 1000))
        values = [record.get(h, "") for h in HEADERS]
        values[wage] = "=5000*2"
        ws.append(values)
        if i % 2:
            ws.row_dimensions[i + 2].hidden = True
    path = tmp_path / "合隆镇.xlsx"
    book.save(path)
    return path


def test_a_countys_sheet_says_its_counts_with_separators_and_its_long_lists_whole(tmp_path, county_survey,
                                                                                 bare_counts, monkeypatch):  # noqa: F811
    # The histogram's counts are counts too.
    monkeypatch.setattr(county, "COUNT_NAMES", county.COUNT_NAMES | {"band", "n", "missing", "excluded", "invalid"})
    out = tmp_path / "out"
    done = screen(county_survey, "-o", out)
    assert done.exit_code == 0, done.output
    assert not bare_counts, sorted(set(bare_counts))

    said = "".join(done.output.split())
    # The terminal: the hidden rows' first runs, then where every row is; not 2,500 numbers.
    assert ("2,500户在隐藏的行上,已照常读入:第3、5、7、9、11行等(全部行号见quality.xlsx的「文件情况」)") in said, said
    assert "13、15" not in said and "13,15" not in said, said

    facts = texts(out / "quality.xlsx", "文件情况")
    assert all(len(text) < EXCEL_CELL_MOST for text in facts)
    formula = next(text for text in facts if "个公式单元格" in text)
    pointer = " 等,共 5,000 项(全部单元格见 quality.xlsx 的「全部行号」表)"
    assert "5,000 个公式单元格未读取" in formula and pointer in formula, formula[-300:]
    cells = formula.split(pointer)[0].split("未读取(", 1)[1].split(", ")
    assert cells[:2] == ["J2", "J3"] and all(re.fullmatch(r"J\d+", c) for c in cells), cells[-3:]  # each whole
    hidden = next(text for text in facts if "在隐藏的行上" in text)
    assert "有 2,500 户在隐藏的行上" in hidden
    # Every cell is on the sheet the pointer names.
    every = [row for row in openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["全部行号"]
             .iter_rows(min_row=2, values_only=True) if "公式单元格" in row[2]]
    assert ", ".join(row[3] for row in every) == ", ".join(f"J{r}" for r in range(2, HOUSEHOLDS + 2))

    summary = "\n".join(texts(out / "summary.xlsx"))
    assert "合隆镇.xlsx(5,000 户)" in summary
    html = re.sub(r"<[^>]*>", "", (out / "report.html").read_text(encoding="utf-8"))
    assert "此处列出 5,000 条中的 100 条" in html


def test_a_text_files_rows_over_lines_are_said_pair_by_pair_within_a_cell(tmp_path):
    # 3,000 households whose 主要困难 holds a line break: each record two lines of the text.
    rows = [[str(v) for v in household(户主姓名=f"户主{i}", 户主身份证号=make_id(serial=i % 1000),
                                       主要困难="因病\n因残").values()] for i in range(3_000)]
    survey = write_csv_table(tmp_path / "合隆镇.csv", list(household().keys()), rows)
    out = tmp_path / "out"
    done = screen(survey, "-o", out)
    assert done.exit_code == 0, done.output
    facts = texts(out / "quality.xlsx", "文件情况")
    assert all(len(text) < EXCEL_CELL_MOST for text in facts)
    over = next(text for text in facts if "单元格内含换行" in text)
    assert over.startswith("有 3,000 行的单元格内含换行"), over[:100]
    assert over.endswith("行开始)(全部行号见 quality.xlsx 的「全部行号」表)"), over[-200:]
    shown = int(re.search(r"前 ([\d,]+) 行:", over).group(1).replace(",", ""))
    numbers = re.search(r"前 [\d,]+ 行:第 (.*?) 行分别从文本第 (.*?) 行开始", over)
    rows_said, lines_said = (numbers.group(k).split(", ") for k in (1, 2))
    # The pairs as read: row r (the header is row 1) starts on line 2r - 2, each whole.
    assert rows_said == [str(r) for r in range(2, shown + 2)]
    assert lines_said == [str(2 * r - 2) for r in range(2, shown + 2)]
    every = [row[3] for row in openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["全部行号"]
             .iter_rows(min_row=2, values_only=True) if "单元格内含换行" in row[2]]
    assert ", ".join(every) == "2-3001"


@pytest.mark.parametrize("lang, rest", [("zh", " 等,共 3,000 项(其余见名单上这些行的备注)"),
                                        ("en", " and more, 3,000 in all (the rest in the remarks of those rows of the list)")])
def test_a_returned_lists_remarks_end_whole_with_how_many_and_where_the_rest_are(lang, rest):
    notes = pd.DataFrame({"note": [f"备注{i:05d}已停保" for i in range(3_000)]})
    said = _remarks(notes, lang)
    assert said.endswith(rest) and len(said) < 1_000, said
    quoted = said[:-len(rest)].split("、" if lang == "zh" else ", ")
    assert quoted[0] == "备注00000已停保" and all(re.fullmatch(r"备注\d{5}已停保", q) for q in quoted), quoted[-2:]
