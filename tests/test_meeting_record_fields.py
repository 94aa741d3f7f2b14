"""The 会议记录 holds what the Changchun plan (五 第三步) asks of the village meeting's record: 时间地点、
参会人员、发言记录、评选过程. Before: the sheet printed with the 民主评议 list (and with the exit's 退出评议
list) had 会议时间, 会议地点, 主持人, 应到/实到人数, 记录人 and 评议过程, no cell for who attended or what
was said, and a record with 评议过程 left blank was recorded without a word (an outside audit: exit 0).
Now 参会人员 and 发言记录 are on it, tall cells to write in by hand, and all three are required (a
meeting where nobody spoke writes 无): one left blank is refused naming the file, sheet and cell. A
record printed before the two cells existed is recorded without them, and says so. The record still
prints on one A4 page."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl
import pytest

import test_register as walkthrough
from print_size import print_scale
from register_builders import fill, meeting
from survey_builders import make_id
from test_register import dump, refused
from years_builders import register_everyone, run, survey

LONG_TEXTS = ("参会人员", "发言记录", "评议过程")


def _labels(ws) -> list[str]:
    return [c.value for c in ws["A"] if c.value]


def _facts(db: Path, village: str, step: str = "review") -> dict[str, str]:
    """What the register keeps of a village's record at `step` (its latest value of each field)."""
    con = sqlite3.connect(db)
    try:
        return dict(con.execute("SELECT field, new FROM events WHERE village = ? AND step = ? AND household IS NULL "
                                "ORDER BY id", (village, step)))
    finally:
        con.close()


def _as_printed_before(path: Path) -> None:
    """The 会议记录 as the code before printed it: 记录人, then 评议过程, then the signatures; no
    参会人员 or 发言记录 rows (its merged cells moved up with the rows, as that code wrote them)."""
    wb = openpyxl.load_workbook(path)
    ws = wb["会议记录"]
    first = next(c.row for c in ws["A"] if c.value == "参会人员")
    merged = [r.coord for r in ws.merged_cells.ranges]
    for coord in merged:
        ws.unmerge_cells(coord)
    ws.delete_rows(first, 2)
    for coord in merged:
        box = openpyxl.worksheet.cell_range.CellRange(coord)
        if box.min_row in (first, first + 1):
            continue
        if box.min_row > first + 1:
            box.shift(row_shift=-2)
        ws.merge_cells(box.coord)
    wb.save(path)


def _without(values: dict, *labels: str) -> dict:
    return {k: v for k, v in values.items() if k not in labels}


def test_the_meeting_record_asks_who_attended_what_was_said_and_how_the_review_went(tmp_path):
    walk = walkthrough.Walk(tmp_path)
    docs = walk.issue("review")
    ws = openpyxl.load_workbook(walk.doc("review", "前岗村"))["会议记录"]
    labels = _labels(ws)
    assert labels[labels.index("记录人") + 1:labels.index("记录人") + 4] == list(LONG_TEXTS), labels
    for text in LONG_TEXTS:
        row = next(c.row for c in ws["A"] if c.value == text)
        value = ws.cell(row, 2)
        # Room to write by hand: a tall row, the writing from the top left, wrapped.
        assert ws.row_dimensions[row].height >= 90, (text, ws.row_dimensions[row].height)
        assert value.alignment.wrap_text and value.alignment.vertical == "top", (text, value.alignment)
    # Each left blank on one village's record: refused, naming the file, the sheet and the cell.
    by_village = {"前岗村": "评议过程", "青山村": "参会人员", "三宝村": "发言记录"}
    for p in docs:
        blank = next(f for v, f in by_village.items() if v in p.name)
        fill(p, default=("同意", ""), form=meeting("2019-11-25", **{blank: None}))
    said = " ".join(refused(walk, *docs, words=[]).split())
    assert "合隆镇-前岗村-民主评议.xlsx 「会议记录」B11:「评议过程」没有填写" in said, said
    assert "合隆镇-青山村-民主评议.xlsx 「会议记录」B9:「参会人员」没有填写" in said, said
    assert "烧锅镇-三宝村-民主评议.xlsx 「会议记录」B10:「发言记录」没有填写" in said, said
    assert "3 个文件中有 3 处问题" in said, said
    # Filled (a meeting where nobody spoke writes 无): recorded, each kept for the village.
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019-11-25", 参会人员="王书记、李会计等31人", 发言记录="无"))
    walk.record(*docs)
    facts = _facts(walk.db, "前岗村")
    assert facts["meeting_attendees"] == "王书记、李会计等31人" and facts["meeting_speeches"] == "无", facts
    assert facts["meeting_process"] == "逐户介绍情况,举手表决。", facts


