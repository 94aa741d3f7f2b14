"""Headers of more than one row as county forms print them, found read wrong by an outside tester on
2026-12-03 (each exit 0, decisions wrong): 是否低保户 merged over two tick columns 是 | 否 (the row below
the header became a household, the income group was read from its first column alone); a header of
three rows (家庭收支情况 over 家庭总收入 over its components); a component broken down under its own
header (转移性收入 over 低保金 | 养老金 | 其他 | 小计); a row of units under the header (人 / 元); 主要困难
merged over tick columns 因病 | 因残 | 因学. Each must read every household once, from the right
columns, or refuse the sheet naming the columns it cannot read. Every test here failed on the code
before, except the guard at the end."""

from __future__ import annotations

import openpyxl
import pytest

from field_checks import assert_refused, issues, ledger, screen
from survey_builders import make_id

PLACE = ["合隆镇", "前岗村"]


def _sheet(path, header_rows: list[list], merges: list[str], rows: list[list]):
    """A title row, then the header rows and the households, merged as given (A1 notation)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "前岗村"
    ws.append(["合隆镇前岗村贫困边缘户入户登记表"])
    for row in header_rows + rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    book.save(path)
    return path


def _down(columns: str, top: int, bottom: int) -> list[str]:
    """Each column letter merged from row `top` down to `bottom`."""
    return [f"{c}{top}:{c}{bottom}" for c in columns]


def _decided(tmp_path, path) -> dict[str, tuple[str, str]]:
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    return {name: (status, pc) for name, status, pc in zip(led["head_name"], led["status"], led["per_capita_income"])}


@pytest.mark.parametrize("order", [("是", "否"), ("否", "是")])
def test_yes_no_tick_columns_under_a_flag_and_an_income_group_over_its_components(tmp_path, order):
    """Before: the header read as one row; row 3 (是 | 否) a household; 家庭总收入 read from the
    工资性收入 column, so 甲 (9654.01 over 3) came out below the line and 乙 (12000 over 3, 4000.00)
    below it too; with 否 | 是 the flags came out the other way round."""
    yes, no = order
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入(元)", None, None, None, None,
           "家庭生产经营性支出(元)", "是否低保户", None, "是否特困人员", None]
    sub = [None] * 5 + ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计", None, yes, no, yes, no]

    def flags(dibao: str, tekun: str) -> list:
        """The two pairs of boxes, the answer's box ticked."""
        return ["√" if label == answer else None for answer in (dibao, tekun) for label in order]

    rows = [[*PLACE, "甲", make_id(serial=1), 3, 5000, 6000, 0, 0, 11000, 1345.99, *flags("否", "否")],
            [*PLACE, "乙", make_id(serial=2), 3, 2000, 8000, 1000, 1000, 12000, 0, *flags("否", "否")],
            [*PLACE, "丙", make_id(serial=3), 3, 5000, 4000, 0, 1000, 10000, 0, *flags("是", "否")],
            [*PLACE, "丁", make_id(serial=4), 3, 5000, 4000, 0, 1000, 10000, 0, *flags("否", "是")]]
    path = _sheet(tmp_path / "ticks.xlsx", [top, sub], [*_down("ABCDEK", 2, 3), "F2:J2", "L2:M2", "N2:O2"], rows)
    assert _decided(tmp_path, path) == {"甲": ("candidate", "3218.01"), "乙": ("above_limit", "4000.00"),
                                        "丙": ("excluded_dibao", "3333.33"), "丁": ("excluded_tekun", "3333.33")}
    found = issues(tmp_path / "out")  # warnings of the households' own (business income without costs)
    assert set(found["row"]) <= {"4", "5", "6", "7"} and set(found["severity"]) <= {"warning"}


def test_both_boxes_ticked_is_a_yes_no_no_one_can_read(tmp_path):
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
           "是否低保户", None, "是否特困人员", None]
    sub = [None] * 7 + ["是", "否", "是", "否"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, "√", "√", None, "√"],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 0, None, "√", None, "√"]]
    path = _sheet(tmp_path / "both.xlsx", [top, sub], [*_down("ABCDEFG", 2, 3), "H2:I2", "J2:K2"], rows)
    decided = _decided(tmp_path, path)
    assert decided["甲"][0] == "invalid" and decided["乙"] == ("candidate", "3333.33")
    found = issues(tmp_path / "out")
    assert list(found["code"]) == ["flag_unrecognized"] and list(found["row"]) == ["4"]


