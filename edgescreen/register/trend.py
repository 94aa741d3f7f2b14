"""Income over time (the plan's aim: 贫困边缘户人均纯收入稳步增长): for every household that entered the
register, its per-capita net income in each surveyed year and the change; per village, township and
the county, the median change, the share whose income grew and the share still in the band; per
township the median per-capita over the years. `register trend` writes it (收入变化.xlsx, a native
line chart per township); a screen with --register shows it in report.html and writes changes.xlsx.

A household's figure for a year is that of the year's latest round. The change is between the
county's two latest income years, for every household, and only for those with a figure in both: the
headings name those years, and a household missing from either (not surveyed in the latest year, or
not in the one before) has no change there, rather than an earlier pair's shown as the latest; its
figures stay in its year columns. "In the band" is the round's own test in integer fen: net income
above lower × residents and below upper × residents (no quotient near a bound). The households
counted are every one that ever entered the register, those that left it too (said so, with how
many are on it now)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Lang, label
from ..classify import band_of
from ..outputs.folder import atomic_file
from ..outputs.places import household_identity, place_name, place_order
from ..outputs.xlsx import (
    Column,
    cell_formats,
    new_workbook,
    setup_print,
    text_height,
    wrapped_heights,
    write_block,
    write_cells,
    write_records,
    write_table,
)
from . import db
from .documents import county_in_name
from .registry import registry


@dataclass
class Trend:
    years: list[int]
    households: pd.DataFrame  # one row per household ever on the register: place, head, pc_<year>, change …
    villages: pd.DataFrame
    townships: pd.DataFrame
    county: pd.DataFrame      # one row: the same figures for the whole county
    medians: pd.DataFrame     # township × year: the median per-capita in fen of those on the register that year


def _in_band(rows: pd.DataFrame) -> pd.Series:
    """The round's own test (classify.band_of) under the round's bounds, for rows with a figure."""
    net, residents, lower, upper = (pd.to_numeric(rows[c]).astype("Int64")
                                    for c in ("net_fen", "residents", "lower_fen", "upper_fen"))
    ok = (net.notna() & residents.notna() & (residents > 0) & upper.notna()).to_numpy(dtype=bool)
    band = band_of(net.fillna(0).to_numpy(dtype=np.int64), residents.fillna(1).to_numpy(dtype=np.int64),
                   lower.fillna(-1).to_numpy(dtype=np.int64), upper.fillna(0).to_numpy(dtype=np.int64))
    return pd.Series(ok & (band == "candidate"), index=rows.index)


def _summary(h: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Households, those with a change, the median change (fen), the share that grew, and the share
    in the band in the latest year (of those surveyed that year)."""
    frame = h.assign(one=1, has_change=h["change_fen"].notna(), grew=h["change_fen"] > 0,
                     on=h["on_register"].astype(bool),
                     surveyed=h["latest_in_band"].notna(), band=h["latest_in_band"].fillna(False).astype(bool))
    groups = frame.groupby(by, sort=False) if by else frame.groupby(np.zeros(len(frame)))  # h's place order
    out = pd.DataFrame({
        "households": groups["one"].sum(),
        "on_register": groups["on"].sum(),
        "with_change": groups["has_change"].sum(),
        "median_change_fen": groups["change_fen"].median(),
        "grew": groups["grew"].sum(),
        "surveyed_latest": groups["surveyed"].sum(),
        "in_band": groups["band"].sum()})
    out["grew_share"] = out["grew"] / out["with_change"].where(out["with_change"] > 0)
    out["in_band_share"] = out["in_band"] / out["surveyed_latest"].where(out["surveyed_latest"] > 0)
    return out.reset_index(drop=not by)


