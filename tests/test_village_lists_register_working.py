"""The screen's village lists where the run keeps a register, and a 村民小组 typed long: end to end
through `edgescreen screen`. With --register the meetings review the register's documents (register
next), so the screen's candidate list is the county's working list: titled so, without the meeting's
评议结果 and 备注 columns and without the signature lines, the page keeping its width. A group typed
with its own township and village (哈拉海镇东风村第十二村民小组) prints without them, in a column as wide
as the village's longest group (within a bound), taken from a column written by hand (else the widest
free-text one): a list of such groups prints on as many pages as one of 一组, 二组 (an outside try:
东风村's 140 candidates on 24 pages, 18 now; its remaining rows of several lines are its 主要困难's)."""

from __future__ import annotations

import re
import shutil
import subprocess

import openpyxl
import pytest
from typer.testing import CliRunner

from print_size import column_widths, printed_pages
from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import messages
from edgescreen.cli import app
from edgescreen.outputs.places import issuer_places
from edgescreen.outputs.xlsx import line_width

runner = CliRunner()


def label(key, lang="zh"):
    return messages().labels[key](lang)


def screen(tmp_path, rows, *extra, out="out"):
    path = write_workbook(tmp_path / f"{out}.xlsx", rows)
    result = runner.invoke(app, ["screen", str(path), "-o", str(tmp_path / out), "--as-of", "2020-01-01", *extra])
    assert result.exit_code == 0, result.output
    return tmp_path / out, result.output


def candidates_sheet(out, name="合隆镇-前岗村.xlsx"):
    return openpyxl.load_workbook(out / "villages" / name)[label("sheet_candidates")]


def header_row(ws) -> int:
    return next(r for r, row in enumerate(ws.iter_rows(values_only=True), start=1) if row[0] == "序号")


def widths(ws) -> list[int]:
    """Each column's width as the list gives it (whole characters: the file stores it with the cell's
    padding, 5 pixels, added)."""
    return [round(w - 5 / 7) for w in column_widths(ws)]


