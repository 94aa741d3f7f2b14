"""抽查核实, the forms as they come back (an outside tester's findings): forms filed in subfolders,
a form that does not tell a candidate, 情况说明 read as whole phrases, a page given twice named in both
places, and the weights the rates use printed as used."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, draw, fill, fill_all, pages_of, run, sample_rows, screened_small_county


@pytest.fixture
def county(tmp_path):
    """small_county in tmp_path/农安县.xlsx screened into tmp_path/筛查 (once per worker, a copy each)."""
    return screened_small_county(tmp_path)


def words(result) -> str:
    return " ".join(result.output.split())


# ---------------------------------------------------------------- forms in subfolders


def test_forms_filed_in_township_subfolders_are_read(county):
    """A clerk files the forms by township (填好/合隆镇/合隆镇-东兴村.xlsx): read, not reported as not handed
    back; Excel's lock file and hidden files and folders beside them are not."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    east = next(f for f in forms if "东兴村" in f.name)
    town = county / "填好" / "合隆镇"
    town.mkdir()
    east.rename(town / east.name)
    (town / f"~${east.name}").write_bytes(b"\x0bclerk" + b" " * 40)
    (town / ".hidden.xlsx").write_bytes(b"not a workbook")
    (county / "填好" / ".backup").mkdir()
    shutil.copy(town / east.name, county / "填好" / ".backup" / east.name)  # read, it would be a form given twice
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果"))
    assert "已核查 10 户(共抽 10 户,2 份核查表)" in said, said
    assert "没有交回" not in said


# ---------------------------------------------------------------- a form that does not tell a candidate


def sample_sheet(path) -> list[list]:
    return [list(r) for r in openpyxl.load_workbook(path)["edgescreen-sample"].iter_rows(values_only=True)]


def test_the_form_does_not_say_which_households_are_candidates_and_backcheck_still_finds_the_errors(county):
    """The form's hidden sample sheet held each page's stratum (listed/unlisted): anyone with the file knew the
    candidates before the visit. It holds the pages' keys only, and no hash of who is in which stratum;
    backcheck puts each page in its stratum from the ledger."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    for form in (county / "抽查" / "入户核查表").glob("*.xlsx"):
        rows = sample_sheet(form)
        at = next(i for i, r in enumerate(rows) if r[0] == "[pages]")
        assert [c for c in rows[at + 1] if c] == ["spot_seq", "key"], rows[at + 1]
        facts = {r[0]: r[1] for r in rows[:at] if r[0] and not str(r[0]).startswith("[")}
        assert "fingerprint" not in facts
        shown = " ".join(str(c) for r in rows[at:] for c in r if c is not None)
        assert "listed" not in shown
    assert "fingerprint" in json.loads((county / "抽查" / "sample.json").read_text(encoding="utf-8"))
    fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000},
                                              ("前岗村", "非候选户", 1): {"wage_income": 10000}})
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果"))
    assert "错评率:16.7%" in said and "1/6 户" in said, said
    assert "漏评率:26.7%" in said and "1/4 户" in said, said


def test_a_form_printed_with_its_pages_strata_is_still_read(county):
    """Forms printed by the version before (format edgescreen-sample-1, a stratum per page) come back filled
    in: read and compared as a form printed now."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000}})
    now = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "新"))
    strata = {(Path(r["核查表"]).name, int(r["核查序号"])): "listed" if r["抽样层"] == "候选户" else "unlisted"
              for r in sample_rows(county / "抽查")}
    for form in forms:
        book = openpyxl.load_workbook(form)
        ws = book["edgescreen-sample"]
        rows = list(ws.iter_rows())
        next(r for r in rows if r[0].value == "format")[1].value = json.dumps("edgescreen-sample-1")
        at = next(i for i, r in enumerate(rows) if r[0].value == "[pages]")
        ws.cell(at + 2, 3).value = "stratum"
        for i in range(int(rows[at][1].value)):
            ws.cell(at + 3 + i, 3).value = strata[(form.name, int(ws.cell(at + 3 + i, 1).value))]
        book.save(form)
    assert "stratum" in " ".join(str(c) for r in sample_sheet(forms[0]) for c in r if c)
    old = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "旧"))
    assert old.split("结果在")[0] == now.split("结果在")[0]
    assert "错评率:16.7%" in old


# ---------------------------------------------------------------- 情况说明 read as whole phrases


def test_a_note_of_no_objection_on_a_blank_page_is_not_a_household_that_may_not_exist(county):
    """该户不存在异议 (no objection) on a page left blank was named as 查无此户; 该户不存在 still is."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    rows = sample_rows(county / "抽查")
    qg = [r for r in rows if r["行政村"] == "前岗村"]
    blank = {k: None for k in LABELS if k != "verify_notes"}
    said_there = ["户主外出,家属称该户不存在异议", "经核实不存在问题", "不存在该户虚报收入的情况,户主未在家",
                  "村委会称该户不存在\uff0c无人认识"]  # a full-width comma: the last is a household not known
    notes = {int(r["核查序号"]): note for r, note in zip(qg, said_there)}
    fill(next(f for f in forms if "前岗村" in f.name), {seq: {**blank, "verify_notes": n} for seq, n in notes.items()})
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果"))
    assert "已核查 6 户(共抽 10 户" in said, said
    assert "1 户未能核查,核查人的情况说明称查无此户" in said, said
    assert f"核查序号 {qg[3]['核查序号']}(合隆镇前岗村,{qg[3]['户主姓名']})" in said, said
    assert all(qg[i]["户主姓名"] not in said for i in range(3)), said


# ---------------------------------------------------------------- a page given twice


def test_a_page_on_a_copy_of_the_sheet_is_named_in_both_places(county):
    """A clerk copies the form's sheet in the workbook (入户核查表 (2)): each page repeated is named at both its
    sheet and cell, the copy as the one repeating it."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    form = next(f for f in fill_all(county / "抽查", county / "填好") if "东兴村" in f.name)
    book = openpyxl.load_workbook(form)
    copy = book.copy_worksheet(book["入户核查表"])
    copy.title = "入户核查表 (2)"
    book.move_sheet(copy, offset=-book.index(copy))  # before the original, as a clerk may drag it
    book.save(form)
    row, column = pages_of(book["入户核查表"])[1]["核查序号"]
    cell = f"{get_column_letter(column)}{row}"
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果", code=2))
    assert f"「入户核查表 (2)」{cell}:核查序号 1 出现了两次(另一处在「入户核查表」{cell})" in said, said


