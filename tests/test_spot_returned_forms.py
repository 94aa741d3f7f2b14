"""抽查核实, forms as an outside tester returned them: a finding on a row inserted between the boxes
or under the last page, two inspectors sharing one village's form, edgescreen's own files beside the
forms, every problem said in one run, and 是/否 cells in the register's own words."""

from __future__ import annotations

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, draw, fill, fill_all, pages_of, run, screened_and_drawn, small_county


@pytest.fixture
def county(tmp_path):
    """small_county screened into 筛查 and drawn into 抽查 (seed 11, every candidate, the others at 0.25):
    once per worker, a copy each."""
    return screened_and_drawn(tmp_path, "0.25")


def words(result) -> str:
    return " ".join(result.output.split())


def test_a_finding_on_a_row_inserted_in_the_form_or_under_it_is_named_with_its_cells(county):
    """From an outside try: a row 补充 | … inserted under 情况说明, a row 其他收入(元) | 5000 | (卖粮款)
    between the income rows and a note under the last page were never read nor said. Each is said with
    its cells and whole words, on the terminal and in report.html."""
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front = forms["合隆镇-前岗村-入户核查表.xlsx"]
    book = openpyxl.load_workbook(front)
    ws = book.worksheets[0]
    notes = pages_of(ws)[2][LABELS["verify_notes"]][0]
    ws.insert_rows(notes + 1)  # the merged cells stay where they were: only cells are read
    ws.cell(notes + 1, 1).value = "补充"
    ws.cell(notes + 1, 2).value = "该户长子在长春打工,年收入约2万元,未计入"
    prop = pages_of(ws)[3][LABELS["property_income"]][0]
    ws.insert_rows(prop + 1)
    ws.cell(prop + 1, 1).value = "其他收入(元)"
    ws.cell(prop + 1, 2).value = 5000
    ws.cell(prop + 1, 3).value = "(卖粮款,登记时未报)"
    last = ws.max_row + 2
    ws.cell(last, 1).value = "备注:第9户户主已去世,现由儿子当家"
    book.save(front)
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r"))
    assert (f"合隆镇-前岗村-入户核查表.xlsx「入户核查表」A{notes + 1}、B{notes + 1} 写在核查表的格子之外,没有读取"
            "(如「补充 该户长子在长春打工,年收入约2万元,未计入」):在核查序号 2 那一页或其下") in said, said
    assert (f"C{prop + 1} 写在核查表的格子之外,没有读取(如「其他收入(元) 5000 (卖粮款,登记时未报)」):"
            "在核查序号 3 那一页或其下") in said, said
    assert f"A{last} 写在核查表的格子之外,没有读取(如「备注:第9户户主已去世,现由儿子当家」)" in said, said
    html = (county / "r" / "report.html").read_text(encoding="utf-8")
    assert all(w in html for w in ("长子在长春打工", "卖粮款", "第9户户主已去世")), html
    # The forms as filled, nothing written elsewhere: no printed line or signature box is taken for writing.
    assert "格子之外" not in words(run("backcheck", county / "筛查", forms["合隆镇-东兴村-入户核查表.xlsx"], "-o", county / "r2"))


def _clear_pages(path, seqs, save_as=None):
    """A filled form with the pages `seqs` left as printed: the copy of an inspector who did not visit them."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    pages = pages_of(ws)
    for seq in seqs:
        for name in LABELS:
            ws.cell(*pages[seq][LABELS[name]]).value = None
    book.save(save_as or path)
    return save_as or path


def test_two_inspectors_sharing_a_village_form_are_compared_as_one(county):
    """From an outside try: two inspectors each filled their own pages on a copy of one printed form; both
    copies were refused as two versions, and giving only one (as told) lost the other's households without
    a word. Pages filled on one copy only are combined; a page filled differently on both is refused."""
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front = forms["合隆镇-前岗村-入户核查表.xlsx"]
    count = len(pages_of(openpyxl.load_workbook(front).worksheets[0]))
    _clear_pages(front, range(4, count + 1), save_as=county / "填好" / "合隆镇-前岗村-王.xlsx")
    _clear_pages(front, range(1, 4), save_as=county / "填好" / "合隆镇-前岗村-李.xlsx")
    front.unlink()
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r"))
    assert "已核查 10 户(共抽 10 户" in said, said
    assert (f"合隆镇-前岗村-王.xlsx 与 合隆镇-前岗村-李.xlsx 是同一份核查表的两份,各填了不同的页(分头入户):合并比对,"
            f"核查序号 1–3 取自 合隆镇-前岗村-王.xlsx,4–{count} 取自 合隆镇-前岗村-李.xlsx") in said, said
    # One page filled on both copies, differently: that page is named, and nothing is compared.
    book = openpyxl.load_workbook(county / "填好" / "合隆镇-前岗村-李.xlsx")
    ws = book.worksheets[0]
    ws.cell(*pages_of(ws)[2][LABELS["residents"]]).value = 4
    book.save(county / "填好" / "合隆镇-前岗村-李.xlsx")
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r2", code=2))
    assert "但核查序号 2 两份都填了,填得不同" in said, said
    # Only one copy given (as the old refusal told): the other's pages are listed as blank, not lost unseen.
    (county / "填好" / "合隆镇-前岗村-李.xlsx").unlink()
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r3"))
    assert (f"{count - 3} 户的页面整页空白(没有填写,也没有情况说明),按未核查计:合隆镇-前岗村-王.xlsx 核查序号 4–{count}"
            in said), said
    assert f"合隆镇-前岗村-王.xlsx 核查序号 4–{count}" in (county / "r3" / "report.html").read_text(encoding="utf-8")


def test_the_sample_folder_given_whole_passes_over_the_originals_and_the_design(county):
    """From an outside try: backcheck given the sample's folder (the printed forms in 入户核查表/, the filled
    ones in 已交回/) refused 抽样设计.xlsx as no form and every original as a second version of its filled copy.
    Both are passed over and said; a village's form still as printed, with no filled copy, is not back yet."""
    forms = fill_all(county / "抽查", county / "抽查" / "已交回")
    east = next(f for f in forms if "东兴村" in f.name)
    east.unlink()
    said = words(run("backcheck", county / "筛查", county / "抽查", "-o", county / "r"))
    assert "抽样设计.xlsx 是 edgescreen sample 自己写出的文件" in said and "已跳过" in said, said
    assert "中的 1 份核查表还是打印时的原表(一页也没有填写):合隆镇-前岗村-入户核查表.xlsx" in said, said
    assert ("合隆镇-东兴村-入户核查表.xlsx 还是打印时的样子,一页也没有填写:合隆镇东兴村的核查表按未交回计" in said), said
    assert "没有交回核查表" in said, said


