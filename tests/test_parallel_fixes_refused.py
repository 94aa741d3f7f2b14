"""Files the helper process reads (runtime.SharedReads) that it cannot read: from an outside try on a
city's 300 village files, the first such file's message was copied onto every later file the
helper was to read ("157 个文件不能读入", one village named 151 times, five of the twelve bad files
never named). Each refused file is named once, with its own reason, as one process names them; and
this process, done with its own files, takes back the helper's it has not begun."""

from __future__ import annotations

import multiprocessing as mp
import re

import pytest

from survey_builders import HEADERS, household, make_id, write_csv_table, write_workbook
from test_shared_reads import screens_shared_and_alone
from edgescreen import runtime
from edgescreen.errors import InputError
from edgescreen.read import ReadHere, survey_job
from edgescreen.rules import load_rules
from edgescreen.runtime import SharedReads, WriterHelper, can_share

needs_two_cores = pytest.mark.skipif(not can_share(), reason="a single core: nothing is read by a helper")

# Bad files, each with its own reason (the catalogue's words for it).
BAD = {
    "第03村.xlsx": ("not_a_workbook", "不是工作簿"),
    "第05村.xlsx": ("empty", "文件是空的"),
    "第08村.csv": ("empty", "文件是空的"),
    "第10村.xlsx": ("not_a_workbook", "不是工作簿"),
    "第13村.xlsx": ("empty", "文件是空的"),
}


def villages(tmp_path, count: int = 16):
    """A township's village files, most good (workbooks and CSV by turns), the BAD ones not."""
    town = tmp_path / "合隆镇"
    town.mkdir()
    for v in range(1, count + 1):
        name = f"第{v:02d}村" + (".csv" if v % 4 == 0 else ".xlsx")
        path = town / name
        if name in BAD:
            path.write_bytes(b"" if BAD[name][0] == "empty" else b"PK\x03\x04not a workbook" * 20)
            continue
        rows = [household(**{"乡(镇)": "合隆镇", "行政村": f"第{v:02d}村", "户编号": f"{j:03d}",
                             "户主姓名": f"户主{v}-{j}", "户主身份证号": make_id(f"19{50 + j:02d}0{1 + v % 9}0{1 + v % 9}")})
                for j in range(1, 13)]
        if path.suffix == ".csv":
            write_csv_table(path, HEADERS, [[r.get(k, "") for k in HEADERS] for r in rows])
        else:
            write_workbook(path, rows)
    return town


def flat(result) -> str:
    return re.sub(r"\s+", "", result.output)


@needs_two_cores
def test_every_file_the_helper_refuses_is_named_once_with_its_own_reason(tmp_path, monkeypatch):
    town = villages(tmp_path)
    # The helper is given every file but the first (this process takes back some at the end).
    monkeypatch.setattr(runtime, "MIN_BYTES_TO_SHARE", 0)
    monkeypatch.setattr(runtime, "split_reads",
                        lambda costs, here=frozenset(): [i for i in range(1, len(costs)) if i not in here])
    shared, alone, given = screens_shared_and_alone(tmp_path, monkeypatch, ["screen", str(town), "--as-of", "2020-06-30"])
    assert given and set(BAD) <= set(given[0])  # every bad file was the helper's to read

    assert shared.exit_code == alone.exit_code == 2, shared.output
    said = flat(shared)
    assert f"{len(BAD)}个文件不能读入,都没有筛查" in said, said
    for name, (_, reason) in BAD.items():
        assert said.count(name) == 1, (name, said)
        assert f"{name}:{reason}" in said, (name, said)
    # Word for word what one process says, in the same order; nothing written.
    assert shared.output == alone.output
    assert not (tmp_path / "shared").exists() and not (tmp_path / "alone").exists()


@needs_two_cores
def test_this_process_takes_back_the_helpers_files_and_each_keeps_its_own_error(tmp_path):
    town = villages(tmp_path)
    rules = load_rules("changchun-2019").rules
    jobs = [survey_job(p, rules) for p in sorted(town.iterdir())]
    with WriterHelper() as helper:
        # No file of its own after the first: waiting, this process reads the helper's last ones.
        source = SharedReads(helper, jobs, theirs=list(range(1, len(jobs))))
        for job in jobs:
            expected = None
            try:
                expected = ReadHere().read(job)
            except InputError as exc:
                expected = exc
            if isinstance(expected, InputError):
                with pytest.raises(InputError) as raised:
                    source.read(job)
                assert raised.value.key == expected.key and raised.value.params == expected.params
            else:
                frames, record = source.read(job)
                assert record == expected[1]
                assert [len(f) for _, f in frames] == [len(f) for _, f in expected[0]]
        assert not helper._results.poll()  # the helper's last message taken in: the pipe is free


def test_the_helper_reads_from_the_first_and_this_process_takes_back_from_the_last():
    from edgescreen.runtime import _claim_read

    claims = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn").Array("q", [0, 4])
    assert _claim_read(claims, first=False) is None  # not before the helper has begun
    assert _claim_read(claims, first=True) == 0
    assert _claim_read(claims, first=False) == 3
    assert _claim_read(claims, first=True) == 1
    assert _claim_read(claims, first=False) == 2
    assert _claim_read(claims, first=True) is None and _claim_read(claims, first=False) is None
