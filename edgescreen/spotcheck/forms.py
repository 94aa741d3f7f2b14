"""The blind verification form (入户核查表): one workbook per sampled village, one A4 page per
household, written with its identity and read back once a verifier has filled it in.

Blind: a page prints who the household is (序号, place, 户编号, head, the ID masked) and empty cells
for everything the verifier finds out at the home — members, residents, each income and expense
component, 低保/特困/建档立卡, who verified and when — never what the survey recorded. The households
of a village are in the survey's order, not listed ones first, so neither the page nor its place
says which households are candidates.

Identity. `register.documents.stamp` writes the document's identity (doc_id, step 'spot_check',
the village, and per page the household's key with a hash of the identity cells as printed); a
second very hidden sheet, `edgescreen-sample`, holds the sample: its id, the source it was drawn
from (file name and SHA-256; a register's id and round), the options, the design's strata (N_h,
n_h, M_t, K_t: aggregate counts, no household) and each page's household key. Not a page's stratum,
nor the sample's fingerprint (a hash of every household with its stratum, which a few guesses could
match): anyone with the file could tell the candidates before the visit. backcheck takes the stratum
from the ledger or register the sample was drawn from; forms printed before, whose pages carry it
(SAMPLE_FORMAT_OLD), are still read. The seed is not in the forms (only in sample.json): a verifier
holding one village's forms cannot work out another village's sample.

Reading back is by label, not position: each page begins at the cell reading 核查序号 and runs to the
next; every label is found in its page (in either language) and its value is the cell to its right.
Edited identity cells, pages added, removed or given twice are problems named by file, sheet and
cell; so is a visited page with a cell left blank.

A value struck through (删除线, as marks.py finds it on a survey) is what the verifier crossed out, never
the verified value: where the one thing written beside the row, in the first cell right of the form's
boxes, is unstruck and no other box of the row is struck, that is the correction and is read in its
place (and said); else the item is unanswered (backcheck says the cell was struck).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__
from ..catalogue import Lang, Phrase, fields, label, messages
from ..checks import ids_of_18, valid_ids
from ..inputs import SPOT_CHECK_STEP
from ..normalise import normalise_id
from ..outputs.places import issuer_places
from ..outputs.privacy import mask_id, mask_id_shown, mask_in_text
from ..outputs.xlsx import A4, MARGINS, new_workbook, printed_lines, text_height, write_block, write_title
from ..register.documents import (
    FilledDocument,
    Identity,
    Problem,
    bare_text,
    cell_name,
    cell_text,
    folded_cell,
    label_texts,
    open_filled,
    row_hash,
    row_matches,
    stamp,
)
from ..workbook import struck_cells

STEP = SPOT_CHECK_STEP
SAMPLE_SHEET = "edgescreen-sample"
SAMPLE_FORMAT = "edgescreen-sample-2"
SAMPLE_FORMAT_OLD = "edgescreen-sample-1"   # its pages carried their stratum: read, never written

# The fields a verifier finds out, in the order of the form: the counts, the income and expense
# components (every money field that is not a total: any rule set sums some of them), the flags.
TOTALS = ("total_income", "production_expenses")
COUNT_FIELDS = ("members", "residents")
FLAG_FIELDS = ("is_dibao", "is_tekun", "is_registered_poor")


def money_fields() -> list[str]:
    return [f for f in fields().fields_of_kind("money") if f not in TOTALS]


def form_fields() -> list[str]:
    return [*COUNT_FIELDS, *money_fields(), *FLAG_FIELDS]


VISIT_FIELDS = ("verifier", "verify_date")   # required on a visited page
NOTE_FIELD = "verify_notes"                    # optional
SEQ = "spot_seq"

STRATA_COLUMNS = ["township", "village", "stratum", "stratum_size", "sample_size", "villages_in_township",
                  "villages_sampled"]


def field_label(name: str) -> str:
    """The label key of a form field or visit cell."""
    return f"spot_f_{name}"


def identity_keys(with_group: bool) -> list[str]:
    """Label keys of a page's identity cells, in print order (the order of the row hash)."""
    return [SEQ, "household_id", "township", "village", "head_name", "masked_id", *(["group"] if with_group else [])]


# ---------------------------------------------------------------------------------------------
# Writing


@dataclass
class VillageForm:
    """One village's form: its pages' printed identity cells (by label key, in seq order), the key
    of each page's household, and the sample facts every form of the sample carries."""

    path: Path
    township: str
    village: str
    pages: pd.DataFrame                  # seq, key and the identity keys' cells (no stratum: blind)
    with_group: bool
    sample: dict                         # facts (sample_id, source …, options), as sample.json says
    strata: pd.DataFrame                 # STRATA_COLUMNS, every stratum of the sample
    lang: Lang
    doc_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    register_id: str | None = None
    round: int | None = None


