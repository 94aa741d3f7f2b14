"""A run's input files read two at a time: the helper process reads some (a members table beside
the survey, a township's file of several) while this one reads the others. What comes back is what
this process would have read itself, errors are said in the run's order, and a run reads the same
with or without the helper."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv_table, write_workbook
from edgescreen import pipeline, runtime
from edgescreen.cli import app
from edgescreen.errors import InputError, OutputError
from edgescreen.members import MemberRows, type_member_sheets
from edgescreen.read import Later, ReadHere, now, survey_job
from edgescreen.rosters import RosterSpec, roster_job
from edgescreen.rules import load_rules
from edgescreen.runtime import SharedReads, WriterHelper, can_share, split_reads

needs_two_cores = pytest.mark.skipif(not can_share(), reason="a single core: nothing is read by a helper")
MB = 1 << 20
MEMBER_HEADERS = ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "健康状况", "在校生状况", "是否常住"]


def county(tmp_path: Path, villages: int = 3, per_village: int = 40, blank_residents: bool = False):
    """Survey files (one per village), a members file, a roster: each household's head and spouse.
    With `blank_residents`, each village's first household leaves 家庭常住人口数 blank (its members
    count it)."""
    surveys, members, listed = [], [], []
    for v in range(villages):
        place = {"乡(镇)": "合隆镇", "行政村": f"第{v + 1}村"}
        rows = []
        for i in range(per_village):
            hh = household(**place, 户编号=f"{i + 1:03d}", 户主姓名=f"户{v}-{i}",
                           户主身份证号=make_id(f"19{60 + i % 30:02d}0101"))
            if blank_residents and i == 0:
                # As many members as it lists (the first village's first has a child besides): a count
                # from a list short of 家庭人口数 would leave someone out, and is not made.
                hh["家庭常住人口数"], hh["家庭人口数"] = "", 3 if v == 0 else 2
            rows.append([hh.get(k, "") for k in HEADERS])
            spouse = make_id(f"19{62 + i % 30:02d}0202")
            members += [[place["乡(镇)"], place["行政村"], hh["户编号"], hh["户主姓名"], "户主", hh["户主身份证号"],
                         "健康", "非在校生", "是"],
                        [place["乡(镇)"], place["行政村"], hh["户编号"], f"配偶{v}-{i}", "配偶", spouse,
                         "健康", "非在校生", "是"]]
            if i % 7 == 0:
                listed.append(["某人", spouse])
        surveys.append(write_csv_table(tmp_path / f"第{v + 1}村.csv", HEADERS, rows))
    # Two rows with issues of their own: an ID Excel turned into a number, a blank relation.
    members += [["合隆镇", "第1村", "001", "子甲", "子", "2.20102198001011E+17", "健康", "在校生", "是"],
                ["合隆镇", "第1村", "002", "子乙", "", make_id("19990101"), "健康", "非在校生", "是"]]
    member_file = write_csv_table(tmp_path / "家庭成员.csv", MEMBER_HEADERS, members)
    roster = write_csv_table(tmp_path / "车辆.csv", ["姓名", "身份证号"], listed)
    return surveys, member_file, roster


def test_the_helper_takes_what_finishes_sooner_and_never_the_first_file():
    # A survey, then a members table twice its size, then five small rosters: the members table goes
    # to the helper, the rosters stay here (this process is done sooner with them than the helper).
    assert split_reads([155 * MB, 284 * MB] + [8 * MB] * 5) == [1]
    # Ten townships' files of one size: the helper takes its share, this process the first.
    shared = split_reads([30 * MB] * 10)
    assert 0 not in shared and 3 <= len(shared) <= 5
    # Small files: not worth the messages.
    assert split_reads([MB, 2 * MB, MB]) == []
    # A workbook already parsing here stays here.
    assert split_reads([155 * MB, 284 * MB], here={1}) == []


@needs_two_cores
def test_what_the_helper_reads_is_what_this_process_reads(tmp_path):
    surveys, member_file, roster = county(tmp_path)
    rules = load_rules("changchun-2019").rules
    # The members sheets typed where they are read, as a run reads them.
    finish = (type_member_sheets, (rules, dt.date(2020, 6, 30)))
    jobs = [survey_job(p, rules, finish=finish) for p in [*surveys, member_file]] \
        + [roster_job(RosterSpec.parse(f"vehicle={roster}"))]
    with WriterHelper() as helper:
        source = SharedReads(helper, jobs, theirs=[1, 3, 4])
        for job in jobs:
            frames, record = source.read(job)
            expected_frames, expected_record = ReadHere().read(job)
            assert record == expected_record
            assert [t.kind for t, _ in frames] == [t.kind for t, _ in expected_frames]
            for (_, got), (_, expected) in zip(frames, expected_frames):
                got = now(got)  # a members table the helper was still typing: waited for here
                if isinstance(expected, MemberRows):
                    pd.testing.assert_frame_equal(got.cells, expected.cells)
                    pd.testing.assert_frame_equal(got.frame, expected.frame)
                    pd.testing.assert_frame_equal(got.log.index(), expected.log.index())
                    assert len(got.log.index()) > 0  # the members file's own issues came over too
                else:
                    pd.testing.assert_frame_equal(got, expected)
        assert not helper._results.poll()  # nothing left in the pipe for the output share after it


def test_a_spawned_helper_reads_as_a_forked_one(tmp_path):
    # Where fork is missing (Windows) the helper is spawned: the jobs, their finish and what comes
    # back must survive pickling into a new interpreter.
    surveys, member_file, _ = county(tmp_path, villages=1)
    rules = load_rules("changchun-2019").rules
    finish = (type_member_sheets, (rules, dt.date(2020, 6, 30)))
    jobs = [survey_job(p, rules, finish=finish) for p in (surveys[0], member_file)]
    with WriterHelper(start_method="spawn") as helper:
        assert helper.wait_ready(60)
        source = SharedReads(helper, jobs, theirs=[1])
        source.read(jobs[0])
        frames, record = source.read(jobs[1])
        typed = now(frames[0][1])
        expected = ReadHere().read(jobs[1])[0][0][1]
        assert record.members == len(expected) == 82
        pd.testing.assert_frame_equal(typed.frame, expected.frame)
        pd.testing.assert_frame_equal(typed.log.index(), expected.log.index())


def slowly_typed_sheets(frames, rules, as_of):
    time.sleep(1.5)
    return type_member_sheets(frames, rules, as_of)


def slowly_typed(frames, pause, rules, as_of):
    """A finish that takes its time: the members typed after `pause` seconds."""
    time.sleep(pause)
    return type_member_sheets(frames, rules, as_of)


@needs_two_cores
def test_a_members_table_is_handed_over_before_the_helper_has_typed_it(tmp_path):
    surveys, member_file, _ = county(tmp_path)
    rules = load_rules("changchun-2019").rules
    finish = (slowly_typed, (3.0, rules, dt.date(2020, 6, 30)))
    jobs = [survey_job(p, rules, finish=finish) for p in (surveys[0], member_file)]
    with WriterHelper() as helper:
        source = SharedReads(helper, jobs, theirs=[1])
        source.read(jobs[0])
        started = time.perf_counter()
        frames, record = source.read(jobs[1])
        assert time.perf_counter() - started < 2.5  # not waiting for the typing
        assert record.members == 242 and [type(kept) for _, kept in frames] == [Later]
        typed = now(frames[0][1])
        expected = ReadHere().read(survey_job(member_file, rules, finish=(type_member_sheets, finish[1][1:])))[0][0][1]
        pd.testing.assert_frame_equal(typed.frame, expected.frame)
        pd.testing.assert_frame_equal(typed.log.index(), expected.log.index())


@needs_two_cores
def test_a_members_workbook_of_two_sheets_comes_over_whole(tmp_path, monkeypatch):
    # A members workbook with a sheet per village, no households: both sheets handed over later,
    # and a run reads it as it does without the helper.
    surveys, member_file, _ = county(tmp_path, villages=2)
    rows = pd.read_csv(member_file, dtype=str, keep_default_na=False)
    book = xlsxwriter.Workbook(str(tmp_path / "家庭成员.xlsx"))
    for village, part in rows.groupby("行政村", sort=False):
        sheet = book.add_worksheet(village)
        sheet.write_row(0, 0, MEMBER_HEADERS)
        for r, values in enumerate(part[MEMBER_HEADERS].itertuples(index=False), start=1):
            sheet.write_row(r, 0, [str(v) for v in values])
    book.close()
    member_file.unlink()
    args = ["screen", *map(str, surveys), str(tmp_path / "家庭成员.xlsx"), "--as-of", "2020-06-30"]
    monkeypatch.setattr(runtime, "MIN_BYTES_TO_SHARE", 0)
    monkeypatch.setattr(runtime, "split_reads", lambda costs, here=frozenset(): [len(costs) - 1])
    # Typed slowly: the workbook is handed over (read.Later) before its sheets have come.
    monkeypatch.setattr(pipeline, "type_member_sheets", slowly_typed_sheets)
    assert _screen_shared_and_alone(tmp_path, monkeypatch, args) == [["家庭成员.xlsx"]]
    run = json.loads((tmp_path / "shared" / "run.json").read_text(encoding="utf-8"))
    assert run["members"]["members"] == 162 and run["members"]["linked"] == 162


@needs_two_cores
def test_an_error_is_said_when_its_file_is_asked_for_in_the_runs_order(tmp_path):
    surveys, member_file, _ = county(tmp_path)
    broken_here = tmp_path / "坏.csv"
    broken_here.write_bytes(b"")
    broken_there = tmp_path / "也坏.csv"
    broken_there.write_bytes(b"\x00\x01\x02 not a table")
    rules = load_rules("changchun-2019").rules
    jobs = [survey_job(p, rules) for p in (surveys[0], broken_there, broken_here, member_file)]
    with WriterHelper() as helper:
        source = SharedReads(helper, jobs, theirs=[1, 3])
        source.read(jobs[0])
        # The helper's file fails: its own error, and not the later file's this process read meanwhile.
        with pytest.raises(InputError) as raised:
            source.read(jobs[1])
        assert raised.value.params.get("file") == broken_there.name
        with pytest.raises(InputError) as raised:
            source.read(jobs[2])
        assert raised.value.params.get("file") == broken_here.name


@needs_two_cores
def test_a_helper_that_dies_while_reading_is_an_error(tmp_path):
    surveys, member_file, _ = county(tmp_path)
    rules = load_rules("changchun-2019").rules
    jobs = [survey_job(p, rules) for p in (surveys[0], member_file)]
    with WriterHelper() as helper:
        source = SharedReads(helper, jobs, theirs=[1])
        helper.kill()
        source.read(jobs[0])
        with pytest.raises(OutputError) as raised:
            source.read(jobs[1])
        assert raised.value.key == "reader_died"


def screens_shared_and_alone(tmp_path, monkeypatch, args: list[str]):
    """Run `args` into shared/ with the helper reading (SharedReads watched), then into alone/ with
    everything in this process, in order (EDGESCREEN_DEBUG). Returns both results and the names of
    the files the helper was given, per SharedReads."""
    given: list[list[str]] = []

    class Watched(SharedReads):
        def __init__(self, helper, jobs, theirs):
            given.append([jobs[i].path.name for i in theirs])
            super().__init__(helper, jobs, theirs)

    monkeypatch.setattr(runtime, "SharedReads", Watched)
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)  # the small surveys start it as a county's do
    shared = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "shared")])
    monkeypatch.setenv("EDGESCREEN_DEBUG", "1")
    alone = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "alone")])
    return shared, alone, given


def _screen_shared_and_alone(tmp_path, monkeypatch, args: list[str]) -> list[list[str]]:
    """screens_shared_and_alone, both run through: the ledgers and issue lists must be byte for byte
    the same. Returns the names of the files the helper was given, per SharedReads."""
    shared, alone, given = screens_shared_and_alone(tmp_path, monkeypatch, args)
    assert shared.exit_code == 0, shared.output
    assert alone.exit_code == 0, alone.output
    for name in ("decisions.csv", "issues.csv"):
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name
    return given


@needs_two_cores
@pytest.mark.parametrize("blank_residents", [False, True], ids=["members_linked_late", "members_count_residents"])
def test_a_run_reads_the_same_with_the_helper_reading(tmp_path, monkeypatch, blank_residents):
    # Without a blank 家庭常住人口数 the members are linked after the households' checks; with one,
    # first (they count it): both read the same as one process does.
    surveys, member_file, roster = county(tmp_path, blank_residents=blank_residents)
    args = ["screen", *map(str, surveys), str(member_file), "--roster", f"车辆={roster}", "--as-of", "2020-06-30"]
    monkeypatch.setattr(runtime, "MIN_BYTES_TO_SHARE", 0)
    shared_out = _screen_shared_and_alone(tmp_path, monkeypatch, args)
    assert shared_out and shared_out[0]  # the helper read some of the files
    runs = [json.loads((tmp_path / d / "run.json").read_text(encoding="utf-8")) for d in ("shared", "alone")]
    assert runs[0]["members"] == runs[1]["members"] and runs[0]["members"]["members"] == 242
    assert [r["matches"] for r in runs[0]["rosters"]] == [r["matches"] for r in runs[1]["rosters"]] == [18]
    assert [f["sha256"] for f in runs[0]["inputs"]] == [f["sha256"] for f in runs[1]["inputs"]]
    ledger = pd.read_csv(tmp_path / "shared" / "decisions.csv", dtype=str, keep_default_na=False)
    first = ledger.groupby("来源文件", sort=False).head(1)
    # Counted from the members marked 是否常住 (the first village's first household has a third one).
    assert first["家庭常住人口数"].tolist() == (["3", "2", "2"] if blank_residents else ["3"] * 3)


@needs_two_cores
def test_township_workbooks_read_by_both_processes_screen_as_one_process_does(tmp_path, monkeypatch):
    # Six townships' workbooks: the helper takes every other one while this process parses its own
    # ahead (the helper's are left out of the read-ahead); the ledger is in input order either way.
    paths = []
    for t in range(6):
        rows = [household(**{"乡(镇)": f"镇{t}", "行政村": "前岗村", "户编号": f"{j:03d}", "户主姓名": f"户主{t}-{j}",
                             "户主身份证号": make_id(f"19{60 + j:02d}0101")}) for j in range(30)]
        paths.append(write_workbook(tmp_path / f"镇{t}.xlsx", rows))
    monkeypatch.setattr(runtime, "split_reads", lambda costs, here=frozenset(): [i for i in range(1, len(costs), 2)
                                                                               if i not in here])
    args = ["screen", *map(str, paths), "--as-of", "2020-06-30"]
    read_by_helper = _screen_shared_and_alone(tmp_path, monkeypatch, args)
    assert read_by_helper and len(read_by_helper[0]) >= 2
    ledger = pd.read_csv(tmp_path / "shared" / "decisions.csv", dtype=str)
    assert ledger["来源文件"].tolist() == [p.name for p in paths for _ in range(30)]


def test_without_a_helper_every_file_is_read_here(tmp_path):
    surveys, member_file, _ = county(tmp_path)
    rules = load_rules("changchun-2019").rules
    jobs = [survey_job(p, rules) for p in (*surveys, member_file)]
    with runtime.Session(surveys, share_writing=False) as session:
        assert session.helper is None
        assert isinstance(session.reads(jobs), ReadHere)
