"""信息比对申请名单 past Excel's row limit (an outside try at 300,000 households listed 1,016,919 people
on one sheet, to row 1,016,927 of 1,048,576; a county of 3.5 people a household passes it, and
xlsxwriter drops the rows past it unseen): the list continues on further sheets, each with its title,
a line saying which part it is and its header, the count and the seal lines after the last part; its
hidden identity likewise; and the list given back is read in every part. The limit is made small
here (MAX_SHEET_ROWS) rather than a million rows written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey_builders import HEADERS, household, make_id
from test_request_list import statuses
from test_request_returned import facts
from test_rosters import AS_OF, MEMBER_HEADERS, head, member, run, write_sheets

from edgescreen.outputs import request, sheetdata

REQUEST = Path("信息比对") / "信息比对申请名单.xlsx"
LIMIT = 20  # rows a sheet holds, for these tests
SHEET = "信息比对申请名单"
PARTS = [SHEET, f"{SHEET}(2)", f"{SHEET}(3)", f"{SHEET}(4)"]


class County:
    """Twelve households of 合隆镇前岗村, each a head, a spouse and a child: 36 people, on four sheets
    of 20 rows (five rows above each part's rows, three after the last's)."""

    def __init__(self, folder: Path):
        self.households = [household(户主姓名=f"户主{i:02d}", 户编号=f"{i:03d}", 户主身份证号=make_id(f"19{60 + i}0101"))
                           for i in range(1, 13)]
        self.members = [row for i, hh in enumerate(self.households, start=1)
                        for row in (head(hh), member(hh, f"配偶{i:02d}", "配偶", make_id(f"19{60 + i}0202")),
                                    member(hh, f"子女{i:02d}", "子", make_id(f"20{i:02d}0303")))]
        self.survey = write_sheets(folder / "县.xlsx", {
            "户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in self.households]),
            "家庭成员": (MEMBER_HEADERS, [[m.get(k, "") for k in MEMBER_HEADERS] for m in self.members])})
        self.folder = folder

    def screen(self, out: str, *more) -> Path:
        result = run("screen", self.survey, "-o", self.folder / out, "--as-of", AS_OF, "--force", *more)
        assert result.exit_code == 0, result.output
        self.output = result.output
        self.text = result.output.replace("\n", "").replace(" ", "")
        return self.folder / out


@pytest.fixture
def county(tmp_path, monkeypatch) -> County:
    # Not raising: the check that these tests fail without the parts runs them on code without the limit.
    monkeypatch.setattr(request, "MAX_SHEET_ROWS", LIMIT, raising=False)
    monkeypatch.setattr(sheetdata, "MAX_SHEET_ROWS", LIMIT)  # sheet_parts' limit
    county = County(tmp_path)
    county.listed = county.screen("out", "--request-list") / REQUEST
    return county


def header_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")


def listed_rows(ws) -> list[list]:
    at = header_row(ws)
    return [[c.value for c in row] for row in ws.iter_rows(min_row=at + 1, max_row=ws.max_row)
            if isinstance(row[0].value, (int, float))]


def texts(ws, rows) -> str:
    return " ".join(str(ws.cell(r, 1).value or "") for r in rows)


def test_a_list_past_a_sheets_rows_goes_on_in_parts_each_saying_which_it_is(county):
    wb = openpyxl.load_workbook(county.listed)
    shown = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert [ws.title for ws in shown] == PARTS
    people = []
    for part, ws in enumerate(shown, start=1):
        assert ws.max_row <= LIMIT
        at = header_row(ws)
        above = texts(ws, range(1, at))
        assert "信息比对申请名单" in str(ws.cell(1, 1).value)  # the title on every part
        assert f"本表是名单的第 {part} 部分(共 4 部分)" in above, above
        assert "每一部分都请逐人填写「比对结果」" in above and "不得张贴" in above
        if part > 1:
            assert f"接上表「{PARTS[part - 2]}」" in above, above
        if part < 4:
            assert f"下接工作表「{PARTS[part]}」" in above, above
        rows = listed_rows(ws)
        assert f"序号 {rows[0][0]:,} 至 {rows[-1][0]:,},全名单共 36 人" in above, above
        below = texts(ws, range(at + len(rows) + 1, ws.max_row + 1))
        # The count and the department's seal once, after the last part's rows.
        assert ("共 12 户 36 人" in below) == (part == 4), below
        sealed = any("比对单位(盖章)" in str(c.value) for row in ws.iter_rows(min_row=at + len(rows) + 1)
                     for c in row if c.value)
        assert sealed == (part == 4)
        people += rows
    # Every person once, numbered on from part to part, in the screen's order.
    assert [row[0] for row in people] == list(range(1, 37))
    names = [m["姓名"] for m in county.members]
    assert [row[5] for row in people] == names
    # The identity goes on in very hidden sheets too, none past the limit.
    hidden = [ws for ws in wb.worksheets if ws.sheet_state != "visible"]
    assert [ws.title for ws in hidden] == ["edgescreen", "edgescreen(2)", "edgescreen(3)"]
    assert all(ws.sheet_state == "veryHidden" and ws.max_row <= LIMIT for ws in hidden)


def answered(county: County, path: Path, yes: set[str], *, keep: int | None = None) -> Path:
    """The list given back with every row answered (是 for `yes`, 否 the others) on every part; `keep`:
    only so many parts given back, the others deleted. `county.said_yes_on`: the sheets answering 是."""
    wb = openpyxl.load_workbook(county.listed)
    county.said_yes_on = []
    for ws in [ws for ws in wb.worksheets if ws.sheet_state == "visible"]:
        at = header_row(ws)
        column = {ws.cell(at, c).value: c for c in range(1, ws.max_column + 1)}
        for r in range(at + 1, ws.max_row + 1):
            if isinstance(ws.cell(r, 1).value, (int, float)):
                said = "是" if ws.cell(r, column["姓名"]).value in yes else "否"
                ws.cell(r, column["比对结果"]).value = said
                if said == "是":
                    county.said_yes_on.append(ws.title)
    for ws in wb.worksheets[keep or len(wb.worksheets):len(PARTS)]:
        wb.remove(ws)
    wb.save(path)
    return path


def test_the_list_given_back_is_read_in_every_part(county, tmp_path):
    before = statuses(county.folder / "out")
    assert before["户主12"] != "excluded_dibao"
    # 配偶12 is on the last part: the department's 是 there takes her household off as 低保.
    whole = answered(county, tmp_path / "民政交回.xlsx", {"配偶12"})
    assert county.said_yes_on == [PARTS[-1]]
    out = county.screen("back", "--roster", f"低保={whole}")
    decided = statuses(out)
    assert decided["户主12"] == "excluded_dibao"
    assert {k: v for k, v in decided.items() if k != "户主12"} == {k: v for k, v in before.items() if k != "户主12"}
    # All 36 rows sent came back: nothing said missing; the identity's sheets neither read nor said.
    assert "送去比对的名单有" not in county.text, county.output
    assert "edgescreen" not in county.output.replace("edgescreen 自带规则文件", "")  # the rules line names the shipped file


def test_a_list_given_back_without_its_later_parts_says_the_rows_missing(county, tmp_path):
    first = answered(county, tmp_path / "只交回第一部分.xlsx", set(), keep=1)
    out = county.screen("first", "--roster", f"低保={first}")
    # The identity's rows are counted over its every sheet: 36 sent, the 11 of the first part back.
    said = facts(out)
    assert "送去比对的名单有 36 行(名单里隐藏的标识页记着),交回的只有 11 行" in said, said


def test_every_part_has_its_rows_in_order_and_its_used_range_to_the_seal(county):
    """The list's rows were put at the end of the sheet's XML, after the count and seal lines xlsxwriter
    wrote below them: rows out of order, which Excel repairs on opening, and a used range (<dimension>)
    ending at the last person, so a reader trusting it (openpyxl read-only, pandas on it) lost the
    count and the seal."""
    import re
    import zipfile

    with zipfile.ZipFile(county.listed) as book:
        sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            xml = book.read(name).decode("utf-8")
            rows = [int(r) for r in re.findall(r'<row r="(\d+)"', xml)]
            assert rows == sorted(set(rows)), (name, rows)
            last = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"/>', xml)
            assert last is not None and int(last.group(1)) == rows[-1], (name, last and last.group(0), rows[-1])
    read_only = openpyxl.load_workbook(county.listed, read_only=True)[PARTS[-1]]
    assert any("共 12 户 36 人" in str(v) for row in read_only.iter_rows(values_only=True) for v in row if v)
