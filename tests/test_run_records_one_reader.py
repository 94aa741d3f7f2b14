"""edgescreen's run records read one way (inputs.own_record), and backcheck keeps one too.

Found by a review: backcheck wrote no record, so --force let any command delete a folder holding only a
report.html (the clerk's own, any program's), taken for backcheck's; and four readers of run.json and
check.json disagreed about one another program wrote (no "tool": "edgescreen"), or one cut short. Now:
- backcheck writes backcheck.json, last, listing its two files with SHA-256, and is replaced by it;
  an earlier backcheck's folder (its two files, no record) is replaced by backcheck --force alone;
- another program's run.json makes no folder edgescreen's: never deleted by --force, its surveys read;
- edgescreen's run.json cut short: the folder is still its output (its files are no survey), but it
  no longer says what the run wrote, so --force deletes nothing, and says why;
- an earlier version's record (listing no files) is replaced as before, a file of another kind kept."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from field_builders import households
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import fill_all, run, screened_and_drawn
from survey_builders import household, write_workbook

NOT_OURS = "这个文件夹不是edgescreen写出的"
DAMAGED = "里的运行记录run.json已损坏"
OUTPUT_GIVEN = "这是edgescreen写的输出文件"
FOREIGN = {"job": "导出", "tool": "某统计软件", "outputs": []}


def words(result) -> str:
    """What a command said, white space taken out (the terminal wraps at any width)."""
    return "".join(result.output.split())


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def survey(tmp_path):
    (tmp_path / "调查表").mkdir()
    return write_workbook(tmp_path / "调查表" / "合隆镇.xlsx", households(3))


@pytest.fixture
def backchecked(tmp_path) -> Path:
    """A screen, a sample, the forms filled as recorded (tmp/交回), and backcheck's folder tmp/核查结果."""
    screened_and_drawn(tmp_path)
    fill_all(tmp_path / "抽查", tmp_path / "交回")
    out = tmp_path / "核查结果"
    run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out)
    return out


def test_backcheck_records_its_files_and_replaces_its_own_folder_by_that_record(tmp_path, backchecked):
    out = backchecked
    assert sorted(p.name for p in out.iterdir()) == ["backcheck.json", "backcheck.xlsx", "report.html"]
    record = json.loads((out / "backcheck.json").read_text(encoding="utf-8"))
    assert record["tool"] == "edgescreen" and record["kind"] == "backcheck"
    assert record["outputs"] == [{"file": name, "sha256": sha256(out / name)}
                                 for name in ("backcheck.xlsx", "report.html")]
    ledger = tmp_path / "筛查" / "decisions.csv"
    assert record["source"]["sha256"] == sha256(ledger) and record["source"]["kind"] == "ledger"
    forms = sorted((tmp_path / "交回").glob("*.xlsx"))
    assert sorted((f["file"], f["sha256"]) for f in record["forms"]) == [(p.name, sha256(p)) for p in forms]
    assert record["options"]["threshold"] == 0.02 and record["options"]["lang"] == "zh"
    assert record["sample_id"] and record["rules"]["sha256"]

    # Run again into it: replaced by its record.
    run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out, "--force")
    assert (out / "backcheck.json").is_file()
    # A file the clerk put there is not in the record: kept, and the folder refused.
    (out / "笔记.docx").write_bytes(b"notes")
    refused = run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out, "--force", code=2)
    assert "笔记.docx" in words(refused), refused.output
    assert (out / "笔记.docx").read_bytes() == b"notes"


def test_an_earlier_backchecks_folder_with_no_record_is_replaced_by_backcheck_alone(tmp_path, backchecked):
    """backcheck wrote no record before: its two files alone are still its own, to backcheck only."""
    out = backchecked
    (out / "backcheck.json").unlink()
    before = files(out)
    refused = run("screen", tmp_path / "农安县.xlsx", "-o", out, "--force", code=2)
    assert NOT_OURS in words(refused), refused.output
    assert files(out) == before
    run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", out, "--force")
    assert sorted(p.name for p in out.iterdir()) == ["backcheck.json", "backcheck.xlsx", "report.html"]


def test_a_folder_holding_only_a_report_html_is_never_replaced(tmp_path, survey):
    """The clerk's own report.html (or any program's): no command's --force deletes it."""
    folder = tmp_path / "我的报告"
    folder.mkdir()
    (folder / "report.html").write_text("<html><body>合隆镇情况汇报</body></html>", encoding="utf-8")
    before = files(folder)
    refused = run("screen", survey, "-o", folder, "--force", code=2)
    assert NOT_OURS in words(refused) and "report.html" in words(refused), refused.output
    assert files(folder) == before
    # Nor backcheck's: half of an earlier backcheck's folder is no backcheck's folder.
    screened_and_drawn(tmp_path)
    fill_all(tmp_path / "抽查", tmp_path / "交回")
    refused = run("backcheck", tmp_path / "筛查", tmp_path / "交回", "-o", folder, "--force", code=2)
    assert NOT_OURS in words(refused), refused.output
    assert files(folder) == before


