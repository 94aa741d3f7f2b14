"""The city's spot check is recorded in the register it was drawn from (an outside try, BW: `backcheck
农安县.db 核查表/` compared the forms and wrote nothing there, its SHA-256 unchanged; `register history` of a
household found 错评 ended at its screening, status said nothing of a check).

Each test screens small_county (spotcheck_builders) into a register, draws every candidate and a quarter of
the others from it (seed 11: 前岗村 pages 1–4 candidates, 5–7 others; 东兴村 1–2 and 3), fills the forms
as recorded but 前岗村's page 1 (a candidate: a wage of 30,000 found, 错评) and 东兴村's page 3 (nobody home)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from field_checks import without_file_permission_override
from spotcheck_builders import fill, fill_all, run, same_as_recorded, sample_rows, small_county
from edgescreen.inputs import file_sha256
from edgescreen.register import db as register_db

FOUND = {("前岗村", "候选户", 1): {"wage_income": 30000},
         ("东兴村", "非候选户", 1): {**{name: None for name in same_as_recorded()}, "verify_notes": "家中无人"}}
QIANGANG = "合隆镇-前岗村-入户核查表.xlsx"


def _drawn(tmp: Path) -> Path:
    """The register tmp/农安县.db, its sample in tmp/抽查 and the forms filled in tmp/回收."""
    db = tmp / "农安县.db"
    run("screen", small_county(tmp / "农安县.xlsx"), "-o", tmp / "筛查", "--register", db)
    run("sample", db, "-o", tmp / "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    fill_all(tmp / "抽查", tmp / "回收", FOUND)
    return db


def _flat(text: str) -> str:
    return "".join(text.split())


def _rows(db: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def _head(tmp: Path, village: str, seq: int) -> str:
    """The head's name on a page of the sample (the builders number every head made: 候100 in one test)."""
    return next(r["户主姓名"] for r in sample_rows(tmp / "抽查") if r["行政村"] == village and r["核查序号"] == str(seq))


def _head_id(db: Path, name: str) -> str:
    return _rows(db, "SELECT head_id FROM screened WHERE head_name = ?", name)[0][0]


def _spot_lines(history: str) -> list[str]:
    return [line for line in history.splitlines() if "抽查核实" in line]


