"""The county summary workbook: households by township and village × status, with township
subtotals and a grand total that equal the ledger, the candidate share of each village, a native
Excel chart of candidates per township, and the rule set, its bounds, the inputs and the run time
printed on it.

A county office prints it and signs it for the township and county review: its title names the county
(the survey's 县(市、区) when it names one, else a blank to write it in), the lines under it the day
of the screening and the rule set with its bounds (named once), and each table ends in 制表人, 审核人
and 日期 lines, printed with its last rows (print_signed), at a scale its columns fit, its body text
no smaller than 9 points."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .. import __version__
from ..catalogue import STATUSES, Lang, label, messages
from ..rules import is_shipped
from .places import in_place_order, rule_line
from .publicity import format_date
from .xlsx import (
    A4,
    MARGINS,
    cell_formats,
    new_workbook,
    page_footer,
    print_signed,
    setup_print,
    signature_lines,
    text_height,
    wrapped_heights,
    write_block,
    write_cells,
)

if TYPE_CHECKING:
    from ..result import Result


def summary_table(result: Result) -> pd.DataFrame:
    """Counts by township and village (rows) × status (columns), with a total column."""
    df = result.households
    status = pd.Categorical(df["status"], categories=STATUSES).codes  # compared as small integers
    # A 0/1 column per status summed by village: crosstab would count each group with a Python call.
    table = pd.DataFrame({s: (status == i).astype(np.int64) for i, s in enumerate(STATUSES)}).groupby(
        [df["township"].fillna("").rename("township"), df["village"].fillna("").rename("village")]).sum()
    table = in_place_order(table, df)  # townships and villages as the input has them
    table.columns.name = "status"
    table["total"] = table.sum(axis=1)
    return table


def township_table(result: Result) -> pd.DataFrame:
    """Counts by township (rows) × status, with a total column."""
    return _by_township(summary_table(result))


def _by_township(table: pd.DataFrame) -> pd.DataFrame:
    return table.groupby(level="township", sort=False).sum()  # in the table's order: the input's


def clerk_time(moment: dt.datetime, lang: Lang) -> str:
    """A moment in the computer's local time, as a clerk writes it: 2026年12月1日 14:30."""
    local = moment.astimezone()
    return label("clerk_time", lang, y=local.year, m=local.month, d=local.day, H=local.hour, M=local.minute)


def rule_file_name(result: Result, lang: Lang) -> str:
    """The rules file by its name: a shipped rule set as edgescreen's own (never the path it is
    installed under), a county's own file by its file name."""
    path = result.loaded_rules.path
    return label("run_rule_shipped", lang, name=path.name) if is_shipped(path) else path.name


def _option_words(key: str, value, lang: Lang) -> str:
    """An option of the run in the catalogue's words (the day a register's round is dated, as a day);
    one the catalogue has no words for as key=value (run.json names them all)."""
    if key == "register":  # the register's path (run.json keeps it): the round's line says it is kept
        return ""
    if f"run_option_{key}" not in messages().labels:
        return f"{key}={value}"
    if key == "round_date":
        return label("run_option_round_date", lang, date=format_date(dt.date.fromisoformat(value), lang))
    if key == "add_to_round":
        return label("run_option_add_to_round", lang, round=value)
    return label(f"run_option_{key}", lang)


def summary_title(result: Result, lang: Lang) -> str:
    """The title, naming the county, or a blank for it to be written in."""
    county = result.county() or label("summary_county_blank", lang)
    return label("summary_title_county", lang, county=county)


def _header_lines(result: Result, lang: Lang) -> list[str]:
    labels = messages().labels
    # The day, in the computer's local time; a round recorded with --date, that day (as the register says).
    day = result.options.get("round_date")
    screened = format_date(dt.date.fromisoformat(day) if day else result.finished.astimezone().date(), lang)
    items = [labels["sum_input_item"](lang).format(file=rec.name, households=f"{rec.households:,}")
             for rec in result.inputs]
    # A late township's survey added to a round: these counts are its own, not the round's.
    joined = result.options.get("add_to_round")
    return [
        *([label("sum_added_to_round", lang, round=joined)] if joined is not None else []),
        label("sum_screened_on", lang, date=screened),  # the rule set is named once, by rule_line
        rule_line(result, lang),
        labels["sum_inputs"](lang).format(files=labels["list_sep"](lang).join(items)),
        labels["sum_run_time"](lang).format(started=clerk_time(result.started, lang), version=__version__),
    ]


