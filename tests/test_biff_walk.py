"""The .xls record walk (biff.py) on hand-built BIFF8 records: a chart embedded in a sheet keeps its
own cached values (an error among them is no household's), and a record cut off by a damaged stream
ends the walk without losing what came before it: the hidden rows and error cells the same walk
finds decide households (a #N/A read as blank would be a 0)."""

from __future__ import annotations

import struct

from edgescreen import biff


def _record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof() -> bytes:
    return _record(biff._BOF, struct.pack("<HH", biff._BIFF8, 0x0010) + bytes(12))


def _hidden_row(row: int) -> bytes:  # ROW: rw, colMic, colMac, miyRw, 2 reserved, grbit (fDyZero)
    return _record(biff._ROW, struct.pack("<HHHHHHH", row - 1, 0, 20, 255, 0, 0, biff._ROW_HIDDEN) + bytes(2))


def _na(row: int, col: int) -> bytes:  # BOOLERR holding #N/A (0x2A)
    return _record(biff._BOOLERR, struct.pack("<HHHBB", row - 1, col, 15, 0x2A, 1))


def test_a_charts_cached_error_is_not_the_sheets_and_the_sheets_own_are_found():
    chart = _bof() + _na(1, 1) + _record(biff._EOF, b"")  # series 0's cached #N/A, as a chart keeps it
    data = _bof() + _hidden_row(4) + chart + _na(5, 9) + _record(biff._EOF, b"")
    rows, _ = biff._sheet_rows(data, 0, frozenset(), False)
    assert rows.hidden == [4]
    assert rows.errors == {(5, 9): "#N/A"}


def test_a_record_cut_off_ends_the_walk_keeping_what_came_before():
    cut = struct.pack("<HH", biff._NUMBER, 14) + b"\x04\x00\x09"  # says 14 bytes, 3 left
    data = _bof() + _hidden_row(4) + _na(5, 9) + cut
    rows, _ = biff._sheet_rows(data, 0, frozenset({15}), True)
    assert rows.hidden == [4] and rows.errors == {(5, 9): "#N/A"}
    assert list(biff._records(data, 0))[-1][0] == biff._BOOLERR  # the cut record never yielded
