"""The years after (issue 16) through the command line, on a small county built here: every household
of 2019 taken onto the register, 帮扶 measures recorded through the measure form, then the 2020 survey
screened against the register. Each change category, each exit condition, a head who changed
(matched by 户编号, and by a member's ID), the measure form's refusals, the coverage gaps, the exit
procedure, and the income over time checked against a hand computation.

Members: `with_members` gives the screens a members table of their own (issue 14's reader: a member's
ID linked to its household by the head's ID, its relation and 劳动技能)."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from statistics import median

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from rich.cells import cell_len

from survey_builders import make_id
from years_builders import MeasureForm, exit_to_publicity, register_everyone, run, survey
from edgescreen import jobs
from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.privacy import mask_id

ROUND_2020 = "2020-11-20"
# 2019: every household a candidate (10,000 wage, 3 residents → 3,333.33); keyed by a short name.
VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
OTHER = {"乡(镇)": "合隆镇", "行政村": "后岗村"}
IDS = {k: make_id(birth=f"1970{m % 12 + 1:02d}{m:02d}", serial=300 + m) for m, k in enumerate("ABCDEFGHIJKLM", start=1)}
IDS["I"] = make_id(birth="19450301", serial=399)  # an old couple: nobody of working age in 2020
SPOUSE_H = make_id(birth="19720505", serial=398)   # 户H's wife: the head in 2020
SON_H = make_id(birth="19950909", serial=397)
WIFE_I = make_id(birth="19480808", serial=396)
SON_B = make_id(birth="19980202", serial=395)
NEW_G = make_id(birth="19960606", serial=394)       # 户G's son, the head in 2020 (same 户编号)
NEW_F = make_id(birth="19800101", serial=393)       # a household new in 2020


def person(key: str, place=VILLAGE, **over) -> dict:
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


PEOPLE_2019 = [person("A"), person("B", 主要困难="缺技术"), person("C"), person("D"), person("E"),
               person("G"), person("H", 户编号=""), person("I", 主要困难="缺劳力"), person("J"),
               person("K", OTHER, 主要困难="因病"), person("L", OTHER), person("M", OTHER, 主要困难="缺资金")]
# 2020: wage 10,500 → 3,500 (still in the band); 13,500 → 4,500 (above 4,000); 9,000 → 3,000 (below 3,218).
PEOPLE_2020 = [person("A", 工资性收入=10500),                      # 继续帮扶
               person("B", 主要困难="缺技术", 工资性收入=13500),      # 拟退出: a measure, a son of working age
               person("C", 工资性收入=13500),                      # above, but no measure
               person("D", 工资性收入=9000),                       # 转贫困户识别
               # E: not in the 2020 survey (本年未调查)
               {**person("G"), "户主姓名": "户G子", "户主身份证号": NEW_G},  # head changed, same 户编号
               {**person("H", 户编号=""), "户主姓名": "户H妻", "户主身份证号": SPOUSE_H},  # head died: by a member
               person("I", 主要困难="缺劳力", 工资性收入=13500),    # above, a measure, nobody of working age
               person("J", 是否低保户="是"),                        # now 低保
               person("K", OTHER, 主要困难="因病", 工资性收入=9900),
               person("L", OTHER, 工资性收入=10200),
               person("M", OTHER, 主要困难="缺资金", 工资性收入=11000),
               {**OTHER, "户主姓名": "户F", "户主身份证号": NEW_F, "户编号": "HBF"}]  # 新识别候选
# The members each year, by the head's ID (issue 14's 家庭成员 sheet): relation, 劳动技能.
MEMBERS_2019 = {IDS["H"]: [(IDS["H"], "户主", "普通劳动力"), (SPOUSE_H, "配偶", "普通劳动力"), (SON_H, "子", "普通劳动力")],
                IDS["I"]: [(IDS["I"], "户主", "丧失劳动力"), (WIFE_I, "配偶", "普通劳动力")],
                IDS["B"]: [(IDS["B"], "户主", "普通劳动力"), (SON_B, "子", "普通劳动力")]}
MEMBERS_2020 = {SPOUSE_H: [(SPOUSE_H, "户主", "普通劳动力"), (SON_H, "子", "普通劳动力")],
                IDS["I"]: MEMBERS_2019[IDS["I"]], IDS["B"]: MEMBERS_2019[IDS["B"]]}
# The measures recorded in 2020 (the form of 2020-01-05): K's does not fit 因病; C, E, L have none.
MEASURES = {"户A": ("产业扶持", "庭院经济", "2020-03-01"), "户B": ("技术指导", "种植技术培训", "2020-03-01"),
            "户D": ("教育", "助学", "2020-03-01"), "户G": ("就业", "转移就业", "2020-03-01"),
            "户H": ("健康", "慢病签约", "2020-03-01"), "户I": ("公益岗位", "护林员", "2020-03-01"),
            "户J": ("社会帮扶", "结对帮扶", "2020-03-01"), "户K": ("技术指导", "养殖培训", "2020-03-01"),
            "户M": ("小额信贷", "5万元贴息贷款", "2020-04-01")}


class with_members:
    """The screens run inside also read a members table (issue 14's reader) of `by_head`: a file of
    its own among the inputs, each member linked to its household by the head's ID, with its
    relation and 劳动技能."""

    def __init__(self, by_head: dict):
        self.by_head = by_head

    def __enter__(self):
        real = jobs.screen
        self.folder = Path(tempfile.mkdtemp(prefix="members-"))
        path = self.folder / "家庭成员.xlsx"
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("家庭成员")
        ws.write_row(0, 0, ["户主身份证号", "姓名", "与户主关系", "身份证号", "劳动技能"])
        r = 1
        for head, people in self.by_head.items():
            for m, relation, labour in people:
                ws.write_row(r, 0, [head, f"成员{r}", relation, m, labour])
                r += 1
        book.close()

        def screen(files, *args, found=None, **kwargs):  # the inputs found again, the members file among them
            return real([*files, path], *args, **kwargs)

        self.patch = pytest.MonkeyPatch()
        self.patch.setattr(jobs, "screen", screen)
        return self

    def __exit__(self, *exc):
        self.patch.undo()
        shutil.rmtree(self.folder, ignore_errors=True)


def copy_db(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    return dst


def measures_held(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("select household, type, content, start, end, amount_fen, person, replaces "
                           "from measures order by id").fetchall()
    finally:
        con.close()


def fill_measures(folder: Path, measures: dict) -> list[Path]:
    forms = sorted(folder.glob("*.xlsx"))
    for path in forms:
        form = MeasureForm(path)
        for name, (kind, content, start) in measures.items():
            if form.rows_of(name):
                form.add(name, 帮扶类型=kind, 帮扶内容=content, 开始日期=start, 帮扶责任人="王干部")
        form.save()
    return forms


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The 2019 register (everyone registered on 2019-12-27), its copy with the measures recorded, and
    the 2020 screen's output folder on a third copy."""
    tmp = tmp_path_factory.mktemp("years")
    with with_members(MEMBERS_2019):
        (tmp / "registered").mkdir()
        registered = register_everyone(tmp, PEOPLE_2019, db=tmp / "registered" / "农安县.db")
    db = copy_db(registered, tmp / "measured" / "农安县.db")
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp / "forms")
    run("register", "record", db, *fill_measures(tmp / "forms", MEASURES))
    screened = copy_db(db, tmp / "2020" / "农安县.db")
    source = survey(tmp / "2020调查表.xlsx", PEOPLE_2020)
    with with_members(MEMBERS_2020):
        output = run("screen", source, "--year", "2020", "-o", tmp / "out2020", "--register", screened,
                     "--date", ROUND_2020).output
    return {"tmp": tmp, "registered": registered, "measured": db, "db": screened, "out": tmp / "out2020",
            "output": output, "source": source}


def sheet_rows(path: Path, sheet: str, header_text: str = "户主姓名", key: str | None = None) -> list[dict]:
    """A sheet's table as dicts (header → value), the header found by a cell reading `header_text`;
    the rows with a value under `key` (default: that header)."""
    ws = openpyxl.load_workbook(path)[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if header_text in r)
    header = rows[at]
    return [row for row in (dict(zip(header, r)) for r in rows[at + 1:]) if row.get(key or header_text) is not None]


