"""A large sheet parsed in two halves at once, and its scan made by the helper process.

The one sheet of a large workbook is parsed as two workbooks, one calamine thread each
(workbook.split_sheet): what the reader gets must be what calamine gives for the whole sheet, cell
for cell, whatever lies around the split (blank rows, a half that begins right of column A, halves of
different widths, merges, a namespace prefix). Its scan (the reach calamine waits for, then formulas
and hidden rows) is made by the helper process (workbook.scan_for_reader) and must be the scan this
process would have made; when the helper's scan does not come, this process scans the sheet itself.
Where the helper scans the sheet, it also makes, parses and converts to text the second half
(workbook.TextRows) while this process does the first: the grid the reader builds of the two must
be the whole sheet's text, cell for cell, and when the helper's half does not come the sheet is
parsed here, whole.
"""

from __future__ import annotations

import datetime as dt
import io
import multiprocessing as mp
import os
import re
import threading
import zipfile
from pathlib import Path

import pytest
import python_calamine as calamine
import xlsxwriter
from typer.testing import CliRunner

import edgescreen.workbook as workbook
from field_builders import (_edit_zip, households, namespace_prefixed, workbook_with_filtered_rows,
                            workbook_with_formulas_without_saved_value, workbook_with_stray_cell)
from survey_builders import write_workbook
from edgescreen import runtime
from edgescreen.cli import app
from edgescreen.cells import cells_as_text
from edgescreen.read import _Grid, read_file
from edgescreen.runtime import ReadAhead
from edgescreen.rules import load_rules
from edgescreen.workbook import (RemoteScan, SheetHalves, TextRows, parse_workbook, scan_for_reader, scan_sheet,
                                 split_sheet)

PART = "xl/worksheets/sheet1.xml"
SHEET = "合隆镇"


def _cells(row: int, first_col: int, last_col: int) -> dict[tuple[int, int], object]:
    """A row of every kind of cell calamine reads: text, IDs as text, whole and fractional numbers,
    a date, a yes/no."""
    kinds = [f"户主{row}", f"22012219600101{row % 10000:04d}", 1200 + row, 30.92 + row,
             dt.date(2019, 1 + row % 12, 1), row % 2 == 0, "合隆镇", f"第{row % 7}组", f"备注 {row}", row * 7]
    return {(row, c): kinds[c % len(kinds)] for c in range(first_col, last_col + 1)}


def _rows(rows, first_col: int = 0, last_col: int = 9) -> dict[tuple[int, int], object]:
    return {k: v for r in rows for k, v in _cells(r, first_col, last_col).items()}


# Each shape is laid out so that the half it is about holds where the XML's middle falls; the test
# asserts it (the halves' ranges) before it compares the cells.
SHAPES = {
    # Every row filled, ten columns.
    "dense": (lambda: _rows(range(400)), lambda first, second: True),
    # A hundred rows of formatting without values (no cell calamine reads) in the middle: the second
    # half's range begins below them, and they come back as blank rows between the halves.
    "blank_rows_between": (lambda: {**_rows(range(200)), **_rows(range(300, 500))},
                           lambda first, second: second.start[0] == 300 and first.end[0] == 199),
    # The second half leaves columns A and B blank: calamine's range for it begins at column C.
    "second_half_from_column_c": (lambda: {**_rows(range(150)), **_rows(range(150, 400), 2)},
                                  lambda first, second: second.start[1] == 2),
    "first_half_wider": (lambda: {**_rows(range(130)), **_rows(range(130, 400), 0, 5)},
                         lambda first, second: first.end[1] == 9 and second.end[1] == 5),
    "second_half_wider": (lambda: {**_rows(range(280), 0, 5), **_rows(range(280, 400))},
                          lambda first, second: first.end[1] == 5 and second.end[1] == 9),
}


