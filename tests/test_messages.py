"""Every word a person reads comes from the message catalogue, in both languages: each error the code
raises and each phrase it builds names a key the catalogue has, with the placeholders its words use;
and a refusal reads in Chinese unless English is asked for."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from typer.testing import CliRunner

import edgescreen
from edgescreen.catalogue import messages
from edgescreen.cli import app

PACKAGE = Path(edgescreen.__file__).parent
ERROR_CLASSES = {"EdgescreenError", "InputError", "RulesError", "OutputError", "UsageError", "ExplainError",
                 "TemplateError", "CaseError", "SpotCheckError"}


def _placeholders(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def _calls():
    """(file:line, table, key, keyword names, has **kwargs) of every call with a literal catalogue key."""
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            table = "errors" if name in ERROR_CLASSES else "labels" if name in ("Phrase", "label") else None
            if table is None:
                continue
            names = {k.arg for k in node.keywords if k.arg}
            spread = any(k.arg is None for k in node.keywords)
            yield f"{path.relative_to(PACKAGE)}:{node.lineno}", table, first.value, names, spread


def test_every_error_and_phrase_names_a_key_of_the_catalogue_with_its_placeholders():
    catalogue = messages()
    problems = []
    for where, table, key, names, spread in _calls():
        entries = getattr(catalogue, table)
        if key not in entries:
            problems.append(f"{where}: [{table}] has no {key!r}")
            continue
        for lang in ("zh", "en"):
            wanted = _placeholders(entries[key](lang))
            if not spread and wanted - names:
                problems.append(f"{where}: {key!r} ({lang}) needs {sorted(wanted - names)}")
            if not spread and names - wanted and table == "errors":
                problems.append(f"{where}: {key!r} ({lang}) does not say {sorted(names - wanted)}")
    assert problems == []
    assert len(list(_calls())) > 80  # the scan sees the raise sites


def test_both_languages_of_every_entry_use_the_same_placeholders():
    catalogue = messages()
    for table in ("labels", "errors", "hints"):
        for key, text in getattr(catalogue, table).items():
            assert _placeholders(text("zh")) == _placeholders(text("en")), (table, key)


runner = CliRunner()


@pytest.mark.parametrize("make, args, words", [
    (lambda d: None, ["screen", "{d}/missing.xlsx"], "找不到这个文件或文件夹"),
    (lambda d: (d / "empty.xlsx").write_bytes(b""), ["screen", "{d}/empty.xlsx"], "文件是空的"),
    (lambda d: (d / "r.toml").write_text('id = "x"\ntitle = 1\n', encoding="utf-8"),
     ["rules", "check", "{d}/r.toml"], "校验未通过"),
    (lambda d: None, ["screen", "{d}/missing.xlsx", "--rules", "no-such-rules"], "找不到规则集"),
])
def test_a_refusal_reads_in_chinese_unless_english_is_asked_for(tmp_path, monkeypatch, make, args, words):
    monkeypatch.delenv("EDGESCREEN_LANG", raising=False)
    make(tmp_path)
    if "no-such-rules" in args:
        (tmp_path / "missing.xlsx").write_bytes(b"PK")
    filled = [a.format(d=tmp_path) for a in args]
    result = runner.invoke(app, filled)
    assert result.exit_code in (1, 2) and words in result.output, result.output
    english = runner.invoke(app, [*filled, "--lang", "en"])
    assert english.exit_code == result.exit_code and words not in english.output
    assert all(not ("\u4e00" <= ch <= "\u9fff") for ch in english.output.replace(str(tmp_path), "")), english.output


def test_english_counts_read_right_for_one():
    """'1 rows with an invalid ID', '1 problems in 1 files', '1 statuses changed': the catalogue has no
    plural forms, so these messages put the count after what is counted."""
    from edgescreen.catalogue import Phrase, label
    from edgescreen.errors import InputError

    said = [label("fact_roster_invalid", "en", roster="dibao roster", count="1", why="checksum", rows="row 3"),
            label("fact_roster_blank", "en", roster="dibao roster", count="1", rows="row 3"),
            InputError("spot_forms_refused", count=1, files=1, problems="").message("en"),
            InputError("record_refused", count=1, files=1, rest="", problems="").message("en"),
            Phrase("screen_rosters_changed", count=1, kinds=[Phrase("roster_short_dibao")]).render("en"),
            label("screen_rosters_line", "en", rosters=1, matched=1, changed="",
                  found=label("screen_rosters_flagged", "en", count=1)),
            label("screen_rosters_leads", "en", count=1)]
    for text in said:
        assert not re.search(r"\b1 (rows|problems|files|statuses|households|people)\b", text), text
