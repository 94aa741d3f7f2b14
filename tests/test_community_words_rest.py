"""The last places a 社区 was still called a village. After its notices, seals and meeting records
spoke of its own committee and assembly, a 社区's documents still printed: 「本村名单上没有农户」 on the
异议处理 sheet of its 第一次公示 of nobody, 「本村在册贫困边缘户 …」 on its 帮扶措施 form, 「本村共抽 …」 on
every page of its 入户核查表; its clerk's 仍在本社区 on the 未调查户核实 form was refused (only 仍在本村
was read); a meeting short of its quorum was told the 村民委员会组织法's rule as the 社区's (a 社区's
居民会议 is the 城市居民委员会组织法's, 过半数: the rule is now the meeting's, the law named as the
village meeting's); and the blank survey form, one for every place, asked for a 村 only. Now a 社区's
say 本社区, a village's 本村 as before, and each printed form records."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import openpyxl

import test_register as walkthrough
from register_builders import _text, fill, household_table, meeting, rows_by_seq
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, draw, fill_all, write_survey
from survey_builders import household, make_id, write_workbook
from years_builders import STEPS, run, survey

PLACES = {"合隆镇": "奢岭街道办事处", "青山村": "青山社区"}
COMMUNITY = {"乡(镇)": "奢岭街道", "行政村": "青山社区"}
VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
# How each step's document is filled, all yes: its form's fields, those it prints (a field a form
# printed by another version lacks is left out, as a clerk leaves it).
FILLED = {"review": {"default": ("同意", ""), "form": meeting("2019-11-25")},
          "verify": {"default": ("属实", ""), "rows": {"核实人": "张乡长", "核实日期": "2019-11-27"}},
          "township_review": {"default": ("通过", ""), "form": {"审核日期": "2019-12-10", "审核人姓名": "李明"}},
          "county_review": {"default": ("通过", ""), "form": {"复审日期": "2019-12-20", "复审人姓名": "赵科长"}},
          "announcement": {"form": {"张贴日期": "2019-12-21", "张贴人": "李会计"}}}


def _texts(path: Path, sheet: str | None = None) -> str:
    """A workbook's words as printed: its visible sheets', or the one named."""
    wb = openpyxl.load_workbook(path)
    sheets = [wb[sheet]] if sheet else [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
    return "\n".join(str(c) for ws in sheets for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def _fill_as_printed(path: Path, step: str, **over) -> Path:
    """`path` filled as FILLED says for `step` (and `over`), its form's fields those the form prints."""
    how = {**FILLED.get(step, {}), **over}
    printed = {_text(c) for ws in openpyxl.load_workbook(path).worksheets for row in ws.iter_rows(values_only=True)
               for c in row}
    if "form" in how:
        how["form"] = {key: value for key, value in how["form"].items() if key in printed}
    return fill(path, **how)


def _issue(db: Path, date: str, folder: Path) -> str:
    return " ".join(run("register", "next", db, "--date", date, "-o", folder).output.split())


def _registered(tmp: Path, people: list[dict]) -> Path:
    """`people` screened as the 2019 round and taken through every entry step, all yes."""
    db = tmp / "九台区.db"
    run("screen", survey(tmp / "2019.xlsx", people), "-o", tmp / "out2019", "--register", db, "--date", "2019-11-20")
    for step, (date, folder) in STEPS.items():
        _issue(db, date, tmp / f"docs-{step}")
        docs = sorted((tmp / f"docs-{step}" / folder).glob("*.xlsx"))
        for doc in docs:
            _fill_as_printed(doc, step)
        run("register", "record", db, *docs)
    return db


def test_a_communitys_first_publicity_of_nobody_asks_for_omissions_in_its_own_words(tmp_path):
    # 前岗村 has candidates; 青山社区's and 新立村's only households are above the limit: nobody listed.
    people = [(VILLAGE, "王一", 9800), (COMMUNITY, "富贵", 60000), ({**VILLAGE, "行政村": "新立村"}, "褚十", 60000)]
    rows = [household(**{**place, "户主姓名": name, "工资性收入": wage, "主要困难": "因病",
                         "户主身份证号": make_id(birth="19600210", serial=300 + i)})
            for i, (place, name, wage) in enumerate(people)]
    db = tmp_path / "九台区.db"
    run("screen", write_workbook(tmp_path / "九台区.xlsx", rows), "-o", tmp_path / "筛查", "--register", db,
        "--date", "2019-11-20", "--publicity-start", "2019-11-22")
    for step in ("review", "verify"):
        date, folder = STEPS[step]
        _issue(db, date, tmp_path / step)
        docs = sorted((tmp_path / step / folder).glob("*.xlsx"))
        for doc in docs:
            _fill_as_printed(doc, step)
        run("register", "record", db, *docs)
    _issue(db, STEPS["publicity1"][0], tmp_path / "publicity1")
    notices = tmp_path / "publicity1" / STEPS["publicity1"][1]
    community = next(notices.glob("*青山社区*.xlsx"))
    note = _texts(community, "异议处理")
    assert "本社区名单上没有农户。公示期间反映名单外的农户应当纳入(漏评)的" in note, note
    assert "本村" not in _texts(community), _texts(community)
    assert "本村名单上没有农户" in _texts(next(notices.glob("*新立村*.xlsx")), "异议处理")
    # Its omission recorded from the sheet so printed.
    fill(community, objections=[("吴国庆", "家里常年有病人,收入低", "成立", "2019-12-05", "名单外")])
    said = " ".join(run("register", "record", db, community).output.split())
    assert "已登记对名单外农户「吴国庆」的异议" in said and "青山社区" in said, said


