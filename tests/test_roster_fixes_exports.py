"""Departments' exports as they come, found by an outside try, each refused before and the run stopped:
车管所's export with both 号牌种类 and 车辆类型 ("two columns for one field"); the ID under the headers of
an individual business's operator, a shareholder, an investor, a deed's holder or buyer, a patient; and of
several rosters that cannot be read, only the first named. Also: quality.xlsx's 信息比对 summary said
the 停保 and 迁出 rows left out, not the farm vehicles nor the 医保 rows under 5,000 yuan."""

from __future__ import annotations

import openpyxl
import pytest

from survey_builders import household, make_id, write_csv_table, write_workbook
from test_rosters import AS_OF, run
from edgescreen.outputs.ledger import read_ledger

NAMES = ["王一", "李二", "张三", "赵四"]


@pytest.fixture
def county(tmp_path):
    heads = {name: make_id(f"197{i}0101", serial=500 + i) for i, name in enumerate(NAMES)}
    survey = write_workbook(tmp_path / "农安县.xlsx", [household(户主姓名=n, 户主身份证号=i) for n, i in heads.items()])
    return tmp_path, survey, heads


def screened(folder, survey, *rosters: str, code: int = 0):
    out = folder / "out"
    args = [a for r in rosters for a in ("--roster", r)]
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--force", *args, env={"COLUMNS": "80"})
    assert result.exit_code == code, result.output
    return out, result


def flags(out) -> dict[str, str]:
    """Each head's roster flags (decisions.csv's 名单比对结果), '' for none."""
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    return ledger["roster_flags"].fillna("").astype(str).to_dict()


def test_a_vehicle_export_with_plate_kind_and_vehicle_type_is_read(county):
    folder, survey, heads = county
    roster = write_csv_table(folder / "车管所.csv", ["所有人", "身份证明号码", "号牌种类", "车辆类型"], [
        ["王一", heads["王一"], "小型汽车号牌", "小型轿车"],
        ["李二", heads["李二"], "拖拉机号牌", "轮式拖拉机"]])
    out, result = screened(folder, survey, f"车辆={roster}")
    found = flags(out)
    assert found["王一"] == "vehicle" and found["李二"] == "", found
    assert "1行是农用车辆或农机" in "".join(result.output.split()), result.output

    # 号牌种类 alone is the reason where no column gives the type: a 低速车号牌 is a farm truck.
    roster = write_csv_table(folder / "车管所_号牌.csv", ["所有人", "身份证明号码", "号牌种类"], [
        ["王一", heads["王一"], "小型汽车号牌"], ["张三", heads["张三"], "低速车号牌"]])
    out, result = screened(folder, survey, f"车辆={roster}")
    assert flags(out)["王一"] == "vehicle" and flags(out)["张三"] == "", flags(out)
    said = "".join(result.output.split())
    assert "1行是农用车辆或农机" in said and "第3行" in said, result.output


@pytest.mark.parametrize("kind, name, header", [
    ("工商", "经营者姓名", "经营者证件号码"), ("工商", "经营者", "经营者身份证号码"), ("工商", "股东名称", "股东证件号码"),
    ("工商", "投资人", "投资人证件号码"), ("不动产", "权利人", "权利人证件号码"), ("不动产", "权利人名称", "权利人证件号"),
    ("不动产", "产权人", "产权人身份证号"), ("不动产", "买受人", "买受人证件号码"), ("医保自付", "患者姓名", "患者身份证号")])
def test_the_id_under_a_departments_own_header_is_read(county, kind, name, header):
    folder, survey, heads = county
    roster = write_csv_table(folder / f"{kind}.csv", ["序号", name, header], [[1, "王一", heads["王一"]]])
    out, _ = screened(folder, survey, f"{kind}={roster}")
    assert flags(out)["王一"] != "" and flags(out)["李二"] == "", flags(out)


