"""The vehicle register as 车管所 sends it, found by an outside try (brief Q66): a 车辆类型 given as the
车管所's code (N11 三轮汽车, with 号牌种类 低速车) was flagged 车辆 where the same tricycle written 三轮汽车 was
rightly left out; a car whose 机动车状态 says 报废 was flagged; and a row whose ID has two digits swapped,
on a roster with no village column but an address (住所详细地址 吉林省农安县青山口乡), gave no lead to the
member of its name in that township. Each in a screen end to end, read back from what it writes."""

from __future__ import annotations

import openpyxl
import pytest

from survey_builders import household, make_id, write_csv_table, write_workbook
from test_rosters import AS_OF, run
from edgescreen.outputs.ledger import read_ledger

NAMES = ["王一", "李二", "张三", "赵四", "钱五", "孙六"]


@pytest.fixture
def county(tmp_path):
    heads = {name: make_id(f"197{i}0101", serial=500 + i) for i, name in enumerate(NAMES)}
    survey = write_workbook(tmp_path / "农安县.xlsx", [household(户主姓名=n, 户主身份证号=i) for n, i in heads.items()])
    return tmp_path, survey, heads


def screened(folder, survey, *rosters: str):
    out = folder / "out"
    args = [a for r in rosters for a in ("--roster", r)]
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", *args, env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return out, " ".join(result.output.split())


def flags(out) -> dict[str, str]:
    """Each head's roster flags (decisions.csv's 名单比对结果), '' for none."""
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    return ledger["roster_flags"].fillna("").astype(str).to_dict()


def sheet_text(path, sheet: str) -> str:
    book = openpyxl.load_workbook(path)
    return " ".join(str(c) for row in book[sheet].iter_rows(values_only=True) for c in row if c is not None)


def test_the_vehicle_type_given_as_its_code_is_a_farm_vehicle(county):
    """车管所's 机动车类型 codes: N11 三轮汽车 (the outside try's, beside 号牌种类 低速车), H51 普通低速货车 and T22
    手扶拖拉机 (lower case as typed) are farm vehicles, left out and said as the words are; a car's K33 is not."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "号牌种类", "车辆类型"], [
        ["王一", heads["王一"], "小型汽车", "K33"], ["李二", heads["李二"], "低速车", "N11"],
        ["张三", heads["张三"], "低速车", "H51"], ["赵四", heads["赵四"], "拖拉机", "t22"]])
    out, said = screened(folder, survey, f"车辆={roster}")
    assert flags(out) == {"王一": "vehicle", "李二": "", "张三": "", "赵四": "", "钱五": "", "孙六": ""}, flags(out)
    assert "3 行是农用车辆或农机" in said and "第 3-5 行" in said, said


def test_the_plate_kind_says_a_farm_vehicle_beside_a_vehicle_type_that_does_not(county):
    """号牌种类 低速车 (or its code 13, 拖拉机's 14) is read beside 车辆类型 too: a 低速车 plate is a farm truck's
    whatever the type column holds (blank, or a code not known); a 小型汽车 plate beside a car is still a car."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "号牌种类", "车辆类型"], [
        ["王一", heads["王一"], "02", "小型轿车"], ["李二", heads["李二"], "低速车", ""],
        ["张三", heads["张三"], "13", "X99"], ["赵四", heads["赵四"], "14", ""]])
    out, said = screened(folder, survey, f"车辆={roster}")
    assert flags(out) == {"王一": "vehicle", "李二": "", "张三": "", "赵四": "", "钱五": "", "孙六": ""}, flags(out)
    assert "3 行是农用车辆或农机" in said, said

    # 号牌种类 alone, as a code: 13 is a 低速车 plate.
    plates = write_csv_table(folder / "车管所_号牌.csv", ["所有人", "身份证明号码", "号牌种类"], [
        ["王一", heads["王一"], "02"], ["钱五", heads["钱五"], "13"]])
    out, said = screened(folder, survey, f"车辆={plates}")
    assert flags(out)["王一"] == "vehicle" and flags(out)["钱五"] == "", flags(out)


def test_a_vehicle_scrapped_or_deregistered_is_no_match(county):
    """机动车状态 报废, 已注销, 强制注销 or the state's code E: no longer registered, never flagged, and said
    with the rows left out (as scrapped, not as a match nor as a 停保); 未注销 is no 注销."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "车辆类型", "机动车状态"], [
        ["王一", heads["王一"], "小型轿车", "正常"], ["李二", heads["李二"], "小型轿车", "报废"],
        ["张三", heads["张三"], "小型普通客车", "已注销"], ["赵四", heads["赵四"], "小型轿车", "强制注销"],
        ["钱五", heads["钱五"], "小型轿车", "E"], ["孙六", heads["孙六"], "小型轿车", "未注销"]])
    out, said = screened(folder, survey, f"车辆={roster}")
    assert flags(out) == {"王一": "vehicle", "李二": "", "张三": "", "赵四": "", "钱五": "", "孙六": "vehicle"}, \
        flags(out)
    assert "4 行是农用车辆或农机(拖拉机、三轮汽车、收割机等),或已报废、注销的车辆,不算车辆" in said, said
    assert "保障状态" not in said, said
    lists = " ".join(sheet_text(p, "核实清单") for p in (out / "villages").glob("*.xlsx")
                     if "核实清单" in openpyxl.load_workbook(p).sheetnames)
    assert "王一" in lists and "孙六" in lists, lists
    assert not any(name in lists for name in ("李二", "张三", "赵四", "钱五")), lists


def test_a_car_in_use_is_still_flagged(county):
    """The guard: a car 正常 (state code A, plate 小型汽车, type K31) is a 车辆, whatever else the row holds."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "号牌种类", "车辆类型", "机动车状态",
                                                    "住所详细地址"], [
        ["王一", heads["王一"], "小型汽车", "K31", "A", "吉林省农安县合隆镇前岗村"],
        ["李二", heads["李二"], "02", "小型轿车", "正常", ""]])
    out, _ = screened(folder, survey, f"车辆={roster}")
    assert flags(out)["王一"] == "vehicle" and flags(out)["李二"] == "vehicle", flags(out)


