"""`sample --only 乡镇-村` (an outside tester's report, 2026-12): backcheck's advice for two villages whose rate
was 超过(样本太少) was `edgescreen sample 筛查/decisions.csv --margin 0.02 -o 抽查-补充/`, which drew 1,643 of
2,910 households across all 30 villages for those two villages' sake: `sample` could not limit a draw to the
villages named. `--only` (repeatable, or a comma list; 乡镇-村 as the forms' file names and backcheck's 分村
name them; a township alone for all its villages) draws from those villages alone, sized as every other
option sizes a county's; a name the source does not hold is refused, naming it and the names nearest to it;
the terminal, 抽样设计.xlsx and sample.json say which villages the draw was limited to."""

from __future__ import annotations

import json
import shlex
from collections import Counter

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill_all, run, sample_rows, write_survey

SEED = "830466120974113"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """Three villages of 5 candidates and 10 households above the limit each: 合隆镇's 前岗村 and 新立村,
    朝阳乡's 东兴村; screened into 筛查."""
    tmp = tmp_path_factory.mktemp("only")

    def village(name, township):
        return ([candidate(name, f"{name}甲", township=township) for _ in range(5)]
                + [above(name, f"{name}乙", township=township) for _ in range(10)])

    survey = write_survey(tmp / "农安县.xlsx", {"合隆镇": village("前岗村", "合隆镇") + village("新立村", "合隆镇"),
                                                "朝阳乡": village("东兴村", "朝阳乡")})
    run("screen", survey, "-o", tmp / "筛查")
    return tmp


def _drawn(folder) -> Counter:
    return Counter((r["乡(镇)"], r["行政村"], r["抽样层"]) for r in sample_rows(folder))


def test_only_draws_from_the_villages_named_sized_by_margin_for_them(county):
    said = run("sample", county / "筛查", "-o", county / "两村", "--seed", SEED, "--margin", "0.3",
               "--only", "合隆镇-前岗村", "--only", "朝阳乡-东兴村").output
    # The two villages are the population: candidates N = 10, z = 1.96, n0 = 1.96² · 0.25 / 0.3² = 10.67,
    # n = ⌈10.67 / (1 + 9.67/10)⌉ = 6, 3 to each village; the others N = 20, n = ⌈10.67 / (1 + 9.67/20)⌉ = 8,
    # 4 to each. Over the county (N = 15 and 30) it would be 7 and 9, and 新立村 would have its share.
    assert _drawn(county / "两村") == {("合隆镇", "前岗村", "候选户"): 3, ("合隆镇", "前岗村", "非候选户"): 4,
                                      ("朝阳乡", "东兴村", "候选户"): 3, ("朝阳乡", "东兴村", "非候选户"): 4}
    assert sorted(p.name for p in (county / "两村" / "入户核查表").iterdir()) == [
        "合隆镇-前岗村-入户核查表.xlsx", "朝阳乡-东兴村-入户核查表.xlsx"]
    words = "".join(said.split())
    assert "只从指定的村抽样(2个,来源共3个村):合隆镇-前岗村、朝阳乡-东兴村" in words, said
    assert "不代表全县" in words
    record = json.loads((county / "两村" / "sample.json").read_text(encoding="utf-8"))
    assert record["only"] == [{"township": "合隆镇", "village": "前岗村"}, {"township": "朝阳乡", "village": "东兴村"}]
    assert record["options"]["only"] == ["合隆镇-前岗村", "朝阳乡-东兴村"]
    assert record["villages"] == {"total": 2, "sampled": 2, "in_source": 3}
    # Each village named is in its township's population alone: drawn for certain (π_v = 1), its weights N_h/n_h.
    assert {(s["village"], s["stratum"], s["villages_in_township"], s["villages_sampled"]) for s in record["strata"]} \
        == {("前岗村", "listed", 1, 1), ("前岗村", "unlisted", 1, 1), ("东兴村", "listed", 1, 1),
            ("东兴村", "unlisted", 1, 1)}
    assert {round(float(r["权数"]), 4) for r in sample_rows(county / "两村") if r["抽样层"] == "候选户"} == {1.6667}


