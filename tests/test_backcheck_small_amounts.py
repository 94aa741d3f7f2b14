"""A small amount the verifier confirmed at the household (an outside try, year two): the survey recorded
家庭经营费用支出 7 元 for 余健明 beside a business income of 8,994 (the screen warned: amount_unit_suspect),
the verifier found 7 at the home and wrote 7 on the blind form, and `backcheck` refused the whole comparison
of 18 forms for 「金额疑按万元填写」, with nothing to correct. An amount the screen's 万元 check flags on a
page is still refused where the survey recorded another figure (0.5 where 8,000 was recorded cannot be
compared); where the survey recorded the same amount, the visit confirmed it: compared, and said as a note."""

from __future__ import annotations

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey

# 余健明's household as the try's survey recorded it: 4 of 4, per capita (15,192 − 707) / 4 = 3,621.25.
YU = dict(家庭人口数=4, 家庭常住人口数=4, 工资性收入=4362, 家庭经营收入=8994, 财产性收入=800, 转移性收入=1036,
          家庭经营费用支出=7, 生产性固定资产折旧=500, 税金和上交承包费用=200)
YU_FOUND = dict(members=4, residents=4, wage_income=4362, business_income=8994, property_income=800,
                transfer_income=1036, business_costs=7, depreciation=500, taxes_fees=200)
# A farm whose costs the survey recorded in yuan: 8,000 beside a business income of 20,000.
FARM = dict(工资性收入=0, 家庭经营收入=20000, 家庭经营费用支出=8000)
FARM_FOUND = dict(wage_income=0, business_income=20000, business_costs=8000)


def _county(tmp_path, yu_found: dict, farm_found: dict):
    """前岗乡 前进村: 余健明's household, the farm, two clean candidates and two above, every one drawn;
    each page filled as recorded but 余健明's (`yu_found`) and the farm's (`farm_found`) changes."""
    rows = [candidate("前进村", "陆强英", township="前岗乡", 户主姓名="余健明", **YU),
            candidate("前进村", "陆强英", township="前岗乡", 户主姓名="农场主", **FARM),
            *(candidate("前进村", "陆强英", township="前岗乡") for _ in range(2)),
            *(above("前进村", "陆强英", township="前岗乡") for _ in range(2))]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"前岗乡": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "5", "--listed-rate", "1",
        "--unlisted-rate", "1")
    pages, seqs = {}, {}
    for r in sample_rows(tmp_path / "抽查"):
        name = r["户主姓名"]
        if name == "余健明":
            values = same_as_recorded(**{**YU_FOUND, **yu_found})
        elif name == "农场主":
            values = same_as_recorded(**{**FARM_FOUND, **farm_found})
        else:
            values = same_as_recorded(wage_income=30000 if name.startswith("高") else 10000)
        seqs[name] = int(r["核查序号"])
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])
    return seqs


def _backcheck(tmp_path, code=0) -> str:
    return "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=code).output.split())


def test_a_small_cost_the_visit_found_as_recorded_is_compared_without_a_note(tmp_path):
    """余健明's 7 yuan found as the survey recorded it: compared as it stands and not listed (an outside
    try's terminal repeated 17 such amounts, each equal to the survey's, at every run)."""
    seqs = _county(tmp_path, {}, {})
    said = _backcheck(tmp_path)
    assert "改正后再运行" not in said and (tmp_path / "核查结果").exists(), said
    assert f"核查序号{seqs['余健明']}" not in said and "与筛查时登记的相同" not in said, said
    # Every page agrees with the survey: nothing wrongly listed, nothing differing.
    assert "错评率:0.0%" in said, said


def test_a_small_cost_that_differs_from_the_recorded_one_is_still_refused(tmp_path):
    seqs = _county(tmp_path, {}, {"business_costs": 0.5})
    said = _backcheck(tmp_path, code=2)
    assert f"核查序号{seqs['农场主']}:「家庭经营费用支出(元)」填的是「0.5」(金额过小:疑按万元填写或漏填)" in said, said
    assert f"核查序号{seqs['余健明']}:" not in said, said
    assert not (tmp_path / "核查结果").exists()


def test_a_small_cost_the_visit_found_otherwise_than_recorded_is_refused_too(tmp_path):
    """余健明's 7 recorded, 3 found: both small, but the visit did not confirm the survey's figure."""
    seqs = _county(tmp_path, {"business_costs": 3}, {})
    said = _backcheck(tmp_path, code=2)
    assert f"核查序号{seqs['余健明']}:「家庭经营费用支出(元)」填的是「3」(金额过小:疑按万元填写或漏填)" in said, said


def test_without_the_survey_a_small_cost_is_confirmed_by_the_total_it_is_part_of(tmp_path):
    """The survey moved away: the screen's ledger keeps 家庭生产经营性支出 (707) but no components. The
    verifier's 7 + 500 + 200 gives the 707 recorded (as 7万 it would be 70,700): compared, said as a note."""
    seqs = _county(tmp_path, {}, {})
    (tmp_path / "农安县.xlsx").rename(tmp_path / "别处.xlsx")
    said = _backcheck(tmp_path)
    assert "找不到筛查时读入的调查表" in said and (tmp_path / "核查结果").exists(), said
    assert f"前岗乡-前进村-入户核查表.xlsx核查序号{seqs['余健明']}「家庭经营费用支出(元)」7.00元" in said, said


def test_without_the_survey_a_small_cost_off_the_recorded_total_is_refused(tmp_path):
    seqs = _county(tmp_path, {}, {"business_costs": 0.5})
    (tmp_path / "农安县.xlsx").rename(tmp_path / "别处.xlsx")
    said = _backcheck(tmp_path, code=2)
    assert f"核查序号{seqs['农场主']}:「家庭经营费用支出(元)」填的是「0.5」(金额过小:疑按万元填写或漏填)" in said, said
    assert f"核查序号{seqs['余健明']}:" not in said, said
