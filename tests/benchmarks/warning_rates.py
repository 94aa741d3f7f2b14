"""Warning rates: how many households of a generated county each check flags, against a budget.

    python tests/benchmarks/warning_rates.py                          # clean, 100,000 households, CSV
    python tests/benchmarks/warning_rates.py --format xlsx --json rates.json
    python tests/benchmarks/warning_rates.py --profile messy -n 20000

Issue 11: on a realistic clean county, at most 0.5 % of households may carry any warning, and none an
error. The county comes from county.py (--profile, default clean; generated once into --data and
reused). edgescreen runs on it as a clerk runs it, `edgescreen screen FILE --lang en -o TMP` (with
--as-of, so heads' ages are those of the survey year), and the counts come from its own outputs:
households from decisions.csv, issues from issues.csv, a household being its source_file, sheet and
row. Reported per code: the households flagged and their share, and where it fires (field, the values
as typed, the flagged households' statuses and per-capita income), so that a false-positive-prone check
shows what it fires on.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from county import PROFILES, survey

KEY = ["source_file", "sheet", "row"]


def screen(path: Path, out: Path, as_of: str) -> None:
    cmd = [sys.executable, "-m", "edgescreen", "screen", str(path), "--lang", "en", "-o", str(out), "--as-of", as_of]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"edgescreen exited {done.returncode}:\n{done.stderr[-3000:]}")


def read_outputs(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(decisions, issues) as text, each with a `household` key."""
    def read(name: str, columns: list[str]) -> pd.DataFrame:
        return pd.read_csv(out / name, encoding="utf-8-sig", dtype=str, keep_default_na=False, usecols=columns)

    decisions = read("decisions.csv", [*KEY, "residents", "per_capita_income", "status"])
    issues = read("issues.csv", [*KEY, "field", "value", "code", "severity"])
    for frame in (decisions, issues):
        frame["household"] = frame["source_file"] + "\x1f" + frame["sheet"] + "\x1f" + frame["row"]
    return decisions, issues


def _amounts(values: pd.Series) -> str:
    """The range of the values as typed, when they are amounts: 'min–median–max'."""
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    if len(numbers) < len(values) / 2:
        return ""
    q = numbers.quantile([0, 0.5, 1]).round(2).tolist()
    return "–".join(f"{v:g}" for v in q)


def rates(decisions: pd.DataFrame, issues: pd.DataFrame, examples: int) -> dict:
    households = len(decisions)
    per_household = issues[issues["row"] != ""]
    by_household = decisions.set_index("household")
    codes = []
    for (severity, code), group in per_household.groupby(["severity", "code"], sort=False):
        flagged = group["household"].unique()
        where = []
        for field, hits in group.groupby("field", sort=False):
            homes = by_household.loc[hits["household"].unique()]
            per_capita = pd.to_numeric(homes["per_capita_income"], errors="coerce")
            where.append({
                "field": field,
                "households": int(hits["household"].nunique()),
                "values": "" if field in ("head_id", "phone") else _amounts(hits["value"]),
                "examples": hits["value"].head(examples).tolist(),
                "statuses": homes["status"].value_counts().head(3).to_dict(),
                "per_capita_median": None if per_capita.isna().all() else round(float(per_capita.median())),
                "residents": homes["residents"].value_counts().head(3).to_dict(),
            })
        codes.append({"severity": severity, "code": code, "households": len(flagged),
                      "share": len(flagged) / households, "issues": len(group),
                      "where": sorted(where, key=lambda w: -w["households"])})
    codes.sort(key=lambda c: (c["severity"] != "error", -c["households"]))
    def any_of(severity: str) -> int:
        return int(per_household.loc[per_household["severity"] == severity, "household"].nunique())

    return {
        "households": households,
        "codes": codes,
        "households_with_any_warning": any_of("warning"),
        "households_with_any_error": any_of("error"),
        "file_level_issues": issues.loc[issues["row"] == "", ["code", "severity", "field"]].to_dict("records"),
        "statuses": decisions["status"].value_counts().to_dict(),
    }


def report(result: dict, budget: float) -> str:
    n = result["households"]
    lines = [(f"warning rates — {result['profile']} profile, {result['format']}, {n:,} households "
              f"(edgescreen screen --lang en --as-of {result['as_of']})"), ""]
    lines.append(f"{'severity':<9}{'code':<26}{'households':>11}{'share':>9}{'issues':>9}  fields (households)")
    for c in result["codes"]:
        fields = "; ".join(f"{w['field']} {w['households']:,}" for w in c["where"])
        lines.append(f"{c['severity']:<9}{c['code']:<26}{c['households']:>11,}{c['share']:>8.2%}{c['issues']:>9,}  {fields}")
    if not result["codes"]:
        lines.append("(no issue on any household)")
    warned, errors = result["households_with_any_warning"], result["households_with_any_error"]
    lines.append("")
    lines.append(f"any warning: {warned:,} households, {warned / n:.2%} (budget {budget:.2%}): "
                 + ("MET" if warned / n <= budget else "NOT MET"))
    lines.append(f"any error: {errors:,} households, {errors / n:.2%}"
                 + (" (clean data should have none)" if result["profile"] == "clean" and errors else ""))
    if result["file_level_issues"]:
        lines.append(f"issues without a row (file or sheet level): {result['file_level_issues']}")
    lines.append(f"statuses: {result['statuses']}")
    if result["codes"]:
        lines += ["", ("where each fires (values as typed: min–median–max; statuses and per-capita income of "
                       "the flagged households)")]
        for c in result["codes"]:
            for w in c["where"]:
                statuses = ", ".join(f"{k} {v:,}" for k, v in w["statuses"].items())
                residents = ", ".join(f"{k}: {v:,}" for k, v in w["residents"].items())
                lines.append(f"  {c['code']} · {w['field']}: {w['households']:,} households; "
                             f"values {w['values'] or '—'}; e.g. {', '.join(map(repr, w['examples']))}; "
                             f"{statuses}; median per-capita {w['per_capita_median']}; residents {residents}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--profile", choices=PROFILES, default="clean")
    parser.add_argument("-n", "--households", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "edgescreen-bench",
                        help="where generated surveys are kept and reused")
    parser.add_argument("--as-of", default="2020-06-30", help="date heads' ages are computed at")
    parser.add_argument("--budget", type=float, default=0.5, help="percent of households any warning may hit")
    parser.add_argument("--examples", type=int, default=4, help="values shown per code and field")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)

    path = survey(args.profile, args.format, args.households, args.data)
    with tempfile.TemporaryDirectory(prefix="edgescreen-rates-") as tmp:
        out = Path(tmp) / "out"
        screen(path, out, args.as_of)
        decisions, issues = read_outputs(out)
    result = {"profile": args.profile, "format": args.format, "file": path.name, "as_of": args.as_of,
              "budget": args.budget / 100, **rates(decisions, issues, args.examples)}
    print(report(result, args.budget / 100))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
