"""report.html and quality.xlsx count the warnings as the terminal does.

An outside try (农安县老龄调查, 6,000 households): screen ended 「有 78 条警告需在 report.html 里逐条核实 …
另有 51 项整村或整列的问题(共 21,211 处空格)」, but report.html and quality.xlsx's 概览 opened on
「结论:未发现错误;有 21,289 条警告,请逐条核实」: the blanks of the findings said once below counted as
warnings to check one by one. Now the verdict of both says the warnings to check one by one and, apart,
the findings with their cells, from the terminal's very counts (quality.warning_work); and a finding whose
blank incomes read as 0 decide households is marked 【影响认定】 where the reports list it, as the terminal
marks it."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd
from typer.testing import CliRunner

from edgescreen.cli import app
from field_checks import issues
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

MARK = "【影响认定】"
# 前岗村's clean households: more than 东兴村's 25, so that its blanks are the village's, not most of the sheet's.
QIANGANG = 30


def _ids(n: int, start: int) -> list[str]:
    born = pd.date_range("1957-03-01", periods=n, freq="17D").strftime("%Y%m%d")
    return [make_id(day, serial=start + 2 * i) for i, day in enumerate(born)]


def _county(folder, *, wages: list[int], wan: int, error: bool = False):
    """合隆镇's sheet: 前岗村 writes every amount, `wan` of its households typed in 万元 (one warning each);
    东兴村 leaves 转移性收入 blank in all its rows (one finding), its households' wages `wages`. With
    `error`, a 前岗村 household's ID has a wrong check character."""
    ids = iter(_ids(QIANGANG + wan + len(wages), 701))
    rows = [household(户主身份证号=next(ids), 户主姓名=f"前{i}") for i in range(QIANGANG)]
    rows += [household(户主身份证号=next(ids), 户主姓名=f"万{i}", 工资性收入=1.2, 家庭总收入=1.2) for i in range(wan)]
    rows += [household(户主身份证号=next(ids), 户主姓名=f"东{i}", 行政村="东兴村", 工资性收入=wage, 转移性收入=None,
                       家庭总收入=wage) for i, wage in enumerate(wages)]
    if error:
        good = rows[0]["户主身份证号"]
        rows[0]["户主身份证号"] = good[:-1] + ("1" if good[-1] != "1" else "2")
    return write_workbook(folder / "合隆镇.xlsx", {"合隆镇": rows})


