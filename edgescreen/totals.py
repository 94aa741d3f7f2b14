"""A sheet's own total rows (合计, 本村小计) against the households read above them.

The reader drops a total row as no household (read.SKIPPED_ROW_KINDS) and keeps the amounts and
counts it gives (read.SheetInfo.total_cells). Once the households are typed, each total is compared
with the households above it: those since the sheet's first row, or since the total above it (a
小计 per 村民小组, then a 合计 of all), or the same without the rows hidden or filtered out (a
SUBTOTAL of the rows shown). A total that matches none of them says a household row was deleted after
the total was typed, the total's formula leaves rows out, or a household was not read as one: the
sheet is named (TotalDiffers), never a household, whose own figures decide.

A total agrees to the precision it is typed with (1234567 against 1,234,566.80 yuan of households;
12.35 万元 against 123,456.00 yuan). A field whose cells above are not all read as numbers is not
compared."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, label
from .normalise import money_column, parse_integer, read_as_wan

# Fields compared, at most, in one sentence: the rest are counted.
SHOWN_FIELDS = 3


@dataclass
class Differs:
    """One field of a total row that adds up to no run of the households above."""
    field: str
    kind: str  # 'money' (fen) or 'integer'
    stated: int
    summed: int  # over the run the total covers most likely: since the row above's total, or the sheet's first
    households: int
    column: str  # the column's letter


@dataclass
class TotalDiffers:
    """A total row of a sheet whose figures are not those of the households above it."""
    row: int
    said: str  # its label as the sheet writes it (合计, 前岗村小计), or ''
    fields: list[Differs]

    def words(self, lang: Lang) -> str:
        """What differs, in the catalogue's words: 家庭总收入(L 列)写 1,234,500.00 元,上方 100 户之和 1,230,000.00 元."""
        parts = [label("total_field_differs", lang, header=fields().by_name[d.field].header, column=d.column,
                       stated=_shown(d.stated, d.kind, lang), summed=_shown(d.summed, d.kind, lang),
                       households=f"{d.households:,}")
                 for d in self.fields[:SHOWN_FIELDS]]
        more = len(self.fields) - SHOWN_FIELDS
        text = label("list_sep_clause", lang).join(parts)
        return text + (label("total_fields_more", lang, count=more) if more > 0 else "")


def _shown(value: int, kind: str, lang: Lang) -> str:
    if kind == "integer":
        return label("total_count", lang, count=f"{value:,}")
    sign, fen = ("-" if value < 0 else ""), abs(value)
    return label("total_amount", lang, amount=f"{sign}{fen // 100:,}.{fen % 100:02d}")


def _precision(typed: str, in_wan: bool) -> int:
    """Half the fen of the last digit typed: a total of 1234567 (yuan) is good to 50 fen, 12.35 (万元)
    to 5,000 fen; a total typed to the fen, to none."""
    text = typed.replace(",", "").replace(",", "")
    decimals = len(text.split(".", 1)[1].rstrip("元万 ")) if "." in text else 0
    unit = 1_000_000 if in_wan or "万" in text else 100
    step = unit // 10 ** decimals if 10 ** decimals <= unit else 1
    return step // 2