def form_file_names(households: pd.DataFrame, lang: Lang, *, with_kind: bool = True) -> dict[tuple[str, str], str]:
    """Each village's form's file name, 合隆镇-前岗村-入户核查表.xlsx: places.village_file_names over the
    households the sample is drawn from, the form's kind after the place (Excel opens no two files of
    one name at once: the village's list is 合隆镇-前岗村.xlsx). `with_kind=False`: the name a form
    printed before names said their kind has (合隆镇-前岗村.xlsx)."""
    from ..outputs.places import village_file_names

    return village_file_names(households, lang, label("file_kind_spot_form", lang) if with_kind else "")


def printed_pages(households: pd.DataFrame, with_group: bool, *, as_before: bool = False) -> pd.DataFrame:
    """A village's identity cells as printed, from the source's columns, numbered in the order given:
    the ID masked (mask_id_shown: an ID Excel stored as a number starred whole, as every printed
    document stars it), ID- or phone-shaped numbers inside text masked. `as_before`: as forms printed
    before were (mask_id: such an ID half starred, 2.2012**********E+17), which backcheck still
    recognises."""
    mask = mask_id if as_before else mask_id_shown
    text = lambda s: mask_in_text(s.fillna("").astype(str)).to_numpy()  # noqa: E731
    out = pd.DataFrame({SEQ: range(1, len(households) + 1),
                        "household_id": _household_code(households, mask),
                        "township": households["township"].fillna("").astype(str).to_numpy(),
                        "village": households["village"].fillna("").astype(str).to_numpy(),
                        "head_name": text(households["head_name"]),
                        "masked_id": mask(households["head_id"].astype("string")).to_numpy()})
    if with_group:
        out["group"] = text(households["group"])
    return out


def _household_code(households: pd.DataFrame, mask) -> object:
    """The 户编号 as typed: the verifier finds the household by it, and a village's number of 15 digits
    or more (2201221401001001) is no one's ID, though a text's digit runs of that length are masked
    as IDs. Masked as the ID is where it is one: the head's, or a valid ID (a village numbering its
    households by their heads' IDs), by `mask`, as the head's ID is."""
    codes = households["household_id"].fillna("").astype(str)
    plain = normalise_id(codes)
    heads = normalise_id(households["head_id"].astype(object).fillna("").astype(str))
    as_18, _ = ids_of_18(plain.to_numpy(dtype=object))
    is_id = valid_ids(as_18)[0] | ((plain != "") & (plain == heads)).to_numpy(dtype=bool)
    return codes.mask(is_id, mask(codes)).to_numpy(dtype=object)


def _formats(book, lang: Lang) -> dict:
    font = messages().labels["font_name"](lang)
    base = {"font_name": font, "valign": "vcenter", "text_wrap": True}
    add = lambda **kw: book.add_format({**base, **kw})  # noqa: E731
    return {
        "title": add(bold=True, font_size=TITLE_POINTS, align="center"),
        "subtitle": add(font_size=10, align="center", font_color="#444444"),
        "section": add(bold=True, font_size=12, bg_color="#DDDDDD", border=1),
        "label": add(bold=True, font_size=12, bg_color="#F0F0F0", border=1, indent=1),
        "printed": add(bold=True, font_size=12, border=1, indent=1),
        "fill": add(font_size=14, border=1, align="center"),
        "note": add(font_size=12, border=1, valign="top"),
        "blank": add(border=1, bg_color="#F0F0F0"),
    }


# Column widths (characters) of a page: label, value, label, value; 80 in all, an A4 portrait page's
# body at 100 % (column_points × WIDTH_SLACK ≈ 506 of 523 points).
WIDTHS = (24, 16, 24, 16)
TITLE_POINTS = 18
HEIGHTS = {"title": 36, "subtitle": 20, "section": 26, "printed": 30, "fill": 44, "note": 80, "sign": 52}


def label_lines(text: str, width: float) -> str:
    """A label as printed in a column `width` wide: where it would wrap, broken before its bracketed
    unit (生产性固定资产折旧 | (元)), not wherever the line runs out (… 折旧(元 | )): with Calibri's and
    Arial's metrics, as Excel and WPS print, the longer labels take two lines. Read back alike, the
    line break aside (folded_cell)."""
    cut = text.rfind("(")
    if cut <= 0 or printed_lines([text], width, 12)[0] <= 1:
        return text
    return text[:cut] + "\n" + text[cut:]


def _section_height(text: str) -> float:
    """A section line's height: one line, or as many as its words take across the page."""
    return max(HEIGHTS["section"], text_height(text, sum(WIDTHS), 12))


