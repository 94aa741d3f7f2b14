"""changes.xlsx: what next year's survey found for the households of the register, written into the
screen's output folder when --register has earlier rounds. A summary per village (how many continue,
are proposed to leave, leave the band downwards, were not surveyed, are new candidates) and the list
of households with, for each, what it was and is, and why: which exit condition fails, that the head
changed (and how the household was matched), what to do next."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..catalogue import Lang, label
from ..checks import id_faults
from ..money import fen_text
from ..normalise import places_beside_held
from ..outputs.places import household_identity, place_name
from ..outputs.privacy import mask_id_shown, mask_in_text
from ..outputs.xlsx import (TITLE_SIZE, Column, cell_formats, line_width, new_workbook, setup_print, text_height,
                            wrapped_heights, write_block, write_table, write_title)
from .years import (CHANGES, bare_text, CONDITIONS, MATCHED_BY, head_changed, head_maybe_corrected,
                    id_corrected, id_invalid, invalid_survey, missed_frame, missed_words, number_notes, omission_words, same_place)


def _condition_words(conditions: pd.Series, change: pd.Series, lang: Lang) -> pd.Series:
    """'income=yes;measure=no;labour=unknown' as words: each condition and whether it holds; for a
    blocked exit, which ones fail first."""
    out = []
    for text, code in zip(conditions.fillna("").tolist(), change.tolist()):
        if not text:
            out.append("")
            continue
        facts = dict(part.split("=") for part in text.split(";"))
        asked = facts.get("asked", "/".join(CONDITIONS)).split("/")  # every one, as recorded before `asked`
        years = facts.get("invalid_years", "").replace("/", label("list_sep", lang))
        words = [label(f"cond_{c}_{facts.get(c, 'unknown')}", lang, years=years) for c in CONDITIONS]
        if "labour_from" in facts:  # this survey listed no members: the register's, of that year
            at = CONDITIONS.index("labour")
            words[at] += label("cond_labour_from_register", lang, year=facts["labour_from"])
        # What fails, said as what is lacking ("无劳动年龄劳动力"), not as the condition's name; an
        # income that cannot be shown (a year's survey invalid) as that.
        failing = [label(f"cond_{c}_failing" if facts.get(c) == "no" else f"cond_{c}_invalid_failing", lang, years=years)
                   for c in CONDITIONS if facts.get(c) in ("no", "invalid") and c in asked]
        line = label("list_sep_wide", lang).join(words)
        if code == "exit_blocked" and failing:
            line = label("cond_failing", lang, conditions=label("list_sep", lang).join(failing)) + line
        out.append(line)
    return pd.Series(out, index=conditions.index, dtype=object)


def change_notes(table: pd.DataFrame, lang: Lang, *, mask: bool = True, lower: str = "", upper: str = "") -> pd.Series:
    """What each row of the changes means and what to do, in words."""
    notes = pd.Series([label(f"note_{c}", lang, lower=lower, upper=upper) for c in table["change"]],
                      index=table.index, dtype=object)
    found = missed_frame(table)
    if found is not None:  # not surveyed a second year running: what last year's check found, not the first words
        running = missed_words(found, lang)
        there = running.ne("").to_numpy()
        if there.any():
            notes[there] = running[there] + label("list_sep_wide", lang) + label("note_missing_running", lang)
    conditions = _condition_words(table["conditions"], table["change"], lang)
    notes = notes.where(conditions.eq(""), conditions + label("list_sep_wide", lang) + notes)
    shared = number_notes(table, lang, mask=mask)
    notes = notes.where(shared.eq(""), shared + label("list_sep_wide", lang) + notes)
    changed = head_changed(table) & table["change"].ne("missing")
    if changed.any():
        old_name = table["previous_head_name"].astype("string").fillna("")
        old_id = table["previous_head_id"].astype("string").fillna("")
        if mask:
            old_name, old_id = mask_in_text(old_name), mask_id_shown(old_id)
        how = table["matched_by"].map({m: label(f"matched_by_{m}", lang) for m in MATCHED_BY})
        # The head's name unchanged: the same person, the ID put right, not a new head. Found by the
        # name, the registered ID one that could not be compared: now readable, probably the same.
        # Name and ID each one character apart: maybe both put right, for the clerk to check.
        readable = table["matched_by"].eq("head_name")[changed].to_numpy()
        key = np.where(id_corrected(table)[changed], np.where(readable, "note_id_readable_now", "note_id_corrected"),
                       np.where(head_maybe_corrected(table)[changed], "note_head_maybe_corrected", "note_head_changed"))
        head = [label(k, lang, name=n, id=i, how=h or "") for k, n, i, h in
                zip(key, old_name[changed], old_id[changed], how[changed].fillna(""))]
        # A head come back (the household's head in an earlier year): said, not taken for a new person.
        if "head_returned" in table:
            back = table.loc[changed, "head_returned"].astype("string").fillna("").to_numpy(dtype=object)
            now_name = table.loc[changed, "head_name"].astype("string").fillna("")
            now_name = (mask_in_text(now_name) if mask else now_name).to_numpy(dtype=object)
            head = [h + label("note_head_returned", lang, name=n, year=y) if y and k == "note_head_changed" else h
                    for h, k, n, y in zip(head, key, now_name, back)]
        notes[changed] = pd.Series(head, index=notes[changed].index) + label("list_sep_wide", lang) + notes[changed]
    # The same ID, another head's name (王秀德 registered, 钱多多 this year, one village): matched by the
    # ID and taken as the household, but said, for it is a 户主变更 written with the old head's ID or an
    # ID copied wrong (an outside try's took 王秀德's procedure and measures without a word).
    if "previous_head_name" in table:
        now_name, was_name = bare_text(table["head_name"]), bare_text(table["previous_head_name"])
        same_id = table["head_id"].astype("string").fillna("").eq(table["previous_head_id"].astype("string").fillna(""))
        renamed = (same_id & now_name.ne(was_name) & now_name.ne("") & was_name.ne("")
                   & table["change"].ne("missing") & table["change"].ne("new")).to_numpy()
        if renamed.any():
            was = mask_in_text(was_name[renamed]) if mask else was_name[renamed]
            said = [label("note_same_id_other_name", lang, name=n) for n in was]
            notes[renamed] = pd.Series(said, index=notes[renamed].index) + label("list_sep_wide", lang) + notes[renamed]
    # This year's ID invalid: said with both IDs, that the registered one is kept (no correction).
    mistyped = id_invalid(table) & table["change"].ne("missing")
    if mistyped.any():
        name = table.loc[mistyped, "head_name"].astype("string").fillna("")
        now = table.loc[mistyped, "head_id"].astype("string").fillna("")
        old_id = table.loc[mistyped, "previous_head_id"].astype("string").fillna("")
        # What is wrong with it: a 15-digit ID was said to have a wrong check character (an outside try).
        why = [label(f"id_wrong_{fault or 'id_check_digit'}", lang, length=len(i))
               for fault, i in zip(id_faults(now.to_numpy(dtype=object)), now.tolist())]
        # Where they differ, by position: masked, two IDs differing in the birth date read alike
        # (220124********9097 twice, an outside try).
        apart = [label("note_id_differs_at", lang, positions=label("list_sep", lang).join(
                     str(k + 1) for k, (a, b) in enumerate(zip(i, o)) if a != b))
                 if len(i) == len(o) and i != o else "" for i, o in zip(now.tolist(), old_id.tolist())]
        if mask:
            name, now, old_id = mask_in_text(name), mask_id_shown(now), mask_id_shown(old_id)
        why = [w + (a if mask else "") for w, a in zip(why, apart)]
        kept = [label("note_id_invalid", lang, id=i, old=o, name=n, why=w)
                for i, o, n, w in zip(now, old_id, name, why)]
        notes[mistyped] = pd.Series(kept, index=notes[mistyped].index) + label("list_sep_wide", lang) + notes[mistyped]
        # Found by its head's name and place, this year's ID not to be compared (Excel stored it as a
        # number): the row whose ID to put right, where it is, as probably this household (it was
        # 本年未调查, the row on no list).
        by_name = (mistyped & table["matched_by"].eq("head_name")).to_numpy()
        if by_name.any() and "source_file" in table:
            at = table[by_name]
            name = at["head_name"].astype("string").fillna("")
            name = mask_in_text(name) if mask else name
            place = at["township"].astype("string").fillna("") + at["village"].astype("string").fillna("")
            row = at["source_row"].astype("Int64").astype("string").fillna("")
            said = [label("note_name_matched_id_unreadable", lang, file=f, row=r, name=n, place=pl)
                    for f, r, n, pl in zip(at["source_file"].astype("string").fillna(""), row, name, place)]
            notes[by_name] = pd.Series(said, index=notes[by_name].index) + label("list_sep_wide", lang) + notes[by_name]
    # Last time's survey invalid: its income was no figure to compare with (上次人均纯收入 blank).
    if "previous_status" in table:
        before = invalid_survey(table["previous_status"]) & table["previous_year"].notna()
        if before.any():
            years = table.loc[before, "previous_year"].astype(int)
            said = years.map({y: label("note_previous_invalid", lang, year=y) for y in years.unique()})
            notes[before] = said + label("list_sep_wide", lang) + notes[before]
    if "surveyed_twice" in table:  # one household on rows of two villages' surveys (or twice in one)
        twice = table["surveyed_twice"].fillna("").astype(str)
        there = twice.ne("").to_numpy()
        if there.any():
            parts = [t.split("\x1f") for t in twice[there]]
            # Two names under one ID are two people, one ID copied wrong: deleting a row would lose one
            # (an outside try's 钱多多 under 王秀德's ID; quality.xlsx said not to delete, this said to).
            names = [n.split("\x1f")[1:] for n in table["surveyed_twice_names"].fillna("").astype(str)[there]] \
                if "surveyed_twice_names" in table else [[]] * len(parts)
            sep = label("list_sep", lang)
            said = [label("note_surveyed_twice_names", lang, names=sep.join(n), places=sep.join(p[1:]))
                    if len(n) > 1 else
                    label("note_surveyed_twice" if len(p) > 2 else "note_surveyed_twice_one_village", lang,
                          count=int(p[0]) if len(p) == 2 else len(p) - 1, place=p[1], places=sep.join(p[1:]))
                    for p, n in zip(parts, names)]
            notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    if "exited_on" in table:  # left the register by the exit procedure, a new candidate again
        back = table["exited_on"].fillna("").astype(str).ne("").to_numpy()
        if back.any():
            said = [label("note_exited_before", lang, year=y, date=d)
                    for y, d in zip(table.loc[back, "exited_year"].astype(str), table.loc[back, "exited_on"].astype(str))]
            notes[back] = pd.Series(said, index=notes[back].index) + label("list_sep_wide", lang) + notes[back]
    if "found_in" in table:  # not surveyed, its head listed among another household's members
        found = table["found_in"].fillna("").astype(str)
        there = found.ne("").to_numpy() & table["change"].eq("missing").to_numpy()
        if there.any():
            place, head = found[there].str.split("\x1f", n=1, expand=True).T.to_numpy()
            said = [label("note_head_found_in", lang, place=p, head=h) for p, h in zip(place, head)]
            notes[there] = notes[there] + label("list_sep_wide", lang) + pd.Series(said, index=notes[there].index)
    if "people_in" in table:  # not surveyed, people of it in a household this year: where to look
        found = table["people_in"].fillna("").astype(str)
        there = found.ne("").to_numpy() & table["change"].eq("missing").to_numpy()
        if "found_in" in table:  # its head among another's members: said so already
            there &= table["found_in"].fillna("").astype(str).eq("").to_numpy()
        if there.any():
            parts = found[there].str.split("\x1f", n=2, expand=True).to_numpy()
            said = [label("note_people_found_in", lang, place=p, head=h, count=c) for p, h, c in parts]
            notes[there] = notes[there] + label("list_sep_wide", lang) + pd.Series(said, index=notes[there].index)
    if "took_in" in table:  # this year's household holds people of a registered one not surveyed
        took = table["took_in"].fillna("").astype(str)
        there = took.ne("").to_numpy() & table["change"].ne("missing").to_numpy()
        if there.any():
            parts = took[there].str.split("\x1f", n=2, expand=True).to_numpy()
            # A new candidate: maybe that household under a new head (two such: matched to neither);
            # a registered one: it took them in (合户), its residents and per-capita changed with them.
            key = np.where(table.loc[there, "change"].eq("new").to_numpy(), "note_took_in_new", "note_took_in")
            said = [label(k, lang, place=p, head=h, count=c) for k, (p, h, c) in zip(key, parts)]
            notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    if "gone_on" in table:  # once found gone (户已不存在) and off the register: back, or another family?
        back = table["gone_on"].astype(str).ne("").to_numpy()
        if back.any():
            said = [label("note_found_gone_before", lang, date=d, reason=r or label("blank", lang))
                    for d, r in zip(table.loc[back, "gone_on"], table.loc[back, "gone_reason"].astype(str))]
            notes[back] = pd.Series(said, index=notes[back].index) + label("list_sep_wide", lang) + notes[back]
    if "removed_step" in table:  # taken off an earlier round's list: when, at which step, why
        again = table["removed_step"].astype(str).ne("").to_numpy()
        if again.any():
            part = table.loc[again, ["removed_year", "removed_step", "removed_on"]].astype(str)
            reasons = table.loc[again, "removed_reason"].astype("string").fillna("")
            reasons = mask_in_text(reasons) if mask else reasons
            # 上一轮 only where it was the round just before this one (a table read back has no column: as before).
            last = table.loc[again, "removed_previous"].astype(bool) if "removed_previous" in table \
                else pd.Series(True, index=part.index)
            said = [label("note_removed_before" if p else "note_removed_earlier", lang, year=y,
                          step=label(f"step_{s}", lang), date=d, reason=r or label("blank", lang))
                    for y, s, d, r, p in zip(part["removed_year"], part["removed_step"], part["removed_on"], reasons,
                                             last)]
            notes[again] = pd.Series(said, index=notes[again].index) + label("list_sep_wide", lang) + notes[again]
    for side in ("split_from", "split_to"):  # members of a registered household moved (分户): both lines say so
        if side in table:
            split = table[side].fillna("").astype(str)
            there = split.ne("").to_numpy()
            if there.any():
                parts = split[there].str.split("\x1f", n=2, expand=True).to_numpy()
                said = [label(f"note_{side}", lang, place=p, head=h, count=c) for p, h, c in parts]
                notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    if "home_kept" in table:  # the register followed the head out, the family kept number and home
        kept = table["home_kept"].fillna("").astype(str)
        there = kept.ne("").to_numpy()
        if there.any():
            parts = kept[there].str.split("\x1f", n=3, expand=True).to_numpy()
            said = [label(f"note_home_{side}", lang, place=p, head=h, count=c) for side, p, h, c in parts]
            notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    if "split_from_surveyed" in table:  # a new candidate's people from a household not on the register: 拆户?
        split = table["split_from_surveyed"].fillna("").astype(str)
        there = split.ne("").to_numpy()
        if there.any():
            parts = split[there].str.split("\x1f", n=3, expand=True).to_numpy()
            said = [label("note_split_from_surveyed", lang, place=p, head=h, count=c, year=y) for p, h, c, y in parts]
            notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    if "omission_upheld" in table:  # a new candidate an upheld 漏评 named: why the village sees it new
        upheld = table["omission_upheld"].fillna("").astype(str)
        there = upheld.ne("").to_numpy()
        if there.any():
            parts = pd.DataFrame(upheld[there].str.split("\x1f", n=4).tolist(),
                                 columns=["round", "year", "previous", "step", "date"], index=upheld[there].index)
            said = [label("note_omission_surveyed", lang, upheld=u) for u in omission_words(parts, lang)]
            notes[there] = pd.Series(said, index=notes[there].index) + label("list_sep_wide", lang) + notes[there]
    moved = moved_village(table)
    if moved.any():
        before = [label("note_moved", lang, place=place_name(t, lang, "unknown_township") + place_name(v, lang, "unknown_village"))
                  for t, v in zip(table.loc[moved, "previous_township"], table.loc[moved, "previous_village"])]
        notes[moved] = pd.Series(before, index=notes[moved].index) + label("list_sep_wide", lang) + notes[moved]
    merged = merged_village(table)
    if merged.any():  # its village joined to this one (撤并村): no move of its own
        said = [label("note_merged_village", lang, village=was, into=now)
                for was, now in zip(table.loc[merged, "merged_village"], table.loc[merged, "village"])]
        notes[merged] = pd.Series(said, index=notes[merged].index) + label("list_sep_wide", lang) + notes[merged]
    return notes


def merged_village(table: pd.DataFrame) -> pd.Series:
    """The households whose village of last time was merged into the one they are surveyed in this
    year (years.merged_villages): they did not move."""
    if "merged_village" not in table:  # a table read back has no column: as before
        return pd.Series(False, index=table.index)
    return table["merged_village"].fillna("").astype(str).ne("")


def merged_sentences(table: pd.DataFrame, lang: Lang) -> list[str]:
    """Each village that looks merged into another (merged_village), said once: under changes.xlsx's
    变动汇总 and on the screen's terminal: the households the register had there (its new candidates
    surveyed there last year aside), and, where not all of them went with the village, how many did
    not (moves or not surveyed, each said on its own line)."""
    merged = (merged_village(table) & table["change"].ne("new")).to_numpy(dtype=bool)
    if not merged.any():
        return []
    joined = table[merged].groupby(["previous_township", "merged_village", "village"], sort=False).size()
    on_register = _registered_per_village(table)
    said = []
    for (t, was, now), n in joined.items():
        registered = int(on_register.get((t, was), n))
        key = "reg_village_merged" if registered <= n else "reg_village_merged_most"
        said.append(label(key, lang, township=t, village=was, into=now, households=int(n), registered=registered,
                          others=registered - int(n)))
    return said


def _registered_per_village(table: pd.DataFrame) -> pd.Series:
    """The households the register had in each village before this round, by (township, village)."""
    return table[table["change"].ne("new").to_numpy()].groupby(["previous_township", "previous_village"]).size()


def unsurveyed_command(lang: Lang, year: int, register: str | None = None) -> str:
    """The command that adds a village's late survey to the round (--add-to-round), `register` as the clerk
    gave it (a terminal) or a stand-in (changes.xlsx): said in unsurveyed_sentences, kept whole by the CLI."""
    return label("reg_village_unsurveyed_command", lang, year=year,
                 register=register or label("reg_village_unsurveyed_register", lang))


def village_unsurveyed(table: pd.DataFrame) -> pd.Series:
    """The households 本年未调查 of a village this year's survey has no row of (years.unsurveyed_villages)."""
    if "village_unsurveyed" not in table:  # a table read back has no column: as before
        return pd.Series(False, index=table.index)
    return table["village_unsurveyed"].fillna(False).astype(bool)


