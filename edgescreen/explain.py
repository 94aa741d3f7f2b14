"""`edgescreen explain`: why one household got its status, step by step, for audit.

The trace is read from a screening `Result`, never recomputed another way: the cells as typed and as
parsed come from the households frame (raw text is kept beside the typed columns), the sums, the net
income and the per-capita from the pipeline's own fen columns, the issues from its issue log. Each
rule is shown in precedence order with the parameter value in force, its effective date and source,
and the comparison in integer fen that decides it; the status the rules give is checked against the
pipeline's, so a trace can never tell a different story from the ledger.

    from edgescreen import screen
    from edgescreen.explain import Explainer
    result = screen(["survey.xlsx"])
    trace = Explainer(result).trace(0)          # the first household, as a dict (JSON-ready)
"""

import difflib
import json
import re
import unicodedata
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from .catalogue import Lang, Lines, Phrase, fields, label, messages, rosters_catalogue, target_of
from .classify import reason_titles
from .compute import round_half_up_div
from .errors import EdgescreenError
from .money import fen_text
from .normalise import normalise_id, normalise_text, read_as_wan
from .pipeline import screen
from .read import TEXT, together_fields

if TYPE_CHECKING:
    from .result import Result


class ExplainError(EdgescreenError):
    """No household matches what was asked for, or the request is malformed."""


def _exact_quotient(net_fen: int, residents: int) -> str:
    """net ÷ residents in yuan, exactly if it terminates within 6 decimals, else truncated with '…'."""
    q = Decimal(net_fen) / Decimal(100) / Decimal(residents)
    shown = q.quantize(Decimal("0.000001"), rounding=ROUND_DOWN)
    if shown == q:
        return f"{q.quantize(Decimal('0.01')) if q == q.quantize(Decimal('0.01')) else q.normalize()}"
    return f"{shown}…"


_SPACES = re.compile(r"\s+")
_ROW_SPEC = re.compile(r"(?P<file>.+?)(?::(?P<sheet>[^:\\/?*\[\]]*))?:(?P<row>\d+)")


def parse_row_spec(spec: str) -> tuple[str, str, int]:
    """'FILE:SHEET:ROW' (or 'FILE:ROW' / 'FILE::ROW' for a CSV) → (file name, sheet, row). Excel sheet
    names cannot hold : \\ / ? * [ ], so a Windows path such as C:\\县\\a.xlsx:合隆镇:12 splits cleanly."""
    match = _ROW_SPEC.fullmatch(spec.strip())
    if not match:
        raise ExplainError("explain_row_format", spec=repr(spec))
    file = re.split(r"[\\/]", match["file"])[-1]
    return file, (match["sheet"] or "").strip(), int(match["row"])



def typed_id(head_id: str) -> str:
    """An ID as asked for: no spaces, full-width digits and ＊ (a Chinese input method's) as the ASCII
    the village lists print, the x upper-case."""
    return unicodedata.normalize("NFKC", _SPACES.sub("", head_id)).upper()

