"""The data-quality issues of a run: collected as masks over households, rendered only where read.

Each check adds a boolean mask over households, a field and a code; the log keeps only the positions
that are flagged, with the values its message quotes. `IssueLog.index` lists every issue in household
order without making any text (what the decisions, the counts and the systemic findings need);
`IssueLog.table` renders the rows asked for: provenance, the cell reference (column letter per
sheet), severity and category from the catalogue, and the message from its zh or en template. A
million issues are rendered a slice at a time (issues.csv), never all at once, and the human-facing
reports render only what they show.
"""

from __future__ import annotations

import itertools
import string
from dataclasses import dataclass, replace
from functools import cache

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, messages

ISSUE_COLUMNS = ["source_file", "sheet", "row", "cell", "township", "village", "head_name",
                 "field", "value", "code", "severity", "category", "message"]
# The column issues.csv has after ISSUE_COLUMNS only in a run with a members table (the bare screen's
# issues.csv is exactly ISSUE_COLUMNS): which table the issue's row is of, one of ISSUE_TABLES.
OPTIONAL_ISSUE_COLUMNS = ["table"]
ISSUE_TABLES = ("households", "members")
INDEX_COLUMNS = ["hh", "field", "code", "hint", "severity", "kind", "part", "pos"]
# Fields an issue may name that are no column of the survey (a text row's fields beyond its header),
# named in what people read by their label (catalogue labels) rather than a header. A value the screen
# computes is not one: its issue names the cell to correct (per_capita_implausible: checks.check_per_capita).
COMPUTED_FIELDS = ("beyond_header",)
# Provenance of an issue, taken from its household.
_PROVENANCE = ("source_file", "sheet", "row", "township", "village", "head_name", "sheet_key")


@dataclass(frozen=True)
class _Part:
    """The issues one `add` found: households (positions), what was checked, and the values the
    message quotes ("value" and the check's own parameters), each an object array aligned with
    `hh` or one scalar for all."""

    hh: np.ndarray
    field: str
    code: str
    hint: str
    values: dict


