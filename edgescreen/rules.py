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
import unicodedata
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .catalogue import STATUSES, Lang, Lines, Phrase, StrictModel, fields, label, messages, rosters_catalogue
from .errors import RulesError, UsageError, os_reason
from .money import yuan_words

DEFAULT_RULES = "changchun-2019"
# No amount a rule can mean reaches 10 million yuan per person. Below it, bound × residents in fen
# stays far inside int64 for any count of residents the reader accepts (at most 9 digits).
MAX_YUAN = Decimal(10_000_000)
# Income years a rule can speak of.
FIRST_YEAR, LAST_YEAR = 1978, 2100
# A rules file is a few kilobytes; one far larger is not a rules file.
MAX_RULES_BYTES = 1024 * 1024
# An edge band runs from the poverty line to a limit somewhat above it (4000 for 3218: 1.2×; a
# monitoring line at 1.5×). An upper bound more than this many times its own year's lower bound is a
# zero typed too many on one of the two lines (50000 for 5000 beside 4000: 12.5×).
UPPER_OVER_LOWER_MOST = Decimal(3)
# A poverty line or a limit rises from year to year, or stays; a value under this share of the one
# before it is a digit lost here or a zero too many there (4000, then 0 or 420).
FALL_LEAST = Decimal("0.5")


def problem(key: str, **context) -> PydanticCustomError:
    """A rules file's problem, named by a key of the catalogue's [labels] (rule_*), raised inside a
    validator; describe_errors words it in the reader's language. `at`, a path below the validated
    value (("values", 2)), names the entry the problem is in, for its line; with `keyed=True` the
    message names that key's path too (checks.head_age_min, not checks)."""
    return PydanticCustomError(key, key, context)


# What a clerk types around an amount in Notepad: a thousands comma, a space between digit groups, the
# unit. Taken away, what is left must be a plain amount for the message to say what to write instead.
# No two parts can take the same character, so a long line cannot make the match backtrack.
_MONEY_TYPED = re.compile(r"^(?P<number>[0-9０-９][0-9０-９,，\s]*(?:[.．][0-9０-９]+\s*)?)"
                          r"(?:(?P<wan>万)\s*)?(?:元\S*|块|yuan)?$")
_PLAIN_AMOUNT = re.compile(r"^\d+(?:\.\d+)?$")


def plain_amount(typed: str) -> str | None:
    """'4,000', '4000元', '4 000', '3,218.50 元', '0.5万' → '4000', '3218.50', '5000': the amount a clerk
    meant, written as a rules file takes it; None where `typed` is not an amount with such marks around it."""
    match = _MONEY_TYPED.match(typed.strip())
    if not match:
        return None
    number = match.group("number").strip().replace("．", ".")
    number = number.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    groups = re.split(r"[,，\s]+", number.split(".")[0])
    if any(len(g) != 3 for g in groups[1:]):  # 4,000 and 4 000 are thousands; 1,2,3 is not an amount
        return None
    number = "".join(groups) + number[len(number.split(".")[0]):]
    if not _PLAIN_AMOUNT.match(number):
        return None
    if match.group("wan"):  # 0.5万 is 5000 yuan: a rules file's amounts are in yuan
        yuan = Decimal(number) * 10_000
        if yuan != yuan.quantize(Decimal("0.01")):
            return None
        number = str(yuan.quantize(Decimal(1))) if yuan == yuan.to_integral_value() else str(yuan.quantize(Decimal("0.01")))
    return number


def money_slip(typed: str) -> Phrase:
    """What keeps `typed` (plain_amount's) from being a number, as the catalogue words it."""
    if "万" in typed:
        return Phrase("money_slip_wan")
    if re.search(r"[,，]", typed):
        return Phrase("money_slip_comma")
    if re.search(r"元|块|yuan", typed):
        return Phrase("money_slip_unit")
    if re.search(r"[０-９．]", typed):
        return Phrase("money_slip_full_width")
    return Phrase("money_slip_space")


def _no_float(value: object, info: ValidationInfo) -> object:
    # Money in TOML floats is already rounded by the parser; insist on integers or quoted decimals.
    if isinstance(value, float):
        raise problem("rule_money_float")
    if isinstance(value, str) and not _PLAIN_AMOUNT.match(value.strip()):
        meant = plain_amount(value)
        if meant is not None:  # "4,000", "4000元": say what to write, not only that it is not a number
            raise problem("rule_money_typed", value=repr(value), why=money_slip(value),
                          write=f"{info.field_name or 'value'} = " + (meant if "." not in meant else f'"{meant}"'))
    return value


