"""An online form's export (问卷星, 金数据) titles each column with its question: 「19. 是否建档立卡贫困户」,
「3. 户主姓名：」, 「2. 您所在的村：」. An outside try (2026-12-06) found 「19. 是否建档立卡贫困户」 not read (its
number was taken off together with the 户 its name ends in, leaving 是否建档立卡贫困), so a registered
household came out 贫困边缘户候选 and `check` said the file could be sent; a trailing colon kept
「户主姓名：」 from being read, and 「您所在的村」 named no field. Every field reads the same with a question
number before it and a colon or question mark after it."""

from __future__ import annotations

import json

import openpyxl
import pytest

from field_checks import column, invoke, ledger, said, screen
from survey_builders import make_id

# (question, answer of households A, B, C): A is registered (是 in 建档立卡), B a plain candidate, C a 低保户;
# 10,000 yuan over 3 residents each: 3,333.33, a candidate's income.
QUESTIONS = [
    ("1. 您所在的乡镇：", "合隆镇", "合隆镇", "合隆镇"),
    ("2. 您所在的村：", "前岗村", "双山村", "双山村"),
    ("3. 组别", "一组", "二组", "三组"),
    ("4. 户主姓名：", "王秀兰", "李国富", "赵春生"),
    ("5. 户主身份证号码（请填写18位）", None, None, None),
    ("6. 家庭常住人口数（人）", 3, 3, 3),
    ("7. 工资性收入（元）", 9000, 9000, 9000),
    ("8. 家庭经营收入（元）", 600, 600, 600),
    ("9. 财产性收入（元）", 300, 300, 300),
    ("10. 转移性收入（元，含低保金、养老金等）", 100, 100, 100),
    ("11. 家庭经营费用支出（元）", 0, 0, 0),
    ("12. 生产性固定资产折旧（元）", 0, 0, 0),
    ("13. 税金和上交承包费用（元）", 0, 0, 0),
    ("14. 是否低保户？", "否", "否", "是"),
    ("15. 是否特困人员", "否", "否", "否"),
    ("19. 是否建档立卡贫困户", "是", "否", "否"),
    ("20. 填表人：", "刘文", "刘文", "刘文"),
]
# What the form's software writes before the questions: columns of no field.
META = ["序号", "提交答卷时间", "来源"]


_PLACES = {"您所在的乡镇": "所在乡镇", "您所在的村": "所在村", "组别": "村民小组"}
_CANONICAL = {"您所在的乡镇": "乡(镇)", "您所在的村": "行政村", "组别": "村民小组"}


def _plain(question: str) -> str:
    """A question's header without its number and its colon or question mark (户主姓名)."""
    return question.split(" ", 1)[1].rstrip("：？")


def _online_form(path, questions=QUESTIONS):
    """The export: META, then one column per question, a row per answer (households A, B, C)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append([*META, *(q[0] for q in questions)])
    for i in range(3):
        answers = [q[1 + i] if q[1 + i] is not None else make_id(serial=700 + i) for q in questions]
        ws.append([i + 1, "2019/11/20 08:00:00", "微信", *answers])
    wb.save(path)
    return path


def test_online_form_reads_every_question(tmp_path):
    out = tmp_path / "out"
    result = screen(_online_form(tmp_path / "杨树林乡-问卷星导出.xlsx"), "-o", out)
    assert result.exit_code == 0, result.output
    assert "没有读入" not in said(result), result.output
    frame = ledger(out).set_index(column(ledger(out), "head_name", "户主姓名"))
    status = column(frame, "status", "status")
    assert status.to_dict() == {"王秀兰": "excluded_registered", "李国富": "candidate", "赵春生": "excluded_dibao"}
    assert column(frame, "village", "行政村").to_dict() == {"王秀兰": "前岗村", "李国富": "双山村", "赵春生": "双山村"}
    assert set(column(frame, "township", "乡(镇)")) == {"合隆镇"}


def test_check_reads_every_question_and_names_only_the_software_columns(tmp_path):
    """`check` finds no column of a field unread: only the form software's own columns are not read."""
    out = tmp_path / "report"
    result = invoke("check", _online_form(tmp_path / "survey.xlsx"), "-o", out)
    assert result.exit_code == 0, result.output
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    unknown = [f["detail"] for f in facts if f["fact"] == "unknown_columns"]
    assert unknown == ["B「提交答卷时间」, C「来源」"], unknown