def _workbook(path: Path, cells: dict[tuple[int, int], object], merges=()) -> Path:
    """The cells on one sheet; rows between the first and the last without a value are written as
    rows of formatting (a row element with no cell calamine reads), as a printed form has them."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(SHEET)
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    shaded = book.add_format({"bg_color": "#EEEEEE"})
    filled = {r for r, _ in cells}
    for r in set(range(max(filled))) - filled:
        for c in range(10):
            sheet.write_blank(r, c, None, shaded)
    for (r, c), value in cells.items():
        if isinstance(value, dt.date):
            sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date)
        else:
            sheet.write(r, c, value)
    for first_row, first_col, last_row, last_col, value in merges:
        sheet.merge_range(first_row, first_col, last_row, last_col, value)
    book.close()
    return path


def _whole(path: Path):
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET)


def _whole_text(path: Path) -> list[list]:
    """The whole sheet as the reader's text grid: a list per column."""
    grid = _Grid.from_rows(_whole(path).to_python(skip_empty_area=False))
    return [cells_as_text(column).tolist() for column in grid.columns]


def _text(halves: SheetHalves) -> list[list]:
    """A sheet's halves as the reader joins them: a list of text per column."""
    grid = _Grid.joined(halves.as_text())
    assert grid.text_only
    return [column.tolist() for column in grid.columns]


def _halves(path: Path) -> SheetHalves:
    halves = split_sheet(path, PART)
    assert halves is not None, "not split"
    try:
        return workbook._parse_halves(halves, SHEET)
    finally:
        for half in halves:
            half.close()


@pytest.fixture
def small_blocks(monkeypatch):
    """A test's small sheet split as a large one is: any size, its XML looked at in blocks of 2 KB
    (row boundaries to split at)."""
    monkeypatch.setattr(workbook, "BLOCK_BYTES", 2048)
    monkeypatch.setattr(workbook, "SPLIT_BYTES", 1)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_sheet_parsed_in_two_halves_reads_as_the_whole_sheet(tmp_path, small_blocks, shape):
    cells, laid_out = SHAPES[shape]
    path = _workbook(tmp_path / "s.xlsx", cells())
    halves = _halves(path)
    # Split near the middle, as the shape wants it.
    assert 100 < halves.second.start[0] <= 300 and halves.first.end[0] < halves.second.start[0]
    assert laid_out(halves.first, halves.second)
    assert _text(halves) == _whole_text(path)


def test_merges_in_either_half_are_the_whole_sheets(tmp_path, small_blocks):
    # calamine finds the merges after the rows: they come with the second half, for the whole sheet.
    merges = [(2, 12, 4, 13, "合并上"), (350, 12, 360, 12, "合并下")]
    path = _workbook(tmp_path / "m.xlsx", _rows(range(400)), merges=merges)
    halves, whole = _halves(path), _whole(path)
    assert halves.first.end[0] < 350 < halves.second.end[0]
    rest = halves.as_text()[1]
    assert sorted(rest.merges) == sorted(whole.merged_cell_ranges) and len(whole.merged_cell_ranges) == 2
    assert _text(halves) == _whole_text(path)


def test_a_sheet_written_with_a_namespace_prefix_splits_and_reads_the_same(tmp_path, small_blocks):
    path = _workbook(tmp_path / "sdk.xlsx", SHAPES["dense"][0]())

    _edit_zip(path, lambda name, data: namespace_prefixed(data.decode("utf-8")).encode("utf-8") if name == PART
              else data)
    with zipfile.ZipFile(path) as zf:
        assert b"<x:sheetData>" in zf.read(PART)
    assert _text(_halves(path)) == _whole_text(path)


def test_without_memory_files_the_halves_are_buffers_and_read_the_same(tmp_path, small_blocks, monkeypatch):
    # Windows and macOS have no memfd: the halves are made in buffers, which calamine copies.
    monkeypatch.delattr(os, "memfd_create", raising=False)
    path = _workbook(tmp_path / "w.xlsx", SHAPES["blank_rows_between"][0]())
    halves = split_sheet(path, PART)
    assert all(isinstance(half, io.BytesIO) for half in halves)
    assert _text(workbook._parse_halves(halves, SHEET)) == _whole_text(path)


