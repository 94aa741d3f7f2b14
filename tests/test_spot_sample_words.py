"""The words of `edgescreen sample` and of a stray form (an outside tester's report, 2026-12): 「20 个村
(共 20 个)」 when one village got nobody and 19 forms were printed; 「其中 1 个村一户未抽:…的候选户…」
listing a stratum as a village; 「其中 0 个村…」; 「(按户数比例分配所致)要」 with no stop between; and
a form of another sample beside this village's right one told to be swapped for it, not taken out."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import (draw, fill_all, run, small_county, three_villages_drawn_twice,
                                uneven_county)


def test_a_village_with_nobody_drawn_is_not_counted_and_strata_are_not_called_villages(tmp_path):
    run("screen", uneven_county(tmp_path / "县.xlsx"), "-o", tmp_path / "筛查")
    said = "".join(draw(tmp_path, "抽查", "--seed", "5", "--margin", "0.3").output.split())
    forms = list((tmp_path / "抽查" / "入户核查表").glob("*.xlsx"))
    assert len(forms) == 2 and "2个村(共3个)" in said, said
    assert ("分到0户,共3户(候选户1户,非候选户2户):合隆镇中村的候选户(未抽样,1户)、合隆镇小村(未抽样,2户)。"
            "其中1个村一户也没有抽到,不印核查表:合隆镇小村。") in said, said
    assert "个村一户未抽:" not in said and "所致)要" not in said and "这是按户数比例分配的结果;要每个村都抽到" in said, said
    about = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "抽查" / "抽样设计.xlsx")["说明"]
             .iter_rows(values_only=True) if r[0]}
    assert about["样本"].startswith("抽中 2 个村(共 3 个)"), about["样本"]


def test_no_village_without_a_household_drawn_says_no_count_of_none(tmp_path):
    survey = small_county(tmp_path / "农安县.xlsx")
    run("screen", survey, "-o", tmp_path / "筛查")
    said = "".join(draw(tmp_path, "抽查", "--seed", "5", "--cap", "1").output.split())
    assert "分到0户" in said and "其中0个村" not in said and "一户也没有抽到" not in said, said
    assert "2个村(共2个)" in said, said


def test_a_form_of_another_sample_beside_this_villages_own_is_to_be_taken_out(tmp_path):
    three_villages_drawn_twice(tmp_path)
    one = fill_all(tmp_path / "抽查", tmp_path / "填好")
    (tmp_path / "填好" / "旧").mkdir()
    stray = next(f for f in fill_all(tmp_path / "另一次", tmp_path / "填好2") if "东兴村" in f.name)
    stray.rename(tmp_path / "填好" / "旧" / stray.name)
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "x", code=2).output.split())
    assert said.count("属于另一次抽样") == 1, said
    assert "其中已有这个村的核查表:这份是多出来的,请把它移出" in said and "请换成样本" not in said, said
    # Without this village's own form, the stray one is still to be swapped for it.
    next(f for f in one if "东兴村" in f.name).unlink()
    said = "".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "x", code=2).output.split())
    assert "请换成样本" in said and "多出来的" not in said, said
