"""A merged village with one family moved, and a village whose survey never came (an outside try, BT).

合村并组 in the try: 红旗村 and 新立村 joined into 红新村, and the same year one family of 红旗村 (陆国军)
moved to 东风村. Before: a village read as merged only where every one of its households was in the one
village, so 红旗村's households in 红新村 were as many 迁出/迁入. Now a village with no survey row of its
own, most of whose registered households (years.MERGED_SHARE) are in one village of its township, is
merged into it; its other households are moves, said as moves.

The try's 2021 survey had no row of 红新村 (26 of 26 本年未调查), and nothing said the village's whole
survey may be missing. Now the terminal and changes.xlsx say so once per such village, with how many
households the register has there and how to add the survey late (--add-to-round)."""

from __future__ import annotations

import pytest

from test_register_merged_village import in_2020, people, screen_2020
from years_builders import register_everyone, run

INTO = {"乡(镇)": "合隆镇", "行政村": "红新村"}
HONGQI = {"乡(镇)": "合隆镇", "行政村": "红旗村"}
XINLI = {"乡(镇)": "合隆镇", "行政村": "新立村"}
DONGFENG = {"乡(镇)": "合隆镇", "行政村": "东风村"}
YONGAN = {"乡(镇)": "合隆镇", "行政村": "永安村"}

# 2019: every household registered (each in the band).
INTO_2019 = people(INTO, 900, 3)
HONGQI_2019 = people(HONGQI, 910, 5)
XINLI_2019 = people(XINLI, 920, 3)
DONGFENG_2019 = people(DONGFENG, 930, 2)
YONGAN_2019 = people(YONGAN, 940, 5)

MERGED_MOST = "合隆镇红旗村本年没有调查表,登记簿在该村的 5 户中有 4 户本年在红新村调查:多半是撤并村(村庄合并)"
UNSURVEYED = "合隆镇永安村:本年调查表中没有该村的任何一行"
LATE = "edgescreen screen 调查表.xlsx --year 2020 --register"


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("merged_missing")
    return register_everyone(tmp, INTO_2019 + HONGQI_2019 + XINLI_2019 + DONGFENG_2019 + YONGAN_2019)


def flat(text: str) -> str:
    return "".join(text.split())


def test_a_merged_village_with_one_family_moved_is_merged_and_the_family_a_move(registered, tmp_path):
    """4 of 红旗村's 5 surveyed in 红新村, one in 东风村, no 红旗村 row; 新立村's 3 all in 红新村 too: both
    villages merged into 红新村, the one family a move to 东风村."""
    hongqi = in_2020(HONGQI_2019)
    rows = (in_2020(INTO_2019) + [{**r, **INTO} for r in hongqi[:4]] + [{**hongqi[4], **DONGFENG}]
            + in_2020(XINLI_2019, INTO) + in_2020(DONGFENG_2019) + in_2020(YONGAN_2019))
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for r in hongqi[:4]:
        line = lines[r["户主姓名"]]
        assert line["行政村"] == "红新村" and line["说明"].startswith("原红旗村(本年并入红新村)"), line
    for r in XINLI_2019:
        assert lines[r["户主姓名"]]["说明"].startswith("原新立村(本年并入红新村)"), lines[r["户主姓名"]]
    moved = lines[hongqi[4]["户主姓名"]]
    assert moved["行政村"] == "东风村" and moved["说明"].startswith("上次调查在合隆镇红旗村,本年在本村调查"), moved
    # Counted: 红旗村 4 merged away and 1 moved out; 红新村 7 merged in, no move; 东风村 1 moved in.
    hq, into, df = summary["红旗村"], summary["红新村"], summary["东风村"]
    assert (hq["本轮前在册"], hq["撤并村并出"], hq["迁出"]) == (5, 4, 1), hq
    assert (into["撤并村并入"], into["迁入"], into["继续帮扶"]) == (7, 0, 10), into
    assert (df["迁入"], df["撤并村并入"]) == (1, 0), df
    assert (summary["新立村"]["撤并村并出"], summary["新立村"]["迁出"]) == (3, 0), summary["新立村"]
    # Said once each, below the table and on the terminal; 红旗村 in its own words (4 of 5, the other 1).
    said = [t for t in texts if MERGED_MOST in t]
    assert len(said) == 1 and "其余 1 户按各自的情况列出" in said[0], texts
    assert sum("合隆镇新立村的 3 户本年都在红新村调查" in t for t in texts) == 1, texts
    assert flat(output).count(flat(MERGED_MOST)) == 1, output
    # A merged village is no village whose survey never came.
    assert "本年调查表中没有该村" not in flat(output) and not any("本年调查表中没有该村" in t for t in texts), output


