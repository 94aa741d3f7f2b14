"""A county's rules file copied from an earlier version's rules/ (before issue 11 its [checks] had
unit_suspect_below, a per-cell threshold for amounts in 万元, since replaced by unit_household_below,
unit_component_below …): an outside try upgraded mid-year and every command refused the file with
"不认识的项(是不是 'unit_household_below'?)", a key that means something else. The retired key is
left out and said by rules check on its line; screen, the register and backcheck take the file."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from field_builders import default_rules_text
from spotcheck_builders import above, candidate, fill_all, run, write_survey

# [checks] as the shipped changchun-2019.toml of 8a35eeb wrote the unit check.
OLD_UNIT_CHECK = ("# A non-zero income component under this many yuan was probably typed in units of 10,000 yuan.\n"
                  "unit_suspect_below = 100\n")


@pytest.fixture(autouse=True)
def chinese_words(monkeypatch):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)


def old_county_file(path: Path) -> tuple[Path, int]:
    """农安县's file as copied from an earlier version: its own id and upper bound 4200, and [checks]'s
    unit check as that version wrote it. The file and the 1-based line of unit_suspect_below."""
    text = default_rules_text().replace('id = "changchun-2019"', 'id = "nongan-2019"')
    text, n = re.subn(r"(\[upper_bound\][\s\S]*?value = )4000", r"\g<1>4200", text, count=1)
    assert n == 1
    text, n = re.subn(r"# 金额误按万元填写[\s\S]*?unit_farm_below = 100\n", lambda m: OLD_UNIT_CHECK, text, count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return path, text[:text.index("unit_suspect_below")].count("\n") + 1


def flat(result) -> str:
    return "".join(result.output.split())


def test_rules_check_passes_an_earlier_versions_file_and_says_its_retired_key_on_its_line(tmp_path):
    path, line = old_county_file(tmp_path / "农安县规则.toml")
    said = flat(run("rules", "check", path))
    assert "2019收入年度:3218<人均<4200" in said
    assert f"第{line}行checks.unit_suspect_below:这是旧版本规则文件的项" in said
    assert "请删除这一行" in said and "checks.unit_household_below" in said
    assert "是不是" not in said and "不认识" not in said
    assert said.count("unit_suspect_below") == 1  # said once
    english = flat(run("rules", "check", path, "--lang", "en"))
    assert f"line{line},checks.unit_suspect_below:akeyofanearlierversion'srulesfile" in english


def test_screen_register_and_backcheck_take_an_earlier_versions_file(tmp_path):
    path, _ = old_county_file(tmp_path / "农安县规则.toml")
    # 4100 per person: a candidate under the county's 4200, above changchun-2019's 4000.
    rows = ([candidate("前岗村", "甲") for _ in range(3)] + [candidate("前岗村", "甲", 工资性收入=12300)]
            + [above("前岗村", "乙") for _ in range(4)])
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows})
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "筛查", "--rules", path, "--register", db, "--date", "2019-11-20")
    record = json.loads((tmp_path / "筛查" / "run.json").read_text(encoding="utf-8"))
    assert record["rules"]["id"] == "nongan-2019"
    assert record["rules"]["upper_bound"]["value"] == "4200"
    assert record["counts"]["candidate"] == 4  # 4100 per person under the county's own bound

    run("sample", db, "-o", tmp_path / "抽查", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收")
    for extra in ([], ["--rules", str(path)]):
        out = tmp_path / f"核查结果{len(extra)}"
        done = run("backcheck", db, *forms, "-o", out, *extra)
        assert (out / "backcheck.xlsx").exists(), done.output