def _screen(folder, out, *args):
    done = runner.invoke(app, ["screen", str(folder), "-o", str(out), "--as-of", "2020-01-01", *args],
                         env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output  # errors decide households invalid; only --strict exits 1
    return done


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _verdicts(out) -> tuple[str, str]:
    """(report.html's verdict, quality.xlsx's 概览 verdict), whitespace taken out."""
    html = (out / "report.html").read_text(encoding="utf-8")
    page = re.search(r'<p class="verdict [a-z]+" id="verdict">(.*?)</p>', html, flags=re.S).group(1)
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["概览"]["A2"].value
    return _flat(page), _flat(sheet)


def _findings_listed(out) -> tuple[list[str], list[str]]:
    """The systemic findings as report.html and quality.xlsx's 概览 list them, whitespace taken out."""
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="systemic"'):html.index('id="counts"')]
    page = [_flat(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", section, flags=re.S)]
    ws = openpyxl.load_workbook(out / "quality.xlsx")["概览"]
    sheet = [_flat(c.value) for row in ws.iter_rows() for c in row[:1]
             if isinstance(c.value, str) and "合隆镇.xlsx「合隆镇」" in c.value]
    return page, sheet


def _terminal_counts(said: str) -> tuple[int, int, int]:
    """(warnings to check one by one, findings, their blank cells) as screen's last line says them."""
    apart = re.search(r"有(\d[\d,]*)条警告需在report.html里逐条核实.*?另有(\d[\d,]*)项整村或整列的问题"
                      r"\(共(\d[\d,]*)处空格\)", said)
    assert apart, said
    return tuple(int(n.replace(",", "")) for n in apart.groups())


def test_the_verdicts_say_two_warnings_to_check_and_one_finding_as_the_terminal(tmp_path):
    # 东兴村: 10 households below the line and 15 candidates on their wages, its blank transfers read as 0.
    folder = _county(tmp_path, wages=[6000] * 10 + [10000] * 15, wan=2).parent
    out = tmp_path / "out"
    done = _screen(folder, out)
    assert done.exit_code == 0, done.output
    said = _flat(done.output)
    table = issues(out)
    warned = table[table["severity"] == "warning"]
    assert len(warned) == 27, warned[["row", "code", "field"]]  # issues.csv keeps every one
    assert _terminal_counts(said) == (2, 1, 25), said
    page, sheet = _verdicts(out)
    expected = ("结论:未发现错误;有2条警告需逐条核实;另有1项整村或整列的问题(共25处空格),已在下面逐项说明,"
                "每项整村或整列一并处理,不必逐条核实。")
    for verdict in (page, sheet):
        assert verdict.startswith(expected), verdict
        assert "27条警告" not in verdict and "25条警告" not in verdict, verdict
        # The blanks read as 0 decide households: the verdict points at the marked finding.
        assert f"标有{MARK}的问题中空着的收入按0计算,补上后认定可能改变" in verdict, verdict
    # The finding that decides households carries the terminal's mark in both reports.
    assert f"{MARK}合隆镇.xlsx「合隆镇」合隆镇东兴村" in said, said
    page_findings, sheet_findings = _findings_listed(out)
    for listed in (page_findings, sheet_findings):
        assert len(listed) == 1 and listed[0].startswith(f"{MARK}合隆镇.xlsx「合隆镇」合隆镇东兴村"), listed
        assert "该村有10户认定为“低于贫困标准”、15户认定为“贫困边缘户候选”" in listed[0], listed


def test_a_finding_that_decides_nothing_leaves_no_warning_to_check_and_no_mark(tmp_path):
    # Every 东兴村 household far above the limit on its wages: its blanks read as 0 decide no one.
    folder = _county(tmp_path, wages=[40000] * 25, wan=0).parent
    out = tmp_path / "out"
    done = _screen(folder, out)
    assert done.exit_code == 0, done.output
    said = _flat(done.output)
    assert "警告都属于上面逐项说明的1项整村或整列的问题(共25处空格)" in said, said
    expected = ("结论:未发现错误;警告都属于下面逐项说明的1项整村或整列的问题(共25处空格),每项整村或整列一并处理,"
                "没有需要逐条核实的警告。")
    for verdict in _verdicts(out):
        assert verdict == expected, verdict
    for listed in _findings_listed(out):
        assert len(listed) == 1 and "东兴村" in listed[0] and MARK not in listed[0], listed
    assert MARK not in said, said


def test_after_the_errors_the_warnings_are_counted_as_the_terminal_counts_them(tmp_path):
    folder = _county(tmp_path, wages=[6000] * 10 + [10000] * 15, wan=2, error=True).parent
    out = tmp_path / "out"
    done = _screen(folder, out)
    said = _flat(done.output)
    warnings, findings, cells = _terminal_counts(said)
    assert (warnings, findings, cells) == (2, 1, 25), said
    for verdict in _verdicts(out):
        assert verdict.startswith("结论:发现1条错误,涉及1户"), verdict
        assert (f"另有{warnings}条警告需逐条核实,{findings}项整村或整列的问题(共{cells}处空格)每项一并处理。"
                in verdict), verdict
        assert "另有27条警告" not in verdict, verdict


def test_english_says_the_same(tmp_path):
    folder = _county(tmp_path, wages=[6000] * 10 + [10000] * 15, wan=2).parent
    out = tmp_path / "en"
    done = _screen(folder, out, "--lang", "en")
    assert done.exit_code == 0, done.output
    said = re.sub(r"\s+", " ", done.output)
    assert ("2 warnings to check one by one in report.html" in said
            and "1 whole-village or whole-column problem(s) (25 blank cells)" in said), said
    html = (out / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"\s+", " ", re.search(r'id="verdict">(.*?)</p>', html, flags=re.S).group(1))
    sheet = re.sub(r"\s+", " ", openpyxl.load_workbook(out / "quality.xlsx").worksheets[0]["A2"].value)
    for verdict in (page, sheet):
        assert verdict.startswith("Verdict: no errors; 2 warnings to check one by one; besides, 1 whole-village "
                                  "or whole-column problem(s) (25 blank cells)"), verdict
        assert "In the problems marked [changes decisions], blank incomes are read as 0" in verdict, verdict
    assert re.search(r"<li><strong[^>]*>\[changes decisions\] ", html), html


def test_the_reports_say_the_rule_set_and_its_bounds_in_words_as_the_terminal_does(tmp_path):
    """An outside try found 「(changchun-2019, 2019): 3218 < x < 4000」 at the head of quality.xlsx."""
    (tmp_path / "in").mkdir()
    _county(tmp_path / "in", wages=[10000], wan=0)
    done = _screen(tmp_path / "in", tmp_path / "out")
    said = "人均纯收入高于3,218元、低于4,000元"
    assert said in _flat(done.output), done.output
    cover = [r for r in openpyxl.load_workbook(tmp_path / "out" / "quality.xlsx")["概览"].iter_rows(values_only=True)
             if r[0] == "认定标准"]
    assert len(cover) == 1 and said in _flat(cover[0][1]) and "<" not in cover[0][1], cover
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert said in _flat(page) and "&lt; x" not in page