def _pairs(ws, row: int, keys: Sequence[str], formats: dict, lang: Lang, values: dict | None, kind: str) -> int:
    """Label–value pairs two to a row; `values` (printed identity) or empty cells to fill in. A row
    is as tall as its longest printed value wraps to (a village of 18 characters took two lines of
    a row of one, and printed cut)."""
    for i in range(0, len(keys), 2):
        height = HEIGHTS["printed" if values is not None else "fill"]
        alone = len(keys[i:i + 2]) == 1
        for j, key in enumerate(keys[i:i + 2]):
            if values is not None and values[key] not in (None, ""):
                room = sum(WIDTHS[1:]) if alone else WIDTHS[2 * j + 1]
                height = max(height, text_height(str(values[key]), room, 12))
            ws.write_string(row, 2 * j, label_lines(label(key, lang), WIDTHS[2 * j]), formats["label"])
            value = "" if values is None else values[key]
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ws.write_number(row, 2 * j + 1, value, formats[kind])
            elif value:
                ws.write_string(row, 2 * j + 1, str(value), formats[kind])
            else:
                ws.write_blank(row, 2 * j + 1, None, formats[kind])
        if alone:  # alone on its row: the value across the page (an ID fits)
            value = "" if values is None else values[keys[i]]
            ws.merge_range(row, 1, row, 3, "", formats[kind])
            if value:
                ws.write_string(row, 1, str(value), formats[kind])
        ws.set_row(row, height)
        row += 1
    return row


def write_form(form: VillageForm) -> None:
    """One village's workbook: a page per household (see the module docstring)."""
    lang = form.lang
    book = new_workbook(form.path)
    formats = _formats(book, lang)
    ws = book.add_worksheet(label("spot_form_sheet", lang))
    for j, width in enumerate(WIDTHS):
        ws.set_column(j, j, width)
    keys = identity_keys(form.with_group)
    fill = [field_label(f) for f in form_fields()]
    count = len(form.pages)
    # 本村, or a 社区's 本社区: the words its own verifiers read.
    this_place = issuer_places(form.township, form.village, lang)["this_place"]
    starts = []
    row = 0
    for page in form.pages.to_dict(orient="records"):
        starts.append(row)
        write_title(ws, row, 0, 3, label("spot_form_title", lang, township=form.township, village=form.village),
                    formats["title"], width=sum(WIDTHS), font_size=TITLE_POINTS, least=HEIGHTS["title"],
                    place=f"{form.township}{form.village}")
        write_block(ws, row + 1, 0, 3, label("spot_form_subtitle", lang, seq=page[SEQ], count=count,
                                             sample=form.sample["sample_id"], this_place=this_place),
                    formats["subtitle"], HEIGHTS["subtitle"])
        write_block(ws, row + 2, 0, 3, label("spot_form_section_household", lang), formats["section"],
                    HEIGHTS["section"])
        # Numbers of 13 to 18 characters each on a row of their own, across the page: a value column
        # would wrap them. (Reading back is by label; the row hash keeps identity_keys' order.)
        row = _pairs(ws, row + 3, [k for k in (SEQ, "head_name", "township", "village", "group") if k in keys],
                     formats, lang, page, "printed")
        for key in ("household_id", "masked_id"):
            row = _pairs(ws, row, [key], formats, lang, page, "printed")
        # The year whose incomes are asked: a visit late in the next year would write this year's.
        found = label("spot_form_section_found", lang, year=form.sample["income_year"]) \
            if form.sample.get("income_year") else label("spot_form_section_found_no_year", lang)
        write_block(ws, row, 0, 3, found, formats["section"], _section_height(found))
        row = _pairs(ws, row + 1, fill, formats, lang, None, "fill")
        write_block(ws, row, 0, 3, label("spot_form_section_visit", lang), formats["section"],
                    _section_height(label("spot_form_section_visit", lang)))
        row = _pairs(ws, row + 1, [field_label(f) for f in VISIT_FIELDS], formats, lang, None, "fill")
        ws.write_string(row, 0, label(field_label(NOTE_FIELD), lang), formats["label"])
        ws.merge_range(row, 1, row, 3, "", formats["note"])
        ws.set_row(row, HEIGHTS["note"])
        row += 1
        for j, key in enumerate(("spot_sign_head", "spot_sign_verifier")):
            ws.write_string(row, 2 * j, label(key, lang), formats["label"])
            ws.write_blank(row, 2 * j + 1, None, formats["fill"])
        ws.set_row(row, HEIGHTS["sign"])
        row += 1
    ws.set_h_pagebreaks(starts[1:])
    ws.print_area(0, 0, max(row - 1, 0), 3)
    ws.set_portrait()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)
    ws.center_horizontally()
    ws.set_footer("&C" + messages().labels["page_footer"](lang))
    ws.activate()

    headers = tuple(label(k, lang) for k in keys)
    cells = form.pages[keys]
    rows = pd.DataFrame({"seq": form.pages[SEQ].to_numpy(), "key": form.pages["key"].astype(str).to_numpy(),
                         "hash": [row_hash(r) for r in cells.itertuples(index=False)]})
    for key, header in zip(keys, headers):
        rows[header] = cells[key].to_numpy()
    stamp(book, Identity(doc_id=form.doc_id, step=STEP, scope="village", township=form.township,
                         village=form.village, round=form.round, register_id=form.register_id,
                         sheet=label("spot_form_sheet", lang), headers=headers, rows=rows))
    _stamp_sample(book, form)
    book.close()


