"""抽查核实 end to end (issue 17): `edgescreen sample` draws a reproducible sample and writes blind
forms, the forms come back filled in (openpyxl, as a clerk types), and `edgescreen backcheck`
screens the verified values through the pipeline and compares them with the ledger: rates by hand,
identity edits refused, the planted enumerator found, honest ones left alone."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import shutil
import subprocess
import sys
from pathlib import Path
from statistics import NormalDist

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import (LABELS, above, candidate, draw, fill, fill_all, pages_of, run, sample_rows,
                                same_as_recorded, screened_small_county, small_county, three_villages_drawn_twice,
                                uneven_county, write_survey)
from edgescreen.cli import app

runner = CliRunner()
Z = NormalDist().inv_cdf(0.975)
ROOT = Path(__file__).resolve().parent.parent


def wilson(p, n):
    """The Wilson interval, typed out from its textbook form."""
    if p == 0:
        return 0.0, Z * Z / (n + Z * Z)
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


@pytest.fixture
def county(tmp_path):
    """small_county in tmp_path/农安县.xlsx screened into tmp_path/筛查 (once per worker, a copy each)."""
    return screened_small_county(tmp_path)


# ---------------------------------------------------------------- the sample


def test_the_same_seed_draws_the_same_sample_and_none_draws_one_that_is_printed(county):
    first = draw(county, "一", "--seed", "20191205")
    draw(county, "二", "--seed", "20191205")
    assert "随机种子:20191205" in first.output
    assert (county / "一" / "sample.csv").read_bytes() == (county / "二" / "sample.csv").read_bytes()
    one = json.loads((county / "一" / "sample.json").read_text(encoding="utf-8"))
    assert one["seed"] == 20191205 and one["seed_from_os"] is False
    assert one["source"]["sha256"] == __import__("hashlib").sha256(
        (county / "筛查" / "decisions.csv").read_bytes()).hexdigest()
    assert one["options"]["listed_rate"] == 0.1 and one["options"]["village_cap"] == 200
    # No seed: one from the OS, printed and recorded, and it draws the same sample again.
    drawn = draw(county, "三")
    record = json.loads((county / "三" / "sample.json").read_text(encoding="utf-8"))
    assert record["seed_from_os"] is True and f"随机种子:{record['seed']}" in drawn.output
    assert f"--seed {record['seed']}" in drawn.output
    draw(county, "四", "--seed", str(record["seed"]))
    assert (county / "三" / "sample.csv").read_bytes() == (county / "四" / "sample.csv").read_bytes()
    # Another seed, another sample (with 12 and 3 households to choose from, it differs).
    draw(county, "五", "--seed", "1", "--unlisted-rate", "0.25")
    draw(county, "六", "--seed", "2", "--unlisted-rate", "0.25")
    assert (county / "五" / "sample.csv").read_bytes() != (county / "六" / "sample.csv").read_bytes()


def test_stratum_sizes_and_inclusion_probabilities_are_in_the_outputs(county):
    draw(county, "抽查", "--seed", "3", "--listed-rate", "0.5", "--unlisted-rate", "0.25")
    rows = pd.DataFrame(sample_rows(county / "抽查"))
    assert list(rows.columns) == ["核查表", "核查序号", "来源文件", "工作表", "行号", "乡(镇)", "行政村", "户编号",
                                  "户主姓名", "户主身份证号", "填表人", "抽样层", "层内户数", "层内抽取户数",
                                  "村入样概率", "入样概率", "权数"]
    sizes = rows.groupby(["行政村", "抽样层"]).agg(n=("行号", "size"), N=("层内户数", "first"),
                                                   n_h=("层内抽取户数", "first"), p=("入样概率", "first"),
                                                   w=("权数", "first"))
    # ⌈0.5 × 4⌉ = 2 of 4, ⌈0.25 × 12⌉ = 3 of 12, ⌈0.5 × 2⌉ = 1 of 2, ⌈0.25 × 3⌉ = 1 of 3.
    expected = {("前岗村", "候选户"): (2, 4), ("前岗村", "非候选户"): (3, 12),
                ("东兴村", "候选户"): (1, 2), ("东兴村", "非候选户"): (1, 3)}
    for key, (n, big_n) in expected.items():
        got = sizes.loc[key]
        assert (got["n"], int(got["N"]), int(got["n_h"])) == (n, big_n, n), key
        assert float(got["p"]) == pytest.approx(n / big_n, abs=1e-6)
        assert float(got["w"]) == pytest.approx(big_n / n, abs=1e-6)
    # The design workbook says the same, stratum by stratum.
    book = openpyxl.load_workbook(county / "抽查" / "抽样设计.xlsx")
    assert book.sheetnames == ["说明", "各村", "各层"]
    table = [[c.value for c in row] for row in book["各层"].iter_rows(min_row=3)]  # under the title and the sample's line
    header, body = table[0], table[1:]
    assert header[:5] == ["乡(镇)", "行政村", "抽样层", "户数 N", "抽取 n"]
    for township, village, stratum, big_n, n, pi_v, within, pi, weight in body:
        assert (n, big_n) == expected[(village, stratum)]
        assert pi_v == 1 and within == pytest.approx(n / big_n) and pi == pytest.approx(n / big_n)
        assert weight == pytest.approx(big_n / n)
    about = {r[0].value: r[1].value for r in book["说明"].iter_rows(min_row=3) if r[0].value}
    assert about["随机种子"].startswith("3(指定") and "⌈r_h · N_h⌉" in about["样本量公式"]
    assert "π_i = π_v · n_h / N_h" in about["入样概率与权数"]


def test_villages_per_township_and_precision_sizes(tmp_path):
    rows = {"合隆镇": [candidate(v, "甲") for v in ("一村", "二村", "三村") for _ in range(3)]
            + [above(v, "乙") for v in ("一村", "二村", "三村") for _ in range(30)]}
    survey = write_survey(tmp_path / "县.xlsx", rows)
    run("screen", survey, "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "9", "--villages", "2")
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    villages = [[c.value for c in r] for r in book["各村"].iter_rows(min_row=4)]
    assert sorted(v[7] for v in villages) == ["否", "是", "是"]
    assert all(v[4] == 3 and v[5] == 2 and v[6] == pytest.approx(2 / 3) for v in villages)
    rows = pd.DataFrame(sample_rows(tmp_path / "抽查"))
    assert rows["行政村"].nunique() == 2
    # π_i = (2/3)(n/N): a candidate stratum of 3 at 10 % draws 1, so π = 2/9 and the weight 4.5.
    listed = rows[rows["抽样层"] == "候选户"]
    assert listed["入样概率"].astype(float).tolist() == pytest.approx([2 / 9] * 2, abs=1e-6)
    # By precision: e = 0.05, c = 0.95, p = 0.5 → n0 = 384.15; the 60 others of the two villages
    # drawn: n = ⌈384.15 / (1 + 383.15/60)⌉ = ⌈52.01⌉ = 53; their 6 candidates: ⌈5.92⌉ = 6, all.
    run("sample", tmp_path / "筛查", "-o", tmp_path / "精度", "--seed", "9", "--villages", "2", "--margin", "0.05")
    rows = pd.DataFrame(sample_rows(tmp_path / "精度"))
    assert (rows["抽样层"] == "非候选户").sum() == 53 and (rows["抽样层"] == "候选户").sum() == 6
    record = json.loads((tmp_path / "精度" / "sample.json").read_text(encoding="utf-8"))
    assert record["precision"]["unlisted"]["n0"] == pytest.approx(384.146, abs=1e-3)
    assert record["options"]["mode"] == "precision"


def test_the_form_is_blind_one_a4_page_per_household(county):
    draw(county, "抽查", "--seed", "5", "--listed-rate", "1", "--unlisted-rate", "1")
    form = county / "抽查" / "入户核查表" / "合隆镇-前岗村-入户核查表.xlsx"
    book = openpyxl.load_workbook(form)
    assert [ws.sheet_state for ws in book.worksheets] == ["visible", "veryHidden", "veryHidden"]
    ws = book.worksheets[0]
    pages = pages_of(ws)
    assert sorted(pages) == list(range(1, 17))  # every household of 前岗村, a page each
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    text = " ".join(map(str, cells))
    # The household's identity is there, its ID masked; no recorded value is, on any sheet.
    ledger = pd.read_csv(county / "筛查" / "decisions.csv", dtype=str, encoding="utf-8-sig")
    village = ledger[ledger["行政村"] == "前岗村"]
    assert all(name in text for name in village["户主姓名"])
    assert not any(full in text for full in village["户主身份证号"])
    assert all(f"{i[:6]}********{i[-4:]}" in text for i in village["户主身份证号"])
    for money in ("10000", "30000", "3333.33", "10000.00", "30000.00"):
        assert money not in text
    assert all(isinstance(c, str) or (isinstance(c, (int, float)) and c <= 16) for c in cells)
    # Every value cell a verifier fills in is empty, and one of each field is on every page.
    for seq, found in pages.items():
        assert set(found) == {*LABELS.values(), "核查序号"}
        assert all(ws.cell(*at).value is None for label, at in found.items() if label != "核查序号")
    # Households in the survey's order, so a page's number does not tell a candidate.
    rows = pd.DataFrame(sample_rows(county / "抽查"))
    qg = rows[rows["行政村"] == "前岗村"]
    assert qg["行号"].astype(int).is_monotonic_increasing


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice and poppler are needed to render the form")
def test_the_form_prints_a_page_per_household_on_a4(county, tmp_path):
    draw(county, "抽查", "--seed", "5")
    form = county / "抽查" / "入户核查表" / "合隆镇-前岗村-入户核查表.xlsx"
    households = sum(1 for r in sample_rows(county / "抽查") if r["行政村"] == "前岗村")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(form)],
                   check=True, capture_output=True, timeout=120)
    info = subprocess.run(["pdfinfo", str(tmp_path / "合隆镇-前岗村-入户核查表.pdf")], capture_output=True, text=True).stdout
    assert f"Pages:           {households}" in info
    assert "595.3" in info and "841.89" in info  # A4 portrait, in points
    # Nothing cut mid-word: a long label broken before its unit where it wraps (with Calibri's metrics,
    # as Excel prints, 生产性固定资产折旧(元 | ) printed a bracket on a line of its own), the identity
    # numbers each on one line.
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "合隆镇-前岗村-入户核查表.pdf"), "-"],
                          capture_output=True, text=True).stdout
    for words in ("是否建档立卡贫困户", "(是/否)", "家庭经营费用支出", "生产性固定资产折旧", "税金和上交承包费用", "(元)"):
        assert words in text, words
    ids = [r["户主身份证号"] for r in sample_rows(county / "抽查") if r["行政村"] == "前岗村"]
    assert all(f"{i[:6]}********{i[-4:]}" in text for i in ids)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler are needed to render the workbook")
def test_backcheck_workbook_headers_print_whole_words(county, tmp_path):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    run("backcheck", county / "筛查", *fill_all(county / "抽查", county / "填好"), "-o", county / "核查结果")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(county / "核查结果" / "backcheck.xlsx")], check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "backcheck.pdf"), "-"],
                          capture_output=True, text=True).stdout
    # Headers break where the catalogue says (错评/ | 核查的 | 候选户), not inside a word: each line fits its
    # column in Calibri's metrics too (核查非候选户 did not, and printed 核查非候 | 选户).
    for words in ("核查的", "候选户", "非候选户", "其他人的", "该比例", "字段差错率", "95% 区间"):
        assert words in text, words


# ---------------------------------------------------------------- the comparison


def test_rates_and_intervals_by_hand_with_a_zero_error_stratum(county):
    """前岗村: all 4 candidates drawn, one verified above the limit (错评); 3 of its 12 others drawn
    (weight 4), one verified a candidate (漏评). 东兴村: both candidates and 1 of its 3 others drawn
    (weight 3), all as recorded: its 错评率 is 0 with an interval that is not [0, 0]."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    filled = fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000},
                                                       ("前岗村", "非候选户", 1): {"wage_income": 10000}})
    from edgescreen.spotcheck.report import backcheck_into

    bc, folder = backcheck_into(county / "筛查", filled, county / "核查结果")

    # 错评, the county: 1 of 6 listed, every listed household drawn (f = 1, no variance): n_eff = 6.
    row = bc.rates[(bc.rates["rate"] == "wrongly_listed") & (bc.rates["level"] == "overall")].iloc[0]
    assert row["estimate"] == pytest.approx(1 / 6)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson(1 / 6, 6))
    # 东兴村's listed stratum: 0 of 2, and the interval is [0, z²/(2 + z²)] = [0, 0.658], not [0, 0].
    zero = bc.rates[(bc.rates["rate"] == "wrongly_listed") & (bc.rates["village"] == "东兴村")].iloc[0]
    assert zero["estimate"] == 0 and zero["lower"] == 0
    assert zero["upper"] == pytest.approx(Z * Z / (2 + Z * Z)) and zero["upper"] > 0.6

    # 漏评, the county: weights 4 (前岗村, 3 drawn of 12) and 3 (东兴村, 1 of 3); p = 4/(4·3 + 3) = 4/15.
    row = bc.rates[(bc.rates["rate"] == "wrongly_unlisted") & (bc.rates["level"] == "overall")].iloc[0]
    p = 4 / 15
    assert row["estimate"] == pytest.approx(p)
    # Linearised scores e = w (y − p) / Σw, Σw = 15; the variance within each stratum with its finite
    # population correction; 东兴村's lone household taken around 0 (f = 1/3).
    e_a = np.array([4 * (1 - p), 4 * (0 - p), 4 * (0 - p)]) / 15
    within_a = (1 - 3 / 12) * 3 / 2 * ((e_a - e_a.mean()) ** 2).sum()
    lone_b = (1 - 1 / 3) * (3 * (0 - p) / 15) ** 2
    variance = within_a + lone_b
    assert row["standard_error"] == pytest.approx(math.sqrt(variance))
    n_eff = p * (1 - p) / variance  # 3.54, below the 4 verified: no cap
    assert n_eff < 4 and row["effective_n"] == pytest.approx(n_eff)
    assert (row["lower"], row["upper"]) == pytest.approx(wilson(p, n_eff))

    # Per field: the two wages differ, nothing else; 10 households × 12 fields compared.
    assert int(bc.comparisons["differs"].sum()) == 2 and len(bc.comparisons) == 120
    assert set(bc.comparisons.loc[bc.comparisons["differs"], "field"]) == {"wage_income"}
    # The workbook and the terminal say the same numbers.
    book = openpyxl.load_workbook(folder / "backcheck.xlsx")
    assert book.sheetnames == ["汇总", "逐户比对", "逐项比对", "分村", "分填表人"]
    # 逐户比对's 19 columns print two pages across (at half size on one), the household's own five
    # columns on each, a band of rows left then right.
    households = book["逐户比对"]
    assert households.page_setup.fitToWidth == 2 and households.page_setup.pageOrder == "overThenDown"
    assert households.print_title_cols == "$A:$E"
    summary = [[c.value for c in r] for r in book["汇总"].iter_rows()]
    county_row = next(r for r in summary if r[0] == "全县")
    assert county_row[1] == pytest.approx(1 / 6) and county_row[3] == "1/6"
    lo, hi = wilson(1 / 6, 6)
    assert county_row[2] == f"{100 * lo:.1f}%–{100 * hi:.1f}%"
    villages = [[c.value for c in r] for r in book["分村"].iter_rows()]
    dx = next(r for r in villages if r[1] == "东兴村")
    assert dx[2] == 0 and dx[3] == f"0.0%–{100 * Z * Z / (2 + Z * Z):.1f}%"
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert "抽查核实结果" in html and "错评率" in html and f"{100 * p:.1f}%" in html


