"""What the register shows: each village's progress (register status, and 进度.xlsx), the 花名册 of
registered households (register export), and one household's whole trail (register history)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Lang, Phrase, label, messages
from ..errors import UsageError
from ..inputs import SPOT_CHECK_STEP
from ..issues import filled
from ..linebreaks import NO_BREAK_AFTER, NO_BREAK_BEFORE
from ..money import fen_text, yuan_words
from ..normalise import normalise_place
from ..outputs.folder import atomic_file
from ..outputs.places import household_identity, in_group_order, issuer_places, place_name
from ..outputs.privacy import mask_id_kept, mask_id_shown, mask_in_text
from ..outputs.publicity import format_date
from ..outputs.xlsx import (
    HEADER_WORD_MOST,
    HEIGHT_SLACK,
    MAX_PAGE_BREAKS,
    SIGNATURE_GAP,
    SIGNATURE_HEIGHT,
    TITLE_SIZE,
    WIDTH_SLACK,
    Column,
    ColumnLists,
    cell_formats,
    new_workbook,
    page_body,
    print_scale,
    row_height,
    running_header,
    set_page_breaks,
    setup_print,
    text_height,
    write_block,
    write_cells,
    write_records,
    write_table,
    line_width,
    lines_of,
    printed_height,
    printed_lines,
    wrapped_heights,
)
from ..pipeline import given_day, given_flag, given_id, given_lang, given_path
from . import db
from .measures import Gaps, current_measures, gap_words, measure_summary, support_gaps, type_word
from .procedure import head_keys, held_by_objections, procedure
from .registry import gone, registry, round_rules
from .spotchecks import finding_words, history_events, spot_check_line
from .steps import State, _place, _places, county_name, documents_out, in_meeting_order, load_state, removed_at
from .years import (CONDITIONS, head_changed, id_corrected, invalid_survey, missed_before, missed_words, omissions_followed,
                    round_places, same_place, stored_changes_of_villages)

# ---------------------------------------------------------------------------------------------
# register status


@dataclass
class StatusReport:
    """Per village of the latest round: its progress; and the households that left, with the step,
    the reason and the date. The same for the exit procedure where the round proposes exits; and
    per village the 帮扶 gaps of the households on the register."""

    round: dict
    villages: pd.DataFrame
    removed: pd.DataFrame
    registered: int
    county: str
    exit_villages: pd.DataFrame = None
    exit_removed: pd.DataFrame = None
    gaps: pd.DataFrame = None          # per village: households, no_measure, unfit, ended, gaps, unsurveyed,
    #                                    below_line
    gap_households: pd.DataFrame = None  # the households with a gap (or a note), with it in words
    coverage_days: int = 0
    year: int | None = None  # the latest round's: a household its survey missed is said with it
    omissions: pd.DataFrame = None  # objections at a publicity that a household not listed should be (漏评)
    # 未调查户核实, where the round's survey missed households of the register: per village its
    # progress, and the households found gone (户已不存在: off the register, with the reason and day).
    gone_villages: pd.DataFrame = None
    gone: pd.DataFrame = None
    exit_also: pd.DataFrame = None  # objections at an exit's posting that a registered household should leave too
    as_of: dt.date | None = None  # the day reported on: what is overdue and the gaps are counted at it
    # The latest round's surveyed villages with no candidate (township, village in words): said, so that
    # a clerk counting the county's villages sees them screened, not forgotten.
    without_candidates: list[tuple[str, str]] = field(default_factory=list)
    # Of those, the villages with households the round could not decide (数据有误,待核实): not "nothing
    # to review" but households awaiting a corrected survey (township, village, how many). An outside
    # try's village, every household's 家庭常住人口数 blank, was called 无须评议.
    unjudged_only: list[tuple[str, str, int]] = field(default_factory=list)
    # The villages with nobody listed (no candidate, or all taken off before the 第一次公示) whose
    # households were decided on amounts the screen found typed in 万元 (township, village, how many):
    # held, as register next holds them, never 无须评议 (an outside try's 烧锅镇石头村). in_wan_lines.
    in_wan: list[tuple[str, str, int]] = field(default_factory=list)
    # The villages whose publicity was recorded with no 张贴日期, its period counted from the print day
    # (record said so once, for that batch): step, sheet, township, village, of both tracks.
    print_day: pd.DataFrame = None
    # The villages with no candidate whose 第一次公示 (本村无) is out or recorded (nobody_listed_notices):
    # township, village in words, its state, issued, overdue, none_listed ('out' or 'done') and, recorded,
    # the 公示's date (date_<step>). A village with candidates all taken off is said in `villages`, its
    # none_listed column the same.
    nobody_listed: pd.DataFrame = None
    # The villages' remarks (附注) of the round, as recorded last at each step (village_remarks): a
    # remark of no household is in no household's row, and was found nowhere but by `history`.
    village_remarks: pd.DataFrame = None
    # The documents out, of every track (steps.documents_out), as register next counts them: a county's
    # overview says them (documents_out_lines), whose and since when, as 进度.xlsx does per village;
    # none_listed marks a 公示 of nobody (本村无), said with `nobody_listed` already.
    documents_out: pd.DataFrame = None
    # The latest round's households it could not decide (数据有误,待核实), of every village, each with its
    # head and its row of the survey (undecided_households): a village with candidates named them nowhere
    # (an outside try's four of 合隆镇前岗村), and the screen's 「核实更正后重新筛查」 was refused mid-round.
    undecided: pd.DataFrame = None
    # Whether a village of the round has recorded a step and waits for another (of any track): a new
    # round is refused then (rounds.check_unfinished), so the undecided wait for the round to finish.
    part_way: bool = False
    # Whether a village of the round has recorded any step: with none part-way, the round is done (not
    # "no village has begun"), and its undecided households wait for the new round that may begin now.
    begun: bool = False
    # The objections naming a household not listed that a step of this round took off (removed_at): no
    # 漏评 to survey but that decision contested, apart from `omissions` so that the terminal and 进度.xlsx
    # say them under their own heading (taken_off: by which step and when, and what follows).
    omissions_removed: pd.DataFrame = None


def _date_text(value, lang: Lang) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value == "":
        return ""
    return format_date(dt.date.fromisoformat(str(value)), lang)


def _dates_text(days: pd.Series, lang: Lang) -> pd.Series:
    """ISO dates as people read them, each distinct date worded once."""
    words = {d: _date_text(d, lang) for d in days.dropna().unique().tolist()}
    return days.map(words).fillna("")


def removed_households(state: State, lang: Lang) -> pd.DataFrame:
    """Every household that left the procedure: the step where its decision was no, the reason
    (for a publicity, the objection upheld) and the date."""
    steps = state.proc.ids
    decisions = state.household_facts("decision")
    alive = state.alive()
    before = alive.shift(1, axis=1, fill_value=True).astype(bool)
    left = decisions.eq("no") & before
    if not left.to_numpy().any():
        return pd.DataFrame(columns=["township", "village", "group", "head_name", "masked_id", "step", "reason",
                                     "date", "household"])
    at = left.to_numpy().argmax(axis=1)
    who = np.flatnonzero(left.to_numpy().any(axis=1))
    # Within its village, by the step left at (the procedure's order), then as surveyed: read as the steps went.
    village = state.households.iloc[who].groupby(["township", "village"], sort=False, dropna=False).ngroup()
    who = who[np.lexsort((at[who], village.to_numpy()))]
    h = state.households.iloc[who]
    step_ids = [steps[i] for i in at[who]]
    reasons = state.household_facts("reason")
    objections = state.household_facts("objection")
    # An objection upheld: the day it was settled (处理日期), as the state holds it (held_by_objections).
    dates = state.household_dates("decision")
    reason = [reasons.iat[i, at[i]] if pd.notna(reasons.iat[i, at[i]]) else objections.iat[i, at[i]] for i in who]
    return pd.DataFrame({
        "household": h["household"].to_numpy(),
        "township": h["township"].to_numpy(), "village": h["village"].to_numpy(),
        "group": mask_in_text(h["grp"].astype("string")).to_numpy(),
        "head_name": mask_in_text(h["head_name"].astype("string")).to_numpy(),
        "masked_id": mask_id_shown(h["head_id"].astype("string")).to_numpy(),
        "step": [label(f"step_{s}", lang) for s in step_ids],
        "reason": mask_in_text(pd.Series(reason, dtype="string")).to_numpy(),
        "date": [_date_text(dates.iat[i, at[i]], lang) for i in who],
    })


def omission_objections(state: State, lang: Lang, kind: str = "omission",
                        reg: db.Register | None = None) -> pd.DataFrame:
    """The round's objections about a household not on the list, each with its village, the
    publicity, its head, what it says, the outcome, the day it was settled and, upheld, what to do
    next. `omission` (漏评): it should be on the list; one of the round's list an earlier step took
    off was not missed, the objection contests that step. `exit_also` (an exit's posting): a household
    of the register should leave too."""
    village = state.current[state.current["household"] < 0]
    heads = village[village["field"].str.match(rf"^{kind}_head(?:_\d+)?$") & village["new"].notna()]
    where = ["township", "village", "step"]
    slot = heads["field"].str.removeprefix(f"{kind}_head")
    found = heads[[*where, "new", "effective"]].rename(columns={"new": "head_name", "effective": "date"})
    for column, prefix in (("content", kind), ("result", f"{kind}_result")):
        wanted = heads[where].assign(field=(prefix + slot).to_numpy())
        found[column] = wanted.merge(village[[*where, "field", "new"]], on=[*where, "field"], how="left")["new"].to_numpy()
    found["step"] = [label(f"step_{s}", lang) for s in found["step"]]
    found["upheld"] = found["result"].eq("upheld").to_numpy()
    # One withdrawn by whoever raised it (撤回) stands as 不成立 does, and is said as what happened.
    found["result"] = [label("objection_withdrawn_shown", lang) if r == "withdrawn" else
                       procedure().objection.word("yes" if r == "upheld" else "no", lang) for r in found["result"]]
    found["date"] = _dates_text(found["date"], lang)
    found["next"] = label(f"next_{kind}", lang)
    if kind == "omission" and len(found):
        # Of the round's list, taken off by an earlier step: its decision is contested, not a survey asked.
        gone = removed_at(state).drop_duplicates(["township", "village", "head"])
        # The head as recording matched it (head_keys: 李二. is 李二), so status says what record said.
        bare = head_keys(found["head_name"])
        hit = pd.DataFrame({"township": found["township"].to_numpy(), "village": found["village"].to_numpy(),
                            "head": bare.to_numpy(dtype=object)}).merge(gone, on=["township", "village", "head"],
                                                                        how="left")
        taken = hit["step"].notna().to_numpy()
        # What took it off, said of each (a dismissed objection's too); upheld, it is also the row's next.
        upheld = found["upheld"].to_numpy(dtype=bool)
        found["taken_off"] = ""
        found.loc[taken, "taken_off"] = [
            label("next_omission_removed" if u else "omission_taken_off", lang, step=label(f"step_{s}", lang),
                  decided=_date_text(d, lang))
            for s, d, u in zip(hit.loc[taken, "step"], hit.loc[taken, "date"], upheld[taken])]
        found.loc[taken, "next"] = found.loc[taken, "taken_off"]
        if reg is not None:
            # Screened by this round's survey (above the limit, say): not missed by it; its income is to
            # be re-checked, not a survey filled in for the next screen (as record says).
            for i in np.flatnonzero(~taken):
                there = db.screened_in_village(reg, state.round_id, found["township"].iloc[i], found["village"].iloc[i])
                seen = there[head_keys(there["head_name"]).eq(bare.iloc[i]).to_numpy(dtype=bool)]
                if len(seen):
                    found.loc[found.index[i], "next"] = label(
                        "next_omission_screened", lang,
                        status=label(seen["status"].iloc[0], lang, target=label("target", lang)),
                        per_capita=fen_text(seen["per_capita_fen"].iloc[0]) or "—")
    if kind == "exit_also" and len(found):
        # One on this round's exit list of another village: that village's posting decides it. Heads
        # matched as record matched them (head_keys: 瓜尔佳.文瑞 is 瓜尔佳·文瑞), so status says what it said.
        leaving = set(head_keys(state.households["head_name"])) - {""}
        found.loc[head_keys(found["head_name"]).isin(leaving).to_numpy(dtype=bool), "next"] = \
            label("next_exit_also_listed", lang)
    found.loc[~found["upheld"].to_numpy(dtype=bool), "next"] = ""
    found["head_name"] = mask_in_text(found["head_name"].astype("string"))
    found["content"] = mask_in_text(found["content"].astype("string"))
    return found.reset_index(drop=True)


def omissions_unsurveyed(reg: db.Register, lang: Lang) -> pd.DataFrame:
    """The 漏评 objections upheld in rounds before the latest (years.omissions_followed) whose household
    no survey since has, the latest round's included, as omission_objections has its rows: the round
    moved on and said them no more (an outside try's 冯国强, upheld in 2019, missing from 2020's survey)."""
    latest = db.latest_round(reg)
    found = omissions_followed(reg, int(latest["id"])) if latest is not None else pd.DataFrame(columns=["at"])
    found = found[found["at"].lt(0).to_numpy()]
    if found.empty:
        return pd.DataFrame(columns=["township", "village", "step", "head_name", "date", "content", "result", "upheld",
                                     "next"])
    when = [label("omission_when_previous", lang) if p else label("omission_when_year", lang, year=int(y))
            for p, y in zip(found["previous"], found["year"])]
    return pd.DataFrame({
        "township": found["township"].to_numpy(), "village": found["village"].to_numpy(),
        "step": [label("omission_step_before", lang, when=w, step=label(f"step_{s}", lang))
                 for w, s in zip(when, found["step"])],
        "head_name": mask_in_text(found["head_name"].astype("string")).to_numpy(),
        "date": _dates_text(found["date"], lang).to_numpy(),
        "content": mask_in_text(found["content"].astype("string")).to_numpy(),
        "result": procedure().objection.word("yes", lang), "upheld": True,
        "next": label("next_omission_unsurveyed", lang, year=int(latest["year"]))})


def status_report(reg: db.Register, *, lang: Lang = "zh", today: dt.date | None = None) -> StatusReport:
    """The register's state, with what is overdue and the support gaps counted at `today`. The state is
    the register's as it is: a day before something it already records is refused (the steps and
    rounds after it would be shown as done, and counted, on a day they had not happened)."""
    lang, today = given_lang(lang), given_day(today, "today")
    given, today = today is not None, today or dt.date.today()
    with reg.reading():
        latest = db.latest_day(reg)
        if given and latest is not None and today.isoformat() < latest:
            raise UsageError("status_as_of_before_register", date=today.isoformat(), latest=latest)
        state = load_state(reg)
        leaving = load_state(reg, track="exit")
        unsurveyed = load_state(reg, track="gone")
        rules = round_rules(reg).rules
        gaps = _with_missed_running(reg, support_gaps(reg, rules, as_of=today), lang)
        listed_villages = set(state.village_index())
        notices = nobody_listed_notices(state, today, lang)
        noticed = set(notices.index)
        # Held for amounts typed in 万元 (in_wan): not said to need nothing, with its own line.
        in_wan = _held_in_wan(state)
        held = {(t, v) for t, v, _ in in_wan}
        in_wan = [(place_name(t, lang, "unknown_township"), place_name(v, lang, "unknown_village"), n)
                  for t, v, n in in_wan]
        unlisted = [(place_name(t, lang, "unknown_township"), place_name(v, lang, "unknown_village"), n,
                     (t, v) in noticed or (t, v) in held)
                    for t, v, n in db.round_villages_unjudged(reg, int(state.round["id"]))
                    if (t, v) not in listed_villages]
        # Those with their 公示 (本村无) out or recorded are said with it (nobody_listed), not as untouched.
        without_candidates = [(t, v) for t, v, n, said in unlisted if not n and not said]
        unlisted = [(t, v, n) for t, v, n, _ in unlisted]
        unnamed = notices[~notices.index.isin(listed_villages)]
        nobody_listed = pd.DataFrame({
            "township": [place_name(t, lang, "unknown_township") for t in unnamed.index.get_level_values(0)],
            "village": [place_name(v, lang, "unknown_village") for v in unnamed.index.get_level_values(1)],
            **{c: unnamed[c].to_numpy() for c in unnamed.columns}})
        unjudged_only = [(t, v, n) for t, v, n in unlisted if n]
        order = county_village_order(reg)
        undecided = undecided_households(reg, int(state.round["id"]), lang, order)
        # As rounds.check_unfinished counts it: a village that recorded a step and waits for another.
        progress = [s.progress() for s in (state, leaving, unsurveyed)]
        part_way = any((p["last"].ge(0) & p["next"].ge(0)).any() for p in progress)
        begun = any(p["last"].ge(0).any() for p in progress)
        remarks = village_remarks(reg, state, lang)
        spot_check = db.last_spot_check(reg)
        earlier = omissions_unsurveyed(reg, lang)
        # Split once, here: the terminal and 进度.xlsx say the same objections under the same heading.
        objections = omission_objections(state, lang, reg=reg)
        taken = objections["taken_off"].ne("").to_numpy(dtype=bool) if "taken_off" in objections else \
            np.zeros(len(objections), dtype=bool)
        omissions = pd.concat([earlier, objections[~taken].drop(columns="taken_off", errors="ignore")],
                              ignore_index=True)
        omissions_removed = objections[taken].reset_index(drop=True)
        out = pd.concat([documents_out(s) for s in (state, leaving, unsurveyed)], ignore_index=True)
        # The 公示 of nobody (本村无) out, said with their villages (nobody_listed; a county's counted per
        # township), marked: a county's overview does not name them again among the documents out.
        step = next((s.id for s in state.proc.steps if s.objections), None)
        out["none_listed"] = (out["scope"].eq("village") & out["step"].eq(step)).to_numpy(dtype=bool) & \
            pd.MultiIndex.from_frame(out[["township", "village"]]).isin(
                notices.index[notices["none_listed"].eq("out").to_numpy(dtype=bool)])
    registered = int(len(gaps.households))
    # Every section in the county's order: the households on the register are numbered as first
    # screened (year one's survey may have read 华家镇 first), those not surveyed by their last row.
    h = gaps.households.iloc[np.argsort(_village_rank(gaps.households, order), kind="stable")].reset_index(drop=True)
    gaps = Gaps(h, gaps.coverage_days, gaps.year)
    # A household whose latest survey is invalid is listed too: its income there is no year's figure.
    listed = h[(gaps.gap | h["unsurveyed"] | h["below_line"] | _unjudged(h)).to_numpy()]
    gap_households = pd.DataFrame({
        "township": listed["township"].to_numpy(), "village": listed["village"].to_numpy(),
        "group": mask_in_text(listed["grp"].astype("string")).to_numpy(),
        "head_name": mask_in_text(listed["head_name"].astype("string")).to_numpy(),
        "masked_id": mask_id_shown(listed["head_id"].astype("string")).to_numpy(),
        "entered_on": listed["entered_on"].to_numpy(), "measures": listed["measures"].to_numpy(),
        # 进度.xlsx prints the plain words beside its 纳入日期 column, on one line; the terminal, which has no
        # such column, says since when and how long (support_gap_said).
        "support_gap": support_gap_words(listed, rules, lang, gaps.year).to_numpy(),
        "support_gap_said": support_gap_words(listed, rules, lang, gaps.year, today=today).to_numpy()})
    # The round's dict carries the latest spot check (抽查核实, db.last_spot_check; None for none): status says
    # it under the round's rules line (round_rules_line, its "spot_check").
    return StatusReport({**state.round, "spot_check": spot_check}, _progress_rows(state, today, lang, notices, order),
                        _in_county_order(removed_households(state, lang), order), registered,
                        county_name(state, lang), _progress_rows(leaving, today, lang, order=order),
                        _in_county_order(removed_households(leaving, lang), order), _gaps_per_village(gaps, today),
                        gap_households, rules.measures.coverage_days, gaps.year,
                        omissions,
                        _progress_rows(unsurveyed, today, lang, order=order),
                        _in_county_order(removed_households(unsurveyed, lang), order),
                        exit_also=omission_objections(leaving, lang, "exit_also"), as_of=today,
                        without_candidates=without_candidates, unjudged_only=unjudged_only, in_wan=in_wan,
                        print_day=pd.concat([counted_from_print_day(state, lang), counted_from_print_day(leaving, lang)],
                                            ignore_index=True), nobody_listed=nobody_listed,
                        village_remarks=remarks, documents_out=out, undecided=undecided, part_way=part_way, begun=begun,
                        omissions_removed=omissions_removed)


def undecided_households(reg: db.Register, round_id: int, lang: Lang, order: dict[tuple[str, str], int]
                         ) -> pd.DataFrame:
    """The round's households it could not decide (数据有误,待核实), in the county's order and as surveyed
    within a village: township and village in words, head, masked ID, where the survey has the row
    (`at`: file, sheet, row, to correct it there) and `said`, all of it as status names a household."""
    rows = db.screened(reg, round_id, status="invalid").sort_values("ledger_order", kind="stable")
    rows = _in_county_order(rows, order)
    found = pd.DataFrame({
        # A place left blank said as the others say it ((乡镇未填)), as place_name words it.
        "township": _worded(rows["township"], label("unknown_township", lang)),
        "village": _worded(rows["village"], label("unknown_village", lang)),
        "group": mask_in_text(rows["grp"].astype("string")).fillna("").to_numpy(),
        "head_name": mask_in_text(rows["head_name"].astype("string")).fillna("").to_numpy(),
        "masked_id": mask_id_kept(rows["head_id"].astype("string")).fillna("").to_numpy(),
        "file": rows["source_file"].astype("string").fillna("").to_numpy(),
        "row": rows["row"].astype("string").fillna("").to_numpy()})
    sheet = rows["sheet"].astype("string")
    found["sheet"] = ""
    named = sheet.notna().to_numpy() & sheet.ne("").fillna(False).to_numpy(dtype=bool)  # a CSV has no sheet
    found.loc[named, "sheet"] = filled(messages().labels["reg_history_sheet"](lang),
                                       pd.DataFrame({"sheet": sheet[named].to_numpy()}))
    found["at"] = filled(messages().labels["status_undecided_at"](lang), found)
    found["said"] = filled(messages().labels["status_undecided_household"](lang),
                           found.rename(columns={"head_name": "name", "masked_id": "id"}))
    return found


def _worded(places: pd.Series, blank: str) -> np.ndarray:
    return places.astype("string").replace("", pd.NA).fillna(blank).to_numpy(dtype=object)


def undecided_line(found: pd.DataFrame, lang: Lang, shown: int | None = None) -> str:
    """本轮数据有误、尚未认定的农户共 N 户:each village with how many (all, or the first `shown` and the count)."""
    per_village = found.groupby(["township", "village"], sort=False).size()
    places = [label("status_unjudged_village", lang, place=t + v, households=f"{n:,}")
              for (t, v), n in per_village.items()]
    named = label("list_sep", lang).join(places[:shown])
    if shown is not None and len(places) > shown:
        named = label("rp_villages_more", lang, places=named, count=f"{len(places):,}")
    return label("status_undecided", lang, count=f"{len(found):,}", villages=named)


def undecided_route(report: StatusReport, lang: Lang) -> str:
    """What to do with the households the round could not decide, as it is true now: correct them on the
    survey; a new round of the whole county screens them, now while no village has recorded a step or
    once the round's villages are done (a new round is refused while one is part-way); --add-to-round
    takes no village the round holds (rounds.check_join)."""
    return label("status_undecided_route_part_way" if report.part_way else "status_undecided_route_done"
                 if report.begun else "status_undecided_route_now", lang)


def documents_out_items(out: pd.DataFrame, lang: Lang) -> list[dict]:
    """The documents of `out` (steps.documents_out) gathered as a clerk hears them, per step and day
    issued, the villages' documents apart from the townships' and the county's forms: the step, how
    many documents and places (村, 社区 or 村(社区), the word), whose (the first villages named, or each
    form's township or county) and the day; the words of docs_out_* and of the lines that take them."""
    if out is None or out.empty:
        return []
    forms = out["scope"].ne("village").to_numpy()
    kinds = pd.Series(np.where(forms, "forms", "villages"), index=out.index)
    items = []
    for (step, issued, kind), mine in out.groupby(["step", "issued", kinds], sort=False):  # a few: steps × days
        villages, communities = int(mine["villages"].sum()), int(mine["communities"].sum())
        places = label("reg_status_places_village" if not communities else "reg_status_places_community"
                       if communities == villages else "reg_status_places_either", lang)
        if kind == "forms":
            names = label("list_sep", lang).join(dict.fromkeys(
                place_name(w, lang, "unknown_township" if s == "township" else "unknown_county")
                for w, s in zip(mine["whose"], mine["scope"])))
        else:
            names = _places(list(zip(mine["township"], mine["village"])), lang)
        items.append({"kind": kind, "step": label(f"step_{step}", lang), "documents": len(mine),
                      "villages": villages, "places": places, "names": names, "issued": format_date(
                          dt.date.fromisoformat(issued), lang)})
    return items


def documents_out_lines(out: pd.DataFrame, lang: Lang) -> list[str]:
    """What is out, a line per step and day issued (乡镇审核:秀水镇的文书已发出、尚未登记(1 份,含 10 个村,
    2019年12月18日发出))."""
    return [label(f"docs_out_{item['kind']}", lang, **item) for item in documents_out_items(out, lang)]


def county_village_order(reg: db.Register) -> dict[tuple[str, str], int]:
    """{(township, village) as the register holds them: its place in the county's order}: the latest
    round's survey's (db.round_villages), then the villages only earlier rounds surveyed. What every
    section of `register status` lists its villages by: the 未调查户核实's households are ordered by
    their last survey's rows, which mixed the townships of a survey of several files or sheets."""
    latest = db.latest_round(reg)
    places = [*(db.round_villages(reg, int(latest["id"])) if latest is not None else []), *db.surveyed_villages(reg)]
    return {place: i for i, place in enumerate(dict.fromkeys(places))}


def _village_rank(frame: pd.DataFrame, order: dict[tuple[str, str], int]) -> np.ndarray:
    """Each row's village's place in `order` (county_village_order); one it lacks after them."""
    keys = pd.MultiIndex.from_arrays([frame["township"].fillna("").astype(str), frame["village"].fillna("").astype(str)])
    rank = pd.Series(order, dtype=np.int64).reindex(keys).to_numpy(dtype=float) if order else np.full(len(frame), np.nan)
    return np.where(np.isnan(rank), len(order), rank).astype(np.int64)


def _in_county_order(frame: pd.DataFrame, order: dict[tuple[str, str], int]) -> pd.DataFrame:
    """`frame`'s rows by their villages in the county's order, as they were within a village."""
    if not len(frame):
        return frame
    return frame.iloc[np.argsort(_village_rank(frame, order), kind="stable")].reset_index(drop=True)


def exit_days(reg: db.Register, lang: Lang) -> dict[str, tuple[str, str]]:
    """{a village as a recorded file's line names it (township and village): (first, last) day its
    households left the register by the latest round's exit procedure}, as `register history` and
    `status` date it (registry: the exit publicity's last day, or the later day an objection at it
    was settled). What recording the exit's last step says of the households it let go."""
    latest = db.latest_round(reg)
    if latest is None:
        return {}
    r = registry(reg)
    left = r[r["left_by"].eq("exit").to_numpy(dtype=bool)
             & r["exit_round"].eq(int(latest["id"])).fillna(False).to_numpy(dtype=bool)]
    if not len(left):
        return {}
    where = db.screened_rows(reg, int(latest["id"]), left["household"].tolist())[["household", "township", "village"]]
    left = left.merge(where, on="household", how="left")
    townships = left["township"].fillna("").astype(str)
    villages = left["village"].fillna("").astype(str)
    # Named as a recorded file's line names its village (steps._place).
    named = {(t, v): _place(t, v, lang) for t, v in set(zip(townships, villages))}
    places = pd.Series([named[k] for k in zip(townships, villages)], index=left.index)
    days = left["exited_on"].astype(str).groupby(places).agg(["min", "max"])
    return {place: (first, last) for place, first, last in zip(days.index, days["min"], days["max"])}


def village_remarks(reg: db.Register, state: State, lang: Lang) -> pd.DataFrame:
    """The villages' remarks (附注) of the round, of every track: township, village, step (in words),
    date, remark and the document (file) it was written on; the one in force at each village's step
    (a form recorded again with --amend replaces it), in the procedure's order, the villages in the
    survey's."""
    columns = ["township", "village", "step", "date", "remark", "file"]
    found = db.village_facts(reg, ["remark"], [int(state.round["id"])])
    found = found.assign(township=found["township"].fillna(""), village=found["village"].fillna(""))
    found = found.drop_duplicates(["township", "village", "step"], keep="last")
    found = found[found["new"].fillna("").astype(str).str.strip().ne("").to_numpy()]
    if found.empty:
        return pd.DataFrame(columns=columns)
    steps = [s for track in ("entry", "exit", "gone") for s in procedure(track).ids]
    villages = {place: i for i, place in enumerate(state.village_index())}
    at = pd.Series(list(zip(found["township"], found["village"])), index=found.index).map(villages)
    found = found.assign(step_at=found["step"].map({s: i for i, s in enumerate(steps)}),
                         village_at=at.fillna(len(villages))).sort_values(["step_at", "village_at"], kind="stable")
    return pd.DataFrame({
        "township": [place_name(t, lang, "unknown_township") for t in found["township"]],
        "village": [place_name(v, lang, "unknown_village") for v in found["village"]],
        "step": [label(f"step_{s}", lang) for s in found["step"]],
        "date": found["effective"].fillna("").to_numpy(dtype=object),
        "remark": mask_in_text(found["new"].astype("string")).to_numpy(dtype=object),
        "file": found["source_file"].fillna("").to_numpy(dtype=object)}, columns=columns)


def counted_from_print_day(state: State, lang: Lang) -> pd.DataFrame:
    """The villages whose publicity (公示 with a posting sheet) is recorded with no 张贴日期: its period
    counted from the day it was printed. A step of them per row, in the procedure's order, the villages
    in the survey's."""
    steps = [s.id for s in state.proc.steps if s.kind == "publicity" and s.form_sheet]
    columns = ["step", "sheet", "township", "village"]
    if not steps:
        return pd.DataFrame(columns=columns)
    unposted = state.village_facts("period_end")[steps].notna() & state.village_facts("posting_date")[steps].isna()
    at, where = np.nonzero(unposted.to_numpy(dtype=bool).T)  # step by step, each's villages in order
    places = unposted.index[where]
    return pd.DataFrame({
        "step": np.array([label(f"step_{s}", lang) for s in steps], dtype=object)[at],
        "sheet": np.array([label(state.proc[s].form_sheet, lang) for s in steps], dtype=object)[at],
        "township": [place_name(t, lang, "unknown_township") for t in places.get_level_values(0)],
        "village": [place_name(v, lang, "unknown_village") for v in places.get_level_values(1)]}, columns=columns)


def print_day_lines(found: pd.DataFrame, lang: Lang, shown: int | None = None) -> list[str]:
    """A line per publicity step with villages of counted_from_print_day: how many, and which (all, or
    the first `shown` and the count); then, once, how to record a later posting date (--amend). One
    step: the advice ends its line. Said after each step's line, it read three times in a round with
    three such steps."""
    lines = []
    for step, mine in found.groupby("step", sort=False):
        places = (mine["township"] + mine["village"]).tolist()
        named = label("list_sep", lang).join(places[:shown])
        if shown is not None and len(places) > shown:
            named = label("rp_villages_more", lang, places=named, count=f"{len(places):,}")
        lines.append(label("status_print_day", lang, step=step, count=f"{len(places):,}", villages=named))
    if not lines:
        return lines
    amend = label("status_print_day_amend", lang, sheet=label("list_sep", lang).join(found["sheet"].unique()))
    if len(lines) == 1:
        return [label("status_print_day_then", lang, line=lines[0], amend=amend)]
    return [*lines, amend]


def _gaps_per_village(gaps, today: dt.date) -> pd.DataFrame:
    """gaps.per_village, and unjudged: the households whose latest survey is in error (_unjudged), listed
    with the gaps but in none of its counts: without it a county's township lines fell short of the
    households listed (520 of 523). And of those without a measure past the days, since when the one
    waiting longest entered (`waiting_since`, `waiting_days`; '' and 0 for none) and how many have
    waited a year or more (`waiting_year`): 纳入超过 30 天 said alike of a household a week late and of
    one forgotten for two years (an outside try's 蒋海)."""
    h = gaps.households
    per_village = gaps.per_village()
    # Grouped as per_village groups (sort=False, the same keys): the same villages in the same order.
    by = [h["township"], h["village"]]
    unjudged = _unjudged(h).astype(int).groupby(by, sort=False).sum()
    days = _days_waiting(h, today)
    since = h["entered_on"].astype(object).where(days.notna().to_numpy()).groupby(by, sort=False).min()
    return per_village.assign(unjudged=unjudged.to_numpy(),
                              waiting_since=since.astype(object).fillna("").astype(str).to_numpy(),
                              waiting_days=days.groupby(by, sort=False).max().fillna(0).astype(int).to_numpy(),
                              waiting_year=days.ge(YEAR_DAYS).astype(int).groupby(by, sort=False).sum().to_numpy())


# A household without a measure this many days after it entered has waited a year: said apart.
YEAR_DAYS = 365


def _days_waiting(h: pd.DataFrame, today: dt.date) -> pd.Series:
    """Per household without a measure past the days (no_measure), the days since it entered, on
    `today`; NaN for the others."""
    entered = pd.to_datetime(h["entered_on"], errors="coerce")
    days = (pd.Timestamp(today) - entered).dt.days
    return days.where(h["no_measure"].astype(bool).to_numpy())


def _no_measure_since(h: pd.DataFrame, rules, lang: Lang, today: dt.date) -> np.ndarray:
    """Per household without a measure past the days (no_measure), its 纳入超过 N 天仍无帮扶措施 said with
    since when and how long (…(纳入于 2019-12-27,已 735 天,已满 2 年)): one forgotten for two years stands
    out from one a week late. '' for the others (gap_words' plain words)."""
    days = _days_waiting(h, today)
    waiting = days.notna().to_numpy()
    out = np.full(len(h), "", dtype=object)
    if not waiting.any():
        return out
    # Worded per day entered (a village's households enter on its 公告's day: a handful), not per household.
    entered = h["entered_on"].astype(str).to_numpy(dtype=object)[waiting]
    pairs = pd.DataFrame({"date": entered, "days": days.to_numpy()[waiting].astype(int)}).drop_duplicates("date")
    limit = rules.measures.coverage_days
    said = {d: label("gap_no_measure_since", lang, limit=limit, date=d, days=f"{n:,}",
                     years=label("gap_no_measure_years", lang, years=n // YEAR_DAYS) if n >= YEAR_DAYS else "")
            for d, n in zip(pairs["date"], pairs["days"].tolist())}
    out[waiting] = pd.Series(entered).map(said).to_numpy(dtype=object)
    return out


def _unjudged(h: pd.DataFrame) -> pd.Series:
    """The households whose latest survey found their data in error (invalid: an ID mistyped, an
    income that does not add up): that row's income is no figure of its year."""
    return invalid_survey(h["status"])


def _with_missed_running(reg: db.Register, gaps: Gaps, lang: Lang) -> Gaps:
    """gaps with `missed_running` per household: for one the latest round's survey missed a second year
    running, years.missed_words of it (what last year's 未调查户核实 found, its income still its last
    survey's); '' for the others. Status and the 花名册 said only 2021年未调查,须查明原因 of a
    household found 仍在本村 in 2020 and never surveyed since (an outside try)."""
    h = gaps.households
    latest = db.latest_round(reg)
    unsurveyed = h["unsurveyed"].to_numpy(dtype=bool) if "unsurveyed" in h else np.zeros(len(h), dtype=bool)
    if latest is None or not unsurveyed.any():
        return Gaps(h.assign(missed_running=""), gaps.coverage_days, gaps.year)
    found = missed_before(reg, h.loc[unsurveyed, "household"], int(latest["id"]), int(latest["year"]))
    where = h.loc[unsurveyed, ["household", "township", "village"]].drop_duplicates("household").set_index("household")
    said = missed_words(found.join(where), lang)
    return Gaps(h.assign(missed_running=h["household"].map(said).astype(object).fillna("").to_numpy()),
                gaps.coverage_days, gaps.year)


def support_gap_words(h: pd.DataFrame, rules, lang: Lang, year: int | None, today: dt.date | None = None) -> pd.Series:
    """gap_words, and first, for a household whose latest survey is invalid, that its income of that
    year is left out until the survey is put right: the 花名册 and status say it alike. With `today`,
    a household without a measure is said with since when and how long (_no_measure_since): the
    terminal's words, which have no 纳入日期 column beside them."""
    sep = label("list_sep_wide", lang)
    # Not surveyed a second year running (_with_missed_running): said as such, before the rest, in place
    # of the first year's 须查明原因 (its 未调查户核实 found it still there; the survey never came).
    running = h["missed_running"].astype("string").fillna("") if "missed_running" in h else pd.Series("", index=h.index)
    again = running.ne("").to_numpy()
    first_year = h["unsurveyed"].to_numpy(dtype=bool) & ~(again & ~h["awaits_survey"].fillna(False).to_numpy(dtype=bool)) \
        if again.any() else h["unsurveyed"]
    words = gap_words(h.assign(unsurveyed=first_year), rules, lang, year,
                      no_measure_words=_no_measure_since(h, rules, lang, today) if today is not None else None)
    if again.any():
        said = (running[again] + label("gap_missing_running", lang)).to_numpy(dtype=object)
        then = words[again].to_numpy(dtype=object)
        words[again] = np.where(then == "", said, said + sep + then)
    # Its latest survey invalid, or at or above the upper bound and not left (an exit blocked or under
    # way): said first, so that a per-capita of 4,500 on a list of the band is not read as an error.
    for mask, key in ((_unjudged(h), "gap_unjudged"), (h["status"].eq("above_limit").fillna(False), "gap_above_limit")):
        mask = mask.astype(bool).to_numpy()
        if mask.any():
            years = h.loc[mask, "survey_year"]
            said = years.map({y: label(key, lang, year=y) for y in years.unique()}).to_numpy(dtype=object)
            if key == "gap_above_limit" and "exit_kept" in h:  # the exit procedure kept it: the village's decision
                from .measures import exit_kept_words

                kept = pd.DataFrame({"year": years, "step": h.loc[mask, "exit_kept"].fillna("").astype(str)})
                which = kept["year"].astype(str) + " " + kept["step"]
                said_kept = {f"{y} {s}": exit_kept_words(y, s, lang)
                             for y, s in kept.drop_duplicates().itertuples(index=False) if s}
                said = np.where(kept["step"].ne("").to_numpy(), which.map(said_kept).to_numpy(dtype=object), said)
            then = words[mask].to_numpy(dtype=object)
            words[mask] = np.where(then == "", said, said + sep + then)
    return words


def nobody_listed_notices(state: State, today: dt.date, lang: Lang) -> pd.DataFrame:
    """Per village with nobody on its list before the 第一次公示 (no candidate, or every one taken off at
    民主评议 or 入户核实) whose 公示 saying 本村无 (steps._with_nobody_listed) is out or recorded: its
    state in words, the day issued, what is overdue, and none_listed 'out' or 'done' (recorded, with
    the 漏评 raised there counted); recorded, the step's date (date_<step>, as _progress_rows has each
    step's), which 进度.xlsx shows in that step's column as for any village. Indexed by (township,
    village) as the register holds them: what `register next` counts as out, status says."""
    columns = ["state", "issued", "overdue", "none_listed"]
    found = pd.DataFrame(columns=columns, index=pd.MultiIndex.from_tuples([], names=["township", "village"]))
    step = next((s for s in state.proc.steps if s.objections), None)
    if state.proc.name != "entry" or step is None:
        return found
    columns.append(f"date_{step.id}")
    proc, progress = state.proc, state.progress()
    before = proc.previous(step.id)
    emptied = (progress["remaining"] == 0) & (progress[f"after_{before.id}"] <= 0 if before else True)
    # Those with nobody left before it, and the surveyed villages with no candidate (in no index).
    places = list(set(progress.index[emptied.to_numpy(dtype=bool)]) | set(state.surveyed).difference(progress.index))
    facts = state.current[(state.current["household"] < 0) & state.current["step"].eq(step.id)
                          & state.current["new"].notna()]
    done = facts[facts["field"].eq("date")].drop_duplicates(["township", "village"], keep="last") \
        .set_index(["township", "village"])["new"]
    done = done[done.index.isin(places)]
    out = state.outstanding()
    out = out[out["step"].eq(step.id).to_numpy(dtype=bool)].set_index(["township", "village"])
    out = out[out.index.isin(places) & ~out.index.isin(done.index)]
    name = label("step_none_listed", lang, step=label(f"step_{step.id}", lang))
    # Worded per distinct day (a county's notices share one or two), not per village.
    ends = out["period_end"].astype(str)
    words = {end: (label("st_period", lang, step=name, end=_date_text(end, lang))
                   if today.isoformat() <= end else label("st_period_over", lang, step=name, end=_date_text(end, lang)),
                   label("overdue_period", lang, end=_date_text(end, lang), days=(today - dt.date.fromisoformat(end)).days)
                   if (today - dt.date.fromisoformat(end)).days > proc.overdue_after_period_days else "")
             for end in ends.unique()}
    heads = facts[facts["field"].str.match(r"^omission_head(?:_\d+)?$")].groupby(["township", "village"]).size()
    raised = heads.reindex(done.index).fillna(0).astype(int).to_numpy()
    said = _dates_text(done, lang).map(lambda day: label("st_none_listed_done", lang, step=name, end=day)).to_numpy(dtype=object)
    said = np.where(raised > 0, said + np.array([label("st_none_listed_omissions", lang, count=int(n)) for n in raised],
                                                dtype=object), said) if len(raised) else said
    found = pd.concat([
        pd.DataFrame({"state": ends.map(lambda e: words[e][0]).to_numpy(dtype=object),
                      "issued": out["issued"].astype(str).to_numpy(), "overdue": ends.map(lambda e: words[e][1]).to_numpy(dtype=object),
                      "none_listed": "out", f"date_{step.id}": ""}, index=out.index, columns=columns),
        pd.DataFrame({"state": said, "issued": "", "overdue": "", "none_listed": "done",
                      f"date_{step.id}": done.to_numpy(dtype=object)}, index=done.index, columns=columns)])
    return found


def nobody_listed_printed(reg: db.Register) -> dict[str, int]:
    """Of the documents `register next` has just printed (the latest changeset's), per step how many
    list nobody: a 第一次公示 saying 本村无 (steps._with_nobody_listed). next says them under the step's
    count, which otherwise reads as a county's notices for a handful of households."""
    with reg.reading():
        rounds = db.rounds(reg)
        docs = db.documents(reg, int(rounds["id"].iloc[-1])) if len(rounds) else pd.DataFrame()
        if docs.empty:
            return {}
        docs = docs[docs["changeset"].eq(docs["changeset"].max()).to_numpy() & docs["scope"].eq("village").to_numpy()]
        listing = db.document_rows(reg, docs["id"].tolist())["document"]
    nobody = docs[~docs["id"].isin(listing).to_numpy()]
    return nobody.groupby("step").size().astype(int).to_dict()


def last_printed(reg: db.Register) -> tuple[dict[str, set[str]], str | None]:
    """What the latest `register next` that printed any wrote: ({file as named under its documents folder
    (4-乡镇审核/伏龙泉镇-乡镇审核.xlsx): the SHA-256 it has as printed and as each record took it back},
    the folder it kept with its changeset, an absolute path, None where it kept none: printed before it
    did). The advice after record and status names that folder again, or where the files are found now
    (an outside try followed advice without it into a new one); by content, as the folder of a round
    before holds files of the same names."""
    with reg.reading():
        latest = reg.conn.execute(
            "SELECT c.id, c.source_file FROM changesets c WHERE c.id = (SELECT MAX(d.changeset) FROM documents d "
            "JOIN changesets c2 ON c2.id = d.changeset WHERE c2.command LIKE 'register next%')").fetchone()
        if latest is None:
            return {}, None
        rows = reg.conn.execute(
            "SELECT d.file_name, d.sha256, c.source_sha256 FROM documents d "
            "LEFT JOIN changesets c ON c.doc_id = d.doc_id AND c.command LIKE 'register record%' "
            "WHERE d.changeset = ? ORDER BY d.id", (latest[0],)).fetchall()
    found: dict[str, set[str]] = {}
    for name, printed, recorded in rows:
        found.setdefault(name, {printed}).update({recorded} - {None})
    return found, latest[1] or None


def _progress_rows(state: State, today: dt.date, lang: Lang, notices: pd.DataFrame | None = None,
                   order: dict[tuple[str, str], int] | None = None) -> pd.DataFrame:
    """A row per village of one track: its last step, the households still listed, its state in
    words, the document out and what is overdue, and each step's date and households after it. A
    village with nobody left before its 第一次公示 with its 公示 (本村无) out or recorded (`notices`,
    nobody_listed_notices): that, none_listed 'out' or 'done'. The villages in `order`
    (county_village_order) where given, else in the track's."""
    proc = state.proc
    progress = state.progress()
    if order is not None and len(progress):
        places = progress.index.to_frame(index=False)
        progress = progress.iloc[np.argsort(_village_rank(places, order), kind="stable")]
    waiting = state.outstanding().set_index(["township", "village"])
    ended = _last_step_days(state)
    rows = []
    for (t, v), p in progress.iterrows():  # one row per village: a few hundred
        last, nxt = int(p["last"]), int(p["next"])
        final = proc.steps[-1]
        due = ""
        if proc.name == "gone" and last == len(proc.steps) - 1:
            # Verified: those gone are off the register, those still there await a survey.
            state_text = label("st_gone_done", lang, gone=int(p["candidates"] - p["remaining"]),
                               here=int(p["remaining"]), this_place=issuer_places(t, v, lang)["this_place"])
        elif p["remaining"] == 0:
            # Nobody left on the list (an objection upheld at the last step kept them): the procedure's
            # end does not make anyone leave (nor enter).
            done = proc.name == "exit" and last == len(proc.steps) - 1
            state_text = label("st_exit_nobody" if done else "st_nobody_left", lang)
        elif last == len(proc.steps) - 1 and str(p[f"date_{final.id}"]) > today.isoformat():
            # Recorded, and its period (a late posting's, counted from the posting) not over on this day.
            state_text = label("st_period", lang, step=label(f"step_{final.id}", lang),
                               end=_date_text(p[f"date_{final.id}"], lang))
        elif last == len(proc.steps) - 1:
            state_text = label("st_exited" if proc.name == "exit" else "st_registered", lang,
                               date=_date_text(ended.get((t, v), p[f"date_{final.id}"]), lang))
        elif last >= 0 and state.held_until(proc.ids[last]).get((t, v), "") > max(
                today.isoformat(), state.village_fact("date", proc.ids[last]).get((t, v), "")):
            # An objection settled after the period: register next holds the village back to that day.
            state_text = label("st_held", lang, step=label(f"step_{proc.steps[nxt].id}", lang),
                               date=_date_text(state.held_until(proc.ids[last])[(t, v)], lang),
                               previous=label(f"step_{proc.ids[last]}", lang))
        else:
            state_text = label("st_waiting", lang, step=label(f"step_{proc.steps[nxt].id}", lang))
            due = proc.steps[nxt].id  # its next step's document is for register next to print now
        issued, overdue = "", ""
        mine = waiting.loc[[(t, v)]] if (t, v) in waiting.index else waiting.iloc[:0]
        mine = mine[mine["step"] == proc.steps[nxt].id] if nxt >= 0 else mine.iloc[:0]
        if len(mine):
            doc = mine.iloc[-1]
            issued, due = doc["issued"], ""  # out already: not due again
            step = proc[doc["step"]]
            if step.has_period:
                end = dt.date.fromisoformat(doc["period_end"])
                state_text = label("st_period", lang, step=label(f"step_{step.id}", lang), end=_date_text(end.isoformat(), lang)) \
                    if today <= end else label("st_period_over", lang, step=label(f"step_{step.id}", lang),
                                               end=_date_text(end.isoformat(), lang))
                if (today - end).days > proc.overdue_after_period_days:
                    overdue = label("overdue_period", lang, end=_date_text(end.isoformat(), lang),
                                    days=(today - end).days)
            else:
                state_text = label("st_out", lang, step=label(f"step_{step.id}", lang))
                age = (today - dt.date.fromisoformat(doc["issued"])).days
                if age > proc.overdue_days:
                    overdue = label("overdue_document", lang, days=age)
        row = {"township": place_name(t, lang, "unknown_township"), "village": place_name(v, lang, "unknown_village"),
               "candidates": int(p["candidates"]), "remaining": int(p["remaining"]),
               "last_step": label(f"step_{proc.steps[last].id}", lang) if last >= 0 else label("st_not_started", lang),
               "begun": last >= 0,
               "state": state_text, "issued": issued, "overdue": overdue, "due": due}
        for s in proc.ids:
            row[f"date_{s}"] = p[f"date_{s}"] if isinstance(p[f"date_{s}"], str) else ""
            row[f"after_{s}"] = int(p[f"after_{s}"]) if p[f"after_{s}"] >= 0 else None
        rows.append(row)
    columns = ["township", "village", "candidates", "remaining", "last_step", "begun", "state", "issued", "overdue", "due",
               *(f"{k}_{s}" for s in proc.ids for k in ("date", "after")), "none_listed"]
    found = pd.DataFrame(rows, columns=columns).assign(none_listed="")
    if notices is not None and len(notices):
        mine = notices.reindex(progress.index)
        hit = mine["none_listed"].notna().to_numpy(dtype=bool) & (progress["remaining"] == 0).to_numpy()
        # Nobody left, and the 公示 saying so out or done: both said, as next counts it out.
        nobody = label("st_nobody_left", lang)
        notice = pd.Series(mine["state"].to_numpy(dtype=object)[hit])
        found.loc[hit, "state"] = notice.map({n: label("st_nobody_left_notice", lang, nobody=nobody, notice=n)
                                              for n in notice.unique()}).to_numpy(dtype=object)
        for column in ("issued", "overdue", "none_listed"):
            found.loc[hit, column] = mine[column].to_numpy(dtype=object)[hit]
        # Its 公示 (本村无) recorded: that is the step it has done, as its state says (and 进度.xlsx), not the
        # 民主评议 before it (a county's township lines said 已完成「民主评议」 of villages all through).
        step = next(s for s in proc.steps if s.objections)
        found.loc[found["none_listed"].eq("done").to_numpy(), "last_step"] = \
            label("step_none_listed", lang, step=label(f"step_{step.id}", lang))
    return found


def _last_step_days(state: State) -> dict[tuple[str, str], str]:
    """{(township, village): the day its households still listed after the track's last step left (or
    entered)}: the latest of their decisions' days, as history has them (an objection at an exit's
    posting settled after its period holds its household until that day, not the period's end)."""
    final = state.proc.ids[-1]
    days = state.household_dates("decision")[final]
    kept = state.alive()[final].to_numpy(dtype=bool) & days.notna().to_numpy(dtype=bool)
    h = state.households[kept]
    if not len(h):
        return {}
    latest = pd.Series(days.to_numpy(dtype=object)[kept]).groupby(
        [h["township"].to_numpy(), h["village"].to_numpy()], dropna=False).max()
    return dict(zip(latest.index.tolist(), latest.tolist()))


def rules_line(rules_id: str, rules_file: str | None, rules_text: str | None, year: int,
               lower_fen: int | None, upper_fen: int, lang: Lang) -> str:
    """The rule set a round (or a screen's run.json) recorded, in screen's own line (认定标准:title(file),
    2020 年度收入:人均纯收入高于 3,750 元、低于 4,000 元; cli.screen.rules_used_line): one wording, so a
    clerk reads the status and the spot check's design as the screen said it. The county's file by
    its name, a shipped one as edgescreen's own; the title from the text the round kept, else its id."""
    from ..rules import rules_from_text, rules_words
    from .rounds import was_shipped

    file = str(rules_file or "")
    loaded = rules_from_text(rules_text, Path(file or f"{rules_id}.toml")) if isinstance(rules_text, str) else None
    return rules_words(loaded.rules.title if loaded is not None else rules_id, rules_id, Path(file).name,
                       was_shipped(rules_id, file), year, lower_fen, upper_fen, lang)


def round_rules_line(round_: dict, lang: Lang) -> str:
    """第 1 轮(筛查日期 2020-12-02)的认定标准:…: the round (a register's row of `rounds`) and the rule
    set and bounds it was decided by, as status heads its terminal and 进度.xlsx and sample 抽样设计.xlsx."""
    def fen(key: str) -> int | None:
        value = round_.get(key)
        return None if value is None or pd.isna(value) else int(value)

    text = round_.get("rules_text")
    line = label("reg_status_round_rules", lang, round=int(round_["id"]), round_date=str(round_["round_date"])[:10],
                 rules=rules_line(str(round_["rules_id"]), round_.get("rules_file"),
                                  text if isinstance(text, str) else None, int(round_["year"]),
                                  fen("lower_fen"), fen("upper_fen"), lang))
    # status's round (status_report) carries the latest spot check recorded: said on the line below.
    checked = spot_check_line(round_.get("spot_check"), lang)
    return f"{line}\n{checked}" if checked else line


def write_status(report: StatusReport, path: Path, lang: Lang = "zh") -> None:
    """进度.xlsx: a row per village with each step's date and the households left after it; the
    households that left, with the step and the reason; the same for the exit procedure where the
    round has one; and the 帮扶 gaps per village with the households concerned."""
    lang = given_lang(lang)
    with atomic_file(path, reserve=True) as tmp:
        # Widths in Arial's digits, as the register's documents: then they print as measured.
        book = new_workbook(tmp, fixed_scale=True)
        formats = cell_formats(book, lang, size=10)
        title = label("progress_title", lang, county=report.county, year=int(report.round["year"]))
        villages = report.villages
        if report.nobody_listed is not None and len(report.nobody_listed):
            # The villages with no candidate whose 公示 (本村无) is out or done: a row each, in its township.
            villages = pd.concat([villages, report.nobody_listed.assign(candidates=0)], ignore_index=True)
            villages = villages.iloc[np.argsort(pd.factorize(villages["township"])[0], kind="stable")]
        _progress_sheet(book, formats, "sheet_progress", title, procedure().ids, villages, report, lang)
        as_of = _as_of(report, lang)
        _removed_sheet(book, formats, "sheet_removed", "removed_title", report.removed, lang, as_of)
        if report.undecided is not None and len(report.undecided):
            _undecided_sheet(book, formats, report, lang, as_of)
        if any(found is not None and len(found) for found in (report.omissions, report.omissions_removed)):
            _omissions_sheet(book, formats, report.omissions, lang, as_of, removed=report.omissions_removed)
        if report.exit_also is not None and len(report.exit_also):
            _omissions_sheet(book, formats, report.exit_also, lang, as_of, "sheet_exit_also", "exit_also_title")
        if report.exit_villages is not None and len(report.exit_villages):
            title = label("exit_progress_title", lang, county=report.county, year=int(report.round["year"]))
            _progress_sheet(book, formats, "sheet_exit_progress", title, procedure("exit").ids, report.exit_villages,
                            report, lang)
            _removed_sheet(book, formats, "sheet_exit_kept", "exit_kept_title", report.exit_removed, lang, as_of)
        if report.gone_villages is not None and len(report.gone_villages):
            title = label("gone_progress_title", lang, county=report.county, year=int(report.round["year"]))
            _progress_sheet(book, formats, "sheet_gone_progress", title, procedure("gone").ids, report.gone_villages,
                            report, lang)
            _removed_sheet(book, formats, "sheet_gone", "gone_title", report.gone, lang, as_of)
        if report.village_remarks is not None and len(report.village_remarks):
            _village_remarks_sheet(book, formats, report.village_remarks, lang, as_of)
        if report.gaps is not None and report.registered:
            _gaps_sheet(book, formats, report, lang)
        # Every printed page says whose report it is and the day it reports on: a January and a March
        # print differ in what is overdue and in the gaps, not in their headings.
        name = label("status_report_name", lang, county=report.county, year=int(report.round["year"]))
        for ws in book.worksheets():
            ws.set_header(running_header(label("status_running", lang, report=name, sheet=ws.name,
                                               as_of=_as_of(report, lang))))
        book.close()


def without_candidates_line(places: list[tuple[str, str]], lang: Lang, shown: int | None = None) -> str:
    """另有 N 个村本轮没有初选户:…, the villages named in the survey's order (all, or the first `shown`
    and the count: a later round's county has hundreds)."""
    named = label("list_sep", lang).join(t + v for t, v in places[:shown])
    if shown is not None and len(places) > shown:
        named = label("rp_villages_more", lang, places=named, count=f"{len(places):,}")
    return label("status_without_candidates", lang, count=len(places), villages=named)


def unjudged_only_line(places: list[tuple[str, str, int]], lang: Lang) -> str:
    """The villages with no candidate whose households (some or all) the round could not decide."""
    return label("status_unjudged_only", lang, count=len(places), households=f"{sum(n for *_, n in places):,}",
                 villages=label("list_sep", lang).join(
                     label("status_unjudged_village", lang, place=t + v, households=f"{n:,}") for t, v, n in places))


def _held_in_wan(state: State) -> list[tuple[str, str, int]]:
    """The villages register next holds for amounts typed in 万元 (steps._with_nobody_listed): nobody on
    the list before its 第一次公示 (no candidate, or every one taken off), some households decided on
    such amounts (state.in_wan); in the survey's order, with how many."""
    if not state.in_wan:
        return []
    progress = state.progress()
    at = next((i for i, s in enumerate(state.proc.steps) if s.objections), len(state.proc.steps))
    emptied = set(progress.index[((progress["remaining"] == 0) & (progress["last"] < at)).to_numpy(dtype=bool)])
    return [(t, v, state.in_wan[(t, v)]) for t, v in state.surveyed
            if (t, v) in state.in_wan and ((t, v) not in progress.index or (t, v) in emptied)]


def in_wan_lines(places: list[tuple[str, str, int]], lang: Lang) -> list[str]:
    """A line per village held for amounts typed in 万元 (StatusReport.in_wan): what is wrong and what to do."""
    return [label("status_in_wan_village", lang, place=t + v, households=f"{n:,}") for t, v, n in places]


def _as_of(report: StatusReport, lang: Lang) -> str:
    """截至 the day reported on, in words."""
    return label("status_as_of", lang, date=format_date(report.as_of or dt.date.today(), lang))


def _progress_sheet(book, formats, sheet: str, title: str, steps: list[str], villages: pd.DataFrame,
                    report: StatusReport, lang: Lang) -> None:
    # Dates as month-day where they all fall in the round's year (said above the table): seven steps of
    # date and households then print on a landscape page at a size that reads (9 pt or more on A4),
    # where full dates, one line each, shrank it to 6.7 pt. A sheet whose dates run into another year
    # (a procedure over the new year, a later year's round) prints each whole on two lines in the
    # same width, 2019- over 11-25: 01-03 alone would read as the round's January.
    # The state and what is overdue wrap rather than widen the page.
    date_keys = [k for k in [f"date_{s}" for s in steps] + ["issued"] if k in villages]
    villages = villages.copy()
    shown = villages[date_keys].fillna("").astype(str)
    days = set(np.unique(shown.to_numpy().ravel()).astype(str).tolist()) - {""}
    one_year = {d[:4] for d in days} <= {str(report.round["round_date"])[:4]}
    date_format = "center" if one_year else "center_wrap"
    specs = [("township", 9, "cell"), ("village", 9, "cell"), ("candidates", 6, "int")]
    for s in steps:
        specs += [(f"date_{s}", 6, date_format), (f"after_{s}", 5, "int")]
    specs += [("state", 19, "cell"), ("issued", 6, date_format), ("overdue", 12, "cell")]
    for key in date_keys:
        villages[key] = shown[key].str[5:10] if one_year else shown[key].str.replace("-", "-\n", n=1, regex=False)
    headers = {"township": "township", "village": "village", "candidates": "st_candidates", "state": "st_state",
               "issued": "st_issued", "overdue": "st_overdue"}
    ws = book.add_worksheet(label(sheet, lang))
    last = len(specs) - 1
    write_block(ws, 0, 0, last, title, formats["title"], 30)
    note = label("status_dates_note", lang) if one_year else ""
    line = label("status_line", lang, registered=report.registered, round_date=report.round["round_date"]) + note
    write_block(ws, 1, 0, last, label("status_dated_line", lang, as_of=_as_of(report, lang), line=line),
                formats["subtitle"], 20)
    header = 2
    if sheet == "sheet_progress":  # the rule set and bounds the round was decided by: a review meeting asks
        rules = round_rules_line(report.round, lang)
        write_block(ws, 2, 0, last, rules, formats["subtitle"],
                    max(20, text_height(rules, sum(w for _, w, _ in specs), 10)))
        header = 3
    # Two header rows: each step's name over its date and households columns.
    for j, (key, width, _) in enumerate(specs):
        ws.set_column(j, j, width)
        if key in headers:
            ws.merge_range(header, j, header + 1, j, label(headers[key], lang), formats["header"])
        elif key.startswith("date_"):
            ws.merge_range(header, j, header, j + 1, label(f"step_{key[5:]}", lang), formats["header"])
            write_cells(ws, header + 1, j, [label("st_date", lang), label("st_after", lang)], formats["header"])
    ws.set_row(header, 30)
    # The places, the state and what is overdue wrap in 10-point text, and the row grows to hold them:
    # a fixed two lines cut 太平沟满族朝鲜族民族村委会第三村 at both ends. The places are no wider:
    # the page's width is spent (9 pt on A4 landscape), and most names fit on a line or two.
    measured = [(key, width, kind) for key, width, kind in specs
                if key in ("township", "village", "state", "overdue")]
    heights = wrapped_heights(villages, measured, 18, font_size=10)
    if not one_year:  # a date on two lines: two lines' height, as a wrapped state has
        heights = np.maximum(heights, printed_height(np.array([2]), 10)[0])
    end = write_records(ws, header + 2, specs, villages, formats, heights=heights)
    notes = [without_candidates_line(report.without_candidates, lang)] \
        if sheet == "sheet_progress" and report.without_candidates else []
    if sheet == "sheet_progress" and report.unjudged_only:
        notes.append(unjudged_only_line(report.unjudged_only, lang))
    if sheet == "sheet_progress" and report.undecided is not None and len(report.undecided):
        # Every village's, those with candidates too: the households and the route on a sheet of their own.
        notes.append(label("status_undecided_see_sheet", lang, line=undecided_line(report.undecided, lang),
                           sheet=label("sheet_undecided", lang)))
    if sheet == "sheet_progress":
        notes += in_wan_lines(report.in_wan, lang)
    if report.print_day is not None:  # the publicities counted from the print day, every village named
        mine = report.print_day[report.print_day["step"].isin([label(f"step_{s}", lang) for s in steps]).to_numpy()]
        notes += print_day_lines(mine, lang)
    for text in notes:
        write_block(ws, end + 1, 0, last, text, formats["subtitle"], text_height(text, sum(w for _, w, _ in specs), 10))
        end += 1
    setup_print(ws, lang, header_row=header + 1, landscape=True)
    ws.repeat_rows(header, header + 1)


def _removed_sheet(book, formats, sheet: str, title: str, removed: pd.DataFrame, lang: Lang, as_of: str) -> None:
    ws = book.add_worksheet(label(sheet, lang))
    removed_columns = [Column("seq", 6, "center"), Column("township", 10), Column("village", 10),
                       Column("group", 9), Column("head_name", 11), Column("masked_id", 21, "center"),
                       Column("st_left_at", 12, "center"), Column("st_left_reason", 36, "wrap"),
                       Column("st_left_date", 14, "center")]
    removed = removed.rename(columns={"step": "st_left_at", "reason": "st_left_reason", "date": "st_left_date"})
    removed = removed.assign(seq=np.arange(1, len(removed) + 1),
                             township=[place_name(t, lang, "unknown_township") for t in removed["township"]],
                             village=[place_name(v, lang, "unknown_village") for v in removed["village"]])
    title = label("status_dated_title", lang, as_of=as_of, title=label(title, lang, count=len(removed)))
    write_block(ws, 0, 0, len(removed_columns) - 1, title, formats["title"],
                max(30, text_height(title, sum(c.width for c in removed_columns), TITLE_SIZE)))
    # Rows as tall as a long place name or reason wraps to (10-point text).
    write_table(ws, 1, removed_columns, removed, formats, lang,
                heights=wrapped_heights(removed, removed_columns, 22, font_size=10))
    setup_print(ws, lang, header_row=1, landscape=True)


def _undecided_sheet(book, formats, report: StatusReport, lang: Lang, as_of: str) -> None:
    """数据有误待核实: the households the round could not decide, each with its row of the survey, under
    the title and what to do now (undecided_route): they are on no list of the procedure."""
    ws = book.add_worksheet(label("sheet_undecided", lang))
    columns = [Column("seq", 6, "center"), Column("township", 10), Column("village", 10), Column("group", 9),
               Column("head_name", 11), Column("masked_id", 21, "center"), Column("st_survey_row", 52, "wrap")]
    table = report.undecided.assign(seq=np.arange(1, len(report.undecided) + 1)) \
        .rename(columns={"at": "st_survey_row"})
    width = sum(c.width for c in columns)
    title = label("status_dated_title", lang, as_of=as_of, title=label("undecided_title", lang, count=len(table)))
    write_block(ws, 0, 0, len(columns) - 1, title, formats["title"], max(30, text_height(title, width, TITLE_SIZE)))
    route = undecided_route(report, lang)
    write_block(ws, 1, 0, len(columns) - 1, route, formats["subtitle"], max(20, text_height(route, width, 10)))
    write_table(ws, 2, columns, table, formats, lang, heights=wrapped_heights(table, columns, 22, font_size=10))
    setup_print(ws, lang, header_row=2, landscape=True)


def _omissions_sheet(book, formats, omissions: pd.DataFrame, lang: Lang, as_of: str, sheet: str = "sheet_omissions",
                     title: str = "omissions_title", removed: pd.DataFrame | None = None) -> None:
    """漏评异议: the objections at a publicity that a household not on the list should be on it, each
    with its village, publicity, head, content, outcome, day and what to do next; the same for an
    exit's posting's objections that a registered household should leave too (也应退出异议). `removed`:
    those naming a household a step of this round took off, a block of its own below, each with that
    step and day in place of a next step: a clerk told to survey them would survey households decided."""
    ws = book.add_worksheet(label(sheet, lang))
    row = 0
    for found, heading, last in ((omissions, title, Column("objection_next", 40, "wrap")),
                                 (removed, "omissions_removed_title", Column("omission_taken_off_column", 40, "wrap"))):
        if found is None or not len(found):
            continue
        columns = [Column("seq", 6, "center"), Column("township", 10), Column("village", 10),
                   Column("st_publicity", 12, "center"), Column("head_name", 11),
                   Column("objection_content", 40, "wrap"), Column("objection_result", 10, "center"),
                   Column("objection_date", 17, "center"), last]
        table = found.assign(seq=np.arange(1, len(found) + 1),
                             township=[place_name(t, lang, "unknown_township") for t in found["township"]],
                             village=[place_name(v, lang, "unknown_village") for v in found["village"]]) \
            .rename(columns={"step": "st_publicity", "content": "objection_content", "result": "objection_result",
                             "date": "objection_date", "next": "objection_next",
                             "taken_off": "omission_taken_off_column"})
        if row:  # a blank row between the blocks
            row += 1
        text = label("status_dated_title", lang, as_of=as_of, title=label(heading, lang, count=len(table)))
        write_block(ws, row, 0, len(columns) - 1, text, formats["title"],
                    max(30, text_height(text, sum(c.width for c in columns), TITLE_SIZE)))
        if not row:
            setup_print(ws, lang, header_row=1, landscape=True)
        row = write_table(ws, row + 1, columns, table, formats, lang,
                          heights=wrapped_heights(table, columns, 22, font_size=10))


def _village_remarks_sheet(book, formats, remarks: pd.DataFrame, lang: Lang, as_of: str) -> None:
    """各村附注: what a village wrote on a list or a form beyond what it reads (a line under the table,
    负责人:王五已迁), each with its village, step, date and document: recorded as the village's, not any
    household's, it would be found nowhere else in 进度.xlsx."""
    ws = book.add_worksheet(label("sheet_village_remarks", lang))
    columns = [Column("seq", 6, "center"), Column("township", 10), Column("village", 10),
               Column("st_remark_at", 12, "center"), Column("st_date", 12, "center"), Column("remark", 48, "wrap"),
               Column("source_file", 30, "wrap")]
    table = remarks.assign(seq=np.arange(1, len(remarks) + 1)).rename(
        columns={"step": "st_remark_at", "date": "st_date", "file": "source_file"})
    title = label("status_dated_title", lang, as_of=as_of,
                  title=label("village_remarks_title", lang, count=len(table)))
    write_block(ws, 0, 0, len(columns) - 1, title, formats["title"],
                max(30, text_height(title, sum(c.width for c in columns), TITLE_SIZE)))
    write_table(ws, 1, columns, table, formats, lang, heights=wrapped_heights(table, columns, 22, font_size=10))
    setup_print(ws, lang, header_row=1, landscape=True)


def _gaps_sheet(book, formats, report: StatusReport, lang: Lang) -> None:
    """各村帮扶缺口: per village the households on the register, those without a measure past the days,
    those whose measures do not fit the difficulty; 帮扶缺口: each of those households. Two sheets, as
    a sheet repeats one header: a county's 300 villages run over pages too, each headed by its own."""
    villages = report.gaps.assign(township=[place_name(t, lang, "unknown_township") for t in report.gaps["township"]],
                                  village=[place_name(v, lang, "unknown_village") for v in report.gaps["village"]])
    columns = [Column("township", 12), Column("village", 12), Column("gap_households", 10, "int"),
               Column("gap_no_measure_count", 14, "int"), Column("gap_unfit_count", 14, "int"),
               Column("gap_ended_count", 12, "int"), Column("gap_any_count", 12, "int"),
               Column("gap_unsurveyed_count", 12, "int"), Column("gap_below_line_count", 14, "int")]
    listed_columns = [Column("seq", 6, "center"), Column("township", 12), Column("village", 12),
                      Column("group", 10), Column("head_name", 14), Column("masked_id", 21, "center"),
                      Column("entered_on", 12, "center"), Column("support_gap", 44, "wrap")]
    villages = villages.rename(columns={"households": "gap_households", "no_measure": "gap_no_measure_count",
                                        "unfit": "gap_unfit_count", "ended": "gap_ended_count",
                                        "gaps": "gap_any_count", "unsurveyed": "gap_unsurveyed_count",
                                        "below_line": "gap_below_line_count"})
    title = label("gaps_title", lang, county=report.county)
    line = label("status_dated_line", lang, as_of=_as_of(report, lang),
                 line=label("gaps_line", lang, days=report.coverage_days))
    ws = book.add_worksheet(label("sheet_gap_villages", lang))
    write_block(ws, 0, 0, len(columns) - 1, title, formats["title"], 30)
    write_block(ws, 1, 0, len(columns) - 1, line, formats["subtitle"], 20)
    # Rows as tall as a long place name or gap wraps to (10-point text).
    write_table(ws, 2, columns, villages, formats, lang, heights=wrapped_heights(villages, columns, 20, font_size=10))
    setup_print(ws, lang, header_row=2, landscape=True)

    listed = report.gap_households
    listed = listed.assign(seq=np.arange(1, len(listed) + 1),
                           township=[place_name(t, lang, "unknown_township") for t in listed["township"]],
                           village=[place_name(v, lang, "unknown_village") for v in listed["village"]])
    ws = book.add_worksheet(label("sheet_gaps", lang))
    last = len(listed_columns) - 1
    write_block(ws, 0, 0, last, title, formats["title"], 30)
    write_block(ws, 1, 0, last, line, formats["subtitle"], 20)
    write_block(ws, 2, 0, 5, label("gaps_listed_title", lang, count=len(listed)), formats["h2"], 24)
    # A household of one line in a line's height (printed_height): at 30 points a page held 14, and a
    # county's list ran on for dozens of pages.
    write_table(ws, 3, listed_columns, listed, formats, lang,
                heights=wrapped_heights(listed, listed_columns, float(printed_height(1, 10)), font_size=10))
    setup_print(ws, lang, header_row=3, landscape=True)


# ---------------------------------------------------------------------------------------------
# register export: the 花名册


# In Arial's digits (new_workbook(fixed_scale=True)): the 花名册 prints its 10-point text at 90 % or
# more on A4 landscape (ROSTER_SCALE), 9 points at least; texts that are longer than their column wrap,
# and the rows grow to hold them (_roster_heights). The columns of free text (ROSTER_TEXT) share the
# page's width by what their cells hold (_roster_columns; their widths here are an empty roster's):
# fixed, they printed an outside try's 169 households on 42 pages, rows of seven lines (an office,
# name and phone in 8.5 characters, the phone broken in two; 帮扶缺口 26.5 wide, half of it empty).
# The counts' headers (家庭人口数) two characters a line, not one.
ROSTER_COLUMNS = [Column("seq", 5, "center"), Column("group", 9), Column("head_name", 9.5),
                  Column("masked_id", 19, "center"), Column("members", 5.5, "int"), Column("residents", 5.5, "int"),
                  Column("per_capita_income", 9, "money"), Column("survey_year", 5.5, "center"),
                  Column("risk", 10), Column("entered_on", 15, "center"), Column("support_measures", 16),
                  Column("support_person", 8.5), Column("support_gap", 26.5)]
ROSTER_TEXT = ("group", "head_name", "risk", "support_measures", "support_person", "support_gap")
ROSTER_WHOLE_HEADERS = ("support_measures", "support_person")  # printed whole on one line (_roster_columns)
ROSTER_SCALE = 90  # percent: the least the roster prints at, its 10-point text 9 points on paper
ROSTER_HEADER_LINES = 3  # a header of more lines than the counts' (家庭人口数) would make every page's taller
ROSTER_NAME_MOST = "乌力吉·巴图"  # a name of up to six characters on one line; a longer one may wrap
ROSTER_SAMPLE = 2000  # households the widths are weighed on: a county's ordinary texts are in any 2,000 of them
# What a line never breaks inside (xlsx.printed_lines, UAX #14): a run of ASCII (a phone number, an
# ID, masked or not) with the marks that keep to it (「…」, a 、 after it).
_UNBROKEN = re.compile(f"[{re.escape(NO_BREAK_AFTER)}]*[!-~]+[{re.escape(NO_BREAK_BEFORE)}]*")
# A household's row of one line of 10-point text: the line (14.6 points apart) and a point above
# and below, as Excel's own rows of it (13.5) and more. 20 points gave a landscape page 20 households
# at most, this 27, as a printed roster has.
ROSTER_ROW_HEIGHT = 16.5
STEP_COLUMNS = [Column("seq", 5, "center"), Column("township", 10), Column("village", 10),
                Column("head_name", 9.5)]
ROSTER_TOWNSHIP_HEIGHT, ROSTER_VILLAGE_HEIGHT = 22, 20  # a township's line, a village's (or a page's place)


def entered_in_round(state: State) -> pd.DataFrame:
    """The households of a round that entered the register (every decision yes, the announcement's
    period over), with the date each step was done."""
    proc = state.proc
    alive = state.alive()[proc.ids[-1]].to_numpy()
    h = state.households[alive].copy()
    dates = state.household_dates("decision")[alive]
    periods = [s.id for s in proc.steps if s.has_period]
    per_village = pd.concat([state.village_facts("period_start")[periods].add_prefix("start_"),
                             state.village_facts("date")[periods].add_prefix("end_")], axis=1)
    h = h.join(per_village, on=["township", "village"])
    for s in proc.steps:
        if not s.has_period:
            h[f"date_{s.id}"] = dates[s.id].to_numpy()
    return h.reset_index(drop=True)


def _of_place(h: pd.DataFrame, township: str | None, village: str | None, surveyed: pd.DataFrame,
              anyone: bool) -> pd.DataFrame:
    """The registered households of `township` (and `village`), names compared as the survey's are
    (_same_place). A place some round surveyed (`surveyed`: township, village) whose households all
    left or never entered has none: its 花名册 is an empty one, which 逐级建档 files all the same. A
    place no round surveyed is refused naming those there are; any place, while nobody has entered
    the register yet (`anyone` false)."""
    if not anyone:  # nobody yet: no roster of a place to file
        raise UsageError("export_nobody_yet", place=(township or "") + (village or ""))
    there = _same_place(surveyed, township, None)
    if township is not None and not there.any():  # the townships there are
        raise UsageError("export_no_place", place=township,
                         places=[t for t in pd.unique(surveyed["township"]) if t])
    if village is not None and not (there & _same_place(surveyed, None, village)).any():
        # the villages there are (of the township asked for)
        raise UsageError("export_no_place", place=(township or "") + village,
                         places=[v for v in pd.unique(surveyed.loc[there, "village"]) if v])
    return h[_same_place(h, township, village)].reset_index(drop=True)


def _ledger_order(reg: db.Register, h: pd.DataFrame) -> pd.Series:
    """household → its place in the ledger of its latest survey (h's `round`; db.screened's
    ledger_order: the survey's sheets and rows as its workbook has them). A read per round."""
    rounds = pd.to_numeric(h["round"])
    read = [db.screened_rows(reg, r, h.loc[rounds.eq(r).to_numpy(), "household"].tolist())
            for r in pd.unique(rounds.dropna()).astype(int).tolist()]
    if not read:
        return pd.Series(dtype="int64")
    return pd.concat(read).set_index("household")["ledger_order"]


def export_register(reg: db.Register, path: str | Path, *, mask: bool = True, lang: Lang = "zh",
                    today: dt.date | None = None, township: str | None = None, village: str | None = None) -> int:
    """Write the 花名册 (登记造册) to `path`, atomically: the households on the register now, by township
    and village, IDs masked unless `mask` is false; each with its latest survey's figures, the day
    it entered, its 帮扶 measures and responsible people, and what the rule set finds missing (帮扶缺口:
    no measure within the days, a difficulty without a fitting measure), counted in each village's
    line; a second sheet gives each household's steps with their dates. `township` (and `village`):
    that township's (village's) households alone, its name in the title, for the copy it keeps
    (逐级建档: county, township and village each file theirs). `today` given: the 花名册 as of that
    day (截至, in its title): the households entered by then and not yet left, the measures begun by
    then, the gaps at it; refused for a day to come, one before the first household entered or before
    the latest round's survey. Returns the number of households."""
    path, mask, lang = given_path(path, "path"), given_flag(mask, "mask"), given_lang(lang)
    as_of = given_day(today, "today")
    today = as_of or dt.date.today()
    if as_of is not None and as_of > dt.date.today():  # a roster of a day to come would be a guess
        raise UsageError("export_as_of_future", date=as_of.isoformat(), today=dt.date.today().isoformat())
    day = today.isoformat()
    proc = procedure()
    with reg.reading():
        rules = round_rules(reg).rules
        gaps = _with_missed_running(reg, support_gaps(reg, rules, as_of=today), lang)
        h = gaps.households
        if as_of is not None:
            _refuse_as_of(reg, h, day)
        steps = [entered_in_round(load_state(reg, int(r))) for r in sorted(h["entry_round"].unique())]
        latest = load_state(reg)
        measures = current_measures(reg, h["household"])
        off = gone_households(reg)
        left = left_households(reg, township=township, village=village, as_of=as_of)
        exits = exited_households(reg, township=township, village=village, as_of=as_of)
        if township is not None or village is not None:
            surveyed = pd.DataFrame(db.surveyed_villages(reg), columns=["township", "village"])
            h = _of_place(h, township, village, surveyed, anyone=bool(len(registry(reg))))
        ledger = _ledger_order(reg, h)
    if as_of is not None:  # the measures the household had then: one begun later was not yet its
        measures = measures[measures["start"].fillna("").le(day).to_numpy()]
    off = off[off["on"].fillna("").le(day).to_numpy()]  # one found gone after the day was on the register then
    step_columns = [c for s in steps for c in s.columns if c.startswith(("date_", "start_", "end_"))]
    if steps:
        dated = pd.concat([s[["household", *dict.fromkeys(c for c in s.columns if c.startswith(("date_", "start_", "end_")))]]
                           for s in steps], ignore_index=True).drop_duplicates("household", keep="last")
        h = h.merge(dated, on="household", how="left")
    for c in dict.fromkeys(step_columns):
        h[c] = h[c] if c in h else None
    # As a village clerk looks one up: by 村民小组 (registered_households gives the places in the survey's order).
    h = in_group_order(h, h["household"].map(ledger))
    if township is not None or village is not None:
        off = off[_same_place(off, township, village)]
    text = (lambda s: mask_in_text(s.astype("string"))) if mask else (lambda s: s.fillna("").astype(object))  # noqa: E731
    summary, people = measure_summary(_with_amounts(measures, lang), lang)
    # Each household's figures are its latest survey's: of a household this year's survey missed
    # (本年未调查), an earlier year's, which the 调查年度 column and its village's line say.
    year = int(latest.round["year"])
    unsurveyed = h["unsurveyed"].to_numpy(dtype=bool)
    unjudged = _unjudged(h).to_numpy()
    rows = pd.DataFrame({
        "seq": np.arange(1, len(h) + 1), "township": h["township"].to_numpy(), "village": h["village"].to_numpy(),
        "group": text(h["grp"]).to_numpy(), "head_name": text(h["head_name"]).to_numpy(),
        # An ID Excel stored as a number starred whole (mask_id_shown), as the village lists and the
        # 已销户 and 已退出 sheets show it, not half (2.2012**********e+17).
        "masked_id": (mask_id_shown(h["head_id"].astype("string")) if mask else h["head_id"].fillna("")).to_numpy(),
        "members": pd.to_numeric(h["members"]).astype("Float64").to_numpy(),
        "residents": pd.to_numeric(h["residents"]).astype("Float64").to_numpy(),
        # An invalid survey's income is left out (its 帮扶缺口 says why), not shown as the year's.
        "per_capita_income": (pd.to_numeric(h["per_capita_fen"]).astype("Float64") / 100).mask(unjudged).to_numpy(),
        "survey_year": h["survey_year"].to_numpy(),
        "risk": text(h["difficulty"]).to_numpy(),
        "entered_on": _dates_text(h["entered_on"], lang).to_numpy(),
        "support_measures": text(h["household"].map(summary).astype(object).fillna("")).to_numpy(),
        "support_person": text(h["household"].map(people).astype(object).fillna("")).to_numpy(),
        "support_gap": support_gap_words(h, rules, lang, gaps.year).to_numpy(),
    })
    gap = (h["no_measure"] | h["unfit"].ne("") | h["ended"]).to_numpy()
    below_line = h["below_line"].to_numpy(dtype=bool)
    # The steps sheet gives dates as YYYY-MM-DD: eight columns of them fit the page's width.
    for s in proc.steps:
        if s.has_period:
            start, end = h.get(f"start_{s.id}"), h.get(f"end_{s.id}")
            rows[f"step_{s.id}"] = (start.fillna("").astype(str) + label("period_between", lang)
                                    + end.fillna("").astype(str)).to_numpy() if start is not None else ""
        else:
            column = h.get(f"date_{s.id}")
            rows[f"step_{s.id}"] = column.fillna("").astype(str).to_numpy() if column is not None else ""
    county = county_name(latest, lang)
    people_count = int(pd.to_numeric(h["members"]).fillna(pd.to_numeric(h["residents"])).fillna(0).sum())
    with atomic_file(path, reserve=True) as tmp:
        book = new_workbook(tmp, fixed_scale=True)
        formats = cell_formats(book, lang, size=10)
        formats["place"] = book.add_format({"font_name": label("font_name", lang), "font_size": 11, "bold": True,
                                            "border": 1, "bg_color": "#F2F2F2", "valign": "vcenter"})
        ws = book.add_worksheet(label("sheet_roster", lang))
        columns = _roster_columns(rows, lang)
        last = len(columns) - 1
        # A roster of a day gone by (--as-of) says it in its title, so on every page's header too.
        place = county + (township or "") + (village or "")
        title = label("roster_title", lang, county=place, year=year) if as_of is None else \
            label("roster_title_as_of", lang, county=place, year=year, date=format_date(as_of, lang))
        write_block(ws, 0, 0, last, title, formats["title"], 32)
        line = label("roster_line", lang, count=len(h), people=people_count, date=format_date(today, lang)) \
            if as_of is None else label("roster_line_as_of", lang, count=len(h), people=people_count,
                                        as_of=format_date(as_of, lang), date=format_date(dt.date.today(), lang))
        if unsurveyed.any():
            line += label("roster_line_unsurveyed", lang, count=int(unsurveyed.sum()), year=year)
        if below_line.any():
            line += label("roster_line_below_line", lang, count=int(below_line.sum()))
        if unjudged.any():
            line += label("roster_line_unjudged", lang, count=int(unjudged.sum()), year=year)
        if len(off):
            line += label("roster_line_gone", lang, count=len(off))
        exited = int(left["left_by"].eq("exit").sum())
        if exited:  # off the register by its exit procedure: not on the 花名册, said so
            line += label("roster_line_exited", lang, count=exited)
        if not mask:  # a copy that must not leave the office it is made for says so on its face
            line = label("roster_unmasked", lang) + line  # the county's or a township's (--township)
        # As tall as its words: the notes above make it two lines and more (a fixed 20 points cut them).
        write_block(ws, 1, 0, last, line, formats["subtitle"],
                    max(20.0, text_height(line, sum(c.width for c in columns), 10)))
        header = 2
        # Nobody on it: a (无) row under the header, as the 认定环节 sheet has, above the signature line.
        first = write_table(ws, header, columns, rows.iloc[:0], formats, lang, empty_row=rows.empty)
        lists = ColumnLists.of(rows, [c.key for c in columns])
        heights = _roster_heights(rows, columns)
        runs = _runs(rows)
        texts = []  # each run's line: a township's, or a village's with its gaps and households not surveyed
        for (t, v), start, stop in runs:
            if v is None:
                texts.append(label("roster_township", lang, township=place_name(t, lang, "unknown_township"),
                                   count=stop - start))
                continue
            village = label("roster_village", lang, village=place_name(v, lang, "unknown_village"), count=stop - start)
            missing = int(gap[start:stop].sum())
            if missing:
                village += label("roster_village_gaps", lang, count=missing)
            if unsurveyed[start:stop].any():
                village += label("roster_village_unsurveyed", lang, count=int(unsurveyed[start:stop].sum()),
                                 year=year)
            if below_line[start:stop].any():
                village += label("roster_village_below_line", lang, count=int(below_line[start:stop].sum()))
            if unjudged[start:stop].any():
                village += label("roster_village_unjudged", lang, count=int(unjudged[start:stop].sum()), year=year)
            texts.append(village)
        widths = [c.width for c in columns]
        scale = print_scale(widths, landscape=True)
        kind, ref, sizes = _roster_sequence(runs, heights)
        body = page_body(landscape=True)[1] * 100 / scale - HEIGHT_SLACK
        top = sum(row_height(ws, r) for r in range(header + 1))
        starts = _roster_pages(kind, sizes, top=top, header=row_height(ws, header), body=body,
                               tail=SIGNATURE_GAP + SIGNATURE_HEIGHT)
        # Past the page breaks Excel keeps, the last ones (those that place the signatures): the pages
        # before them break where Excel breaks a full page, with no continued-place line of their own.
        row, breaks = _write_roster_rows(ws, first, runs, texts, kind, ref, starts[-MAX_PAGE_BREAKS:], lists,
                                         heights, formats, lang, columns)
        ws.set_row(row, SIGNATURE_GAP)
        write_block(ws, row + 1, 0, last, label("roster_sign", lang), formats["sign"], SIGNATURE_HEIGHT)
        # Every page says what it is (the title above it) and, above its first household, where its
        # households are: a page beginning inside a township or a village first names them again.
        setup_print(ws, lang, header_row=header, landscape=True, running_title=title)
        ws.set_print_scale(scale)  # not fitted to the page: Excel keeps manual page breaks only then
        set_page_breaks(ws, breaks)

        ws = book.add_worksheet(label("sheet_roster_steps", lang))
        # A period (2019-12-12至2019-12-18) on two lines, broken after its 至: every column on one page's
        # width at full size, where on one line they would print at less than 90 %. At 15 wide a date
        # and its 至 took a line more than that (the widest digits): three lines, 49.5 points a row.
        formats["center_wrap"] = book.add_format({"font_name": label("font_name", lang), "font_size": 10,
                                                  "border": 1, "align": "center", "valign": "vcenter",
                                                  "text_wrap": True})
        step_columns = STEP_COLUMNS + [Column(f"step_{s.id}", 16, "center_wrap") if s.has_period
                                       else Column(f"step_{s.id}", 12, "center") for s in proc.steps]
        # Titled for its place as the 花名册 is (a township's copy, --township): not the county's alone.
        steps_title = label("roster_steps_title", lang, county=place, year=year) if as_of is None else \
            label("roster_steps_title_as_of", lang, county=place, year=year, date=format_date(as_of, lang))
        write_block(ws, 0, 0, len(step_columns) - 1, steps_title, formats["title"], 30)
        rows_steps = rows.assign(township=[place_name(t, lang, "unknown_township") for t in rows["township"]],
                                 village=[place_name(v, lang, "unknown_village") for v in rows["village"]])
        # As tall as a long township's, village's or name's lines: a fixed 30 points cut them.
        write_table(ws, 1, step_columns, rows_steps, formats, lang,
                    heights=wrapped_heights(rows_steps, step_columns, 30, 10).tolist())
        setup_print(ws, lang, header_row=1, landscape=True, running_title=steps_title)
        ws.set_print_scale(print_scale([c.width for c in step_columns], landscape=True))
        if len(off):
            _gone_sheet(book, formats, off, place, text, mask, lang)
        if len(exits):  # who left by the exit procedure, filed with the roster each year (动态管理)
            _exited_sheet(book, formats, exits, place, as_of, text, mask, lang)
        book.close()
    return len(h)


def _refuse_as_of(reg: db.Register, h: pd.DataFrame, day: str) -> None:
    """A 花名册 as of `day` (h: the households on the register then) that would not be that day's: nobody
    entered yet (the first households enter when their 公告 ends), or a day before the latest round's
    survey, whose figures (income, the year surveyed, below the line) every row shows."""
    if not len(h):
        entered = registry(reg)["entered_on"].dropna().astype(str)
        if len(entered) and entered.min() > day:
            raise UsageError("export_as_of_before_register", date=day, first=entered.min())
    latest = db.latest_round(reg)
    if latest is not None and day < str(latest["round_date"]):
        raise UsageError("export_as_of_before_round", date=day, round=int(latest["id"]), year=int(latest["year"]),
                         round_date=str(latest["round_date"]))


def _with_amounts(measures: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The measures with their 金额 after their content (庭院经济,5,000元), as the measure form gives
    it a column. Where none was recorded (or 0, written for none) the line is as it was, and its row no
    taller. Each distinct amount worded once."""
    if measures.empty:
        return measures
    fen = pd.to_numeric(measures["amount_fen"]).astype("Int64")
    has = (fen.notna() & fen.ne(0)).fillna(False).to_numpy(dtype=bool)
    if not has.any():
        return measures
    said = {v: label("roster_measure_amount", lang, amount=yuan_words(v)) for v in fen[has].unique().tolist()}
    return measures.assign(content=measures["content"].fillna("").astype(str)
                           + fen.astype(object).map(said).fillna("").astype(str))


GONE_COLUMNS = [Column("seq", 5, "center"), Column("township", 10), Column("village", 10), Column("group", 9),
                Column("head_name", 9.5), Column("masked_id", 20, "center"), Column("last_surveyed", 9, "center"),
                Column("gone_state", 11, "wrap"), Column("gone_on", 15, "center"), Column("gone_notes", 30, "wrap")]


def gone_households(reg: db.Register) -> pd.DataFrame:
    """The households off the register because their 未调查户核实 found them gone (户已不存在) and not
    on it again since: each with its last survey (place, head, year), the day it left and why."""
    r = registry(reg)
    r = r[(r["left_by"] == "gone") & ~r["on_register"].astype(bool)]
    columns = ["household", "township", "village", "grp", "head_name", "head_id", "last_surveyed", "on", "reason"]
    if r.empty:
        return pd.DataFrame(columns=columns)
    found = gone(reg).rename(columns={"round": "exit_round"})
    found["exit_round"] = found["exit_round"].astype("Int64")
    r = r.merge(found, on=["household", "exit_round"], how="left")
    # As last surveyed before it was found gone (the round whose survey missed it, exit_round): a
    # later survey that finds its head again is of a household not on the register.
    years = db.rounds(reg).set_index("id")["year"]
    surveys = db.screened_of(reg, r["household"].astype(int).tolist())  # in round order per household
    surveys = surveys.assign(head_id=db.kept_ids(surveys).to_numpy()).merge(r[["household", "exit_round"]],
                                                                             on="household")
    latest = surveys[surveys["round"] < surveys["exit_round"]].drop_duplicates("household", keep="last")
    latest = latest.assign(last_surveyed=latest["round"].map(years).astype("Int64"))
    out = r.merge(latest[["household", "township", "village", "grp", "head_name", "head_id", "last_surveyed",
                          "net_fen", "residents"]], on="household", how="left")
    return in_meeting_order(out, ["household"])[columns]


def left_households(reg: db.Register, *, township: str | None = None, village: str | None = None,
                    as_of: dt.date | None = None) -> pd.DataFrame:
    """The households of `township` (and `village`) that were on the register and are off it now (or on
    `as_of`), not on it again since: (household, left_by: 'exit' or 'gone'). Each is of the place of its
    last survey before it left: its exit round's (the survey that found it above the line), or the one
    before the round whose survey missed it (found gone), as gone_households places it."""
    r = registry(reg, as_of=as_of)
    entered = r["entered_on"].notna()
    if as_of is not None:  # one that entered after the day had not left by it
        entered &= r["entered_on"].fillna("9999").astype(str).le(as_of.isoformat())
    r = r[(entered & ~r["on_register"].astype(bool)).to_numpy()]
    if r.empty:
        return pd.DataFrame(columns=["household", "left_by"])
    surveys = db.screened_of(reg, r["household"].astype(int).tolist())[["household", "round", "township", "village"]]
    surveys = surveys.merge(r[["household", "exit_round", "left_by"]], on="household")  # in round order
    # Its surveys up to its exit's round, or before the round whose survey missed it (found gone).
    until = surveys["exit_round"].astype(int) + surveys["left_by"].eq("exit").astype(int)
    latest = surveys[(surveys["round"].astype(int) < until).to_numpy()].drop_duplicates("household", keep="last")
    return latest[_same_place(latest, township, village).to_numpy()][["household", "left_by"]].reset_index(drop=True)


def _same_place(h: pd.DataFrame, township: str | None, village: str | None) -> pd.Series:
    """Whether each row is of `township` (and `village`), names compared as the survey's are
    (normalise_place: 合隆镇 and 合隆 alike only where written alike)."""
    keep = pd.Series(True, index=h.index)
    for column, name in (("township", township), ("village", village)):
        if name is not None:
            keep &= normalise_place(h[column].fillna("").astype(str)).fillna("").eq(
                normalise_place(pd.Series([name])).fillna("").iloc[0])
    return keep


def _gone_sheet(book, formats, off: pd.DataFrame, county: str, text, mask: bool, lang: Lang) -> None:
    """已销户: the households whose 未调查户核实 found them gone (户已不存在), with the day and the reason."""
    ws = book.add_worksheet(label("sheet_gone", lang))
    rows = pd.DataFrame({
        **household_identity(off, lang, mask),
        "last_surveyed": off["last_surveyed"].astype("Int64").to_numpy(dtype=object, na_value=None),
        "gone_state": label("gone_state_word", lang),
        "gone_on": _dates_text(off["on"], lang).to_numpy(),
        "gone_notes": text(off["reason"]).to_numpy()})
    title = label("gone_roster_title", lang, county=county, count=len(rows))
    write_block(ws, 0, 0, len(GONE_COLUMNS) - 1, title, formats["title"], 30)
    write_table(ws, 1, GONE_COLUMNS, rows, formats, lang, heights=wrapped_heights(rows, GONE_COLUMNS, 22, font_size=10))
    setup_print(ws, lang, header_row=1, landscape=True, running_title=title)
    ws.set_print_scale(print_scale([c.width for c in GONE_COLUMNS], landscape=True))


EXITED_COLUMNS = [Column("seq", 5, "center"), Column("township", 10), Column("village", 10), Column("group", 9),
                  Column("head_name", 9.5), Column("masked_id", 20, "center"), Column("exited_year", 9, "center"),
                  Column("exited_reason", 16, "wrap"), Column("step_exit_review", 11.5, "center"),
                  Column("step_exit_verify", 11.5, "center"), Column("step_exit_publicity", 16, "center_wrap"),
                  Column("exited_on", 15, "center")]


def exited_households(reg: db.Register, *, township: str | None = None, village: str | None = None,
                      as_of: dt.date | None = None) -> pd.DataFrame:
    """已退出: the households of `township` (and `village`) off the register by the exit procedure now (or
    on `as_of`), as left_households counts them (the 花名册's line): each as its exit round's survey
    found it (place, head, the year, its status: the bound reached, or now 低保/特困/建档立卡), the days of
    the exit's steps and the day it left, in the survey's village order. One on the register again
    since is on the 花名册 (its entry the new one), as the registry holds its earlier exit an older story."""
    columns = ["household", "township", "village", "grp", "head_name", "head_id", "exited_year", "status",
               "date_exit_review", "date_exit_verify", "start_exit_publicity", "end_exit_publicity", "exited_on"]
    left = left_households(reg, township=township, village=village, as_of=as_of)
    keys = left.loc[left["left_by"].eq("exit").to_numpy(), "household"].astype(int).tolist()
    if not keys:
        return pd.DataFrame(columns=columns)
    r = registry(reg, as_of=as_of)
    r = r[r["household"].isin(keys).to_numpy()][["household", "exit_round", "exited_on"]]
    r = r.assign(exit_round=r["exit_round"].astype(int))
    # The exit's steps as each village did them (entered_in_round of the exit track: every step yes).
    steps = pd.concat([entered_in_round(load_state(reg, x, track="exit")).assign(exit_round=x)
                       for x in sorted(r["exit_round"].unique().tolist())], ignore_index=True)
    out = r.merge(steps.drop(columns=["head_id"]), on=["household", "exit_round"], how="left")
    # The ID as the register kept it at that round: a survey's invalid ID does not replace a valid one.
    surveys = db.screened_of(reg, keys)
    surveys = surveys.assign(head_id=db.kept_ids(surveys).to_numpy())[["household", "round", "head_id"]]
    out = out.merge(surveys.rename(columns={"round": "exit_round"}), on=["household", "exit_round"], how="left")
    out["exited_year"] = out["exit_round"].map(db.rounds(reg).set_index("id")["year"]).astype("Int64")
    for c in columns:
        out[c] = out[c] if c in out else None
    # The villages in the order the surveys first have them; within one, by the year it left, then as
    # the meeting lists them.
    order = {place: i for i, place in enumerate(db.surveyed_villages(reg))}
    out = in_meeting_order(out.assign(township=out["township"].fillna("").astype(str),
                                      village=out["village"].fillna("").astype(str)), ["household"])
    out["_village"] = [order.get(place, len(order)) for place in zip(out["township"], out["village"])]
    out = out.sort_values(["_village", "exit_round"], kind="stable")
    return out[columns].reset_index(drop=True)


def _exited_sheet(book, formats, exited: pd.DataFrame, place: str, as_of: dt.date | None, text, mask: bool,
                  lang: Lang) -> None:
    """已退出: the households that left by the exit procedure (退出公示 over), laid out as 已销户: why each
    left, its steps' days and the day it left; titled for the county (the township, the village of a
    copy for one) and the day of a roster as of one (截至)."""
    from .documents import EXIT_REASONS

    ws = book.add_worksheet(label("sheet_exited", lang))
    status = exited["status"].fillna("").astype(str)
    reasons = {s: label("exited_reason_safety_net", lang, what=label(EXIT_REASONS[s], lang))
               if s in EXIT_REASONS else label("exit_reason_income", lang) for s in status.unique().tolist()}
    between = label("period_between", lang)
    start, end = exited["start_exit_publicity"].fillna("").astype(str), exited["end_exit_publicity"].fillna("").astype(str)
    rows = pd.DataFrame({
        **household_identity(exited, lang, mask),
        "exited_year": exited["exited_year"].astype("Int64").to_numpy(dtype=object, na_value=None),
        "exited_reason": status.map(reasons).to_numpy(),
        # The steps' days as the 认定环节 sheet gives them (YYYY-MM-DD; a period wraps after its 至).
        "step_exit_review": exited["date_exit_review"].fillna("").astype(str).to_numpy(),
        "step_exit_verify": exited["date_exit_verify"].fillna("").astype(str).to_numpy(),
        "step_exit_publicity": (start + between + end).where(start.ne("") | end.ne(""), "").to_numpy(),
        "exited_on": _dates_text(exited["exited_on"], lang).to_numpy()})
    title = label("exited_roster_title", lang, county=place, count=len(rows)) if as_of is None else \
        label("exited_roster_title_as_of", lang, county=place, count=len(rows), date=format_date(as_of, lang))
    write_block(ws, 0, 0, len(EXITED_COLUMNS) - 1, title, formats["title"], 30)
    # As tall as the period's two lines (broken after its 至) and a long reason's.
    write_table(ws, 1, EXITED_COLUMNS, rows, formats, lang,
                heights=wrapped_heights(rows, EXITED_COLUMNS, 22, font_size=10))
    setup_print(ws, lang, header_row=1, landscape=True, running_title=title)
    ws.set_print_scale(print_scale([c.width for c in EXITED_COLUMNS], landscape=True))


def _roster_heights(rows: pd.DataFrame, columns: list[Column]) -> np.ndarray:
    """Each household's row height on the 花名册: one line of its 10-point text in ROSTER_ROW_HEIGHT, more
    where a text wraps in its column of `columns` (xlsx.wrapped_heights, the one model of printed text)."""
    return wrapped_heights(rows, [(c.key, c.width, c.fmt) for c in columns], ROSTER_ROW_HEIGHT, font_size=10)


def _pixels(width: float) -> int:
    """The pixels Excel gives a column `width` characters wide (xlsx.column_points without its padding)."""
    return int(width * 7 + 0.5)


def _one_line(text: str) -> int:
    """The pixels of a column that prints `text` on one line in 10-point type (xlsx.line_width)."""
    return _pixels(line_width(text, 10))


def _texts_of(values: pd.Series) -> pd.Series:
    """A column's cells as str, a blank as ""."""
    return values.astype("string").fillna("").astype(object)


def _roster_columns(rows: pd.DataFrame, lang: Lang) -> list[Column]:
    """The 花名册's columns sized by what their cells hold, within the page's width at ROSTER_SCALE.
    纳入日期 as wide as its longest date (it does not wrap). Each column of free text (ROSTER_TEXT) at
    least as wide as its header in ROSTER_HEADER_LINES lines, as a name of up to four characters
    (户主姓名) and as the longest run a line never breaks inside (a phone number or an ID whole on a
    line of its own, not 139* / ***1234); then the room left goes a character at a time where it saves
    the most printed height (_widened): a column mostly empty takes little, one of long texts much."""
    if rows.empty:
        return ROSTER_COLUMNS
    fixed = {c.key: c for c in ROSTER_COLUMNS if c.key not in ROSTER_TEXT}
    dates = _texts_of(rows["entered_on"]).unique().tolist()
    fixed["entered_on"] = fixed["entered_on"]._replace(width=max(
        _header_pixels("entered_on", lang), *map(_one_line, dates)) / 7)
    names = _texts_of(rows["head_name"]).str.len()
    least = {key: max(_header_pixels(key, lang), _unbroken_pixels(_texts_of(rows[key]))) for key in ROSTER_TEXT}
    least["head_name"] = max(least["head_name"], _one_line("国" * min(int(names.max()), len(ROSTER_NAME_MOST))))
    page = page_body(landscape=True)[0] * 100 / ROSTER_SCALE / WIDTH_SLACK / 0.75  # pixels, their padding too
    room = int(page) - 5 * len(ROSTER_COLUMNS) - sum(_pixels(c.width) for c in fixed.values())
    # The support columns' headers whole on their line (帮扶措施, never 帮扶措 over 施, as LibreOffice printed
    # them empty) where the page holds them: a width that breaks them in two in Excel holds three in LibreOffice.
    whole = {key: max(px, _word_header_pixels(key, lang)) if key in ROSTER_WHOLE_HEADERS else px
             for key, px in least.items()}
    least = whole if sum(whole.values()) <= room else least
    room -= sum(least.values())
    # Weighed on evenly spaced households of a large county: the widths, not any household's lines.
    sample = rows.iloc[np.unique(np.linspace(0, len(rows) - 1, min(len(rows), ROSTER_SAMPLE)).astype(int))]
    texts = [_texts_of(sample[key]) for key in ROSTER_TEXT]
    pixels = np.array(_widened(texts, [least[key] for key in ROSTER_TEXT], max(room, 0)))
    # Room no line needs still goes to the columns that hold text, in their proportions: a narrower
    # table would print at more than ROSTER_SCALE, and fewer households a page (20, not 25, of one line).
    spare = max(room, 0) - int(pixels.sum()) + sum(least.values())
    held = np.array([bool(t.str.len().gt(0).any()) for t in texts]) * pixels
    if spare > 0 and held.sum():
        more = np.floor(spare * held / held.sum()).astype(int)
        more[int(np.argmax(held))] += spare - int(more.sum())
        pixels = pixels + more
    sized = dict(zip(ROSTER_TEXT, pixels.tolist()))
    return [fixed[c.key] if c.key in fixed else c._replace(width=sized[c.key] / 7) for c in ROSTER_COLUMNS]


def _header_pixels(key: str, lang: Lang) -> int:
    """The narrowest column (pixels) printing `key`'s header in ROSTER_HEADER_LINES lines (at the 11
    points write_table sizes the header row for)."""
    text = label(key, lang)
    return next(p for p in range(7, _one_line(text) + 7) if lines_of(text, p / 7, 11) <= ROSTER_HEADER_LINES)


def _word_header_pixels(key: str, lang: Lang) -> int:
    """The pixels of a column printing `key`'s header on one line (at 11 points, as _header_pixels)
    where it is one short word (xlsx.HEADER_WORD_MOST characters, no space: 帮扶责任人); 0 otherwise."""
    text = label(key, lang)
    return _pixels(line_width(text, 11)) if len(text) <= HEADER_WORD_MOST and " " not in text else 0


# The longest run kept whole: an ID of 18 characters and a mark beside it. A longer one (something
# typed without a space) breaks where it must rather than take the page's width.
ROSTER_UNBROKEN_MOST = _one_line("220122198001011234、")


def _unbroken_pixels(texts: pd.Series) -> int:
    """The pixels of a column holding the longest run of `texts` that a line never breaks inside
    (_UNBROKEN) on one line, at most ROSTER_UNBROKEN_MOST; 0 where they have none."""
    runs = pd.Series(texts.unique()).str.findall(_UNBROKEN).explode().dropna()
    if runs.empty:
        return 0
    # Digits are of one width: a county's phone numbers are a handful of shapes to measure, not one each.
    shapes = runs.str.replace(r"[0-9]", "0", regex=True).unique().tolist()
    return min(max(map(_one_line, shapes)), ROSTER_UNBROKEN_MOST)


def _widened(texts: list[pd.Series], least: list[int], room: int) -> list[int]:
    """Pixels for columns of `texts` (one Series each, the same households), each from its `least`,
    `room` more shared: a character (7 pixels) or more at a time to the column whose widening saves
    the most printed height a pixel (the households' rows, each as tall as its most lines), until
    nothing saves more or the room is spent. Where two columns both hold a row at its lines, widening
    one alone saves its own lines only, which breaks the tie (a point per hundred lines)."""
    lines, steps = [], []
    for values, px in zip(texts, least):
        codes, distinct = pd.factorize(values)
        longest = max((_one_line(line) for t in distinct.tolist() for line in str(t).split("\n")), default=0)
        widths = px + 7 * np.arange(0, max(min(longest, px + room) - px, 0) // 7 + 2)
        lines.append(np.stack([printed_lines(list(distinct), w / 7, 10)[codes] if len(distinct) else
                               np.ones(len(values), dtype=np.int64) for w in widths.tolist()]))
        steps.append(widths)
    at = [0] * len(texts)

    def cost(held: np.ndarray, own) -> np.ndarray:  # the rows' height, and all the columns' lines (`own`)
        tall = np.where(held > 1, printed_height(held, 10), ROSTER_ROW_HEIGHT)
        return tall.sum(axis=-1) + own / 100

    left = room
    while True:
        now = np.stack([lines[c][at[c]] for c in range(len(texts))])
        best, pick = 0.0, None
        for c in range(len(texts)):
            others = np.delete(now, c, axis=0)
            held = np.maximum(lines[c][at[c] + 1:], others.max(axis=0)) if len(others) else lines[c][at[c] + 1:]
            more = steps[c][at[c] + 1:] - steps[c][at[c]]
            fits = more <= left
            if not fits.any():
                continue
            saved = (cost(now.max(axis=0), now.sum())
                     - cost(held, lines[c][at[c] + 1:].sum(axis=1) + others.sum())) / more
            saved[~fits] = 0
            j = int(np.argmax(saved))
            if saved[j] > best:
                best, pick = float(saved[j]), (c, j + 1)
        if pick is None:
            break
        c, j = pick
        left -= int(steps[c][at[c] + j] - steps[c][at[c]])
        at[c] += j
    # Widened one at a time, two columns that hold the same rows are left where neither alone saves a
    # line: then a column gives up a character or a few to another, while that saves height.
    while True:
        now = cost(np.stack([lines[c][at[c]] for c in range(len(texts))]).max(axis=0),
                   sum(int(lines[c][at[c]].sum()) for c in range(len(texts))))
        best, pick = 0.0, None
        for a in range(len(texts)):
            for give in range(1, min(at[a], 4) + 1):
                for b in range(len(texts)):
                    spare = left + int(steps[a][at[a]] - steps[a][at[a] - give])
                    take = int(np.searchsorted(steps[b] - steps[b][at[b]], spare, side="right")) - 1 - at[b]
                    if b == a or take < 1:
                        continue
                    trial = [*at]
                    trial[a], trial[b] = at[a] - give, at[b] + take
                    held = np.stack([lines[c][trial[c]] for c in range(len(texts))])
                    saved = now - cost(held.max(axis=0), int(held.sum()))
                    if saved > best + 1e-9:
                        best, pick = saved, trial
        if pick is None:
            return [int(steps[c][at[c]]) for c in range(len(texts))]
        left -= sum(int(steps[c][pick[c]] - steps[c][at[c]]) for c in range(len(texts)))
        at = pick


def _roster_sequence(runs, heights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 花名册's rows below its header, in order: per row its kind (0 a household, 1 a township's
    line, 2 a village's), what it is (the household's index into the table, or the run's into
    `runs`) and its height. Built a run at a time."""
    kinds, refs = [], []
    for i, ((_, v), start, stop) in enumerate(runs):
        kinds.append(np.array([1 if v is None else 2]))
        refs.append(np.array([i]))
        if v is not None:
            kinds.append(np.zeros(stop - start, dtype=int))
            refs.append(np.arange(start, stop))
    if not kinds:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int), np.zeros(0)
    kind, ref = np.concatenate(kinds), np.concatenate(refs)
    size = np.where(kind == 1, ROSTER_TOWNSHIP_HEIGHT, ROSTER_VILLAGE_HEIGHT).astype(float)
    size[kind == 0] = heights[ref[kind == 0]]
    return kind, ref, size


def _roster_pages(kind: np.ndarray, size: np.ndarray, *, top: float, header: float, body: float,
                  tail: float) -> list[int]:
    """Where the 花名册's pages begin (indexes into its rows, `_roster_sequence`) on pages `body` points
    tall: the first holds `top` (title, line, header) before its rows, every later one the repeated
    `header`, and a place line (ROSTER_VILLAGE_HEIGHT) before its rows unless it begins with a
    township's line. A page never ends on a township's or a village's line (it goes with its rows),
    and the `tail` (the signature line) prints with two households at least. A page at a time."""
    n = len(kind)
    ends = np.cumsum(size)
    starts: list[int] = []
    start, room = 0, body - top
    while n:
        before = ends[start - 1] if start else 0.0
        stop = max(int(np.searchsorted(ends, before + room, side="right")), start + 1)
        if stop >= n:
            break
        while stop - 1 > start and kind[stop - 1] != 0:
            stop -= 1
        starts.append(stop)
        start = stop
        room = body - header - (ROSTER_VILLAGE_HEIGHT if kind[start] != 1 else 0)
    last = starts[-1] if starts else 0
    used = (ends[-1] - (ends[last - 1] if last else 0.0) if n else 0.0) + (body - room if starts else top)
    if n and used + tail > body:
        moved = n - 2 if n >= 2 and kind[n - 2] == 0 else n - 1
        while moved - 1 > last and kind[moved - 1] != 0:  # its place's line goes with it
            moved -= 1
        if moved > last:
            starts.append(moved)
    return starts


def _write_roster_rows(ws, row: int, runs, texts: list[str], kind: np.ndarray, ref: np.ndarray, starts: list[int],
                       lists: ColumnLists, heights: np.ndarray, formats: dict, lang: Lang, columns: list[Column]
                       ) -> tuple[int, list[int]]:
    """The 花名册's rows (`columns`, _roster_columns) from sheet row `row`: the township and village
    lines, the households a run of them at a time, and at the top of each page after the first that
    does not begin with a township's line, the place it continues (the township, and the village where
    it begins among its households). Returns the next row and the rows the pages begin with."""
    n, last = len(kind), len(columns) - 1
    cuts = sorted({0, n, *starts, *np.flatnonzero(kind != 0).tolist(), *(np.flatnonzero(kind != 0) + 1).tolist()})
    page_at = set(starts)
    run_starts = [start for _, start, _ in runs]
    breaks = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= n:
            break
        if a in page_at:
            breaks.append(row)
            if kind[a] != 1:
                run = int(np.searchsorted(run_starts, ref[a], side="right")) - 1 if kind[a] == 0 else int(ref[a])
                (t, v), _, _ = runs[run]
                place = place_name(t, lang, "unknown_township")
                if kind[a] == 0:
                    place += label("roster_place_sep", lang) + place_name(v, lang, "unknown_village")
                write_block(ws, row, 0, last, label("roster_continued", lang, place=place), formats["place"],
                            ROSTER_VILLAGE_HEIGHT)
                row += 1
        if kind[a] != 0:
            write_block(ws, row, 0, last, texts[int(ref[a])], formats["place"],
                        ROSTER_TOWNSHIP_HEIGHT if kind[a] == 1 else ROSTER_VILLAGE_HEIGHT)
            row += 1
        else:
            first, stop = int(ref[a]), int(ref[b - 1]) + 1
            row = write_records(ws, row, columns, lists[first:stop], formats,
                                heights=heights[first:stop].tolist())
    return row, breaks


def _runs(rows: pd.DataFrame) -> list[tuple[tuple[str, str | None], int, int]]:
    """The township lines and each village's run of rows, in order: ((township, None), start, stop)
    before a township's villages, ((township, village), start, stop) for each village."""
    out = []
    if rows.empty:
        return out
    t = rows["township"].to_numpy()
    v = rows["village"].to_numpy()
    change = np.r_[True, (t[1:] != t[:-1]) | (v[1:] != v[:-1])]
    starts = np.flatnonzero(change)
    stops = np.r_[starts[1:], len(rows)]
    t_change = np.r_[True, t[1:] != t[:-1]]
    t_starts = np.flatnonzero(t_change)
    t_stops = np.r_[t_starts[1:], len(rows)]
    t_at = dict(zip(t_starts.tolist(), t_stops.tolist()))
    for a, b in zip(starts.tolist(), stops.tolist()):
        if a in t_at:
            out.append(((t[a], None), a, t_at[a]))
        out.append(((t[a], v[a]), a, b))
    return out


# ---------------------------------------------------------------------------------------------
# register history


@dataclass
class Trail:
    """One household's trail: its screened rows (a row per round) and its events with who, when,
    which command and which file."""

    household: int
    screened: pd.DataFrame
    events: pd.DataFrame
    measures: pd.DataFrame | None = None  # every measure row, replaced ones too, with its changeset
    # Each time its 未调查户核实 found it gone (户已不存在): round, on (the day it left), reason.
    gone: pd.DataFrame | None = None
    # Found by a member's ID (not the head's): that member's relation to the head, for the trail to say.
    member_relation: str | None = None
    member_years: tuple[int, ...] = ()  # the income years whose survey listed that member in it
    # What the register decided of it in each later round (round_changes: change, conditions, year,
    # round_date): the screen's verdict alone (达到收入上限) hid 暂不退出 or 拟退出 from the trail.
    changes: pd.DataFrame | None = None
    exited_on: str | None = None  # left by the exit procedure (its publicity over), after its last entry
    # Its members that a survey listed in another household too (分户, or listed twice): member_id,
    # relation (here), other_head, other_place, other_relation, years (the other's income years).
    members_elsewhere: pd.DataFrame | None = None
    # The rounds whose survey found it in another village because its own was merged into that one
    # (撤并村): no move, said as the merge.
    merged_rounds: frozenset[int] = frozenset()


def household_history(reg: db.Register, head_id: str, name: str | None = None) -> list[Trail]:
    """The trails of the household(s) of `head_id`: a head's ID, a member's, or a masked one as the
    printed lists give it (220122********0866), which `name`, the head's name beside it on the list,
    tells apart where heads share it (at a county's size most masked IDs are shared)."""
    from ..errors import InputError

    head_id = "".join(given_id(head_id).split()).upper().replace("＊", "*")
    with reg.reading():
        keys = db.households_with_id(reg, head_id)
        relations: dict[int, str] = {}
        member_years: dict[int, tuple[int, ...]] = {}
        if not keys:  # a member's ID (a spouse named in a complaint): the household it belongs to
            members = db.households_with_member(reg, head_id)
            keys = members["household"].astype(int).tolist()
            relations = dict(zip(keys, members["relation"].fillna("").astype(str)))
            # Which years each household listed it (an in-law's daughter in 2019, 儿媳 elsewhere in 2020).
            years = db.rounds(reg).set_index("id")["year"]
            member_years = {k: tuple(sorted({int(years[int(r)]) for r in str(rounds).split(",") if r}))
                            for k, rounds in zip(keys, members["rounds"])}
        if not keys and not any(ch.isdigit() for ch in head_id):  # a head's name (杨亚森) given for the ID
            heads = db.heads_named(reg, head_id)
            masked = mask_id_shown(heads["head_id"].astype("string")).tolist()
            places = (heads["township"].fillna("") + heads["village"].fillna("")).tolist()
            # The first head's masked ID shared (one Excel stored as a number is starred whole, and
            # matches every ID stored so): the name beside it, as history's --name takes it, as well.
            shared = bool(masked) and len(db.households_with_id(reg, "".join(masked[0].split()).upper())) > 1
            found = Phrase("history_name_heads_named" if shared else "history_name_heads", name=head_id,
                           count=len(heads), places=places, heads=[f"{m}({p})" for m, p in zip(masked, places)],
                           first=masked[0]) if masked else Phrase("history_name_none", name=head_id)
            raise InputError("history_id_is_name", name=head_id, path=str(reg.path), found=found)
        if not keys:
            raise InputError("history_no_id", id=head_id, path=str(reg.path))
        if "*" in head_id and len(keys) > 1:  # a masked ID heads share: the name on the list, or not known
            heads = db.screened_of(reg, keys).drop_duplicates("household", keep="last")
            listed = [f"{n}({t}{v})" for n, t, v in zip(heads["head_name"], heads["township"], heads["village"])]
            if name is None:
                raise InputError("history_masked_ambiguous", id=head_id, path=str(reg.path), count=len(keys),
                                 heads=listed, first=str(heads["head_name"].iloc[0] or ""))
            named = heads["head_name"].fillna("").str.replace(r"\s+", "", regex=True) == "".join(str(name).split())
            if not named.any():
                raise InputError("history_masked_name_none", id=head_id, path=str(reg.path), count=len(keys),
                                 heads=listed, name=name)
            chosen = set(heads.loc[named.to_numpy(), "household"].astype(int))
            keys = [k for k in keys if k in chosen]
        screened = db.screened_of(reg, keys)
        events = db.history(reg, keys)
        events = pd.concat([events, _village_facts_gone_through(reg, screened, events)],
                           ignore_index=True)
        dates = db.village_dates(reg, keys)
        measures = db.measure_history(reg, keys)
        found_gone = gone(reg)
        named = db.named_objections(reg)
        changes = db.changes_of(reg, keys)
        left = registry(reg).set_index("household")
        left = left.loc[left["left_by"].eq("exit").fillna(False).to_numpy(), "exited_on"]
        elsewhere = _members_elsewhere(reg, keys)
        spot = history_events(db.spot_history(reg, keys))  # the city's spot checks: what each visit found
        merged = _merged_rounds(reg, screened, keys)
    # The household's ID at each round (the head named above the trail is the last round's): an
    # invalid ID a survey typed does not replace the registered one; the row's own stays beside it.
    screened = screened.assign(surveyed_head_id=screened["head_id"], head_id=db.kept_ids(screened))
    named = _named_in(named, screened)
    return [Trail(k, screened[screened["household"] == k],
                  _in_date_order(pd.concat([_with_village_dates(events[events["household"] == k], dates,
                                                                screened[screened["household"] == k]),
                                            named[named["household"] == k],
                                            *([spot[spot["household"] == k]] if len(spot) else [])],
                                           ignore_index=True)),
                  measures[measures["household"] == k] if measures is not None else None,
                  found_gone[found_gone["household"] == k].sort_values("round"),
                  relations.get(k), member_years.get(k, ()), changes[changes["household"] == k], left.get(k),
                  elsewhere[elsewhere["household"] == k], frozenset(merged.get(k, ())))
            for k in keys]


def _members_elsewhere(reg: db.Register, keys: list[int]) -> pd.DataFrame:
    """db.members_elsewhere with the other household's head and place (its row of the latest round
    listing the member there) and the income years of the rounds that did."""
    found = db.members_elsewhere(reg, keys)
    if found.empty:
        return found.assign(other_head="", other_place="", years=[])
    year_of = db.rounds(reg).set_index("id")["year"].astype(int)
    then = db.heads_at(reg, found["other"].astype(int).tolist(), [max(r) for r in found["rounds"]])
    return found.assign(other_head=then["head_name"].to_numpy(), other_place=then["place"].to_numpy(),
                        years=[tuple(sorted({int(year_of[r]) for r in rs})) for rs in found["rounds"]])


def _village_facts_gone_through(reg: db.Register, screened: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The facts of a village at a step dated for it, as events of each of its households that went
    through the step: who acted (the meeting's 主持人, the 审核人: after-screening §3 asks each step's
    record to say who acted, not only who ran `register record`) and the village's remarks (附注: a line
    under a decision list, 负责人:王五已迁; what its 会议记录 holds beyond its fields: README has them shown
    by `history`; its place, kept, tells it from the household's own, event_words says it as the
    village's). A household the step's list did not hold (above the limit, off the list at an earlier
    step, a later round's meeting of its village) was not before them: it has none. Each with the
    changeset that recorded it (a name added later by --amend, with nothing else of the form changed,
    is its own)."""
    fields = sorted({f.key for s in (*procedure().step, *procedure().exit_step) for f in s.form_fields
                     if f.who_acted})
    return _facts_of_steps_gone_through(reg, screened, events, [*fields, "remark"])


def _facts_of_steps_gone_through(reg: db.Register, screened: pd.DataFrame, events: pd.DataFrame,
                                 fields: list[str]) -> pd.DataFrame:
    """The village facts of `fields` at the steps each household went through, as its events."""
    # Every row of a decision step's list gets its decision when the form is recorded: a household with
    # a fact of its own at the step was on its list.
    through = events[["household", "round", "step"]].drop_duplicates()
    if through.empty:
        return events.iloc[:0]
    place = ["round", "township", "village"]
    through = through.merge(screened[["household", *place]].fillna({"township": "", "village": ""}),
                            on=["household", "round"])
    # The facts with their changesets, as db.history reads a household's.
    facts = db.village_facts(reg, fields, through["round"].astype(int).unique().tolist())
    facts = facts.drop(columns="household").fillna({"township": "", "village": ""})
    acted = facts.merge(through, on=[*place, "step"])
    return acted[[c for c in events.columns if c in acted.columns]]


def history_rounds(trail: Trail, lang: Lang) -> tuple[str, dict[int, str], dict[int, str]]:
    """What `register history` says of the register's decisions: the header's 已退出 (with the day), the
    register's change of each surveyed round (with the exit condition that failed), and by its round
    the line of each round whose survey did not list the household while it was on the register
    (本年未调查): the history reads the rounds in their order (1, 2, 3), that one among them."""
    header = label("reg_history_left", lang, date=trail.exited_on) if isinstance(trail.exited_on, str) else ""
    said: dict[int, str] = {}
    missing: dict[int, str] = {}
    joined_on: dict[int, str] = {}
    changes = trail.changes if trail.changes is not None else pd.DataFrame(columns=["round", "change", "conditions"])
    moved = {r: (t + v, nt + nv) for r, t, v, nt, nv in _moves(trail.screened)}
    for c in changes.itertuples():  # a household's few rounds
        text = c.conditions if isinstance(c.conditions, str) else ""
        facts = dict(part.split("=", 1) for part in text.split(";") if "=" in part)
        asked = facts.get("asked", "/".join(CONDITIONS)).split("/")
        failing = [label(f"cond_{k}_failing" if facts.get(k) == "no" else f"cond_{k}_invalid_failing", lang,
                         years=facts.get("invalid_years", "").replace("/", label("list_sep", lang)))
                   for k in CONDITIONS if facts.get(k) in ("no", "invalid") and k in asked]
        why = label("reg_history_outcome_why", lang, why=label("list_sep", lang).join(failing)) \
            if c.change == "exit_blocked" and failing else ""
        later = getattr(c, "later_on", None)
        joined = isinstance(later, str) and bool(later)  # found by a late township's survey (--add-to-round)
        if c.change == "missing":
            missing[int(c.round)] = label("reg_history_unsurveyed", lang, round=c.round, year=c.year, date=c.round_date)
        else:
            said[int(c.round)] = label("reg_history_outcome", lang, change=label(f"change_{c.change}", lang), why=why) \
                + (label("reg_history_merged" if int(c.round) in trail.merged_rounds else "reg_history_moved", lang,
                         place=moved[int(c.round)][0], now=moved[int(c.round)][1]) if int(c.round) in moved else "") \
                + (label("reg_history_joined", lang, date=later) if joined else "")
        if joined:
            joined_on[int(c.round)] = later
    for r, later in joined_on.items():  # the round's own 本年未调查 before it, kept: said to be answered
        if r in missing:
            missing[r] += label("reg_history_unsurveyed_joined", lang, date=later)
    # A round whose procedure took it off the list says so under its screening's 贫困边缘户候选, which
    # would otherwise read as still standing; a round whose survey named another head, who and since when.
    for r, line in [*_removed_in_rounds(trail.events, lang).items(), *_head_changes(trail.screened, lang).items()]:
        said[r] = said[r] + "\n" + line if r in said else line
    return header, said, missing


def _head_changes(screened: pd.DataFrame, lang: Lang) -> dict[int, str]:
    """round → 户主变更:熊全 → 丁丽, where that round's survey named another head than the survey before
    it (as changes.xlsx compares them: a valid ID of another person, not the same name's ID put right),
    and where the new head was the household's head in an earlier year, that year (a head come back).
    Only the first round's line named the old head: the year it changed said nothing (an outside try)."""
    if screened is None or len(screened) < 2 or "head_id" not in screened:
        return {}
    rows = screened.sort_values("round", kind="stable").drop_duplicates("round", keep="last").reset_index(drop=True)
    pairs = pd.DataFrame({"previous_head_name": rows["head_name"].shift(1), "previous_head_id": rows["head_id"].shift(1),
                          "head_name": rows["head_name"], "head_id": rows["head_id"]}).iloc[1:]
    changed = (head_changed(pairs) & ~id_corrected(pairs)).to_numpy()
    out = {}
    ids = rows["head_id"].astype("string").fillna("").str.strip().tolist()
    for i in np.flatnonzero(changed) + 1:  # a household's few rounds
        before = [int(rows["year"].iloc[j]) for j in range(i - 1) if ids[j] == ids[i]]
        back = label("reg_history_head_returned", lang, name=rows["head_name"].iloc[i] or "", year=max(before)) \
            if before else ""
        out[int(rows["round"].iloc[i])] = label("reg_history_head_changed", lang, old=rows["head_name"].iloc[i - 1] or "",
                                                new=rows["head_name"].iloc[i] or "", back=back)
    return out


def _moves(screened: pd.DataFrame) -> list[tuple[int, str, str, str, str]]:
    """(round, township and village of the household's survey before it, the round's own) of each round
    that surveyed it in another place (永胜村 one year, 万顺乡 the next: the trail did not say where it came
    from, an outside try). Places written apart but one (前岗村村委会) are no move (years.same_place)."""
    if screened is None or len(screened) < 2 or "township" not in screened:
        return []
    rows = screened.sort_values("round").drop_duplicates("round", keep="last")
    town, village = (rows[c].astype("string").fillna("").to_numpy(dtype=object) for c in ("township", "village"))
    elsewhere = ~same_place(town[:-1], village[:-1], town[1:], village[1:]) & (village[:-1] != "")
    return [(int(r), t, v, nt, nv) for r, t, v, nt, nv, e in
            zip(rows["round"].to_numpy()[1:], town[:-1], village[:-1], town[1:], village[1:], elsewhere) if e]


def _merged_rounds(reg: db.Register, screened: pd.DataFrame, keys: list[int]) -> dict[int, set[int]]:
    """household → the rounds whose move (_moves) was its village's merge into another (撤并村,
    years.merged_villages judged again on the round's stored changes: the judgement is not stored)."""
    moves = pd.DataFrame([(k, *m) for k in keys for m in _moves(screened[screened["household"] == k])],
                         columns=["household", "round", "township", "village", "now_township", "now_village"])
    merged: dict[int, set[int]] = {}
    for round_id, moved in moves.groupby("round"):  # a household's few moves: a round or two
        villages = pd.MultiIndex.from_frame(moved[["township", "village"]].drop_duplicates())
        table = stored_changes_of_villages(reg, int(round_id), villages, round_places(reg, int(round_id)))
        went = table.loc[table["merged_village"].ne("").to_numpy(dtype=bool), "household"].astype(int)
        for k in set(went.tolist()) & set(moved["household"].astype(int).tolist()):
            merged.setdefault(k, set()).add(int(round_id))
    return merged


def _removed_in_rounds(events: pd.DataFrame, lang: Lang) -> dict[int, str]:
    """round → how its entry procedure took the household off the list (本轮移出名单): the first step
    whose decision, as last recorded (an amendment replaces it), is no (不同意, 不属实, 异议成立, 不通过),
    with that decision's day."""
    from .steps import shown_value

    proc = procedure()
    decided = events[events["field"].eq("decision") & events["step"].isin(proc.ids)]
    if decided.empty:
        return {}
    last = decided.sort_values("id").drop_duplicates(["round", "step"], keep="last")
    off = last[last["new"].eq("no")].assign(order=lambda d: d["step"].map(proc.ids.index))
    off = off.sort_values("order").drop_duplicates("round")
    return {int(e.round): label("reg_history_removed", lang, step=label(f"step_{e.step}", lang),
                                word=shown_value(proc[e.step], "decision", "no", lang),
                                date=_date_text(e.effective, lang))
            for e in off.itertuples()}


def _named_in(named: pd.DataFrame, screened: pd.DataFrame) -> pd.DataFrame:
    """The facts of the objections naming one of these households outside a posted list, each as its
    event: a village's fact names it by its head only. 也应退出 (an exit's posting) names a household of
    the register, of any village, as recording it did; 漏评 one of that round's own village."""
    slot = named["field"].str.extract(r"^(omission|exit_also)(?:_head|_result)?(_\d+)?$")
    named = named.assign(kind=slot[0].to_numpy(), slot=slot[1].fillna("").to_numpy(),
                         township=named["township"].fillna(""), village=named["village"].fillna(""))
    named = named[named["kind"].notna().to_numpy()]
    heads = named[named["field"].str.match(r"^(?:omission|exit_also)_head(?:_\d+)?$") & named["new"].notna()]
    heads = heads.assign(head=heads["new"].astype(str).str.replace(r"\s+", "", regex=True))
    who = screened[["household", "round", "township", "village"]].assign(
        head=screened["head_name"].astype("string").fillna("").str.replace(r"\s+", "", regex=True).to_numpy(
            dtype=object), township=screened["township"].fillna(""), village=screened["village"].fillna(""))
    same = ["round", "township", "village"]
    hits = pd.concat([heads[heads["kind"].eq("exit_also")][[*same, "step", "kind", "slot", "head"]]
                      .merge(who[["household", "head"]].drop_duplicates(), on="head"),
                      heads[heads["kind"].eq("omission")][[*same, "step", "kind", "slot", "head"]]
                      .merge(who, on=[*same, "head"])], ignore_index=True)
    hits = hits[["household", *same, "step", "kind", "slot"]].drop_duplicates()
    return named.drop(columns="household").merge(hits, on=[*same, "step", "kind", "slot"]).drop(
        columns=["kind", "slot"])


def _with_village_dates(events: pd.DataFrame, dates: pd.DataFrame, screened: pd.DataFrame) -> pd.DataFrame:
    """A household's events with its village's, in the order of their dates: a decision at a step
    dated for the whole village (a meeting, a review, a publicity), and its reason, shown on the
    village's date for it as it stands now (held by an objection settled later; taken off by one upheld,
    on its 处理日期), as status and the 花名册 have it; and each change of that date (a meeting date put right), the village's event, with
    who, when and why. An objection keeps its own day."""
    if dates.empty or events.empty:
        return _in_date_order(events)
    where = screened[["round", "township", "village"]].fillna("")
    dates = dates.assign(township=dates["township"].fillna(""), village=dates["village"].fillna(""))
    dates = dates.merge(where, on=["round", "township", "village"])
    in_force = dates.drop_duplicates(["round", "step"], keep="last")[["round", "step", "new"]]
    steps = procedure()
    by_village = events["step"].map(lambda s: steps[s].dated_by_village).astype(bool)
    # The decision and the facts recorded with it (备注): one fact of the meeting, on its date in force.
    decided = ~events["field"].astype(str).str.startswith("objection") & events["household"].notna() & by_village
    settled = events[events["field"] == "objection_result"].drop_duplicates(["round", "step"], keep="last")
    keyed = events.loc[decided, ["round", "step"]].merge(in_force, on=["round", "step"], how="left").merge(
        settled[["round", "step", "effective", "new"]].rename(columns={"effective": "settled", "new": "result"}),
        on=["round", "step"], how="left")
    # An objection upheld took the household off on the day it was settled (处理日期), as status says.
    day = held_by_objections(keyed["new"], keyed["settled"], keyed["result"].eq("upheld"))
    out = events.copy()
    out.loc[decided, "effective"] = np.where(day.notna().to_numpy(), day.to_numpy(), out.loc[decided, "effective"])
    changed = dates[dates["old"].notna() & dates["step"].map(lambda s: steps[s].dated_by_village).astype(bool)]
    changed = changed.assign(household=out["household"].iloc[0])
    return _in_date_order(pd.concat([out, changed[out.columns]], ignore_index=True))


def _in_date_order(events: pd.DataFrame) -> pd.DataFrame:
    """Events by the day each holds (a meeting date put right moves its facts), those of one day in
    the order they were recorded. One with no day of its own (an objection taken away by an amendment,
    its 处理日期 with it) is on the day of the value it replaced: the field's event before it."""
    if events["effective"].isna().any():
        same = [c for c in ("household", "round", "step", "field") if c in events.columns]
        before = events.sort_values("id", kind="stable").groupby(same, dropna=False)["effective"].ffill()
        events = events.assign(effective=events["effective"].fillna(before))
    return events.sort_values(["effective", "id"], kind="stable", na_position="last")


def _words(value) -> str:
    """A text column of events as read back: '' where the event has none (NULL, which pandas gives as
    NaN beside the rows that have one; NaN is true, and printed 'nan')."""
    return value if isinstance(value, str) else ""


def event_words(trail_events: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """Events as a clerk reads them: the step's name, the field's, old and new values in words."""
    from .steps import field_label, shown_value

    lang = given_lang(lang)
    proc = procedure()
    rows = []
    for e in trail_events.itertuples():
        if e.step == SPOT_CHECK_STEP:  # the city's spot check (backcheck): not a step of the procedure
            rows.append(_spot_words(e, lang))
            continue
        step = proc[e.step]
        # The village's step date (a meeting date put right): named as its form names it.
        what = label("hist_village_fact", lang, field=label(step.date_from or "step_date", lang)) \
            if e.field == "date" else field_label(step, e.field, lang)
        if e.field == "remark" and isinstance(getattr(e, "village", None), str):  # recorded for its village
            what = label("hist_village_fact", lang, field=what)
        rows.append({"effective": _words(e.effective), "step": label(f"step_{e.step}", lang), "field": what,
                     "old": shown_value(step, e.field, e.old, lang) if pd.notna(e.old) else "",
                     "new": shown_value(step, e.field, e.new, lang), "at": e.at, "who": _words(e.os_user),
                     "command": e.command, "file": _words(e.source_file), "reason": _words(e.amend_reason)})
    return pd.DataFrame(rows, columns=["effective", "step", "field", "old", "new", "at", "who", "command", "file",
                                       "reason"])


def _spot_words(e, lang: Lang) -> dict:
    """A spot check's finding of the household (spotchecks.history_events) as event_words gives an event:
    抽查核实 · 核查结果(样本 …,核查序号 3):错评(…) · 核查人 …, after the finding it supersedes, if any."""
    def said(prefix: str) -> str:
        value = lambda c: _words(getattr(e, prefix + c))  # noqa: E731
        if not value("finding"):
            return ""
        return finding_words(value("finding"), value("fields"), value("note"), value("verifier"), value("visit_date"),
                             value("verified_status"), lang)

    seq = pd.to_numeric(pd.Series([e.seq]), errors="coerce").astype("Int64").iloc[0]
    return {"effective": _words(e.effective), "step": label("reg_spot_step", lang),
            "field": label("reg_spot_field", lang, sample=_words(e.sample_id), seq="" if pd.isna(seq) else int(seq)),
            "old": said("old_"), "new": said(""), "at": e.at, "who": _words(e.os_user), "command": e.command,
            "file": _words(e.source_file), "reason": ""}


def measure_words(trail_measures: pd.DataFrame | None, lang: Lang) -> pd.DataFrame:
    """A household's 帮扶 measures as recorded, by their start date (in the order recorded where two
    start on one day: a row replacing another comes after it), each with who recorded it, when and
    from which file, and the number of the row that later replaced it (an end date filled in, an
    amendment; 0 for none). A form's rows are recorded in the order written, not the order begun."""
    from ..money import fen_text

    lang = given_lang(lang)
    columns = ["start", "measure", "end", "amount", "person", "at", "who", "command", "file", "reason", "replaced"]
    if trail_measures is None or trail_measures.empty:
        return pd.DataFrame(columns=columns)
    m = trail_measures.sort_values(["start", "id"], kind="stable")
    replaced_by = {int(r): int(i) for i, r in zip(m["id"], m["replaces"]) if pd.notna(r)}
    order = {int(i): n + 1 for n, i in enumerate(m["id"])}
    rows = []
    for r in m.to_dict("records"):
        amount = "" if pd.isna(r["amount_fen"]) else fen_text(int(r["amount_fen"]))
        later = replaced_by.get(int(r["id"]))
        rows.append({"start": r["start"], "measure": label("measure_line_plain", lang,
                                                           type=type_word(r["type"], r["model"], lang),
                                                           content=r["content"]),
                     "end": _words(r["end"]), "amount": amount, "person": r["person"], "at": r["at"],
                     "who": _words(r["os_user"]), "command": r["command"], "file": _words(r["source_file"]),
                     "reason": _words(r["amend_reason"]), "replaced": order[later] if later is not None else 0})
    return pd.DataFrame(rows, columns=columns)


__all__ = ["StatusReport", "status_report", "write_status", "export_register", "household_history",
           "event_words", "history_rounds", "measure_words", "Trail", "Phrase"]
