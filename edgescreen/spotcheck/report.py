"""What `edgescreen backcheck` writes: backcheck.xlsx and report.html, their record backcheck.json, and
the lines of its terminal.

backcheck.xlsx: 汇总 (the sample, the rule set, the tolerance; the rates of the county and each
township), 逐户比对 (each household drawn: recorded and verified status, the outcome, the fields
that differ), 逐项比对 (each field compared: recorded, verified, difference), 分村 (the rates of each
village), 分填表人 (each enumerator's rates and the two tests; who to follow up). A rate above the
threshold is marked 超过 in red; one whose whole interval is above it, 确定超过 — over 10 households
verified at least (estimate.FIRM_MIN_HOUSEHOLDS) or 2 in error (FIRM_MIN_IN_ERROR); over fewer with one
in error, 超过(样本太少); one of a place counted
whole (estimate's full_count: every household drawn and verified), 超过(全数核查), whatever its size; such a
rate is exact, its interval zero wide, and it is printed as 全数核查 with no interval.

report.html: the same findings on one page (the quality report's look: its Jinja2 environment,
autoescaped, nothing fetched), a section for the clerk to read first.

backcheck.json: edgescreen's record of the run (as screen's run.json): the source and the forms with
their SHA-256, the sample, the rule set, the options, and the two files with theirs.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_col_to_name

from .. import __version__
from ..catalogue import Lang, label
from ..money import fen_text
from ..outputs.places import place_name
from ..outputs.privacy import mask_id_shown
from ..outputs.report_html import page_template
from ..outputs.xlsx import (WIDTH_SLACK, Column, cell_formats, column_points, lines_of, new_workbook, page_body,
                            print_scale, setup_print, text_height, wrapped_heights, write_block, write_table)
from ..register.spotchecks import SPOT_FINDINGS, flag_column, outcome_codes
from .backcheck import Backcheck, Tolerance
from .estimate import FIELD_ERROR, FIRM_MIN_HOUSEHOLDS, WRONGLY_LISTED, WRONGLY_UNLISTED
from .design import LISTED, UNLISTED, SampleOptions, draw_sample
from .sample import in_places, place_words
from .forms import COUNT_FIELDS, field_label, form_file_names, uncovered_places

XLSX = "backcheck.xlsx"
HTML = "report.html"
RECORD = "backcheck.json"
# What backcheck wrote before it kept a record (to 2026-12-06): a folder holding just these, and no
# record, is an earlier backcheck's, replaced by backcheck with --force (by no other command).
UNRECORDED = frozenset({XLSX, HTML})
RATE_ORDER = [WRONGLY_LISTED, WRONGLY_UNLISTED, FIELD_ERROR]
# Notes that say what the rates are of: read before them (terminal, 汇总; report.html's lead), not after.
RATES_NOTES = ("spot_note_no_survey", "spot_note_roster_exclusions", "spot_note_off_list", "spot_note_not_recorded",
               "spot_note_not_found_counted", "spot_note_not_found_unlisted", "spot_note_struck_corrected",
               "spot_note_struck_blank_page", "spot_note_not_checked")


def pct(x, beside: float | None = None) -> str:
    """'3.1%'; a share above 0 that would round to 0.0% keeps its first figures ('0.03%'): an interval
    on thousands of fields is narrow, and '0.0%–0.0%' would say it is [0, 0]. `beside`: the threshold
    it is judged against; a share on the other side of it that one decimal would print as it (2.04%
    against 2%, marked 确定超过 while reading 2.0%) gets as many decimals as show the side."""
    if x is None or pd.isna(x):
        return ""
    value = 100 * float(x)
    if 0 < value < 0.05:
        return f"{value:.2g}%"
    return f"{value:.{pct_decimals(x, beside)}f}%"


def pct_decimals(x, beside: float | None = None) -> int:
    """The decimals of a percentage that keep it on its side of `beside` (pct): 1, or 2 or 3 for a share
    that one decimal would print as the threshold itself. The same for the terminal, report.html and the
    number format of backcheck.xlsx's cells."""
    if beside is None or x is None or pd.isna(x):
        return 1
    value, line = 100 * float(x), 100 * float(beside)
    if value == line:
        return 1
    for decimals in (1, 2, 3):
        if (round(value, decimals) > line) == (value > line) and round(value, decimals) != line:
            return decimals
    return 1


def mark(row, lang: Lang) -> str:
    """'确定超过' when even the interval's lower end is above the threshold over enough households
    (estimate's `firm`), '超过(样本太少)' when it is over too few, '超过(全数核查)' when the estimate is
    above over a place counted whole (nobody left to sample: a count, not a finding to doubt), '超过'
    when the estimate is above, '' otherwise."""
    if row is None or pd.isna(row["estimate"]):
        return ""
    above, whole = bool(row["above_threshold"]), bool(row.get("full_count", False))
    firm = bool(row["firm"]) and not whole
    return mark_words(above, firm, bool(row["interval_above_threshold"]) and not firm and not whole, lang,
                      counted=above and whole)


def mark_words(above: bool, firm: bool, too_few: bool, lang: Lang, counted: bool = False) -> str:
    """The mark of a rate (mark): `too_few`, its interval above the threshold over too few households
    for a firm finding, says so rather than 确定超过; `counted`, above over a place counted whole, says
    that rather than either."""
    if counted:
        return label("spot_mark_counted", lang)
    if firm:
        return label("spot_mark_firm", lang)
    if too_few:
        return label("spot_mark_too_few", lang)
    return label("spot_mark_above", lang) if above else ""


def zero_wide(lower, upper) -> bool:
    """Whether an interval is zero wide: a rate counted over every household of its place (estimate's
    full_count, the finite population correction leaving no variance), exact, printed with no interval."""
    return not (pd.isna(lower) or pd.isna(upper)) and float(lower) == float(upper)


def interval_words(lower, upper, lang: Lang, threshold: float | None = None) -> str:
    """'0.9%–10.2%', or 全数核查 for a zero-wide one (zero_wide)."""
    if zero_wide(lower, upper):
        return label("spot_interval_counted", lang)
    return f"{pct(lower, threshold)}–{pct(upper, threshold)}"


def rate_words(row, lang: Lang, threshold: float | None = None, confidence: float = 0.95) -> str:
    """'3.1%(95% 置信区间 0.9%–10.2%;2/40 户)' for one rate row, at the interval's `confidence`;
    '5.1%(全数核查,2/39 户)' for a rate counted over every household (zero_wide); the interval and the
    population counted whole ('其中候选户全部抽中核查') where only that one was (estimate's whole_stratum); '—'
    when nothing was compared."""
    if row is None or pd.isna(row["estimate"]):
        return "—"
    unit = label("spot_unit_fields" if row["rate"] == FIELD_ERROR else "spot_unit_households", lang)
    counts = {"estimate": pct(row["estimate"], threshold), "errors": int(row["errors"]), "n": int(row["compared"]),
              "unit": unit}
    if zero_wide(row["lower"], row["upper"]):
        return label("spot_rate_words_counted", lang, **counts)
    interval = {"confidence": pct_short(confidence), "lower": pct(row["lower"], threshold),
                "upper": pct(row["upper"], threshold)}
    stratum = row.get("whole_stratum", pd.NA)
    if isinstance(stratum, str):
        return label("spot_rate_words_partly", lang, **counts, **interval,
                     stratum=label(f"spot_stratum_{stratum}", lang))
    return label("spot_rate_words", lang, **counts, **interval)


def wide_rates(bc: Backcheck, level: str, keys: list[str]) -> pd.DataFrame:
    """One row per domain of `level` (named by `keys`), each rate's counts, estimate, interval and
    marks side by side: <rate>_n, _errors, _estimate, _lower, _upper, _above, _firm, _too_few (the
    interval above the threshold over too few households to be firm), _counted (above over a domain
    counted whole, estimate's full_count: neither firm nor too few, a count). Made once per level for
    a check: a copy of it each time."""
    key = (level, tuple(keys))
    if key not in bc.wide:
        bc.wide[key] = _wide_rates(bc, level, keys)
    return bc.wide[key].copy()


def _wide_rates(bc: Backcheck, level: str, keys: list[str]) -> pd.DataFrame:
    rates = bc.rates[bc.rates["level"] == level]
    if rates.empty:
        return pd.DataFrame(columns=keys)
    name = rates[keys].astype(str).agg("\x1f".join, axis=1) if keys else pd.Series("", index=rates.index)
    order = list(dict.fromkeys(name))
    if keys and keys[0] == "township":  # places in the order the survey has them (places.py)
        places = bc.source.villages
        rank = {("\x1f".join(p[:len(keys)])): i for i, p in reversed(list(enumerate(places)))}
        order.sort(key=lambda d: rank.get(d, len(rank)))
    out = rates.assign(_d=name).drop_duplicates("_d").set_index("_d").loc[order, keys].reset_index(drop=True)
    for rate in RATE_ORDER:
        part = rates[rates["rate"] == rate]
        # name by the part's own rows: assigning the whole Series to an empty frame would take its index
        part = part.assign(_d=name.loc[part.index]).set_index("_d").reindex(order)
        for column, source in (("n", "compared"), ("errors", "errors"), ("estimate", "estimate"),
                               ("lower", "lower"), ("upper", "upper")):
            out[f"{rate}_{column}"] = part[source].to_numpy(dtype=float)
        above, whole = part["above_threshold"].eq(True), part["full_count"].eq(True)
        firm = part["firm"].eq(True) & ~whole
        out[f"{rate}_above"] = above.to_numpy()
        out[f"{rate}_firm"] = firm.to_numpy()
        out[f"{rate}_too_few"] = (part["interval_above_threshold"].eq(True) & ~firm & ~whole).to_numpy()
        out[f"{rate}_counted"] = (above & whole).to_numpy()
        out[f"{rate}_whole_stratum"] = part["whole_stratum"].to_numpy(dtype=object)
    return out


