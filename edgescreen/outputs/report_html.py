"""report.html: the quality report as one self-contained page for an offline office network.

Rendered from the Jinja2 template `edgescreen/templates/report.html.j2` (autoescaped: every value
from the input is text, never markup). The charts are inline SVG whose geometry is computed here;
the only script is the issue list's filter box, inline. Nothing is fetched: no fonts, no scripts, no
images from anywhere.
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import jinja2
import numpy as np
import pandas as pd
from markupsafe import escape

from .. import __version__
from ..catalogue import STATUSES, label, messages
from ..classify import possible_statuses
from .quality import ROSTER_COLUMNS, QualityReport, roster_lines, run_lines, village_checks_text

if TYPE_CHECKING:
    from ..catalogue import Lang

STATUS_COLOURS = {
    "excluded_dibao": "#7e57c2", "excluded_tekun": "#5c6bc0", "excluded_registered": "#42a5f5",
    "invalid": "#c62828", "below_line": "#ef6c00", "candidate": "#2e7d32", "above_limit": "#90a4ae",
}
# The histogram colours where an income lies against the bounds, not a status: none of the status
# colours, so that no bar reads as a count of candidates.
RANGE_COLOURS = {"below": "#d4a72c", "band": "#00897b", "above": "#b0bec5"}
_NICE_STEPS = [1, 2, 2.5, 5]


def prepare() -> None:
    """Compile the page template now (a few hundredths of a second), e.g. while a workbook parses."""
    _template()


@cache
def page_template(name: str) -> jinja2.Template:
    """A page template of edgescreen/templates/, compiled once: escaped, strict about names."""
    source = resources.files("edgescreen").joinpath(f"templates/{name}").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["thousands"] = "{:,}".format  # a count as the terminal and the workbooks say it: 1,234
    return env.from_string(source)


def _template() -> jinja2.Template:
    return page_template("report.html.j2")


def nice_step(span: float, most: int) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that cuts `span` into at most `most` parts."""
    if span <= 0:
        return 1.0
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    for m in _NICE_STEPS + [10]:
        if m * power >= raw:
            return m * power
    return 10 * power  # pragma: no cover


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"


def _bin_edges(lower: float | None, upper: float, xmax: float, step: float) -> list[float]:
    """Bin edges over 0 … xmax: the multiples of `step`, and each bound, so that no bin straddles a
    bound. A bin a bound would leave narrower than half a step joins its neighbour away from the bound
    (3,000 | 3,218 | 3,250 with a step of 250 becomes 3,000 | 3,218 … 3,500)."""
    bounds = sorted({b for b in (lower, upper) if b is not None and 0 < b < xmax})
    edges = set(np.round(np.arange(0, xmax + step / 2, step), 2).tolist()) | set(bounds)
    fixed = {0.0, float(xmax), *bounds}
    for b in bounds:
        below = max(e for e in edges if e < b)
        above = min(e for e in edges if e > b)
        if below not in fixed and b - below < step / 2:
            edges.discard(below)
        if above not in fixed and above - b < step / 2:
            edges.discard(above)
    return sorted(edges)


