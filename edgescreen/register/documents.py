"""The documents of the procedure: written with their identity, and read back once a clerk has
filled them in.

Identity. Every document carries who it is: the register it came from, its doc_id, the round, the
step, its scope and place, the sheet of its household table and, per printed row, the household's
key with a short hash of the row's identifying cells as printed (序号, 村民小组, 户主姓名, the masked
ID …). It is kept twice: in a very hidden sheet, and (the ids) in the workbook's custom document
properties, so that it survives Excel, WPS and LibreOffice saving the file. `stamp(book, identity)`
writes it, `read_identity(path)` reads it, `row_hash(cells)` makes a row's hash (edgescreen/identity.py,
which the roster reader uses too): a small API that other forms (measures, blind verification forms) reuse.

Reading is by header, not by position: every household table has a header row naming 户主姓名; the
columns are found by their printed headers in either language, so a clerk may add a column, sort
the rows or save the file as another format. python-calamine reads the workbook (hidden sheets too);
the custom properties come from docProps/custom.xml. Nothing here knows the register's rules: the
register's steps (steps.py) say what the cells must hold.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import python_calamine as calamine

from ..catalogue import Lang, Phrase, fields, label, messages, normalise_header
from ..dates import EXCEL_EPOCH, arabic_numerals, typed_day, typed_day_doubt
from ..identity import (HASH_CHARS, IDENTITY_FORMAT, Identity, bare_text, cell_text, identity_from_cells,  # noqa: F401
                        row_hash, row_hashes, row_matches)
from ..inputs import IDENTITY_SHEET, column_letter, content_suffix, file_sha256
from ..money import yuan_words
from ..outputs.places import NAME_BYTES, NAME_LIMIT, issuer_places, this_place_words
from ..outputs.privacy import mask_id_shown, mask_in_text
from ..outputs.publicity import NOTICE_TITLE_SIZE, difficulty_category, posted_members
from ..read import label_matches, total_words
from ..outputs.xlsx import (
    FORMAT_SPECS,
    HEIGHT_SLACK,
    breaks_at_a_mark,
    TITLE_SIZE,
    Column,
    ColumnLists,
    cell_formats,
    line_width,
    lines_of,
    new_workbook,
    page_body,
    page_footer,
    print_scale,
    print_signed,
    printed_height,
    printed_lines,
    row_height,
    setup_print,
    text_height,
    whole_width,
    write_block,
    write_table,
    write_title,
    wrapped_heights,
)
from ..workbook import ods_layout
from .db import INCOME_PARTS, Register, exit_refusals, screened_years
from .db import rounds as db_rounds
from .procedure import Decision, FormField, Step, folded_words, procedure

# The stored 疑点 code of a member an authoritative roster counts in another family's case
# (rosters._in_other_household) is its kind with this after it: dibao_other_household (rounds._suspect_kinds).
OTHER_HOUSEHOLD = "_other_household"

PROPERTY = "edgescreen_{}"  # custom document properties: edgescreen_doc_id, edgescreen_register, …
# An identity's column of a printed column that identifies no row (shown:risk): its cells as printed.
SHOWN = "shown:"

# ---------------------------------------------------------------------------------------------
# Identity


def stamp(book, identity: Identity) -> None:
    """Write `identity` into an xlsxwriter workbook: a very hidden sheet with everything, and the
    custom document properties with the ids."""
    ws = book.add_worksheet(IDENTITY_SHEET)
    facts = [("format", IDENTITY_FORMAT), ("doc_id", identity.doc_id), ("register_id", identity.register_id or ""),
             ("round", "" if identity.round is None else str(identity.round)), ("step", identity.step),
             ("scope", identity.scope), ("township", identity.township), ("village", identity.village),
             ("sheet", identity.sheet)]
    for r, (key, value) in enumerate(facts):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
    r = len(facts)
    ws.write_string(r, 0, "headers")
    for c, header in enumerate(identity.headers, start=1):
        ws.write_string(r, c, header)
    r += 1
    ws.write_string(r, 0, "rows")
    rows = identity.rows if identity.rows is not None else pd.DataFrame(columns=["seq", "key", "hash"])
    r += 1
    # The printed cells the village does not fill (人均纯收入, 主要困难, 此前未纳入 …), beside the
    # identifying ones but not hashed: what a returned form's are compared with (printed_as_is).
    names = ["seq", "key", "hash", *identity.headers, *(c for c in rows.columns if str(c).startswith(SHOWN))]
    for c, name in enumerate(names):
        ws.write_string(r, c, name)
    columns = [[cell_text(v) for v in rows[name].tolist()] if name in rows else [""] * len(rows) for name in names]
    for i, values in enumerate(zip(*columns), start=r + 1):
        for c, value in enumerate(values):
            ws.write_string(i, c, value)
    ws.very_hidden()
    for key in ("doc_id", "register_id", "step"):
        value = getattr(identity, key)
        if value:
            book.set_custom_property(PROPERTY.format(key), str(value))


def _custom_properties(path: Path, suffix: str) -> dict[str, str]:
    """The workbook's custom document properties, read by what the file holds (`suffix`): an .xlsx's
    docProps/custom.xml, an .ods's meta.xml user-defined, an .xls's user-defined property set. They
    carry the identity's ids where WPS or Excel dropped the hidden sheet (saved as .xls or .ods)."""
    if suffix == ".xls":
        return _ole_user_properties(path)
    try:
        with zipfile.ZipFile(path) as zf:
            part = "meta.xml" if suffix == ".ods" else "docProps/custom.xml"
            if part not in zf.namelist():
                return {}
            root = ET.fromstring(zf.read(part))
    except (zipfile.BadZipFile, OSError, ET.ParseError, KeyError):
        return {}
    if suffix == ".ods":
        return {el.get(ODS_NAME): (el.text or "").strip() for el in root.iter(ODS_USER_DEFINED) if el.get(ODS_NAME)}
    found = {}
    for prop in root:
        name = prop.get("name")
        if name and len(prop):
            found[name] = (prop[0].text or "").strip()
    return found


_ODS_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
ODS_USER_DEFINED, ODS_NAME = f"{{{_ODS_META}}}user-defined", f"{{{_ODS_META}}}name"
# The property set of an OLE file's user-defined properties: the second section of its
# DocumentSummaryInformation stream ([MS-OLEPS] 2.21; olefile reads the first section only).
_USER_DEFINED_FMTID = bytes.fromhex("05d5cdd59c2e1b10939708002b2cf9ae")
_VT_LPSTR, _VT_LPWSTR, _CODEPAGE_UTF16 = 30, 31, 1200


def _ole_user_properties(path: Path) -> dict[str, str]:
    """An .xls's user-defined document properties (text ones: the identity's ids), or none."""
    import struct

    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if not ole.exists("\x05DocumentSummaryInformation"):
                return {}
            data = ole.openstream("\x05DocumentSummaryInformation").read()
        (sections,) = struct.unpack_from("<I", data, 24)
        start = next(off for i in range(sections)
                     for fmtid, off in [(data[28 + 20 * i:44 + 20 * i], struct.unpack_from("<I", data, 44 + 20 * i)[0])]
                     if fmtid == _USER_DEFINED_FMTID)
        _, count = struct.unpack_from("<II", data, start)
        offsets = dict(struct.unpack_from("<II", data, start + 8 + 8 * i) for i in range(count))
        codepage = struct.unpack_from("<H", data, start + offsets[1] + 4)[0] if 1 in offsets else 0
        encoding = "utf-16-le" if codepage == _CODEPAGE_UTF16 else f"cp{codepage}" if codepage else "latin-1"
        if codepage == 65001:
            encoding = "utf-8"

        def text(at: int, size: int) -> str:
            return data[at:at + size].decode(encoding, "replace").split("\x00")[0]

        names, at = {}, start + offsets.get(0, 0)
        (entries,) = struct.unpack_from("<I", data, at) if 0 in offsets else (0,)
        at += 4
        for _ in range(entries):  # the dictionary: property id → name
            pid, length = struct.unpack_from("<II", data, at)
            size = length * 2 if codepage == _CODEPAGE_UTF16 else length
            names[pid] = text(at + 8, size)
            at += 8 + size + ((-size) % 4 if codepage == _CODEPAGE_UTF16 else 0)
        found = {}
        for pid, name in names.items():
            if pid not in offsets:
                continue
            at = start + offsets[pid]
            vt, length = struct.unpack_from("<II", data, at)
            if vt == _VT_LPSTR:
                found[name] = text(at + 8, length).strip()
            elif vt == _VT_LPWSTR:
                found[name] = data[at + 8:at + 8 + 2 * length].decode("utf-16-le", "replace").split("\x00")[0].strip()
        return found
    except (OSError, struct.error, StopIteration, LookupError, ValueError):  # a damaged or foreign stream: none
        return {}


@dataclass
class FilledDocument:
    """A workbook as read back: its file, SHA-256, identity (None: none found) and sheets' cells
    (rows of values as calamine gives them, indexed from 0 like Excel's rows minus one; a household
    table as it shows, `shown_and_passed`). `label` names it in problems and outcomes where its file name
    alone does not tell it from another given (inputs.input_labels: 退出1-民主评议/合隆镇-新立村.xlsx)."""

    path: Path
    sha256: str
    identity: Identity | None
    sheets: dict[str, list[list]] = field(default_factory=dict)
    unreadable: bool = False
    label: str = ""
    # Each sheet's merged ranges, ((first row, first column), (last row, last column)) from 0.
    merges: dict[str, list] = field(default_factory=dict)
    # Each sheet's rows `shown_and_passed` blanked that held text as typed (a subtotal, 一组小计): row → its
    # first text, for the reader to say it passed them over without reading the file again.
    passed_over: dict[str, dict[int, str]] = field(default_factory=dict)
    # Without an identity, what the workbook is where edgescreen can tell (the screen's village
    # list, returned filled in): the refusal's words, for rp_no_identity's.
    not_a_document: Phrase | None = None

    @property
    def name(self) -> str:
        return self.label or self.path.name


def open_filled(path: str | Path, label: str = "", *, tables: bool = False) -> FilledDocument:
    """Read a (filled) document: every sheet's cells and its identity; with `tables`, each household
    table as it shows (`shown_and_passed`: merged cells, total rows), for the register's documents (a spot
    check's form is pages of labels, not a table). A file that cannot be read as a workbook comes
    back `unreadable`, for the caller to word."""
    path = Path(path)
    sha = file_sha256(path)
    # What the file holds, whatever its name says (an .xls renamed .xlsx), as the screen reads it.
    suffix = content_suffix(path)
    try:
        if suffix == path.suffix.lower():
            book = calamine.CalamineWorkbook.from_path(str(path))
        else:  # calamine picks its reader by the name, or by the bytes from a file-like
            book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        sheets, merges = {}, {}
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            sheets[name] = sheet.to_python(skip_empty_area=False)
            merges[name] = sheet.merged_cell_ranges or []
    except Exception:  # calamine's errors for a damaged or foreign file: the document is not readable
        return FilledDocument(path, sha, None, unreadable=True, label=label)
    if suffix == ".ods":  # calamine gives no merged ranges for an .ods
        merges = ods_layout(path)[0]
    identity = identity_from_cells(sheets[IDENTITY_SHEET]) if IDENTITY_SHEET in sheets else None
    if identity is None:
        props = _custom_properties(path, suffix)
        doc_id = props.get(PROPERTY.format("doc_id"))
        if doc_id:
            identity = Identity(doc_id=doc_id, step=props.get(PROPERTY.format("step"), ""),
                                register_id=props.get(PROPERTY.format("register_id")) or None)
    sheets.pop(IDENTITY_SHEET, None)
    other = screen_list(sheets) if identity is None else None
    passed = {}
    if tables:
        shown = {name: shown_and_passed(cells, merges.get(name, ())) for name, cells in sheets.items()}
        sheets = {name: cells for name, (cells, _) in shown.items()}
        passed = {name: rows for name, (_, rows) in shown.items() if rows}
    return FilledDocument(path, sha, identity, sheets, label=label, merges=merges, not_a_document=other,
                          passed_over=passed)