def test_a_header_of_three_rows(tmp_path):
    """Before: 表头在第 2-3 行; row 4 (the components) an invalid household, and 家庭总收入 read from the
    工资性收入 column: 甲 below the line, 乙 (28000 over 7) below it at 2571.43."""
    r2 = ["序号", "乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭收支情况(元)"] + [None] * 8 + \
        ["是否低保户", "是否特困人员"]
    r3 = [None] * 6 + ["家庭总收入", None, None, None, None, "家庭生产经营性支出", None, None, None, None, None]
    r4 = [None] * 6 + ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计", "家庭经营费用支出",
                       "生产性固定资产折旧", "税金和上交承包费用", "合计", None, None]
    rows = [[1, *PLACE, "甲", make_id(serial=1), 3, 5000, 6000, 0, 0, 11000, 1345.99, 0, 0, 1345.99, "否", "否"],
            [2, *PLACE, "乙", make_id(serial=2), 7, 20000, 10000, 0, 0, 30000, 2000, 0, 0, 2000, "否", "否"]]
    path = _sheet(tmp_path / "three.xlsx", [r2, r3, r4], [*_down("ABCDEFPQ", 2, 4), "G2:O2", "G3:K3", "L3:O3"], rows)
    assert _decided(tmp_path, path) == {"甲": ("candidate", "3218.01"), "乙": ("above_limit", "4000.00")}


def _transfers(tmp_path, labels: list[str]):
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入",
           "转移性收入"] + [None] * (len(labels) - 1) + ["家庭生产经营性支出", "是否低保户", "是否特困人员"]
    sub = [None] * 8 + labels + [None] * 3
    last = chr(ord("I") + len(labels) - 1)
    after = "".join(chr(ord(last) + k) for k in (1, 2, 3))

    def row(name, serial, wages, parts):
        shown = parts if "小计" in labels else parts[:-1]
        return [*PLACE, name, make_id(serial=serial), 3, wages, 0, 0, *shown, 0, "否", "否"]

    rows = [row("甲", 1, 5000, [0, 3654.01, 1000, 4654.01]), row("乙", 2, 8000, [0, 3000, 1000, 4000])]
    return _sheet(tmp_path / "transfers.xlsx", [top, sub], [*_down("ABCDEFGH" + after, 2, 3), f"I2:{last}2"], rows)


def test_a_component_broken_down_under_its_own_header_is_read_from_its_subtotal(tmp_path):
    """Before: 转移性收入 read from the 低保金 column (0): 甲 (9654.01 over 3) below the line."""
    path = _transfers(tmp_path, ["低保金", "养老金", "其他", "小计"])
    assert _decided(tmp_path, path) == {"甲": ("candidate", "3218.01"), "乙": ("above_limit", "4000.00")}


def test_a_component_broken_down_without_a_subtotal_is_refused_naming_its_columns(tmp_path):
    path = _transfers(tmp_path, ["低保金", "养老金", "其他"])
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out), out, names=["transfers.xlsx"],
                   phrases=["转移性收入", "I「转移性收入/低保金」", "K「转移性收入/其他」", "小计"])


@pytest.mark.parametrize("unit, wages", [("元", 9654.01), ("万元", 0.965401)])
def test_a_units_row_under_the_header_is_header(tmp_path, unit, wages):
    """Before: the row of units a household of its own, invalid, in a village list named
    (乡镇未填)-(行政村未填); 「家庭常住人口数」为空 said of a cell holding 人."""
    header = ["序号", "乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入",
              "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    units = [None, None, None, None, None, "人", unit, unit, None, None]
    rows = [[1, *PLACE, "丙", make_id(serial=1), 3, wages, 0, "否", "否"],
            [2, *PLACE, "丁", make_id(serial=2), 7, 28000 if unit == "元" else 2.8, 0, "否", "否"]]
    path = _sheet(tmp_path / "units.xlsx", [header, units], [], rows)
    assert _decided(tmp_path, path) == {"丙": ("candidate", "3218.01"),
                                        "丁": ("above_limit", "4000.00")}
    assert [p.name for p in (tmp_path / "out" / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]


def test_tick_columns_under_main_difficulty_are_read_as_the_difficulties_ticked(tmp_path):
    """Before: the row 因病 | 因残 | … a household; 主要困难 read from the 因病 column, so 甲's list row
    said √ and 乙's tick under 因学 was lost."""
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
           "是否低保户", "是否特困人员", "主要困难", None, None, None, None]
    sub = [None] * 9 + ["因病", "因残", "因学", "因灾", "其他"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, "否", "否", "√", None, None, None, None],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 0, "否", "否", None, "×", "√", None, "缺劳力"],
            [*PLACE, "丙", make_id(serial=3), 3, 10000, 0, "否", "否", None, None, None, None, None]]
    path = _sheet(tmp_path / "difficulty.xlsx", [top, sub], [*_down("ABCDEFGHI", 2, 3), "J2:N2"], rows)
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    led = ledger(out)
    assert list(led["head_name"]) == ["甲", "乙", "丙"] and set(led["status"]) == {"candidate"}
    listed = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")["候选名单"]
    rows = [[c.value for c in row] for row in listed.iter_rows()]
    header = next(r for r in rows if "主要困难" in r)
    said = {r[header.index("户主姓名")]: r[header.index("主要困难")] or "" for r in rows[rows.index(header) + 1:]
            if r[header.index("户主姓名")] in ("甲", "乙", "丙")}
    assert said == {"甲": "因病", "乙": "因学、其他(缺劳力)", "丙": ""}