def _plain_date(value: object) -> object:
    # TOML gives a date for 2019-01-01; a quoted "2019-01-01" is accepted too. A time of day, a bare
    # year or a number would otherwise be coerced by pydantic in surprising ways: refuse them.
    if isinstance(value, dt.datetime):
        raise problem("rule_date_with_time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise problem("rule_not_a_date", value=repr(value))


Yuan = Annotated[Decimal, BeforeValidator(_no_float),
                 Field(ge=0, lt=MAX_YUAN, decimal_places=2, allow_inf_nan=False)]
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
        seen: dict[dt.date, DatedValue] = {}
        for i, v in enumerate(self.values):
            if v.effective in seen:  # named by the date and both values, on the second one's line
                raise problem("rule_same_date_named", date=str(v.effective), first=str(seen[v.effective].value),
                              second=str(v.value), at=("values", i))
            seen[v.effective] = v
        out_of_order = next((i for i in range(1, len(dates)) if dates[i] < dates[i - 1]), None)
        if out_of_order is not None:  # on the entry dated earlier than the one above it, naming that one's line
            raise problem("rule_dates_order_named", earlier=str(dates[out_of_order]), later=str(dates[out_of_order - 1]),
                          at=("values", out_of_order), also=("values", out_of_order - 1))
        if dates[0].year < FIRST_YEAR or dates[-1].year > LAST_YEAR:
            raise problem("rule_date_range", first=FIRST_YEAR, last=LAST_YEAR)
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
                raise problem("rule_not_money_field", name=repr(name), known=", ".join(sorted(money)))
        twice = next((name for name in self.components if self.components.count(name) > 1), None)
        if twice is not None:
            raise problem("rule_component_twice", name=repr(twice))
        if self.total in self.components:
            raise problem("rule_total_in_components", total=repr(self.total))
        return self


# A household's head is an adult: a head_age_max below this flags nearly every head as implausible.
ADULT_AGE = 18


def _edited(model: BaseModel, first: str, second: str) -> str:
    """Of two keys that contradict each other, the one whose value is not its default (the one a
    county changed, to point at its line); `first` where both or neither were changed."""
    changed = [k for k in (first, second) if getattr(model, k) != type(model).model_fields[k].default]
    return changed[0] if len(changed) == 1 else first


class CheckThresholds(StrictModel):
    amount_tolerance: Yuan = Decimal(1)
    # amount_unit_suspect (domain §6): a household whose total income is positive but under
    # unit_household_below yuan per resident typed it all in 万元; a unit_components income under
    # unit_component_below yuan (beside another income component of unit_component_beside yuan or
    # more, or alone: a year's wage is never a few yuan) is one cell typed in 万元. Small property and
    # transfer incomes are ordinary: never flagged.
    unit_household_below: Yuan = Decimal(100)
    unit_component_below: Yuan = Decimal(10)
    unit_component_beside: Yuan = Decimal(1000)
    unit_components: tuple[str, ...] = ("wage_income", "business_income")
    # A farm whose business income and every business cost are under unit_farm_below yuan (a cost
    # among them) typed its own columns in 万元 (12 sold, 9.5 spent) beside incomes in yuan.
    unit_farm_below: Yuan = Decimal(100)
    per_capita_ceiling: Annotated[Yuan, Field(gt=0)] = Decimal(150000)
    # costs_over_business_income: business costs more than this many times a positive business income
    # look like the two columns swapped (a farm's costs are a part of what it sells).
    costs_over_business_income: Annotated[Decimal, Field(gt=1)] = Decimal(2)
    # allowance_income_high: a household marked 低保 or 特困 whose per-capita net income is at least this many
    # times the income year's upper bound is far above any 低保 standard (the 是 a slip, or 错保). Above 1:
    # the 低保 standard is near the upper bound, and at 1 or below every 低保 household above it would be
    # asked; two decimals at most, compared exactly in fen. 10 (40,000 yuan at 4,000): at 3 and 5, 低保
    # households with remittances and pensions counted took a realistic county over issue 11's warning
    # budget (5: 0.21 % of a clean county, against 0.05 % a code); at 10 what is said is a slip in a column,
    # and a 错保 is 民政's to review, not the screen's (the household is left out whatever).
    allowance_income_over_upper: Annotated[Decimal, Field(gt=1, le=100, decimal_places=2)] = Decimal(10)
    # income_without_costs: a business income of costs_expected_from yuan or more with no cost written.
    # Below it, a courtyard's odd sales (vegetables, eggs, a pig: 300–3,000 yuan) have none to write; a
    # 备注 holding one of no_costs_notes (庭院, 无成本 …, not after 未, 没(有), 不, 非, 无) says so at any amount.
    costs_expected_from: Yuan = Decimal(5000)
    no_costs_notes: tuple[Annotated[str, Field(min_length=1, pattern=r"^\S+$")], ...] = (
        "庭院", "零星", "自产自销", "无成本", "没有成本", "没成本", "不用成本", "不需成本", "无投入", "没有投入",
        "没投入", "无费用", "没有费用")
    # household_size_implausible: 家庭人口数 or 家庭常住人口数 above household_size_warning_above (a
    # warning: 14 typed for 4?) or above household_size_error_above (an error: 40, or an income typed
    # there; the household is not decided).
    household_size_warning_above: int = Field(10, ge=1, le=10_000)
    household_size_error_above: int = Field(20, ge=1, le=10_000)
    head_age_min: int = Field(16, ge=0, le=150)
    head_age_max: int = Field(110, ge=0, le=150)

    @model_validator(mode="after")
    def _ordered(self) -> CheckThresholds:
        if self.head_age_max < ADULT_AGE:  # every household's head would be flagged, and the survey blamed
            raise problem("rule_head_age_max_minor", max=self.head_age_max, adult=ADULT_AGE,
                          at=("head_age_max",), keyed=True)
        if self.head_age_min >= self.head_age_max:
            raise problem("rule_ages_order", min=self.head_age_min, max=self.head_age_max,
                          at=(_edited(self, "head_age_min", "head_age_max"),), keyed=True)
        if self.household_size_warning_above >= self.household_size_error_above:
            raise problem("rule_household_size_order", warning=self.household_size_warning_above,
                          error=self.household_size_error_above,
                          at=(_edited(self, "household_size_warning_above", "household_size_error_above"),),
                          keyed=True)
        return self

    @field_validator("unit_components")
    @classmethod
    def _money_fields(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        money = set(fields().fields_of_kind("money"))
        for name in names:
            if name not in money:
                raise problem("rule_not_money_field", name=repr(name), known=", ".join(sorted(money)))
        return names


# What a roster match does (issue 14, after-screening §1): `authoritative`, the household takes the
# exclusion of its kind whatever it said (低保, 特困, 建档立卡 only, and only where [exclude] leaves
# that exclusion on); `flag`, a 疑点 for the home visit, the status unchanged; `support`, the match
# bears out a difficulty the household names (残疾 for 因残, 医保自付 for 因病). A kind the rules
# file does not name is a flag: a roster never changes a status unless the rule set says so.
RosterEffect = Literal["authoritative", "flag", "support"]
DEFAULT_ROSTER_EFFECT: RosterEffect = "flag"


class MemberThresholds(StrictModel):
    """The members table's plausibility checks (member_age_relation): a spouse younger than
    spouse_age_min; a child, or a grandchild, less than generation_gap (twice it) years younger than
    the head; a parent, or a grandparent, less than generation_gap (twice it) years older."""

    spouse_age_min: int = Field(16, ge=0, le=150)
    generation_gap: int = Field(15, ge=0, le=100)


ROSTER_EFFECTS = ("authoritative", "flag", "support")


def _roster_effects(effects: dict[str, str], exclude: Exclusions) -> dict[str, str]:
    catalogue = rosters_catalogue().by_code
    for kind, effect in effects.items():
        at = dict(at=(kind,), keyed=True)  # the kind's own line, not [rosters]
        if effect not in ROSTER_EFFECTS:
            raise problem("rule_roster_effect", kind=repr(kind), effect=repr(effect),
                          effects=", ".join(ROSTER_EFFECTS), **at)
        if kind not in catalogue:
            raise problem("rule_roster_unknown", kind=repr(kind), known=", ".join(catalogue), **at)
        spec = catalogue[kind]
        if effect == "authoritative" and spec.exclusion is None:
            raise problem("rule_roster_not_authoritative", kind=repr(kind),
                          kinds=", ".join(k for k, s in catalogue.items() if s.exclusion), **at)
        if effect == "authoritative" and not getattr(exclude, spec.exclusion):
            raise problem("rule_roster_exclusion_off", kind=repr(kind), switch=f"exclude.{spec.exclusion}", **at)
        if effect == "support" and not spec.supports:
            raise problem("rule_roster_no_support", kind=repr(kind),
                          kinds=", ".join(k for k, s in catalogue.items() if s.supports), **at)
    return effects


class MeasureRules(StrictModel):
    """[measures]: 帮扶 after registration. Every registered household has at least one measure within
    `coverage_days` of the day it entered the register; a household whose main difficulty names a
    key of `fit` has a measure of one of that key's types (因病 → 健康). The types are ids of the
    measure catalogue (data/measures.toml)."""

    coverage_days: int = Field(30, ge=1, le=366)
    fit: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("fit")
    @classmethod
    def _known_types(cls, fit: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        from .measure_types import measure_types

        known = measure_types().ids
        for difficulty, types in fit.items():
            if not difficulty.strip() or not types:
                raise problem("rule_fit_empty", difficulty=repr(difficulty))
            for t in types:
                if t not in known:
                    near = difflib.get_close_matches(t, known, n=1, cutoff=0.6)
                    raise problem("rule_fit_unknown_type", difficulty=repr(difficulty), type=repr(t),
                                  known=", ".join(known), near=Phrase("rule_did_you_mean", key=repr(near[0])) if near else "")
        return fit


class ExitRules(StrictModel):
    """[exit]: when a registered household whose income is now at or above the upper bound is
    proposed to leave (拟退出); otherwise it is flagged 收入超标但不满足退出条件. The income at or above
    the bound in the last `years_above` surveyed years; with `require_measure`, at least one 帮扶
    measure received; with `require_labour`, not a household without working-age labour (a member
    aged working_age_min to working_age_max whose 劳动技能 is none of `no_labour`), judged only where
    the survey lists the members: without them the condition is unknown and does not hold an exit."""

    years_above: int = Field(1, ge=1, le=10)
    require_measure: bool = True
    require_labour: bool = True
    working_age_min: int = Field(16, ge=0, le=150)
    working_age_max: int = Field(60, ge=0, le=150)
    no_labour: tuple[str, ...] = ("丧失劳动力", "无劳动力")

    @model_validator(mode="after")
    def _ordered(self) -> ExitRules:
        if self.working_age_min >= self.working_age_max:
            raise problem("rule_working_ages_order", min=self.working_age_min, max=self.working_age_max,
                          at=(_edited(self, "working_age_min", "working_age_max"),), keyed=True)
        return self


class Target(StrictModel):
    """What the rule set screens for, as every output names it ([target]): the village lists'
    titles (…初选名单), the status (…候选), the notices and the summary. Without it, the catalogue's
    贫困边缘户."""

    zh: str
    en: str = ""  # left out: the Chinese words under --lang en too, never the catalogue's 贫困边缘户 there

    @model_validator(mode="before")
    @classmethod
    def _english_or_chinese(cls, data):
        if isinstance(data, dict) and not str(data.get("en") or "").strip() and isinstance(data.get("zh"), str):
            data = {**data, "en": data["zh"]}
        return data

    @field_validator("zh", "en")
    @classmethod
    def _words(cls, words: str) -> str:
        words = words.strip()
        if not words or len(words) > 24 or any(c in words for c in "{}\n\r《》"):
            raise problem("rule_target_words", value=words)
        return words


class RuleSet(StrictModel):
    id: str = Field(min_length=1, pattern=r"^[\w.\-]+$")
    # Printed under every list's title as the standard the households were decided by: never blank.
    title: str = Field(min_length=1, pattern=r"\S")
    target: Target | None = None
    # The document the village's notices cite as 根据《…》: its name as issued, without the brackets.
    # Optional, so that a county's file written before it loads; a notice then names no document
    # rather than edgescreen's own title for the rule set (see `rules check`).
    basis: str = ""
    description: str = ""
    reference: str = ""
    lower_bound: Parameter | None = None
    upper_bound: Parameter
    exclude: Exclusions = Exclusions()
    income: Sum
    expenses: Sum
    checks: CheckThresholds = CheckThresholds()
    measures: MeasureRules = MeasureRules()
    exit: ExitRules = ExitRules()
    reference_figures: tuple[ReferenceFigure, ...] = ()
    # Issue 14: what each roster kind's match does ([rosters]), and the members table's checks.
    rosters: dict[str, str] = Field(default_factory=dict)
    members: MemberThresholds = MemberThresholds()

    @field_validator("basis")
    @classmethod
    def _document_name(cls, basis: str) -> str:
        basis = basis.strip()
        if any(c in basis for c in "《》\n\r"):
            raise problem("rule_basis_brackets", value=basis)
        return basis

    @field_validator("rosters")
    @classmethod
    def _effects(cls, effects: dict[str, str], info) -> dict[str, str]:
        return _roster_effects(effects, info.data.get("exclude") or Exclusions())

    @model_validator(mode="after")
    def _consistent(self) -> RuleSet:
        shared = set(self.income.components + (self.income.total,)) & set(
            self.expenses.components + (self.expenses.total,))
        if shared:
            raise problem("rule_both_sides", fields=", ".join(sorted(shared)))
        for v in self.upper_bound.values:
            if v.value <= 0:
                raise problem("rule_upper_not_positive", effective=str(v.effective), value=str(v.value))
        # A ceiling at or below an upper bound calls households the band keeps, and more, implausible:
        # the flags would blame the survey for the rules file's figure.
        highest = max(self.upper_bound.values, key=lambda v: v.value)
        if self.checks.per_capita_ceiling <= highest.value:
            # An upper bound ten times the others (450000 for 4500) is that line's slip, said there.
            others = [v.value for v in self.upper_bound.values if v is not highest]
            if others and highest.value >= 10 * max(others):
                raise problem("rule_upper_far_above", upper=str(highest.value), effective=str(highest.effective),
                              others=str(max(others)),
                              at=("upper_bound", "values", self.upper_bound.values.index(highest), "value"), keyed=True)
            raise problem("rule_ceiling_not_above_upper", ceiling=str(self.checks.per_capita_ceiling),
                          upper=str(highest.value), effective=str(highest.effective),
                          at=("checks", "per_capita_ceiling"), keyed=True)
        if self.lower_bound is None:
            return self._no_steep_fall()
        for year in self.years:
            lower, upper = self.lower_bound.in_force(year), self.upper_bound.in_force(year)
            if lower and upper and lower.value >= upper.value:
                # Named on the entry dated later (the upper bound's when both start together): that one
                # made the two meet, and it is the one to change.
                # A lower bound of a new year without that year's upper bound (written first, the upper
                # to follow): the fix may be the upper bound's line, which is said too.
                below = "rule_write_lower_below_or_upper" if lower.effective.year > upper.effective.year \
                    else "rule_write_lower_below"
                key, entry, fix = ("lower_bound", lower, Phrase(below, upper=str(upper.value), year=year)) \
                    if lower.effective > upper.effective else \
                    ("upper_bound", upper, Phrase("rule_write_upper_above", lower=str(lower.value)))
                index = getattr(self, key).values.index(entry)
                raise problem("rule_lower_not_below", lower=str(lower.value), upper=str(upper.value), year=year,
                              lower_from=str(lower.effective), upper_from=str(upper.effective), fix=fix,
                              at=(key, "values", index, "value"), keyed=True)
        # A lower bound of 0 beside years that have one: no poverty line that year, so households below
        # it would be candidates. A digit left out (or the figure not found yet): said on its line.
        lows = self.lower_bound.values
        zero = next((i for i, v in enumerate(lows) if v.value == 0), None)
        # The year's neighbour to compare with: the value before it, or after it where it comes first.
        given = next((v for v in (*reversed(lows[:zero]), *lows[zero:]) if v.value > 0), None) \
            if zero is not None else None
        if zero is not None and given is not None:
            raise problem("rule_lower_zero", effective=str(lows[zero].effective), other=str(given.value),
                          other_from=str(given.effective), at=("lower_bound", "values", zero, "value"), keyed=True)
        for year in self.years:
            lower, upper = self.lower_bound.in_force(year), self.upper_bound.in_force(year)
            if lower and upper and upper.value > UPPER_OVER_LOWER_MOST * lower.value:
                # On the entry dated later, as above: the one that made the band this wide; on the lower
                # bound's, too, where it fell to under half the one before it (420 after 4000).
                at = lows.index(lower)
                fell = at > 0 and lower.value < FALL_LEAST * lows[at - 1].value
                key, entry = ("lower_bound", lower) if lower.effective > upper.effective or fell \
                    else ("upper_bound", upper)
                raise problem("rule_upper_far_above_lower", upper=str(upper.value), lower=str(lower.value), year=year,
                              upper_from=str(upper.effective), lower_from=str(lower.effective),
                              times=f"{upper.value / lower.value:.1f}", most=str(UPPER_OVER_LOWER_MOST),
                              at=(key, "values", getattr(self, key).values.index(entry), "value"), keyed=True)
        return self._no_steep_fall()

    def _no_steep_fall(self) -> RuleSet:
        """A bound under FALL_LEAST of the value before it: said on the later entry's line, naming the
        earlier's (either may be the slip: 50000 then 5400, or 4000 then 420)."""
        for key, param in self.parameters().items():
            for i in range(1, len(param.values)):
                before, this = param.values[i - 1], param.values[i]
                if this.value < FALL_LEAST * before.value:
                    raise problem("rule_bound_falls", bound=key, value=str(this.value), effective=str(this.effective),
                                  before=str(before.value), before_from=str(before.effective),
                                  at=(key, "values", i, "value"), keyed=True, also=(key, "values", i - 1))
        return self

    def target_words(self) -> dict[str, str] | None:
        """[target] as catalogue.use_target takes it (None: the catalogue's own words)."""
        return self.target.model_dump() if self.target is not None else None

    def roster_effect(self, kind: str) -> RosterEffect:
        """What a match on a roster of `kind` does under this rule set."""
        return self.rosters.get(kind, DEFAULT_ROSTER_EFFECT)  # type: ignore[return-value]

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
        """The income year screened when none is asked for: the latest the figures give that has come.
        A figure entered ahead of its date (4500 from 2027-01-01, typed in 2026) is used only by a
        --year that reaches it: by default it decided a county's households a year early."""
        years = self.years if self.lower_bound else sorted({v.effective.year for v in self.upper_bound.values})
        come = [y for y in years if y <= dt.date.today().year]
        return max(come) if come else years[0]


# Keys the shipped rule files of earlier versions had that this one no longer reads, with the keys
# that took their place. A county's file copied from such a version loads: the key is left out and
# `rules check` says so on its line. Neither refused nor "did you mean" a key that means otherwise.
# (table, key) → (the catalogue's words for what it was, the keys that replaced it, in that table)
RETIRED_KEYS: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {
    # Issue 11 (50ee44d): one per-cell threshold for amounts typed in 万元 became amount_unit_suspect's
    # household, cell and farm thresholds.
    ("checks", "unit_suspect_below"): ("rule_retired_unit_suspect_below", (
        "unit_household_below", "unit_component_below", "unit_component_beside", "unit_components",
        "unit_farm_below")),
}


class RetiredKey(BaseModel):
    """A retired key (RETIRED_KEYS) a rules file still has: its path, its line, what replaced it."""

    model_config = ConfigDict(frozen=True)
    key: str  # checks.unit_suspect_below
    line: int | None
    what: str  # the catalogue's label for what it was
    replaced_by: tuple[str, ...]  # checks.unit_household_below, …


def _check_retired_keys() -> None:
    # Data checked where it is used: a retired key this version knows again, or a replacement it
    # does not know, would say the wrong thing to every county that has the line.
    for (table, key), (what, replaced_by) in RETIRED_KEYS.items():
        model = RuleSet.model_fields[table].annotation
        if key in model.model_fields or not set(replaced_by) <= set(model.model_fields) \
                or what not in messages().labels:
            raise AssertionError(f"RETIRED_KEYS: {table}.{key}")


def _without_retired(data: dict, text: str | None) -> tuple[dict, tuple[RetiredKey, ...]]:
    """`data` without the retired keys it has (a copy; `data` itself where it has none), and those keys."""
    found = []
    for (table, key), (what, replaced_by) in RETIRED_KEYS.items():
        section = data.get(table)
        if isinstance(section, dict) and key in section:
            if not found:
                _check_retired_keys()
            data = {**data, table: {k: v for k, v in section.items() if k != key}}
            found.append(RetiredKey(key=f"{table}.{key}", line=line_of(text, (table, key)) if text else None,
                                    what=what, replaced_by=tuple(f"{table}.{k}" for k in replaced_by)))
    return data, tuple(found)


class LoadedRules(BaseModel):
    """A rule set as loaded: the model, where it came from, and the file's SHA-256."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    rules: RuleSet
    path: Path
    sha256: str
    # The file's text as read (its SHA-256's bytes, UTF-8): kept with a screen (run.json, the register's
    # round) so that a spot check months later finds the rule set though an upgrade changed the file.
    text: str | None = None
    # Keys of an earlier version's rules file it still has, left out (RETIRED_KEYS): rules check says them.
    retired: tuple[RetiredKey, ...] = ()

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
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UsageError("year_out_of_range", year=year, first=FIRST_YEAR, last=LAST_YEAR)
        upper = rules.upper_bound.in_force(year)
        lower = rules.lower_bound.in_force(year) if rules.lower_bound else None
        if upper is None or (rules.lower_bound is not None and lower is None):
            params = [p for p in (rules.lower_bound, rules.upper_bound) if p is not None]
            first = max(p.values[0].effective.year for p in params)
            if lower is not None:  # the poverty line of that year is known; the plan's limit came later
                raise RulesError("rules_upper_not_yet", id=rules.id, year=year, lower=str(lower.value),
                                 lower_from=lower.effective.isoformat(), first=first)
            if rules.lower_bound is None:
                raise RulesError("rules_upper_from", id=rules.id, year=year, first=first)
            raise RulesError("rules_no_bounds_for_year", id=rules.id, year=year, first=first)
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


def is_shipped(path: Path) -> bool:
    """Whether a rules file is one of edgescreen's own (in rules_dir), said as such, never by the path
    it is installed under; a county's own file is said by its name."""
    try:
        return path.resolve().parent == rules_dir().resolve()
    except OSError:  # a path that cannot be resolved is no shipped one
        return False


def rules_words(title: str, rules_id: str, file_name: str, shipped: bool, year: int,
                lower_fen: int | None, upper_fen: int, lang: Lang) -> str:
    """认定标准:title(file),2020 年度收入:人均纯收入高于 3,750 元、低于 4,000 元: the one wording of a
    rule set and its year's bounds, as screen and check end (cli.screen.rules_used_line) and as status
    and the spot check's design say a round's (rules_line). A shipped rule set said as edgescreen's own,
    a county's file by its name (its id where none was recorded)."""
    source = label("screen_rules_shipped", lang, id=rules_id) if shipped else file_name or rules_id

    def yuan(fen: int | None) -> str:  # 3,750 (3,218.50 where cents)
        return "" if fen is None else yuan_words(int(fen))

    return label("screen_rules_used" if lower_fen is not None else "screen_rules_used_no_lower", lang,
                 title=title, source=source, year=int(year), lower=yuan(lower_fen), upper=yuan(upper_fen))


def shipped_rule_sets() -> dict[str, Path]:
    return {p.stem: p for p in sorted(rules_dir().glob("*.toml"))}


def resolve_rules_path(spec: str | Path) -> Path:
    shipped = shipped_rule_sets()
    if isinstance(spec, str) and spec in shipped:
        return shipped[spec]
    path = Path(spec)
    if path.is_file():
        return path
    # The folder it was looked for in, absolute: `--rules 本县.toml` typed in another folder than the
    # file's reads as a file that is not there, unless the message says where "here" was.
    raise RulesError("rules_not_found", file=str(spec), shipped=", ".join(shipped) or "—",
                     folder=str(path.absolute().parent))


# An amount a source names: 3218元, 3,600 元, 0.36万元 (after NFKC: full-width digits and commas folded).
_SOURCE_AMOUNT = re.compile(r"(?<![\d.])(\d[\d,]*(?:\.\d+)?)\s*(万)?\s*元")


def source_amounts(source: str) -> list[Decimal]:
    """The amounts in yuan a value's source names: '国家统计局,2014年农村贫困标准(2010年不变价2300元,当年价
    2800元)' → [2300, 2800]; a year (2014年) or a date is not an amount."""
    amounts = []
    for number, wan in _SOURCE_AMOUNT.findall(unicodedata.normalize("NFKC", source)):
        try:
            amount = Decimal(number.replace(",", ""))
        except ArithmeticError:
            continue
        amounts.append(amount * 10_000 if wan else amount)
    return amounts


def _figures(rules: RuleSet) -> dict[str, list[tuple[dt.date, Decimal]]]:
    return {key: [(v.effective, v.value) for v in p.values] for key, p in rules.parameters().items()}


def _figure_differing(ours: RuleSet, theirs: RuleSet) -> Phrase | str:
    """The first of `ours`' figures that `theirs` has otherwise or not at all, as rules check words it
    ('', where every figure of `ours` is `theirs`' own)."""
    mine, original = _figures(ours), _figures(theirs)
    for key, values in mine.items():
        shipped = dict(original.get(key, []))
        for when, value in values:
            if shipped.get(when) != value:
                return Phrase("rules_warn_shipped_id_example" if when in shipped else "rules_warn_shipped_id_added",
                              key=key, effective=str(when), value=str(value), shipped=str(shipped.get(when)))
    return ""


def shipped_title_kept(loaded: LoadedRules) -> Phrase | None:
    """`rules check`: a county's file (its own id, as rules new gives it) that kept the title of a rule
    set shipped with edgescreen (长春市贫困边缘户识别标准(2019)) over other figures: every village list and
    document would print the county's 3600 as the city's standard. None for a shipped file, a copy whose
    figures are still the shipped ones, or one that kept the id too (shipped_id_taken says that one)."""
    r = loaded.rules
    shipped = shipped_rule_sets()
    if any(p.resolve() == loaded.path.resolve() for p in shipped.values()):
        return None
    for shipped_id, path in shipped.items():
        theirs = load_rules(path).rules
        if theirs.title.strip() != r.title.strip() or r.id == theirs.id:
            continue
        if _figures(r) == _figures(theirs):
            return None
        line = line_of(loaded.text, ("title",)) if loaded.text else None
        return Phrase("rules_warn_shipped_title", title=r.title, shipped=shipped_id, line=line or "?",
                      example=_figure_differing(r, theirs))
    return None


def sources_naming_other_figures(loaded: LoadedRules) -> list[Phrase]:
    """`rules check`: a value whose source names amounts, none of them the value (value = 3600 beside
    '…当年价3218元…'): the value changed and its source left as copied, or the value mistyped. A source
    naming no amount (国家统计局,2016年农村贫困标准) says nothing either way."""
    warnings = []
    for key, p in loaded.rules.parameters().items():
        for i, v in enumerate(p.values):
            named = source_amounts(v.source)
            if named and v.value not in named:
                line = line_of(loaded.text, (key, "values", i)) if loaded.text else None
                warnings.append(Phrase("rules_warn_source_number", line=line or "?", key=f"{key}.values[{i}]",
                                       effective=str(v.effective), value=str(v.value),
                                       named=[f"{a.normalize():f}元" for a in dict.fromkeys(named)]))
    return warnings


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


# Pydantic's own error types, worded by the catalogue ([labels] pydantic_*); any other keeps
# pydantic's English words.
_PYDANTIC_WORDS = {"missing", "extra_forbidden", "decimal_parsing", "decimal_type", "decimal_max_places",
                   "decimal_max_digits", "greater_than_equal", "greater_than", "less_than", "less_than_equal",
                   "int_type", "int_parsing", "int_from_float", "string_type", "string_too_short",
                   "string_pattern_mismatch", "bool_type", "bool_parsing", "too_short", "model_type",
                   "dict_type", "tuple_type", "list_type", "finite_number"}


def line_of(text: str, loc: tuple) -> int | None:
    """The 1-based line of a TOML file holding the key at `loc` (a validation error's path: a table,
    a key in it, an entry of a list of inline tables, a key of that entry), as far as the text shows
    it: the table's header, its key, or the line of the entry's "{"; None where it is not found."""
    if not loc:
        return None
    lines = text.splitlines()
    headers = [(i, m.group(1).strip()) for i, line in enumerate(lines) if (m := _TOML_TABLE.match(line))]

    def key_line(first: int, last: int, key: str) -> int | None:
        for i in range(first, last):
            m = _TOML_KEY.match(lines[i])
            if m and m.group(1).strip('"') == key:
                return i
        return None

    table = str(loc[0])
    named = [i for i, name in headers if name == table]
    if len(loc) > 1 and isinstance(loc[1], int) and named:  # the n-th [[case]] of a rule-test file
        if loc[1] >= len(named):
            return None
        named, loc = named[loc[1]:], (loc[0], *loc[2:])
    at = named[0] if named else None
    if at is None:  # a key of the top level, before the first table
        found = key_line(0, headers[0][0] if headers else len(lines), table)
        return found + 1 if found is not None else None
    end = next((i for i, _ in headers if i > at), len(lines))
    if len(loc) == 1:
        return at + 1
    found = key_line(at + 1, end, str(loc[1]))
    if found is None:
        return at + 1
    if len(loc) > 2 and isinstance(loc[2], int):
        entries = [i for i in range(found, end) if "{" in lines[i].split("#", 1)[0]]
        if loc[2] < len(entries):
            return entries[loc[2]] + 1
    return found + 1


def describe_errors(error: ValidationError, model: type[BaseModel] | None = None, text: str | None = None) -> Lines:
    """A validation error as one line per problem: the key's path, what is wrong, what was given;
    with the file's `text`, the line it is on. Unknown keys get the nearest key `model` (default:
    RuleSet) knows, if one is close. The lines are Phrases, worded when the message is shown."""
    lines = Lines()
    items = error.errors()
    headless = _headless_sections(items, model or RuleSet, text) if text is not None else {}
    for section, (under, keys) in headless.items():
        first = min(line for _, line in keys)
        lines.append(Phrase("rule_section_header_missing" if under else "rule_section_header_missing_top",
                            line=first, section=section, under=under or "",
                            keys=[name for name, _ in keys]))
    said = {(under, name) for under, keys in headless.values() for name, _ in keys}
    for item in items:
        loc, kind = item["loc"], item["type"]
        if kind == "extra_forbidden" and (loc[0] if len(loc) == 2 else None, str(loc[-1])) in said \
                or kind == "missing" and len(loc) == 1 and loc[0] in headless:
            continue  # said once above: a table's header line deleted
        if kind == "too_short" and any(o["loc"][:len(loc)] == loc and o["loc"] != loc for o in items):
            continue  # a list emptied by its own invalid entries: those entries are the message
        context = {k: v if isinstance(v, Phrase) else _shown(v) for k, v in (item.get("ctx") or {}).items()
                   if k not in ("at", "keyed", "also")}
        # A problem a model's own validator finds in one entry of it: the line is that entry's.
        at = (item.get("ctx") or {}).get("at", ())
        also = (item.get("ctx") or {}).get("also")
        if also is not None:  # the other entry a problem is between (the one it should follow): its line
            also_line = line_of(text, (*loc, *also)) if text is not None else None
            context["also"] = Phrase("rule_also_line", line=also_line) if also_line else Phrase("rule_also_entry_before")
        value = item.get("input")
        if kind == "extra_forbidden":
            # Another word for a key the file may use first (fields.toml [rule_keys]: wubao is tekun, for 五保
            # is 特困), then the nearest spelling.
            key = str(loc[-1])
            near = [fields().rule_keys[key]] if key in fields().rule_keys else \
                difflib.get_close_matches(key, sorted(_known_keys(model)), n=1, cutoff=0.6)
            suggested = Phrase("rule_did_you_mean", key=repr(near[0])) if near else ""
            if (model or RuleSet) is RuleSet and _WUBAO_KEY.search(key):  # that 五保户 are 特困 already is the point
                suggested = Phrase("rule_wubao_near", did=Phrase("rule_did_you_mean", key=repr("tekun")),
                                   why=Phrase("rule_wubao_is_tekun"))
            what = Phrase("pydantic_extra_forbidden", near=suggested)
        elif kind in messages().labels:  # a problem our own validators raise (rules.problem)
            what = Phrase(kind, **context)
        elif kind == "literal_error":  # one of a few words: named in the catalogue's (a status with its name)
            choices = re.findall(r"'([^']*)'", context.get("expected", ""))
            what = Phrase("pydantic_literal_error", expected=[
                Phrase("literal_status", code=c, name=Phrase(c)) if c in STATUSES else c for c in choices])
        elif kind in _PYDANTIC_WORDS:
            what = Phrase(f"pydantic_{kind}", **context)
        else:
            what = Phrase("rule_other", text=item["msg"].removeprefix("Value error, "))
        given = kind not in ("extra_forbidden", "missing", "rule_not_a_date", "case_money_decimals",
                             "rule_money_typed") and \
            isinstance(value, (str, int, float, Decimal, dt.date)) and not isinstance(value, bool)
        line = line_of(text, (*loc, *at)) if text is not None else None
        if given:
            shown = str(value) if isinstance(value, dt.date) else repr(value)
            if isinstance(value, float) and line is not None:  # 5000.00 as typed, not the parser's 5000.0
                shown = _typed_number(text, line, str(loc[-1])) or shown
            what = Phrase("rule_with_given", what=what, value=shown)
        where = _key_path((*loc, *at) if (item.get("ctx") or {}).get("keyed") else loc)
        if where and line is not None:
            lines.append(Phrase("rule_problem_at_line", line=line, where=where, what=what))
        else:
            lines.append(Phrase("rule_problem", where=where, what=what) if where else
                         Phrase("rule_problem_no_key", what=what))
    return lines


def _headless_sections(items: list, model: type[BaseModel], text: str) -> dict[str, tuple[str | None, list]]:
    """Tables of `model` whose header line is not in the file (a clerk deleted [exclude]) and whose
    keys were all found unknown under the table before them (or at the top, before any table):
    {table: (the table they fell under or None, [(key, line)])}. Their keys' own advice (是不是
    'dibao'?) would name the key itself."""
    headers = {m.group(1).strip() for line in text.splitlines() if (m := _TOML_TABLE.match(line))}
    unknown: dict[str | None, list[str]] = {}
    for item in items:
        loc = item["loc"]
        if item["type"] == "extra_forbidden" and len(loc) in (1, 2):
            unknown.setdefault(str(loc[0]) if len(loc) == 2 else None, []).append(str(loc[-1]))
    out: dict[str, tuple[str | None, list]] = {}
    for name, info in model.model_fields.items():
        table = next((t for t in (info.annotation, *getattr(info.annotation, "__args__", ()))
                      if isinstance(t, type) and issubclass(t, BaseModel)), None)
        if table is None or name in headers:
            continue
        for under, keys in unknown.items():
            if keys and all(k in table.model_fields for k in keys):
                found = [(k, line_of(text, (under, k) if under else (k,))) for k in keys]
                out[name] = (under, [(k, line) for k, line in found if line is not None] or [(k, 0) for k in keys])
                break
    return out


def _typed_number(text: str, line: int, key: str) -> str | None:
    """The number `key = …` has on the file's 1-based `line`, as typed there (5000.00)."""
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    found = re.search(rf"(?<![\w-]){re.escape(key)}\s*=\s*([-+]?\d[\d_]*(?:\.[\d_]+)?(?:[eE][-+]?\d+)?)",
                      lines[line - 1][:10_000])
    return found.group(1) if found else None


def _shown(value: object) -> str:
    """A limit of pydantic's as the file writes it: 10000000, not Decimal('10000000')."""
    text = str(value)
    match = re.fullmatch(r"Decimal\('([^']*)'\)", text)
    return match.group(1) if match else text


_TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")
_TOML_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
# The lookbehind keeps the search linear on a long line of letters: a key is tried only where one starts.
_THOUSANDS = re.compile(r"=\s*-?\d{1,3}(?:,\d{3})+(?![\d\"'])")
_FULL_WIDTH_MARKS = "，：＝“”‘’＂＃；［］｛｝【】"
# A date left unquoted as a person writes it: 2019-1-1, 2019/01/01, 2019.1.1, 2019年1月1日.
# A full-width mark after it (2019-01-01，value = …) ends the date: that mark is the slip, said as such.
_DATE_LIKE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z0-9_]+)\s*=\s*"
                        rf"(\d{{4}}(?:[-/.]\d{{1,2}}[-/.]\d{{1,2}}|年\d{{1,2}}月\d{{1,2}}日?)[^\s,}}\]{_FULL_WIDTH_MARKS}]*)")
