"""Workbooks parsed ahead: in a background thread, one file ahead of the one being converted, and
for the command line from before pandas is loaded. Nothing about a run may change but its speed."""

from __future__ import annotations

import subprocess
import sys
import threading

import pandas as pd
from typer.testing import CliRunner

from survey_builders import HEADERS, household, write_workbook
from edgescreen.cli import app
from edgescreen.runtime import ReadAhead
from edgescreen.workbook import ParsedWorkbook, parse_workbook
from edgescreen.pipeline import screen


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def township_files(folder, n_files=4, per_file=5):
    paths = []
    for i in range(n_files):
        rows = [household(**{"乡(镇)": f"镇{i}", "户主姓名": f"户主{i}-{j}", "工资性收入": 9000 + 100 * j})
                for j in range(per_file)]
        paths.append(write_workbook(folder / f"镇{i}.xlsx", rows))
    return paths


def test_the_command_line_starts_reading_before_pandas_is_loaded():
    # Importing the CLI (and what it needs to start a read-ahead) must not load pandas: the parse of
    # the first workbook overlaps with that import.
    code = ("import sys, edgescreen.cli, edgescreen.inputs, edgescreen.runtime, edgescreen.outputs; "
            "print(sorted(m for m in ('pandas', 'numpy', 'xlsxwriter') if m in sys.modules))")
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert printed.strip() == "[]"