def _stamp_sample(book, form: VillageForm) -> None:
    """The sample's own very hidden sheet: facts (key, JSON value), the strata, the pages' keys."""
    ws = book.add_worksheet(SAMPLE_SHEET)
    facts = {"format": SAMPLE_FORMAT, **form.sample}
    r = 0
    for key, value in facts.items():
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, json.dumps(value, ensure_ascii=False))
        r += 1
    for name, table in (("strata", form.strata[STRATA_COLUMNS]), ("pages", form.pages[[SEQ, "key"]])):
        ws.write_string(r, 0, f"[{name}]")
        ws.write_number(r, 1, len(table))  # rows to read back: a blank township name ends nothing
        r += 1
        for c, column in enumerate(table.columns):
            ws.write_string(r, c, column)
        r += 1
        for values in table.itertuples(index=False):
            for c, value in enumerate(values):
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, float(value))
            r += 1
    ws.very_hidden()


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class SampleFacts:
    """What a form says of its sample: the facts, the strata, and its pages' keys (an old form's
    with their stratum, which nothing reads: the source says it)."""

    facts: dict
    strata: pd.DataFrame
    pages: pd.DataFrame


@dataclass
class PageRead:
    """One household's page as filled in: the raw cells of each field (by field name), where each
    sits (0-based row, column), and whether the verifier filled anything in."""

    file: str
    sheet: str
    seq: int
    key: str
    visited: bool
    values: dict[str, object]
    cells: dict[str, tuple[int, int]]
    # Items whose value was struck through (删除线), by field name: read from beside it, (the struck
    # cell, what it held), their `cells` the correction's; or, with nothing to read beside, the struck
    # text alone, their value blank (unanswered).
    corrected: dict[str, tuple[tuple[int, int], str]] = field(default_factory=dict)
    struck: dict[str, str] = field(default_factory=dict)


@dataclass
class FormRead:
    """A filled form: its identity, sample, pages (one per printed household found) and problems."""

    filled: FilledDocument
    sample: SampleFacts | None = None
    pages: list[PageRead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Phrase] = field(default_factory=list)  # what was written where nothing is read
    struck: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # struck_cells, by sheet

    @property
    def name(self) -> str:
        return self.filled.name

    def problem(self, key: str, *, sheet: str = "", at: tuple[int, int] | None = None, **params) -> None:
        self.problems.append(Problem(self.name, Phrase(key, **params), sheet, cell_name(*at) if at else ""))


def _read_sample_sheet(cells: list[list]) -> SampleFacts | None:
    facts: dict = {}
    tables: dict[str, pd.DataFrame] = {}
    i = 0
    while i < len(cells):
        row = cells[i]
        key = cell_text(row[0]) if row else ""
        if key.startswith("[") and key.endswith("]"):
            count = cell_text(row[1]) if len(row) > 1 else ""
            if not count.isdigit() or i + 1 >= len(cells):
                return None
            names = [cell_text(v) for v in cells[i + 1]]
            width = names.index("") if "" in names else len(names)
            body = [list(r[:width]) + [""] * (width - len(r[:width])) for r in cells[i + 2:i + 2 + int(count)]]
            tables[key[1:-1]] = pd.DataFrame(body, columns=names[:width], dtype=object)
            i += 2 + int(count)
            continue
        if key:
            try:
                facts[key] = json.loads(cell_text(row[1]) if len(row) > 1 else "null")
            except ValueError:
                return None
        i += 1
    if facts.get("format") not in (SAMPLE_FORMAT, SAMPLE_FORMAT_OLD) or "strata" not in tables \
            or "pages" not in tables:
        return None
    strata = tables["strata"]
    for c in STRATA_COLUMNS[3:]:
        strata[c] = pd.to_numeric(strata[c], errors="coerce").astype("Int64")
    for c in ("township", "village", "stratum"):
        strata[c] = strata[c].map(cell_text)
    pages = tables["pages"]
    pages[SEQ] = pd.to_numeric(pages[SEQ], errors="coerce").astype("Int64")
    pages["key"] = pages["key"].map(cell_text)
    return SampleFacts(facts, strata, pages)


def _find(cells: list[list], rows: range, key: str) -> tuple[int, int] | None:
    """The first cell in `rows` reading the label `key` (either language)."""
    wanted = label_texts(key)
    for i in rows:
        for j, v in enumerate(cells[i]):
            if v is not None and folded_cell(v) in wanted:
                return i, j
    return None


def _value(cells: list[list], at: tuple[int, int]) -> tuple[object, tuple[int, int]]:
    i, j = at
    row = cells[i]
    return (row[j + 1] if j + 1 < len(row) else ""), (i, j + 1)


