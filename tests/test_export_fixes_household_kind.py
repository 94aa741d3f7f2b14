"""A national-system export with one 户类型 column (一般户 / 低保户 / 特困供养户) in place of the form's
是否低保户 and 是否特困人员 (an outside tester's export). It is refused, as before, and not read for the
two flags; but the refusal ended "最接近的可用表头:风险类型", a name of 主要困难 that shares 类型 with
户类型. Now only names of the missing fields are suggested, and the 户类型 column is named as where the
two yes/no columns are to be filled from."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

HEADER = ["所在乡镇", "所在村", "户主名", "证件号码", "家庭常住人口数", "年收入", "家庭经营性支出", "户类型",
          "是否建档立卡贫困户"]


def _export(path, header=HEADER, kinds=("一般户", "低保户", "特困供养户")):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "监测对象"
    sheet.append(header)
    for i, kind in enumerate(kinds):
        row = {"所在乡镇": "合隆镇", "所在村": "前岗村", "户主名": f"户主{i}", "证件号码": make_id(serial=i + 1),
               "家庭常住人口数": 3, "年收入": 10000, "家庭经营性支出": 0, "户类型": kind, "家庭类型": kind,
               "是否建档立卡贫困户": "否", "是否低保户": "否", "是否特困人员": "否"}
        sheet.append([row.get(h, "") for h in header])
    book.save(path)
    return path


def _run(*args):
    result = CliRunner().invoke(app, [*map(str, args)])
    return result, "".join(result.output.split())


@pytest.mark.parametrize("command", ["screen", "check"])
def test_a_household_kind_column_is_named_for_the_two_flags_and_no_unrelated_header_is_suggested(tmp_path, command):
    path = _export(tmp_path / "户类型导出.xlsx")
    result, said = _run(command, path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    assert "缺少必填列:是否低保户、是否特困人员" in said, said
    assert "风险类型" not in said and "最接近的可用表头" not in said, said
    assert "表中的H「户类型」一栏看来是户类型" in said, said
    assert "请新增「是否低保户」和「是否特困人员」两栏,按H「户类型」一栏逐户填写" in said, said


def test_the_household_kind_advice_reads_in_english(tmp_path):
    path = _export(tmp_path / "户类型导出.xlsx", [h if h != "户类型" else "家庭类型" for h in HEADER])
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "out"), "--lang", "en"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "Column H「家庭类型」 looks like the household's type" in said, said
    assert "add the columns “是否低保户” and “是否特困人员”".lower() in said.lower(), said


def test_a_household_kind_column_beside_the_two_flags_is_not_read_and_not_in_the_way(tmp_path):
    header = [*HEADER, "是否低保户", "是否特困人员"]
    path = _export(tmp_path / "户类型导出.xlsx", header)
    result, _ = _run("screen", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    # The flags are read from their own columns (否), never from 户类型 (低保户, 特困供养户).
    assert list(read_ledger(tmp_path / "out" / "decisions.csv")["status"]) == ["candidate"] * 3


def test_a_typo_of_a_missing_field_is_still_suggested_and_another_fields_name_is_not(tmp_path):
    """是否底保户 (底 for 低) is near 是否低保户, a missing field; 风险类别 near 风险类型 is not suggested: 主要困难
    is not missing."""
    header = [h for h in HEADER if h != "户类型"] + ["是否底保户", "是否特困人员", "风险类别"]
    path = _export(tmp_path / "导出.xlsx", header)
    result, said = _run("check", path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "缺少必填列:是否低保户。" in said and "最接近的可用表头:I「是否底保户」可改为是否为低保户、是否低保户。" in said, said
    assert "风险类型" not in said and "户类型" not in said, said