ROW_HEIGHT = 18  # a count row's height in points, where its names take one line
SIGNATURES = ("sum_sign_maker", "sum_sign_reviewer", "sum_sign_date")


def count_heights(first_cols: list[list], widths: list[float]) -> np.ndarray:
    """Each count row's height: ROW_HEIGHT, or more where a name (a township, a village: 陈家店村民委员会
    is wider than its column) or a subtotal's words wrap, as the village lists size theirs
    (xlsx.wrapped_heights). `first_cols`: each row's leading text cells under columns of `widths`; a
    row whose later cells are None has its first merged across them all (a subtotal, the total)."""
    texts = pd.DataFrame(first_cols, columns=[f"name{j}" for j in range(len(widths))], dtype=object)
    merged = texts.iloc[:, 1:].isna().all(axis=1).to_numpy() if len(widths) > 1 else np.zeros(len(texts), bool)
    texts["merged"] = texts["name0"].where(merged)
    texts.loc[merged, "name0"] = None
    columns = [(f"name{j}", w, "cell") for j, w in enumerate(widths)] + [("merged", sum(widths), "cell")]
    return wrapped_heights(texts, columns, ROW_HEIGHT)


def _write_counts(ws, row: int, first_cols: list, counts: list[int], formats: dict, height: float, *,
                  candidate: int, bold: bool = False) -> None:
    """One row `height` points tall: the leading text cells, the counts (per status shown, then the
    total, as `shown_table` orders them; the candidates' at `candidate`) and the candidate share."""
    total = counts[-1]
    values = [*first_cols, *counts, counts[candidate] / total if total else None]
    text_fmt = formats["bold"] if bold else formats["cell"]
    fmts = [text_fmt] * len(first_cols) + [formats["bold_int"] if bold else formats["int"]] * len(counts) \
        + [formats["bold_percent"] if bold else formats["percent"]]
    write_cells(ws, row, 0, values, fmts)
    ws.set_row(row, height)


def shown_table(result: Result, table: pd.DataFrame) -> pd.DataFrame:
    """A count table (summary_table's, or by township) with a column for each status shown
    (classify.shown_statuses: those the rules can give and any a household has), then the total:
    the terminal's and report.html's columns."""
    return table[[*result.shown_statuses(), "total"]]


def _status_headers(table: pd.DataFrame, lang: Lang) -> list[str]:
    labels = messages().labels
    return [labels[s](lang) for s in table.columns if s != "total"] + [labels["total"](lang),
                                                                        labels["sum_candidate_share"](lang)]


def _titled_sheet(book, name: str, result: Result, formats: dict, lang: Lang, widths: list[float]):
    """A sheet with the title, the lines under it and the table's header row. Returns (sheet, title,
    header row)."""
    ws = book.add_worksheet(name)
    last = len(widths) - 1
    title = summary_title(result, lang)
    write_block(ws, 0, 0, last, title, formats["title"], 30)
    lines = _header_lines(result, lang)
    for i, line in enumerate(lines, start=1):
        write_block(ws, i, 0, last, line, formats["subtitle"], text_height(line, sum(widths), 10))
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    return ws, title, len(lines) + 1


def _signed(ws, title: str, widths: list[float], header_row: int, end: int, heights: np.ndarray, formats: dict,
            lang: Lang, joined: np.ndarray | None = None) -> None:
    """制表人, 审核人 and 日期 below the table (rows header_row + 1 to `end`, `heights` tall), printed A4
    landscape at a scale its columns fit, the signatures on the page of the table's last rows, the
    title on every page. `joined`: the rows printed on the page of the row before (a township's
    subtotal with its last village: an outside try had 秀水镇's alone on a page with the total)."""
    stop = signature_lines(ws, end, widths, [label(key, lang) for key in SIGNATURES], formats["sign"])
    setup_print(ws, lang, header_row=header_row, landscape=True, running_title=title)
    print_signed(ws, widths, header_row, end, stop, heights, row=ROW_HEIGHT, joined=joined)