def screen_list(sheets: dict[str, list[list]]) -> Phrase | None:
    """The refusal for the screen's own list of a village (villages/合隆镇-新立村.xlsx: its sheets
    候选名单 and 低于贫困标准, in either language, its title on top), sent to the village by mistake and
    returned with its 评议结果 filled: the results belong on the register's 民主评议 form. Or for the
    screen's notice of a village (its one sheet 公示 under its title): the register's 第一次公示 takes
    the objections. None for any other workbook."""
    for lang in ("zh", "en"):
        first, below = label("sheet_candidates", lang), label("sheet_below_line", lang)
        if first in sheets and below in sheets:
            top = sheets[first][0] if sheets[first] else []
            title = next((cell_text(v) for v in top if cell_text(v)), first)
            return Phrase("rp_screen_village_list", title=title)
        # The screen's notice of a village (publicity/合隆镇-青山村-公示.xlsx, screen --publicity-start),
        # returned with an objection on it: objections belong on the register's 第一次公示.
        notice = sheets.get(label("sheet_publicity", lang))
        top = next((cell_text(v) for v in (notice[0] if notice else []) if cell_text(v)), "")
        if is_printed_text(top, ("pub_title",), lang):
            return Phrase("rp_screen_notice", title=top)
    return None


# A merged amount is what its rows come to together, not each row's: it stays with its first row.
SUMMED_COLUMNS = ("measure_amount",)
# The columns a total row's label may stand in (序号, the head, the places): 合计, 本村小计, 以上合计 …
TOTAL_LABEL_COLUMNS = ("seq", "head_name", "township", "village", "group")
# … and those where it may close a place's name (一组小计, 前岗村合计) on a row without an ID.
TOTAL_PLACE_COLUMNS = ("township", "village", "group")


def shown_and_passed(cells: list[list], merges) -> tuple[list[list], dict[int, str]]:
    """A sheet's household table (below the header naming 户主姓名) as a clerk sees it: a cell merged
    down over several rows (WPS: a household's 序号 and name over its two measure rows, one 同意 over
    the 评议结果 of a village) read in each of them, in its first column, but an amount
    (SUMMED_COLUMNS); a row holding nothing but what merges carry down into it, and a total row (合计,
    本村小计 in a label column, as the survey reader finds them), blank: no household's. Merges across
    one row only (the printed form's labels) and in the header are left as they are; so is a sheet
    without that header. The identity's row hashes are of the cells as printed, which this restores.
    With it, the rows blanked that held text as typed (a total's label): row → the first text on it."""
    at = find_header(cells, "head_name")
    if at is None or at + 1 >= len(cells):
        return cells, {}
    header = cells[at]
    width = max(map(len, cells))
    grid = np.empty((len(cells), width), dtype=object)  # filled by rows of calamine's values, as they are
    grid[:] = [row + [""] * (width - len(row)) for row in cells]
    summed = {find_column(header, key) for key in SUMMED_COLUMNS}
    carried = np.zeros(grid.shape, dtype=bool)
    typed_body = grid[at + 1:].copy()  # the cells as typed, before the merges are carried down
    for (r1, c1), (r2, c2) in merges:  # one slice per merged range
        r2 = min(r2, len(cells) - 1)
        if r1 <= at or r2 <= r1 or c1 >= width or c1 in summed:
            continue
        grid[r1 + 1:r2 + 1, c1] = grid[r1, c1]
        carried[r1 + 1:r2 + 1, c1] = True
    body = grid[at + 1:]
    typed = np.frompyfunc(lambda v: cell_text(v) != "", 1, 1)(body).astype(bool)
    no_row = carried[at + 1:].any(axis=1) & ~(typed & ~carried[at + 1:]).any(axis=1)
    total, closing = total_words()  # as the survey reader knows a total row
    ids = find_column(header, "masked_id")
    no_id = ~typed[:, ids] if ids is not None else np.ones(len(body), dtype=bool)
    for key in TOTAL_LABEL_COLUMNS:
        if (j := find_column(header, key)) is None:
            continue
        starting, ending = label_matches(np.array([cell_text(v) for v in body[:, j]], dtype=object), [total, closing])
        no_row |= starting | (ending & no_id if key in TOTAL_PLACE_COLUMNS else False)
    if not no_row.any() and not carried.any():
        return cells, {}
    # What a blanked row held as typed (not the values merges carried into it): its first text, for
    # a subtotal between the groups to be said passed over (steps._totals_passed_over).
    blanked = np.flatnonzero(no_row)
    texts = np.frompyfunc(cell_text, 1, 1)(typed_body[blanked]).reshape(len(blanked), width)
    held = (texts != "").astype(bool)
    first, some = held.argmax(axis=1), held.any(axis=1)
    passed = dict(zip((blanked[some] + at + 1).tolist(), texts[some, first[some]].tolist()))
    body[no_row] = ""
    return grid.tolist(), passed


def edited_cells(identity: Identity, seq: int, keys: Sequence[str], now: Sequence, lang: Lang) -> list[tuple[str, str, str]]:
    """The identifying cells of printed row `seq` that differ from what was printed (kept with the
    identity), compared as `row_hash` compares them (bare_text): (column key, printed, now) each."""
    printed = identity.rows
    kept = printed[printed["seq"] == seq] if printed is not None else []
    was = kept.iloc[0].to_dict() if len(kept) else {}
    return [(k, cell_text(was.get(label(k, lang), "")), cell_text(v)) for k, v in zip(keys, now)
            if label(k, lang) in was and bare_text(was[label(k, lang)]) != bare_text(v)]


def shown_cells(rows: pd.DataFrame, step: Step) -> pd.DataFrame:
    """The printed cells of the columns of `rows` (printed_rows) that identify no row and that the
    village does not fill, as text (a blank ''), under SHOWN + key: kept with the identity, so that a
    returned form's are compared with them; a later round's columns beside the procedure's (BESIDE) too,
    or their cells read back as the village's notes."""
    keys = [k for k in printed_keys(step) if k not in step.identity and k in rows]
    return pd.DataFrame({SHOWN + k: rows[k].map(lambda v: "" if v is None or v is pd.NA or v != v else cell_text(v))
                         .to_numpy(dtype=object) for k in keys}, index=rows.index)


def _amounts(texts: pd.Series) -> pd.Series:
    """Each text as a number in hundredths (fen), where it is one: 3,218.00 ¥3218 3218 alike; else NA."""
    bare = texts.str.replace(r"[,¥元]", "", regex=True)
    return (pd.to_numeric(bare, errors="coerce") * 100).round()


def printed_as_is(printed: pd.Series, now: pd.Series) -> np.ndarray:
    """Whether each returned cell still holds what was printed (`printed`, as shown_cells keeps it):
    compared as a clerk's copy may differ without changing a word, spaces and line breaks aside
    (bare_text), and a number saved as text or re-formatted (3,218.00 for 3218.0) the same amount; the
    declared income's parts (工资 11,244.92) the same typed again without their thousands separators."""
    was = printed.map(bare_text).astype(object)
    typed = now.map(bare_text).astype(object)
    same = was.str.replace(",", "", regex=False).to_numpy() == typed.str.replace(",", "", regex=False).to_numpy()
    a, b = _amounts(was), _amounts(typed)
    return same | (a.notna() & b.notna() & a.eq(b)).to_numpy(dtype=bool)


def read_identity(path: str | Path) -> Identity | None:
    """The identity a document carries, or None."""
    return open_filled(path).identity


# ---------------------------------------------------------------------------------------------
# Writing

# label key → (width in characters, cell format) of every column a document may print. In Arial's
# digits (new_workbook(fixed_scale=True)): the widest, 入户核实 with its 疑点 column, prints at 9 pt or
# more on A4 landscape; 主要困难 holds 自身发展动力不足 on one line; a masked ID fits whole; 帮扶措施 a
# measure's type and year (产业扶持(2020)) a line.
PRINTED = {
    "seq": (6, "center"), "township": (10, "cell"), "village": (10, "cell"), "group": (10, "cell"),
    "head_name": (10, "cell"), "masked_id": (22, "center"), "members": (6, "int"), "residents": (6, "int"),
    "per_capita_income": (11, "money"), "risk": (19, "cell"), "pub_difficulty": (14, "center_wrap"),
    "exit_reason": (20, "cell"), "suspect": (10, "cell"), "last_surveyed": (9, "center"),
    "earlier": (22, "cell"), "declared_income": (14, "cell"), "support_measures": (18, "cell"),
    "gone_lead": (20, "cell"), "split_off": (22, "cell"), "missed_earlier": (24, "cell"),
    "income_history": (16, "cell"), "left_before": (24, "cell"),
}
# Columns a later round's list prints beside a procedure's own (after the key), where its rows carry
# them: the exit's earlier per-capita figures (with_income_years), a candidate's earlier leaving
# (with_left_before). Not on a posted list: no income, nor a family's story, is posted.
BESIDE = {"per_capita_income": ("income_history",), "earlier": ("left_before",)}
# The columns printed only where a row has something to say: one blank on every row of a document
# (the 2020 红新村 list's 分户情况, a split in another village) is left off it, as it reads "none" there.
SAID_WHERE_FOUND = ("earlier", "split_off", "gone_lead", "missed_earlier", "income_history", "left_before")
# An exit's household may have a large income (a 征地补偿 as 财产性收入): its per-capita amount takes
# up to seven digits, as printed (MONEY_FORMAT: separators, two decimals and a space's padding) in 宋体 at 11 pt.
EXIT_AMOUNT_HELD = "9,999,999.00 "
MONEY_FORMAT = "#,##0.00_ "  # a money column's amounts, thousands separated (the "money" format's otherwise)
# What a clerk types: a reason or a name with its office (乡镇干部刘洋) wraps into the two lines of a
# row (FILL_ROW_HEIGHT); a date, 2019年12月10日 as the README allows, fits on one line at 11 pt.
FILLED = {"decision": (13, "center"), "reason": (14, "cell"), "text": (11, "cell"), "date": (17, "center"),
          "count": (9, "center"), "long_text": (40, "text")}
# A long text on a form's own sheet (会议记录) is written by hand: its row's height in points. 参会人员,
# some 30 representatives' names, takes five or six handwritten lines; 发言记录 the most room. The record,
# nine fields and the two signatures, still prints on one portrait A4 page under a title of three lines
# (a long township's name, in English).
LONG_TEXT_HEIGHT = {"meeting_attendees": 90, "meeting_speeches": 170}
LONG_TEXT_HEIGHT_USUAL = 150
POSTED_WIDTH = 84  # a portrait A4 page, in characters at the print size
# A column of names or groups widens to hold its longest value on one line up to these (an outside try
# printed 瓜尔佳·文 / 瑞 and 十一组(老 / 虎沟屯) in columns of ten): a head's name of seven characters
# (爱新觉罗·恒绍), a group of ten (满族二组(叶赫那拉屯)); from the page's room, then from columns with
# slack, the print never smaller (_text_held). A longer one wraps.
TEXT_WIDEST = {"head_name": 16, "group": 22.5}
NAME_ROOM_FROM = ("text", "date")  # the kinds of FILLED column a long name takes room from (_text_held)
FREE_TEXT = ("risk", "exit_reason", "earlier", "support_measures", "gone_lead", "split_off", "missed_earlier",
             "left_before")
