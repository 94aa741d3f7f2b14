"""The 花名册 of `register export` as a township prints and keeps it (outside try, 2026-12-06): 169
households on 42 landscape pages, about 4 a page, rows of seven lines. Its columns had fixed widths: an
entry of 帮扶责任人 as cadres write it, 王建华(合隆镇农业站)13904311234, wrapped over five lines of an 8.5
wide column with its masked phone broken in two (139* / ***1234); a 帮扶措施 of a sentence over six of
16; 帮扶缺口 took 26.5 where most households have none. Now the free-text columns share the page by what
their cells hold: a roster of ordinary entries prints 10 households a page and more, a phone or an ID
is never broken inside, and an empty 帮扶缺口 is narrow."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from print_size import column_widths, printed_pages
from survey_builders import make_id
from years_builders import MeasureForm, register_everyone, run

from edgescreen.outputs.xlsx import printed_lines

HOUSEHOLDS = 40
# What a form comes back with: a type, a sentence of what is done, and the responsible cadre with
# the office and phone, as a township's forms had them.
MEASURES = [("技术指导", "玉米高产栽培技术培训两次,农技员包户指导"), ("健康", "家庭医生签约,慢病门诊报销"),
            ("就业", "推荐到合隆镇食品厂务工"), ("公益岗位", "聘为村保洁员"), ("产业扶持", "入股鑫源肉牛合作社,年底分红")]
PEOPLE = ["王建华(合隆镇农业站)1390431{:04d}", "李淑芬(合隆镇卫生院)1384312{:04d}", "赵志刚(合隆镇政府)1594436{:04d}"]
PHONE = re.compile(r"1[0-9*]{10}")  # a mobile number, whole or masked (139****1234)


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    """40 households of two villages on the register, each with one measure and its 帮扶责任人 recorded
    (begun within the 30 days: no 帮扶缺口), exported masked and unmasked."""
    tmp = tmp_path_factory.mktemp("roster_pages")
    people = [{"行政村": ("前岗村", "后岗村")[i % 2], "村民小组": f"{i % 7 + 1}组", "户主姓名": f"户主{i:02d}",
               "户主身份证号": make_id(birth=f"1966{i % 12 + 1:02d}{i % 28 + 1:02d}", serial=500 + i),
               "工资性收入": 9700 + 20 * i} for i in range(HOUSEHOLDS)]
    db = register_everyone(tmp, people)
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp / "forms")
    for path in sorted((tmp / "forms").glob("*.xlsx")):
        form = MeasureForm(path)
        for i in range(HOUSEHOLDS):
            if form.rows_of(f"户主{i:02d}"):
                kind, content = MEASURES[i % len(MEASURES)]
                form.add(f"户主{i:02d}", 帮扶类型=kind, 帮扶内容=content, 开始日期="2020-01-15",
                         帮扶责任人=PEOPLE[i % len(PEOPLE)].format(1000 + i))
        form.save()
        run("register", "record", db, path)
    out = {"masked": tmp / "花名册.xlsx", "unmasked": tmp / "花名册-内部.xlsx"}
    run("register", "export", db, "-o", out["masked"])
    run("register", "export", db, "-o", out["unmasked"], "--no-mask")
    return out


def _sheet(path: Path):
    ws = openpyxl.load_workbook(path)["花名册"]
    header = next(r for r in range(1, 8) if ws.cell(r, 1).value == "序号")
    cols = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value}
    rows = [r for r in range(header + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, int)]
    return ws, cols, rows


def _width(ws, col: int) -> float:
    """The column's width as the program set it (openpyxl reads xlsxwriter's stored width, 0.71 more)."""
    return column_widths(ws)[col - 1] - 0.71


def test_a_roster_of_ordinary_entries_prints_ten_households_a_page_and_more(exported):
    ws, cols, rows = _sheet(exported["masked"])
    assert len(rows) == HOUSEHOLDS
    person = {ws.cell(r, cols["帮扶责任人"]).value for r in rows}
    assert all(PHONE.search(p) and "****" in p for p in person), person  # recorded, masked
    assert ws.page_setup.scale >= 90  # still 9 points on paper
    # Pages from the rows' heights, the scale and the printable height (print_size.printed_pages): every
    # page but the last holds 10 households or more (4 or 5 before).
    pages = printed_pages(ws)
    households = [sum(r in rows for r in page) for page in pages]
    assert sum(households) == HOUSEHOLDS
    assert all(n >= 10 for n in households[:-1]) and len(pages) <= HOUSEHOLDS // 10, households


@pytest.mark.parametrize("copy", ["masked", "unmasked"])
def test_no_phone_or_id_is_broken_inside(exported, copy):
    """Each phone number, masked or not, fits a line of its column: the model of printed lines
    (xlsx.printed_lines) never breaks an ASCII run that fits, it wraps before it. And the cell's
    lines at its width are those of its text with the phone on a line of its own, or fewer."""
    ws, cols, rows = _sheet(exported[copy])
    col = cols["帮扶责任人"]
    width = _width(ws, col)
    for r in rows:
        text = ws.cell(r, col).value
        phone = PHONE.search(text).group()
        assert ("*" in phone) == (copy == "masked"), phone
        assert printed_lines([phone], width, 10)[0] == 1, (phone, width)
        before = text[:text.index(phone)]
        assert printed_lines([text], width, 10)[0] <= printed_lines([before], width, 10)[0] + 1, (text, width)
    # The ID has a column of its own that does not wrap: it prints on its line, never broken.
    ids = cols["身份证号"]
    assert not any(ws.cell(r, ids).alignment.wrap_text for r in rows)


def test_an_empty_gap_column_is_narrow(exported):
    """Every household has a measure fitting it, begun in time: 帮扶缺口 is empty and takes no more than
    its header needs (26.5 before), the room going to the columns that hold text."""
    ws, cols, rows = _sheet(exported["masked"])
    assert not any(ws.cell(r, cols["帮扶缺口"]).value for r in rows)
    gap = _width(ws, cols["帮扶缺口"])
    assert gap <= 8, gap
    assert _width(ws, cols["帮扶措施"]) > gap and _width(ws, cols["帮扶责任人"]) > gap