def test_a_registered_village_with_no_survey_row_is_said_once_with_the_way_to_add_it_late(registered, tmp_path):
    """永安村's 5 registered households, no row of 永安村 in the survey: the terminal and changes.xlsx say
    once that its survey may not have come, its 5 households, and --add-to-round."""
    rows = in_2020(INTO_2019) + in_2020(HONGQI_2019) + in_2020(XINLI_2019) + in_2020(DONGFENG_2019)
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for r in YONGAN_2019:
        assert lines[r["户主姓名"]]["变动"] == "本年未调查", lines[r["户主姓名"]]
    said = [t for t in texts if UNSURVEYED in t]
    assert len(said) == 1, texts
    assert "登记簿在该村的 5 户本年都没有调查" in said[0] and "多半是该村的调查表没有交来(漏交)" in said[0], said
    assert f"{LATE} 登记簿.db --add-to-round" in said[0], said
    words = flat(output)
    assert words.count(flat(UNSURVEYED)) == 1, output
    assert flat("登记簿在该村的 5 户本年都没有调查") in words and "--add-to-round" in words, output
    assert flat(f"{LATE} ") in words, output
    # Only that village: the others have their rows.
    assert not any(v in t for t in said for v in ("红旗村", "新立村", "东风村"))


def test_a_village_without_rows_whose_families_went_several_ways_is_moves_and_said_unsurveyed(registered, tmp_path):
    """永安村 has no row; 3 of its 5 are in 红新村 (60 %: not most), 2 nowhere: 3 moves, not a merge, and
    the village is said as one whose survey may be missing, 2 of its 5 not surveyed."""
    yongan = in_2020(YONGAN_2019)
    rows = (in_2020(INTO_2019) + in_2020(HONGQI_2019) + in_2020(XINLI_2019) + in_2020(DONGFENG_2019)
            + [{**r, **INTO} for r in yongan[:3]])
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for r in yongan[:3]:
        assert lines[r["户主姓名"]]["说明"].startswith("上次调查在合隆镇永安村,本年在本村调查"), lines[r["户主姓名"]]
    assert not any("本年并入" in (line["说明"] or "") for line in lines.values()), lines
    assert summary["永安村"]["迁出"] == 3 and "撤并村并出" not in summary["永安村"], summary["永安村"]
    said = [t for t in texts if UNSURVEYED in t]
    assert len(said) == 1 and "登记簿在该村有 5 户,其中 2 户本年未调查" in said[0], texts
    assert flat(output).count(flat(UNSURVEYED)) == 1, output


def test_a_village_with_its_own_rows_and_families_moved_stays_moves(registered, tmp_path):
    """Guard: 红旗村 keeps one row of its own, 4 of its families in 红新村: 4 moves, no merge, and no word
    of a missing survey."""
    hongqi = in_2020(HONGQI_2019)
    rows = (in_2020(INTO_2019) + [{**r, **INTO} for r in hongqi[:4]] + hongqi[4:] + in_2020(XINLI_2019)
            + in_2020(DONGFENG_2019) + in_2020(YONGAN_2019))
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for r in hongqi[:4]:
        assert lines[r["户主姓名"]]["说明"].startswith("上次调查在合隆镇红旗村,本年在本村调查"), lines[r["户主姓名"]]
    assert summary["红旗村"]["迁出"] == 4 and "撤并村并出" not in summary["红旗村"], summary["红旗村"]
    assert not any("撤并村" in t or "本年调查表中没有该村" in t for t in texts), texts
    assert "本年调查表中没有该村" not in flat(output)


def test_the_history_of_a_merged_villages_household_says_the_merge_and_of_the_family_that_moved_a_move(registered,
                                                                                                       tmp_path):
    """`register history` said 迁入 for every household of 红旗村 found in 红新村 (left from an earlier try:
    the merge is judged in the comparison and not stored). It judges it again from the round's stored
    changes: the merge for the 4 in 红新村, a move for the family in 东风村."""
    hongqi = in_2020(HONGQI_2019)
    rows = (in_2020(INTO_2019) + [{**r, **INTO} for r in hongqi[:4]] + [{**hongqi[4], **DONGFENG}]
            + in_2020(XINLI_2019, INTO) + in_2020(DONGFENG_2019) + in_2020(YONGAN_2019))
    screen_2020(registered, tmp_path, rows)
    db = tmp_path / "农安县.db"
    merged = flat(run("register", "history", db, "--id", HONGQI_2019[0]["户主身份证号"]).output)
    assert "(上次调查在合隆镇红旗村,本轮在合隆镇红新村调查:撤并村并入,不是迁户)" in merged, merged
    assert ":迁入)" not in merged, merged
    moved = flat(run("register", "history", db, "--id", HONGQI_2019[4]["户主身份证号"]).output)
    assert "(上次调查在合隆镇红旗村,本轮在合隆镇东风村调查:迁入)" in moved and "撤并村" not in moved, moved
