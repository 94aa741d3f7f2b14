"""A screen's first survey starts parsing before the program loads (cli/early.py, runtime.start_early):
the command's own session takes the early one over where its first workbook is that survey, adds
the others, and the run is the same as ever; a wrong guess is let go of."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import typer.main

from survey_builders import household, write_workbook
from edgescreen import runtime
from edgescreen.cli.early import VALUED_OPTIONS, first_survey
from edgescreen.cli.program import app
from edgescreen.outputs.ledger import read_ledger

needs_fork = pytest.mark.skipif(not runtime.enabled() or not runtime.can_share()
                                or runtime._start_method() != "fork", reason="the early start needs fork")


def test_the_options_skipped_as_taking_a_value_are_those_of_the_screen_command():
    command = typer.main.get_command(app).commands["screen"]
    valued = {name for param in command.params if param.param_type_name == "option" and not param.is_flag
              for name in param.opts + param.secondary_opts}
    assert VALUED_OPTIONS == valued


def test_the_first_survey_of_a_screen_command_line(tmp_path):
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household()])
    other = write_workbook(tmp_path / "other.xlsx", [household()])
    csv = tmp_path / "a.csv"
    csv.write_text("x\n", encoding="utf-8")
    s, o = str(survey), str(other)
    assert first_survey(["screen", s]) == survey
    assert first_survey(["screen", "--force", "-o", o, "--rules", "changchun-2019", s, o]) == survey
    assert first_survey(["screen", "--lang=en", "--roster", f"dibao={o}", "--", s]) == survey
    # Only the first input counts, and only a workbook that is there.
    assert first_survey(["screen", str(tmp_path), s]) is None
    assert first_survey(["screen", str(csv), s]) is None
    assert first_survey(["screen", str(tmp_path / "missing.xlsx")]) is None
    assert first_survey(["check", s]) is None
    assert first_survey(["screen", "--help"]) is None
    assert first_survey([]) is None


_WATCHED = textwrap.dedent("""
    import json, os, sys
    from edgescreen import runtime
    runtime.MIN_BYTES_FOR_HELPER = 0  # the tests' small surveys start the helper as a county's do
    log = sys.argv.pop(1)
    def note(entry):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry) + "\\n")
    start_early, take_on = runtime.start_early, runtime.Session.take_on
    def watched_start_early(survey):
        note({"early": str(survey), "pandas": "pandas" in sys.modules})
        return start_early(survey)
    def watched_take_on(self, files):
        taken = take_on(self, files)
        note({"taken_over": taken})
        return taken
    runtime.start_early, runtime.Session.take_on = watched_start_early, watched_take_on
    from edgescreen.cli import main
    sys.argv[0] = "edgescreen"
    main()
""")


def _screen(tmp_path, *args) -> tuple[subprocess.CompletedProcess, list[dict]]:
    log = tmp_path / "log.jsonl"
    done = subprocess.run([sys.executable, "-c", _WATCHED, str(log), "screen", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    notes = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    return done, notes


@needs_fork
def test_a_screen_starts_on_its_first_survey_before_pandas_loads_and_reads_every_file(tmp_path):
    first = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名=f"甲{i}") for i in range(3)])
    second = write_workbook(tmp_path / "开安镇.xlsx", [household(**{"乡(镇)": "开安镇", "户主姓名": f"乙{i}"})
                                                   for i in range(2)])
    out = tmp_path / "out"
    done, notes = _screen(tmp_path, "--as-of", "2020-06-30", "-o", out, first, second)
    assert done.returncode == 0, done.stderr
    assert notes == [{"early": str(first), "pandas": False}, {"taken_over": True}]
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["head_name"].tolist() == ["甲0", "甲1", "甲2", "乙0", "乙1"]
    assert set(ledger["source_file"]) == {"合隆镇.xlsx", "开安镇.xlsx"}


@needs_fork
def test_a_folder_given_first_starts_nothing_early(tmp_path):
    folder = tmp_path / "surveys"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", [household()])
    done, notes = _screen(tmp_path, folder, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert notes == []


@needs_fork
def test_an_early_session_for_another_workbook_is_let_go_of(tmp_path, monkeypatch):
    guessed = write_workbook(tmp_path / "guessed.xlsx", [household()])
    survey = write_workbook(tmp_path / "survey.xlsx", [household()])
    monkeypatch.setattr(runtime, "_early", None)
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)  # a county's size, for the machinery
    assert runtime.start_early(guessed)
    early = runtime._early
    with runtime.start([survey]) as session:
        assert session is not early and runtime._early is None
        early.helper.process.join(timeout=5)
        assert not early.helper.alive()
        assert session.workbooks.take(survey).path == survey


@needs_fork
def test_a_survey_read_after_an_early_start_is_read_as_without_one(tmp_path, monkeypatch):
    rows = [household(户主姓名=f"户主{i}", 工资性收入=3000 + 700 * i) for i in range(40)]
    survey = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    monkeypatch.setattr(runtime, "_early", None)
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)  # a county's size, for the machinery
    runtime.start_early(survey)
    from edgescreen.pipeline import screen

    with runtime.start([survey]) as session:
        early = screen([survey], workbooks=session.workbooks).ledger
    plain = screen([survey]).ledger
    pd.testing.assert_frame_equal(early, plain)
    assert Path(early["source_file"].iloc[0]) == Path("合隆镇.xlsx")
