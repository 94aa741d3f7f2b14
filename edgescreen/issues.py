"""The data-quality issues of a run: collected as masks over households, assembled into one table.

Each check adds a boolean mask over households, a field and a code; the log keeps only the positions
that are flagged. `IssueLog.table` joins provenance and the cell reference (column letter per sheet),
takes severity and category from the catalogue and renders the message from its zh or en template,
all column-wise.
"""

from __future__ import annotations

import string

import numpy as np
import pandas as pd

from .catalogue import Lang, fields, messages

ISSUE_COLUMNS = ["source_file", "sheet", "row", "cell", "township", "village", "head_name",
                 "field", "value", "code", "severity", "category", "message"]


class IssueLog:
    """Issues found over one households frame (positions are 0-based row positions in it). `cells`
    is the households' cells as typed: an issue quotes its field's text from there by default."""

    def __init__(self, cells: pd.DataFrame):
        self.cells = cells
        self._parts: list[pd.DataFrame] = []

    def add(self, mask, field: str, code: str, *, value=None, **params) -> None:
        """Flag the households where `mask` is true. `value` defaults to the field's text as typed;
        params (scalars or Series aligned with households) fill the message template."""
        mask = np.asarray(pd.Series(mask).fillna(False), dtype=bool)
        positions = np.flatnonzero(mask)
        if len(positions) == 0:
            return
        if value is None:
            value = self.cells[field] if field in self.cells.columns else ""
        part = {"hh": positions, "field": field, "code": code, "value": _take(value, positions)}
        part.update({k: _take(v, positions) for k, v in params.items()})
        self._parts.append(pd.DataFrame(part))

    def codes(self) -> pd.DataFrame:
        """hh, field, code, severity for every issue: what the decision needs, without rendering."""
        if not self._parts:
            return pd.DataFrame({"hh": pd.Series(dtype=np.int64), "field": pd.Series(dtype=str),
                                 "code": pd.Series(dtype=str), "severity": pd.Series(dtype=str)})
        frame = pd.concat([p[["hh", "field", "code"]] for p in self._parts], ignore_index=True)
        frame["severity"] = _severity(frame)
        return frame

    def table(self, households: pd.DataFrame, columns: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
        """The full issue table, in household order then in the order the checks ran."""
        if not self._parts:
            return pd.DataFrame({c: pd.Series(dtype=str) for c in ISSUE_COLUMNS + ["header", "hh"]})
        frame = pd.concat(self._parts, ignore_index=True)
        frame["order"] = np.arange(len(frame))
        frame = frame.sort_values(["hh", "order"], kind="stable").reset_index(drop=True)
        prov = households.iloc[frame["hh"].to_numpy()]
        for col in ("source_file", "sheet", "row", "township", "village", "head_name", "sheet_key"):
            frame[col] = prov[col].to_numpy()
        frame = frame.merge(columns, on=["sheet_key", "field"], how="left", sort=False)
        by_name = fields().by_name
        frame["column"] = frame["column"].fillna("")
        canonical = frame["field"].map({name: spec.header for name, spec in by_name.items()})
        frame["header"] = frame["header"].fillna(canonical).fillna(frame["field"])
        frame["cell"] = np.where(frame["column"] != "", frame["column"] + frame["row"].astype(str), "")
        frame["severity"] = _severity(frame)
        cat = messages().checks
        frame["category"] = frame["code"].map({code: spec.category for code, spec in cat.items()})
        frame["value"] = frame["value"].fillna("").astype(str)
        frame["message"] = render(frame, lang)
        return frame


def _take(value, positions: np.ndarray):
    if isinstance(value, (pd.Series, pd.Index, np.ndarray, pd.api.extensions.ExtensionArray)):
        return np.asarray(pd.Series(value).iloc[positions].astype(object).to_numpy())
    return value


def _severity(frame: pd.DataFrame) -> pd.Series:
    checks = messages().checks
    kinds = {f.name: f.kind for f in fields().field}
    base = frame["code"].map({code: spec.severity for code, spec in checks.items()})
    # missing_value is an error for required text, ID and counts; a warning for money and yes/no.
    missing = frame["code"] == "missing_value"
    by_kind = checks["missing_value"].severity_by_kind
    kind_sev = frame["field"].map({name: by_kind.get(kind, "error") for name, kind in kinds.items()}).fillna("error")
    return base.where(~missing, kind_sev)


_FORMATTER = string.Formatter()


def _fill(template: str, frame: pd.DataFrame, lang: Lang) -> pd.Series:
    """A template rendered over every row of `frame`, one string concatenation per placeholder."""
    out = pd.Series("", index=frame.index, dtype=object)
    for literal, name, _spec, _conv in _FORMATTER.parse(template):
        out = out + literal
        if name is None:
            continue
        if name.startswith("hint_"):
            keys = frame["hint"].fillna("") if "hint" in frame.columns else pd.Series("", index=frame.index)
            hints = messages().hints
            part = pd.Series("", index=frame.index, dtype=object)
            for key in keys.unique():
                if key:
                    sel = keys == key
                    part[sel] = _fill(hints[key](name.removeprefix("hint_")), frame[sel], lang)
            out = out + part
        elif name in frame.columns:
            out = out + frame[name].fillna("").astype(str)
        else:
            out = out + "{" + name + "}"
    return out


def render(frame: pd.DataFrame, lang: Lang) -> pd.Series:
    """Messages for every issue row, from the catalogue's templates in `lang`."""
    checks = messages().checks
    out = pd.Series("", index=frame.index, dtype=object)
    for code in frame["code"].unique():
        sel = frame["code"] == code
        out[sel] = _fill(checks[code].template(lang), frame[sel], lang)
    return out
