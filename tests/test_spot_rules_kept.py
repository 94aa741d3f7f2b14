"""A screen keeps its rule set's text (run.json, the register's round: rounds.rules_text), so that a
spot check months later finds the rule set by its SHA-256 though the file changed since: an upgrade of
edgescreen changes the shipped changchun-2019.toml, a county edits its own copy."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_workbook
from edgescreen.cli import app
from edgescreen.errors import EdgescreenError
from edgescreen.rules import load_rules
from edgescreen.spotcheck.source import load_source, resolve_rules


def test_a_spot_check_finds_the_screens_rule_set_after_its_file_changed(tmp_path):
    rules = tmp_path / "农安县.toml"
    assert CliRunner().invoke(app, ["rules", "new", str(rules)]).exit_code == 0
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# 农安县用\n", encoding="utf-8")  # not the shipped file
    screened = load_rules(rules).sha256
    survey = write_workbook(tmp_path / "合隆镇.xlsx", households(4))
    out, register = tmp_path / "out", tmp_path / "农安县.db"
    for extra in (["-o", str(out)], ["-o", str(tmp_path / "out2"), "--register", str(register)]):
        done = CliRunner().invoke(app, ["screen", str(survey), "--rules", str(rules), *extra])
        assert done.exit_code == 0, done.output

    # Months later the file is not what it was (an upgrade replaced it, the county edited it).
    rules.write_text(rules.read_text(encoding="utf-8").replace("# 农安县用", "# 农安县用(改过)"), encoding="utf-8")
    assert load_rules(rules).sha256 != screened
    for source in (out, register):
        used = resolve_rules(load_source(source))
        assert used.agreement == "same" and used.loaded.sha256 == screened

    # A screen's record without the text (an earlier version's run.json): refused as before, saying --rules.
    manifest = out / "run.json"
    record = json.loads(manifest.read_text(encoding="utf-8"))
    del record["rules"]["text"]
    manifest.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(EdgescreenError, match="--rules"):
        resolve_rules(load_source(out))
