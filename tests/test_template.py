"""`edgescreen template`: the blank form carries its validations and hints, and comes back clean —
filled in by code, screened, no column problems, every field found."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import make_id
from edgescreen.cli import app
from edgescreen.pipeline import screen
from edgescreen.catalogue import fields
from edgescreen.rules import load_rules
from edgescreen.outputs.template import _guide_lines, form_columns, hint, read_villages
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "240"})


@pytest.fixture
def template(tmp_path) -> Path:
    path = tmp_path / "入户登记表.xlsx"
    result = run("template", "-o", path)
    assert result.exit_code == 0, result.output
    return path


def validations(ws) -> dict[str, object]:
    """Data validation per column letter of the first data row."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            found[rng.split(":")[0].rstrip("0123456789")] = (dv, rng)
    return found


def column_of(ws, field: str) -> str:
    col = next(c for c in form_columns(load_rules().rules) if c.field == field)
    return openpyxl.utils.get_column_letter(col.index + 1)


def test_layout_headers_and_print_setup(template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["入户登记表", "填表说明"]
    ws = wb["入户登记表"]
    # The title and the 填报单位 line stand over each page's columns, not over 序号 (repeated at the left).
    assert ws["B1"].value == "贫困边缘户入户登记表" and "填报单位" in ws["B2"].value and ws["A1"].value is None
    merged = {str(r) for r in ws.merged_cells.ranges}
    # Two-row grouped header: income and expense groups over their components, the rest over both rows.
    assert {"L3:O3", "P3:R3", "A3:A4", "H3:H4", "B1:K1", "L1:W1", "B2:K2", "L2:W2"} <= merged
    assert ws["L3"].value == "家庭总收入(元)" and ws["P3"].value == "家庭生产经营性支出(元)"
    assert [ws.cell(4, c).value for c in range(12, 19)] == [
        "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用"]
    assert ws["H3"].value == "户主身份证号" and ws["K3"].value == "家庭常住人口数(人)"
    # Every field's header carries its hint as a comment.
    for col in form_columns(load_rules().rules):
        if col.field:
            row = 4 if col.group else 3
            comment = ws.cell(row, col.index + 1).comment
            assert comment is not None and comment.text == hint(col.field), col.field
    # Printing: landscape A4 at full size (not fitted, so that Excel keeps the page breaks), the
    # columns over two pages across, split where the income group begins, 序号 and the header rows
    # repeated, across then down, frozen below the header.
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.scale or 100) == 100
    assert [b.id for b in ws.col_breaks.brk] == [11], "a page break before L, 工资性收入"
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_rows == "$3:$4" and ws.print_title_cols == "$A:$A" and ws.freeze_panes == "H5"
    assert "&P" in ws.oddFooter.center.text and "填表人" in ws.oddFooter.left.text
    # 序号 numbered, to match a household's pages; a numbered line alone is no household (the
    # round trip below reads three households from 200 numbered lines).
    assert [ws["A5"].value, ws["A204"].value, ws["A205"].value] == [1, 200, None]


def test_rows_are_tall_enough_to_write_in_by_hand(template):
    """About 1 cm on paper: every household row, printed at the sheet's scale."""
    ws = openpyxl.load_workbook(template)["入户登记表"]
    scale = int(ws.page_setup.scale or 100) / 100
    heights = {ws.row_dimensions[r].height for r in range(5, 205)}
    assert len(heights) == 1
    (height,) = heights
    assert height * scale / 72 * 25.4 >= 9.5, f"{height} pt at {scale:.0%}"


def test_every_page_across_fits_the_paper_and_no_group_is_split():
    from edgescreen.outputs.template import FORM_MARGINS, column_width, page_columns
    from edgescreen.outputs.xlsx import WIDTH_SLACK, column_points, page_body

    for rules in ("changchun-2019", "monitoring"):
        columns = form_columns(load_rules(rules).rules)
        starts, scale = page_columns(columns)
        room = page_body(landscape=True, margins=FORM_MARGINS)[0] * 100 / scale
        seq = column_points(column_width(columns[0]))
        for first, stop in zip([1, *starts], [*starts, len(columns)]):
            width = seq + sum(column_points(column_width(c)) for c in columns[first:stop])
            assert width * WIDTH_SLACK <= room, (rules, first, stop)
            assert columns[first].group is None or columns[first - 1].group != columns[first].group, "a group split"


