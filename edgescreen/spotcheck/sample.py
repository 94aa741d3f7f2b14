"""`edgescreen sample`: the spot-check sample drawn from a ledger or a register, written as a folder.

    from edgescreen.spotcheck.sample import sample_into
    done = sample_into("农安县-edgescreen/", "抽查/", seed=20191205)

The folder (it appears whole or not at all):

- `sample.csv` — the households drawn: which form and page, the ledger's identifying columns
  (source_file, sheet, row, township, village, household_id, head; the register's household key),
  the stratum each was drawn from, its stratum's size and sample size, the village's and the
  household's inclusion probability and the weight (Chinese headers under zh, as the ledger has);
- `入户核查表/乡镇-村.xlsx` — per village the blind verification form (forms.py);
- `抽样设计.xlsx` — the design: how it was drawn (seed, options, the formulas), every village with
  its probability, every stratum with N_h, n_h and the probabilities;
- `sample.json` — the seed (drawn from the OS when none was given), the options, the source's file
  name and SHA-256, and the SHA-256 of every file written.

A seed given by hand that could be guessed (date-shaped, or under 12 digits: design.guessable_seed) is
warned of on the terminal, in 抽样设计.xlsx and in sample.json (`seed_guessable`); it still draws. From a
register, the candidates the procedure has taken off the list are set apart, in neither stratum
(source.off_list), and said; the forms carry how many (`off_list`), so backcheck sets apart the same.
Survey rows the round did not record (a head's ID on two rows: the register keeps one household) are
in no stratum either: counted and named (source.not_recorded), on the terminal, in 抽样设计.xlsx and in
sample.json (`not_recorded`).

`only=["朝阳乡-三合村", "米沙子镇"]` draws from those villages alone (乡镇-村 as the forms' file names and
backcheck's 分村 name them, or a township: all its villages): they are the population, every other
option sizes their samples as it would the county's, and the rates backcheck gives are theirs. Said on
the terminal, in 抽样设计.xlsx and in sample.json (`only`, and the options' `only`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..catalogue import Lang, Phrase, label
from ..errors import InputError
from ..money import fen_text
from ..outputs.folder import check_target, staged_folder
from ..outputs.ledger import csv_headers, write_csv
from ..outputs.manifest import output_files, write_json
from ..outputs.places import place_name
from ..outputs.xlsx import (TITLE_SIZE, Column, cell_formats, new_workbook, setup_print, text_height, wrapped_heights,
                            write_block, write_table, write_title)
from .design import (LISTED, UNLISTED, SampleDesign, SpotCheckError, draw_sample, guessable_seed, new_seed,
                     uncovered)
from .forms import (SEQ, STRATA_COLUMNS, VillageForm, form_file_names, printed_pages, sample_facts, uncovered_places,
                    write_form)
from .source import (Source, is_register, load_source, not_recorded_phrase, off_list_steps, register_rounds,
                     rounds_words)

SAMPLE_CSV = "sample.csv"
SAMPLE_JSON = "sample.json"
CSV_COLUMNS = ["form", "seq", "source_file", "sheet", "row", "household", "township", "village", "household_id",
               "head_name", "head_id", "enumerator", "stratum", "stratum_size", "sample_size",
               "village_inclusion_probability", "inclusion_probability", "weight"]


@dataclass
class SampleOutcome:
    """What `sample_into` drew and where it wrote it."""

    folder: Path
    seed: int
    seed_from_os: bool
    sample_id: str
    design: SampleDesign
    source: Source
    forms: int
    seed_guessable: str | None = None   # design.guessable_seed's reason for a seed given by hand
    only: list[tuple[str, str]] | None = None   # the villages --only limited the draw to, in place order

    @property
    def households(self) -> int:
        return len(self.design.households)

    @property
    def listed(self) -> int:
        return int(self.design.households["stratum"].eq(LISTED).sum())


def _options(design: SampleDesign) -> dict:
    o = design.options
    return {"mode": o.mode, "villages_per_township": o.villages_per_township, "listed_rate": o.listed_rate,
            "unlisted_rate": o.unlisted_rate, "village_cap": o.village_cap, "margin": o.margin,
            "confidence": o.confidence, "expected_rate": o.expected_rate}


def _strata(design: SampleDesign) -> pd.DataFrame:
    """Every stratum of a sampled village with M_t and K_t beside it: what the forms carry."""
    villages = design.villages[["township", "village", "villages_in_township", "villages_sampled"]]
    return design.strata.merge(villages, on=["township", "village"], how="left")[STRATA_COLUMNS]


def fingerprint(design: SampleDesign) -> str:
    """SHA-256 of who was drawn from which stratum and the strata's sizes: the same households
    drawn the same way give the same fingerprint, whatever file held them."""
    h = design.households
    lines = sorted(f"{k}\x1f{s}" for k, s in zip(h.index.astype(str), h["stratum"]))
    strata = _strata(design)
    lines += [("\x1f".join(str(v) for v in row)) for row in strata.itertuples(index=False)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _drawn(source: Source, design: SampleDesign) -> pd.DataFrame:
    """The drawn households with their identity, in the source's order within each village (so
    neither a page's number nor its place tells a listed household from another), numbered per
    village from 1."""
    h = design.households
    position = pd.Series(np.arange(len(source.households)), index=source.households.index)
    out = source.households.loc[h.index].join(h.drop(columns=["township", "village"]))
    out["_pos"] = position.loc[h.index].to_numpy()
    order = {key: i for i, key in enumerate(source.villages)}
    out["_village"] = [order[(t, v)] for t, v in zip(out["township"].fillna("").astype(str),
                                                     out["village"].fillna("").astype(str))]
    out = out.sort_values(["_village", "_pos"], kind="stable")
    out[SEQ] = out.groupby("_village").cumcount() + 1
    return out.drop(columns=["_pos", "_village"])


def _csv_frame(drawn: pd.DataFrame, source: Source, forms: dict, lang: Lang) -> tuple[pd.DataFrame, list[str]]:
    out = pd.DataFrame({
        "form": [forms[(t, v)] for t, v in zip(drawn["township"].fillna(""), drawn["village"].fillna(""))],
        "seq": drawn[SEQ].to_numpy(), "source_file": drawn["source_file"].to_numpy(),
        "sheet": drawn["sheet"].fillna("").to_numpy(), "row": drawn["row"].to_numpy(),
        "household": drawn.index.to_numpy() if source.kind == "register" else None,
        "township": drawn["township"].to_numpy(), "village": drawn["village"].to_numpy(),
        "household_id": drawn["household_id"].fillna("").to_numpy(), "head_name": drawn["head_name"].to_numpy(),
        "head_id": drawn["head_id"].to_numpy(), "enumerator": drawn["enumerator"].fillna("").to_numpy(),
        "stratum": drawn["stratum"].map({s: label(f"spot_stratum_{s}", lang) for s in ("listed", "unlisted")})
        .to_numpy() if lang == "zh" else drawn["stratum"].to_numpy(),
        "stratum_size": drawn["stratum_size"].to_numpy(), "sample_size": drawn["sample_size"].to_numpy(),
        "village_inclusion_probability": drawn["village_inclusion_probability"].round(6).to_numpy(),
        "inclusion_probability": drawn["inclusion_probability"].round(6).to_numpy(),
        "weight": drawn["weight"].round(6).to_numpy(),
    })
    columns = [c for c in CSV_COLUMNS if not (c == "household" and source.kind != "register")
               and not (c == "enumerator" and not source.has_enumerator)]
    return out[columns], csv_headers(columns, lang)


# --only's words: a list split at commas (, , 、 ;), a dash typed as any dash, spaces left out.
_ONLY_SEP = re.compile(r"[,、;]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63]")


def _place_word(text: str) -> str:
    """A place's name as --only matches it: NFKC (a full-width , or - typed on a Chinese keyboard), every
    kind of dash a '-', no spaces."""
    return _DASHES.sub("-", re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))


def place_words(places: Sequence[tuple[str, str]], lang: Lang) -> list[str]:
    """'朝阳乡-三合村' of each (township, village): as the forms' file names and backcheck's 分村 name
    them, a blank name as the lists show it."""
    return [f"{place_name(t, lang, 'unknown_township')}-{place_name(v, lang, 'unknown_village')}" for t, v in places]


def only_places(source: Source, given: Sequence[str], lang: Lang) -> list[tuple[str, str]]:
    """The villages --only names (`given`: each a 乡镇-村, or a township for all its villages, or a comma
    list of them), each once, in the source's place order. Refuses every name the source does not hold
    at once, each with the names it holds nearest to it (a character typed off, a village named without
    its township)."""
    typed = list(dict.fromkeys(w for g in given for w in map(_place_word, _ONLY_SEP.split(unicodedata.normalize("NFKC", g))) if w))
    keys = source.villages
    example = place_words(keys[:1], lang)[0] if keys else ""
    if not typed:
        raise SpotCheckError("spot_only_empty", example=example)
    names = [_place_word(n) for n in place_words(keys, lang)]
    towns = [_place_word(place_name(t, lang, "unknown_township")) for t, _ in keys]
    villages = [_place_word(place_name(v, lang, "unknown_village")) for _, v in keys]
    chosen: set[tuple[str, str]] = set()
    unknown = []
    for word in typed:  # a few names against the villages: no household is looked at
        hit = {k for k, n, t in zip(keys, names, towns) if word in (n, t)}
        if not hit:
            # 三合村 alone: the 乡镇-村 of every village so named; then the names a character or two away.
            like = [n for n, v in zip(names, villages) if v == word]
            like += difflib.get_close_matches(word, list(dict.fromkeys(names + towns)), n=3, cutoff=0.5)
            like = list(dict.fromkeys(like))[:5]
            unknown.append(Phrase("spot_only_unknown_like", name=word, like=like) if like
                           else Phrase("spot_only_unknown_plain", name=word))
        chosen |= hit
    if unknown:
        raise SpotCheckError("spot_only_unknown", count=len(unknown), names=unknown, villages=len(keys),
                             example=example)
    return [k for k in keys if k in chosen]


def in_places(households: pd.DataFrame, places: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The households of `places` (township, village; a blank name as "")."""
    at = pd.MultiIndex.from_arrays([households["township"].fillna("").astype(str),
                                    households["village"].fillna("").astype(str)])
    return households[at.isin(list(places))]


