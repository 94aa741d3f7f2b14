"""A sheet's own total rows (合计, 本村小计) against the households read above (or below) them.

The reader drops a total row as no household (read.SKIPPED_ROW_KINDS) and keeps the amounts and
counts it gives (read.SheetInfo.total_cells). Once the households are typed, each total is compared
with the households above it: those since the sheet's first row, or since the total above it (a
小计 per 村民小组, then a 合计 of all), or the same without the rows hidden or filtered out (a
SUBTOTAL of the rows shown). A total that matches none of them says a household row was deleted after
the total was typed, the total's formula leaves rows out, or a household was not read as one: the
sheet is named (TotalDiffers), never a household, whose own figures decide.
A total made without the households on rows struck through (删除线, a clerk's way of deleting: marks.py)
says so, naming those rows.

Statistical sheets put a block's total above it (「前岗村小计」, then 前岗村's households; a 合计 under
the header): such a total is compared with the households below it, up to a later total or the sheet's
end. Which way a total looks is told by where it stands: no household between it and the total (or
header) above, or the place it names (前岗村) being that of the rows after it and not of those before.
A total it cannot tell is taken to match where either way matches: never a false warning.

A grand total under blocks closed by totals of a lower word (a 合计 or 全镇合计 under the villages' 小计
rows; a 总计 under 合计 rows) sums every household since the header or the total above of its own word
or higher: it is compared with that run alone, not with the last block's (a 合计 of =SUM(G168), the last
小计, matched the last village and was never said). Where it equals one block's households, that block is
named (合计只等于最后一个村(太平村)的小计). A total keeps the households it is said against
(TotalDiffers.households): where they are all of one village, its fix list shows the row too.

A header repeated where the place changes (another township's or village's block pasted below, with its
title and header) opens a block as a total does: a total of that block is compared with the households
since that header. A header repeated by a paged export, the place going on, opens none. Households read
below a sheet's last total that no total covers (补录, added late), up to the next block's header, are
recorded (SheetInfo.below_last_total): the total no longer counts them.

A total agrees to the precision it is typed with (1234567 against 1,234,566.80 yuan of households;
12.35 万元 against 123,456.00 yuan). A field whose cells above are not all read as numbers is not
compared."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, label
from .cells import plain_numbers
from .normalise import money_column, parse_integer, read_as_wan

# Fields compared, at most, in one sentence: the rest are counted. So are a field's cells typed as text.
SHOWN_FIELDS = 3
SHOWN_TEXT_CELLS = 3
SHOWN_STRUCK_ROWS = 10  # rows struck through (删除线) a total leaves out, said by number
# A money or count cell as a number cell shows it (a minus, digits, a point): any other text, 15739元,
# 2,000 or 3人, was typed as text, which Excel's SUM leaves out.
_NUMBER_DIGITS, _NUMBER_DECIMALS = 15, 15
# A field's cells of one sheet: typed as text though read as an amount, their texts, their Excel rows.
TypedAsText = tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Differs:
    """One field of a total row that adds up to no run of the households above."""
    field: str
    kind: str  # 'money' (fen) or 'integer'
    stated: int
    summed: int  # over the run the total covers most likely: since the row above's total, or the sheet's first
    households: int
    column: str  # the column's letter
    below: bool = False  # summed over the households below the total (a block's total above it)
    # (Excel row, text) of the run's cells typed as text (15739元) whose amounts are the difference:
    # Excel's SUM leaves text out, so the total is right for the numbers it saw.
    text_cells: list[tuple[int, str]] = field(default_factory=list)
    # Excel rows of the run's households struck through (删除线, marks.py) whose amounts are the
    # difference: the total was made without them, deleted by striking.
    struck_rows: list[int] = field(default_factory=list)


@dataclass
class TotalDiffers:
    """A total row of a sheet whose figures are not those of the households above it."""
    row: int
    said: str  # its label as the sheet writes it (合计, 前岗村小计), or ''
    fields: list[Differs]
    # The households the total is said against (positions in the run's households): where they are of
    # one village (places.likely_villages), the row goes on that village's fix list too.
    households: list[int] = field(default_factory=list)
    # A grand total equal to one block's households only: (that block's total row, its total word,
    # the place level and name it is of ('' where none), whether it is the last block, the households
    # of the other blocks), else None.
    only_block: tuple[int, str, str, str, bool, int] | None = None

    @property
    def text_typed(self) -> bool:
        """Every figure differs by the amounts typed as text in its column: the sum skipped them."""
        return bool(self.fields) and all(d.text_cells for d in self.fields)

    @property
    def struck_left_out(self) -> list[int]:
        """The rows struck through whose households every figure differs by (the total left them
        out), or none."""
        return self.fields[0].struck_rows if self.fields and all(d.struck_rows for d in self.fields) else []

    def words(self, lang: Lang) -> str:
        """What differs, in the catalogue's words: 家庭总收入(L 列)写 1,234,500.00 元,上方 100 户之和 1,230,000.00 元."""
        parts = [label("total_field_differs_below" if d.below else "total_field_differs", lang,
                       header=fields().by_name[d.field].header, column=d.column,
                       stated=_shown(d.stated, d.kind, lang), summed=_shown(d.summed, d.kind, lang),
                       households=f"{d.households:,}") + _text_cells_said(d, lang)
                 for d in self.fields[:SHOWN_FIELDS]]
        more = len(self.fields) - SHOWN_FIELDS
        text = label("list_sep_clause", lang).join(parts)
        text += label("total_fields_more", lang, count=more) if more > 0 else ""
        if struck := self.struck_left_out:
            rows = label("list_sep", lang).join(map(str, struck[:SHOWN_STRUCK_ROWS]))
            text += label("total_struck_rows", lang, rows=rows + ("…" if len(struck) > SHOWN_STRUCK_ROWS else ""),
                          count=len(struck))
        text += self._only_block_said(lang)
        below = bool(self.fields) and self.fields[0].below
        return label("total_differs_below" if below else "total_differs_above", lang, fields=text)

    def cells(self) -> list[str]:
        """The total's cells that differ (G169, J169), in the order said."""
        return [f"{d.column}{self.row}" for d in self.fields if d.column]

    def figures(self, lang: Lang) -> tuple[list[str], list[str]]:
        """The headers of the fields that differ and the figures the total writes for them, as said."""
        return ([fields().by_name[d.field].header for d in self.fields],
                [_shown(d.stated, d.kind, lang) for d in self.fields])

    def _only_block_said(self, lang: Lang) -> str:
        if self.only_block is None:
            return ""
        row, word, level, place, last, others = self.only_block
        said = self.said or label("total_word_default", lang)
        word = word or label("total_block_word", lang)
        if not place:
            return label("total_only_block_unnamed", lang, said=said, row=row, word=word, others=f"{others:,}")
        return label("total_only_block_last" if last else "total_only_block", lang, said=said, row=row, word=word,
                     level=label(f"total_block_{level}", lang), place=place, others=f"{others:,}")


