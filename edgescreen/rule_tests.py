"""Rule tests as data, as in OpenFisca: a TOML file of named cases, each one household's cells as a
clerk would type them and the status and per-capita income the rule set must give.

Each case is screened through the real pipeline (written to a one-row CSV, read, parsed, checked,
classified), so a case tests exactly what `edgescreen screen` would decide. The library behind
`edgescreen rules test`."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, Optional, Union

import pandas as pd
from pydantic import Field, ValidationError, field_validator, model_validator

from .catalogue import (
    STATUSES,
    Lang,
    Phrase,
    StrictModel,
    alias_index,
    fields,
    header_keys,
    label,
    messages,
    status_codes,
)
from .checks import id_check_characters
from .errors import EdgescreenError, RulesError, UsageError
from .money import grouped_fen_text
from .pipeline import screen
from .rule_files import looks_like_cases
from .rules import (
    DEFAULT_RULES,
    Bounds,
    Date,
    LoadedRules,
    describe_errors,
    line_of,
    load_rules,
    problem,
    read_toml,
    shipped_rule_sets,
)


class CaseError(EdgescreenError):
    """A rule-test file that cannot be read or does not validate."""


CellValue = Union[bool, int, float, str]
# The statuses' names are written with ASCII brackets and comma; a clerk types the full-width ones.
_HALF_WIDTH = str.maketrans("（），", "(),")


class Expect(StrictModel):
    status: Literal[tuple(STATUSES)]  # type: ignore[valid-type]
    per_capita: Optional[str] = None  # yuan with two decimals as in the ledger; "" for not computable
    net_income: Optional[str] = None
    reasons: tuple[str, ...] = ()  # codes that must all be among the ledger's reasons

    @field_validator("status", mode="before")
    @classmethod
    def _status_by_name(cls, value):
        """A status as the outputs name it (贫困边缘户候选) is its code (candidate); typed with the
        Chinese input method's brackets or comma (低保户（暂不列入）), the same; so is a part of one
        name that no other status's name has (低于贫困标准). Any other word is refused with the status
        nearest to it; the seven are listed once for the file (load_cases), not under every case."""
        if isinstance(value, str) and value not in STATUSES:
            return status_of_word(value)
        return value

    @field_validator("per_capita", "net_income", mode="before")
    @classmethod
    def _money_text(cls, value):
        if isinstance(value, float):
            raise problem("case_money_float")
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value}.00"
        if isinstance(value, str) and value and not re.fullmatch(r"-?\d+\.\d{2}", value):
            raise problem("case_money_decimals", value=repr(value))
        return value


# Where a status's name breaks into parts a clerk may write alone (低于贫困标准 | 转贫困户识别).
_NAME_BREAKS = re.compile(r"\s*[,:;()、]\s*")


def status_of_word(typed: str) -> str:
    """The status a case's `expect.status` names: its code, its name in either language, or the start
    or end of one part of a name (低于贫困标准, 候选, 建档立卡) that names no other status. A piece
    from the middle (贫困户 of 转贫困户识别) is not taken: a clerk writing it may mean another status.
    Else a problem naming the statuses the part fits, or the one nearest to what was typed."""
    word = typed.strip().translate(_HALF_WIDTH)
    named = {w: code for lang in ("zh", "en") for w, code in status_codes(lang, [word]).items()}
    if word in named:
        return named[word]
    # An English part is whole words (limit, not it); a Chinese one any characters.
    part = re.escape(word.casefold())
    start, end = re.compile(part + r"(?![a-z0-9])"), re.compile(r"(?<![a-z0-9])" + part + "$")
    fits = sorted({code for name, code in named.items() if len(word) >= 2 and any(
        start.match(piece) or end.search(piece) for piece in _NAME_BREAKS.split(name.casefold()))},
        key=STATUSES.index)
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise problem("case_status_ambiguous", fits=Phrase("case_status_list", statuses=[_status_said(c) for c in fits]))
    by_word = {**{c: c for c in STATUSES}, **named}
    near = difflib.get_close_matches(word, list(by_word), n=1, cutoff=0.5)
    raise problem("case_status_unknown",
                  near=Phrase("case_status_near", code=by_word[near[0]], name=Phrase(by_word[near[0]])) if near else "")


def _status_said(code: str) -> Phrase:
    return Phrase("literal_status", code=code, name=Phrase(code))


class Case(StrictModel):
    name: str = Field(min_length=1)
    note: str = ""
    year: Optional[int] = None
    inputs: dict[str, CellValue]
    expect: Expect


class CaseFile(StrictModel):
    description: str = ""
    rules: str = DEFAULT_RULES
    year: Optional[int] = None
    as_of: Optional[Date] = None
    defaults: dict[str, CellValue] = {}
    case: tuple[Case, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> CaseFile:
        names = [c.name for c in self.case]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise problem("case_names_twice", names=", ".join(dup))
        return self


@dataclass
class LoadedCases:
    path: Path
    cases: CaseFile
    rules: LoadedRules
    # False: the file has no `rules =` line and nothing else named a rule set, so its cases ran against
    # the default one (rules test says so: a county's cases silently tested the city's figures).
    rules_named: bool = True


@dataclass
class CaseResult:
    name: str
    passed: bool
    expected: dict
    got: dict
    problems: list[Phrase] = field(default_factory=list)
    year: int | None = None
    bounds: Bounds | None = None  # the figures the case was screened against

    def explain(self, lang: Lang = "zh") -> str:
        lines = [label("case_failed", lang, name=self.name, year=self.year)]
        against = self.figure_against()
        lines += ["  " + p.render(lang) for p in ([against] if against is not None else []) + self.problems]
        return "\n".join(lines)

    def figure_against(self) -> Phrase | None:
        """The per-capita the case got beside the bounds it was screened against (人均纯收入 3,750.00 元:
        高于下限 3,218.00 元、低于上限 4,000.00 元): a failure explained by a figure, not left to guess.
        The printed figure compares as the exact one does: a household inside the band is never
        printed on a bound (README, What it decides)."""
        got = self.got.get("per_capita") if self.got else None
        if self.bounds is None or not got:
            return None
        fen = int(Decimal(got) * 100)  # the ledger's two decimals, exactly
        b = self.bounds
        said = [] if b.lower_fen is None else [Phrase("case_above_lower" if fen > b.lower_fen else "case_not_above_lower",
                                                     lower=grouped_fen_text(b.lower_fen))]
        said.append(Phrase("case_below_upper" if fen < b.upper_fen else "case_not_below_upper",
                           upper=grouped_fen_text(b.upper_fen)))
        return Phrase("case_figure_against", per_capita=grouped_fen_text(fen), against=said)


def figures_used(results: list[CaseResult]) -> list[dict]:
    """The figures in force for each income year a file's cases were screened in, the year order:
    year, lower and upper (yuan text, lower None where the rule set has none), and `since`, the date
    the latest of them took effect where that is in an earlier year (the year has none of its own:
    changchun-2019's 2020 carries on 2019's 3218), else None."""
    by_year = {r.year: r.bounds for r in results if r.bounds is not None}
    rows = []
    for year in sorted(by_year):
        b = by_year[year]
        since = max(v.effective for v in (b.lower, b.upper) if v is not None)
        rows.append({"year": year, "lower": None if b.lower_fen is None else grouped_fen_text(b.lower_fen),
                     "upper": grouped_fen_text(b.upper_fen), "since": since.isoformat() if year > since.year else None})
    return rows


def _reasons_said(codes: list[str]) -> list:
    """Reason codes as the ledger words them: a status's own reason, or a check's title (a code the
    catalogue does not know, as written)."""
    labels = messages().labels
    return [Phrase(f"reason_{c}") if f"reason_{c}" in labels else Phrase(f"check_{c}") if f"check_{c}" in labels
            else c for c in codes] or ["—"]


def _field_for(key: str) -> str | None:
    if key in fields().by_name:
        return key
    index = alias_index()
    return next((index[k] for k in header_keys(key) if k in index), None)


def load_cases(path: str | Path, rules: str | Path | LoadedRules | None = None) -> LoadedCases:
    """Read and validate a rule-test file. Its `rules` (a shipped id, or a path relative to the file)
    is loaded unless `rules` is given."""
    path = Path(path)
    if not path.is_file():
        raise CaseError("cases_not_found", path=str(path))
    try:
        raw, data = read_toml(path, cases=True)
    except RulesError as exc:
        raise CaseError(exc.key, **exc.params) from None
    if "case" not in data and "upper_bound" in data:
        raise CaseError("cases_is_rules_file", path=str(path))
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        problems = describe_errors(exc, CaseFile, text=raw.decode("utf-8-sig"))
        if any(e["type"] in ("case_status_unknown", "case_status_ambiguous") for e in exc.errors()):
            # The statuses a case may name, once for the file: under each of four cases they hid the cases.
            problems.append(Phrase("case_status_choices", choices=[_status_said(c) for c in STATUSES]))
        raise CaseError("rules_invalid", kind=Phrase("file_rule_tests"), path=str(path),
                        problems=problems) from None
    for c in cases.case:
        for key in (*cases.defaults, *c.inputs):
            if _field_for(key) is None:
                where = Phrase("case_defaults") if key in cases.defaults and key not in c.inputs \
                    else Phrase("case_named", name=repr(c.name))
                raise CaseError("cases_unknown_field", path=str(path), where=where, key=repr(key))
    if isinstance(rules, LoadedRules):
        loaded = rules
    elif rules is not None:
        loaded = load_rules(rules)
    else:
        loaded = _rules_of_file(path, raw.decode("utf-8-sig"), cases.rules)
    _check_years(path, raw.decode("utf-8-sig"), cases, loaded)
    return LoadedCases(path=path, cases=cases, rules=loaded, rules_named=rules is not None or "rules" in data)


def _rules_of_file(path: Path, text: str, spec: str) -> LoadedRules:
    """The rule set a case file's `rules =` names (a shipped id, or a path from the file's folder). One
    that does not load is said as this file's, on its `rules =` line: of a folder of case files, the
    one that asked for it (rules_missing.toml) and not the rules file alone."""
    try:
        return load_rules(spec if spec in shipped_rule_sets() else path.parent / spec)
    except RulesError as exc:
        line = line_of(text, ("rules",))
        where = Phrase("cases_year_line", path=str(path), line=line) if line else str(path)
        if exc.key == "rules_not_found":
            raise CaseError("cases_rules_not_found", where=where, spec=spec, folder=exc.params["folder"],
                            shipped=exc.params["shipped"]) from None
        raise CaseError("cases_rules_not_loaded", where=where, spec=spec, error=exc) from None


def _check_years(path: Path, text: str, cases: CaseFile, loaded: LoadedRules) -> None:
    """Each year the file (or a case) gives is one its rule set can screen; else an error pointing at
    that `year =` line (the library's own words advise --year, which `rules test` has not)."""
    given = [(None, cases.year)] + [(i, c.year) for i, c in enumerate(cases.case)]
    for index, year in given:
        if year is None:
            continue
        try:
            loaded.bounds(year)
        except (RulesError, UsageError) as exc:
            line = _year_line(text, index)
            where = Phrase("cases_year_line", path=str(path), line=line) if line else str(path)
            if exc.key == "year_out_of_range":
                raise CaseError("cases_year_out_of_range", where=where, **exc.params) from None
            if "first" in exc.params:
                raise CaseError("cases_year_not_in_force", where=where, id=exc.params["id"], year=year,
                                first=exc.params["first"]) from None
            raise


def _year_line(text: str, index: int | None) -> int | None:
    """The 1-based line of the file's own `year =` (index None) or of the index-th case's."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[\s*case\s*\]\]", line)]
    if index is None:
        first, last = 0, starts[0] if starts else len(lines)
    elif index < len(starts):
        first, last = starts[index] + 1, starts[index + 1] if index + 1 < len(starts) else len(lines)
    else:
        return None
    return next((i + 1 for i in range(first, last) if re.match(r"\s*year\s*=", lines[i])), None)


def _cell_text(value: CellValue) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _test_id(serial: int) -> str:
    prefix = f"22012219700101{serial % 1000:03d}"
    return prefix + id_check_characters(pd.Series([prefix])).iloc[0]


def case_row(loaded: LoadedCases, case: Case, serial: int = 1) -> dict[str, str]:
    """The household a case describes, as cell text by field: built-in defaults (a test township and
    village, a valid ID, 否 for each yes/no field), then the file's defaults, then the case's inputs.
    A side of the income definition the case does not mention at all is given as a total of 0; a
    component it leaves out beside others it names, as 0 (a survey must have them all, or the total)."""
    row = {"township": "测试乡", "village": "测试村", "head_name": "测试户", "head_id": _test_id(serial),
           "is_dibao": "否", "is_tekun": "否", "is_registered_poor": "否"}
    for source in (loaded.cases.defaults, case.inputs):
        for key, value in source.items():
            row[_field_for(key)] = _cell_text(value)
    r = loaded.rules.rules
    for definition in (r.income, r.expenses):
        if not any(f in row for f in (*definition.components, definition.total)):
            row[definition.total] = "0"
        elif definition.total not in row:
            row.update({f: "0" for f in definition.components if f not in row})
    return row


def run_case(loaded: LoadedCases, case: Case, serial: int = 1) -> CaseResult:
    """Screen the case's household through the real pipeline and compare with what it expects."""
    year = case.year or loaded.cases.year
    row = case_row(loaded, case, serial)
    by_name = fields().by_name
    order = [f.name for f in fields().field if f.name in row]
    with tempfile.TemporaryDirectory(prefix="edgescreen-case-") as tmp:
        csv_path = Path(tmp) / "case.csv"
        with csv_path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([by_name[f].header for f in order])
            writer.writerow([row[f] for f in order])
        bounds = loaded.rules.bounds(year)
        as_of = loaded.cases.as_of or dt.date(bounds.year + 1, 6, 30)
        try:
            result = screen([csv_path], loaded.rules, year=year, as_of=as_of)
        except EdgescreenError as exc:
            return CaseResult(case.name, False, case.expect.model_dump(), {},
                              [Phrase("case_cannot_screen", error=exc)], bounds.year, bounds)
    ledger = result.ledger.iloc[0]
    got = {"status": ledger["status"], "per_capita": ledger["per_capita_income"],
           "net_income": ledger["net_income"], "reasons": [r for r in ledger["reasons"].split(";") if r]}
    expect = case.expect
    problems = []
    # Said in the words the ledger uses (贫困边缘户候选, 低于贫困标准), never the codes a case is written in.
    if got["status"] != expect.status:
        problems.append(Phrase("case_wrong_status", expected=Phrase(expect.status), got=Phrase(got["status"]),
                               reasons=_reasons_said(got["reasons"])))
    for key in ("per_capita", "net_income"):
        want = getattr(expect, key)
        if want is not None and got[key] != want:
            problems.append(Phrase("case_wrong_value", key=Phrase(f"csv_{key}_income" if key == "per_capita"
                                                                   else f"csv_{key}"),
                                   expected=str(want), got=str(got[key])))
    missing = [r for r in expect.reasons if r not in got["reasons"]]
    if missing:
        problems.append(Phrase("case_missing_reasons", expected=_reasons_said(missing),
                               reasons=_reasons_said(got["reasons"])))
    return CaseResult(case.name, not problems, expect.model_dump(), got, problems, result.bounds.year, result.bounds)


def run_cases(path: str | Path, rules: str | Path | LoadedRules | None = None) -> tuple[LoadedCases, list[CaseResult]]:
    loaded = load_cases(path, rules)
    return loaded, [run_case(loaded, c, i) for i, c in enumerate(loaded.cases.case, start=1)]


def run_case_files(paths: list[Path], rules: str | Path | None = None
                   ) -> tuple[list[tuple[LoadedCases, list[CaseResult]]], list[EdgescreenError]]:
    """`rules test`: the cases of every file (case_files), each file's results, and the files whose
    cases did not run, each as the error that says why. One file's mistake (a status misspelt, a year
    its rule set cannot screen) leaves the others to run; a `rules` that does not load stops all."""
    found, unreadable = case_files(paths)
    given = load_rules(rules) if rules else None
    runs: list[tuple[LoadedCases, list[CaseResult]]] = []
    not_run: list[EdgescreenError] = list(unreadable)
    for path in found:
        try:
            runs.append(run_cases(path, given))
        except (CaseError, RulesError) as exc:
            if len(found) == 1:
                raise
            not_run.append(exc)
    return runs, not_run


def case_files(paths: list[Path]) -> tuple[list[Path], list[CaseError]]:
    """Files as given; folders expanded to the rule-test files (.toml with [[case]]) inside them.
    Also a folder's .toml files that cannot be read as TOML (saved as GBK, a bracket missing), each
    as the error that says why: they may be rule-test files, so they are named as not run rather
    than passed over (a rule set beside the cases reads, and is passed over)."""
    found: list[Path] = []
    unreadable: list[CaseError] = []
    for p in paths:
        if p.is_dir():
            inside = []
            for f in sorted(p.glob("*.toml")):
                if looks_like_cases(f):
                    inside.append(f)
                    continue
                try:
                    read_toml(f, cases=True)
                except RulesError as exc:
                    unreadable.append(CaseError(exc.key, **exc.params))
            if not inside and not unreadable:
                raise CaseError("cases_folder_empty", path=str(p))
            found.extend(inside)
        else:
            found.append(p)
    return found, unreadable
