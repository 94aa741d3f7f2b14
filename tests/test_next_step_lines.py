"""Every register command ends by saying what to do next (an outside try, README word for word):
- `register record` of one file ended at its step's total, no next step; a batch ended with advice
  naming neither the register nor the documents' folder: both end alike, with the commands to copy;
- `register measures` ended at 「→ 帮扶措施」, not saying the forms are recorded with `register record`;
- `register status` listing households 纳入超过 30 天仍无帮扶措施 did not point to `register measures`;
- `check` did not say where the villages' fix lists (quality-villages/) were, nor that they go back;
- `register next --force` listed the documents it kept 县级复审 first and 民主评议 last."""
from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from register_builders import fill, meeting
from survey_builders import household, write_workbook
from test_measures_returned import registered_county
from test_register import DATES, FOLDERS, Walk, _by_name, run

from edgescreen.inputs import shell_word

import pytest

THEN_ZH = "接下来:查看各村办到了哪一步,打印下一步该发的文书,请运行:"


def fill_review(docs: list[Path]) -> None:
    for p in docs:
        fill(p, default=("同意", ""), decisions=_by_name(p, {"李二": ("不同意", "家中有小轿车")}),
             form=meeting("2019年11月25日"))


def last_lines(output: str, n: int) -> list[str]:
    return output.rstrip("\n").splitlines()[-n:]


# ---------------------------------------------------------------------------------------------
# register record: one file or many, the same closing