def _text_cells_said(d: Differs, lang: Lang) -> str:
    if not d.text_cells:
        return ""
    cells = label("list_sep", lang).join(label("total_text_cell", lang, row=row, column=d.column, text=text)
                                         for row, text in d.text_cells[:SHOWN_TEXT_CELLS])
    more = len(d.text_cells) - SHOWN_TEXT_CELLS
    return label("total_text_cells", lang, cells=cells + (label("total_text_cells_more", lang, count=more)
                                                         if more > 0 else ""))


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
            sheet.below_last_total = None
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

    texted: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def typed_as_text(name: str, mine: np.ndarray, rows: np.ndarray) -> TypedAsText | None:
        """A money or count field's cells read as a figure though not typed as a number (15739元, 3人),
        their texts and Excel rows, of the sheet's households `mine`."""
        if name not in texted:
            texts = cells[name].to_numpy(dtype=object, na_value="")
            texted[name] = (~plain_numbers(texts, _NUMBER_DIGITS, _NUMBER_DECIMALS, sign=True)
                            & (texts != "") & ~np.isnan(column(name)), texts)
        flags, texts = texted[name]
        return flags[mine], texts[mine], rows

    by_sheet: dict[int, list[int]] = {}
    for e, (w, _, _, _) in enumerate(entries):
        by_sheet.setdefault(w, []).append(e)
    for w, at in by_sheet.items():
        record, sheet = wanted[w]
        mine = positions.get(sheet.key(record.name), np.zeros(0, dtype=np.int64))
        rows = all_rows[mine]
        hidden = np.isin(rows, np.asarray(sheet.hidden_rows + sheet.filtered_rows, dtype=np.int64))
        struck = np.isin(rows, np.asarray([row for row, _, _ in sheet.struck_rows], dtype=np.int64)) \
            if sheet.struck_rows else None
        totals = [row for row, _, _ in sheet.total_cells]
        # A sum row without its label (read's "sum": its label was in a merged cell that did not come
        # across when pasted) ends a block as a labelled total does: a later total is compared with the
        # households since it, not with every household above. It sums those above (read found it so).
        sums = sorted({r for r, why in sheet.skipped_rows if why == "sum"} - set(totals))
        bounds = sorted([*totals, *sums])
        labels = dict(zip(totals, (said for _, said, _ in sheet.total_cells)))
        ranks = _levels(bounds, [labels.get(r, "") for r in bounds], rows)
        places = {f: cells[f].to_numpy(dtype=object, na_value="")[mine] for f in PLACE_FIELDS if f in cells}
        blocks = _block_headers([r for r, why in sheet.skipped_rows if why == "header"], rows, places)
        every_way = dict(zip(bounds, _ways(bounds, [labels.get(r, "") for r in bounds], rows, places,
                                           known=["above" if r not in labels else None for r in bounds],
                                           blocks=blocks)))
        ways = [every_way[r] for r in totals]

        def _run_names(run: np.ndarray, name: str) -> bool:
            return run.any() and any(_names(values[run], name) for values in places.values())

        # A total that cannot tell is said the way the sheet's others look (above where none can tell).
        told = {w for w in ways if w != "either"}
        said_way = "below" if told == {"below"} else "above"
        # Households below the last total that sums those above it: no total covers them. Only those up
        # to the next block's header: a block pasted below without a total of its own is no 补录 under it.
        last = bounds[-1]
        left_below = (rows > last) & (rows < min((h for h in blocks if h > last), default=np.inf))
        if left_below.any() and (said_way if every_way[last] == "either" else every_way[last]) != "below":
            sheet.below_last_total = (last, labels.get(last, ""), rows[left_below].tolist())
        for k, (row, said, _) in enumerate(sheet.total_cells):
            # The runs a total may cover, the one said first: since the nearest total or block's header
            # above (or the sheet's first row), up to the nearest below (or the sheet's end).
            place = bounds.index(row)
            starts = sorted({0, *bounds[:place], *(h for h in blocks if h < row)}, reverse=True)
            ends = sorted({*bounds[place + 1:], *(h for h in blocks if h > row)})
            above = [(rows > start) & (rows < row) for start in starts]
            below = [(rows > row) & (rows < end) for end in [*ends, np.inf]]
            # A grand total under lower ones (a 合计 under the villages' 小计): every household since the
            # header or the total above of its word or higher, that run alone (not the last block's).
            grand = _grand_start(row, bounds, ranks, blocks) if ways[k] != "below" else None
            if grand is not None:
                above = [(rows > grand) & (rows < row)]
            # A total naming a place (前岗村小计) is said against that place's households where a run
            # holds them alone, the largest (not its last group's, where groups have totals of their own).
            named = _place_named(said)
            if named:
                above, below = (sorted(r, key=lambda m: (not _run_names(m, named), -int(m.sum())))
                                for r in (above, below))
            runs = {"above": [above], "below": [below], "either": [above, below]}[ways[k]]
            shown = "below" if ways[k] == "below" or (ways[k] == "either" and said_way == "below") else "above"
            if ways[k] == "either" and shown == "below":
                runs = [below, above]
            differs, stated_of = [], {}
            for e in at:
                if entries[e][1] != row or stated[e] is None:
                    continue
                name = entries[e][2]
                ref = sheet.columns.get(name)
                found = _differs(column(name)[mine], hidden, name, kinds[name], stated[e], runs,
                                 ref.letter if ref is not None else "", partial(typed_as_text, name, mine, rows),
                                 struck, rows)
                if found is not None:
                    found.below = shown == "below"
                    differs.append(found)
                    stated_of[name] = stated[e]
            if differs:
                said_run = next((r for way in runs for r in way if r.any()), np.zeros(len(rows), dtype=bool))

                def _sums(run: np.ndarray) -> bool:
                    return all(abs(int(np.rint(column(name)[mine][run].sum())) - figure) <= tolerance
                               for name, (figure, tolerance) in stated_of.items())

                only = _only_block(row, grand, bounds, every_way, labels, rows, places, _sums) \
                    if grand is not None and shown == "above" else None
                sheet.totals_differ.append(TotalDiffers(row, said, differs, mine[said_run].tolist(), only))


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