def test_rows_that_do_not_say_their_number_are_not_split(tmp_path, small_blocks):
    # A row without r="" is numbered by counting the rows before it: the second half would not know
    # them. Such a sheet is parsed whole.
    path = _workbook(tmp_path / "no-r.xlsx", SHAPES["dense"][0]())
    _edit_zip(path, lambda name, data: re.sub(rb'(<row\b[^>]*?) r="[0-9]+"', rb"\1", data) if name == PART else data)
    assert split_sheet(path, PART) is None


def _survey(tmp_path: Path, n: int = 300) -> Path:
    return write_workbook(tmp_path / "survey.xlsx", {SHEET: households(n)}, layout="two_row")


class _Given:
    def __init__(self, parsed):
        self.parsed = parsed

    def take(self, path):
        return self.parsed


def test_a_survey_split_in_two_is_read_as_one_parsed_whole(tmp_path, small_blocks):
    # The two-row header with merged groups, a 合计 row and a footer: the same households, rows and
    # provenance as the sheet parsed whole.
    path = _survey(tmp_path)
    rules = load_rules("changchun-2019").rules
    split = parse_workbook(path, split=True)
    assert isinstance(split.sheets[0].sheet, SheetHalves)
    whole = parse_workbook(path)
    assert not isinstance(whole.sheets[0].sheet, SheetHalves)
    frames = [read_file(path, rules, _Given(parsed))[0] for parsed in (split, whole)]
    assert len(frames[0]) == 300
    assert frames[0].equals(frames[1])


@pytest.mark.skipif(not hasattr(os, "memfd_create"), reason="halves in memory files: Linux")
def test_the_halves_memory_is_let_go_once_parsed(tmp_path, small_blocks, monkeypatch):

    def halves_open() -> int:
        return sum("edgescreen-half" in os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                   if os.path.exists(f"/proc/self/fd/{fd}"))

    made = []
    real_split = workbook.split_sheet
    monkeypatch.setattr(workbook, "split_sheet", lambda *a, **k: made.append(halves_open()) or real_split(*a, **k))
    parsed = parse_workbook(_survey(tmp_path), split=True)
    assert made == [0] and isinstance(parsed.sheets[0].sheet, SheetHalves)
    assert halves_open() == 0


def test_halves_calamine_cannot_read_give_way_to_the_whole_sheet(tmp_path, small_blocks, monkeypatch):

    def refuse(*a):
        raise ValueError("a half calamine cannot read")

    monkeypatch.setattr(workbook, "_parse_halves", refuse)
    parsed = parse_workbook(_survey(tmp_path), split=True)
    sheet = parsed.sheets[0].sheet
    assert not isinstance(sheet, SheetHalves)
    assert sheet.to_python(skip_empty_area=False) == _whole(tmp_path / "survey.xlsx").to_python(skip_empty_area=False)


def test_a_small_sheet_or_one_of_several_is_parsed_whole(tmp_path, monkeypatch):
    # Below SPLIT_BYTES the halves cost more than they save; a workbook of several sheets already
    # parses two sheets at once.
    monkeypatch.setattr(workbook, "BLOCK_BYTES", 2048)
    survey = _survey(tmp_path)
    assert split_sheet(survey, PART) is None
    assert not isinstance(parse_workbook(survey, split=True).sheets[0].sheet, SheetHalves)
    monkeypatch.setattr(workbook, "SPLIT_BYTES", 1)
    several = write_workbook(tmp_path / "t.xlsx", {"镇一": households(300), "镇二": households(300)})
    assert not any(isinstance(entry.sheet, SheetHalves) for entry in parse_workbook(several, split=True).sheets)


