"""A printed column the village does not fill, typed over on a returned form (an outside tester's item:
the 2020 民主评议 form adds 此前未纳入, so 评议结果 moves from H to I, and a village typing 同意 down H as
last year overwrote the printed reason of a household taken off before). Before: recorded without a
word, the register keeping nothing of it. Now refused at each cell, saying what was printed, what is
there and where the village's word belongs; a cell only re-formatted is recorded; a form printed before
its identity kept these cells is still read (a decision's word in such a column refused)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl

from register_builders import fill, household_table, meeting, rows_by_seq
from test_years import IDS, person
from years_builders import enter_everyone, fill_step, run, survey

TAKEN_OFF = "2019年民主评议未纳入(2019-11-25):家中有经营性货车一辆"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cells(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """{header: column letter} and {head's name: sheet row} of a document's household table."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header, cols = household_table(ws)
    rows = {ws.cell(r, cols["户主姓名"]).value: r for r in rows_by_seq(ws, header, cols["序号"]).values()}
    return {h: openpyxl.utils.get_column_letter(c) for h, c in cols.items()}, rows


def _year_two_review(tmp_path: Path) -> tuple[Path, Path]:
    """户C turned down at the 2019 meeting, a candidate again in 2020 beside 户D, new: the 2020 review form."""
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "2019.xlsx", [person("A"), person("C")]), "-o", tmp_path / "out2019",
        "--register", db, "--date", "2019-11-20")
    enter_everyone(tmp_path, db, turned_down={"户C": ("家中有经营性货车一辆", "2019-11-25")})
    run("screen", survey(tmp_path / "2020.xlsx", [person("A", 工资性收入=10500), person("C"), person("D")]),
        "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "docs2020")
    return db, sorted((tmp_path / "docs2020" / "1-民主评议").glob("*.xlsx"))[0]


def _year_one_review(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "农安县.db"
    people = [person("A", 主要困难="因病"), person("B", 主要困难="缺技术", 工资性收入=10500)]
    run("screen", survey(tmp_path / "2019.xlsx", people), "-o", tmp_path / "out2019", "--register", db,
        "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "docs")
    return db, sorted((tmp_path / "docs" / "1-民主评议").glob("*.xlsx"))[0]


def test_same_typed_over_the_printed_reason_of_year_two_is_refused(tmp_path):
    db, review = _year_two_review(tmp_path)
    letters, rows = _cells(review)
    assert letters["此前未纳入"] == "H" and letters["评议结果"] == "I", letters
    seq = {name: i for i, name in enumerate(sorted(rows, key=rows.get), start=1)}
    # As last year: 同意 typed down H (over the printed reason, and the blank of 户D), and I filled too.
    fill(review, default=("同意", ""), edit={(seq["户C"], "此前未纳入"): "同意", (seq["户D"], "此前未纳入"): "同意"},
         form=meeting("2020-11-25"))
    before = _sha(db)
    out = run("register", "record", db, review, code=2).output
    flat = "".join(out.split())
    assert f"H{rows['户C']}" in out and f"H{rows['户D']}" in out, out
    assert "".join(f"「此前未纳入」是打印的内容,村里不填,现在被改写了(打印的是「{TAKEN_OFF}」,现在是「同意」)".split()) in flat, out
    assert "打印的是「(空)」,现在是「同意」" in flat, out
    assert "结论只填在「评议结果」栏(I列)" in flat, out
    assert review.name in out and "评议名单" in out, out
    assert _sha(db) == before  # nothing recorded
    # The printed reason put back: recorded, 户C's reason kept as printed.
    fill(review, edit={(seq["户C"], "此前未纳入"): TAKEN_OFF, (seq["户D"], "此前未纳入"): None})
    run("register", "record", db, review)


def test_difficulty_or_income_typed_over_in_year_one_is_refused(tmp_path):
    db, review = _year_one_review(tmp_path)
    letters, rows = _cells(review)
    fill(review, default=("同意", ""), edit={(1, "主要困难"): "同意", (2, "人均纯收入(元)"): 3000},
         form=meeting("2019-11-25"))
    before = _sha(db)
    out = run("register", "record", db, review, code=2, columns=2000).output
    flat = "".join(out.split())
    assert f"{letters['主要困难']}{rows['户A']}" in out and f"{letters['人均纯收入(元)']}{rows['户B']}" in out, out
    assert "「主要困难」是打印的内容,村里不填,现在被改写了(打印的是「因病」,现在是「同意」)" in flat, out
    assert "「人均纯收入(元)」是打印的内容,村里不填,现在被改写了(打印的是「3500」,现在是「3000」)" in flat, out
    assert f"结论只填在「评议结果」栏({letters['评议结果']}列),理由写在「备注」栏({letters['备注']}列)" in flat, out
    assert _sha(db) == before


def test_printed_cells_only_reformatted_are_recorded(tmp_path):
    db, review = _year_one_review(tmp_path)
    # A number saved as text with its thousands and decimals, a difficulty spaced and broken over two lines.
    fill(review, default=("同意", ""), edit={(1, "人均纯收入(元)"): "3,333.33", (2, "人均纯收入(元)"): "3500.00",
                                            (1, "主要困难"): " 因 \n病", (2, "常住人口数"): "3"},
         form=meeting("2019-11-25"))
    out = run("register", "record", db, review).output
    assert "改写" not in out, out
    history = run("register", "history", db, "--id", IDS["A"]).output
    assert "民主评议" in history and "同意" in history, history


def test_a_posted_lists_printed_cell_typed_over_is_refused_pointing_to_objections(tmp_path):
    db, _ = _year_one_review(tmp_path)
    for step, date, folder in (("review", None, "1-民主评议"), ("verify", "2019-11-26", "2-入户核实"),
                               ("publicity1", "2019-12-01", "3-第一次公示")):
        if date is not None:
            run("register", "next", db, "--date", date, "-o", tmp_path / step)
        doc = sorted(((tmp_path / "docs") if date is None else (tmp_path / step)).joinpath(folder).glob("*.xlsx"))[0]
        if step != "publicity1":
            fill_step(step, doc)
            run("register", "record", db, doc)
    letters, rows = _cells(doc)
    fill(doc, edit={(1, "家庭人口数"): "异议成立"})
    before = _sha(db)
    out = run("register", "record", db, doc, code=2, columns=2000).output
    flat = "".join(out.split())
    assert f"{letters['家庭人口数']}{rows['户A']}" in out, out
    assert "(打印的是「3」,现在是「异议成立」)" in flat and "要登记的请填在「异议处理」表上" in flat, out
    assert _sha(db) == before


def _as_printed_before(path: Path) -> None:
    """The document as an edgescreen before this one printed it: its identity without the printed cells."""
    wb = openpyxl.load_workbook(path)
    ws = next(s for s in wb.worksheets if s.sheet_state == "veryHidden")
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("shown:"):
                for below in ws.iter_cols(min_col=c.column, max_col=c.column, min_row=c.row):
                    for cell in below:
                        cell.value = None
    wb.save(path)


def test_a_form_printed_before_is_read_a_decision_word_in_a_printed_column_refused(tmp_path):
    db, review = _year_one_review(tmp_path)
    _as_printed_before(review)
    letters, rows = _cells(review)
    fill(review, default=("同意", ""), edit={(1, "主要困难"): "同意"}, form=meeting("2019-11-25"))
    out = run("register", "record", db, review, code=2, columns=2000).output
    flat = "".join(out.split())
    assert f"{letters['主要困难']}{rows['户A']}" in out, out
    assert "「主要困难」是打印的内容,村里不填,现在写的却是「同意」,是填结论的词" in flat, out
    # Any other text there: what was printed is not known, read as before.
    fill(review, edit={(1, "主要困难"): "因病住院"})
    run("register", "record", db, review)