def test_a_folder_of_surveys_holding_another_programs_run_json_is_read_as_surveys(tmp_path, survey):
    """A run.json with no edgescreen mark makes no output folder: given, or inside the folder given,
    or a survey in it given, its surveys are read."""
    folder = survey.parent
    (folder / "run.json").write_text(json.dumps(FOREIGN, ensure_ascii=False), encoding="utf-8")
    for given in (folder, survey):
        for command in ("screen", "check"):
            out = tmp_path / f"{command}-{given.name}"
            done = run(command, given, "-o", out)
            assert OUTPUT_GIVEN not in words(done), done.output
    assert (tmp_path / "screen-调查表" / "decisions.csv").is_file()
    # A township's folder of village folders, one of them holding such a run.json: read with the others.
    county = tmp_path / "全县"
    (county / "合隆镇").mkdir(parents=True)
    shutil.copy(survey, county / "合隆镇" / "合隆镇.xlsx")
    (county / "合隆镇" / "run.json").write_text(json.dumps(FOREIGN), encoding="utf-8")
    write_workbook(county / "华家镇.xlsx", [household(户主姓名="王五")])
    out = tmp_path / "全县结果"
    run("screen", county, "-o", out)
    decided = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert decided["households"] == 4, decided["inputs"]


def test_a_folder_holding_another_programs_run_json_is_never_replaced(tmp_path, survey):
    """Neither by screen nor by check (another program's check.json is no check report either)."""
    folder = tmp_path / "导出"
    folder.mkdir()
    (folder / "run.json").write_text(json.dumps(FOREIGN, ensure_ascii=False), encoding="utf-8")
    (folder / "check.json").write_text(json.dumps({"report": "某软件", "outputs": []}), encoding="utf-8")
    (folder / "导出数据.xlsx").write_bytes(survey.read_bytes())
    before = files(folder)
    refused = run("screen", survey, "-o", folder, "--force", code=2)
    assert NOT_OURS in words(refused), refused.output
    assert "已经存在" in words(run("check", survey, "-o", folder, code=2))  # no check report: needs --force
    assert NOT_OURS in words(run("check", survey, "-o", folder, "--force", code=2))
    assert files(folder) == before


def test_a_screens_folder_whose_run_json_was_cut_short_is_its_output_but_never_replaced(tmp_path, survey):
    out = tmp_path / "筛查结果"
    run("screen", survey, "-o", out)
    text = (out / "run.json").read_bytes()
    (out / "run.json").write_bytes(text[:len(text) // 3])  # a copy cut short
    before = files(out)
    refused = run("screen", survey, "-o", out, "--force", code=2)
    assert DAMAGED in words(refused) and "--force不替换它" in words(refused), refused.output
    assert files(out) == before
    # Still edgescreen's output: the folder, or its ledger, given as the survey is refused as such.
    for given in (out, out / "decisions.csv"):
        refused = run("screen", given, "-o", tmp_path / "again", code=2)
        assert OUTPUT_GIVEN in words(refused), refused.output
    # Another program's run.json cut short is no record of edgescreen's: the folder is the clerk's.
    (out / "run.json").write_bytes(json.dumps(FOREIGN).encode()[:20])
    refused = run("screen", survey, "-o", out, "--force", code=2)
    assert NOT_OURS in words(refused), refused.output


def test_an_earlier_versions_run_json_listing_no_files_is_replaced_but_a_file_of_another_kind_kept(
        tmp_path, survey):
    out = tmp_path / "筛查结果"
    run("screen", survey, "-o", out)
    record = json.loads((out / "run.json").read_text(encoding="utf-8"))
    del record["outputs"]
    (out / "run.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    (out / "笔记.docx").write_bytes(b"notes")
    refused = run("screen", survey, "-o", out, "--force", code=2)
    assert "笔记.docx" in words(refused) and NOT_OURS not in words(refused), refused.output
    assert (out / "笔记.docx").read_bytes() == b"notes"
    # Its ledger given as the survey: still its output.
    assert OUTPUT_GIVEN in words(run("screen", out / "decisions.csv", "-o", tmp_path / "again", code=2))
    (out / "笔记.docx").unlink()
    run("screen", survey, "-o", out, "--force")
    assert "outputs" in json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_a_ledger_beside_another_programs_run_json_is_sampled_as_one_with_no_record(tmp_path, survey):
    """sample and backcheck read the screen's rule set and year from the run.json beside the ledger:
    another program's records none, as if there were none."""
    out = tmp_path / "筛查"
    run("screen", survey, "-o", out)
    (out / "run.json").write_text(json.dumps({**FOREIGN, "rules": {"id": "别的", "year": 1999}}), encoding="utf-8")
    run("sample", out, "-o", tmp_path / "抽查", "--seed", "11")
    drawn = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    # Not the foreign file's year: nothing recorded (an edgescreen run.json gives 2019 here).
    assert drawn["tool"] == "edgescreen" and drawn["income_year"] is None, drawn["income_year"]
