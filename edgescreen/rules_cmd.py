"""`edgescreen rules list|show|check|new|test`: rule sets a county can read, copy, validate and test.

The library functions come first (a notebook can call them); the typer sub-app at the end only
parses options, prints and maps errors to exit codes.

Rule tests are data, as in OpenFisca: a TOML file of named cases, each one household's cells as a
clerk would type them and the status and per-capita income the rule set must give. Each case is
screened through the real pipeline (written to a one-row CSV, read, parsed, checked, classified), so
a case tests exactly what `edgescreen screen` would decide.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Optional, Union

import typer
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from rich.markup import escape as esc
from rich.table import Table

from .catalogue import STATUSES, alias_index, fields, header_keys
from .errors import EdgescreenError, RulesError
from .rules import (DEFAULT_RULES, Date, LoadedRules, Parameter, RuleSet, describe_errors, load_rules,
                    resolve_rules_path, shipped_rule_sets, toml_error_message)

# ---------------------------------------------------------------------------------------------
# Reading rule sets


def year_span(rules: RuleSet) -> str:
    years = rules.years
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"


def bounds_text(loaded: LoadedRules, year: int | None = None) -> str:
    """'3218 < per-capita < 4000' for the year (default: the latest), or why there are none."""
    try:
        b = loaded.bounds(year)
    except RulesError:
        return "—"
    upper = f"{b.upper.value}"
    return f"{b.lower.value} < 人均 < {upper}" if b.lower else f"人均 < {upper}"


def list_rule_sets(folder: Path | None = None) -> list[dict]:
    """The shipped rule sets (or the rule files in `folder`): id, title, years, bounds, path; a file
    that does not load is listed with its error."""
    paths = shipped_rule_sets() if folder is None else {p.stem: p for p in sorted(Path(folder).glob("*.toml"))}
    rows = []
    for name, path in paths.items():
        try:
            loaded = load_rules(path)
        except RulesError as exc:
            if folder is not None and _looks_like_cases(path):
                continue
            rows.append({"id": name, "title": "", "years": "", "bounds": "", "path": str(path),
                         "error": str(exc)})
            continue
        r = loaded.rules
        rows.append({"id": r.id, "title": r.title, "years": year_span(r), "latest_year": r.latest_year,
                     "bounds": bounds_text(loaded), "path": str(path), "error": ""})
    return rows


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
        "id": r.id, "title": r.title, "description": r.description.strip(), "reference": r.reference,
        "path": str(loaded.path), "sha256": loaded.sha256,
        "years": r.years, "latest_year": r.latest_year,
        "lower_bound": param(r.lower_bound), "upper_bound": param(r.upper_bound),
        "in_force": in_force_table(r, years),
        "exclude": r.exclude.model_dump(),
        "income": sum_def(r.income), "expenses": sum_def(r.expenses),
        "checks": {k: (str(v) if not isinstance(v, int) else v) for k, v in r.checks.model_dump().items()},
        "reference_figures": [{"region": f.region, **_dated(f)} for f in r.reference_figures],
    }


def check_rules_file(path: str | Path) -> tuple[LoadedRules, list[str]]:
    """Load a county's rules file strictly (raises RulesError with every problem) and return it with
    warnings about things that load but are probably not meant (an example figure left in place)."""
    loaded = load_rules(Path(path))
    warnings = []
    r = loaded.rules
    for key, p in r.parameters().items():
        for v in p.values:
            if "示例" in v.source or "example" in v.source.lower():
                warnings.append(f"{key} from {v.effective}: {v.value} is marked as an example in its source; "
                                "put in your own province's figure and the document it comes from")
    if "示例" in r.title:
        warnings.append(f"the title still says 示例 (example): {r.title}")
    latest = max(v.effective for p in r.parameters().values() for v in p.values)
    if latest > dt.date.today():
        warnings.append(f"a value takes effect on {latest}, after today: it applies only with --year "
                        f"{latest.year} or later")
    return loaded, warnings


_ID_LINE = re.compile(r'^id\s*=\s*"[^"]*"\s*$', re.MULTILINE)


def new_rules_file(target: str | Path, source: str | Path = DEFAULT_RULES, *, force: bool = False) -> Path:
    """Write a commented copy of a rule set (by default the default one) for a county to edit. Its id
    is the file's name; everything else, comments included, is the source's, ready to change."""
    target = Path(target)
    if target.suffix.lower() != ".toml":
        raise RulesError(f"{target}: a rules file's name ends in .toml (e.g. {target.stem or 'county'}.toml).")
    if target.exists() and not force:
        raise RulesError(f"{target}: already exists. Choose another name, or add --force to replace it.")
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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(banner + text)
        load_rules(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


# ---------------------------------------------------------------------------------------------
# Rule tests as data


class CaseError(EdgescreenError):
    """A rule-test file that cannot be read or does not validate."""


CellValue = Union[bool, int, float, str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Expect(_Strict):
    status: Literal[tuple(STATUSES)]  # type: ignore[valid-type]
    per_capita: Optional[str] = None  # yuan with two decimals as in the ledger; "" for not computable
    net_income: Optional[str] = None
    reasons: tuple[str, ...] = ()  # codes that must all be among the ledger's reasons

    @field_validator("per_capita", "net_income", mode="before")
    @classmethod
    def _money_text(cls, value):
        if isinstance(value, float):
            raise ValueError('write expected amounts as quoted text with two decimals, e.g. "3218.00"')
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value}.00"
        if isinstance(value, str) and value and not re.fullmatch(r"-?\d+\.\d{2}", value):
            raise ValueError(f'{value!r}: write it with two decimals, e.g. "3218.00" (or "" for not computable)')
        return value


class Case(_Strict):
    name: str = Field(min_length=1)
    note: str = ""
    year: Optional[int] = None
    inputs: dict[str, CellValue]
    expect: Expect


class CaseFile(_Strict):
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
            raise ValueError(f"case names must be unique; given more than once: {', '.join(dup)}")
        return self


@dataclass
class LoadedCases:
    path: Path
    cases: CaseFile
    rules: LoadedRules


@dataclass
class CaseResult:
    name: str
    passed: bool
    expected: dict
    got: dict
    problems: list[str] = field(default_factory=list)
    year: int | None = None

    def explain(self) -> str:
        lines = [f"case {self.name!r} (income year {self.year}):"]
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


def _looks_like_cases(path: Path) -> bool:
    try:
        return "case" in tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False


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
        raise CaseError(f"{path}: no such rule-test file.")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(toml_error_message(path, text, exc).replace("rules file", "rule-test file", 1)) from None
    if "case" not in data and "upper_bound" in data:
        raise CaseError(f"{path}: this is a rules file, not a rule-test file. `edgescreen rules test` runs "
                        "a file of [[case]] entries; check a rules file with `edgescreen rules check`.")
    try:
        cases = CaseFile.model_validate(data)
    except ValidationError as exc:
        raise CaseError(f"rule-test file {path} does not validate:\n{describe_errors(exc, CaseFile)}") from None
    for c in cases.case:
        for key in (*cases.defaults, *c.inputs):
            if _field_for(key) is None:
                where = "defaults" if key in cases.defaults and key not in c.inputs else f"case {c.name!r}"
                raise CaseError(f"rule-test file {path}, {where}: {key!r} is not a field of the form. Use a "
                                "field name (wage_income) or a header (工资性收入).")
    if isinstance(rules, LoadedRules):
        loaded = rules
    else:
        spec = rules if rules is not None else cases.rules
        if rules is None and spec not in shipped_rule_sets():
            spec = path.parent / spec
        loaded = load_rules(spec)
    return LoadedCases(path=path, cases=cases, rules=loaded)


def _cell_text(value: CellValue) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _test_id(serial: int) -> str:
    import pandas as pd

    from .checks import id_check_characters

    prefix = f"22012219700101{serial % 1000:03d}"
    return prefix + id_check_characters(pd.Series([prefix])).iloc[0]


def case_row(loaded: LoadedCases, case: Case, serial: int = 1) -> dict[str, str]:
    """The household a case describes, as cell text by field: built-in defaults (a test township and
    village, a valid ID, 否 for each yes/no field), then the file's defaults, then the case's inputs.
    A side of the income definition the case does not mention at all is given as a total of 0."""
    row = {"township": "测试乡", "village": "测试村", "head_name": "测试户", "head_id": _test_id(serial),
           "is_dibao": "否", "is_tekun": "否", "is_registered_poor": "否"}
    for source in (loaded.cases.defaults, case.inputs):
        for key, value in source.items():
            row[_field_for(key)] = _cell_text(value)
    r = loaded.rules.rules
    for definition in (r.income, r.expenses):
        if not any(f in row for f in (*definition.components, definition.total)):
            row[definition.total] = "0"
    return row


def run_case(loaded: LoadedCases, case: Case, serial: int = 1) -> CaseResult:
    """Screen the case's household through the real pipeline and compare with what it expects."""
    from .pipeline import screen

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
        bounds_year = loaded.rules.bounds(year).year
        as_of = loaded.cases.as_of or dt.date(bounds_year + 1, 6, 30)
        try:
            result = screen([csv_path], loaded.rules, year=year, as_of=as_of)
        except EdgescreenError as exc:
            return CaseResult(case.name, False, case.expect.model_dump(), {}, [f"cannot be screened: {exc}"],
                              bounds_year)
    ledger = result.ledger.iloc[0]
    got = {"status": ledger["status"], "per_capita": ledger["per_capita_income"],
           "net_income": ledger["net_income"], "reasons": [r for r in ledger["reasons"].split(";") if r]}
    expect = case.expect
    problems = []
    if got["status"] != expect.status:
        problems.append(f"status: expected {expect.status}, got {got['status']} (reasons: {ledger['reasons']})")
    for key in ("per_capita", "net_income"):
        want = getattr(expect, key)
        if want is not None and got[key] != want:
            problems.append(f"{key}: expected {want!r}, got {got[key]!r}")
    missing = [r for r in expect.reasons if r not in got["reasons"]]
    if missing:
        problems.append(f"reasons: expected {', '.join(missing)} among {ledger['reasons']!r}")
    return CaseResult(case.name, not problems, expect.model_dump(), got, problems, result.bounds.year)