class IssueLog:
    """Issues found over one households frame (positions are 0-based row positions in it). `cells`
    is the households' cells as typed: an issue quotes its field's text from there by default."""

    def __init__(self, cells: pd.DataFrame):
        self.cells = cells
        self._parts: list[_Part] = []
        self._index: pd.DataFrame | None = None

    def add(self, mask, field: str, code: str, *, value=None, hint=None, **params) -> None:
        """Flag the households where `mask` is true. `value` defaults to the field's text as typed;
        `hint` picks the words of the message's {hint_…} placeholder (one key, or one per household);
        params (scalars or Series aligned with households) fill the message template."""
        if isinstance(mask, np.ndarray) and mask.dtype == bool:
            flagged = mask
        else:
            flagged = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
        if hint is not None and not isinstance(hint, str):  # a hint per household: one part per hint
            # Only the flagged households' hints are looked at (a hint array covers every household).
            positions = np.flatnonzero(flagged)
            hints = (hint.to_numpy(dtype=object) if isinstance(hint, pd.Series) else np.asarray(hint))[positions]
            hints = pd.Series(hints, dtype=object).fillna("").astype(str).to_numpy(dtype=object)
            for key in pd.unique(hints):
                these = np.zeros(len(flagged), dtype=bool)
                these[positions[hints == key]] = True
                self.add(these, field, code, value=value, hint=key or None, **params)
            return
        positions = np.flatnonzero(flagged)
        if len(positions) == 0:
            return
        if value is None:
            value = self.cells[field] if field in self.cells.columns else ""
        values = {"value": _take(value, positions)}
        values.update({k: _take(v, positions) for k, v in params.items()})
        self._parts.append(_Part(positions, field, code, hint or "", values))
        self._index = None

    @classmethod
    def joined(cls, cells: pd.DataFrame, logs: list[IssueLog]) -> IssueLog:
        """One log over `cells` from logs over consecutive slices of them, in order: each log's
        positions shifted by the rows before its slice."""
        joined, offset = cls(cells), 0
        for log in logs:
            joined._parts += [replace(p, hh=p.hh + offset) for p in log._parts]
            offset += len(log.cells)
        return joined

    @property
    def parts(self) -> list[_Part]:
        """What was added, as kept (to hand a log to another process without its cells)."""
        return list(self._parts)

    @classmethod
    def of_parts(cls, cells: pd.DataFrame, parts: list[_Part]) -> IssueLog:
        log = cls(cells)
        log._parts = list(parts)
        return log

    def index(self) -> pd.DataFrame:
        """Every issue in household order, then in the order the checks ran, without any text made:
        hh, field, code, hint, severity, kind (one number per distinct field, code and hint: the
        issues of one check on one column), and part and pos (where its quoted values are kept).
        Made once; treat it as read-only."""
        if self._index is None:
            self._index = self._make_index()
        return self._index

    def _make_index(self) -> pd.DataFrame:
        parts = self._parts
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=np.int64 if c in ("hh", "kind", "part", "pos") else object)
                                 for c in INDEX_COLUMNS})
        lengths = np.array([len(p.hh) for p in parts], dtype=np.int64)
        hh = np.concatenate([p.hh for p in parts]).astype(np.int64, copy=False)
        part = np.repeat(np.arange(len(parts), dtype=np.int64), lengths)
        pos = np.arange(len(hh), dtype=np.int64) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        order = np.argsort(hh, kind="stable")
        part = part[order]
        kinds: dict[tuple[str, str, str], int] = {}
        kind_of_part = np.array([kinds.setdefault((p.field, p.code, p.hint), len(kinds)) for p in parts],
                                dtype=np.int64)
        per_part = lambda values: np.array(values, dtype=object)[part]  # noqa: E731
        return pd.DataFrame({
            "hh": hh[order],
            "field": pd.Series(per_part([p.field for p in parts]), dtype=object),
            "code": pd.Series(per_part([p.code for p in parts]), dtype=object),
            "hint": pd.Series(per_part([p.hint for p in parts]), dtype=object),
            "severity": pd.Series(per_part([severity_of(p.field, p.code) for p in parts]), dtype=object),
            "kind": kind_of_part[part],
            "part": part,
            "pos": pos[order],
        })

    def codes(self) -> pd.DataFrame:
        """hh, field, code, severity for every issue in the order the checks ran (the order the
        ledger's reasons follow): what the decision needs, without rendering."""
        parts = self._parts
        lengths = [len(p.hh) for p in parts]
        per_part = lambda values: pd.Series(np.repeat(np.array(values, dtype=object), lengths), dtype=object)  # noqa: E731
        return pd.DataFrame({
            "hh": np.concatenate([p.hh for p in parts]).astype(np.int64) if parts else np.array([], dtype=np.int64),
            "field": per_part([p.field for p in parts]), "code": per_part([p.code for p in parts]),
            "severity": per_part([severity_of(p.field, p.code) for p in parts]),
        })

    def __len__(self) -> int:
        return sum(len(p.hh) for p in self._parts)

    def table(self, households: pd.DataFrame, columns: pd.DataFrame, lang: Lang = "zh",
              rows: np.ndarray | slice | None = None, provenance: dict | None = None) -> pd.DataFrame:
        """The issue table of the issues at `rows` (positions in `index()`; all by default), in
        index order: ISSUE_COLUMNS, the header as typed, hh, hint, the column letter and each check's
        own parameters. `provenance` (from `provenance(households)`) saves taking the households'
        columns apart again for each slice of a long table."""
        return rendered(self.gathered(households, columns, rows, provenance), lang)

    def gathered(self, households: pd.DataFrame, columns: pd.DataFrame, rows: np.ndarray | slice | None = None,
                 provenance: dict | None = None) -> dict[str, np.ndarray]:
        """What the issue table of the issues at `rows` is made of, before any text is made: one
        array per column (hh, field, code, hint, severity, the quoted values, the provenance, the
        column letter and header). Plain arrays, so that another process can render them."""
        idx = self.index()
        if rows is not None:
            idx = idx.iloc[rows]
        hh = idx["hh"].to_numpy()
        field = idx["field"].to_numpy(dtype=object)
        frame: dict[str, np.ndarray] = {"hh": hh, "field": field, "code": idx["code"].to_numpy(dtype=object),
                                        "hint": idx["hint"].to_numpy(dtype=object)}
        frame.update(self._values(idx["part"].to_numpy(), idx["pos"].to_numpy()))
        provenance = provenance or self.provenance(households)
        for col in _PROVENANCE:
            frame[col] = provenance[col][hh]
        frame["column"], frame["header"] = _cells(frame["sheet_key"], field, columns)
        frame["severity"] = idx["severity"].to_numpy(dtype=object)
        return frame

    @staticmethod
    def provenance(households: pd.DataFrame) -> dict[str, np.ndarray]:
        """The households' columns an issue takes its provenance from, as arrays."""
        return {col: households[col].to_numpy() for col in _PROVENANCE}

    def _values(self, part: np.ndarray, pos: np.ndarray) -> dict[str, np.ndarray]:
        """The quoted values (value and params) of the issues at (part, pos), one object array each;
        None where a part has no such parameter."""
        n = len(part)
        out: dict[str, np.ndarray] = {"value": np.full(n, None, dtype=object)}
        order = np.argsort(part, kind="stable")
        for rows in np.split(order, np.flatnonzero(np.diff(part[order])) + 1):
            if not len(rows):
                continue
            source = self._parts[part[rows[0]]]
            for name, values in source.values.items():
                into = out.get(name)
                if into is None:
                    into = out[name] = np.full(n, None, dtype=object)
                into[rows] = values[pos[rows]] if isinstance(values, np.ndarray) else values
        return out