# ---------------------------------------------------------------------------------------------
# The scan, made by the helper


def _scanned_elsewhere(path: Path) -> tuple[RemoteScan, threading.Thread, list[str]]:
    """scan_for_reader in a thread, as the helper runs it, into a pipe; what `between` saw."""
    receive, send = mp.Pipe(duplex=False)
    between = []

    def scan():
        try:
            scan_for_reader(path, send.send, between=lambda: between.append("between"))
        finally:
            send.close()

    sender = threading.Thread(target=scan, daemon=True)
    sender.start()
    return RemoteScan(path, receive), sender, between


def _formulas_and_hidden(tmp_path: Path) -> Path:
    path = workbook_with_formulas_without_saved_value(tmp_path / "f.xlsx", households(6), {2})

    def hide(name: str, data: bytes) -> bytes:
        return data.replace(b'<row r="5"', b'<row r="5" hidden="1"') if name == PART else data

    return _edit_zip(path, hide)


def _filtered(tmp_path: Path) -> Path:
    records = [dict(h, 行政村=f"第{i % 3}村") for i, h in enumerate(households(9))]
    return workbook_with_filtered_rows(tmp_path / "filtered.xlsx", records, "第1村")


def test_the_helpers_scan_is_the_scan_this_process_would_make(tmp_path):
    path = _formulas_and_hidden(tmp_path)
    with zipfile.ZipFile(path) as zf:
        here = scan_sheet(zf, PART, stale=False)
    remote, sender, between = _scanned_elsewhere(path)
    reach = remote.reach(PART)
    assert not reach.complete and reach.formulas == {}  # what calamine waits for, sent first
    assert (reach.last_row, reach.last_col, reach.dimension, reach.xml_bytes) == \
        (here.last_row, here.last_col, here.dimension, here.xml_bytes)
    rest = remote.details()
    sender.join()
    assert between == ["between"]
    assert rest == here and rest.complete
    assert list(rest.formulas.values()) == ["=5000*2"] and rest.hidden_rows == [5]


@pytest.mark.parametrize("build", [_formulas_and_hidden, _filtered])
def test_a_workbook_scanned_by_the_helper_is_read_with_that_scan(tmp_path, build, monkeypatch):
    path = build(tmp_path)
    with zipfile.ZipFile(path) as zf:
        here = scan_sheet(zf, PART, stale=False)
    assert here.hidden_rows and (here.formulas or here.filter_rows)
    remote, sender, _ = _scanned_elsewhere(path)
    sender.join()
    # Nothing is scanned in this process.
    monkeypatch.setattr(workbook, "scan_reach", lambda *a: pytest.fail("scanned here"))
    monkeypatch.setattr(workbook, "scan_details", lambda *a: pytest.fail("scanned here"))
    assert parse_workbook(path, remote=remote).sheets[0].scan == here


def test_a_workbook_of_several_sheets_or_a_broken_one_is_left_to_the_reader(tmp_path):
    several = write_workbook(tmp_path / "t.xlsx", {"镇一": households(2), "镇二": households(2)})
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    for path in (several, broken):
        remote, sender, between = _scanned_elsewhere(path)
        assert remote.reach(PART) is None and remote.details() is None
        sender.join()
        assert between == ["between"]  # the helper lowers its priority all the same


def test_a_helper_scan_that_stops_halfway_is_finished_here(tmp_path):
    # The reach came, then the helper went (killed, out of memory): the formulas and hidden rows are
    # scanned here, and the workbook is read as if the helper had never scanned.
    path = _formulas_and_hidden(tmp_path)
    receive, send = mp.Pipe(duplex=False)
    with zipfile.ZipFile(path) as zf:
        send.send(("reach", workbook.scan_reach(zf, PART)))
    send.close()
    parsed = parse_workbook(path, remote=RemoteScan(path, receive))
    scan = parsed.sheets[0].scan
    assert scan.complete and list(scan.formulas.values()) == ["=5000*2"] and scan.hidden_rows == [5]
    # A helper gone before its first word: this process scans the sheet whole.
    receive, send = mp.Pipe(duplex=False)
    send.close()
    scan = parse_workbook(path, remote=RemoteScan(path, receive)).sheets[0].scan
    assert scan.complete and scan.hidden_rows == [5]