def _by_village_sheet(book, result: Result, table: pd.DataFrame, towns: pd.DataFrame, formats: dict,
                      lang: Lang) -> None:
    labels = messages().labels
    headers = [labels["township"](lang), labels["village"](lang), *_status_headers(table, lang)]
    candidate = list(table.columns).index("candidate")
    widths = [14, 14] + [11] * (len(headers) - 2)
    ws, title, row = _titled_sheet(book, labels["sheet_summary"](lang), result, formats, lang, widths)
    header_row = row
    write_cells(ws, row, 0, headers, formats["header"])
    ws.set_row(row, 45)
    row += 1
    blank = lambda s, key: s or labels[key](lang)  # noqa: E731
    # Plain lists, not a Series per row; the table is in township then village order.
    villages = zip(table.index.get_level_values("township"), table.index.get_level_values("village"),
                   table.to_numpy().tolist())
    by_township = groupby(villages, key=itemgetter(0))
    printed = []  # (leading cells, counts, bold) of each row, in print order: sized together
    for (township, rows), subtotal_counts in zip(by_township, towns.to_numpy().tolist()):
        for _, village, counts in rows:
            printed.append(([blank(township, "unknown_township"), blank(village, "unknown_village")], counts, False))
        subtotal = labels["sum_subtotal"](lang).format(township=blank(township, "unknown_township"))
        printed.append(([subtotal, None], subtotal_counts, True))
    printed.append(([labels["total"](lang), None], towns.sum().tolist(), True))
    heights = count_heights([cells for cells, _, _ in printed], widths[:2])
    for (cells, counts, bold), height in zip(printed, heights.tolist()):
        if bold:  # a subtotal or the total: its words across the township and village columns
            ws.merge_range(row, 0, row, 1, "", formats["bold"])
        _write_counts(ws, row, cells, counts, formats, height, candidate=candidate, bold=bold)
        row += 1
    # A subtotal prints with its township's last village; the total is kept with the rows before it
    # as the signatures are (page_breaks' keep).
    subtotals = np.array([bold for *_, bold in printed])
    subtotals[-1:] = False  # the last row, the county's total
    _signed(ws, title, widths, header_row, row, heights, formats, lang, joined=subtotals)
    ws.freeze_panes(header_row + 1, 2)


def _by_township_sheet(book, result: Result, towns: pd.DataFrame, formats: dict, lang: Lang) -> None:
    labels = messages().labels
    headers = [labels["township"](lang), *_status_headers(towns, lang)]
    candidate = list(towns.columns).index("candidate")
    widths = [14] + [11] * (len(headers) - 1)
    name = labels["sum_by_township"](lang)
    ws, title, row = _titled_sheet(book, name, result, formats, lang, widths)
    header_row = row
    write_cells(ws, row, 0, headers, formats["header"])
    ws.set_row(row, 45)
    first = row + 1
    printed = [([township or labels["unknown_township"](lang)], counts)
               for township, counts in zip(towns.index, towns.to_numpy().tolist())]
    printed.append(([labels["total"](lang)], towns.sum().tolist()))
    heights = count_heights([cells for cells, _ in printed], widths[:1])
    for i, ((cells, counts), height) in enumerate(zip(printed, heights.tolist())):
        _write_counts(ws, first + i, cells, counts, formats, height, candidate=candidate, bold=i == len(towns))
    last = first + len(towns) - 1
    _signed(ws, title, widths, header_row, last + 2, heights, formats, lang)
    _chart_sheet(book, name, first, last, 1 + candidate, lang)