def income_trend(reg: db.Register, ever: pd.DataFrame | None = None) -> Trend:
    """The income over time of every household that ever entered the register (`ever`: the registry,
    where the caller has it as it stands)."""
    ever = registry(reg) if ever is None else ever
    every = db.screened_years(reg, ever["household"].tolist())
    every = every.sort_values(["household", "year", "round"]).drop_duplicates(["household", "year"], keep="last")
    every["head_id"] = db.kept_ids(every).to_numpy()  # an invalid ID typed one year is not the household's
    years = sorted(int(y) for y in every["year"].unique())
    # An invalid row (数据有误) gives no income figure of its year: its place and head still name the
    # household, and a household invalid in the latest year is said so.
    rows = every[every["status"].ne("invalid").to_numpy()].copy()
    rows["in_band"] = _in_band(rows)
    pc = rows.pivot(index="household", columns="year", values="per_capita_fen")
    latest = every.drop_duplicates("household", keep="last").set_index("household")
    h = ever.set_index("household").join(latest[["township", "village", "grp", "head_name", "head_id", "year"]])
    h = h.rename(columns={"year": "latest_year"})
    last_year = every[every["year"] == years[-1]] if years else every
    h["unjudged_latest"] = h.index.isin(last_year.loc[last_year["status"].eq("invalid"), "household"])
    for y in years:
        h[f"pc_{y}"] = pd.to_numeric(pc[y]).astype("Float64").reindex(h.index) if y in pc else pd.NA
    # The change between the county's two latest years, for the households with a figure in both, both
    # of years on the register. A household is on the register in an income year when its stay spans
    # that year's survey: it (last) entered with a round of that year or before (whose survey brought
    # it in; a year before, 唐福's, below the line then, is no change of its time on it), and the round
    # whose exit procedure took it off, if any, is of that year or after (whose survey proposed the
    # exit). One that left before the later year's survey (its exit of an earlier year's round) has
    # its figures in the year columns, and no change: its income since is no longer the register's.
    round_years = db.rounds(reg).set_index("id")["year"]
    entry_year = pd.to_numeric(h["entry_round"].map(round_years)).astype("Float64")
    exit_year = pd.to_numeric(h["exit_round"].map(round_years)).astype("Float64")
    # The same rule per (household, year) row: the medians and the share in the band count a year's
    # income only where the household was on the register then (not its income before it entered, nor
    # after it left), so a year's figures do not move when a household enters later.
    row_entry = rows["household"].map(entry_year).astype("Float64")
    row_exit = rows["household"].map(exit_year).astype("Float64")
    row_year = pd.to_numeric(rows["year"]).astype("Float64")
    rows = rows[((row_entry <= row_year).fillna(False) & (row_exit >= row_year).fillna(True)).to_numpy(dtype=bool)]
    if len(years) > 1:
        first, last = years[-2], years[-1]
        on_both = (entry_year <= first).fillna(False) & (exit_year >= last).fillna(True)
        both = h[f"pc_{first}"].notna() & h[f"pc_{last}"].notna() & on_both
        h["change_from"] = pd.Series(first, index=h.index, dtype="Int64").where(both)
        h["change_to"] = pd.Series(last, index=h.index, dtype="Int64").where(both)
        h["change_fen"] = (h[f"pc_{last}"] - h[f"pc_{first}"]).astype("Float64").where(both)
    else:
        h["change_from"] = h["change_to"] = pd.Series(pd.NA, index=h.index, dtype="Int64")
        h["change_fen"] = pd.Series(pd.NA, index=h.index, dtype="Float64")
    # In the band in the county's latest year, for those surveyed in it.
    this_year = rows[rows["year"] == years[-1]].set_index("household")["in_band"] if years else pd.Series(dtype=bool)
    h["latest_in_band"] = this_year.reindex(h.index).astype("boolean")
    for col in ("township", "village", "grp", "head_name"):
        h[col] = h[col].fillna("").astype(str)
    # The survey's order (households are numbered as screened), its places together (places.place_order).
    h = h.reset_index().sort_values("household", kind="stable").reset_index(drop=True)
    h = h.iloc[place_order(h)].reset_index(drop=True)
    medians = rows.assign(township=rows["township"].fillna("").astype(str)).pivot_table(
        index="township", columns="year", values="per_capita_fen", aggfunc="median")
    placed = pd.Index(pd.unique(h["township"]))  # h's place order, then any township only the rows have
    medians = medians.reindex(placed.intersection(medians.index, sort=False)
                              .append(medians.index.difference(placed, sort=False)))
    county = _summary(h, [])
    return Trend(years, h, _summary(h, ["township", "village"]), _summary(h, ["township"]), county, medians)