def histogram(per_capita_fen, lower: float | None, upper: float, lang: Lang = "zh") -> dict:
    """Geometry of the per-capita income histogram (yuan): bars over 0 … about 3 × upper, a bar
    for values below 0 and one for values at or above the range, and a line at each bound.

    Every value given is counted, whatever its household's status: the bars say where incomes lie
    against the bounds, not who is a candidate. Each bound is a bin edge, so a bar lies wholly below
    the line, in the band or at or above the upper limit, and is coloured so; as classify decides
    (both bounds exclusive), a value on the lower bound counts below it, one on the upper above it."""
    fen = np.asarray(per_capita_fen, dtype=float)
    values = fen / 100
    xmax = max(3 * upper, (lower or 0) * 2, 1.0)
    width_yuan = nice_step(xmax, 48)
    xmax = math.ceil(xmax / width_yuan) * width_yuan
    edges = _bin_edges(lower, upper, xmax, width_yuan)
    lower_fen = None if lower is None else round(lower * 100)
    upper_fen = round(upper * 100)

    def where(v_fen):  # the range of each value, as classify.band_of places it
        below = np.zeros(len(v_fen), dtype=bool) if lower_fen is None else v_fen <= lower_fen
        return np.select([below, v_fen < upper_fen], ["below", "band"], "above")

    ranges = where(fen)
    edges_fen = np.round(np.asarray(edges) * 100)
    inside = (fen >= 0) & (fen < edges_fen[-1])
    index = np.searchsorted(edges_fen, fen[inside], side="right") - 1
    if lower_fen is not None and lower_fen > 0:  # on the lower bound: the bin that ends there, below the line
        index[fen[inside] == lower_fen] -= 1
    counts = np.bincount(index, minlength=len(edges) - 1)
    under, over = int((fen < 0).sum()), int((fen >= edges_fen[-1]).sum())

    W, H, left, right, top, bottom = 960, 340, 56, 16, 36, 56
    slot = (W - left - right) / (xmax / width_yuan + 4)   # two slots each side: the out-of-range bar and a gap
    x0 = left + 2 * slot
    plot_w = W - left - right - 4 * slot
    # The scale is the drawn range's: the bars beyond it (a county's many households over 12,000)
    # would flatten every other; one taller than the plot is cut at its top, its count written on it.
    inside_peak = int(counts.max()) if len(counts) else 0
    peak = max(inside_peak if inside_peak else max(under, over), 1)
    # Counts: a whole step (never 0.5 nor 2.5), or a small county's axis reads 0, 0, 1, 1, 2.
    ystep = nice_step(peak, 5)
    ystep = 1.0 if ystep < 1 else 5.0 if ystep == 2.5 else ystep
    ymax = math.ceil(peak / ystep) * ystep
    plot_h = H - top - bottom

    def y(count: float) -> float:
        return top + plot_h * (1 - count / ymax)

    def xv(value: float) -> float:
        return x0 + plot_w * value / xmax

    def title(span: str, n: int) -> str:
        return label("histogram_bar", lang, range=span, n=f"{n:,}")

    bars = []
    for i, n in enumerate(counts.tolist()):
        lo, hi = edges[i], edges[i + 1]
        end = edges_fen[i + 1]  # the bin lies wholly on one side of each bound
        side = "below" if lower_fen is not None and end <= lower_fen else "band" if end <= upper_fen else "above"
        bars.append({"x": xv(lo) + 0.5, "y": y(n), "w": max(xv(hi) - xv(lo) - 1, 0.5), "h": top + plot_h - y(n),
                     "fill": RANGE_COLOURS[side], "range": side, "lo": lo, "hi": hi, "n": n,
                     "title": title(label("histogram_bin", lang, lo=_fmt(lo), hi=_fmt(hi)), n), "cut": False})
    def beyond(x: float, n: int, side: str, lo, hi, words: str) -> dict:
        drawn = min(n, ymax)
        return {"x": x, "y": y(drawn), "w": slot - 1, "h": top + plot_h - y(drawn), "fill": RANGE_COLOURS[side],
                "range": side, "lo": lo, "hi": hi, "n": n, "title": title(words, n), "cut": n > ymax}

    if under:
        side = str(where(np.array([-1.0]))[0])
        bars.append(beyond(left + 0.5, under, side, None, 0, label("below_zero", lang)))
    if over:
        bars.append(beyond(x0 + plot_w + slot + 0.5, over, "above", xmax, None,
                           label("at_or_above", lang, x=_fmt(xmax))))
    xstep = nice_step(xmax, 8)
    xticks = [{"x": xv(v), "label": _fmt(v)} for v in np.arange(0, xmax + xstep / 2, xstep)]
    yticks = [{"y": y(v), "label": f"{int(v):,}"} for v in np.arange(0, ymax + ystep / 2, ystep)]
    lines = []
    for key, value in (("lower_bound", lower), ("upper_bound", upper)):
        if value is not None:
            lines.append({"x": xv(value), "label": label(key, lang, value=_fmt(value)), "key": key})
    legend = [{"range": r, "fill": RANGE_COLOURS[r],
               "label": label(f"histogram_range_{r}" if r != "band" or lower is not None else "histogram_range_under",
                              lang, lower=_fmt(lower or 0), upper=_fmt(upper))}
              for r in (("below", "band", "above") if lower is not None else ("band", "above"))]
    return {"width": W, "height": H, "bars": bars, "xticks": xticks, "yticks": yticks, "lines": lines,
            "base": top + plot_h, "top": top, "left": left, "right": W - right, "slot": slot,
            "under_x": left + slot / 2 if under else None, "over_x": x0 + plot_w + 1.5 * slot if over else None,
            "under": under, "over": over, "xmax": _fmt(xmax), "n": int(len(values)), "legend": legend,
            "ranges": {r: int((ranges == r).sum()) for r in ("below", "band", "above")}}