def test_backcheck_through_the_command_line_says_the_rates(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 2): {"wage_income": 30000}})
    said = run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果").output
    assert "已核查 10 户(共抽 10 户,2 份核查表)" in said
    # Every candidate drawn, a quarter of the others: the interval kept, the candidates said counted whole.
    assert "错评率:16.7%(95% 置信区间" in said and "1/6 户;其中候选户全部抽中核查)  ▲" in said
    assert "漏评率:0.0%" in said
    assert "填表人取自调查表的“填表人”列。" in said
    assert (county / "核查结果" / "backcheck.xlsx").exists() and (county / "核查结果" / "report.html").exists()
    # English under --lang en.
    english = runner.invoke(app, [str(a) for a in ("backcheck", county / "筛查", county / "填好", "-o",
                                                   county / "en", "--lang", "en")], env={"COLUMNS": "200"})
    assert english.exit_code == 0 and "wrongly listed (错评): 16.7%" in english.output


def test_a_status_found_otherwise_on_the_same_side_is_not_said_to_agree(county):
    """From an outside try: a household recorded above the limit and found a 低保户 was 一致 in 逐户比对
    (neither a 错评 nor a 漏评): now 认定不同(均非候选), and it counts in neither rate."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    filled = fill_all(county / "抽查", county / "填好", {("前岗村", "非候选户", 1): {"is_dibao": "是"}})
    from edgescreen.spotcheck.report import backcheck_into

    bc, folder = backcheck_into(county / "筛查", filled, county / "核查结果")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(folder / "backcheck.xlsx")["逐户比对"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "比对结论" in r)
    column, recorded, verified = (rows[at].index(h) for h in ("比对结论", "登记认定", "核实认定"))
    outcomes = [(r[recorded], r[verified], r[column]) for r in rows[at + 1:] if r[column]]
    assert ("达到收入上限,不符合", "低保户(暂不列入)", "认定不同(均非候选)") in outcomes, outcomes
    assert sum(o == "认定不同(均非候选)" for _, _, o in outcomes) == 1
    assert all(o.startswith("认定一致") for rec, ver, o in outcomes if rec == ver)
    unlisted = bc.rates[(bc.rates["rate"] == "wrongly_unlisted") & (bc.rates["level"] == "overall")].iloc[0]
    assert unlisted["errors"] == 0


def test_a_household_not_at_home_is_not_verified_and_counts_as_drawn(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    out = county / "填好"
    out.mkdir()
    forms = []
    for form in sorted((county / "抽查" / "入户核查表").glob("*.xlsx")):
        rows = [r for r in sample_rows(county / "抽查") if r["核查表"].endswith(form.name)]
        values = {int(r["核查序号"]): same_as_recorded(wage_income=10000 if r["抽样层"] == "候选户" else 30000)
                  for r in rows}
        values[1] = {"verify_notes": "外出务工,家中无人"}
        forms.append(fill(form, values, save_as=out / form.name))
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(county / "筛查", forms, county / "核查结果")
    assert bc.verified == 8 and bc.drawn == 10
    not_verified = bc.households[~bc.households["verified"]]
    assert len(not_verified) == 2 and not_verified["wrongly_listed"].isna().all()


def test_the_verifiers_notes_are_written_out_and_a_household_not_found_is_named(county):
    """情况说明 reaches 逐户比对 and report.html (a 错评's and a blank page's); a blank page whose
    note says 查无此户 is named on the terminal, in 汇总 and report.html, and still counts as drawn,
    not verified; one not at home (外出务工) is not named as not found."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    wrong_note, absent_note, gone_note = "户主称去年外出打工收入漏报", "外出务工,家中无人", "查无此户:村委会称本村没有此人"
    forms = fill_all(county / "抽查", county / "填好",
                     {("前岗村", "候选户", 2): {"wage_income": 30000, "verify_notes": wrong_note}})
    rows = sample_rows(county / "抽查")
    qg = [r for r in rows if r["行政村"] == "前岗村" and r["抽样层"] == "非候选户"]
    dx = [r for r in rows if r["行政村"] == "东兴村"]
    blank = {k: None for k in LABELS if k != "verify_notes"}
    fill(next(f for f in forms if "前岗村" in f.name), {int(qg[0]["核查序号"]): {**blank, "verify_notes": gone_note}})
    fill(next(f for f in forms if "东兴村" in f.name), {int(dx[0]["核查序号"]): {**blank, "verify_notes": absent_note}})
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果").output.split())
    assert "已核查 8 户(共抽 10 户" in said, said
    assert "1 户未能核查,核查人的情况说明称查无此户" in said, said
    assert f"合隆镇-前岗村-入户核查表.xlsx 核查序号 {qg[0]['核查序号']}(合隆镇前岗村,{qg[0]['户主姓名']}):「{gone_note}」" in said, said
    assert "未遇:" in said and absent_note in said, said  # nobody home: 未遇, to visit again
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    sheet = book["逐户比对"]
    header = [c.value for c in sheet[1]]
    notes = {r[header.index("户主姓名")]: (r[header.index("比对结论")], r[header.index("情况说明")])
             for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert notes[qg[0]["户主姓名"]] == ("未核查", gone_note)
    assert notes[dx[0]["户主姓名"]] == ("未核查", absent_note)
    assert ("错评", wrong_note) in notes.values()
    summary = " ".join(str(c.value) for r in book["汇总"].iter_rows() for c in r if c.value)
    assert "查无此户" in summary and qg[0]["户主姓名"] in summary
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert wrong_note in html and absent_note in html and 'id="not-found"' in html
    assert html.index('id="not-found"') < html.index(gone_note) and html.count(gone_note) >= 2


def test_edited_identity_cells_are_refused_and_named(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "前岗村" in f.name)
    ws = openpyxl.load_workbook(form).worksheets[0]
    seq_cell = pages_of(ws)[2]["核查序号"]
    printed = next(ws.cell(r, c + 1).value for r in range(seq_cell[0], seq_cell[0] + 5) for c in (1, 3)
                   if ws.cell(r, c).value == "户主姓名")
    fill(form, {}, identity={(2, "户主姓名"): "李改名", (3, "身份证号"): "220122********9999"})
    said = run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output
    said = " ".join(said.split())
    assert "核查表没有比对" in said
    assert "合隆镇-前岗村-入户核查表.xlsx 「入户核查表」B" in said
    assert f"核查序号 2 的户主姓名与打印时不同(打印的是「{printed}」,现在是「李改名」)" in said
    assert "核查序号 3 的身份证号与打印时不同" in said
    assert not (county / "核查结果").exists()


def test_a_visited_page_with_a_blank_or_a_wrong_cell_is_refused_with_its_cell(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "东兴村" in f.name)
    fill(form, {1: {"property_income": None, "wage_income": "见备注"}, 2: {"is_dibao": "也许", "verifier": None},
                3: {"verify_date": (dt.date.today() + dt.timedelta(days=3)).isoformat()}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "核查序号 1:「财产性收入(元)」没有填写(没有的请填 0 或“否”)" in said
    # A blank verifier is not told to write 0 or 否 (an outside tester's find).
    assert "核查序号 2:「核查人」没有填写" in said and "「核查人」没有填写(没有的请填" not in said
    assert "核查序号 3:核查日期" in said and "晚于今天" in said
    # The date is checked before the pipeline reads the values; put it right and the values are next.
    fill(form, {3: {"verify_date": dt.date.today().isoformat()}, 1: {"property_income": 0}, 2: {"verifier": "王核查"}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "核查序号 1:「工资性收入(元)」填的是「见备注」(不是数字)" in said
    assert "核查序号 2:「是否低保户(是/否)」填的是「也许」(是/否无法识别)" in said
    ws = openpyxl.load_workbook(form).worksheets[0]
    row, col = pages_of(ws)[1][LABELS["wage_income"]]
    assert f"东兴村-入户核查表.xlsx 「入户核查表」{openpyxl.utils.get_column_letter(col)}{row}:" in said


def test_a_page_with_a_value_or_two_is_said_once_and_a_blank_count_without_0(county):
    """From an outside try: a household not at home, one value written on its page, was told 13 blanks
    each "没有的请填 0 或“否”", 家庭人口数 among them (no household has 0 people)."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "东兴村" in f.name)
    fill(form, {1: {"members": None}})
    blank = {name: None for name in ("members", "residents", "wage_income", "business_income", "property_income",
                                      "transfer_income", "business_costs", "depreciation", "taxes_fees", "is_dibao",
                                      "is_tekun", "is_registered_poor", "verify_date")}
    # A failed visit may keep who went (核查人): a figure beside 家中无人 is a page filled in part.
    fill(form, {2: {**blank, "verifier": None, "wage_income": 8000, "verify_notes": "外出务工,家中无人"}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "核查序号 1:「家庭人口数(人)」没有填写" in said and "家庭人口数(人)」没有填写(没有的" not in said, said
    assert ("核查序号2:只填了1项(工资性收入(元)),其余13项没有填写。入户核查了的,请全部填写(没有的填0或“否”);"
            "未能入户的,请清空第二部分的核查结果,核查人、核查日期照填,在「情况说明」中写明原因") in said.replace(" ", ""), said
    assert "核查序号 2:「" not in said, said


def test_a_verified_value_the_screen_would_doubt_is_refused_before_it_decides(county):
    """On a verifier's own entry, a wage of 1.2 trillion is a slip of the pen, and it would decide the
    verified status (错评): refused with its cell, as an error is."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "东兴村" in f.name)
    fill(form, {2: {"wage_income": 1.2e12}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "核查序号 2:「工资性收入(元)」填的是「1200000000000」(人均纯收入不合理)" in said, said
    assert not (county / "核查结果").exists()
    # In English the count reads right for one ("1 problems in 1 files" before).
    english = runner.invoke(app, [str(a) for a in ("backcheck", county / "筛查", *forms, "-o", county / "en",
                                                   "--lang", "en")], env={"COLUMNS": "400"})
    assert english.exit_code == 2 and "Nothing was compared: problems found: 1 (files: 1)." in english.output, \
        english.output


def test_more_residents_than_members_on_a_verified_page_is_accepted_and_said(county):
    """A verifier finds 3 living at a home of 2 registered members (a daughter-in-law whose hukou
    never moved): the screen warns of it, and backcheck refused the whole batch. The page is decided
    with the residents found, the residents' difference is compared, and a note names the page."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "东兴村" in f.name)
    fill(form, {1: {"members": 2, "residents": 3}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果").output.split())
    page = "合隆镇-东兴村-入户核查表.xlsx 核查序号 1(常住 3 人,家庭人口 2 人)"
    assert "核实的常住人口多于家庭人口的有 1 户" in said and page in said, said
    summary = " ".join(str(c.value) for r in openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")["汇总"]
                       .iter_rows() for c in r if c.value)
    assert page in summary, summary
    english = runner.invoke(app, [str(a) for a in ("backcheck", county / "筛查", *forms, "-o", county / "en",
                                                   "--lang", "en")], env={"COLUMNS": "400"})
    assert english.exit_code == 0, english.output
    assert "page no. 1 (residents 3, members 2)" in " ".join(english.output.split()), english.output


def test_forms_of_another_sample_or_ledger_are_refused(county, tmp_path):
    draw(county, "抽查", "--seed", "11")
    draw(county, "另一次", "--seed", "12")
    one = fill_all(county / "抽查", county / "填好")
    two = fill_all(county / "另一次", county / "填好2")
    said = " ".join(run("backcheck", county / "筛查", one[0], two[0], "-o", county / "x", code=2).output.split())
    # one form of each: neither is blamed, both are named by their path (same file name) and sample
    assert "分不出哪次是本次" in said and str(one[0]) in said and str(two[0]) in said, said
    said = " ".join(run("backcheck", county / "筛查", county / "农安县.xlsx", "-o", county / "x", code=2).output.split())
    assert "不是 edgescreen sample 写出的入户核查表" in said
    # Another screen, other households: not the ledger the sample was drawn from.
    other = small_county(tmp_path / "另一个县.xlsx")
    run("screen", other, "-o", tmp_path / "另一个筛查")
    said = " ".join(run("backcheck", tmp_path / "另一个筛查", *one, "-o", county / "x", code=2).output.split())
    assert "这批核查表不是从它抽出的" in said


def test_one_stray_form_is_the_one_named_whatever_its_file_name(tmp_path):
    # Three villages; the form of 东兴村 (sorted before 前岗村 and 新立村) comes from another draw:
    # it is named, against the two others, and the correct forms are not blamed.
    three_villages_drawn_twice(tmp_path)
    one = fill_all(tmp_path / "抽查", tmp_path / "填好")
    two = fill_all(tmp_path / "另一次", tmp_path / "填好2")
    stray = next(f for f in two if "东兴村" in f.name)
    given = [stray if "东兴村" in f.name else f for f in one]
    assert sorted(f.name for f in given)[0] == stray.name
    said = " ".join(run("backcheck", tmp_path / "筛查", *given, "-o", tmp_path / "x", code=2).output.split())
    ours = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))
    theirs = json.loads((tmp_path / "另一次" / "sample.json").read_text(encoding="utf-8"))
    main, other = ours["sample_id"], theirs["sample_id"]
    assert said.count("属于另一次抽样") == 1, said
    assert f"合隆镇-东兴村-入户核查表.xlsx:属于另一次抽样(样本编号 {other}),其余 2 份核查表属于样本 {main}" in said, said
    assert "合隆镇-前岗村-入户核查表.xlsx:" not in said and "合隆镇-新立村-入户核查表.xlsx:" not in said, said
    # As many forms of each sample: every form is named with its sample, none blamed.
    said = " ".join(run("backcheck", tmp_path / "筛查", one[0], two[1], "-o", tmp_path / "x", code=2).output.split())
    assert "分不出哪次是本次" in said and said.count("属于样本") == 2, said


def test_the_ledger_alone_compares_what_it_holds_and_says_so(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好", {("前岗村", "候选户", 1): {"wage_income": 10600}})
    (county / "农安县.xlsx").rename(county / "别处.xlsx")
    said = run("backcheck", county / "筛查", *forms, "-o", county / "核查结果").output
    assert "找不到筛查时读入的调查表(农安县.xlsx)" in said
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(county / "筛查", forms, county / "r2")
    assert set(bc.comparisons["field"]) == {"residents", "total_income", "production_expenses"}
    # 10,600 against 10,000 is within 10 %: no field differs; 10,000 yuan is not.
    assert not bc.comparisons["differs"].any()
    from edgescreen.spotcheck.backcheck import Tolerance

    bc, _ = backcheck_into(county / "筛查", forms, county / "r3", tolerance=Tolerance.parse("200"))
    assert bc.comparisons["differs"].sum() == 1
    # Given with --survey, it is found wherever it is.
    said = run("backcheck", county / "筛查", *forms, "-o", county / "r4", "--survey", county / "别处.xlsx").output
    assert "找不到筛查时读入的调查表" not in said


def test_the_county_the_survey_named_titles_the_backcheck_from_the_ledger_alone(tmp_path):
    """Found by an outside try: without the survey beside the screen's folder, the report's title lost
    the county (抽查核实结果); run.json now keeps the county the survey named."""
    survey = small_county(tmp_path / "农安县.xlsx", county="农安县")
    run("screen", survey, "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    survey.rename(tmp_path / "别处.xlsx")
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(tmp_path / "筛查", forms, tmp_path / "核查结果")
    assert bc.source.kind == "ledger" and bc.county == "农安县"
    assert "农安县抽查核实结果" in (tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8")


def test_without_the_survey_what_was_compared_is_said_before_the_rates_and_names_the_field_rate(county):
    """Only the ledger's fields compared: the note saying so comes before the rates (terminal, 汇总,
    report.html), and the field error rate is named with the fields it is of, not as the full one."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好", {("前岗村", "非候选户", 1): {"residents": 2}})
    (county / "农安县.xlsx").rename(county / "别处.xlsx")
    lines = run("backcheck", county / "筛查", *forms, "-o", county / "核查结果").output.splitlines()
    note = next(i for i, line in enumerate(lines) if "找不到筛查时读入的调查表" in line)
    first_rate = next(i for i, line in enumerate(lines) if line.startswith("错评率"))
    assert note < first_rate, lines
    said = "".join(line.strip() for line in lines)
    assert "字段差错率(只比对常住人口、家庭总收入、家庭生产经营性支出):" in said, said
    assert "字段(部分)" in said and "字段 " not in said, said
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    keys = [r[0] for r in book["汇总"].iter_rows(values_only=True)]
    cells = [r[1] for r in book["汇总"].iter_rows(values_only=True)]
    at = next(i for i, v in enumerate(cells) if v and "找不到筛查时读入的调查表" in str(v))
    assert at < keys.index("规则集") < keys.index("范围"), keys
    assert "字段差错率(只比对部分栏目)" in [c.value for c in book["分村"][1]]
    assert "字段差错率(只比对部分栏目)" in [v for r in book["汇总"].iter_rows(values_only=True) for v in r]
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert html.index("找不到筛查时读入的调查表") < html.index('id="rates"')
    assert "字段差错率(只比对常住人口、家庭总收入、家庭生产经营性支出)" in html


def test_the_enumerator_from_the_footer_line_where_the_survey_has_no_column(tmp_path):
    rows = ([candidate("前岗村", "甲") for _ in range(4)] + [above("前岗村", "乙") for _ in range(8)])
    other = ([candidate("东兴村", "甲", township="烧锅镇") for _ in range(3)]
             + [above("东兴村", "乙", township="烧锅镇") for _ in range(6)])
    survey = write_survey(tmp_path / "县.xlsx", {"合隆镇": rows, "烧锅镇": other}, column=False,
                          footer={"合隆镇": "赵填表", "烧锅镇": "钱填表"})
    run("screen", survey, "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "2", "--listed-rate", "1",
        "--unlisted-rate", "0.5")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    assert "调查表没有“填表人”列:填表人取自各工作表表尾的“填表人:”一行" in " ".join(said.split())
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(tmp_path / "筛查", forms, tmp_path / "r2")
    assert bc.enumerator_from == "footer"
    by_town = bc.households.groupby("township")["enumerator"].unique()
    assert list(by_town["合隆镇"]) == ["赵填表"] and list(by_town["烧锅镇"]) == ["钱填表"]


def test_a_register_round_is_sampled_and_compared(tmp_path):
    survey = small_county(tmp_path / "农安县.xlsx")
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-12-02")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "0.25")
    rows = sample_rows(tmp_path / "抽查")
    assert "登记簿户号" in rows[0] and all(r["登记簿户号"].isdigit() for r in rows)
    ws = openpyxl.load_workbook(tmp_path / "抽查" / "入户核查表" / "合隆镇-前岗村-入户核查表.xlsx").worksheets[0]
    assert any(c.value == "村民小组" for row in ws.iter_rows() for c in row)
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好", {("东兴村", "候选户", 1): {"wage_income": 30000}})
    said = run("backcheck", db, *forms, "-o", tmp_path / "核查结果", "--survey", survey).output
    assert "错评率:16.7%" in said


# ---------------------------------------------------------------- enumerators


def test_p_values_print_as_they_are_read():
    from edgescreen.spotcheck.report import p_relation, p_value

    assert [p_value(x) for x in (1e-7, 0.000999, 0.001, 0.012345, 0.5, 1.0, float("nan"))] == \
        ["< 0.001", "< 0.001", "0.00100", "0.0123", "0.500", "1.00", ""]
    assert p_relation(1e-7) == "< 0.001" and p_relation(0.04) == "= 0.0400"


def test_the_planted_enumerator_is_found_on_the_sample_county(tmp_path):
    """The README's round: sample_data/spotcheck_round.py on the sample county, through the command
    line. The enumerator who understated incomes is listed for follow-up, and nobody else."""
    done = subprocess.run([sys.executable, str(ROOT / "sample_data" / "spotcheck_round.py"), "-o", str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8", cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    planted = done.stdout.split("planted enumerator: ")[1].split()[0]
    said = done.stdout
    assert "需复查的填表人(1 人):" in said
    assert f"  {planted}:核查" in said
    table = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["分填表人"]
    rows = [[c.value for c in r] for r in table.iter_rows(min_row=3)]
    flagged = [r[0] for r in rows if r[7] == "需复查"]
    assert flagged == [planted]
    # Every household of theirs that was verified has an income that differs.
    first = next(r for r in rows if r[0] == planted)
    assert first[4] == first[1] and first[1] >= 8
    # Printed: p-values as read (no '1e-07'), the county's name, and every page of every sheet
    # headed with the report, the sheet and the sample's id; the 分填表人 note over the tests'
    # columns B–H only (two pages across: over all 20 columns it was cut at the page's edge).
    # (the terminal says what the figures mean, the workbook gives the test's adjusted p)
    assert "比其他填表人多得不像偶然,请复查他(她)填写的户" in said and "e-0" not in said and "校正后 p" not in said
    assert first[6] == "< 0.001" and all(r[3] == "" or "e" not in r[3] for r in rows)
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    assert book["汇总"]["A1"].value == "农安县抽查核实结果"
    # Its households not met (26, 未遇) named as the terminal names them: the first ten, then how many more.
    not_met = next(r[1].value for r in book["汇总"].iter_rows() if r[0].value == "未遇、拒访")
    assert not_met.count("未遇:") == 10 and "另有 16 户" in not_met, not_met
    sample_id = json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["sample_id"]
    for ws in book.worksheets:
        assert ws.oddHeader.center.text == f"农安县抽查核实结果 — {ws.title} — 样本编号 {sample_id}", ws.title
    assert [str(r) for r in book["分填表人"].merged_cells.ranges if r.min_row == 1] == ["B1:H1"]
    html = (tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert "<h1>农安县抽查核实结果</h1>" in html and "e-0" not in html


def test_honest_enumerators_are_flagged_at_most_at_the_stated_rate(tmp_path):
    """Many simulated verification rounds of a county whose enumerators all work alike (small
    honest noise, the same for everyone): the share of rounds in which any enumerator is listed
    stays within α = 5 % (binomial slack). Fast: the pages are made in memory and go through the
    same comparison as the forms (backcheck.assess), survey and ledger read once."""
    from edgescreen.spotcheck.backcheck import assess, recorded_values
    from edgescreen.spotcheck.design import draw_sample
    from edgescreen.spotcheck.forms import PageRead, STRATA_COLUMNS
    from edgescreen.spotcheck.source import load_source, resolve_rules

    rng = np.random.default_rng(17)
    villages = [f"{n}村" for n in "一二三四五六"]
    rows = []
    for village in villages:
        for e in ("甲", "乙"):
            name = village[0] + e
            rows += [candidate(village, name, **{"工资性收入": int(w)}) for w in rng.integers(9700, 11900, 6)]
            rows += [above(village, name, **{"工资性收入": int(w)}) for w in rng.integers(12200, 40000, 24)]
    survey = write_survey(tmp_path / "县.xlsx", {"合隆镇": rows})
    run("screen", survey, "-o", tmp_path / "筛查")
    source = load_source(tmp_path / "筛查")
    rules = resolve_rules(source)
    frame = source.households.assign(key=source.households.index)
    recorded = None
    runs, flagged_runs = 60, 0
    for seed in range(runs):
        design = draw_sample(frame, key="key", seed=seed, listed_rate=0.5, unlisted_rate=0.3)
        strata = design.strata.merge(design.villages[["township", "village", "villages_in_township",
                                                      "villages_sampled"]], on=["township", "village"])[STRATA_COLUMNS]
        if recorded is None:
            recorded = recorded_values(source, frame.index, rules)
        noise = np.random.default_rng(1000 + seed)
        pages = []
        for i, (key, h) in enumerate(design.households.iterrows(), start=1):
            was = recorded.values.loc[key]
            values = {"members": int(was["members"]), "residents": int(was["residents"]),
                      **{m: int(was[m]) / 100 for m in ("wage_income", "business_income", "property_income",
                                                        "transfer_income", "business_costs", "depreciation",
                                                        "taxes_fees")},
                      "is_dibao": "否", "is_tekun": "否", "is_registered_poor": "否", "verifier": "核",
                      "verify_date": dt.date.today().isoformat(), "verify_notes": ""}
            if noise.random() < 0.3:  # one honest slip: the wage off by 3-15 %
                values["wage_income"] = round(values["wage_income"] * (1 + noise.choice([-1, 1]) * noise.uniform(0.03, 0.15)))
            pages.append({"key": key, "township": h["township"], "village": h["village"], "stratum": h["stratum"],
                          "file": "f.xlsx", "sheet": "s", "seq": i, "visited": True, "failed": False, "notes": "",
                          "why": "", "page": PageRead("f.xlsx", "s", i, key, True, values, {n: (0, 0) for n in values})})
        bc = assess(source, {}, strata, pd.DataFrame(pages), rules, recorded=recorded)
        assert len(bc.outliers) == 12
        flagged_runs += bool(bc.outliers["flagged"].any())
    # At most α of the rounds, with room for chance: P(X ≥ 9 | 60, 0.05) ≈ 0.002.
    assert flagged_runs <= 8, flagged_runs


def test_a_deleted_page_or_a_number_given_twice_is_refused(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "前岗村" in f.name)
    book = openpyxl.load_workbook(form)
    ws = book.worksheets[0]
    pages = pages_of(ws)
    last = max(pages)
    ws.delete_rows(pages[last]["核查序号"][0] - 3, ws.max_row)  # the last page, title and all
    ws.cell(*pages[3]["核查序号"]).value = 2
    book.save(form)
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert f"核查序号 {last}(" in said and "这一页不见了" in said
    assert "核查序号 2 出现了两次" in said
    assert "核查序号 3(" in said


def test_no_forms_in_the_folder_is_said(county):
    draw(county, "抽查", "--seed", "11")
    (county / "空").mkdir()
    said = run("backcheck", county / "筛查", county / "空", "-o", county / "核查结果", code=2).output
    assert "没有找到核查表" in said


def test_households_of_a_hidden_sheet_the_screen_read_are_compared_too(tmp_path):
    """A screen run with --include-hidden (run.json's options): the survey is screened again the same
    way, so the households of the hidden sheet have their recorded values, field by field."""
    survey = write_survey(tmp_path / "县.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(3)]
                                                + [above("前岗村", "乙") for _ in range(3)],
                                                "烧锅镇": [candidate("东兴村", "丙", township="烧锅镇") for _ in range(3)]
                                                + [above("东兴村", "丁", township="烧锅镇") for _ in range(3)]})
    book = openpyxl.load_workbook(survey)
    book["烧锅镇"].sheet_state = "hidden"
    book.save(survey)
    run("screen", survey, "-o", tmp_path / "筛查", "--include-hidden")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "1", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(tmp_path / "筛查", forms, tmp_path / "核查结果")
    assert bc.recorded_from == "survey" and bc.verified == 12
    per_household = bc.comparisons.groupby("key").size()
    hidden = bc.households.index[bc.households["township"] == "烧锅镇"]
    assert len(hidden) == 6 and (per_household.reindex(hidden) == 12).all()


def test_a_sample_without_candidates_and_a_blank_township_is_compared(tmp_path):
    """No township written (every household 数据有误, none a candidate): the sample's strata read back
    whole, no 错评率 can be estimated (said as —), and the township is named (乡镇未填) everywhere."""
    rows = [candidate("前岗村", "甲", township="") for _ in range(3)] + [above("前岗村", "乙", township="") for _ in range(5)]
    survey = write_survey(tmp_path / "县.xlsx", {"s": rows})
    run("screen", survey, "-o", tmp_path / "筛查", code=0)
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "1", "--listed-rate", "1", "--unlisted-rate", "1")
    by_form: dict[str, dict[int, dict]] = {}
    for r in sample_rows(tmp_path / "抽查"):
        wage = 10000 if r["户主姓名"].startswith("候") else 30000
        by_form.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
    (tmp_path / "填好").mkdir()
    forms = [fill(tmp_path / "抽查" / form, pages, save_as=tmp_path / "填好" / Path(form).name)
             for form, pages in by_form.items()]
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    assert "已核查 8 户(共抽 8 户,1 份核查表)" in said
    # The three 候 households are 数据有误 for the blank township alone (not on the form): the visit
    # finds them in the band, so they are 漏评 (before: compared 一致, 漏评率 0.0%).
    assert "错评率:—(核查的户中没有候选户,无从计算)" in said and "漏评率:37.5%" in said
    assert "  (乡镇未填):错评 —;漏评 37.5%" in said
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    assert any(r[0].value == "(乡镇未填)" for r in book["汇总"].iter_rows())
    assert {r[0].value for r in book["分村"].iter_rows(min_row=2)} == {"(乡镇未填)"}


def test_the_terminal_fits_80_columns_and_keeps_paths_and_seeds_whole(county, monkeypatch):
    from rich.cells import cell_len

    monkeypatch.chdir(county)
    deep = Path("很长的文件夹名称") / "第二层的文件夹名称" / "这一次抽查结果所在的文件夹"
    said = runner.invoke(app, ["sample", "筛查", "-o", str(deep)], env={"COLUMNS": "80"}).output
    lines = said.splitlines()
    # every line but the command to copy, printed whole on a line of its own however long
    assert max(cell_len(line) for line in lines if not line.startswith("  edgescreen backcheck ")) <= 80
    assert any(line.strip() == str(deep) for line in lines)  # moved whole to its own line, not cut
    seed = json.loads((deep / "sample.json").read_text(encoding="utf-8"))["seed"]
    assert sum(line.count(str(seed)) for line in lines) == 2  # the 19-digit seed twice, whole
    forms = fill_all(deep, county / "填好")
    said = runner.invoke(app, ["backcheck", "筛查", *map(str, forms), "-o", str(deep / "核查结果")],
                         env={"COLUMNS": "80"}).output
    # every line fits, but a path longer than a line: whole, on a line of its own (wrapping.wrap)
    assert max(cell_len(line) for line in said.splitlines() if str(deep / "核查结果") not in line) <= 80
    assert any(str(deep / "核查结果") in line for line in said.splitlines())


# ---------------------------------------------------------------- forms not handed back


def test_a_village_whose_form_is_not_back_is_named_and_its_households_listed_as_not_verified(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    east = next(f for f in forms if "东兴村" in f.name)
    east.unlink()
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果").output.split())
    assert "已核查 7 户(共抽 10 户,1 份核查表)" in said
    assert "1 个抽中的村没有交回核查表:合隆镇东兴村(3 户,记为未核查)" in said
    assert "全县和各乡镇的比率只包括交回核查表的 1 个村" in said
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    rows = [[c.value for c in r] for r in book["逐户比对"].iter_rows(min_row=2)]
    outcome = [c.value for c in book["逐户比对"][1]].index("比对结论")
    east_rows = [r for r in rows if r[3] == "东兴村"]
    assert len(east_rows) == 3 and all(r[outcome] == "未核查" for r in east_rows)
    assert all(r[0] == "合隆镇-东兴村-入户核查表.xlsx(未交回)" for r in east_rows)
    assert any("东兴村" in str(r[1]) for r in book["汇总"].iter_rows(values_only=True) if r[0] == "未交回核查表的村")


def test_the_households_of_a_form_not_handed_back_are_named_for_the_clerk_to_chase(county):
    """Who was drawn in a village whose form did not come back is in sample.csv: 逐户比对 and report.html
    name each household (page, head, masked ID, enumerator, recorded status), and its enumerators are in
    分填表人. Without sample.csv the outputs say how to give it."""
    from edgescreen.outputs.privacy import mask_id

    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    next(f for f in fill_all(county / "抽查", county / "填好") if "东兴村" in f.name).unlink()
    drawn = [r for r in sample_rows(county / "抽查") if r["行政村"] == "东兴村"]
    run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果")
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    sheet = book["逐户比对"]
    head = [c.value for c in sheet[1]]
    rows = [dict(zip(head, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    east = [r for r in rows if r["行政村"] == "东兴村"]
    assert [(r["核查表"], r["核查序号"], r["户主姓名"], r["身份证号"], r["填表人"]) for r in east] == [
        ("合隆镇-东兴村-入户核查表.xlsx(未交回)", int(d["核查序号"]), d["户主姓名"],
         mask_id(pd.Series([d["户主身份证号"]], dtype="string"))[0], d["填表人"]) for d in drawn]
    assert all(r["登记认定"] and r["比对结论"] == "未核查" for r in east)
    enumerators = {r[0] for r in book["分填表人"].iter_rows(min_row=3, values_only=True)}
    assert {d["填表人"] for d in drawn} <= enumerators
    html = (county / "核查结果" / "report.html").read_text(encoding="utf-8")
    table = html[html.index('id="not-verified"'):]
    table = table[:table.index("</table>")]
    assert all(d["户主姓名"] in table for d in drawn) and "合隆镇-东兴村-入户核查表.xlsx(未交回)" in table
    # The sample's folder moved where it is not looked for: said, and given with --sample.
    (county / "别处" / "更深").mkdir(parents=True)
    (county / "抽查").rename(county / "别处" / "更深" / "抽查")
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r2").output.split())
    assert "找不到本次抽样" in said and "--sample" in said, said
    run("backcheck", county / "筛查", county / "填好", "-o", county / "r3", "--sample", county / "别处" / "更深" / "抽查")
    rows = list(openpyxl.load_workbook(county / "r3" / "backcheck.xlsx")["逐户比对"].iter_rows(values_only=True))
    assert {d["户主姓名"] for d in drawn} <= {r[head.index("户主姓名")] for r in rows}
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r4", "--sample",
                        county / "筛查", code=2).output.split())
    assert "没有本次抽样" in said, said


def test_strata_given_no_household_under_margin_are_said_at_sample_and_backcheck(tmp_path):
    run("screen", uneven_county(tmp_path / "县.xlsx"), "-o", tmp_path / "筛查")
    said = " ".join(draw(tmp_path, "抽查", "--seed", "5", "--margin", "0.3").output.split())
    said = said.replace(" ", "")  # the terminal wraps inside Chinese text
    assert "2个抽样层(候选户1个,非候选户1个)分到0户,共3户(候选户1户,非候选户2户)" in said
    assert "分到0户,共3户(候选户1户,非候选户2户):合隆镇中村的候选户(未抽样,1户)、合隆镇小村(未抽样,2户)。" in said
    assert "其中1个村一户也没有抽到,不印核查表:合隆镇小村。" in said
    assert "--margin" in said
    book = openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True) if r[0]}
    assert "合隆镇小村(未抽样,2 户)" in about["未覆盖"]
    villages = {r[1]: r for r in book["各村"].iter_rows(min_row=4, values_only=True)}
    assert villages["小村"][8:] == (0, 0) and villages["中村"][8:] == (0, 5) and villages["大村"][8:] == (8, 5)
    strata = [r for r in book["各层"].iter_rows(min_row=4, values_only=True) if r[4] == 0]
    assert sorted((r[1], r[2], r[3]) for r in strata) == [("中村", "候选户", 1), ("小村", "非候选户", 2)]

    fill_all(tmp_path / "抽查", tmp_path / "填好")
    said = " ".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    coverage = ("全县错评率只代表 20/21 户候选户,漏评率只代表 80/82 户非候选户(抽中的村);以下村的户不在比率中:"
                "合隆镇中村的候选户(未抽样,1 户)、合隆镇小村(未抽样,2 户)。")
    assert coverage.replace(" ", "") in said.replace(" ", "")  # the terminal wraps inside Chinese text
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    assert coverage in summary["比率覆盖"]
    html = (tmp_path / "核查结果" / "report.html").read_text(encoding="utf-8")
    assert 'id="coverage"' in html and coverage in html


def test_every_stratum_drawn_says_nothing_of_coverage(county):
    said = draw(county, "抽查", "--seed", "11").output
    assert "分到 0 户" not in said.replace("\n", "")
    about = {r[0] for r in openpyxl.load_workbook(county / "抽查" / "抽样设计.xlsx")["说明"].iter_rows(values_only=True)}
    assert "未覆盖" not in about
    fill_all(county / "抽查", county / "填好")
    run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果")
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    summary = {r[0] for r in book["汇总"].iter_rows(values_only=True)}
    assert "比率覆盖" not in summary


def test_a_form_not_back_is_counted_out_of_the_coverage_the_same_way(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    next(f for f in fill_all(county / "抽查", county / "填好") if "东兴村" in f.name).unlink()
    run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果")
    book = openpyxl.load_workbook(county / "核查结果" / "backcheck.xlsx")
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    assert summary["比率覆盖"].startswith("全县错评率只代表 4/6 户候选户,漏评率只代表 12/15 户非候选户")
    assert "合隆镇东兴村(核查表未交回,5 户)" in summary["比率覆盖"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_form_saved_as_xls_in_the_folder_is_read_as_when_given_by_its_path(county, tmp_path):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    east = next(f for f in forms if "东兴村" in f.name)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "xls",
                    "--outdir", str(east.parent), str(east)], capture_output=True, timeout=180, check=True)
    east.unlink()
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "核查结果").output.split())
    assert "已核查 10 户(共抽 10 户,2 份核查表)" in said
    assert "没有交回" not in said


# ---------------------------------------------------------------- the tolerance


def test_a_bare_tolerance_below_one_is_refused_and_the_tolerance_used_is_said(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    fill_all(county / "抽查", county / "填好")
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", "--tolerance", "0.1",
                        code=2).output.split())
    assert "--tolerance 0.1" in said and "10%" in said and "0.1元" in said
    assert not (county / "r").exists()
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r1").output.split())
    assert "金额容差:金额相差不超过登记数的 10%(不足 1 元的按 1 元)视为一致" in said
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r2", "--tolerance", "0.5元")
                    .output.split())
    # Below the yuan of rounding always allowed: said as the yuan it is, not "0.5 元(且至少 1 元)".
    assert "金额容差:金额相差不超过 1 元视为一致(1 元以内总按取整误差容许,给出的 0.5 元按 1 元计)" in said
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r3", "--tolerance", "200")
                    .output.split())
    assert "金额容差:金额相差不超过 200 元视为一致" in said


# ---------------------------------------------------------------- without the survey


def test_a_register_without_its_survey_says_what_it_compares_and_how_to_compare_by_enumerator(tmp_path):
    # A survey without a 填表人 column: the register keeps no enumerator of it, the survey must say.
    survey = small_county(tmp_path / "农安县.xlsx", column=False)
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-12-02")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好")
    survey.rename(tmp_path / "别处.xlsx")
    said = " ".join(run("backcheck", db, *forms, "-o", tmp_path / "核查结果").output.split())
    assert "调查表没有填表人" not in said
    assert "没有调查表,不知道各户的填表人:用 --survey 给出筛查时读入的调查表,可按填表人比较。" in said
    assert "只比对登记簿中有的栏目(家庭人口、常住人口、家庭总收入、家庭生产经营性支出)" in said
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(db, forms, tmp_path / "r2")
    assert set(bc.comparisons["field"]) == {"members", "residents", "total_income", "production_expenses"}
    book = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")
    summary = {r[0]: r[1] for r in book["汇总"].iter_rows(values_only=True) if r[0]}
    assert "家庭人口、常住人口、家庭总收入、家庭生产经营性支出" in summary["登记值来自"]


