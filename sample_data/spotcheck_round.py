"""Simulate a verification round (抽查核实) on the sample county: screen it, draw the spot-check sample,
fill in every blind form as the verifiers would, and compare.

What the verifiers find is what the survey recorded, with small honest noise — a quarter of the
households have one amount a little off (3–15 %), a few have one resident more or fewer, one in
twenty was not at home — except for the households of ONE enumerator, who systematically
understated incomes: the verifier finds their wage and business incomes at the recorded amount
divided by 0.7. Households the survey put just under 4,000 yuan per person are above it in truth,
so that enumerator's candidates should not be candidates (错评), and every one of their households
has fields that differ. The comparison must find that enumerator, and no other.

    python sample_data/spotcheck_round.py -o spotcheck-round

writes into the folder: screen/ (the screen's output), 抽查/ (the sample and its forms),
核查表/ (the forms filled in), 核查结果/ (backcheck.xlsx and report.html), and prints what
`edgescreen backcheck` prints. Deterministic: fixed seeds (--seed for the sample, --noise-seed for
what the verifiers find). The planted enumerator is the one with the most candidates (or --planted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from random import Random

import openpyxl

HERE = Path(__file__).resolve().parent
SURVEY = HERE / "changchun-sample.xlsx"
UNDERSTATED = 0.7      # the planted enumerator recorded 70 % of the true wage and business incomes
NOISE_SHARE = 0.25     # households with one amount a little off
RESIDENT_SHARE = 0.03  # households with one resident more or fewer
ABSENT_SHARE = 0.05    # households not at home

# The form's labels (zh) of each field, as the blind form prints them.
LABELS = {
    "members": "家庭人口数(人)", "residents": "家庭常住人口数(人)", "wage_income": "工资性收入(元)",
    "business_income": "家庭经营收入(元)", "property_income": "财产性收入(元)", "transfer_income": "转移性收入(元)",
    "business_costs": "家庭经营费用支出(元)", "depreciation": "生产性固定资产折旧(元)",
    "taxes_fees": "税金和上交承包费用(元)", "is_dibao": "是否低保户(是/否)", "is_tekun": "是否特困人员(是/否)",
    "is_registered_poor": "是否建档立卡贫困户(是/否)", "verifier": "核查人", "verify_date": "核查日期",
    "verify_notes": "情况说明",
}
MONEY = ["wage_income", "business_income", "property_income", "transfer_income", "business_costs", "depreciation",
         "taxes_fees"]


def edgescreen(*args: str) -> str:
    """Run the command line as a clerk would; its output, or exit with it."""
    done = subprocess.run([sys.executable, "-m", "edgescreen", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", env={**os.environ, "COLUMNS": "120"})
    if done.returncode not in (0, 1):
        sys.exit(done.stdout + done.stderr)
    return done.stdout


def truth(screened, planted: str | None, rng: Random) -> dict[str, dict]:
    """What a verifier finds at each household (by `file:sheet:row`), from the survey as screened."""
    found = {}
    for h in screened.itertuples():
        key = f"{h.source_file}:{h.sheet}:{h.row}"
        money = {m: (0 if _na(getattr(h, f"{m}_fen")) else abs(int(getattr(h, f"{m}_fen")))) for m in MONEY}
        residents = 1 if _na(h.residents) or h.residents < 1 else int(h.residents)
        members = residents if _na(h.members) or h.members < residents else int(h.members)
        if planted is not None and h.enumerator == planted:
            for m in ("wage_income", "business_income"):
                money[m] = round(money[m] / UNDERSTATED)
        elif rng.random() < NOISE_SHARE:
            m = rng.choice([m for m in MONEY if money[m] > 0] or MONEY)
            money[m] = round(money[m] * (1 + rng.choice([-1, 1]) * rng.uniform(0.03, 0.15)))
        if rng.random() < RESIDENT_SHARE:
            residents = max(1, residents + rng.choice([-1, 1]))
            members = max(members, residents)
        flags = {f: "否" if _na(getattr(h, f)) or not getattr(h, f) else "是"
                 for f in ("is_dibao", "is_tekun", "is_registered_poor")}
        found[key] = {"members": members, "residents": residents, **{m: v / 100 for m, v in money.items()}, **flags}
    return found


def _na(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def pages_of(ws):
    """{核查序号: {label: (row, column) of its value cell}} of a form's sheet."""
    anchors = [(c.row, c) for row in ws.iter_rows() for c in row if c.value == "核查序号"]
    pages = {}
    for n, (start, anchor) in enumerate(anchors):
        stop = anchors[n + 1][0] if n + 1 < len(anchors) else ws.max_row + 1
        cells = {}
        for row in ws.iter_rows(min_row=start, max_row=stop - 1):
            for c in row:
                # A long label is printed in two lines (生产性固定资产折旧 | (元)): read as one.
                text = c.value.replace("\n", "") if isinstance(c.value, str) else None
                if text in (*LABELS.values(), "核查序号"):
                    cells.setdefault(text, (c.row, c.column + 1))
        seq = ws.cell(*cells["核查序号"]).value
        pages[int(seq)] = cells
    return pages


