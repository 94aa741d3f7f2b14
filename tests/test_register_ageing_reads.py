"""A register that has aged a year: next year's `screen --register` reads the county's decisions once
(the comparison, the households an earlier round took off its list, and the income over time all
ask who is on the register), and each decision at a step dated by its village takes its village's
date, a blank township being one place whether the register holds it as NULL or as ''."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from survey_builders import make_id
from years_builders import register_everyone, run, survey
from edgescreen.register import db
from edgescreen.register.procedure import procedure

VILLAGE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
IDS = {k: make_id(birth=f"1971{m:02d}{m:02d}", serial=500 + m) for m, k in enumerate("ABCD", start=1)}


def person(key: str, **over) -> dict:
    return {**VILLAGE, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def test_next_years_screen_reads_the_registers_decisions_once(tmp_path, monkeypatch):
    registered = register_everyone(tmp_path, [person("A"), person("B"), person("C")])
    entry = procedure().ids
    reads = []
    real = db.decisions

    def counted(reg, steps, village_dated=()):
        reads.append(list(steps))
        return real(reg, steps, village_dated)

    monkeypatch.setattr(db, "decisions", counted)
    # A: still in the band; B: above the bound (an exit blocked: no measure); C: not surveyed.
    source = survey(tmp_path / "2020调查表.xlsx", [person("A", 工资性收入=10500), person("B", 工资性收入=13500)])
    out = run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", registered,
              "--date", "2020-11-20").output
    assert (tmp_path / "out2020" / "changes.xlsx").exists()
    assert "changes.xlsx" in out
    # Once for the comparison, the removals and the income over time (three times before).
    assert reads.count(entry) == 1


def _register(tmp_path, places: list[tuple[str | None, str]]) -> tuple[db.Register, int, list]:
    """A register of one round, a household per place screened, each decided yes at the 民主评议
    (no date of its own), and a village date recorded for the meeting of each place."""
    reg = db.open_register(tmp_path / "农安县.db", create=True)
    with reg.writing():
        changeset = db.add_changeset(reg, "screen --register")
        round_id, inputs = db.add_round(reg, changeset, year=2019, round_date=dt.date(2019, 11, 20),
                                        rules_id="changchun-2019", rules_file="", rules_sha256="x",
                                        lower_fen=321800, upper_fen=400000, inputs=[("调查表.xlsx", "x", len(places))])
        keys = db.new_household_keys(reg, round_id, len(places))
        rows = pd.DataFrame({c: [None] * len(places) for c in db.SCREENED_COLUMNS})
        rows["round"], rows["household"], rows["input"] = round_id, keys, inputs["调查表.xlsx"]
        rows["township"] = [t for t, _ in places]
        rows["village"] = [v for _, v in places]
        rows["status"] = "candidate"
        db.add_screened(reg, rows)
        recorded = db.add_changeset(reg, "register record")
        decisions = pd.DataFrame({"changeset": recorded, "round": round_id, "household": keys,
                                  "township": [t for t, _ in places], "village": [v for _, v in places],
                                  "step": "review", "field": "decision", "old": None, "new": "yes",
                                  "effective": "2019-11-25"})
        db.add_events(reg, decisions)
    return reg, round_id, keys


@pytest.mark.parametrize("held_as", [None, ""])
def test_a_decision_takes_its_villages_date_a_blank_township_being_one_place(tmp_path, held_as):
    # The survey left the township blank (NULL); the village's date was recorded with it NULL or ''.
    reg, round_id, keys = _register(tmp_path, [(None, "前岗村"), ("合隆镇", "前岗村"), ("", "后岗村")])
    with reg.writing():
        changeset = db.add_changeset(reg, "register amend")
        db.add_events(reg, pd.DataFrame({
            "changeset": changeset, "round": round_id, "household": None,
            "township": [held_as, "合隆镇"], "village": ["前岗村", "后岗村"], "step": "review", "field": "date",
            "old": None, "new": ["2019-11-28", "2019-11-30"], "effective": None}))
    facts = db.decisions(reg, procedure().ids, ["review"]).set_index("household")
    reg.close()
    # The blank township's 前岗村 took its date; 合隆镇's 前岗村 and the blank 后岗村 are other places.
    assert facts.loc[int(keys[0]), "effective"] == "2019-11-28"
    assert facts.loc[int(keys[1]), "effective"] == "2019-11-25"
    assert facts.loc[int(keys[2]), "effective"] == "2019-11-25"


def _steps_of_decisions(tmp_path, villages: int) -> int:
    """SQLite's steps (in hundreds) for db.decisions of a round of `villages` villages, a household
    in each, each village with the meeting's date of its own."""
    places = [("合隆镇", f"第{n}村") for n in range(villages)]
    reg, round_id, _ = _register(tmp_path / str(villages), places)
    with reg.writing():
        changeset = db.add_changeset(reg, "register record")
        db.add_events(reg, pd.DataFrame({
            "changeset": changeset, "round": round_id, "household": None, "township": "合隆镇",
            "village": [v for _, v in places], "step": "review", "field": "date", "old": None,
            "new": "2019-11-28", "effective": None}))
    steps = []
    reg.conn.set_progress_handler(lambda: steps.append(1) and 0, 100)
    facts = db.decisions(reg, procedure().ids, ["review"])
    reg.conn.set_progress_handler(None, 0)
    reg.close()
    assert facts["effective"].eq("2019-11-28").all()
    return len(steps)


def test_a_decisions_village_date_is_found_by_its_place_not_among_every_village(tmp_path):
    # Matched among every village's date of the round, the work grew with the square of a county's
    # villages (a second per read at 60,000 households); by the place, as the decisions do.
    (tmp_path / "200").mkdir()
    (tmp_path / "800").mkdir()
    assert _steps_of_decisions(tmp_path, 800) < 6 * _steps_of_decisions(tmp_path, 200)
