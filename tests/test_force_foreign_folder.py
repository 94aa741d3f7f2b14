"""--force replaces only a folder edgescreen wrote (outputs/folder.py, others_in).

Found by an outside try: `screen -o 其他2 --force`, 其他2 holding the clerk's own 去年的合隆镇调查表.xlsx
and 我的统计.csv, and `screen -o 文书copy --force`, 文书copy a copy of a register's documents folder with
five villages' 民主评议 forms filled and returned, both ended 0 with every file gone: a folder with no
record of a run, whose files were of a kind edgescreen writes (.xlsx, .csv), was taken for its own. A
folder with no record is nobody's output: refused, its files named and left as they were. An earlier
output (its record lists what it wrote), an empty folder, an earlier check report of a version whose
check.json listed no files, and backcheck's folder (its record backcheck.json since 2026-12-06) are
replaced as before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from field_builders import households
from field_checks import assert_clear_message, folded, invoke, ledger, screen
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import fill_all, run, screened_and_drawn
from survey_builders import write_workbook
from test_register import FOLDERS, Walk

NOT_OURS = "这个文件夹不是 edgescreen 写出的输出文件夹"


@pytest.fixture
def survey(tmp_path):
    (tmp_path / "调查表").mkdir()
    return write_workbook(tmp_path / "调查表" / "合隆镇.xlsx", households(3))


def refused_and_kept(result, folder: Path, before: dict[str, bytes]) -> str:
    """Exit 2, the folder said to be none of edgescreen's, each of its files named (as many as shown),
    and every file there byte for byte as it was."""
    assert result.exit_code == 2, result.output
    said = assert_clear_message(result.output, names=list(before)[:5])
    assert folded(NOT_OURS) in said and f"里面的 {len(before)} 个文件" in said, said
    assert "--force 只替换 edgescreen 写出的文件夹" in said and "-o 另选" in said, said
    assert {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    return said


def test_force_over_a_folder_of_the_clerks_own_tables_is_refused_and_deletes_nothing(tmp_path, survey):
    others = tmp_path / "其他2"
    others.mkdir()
    shutil.copy(survey, others / "去年的合隆镇调查表.xlsx")
    (others / "我的统计.csv").write_text("村,户数\n前岗村,12\n", encoding="utf-8-sig")
    before = {p.name: p.read_bytes() for p in others.iterdir()}
    said = refused_and_kept(screen(survey.parent, "-o", others, "--force"), others, before)
    assert "写出后改过" not in said and "登记" not in said, said  # never edgescreen's: nothing was changed


def test_force_over_a_copy_of_a_registers_filled_documents_is_refused_and_deletes_nothing(tmp_path):
    walk = Walk(tmp_path)
    filled = walk.review(record=False)  # the 民主评议 forms filled in where they were printed
    copy = tmp_path / "文书copy"
    shutil.copytree(tmp_path / "docs-review", copy)
    before = {f"{FOLDERS['review']}/{p.name}": p.read_bytes() for p in filled}
    assert len(before) >= 2
    refused_and_kept(screen(walk.survey, "-o", copy, "--force"), copy, before)


def test_an_earlier_output_an_empty_folder_and_an_empty_subfolder_are_still_replaced(tmp_path, survey):
    out = tmp_path / "筛查结果"
    assert screen(survey, "-o", out).exit_code == 0
    again = screen(survey, "-o", out, "--force")  # its own outputs: replaced
    assert again.exit_code == 0, again.output
    assert len(ledger(out)) == 3
    empty = tmp_path / "新建文件夹"
    (empty / "新建文件夹").mkdir(parents=True)  # only an empty subfolder
    done = screen(survey, "-o", empty, "--force")
    assert done.exit_code == 0, done.output
    assert len(ledger(empty)) == 3 and not (empty / "新建文件夹").exists()


def test_a_run_json_another_program_wrote_makes_no_folder_edgescreens(tmp_path, survey):
    """A record of the same name (run.json is a common one) that edgescreen did not write lists nothing."""
    folder = tmp_path / "导出"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps({"job": "导出", "outputs": []}), encoding="utf-8")
    (folder / "导出数据.xlsx").write_bytes(survey.read_bytes())
    before = {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
    refused_and_kept(screen(survey, "-o", folder, "--force"), folder, before)


def test_an_earlier_versions_check_report_and_a_backcheck_folder_are_still_replaced(tmp_path, survey):
    """check.json listed no files before 2026-12-03: such a report is still replaced, by check, without
    --force; backcheck's folder, recorded in backcheck.json, is replaced with --force."""
    report = tmp_path / "质量报告"
    assert invoke("check", survey, "-o", report).exit_code == 0
    record = json.loads((report / "check.json").read_text(encoding="utf-8"))
    record.pop("outputs")
    (report / "check.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    again = invoke("check", survey, "-o", report)
    assert again.exit_code == 0, again.output
    assert "outputs" in json.loads((report / "check.json").read_text(encoding="utf-8"))

    screened_and_drawn(tmp_path)
    fill_all(tmp_path / "抽查", tmp_path / "交回")
    out = tmp_path / "核查结果"
    run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out)
    run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out, "--force")
    assert sorted(p.name for p in out.iterdir()) == ["backcheck.json", "backcheck.xlsx", "report.html"]
