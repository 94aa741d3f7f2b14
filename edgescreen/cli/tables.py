"""Tables of counts on the terminal that fit its width: rows of names, columns of numbers.

A number is never cut or wrapped. When the columns do not fit side by side, they are dealt out over
several tables, each repeating the name column (paged, not squeezed); a long name folds instead."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .wrapping import visible


@dataclass
class CountColumn:
    header: str
    values: Sequence[int]
    total: int | None = None  # the footer; None: the sum of the values


def _table(title: str | None, first: str, names: Sequence[str], footer: str | None,
           columns: Sequence[CountColumn], name_width: int | None = None) -> Table:
    table = Table(title=title, show_footer=footer is not None, title_justify="left")
    table.add_column(first, footer=footer or "", overflow="fold", max_width=name_width)
    cells = []
    for col in columns:
        total = sum(int(v) for v in col.values) if col.total is None else col.total
        texts = [f"{int(v):,}" for v in col.values]  # 5,265 as in the other lines
        widest = max(len(t) for t in [*texts, f"{total:,}"])
        table.add_column(col.header, footer=f"{total:,}" if footer is not None else "", justify="right",
                         no_wrap=True, min_width=widest)
        cells.append(texts)
    for i, name in enumerate(names):
        table.add_row(Text(visible(name) if name else "—"), *[c[i] for c in cells])
    return table


def _width(console: Console, table: Table) -> int:
    return Measurement.get(console, console.options.update_width(10_000), table).maximum


def count_tables(console: Console, *, title: str | None, first: str, names: Sequence[str],
                 columns: Sequence[CountColumn], footer: str | None) -> list[Table]:
    """One table if it fits `console`'s width, else several, each with as many of the columns (in
    order) as fit beside the name column. `footer`: the label of the totals row (None: no totals)."""
    limit = console.width
    # Every column beside the names, where they fit (a table only widens with each column added, so
    # the dealing below would make this one table): measured once, not once per column.
    whole = _table(title, first, names, footer, columns)
    if _width(console, whole) <= limit:
        return [whole]
    chunks: list[list[CountColumn]] = []
    current: list[CountColumn] = []
    for col in columns:
        trial = [*current, col]
        if current and _width(console, _table(None, first, names, footer, trial)) > limit:
            chunks.append(current)
            current = [col]
        else:
            current = trial
    chunks.append(current)
    tables = []
    for i, chunk in enumerate(chunks):
        table = _table(title if i == 0 else None, first, names, footer, chunk)
        if _width(console, table) > limit:  # even one column does not fit beside the names: fold them
            numbers = _width(console, _table(None, "", [""] * len(names), footer, chunk))
            table = _table(title if i == 0 else None, first, names, footer, chunk,
                           name_width=max(4, limit - numbers))
        tables.append(table)
    return tables