def unsurveyed_sentences(table: pd.DataFrame, lang: Lang, year: int, register: str | None = None) -> list[str]:
    """Each village with households on the register and no row in this year's survey (village_unsurveyed),
    said once (a township's several such villages in one sentence, which names its whole survey where
    the township has no row at all), under changes.xlsx's 变动汇总 and on the screen's terminal: how many
    households the register has there, that its survey may not have been handed in, and how to add it late
    (--add-to-round) before its households go out on 未调查户核实 forms. `register`: the register's file
    as the clerk gave it (the terminal); changes.xlsx names none."""
    gone = village_unsurveyed(table).to_numpy(dtype=bool)
    if not gone.any():
        return []
    missing = table[gone].groupby(["previous_township", "previous_village"], sort=False).size()
    on_register = _registered_per_village(table)
    late = label("reg_unsurveyed_add_late", lang, command=unsurveyed_command(lang, year, register))
    # A township of several such villages is said once: a township's whole survey not handed in is one
    # cause, not a paragraph per village (a table read back, without the column, says each village).
    whole = set(table.loc[gone & table["township_unsurveyed"].fillna(False).to_numpy(dtype=bool),
                          "previous_township"]) if "township_unsurveyed" in table else set()
    said = []
    for t, villages in missing.groupby(level=0, sort=False):
        n = int(villages.sum())
        registered = sum(int(on_register.get(key, k)) for key, k in villages.items())
        if len(villages) == 1 and t not in whole:
            v = villages.index[0][1]
            count = label("reg_village_unsurveyed_all" if registered <= n else "reg_village_unsurveyed_some", lang,
                          registered=registered, missing=n)
            said.append(label("reg_village_unsurveyed", lang, township=t, village=v, count=count, late=late))
            continue
        households = label("reg_villages_unsurveyed_all" if registered <= n else "reg_villages_unsurveyed_some", lang,
                           registered=registered, missing=n)
        names = label("list_sep", lang).join(v for _, v in villages.index)
        said.append(label("reg_township_unsurveyed" if t in whole else "reg_villages_unsurveyed", lang, township=t,
                          villages=names, count=len(villages), households=households, late=late))
    return said