def test_a_title_line_above_a_one_row_header_stays_out_of_it(tmp_path):
    """The guard: a title merged across the table above a one-row header is no header row, however
    the rows below it read."""
    header = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
              "是否低保户", "是否特困人员"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, "否", "否"]]
    path = _sheet(tmp_path / "title.xlsx", [header], ["A1:I1"], rows)
    out = tmp_path / "out"
    assert screen(path, "-o", out).exit_code == 0
    led = ledger(out)
    assert list(led["row"]) == ["3"] and list(led["status"]) == ["candidate"]


def test_a_tiny_household_in_a_sheet_read_in_wan_is_not_asked_if_it_was_typed_in_wan(tmp_path):
    """Before (tester, 2026-12-03): a sheet whose amounts are read in 万元, a household of 0.0009654
    万 (9.65 yuan) was asked "是否整户误按万元填写?", which it was, rightly. Its unit is what to check."""
    header = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
              "是否低保户", "是否特困人员"]
    units = [None, None, None, None, "人", "万元", "万元", None, None]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 0.965401, 0, "否", "否"],
            [*PLACE, "乙", make_id(serial=2), 3, 0.000965, 0, "否", "否"]]  # 9.65 yuan: no part below the fen
    out = tmp_path / "out"
    assert screen(_sheet(tmp_path / "wan.xlsx", [header, units], [], rows), "-o", out).exit_code == 0
    found = issues(out)
    assert list(found["code"]) == ["amount_unit_suspect"] and list(found["head_name"]) == ["乙"]
    assert "本表金额按万元读取" in found["message"].iloc[0] and "9.65" in found["message"].iloc[0]
    assert "是否整户误按万元填写" not in found["message"].iloc[0]


# ---------------------------------------------------------------------------------------------
# A second tester's variants (2026-12-03), each failing on the first build of these layouts


def test_a_units_row_under_a_header_of_two_rows_is_its_third_and_gives_the_unit(tmp_path):
    """Before: the units row a household of its own, and 万元 in it not applied (李一's 0.8 万 read as
    0.80 yuan, below the line)."""
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", None, None, None, None,
           "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    sub = [None] * 5 + ["工资性收入", "家庭经营收入", "财产性收入", "转移性收入", "合计", None, None, None]
    units = [None, None, None, None, "人", "万元", "万元", "万元", "万元", "万元", "万元", None, None]
    rows = [[*PLACE, "李一", make_id(serial=1), 2, 0.5, 0.3, 0, 0, 0.8, 0.1, "否", "否"]]
    path = _sheet(tmp_path / "units2.xlsx", [top, sub, units], [*_down("ABCDEKLM", 2, 3), "F2:J2"], rows)
    assert _decided(tmp_path, path) == {"李一": ("candidate", "3500.00")}


def test_a_household_file_named_like_a_summary_with_its_head_columns_mistyped_is_told_what_is_missing(tmp_path):
    """Before: 汇总后的登记表.xlsx (户主性名, 户主身分证号) passed over as a summary, its households lost,
    and check said the folder could be sent."""
    folder = tmp_path / "合隆镇"
    folder.mkdir()
    header = ["乡(镇)", "行政村", "户主性名", "户主身分证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
              "是否低保户", "是否特困人员"]
    _sheet(folder / "汇总后的登记表.xlsx", [header], [], [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, "否", "否"]])
    good = ["户主姓名" if h == "户主性名" else "户主身份证号" if h == "户主身分证号" else h for h in header]
    _sheet(folder / "新立村.xlsx", [good], [], [[*PLACE, "乙", make_id(serial=2), 3, 10000, 0, "否", "否"]])
    out = tmp_path / "out"
    assert_refused(screen(folder, "-o", out), out, names=["汇总后的登记表.xlsx"], phrases=["户主姓名"])