def _status_bars(report: QualityReport) -> dict:
    """A bar per status, but none for a status the rules cannot give and no household has (低保 under
    monitoring, which leaves no one out: a bar of 0 would read as a county without 低保 households)."""
    lang = report.lang
    counts = report.statuses
    peak = max(int(counts.max()) if len(counts) else 0, 1)
    statuses = report.result.shown_statuses()
    words = {status: label(status, lang) for status in statuses}
    # The labels' column as wide as the longest label at 13 px (a CJK character 13 px, a Latin one
    # about 7), so that none is cut at the page's left edge (English ones are long).
    longest = max(sum(13 if ord(ch) > 0x2e7f else 7 for ch in word) for word in words.values())
    label_w, bar_w, row_h = max(250, longest + 16), 560, 26
    rows = []
    for i, status in enumerate(statuses):
        n = int(counts.get(status, 0))
        rows.append({"y": 8 + i * row_h, "w": bar_w * n / peak, "n": n, "label": words[status],
                     "status": status, "fill": STATUS_COLOURS[status]})
    return {"rows": rows, "width": label_w + bar_w + 80, "height": 16 + len(statuses) * row_h,
            "label_w": label_w, "row_h": row_h}


# The page lists at most this many issues of each check, and this many in all; quality.xlsx and
# issues.csv hold the rest. Some 700 bytes a row: the page stays under 5 MB and opens in a second.
ROWS_PER_CHECK = 100
ROWS_SHOWN = 2_000
# Villages in the table, most errors first; the workbook's 各村情况 has every one.
VILLAGES_SHOWN = 2_000


def _escaped(column) -> list[str]:
    """A column as HTML text, escaped as the template would: each distinct value once (a column
    repeats its file, sheet, township and village names on every row)."""
    codes, distinct = pd.factorize(np.asarray(column, dtype=object), use_na_sentinel=False)
    return np.array([str(escape(v)) for v in distinct.tolist()], dtype=object)[codes].tolist()


# The issue list's columns on the page: where (file when there are several, sheet, cell), the
# village, the head, the check as people name it, and the message (which already quotes the row,
# column, header and value). The code stays on the row for the filter, not as a column to read.
PAGE_COLUMNS = ["where", "place", "head_name", "severity", "category", "message"]


def shown_rows(listing: pd.DataFrame) -> np.ndarray:
    """Positions of the listing the page shows: every row when they are few, else the first
    ROWS_PER_CHECK of each check, at most ROWS_SHOWN in all, in list order."""
    if len(listing) <= ROWS_SHOWN:
        return np.arange(len(listing))
    rank = listing.groupby("code", sort=False).cumcount().to_numpy()
    return np.flatnonzero(rank < ROWS_PER_CHECK)[:ROWS_SHOWN]


def _issue_rows(listing: pd.DataFrame, lang: Lang) -> list[tuple]:
    """Issue rows as escaped text: the severity key, the code, then PAGE_COLUMNS in order (the check's
    title is the template's, by the code). The template writes them as they are, with no lookup or
    escape per cell."""
    if not len(listing):
        return []
    cell = listing["cell"].fillna("").astype(str)
    blank = cell == ""
    # A computed value has no cell: its row, worded once and filled in per row.
    at_row = label("html_at_row", lang, row="{}")
    cell[blank] = listing.loc[blank, "row"].astype(str).map(at_row.format)
    where = listing["sheet"].fillna("").astype(str) + " " + cell
    escaped_where = '<span class="loc">' + pd.Series(_escaped(where), index=listing.index, dtype=object) + "</span>"
    if listing["source_file"].nunique() > 1:
        files = pd.Series(_escaped(listing["source_file"]), index=listing.index, dtype=object)
        escaped_where = '<span class="file">' + files + "</span><br>" + escaped_where
    place = (listing["township"].fillna("").astype(str) + " " + listing["village"].fillna("").astype(str)).str.strip()
    escaped = {"where": escaped_where.tolist(), "place": _escaped(place.replace("", "—"))}
    return list(zip(_escaped(listing["severity_key"]), _escaped(listing["code"]),
                    *(escaped[c] if c in escaped else _escaped(listing[c]) for c in PAGE_COLUMNS)))


class _Village(NamedTuple):
    township: str
    village: str
    errors: int
    warnings: int
    households_with_errors: int
    households: int
    checks: str                 # the checks that hit it, most issues first


