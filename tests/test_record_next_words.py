"""The small words after `register record`, `register next`, `screen --register` and `register measures`
that an outside try, at 80 columns, found wrong:
- every village recorded said 「(其中未通过、移出名单 0 户)」: the parenthesis only where someone was;
- `register next`'s command to copy named its folder by an absolute path (/tmp/.../长岭县-文书-2019-12-08/
  2-入户核实/*.xlsx) that wrapped mid-word: relative to where the clerk is where it is under it;
- the screen into a register advised `register next 县.db` without --date: a round dated before today got
  documents printed today, and every meeting of the round refused as held before them;
- `register measures -o 帮扶 --force` over forms filled and recorded there stopped as over strangers' files."""
from __future__ import annotations

import datetime as dt
import glob
import hashlib
import shlex
from pathlib import Path

from register_builders import fill, meeting
from test_measures_returned import HOU, QIAN, recorded_in_place, registered_county
from test_register import DATES, Walk, _by_name, run
from years_builders import MeasureForm

import pytest


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fill_review(docs: list[Path]) -> None:
    """The usual 民主评议: 李二 (前岗村) turned down, the other villages' households all kept."""
    for p in docs:
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日"))


def copied(line: str, cwd: Path) -> list[str]:
    """A command line as the clerk's shell runs it pasted: split as a POSIX shell splits it, each
    pattern expanded from `cwd` as the shell expands it; without `edgescreen`."""
    words = []
    for word in shlex.split(line):
        words += sorted(glob.glob(word, root_dir=cwd)) if "*" in word else [word]
    return words[1:]


# ---------------------------------------------------------------------------------------------
# record: no 「移出名单 0 户」


