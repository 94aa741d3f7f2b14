"""The city's spot check (抽查核实) kept in the register (db._schema_9).

`edgescreen backcheck 农安县.db 核查表/` compares the filled forms with the round they were drawn from;
this records what it found, as every document filled in and handed back is recorded: one recording of
the check (the sample, the tolerance, the forms with SHA-256, who and when: its changeset) and, per
household drawn whose form came back, what the visit found, its 核查序号, the verifier and visit date.
Nothing is overwritten: the same findings again record nothing; a corrected set of forms of the same
sample is a new recording that supersedes the last, holding the households whose finding changed.

It takes the comparison as backcheck built it (spotcheck.backcheck.Backcheck: its households frame,
facts, source and tolerance), read by attribute: the spot check's package is not imported here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..catalogue import Lang, label
from ..inputs import SPOT_CHECK_STEP, file_sha256
from . import db

# What a visit found, the first that applies (as backcheck's 逐户比对 words it: report.outcome_words):
# 错评 (a listed household not found is one), 未核查, 漏评, a status moved within the tolerance, a wrong
# status between two non-candidate ones, another status, the same status (its fields differing or not).
SPOT_FINDINGS = ("wrongly_listed", "not_verified", "wrongly_unlisted", "within_tolerance", "other_status_wrong",
                 "status_differs", "agrees")
# A household's finding is new where one of these differs from its last recorded of the same sample.
COMPARED = ["seq", "finding", "fields", "note", "verifier", "visit_date", "recorded_status", "verified_status"]
FINDING_FIELD = "spot_finding"  # the field of a finding as history's events name it


@dataclass
class SpotRecorded:
    """What recording a spot check did: 'recorded' (the sample's first), 'superseded' (a corrected set
    of forms: a new recording, the old kept) or 'unchanged' (the same findings: nothing written)."""

    outcome: str
    sample_id: str
    households: int          # findings written (0: unchanged)
    at: str                  # when this recording was made, or (unchanged) the one it matches
    who: str
    round: int


def flag_column(h: pd.DataFrame, column: str) -> pd.Series:
    """A yes/no column of the households, False where it is NA or absent."""
    return h[column].fillna(False).astype(bool) if column in h.columns else pd.Series(False, index=h.index)


def outcome_codes(h: pd.DataFrame) -> np.ndarray:
    """Per household of the comparison (Backcheck.households), what the visit found: the first of
    SPOT_FINDINGS that applies (spotcheck.report.outcome_words says it in words)."""
    # A status that differs on the same side of the list (已建档立卡 found a 低保户) is no 错评 or 漏评,
    # but no agreement either: the plan asks for 低保 and 特困 households to be told apart.
    recorded = h["recorded_status"].astype("string").fillna("")
    verified = h["verified_status"].astype("string").fillna("")
    differs = (recorded.ne("") & verified.ne("") & recorded.ne(verified)).to_numpy(dtype=bool)
    # 错评 first: a listed household not found is one, though no page of it was filled in. A status moved
    # across a bound with every field within the tolerance is neither 错评 nor 漏评 nor agreement
    # (backcheck.crossed_within_tolerance); a decision wrong between two others (达到收入上限 recorded,
    # 低于贫困标准 found) is wrong, not a difference alone (backcheck.wrong_other_status).
    return np.select([flag_column(h, "wrongly_listed").to_numpy(), ~h["verified"].to_numpy(dtype=bool),
                      flag_column(h, "wrongly_unlisted").to_numpy(), flag_column(h, "within_tolerance").to_numpy(),
                      flag_column(h, "wrong_other_status").to_numpy(), differs],
                     list(SPOT_FINDINGS[:-1]), SPOT_FINDINGS[-1])


def _text(values: pd.Series) -> pd.Series:
    """A column as text, '' for none (NA, NaN, None): how findings are compared and stored."""
    return values.astype(object).where(values.notna(), "").astype(str)


def _households_of(bc, reg: db.Register) -> pd.Series:
    """The register's household key of each household of the comparison (its index): the key itself
    where the sample was drawn from the register; by the survey row (file, sheet, row) in the round
    where it was drawn from that screen's ledger (its households keyed file:sheet:row). NA where none."""
    h = bc.households
    if bc.facts.get("source_kind") != "ledger":
        return pd.Series(pd.to_numeric(pd.Series(h.index, index=h.index), errors="coerce"), index=h.index).astype("Int64")
    rows = db.screened(reg, int(bc.source.round))
    row_key = lambda f, s, r: f.astype(str) + ":" + s.fillna("").astype(str) + ":" + r.astype(str)  # noqa: E731
    of_row = pd.Series(rows["household"].to_numpy(),
                       index=row_key(rows["source_file"], rows["sheet"], rows["row"].astype("Int64")))
    of_row = of_row[~of_row.index.duplicated()]
    mine = row_key(h["source_file"], h["sheet"], pd.to_numeric(h["row"], errors="coerce").astype("Int64"))
    return pd.Series(of_row.reindex(mine.to_numpy()).to_numpy(), index=h.index).astype("Int64")