def _yuan(fen) -> pd.Series:
    return (pd.to_numeric(fen).astype("Float64") / 100).round(2)


# ---------------------------------------------------------------------------------------------
# 收入变化.xlsx


def write_trend(trend: Trend, path: Path, *, lang: Lang = "zh", mask: bool = True, county: str = "") -> None:
    """收入变化.xlsx: 各户 (per household, each year's per-capita and the change), 各村 and 各乡镇 (the
    medians and shares), 图表 (per township a line chart of its median per-capita over the years)."""
    county = county or label("summary_county_blank", lang)
    with atomic_file(Path(path), reserve=True) as tmp:
        book = new_workbook(tmp)
        formats = cell_formats(book, lang, size=10)
        _households_sheet(book, formats, trend, lang, mask, county)
        _summary_sheet(book, formats, trend.villages, ["township", "village"], "sheet_trend_villages",
                       label("trend_villages_title", lang, county=county), trend, lang)
        _summary_sheet(book, formats, pd.concat([trend.townships, trend.county.assign(township=label("total", lang))],
                                                ignore_index=True),
                       ["township"], "sheet_trend_townships", label("trend_townships_title", lang, county=county),
                       trend, lang)
        _chart_sheet(book, formats, trend, lang, county)
        book.close()


def _households_sheet(book, formats, trend: Trend, lang: Lang, mask: bool, county: str) -> None:
    h = trend.households
    ws = book.add_worksheet(label("sheet_trend_households", lang))
    rows = pd.DataFrame({
        **household_identity(h, lang, mask),
        # A household on the register missing from the latest survey is a gap to chase, not "on the
        # register" with a blank year beside it.
        # One found gone (未调查户核实: 户已不存在) did not leave by the exit procedure: said as it is.
        "trend_state": np.where(~h["on_register"].astype(bool),
                                [label("trend_gone" if by == "gone" else "trend_left", lang, date=d or "")
                                 for d, by in zip(h["exited_on"].fillna(""), h["left_by"].fillna(""))],
                                np.where(h["unjudged_latest"].to_numpy(dtype=bool),
                                         label("trend_unjudged", lang, year=trend.years[-1]),
                                         np.where(h[f"pc_{trend.years[-1]}"].isna(),
                                                  label("trend_not_surveyed", lang, year=trend.years[-1]),
                                                  label("trend_on_register", lang)))),
        "trend_change": _yuan(h["change_fen"]).to_numpy(),
        "trend_change_rate": (pd.to_numeric(h["change_fen"]).astype("Float64") / _before(h)).to_numpy(),
        "trend_in_band": h["latest_in_band"].map({True: label("yes_word", lang), False: label("no_word", lang)})
        .fillna("").to_numpy(),
    })
    year_columns = []
    for y in trend.years:
        rows[f"pc_{y}"] = _yuan(h[f"pc_{y}"]).to_numpy()
        year_columns.append(Column(f"pc_{y}", 11, "money"))
    columns = [Column("seq", 6, "center"), Column("township", 9), Column("village", 9), Column("group", 11),
               Column("head_name", 9), Column("masked_id", 20, "center"), Column("trend_state", 16, "cell"),
               *year_columns, Column("trend_change", 11, "money"), Column("trend_change_rate", 9, "percent"),
               Column("trend_in_band", 10, "center")]
    last = len(columns) - 1
    write_block(ws, 0, 0, last, label("trend_households_title", lang, county=county), formats["title"], 30)
    years = trend.years
    off = ~h["on_register"].astype(bool)
    gone = int((off & h["left_by"].eq("gone").fillna(False)).sum())
    rest = label("trend_rest_split", lang, exited=int(off.sum()) - gone, gone=gone) if gone \
        else label("trend_rest_exited", lang)
    line = label("trend_households_line" if len(years) > 1 else "trend_households_line_one", lang, count=len(h),
                 on=int(h["on_register"].astype(bool).sum()), rest=rest,
                 years=label("list_sep", lang).join(map(str, years)),
                 first=years[-2] if len(years) > 1 else years[-1], last=years[-1])
    write_block(ws, 1, 0, last, line, formats["subtitle"],
                max(20.0, text_height(line, sum(c.width for c in columns), 10)))
    header = 2
    # A column per year: headed by the year, which is no label of the catalogue, so written here.
    years = {f"pc_{y}": y for y in trend.years}
    write_cells(ws, header, 0, [label("trend_year_column", lang, year=years[c.key]) if c.key in years
                                else label(c.key, lang) for c in columns], formats["header"])
    ws.set_row(header, 32)
    for j, c in enumerate(columns):
        ws.set_column(j, j, c.width)
    # Each row as tall as its longest wrapped cell (a 村民小组 of 12 characters, a name with ·): a row
    # left to the renderer overprinted the rows above and below.
    write_records(ws, header + 1, columns, rows, formats, heights=wrapped_heights(rows, columns, 18, 10).tolist())
    setup_print(ws, lang, header_row=header, landscape=True)


