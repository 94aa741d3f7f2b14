"""A measure form filled as village cadres fill it (an outside tester's forms). Before:
- 帮扶责任人 written 同上 or 〃 on a household's next row was recorded as the person's name (the 花名册
  showed 〃 as the responsible person);
- 结束日期 written 长期 or "/" (a measure still going on) was refused as "not a date", never saying to
  leave it empty while the measure runs: a cadre then invented an end date;
- 金额 written "/" or 无 was recorded as 0 yuan, a sum paid;
- a row under the table for a household not on the form was told to copy a row that does not exist."""
from __future__ import annotations

import unicodedata

import pytest

from test_measures_returned import QIAN, flat, printed, query, registered_county
from years_builders import MeasureForm, run

MEASURE = {"帮扶类型": "技术指导", "帮扶内容": "种植技术培训", "开始日期": "2020-01-06"}


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "measures_returned_more")


@pytest.mark.parametrize("ditto", ["同上", "〃", "同前", "″", '"', " 同 上 "])
def test_a_ditto_for_the_responsible_person_is_refused_at_its_cell(registered, tmp_path, ditto):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", **MEASURE, 帮扶责任人="王干部")
    at = form.add("户B", **MEASURE, 帮扶责任人=ditto)
    col = "ABCDEFGHIJKLMNOP"[form.cols["帮扶责任人"] - 1]
    output = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    shown = unicodedata.normalize("NFKC", ditto).strip()  # as cells are read: ″ is ′′
    assert f"「帮扶措施」{col}{at}:序号 2(户B):「帮扶责任人」填的是「{shown}」:请写出责任人的姓名" in output, \
        output
    assert "复制上一行的" in output
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]


@pytest.mark.parametrize("word", ["长期", "至今", "无", "/", "-"])
def test_an_end_date_written_as_ongoing_is_no_end_date(registered, tmp_path, word):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", **MEASURE, 结束日期=word, 帮扶责任人="王干部")
    run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"))
    assert query(db, "SELECT content, end FROM measures") == [("种植技术培训", None)]


def test_an_end_date_that_is_no_date_says_to_leave_it_empty_while_the_measure_runs(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    at = form.add("户A", **MEASURE, 结束日期="明年年底", 帮扶责任人="王干部")
    col = "ABCDEFGHIJKLMNOP"[form.cols["结束日期"] - 1]
    output = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    assert f"{col}{at}:序号 1(户A):「结束日期」填的是「明年年底」,不是日期" in output, output
    assert "措施还没有结束的,「结束日期」空着不填" in output, output
    english = flat(run("register", "record", db, tmp_path / "前岗村.xlsx", "--lang", "en", code=2))
    assert "A measure not yet ended leaves the end date empty" in english, english


@pytest.mark.parametrize("word", ["/", "无"])
def test_an_amount_written_as_none_is_no_amount(registered, tmp_path, word):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", **MEASURE, 金额=word, 帮扶责任人="王干部")
    run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"))
    assert query(db, "SELECT content, amount_fen FROM measures") == [("种植技术培训", None)]


def test_a_row_of_a_household_not_on_the_form_says_it_must_enter_the_register_first(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    last = max(r for r in range(form.header + 1, form.ws.max_row + 1) if form.ws.cell(r, form.cols["序号"]).value)
    form.ws.insert_rows(last + 1)
    form.write(last + 1, 户主姓名="李老三", 身份证号="220122196803151234", **MEASURE, 帮扶责任人="王干部")
    output = flat(run("register", "record", db, form.save(tmp_path / "前岗村.xlsx"), code=2))
    assert "这一行填了措施但没有序号" in output, output
    assert "表上没有的户(不在本村的贫困边缘户名单上)不能在这里填措施:须先经识别程序纳入登记簿" in output, output


def test_the_fill_in_cells_wrap_and_every_row_holds_two_lines_of_what_cadres_write(registered, tmp_path):
    """Before: 帮扶类型, the dates and 帮扶责任人 did not wrap and rows were 24 points: 2020年1月15日 printed
    as 2020年1月1, and an office, name and phone ran off the page."""
    import openpyxl

    from edgescreen.outputs.xlsx import printed_height, printed_lines

    _, forms = printed(registered, tmp_path)
    ws = openpyxl.load_workbook(forms / QIAN).worksheets[0]
    form = MeasureForm(forms / QIAN)
    written = {"帮扶类型": "产业扶持(合作社+贫困边缘户)", "开始日期": "2020年1月15日", "结束日期": "2020年12月31日",
               "帮扶责任人": "华家镇民政办 张立新 13904318765"}
    rows = range(form.header + 1, max(form.rows_of("户A")) + 1)
    for header, text in written.items():
        col = form.cols[header]
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width
        assert printed_lines([text], width, 10)[0] <= 2, (header, width)
        assert all(ws.cell(r, col).alignment.wrap_text for r in rows), header
    two_lines = float(printed_height(2, 10))
    assert all(ws.row_dimensions[r].height >= two_lines for r in rows), [ws.row_dimensions[r].height for r in rows]
