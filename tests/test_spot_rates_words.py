"""The spot check's rates as an outside tester recomputed them (2026-12), four places where they or
their words were wrong:

1. A listed household whose page says 查无此户 was counted as not verified: the one verified beside it
   carried its village's candidates, 错评率 went to 0 and the enumerator who made them up was not
   flagged. It is 错评 (a household that does not exist cannot be a 贫困边缘户), for its enumerator too;
   an unlisted one not found stays not verified; the outputs say how many were counted so.
2. `--confidence 0.9` computed 90 % intervals under labels that said 95 %.
3. A rate just past the threshold printed as the threshold itself ("33.3%" marked 超过 against 33.3 %)
   in the terminal's township line and backcheck.xlsx's number format.
4. 分填表人's 其他人的该比例 was the test's smoothed (X − x + 0.5)/(N − n + 1), not the others' share.
"""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, draw, fill, fill_all, run, sample_rows, small_county


def words(result) -> str:
    return " ".join(result.output.split())


def _county(tmp):
    """small_county screened; every candidate drawn (前岗村 4 by 甲, 东兴村 2 by 丙), 3 of 前岗村's 12 others
    (乙) and 1 of 东兴村's 3 (丁)."""
    run("screen", small_county(tmp / "农安县.xlsx"), "-o", tmp / "筛查")
    draw(tmp, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    return tmp


def _sheet(book, name: str, header_first: str) -> tuple[list, list[list]]:
    rows = [[c.value for c in r] for r in book[name].iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[0] == header_first)
    return rows[at], rows[at + 1:]


def test_a_listed_household_not_found_is_wrongly_listed_and_its_enumerator_followed_up(tmp_path):
    county = _county(tmp_path)
    forms = fill_all(county / "抽查", county / "填好")
    rows = sample_rows(county / "抽查")
    listed = [r for r in rows if r["行政村"] == "前岗村" and r["抽样层"] == "候选户"]
    unlisted = [r for r in rows if r["行政村"] == "前岗村" and r["抽样层"] == "非候选户"]
    blank = {k: None for k in LABELS if k != "verify_notes"}
    made_up = {int(r["核查序号"]): {**blank, "verify_notes": "查无此户,村里没有这户人家"} for r in listed[:3]}
    made_up[int(unlisted[0]["核查序号"])] = {**blank, "verify_notes": "查无此户"}
    fill(next(f for f in forms if "前岗村" in f.name), made_up)

    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果"))
    # 3 of the 6 candidates do not exist: 错评 3/6, not 0/3 with the one verified carrying 前岗村's four.
    assert "错评率:50.0%" in said and "3/6 户" in said, said
    assert "查无此户的候选户 3 户在错评率中按错评计" in said, said
    assert "查无此户的非候选户 1 户按未核查计" in said, said
    assert said.index("查无此户的候选户 3 户") < said.index("错评率:50.0%")  # said before the rates
    assert "漏评率:0.0%" in said and "0/3 户" in said, said  # the unlisted one not found: not verified
    assert "需复查的填表人(1 人)" in said and "甲" in said.split("需复查的填表人")[1], said

    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    header, households = _sheet(book, "逐户比对", "核查表")
    outcome = {r[header.index("户主姓名")]: r[header.index("比对结论")] for r in households}
    assert [outcome[r["户主姓名"]] for r in listed] == ["错评", "错评", "错评", "认定一致,各项相符"]
    assert outcome[unlisted[0]["户主姓名"]] == "未核查"
    header, villages = _sheet(book, "分村", "乡(镇)")
    qg = next(r for r in villages if r[1] == "前岗村")
    assert qg[2] == 0.75 and "3/4" in qg
    header, enumerators = _sheet(book, "分填表人", "填表人")
    jia = next(r for r in enumerators if r[0] == "甲")
    assert (jia[1], jia[2], jia[header.index("需复查")]) == (4, 3, "需复查")
    summary = " ".join(str(c.value) for r in book["汇总"].iter_rows() for c in r if c.value)
    assert "查无此户的候选户 3 户在错评率中按错评计" in summary
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert "查无此户的候选户 3 户在错评率中按错评计" in html


def test_the_intervals_are_labelled_with_the_confidence_given(tmp_path):
    county = _county(tmp_path)
    fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000}})
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果", "--confidence", "0.9"))
    assert "错评率:16.7%(90% 置信区间" in said and "95%" not in said, said
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    for sheet, first in (("汇总", "范围"), ("分村", "乡(镇)"), ("分填表人", "填表人")):
        header, _ = _sheet(book, sheet, first)
        intervals = [h for h in header if h and "区间" in h]
        assert intervals == ["错评率\n90% 区间", "漏评率\n90% 区间", "字段差错率\n90% 区间"], (sheet, header)
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert "90% 区间" in html and "95%" not in html


def test_a_rate_past_the_threshold_never_prints_as_the_threshold(tmp_path):
    """2 of 6 candidates wrong: 33.33 %, above a threshold of 33.3 %: one decimal would print it as 33.3%
    marked 超过."""
    county = _county(tmp_path)
    fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000},
                                                ("东兴村", "候选户", 1): {"wage_income": 30000}})
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果", "--threshold", "0.333"))
    assert "错评率:33.33%" in said and "合隆镇:错评 33.33% ▲" in said, said
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    sheet = book["汇总"]
    rows = [r for r in sheet.iter_rows() if r[0].value in ("全县", "合隆镇")]
    assert len(rows) == 2
    for row in rows:
        assert abs(row[1].value - 1 / 3) < 1e-9 and row[4].value == "超过"
        assert row[1].number_format.startswith("0.00%"), row[1].number_format
        assert row[5].number_format.startswith("0.0%")  # 漏评率 0.0 %, far from the line: one decimal
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert "33.33%" in html


def test_the_others_share_beside_an_enumerator_is_their_plain_share(tmp_path):
    """甲 (4 verified) and 乙 (3) each have one household with a field differing, of the 10 verified: the
    others' share beside 甲 is 1/6 = 16.7 %, not the test's smoothed 1.5/7 = 21.4 %."""
    county = _county(tmp_path)
    fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 1): {"members": 4},
                                                ("前岗村", "非候选户", 1): {"members": 4}})
    run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果")
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    header, enumerators = _sheet(book, "分填表人", "填表人")
    column = header.index("其他人的\n该比例")
    by_name = {r[0]: r for r in enumerators}
    assert by_name["甲"][1] == 4 and by_name["甲"][column] == "16.7%", by_name["甲"]
    assert by_name["丙"][column] == "25.0%", by_name["丙"]  # 2 of the other 8