def only_text(places: Sequence[tuple[str, str]] | None, of: int, lang: Lang) -> str:
    """That the sample was drawn from the villages --only named alone, which, and what its rates then
    speak for; "" when it was drawn from every village."""
    if not places:
        return ""
    return label("spot_sample_only", lang, count=len(places), of=of,
                 names=label("list_sep", lang).join(place_words(places, lang)))


def empty_side_text(design: SampleDesign, lang: Lang) -> str:
    """Where the sample has no listed household at all (the county listed none) or no other one, which
    rate cannot be estimated, said when it is drawn, not first at the backcheck; "" otherwise."""
    listed = int(design.households["stratum"].eq(LISTED).sum())
    others = len(design.households) - listed
    if listed and others:
        return ""
    # A side left out by its rate (--unlisted-rate 0: backcheck's follow-up of 错评 draws the candidates
    # only) is no county that listed every household.
    options = design.options
    if not listed:
        return label("spot_no_listed_by_rate" if options.margin is None and options.listed_rate == 0
                     else "spot_no_listed_drawn", lang)
    return label("spot_no_unlisted_by_rate" if options.margin is None and options.unlisted_rate == 0
                 else "spot_no_unlisted_drawn", lang)


def not_drawn_text(design: SampleDesign, lang: Lang) -> str:
    """The strata of the sampled villages given n_h = 0 (precision mode's proportional allocation can),
    their households, the villages with none drawn at all, and that the rates will not cover them;
    "" when every stratum has a household drawn."""
    s = design.strata
    zero = s["sample_size"].fillna(0).astype(int).eq(0)
    if not zero.any():
        return ""
    table = uncovered(s)
    listed = s["stratum"].eq(LISTED)
    size = s["stratum_size"].astype(int)
    whole = table[table["whole"].astype(bool)]
    empty = label("spot_not_drawn_whole", lang, villages=len(whole), names=label("list_sep", lang).join(
        label("spot_village_name", lang, township=place_name(t, lang, "unknown_township"),
              village=place_name(v, lang, "unknown_village")) for t, v in zip(whole["township"], whole["village"]))) \
        if len(whole) else ""
    return label("spot_not_drawn_text", lang, strata=int(zero.sum()), listed_strata=int((zero & listed).sum()),
                 unlisted_strata=int((zero & ~listed).sum()), households=int(size[zero].sum()),
                 listed=int(size[zero & listed].sum()), unlisted=int(size[zero & ~listed].sum()),
                 places=uncovered_places(table, lang), empty=empty,
                 advice=label(f"spot_not_drawn_{design.options.mode}", lang))