def test_every_problem_of_the_forms_is_refused_in_one_run_with_its_true_count(county):
    """From an outside try: a blank cell and a bad date were refused first ("1 处问题"), an amount 约12000元
    only on the next run. Every problem is named at once, counted truly, in the order of the pages."""
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front = forms["合隆镇-前岗村-入户核查表.xlsx"]
    book = openpyxl.load_workbook(front)
    ws = book.worksheets[0]
    pages = pages_of(ws)
    ws.cell(*pages[1][LABELS["wage_income"]]).value = "约12000元"
    ws.cell(*pages[2][LABELS["verify_date"]]).value = "2026。12。5"
    ws.cell(*pages[3][LABELS["taxes_fees"]]).value = None
    book.save(front)
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2))
    assert "核查表没有比对:1 个文件中有 3 处问题" in said, said
    wage, date, taxes = (said.index(w) for w in ("填的是「约12000元」(不是数字)", "核查日期「2026。12。5」不是日期",
                                                  "「税金和上交承包费用(元)」没有填写"))
    assert wage < date < taxes, said


def test_yes_no_cells_take_the_registers_words_and_a_closing_stop(county):
    """From an outside try: 否。 (read by `register record`, which folds a closing 。), 没有 and 非 were refused
    in 是/否 cells while 无, ×, N and 不是 were taken as 否. All are 否; a word that is neither is still refused."""
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front = forms["合隆镇-前岗村-入户核查表.xlsx"]
    book = openpyxl.load_workbook(front)
    ws = book.worksheets[0]
    pages = pages_of(ws)
    for seq, name, word in ((1, "is_dibao", "否。"), (2, "is_tekun", "没有"), (3, "is_registered_poor", "非"),
                            (4, "is_dibao", "不是。")):
        ws.cell(*pages[seq][LABELS[name]]).value = word
    book.save(front)
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r"))
    assert "已核查 10 户" in said and "字段差错率:0.0%" in said, said
    ws.cell(*pages[5][LABELS["is_tekun"]]).value = "不清楚"
    book.save(front)
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r2", code=2))
    assert "填的是「不清楚」(是/否无法识别)" in said, said


def test_the_printed_design_names_the_county_the_income_year_and_the_day_drawn(tmp_path):
    """From an outside try: 抽样设计.xlsx named no county, no day drawn, no income year, and its 各村 and 各层
    printed without a page header. Its title says all three, and every sheet's printed pages carry it."""
    import json

    run("screen", small_county(tmp_path / "农安县.xlsx", county="农安县"), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11")
    facts = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    day = facts["created"][:10]
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    title = book["说明"]["A1"].value
    year = facts["income_year"]
    assert title == (f"农安县抽查核实抽样设计({year} 年度收入,{day} 抽取)" if year else f"农安县抽查核实抽样设计({day} 抽取)")
    for ws in book.worksheets:
        assert title in ws.oddHeader.center.text and ws.oddFooter.center.text, ws.title


def test_a_form_with_an_edited_identity_is_refused_with_the_other_forms_problems(county):
    """From an outside try: a form whose printed 户主姓名 was written over was refused in a run of its
    own; a blank cell in another village's form came only on the next run. Both are said at once."""
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    fill(forms["合隆镇-前岗村-入户核查表.xlsx"], {}, identity={(2, "户主姓名"): "李改名"})
    book = openpyxl.load_workbook(forms["合隆镇-东兴村-入户核查表.xlsx"])
    ws = book.worksheets[0]
    ws.cell(*pages_of(ws)[1][LABELS["taxes_fees"]]).value = None
    book.save(forms["合隆镇-东兴村-入户核查表.xlsx"])
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2))
    assert "核查表没有比对:2 个文件中有 2 处问题" in said, said
    assert "核查序号 2 的户主姓名与打印时不同" in said and "「税金和上交承包费用(元)」没有填写" in said, said
    assert not (county / "r").exists()