# An amount left unquoted as a clerk types it: 4,000, 4000元, 4 000, 4000 元/人·年 (plain_amount says
# which of these it is); what follows it on the line is the next key of an inline table, or nothing.
_MONEY_LIKE = re.compile(r"(?<![A-Za-z0-9_])([A-Za-z0-9_]+)\s*=\s*"
                         r"([0-9０-９][0-9０-９,，\s]*(?:[.．][0-9０-９]+\s*)?(?:万\s*)?(?:元[^\s,，}\]#]*|块|yuan)?)")
# true or false as Word or Excel capitalise them (True, FALSE): TOML takes them in lower case only.
_BOOL_CASE = re.compile(r"^[ \t]*([A-Za-z0-9_\-]+)[ \t]*=[ \t]*(true|false)[ \t]*$", re.IGNORECASE)
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')
_RULES_KEYS = ("id", "title", "target", "basis", "description", "reference", "lower_bound", "upper_bound", "exclude",
               "income", "expenses", "checks", "measures", "exit", "reference_figures", "rosters", "members")
_CASES_KEYS = ("description", "rules", "year", "as_of", "defaults", "case")
_SHOWN_LINE = 200  # characters of a broken line shown at most


def _looks_like(text: str, keys: tuple[str, ...]) -> bool:
    """Whether the file's first line that says anything begins with one of `keys` (a key or a
    table): only then is one of its lines worth quoting back. Other files' content is never shown."""
    for line in text.splitlines()[:200]:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        word = re.match(r"\[*\s*([A-Za-z_]+)", stripped)
        return bool(word) and word.group(1) in keys
    return False


