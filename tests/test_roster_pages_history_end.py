"""Two things an outside try found on paper and at the terminal.

The 花名册 of `register export` printed about 11 households a landscape page (393 households, 79 pages
with its 认定环节 sheet): a one-line household row was 20 points, and the 帮扶缺口 most households of a
new register have (纳入超过 30 天仍无帮扶措施) wrapped in its 18-wide column, every row 34.5 points; the
认定环节 sheet's periods (2019-12-11至2019-12-17) were counted at three lines (49.5 points) in 15-wide
columns; 进度.xlsx's 帮扶缺口 list gave each household 30 points. Now a 花名册 household's row is one
line of 16.5 points where its texts fit, and the page holds 25 and more; the 帮扶缺口 list's a line's
20.25.

And `register history` of a household the procedure took off the list (不同意 at 民主评议, 不属实,
an objection upheld at a publicity, 不通过 at a review) showed its round as 贫困边缘户候选 and ended with
the step's lines: nothing said how the round ended for it. Now a line under the round says it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from print_size import printed_pages
from register_builders import fill, table_rows
from survey_builders import make_id
from years_builders import STEPS, fill_step, register_everyone, run, survey

HOUSEHOLDS = 60
VILLAGES = ("前岗村", "后岗村")


@pytest.fixture(scope="module")
def registered(tmp_path_factory) -> Path:
    """A county of 60 households on the register since 2019-12-27, none with a measure: on any day
    after 2020-01-26 each has the gap 纳入超过 30 天仍无帮扶措施."""
    tmp = tmp_path_factory.mktemp("roster")
    people = [{"行政村": VILLAGES[i % 2], "村民小组": f"{i % 9 + 1}组", "户主姓名": f"户主{i:03d}",
               "户主身份证号": make_id(birth=f"1965{i % 12 + 1:02d}{i % 28 + 1:02d}", serial=300 + i),
               "工资性收入": 9700 + 15 * i} for i in range(HOUSEHOLDS)]
    db = register_everyone(tmp, people)
    run("register", "export", db, "-o", tmp / "花名册.xlsx")
    run("register", "status", db, "-o", tmp / "进度.xlsx")
    return tmp


def _household_rows(ws) -> list[int]:
    """The sheet's rows of a household: those numbered (序号) in the first column."""
    return [r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]


def test_a_household_of_the_roster_is_one_line_and_its_gap_fits_it(registered):
    book = openpyxl.load_workbook(registered / "花名册.xlsx")
    ws = book["花名册"]
    rows = _household_rows(ws)
    assert len(rows) == HOUSEHOLDS
    header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")
    gap_col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "帮扶缺口")
    assert {ws.cell(r, gap_col).value for r in rows} == {"纳入超过 30 天仍无帮扶措施"}
    # One line of 10-point text (14.6 points) and a little: not two lines' 34.5 of a wrapped gap.
    assert {ws.row_dimensions[r].height for r in rows} == {16.5}
    # Still 9 points at least on paper, the header's counts (家庭人口数) not a character a line.
    assert ws.page_setup.scale >= 90
    assert ws.row_dimensions[header].height <= 54
    # The 认定环节 sheet: its periods on two lines (34.5 points), not counted at three (49.5).
    steps = book["认定环节"]
    assert {steps.row_dimensions[r].height for r in _household_rows(steps)} == {34.5}


def test_a_page_that_begins_in_the_middle_of_a_village_names_it_continued(registered):
    """Two villages of 30: the first page holds some 23 households, so the second begins inside
    前岗村 and names it (接上页) above its first household (the bundled sample's walk no longer has
    such a page, its villages fitting the denser pages)."""
    ws = openpyxl.load_workbook(registered / "花名册.xlsx")["花名册"]
    pages = printed_pages(ws)
    middle = [p for p in pages[1:] if isinstance(ws.cell(p[1], 1).value, int)]
    assert middle, [[ws.cell(r, 1).value for r in p[:3]] for p in pages]
    for page in middle:
        assert str(ws.cell(page[0], 1).value).endswith("(接上页)"), ws.cell(page[0], 1).value


