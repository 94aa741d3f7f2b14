"""What is said of formula cells in a workbook marked for recalculation (fullCalcOnLoad, which xlsxwriter
and openpyxl write): their saved results are not used, whether a value was saved or not (workbook.py),
and the households are 数据有误 as before, never a silent 0. An outside try (AY, 2026-12-06) had screen
say 「有 60 个公式单元格没有保存计算结果」 of a file whose every other cell held its right value, and 「文件保存时
没有计算」 of totals saved with their sums. Said now as the file asking for recalculation, with what to do:
Excel or WPS recalculate on opening; LibreOffice saves the program's 0s as values unless Ctrl+Shift+F9
comes first. A workbook with formulas and no value saved, and no mark, keeps its own words."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from field_builders import _edit_zip, _record_row, col, households
from field_checks import issues, said
from survey_builders import HEADERS
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()

MARKED = "工作簿标明公式需重新计算,保存的结果不可信,没有采用"
LIBREOFFICE = "用LibreOffice的,打开后先按Ctrl+Shift+F9重新计算全部公式再保存"  # as said(): no white space
NEVER_SAVED = "没有保存计算结果"


def _program_workbook(path: Path, n: int, wages: dict[int, float | None]) -> Path:
    """n households, the 工资性收入 of those at the 0-based positions in `wages` the formula =5000*2 with
    its saved value (None: xlsxwriter's default 0), as a server's export writes it: marked for
    recalculation."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    for i, record in enumerate(households(n, **{"工资性收入": 10000})):
        _record_row(ws, i + 1, record)
        if i in wages:
            if wages[i] is None:
                ws.write_formula(i + 1, col("工资性收入"), "=5000*2")
            else:
                ws.write_formula(i + 1, col("工资性收入"), "=5000*2", None, wages[i])
    book.close()
    with zipfile.ZipFile(path) as zf:
        assert b'fullCalcOnLoad="1"' in zf.read("xl/workbook.xml")
    return path


def _totals_workbook(path: Path, n: int) -> Path:
    """n households whose 家庭总收入 is =SUM of the four incomes saved with its right value, marked for
    recalculation (xlsxwriter): the totals' saved values are not used, the components decide."""
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, HEADERS)
    total = col("家庭总收入")
    for i, record in enumerate(households(n)):
        _record_row(ws, i + 1, record, skip=("家庭总收入",))
        row = i + 2
        ws.write_formula(i + 1, total, f"=SUM({_letter('工资性收入')}{row}:{_letter('转移性收入')}{row})", None,
                         record["家庭总收入"])
    book.close()
    return path


def _never_saved_workbook(path: Path, n: int, formula_rows: set[int]) -> Path:
    """A script's openpyxl workbook whose 工资性收入 at `formula_rows` is =5000*2 with no value saved, and
    no mark for recalculation (taken off: openpyxl writes it too): the values really are missing."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "合隆镇"
    ws.append(HEADERS)
    for i, record in enumerate(households(n, **{"工资性收入": 10000})):
        ws.append([record.get(h, "") for h in HEADERS])
        if i in formula_rows:
            ws.cell(row=i + 2, column=col("工资性收入") + 1, value="=5000*2")
    book.save(path)
    _edit_zip(path, lambda name, data: data.replace(b' fullCalcOnLoad="1"', b"") if name == "xl/workbook.xml"
              else data)
    with zipfile.ZipFile(path) as zf:
        assert b"fullCalcOnLoad" not in zf.read("xl/workbook.xml")
    return path


def _letter(header: str) -> str:
    return get_column_letter(col(header) + 1)


def _formula_fact(out: Path) -> str:
    """The message of quality.xlsx's fact of formula cells (文件情况), with no white space."""
    ws = openpyxl.load_workbook(out / "quality.xlsx")["文件情况"]
    facts = [row[4] for row in ws.iter_rows(min_row=2, values_only=True) if row[4] and "公式单元格" in row[4]]
    assert len(facts) == 1, facts
    return "".join(facts[0].split())


def _run(*args) -> object:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output
    return result


def test_formulas_of_a_workbook_marked_for_recalculation_are_said_so_on_screen_and_in_quality(tmp_path):
    # Row 2's formula saved its right value, row 3's xlsxwriter's 0: neither is used, both invalid.
    path = _program_workbook(tmp_path / "系统导出.xlsx", 3, {0: 10000, 1: None})
    out = tmp_path / "out"
    result = _run("screen", path, "-o", out, "--force")
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["invalid", "invalid", "candidate"]
    text = said(result)
    assert f"系统导出.xlsx:{MARKED}:2个公式单元格未读取(合隆镇!{_letter('工资性收入')}2,合隆镇!{_letter('工资性收入')}3)" \
        in text, result.output
    assert "这些农户认定为“数据有误,待核实”,没有按保存的值或0计算" in text and LIBREOFFICE in text, result.output
    assert NEVER_SAVED not in text, result.output
    fact = _formula_fact(out)
    assert MARKED in fact and LIBREOFFICE in fact and NEVER_SAVED not in fact, fact
    # report.html holds the same fact, in the same words.
    page = "".join((out / "report.html").read_text(encoding="utf-8").split())
    assert MARKED in page and NEVER_SAVED not in page
    # …and in English.
    english = " ".join(_run("screen", path, "-o", tmp_path / "en", "--force", "--lang", "en").output.split())
    assert "the workbook marks its formulas for recalculation, so their saved results cannot be trusted and were " \
           "not used: 2 formula cell(s) not read" in english, english
    assert "press Ctrl+Shift+F9" in english and "have no saved value" not in english, english