def first_form(county, tmp_path) -> tuple[Path, MeasureForm]:
    """A copy of the registered county and its 前岗村 measure form of 2020-01-05, to fill in."""
    db = copy_db(county["registered"], tmp_path / "农安县.db")
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "forms")
    return db, MeasureForm(tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")


def recorded_form(county, tmp_path, *measures: tuple[str, dict]) -> tuple[Path, MeasureForm]:
    """first_form with `measures` ((head, the form's cells)) added, saved and recorded."""
    db, form = first_form(county, tmp_path)
    for name, values in measures:
        form.add(name, **values)
    form.save()
    run("register", "record", db, form.path)
    return db, form


def printed_again(db: Path, tmp_path) -> MeasureForm:
    """前岗村's measure form printed again on 2020-06-01, with the measures recorded since."""
    run("register", "measures", db, "--date", "2020-06-01", "-o", tmp_path / "forms2")
    return MeasureForm(tmp_path / "forms2" / "合隆镇-前岗村-帮扶措施.xlsx")


def changes_by_name(county) -> dict[str, dict]:
    return {r["户主姓名"]: r for r in sheet_rows(county["out"] / "changes.xlsx", "变动名单")}


# ---------------------------------------------------------------------------------------------
# Next year's survey against the register


def test_each_change_category_in_the_ledger_changes_xlsx_and_on_the_terminal(county):
    expected = {"户A": "继续帮扶", "户B": "拟退出", "户C": "收入超标但不满足退出条件", "户D": "转贫困户识别",
                "户E": "本年未调查", "户F": "新识别候选", "户G子": "继续帮扶", "户H妻": "继续帮扶",
                "户I": "收入超标但不满足退出条件", "户J": "转入兜底保障,拟退出", "户K": "继续帮扶",
                "户L": "继续帮扶", "户M": "继续帮扶"}
    listed = changes_by_name(county)
    assert {name: row["变动"] for name, row in listed.items()} == expected
    # The ledger: each surveyed household's change (the missing one has no row; others none).
    ledger = read_ledger(county["out"] / "decisions.csv")
    assert dict(zip(ledger["head_name"], ledger["register_change"].fillna(""))) == \
        {k: v for k, v in expected.items() if k != "户E"}
    # The figures: before and now, and the change.
    a = listed["户A"]
    assert (a["上次年度"], a["上次人均纯收入(元)"], a["2020年人均纯收入(元)"], a["变化(元)"]) == \
        (2019, 3333.33, 3500, pytest.approx(166.67))
    assert listed["户E"]["2020年人均纯收入(元)"] is None and "漏项" in listed["户E"]["说明"]
    assert "不高于 3218.00 元" in listed["户D"]["说明"] or "不高于 3218 元" in listed["户D"]["说明"]
    assert listed["户F"]["上次年度"] is None and "民主评议" in listed["户F"]["说明"]
    # The summary: per village, and the county's total.
    summary = sheet_rows(county["out"] / "changes.xlsx", "变动汇总", "行政村", key="乡(镇)")
    front = next(r for r in summary if r["行政村"] == "前岗村")
    assert (front["本轮前在册"], front["继续帮扶"], front["拟退出"], front["收入超标但不满足退出条件"],
            front["转入兜底保障,拟退出"], front["转贫困户识别"], front["本年未调查"], front["新识别候选"]) == \
        (9, 3, 1, 2, 1, 1, 1, 0)
    total = next(r for r in summary if r["乡(镇)"] == "合计")
    assert (total["本轮前在册"], total["新识别候选"]) == (12, 1)
    # The terminal says the same.
    for words in ("继续帮扶:6 户", "拟退出:1 户", "收入超标但不满足退出条件:2 户", "转贫困户识别:1 户",
                  "本年未调查:1 户", "新识别候选:1 户"):
        assert words in county["output"], county["output"]


def test_a_registered_head_on_two_rows_of_next_years_survey_is_a_data_error_not_unsurveyed(county, tmp_path):
    """户A's row copied into another village's part of the 2020 survey: both rows duplicate_household,
    invalid. Before: 户A was 本年未调查 ('本年调查表中没有该户') and the ledger's 登记簿变动 blank on
    both rows; it was surveyed, wrongly."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    twice = [*PEOPLE_2020, person("A", OTHER, 工资性收入=10500)]
    source = survey(tmp_path / "2020调查表.xlsx", twice)
    out = run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020).output
    ledger = read_ledger(tmp_path / "out" / "decisions.csv")
    rows = ledger[ledger["head_id"] == IDS["A"]]
    assert list(rows["status"]) == ["invalid", "invalid"]
    raw = pd.read_csv(tmp_path / "out" / "decisions.csv", dtype=str, encoding="utf-8-sig")
    assert list(raw.loc[raw["户主身份证号"] == IDS["A"], "登记簿变动"]) == ["数据有误,待核实"] * 2
    changes = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert "户A" in changes and "本年未调查" not in str(changes["户A"]), changes["户A"]
    said = " ".join(out.split())
    # 户E (户H's new head, its registered 配偶, is matched without members: the register knows her)
    assert "数据有误,待核实:1 户" in said and "本年未调查:1 户" in said


def test_a_household_surveyed_in_another_village_says_where_it_was(county, tmp_path):
    """户A moved from 前岗村 to 后岗村 between the surveys: matched by its head, it stays on the
    register (继续帮扶) and its line in changes.xlsx says where the register last had it."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    moved = [person("A", OTHER, 工资性收入=10500) if p["户主姓名"] == "户A" else p for p in PEOPLE_2020]
    source = survey(tmp_path / "2020调查表.xlsx", moved)
    run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020)
    changes = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert changes["户A"]["行政村"] == "后岗村" and changes["户A"]["变动"] == "继续帮扶", changes["户A"]
    assert changes["户A"]["说明"].startswith("上次调查在合隆镇前岗村,本年在本村调查"), changes["户A"]
    assert not any("上次调查在" in (r["说明"] or "") for name, r in changes.items() if name != "户A")
    # The summary: on the register before in 前岗村, moved out of it and into 后岗村, its change counted
    # there. Before: 后岗村 counted it among those on the register before, 前岗村 one short.
    rows = sheet_rows(tmp_path / "out" / "changes.xlsx", "变动汇总", "行政村", key="乡(镇)")
    summary = {r["行政村"]: r for r in rows}
    front, back = summary["前岗村"], summary["后岗村"]
    assert (front["本轮前在册"], front["迁出"], front["迁入"]) == (9, 1, 0), front
    assert (back["本轮前在册"], back["迁出"], back["迁入"]) == (3, 0, 1), back
    total = next(r for r in rows if r["乡(镇)"] == "合计")
    assert (total["本轮前在册"], total["迁出"], total["迁入"]) == (12, 1, 1), total


def test_a_village_waiting_on_both_its_new_candidates_and_its_exits_is_said_per_step(county, tmp_path):
    """前岗村 has a new candidate's review and an exit review out at once: `register next` says what is
    out step by step (documents_out, as `register status` says it), 前岗村 named once in each."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    new_here = {**VILLAGE, "户主姓名": "户N", "户主身份证号": make_id(birth="19850505", serial=392), "户编号": "HBN"}
    source = survey(tmp_path / "2020调查表.xlsx", [*PEOPLE_2020, new_here])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020)
    first = run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "docs").output
    assert "退出民主评议" in first
    issued = sorted(p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.xlsx"))
    assert sum("前岗村" in p and "民主评议" in p for p in issued) == 2, issued  # both tracks' reviews in 前岗村
    # and its 户E, not surveyed, to verify (未调查户核实): a third track, the same village, its file named
    # with its step (gathered into one folder, the three must not overwrite one another)
    assert "未调查户核实/合隆镇-前岗村-未调查户核实.xlsx" in issued, issued
    assert len({p.rsplit("/", 1)[-1] for p in issued}) == len(issued), issued
    said = run("register", "next", db, "--date", "2020-11-24", "-o", tmp_path / "docs2").output
    assert "民主评议:2 个村的文书已发出、尚未登记(合隆镇后岗村、前岗村" in said and \
        "退出民主评议:1 个村的文书已发出、尚未登记(合隆镇前岗村" in said, said


def test_next_years_survey_screened_without_year_is_refused_not_recorded_as_last_year_again(county, tmp_path):
    """The 2020 survey screened a year after the 2019 round with --year forgotten: the rule set's
    default (2019) would record it as income year 2019 a second time, and changes.xlsx and the trend
    call 2020's incomes 2019's. Before: recorded so, silently. Refused before anything is read or
    written, saying which year the register holds and from when, and to give --year; --year 2019
    given on purpose (a re-survey of that year) is the clerk's word and is recorded."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    source = survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020)
    said = " ".join(run("screen", source, "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020,
                        code=2).output.split())
    assert "已有 2019 年度的筛查" in said and "2019-11-20" in said, said
    assert "没有写 --year" in said and "--year 2020" in said, said
    assert not (tmp_path / "out").exists()
    con = sqlite3.connect(db)
    try:
        assert con.execute("select year, round_date from rounds").fetchall() == [(2019, "2019-11-20")]
    finally:
        con.close()
    # In English too, through the catalogue.
    english = " ".join(run("screen", source, "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020,
                           "--lang", "en", code=2).output.split())
    assert "already holds income year 2019" in english and "--year 2020" in english, english
    run("screen", source, "--year", "2019", "-o", tmp_path / "again", "--register", db, "--date", ROUND_2020)