def test_the_progress_workbook_lists_each_gap_on_a_line(registered):
    ws = openpyxl.load_workbook(registered / "进度.xlsx")["帮扶缺口"]
    rows = _household_rows(ws)
    assert len(rows) == HOUSEHOLDS
    assert {ws.row_dimensions[r].height for r in rows} == {20.25}  # a line of 10-point text (xlsx.printed_height)


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                    reason="LibreOffice and poppler-utils are not installed")
def test_a_landscape_page_of_the_roster_holds_25_households_and_more(registered, tmp_path):
    """Rendered by LibreOffice: every page of the 花名册 but its last holds 25 households or more (11
    before), every household printed whole, its gap on its line."""
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(registered / "花名册.xlsx")],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "花名册.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if "帮扶缺口" in p and "认定环节" not in p]
    counted = [len(re.findall(r"户主\d{3}", p)) for p in pages]
    assert sum(counted) == HOUSEHOLDS, counted
    assert len(pages) == 3 and all(n >= 25 for n in counted[1:-1]) and counted[0] >= 22, counted
    lines = [line for p in pages for line in p.splitlines() if re.search(r"户主\d{3}", line)]
    assert all(line.rstrip().endswith("纳入超过 30 天仍无帮扶措施") for line in lines), lines[:3]


# ---------------------------------------------------------------------------------------------
# register history: how the round ended for a household taken off the list

NAMES = ("户甲", "户乙", "户丙", "户丁", "户戊")
IDS = {n: make_id(birth=f"19700{i + 1}1{i}", serial=700 + i) for i, n in enumerate(NAMES)}
SAID_NO = {"review": ("户甲", "不同意", "家中有车"), "verify": ("户乙", "不属实", "有经营收入"),
           "township_review": ("户丁", "不通过", "材料不全")}


@pytest.fixture(scope="module")
def decided(tmp_path_factory) -> Path:
    """A round of five: 户甲 不同意 at the 民主评议, 户乙 不属实, an objection to 户丙 upheld at the first
    publicity (settled 2019-12-05), 户丁 不通过 at the township's review; 户戊 entered the register."""
    tmp = tmp_path_factory.mktemp("history")
    db = tmp / "农安县.db"
    people = [{"户主姓名": n, "户主身份证号": IDS[n], "工资性收入": 10000 + 100 * i} for i, n in enumerate(NAMES)]
    run("screen", survey(tmp / "2019.xlsx", people), "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    for step, (date, folder) in STEPS.items():
        run("register", "next", db, "--date", date, "-o", tmp / step)
        for doc in sorted((tmp / step / folder).glob("*.xlsx")):
            fill_step(step, doc)
            if step in SAID_NO:
                name, word, why = SAID_NO[step]
                seq = {r["户主姓名"]: r["序号"] for r in table_rows(doc)}
                fill(doc, decisions={seq[name]: (word, why)})
            elif step == "publicity1":
                fill(doc, objections=[("户丙", "家中有人在外务工,收入较高", "成立", "2019-12-05")])
            run("register", "record", db, doc)
    return db


@pytest.mark.parametrize("name, said", [
    ("户甲", "本轮移出名单:民主评议不同意(2019年11月25日)"),
    ("户乙", "本轮移出名单:入户核实不属实(2019年11月27日)"),
    ("户丙", "本轮移出名单:第一次公示异议成立(2019年12月5日)"),
    ("户丁", "本轮移出名单:乡镇审核不通过(2019年12月10日)"),
])
def test_the_history_of_a_household_taken_off_says_how_its_round_ended(decided, name, said):
    lines = [line.strip() for line in run("register", "history", decided, "--id", IDS[name]).output.splitlines()]
    at = next(i for i, line in enumerate(lines) if line.startswith("第 1 轮筛查"))
    assert "贫困边缘户候选" in lines[at]
    assert lines[at + 1] == said, lines[:at + 3]  # under the round it read as still a candidate of
    assert sum("本轮移出名单" in line for line in lines) == 1


def test_the_history_of_a_household_entered_says_none_and_ends_on_the_register(decided):
    lines = [line.strip() for line in run("register", "history", decided, "--id", IDS["户戊"]).output.splitlines()]
    assert not any("移出名单" in line for line in lines)
    assert any(line.startswith("2019-12-27") and line.endswith("公告:在册") for line in lines), lines


def test_the_closing_line_in_english(decided):
    said = run("register", "history", decided, "--id", IDS["户丙"], "--lang", "en").output
    assert "taken off this round's list: first publicity, objection upheld" in said, said
