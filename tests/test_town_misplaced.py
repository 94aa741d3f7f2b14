"""A township's workbook of villages' returns pasted together: one village's rows pasted under the
township's header in its own column order (户主姓名 and 身份证号 before 乡(镇)). Each head's name was
read as 乡(镇) and the ID as 行政村; the fix lists asked cell by cell for wrong things, and the village's
fix list was named by the full ID (an outside try, 2026-12-05). Now the row is said once, out of line,
for the village to check against the header (value_in_wrong_field), a number alone in a place column
on its cell, and no file name holds an ID- or phone-shaped run of digits."""

from __future__ import annotations

import re

import openpyxl
from typer.testing import CliRunner

from field_builders import households
from survey_builders import HEADERS, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def _check(path, out, *extra):
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(out), *extra])
    assert (out / "issues.csv").exists(), result.output
    return result, read_issues(out / "issues.csv")


def _pasted_in_its_own_order(head: str, head_id: str, serial: int) -> list:
    """A row of 三合村's as its own sheet orders it, typed under the township's standard header: name,
    ID, 乡(镇), 行政村, 村民小组, 户编号, then its numbers."""
    row = [""] * len(HEADERS)
    row[:6] = [head, head_id, "伏龙泉镇", "三合村", "三组", f"22012211010300{serial}"]
    row[6:12] = [4, 4, 312, 0, 15628, 0]
    return row


def test_a_row_pasted_in_another_column_order_is_said_once_and_its_file_name_masks_the_id(tmp_path):
    ids = [make_id("19410426", serial=906), make_id("19400127", serial=399)]
    path = write_workbook(tmp_path / "伏龙泉镇.xlsx", households(2, 乡镇="伏龙泉镇", 行政村="新立村"),
                          extra_rows=[_pasted_in_its_own_order("龙秀兰", ids[0], 1),
                                      _pasted_in_its_own_order("严玉兰", ids[1], 2)])
    out = tmp_path / "out"
    result, issues = _check(path, out)
    assert result.exit_code == 1, result.output
    said = issues[issues["code"] == "value_in_wrong_field"]
    # One issue per row, on the 行政村 cell that holds the ID, an error of 串项.
    assert list(said["row"].astype(int)) == [4, 5], said
    assert list(said["cell"]) == ["B4", "B5"]
    assert set(said["severity"]) == {"error"} and set(said["category"]) == {"串项"}
    message = said["message"].iloc[0]
    assert "对不上" in message and "另一种列序" in message and "对照表头逐列核对整行" in message, message
    assert "乡(镇)「龙秀兰」" in message and "户主姓名「三组」" in message, message
    # The name's number is that row's, not said again as name_holds_number.
    assert not ((issues["code"] == "name_holds_number") & issues["row"].astype(int).isin([4, 5])).any()

    # No file name written holds an ID or a phone number: the ID read as the village is masked, with a
    # character Windows allows in a name.
    names = [p.name for p in out.rglob("*")]
    assert not [n for n in names if re.search(r"\d{11}", n)], names
    village_lists = sorted(p.name for p in (out / "quality-villages").iterdir())
    assert "(乡镇未填)-未能确定所属村的农户-问题清单.xlsx" in village_lists, village_lists
    assert not [n for n in village_lists if set(n) & set('\\/:*?"<>|')], village_lists

    # The village's fix list shows the ID masked, in the message too.
    book = openpyxl.load_workbook(out / "quality-villages" / "(乡镇未填)-未能确定所属村的农户-问题清单.xlsx")
    text = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None)
    assert "对不上" in text and ids[0] not in text, text
    # First on the list: the other errors of the row are what reading it in the wrong columns made.
    listed = [row for row in book.active.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert "对不上" in listed[0][-2], listed[0]


def test_a_number_alone_in_a_place_column_is_said_on_its_cell(tmp_path):
    # A phone typed as 村民小组, and an ID as 行政村 beside a valid ID of the head: each a cell to move.
    rows = households(3, 乡镇="合隆镇")
    rows[1]["村民小组"] = "13912345678"
    rows[2]["行政村"] = rows[2]["户主身份证号"]
    out = tmp_path / "out"
    result, issues = _check(write_workbook(tmp_path / "合隆镇.xlsx", rows), out)
    assert result.exit_code == 1, result.output
    said = issues[issues["code"] == "value_in_wrong_field"].astype({"row": int}).set_index("row")
    assert list(said.index) == [3, 4], said
    assert said.loc[3, "cell"] == "C3" and "这是一个手机号" in said.loc[3, "message"]
    assert said.loc[4, "cell"] == "B4" and "这是一个身份证号" in said.loc[4, "message"]
    assert "对不上" not in " ".join(said["message"])
    _, english = _check(write_workbook(tmp_path / "en.xlsx", rows), tmp_path / "en", "--lang", "en")
    assert "this is a mobile number" in " ".join(english.loc[english["code"] == "value_in_wrong_field", "message"])


def test_the_screens_village_lists_name_no_id_in_their_file_names_nor_titles(tmp_path):
    ids = [make_id("19410426", serial=906)]
    path = write_workbook(tmp_path / "伏龙泉镇.xlsx", households(2, 乡镇="伏龙泉镇", 行政村="新立村"),
                          extra_rows=[_pasted_in_its_own_order("龙秀兰", ids[0], 1)])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--force"])
    assert (out / "villages").is_dir(), result.output
    names = [p.name for p in out.rglob("*")]
    assert not [n for n in names if re.search(r"\d{11}", n)], names
    for book in (out / "villages").iterdir():
        text = " ".join(str(c) for ws in openpyxl.load_workbook(book).worksheets
                        for row in ws.iter_rows(values_only=True) for c in row if c is not None)
        assert ids[0] not in text, (book.name, text)
