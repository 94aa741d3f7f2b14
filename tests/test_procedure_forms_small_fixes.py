"""Small things an outside tester met walking a county through the procedure: an objection's outcome
written 异议成立 or 不予采纳 was refused; a note written beside 属实 was refused with "请清空", losing
it, where the form says such a note goes in the blank cell to the right; the county's review form
was signed 审核人 (the township's word); a refusal's headline counted 36 problems above 6 lines."""

from __future__ import annotations

import openpyxl

from register_builders import fill, household_table, rows_by_seq, table_rows
from test_register import Walk, _by_name, _sheet_text, dump, refused, run


def test_an_objections_outcome_written_as_clerks_write_it_is_read(tmp_path):
    walk = Walk(tmp_path)
    walk.through("verify")
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("张三", "举报有经营性收入", "异议成立", "2019-12-05"),
                                                     ("王一", "说他家有楼房", "不予采纳", "2019年12月6日"),
                                                     ("赵四", "说他家有货车", "异议不成立", "2019-12-06")])
    walk.record(*docs)
    status = run("register", "status", walk.db, "--as-of", "2019-12-09").output
    left = status[status.index("移出名单的农户"):]
    assert "张三" in left and "举报有经营性收入" in left, status
    assert "王一" not in left and "赵四" not in left, status
    assert "前岗村:初选 4 户 · 已完成「第一次公示」 · 名单上 2 户" in status, status


def test_an_objection_outcome_that_reads_either_way_is_still_asked_for(tmp_path):
    walk = Walk(tmp_path)
    walk.through("verify")
    docs = walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("张三", "举报有经营性收入", "已处理", "2019-12-05")])
    refused(walk, *docs, words=["处理结果填的是「已处理」,只能填「成立」或「不成立」"])


def test_a_note_beside_true_is_moved_to_the_blank_cell_and_recorded(tmp_path):
    walk = Walk(tmp_path)
    walk.review()
    docs = walk.issue("verify")
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    qiangang = walk.doc("verify", "前岗村")
    note = "户籍人口5人,登记为4人"
    fill(qiangang, decisions=_by_name(qiangang, {"赵四": ("属实", note)}))
    said = " ".join(refused(walk, *docs, words=[note]).split())
    # Where the note goes, as the form's own line says: not cleared, lost.
    assert "请清空" not in said, said
    assert "移到这一行右边表格外的空白格里(登记为备注,不会丢失),不属实情况说明留空" in said, said

    # Done as told: the note in the blank cell right of the row, 不属实情况说明 empty.
    book = openpyxl.load_workbook(qiangang)
    ws = book.worksheets[0]
    head, cols = household_table(ws)
    row = rows_by_seq(ws, head, cols["序号"])[next(int(r["序号"]) for r in table_rows(qiangang) if r["户主姓名"] == "赵四")]
    ws.cell(row, cols["不属实情况说明"]).value = None
    ws.cell(row, max(cols.values()) + 1).value = note
    book.save(qiangang)
    recorded = " ".join(walk.record(*docs).output.split())
    assert "已作为附注记入登记簿" in recorded, recorded
    assert any(note in line for line in dump(walk.db)), "the note is not in the register"


def test_the_county_review_form_is_signed_by_its_county_reviewer(tmp_path):
    walk = Walk(tmp_path)
    walk.through("publicity2")
    docs = walk.county_review(record=False)
    text = _sheet_text(docs[0])
    assert "复审人(签字):" in text and "审核人(签字)" not in text, text
    # The township's own review keeps its 审核人.
    assert "审核人(签字):" in _sheet_text(walk.doc("township_review", "合隆镇"))
    said = walk.record(*docs).output
    assert "打印时没有的内容" not in said, said


def test_a_county_review_form_printed_before_with_its_old_signature_line_records_clean(tmp_path):
    """A form printed by an earlier version (审核人(签字):) still reads its signature line as printed,
    not as a remark written on it."""
    walk = Walk(tmp_path)
    walk.through("publicity2")
    docs = walk.county_review(record=False)
    book = openpyxl.load_workbook(docs[0])
    ws = book.worksheets[0]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("复审人(签字)"):
                c.value = c.value.replace("复审人(签字)", "审核人(签字)")
    book.save(docs[0])
    said = walk.record(*docs).output
    assert "已登记" in said and "打印时没有的内容" not in said, said


def test_a_refusals_headline_says_how_many_lines_list_its_problems(tmp_path):
    """Six lines under "36 处问题": the same problem of several rows of a column is one line, and the
    headline says so; the same problem on three files is one entry for all three."""
    walk = Walk(tmp_path)
    walk.review()
    docs = walk.issue("verify")
    for p in docs:  # every row's 核实日期 as a day without its year: one line per file, naming its rows
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "11月27日"})
    said = " ".join(refused(walk, *docs, words=["3 个文件中有 8 处问题,下面列为 1 条"]).split())
    assert "3 个文件的「核实表」M列有同样的问题(共 8 户)" in said, said
    assert "三宝村(第 4-5 行)" in said, said  # 三宝村's two rows, said with the others' under one entry
    # Problems each on a line of its own: counted as they are listed, as before.
    walk2 = Walk(tmp_path / "again")
    walk2.review()
    docs = walk2.issue("verify")
    for p in docs:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    fill(docs[0], decisions={1: ("对", "")})
    said = " ".join(refused(walk2, *docs, words=["1 个文件中有 1 处问题。"]).split())
    assert "下面列为" not in said, said
