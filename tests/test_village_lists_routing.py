"""The screen's village lists (villages/) put an invalid household where the fix lists do: the village
it most likely belongs to (outputs/places.py likely_villages), the row saying why. Before, a household
whose 行政村 was blank got 合隆镇-(行政村未填).xlsx, one typed 新立 (not 新立村) 合隆镇-新立.xlsx and one
with its ID under 行政村 a workbook named with a masked ID, while the township sent all three to
新立村 to fix: 新立村's printed 数据有误待核实 sheet lacked them. Now every invalid household is on
exactly one village's sheet, or, when nothing places it, in its township's workbook named as the fix
lists name theirs (未能确定所属村的农户); a workbook the routing leaves empty is not written. Candidates
stay where typed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from field_checks import ledger, screen
from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import label
from edgescreen.cli import app


def _screen(path: Path, out: Path, *extra: str) -> Path:
    result = screen(path, "-o", out, "--as-of", "2020-01-01", *extra)
    assert result.exit_code == 0, result.output
    return out


def _household(name: str, village: str, **more) -> dict:
    return household(**{"行政村": village, "户主姓名": name, "家庭常住人口数": more.pop("常住", 3), **more})


def _people(names: str, village: str) -> list[dict]:
    return [_household(name, village) for name in names.split()]


def _sheet(path: Path, key: str) -> tuple[str, list[str], list[dict], str]:
    """A village workbook's sheet of `key`: (its title, the lines under it, its rows keyed by the header
    row's words, whether it is shown)."""
    ws = openpyxl.load_workbook(path)[label(key, "zh")]
    rows = list(ws.iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r[0] == "序号")
    listed = [dict(zip(rows[at], r)) for r in rows[at + 1:] if isinstance(r[0], int)]
    return rows[0][0], [r[0] for r in rows[1:at]], listed, ws.sheet_state


def _invalid_by_workbook(out: Path) -> dict[str, list[str]]:
    """Each village workbook's 数据有误待核实 households, by file name."""
    return {p.name: [r["户主姓名"] for r in _sheet(p, "sheet_invalid")[2]]
            for p in sorted((out / "villages").glob("*.xlsx"))}


def _each_invalid_household_once(out: Path) -> None:
    """Nothing lost: every invalid household of the ledger is on exactly one workbook's sheet."""
    led = ledger(out)
    listed = [name for names in _invalid_by_workbook(out).values() for name in names]
    assert sorted(listed) == sorted(led.loc[led["status"] == "invalid", "head_name"]), listed