def fill_forms(sample_dir: Path, filled_dir: Path, found: dict[str, dict], rng: Random,
               day: dt.date) -> tuple[int, int]:
    """Fill in every form of the sample as the verifiers would; (households visited, not at home)."""
    import csv

    with open(sample_dir / "sample.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_form: dict[str, dict[int, str]] = {}
    for r in rows:
        by_form.setdefault(r["核查表"], {})[int(r["核查序号"])] = f"{r['来源文件']}:{r['工作表']}:{r['行号']}"
    filled_dir.mkdir(parents=True, exist_ok=True)
    visited = absent = 0
    for form, keys in by_form.items():
        wb = openpyxl.load_workbook(sample_dir / form)
        ws = wb.worksheets[0]
        verifier = rng.choice("王李张刘赵孙") + rng.choice("国玉宝立春秋桂凤") + "(乡镇干部)"
        for seq, cells in pages_of(ws).items():
            if rng.random() < ABSENT_SHARE:
                ws.cell(*cells[LABELS["verify_notes"]]).value = "外出务工,家中无人"
                absent += 1
                continue
            values = {**found[keys[seq]], "verifier": verifier, "verify_date": day.isoformat()}
            for name, value in values.items():
                ws.cell(*cells[LABELS[name]]).value = value
            visited += 1
        wb.save(filled_dir / Path(form).name)
    return visited, absent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--out", type=Path, default=Path("spotcheck-round"))
    parser.add_argument("--survey", type=Path, default=SURVEY)
    parser.add_argument("--seed", type=int, default=20191205, help="the sample's seed")
    parser.add_argument("--noise-seed", type=int, default=7, help="what the verifiers find")
    parser.add_argument("--planted", help="the enumerator who understates incomes (default: most candidates)")
    parser.add_argument("--listed-rate", type=float, default=0.10)
    parser.add_argument("--unlisted-rate", type=float, default=0.20)
    args = parser.parse_args()

    from edgescreen.outputs.ledger import read_ledger
    from edgescreen.pipeline import screen

    root = args.out
    root.mkdir(parents=True, exist_ok=True)
    edgescreen("screen", args.survey, "-o", root / "screen", "--force")
    ledger = read_ledger(root / "screen" / "decisions.csv")
    planted = args.planted or (ledger[ledger["status"] == "candidate"].groupby("enumerator").size()
                               .sort_values(ascending=False, kind="stable").index[0])
    print(edgescreen("sample", root / "screen", "-o", root / "抽查", "--seed", args.seed, "--force",
                     "--listed-rate", args.listed_rate, "--unlisted-rate", args.unlisted_rate), end="")
    households = screen([args.survey]).households
    found = truth(households, planted, Random(args.noise_seed))
    visited, absent = fill_forms(root / "抽查", root / "核查表", found, Random(args.noise_seed + 1), dt.date.today())
    print(f"filled in: {visited} households visited, {absent} not at home; planted enumerator: {planted}")
    print(edgescreen("backcheck", root / "screen", root / "核查表", "-o", root / "核查结果", "--force"), end="")


if __name__ == "__main__":
    main()