# tomllib's reasons, by their first words, as the catalogue words them ([labels] toml_reason_*).
_TOML_REASONS = {"Cannot declare": "declared_twice", "Cannot mutate": "immutable", "Cannot redefine": "immutable",
                 "Escaped character": "bad_escape", "Expected '=' after a key": "expected_equals",
                 "Expected ']' at the end": "expected_bracket", "Expected ']]' at the end": "expected_bracket",
                 "Expected newline": "expected_newline", "Found invalid character": "illegal_character",
                 "Illegal character": "illegal_character", "Invalid date": "bad_date", "Invalid hex": "bad_escape",
                 "Invalid initial character": "bad_key", "Invalid statement": "bad_statement",
                 "Invalid value": "bad_value", "Unclosed array": "unclosed_array",
                 "Unclosed inline table": "unclosed_table", "Unescaped": "bad_escape",
                 "Unterminated string": "unterminated_string"}


def _outside_strings(line: str) -> str:
    """A TOML line without its quoted strings and its comment: the part whose marks are syntax."""
    bare = _STRING.sub('""', line)
    return bare.split("#", 1)[0]


def _open_list(lines: list[str], first: int, last: int) -> int | None:
    """The index of the last `key = [` line in lines[first:last], if its list is still open at `last`."""
    for i in range(last - 1, first - 1, -1):
        if _TOML_KEY.match(lines[i]):
            parts = [_outside_strings(lines[i]).split("=", 1)[1], *map(_outside_strings, lines[i + 1:last])]
            return i if sum(x.count("[") - x.count("]") for x in parts) > 0 else None
    return None