def test_screen_starts_the_parse_before_it_loads_pandas(tmp_path):
    # The import test above holds for the modules; this one for the command's own order: the
    # read-ahead must be started before the pipeline (and pandas) is imported.
    path = write_workbook(tmp_path / "s.xlsx", [household()])
    code = ("import sys, edgescreen.runtime as I; start = I.ReadAhead.__init__\n"
            "def spy(self, *args):\n"
            "    print('pandas loaded at read-ahead:', 'pandas' in sys.modules, flush=True)\n"
            "    start(self, *args)\n"
            "I.ReadAhead.__init__ = spy\n"
            "import edgescreen.cli as cli; sys.argv = ['edgescreen', 'screen', sys.argv[1], '-o', sys.argv[2]]; cli.main()")
    done = subprocess.run([sys.executable, "-c", code, str(path), str(tmp_path / "out")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "pandas loaded at read-ahead: False" in done.stdout, done.stdout


def test_read_ahead_parses_in_input_order_one_file_ahead(tmp_path, monkeypatch):
    paths = township_files(tmp_path)
    started: list[str] = []
    lock = threading.Lock()

    def recording(path, *args):
        with lock:
            started.append(path.name)
        return parse_workbook(path, *args)

    monkeypatch.setattr("edgescreen.runtime.parse_workbook", recording)
    ahead = ReadAhead(paths)
    ahead._running[paths[0]].join()
    assert started == ["镇0.xlsx"]  # only the first, at once
    first = ahead.take(paths[0])
    assert isinstance(first, ParsedWorkbook) and [entry.name for entry in first.sheets] == ["Sheet1"]
    ahead._running[paths[1]].join()
    assert started == ["镇0.xlsx", "镇1.xlsx"]  # the next starts when one is taken, not all at once
    for path in paths[1:]:
        ahead.take(path)
    assert started == [p.name for p in paths]


def test_many_files_screen_the_same_with_or_without_read_ahead(tmp_path):
    paths = township_files(tmp_path)
    with_ahead = screen(paths, as_of=pd.Timestamp("2020-06-30").date(), workbooks=ReadAhead(paths)).ledger
    without = screen(paths, as_of=pd.Timestamp("2020-06-30").date()).ledger  # every file parsed when reached
    pd.testing.assert_frame_equal(with_ahead, without)
    assert with_ahead["source_file"].tolist() == [p.name for p in paths for _ in range(5)]
    assert with_ahead["row"].tolist() == [2, 3, 4, 5, 6] * 4


def test_an_earlier_file_is_reported_before_a_broken_later_one(tmp_path):
    # File 2 is parsed (and found broken) while file 1 is still being read; the message is still about
    # file 1, the first problem in input order, as it was when files were read one after another.
    headers = [h if h != "家庭常住人口数" else "常驻" for h in HEADERS]
    first = write_workbook(tmp_path / "a.xlsx", [household()], headers=headers)
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    result = run("screen", first, broken, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "a.xlsx" in result.output and "缺少必填列" in result.output
    result = run("screen", broken, first, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "b.xlsx" in result.output and "不是工作簿" in result.output
    assert not (tmp_path / "out").exists()


def test_every_sheet_is_parsed_ahead_in_order_each_after_its_scan(tmp_path, monkeypatch):
    # A sheet per township: two handles on the file parse two sheets at a time; the order is kept.
    import python_calamine

    import edgescreen.workbook as workbook

    opened = []
    open_path = python_calamine.CalamineWorkbook.from_path
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path",
                        lambda p: opened.append(p) or open_path(p))
    # With several sheets, each is scanned whole (one pass) before calamine gets it: two calamine
    # threads keep both cores busy, and no second pass runs beside them.
    whole_at_parse = []
    real_parse = workbook._parse_sheet
    monkeypatch.setattr(workbook, "_parse_sheet",
                        lambda *a: whole_at_parse.append(a[2].scan.complete) or real_parse(*a))
    sheets = {f"镇{i}": [household(**{"乡(镇)": f"镇{i}", "户主姓名": f"户主{i}"})] for i in range(7)}
    path = write_workbook(tmp_path / "t.xlsx", sheets)
    parsed = parse_workbook(path)
    assert whole_at_parse == [True] * 7
    assert len(opened) == 2
    assert [entry.name for entry in parsed.sheets] == list(sheets)
    assert [entry.sheet.to_python()[1][4] for entry in parsed.sheets] == [f"户主{i}" for i in range(7)]
    # Each sheet was scanned before calamine got it (its reach known), and holds no formula.
    assert all(entry.scan is not None and entry.scan.last_row == 2 and entry.scan.formulas == {}
               for entry in parsed.sheets)


def test_calamine_starts_once_the_first_sheets_reach_is_scanned_and_the_rest_of_the_scan_follows(tmp_path,
                                                                                                monkeypatch):
    # The read-ahead's caller waits for `begun` (it leaves the GIL to the scan): set only after the
    # first sheet's reach is known, and before calamine parses. Formulas and hidden rows are scanned
    # while calamine parses, and are all there when the workbook is handed over.
    import edgescreen.workbook as workbook

    begun = threading.Event()
    events = []
    real_reach, real_details, real_parse = workbook.scan_reach, workbook.scan_details, workbook._parse_sheet
    monkeypatch.setattr(workbook, "scan_reach", lambda *a: events.append(("reach", begun.is_set())) or real_reach(*a))
    monkeypatch.setattr(workbook, "scan_details", lambda *a: events.append(("details", begun.is_set())) or real_details(*a))
    monkeypatch.setattr(workbook, "_parse_sheet",
                        lambda *a: events.append(("parse", begun.is_set(), a[2].scan.last_row)) or real_parse(*a))
    from field_builders import workbook_with_formulas_without_saved_value

    rows = [household(**{"户主姓名": f"户主{j}"}) for j in range(4)]
    parsed = parse_workbook(workbook_with_formulas_without_saved_value(tmp_path / "f.xlsx", rows, {2}), begun)
    assert events[0] == ("reach", False)
    assert ("parse", True, 5) in events  # the reach was known when calamine got the sheet
    assert [e[0] for e in events].count("details") == 1  # before or during the parse
    scan = parsed.sheets[0].scan
    assert scan.complete and scan.last_row == 5 and list(scan.formulas.values()) == ["=5000*2"]


def test_a_scan_whose_second_pass_fails_is_let_go_of_and_the_sheet_still_parses(tmp_path, monkeypatch):
    # A part the scan cannot stream a second time (a damaged stream calamine may still read): the
    # sheet is parsed as calamine reads it, with no scan, as when a scan fails whole.
    import edgescreen.workbook as workbook

    def broken(*a):
        raise ValueError("a damaged stream")

    monkeypatch.setattr(workbook, "scan_details", broken)
    rows = [household(**{"户主姓名": f"户主{j}"}) for j in range(3)]
    parsed = parse_workbook(write_workbook(tmp_path / "f.xlsx", rows))
    entry = parsed.sheets[0]
    assert entry.scan is None
    assert [r[4] for r in entry.sheet.to_python()[1:]] == ["户主0", "户主1", "户主2"]


def test_the_read_ahead_waits_for_a_slow_scan_no_longer_than_its_head_start(tmp_path, monkeypatch):
    # A province's sheet takes seconds to scan: the caller goes on after HEAD_START (to load the
    # library and show its progress) rather than wait the scan out; the workbook comes all the same.
    import time

    import edgescreen.runtime as runtime
    import edgescreen.workbook as workbook

    released = threading.Event()
    real_reach = workbook.scan_reach
    monkeypatch.setattr(workbook, "scan_reach", lambda *a: released.wait(30) and real_reach(*a))
    monkeypatch.setattr(runtime, "HEAD_START", 0.05)
    path = write_workbook(tmp_path / "f.xlsx", [household(**{"户主姓名": "户主甲"})])
    started = time.monotonic()
    ahead = ReadAhead([path])
    waited = time.monotonic() - started
    released.set()
    assert waited < 10  # not the 30 s the scan is held back
    assert ahead.take(path).sheets[0].sheet.to_python()[1][4] == "户主甲"