def _before(h: pd.DataFrame) -> pd.Series:
    """Each household's per-capita in the year its change is counted from (the county's year before
    the latest), where it has a change and that figure is not zero."""
    if h["change_fen"].notna().sum() == 0:
        return pd.Series(pd.NA, index=h.index, dtype="Float64")
    year = int(h["change_from"].dropna().iloc[0])
    out = pd.to_numeric(h[f"pc_{year}"]).astype("Float64").where(h["change_fen"].notna())
    return out.where(out != 0)


SUMMARY_COLUMNS = [Column("trend_households", 9, "int"), Column("trend_on_register_count", 9, "int"),
                   Column("trend_with_change", 11, "int"),
                   Column("trend_median_change", 13, "money"), Column("trend_grew_share", 11, "percent"),
                   Column("trend_in_band_share", 13, "percent")]


def _summary_frame(summary: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    out = pd.DataFrame({"trend_households": summary["households"].to_numpy(),
                        "trend_on_register_count": summary["on_register"].to_numpy(),
                        "trend_with_change": summary["with_change"].to_numpy(),
                        "trend_median_change": _yuan(summary["median_change_fen"]).to_numpy(),
                        "trend_grew_share": pd.to_numeric(summary["grew_share"]).astype("Float64").to_numpy(),
                        "trend_in_band_share": pd.to_numeric(summary["in_band_share"]).astype("Float64").to_numpy()})
    for key in ("township", "village"):
        if key in summary:
            out[key] = [place_name(v, lang, f"unknown_{key}") for v in summary[key]]
    return out


def _summary_sheet(book, formats, summary: pd.DataFrame, by: list[str], sheet: str, title: str, trend: Trend,
                   lang: Lang) -> None:
    ws = book.add_worksheet(label(sheet, lang))
    columns = [Column(k, 12) for k in by] + SUMMARY_COLUMNS
    write_block(ws, 0, 0, len(columns) - 1, title, formats["title"], 30)
    years = trend.years
    line = label("trend_summary_line" if len(years) > 1 else "trend_summary_line_one", lang,
                 first=years[-2] if len(years) > 1 else years[-1], last=years[-1])
    write_block(ws, 1, 0, len(columns) - 1, line, formats["subtitle"], 34)
    write_table(ws, 2, columns, _summary_frame(summary, lang), formats, lang, row_height=18)
    setup_print(ws, lang, header_row=2, landscape=False)


def _chart_sheet(book, formats, trend: Trend, lang: Lang, county: str) -> None:
    """A table of the median per-capita (yuan) per township and year, and a line chart per township
    drawn from it."""
    ws = book.add_worksheet(label("sheet_trend_charts", lang))
    medians = trend.medians
    years = trend.years
    ws.set_column(0, 0, 14)
    ws.set_column(1, max(1, len(years)), 11)
    write_block(ws, 0, 0, max(len(years), 6), label("trend_charts_title", lang, county=county), formats["title"], 30)
    ws.write_string(1, 0, label("township", lang), formats["header"])
    for j, y in enumerate(years, start=1):
        ws.write_string(1, j, label("trend_year_column", lang, year=y), formats["header"])
    name = label("sheet_trend_charts", lang)
    for i, t in enumerate(medians.index, start=2):
        ws.write_string(i, 0, place_name(t, lang, "unknown_township"), formats["cell"])
        for j, y in enumerate(years, start=1):
            v = medians.loc[t].get(y)
            if pd.notna(v):
                ws.write_number(i, j, round(float(v) / 100, 2), formats["money"])
            else:
                ws.write_blank(i, j, None, formats["money"])
    top = len(medians) + 3
    font = {"name": label("font_name", lang)}
    for k, t in enumerate(medians.index):
        chart = book.add_chart({"type": "line"})
        row = 2 + k
        chart.add_series({"name": [name, row, 0], "categories": [name, 1, 1, 1, len(years)],
                          "values": [name, row, 1, row, len(years)], "marker": {"type": "circle", "size": 6},
                          "data_labels": {"value": True, "num_format": "0", "position": "above",
                                          "font": {**font, "size": 8}}})
        chart.set_title({"name": label("trend_chart_title", lang, township=place_name(t, lang, "unknown_township")),
                         "name_font": {**font, "size": 11, "bold": True}})
        # From zero: a change of a few yuan does not look like a fall off a cliff.
        chart.set_y_axis({"name": label("trend_chart_axis", lang), "num_format": "0", "min": 0,
                          "name_font": {**font, "size": 9},
                          "num_font": {**font, "size": 8}, "major_gridlines": {"visible": True}})
        chart.set_x_axis({"num_font": {**font, "size": 9}})
        chart.set_legend({"none": True})
        chart.set_size({"width": 400, "height": 240})
        ws.insert_chart(top + (k // 2) * 13, (k % 2) * 4, chart)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


# ---------------------------------------------------------------------------------------------
# After a screen with --register: what the outputs show of the years


@dataclass
class YearView:
    """The round against the register (for changes.xlsx) and the income over time (report.html)."""

    comparison: object  # years.Comparison
    trend: Trend
    county: str = ""


def county_of(reg: db.Register) -> str:
    """The county as the surveys name it (the most frequent 县(市、区)), else the register's file name
    where it is a county's (documents.county_in_name), else '' (a blank printed in its place)."""
    return db.county_name(reg) or county_in_name(reg.path.stem) or ""


def year_view(reg: db.Register, comparison) -> YearView:
    return YearView(comparison, income_trend(reg, comparison.ever_registered), county_of(reg))


def write_income_trend(reg: db.Register, path: str | Path, *, mask: bool = True, lang: Lang = "zh") -> Trend | None:
    """`register trend`: 收入变化.xlsx of the register's households (None, nothing written, where
    nobody has entered the register yet)."""
    with reg.reading():
        trend = income_trend(reg)
        county = county_of(reg)
    if trend.households.empty:
        return None
    write_trend(trend, Path(path), lang=lang, mask=mask, county=county)
    return trend