def rate_name(bc: Backcheck, rate: str, lang: Lang, *, short: bool = False) -> str:
    """A rate's name; the field error rate's says which fields it is of when only some were compared
    (the survey not there): '字段差错率(只比对常住人口、家庭总收入、家庭生产经营性支出)'."""
    if rate == FIELD_ERROR and bc.some_fields:
        if short:
            return label("spot_rate_short_field_error_some", lang)
        return label("spot_rate_field_error_some", lang, fields=bc.compared_words(lang))
    return label(f"spot_rate_short_{rate}" if short else f"spot_rate_{rate}", lang)


def _estimate_key(rate: str, some: bool) -> str:
    """The column key of a rate's estimate: the field error rate's own where only some fields were compared."""
    return f"spot_c_{rate}_some_estimate" if some and rate == FIELD_ERROR else f"spot_c_{rate}_estimate"


def _rate_cells(table: pd.DataFrame, lang: Lang, some: bool = False, threshold: float | None = None) -> pd.DataFrame:
    """Printable cells of the wide rates: estimate, interval, 'errors/n' and the mark per rate,
    under the column keys of `_rate_columns` (`some`: only some fields compared, Backcheck.some_fields)."""
    out = pd.DataFrame(index=table.index)
    for rate in RATE_ORDER:
        est = table.get(f"{rate}_estimate")
        if est is None:
            continue
        out[_estimate_key(rate, some)] = est
        out[f"spot_c_{rate}_interval"] = [interval_words(lo, hi, lang, threshold) if not pd.isna(e) else ""
                                          for e, lo, hi in zip(est, table[f"{rate}_lower"], table[f"{rate}_upper"])]
        out[f"spot_c_{rate}_count"] = [f"{int(x)}/{int(n)}" if not pd.isna(n) and n > 0 else ""
                                       for x, n in zip(table[f"{rate}_errors"], table[f"{rate}_n"])]
        out[f"spot_c_{rate}_mark"] = [mark_words(a, f, few, lang, counted=c) for a, f, few, c in
                                      zip(table[f"{rate}_above"], table[f"{rate}_firm"], table[f"{rate}_too_few"],
                                          table[f"{rate}_counted"])]
    return out


def _rate_columns(lang: Lang, some: bool = False, cells: pd.DataFrame | None = None,
                  threshold: float | None = None) -> list[Column]:
    """The rates' columns; an estimate of `cells` (_rate_cells) that 0.0% would print as the threshold
    gets the format of as many decimals as pct gives it (percent_2, percent_3: write_xlsx's), and a mark
    column holding 超过(样本太少) or 超过(全数核查) the width that prints it on one line (9 otherwise: the
    sheet is fitted to the page's width, and a wider column prints every column smaller)."""
    too_few, counted = label("spot_mark_too_few", lang), label("spot_mark_counted", lang)
    marks = {label("spot_mark_above", lang): "mark", label("spot_mark_firm", lang): "mark", too_few: "mark",
             counted: "mark"}
    too_few_width = next(w for w in range(9, 40) if lines_of(too_few, w, BODY_SIZE) == 1
                         and lines_of(counted, w, BODY_SIZE) == 1)
    columns = []
    for rate in RATE_ORDER:
        key = _estimate_key(rate, some)
        values = cells[key].dropna() if cells is not None and key in cells.columns else pd.Series(dtype=float)
        finer = {float(v): f"percent_{d}" for v in values if (d := pct_decimals(v, threshold)) > 1}
        mark_key = f"spot_c_{rate}_mark"
        withheld = cells is not None and mark_key in cells.columns and cells[mark_key].isin([too_few, counted]).any()
        columns += [Column(key, 9, "percent", finer or None), Column(f"spot_c_{rate}_interval", 14, "center"),
                    Column(f"spot_c_{rate}_count", 9, "center"),
                    Column(mark_key, too_few_width if withheld else 9, "center", marks)]
    return columns