def test_a_sheet_name_in_a_refusal_is_never_broken_at_80_columns(county):
    """The terminal wraps a refusal at its width: a sheet's name (「入户核查表 (2)」, 「入户核查表」) and its
    cell stay whole on one line, as the files' names do."""
    from typer.testing import CliRunner

    from edgescreen.cli import app

    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    form = next(f for f in fill_all(county / "抽查", county / "填好") if "东兴村" in f.name)
    book = openpyxl.load_workbook(form)
    copy = book.copy_worksheet(book["入户核查表"])
    copy.title = "入户核查表 (2)"
    book.move_sheet(copy, offset=-book.index(copy))
    book.save(form)
    result = CliRunner().invoke(app, ["backcheck", str(county / "筛查"), str(county / "填好"), "-o",
                                      str(county / "核查结果")], env={"COLUMNS": "80"})
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if "出现了两次" in line or "「" in line or "」" in line]
    assert len(lines) >= 2, result.output
    assert all(line.count("「") == line.count("」") for line in lines), result.output
    assert all(re.search(r"」B\d+", line) for line in lines if "「" in line), result.output


# ---------------------------------------------------------------- the weights the rates use


def test_the_weights_printed_are_those_the_rates_use(county):
    """前岗村's others: 3 drawn of 12 (1/π = 4), one not at home: the two verified carry it, w* = 4 · 3/2 = 6.
    One of them is a 漏评: 6 / (6 + 6 + 3) = 40 % — with the printed 1/π an inspector got 4 / 11 = 36.4 %.
    逐户比对 prints the weight used beside 1/π, and 方法 says how it is adjusted."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    fill_all(county / "抽查", county / "填好", {("前岗村", "非候选户", 1): {"wage_income": 10000},
                                              ("前岗村", "非候选户", 3): {k: None for k in LABELS}})
    said = words(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果"))
    assert "漏评率:40.0%" in said and "1/3 户" in said, said
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    sheet = book["逐户比对"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    others = [r for r in rows if r["抽样层"] == "非候选户"]
    assert sorted((r["行政村"], r["权数 1/π"], r["调整后权数 w*"]) for r in others if r["比对结论"] != "未核查") \
        == [("东兴村", 3, 3), ("前岗村", 4, 6), ("前岗村", 4, 6)]
    assert [r["调整后权数 w*"] for r in others if r["比对结论"] == "未核查"] == [None]
    verified = [r for r in others if r["比对结论"] != "未核查"]
    wrong = sum(r["调整后权数 w*"] for r in verified if r["比对结论"] == "漏评")
    assert wrong / sum(r["调整后权数 w*"] for r in verified) == pytest.approx(0.4)
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    assert "n_h / r_h" in summary["方法"] and "调整后权数 w*" in summary["方法"]
    assert "入样概率的倒数)加权估计" not in summary["方法"]


def test_a_form_printed_before_spaces_in_names_were_let_pass_is_still_read(tmp_path):
    """A head named 王 凤平 (a space typed to line names up): the forms printed by an earlier edgescreen
    keep each page's hash of its cells as typed, space and all; now a page's hash is of its cells
    without spaces (register.documents.row_hash). Such a form, returned as printed, is still read
    (row_matches), by the form reader and by backcheck's search for the round."""
    import hashlib

    from edgescreen.register.documents import HASH_CHARS, cell_text
    from spotcheck_builders import above, candidate, write_survey

    rows = [candidate("前岗村", "甲", 户主姓名="王 凤平")] + [candidate("前岗村", "甲") for _ in range(3)] \
        + [above("前岗村", "乙") for _ in range(12)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    rewritten = 0
    for form in forms:
        book = openpyxl.load_workbook(form)
        ws = book["edgescreen"]  # the document's identity: each page's cells as printed and their hash
        rows_ = [list(r) for r in ws.iter_rows()]
        at = next(i for i, r in enumerate(rows_) if [c.value for c in r[:3]] == ["seq", "key", "hash"])
        for r in rows_[at + 1:]:
            cells = [c.value for c in r]
            if "王 凤平" in cells:
                width = len([c for c in rows_[at] if c.value])  # seq, key, hash and the printed cells
                printed = [cell_text(v) for v in cells[3:width]]
                r[2].value = hashlib.sha256("\x1f".join(printed).encode("utf-8")).hexdigest()[:HASH_CHARS]
                rewritten += 1
        book.save(form)
    assert rewritten == 1
    said = words(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "结果"))
    assert "没有改动" not in said and "错评率" in said, said