def check_total_rows(households: pd.DataFrame, cells: pd.DataFrame, inputs) -> None:
    """SheetInfo.totals_differ of every household sheet with total rows, from `households` as
    normalise typed them (`<money>_fen`, the counts) and `cells`, the text read (whether a count was
    typed: one the members made for a blank cell is no figure a total could hold). Each column made
    an array once, and every total's cells parsed at once, however many sheets (a city's 300 files)."""
    kinds = {f.name: f.kind for f in fields().field}
    wanted = [(record, sheet) for record in inputs for sheet in record.sheets if sheet.total_cells]
    for record in inputs:
        for sheet in record.sheets:
            sheet.totals_differ = []
    if not wanted:
        return
    # Every total cell of every sheet: (sheet's place in `wanted`, Excel row, field, text), parsed per kind.
    entries = [(w, row, name, text) for w, (_, sheet) in enumerate(wanted) for row, _, typed in sheet.total_cells
               for name, text in typed.items() if kinds.get(name) in ("money", "integer") and name in cells]
    stated = _parsed_totals(entries, wanted, kinds)
    codes, keys = pd.factorize(households["sheet_key"].to_numpy(dtype=object))
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
    positions = {key: order[bounds[k]:bounds[k + 1]] for k, key in enumerate(keys)}
    all_rows = households["row"].to_numpy(dtype=np.int64)
    columns: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        """A field's amounts (fen) or counts as floats, NaN where not read; a count left blank 0."""
        if name not in columns:
            values = households[f"{name}_fen" if kinds[name] == "money" else name].to_numpy(dtype=float,
                                                                                        na_value=np.nan)
            if kinds[name] == "integer":  # a blank count is NA (a money cell's is 0 fen already)
                values = np.where(cells[name].to_numpy(dtype=object, na_value="") != "", values, 0.0)
            columns[name] = values
        return columns[name]

    by_sheet: dict[int, list[int]] = {}
    for e, (w, _, _, _) in enumerate(entries):
        by_sheet.setdefault(w, []).append(e)
    for w, at in by_sheet.items():
        record, sheet = wanted[w]
        mine = positions.get(sheet.key(record.name), np.zeros(0, dtype=np.int64))
        rows = all_rows[mine]
        hidden = np.isin(rows, np.asarray(sheet.hidden_rows + sheet.filtered_rows, dtype=np.int64))
        starts = [0]
        for row, said, _ in sheet.total_cells:
            differs = []
            for e in at:
                if entries[e][1] != row or stated[e] is None:
                    continue
                name = entries[e][2]
                ref = sheet.columns.get(name)
                found = _differs(column(name)[mine], rows, hidden, name, kinds[name], stated[e], row, starts,
                                 ref.letter if ref is not None else "")
                if found is not None:
                    differs.append(found)
            if differs:
                sheet.totals_differ.append(TotalDiffers(row, said, differs))
            starts.append(row)


def _parsed_totals(entries: list[tuple], wanted: list[tuple], kinds: dict) -> list[tuple[int, int] | None]:
    """Per entry of check_total_rows, (its figure, in fen or a count; the tolerance it is typed with),
    or None where the cell holds no number. One parse per kind for all of them."""
    out: list[tuple[int, int] | None] = [None] * len(entries)
    for kind in ("money", "integer"):
        at = [e for e, (_, _, name, _) in enumerate(entries) if kinds[name] == kind]
        if not at:
            continue
        texts = pd.Series([entries[e][3] for e in at], dtype=object)
        if kind == "money":
            wan = np.array([entries[e][2] in wanted[entries[e][0]][1].in_wan for e in at], dtype=bool)
            fen, state, _ = money_column(texts, wan)
            wan &= read_as_wan(texts, fen)
        else:
            fen, state = parse_integer(texts)
        ok = (state == "ok").to_numpy(dtype=bool)
        values = fen.to_numpy(dtype=object)
        for k, e in enumerate(at):
            if ok[k]:
                out[e] = (int(values[k]), _precision(entries[e][3], bool(wan[k])) if kind == "money" else 0)
    return out


def _differs(amounts: np.ndarray, rows: np.ndarray, hidden: np.ndarray, name: str, kind: str,
             stated: tuple[int, int], row: int, starts: list[int], column: str) -> Differs | None:
    """The field's Differs where its total (`stated`: the figure and the tolerance it is typed with)
    matches no run of households above `row`: since one of `starts` (the sheet's first row, each
    total above), with the rows hidden or without. None where one matches, or where it cannot be
    told (a cell above not read as a number). The run said is the one since the total just above."""
    figure, tolerance = stated
    said = None
    for start in starts:
        run = (rows > start) & (rows < row)
        if not run.any():
            continue
        if np.isnan(amounts[run]).any():
            return None
        for counted in (run, run & ~hidden):
            if abs(int(np.rint(amounts[counted].sum())) - figure) <= tolerance:
                return None
        said = (int(np.rint(amounts[run].sum())), int(run.sum()))
    if said is None:
        return None
    return Differs(name, kind, figure, said[0], said[1], column)