def test_the_check_and_each_households_finding_are_recorded_with_who_when_and_which_files(tmp_path):
    db = _drawn(tmp_path)
    said = _flat(run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果").output)
    assert "已记入登记簿" in said and "10户的核查结果" in said, said

    (check,) = _rows(db, "SELECT s.id, s.sample_id, s.seed, s.tolerance_share, s.tolerance_fen, s.households, "
                         "s.verified, s.wrongly_listed, s.wrongly_unlisted, s.supersedes, c.command, c.os_user, c.at "
                         "FROM spot_checks s JOIN changesets c ON c.id = s.changeset")
    assert check[2] == "11" and check[3] == 0.1 and check[4] is None, check  # the seed, the 10 % tolerance
    assert check[5:10] == (10, 9, 1, 0, None), check
    assert check[10] == "backcheck" and check[11] and check[12].startswith("20"), check
    assert check[1] in said
    forms = {f: s for f, s in _rows(db, "SELECT file, sha256 FROM spot_check_forms")}
    assert forms == {p.name: file_sha256(p) for p in (tmp_path / "回收").glob("*.xlsx")}, forms

    found = {r[0]: r[1:] for r in _rows(db, "SELECT s.head_name, f.seq, f.finding, f.fields, f.note, f.verifier, "
                                            "f.form FROM spot_findings f JOIN screened s ON s.household = f.household")}
    assert len(found) == 10
    wrong, other = _head(tmp_path, "前岗村", 1), _head(tmp_path, "前岗村", 2)
    assert found[wrong][:3] == (1, "wrongly_listed", "wage_income") and found[wrong][4:] == ("王核查", QIANGANG)
    assert found[other][1:3] == ("agrees", "")
    absent = next(v for v in found.values() if v[1] == "not_verified")
    assert absent[3] == "家中无人" and absent[4] == "", absent

    # history: the household's finding among its events, with who recorded it and from which form
    history = run("register", "history", db, "--id", _head_id(db, wrong)).output
    (line,) = _spot_lines(history)
    assert "核查序号 1" in line and "错评" in line and "工资性收入" in line and "核查人 王核查" in line, history
    assert QIANGANG in _flat(history) and "backcheck" in history, history
    # status: the latest check
    status = _flat(run("register", "status", db).output)
    assert "最近一次抽查核实" in status and f"样本{check[1]}" in status, status
    assert "抽10户、已核查9户,错评1户、漏评0户" in status, status


def test_the_same_forms_again_record_nothing_new_and_say_so(tmp_path):
    db = _drawn(tmp_path)
    run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果")
    before = file_sha256(db)
    said = _flat(run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果2").output)
    assert "已记有这次抽查核实" in said and "这次没有新的记录" in said, said
    assert file_sha256(db) == before
    assert _rows(db, "SELECT count(*) FROM spot_checks") == [(1,)]


def test_a_corrected_form_is_a_new_record_that_supersedes_the_old_which_stays(tmp_path):
    db = _drawn(tmp_path)
    run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果")
    wrong = _head(tmp_path, "前岗村", 1)
    # The verifier put page 1's wage right (10,000, as recorded): 前岗村's form handed back again.
    fill(tmp_path / "回收" / QIANGANG, {1: {"wage_income": 10000, "verify_date": same_as_recorded()["verify_date"]}})
    said = _flat(run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果2").output)
    assert "代替上次的" in said and "1户的结果有变" in said and "上次的记录保留" in said, said

    checks = _rows(db, "SELECT id, supersedes, wrongly_listed FROM spot_checks ORDER BY id")
    assert checks == [(1, None, 1), (2, 1, 0)], checks
    assert _rows(db, "SELECT spot_check, finding FROM spot_findings f JOIN screened s ON s.household = f.household "
                     "WHERE s.head_name = ? ORDER BY spot_check", wrong) == [(1, "wrongly_listed"), (2, "agrees")]
    assert _rows(db, "SELECT count(*) FROM spot_findings WHERE spot_check = 2") == [(1,)]
    sha = dict(_rows(db, "SELECT spot_check, sha256 FROM spot_check_forms WHERE file = ?", QIANGANG))
    assert sha[1] != sha[2] == file_sha256(tmp_path / "回收" / QIANGANG)

    lines = _spot_lines(run("register", "history", db, "--id", _head_id(db, wrong)).output)
    assert len(lines) == 2 and "错评" in lines[0], lines
    assert "→" in lines[1] and lines[1].index("错评") < lines[1].index("→") < lines[1].index("认定一致"), lines
    status = _flat(run("register", "status", db).output)
    assert "错评0户" in status, status


def test_a_register_of_the_format_before_is_upgraded_by_the_record(tmp_path):
    db = _drawn(tmp_path)
    con = sqlite3.connect(db, isolation_level=None)  # as edgescreen kept it before the spot checks (format 8)
    for table in ("spot_findings", "spot_check_forms", "spot_checks"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DELETE FROM meta WHERE key = 'schema_9'")
    con.execute("PRAGMA user_version = 8")
    con.close()
    # A look reads it as it is: no check, no upgrade.
    assert "抽查核实" not in run("register", "status", db).output
    assert _rows(db, "PRAGMA user_version") == [(8,)]

    said = _flat(run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果").output)
    assert "已记入登记簿" in said and "格式第8版" in said, said
    assert _rows(db, "PRAGMA user_version") == [(register_db.SCHEMA_VERSION,)]
    assert _rows(db, "SELECT count(*) FROM spot_findings") == [(10,)]
    assert db.with_name("农安县.升级前第8版.db").exists()
    history = run("register", "history", db, "--id", _head_id(db, _head(tmp_path, "前岗村", 1))).output
    assert "错评" in "".join(_spot_lines(history)), history


def test_a_read_only_register_still_gets_its_report_and_the_words_that_nothing_was_recorded(tmp_path):
    """Run as its own process; as root (who may write anything) without the capability to override
    file permissions (field_checks.without_file_permission_override)."""
    db = _drawn(tmp_path)
    prefix = without_file_permission_override()
    env = {**{k: v for k, v in os.environ.items() if k != "EDGESCREEN_LANG"}, "COLUMNS": "200"}
    before = file_sha256(db)
    db.chmod(0o444)
    try:
        done = subprocess.run([*prefix, sys.executable, "-m", "edgescreen", "backcheck", str(db),
                               str(tmp_path / "回收"), "-o", str(tmp_path / "核查结果")],
                              capture_output=True, text=True, timeout=300, env=env)
    finally:
        db.chmod(0o644)
    said = _flat(done.stdout + done.stderr)
    assert done.returncode == 0, said
    assert "错评率" in said and (tmp_path / "核查结果" / "backcheck.xlsx").exists(), said
    assert "是只读的" in said and "没有记入登记簿" in said and "去掉「只读」" in said, said
    assert "readonly" not in said and "Traceback" not in said, said
    assert file_sha256(db) == before