FREE_TEXT_LEAST = 12  # 因病、因学 still on one line
# The room of a visit form's 申报收入 column (declared_income), taken so that it prints at 9 pt still:
# 主要困难 (an exit's reason) down to FREE_TEXT_LEAST, the 不属实 reason's and the 核实人's columns narrower,
# the date's to what holds 2019-12-10 (2019年12月10日 on two lines: the row is three lines tall or more);
# the decision's header stays on two lines. A longer difficulty takes two of the row's lines, what is
# written by hand as many as the row has.
DECLARED_ROOM = {"free_text": FREE_TEXT_LEAST, "reason": 10, "date": 13, "text": 9}
# The 申报收入 column is as wide as its longest line, so that each prints on one line and its row is as
# tall as its lines (at 14 wide 工资 10269.42 took two lines of paper and the row was sized for ten: two
# or three households a page). Two parts a line (工资 11,244.92  经营 6,161.65: three lines, nine or ten
# households a page, not six) where the form still prints at LEAST_PRINT_POINTS; one a line otherwise.
DECLARED_WIDEST = 40
DECLARED_GAP = "  "  # between the two parts of a line: a line too narrow breaks there
# Text on a form filled in by hand prints at this size on paper at least (its scale times its font's).
LEAST_PRINT_POINTS = 9
BODY_POINTS = 11  # the font size of a document's table (cell_formats)
FILL_ROW_HEIGHT = 32  # room to write by hand, or two lines of 11-point text typed
POSTED_ROW_HEIGHT = 20
OBJECTION_ROWS = 8


@cache
def _county_name_pattern() -> re.Pattern:
    ends = "|".join(map(re.escape, sorted(fields().places.county.ends, key=len, reverse=True)))
    return re.compile(rf"[\u3400-\u9fff]{{2,}}(?:{ends})")


def county_in_name(name: str) -> str | None:
    """`name` (a register file's stem) where it is a county's name and nothing else: a county names its
    register after itself (农安县.db), but 登记簿2026.db or 农安县2026.db names none, and a document
    signed 登记簿2026扶贫开发领导小组办公室 is wrong where a blank to write the county in is not. Its
    Chinese characters and then a county's end (fields.toml [places] county), as read.py takes a name."""
    text = "".join(unicodedata.normalize("NFKC", name).split())
    return text if _county_name_pattern().fullmatch(text) else None


def sheet_not_read(name: str, cells: list[list], lang: Lang) -> Phrase | None:
    """rp_sheet_not_read for a sheet added to a returned document (a sign-in sheet, a note), with how
    many cells it fills and the first of them; None for a sheet with nothing on it."""
    texts = [cell_text(v) for row in cells for v in row if cell_text(v)]
    if not texts:
        return None
    shown = label("list_sep", lang).join(texts[:3])
    return Phrase("rp_sheet_not_read", sheet=name, count=len(texts),
                  example=shown if len(shown) <= 30 else shown[:29] + "…")


def printed_rows(frame: pd.DataFrame, step: Step, lang: Lang) -> pd.DataFrame:
    """The cells a step's document prints for households of the register (screened columns), in
    the frame's order, numbered from 1. Always masked: IDs as 220122********1677 and ID- or phone-
    shaped numbers inside text; a posted document shows the difficulty's category only."""
    text = lambda s: mask_in_text(s.astype("string"))  # noqa: E731
    out = pd.DataFrame(index=frame.index)
    out["seq"] = np.arange(1, len(frame) + 1)
    for key in printed_keys(step):
        if key == "seq":
            continue
        if key in ("township", "village", "head_name"):
            out[key] = text(frame[key]).to_numpy()
        elif key == "group":
            out[key] = text(printed_group(frame)).to_numpy()
        elif key == "masked_id":
            out[key] = mask_id_shown(frame["head_id"].astype("string")).to_numpy()
        elif key in ("members", "residents"):
            counts = posted_members(frame) if key == "members" and step.posted else \
                pd.to_numeric(frame[key], errors="coerce").astype("Float64")
            out[key] = counts.to_numpy()
        elif key == "per_capita_income":
            out[key] = (pd.to_numeric(frame["per_capita_fen"], errors="coerce").astype("Float64") / 100).to_numpy()
        elif key == "risk":
            out[key] = text(frame["difficulty"]).to_numpy()
        elif key == "pub_difficulty":
            out[key] = difficulty_category(frame["difficulty"].astype("string"), lang).to_numpy()
        elif key == "exit_reason":
            out[key] = exit_reasons(frame, lang).to_numpy()
        elif key == "support_measures":  # the measures of the stay (steps._with_measures), worded there
            if key in frame:
                out[key] = text(frame[key]).to_numpy()
        elif key == "gone_lead":  # a household the survey did not find: where its people were found
            # (steps._gone_leads); no column where nobody was, as a blank one would read "nowhere".
            lead = frame[key].astype("string").fillna("") if key in frame else pd.Series("", index=frame.index)
            if lead.ne("").any():
                parts = lead.str.split("\x1f", n=2, expand=True).reindex(columns=range(3)).fillna("")
                out[key] = [label("gone_lead_cell", lang, place=p, head=h, count=c) if h or p else ""
                            for p, h, c in zip(text(parts[0]).fillna(""), text(parts[1]).fillna(""), parts[2])]
        elif key == "missed_earlier":  # not surveyed a second year running (steps._unsurveyed): what the
            # last check found, worded there in each language; no column where none is, as gone_lead.
            said = frame.get(f"missed_earlier_{lang}")
            if said is not None and text(said).fillna("").ne("").any():
                out[key] = text(said).fillna("").to_numpy()
        elif key == "last_surveyed":  # a household the survey did not find: the year it last was
            out[key] = pd.to_numeric(frame[key], errors="coerce").astype("Int64").astype("string").fillna("").to_numpy()
        elif key == "suspect":  # the rosters that matched and the data's doubts, for the meeting and the visit
            # A round screened without rosters, none of whose households has a doubt of its data (or
            # recorded before the register kept them), prints no 疑点 column: a blank one would read "none found".
            doubts = suspect_words(frame, lang)
            if frame["roster_flags"].notna().any() or doubts.ne("").any():
                out[key] = doubts.to_numpy()
        elif key == "declared_income":  # what the visit checks: the income parts the survey gave
            # None known (a round recorded before the register kept them, a survey without them): no
            # column, as a blank one would read "declared nothing".
            if all(f"{part}_fen" in frame for part in INCOME_PARTS) \
                    and frame[[f"{part}_fen" for part in INCOME_PARTS]].notna().any(axis=None):
                out[key] = declared_income(frame, lang).to_numpy()
        elif key == "earlier":  # taken off an earlier round's list (steps.load_state), or split off another
            # household (steps._with_split_from): blank column for none
            cells = pd.Series("", index=frame.index, dtype=object)
            step_of = frame["removed_step"].astype("string").fillna("") if "removed_step" in frame else None
            if step_of is not None and step_of.ne("").any():
                said = step_of.ne("").to_numpy()
                part = frame.loc[said, ["removed_year", "removed_step", "removed_on"]].astype(str)
                reasons = text(frame.loc[said, "removed_reason"]).fillna("")
                cells[said] = [label("earlier_removal_cell", lang, year=y, step=label(f"step_{s}", lang), date=d,
                                     reason=r or label("blank", lang))
                               for y, s, d, r in zip(part["removed_year"], part["removed_step"], part["removed_on"],
                                                     reasons)]
            if cells.ne("").any():
                out[key] = cells.to_numpy()
        elif key in ("income_history", "left_before"):  # worded by with_income_years, with_left_before
            said = frame[key].astype("string").fillna("") if key in frame else None
            if said is not None and said.ne("").any():
                out[key] = text(said).fillna("").to_numpy()
        elif key == "split_off":  # split off another household (steps._with_split_from), in its own
            # column: under 此前未纳入 it read as a household turned down before (an outside try)
            head = frame["split_head"].astype("string").fillna("") if "split_head" in frame else None
            if head is not None and head.ne("").any():
                cells = pd.Series("", index=frame.index, dtype=object)
                split = head.ne("").to_numpy()
                kept = frame["split_kept"].astype(bool).to_numpy() if "split_kept" in frame else np.zeros(len(frame), bool)
                cells[split] = [label("earlier_split_cell", lang, year=y, place=p, head=h)
                                + (label("list_sep_wide", lang) + label("split_kept_cell", lang, head=h) if k else "")
                                for y, p, h, k in zip(frame.loc[split, "split_year"],
                                                      text(frame.loc[split, "split_place"]).fillna(""),
                                                      text(frame.loc[split, "split_head"]).fillna(""), kept[split])]
                out[key] = cells.to_numpy()
    return out.reset_index(drop=True)


def printed_keys(step: Step) -> list[str]:
    """The columns a step's document may print, in order: the procedure's, and after some of them, on a
    list not posted, those a later round adds (BESIDE)."""
    keys = []
    for key in step.columns:
        keys += [key, *(() if step.posted else BESIDE.get(key, ()))]
    # The years before are the exit meeting's, which weighs whether the income grew 稳定: a candidate's
    # list says this year's alone, and a visit form prints the year's declared parts (申报收入) with no
    # width for them at 9 pt.
    earlier_years = "exit_reason" in step.columns and "declared_income" not in step.columns
    return [k for k in keys if k != "income_history" or earlier_years]


def blank_everywhere(values) -> bool:
    """Whether a printed column's cells are all blank (None, NaN, '')."""
    texts = pd.Series(values, dtype=object).astype("string").fillna("").str.strip()
    return not texts.ne("").any()


def declared_income(frame: pd.DataFrame, lang: Lang) -> pd.Series:
    """Each household's declared income parts, a line each (工资 12000 / 经营 3500 / 财产 0 / 转移 2400.50),
    and its 生产经营性支出 where it had one (支出 1200):
    in yuan, exactly, with thousands separators (11,244.92, as the 花名册 prints 12,500元), its decimals
    printed where there are fen (a whole yuan as a survey types it, and narrow enough for the form to keep
    its 9 pt). A part not given is left out; none given says so. Read back as printed (printed_as_is)."""
    lines = pd.Series("", index=frame.index, dtype=object)
    for part in INCOME_PARTS:
        fen = pd.to_numeric(frame[f"{part}_fen"], errors="coerce").astype("Int64")
        amount = yuan_words(fen)
        known = fen.notna().to_numpy(dtype=bool)
        lines[known] += f"{label(f'declared_{part}', lang)} " + amount[known] + "\n"
    # 家庭生产经营性支出, where there was one: the parts less it are the net income the per-capita is of.
    if "expenses_fen" in frame:
        fen = pd.to_numeric(frame["expenses_fen"], errors="coerce").astype("Int64")
        spent = (fen > 0).fillna(False).to_numpy(dtype=bool)
        lines[spent] += f"{label('declared_expenses', lang)} " + yuan_words(fen)[spent] + "\n"
    lines = lines.str.removesuffix("\n")
    return lines.mask(lines.eq(""), label("declared_none", lang))