def household_findings(bc, reg: db.Register) -> pd.DataFrame:
    """Per household drawn whose page came back (on a form compared), what the visit found
    (SPOT_FINDING_COLUMNS but spot_check), as text, in the forms' order."""
    h = bc.households
    h = h.assign(household=_households_of(bc, reg))
    h = h[h["form"].notna().to_numpy() & h["household"].notna().to_numpy()]
    recorded = h["recorded_status"].astype("string").fillna("")
    verified = h["verified_status"].astype("string").fillna("")
    finding = outcome_codes(h)
    names = h["fields_differing_names"] if "fields_differing_names" in h.columns else pd.Series(np.nan, index=h.index)
    fields = names.map(lambda n: ";".join(map(str, n)) if isinstance(n, (list, tuple)) else "")
    day = h["verify_date"].map(lambda d: d.isoformat() if hasattr(d, "isoformat") else "")
    out = pd.DataFrame({
        "household": h["household"].astype("int64").to_numpy(),
        "seq": _text(pd.to_numeric(h["seq"], errors="coerce").astype("Int64")).to_numpy(),
        "finding": finding, "fields": fields.to_numpy(), "note": _text(h["notes"]).str.strip().to_numpy(),
        "verifier": _text(h["verifier"]).to_numpy(), "visit_date": day.to_numpy(), "form": _text(h["form"]).to_numpy(),
        "recorded_status": recorded.to_numpy(dtype=object), "verified_status": verified.to_numpy(dtype=object)})
    return out.sort_values(["form", "seq"], key=lambda c: pd.to_numeric(c, errors="coerce") if c.name == "seq" else c,
                           kind="stable").reset_index(drop=True)


def _changed(found: pd.DataFrame, earlier: pd.DataFrame) -> pd.Series:
    """Per household found, whether its finding is new: none recorded of the sample yet, or one of
    COMPARED differs from the last recorded."""
    if earlier.empty:
        return pd.Series(True, index=found.index)
    last = earlier.drop_duplicates("household", keep="last").set_index("household")
    was = last.reindex(found["household"].to_numpy())
    now = found.set_index("household")
    same = pd.Series(was.index.isin(last.index), index=was.index)
    for column in COMPARED:
        same &= _text(was[column]).eq(_text(now[column]).astype(str))
    return pd.Series(~same.to_numpy(), index=found.index)


def _seed(value) -> str | None:
    return None if value is None else str(value)


def record_spot_check(path: str | Path, bc, forms: Sequence[Path], *, seed=None) -> SpotRecorded:
    """Record backcheck's comparison `bc` of the forms `forms` (every file given, as backcheck.json lists
    them) in the register at `path` it was drawn from: one transaction, an older file upgraded by it.
    `seed`: the sample's, where its sample.json was found. Refused as any write is (read-only, busy)."""
    sample_id = str(bc.facts.get("sample_id") or "")
    with db.open_register(path, upgrade=db.UPGRADE_ON_WRITE) as reg, reg.writing():
        found = household_findings(bc, reg)
        ours = db.has_spot_checks(reg)  # an older file gets the tables with its first changeset
        earlier = db.spot_findings_of_sample(reg, sample_id) if ours else pd.DataFrame(columns=db.SPOT_FINDING_COLUMNS)
        checks = db.spot_checks_of_sample(reg, sample_id) if ours else pd.DataFrame()
        new = _changed(found, earlier)
        if len(checks) and not new.any():
            last = checks.iloc[-1]
            return SpotRecorded("unchanged", sample_id, 0, str(last["at"]), str(last["os_user"] or ""),
                                int(last["round"]))
        changeset = db.add_changeset(reg, "backcheck")
        h = bc.households
        tolerance = bc.tolerance
        check = {"changeset": changeset, "round": int(bc.source.round), "sample_id": sample_id, "seed": _seed(seed),
                 "drawn": str(bc.facts.get("created") or "") or None,
                 "tolerance_share": tolerance.share, "tolerance_fen": tolerance.fen,
                 "households": int(bc.drawn), "verified": int(bc.verified),
                 "wrongly_listed": int(flag_column(h, "wrongly_listed").sum()),
                 "wrongly_unlisted": int(flag_column(h, "wrongly_unlisted").sum()),
                 "fields_differ": int(pd.to_numeric(h["fields_differing"], errors="coerce").fillna(0).gt(0).sum()),
                 "supersedes": int(checks["id"].iloc[-1]) if len(checks) else None}
        files = pd.DataFrame({"file": [Path(p).name for p in forms], "path": [str(Path(p).resolve()) for p in forms],
                              "sha256": [file_sha256(Path(p)) for p in forms]})
        written = found[new.to_numpy()]
        db.add_spot_check(reg, check, files, written)
        at, who = reg.conn.execute("SELECT at, os_user FROM changesets WHERE id = ?", (changeset,)).fetchone()
    return SpotRecorded("superseded" if len(checks) else "recorded", sample_id, len(written), at, who or "",
                        int(bc.source.round))