def villages_drawn_from(design: SampleDesign) -> int:
    """The villages with a household drawn: a village drawn whose strata were all given n = 0 prints
    no form and is no village of the sample's (not_drawn_text names it)."""
    v = drawn_per_village(design)
    return int((v["sampled"].astype(bool) & (v["listed_drawn"] + v["unlisted_drawn"]).gt(0)).sum())


def drawn_per_village(design: SampleDesign) -> pd.DataFrame:
    """The villages table with n drawn of each stratum beside N (0 where none was: shown, not dropped)."""
    s = design.strata
    n = s.pivot_table(index=["township", "village"], columns="stratum", values="sample_size", aggfunc="sum")
    n = n.reindex(columns=[LISTED, UNLISTED]).fillna(0).astype(int)
    v = design.villages
    at = pd.MultiIndex.from_frame(v[["township", "village"]])
    drawn = n.reindex(at).fillna(0).astype(int)
    return v.assign(listed_drawn=drawn[LISTED].to_numpy(), unlisted_drawn=drawn[UNLISTED].to_numpy())


# ---------------------------------------------------------------------------------------------
# The design workbook


def source_words(outcome: dict, lang: Lang) -> str:
    """What the sample was drawn from: the path as given, and a register's round (its year and date)."""
    if outcome.get("round") is None:
        return outcome["source"]
    return label("spot_about_source_round", lang, source=outcome["source"], round=outcome["round"],
                 year=outcome["year"], date=outcome["date"])


