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
    normalise typed them (`<money>_fen`, the counts) and `cells`, the text read (whether a cell was
    typed: a count the members made for a blank cell is no figure a total could hold)."""
    kinds = {f.name: f.kind for f in fields().field}
    for record in inputs:
        for sheet in record.sheets:
            sheet.totals_differ = []
            if not sheet.total_cells:
                continue
            keys = households["sheet_key"].to_numpy(dtype=object)
            mine = np.flatnonzero(keys == sheet.key(record.name)) if len(inputs) > 1 or len(record.sheets) > 1 \
                else np.arange(len(households))  # one sheet: every household is its
            rows = households["row"].to_numpy(dtype=np.int64)[mine]
            hidden = np.isin(rows, np.asarray(sheet.hidden_rows + sheet.filtered_rows, dtype=np.int64))
            starts = [0]
            for row, said, typed in sheet.total_cells:
                differs = []
                for name, text in typed.items():
                    if kinds.get(name) not in ("money", "integer") or name not in cells:
                        continue
                    amounts = households[f"{name}_fen" if kinds[name] == "money" else name].to_numpy(
                        dtype=float, na_value=np.nan)[mine]
                    if kinds[name] == "integer":  # a blank count is NA (a money cell's is 0 fen already)
                        written = cells[name].to_numpy(dtype=object, na_value="")[mine] != ""
                        amounts = np.where(written, amounts, 0.0)
                    ref = sheet.columns.get(name)
                    found = _differs(amounts, rows, hidden, name, kinds[name], text, row, starts,
                                     name in sheet.in_wan, ref.letter if ref is not None else "")
                    if found is not None:
                        differs.append(found)
                if differs:
                    sheet.totals_differ.append(TotalDiffers(row, said, differs))
                starts.append(row)


def _differs(amounts: np.ndarray, rows: np.ndarray, hidden: np.ndarray, name: str, kind: str, text: str,
             row: int, starts: list[int], in_wan: bool, column: str) -> Differs | None:
    """The field's Differs where its total `text` matches no run of households above `row`: since
    one of `starts` (the sheet's first row, each total above), with the rows hidden or without.
    None where one matches, or where it cannot be told (the total no number, a cell above not read as
    one). The run said is the one since the total just above."""
    cell = pd.Series([text], dtype=object)
    if kind == "money":
        fen, state, _ = money_column(cell, np.array([in_wan]))
        in_wan = in_wan and bool(read_as_wan(cell, fen)[0])
    else:
        fen, state = parse_integer(cell)
    if state.iloc[0] != "ok":
        return None
    stated = int(fen.iloc[0])
    tolerance = _precision(text, in_wan) if kind == "money" else 0
    said = None
    for start in starts:
        run = (rows > start) & (rows < row)
        if not run.any():
            continue
        if np.isnan(amounts[run]).any():
            return None
        for counted in (run, run & ~hidden):
            if abs(int(np.rint(amounts[counted].sum())) - stated) <= tolerance:
                return None
        said = (int(np.rint(amounts[run].sum())), int(run.sum()))
    if said is None:
        return None
    return Differs(name, kind, stated, said[0], said[1], column)