def printed_group(frame: pd.DataFrame) -> pd.Series:
    """The 村民小组 as a document prints it: without the household's own township and village typed
    before it (哈拉海镇东风村第十二村民小组: 第十二村民小组), nor a county before them (前郭尔罗斯蒙古族自治县
    哈拉海镇东风村第三村民小组), as the title or the row's own columns name the place; a group that is
    nothing more than them stays as typed."""
    typed = frame[["grp", "township", "village"]].astype("string").fillna("")
    codes, combos = pd.factorize(typed["grp"] + "\x1f" + typed["township"] + "\x1f" + typed["village"])
    # Per group of a village as typed (a few a village), not per household.
    short = np.array([_without_place(*combo.split("\x1f")) for combo in combos], dtype=object)
    printed = pd.Series(short[codes] if len(codes) else [], index=frame.index, dtype="string")
    return printed.where(frame["grp"].notna())


def _without_place(group: str, township: str, village: str) -> str:
    if not village:
        return group
    county = _county_name_pattern().pattern
    # A separator typed between the place and the group (哈拉海镇东风村-三组) goes with the place.
    place = re.match(rf"(?:{county})??{re.escape(township + village)}[\s\-_/、,:;]*", group)
    return group[place.end():] if place and place.end() < len(group) else group


# Why a household of the register is proposed to leave, in words without figures (a posted notice
# shows no income): its income reached the bound, or it is now one of the excluded groups.
EXIT_REASONS = {"excluded_dibao": "exit_reason_dibao", "excluded_tekun": "exit_reason_tekun",
                "excluded_registered": "exit_reason_registered"}


def exit_reasons(frame: pd.DataFrame, lang: Lang) -> pd.Series:
    keys = frame["status"].map(EXIT_REASONS).fillna("exit_reason_income")
    reasons = keys.map({k: label(k, lang) for k in set(keys)})
    if "exit_refused" not in frame:  # a posted list, or rows read without the register (with_exit_refused)
        return reasons
    before = frame["exit_refused"].astype("string").fillna("")
    return reasons.where(before.eq(""), reasons + label("list_sep_wide", lang) + before)