def moved_village(table: pd.DataFrame) -> pd.Series:
    """The households surveyed this year in another village (or township) than the register's last
    survey had them in: the register follows them, and the change says where they came from. Not
    those of a village merged into another (merged_village): the village went, they did not."""
    if "previous_village" not in table:
        return pd.Series(False, index=table.index)

    def text(col: str) -> np.ndarray:
        return table[col].astype("string").fillna("").to_numpy(dtype=object)
    known = (table["previous_round"].notna() & table["change"].ne("missing")).to_numpy()
    moved = known & ((text("previous_township") != text("township")) | (text("previous_village") != text("village")))
    # Written apart, the same place as the survey reads one (前岗村 one year, 前岗村村委会 the next): no move.
    at = np.flatnonzero(moved)
    if len(at):
        moved[at] = ~same_place(text("previous_township")[at], text("previous_village")[at], text("township")[at],
                                text("village")[at])
    return pd.Series(moved, index=table.index) & ~merged_village(table)


def village_order(table: pd.DataFrame) -> pd.Series:
    """Every village of `table`'s lines, now and as the register last had it, (township, village) →
    a number in place order: this year's survey's villages in its order (survey_village), then a
    village it no longer has (its households 本年未调查) in the order the table first has it (the
    register's). A table without survey_village (read back): every village so."""
    def text(col: str) -> np.ndarray:
        return table[col].fillna("").astype(str).to_numpy(dtype=object)

    def surveyed(col: str) -> np.ndarray:
        return table[col].to_numpy(dtype=np.int64) if col in table else np.full(len(table), -1, dtype=np.int64)
    township = np.concatenate([text("township"), text("previous_township")])
    village = np.concatenate([text("village"), text("previous_village")])
    rank = np.concatenate([surveyed("survey_village"), surveyed("previous_survey_village")])
    first = ~pd.DataFrame({"t": township, "v": village}).duplicated().to_numpy()
    township, village, rank = township[first], village[first], rank[first]
    elsewhere = rank < 0
    # A village the register has as written last year and the survey otherwise (东兴村, now 东兴 or
    # 东兴村村委会: one place as the years' matching reads it, same_place) takes the survey's place: its
    # households not surveyed went after every village (an outside try), their village counted twice apart.
    if elsewhere.any() and not elsewhere.all():
        bare = pd.DataFrame({"township": bare_text(pd.Series(township, dtype=object)).to_numpy(dtype=object),
                             "village": bare_text(pd.Series(village, dtype=object)).to_numpy(dtype=object)})
        read_township, read_village = places_beside_held(bare, elsewhere)
        read = pd.Series(read_township + "\x1f" + read_village, dtype=object)
        surveyed_as = pd.Series(rank[~elsewhere], index=read[~elsewhere].to_numpy()).groupby(level=0).min()
        rank[elsewhere] = read[elsewhere].map(surveyed_as).fillna(-1).to_numpy(dtype=np.int64)
        elsewhere = rank < 0
    rank[elsewhere] = rank.max(initial=-1) + 1 + np.arange(int(elsewhere.sum()))
    return pd.Series(rank, index=pd.MultiIndex.from_arrays([township, village], names=["township", "village"]))