# How forms number a question, with {n} its number, and how they may end it.
STYLES = ["{n}. ", "{n}.", "{n}、", "{n}．", "({n})", "（{n}）", "Q{n}.", "Q{n}：", "第{n}题 ", "第{n}题、"]


ENDINGS = ["", "：", ":", "？", "?"]


def _numbered(style: str, ending: str) -> list[tuple]:
    # The place asked with names read before this fix: what fails here is the numbering.
    return [(style.format(n=i + 1) + _PLACES.get(_plain(q), _plain(q)) + ending, *answers)
            for i, (q, *answers) in enumerate(QUESTIONS)]


@pytest.mark.parametrize("ending", ENDINGS, ids=["bare", "colon", "ascii-colon", "question", "ascii-question"])
@pytest.mark.parametrize("style", STYLES)
def test_every_numbering_style_names_its_questions_field(style, ending):
    """Every question numbered in `style` and ended with `ending` names the field its plain header
    names, as plainly (header matching, without a screen each: two screens below go end to end)."""
    from edgescreen.header import _field_and_rank, household_table
    from edgescreen.rules import load_rules

    table = household_table(load_rules().rules)
    for (numbered, *_), (question, *_) in zip(_numbered(style, ending), QUESTIONS):
        plain = _PLACES.get(_plain(question), _plain(question))
        assert _field_and_rank(numbered, table) == _field_and_rank(plain, table) and \
            _field_and_rank(plain, table)[0] is not None, (numbered, plain)


@pytest.mark.parametrize(("style", "ending"), [("第{n}题 ", "？"), ("({n})", "：")])
def test_a_numbered_form_reads_registered(tmp_path, style, ending):
    """End to end, two of the styles: all read, A is 已建档立卡."""
    questions = _numbered(style, ending)
    out = tmp_path / "out"
    result = screen(_online_form(tmp_path / "survey.xlsx", questions), "-o", out)
    assert result.exit_code == 0, result.output
    assert "没有读入" not in said(result), result.output
    frame = ledger(out).set_index(column(ledger(out), "head_name", "户主姓名"))
    assert column(frame, "status", "status").to_dict() == {
        "王秀兰": "excluded_registered", "李国富": "candidate", "赵春生": "excluded_dibao"}


@pytest.mark.parametrize("header", ["19. 是否建档立卡贫困户", "4、是否建档立卡贫困户", "(5)建档立卡贫困户", "（19）建档立卡户",
                                    "第19题 是否为建档立卡贫困户", "19. 是否贫困户"])
def test_numbered_registered_column_alone(tmp_path, header):
    """The outside try's smallest case: plain headers, the 建档立卡 column alone numbered."""
    questions = [(header if _plain(q) == "是否建档立卡贫困户" else _CANONICAL.get(_plain(q), _plain(q)), *answers)
                 for q, *answers in QUESTIONS]
    out = tmp_path / "out"
    result = screen(_online_form(tmp_path / "p.xlsx", questions), "-o", out)
    assert result.exit_code == 0, result.output
    frame = ledger(out).set_index(column(ledger(out), "head_name", "户主姓名"))
    assert column(frame, "status", "status")["王秀兰"] == "excluded_registered"


def test_your_village_places_households_and_a_poor_village_question_is_not_the_village(tmp_path):
    """「您所在的村」 is the village (each its own list for the review meeting); 「您家所在的村是否为贫困村」
    beside it names no field, not a second village column."""
    questions = [("您所在的乡镇", "合隆镇", "合隆镇", "合隆镇"), ("您所在的村", "前岗村", "双山村", "四家子村"),
                 ("您家所在的村是否为贫困村", "否", "是", "否"),
                 *[(_plain(q), *answers) for q, *answers in QUESTIONS[3:]]]
    out = tmp_path / "out"
    result = screen(_online_form(tmp_path / "survey.xlsx", questions), "-o", out)
    assert result.exit_code == 0, result.output
    frame = ledger(out).set_index(column(ledger(out), "head_name", "户主姓名"))
    assert column(frame, "village", "行政村").to_dict() == {"王秀兰": "前岗村", "李国富": "双山村", "赵春生": "四家子村"}
    lists = [p.name for p in (out / "villages").iterdir()]
    assert len(lists) == 3 and all(any(v in name for name in lists) for v in ("前岗村", "双山村", "四家子村")), lists