def test_a_blank_a_spelling_and_an_id_under_the_village_are_on_the_villages_own_sheet(tmp_path):
    rows = _people("石一 石二 石三", "新立村") + [
        _household("石伟", "新立", 常住=0),       # typed without 村
        _household("秦宝林", "", 常住=0),         # left blank: 新立 on the row above
    ] + _people("石四 石五", "新立村") + [
        # pasted in another column order: its ID under 行政村, the village's name under the ID
        _household("黄景山", make_id(birth="19700411", serial=669), **{"户主身份证号": "新立村"}),
    ] + _people("石六", "新立村")
    other = _people("前一 前二 前三", "前岗村") + [_household("前四", "", 常住=0)]
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"新立村": rows, "前岗村": other})
    out = _screen(path, tmp_path / "out")

    # No workbook for 新立, (行政村未填) or a masked ID: each of their households is on a village's sheet.
    invalid = _invalid_by_workbook(out)
    assert sorted(invalid) == ["合隆镇-前岗村.xlsx", "合隆镇-新立村.xlsx"], sorted(invalid)
    assert invalid["合隆镇-新立村.xlsx"] == ["石伟", "秦宝林", "黄景山"]  # in survey order
    assert invalid["合隆镇-前岗村.xlsx"] == ["前四"]
    _each_invalid_household_once(out)
    # Only the lists: the ledger keeps each village as typed (routing once wrote into the households).
    typed = ledger(out).set_index("head_name")["village"].fillna("")
    assert (typed["石伟"], typed["秦宝林"], typed["前四"]) == ("新立", "", ""), typed
    assert typed["黄景山"] == make_id(birth="19700411", serial=669)

    title, lines, listed, shown = _sheet(out / "villages" / "合隆镇-新立村.xlsx", "sheet_invalid")
    assert title == "合隆镇新立村数据有误待核实农户名单" and shown == "visible"
    assert "以下 3 户数据有误" in lines[-1], lines
    fix = {r["户主姓名"]: r["需核实的问题"] for r in listed}
    # Each says why it is on this village's list, as its fix list says it, after what to fix.
    assert fix["石伟"].endswith("\n〔归入本村清单:本户行政村写作「新立」,与「新立村」只差写法〕"), fix["石伟"]
    assert fix["秦宝林"].endswith("\n〔归入本村清单:本户行政村未填,上方第5行是本村的农户〕"), fix["秦宝林"]
    assert fix["秦宝林"].startswith("第6行 B列「行政村」为空"), fix["秦宝林"]
    assert fix["黄景山"].endswith("\n〔归入本村清单:本户行政村一栏填的不是村名,同一行另一栏写着「新立村」〕"), fix["黄景山"]
    # The candidates stay the village's own, unrouted.
    _, _, candidates, _ = _sheet(out / "villages" / "合隆镇-新立村.xlsx", "sheet_candidates")
    assert [r["户主姓名"] for r in candidates] == ["石一", "石二", "石三", "石四", "石五", "石六"]
    _, _, qian, _ = _sheet(out / "villages" / "合隆镇-前岗村.xlsx", "sheet_invalid")
    assert qian[0]["需核实的问题"].endswith("〔归入本村清单:本户行政村未填,上方第4行是本村的农户〕"), qian

    # The fix lists send the same households to the same villages, under the same names.
    check = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    assert check.exit_code == 1, check.output
    fix_lists = sorted(p.name for p in (tmp_path / "report" / "quality-villages").glob("*.xlsx"))
    assert fix_lists == [name.replace(".xlsx", "-问题清单.xlsx") for name in sorted(invalid)], fix_lists


def test_a_candidate_typed_otherwise_keeps_its_own_list_and_a_stacked_sheets_blanks_their_block(tmp_path):
    """A candidate is never routed: 新立 not invalid keeps 合隆镇-新立.xlsx. On a sheet of two villages one
    under the other, a blank goes to the block it stands in, the first row to the village below."""
    rows = [_household("首户", "", 常住=0)] + _people("永一 永二", "永安村") + [_household("永三", "", 常住=0)] \
        + _people("太一 太二", "太平村") + [_household("太三", "", 常住=0), _household("太伟", "太平")] \
        + _people("太四 太五", "太平村")
    out = _screen(write_workbook(tmp_path / "合隆镇.xlsx", {"永安太平": rows}), tmp_path / "out")
    invalid = _invalid_by_workbook(out)
    assert sorted(invalid) == ["合隆镇-太平.xlsx", "合隆镇-太平村.xlsx", "合隆镇-永安村.xlsx"], sorted(invalid)
    assert invalid == {"合隆镇-永安村.xlsx": ["首户", "永三"], "合隆镇-太平村.xlsx": ["太三"], "合隆镇-太平.xlsx": []}
    _, _, candidates, _ = _sheet(out / "villages" / "合隆镇-太平.xlsx", "sheet_candidates")
    assert [r["户主姓名"] for r in candidates] == ["太伟"]
    _, _, yong, _ = _sheet(out / "villages" / "合隆镇-永安村.xlsx", "sheet_invalid")
    assert "下方第3行是本村的农户" in yong[0]["需核实的问题"] and "上方第4行是本村的农户" in yong[1]["需核实的问题"]
    _each_invalid_household_once(out)