def test_the_difficulty_column_offers_the_categories_and_takes_typed_text(template):
    from edgescreen.catalogue import label
    from edgescreen.outputs.publicity import DIFFICULTY_ORDER, RISK_CATEGORIES

    ws = openpyxl.load_workbook(template)["入户登记表"]
    dv, _ = validations(ws)[column_of(ws, "risk")]
    choices = [label(key, "zh") for key in DIFFICULTY_ORDER]
    assert dv.type == "list" and dv.formula1 == '"' + ",".join(choices) + '"'
    assert choices[:2] == ["因病", "因残"] and choices[-1] == "其他"
    # Every category the notice can show is offered, and nothing else.
    assert set(DIFFICULTY_ORDER) == {key for key, _ in RISK_CATEGORIES} | {"risk_other"}
    # "information": a household's own words are kept after a note, never refused.
    assert dv.errorStyle == "information" and dv.showErrorMessage and dv.showDropDown in (None, False)


def test_the_guide_fits_a4_portrait_and_every_row_holds_its_lines(template):
    from edgescreen.outputs.template import GUIDE_WIDTHS
    from edgescreen.outputs.xlsx import column_points, page_body, text_height

    guide = openpyxl.load_workbook(template)["填表说明"]
    assert guide.page_setup.orientation == "portrait" and int(guide.page_setup.paperSize) == 9
    assert sum(column_points(w) for w in GUIDE_WIDTHS) <= page_body(landscape=False)[0], "fits at 100 %"
    for row in guide.iter_rows(min_row=2):
        for cell, width in zip(row, GUIDE_WIDTHS):
            if cell.value:
                assert cell.alignment.wrap_text, cell.coordinate
                assert guide.row_dimensions[cell.row].height >= text_height(cell.value, width) - 0.75, cell.coordinate  # whole pixels


def test_data_validations_are_present_when_read_back(template):
    ws = openpyxl.load_workbook(template)["入户登记表"]
    found = validations(ws)
    rules = load_rules().rules
    for col in form_columns(rules):
        if col.field is None:
            continue
        letter = openpyxl.utils.get_column_letter(col.index + 1)
        dv, rng = found[letter]
        assert rng == f"{letter}5:{letter}204", (col.field, rng)
        assert dv.promptTitle and dv.prompt == hint(col.field) and dv.showInputMessage, col.field
    for field in ("is_dibao", "is_tekun", "is_registered_poor"):
        dv, _ = found[column_of(ws, field)]
        assert dv.type == "list" and dv.formula1 == '"是,否"' and dv.showErrorMessage
    for field in ("members", "residents"):
        dv, _ = found[column_of(ws, field)]
        assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "99")
    for field in (*rules.income.components, *rules.expenses.components):
        dv, _ = found[column_of(ws, field)]
        assert dv.type == "decimal" and dv.formula1 == "0"
    dv, _ = found[column_of(ws, "head_id")]
    assert (dv.type, dv.operator, dv.formula1) == ("textLength", "equal", "18")
    # The ID and phone columns are text, so Excel cannot turn an ID into a number.
    for field in ("head_id", "phone", "household_id"):
        letter = column_of(ws, field)
        assert ws[f"{letter}5"].number_format == "@" and ws[f"{letter}204"].number_format == "@"