def rules_record(source: Source) -> dict | None:
    """sample.json's "rules": the rule set and bounds the source's screen decided by, as it recorded them
    (source.rules: run.json's, or the register's round), the bounds in yuan as text; None where nothing
    was recorded (a run.json of an older version)."""
    r = source.rules or {}
    if not r.get("id"):
        return None
    path = str(r.get("path") or "")
    return {"id": r["id"], "file": Path(path).name if path else None, "path": path or None, "sha256": r.get("sha256"),
            "year": r.get("year"), "lower": fen_text(r.get("lower_fen")), "upper": fen_text(r.get("upper_fen"))}


def rules_heading(source: Source, lang: Lang) -> str:
    """抽样设计.xlsx's head line: a register's round and its rule set as `register status` heads it, a
    ledger's as screen said it (views.rules_line); "" where the source recorded no bounds."""
    from ..register.views import round_rules_line, rules_line

    r = source.rules or {}
    if not r.get("id") or r.get("upper_fen") is None or source.income_year is None:
        return ""
    if source.round is not None:
        return round_rules_line({"id": source.round, "round_date": source.date, "rules_id": r["id"],
                                 "rules_file": r.get("path"), "rules_text": r.get("text"), "year": source.income_year,
                                 "lower_fen": r.get("lower_fen"), "upper_fen": r["upper_fen"]}, lang)
    return rules_line(r["id"], r.get("path"), r.get("text"), source.income_year, r.get("lower_fen"), r["upper_fen"], lang)