class Explainer:
    """Traces over one Result: finds households and explains each. Built once, then cheap per household."""

    def __init__(self, result: "Result", lang: Lang = "zh"):
        self.result = result
        self.lang = lang
        self.df = result.households
        self.raw = result.cells
        issues = result.issues(lang)
        self._issues = {hh: grp for hh, grp in issues.groupby("hh", sort=False)} if len(issues) else {}
        codes = result.log.codes()
        errors = codes[codes["severity"] == "error"]
        self._errors = errors.groupby("hh")["code"].apply(lambda s: list(dict.fromkeys(s))).to_dict()
        self._columns: dict[str, dict[str, tuple[str, str]]] = {}
        for row in result.columns.itertuples(index=False):
            self._columns.setdefault(row.sheet_key, {})[row.field] = (row.column, row.header)
        self._kinds = {f.name: f.kind for f in fields().field}
        self._order = [f.name for f in fields().field]
        # Plain dicts per household: a trace reads some 60 values, and .at on a wide frame is slow.
        self._rows = self.df.to_dict("records")
        self._raw_rows = self.raw.to_dict("records")
        # 信息比对: each household's roster matches and name leads (only with rosters).
        run = result.rosters
        self._matches = {hh: g for hh, g in run.matches.groupby("hh", sort=False)} if run is not None else {}
        self._leads = {hh: g for hh, g in run.leads.groupby("hh", sort=False)} if run is not None and len(run.leads) \
            else {}
        self._unmatched = {hh: g for hh, g in run.unmatched.groupby("hh", sort=False)} \
            if run is not None and len(run.unmatched) else {}
        self._unlisted = dict(zip(run.unlisted["hh"].tolist(), run.unlisted["missing"].tolist())) \
            if run is not None and len(run.unlisted) else {}
        pending = getattr(run, "pending", None) if run is not None else None
        self._pending = {hh: g for hh, g in pending.groupby("hh", sort=False)} \
            if pending is not None and len(pending) else {}

    # -- finding households ------------------------------------------------------------------

    def find_by_id(self, head_id: str) -> list[int]:
        """The households whose head has this ID: in full, or masked as the village list prints it
        (220122********0019: the digits shown before and after the stars must match)."""
        ids = self.df["head_id"].fillna("")
        typed = typed_id(head_id)
        if "*" in typed:
            head, tail = typed.split("*", 1)[0], typed.rsplit("*", 1)[-1]
            match = ids.str.startswith(head) & ids.str.endswith(tail) & (ids.str.len() >= len(head) + len(tail))
            hits = self.df.index[match].tolist() if head or tail else []
        else:
            wanted = normalise_id(pd.Series([head_id], dtype=TEXT)).iloc[0]
            hits = self.df.index[ids == wanted].tolist()
        if not hits:
            raise ExplainError("explain_no_id", id=head_id, inputs=[i.name for i in self.result.inputs])
        return hits

    def find_by_name(self, name: str) -> list[int]:
        """The households whose head has this name (spaces inside a name are not counted)."""
        names = self.df["head_name"].fillna("").str.replace(_SPACES, "", regex=True)
        # The name asked for read as the survey's names were (normalise_text: full-width letters folded,
        # a zero-width space dropped): one copied from the survey's cell is found.
        wanted = _SPACES.sub("", normalise_text(pd.Series([name], dtype=object)).fillna("").iloc[0])
        hits = self.df.index[names == wanted].tolist()
        if not hits:
            # A character typed off (张叁 for 张三): the names one character away, as a clerk would ask.
            close = difflib.get_close_matches(wanted, pd.unique(names[names != ""]).tolist(), n=5, cutoff=0.5)
            like = Phrase("explain_names_like", names=label("list_sep", self.lang).join(close)) if close else ""
            raise ExplainError("explain_no_name", name=name, inputs=[i.name for i in self.result.inputs], like=like)
        return hits

    def row_spec(self, hh: int) -> str:
        """Where household `hh` is, as --row takes it: FILE:SHEET:ROW (a CSV: FILE:ROW)."""
        row = self._rows[hh]
        return ":".join(str(p) for p in (row["source_file"], row["sheet"], row["row"]) if p != "")

    def several(self, hits: list[int], asked: Phrase) -> ExplainError:
        """More than one household answers a name or a masked ID: where each is, not a guess."""
        lines = [Phrase("explain_match_line", row=self.row_spec(hh),
                        place=" ".join(_str(self._rows[hh].get(f)) or "" for f in ("township", "village", "group")).strip(),
                        name=_str(self._rows[hh]["head_name"]) or "—")
                 for hh in hits]
        return ExplainError("explain_several", count=len(hits), asked=asked, matches=Lines(lines),
                            example=self.row_spec(hits[0]))

    def _input_named(self, spec: str, file: str) -> str:
        """The input a --row names: by its name in the outputs (华家镇/入户登记表.xlsx, as row_spec gives
        it), by a path ending in that name (county/华家镇/入户登记表.xlsx, an absolute one), or by its
        file name where no other input has it; else the file name as typed."""
        match = _ROW_SPEC.fullmatch(spec.strip())
        typed = match["file"].replace("\\", "/") if match else file
        for name in (i.name for i in self.result.inputs):
            if typed == name or typed.endswith("/" + name):
                return name
        return file

    def find_by_row(self, spec: str) -> list[int]:
        file, sheet, row = parse_row_spec(spec)
        file = self._input_named(spec, file)
        df = self.df
        hits = df.index[(df["source_file"] == file) & (df["sheet"] == sheet) & (df["row"] == row)].tolist()
        if hits:
            return hits
        record = next((i for i in self.result.inputs if i.name == file), None)
        if record is None:
            raise ExplainError("explain_not_an_input", spec=spec, file=file,
                               inputs=[i.name for i in self.result.inputs])
        # A sheet of tables stacked one under another has a record per table (read._tables).
        tables = [s for s in record.sheets if s.name == sheet]
        text_file = all(not s.name for s in record.sheets)
        if not tables and text_file:  # a CSV has no sheets: FILE:ROW
            raise ExplainError("explain_csv_no_sheet", spec=spec, file=file, row=row)
        if not tables and not sheet:  # a workbook's row needs its sheet: FILE:SHEET:ROW
            raise ExplainError("explain_sheet_missing", spec=spec, file=file, row=row,
                               sheets=[f"「{s.name}」" for s in record.sheets] or "—")
        if not tables:
            sheets = [f"「{s.name}」" for s in record.sheets] or "—"
            skipped = next((r for s, r in record.skipped_sheets if s == sheet), None)
            why = Phrase("explain_sheet_skipped", reason=Phrase("skip_" + skipped.replace(" ", "_"))) if skipped else ""
            raise ExplainError("explain_no_sheet", spec=spec, file=file, sheet=sheet, why=why, sheets=sheets)
        skipped = {r: kind for info in tables for r, kind in info.skipped_rows}
        if row in skipped:
            raise ExplainError("explain_row_skipped", spec=spec, row=row, what=Phrase(f"row_kind_{skipped[row]}"))
        if any(info.header_rows[0] <= row <= info.header_rows[1] for info in tables):
            raise ExplainError("explain_row_header", spec=spec, row=row)
        raise ExplainError("explain_row_empty" if sheet else "explain_row_empty_csv", spec=spec, row=row, sheet=sheet)

    # -- the trace ---------------------------------------------------------------------------

    def _cell(self, hh: int, field: str) -> dict:
        row, raw = self._rows[hh], self._raw_rows[hh]
        column, header = self._columns.get(row["sheet_key"], {}).get(field, ("", ""))
        present = bool(column)
        typed = raw.get(field)
        typed = None if typed is None or pd.isna(typed) else str(typed)
        kind = self._kinds[field]
        cell = {"field": field, "header": header or fields().by_name[field].header,
                "cell": f"{column}{row['row']}" if present else "", "present": present,
                "typed": typed if present else None, "kind": kind}
        value = row[f"{field}_fen"] if kind == "money" else row[field]
        if not present or value is None or pd.isna(value):
            cell["value"] = None
        elif kind == "money":
            cell["value"], cell["fen"] = fen_text(value), int(value)
            # A cell's ×10,000 said, not left to look like a slip (1.21 → 12100.00; an outside try).
            if present and bool(row.get("amounts_in_wan")) and read_as_wan(pd.Series([typed]), pd.Series([value]))[0]:
                cell["in_wan"] = True
        elif kind == "integer":
            cell["value"] = int(value)
        elif kind == "flag":
            cell["value"] = bool(value)
        else:
            cell["value"] = str(value)
        # A field read from two columns as one question (是否特困人员 and 是否五保户: fields.toml `together`):
        # each other column's cell as typed, the value being what they read as together.
        columns = self._columns.get(row["sheet_key"], {})
        also = [(key, columns[key]) for key in together_fields(field, columns)]
        if present and also:
            cell["also"] = [{"cell": f"{col}{row['row']}", "header": head,
                             "typed": None if raw.get(key) is None or pd.isna(raw.get(key)) else str(raw.get(key))}
                            for key, (col, head) in also]
        return cell

    def _sum(self, hh: int, definition, used_col: str, components_col: str, cells: dict) -> dict:
        row = self._rows[hh]
        components = [cells[c] for c in definition.components]
        total = cells.get(definition.total)
        used, summed = _int(row[used_col]), _int(row[components_col])
        return {
            "components": components,
            "components_sum": fen_text(summed),
            "total_given": total if total and total["present"] else None,
            "used": fen_text(used),
            "used_fen": used,
            "from": "components" if summed is not None else ("total" if used is not None else None),
        }

    def trace(self, hh: int) -> dict:
        """The whole explanation of household `hh` (its position in result.households) as data, worded
        under the rule set the result was decided by (whatever was screened since)."""
        with target_of(self.result.loaded_rules.rules.target_words()):
            return self._trace(hh)

    def _trace(self, hh: int) -> dict:
        result, lang = self.result, self.lang
        row = self._rows[hh]
        rules, bounds = result.rule_set, result.bounds
        sheet_fields = self._columns.get(row["sheet_key"], {})
        cells = {f: self._cell(hh, f) for f in self._order if f in sheet_fields}
        for f in (*rules.income.components, rules.income.total, *rules.expenses.components, rules.expenses.total):
            cells.setdefault(f, self._cell(hh, f))

        income = self._sum(hh, rules.income, "total_income_used_fen", "income_components_fen", cells)
        expenses = self._sum(hh, rules.expenses, "production_expenses_used_fen", "expense_components_fen", cells)
        net, residents, per_capita = _int(row["net_income_fen"]), _int(row["residents"]), _int(row["per_capita_fen"])
        computable = bool(row["computable"])

        steps = self._rules(hh, net, residents, computable)
        decided = next(s["status"] for s in steps if s["decides"])
        status = row["status"]
        if decided != status:  # the trace must never tell another story than the ledger
            raise RuntimeError(f"explain disagrees with the pipeline for household {hh}: {decided} ≠ {status}")

        issues = self._issues.get(hh)
        issue_list = [] if issues is None else [
            {"cell": r.cell, "field": r.field, "header": r.header, "value": r.value, "code": r.code,
             "severity": r.severity, "category": r.category, "message": r.message}
            for r in issues.itertuples(index=False)]
        labels = messages().labels
        return {
            "household": {
                "position": int(hh), "source_file": row["source_file"], "sheet": row["sheet"],
                "row": int(row["row"]),
                **{f: _str(row[f]) for f in ("township", "village", "household_id", "head_name", "head_id")},
            },
            "rules": {"id": rules.id, "title": rules.title, "path": str(result.loaded_rules.path),
                      "sha256": result.loaded_rules.sha256, "income_year": bounds.year,
                      "target": rules.target_words()},
            "cells": list(cells.values()),
            "income": income,
            "expenses": expenses,
            "net_income": {"yuan": fen_text(net), "fen": net},
            "residents": residents,
            **({"residents_from_members": True, "resident_members": self._resident_members(hh)}
               if self._residents_from_members(hh) else {}),
            "per_capita": {
                "yuan": fen_text(per_capita), "fen": per_capita,
                "exact": _exact_quotient(net, residents) if computable else None,
                # Printed off the bound the exact value is inside of (classify.shown_inside).
                "kept_inside": computable and per_capita != int(
                    round_half_up_div(pd.Series([net]), pd.Series([residents])).iloc[0]),
            },
            "rules_applied": steps,
            **({"rosters": self._roster_trace(hh)} if self.result.rosters is not None else {}),
            "issues": issue_list,
            "status": status,
            "status_label": labels[status](lang),
            "reasons": [r for r in str(row["reasons"]).split(";") if r],
        }

    def _roster_trace(self, hh: int) -> dict:
        """Each roster match of household `hh` (the roster's file, kind and row; the member; the effect
        and the rule that gives it), and its 同村同名 leads apart: what of a roster the run read, no more."""
        run, rules, lang = self.result.rosters, self.result.rule_set, self.lang
        matches, leads = self._matches.get(hh), self._leads.get(hh)

        def member(relation, name, person_id=None) -> dict:
            out = {"relation": relation or label("relation_head", lang), "name": name}
            return {**out, "id": person_id} if person_id is not None else out

        def roster(i: int, kind: str) -> dict:
            r = run.rosters[i]
            return {"kind": kind, "name": label(f"roster_name_{kind}", lang), "file": r.path.name,
                    "sha256": r.sha256}

        found = [] if matches is None else [
            {"roster": roster(int(m.roster), m.kind), "row": int(m.row), "sheet": m.sheet,
             "member": member(m.relation, m.name, m.id), "effect": m.effect,
             # An authoritative roster's person in two households decides neither (roster_undecided).
             "set_aside": bool(m.effect == "authoritative" and m.ambiguous),
             "effect_label": label("effect_authoritative_set_aside" if m.effect == "authoritative" and m.ambiguous
                                   else f"effect_{m.effect}", lang),
             "rule": {"key": f"rosters.{m.kind}", "value": m.effect, "rules": rules.id,
                      "given": m.kind in rules.rosters},
             **({"date": m.date} if m.date else {})}
            for m in matches.itertuples(index=False)]
        named = [] if leads is None else [
            {"roster": roster(int(m.roster), m.kind), "row": int(m.row), "member": member(m.relation, m.name),
             "why": getattr(m, "why", "bad_id")}
            for m in leads.itertuples(index=False)]
        # Members whose ID no roster could match (blank or not valid): the household was not checked in full.
        unmatched = self._unmatched.get(hh)
        missed = [] if unmatched is None else [
            {"member": member(m.relation, m.name), "same_name": [k for k in m.same_name.split(";") if k]}
            for m in unmatched.itertuples(index=False)]
        unlisted = self._unlisted.get(hh, 0)
        # People a returned list did not answer for (待查, left blank): the household was not checked.
        pending = self._pending.get(hh)
        unsure = [] if pending is None else [
            {"roster": roster(int(m.roster), m.kind), "member": member(m.relation, m.name)}
            for m in pending.itertuples(index=False)]
        return {"matches": found, "leads": named, "unmatched": missed, **({"unlisted": unlisted} if unlisted else {}),
                **({"pending": unsure} if unsure else {})}

    def _residents_from_members(self, hh: int) -> bool:
        """家庭常住人口数 was blank and is counted from the members marked 是否常住."""
        members = self.result.members
        return members is not None and bool(members.filled[hh])

    def _resident_members(self, hh: int) -> list[dict]:
        """The member rows that counted household `hh`'s residents (是否常住 是): file, sheet, row, name.
        The count alone named no row to check it by (an outside try of explain)."""
        members = self.result.members
        at = np.flatnonzero((members.frame["hh"].to_numpy() == hh) & (members.frame["resident"] == True).to_numpy())  # noqa: E712
        cells, frame = members.cells.iloc[at], members.frame.iloc[at]
        return [{"source_file": f, "sheet": sh, "row": int(r), "name": _str(n)}
                for f, sh, r, n in zip(cells["source_file"], cells["sheet"], cells["row"], frame["name"])]

    def _authoritative(self, hh: int) -> dict[str, list[str]]:
        """Exclusion switch → the kinds of the authoritative rosters that list a member of `hh`."""
        matches = self._matches.get(hh)
        if matches is None:
            return {}
        catalogue = rosters_catalogue().by_code
        out: dict[str, list[str]] = {}
        deciding = (matches["effect"] == "authoritative") & ~matches["ambiguous"]  # in two households: decides not
        for kind in dict.fromkeys(matches.loc[deciding, "kind"]):
            out.setdefault(catalogue[kind].exclusion, []).append(kind)
        return out

    def _rules(self, hh: int, net: int | None, residents: int | None, computable: bool) -> list[dict]:
        """Each rule of domain §4 in precedence order: what it tests, the figures, whether it holds."""
        row, rules, bounds = self._rows[hh], self.result.rule_set, self.result.bounds
        lang = self.lang
        labels = messages().labels
        steps: list[dict] = []
        on_roster = self._authoritative(hh)

        for status, field, switch in (("excluded_dibao", "is_dibao", "dibao"),
                                      ("excluded_tekun", "is_tekun", "tekun"),
                                      ("excluded_registered", "is_registered_poor", "registered_poor")):
            enabled = getattr(rules.exclude, switch)
            value = None if pd.isna(row[field]) else bool(row[field])
            listed = on_roster.get(switch, [])  # an authoritative roster lists a member: whatever was said
            steps.append({
                "status": status, "label": labels[status](self.lang),
                "test": label("explain_test_flag", lang, header=fields().by_name[field].header),
                "parameter": {"key": f"exclude.{switch}", "value": enabled},
                "input": value, "enabled": enabled, "holds": bool(enabled and (value is True or listed)),
                **({"rosters": listed} if listed else {}),
            })
        errors = self._errors.get(hh, [])
        why = list(errors) or ([] if computable else ["not_computable"])
        steps.append({
            "status": "invalid", "label": labels["invalid"](self.lang),
            "test": label("explain_test_invalid", lang),
            "parameter": None, "input": why, "enabled": True, "holds": bool(errors) or not computable,
        })
        for status, key in (("below_line", "lower_bound"), ("candidate", "upper_bound")):
            value = bounds.lower if key == "lower_bound" else bounds.upper
            step = {"status": status, "label": labels[status](self.lang), "enabled": value is not None,
                    "parameter": None if value is None else _param(key, value, bounds.year)}
            if value is None:
                step.update(test=label("explain_test_no_lower", lang), holds=False, input=None)
            elif computable:
                limit = int(value.value * 100) * residents
                holds = net <= limit if key == "lower_bound" else net < limit
                step["test"] = label("explain_test_lower" if key == "lower_bound" else "explain_test_upper", lang,
                                     bound=value.value, residents=residents, net=fen_text(net), limit=fen_text(limit))
                step.update(input={"net_income_fen": net, "residents": residents, "limit_fen": limit}, holds=holds)
            else:
                step.update(test=label("explain_not_computable", lang), holds=False, input=None)
            steps.append(step)
        upper = bounds.upper
        steps.append({
            "status": "above_limit", "label": labels["above_limit"](self.lang),
            "test": label("explain_test_above", lang, bound=upper.value),
            "enabled": True, "parameter": _param("upper_bound", upper, bounds.year), "input": None, "holds": True,
        })
        decided = False
        for step in steps:
            step["decides"] = bool(step["holds"] and not decided)
            step["reached"] = not decided
            if decided:  # a rule after the deciding one is not applied: no verdict (null), not its test's truth
                step["holds"] = None
            decided = decided or step["decides"]
        return steps


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _str(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _param(key: str, value, year: int) -> dict:
    return {"key": key, "value": str(value.value), "effective": value.effective.isoformat(),
            "source": value.source, "income_year": year}


# ---------------------------------------------------------------------------------------------
# Text rendering


def _money_line(c: dict, L, prefix: str = "") -> str:
    typed = c["typed"] if c["typed"] not in (None, "") else L("blank")
    if c.get("in_wan") and c["typed"] not in (None, ""):
        typed = f"{typed} {L('in_wan')}"
    value = c["value"] if c["value"] is not None else "—"
    return f"  {c['cell']:>6}  {prefix}{c['header']}: {typed}  →  {value}"


def _code_title(code: str, lang: Lang, unknown: str | None = None) -> str:
    """A reason or check code as the clerk reads it (classify.reason_titles), or explain's own word
    for it (explain_why_<code>). The text trace shows no code; the JSON keeps them, for audit. A code
    the catalogue lacks: `unknown`'s words, else itself."""
    titles = reason_titles(lang)
    if code in titles:
        return titles[code]
    key = f"explain_why_{code}" if f"explain_why_{code}" in messages().labels else unknown
    return label(key, lang) if key else code


def render_text(trace: dict, lang: Lang = "zh") -> str:
    with target_of(trace["rules"].get("target")):
        return _render_text(trace, lang)


def _render_text(trace: dict, lang: Lang) -> str:
    L = lambda k: label(f"explain_{k}", lang)  # noqa: E731
    h = trace["household"]
    out = []
    where = label("explain_where_sheet" if h["sheet"] else "explain_where_csv", lang, file=h["source_file"],
                  sheet=h["sheet"], row=h["row"])
    out.append(f"== {L('title')}: {h['head_name'] or ''} {h['head_id'] or ''} ==")
    out.append(f"{L('where')}: {where}; {h['township'] or ''} {h['village'] or ''}")
    r = trace["rules"]
    out.append(f"{L('rule_set')}: {r['id']} — {r['title']}; {L('income_year')} {r['income_year']}")
    out.append("")
    out.append(L("cells") + ":")
    for c in trace["cells"]:
        if not c["present"] or c["kind"] == "money":
            continue
        typed = c["typed"] if c["typed"] not in (None, "") else L("blank")
        value = c["value"]
        if c["kind"] == "flag":
            value = L("yes") if value is True else (L("no") if value is False else L("unrecognised"))
            if c["typed"] == "":
                value = L("read_as_no")
        elif value is None:
            value = "—"
        out.append(f"  {c['cell']:>6}  {c['header']}: {typed}  →  {value}")
        for a in c.get("also", ()):  # read together with the cell above: 是 in either is 是
            also = a["typed"] if a["typed"] not in (None, "") else L("blank")
            out.append(f"  {a['cell']:>6}  {a['header']}: {also}  {L('read_together')}")
    out.append("")
    if any(c.get("in_wan") for c in trace["cells"]):
        out.append(L("wan_note"))
    for key in ("income", "expenses"):
        s = trace[key]
        out.append(f"{L(key)}:")
        for c in s["components"]:
            if c["present"]:
                out.append(_money_line(c, L))
        if s["components_sum"] is not None:
            out.append(f"          {L('components_sum')}: {s['components_sum']}")
        if s["total_given"]:
            total = s["total_given"]
            if total["typed"] in (None, "") and s["from"] == "components":  # blank: the sum, not a 0 read
                total = {**total, "value": L("total_blank_summed")}
            out.append(_money_line(total, L, L("total_given") + " "))
        how = {"components": L("from_components"), "total": L("from_total"), None: L("not_computable")}[s["from"]]
        out.append(f"          {L('used')}: {s['used'] if s['used'] is not None else '—'} ({how})")
    n = trace["net_income"]
    out.append(f"{L('net_income')}: {n['yuan'] if n['yuan'] is not None else L('not_computable')}")
    if trace.get("residents_from_members"):
        out.append(label("explain_residents_from_members", lang, residents=trace["residents"]))
        listed = trace.get("resident_members") or []
        if listed:
            first = listed[0]
            where = label("explain_members_at_sheet" if first["sheet"] else "explain_members_at_file", lang,
                          file=first["source_file"], sheet=first["sheet"])
            out.append("  " + label("explain_resident_members", lang, where=where,
                                    rows=label("list_sep", lang).join(
                                        label("explain_member_row", lang, row=m["row"], name=m["name"]) for m in listed)))
    p = trace["per_capita"]
    if p["yuan"] is not None:
        out.append(f"{L('per_capita')}: {n['yuan']} ÷ {trace['residents']} = {p['exact']} "
                   f"({L('exact')}); {L('to_the_fen_inside' if p['kept_inside'] else 'to_the_fen')} {p['yuan']}")
    else:
        out.append(f"{L('per_capita')}: {L('not_computable')}")
    out.append("")
    out.append(L("rules") + ":")
    for i, s in enumerate(trace["rules_applied"], start=1):
        if not s["reached"]:
            verdict = L("not_reached")
        elif not s["enabled"] and s["status"].startswith("excluded"):
            verdict = L("off")
        else:
            verdict = L("holds") if s["holds"] else L("fails")
        line = f"  {i}. {s['label']}: {s['test']}"
        if s["status"] == "invalid" and s["input"]:
            line += f" [{label('list_sep', lang).join(_code_title(c, lang) for c in s['input'])}]"
        if s["status"].startswith("excluded") and s["enabled"] and s["reached"]:
            line += f" [{L('yes') if s['input'] else L('no')}]"
            if s.get("rosters"):
                line += " " + label("explain_roster_excludes", lang, rosters=label("list_sep", lang).join(
                    label(f"roster_name_{k}", lang) for k in s["rosters"]))
        out.append(f"{line} → {verdict}" + (f"  {L('decides')}" if s["decides"] else ""))
        param = s.get("parameter")
        if param and "effective" in param and s["reached"]:
            since = label("explain_since", lang, date=param["effective"])
            out.append("       " + label("explain_param_bound", lang, name=L(param["key"]), value=param["value"],
                                         key=param["key"], since=since, source=param["source"]))
        elif param and s["reached"]:
            setting = label("rules_excluded" if param["value"] else "rules_not_excluded", lang)
            out.append("       " + label("explain_param_exclude", lang, setting=setting, key=param["key"]))
    if "rosters" in trace:
        out.append("")
        found = trace["rosters"]
        out.append(L("rosters") + ":" + ("" if found["matches"] or found["leads"] or found.get("unmatched")
                                         or found.get("pending") else f" {L('no_roster_match')}"))
        for m in found["matches"]:
            who = f"{m['member']['relation']} {m['member']['name']} {m['member']['id']}".strip()
            out.append("  " + label("explain_roster_match", lang, roster=m["roster"]["name"], file=m["roster"]["file"],
                                    row=m["row"], who=who, effect=m["effect_label"]))
            rule = m["rule"]
            out.append("       " + label("explain_roster_rule" if rule["given"] else "explain_roster_default", lang,
                                         key=rule["key"], value=rule["value"], rules=rule["rules"])
                       + (f"; {label('explain_roster_date', lang, date=m['date'])}" if m.get("date") else ""))
        for m in found["leads"]:
            who = f"{m['member']['relation']} {m['member']['name']}".strip()
            key = "explain_roster_lead" if m["roster"]["kind"] == "cadre_relative" else \
                "explain_roster_lead_id_differs" if m.get("why") == "id_differs" else \
                "explain_roster_lead_id_excel_number" if m.get("why") == "id_excel_number" else "explain_roster_lead_bad_id"
            out.append("  " + label(key, lang, roster=m["roster"]["name"], file=m["roster"]["file"], row=m["row"],
                                    who=who))
        for m in found.get("unmatched", []):
            who = f"{m['member']['relation']} {m['member']['name']}".strip()
            same = label("roster_unmatched_same_name", lang, rosters=label("list_sep", lang).join(
                label(f"roster_short_{k}", lang) for k in m["same_name"])) if m["same_name"] else ""
            out.append("  " + label("explain_roster_unmatched", lang, who=who,
                                    what=label("roster_member_unmatched", lang) + same))
        if found.get("unlisted"):
            out.append("  " + label("roster_members_unlisted", lang, count=found["unlisted"]))
        for m in found.get("pending", []):
            who = f"{m['member']['relation']} {m['member']['name']}".strip()
            out.append("  " + label("explain_roster_pending", lang, who=who, roster=m["roster"]["name"]))
    out.append("")
    out.append(L("issues") + ":" + ("" if trace["issues"] else f" {L('no_issues')}"))
    for issue in trace["issues"]:
        out.append(f"  {issue['cell'] or '—':>6}  [{label(issue['severity'], lang)}] "
                   f"{_code_title(issue['code'], lang)}: {issue['message']}")
    out.append("")
    reasons = label("list_sep", lang).join(_code_title(r, lang, "explain_unrecognised") for r in trace["reasons"])
    out.append(f"{L('status')}: {trace['status_label']}" + (f"  ({L('reasons')}: {reasons})" if reasons else ""))
    return "\n".join(out)


def explain(
    inputs: list[str | Path],
    *,
    head_id: str | None = None,
    row: str | None = None,
    name: str | None = None,
    rules="changchun-2019",
    year: int | None = None,
    as_of=None,
    lang: Lang = "zh",
    rosters=(),
) -> list[dict]:
    """Screen the inputs and return the trace of the household asked for: by `head_id` (every
    household with it, if the ID is duplicated), by the masked ID of a village list or by the
    head's `name` (several households answering: ExplainError listing where each is), or at `row`
    ('FILE:SHEET:ROW')."""
    # An empty --id '' or --name '' names nobody: said before the inputs are read, not 'no household
    # whose head is named 「」' after (an outside try of explain).
    given = [x for x in (head_id, row, name) if x is not None]
    if len(given) != 1 or not given[0].strip():
        raise ExplainError("explain_name_one")
    result = screen(inputs, rules, year=year, as_of=as_of, rosters=rosters)
    explainer = Explainer(result, lang)
    if row is not None:
        hits = explainer.find_by_row(row)
    elif name is not None:
        hits = explainer.find_by_name(name)
        if len(hits) > 1:
            raise explainer.several(hits, Phrase("explain_asked_name", name=name))
    else:
        hits = explainer.find_by_id(head_id)
        if len(hits) > 1 and "*" in typed_id(head_id):  # masked: the clerk picks one, not all
            raise explainer.several(hits, Phrase("explain_asked_id", id=head_id))
    return [explainer.trace(hh) for hh in hits]


def to_json(traces: list[dict], ascii_only: bool = False) -> str:
    """One household's trace as a JSON object; several (a duplicated ID) as a list. `ascii_only`:
    every non-ASCII character escaped (\\uXXXX), for an output that cannot encode them all."""
    return json.dumps(traces if len(traces) != 1 else traces[0], ensure_ascii=ascii_only, indent=2)


__all__ = ["Explainer", "ExplainError", "explain", "render_text", "parse_row_spec", "to_json"]