def test_a_communitys_measure_form_counts_its_own_households_and_records(tmp_path):
    db = _registered(tmp_path, [{**COMMUNITY, "户主姓名": "户B", "户主身份证号": make_id(birth="19620303", serial=692)},
                                {**VILLAGE, "户主姓名": "户C", "户主身份证号": make_id(birth="19620404", serial=693)}])
    forms = tmp_path / "forms"
    run("register", "measures", db, "--date", "2020-01-05", "-o", forms)
    community = next(forms.rglob("*青山社区*.xlsx"))
    text = _texts(community)
    assert "本社区在册贫困边缘户 1 户。每户在纳入后" in text and "本村" not in text, text
    assert "本村在册贫困边缘户 1 户。" in _texts(next(forms.rglob("*前岗村*.xlsx")))
    said = " ".join(run("register", "record", db, community).output.split())
    assert "青山社区" in said and "打印时没有的内容" not in said, said


def test_a_communitys_verification_pages_count_its_own_sample_and_are_read(tmp_path):
    rows = ([candidate("青山社区", "甲", township="奢岭街道") for _ in range(2)]
            + [above("青山社区", "乙", township="奢岭街道") for _ in range(2)]
            + [candidate("前岗村", "丙") for _ in range(2)] + [above("前岗村", "丁") for _ in range(2)])
    run("screen", write_survey(tmp_path / "九台区.xlsx", {"全县": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = tmp_path / "抽查" / "入户核查表"
    community = _texts(next(forms.glob("*青山社区*.xlsx")))
    assert "抽查第 1 户,本社区共抽 4 户" in community and "本村" not in community, community
    assert "抽查第 1 户,本村共抽 4 户" in _texts(next(forms.glob("*前岗村*.xlsx")))
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    said = " ".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "比对").output.split())
    assert "已核查 8 户" in said and "核查表以外" not in said, said


def test_a_household_a_communitys_clerk_finds_still_there_is_recorded_so(tmp_path):
    ids = {k: make_id(birth=f"1970{m:02d}{m + 10:02d}", serial=500 + m) for m, k in enumerate("ABCD", start=1)}
    people = {k: {**COMMUNITY, "户主姓名": f"户{k}", "户主身份证号": ids[k], "户编号": f"HB{k}"} for k in "ABCD"}
    db = _registered(tmp_path, list(people.values()))
    # 2020: the survey finds 户A and 户B only.
    run("screen", survey(tmp_path / "2020.xlsx", [{**people[k], "工资性收入": 10500} for k in "AB"]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    _issue(db, "2020-11-23", tmp_path / "2020")
    form = next((tmp_path / "2020" / "未调查户核实").glob("*青山社区*.xlsx"))
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    printed = ws.cell(header, cols["核实结果"]).value
    assert printed == "核实结果\n(仍在本社区/户已不存在)", printed  # the 社区's own word
    found = {"户C": ("户已不存在", "整户迁出"), "户D": ("仍在本社区", None)}
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        result, why = found[ws.cell(r, cols["户主姓名"]).value]
        for key, value in (("核实结果", result), ("情况说明", why), ("核实人", "张主任"),
                           ("核实日期", "2020-11-25")):
            ws.cell(r, cols[key]).value = value
    wb.save(form)
    said = " ".join(run("register", "record", db, form).output.split())
    assert "户已不存在、销户 1 户,仍在本社区、待补充调查 1 户" in said, said
    con = sqlite3.connect(db)
    try:
        decided = con.execute("SELECT new FROM events WHERE step = 'gone_verify' AND field = 'decision' "
                              "ORDER BY household").fetchall()
    finally:
        con.close()
    assert decided == [("no",), ("yes",)], decided  # 户C gone, 户D still there


def test_a_communitys_meeting_short_of_its_quorum_is_told_the_meetings_rule_not_the_village_laws(tmp_path):
    walk = walkthrough.Walk(tmp_path, places=PLACES)
    walk.issue("review")
    doc = walk.doc("review", "青山社区")
    _fill_as_printed(doc, "review", form={**FILLED["review"]["form"], "应到人数": 30, "实到人数": 19})
    said = " ".join(walk.record(doc, code=2).output.split())
    assert "实到人数 19 不足应到人数 30" in said and "至少 20 人" in said, said
    # The two thirds the review asks, not a 村民代表会议's rule said of a 社区's meeting.
    assert "评议会议须有三分之二以上的应到人员参加方可召开" in said and "村民代表会议须有" not in said, said
    assert "(村民代表会议:《村民委员会组织法》第二十六条)" in said, said


def test_the_blank_survey_forms_unit_line_asks_for_a_village_or_a_community(tmp_path):
    form = tmp_path / "入户登记表.xlsx"
    run("template", "-o", form)
    unit = openpyxl.load_workbook(form).worksheets[0]["B2"].value
    assert unit.startswith("填报单位:__________县(市、区)__________乡(镇)__________村(社区) "), unit
