"""An outside look at a spot check of two villages, every household drawn (--listed-rate 1 --unlisted-rate 1)
and verified (2026-12):

1. backcheck.xlsx's 汇总 printed its 处理建议 labels (「错评:入户复核,属实的移出名单」) on two lines in rows of
   18 points, drawn over each other and cut, and, fitted to one landscape page's width, its 10-point text at
   about 7 points. Now each row is as tall as its label's and its text's lines, and the sheet prints at
   9 points or more on A4.
2. The terminal, 汇总 and report.html said 「3 处比率超过 2%,但核查的户太少(不足 10 户),不能确定…请扩大抽样再核」
   of places where nobody was left to sample: a place counted whole has a rate as counted, 超过(全数核查),
   and no advice to sample more."""

from __future__ import annotations

import openpyxl
import pandas as pd

from print_size import cell_span, column_widths, printed_points, wrapped_lines
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import run, two_villages_given_back
from edgescreen.outputs.xlsx import WIDTH_SLACK, page_body
from edgescreen.spotcheck import error_rates

# LibreOffice prints lines of 10-point CJK text 14.51 points apart (test_print_model.py), with padding.
PITCH_10 = 14.51


def _checked(tmp, unlisted_rate: str = "1"):
    """双岗村 and 太平村 (two_villages_given_back), 王淑华 found at 18,000 (错评), 周建国 not found (a
    candidate: 错评). Returns the backcheck's terminal output and its folder."""
    given = two_villages_given_back(tmp, unlisted_rate, {"王淑华": {"wage_income": 18000},
                                                          "周建国": {"verify_notes": "查无此户"}})
    out = tmp / "核查结果"
    return run("backcheck", tmp / "筛查", given, "-o", out).output, out


def _marks(ws, name_column: str) -> dict:
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if "错评标记" in r)
    name, mark = rows[at].index(name_column), rows[at].index("错评标记")
    return {r[name]: r[mark] or "" for r in rows[at + 1:] if r[name]}


def test_the_summary_prints_every_row_whole_at_nine_points_or_more(tmp_path):
    _, out = _checked(tmp_path)
    ws = openpyxl.load_workbook(out / "backcheck.xlsx")["汇总"]
    labelled = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value and ws.cell(r, 2).value
                and ws.cell(r, 1).value != "范围" and cell_span(ws, ws.cell(r, 2)) != [2]]
    assert {"处理建议", "方法", "错评:入户复核,属实的移出名单", "错评(查无此户):查明是否存在"} <= {
        ws.cell(r, 1).value for r in labelled}
    for r in labelled:
        label, value = ws.cell(r, 1), ws.cell(r, 2)
        assert label.alignment.wrap_text and value.alignment.wrap_text, r
        # As tall as the label's lines (its column's indent of a character) and the text's.
        lines = max(wrapped_lines(ws, label, 10, indent=10), wrapped_lines(ws, value, 10, indent=10))
        assert ws.row_dimensions[r].height >= lines * PITCH_10 + 4, (label.value, lines, ws.row_dimensions[r].height)
    # 9 points or more on A4, and the label and its text within the page's width at that scale.
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert printed_points(ws, 3) >= 9.0
    scale = (ws.page_setup.scale or 100) / 100
    widths = column_widths(ws)
    spanned = [1, *cell_span(ws, ws.cell(labelled[0], 2))]
    assert sum(widths[c - 1] * 7 * 0.75 for c in spanned) * WIDTH_SLACK * scale <= page_body(landscape=True)[0]


def test_places_counted_whole_are_above_as_counted_and_not_sampled_again(tmp_path):
    said, out = _checked(tmp_path)
    flat = "".join(said.split())
    county = next(line for line in said.splitlines() if line.startswith("错评率"))
    assert "2/6 户" in county and county.endswith("▲ 超过(全数核查)"), said
    assert "合隆镇:错评33.3%▲超过(全数核查)" in flat, said
    assert "样本太少" not in said and "扩大抽样" not in said and "--margin" not in said, said
    assert "3处的农户已全部抽中核查,比率超过2%(全数核查的实数,不是估计,无须再抽样):" in flat, said

    book = openpyxl.load_workbook(out / "backcheck.xlsx")
    assert _marks(book["汇总"], "范围") == {"全县": "超过(全数核查)", "合隆镇": "超过(全数核查)"}
    assert _marks(book["分村"], "行政村") == {"双岗村": "超过(全数核查)", "太平村": "超过(全数核查)"}
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    assert "无须再抽样" in summary["处理建议"] and "--margin" not in summary["处理建议"], summary
    assert "超过(全数核查)" in summary["参考阈值"], summary
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "33.3% 超过(全数核查)" in html and "33.3% 超过(样本太少)" not in html and "扩大抽样" not in html


def test_a_place_with_households_left_unsampled_is_an_estimate_not_a_count(tmp_path):
    """The same, the others drawn at half: 太平村's and 双岗村's candidates were all checked, but not their
    other households; the county is no count of its households (no 全数核查): its 错评, 2 of 6, an interval
    wholly above 2 % resting on two households in error, is 确定超过 (estimate.FIRM_MIN_IN_ERROR)."""
    said, out = _checked(tmp_path, unlisted_rate="0.5")
    county = next(line for line in said.splitlines() if line.startswith("错评率"))
    assert county.endswith("▲ 确定超过") and "全数核查" not in said, said


def _village(name: str, listed: int, drawn_unlisted: int, unlisted: int, wrong: int, probability: float = 1.0):
    """A village's households drawn: every candidate (`wrong` of them wrongly listed) and `drawn_unlisted` of
    its `unlisted` others, each verified."""
    rows = [{"stratum": "listed", "stratum_size": listed, "wrongly_listed": i < wrong, "wrongly_unlisted": None}
            for i in range(listed)]
    rows += [{"stratum": "unlisted", "stratum_size": unlisted, "wrongly_listed": None, "wrongly_unlisted": False}
             for _ in range(drawn_unlisted)]
    frame = pd.DataFrame(rows).assign(township="T", village=name, village_inclusion_probability=probability)
    sizes = frame.groupby("stratum")["stratum"].transform("size")
    return frame.assign(weight=frame["stratum_size"] / (probability * sizes))


def test_a_rate_is_a_full_count_where_every_stratum_of_its_domain_was_counted_whole():
    frame = pd.concat([_village("V1", 4, 5, 5, 1), _village("V2", 3, 2, 6, 1)], ignore_index=True)
    frame.index = [f"h{i}" for i in range(len(frame))]
    rates = error_rates(frame)
    full = {(r.level, r.village if isinstance(r.village, str) else ""): r.full_count
            for r in rates[rates["rate"] == "wrongly_listed"].itertuples()}
    # V1 counted whole; V2's others partly drawn; the township and the county hold V2.
    assert full == {("overall", ""): False, ("township", ""): False, ("village", "V1"): True,
                    ("village", "V2"): False}
    # A household drawn but not verified leaves its stratum not counted whole.
    unverified = frame.copy()
    unverified.loc["h5", "wrongly_unlisted"] = None
    rates = error_rates(unverified)
    assert not rates[(rates["level"] == "village") & (rates["village"] == "V1")]["full_count"].any()
    # A township whose villages were sampled (π < 1) is no count of it, though its drawn village is whole.
    rates = error_rates(_village("V1", 4, 5, 5, 1, probability=0.5))
    assert rates.set_index("level").loc[["overall", "township"], "full_count"].eq(False).all()
    assert rates[rates["level"] == "village"]["full_count"].all()