def _struck_items(cells: list[list], values: dict[str, object], positions: dict[str, tuple[int, int]],
                  struck: set[tuple[int, int]]) -> tuple[dict[str, tuple[tuple[int, int], str]], dict[str, str]]:
    """A page's items whose value is struck through, never read as found: (corrected, unanswered) as
    PageRead keeps them, `values` and `positions` changed in place. The correction is the one thing
    written right of the form's boxes on the item's row (its first cell there, unstruck; a second value
    there, or a second box of the row struck, leaves it unclear which is meant)."""
    hit = [n for n in (*form_fields(), *VISIT_FIELDS) if positions[n] in struck and cell_text(values[n]).strip()]
    corrected: dict[str, tuple[tuple[int, int], str]] = {}
    unanswered: dict[str, str] = {}
    rows = pd.Series([positions[n][0] for n in hit], dtype="int64")
    for name, again in zip(hit, rows.duplicated(keep=False).tolist()):
        i = positions[name][0]
        text = cell_text(values[name]).strip()
        beside = [k for k, v in enumerate(cells[i]) if k >= len(WIDTHS) and cell_text(v).strip()]
        if not again and beside == [len(WIDTHS)] and (i, len(WIDTHS)) not in struck:
            corrected[name] = (positions[name], text)
            values[name], positions[name] = cells[i][len(WIDTHS)], (i, len(WIDTHS))
        else:
            unanswered[name] = text
            values[name] = ""
    return corrected, unanswered


def read_form(path: str | Path, name: str = "") -> FormRead:
    """A filled form read back: every page found by its 核查序号, its identity cells checked against
    the printed ones, its cells read (not yet parsed: the pipeline does that). Problems are
    collected, not raised. `name`: how the outputs name it where its file name is not enough (form_names)."""
    filled = open_filled(path, name)
    form = FormRead(filled)
    if filled.unreadable:
        form.problem("rp_unreadable")
        return form
    sample_cells = filled.sheets.pop(SAMPLE_SHEET, None)
    ident = filled.identity
    if ident is None and _has_pages(filled.sheets):
        # The form's pages without its identity: a sheet copied into a new workbook (移动或复制 → 新工作簿)
        # leaves the very hidden sheets behind. Which household a page is cannot be told safely from the
        # printed cells alone (a name and a masked ID), so the clerk is told how to get the identity back.
        form.problem("spot_form_copied_out", sheets=[name for name, cells in filled.sheets.items()
                                                     if _has_pages({name: cells})])
        return form
    if ident is None or ident.step != STEP:
        form.problem("spot_not_a_form")
        return form
    sample = _read_sample_sheet(sample_cells) if sample_cells is not None else None
    if sample is None or ident.rows is None:
        form.problem("spot_form_identity_lost")
        return form
    form.sample = sample
    form.struck = struck_cells(filled.path)
    headers = list(ident.headers)
    printed = ident.rows.set_index("seq")
    keys = identity_keys(len(headers) > len(identity_keys(False)))
    name_header = headers[keys.index("head_name")] if len(headers) == len(keys) else ""

    found: dict[int, PageRead | None] = {}  # None: a page found but refused (its identity edited)
    first: dict[int, tuple[str, str]] = {}    # where each page was found first (sheet, cell): a copy names it
    # The sheet printed first: of a page also on a copy of it, the copy is the one said to repeat it.
    for sheet, cells in sorted(filled.sheets.items(), key=lambda item: item[0] != ident.sheet):
        anchors = [(i, j) for i, row in enumerate(cells) for j, v in enumerate(row)
                   if v is not None and folded_cell(v) in label_texts(SEQ)]
        for n, (start, _) in enumerate(anchors):
            stop = anchors[n + 1][0] if n + 1 < len(anchors) else len(cells)
            _read_page(form, sheet, cells, range(start, stop), keys, headers, printed, found, first)
    _one_for_a_broken_layout(form)
    for seq, row in printed.iterrows():
        if seq not in found:
            form.problem("spot_page_missing", seq=int(seq), name=cell_text(row.get(name_header, "")))
    form.pages = [found[s] for s in sorted(found) if found[s] is not None]
    _note_unread_writing(form, filled.sheets)
    return form


def _has_pages(sheets: dict[str, list[list]]) -> bool:
    """Some sheet holds a page of a verification form: a cell reading 核查序号 (either language)."""
    return any(v is not None and folded_cell(v) in label_texts(SEQ) for cells in sheets.values() for row in cells
               for v in row)


def _one_for_a_broken_layout(form: FormRead) -> None:
    """A label missing on two pages of a sheet or more is no label deleted on a page but the sheet's
    layout broken (its rows sorted, as Excel's 数据→排序 does, or moved): said once for the sheet,
    not once a page (75 lines for a village's form)."""
    missing = [p for p in form.problems if p.what.key == "spot_label_missing"]
    sheets = pd.Series([p.sheet for p in missing], dtype=object).value_counts(sort=False)
    broken = set(sheets.index[sheets >= 2])
    if not broken:
        return
    kept = [p for p in form.problems if not (p.what.key == "spot_label_missing" and p.sheet in broken)]
    for sheet in [s for s in dict.fromkeys(p.sheet for p in missing) if s in broken]:
        first = next(p for p in missing if p.sheet == sheet)
        kept.append(Problem(form.name, Phrase("spot_layout_broken", pages=int(sheets[sheet]),
                                              seq=first.what.params["seq"], field=first.what.params["field"]),
                            sheet, first.cell))
    form.problems[:] = kept


# How much of what was written a note quotes: on a page, a finding whole; a sheet of its own, its first words.
QUOTED_CHARS = 80
SHEET_QUOTED_CHARS = 24
# Printed rows above each page's 核查序号 (title, subtitle, section 一): the printed words of any version.
HEAD_ROWS = 3
SIGN_KEYS = ("spot_sign_head", "spot_sign_verifier")


