"""The procedure's documents as a village prints them (printed-pages try, 2026-12-04): the 公告's rows
were laid out at the columns' unscaled widths, 150 points for a 村民小组 of two lines (five households
a page); the review list's 村民小组 column held three characters a line; the 花名册 split names of four
characters; the exit publicity's objection sheet said an upheld objection takes a household off "the
list", and asked for 漏评, as the entry's does."""

from __future__ import annotations

import openpyxl

from survey_builders import make_id
from years_builders import STEPS, enter_everyone, run, survey
from edgescreen.outputs.xlsx import printed_height, printed_lines

GROUP = "第十二村民小组(原西荒屯)"  # 13 characters
NAME = "欧阳建国"


def people() -> list[dict]:
    return [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": GROUP if k % 2 else "二社",
             "户主姓名": NAME if k == 0 else f"户{k}", "户主身份证号": make_id(serial=800 + k), "户编号": f"HB{k}"}
            for k in range(4)]


def _row_of(ws, text: str) -> tuple[int, str]:
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell.row, cell.column_letter
    raise AssertionError(text)


def test_documents_rows_and_columns_fit_what_they_print(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "2019.xlsx", people()), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    enter_everyone(tmp_path, db)

    # The 公告: each row as tall as its widest text at the widths printed, no more.
    folder = STEPS["announcement"][1]
    notice = next((tmp_path / "docs-2019-announcement" / folder).glob("*.xlsx"))
    ws = openpyxl.load_workbook(notice).worksheets[0]
    row, letter = _row_of(ws, GROUP)
    width = ws.column_dimensions[letter].width
    lines = int(printed_lines([GROUP], width - 0.71)[0])
    assert lines <= 2, (width, lines)
    assert ws.row_dimensions[row].height <= float(printed_height(max(lines, 1))) + 1, ws.row_dimensions[row].height

    # The review list: the group's column holds at least four characters a line.
    review = next((tmp_path / "docs-2019-review" / STEPS["review"][1]).glob("*.xlsx"))
    ws = openpyxl.load_workbook(review).worksheets[0]
    _, letter = _row_of(ws, GROUP)
    assert ws.column_dimensions[letter].width >= 10

    # The 花名册: a name of four characters on one line, on both of its sheets.
    roster = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", roster)
    book = openpyxl.load_workbook(roster)
    for ws in book.worksheets[:2]:
        row, letter = _row_of(ws, NAME)
        assert int(printed_lines([NAME], ws.column_dimensions[letter].width - 0.71, 10)[0]) == 1, ws.title


def test_the_exit_publicity_says_what_an_upheld_objection_does_there(tmp_path, monkeypatch):
    from years_builders import exit_to_publicity, register_everyone

    monkeypatch.chdir(tmp_path)
    db = register_everyone(tmp_path, people())
    now = [{**p, **({"是否低保户": "是"} if i == 0 else {})} for i, p in enumerate(people())]  # 欧阳建国 now 低保
    run("screen", survey(tmp_path / "2020.xlsx", now), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    exit_to_publicity(db, tmp_path, [])
    notice = next((tmp_path / "exit-3" / "退出3-公示").glob("*.xlsx"))
    sheet = openpyxl.load_workbook(notice)["异议处理"]
    said = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "异议成立的,该户不退出,继续在册帮扶" in said, said
    assert "漏评" not in said and "名单外" not in said, said
