"""What a clerk marks on a household's row without changing its figures: a row struck through
(删除线, the font's strikethrough: a household "deleted" by striking it), a cell's comment (批注:
「实际 13199」, 「2019年10月已纳入低保」), and a sheet named for households taken off the list (删除户,
迁出户: sheet_named_removed). The reader reads only the cells' values, so such a row was
decided as a live household and such a comment's figure was never seen, without a word.

Each becomes a warning on the household (check_marks): a struck row (row_struck_through) is still
decided as usual, once, as every household in is (a warning changes no decision), and the clerk
decides whether it was deleted; a comment (cell_has_comment) is quoted with its cell, for the clerk to
check which figure is right. A comment on the header or a title is no household's, and is not said.
A total row whose difference is exactly the struck rows says so (totals.py).

Where they are found (.xlsx, .xlsm): the workbook's styles.xml gives the cell formats (cellXfs) whose
font has <strike/>; the scan of a sheet's XML (workbook.py) then notes its filled cells of those
formats (s="…"), in the same pass as its other details. Strike applied to a cell's text while editing
it (rich text: runs, each with its own font) counts where every run with characters is struck: the
shared strings so struck (sharedStrings.xml, looked at only where it holds "strike") and a cell's
own inline text so struck (looked at only in a block of rows that holds "strike"); a cell partly
struck (an old head's name struck, the new one typed after) is not. A sheet's comments part (xl/comments1.xml) is
found through the sheet's relationships. In the usual workbook, with neither a struck font nor a
comments part, nothing here runs past one look at styles.xml and the zip's listing, and one for
"strike" at the shared strings (when a sheet is first scanned) and at each block of rows. An .xls's come
from its workbook stream's records (biff.py: FONT, XF, the cells' XF; NOTE, TXO), an .ods's from
content.xml (workbook.ods_layout: a cell's automatic style, its office:annotation), in the walks
that already look for their hidden rows; each in the same shape as an .xlsx's.

Nothing at the top imports numpy or pandas: workbook.py, which the helper process loads to scan,
imports this module."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from array import array
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .issues import IssueLog

# A comment is quoted up to this many characters (a note typed into a comment may be a paragraph).
COMMENT_SHOWN = 60
# A row is struck where its head's name is, or more than this share of its filled cells.
STRUCK_SHARE = 0.5

_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c\s")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
# Rich text (a shared string's <si> or a cell's <is>): its runs, each with its font (<rPr>) and text;
# the phonetic guide (<rPh>) is not text shown in the cell.
_RUN = re.compile(rb"<((?:[\w.-]+:)?)r>(.*?)</\1r>", re.S)
_PHONETIC = re.compile(rb"<((?:[\w.-]+:)?)rPh\b.*?</\1rPh>", re.S)
_STRUCK_RUN = re.compile(rb"""<(?:[\w.-]+:)?strike\b(?![^>]*\bval\s*=\s*["'](?:0|false|off)["'])""")
_SHOWN = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*>[^<]*?[^\s<]")  # a <t> with characters
# Where to look from: "strike" is a literal the search skips to (a pattern from "<" would stop at every tag).
_STRIKE_WORD = re.compile(rb"strike\b")
_ITEM_OPEN = re.compile(rb"<((?:[\w.-]+:)?)si[>/]")
# Excel 365 writes a threaded comment's legacy copy behind a notice ending in this link (in its own
# words in each language), then a line naming what follows (Comment:, 注释:), then the text.
_THREADED_NOTICE = "linkid=870924"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


@dataclass(frozen=True)
class SheetMarks:
    """What the scan of one sheet looks for: the cell formats (cellXfs indices, as its cells' s="…"
    says them) whose font is struck through, and the pattern of that attribute (None: none); the
    sheet's comments part; the shared strings whose text is struck through (struck_strings)."""

    styles: frozenset[str]
    struck: re.Pattern | None
    comments_part: str | None
    # The shared strings (their indices, as a cell's <v> says them) struck through whole, and the
    # pattern of a cell holding one (None: none).
    strings: frozenset[str] = frozenset()
    struck_text: re.Pattern | None = None


def struck_styles(styles_xml: bytes) -> frozenset[int]:
    """The cellXfs indices (a cell's s="…") whose font is struck through (<strike/>, not val="0",
    "false" or "off")."""
    if b"strike" not in styles_xml:  # the usual styles.xml: not parsed
        return frozenset()
    root = ET.fromstring(styles_xml)
    fonts = next((el for el in root if _local(el.tag) == "fonts"), None)
    formats = next((el for el in root if _local(el.tag) == "cellXfs"), None)
    if fonts is None or formats is None:
        return frozenset()
    struck = {str(i) for i, font in enumerate(el for el in fonts if _local(el.tag) == "font")
              if any(_local(child.tag) == "strike" and child.get("val", "1") not in ("0", "false", "off") for child in font)}
    return frozenset(i for i, xf in enumerate(el for el in formats if _local(el.tag) == "xf")
                     if xf.get("fontId", "0") in struck)


def text_struck(text: bytes) -> bool:
    """Whether rich text (what a shared string's <si> or a cell's <is> holds) is struck through whole:
    every run with characters has <strike/> (not val="0", "false" or "off"), and no text stands
    outside the runs (a run without a font of its own is in the cell's, said by its format)."""
    if b"rPh" in text:
        text = _PHONETIC.sub(b"", text)
    runs = last = 0
    outside = []
    for run in _RUN.finditer(text):
        outside.append(text[last:run.start()])
        last = run.end()
        if _SHOWN.search(run.group(2)) is None:
            continue
        if _STRUCK_RUN.search(run.group(2)) is None:
            return False
        runs += 1
    outside.append(text[last:])
    return runs > 0 and _SHOWN.search(b"".join(outside)) is None


def struck_strings(shared_xml: bytes) -> frozenset[int]:
    """The shared strings (their indices, from 0) struck through whole (text_struck). Only the items
    around a <strike> are looked at; the usual part, without one, is not parsed."""
    if b"strike" not in shared_xml:
        return frozenset()
    first = _ITEM_OPEN.search(shared_xml)
    if first is None:
        return frozenset()
    prefix = first.group(1)
    opening, empty, closing = b"<" + prefix + b"si>", b"<" + prefix + b"si/>", b"</" + prefix + b"si>"
    found = set()
    index = counted = end = 0  # the items opened before `counted`, counted once
    while (m := _STRIKE_WORD.search(shared_xml, end)) is not None:
        start = shared_xml.rfind(opening, 0, m.start())
        end = shared_xml.find(closing, m.start())  # the item's other runs are not looked at again
        if start < 0 or end < 0:
            break
        index += shared_xml.count(opening, counted, start) + shared_xml.count(empty, counted, start)
        counted = start
        if text_struck(shared_xml[start + len(opening):end]):
            found.add(index)
    return frozenset(found)


def part_target(source: str, target: str) -> str:
    """A relationship's Target as the zip member it names, from the part `source` whose rels hold it
    (absolute: from the zip's root)."""
    return target.lstrip("/") if target.startswith("/") else \
        posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def book_marks(zf, names: set[str], sheets, styles: str | None) -> tuple[frozenset[int], dict[str, str]]:
    """(struck_styles of the workbook's styles part, {sheet part: its comments part}) for the scan: the
    sheets' relationships are read only where the zip holds a part named for comments."""
    struck = struck_styles(zf.read(styles)) if styles in names else frozenset()
    comments: dict[str, str] = {}
    if any("comment" in name.lower() for name in names):
        for part in sheets:
            rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
            if rels not in names:
                continue
            for rel in ET.fromstring(zf.read(rels)):
                if rel.get("Type", "").endswith("/comments") and rel.get("TargetMode") != "External":
                    found = part_target(part, rel.get("Target", ""))
                    if found in names:
                        comments[part] = found
    return struck, comments


def sheet_marks(struck: frozenset[int], comments_part: str | None,
                strings: frozenset[int] = frozenset()) -> SheetMarks | None:
    """What to look for in one sheet; None where nothing is (the usual sheet)."""
    if not struck and comments_part is None and not strings:
        return None
    pattern = re.compile(rb' s="(?:' + b"|".join(str(i).encode() for i in sorted(struck)) + rb')"') if struck else None
    # A cell of a struck shared string: its t="s", followed (in its tag, then its <v>) by the index; the
    # match ends in the tag, as a struck format's does (struck_cells_in). The indices as a tree of
    # their digits: a cell's value is tried digit by digit, not against each index in turn.
    text = re.compile(rb' t="s"(?=[^>]*>\s*<(?:[\w.-]+:)?v>' + _digits_pattern(sorted(map(str, strings))) + rb'</)') \
        if strings else None
    return SheetMarks(frozenset(map(str, struck)), pattern, comments_part, frozenset(map(str, strings)), text)


def _digits_pattern(numbers: list[str]) -> bytes:
    """A pattern matching exactly the numbers (written in decimal), as a tree of their digits."""
    tree: dict = {}
    for number in numbers:
        node = tree
        for digit in number:
            node = node.setdefault(digit, {})
        node[""] = {}  # a number ends here

    def branch(node: dict) -> bytes:
        parts = [digit.encode() + branch(child) for digit, child in node.items() if digit]
        if not parts:
            return b""
        return b"(?:" + b"|".join(parts) + b")" + (b"?" if "" in node else b"")

    return branch(tree)


def struck_cells_in(block: bytes, pattern: re.Pattern, found: dict[str, array]) -> None:
    """The filled cells of a block of a sheet's rows whose format is struck through, into `found`
    (column letters → Excel rows). A row element's own s="…" (a format for its empty cells) is not a cell's."""
    for m in pattern.finditer(block):
        start = block.rfind(b"<", 0, m.start())
        end = block.find(b">", m.end())
        if start < 0 or end < 0 or not _CELL_TAG.match(block, start) or block[end - 1:end] == b"/":
            continue
        ref = _CELL_REF.search(block, start, end)
        if ref is not None:
            found.setdefault(ref.group(1).decode("ascii"), array("i")).append(int(ref.group(2)))


def struck_inline_in(block: bytes, found: dict[str, array]) -> None:
    """The cells of a block of a sheet's rows whose own text (t="inlineStr", <is>) is struck through
    whole (text_struck), into `found` (column letters → Excel rows). Looked at from each <strike>."""
    end = 0
    while (m := _STRIKE_WORD.search(block, end)) is not None:
        opened = block.rfind(b"is>", 0, m.start())  # the cell's <is> (or <x:is>)
        end = block.find(b"is>", m.end())  # and its </is>: the cell's other runs are not looked at again
        if opened < 0 or end < 0:
            break
        tag = block.rfind(b"<", 0, opened)
        start = block.rfind(b"<", 0, tag)
        if block[tag + 1:tag + 2] == b"/" or start < 0 or not _CELL_TAG.match(block, start) \
                or b'"inlineStr"' not in block[start:tag]:
            continue
        ref = _CELL_REF.search(block, start, tag)
        if ref is not None and text_struck(block[opened + 3:end]):
            found.setdefault(ref.group(1).decode("ascii"), array("i")).append(int(ref.group(2)))


def sheet_comments(zf, marks: SheetMarks | None) -> list[tuple[int, str, str]]:
    """The comments of the sheet `marks` are of (comments_in); none where its part cannot be read."""
    if marks is None or marks.comments_part is None:
        return []
    try:
        return comments_in(zf.read(marks.comments_part))
    except Exception:  # a damaged part (bad XML, a CRC or zlib error): the sheet's values, hidden rows
        return []      # and error cells are read and said all the same; nothing is said of its comments


def comments_in(xml: bytes) -> list[tuple[int, str, str]]:
    """A comments part's comments as (Excel row, column letters, text): the text's runs joined, the
    author's name that Excel writes first (「Administrator:」) left out, white space made single."""
    root = ET.fromstring(xml)
    authors = [el.text or "" for el in root.iter() if _local(el.tag) == "author"]
    out = []
    for comment in root.iter():
        if _local(comment.tag) != "comment" or not (ref := _REF.fullmatch(comment.get("ref", "").replace("$", ""))):
            continue
        body = next((el for el in comment if _local(el.tag) == "text"), None)
        if body is None:
            continue
        # Runs (<r><t>) and plain text (<t>), not the phonetic guide (<rPh>).
        text = "".join(t.text or "" for part in body if _local(part.tag) in ("t", "r")
                       for t in ([part] if _local(part.tag) == "t" else part) if _local(t.tag) == "t")
        author = authors[int(aid)] if (aid := comment.get("authorId", "")).isdigit() and int(aid) < len(authors) else ""
        if text := comment_text(text, author):
            out.append((int(ref.group(2)), ref.group(1), text))
    return out


def comment_text(text: str, author: str) -> str:
    """A comment's text as said, whatever the format it came in (an .xlsx's, an .xls's NOTE, an .ods's
    annotation): the author's name that Excel writes first (「Administrator:」) left out, and Excel
    365's notice before a threaded comment's copy; white space made single."""
    author = author.strip()
    if author:
        for colon in (":", ":"):
            text = text.removeprefix(author + colon)
    if _THREADED_NOTICE in text:
        text = "\n".join(text.split(_THREADED_NOTICE, 1)[1].strip().splitlines()[1:])
    return " ".join(text.split())


def household_marks(struck_cells: dict[str, array], comments: list[tuple[int, str, str]], rows, frame: pd.DataFrame,
                    columns: dict) -> tuple[list[tuple[int, int, int]], list[tuple[int, str, str]]]:
    """Of one table's households (Excel `rows`, their cells `frame`, the fields' `columns`): the struck
    ones, whose head's name or more than STRUCK_SHARE of their filled cells are, as (Excel row, its
    filled cells struck, its filled cells); and the comments on their rows as (Excel row, cell such as
    K9, text). A filled cell is one of a field the table reads."""
    import numpy as np  # here: the scan's process loads this module without numpy

    rows = np.asarray(rows, dtype=np.int64)
    struck_rows: list[tuple[int, int, int]] = []
    if struck_cells and len(rows):
        filled = np.zeros(len(rows), dtype=np.int64)
        struck = np.zeros(len(rows), dtype=np.int64)
        head = np.zeros(len(rows), dtype=bool)
        for name, ref in columns.items():
            if name not in frame.columns:
                continue
            has = frame[name].to_numpy(dtype=object, na_value="") != ""
            filled += has
            if ref.letter in struck_cells:
                marked = has & np.isin(rows, np.asarray(struck_cells[ref.letter], dtype=np.int64))
                struck += marked
                if name == "head_name":
                    head |= marked
        flagged = np.flatnonzero(head | (struck > STRUCK_SHARE * filled))
        struck_rows = list(zip(rows[flagged].tolist(), struck[flagged].tolist(), filled[flagged].tolist()))
    said = []
    if comments and len(rows):
        on = np.isin(np.array([row for row, _, _ in comments], dtype=np.int64), rows)
        said = [(row, f"{letters}{row}", text) for (row, letters, text), yes in zip(comments, on.tolist()) if yes]
    return struck_rows, said


def _household_positions(households: pd.DataFrame, marks: list[tuple]):
    """The households of (sheet key, Excel row, …) tuples: their positions, -1 where none (the first
    household where a sheet's row repeats)."""
    import numpy as np  # here: the scan's process loads this module without numpy
    import pandas as pd

    codes, keys = pd.factorize(households["sheet_key"].to_numpy(dtype=object))
    at = {key: k for k, key in enumerate(keys)}
    # One number per household: its sheet's code and its Excel row.
    where = codes.astype(np.int64) << 32 | households["row"].to_numpy(dtype=np.int64)
    first = np.flatnonzero(~pd.Index(where).duplicated())
    wanted = np.array([at[key] << 32 | row if key in at else -1 for key, row, *_ in marks], dtype=np.int64)
    found = pd.Index(where[first]).get_indexer(wanted)
    return np.where(found >= 0, first[np.maximum(found, 0)], -1)


def struck_households(households: pd.DataFrame, inputs):
    """Which households are on rows struck through (read.SheetInfo.struck_rows), for the checks that
    name a struck row (a duplicate's old row); None where no sheet has one."""
    import numpy as np  # here: the scan's process loads this module without numpy

    struck = [(sheet.key(record.name), row) for record in inputs for sheet in record.sheets
              for row, *_ in sheet.struck_rows]
    if not struck or not len(households) or "sheet_key" not in households.columns:
        return None
    found = _household_positions(households, struck)
    mask = np.zeros(len(households), dtype=bool)
    mask[found[found >= 0]] = True
    return mask


def check_marks(households: pd.DataFrame, log: IssueLog, inputs) -> None:
    """row_struck_through and cell_has_comment, from the sheets' struck rows and comments
    (read.SheetInfo.struck_rows, comments): on the head's name, and on the commented cell's field
    (on the head's name where the cell is of no field the form reads); sheet_named_removed on the
    households of a sheet named for households taken off the list. Warnings: the household is
    decided on its cells as they are."""
    import numpy as np  # here: the scan's process loads this module without numpy
    import pandas as pd

    if not len(households):
        return
    _check_sheet_names(households, log, inputs)
    sheets = [(sheet.key(record.name), sheet) for record in inputs for sheet in record.sheets
              if sheet.struck_rows or sheet.comments]
    if not sheets:
        return
    positions = partial(_household_positions, households)
    n = len(households)
    struck = [(key, *row) for key, sheet in sheets for row in sheet.struck_rows]
    if struck:
        found = positions(struck)
        ok = found >= 0
        mask = np.zeros(n, dtype=bool)
        mask[found[ok]] = True
        counts = {}
        for k, name in ((2, "struck"), (3, "filled")):
            counts[name] = np.zeros(n, dtype=np.int64)
            counts[name][found[ok]] = np.array([s[k] for s in struck], dtype=np.int64)[ok]
        log.add(mask, "head_name", "row_struck_through", **counts)
    comments = [(key, row, cell, text, _field_of(sheet.columns, cell))
                for key, sheet in sheets for row, cell, text in sheet.comments]
    if not comments:
        return
    # One issue per household and field at a time: a household with two comments on one field, or on
    # cells of no field, gets one issue each (its comments ranked within the household and field).
    said = pd.DataFrame({"position": positions(comments),
                         "field": [name or "head_name" for *_, name in comments],
                         "cell": [cell for _, _, cell, _, _ in comments],
                         "text": [_shortened(text) for _, _, _, text, _ in comments]})
    said = said[said["position"] >= 0]
    said["rank"] = said.groupby(["position", "field"]).cumcount()
    for (_, field), here in said.groupby(["rank", "field"], sort=False):
        at_rows = here["position"].to_numpy(dtype=np.int64)
        mask = np.zeros(n, dtype=bool)
        cell, text = np.full(n, "", dtype=object), np.full(n, "", dtype=object)
        mask[at_rows] = True
        cell[at_rows], text[at_rows] = here["cell"].to_numpy(dtype=object), here["text"].to_numpy(dtype=object)
        log.add(mask, field, "cell_has_comment", comment_cell=cell, comment=text)


def _check_sheet_names(households: pd.DataFrame, log: IssueLog, inputs) -> None:
    """sheet_named_removed: the households of a sheet whose name says it holds households taken off
    the list (删除户, 迁出户: fields.toml removed_sheet_names), each warned with the sheet's name."""
    import numpy as np  # here: the scan's process loads this module without numpy

    from .catalogue import fields

    rows = fields().rows
    named = {sheet.key(record.name): (sheet.name, word) for record in inputs for sheet in record.sheets
             if (word := rows.removed_word(sheet.name)) is not None}
    if not named or "sheet_key" not in households.columns:
        return
    keys = households["sheet_key"].to_numpy(dtype=object)
    mask = np.isin(keys, list(named))
    if not mask.any():
        return
    sheet, word = (np.full(len(households), None, dtype=object) for _ in range(2))
    for key, (name, found) in named.items():
        at = keys == key
        sheet[at], word[at] = name, found
    log.add(mask, "head_name", "sheet_named_removed", sheet=sheet, word=word)


def _field_of(columns: dict, cell: str) -> str | None:
    """The field whose column a cell (K9) is in, None where the form reads no field there."""
    letters = cell.rstrip("0123456789")
    return next((name for name, ref in columns.items() if ref.letter == letters), None)


def _shortened(text: str) -> str:
    return text if len(text) <= COMMENT_SHOWN else text[:COMMENT_SHOWN] + "…"