def _reason(reason: str) -> Phrase:
    key = next((k for start, k in _TOML_REASONS.items() if reason.startswith(start)), None)
    return Phrase(f"toml_reason_{key}") if key else Phrase("rule_other", text=reason)


# A key typed in Chinese without quotes (低保户 = true): TOML calls the line no statement at all.
_CHINESE_KEY = re.compile(r"^\s*([^\s=\"'\[#]*[^\x00-\x7f][^\s=\"'#]*)\s*=")
# A key for 五保户 (wubao = true, 五保户 = true): 五保户 have been 特困人员 since 2014, and the survey's
# 是否五保户 column is read as 是否特困人员 (fields.toml), so [exclude] tekun leaves them out already.
_WUBAO_KEY = re.compile(r"wu_?bao|五保", re.IGNORECASE)


def _chinese_key(key: str, table: str, cases: bool) -> Phrase:
    """What to write for a key typed in Chinese: the keys its table takes; in a table whose keys are
    the county's own words ([measures.fit]) or in a rule-test file (inputs by header), the key in quotes."""
    model: type[BaseModel] | None = None if cases else RuleSet
    for part in (p for p in table.split(".") if p):
        info = model.model_fields.get(part) if model is not None else None
        if info is None:
            model = None
            break
        model = next((t for t in (info.annotation, *getattr(info.annotation, "__args__", ()))
                      if isinstance(t, type) and issubclass(t, BaseModel)), None)
    if model is None:
        return Phrase("toml_reason_chinese_key_quote", key=key)
    if _WUBAO_KEY.search(key):
        return Phrase("toml_reason_chinese_key_wubao", key=key, why=Phrase("rule_wubao_is_tekun"))
    return Phrase("toml_reason_chinese_key", key=key, table=f"[{table}]" if table else Phrase("toml_top_level"),
                  keys=list(model.model_fields))