def test_a_company_register_of_legal_representative_and_shareholder_reads_both(county):
    """Both persons' ID columns are read, each its own person on the roster (not the file refused for
    two ID columns; an outside try's 股东 beside the 法定代表人 was left unread, its 疑点 lost)."""
    folder, survey, heads = county
    roster = write_csv_table(folder / "工商.csv", ["企业名称", "法定代表人", "法定代表人证件号码", "股东名称", "股东证件号码"],
                             [["某合作社", "王一", heads["王一"], "李二", heads["李二"]]])
    out, _ = screened(folder, survey, f"工商={roster}")
    assert flags(out)["王一"] == "company" and flags(out)["李二"] == "company", flags(out)


def test_every_roster_that_cannot_be_read_is_named_in_one_refusal(county):
    folder, survey, heads = county
    first = write_csv_table(folder / "工商_甲.csv", ["序号", "姓名", "某某号码"], [[1, "王一", heads["王一"]]])
    second = write_csv_table(folder / "不动产_乙.csv", ["序号", "户名", "编号"], [[1, "李二", "x"]])
    good = write_csv_table(folder / "低保.csv", ["姓名", "身份证号"], [["张三", heads["张三"]]])
    _, result = screened(folder, survey, f"工商={first}", f"低保={good}", f"不动产={second}", code=2)
    said = "".join(result.output.split())
    assert "2个文件不能读入" in said and "工商_甲.csv" in said and "不动产_乙.csv" in said, result.output


def test_the_rosters_summary_says_the_farm_vehicles_and_small_medical_costs_left_out(county):
    folder, survey, heads = county
    vehicles = write_csv_table(folder / "车辆.csv", ["车主", "车主身份证号", "车辆类型"], [
        ["王一", heads["王一"], "小型轿车"], ["李二", heads["李二"], "手扶拖拉机"]])
    costs = write_csv_table(folder / "医保.csv", ["姓名", "身份证号", "个人自付金额"], [
        ["张三", heads["张三"], "12000"], ["赵四", heads["赵四"], "800"]])
    out, _ = screened(folder, survey, f"车辆={vehicles}", f"医保自付={costs}")
    rows = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["信息比对"].iter_rows(values_only=True)
    text = " ".join(c for row in rows for c in row if isinstance(c, str))
    assert "机动车登记名单中另有 1 行是农用车辆或农机" in text, text
    assert "医保大额自付名单中另有 1 行的金额不足 5000 元" in text, text


def test_every_roster_file_not_there_is_named_in_one_refusal(tmp_path):
    from field_builders import households
    from survey_builders import write_workbook
    from typer.testing import CliRunner
    from edgescreen.cli import app

    survey = write_workbook(tmp_path / "村.xlsx", households(2))
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"),
                                      "--roster", f"低保={tmp_path / '低保.xlsx'}",
                                      "--roster", f"车辆={tmp_path / '车辆.xlsx'}"], env={"COLUMNS": "400"})
    said = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "低保.xlsx" in said and "车辆.xlsx" in said and "2个文件不能读入" in said, said


def test_the_ledgers_roster_column_is_headed_as_every_roster_matched_and_an_older_one_reads(county):
    """decisions.csv's roster column lists every roster a member is on (低保 and 残疾 too, which are no
    疑点: an outside try counted the column's non-empty rows as suspects): headed 名单比对结果 now; a
    ledger written before, headed 比对疑点, reads the same."""
    folder, survey, heads = county
    dibao = write_csv_table(folder / "低保.csv", ["姓名", "身份证号"], [["王一", heads["王一"]]])
    out, _ = screened(folder, survey, f"低保={dibao}")
    path = out / "decisions.csv"
    text = path.read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    assert "名单比对结果" in header and "比对疑点" not in header, header
    assert flags(out)["王一"] == "dibao", flags(out)
    path.write_text(text.replace("名单比对结果", "比对疑点", 1), encoding="utf-8-sig")
    assert flags(out)["王一"] == "dibao", flags(out)