# ---------------------------------------------------------------------------------------------
# In words: history's lines and status's


def finding_words(finding: str, fields: str, note: str, verifier: str, visit_date: str, verified_status: str,
                  lang: Lang) -> str:
    """错评(2 项不符:工资性收入(元)、家庭经营收入(元)) · 核查人 王核查 2020-01-12; 未核查(家中无人)."""
    names = [n for n in str(fields or "").split(";") if n]
    named = label("list_sep", lang).join(label(f"spot_f_{n}", lang) for n in names)
    if finding == "agrees" and names:  # 认定一致,2 项不符 as backcheck says it, and which
        words = label("spot_outcome_agrees_differing", lang, count=len(names)) \
            + label("reg_spot_field_names", lang, fields=named)
    else:
        words = label(f"spot_outcome_{finding}", lang)
        words += label("reg_spot_fields", lang, count=len(names), fields=named) if names else ""
    if not verified_status:  # not visited (a listed household not found is 错评 all the same): why
        words += label("reg_spot_why", lang, why=note or label("reg_spot_why_none", lang))
    if verifier or visit_date:
        words += label("reg_spot_by", lang, verifier=verifier or label("blank", lang), date=visit_date or "").rstrip()
    return words


def history_events(found: pd.DataFrame) -> pd.DataFrame:
    """db.spot_history's rows as a household's events (views.Trail.events): dated by the visit (by the
    day recorded where there was none), each with the finding it supersedes (old_*: '' for none) and an
    id after every event's so that a day's spot check follows that day's steps."""
    if found.empty:
        return pd.DataFrame()
    f = found.sort_values("spot_check", kind="stable").reset_index(drop=True)
    earlier = f.groupby(["household", "sample_id"], sort=False)
    old = {c: earlier[c].shift(1) for c in ("finding", "fields", "note", "verifier", "visit_date", "verified_status")}
    day = f["visit_date"].where(f["visit_date"].fillna("").astype(str).ne(""), f["at"].astype(str).str[:10])
    return pd.DataFrame({
        "id": 10**15 + f["spot_check"].astype("int64"), "changeset": f["changeset"], "round": f["round"],
        "household": f["household"], "step": SPOT_CHECK_STEP, "field": FINDING_FIELD, "effective": day,
        "at": f["at"], "command": f["command"], "os_user": f["os_user"], "source_file": f["form"],
        "source_sha256": None, "amend_reason": None, "sample_id": f["sample_id"], "seq": f["seq"],
        **{c: f[c] for c in ("finding", "fields", "note", "verifier", "visit_date", "verified_status")},
        **{f"old_{c}": v for c, v in old.items()}})


def spot_check_line(check: dict | None, lang: Lang) -> str:
    """status's line of the latest spot check recorded: its day, sample, households checked, 错评 and 漏评;
    '' where there is none."""
    if not check:
        return ""
    return label("reg_spot_status", lang, date=str(check["at"])[:10], sample=check["sample_id"],
                 round=int(check["round"]), drawn=int(check["households"]), verified=int(check["verified"]),
                 listed=int(check["wrongly_listed"]), unlisted=int(check["wrongly_unlisted"]),
                 fields=int(check["fields_differ"]), who=check.get("os_user") or label("blank", lang))


__all__ = ["SPOT_FINDINGS", "SpotRecorded", "record_spot_check", "household_findings", "finding_words",
           "history_events", "spot_check_line", "outcome_codes", "flag_column"]