def test_the_guide_sheet_explains_the_items_and_the_rule(template):
    guide = openpyxl.load_workbook(template)["填表说明"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for needle in ("填表说明", "常住人口", "6 个月", "人均纯收入高于 3218 元、低于 4000 元", "低保户、特困人员",
                   "文本格式", "edgescreen check"):
        assert needle in text, needle
    on_the_form = {c.field for c in form_columns(load_rules().rules) if c.field}
    for field in fields().field:
        if field.name not in on_the_form:  # 填表人 is the form's footer line, not a column
            continue
        field_hint = hint(field.name)
        if not field_hint.startswith(("家庭总收入(元)=", "家庭生产经营性支出(元)=")):
            assert field_hint in text


FILLED = [
    # field → value as a clerk types it into the template (numbers as numbers, IDs as text)
    dict(county="农安县", township="合隆镇", village="前岗村", group="一组", household_id="2201220101001",
         head_name="陷阱户", head_id=make_id(serial=201), phone="13812345678", members=3, residents=3,
         wage_income=11999.99, business_income=0, property_income=0, transfer_income=0, business_costs=0,
         depreciation=0, taxes_fees=0, is_dibao="否", is_tekun="否", is_registered_poor="否", risk="因病", notes=""),
    dict(county="农安县", township="合隆镇", village="前岗村", group="二组", household_id="2201220101002",
         head_name="经营户", head_id=make_id(serial=202), phone="043184561234", members=4, residents=4,
         wage_income=6000, business_income=20000, property_income=500, transfer_income=1200, business_costs=8000,
         depreciation=1500, taxes_fees=0, is_dibao="否", is_tekun="否", is_registered_poor="否", risk="缺技术",
         notes="种植玉米"),
    dict(county="农安县", township="合隆镇", village="后岗村", group="一组", household_id="2201220102001",
         head_name="低保户", head_id=make_id(serial=203), phone="13912345678", members=1, residents=1,
         wage_income=2000, business_income=0, property_income=0, transfer_income=2400, business_costs=0,
         depreciation=0, taxes_fees=0, is_dibao="是", is_tekun="否", is_registered_poor="否", risk="因残", notes=""),
]


def fill(template: Path, target: Path, households=FILLED) -> Path:
    wb = openpyxl.load_workbook(template)
    ws = wb["入户登记表"]
    index = {c.field: c.index + 1 for c in form_columns(load_rules().rules) if c.field}
    for i, record in enumerate(households):
        for field, value in record.items():
            if value != "":
                ws.cell(5 + i, index[field], value)
    wb.save(target)
    return target


def test_round_trip_filled_by_code_screened_clean(template, tmp_path):
    filled = fill(template, tmp_path / "合隆镇.xlsx")
    out = tmp_path / "out"
    result = run("screen", filled, "-o", out, "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["head_name"].tolist() == ["陷阱户", "经营户", "低保户"]
    assert ledger["row"].tolist() == ["5", "6", "7"]
    assert ledger["status"].tolist() == ["candidate", "above_limit", "excluded_dibao"]
    assert ledger["per_capita_income"].tolist() == ["3999.99", "4550.00", "4400.00"]  # a candidate: never on 4000
    assert ledger["head_id"].tolist() == [h["head_id"] for h in FILLED]
    issues = read_issues(out / "issues.csv")
    assert issues.empty, issues[["cell", "code", "message"]].to_string()

    # Through the library: the header is found where the template put it, every field of the form is
    # matched, nothing is unknown, and the 填表说明 sheet is skipped, not read as households.
    res = screen([filled], as_of=dt.date(2020, 6, 30))
    record = res.inputs[0]
    (sheet,) = record.sheets
    assert sheet.name == "入户登记表" and sheet.header_rows == (3, 4) and sheet.unknown_columns == []
    assert set(sheet.columns) == {c.field for c in form_columns(load_rules().rules) if c.field}
    assert ("填表说明", "no household header") in record.skipped_sheets
    assert res.error_count == 0 and len(res.households) == 3
    # And the township's own check finds nothing to fix.
    assert run("check", filled, "-o", tmp_path / "report").exit_code == 0


def test_lines_of_the_form_prepared_ahead_and_never_used_are_no_households(template, tmp_path):
    """A township drags 否 down the yes/no columns, 0 down the amounts and the village down its column
    before the survey: the lines left over are no households, and the report says which they are.
    A line with an amount but no name nor ID is a household to fix, not an unused line."""
    defaults = dict(township="合隆镇", village="前岗村", wage_income=0, business_income="0.00",
                    property_income=0, transfer_income=0, business_costs=0, depreciation=0, taxes_fees=0,
                    is_dibao="否", is_tekun="否", is_registered_poor="否")
    unnamed = {**defaults, "wage_income": 1200, "members": 1, "residents": 1}
    filled = fill(template, tmp_path / "合隆镇.xlsx", [*FILLED, *[defaults] * 6, unnamed, *[defaults] * 3])
    out = tmp_path / "out"
    result = run("screen", filled, "-o", out, "--as-of", "2020-06-30")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["row"].tolist() == ["5", "6", "7", "14"]
    assert ledger["status"].tolist()[-1] == "invalid"
    facts = [" ".join(str(c) for c in row if c)
             for row in openpyxl.load_workbook(out / "quality.xlsx")["文件情况"].iter_rows(values_only=True)]
    assert any("第 8-13, 15-17 行没有户主、身份证号" in f and "未使用的空白表行" in f for f in facts), facts


def test_village_lists_become_dropdowns(tmp_path):
    villages = tmp_path / "村名单.csv"
    villages.write_bytes("乡镇,村\r\n合隆镇,前岗村\r\n合隆镇,后岗村\r\n烧锅镇,东村\r\n合隆镇,前岗村\r\n".encode("gb18030"))
    path = tmp_path / "form.xlsx"
    result = run("template", "-o", path, "--villages", villages)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(path)
    assert wb["村名单"].sheet_state == "hidden"
    names = wb["村名单"]
    assert [names.cell(r, 4).value for r in range(2, 5)] == ["合隆镇", "烧锅镇", None]
    assert [names.cell(r, 5).value for r in range(2, 5)] == ["前岗村", "后岗村", "东村"]
    ws = wb["入户登记表"]
    found = validations(ws)
    township, _ = found[column_of(ws, "township")]
    village, _ = found[column_of(ws, "village")]
    assert (township.type, township.formula1) == ("list", "'村名单'!$D$2:$D$3")
    assert (village.type, village.formula1) == ("list", "'村名单'!$E$2:$E$4")
    guide = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "村名单" in guide
    # Still comes back clean: the hidden list is skipped like the guide.
    filled = fill(path, tmp_path / "filled.xlsx")
    res = screen([filled], as_of=dt.date(2020, 6, 30))
    assert res.error_count == 0 and len(res.households) == 3
    assert {s for s, _ in res.inputs[0].skipped_sheets} == {"填表说明", "村名单"}
    # The list is said as the form's own, not as a hidden old copy to read with --include-hidden.
    assert ("村名单", "template list") in res.inputs[0].skipped_sheets
    run("check", filled, "-o", tmp_path / "report")
    facts = openpyxl.load_workbook(tmp_path / "report" / "quality.xlsx")["文件情况"]
    said = " ".join(str(c.value) for r in facts.iter_rows() for c in r if c.value)
    assert "入户登记表模板自带的下拉选项" in said and "include-hidden" not in said, said


def test_villages_from_a_workbook_without_a_header(tmp_path):
    import xlsxwriter

    path = tmp_path / "v.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for r, (t, v) in enumerate([("合隆镇", "前岗村"), ("合隆镇", ""), ("华家镇", "华家村")]):
        sheet.write_string(r, 0, t)
        if v:
            sheet.write_string(r, 1, v)
    book.close()
    assert read_villages(path) == [("合隆镇", "前岗村"), ("华家镇", "华家村")]


def test_the_total_and_signature_lines_under_a_villages_list_are_no_villages(tmp_path):
    """A list of villages as a county keeps it: a township's 小计, a 合计 with the count, a 共 3 个村 line
    and the 填表人 under it. None becomes a village in the form's dropdowns."""
    import xlsxwriter

    path = tmp_path / "村名单.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    lines = [("乡(镇)", "行政村"), ("合隆镇", "前岗村"), ("合隆镇", "后岗村"), ("合隆镇小计", "2"),
             ("华家镇", "华家村"), ("合计", "3"), ("共3个村", ""), ("填表人:李四", "审核人:王五")]
    for r, line in enumerate(lines):
        for c, text in enumerate(line):
            sheet.write_string(r, c, text)
    book.close()
    assert read_villages(path) == [("合隆镇", "前岗村"), ("合隆镇", "后岗村"), ("华家镇", "华家村")]


@pytest.mark.parametrize("header", ["乡镇名称,村委会名称", "town,vill"])
def test_a_villages_header_in_other_words_is_not_a_village(tmp_path, header):
    """A list headed 乡镇名称/村委会名称 (as the sample's 汇总 sheet), or in letters: the header row is
    not offered as a township and a village in the drop-downs."""
    path = tmp_path / "村名单.csv"
    path.write_text(f"{header}\n合隆镇,前岗村\n合隆镇,后岗村\n", encoding="utf-8")
    assert read_villages(path) == [("合隆镇", "前岗村"), ("合隆镇", "后岗村")]


def test_columns_follow_the_rule_set_and_the_guide_its_figures(tmp_path):
    county = tmp_path / "county.toml"
    assert run("rules", "new", county).exit_code == 0
    county.write_text(county.read_text(encoding="utf-8").replace(
        '"wage_income", "business_income", "property_income", "transfer_income"]',
        '"wage_income", "business_income", "transfer_income"]'), encoding="utf-8")
    path = tmp_path / "form.xlsx"
    assert run("template", "-o", path, "--rules", county).exit_code == 0
    ws = openpyxl.load_workbook(path)["入户登记表"]
    headers = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    assert "财产性收入" not in headers and "转移性收入" in headers

    path = tmp_path / "monitoring.xlsx"
    assert run("template", "-o", path, "--rules", "monitoring", "--rows", "20").exit_code == 0
    wb = openpyxl.load_workbook(path)
    guide = "\n".join(str(c.value) for row in wb["填表说明"].iter_rows() for c in row if c.value)
    assert "人均纯收入低于 7300 元" in guide and "暂不列入" not in guide
    dv, rng = validations(wb["入户登记表"])["H"]
    assert rng == "H5:H24"


def test_template_refuses_to_overwrite_and_names_bad_options(tmp_path, template):
    result = run("template", "-o", template)
    assert result.exit_code == 2 and "已经存在" in result.output
    assert run("template", "-o", template, "--force").exit_code == 0
    result = run("template", "-o", tmp_path / "form.xls")
    assert result.exit_code == 2 and ".xlsx" in result.output
    result = run("template", "-o", tmp_path / "x.xlsx", "--villages", tmp_path / "none.csv")
    assert result.exit_code == 2 and "找不到这个村名单文件" in result.output
    assert not (tmp_path / "x.xlsx").exists()
    assert not list(tmp_path.glob(".*.xlsx")), "no temporary file left behind"


needs_office = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
                                  reason="LibreOffice and poppler-utils are not installed")