def test_a_household_this_years_survey_missed_is_flagged_in_the_register_book_and_the_status(county, tmp_path):
    """户E is on the register and not in the 2020 survey: the 花名册 of 2020 shows its 2019 income, so it
    says the survey year and that 户E was not surveyed; register status and 进度.xlsx say it too."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册") if r.get("户主姓名")}
    assert rows["户E"]["调查年度"] == 2019 and rows["户A"]["调查年度"] == 2020
    assert rows["户E"]["帮扶缺口"].startswith("2020年未调查(收入为上次调查数),须查明原因"), rows["户E"]
    assert "未调查" not in (rows["户A"]["帮扶缺口"] or "")
    lines = [c.value for r in openpyxl.load_workbook(export)["花名册"].iter_rows(max_row=40) for c in r
             if isinstance(c.value, str)]
    assert any("前岗村" in v and "2020年未调查 1 户" in v for v in lines), lines
    output = run("register", "status", db, "--as-of", "2020-12-31", "-o", tmp_path / "进度.xlsx", columns=80).output
    # At 80 columns every line fits: a long one wraps under its own text. A path longer than the line
    # stands whole on its own (the test's folder is as long as the test runner makes it).
    written = str(tmp_path / "进度.xlsx")
    assert max(cell_len(line) for line in output.splitlines()
               if line.strip() != written and not line.startswith("  edgescreen ")) <= 80, output  # commands whole
    said = " ".join(output.split())
    assert "前岗村:在册" in said and "2020年未调查 1 户" in said, said
    gaps = sheet_rows(tmp_path / "进度.xlsx", "帮扶缺口", "户主姓名")
    assert any(r["户主姓名"] == "户E" and "2020年未调查" in r["帮扶缺口"] for r in gaps)


def test_each_exit_condition(county):
    listed = changes_by_name(county)
    # All hold: income at the bound, a measure received before the round, a son of working age.
    assert listed["户B"]["说明"].startswith("收入达到退出标准:是;享受过帮扶措施:是;有劳动年龄劳动力:是")
    # No measure: blocked, and the failing condition named first.
    assert listed["户C"]["说明"].startswith("不满足退出条件:未享受过帮扶措施。收入达到退出标准:是;享受过帮扶措施:否;"
                                           "有劳动年龄劳动力:未知")
    # Nobody of working age (75 and 72 at the end of 2020, one of them 丧失劳动力): blocked.
    assert listed["户I"]["说明"].startswith("不满足退出条件:无劳动年龄劳动力。收入达到退出标准:是;享受过帮扶措施:是;"
                                           "有劳动年龄劳动力:否")


def test_the_income_condition_asks_the_years_the_rule_set_says(county, tmp_path):
    """years_above = 2: 户B's 2019 income was in the band, so in 2020 its exit is blocked by income."""
    text = (Path(__file__).resolve().parents[1] / "rules" / "changchun-2019.toml").read_text(encoding="utf-8")
    assert "years_above = 1" in text
    rules = tmp_path / "两年.toml"
    rules.write_text(text.replace("years_above = 1", "years_above = 2"), encoding="utf-8")
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    with with_members(MEMBERS_2020):
        run("screen", county["source"], "--year", "2020", "--rules", rules, "-o", tmp_path / "out", "--register", db,
            "--date", ROUND_2020)
    listed = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert listed["户B"]["变动"] == "收入超标但不满足退出条件"
    assert listed["户B"]["说明"].startswith("不满足退出条件:收入未连续达到退出标准。收入达到退出标准:否")


def test_a_head_who_changed_is_matched_by_the_household_number_or_a_member_and_shown(county):
    listed = changes_by_name(county)
    g, h = listed["户G子"], listed["户H妻"]
    assert g["说明"].startswith(f"户主变更:原户主 户G({mask_id(pd.Series([IDS['G']])).iloc[0]}),按户编号对应")
    assert h["说明"].startswith(f"户主变更:原户主 户H({mask_id(pd.Series([IDS['H']])).iloc[0]}),按家庭成员身份证号对应")
    assert (h["上次年度"], h["上次人均纯收入(元)"]) == (2019, 3333.33)
    assert "户主变更" not in listed["户A"]["说明"]
    # One household across the years: its history under the new head holds both rounds.
    for new_head in (NEW_G, SPOUSE_H):
        history = run("register", "history", county["db"], "--id", new_head).output
        assert "第 1 轮" in history and "第 2 轮" in history, history
        assert "公告" in history  # the 2019 registration is this household's
    # Without this year's members too: 户H妻, registered as 户H's 配偶, heads that household (matched by a
    # member's ID the register holds).
    db = copy_db(county["measured"], county["tmp"] / "no-members" / "农安县.db")
    run("screen", county["source"], "--year", "2020", "-o", county["tmp"] / "no-members" / "out", "--register", db,
        "--date", ROUND_2020)
    listed = {r["户主姓名"]: r["变动"] for r in sheet_rows(county["tmp"] / "no-members" / "out" / "changes.xlsx", "变动名单")}
    assert listed["户H妻"] == "继续帮扶" and "户H" not in listed, listed


