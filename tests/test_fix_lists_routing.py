"""A township's fix lists (quality-villages/) reach the village each row most likely belongs to. An
outside try (合隆镇, 12 villages, 2026-12-06): a row whose 行政村 was left blank went to
(行政村未填)-问题清单.xlsx, one typed 新立 (not 新立村) to a 新立 list of its own, and one pasted in another
column order (its ID under 行政村) to 合隆镇-220122########0669-问题清单.xlsx, titled with a masked ID:
新立村's staff needed three files, and nobody knew who got the third. The issues stay as they are (the
cell is wrong and is said so); the row's list is its village's, the row saying why it is there; only
rows of no village that can be told go to a list of their own, named so. And an ID Excel stored as a
number showed on a fix list as *.**************e+17, nothing to find the row by: it shows the digits
Excel kept, masked as an ID is."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from field_checks import issues
from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app


def _check(path: Path, out: Path):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out)])
    assert result.exit_code == 1, result.output
    return result


def _lists(out: Path) -> dict[str, tuple[str, list[dict]]]:
    """Each fix list by file name: (its title, its rows keyed by the header row's words)."""
    found = {}
    for path in sorted((out / "quality-villages").glob("*.xlsx")):
        rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r[0] == "序号")
        header = rows[at]
        found[path.name] = (rows[0][0], rows[1][0],
                            [dict(zip(header, r)) for r in rows[at + 1:] if r[0] is not None])
    return found


def _household(name: str, village: str, **more) -> dict:
    return household(**{"行政村": village, "户主姓名": name, "家庭常住人口数": more.pop("常住", 3), **more})


def _people(names: str, village: str) -> list[dict]:
    return [_household(name, village) for name in names.split()]


def test_a_blank_a_spelling_and_an_id_under_the_village_reach_the_villages_own_list(tmp_path):
    rows = _people("石一 石二 石三", "新立村") + [
        _household("石伟", "新立", 常住=0),       # typed without 村
        _household("秦宝林", "", 常住=0),         # left blank: 新立 filled on the row above
    ] + _people("石四 石五", "新立村") + [
        # pasted in another column order: its ID under 行政村, the village's name under the ID
        _household("黄景山", make_id(birth="19700411", serial=669), **{"户主身份证号": "新立村"}),
    ] + _people("石六", "新立村")
    other = _people("前一 前二 前三", "前岗村") + [_household("前四", "", 常住=0)]
    out = tmp_path / "out"
    _check(write_workbook(tmp_path / "合隆镇.xlsx", {"新立村": rows, "前岗村": other}), out)

    lists = _lists(out)
    assert sorted(lists) == ["合隆镇-前岗村-问题清单.xlsx", "合隆镇-新立村-问题清单.xlsx"], sorted(lists)
    title, _, listed = lists["合隆镇-新立村-问题清单.xlsx"]
    assert title == "合隆镇新立村数据质量问题清单"
    by_name = {}
    for r in listed:
        by_name.setdefault(r["户主姓名"], []).append(r)
    assert {"石伟", "秦宝林", "黄景山"} <= set(by_name), sorted(by_name)
    # Each routed row says why it is on this list; the village's own rows say nothing of the kind.
    assert all("〔归入本村清单:本户行政村写作「新立」,与「新立村」只差写法〕" in r["说明"] for r in by_name["石伟"])
    assert all("〔归入本村清单:本户行政村未填,上方第5行是本村的农户〕" in r["说明"] for r in by_name["秦宝林"])
    # Pasted in another column order: the village's name in another of its cells.
    assert all("〔归入本村清单:本户行政村一栏填的不是村名,同一行另一栏写着「新立村」〕" in r["说明"]
               for r in by_name["黄景山"]), by_name["黄景山"]
    assert not any("归入" in r["说明"] for name in ("石一", "石六") for r in by_name.get(name, []))
    # The issues stay as they were: the cell is wrong and is said so.
    said = issues(out).fillna("").astype(str)
    village = said[said["field"] == "village"].set_index("head_name")
    assert village.loc["石伟", "code"] == "place_names_similar" and village.loc["石伟", "village"] == "新立"
    assert village.loc["秦宝林", "code"] == "missing_value"
    assert "value_in_wrong_field" in set(said.loc[said["head_name"] == "黄景山", "code"])
    # A blank under another sheet's rows: that sheet's village, its own note.
    _, _, qian = lists["合隆镇-前岗村-问题清单.xlsx"]
    assert [r["户主姓名"] for r in qian] and {r["户主姓名"] for r in qian} == {"前四"}
    assert "上方第4行是本村的农户" in qian[0]["说明"]


