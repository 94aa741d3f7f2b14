"""A member on another family's 低保 case (孙静梅, on her father 杜永山's) leaves 覃宝's household a candidate
with a 疑点 (roster_other_household). Its short 疑点 word, on the 候选名单 and the 核实清单, said only 「低保」:
read at the meeting as "this household is on 低保", the very thing the screen decided it is not. It says
whose case it is (「低保(他户)」); a household on the roster in its own right, and another roster's flag,
keep their words."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from test_request_list import statuses
from test_roster_other_household_and_lost_id import _county
from test_rosters import AS_OF, run, write_sheets

WORKBOOK = "伏龙泉镇-永丰村.xlsx"


def _screen(tmp_path, lang: str):
    """覃宝's 儿媳 on 杜永山's 低保 case, 王大's wife on his father's (who lives with him: 王大's own case), and
    李四's wife on the vehicle register; screened under `lang`."""
    survey, ids = _county(tmp_path)
    du = make_id("19480808", serial=31)
    dibao = write_sheets(tmp_path / "巴吉垒镇低保人员.xlsx", {"低保人员": (
        ["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "与户主关系", "身份证号"], [
            [1, "巴吉垒镇", "光明村", "杜永山", du, "杜永山", "户主", du],
            [2, "巴吉垒镇", "光明村", "杜永山", du, "孙静梅", "女", ids["孙静梅"]],
            [3, "伏龙泉镇", "永丰村", "王老", ids["王老"], "王妻", "儿媳", ids["王妻"]]])})
    vehicle = write_sheets(tmp_path / "机动车.xlsx", {"机动车": (
        ["所有人", "身份证号", "号牌号码"], [["李妻", ids["李妻"], "吉A12345"]])})
    out = tmp_path / f"out-{lang}"
    done = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", "--lang", lang,
               "--roster", f"dibao={dibao}", "--roster", f"vehicle={vehicle}")
    assert done.exit_code == 0, done.output
    return out


def _rows(sheet, name_header: str, column: str) -> dict[str, dict[str, object]]:
    """The sheet's rows under the header holding `column`, by head's name: {header: cell}."""
    grid = [[c.value for c in row] for row in sheet.iter_rows()]
    at = next(i for i, r in enumerate(grid) if column in r and name_header in r)
    header = grid[at]
    return {r[header.index(name_header)]: dict(zip(header, r)) for r in grid[at + 1:] if r[header.index(name_header)]}


def _text(sheet) -> str:
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def test_the_doubt_of_a_member_on_another_familys_dibao_says_whose_case(tmp_path):
    out = _screen(tmp_path, "zh")
    got = statuses(out)
    assert got["覃宝"] == "candidate" and got["李四"] == "candidate" and got["王大"] == "excluded_dibao", got
    book = openpyxl.load_workbook(out / "villages" / WORKBOOK)
    # The review list (候选名单): its 疑点 column.
    listed = _rows(book.worksheets[0], "户主姓名", "疑点")
    assert listed["覃宝"]["疑点"] == "低保(他户)", listed["覃宝"]
    assert listed["李四"]["疑点"] == "车辆", listed["李四"]  # a flag roster's word as before
    assert "王大" not in listed
    # 王大's household, on 低保 in its own right, is named above the list with the roster's own word.
    said = _text(book.worksheets[0])
    assert "王大(" in said and "低保名单" in said and "王大(低保(他户)" not in said, said
    # The 核实清单: the same 疑点, the matched member's line says it too, what to verify unchanged.
    verify = _rows(book["核实清单"], "户主姓名", "入户核实内容")
    qin = verify["覃宝"]
    assert qin["疑点"] == "低保(他户)", qin
    assert "孙静梅" in qin["比对到的成员"] and qin["比对到的成员"].endswith(":低保(他户)"), qin
    assert qin["入户核实内容"].startswith("低保:名单上此人属于 杜永山 户(光明村),不是本户"), qin
    assert verify["李四"]["疑点"] == "车辆", verify["李四"]
    assert verify["李四"]["比对到的成员"].endswith(":车辆"), verify["李四"]
    assert "王大" not in verify


def test_under_english_the_doubt_says_another_households_case(tmp_path):
    out = _screen(tmp_path, "en")
    book = openpyxl.load_workbook(out / "villages" / WORKBOOK)
    listed = _rows(book.worksheets[0], "head of household", "flags")
    assert listed["覃宝"]["flags"] == "dibao (another household's case)", listed["覃宝"]
    assert listed["李四"]["flags"] == "vehicle", listed["李四"]
    verify = _rows(book["roster leads"], "head of household", "flags")
    assert verify["覃宝"]["flags"] == "dibao (another household's case)", verify["覃宝"]
    assert verify["李四"]["flags"] == "vehicle", verify["李四"]
