"""summary.xlsx as an outside try (榆树市, 2019) printed it: a survey whose every form's title named 榆树市
was titled 「______县(市、区)…」 and run.json said "county": null, its 街道's 社区 being read as counties
(华昌街道华昌社区 ends in 区); and a township's subtotal (秀水镇 小计) printed alone at the top of a page,
away from its villages, with the total and the signatures."""

from __future__ import annotations

import itertools
import json

import numpy as np
import openpyxl
import pytest
from typer.testing import CliRunner

from print_size import printed_pages
from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.catalogue import messages
from edgescreen.cli import app
from edgescreen.outputs.xlsx import HEIGHT_SLACK, page_body, page_breaks

runner = CliRunner()
COUNTY = "榆树市"
_serial = itertools.count(100)


def label(key, lang="zh"):
    return messages().labels[key](lang)


def _village_forms(path, forms: dict[str, tuple[str, str, str, str]]):
    """A township's workbook as the try's: one sheet per village (sheet: title, 填报单位 line, township,
    village), the title and the unit line above a header without a 县(市、区) column, two households."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet, (title, unit, township, village) in forms.items():
        ws = wb.create_sheet(sheet)
        ws.append([title])
        ws.append([unit])
        ws.append(HEADERS)
        for k in range(2):
            row = household(**{"乡(镇)": township, "行政村": village, "户主姓名": f"{village}户{k}",
                               "户主身份证号": make_id(serial=next(_serial))})
            ws.append([row[h] for h in HEADERS])
    wb.save(path)
    return path


def _form(county: str, township: str, village: str, committee: str = "村民委员会"):
    return (f"{county}{township}{village}2019年度贫困边缘户入户登记表",
            f"填报单位:{township}{village}{committee}(盖章)          填报日期:2019年11月25日", township, village)


def _screen(tmp_path, survey, *more):
    out = tmp_path / "out"
    done = runner.invoke(app, ["screen", str(survey), "-o", str(out), "--year", "2019", *more], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    titles = [ws["A1"].value for ws in openpyxl.load_workbook(out / "summary.xlsx").worksheets
              if ws.title != label("sheet_run")]
    return titles, json.loads((out / "run.json").read_text(encoding="utf-8"))["county"]


def test_titles_naming_one_county_name_it_on_the_summary_run_json_and_the_register(tmp_path):
    """The try's forms: a 镇's villages and a 街道's 社区 and 村, every title naming 榆树市."""
    survey = _village_forms(tmp_path / "华昌街道.xlsx", {
        "保寿村": _form(COUNTY, "保寿镇", "保寿村"),
        "华昌社区": _form(COUNTY, "华昌街道", "华昌社区", "居民委员会"),
        "正东社区": _form(COUNTY, "华昌街道", "正东社区"),
        "城郊村": _form(COUNTY, "华昌街道", "城郊村"),
    })
    db = tmp_path / "登记簿.db"  # named after no county: the register takes it from the survey alone
    titles, county = _screen(tmp_path, survey, "--register", str(db), "--date", "2019-11-20")
    assert county == COUNTY
    assert len(titles) == 2 and all(t.startswith(COUNTY) and "____" not in t for t in titles), titles
    status = runner.invoke(app, ["register", "status", str(db)], env={"COLUMNS": "400"})
    assert status.exit_code == 0, status.output
    assert f"{COUNTY}贫困边缘户认定进度" in status.output, status.output


@pytest.mark.parametrize("forms", [
    # two counties: which one the summary is of is the clerk's to write
    {"保寿村": _form(COUNTY, "保寿镇", "保寿村"), "前岗村": _form("农安县", "合隆镇", "前岗村")},
    # none: a 社区's title and unit line name a 街道 and a 社区, no county
    {"华昌社区": _form("", "华昌街道", "华昌社区", "居民委员会"), "城郊村": _form("", "华昌街道", "城郊村")},
], ids=["two counties", "none"])
def test_titles_naming_two_counties_or_none_leave_the_blank(tmp_path, forms):
    titles, county = _screen(tmp_path, _village_forms(tmp_path / "a.xlsx", forms))
    assert county is None
    blank = label("summary_county_blank")
    assert titles and all(t.startswith(blank) for t in titles), titles


def _row_heights(ws, first: int, stop: int) -> np.ndarray:
    """Rows first to stop - 1 (1-based) as the file sets their heights."""
    return np.array([ws.row_dimensions[r].height or 15 for r in range(first, stop)], dtype=float)


def test_a_townships_subtotal_prints_on_the_page_of_its_last_villages(tmp_path):
    """第1镇's 17 villages end where the first page does, 第2镇's 20 where the last page's room for the
    signatures does: every row free to begin a page, both subtotals began one (the second with the total
    and the signatures under it, as 秀水镇 小计 did)."""
    rows = [household(**{"乡(镇)": f"第{t}镇", "行政村": f"第{v}村", "户主姓名": f"户主{t}{v}",
                         "户主身份证号": make_id(serial=next(_serial))})
            for t, villages in ((1, 17), (2, 20)) for v in range(1, villages + 1)]
    out = tmp_path / "out"
    done = runner.invoke(app, ["screen", str(write_workbook(tmp_path / "a.xlsx", rows)), "-o", str(out),
                               "--year", "2019"], env={"COLUMNS": "400"})
    assert done.exit_code == 0, done.output
    ws = openpyxl.load_workbook(out / "summary.xlsx")[label("sheet_summary")]
    names = {r: ws.cell(r, 1).value for r in range(1, ws.max_row + 1)}
    header = int(ws.print_title_rows.split(":")[0].strip("$"))
    subtotals = [r for r, v in names.items() if isinstance(v, str) and v.endswith(" 小计")]
    total = next(r for r, v in names.items() if v == label("total"))
    signed = next(r for r, v in names.items() if isinstance(v, str) and v.startswith(label("sum_sign_maker")))
    assert len(subtotals) == 2 and total == subtotals[-1] + 1

    # The case it is about: the shared print model with every row free to begin a page begins pages
    # at both subtotals here (were it not so, the sizes above would test nothing).
    body = page_body(landscape=True)[1] * 100 / (ws.page_setup.scale or 100) - HEIGHT_SLACK
    plain = page_breaks(_row_heights(ws, 1, header + 1).sum(),  # the first page's top: the header too
                        _row_heights(ws, header, header + 1).sum(),
                        _row_heights(ws, header + 1, total + 1), _row_heights(ws, total + 1, signed + 1).sum(), body)
    assert {header + 1 + b for b in plain} >= set(subtotals), (plain, subtotals)

    pages = printed_pages(ws)  # also fails where a page would overflow
    assert len(pages) >= 3
    for page in pages:
        for r in subtotals:
            if r in page:  # printed under a village of its own township
                assert r != page[0] and names[r - 1] == names[r].removesuffix(" 小计"), (r, page)
    last = pages[-1]
    assert signed in last and total in last
    assert [r for r in last if r < total and names[r] and not names[r].endswith(" 小计")], \
        "the total and the signatures print with villages, not alone"