def _cells(sheet_keys: np.ndarray, field: np.ndarray, columns: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(column letter, header as typed) of each issue's field in its sheet: '' and the field's
    canonical header (or its name) where the sheet has no such column."""
    sheet_codes, sheets = pd.factorize(sheet_keys)
    field_codes, names = pd.factorize(field)
    by_name = fields().by_name
    letters = np.full((len(sheets), len(names)), "", dtype=object)
    headers = np.empty((len(sheets), len(names)), dtype=object)
    headers[:] = [by_name[f].header if f in by_name else f for f in names]
    sheet_at = {s: i for i, s in enumerate(sheets)}
    field_at = {f: j for j, f in enumerate(names)}
    for key, name, letter, header in columns[["sheet_key", "field", "column", "header"]].itertuples(index=False):
        i, j = sheet_at.get(key), field_at.get(name)
        if i is not None and j is not None:
            letters[i, j] = letter if isinstance(letter, str) else ""
            if isinstance(header, str):
                headers[i, j] = header
    return letters[sheet_codes, field_codes], headers[sheet_codes, field_codes]


def rendered(frame: dict[str, np.ndarray], lang: Lang) -> pd.DataFrame:
    """The issue table of IssueLog.gathered's arrays, its messages in `lang`."""
    n = len(frame["hh"])
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in ISSUE_COLUMNS + ["header", "hh", "hint", "column"]})
    frame = dict(frame)
    column, row = frame["column"], frame["row"]
    cell = np.full(n, "", dtype=object)
    lettered = np.flatnonzero(column != "")
    cell[lettered] = column[lettered] + np.array(list(map(str, row[lettered].tolist())), dtype=object)
    frame["cell"] = cell
    frame["severity"] = frame.pop("severity")  # after the cell, as the table's columns always were
    checks = messages().checks
    codes, distinct = pd.factorize(frame["code"])
    frame["category"] = np.array([checks[c].category for c in distinct], dtype=object)[codes]
    frame["value"] = _text(frame["value"])
    table = pd.DataFrame({k: pd.Series(v, dtype=v.dtype if isinstance(v, np.ndarray) and v.dtype != object
                                       else object) for k, v in frame.items()})
    table["message"] = render(table, lang).to_numpy()
    return table


def _take(value, positions: np.ndarray):
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)):
        return np.asarray(pd.Series(value).iloc[positions].astype(object).to_numpy())
    return value


def _text(values: np.ndarray) -> np.ndarray:
    """Values as text: strings as they are, numbers as Python prints them, None and NA as ''."""
    values = np.asarray(values, dtype=object)
    kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind in ("string", "empty"):
        missing = pd.isna(values)
        if not missing.any():
            return values
        values = values.copy()
        values[missing] = ""
        return values
    missing = pd.isna(values)
    out = values.copy()
    out[missing] = ""
    other = np.flatnonzero(~missing & ~np.fromiter(map(isinstance, values.tolist(), itertools.repeat(str)),
                                                    dtype=bool, count=len(values)))
    if len(other):
        out[other] = list(map(str, values[other].tolist()))
    return out