def _printed_texts(form: FormRead) -> set[str]:
    """Every label and printed line of the form, folded, in both languages: what is no inspector's writing."""
    keys = [*identity_keys(True), *(field_label(f) for f in (*form_fields(), *VISIT_FIELDS, NOTE_FIELD)),
            *SIGN_KEYS]
    texts = {t for k in keys for t in label_texts(k)}
    ident = form.filled.identity
    facts = form.sample.facts if form.sample is not None else {}
    count = len(ident.rows) if ident is not None and ident.rows is not None else 0
    for lang in ("zh", "en"):
        lines = [label("spot_form_section_household", lang), label("spot_form_section_visit", lang),
                 label("spot_form_section_found_no_year", lang)]
        if facts.get("income_year"):
            lines.append(label("spot_form_section_found", lang, year=facts["income_year"]))
        if ident is not None:
            lines.append(label("spot_form_title", lang, township=ident.township or "", village=ident.village or ""))
        # A 社区's form printed before says 本村, as a village's does.
        lines += [label("spot_form_subtitle", lang, seq=n, count=count, sample=facts.get("sample_id", ""),
                        this_place=label(f"this_place_{kind}", lang))
                  for n in range(1, count + 1) for kind in ("village", "community")]
        texts |= {folded_cell(t) for t in lines}
    return texts


def _note_unread_writing(form: FormRead, sheets: dict[str, list[list]]) -> None:
    """What an inspector wrote where the form reads nothing is said, never dropped unseen: a sheet
    of its own added to the workbook (说明), or any cell of a sheet of pages that is neither a printed
    label or line nor the box right of a label — beside the boxes, on a row inserted between them
    (补充 | 长子在外打工…), under the last page. Said a page at a time, every cell and its words."""
    printed = _printed_texts(form)
    read_sheets = {page.sheet for page in form.pages}
    # A correction written beside a struck value (_struck_items) is read: not unread writing.
    beside = {(page.sheet, *page.cells[name]) for page in form.pages for name in page.corrected}
    for sheet, cells in sheets.items():
        anchors = [i for i, row in enumerate(cells) for v in row if v is not None and folded_cell(v) in label_texts(SEQ)]
        if sheet not in read_sheets and anchors:
            continue  # a sheet of pages none of which read: its problems say so
        if not anchors:
            written = [cell_text(v).strip() for row in cells for v in row if cell_text(v).strip()]
            if written:
                form.notes.append(Phrase("spot_note_sheet_unread", file=form.name, sheet=sheet,
                                         text=_quoted(written[0], SHEET_QUOTED_CHARS)))
            continue
        seqs = {}
        for a in anchors:
            at = _value(cells, (a, next(j for j, v in enumerate(cells[a]) if v is not None
                                        and folded_cell(v) in label_texts(SEQ))))[0]
            seqs[a] = cell_text(at)
        head = {i for a in anchors for i in range(max(a - HEAD_ROWS, 0), a)}
        unread: dict[str, list[tuple[int, int, str]]] = {}
        for i, row in enumerate(cells):
            for j, v in enumerate(row):
                text = cell_text(v).strip()
                if not text or folded_cell(v) in printed or (i in head and j < len(WIDTHS)) \
                        or (sheet, i, j) in beside:
                    continue
                if j > 0 and row[j - 1] is not None and folded_cell(row[j - 1]) in printed and j < len(WIDTHS):
                    continue  # the box right of a label: read, or a signature
                page = max([a for a in anchors if a <= i], default=anchors[0])
                unread.setdefault(seqs[page], []).append((i, j, text))
        for seq, written in unread.items():
            form.notes.append(Phrase("spot_note_outside", file=form.name, sheet=sheet, seq=seq,
                                     cells=[cell_name(i, j) for i, j, _ in written],
                                     text=_quoted(" ".join(t for _, _, t in written))))


def _quoted(text: str, most: int = QUOTED_CHARS) -> str:
    return text if len(text) <= most else text[:most] + "…"


