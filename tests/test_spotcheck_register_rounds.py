"""A spot check of an earlier year, through the register (outside tester, 2019 → 2020): a sample drawn
from a screen's output folder is compared with the register's round of that screen once the folder is
gone, `sample REGISTER --round N` draws from an earlier round, and a register holding no round the
sample was drawn from says what it was drawn from.

The county: small_county's 21 households (前岗村 4 candidates and 12 above, 东兴村 2 and 3), screened
for 2019 into 筛查2019 and recorded in 农安县.db; then the same households surveyed for 2020 — the same
file name, the same rows — where two of 前岗村's candidates earn 30,000 and one of its households above
earns 10,000, screened into 筛查2020 and recorded as the register's round 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from spotcheck_builders import candidate, above, fill_all, run, sample_rows, write_survey

ROUND_2019 = "2019-12-02"
ROUND_2020 = "2020-12-01"


def _rows_2019() -> list[dict]:
    return ([candidate("前岗村", "甲") for _ in range(4)] + [above("前岗村", "乙") for _ in range(12)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])


def _rows_2020(rows: list[dict]) -> list[dict]:
    """The same households a year on: 前岗村's first two candidates above the limit, its first
    household above the limit a candidate."""
    out = [dict(r) for r in rows]
    for i, wage in ((0, 30000), (1, 30000), (4, 10000)):
        out[i].update({"工资性收入": wage, "家庭总收入": wage})
    return out


def _two_years(tmp: Path, *, register: str = "农安县.db", second_only: bool = False) -> dict:
    """2019 screened into 筛查2019 (recorded in the register unless `second_only`), 2020 into 筛查2020
    (recorded too). Each survey in its own folder under the same file name."""
    rows = _rows_2019()
    (tmp / "2019").mkdir()
    (tmp / "2020").mkdir()
    s2019 = write_survey(tmp / "2019" / "农安县.xlsx", {"合隆镇": rows})
    s2020 = write_survey(tmp / "2020" / "农安县.xlsx", {"合隆镇": _rows_2020(rows)})
    db = tmp / register
    run("screen", s2019, "-o", tmp / "筛查2019", *([] if second_only else ["--register", db, "--date", ROUND_2019]))
    return {"db": db, "s2019": s2019, "s2020": s2020}


def _screen_2020(tmp: Path, county: dict) -> None:
    run("screen", county["s2020"], "--year", "2020", "-o", tmp / "筛查2020", "--register", county["db"],
        "--date", ROUND_2020)


def _recorded(folder: Path) -> dict[str, str]:
    """逐户比对's recorded status by 户主姓名, from backcheck.xlsx."""
    import openpyxl

    ws = openpyxl.load_workbook(folder / "backcheck.xlsx")["逐户比对"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if "户主姓名" in r)
    header = rows[at]
    name, status = header.index("户主姓名"), header.index("登记认定")
    return {r[name]: r[status] for r in rows[at + 1:] if r[name]}


def test_a_sample_of_the_screen_folder_is_compared_with_the_registers_round_once_the_folder_is_gone(tmp_path):
    """The tester's repro: sample 筛查2019, fill the forms, year two screened into the register,
    筛查2019 moved away: backcheck 农安县.db finds round 1 by itself (not the latest, round 2)."""
    county = _two_years(tmp_path)
    run("sample", tmp_path / "筛查2019", "-o", tmp_path / "抽查2019", "--seed", "7", "--listed-rate", "1",
        "--unlisted-rate", "0.5")
    fill_all(tmp_path / "抽查2019", tmp_path / "回收")
    _screen_2020(tmp_path, county)
    shutil.move(tmp_path / "筛查2019", tmp_path / "away")

    said = run("backcheck", county["db"], tmp_path / "回收", "-o", tmp_path / "核查结果2019").output
    flat = "".join(said.split())
    assert "第1轮筛查(2019年度,2019-12-02)比对" in flat, said
    assert "筛查2019" in flat
    # Compared with 2019's statuses: every verified page agrees (round 2 would make two 错评 and one 漏评).
    assert "错评率:0.0%" in said and "漏评率:0.0%" in said, said
    drawn = {r["户主姓名"]: r["抽样层"] for r in sample_rows(tmp_path / "抽查2019")}
    recorded = _recorded(tmp_path / "核查结果2019")
    assert set(recorded) == set(drawn)
    assert {n for n, s in recorded.items() if s == "贫困边缘户候选"} == {n for n, s in drawn.items() if s == "候选户"}


def test_a_sample_printed_before_forms_named_their_surveys_finds_its_round_by_its_households(tmp_path, monkeypatch):
    """Forms printed before the sample recorded its survey files' SHA-256 (the tester's own): the round
    is found by the pages' households as printed and the strata's sizes; round 2, the same file and
    rows, has other strata and is passed over."""
    from edgescreen.spotcheck import sample as sample_module

    facts = sample_module.sample_facts

    def as_before(**kw):
        return {k: v for k, v in facts(**kw).items()
                if k not in ("source_name", "source_date", "source_households", "source_inputs")}

    monkeypatch.setattr(sample_module, "sample_facts", as_before)
    county = _two_years(tmp_path)
    run("sample", tmp_path / "筛查2019", "-o", tmp_path / "抽查2019", "--seed", "7")
    forms = fill_all(tmp_path / "抽查2019", tmp_path / "回收")
    _screen_2020(tmp_path, county)
    shutil.rmtree(tmp_path / "筛查2019")
    said = run("backcheck", county["db"], *forms, "-o", tmp_path / "核查结果").output
    assert "第 1 轮筛查" in said and "错评率:0.0%" in said, said