def _differs(amounts: np.ndarray, hidden: np.ndarray, name: str, kind: str, stated: tuple[int, int],
             ways: list[list[np.ndarray]], column: str, typed: Callable[[], TypedAsText | None] | None = None,
             struck: np.ndarray | None = None, rows: np.ndarray | None = None) -> Differs | None:
    """The field's Differs where its total (`stated`: the figure and the tolerance it is typed with)
    matches no run of households of `ways` (each a list of runs, the nearest first: above the total,
    below it, or both where it cannot be told), with the rows hidden or without. None where one
    matches, or where it cannot be told (a cell of a run not read as a number). The run said is the
    first way's nearest one holding households. `typed` gives (which cells were typed as text, their
    texts, the households' Excel rows), to say the cells a sum that skipped text would leave out:
    asked only of a total that differs. `struck`: the households on rows struck through (their Excel
    `rows`), said where the run without them is the total."""
    figure, tolerance = stated
    said = said_run = None
    for runs in ways:
        for run in runs:
            if not run.any():
                continue
            if np.isnan(amounts[run]).any():
                return None
            for counted in (run, run & ~hidden):
                if abs(int(np.rint(amounts[counted].sum())) - figure) <= tolerance:
                    return None
            if said is None:
                said, said_run = (int(np.rint(amounts[run].sum())), int(run.sum())), run
    if said is None:
        return None
    left_out = said_run & struck if struck is not None else None
    struck_rows = []
    if left_out is not None and rows is not None and left_out.any() and \
            abs(int(np.rint(amounts[said_run & ~struck].sum())) - figure) <= tolerance:
        struck_rows = rows[left_out].tolist()
    return Differs(name, kind, figure, said[0], said[1], column,
                   text_cells=_text_cells(amounts, said_run, figure, tolerance, typed), struck_rows=struck_rows)


