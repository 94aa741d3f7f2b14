"""A sheet's own 合计 / 小计 rows against the households read above them (totals.py): a total that
is not their sum says a household row was deleted, the formula leaves rows out, or a household was not
read as one. Said once for the sheet (file facts, the terminals), never on a household."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from field_builders import col, households
from survey_builders import HEADERS, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger


def _row(**cells) -> list:
    row = [""] * len(HEADERS)
    for header, value in cells.items():
        row[col(header)] = value
    return row


def _facts(path, tmp_path, *extra):
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), *extra])
    assert (out / "check.json").exists(), result.output
    report = json.loads((out / "check.json").read_text(encoding="utf-8"))
    return result, [f for f in report["facts"] if f["fact"] == "total_differs"]


def test_a_total_that_is_the_sum_says_nothing_one_that_is_not_is_named(tmp_path):
    # 3 households: 9 residents, wages 30,000. The 合计 says 12 residents and 40,000: a household gone.
    path = write_workbook(tmp_path / "前岗村.xlsx", households(3),
                          extra_rows=[_row(**{"乡(镇)": "合计"}, 家庭常住人口数=12, 工资性收入=40000,
                                           家庭总收入=30000)])
    result, facts = _facts(path, tmp_path)
    assert [f["detail"] for f in facts] == ["5"]
    said = " ".join(result.output.split()).replace(" ", "")
    assert "第5行「合计」与上方农户之和不符" in said, said
    assert "家庭常住人口数(I列)写12,上方3户之和为9" in said, said
    assert "工资性收入(J列)写40,000.00元,上方3户之和为30,000.00元" in said, said
    assert "家庭总收入" not in said.split("与上方农户之和不符")[1].split("。")[0]  # 30,000 is right
    assert result.exit_code == 0  # a warning for the clerk: the households are fine

    # The screen's terminal says it too, and every household comes out as before.
    out = tmp_path / "out"
    screened = CliRunner().invoke(app, ["screen", str(path), "-o", str(out)])
    assert screened.exit_code == 0, screened.output
    assert "与上方农户之和不符" in " ".join(screened.output.split()).replace(" ", "")
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["candidate"] * 3

    right = write_workbook(tmp_path / "太平村.xlsx", households(3),
                           extra_rows=[_row(**{"乡(镇)": "合计"}, 家庭常住人口数=9, 工资性收入=30000, 家庭总收入=30000)])
    assert _facts(right, tmp_path / "right")[1] == []


def test_subtotals_per_group_then_a_total_of_all_rounded_totals_and_wan(tmp_path):
    one = households(2, 村民小组="一组")  # 20,000
    two = households(2, first_serial=3, 村民小组="二组", 工资性收入=10000.4)  # 20,000.80
    rows = [[r.get(h, "") for h in HEADERS] for r in two]
    extra = [_row(村民小组="一组小计", 工资性收入=20000), *rows,
             _row(村民小组="二组小计", 工资性收入="20000.8"),
             _row(**{"乡(镇)": "合计"}, 工资性收入=40001)]  # typed to the yuan: 40,000.80 rounds to it
    path = write_workbook(tmp_path / "前岗村.xlsx", one, extra_rows=extra)
    assert _facts(path, tmp_path)[1] == []

    # Amounts in 万元 (the header says so): 1.2345 万 each, 2.469 万 together. A total typed 2.47 is that
    # to its two decimals; 2.5 at one decimal is 2.469 too; 2.4 is not.
    from test_amounts_in_wan import FLAGS, HEAD, person, sheet

    def in_wan(name, total):
        return sheet(tmp_path / name, HEAD + ["家庭总收入(万元)", "家庭生产经营性支出(万元)", *FLAGS],
                     [person("张三", 1) + [3, 1.2345, 0, "否", "否"], person("李四", 3) + [3, 1.2345, 0, "否", "否"],
                      ["合计", "", "", "", 6, total, 0]])

    assert _facts(in_wan("万元.xlsx", 2.47), tmp_path / "a")[1] == []
    assert _facts(in_wan("万元一位.xlsx", 2.5), tmp_path / "b")[1] == []
    result, facts = _facts(in_wan("万元不符.xlsx", 2.4), tmp_path / "c")
    said = " ".join(result.output.split()).replace(" ", "")
    assert len(facts) == 1 and "家庭总收入(F列)写24,000.00元,上方2户之和为24,690.00元" in said, said


def test_a_household_read_as_no_household_shows_in_the_total(tmp_path):
    """The reader's own safety net: a household the sheet counts in its 合计 but that was skipped."""
    rows = households(3)
    extra = [_row(户主姓名="以下为补录", 工资性收入=""),
             _row(**{"乡(镇)": "合计"}, 工资性收入=30000)]
    path = write_workbook(tmp_path / "前岗村.xlsx", rows, extra_rows=extra)
    assert _facts(path, tmp_path)[1] == []
    bad = write_workbook(tmp_path / "后岗村.xlsx", rows[:2],
                         extra_rows=[_row(**{"乡(镇)": "合计"}, 工资性收入=30000)])
    result, facts = _facts(bad, tmp_path / "bad")
    assert len(facts) == 1 and facts[0]["level"] == "attention"


def test_a_cell_above_not_a_number_leaves_the_field_uncompared(tmp_path):
    rows = households(3)
    rows[1]["工资性收入"] = "见备注"
    path = write_workbook(tmp_path / "前岗村.xlsx", rows,
                          extra_rows=[_row(**{"乡(镇)": "合计"}, 工资性收入=99999)])
    assert _facts(path, tmp_path)[1] == []


def test_a_total_short_by_amounts_typed_as_text_names_those_cells(tmp_path):
    # Row 3's wages typed as text (10000元, 1,0000): Excel's SUM leaves them out, so the 合计 a
    # formula made is 10,000 short. The cells are named, not a deleted household row.
    rows = households(3)
    rows[1]["工资性收入"] = "10000元"
    path = write_workbook(tmp_path / "前岗村.xlsx", rows,
                          extra_rows=[_row(**{"乡(镇)": "合计"}, 家庭常住人口数=9, 工资性收入=20000, 家庭总收入=30000)])
    result, facts = _facts(path, tmp_path)
    assert [f["detail"] for f in facts] == ["5"]
    said = " ".join(result.output.split()).replace(" ", "")
    assert ("工资性收入(J列)写20,000.00元,上方3户之和为30,000.00元(差额正是以文字填写的第3行J列「10000元」:"
            "Excel求和不计文字,请改成数字)") in said, said
    assert "删过农户行" not in said.split("与上方农户之和不符")[1].split("\n")[0]

    # A total short by more than the text cells is the search it was: no cell named.
    far = write_workbook(tmp_path / "太平村.xlsx", rows,
                         extra_rows=[_row(**{"乡(镇)": "合计"}, 家庭常住人口数=9, 工资性收入=15000, 家庭总收入=30000)])
    result, facts = _facts(far, tmp_path / "far")
    said = " ".join(result.output.split()).replace(" ", "")
    assert "上方3户之和为30,000.00元。可能删过农户行" in said and "以文字填写" not in said, said
