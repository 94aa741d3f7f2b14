"""A number typed in a place column whose own column on the row is filled already (an outside try,
2026-12-06: an ID in 村民小组 beside the head's valid, different ID, a spouse's maybe). The words told the
clerk to move it to 户主身份证号, which would overwrite the head's ID. Now they say to move it only where
that cell is blank; beside another valid ID or phone, to find out whose it is and delete it here; beside
the same one, that it was typed twice."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from field_builders import households
from survey_builders import make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def _said(tmp_path, rows, *extra):
    """value_in_wrong_field's message by Excel row, from `check` on a workbook of `rows`."""
    out = tmp_path / ("out" + "".join(extra))
    path = write_workbook(tmp_path / f"合隆镇{''.join(extra)}.xlsx", rows)
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), *extra])
    assert (out / "issues.csv").exists(), result.output
    issues = read_issues(out / "issues.csv")
    said = issues[issues["code"] == "value_in_wrong_field"].astype({"row": int}).set_index("row")
    return said["message"].to_dict(), said["cell"].to_dict()


def _rows():
    """Six households of 合隆镇 (Excel rows 2 to 7), each with a number in 村民小组 (column C):
    row 2 an ID, 户主身份证号 blank; row 3 an ID, 户主身份证号 another valid ID (the outside try's row);
    row 4 the head's own ID; row 5 a mobile, 联系电话 blank; row 6 a mobile beside another mobile;
    row 7 a mobile, 联系电话 the same number spaced out."""
    rows = households(6)
    spouse = make_id("19720315", serial=848)
    rows[0].update({"村民小组": spouse, "户主身份证号": ""})
    rows[1].update({"村民小组": spouse})
    rows[2].update({"村民小组": rows[2]["户主身份证号"]})
    rows[3].update({"村民小组": "13912345678", "联系电话": ""})
    rows[4].update({"村民小组": "13912345678", "联系电话": "13812345678"})
    rows[5].update({"村民小组": "13912345678", "联系电话": "139 1234 5678"})
    return rows


@pytest.fixture(scope="module")
def said(tmp_path_factory):
    """The messages by Excel row in Chinese and in English, and the cells they are on."""
    tmp = tmp_path_factory.mktemp("destination")
    zh, cells = _said(tmp, _rows())
    en, _ = _said(tmp, _rows(), "--lang", "en")
    assert sorted(zh) == sorted(en) == [2, 3, 4, 5, 6, 7], (zh, en)
    assert cells == {r: f"C{r}" for r in zh}, cells
    return zh, en


def test_where_the_column_is_blank_the_number_is_told_to_move_there(said):
    # Guards the words as they were (this passed before the change too).
    zh, en = said
    assert zh[2].endswith("这是一个身份证号,不该填在这一栏:请把它移到「户主身份证号」栏,这一栏填写表头要求的内容"), zh[2]
    assert zh[5].endswith("这是一个手机号,不该填在这一栏:请把它移到「联系电话」栏,这一栏填写表头要求的内容"), zh[5]
    assert en[2].endswith("move it to 户主身份证号 and fill in what the header asks for here"), en[2]
    assert en[5].endswith("move it to 联系电话 and fill in what the header asks for here"), en[5]


def test_an_id_beside_another_valid_head_id_is_to_be_checked_not_moved(said):
    zh, en = said
    assert "本行「户主身份证号」已填了另一个号码" in zh[3] and "请核实这个号码是谁的" in zh[3], zh[3]
    assert "家庭成员表" in zh[3] and "从这一栏删去" in zh[3] and "移到" not in zh[3], zh[3]
    assert "already holds another number" in en[3] and "members table" in en[3], en[3]
    assert "move it" not in en[3], en[3]


def test_the_heads_own_id_again_is_said_typed_twice(said):
    zh, en = said
    assert "与本行「户主身份证号」相同,是多填的" in zh[4] and "从这一栏删去" in zh[4], zh[4]
    assert "移到" not in zh[4] and "另一个号码" not in zh[4], zh[4]
    assert "the same as this row's 户主身份证号, typed twice" in en[4] and "move it" not in en[4], en[4]


def test_a_phone_beside_a_filled_phone_is_to_be_checked_not_moved(said):
    zh, en = said
    assert "本行「联系电话」已填了另一个号码" in zh[6] and "请核实这个号码是谁的" in zh[6], zh[6]
    assert "移到" not in zh[6], zh[6]
    assert "this row's 联系电话 already holds another number" in en[6] and "move it" not in en[6], en[6]
    # The same number, spaced out there: typed twice.
    assert "与本行「联系电话」里的号码相同,是多填的" in zh[7] and "移到" not in zh[7], zh[7]
    assert "typed twice" in en[7] and "move it" not in en[7], en[7]