def _about_lines(design: SampleDesign, outcome: dict, lang: Lang) -> list[tuple[str, str]]:
    o = design.options
    lines = [(label("spot_about_source", lang), source_words(outcome, lang)),
             (label("spot_about_sha", lang), outcome["sha256"]),
             (label("spot_about_seed", lang), label("spot_about_seed_os" if outcome["from_os"] else "spot_about_seed_given",
                                                    lang, seed=design.seed)),
             (label("spot_about_sample_id", lang), outcome["sample_id"])]
    if outcome.get("only"):
        lines.append((label("spot_about_only", lang), outcome["only"]))
    if o.villages_per_township is None:
        lines.append((label("spot_about_villages", lang), label("spot_about_villages_all", lang)))
    else:
        lines.append((label("spot_about_villages", lang), label("spot_about_villages_k", lang, k=o.villages_per_township)))
    if o.mode == "rates":
        cap = label("spot_about_no_cap", lang) if o.village_cap is None else str(o.village_cap)
        lines.append((label("spot_about_mode", lang), label("spot_about_rates", lang, listed=f"{o.listed_rate:.0%}",
                                                             unlisted=f"{o.unlisted_rate:.0%}", cap=cap)))
        lines.append((label("spot_about_formula", lang), label("spot_about_rates_formula", lang)))
    else:
        lines.append((label("spot_about_mode", lang), label("spot_about_precision", lang, margin=f"{o.margin:g}",
                                                             confidence=f"{o.confidence:g}", p=f"{o.expected_rate:g}")))
        lines.append((label("spot_about_formula", lang), label("spot_about_precision_formula", lang)))
        for stratum, size in (design.precision or {}).items():
            lines.append((label(f"spot_stratum_{stratum}", lang),
                          label("spot_about_precision_size", lang, population=size.population, z=f"{size.z:.4f}",
                                n0=f"{size.n0:.1f}", n=size.sample_size)))
    lines.append((label("spot_about_weights", lang), label("spot_about_weights_formula", lang)))
    v = design.villages
    h = design.households
    lines.append((label("spot_about_counts", lang), label(
        "spot_about_counts_text", lang, villages=villages_drawn_from(design), of=len(v),
        listed=int(h["stratum"].eq(LISTED).sum()), listed_of=int(v.loc[v["sampled"], "listed"].sum()),
        unlisted=int((~h["stratum"].eq(LISTED)).sum()), unlisted_of=int(v.loc[v["sampled"], "unlisted"].sum()))))
    gap = not_drawn_text(design, lang)
    if gap:
        lines.append((label("spot_about_not_drawn", lang), gap))
    if one_side := empty_side_text(design, lang):
        lines.append((label("spot_about_not_drawn", lang), one_side))
    if outcome.get("off_list"):
        lines.append((label("spot_about_off_list", lang), outcome["off_list"]))
    if outcome.get("not_recorded"):
        lines.append((label("spot_about_not_recorded", lang), outcome["not_recorded"]))
    if outcome.get("seed_guessable"):
        lines.append((label("spot_about_seed_warning", lang), outcome["seed_guessable"]))
    return lines


def set_apart_text(source: Source, lang: Lang) -> str:
    """That the candidates the procedure took off the list are in neither stratum, how many at which
    step; "" when none was taken off (or the source is a ledger)."""
    off = source.off_list
    if off is None or off.empty:
        return ""
    return Phrase("spot_sample_off_list", count=len(off), steps=off_list_steps(off)).render(lang)


def not_recorded_text(source: Source, lang: Lang) -> str:
    """That survey rows the register's round did not record (a head's ID on two rows: one household
    kept) are in no stratum, how many, and the households kept for them; "" when there are none."""
    if not source.not_recorded:
        return ""
    return not_recorded_phrase(source, "spot_sample_not_recorded").render(lang)


ABOUT_WIDTH = 70  # the 说明 sheet's text column: with its labels, an A4 portrait page at about 100 %
DESIGN_HEADER_ROW = 2  # 各村's and 各层's column headers, under the title and the line naming the sample


def _in_place_order(frame: pd.DataFrame, places: Sequence[tuple[str, str]] | None) -> pd.DataFrame:
    """A design table's rows in the source's place order (its villages as they first appear, as the
    forms, the register and backcheck list them), not the character order the draw sorts them in."""
    if not places:
        return frame
    order = {place: i for i, place in enumerate(places)}
    at = [order.get((str(t), str(v)), len(order)) for t, v in zip(frame["township"].fillna(""), frame["village"].fillna(""))]
    return frame.iloc[np.argsort(np.asarray(at, dtype=np.int64), kind="stable")]