def test_one_file_recorded_ends_with_the_next_step_naming_the_register_and_its_folder(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    fill_review(docs[:1])  # one village's meeting held, the others' forms still out as printed
    output = walk.record(docs[0]).output
    register, folder = shell_word(str(walk.db)), shell_word(str(tmp_path / "docs-review"))
    assert last_lines(output, 3) == [THEN_ZH, f"  edgescreen register status {register}",
                                     f"  edgescreen register next {register} -o {folder} --force"], output
    # Pasted as printed, with the day of the next step: it prints 入户核实 into the same folder.
    words = shlex.split(last_lines(output, 1)[0])[1:]
    said = run(*words, "--date", DATES["verify"]).output
    assert (tmp_path / "docs-review" / FOLDERS["verify"]).is_dir(), said
    assert run(*shlex.split(last_lines(output, 2)[0])[1:]).exit_code == 0


def test_a_batch_ends_with_the_same_lines_after_its_count(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.review(record=False)
    output = walk.record(*docs).output
    register, folder = shell_word(str(walk.db)), shell_word(str(tmp_path / "docs-review"))
    lines = last_lines(output, 4)
    assert lines[0].startswith(f"共 {len(docs)} 个文件:登记 {len(docs)} 个"), output
    assert "register" not in lines[0], lines  # the advice is the lines below, not twice
    assert lines[1:] == [THEN_ZH, f"  edgescreen register status {register}",
                         f"  edgescreen register next {register} -o {folder} --force"], output


def test_files_not_in_a_step_folder_name_the_folder_next_printed_into_and_in_english(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.review(record=False)
    elsewhere = tmp_path / "交回 的"
    elsewhere.mkdir()
    copy = Path(shutil.copy(docs[0], elsewhere / docs[0].name))
    output = walk.record(copy, extra=("--lang", "en")).output
    register = shell_word(str(walk.db))
    assert last_lines(output, 3) == ["Next: see how far each village is, and print the documents due next. Run:",
                                     f"  edgescreen register status {register}",
                                     f"  edgescreen register next {register} -o "
                                     f"{shell_word(str(tmp_path / 'docs-review'))} --force"], output


# ---------------------------------------------------------------------------------------------
# register measures and register status


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "next_step_lines")


def test_measures_ends_with_the_record_of_its_folder(registered, tmp_path, monkeypatch):
    db = shutil.copy(registered, tmp_path / "农安县.db")
    monkeypatch.chdir(tmp_path)  # the clerk in the county's folder, typing -o 帮扶措施
    output = run("register", "measures", "农安县.db", "--date", "2020-01-10", "-o", "帮扶措施").output
    assert last_lines(output, 2) == [
        "接下来:把这些表发给各村,填写每户的帮扶措施,填好交回后录入登记簿,请运行:",
        "  edgescreen register record 农安县.db 帮扶措施/*.xlsx"], output
    assert Path(db).exists() and list((tmp_path / "帮扶措施").glob("*.xlsx"))


def test_status_points_to_measures_where_households_are_past_the_days(registered, tmp_path):
    db = Path(shutil.copy(registered, tmp_path / "农 安县.db"))  # a space: quoted as other advice is
    output = run("register", "status", db, "--as-of", "2020-03-01").output
    assert "纳入超过 30 天仍无帮扶措施" in output, output
    lines = last_lines(output, 2)
    assert lines[0].startswith("接下来:") and "仍无帮扶措施" in lines[0] and "帮扶措施登记表" in lines[0], output
    assert lines[1] == f"  edgescreen register measures {shell_word(str(db))}", output
    # Within the days (entered 2019-12-27), nobody is past them: nothing more.
    early = run("register", "status", db, "--as-of", "2020-01-05").output
    assert "register measures" not in early, early


# ---------------------------------------------------------------------------------------------
# check: the villages' fix lists


def test_check_says_where_the_fix_lists_are_and_nothing_where_none(tmp_path):
    rows = [household(行政村="前岗村", 户主姓名="张三"), household(行政村="青山村", 户主姓名="李四")]
    rows[0]["户主身份证号"] = "22012219"  # an ID cut short: an error on 前岗村's list
    survey = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    output = run("check", survey, "-o", tmp_path / "报告", code=1).output
    lists = tmp_path / "报告" / "quality-villages"
    count = len(list(lists.glob("*.xlsx")))
    assert count >= 1
    said = " ".join(output.split())
    assert said.endswith(f"各村的问题清单({count} 份)在 {tmp_path / '报告'} 下的 quality-villages/ 文件夹里:"
                         "发回各村,按清单逐条核对、在原表中改正。"), output
    assert said.count("quality-villages") == 1, output  # the verdict no longer names it relative, twice
    clean = write_workbook(tmp_path / "青山村.xlsx", [household(行政村="青山村", 户主姓名="李四")])
    output = run("check", clean, "-o", tmp_path / "干净").output
    assert " ".join(output.split()).endswith("没有发现数据问题,可以报送。"), output
    assert not (tmp_path / "干净" / "quality-villages").exists()


# ---------------------------------------------------------------------------------------------
# register next --force: what it kept, in the procedure's order


def test_next_force_says_what_it_kept_in_the_procedures_order(tmp_path):
    walk = Walk(tmp_path)
    walk.through("county_review")
    docs = tmp_path / "文书"  # the office's one folder of every step, as README's next -o 文书 --force makes
    for step, folder in reversed(list(FOLDERS.items())):
        if (tmp_path / f"docs-{step}" / folder).is_dir():
            shutil.copytree(tmp_path / f"docs-{step}" / folder, docs / folder)
    said = run("register", "next", walk.db, "--date", DATES["announcement"], "-o", docs, "--force").output
    steps = ["民主评议", "入户核实", "第一次公示", "乡镇审核", "第二次公示", "县级复审"]
    kept = [line.split(":")[0] for line in said.splitlines() if "份已登记的文书原样保留在" in line]
    assert len(kept) >= 3, said
    assert kept == sorted(kept, key=steps.index), said
    # The order is the procedure's, not the folders' as listed (a filesystem may list newest first):
    # a dict given 县级复审 first comes back 民主评议 first, measures (no step) last.
    from edgescreen.cli.register import _in_procedure_order

    backwards = {step: i for i, step in enumerate(["measures", *reversed(FOLDERS)])}
    assert [step for step, _ in _in_procedure_order(backwards)] == [*FOLDERS, "measures"]