def test_households_of_no_village_that_can_be_told_are_in_one_workbook_that_says_so(tmp_path):
    """A sheet whose rows name no village, one of them an ID under 行政村: one workbook for the township,
    named as its fix list (未能确定所属村的农户), never a masked ID, opened on its households with the
    township told what to do; no empty candidate list for a meeting that has no village."""
    rows = [_household("甲", "", 常住=0), _household("乙", make_id(birth="19700411", serial=669), **{"户主身份证号": ""})]
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"Sheet1": rows, "前岗村": _people("前一", "前岗村")})
    out = _screen(path, tmp_path / "out")
    invalid = _invalid_by_workbook(out)
    assert sorted(invalid) == ["合隆镇-前岗村.xlsx", "合隆镇-未能确定所属村的农户.xlsx"], sorted(invalid)
    assert invalid["合隆镇-未能确定所属村的农户.xlsx"] == ["甲", "乙"] and invalid["合隆镇-前岗村.xlsx"] == []
    _each_invalid_household_once(out)
    book = out / "villages" / "合隆镇-未能确定所属村的农户.xlsx"
    title, lines, listed, shown = _sheet(book, "sheet_invalid")
    assert title == "合隆镇未能确定所属村的农户:数据有误待核实农户名单" and shown == "visible"
    assert "请乡镇先核实每户属于哪个村" in lines[-1], lines
    assert not any("归入" in r["需核实的问题"] for r in listed)  # nothing routed them
    workbook = openpyxl.load_workbook(book)
    assert [ws.title for ws in workbook if ws.sheet_state == "visible"] == [label("sheet_invalid", "zh")]
    assert workbook.active.title == label("sheet_invalid", "zh")

    check = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    assert check.exit_code == 1, check.output
    assert [p.name for p in (tmp_path / "report" / "quality-villages").glob("*.xlsx")] == \
        ["合隆镇-未能确定所属村的农户-问题清单.xlsx"]


def test_a_row_pasted_in_another_column_order_of_no_village_is_named_by_no_id(tmp_path):
    """An ID under 行政村 and a name under 乡(镇), the village named in another cell one the run has not
    (三合村 under 户编号): not taken into 新立村, and in a workbook named as its fix list, never by the ID."""
    pasted = _people("新一 新二", "新立村") + [_household("三组", make_id(birth="19410426", serial=906),
                                                     **{"户编号": "三合村", "户主身份证号": "", "乡(镇)": "龙秀兰"})]
    path = write_workbook(tmp_path / "伏龙泉镇.xlsx", pasted)
    out = _screen(path, tmp_path / "out")
    invalid = _invalid_by_workbook(out)
    assert invalid == {"(乡镇未填)-未能确定所属村的农户.xlsx": ["三组"], "合隆镇-新立村.xlsx": []}, invalid
    _each_invalid_household_once(out)
    title, _, _, _ = _sheet(out / "villages" / "(乡镇未填)-未能确定所属村的农户.xlsx", "sheet_invalid")
    assert title == "(乡镇未填)未能确定所属村的农户:数据有误待核实农户名单"
    check = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "report")])
    assert check.exit_code == 1, check.output
    assert [p.name for p in (tmp_path / "report" / "quality-villages").glob("*.xlsx")] == \
        ["(乡镇未填)-未能确定所属村的农户-问题清单.xlsx"]


def test_english_names_the_unplaced_workbook_as_the_fix_lists_do(tmp_path):
    rows = [_household("甲", "", 常住=0)]
    path = write_workbook(tmp_path / "合隆镇.xlsx", {"Sheet1": rows, "前岗村": _people("前一", "前岗村")})
    out = _screen(path, tmp_path / "out", "--lang", "en")
    names = sorted(p.name for p in (out / "villages").glob("*.xlsx"))
    assert names == ["合隆镇-village unknown.xlsx", "合隆镇-前岗村.xlsx"], names
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-village unknown.xlsx").active
    assert ws["A1"].value == "合隆镇 households whose village cannot be told: data errors, to be verified"
