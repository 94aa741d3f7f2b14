"""A township whose whole survey never came, and a township missing two of its villages' surveys: said
once for the township, not a paragraph per village (left from an outside try: 华家镇's survey not handed
in read as six paragraphs, the same advice and command six times, on the terminal and in changes.xlsx).

A village with no row, alone in its township, is still said as before
(test_years_merged_and_missing_village)."""

from __future__ import annotations

import pytest


from test_register_merged_village import in_2020, people, screen_2020
from years_builders import register_everyone, run

HONGQI = {"乡(镇)": "合隆镇", "行政村": "红旗村"}
XINLI = {"乡(镇)": "合隆镇", "行政村": "新立村"}
DONGFENG = {"乡(镇)": "合隆镇", "行政村": "东风村"}
EAST = {"乡(镇)": "华家镇", "行政村": "东升村"}
FIVE = {"乡(镇)": "华家镇", "行政村": "五家子村"}
EIGHT = {"乡(镇)": "华家镇", "行政村": "八里营村"}

HONGQI_2019 = people(HONGQI, 910, 3)
XINLI_2019 = people(XINLI, 920, 2)
DONGFENG_2019 = people(DONGFENG, 930, 2)
EAST_2019 = people(EAST, 940, 2)
FIVE_2019 = people(FIVE, 950, 3)
EIGHT_2019 = people(EIGHT, 960, 1)

LATE = "edgescreen screen 调查表.xlsx --year 2020 --register"


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("township_missing")
    return register_everyone(tmp, HONGQI_2019 + XINLI_2019 + DONGFENG_2019 + EAST_2019 + FIVE_2019 + EIGHT_2019)


def flat(text: str) -> str:
    return "".join(text.split())


def test_a_township_without_a_row_is_said_once_with_its_villages_and_the_way_to_add_it_late(registered, tmp_path):
    """No row of 华家镇 in 2020 (its 3 villages, 6 registered households): one sentence on the terminal,
    one in changes.xlsx, and the same before `register next` prints the 未调查户核实 forms."""
    rows = in_2020(HONGQI_2019) + in_2020(XINLI_2019) + in_2020(DONGFENG_2019)
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for r in EAST_2019 + FIVE_2019 + EIGHT_2019:
        assert lines[r["户主姓名"]]["变动"] == "本年未调查", lines[r["户主姓名"]]
    whole = "华家镇:本年调查表中没有该乡镇的任何一行(3 个村:东升村、五家子村、八里营村),登记簿在这些村的 6 户本年都没有调查"
    said = [t for t in texts if "本年调查表中没有" in t]
    assert len(said) == 1 and said[0].startswith(whole), said
    assert "多半是该乡镇的调查表没有交来(漏交),请向华家镇查明" in said[0] and f"{LATE} 登记簿.db --add-to-round" in said[0], said
    words = flat(output)
    assert words.count(flat("本年调查表中没有")) == 1 and flat(whole) in words, output
    assert "本年调查表中没有该村" not in words, output
    # `register next` says it once too, before the forms (its table is the round's, judged again).
    db = tmp_path / "农安县.db"
    printed = flat(run("register", "next", db, "--date", "2020-11-21", "-o", tmp_path / "文书").output)
    assert printed.count(flat("本年调查表中没有")) == 1 and flat(whole) in printed, printed
    assert flat(f"{LATE} ") in printed, printed


def test_two_villages_of_a_township_without_rows_are_one_sentence_naming_both(registered, tmp_path):
    """合隆镇's 红旗村 and 新立村 have no row, 东风村 has its own, 华家镇 all of its: one sentence for the two
    villages (5 registered households), not one per village, and no word of 合隆镇's whole survey."""
    rows = in_2020(DONGFENG_2019) + in_2020(EAST_2019) + in_2020(FIVE_2019) + in_2020(EIGHT_2019)
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    both = "合隆镇红旗村、新立村这 2 个村:本年调查表中没有这些村的任何一行,登记簿在这些村的 5 户本年都没有调查"
    said = [t for t in texts if "本年调查表中没有" in t]
    assert len(said) == 1 and said[0].startswith(both), said
    assert "多半是这些村的调查表没有交来(漏交),请向合隆镇查明" in said[0], said
    words = flat(output)
    assert words.count(flat("本年调查表中没有")) == 1 and flat(both) in words, output
    assert "没有该乡镇的任何一行" not in words, output


def test_one_village_of_a_township_gone_with_its_household_elsewhere_counts_only_the_missing(registered, tmp_path):
    """Both of 华家镇's other villages have rows; 五家子村 none, one of its 3 households surveyed in 东升村
    (not most: no merge): the village's own sentence, 2 of its 3 not surveyed, as before."""
    five = in_2020(FIVE_2019)
    rows = (in_2020(HONGQI_2019) + in_2020(XINLI_2019) + in_2020(DONGFENG_2019) + in_2020(EAST_2019)
            + [{**five[0], **EAST}] + in_2020(EIGHT_2019))
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    said = [t for t in texts if "本年调查表中没有" in t]
    assert len(said) == 1 and said[0].startswith("华家镇五家子村:本年调查表中没有该村的任何一行,登记簿在该村有 3 户,其中 2 户本年未调查"), said