def _village_rows(report: QualityReport) -> list[_Village]:
    villages = report.villages.head(VILLAGES_SHOWN)
    lang = report.lang
    return [_Village(t, v, int(e), int(w), int(he), int(h), village_checks_text(c, lang))
            for t, v, e, w, he, h, c in villages[["township", "village", "errors", "warnings", "households_with_errors",
                                                   "households", "checks"]].itertuples(index=False, name=None)]


def _by_code_rows(report: QualityReport) -> list[tuple[str, list[int], int]]:
    """(code, counts per township, total) for every check that found something."""
    by_code = report.by_code[report.by_code["total"] > 0]
    townships = [t for t in by_code.columns if t != "total"]
    return list(zip(by_code.index, by_code[townships].to_numpy().tolist(), by_code["total"].tolist()))


def _roster_section(report: QualityReport) -> dict | None:
    """The roster section (issue 14): the table's rows and the sentences under it; None without rosters."""
    if report.rosters is None:
        return None
    return {"columns": ROSTER_COLUMNS, "rows": report.rosters[ROSTER_COLUMNS].to_numpy().tolist(),
            "lines": roster_lines(report)}


def _member_section(report: QualityReport) -> dict | None:
    """The members' own issues (issue 14), the first ROWS_SHOWN: in the issue list's columns, the
    member's name where a household's list has its head's (the page fits a screen's width)."""
    if report.member_issues is None:
        return None
    listing = report.member_issues
    shown = listing.head(ROWS_SHOWN).rename(columns={"member_name": "head_name"})
    return {"rows": _issue_rows(shown, report.lang), "total": len(listing)}


def _pct(x) -> str:
    return "" if x is None or pd.isna(x) else f"{100 * float(x):.1f}%"


def _yuan_text(fen) -> str:
    """Yuan with two decimals, as the workbooks print money (3,640.00 beside 3,586.50)."""
    return "" if fen is None or pd.isna(fen) else f"{float(fen) / 100:,.2f}"


def trend_section(result, lang: Lang) -> dict | None:
    """The income over time of the register's households (a screen with --register after earlier
    rounds: `result.years`): per township its median per-capita by year, the median change, the
    share that grew and the share still in the band; a small line chart per township; and what the
    round found against the register. None for any other screen."""
    view = getattr(result, "years", None)
    if view is None or view.trend.households.empty:
        return None
    trend = view.trend
    years = trend.years
    medians = trend.medians
    summary = trend.townships.set_index("township")
    rows = []
    for t in medians.index:
        s = summary.loc[t] if t in summary.index else None
        rows.append({"name": t or label("unknown_township", lang),
                     "medians": [_yuan_text(medians.loc[t].get(y)) for y in years],
                     "households": int(s["households"]) if s is not None else 0,
                     "change": _yuan_text(s["median_change_fen"]) if s is not None else "",
                     "grew": _pct(s["grew_share"]) if s is not None else "",
                     "band": _pct(s["in_band_share"]) if s is not None else ""})
    c = trend.county.iloc[0]
    county = {"name": label("html_trend_county", lang), "households": int(c["households"]),
              "change": _yuan_text(c["median_change_fen"]), "grew": _pct(c["grew_share"]), "band": _pct(c["in_band_share"])}
    # A small chart per township: its median per-capita by year, the axis from zero.
    W, H, left, right, top, bottom = 280, 150, 48, 16, 26, 28
    pad = 28  # the first and last year stand clear of the axis labels

    def xpos(i: int) -> float:
        return round(left + pad + (W - left - right - 2 * pad) * (i / (len(years) - 1) if len(years) > 1 else 0.5), 1)

    peak = float(np.nanmax(medians.to_numpy(dtype=float))) if medians.size else 1.0
    step = nice_step(max(peak, 1.0) / 100, 4)
    ymax = math.ceil(max(peak, 1.0) / 100 / step) * step
    charts = []
    for t in medians.index:
        points = []
        for i, y in enumerate(years):
            v = medians.loc[t].get(y)
            if pd.isna(v):
                continue
            x = xpos(i)
            yy = top + (H - top - bottom) * (1 - float(v) / 100 / ymax)
            points.append({"x": round(x, 1), "y": round(yy, 1), "label": _fmt(round(float(v) / 100)), "year": y})
        ticks = [{"y": round(top + (H - top - bottom) * (1 - v / ymax), 1), "label": _fmt(v)}
                 for v in np.arange(0, ymax + step / 2, step)]
        charts.append({"name": t or label("unknown_township", lang), "points": points, "ticks": ticks,
                       "line": " ".join(f"{p['x']},{p['y']}" for p in points),
                       "xlabels": [{"x": xpos(i), "label": str(y)} for i, y in enumerate(years)]})
    counts = view.comparison.counts
    changes = [(label(f"change_{k}", lang), n) for k, n in counts.items() if n]
    return {"years": years, "rows": rows, "county": county, "charts": charts, "changes": changes,
            "width": W, "height": H, "left": left, "right": W - right, "base": H - bottom,
            "note": label("html_trend_note", lang, count=f"{len(trend.households):,}",
                          first=years[-2] if len(years) > 1 else years[-1], last=years[-1])}