def write_design(design: SampleDesign, path: Path, outcome: dict, lang: Lang,
                 places: Sequence[tuple[str, str]] | None = None) -> None:
    """抽样设计.xlsx: 说明 (how it was drawn), 各村 (villages), 各层 (strata)."""
    book = new_workbook(path)
    formats = cell_formats(book, lang)
    formats["prob"] = book.add_format({"font_name": formats.font["font_name"], "font_size": 11, "border": 1,
                                       "num_format": "0.0000_ ", "align": "right", "valign": "vcenter"})
    formats["weight"] = book.add_format({"font_name": formats.font["font_name"], "font_size": 11, "border": 1,
                                         "num_format": "0.00_ ", "align": "right", "valign": "vcenter"})
    ws = book.add_worksheet(label("spot_sheet_about", lang))
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, ABOUT_WIDTH)
    # Named as the other printed documents are: whose county, which income year, the day drawn — the
    # title on the first sheet, a running header on every printed page of each sheet.
    title = design_heading(outcome, lang)
    write_block(ws, 0, 0, 1, title, formats["title"], max(30, text_height(title, 18 + ABOUT_WIDTH, 16)))
    if outcome.get("rules"):  # under it, the rule set and bounds the households were decided by
        write_block(ws, 1, 0, 1, outcome["rules"], formats["subtitle"],
                    max(20, text_height(outcome["rules"], 18 + ABOUT_WIDTH, 10)))
    for r, (key, value) in enumerate(_about_lines(design, outcome, lang), start=2):
        ws.write_string(r, 0, key, formats["bold"])
        ws.write_string(r, 1, value, formats["cell"])
        ws.set_row(r, max(20, text_height(value, ABOUT_WIDTH)))
    setup_print(ws, lang, header_row=0, landscape=False, freeze=False, running_title=title)

    villages = _in_place_order(drawn_per_village(design), places)
    villages = villages.assign(sampled=villages["sampled"].map({True: label("spot_yes", lang),
                                                                False: label("spot_no", lang)}))
    _design_sheet(book, label("spot_sheet_villages", lang), villages, [
        ("township", Column("township", 12)), ("village", Column("village", 12)),
        ("listed", Column("spot_col_listed", 10, "int")), ("unlisted", Column("spot_col_unlisted", 10, "int")),

        ("villages_in_township", Column("spot_col_villages_in_township", 11, "int")),
        ("villages_sampled", Column("spot_col_villages_sampled", 11, "int")),
        ("village_inclusion_probability", Column("spot_col_village_probability", 12, "prob")),
        ("sampled", Column("spot_col_sampled", 9, "center")),
        ("listed_drawn", Column("spot_col_listed_drawn", 10, "int")),
        ("unlisted_drawn", Column("spot_col_unlisted_drawn", 10, "int"))], formats, lang, title,
        _table_heading("spot_design_villages_what", outcome, lang))

    strata = _in_place_order(design.strata, places)
    strata = strata.assign(stratum=strata["stratum"].map(
        {s: label(f"spot_stratum_{s}", lang) for s in ("listed", "unlisted")}))
    _design_sheet(book, label("spot_sheet_strata", lang), strata, [
        ("township", Column("township", 12)), ("village", Column("village", 12)),
        ("stratum", Column("spot_col_stratum", 10, "center")),
        ("stratum_size", Column("spot_col_stratum_size", 9, "int")),
        ("sample_size", Column("spot_col_sample_size", 9, "int")),
        ("village_inclusion_probability", Column("spot_col_village_probability", 11, "prob")),
        ("within_inclusion_probability", Column("spot_col_within_probability", 11, "prob")),
        ("inclusion_probability", Column("spot_col_inclusion_probability", 11, "prob")),
        ("weight", Column("spot_col_weight", 10, "weight"))], formats, lang, title,
        _table_heading("spot_design_strata_what", outcome, lang))
    book.close()


def design_heading(outcome: dict, lang: Lang) -> str:
    """抽样设计's title: 农安县抽查核实抽样设计(2019 年度收入,2026-12-05 抽取), the county and year where known."""
    county, year, day = outcome.get("county") or "", outcome.get("income_year"), outcome.get("created") or ""
    key = "spot_design_heading" if year else "spot_design_heading_no_year"
    return label(key, lang, county=county, year=year, day=day[:10]).strip()


