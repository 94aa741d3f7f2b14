"""The register's functions take arguments as screen() does (outside tester, the register from a
notebook): record_documents(reg, "one/file.xlsx") read the text letter by letter ("r:找不到这个文件或
文件夹"); issue_documents(reg, folder, "2019-12-22") raised a TypeError; status_report(reg,
today="2019-12-20") and household_history(reg, <an int ID>) AttributeErrors; lang="cn" gave English
in status_report and export_register, and mask="no" exported every ID in full."""

from __future__ import annotations

import openpyxl
import pytest

from edgescreen.errors import EdgescreenError, UsageError
from edgescreen.jobs import screen_into
from edgescreen.register import (export_register, household_history, issue_documents, opened_register,
                                 record_documents, status_report)
from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook

# Heads whose IDs end in a digit: an ID typed without quotes is a whole number.
IDS = [i for i in (make_id(f"1960010{n}", serial=300 + n) for n in range(1, 10)) if i[-1].isdigit()][:2]


@pytest.fixture
def register(tmp_path):
    """A 2019 round of two candidates, recorded on 2019-11-20."""
    people = [household(户主姓名=f"户{n}", 户主身份证号=i) for n, i in enumerate(IDS)]
    source = write_workbook(tmp_path / "合隆镇.xlsx", people)
    db = tmp_path / "农安县.db"
    screen_into(source, tmp_path / "out2019", register=db, round_date="2019-11-20")
    return db


def test_dates_paths_and_ids_as_a_notebook_types_them(register, tmp_path):
    with opened_register(register) as reg:
        issued = issue_documents(reg, tmp_path / "文书", "2019-11-21", today="2019-11-21")
        review = next((tmp_path / "文书").rglob("*.xlsx"))
        fill(review, default=("同意", ""), form=meeting("2019-11-25"))
        outcomes = record_documents(reg, str(review), today="2019-11-25")  # one path as text: one file
        assert [(o.step, o.status, o.households) for o in outcomes] == [("review", "recorded", 2)], outcomes
        report = status_report(reg, today="2019-11-26")
        history = household_history(reg, int(IDS[0]))
        same = household_history(reg, IDS[0])
    assert issued.written, issued
    assert len(report.villages) == 1
    assert len(history) == len(same) == 1


def test_a_document_path_that_is_no_path_or_none_is_refused(register):
    with opened_register(register) as reg:
        with pytest.raises(UsageError) as refused:
            record_documents(reg, [])
        assert "没有给出要登记的文书" in str(refused.value)
        with pytest.raises(UsageError) as refused:
            record_documents(reg, None)
        assert "要以路径给出" in str(refused.value) and "不能是 None" in str(refused.value)


@pytest.mark.parametrize("call", ["status", "export", "history", "next", "record"])
def test_an_unknown_language_is_refused_everywhere(register, tmp_path, call):
    with opened_register(register) as reg, pytest.raises(UsageError) as refused:
        if call == "status":
            status_report(reg, lang="cn")
        elif call == "export":
            export_register(reg, tmp_path / "花名册.xlsx", lang="cn")
        elif call == "history":
            from edgescreen.register import event_words

            event_words(household_history(reg, IDS[0])[0].events, "cn")
        elif call == "next":
            issue_documents(reg, tmp_path / "文书", "2019-11-21", lang="cn", today="2019-11-21")
        else:
            record_documents(reg, tmp_path, lang="cn")
    assert "lang" in str(refused.value) and "'cn'" in str(refused.value)
    assert not (tmp_path / "花名册.xlsx").exists() and not (tmp_path / "文书").exists()


def test_yes_or_no_options_and_ids_that_are_neither_are_refused(register, tmp_path):
    with opened_register(register) as reg:
        with pytest.raises(EdgescreenError) as refused:
            export_register(reg, tmp_path / "花名册.xlsx", mask="no")
        assert "mask='no'" in str(refused.value) and "True" in str(refused.value)
        with pytest.raises(EdgescreenError) as refused:
            issue_documents(reg, tmp_path / "文书", "2019-11-21", force="yes", today="2019-11-21")
        assert "force='yes'" in str(refused.value)
        with pytest.raises(UsageError) as refused:
            household_history(reg, float(IDS[0]))
        assert "不是身份证号" in str(refused.value)
        with pytest.raises(UsageError) as refused:
            issue_documents(reg, tmp_path / "文书", "下周一")
        assert "date='下周一'" in str(refused.value)
        export_register(reg, tmp_path / "花名册.xlsx", mask=True)  # True still masks
    texts = [str(c.value) for row in openpyxl.load_workbook(tmp_path / "花名册.xlsx").worksheets[0].iter_rows()
             for c in row if c.value is not None]
    assert not any(IDS[0] in t for t in texts)