def _read_page(form: FormRead, sheet: str, cells: list[list], rows: range, keys: list[str], headers: list[str],
               printed: pd.DataFrame, found: dict[int, PageRead | None], first: dict[int, tuple[str, str]]) -> None:
    seq_at = _find(cells, rows, SEQ)
    raw_seq, seq_cell = _value(cells, seq_at)
    text = cell_text(raw_seq)
    # A page of another village's form pasted in (a sheet copied, or pages below this form's): said as
    # that, not as a number printed twice or never.
    place = [_find(cells, rows, key) for key in ("township", "village")]
    if all(at is not None for at in place) and len(printed):
        here = [cell_text(_value(cells, at)[0]) for at in place]
        ours = [cell_text(printed[headers[keys.index(key)]].iloc[0]) for key in ("township", "village")]
        if any(mine and bare_text(mine) != bare_text(form_place) for mine, form_place in zip(here, ours)):
            form.problem("spot_page_other_village", seq=text, township=here[0], village=here[1],
                         form_village=ours[0] + ours[1], sheet=sheet, at=seq_cell)
            return
    seq = int(float(text)) if text.replace(".", "", 1).isdigit() and float(text).is_integer() else None
    if seq is None or seq not in printed.index:
        was = _page_by_identity(cells, rows, keys, headers, printed, first)
        if was is not None:
            # The number changed on a page whose identity is a printed page's: one fault, that page's,
            # not a page added and another deleted.
            first[was] = (sheet, cell_name(*seq_cell))
            found[was] = None
            name = cell_text(printed.loc[was, headers[keys.index("head_name")]])
            form.problem("spot_seq_changed", seq=int(was), now=text, name=name, sheet=sheet, at=seq_cell)
            return
        form.problem("spot_page_unknown", value=text, count=len(printed), sheet=sheet, at=seq_cell)
        return
    if seq in first:
        # Both places: a sheet copied in the workbook ("入户核查表 (2)") repeats every page, the same cells.
        other_sheet, other_cell = first[seq]
        form.problem("spot_page_twice", seq=seq, other_sheet=other_sheet, other_cell=other_cell, sheet=sheet,
                     at=seq_cell)
        return
    first[seq] = (sheet, cell_name(*seq_cell))
    identity: list[object] = []
    where: list[tuple[int, int] | None] = []
    for key in keys:
        at = _find(cells, rows, key)
        if at is None:
            form.problem("spot_label_missing", seq=seq, field=Phrase(key), sheet=sheet, at=(rows.start, 0))
            found[seq] = None
            return
        value, cell = _value(cells, at)
        identity.append(value)
        where.append(cell)
    was = printed.loc[seq]
    found[seq] = None
    if not row_matches(identity, was["hash"]):  # a form printed by an earlier edgescreen matches too
        differ = [(h, cell_text(was.get(h, "")), cell_text(now), cell)
                  for h, now, cell in zip(headers, identity, where) if bare_text(was.get(h, "")) != bare_text(now)]
        for header, old, now, cell in differ:
            form.problem("spot_identity_edited", seq=seq, header=header, printed=old, now=now, sheet=sheet, at=cell)
        if not differ:
            form.problem("spot_identity_edited_somewhere", seq=seq, headers=headers, sheet=sheet, at=seq_cell)
        return
    values: dict[str, object] = {}
    positions: dict[str, tuple[int, int]] = {}
    for name in (*form_fields(), *VISIT_FIELDS, NOTE_FIELD):
        at = _find(cells, rows, field_label(name))
        if at is None:
            form.problem("spot_label_missing", seq=seq, field=Phrase(field_label(name)), sheet=sheet,
                         at=(rows.start, 0))
            return
        values[name], positions[name] = _value(cells, at)
    corrected, unanswered = _struck_items(cells, values, positions, form.struck.get(sheet, set()))
    visited = any(cell_text(values[n]) for n in (*form_fields(), *VISIT_FIELDS))
    for name, (at, text) in corrected.items():
        form.notes.append(Phrase("spot_note_struck_corrected", file=form.name, sheet=sheet, seq=seq,
                                 field=Phrase(field_label(name)), cell=cell_name(*at), struck=text,
                                 beside=cell_name(*positions[name]), value=cell_text(values[name]).strip()))
    if unanswered and not visited:
        # Nothing else on the page: no visit to refuse (backcheck says a visited page's struck items),
        # but what was crossed out is said, not dropped unseen.
        form.notes.append(Phrase("spot_note_struck_blank_page", file=form.name, sheet=sheet, seq=seq,
                                 cells=[cell_name(*positions[n]) for n in unanswered],
                                 text=[_quoted(t) for t in unanswered.values()]))
    found[seq] = PageRead(form.name, sheet, seq, str(was["key"]), visited, values, positions, corrected, unanswered)


def _page_by_identity(cells: list[list], rows: range, keys: list[str], headers: list[str], printed: pd.DataFrame,
                      first: dict[int, tuple[str, str]]) -> int | None:
    """The printed page whose identity cells (all but the 核查序号) a page of an unknown number holds, where
    exactly one such page is and it was not found elsewhere; else None."""
    others = [(k, h) for k, h in zip(keys, headers) if k != SEQ]
    at = [_find(cells, rows, k) for k, _ in others]
    if any(a is None for a in at) or not len(printed):
        return None
    alike = pd.Series(True, index=printed.index)
    for (_, header), where in zip(others, at):
        now = bare_text(_value(cells, where)[0])
        alike &= printed[header].map(bare_text).eq(now)
    matches = [s for s in printed.index[alike.to_numpy(dtype=bool)] if s not in first]
    return int(matches[0]) if len(matches) == 1 and alike.sum() == 1 else None


def read_forms(paths: Sequence[str | Path], given: Sequence[str | Path] | None = None) -> list[FormRead]:
    """Every form read (problems inside each), each named as form_names names it; the checks across
    forms are the caller's."""
    names = form_names(paths, given)
    return [read_form(p, names.get(str(p), "")) for p in paths]