def _table_heading(what: str, outcome: dict, lang: Lang) -> tuple[str, str]:
    """The title of 各村 or 各层 (`what`: the catalogue's words for what it lists), as design_heading's, and
    the line under it naming the sample (its id, what it was drawn from): a sheet printed on its own
    says what it is and whose."""
    county, year, day = outcome.get("county") or "", outcome.get("income_year"), outcome.get("created") or ""
    key = "spot_design_table_heading" if year else "spot_design_table_heading_no_year"
    title = label(key, lang, county=county, what=label(what, lang), year=year, day=day[:10]).strip()
    return title, label("spot_design_table_line", lang, sample_id=outcome["sample_id"],
                        source=source_words(outcome, lang))


def _design_sheet(book, name: str, frame: pd.DataFrame, columns: list[tuple[str, Column]], formats: dict,
                  lang: Lang, title: str, heading: tuple[str, str]) -> None:
    """A sheet of the design's table: its title and the line naming the sample (`heading`), then the
    table, each (column of `frame`, how it prints), filterable, its header repeated on every page."""
    ws = book.add_worksheet(name)
    table = frame.rename(columns={source: column.key for source, column in columns})
    columns = [column for _, column in columns]
    width, last = sum(c.width for c in columns), len(columns) - 1
    sheet_title, line = heading
    write_title(ws, 0, 0, last, sheet_title, formats["title"], width=width, font_size=TITLE_SIZE, least=30)
    write_block(ws, 1, 0, last, line, formats["subtitle"], max(20, text_height(line, width, 10)))
    # Rows as tall as a long township's or village's name wraps to: at the default height LibreOffice
    # drew 小城子满族朝鲜族乡 over the next row.
    write_table(ws, DESIGN_HEADER_ROW, columns, table, formats, lang, autofilter=True,
                heights=wrapped_heights(table, columns, 15))
    setup_print(ws, lang, header_row=DESIGN_HEADER_ROW, landscape=False, running_title=f"{title} · {name}")


# ---------------------------------------------------------------------------------------------
# The job


def held_round(path: str | Path, round_id: int) -> None:
    """Refuses `--round` where `path` is not a register, or a round the register does not hold (naming
    those it does)."""
    if not is_register(path):
        raise InputError("spot_round_not_register", path=str(path), round=round_id)
    rounds = register_rounds(path)
    if round_id not in set(rounds["id"]):
        raise InputError("spot_sample_no_round", path=str(path), round=round_id, rounds=rounds_words(rounds))


