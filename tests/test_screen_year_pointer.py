"""With --register, the screen's last lines send the clerk to `register next` for the meetings'
documents. Before: they said villages/ held each village's 评议名单 to send to the village meetings
(发给各村开评议会); in a second year those lists hold every candidate, the households already on the
register (继续帮扶) among them, while the meeting reviews only the new ones, which register next's
1-民主评议 lists (and only its documents, carrying their identity, can be recorded). Without
--register the lines are as they were."""
from __future__ import annotations

import shlex

import pytest

from register_builders import table_rows
from test_years import PEOPLE_2019, PEOPLE_2020, ROUND_2020, sheet_rows
from years_builders import register_everyone, run, survey

SEND_TO_MEETINGS = "各村的评议名单,共 2 个村,发给各村开评议会"
WORKING_LISTS = "各村的初选名单,共 2 个村:筛查的工作清单,供核对;不发给各村评议,评议会用登记簿打印的文书(见下)"
# A round dated before today: the command carries its date, the documents' print date (documents dated
# today would have every meeting held since the round refused as before them).
NEXT_ZH = ("接下来请从登记簿打印各村评议会的文书(只列这次要评议的农户,每个步骤一个文件夹),"
           "村里填好后用 edgescreen register record 录入。本轮筛查日期是 {date}:打印时请用 --date 写明文书的印发日期"
           "(下面写的是 {date},实际在哪天印发就改成哪天),村里填写的日期不能早于印发日期;不写 --date 就按今天印发。打印文书请运行:")


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """test_years' small county on the register from 2019-12-27, and its 2020 survey."""
    tmp = tmp_path_factory.mktemp("screen_year_pointer")
    (tmp / "registered").mkdir()
    registered = register_everyone(tmp, PEOPLE_2019, db=tmp / "registered" / "农安县.db")
    return {"tmp": tmp, "registered": registered, "survey": survey(tmp / "2020调查表.xlsx", PEOPLE_2020)}


def screened_2020(county, tmp_path, *extra) -> tuple[str, object]:
    db = tmp_path / "登记簿 2020.db"  # a space: the command said is one to copy into a shell as it is
    db.write_bytes(county["registered"].read_bytes())
    output = run("screen", county["survey"], "--year", "2020", "-o", tmp_path / "out", "--register", db,
                 "--date", ROUND_2020, *extra).output
    return output, db


def test_a_second_years_screen_points_to_register_next_for_the_meetings(county, tmp_path):
    output, db = screened_2020(county, tmp_path)
    lines = output.splitlines()
    assert SEND_TO_MEETINGS not in output, output
    assert WORKING_LISTS in output, output
    # The pointer comes last, after what the register recorded, with the command to copy on its own line.
    assert lines[-2] == NEXT_ZH.format(date=ROUND_2020), lines[-3:]
    assert lines[-1].startswith("  edgescreen register next "), lines[-1]
    command = shlex.split(lines[-1])
    assert command[:3] == ["edgescreen", "register", "next"] and command[3:] == [str(db), "--date", ROUND_2020], command
    # The command as said prints the meetings' documents: 1-民主评议 of 前岗村 lists its new candidate
    # only, where the screen's working list of the village holds the households on the register too.
    run(*command[1:], "-o", tmp_path / "docs")
    review = table_rows(tmp_path / "docs" / "1-民主评议" / "合隆镇-前岗村-民主评议.xlsx")
    listed = sheet_rows(tmp_path / "out" / "villages" / "合隆镇-前岗村.xlsx", "候选名单")
    assert review and {r["户主姓名"] for r in review} < {r["户主姓名"] for r in listed}, (review, listed)


def test_the_pointer_in_english(county, tmp_path):
    output, db = screened_2020(county, tmp_path, "--lang", "en")
    flat = " ".join(output.split())
    assert "the review list of each village (2), for the village meetings" not in flat, output
    assert ("each village's first-pass list (2): the screen's working lists, to check; not for the village "
            "meetings, which use the documents the register prints (below)") in flat, output
    assert ("Next: print the documents for the village meetings from the register: they list only the households "
            "to be reviewed now, a folder per step, and once the villages fill them in they are recorded with "
            "edgescreen register record. This round is dated 2020-11-20: give the documents' print date with --date") in flat, output
    assert output.splitlines()[-1] == f"  edgescreen register next '{db}' --date {ROUND_2020}", output.splitlines()[-1]


def test_a_first_years_screen_into_a_new_register_points_there_too_and_without_one_as_before(county, tmp_path):
    """The first year's lists hold the candidates the review lists do, yet only register next's
    documents carry what lets them be recorded; without --register there is no register to print
    from, and the lists are the meetings' as before."""
    first = survey(tmp_path / "2019.xlsx", PEOPLE_2019)
    output = run("screen", first, "-o", tmp_path / "new", "--register", tmp_path / "新.db",
                 "--date", "2019-11-20").output
    assert WORKING_LISTS in output and SEND_TO_MEETINGS not in output, output
    assert output.splitlines()[-2:] == [NEXT_ZH.format(date="2019-11-20"),
                                        f"  edgescreen register next {tmp_path / '新.db'} --date 2019-11-20"], output
    output = run("screen", county["survey"], "--year", "2020", "-o", tmp_path / "out").output
    assert SEND_TO_MEETINGS in output, output
    assert "register next" not in output, output
