"""The 入户核实 form prints what each household declared, part by part (工资 / 经营 / 财产 / 转移), for the
cadres at the home to check it: the register keeps the parts from the screen (format version 6). A
register of version 5 holds none for its rounds: its form prints as before, and is recorded as before."""

from __future__ import annotations

import sqlite3

import openpyxl

from print_size import printed_points
from register_builders import fill, household_table, meeting, rows_by_seq
from survey_builders import household, make_id, write_workbook
from test_register import DATES, IDS, PEOPLE, Walk, dump, run
from years_builders import register_everyone, survey
from edgescreen.register import db as register_db

# Per head: 工资性收入, 家庭经营收入, 财产性收入, 转移性收入 as typed on the survey (one with fen, one with
# an amount of six figures), and the lines the form prints of them.
DECLARED = {"王一": (6800, 1500.5, 0, 1500), "李二": (9100, 0, 0, 1000), "张三": (5000, 123456, 0, 2400),
            "赵四": (10700, 0, 0, 0), "富贵": (60000, 0, 0, 0)}
PRINTED = {"王一": "工资 6,800\n经营 1,500.50\n财产 0\n转移 1,500", "李二": "工资 9,100\n经营 0\n财产 0\n转移 1,000",
           "张三": "工资 5,000\n经营 123,456\n财产 0\n转移 2,400\n支出 120,000", "赵四": "工资 10,700\n经营 0\n财产 0\n转移 0"}
# The 入户核实 form's header as printed before the register kept the parts.
OLD_HEADER = ["序号", "村民小组", "户主姓名", "身份证号", "家庭人口数", "常住人口数", "人均纯收入(元)", "主要困难",
              "核实结论", "不属实情况说明", "核实人", "核实日期"]


def _county(tmp_path) -> Walk:
    """The walk's county, 前岗村's households declaring the parts above (张三's 经营 with its costs, to
    stay a candidate)."""
    walk = Walk(tmp_path)
    rows = []
    for t, v, g, name, wage in PEOPLE:
        parts = dict(zip(("工资性收入", "家庭经营收入", "财产性收入", "转移性收入"), DECLARED.get(name, (wage, 0, 0, 0))))
        costs = {"家庭经营费用支出": 120000} if name == "张三" else {}
        rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "户主身份证号": IDS[name],
                                 **parts, **costs, "主要困难": "因病"}))
    walk.rows = rows
    walk.survey = write_workbook(tmp_path / "农安县.xlsx", rows)
    walk.db = tmp_path / "申报.db"
    run("screen", walk.survey, "-o", tmp_path / "out-parts", "--register", walk.db, "--date", DATES["round"])
    return walk


def _form(path):
    """(sheet, header texts, {户主姓名: row}) of a 入户核实 form."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header_row, cols = household_table(ws)
    rows = rows_by_seq(ws, header_row, cols["序号"])
    heads = {ws.cell(r, cols["户主姓名"]).value: r for r in rows.values()}
    return ws, header_row, cols, heads


def _recorded(db) -> list[tuple]:
    """The verify step's events: (head, field, new value), remarks included."""
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute(
            "SELECT s.head_name, e.field, e.new FROM events e JOIN screened s ON s.household = e.household "
            "AND s.round = e.round WHERE e.step = 'verify'").fetchall())
    finally:
        con.close()


def test_the_visit_form_prints_each_households_declared_income_parts(tmp_path):
    walk = _county(tmp_path)
    walk.review()
    docs = walk.verify(record=False)  # printed, and filled as a clerk does
    ws, header_row, cols, heads = _form(walk.doc("verify", "前岗村"))
    # 李二 was not agreed at the meeting: the form lists the others, each with the parts as declared.
    assert "申报收入(元)" in cols and cols["申报收入(元)"] == cols["人均纯收入(元)"] + 1
    assert {name: ws.cell(r, cols["申报收入(元)"]).value for name, r in heads.items()} == {
        name: PRINTED[name] for name in ("王一", "张三", "赵四")}
    assert ws.cell(heads["王一"], cols["申报收入(元)"]).data_type == "s"  # text, as printed: never summed
    assert printed_points(ws, header_row + 1) >= 9.0
    # Filled and recorded: the column is the form's own, never read as a clerk's remark.
    said = " ".join(walk.record(*docs).output.split())
    assert "附注" not in said, said
    recorded = _recorded(walk.db)
    assert ("孙六", "decision", "no") in recorded and not [e for e in recorded if e[1] == "remark"], recorded


def _version_5_walk(tmp_path) -> Walk:
    """The walk's county, its register turned back into version 5 (before the income parts)."""
    walk = Walk(tmp_path)
    con = sqlite3.connect(walk.db, isolation_level=None)
    for part in register_db.INCOME_PARTS:
        con.execute(f"ALTER TABLE screened DROP COLUMN {part}_fen")
    con.execute("ALTER TABLE screened DROP COLUMN enumerator")  # version 7's
    for column in register_db.DATA_DOUBTS:  # version 8's
        con.execute(f"ALTER TABLE screened DROP COLUMN {column}")
    con.execute("PRAGMA user_version = 5")
    con.close()
    return walk


