"""A 社区's meeting is its 居民代表大会, not a 村民代表大会. After the notices and the seal lines spoke of a
社区's own committee, the 会议记录 of its 民主评议 and of its 退出评议 were still titled 「奢岭街道办事处青山
社区村民代表大会民主评议会议记录」: a title its committee would correct by hand. Now a 社区's say
居民代表大会, a village's 村民代表大会 as before; the records so printed record filled, and one printed
before (村民代表大会 for a 社区 too) still records, its title no remark. The blank survey form, one for
every place, seals 村(社区)"两委" and names the 村(居)民代表大会. And the 进度.xlsx's 漏评异议 sheet's title,
a paragraph of two printed lines, is one line: what each objection needs is its row's 下一步."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl

import test_register as walkthrough
from register_builders import fill, meeting
from survey_builders import make_id
from years_builders import register_everyone, run, survey

PLACES = {"合隆镇": "奢岭街道办事处", "青山村": "青山社区"}


def _meeting_title(path: Path) -> str:
    return openpyxl.load_workbook(path)["会议记录"]["A1"].value


def _remarks(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT village, new FROM events WHERE field = 'remark'").fetchall()
    finally:
        con.close()


def _titled_as_before(path: Path) -> None:
    """The 会议记录 as the code before printed it: 村民代表大会, for a 社区 too."""
    wb = openpyxl.load_workbook(path)
    ws = wb["会议记录"]
    ws["A1"] = ws["A1"].value.replace("居民代表大会", "村民代表大会")
    wb.save(path)


def test_a_communitys_review_meeting_record_names_its_residents_assembly_and_records_filled(tmp_path):
    walk = walkthrough.Walk(tmp_path, places=PLACES)
    docs = walk.issue("review")
    assert _meeting_title(walk.doc("review", "青山社区")) == "奢岭街道办事处青山社区居民代表大会民主评议会议记录"
    assert _meeting_title(walk.doc("review", "前岗村")) == "奢岭街道办事处前岗村村民代表大会民主评议会议记录"
    # The title over every printed page of the record is the same.
    ws = openpyxl.load_workbook(walk.doc("review", "青山社区"))["会议记录"]
    assert "居民代表大会" in ws.oddHeader.center.text and "村民代表大会" not in ws.oddHeader.center.text
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    said = " ".join(walk.record(*docs).output.split())
    assert "青山社区" in said and "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == [], "the title printed is no remark"
    walk.verify()  # recorded: the 社区's households go on to its visit
    assert "钱五" in str([c.value for row in openpyxl.load_workbook(walk.doc("verify", "青山社区")).worksheets[0].iter_rows()
                         for c in row])


def test_a_communitys_meeting_record_printed_before_with_the_villagers_assembly_still_records(tmp_path):
    walk = walkthrough.Walk(tmp_path, places=PLACES)
    docs = walk.issue("review")
    community = walk.doc("review", "青山社区")
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    _titled_as_before(community)
    assert _meeting_title(community) == "奢岭街道办事处青山社区村民代表大会民主评议会议记录"
    said = " ".join(walk.record(*docs).output.split())
    assert "青山社区" in said and "打印时没有的内容" not in said, said
    assert _remarks(walk.db) == [], "the title printed before is no remark"


def test_a_communitys_exit_meeting_record_names_its_residents_assembly_and_records_filled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people = [{"乡(镇)": "奢岭街道", "行政村": "青山社区", "户主姓名": "户B", "户主身份证号": make_id(birth="19620303", serial=692),
               "户编号": "HB"},
              {"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "户C", "户主身份证号": make_id(birth="19620404", serial=693),
               "户编号": "HC"}]
    db = register_everyone(tmp_path, people)
    run("screen", survey(tmp_path / "2020.xlsx", [{**p, "是否低保户": "是"} for p in people]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    reviews = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    community = next(p for p in reviews if "青山社区" in p.name)
    village = next(p for p in reviews if "前岗村" in p.name)
    assert _meeting_title(community) == "奢岭街道青山社区居民代表大会贫困边缘户退出评议会议记录"
    assert _meeting_title(village) == "合隆镇前岗村村民代表大会贫困边缘户退出评议会议记录"
    for p in reviews:
        fill(p, default=("同意", ""), form=meeting("2020-11-25"))
    said = " ".join(run("register", "record", db, *reviews).output.split())
    assert "打印时没有的内容" not in said, said
    assert _remarks(db) == []
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    visits = sorted(p.name for p in (tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    assert any("青山社区" in name for name in visits) and any("前岗村" in name for name in visits), visits


def test_the_blank_survey_form_is_sealed_by_a_village_or_a_communitys_committees(tmp_path):
    form = tmp_path / "入户登记表.xlsx"
    run("template", "-o", form)
    wb = openpyxl.load_workbook(form)
    seal = wb.worksheets[0].oddFooter.right.text
    assert seal == '村(社区)"两委"(盖章)', seal
    guide = " ".join(str(c) for row in wb["填表说明"].iter_rows(values_only=True) for c in row if c)
    assert "由村(居)民代表大会民主评议认定" in guide, guide


def test_the_progress_workbooks_omissions_title_is_one_printed_line(tmp_path):
    walk = walkthrough.Walk(tmp_path)
    walk.through("verify")
    walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("李不在", "家里常年有病人,收入低", "成立", "2019-12-04", "名单外")])
    walk.record(*walk.issue("publicity1"))
    run("register", "status", walk.db, "--as-of", "2019-12-10", "-o", tmp_path / "进度.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "进度.xlsx")["漏评异议"]
    title = ws["A1"].value
    assert title == "截至2019年12月10日公示期间对名单外农户的异议(漏评,共 1 条):成立的请为该户入户登记,例外见「下一步」", title
    # One line of 16 points, as the sheet's other titles: it was a paragraph of two (51.75 points).
    assert ws.row_dimensions[1].height <= 30, ws.row_dimensions[1].height
    row = [c for c in next(ws.iter_rows(min_row=3, max_row=3, values_only=True)) if c is not None]
    assert row[-1] == "不在本轮名单上:请为该户入户登记,下次筛查时识别", row
