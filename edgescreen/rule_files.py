"""Rule sets a county can read, copy and validate: the library behind `edgescreen rules list|show|
check|new` (a notebook can call these; the command line only prints what they return)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from decimal import Decimal
from pathlib import Path

from .catalogue import Phrase, fields
from .errors import RulesError
from .outputs.folder import atomic_file, target_exists
from .rules import (
    DEFAULT_RULES,
    LoadedRules,
    Parameter,
    RuleSet,
    line_of,
    load_rules,
    resolve_rules_path,
    shipped_rule_sets,
)


def year_span(rules: RuleSet) -> str:
    years = rules.years
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def bounds_text(loaded: LoadedRules, year: int | None = None) -> Phrase | str:
    """'3218 < per-capita < 4000' for the year (default: the latest), or '—' where none are in force."""
    try:
        b = loaded.bounds(year)
    except RulesError:
        return "—"
    if b.lower:
        return Phrase("rules_band", lower=str(b.lower.value), upper=str(b.upper.value))
    return Phrase("rules_band_no_lower", upper=str(b.upper.value))


def list_rule_sets(folder: Path | None = None) -> list[dict]:
    """The shipped rule sets (or the rule files in `folder`): id, title, years, bounds, path; a file
    that does not load is listed with its error. A `folder` that is not one, or holds no rules file,
    is a RulesError: a mistyped folder must not list as an empty one."""
    if folder is not None:
        folder = Path(folder)
        if not folder.exists():
            raise RulesError("rules_folder_missing", path=str(folder))
        if not folder.is_dir():
            raise RulesError("rules_folder_is_file", path=str(folder))
    paths = shipped_rule_sets() if folder is None else {p.stem: p for p in sorted(folder.glob("*.toml"))}
    rows = []
    for name, path in paths.items():
        try:
            loaded = load_rules(path)
        except RulesError as exc:
            if folder is not None and looks_like_cases(path):
                continue
            rows.append({"id": name, "title": "", "years": "", "bounds": "", "path": str(path),
                         "error": str(exc)})
            continue
        r = loaded.rules
        rows.append({"id": r.id, "title": r.title, "years": year_span(r), "latest_year": r.latest_year,
                     "bounds": bounds_text(loaded), "path": str(path), "error": ""})
    if folder is not None and not rows:
        raise _no_rules_files(folder, cases=len(paths))
    return rows


def _no_rules_files(folder: Path, cases: int) -> RulesError:
    """A folder without rules files, with what may have been meant: rule-test files, or a file Notepad
    saved as 农安县.toml.txt (its 保存类型 left at 文本文档)."""
    saved_as_txt = sorted(p.name for p in folder.glob("*.toml.txt"))
    if saved_as_txt:
        note = Phrase("rules_folder_txt", files=saved_as_txt[:3], name=saved_as_txt[0][:-4])
    elif cases:
        note = Phrase("rules_folder_only_cases", count=cases)
    else:
        note = ""
    return RulesError("rules_folder_empty", path=str(folder), note=note)


def _dated(v) -> dict:
    return {"effective": v.effective.isoformat(), "value": str(v.value), "source": v.source}


def in_force_table(rules: RuleSet, years: list[int] | None = None) -> list[dict]:
    """For each income year, the value of each bound in force (None where none is)."""
    if years is None:
        span = rules.years
        years = list(range(span[0], span[-1] + 1))
    rows = []
    for year in years:
        row: dict = {"year": year}
        for key, param in rules.parameters().items():
            v = param.in_force(year)
            row[key] = None if v is None else {"value": str(v.value), "effective": v.effective.isoformat()}
        row["screenable"] = all(row[k] is not None for k in rules.parameters())
        rows.append(row)
    return rows


def describe_rule_set(loaded: LoadedRules, years: list[int] | None = None) -> dict:
    """Everything in a rule set, as data: parameters with every dated value and source, the value in
    force per income year, exclusions, the income definition, the check thresholds."""
    r = loaded.rules
    by_name = fields().by_name

    def sum_def(s):
        return {"components": [{"field": c, "header": by_name[c].header} for c in s.components],
                "total": {"field": s.total, "header": by_name[s.total].header}}

    def param(p: Parameter | None):
        if p is None:
            return None
        return {"description": p.description, "unit": p.unit, "values": [_dated(v) for v in p.values]}

    return {
        "id": r.id, "title": r.title, "basis": r.basis, "description": r.description.strip(), "reference": r.reference,
        "target": r.target_words(),  # None: the catalogue's 贫困边缘户
        "path": str(loaded.path), "sha256": loaded.sha256,
        "years": r.years, "latest_year": r.latest_year,
        "lower_bound": param(r.lower_bound), "upper_bound": param(r.upper_bound),
        "in_force": in_force_table(r, years),
        "exclude": r.exclude.model_dump(),
        "income": sum_def(r.income), "expenses": sum_def(r.expenses),
        "checks": {k: (list(v) if isinstance(v, (list, tuple)) else v if isinstance(v, int) else str(v))
                   for k, v in r.checks.model_dump().items()},
        "reference_figures": [{"region": f.region, **_dated(f)} for f in r.reference_figures],
    }


def example_figures(rules: RuleSet) -> list[Phrase]:
    """Warnings about figures a county has not made its own yet: a value whose source says it is an
    example, a title that still says 示例."""
    warnings = []
    for key, p in rules.parameters().items():
        for v in p.values:
            if "示例" in v.source or "example" in v.source.lower():
                warnings.append(Phrase("rules_warn_example", key=key, effective=str(v.effective), value=str(v.value)))
    if "示例" in rules.title:
        warnings.append(Phrase("rules_warn_title", title=rules.title))
    return warnings


def examples_in_force(rules: RuleSet, bounds) -> list[Phrase]:
    """The warnings of `example_figures` about the values a run used (`bounds`: its Bounds): a
    threshold that is the file's example, not the county's own figure."""
    used = {(key, str(v.effective)) for key, v in (("lower_bound", bounds.lower), ("upper_bound", bounds.upper)) if v}
    return [w for w in example_figures(rules)
            if w.key == "rules_warn_example" and (w.params["key"], w.params["effective"]) in used]


def left_out_components(rules: RuleSet, plan: RuleSet | None = None) -> list[tuple[str, str]]:
    """The components of the plan's formula (domain §3, as the default rule set writes it: 家庭总收入 =
    工资性收入 + 家庭经营收入 + 财产性收入 + 转移性收入, and the three expenses) that `rules` does not
    count, as (side, field): ("income", "property_income"). A survey's amounts in them are not read.
    `plan`: the default rule set, where the caller has loaded it already."""
    plan = plan or load_rules(DEFAULT_RULES).rules
    return [(side, name) for side in ("income", "expenses")
            for name in getattr(plan, side).components if name not in getattr(rules, side).components]


def formula_text(rules: RuleSet, side: str) -> str:
    """'家庭总收入 = 工资性收入 + 家庭经营收入 + …': a side of the income definition by its headers."""
    by_name = fields().by_name
    definition = getattr(rules, side)
    return f"{by_name[definition.total].header} = " + " + ".join(by_name[c].header for c in definition.components)


# A total and its components differ by rounding: a few yuan. A tolerance this large lets a component
# left out of the total (a property income of a few hundred yuan) pass without a word.
TOLERANCE_WARN = Decimal(100)


def check_rules_file(path: str | Path) -> tuple[LoadedRules, list[Phrase]]:
    """Load a county's rules file strictly (raises RulesError with every problem) and return it with
    warnings about things that load but are probably not meant (an example figure left in place, a
    component of the plan's formula left out, a tolerance that lets any total pass)."""
    loaded = load_rules(Path(path))
    r = loaded.rules
    warnings = example_figures(r)
    for retired in loaded.retired:  # an earlier version's key, left out on load: said here, on its line
        warnings.append(Phrase("rules_warn_retired_key", line=retired.line or "?", key=retired.key,
                               what=Phrase(retired.what), replaced=list(retired.replaced_by)))
    if not r.basis:
        warnings.append(Phrase("rules_warn_no_basis"))
    plan = load_rules(DEFAULT_RULES).rules
    by_name = fields().by_name
    for side, name in left_out_components(r, plan):
        warnings.append(Phrase("rules_warn_component_left_out", side=side, field=name, header=by_name[name].header,
                               formula=formula_text(plan, side)))
    if r.checks.amount_tolerance >= TOLERANCE_WARN:
        warnings.append(Phrase("rules_warn_tolerance", tolerance=str(r.checks.amount_tolerance)))
    latest = max(v.effective for p in r.parameters().values() for v in p.values)
    if latest > dt.date.today():
        warnings.append(Phrase("rules_warn_future", date=str(latest), year=latest.year))
    taken = shipped_id_taken(loaded)
    if taken is not None:
        warnings.append(taken)
    return loaded, warnings


def _figures(rules: RuleSet) -> dict[str, list[tuple[dt.date, Decimal]]]:
    return {key: [(v.effective, v.value) for v in p.values] for key, p in rules.parameters().items()}


def shipped_id_taken(loaded: LoadedRules) -> Phrase | None:
    """A warning where a county's own file keeps the id of a rule set shipped with edgescreen (copied
    by hand, not by rules new) but has other figures: every output would print that id and title (长春
    市…(2019)) over the county's figures. None for the shipped file itself, or a copy with its figures."""
    r = loaded.rules
    shipped = shipped_rule_sets().get(r.id)
    if shipped is None or loaded.path.resolve() == shipped.resolve():
        return None
    theirs = load_rules(shipped).rules
    ours, original = _figures(r), _figures(theirs)
    if ours == original:
        return None
    # The first figure that differs, as an example: the county sees which of its changes is meant.
    differs = next(((key, when, value, dict(original.get(key, [])).get(when)) for key, values in ours.items()
                    for when, value in values if dict(original.get(key, [])).get(when) != value), None)
    example = "" if differs is None else Phrase(
        "rules_warn_shipped_id_example" if differs[3] is not None else "rules_warn_shipped_id_added",
        key=differs[0], effective=str(differs[1]), value=str(differs[2]), shipped=str(differs[3]))
    line = line_of(loaded.text, ("id",)) if loaded.text else None
    return Phrase("rules_warn_shipped_id", path=str(loaded.path), id=r.id, title=theirs.title, example=example,
                  line=line or "?")


_ID_LINE = re.compile(r'^id\s*=\s*"[^"]*"\s*$', re.MULTILINE)


def new_rules_file(target: str | Path, source: str | Path = DEFAULT_RULES, *, force: bool = False) -> Path:
    """Write a commented copy of a rule set (by default the default one) for a county to edit. Its id
    is the file's name; everything else, comments included, is the source's, ready to change."""
    target = Path(target)
    if target.suffix.lower() != ".toml":
        raise RulesError("rules_name_not_toml", path=str(target), example=f"{target.stem or 'county'}.toml")
    if target_exists(target) and not force:
        raise RulesError("file_exists", path=str(target))
    src = resolve_rules_path(source)
    original = load_rules(src)  # never hand out a copy of a file that does not load
    new_id = re.sub(r"[^\w.\-]+", "-", target.stem).strip("-") or "county"
    text = src.read_text(encoding="utf-8-sig")
    text = _ID_LINE.sub(f'id = "{new_id}"', text, count=1)
    today = dt.date.today().isoformat()
    banner = (
        f"# 本文件由 edgescreen rules new 于 {today} 复制自规则集 {original.rules.id}。\n"
        "# 修改数值时,同时写明生效日期(effective)和出处(source);改完运行:\n"
        f"#   edgescreen rules check {target.name}\n"
        f"#   edgescreen screen 调查表.xlsx --rules {target.name}\n"
        f"# Copied from rule set {original.rules.id} by `edgescreen rules new` on {today}. When you change a\n"
        "# value, give its effective date and its source; then run `edgescreen rules check` on this file.\n#\n"
    )
    with atomic_file(target, reserve=True) as tmp:
        # With a BOM and CRLF, as Notepad on a county office's Windows reads Chinese and lines right.
        tmp.write_text(banner + text, encoding="utf-8-sig", newline="\r\n")
        load_rules(tmp)  # the copy must load before it takes the name
    return target


def looks_like_cases(path: Path) -> bool:
    """Whether a .toml file is a rule-test file (it has [[case]] entries) rather than a rule set."""
    try:
        return "case" in tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


def uncounted_columns(result) -> list[dict]:
    """The survey's filled columns that the run's rule set does not count (a component of the plan's
    formula left out of its [income] or [expenses]): each with the side, the field, where the column
    stands (file, sheet, letter, header as typed), how many households filled it with an amount other
    than 0, and how many of those had their total found not to match (the total counts the amount;
    the rule set's sum does not). `result`: a pipeline.Result."""
    df, index = result.households, result.issue_index
    found = []
    for side, name in left_out_components(result.rule_set):
        column = f"{name}_fen"
        if column not in df.columns:
            continue
        filled = (df[column].fillna(0) != 0).to_numpy(dtype=bool)
        if not filled.any():
            continue
        places = [(record.name, sheet.name, sheet.columns[name]) for record in result.inputs
                  for sheet in record.sheets if name in sheet.columns]
        code = "total_income_mismatch" if side == "income" else "expenses_mismatch"
        mismatched = index.loc[index["code"] == code, "hh"].unique()
        found.append({"side": side, "field": name, "total": getattr(result.rule_set, side).total, "places": places,
                      "households": int(filled.sum()), "mismatched": int(filled[mismatched].sum())})
    return found