def toml_error(path: Path, text: str, exc: tomllib.TOMLDecodeError, *, cases: bool = False) -> Phrase:
    """A TOML syntax error as a person can act on it: the line, the table and key, and what to write.
    `cases`: the file is a rule-test file rather than a rules file."""
    kind = Phrase("file_rule_tests" if cases else "file_rules")
    raw = str(exc)
    match = _TOML_AT.search(raw)
    reason = _TOML_AT.sub("", raw)
    if not match:
        return Phrase("toml_invalid_anywhere", kind=kind, path=str(path), reason=_reason(reason))
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
    where = dict(kind=kind, path=str(path), line=lineno)
    dotted = ".".join(p for p in (table, key_name) if p)

    for name, token in _DATE_LIKE.findall(line[:10_000]):
        try:
            dt.date.fromisoformat(token)
        except ValueError:
            path_to = ".".join(p for p in (table, key_name if key_name.endswith("]") else "", name) if p)
            return Phrase("toml_bad_date", **where, key=path_to, token=token)
    if reason.startswith("Cannot overwrite a value"):
        first = next((i + 1 for i in range(table_line + 1, lineno - 1)
                      if (m := _TOML_KEY.match(lines[i])) and m.group(1).strip('"') == key_name), None)
        return Phrase("toml_duplicate_key", **where, key=repr(dotted or key_name),
                      also=Phrase("toml_first_given", line=first) if first else "")
    if reason.startswith("Cannot declare"):
        name = re.search(r"\((.*)\)", reason)
        table_name = ".".join(re.findall(r"'([^']*)'", name.group(1))) if name else table
        return Phrase("toml_duplicate_table", **where, table=table_name)
    if reason.startswith("Duplicate inline table key"):
        dup = re.search(r"'([^']*)'", reason)
        return Phrase("toml_duplicate_inline", **where, key=repr(dup.group(1) if dup else ""),
                      inside=Phrase("toml_in", key=dotted) if dotted else "")
    looks = _looks_like(text, _CASES_KEYS if cases else _RULES_KEYS)
    bare = _outside_strings(line[:10_000])
    for name, token in _MONEY_LIKE.findall(bare) if looks else ():
        token = token.strip().rstrip(",，").strip()
        meant = plain_amount(token)
        if meant is not None and token != meant:  # 4,000 or 4000元 for 4000: what to write instead
            path_to = ".".join(p for p in (table, key_name if key_name.endswith("]") else "", name) if p)
            write = meant if "." not in meant else f'"{meant}"'
            shown = line.strip() if len(line.strip()) <= _SHOWN_LINE else line.strip()[:_SHOWN_LINE] + "…"
            return Phrase("toml_money_typed", **where, key=path_to, token=token, why=money_slip(token), name=name,
                          write=write, shown=shown)
    if looks and (_TOML_TABLE.match(line) or _TOML_KEY.match(line)) and reason.startswith(
            ("Invalid value", "Unclosed array")):
        # A list whose "]" was deleted: tomllib stops at the next table or key, which is not the slip.
        opened = _open_list(lines, table_line + 1, lineno - 1)
        if opened is not None:
            list_key = _TOML_KEY.match(lines[opened]).group(1).strip('"')
            return Phrase("toml_list_not_closed", **where, start=opened + 1,
                          key=".".join(p for p in (table, list_key) if p))
    shown = line.strip()
    # What Notepad typing puts there most: 7,300 for 7300, a full-width comma, colon or bracket, a
    # quote left open; tomllib names the syntax it then expects, not the slip.
    said = _reason(reason)
    if _THOUSANDS.search(line):
        said = Phrase("toml_reason_thousands")
    elif reason.startswith("Illegal character '\\n'") and bare.count('"') % 2:
        said = Phrase("toml_reason_quote_open")
    elif (mark := next((c for c in bare if c in _FULL_WIDTH_MARKS), None)) is not None:
        said = Phrase("toml_reason_full_width", mark=mark)
    elif (typed := _BOOL_CASE.match(bare)) is not None and typed.group(2) not in ("true", "false"):
        said = Phrase("toml_reason_bool_case", typed=typed.group(2),
                      write=f"{typed.group(1)} = {typed.group(2).lower()}")
    elif "\u3000" in bare:  # a Chinese space, invisible in Notepad: named, since 「　」 shows nothing
        said = Phrase("toml_reason_full_width_space")
    elif (chinese := _CHINESE_KEY.match(bare)) is not None and looks:
        said = _chinese_key(chinese.group(1), table, cases)
    if not looks:
        return Phrase("toml_invalid_not_rules", **where, reason=said)
    if len(shown) > _SHOWN_LINE:
        shown = shown[:_SHOWN_LINE] + "…"
    return Phrase("toml_invalid", **where, reason=said, shown=shown)


