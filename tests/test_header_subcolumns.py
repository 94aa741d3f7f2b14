"""An income field broken into parts under its own header, found read wrong by an outside tester
(f08e.xlsx, exit 0): 工资性收入 merged over 小计 | 外出务工收入 | 本地务工收入, the other headers merged down
over both rows. 外出务工收入 is a loose name of 工资性收入 itself, so the parts were taken for a field's
columns, the two-row header lost to the first row alone, and row 2 became a household (blank,
invalid, 「小计」 not a number) with a village list of its own, (乡镇未填)-(行政村未填).xlsx.

The 小计 (or 合计) is the field's value and the parts are no fields of their own. Without a 小计 the
sheet is refused, naming the columns, as for a split no part of which names the field: whether the
parts are all of the wages (外出 + 本地, or 外出 + 本地 + a 其他 the form left out) or one is included in
the other cannot be told from the header, and a guessed sum decides who is a candidate; the clerk
adds one column, 小计, and runs again. Every test here but the guards failed on the code before."""

from __future__ import annotations

import json

import openpyxl
import pytest

from field_checks import assert_refused, issues, ledger, screen
from survey_builders import make_id

PLACE = ["合隆镇", "前岗村"]
TOP = ["乡镇", "村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", None, None, "家庭经营收入", "财产性收入",
       "转移性收入", "家庭生产经营性支出", "是否低保户", "是否特困人员"]


def _survey(path, parts: list[str], households: list[list], *, down: bool = True):
    """Sheet 登记表: the header of rows 1-2 with 工资性收入 merged over `parts` (F1 on), the other headers
    merged down over both rows (`down`) or left as typed on row 1, then the households."""
    top = TOP[:6] + [None] * (len(parts) - 1) + TOP[8:]
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "登记表"
    ws.append(top)
    ws.append([None] * 5 + parts + [None] * (len(top) - 5 - len(parts)))
    for row in households:
        ws.append(row)
    last = chr(ord("F") + len(parts) - 1)
    ws.merge_cells(f"F1:{last}1")
    if down:
        for k, text in enumerate(top):
            letter = chr(ord("A") + k)
            if text and letter != "F":
                ws.merge_cells(f"{letter}1:{letter}2")
    book.save(path)
    return path


def _household(name: str, serial: int, wages: list, business, transfer) -> list:
    return [*PLACE, name, make_id(serial=serial), 3, *wages, business, 0, transfer, 2000, "否", "否"]


def _screened(tmp_path, path):
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    return out


SPLITS = {  # the parts as typed, and where the 小计 stands among them
    "小计 first": (["小计", "外出务工收入", "本地务工收入"], 0),
    "合计 last": (["外出务工收入", "本地务工收入", "合计"], 2),
    "小计 between": (["外出务工收入", "小计", "本地务工收入"], 1),
}


@pytest.mark.parametrize("down", [True, False], ids=["merged down", "typed on row 1"])
@pytest.mark.parametrize("split", list(SPLITS))
def test_a_wage_split_with_a_subtotal_is_read_from_it_and_its_header_row_is_no_household(tmp_path, split, down):
    """Before: 表头在第 1 行, 3 households: row 2 an invalid one in (乡镇未填)-(行政村未填).xlsx."""
    parts, at = SPLITS[split]

    def wages(subtotal, outside, local):
        values = [outside, local]
        values.insert(at, subtotal)
        return values

    # A part read as the wages, or the parts added to the 小计, would move each total by thousands.
    households = [_household("甲", 1, wages(6543.21, 4000, 2543.21), 5000, 1000.01),
                  _household("乙", 2, wages(9000, 6000, 3000), 3000, 0)]
    out = _screened(tmp_path, _survey(tmp_path / "f08e.xlsx", parts, households, down=down))
    led = ledger(out)
    assert list(led["row"]) == ["3", "4"] and list(led["head_name"]) == ["甲", "乙"]
    # 6543.21 + 5000 + 0 + 1000.01 and 9000 + 3000 + 0 + 0: the 小计, to the fen, and nothing beside it
    assert list(led["total_income"]) == ["12543.22", "12000.00"]
    assert list(led["status"]) == ["candidate", "candidate"]
    assert [p.name for p in (out / "villages").iterdir()] == ["合隆镇-前岗村.xlsx"]
    sheets = json.loads((out / "run.json").read_text(encoding="utf-8"))["inputs"][0]["sheets"]
    assert [(s["header_rows"], s["households"]) for s in sheets] == [([1, 2], 2)]
    found = issues(out)
    assert "2" not in set(found["row"]) and "error" not in set(found["severity"])