@cache
def severity_of(field: str, code: str) -> str:
    """The severity of one check on one field: the catalogue's, except missing_value, an error for
    required text, ID and counts and a warning for money and yes/no."""
    spec = messages().checks[code]
    if code != "missing_value":
        return spec.severity
    kind = next((f.kind for f in fields().field if f.name == field), None)
    return spec.severity_by_kind.get(kind, "error") if kind else "error"


_FORMATTER = string.Formatter()


@cache
def _template(code: str, hint: str, lang: Lang) -> str:
    """A check's message template in `lang` with its {hint_zh}/{hint_en} placeholder replaced by the
    hint's own words (themselves a template); '' where the issue has no hint."""
    out = []
    for literal, name, spec, conv in _FORMATTER.parse(messages().checks[code].template(lang)):
        out.append(literal.replace("{", "{{").replace("}", "}}"))
        if name is None:
            continue
        if name.startswith("hint_"):
            out.append(messages().hints[hint](name.removeprefix("hint_")) if hint else "")
        else:
            out.append("{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}")
    return "".join(out)


def _field_at(frame: pd.DataFrame, lang: Lang) -> np.ndarray:
    """Each issue's field as a message names it ({at}): 'P列「家庭总收入(元)」', or the header alone
    where the sheet has no such column (a total summed from its components)."""
    column = _text(frame["column"].to_numpy(dtype=object))
    header_codes, headers = pd.factorize(_text(frame["header"].to_numpy(dtype=object)))
    labels = messages().labels
    header = np.array([labels[h](lang) if h in labels else h for h in headers], dtype=object)[header_codes]
    parts = pd.DataFrame({"column": column, "header": header})
    lettered = column != ""
    out = np.empty(len(frame), dtype=object)
    for where, key in ((lettered, "field_at_column"), (~lettered, "field_at_no_column")):
        out[where] = filled(labels[key](lang), parts[where])
    return out


def _fill(template: str, columns: dict[str, np.ndarray], frame: pd.DataFrame, rows: np.ndarray,
          lang: Lang = "zh") -> list[str]:
    """`template` rendered for the rows `rows` of `frame`: one join per row. `columns` caches each
    column's text over the whole frame; {at} is the field's column and header (_field_at)."""
    n = len(rows)
    pieces = []
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        if literal:
            pieces.append(itertools.repeat(literal, n))
        if name is None:
            continue
        if name in frame.columns or (name == "at" and {"column", "header"} <= set(frame.columns)):
            if name not in columns:
                columns[name] = _field_at(frame, lang) if name == "at" and name not in frame.columns \
                    else _text(frame[name].to_numpy(dtype=object))
            pieces.append(columns[name][rows])
        else:
            pieces.append(itertools.repeat("{" + name + "}", n))
    if not pieces:
        return [""] * n
    return list(map("".join, zip(*pieces)))


def filled(template: str, params: pd.DataFrame) -> list[str]:
    """`template` ({placeholders} of `params`' columns) rendered for each row of `params`."""
    return _fill(template, {}, params, np.arange(len(params)))


def render(frame: pd.DataFrame, lang: Lang) -> pd.Series:
    """Messages for every issue row of `frame`, from the catalogue's templates in `lang`: each
    distinct check and hint rendered over its rows at once."""
    n = len(frame)
    out = np.empty(n, dtype=object)
    if n == 0:
        return pd.Series(out, index=frame.index, dtype=object)
    code_of, codes = pd.factorize(frame["code"].to_numpy(dtype=object))
    hints = frame["hint"].to_numpy(dtype=object) if "hint" in frame.columns else np.full(n, "", dtype=object)
    hint_of, hint_keys = pd.factorize(_text(hints))
    group = code_of * max(len(hint_keys), 1) + hint_of
    order = np.argsort(group, kind="stable")
    columns: dict[str, np.ndarray] = {}
    for rows in np.split(order, np.flatnonzero(np.diff(group[order])) + 1):
        code, hint = codes[code_of[rows[0]]], hint_keys[hint_of[rows[0]]]
        out[rows] = _fill(_template(code, hint, lang), columns, frame, rows, lang)
    return pd.Series(out, index=frame.index, dtype=object)