def _encoding_guess(raw: bytes) -> str | None:
    """The catalogue's name for the encoding a file that is not UTF-8 seems to be in: UTF-16 without
    its BOM (a zero byte beside each ASCII character), or GBK (Notepad's "ANSI" on a Chinese Windows);
    None where neither reads it."""
    sample = raw[:4096]
    if sample.count(0) * 4 >= len(sample):
        return "encoding_utf16_no_bom"
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return None
    return "encoding_gbk"


def read_toml(path: Path, *, cases: bool = False) -> tuple[bytes, dict]:
    """A rules (or rule-test) file's bytes and its TOML, or a RulesError that says what is wrong."""
    kind = Phrase("file_rule_tests" if cases else "file_rules")
    try:
        size = path.stat().st_size
        if size > MAX_RULES_BYTES:
            raise RulesError("rules_too_large", kind=kind, path=str(path), size=f"{size / 1024 / 1024:.1f}")
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesError("rules_cannot_open", kind=kind, path=str(path), reason=os_reason(exc)) from None
    if raw[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):  # a workbook (.xlsx, .xls), not a text file
        raise RulesError("rules_is_workbook", kind=kind, path=str(path))
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Notepad's "Unicode" (UTF-16, with its BOM): read as it is. Carried on as UTF-8, the text the
        # rest reads, hashes and keeps with a screen (LoadedRules.text) whatever Notepad saved it as.
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise RulesError("rules_not_utf8", kind=kind, path=str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        seems = _encoding_guess(raw)
        if seems is not None:
            raise RulesError("rules_not_utf8_seems", kind=kind, path=str(path), encoding=Phrase(seems)) from None
        raise RulesError("rules_not_utf8", kind=kind, path=str(path)) from None
    try:
        return raw, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError("rules_toml", problem=toml_error(path, text, exc, cases=cases)) from None
    except RecursionError:  # tables or lists nested thousands deep
        raise RulesError("rules_too_deep", kind=kind, path=str(path)) from None


def load_rules(spec: str | Path = DEFAULT_RULES) -> LoadedRules:
    """Load and validate a rule set by shipped id or by path."""
    path = resolve_rules_path(spec)
    raw, data = read_toml(path)
    return _validated(raw, data, path)


def rules_from_text(text: str, path: Path) -> LoadedRules | None:
    """The rule set a screen kept the text of (LoadedRules.text), as loaded from `path` then; None
    where the text does not hold a valid rule set (kept by another version of edgescreen)."""
    raw = text.encode("utf-8")
    try:
        return _validated(raw, tomllib.loads(raw.decode("utf-8-sig")), path)
    except (tomllib.TOMLDecodeError, RulesError, RecursionError):
        return None


def _validated(raw: bytes, data: dict, path: Path) -> LoadedRules:
    data, retired = _without_retired(data, raw.decode("utf-8-sig", errors="replace"))
    try:
        rules = RuleSet.model_validate(data)
    except ValidationError as exc:
        raise RulesError("rules_invalid", kind=Phrase("file_rules"), path=str(path),
                         problems=describe_errors(exc, text=raw.decode("utf-8-sig"))) from None
    try:
        text = raw.decode("utf-8")  # a BOM kept, so that the text gives back the bytes hashed
    except UnicodeDecodeError:
        text = None
    return LoadedRules(rules=rules, path=path, sha256=hashlib.sha256(raw).hexdigest(), text=text, retired=retired)
