"""The register's documents as they come back from the villages (outside tester, WPS/Excel, 2026-12-05):
a screen again while the 民主评议 forms are out, a form saved as .xls or .ods without its hidden
identity sheet, an .xls renamed .xlsx, the screen's own village list filled in, and a 帮扶责任人
merged over two households' rows. Each builds the small county of test_register."""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest

from register_builders import fill, household_table, meeting
from test_register import Walk, _by_name, refused, run
from edgescreen.register.documents import open_filled


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def flat(text: str) -> str:
    return "".join(text.split())


# ---------------------------------------------------------------------------------------------
# 1. A screen again while a round's documents are out


def test_a_screen_again_while_forms_are_out_says_so_and_the_late_form_says_what_to_do(walk):
    """The screen says 核实更正后重新筛查; a clerk who printed the 民主评议 forms screened again and
    began round 2 with no word: the forms filled in the villages were refused later, not saying
    to print round 2's and carry the results over."""
    docs = walk.issue("review")
    said = flat(run("screen", walk.resurvey(), "-o", walk.tmp / "out2", "--register", walk.db,
                    "--date", "2019-11-23").output)
    assert "已记录第2轮筛查" in said, said
    assert f"注意:第1轮已发出、尚未登记的文书共{len(docs)}份" in said, said
    assert "合隆镇前岗村(待「民主评议」)" in said and "请用edgescreenregisternext打印第2轮的文书" in said, said
    fill(docs[0], default=("同意", ""), decisions=_by_name(docs[0], {"李二": ("不同意", "家中有小轿车")}),
         form=meeting("2019年11月25日"))
    said = flat(refused(walk, docs[0], words=[]))
    assert "上一轮的文书已不能再登记或更正。请用edgescreenregisternext打印第2轮的文书" in said, said


# ---------------------------------------------------------------------------------------------
# 2, 3. Saved as .xls or .ods without the identity sheet; an .xls renamed .xlsx

needs_office = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


def _convert(walk: Walk, path, fmt: str):
    out = walk.tmp / f"as-{fmt}"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{walk.tmp}/lo", "--convert-to", fmt,
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    return out / f"{path.stem}.{fmt}"


@needs_office
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_form_without_its_identity_sheet_saved_as_xls_or_ods_is_known_by_its_properties(walk, fmt):
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), decisions=_by_name(doc, {"李二": ("不同意", "家中有小轿车")}),
         form=meeting("2019年11月25日"))
    book = openpyxl.load_workbook(doc)
    del book["edgescreen"]  # WPS: the clerk unhid the sheet and deleted it
    book.save(doc)
    saved = _convert(walk, doc, fmt)
    assert open_filled(saved).identity is not None
    assert "民主评议,合隆镇前岗村,4户(其中未通过、移出名单1户)已登记" in flat(walk.record(saved).output)


@needs_office
def test_an_xls_renamed_xlsx_is_read_by_what_it_holds(walk):
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), form=meeting("2019年11月25日"))
    renamed = walk.tmp / "前岗村(xls改名).xlsx"
    shutil.move(_convert(walk, doc, "xls"), renamed)
    assert "民主评议,合隆镇前岗村,4户已登记" in flat(walk.record(renamed).output)


# ---------------------------------------------------------------------------------------------
# 4. The screen's own village list, filled in and returned


def _village_list_returned(walk: Walk):
    walk.issue("review")
    listed = next((walk.tmp / "out" / "villages").glob("*前岗村*.xlsx"))
    book = openpyxl.load_workbook(listed)
    ws = book.worksheets[0]
    at, cols = household_table(ws)
    # Under --register the list is the county's working list, without 评议结果 (a village writes its
    # decision beside the table all the same).
    assert "评议结果" not in cols
    ws.cell(at + 1, max(cols.values()) + 1).value = "同意"
    returned = walk.tmp / "前岗村评议结果.xlsx"
    book.save(returned)
    return returned


def test_the_screens_village_list_is_told_from_a_workbook_of_no_identity(walk):
    returned = _village_list_returned(walk)
    said = open_filled(returned).not_a_document.render("zh")
    assert said.startswith("是筛查输出的各村初选名单(「合隆镇前岗村"), said
    assert open_filled(walk.survey).not_a_document is None


def test_the_screens_village_list_returned_is_named_for_what_it_is(walk):
    returned = _village_list_returned(walk)
    said = flat(refused(walk, returned, words=[]))
    assert "是筛查输出的各村初选名单(「合隆镇前岗村" in said, said
    assert "评议结果请填在登记簿为该村打印的「民主评议」文书上" in said, said


# ---------------------------------------------------------------------------------------------
# 5. A 帮扶责任人 merged over two households' rows of the measure form


def test_a_responsible_person_merged_over_two_households_fills_the_rows_it_covers(walk):
    for step in ("review", "verify", "publicity1", "township_review", "publicity2", "county_review",
                 "announcement"):
        getattr(walk, step)()
    out = walk.tmp / "measures"
    run("register", "measures", walk.db, "--date", "2020-01-10", "-o", out)
    form = sorted(out.glob("*.xlsx"))[0]
    book = openpyxl.load_workbook(form)
    ws = book["帮扶措施"]
    at, cols = household_table(ws)
    rows = [r for r in range(at + 1, ws.max_row + 1) if isinstance(ws.cell(r, cols["序号"]).value, int)]
    first, second = rows[0], next(r for r in rows if ws.cell(r, cols["序号"]).value == 2)
    assert second - first == 2  # each household printed on two rows
    for r in (first, second):
        for header, value in (("帮扶类型", "综合保障"), ("帮扶内容", "残疾人两项补贴"), ("开始日期", "2020-02-10")):
            ws.cell(r, cols[header]).value = value
    ws.cell(first, cols["帮扶责任人"]).value = "刘洋"
    ws.merge_cells(start_row=first, start_column=cols["帮扶责任人"], end_row=second + 1, end_column=cols["帮扶责任人"])
    book.save(form)
    said = flat(walk.record(form).output)
    assert "2户的2项措施已登记" in said, said