def shown_places(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The table with a blank township or village named as every output names it (未填乡镇, 未填村)."""
    out = table.copy()
    for column, key in (("township", "unknown_township"), ("village", "unknown_village")):
        if column in out.columns:
            out[column] = [place_name(t, lang, key) for t in out[column].fillna("").astype(str)]
    return out


def p_value(x) -> str:
    """A p-value as it is read: '< 0.001' below a thousandth, else three significant digits
    ('0.0123', '1.00'); '' when there was nothing to test."""
    if x is None or pd.isna(x):
        return ""
    return "< 0.001" if x < 0.001 else f"{float(x):#.3g}"


def p_relation(x) -> str:
    """'< 0.001' or '= 0.0123', after a 'p'."""
    text = p_value(x)
    return text if text.startswith("<") else f"= {text}"


def report_title(bc: Backcheck, lang: Lang) -> str:
    """'农安县抽查核实结果' where the survey names its county, else '抽查核实结果'."""
    if bc.county:
        return label("spot_report_title_county", lang, county=bc.county)
    return label("spot_report_title", lang)


def running_title(bc: Backcheck, lang: Lang, sheet_key: str) -> str:
    """The page header of a sheet of backcheck.xlsx: the county and report, the sheet, the sample's
    id, so that any printed page says what it is (xlsx.running_header cuts it to the 255 characters a
    header holds)."""
    return label("spot_running", lang, title=report_title(bc, lang), sheet=label(sheet_key, lang),
                 sample=str(bc.facts.get("sample_id", "")))


def pct_short(x: float) -> str:
    return f"{100 * x:g}%"


def _status_words(status: pd.Series, lang: Lang) -> pd.Series:
    return status.map(lambda s: label(s, lang) if isinstance(s, str) and s else "")


def outcome_words(h: pd.DataFrame, lang: Lang) -> pd.Series:
    """What the visit found, per household, in words (register.spotchecks.outcome_codes: the first that applies)."""
    words = {c: label(f"spot_outcome_{c}", lang) for c in SPOT_FINDINGS[:-1]} | {SPOT_FINDINGS[-1]: ""}
    out = pd.Series(outcome_codes(h)).map(words).to_numpy()  # the same status: said below
    # The same status is no confirmation of the household's figures (a wage typed ×10 that leaves it above the
    # limit): the words say both, the status and how many fields differ.
    count = h["fields_differing"].astype("Float64").fillna(0).astype(int) if "fields_differing" in h.columns \
        else pd.Series(0, index=h.index)
    same = pd.Series(count.map({n: label("spot_outcome_agrees_differing", lang, count=n) if n else
                                label("spot_outcome_agrees", lang) for n in count.unique()}).to_numpy(), index=h.index)
    return pd.Series(out, index=h.index).mask(out == "", same)


def field_name(name: str, lang: Lang) -> str:
    return label(field_label(name), lang)


def shown_value(value, kind: str, lang: Lang) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):  # a recorded cell that holds no value, as typed (见备注)
        return value
    if kind == "money":
        return fen_text(int(value))
    if kind == "flag":
        return label("spot_yes" if bool(value) else "spot_no", lang)
    return str(int(value))


def cell_value(value, kind: str, lang: Lang):
    """A compared value as backcheck.xlsx's 逐项比对 holds it: an amount in yuan and a count as numbers
    (the column's money format; a count's rows given whole numbers: write_xlsx), a yes/no and a recorded
    cell that holds no value (见备注) as words."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or isinstance(value, str) \
            or kind == "flag":
        return shown_value(value, kind, lang)
    if kind == "money":
        return int(value) / 100
    return float(int(value))


def in_place_order(bc: Backcheck, h: pd.DataFrame) -> pd.DataFrame:
    """Households by village in the survey's order of places, then by their page."""
    rank = {p: i for i, p in enumerate(bc.source.villages)}
    village = [rank.get((t, v), len(rank)) for t, v in zip(h["township"], h["village"])]
    return h.assign(_v=village, _s=h["seq"].astype("Float64")).sort_values(["_v", "_s"], kind="stable") \
        .drop(columns=["_v", "_s"])


def missing_form_names(bc: Backcheck, lang: Lang) -> dict[tuple[str, str], str]:
    """The form's name, '乡镇-村-入户核查表.xlsx(未交回)', of each village drawn whose form did not come back (as
    the sample named it: its names are made from the same households)."""
    if bc.forms_missing.empty:
        return {}
    names = form_file_names(bc.source.households, bc.facts.get("lang") or lang)
    return {(t, v): label("spot_form_not_back", lang, form=names.get((t, v), f"{t}-{v}"))
            for t, v in zip(bc.forms_missing["township"], bc.forms_missing["village"])}


def missing_villages_words(bc: Backcheck, lang: Lang) -> str:
    """'合隆镇东兴村(3 户)、…' of the villages whose form did not come back."""
    m = bc.forms_missing
    return label("list_sep", lang).join(
        label("spot_missing_village", lang, township=place_name(t, lang, "unknown_township"),
              village=place_name(v, lang, "unknown_village"), households=int(n))
        for t, v, n in zip(m["township"], m["village"], m["households"]))


def coverage_words(bc: Backcheck, lang: Lang) -> str:
    """'全县错评率只代表 279/360 户候选户,…;以下村的户不在比率中:…': what the rates cover, when a
    stratum of the sampled villages is in none of them (none drawn, form not back, none verified); ""
    when every stratum is."""
    table = bc.uncovered
    if table.empty:
        return ""
    listed, listed_of = bc.covered(LISTED)
    unlisted, unlisted_of = bc.covered(UNLISTED)
    return label("spot_coverage_text", lang, listed=listed, listed_of=listed_of, unlisted=unlisted,
                 unlisted_of=unlisted_of, places=uncovered_places(table, lang))


WITHIN_TOLERANCE_SHOWN = 30   # households named in 汇总's row; the rest are in 逐户比对


def within_tolerance_counts(bc: Backcheck) -> tuple[int, int]:
    """(listed, unlisted) households whose status moved across a bound with every field within the
    tolerance: not in the 错评 and 漏评 counts (backcheck.crossed_within_tolerance)."""
    h = bc.households
    within = h["within_tolerance"].fillna(False).astype(bool) if "within_tolerance" in h.columns \
        else pd.Series(False, index=h.index)
    listed = h["stratum"].eq(LISTED)
    return int((within & listed).sum()), int((within & ~listed).sum())


def within_tolerance_words(bc: Backcheck, lang: Lang) -> str:
    """'认定改变但各项在容差内:11 户(候选户 4 户、非候选户 7 户)…': said beside the rates (terminal,
    report.html's lead); "" where there are none."""
    listed, unlisted = within_tolerance_counts(bc)
    if not listed + unlisted:
        return ""
    return label("spot_within_tolerance_short", lang, count=listed + unlisted, listed=listed, unlisted=unlisted)


def within_tolerance_text(bc: Backcheck, lang: Lang) -> str:
    """汇总's row on them, each household named (form, page, head, per capita recorded and verified)."""
    listed, unlisted = within_tolerance_counts(bc)
    h = in_place_order(bc, bc.households)
    h = h[h["within_tolerance"].fillna(False).astype(bool)] if "within_tolerance" in h.columns else h.iloc[:0]
    shown = h.iloc[:WITHIN_TOLERANCE_SHOWN]
    pages = [label("spot_within_tolerance_page", lang, form=form, seq=int(seq), name=name, recorded=was, verified=now)
             for form, seq, name, was, now in zip(shown["form"].fillna(""), shown["seq"], shown["head_name"].fillna(""),
                                                 fen_text(shown["recorded_per_capita_fen"]),
                                                 fen_text(shown["verified_per_capita_fen"]))]
    if len(h) > len(shown):
        pages.append(label("spot_within_tolerance_more", lang, count=len(h) - len(shown)))
    return label("spot_within_tolerance_text", lang, count=listed + unlisted, listed=listed, unlisted=unlisted,
                 tolerance=bc.tolerance.words(lang), households=label("list_sep", lang).join(pages))


def households_table(bc: Backcheck, lang: Lang) -> pd.DataFrame:
    """Every household drawn; those of a village whose form did not come back as rows of their own,
    未核查, under the form's name: named from sample.csv (who was drawn, the page, the enumerator and
    the recorded status, for the clerk to chase the form), or, where it was not found, known by their
    stratum only (the forms do not say which)."""
    h = in_place_order(bc, bc.households)
    back = h["form"].notna()
    not_back = missing_form_names(bc, lang)
    form = h["form"].astype(object).where(h["form"].notna(), pd.Series(
        [not_back.get((t, v), "") for t, v in zip(h["township"], h["village"])], index=h.index, dtype=object))
    h = shown_places(h.assign(form=form), lang)
    names = h["fields_differing_names"].map(
        lambda xs: label("list_sep", lang).join(field_name(x, lang) for x in xs) if isinstance(xs, list) else "")
    return pd.DataFrame({
        "spot_col_form": h["form"].fillna(""), "spot_seq": h["seq"], "township": h["township"],
        "village": h["village"], "head_name": h["head_name"].fillna(""),
        "masked_id": mask_id_shown(h["head_id"].astype("string")), "csv_enumerator": h["enumerator"].fillna(""),
        "spot_col_stratum": h["stratum"].map(lambda s: label(f"spot_stratum_{s}", lang)),
        "spot_col_weight": h["weight"].astype(float),
        "spot_col_adjusted_weight": h["adjusted_weight"].astype(float),
        "spot_col_recorded_status": _status_words(h["recorded_status"], lang),
        "spot_col_verified_status": _status_words(h["verified_status"].fillna(""), lang),
        "spot_col_outcome": outcome_words(h, lang),
        # Amounts as numbers (yuan, the money format): a sheet's figures can be summed and sorted.
        "spot_col_recorded_per_capita": h["recorded_per_capita_fen"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / 100,
        "spot_col_verified_per_capita": h["verified_per_capita_fen"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / 100,
        "spot_col_fields_compared": h["fields_compared"].astype("Float64").astype(float),
        "spot_col_fields_differing": h["fields_differing"].astype("Float64").astype(float),
        "spot_col_differing_names": names,
        "spot_f_verifier": h["verifier"].fillna(""),
        "spot_f_verify_date": h["verify_date"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else ""),
        "spot_f_verify_notes": h["notes"].fillna("") if "notes" in h.columns else "",
        # not printed: for report.html (a household gone is as much a case to look into)
        "not_found": (h["not_found"].fillna(False).astype(bool) if "not_found" in h.columns else False)
        | (h["gone"].fillna(False).astype(bool) if "gone" in h.columns else False),
        "form_back": back.to_numpy(),
    }).reset_index(drop=True)


NOT_FOUND_SHOWN = 10   # households not found named on the terminal; the rest are in 逐户比对


def not_found_lines(bc: Backcheck, lang: Lang, shown: int | None = None, kind: str = "not_found") -> list[str]:
    """One line per household not verified whose notes say it was not found (`kind` 'gone': that it
    moved away, its head died, nobody lives there): form, page, place, head and the note (the first
    `shown`, when given)."""
    h = in_place_order(bc, bc.households)
    h = shown_places(h[h[kind].fillna(False).astype(bool)] if kind in h.columns else h.iloc[:0], lang)
    if shown is not None:
        h = h.iloc[:shown]
    return [label("spot_not_found_line", lang, form=form, seq=int(seq), township=t, village=v, name=name, note=note)
            for form, seq, t, v, name, note in zip(h["form"].fillna(""), h["seq"], h["township"], h["village"],
                                                   h["head_name"].fillna(""), h["notes"])]


def not_found_count(bc: Backcheck, kind: str = "not_found") -> int:
    return int(bc.households[kind].fillna(False).sum()) if kind in bc.households.columns else 0


NOT_MET = ("absent", "refused")   # households not visited: 未遇, 拒访 (backcheck.visit_failed), counted apart


def not_met_count(bc: Backcheck) -> int:
    """The households not visited (NOT_MET), 未遇 and 拒访 together."""
    return sum(not_found_count(bc, k) for k in NOT_MET)


def not_met_counts(bc: Backcheck, lang: Lang) -> str:
    """'未遇 1 户、拒访 1 户': what the city's report asks for, the same words everywhere."""
    return label("spot_not_met_counts", lang, absent=not_found_count(bc, "absent"),
                 refused=not_found_count(bc, "refused"))


def _not_met_shown(bc: Backcheck, lang: Lang) -> str:
    """汇总's households not visited: the first NOT_FOUND_SHOWN, as the terminal names them, then how many more
    (a county's 26 未遇 made one cell of a page); every one is in 逐户比对."""
    shown = label("list_sep", lang).join(not_met_lines(bc, lang, NOT_FOUND_SHOWN))
    more = not_met_count(bc) - NOT_FOUND_SHOWN
    return shown + (label("spot_not_found_more", lang, count=more) if more > 0 else "")


def not_met_lines(bc: Backcheck, lang: Lang, shown: int | None = None) -> list[str]:
    """'未遇:合隆镇-东兴村-入户核查表.xlsx 核查序号 2(…):「家中无人,两次上门未遇」', 未遇 first, then 拒访."""
    return [label("spot_not_met_line", lang, kind=label(f"spot_kind_{kind}", lang), line=line)
            for kind in NOT_MET for line in not_found_lines(bc, lang, shown, kind)][:shown]


# ---------------------------------------------------------------------------------------------
# 处理建议: what follows the spot check (after-screening.md §5; the plan's 第四步 and 四、识别程序), said
# where the rates are read: the terminal (a few lines), report.html (a section), backcheck.xlsx (a sheet
# naming each household, place and enumerator).

NEXT_PLACES_SHOWN = 8   # places named in a sentence; every one is a row of the sheet 处理建议
NEXT_COLUMNS = ["spot_col_next_item", "township", "village", "head_name", "spot_seq", "spot_col_form",
                "csv_enumerator", "spot_col_next_detail"]


def marked_places(bc: Backcheck, lang: Lang) -> pd.DataFrame:
    """The townships and villages marked 确定超过, 超过(样本太少) or 超过(全数核查), in place order: township,
    village ("" for a township; a blank place named as every output names it), firm, kind ('firm',
    'too_few' or 'counted': a place counted whole has no other mark), and the rates so marked in words
    ('错评 9.2%'). A mark of too few where another rate of the place is firm gives way to it; a village of
    a township marked 确定超过 is left out, the township's full re-check covering it."""
    parts = []
    for level, keys in (("township", ["township"]), ("village", ["township", "village"])):
        table = shown_places(wide_rates(bc, level, keys), lang)
        if table.empty:
            continue
        firm = table[[f"{r}_firm" for r in RATE_ORDER]].to_numpy(dtype=bool)
        too_few = table[[f"{r}_too_few" for r in RATE_ORDER]].to_numpy(dtype=bool)
        counted = table[[f"{r}_counted" for r in RATE_ORDER]].to_numpy(dtype=bool)
        is_firm = firm.any(axis=1)
        marked = np.where(is_firm[:, None], firm, too_few | counted)
        words = pd.DataFrame({rate: np.where(marked[:, i], [f"{rate_name(bc, rate, lang, short=True)} "
                                                            f"{pct(e, bc.threshold)}" for e in table[f"{rate}_estimate"]],
                                             "") for i, rate in enumerate(RATE_ORDER)})
        parts.append(pd.DataFrame({
            "township": table["township"].to_numpy(), "village": table["village"].to_numpy() if level == "village"
            else "", "firm": is_firm,
            "kind": np.select([is_firm, counted.any(axis=1)], ["firm", "counted"], "too_few"),
            "rates": words.agg(lambda row: label("list_sep", lang).join(w for w in row if w), axis=1).to_numpy(),
            # which rates are marked: a follow-up sample draws the side they are of (follow_up_samples)
            **{f"{rate}_marked": marked[:, i] for i, rate in enumerate(RATE_ORDER)},
        })[marked.any(axis=1)])
    if not parts:
        return pd.DataFrame(columns=["township", "village", "firm", "kind", "rates",
                                     *(f"{rate}_marked" for rate in RATE_ORDER)])
    places = pd.concat(parts, ignore_index=True)
    firm_towns = set(places.loc[places["village"].eq("") & places["firm"], "township"])
    return places[places["village"].eq("") | ~places["township"].isin(firm_towns)].reset_index(drop=True)


def _place_words(places: pd.DataFrame, lang: Lang) -> str:
    """'米沙子镇(错评 9.2%)、布海镇中心村(漏评 25.0%)' of the first NEXT_PLACES_SHOWN, then 等."""
    shown = places.iloc[:NEXT_PLACES_SHOWN]
    words = label("list_sep", lang).join(
        label("spot_next_place_rates", lang, place=f"{t}{v}" if lang == "zh" or not v else f"{t} {v}", rates=r)
        for t, v, r in zip(shown["township"], shown["village"], shown["rates"]))
    more = len(places) - len(shown)
    return words + (label("spot_next_places_more", lang, count=len(places)) if more > 0 else "")


@functools.lru_cache(maxsize=4)
def _later_round(path: str, sha256: str, checked: int) -> tuple[int, int, pd.Series] | None:
    """The register's latest round where it is later than the round `checked`: (its id, its income year,
    each head's status in it, by head ID). None where the round checked is the latest. Cached: the
    terminal, the workbook and the page each ask (by the register's SHA-256, so a change is seen)."""
    from .source import load_source, register_rounds

    rounds = register_rounds(path)
    latest = rounds.loc[rounds["id"].idxmax()]
    if int(latest["id"]) <= checked:
        return None
    now = load_source(path, round_id=int(latest["id"])).households
    now = now[now["head_id"].fillna("").ne("")].drop_duplicates("head_id")
    return int(latest["id"]), int(latest["year"]), now.set_index("head_id")["status"]


def later_round(bc: Backcheck) -> tuple[int, int, pd.Series] | None:
    """Where the sample was of a register's round the register has moved on from (the next year screened
    since): the later round, as _later_round. Its omissions are seen to in that round: screening again now
    would record the old year's incomes as a round after the new one."""
    if bc.source.kind != "register" or not bc.source.round:
        return None
    return _later_round(str(bc.source.path), bc.source.sha256, int(bc.source.round))


def follow_up_samples(bc: Backcheck, places: pd.DataFrame, lang: Lang) -> list[tuple[str, int, int]]:
    """The samples that settle the places marked 超过(样本太少): (command, candidates it draws, others it
    draws), one per set of rates. Each place is named once (a village inside a township named is drawn
    with the township, its marks joining the township's), and only the side of the rates marked is drawn:
    错评 is of the candidates (all of them: a place's list is short), 漏评 of the others (at the default
    rate), the field rate of both (at the default rates). A full precision sample of a township for one
    错评 among its candidates would be nearly a full count of it."""
    from ..inputs import shell_word

    default = SampleOptions()
    towns = set(places.loc[places["village"].eq(""), "township"])
    # a village of a township named is folded into its township's line
    at = places.assign(village=places["village"].where(~places["township"].isin(towns), ""))
    marks = at.groupby(["township", "village"], sort=False)[[f"{r}_marked" for r in RATE_ORDER]].any()
    listed = np.where(marks[f"{WRONGLY_LISTED}_marked"], 1.0,
                      np.where(marks[f"{FIELD_ERROR}_marked"], default.listed_rate, 0.0))
    others = np.where(marks[f"{WRONGLY_UNLISTED}_marked"] | marks[f"{FIELD_ERROR}_marked"], default.unlisted_rate, 0.0)
    rates = pd.DataFrame({"listed": listed, "others": others}, index=marks.index)
    # a sample from the round this one was drawn from
    round_option = f" --round {bc.source.round}" if bc.source.kind == "register" and bc.source.round else ""
    households = bc.source.households
    out = []
    for n, ((listed_rate, others_rate), group) in enumerate(rates.groupby(["listed", "others"], sort=False)):
        keys = list(group.index)
        villages = [v for v in bc.source.villages if (v[0], "") in keys or v in keys]
        # how many `sample` will draw: the same design, counted (a seed changes which, not how many)
        frame = in_places(households, villages)
        drawn = draw_sample(frame.assign(key=frame.index), key="key", seed=0, listed_rate=float(listed_rate),
                            unlisted_rate=float(others_rate)).households
        n_listed = int(drawn["stratum"].eq(LISTED).sum())
        only = "".join(f" --only {shell_word(word if v else t)}" for word, (t, v) in zip(place_words(keys, lang), keys))
        folder = label("spot_next_folder", lang) + (f"{n + 1}" if n else "")
        command = label("spot_next_sample_command", lang, source=shell_word(str(bc.source.path)) + round_option,
                        listed_rate=f"{listed_rate:g}", unlisted_rate=f"{others_rate:g}", only=only,
                        folder=shell_word(folder + "/"))
        out.append((command, n_listed, len(drawn) - n_listed))
    return out


def next_steps(bc: Backcheck, lang: Lang) -> tuple[list[str], pd.DataFrame, list[str]]:
    """(the sentences of 处理建议, in the order a county acts on them; the table naming each household,
    place and enumerator, NEXT_COLUMNS; the commands the sentences name, for the terminal to keep each on
    one line). Nothing found to act on: one sentence saying so, no rows."""
    from ..inputs import shell_word

    h = shown_places(in_place_order(bc, bc.households), lang)
    wrongly_listed, wrongly_unlisted, not_found = flag_column(h, "wrongly_listed"), flag_column(h, "wrongly_unlisted"), \
        flag_column(h, "not_found")
    other_wrong = flag_column(h, "wrong_other_status")
    # Found below the poverty line: referred to 贫困户识别; any other (sent there by a mistyped wage): screened again.
    to_poor = other_wrong & h["verified_status"].eq("below_line").fillna(False).astype(bool)
    to_screen = other_wrong & ~to_poor
    places = marked_places(bc, lang)
    o = bc.outliers if bc.outliers is not None and not bc.outliers.empty else pd.DataFrame(columns=["flagged"])
    flagged = o[o["flagged"].astype(bool)]
    lines: list[str] = []
    rows: list[pd.DataFrame] = []
    commands: list[str] = []

    def households(mask: pd.Series, item: pd.Series | str, detail: pd.Series) -> pd.DataFrame:
        chosen = h[mask]
        return pd.DataFrame({"spot_col_next_item": item, "township": chosen["township"], "village": chosen["village"],
                             "head_name": chosen["head_name"].fillna(""),
                             "spot_seq": chosen["seq"].astype("Int64").astype(object),
                             "spot_col_form": chosen["form"].fillna(""), "csv_enumerator": chosen["enumerator"].fillna(""),
                             "spot_col_next_detail": detail[mask]})

    status = pd.Series([label("spot_next_detail_status", lang, recorded=r, verified=v) for r, v in zip(
        _status_words(h["recorded_status"].fillna(""), lang), _status_words(h["verified_status"].fillna(""), lang))],
        index=h.index, dtype=object)
    if wrongly_listed.any():
        lost = int((wrongly_listed & not_found).sum())
        lines.append(label("spot_next_wrongly_listed", lang, count=int(wrongly_listed.sum()),
                           not_found=label("spot_next_not_found_part", lang, count=lost) if lost else ""))
        rows.append(households(wrongly_listed, pd.Series(np.where(
            not_found, label("spot_next_item_not_found", lang), label("spot_next_item_wrongly_listed", lang)),
            index=h.index)[wrongly_listed], status.where(~not_found, "「" + h["notes"].fillna("") + "」")
            if "notes" in h.columns else status))
    later = later_round(bc)
    if later is not None:  # the register has screened a later year since: what is done is done in that round
        now_round, now_year = later[0], later[1]
        now_listed = h["head_id"].map(later[2]).eq("candidate").fillna(False).astype(bool) if "head_id" in h \
            else pd.Series(False, index=h.index)
        now_screen = label("spot_next_screen_year_command", lang, year=now_year,
                           register=shell_word(str(bc.source.path)))
        now_words = dict(round=now_round, year=now_year, checked=bc.source.income_year or "?")
    if wrongly_unlisted.any() and later is not None:
        listed_now = int((wrongly_unlisted & now_listed).sum())
        rest = int(wrongly_unlisted.sum()) - listed_now
        status_command = label("spot_next_status_command", lang, register=shell_word(str(bc.source.path)))
        commands += [status_command] if listed_now else []
        commands += [now_screen] if rest else []
        lines.append(label("spot_next_wrongly_unlisted_later", lang, count=int(wrongly_unlisted.sum()), **now_words,
                           listed=label("spot_next_later_listed", lang, count=listed_now, round=now_round,
                                        status=status_command) if listed_now else "",
                           rest=label("spot_next_later_rest", lang, count=rest, round=now_round, year=now_year,
                                      screen=now_screen) if rest else ""))
        rows.append(households(wrongly_unlisted, label("spot_next_item_wrongly_unlisted_later", lang,
                                                       round=now_round), status))
    elif wrongly_unlisted.any():
        register = shell_word(str(bc.source.path))
        if bc.source.kind == "register":  # as the register itself advises for an omission upheld (rp_omission_screened)
            commands += [label("spot_next_screen_command", lang, register=register),
                         label("spot_next_register_command", lang, register=register)]
            lines.append(label("spot_next_wrongly_unlisted_register", lang, count=int(wrongly_unlisted.sum()),
                               screen=commands[-2], next=commands[-1]))
        else:
            lines.append(label("spot_next_wrongly_unlisted_ledger", lang, count=int(wrongly_unlisted.sum())))
        rows.append(households(wrongly_unlisted, label("spot_next_item_wrongly_unlisted", lang), status))
    if to_poor.any():
        lines.append(label("spot_next_other_below_line", lang, count=int(to_poor.sum())))
        rows.append(households(to_poor, label("spot_next_item_other_below_line", lang), status))
    if to_screen.any() and later is not None:
        commands += [now_screen] if now_screen not in commands else []
        lines.append(label("spot_next_other_rescreen_later", lang, count=int(to_screen.sum()), **now_words,
                           screen=now_screen))
        rows.append(households(to_screen, label("spot_next_item_wrongly_unlisted_later", lang, round=now_round),
                               status))
    elif to_screen.any():
        if bc.source.kind == "register":
            screen = label("spot_next_screen_command", lang, register=shell_word(str(bc.source.path)))
            commands += [screen] if screen not in commands else []
            lines.append(label("spot_next_other_rescreen_register", lang, count=int(to_screen.sum()), screen=screen))
        else:
            lines.append(label("spot_next_other_rescreen_ledger", lang, count=int(to_screen.sum())))
        rows.append(households(to_screen, label("spot_next_item_other_rescreen", lang), status))
    if other_wrong.any():  # what they are, once: no 错评 or 漏评, but their enumerators' wrong decisions
        lines.append(label("spot_next_other_counted", lang, count=int(other_wrong.sum())))
    # The same status, but figures the visit found otherwise (an income 30 % higher, a resident more), and a
    # head who died: for the county to correct on the survey, apart from the errors of status above.
    died = flag_column(h, "head_died")
    same = h["recorded_status"].astype("string").eq(h["verified_status"].astype("string")).fillna(False).astype(bool)
    to_correct = same & h["fields_differing"].astype("Float64").fillna(0).gt(0).astype(bool) & ~died \
        & ~wrongly_listed & ~wrongly_unlisted & ~other_wrong
    fields_found = field_corrections(bc, lang).reindex(h.index).fillna("")
    if to_correct.any():
        lines.append(label("spot_next_corrections", lang, count=int(to_correct.sum())))
        rows.append(households(to_correct, label("spot_next_item_corrections", lang), fields_found))
    note = pd.Series([label("spot_next_detail_note", lang, note=n) for n in h["notes"].fillna("")], index=h.index)
    if died.any():
        lines.append(label("spot_next_head_died", lang, count=int(died.sum())))
        rows.append(households(died, label("spot_next_item_head_died", lang),
                               note.str.cat(fields_found, sep=label("list_sep", lang)).str.rstrip(label("list_sep", lang))))
    # Households nobody could verify: 未遇 visited again, 拒访 explained by the township (then visited).
    for kind in NOT_MET:
        these = flag_column(h, kind)
        if these.any():
            lines.append(label(f"spot_next_{kind}", lang, count=int(these.sum())))
            rows.append(households(these, label(f"spot_next_item_{kind}", lang), note))
    # A place counted whole is no estimate to doubt: said as counted, with no sample to draw (nobody is left).
    for kind, key, item in (("firm", "spot_next_firm", "spot_next_item_firm"),
                            ("too_few", "spot_next_too_few", "spot_next_item_too_few"),
                            ("counted", "spot_next_counted", "spot_next_item_counted")):
        these = places[places["kind"].eq(kind)]
        if these.empty:
            continue
        samples = follow_up_samples(bc, these, lang) if kind == "too_few" else []
        commands += [command for command, _, _ in samples]
        follow = label("spot_next_follow_up_sep", lang).join(
            label("spot_next_follow_up", lang, command=c, households=a + b, listed=a, unlisted=b) for c, a, b in samples)
        default = SampleOptions()
        lines.append(label(key, lang, count=len(these), threshold=pct_short(bc.threshold), least=FIRM_MIN_HOUSEHOLDS,
                           places=_place_words(these, lang), unlisted_rate=pct_short(default.unlisted_rate),
                           listed_rate=pct_short(default.listed_rate), commands=follow))
        rows.append(pd.DataFrame({"spot_col_next_item": label(item, lang), "township": these["township"],
                                  "village": these["village"], "spot_col_next_detail": these["rates"]}))
    if len(flagged):
        names = label("list_sep", lang).join(flagged["enumerator"].astype(str))
        lines.append(label("spot_next_enumerators" if len(flagged) > 1 else "spot_next_enumerator", lang,
                           count=len(flagged), enumerators=names))
        rows.append(pd.DataFrame({
            "spot_col_next_item": label("spot_next_item_enumerator", lang), "csv_enumerator": flagged["enumerator"],
            "spot_col_next_detail": [label("spot_next_detail_enumerator", lang, n=int(n), status=int(s), fields=int(f))
                                     for n, s, f in zip(flagged["status_n"], flagged["status_errors"],
                                                        flagged["fields_errors"])]}))
    if not lines:
        return [label("spot_next_nothing", lang)], pd.DataFrame(columns=NEXT_COLUMNS), []
    return lines, pd.concat(rows, ignore_index=True).reindex(columns=NEXT_COLUMNS).astype(object).fillna(""), commands


def field_corrections(bc: Backcheck, lang: Lang) -> pd.Series:
    """Per household (by key), the fields that differ with both values: '家庭经营收入(元):登记 12000.00,
    核实 15600.00、…'."""
    c = bc.comparisons
    c = c[c["differs"].astype(bool)] if not c.empty else c
    if c.empty:
        return pd.Series(dtype=object)
    words = [label("spot_next_detail_field", lang, field=field_name(f, lang), recorded=shown_value(r, k, lang),
                   verified=shown_value(v, k, lang))
             for f, r, v, k in zip(c["field"], c["recorded"], c["verified"], c["kind"])]
    return pd.Series(words, index=c["key"].to_numpy(), dtype=object).groupby(level=0, sort=False) \
        .agg(label("list_sep", lang).join)


NEXT_HOUSEHOLDS_SHOWN = 30   # households named in a row of 汇总; the rest are in 逐户比对 (比对结论)


def next_summary_rows(bc: Backcheck, lang: Lang) -> list[tuple[str, str]]:
    """汇总's block of 处理建议, last: its sentences, then a row per kind of household to act on naming
    each (township, village, head, 核查序号, form)."""
    steps, table, _ = next_steps(bc, lang)
    rows = [(label("spot_next_title", lang), " ".join(steps))]
    named = table[table["head_name"].ne("")]
    detailed = {label("spot_next_item_corrections", lang), label("spot_next_item_head_died", lang)}
    for item, these in named.groupby("spot_col_next_item", sort=False):
        shown = these.iloc[:NEXT_HOUSEHOLDS_SHOWN]
        words = [label("spot_next_household", lang, township=t, village=v, name=n, seq=s, form=f)
                 for t, v, n, s, f in zip(shown["township"], shown["village"], shown["head_name"], shown["spot_seq"],
                                          shown["spot_col_form"])]
        if item in detailed:  # what to correct is the fields and their values, said with each household
            words = [label("spot_next_household_detail", lang, household=w, detail=d)
                     for w, d in zip(words, shown["spot_col_next_detail"])]
        if len(these) > len(shown):
            words.append(label("spot_within_tolerance_more", lang, count=len(these) - len(shown)))
        rows.append((item, label("list_sep", lang).join(words)))
    return rows


def comparisons_table(bc: Backcheck, lang: Lang) -> pd.DataFrame:
    h = in_place_order(bc, bc.households[~bc.households.index.str.startswith("~")])
    c = bc.comparisons
    if not c.empty:  # in the households' order, each household's fields in the form's order
        c = c.assign(_h=pd.Index(h.index).get_indexer(c["key"])).sort_values("_h", kind="stable")
    if c.empty:
        return pd.DataFrame(columns=["spot_col_form", "spot_seq", "head_name", "spot_col_field", "spot_col_recorded",
                                     "spot_col_verified", "spot_col_difference", "spot_col_differs"])
    diff = [cell_value(d, k, lang) if k != "flag" else "" for d, k in zip(c["difference"], c["kind"])]
    return pd.DataFrame({
        "spot_col_form": h["form"].reindex(c["key"]).fillna("").to_numpy(),
        "spot_seq": h["seq"].reindex(c["key"]).to_numpy(),
        "head_name": h["head_name"].reindex(c["key"]).fillna("").to_numpy(),
        "spot_col_field": [field_name(f, lang) for f in c["field"]],
        "spot_col_recorded": [cell_value(v, k, lang) for v, k in zip(c["recorded"], c["kind"])],
        "spot_col_verified": [cell_value(v, k, lang) for v, k in zip(c["verified"], c["kind"])],
        "spot_col_difference": diff,
        "spot_col_differs": [label("spot_differs", lang) if d else "" for d in c["differs"]],
    })


def summary_lines(bc: Backcheck, lang: Lang, *, rates_notes: bool = True) -> list[tuple[str, str]]:
    """The summary's (label, text) rows (汇总, report.html); `rates_notes`: with the notes on what the
    rates are of, which report.html gives in its lead instead."""
    h = bc.households
    listed = h["stratum"].eq("listed")
    rules = bc.rules.loaded
    lines = [
        *([(label("spot_sum_county", lang), bc.county)] if bc.county else []),
        (label("spot_sum_source", lang), str(bc.source.path)),
        (label("spot_sum_sample", lang), str(bc.facts.get("sample_id", ""))),
        (label("spot_sum_forms", lang), label("spot_sum_forms_text", lang, forms=len(bc.forms))),
        *([(label("spot_sum_forms_missing", lang), label(
            "spot_forms_missing_text", lang, count=len(bc.forms_missing), villages=missing_villages_words(bc, lang),
            forms=len(bc.forms)))] if len(bc.forms_missing) else []),
        *([(label("spot_sum_coverage", lang), coverage_words(bc, lang))] if coverage_words(bc, lang) else []),
        *([(label("spot_sum_not_found", lang), label(
            "spot_not_found_text", lang, count=not_found_count(bc),
            households=label("list_sep", lang).join(not_found_lines(bc, lang))))] if not_found_count(bc) else []),
        *([(label("spot_sum_gone", lang), label(
            "spot_gone_text", lang, count=not_found_count(bc, "gone"),
            households=label("list_sep", lang).join(not_found_lines(bc, lang, kind="gone"))))]
          if not_found_count(bc, "gone") else []),
        *([(label("spot_sum_not_met", lang), label(
            "spot_not_met_text", lang, counts=not_met_counts(bc, lang),
            households=_not_met_shown(bc, lang)))]
          if not_met_count(bc) else []),
        (label("spot_sum_verified", lang), label(
            "spot_sum_verified_text", lang, verified=bc.verified, drawn=bc.drawn,
            listed=int((h["verified"] & listed).sum()), listed_drawn=int(listed.sum()),
            unlisted=int((h["verified"] & ~listed).sum()), unlisted_drawn=int((~listed).sum()))),
        *[(label("spot_sum_note", lang), note.render(lang)) for note in bc.notes
          if note.key in RATES_NOTES and rates_notes],
        *([(label("spot_outcome_within_tolerance", lang), within_tolerance_text(bc, lang))]
          if sum(within_tolerance_counts(bc)) else []),
        (label("spot_sum_rules", lang), f"{rules.rules.title}({rules.rules.id},SHA-256 {rules.sha256[:12]}…)"),
        (label("spot_sum_recorded", lang), label(f"spot_recorded_from_{bc.recorded_from}", lang, fields=(
            bc.compared_words(lang) if bc.recorded_from != "survey" else ""))),
        (label("spot_sum_tolerance", lang), bc.tolerance.words(lang)),
        (label("spot_sum_threshold", lang), label("spot_sum_threshold_text", lang, threshold=pct_short(bc.threshold),
                                                   confidence=pct_short(bc.confidence), least=FIRM_MIN_HOUSEHOLDS)
         # where a place was counted whole, why its mark is neither of those
         + (label("spot_sum_threshold_counted", lang) if bc.rates["full_count"].eq(True).any() else "")),
        (label("spot_sum_enumerators", lang), label(f"spot_enumerator_from_{bc.enumerator_key}", lang)),
        (label("spot_sum_method", lang), label("spot_sum_method_text", lang, alpha=pct_short(bc.alpha))),
    ]
    for note in bc.notes:
        if note.key not in RATES_NOTES:
            lines.append((label("spot_sum_note", lang), note.render(lang)))
    return lines


def outliers_table(bc: Backcheck, lang: Lang) -> pd.DataFrame:
    o = bc.outliers
    if o is None or o.empty:
        return pd.DataFrame()
    enumerators = wide_rates(bc, "enumerator", ["enumerator"]).set_index("enumerator")
    cells = _rate_cells(enumerators, lang, bc.some_fields, bc.threshold)
    p = p_value
    table = pd.DataFrame({
        "csv_enumerator": o["enumerator"].to_numpy(),
        "spot_col_households": o["status_n"].to_numpy(dtype=float),
        "spot_col_status_errors": o["status_errors"].to_numpy(dtype=float),
        "spot_col_status_p": [p(x) for x in o["status_adjusted_p_value"]],
        "spot_col_fields_households": o["fields_errors"].to_numpy(dtype=float),
        "spot_col_others_fields": [pct(x) for x in o["fields_others_share"]],  # plain, not the test's smoothed rate
        "spot_col_fields_p": [p(x) for x in o["fields_adjusted_p_value"]],
        "spot_col_follow_up": [label("spot_follow_up", lang) if f else "" for f in o["flagged"]],
    })
    joined = cells.reindex(o["enumerator"].to_numpy()).reset_index(drop=True)
    return pd.concat([table, joined], axis=1)


BODY_SIZE = 10  # points of backcheck.xlsx's text
LEAST_PRINTED = 9  # points the text of 汇总 prints at, at the least: its scale is never below 90 %
SCOPE_WIDTH = 12  # 汇总's first column: its rows' labels (wrapped, the row as tall) and the rates' 范围
ONE_LINE = 15  # points: a row of one line keeps the sheet's default height
NOTE_WIDTH = 60  # 分填表人's note where nobody's rates are compared: a portrait page's width at about 100 %


INTERVAL_KEYS = {f"spot_c_{rate}_interval" for rate in RATE_ORDER}


def _table(ws, row: int, columns: list[Column], frame: pd.DataFrame, formats: dict, lang: Lang, *,
           confidence: float | None = None, **options) -> int:
    """write_table, each row as tall as its wrapped texts (a file's or a village's long name, the
    fields that differ): with the default height LibreOffice drew them over the next rows, or cut."""
    heights = wrapped_heights(frame, columns, ONE_LINE, font_size=BODY_SIZE)
    end = write_table(ws, row, columns, frame, formats, lang, heights=heights, **options)
    if confidence is not None:  # write_table's headers take no values: the intervals' say their confidence
        for j, c in enumerate(columns):
            if c.key in INTERVAL_KEYS:
                ws.write_string(row, j, label(c.key, lang, confidence=pct_short(confidence)), formats["header"])
    return end


def write_xlsx(bc: Backcheck, path: Path, lang: Lang) -> None:
    # Printed at a scale computed from its widths (汇总): in Arial's digits, which every renderer agrees on.
    book = new_workbook(path, fixed_scale=True)
    formats = cell_formats(book, lang, size=BODY_SIZE)
    formats["weight"] = book.add_format({**formats.font, "border": 1, "num_format": "0.00_ ", "align": "right",
                                         "valign": "vcenter"})
    # One line, never wrapped (a status of ten characters in a narrow column overlaps the next row).
    for decimals in (2, 3):  # a rate that 0.0% would print as the threshold (_rate_columns)
        formats[f"percent_{decimals}"] = book.add_format({**formats.font, "border": 1, "align": "right",
                                                          "valign": "vcenter", "num_format": f"0.{'0' * decimals}%_ "})
    formats["left_cell"] = book.add_format({**formats.font, "border": 1, "valign": "vcenter", "indent": 1})
    formats["mark"] = book.add_format({**formats.font, "border": 1, "align": "center", "valign": "vcenter",
                                       "bold": True, "font_color": "#B00020"})
    marks = {label("spot_follow_up", lang): "mark", label("spot_differs", lang): "mark",
             label("spot_outcome_wrongly_listed", lang): "mark", label("spot_outcome_wrongly_unlisted", lang): "mark",
             label("spot_outcome_other_status_wrong", lang): "mark"}

    ws = book.add_worksheet(label("spot_sheet_summary", lang))
    county = wide_rates(bc, "overall", []).assign(scope=label("spot_scope_county", lang))
    towns = shown_places(wide_rates(bc, "township", ["township"]), lang).rename(columns={"township": "scope"})
    table = pd.concat([county, towns], ignore_index=True)
    frame = pd.concat([table[["scope"]].rename(columns={"scope": "spot_col_scope"}),
                       _rate_cells(table, lang, bc.some_fields, bc.threshold)], axis=1)
    columns = [Column("spot_col_scope", SCOPE_WIDTH, "bold"), *_rate_columns(lang, bc.some_fields, frame, bc.threshold)]
    widths = [c.width for c in columns]
    # Fitted to the page's width, the rates' 13 columns printed its 10-point text at 7 points (LibreOffice):
    # at the scale they fit, but never below 9 points, the columns past the page's edge on a page of their own.
    scale = max(math.ceil(100 * LEAST_PRINTED / BODY_SIZE), print_scale(widths, landscape=True))
    room = page_body(landscape=True)[0] * 100 / scale / WIDTH_SLACK
    last = max(1, int(np.searchsorted(np.cumsum([column_points(w) for w in widths]), room, side="right")) - 1)
    write_block(ws, 0, 0, last, report_title(bc, lang), formats["title"], 30)
    value_width = sum(widths[1:last + 1])
    r = 2
    for key, value in [*summary_lines(bc, lang), *next_summary_rows(bc, lang)]:
        # Each row as tall as its label's lines and its text's (18 points, wrapped, printed them over each other).
        ws.write_string(r, 0, key, formats["bold"])
        write_block(ws, r, 1, last, value, formats["cell"],
                    max(text_height(key, SCOPE_WIDTH, BODY_SIZE), text_height(value, value_width, BODY_SIZE)))
        r += 1
    r += 1
    r = _table(ws, r, columns, frame, formats, lang, confidence=bc.confidence)
    setup_print(ws, lang, header_row=0, landscape=True, freeze=False,
                running_title=running_title(bc, lang, "spot_sheet_summary"))
    ws.set_print_scale(scale)

    ws = book.add_worksheet(label("spot_sheet_households", lang))
    table = households_table(bc, lang)
    columns = [Column("spot_col_form", 27), Column("spot_seq", 6, "center"), Column("township", 9),
               Column("village", 9), Column("head_name", 9), Column("masked_id", 20, "center"),
               Column("csv_enumerator", 8), Column("spot_col_stratum", 8, "center"), Column("spot_col_weight", 7, "weight"),
               Column("spot_col_adjusted_weight", 8, "weight"),
               Column("spot_col_recorded_status", 22, "left_cell"), Column("spot_col_verified_status", 22, "left_cell"),
               Column("spot_col_outcome", 9, "center_wrap", marks), Column("spot_col_recorded_per_capita", 10, "money"),
               Column("spot_col_verified_per_capita", 10, "money"), Column("spot_col_fields_compared", 7, "int"),
               Column("spot_col_fields_differing", 7, "int"), Column("spot_col_differing_names", 30, "wrap"),
               Column("spot_f_verifier", 14, "left_cell"), Column("spot_f_verify_date", 11, "center"),
               Column("spot_f_verify_notes", 30, "wrap")]
    _table(ws, 0, columns, table.drop(columns=["not_found", "form_back"]), formats, lang, autofilter=True)
    # 20 columns: on one page they print at half size; on two across, the household's columns on each.
    setup_print(ws, lang, header_row=0, landscape=True, pages_wide=2, key_columns=5,
                running_title=running_title(bc, lang, "spot_sheet_households"))

    ws = book.add_worksheet(label("spot_sheet_fields", lang))
    table = comparisons_table(bc, lang)
    columns = [Column("spot_col_form", 20), Column("spot_seq", 6, "center"), Column("head_name", 10),
               Column("spot_col_field", 24), Column("spot_col_recorded", 12, "money"),
               Column("spot_col_verified", 12, "money"), Column("spot_col_difference", 12, "money"),
               Column("spot_col_differs", 8, "center", marks)]
    _table(ws, 0, columns, table, formats, lang, autofilter=True)
    # A count of people in the money columns: shown whole, by one rule on the field's name (3, not 3.00).
    counts = [field_name(f, lang) for f in COUNT_FIELDS]
    if len(table) and table["spot_col_field"].isin(counts).any():
        keys = [c.key for c in columns]
        field_col = xl_col_to_name(keys.index("spot_col_field"))
        rule = "OR(" + ",".join(f'${field_col}2="{name}"' for name in counts) + ")"
        ws.conditional_format(1, keys.index("spot_col_recorded"), len(table), keys.index("spot_col_difference"),
                              {"type": "formula", "criteria": f"={rule}",
                               "format": book.add_format({"num_format": "0_ "})})
    setup_print(ws, lang, header_row=0, landscape=False, running_title=running_title(bc, lang, "spot_sheet_fields"))

    ws = book.add_worksheet(label("spot_sheet_villages_result", lang))
    table = shown_places(wide_rates(bc, "village", ["township", "village"]), lang)
    frame = pd.concat([table[["township", "village"]], _rate_cells(table, lang, bc.some_fields, bc.threshold)], axis=1)
    _table(ws, 0, [Column("township", 10), Column("village", 10),
                   *_rate_columns(lang, bc.some_fields, frame, bc.threshold)], frame,
           formats, lang, autofilter=True, confidence=bc.confidence)
    setup_print(ws, lang, header_row=0, landscape=True,
                running_title=running_title(bc, lang, "spot_sheet_villages_result"))

    ws = book.add_worksheet(label("spot_sheet_enumerators", lang))
    table = outliers_table(bc, lang)
    title = running_title(bc, lang, "spot_sheet_enumerators")
    if table.empty:
        # Only why nobody's rates are compared, in one column of a portrait page's width: merged over
        # nine columns of the default width, with no page setup, it ran off the page's right edge and
        # its last column printed alone on a second page.
        note = label(f"spot_enumerator_from_{bc.enumerator_key}", lang)
        ws.set_column(0, 0, NOTE_WIDTH)
        write_block(ws, 0, 0, 0, note, formats["cell"], max(30.0, text_height(note, NOTE_WIDTH, BODY_SIZE)))
        setup_print(ws, lang, header_row=0, landscape=False, freeze=False, running_title=title)
    else:
        columns = [Column("csv_enumerator", 10), Column("spot_col_households", 7, "int"),
                   Column("spot_col_status_errors", 7, "int"), Column("spot_col_status_p", 9, "center"),
                   Column("spot_col_fields_households", 9, "int"), Column("spot_col_others_fields", 9, "center"),
                   Column("spot_col_fields_p", 9, "center"), Column("spot_col_follow_up", 8, "center", marks),
                   *_rate_columns(lang, bc.some_fields, table, bc.threshold)]
        # The note explains the tests' columns and stays above them, on the first page: the sheet
        # prints two pages across, and a note merged over all 20 columns was cut in two at the page's
        # edge. Not over column A either, which the second page repeats (a stub of the note there).
        tests = columns[1:8]
        note = label("spot_enumerators_note", lang, alpha=pct_short(bc.alpha))
        write_block(ws, 0, 1, len(tests), note, formats["subtitle"], text_height(note, sum(c.width for c in tests), 10))
        _table(ws, 1, columns, table, formats, lang, autofilter=True, confidence=bc.confidence)
        setup_print(ws, lang, header_row=1, landscape=True, pages_wide=2, key_columns=1, running_title=title)

    book.close()


# ---------------------------------------------------------------------------------------------
# report.html


def _template():
    return page_template("backcheck.html.j2")


def _html_rates(table: pd.DataFrame, name_keys: list[str], lang: Lang, threshold: float | None = None) -> list[dict]:
    rows = []
    for r in table.to_dict(orient="records"):
        cells = []
        for rate in RATE_ORDER:
            est = r.get(f"{rate}_estimate")
            if est is None or pd.isna(est):
                cells.append({"text": "—", "interval": "", "count": "", "level": ""})
                continue
            level = "firm" if r[f"{rate}_firm"] else ("above" if r[f"{rate}_above"] else "")
            words = mark_words(r[f"{rate}_above"], r[f"{rate}_firm"], r[f"{rate}_too_few"], lang,
                               counted=r[f"{rate}_counted"])
            cells.append({"text": f"{pct(est, threshold)} {words}" if words else pct(est, threshold),
                          "interval": interval_words(r[f"{rate}_lower"], r[f"{rate}_upper"], lang, threshold),
                          "count": f"{int(r[f'{rate}_errors'])}/{int(r[f'{rate}_n'])}", "level": level,
                          "whole_stratum": r.get(f"{rate}_whole_stratum")})
        rows.append({"names": [r[k] for k in name_keys], "cells": cells})
    return rows


def render_html(bc: Backcheck, lang: Lang) -> str:
    def L(key: str, **params) -> str:  # noqa: N802 — short in the template
        if key == "spot_col_interval":  # the template names no confidence: the one the intervals have
            params.setdefault("confidence", pct_short(bc.confidence))
        return label(key, lang, **params)

    county = _html_rates(wide_rates(bc, "overall", []), [], lang, bc.threshold)
    # The county's cards say, as the terminal does, which households were counted whole where only some were.
    cards = [{**c, "interval": L("spot_interval_partly", interval=c["interval"], stratum=L(f"spot_stratum_{c['whole_stratum']}"))}
             if isinstance(c.get("whole_stratum"), str) else c for c in county[0]["cells"]] if county else []
    h = households_table(bc, lang)
    wrong = h[h["spot_col_outcome"].isin([L("spot_outcome_wrongly_listed"), L("spot_outcome_wrongly_unlisted"),
                                          L("spot_outcome_other_status_wrong")])]
    # not verified: those not found first, then those with a note, then the rest, then those of a form
    # not handed back (under "乡镇-村.xlsx(未交回)": who to chase the form for), each in place order
    absent = h[h["spot_col_outcome"].eq(L("spot_outcome_not_verified"))]
    order = np.select([absent["not_found"], absent["spot_f_verify_notes"].ne(""), absent["form_back"]], [0, 1, 2], 3)
    absent = absent.assign(spot_seq=absent["spot_seq"].astype("Int64").astype("string").fillna(""), _o=order) \
        .sort_values("_o", kind="stable")
    outliers = bc.outliers if bc.outliers is not None and not bc.outliers.empty else pd.DataFrame()
    flagged = []
    if len(outliers):
        for r in outliers[outliers["flagged"]].to_dict(orient="records"):
            flagged.append(L("spot_flagged_line", enumerator=r["enumerator"], n=int(r["status_n"]),
                             status=int(r["status_errors"]), fields=int(r["fields_errors"]),
                             p=p_relation(np.fmin(r["status_adjusted_p_value"], r["fields_adjusted_p_value"]))))
    steps, next_table, _ = next_steps(bc, lang)
    return _template().render(
        next_steps=steps, next_rows=next_table.to_dict(orient="records"),
        L=L, html_lang="zh-CN" if lang == "zh" else "en", version=__version__, title=report_title(bc, lang),
        summary=summary_lines(bc, lang, rates_notes=False), county={**county[0], "cells": cards} if county else None,
        coverage=coverage_words(bc, lang),
        # What the rates are of, in the lead: the one paragraph above the rates' cards.
        rates_notes=[note.render(lang) for note in bc.notes if note.key in RATES_NOTES]
        + ([within_tolerance_words(bc, lang)] if within_tolerance_words(bc, lang) else []),
        rate_names=[rate_name(bc, r, lang) for r in RATE_ORDER],
        townships=[{**row, "names": [L("spot_scope_county")]} for row in county]
        + _html_rates(shown_places(wide_rates(bc, "township", ["township"]), lang), ["township"], lang, bc.threshold),
        villages=_html_rates(shown_places(wide_rates(bc, "village", ["township", "village"]), lang),
                             ["township", "village"], lang, bc.threshold),
        enumerators=_html_rates(wide_rates(bc, "enumerator", ["enumerator"]), ["enumerator"], lang, bc.threshold),
        enumerator_source=L(f"spot_enumerator_from_{bc.enumerator_key}"),
        flagged=flagged, wrong=wrong.to_dict(orient="records"), threshold=pct_short(bc.threshold),
        not_verified=absent.to_dict(orient="records"), not_found=not_found_lines(bc, lang),
        verified=bc.verified, drawn=bc.drawn, alpha=pct_short(bc.alpha),
    )


def write_html(bc: Backcheck, path: Path, lang: Lang) -> None:
    Path(path).write_text(render_html(bc, lang), encoding="utf-8")


def villages_above(bc: Backcheck, lang: Lang) -> str:
    """'5 个村有比率超过 2%(其中标“超过(样本太少)”的 5 个):…': the villages with a rate above the
    threshold, and how many of them 分村 marks 确定超过 or 超过(样本太少) (a village's strongest mark);
    "" where none is above."""
    table = wide_rates(bc, "village", ["township", "village"])
    if table.empty:
        return ""
    above = table[[f"{r}_above" for r in RATE_ORDER]].any(axis=1)
    if not above.any():
        return ""
    firm = table[[f"{r}_firm" for r in RATE_ORDER]].any(axis=1)
    too_few = table[[f"{r}_too_few" for r in RATE_ORDER]].any(axis=1) & ~firm
    counted = table[[f"{r}_counted" for r in RATE_ORDER]].any(axis=1) & ~firm & ~too_few
    counts = [("spot_mark_firm", int((above & firm).sum())), ("spot_mark_too_few", int((above & too_few).sum())),
              ("spot_mark_counted", int((above & counted).sum())),
              ("spot_mark_above", int((above & ~firm & ~too_few & ~counted).sum()))]
    marks = label("list_sep", lang).join(label("spot_term_villages_mark", lang, mark=label(key, lang), count=n)
                                         for key, n in counts if n)
    plain = counts[0][1] + counts[1][1] + counts[2][1] == 0  # all marked 超过: nothing to tell apart
    return label("spot_term_villages_above", lang, count=int(above.sum()), threshold=pct_short(bc.threshold),
                 marks="" if plain else label("spot_term_villages_marks", lang, marks=marks))


def terminal_lines(bc: Backcheck, lang: Lang) -> list[tuple[str, str]]:
    """(text, style) lines for the terminal: the county's rates, each township's, who to follow up."""
    lines = [(label("spot_term_verified", lang, verified=bc.verified, drawn=bc.drawn, forms=len(bc.forms)), "bold")]
    if len(bc.forms_missing):
        lines.append((label("spot_forms_missing_text", lang, count=len(bc.forms_missing),
                            villages=missing_villages_words(bc, lang), forms=len(bc.forms)), "bold yellow"))
    if coverage_words(bc, lang):
        lines.append((coverage_words(bc, lang), "bold yellow"))
    for kind in ("not_found", "gone"):
        count = not_found_count(bc, kind)
        if count:
            lines.append((label(f"spot_term_{kind}", lang, count=count), "bold red"))
            lines += [("  " + line, "red") for line in not_found_lines(bc, lang, NOT_FOUND_SHOWN, kind)]
            if count > NOT_FOUND_SHOWN:
                lines.append(("  " + label("spot_not_found_more", lang, count=count - NOT_FOUND_SHOWN), "red"))
    not_met = not_met_count(bc)
    if not_met:
        lines.append((label("spot_term_not_met", lang, count=not_met, counts=not_met_counts(bc, lang)), "bold yellow"))
        lines += [("  " + line, "yellow") for line in not_met_lines(bc, lang, NOT_FOUND_SHOWN)]
        if not_met > NOT_FOUND_SHOWN:
            lines.append(("  " + label("spot_not_found_more", lang, count=not_met - NOT_FOUND_SHOWN), "yellow"))
    lines += [(note.render(lang), "yellow") for note in bc.notes if note.key in RATES_NOTES]
    for rate in RATE_ORDER:
        row = bc.overall(rate)
        words = rate_words(row, lang, bc.threshold, bc.confidence)
        if words == "—":  # on the terminal, say why there is no rate
            words = label(f"spot_rate_none_{rate}", lang)
        text = label("spot_term_rate", lang, rate=rate_name(bc, rate, lang), words=words)
        flag = mark(row, lang)
        lines.append((text + (f"  ▲ {flag}" if flag else ""), "red" if flag else ""))
    if within_tolerance_words(bc, lang):
        lines.append((within_tolerance_words(bc, lang), "yellow"))
    lines.append((label("spot_term_tolerance", lang, words=bc.tolerance.words(lang)), "dim"))
    towns = bc.rates[bc.rates["level"] == "township"]
    for township in wide_rates(bc, "township", ["township"])["township"]:
        parts = []
        for rate in RATE_ORDER:
            row = towns[(towns["township"] == township) & (towns["rate"] == rate)]
            row = row.iloc[0] if len(row) else None
            value = (pct(row["estimate"], bc.threshold) if row is not None else "") or "—"
            flag = mark(row, lang)  # the words 汇总 marks it with, not ▲ alone
            parts.append(f"{rate_name(bc, rate, lang, short=True)} {value}" + (f" ▲ {flag}" if flag else ""))
        lines.append((label("spot_term_township", lang, township=place_name(township, lang, "unknown_township"),
                            rates=label("list_sep_wide", lang).join(parts)), ""))
    villages = villages_above(bc, lang)
    if villages:
        lines.append((villages, "yellow"))
    lines.append((label(f"spot_enumerator_from_{bc.enumerator_key}", lang), "dim"))
    o = bc.outliers
    if o is not None and not o.empty:
        flagged = o[o["flagged"]]
        if len(flagged):
            lines.append((label("spot_term_flagged", lang, count=len(flagged)), "bold red"))
            for r in flagged.to_dict(orient="records"):
                # On the terminal in words a clerk acts on; the test's figure is the report's.
                lines.append(("  " + label("spot_term_flagged_line", lang, enumerator=r["enumerator"],
                                           n=int(r["status_n"]), status=int(r["status_errors"]),
                                           fields=int(r["fields_errors"])), "red"))
        elif (o["status_n"].fillna(0) > 0).any():
            lines.append((label("spot_term_none_flagged", lang, count=int((o["status_n"].fillna(0) > 0).sum()),
                                alpha=pct_short(bc.alpha)), ""))
    for note in bc.notes:
        if note.key not in RATES_NOTES:
            lines.append((note.render(lang), "yellow"))
    # Last, what the county does with all this (the lists in backcheck.xlsx's 处理建议)
    steps, table, _ = next_steps(bc, lang)
    if table.empty:
        lines.append((label("spot_next_nothing_line", lang, text=steps[0]), "bold"))
    else:
        lines += [(label("spot_next_heading", lang), "bold"), *(("  " + step, "") for step in steps)]
    return lines


def terminal_names(bc: Backcheck, lang: Lang) -> list[str]:
    """The names the terminal's lines may hold (places, enumerators, files), for wrapping them whole."""
    h = bc.households
    names = [place_name(t, lang, "unknown_township") for t in h["township"].fillna("").astype(str).unique()]
    names += [str(v) for v in h["village"].dropna().unique()]
    names += [str(e) for e in h["enumerator"].dropna().unique()] if "enumerator" in h.columns else []
    # A mark is one word: 「超过(样本太少)」 after a rate's longer words was cut before its bracket.
    marks = [f"▲ {label(key, lang)}" for key in ("spot_mark_counted", "spot_mark_too_few", "spot_mark_firm")]
    return [*names, *bc.forms, *bc.surveys_missing, *bc.surveys_found_in, str(bc.source.path),
            *next_steps(bc, lang)[2], *marks]


PLACE_PARAMS = ("sheet", "cell", "other_sheet", "other_cell")


def refusal_names(error) -> list[str]:
    """The sheet names and cell references inside a refusal's message (a Phrase's params, however deep:
    the problems' places), for the terminal to wrap whole: 「入户核查表 (2)」 is one name, not two words."""
    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "params") and isinstance(value.params, dict):
            for key, param in value.params.items():
                if key in PLACE_PARAMS and isinstance(param, str):
                    found.append(param)
                else:
                    walk(param)

    walk(error)
    return list(dict.fromkeys(n for n in found if n))


__all__ = ["write_xlsx", "write_html", "terminal_lines", "terminal_names", "refusal_names", "XLSX", "HTML"]


# ---------------------------------------------------------------------------------------------
# The job


def expand_forms(paths) -> list[Path]:
    """The forms given, each file once: files as they are, a folder as the workbooks in it and in its
    subfolders at any depth (a clerk files them by township) — every kind a form given by its path is
    read as (.xlsx, .xlsm, .xls, .ods: a form saved again by WPS or LibreOffice), Excel's ~$ lock files
    and hidden files and folders left out — in name order, a folder's own files before its subfolders'."""
    from ..inputs import WORKBOOK_SUFFIXES

    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))  # walked in this order
                found += [Path(folder) / n for n in sorted(names) if Path(n).suffix.lower() in WORKBOOK_SUFFIXES
                          and not n.startswith(("~$", "."))]
        else:
            found.append(path)
    # The same file reached twice (a folder given twice, a form and its folder) is one form.
    seen: set[Path] = set()
    once = []
    for path in found:
        where = path.resolve() if path.exists() else path
        if where not in seen:
            seen.add(where)
            once.append(path)
    return once