def _chart_sheet(book, data: str, first: int, last: int, col: int, lang: Lang) -> None:
    """A native chart of the candidates per township (rows first to last of column `col` of sheet
    `data`), on a sheet of its own: printed whole on its page, not cut by the table's page breaks."""
    labels = messages().labels
    chart = book.add_chart({"type": "column"})
    chart.add_series({
        "name": labels["candidate"](lang),
        "categories": [data, first, 0, last, 0],
        "values": [data, first, col, last, col],
        "data_labels": {"value": True},
        "fill": {"color": "#4472C4"},
    })
    chart.set_title({"name": labels["sum_chart_title"](lang), "name_font": {"size": 12}})
    chart.set_y_axis({"name": labels["sum_chart_axis"](lang), "min": 0, "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    sheet = book.add_chartsheet(labels["sheet_chart"](lang))
    sheet.set_chart(chart)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.set_margins(**MARGINS)
    page_footer(sheet, lang)


RUN_WIDTHS = (20, 90)  # 运行信息: the item's label, then what it was


def _run_sheet(book, result: Result, formats: dict, lang: Lang) -> None:
    """What the run saw and used, as label/value rows (the full record is run.json)."""
    labels = messages().labels
    loaded, b = result.loaded_rules, result.bounds
    rows = [
        ("run_version", __version__),
        ("run_rule_id", f"{loaded.rules.id}  {loaded.rules.title}"),
        ("run_rule_file", rule_file_name(result, lang)),
        ("run_rule_sha", loaded.sha256),
        ("run_year", str(b.year)),
    ]
    for key, value in (("run_lower", b.lower), ("run_upper", b.upper)):
        if value is not None:
            rows.append((key, label("run_bound", lang, value=value.value, since=format_date(value.effective, lang),
                                    source=value.source)))
    for rec in result.inputs:
        rows.append(("run_input", labels["sum_input_item"](lang).format(file=rec.name, households=f"{rec.households:,}")
                     + f"\nSHA-256 {rec.sha256}"))
    if result.rosters is not None:  # as the inputs: the kind in words, the file, its SHA-256
        for roster in result.rosters.rosters:
            rows.append(("run_roster", label("sum_roster_item", lang, roster=label(f"roster_name_{roster.kind}", lang),
                                             file=roster.path.name, rows=f"{len(roster.rows):,}")
                         + f"\nSHA-256 {roster.sha256}"))
    rows += [("as_of", format_date(result.as_of, lang)),
             ("run_started", clerk_time(result.started, lang)),
             ("run_finished", clerk_time(result.finished, lang))]
    # Options besides the year, the age date and the rosters shown above (run.json has them all).
    others = {k: v for k, v in result.options.items() if k not in ("year", "as_of", "rosters")}
    if others:
        words = [_option_words(k, v, lang) for k, v in others.items()]
        rows.append(("run_options", label("list_sep", lang).join(w for w in words if w)))
    ws = book.add_worksheet(labels["sheet_run"](lang))
    headers = [labels["run_key"](lang), labels["run_value"](lang)]
    write_cells(ws, 0, 0, headers, formats["header"])
    # The header row as tall as its words, as the rows below: at the sheet's default height 项目 and
    # 内容 printed squashed against the row's top border (an outside try).
    ws.set_row(0, max(text_height(h, w) for h, w in zip(headers, RUN_WIDTHS)))
    for i, (key, value) in enumerate(rows, start=1):
        write_cells(ws, i, 0, [labels[key](lang), value], [formats["bold"], formats["cell"]])
        ws.set_row(i, text_height(value, RUN_WIDTHS[1]))
    ws.set_column(0, 0, RUN_WIDTHS[0])
    ws.set_column(1, 1, RUN_WIDTHS[1])
    setup_print(ws, lang, header_row=0, landscape=True)


def write_summary(result: Result, path: Path, *, lang: Lang = "zh") -> None:
    book = new_workbook(path, fixed_scale=True)
    formats = cell_formats(book, lang)
    table = shown_table(result, summary_table(result))
    towns = _by_township(table)
    _by_village_sheet(book, result, table, towns, formats, lang)
    _by_township_sheet(book, result, towns, formats, lang)
    _run_sheet(book, result, formats, lang)
    book.close()
