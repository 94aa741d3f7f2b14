"""A township that sends its survey late (outside try of the procedure, 2026-12-05): screening the
county again began a new round and voided the documents the other villages had out, and screening the
township alone was refused. `screen --add-to-round` adds it to the register's latest round: its
villages begin the procedure while the others keep their steps and documents; what would make the
round hold two standards or one household twice is refused, leaving the register as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, household_table, meeting, rows_by_seq
from survey_builders import household, make_id, write_workbook
from test_register import DATES, FOLDERS, Walk, dump, run
from test_register_rules_change import county_file

LATE = [("万顺乡", "万顺村", "甲一"), ("万顺乡", "万顺村", "甲二"), ("万顺乡", "新华村", "甲三")]


def _late_survey(tmp: Path, name: str = "万顺乡.xlsx", people=LATE, **over) -> Path:
    rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组", "户主姓名": n,
                         "户主身份证号": make_id(birth="19700101", serial=300 + i), "工资性收入": 9900,
                         "主要困难": "缺技术", **over})
            for i, (t, v, n) in enumerate(people)]
    return write_workbook(tmp / name, rows)


def _join(walk: Walk, survey: Path, *extra, code: int = 0, out: str = "late"):
    return run("screen", survey, "-o", walk.tmp / out, "--register", walk.db, *extra, code=code)


def _said(result) -> str:
    return "".join(result.output.split())


def _count(db: Path, sql: str) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def test_a_late_township_joins_the_round_and_the_other_villages_go_on(walk):
    late = _late_survey(walk.tmp)
    # Screened alone as a new round: refused, and told how to add it instead, before the villages
    # began and once they have documents out.
    before = dump(walk.db)
    refused = _said(_join(walk, late, "--date", "2019-11-21", code=2))
    assert "这次的乡镇都不在第1轮里:如果是晚交的乡镇,要并入第1轮" in refused and "--add-to-round" in refused, refused
    assert dump(walk.db) == before
    walk.review()  # the round's three villages held their meetings
    before = dump(walk.db)
    refused = _said(_join(walk, late, "--date", "2019-11-30", code=2))
    assert "第1轮还有3个村的认定或退出程序没有办完" in refused, refused
    assert "如果这次的调查表是晚交的乡镇(本轮还没有它的村),加--add-to-round把它并入第1轮" in refused, refused
    assert dump(walk.db) == before

    said = _said(_join(walk, late, "--add-to-round"))
    assert "已把3户(其中初选户3户,2个村)并入第1轮筛查(2019-11-20)" in said, said
    # Its own outputs say they are the late survey's, not the round's.
    summary = openpyxl.load_workbook(walk.tmp / "late" / "summary.xlsx").worksheets[0]
    lines = [c.value for c in summary["A"][:6] if c.value]
    assert "本表只含补报的调查表:已并入登记簿第 1 轮,全轮的户数见登记簿(edgescreen register status)" in lines, lines
    assert json.loads((walk.tmp / "late" / "run.json").read_text(encoding="utf-8"))["options"]["add_to_round"] == 1
    assert _count(walk.db, "SELECT COUNT(*) FROM rounds") == 1
    assert _count(walk.db, "SELECT COUNT(*) FROM screened WHERE round = 1") == len(walk.rows) + 3
    assert _count(walk.db, "SELECT COUNT(*) FROM round_inputs WHERE round = 1") == 2
    assert _count(walk.db, "SELECT COUNT(*) FROM changesets WHERE command = 'screen --register --add-to-round' "
                           "AND source_file = '万顺乡.xlsx'") == 1

    status = _said(run("register", "status", walk.db))
    assert "前岗村:初选4户·已完成「民主评议」" in status, status
    assert "万顺村:初选2户·未开始·名单上2户·待发出「民主评议」文书" in status, status
    assert "新华村:初选1户·未开始" in status, status

    # One `register next`: the round's villages their visits, the late ones their meetings.
    next_out = _said(run("register", "next", walk.db, "--date", DATES["verify"], "-o", walk.tmp / "docs-verify"))
    assert "民主评议:2份文书,3户" in next_out and "入户核实:3份文书,8户" in next_out, next_out
    meetings = sorted((walk.tmp / "docs-verify" / FOLDERS["review"]).glob("*.xlsx"))
    visits = sorted((walk.tmp / "docs-verify" / FOLDERS["verify"]).glob("*.xlsx"))
    assert [p.stem.split("-")[1] for p in meetings] == ["万顺村", "新华村"], meetings
    for p in meetings:
        fill(p, default=("同意", ""), form=meeting("2019年11月27日"))
    for p in visits:
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    recorded = _said(run("register", "record", walk.db, *meetings, *visits))
    assert recorded.count("已登记") >= 5, recorded
    status = _said(run("register", "status", walk.db))
    assert "万顺村:初选2户·已完成「民主评议」" in status and "前岗村:初选4户·已完成「入户核实」" in status, status


def test_what_would_spoil_the_round_is_refused_and_nothing_changes(walk):
    late = _late_survey(walk.tmp)
    _join(walk, late, "--add-to-round")
    before = dump(walk.db)

    # The same file again.
    said = _said(_join(walk, late, "--add-to-round", code=2, out="again"))
    assert "第1轮已经记入过这份文件(内容完全相同):万顺乡.xlsx" in said, said
    # A village the round holds (a correction of it is a new round of the county).
    held_village = _late_survey(walk.tmp, "前岗村.xlsx", [("合隆镇", "前岗村", "乙一"), ("合隆镇", "后岗村", "乙二")])
    said = _said(_join(walk, held_village, "--add-to-round", code=2, out="held"))
    assert "这次的调查表里有1个村已在第1轮里(写法不同的也算同一个村" in said, said
    assert "):合隆镇前岗村。" in said and "后岗村" not in said, said
    # The same villages written another way, as the screen reads them (an outside try: each was
    # accepted as a new village and began its own 民主评议).
    spelled = _late_survey(walk.tmp, "另一种写法.xlsx", [("合隆镇人民政府", "青山村", "丁一"), ("合隆", "前岗村", "丁二"),
                                                        ("合隆镇", "前岗村村民委员会", "丁三"), ("合隆镇 ", "后岗村", "丁四")])
    said = _said(_join(walk, spelled, "--add-to-round", code=2, out="spelled"))
    # (合隆镇人民政府 read as 合隆镇 by the screen itself, 合隆镇 being in the same survey)
    assert "有3个村已在第1轮里" in said and "合隆镇青山村、合隆前岗村、合隆镇前岗村村民委员会。" in said, said
    # A head the round holds, in another village.
    twice = write_workbook(walk.tmp / "两处.xlsx", [household(**{
        "乡(镇)": "开安镇", "行政村": "开安村", "户主姓名": "王一", "户主身份证号": walk.rows[0]["户主身份证号"],
        "工资性收入": 9800})])
    said = _said(_join(walk, twice, "--add-to-round", code=2, out="twice"))
    assert "这次的调查表里有1户的户主身份证号已在第1轮里:王一(220122********" in said, said
    assert "登记簿上在合隆镇前岗村)" in said, said
    # Another standard, a day of its own, no register.
    other = _late_survey(walk.tmp, "开安镇.xlsx", [("开安镇", "开安村", "丙一")])
    rules = county_file(walk.tmp / "农安县规则.toml")
    said = _said(_join(walk, other, "--add-to-round", "--rules", rules, code=2, out="rules"))
    assert "第1轮按规则changchun-2019(3218<人均<4000)认定,这次按nongan-2019(3218<人均<4200)" in said, said
    assert "同一轮的户要按同一个标准认定:请用--ruleschangchun-2019再补报" in said, said
    said = _said(_join(walk, other, "--add-to-round", "--rules", "monitoring", code=2, out="rules"))
    assert "第1轮是2019年度的筛查,这次是2023年度" in said and "去掉--add-to-round再运行" in said, said
    said = _said(_join(walk, other, "--add-to-round", "--date", "2019-11-30", code=2, out="dated"))
    assert "--date不能与--add-to-round一起用:补报的户并入第1轮,用这一轮的日期2019-11-20" in said, said
    said = _said(run("screen", other, "-o", walk.tmp / "none", "--add-to-round", code=2))
    assert "--add-to-round要与--register一起用" in said, said
    assert dump(walk.db) == before
    for out in ("again", "held", "spelled", "twice", "rules", "dated", "none"):
        assert not (walk.tmp / out).exists(), out


def test_in_a_later_year_a_late_township_the_round_found_missing_joins(tmp_path):
    """Year two screened without 烧锅镇: the round recorded its registered households 本年未调查. Its
    late survey joins: what it finds of them (继续帮扶) is a later change of the round, beside the
    round's record (kept: the register is append-only), and they leave the 未调查户核实 track. Before
    (this morning's first version) it was refused, as was anything but a township new to the register."""
    walk = Walk(tmp_path)
    walk.through("announcement")  # on the register
    year_two = [{**r, "备注": "2020年调查"} for r in walk.rows if r["乡(镇)"] != "烧锅镇"]
    survey = write_workbook(tmp_path / "2020.xlsx", year_two)
    run("screen", survey, "-o", tmp_path / "2020", "--register", walk.db, "--date", "2020-11-20", "--year", "2020")
    status = _said(run("register", "status", walk.db))
    assert "三宝村" in status and "未调查" in status, status
    late = write_workbook(tmp_path / "烧锅镇2020.xlsx", [{**r, "备注": "晚交"} for r in walk.rows
                                                        if r["乡(镇)"] == "烧锅镇"])
    # The year must be the round's.
    said = _said(run("screen", late, "-o", tmp_path / "y", "--register", walk.db, "--year", "2019",
                     "--add-to-round", code=2))
    assert "第2轮是2020年度的筛查,这次是2019年度" in said and "早于它的年度不能再记入" in said, said
    # A register mistyped: never told to make a new one.
    said = _said(run("screen", late, "-o", tmp_path / "y", "--register", tmp_path / "农安.db", "--add-to-round",
                     code=2))
    assert "农安.db:找不到登记簿" in said and "登记簿没有新建" in said, said
    assert not (tmp_path / "农安.db").exists()

    said = _said(run("screen", late, "-o", tmp_path / "late", "--register", walk.db, "--year", "2020",
                     "--add-to-round"))
    assert "已把2户(其中初选户2户,1个村)并入第2轮筛查(2020-11-20)" in said and "继续帮扶:2户" in said, said
    assert _count(walk.db, "SELECT COUNT(*) FROM round_changes WHERE round = 2 AND change = 'missing'") == 2
    assert _count(walk.db, "SELECT COUNT(*) FROM round_changes_later WHERE round = 2 AND change = 'continue'") == 2
    from edgescreen.register import db as register_db

    reg = register_db.open_register(walk.db)
    try:
        changes = register_db.changes(reg, 2)
        assert not changes["change"].eq("missing").any(), changes
        history = register_db.changes_of(reg, changes["household"].tolist())
    finally:
        reg.close()
    kept = history[history["change"].eq("missing")]
    assert len(kept) == 2 and kept["later_on"].isna().all()  # the round's own record, still there
    assert history["later_on"].notna().sum() == 2
    status = _said(run("register", "status", walk.db))
    assert "未调查" not in status, status
    head = next(r["户主身份证号"] for r in walk.rows if r["户主姓名"] == "吴八")
    history = _said(run("register", "history", walk.db, "--id", head))
    assert "登记簿变动:继续帮扶(所在乡镇的调查表" in history and "补报并入本轮)" in history, history
    assert "本年未调查(登记簿在册,调查表中没有该户);" in history and "所在乡镇补报并入本轮,认定见上" in history, history
    # A township new to the register joins too, its candidates 新识别候选.
    new_before = _count(walk.db, "SELECT COUNT(*) FROM round_changes WHERE round = 2 AND change = 'new'")
    said = _said(run("screen", _late_survey(tmp_path), "-o", tmp_path / "new", "--register", walk.db, "--year", "2020",
                     "--add-to-round"))
    assert "已把3户(其中初选户3户,2个村)并入第2轮筛查(2020-11-20)" in said and "新识别候选:3户" in said, said
    assert _count(walk.db, "SELECT COUNT(*) FROM round_changes WHERE round = 2 AND change = 'new'") == new_before + 3


def _gone_forms(walk: Walk, date: str, folder: str) -> list[Path]:
    run("register", "next", walk.db, "--date", date, "-o", walk.tmp / folder)
    return sorted((walk.tmp / folder).glob("*/*三宝村*.xlsx"))


def _fill_gone(path: Path, results: dict[str, str]) -> Path:
    """The 未调查户核实 form filled as the township's cadre does: {户主姓名: 核实结果}."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        result = results.get(ws.cell(r, cols["户主姓名"]).value)
        if result:
            ws.cell(r, cols["核实结果"]).value = result
            ws.cell(r, cols["情况说明"]).value = "整户迁出" if result == "户已不存在" else None
            ws.cell(r, cols["核实人"]).value = "张乡长"
            ws.cell(r, cols["核实日期"]).value = "2020-11-25"
    wb.save(path)
    return path


@pytest.fixture
def year_two(tmp_path):
    """Year one through the 公告; year two screened without 烧锅镇 (its 吴八 and 郑九 本年未调查); its
    late survey beside it."""
    walk = Walk(tmp_path)
    walk.through("announcement")
    year_two = [{**r, "备注": "2020年调查"} for r in walk.rows if r["乡(镇)"] != "烧锅镇"]
    run("screen", write_workbook(tmp_path / "2020.xlsx", year_two), "-o", tmp_path / "2020", "--register", walk.db,
        "--date", "2020-11-20", "--year", "2020")
    late = write_workbook(tmp_path / "烧锅镇2020.xlsx", [{**r, "备注": "晚交"} for r in walk.rows
                                                        if r["乡(镇)"] == "烧锅镇"])
    return walk, late


def _join_late(walk: Walk, late: Path, code: int = 0):
    return run("screen", late, "-o", walk.tmp / "late", "--register", walk.db, "--year", "2020", "--add-to-round",
               code=code)


def test_a_late_township_whose_unsurveyed_check_found_them_still_there_joins(year_two):
    """From a season's outside try: once the 未调查户核实 had recorded 仍在本村 (待补充调查, the very survey the
    late township brings), the join was refused, and the only way on was a new round of the county."""
    walk, late = year_two
    [form] = _gone_forms(walk, "2020-11-21", "gone")
    run("register", "record", walk.db, _fill_gone(form, {"吴八": "仍在本村", "郑九": "仍在本村"}))
    said = _said(_join_late(walk, late))
    assert "已把2户(其中初选户2户,1个村)并入第2轮" in said and "继续帮扶:2户" in said, said


def test_a_household_found_gone_blocks_the_join_with_a_way_on(year_two):
    walk, late = year_two
    [form] = _gone_forms(walk, "2020-11-21", "gone")
    run("register", "record", walk.db, _fill_gone(form, {"吴八": "户已不存在", "郑九": "仍在本村"}))
    before = dump(walk.db)
    said = _said(_join_late(walk, late, code=2))
    assert "有1户,第2轮记为本年未调查,其未调查户核实已登记为「户已不存在」(已销户):吴八" in said, said
    assert "登记簿上在烧锅镇三宝村" in said and "--amend" in said, said
    assert dump(walk.db) == before


def test_the_unsurveyed_check_printed_before_the_join_is_void_and_passed_over(year_two):
    """From the same try: the forms printed for the late township's households before it joined stayed
    out for ever (every `next` said documents were out, `status` named none), `next --reprint` died with
    a KeyError, and recording one recorded 仍在本村 for households the join had surveyed."""
    walk, late = year_two
    [form] = _gone_forms(walk, "2020-11-21", "gone")
    _join_late(walk, late)
    reprinted = run("register", "next", walk.db, "--date", "2020-11-22", "--reprint", "-o", walk.tmp / "again")
    assert "未调查户核实" not in _said(reprinted), reprinted.output
    before = dump(walk.db)
    said = _said(run("register", "record", walk.db, _fill_gone(form, {"吴八": "仍在本村", "郑九": "仍在本村"})))
    assert "「吴八」「郑九」所在乡镇的调查表已补报并入本轮(--add-to-round),不再是本年未调查户" in said, said
    assert "这份文书已作废,已跳过,不用再登记,烧锅镇三宝村也不用重新打印" in said, said
    assert dump(walk.db) == before


def test_a_late_townships_changes_list_holds_its_households_still_not_found(year_two):
    """From the same try: the join's changes.xlsx counted only the households it found (永安村 本轮前在册 2,
    本年未调查 0, where one was still not surveyed). Those of its township the late survey lacks too are
    listed, 本年未调查 as the round recorded them (and not recorded again)."""
    walk, _ = year_two
    late = write_workbook(walk.tmp / "烧锅镇2020缺一户.xlsx", [{**r, "备注": "晚交"} for r in walk.rows
                                                             if r["户主姓名"] == "吴八"])
    said = _said(_join_late(walk, late))
    assert "继续帮扶:1户" in said and "本年未调查:1户" in said, said
    sheet = openpyxl.load_workbook(walk.tmp / "late" / "changes.xlsx").worksheets[1]
    listed = {r[4]: r for r in sheet.iter_rows(values_only=True) if r[4] in ("吴八", "郑九")}
    assert set(listed) == {"吴八", "郑九"} and "本年未调查" in listed["郑九"] and "继续帮扶" in listed["吴八"], listed
    assert _count(walk.db, "SELECT COUNT(*) FROM round_changes WHERE round = 2 AND change = 'missing'") == 2
    assert _count(walk.db, "SELECT COUNT(*) FROM round_changes_later WHERE round = 2") == 1