def sample_into(source_path: str | Path, out_dir: str | Path | None = None, *, seed: int | None = None,
                villages: int | None = None, listed_rate: float = 0.10, unlisted_rate: float = 0.20,
                cap: int | None = 200, margin: float | None = None, confidence: float = 0.95,
                expected_rate: float = 0.5, lang: Lang = "zh", force: bool = False,
                round_id: int | None = None, only: Sequence[str] | None = None) -> SampleOutcome:
    """Draw the sample from a screen's output folder, its decisions.csv or a register (its latest
    round, or `round_id`: an earlier year's) and write the folder (module docstring). Without `seed`,
    one is drawn from the OS (and recorded). `only`: the villages to draw from (only_places), every
    village when None. Refuses an existing folder without `force`."""
    if round_id is not None:
        held_round(source_path, round_id)
    source = load_source(source_path, round_id=round_id, set_apart=True)
    places = only_places(source, only, lang) if only is not None else None
    target = Path(out_dir) if out_dir is not None else Path.cwd() / label("spot_sample_folder", lang, name=source.name)
    check_target(target, [source.path], force)
    from_os = seed is None
    seed = new_seed() if seed is None else seed
    guessable = None if from_os else guessable_seed(seed)
    # The villages named are the population, drawn as the county would be; the others are not in the frame.
    frame = source.households if places is None else in_places(source.households, places)
    frame = frame.assign(key=frame.index)
    design = draw_sample(frame, key="key", seed=seed, villages_per_township=villages, listed_rate=listed_rate,
                         unlisted_rate=unlisted_rate, village_cap=cap, margin=margin, confidence=confidence,
                         expected_rate=expected_rate)
    options = _options(design)
    if places is not None:  # in the options the forms carry, and so in the sample's id
        options["only"] = place_words(places, lang)
    print_ = fingerprint(design)
    sample_id = hashlib.sha256(json.dumps([seed, options, source.sha256, print_]).encode()).hexdigest()[:12]
    created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    facts = sample_facts(sample_id=sample_id, source=source, options=options, created=created, lang=lang,
                         households=len(design.households))
    drawn = _drawn(source, design)
    strata = _strata(design)
    with_group = bool(source.households["group"].fillna("").astype(str).ne("").any())
    names = form_file_names(source.households, lang)
    forms_folder = label("spot_forms_folder", lang)
    written = []
    with staged_folder(target, lambda: check_target(target, [source.path], force)) as staging:
        (staging / forms_folder).mkdir()
        for (township, village), part in drawn.groupby([drawn["township"].fillna(""), drawn["village"].fillna("")],
                                                       sort=False):
            pages = printed_pages(part, with_group)
            pages["key"] = part.index.to_numpy()
            form = VillageForm(staging / forms_folder / names[(township, village)], township, village, pages,
                               with_group, facts, strata, lang, register_id=source.register_id, round=source.round)
            write_form(form)
            written.append({"file": f"{forms_folder}/{form.path.name}", "doc_id": form.doc_id, "township": township,
                            "village": village, "households": len(pages)})
        table, headers = _csv_frame(drawn, source, {k: f"{forms_folder}/{v}" for k, v in names.items()}, lang)
        write_csv(table, staging / SAMPLE_CSV, headers)
        about = {"source": str(source.path), "sha256": source.sha256, "from_os": from_os, "sample_id": sample_id,
                 "round": source.round, "year": source.year, "date": source.date,
                 "off_list": set_apart_text(source, lang), "not_recorded": not_recorded_text(source, lang),
                 "seed_guessable": seed_warning(seed, guessable, lang),
                 "only": only_text(places, len(source.villages), lang),
                 "county": source.county, "income_year": source.income_year, "created": created,
                 "rules": rules_heading(source, lang)}
        write_design(design, staging / label("spot_design_file", lang), about, lang,
                     places=source.villages)
        record = {
            "tool": "edgescreen", "version": __version__, "kind": "spot-check sample", **facts,
            "fingerprint": print_, "seed": seed, "seed_from_os": from_os, "seed_guessable": guessable,
            "source": {"kind": source.kind, "path": str(source.path), "file": source.path.name,
                       "sha256": source.sha256, "register_id": source.register_id, "round": source.round},
            "rules": rules_record(source),  # the rule set and bounds the households were decided by
            "precision": {k: {"population": v.population, "z": v.z, "n0": v.n0, "sample_size": v.sample_size}
                          for k, v in (design.precision or {}).items()},
            "villages": {"total": len(design.villages), "sampled": int(design.villages["sampled"].sum()),
                         **({"in_source": len(source.villages)} if places is not None else {})},
            # --only: the villages the draw was limited to, the population its rates speak for.
            **({"only": [{"township": t, "village": v} for t, v in places]} if places is not None else {}),
            "strata": [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()}
                       for row in strata.to_dict(orient="records")],
            "forms": written,
            # Survey rows the register's round did not record (Source.not_recorded): in no stratum.
            **({"not_recorded": {"rows": source.not_recorded, "households": source.recorded_for.index.tolist()}}
               if source.not_recorded else {}),
            "outputs": output_files(staging),
        }
        write_json(record, staging / SAMPLE_JSON)
    return SampleOutcome(target, seed, from_os, sample_id, design, source, len(written), guessable, places)


def seed_warning(seed: int, reason: str | None, lang: Lang) -> str:
    """The warning of a seed given by hand that could be guessed (design.guessable_seed), "" for none."""
    if reason is None:
        return ""
    return label(f"spot_seed_guessable_{reason}", lang, seed=seed, digits=len(str(abs(int(seed)))))