def test_a_version_5_register_prints_the_visit_form_as_before_and_records_it(tmp_path):
    """A register kept before version 6 is upgraded when opened; its round holds no parts (the survey's
    files are not kept): the form prints without the column, as it did, and is recorded as it was."""
    walk = _version_5_walk(tmp_path)
    before = dump(walk.db)
    kept = walk.db.with_name(f"{walk.db.stem}.升级前第5版{walk.db.suffix}")
    # A look (status) reads it as it is: no upgrade, no copy (an office's older edgescreen still opens it).
    looked = " ".join(run("register", "status", walk.db).output.split())
    assert "格式第 5 版" not in looked and not kept.exists() and dump(walk.db) == before, looked
    walk.review()  # register next writes: the upgrade, and its copy kept
    said = " ".join(walk.next_result.output.split())
    assert "格式第 5 版" in said and kept.name in said and dump(kept) == before, said
    con = sqlite3.connect(walk.db)
    columns = {row[1] for row in con.execute("PRAGMA table_info(screened)")}
    parts = con.execute("SELECT COUNT(*), COUNT(wage_income_fen), COUNT(transfer_income_fen) FROM screened").fetchone()
    con.close()
    assert {f"{p}_fen" for p in register_db.INCOME_PARTS} <= columns and parts[1:] == (0, 0), parts
    docs = walk.verify(record=False)
    ws, header_row, cols, heads = _form(walk.doc("verify", "前岗村"))
    assert [ws.cell(header_row, c).value.split("\n")[0] for c in range(1, ws.max_column + 1)
            if ws.cell(header_row, c).value] == OLD_HEADER
    assert ws.column_dimensions["H"].width > 19  # 主要困难 keeps its width (19 characters and the cell's padding)
    said = " ".join(walk.record(*docs).output.split())
    assert "附注" not in said, said
    recorded = _recorded(walk.db)
    assert ("孙六", "decision", "no") in recorded and not [e for e in recorded if e[1] == "remark"], recorded


def test_the_exit_visit_form_prints_the_parts_of_the_year_it_was_screened(tmp_path):
    """退出入户核实 prints them as 入户核实 does: what the household declared in the round that proposes
    it to leave."""
    village = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    ids = {k: make_id(birth="19700101", serial=500 + i) for i, k in enumerate("AJ")}
    db = register_everyone(tmp_path, [{**village, "户主姓名": f"户{k}", "户主身份证号": ids[k]} for k in "AJ"])
    later = [{**village, "户主姓名": "户A", "户主身份证号": ids["A"], "工资性收入": 10500},
             {**village, "户主姓名": "户J", "户主身份证号": ids["J"], "是否低保户": "是", "工资性收入": 8000,
              "转移性收入": 2400.5}]
    run("screen", survey(tmp_path / "2020.xlsx", later), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    run("register", "record", db, fill(review[0], default=("同意", ""), form=meeting("2020-11-25")))
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    form = sorted((tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))[0]
    ws, header_row, cols, heads = _form(form)
    assert ws.cell(heads["户J"], cols["申报收入(元)"]).value == "工资 8,000\n经营 0\n财产 0\n转移 2,400.50"
    assert printed_points(ws, header_row + 1) >= 9.0
    fill(form, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    said = " ".join(run("register", "record", db, form).output.split())
    assert "1 户(其中不退出、继续帮扶 0 户)已登记" in said and "附注" not in said, said


def test_a_look_changes_no_older_register_and_the_kept_copy_takes_no_record(tmp_path):
    """An outside try carried a register of the last version on with this one: `status`, `history`
    and a refused record each upgraded the shared file, locking out the townships still on the older
    edgescreen; `status` of the kept copy upgraded the copy too (农安县.升级前第5版.升级前第5版.db), and the
    older program then recorded into the copy, a second register. Now a look reads an older file as it
    is, and a command that writes refuses the kept copy, naming the register itself."""
    walk = _version_5_walk(tmp_path)
    before = dump(walk.db)
    for look in (["register", "status", walk.db], ["register", "history", walk.db, "--id", IDS["王一"]],
                 ["register", "export", walk.db, "-o", tmp_path / "花名册.xlsx"]):
        said = " ".join(run(*look).output.split())
        assert "升级" not in said, said
    assert dump(walk.db) == before and not list(tmp_path.glob("*升级前*"))
    con = sqlite3.connect(walk.db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 5
    con.close()
    walk.review()  # a command that writes upgrades, keeping the copy
    kept = walk.db.with_name(f"{walk.db.stem}.升级前第5版{walk.db.suffix}")
    assert kept.exists()
    refused = " ".join(run("register", "next", kept, "--date", DATES["verify"], "-o", tmp_path / "副本文书",
                           code=2).output.split())
    assert "这是登记簿升级前保留的原样副本" in refused and f"请用登记簿本身:{walk.db.name}" in refused, refused
    assert not (tmp_path / "副本文书").exists()
    # Looking at the copy is fine, and upgrades nothing.
    said = " ".join(run("register", "status", kept).output.split())
    assert "升级" not in said and not list(tmp_path.glob("*升级前第5版.升级前*")), said