def test_a_stacked_sheets_blanks_go_to_their_own_block_and_the_first_to_the_village_below(tmp_path):
    rows = [_household("首户", "", 常住=0)] + _people("永一 永二", "永安村") + [_household("永三", "", 常住=0)] \
        + _people("太一 太二", "太平村") + [_household("太三", "", 常住=0)] + _people("太四", "太平村")
    out = tmp_path / "out"
    _check(write_workbook(tmp_path / "合隆镇.xlsx", {"永安太平": rows}), out)
    lists = _lists(out)
    assert sorted(lists) == ["合隆镇-太平村-问题清单.xlsx", "合隆镇-永安村-问题清单.xlsx"], sorted(lists)
    yong = {r["户主姓名"]: r["说明"] for r in lists["合隆镇-永安村-问题清单.xlsx"][2]}
    tai = {r["户主姓名"]: r["说明"] for r in lists["合隆镇-太平村-问题清单.xlsx"][2]}
    assert set(yong) == {"首户", "永三"} and set(tai) == {"太三"}, (yong, tai)
    assert "下方第3行是本村的农户" in yong["首户"] and "上方第4行是本村的农户" in yong["永三"]
    assert "上方第7行是本村的农户" in tai["太三"]


def test_rows_of_no_village_that_can_be_told_go_to_a_list_that_says_so(tmp_path):
    """A sheet whose rows name no village at all, one of them an ID under 行政村: one list, for the
    township, named and titled for what it is; never a masked ID. A row pasted in another column
    order whose cells name a village of another township's returns (三合村 under 户编号) is not taken
    into the village of the rows near it."""
    rows = [_household("甲", "", 常住=0), _household("乙", make_id(birth="19700411", serial=669), **{"户主身份证号": ""})]
    out = tmp_path / "out"
    _check(write_workbook(tmp_path / "合隆镇.xlsx", {"Sheet1": rows, "前岗村": _people("前一", "前岗村")}), out)
    lists = _lists(out)
    assert sorted(lists) == ["合隆镇-未能确定所属村的农户-问题清单.xlsx"], sorted(lists)
    title, note, listed = lists["合隆镇-未能确定所属村的农户-问题清单.xlsx"]
    assert title == "合隆镇未能确定所属村的农户:数据质量问题清单"
    assert "请乡镇先核实每户属于哪个村,再转给该村改正" in note, note
    assert {r["户主姓名"] for r in listed} == {"甲", "乙"}
    assert not any("#" in name or "****" in name for name in lists)

    pasted = _people("新一 新二", "新立村") + [_household("三组", make_id(birth="19410426", serial=906),
                                                     **{"户编号": "三合村", "户主身份证号": "", "乡(镇)": "龙秀兰"})]
    out = tmp_path / "pasted"
    _check(write_workbook(tmp_path / "伏龙泉镇.xlsx", pasted), out)
    assert sorted(_lists(out)) == ["(乡镇未填)-未能确定所属村的农户-问题清单.xlsx"], sorted(_lists(out))


def test_a_row_naming_another_township_is_not_taken_into_a_village_of_this_one(tmp_path):
    rows = _people("前一 前二", "前岗村") + [_household("外户", "", 常住=0, **{"乡(镇)": "华家镇"})]
    out = tmp_path / "out"
    _check(write_workbook(tmp_path / "合隆镇.xlsx", rows), out)
    lists = _lists(out)
    assert sorted(lists) == ["华家镇-未能确定所属村的农户-问题清单.xlsx"], sorted(lists)


def test_an_id_stored_as_a_number_shows_the_digits_excel_kept_masked(tmp_path):
    rows = _people("东一 东二", "东升村")
    rows[1]["户主身份证号"] = 220122195802276000.0  # a number cell, as Excel keeps an ID typed without '
    out = tmp_path / "out"
    _check(write_workbook(tmp_path / "town.xlsx", rows), out)
    _, _, listed = _lists(out)["合隆镇-东升村-问题清单.xlsx"]
    row = next(r for r in listed if r["表头"] == "户主身份证号")
    assert row["填写内容"] == "220122********6000", row
    assert "「220122********6000」:身份证号被 Excel 存成了数字" in row["说明"], row
    assert "e+17" not in row["说明"] and "*.*" not in row["说明"] and "22012219" not in row["说明"], row
