"""The `register next` advised after `register record` (and `register status`) prints into the documents
folder the register's latest `next` printed into. An outside try: the clerk printed with `next -o 文书`,
recorded the villages' forms from copies in another folder, and the advice dropped `-o 文书 --force`;
run as advised, 4-乡镇审核 went into a new 农安县-文书-2019-12-20/ while the other steps were in 文书/.
Where the folder cannot be told (two copies of it beside the register), the advice names none and says
to give the one used then. --date is never guessed."""
from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from test_register import DATES, FOLDERS, Walk, _by_name, run


def last_lines(output: str, n: int) -> list[str]:
    return output.rstrip("\n").splitlines()[-n:]


def printed_review(tmp: Path, folder: str = "文书") -> tuple[Walk, list[Path]]:
    """The small county screened, its 民主评议 printed with -o `folder` from the county's folder (the
    clerk's), and filled in there."""
    walk = Walk(tmp)
    run("register", "next", "农安县.db", "--date", DATES["review"], "-o", folder)
    docs = sorted((tmp / folder / FOLDERS["review"]).glob("*.xlsx"))
    assert len(docs) == 3
    for p in docs:
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日"))
    return walk, docs


def copied(docs: list[Path], folder: Path) -> list[Path]:
    """The filled forms as the villages brought them back: copies in a folder of their own."""
    folder.mkdir()
    return [Path(shutil.copy(p, folder / p.name)) for p in docs]


def test_record_from_copies_elsewhere_advises_next_into_the_folder_next_printed_into(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the clerk in the county's folder, typing -o 文书
    _, docs = printed_review(tmp_path)
    returned = copied(docs, tmp_path / "交回")
    output = run("register", "record", "农安县.db", *[f"交回/{p.name}" for p in returned]).output
    assert "民主评议:登记 9 户" in output, output
    assert last_lines(output, 2) == ["  edgescreen register status 农安县.db",
                                     "  edgescreen register next 农安县.db -o 文书 --force"], output
    assert "--date" not in last_lines(output, 1)[0]  # not guessed: the clerk gives the day, as before
    # Run as advised (the day of the step given, as the clerk walking a past round does): 入户核实 goes
    # into 文书/ beside 民主评议, and no folder of the day's date is made.
    said = run(*shlex.split(last_lines(output, 1)[0])[1:], "--date", DATES["verify"]).output
    assert len(list((tmp_path / "文书" / FOLDERS["verify"]).glob("*.xlsx"))) == 3, said
    assert sorted(p.name for p in (tmp_path / "文书" / FOLDERS["review"]).glob("*.xlsx")) == \
        sorted(p.name for p in docs), said
    assert not list(tmp_path.glob("农安县-文书-*")), said


def test_record_from_a_folder_elsewhere_names_the_documents_folder_from_there(tmp_path, monkeypatch):
    """The forms brought back on a stick and recorded from another folder the clerk is in: the documents
    folder named from there, as a path that works (the register beside it)."""
    monkeypatch.chdir(tmp_path)
    _, docs = printed_review(tmp_path)
    stick = tmp_path / "U盘"
    stick.mkdir()
    returned = copied(docs, stick / "交回")
    monkeypatch.chdir(stick)
    output = run("register", "record", "../农安县.db", *returned, "--lang", "en").output
    assert last_lines(output, 3) == ["Next: see how far each village is, and print the documents due next. Run:",
                                     "  edgescreen register status ../农安县.db",
                                     f"  edgescreen register next ../农安县.db -o {tmp_path / '文书'} --force"], output
    said = run(*shlex.split(last_lines(output, 1)[0])[1:], "--date", DATES["verify"]).output
    assert len(list((tmp_path / "文书" / FOLDERS["verify"]).glob("*.xlsx"))) == 3, said
    assert not list(stick.glob("农安县-*")), said


def test_two_copies_of_the_folder_the_advice_names_the_one_next_kept_else_neither(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, docs = printed_review(tmp_path)
    shutil.copytree(tmp_path / "文书", tmp_path / "文书-备份")  # a backup beside it
    returned = copied(docs[:2], tmp_path / "交回")
    # next kept the folder it printed into with its changeset: that one, the backup no matter.
    output = run("register", "record", "农安县.db", *returned).output
    assert last_lines(output, 1) == ["  edgescreen register next 农安县.db -o 文书 --force"], output
    # Moved away (renamed), two copies left holding the same files: which one is not to be told.
    (tmp_path / "文书").rename(tmp_path / "文书-旧")
    shutil.copytree(tmp_path / "文书-旧", tmp_path / "文书-另一份")
    output = run("register", "record", "农安县.db", *copied([tmp_path / "文书-旧" / FOLDERS["review"] / docs[2].name],
                                                           tmp_path / "交回2")).output
    lines = last_lines(output, 2)
    assert lines[0] == "  edgescreen register next 农安县.db", output
    said = " ".join(lines[1].split())
    assert said.startswith("(不能确定上次打印文书的文件夹:请在命令后加上当时用的 -o 文件夹 --force"), output


def test_a_folder_of_a_round_before_with_the_same_names_is_told_apart_by_content(tmp_path, monkeypatch):
    """Last year's 文书-2018/ holds 1-民主评议/ files of the same names (the same villages): the folder
    named is the one holding this next's files, as printed or as recorded."""
    monkeypatch.chdir(tmp_path)
    _, docs = printed_review(tmp_path)
    before = tmp_path / "文书-2018" / FOLDERS["review"]
    before.mkdir(parents=True)
    for p in docs:
        (before / p.name).write_bytes(b"last year's form")
    output = run("register", "record", "农安县.db", *copied(docs, tmp_path / "交回")).output
    assert last_lines(output, 1) == ["  edgescreen register next 农安县.db -o 文书 --force"], output


def test_status_of_a_county_advises_next_into_the_same_folder(tmp_path, monkeypatch):
    """A county of 41 villages (past the lines status prints whole): its overview ends with the next to
    run, into the folder the latest next printed into, the forms recorded from copies elsewhere."""
    monkeypatch.chdir(tmp_path)
    rows = [household(**{"乡(镇)": "合隆镇", "行政村": f"第{i + 1}村", "户主姓名": f"王{i + 1}",
                         "户主身份证号": make_id(birth=f"1960{1 + i // 28:02d}{1 + i % 28:02d}", serial=100 + i),
                         "工资性收入": 9800}) for i in range(41)]
    write_workbook(tmp_path / "合隆镇.xlsx", rows)
    run("screen", "合隆镇.xlsx", "-o", "out", "--register", "合隆镇.db", "--date", DATES["round"])
    run("register", "next", "合隆镇.db", "--date", DATES["review"], "-o", "文书")
    docs = sorted((tmp_path / "文书" / FOLDERS["review"]).glob("*.xlsx"))
    assert len(docs) == 41
    for p in docs:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    run("register", "record", "合隆镇.db", *copied(docs, tmp_path / "交回"))
    output = run("register", "status", "合隆镇.db", "--as-of", "2019-11-26").output
    assert last_lines(output, 2) == ["接下来:打印上面「待发出」的文书,请运行:",
                                     "  edgescreen register next 合隆镇.db -o 文书 --force"], output