def township_folder(folder: Path) -> Path:
    """The small county as a clerk keeps it: a folder with a file per township, and a note the
    screen passes over (a text file with no household header)."""
    folder.mkdir(parents=True)
    write_survey(folder / "合隆镇.xlsx", {"合隆镇": [candidate("前岗村", "甲") for _ in range(4)]
                                         + [above("前岗村", "乙") for _ in range(12)]})
    write_survey(folder / "烧锅镇.xlsx", {"烧锅镇": [candidate("东兴村", "丙", township="烧锅镇") for _ in range(2)]
                                         + [above("东兴村", "丁", township="烧锅镇") for _ in range(3)]})
    (folder / "说明.txt").write_text("2020年调查表,各乡镇一份。\n", encoding="utf-8")
    return folder


def test_a_survey_screened_from_a_folder_is_given_as_that_folder_or_found_beside_the_register(tmp_path):
    """The register's round was screened from a folder of township files (probe1, repro 04). Before:
    `--survey FOLDER` was refused as "找不到这个文件或文件夹" though the folder is there, and without
    --survey the files were never found, the register keeping only their names. Now the folder is
    read as screen reads one (the note in it passed over), and the automatic search looks in the
    folders directly beside the register too, each file taken only where its SHA-256 is the one
    screened."""
    surveys = township_folder(tmp_path / "2020调查表")
    db = tmp_path / "登记簿" / "农安县.db"
    db.parent.mkdir()
    run("screen", surveys, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-12-02")
    run("sample", db, "-o", tmp_path / "抽查", "--seed", "4", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(tmp_path / "抽查", tmp_path / "填好", {("东兴村", "候选户", 1): {"wage_income": 30000}})
    said = " ".join(run("backcheck", db, *forms, "-o", tmp_path / "核查1", "--survey", surveys).output.split())
    assert "错评率:16.7%" in said and "找不到筛查时读入的调查表" not in said, said
    assert "没有调查表" not in said  # the 填表人 column of the survey: compared by enumerator
    # Without --survey: the folder beside the register's folder is searched.
    said = " ".join(run("backcheck", db, *forms, "-o", tmp_path / "核查2").output.split())
    assert "找不到筛查时读入的调查表" not in said and "没有调查表" not in said, said
    # A file of the same name that is not the one screened is not taken for it: then the message
    # says to give the files or their folder.
    (tmp_path / "存档" / "2020" / "旧" / "备份").mkdir(parents=True)
    surveys.rename(tmp_path / "存档" / "2020" / "旧" / "备份" / surveys.name)  # five folders down: not searched
    (tmp_path / "旧的").mkdir()
    write_survey(tmp_path / "旧的" / "合隆镇.xlsx", {"合隆镇": [candidate("前岗村", "甲")]})
    said = " ".join(run("backcheck", db, *forms, "-o", tmp_path / "核查3").output.split())
    assert "找不到筛查时读入的调查表(合隆镇.xlsx、烧锅镇.xlsx)" in said, said
    assert "用 --survey 给出调查表或它们所在的文件夹" in said, said
    # A folder holding none of the files screened is refused, named.
    said = " ".join(run("backcheck", db, *forms, "-o", tmp_path / "核查4", "--survey", tmp_path / "旧的",
                        code=2).output.split())
    assert "旧的" in said and "没有 农安县 筛查时读入的调查表" in said, said


def test_a_date_typed_without_its_year_is_shown_in_the_samples_year(county, monkeypatch):
    """A 核查日期 typed as 12月25日 on a sample drawn on 2025-12-20. Before: "请写成 2019-12-05 或
    2019年12月5日" whatever the year (probe1, repro 07). Now the example is the day typed in the
    sample's year; a day that would fall before the draw (1月5日) is the January after it; a value
    with no month and day in it gets the day the sample was drawn."""
    from types import SimpleNamespace

    from edgescreen.spotcheck import sample as sample_module

    class DrawnOn(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2025, 12, 20, 9, 30, tzinfo=tz)

    with monkeypatch.context() as m:
        m.setattr(sample_module, "dt", SimpleNamespace(datetime=DrawnOn))
        draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    form = next(f for f in forms if "东兴村" in f.name)
    fill(form, {1: {"verify_date": "12月25日"}, 2: {"verify_date": "1月5日"}, 3: {"verify_date": "前天"}})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "核查序号 1:核查日期「12月25日」不是日期,请写成 2025-12-25 或 2025年12月25日" in said, said
    assert "核查序号 2:核查日期「1月5日」不是日期,请写成 2026-01-05 或 2026年1月5日" in said, said
    assert "核查序号 3:核查日期「前天」不是日期,请写成 2025-12-20 或 2025年12月20日" in said, said
    assert "2019" not in said
    # Alike on many pages: said once, with the same example.
    for path in forms:
        fill(path, {seq: {"verify_date": "12月25日"} for seq in pages_of(openpyxl.load_workbook(path).worksheets[0])})
    said = " ".join(run("backcheck", county / "筛查", *forms, "-o", county / "核查结果", code=2).output.split())
    assert "的核查日期「12月25日」不是日期,请写成 2025-12-25 或 2025年12月25日" in said, said


# ---------------------------------------------------------------- the command sample prints


def test_the_backcheck_command_sample_prints_works_when_copied(county, monkeypatch):
    import shlex

    monkeypatch.chdir(county)
    deep = county / "很长的文件夹名称" / "第二层 有空格的文件夹" / "这一次抽查结果所在的文件夹"
    said = runner.invoke(app, ["sample", "筛查", "-o", str(deep)], env={"COLUMNS": "80"}).output
    lines = [line for line in said.splitlines() if line.strip().startswith("edgescreen backcheck")]
    assert len(lines) == 1, said  # one line, never soft-wrapped inside
    words = shlex.split(lines[0])
    assert words[:3] == ["edgescreen", "backcheck", "筛查"] and words[4:] == ["-o", "核查结果/"]
    assert Path(words[3]) == deep / "入户核查表"
    # A path without anything the shell reads is printed bare.
    said = runner.invoke(app, ["sample", "筛查", "-o", "抽查", "--seed", "3"], env={"COLUMNS": "80"}).output
    assert "  edgescreen backcheck 筛查 抽查/入户核查表/ -o 核查结果/" in said.splitlines()


# ---------------------------------------------------------------- many problems of one cause


def test_one_cause_on_every_page_is_said_once_with_its_first_places_and_wrapped(county):
    from rich.cells import cell_len

    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    for form in forms:  # every page dated long before the sample (a checker's default date)
        fill(form, {seq: {"verify_date": "2020-01-10"} for seq in pages_of(openpyxl.load_workbook(form).worksheets[0])})
    result = runner.invoke(app, ["backcheck", str(county / "筛查"), str(county / "填好"), "-o", str(county / "r")],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 2
    lines = result.output.splitlines()
    said = "".join(line.strip() for line in lines)
    assert "2 份表共 10 页的核查日期 2020-01-10 早于抽样日期" in said
    # Every page's cell, each form named once (from an outside try: three were named of 21, and the
    # clerk fixed and ran again until none was left).
    assert "合隆镇-东兴村-入户核查表.xlsx「入户核查表」D16、D34、D52" in said
    assert "合隆镇-前岗村-入户核查表.xlsx「入户核查表」D16、D34、D52、D70、D88、D106、D124" in said
    assert said.count("2020-01-10") == 1 and len(lines) <= 6
    assert max(cell_len(line) for line in lines) <= 80
    # A cause on fewer pages is said page by page, as before.
    fill(forms[0], {1: {"wage_income": ""}})
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    assert "核查序号 1:「工资性收入(元)」没有填写" in said


# ---------------------------------------------------------------- option values


@pytest.mark.parametrize("option, value, expected", [
    ("--listed-rate", "10%", "应为 0 到 1 之间的小数,如 0.1(即 10%)"),
    ("--unlisted-rate", "二成", "应为 0 到 1 之间的小数,如 0.2(即 20%)"),
    ("--seed", "abc", "随机种子应为整数,如 20191205"),
    ("--cap", "二十", "每村上限应为整数,如 200(0 为不设上限)"),
    ("--villages", "两个", "每个乡镇抽取的村数应为正整数,如 2"),
    ("--margin", "2%", "应为 0 到 1 之间的小数,如 0.02(即 ±2%)"),
])
def test_a_sample_option_that_cannot_be_read_says_what_is_expected(county, option, value, expected):
    said = " ".join(run("sample", county / "筛查", "-o", county / "抽查", option, value, code=2).output.split())
    assert f"{option} {value}:{expected}" in said
    assert "这个值不能用" not in said


def test_a_backcheck_option_that_cannot_be_read_says_what_is_expected(county):
    said = " ".join(run("backcheck", county / "筛查", county, "--threshold", "2%", code=2).output.split())
    assert "--threshold 2%:应为 0 到 1 之间的小数,如 0.02(即 2%)" in said


# ---------------------------------------------------------------- a form given twice


def test_the_same_folder_given_twice_is_read_once_and_a_copy_elsewhere_is_named_by_its_path(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(county / "抽查", county / "填好")
    said = " ".join(run("backcheck", county / "筛查", county / "填好", county / "填好" / ".", forms[0],
                        "-o", county / "r").output.split())
    assert "已核查 10 户(共抽 10 户,2 份核查表)" in said
    # A copy of the folder, byte for byte: each form compared once, the copies said by their paths.
    shutil.copytree(county / "填好", county / "副本")
    said = "".join(run("backcheck", county / "筛查", county / "填好", county / "副本", "-o", county / "r2"
                       ).output.split())  # the two paths are long, and the line wraps where it must
    assert f"{county / '副本' / forms[0].name}与{forms[0]}一字不差,只按一份比对。" in said, said
    assert "已核查10户(共抽10户,2份核查表)" in said, said
    # From an outside try: a second version handed in later (补交, one income changed) was "the same
    # document, give it once", with no word that the two differ.
    fill(county / "副本" / forms[0].name, {1: {"wage_income": 99999}})
    said = "".join(run("backcheck", county / "筛查", county / "填好", county / "副本", "-o", county / "r3",
                       code=2).output.split())
    assert f"{county / '副本' / forms[0].name}:与{forms[0]}是同一份文书,但两份内容不同:请只给其中正确的一份" in said, said


# ---------------------------------------------------------------- nothing filled in


def test_forms_with_nothing_filled_in_are_refused_not_compared(county):
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    said = " ".join(run("backcheck", county / "筛查", county / "抽查" / "入户核查表", "-o", county / "r",
                        code=2).output.split())
    assert "2 份核查表中没有一户填写了核查结果" in said and "打印用的原表" in said
    assert "已核查 0 户" not in said and not (county / "r").exists()


def test_the_form_says_which_cells_a_household_not_visited_leaves_blank(county):
    """Section 三 holds 核查人, 核查日期 and 情况说明: for a household not visited its heading asks for
    section 二 blank, the reason under 情况说明, and the verifier and date written all the same: a visit
    that failed is recorded with who went and when (backcheck keeps both), or nobody could tell a 未遇
    claimed at a desk from one tried at the door."""
    draw(county, "抽查", "--seed", "5")
    ws = openpyxl.load_workbook(county / "抽查" / "入户核查表" / "合隆镇-前岗村-入户核查表.xlsx").worksheets[0]
    at = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("三、"))
    heading = ws.cell(at, 1).value
    below = [c.value for row in ws.iter_rows(min_row=at + 1, max_row=at + 2) for c in row if isinstance(c.value, str)]
    assert below == ["核查人", "核查日期", "情况说明"], below
    assert "第二部分留空" in heading and "核查人、核查日期照填" in heading and "情况说明中写明原因" in heading
    assert "三栏留空" not in heading and "核查人、核查日期留空" not in heading, heading


def test_a_household_not_found_is_told_by_whole_phrases():
    """查无人在家 (nobody home) and 本人不存在异议 (no objection) were read as 查无此户, printed red as a
    household that may not exist (reviewer, 2026-12-02)."""
    from edgescreen.spotcheck.backcheck import not_found_pattern

    found = ["查无此户:村委会称本村没有此人", "无此人", "村里说没这户", "该户不存在", "no such household"]
    absent = ["经查无人在家,外出务工", "多次上门查无人应门", "本人不存在异议", "head not found at home"]
    said = [bool(not_found_pattern().search(t)) for t in found + absent]
    assert said == [True] * len(found) + [False] * len(absent)


@pytest.mark.parametrize("phrases, why", [([], "at least 1"), (["无此(户"], "not a regular expression"),
                                          (["无此户", "(?:查)?"], "matches an empty note")])
def test_the_not_found_phrases_are_data_checked_when_loaded(phrases, why):
    """A county may add how its verifiers write 查无此户 (data/spotcheck.toml); a phrase that is no
    pattern, or one that would take every note, is refused when the words load."""
    from pydantic import ValidationError

    from edgescreen.spotcheck.backcheck import SpotCheckWords, spot_check_words

    assert "(?:查)?无此(?:户|人)" in spot_check_words().not_found
    with pytest.raises(ValidationError, match=re.escape(why)):
        SpotCheckWords.model_validate({"not_found": phrases})


def test_a_date_example_is_never_a_day_still_to_come():
    """Drawn 2026-11-20, checked 2026-12-02, 核查日期 typed 11月5日: the example was 2027-11-05, a date
    the next look refuses as in the future (reviewer). The draw's year stays where the year after is
    still to come; the January after a December draw is taken once it has come."""
    from edgescreen.register.documents import date_example

    assert date_example("11月5日", dt.date(2026, 11, 20), dt.date(2026, 12, 2))["iso"] == "2026-11-05"
    assert date_example("1月5日", dt.date(2025, 12, 20), dt.date(2026, 1, 10))["iso"] == "2026-01-05"
    assert date_example("12月25日", dt.date(2025, 12, 20), dt.date(2026, 1, 10))["iso"] == "2025-12-25"
    # The register's forms alike: a measure form printed 2019-12-27, 1月5日 typed in the January after.
    assert date_example("1月5日", dt.date(2019, 12, 27), dt.date(2020, 2, 1))["iso"] == "2020-01-05"
    assert date_example("前天", dt.date(2019, 12, 27), dt.date(2020, 2, 1))["iso"] == "2019-12-27"


def test_a_per_capita_the_ledger_could_not_compute_is_blank_not_zero(tmp_path):
    """The ledger leaves per-capita (and a total) blank where it cannot be computed: 逐户比对 showed
    0.00, and without the survey the blank total income was compared as 0 yuan, a field differing."""
    bad_residents = candidate("前岗村", "甲", 家庭常住人口数="见备注")
    bad_wage = candidate("前岗村", "甲", 工资性收入="见备注")
    rows = [candidate("前岗村", "甲") for _ in range(3)] + [above("前岗村", "乙") for _ in range(2)]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": [*rows, bad_residents, bad_wage]})
    run("screen", survey, "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "5", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = []
    (tmp_path / "填好").mkdir()
    for form in sorted((tmp_path / "抽查" / "入户核查表").glob("*.xlsx")):
        drawn = [r for r in sample_rows(tmp_path / "抽查") if r["核查表"].endswith(form.name)]
        values = {int(r["核查序号"]): same_as_recorded(wage_income=30000 if r["户主姓名"].startswith("高") else 10000)
                  for r in drawn}
        forms.append(fill(form, values, save_as=tmp_path / "填好" / form.name))
    run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果")
    sheet = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["逐户比对"]
    header = [c.value for c in sheet[1]]
    recorded = {r[header.index("户主姓名")]: r[header.index("登记人均纯收入")]
                for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert recorded[bad_residents["户主姓名"]] in (None, "") and recorded[bad_wage["户主姓名"]] in (None, ""), recorded
    assert recorded[rows[0]["户主姓名"]] == 3333.33  # a number in the money format, to sum and filter
    # The ledger alone: the blank total income is not compared (as 0 yuan against 10,000, it differed).
    survey.rename(tmp_path / "别处.xlsx")
    from edgescreen.spotcheck.report import backcheck_into

    bc, _ = backcheck_into(tmp_path / "筛查", forms, tmp_path / "r2")
    assert bc.recorded_from == "ledger"
    assert not bc.comparisons["differs"].any(), bc.comparisons[bc.comparisons["differs"]]


def test_past_the_places_shown_a_cause_names_the_first_pages_and_counts_them_all():
    from edgescreen.catalogue import Phrase
    from edgescreen.register.documents import Problem
    from edgescreen.spotcheck.backcheck import PLACES_SHOWN, grouped_lines

    problems = [Problem(f"村{i % 7}.xlsx", Phrase("spot_visit_missing", seq=i, field="转移性收入(元)"), "入户核查表",
                        f"D{10 + i}") for i in range(PLACES_SHOWN + 9)]
    [line] = grouped_lines(problems)
    said = line.render("zh")
    assert said.startswith(f"7 份表共 {PLACES_SHOWN + 9} 页的「转移性收入(元)」没有填写,前 {PLACES_SHOWN} 页:"), said
    assert said.count("村0.xlsx") == 1 and "D10、D17" in said
    assert f"D{10 + PLACES_SHOWN - 1}" in said and f"D{10 + PLACES_SHOWN}" not in said


def _copy_sheet(source, target, first_row: int) -> None:
    """Every cell and merge of `source` into `target` from `first_row` (a clerk's copy and paste)."""
    from openpyxl.worksheet.cell_range import CellRange

    for merged in source.merged_cells.ranges:
        cells = CellRange(str(merged))
        cells.shift(row_shift=first_row - 1)
        target.merge_cells(cells.coord)
    for row in source.iter_rows():
        for cell in row:
            if cell.value is not None and not type(cell).__name__ == "MergedCell":
                target.cell(cell.row + first_row - 1, cell.column).value = cell.value


@pytest.mark.parametrize("where", ["below", "sheet"])
def test_another_villages_pages_pasted_into_a_form_are_named_as_that_villages(county, where):
    """From an outside try: 东兴村's pages pasted into 前岗村's workbook (below its pages, or as a sheet
    of their own) were said as "核查序号 1 出现了两次" and "核查序号「5」不是打印的序号"."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front, east = forms["合隆镇-前岗村-入户核查表.xlsx"], forms["合隆镇-东兴村-入户核查表.xlsx"]
    book = openpyxl.load_workbook(front)
    other = openpyxl.load_workbook(east).worksheets[0]
    if where == "below":
        sheet = book.worksheets[0]
        _copy_sheet(other, sheet, sheet.max_row + 2)
    else:
        _copy_sheet(other, book.create_sheet("东兴村", 1), 1)
    book.save(front)
    east.unlink()
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    assert "核查序号 1 这一页是合隆镇东兴村的核查表,不是本表(合隆镇前岗村)的:请从本表删去,放回东兴村的核查表单独交回" in said, said
    assert said.count("这一页是合隆镇东兴村的核查表") == 3, said
    assert "出现了两次" not in said and "不是打印的序号" not in said, said


def test_what_an_inspector_wrote_where_the_form_reads_nothing_is_said(county):
    """From an outside try: a sheet 说明 added to the workbook and a finding written beside its box
    (column E) were dropped without a word. Both are said, on the terminal and in 汇总."""
    draw(county, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = {f.name: f for f in fill_all(county / "抽查", county / "填好")}
    front = forms["合隆镇-前岗村-入户核查表.xlsx"]
    book = openpyxl.load_workbook(front)
    sheet = book.worksheets[0]
    wage = next(c for row in sheet.iter_rows() for c in row if c.value == "工资性收入(元)")
    sheet.cell(wage.row, 5).value = "另有打零工 3000元"
    book.create_sheet("说明").cell(1, 1).value = "核查序号 5 户主说去年还有打零工收入 3000 元"
    book.save(front)
    said = " ".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r").output.split())
    assert (f"合隆镇-前岗村-入户核查表.xlsx「入户核查表」E{wage.row} 写在核查表的格子之外,没有读取(如「另有打零工 3000元」)"
            in said), said
    assert "合隆镇-前岗村-入户核查表.xlsx 的工作表「说明」不是核查表的页面,没有读取(其中写有「核查序号 5 户主说去年还有打零工收入 3000…」)" in said
    summary = " ".join(str(c.value) for r in openpyxl.load_workbook(county / "r" / "backcheck.xlsx")["汇总"].iter_rows()
                       for c in r if c.value)
    assert "写在核查表的格子之外" in summary and "不是核查表的页面" in summary
    # A form as filled, nothing written elsewhere: nothing said.
    assert "格子之外" not in " ".join(run("backcheck", county / "筛查", forms["合隆镇-东兴村-入户核查表.xlsx"], "-o",
                                           county / "r2").output.split())