# ---------------------------------------------------------------------------------------------------
# A roster with no village column, an address instead: the place of its rows' name leads.

def _swapped(person_id: str) -> str:
    """The ID with its 15th and 16th characters swapped (a slip of the hand): no longer valid."""
    slipped = person_id[:14] + person_id[15] + person_id[14] + person_id[16:]
    assert person_id[14] != person_id[15] and make_id(slipped[6:14], serial=int(slipped[14:17])) != slipped
    return slipped


@pytest.fixture
def townships(tmp_path):
    """谭建国 of 青山口乡东升村 and another 谭建国 of 合隆镇前岗村; 刘玉 of 青山口乡东升村 and another 刘玉 of
    青山口乡西村: candidates all."""
    ids = {"tan": make_id("19591103", serial=763), "tan_helong": make_id("19660412", serial=358),
           "liu": make_id("19700815", serial=124), "liu_xicun": make_id("19751020", serial=246)}
    places = {"tan": ("青山口乡", "东升村", "谭建国"), "tan_helong": ("合隆镇", "前岗村", "谭建国"),
              "liu": ("青山口乡", "东升村", "刘玉"), "liu_xicun": ("青山口乡", "西村", "刘玉")}
    survey = write_workbook(tmp_path / "农安县.xlsx", [
        household(**{"乡(镇)": t, "行政村": v, "户主姓名": n, "户主身份证号": ids[k]}) for k, (t, v, n) in places.items()])
    return tmp_path, survey, ids


def leads(out) -> list[tuple[str, str, str]]:
    """quality.xlsx's 同村同名线索 table: (township, village, head) per lead."""
    book = openpyxl.load_workbook(out / "quality.xlsx")
    rows = list(book["信息比对"].iter_rows(values_only=True))
    at = next((i for i, row in enumerate(rows) if row[0] and str(row[0]).startswith("同村同名线索")), None)
    if at is None:
        return []
    found = []
    for row in rows[at + 2:]:
        if not row[0] or not row[6]:
            break
        found.append((row[0], row[1], row[2]))
    return found


def test_a_bad_id_row_gives_the_lead_where_its_address_names_the_township(townships):
    """The outside try's row: 谭建国, his ID with two digits swapped, on a 车管所 export whose only place is
    住所详细地址 吉林省农安县青山口乡. A lead on 青山口乡's 谭建国, said as an ID that differs; not on 合隆镇's
    谭建国, whose ID another row's is one slip from but whose township the address does not name."""
    folder, survey, ids = townships
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "车辆类型", "住所详细地址"], [
        ["谭建国", _swapped(ids["tan"]), "小型普通客车", "吉林省农安县青山口乡"],
        ["谭建国", _swapped(ids["tan_helong"]), "小型轿车", "吉林省长春市农安县青山口乡"]])
    out, said = screened(folder, survey, f"车辆={roster}")
    assert set(flags(out).values()) == {""}, flags(out)
    assert leads(out) == [("青山口乡", "东升村", "谭建国")], leads(out)
    assert "候选户中 1 户有同村同名线索" in said and "2 行的身份证号无效" in said, said
    verify = sheet_text(out / "villages" / "青山口乡-东升村.xlsx", "核实清单")
    assert "谭建国" in verify and "身份证号与本表的不同" in verify, verify


def test_an_address_naming_the_village_gives_the_lead_a_village_column_would(townships):
    """刘玉 with no ID, 住址 青山口乡东升村三组: the 同村同名 lead a 行政村 column of 东升村 gives, on 东升村's 刘玉
    and not on 西村's. 谭建国 with no ID and an address of 合隆镇 alone: nobody of 青山口乡 is led to, and a
    name alone in a township is no lead."""
    folder, survey, ids = townships
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "车辆类型", "住址"], [
        ["刘玉", "", "小型轿车", "吉林省农安县青山口乡东升村三组"],
        ["谭建国", "", "小型轿车", "吉林省农安县合隆镇"]])
    out, said = screened(folder, survey, f"车辆={roster}")
    assert leads(out) == [("青山口乡", "东升村", "刘玉")], leads(out)
    assert "候选户中 1 户有同村同名线索" in said, said
    verify = sheet_text(out / "villages" / "青山口乡-东升村.xlsx", "核实清单")
    assert "刘玉" in verify and "同村同名" in verify, verify