def _text_cells(amounts: np.ndarray, run: np.ndarray, figure: int, tolerance: int,
                typed: Callable[[], TypedAsText | None] | None) -> list[tuple[int, str]]:
    """(Excel row, text) of the run's cells typed as text, where the total is the sum of the others."""
    cells = typed() if typed is not None else None
    if cells is None:
        return []
    texted, texts, rows = cells
    skipped = run & texted
    if not skipped.any() or abs(int(np.rint(amounts[run & ~texted].sum())) - figure) > tolerance:
        return []
    return list(zip(rows[skipped].tolist(), texts[skipped].tolist()))


# The place columns whose names a total's label may give (前岗村小计, 一组小计), the most particular last.
PLACE_FIELDS = ("township", "village", "group")


def _levels(bounds: list[int], labels: list[str], rows: np.ndarray) -> dict[int, int]:
    """Per total row (Excel rows `bounds`, their `labels`), what it totals: by its word where its label
    has one (fields.toml's total_word_ranks: 全镇合计 2, 前岗村小计 1, 累计 0); a label without one (a sum row, or the
    township's merged cell read for a 小计 typed under 户主姓名) by where it stands: one over the total
    right above it, no household between (the 合计 under the last village's 小计), 0 under households."""
    words = fields().rows.total_words
    ranks = fields().rows.total_word_ranks
    out: dict[int, int] = {}
    for k, (row, said) in enumerate(zip(bounds, labels)):
        text = re.sub(r"\s+", "", said)
        if any(w in text for w in words):
            out[row] = max((rank for word, rank in ranks.items() if word in text), default=0)
        elif k and not ((rows > bounds[k - 1]) & (rows < row)).any():
            out[row] = out[bounds[k - 1]] + 1
        else:
            out[row] = 0
    return out


def _grand_start(row: int, bounds: list[int], ranks: dict[int, int], blocks: list[int]) -> int | None:
    """The Excel row after which the total at `row` sums, where it is a grand total: the nearest total
    above of its rank or higher, the block's header, or the sheet's top, with a total of a lower rank
    between (合计 under the villages' 小计). None where its word ranks none or no lower total is between:
    a total of its own rows, compared as any other."""
    rank = ranks.get(row, 0)
    if not rank:
        return None
    above = [b for b in bounds if b < row]
    start = max([b for b in above if ranks.get(b, 0) >= rank] + [h for h in blocks if h < row] + [0])
    return start if any(b > start for b in above) else None  # each total between ranks lower


def _only_block(row: int, grand: int, bounds: list[int], ways: dict[int, str], labels: dict[int, str],
                rows: np.ndarray, places: dict[str, np.ndarray], sums: Callable[[np.ndarray], bool]
                ) -> tuple[int, str, str, str, bool, int] | None:
    """A grand total's (at `row`, summing the households after `grand`) one block whose households alone
    make its figures (`sums`): TotalDiffers.only_block. A block is the households between two totals,
    that of the total closing it (or opening it, a block's total above it: `ways`). None where no block
    or more than one does."""
    edges = [grand, *(b for b in bounds if grand < b < row), row]
    whole = (rows > grand) & (rows < row)
    held = []
    for start, end in zip(edges, edges[1:]):
        run = (rows > start) & (rows < end)
        if not run.any():
            continue
        own = end if end != row and ways.get(end) != "below" else \
            start if start != grand and ways.get(start) == "below" else None
        held.append((run, own))
    matched = [k for k, (run, own) in enumerate(held) if own is not None and sums(run)]
    if len(matched) != 1:
        return None
    run, own = held[matched[0]]
    words = fields().rows
    said = re.sub(r"\s+", "", labels.get(own, ""))
    word = next((w for w in words.total_words if w in said), "")
    # The coarsest place the block is one of where the whole run is of several (村 in a township's sheet).
    level, place = "", ""
    for name in PLACE_FIELDS:
        if name not in places:
            continue
        mine, every = ({str(v).strip() for v in pd.unique(places[name][r])} - {""} for r in (run, whole))
        if len(mine) == 1 and len(every) > 1:
            level, place = name, next(iter(mine))
            break
    return own, word, level, place, matched[0] == len(held) - 1, int(whole.sum() - run.sum())