def test_a_subtotal_left_blank_is_the_sum_beside_it_and_one_that_differs_is_an_error(tmp_path):
    """Before: 吴一's blank 小计 read as 0 (低保金 0, 养老金 2400, 其他 600: below the line, really a
    candidate at 3,333.33); 吴二's 小计 of 300 beside parts of 3,000 raised nothing."""
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入",
           "转移性收入", None, None, None, "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    sub = [None] * 8 + ["低保金", "养老金", "其他", "小计", None, None, None]
    rows = [[*PLACE, "吴一", make_id(serial=1), 3, 7000, 0, 0, 0, 2400, 600, None, 0, "否", "否"],
            [*PLACE, "吴二", make_id(serial=2), 3, 7000, 0, 0, 0, 2400, 600, 300, 0, "否", "否"]]
    path = _sheet(tmp_path / "subtotal.xlsx", [top, sub], [*_down("ABCDEFGHMNO", 2, 3), "I2:L2"], rows)
    decided = _decided(tmp_path, path)
    assert decided["吴一"] == ("candidate", "3333.33") and decided["吴二"][0] == "invalid"
    found = issues(tmp_path / "out")
    said = found[found["head_name"] == "吴二"]
    assert list(said["cell"]) == ["L5"] and "300 ≠ 低保金+养老金+其他 = 3000.00" in said["message"].iloc[0]


@pytest.mark.parametrize("chosen, other", [("●", "○"), ("☑", "□"), ("√", None)])
def test_tick_pairs_marked_with_filled_and_empty_boxes(tmp_path, chosen, other):
    """Before: ●/○ both counted as ticks: every household invalid (「是否低保户/是」为「○/●」)."""
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
           "是否低保户", None, "是否特困人员", None]
    sub = [None] * 7 + ["是", "否", "是", "否"]
    rows = [[*PLACE, "甲", make_id(serial=1), 3, 10000, 0, other, chosen, other, chosen],
            [*PLACE, "乙", make_id(serial=2), 3, 10000, 1000, chosen, other, other, chosen],
            [*PLACE, "丙", make_id(serial=3), 3, 10000, 0, chosen, chosen, other, chosen]]
    path = _sheet(tmp_path / "boxes.xlsx", [top, sub], [*_down("ABCDEFG", 2, 3), "H2:I2", "J2:K2"], rows)
    decided = _decided(tmp_path, path)
    assert [decided[n][0] for n in ("甲", "乙", "丙")] == ["candidate", "excluded_dibao", "invalid"]
    found = issues(tmp_path / "out")
    both = found[found["head_name"] == "丙"]
    assert list(both["code"]) == ["flag_unrecognized"] and f"是{chosen} 否{chosen}" in both["message"].iloc[0]


def test_members_split_by_sex_beside_the_residents_are_left_unread_not_refused(tmp_path):
    """Before: the whole sheet refused because 家庭人口数 stood over 男 | 女, though the screen needs
    only 家庭常住人口数 (and the refusal offered a 小计 for a count of people)."""
    top = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭人口数", None, "家庭常住人口数", "家庭总收入",
           "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    sub = [None] * 4 + ["男", "女"] + [None] * 5
    rows = [[*PLACE, "甲", make_id(serial=1), 2, 1, 3, 10000, 0, "否", "否"]]
    path = _sheet(tmp_path / "sexes.xlsx", [top, sub], [*_down("ABCDGHIJK", 2, 3), "E2:F2"], rows)
    assert _decided(tmp_path, path) == {"甲": ("candidate", "3333.33")}


def test_a_split_field_in_a_csv_export_is_read_as_in_a_workbook(tmp_path):
    """Before: 内部错误(ValueError): a text file's columns are read-only and the pair was written into them."""
    lines = ["乡(镇),行政村,户主姓名,户主身份证号,家庭常住人口数,家庭总收入,家庭生产经营性支出,是否低保户,,是否特困人员",
             ",,,,,,,是,否,",
             f"合隆镇,前岗村,甲,{make_id(serial=1)},3,10000,0,,√,否",
             f"合隆镇,前岗村,乙,{make_id(serial=2)},3,10000,1000,√,,否"]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="gb18030")
    assert {k: v[0] for k, v in _decided(tmp_path, path).items()} == {"甲": "candidate", "乙": "excluded_dibao"}


def test_rows_below_a_header_naming_every_field_are_not_tried_as_headers(monkeypatch):
    """A 10,000-column export took 69-75 s with headers of up to four rows tried at each of the forty
    top rows (36 s before them): the households below a header that names every field are no header.
    (The time is the bench's to measure; here, that they are not tried.)"""
    import edgescreen.header as header
    from edgescreen.rules import load_rules

    table = header.household_table(load_rules("changchun-2019").rules)
    names = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
             "是否低保户", "是否特困人员"]
    grid = [["某县调查表"] + [""] * 8, names] + \
        [["合隆镇", "前岗村", f"户主{i}", make_id(serial=i + 1), "3", "10000", "0", "否", "否"] for i in range(38)]
    tried = []
    real = header._match_headers
    monkeypatch.setattr(header, "_match_headers", lambda texts, typed, t: tried.append(1) or real(texts, typed, t))
    first, last, match = header.find_header(grid, table)
    assert (first, last) == (1, 1) and set(match.columns) >= {"head_id", "residents", "total_income"}
    assert len(tried) <= 4 * 6, len(tried)  # the title, the header and the three rows after it
