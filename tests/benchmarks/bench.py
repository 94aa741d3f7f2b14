"""Benchmark: whole `edgescreen screen` runs on generated county surveys, against a bare pandas read.

    python tests/benchmarks/bench.py                       # the targets of issue 6 (3 runs each)
    python tests/benchmarks/bench.py --case xlsx:100000 --runs 5
    python tests/benchmarks/bench.py --case csv:1000000 --case csv:100000

A case is FORMAT:HOUSEHOLDS. The survey files are generated once into --data (default
/tmp/edgescreen-bench) and reused: one sheet with a title row, a 填报单位 line, a one-row header of
25 columns and a 合计 row; villages of 150–450 households; per-capita net income log-normal with a
median of 11,000 yuan (σ 0.6), so about 2–3 % fall in the 3218–4000 band; a few percent 低保/特困/
建档立卡; about 1 % of rows with a data error (bad check digit, 见备注 for an amount, a blank name).

Every timing is a separate process, started the way a clerk starts it, and the runs of edgescreen and
of pandas alternate so both see the same machine noise. For .xlsx cases the baseline is
`pandas.read_excel(path, engine="calamine", dtype=str)` timed inside its process (the call alone,
not Python's start-up nor the pandas import); for CSV it is `pandas.read_csv(path, dtype=str)`.
Reported: the median wall time of each, their ratio, the peak RSS of the largest process (from
wait4), the peak memory of edgescreen's whole process tree (PSS summed over the process and the
helper it forks to write village workbooks, sampled every 0.2 s: what the machine must hold; the
memory target is judged on the larger of the two), and the median per-stage seconds edgescreen
writes into run.json (for the village lists, seconds of work summed over both processes). --json writes the figures to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

HEADERS = ["序号", "县(市、区)", "乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话",
           "家庭人口数(人)", "家庭常住人口数(人)", "工资性收入(元)", "家庭经营收入(元)", "财产性收入(元)",
           "转移性收入(元)", "家庭总收入(元)", "家庭经营费用支出(元)", "生产性固定资产折旧(元)",
           "税金和上交承包费用(元)", "家庭生产经营性支出(元)", "是否低保户", "是否特困人员",
           "是否建档立卡贫困户", "主要困难", "备注"]
TEXT_COLUMNS = {"县(市、区)", "乡(镇)", "行政村", "村民小组", "户编号", "户主姓名", "户主身份证号", "联系电话",
                "是否低保户", "是否特困人员", "是否建档立卡贫困户", "主要困难", "备注"}
SURNAMES = list("王李张刘赵孙杨于高徐马郭周吴朱陈宋董姜韩曲任范付白邵崔")
GIVEN = list("国玉宝立春秋桂凤海明志福德永长文贵淑华金山林平庆忠芳兰英军红学利成")
PLACE = list("东西南北前后新兴太平永安长山双三宝胜利红星富民团结八里四五家子城堡升农合隆靠德")
DIFFICULTIES = np.array(["因病", "因残", "缺劳力", "缺技术", "因学", "缺资金", "自身发展动力不足"])
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
ID_CHECK = np.array(list("10X98765432"))
REGIONS = np.array(["220122", "220122", "220122", "220122", "220102", "220112", "220182", "220183"])


def _pick(rng: np.random.Generator, choices, n: int) -> np.ndarray:
    return np.asarray(choices, dtype=object)[rng.integers(0, len(choices), n)]


def _cat(*parts) -> np.ndarray:
    out = np.asarray(parts[0], dtype=object)
    for p in parts[1:]:
        out = out + np.asarray(p, dtype=object)
    return out


def households(n: int, seed: int = 2019) -> pd.DataFrame:
    """n households as a clerk's sheet would hold them (25 columns; money as integers)."""
    rng = np.random.default_rng(seed)
    # Villages of 150-450 households, about 12 to a township.
    sizes = rng.integers(150, 451, n // 150 + 2)
    village_of = np.repeat(np.arange(len(sizes)), sizes)[:n]
    n_villages = village_of.max() + 1
    village_names = _cat(_pick(rng, PLACE, n_villages), _pick(rng, PLACE, n_villages), "村")
    village_names = village_names + np.char.mod("%d", np.arange(n_villages)).astype(object)  # unique
    township_of_village = np.arange(n_villages) // 12
    n_town = township_of_village.max() + 1
    township_names = _cat(_pick(rng, PLACE, n_town), _pick(rng, PLACE, n_town), "镇")
    township_names = township_names + np.char.mod("%d", np.arange(n_town)).astype(object)
    seq_in_village = np.arange(n) - np.searchsorted(village_of, village_of)

    # ID numbers: unique, valid check characters, heads born 1940-2000.
    days = 60 * 365
    keys = pd.unique(rng.integers(0, days * 999, int(n * 1.05) + 100))[:n]
    born = np.datetime64("1940-01-01") + (keys // 999).astype("timedelta64[D]")
    seq = keys % 999 + 1
    body = _cat(_pick(rng, REGIONS, n), pd.Series(born).dt.strftime("%Y%m%d").to_numpy(dtype=object),
                np.char.zfill(np.char.mod("%d", seq), 3).astype(object))
    digits = np.frombuffer("".join(body).encode(), dtype=np.uint8).reshape(n, 17).astype(np.int64) - 48
    ids = body + ID_CHECK[(digits @ ID_WEIGHTS) % 11].astype(object)

    members = rng.choice([1, 2, 3, 4, 5, 6], n, p=[0.08, 0.30, 0.26, 0.20, 0.11, 0.05])
    away = (rng.random(n) < 0.15) & (members > 1)
    residents = members - away * rng.integers(1, 3, n).clip(max=np.maximum(members - 1, 1))
    residents = np.maximum(residents, 1)
    per_capita = np.exp(rng.normal(np.log(11000), 0.6, n))
    net = np.round(per_capita * residents).astype(np.int64)
    transfer = np.minimum(net, (rng.random(n) < 0.85) * rng.integers(1, 25, n) * 100)
    rest = net - transfer
    prop = np.where((rng.random(n) < 0.15) & (rest > 3000), rng.integers(5, 40, n) * 100, 0)
    rest -= prop
    wage = np.where((rng.random(n) < 0.55) & (rest > 300), (rest * rng.uniform(0.2, 0.9, n)) // 100 * 100, 0).astype(np.int64)
    rest -= wage
    ratio = rng.uniform(0.30, 0.50, n)
    business = np.where(rest > 0, np.round(rest / (1 - ratio)), 0).astype(np.int64)
    expenses = business - rest
    wage = np.where(rest < 0, wage + rest, wage)  # never negative business income
    business = np.where(rest < 0, 0, business)
    expenses = np.where(rest < 0, 0, expenses)
    deprec = expenses * rng.integers(8, 16, n) // 100
    taxes = np.where(expenses - deprec > 800, rng.choice([0, 0, 0, 200, 300, 500], n), 0)
    costs = expenses - deprec - taxes

    u = rng.random(n)
    dibao, tekun, registered = u < 0.04, (u >= 0.04) & (u < 0.05), (u >= 0.05) & (u < 0.08)
    yes_no = lambda b: np.where(b, "是", "否").astype(object)  # noqa: E731
    names = _cat(_pick(rng, SURNAMES, n), _pick(rng, GIVEN, n),
                 np.where(rng.random(n) < 0.6, _pick(rng, GIVEN, n), ""))
    phones = _cat("1", _pick(rng, list("358"), n), np.char.zfill(np.char.mod("%d", rng.integers(0, 10**9, n)), 9))
    frame = pd.DataFrame({
        "序号": seq_in_village + 1,
        "县(市、区)": "农安县",
        "乡(镇)": township_names[township_of_village[village_of]],
        "行政村": village_names[village_of],
        "村民小组": _cat(np.char.mod("%d", rng.integers(1, 9, n)).astype(object), "组"),
        "户编号": _cat("2201220", np.char.zfill(np.char.mod("%d", np.arange(n)), 8).astype(object)),
        "户主姓名": names,
        "户主身份证号": ids,
        "联系电话": np.where(rng.random(n) < 0.04, "", phones),
        "家庭人口数(人)": members,
        "家庭常住人口数(人)": residents,
        "工资性收入(元)": wage.astype(np.int64),
        "家庭经营收入(元)": business,
        "财产性收入(元)": prop,
        "转移性收入(元)": transfer,
        "家庭总收入(元)": wage.astype(np.int64) + business + prop + transfer,
        "家庭经营费用支出(元)": costs,
        "生产性固定资产折旧(元)": deprec,
        "税金和上交承包费用(元)": taxes,
        "家庭生产经营性支出(元)": expenses,
        "是否低保户": yes_no(dibao),
        "是否特困人员": yes_no(tekun),
        "是否建档立卡贫困户": yes_no(registered),
        "主要困难": np.where(rng.random(n) < 0.3, _pick(rng, DIFFICULTIES, n), ""),
        "备注": "",
    })
    # About 1 % of rows carry a data error a county would have to fix.
    bad = rng.random(n)
    frame = frame.astype({c: object for c in frame.columns})
    at = lambda lo, hi: (bad >= lo) & (bad < hi)  # noqa: E731
    frame.loc[at(0, 0.004), "户主身份证号"] = [i[:17] + ("0" if i[17] != "0" else "1")
                                          for i in frame.loc[at(0, 0.004), "户主身份证号"]]
    frame.loc[at(0.004, 0.007), "工资性收入(元)"] = "见备注"
    frame.loc[at(0.007, 0.009), "户主姓名"] = ""
    frame.loc[at(0.009, 0.010), "家庭常住人口数(人)"] = 0
    return frame


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_formulas": False, "strings_to_urls": False})
    ws = book.add_worksheet("农安县")
    ws.write_string(0, 0, "农安县贫困边缘户入户登记汇总表")
    ws.write_string(1, 0, "填报单位:农安县扶贫开发办公室    填报日期:2019年12月")
    ws.write_row(2, 0, HEADERS)
    text_cols = [i for i, h in enumerate(HEADERS) if h in TEXT_COLUMNS]
    for r, record in enumerate(frame.itertuples(index=False, name=None), start=3):
        for c, value in enumerate(record):
            if isinstance(value, str):
                if value:
                    ws.write_string(r, c, value)
            elif c in text_cols:
                ws.write_string(r, c, str(value))
            else:
                ws.write_number(r, c, value)
    ws.write_string(3 + len(frame), 0, "合计")
    book.close()


def survey(fmt: str, n: int, data: Path) -> Path:
    """The generated file for a case, made once."""
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"survey-{n}.{fmt}"
    if not path.exists():
        t = time.perf_counter()
        print(f"generating {path} …", file=sys.stderr, flush=True)
        frame = households(n)
        tmp = path.with_suffix(".part" + path.suffix)
        (write_xlsx if fmt == "xlsx" else write_csv)(frame, tmp)
        tmp.replace(path)
        print(f"  {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return path


def _tree_pss_mb(root: int) -> float:
    """Proportional set size of a process and all its descendants, in MB: pages a forked helper
    shares with its parent count once, pages it has copied count in full."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid and child not in tree)
    total_kb = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total_kb += next(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total_kb / 1024


def run_child(cmd: list[str]) -> tuple[float, float, float, str]:
    """(wall seconds, peak RSS of the largest process in MB, peak memory of the whole process tree in
    MB (summed PSS, sampled every 0.2 s), stdout) of one child process, reaped with wait4."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        peak_tree = [0.0]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.2):
                peak_tree[0] = max(peak_tree[0], _tree_pss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        if os.path.exists("/proc/self/smaps_rollup"):
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        done.set()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} … exited {proc.returncode}:\n{err.read().decode()[-3000:]}")
        return wall, usage.ru_maxrss / 1024, peak_tree[0], out.read().decode()


BASELINE = """
import sys, time
import pandas as pd
path = sys.argv[1]
t = time.perf_counter()
if path.endswith(".csv"):
    df = pd.read_csv(path, dtype=str)
else:
    df = pd.read_excel(path, engine="calamine", dtype=str)
print(time.perf_counter() - t, len(df))
"""


def bench_case(fmt: str, n: int, runs: int, data: Path, work: Path) -> dict:
    path = survey(fmt, n, data)
    es, es_rss, es_tree, pd_call, pd_wall, pd_rss, stages = [], [], [], [], [], [], []
    out = work / "out"
    for i in range(runs):
        wall, rss, tree, _ = run_child([sys.executable, "-m", "edgescreen", "screen", str(path), "-o", str(out),
                                        "--force", "--as-of", "2020-06-30"])
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert manifest["households"] == n, manifest["households"]
        es.append(wall)
        es_rss.append(rss)
        es_tree.append(tree)
        stages.append(manifest.get("timings_seconds", {}))
        if fmt == "xlsx" or i < 2:  # for CSV the baseline is context, not a target
            wall, rss, _, printed = run_child([sys.executable, "-c", BASELINE, str(path)])
            pd_call.append(float(printed.split()[0]))
            pd_wall.append(wall)
            pd_rss.append(rss)
        print(f"  {fmt}:{n} run {i + 1}: edgescreen {es[-1]:.2f} s, {es_rss[-1]:.0f} MB "
              f"(all processes {es_tree[-1]:.0f} MB); "
              f"pandas read {pd_call[-1]:.2f} s (process {pd_wall[-1]:.2f} s, {pd_rss[-1]:.0f} MB)",
              file=sys.stderr, flush=True)
    counts = manifest["counts"]
    stage_names = list(dict.fromkeys(k for s in stages for k in s))
    return {
        "case": f"{fmt}:{n}", "households": n, "file_mb": round(path.stat().st_size / 1e6, 1), "runs": runs,
        "edgescreen_s": round(statistics.median(es), 2), "edgescreen_runs_s": [round(x, 2) for x in es],
        "edgescreen_peak_rss_mb": round(max(es_rss)),
        "edgescreen_peak_tree_mb": round(max(es_tree)),
        "pandas_read_s": round(statistics.median(pd_call), 2),
        "pandas_process_s": round(statistics.median(pd_wall), 2),
        "pandas_peak_rss_mb": round(max(pd_rss)),
        "ratio": round(statistics.median(es) / statistics.median(pd_call), 2),
        "stages_s": {k: round(statistics.median(s.get(k, 0.0) for s in stages), 2) for k in stage_names},
        "candidates": counts.get("candidate"), "counts": counts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", help="FORMAT:HOUSEHOLDS, e.g. xlsx:100000 (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median reported); default 3")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "edgescreen-bench")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args(argv)
    cases = args.case or ["xlsx:100000", "csv:100000", "csv:1000000"]
    parsed = [(c.split(":")[0], int(c.split(":")[1].replace("_", ""))) for c in cases]
    if args.generate_only:
        for fmt, n in parsed:
            survey(fmt, n, args.data)
        return 0
    work = Path(tempfile.mkdtemp(prefix="edgescreen-bench-"))
    results = []
    try:
        for fmt, n in parsed:
            results.append(bench_case(fmt, n, args.runs, args.data, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nedgescreen benchmark — {os.cpu_count()} cores, median of {args.runs} runs, whole processes")
    print(f"{'case':<14}{'edgescreen':>11}{'peak RSS':>10}{'all procs':>11}{'pandas read':>13}{'ratio':>7}  stages (s)")
    for r in results:
        stages = ", ".join(f"{k} {v:.2f}" for k, v in r["stages_s"].items())
        print(f"{r['case']:<14}{r['edgescreen_s']:>10.2f}s{r['edgescreen_peak_rss_mb']:>7} MB"
              f"{r['edgescreen_peak_tree_mb']:>8} MB"
              f"{r['pandas_read_s']:>12.2f}s{r['ratio']:>7.2f}  {stages}")
    by = {r["case"]: r for r in results}
    verdicts = []
    for r in results:
        if r["case"].startswith("xlsx:"):
            verdicts.append(f"{r['case']}: {r['ratio']:.2f}× the pandas calamine read (target ≤ 1.5×) "
                            + ("MET" if r["ratio"] <= 1.5 else "NOT MET")
                            + f"; for context, {r['edgescreen_s'] / r['pandas_process_s']:.2f}× the whole pandas "
                              "process (start-up and import included)")
    big, small = by.get("csv:1000000"), by.get("csv:100000")
    if big:
        memory = max(big["edgescreen_peak_rss_mb"], big["edgescreen_peak_tree_mb"])
        ok = big["edgescreen_s"] < 60 and memory < 2048
        verdicts.append(f"csv:1000000: {big['edgescreen_s']:.1f} s, {memory} MB "
                        f"(target < 60 s, < 2048 MB) " + ("MET" if ok else "NOT MET"))
    if big and small:
        growth = big["edgescreen_s"] / small["edgescreen_s"]
        verdicts.append(f"growth 100k→1M CSV: {growth:.1f}× (target ≤ 11×) " + ("MET" if growth <= 11 else "NOT MET"))
    print("\n".join(verdicts))
    if args.json:
        args.json.write_text(json.dumps({"results": results, "verdicts": verdicts}, ensure_ascii=False, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