def run_cases(path: str | Path, rules: str | Path | LoadedRules | None = None) -> tuple[LoadedCases, list[CaseResult]]:
    loaded = load_cases(path, rules)
    return loaded, [run_case(loaded, c, i) for i, c in enumerate(loaded.cases.case, start=1)]


def case_files(paths: list[Path]) -> list[Path]:
    """Files as given; folders expanded to the rule-test files (.toml with [[case]]) inside them."""
    found = []
    for p in paths:
        if p.is_dir():
            inside = [f for f in sorted(p.glob("*.toml")) if _looks_like_cases(f)]
            if not inside:
                raise CaseError(f"{p}: the folder holds no rule-test files (.toml files of [[case]] entries).")
            found.extend(inside)
        else:
            found.append(p)
    return found


# ---------------------------------------------------------------------------------------------
# The command line

rules_app = typer.Typer(
    name="rules",
    help="Rule sets: list them, show one, check or start a county's own file, run rule tests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

RuleSpec = Annotated[str, typer.Argument(help="A shipped rule-set id (e.g. changchun-2019, monitoring) or the path of a rules file.",
                                         show_default=False)]


def _console():
    from .cli import out

    return out


def _guard(fn):
    from .cli import run_guarded

    return run_guarded(fn)


@rules_app.command("list")
def list_cmd(
    folder: Annotated[Optional[Path], typer.Argument(help="A folder of county rules files to list instead of the shipped ones.",
                                                     show_default=False)] = None,
) -> None:
    """List rule sets: id, title, years with values, the bounds in force in the latest year."""
    rows = _guard(lambda: list_rule_sets(folder))
    table = Table(title="edgescreen rule sets" if folder is None else f"rule files in {folder}")
    for col in ("id", "title", "years", "bounds (latest year)", "file"):
        table.add_column(col, overflow="fold")
    for r in rows:
        if r["error"]:
            table.add_row(esc(r["id"]), "[red]does not load: run edgescreen rules check[/]", "", "", esc(r["path"]))
        else:
            table.add_row(*(esc(r[k]) for k in ("id", "title", "years", "bounds", "path")))
    _console().print(table)


def _print_rule_set(d: dict) -> None:
    out = _console()
    out.print(f"[bold]{esc(d['id'])}[/] — {esc(d['title'])}", highlight=False)
    out.print(f"file: {d['path']}\nsha256: {d['sha256']}", highlight=False, markup=False)
    if d["reference"]:
        out.print(f"reference: {d['reference']}", highlight=False, markup=False)
    if d["description"]:
        out.print(d["description"], highlight=False, markup=False)
    for key, meaning in (("lower_bound", "exclusive: per-capita net income must be above it"),
                         ("upper_bound", "exclusive: per-capita net income must be below it")):
        p = d[key]
        if p is None:
            out.print(f"\n[bold]{key}[/]: none (no lower bound: every household below the upper bound counts)")
            continue
        table = Table(title=f"{key} ({p['unit']}; {meaning})", title_justify="left", show_lines=False)
        table.add_column("effective")
        table.add_column("value", justify="right")
        table.add_column("source", overflow="fold")
        for v in p["values"]:
            table.add_row(v["effective"], v["value"], esc(v["source"]))
        out.print()
        if p["description"]:
            out.print(p["description"], highlight=False, markup=False)
        out.print(table)
    table = Table(title="value in force by income year (--year)", title_justify="left")
    table.add_column("year")
    keys = [k for k in ("lower_bound", "upper_bound") if d[k] is not None]
    for k in keys:
        table.add_column(k, justify="right")
    table.add_column("")
    for row in d["in_force"]:
        cells = [f"{row[k]['value']} (from {row[k]['effective']})" if row[k] else "—" for k in keys]
        table.add_row(str(row["year"]), *cells, "" if row["screenable"] else "cannot screen this year")
    out.print()
    out.print(table)
    ex = d["exclude"]
    yes_no = lambda b: "excluded" if b else "not excluded"  # noqa: E731
    out.print(f"\nexclusions: 低保户 {yes_no(ex['dibao'])}; 特困人员 {yes_no(ex['tekun'])}; "
              f"建档立卡贫困户 {yes_no(ex['registered_poor'])}", highlight=False, markup=False)
    for key, name in (("income", "家庭总收入"), ("expenses", "家庭生产经营性支出")):
        s = d[key]
        parts = " + ".join(f"{c['header']} ({c['field']})" for c in s["components"])
        out.print(f"{key}: {name} = {parts}; or the form's {s['total']['header']} ({s['total']['field']})"
                  " where the components are not given", highlight=False, markup=False)
    out.print("checks: " + "; ".join(f"{k} = {v}" for k, v in d["checks"].items()), highlight=False, markup=False)
    if d["reference_figures"]:
        table = Table(title="figures found elsewhere (for comparison; not applied)", title_justify="left")
        for col in ("region", "effective", "value", "source"):
            table.add_column(col, overflow="fold")
        for f in d["reference_figures"]:
            table.add_row(esc(f["region"]), f["effective"], f["value"], esc(f["source"]))
        out.print()
        out.print(table)


@rules_app.command("show")
def show_cmd(
    rules: RuleSpec,
    year: Annotated[Optional[list[int]], typer.Option("--year", help="Show the values in force for this income year (repeatable). Default: every year the rule set spans.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rule set as JSON.")] = False,
) -> None:
    """Show a rule set: every parameter, each dated value with its source, the value in force per year."""
    d = _guard(lambda: describe_rule_set(load_rules(rules), year or None))
    if as_json:
        typer.echo(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        _print_rule_set(d)


@rules_app.command("check")
def check_cmd(
    file: Annotated[Path, typer.Argument(help="The county's rules file (.toml).", show_default=False)],
) -> None:
    """Validate a county's rules file: exit 0 if it loads, 1 with every problem if it does not."""
    from .cli import fail

    if not file.is_file():
        raise fail(f"{file}: no such file.")
    try:
        loaded, warnings = check_rules_file(file)
    except RulesError as exc:
        raise fail(str(exc), 1) from None
    r = loaded.rules
    out = _console()
    out.print(f"OK: {file} — {r.id}, {r.title}", highlight=False, markup=False)
    for row in in_force_table(r):
        if row["screenable"]:
            out.print(f"  income year {row['year']}: {bounds_text(loaded, row['year'])}", highlight=False)
    for w in warnings:
        out.print(f"[yellow]warning:[/] {esc(w)}", highlight=False)


@rules_app.command("new")
def new_cmd(
    file: Annotated[Path, typer.Argument(help="The new rules file to write, e.g. 农安县.toml.", show_default=False)],
    source: Annotated[str, typer.Option("--from", help="The rule set to copy (id or file).")] = DEFAULT_RULES,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Start a county's own rules file: a commented copy of the default rule set (or of --from)."""
    target = _guard(lambda: new_rules_file(file, source, force=force))
    out = _console()
    out.print(f"wrote {target}: edit the values and their sources, then run", highlight=False, markup=False)
    out.print(f"  edgescreen rules check {target}\n  edgescreen screen SURVEY.xlsx --rules {target}", highlight=False, markup=False)


@rules_app.command("test")
def test_cmd(
    files: Annotated[list[Path], typer.Argument(help="Rule-test files (TOML of [[case]] entries) or folders of them.",
                                                show_default=False)],
    rules: Annotated[Optional[str], typer.Option("--rules", "-r", help="Run the cases against this rule set instead of the one each file names.")] = None,
) -> None:
    """Run rule tests: each case's household is screened and its status and per-capita compared."""
    def job():
        results = []
        for path in case_files(files):
            results.append(run_cases(path, rules))
        return results

    runs = _guard(job)
    out = _console()
    failed = 0
    for loaded, results in runs:
        table = Table(title=esc(f"{loaded.path} — rules {loaded.rules.rules.id}"), title_justify="left")
        for col in ("", "case", "expected", "got"):
            table.add_column(col, overflow="fold")
        for r in results:
            want = r.expected["status"] + (f" {r.expected['per_capita']}" if r.expected["per_capita"] is not None else "")
            got = (r.got.get("status", "") + (f" {r.got.get('per_capita', '')}" if r.got else "")).strip()
            mark = "[green]pass[/]" if r.passed else "[red]FAIL[/]"
            table.add_row(mark, esc(r.name), want, got)
        out.print(table)
        for r in results:
            if not r.passed:
                failed += 1
                out.print(f"[red]FAIL[/] {esc(r.explain())}", highlight=False)
    total = sum(len(r) for _, r in runs)
    out.print(f"{total - failed} of {total} cases passed.", highlight=False)
    if failed:
        raise typer.Exit(1)
