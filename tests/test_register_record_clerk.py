"""Recording the register's documents as a county clerk does (outside tester, 2026-12-04): a step's
folder recorded while some villages have not returned their forms, a date before a publicity, words
that say nothing written as a reason or an objection, and an objection written on the posted list.
Each builds the small county of test_register and takes it through the procedure."""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest
from pydantic import ValidationError

from register_builders import fill, household_table, meeting, rows_by_seq
from test_register import FOLDERS, Walk, _by_name, refused
from edgescreen.catalogue import data_toml
from edgescreen.register.documents import says_no_objection, says_nothing
from edgescreen.register.procedure import Procedure, procedure
from edgescreen.register.steps import _places


@pytest.fixture
def walk(tmp_path):
    return Walk(tmp_path)


def _events(walk: Walk, sql: str) -> list[tuple]:
    con = sqlite3.connect(walk.db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# 1. A step's folder recorded while villages have not returned their forms


def test_a_step_folder_records_the_filled_forms_and_passes_over_those_as_printed(walk):
    """Before: 前岗村's form filled, 青山村's and 三宝村's as printed, `record` of the folder refused
    everything, naming every blank cell of the two untouched forms ("没有填写" twice per row)."""
    docs = walk.issue("review")
    qiangang = walk.doc("review", "前岗村")
    fill(qiangang, default=("同意", ""), form=meeting("2019-11-25"))
    out = walk.record(walk.tmp / "docs-review" / FOLDERS["review"]).output
    assert "合隆镇-前岗村-民主评议.xlsx:民主评议,合隆镇前岗村,4 户" in out, out
    assert "2 份文书还没有填写(与打印时一字不差),已跳过:合隆镇-青山村-民主评议.xlsx、烧锅镇-三宝村-民主评议.xlsx" in out, out
    assert "没有填写;" not in out and "「评议结果」没有填写" not in out
    dated = _events(walk, "SELECT village FROM events WHERE step = 'review' AND field = 'date'")
    assert dated == [("前岗村",)]
    # One form as printed, given alone: one line, nothing recorded, no refusal.
    out = walk.record(walk.doc("review", "青山村")).output
    assert out.strip() == "合隆镇-青山村-民主评议.xlsx:民主评议,合隆镇青山村:还没有填写(与打印时一字不差),已跳过。", out
    # Filled later, each is recorded; the one filled before is the same again.
    fill(walk.doc("review", "青山村"), default=("同意", ""), form=meeting("2019-11-26"))
    out = walk.record(*docs).output
    assert "合隆镇-青山村-民主评议.xlsx:民主评议,合隆镇青山村,3 户" in out and "已经登记过,内容相同" in out, out
    assert "烧锅镇-三宝村-民主评议.xlsx:民主评议,烧锅镇三宝村:还没有填写" in out, out


def test_a_form_partly_filled_is_still_refused_cell_by_cell(walk):
    """Only a form as printed (its SHA-256 the one the register keeps) is passed over: one saved with
    its meeting record filled and no decision keeps naming every blank cell."""
    doc = walk.issue("review")[0]
    fill(doc, form=meeting())
    out = refused(walk, doc, words=["「评议结果」没有填写"])
    assert "还没有填写(与打印时" not in out


def test_a_publicity_as_printed_is_still_recorded_as_no_objection(walk):
    """A publicity needs nothing written: as printed, its empty 异议处理 says no objection."""
    walk.through("township_review")
    docs = walk.issue("publicity2")
    out = walk.record(*docs).output
    assert "还没有填写" not in out and "合隆镇-前岗村-第二次公示.xlsx:第二次公示" in out, out


# ---------------------------------------------------------------------------------------------
# 2. A date before a publicity: said as before it, once for the villages


def test_a_review_date_before_the_publicity_is_said_as_before_it_once(walk):
    """Before: 复审日期 2019-12-05, a week before the second publicity's 2019-12-11 to 12-17, was
    said to fall 「在…的公示期内」, once per village of the county's form, at the same cell."""
    walk.through("publicity2")
    form = walk.issue("county_review")[0]
    fill(form, default=("通过", ""), form={"复审日期": "2019-12-05"})
    out = refused(walk, form, words=[
        "「复审日期」2019-12-05 早于合隆镇前岗村、青山村、烧锅镇三宝村「第二次公示」的公示期(2019-12-11至2019-12-17)"
        ":本环节须在公示期结束之后,即 2019-12-18 或以后"])
    assert "公示期内" not in out and out.count("复审日期」2019-12-05") == 1, out
    # Inside the period: said as inside, once too.
    fill(form, form={"复审日期": "2019-12-15"})
    out = refused(walk, form, words=["「复审日期」2019-12-15 在合隆镇前岗村、青山村、烧锅镇三宝村「第二次公示」的公示期内"])
    assert out.count("复审日期」2019-12-15") == 1, out


def test_a_township_date_before_the_first_publicity(walk):
    walk.through("publicity1")
    docs = walk.issue("township_review")
    for p in docs:
        fill(p, default=("通过", ""), form={"审核日期": "2019-11-30"})
    out = refused(walk, *docs, words=["「审核日期」2019-11-30 早于合隆镇前岗村、青山村「第一次公示」的公示期(2019-12-01至2019-12-07)",
                                      "「审核日期」2019-11-30 早于烧锅镇三宝村「第一次公示」的公示期"])
    assert "公示期内" not in out and out.count("早于合隆镇") == 1, out


def test_many_villages_are_named_compactly():
    places = [("高家店镇", "红星村"), ("高家店镇", "兴隆村"), ("华家镇", "东升村"), ("华家镇", "新农村"),
              ("烧锅镇", "三宝村")]
    assert _places(places[:2], "zh") == "高家店镇红星村、兴隆村"
    assert _places(places, "zh") == "高家店镇红星村、兴隆村、华家镇东升村等 5 个村"
    assert _places(places, "en") == "高家店镇红星村, 兴隆村, 华家镇东升村 (5 villages in all)"


# ---------------------------------------------------------------------------------------------
# 3. Words that say nothing are no reason


@pytest.mark.parametrize("placeholder", ["无", "/", "—", "N/A", "略", " 无。", "没有", "——"])
def test_a_turn_down_with_a_placeholder_for_its_reason_is_refused(walk, placeholder):
    """Before: 不同意 with 备注「无」 or「/」 was recorded, and status showed the reason as「/」."""
    doc = walk.issue("review")[0]
    fill(doc, default=("同意", ""), decisions=_by_name(doc, {"李二": ("不同意", placeholder)}), form=meeting())
    refused(walk, doc, words=[f"序号 2(李二):「不同意」须写明理由,备注写的「{placeholder.strip()}」不是理由"])


def test_placeholders_beside_the_visit_and_the_township_review(walk):
    """不属实 + 说明「无」 refused; 属实 + 说明「无」 or「/」 (nothing differs) recorded, where before it was
    refused as a contradiction; 不通过 + 理由「/」 refused."""
    walk.review()
    docs = walk.issue("verify")
    visit = {"核实人": "张乡长", "核实日期": "2019-11-27"}
    doc = walk.doc("verify", "前岗村")
    fill(doc, default=("属实", "无"), decisions=_by_name(doc, {"王一": ("不属实", "无")}), rows=visit)
    refused(walk, doc, words=["「不属实」须写明理由,不属实情况说明写的「无」不是理由"])
    for p in docs:
        fill(p, default=("属实", "/"), decisions=_by_name(p, {"王一": ("属实", "无")}), rows=visit)
    out = walk.record(*docs).output
    assert "合隆镇-前岗村-入户核实.xlsx:入户核实" in out, out
    walk.publicity1()
    form = walk.issue("township_review")[0]
    fill(form, default=("通过", ""), decisions=_by_name(form, {"王一": ("不通过", "/")}), form={"审核日期": "2019-12-10"})
    refused(walk, form, words=["「不通过」须写明理由,理由写的「/」不是理由"])


def test_the_words_that_say_nothing_are_the_catalogues():
    for word in ("无", " / ", "N/A", "n/a", "(无)", "无。", "——", "……", "没有", "", "x"):
        assert says_nothing(word), word
    for word in ("家中有小轿车", "无劳动能力证明不实", "有车", "N/A 已核实有车", "无房"):
        assert not says_nothing(word), word
    for word in ("公示期间无异议", "无异议。", "No objection"):
        assert says_no_objection(word), word
    assert not says_no_objection("说他家有楼房")


def test_a_list_of_words_is_checked_when_it_is_loaded():
    """The lists are data (procedure.toml say_nothing, no_objection), checked when the procedure is
    loaded: a word given twice (无 and 无。 read alike) or an empty one is an error of the data, not a
    word silently lost, nor an empty word that makes every blank cell match."""
    data = data_toml("procedure.toml")
    for key in ("say_nothing", "no_objection"):
        for words, wrong in ((["无", "无。"], "twice"), (["无", "。"], "empty")):
            with pytest.raises(ValidationError, match=wrong):
                Procedure.model_validate({**data, key: words})
    assert Procedure.model_validate(data).words_saying_nothing == procedure().words_saying_nothing


# ---------------------------------------------------------------------------------------------
# 4. An objection written on the posted list


def _write_on_list(path, cells: dict) -> None:
    """Type into the posted list: {(row offset from the header, column offset past the table): text};
    a row offset of 0 is the header row, 1 the first household's."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    width = max(cols.values())
    for (down, right), text in cells.items():
        ws.cell(header + down, width + right).value = text
    wb.save(path)


def test_an_objection_written_on_the_publicity_list_is_refused(walk):
    """Before: a column 异议情况 added to the 公示名单 with「有人反映家有轿车,经核实属实」beside a household,
    or「异议成立,取消」in the cell beside it, was recorded as no objection at all."""
    walk.through("verify")
    walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    _write_on_list(doc, {(0, 1): "异议情况", (2, 1): "有人反映家有轿车,经核实属实"})
    ws = openpyxl.load_workbook(doc).worksheets[0]
    header, cols = household_table(ws)
    added = ws.cell(header, max(c for h, c in cols.items() if h != "异议情况") + 1)
    beside = ws.cell(header + 2, added.column)
    refused(walk, doc, words=[f"「公示名单」{added.coordinate}:公示名单上写了「异议情况」",
                              f"「公示名单」{beside.coordinate}:公示名单上写了「有人反映家有轿车,经核实属实」",
                              "异议请逐条登记在「异议处理」表上"])


def test_a_note_beside_a_household_or_below_the_list_is_refused(walk):
    walk.through("verify")
    walk.issue("publicity1")
    doc = walk.doc("publicity1", "青山村")
    _write_on_list(doc, {(1, 1): "异议成立,取消"})
    refused(walk, doc, words=["公示名单上写了「异议成立,取消」"])
    # A line typed below the table, in its first column.
    doc = walk.doc("publicity1", "三宝村")
    wb = openpyxl.load_workbook(doc)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    last = max(rows_by_seq(ws, header, cols["序号"]).values())
    ws.cell(last + 1, 1).value = "吴八:有人反映外出务工收入高,异议成立"
    wb.save(doc)
    refused(walk, doc, words=[f"「公示名单」A{last + 1}:公示名单上写了「吴八:有人反映外出务工收入高,异议成立」"])


def test_a_note_on_the_announcement_list_points_to_the_posting_sheet(walk):
    walk.through("county_review")
    docs = walk.issue("announcement")
    for p in docs:
        fill(p, form={"张贴日期": "2019-12-21", "张贴人": "李会计"})
    _write_on_list(docs[0], {(1, 1): "已迁出"})
    refused(walk, docs[0], words=["张贴的名单上写了「已迁出」", "张贴情况请填在「张贴记录」表上"])


# ---------------------------------------------------------------------------------------------
# 5. A line of the 异议处理 sheet saying there was no objection


@pytest.mark.parametrize("line", [("", "公示期间无异议", "", ""), ("无", "", "", ""), ("/", "无", "/", "")])
def test_a_line_saying_there_was_no_objection_is_none(walk, line):
    """Before: 「公示期间无异议」 under 异议内容 was refused as an objection without 户主姓名, and 「无」 under
    户主姓名 as 名单中没有户主「无」."""
    walk.through("verify")
    docs = walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    fill(doc, objections=[line])
    out = walk.record(*docs).output
    typed = next(t for t in (line[1], line[0], line[2]) if t)
    assert f"「异议处理」第 4 行写的是「{typed}」:按公示期间无异议登记" in out, out
    said = _events(walk, "SELECT COUNT(*) FROM events WHERE field LIKE 'objection%' AND new IS NOT NULL")
    assert said == [(0,)]


def test_an_objection_to_a_household_saying_nothing_is_refused(walk):
    """A household named, and its 异议内容「无」or「无异议」: not an objection; told to leave the row empty."""
    walk.through("verify")
    walk.issue("publicity1")
    doc = walk.doc("publicity1", "前岗村")
    fill(doc, objections=[("王一", "无", "不成立", "2019-12-05"), ("赵四", "无异议", "不成立", "2019-12-05")])
    refused(walk, doc, words=["对「王一」的异议,异议内容写的是「无」,没有写明反映的情况",
                              "对「赵四」的异议,异议内容写的是「无异议」", "这一行请留空"])


def test_the_same_problem_in_many_rows_of_a_column_is_said_once_with_its_rows(tmp_path):
    """A word not of the column typed in every 评议结果 cell (√ then; √ reads as 同意 since 2026-12-05,
    待定 does not): before, a line per household (15 lines for a village of 15). Now a line per column
    with its rows, from three rows alike; two stay as they are, each naming its row."""
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("待定", ""), form=meeting())
    by_name = {p.name: p for p in docs}
    two = [by_name["合隆镇-前岗村-民主评议.xlsx"], by_name["烧锅镇-三宝村-民主评议.xlsx"]]
    said = walk.record(*two, code=2).output
    assert "合隆镇-前岗村-民主评议.xlsx 「评议名单」H列:第 4-7 行(4 户):「评议结果」填的是「待定」,只能填「同意」或「不同意」" in said, said
    assert "烧锅镇-三宝村-民主评议.xlsx 「评议名单」H4:序号 1(吴八):「评议结果」填的是「待定」" in said
    assert said.count("「待定」") == 3
    english = walk.record(*two, code=2, extra=("--lang", "en")).output
    assert "合隆镇-前岗村-民主评议.xlsx, “评议名单” column H: rows 4-7 (4 households): " in english, english
    # Three files alike (register record's refusal of many files): the problem once, with each file's rows.
    said = " ".join(walk.record(*docs, code=2).output.split())
    assert said.count("「待定」") == 1 and "3 个文件的「评议名单」H列有同样的问题(共 9 户)" in said, said
    assert "合隆镇:前岗村(第 4-7 行)、青山村(第 4-6 行)" in said and "烧锅镇:三宝村(第 4-5 行)" in said, said


def test_a_document_given_twice_byte_for_byte_is_read_once_and_two_versions_are_refused(walk):
    """From an outside try: a village's form that came by e-mail and on a USB stick into one folder
    refused the whole batch ("是同一份文书,只能给一次"). The same bytes are read once and said; two
    different versions of one document are still refused, saying that they differ."""
    docs = walk.review(record=False)
    copy = walk.tmp / "U盘" / f"{docs[0].stem}(1).xlsx"
    copy.parent.mkdir()
    copy.write_bytes(docs[0].read_bytes())
    said = " ".join(walk.record(*docs, copy).output.split())
    assert f"{copy.name}:" in said and f"与 {docs[0].name} 一字不差,只按一份录入" in said, said
    assert walk.record(*docs).output.count("内容相同,没有改动") == len(docs)  # each recorded once

    other = walk.tmp / "另一份" / docs[1].name
    other.parent.mkdir()
    other.write_bytes(docs[1].read_bytes())
    fill(other, decisions={1: ("不同意", "家中有小轿车")})
    said = " ".join(walk.record(docs[1], other, code=2).output.split())
    assert "是同一份文书,但两份内容不同:请只给其中正确的一份" in said, said


def test_a_refusal_names_a_files_problems_row_by_row(walk):
    """From an outside try: one file's problems were listed check by check (L6, K7, L8, J4, J5): the
    clerk going down the sheet had to jump about. They come in the order of the sheet's rows now."""
    walk.review()
    doc = next(p for p in walk.issue("verify") if "前岗村" in p.name)
    fill(doc, default=("属实", ""), decisions={1: ("", "")}, rows={"核实人": "张乡长", "核实日期": "2019-11-27"},
         edit={(2, "核实日期"): "昨天", (3, "核实人"): ""})
    said = " ".join(walk.record(doc, code=2).output.split())
    at = [said.index(f"序号 {seq}") for seq in (1, 2, 3)]
    assert at == sorted(at), said