def _pages(pdf: Path) -> list[tuple[tuple[int, int], str]]:
    """(size in points, text) of every page of a PDF."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout).group(1))
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", str(count), str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    sizes = [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return list(zip(sizes, text.split("\f")))


@needs_office
def test_printed_form_and_guide(tmp_path):
    """Rendered by LibreOffice: the form on landscape pages, two across, each with 序号 and its
    headers, the next rows' pages with the header again; the 填表说明 on portrait pages with every
    word of every line on the page (long lines wrap, nothing runs off the paper)."""
    path = tmp_path / "form.xlsx"
    assert run("template", "-o", path, "--rows", "20").exit_code == 0
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=240)
    pages = _pages(tmp_path / "form.pdf")
    form = [(size, text) for size, text in pages if size == (842, 595)]  # A4 landscape
    guide = [(size, text) for size, text in pages if size == (595, 842)]  # A4 portrait
    assert len(form) + len(guide) == len(pages)
    assert len(form) == 4, "20 rows: two pages down, two across"
    assert all("序号" in text for _, text in form), "序号 repeated on every page"
    assert "填表说明" in guide[0][1]
    left, right = form[0][1], form[1][1]
    for header in ("户编号", "户主姓名", "户主身份证号", "联系电话"):
        assert header in left and header not in right
    for header in ("家庭总收入(元)", "工资性收入", "转移性收入", "主要困难", "备注"):  # headers on one line
        assert header in right and header not in left
    assert "户主身份证号" in form[2][1] and "工资性收入" in form[3][1], "the header on the next rows' pages"
    # Column B alone (cropped where column A ends), so that wrapped items do not interleave.
    from edgescreen.outputs.template import GUIDE_WIDTHS
    from edgescreen.outputs.xlsx import MARGINS, column_points

    first_guide = len(pages) - len(guide) + 1
    column_b = subprocess.run(["pdftotext", "-f", str(first_guide), "-r", "72", "-x",
                               str(int(72 * MARGINS["left"] + column_points(GUIDE_WIDTHS[0]))), "-y", "0",
                               "-W", "595", "-H", "842", str(tmp_path / "form.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    printed = re.sub(r"\s", "", column_b)
    (_, title), *lines = _guide_lines(load_rules(), form_columns(load_rules().rules), False, "zh")
    assert title in guide[0][1]
    for _, text in lines:
        assert re.sub(r"\s", "", text) in printed, f"cut off: {text}"