def test_a_subtotal_left_blank_is_the_sum_of_the_parts(tmp_path):
    households = [_household("甲", 1, [None, 4000, 2543.21], 5000, 1000.01)]
    out = _screened(tmp_path, _survey(tmp_path / "blank.xlsx", ["小计", "外出务工收入", "本地务工收入"], households))
    led = ledger(out)
    assert list(led["row"]) == ["3"] and list(led["total_income"]) == ["12543.22"]


def test_a_subtotal_that_differs_from_its_parts_is_an_error_on_that_household(tmp_path):
    households = [_household("甲", 1, [6000, 4000, 3000], 5000, 1000),
                  _household("乙", 2, [6000, 4000, 2000], 5000, 1000)]
    out = _screened(tmp_path, _survey(tmp_path / "differs.xlsx", ["小计", "外出务工收入", "本地务工收入"], households))
    led = ledger(out)
    assert list(led["row"]) == ["3", "4"] and list(led["status"]) == ["invalid", "candidate"]
    errors = issues(out).query("severity == 'error'")
    assert set(errors["row"]) == {"3"}


@pytest.mark.parametrize("down", [True, False], ids=["merged down", "typed on row 1"])
def test_a_wage_split_without_a_subtotal_is_refused_naming_its_columns(tmp_path, down):
    """Before: read with row 2 a household and 工资性收入 from the first part alone."""
    households = [_household("甲", 1, [4000, 2000], 5000, 1000)]
    path = _survey(tmp_path / "f08e.xlsx", ["外出务工收入", "本地务工收入"], households, down=down)
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out), out, names=["f08e.xlsx"],
                   phrases=["登记表", "F「工资性收入/外出务工收入」", "G「工资性收入/本地务工收入」", "小计"])


def test_guard_a_split_whose_parts_name_nothing_is_still_refused(tmp_path):
    """The tester's f08d: 外出务工 | 本地务工, no 小计 (refused before too)."""
    path = _survey(tmp_path / "f08d.xlsx", ["外出务工", "本地务工"], [_household("甲", 1, [4000, 2000], 5000, 1000)])
    out = tmp_path / "out"
    assert_refused(screen(path, "-o", out), out, names=["f08d.xlsx"],
                   phrases=["登记表", "F「工资性收入/外出务工」", "G「工资性收入/本地务工」", "小计"])


def test_guard_the_field_itself_beside_one_of_its_parts_is_read_from_the_field(tmp_path):
    """工资性收入 over 工资性收入 | 其中:务工收入: every sub-header names the field, the plainest is read
    (as before)."""
    households = [_household("甲", 1, [6000.5, 4000], 5000, 1000)]
    out = _screened(tmp_path, _survey(tmp_path / "own.xlsx", ["工资性收入", "其中:务工收入"], households))
    led = ledger(out)
    assert list(led["row"]) == ["3"] and list(led["total_income"]) == ["12000.50"]


def test_guard_a_group_header_over_its_components_and_their_total(tmp_path):
    """家庭总收入 over the four components and 合计 (sample_data's layout), merged and unmerged."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "登记表"
    ws.append(["乡镇", "村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入(元)", None, None, None, None,
               "家庭生产经营性支出", "是否低保户", "是否特困人员"])
    ws.append([None] * 5 + ["工资性", "家庭经营", "财产性", "转移性", "合计"] + [None] * 3)
    ws.append([*PLACE, "甲", make_id(serial=1), 3, 6000, 5000, 0, 1000.01, 12000.01, 2000, "否", "否"])
    ws.merge_cells("F1:J1")
    book.save(tmp_path / "group.xlsx")
    led = ledger(_screened(tmp_path, tmp_path / "group.xlsx"))
    assert list(led["row"]) == ["3"] and list(led["total_income"]) == ["12000.01"]
