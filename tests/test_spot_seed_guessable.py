"""A guessable seed (an outside tester's report, 2026-12): with `--seed 20191205`, the README's own example, the
ledger and one village's blank form, trying every date found the seed in seconds and foretold every other
village's sample. A seed given by hand that is date-shaped or short is warned of, on the terminal, in 抽样设计.xlsx
and in sample.json; the draw stays reproducible from it."""

from __future__ import annotations

import json

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import draw, run, sample_rows, small_county
from edgescreen.spotcheck.design import guessable_seed


@pytest.mark.parametrize("seed, reason", [(20191205, "date"), (201912051030, "date"), (12345, "short"),
                                          (99999999999, "short"), (738294017263, None),
                                          (5_872_391_004_611_292_117, None)])
def test_which_seeds_can_be_guessed(seed, reason):
    assert guessable_seed(seed) == reason


def _about(folder) -> str:
    sheet = openpyxl.load_workbook(folder / "抽样设计.xlsx")["说明"]
    return " ".join(str(c.value) for r in sheet.iter_rows() for c in r if c.value)


def test_a_date_shaped_seed_is_warned_of_everywhere_and_still_draws_the_same(tmp_path):
    run("screen", small_county(tmp_path / "农安县.xlsx"), "-o", tmp_path / "筛查")
    said = "".join(draw(tmp_path, "抽查", "--seed", "20191205").output.split())
    assert "随机种子20191205是日期的样子,很容易被猜到" in said and "请去掉--seed" in said, said
    assert "很容易被猜到" in _about(tmp_path / "抽查")
    assert json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["seed_guessable"] == "date"
    draw(tmp_path, "再抽", "--seed", "20191205")
    assert sample_rows(tmp_path / "抽查") == sample_rows(tmp_path / "再抽")  # reproducible all the same


def test_a_seed_the_system_draws_is_no_warning(tmp_path):
    run("screen", small_county(tmp_path / "农安县.xlsx"), "-o", tmp_path / "筛查")
    said = draw(tmp_path, "抽查").output
    assert "容易被猜到" not in said and "容易被猜到" not in _about(tmp_path / "抽查")
    assert json.loads((tmp_path / "抽查" / "sample.json").read_text(encoding="utf-8"))["seed_guessable"] is None