def write_changes(view, path: Path, *, lang: Lang = "zh", mask: bool = True, year: int, lower_fen: int | None,
                  upper_fen: int) -> None:
    """changes.xlsx into `path` (the output folder's staging; the folder is written whole)."""
    table = view.comparison.changes.copy()
    for col in ("township", "village", "grp", "head_name"):
        table[col] = table[col].fillna("").astype(str)
    # Villages in their order (village_order), each one's households as the survey has its rows (they
    # come first in the table, in its order), then those of the register it did not find.
    places = village_order(table)
    table["place"] = places.reindex(pd.MultiIndex.from_frame(table[["township", "village"]])).to_numpy()
    table = table.sort_values("place", kind="stable").reset_index(drop=True)
    lower = fen_text(lower_fen) if lower_fen is not None else ""
    upper = fen_text(upper_fen)
    before = pd.to_numeric(table["previous_per_capita_fen"]).astype("Float64")
    now = pd.to_numeric(table["per_capita_fen"]).astype("Float64")
    rows = pd.DataFrame({
        **household_identity(table, lang, mask),
        "change": [label(f"change_{c}", lang) for c in table["change"]],
        "previous_year": table["previous_year"].astype("Int64").to_numpy(),
        "previous_per_capita": (before / 100).to_numpy(),
        "per_capita_now": (now / 100).to_numpy(),
        "per_capita_change": ((now - before) / 100).to_numpy(),
        "change_note": change_notes(table, lang, mask=mask, lower=lower, upper=upper).to_numpy(),
    })
    with_path = Path(path)
    book = new_workbook(with_path)
    formats = cell_formats(book, lang, size=10)
    county = view.county or label("summary_county_blank", lang)
    omissions = view.comparison.omissions
    unsurveyed = view.comparison.counts.get("omission_unsurveyed", 0)
    _summary(book, formats, table, lang, county, year, view.comparison.copied, unsurveyed)
    ws = book.add_worksheet(label("sheet_changes_list", lang))
    columns = [Column("seq", 6, "center"), Column("township", 9), Column("village", 9), Column("group", 7),
               Column("head_name", 9), Column("masked_id", 20, "center"), Column("change", 13, "cell"),
               Column("previous_year", 7, "center"), Column("previous_per_capita", 11, "money"),
               Column("per_capita_now", 11, "money"), Column("per_capita_change", 10, "money"),
               Column("change_note", 46, "wrap")]
    last = len(columns) - 1
    write_block(ws, 0, 0, last, label("changes_list_title", lang, county=county, year=year), formats["title"], 30)
    # 10-point text; every wrapped column counts (a long 村民小组 or a name with · as much as the note).
    write_table(ws, 1, columns, rows, formats, lang, heights=wrapped_heights(rows, columns, 20, 10).tolist())
    ws.write_string(1, [c.key for c in columns].index("per_capita_now"), label("per_capita_year", lang, year=year),
                    formats["header"])
    setup_print(ws, lang, header_row=1, landscape=True)
    if omissions is not None and len(omissions):
        _omissions(book, formats, omissions, lang, county, mask)
    book.close()


