"""The county summary workbook: households by township × village × status."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import xlsxwriter

from ..catalogue import Lang, messages
from ..classify import STATUSES
from .safe import write_cells

if TYPE_CHECKING:
    from ..pipeline import Result


def summary_table(result: Result) -> pd.DataFrame:
    """Counts by township and village (rows) × status (columns), with a total column."""
    df = result.households
    table = pd.crosstab([df["township"].fillna(""), df["village"].fillna("")], df["status"])
    table = table.reindex(columns=STATUSES, fill_value=0)
    table["total"] = table.sum(axis=1)
    return table


def write_summary(result: Result, path: Path, *, lang: Lang = "zh") -> None:
    labels = messages().labels
    table = summary_table(result)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "border": 1, "text_wrap": True, "align": "center"})
    cell = book.add_format({"border": 1})
    ws = book.add_worksheet(labels["sheet_summary"](lang))
    ws.write_string(0, 0, labels["summary_title"](lang), book.add_format({"bold": True, "font_size": 14}))
    headers = [labels["township"](lang), labels["village"](lang)] + [labels[s](lang) for s in STATUSES] \
        + [labels["total"](lang)]
    write_cells(ws, 2, 0, headers, bold)
    for i, ((township, village), counts) in enumerate(table.iterrows()):
        write_cells(ws, 3 + i, 0, [township, village, *[int(v) for v in counts]], cell)
    last = 3 + len(table)
    totals = table.sum()
    write_cells(ws, last, 0, [labels["total"](lang), "", *[int(v) for v in totals]], bold)
    ws.set_column(0, 1, 14)
    ws.set_column(2, len(headers), 12)
    ws.freeze_panes(3, 2)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2)
    book.close()