def _histogram_note(households: pd.DataFrame, hist: dict, has_lower: bool, lang: Lang,
                    excludes: bool = True) -> str:
    """The words under the histogram: whom it counts (every household with a per-capita income,
    excluded and invalid ones too, by how many), with both bounds how many of those between the lines
    are candidates (the bars are not the status chart), and which side of a bound its value counts on.
    Rules that leave no one out (`excludes` false: monitoring) are not said to count 0 excluded: that
    would read as a county without 低保 households."""
    counted = households["per_capita_fen"].notna().to_numpy(dtype=bool)
    status = households["status"].to_numpy(dtype=object)[counted]
    n = int(counted.sum())
    excluded = [s for s in STATUSES if s.startswith("excluded")]
    sentences = [label("histogram_counted" if excludes else "histogram_counted_no_exclusions", lang, n=f"{n:,}",
                       missing=f"{len(households) - n:,}", excluded=f"{int(np.isin(status, excluded).sum()):,}",
                       invalid=f"{int((status == 'invalid').sum()):,}")]
    if has_lower:
        sentences.append(label("histogram_band_count", lang, band=f"{hist['ranges']['band']:,}",
                               candidates=f"{int((households['status'] == 'candidate').sum()):,}"))
    sentences.append(label("histogram_bounds_note", lang))
    return "".join(sentences)  # the English sentences after the first begin with their space


def render_html(report: QualityReport) -> str:
    """The whole page as one string."""
    lang = report.lang
    result = report.result
    bounds = result.bounds
    per_capita = result.households["per_capita_fen"].dropna().to_numpy(dtype=float)
    lower = float(bounds.lower.value) if bounds.lower is not None else None
    hist = histogram(per_capita, lower, float(bounds.upper.value), lang)
    possible = possible_statuses(result.rule_set, bounds)
    hist_note = _histogram_note(result.households, hist, lower is not None, lang,
                                excludes=any(s.startswith("excluded") for s in possible))
    listing = report.listing
    shown = listing.iloc[shown_rows(listing)]
    codes_present = list(dict.fromkeys(shown["code"]))
    left_out = int((~report.issues["listed"]).sum())
    level, verdict = report.verdict()

    def L(key: str, **params) -> str:  # noqa: N802 — short in the template
        # The template's counts (issues listed and shown, villages) are its numbers: said with separators
        # here, where they are passed; a year is no count.
        return label(key, lang, **{name: f"{value:,}" if type(value) is int and name != "year" else value
                                   for name, value in params.items()})

    return _template().render(
        L=L, lang=lang, html_lang="zh-CN" if lang == "zh" else "en",
        counts=report.counts, run=run_lines(report), facts=report.facts.to_dict(orient="records"),
        verdict=verdict, verdict_level=level, checked=report.what_is_checked(),
        systemic=report.systemic_lines(), warnings_split=report.warnings_split(),
        by_code=_by_code_rows(report), townships=[t for t in report.by_code.columns if t != "total"],
        checks={code: {"category": L(spec.category), "severity": spec.severity,
                       "title": L(f"check_{code}")} for code, spec in messages().checks.items()},
        villages=_village_rows(report), villages_total=len(report.villages), statuses=STATUSES,
        status_colours=STATUS_COLOURS, status_chart=_status_bars(report), hist=hist,
        hist_note=hist_note,
        issues=_issue_rows(shown, lang), listed=len(listing), left_out=left_out,
        codes_present=codes_present, per_check=ROWS_PER_CHECK, version=__version__,
        rosters=_roster_section(report), member_issues=_member_section(report),


        trend=trend_section(result, lang),
    )


def write_html_report(report: QualityReport, path: Path) -> Path:
    Path(path).write_text(render_html(report), encoding="utf-8")
    return Path(path)
