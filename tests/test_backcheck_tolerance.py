"""The city's spot check (an outside try, 2026-12: a register of 19,811 households, forms filled with honest
noise of 2–8 % on one amount, within the default --tolerance 10%):

1. 4 of the 7 错评 and all 7 漏评 had every field 一致, counted because the per-capita income crossed a bound
   (布海镇-西岗村 page 32, 曾艳: 3,993.33 → 4,021.67): they made the county's 错评率 3.2 % ▲ 超过 where the
   planted errors alone give 1.68 %. A household counts only where its status changed and some field
   differs; the others are shown apart, 认定改变但各项在容差内, with their count.
2. 汇总 told 确定超过 from 超过(样本太少); the terminal and report.html showed ▲ alone, and "5 个村有比率超过
   2%" did not say that all 5 rested on too few households.
3. Another county's form handed in by mistake was refused "请换成样本 … 的这份表", though this sample drew
   no household of its village: there is no form to swap in, only one to take out.
4. 17 amounts of 1–9 yuan, each found as the survey recorded it, were listed as 「金额疑按万元填写」 on
   every run."""

from __future__ import annotations


import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import (above, candidate, fill, fill_all, run, same_as_recorded, sample_rows,
                                screened_and_drawn, write_survey)


def _flat(text: str) -> str:
    return "".join(text.split())


def _fill_by_name(sample, out, found: dict[str, dict]) -> None:
    """Every page as recorded (candidates 10,000, the others 30,000), but the heads named in `found`."""
    pages: dict[str, dict[int, dict]] = {}
    for r in sample_rows(sample):
        values = same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
        values.update(found.get(r["户主姓名"], {}))
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    out.mkdir()
    for form, values in pages.items():
        fill(sample / form, values, save_as=out / form.split("/")[-1])


def _households(folder) -> dict[str, dict]:
    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")["逐户比对"]
    rows = list(ws.iter_rows(values_only=True))
    return {r[rows[0].index("户主姓名")]: dict(zip(rows[0], r)) for r in rows[1:]}


def _summary_rows(folder) -> dict[str, str]:
    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")["汇总"]
    return {str(r[0]): " ".join(str(c) for c in r[1:] if c is not None) for r in ws.iter_rows(values_only=True) if r[0]}


def test_a_status_carried_over_a_bound_within_the_tolerance_is_no_error_and_is_shown_apart(tmp_path):
    """前岗村, every household drawn: 近上限 recorded 11,970 (3,990 per person, a candidate) and found 12,180
    (+1.75 %: 4,060, above the limit); 近下方 recorded 12,030 (4,010, above) and found 11,880 (−1.25 %: 3,960,
    a candidate); 真错评 recorded 10,000 and found 30,000; 超容差 recorded 11,970 like 近上限 and found 13,500
    (+12.8 %, beyond the 10 %). 真错评 and 超容差 are errors the visit found; the other two are not."""
    rows = [candidate("前岗村", "甲", 户主姓名="近上限", 工资性收入=11970),
            candidate("前岗村", "甲", 户主姓名="超容差", 工资性收入=11970),
            candidate("前岗村", "甲", 户主姓名="真错评"), *(candidate("前岗村", "甲") for _ in range(4)),
            above("前岗村", "乙", 户主姓名="近下方", 工资性收入=12030), *(above("前岗村", "乙") for _ in range(3))]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "7", "--listed-rate", "1",
        "--unlisted-rate", "1")
    _fill_by_name(tmp_path / "抽查", tmp_path / "填好", {"近上限": {"wage_income": 12180},
                                                         "近下方": {"wage_income": 11880},
                                                         "真错评": {"wage_income": 30000},
                                                         "超容差": {"wage_income": 13500}})
    out = tmp_path / "核查结果"
    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", out).output)

    # The rates count 真错评 and 超容差: 2 of the 7 candidates, none of the 4 others.
    assert "错评率:28.6%(全数核查,2/7户)" in said, said  # every household drawn: a count, no interval
    assert "漏评率:0.0%(全数核查,0/4户)" in said, said
    # The other two said apart, with their count, beside the rates.
    assert "认定改变但各项在容差内:2户(候选户1户、非候选户1户)" in said, said
    households = _households(out)
    assert households["真错评"]["比对结论"] == "错评"
    assert (households["超容差"]["比对结论"], households["超容差"]["不符的栏目"]) == ("错评", "工资性收入(元)")
    assert households["近上限"]["比对结论"] == "认定改变但各项在容差内", households["近上限"]
    assert households["近下方"]["比对结论"] == "认定改变但各项在容差内", households["近下方"]
    assert (households["近上限"]["不符项"], households["近上限"]["不符的栏目"]) == (0, None)
    summary = _summary_rows(out)
    assert "近上限,人均纯收入登记 3990.00 元,核实 4060.00 元" in summary["认定改变但各项在容差内"], summary
    assert "近下方" in summary["认定改变但各项在容差内"]
    assert "认定跨过了收入界限而各项都在容差内的户不计" in summary["方法"]
    ws = openpyxl.load_workbook(out / "backcheck.xlsx")["汇总"]
    county = next(r for r in ws.iter_rows(values_only=True) if r[0] == "全县")
    assert "2/7" in county and "0/4" in county, county
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "认定改变但各项在容差内:2 户(候选户 1 户、非候选户 1 户)" in html
    # The enumerator's test counts only the errors found: 甲 has 2 households with a wrong status.
    ws = openpyxl.load_workbook(out / "backcheck.xlsx")["分填表人"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if "认定错误户" in r)
    by_name = {r[0]: r for r in rows[rows.index(header) + 1:] if r[0]}
    assert by_name["甲"][header.index("认定错误户")] == 2 and by_name["乙"][header.index("认定错误户")] == 0