def _place_named(said: str) -> str:
    """The place a total's label names before its total word (前岗村 of 「前岗村小计」), '' where it
    names none (合计, 本村小计, 以上合计)."""
    words = fields().rows
    text = re.sub(r"\s+", "", said)
    found = re.search("|".join(map(re.escape, words.total_words)), text)
    name = text[:found.start()] if found else ""
    return "" if name in words.total_prefixes else name


def _ways(totals: list[int], labels: list[str], rows: np.ndarray, places: dict[str, np.ndarray],
          known: list[str | None] | None = None, blocks: list[int] = ()) -> list[str]:
    """Per total row of a sheet (Excel rows `totals`, their `labels`), which households it sums: 'above',
    'below' (a block's total over it: no household since the total or header above, or the place it
    names is that of the rows up to the next total and not of those since the one before), or
    'either' where that cannot be told. `rows`, `places`: the sheet's households' Excel rows and place cells;
    `known`: the way of a row where it is known already (an unlabelled sum row sums those above), else None;
    `blocks`: the headers repeated that open a block (_block_headers), which end a run as a total does."""
    out = []
    for k, row in enumerate(totals):
        if known is not None and known[k] is not None:
            out.append(known[k])
            continue
        previous = totals[k - 1] if k else 0
        opened = max((h for h in blocks if previous < h < row), default=0)  # a block's header since it
        following = min([h for h in blocks if h > row] + ([totals[k + 1]] if k + 1 < len(totals) else []),
                        default=np.inf)
        before = (rows > max(previous, opened)) & (rows < row)
        after = (rows > row) & (rows < following)
        if not (rows > row).any():
            out.append("above")
            continue
        if not before.any():
            # Under the header, a 合计 sums all below it, past the 小计 that follow; right after another
            # total, it is one of nested totals and looks the same way (a village's 小计 under its last
            # group's, closing the groups above; or over its first group's, heading the groups below).
            out.append(out[k - 1] if k and not opened else "below")
            continue
        name, votes = _place_named(labels[k]), set()
        for values in places.values() if name else ():
            near = [_names(values[run], name) for run in (before, after)]
            if near[0] != near[1]:
                votes.add("above" if near[0] else "below")
        out.append(votes.pop() if len(votes) == 1 else "either")
    return out


# The place columns whose change under a repeated header says another block begins there.
BLOCK_PLACE_FIELDS = ("township", "village")


def _block_headers(headers: list[int], rows: np.ndarray, places: dict[str, np.ndarray]) -> list[int]:
    """The Excel rows of `headers` (a sheet's header repeated) that open a block: the household right
    above and the one right below name other places (开安镇's, then 青山口乡's, pasted with its title
    and header). A header a paged export repeats, the place going on, opens none."""
    if not headers or not len(rows):
        return []
    order = np.argsort(rows, kind="stable")
    at = np.searchsorted(rows[order], np.asarray(headers, dtype=np.int64))
    inside = (at > 0) & (at < len(rows))
    opens = np.zeros(len(headers), dtype=bool)
    for name in BLOCK_PLACE_FIELDS:
        if name not in places:
            continue
        above, below = (np.char.strip(places[name][order[ends]].astype(str))
                        for ends in (np.maximum(at - 1, 0), np.minimum(at, len(rows) - 1)))
        opens |= inside & (above != "") & (below != "") & (above != below)
    return np.asarray(headers, dtype=np.int64)[opens].tolist()


def _names(values: np.ndarray, name: str) -> bool:
    """Whether a run's place cells, those filled, all name `name` (前岗村 for 前岗村, 前岗 or 合隆镇前岗村)."""
    filled = {str(v).strip() for v in pd.unique(values)} - {""}
    return bool(filled) and all(v in name or name in v for v in filled)