def test_sample_round_draws_year_one_from_the_register_after_year_two(tmp_path):
    """`sample 农安县.db --round 1` after 2020 was recorded draws what `sample 农安县.db` drew from it
    in 2019 (same seed, same households, same strata), its design names the round, and its forms are
    compared with round 1."""
    county = _two_years(tmp_path)
    db = county["db"]
    run("sample", db, "-o", tmp_path / "当年", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "0.25")
    _screen_2020(tmp_path, county)
    latest = run("sample", db, "-o", tmp_path / "最近", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "0.25")
    later = run("sample", db, "--round", "1", "-o", tmp_path / "补抽", "--seed", "4", "--listed-rate", "1",
                "--unlisted-rate", "0.25")
    assert "Traceback" not in later.output and "Traceback" not in latest.output
    then, now = sample_rows(tmp_path / "当年"), sample_rows(tmp_path / "补抽")
    assert now == then
    assert sample_rows(tmp_path / "最近") != then  # the latest round is 2020's
    record = json.loads((tmp_path / "补抽" / "sample.json").read_text(encoding="utf-8"))
    assert record["source"]["round"] == 1 and record["round"] == 1
    import openpyxl

    about = openpyxl.load_workbook(tmp_path / "补抽" / "抽样设计.xlsx")["说明"]
    assert any("第 1 轮筛查,2019年度,2019-12-02" in str(c.value) for row in about.iter_rows() for c in row)

    forms = fill_all(tmp_path / "补抽", tmp_path / "回收")
    said = run("backcheck", db, *forms, "-o", tmp_path / "核查结果").output
    assert "错评率:0.0%" in said and "漏评率:0.0%" in said, said

    # A round the register does not hold, and --round on a screen's folder, are refused, saying what there is.
    missing = run("sample", db, "--round", "3", "-o", tmp_path / "x", code=2).output
    flat = "".join(missing.split())
    assert "没有第3轮筛查" in flat and "第1轮(2019年度,2019-12-02筛查,21户)" in flat
    assert "第2轮(2020年度,2020-12-01筛查,21户)" in flat
    folder = run("sample", tmp_path / "筛查2020", "--round", "1", "-o", tmp_path / "y", code=2).output
    assert "不是登记簿" in folder and not (tmp_path / "x").exists() and not (tmp_path / "y").exists()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_register_without_the_samples_round_names_what_the_sample_was_drawn_from(tmp_path, lang):
    """A register that recorded only 2020 (the 2019 screen was never recorded in it): no round is the
    sample's. The refusal names the ledger, its screen's date and households, when the sample was drawn,
    and the rounds the register does hold; nothing is written."""
    county = _two_years(tmp_path, register="只有2020.db", second_only=True)
    run("sample", tmp_path / "筛查2019", "-o", tmp_path / "抽查2019", "--seed", "7")
    forms = fill_all(tmp_path / "抽查2019", tmp_path / "回收")
    _screen_2020(tmp_path, county)
    screened = json.loads((tmp_path / "筛查2019" / "run.json").read_text(encoding="utf-8"))["screened"][:10]
    drawn = json.loads((tmp_path / "抽查2019" / "sample.json").read_text(encoding="utf-8"))
    said = run("backcheck", county["db"], *forms, "-o", tmp_path / "核查结果", "--lang", lang, code=2).output
    flat = "".join(said.split())
    if lang == "zh":
        assert "登记簿里没有哪一轮筛查是这批核查表抽样时用的" in flat, said
        assert f"筛查2019({screened}筛查,21户)" in flat
        assert f"于{drawn['created'][:10]}抽样(样本编号{drawn['sample_id']})" in flat
        assert "登记簿里有:第1轮(2020年度,2020-12-01筛查,21户)" in flat
    else:
        assert "none of the register's screening rounds" in said, said
        assert f"筛查2019 (screened {screened}, 21 households)" in " ".join(said.split())
        assert "round 1 (2020, screened 2020-12-01, 21 households)" in " ".join(said.split())
    assert not (tmp_path / "核查结果").exists()
    # The same sample against the right folder still compares.
    assert "错评率:0.0%" in run("backcheck", tmp_path / "筛查2019", *forms, "-o", tmp_path / "对").output


def test_a_sample_printed_before_names_its_villages_households_when_no_round_is_its(tmp_path, monkeypatch):
    """Forms that do not record the screen's households: the refusal counts those of the villages drawn."""
    from edgescreen.spotcheck import sample as sample_module

    facts = sample_module.sample_facts
    monkeypatch.setattr(sample_module, "sample_facts", lambda **kw: {
        k: v for k, v in facts(**kw).items() if k not in ("source_name", "source_households", "source_date",
                                                           "source_inputs")})
    county = _two_years(tmp_path, register="只有2020.db", second_only=True)
    run("sample", tmp_path / "筛查2019", "-o", tmp_path / "抽查2019", "--seed", "7")
    forms = fill_all(tmp_path / "抽查2019", tmp_path / "回收")
    _screen_2020(tmp_path, county)
    flat = "".join(run("backcheck", county["db"], *forms, "-o", tmp_path / "核查结果", code=2).output.split())
    assert "decisions.csv(抽中的2个村共21户)" in flat, flat

