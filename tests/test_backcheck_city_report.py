"""The city's spot check report (an outside try, 2026-12, /tmp/try-BW): a listed household refusing the visit
(「户主拒绝核查,称已经评上了不用再查」) or not met (家中无人,两次上门未遇) was left out of 错评率 quietly, its
weight passed to the village's other listed household, and nothing but report.html's 未核查 list named it;
a failed visit's 核查人 and 核查日期 were refused; 处理建议 left out the households whose status stayed the
same but whose figures differ, and a head who died; a 核查序号 changed on a page was two faults, one false;
backcheck.xlsx's amounts were text. Each test builds its county, draws, fills the forms and compares."""

from __future__ import annotations

import datetime as dt

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import fill, fill_all, run, same_as_recorded, sample_rows, screened_and_drawn, \
    two_villages_given_back

TODAY = dt.date.today().isoformat()


def _flat(text: str) -> str:
    return "".join(text.split())


def _rows(folder, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(folder / "backcheck.xlsx")[sheet].iter_rows(values_only=True))


def _summary(folder) -> dict[str, str]:
    return {str(r[0]): str(r[1]) for r in _rows(folder, "汇总") if r[0] and r[1]}


def test_refused_and_not_met_are_counted_apart_named_with_what_to_do_and_said_of_the_rates(tmp_path):
    back = two_villages_given_back(tmp_path, "1", {
        "王淑华": {"verify_notes": "户主拒绝核查,称已经评上了不用再查"},   # a candidate of 双岗村
        "陈桂芝": {"verify_notes": "家中无人,两次上门未遇"}})             # one above the limit
    said = _flat(run("backcheck", tmp_path / "筛查", back, "-o", tmp_path / "结果").output)
    # Counted apart, as the city's report asks: 未遇 N 户、拒访 N 户, each household named.
    assert "2户没有入户核查:未遇1户、拒访1户" in said, said
    assert "拒访:" in said and "王淑华):「户主拒绝核查,称已经评上了不用再查」" in said, said
    assert "未遇:" in said and "陈桂芝):「家中无人,两次上门未遇」" in said, said
    # What the county does with each.
    assert "未遇1户:请核查人换个时间再次上门核查" in said, said
    assert "拒访1户:请由乡镇说明拒访的原因" in said, said
    # The rates say plainly they are of the households checked.
    assert "抽中的候选户6户中1户没有核查(拒访1户)" in said, said
    assert "错评率、漏评率是核查了的户的比率" in said, said
    summary = _summary(tmp_path / "结果")
    assert summary["未遇、拒访"].startswith("未遇 1 户、拒访 1 户"), summary
    assert "王淑华" in summary["拒访:由乡镇说明"] and "陈桂芝" in summary["未遇:再次上门"], summary


def test_a_failed_visit_keeps_who_went_and_when(tmp_path):
    went = {"verifier": "赵核查", "verify_date": TODAY}
    back = two_villages_given_back(tmp_path, "1", {
        "李国富": {"verify_notes": "户主拒绝核查", **went},
        "杨德胜": {"verify_notes": "家中无人,两次上门未遇", **went},
        "褚金生": {"verify_notes": "查无此户", **went}})
    said = _flat(run("backcheck", tmp_path / "筛查", back, "-o", tmp_path / "结果").output)
    assert "只填了2项" not in said and "未遇1户、拒访1户" in said, said
    rows = _rows(tmp_path / "结果", "逐户比对")
    head = list(rows[0])
    by_name = {r[head.index("户主姓名")]: r for r in rows[1:]}
    for name in ("李国富", "杨德胜", "褚金生"):
        row = by_name[name]
        assert row[head.index("比对结论")] == "未核查", row
        assert row[head.index("核查人")] == "赵核查" and row[head.index("核查日期")] == TODAY, row


def test_a_failed_visit_dated_in_the_future_is_still_refused(tmp_path):
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    back = two_villages_given_back(tmp_path, "1", {
        "李国富": {"verify_notes": "户主拒绝核查", "verifier": "赵核查", "verify_date": later}})
    said = _flat(run("backcheck", tmp_path / "筛查", back, "-o", tmp_path / "结果", code=2).output)
    assert f"核查日期{later}" in said and "只填了" not in said, said