def default_name(source: Path) -> str:
    source = Path(source)
    if source.is_dir():
        return source.name
    if source.name == "decisions.csv":
        return source.parent.name or source.stem
    return source.stem


def _given(value):
    """An option as run_backcheck took it, as JSON keeps it (paths as given, a tolerance's parts)."""
    if isinstance(value, (list, tuple)):
        return [_given(v) for v in value]
    if isinstance(value, Tolerance):
        return {"share": value.share, "fen": value.fen}
    if isinstance(value, (dt.date, Path)):  # a library caller's today=, a path: as JSON keeps text
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def backcheck_record(bc: Backcheck, forms: list[Path], options: dict, lang: Lang, started: str,
                     folder: Path) -> dict:
    """backcheck.json: what was compared with what (the source and each form given, with SHA-256), the
    sample, the rule set and the options, and every file written into `folder` with its SHA-256: the
    record that makes the folder edgescreen's (--force replaces it by this list, outputs/folder.py)."""
    from ..inputs import file_sha256
    from ..outputs.manifest import output_files

    source = bc.source
    loaded = bc.rules.loaded
    return {
        "tool": "edgescreen", "version": __version__, "kind": "backcheck",
        "source": {"kind": source.kind, "path": str(source.path), "file": source.path.name, "sha256": source.sha256,
                   "register_id": source.register_id, "round": source.round},
        "sample_id": bc.facts.get("sample_id"),
        "forms": [{"file": p.name, "path": str(p), "sha256": file_sha256(p)} for p in forms],
        "rules": {"id": loaded.rules.id, "path": str(loaded.path), "sha256": loaded.sha256, "year": bc.rules.year,
                  "agreement": bc.rules.agreement},
        "options": {**{k: _given(v) for k, v in options.items()}, "lang": lang},
        "started": started,
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "outputs": output_files(folder),
    }