def omission_notes(omissions: pd.DataFrame, lang: Lang) -> pd.Series:
    """Each upheld 漏评 of an earlier round (years.omissions_followed) and what this survey found: not
    in it (to survey and screen), or screened (its outcome)."""
    upheld = omission_words(omissions, lang)
    found = omissions["at"].ge(0).to_numpy()
    status = [label(s, lang, target=label("target", lang)) if f else "" for s, f in zip(omissions["status"], found)]
    income = [fen_text(int(p)) if f and pd.notna(p) else "—" for p, f in zip(omissions["per_capita_fen"], found)]
    return pd.Series([label("note_omission_screened", lang, upheld=u, status=st, per_capita=p) if f else
                      label("note_omission_unsurveyed", lang, upheld=u)
                      for u, f, st, p in zip(upheld, found, status, income)], index=omissions.index, dtype=object)


def _omissions(book, formats, omissions: pd.DataFrame, lang: Lang, county: str, mask: bool) -> None:
    """漏评异议: the households an upheld objection of an earlier round said were left off a list, those
    this survey did not find first: nothing else says a household named so was never surveyed."""
    omissions = omissions.iloc[np.argsort(omissions["at"].ge(0).to_numpy(), kind="stable")].reset_index(drop=True)
    names = omissions["head_name"].astype("string").fillna("")
    content = omissions["content"].astype("string").fillna("")
    rows = pd.DataFrame({
        "seq": np.arange(1, len(omissions) + 1),
        "township": [place_name(t, lang, "unknown_township") for t in omissions["township"]],
        "village": [place_name(v, lang, "unknown_village") for v in omissions["village"]],
        "head_name": (mask_in_text(names) if mask else names).to_numpy(),
        "objection_content": (mask_in_text(content) if mask else content).to_numpy(),
        "change_note": omission_notes(omissions, lang).to_numpy()})
    ws = book.add_worksheet(label("sheet_changes_omissions", lang))
    columns = [Column("seq", 6, "center"), Column("township", 9), Column("village", 9), Column("head_name", 9),
               Column("objection_content", 30, "wrap"), Column("change_note", 46, "wrap")]
    write_block(ws, 0, 0, len(columns) - 1, label("changes_omissions_title", lang, county=county, count=len(rows)),
                formats["title"], 30)
    write_table(ws, 1, columns, rows, formats, lang, heights=wrapped_heights(rows, columns, 20, 10).tolist())
    setup_print(ws, lang, header_row=1, landscape=True)


