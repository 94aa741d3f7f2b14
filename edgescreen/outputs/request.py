"""信息比对申请名单: the list of every person of a screen that the county sends, the same to every
department, to learn who is on their rosters (after-screening §1). `edgescreen screen --request-list`
writes it into the output folder (信息比对/信息比对申请名单.xlsx):

    from edgescreen.outputs.request import request_rows, write_request_list
    rows = request_rows(result.households, result.members, "zh")   # one row per person asked about
    write_request_list(result, "信息比对申请名单.xlsx")

Every household of the screen, whatever its status, and every member linked to it where a members
table was read; a household without members listed is asked about by its head alone (the sheet says
so). A person in two households is listed in each: the department answers for both. An ID that is
blank or not valid is listed as typed, so that nobody drops out unseen. IDs are printed whole, as
text: the list goes to a department, never onto a wall.

The department fills 比对结果 and gives the workbook back; `--roster KIND=FILE` reads it
(rosters._answered_yes): only the rows answered yes are on its roster. The workbook carries its
identity as the register's documents do (documents.stamp): the request id, the screen's inputs and
day, and per row a key and a hash of its printed cells, so a copy sorted, widened by a column or
saved as .xls is still known for what it is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Lang, label, target_of
from ..result import Result
from ..request_rows import HASHED, request_rows  # noqa: F401 (the list's rows: core, the roster reader reads them too)
from ..rosters import IDENTITY_SHEET, REQUEST_STEP, identity_part
from .sheetdata import MAX_SHEET_ROWS, LongColumn, LongTables, sheet_parts
from .xlsx import (
    TITLE_SIZE,
    Column,
    cell_formats,
    digest_property,
    line_width,
    new_workbook,
    print_signed,
    setup_print,
    signature_lines,
    text_height,
    wrapped_heights,
    write_block,
    write_table,
    write_title,
)

# The printed columns: the frame's key (also its header's label), width in characters, cell format.
# 比对结果 and 备注 are left blank for the department; the ID is a text cell (@), so that one typed
# or pasted over stays 18 characters and never becomes a number.
COLUMNS = (Column("request_seq", 6, "center"), Column("request_township", 10, "cell"),
           Column("request_village", 10, "cell"), Column("request_household_id", 17, "household_code"),
           Column("request_head_name", 10, "cell"), Column("request_name", 10, "cell"),
           Column("request_relation", 11, "center_wrap"), Column("request_id", 25, "id_text"),
           Column("request_result", 10, "center"), Column("request_note", 14, "cell"))
KEPT = ("request_head_name", "request_name", "request_relation")
ROW_HEIGHT = 20  # points: one line of 11-point text with room around it
LINE_HEIGHT = 22


def _county(result: Result, lang: Lang) -> str:
    """The county the title names: the one the survey gives (its 县(市、区) column, or its forms' titles:
    Result.county), else a blank to write it in."""
    return result.county() or label("request_county_unknown", lang)


def request_id(result: Result) -> str:
    """The request's id: the screen's inputs (their SHA-256) and the day it is as of, hashed. The same
    screen of the same files asks the same request."""
    parts = [record.sha256 for record in result.inputs] + [result.as_of.isoformat()]
    return "rq-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _identity(result: Result, rows: pd.DataFrame, sheet: str, lang: Lang):
    """The list's identity, and its rows as the identity sheet holds them (seq, key, hash, the kept
    cells; each as documents.cell_text writes a cell: NFKC, trimmed): written beside the workbook's
    other tables (LongTables), not cell by cell as documents.stamp writes a short document's."""
    from ..register.documents import Identity, row_hashes  # the register's identity, its modules on demand

    printed = rows[[k for k in HASHED]].astype(str)
    table = pd.DataFrame({"seq": rows["request_seq"].astype(str).to_numpy(dtype=object),
                          "key": rows["key"].to_numpy(dtype=object), "hash": row_hashes(printed).to_numpy(dtype=object),
                          **{label(k, lang): rows[k].astype("string").fillna("").str.normalize("NFKC").str.strip()
                             .to_numpy(dtype=object) for k in KEPT}})
    inputs = ",".join(record.sha256[:16] for record in result.inputs)
    identity = Identity(doc_id=request_id(result), step=REQUEST_STEP, sheet=sheet,
                        scope=f"as_of={result.as_of.isoformat()};inputs={inputs}",
                        headers=tuple(label(k, lang) for k in KEPT), rows=None)
    return identity, table