def test_the_helpers_scan_is_taken_for_its_own_workbook_only(tmp_path):
    # Every workbook's sheet is xl/worksheets/sheet1.xml: a scan made of another workbook (the
    # helper scans the run's first one) must not stand in for this one's, or its formulas go unseen.
    other = write_workbook(tmp_path / "other.xlsx", households(3))
    path = _formulas_and_hidden(tmp_path)
    remote, sender, _ = _scanned_elsewhere(other)
    sender.join()
    assert remote.reach(PART) is not None  # the same part name, a scan ready to be taken
    ahead = ReadAhead([path], remote)
    scan = ahead.take(path).sheets[0].scan
    assert list(scan.formulas.values()) == ["=5000*2"] and scan.hidden_rows == [5]


needs_the_fork = pytest.mark.skipif(not runtime.can_share() or "fork" not in mp.get_all_start_methods(),
                                    reason="the helper scans only where it is forked, on two cores or more")


@needs_the_fork
def test_a_run_scans_in_the_helper_parses_in_halves_and_writes_what_one_process_writes(tmp_path, monkeypatch,
                                                                                       small_blocks):
    path = _survey(tmp_path, 500)
    scanned_by = tmp_path / "scanned-by"
    real_reach = workbook._reach_of

    def recorded_reach(blocks, scan):
        with open(scanned_by, "a") as fh:  # the helper is forked: it writes its own pid
            fh.write(f"{os.getpid()}\n")
        return real_reach(blocks, scan)

    monkeypatch.setattr(workbook, "_reach_of", recorded_reach)
    converted_by = tmp_path / "converted-by"
    real_text_rows = workbook.TextRows.of.__func__

    def recorded_text_rows(cls, sheet):
        with open(converted_by, "a") as fh:
            fh.write(f"{sheet.start[0]} {os.getpid()}\n")  # the half's first row, who converted it
        return real_text_rows(cls, sheet)

    monkeypatch.setattr(workbook.TextRows, "of", classmethod(recorded_text_rows))
    split = []
    real_parse = workbook._parse_halves
    monkeypatch.setattr(workbook, "_parse_halves", lambda *a: split.append(a[0][1] is None) or real_parse(*a))
    monkeypatch.setattr(runtime, "MIN_BYTES_FOR_HELPER", 0)  # 500 households start the helper as a county's do
    args = ["screen", str(path), "--as-of", "2020-06-30"]
    shared = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "shared")])
    assert shared.exit_code == 0, shared.output
    assert split == [True], "this process parsed the first half alone"
    pids = scanned_by.read_text().split()
    assert len(pids) == 1 and int(pids[0]) != os.getpid()
    (_, here), (_, there) = sorted(tuple(map(int, line.split())) for line in converted_by.read_text().splitlines())
    assert (here, there) == (os.getpid(), int(pids[0])), "the first half made into text here, the second by the helper"
    monkeypatch.setenv("EDGESCREEN_DEBUG", "1")
    alone = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "alone")])
    assert alone.exit_code == 0, alone.output
    assert split == [True]  # everything in this process, in order: no halves
    for name in ("decisions.csv", "issues.csv"):
        assert (tmp_path / "shared" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes(), name


# ---------------------------------------------------------------------------------------------
# The second half made by the helper, as text


def _joined_here_and_there(path: Path) -> _Grid:
    """The first half parsed and converted here, the second as the helper makes it (TextRows, sent
    through a pipe as the helper sends it), joined as the reader joins them."""
    halves = split_sheet(path, PART, second=False)
    assert halves is not None and halves[1] is None, "the first half alone"
    receive, send = mp.Pipe(duplex=False)
    with zipfile.ZipFile(path) as zf:
        workbook._second_half_for_reader(zf, SHEET, PART, False, send.send)
    assert [receive.recv()[0] for _ in range(3)] == ["first", "reach", "details"]
    kind, rest = receive.recv()
    assert kind == "half" and isinstance(rest, TextRows)
    first = workbook._parse_halves(halves, SHEET).first
    halves[0].close()
    return _Grid.joined(SheetHalves(first, rest=lambda: rest).as_text()), rest


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_helpers_half_as_text_joins_this_half_into_the_whole_sheets_text(tmp_path, small_blocks, shape):
    cells, _ = SHAPES[shape]
    path = _workbook(tmp_path / "s.xlsx", cells())
    grid, rest = _joined_here_and_there(path)
    assert rest.rows and rest.top > 100  # split after the first half
    assert grid.text_only and [column.tolist() for column in grid.columns] == _whole_text(path)


def test_the_helpers_half_brings_the_sheets_merges(tmp_path, small_blocks):
    merges = [(2, 12, 4, 13, "合并上"), (350, 12, 360, 12, "合并下")]
    path = _workbook(tmp_path / "m.xlsx", _rows(range(400)), merges=merges)
    grid, rest = _joined_here_and_there(path)
    assert sorted(rest.merges) == sorted(_whole(path).merged_cell_ranges) and len(rest.merges) == 2
    assert [column.tolist() for column in grid.columns] == _whole_text(path)


class _Cells:
    """A calamine sheet's face, for cells no XML can hold."""

    def __init__(self, rows, start):
        self.rows, self.start, self.merged_cell_ranges = rows, start, []

    def to_python(self, skip_empty_area=True):
        return self.rows


def test_a_column_whose_text_holds_a_nul_comes_whole_as_a_list():
    rows = [["a\0b", 1.0], ["c", 2.5], [None, "d"]]
    rest = TextRows.of(_Cells(rows, (7, 2))).packed()
    assert (rest.top, rest.left, rest.rows) == (7, 2, 3)
    assert isinstance(rest.columns[0], list) and isinstance(rest.columns[1], str)
    assert rest.column(0) == ["a\0b", "c", ""] and rest.column(1) == ["1", "2.5", "d"]
    empty = TextRows.of(_Cells([], None)).packed()
    assert (empty.rows, empty.columns) == (0, [])


def _helper_for(path: Path, stop_before_half: bool = False) -> RemoteScan:
    """scan_for_reader run to the end in a thread, as the helper runs it; or stopped (the helper
    gone) once the details are sent, before its half."""
    receive, send = mp.Pipe(duplex=False)

    def sending(message):
        if stop_before_half and message[0] == "half":
            raise OSError("the helper is gone")
        send.send(message)

    def scan():
        try:
            scan_for_reader(path, sending, between=lambda: None)
        except OSError:
            pass
        finally:
            send.close()

    threading.Thread(target=scan, daemon=True).start()
    return RemoteScan(path, receive)


@pytest.mark.parametrize("gone", [False, True])
def test_a_survey_read_with_the_helpers_half_or_without_it_is_read_as_one_parsed_whole(tmp_path, small_blocks,
                                                                                       monkeypatch, gone):
    path = _survey(tmp_path)
    rules = load_rules("changchun-2019").rules
    made_here = []
    real_whole = workbook._whole_sheet
    monkeypatch.setattr(workbook, "_whole_sheet", lambda *a: made_here.append(1) or real_whole(*a))
    halved = parse_workbook(path, remote=_helper_for(path, stop_before_half=gone), split=True)
    sheet = halved.sheets[0].sheet
    assert isinstance(sheet, SheetHalves) and sheet.second is None and sheet.rest is not None
    frame = read_file(path, rules, _Given(halved))[0]
    assert made_here == ([1] if gone else []), "parsed whole here only when the helper's half did not come"
    whole = read_file(path, rules, _Given(parse_workbook(path)))[0]
    assert len(frame) == 300 and frame.equals(whole)


def test_the_helpers_half_is_let_go_of_when_the_sheet_is_parsed_another_way(tmp_path, small_blocks):
    # Parsed whole here (no split asked for): the helper still makes its half, and the session must
    # not hold its text for the rest of the run.
    path = _survey(tmp_path)
    remote = _helper_for(path)
    parsed = parse_workbook(path, remote=remote, split=False)
    assert not isinstance(parsed.sheets[0].sheet, SheetHalves)
    assert remote.half() is None
    # Asked for, it is held until taken, once.
    remote = _helper_for(path)
    parsed = parse_workbook(path, remote=remote, split=True)
    assert parsed.sheets[0].sheet.rest is not None
    assert isinstance(remote.half(), TextRows) and remote.half() is None


# ---------------------------------------------------------------------------------------------
# The sheet streamed once by the helper: the first half parsed on its own half's reach


def test_the_first_half_goes_to_calamine_before_the_whole_sheets_reach_is_known(tmp_path, small_blocks, monkeypatch):
    # The helper streams the sheet once; the reach of its first half comes as soon as the stream is
    # past it. This process must not wait for the whole sheet's: the helper here holds that back
    # until the first half's parse has begun (up to 10 s, then the test fails).
    path = _survey(tmp_path)
    begun = threading.Event()
    real_parse = workbook._parse_halves
    monkeypatch.setattr(workbook, "_parse_halves", lambda *a: begun.set() or real_parse(*a))
    receive, send = mp.Pipe(duplex=False)
    held_back = []

    def sending(message):
        if message[0] == "reach":
            held_back.append(not begun.wait(10))
        send.send(message)

    def scan():
        try:
            scan_for_reader(path, sending, between=lambda: None)
        finally:
            send.close()

    threading.Thread(target=scan, daemon=True).start()
    parsed = parse_workbook(path, remote=RemoteScan(path, receive), split=True)
    assert held_back == [False], "the first half waited for the whole sheet's reach"
    rules = load_rules("changchun-2019").rules
    frame = read_file(path, rules, _Given(parsed))[0]
    assert frame.equals(read_file(path, rules, _Given(parse_workbook(path)))[0])


@pytest.mark.parametrize("far_in", ["first half", "second half"])
def test_a_far_cell_in_either_half_is_read_sparse_with_the_helpers_scan(tmp_path, small_blocks, monkeypatch, far_in):
    # A stray space far to the right (XFD) in a row of the first half: the first half's reach is
    # far, and the half waits for the whole sheet's reach, which reads the sheet sparse. A stray
    # space at W1048576, after the last row: the first half goes to calamine on its own reach, the
    # helper sees the whole reach is far and parses no half, and the sheet is read sparse here.
    records = households(300)
    row, column = (5, 16_383) if far_in == "first half" else (1_048_575, 22)
    path = workbook_with_stray_cell(tmp_path / "stray.xlsx", records, row, column)
    early = []
    real_may = workbook._first_half_may_parse
    monkeypatch.setattr(workbook, "_first_half_may_parse", lambda *a: early.append(real_may(*a)) or early[-1])
    parsed = parse_workbook(path, remote=_helper_for(path), split=True)
    assert early == [far_in == "second half"]
    scan = parsed.sheets[0].scan
    assert scan.sparse and scan.complete
    rules = load_rules("changchun-2019").rules
    frame = read_file(path, rules, _Given(parsed))[0]
    assert len(frame) == 300 and frame["head_id"].is_unique
    assert frame.equals(read_file(path, rules, _Given(parse_workbook(path)))[0])
