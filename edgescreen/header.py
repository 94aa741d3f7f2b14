"""Finding a sheet's household header: which row (or two rows) names the fields, and which column
holds each field.

The header is found by scanning the top of the sheet, not assumed: title rows and a 填报单位 line may
stand above it, and it may span two rows with group headers (家庭总收入(元)) merged over their
components. Headers are matched by name through the aliases of the field catalogue, never by
position."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Phrase, alias_index, fields, header_keys, normalise_header
from .errors import InputError
from .rules import RuleSet

HEADER_SCAN_ROWS = 40


@dataclass
@dataclass
class ColumnRef:
    field: str
    index: int  # 0-based column index in the sheet
    letter: str
    header: str  # the header as typed (both rows of a two-row header joined by "/")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Header detection


@dataclass
class HeaderMatch:
    columns: dict[str, ColumnRef]
    duplicates: dict[str, list[ColumnRef]]
    unknown: list[str]
    headers_found: list[str]


def _required_units(rules: RuleSet) -> list[tuple[str, ...]]:
    """Required fields as alternatives: a unit is satisfied when any of its fields is present."""
    units: list[tuple[str, ...]] = [(f.name,) for f in fields().field if f.required]
    units.append((*rules.income.components, rules.income.total))
    units.append((*rules.expenses.components, rules.expenses.total))
    return units


def _match_headers(texts: list[str], typed: list[str]) -> HeaderMatch:
    index = alias_index()
    columns: dict[str, ColumnRef] = {}
    duplicates: dict[str, list[ColumnRef]] = {}
    unknown: list[str] = []
    for i, text in enumerate(texts):
        if not text:
            continue
        name = next((index[k] for k in header_keys(text) if k in index), None)
        ref = ColumnRef(name or "", i, column_letter(i), typed[i])
        if name is None:
            if normalise_header(text) not in fields().rows.row_number_headers:
                unknown.append(f"{ref.letter}「{typed[i]}」")
        elif name in columns:
            duplicates.setdefault(name, [columns[name]]).append(ref)
        else:
            columns[name] = ref
    return HeaderMatch(columns, duplicates, unknown, [t for t in typed if t])


def _combine_two_rows(top: list[str], bottom: list[str]) -> tuple[list[str], list[str]]:
    """Header text per column of a two-row header: the component under a group header, else the
    cell above. A 合计/小计 under a group header is that group's total."""
    groups = {normalise_header(k): v for k, v in fields().groups.items()}
    texts, typed = [], []
    group = ""
    for t, b in zip(top, bottom):
        if t:
            group = t
        elif not b:
            group = ""
        if b:
            group_field = next((groups[k] for k in header_keys(group) if k in groups), None) if group else None
            if group_field and normalise_header(b) in fields().rows.total_words:
                texts.append(fields().by_name[group_field].header)
            else:
                texts.append(b)
            typed.append(f"{group}/{b}" if group and group != b else b)
        else:
            texts.append(t)
            typed.append(t)
    return texts, typed


def _clean_typed(text: str) -> str:
    """A header as shown in messages: line breaks inside the cell dropped, runs of spaces folded."""
    return re.sub(r"[ \t\u3000]+", " ", re.sub(r"\s*[\r\n]+\s*", "", text)).strip()


def find_header(grid: list[list[str]], rules: RuleSet) -> tuple[int, int, HeaderMatch] | None:
    """(first header row, last header row, match) as 0-based grid rows, or None for a sheet that
    does not name at least half of the required fields."""
    units = _required_units(rules)

    def score(match: HeaderMatch) -> int:
        return sum(any(f in match.columns or f in match.duplicates for f in unit) for unit in units)

    best: tuple[tuple[int, int, bool], int, int, HeaderMatch] | None = None
    rows = [[_clean_typed(c) for c in row] for row in grid[:HEADER_SCAN_ROWS]]
    for r, row in enumerate(rows):
        if not any(row):
            continue
        candidates = [(r, r, _match_headers(row, row))]
        if r + 1 < len(rows):
            texts, typed = _combine_two_rows(row, rows[r + 1])
            candidates.append((r, r + 1, _match_headers(texts, typed)))
        for first, last, match in candidates:
            # At an equal score a one-row header wins: a title or 填报单位 line above the header row
            # adds nothing to it and must not become part of every column's name.
            s = (score(match), len(match.columns), first == last)
            if best is None or s > best[0]:
                best = (s, first, last, match)
    if best is None or 2 * best[0][0] < len(units):
        return None
    _, first, last, match = best
    return first, last, match


def check_columns(path: Path, sheet: str, match: HeaderMatch, rules: RuleSet) -> None:
    where = Phrase("where_sheet", file=path.name, sheet=sheet) if sheet else path.name
    if match.duplicates:
        name, refs = next(iter(match.duplicates.items()))
        cols = ", ".join(f"{r.letter}「{r.header}」" for r in refs)
        raise InputError("two_columns_one_field", where=where, header=fields().by_name[name].header, columns=cols)
    missing = [unit for unit in _required_units(rules) if not any(f in match.columns for f in unit)]
    if missing:
        by_name = fields().by_name
        # A sum is satisfied by its total or any component: name the total and say so.
        wanted = [by_name[unit[0]].header if len(unit) == 1
                  else Phrase("total_or_components", total=by_name[unit[-1]].header,
                              components="/".join(by_name[f].header for f in unit[:-1]))
                  for unit in missing]
        accepted = [a for f in fields().field for a in (f.header, *f.aliases)]
        unknown = [h.split("「", 1)[-1].rstrip("」") for h in match.unknown]
        near = sorted({m for h in unknown for m in difflib.get_close_matches(h, accepted, n=2, cutoff=0.5)})
        raise InputError("required_column_missing", where=where, wanted=wanted,
                         found=", ".join(match.headers_found),
                         near=Phrase("nearest_headers", headers=", ".join(near)) if near else "")
