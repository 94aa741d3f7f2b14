"""A township or village typed once at the top of a block of rows, or left so when merged cells were
unmerged (取消合并单元格): the rows below are blank. They stay errors (the survey must name each
household's place), but each says which name is filled above it and on which row, and a column filled
so in most rows of a sheet is one finding whose cause says how to fill it down. Before: 此项必填 on
every row, and the finding's cause 该列整列未填写 (the column left empty), which it was not."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from field_checks import issues, ledger
from edgescreen.cli import app


def _survey(tmp_path, n: int, starts: dict[int, tuple[str, str]]):
    """n households; the township and village typed only on the rows `starts` names (index: (乡镇, 村))."""
    rows = []
    for i in range(n):
        township, village = starts.get(i, ("", ""))
        rows.append(household(**{"乡(镇)": township, "行政村": village, "户主姓名": f"户{i}",
                                 "户主身份证号": make_id(serial=2 * i + 1)}))
    return write_workbook(tmp_path / "合隆镇.xlsx", rows)


def _run(*args):
    result = CliRunner().invoke(app, [*map(str, args)])
    return result, " ".join(result.output.split())


def test_a_small_sheet_names_the_place_filled_above_each_blank(tmp_path):
    path = _survey(tmp_path, 6, {0: ("合隆镇", "前岗村"), 3: ("", "后岗村")})
    result, _ = _run("screen", path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert list(ledger(tmp_path / "out")["status"]) == ["candidate"] + ["invalid"] * 5  # never filled in by the tool
    said = issues(tmp_path / "out")
    blank = said[said["code"] == "missing_value"]
    village = blank[blank["field"] == "village"].set_index("row")["message"]
    assert sorted(village.index, key=int) == ["3", "4", "6", "7"]
    assert village["4"] == "第4行 B列「行政村」为空:此项必填。上方第2行填的是「前岗村」:本户也是的,请补填"
    assert "上方第5行填的是「后岗村」" in village["7"]
    township = blank[blank["field"] == "township"].set_index("row")["message"]
    assert sorted(township.index, key=int) == ["3", "4", "5", "6", "7"] and "上方第2行填的是「合隆镇」" in township["7"]


def test_a_column_filled_only_at_each_blocks_top_is_one_finding_with_how_to_fill_it_down(tmp_path):
    path = _survey(tmp_path, 30, {0: ("合隆镇", "前岗村"), 15: ("", "后岗村")})
    result, text = _run("check", path, "-o", tmp_path / "rep")
    assert result.exit_code == 1
    assert "A列「乡(镇)」:漏填 29 行" in text and "B列「行政村」:漏填 28 行" in text, text
    assert "该列只在每段的首行填写,其下各行留空" in text and "Ctrl+G → 定位条件 → 空值" in text, text
    assert "该列整列未填写" not in text


def test_a_blank_with_nothing_filled_above_it_is_simply_required(tmp_path):
    """The first rows blank, the place typed further down: nothing above them to name."""
    path = _survey(tmp_path, 3, {2: ("合隆镇", "前岗村")})
    result, _ = _run("screen", path, "-o", tmp_path / "out")
    said = issues(tmp_path / "out")
    blank = said[said["code"] == "missing_value"]
    assert sorted(blank["row"]) == ["2", "2", "3", "3"]
    assert all(m.endswith("为空:此项必填") for m in blank["message"]), list(blank["message"])
