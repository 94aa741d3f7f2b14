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
from ..normalise import normalise_place
from ..result import Result
from ..request_rows import HASHED, request_rows  # noqa: F401 (the list's rows: core, the roster reader reads them too)
from ..rosters import REQUEST_STEP
from .xlsx import (
    TITLE_SIZE,
    Column,
    cell_formats,
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


def _county(households: pd.DataFrame, lang: Lang) -> str:
    """The county the title names: the one the survey gives, else a blank to write it in."""
    if "county" in households.columns:
        named = set(normalise_place(households["county"]).dropna()) - {""}
        if len(named) == 1:
            return named.pop()
    return label("request_county_unknown", lang)


def request_id(result: Result) -> str:
    """The request's id: the screen's inputs (their SHA-256) and the day it is as of, hashed. The same
    screen of the same files asks the same request."""
    parts = [record.sha256 for record in result.inputs] + [result.as_of.isoformat()]
    return "rq-" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]


def _identity(result: Result, rows: pd.DataFrame, sheet: str, lang: Lang):
    from ..register.documents import Identity, row_hashes  # the register's identity, its modules on demand

    printed = rows[[k for k in HASHED]].astype(str)
    kept = pd.DataFrame({label(k, lang): rows[k].to_numpy(dtype=object) for k in KEPT})
    table = pd.concat([pd.DataFrame({"seq": rows["request_seq"].to_numpy(), "key": rows["key"].to_numpy(),
                                     "hash": row_hashes(printed).to_numpy()}), kept], axis=1)
    inputs = ",".join(record.sha256[:16] for record in result.inputs)
    return Identity(doc_id=request_id(result), step=REQUEST_STEP, sheet=sheet,
                    scope=f"as_of={result.as_of.isoformat()};inputs={inputs}",
                    headers=tuple(kept.columns), rows=table)


def write_request_list(result: Result, path: str | Path, *, lang: Lang = "zh") -> pd.DataFrame:
    """Write the 信息比对申请名单 of a screen to `path` (A4 landscape, fitted to the page's width, its
    header repeated on every page, the department's seal and signer below the last rows) with its
    identity, worded under the rule set the screen was decided by. Returns the rows written."""
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
    widths = [c.width for c in columns]
    width, last = sum(widths), len(columns) - 1

    book = new_workbook(path, fixed_scale=True)
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
    sheet = label("request_sheet", lang)
    ws = book.add_worksheet(sheet)
    title = label("request_title", lang, county=_county(result.households, lang))
    write_title(ws, 0, 0, last, title, formats["title"], width=width, font_size=TITLE_SIZE, least=32)
    lines = [(label("request_to", lang), formats["line"]), (label("request_how", lang), formats["line"])]
    if heads_only:
        lines.append((label("request_heads_only", lang, count=f"{heads_only:,}"), formats["line"]))
    lines.append((label("request_privacy", lang), formats["privacy"]))
    for row, (text, fmt) in enumerate(lines, start=1):
        write_block(ws, row, 0, last, text, fmt, max(LINE_HEIGHT, text_height(text, width)))
    header_row = len(lines) + 1
    heights = wrapped_heights(rows, columns, ROW_HEIGHT)
    end = write_table(ws, header_row, columns, rows, formats, lang, heights=heights)
    count = label("request_count", lang, households=f"{households:,}", people=f"{len(rows):,}")
    write_block(ws, end, 0, last, count, formats["line"], LINE_HEIGHT)
    signs = [label(k, lang) for k in ("request_sign_unit", "request_sign_clerk", "request_sign_date")]
    stop = signature_lines(ws, end + 1, widths, signs, formats["sign"])
    setup_print(ws, lang, header_row=header_row, landscape=True, running_title=title)
    # The count and the department's seal print with the last rows, never on a page of their own.
    print_signed(ws, widths, header_row, end, stop, heights, row=ROW_HEIGHT, landscape=True)
    stamp(book, _identity(result, rows, sheet, lang))
    book.set_custom_property("edgescreen_as_of", result.as_of.isoformat())
    book.set_custom_property("edgescreen_inputs", ",".join(record.sha256 for record in result.inputs))
    book.close()
    return rows


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