def with_exit_refused(reg: Register, round_id: int, households: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The households proposed to leave with, where an earlier round's exit procedure turned their exit
    down (退出民主评议 不同意, 退出入户核实 不属实, an objection upheld at the 退出公示), that round's year,
    the step and the reason written then, worded (`exit_refused`: blank for none, ;-joined oldest first
    for several): exit_reasons prints it after the reason, for the meeting and the visit to weigh (an
    outside try: the list said only 收入达到退出标准, `register history` alone last year's 不同意). Words
    only, no figures; masked as the list's other text."""
    steps = procedure("exit").ids
    found = exit_refusals(reg, households["household"].astype(int).unique().tolist(), round_id, steps)
    if found.empty:
        return households.assign(exit_refused="")
    # One no a round, its first step's (a household turned down goes no further in that round).
    found = found.assign(order=found["step"].map({s: i for i, s in enumerate(steps)})) \
        .sort_values(["household", "round", "order"], kind="stable").drop_duplicates(["household", "round"])
    # Worded once per year and step (a few), the reason then put where the words have it.
    combos = found[["year", "step"]].drop_duplicates()
    combos["words"] = [label(f"exit_refused_{s}", lang, year=y, step=label(f"step_{s}", lang), reason="\x00")
                       for y, s in zip(combos["year"], combos["step"])]
    around = found.merge(combos, on=["year", "step"], how="left")["words"].str.split("\x00", n=1, expand=True)
    reasons = mask_in_text(found["reason"].astype("string")).fillna("").reset_index(drop=True)
    reasons = reasons.mask(reasons.str.strip().eq(""), label("blank", lang))
    said = (around[0] + reasons + around[1]).groupby(found["household"].astype(int).to_numpy(), sort=False) \
        .agg(label("list_sep_wide", lang).join)
    return households.assign(exit_refused=households["household"].astype(int).map(said).fillna("").to_numpy())


def with_income_years(reg: Register, round_id: int, households: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The households proposed to leave with `income_history`: the per-capita of each income year
    before the round's (as its year's last round found it; 数据有误 where that survey was invalid), a line
    each (2019年 3,650), and for one leaving on its income (above_limit) how many years in a row, the
    round's included, it is at that year's exit bound, against the rule set's years_above (连续 1 年达到
    退出标准(需 2 年)). The plan lets a household go when its income is 稳定: the meeting weighs that (an
    outside try: the lists showed this year's 4,003 alone). Blank where there is nothing to say."""
    from .registry import round_rules  # the register's own rule set: its [exit] judges the register

    keys = households["household"].astype(np.int64)
    year = int(db_rounds(reg).set_index("id").loc[int(round_id), "year"])
    s = screened_years(reg, keys.unique().tolist())
    s = s[s["year"].le(year).to_numpy()].sort_values(["household", "year", "round"], kind="stable") \
        .drop_duplicates(["household", "year"], keep="last")
    invalid = s["status"].eq("invalid").fillna(False).to_numpy(dtype=bool)
    fen = pd.to_numeric(s["per_capita_fen"], errors="coerce").astype("Int64").mask(invalid)
    at_bound = (fen >= pd.to_numeric(s["upper_fen"], errors="coerce")).fillna(False).to_numpy(dtype=bool)
    # Years in a row at the bound, counted back from the latest: the years before the first that is not.
    latest_first = s.assign(at=at_bound).sort_values(["household", "year"], ascending=[True, False], kind="stable")
    broken = (~latest_first["at"]).groupby(latest_first["household"]).cumsum()
    streak = latest_first["at"][broken.eq(0).to_numpy()].groupby(latest_first["household"]).size()
    # The earlier years' lines, worded by a template cut at its placeholders (no label per row).
    earlier = (s["year"] < year).to_numpy()
    before, amount = s[earlier], yuan_words(fen[earlier])
    y0, rest = label("income_year_cell", lang, year="\x00", amount="\x01").split("\x00")
    y1, y2 = rest.split("\x01")
    bad0, bad1 = label("income_year_invalid", lang, year="\x00").split("\x00")
    years = before["year"].astype(int).astype(str)
    lines = (y0 + years + y1 + amount.fillna("") + y2).where(~invalid[earlier], bad0 + years + bad1)
    history = lines.groupby(before["household"].to_numpy(), sort=False).agg("\n".join)
    cells = keys.map(history).astype(object).fillna("")
    income = households["status"].eq("above_limit").to_numpy(dtype=bool) if "status" in households \
        else np.zeros(len(households), dtype=bool)
    if income.any():
        asked = round_rules(reg).rules.exit.years_above
        n = keys[income].map(streak).fillna(0).astype(int)
        said = n.map({k: label("income_streak_cell", lang, n=k, m=asked) for k in n.unique()})
        cells[income] = (cells[income] + "\n").where(cells[income].ne(""), "") + said
    return households.assign(income_history=cells.to_numpy(dtype=object))


def with_left_before(reg: Register, round_id: int, households: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The candidates with, for one that left the register in an earlier round and is back in the band,
    how it left (`left_before`): by the exit procedure, its year and the day its 退出公示 ended
    (note_exited_before), or found gone (户已不存在) by the 未调查户核实, the day and what it said
    (note_found_gone_before), as changes.xlsx says it. The meeting asks exactly this (an outside try:
    易庆, out at the 2020 publicity, and 田珍林, struck off as gone, were listed in 2021 with nothing said)."""
    from .registry import gone, registry

    rounds = db_rounds(reg).set_index("id")["year"]
    ever = registry(reg)
    left = ever[ever["left_by"].notna().to_numpy() & ~ever["on_register"].astype(bool).to_numpy()]
    left = left[pd.to_numeric(left["exit_round"], errors="coerce").lt(int(round_id)).to_numpy()]
    keys = households["household"].astype(np.int64)
    left = left[left["household"].astype(np.int64).isin(set(keys.tolist())).to_numpy()]
    cells = pd.Series("", index=households.index, dtype=object)
    if left.empty:
        return households.assign(left_before=cells.to_numpy())
    left = left.set_index(left["household"].astype(np.int64))
    exited = left[left["left_by"].eq("exit").to_numpy()]
    said = pd.Series([label("note_exited_before", lang, year=int(rounds[int(r)]), date=d)
                      for r, d in zip(exited["exit_round"], exited["exited_on"])], index=exited.index, dtype=object)
    found = left[left["left_by"].eq("gone").to_numpy()]
    if len(found):
        why = gone(reg).sort_values(["household", "round"]).drop_duplicates("household", keep="last")
        why = why.set_index(why["household"].astype(np.int64))["reason"].reindex(found.index)
        reasons = mask_in_text(why.astype("string")).fillna("")
        said = pd.concat([said, pd.Series([label("note_found_gone_before", lang, date=d, reason=r or label("blank", lang))
                                           for d, r in zip(found["exited_on"], reasons)], index=found.index, dtype=object)])
    cells = keys.map(said).astype(object).fillna("")
    return households.assign(left_before=cells.to_numpy(dtype=object))


def suspect_words(frame: pd.DataFrame, lang: Lang) -> pd.Series:
    """Each household's 疑点 as its village list says it: the rosters' short names (roster_words), then
    the doubts of its own data the screen found (db.DATA_DOUBTS, worded as the list words them),
    、-joined; blank for none, and the data's part blank for a round recorded before the register kept them."""
    flags = roster_words(frame["roster_flags"], lang).astype("string").fillna("")
    column = f"data_doubts_{lang}"  # db.DATA_DOUBTS
    doubts = (frame[column] if column in frame else pd.Series(None, index=frame.index)).astype("string").fillna("")
    both = flags.ne("") & doubts.ne("")
    return (flags + doubts.where(~both, label("list_sep", lang) + doubts)).astype(object)


def roster_words(flags: pd.Series, lang: Lang) -> pd.Series:
    """The rosters' short names of ';'-joined kind codes, 、-joined: blank for none. A kind stored with
    OTHER_HOUSEHOLD (rounds._suspect_kinds) is worded as whose case it is, 低保(他户); a round recorded
    before stored its bare kind, and prints as it did."""
    flags = flags.astype("string").fillna("")
    return flags.map({combo: label("list_sep", lang).join(_roster_word(k, lang) for k in combo.split(";") if k)
                      for combo in pd.unique(flags.to_numpy(dtype=object))})


def _roster_word(code: str, lang: Lang) -> str:
    kind = code.removesuffix(OTHER_HOUSEHOLD)
    short = label(f"roster_short_{kind}", lang)
    return short if kind == code else label("roster_short_other_household", lang, roster=short)


def identity_cells(rows: pd.DataFrame, step: Step, lang: Lang) -> pd.DataFrame:
    """The identifying cells of printed rows, under their printed headers."""
    return pd.DataFrame({label(key, lang): rows[key].to_numpy() for key in step.identity})


@dataclass(frozen=True)
class DocumentPlan:
    """One document to write: plain data, so that the helper process can write it (runtime.py)."""

    step: str
    lang: Lang
    path: Path
    params: dict
    rows: ColumnLists | pd.DataFrame  # the printed cells, by column key
    identity: Identity


def _fill_columns(step: Step, lang: Lang) -> list[Column]:
    columns = []
    if step.decision is not None:
        columns += [Column(step.decision.column, *FILLED["decision"]), Column(step.decision.reason, *FILLED["reason"])]
    columns += [Column(f.key, *FILLED[f.kind]) for f in step.row_fields]
    return columns


def _signatures(ws, row: int, keys: Sequence[str], ncols: int, fmt, params: dict, lang: Lang) -> int:
    """Signature lines spread over the table's width, with room to sign. Returns the next row."""
    if not keys:
        return row
    bounds = [round(i * ncols / len(keys)) for i in range(len(keys) + 1)]
    for key, first, stop in zip(keys, bounds, bounds[1:]):
        write_block(ws, row, first, max(first, stop - 1), label(key, lang, **params), fmt)
    ws.set_row(row, 42)
    return row + 1


def _form_rows(ws, row: int, fields: Sequence[FormField], formats: dict, lang: Lang, *, value_last: int,
               widths: Sequence[float] | None = None) -> int:
    """Each field's label and an empty bordered cell to its right for the value. On a sheet of its own
    the label takes the first column and the value the ones to `value_last`; below a table (its
    columns' `widths`) the label takes as many of its first columns as it needs to print on one line
    (a 6-wide 序号 column cut 审核日期 to 审核日), and the value as many after it as a date needs."""
    for f in fields:
        text = label(f.key, lang)
        first_value, last_value = 1, value_last
        if widths is not None:
            edges = np.cumsum(widths)
            need = line_width(text, 11)
            first_value = min(int(np.searchsorted(edges, need)) + 1, len(widths) - 1)
            room = edges - (edges[first_value - 1])
            last_value = min(int(np.searchsorted(room, FILLED["date"][0])), len(widths) - 1)
        if first_value > 1:
            ws.merge_range(row, 0, row, first_value - 1, "", formats["label_cell"])
        ws.write_string(row, 0, text, formats["label_cell"])
        # A long text is written from the cell's top left and wraps, as a page of minutes.
        value_format = formats["wrap" if f.kind == "long_text" else "cell"]
        if last_value > first_value:
            ws.merge_range(row, first_value, row, last_value, "", value_format)
        else:
            ws.write_blank(row, first_value, None, value_format)
        ws.set_row(row, LONG_TEXT_HEIGHT.get(f.key, LONG_TEXT_HEIGHT_USUAL) if f.kind == "long_text" else 28)
        row += 1
    return row


def _money_held(column: Column, amounts: list, step: Step) -> Column:
    """A money column wide enough for its widest amount as printed (### otherwise), and on an exit's
    document for a seven-digit one whatever this village's are."""
    widest = pd.to_numeric(pd.Series(amounts, dtype=object), errors="coerce").abs().max()
    texts = [f"{widest:,.2f} "] if pd.notna(widest) else []
    if step.id in {s.id for s in procedure().exit_step}:
        texts.append(EXIT_AMOUNT_HELD)
    return column._replace(width=max([column.width, *(line_width(t, 11) for t in texts)]))


def _declared_room(columns: list[Column], step: Step) -> list[Column]:
    """`columns` narrowed where the 申报收入 column prints (DECLARED_ROOM); as they are otherwise. A date
    column narrowed wraps (a typed 2019年12月10日 on two lines of its tall row, never cut)."""
    if not any(c.key == "declared_income" for c in columns):
        return columns
    dates = {f.key for f in step.row_fields if f.kind == "date"}
    room = {**{key: DECLARED_ROOM["free_text"] for key in FREE_TEXT},
            **({step.decision.reason: DECLARED_ROOM["reason"]} if step.decision is not None else {}),
            **{f.key: DECLARED_ROOM[f.kind] for f in step.row_fields if f.kind in ("date", "text")}}
    return [c._replace(width=min(c.width, room[c.key]), fmt="center_wrap" if c.key in dates else c.fmt)
            if c.key in room else c for c in columns]


def _one_line_width(lines: pd.Series, least: float, most: float) -> float:
    """The narrowest whole width from `least` up to `most` at which each of `lines` prints on one line
    (printed_lines at BODY_POINTS); `most` where none is."""
    texts = pd.unique(lines.dropna().astype(str).to_numpy(dtype=object))
    if not len(texts):
        return least
    for width in range(math.ceil(least), math.floor(most) + 1):  # a few dozen passes over the column at most
        if printed_lines(texts, width, BODY_POINTS).max() <= 1:
            return float(width)
    return float(most)


def _declared_held(columns: list[Column], rows, step: Step) -> tuple[list[Column], object]:
    """The 申报收入 column as wide as its longest line, and its parts two a line where the form still
    prints at LEAST_PRINT_POINTS (DECLARED_WIDEST): the columns and the rows as printed. The parts are
    the same words and amounts on other lines: the cell kept with the identity (one part a line) reads
    as printed (bare_text leaves out spaces and line breaks)."""
    at = next((i for i, c in enumerate(columns) if c.key == "declared_income"), None)
    if at is None or not len(rows):
        return columns, rows
    texts = pd.Series(rows.column("declared_income") if isinstance(rows, ColumnLists) else rows["declared_income"],
                      dtype=object).fillna("").astype(str)
    paired = texts.str.replace(r"([^\n]*)\n([^\n]*)(?:\n|$)", rf"\1{DECLARED_GAP}\2\n", regex=True).str.removesuffix("\n")
    least_scale = math.ceil(100 * LEAST_PRINT_POINTS / BODY_POINTS)
    widths = [c.width for c in columns]
    pair_width = _one_line_width(paired.str.split("\n").explode(), columns[at].width, DECLARED_WIDEST)
    trial = [*widths[:at], pair_width, *widths[at + 1:]]
    if print_scale(trial, step.landscape) >= least_scale and printed_lines(paired, pair_width, BODY_POINTS).max() <= 3:
        chosen, width = paired, pair_width
    else:
        chosen = texts
        # As wide as its longest line, as far as the form keeps its scale (or what it had).
        keep = min(least_scale, print_scale(widths, step.landscape))
        width = _one_line_width(texts.str.split("\n").explode(), columns[at].width, DECLARED_WIDEST)
        while width > columns[at].width and print_scale([*widths[:at], width, *widths[at + 1:]], step.landscape) < keep:
            width -= 1  # a character at a time: a few
    columns = [*columns[:at], columns[at]._replace(width=width), *columns[at + 1:]]
    values = chosen.tolist()
    if isinstance(rows, ColumnLists):
        held = {key: (rows.kind(key), rows.column(key)) for key in rows.columns}
        held["declared_income"] = (rows.kind("declared_income"), values)
        return columns, ColumnLists(held, len(rows))
    return columns, rows.assign(declared_income=values)


def _text_held(columns: list[Column], rows, step: Step, floors: dict[str, float], lang: Lang) -> list[Column]:
    """`columns` with the head's name's and the 村民小组's widened for the document's longest value
    (TEXT_WIDEST): within the page's room, then from the columns with
    slack: the widest free-text column (FREE_TEXT) down to FREE_TEXT_LEAST, a column widened for its
    header down to where the header breaks before its bracket (`floors`: 人均纯收入 over (元)); the print
    never smaller, a notice within its page's width. A value longer than that wraps in it."""
    widths = [c.width for c in columns]
    scale = print_scale(widths, step.landscape)
    # A notice's difficulty is a category (因病、因学): free text as much as a form's.
    free = max((i for i, c in enumerate(columns) if c.key in (*FREE_TEXT, "pub_difficulty")),
               key=lambda i: widths[i], default=None)
    least = {i: floors[c.key] for i, c in enumerate(columns) if c.key in floors}
    if free is not None:  # its header still whole where it was (主要困难类别)
        header = label(columns[free].key, lang)
        kept = line_width(header) if lines_of(header, widths[free]) <= 1 else 0
        least[free] = min(widths[free], max(FREE_TEXT_LEAST, kept))

    # A head's name (whose row it is) may take, last, from the columns written by hand (核实人, 核实日期)
    # down to their headers on one line: at the 入户核实's least scale nothing else had room, and
    # 欧阳玉兰芳 printed 欧阳玉兰 over 芳 (an outside try). A group takes none of it: it wraps first.
    by_hand = {f.key for f in step.row_fields if f.kind in NAME_ROOM_FROM}
    hand = {i: max(line_width(line) for line in label(c.key, lang).split("\n"))
            for i, c in enumerate(columns) if c.key in by_hand}

    def fits(trial: list[float]) -> bool:  # a notice is widened to its page's width after: at most that
        return sum(trial) <= POSTED_WIDTH if step.posted else print_scale(trial, step.landscape) >= scale

    for key, most in TEXT_WIDEST.items():  # a name first: whose row it is
        at = next((i for i, c in enumerate(columns) if c.key == key), None)
        if at is None:
            continue
        least = {**least, **hand} if key == "head_name" else {i: w for i, w in least.items() if i not in hand}
        every = pd.Series(rows.column(key), dtype=object).dropna().astype(str)
        texts = every.unique()
        if not len(texts):
            continue
        start = widths
        # A second line makes the row taller (wrapped_heights), on a form to fill in as on a notice.
        need = next((w for w in range(math.ceil(widths[at]), math.floor(most) + 1)
                     if printed_lines(texts, w).max() == 1), most)
        while widths[at] < need:  # a character at a time: a few
            trial = [*widths]
            trial[at] = min(need, trial[at] + 1)
            short = trial[at] - widths[at]
            for i in least:  # the page's room first, then the slack of the others
                if fits(trial):
                    break
                give = min(short, trial[i] - least[i])
                if give > 0:
                    trial[i] -= give
                    short -= give
            if not fits(trial):
                break
            widths = trial
        # Wider only where its rows then take fewer lines: room taken for nothing otherwise.
        if printed_lines(every, widths[at]).sum() >= printed_lines(every, start[at]).sum():
            widths = start
    return [c._replace(width=w) for c, w in zip(columns, widths)]


def _header_broken(text: str, width: float) -> str:
    """A header as it prints whole in a column `width` wide: a line that would break beside a bracket
    (人均纯收入(元 over a lone ), LibreOffice keeping no 避头尾 rule) broken before its opening bracket
    instead, where each part then holds a line (人均纯收入 over (元)); as it is otherwise."""
    lines = []
    for line in text.split("\n"):
        broken = re.sub(r"(?<=\S)(?=[(\uff08])", "\n", line)
        whole = lines_of(line, width) <= 1 or not breaks_at_a_mark(line)
        lines.append(line if whole or any(lines_of(part, width) > 1 for part in broken.split("\n")) else broken)
    return "\n".join(lines)


def _header_floors(columns: list[Column], before: list[Column], headers: dict[str, str]) -> dict[str, float]:
    """The columns `_headers_held` widened (from `before`) whose header prints whole broken before its
    bracket at a narrower width: that width (at least the one they had), the room a long name may take."""
    floors = {}
    for c, b in zip(columns, before):
        if c.width > b.width:
            parts = _header_broken(headers[c.key], b.width).split("\n")
            floor = max([b.width, *(line_width(part) for part in parts)])
            if floor < c.width and len(parts) > len(headers[c.key].split("\n")):
                floors[c.key] = floor
    return floors


def _printed_headers(columns: list[Column], step: Step, rows, named_once: dict, lang: Lang) -> dict[str, str]:
    """Each column's header as the document prints it: its label; 村(社区) over a place column listing a
    社区; the decision's with the two words it takes under it (审核意见 over (通过/不通过))."""
    headers = {c.key: label(c.key, lang) for c in columns}
    if "village" in headers and communities(rows.column("village"), lang).any():
        headers["village"] = label("village_or_community", lang)
    # A 社区's groups are its residents' (居民小组), as its page says 居民代表大会 and 本社区 (issuer_places).
    villages = rows.column("village") if "village" in rows.columns else [named_once.get("village", "")]
    if "group" in headers and len(villages) and communities(villages, lang).all():
        headers["group"] = label("group_of_community", lang)
    if step.decision is not None:
        d = step.decision
        headers[d.column] = decision_header(d, named_once["decision_yes"], named_once["decision_no"], lang)
    return headers


def _headers_held(columns: list[Column], headers: dict[str, str], step: Step) -> list[Column]:
    """`columns` widened where a header would print broken (xlsx.whole_width: 人均纯收入(元 over a lone
    ) in LibreOffice, the decision's (通过/不通过) over its 过)). The print a little smaller for it, never
    below LEAST_PRINT_POINTS (a form already there keeps its scale), as the other columns keep their widths (主要困难 holds
    自身发展动力不足 on a line): its rows no taller, a page holds as many or more. A notice within its
    page's width (it is widened to that after). Where that does not hold, a header that prints whole
    broken before its bracket (人均纯收入 over (元), _header_broken) keeps its width, the others widened
    as far as that holds; as they are where it does not."""
    widths = [c.width for c in columns]
    wider = [whole_width(headers[c.key], c.width) for c in columns]
    if wider == widths:
        return columns

    def held(trial: list[float]) -> bool:
        if step.posted:
            return sum(trial) <= POSTED_WIDTH
        least = math.ceil(100 * LEAST_PRINT_POINTS / BODY_POINTS)
        return print_scale(trial, step.landscape) >= min(print_scale(widths, step.landscape), least)

    if not held(wider):
        wider = [w if _header_broken(headers[c.key], c.width) != headers[c.key] else x
                 for c, w, x in zip(columns, widths, wider)]
    return [c._replace(width=w) for c, w in zip(columns, wider)] if held(wider) else columns


# The lines of a posted list on what it hides (ID numbers, health): left off a list of nobody.
PRIVACY_LINES = ("pub_privacy", "doc_privacy_no_id")


def write_document(plan: DocumentPlan) -> None:
    """Write one step's document: the household table with its title, lines, columns to fill in,
    signature lines (or the issuer's seal line on a posted notice), the step's own sheet (会议记录,
    异议处理, 张贴记录) and the identity."""
    proc = procedure()
    step = proc[plan.step]
    lang = plan.lang
    params = plan.params
    book = new_workbook(plan.path, fixed_scale=True)
    formats = cell_formats(book, lang)
    font = messages().labels["font_name"](lang)
    formats["label_cell"] = book.add_format({"font_name": font, "font_size": 11, "bold": True, "border": 1,
                                             "valign": "vcenter", "text_wrap": True, "bg_color": "#EEEEEE"})
    formats["para"] = book.add_format({"font_name": font, "font_size": 12, "valign": "top", "text_wrap": True})
    formats["right"] = book.add_format({"font_name": font, "font_size": 12, "align": "right", "valign": "vcenter"})
    formats["big_title"] = book.add_format({"font_name": font, "bold": True, "font_size": NOTICE_TITLE_SIZE, "align": "center",
                                            "valign": "vcenter", "text_wrap": True})
    # An amount a person reads, thousands separated (3,245.25), as the 花名册 prints it.
    formats["money"] = book.add_format({**formats.font, **FORMAT_SPECS["money"], "num_format": MONEY_FORMAT})

    # The lines, signatures and seal name a place before its body's word ({township}人民政府): a place
    # typed with its body (合隆镇人民政府) is given without it there, and its body named once.
    named_once = {**params, **issuer_places(params.get("township", ""), params.get("village", ""), lang)}
    # A decision's two words as this place writes them (a 社区's 仍在本社区): in its lines as on its column.
    if step.decision is not None:
        named_once["decision_yes"], named_once["decision_no"] = decision_words(step.decision,
                                                                               named_once["this_place"], lang)
    printed = [Column(key, *PRINTED[key]) for key in printed_keys(step) if key in plan.rows.columns
               and not (key in SAID_WHERE_FOUND and blank_everywhere(plan.rows.column(key)))]
    printed = [_money_held(c, plan.rows.column(c.key), step) if c.fmt == "money" else c for c in printed]
    columns = _declared_room(printed + _fill_columns(step, lang), step)
    columns, rows = _declared_held(columns, plan.rows, step)
    # The 申报收入's two parts a line (rows of three lines, not five) come before a header's width; a
    # long name or group after it, taking back what a header took where it may break before its bracket.
    headers = _printed_headers(columns, step, plan.rows, named_once, lang)
    before = columns
    columns = _headers_held(columns, headers, step)
    columns = _text_held(columns, plan.rows, step, _header_floors(columns, before, headers), lang)
    if step.posted:  # a notice fills its page's width
        scale = POSTED_WIDTH / sum(c.width for c in columns)
        columns = [c._replace(width=round(c.width * scale, 1)) for c in columns]
    last = len(columns) - 1
    width = sum(c.width for c in columns)

    ws = book.add_worksheet(label(f"sheet_{step.id}", lang))
    title = label(step.title, lang, **params)
    write_title(ws, 0, 0, last, title, formats["big_title" if step.posted else "title"], width=width,
                font_size=NOTICE_TITLE_SIZE if step.posted else TITLE_SIZE, least=40 if step.posted else 30,
                place=title_place(params))
    row = 1
    # A notice of nobody (a village with nobody left on its list): its line says so, and that one left
    # out may be reported; the note on what the list hides is for a list with households on it.
    nobody = step.posted and len(plan.rows) == 0
    for key in step.lines:
        if nobody and key in PRIVACY_LINES:
            continue
        if nobody and f"{key}_none" in messages().labels:
            key = f"{key}_none"
        # A rule set without a lower bound (monitoring): the line's words for a band open below.
        if params.get("lower") == "" and f"{key}_no_lower" in messages().labels:
            key = f"{key}_no_lower"
        # A rule set naming no document (basis): the notice cites none, as screen's own notice (write_notice).
        if not params.get("basis") and f"{key}_no_basis" in messages().labels:
            key = f"{key}_no_basis"
        size = 12 if step.posted else 10
        text = label(key, lang, **named_once)
        fmt = formats["para"] if step.posted else formats["subtitle"]
        write_block(ws, row, 0, last, text, fmt, text_height(text, width, size))
        row += 1
    header_row = row
    # Rows grow where a printed text wraps (a long name, a difficulty), from the room to write by hand.
    least = POSTED_ROW_HEIGHT if step.posted else FILL_ROW_HEIGHT
    # By the widths printed: a notice's columns are widened to its page, and laid out at their first
    # widths a 村民小组 of two lines took seven, rows of 150 points, five households a page.
    heights = wrapped_heights(rows, columns[:len(printed)], least)
    row = end = write_table(ws, header_row, columns, rows, formats, lang, heights=heights)
    # Each header as printed where it is not its label: 村(社区) over a 街道's 社区 (行政村 over 东风社区
    # misnames it), 居民小组, one broken before its bracket (a lone ) under 人均纯收入(元 otherwise).
    headers = {c.key: _header_broken(headers[c.key], c.width) for c in columns}
    for j, c in enumerate(columns):
        if headers[c.key] != label(c.key, lang):
            ws.write_string(header_row, j, headers[c.key], formats["header"])
    # The row as tall as its headers' lines (the decision's two words under it are set below, as before).
    decided = step.decision.column if step.decision is not None else None
    header_lines = max(sum(lines_of(line, c.width) for line in (label(c.key, lang) if c.key == decided
                                                                 else headers[c.key]).split("\n")) for c in columns)
    ws.set_row(header_row, max(30.0, float(printed_height(header_lines))))
    if step.decision is not None:  # the two words the column takes, under its header
        col = len(printed)
        d = step.decision
        yes, no = named_once["decision_yes"], named_once["decision_no"]
        ws.set_row(header_row, max(44.0, row_height(ws, header_row)))
        # … and as a drop-down on its rows: picked, never misspelt. A warning only: the other words
        # the column reads (同意 for 通过) stay the clerk's to type.
        if end > header_row + 1:
            hint = label("doc_decision_pick", lang, yes=yes, no=no)
            ws.data_validation(header_row + 1, col, end - 1, col, {
                "validate": "list", "source": [yes, no], "ignore_blank": True,
                "error_type": "warning", "error_title": label(d.column, lang)[:32], "error_message": hint[:255]})
    row += 1
    if step.form_sheet is None and step.form_fields:
        row = _form_rows(ws, row, step.form_fields, formats, lang, value_last=2, widths=[c.width for c in columns]) + 1
    row = _signatures(ws, row, step.signatures, len(columns), formats["sign"], named_once, lang)
    if step.issuer:
        write_block(ws, row, 0, last, label(step.issuer, lang, **named_once), formats["right"], 28)
        write_block(ws, row + 1, 0, last, params.get("issued_text", ""), formats["right"], 24)
        row += 2
    setup_print(ws, lang, header_row=header_row, landscape=step.landscape, running_title=title)
    # What follows the table (the signatures, the seal line) prints with its last households, as on a
    # village's list: never on a page holding only the repeated header.
    print_signed(ws, [c.width for c in columns], header_row, end, row, heights, row=least, landscape=step.landscape)
    if step.posted:
        _posted_on_one_page(ws, [c.width for c in columns], header_row, end, row, heights, step.landscape)

    if step.form_sheet is not None:
        _form_sheet(book, step, formats, params, lang)
    if step.objections:
        _objection_sheet(book, step, formats, params, lang, title, nobody=len(plan.rows) == 0, named_once=named_once)
    stamp(book, plan.identity)
    book.close()


# A posted notice a few rows over its page prints a little smaller on one page, not on a second sheet
# of two households and the seal line (six villages of fifteen in an outside try, 21 to 24 households
# each): down to this scale, its 11-point rows print at 9.35 points, still read on a notice board.
POSTED_LEAST_SCALE = 85


def _posted_on_one_page(ws, widths: Sequence[float], header_row: int, end: int, stop: int, heights,
                        landscape: bool) -> None:
    """A posted notice whose rows to `stop` (its seal line's end) take a little more than a page: at
    the scale that holds them on one, down to POSTED_LEAST_SCALE, without page breaks; as print_signed
    laid it out otherwise (more pages, the seal line with the last households). `heights`: the
    household rows' (header_row + 1 to `end`), which the sheet writes without setting them one by one."""
    rows = np.asarray(heights, dtype=float) if heights is not None and len(heights) == end - header_row - 1 \
        else np.full(end - header_row - 1, POSTED_ROW_HEIGHT, dtype=float)
    tall = sum(row_height(ws, r) for r in (*range(header_row + 1), *range(end, stop))) + rows.sum()
    one_page = math.floor(100 * page_body(landscape=landscape)[1] / (tall + HEIGHT_SLACK))
    scale = min(print_scale(widths, landscape), one_page)
    if ws.hbreaks and scale >= POSTED_LEAST_SCALE:
        ws.set_print_scale(scale)
        ws.set_h_pagebreaks([])


def communities(villages: Sequence, lang: Lang) -> np.ndarray:
    """Which of `villages` (as printed) is a 社区, as this_place_words tells one: a form asks whether
    any is (.any()) or every one is (.all())."""
    printed = pd.DataFrame({"township": "", "village": pd.Series(list(map(cell_text, villages)), dtype=object)})
    return this_place_words(printed, lang) == label("this_place_community", lang)


def decision_words(decision: Decision, this_place: str, lang: Lang) -> tuple[str, str]:
    """A decision's yes and no as the form of a place printing `this_place` (本村, a 社区's 本社区) says
    them: a word naming the place as a village's (仍在本村) names a 社区 as its own (仍在本社区), where
    the form reads that back as the same word; as procedure.toml gives it otherwise."""
    villages = label("this_place_village", lang)
    words = []
    for value in ("yes", "no"):
        word = decision.word(value, lang)
        own = word.replace(villages, this_place)
        words.append(own if decision.value_of(own) == value else word)
    return words[0], words[1]


def title_place(params: dict) -> str:
    """The place a document's title begins with (zh: 合隆镇前岗村…), where a long title breaks."""
    return f"{params.get('township', '')}{params.get('village', '')}"


def _form_sheet(book, step: Step, formats: dict, params: dict, lang: Lang) -> None:
    """会议记录 or 张贴记录: a title, then each field's label with the cell for its value."""
    ws = book.add_worksheet(label(step.form_sheet, lang))
    ws.set_column(0, 0, 16)
    ws.set_column(1, 4, 17)
    write_title(ws, 0, 0, 4, label(step.form_title, lang, **params), formats["title"], width=16 + 4 * 17,
                font_size=TITLE_SIZE, least=36, place=title_place(params))
    row = _form_rows(ws, 2, step.form_fields, formats, lang, value_last=4) + 1
    if step.form_sheet == "sheet_meeting":  # the meeting record: chair and minute-taker sign
        _signatures(ws, row, ("sign_host", "sign_recorder"), 5, formats["sign"], params, lang)
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    page_footer(ws, lang, label(step.form_title, lang, **params))


def _objection_sheet(book, step: Step, formats: dict, params: dict, lang: Lang, title: str,
                     nobody: bool = False, *, named_once: dict) -> None:
    """异议处理: who objected to which household, what about, the outcome (成立/不成立) and when; its note
    in the place's own words (`named_once`, issuer_places': 本社区 for a 社区)."""
    objection = procedure().objection
    ws = book.add_worksheet(label("sheet_objections", lang))
    columns = [Column("objection_seq", 8, "center"), Column("head_name", 12, "cell"),
               Column(objection.reason, 31, "cell"), Column(objection.column, 14, "center"),
               Column("objection_date", FILLED["date"][0], "center")]
    # Which publicity: the first's and the second's records print alike otherwise.
    write_title(ws, 0, 0, 4, label("doc_objections_title", lang, step=label(f"step_{step.id}", lang), **params),
                formats["title"], width=sum(c.width for c in columns), font_size=TITLE_SIZE, least=32,
                place=title_place(params))
    # An exit's objection is that a household should not leave: upheld, it stays; no 漏评 to report.
    # A list of nobody (本村无): only objections about households left off it (漏评) can come.
    note = label("doc_objections_note_exit" if procedure().track_of(step.id) == "exit" else
                 "doc_objections_note_none" if nobody else "doc_objections_note", lang, **named_once)
    write_block(ws, 1, 0, 4, note, formats["subtitle"], text_height(note, 82, 10))
    blank = pd.DataFrame({"objection_seq": [""] * OBJECTION_ROWS})
    write_table(ws, 2, columns, blank, formats, lang, row_height=30)
    ws.write_string(2, 3, objection_header(objection, lang), formats["header"])
    setup_print(ws, lang, header_row=2, landscape=False, running_title=title)


# ---------------------------------------------------------------------------------------------
# Reading: what is wrong and what was recorded, headers, form fields and dates


@dataclass
class Problem:
    """One thing wrong in a document, where it is (sheet and cell, when there is one)."""

    file: str
    what: Phrase
    sheet: str = ""
    cell: str | Phrase = ""  # a cell (H6), or a whole row (rp_at_row)

    def phrase(self) -> Phrase:
        if self.sheet:
            return Phrase("rp_line_at", file=self.file, sheet=self.sheet, cell=self.cell, what=self.what)
        return Phrase("rp_line", file=self.file, what=self.what)


@dataclass
class FileOutcome:
    """What recording one file did: 'recorded', 'amended' or 'unchanged' ('empty': a measure form never
    recorded, with nothing new on it, now recorded as returned; 'not_filled': a form as printed, passed
    over), with its counts
    (for a measure form: the households whose measures it records or changes, in `removed` the rows
    that change a measure held, in `events` every row it records)."""

    file: str
    step: str
    place: str
    status: str
    households: int
    removed: int
    events: int
    notes: tuple = ()  # Phrases the clerk is told beside the outcome (a late posting's period moved)




# A column's header printed in place of its label where the rows call for it (村(社区) over a 街道's
# 社区): read back as the column's.
PRINTED_INSTEAD = {"village": ("village_or_community",), "group": ("group_of_community",)}


def label_texts(key: str) -> tuple[str, ...]:
    """A label in both languages, folded as headers are compared (and the headers printed instead)."""
    texts = [messages().labels[k] for k in (key, *PRINTED_INSTEAD.get(key, ()))]
    return tuple(dict.fromkeys(folded for text in texts for folded in _both_folded(text.zh, text.en)))


@lru_cache(maxsize=4096)
def _both_folded(zh: str, en: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalise_header(t).casefold() for t in (zh, en)))


# Every cell of a returned form is folded to be compared with the labels, page after page: the same
# few hundred texts (a spot check's 3,757 pages spent half its reading here), each folded once.
@lru_cache(maxsize=1 << 16, typed=True)
def folded_cell(value) -> str:
    """A cell's text folded as a label is (label_texts), a closing colon dropped."""
    return normalise_header(cell_text(value)).casefold().rstrip(":")


def find_header(cells: list[list], anchor: str) -> int | None:
    """The index of the first row with a cell reading the label `anchor` (户主姓名), either language."""
    wanted = label_texts(anchor)
    for i, row in enumerate(cells):
        if any(folded_cell(v) in wanted for v in row):
            return i
    return None


def find_columns(header: list, key: str, *, start: int = 0, printed: Sequence[str] = ()) -> list[int]:
    """The columns from `start` that may be `key`'s: those whose header reads as the form printed it
    (the label, or one of `printed`: 评议结果 over (同意/不同意), decision_headers); where none does,
    every one beginning with the label (the printed header edited, 评议结果(最终), or a column added
    beside it, 评议结果2: more than one, and which is the form's is not the reader's to guess)."""
    wanted = label_texts(key)
    exact = {*wanted, *(folded_cell(p) for p in printed)}
    folded = [folded_cell(v) for v in header]
    found = [j for j in range(start, len(folded)) if folded[j] in exact]
    return found or [j for j in range(start, len(folded)) if folded[j] and folded[j].startswith(wanted)]


def find_column(header: list, key: str, *, start: int = 0, printed: Sequence[str] = ()) -> int | None:
    """The column whose header reads the label `key` (or one of `printed`) exactly, else the first
    beginning with it (find_columns). None if there is none."""
    found = find_columns(header, key, start=start, printed=printed)
    return found[0] if found else None


def decision_header(decision: Decision, yes: str, no: str, lang: Lang) -> str:
    """The decision column's header as a form prints it: its label over the two words it takes."""
    return f"{label(decision.column, lang)}\n({yes}/{no})"


def objection_header(objection, lang: Lang) -> str:
    """The 异议处理 sheet's result column as printed: its label over the words it takes."""
    return f"{label(objection.column, lang)}\n({objection.yes(lang)}/{objection.no(lang)})"


def objection_headers(objection) -> tuple[str, ...]:
    """objection_header in either language: the printed column told from one added beside it (处理结果2)."""
    return tuple(dict.fromkeys(objection_header(objection, lang) for lang in ("zh", "en")))


@cache
def decision_headers(decision: Decision) -> tuple[str, ...]:
    """Every header a decision's column is printed with (decision_header), either language, a
    village's words or a 社区's (仍在本社区): the printed column told from one a village added
    beside it whose header begins alike (评议结果2, 审核意见(包村干部))."""
    heads = [decision_header(decision, *decision_words(decision, label(place, lang), lang), lang)
             for lang in ("zh", "en") for place in ("this_place_village", "this_place_community")]
    return tuple(dict.fromkeys(heads))


def find_form_value(cells: list[list], key: str, merges=()) -> tuple[object, int, int] | None:
    """A form field: the first cell reading the label `key`, and the first non-blank cell to its
    right in that row (value, row, column of the value; if blank, the cell right of the label, past
    the label's own merged range among `merges`: the cell the form leaves to fill)."""
    wanted = label_texts(key)
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            if folded_cell(v) in wanted:
                for k in range(j + 1, len(row)):
                    if cell_text(row[k]):
                        return row[k], i, k
                return "", i, merged_end(merges, i, j) + 1
    return None


def merged_end(merges, row: int, col: int) -> int:
    """The last column of the merged range among `merges` that holds the cell (row, col), from 0;
    `col` where it is in none: the cell right of a label is the one after this."""
    return max((c2 for (r1, c1), (r2, c2) in merges if r1 <= row <= r2 and c1 <= col <= c2), default=col)


def find_label_with_value(cells: list[list], key: str) -> tuple[str, int, int] | None:
    """A form field's label with its value typed into the label's own cell (审核日期:2019年12月16日):
    (what follows the label, row, column of the label's cell); None if no cell starts so."""
    wanted = label_texts(key)
    for i, row in enumerate(cells):
        for j, v in enumerate(row):
            folded = normalise_header(cell_text(v)).casefold()
            for w in wanted:
                rest = folded[len(w):].lstrip(":").strip() if folded.startswith(w) else ""
                if rest:
                    text = cell_text(v).replace("：", ":")
                    return (text.split(":", 1)[1].strip() if ":" in text else rest), i, j
    return None


def cell_name(row: int, col: int) -> str:
    """'B12' for the 0-based row 11, column 1."""
    return f"{column_letter(col)}{row + 1}"


def parse_date(value) -> dt.date | None:
    """A date as clerks write it: an Excel date, 2026-10-05, 2026/10/5, 2026.10.5, 2026年10月5日 (or
    5号, or in Chinese numerals: 二〇二六年十月五日), with a time of day after it or not, or 20261005.
    None for anything else (the caller says so)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return typed_day(cell_text(value))


_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*[日号]?\s*$")
# 19.12.6, 19/12/6, 19年12月6日: the year's last two digits.
_SHORT_YEAR = re.compile(r"^\s*(\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\s*$")
# An Excel date in a cell formatted 常规 (General) shows as its serial number: 43805 is 2019-12-06.
# Five digits, 1990 to 2100: nothing else a clerk types there looks like that.
_EXCEL_SERIAL = re.compile(r"^\s*(\d{5})(?:\.\d+)?\s*$")


def date_example(value, printed: dt.date, today: dt.date | None = None) -> dict:
    """The parameters of rp_date_bad's example (iso, y, m, d, and `hint`, the words to show): what was
    typed, where it says a day: a date without its year (3月5日) in the year of the document (the
    day it was printed, or a sample drawn), so that a form of 2020 is not told to write 2019; in the
    next year where that day would come before the printing (1月5日 on a form of late December) and
    has come by `today` (default: today); a year of two digits (19.12.6: 2019-12-06); an Excel date
    number (43805: 2019-12-06), said as one. Anything else: iso … are the day it was printed, and
    the hint is the format alone, not a day the clerk did not mean."""
    today = today or dt.date.today()
    doubt = typed_day_doubt(cell_text(value))
    if doubt is not None:  # a day written two ways at once (12/7/2026, a weekday that disagrees): both said
        return {"iso": printed.isoformat(), "y": printed.year, "m": printed.month, "d": printed.day, "hint": doubt}
    day, written = printed, None
    text = cell_text(value)
    text = arabic_numerals(text)  # 十二月六日, as parse_date reads it
    m = _MONTH_DAY.match(text)
    for year in (printed.year, printed.year + 1) if m else ():
        try:
            typed = dt.date(year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            break
        if year == printed.year or typed <= today:
            day = written = typed
        if typed >= printed:
            break
    short = _SHORT_YEAR.match(text)
    if short:
        try:
            day = written = dt.date(2000 + int(short.group(1)), int(short.group(2)), int(short.group(3)))
        except ValueError:
            pass
    serial = _EXCEL_SERIAL.match(text)
    number_day = EXCEL_EPOCH + dt.timedelta(days=int(serial.group(1))) if serial else None
    if number_day is not None and 1990 <= number_day.year <= 2100:
        day = number_day
    words = {"iso": day.isoformat(), "y": day.year, "m": day.month, "d": day.day}
    if day is number_day:
        hint = Phrase("rp_date_hint_excel_number", **words)
    elif written is not None:
        hint = Phrase("rp_date_hint_write", **words)
    else:  # the format, with the document's own day as its example (never YYYY alone)
        hint = Phrase("rp_date_hint_example", **words)
    return {**words, "hint": hint}


def parse_count(value) -> int | None:
    """A head count: 35, 35.0, '35', '35人'. None for anything else."""
    text = cell_text(value).removesuffix("人").strip()
    return int(text) if text.isdigit() else None


def parse_seq(value) -> int | None:
    """A list number as typed on an objection: 3, 3.0, '3', '3号', '第3号' (the 号 of a list number,
    as a count has its 人). None for anything else."""
    text = cell_text(value).strip().removeprefix("第").removesuffix("号").strip()
    return int(text) if text.isdigit() else None


def says_nothing(value) -> bool:
    """A cell that holds a placeholder, not words: blank, only marks (/, —, ……), or one of the
    catalogue's words that say nothing (无, 没有, 略, N/A)."""
    folded = folded_words(cell_text(value))
    return not any(ch.isalnum() for ch in folded) or folded in procedure().words_saying_nothing


def says_no_objection(value) -> bool:
    """A cell that says there was no objection (公示期间无异议, 无异议, no objection)."""
    return folded_words(cell_text(value)) in procedure().words_of_no_objection


# Printed texts reworded since: a form printed before reads its earlier words as printed too (the
# county's review was signed 审核人(签字): before 复审人, 审核 being the township's step).
PRINTED_BEFORE = {"sign_county_reviewer": ("sign_reviewer",)}


@cache
def _printed_pattern(keys: tuple[str, ...], lang: Lang) -> re.Pattern:
    parts = []
    for key in dict.fromkeys(k for key in keys for k in (key, *PRINTED_BEFORE.get(key, ()))):
        text = "".join(unicodedata.normalize("NFKC", messages().labels[key].template(lang)).split())
        pieces = re.split(r"\{[^{}]*\}|_{2,}", text)  # what the printing fills in, and blanks left to write on
        parts.append(".*".join(re.escape(p) for p in pieces))
    return re.compile("|".join(f"(?:{p})" for p in parts) or "(?!)", re.DOTALL)


def is_printed_text(value, keys: Sequence[str], lang: Lang) -> bool:
    """Whether a cell reads as one of the catalogue's texts `keys` as a document prints them (a seal
    line, a signature line), whatever fills their {placeholders} and the blanks left to write on;
    compared without white space."""
    text = "".join(unicodedata.normalize("NFKC", cell_text(value)).split())
    return bool(text) and _printed_pattern(tuple(keys), lang).fullmatch(text) is not None


# The day signed: 2020年11月20日 (二〇二〇年十一月二十日), 2020.11.20, or the printed blanks (  年  月  日).
_SIGNED_DAY = (r"(?:\d{4}|[〇○零一二三四五六七八九]{4}|_*) ?年 ?(?:\d{1,2}|[一二三四五六七八九十]{1,3}|_*) ?月 ?"
               r"(?:\d{1,2}|[一二三四五六七八九十]{1,3}|_*) ?[日号]|\d{4} ?[-/.] ?\d{1,2} ?[-/.] ?\d{1,2}")
# A name signed after a role: a person's (2 to 4 characters, a minority name's parts joined by ·), or
# a few, 、 between them; in English a given and a family name. A sentence is none (户主外出打工), nor
# a day written in words after the colon (日期:二〇二〇年…).
_SIGNED_NAME = r"(?:[\u3400-\u9fff]{1,4}(?:[·•][\u3400-\u9fff]{1,8})?|[a-z][a-z.'\-]*(?: [a-z][a-z.'\-]*)?)"
_SIGNED_NAMES = rf"(?!{_SIGNED_DAY}){_SIGNED_NAME}(?: ?[、,/] ?{_SIGNED_NAME})*"
_SIGNED_DAYS = re.compile(rf"(?:{_SIGNED_DAY}|_+)(?: ?(?:{_SIGNED_DAY}|_+))*")
# Long lines are no signature block: the pattern is not tried on them.
_SIGNED_LINE_MOST = 120


@cache
def _signature_line() -> re.Pattern:
    """A signature block's line: pieces, each a role (the survey reader's signature words, 审核 书记
    干部 …, and the roles of the documents' own signature lines, 主持人 驻村工作队 日期) with its colon or
    its mark in brackets ((签字), (盖章)) and the name written after it, a seal (村"两委"(盖章)), a day,
    or a blank to write on. What a decision or an objection is written with is no name (审核:不同意,
    村主任:无异议): an opinion, not a signature."""
    signs = [unicodedata.normalize("NFKC", t) for key, text in messages().labels.items() if key.startswith("sign_")
             for t in (text.zh, text.en)]
    roles = {re.split(r"[(:]", re.sub(r"\{[^{}]*\}", "", s))[0].strip() for s in signs} - {""}
    marks = {m.strip() for s in signs for m in re.findall(r"\(([^()]+)\)", s)}
    words = "|".join(map(re.escape, sorted({*fields().rows.signature_words, *roles}, key=len, reverse=True)))
    mark = r"\((?:" + "|".join(map(re.escape, sorted({*marks, *fields().rows.signature_words}))) + r")\)"
    proc = procedure()
    decisions = [proc.objection, *(s.decision for s in proc.all_steps if s.decision)]
    opinions = {folded_words(w) for d in decisions
                for w in (d.yes.zh, d.yes.en, *d.yes_also, d.no.zh, d.no.en, *d.no_also)}
    opinions |= proc.words_saying_nothing | proc.words_of_no_objection
    opinion = "|".join(map(re.escape, sorted(opinions, key=len, reverse=True)))
    names = rf"(?!(?:{opinion})(?![\u3400-\u9fffa-z])){_SIGNED_NAMES}"
    place = r"[^\s:(),;。!?、]{0,20}"  # the office's place before its role or seal: 村党支部, 合隆镇人民政府
    piece = (rf"{place}(?:{words})人?(?:{words})?(?: ?{mark})?(?: ?: ?(?:{names})?| (?:{names}))"
             rf"|{place}{mark}(?: ?:)?(?: ?(?:{names}))?|{_SIGNED_DAY}|_+")
    # Each piece taken whole once read (an atomic group): a line that is none fails in time linear in
    # its length, not after trying every way to part it.
    return re.compile(rf"(?>{piece})(?: ?(?>{piece}))*+", re.IGNORECASE)


def is_signature_line(values: Sequence, *, day_alone: bool = True, pattern: re.Pattern | None = None) -> bool:
    """Whether the cells of a line below a list, read together, are its signature block and nothing
    else: roles and seals as printed or as a village types them (村"两委"(盖章)  村党支部书记:张国庆,
    审核人:王丽, 主持人(签字):王德发), the names written after them, and days (2020.11.20, a date
    cell). `day_alone`: a day with no signature is one too. A remark (备注:…), a household (a name, an
    ID) or a sentence is not."""
    days = [v for v in values if isinstance(v, dt.date)]
    line = " ".join(" ".join(unicodedata.normalize("NFKC", cell_text(v)).split())
                    for v in values if not isinstance(v, dt.date) and cell_text(v)).strip()
    if not line:
        return day_alone and bool(days)
    if len(line) > _SIGNED_LINE_MOST or (not day_alone and _SIGNED_DAYS.fullmatch(line)):
        return False
    # 审核:户主去世 reads as a role and a name of four characters: a remark lost were it passed over.
    if any(word in line for word in fields().rows.not_a_name):
        return False
    return (pattern or _signature_line()).fullmatch(line) is not None


_NAMES_ALONE = re.compile(rf"(?:{_SIGNED_NAMES}|{_SIGNED_DAY})(?: (?:{_SIGNED_NAMES}|{_SIGNED_DAY}))*", re.IGNORECASE)


def signs_the_list(cells: Sequence[Sequence], i: int, last: int) -> bool:
    """Whether line `i`, below the list's last household (line `last`), signs it: a signature block
    (is_signature_line), or names and days alone on the line right under one (主持人(签字): printed on
    its line, 杨春明 written on the next, in the 户主姓名 column): no household added, no remark. A name
    with anything else (an ID, a figure, a sentence) is neither."""
    if i <= last:
        return False
    if is_signature_line(cells[i]):
        return True
    above = next((k for k in range(i - 1, last, -1) if any(cell_text(v) for v in cells[k])), None)
    if above is None or not is_signature_line(cells[above], day_alone=False):
        return False
    return is_signature_line(cells[i], pattern=_NAMES_ALONE)


def distinct_name(name: str, day: dt.date, taken: dict[str, str], step_word: str = "") -> str:
    """`name` (a file's path relative to the folder), or where a document still out or a file carried
    over has its file name, in any folder, another name: collected in one folder (WeChat, a USB
    stick), no document out overwrites another. Where the one out is of another step (a village's
    entry review and exit review printed the same day), the step's word (`step_word`, its folder)
    is added; where it is of the same step (a township's second form while its first is out), the
    day printed, then a number, at the end of its stem. `taken`: file name → its folder, casefolded
    (Windows tells no case); it gets the one returned."""
    path = PurePosixPath(name)
    folder = str(path.parent).casefold()
    candidate, n = name, 0
    first: list[str] | None = None
    while PurePosixPath(candidate).name.casefold() in taken:
        if first is None:  # decided by the first clash: the plain name's
            first = [f"-{step_word}"] if step_word and taken[PurePosixPath(name).name.casefold()] != folder else []
        m = n - len(first) + 1  # the day's tags: -2026-12-02, -2026-12-02-2 …
        tag = first[n] if n < len(first) else f"-{day.isoformat()}" + (f"-{m}" if m > 1 else "")
        n += 1
        stem = path.stem
        while stem and (len(stem + tag) > NAME_LIMIT or len((stem + tag).encode("utf-8")) > NAME_BYTES):
            stem = stem[:-1].rstrip(" .")
        candidate = str(path.with_name(stem + tag + path.suffix))
    taken[PurePosixPath(candidate).name.casefold()] = folder
    return candidate