def form_names(paths: Sequence[str | Path], given: Sequence[str | Path] | None = None) -> dict[str, str]:
    """{path: name} of the forms whose file name another form shares (a village's form and a stray one in
    补交/): each by its path relative to the folder given that holds it (补交/布海镇-东风村-入户核查表.xlsx),
    or, given as a file, by the path as given. The others keep their file name (not in the dict)."""
    paths = [Path(p) for p in paths]
    clashing = pd.Series([p.name for p in paths], dtype=object).duplicated(keep=False).to_numpy()
    folders = [Path(g) for g in (given or []) if Path(g).is_dir()]
    names: dict[str, str] = {}
    for path in (p for p, c in zip(paths, clashing) if c):
        inside = [path.relative_to(f) for f in folders if path.is_relative_to(f)]
        # the deepest folder given that holds it (a folder and its subfolder both given: the nearer)
        names[str(path)] = min(inside, key=lambda r: len(r.parts)).as_posix() if inside else str(path)
    # Two folders given, each with a file of that name at its top: the paths as given tell them apart.
    alike = pd.Series(names, dtype=object)
    return {p: (p if again else n) for (p, n), again in zip(names.items(), alike.duplicated(keep=False))}


def design_households(strata: pd.DataFrame, pages: pd.DataFrame) -> pd.DataFrame:
    """The design's households table (design.HOUSEHOLD_COLUMNS, indexed by key) rebuilt from the
    strata every form carries and the pages of the forms returned: a stratum's households whose
    form did not come back are rows of their own (index '~township~village~stratum~i'), drawn and
    not verified."""
    s = strata.copy()
    big_n = s["stratum_size"].astype(float)
    small_n = s["sample_size"].astype(float)
    m = s["villages_in_township"].astype(float)
    k = s["villages_sampled"].astype(float)
    s["village_inclusion_probability"] = k / m
    s["inclusion_probability"] = k * small_n / (m * big_n)
    s["weight"] = (m * big_n / (k * small_n).where(small_n > 0)).where(small_n > 0)
    rows = []
    seen = pages.groupby(["township", "village", "stratum"]).size() if len(pages) else pd.Series(dtype=int)
    for r in s.itertuples(index=False):
        n = int(r.sample_size)
        have = int(seen.get((r.township, r.village, r.stratum), 0))
        for i in range(max(n - have, 0)):
            rows.append({"key": f"~{r.township}~{r.village}~{r.stratum}~{i}", "township": r.township,
                         "village": r.village, "stratum": r.stratum})
    absent = pd.DataFrame(rows, columns=["key", "township", "village", "stratum"])
    known = pages[["key", "township", "village", "stratum"]] if len(pages) else absent.iloc[:0]
    frame = pd.concat([known, absent], ignore_index=True)
    out = frame.merge(s[["township", "village", "stratum", "stratum_size", "sample_size",
                         "village_inclusion_probability", "inclusion_probability", "weight"]],
                      on=["township", "village", "stratum"], how="left")
    out.index = pd.Index(out.pop("key"), name="key")
    return out


def uncovered_places(table: pd.DataFrame, lang: Lang) -> str:
    """'华家镇八里营村(未抽样,45 户)、合隆镇东兴村的候选户(未抽样,3 户)…' of a `design.uncovered`
    table: the one way the outputs say which households the rates do not cover, and why."""
    from ..outputs.places import place_name

    if table.empty:
        return ""
    part = pd.Series("", index=table.index, dtype=object)
    part = part.mask(~table["whole"].astype(bool) & table["unlisted"].eq(0), label("spot_uncovered_listed", lang))
    part = part.mask(~table["whole"].astype(bool) & table["listed"].eq(0), label("spot_uncovered_unlisted", lang))
    why = {r: label(f"spot_why_{r}", lang) for r in table["reason"].unique()}
    return label("list_sep", lang).join(
        label("spot_uncovered_place", lang, township=place_name(t, lang, "unknown_township"),
              village=place_name(v, lang, "unknown_village"), part=p, why=why[r], households=int(n))
        for t, v, p, r, n in zip(table["township"], table["village"], part, table["reason"], table["households"]))


def sample_facts(*, sample_id: str, source, options: dict, created: str, lang: Lang, households: int) -> dict:
    """The facts every form of a sample carries (and sample.json, with the seed and the fingerprint).
    What it was drawn from is named so that it can be found again: by a register's round too, once a
    screen's folder is gone (its survey files' SHA-256, the screen's date, its households)."""
    return {"sample_id": sample_id, "source_kind": source.kind, "source_file": source.path.name,
            "source_name": source.name, "source_sha256": source.sha256, "source_date": source.date,
            "source_households": len(source.households),
            "source_inputs": sorted(str(i["sha256"]) for i in source.inputs if i.get("sha256")),
            "register_id": source.register_id, "round": source.round, "income_year": source.income_year,
            "options": options, "households": households, "created": created, "lang": lang, "version": __version__,
            **({"off_list": len(source.off_list)} if source.off_list is not None else {})}