def test_a_comma_list_and_a_township_name_the_same_villages(county):
    run("sample", county / "筛查", "-o", county / "逗号", "--seed", SEED, "--margin", "0.3",
        "--only", "朝阳乡-东兴村,合隆镇-前岗村")
    run("sample", county / "筛查", "-o", county / "重复", "--seed", SEED, "--margin", "0.3",
        "--only", "合隆镇-前岗村", "--only", "朝阳乡-东兴村")
    assert sample_rows(county / "逗号") == sample_rows(county / "重复")
    # Typed on a Chinese keyboard: a full-width comma and dash (a review found them read as one name).
    run("sample", county / "筛查", "-o", county / "全角", "--seed", SEED, "--margin", "0.3",
        "--only", "朝阳乡－东兴村，合隆镇－前岗村")
    assert sample_rows(county / "全角") == sample_rows(county / "重复")
    # 合隆镇 alone: both its villages, none of 朝阳乡's.
    run("sample", county / "筛查", "-o", county / "一镇", "--seed", SEED, "--only", "合隆镇、合隆镇-新立村")
    assert {(t, v) for t, v, _ in _drawn(county / "一镇")} == {("合隆镇", "前岗村"), ("合隆镇", "新立村")}


def test_a_village_the_source_does_not_hold_is_refused_naming_it_and_the_nearest(county):
    said = run("sample", county / "筛查", "-o", county / "错名", "--seed", SEED,
               "--only", "合隆镇-前冈村", "--only", "东兴村", "--only", "合隆镇-新立村", code=2).output
    words = "".join(said.split())
    assert "来源里没有这样的村(2个):合隆镇-前冈村(是不是:合隆镇-前岗村" in words, said
    assert "东兴村(是不是:朝阳乡-东兴村" in words, said
    assert "合隆镇-新立村(" not in words  # the village the source holds is not among those refused
    assert not (county / "错名").exists()


def test_the_design_sheet_says_the_limit_and_lists_the_villages_named(county):
    run("sample", county / "筛查", "-o", county / "设计", "--seed", SEED, "--only", "朝阳乡-东兴村")
    book = openpyxl.load_workbook(county / "设计" / "抽样设计.xlsx")
    about = {r[0].value: r[1].value for r in book["说明"].iter_rows(min_row=3) if r[0].value}
    assert "朝阳乡-东兴村" in about["抽样范围"] and "来源共 3 个村" in about["抽样范围"], about
    villages = [r[1].value for r in book["各村"].iter_rows(min_row=4) if r[1].value]
    assert villages == ["东兴村"], villages


def test_backcheck_compares_a_sample_of_the_villages_named(county):
    run("sample", county / "筛查", "-o", county / "补充", "--seed", SEED, "--margin", "0.3",
        "--only", "合隆镇-前岗村,朝阳乡-东兴村")
    fill_all(county / "补充", county / "交回")
    said = "".join(run("backcheck", county / "筛查", county / "交回", "-o", county / "核查结果").output.split())
    assert "已核查14户(共抽14户,2份核查表)" in said, said


def test_backchecks_advice_to_sample_further_names_only_the_villages_too_few(tmp_path):
    """The advice for a village 超过(样本太少) is a sample of that village (--only), not of the county: the
    outside try's advice drew 1,643 of 2,910 households for two villages' sake. Run as written, it draws
    from that village alone."""
    from spotcheck_builders import draw

    rows = ([candidate("前岗村", "甲") for _ in range(7)] + [above("前岗村", "乙") for _ in range(4)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "0.25")
    forms = fill_all(tmp_path / "抽查", tmp_path / "回收", {("东兴村", "候选户", 1): {"wage_income": 30000}})
    said = run("backcheck", tmp_path / "筛查", *forms, "-o", tmp_path / "核查结果").output
    line = next(l for l in said.splitlines() if "edgescreen sample" in l)
    command = line[line.index("edgescreen sample"):].split("`")[0].split("」")[0].strip()
    assert " --only 合隆镇-东兴村 " in f"{command} " and "前岗村" not in command, said
    words = shlex.split(command)[2:]
    words[words.index("-o") + 1] = str(tmp_path / "补充")
    run("sample", *words)
    assert {r["行政村"] for r in sample_rows(tmp_path / "补充")} == {"东兴村"}
