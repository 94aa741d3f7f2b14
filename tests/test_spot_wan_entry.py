"""An amount written in 万元 on a form (an outside tester's report, 2026-12): a verified 0.56 where 5,593 was
recorded was read as 0.56 yuan and counted a 错评 (the screen's own 万元 check, seeing the page alone, does not
fire on one small amount beside others). An amount that agrees with the recorded one only times 10,000 is
refused like the forms' other slips, named by file, sheet and cell, and nothing is compared."""

from __future__ import annotations

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey


def _county(tmp_path, transfer_found):
    """Two candidates of wage 8,000 and transfers 2,000 (3 residents: 3,333 per person), two above; every
    page filled as recorded but the first candidate's transfers, written `transfer_found`."""
    rows = [candidate("前岗村", "甲", 工资性收入=8000, 转移性收入=2000) for _ in range(2)] \
        + [above("前岗村", "乙") for _ in range(2)]
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "3", "--listed-rate", "1",
        "--unlisted-rate", "1")
    pages, first = {}, None
    for r in sample_rows(tmp_path / "抽查"):
        if r["户主姓名"].startswith("高"):
            values = same_as_recorded(wage_income=30000)
        else:
            values = same_as_recorded(wage_income=8000, transfer_income=2000)
            if first is None:
                first = r
                values["transfer_income"] = transfer_found
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = values
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])
    return first


def test_a_candidates_income_written_in_wan_is_refused_by_its_cell(tmp_path):
    page = _county(tmp_path, 0.2)
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果",
                       code=2).output.split())
    assert "合隆镇-前岗村-入户核查表.xlsx「入户核查表」" in said, said
    assert f"核查序号{page['核查序号']}「转移性收入(元)」填的是0.2:像是按万元填写的" in said, said
    assert "0.2万元即2000元" in said, said
    assert not (tmp_path / "核查结果").exists()


def test_an_amount_off_by_less_than_ten_thousand_times_is_a_difference_not_a_slip(tmp_path):
    _county(tmp_path, 20)
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    assert "万元" not in said and "错评率:50.0%" in said, said
