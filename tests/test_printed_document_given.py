"""A document edgescreen printed, given to `screen` as a survey or kept among the surveys (an outside
try, 2026-12-06): a 民主评议 form, filled or not, was said as a survey without a household header (and
the advice was --include-hidden, for its identity sheet), never as the document it is. Now it is said
as such, with the command that reads it back; the surveys beside it are screened as before."""

from __future__ import annotations

import shutil
from pathlib import Path


from register_builders import fill, meeting
from spotcheck_builders import screened_and_drawn
from survey_builders import household, write_workbook
from years_builders import run
from field_checks import said


def _county(tmp: Path) -> tuple[Path, Path]:
    """Two villages' survey screened into a register; the 民主评议 documents printed. (survey, a document)"""
    rows = [household(户主姓名=f"{village[0]}户{i}", 村=village, 工资性收入=10000 + 10 * i)
            for village in ("前岗村", "后岗村") for i in range(3)]
    (tmp / "surveys").mkdir()
    survey = write_workbook(tmp / "surveys" / "合隆镇.xlsx", rows)
    run("screen", survey, "-o", tmp / "筛查", "--register", tmp / "农安县.db", "--date", "2019-11-20")
    run("register", "next", tmp / "农安县.db", "--date", "2019-11-21", "-o", tmp / "文书")
    documents = sorted((tmp / "文书" / "1-民主评议").glob("*.xlsx"))
    assert documents
    return survey, documents[0]


def test_a_printed_document_given_as_the_survey_is_said_as_one_with_the_command_that_records_it(tmp_path):
    _, document = _county(tmp_path)
    filled = tmp_path / "交回" / document.name
    filled.parent.mkdir()
    shutil.copy(document, filled)
    fill(filled, default=("同意", ""), form=meeting("2019-11-25"))
    for given in (document, filled):
        result = run("screen", given, "-o", tmp_path / "错", code=2)
        text = said(result)
        assert f"{given.name}:给出的是edgescreen打印的文书,不是调查表,没有读入" in text, result.output
        assert "edgescreenregisterrecord登记簿.db文件登记" in text and "--include-hidden" not in text, result.output
        assert not (tmp_path / "错").exists()
    # Given with --register too: said as a document first, not asked for a year.
    result = run("screen", filled, "-o", tmp_path / "错", "--register", tmp_path / "农安县.db", code=2)
    assert "打印的文书" in said(result) and "--year" not in result.output, result.output


def test_a_document_kept_among_the_surveys_is_passed_over_and_the_surveys_are_screened(tmp_path):
    survey, document = _county(tmp_path)
    shutil.copy(document, survey.parent / document.name)
    result = run("screen", survey.parent, "-o", tmp_path / "再筛")
    text = said(result)
    assert f"{document.name}:没有读入:这是edgescreen打印的文书,不是调查表" in text, result.output
    assert "已筛查6户" in text, result.output
    ledger = (tmp_path / "再筛" / "decisions.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(ledger) == 1 + 6


def test_a_spot_check_form_given_as_the_survey_points_to_backcheck(tmp_path):
    screened_and_drawn(tmp_path)
    form = sorted((tmp_path / "抽查").rglob("*.xlsx"))
    form = [f for f in form if "核查" in f.name or "抽查" in f.name] or form
    result = run("screen", form[0], "-o", tmp_path / "错", code=2)
    text = said(result)
    assert "打印的文书" in text and "edgescreenbackcheck" in text and "registerrecord" not in text, result.output