SUMMARY = ["registered_before", "moved_out", "moved_in", *CHANGES]
# The widest a place column of 变动汇总 grows: a name of seven characters on a line (its columns' whole
# headings already take the page's width to 85 %); a longer one wraps there, its row as tall as its lines.
PLACE_MOST = line_width("一" * 7, 10)


def _fitted(columns: list[Column], counts: pd.DataFrame, lang: Lang) -> list[Column]:
    """变动汇总's `columns`, each widened to its heading's longest word and its longest value in its
    10-point text. A renderer fills a wrapped heading's line as far as it holds: 收入超标但不满|足退出条件
    and 数据有误,待核|实 printed broken where a column held part of a word. A word is what spaces part
    (an English heading wraps between its words); a Chinese heading is one, on one line. A place name
    no wider than PLACE_MOST; a count as its format prints it (0_ : a space after it)."""
    out = []
    for column in columns:
        heading = max(line_width(word, 10) for word in label(column.key, lang).split())
        values = counts[column.key]
        if column.fmt == "int":
            widest = line_width(f"{int(values.max()) if len(values) else 0} ", 10)
        else:
            widest = min(max([line_width(v, 10) for v in values.astype(str).unique()], default=0.0), PLACE_MOST)
        out.append(column._replace(width=max(column.width, heading, widest)))
    return out


