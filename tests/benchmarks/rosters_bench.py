"""Benchmark of 信息比对 (issue 14): a county screened with its members and five rosters, against the
same county screened bare.

    python tests/benchmarks/rosters_bench.py                        # 1,000,000 households, 2 runs each
    python tests/benchmarks/rosters_bench.py -n 200000 --runs 1 --timeout 600

The survey is county.py's `clean` CSV (generated once into --data, default /tmp/edgescreen-bench, and
reused). Beside it, generated here (vectorised, deterministic) and also kept in --data:

- members.csv: each household's registered members (家庭人口数; the residents where it is blank), the
  head first with the household's own ID, a spouse near the head's age, then children at least 20
  years younger; the first 家庭常住人口数 of them marked 是否常住 = 是. Each row has 乡(镇), 行政村, 户编号 and
  户主身份证号, so members link by 户编号 where the survey has it and by the head's ID where it has not
  (12 % of villages leave 户编号 blank). A clean county's members: no check should fire for them;
- five rosters of --roster-size IDs each (CSV: 序号, 姓名, 身份证号 and a column never read):
  dibao (authoritative) — every member of the households that said 是否低保户 = 是, and the spouse of
  1 in 200 households that said 否; vehicle, company, property, public_payroll (flags) — 1 % of all
  members each; every roster filled up with IDs of people from elsewhere.

Each timing is a separate `edgescreen screen` process (bench.run_child: wall time, peak RSS of the
largest process, summed PSS of the process tree), the bare run and the run with members and rosters
alternating so both see the same machine noise. Target (issue 14): the run with members and rosters
within 1.5× the bare run's time, under 3 GB.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench import run_child
from county import _with_check_character, survey

KINDS = ("dibao", "vehicle", "company", "property", "public_payroll")
# Regions no head of the generated county has: a member's or an outsider's ID never equals a head's.
MEMBER_REGIONS = np.array(["220102", "220103", "220104", "220105", "220106", "220112"])
OUTSIDER_REGIONS = np.array(["110101", "310101", "440103", "210102", "230102", "370102"])
# 2: the rosters name the county's people as the members sheet does (1 named everyone 某人).
VERSION = 2


def unique_ids(rng: np.random.Generator, regions: np.ndarray, born: np.ndarray) -> np.ndarray:
    """Valid 18-character IDs, one per birth date given, none twice: region, date, a sequence drawn
    again where (region, date, sequence) repeats, the check character."""
    n = len(born)
    region = rng.integers(0, len(regions), n)
    seq = rng.integers(1, 1000, n)
    days = (born - np.datetime64("1900-01-01")).astype(np.int64)
    while True:
        key = (region * 100_000 + days) * 1000 + seq
        again = pd.Series(key).duplicated().to_numpy()
        if not again.any():
            break
        seq[again] = rng.integers(1, 1000, int(again.sum()))
    ymd = pd.Series(born.astype("datetime64[D]")).dt.strftime("%Y%m%d").to_numpy(dtype=object)
    body = regions.astype(object)[region] + ymd + pd.Series(seq).astype(str).str.zfill(3).to_numpy(dtype=object)
    return _with_check_character(body)


def make_members(households: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(households)
    residents = pd.to_numeric(households["家庭常住人口数(人)"], errors="coerce").fillna(1).astype(np.int64).to_numpy()
    listed = pd.to_numeric(households["家庭人口数(人)"], errors="coerce").to_numpy()
    count = np.where(np.isnan(listed), residents, listed).astype(np.int64).clip(1)
    hh = np.repeat(np.arange(n), count)
    k = np.arange(len(hh)) - np.repeat(np.cumsum(count) - count, count)  # 0 for the head
    head_id = households["户主身份证号"].to_numpy(dtype=object)
    head_born = pd.to_datetime(pd.Series(head_id).str[6:14], format="%Y%m%d").to_numpy().astype("datetime64[D]")
    born = head_born[hh].copy()
    spouse = k == 1
    born[spouse] += rng.integers(-4 * 365, 4 * 365, int(spouse.sum())).astype("timedelta64[D]")
    child = k >= 2
    born[child] += ((20 + 2 * (k[child] - 2)) * 365 + rng.integers(0, 365, int(child.sum()))).astype("timedelta64[D]")
    born = np.minimum(born, np.datetime64("2018-12-31"))
    ids = head_id[hh].copy()
    others = k > 0
    ids[others] = unique_ids(rng, MEMBER_REGIONS, born[others])
    relation = np.where(k == 0, "户主", np.where(spouse, "配偶", np.where(k % 2 == 0, "子", "女")))
    resident = np.where(k < residents[hh], "是", "否")
    # A clean county's members bear out its difficulties: the last member of a 因残 household is
    # disabled, of a 因学 household at school.
    risk = households["主要困难"].fillna("").to_numpy(dtype=object)[hh]
    last = k == count[hh] - 1
    health = np.where(last & (pd.Series(risk).str.contains("残").to_numpy()), "残疾", "健康")
    student = np.where(last & (pd.Series(risk).str.contains("学").to_numpy()), "初中", "非在校生")
    cols = households[["乡(镇)", "行政村", "户编号"]].fillna("").to_numpy(dtype=object)[hh]
    return pd.DataFrame({"乡(镇)": cols[:, 0], "行政村": cols[:, 1], "户编号": cols[:, 2],
                         "户主身份证号": head_id[hh], "姓名": households["户主姓名"].to_numpy(dtype=object)[hh],
                         "与户主关系": relation, "身份证号": ids, "健康状况": health, "在校生状况": student,
                         "是否常住": resident, "hh": hh})


def make_rosters(households: pd.DataFrame, members: pd.DataFrame, size: int, rng: np.random.Generator,
                 folder: Path) -> list[tuple[str, Path]]:
    out = []
    said_yes = (households["是否低保户"] == "是").to_numpy()
    hh = members["hh"].to_numpy()
    ids = members["身份证号"].to_numpy(dtype=object)
    names = members["姓名"].to_numpy(dtype=object)
    for kind in KINDS:
        if kind == "dibao":
            conflict = np.zeros(len(households), dtype=bool)
            conflict[rng.choice(len(households), len(households) // 200, replace=False)] = True
            picked = np.flatnonzero(said_yes[hh] | (conflict[hh] & (members["与户主关系"] == "配偶").to_numpy()))
        else:
            picked = rng.choice(len(ids), len(ids) // 100, replace=False)
        picked = picked[:size]
        fill = size - len(picked)
        born = np.datetime64("1940-01-01") + rng.integers(0, 70 * 365, fill).astype("timedelta64[D]")
        listed = np.concatenate([ids[picked], unique_ids(rng, OUTSIDER_REGIONS, born)])
        # A department lists its people by name and ID, the county's under the names the members sheet
        # gives them (a name that differs is a finding: roster_name_mismatch); the others under any.
        named = np.concatenate([names[picked], np.full(fill, "某人", dtype=object)])
        order = rng.permutation(len(listed))
        path = folder / f"roster-v{VERSION}-{kind}-{len(households)}-{size}.csv"
        pd.DataFrame({"序号": np.arange(1, size + 1), "姓名": named[order], "身份证号": listed[order],
                      "备注": "不读"}).to_csv(path, index=False, encoding="utf-8-sig")
        out.append((kind, path))
    return out


def inputs(n: int, size: int, data: Path) -> tuple[Path, Path, list[tuple[str, Path]], dict]:
    """The survey, its members and the rosters: generated once into `data`, then reused."""
    path = survey("clean", "csv", n, data)
    members_path = data / f"members-v{VERSION}-{n}.csv"
    rosters = [(k, data / f"roster-v{VERSION}-{k}-{n}-{size}.csv") for k in KINDS]
    facts_path = data / f"members-v{VERSION}-{n}-{size}.json"
    if not (members_path.exists() and facts_path.exists() and all(p.exists() for _, p in rosters)):
        t = time.perf_counter()
        households = pd.read_csv(path, dtype=str, skiprows=2, skipfooter=0, keep_default_na=False)
        households = households[households["户主身份证号"].str.len() == 18].reset_index(drop=True)
        rng = np.random.default_rng(2024)
        members = make_members(households, rng)
        members.drop(columns="hh").to_csv(members_path, index=False, encoding="utf-8-sig")
        rosters = make_rosters(households, members, size, rng, data)
        facts = {"households": len(households), "members": len(members)}
        facts_path.write_text(json.dumps(facts), encoding="utf-8")
        print(f"  members and rosters generated in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path, members_path, rosters, json.loads(facts_path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--households", type=int, default=1_000_000)
    parser.add_argument("--roster-size", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--data", type=Path, default=Path("/tmp/edgescreen-bench"))
    parser.add_argument("--work", type=Path, default=Path("/tmp/edgescreen-bench/rosters-work"))
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    args.work.mkdir(parents=True, exist_ok=True)
    path, members, rosters, facts = inputs(args.households, args.roster_size, args.data)
    base = [sys.executable, "-m", "edgescreen", "screen", str(path), "--force", "--as-of", "2020-06-30"]
    cases = {
        "bare": base + ["-o", str(args.work / "bare")],
        "members_rosters": base[:5] + [str(members)] + base[5:] + ["-o", str(args.work / "rosters")]
        + [a for kind, p in rosters for a in ("--roster", f"{kind}={p}")],
    }
    figures: dict[str, list] = {name: [] for name in cases}
    for i in range(args.runs):
        for name, cmd in cases.items():
            child = run_child(cmd, args.timeout)
            if child.timed_out:
                print(f"  {name} run {i + 1}: killed after {child.wall_s:.0f} s, {child.peak_rss_mb:.0f} MB",
                      file=sys.stderr)
                figures[name].append({"timed_out_after_s": round(child.wall_s), "rss_mb": round(child.peak_rss_mb)})
                continue
            out = args.work / ("bare" if name == "bare" else "rosters")
            manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
            figures[name].append({"s": round(child.wall_s, 1), "rss_mb": round(child.peak_rss_mb),
                                  "tree_mb": round(child.peak_tree_mb),
                                  "stages_s": {k: round(v, 1) for k, v in manifest.get("timings_seconds", {}).items()},
                                  "issues": manifest["issues"],
                                  **({"members": manifest["members"]["members"], "linked": manifest["members"]["linked"],
                                      "links": manifest["members"]["links"],
                                      "matches": [r["matches"] for r in manifest["rosters"]],
                                      "changed": manifest["roster_changed_statuses"]} if "rosters" in manifest else {})})
            print(f"  {name} run {i + 1}: {child.wall_s:.1f} s, {child.peak_rss_mb:.0f} MB "
                  f"(all processes {child.peak_tree_mb:.0f} MB)", file=sys.stderr, flush=True)
    timed = {k: [r["s"] for r in v if "s" in r] for k, v in figures.items()}
    result = {"households": facts["households"], "members": facts["members"], "rosters": len(rosters),
              "roster_ids": args.roster_size, "runs": figures}
    if timed["bare"] and timed["members_rosters"]:
        ratio = statistics.median(timed["members_rosters"]) / statistics.median(timed["bare"])
        memory = max(max(r["rss_mb"], r.get("tree_mb", 0)) for r in figures["members_rosters"])
        result.update(ratio=round(ratio, 2), peak_mb=memory)
        print(f"{facts['households']:,} households, {facts['members']:,} members, {len(rosters)} rosters of "
              f"{args.roster_size:,}: {statistics.median(timed['members_rosters']):.1f} s vs bare "
              f"{statistics.median(timed['bare']):.1f} s = {ratio:.2f}× (target ≤ 1.5×) "
              f"{'MET' if ratio <= 1.5 else 'NOT MET'}; peak {memory:,} MB (target < 3,072) "
              f"{'MET' if memory < 3072 else 'NOT MET'}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