def backcheck_into(source: str | Path, forms, out_dir: str | Path | None = None, *, lang: Lang = "zh",
                   force: bool = False, **options):
    """Compare the filled forms with the source (backcheck.run_backcheck) and write backcheck.xlsx,
    report.html and, last, their record backcheck.json into `out_dir` (default `<source>-核查结果`),
    whole or not at all. Returns (the Backcheck, the folder). An existing folder is replaced with
    `force` only where it is backcheck's own: its record lists every file in it, or (an earlier
    version's, which wrote no record) it holds just backcheck.xlsx and report.html."""
    from ..outputs.folder import check_target, staged_folder
    from ..outputs.manifest import write_json
    from .backcheck import run_backcheck

    started = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    paths = expand_forms(forms)
    target = Path(out_dir) if out_dir is not None else Path.cwd() / label("spot_backcheck_folder", lang,
                                                                          name=default_name(Path(source)))
    inputs = [Path(source), *paths]

    def check() -> None:
        check_target(target, inputs, force, unrecorded=UNRECORDED)

    check()
    result = run_backcheck(source, paths, given=[Path(f) for f in forms], **options)
    with staged_folder(target, check) as staging:
        write_xlsx(result, staging / XLSX, lang)
        write_html(result, staging / HTML, lang)
        # Last: a run killed before this leaves no record of files it did not write.
        write_json(backcheck_record(result, paths, options, lang, started, staging), staging / RECORD)
    return result, target
