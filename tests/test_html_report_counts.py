"""report.html says its counts as the terminal and the workbooks' sentences do, with thousands separators
(1,234 户), in its tables and charts as in its sentences; a year, an Excel row or a cell stays as it is
(2019, 第1101行, F1101). A county's village of 1,234 households, screened through the CLI with a 低保
roster of 1,201 rows."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from test_rosters import write_sheets
from edgescreen.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BIG, WRONG_IDS = 1234, 1100
DIBAO_ROWS = 1201  # a county's 低保 roster, none of them in 前岗村


def _id(i: int) -> str:
    """A valid ID for each household; the first WRONG_IDS with their check character changed."""
    valid = make_id(birth=f"19{60 + i // 1000}0101", serial=i % 1000)
    return valid if i >= WRONG_IDS else valid[:-1] + ("1" if valid[-1] == "0" else "0")


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """前岗村: 1,234 households, 1,100 with an ID that fails its check (errors: invalid), nine in ten with
    a phone that is no phone (warnings); 后岗村: five clean ones. A 低保 roster of DIBAO_ROWS people born
    1950, so none of them a head here."""
    folder = tmp_path_factory.mktemp("counts")
    rows = [household(**{"户主身份证号": _id(i), "户主姓名": f"户{i}",
                         "联系电话": "12345" if i % 10 else "13812345678"}) for i in range(BIG)]
    rows += [household(**{"行政村": "后岗村", "户主身份证号": make_id(birth="19800101", serial=i)}) for i in range(5)]
    survey = write_workbook(folder / "survey.xlsx", rows)
    dibao = write_sheets(folder / "低保对象名单.xlsx", {"低保对象": (
        ["序号", "姓名", "身份证号"],
        [[i + 1, f"低保{i}", make_id(birth=f"1950{1 + i // 1000:02d}01", serial=i % 1000)] for i in range(DIBAO_ROWS)])})
    said = CliRunner().invoke(app, ["screen", str(survey), "-o", str(folder / "out"), "--as-of", "2020-01-01",
                                    "--roster", f"低保={dibao}"])
    assert said.exit_code == 0, said.output
    path = folder / "out" / "report.html"
    return path, path.read_text(encoding="utf-8"), said.output


def section(html: str, name: str) -> str:
    """The section's markup; a section gone from the page fails here, not passes as nothing to check."""
    opening = f'<section id="{name}">'
    assert opening in html, f"no {opening} in report.html"
    return html.split(opening, 1)[1].split("</section>", 1)[0]


def texts(part: str) -> list[str]:
    """The words a reader sees: the text between tags (an SVG's <text> and <title> included)."""
    return [t.strip() for t in re.findall(r">([^<>]+)<", part) if t.strip()]


# A number of four digits or more said without separators (not one inside 1,234 or 3,218.00).
BARE = re.compile(r"(?<![\d,.])\d{4,}(?![\d,])")


def test_the_village_table_counts_with_separators(page):
    _, html, _ = page
    villages = section(html, "villages")
    row = next(r for r in villages.split("<tr>") if "前岗村" in r)
    cells = re.findall(r'<td class="n[^"]*">([^<]*)</td>', row)
    assert cells == ["1,100", "1,110", "1,100", "1,234"], cells
    assert not [t for t in texts(villages) if BARE.search(t)], texts(villages)


def test_the_checks_table_the_status_chart_and_the_histogram_count_with_separators(page):
    _, html, _ = page
    by_code = section(html, "by-code")
    phone = next(r for r in by_code.split("<tr>") if "phone_malformed" in r)
    assert re.findall(r'<td class="n[^"]*">(?:<b>)?([^<]*)', phone) == ["1,110", "1,110"], phone
    statuses = section(html, "statuses")
    assert "数据有误,待核实: 1,100</title>" in statuses and ">1,100</text>" in statuses
    # The count axis of the histogram: all 1,239 incomes in one bar, ticks past a thousand.
    assert re.search(r'text-anchor="end" stroke="none" fill="#57606a">1,000</text>', html)
    for name in ("by-code", "statuses", "histogram"):
        part = section(html, name)
        assert not [t for t in texts(part) if BARE.search(t)], (name, texts(part))


def test_the_issue_lists_count_and_the_cards(page):
    _, html, _ = page
    assert '<b id="shown">1,100</b> / 1,100' in html
    assert '<b>1,239</b>' in html and '<b>1,110</b>' in html  # the overview's cards, as before


def test_years_rows_and_cells_keep_their_digits(page):
    """The rule set's year, the as-of date, an Excel row and a cell: numbers, not counts."""
    _, html, output = page
    assert "2019" in html and "2020-01-01" in html
    assert not re.search(r"2,0(19|20)", html)
    assert "第1101行" in html and "F1101" in html and not re.search(r"第1,\d{3}行|[A-Z]1,\d{3}\b", html)
    # The terminal says the same counts the same way.
    assert "1,239" in output and "1,110" in output


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")
def test_the_filter_box_keeps_the_separator_when_it_counts(page, tmp_path):
    """The filter box's script rewrites the count on opening (and on each filter): 1,100, not 1100."""
    path, _, _ = page
    dom = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000", "--dump-dom",
         path.as_uri() + "#sev=error"],
        capture_output=True, text=True, timeout=120).stdout
    assert 'data-filter-ready="1"' in dom
    assert '<b id="shown">1,100</b> / 1,100' in dom


def test_the_roster_table_counts_with_separators(page):
    """The 信息比对 table: a roster's rows read and IDs, past a thousand, as the terminal says them."""
    _, html, _ = page
    rosters = section(html, "rosters")
    row = next(r for r in rosters.split("<tr>") if "低保对象名单.xlsx" in r)
    cells = re.findall(r'<td class="n">([^<]*)</td>', row)
    assert cells[:2] == ["1,201", "1,201"], cells
    assert not [t for t in texts(rosters) if BARE.search(t)], texts(rosters)
