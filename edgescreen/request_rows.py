"""The request list's rows (信息比对申请名单): one per person to ask the departments about, as the list
prints them, and the cells of each row its identity hashes. Core: outputs/request.py prints the list,
and the roster reader places a returned list's rows by them (rosters.py: rows a department deleted)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .catalogue import Lang, label

# The identifying cells of a printed row, in print order, hashed per row (documents.row_hash). The ID
# is hashed but never written into the identity sheet: an ID-shaped cell there would make the roster
# reader take that sheet for a roster's.
HASHED = ("request_township", "request_village", "request_household_id", "request_head_name", "request_name",
          "request_relation", "request_id")

def request_rows(households: pd.DataFrame, members, lang: Lang) -> pd.DataFrame:
    """One row per person to ask about, household by household in the screen's order, each household's
    head first: its members (linked ones) where members were read, and its head as the survey's sheet
    gives him where its members do not list him (by ID, or as a 户主 row where the sheet gives no
    ID). Columns: the printed ones (COLUMNS, 比对结果 and 备注 left out) and `key`, `hh`."""
    n = len(households)
    text = lambda name: households[name].astype("string").fillna("").to_numpy(dtype=object)  # noqa: E731
    head_id = text("head_id")
    heads = pd.DataFrame({"hh": np.arange(n, dtype=np.int64), "first": 0, "order": -1, "request_name": text("head_name"),
                          "request_relation": label("relation_head", lang), "request_id": head_id})
    people = [heads]
    if members is not None and len(members.frame):
        frame = members.frame
        linked = np.flatnonzero(frame["hh"].to_numpy() >= 0)
        hh = frame["hh"].to_numpy()[linked].astype(np.int64)
        ids = frame["member_id"].astype("string").fillna("").to_numpy(dtype=object)[linked]
        is_head = frame["group"].to_numpy(dtype=object)[linked] == "head"
        listed = pd.DataFrame({"hh": hh, "first": np.where(is_head, 0, 1), "order": linked.astype(np.int64),
                               "request_name": frame["name"].astype("string").fillna("").to_numpy(dtype=object)[linked],
                               "request_relation": frame["relation"].astype("string").fillna("").to_numpy(dtype=object)[linked],
                               "request_id": ids})
        # The head is asked about by his members' row where it holds his ID, or is the 户主 row of a
        # household whose sheet gives none; else by the sheet's ID too (the rosters match both).
        by_id = (ids != "") & (ids == head_id[hh])
        head_listed = np.zeros(n, dtype=bool)
        head_listed[hh[by_id | (is_head & (head_id[hh] == ""))]] = True
        people = [heads[~head_listed], listed]
    rows = pd.concat(people, ignore_index=True).sort_values(["hh", "first", "order"], kind="stable")
    at = rows["hh"].to_numpy()
    # A row's key: its household's place in the screen and its own in the members table (0: the head
    # as the household sheet gives him), kept with its hash in the identity.
    rows["key"] = (rows["hh"] + 1).astype(str).str.cat((rows["order"] + 1).astype(str), sep=".")
    for key, field in (("request_township", "township"), ("request_village", "village"),
                       ("request_household_id", "household_id"), ("request_head_name", "head_name")):
        rows[key] = text(field)[at] if field in households.columns else ""
    rows["request_seq"] = np.arange(1, len(rows) + 1)
    return rows.drop(columns=["first", "order"]).reset_index(drop=True)