def test_a_meeting_record_printed_before_the_cells_existed_is_recorded_without_them(tmp_path):
    walk = walkthrough.Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        _as_printed_before(p)
    ws = openpyxl.load_workbook(docs[0])["会议记录"]  # as printed before: A3:A9 the fields, row 11 signed
    assert (ws["A8"].value, ws["A9"].value, ws["A11"].value, ws["C11"].value) == (
        "记录人", "评议过程", "主持人(签字):", "记录人(签字):"), _labels(ws)
    # Its 评议过程 is required all the same: the cell was there.
    for p in docs:
        fill(p, default=("同意", ""), form=_without(meeting("2019-11-25", 评议过程=None), "参会人员", "发言记录"))
    refused(walk, docs[0], words=["合隆镇-前岗村-民主评议.xlsx 「会议记录」B9:「评议过程」没有填写"])
    before = dump(walk.db)
    for p in docs:
        fill(p, default=("同意", ""), form=_without(meeting("2019-11-25"), "参会人员", "发言记录"))
    said = " ".join(walk.record(*docs).output.split())
    assert dump(walk.db) != before
    assert "这份「民主评议」文书印发时还没有「参会人员」一栏" in said, said
    assert "这份「民主评议」文书印发时还没有「发言记录」一栏" in said, said
    assert "民主评议:登记 9 户" in said, said
    assert "meeting_attendees" not in _facts(walk.db, "前岗村")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_meeting_record_prints_on_one_a4_page(tmp_path, lang):
    """Every row of the 会议记录, a two-line title (a long township's name) and the signatures with
    them, inside one portrait A4 page's margins at the scale it prints at."""
    walk = walkthrough.Walk(tmp_path, places={"合隆镇": "大岭满族朝鲜族自治乡", "前岗村": "二道沟子村"})
    run("register", "next", walk.db, "--date", "2019-11-21", "-o", tmp_path / "docs", "--lang", lang)
    for path in sorted((tmp_path / "docs").rglob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        ws = wb["会议记录" if lang == "zh" else "meeting record"]
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "portrait"
        heights = [ws.row_dimensions[r].height or 12.75 for r in range(1, ws.max_row + 1)]
        body = 841.9 - 72 * (ws.page_margins.top + ws.page_margins.bottom)
        assert sum(heights) * print_scale(ws) <= body, (path.name, sum(heights), body)
        words = ("who attended", "what was said", "how the review went") if lang == "en" else LONG_TEXTS
        assert set(words) <= set(_labels(ws)), _labels(ws)
        if "二道沟子村" in path.name:
            assert ws.row_dimensions[1].height > 36, "the long place's title takes two lines"


PEOPLE = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": name, "户主身份证号": make_id(birth=f"1971020{i}", serial=500 + i),
           "户编号": f"HM{i}"} for i, name in enumerate(["马甲", "牛乙"], start=1)]
# 2020: 马甲 now a 低保 household, proposed to leave; 牛乙 stays in the band.


def test_the_exit_meeting_record_asks_the_same(tmp_path):
    db = register_everyone(tmp_path, PEOPLE)
    source = survey(tmp_path / "2020.xlsx", [{**PEOPLE[0], "是否低保户": "是"}, {**PEOPLE[1], "工资性收入": 10500}])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    doc = next((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    labels = _labels(openpyxl.load_workbook(doc)["会议记录"])
    assert labels[labels.index("记录人") + 1:labels.index("记录人") + 4] == list(LONG_TEXTS), labels
    fill(doc, default=("同意", ""), form=meeting("2020-11-25", 发言记录=None, 评议过程=""))
    before = dump(db)
    said = " ".join(run("register", "record", db, doc, code=2).output.split())
    assert dump(db) == before
    assert f"{doc.name} 「会议记录」B10:「发言记录」没有填写" in said, said
    assert f"{doc.name} 「会议记录」B11:「评议过程」没有填写" in said, said
    fill(doc, default=("同意", ""), form=meeting("2020-11-25", 发言记录="马甲户今年已纳入低保,代表一致同意退出。"))
    run("register", "record", db, doc)
    assert _facts(db, "前岗村", "exit_review")["meeting_speeches"] == "马甲户今年已纳入低保,代表一致同意退出。"
