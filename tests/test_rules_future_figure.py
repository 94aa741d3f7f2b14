"""A figure a county enters ahead of its date (an upper bound of 4500 from next year's 1 January) is
not used until a --year reaches it: by default the screen took that year and its bound, with no word,
and a household of 4200 yuan a head became a candidate (an outside try of county rules files)."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "200", "EDGESCREEN_LANG": "zh"})


def test_a_bound_dated_next_year_is_not_the_default(tmp_path):
    rules = tmp_path / "本县.toml"
    assert run("rules", "new", rules).exit_code == 0
    next_year = dt.date.today().year + 1
    text = rules.read_text(encoding="utf-8")
    start = text.index("[upper_bound]")
    end = text.index("]\n", text.index("values = [", start))
    entry = f'  {{ effective = {next_year}-01-01, value = 4500, source = "本县预先录入的明年标准" }},\n'
    rules.write_text(text[:end] + entry + text[end:], encoding="utf-8")
    assert run("rules", "check", rules).exit_code == 0
    survey = write_workbook(tmp_path / "s.xlsx", [household(**{"户主身份证号": make_id(serial=3), "工资性收入": 12600})])
    done = run("screen", survey, "--rules", rules, "-o", tmp_path / "out", "--as-of", "2020-06-30")
    assert done.exit_code == 0, done.output
    manifest = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert manifest["options"]["year"] < next_year, manifest["options"]
    assert manifest["counts"]["above_limit"] == 1, manifest["counts"]  # 4200 a head: above 4000