def test_check_says_the_same_of_a_workbook_marked_for_recalculation(tmp_path):
    path = _program_workbook(tmp_path / "系统导出.xlsx", 3, {0: 10000, 1: None})
    out = tmp_path / "out"
    result = _run("check", path, "-o", out, "--force")
    text = said(result)
    assert f"工作表「合隆镇」:{MARKED}:2个公式单元格未读取" in text and LIBREOFFICE in text, result.output
    assert NEVER_SAVED not in text, result.output
    assert MARKED in _formula_fact(out)


def test_formula_totals_of_a_workbook_marked_for_recalculation_are_said_so(tmp_path):
    # The totals saved with their right sums: not "never calculated when the file was saved".
    path = _totals_workbook(tmp_path / "开安镇.xlsx", 3)
    out = tmp_path / "out"
    result = _run("screen", path, "-o", out, "--force")
    assert set(read_ledger(out / "decisions.csv")["status"]) == {"candidate"}  # the components decide
    text = said(result)
    total = _letter("家庭总收入")
    assert f"开安镇.xlsx:有3个合计单元格是公式,工作簿标明公式需重新计算,保存的结果不可信,没有采用(合隆镇!{total}2," \
        in text, result.output
    assert "这些农户已填各项,按各项之和认定,合计没有核对" in text and LIBREOFFICE in text, result.output
    assert "文件保存时没有计算(" not in text, result.output
    # quality.xlsx: the households are not left to verify, their totals being decided on the components.
    fact = _formula_fact(out)
    assert MARKED in fact and "(已填各项的合计除外:按各项之和认定)" in fact, fact


def test_formulas_never_saved_in_an_unmarked_workbook_keep_their_words(tmp_path):
    # Already right before: guarded, so that the marked workbook's words do not spread to this one.
    path = _never_saved_workbook(tmp_path / "脚本生成.xlsx", 3, {1})
    out = tmp_path / "out"
    result = _run("screen", path, "-o", out, "--force")
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["candidate", "invalid", "candidate"]
    text = said(result)
    assert f"脚本生成.xlsx:有1个公式单元格没有保存计算结果(合隆镇!{_letter('工资性收入')}3)" in text, result.output
    assert "重新计算" not in text and "Ctrl+Shift+F9" not in text, result.output
    fact = _formula_fact(out)
    assert "有1个公式单元格没有保存计算结果" in fact and "重新计算" not in fact, fact


def _issue_messages(out: Path, code: str) -> list[str]:
    found = issues(out)
    return found.loc[found["code"] == code, "message"].tolist()


def test_the_row_messages_and_the_whole_column_finding_say_the_same_of_a_marked_workbook(tmp_path):
    # Every household's wage a formula of a marked workbook: one whole-column finding, and each row's
    # message in issues.csv, say the file asks for recalculation, not that no value was saved.
    path = _program_workbook(tmp_path / "系统导出.xlsx", 24, dict.fromkeys(range(24)))
    out = tmp_path / "out"
    text = said(_run("screen", path, "-o", out, "--force"))
    assert "整列是公式,工作簿标明公式需重新计算,保存的结果没有采用" in text and "文件保存时没有计算结果" not in text, text
    rows = _issue_messages(out, "formula_not_calculated")
    assert len(rows) == 24 and all("工作簿标明公式需重新计算,保存的结果没有采用" in m and "公式未计算" not in m
                                   for m in rows), rows[:2]
    # Totals of a marked workbook: the row words and the finding's cause say it too.
    out = tmp_path / "totals"
    text = said(_run("screen", _totals_workbook(tmp_path / "开安镇.xlsx", 24), "-o", out, "--force"))
    assert "整列合计是公式,工作簿标明公式需重新计算" in text, text
    rows = _issue_messages(out, "formula_total_unchecked")
    assert len(rows) == 24 and all("保存的结果没有采用,没有核对这个合计" in m for m in rows), rows[:2]


def test_the_row_message_of_a_formula_never_saved_keeps_its_words(tmp_path):
    out = tmp_path / "out"
    _run("screen", _never_saved_workbook(tmp_path / "脚本生成.xlsx", 3, {1}), "-o", out, "--force")
    rows = _issue_messages(out, "formula_not_calculated")
    assert len(rows) == 1 and "公式未计算:请在 Excel/WPS 中打开并保存后重试" in rows[0], rows
