"""The register's status and the spot check's design say which rules decided the round. An outside
try screened under a county's own file (农安县.toml, lower bound 3750): `register status` on the
terminal and in 进度.xlsx, and `sample`'s sample.json and 抽样设计.xlsx, named neither the rule set nor
its bounds, while screen's own outputs all did. Now each heads with the round and screen's own line
(认定标准:title(file),year 年度收入:bounds); a shipped rule set is named as edgescreen's own."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import openpyxl

from field_builders import default_rules_text
from spotcheck_builders import above, candidate, chinese_words, run, write_survey  # noqa: F401

COUNTY_LINE = "认定标准:农安县贫困边缘户识别标准(2019)(农安县.toml),2019年度收入:人均纯收入高于3,750元、低于4,000元"
SHIPPED_LINE = ("认定标准:长春市贫困边缘户识别标准(2019)(edgescreen自带规则文件changchun-2019),2019年度收入:"
                "人均纯收入高于3,218元、低于4,000元")
ROUND = "第1轮(筛查日期2019-11-20)的"


def flat(text: str) -> str:
    return "".join(str(text).split())


def county_rules(path: Path) -> Path:
    """The shipped rule set copied by the county, its own id and title, its 2019 lower bound 3750."""
    text = default_rules_text().replace('id = "changchun-2019"', 'id = "nongan-2019"')
    text = text.replace('title = "长春市贫困边缘户识别标准(2019)"', 'title = "农安县贫困边缘户识别标准(2019)"')
    text, n = re.subn(r"value = 3218,", "value = 3750,", text, count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    return path


def screened(tmp: Path, *rules: str | Path) -> tuple[Path, str]:
    """A village screened into a new register (under `rules`, given as --rules): 3,833.33 a head is a
    candidate under either rule set, 3,333.33 only under the shipped one. The register, screen's output."""
    rows = ([candidate("前岗村", "甲", 工资性收入=11500) for _ in range(3)]
            + [candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(4)])
    survey = write_survey(tmp / "调查.xlsx", {"合隆镇": rows})
    db = tmp / "农安县.db"
    said = run("screen", survey, "-o", tmp / "筛查", *rules, "--register", db, "--date", "2019-11-20").output
    return db, flat(said)


def progress_head(path: Path) -> str:
    """进度.xlsx's first sheet, above its table (the header row starts with 乡(镇))."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "乡(镇)")
    return flat(" ".join(str(ws.cell(r, 1).value or "") for r in range(1, header)))


def design_head(path: Path) -> str:
    """抽样设计.xlsx's 说明, its title and the line under it (before the lines of how it was drawn)."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    return flat(" ".join(str(ws.cell(r, 1).value or "") for r in (1, 2)))


def test_status_names_the_countys_rules_file_and_bounds(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    db, said = screened(tmp_path, "--rules", rules)
    assert COUNTY_LINE in said, said  # screen's own line: the one wording the status reuses
    out = flat(run("register", "status", db, "-o", tmp_path / "进度.xlsx").output)
    assert ROUND + COUNTY_LINE in out, out
    # The 3 households at 3,833.33 a head are the list, not the 2 at 3,333.33 (at or below 3,750).
    assert "初选3户" in out, out
    assert ROUND + COUNTY_LINE in progress_head(tmp_path / "进度.xlsx"), progress_head(tmp_path / "进度.xlsx")
    english = " ".join(run("register", "status", db, "--lang", "en").output.split())
    assert "Round 1 (screened on 2019-11-20). Rule: 农安县贫困边缘户识别标准(2019) (农安县.toml), income year 2019: " \
           "per-capita net income above 3,750 and below 4,000 yuan" in english, english


def test_sample_names_the_rules_in_its_record_and_its_design(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    db, _ = screened(tmp_path, "--rules", rules)
    status = flat(run("register", "status", db).output)
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "123456789012345")
    record = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["rules"]
    assert record == {"id": "nongan-2019", "file": "农安县.toml", "path": str(rules.resolve()),
                      "sha256": hashlib.sha256(rules.read_bytes()).hexdigest(), "year": 2019,
                      "lower": "3750.00", "upper": "4000.00"}, record
    head = design_head(tmp_path / "抽查" / "抽样设计.xlsx")
    assert ROUND + COUNTY_LINE in head and ROUND + COUNTY_LINE in status, (head, status)  # the same line


def test_a_shipped_rule_set_is_named_as_shipped(tmp_path):
    db, said = screened(tmp_path)
    assert SHIPPED_LINE in said, said
    run("register", "status", db, "-o", tmp_path / "进度.xlsx")
    assert ROUND + SHIPPED_LINE in flat(run("register", "status", db).output)
    assert ROUND + SHIPPED_LINE in progress_head(tmp_path / "进度.xlsx")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "123456789012345")
    record = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["rules"]
    assert (record["id"], record["file"], record["year"], record["lower"], record["upper"]) == \
        ("changchun-2019", "changchun-2019.toml", 2019, "3218.00", "4000.00"), record
    assert ROUND + SHIPPED_LINE in design_head(tmp_path / "抽查" / "抽样设计.xlsx")


def test_a_sample_of_a_screens_folder_heads_its_design_with_screens_line(tmp_path):
    rules = county_rules(tmp_path / "农安县.toml")
    _, said = screened(tmp_path, "--rules", rules)
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "123456789012345")
    head = design_head(tmp_path / "抽查" / "抽样设计.xlsx")
    assert COUNTY_LINE in head and COUNTY_LINE in said, head
    record = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["rules"]
    assert (record["id"], record["file"], record["lower"], record["upper"]) == \
        ("nongan-2019", "农安县.toml", "3750.00", "4000.00"), record