def test_a_village_with_nobody_turned_down_says_its_households_only(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    fill_review(docs)
    output = walk.record(*docs).output
    assert "合隆镇-前岗村-民主评议.xlsx:民主评议,合隆镇前岗村,4 户(其中未通过、移出名单 1 户)已登记。" in output, output
    assert "合隆镇-青山村-民主评议.xlsx:民主评议,合隆镇青山村,3 户已登记。" in output, output
    assert "烧锅镇-三宝村-民主评议.xlsx:民主评议,烧锅镇三宝村,2 户已登记。" in output, output
    assert "0 户)" not in output, output
    # The step's total still says how many stay and who went.
    assert "民主评议:登记 9 户,名单上保留 8 户,移出 1 户(不同意)。" in output, output


def test_nobody_turned_down_in_english(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    fill_review(docs)
    output = walk.record(*docs, extra=("--lang", "en")).output
    assert "(0 turned down" not in output, output
    assert "(1 turned down, off the list) recorded." in output, output
    assert "3 households recorded." in output, output


# ---------------------------------------------------------------------------------------------
# next: the command to copy names the folder from where the clerk is


def test_next_names_its_default_folder_from_where_the_clerk_is_and_runs_as_printed(tmp_path, monkeypatch):
    Walk(tmp_path)  # the county screened into 农安县.db here
    monkeypatch.chdir(tmp_path)  # the clerk's shell, in the county's folder, typing the register's name
    said = run("register", "next", "农安县.db", "--date", DATES["review"], columns=80).output
    command = said.splitlines()[-1]
    assert command == "  edgescreen register record 农安县.db 农安县-文书-2019-11-21/1-民主评议/*.xlsx", said
    assert str(tmp_path) not in command
    # Pasted as printed (the shell expanding the pattern here), it records the village's filled forms.
    words = copied(command, tmp_path)
    assert len(words) == 3 + 3, words  # register record 农安县.db and the three villages' documents
    fill_review([tmp_path / w for w in words[3:]])
    assert "民主评议:登记 9 户,名单上保留 8 户,移出 1 户(不同意)。" in run(*words).output


def test_next_keeps_a_folder_elsewhere_absolute_and_a_space_quoted(tmp_path, monkeypatch):
    walk = Walk(tmp_path / "县")
    here = tmp_path / "别处"
    here.mkdir()
    monkeypatch.chdir(here)
    folder = tmp_path / "县" / "文书 第一批"  # not under the current folder: named whole, quoted
    said = run("register", "next", walk.db, "--date", DATES["review"], "-o", folder).output
    command = said.splitlines()[-1]
    assert command == f"  edgescreen register record {walk.db} {shlex.quote(str(folder / '1-民主评议'))}/*.xlsx", said
    words = copied(command, here)
    assert [Path(w).parent for w in words[3:]] == [folder / "1-民主评议"] * 3, words
    fill_review([Path(w) for w in words[3:]])
    run(*words)
    # Under the current folder, typed whole: said from here, still quoted, and still run as printed.
    monkeypatch.chdir(tmp_path / "县")
    later = tmp_path / "县" / "文书 第二批"
    said = run("register", "next", walk.db, "--date", DATES["verify"], "-o", later).output
    command = said.splitlines()[-1]
    assert command == f"  edgescreen register record {walk.db} '文书 第二批/2-入户核实'/*.xlsx", said
    words = copied(command, tmp_path / "县")
    assert len(words) == 3 + 3 and all(w.startswith("文书 第二批/2-入户核实/") for w in words[3:]), words
    for w in words[3:]:
        fill(Path(w), default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    run(*words)


# ---------------------------------------------------------------------------------------------
# screen --register: the round's day for register next


def test_a_screen_dated_before_today_advises_next_on_its_day_and_its_meetings_record(tmp_path):
    walk = Walk(tmp_path)  # screened --date 2019-11-20
    lines = walk.screen.output.splitlines()
    assert lines[-1] == f"  edgescreen register next {walk.db} --date {DATES['round']}", lines[-3:]
    advice = " ".join(walk.screen.output.split())
    assert "本轮筛查日期是 2019-11-20:打印时请用 --date 写明文书的印发日期" in advice, advice
    # The command as printed, then the meetings (2019-11-25) recorded: printed today, they were refused.
    words = shlex.split(lines[-1])[1:]
    run(*words, "-o", tmp_path / "docs")
    docs = sorted((tmp_path / "docs" / "1-民主评议").glob("*.xlsx"))
    assert len(docs) == 3
    fill_review(docs)
    assert "民主评议:登记 9 户,名单上保留 8 户,移出 1 户(不同意)。" in walk.record(*docs).output


def test_a_screen_dated_before_today_in_english(tmp_path):
    walk = Walk(tmp_path)
    output = run("screen", walk.survey, "-o", tmp_path / "en", "--register", tmp_path / "en.db",
                 "--date", "2019-11-20", "--lang", "en").output
    assert output.splitlines()[-1] == f"  edgescreen register next {tmp_path / 'en.db'} --date 2019-11-20", output
    assert "This round is dated 2019-11-20: give the documents' print date with --date" in " ".join(output.split())


def test_a_screen_of_today_says_next_dates_its_documents_today(tmp_path):
    walk = Walk(tmp_path)
    db = tmp_path / "今天.db"
    output = run("screen", walk.survey, "-o", tmp_path / "today", "--register", db).output
    lines = output.splitlines()
    assert lines[-1] == f"  edgescreen register next {db}", lines[-3:]
    assert "文书以打印当天为印发日期,村里填写的日期不能早于这一天。" in " ".join(output.split()), output
    run(*shlex.split(lines[-1])[1:], "-o", tmp_path / "docs")
    assert len(sorted((tmp_path / "docs" / "1-民主评议").glob("*.xlsx"))) == 3


# ---------------------------------------------------------------------------------------------
# measures --force over forms filled and recorded where they were printed


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "record_next_words")


def test_measures_force_keeps_the_forms_recorded_where_they_are(registered, tmp_path):
    db, forms, head = recorded_in_place(registered, tmp_path)  # filled in where it was printed, and recorded from there
    filled, still_out = sha(forms / QIAN), sha(forms / HOU)
    said = " ".join(run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force").output.split())
    now = {p.name: sha(p) for p in forms.glob("*.xlsx")}
    assert now[QIAN] == filled and now[HOU] == still_out, now  # both where they were, byte for byte
    # Each village's new form beside them, under its day's name.
    assert set(now) == {QIAN, HOU, QIAN.replace(".xlsx", "-2020-06-01.xlsx"), HOU.replace(".xlsx", "-2020-06-01.xlsx")}
    assert f"帮扶措施:1 份已登记的文书原样保留在 {forms}" in said, said
    assert f"帮扶措施:1 份已发出、尚未登记的文书原样保留在 {forms}" in said, said
    # The new form is the register's: it records.
    new = MeasureForm(forms / QIAN.replace(".xlsx", "-2020-06-01.xlsx"))
    new.add(head, 帮扶类型="公益岗位", 帮扶内容="村保洁员", 开始日期="2020-06-02", 帮扶责任人="王干部")
    new.save()
    run("register", "record", db, new.path)


def test_measures_force_still_refuses_a_form_changed_after_it_was_recorded(registered, tmp_path):
    db, forms, head = recorded_in_place(registered, tmp_path)
    form = MeasureForm(forms / QIAN)  # written on again, not recorded: replacing would lose it
    form.add(head, 帮扶类型="公益岗位", 帮扶内容="村保洁员", 开始日期="2020-01-08", 帮扶责任人="王干部")
    form.save()
    output = run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force", code=2).output
    assert QIAN in " ".join(output.split()), output
