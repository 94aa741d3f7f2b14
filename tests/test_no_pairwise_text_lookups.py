"""numpy's isin compares two arrays of objects (text) pair by pair, in a Python loop over the second:
a county's members sheet made the link of near heads (members.py, a head's ID one slip off) take 64 s
at 50,000 households, and hours at a million, where a hash (texts.texts_among) takes milliseconds.

A county with a members sheet and a roster is screened here with np.isin refusing text arrays of more
than a hundred values on both sides: any such lookup on the way is a county's run made quadratic."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.texts import keys_among, texts_among
from survey_builders import household, make_id, write_csv, write_csv_table
from years_builders import members_file

HOUSEHOLDS = 1_500
_numpy_isin = np.isin


def _no_pairwise_texts(element, test_elements, *args, **kwargs):
    mine, theirs = np.asarray(element), np.asarray(test_elements)
    if (mine.dtype == object or theirs.dtype == object) and mine.size > 100 and theirs.size > 100:
        raise AssertionError(f"np.isin of {mine.size} objects among {theirs.size}: pair by pair "
                             "(texts.texts_among hashes them)")
    return _numpy_isin(element, test_elements, *args, **kwargs)


def test_a_county_with_members_and_a_roster_is_screened_without_a_pairwise_lookup_of_texts(tmp_path, monkeypatch):
    first = dt.date(1950, 1, 1)
    heads = [make_id(birth=(first + dt.timedelta(days=k)).strftime("%Y%m%d"), serial=k % 1000)
             for k in range(HOUSEHOLDS)]
    spouses = [make_id(birth=(first + dt.timedelta(days=k)).strftime("%Y%m%d"), serial=(k + 500) % 1000)
               for k in range(HOUSEHOLDS)]
    survey = write_csv(tmp_path / "调查表.csv", [
        household(**{"行政村": f"村{k % 30}", "户主姓名": f"户{k}", "户主身份证号": head, "家庭人口数": 2,
                     "家庭常住人口数": 2, "工资性收入": 7000 + k})
        for k, head in enumerate(heads)])
    members = members_file(tmp_path / "家庭成员.xlsx", {
        head: [(head, "户主", "普通劳动力"), (spouse, "配偶", "普通劳动力")] for head, spouse in zip(heads, spouses)})
    # A roster of the county's people and of others: every tenth spouse among 400 strangers.
    listed = [["", spouse] for spouse in spouses[::10]] + [["", make_id(birth="19400101", serial=k)] for k in range(400)]
    roster = write_csv_table(tmp_path / "低保名单.csv", ["姓名", "身份证号"], listed)

    monkeypatch.setattr(np, "isin", _no_pairwise_texts)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), str(members), "--roster", f"dibao={roster}",
                                      "--as-of", "2020-06-30", "-o", str(out)],
                                env={"COLUMNS": "200", "EDGESCREEN_DEBUG": "1"})  # a failure shows the lookup
    assert result.exit_code == 0, result.output
    facts = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert facts["households"] == HOUSEHOLDS, facts["households"]
    # The lookups ran on the county's own people: every member linked by the head's ID, the roster's
    # every tenth spouse matched (its 400 strangers not).
    assert facts["members"]["linked"] == 2 * HOUSEHOLDS, facts["members"]
    assert (facts["rosters"][0]["matches"], facts["rosters"][0]["not_found"]) == (HOUSEHOLDS // 10, 400), facts["rosters"]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.integers(-2, 40)), st.lists(st.integers(-2, 40)), st.lists(st.sampled_from(["", "前岗村", "前岗", "x", "0"])),
       st.lists(st.sampled_from(["", "前岗村", "前岗", "x", "0"])))
def test_the_hashed_lookups_answer_as_isin_does(keys, allowed_keys, texts, allowed_texts):
    """keys_among and texts_among say what np.isin says, for any keys (the -1 of none too) and texts (''
    too), empty on either side; and the answer is the caller's to change in place."""
    for among, values, allowed, kind in ((keys_among, keys, allowed_keys, np.int64),
                                         (texts_among, texts, allowed_texts, object)):
        values, allowed = np.array(values, dtype=kind), np.array(allowed, dtype=kind)
        found = among(values, allowed)
        assert found.dtype == bool and found.tolist() == np.isin(values, allowed).tolist()
        found[:] = True  # writable
