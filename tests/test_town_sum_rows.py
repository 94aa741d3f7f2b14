"""A township's sheet of villages pasted one under another, each with its sum row. A sum row whose label
did not come across (it was in a merged cell) is read as no household (read's "sum") and ends its
village's block as a labelled 合计 does: the next village's 合计 is compared with that village's
households alone (an outside try, 2026-12-05: it was compared with every household above, and said
not to add up, 可能删过农户行)."""

from __future__ import annotations

from field_builders import households
from survey_builders import HEADERS, write_workbook
from test_total_rows_checked import _facts, _row

_NUMBERS = ["家庭人口数", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭总收入",
            "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "家庭生产经营性支出"]


def _sums(records: list[dict]) -> dict:
    return {h: sum(r[h] for r in records) for h in _NUMBERS}


def _town(tmp_path, name: str, stated_wage: int | None = None):
    one = households(2, 行政村="新立村")                                   # wages 20,000, 6 residents
    two = households(2, first_serial=3, 行政村="永胜村", 工资性收入=12000)  # wages 24,000, 6 residents
    total = _sums(two)
    if stated_wage is not None:
        total.update(工资性收入=stated_wage, 家庭总收入=stated_wage)
    rows = [[r.get(h, "") for h in HEADERS] for r in two]
    extra = [_row(**_sums(one)), *rows, _row(户主姓名="合 计", **total)]  # 新立村's sum row: no label
    return write_workbook(tmp_path / name, one, extra_rows=extra)


def test_an_unlabelled_sum_row_ends_the_block_a_later_total_is_compared_with(tmp_path):
    result, facts = _facts(_town(tmp_path, "伏龙泉镇.xlsx"), tmp_path / "right")
    assert facts == [], facts
    said = " ".join(result.output.split()).replace(" ", "")
    assert "与上方农户之和不符" not in said, said


def test_a_later_total_that_does_not_add_up_is_still_named_against_its_own_block(tmp_path):
    result, facts = _facts(_town(tmp_path, "伏龙泉镇.xlsx", stated_wage=25000), tmp_path / "wrong")
    assert [f["detail"] for f in facts] == ["7"], facts
    said = " ".join(result.output.split()).replace(" ", "")
    assert "工资性收入(J列)写25,000.00元,上方2户之和为24,000.00元" in said, said
