"""A head's ID typed in the old 15 digits (an outside try: 曲红's 220183670117635). The household stays
invalid, as the form must carry the 18-digit ID, but the message gives the 18-digit form to copy (19
after the 6-digit region, then the check character), wherever the message is shown: issues.csv,
quality.xlsx, the village's fix list (masked there, as every ID a village sees) and report.html. 15
digits that are no ID (no birth date in them) keep the plain words; a member's 15-digit ID is
converted without an issue, as before."""

from __future__ import annotations

import glob

import openpyxl
import pytest

from survey_builders import household, make_id
from test_rosters import fifteen, head, member, run, write_survey

from edgescreen.outputs.ledger import read_issues, read_ledger

AS_OF = "2020-06-30"
QU_OLD, QU_NEW = "220183670117635", "220183196701176354"
# Another head's old ID, typed into a number cell (Excel keeps 15 digits exactly).
LI_NEW = make_id("19580612", region="220122", serial=427)
LI_OLD = fifteen(LI_NEW)
# 15 digits whose month is 13: no old ID, nothing to convert it to.
NO_ID = "220183671317635"


def _survey(path):
    qu = household(户编号="001", 户主姓名="曲红", 户主身份证号=QU_OLD)
    li = household(户编号="002", 户主姓名="李明", 户主身份证号=int(LI_OLD))
    odd = household(户编号="003", 户主姓名="赵六", 户主身份证号=NO_ID)
    wang = household(户编号="004", 户主姓名="王五", 户主身份证号=make_id("19660101"))
    members = [head(qu), member(qu, "曲妻", "配偶", fifteen(make_id("19680203", region="220183"))),
               member(qu, "曲子", "子", make_id("19900101")),
               head({**li, "户主身份证号": LI_OLD}), head(odd),
               head(wang), member(wang, "王妻", "配偶", make_id("19680101"))]
    return write_survey(path, [qu, li, odd, wang], members)


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("old_id")
    survey = _survey(folder / "合隆镇.xlsx")
    outs = {}
    for lang in ("zh", "en"):
        outs[lang] = folder / lang
        result = run("screen", survey, "-o", outs[lang], "--as-of", AS_OF, "--lang", lang)
        assert result.exit_code == 0, result.output
    return outs


def _texts(path) -> list[str]:
    """Every text cell of a workbook."""
    book = openpyxl.load_workbook(path, read_only=True)
    return [v for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]


def test_the_message_gives_the_18_digit_form_to_copy(screened):
    issues = read_issues(screened["zh"] / "issues.csv")
    ids = issues[issues["code"].str.startswith("id_") & (issues["table"] == "households")].set_index("head_name")
    assert set(ids.index) == {"曲红", "李明", "赵六"}, ids[["code", "message"]]
    assert (ids["code"] == "id_malformed").all()
    assert ids.loc["曲红", "message"].endswith(
        f"现为15位(旧号码);升位后为 {QU_NEW},请核对后改正"), ids.loc["曲红", "message"]
    assert f"升位后为 {LI_NEW}," in ids.loc["李明", "message"]
    assert ids.loc["赵六", "message"].endswith("现为15位") and "升位" not in ids.loc["赵六", "message"]
    # Still an error: the survey is to be corrected.
    ledger = read_ledger(screened["zh"] / "decisions.csv").set_index("head_name")
    assert ledger.loc[["曲红", "李明", "赵六"], "status"].eq("invalid").all()
    assert ledger.loc["王五", "status"] == "candidate"
    # A member's old ID is converted and checked as 18: only the one that is no ID has an issue.
    mine = issues[issues["table"] == "members"]
    assert mine["value"].tolist() == [NO_ID] and mine["code"].tolist() == ["id_checksum"], mine


def test_every_output_that_shows_the_message_gives_it(screened):
    out = screened["zh"]
    quality = _texts(out / "quality.xlsx")
    assert any(f"升位后为 {QU_NEW},请核对后改正" in t for t in quality)
    (fix_list,) = glob.glob(str(out / "villages" / "*.xlsx"))
    # The village sees IDs masked, the converted one too: its check character still shows.
    village = _texts(fix_list)
    assert any("升位后为 220183********6354,请核对后改正" in t for t in village), [t for t in village if "15" in t]
    assert not any(QU_NEW in t for t in village)
    report = (out / "report.html").read_text(encoding="utf-8")
    assert f"升位后为 {QU_NEW},请核对后改正" in report


def test_in_english_too(screened):
    issues = read_issues(screened["en"] / "issues.csv")
    said = issues.loc[issues["head_name"] == "曲红", "message"].tolist()
    assert any(f"it has 15 (an old ID), which as 18 is {QU_NEW}" in m for m in said), said


def test_a_head_typed_once_in_15_digits_and_once_in_18_is_the_same_head_twice(tmp_path):
    """The same household written twice, its head's ID once in the old 15 digits: the two rows are the
    same head, as two 18-digit rows would be (duplicate_household on both); before, the old one was only
    an ID to correct, and the copy with 18 digits went on to be decided as a household of its own."""
    old = household(户编号="001", 户主姓名="曲红", 户主身份证号=QU_OLD)
    new = household(户编号="009", 户主姓名="曲红", 户主身份证号=QU_NEW)
    other = household(户编号="004", 户主姓名="王五", 户主身份证号=make_id("19660101"))
    survey = write_survey(tmp_path / "合隆镇.xlsx", [old, new, other], [head(old), head(new), head(other)])
    result = run("screen", survey, "-o", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    issues = read_issues(tmp_path / "out" / "issues.csv")
    twice = issues[issues["code"] == "duplicate_household"]
    assert sorted(twice["value"].tolist()) == sorted([QU_OLD, QU_NEW]), issues[["code", "value", "message"]]
    statuses = read_ledger(tmp_path / "out" / "decisions.csv").groupby("head_name")["status"].agg(list)
    assert statuses["曲红"] == ["invalid", "invalid"] and statuses["王五"] == ["candidate"], statuses
