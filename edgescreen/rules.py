"""Rule sets: the bounds, exclusions, income definition and check thresholds, as data.

A rule set is a TOML file validated strictly at load time: unknown keys, duplicate keys, bad dates,
floats for money and a lower bound not below the upper all fail with the file's path and the key.
Each bound is a list of dated values with their sources; the survey's income year picks the one in
force (the latest value whose effective date falls on or before 31 December of that year).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tomllib
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from .catalogue import fields
from .errors import RulesError

DEFAULT_RULES = "changchun-2019"


def _no_float(value: object) -> object:
    # Money in TOML floats is already rounded by the parser; insist on integers or quoted decimals.
    if isinstance(value, float):
        raise ValueError("write amounts as whole numbers or quoted decimals, e.g. 3218 or \"3218.50\"")
    return value


Yuan = Annotated[Decimal, BeforeValidator(_no_float), Field(ge=0, decimal_places=2)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DatedValue(_Strict):
    effective: dt.date
    value: Yuan
    source: str = Field(min_length=1)


class Parameter(_Strict):
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


class Exclusions(_Strict):
    dibao: bool = True
    tekun: bool = True
    registered_poor: bool = True


class Sum(_Strict):
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
        return self


class CheckThresholds(_Strict):
    amount_tolerance: Yuan = Decimal(1)
    unit_suspect_below: Yuan = Decimal(100)
    per_capita_ceiling: Yuan = Decimal(100000)
    head_age_min: int = Field(16, ge=0, le=150)
    head_age_max: int = Field(110, ge=0, le=150)


class RuleSet(_Strict):
    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str
    description: str = ""
    reference: str = ""
    lower_bound: Parameter | None = None
    upper_bound: Parameter
    exclude: Exclusions = Exclusions()
    income: Sum
    expenses: Sum
    checks: CheckThresholds = CheckThresholds()

    @model_validator(mode="after")
    def _lower_below_upper(self) -> RuleSet:
        if self.lower_bound is None:
            return self
        for year in self.years:
            lower, upper = self.lower_bound.in_force(year), self.upper_bound.in_force(year)
            if lower and upper and lower.value >= upper.value:
                raise ValueError(
                    f"lower_bound ({lower.value}) is not below upper_bound ({upper.value}) in {year}"
                )
        return self

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


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "(top level)"
        msg = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            msg = "unknown key"
        lines.append(f"  {where}: {msg}")
    return "\n".join(lines)


def load_rules(spec: str | Path = DEFAULT_RULES) -> LoadedRules:
    """Load and validate a rule set by shipped id or by path."""
    path = resolve_rules_path(spec)
    raw = path.read_bytes()
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise RulesError(f"rules file {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"rules file {path}: not valid TOML: {exc}") from None
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"rules file {path} does not validate:\n{_describe(exc)}") from None
    return LoadedRules(rules=rules, path=path, sha256=hashlib.sha256(raw).hexdigest())
