"""A document's identity, as edgescreen prints it into every document and reads it back (the register's
documents, the request list): who the document is, and a short hash of each printed row's identifying
cells, compared as a clerk's copy may differ (a number as text, a name lined up with spaces). Core:
the roster reader reads a returned request list's identity too (rosters.py); register/documents.py
stamps and opens documents with it."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

IDENTITY_FORMAT = "edgescreen-document-1"
HASH_CHARS = 16


@dataclass
class Identity:
    """Who a document is. `rows` (seq, key, hash, then the printed identity cells under their
    headers) is None when only the document properties survived."""

    doc_id: str
    step: str
    scope: str = ""
    township: str = ""
    village: str = ""
    round: int | None = None
    register_id: str | None = None
    sheet: str = ""
    headers: tuple[str, ...] = ()
    rows: pd.DataFrame | None = None


def cell_text(value) -> str:
    """A cell as text to compare: numbers without a trailing .0, dates as YYYY-MM-DD, text folded
    (NFKC) and trimmed; a blank is ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip()


def bare_text(value) -> str:
    """A cell as compared where a space says nothing: cell_text without any white space inside, so
    that a name typed with spaces to line it up (王  凤平, 王　凤平: NFKC made the full-width one plain)
    is the name printed (王凤平), as a space before or after it was already. Everything else stays: a
    minority name's separator dot is part of the name (阿依古丽·买买提 is not 阿依古丽买买提)."""
    return "".join(cell_text(value).split())


def _hashed(cells: Sequence, as_compared) -> str:
    return hashlib.sha256("\x1f".join(as_compared(v) for v in cells).encode("utf-8")).hexdigest()[:HASH_CHARS]


def row_hash(cells: Sequence) -> str:
    """A short hash of one row's identifying cells as printed (in print order), each as `bare_text`
    compares it. A row without a space inside a cell hashes as it always did."""
    return _hashed(cells, bare_text)


def row_matches(cells: Sequence, printed_hash: str) -> bool:
    """Whether a returned row's identifying cells are those printed: by `row_hash`, or as a row printed
    before spaces inside a cell were let pass was hashed (each cell as cell_text: a name printed 王 凤平
    by an earlier edgescreen, returned as printed)."""
    return printed_hash in (row_hash(cells), _hashed(cells, cell_text))


def row_hashes(cells: pd.DataFrame) -> pd.Series:
    """`row_hash` of every row of a frame of printed cells (in the frame's column order)."""
    digest = list(map(row_hash, zip(*[cells[c].tolist() for c in cells.columns])))
    return pd.Series(digest, index=cells.index, dtype=object)


def identity_from_cells(cells: list[list]) -> Identity | None:
    """The identity a document's identity sheet holds (its cells as calamine gives them), or None where
    it is no identity of this format."""
    facts: dict[str, str] = {}
    headers: tuple[str, ...] = ()
    table_at = None
    for i, row in enumerate(cells):
        key = cell_text(row[0]) if row else ""
        if key == "headers":
            headers = tuple(cell_text(v) for v in row[1:] if cell_text(v))
        elif key == "rows":
            table_at = i + 1
            break
        elif key:
            facts[key] = cell_text(row[1]) if len(row) > 1 else ""
    if facts.get("format") != IDENTITY_FORMAT or not facts.get("doc_id"):
        return None
    rows = None
    if table_at is not None and table_at < len(cells):
        names = [cell_text(v) for v in cells[table_at]]
        width = names.index("") if "" in names else len(names)
        body = [row[:width] for row in cells[table_at + 1:] if row and row[0] != ""]
        rows = pd.DataFrame(body, columns=names[:width], dtype=object)
        rows["seq"] = pd.to_numeric(rows["seq"], errors="coerce").astype("Int64")
    return Identity(doc_id=facts["doc_id"], step=facts.get("step", ""), scope=facts.get("scope", ""),
                    township=facts.get("township", ""), village=facts.get("village", ""),
                    round=int(facts["round"]) if facts.get("round", "").isdigit() else None,
                    register_id=facts.get("register_id") or None, sheet=facts.get("sheet", ""),
                    headers=headers, rows=rows)