def test_figures_that_differ_with_the_same_status_and_a_head_who_died_are_to_be_corrected(tmp_path):
    back = two_villages_given_back(tmp_path, "1", {
        "杨德胜": {"wage_income": 40000},                       # above the limit still, wage a third higher
        "陈桂芝": {"members": 4, "residents": 4},               # a resident more, above the limit still
        "赵春花": {**same_as_recorded(wage_income=30000), "members": 2, "residents": 2,
                 "verify_notes": "户主赵春花已于2020年2月病故,现由妻子主事"}})
    said = _flat(run("backcheck", tmp_path / "筛查", back, "-o", tmp_path / "结果").output)
    assert "认定不变但数字不符2户" in said and "户主已故1户:请在下一次调查时更换户主" in said, said
    summary = _summary(tmp_path / "结果")
    corrections = summary["数字不符:更正调查表"]
    assert "杨德胜" in corrections and "工资性收入(元):登记 30000.00,核实 40000.00" in corrections, corrections
    assert "陈桂芝" in corrections and "家庭常住人口数(人):登记 3,核实 4" in corrections, corrections
    died = summary["户主已故:下次调查更换户主"]
    assert "赵春花" in died and "「户主赵春花已于2020年2月病故,现由妻子主事」" in died, died
    assert "家庭人口数(人):登记 3,核实 2" in died and "赵春花" not in corrections, died
    # Not errors of status: the rates and the 错评/漏评 lines are as before.
    assert "错评0户" not in said and "漏评1户" not in said and "错评率:0.0%" in said, said


def test_a_changed_page_number_is_one_fault_naming_the_page_it_is(tmp_path):
    tmp = screened_and_drawn(tmp_path)
    forms = fill_all(tmp / "抽查", tmp / "填好")
    rows = sample_rows(tmp / "抽查")
    form = forms[0]
    page = next(r for r in rows if r["核查表"].endswith(form.name) and r["核查序号"] == "2")
    fill(form, {}, identity={(2, "核查序号"): 16})
    said = _flat(run("backcheck", tmp / "筛查", tmp / "填好", "-o", tmp / "结果", code=2).output)
    assert f"核查序号改成了16;这一页是2({page['户主姓名']})的:请改回2" in said, said
    assert "这一页不见了" not in said and "不是打印的序号" not in said, said
    assert "1个文件中有1处问题" in said, said


def test_amounts_in_the_workbook_are_numbers_in_the_money_format(tmp_path):
    back = two_villages_given_back(tmp_path, "1", {"杨德胜": {"wage_income": 40000}})
    run("backcheck", tmp_path / "筛查", back, "-o", tmp_path / "结果")
    book = openpyxl.load_workbook(tmp_path / "结果" / "backcheck.xlsx")
    ws = book["逐户比对"]
    head = [c.value for c in ws[1]]
    for name in ("登记人均纯收入", "核实人均纯收入"):
        cells = [row[head.index(name)] for row in ws.iter_rows(min_row=2)]
        assert all(isinstance(c.value, (int, float)) for c in cells), [c.value for c in cells]
        assert {c.number_format for c in cells} == {"0.00_ "}, name
    ws = book["逐项比对"]
    head = [c.value for c in ws[1]]
    wage = [row for row in ws.iter_rows(min_row=2) if row[head.index("栏目")].value == "工资性收入(元)"
            and row[head.index("核实值")].value == 40000]
    assert len(wage) == 1, [r[head.index("核实值")].value for r in ws.iter_rows(min_row=2)]
    cells = wage[0]
    assert cells[head.index("登记值")].value == 30000 and cells[head.index("核实值")].number_format == "0.00_ "
    assert cells[head.index("差额(核实−登记)")].value == 10000
    counts = [row for row in ws.iter_rows(min_row=2) if row[head.index("栏目")].value == "家庭常住人口数(人)"]
    assert counts and all(isinstance(r[head.index("登记值")].value, (int, float)) for r in counts)
    # Yes/no stay words.
    flags = [row[head.index("核实值")].value for row in ws.iter_rows(min_row=2)
             if row[head.index("栏目")].value.startswith("是否低保")]
    assert flags and set(flags) == {"否"}, flags
