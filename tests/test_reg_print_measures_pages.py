"""The 帮扶措施登记表 printed its signature lines (村"两委"(盖章), 驻村工作队, 帮扶责任人, 填表日期) on a
page of their own under the repeated header: its pages now break as a village's review list does,
the signatures on the page of the last households."""
from __future__ import annotations

import openpyxl
import pytest

from print_size import printed_pages
from survey_builders import make_id
from years_builders import register_everyone, run


@pytest.mark.parametrize("count", [7, 8, 9, 10])
def test_the_measure_forms_signatures_print_with_the_last_households(tmp_path, count):
    people = [{"乡(镇)": "伏龙泉镇", "行政村": "第03村", "村民小组": "第十二村民小组", "户主姓名": f"户{i}",
               "户主身份证号": make_id(birth=f"1970{i % 12 + 1:02d}01", serial=500 + i), "户编号": f"HB{i}",
               "主要困难": "因病(尿毒症每周透析3次,2019年自付医疗费28000元)"} for i in range(count)]
    db = register_everyone(tmp_path, people)
    run("register", "measures", db, "--date", "2020-01-10", "-o", tmp_path / "forms")
    form = next((tmp_path / "forms").rglob("*第03村*.xlsx"))
    ws = openpyxl.load_workbook(form).worksheets[0]
    header = int(ws.print_title_rows.split(":")[0].strip("$"))
    households = {r for r in range(header + 1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, (int, float))}
    signed = [r for r in range(header + 1, ws.max_row + 1) if "签字" in str(ws.cell(r, 1).value or "")
              or "填表日期" in str(ws.cell(r, 1).value or "")]
    assert len(signed) == 2, signed
    pages = printed_pages(ws)  # fails where a page overflows and the renderer breaks on its own
    last = next(p for p in pages if signed[0] in p)
    assert signed[1] in last and households & set(last), (pages, signed)
    # Every page names the village (a page signed on its own says whose it is).
    assert "第03村" in ws.oddHeader.center.text, ws.oddHeader.center.text