def write_request_list(result: Result, path: str | Path, *, lang: Lang = "zh") -> pd.DataFrame:
    """Write the 信息比对申请名单 of a screen to `path` (A4 landscape, fitted to the page's width, its
    header repeated on every page, the department's seal and signer below the last rows) with its
    identity, worded under the rule set the screen was decided by. A list past Excel's row limit
    continues on further sheets (信息比对申请名单(2) …), each saying which part it is. Returns the
    rows written."""
    with target_of(result.loaded_rules.rules.target_words()):
        return _write_request_list(result, Path(path), lang)


def _write_request_list(result: Result, path: Path, lang: Lang) -> pd.DataFrame:
    from ..register.documents import stamp

    rows = request_rows(result.households, result.members, lang)
    households = len(result.households)
    listed_members = np.zeros(households, dtype=bool)
    if result.members is not None:
        linked = result.members.frame["hh"].to_numpy()
        listed_members[linked[linked >= 0]] = True
    heads_only = int((~listed_members).sum())
    codes = rows["request_household_id"].astype(str).str.strip()
    has_code = codes.ne("").any()
    columns = [c for c in COLUMNS if has_code or c.key != "request_household_id"]
    if has_code:
        # As wide as the longest 户编号 on one line: centred in a narrower column, 2201221401001001
        # printed cut at both ends as 20122140100100, another number. The scale fits the page to it.
        longest = codes.iloc[int(codes.str.len().to_numpy().argmax())]
        columns = [c._replace(width=max(c.width, line_width(longest))) if c.key == "request_household_id" else c
                   for c in columns]
    del codes
    widths = [c.width for c in columns]
    width, last = sum(widths), len(columns) - 1

    book = new_workbook(path, fixed_scale=True)
    # The rows are made as XML a slice at a time after the workbook is closed: a county's million
    # people made at once (and the identity's six million cells kept by xlsxwriter) took 3.6 GB.
    tables = LongTables(book)
    formats = cell_formats(book, lang)
    font = {"font_name": formats.font["font_name"]}
    formats["line"] = book.add_format({**font, "font_size": 11, "valign": "vcenter", "text_wrap": True})
    # Centred without an indent: 18 digits fit in LibreOffice's wider digits too.
    formats["id_text"] = book.add_format({**font, "font_size": 11, "border": 1, "align": "center",
                                          "valign": "vcenter", "num_format": "@"})
    # A 户编号 of wider letters than the longest's digits shrinks rather than print cut.
    formats["household_code"] = book.add_format({**font, "font_size": 11, "border": 1, "align": "center",
                                                 "valign": "vcenter", "shrink": True})
    formats["privacy"] = book.add_format({**font, "font_size": 11, "bold": True, "valign": "vcenter",
                                          "text_wrap": True, "font_color": "#B00020"})
    long_columns = [LongColumn(c.key, formats[c.fmt]) for c in columns]
    sheet = label("request_sheet", lang)
    title = label("request_title", lang, county=_county(result, lang))
    lines = [(label("request_to", lang), formats["line"]), (label("request_how", lang), formats["line"])]
    if heads_only:
        lines.append((label("request_heads_only", lang, count=f"{heads_only:,}"), formats["line"]))
    privacy = (label("request_privacy", lang), formats["privacy"])
    heights = wrapped_heights(rows, columns, ROW_HEIGHT)
    # Above the rows: the title, the lines, the header; after them the count, a blank row, the signatures.
    parts, capacity = sheet_parts(len(rows), 1 + len(lines) + 1 + 1, 3)
    names = [sheet if part == 1 else label("sheet_part", lang, name=sheet, part=part) for part in range(1, parts + 1)]
    for part, name in enumerate(names, start=1):
        start, stop = (part - 1) * capacity, min(part * capacity, len(rows))
        ws = book.add_worksheet(name)
        write_title(ws, 0, 0, last, title, formats["title"], width=width, font_size=TITLE_SIZE, least=32)
        above = list(lines) if part == 1 else []
        if parts > 1:
            # Which part this is, and where the rest is: a department given one sheet printed answers it alone.
            where = label("request_part_next" if part == 1 else "request_part_between" if part < parts
                          else "request_part_last", lang, previous=names[part - 2], next=names[part % parts])
            said = label("request_part", lang, part=part, parts=parts, first=f"{start + 1:,}", last=f"{stop:,}",
                         total=f"{len(rows):,}", where=where, limit=f"{MAX_SHEET_ROWS:,}")
            above.append((said, formats["line"]))
        above.append(privacy)
        for row, (text, fmt) in enumerate(above, start=1):
            write_block(ws, row, 0, last, text, fmt, max(LINE_HEIGHT, text_height(text, width)))
        header_row = len(above) + 1
        end = write_table(ws, header_row, columns, rows.iloc[:0], formats, lang, empty_row=not len(rows))
        if len(rows):
            end = tables.add(ws, header_row + 1, long_columns, rows.iloc[start:stop], heights=heights[start:stop])
        stop_row = end
        if part == parts:
            count = label("request_count", lang, households=f"{households:,}", people=f"{len(rows):,}")
            write_block(ws, end, 0, last, count, formats["line"], LINE_HEIGHT)
            signs = [label(k, lang) for k in ("request_sign_unit", "request_sign_clerk", "request_sign_date")]
            stop_row = signature_lines(ws, end + 1, widths, signs, formats["sign"])
        running = title if parts == 1 else label("sheet_part", lang, name=title, part=part)
        setup_print(ws, lang, header_row=header_row, landscape=True, running_title=running)
        # The count and the department's seal print with the last rows, never on a page of their own.
        print_signed(ws, widths, header_row, end, stop_row, heights[start:stop], row=ROW_HEIGHT, landscape=True)
    identity, kept = _identity(result, rows, sheet, lang)
    stamp(book, identity)
    _identity_rows(book, tables, kept)
    book.set_custom_property("edgescreen_as_of", result.as_of.isoformat())
    # The inputs' SHA-256s joined passed Excel's 255 characters from 4 files on: their digest (run.json lists each).
    book.set_custom_property("edgescreen_inputs", digest_property([record.sha256 for record in result.inputs]))
    tables.close(path)
    return rows