def texts(ws) -> list[str]:
    return [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def village_rows(n=6, **extra):
    return [household(**{"户主姓名": f"户主{i:03d}", "户主身份证号": make_id(f"1960{i % 12 + 1:02d}01", serial=i),
                         "工资性收入": 9700 + 50 * i, **extra}) for i in range(n)]


# ---------------------------------------------------------------------------------------------
# 1. With --register: the county's working list, not the meeting's form


def test_with_a_register_the_candidate_list_is_the_countys_working_list(tmp_path):
    meeting, _ = screen(tmp_path, village_rows(), out="meeting")
    working, said = screen(tmp_path, village_rows(), "--register", str(tmp_path / "县.db"), out="working")
    assert "工作清单" in said, "the terminal says what the lists are"
    ws = candidates_sheet(working)
    # Titled as the county's working list, and said under the title: not to review, not to sign.
    assert ws["A1"].value == "合隆镇前岗村贫困边缘户初选名单(工作清单)"
    assert label("list_working_note") in texts(ws)
    assert "不用于评议" in label("list_working_note") and "登记簿" in label("list_working_note")
    headers = [c.value for c in ws[header_row(ws)]]
    assert headers == ["序号", "村民小组", "户主姓名", "身份证号", "常住人口数", "人均纯收入(元)", "主要困难"]
    signs = [label(key).format(**issuer_places("合隆镇", "前岗村", "zh")) for key in ("sign_committee", "sign_verifier", "sign_date")]
    assert not any(t.startswith(sign) for t in texts(ws) for sign in signs), "no signature lines"
    assert max(ws.max_row, 1) == header_row(ws) + 6, "nothing below the candidates"
    assert [r[2] for r in ws.iter_rows(min_row=header_row(ws) + 1, values_only=True) if r[2]] == \
        [f"户主{i:03d}" for i in range(6)], "the candidates all there"
    # The page keeps its width: the meeting's columns' room goes to 主要困难, at the same scale.
    form = candidates_sheet(meeting)
    assert sum(widths(ws)) == sum(widths(form))
    assert ws.page_setup.scale == form.page_setup.scale
    assert widths(ws)[6] == widths(form)[6] + 18 + 16


def test_without_a_register_the_list_is_the_meetings_form_as_before(tmp_path):
    out, _ = screen(tmp_path, village_rows())
    ws = candidates_sheet(out)
    assert ws["A1"].value == "合隆镇前岗村贫困边缘户初选名单"
    assert label("list_working_note") not in texts(ws)
    headers = [c.value for c in ws[header_row(ws)]]
    assert headers[-2:] == ["评议结果", "备注"]
    signs = [label(key).format(**issuer_places("合隆镇", "前岗村", "zh")) for key in ("sign_committee", "sign_verifier", "sign_date")]
    assert all(any(t.startswith(sign) for t in texts(ws)) for sign in signs)


# ---------------------------------------------------------------------------------------------
# 2. A 村民小组 typed with its township and village


def test_a_group_typed_with_its_place_prints_without_it_in_a_column_sized_to_it(tmp_path):
    groups = ["合隆镇前岗村第十二村民小组", "吉林省农安县合隆镇前岗村第三村民小组", "前岗村五组", "二组",
              "前岗村", "合隆镇新立村一组"]
    rows = [household(**{"户主姓名": f"户主{i:03d}", "户主身份证号": make_id("19600101", serial=i),
                         "工资性收入": 9700 + 50 * i, "村民小组": g}) for i, g in enumerate(groups)]
    rows += [household(**{"行政村": "三宝村", "户主姓名": "钱甲", "村民小组": "一组", "工资性收入": 10500})]
    out, _ = screen(tmp_path, rows)
    ws = candidates_sheet(out)
    printed = {r[2]: r[1] for r in ws.iter_rows(min_row=header_row(ws) + 1, values_only=True) if r[2]}
    # The title names the place: the group prints what follows it; a group naming only the place, or
    # another village, as typed.
    assert [printed[f"户主{i:03d}"] for i in range(len(groups))] == \
        ["第十二村民小组", "第三村民小组", "五组", "二组", "前岗村", "合隆镇新立村一组"]
    sized = widths(ws)
    assert sized[1] == 18, "the longest, 合隆镇新立村一组 (another village: as typed), within the bound"
    # The room is the widest hand-written column's (评议结果), not 主要困难's: the page keeps its width.
    other = widths(candidates_sheet(out, "合隆镇-三宝村.xlsx"))
    assert other[1] == 10, "short groups: the column as it was"
    assert sum(sized) == sum(other) and sized[7] == other[7] - 8 and sized[6] == other[6]
    # The other lists of the village are sized alike.
    below = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_below_line")]
    assert widths(below)[1] == 18


def test_a_village_typed_with_long_groups_prints_on_the_pages_of_short_ones(tmp_path):
    """140 candidates (the outside try's 东风村): typed 合隆镇前岗村第十二村民小组 the group is one line
    (第十二村民小组) and the list as many pages as with 一组 … 十二组."""
    numbers = "一二三四五六七八九十"
    names = [numbers[i] if i < 10 else "十" + numbers[i - 10] for i in range(12)]

    def rows(long):
        return [household(**{"户主姓名": f"户主{i:03d}", "户主身份证号": make_id("19600101", serial=i),
                             "工资性收入": 9700 + 2 * i, "主要困难": "因病、因学",
                             "村民小组": f"合隆镇前岗村第{names[i % 12]}村民小组" if long else f"{names[i % 12]}组"})
                for i in range(140)]

    short, _ = screen(tmp_path, rows(False), out="short")
    long, _ = screen(tmp_path, rows(True), out="long")
    ws = candidates_sheet(long)
    assert widths(ws)[1] >= line_width("第十二村民小组"), "第十二村民小组 on one line"
    heights = {ws.row_dimensions[r].height for r in range(header_row(ws) + 1, header_row(ws) + 141)}
    assert heights == {24}, "every row of the hand-writing height"
    assert len(printed_pages(ws)) == len(printed_pages(candidates_sheet(short)))


needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="LibreOffice and poppler-utils are not installed")


def pages(tmp_path, book) -> int:
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "pdf" / book.parent.parent.name), str(book)],
                   check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "pdf" / book.parent.parent.name / f"{book.stem}.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


@needs_office
def test_printed_by_libreoffice_long_groups_take_no_more_pages(tmp_path):
    rows = [household(**{"户主姓名": f"户主{i:03d}", "户主身份证号": make_id("19600101", serial=i),
                         "工资性收入": 9700 + 2 * i, "村民小组": "合隆镇前岗村第十二村民小组"}) for i in range(60)]
    long, _ = screen(tmp_path, rows, out="long")
    for row in rows:
        row["村民小组"] = "十二组"
    short, _ = screen(tmp_path, rows, out="short")
    book = "合隆镇-前岗村.xlsx"
    assert pages(tmp_path, long / "villages" / book) == pages(tmp_path, short / "villages" / book)