def test_the_terminal_and_report_give_the_marks_words_and_how_many_villages_rest_on_too_few(tmp_path):
    """small_county, every candidate drawn: 东兴村's first candidate found at 30,000. The county and 合隆镇 have
    1 错评 of 6 ([3.0 %, 56.4 %]) and 东兴村 1 of 2: 汇总 and 分村 mark them 超过(样本太少); so do the
    terminal and report.html now, not ▲ alone."""
    screened_and_drawn(tmp_path)
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", {("东兴村", "候选户", 1): {"wage_income": 30000}})
    out = tmp_path / "核查结果"
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", out).output
    flat = _flat(said)
    assert "合隆镇:错评16.7%▲超过(样本太少);" in flat, said
    assert "1个村有比率超过2%(其中标“超过(样本太少)”的1个):见backcheck.xlsx的“分村”。" in flat, said
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "16.7% 超过(样本太少) ▲" in html, html


def test_a_firm_finding_says_so_on_the_township_line(tmp_path):
    """One village of 12 candidates, 3 found above the line: 25 % over 12, [8.9 %, 53.2 %], 确定超过 in
    汇总; the township's line and the villages' count say so too."""
    rows = [candidate("前岗村", "甲") for _ in range(12)] + [above("前岗村", "乙") for _ in range(4)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "11", "--listed-rate", "1",
        "--unlisted-rate", "0.5")
    wrong = {("前岗村", "候选户", n): {"wage_income": 30000} for n in (1, 2, 3)}
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", wrong)
    out = tmp_path / "核查结果"
    flat = _flat(run("backcheck", tmp_path / "筛查", *forms, "-o", out).output)
    assert "合隆镇:错评25.0%▲确定超过;" in flat, flat
    assert "1个村有比率超过2%(其中标“确定超过”的1个)" in flat, flat
    assert "25.0% 确定超过 ▲" in (out / "report.html").read_text(encoding="utf-8")


def test_another_countys_form_handed_in_by_mistake_is_to_be_taken_out_not_swapped(tmp_path):
    """农安县's two villages sampled and filled; 德惠市's 城子街镇-一村 form, of a sample of its own, put in the
    same folder. This sample drew nobody in 城子街镇一村: there is no form of it to give instead."""
    screened_and_drawn(tmp_path)
    fill_all(tmp_path / "抽查", tmp_path / "回收")
    other = tmp_path / "德惠市"
    other.mkdir()
    rows = [candidate("一村", "戊", township="城子街镇") for _ in range(2)] + [above("一村", "己", township="城子街镇")]
    run("screen", write_survey(other / "德惠市.xlsx", {"城子街镇": rows}), "-o", other / "筛查")
    run("sample", other / "筛查", "-o", other / "抽查", "--seed", "3", "--listed-rate", "1", "--unlisted-rate", "1")
    fill_all(other / "抽查", tmp_path / "回收")
    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "回收", "-o", tmp_path / "核查结果", code=2).output)
    assert "城子街镇-一村-入户核查表.xlsx:属于另一次抽样" in said, said
    assert "没有抽到城子街镇一村" in said and "请把它从核查表的文件夹中移出" in said, said
    assert "请换成" not in said, said


# 余健明's household as an outside try's survey recorded it: 家庭经营费用支出 7 元 beside a business income of 8,994.
YU = dict(家庭人口数=4, 家庭常住人口数=4, 工资性收入=4362, 家庭经营收入=8994, 财产性收入=800, 转移性收入=1036,
          家庭经营费用支出=7, 生产性固定资产折旧=500, 税金和上交承包费用=200)
YU_FOUND = dict(members=4, residents=4, wage_income=4362, business_income=8994, property_income=800,
                transfer_income=1036, business_costs=7, depreciation=500, taxes_fees=200)


def test_a_small_amount_found_as_the_survey_recorded_it_is_not_suspected_again(tmp_path):
    """The screen warned of the 7 (金额疑按万元填写) when it read the survey; the verifier found 7 at the home.
    The backcheck compares it, and does not list it again as a suspect on every run."""
    rows = [candidate("前进村", "陆强英", township="前岗乡", 户主姓名="余健明", **YU),
            *(candidate("前进村", "陆强英", township="前岗乡") for _ in range(2)),
            *(above("前进村", "陆强英", township="前岗乡") for _ in range(2))]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"前岗乡": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "5", "--listed-rate", "1",
        "--unlisted-rate", "1")
    _fill_by_name(tmp_path / "抽查", tmp_path / "填好", {"余健明": YU_FOUND})
    out = tmp_path / "核查结果"
    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", out).output)
    assert out.exists() and "错评率:0.0%" in said, said
    assert "万元" not in said, said
    assert not any("万元" in v for v in _summary_rows(out).values())