def _identity_rows(book, tables: LongTables, kept: pd.DataFrame) -> None:
    """The identity's rows under the table header documents.stamp wrote, on as many very hidden sheets
    as Excel's row limit asks for: the identity sheet, then identity_part(2) … each with the header
    again (the roster reader reads them in turn: rosters._sent_rows)."""
    ws = book.get_worksheet_by_name(IDENTITY_SHEET)
    first = ws.dim_rowmax + 1
    normal = book.formats[0]  # the Normal style (xf 0), as documents.stamp writes its cells
    columns = [LongColumn(name, normal, plain=name in ("seq", "key", "hash")) for name in kept.columns]
    capacity = MAX_SHEET_ROWS - first
    tables.add(ws, first, columns, kept.iloc[:capacity])
    for part, start in enumerate(range(capacity, len(kept), MAX_SHEET_ROWS - 1), start=2):
        ws = book.add_worksheet(identity_part(part))
        for c, name in enumerate(kept.columns):
            ws.write_string(0, c, name)
        tables.add(ws, 1, columns, kept.iloc[start:start + MAX_SHEET_ROWS - 1])
        ws.very_hidden()


class RequestOutput:
    """The request list as an output of a screen's folder (write_outputs' `extra`: `name` inside the
    folder, called with its path); `people`, the rows it wrote, once written."""

    def __init__(self, result: Result, lang: Lang):
        self.result, self.lang = result, lang
        self.name = f"{label('request_folder', lang)}/{label('request_file', lang)}"
        self.people: int | None = None

    def __call__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.people = len(write_request_list(self.result, path, lang=self.lang))
