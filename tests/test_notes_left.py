"""What a clerk writes in a cell to say a household is gone, and two people in one cell (an outside try,
2026-12-06). 备注 saying the household died out, moved away, was closed, is a duplicate or void (死亡销户,
本人已故, 已迁出, 整户迁出, 重复,删除, 此户作废) went unsaid unless it named 户主, and such households stood
as candidates; a head's name cell holding two names on two lines (韩春生 / 廖宝山) or a note in brackets
(郝国庆 / (已故)) was read as the name without a word; an ID cell holding two IDs said only 现为36位.
Each is now a warning naming its cell and quoting it (the household is still decided: a note is free
text), or, for the IDs, the error says they are two IDs. Notes that speak of someone else, of a plan or
of something else (子女迁出, 拟迁出, 户主母亲已故, 生猪死亡) are not said."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.catalogue import NoteWords
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

NOTES = [  # (备注, the code it gets: None for none)
    # the outside try's, silent before
    ("死亡销户", "head_noted_deceased"), ("已死亡", "head_noted_deceased"), ("本人已故", "head_noted_deceased"),
    ("独居老人,2019.8去世", "head_noted_deceased"), ("于2020年3月病故", "head_noted_deceased"),
    ("已迁出", "household_noted_left"), ("整户迁出", "household_noted_left"),
    ("户口已迁走", "household_noted_left"), ("重复,删除", "household_noted_left"),
    ("此户作废", "household_noted_left"), ("不符合条件,已删除", "household_noted_left"),
    ("全家已迁往长春市,不在本村居住", "household_noted_left"), ("此3户2019年已迁出,待核销", "household_noted_left"),
    # said before, and once still: the head's death, not also the closing
    ("户主已故,销户", "head_noted_deceased"),
    # someone else's, a plan, not, something else
    ("常年外出务工", None), ("子女迁出", None), ("儿子已迁出", None), ("拟迁出", None), ("未迁出", None),
    ("户主母亲已故", None), ("户主老伴2018年去世", None), ("母亲已故", None), ("生猪死亡3头,亏损", None),
    ("低保已注销", None), ("电话号码重复", None), ("2018年迁出,2019年已迁回", None), ("女儿出嫁迁出", None),
    ("独居老人", None),
]
FIRST = 2  # the header is row 1


def _column(header: str) -> str:
    return chr(ord("A") + HEADERS.index(header))


def _screen(tmp_path, rows, lang="zh"):
    path = write_workbook(tmp_path / "华家镇.xlsx", rows)
    out = tmp_path / f"out-{lang}"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--lang", lang])
    assert result.exit_code == 0, result.output
    return read_issues(out / "issues.csv"), read_ledger(out / "decisions.csv")


def test_a_note_that_the_household_left_or_its_head_died_is_a_warning_quoting_it(tmp_path):
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id("19600101", serial=i + 1), 备注=note)
            for i, (note, _) in enumerate(NOTES)]
    issues, decided = _screen(tmp_path, rows)
    said = issues[issues["code"].isin(["head_noted_deceased", "household_noted_left"])]
    got = {int(r) - FIRST: code for r, code in zip(said["row"], said["code"])}
    wanted = {i: code for i, (_, code) in enumerate(NOTES) if code}
    assert got == wanted, {NOTES[i][0]: (got.get(i), wanted.get(i)) for i in set(got) ^ set(wanted)
                           | {i for i in got if got[i] != wanted.get(i)}}
    assert len(said) == len(wanted)  # 户主已故,销户 said once, as the death
    assert (said["severity"] == "warning").all()
    left = said[said["code"] == "household_noted_left"].set_index("row")
    row = FIRST + [n for n, _ in NOTES].index("重复,删除")
    assert left.loc[str(row), "cell"] == f"{_column('备注')}{row}"
    assert "「备注」写着「重复,删除」" in left.loc[str(row), "message"]
    assert "重复的两行只删一行" in left.loc[str(row), "message"]
    dead = said[said["code"] == "head_noted_deceased"].set_index("row")
    row = FIRST + [n for n, _ in NOTES].index("本人已故")
    assert dead.loc[str(row), "cell"] == f"{_column('户主姓名')}{row}"
    assert "备注写着「本人已故」" in dead.loc[str(row), "message"]
    # still decided: a warning changes no decision
    assert set(decided["status"]) == {"candidate"}


# A review, 2026-12-06: notes of one member, of a document, of the old row, or going on about a relative
# named in the clause before, were said as the household's leaving or its head's death.
NOT_THE_HOUSEHOLD = [  # (备注, the code it gets: None for none)
    ("迁出1人", None), ("删除1人", None), ("2019年删除1人", None), ("迁出一人", None), ("迁出两口", None),
    ("身份证号重复", None), ("医保已注销", None), ("户口本作废", "household_noted_left"), ("经查证,已迁出", "household_noted_left"), ("村委会证明整户迁出", "household_noted_left"), ("原表作废,以此为准", None),
    ("儿子李强,2019年去世", None), ("妻子王芳,已故", None), ("儿子李强,已迁出", None),
    # still the household's or its head's: a count before the word, the head named, no one named before
    ("全户4人迁出", "household_noted_left"), ("整户迁出,共3人", "household_noted_left"),
    ("重复,删除", "household_noted_left"), ("户口本已迁出", "household_noted_left"), ("妻子王芳,户主已故", "head_noted_deceased"),
    ("独居老人,2019.8去世", "head_noted_deceased"), ("本人已故,销户", "head_noted_deceased"),
]


def test_a_note_of_one_member_a_document_or_the_old_row_is_not_the_household_leaving(tmp_path):
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id("19600101", serial=i + 1), 备注=note)
            for i, (note, _) in enumerate(NOT_THE_HOUSEHOLD)]
    issues, decided = _screen(tmp_path, rows)
    said = issues[issues["code"].isin(["head_noted_deceased", "household_noted_left"])]
    got = {NOT_THE_HOUSEHOLD[int(r) - FIRST][0]: code for r, code in zip(said["row"], said["code"])}
    wanted = {note: code for note, code in NOT_THE_HOUSEHOLD if code}
    assert got == wanted
    assert len(said) == len(wanted)
    assert set(decided["status"]) == {"candidate"}


def test_the_clause_reader_reads_a_count_after_the_word_and_a_person_named_before():
    words = NoteWords(clause_marks=",", left=("迁出",), left_counted=("人",), count_characters="0123456789一二",
                      others=("儿",), deceased=("去世",), head="户主", unnamed_before=("年",))
    assert words.household_left("已迁出") and words.household_left("3人迁出")
    assert not words.household_left("迁出2人") and not words.household_left("迁出了一人")
    assert not words.household_left("儿子李强,已迁出")
    assert words.head_dead("2019年去世") and words.head_dead("儿子李强,户主2019年去世")
    assert not words.head_dead("儿子李强,2019年去世")
    with pytest.raises(ValidationError, match=r"\[notes\] left_counted"):
        NoteWords(left_counted=("人 ",))


def test_the_warning_reads_in_english_too(tmp_path):
    issues, _ = _screen(tmp_path, [household(备注="整户迁出")], lang="en")
    message = issues.query("code == 'household_noted_left'")["message"].iloc[0]
    assert "says “整户迁出”" in message and "moved away" in message, message


NAMES = [  # (户主姓名 as typed, hint of name_holds_more: None for no warning)
    ("韩春生\n廖宝山", "two"), ("郝国庆\n(已故)", "note"), ("韩春生、廖宝山", "two"), ("王秀英 李桂兰", "two"),
    ("张三(户主)", "note"), ("王 芳", None), ("汤 凤芝", None), ("欧阳娜娜", None), ("韩春生\n", None),
]


def test_two_names_or_a_note_in_the_name_cell_is_a_warning_naming_the_cell(tmp_path):
    rows = [household(户主姓名=name, 户主身份证号=make_id("19600101", serial=i + 1)) for i, (name, _) in enumerate(NAMES)]
    issues, decided = _screen(tmp_path, rows)
    said = issues[issues["code"] == "name_holds_more"].set_index("row")
    wanted = {str(FIRST + i): hint for i, (_, hint) in enumerate(NAMES) if hint}
    assert sorted(said.index) == sorted(wanted), said["value"].tolist()
    assert (said["severity"] == "warning").all()
    for row, hint in wanted.items():
        assert said.loc[row, "cell"] == f"{_column('户主姓名')}{row}"
        assert ("像是两个人的姓名" if hint == "two" else "括号里的注记") in said.loc[row, "message"]
    assert "「韩春生\n廖宝山」" in said.loc[str(FIRST), "message"]  # the cell as typed
    assert set(decided["status"]) == {"candidate"}  # decided as typed


def test_two_ids_in_one_cell_are_said_to_be_two_ids(tmp_path):
    one, other = make_id("19800624", serial=263), make_id("19610601", serial=264)
    rows = [household(户主身份证号=f"{one}\n{other}"),
            household(户主姓名="李四", 户主身份证号=f"{one}\n{other[:-1]}0" if other[-1] != "0" else f"{one}\n{other[:-1]}1")]
    issues, _ = _screen(tmp_path, rows)
    said = issues[issues["code"] == "id_malformed"].set_index("row")
    assert f"是两个身份证号 {one} 和 {other} 填在了一格" in said.loc[str(FIRST), "message"]
    assert said.loc[str(FIRST), "cell"] == f"{_column('户主身份证号')}{FIRST}"
    # 36 characters whose second half is no valid ID: the length alone, as before
    assert "现为36位" in said.loc[str(FIRST + 1), "message"]
    assert "两个身份证号" not in said.loc[str(FIRST + 1), "message"]


# A review, 2026-12-06: one person's name spaced (a compound surname, a Tibetan name's two parts) was
# said as two people. Apart by spaces alone, 4 characters together are one person's; a line break, a
# mark between, or 5 characters and more are two.
SPACED = [  # (户主姓名 as typed, whether name_holds_more says two people)
    ("欧阳 娜娜", False), ("司马 相如", False), ("扎西 多吉", False), ("欧阳　娜娜", False), ("欧阳  娜娜", False),
    ("欧阳\n娜娜", True), ("韩春生 廖宝山", True), ("王芳 李桂兰", True), ("张三、李四", True), ("张三,李四", True),
    ("张三;李四", True), ("张三/李四", True), ("王小二\r\n李四", True),
]


def test_one_persons_name_spaced_is_no_two_people_but_a_line_break_is(tmp_path):
    rows = [household(户主姓名=name, 户主身份证号=make_id("19600101", serial=i + 1)) for i, (name, _) in enumerate(SPACED)]
    issues, _ = _screen(tmp_path, rows)
    said = issues[issues["code"] == "name_holds_more"]
    got = {SPACED[int(r) - FIRST][0] for r in said["row"]}
    assert got == {name for name, two in SPACED if two}
    assert said["message"].str.contains("像是两个人的姓名").all()


@pytest.mark.parametrize("word", ["迁 出", "重复,删除", ""])
def test_a_notes_word_that_could_never_be_found_is_refused(word):
    with pytest.raises(ValidationError, match=r"\[notes\] left"):
        NoteWords(clause_marks=",;", left=("销户", word))
