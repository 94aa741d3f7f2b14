"""The city's spot check (an outside try, 2026-12: 德惠市, 60 forms compared against the register) gave the
rates and their intervals, and said what to do only of the enumerators ("120 名填表人中没有明显偏离的"
where none stood out). A city office expects a short 处理建议 (after-screening.md §5, the plan's 第四步):
the 错评 households re-verified by the county and taken off the list where confirmed (查无此户 among them),
the 漏评 households through the procedure (with a register: screened again, then `register next`), a
place marked 确定超过 re-checked in full, one marked 超过(样本太少) sampled further, the enumerators listed
re-checked — or, where nothing was found, that there is nothing to do. On the terminal (a few lines),
in report.html (a section) and in backcheck.xlsx (汇总, naming each household with its 核查序号)."""

from __future__ import annotations

import re

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey

BLANK = None  # a page left blank: only its 情况说明 written


def _flat(text: str) -> str:
    return "".join(text.split())


def _county(tmp, *register: str):
    """合隆镇: 前岗村 4 candidates and 12 above, 东兴村 2 candidates and 3 above, each named; screened into
    tmp/筛查 (and the register `register`), every household drawn into tmp/抽查."""
    rows = ([candidate("前岗村", "甲", 户主姓名=n) for n in ("错评户", "候甲二", "候甲三", "候甲四")]
            + [above("前岗村", "乙", 户主姓名="漏评户")] + [above("前岗村", "乙") for _ in range(11)]
            + [candidate("东兴村", "丙", 户主姓名=n) for n in ("无此户", "候丙二")]
            + [above("东兴村", "丁") for _ in range(3)])
    run("screen", write_survey(tmp / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp / "筛查", *register)
    source = tmp / "农安县.db" if register else tmp / "筛查"
    run("sample", source, "-o", tmp / "抽查", "--seed", "7", "--listed-rate", "1", "--unlisted-rate", "1")
    return source


def _fill(sample, out, found: dict[str, dict | None]) -> dict[str, int]:
    """Every page as recorded, but the heads named in `found` (BLANK: the page left blank, 查无此户 in its
    情况说明); returns each named head's 核查序号."""
    pages: dict[str, dict[int, dict]] = {}
    seqs = {}
    for r in sample_rows(sample):
        values = same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
        if r["户主姓名"] in found:
            seqs[r["户主姓名"]] = int(r["核查序号"])
            change = found[r["户主姓名"]]
            values = {"verify_notes": "查无此户"} if change is BLANK else {**values, **change}
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    out.mkdir()
    for form, values in pages.items():
        fill(sample / form, values, save_as=out / form.split("/")[-1])
    return seqs


def _sheet(folder, name="汇总") -> list[tuple]:
    return [r for r in openpyxl.load_workbook(folder / "backcheck.xlsx")[name].iter_rows(values_only=True)]


def test_the_report_says_what_to_do_with_each_household_place_and_enumerator_found(tmp_path):
    """错评户 found at 30,000 (错评), 无此户 not found (a listed household: 错评), 漏评户 found at 10,000 (漏评):
    the 错评率 of 合隆镇 and both villages are above 2 %, every household of them drawn and checked: a full
    count, exact, nothing to sample further (超过(全数核查); the advice to sample more is
    test_backcheck_print_and_full's guard, a sample of half the unlisted households)."""
    source = _county(tmp_path)
    seqs = _fill(tmp_path / "抽查", tmp_path / "填好", {"错评户": {"wage_income": 30000}, "无此户": BLANK,
                                                        "漏评户": {"wage_income": 10000}})
    out = tmp_path / "核查结果"
    said = _flat(run("backcheck", source, tmp_path / "填好", "-o", out).output)

    # The terminal: a few lines after the rates, the lists left to the workbook.
    steps = said[said.index("处理建议(逐户见backcheck.xlsx的“汇总”和report.html):"):]
    assert "错评2户(其中查无此户1户,先查明该户是否存在):请县里逐户入户复核,复核属实的,按识别程序从名单中移出" in steps, said
    assert "漏评1户:请按核查所得在调查表上更正这些户,重新筛查(edgescreenscreen);列为候选户的,按识别程序办理" in steps, said
    assert "3处的农户已全部抽中核查,比率超过2%(全数核查的实数,不是估计,无须再抽样):合隆镇(错评" in steps, said
    assert "--margin" not in steps and "扩大抽样" not in steps, said

    # backcheck.xlsx: the sentences last in 汇总, then each household named with its place, head and 核查序号.
    summary = {r[0]: r[1] for r in _sheet(out) if r[0]}
    assert summary["处理建议"].startswith("错评 2 户(其中查无此户 1 户"), summary
    assert "全数核查" in summary["处理建议"] and "--margin" not in summary["处理建议"], summary
    assert summary["错评:入户复核,属实的移出名单"] == f"合隆镇前岗村 错评户(核查序号 {seqs['错评户']},合隆镇-前岗村-入户核查表.xlsx)"
    assert summary["错评(查无此户):查明是否存在"] == f"合隆镇东兴村 无此户(核查序号 {seqs['无此户']},合隆镇-东兴村-入户核查表.xlsx)"
    assert summary["漏评:更正调查表,重新筛查"] == f"合隆镇前岗村 漏评户(核查序号 {seqs['漏评户']},合隆镇-前岗村-入户核查表.xlsx)"

    # report.html: a section of its own, the same households named.
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index('id="next-steps"'):html.index("</section>", html.index('id="next-steps"'))]
    assert all(name in section for name in ("错评户", "无此户", "漏评户")) and "--margin" not in section, section
    places = re.findall(r"<tr><td>超过\(全数核查\):逐户处理</td><td>(\w*)</td><td>(\w*)</td>", section)
    assert places == [("合隆镇", ""), ("合隆镇", "前岗村"), ("合隆镇", "东兴村")], section


def test_a_omission_from_a_register_is_screened_again_and_its_documents_printed_by_register_next(tmp_path):
    """From a register the 漏评 household's way is the register's own for an omission upheld: the survey
    corrected, screened again with --register, then `register next` prints its 民主评议."""
    db = _county(tmp_path, "--register", tmp_path / "农安县.db", "--date", "2019-12-02")
    _fill(tmp_path / "抽查", tmp_path / "填好", {"漏评户": {"wage_income": 10000}})
    said = _flat(run("backcheck", db, tmp_path / "填好", "-o", tmp_path / "核查结果").output)
    assert (f"漏评1户:请按核查所得在调查表上更正这些户,用edgescreenscreen…--register{db}重新筛查(登记为新的一轮);"
            f"列为候选户的,用edgescreenregisternext{db}打印民主评议等文书,走识别程序。") in said, said


def test_a_spot_check_that_found_nothing_says_there_is_nothing_to_do(tmp_path):
    source = _county(tmp_path)
    _fill(tmp_path / "抽查", tmp_path / "填好", {})
    out = tmp_path / "核查结果"
    said = _flat(run("backcheck", source, tmp_path / "填好", "-o", out).output)
    assert "处理建议:核查没有发现需要处理的问题" in said, said
    summary = {r[0]: r[1] for r in _sheet(out) if r[0]}
    assert summary["处理建议"].startswith("核查没有发现需要处理的问题"), summary
    assert "核查没有发现需要处理的问题" in (out / "report.html").read_text(encoding="utf-8")