def _summary(book, formats, table: pd.DataFrame, lang: Lang, county: str, year: int,
             copied: list[tuple[str, str, int, int]] = (), omissions_unsurveyed: int = 0) -> None:
    ws = book.add_worksheet(label("sheet_changes_summary", lang))
    # A household surveyed in another village than the register had it in: on the register before
    # in its old village (迁出 there), its change counted in the new one (迁入 here). Registered ones
    # only: a new candidate surveyed elsewhere last year was on no village's register (13 迁出 of a
    # village of 11 registered, an outside try).
    moved = moved_village(table) & table["change"].ne("new")
    # A village merged into another (撤并村): its households on the register before there too, counted
    # apart (撤并村并出/并入, columns only where one is), not as 迁出/迁入 (an outside try's 23 of 新立村).
    merged = merged_village(table) & table["change"].ne("new")

    def place(which: str, rows: pd.Series) -> list[pd.Series]:
        return [table.loc[rows, f"{which}{c}"].fillna("").astype(str) for c in ("township", "village")]
    before = table["change"].ne("new")
    old_place = place("", before)
    by_place = {c: pd.Series(dtype=int) for c in ("moved_out", "moved_in", "merged_out", "merged_in")}
    elsewhere = moved | merged
    if elsewhere.any():
        old_place = [now.where(~elsewhere[before], was) for now, was in zip(old_place, place("previous_", before))]
    for kind, rows in (("moved", moved), ("merged", merged)):
        if rows.any():
            by_place[f"{kind}_out"] = table[rows].groupby(place("previous_", rows)).size()
            by_place[f"{kind}_in"] = table[rows].groupby(place("", rows)).size()
    summary = [*SUMMARY[:3], *(["merged_out", "merged_in"] if merged.any() else []), *SUMMARY[3:]]
    on_before = table[before].groupby(old_place).size()
    counts = pd.crosstab([table["township"], table["village"]], table["change"]).reindex(columns=CHANGES, fill_value=0)
    places = counts.index.union(on_before.index)
    # Villages in place order (village_order), not by character code (东兴村 before the survey's first, 前岗村).
    places = places[np.argsort(village_order(table).reindex(places).to_numpy(), kind="stable")]
    counts = counts.reindex(places, fill_value=0)
    for column, counted in (("registered_before", on_before), *by_place.items()):
        counts[column] = counted.reindex(places).fillna(0).astype(int)
    counts = counts[summary].rename_axis(["township", "village"]).reset_index()
    total = counts[summary].sum()
    counts = pd.concat([counts, pd.DataFrame([{"township": label("total", lang), "village": "", **total.to_dict()}])],
                       ignore_index=True)
    counts["township"] = [t if i == len(counts) - 1 else place_name(t, lang, "unknown_township")
                          for i, t in enumerate(counts["township"])]
    counts["village"] = [v if i == len(counts) - 1 else place_name(v, lang, "unknown_village")
                         for i, v in enumerate(counts["village"])]
    counts = counts.rename(columns={c: f"change_{c}" for c in CHANGES})
    columns = _fitted([Column("township", 7, "cell"), Column("village", 7, "cell"),
                       *[Column(c, 5, "int") for c in summary if c not in CHANGES],
                       *[Column(f"change_{c}", 5, "int") for c in CHANGES]],
                      counts, lang)
    last = len(columns) - 1
    width = sum(c.width for c in columns)
    write_title(ws, 0, 0, last, label("changes_title", lang, county=county, year=year), formats["title"],
                width=width, font_size=TITLE_SIZE, least=30)
    line = label("changes_line", lang, registered=int(total["registered_before"]), missing=int(total["missing"]),
                 new=int(total["new"]), exits=int(total["exit"] + total["excluded"]))
    write_block(ws, 1, 0, last, line, formats["subtitle"], max(34.0, text_height(line, width, 10)))
    # 10-point text: a place name past its column's most wraps, and its row grows to hold it.
    write_table(ws, 2, columns, counts, formats, lang, heights=wrapped_heights(counts, columns, 20, 10).tolist())
    # Below the table: each village whose survey looks copied from last year's, said before its meeting;
    # each that looks merged into another, said once (its lines say only 原…村).
    said = [label("reg_village_copied", lang, place=f"{township}{village}", households=households, year=before)
            for township, village, households, before in copied]
    said += merged_sentences(table, lang)
    said += unsurveyed_sentences(table, lang, year)
    if omissions_unsurveyed:  # an upheld 漏评 of an earlier round this survey did not find (漏评异议 sheet)
        said.append(label("changes_omissions_line", lang, count=omissions_unsurveyed,
                          sheet=label("sheet_changes_omissions", lang)))
    for i, text in enumerate(said):
        write_block(ws, 2 + len(counts) + 2 + i, 0, last, text, formats["subtitle"], text_height(text, width, 10))
    setup_print(ws, lang, header_row=2, landscape=True)
