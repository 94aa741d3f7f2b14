"""Outside tester's city spot check (three-year register): 分填表人 marked 刘丽娟 确定超过 for one 错评 among
two candidates checked (28.6 %, interval 3.4 %–81.9 %, the whole interval above 2 %) while her p-value was
1.00; 分村 marked a village 确定超过 for its one candidate (1/1, 20.7 %–100 %). Over so few households one
household in error lifts the interval past the threshold: a firm verdict needs 10 households verified
(estimate.FIRM_MIN_HOUSEHOLDS); over fewer the mark is 超过(样本太少), and 汇总 says why."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, draw, fill_all, run, screened_and_drawn, write_survey


def _marks(folder, sheet: str, name_column: str) -> dict[str, str]:
    """{name in `name_column`: 错评标记} of a sheet of backcheck.xlsx."""
    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if "错评标记" in r)
    header = rows[at]
    name, mark = header.index(name_column), header.index("错评标记")
    return {r[name]: r[mark] or "" for r in rows[at + 1:] if r[name]}


def _summary(folder) -> str:
    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")["汇总"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def test_one_household_in_error_among_few_is_above_but_never_firm(tmp_path):
    """small_county, every candidate drawn: 丙's (东兴村's) first candidate earns 30,000 at the visit. 丙
    and 东兴村 have 1 错评 of 2 ([9.5 %, 90.5 %]), the county 1 of 6 ([3.0 %, 56.4 %]): each interval is
    above 2 %, each over fewer than 10 households."""
    screened_and_drawn(tmp_path)
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", {("东兴村", "候选户", 1): {"wage_income": 30000}})
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    county = next(line for line in said.splitlines() if line.startswith("错评率"))
    assert "3.0%–56.4%;1/6 户" in county and county.endswith("▲ 超过(样本太少)"), said
    assert "确定超过" not in said

    out = tmp_path / "核查结果"
    assert _marks(out, "分填表人", "填表人")["丙"] == "超过(样本太少)"
    assert _marks(out, "分村", "行政村")["东兴村"] == "超过(样本太少)"
    assert _marks(out, "汇总", "范围")["全县"] == "超过(样本太少)"
    assert "核查不足 10 户的只标“超过(样本太少)”" in _summary(out)
    # The mark prints on one line: its column is widened where it holds the longer mark.
    ws = openpyxl.load_workbook(out / "backcheck.xlsx")["分村"]
    header = [c.value for c in next(ws.iter_rows(max_row=1))]
    column = openpyxl.utils.get_column_letter(header.index("错评标记") + 1)
    assert ws.column_dimensions[column].width >= 15


def test_errors_over_ten_households_or_more_are_still_firm(tmp_path):
    """One village of 12 candidates (甲) and 4 above (乙), every candidate drawn, 3 found above the line:
    25 % over 12 households, [8.9 %, 53.2 %]: 确定超过, as before."""
    rows = [candidate("前岗村", "甲") for _ in range(12)] + [above("前岗村", "乙") for _ in range(4)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.5")
    wrong = {("前岗村", "候选户", n): {"wage_income": 30000} for n in (1, 2, 3)}
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", wrong)
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    county = next(line for line in said.splitlines() if line.startswith("错评率"))
    assert "8.9%–53.2%;3/12 户" in county and county.endswith("▲ 确定超过"), said
    out = tmp_path / "核查结果"
    assert _marks(out, "分填表人", "填表人")["甲"] == "确定超过"
    assert _marks(out, "分村", "行政村")["前岗村"] == "确定超过"
