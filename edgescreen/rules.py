"""Rule sets: the bounds, exclusions, income definition and check thresholds, as data.

A rule set is a TOML file validated strictly at load time: unknown keys, duplicate keys, bad dates,
floats for money and a lower bound not below the upper all fail with the file's path and the key.
Each bound is a list of dated values with their sources; the survey's income year picks the one in
force (the latest value whose effective date falls on or before 31 December of that year).
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import tomllib
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from .catalogue import StrictModel, fields
from .errors import RulesError

DEFAULT_RULES = "changchun-2019"


def _no_float(value: object) -> object:
    # Money in TOML floats is already rounded by the parser; insist on integers or quoted decimals.
    if isinstance(value, float):
        raise ValueError("write amounts as whole numbers or quoted decimals, e.g. 3218 or \"3218.50\"")
    return value


def _plain_date(value: object) -> object:
    # TOML gives a date for 2019-01-01; a quoted "2019-01-01" is accepted too. A time of day, a bare
    # year or a number would otherwise be coerced by pydantic in surprising ways: refuse them.
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time of day is expected, e.g. 2019-01-01")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date: write it as YYYY-MM-DD, e.g. 2019-01-01")


Yuan = Annotated[Decimal, BeforeValidator(_no_float), Field(ge=0, decimal_places=2)]
Date = Annotated[dt.date, BeforeValidator(_plain_date)]


class DatedValue(StrictModel):
    """One value of a parameter: the date it takes effect, the amount, and where the figure comes from."""

    effective: Date
    value: Yuan
    source: str = Field(min_length=1)


class ReferenceFigure(StrictModel):
    """A figure found elsewhere (another province's threshold), carried for comparison, never applied."""

    region: str = Field(min_length=1)
    effective: Date
    value: Yuan
    source: str = Field(min_length=1)


class Parameter(StrictModel):
    description: str = ""
    unit: str = "元/人·年"
    values: tuple[DatedValue, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Parameter:
        dates = [v.effective for v in self.values]
        if len(set(dates)) != len(dates):
            raise ValueError("two values take effect on the same date")
        if dates != sorted(dates):
            raise ValueError("values must be listed in order of their effective dates")
        return self

    def in_force(self, year: int) -> DatedValue | None:
        """The value in force for income year `year`, or None if every value is dated later."""
        cutoff = dt.date(year, 12, 31)
        current = [v for v in self.values if v.effective <= cutoff]
        return current[-1] if current else None


class Exclusions(StrictModel):
    dibao: bool = True
    tekun: bool = True
    registered_poor: bool = True


class Sum(StrictModel):
    components: tuple[str, ...] = Field(min_length=1)
    total: str

    @model_validator(mode="after")
    def _known_money_fields(self) -> Sum:
        money = set(fields().fields_of_kind("money"))
        for name in (*self.components, self.total):
            if name not in money:
                raise ValueError(f"{name!r} is not a money field; known: {', '.join(sorted(money))}")
        if len(set(self.components)) != len(self.components):
            raise ValueError("a component is listed twice")
        if self.total in self.components:
            raise ValueError(f"{self.total!r} is the total; it cannot also be one of its components")
        return self


class CheckThresholds(StrictModel):
    amount_tolerance: Yuan = Decimal(1)
    unit_suspect_below: Yuan = Decimal(100)
    per_capita_ceiling: Yuan = Decimal(100000)
    head_age_min: int = Field(16, ge=0, le=150)
    head_age_max: int = Field(110, ge=0, le=150)


class RuleSet(StrictModel):
    id: str = Field(min_length=1, pattern=r"^[\w.\-]+$")
    title: str
    description: str = ""
    reference: str = ""
    lower_bound: Parameter | None = None
    upper_bound: Parameter
    exclude: Exclusions = Exclusions()
    income: Sum
    expenses: Sum
    checks: CheckThresholds = CheckThresholds()
    reference_figures: tuple[ReferenceFigure, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> RuleSet:
        shared = set(self.income.components + (self.income.total,)) & set(
            self.expenses.components + (self.expenses.total,))
        if shared:
            raise ValueError(f"income and expenses both list {', '.join(sorted(shared))}: a field counts "
                             "on one side only")
        for v in self.upper_bound.values:
            if v.value <= 0:
                raise ValueError(f"upper_bound: the value in force from {v.effective} is {v.value}; "
                                 "an upper bound must be above 0")
        if self.lower_bound is None:
            return self
        for year in self.years:
            lower, upper = self.lower_bound.in_force(year), self.upper_bound.in_force(year)
            if lower and upper and lower.value >= upper.value:
                raise ValueError(
                    f"lower_bound ({lower.value}) is not below upper_bound ({upper.value}) in income year "
                    f"{year} (values in force from {lower.effective} and {upper.effective}). Both bounds are "
                    "exclusive, so no household could fall between them"
                )
        return self

    def parameters(self) -> dict[str, Parameter]:
        """The dated parameters by key, in precedence order (the lower bound is tried first)."""
        return {k: p for k, p in (("lower_bound", self.lower_bound), ("upper_bound", self.upper_bound))
                if p is not None}

    @property
    def years(self) -> list[int]:
        params = [p for p in (self.lower_bound, self.upper_bound) if p is not None]
        return sorted({v.effective.year for p in params for v in p.values})

    @property
    def latest_year(self) -> int:
        return self.upper_bound.values[-1].effective.year if not self.lower_bound else max(self.years)


class LoadedRules(BaseModel):
    """A rule set as loaded: the model, where it came from, and the file's SHA-256."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    rules: RuleSet
    path: Path
    sha256: str

    def bounds(self, year: int | None = None) -> Bounds:
        return Bounds.for_year(self.rules, year)


class Bounds(BaseModel):
    """The figures in force for one income year, in yuan and in integer fen."""

    model_config = ConfigDict(frozen=True)
    year: int
    lower: DatedValue | None
    upper: DatedValue

    @classmethod
    def for_year(cls, rules: RuleSet, year: int | None) -> Bounds:
        year = rules.latest_year if year is None else year
        upper = rules.upper_bound.in_force(year)
        lower = rules.lower_bound.in_force(year) if rules.lower_bound else None
        if upper is None or (rules.lower_bound is not None and lower is None):
            params = [p for p in (rules.lower_bound, rules.upper_bound) if p is not None]
            first = max(p.values[0].effective.year for p in params)
            raise RulesError(
                f"rule set {rules.id!r} has no bounds in force for income year {year}: "
                f"both are in force from {first} on. Choose --year {first} or later."
            )
        return cls(year=year, lower=lower, upper=upper)

    @cached_property
    def lower_fen(self) -> int | None:
        return None if self.lower is None else int(self.lower.value * 100)

    @cached_property
    def upper_fen(self) -> int:
        return int(self.upper.value * 100)


def rules_dir() -> Path:
    """The shipped rule sets: inside the installed package, or `rules/` beside it in a checkout."""
    packaged = Path(str(resources.files("edgescreen"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def shipped_rule_sets() -> dict[str, Path]:
    return {p.stem: p for p in sorted(rules_dir().glob("*.toml"))}


def resolve_rules_path(spec: str | Path) -> Path:
    shipped = shipped_rule_sets()
    if isinstance(spec, str) and spec in shipped:
        return shipped[spec]
    path = Path(spec)
    if path.is_file():
        return path
    raise RulesError(
        f"no rule set {str(spec)!r}: not a file, and not one of the shipped rule sets "
        f"({', '.join(shipped) or 'none found'})."
    )


def _key_path(loc: tuple) -> str:
    """('lower_bound', 'values', 0, 'effective') → 'lower_bound.values[0].effective'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _known_keys(model: type[BaseModel] | None = None) -> set[str]:
    """Every key a rules file may use, at any depth (for 'did you mean' on unknown keys)."""
    keys: set[str] = set()
    todo: list[type[BaseModel]] = [model or RuleSet]
    while todo:
        m = todo.pop()
        for name, info in m.model_fields.items():
            keys.add(name)
            for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
                inner = getattr(arg, "__args__", (arg,))
                for t in (arg, *inner):
                    if isinstance(t, type) and issubclass(t, BaseModel) and t is not m:
                        todo.append(t)
    return keys


def describe_errors(error: ValidationError, model: type[BaseModel] | None = None) -> str:
    """A validation error as one line per problem: the key's path, what is wrong, what was given.
    Unknown keys get the nearest key `model` (default: RuleSet) knows, if one is close."""
    lines = []
    items = error.errors()
    for item in items:
        loc = item["loc"]
        if item["type"] == "too_short" and any(o["loc"][:len(loc)] == loc and o["loc"] != loc for o in items):
            continue  # a list emptied by its own invalid entries: those entries are the message
        where = _key_path(loc)
        msg = item["msg"].removeprefix("Value error, ")
        value = item.get("input")
        if item["type"] == "extra_forbidden":
            near = difflib.get_close_matches(str(item["loc"][-1]), sorted(_known_keys(model)), n=1, cutoff=0.6)
            msg = "unknown key" + (f" (did you mean {near[0]!r}?)" if near else "")
        elif item["type"] == "missing":
            msg = "missing: this key is required"
        elif isinstance(value, (str, int, float, Decimal, dt.date)) and not isinstance(value, bool) \
                and not re.search(rf"(?<![\w.]){re.escape(repr(value))}(?![\w.])", msg):
            msg = f"{msg} (given: {value if isinstance(value, dt.date) else repr(value)})"
        lines.append(f"  {where}: {msg}" if where else f"  {msg}")
    return "\n".join(lines)


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
_DATE_LIKE = re.compile(r"([A-Za-z0-9_]+)\s*=\s*(\d{4}-\d{1,2}-\d{1,2}[^\s,}\]]*)")


def toml_error_message(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> str:
    """A TOML syntax error as a person can act on it: the line, the table and key, and what to write."""
    raw = str(exc)
    match = _TOML_AT.search(raw)
    reason = _TOML_AT.sub("", raw)
    if not match:
        return f"rules file {path}: not valid TOML: {raw}"
    lineno = int(match.group(1))
    lines = text.splitlines()
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    table_line = next((i for i in range(lineno - 2, -1, -1) if _TOML_TABLE.match(lines[i])), -1)
    table = _TOML_TABLE.match(lines[table_line]).group(1) if table_line >= 0 else ""
    key = _TOML_KEY.match(line)
    key_name = key.group(1).strip('"') if key else ""
    if line.lstrip().startswith("{"):
        # An entry of a list written one inline table per line: name it by its position.
        entries = 0
        for earlier in reversed(lines[:lineno - 1]):
            if earlier.lstrip().startswith("{"):
                entries += 1
            elif (m := _TOML_KEY.match(earlier)) and "[" in earlier.split("=", 1)[1]:
                key_name = f"{m.group(1).strip(chr(34))}[{entries}]"
                break
            else:
                break
    where = f"rules file {path}, line {lineno}: not valid TOML"
    dotted = ".".join(p for p in (table, key_name) if p)

    for name, token in _DATE_LIKE.findall(line):
        try:
            dt.date.fromisoformat(token)
        except ValueError:
            path_to = ".".join(p for p in (table, key_name if key_name.endswith("]") else "", name) if p)
            return (f"{where}: {path_to} = {token} is not a valid date. "
                    "Write dates as YYYY-MM-DD, e.g. 2019-01-01.")
    if reason.startswith("Cannot overwrite a value"):
        first = next((i + 1 for i in range(table_line + 1, lineno - 1)
                      if (m := _TOML_KEY.match(lines[i])) and m.group(1).strip('"') == key_name), None)
        also = f" (first given on line {first})" if first else ""
        return f"{where}: duplicate key {dotted or key_name!r}: it is given twice{also}. Keep one."
    if reason.startswith("Cannot declare"):
        name = re.search(r"\((.*)\)", reason)
        table_name = ".".join(re.findall(r"'([^']*)'", name.group(1))) if name else table
        return f"{where}: duplicate table [{table_name}]: it is declared twice. Merge the two into one."
    if reason.startswith("Duplicate inline table key"):
        dup = re.search(r"'([^']*)'", reason)
        return (f"{where}: duplicate key {dup.group(1) if dup else ''!r} inside {{ … }}"
                f"{' in ' + dotted if dotted else ''}: it is given twice. Keep one.")
    return f"{where}: {reason}.\n  {line.strip()}"


def load_rules(spec: str | Path = DEFAULT_RULES) -> LoadedRules:
    """Load and validate a rule set by shipped id or by path."""
    path = resolve_rules_path(spec)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RulesError(f"rules file {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(toml_error_message(path, raw.decode("utf-8-sig"), exc)) from None
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"rules file {path} does not validate:\n{describe_errors(exc)}") from None
    return LoadedRules(rules=rules, path=path, sha256=hashlib.sha256(raw).hexdigest())
