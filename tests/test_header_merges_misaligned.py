"""A header merged across columns whose sub-headers in the row below do not line up with the merge:
是否低保户 merged over H2:I2 with 是 | 否 typed one column to the right, 家庭总收入(元) merged over four
columns with its sub-headers under five, a merge covering a column of another field. The header was
found from its text alone, and such sheets were read from the wrong columns without a word. Now the
merge says which columns a header stands over: a sub-header beside the merge is a column of its own,
and where the two disagree so that a column's meaning cannot be told, the sheet is refused naming the
file, the sheet, the merged range and the cells. Every test here failed on the code before."""

from __future__ import annotations

from field_checks import assert_refused, ledger, screen
from survey_builders import make_id
from test_header_rows import _sheet

PLACE = ["合隆镇", "前岗村"]
FLAG_TOP = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
            "是否低保户", None, None]


def _down(columns: str, top: int = 2, bottom: int = 3) -> list[str]:
    return [f"{c}{top}:{c}{bottom}" for c in columns]


def _refused(tmp_path, path, *phrases: str) -> str:
    out = tmp_path / "out"
    return assert_refused(screen(path, "-o", out), out, names=[path.name, "前岗村"], phrases=phrases)


def _income_sheet(tmp_path, merge: str, sub: list, rows: list[list]):
    """家庭总收入(元) merged over `merge` with the sub-headers `sub` in row 3, from column F on."""
    width = 5 + len(sub)
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入(元)"] + [None] * (len(sub) - 1) \
        + ["家庭生产经营性支出", "是否低保户", "是否特困人员"]
    after = "".join(chr(ord("A") + width + k) for k in range(3))
    return _sheet(tmp_path / "收入.xlsx", [top, [None] * 5 + sub + [None] * 3], [*_down("ABCDE" + after), merge], rows)


def test_yes_no_typed_one_column_right_of_their_merge_is_refused_naming_the_merge_and_cells(tmp_path):
    """Before: 是否低保户 read from H, blank under the merge (否, a warning of a blank cell), the 是 ticked
    in I for 乙 not read: 乙 a candidate, exit 0."""
    sub = [None] * 7 + [None, "是", "否"] + [None]
    top = FLAG_TOP + ["是否特困人员"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, None, None, "√", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 0, None, "√", None, "否"]]
    path = _sheet(tmp_path / "低保.xlsx", [top, sub], [*_down("ABCDEFGK"), "H2:I2"], rows)
    message = _refused(tmp_path, path, "H2:I2", "是否低保户", "没有对齐", "H3", "J3「否」", "调整合并范围")
    assert "I3" not in message  # 是 under the merge is in its place


def test_an_income_merge_over_four_columns_with_sub_headers_under_five_is_refused(tmp_path):
    """Before: the 合计 in J3, beside the merge F2:I2, was taken for the income's total: exit 0."""
    sub = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 5000, 6000, 0, 0, 11000, 1345.99, "否", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 2000, 8000, 1000, 1000, 12000, 0, "否", "否"]]
    path = _income_sheet(tmp_path, "F2:I2", sub, rows)
    _refused(tmp_path, path, "F2:I2", "家庭总收入(元)", "J3「合计」", "不在它或任何表头的下面")


def test_components_shifted_one_column_right_of_their_merge_are_refused(tmp_path):
    """Before: 家庭总收入 read from F (under the merge F2:J2, no sub-header), the 合计 in K3 not read:
    exit 0, the households decided on what F held."""
    sub = [None, "工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 9000, 5000, 6000, 0, 0, 11000, 1345.99, "否", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 9000, 2000, 8000, 1000, 1000, 12000, 0, "否", "否"]]
    path = _income_sheet(tmp_path, "F2:J2", sub, rows)
    _refused(tmp_path, path, "F2:J2", "F3", "K3「合计」")


def test_a_merge_over_a_sub_header_of_another_field_is_refused_naming_it(tmp_path):
    """Before: refused as if 是否特困人员 were missing, though it stands in J3 under 是否低保户's merge."""
    sub = [None] * 7 + ["是", "否", "是否特困人员"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, None, "√", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 0, "√", None, "否"]]
    path = _sheet(tmp_path / "特困.xlsx", [FLAG_TOP, sub], [*_down("ABCDEFG"), "H2:J2"], rows)
    message = _refused(tmp_path, path, "H2:J2", "J3「是否特困人员」", "不属于「是否低保户」")
    assert "缺少必填列" not in message


def test_an_expense_under_the_income_merge_is_refused(tmp_path):
    """Before: read as the expense it names, though the merge puts it in the income: exit 0."""
    sub = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 5000, 6000, 0, 0, 1345.99, 0, "否", "否"]]
    path = _income_sheet(tmp_path, "F2:J2", sub, rows)
    _refused(tmp_path, path, "F2:J2", "J3「家庭经营费用支出」", "不属于「家庭总收入(元)」")


def test_the_refusal_reads_in_english_when_asked(tmp_path):
    sub = ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 5000, 6000, 0, 0, 11000, 1345.99, "否", "否"]]
    path = _income_sheet(tmp_path, "F2:I2", sub, rows)
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out, "--lang", "en"), out, chinese=False,
                   names=[path.name, "前岗村"], phrases=["F2:I2", "J3", "does not line up", "merged range"])


def test_a_header_typed_beside_a_merge_is_a_column_of_its_own(tmp_path):
    """是否低保户 merged over its 是 | 否, 是否特困人员 typed in J3 beside the merge, with nothing above it.
    Before: 是否特困人员 taken for a third box of 是否低保户, and the sheet refused as lacking it."""
    sub = [None] * 7 + ["是", "否", "是否特困人员"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, None, "√", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 0, "√", None, "否"],
            [*PLACE, "丙", make_id(serial=3), 3, 10000, 0, None, "√", "是"]]
    path = _sheet(tmp_path / "旁边.xlsx", [FLAG_TOP, sub], [*_down("ABCDEFG"), "H2:I2"], rows)
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert dict(zip(led["head_name"], led["status"])) == {"甲": "candidate", "乙": "excluded_dibao",
                                                           "丙": "excluded_tekun"}


def test_an_optional_field_over_misaligned_ticks_is_not_read_and_named_among_the_columns_not_read():
    """主要困难 merged over J2:M2, its ticks 因病 | 因残 | (none) | 其他: which tick 其他 belongs to is not
    known. It decides nothing: the field is set aside, not read, its column named; the sheet is read."""
    import edgescreen.header as header
    from edgescreen.rules import load_rules

    table = header.household_table(load_rules("changchun-2019").rules)
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
           "是否低保户", "是否特困人员", "主要困难", "", "", ""]
    sub = [""] * 9 + ["因病", "因残", "", "其他"]
    grid = [top, sub, ["合隆镇", "前岗村", "甲", make_id(serial=1), "3", "10000", "0", "否", "否", "√", "", "", ""]]
    merges = [((0, c), (1, c)) for c in range(9)] + [((0, 9), (0, 12))]
    first, last, match = header.find_header(grid, table, merges)
    assert (first, last) == (0, 1) and not match.misfits
    assert "risk" not in match.columns and "J" in {ref.letter for ref in match.unknown}
    assert {"is_dibao", "is_tekun", "total_income"} <= set(match.columns)
