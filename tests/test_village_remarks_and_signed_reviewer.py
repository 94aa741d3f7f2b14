"""A village's remark where the clerk looks, and a signed reviewer offered.

An outside try: 「负责人:邹庆长已迁」 written under 青山村's 民主评议 list was stored as the village's
remark (附注), yet `register history` of 邹庆长 and 进度.xlsx never showed it. And a 乡镇审核 returned
with 审核人姓名 blank, signed 「审核人(签字):王丽」 on its printed line, was refused at the cell
without saying what was signed: the refusal now offers the name (never takes it: a signature is not
the field)."""

from __future__ import annotations

import openpyxl

from register_builders import fill, form_value_cell, household_table, rows_by_seq
from test_register import DATES, IDS, Walk, refused, run


def _said(result_or_text) -> str:
    text = result_or_text if isinstance(result_or_text, str) else result_or_text.output
    return " ".join(text.split())


def _sign(path, printed: str, name: str) -> None:
    """The clerk writes the name after the printed signature line, in its cell."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    cell = next(c for row in ws.iter_rows() for c in row if c.value == printed)
    cell.value = f"{printed}{name}"
    wb.save(path)


def test_a_township_review_signed_but_its_reviewer_blank_offers_the_name_signed(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": DATES["township_date"]})
        _sign(p, "审核人(签字):", "王丽 2019.12.12")
    _, cell = form_value_cell(docs[0], "审核人姓名")
    said = _said(refused(walk, *docs, words=[]))
    assert f"「审核人姓名」没有填写;签字行写的是「王丽」,请把姓名填在 {cell}" in said, said
    # Never taken as the value: the field filled in, it is recorded by the field.
    for p in docs:
        fill(p, form={"审核人姓名": "王丽"})
    walk.record(*docs)
    assert "审核人姓名:王丽" in _said(run("register", "history", walk.db, "--id", IDS["王一"]))


def test_a_county_review_signed_but_its_reviewer_blank_offers_the_name_signed(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity2")
    docs = walk.issue("county_review")
    fill(docs[0], default=("通过", ""), form={"复审日期": DATES["county_date"]})
    _sign(docs[0], "复审人(签字):", "赵科长")
    _, cell = form_value_cell(docs[0], "复审人姓名")
    said = _said(refused(walk, docs[0], words=[]))
    assert f"「复审人姓名」没有填写;签字行写的是「赵科长」,请把姓名填在 {cell}" in said, said


def test_an_opinion_after_the_role_is_no_name_offered(tmp_path):
    """审核人(签字):不同意 is an opinion, not a signature: the plain refusal."""
    walk = Walk(tmp_path)
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": DATES["township_date"]})
        _sign(p, "审核人(签字):", "不同意")
    said = _said(refused(walk, *docs, words=["「审核人姓名」没有填写"]))
    assert "签字行写的是" not in said, said


def _remark_under_the_list(path, line: str, beside: tuple[str, str] | None = None) -> None:
    """A line written under the list's table, as a village does (and a note right of a household's row)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    rows = rows_by_seq(ws, header, cols["序号"])
    ws.cell(max(rows.values()) + 3, 1).value = line
    if beside is not None:
        name, note = beside
        at = next(r for r in rows.values() if ws.cell(r, cols["户主姓名"]).value == name)
        ws.cell(at, max(cols.values()) + 2).value = note
    wb.save(path)


def _remarked_walk(tmp_path) -> Walk:
    """前岗村's 民主评议 list returned with 「负责人:王五已迁」 under its table (and 张三's own note)."""
    walk = Walk(tmp_path)
    docs = walk.review(record=False)
    _remark_under_the_list(next(p for p in docs if "前岗村" in p.name), "负责人:王五已迁", ("张三", "户主常年外出"))
    walk.record(*docs)
    walk.verify()
    return walk


def test_history_shows_the_village_remark_with_its_step_and_document(tmp_path):
    walk = _remarked_walk(tmp_path)
    doc = walk.doc("review", "前岗村").name
    wang = _said(run("register", "history", walk.db, "--id", IDS["王一"]))
    assert "2019-11-25 民主评议 · 附注(全村):负责人:王五已迁" in wang, wang
    # Its source line names the document it was written on.
    assert doc in wang.split("附注(全村):负责人:王五已迁", 1)[1].split("2019-", 1)[0], wang
    # The household's own remark is its own, not the village's.
    zhang = _said(run("register", "history", walk.db, "--id", IDS["张三"]))
    assert "民主评议 · 附注:户主常年外出" in zhang and "附注(全村):负责人:王五已迁" in zhang, zhang
    # Not another village's household, nor one never on the list (above the limit).
    for name in ("钱五", "富贵"):
        other = _said(run("register", "history", walk.db, "--id", IDS[name]))
        assert "王五已迁" not in other, other


def test_status_lists_the_village_remarks_on_the_terminal_and_in_the_progress_workbook(tmp_path):
    walk = _remarked_walk(tmp_path)
    out = tmp_path / "进度.xlsx"
    said = _said(run("register", "status", walk.db, "-o", out, "--as-of", "2019-11-30"))
    assert "各村写在名单或表上的附注(记为全村的,不算作结论):" in said, said
    assert "合隆镇前岗村 · 民主评议 2019年11月25日:负责人:王五已迁(合隆镇-前岗村-民主评议.xlsx)" in said, said
    wb = openpyxl.load_workbook(out)
    assert "各村附注" in wb.sheetnames, wb.sheetnames
    rows = [r for r in wb["各村附注"].iter_rows(values_only=True)]
    assert rows[1] == ("序号", "乡(镇)", "行政村", "环节", "日期", "附注", "来源文件"), rows
    assert rows[2:] == [(1, "合隆镇", "前岗村", "民主评议", "2019-11-25", "负责人:王五已迁",
                         "合隆镇-前岗村-民主评议.xlsx")], rows
