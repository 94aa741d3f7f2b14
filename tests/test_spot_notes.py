"""What a verifier's 情况说明 says, read with the page it is on (an outside tester's report, 2026-12):
a page filled in beside 查无此户 or 外出务工,家中无人 was counted verified and 一致 without a word; a
page left blank saying 已搬走, 户主已去世,户口已注销 or 空挂户 was a plain non-response. The phrases
are data (data/spotcheck.toml), checked when they load."""

from __future__ import annotations

import re

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, fill, fill_all, pages_of, run, sample_rows, screened_and_drawn


@pytest.fixture
def county(tmp_path):
    return screened_and_drawn(tmp_path, unlisted_rate="0.25")


def _notes_cell(form, seq: int) -> str:
    ws = openpyxl.load_workbook(form).worksheets[0]
    row, column = pages_of(ws)[seq][LABELS["verify_notes"]]
    return f"{get_column_letter(column)}{row}"


@pytest.mark.parametrize("note", ["查无此户", "外出务工,家中无人"])
def test_a_page_filled_in_beside_a_note_that_nobody_was_there_is_refused_naming_its_cell(county, note):
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "前岗村" in f.name)
    fill(form, {3: {"verify_notes": note}})
    said = "".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    where = f"合隆镇-前岗村-入户核查表.xlsx「入户核查表」{_notes_cell(form, 3)}"
    assert f"{where}:核查序号3:情况说明写的是「{note}」,这一页却填了14项核查结果,两者矛盾" in said, said
    assert not (county / "r").exists()


def test_a_verified_page_whose_note_says_one_member_is_away_is_compared(county):
    forms = fill_all(county / "抽查", county / "填好")
    # 5: nobody home the first time, visited again (a filled page beside 家中无人 was refused as a
    # contradiction: the spot check's fix helper named the risk).
    fill(next(f for f in forms if "前岗村" in f.name), {3: {"verify_notes": "户主本人在家,核实无误;家中有一人外出打工"},
                                                        4: {"verify_notes": "户主已去世,由其子代答"},
                                                        5: {"verify_notes": "上次家中无人,今日补查"}})
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r").output.split())
    assert "已核查 10 户" in said and "矛盾" not in said and "已迁走" not in said, said


GONE = ["已搬走", "全家迁往长春,房屋已卖", "户主已去世,户口已注销", "此户为空挂户,无人居住"]


def test_a_blank_page_saying_the_household_is_gone_is_named_as_a_case_to_look_into(county):
    forms = fill_all(county / "抽查", county / "填好")
    rows = [r for r in sample_rows(county / "抽查") if r["行政村"] == "前岗村"]
    blank = {k: None for k in LABELS if k != "verify_notes"}
    fill(next(f for f in forms if "前岗村" in f.name),
         {int(r["核查序号"]): {**blank, "verify_notes": note} for r, note in zip(rows, GONE + ["外出务工,家中无人"])})
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r").output.split())
    assert "已核查 5 户(共抽 10 户" in said, said
    assert "4 户未能核查,核查人的情况说明称已迁走、户主去世或无人居住" in said, said
    for r, note in zip(rows, GONE):
        assert f"合隆镇-前岗村-入户核查表.xlsx 核查序号 {r['核查序号']}(合隆镇前岗村,{r['户主姓名']}):「{note}」" in said, said
    # Nobody home: a non-response, named as 未遇 (to visit again), not as a household gone.
    assert "未遇 1 户、拒访 0 户" in said and "「外出务工,家中无人」" in said, said
    book = openpyxl.load_workbook(county / "r" / "backcheck.xlsx")
    summary = {r[0].value: r[1].value for r in book["汇总"].iter_rows() if r[0].value}
    assert "已迁走或无人居住" in summary and all(note in summary["已迁走或无人居住"] for note in GONE), summary
    html = (county / "r" / "report.html").read_text(encoding="utf-8")
    assert "已迁走、户主去世或无人居住" in html and all(note in html for note in GONE)


@pytest.mark.parametrize("kind", ["gone", "absent", "revisited"])
@pytest.mark.parametrize("phrases, why", [([], "at least 1"), (["已搬(走"], "not a regular expression"),
                                          (["已搬走", "(?:已)?"], "matches an empty note")])
def test_the_gone_and_absent_phrases_are_data_checked_when_loaded(kind, phrases, why):
    from pydantic import ValidationError

    from edgescreen.spotcheck.backcheck import SpotCheckWords, spot_check_words

    words = spot_check_words().model_dump()
    assert words["gone"] and words["absent"]
    with pytest.raises(ValidationError, match=re.escape(why)):
        SpotCheckWords.model_validate({**words, kind: phrases})
