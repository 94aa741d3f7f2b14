"""A spot check of a round an older version recorded, after an in-place upgrade (outside tester): the
round was screened with the shipped changchun-2019, and registers before schema 4 and run.json files
before the rule set's text was kept hold only its path and SHA-256. The upgrade replaced the shipped
file, so neither finds it. Where the shipped rule set of that id has, for the round's year, the bounds
the round recorded, it stands in and backcheck says so; where they differ, or nothing of that id is
shipped, it refuses, saying to give --rules with the id or the county's file.

Each test screens small_county (spotcheck_builders) with the shipped set, draws and fills the forms,
then makes the record look like an older version's."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from spotcheck_builders import fill_all, run, small_county
from edgescreen.rules import load_rules

OLD_DIGEST = "94349e1529a64adb5ea3a2b52e209bf3c7c0d617f053e90db5be51074424a594"  # the file as shipped then
OLD_PATH = "/opt/edgescreen-old/rules/changchun-2019.toml"                      # gone with the upgrade
BUNDLED_NOTE = "核实数据按本版自带的changchun-2019认定"


def _drawn(tmp: Path, *register: str | Path) -> None:
    """small_county screened into tmp/筛查 (and the register given), drawn into tmp/抽查, filled into tmp/回收."""
    run("screen", small_county(tmp / "农安县.xlsx"), "-o", tmp / "筛查", *register)
    run("sample", register[-1] if register else tmp / "筛查", "-o", tmp / "抽查", "--seed", "11",
        "--listed-rate", "1", "--unlisted-rate", "0.25")
    fill_all(tmp / "抽查", tmp / "回收")


def _old_run_json(folder: Path, **rules) -> None:
    """run.json as an older version wrote it: no text of the rule set, the path and SHA-256 of the
    file shipped then; `rules` changes more of what it recorded."""
    manifest = folder / "run.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    record["rules"].pop("text", None)
    record["rules"].update({"path": OLD_PATH, "sha256": OLD_DIGEST, **rules})
    manifest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_registers_old_round_is_checked_with_the_shipped_rule_set_whose_bounds_it_recorded(tmp_path):
    db = tmp_path / "农安县.db"
    _drawn(tmp_path, "--register", db)
    with sqlite3.connect(db) as conn:  # a round recorded before schema 4: no text, the file shipped then
        conn.execute("DROP TRIGGER rounds_no_update")
        conn.execute("UPDATE rounds SET rules_text = NULL, rules_file = ?, rules_sha256 = ?", (OLD_PATH, OLD_DIGEST))
        lower, upper = conn.execute("SELECT lower_fen, upper_fen FROM rounds").fetchone()
    bounds = load_rules("changchun-2019").bounds(2019)
    assert (lower, upper) == (bounds.lower_fen, bounds.upper_fen)

    said = _flat(run("backcheck", db, tmp_path / "回收", "-o", tmp_path / "核查结果").output)
    assert "筛查时用的规则集changchun-2019的文件已随升级改动" in said and BUNDLED_NOTE in said
    assert "下限3218.00元、上限4000.00元" in said
    assert BUNDLED_NOTE in _flat((tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8"))


def test_a_screen_folders_old_run_json_is_checked_with_the_shipped_rule_set(tmp_path):
    _drawn(tmp_path)
    _old_run_json(tmp_path / "筛查")

    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "回收", "-o", tmp_path / "核查结果").output)
    assert BUNDLED_NOTE in said and "2019年的标准与筛查时记下的相同" in said


def test_other_recorded_bounds_are_refused_naming_the_id_to_give(tmp_path):
    """The shipped set of that id no longer has the bounds the screen used (4100 then): not used in
    silence; the clerk is told to give the county's file, or --rules changchun-2019 to use it anyway."""
    _drawn(tmp_path)
    _old_run_json(tmp_path / "筛查", upper_bound={"value": "4100", "effective": "2019-01-01", "source": "旧"})

    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "回收", "-o", tmp_path / "核查结果", code=2).output)
    assert "上限4100.00元" in said and "上限4000.00元" in said
    assert "--ruleschangchun-2019" in said and "县里筛查时用的那份规则文件" in said
    assert not (tmp_path / "核查结果").exists()

    # As the message says: the shipped set given by its id is used, said as another rule set.
    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "回收", "-o", tmp_path / "核查结果",
                     "--rules", "changchun-2019").output)
    assert "它不是筛查时用的那一份" in said


def test_an_id_nothing_shipped_has_is_refused_asking_for_the_countys_file(tmp_path):
    _drawn(tmp_path)
    _old_run_json(tmp_path / "筛查", id="农安县-2019")

    said = _flat(run("backcheck", tmp_path / "筛查", tmp_path / "回收", "-o", tmp_path / "核查结果", code=2).output)
    assert "找不到筛查时用的规则集农安县-2019" in said and "本版也没有自带可代替它的同名规则集" in said
    assert "请用--rules给出县里筛查时用的那份规则文件" in said