def test_the_exit_goes_through_meeting_verification_and_publicity(county, tmp_path):
    db = copy_db(county["db"], tmp_path / "农安县.db")
    out = tmp_path / "exit-1"
    said = run("register", "next", db, "--date", "2020-11-23", "-o", out).output
    assert "退出民主评议" in said
    review = sorted((out / "退出1-民主评议").glob("*.xlsx"))
    assert [p.name for p in review] == ["合隆镇-前岗村-退出民主评议.xlsx"]
    rows = sheet_rows(review[0], "退出评议名单")
    assert {r["户主姓名"]: r["拟退出原因"] for r in rows} == {"户B": "收入达到退出标准", "户J": "已纳入低保"}
    from register_builders import fill, meeting

    seq = {r["户主姓名"]: r["序号"] for r in rows}
    # The exit meeting is a 村民代表会议 too: held with two thirds of its members at least.
    fill(review[0], default=("同意", ""), form=meeting("2020-11-25", 应到人数=30, 实到人数=19))
    short = " ".join(run("register", "record", db, review[0], code=2).output.split())
    assert "实到人数 19 不足应到人数 30" in short and "第二十六条" in short, short
    fill(review[0], decisions={seq["户J"]: ("不同意", "低保刚纳入,先观察半年")}, default=("同意", ""),
         form=meeting("2020-11-25"))
    run("register", "record", db, review[0])
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    verify = sorted((tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    assert [r["户主姓名"] for r in sheet_rows(verify[0], "退出核实表")] == ["户B"]
    fill(verify[0], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    run("register", "record", db, verify[0])
    run("register", "next", db, "--date", "2020-11-30", "-o", tmp_path / "exit-3")
    notice = sorted((tmp_path / "exit-3" / "退出3-公示").glob("*.xlsx"))
    text = " ".join(str(c.value) for ws in openpyxl.load_workbook(notice[0]).worksheets if ws.sheet_state == "visible"
                    for r in ws.iter_rows() for c in r if c.value is not None)
    assert "经民主评议、入户核实,以下 1 户拟退出贫困边缘户管理" in text and IDS["B"] not in text
    run("register", "record", db, notice[0])  # no objection; its 7 days ended 12-06
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    names = [r["户主姓名"] for r in sheet_rows(export, "花名册") if r.get("户主姓名")]
    assert "户B" not in names and "户J" in names and "户A" in names
    trend = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", trend)
    states = {r["户主姓名"]: r["状态"] for r in sheet_rows(trend, "各户")}
    assert states["户B"] == "已退出(2020-12-06)" and states["户A"] == "在册"
    # The village's line counts 户B, who left: its title says so, and how many are on the register now
    # (tester f: a sheet titled 在册农户 counted those that had left).
    ws = openpyxl.load_workbook(trend)["各村"]
    assert "纳入过登记簿的农户" in ws["A1"].value and "在册农户" not in ws["A1"].value
    village = {r["行政村"]: r for r in sheet_rows(trend, "各村", "行政村")}["前岗村"]
    assert (village["户数"], village["其中在册"]) == (9, 8)
    # The January measure form, filled in again after 户B left: no measure of his may start after 12-06.
    form = MeasureForm(shutil.copy(county["tmp"] / "forms" / "合隆镇-前岗村-帮扶措施.xlsx", tmp_path / "措施.xlsx"))
    late = form.add("户B", 帮扶类型="就业", 帮扶内容="县内企业转移就业", 开始日期="2020-12-10", 帮扶责任人="王干部")
    form.save()
    before = measures_held(db)
    output = run("register", "record", db, form.path, code=2).output
    start = form.ws.cell(late, form.cols["开始日期"]).coordinate  # its start's cell (was the row, 第 n 行)
    assert f"「帮扶措施」{start}:「户B」已于 2020-12-06 退出贫困边缘户管理,不能再登记此后开始的措施" in output, output
    assert measures_held(db) == before
    form = MeasureForm(form.path)
    form.write(late, 开始日期="2020-11-30")  # begun while he was on the register: recorded
    form.save()
    run("register", "record", db, form.path)
    assert measures_held(db)[-1][3] == "2020-11-30"


def test_an_exit_whose_objection_was_settled_after_the_publicity_leaves_on_that_day(county, tmp_path):
    """户B's exit publicity ran 11-30 to 12-06; an objection to it was dismissed on 12-09. Before: the
    register had him leave on 12-06 (收入变化.xlsx said 已退出(2020-12-06), and a measure begun on 12-08,
    while he was still held on the register by the objection, was refused). Now he leaves on 12-09,
    as his publicity's outcome is dated in the procedure."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    exit_to_publicity(db, tmp_path, [("户B", "说他家收入没有那么高", "不成立", "2020-12-09")])
    trend = tmp_path / "收入变化.xlsx"
    run("register", "trend", db, "-o", trend)
    states = {r["户主姓名"]: r["状态"] for r in sheet_rows(trend, "各户")}
    assert states["户B"] == "已退出(2020-12-09)", states
    form = MeasureForm(shutil.copy(county["tmp"] / "forms" / "合隆镇-前岗村-帮扶措施.xlsx", tmp_path / "措施.xlsx"))
    form.add("户B", 帮扶类型="就业", 帮扶内容="县内企业转移就业", 开始日期="2020-12-08", 帮扶责任人="王干部")
    form.save()
    run("register", "record", db, form.path)
    assert measures_held(db)[-1][3] == "2020-12-08"


# ---------------------------------------------------------------------------------------------
# 帮扶 measures: the form's round trip, its refusals, coverage and fit


def test_the_measure_form_round_trip_and_its_refusals(county, tmp_path):
    db = copy_db(county["registered"], tmp_path / "农安县.db")
    said = run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "forms").output
    assert "2 个村,在册 12 户(已录入措施 0 项)" in said
    form_path = tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx"
    form = MeasureForm(form_path)
    assert "因病" not in [form.ws.cell(r, form.cols["主要困难"]).value for r in form.rows_of("户B")]
    bad = form.add("户A", 帮扶类型="发钱", 帮扶内容="慰问金", 开始日期="2020-03-01", 帮扶责任人="王干部")
    nobody = form.add("户B", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020年3月1日")
    form.add("户C", 帮扶类型="产业扶持(合作社+贫困边缘户)", 帮扶内容="肉牛养殖", 开始日期="2020-03-01", 金额=3000,
             帮扶责任人="李干部")
    edited = form.rows_of("户D")[0]
    form.ws.cell(edited, form.cols["户主姓名"]).value = "户丁"
    form.save()
    before = measures_held(db)
    output = run("register", "record", db, form_path, code=2).output
    type_col = openpyxl.utils.get_column_letter(form.cols["帮扶类型"])
    person_col = openpyxl.utils.get_column_letter(form.cols["帮扶责任人"])
    name_col = openpyxl.utils.get_column_letter(form.cols["户主姓名"])
    for words in (f"合隆镇-前岗村-帮扶措施.xlsx 「帮扶措施」{type_col}{bad}:序号 1(户A):帮扶类型填的是「发钱」,不是帮扶类型",
                  f"合隆镇-前岗村-帮扶措施.xlsx 「帮扶措施」{person_col}{nobody}:序号 2(户B):「帮扶责任人」没有填写",
                  f"合隆镇-前岗村-帮扶措施.xlsx 「帮扶措施」{name_col}{edited}:序号 4 的户主姓名与打印时不同(打印的是「户D」,现在是「户丁」)",
                  "登记簿没有任何改动"):
        assert words in output, output
    assert measures_held(db) == before
    # Put right: recorded; the model of 产业扶持 and the amount in fen kept.
    form = MeasureForm(form_path)
    form.write(bad, 帮扶类型="社会帮扶")
    form.write(nobody, 帮扶责任人="赵干部")
    form.ws.cell(edited, form.cols["户主姓名"]).value = "户D"
    form.save()
    assert "3 户的 3 项措施已登记" in run("register", "record", db, form_path).output
    held = measures_held(db)
    assert [(t, c, s, e, a, p) for _, t, c, s, e, a, p, _ in held] == [
        ("social", "慰问金", "2020-03-01", None, None, "王干部"),
        ("technical", "种植技术培训", "2020-03-01", None, None, "赵干部"),
        ("industry", "肉牛养殖", "2020-03-01", None, 300000, "李干部")]
    assert "已经登记过,内容相同,没有改动" in run("register", "record", db, form_path).output
    assert measures_held(db) == held
    # The next form lists them; an end date filled in later replaces the row; another change needs --amend.
    again = printed_again(db, tmp_path)
    row_b = again.measure_row("户B")
    assert again.ws.cell(row_b, again.cols["帮扶内容"]).value == "种植技术培训"
    untouched = again.save(tmp_path / "未填结束日期.xlsx")  # the same form, printed before the end date
    again.write(row_b, 结束日期="2020-05-31")
    again.save()
    said = run("register", "record", db, again.path).output
    assert "1 户,更改已登记的措施 1 项,新登记 0 项" in said, said
    # The end date filled in: a row replacing the old one (which stays), recorded as the command was typed.
    assert len(measures_held(db)) == 4 and measures_held(db)[-1][4] == "2020-05-31"
    con = sqlite3.connect(db)
    assert con.execute("SELECT command FROM changesets ORDER BY id DESC LIMIT 1").fetchone()[0] == "register record"
    con.close()
    # The copy printed before it, recorded as it was: nothing new (not a change of the end date back).
    assert "没有改动" in run("register", "record", db, untouched).output
    assert len(measures_held(db)) == 4
    again = MeasureForm(again.path)
    again.write(row_b, 帮扶责任人="钱干部")
    again.save()
    output = run("register", "record", db, again.path, code=2).output
    assert "帮扶责任人已登记为「赵干部」,这份表是「钱干部」" in output and "--amend" in output
    run("register", "record", db, again.path, "--amend", "--reason", "责任人调整")
    assert measures_held(db)[-1][6] == "钱干部"


def test_a_measure_form_with_merged_cells_and_a_total_row_is_read_as_it_shows(county, tmp_path):
    """WPS clerks merge a household's identity cells over its rows and add a 合计 row under the table.
    Before: every row under the first of a merge read without its 序号 (这一行填了措施但没有序号:复制该
    户的整行…, though the 序号 shows), and so did the 合计 row. A merged amount is what the rows come
    to together: it stays with the first row, not counted twice."""
    db, form = first_form(county, tmp_path)
    last = max(r for r in range(form.header + 1, form.ws.max_row + 1) if form.ws.cell(r, form.cols["户主姓名"]).value)
    a_first, a_second = form.rows_of("户A")
    form.write(a_first, 帮扶类型="产业扶持", 帮扶内容="庭院经济", 开始日期="2020-03-01", 金额=3000, 帮扶责任人="王干部")
    form.write(a_second, 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-03-01")
    b_first, b_second = form.rows_of("户B")  # 户B's one measure on its second row, the first left as printed
    form.write(b_second, 帮扶类型="就业", 帮扶内容="转移就业", 开始日期="2020-03-02", 帮扶责任人="李干部")
    identity = ("序号", "村民小组", "户主姓名", "身份证号", "主要困难", "纳入日期")
    for first, second, headers in ((a_first, a_second, (*identity, "金额(元)", "帮扶责任人")),
                                   (b_first, b_second, identity)):
        for header in headers:
            col = form.cols[header]
            form.ws.cell(second, col).value = None
            form.ws.merge_cells(start_row=first, start_column=col, end_row=second, end_column=col)
    form.ws.cell(last + 1, form.cols["序号"]).value = "合计"
    form.write(last + 1, 帮扶内容="共3项", 金额=3000)
    form.save()
    said = run("register", "record", db, form.path).output
    assert "2 户的 3 项措施已登记" in said, said
    assert [(c, a, p) for _, _, c, _, _, a, p, _ in measures_held(db)] == [
        ("庭院经济", 300000, "王干部"), ("种植技术培训", None, "王干部"), ("转移就业", None, "李干部")]


def test_a_printed_measure_rewritten_or_cleared_is_not_taken_for_a_new_one(county, tmp_path):
    """A form prints the measures held; a clerk who types over one (another content, type or start)
    changes a recorded measure, which needs --amend and then replaces it; one who clears or deletes a
    printed row would lose a measure, which the register never does, --amend or not."""
    db, form = recorded_form(county, tmp_path,
                       ("户A", dict(帮扶类型="社会帮扶", 帮扶内容="慰问金", 开始日期="2020-03-01", 帮扶责任人="王干部")),
                       ("户B", dict(帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-03-01", 帮扶责任人="赵干部")))
    held = measures_held(db)
    again = printed_again(db, tmp_path)
    row_a = again.measure_row("户A")
    row_b = again.measure_row("户B")
    again.write(row_a, 帮扶内容="慰问金及米面油")
    again.save()
    output = run("register", "record", db, again.path, code=2).output
    assert ("「户A」已登记的措施「社会帮扶:慰问金(自 2020-03-01)」在这份表上改成了「社会帮扶:慰问金及米面油(自 2020-03-01)」"
            in output), output
    # At the cell typed over (before: the row, 第 n 行).
    content = again.ws.cell(row_a, again.cols["帮扶内容"]).coordinate
    assert f"「{again.ws.title}」{content}:「户A」已登记的措施" in " ".join(output.split()), output
    assert "--amend" in output and measures_held(db) == held
    # With --amend the rewritten measure replaces the one printed: still one measure for 户A.
    run("register", "record", db, again.path, "--amend", "--reason", "内容写错")
    rows = measures_held(db)
    assert len(rows) == 3 and rows[-1][2] == "慰问金及米面油" and rows[-1][7] == 1
    # The household's history shows both rows: who recorded each, from which file, and the change.
    history = " ".join(run("register", "history", db, "--id", IDS["A"]).output.split())
    assert "帮扶措施 1 项(其中 1 项登记后有更改,更改列在该项下面)" in history, history
    assert "2020-03-01 帮扶措施 1 · 社会帮扶:慰问金及米面油,帮扶责任人 王干部" in history, history
    assert "更改:帮扶类型和内容:社会帮扶:慰问金 → 社会帮扶:慰问金及米面油" in history and "帮扶措施 2" not in history
    assert "register record --amend · 合隆镇-前岗村-帮扶措施.xlsx · 更正:内容写错" in history
    # The same form again: nothing more to record.
    assert "没有改动" in run("register", "record", db, again.path).output
    assert measures_held(db) == rows
    # B's printed row cleared: refused, with or without --amend; the register keeps the measure.
    again = MeasureForm(again.path)
    for header in ("帮扶类型", "帮扶内容", "开始日期", "帮扶责任人"):
        again.ws.cell(row_b, again.cols[header]).value = None
    again.save()
    for extra in ((), ("--amend", "--reason", "不再帮扶")):
        output = run("register", "record", db, again.path, *extra, code=2).output
        assert "「户B」已登记的措施「技术指导:种植技术培训(自 2020-03-01)」不在这份表上(该行被删去或清空)" in output, output
        assert measures_held(db) == rows
    # The first form, printed before the change, recorded again as it was: it says nothing new.
    assert "没有改动" in run("register", "record", db, form.path).output
    assert measures_held(db) == rows
    # The first form typed over (another content) after the change: refused, not a second measure.
    first = MeasureForm(form.path)
    row_a1 = first.measure_row("户A")
    first.write(row_a1, 帮扶内容="别的内容")
    first.save(tmp_path / "第一份改过.xlsx")
    for extra in ((), ("--amend", "--reason", "再改")):
        output = run("register", "record", db, tmp_path / "第一份改过.xlsx", *extra, code=2).output
        assert "在这份表打印之后已由另一份表更改" in output, output
        assert measures_held(db) == rows
    # … and with that since-replaced measure changed on it, it is refused: a newer form is needed.
    first = MeasureForm(form.path)
    first.write(first.measure_row("户A"),
                帮扶责任人="孙干部")
    first.save()
    output = run("register", "record", db, first.path, code=2).output
    assert "「户A」的措施「社会帮扶:慰问金(自 2020-03-01)」在这份表打印之后已由另一份表更改" in output, output
    assert measures_held(db) == rows


def test_a_cleared_measure_row_is_the_one_refusal_not_every_amount_beside_it(county, tmp_path):
    """户B's measure (no amount) cleared on a later form, 户A's and 户C's (with amounts) left as printed.
    Before: besides the refusal of the cleared row, each untouched amount was said changed
    (金额(元)已登记为「3000.00」,这份表是「3000.00」), the amounts compared as text of columns of
    different kinds once the blank amount was gone."""
    db, form = recorded_form(county, tmp_path,
                       ("户A", dict(帮扶类型="产业扶持", 帮扶内容="庭院经济", 开始日期="2020-03-01", 金额=3000, 帮扶责任人="王干部")),
                       ("户B", dict(帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-03-01", 帮扶责任人="赵干部")),
                       ("户C", dict(帮扶类型="小额信贷", 帮扶内容="5万元贴息贷款", 开始日期="2020-03-01", 金额=50000, 帮扶责任人="王干部")))
    held = measures_held(db)
    again = printed_again(db, tmp_path)
    row_b = again.measure_row("户B")
    for header in ("帮扶类型", "帮扶内容", "开始日期", "帮扶责任人"):
        again.ws.cell(row_b, again.cols[header]).value = None
    again.save()
    output = " ".join(run("register", "record", db, again.path, code=2).output.split())
    assert "1 个文件中有 1 处问题" in output, output
    assert "「户B」已登记的措施「技术指导:种植技术培训(自 2020-03-01)」不在这份表上" in output
    assert "已登记为「3000.00」" not in output and measures_held(db) == held


def test_a_measure_starting_before_the_household_entered_or_without_a_year_is_refused_in_2020s_words(county,
                                                                                                    tmp_path):
    """Before: a measure started 2018-05-01 (the households entered on 2019-12-27) was recorded and
    counted for the 30 days; a start typed 3月5日 on a 2020 form was told 请写成 2019-12-05."""
    db, form = first_form(county, tmp_path)
    form.add("户A", 帮扶类型="小额信贷", 帮扶内容="5万元贴息贷款", 开始日期="2018-05-01", 金额=50000, 帮扶责任人="王干部")
    row_b = form.add("户B", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="3月5日", 帮扶责任人="赵干部")
    form.save()
    output = " ".join(run("register", "record", db, form.path, code=2).output.split())
    # The row's 序号 and head named, as on every other problem of the form (outside try).
    assert "(户B):「开始日期」填的是「3月5日」,不是日期:请写成 2020-03-05 或 2020年3月5日" in output, output
    form.write(row_b, 开始日期="2020-03-05")
    form.save()
    output = " ".join(run("register", "record", db, form.path, code=2).output.split())
    assert "「户A」的措施「小额信贷:5万元贴息贷款(自 2018-05-01)」开始日期早于该户纳入贫困边缘户的日期 2019-12-27" in output, output
    start = form.ws.cell(form.measure_row("户A"), form.cols["开始日期"]).coordinate
    assert f"「{form.ws.title}」{start}:「户A」的措施" in output, output  # the start's cell, not the row
    assert measures_held(db) == []


def test_an_older_measure_form_recorded_again_after_a_later_one_ended_a_measure_changes_nothing(county, tmp_path):
    """The 2020-01-05 form recorded 户A's and 户B's measures; the 2020-06-01 form filled in 户A's end
    date. Before: the first form recorded again, unchanged, was refused (结束日期已登记为「2020-05-31」,
    这份表是「(空)」:…须加 --amend), and with --amend as told the measure was opened again. A form
    printed or recorded before a later change says nothing new for that measure as it was, and
    cannot change it, --amend or not; a measure no later form changed is amended as before."""
    db, form = recorded_form(county, tmp_path,
                       ("户A", dict(帮扶类型="社会帮扶", 帮扶内容="慰问金", 开始日期="2020-03-01", 帮扶责任人="王干部")),
                       ("户B", dict(帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-03-01", 帮扶责任人="赵干部")))
    later = printed_again(db, tmp_path)
    later.write(later.measure_row("户A"),
                结束日期="2020-05-31")
    later.save()
    run("register", "record", db, later.path)
    rows = measures_held(db)
    assert rows[-1][4] == "2020-05-31"
    # The first form again, as it was recorded: nothing changes, and it says why.
    for extra in ((), ("--amend", "--reason", "重新录入")):
        output = " ".join(run("register", "record", db, form.path, *extra).output.split())
        assert "已经登记过,内容相同,没有改动" in output, output
        assert "1 项措施此后已在后来印发的帮扶措施表上更改,以后来的登记为准" in output, output
        assert measures_held(db) == rows
    # Changed on it (户A's person), the measure a later form changed is refused, naming that form.
    first_a = form.measure_row("户A")
    form.write(first_a, 帮扶责任人="孙干部")
    form.save(tmp_path / "改过.xlsx")
    for extra in ((), ("--amend", "--reason", "责任人调整")):
        output = " ".join(run("register", "record", db, tmp_path / "改过.xlsx", *extra, code=2).output.split())
        assert ("「户A」的措施「社会帮扶:慰问金(自 2020-03-01)」在这份表(2020-01-05 印发)之后已由 2020-06-01 印发的"
                "帮扶措施表「合隆镇-前岗村-帮扶措施.xlsx」更改(结束日期:(空) → 2020-05-31)") in output, output
        assert "帮扶责任人" not in output and measures_held(db) == rows
    # 户B's, which no later form changed, is amended from the first form as before.
    form = MeasureForm(tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")
    form.write(form.measure_row("户B"), 帮扶责任人="钱干部")
    form.save()
    run("register", "record", db, form.path, "--amend", "--reason", "责任人调整")
    assert measures_held(db)[-1][6] == "钱干部" and len(measures_held(db)) == len(rows) + 1


def test_a_measure_form_nobody_filled_in_is_said_to_be_empty_not_already_recorded(county, tmp_path):
    """Before: a newly printed form recorded as it came back, nothing written on it, was said to be
    已经登记过,内容相同 though it had never been recorded. As printed, byte for byte, it has not come
    back: passed over, as a step's form is (a folder recorded before every village has replied).
    Opened and saved with nothing typed, it has come back with nothing new."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    form = printed_again(db, tmp_path)
    held = measures_held(db)
    output = run("register", "record", db, form.path).output
    assert "合隆镇-前岗村-帮扶措施.xlsx:帮扶措施,合隆镇前岗村:还没有填写(与打印时一字不差),已跳过。" in output, output
    form.save()
    output = run("register", "record", db, form.path).output
    assert "合隆镇-前岗村-帮扶措施.xlsx:帮扶措施,合隆镇前岗村:表上没有填写新的措施或更改,没有改动。" in output, output
    assert "已经登记过" not in output and measures_held(db) == held
    # Filled in and recorded, then recorded again: that one has been.
    form.write(form.measure_row("户A"), 结束日期="2020-05-31")
    form.save()
    run("register", "record", db, form.path)
    assert "已经登记过,内容相同,没有改动" in run("register", "record", db, form.path).output


def cells_with(path: Path, text: str) -> list[str]:
    """Every cell of the workbook at `path` whose text holds `text`."""
    return [str(c.value) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and text in c.value]


def test_a_phone_or_id_typed_into_a_measure_is_masked_on_the_roster_and_the_next_form(county, tmp_path):
    """Before: a phone and an ID typed into 帮扶内容 were printed in full in the masked 花名册 (its
    帮扶责任人 beside them masked), and both cells in full on the next village measure form. The form
    prints them masked and reads its masked cells back as the measure held: recorded again it says
    nothing new, and an end date filled in on it keeps the content as recorded."""
    content = "联系人电话13912345678,户主身份证220122196505271677"
    db, form = recorded_form(county, tmp_path,
                       ("户A", dict(帮扶类型="就业", 帮扶内容=content, 开始日期="2020-03-01", 帮扶责任人="刘洋13912345678")))
    held = measures_held(db)
    run("register", "export", db, "-o", tmp_path / "花名册.xlsx")
    assert cells_with(tmp_path / "花名册.xlsx", "5678") == [
        "就业:联系人电话139****5678,户主身份证220122********1677(2020-03-01起)", "刘洋139****5678"]
    # The county's own copy, asked for with --no-mask, keeps them whole.
    run("register", "export", db, "-o", tmp_path / "内部.xlsx", "--no-mask")
    assert len(cells_with(tmp_path / "内部.xlsx", "13912345678")) == 2
    again = printed_again(db, tmp_path)
    assert cells_with(again.path, "5678") == ["联系人电话139****5678,户主身份证220122********1677", "刘洋139****5678"]
    again.save()  # opened and saved by the village, nothing typed: read, not passed over as printed
    assert "没有改动" in run("register", "record", db, again.path).output
    assert measures_held(db) == held
    row_a = again.measure_row("户A")
    again.write(row_a, 结束日期="2020-05-31")
    again.save()
    assert "更改已登记的措施 1 项,新登记 0 项" in run("register", "record", db, again.path).output
    assert measures_held(db)[-1][2:8] == (content, "2020-03-01", "2020-05-31", None, "刘洋13912345678", 1)


def test_coverage_gaps_in_status_and_the_register(county, tmp_path):
    db = county["measured"]
    # Within the 30 days nobody is overdue; a measure that does not fit is a gap at once.
    early = run("register", "status", db, "--as-of", "2020-01-20").output
    assert "后岗村:在册 3 户,逾期无措施 0 户,措施与困难不符 0 户" in early  # K's starts 03-01
    late = run("register", "status", db, "--as-of", "2020-06-01", "-o", tmp_path / "进度.xlsx").output
    assert "前岗村:在册 9 户,逾期无措施 2 户,措施与困难不符 0 户" in late, late
    assert "后岗村:在册 3 户,逾期无措施 1 户,措施与困难不符 1 户" in late
    masked = {k: mask_id(pd.Series([IDS[k]])).iloc[0] for k in "CEKL"}
    assert f"户C {masked['C']}:纳入超过 30 天仍无帮扶措施" in late
    assert f"户K {masked['K']}:主要困难「因病」没有相应措施(应为健康)" in late
    assert f"户L {masked['L']}:纳入超过 30 天仍无帮扶措施" in late
    # 缺资金 met by 小额信贷; 缺技术 by 技术指导; 缺劳力 by 公益岗位: no gap.
    for k in "ABIM":
        assert f"户{k} " not in late.split("帮扶缺口")[1]
    gaps = sheet_rows(tmp_path / "进度.xlsx", "帮扶缺口", "户主姓名")
    assert {r["户主姓名"] for r in gaps} == {"户C", "户E", "户K", "户L"}
    # The 花名册: each household's measures and person, and its gap.
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册") if r.get("户主姓名")}
    assert rows["户M"]["帮扶措施"] == "小额信贷:5万元贴息贷款(2020-04-01起)" and rows["户M"]["帮扶责任人"] == "王干部"
    assert rows["户K"]["帮扶缺口"] == "主要困难「因病」没有相应措施(应为健康)"
    assert rows["户L"]["帮扶缺口"].startswith("纳入超过 30 天仍无帮扶措施")
    assert not rows["户A"]["帮扶缺口"]


def test_a_measure_whose_end_date_has_passed_shows_its_end_and_leaves_a_gap(county, tmp_path):
    """户A's only measure gets its end date (2020-06-05) on the form of 06-01. Before: the 花名册 showed it
    as running (…(2020-02-10起)) and neither it nor status --as-of after the end listed a gap. Now
    the 花名册 prints the end, and once it has passed the household has a gap at once (not 30 days
    later: it had a measure); on the end day itself the measure still runs."""
    db, _ = recorded_form(county, tmp_path, ("户A", {"帮扶类型": "产业扶持", "帮扶内容": "庭院经济",
                                                     "开始日期": "2020-02-10", "帮扶责任人": "王干部"}))
    again = printed_again(db, tmp_path)
    again.write(again.measure_row("户A"), 结束日期="2020-06-05")
    again.save()
    run("register", "record", db, again.path)
    masked = mask_id(pd.Series([IDS["A"]])).iloc[0]
    on_the_day = run("register", "status", db, "--as-of", "2020-06-05").output
    assert f"户A {masked}" not in on_the_day.split("帮扶缺口")[1], on_the_day
    later = run("register", "status", db, "--as-of", "2020-08-01", "-o", tmp_path / "进度.xlsx").output
    assert f"户A {masked}:帮扶措施已全部结束(最后于 2020-06-05),目前没有在帮措施" in later, later
    assert "前岗村:在册 9 户,逾期无措施 8 户,措施与困难不符 0 户,措施均已结束 1 户" in later, later
    villages = sheet_rows(tmp_path / "进度.xlsx", "各村帮扶缺口", "在册户数")
    assert {r["行政村"]: r["措施均已结束"] for r in villages if isinstance(r.get("在册户数"), int)} \
        == {"前岗村": 1, "后岗村": 0}, villages
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册") if r.get("户主姓名")}
    assert rows["户A"]["帮扶措施"] == "产业扶持:庭院经济(2020-02-10至2020-06-05)", rows["户A"]
    assert rows["户A"]["帮扶缺口"].startswith("帮扶措施已全部结束(最后于 2020-06-05)"), rows["户A"]


def test_date_options_take_the_spellings_the_documents_take(county, tmp_path):
    """register next --date 2019.12.20 (or 2019/12/20, 20191220) was refused with only 这个值不能用
    (tester), while the documents take these spellings: every date option takes them now."""
    db = county["measured"]
    iso = run("register", "status", db, "--as-of", "2020-08-01").output
    for spelling in ("2020.8.1", "2020/08/01", "20200801", "2020年8月1日", " 2020-08-01 "):
        assert run("register", "status", db, "--as-of", spelling).output == iso, spelling
    copy = copy_db(db, tmp_path / "农安县.db")
    said = run("register", "measures", copy, "--date", "2020.6.1", "-o", tmp_path / "forms").output
    assert "2 个村" in said, said
    form = MeasureForm(tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")
    assert "表格发出日期 2020年6月1日" in " ".join(str(c.value) for row in form.ws.iter_rows() for c in row if c.value)


def test_a_household_below_the_poverty_line_this_year_is_said_in_the_roster_and_status(county, tmp_path):
    """户D's 2020 per-capita (3,000) is below the line (3,218): changes.xlsx sends it to 转贫困户识别.
    Before: the 2020 花名册 and status showed it like any registered household. Now its row, its
    village's line and the title line of the 花名册 say so, and status counts and lists it."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    masked = mask_id(pd.Series([IDS["D"]])).iloc[0]
    said = run("register", "status", db).output
    assert f"户D {masked}:2020年人均纯收入不高于贫困线:转贫困户识别(见 changes.xlsx)" in said, said
    village = next(line for line in said.splitlines() if "前岗村:在册" in line)
    assert village.endswith(",收入不高于贫困线(转贫困户识别)1 户"), village
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册") if r.get("户主姓名")}
    assert rows["户D"]["帮扶缺口"].startswith("2020年人均纯收入不高于贫困线:转贫困户识别"), rows["户D"]
    assert "贫困线" not in (rows["户A"]["帮扶缺口"] or "")
    texts = [c.value for row in openpyxl.load_workbook(export).worksheets[0].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("其中 1 户人均纯收入不高于贫困线" in t for t in texts), texts[:3]
    assert any("前岗村" in t and "收入不高于贫困线(转贫困户识别)1 户" in t for t in texts)
    english = run("register", "status", db, "--lang", "en").output
    assert "at or below the poverty line" in english, english


# ---------------------------------------------------------------------------------------------
# Income over time, against a hand computation


TREND = {  # key: (township, village, residents, 2019 wage, 2020 wage or None = not surveyed)
    "P": ("合隆镇", "前岗村", 3, 10000, 10600),   # 3333.33 → 3533.33: +200.00, in the band
    "Q": ("合隆镇", "前岗村", 2, 7000, 6800),     # 3500.00 → 3400.00: −100.00, in the band
    "R": ("合隆镇", "青山村", 4, 14000, 17000),   # 3500.00 → 4250.00: +750.00, above
    "S": ("合隆镇", "青山村", 3, 10500, None),    # 3500.00, not surveyed: no change
    "T": ("烧锅镇", "三宝村", 2, 7200, 7500),     # 3600.00 → 3750.00: +150.00, in the band
    "U": ("烧锅镇", "三宝村", 1, 3900, 3100),     # 3900.00 → 3100.00: −800.00, below 3218
}


def test_income_over_time_against_a_hand_computation(tmp_path):
    ids = {k: make_id(birth="19750101", serial=500 + i) for i, k in enumerate(TREND)}

    def people(year: int) -> list[dict]:
        col = 3 if year == 2019 else 4
        return [{"乡(镇)": t[0], "行政村": t[1], "户主姓名": f"户{k}", "户主身份证号": ids[k], "家庭人口数": t[2],
                 "家庭常住人口数": t[2], "工资性收入": t[col]} for k, t in TREND.items() if t[col] is not None]

    db = register_everyone(tmp_path, people(2019))
    run("screen", survey(tmp_path / "2020.xlsx", people(2020)), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", ROUND_2020)
    path = tmp_path / "收入变化.xlsx"
    said = run("register", "trend", db, "-o", path).output
    assert "6 户,2019、2020 年度" in said

    pc = {k: (round(t[3] / t[2], 2), None if t[4] is None else round(t[4] / t[2], 2)) for k, t in TREND.items()}
    change = {k: None if b is None else round(b - a, 2) for k, (a, b) in pc.items()}
    band = {k: None if b is None else 3218 < b < 4000 for k, (_, b) in pc.items()}
    rows = {r["户主姓名"]: r for r in sheet_rows(path, "各户")}
    for k in TREND:
        row = rows[f"户{k}"]
        assert row["2019年"] == pytest.approx(pc[k][0]) and row["2020年"] == (None if pc[k][1] is None else pytest.approx(pc[k][1]))
        assert row["变化(元)"] == (None if change[k] is None else pytest.approx(change[k]))
        assert row["仍在标准内"] == {None: None, True: "是", False: "否"}[band[k]]
        assert row["状态"] == ("在册,2020年未调查" if pc[k][1] is None else "在册")

    def expect(keys):
        changed = [change[k] for k in keys if change[k] is not None]
        surveyed = [band[k] for k in keys if band[k] is not None]
        return (len(keys), len(changed), pytest.approx(median(changed)),
                pytest.approx(sum(c > 0 for c in changed) / len(changed)),
                pytest.approx(sum(surveyed) / len(surveyed)))

    def got(row):
        return (row["户数"], row["两年均有数据"], row["变化中位数(元)"], row["增收户占比"], row["仍在标准内占比"])

    villages = {r["行政村"]: r for r in sheet_rows(path, "各村", "行政村")}
    for village, keys in {"前岗村": "PQ", "青山村": "RS", "三宝村": "TU"}.items():
        assert got(villages[village]) == expect(keys), village
    townships = {r["乡(镇)"]: r for r in sheet_rows(path, "各乡镇", "乡(镇)")}
    assert got(townships["合隆镇"]) == expect("PQRS")   # median of +200, −100, +750 = +200; 2 of 3 grew
    assert got(townships["烧锅镇"]) == expect("TU")     # median of +150, −800 = −325; 1 of 2 in the band
    assert got(townships["合计"]) == expect("PQRSTU")
    assert townships["烧锅镇"]["变化中位数(元)"] == pytest.approx(-325)
    # The chart sheet's table: each township's median per-capita by year, one chart per township.
    charts = openpyxl.load_workbook(path)["图表"]
    table = {r[0]: r[1:3] for r in charts.iter_rows(min_row=3, max_row=4, values_only=True)}
    assert table["合隆镇"] == (pytest.approx(median([pc[k][0] for k in "PQRS"])),
                              pytest.approx(median([pc[k][1] for k in "PQR"])))
    assert table["烧锅镇"] == (pytest.approx(median([pc[k][0] for k in "TU"])), pytest.approx(median([pc[k][1] for k in "TU"])))
    assert len(charts._charts) == 2
    # report.html of the 2020 screen has the section.
    html = (tmp_path / "out2020" / "report.html").read_text(encoding="utf-8")
    assert "纳入过登记簿的贫困边缘户收入变化" in html
    section = html[html.index('<section id="trend">'):]
    section = section[:section.index("</section>")]
    shaoguo = section[section.index("<td>烧锅镇</td>"):]
    shaoguo = shaoguo[:shaoguo.index("</tr>")]
    # 2019: median of 3,600 and 3,900; 2020: of 3,750 and 3,100; the change: of +150 and −800.
    assert [c.split(">")[-1] for c in shaoguo.split("</td>")[1:7]] == ["3,750.00", "3,425.00", "2", "-325.00", "50.0%",
                                                                      "50.0%"]


def test_a_screen_without_year_after_a_later_years_round_is_refused_however_recent(county, tmp_path):
    """The register holds the 2020 round (--year 2020, 2020-11-20); a correction screened ten days
    later without --year would go in as the rule set's 2019 (reviewer): refused like last year's."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    source = survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020)
    said = " ".join(run("screen", source, "-o", tmp_path / "out", "--register", db, "--date", "2020-11-30",
                        code=2).output.split())
    assert "已有 2020 年度的筛查" in said and "没有写 --year" in said, said
    # What it suggests is what would be taken: a re-survey of 2020, not of the default 2019 (before: "若确是
    # 重新调查 2019 年度,写 --year 2019", which the year-order check then refused).
    assert "若确是重新调查 2020 年度,写 --year 2020" in said and "写 --year 2019" not in said, said
    english = " ".join(run("screen", source, "-o", tmp_path / "out", "--register", db, "--date", "2020-11-30",
                           "--lang", "en", code=2).output.split())
    assert "new survey of 2020, give --year 2020" in english and "--year 2019" not in english, english
    run("screen", source, "--year", "2020", "-o", tmp_path / "again", "--register", db, "--date", "2020-11-30")


def test_a_screen_with_a_year_earlier_than_one_the_register_holds_is_refused(county, tmp_path):
    """The register holds the 2020 round; 2020's survey screened again with a typo'd --year 2019 was
    recorded (tester): the 花名册 became 2019年度 and the trend put 2020's incomes under 2019. Refused
    before anything is read, naming the later year held; the register keeps its rounds."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    source = survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020)
    said = " ".join(run("screen", source, "--year", "2019", "-o", tmp_path / "out", "--register", db,
                        "--date", "2020-12-09", code=2).output.split())
    assert "已有 2020 年度的筛查" in said and f"筛查日期 {ROUND_2020}" in said and "--year 2019 早于它" in said, said
    assert not (tmp_path / "out").exists()
    con = sqlite3.connect(db)
    try:
        assert con.execute("select year from rounds order by id").fetchall() == [(2019,), (2020,)]
    finally:
        con.close()
    english = " ".join(run("screen", source, "--year", "2019", "-o", tmp_path / "out", "--register", db,
                           "--date", "2020-12-09", "--lang", "en", code=2).output.split())
    assert "already holds income year 2020" in english and "--year 2019 is earlier" in english, english


def test_a_masked_number_kept_in_a_measure_cell_whose_words_changed_is_refused(county, tmp_path):
    """The form prints 联系人电话139****5678; the clerk adds words to the cell and records with --amend.
    Before: the masked text replaced the full number in the register for good (reviewer). Refused,
    naming the cell, with or without --amend; the register keeps the number whole."""
    db, form = recorded_form(county, tmp_path,
                       ("户A", dict(帮扶类型="就业", 帮扶内容="联系人电话13912345678", 开始日期="2020-03-01", 帮扶责任人="刘洋")),
                       ("户B", dict(帮扶类型="就业", 帮扶内容="村委固话0431812345", 开始日期="2020-03-01", 帮扶责任人="刘洋")))
    held = measures_held(db)
    again = printed_again(db, tmp_path)
    # A mobile keeps four stars, a landline of 10 digits three (043***2345): both are masked copies.
    for who, kept in (("户A", "联系人电话139****5678,每月走访"), ("户B", "村委固话043***2345,每周联系")):
        again.write(again.measure_row(who), 帮扶内容=kept)
    again.save()
    for extra in ((), ("--amend", "--reason", "补充内容")):
        said = " ".join(run("register", "record", db, again.path, *extra, code=2).output.split())
        assert "「帮扶内容」里还有打印时遮盖的号码(「联系人电话139****5678,每月走访」)" in said, said
        assert "「帮扶内容」里还有打印时遮盖的号码(「村委固话043***2345,每周联系」)" in said, said
    assert measures_held(db) == held


def test_a_household_that_left_and_entered_again_starts_without_its_earlier_measures(county, tmp_path):
    """户B left in 2020 (exit procedure, off the register from 2020-12-06), was in the band again in
    2021 and entered again on 2021-12-27. Before: the 花名册 showed its 2020 measure (技术指导 from
    2020-03-01) beside the new entry, no support gap was counted, the 2022 exit check said
    享受过帮扶措施:是, and its measure form printed the old measure. A measure counts for the stay it
    began in, as a new one may not begin before the entry."""
    from register_builders import fill, meeting
    from years_builders import enter_everyone

    db = copy_db(county["db"], tmp_path / "农安县.db")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))
    fill(review[0], default=("同意", ""), form=meeting("2020-11-25"))
    run("register", "record", db, *review)
    run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2")
    verify = sorted((tmp_path / "exit-2" / "退出2-入户核实").glob("*.xlsx"))
    fill(verify[0], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2020-11-27"})
    run("register", "record", db, *verify)
    run("register", "next", db, "--date", "2020-11-30", "-o", tmp_path / "exit-3")
    run("register", "record", db, *sorted((tmp_path / "exit-3" / "退出3-公示").glob("*.xlsx")))
    # 2021: 户B in the band again, a new candidate, through the whole procedure.
    source = survey(tmp_path / "2021调查表.xlsx", [person("A", 工资性收入=10500), person("B", 主要困难="缺技术")])
    run("screen", source, "--year", "2021", "-o", tmp_path / "out2021", "--register", db, "--date", "2021-11-20")
    enter_everyone(tmp_path, db, 2021)
    # The 2022 survey: 户B above the band, and no measure in this stay.
    later = copy_db(db, tmp_path / "2022" / "农安县.db")
    source = survey(tmp_path / "2022调查表.xlsx", [person("B", 主要困难="缺技术", 工资性收入=13500)])
    run("screen", source, "--year", "2022", "-o", tmp_path / "out2022", "--register", later, "--date", "2022-11-20")
    b = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out2022" / "changes.xlsx", "变动名单")}["户B"]
    assert b["变动"] == "收入超标但不满足退出条件" and "享受过帮扶措施:否" in b["说明"], b
    # The 花名册: the new entry, without the 2020 measure, and the gap counted.
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册") if r.get("户主姓名")}
    assert "2021" in str(rows["户B"]["纳入日期"]) and not rows["户B"]["帮扶措施"], rows["户B"]
    assert "纳入超过 30 天仍无帮扶措施" in rows["户B"]["帮扶缺口"], rows["户B"]
    assert "庭院经济" in rows["户A"]["帮扶措施"]  # a household that stayed keeps its measures
    # Its measure form prints no measure of the earlier stay, and a new one is recorded beside it.
    run("register", "measures", db, "--date", "2022-01-10", "-o", tmp_path / "forms")
    form = MeasureForm(tmp_path / "forms" / "合隆镇-前岗村-帮扶措施.xlsx")
    assert not any(form.ws.cell(r, form.cols["帮扶类型"]).value for r in form.rows_of("户B"))
    form.add("户B", 帮扶类型="技术指导", 帮扶内容="大棚技术培训", 开始日期="2022-01-10", 帮扶责任人="王干部")
    form.save()
    run("register", "record", db, form.path)
    assert measures_held(db)[-1][2:4] == ("大棚技术培训", "2022-01-10")
    # The whole trail keeps both stays' measures.
    assert "种植技术培训" in run("register", "history", db, "--id", IDS["B"]).output


def test_members_of_working_age_without_labour_block_the_exit(county, tmp_path):
    """户B's head (50) and son (22) are of working age; typed 无劳动力 and 丧失劳动力 on the members sheet,
    neither can work. Before, 劳动技能 was never read (members.toml read = false): 户B was 拟退出 with
    有劳动年龄劳动力:是, as an outside try found for a couple of 60 and 63 without labour."""
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    members = {**MEMBERS_2020, IDS["B"]: [(IDS["B"], "户主", "无劳动力"), (SON_B, "子", " 丧失劳动力 ")]}
    with with_members(members):
        run("screen", county["source"], "--year", "2020", "-o", tmp_path / "out", "--register", db,
            "--date", ROUND_2020)
    listed = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert listed["户B"]["变动"] == "收入超标但不满足退出条件", listed["户B"]
    assert listed["户B"]["说明"].startswith("不满足退出条件:无劳动年龄劳动力。"), listed["户B"]


def test_a_survey_without_members_holds_the_exit_by_the_registers_members(tmp_path):
    """户B's 2019 members, both of working age, are 无劳动力 and 丧失劳动力 on the register; the 2020 survey
    lists no members. Before, its labour was 'unknown', which passes: 户B was 拟退出 and left (an outside
    try: four households of the sample whose registered members have no labour). Now the register's
    members decide it, and the words say so."""
    members = {**MEMBERS_2019, IDS["B"]: [(IDS["B"], "户主", "无劳动力"), (SON_B, "子", "丧失劳动力")]}
    with with_members(members):
        (tmp_path / "registered").mkdir()
        db = register_everyone(tmp_path, PEOPLE_2019, db=tmp_path / "registered" / "农安县.db")
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "forms")
    run("register", "record", db, *fill_measures(tmp_path / "forms", MEASURES))
    source = survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020)
    run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020)
    listed = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out" / "changes.xlsx", "变动名单")}
    assert listed["户B"]["变动"] == "收入超标但不满足退出条件", listed["户B"]
    assert listed["户B"]["说明"].startswith("不满足退出条件:无劳动年龄劳动力。"), listed["户B"]
    assert "按登记簿中 2019 年度的家庭成员" in listed["户B"]["说明"], listed["户B"]


def test_a_new_candidate_surveyed_elsewhere_last_year_is_no_move_in_the_summary(tmp_path):
    """迁出/迁入 count households the register had: a candidate new to it, surveyed last year in another
    village (a renamed one), was counted too, and a village of 11 registered showed 13 迁出 (an outside
    try of three years)."""
    from edgescreen.outputs.xlsx import cell_formats, new_workbook
    from edgescreen.register.changes import _summary

    # A village renamed (红旗村 for 前进村; 前进村委会 would be 前进村 written another way, no move at all).
    table = pd.DataFrame({
        "change": ["continue", "new"], "township": ["高家店镇"] * 2, "village": ["红旗村"] * 2,
        "previous_township": ["高家店镇"] * 2, "previous_village": ["前进村"] * 2, "previous_round": [1, 1]})
    path = tmp_path / "changes.xlsx"
    book = new_workbook(path)
    _summary(book, cell_formats(book, "zh"), table, "zh", "农安县", 2020)
    book.close()
    summary = {r["行政村"]: r for r in sheet_rows(path, "变动汇总", "行政村", key="乡(镇)")}
    assert (summary["前进村"]["本轮前在册"], summary["前进村"]["迁出"]) == (1, 1), summary["前进村"]
    assert summary["红旗村"]["迁入"] == 1, summary["红旗村"]
