"""A village merged into another of its township (撤并村): an outside try of three years merged 新立村 into
永胜村 in 2021, all 23 registered households of 新立村 listed in 永胜村's survey, none of its own. Before:
changes.xlsx said on each line 上次调查在布海镇新立村,本年在本村调查 and its 变动汇总 counted 23 迁出 and
23 迁入, as if 23 families had moved. Now it says once that the village looks merged, its lines say
原新立村(本年并入永胜村), and the summary counts them apart (撤并村并出/并入). A village only some of whose
households are elsewhere, one with a survey of its own, or too small to tell, stays as moves."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import register_everyone, run, survey

FRONT = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
BACK = {"乡(镇)": "合隆镇", "行政村": "后岗村"}
SMALL = {"乡(镇)": "合隆镇", "行政村": "小岗村"}
ELSEWHERE = {"乡(镇)": "万顺乡", "行政村": "东岗村"}
MERGED_WORDS = "合隆镇后岗村的 3 户本年都在前岗村调查,未见后岗村的调查表:多半是撤并村(村庄合并)"


def people(place: dict, start: int, count: int, wage: int = 10000) -> list[dict]:
    return [{**place, "户主姓名": f"户{start + i}", "户主身份证号": make_id(f"1968{i + 1:02d}14", serial=start + i),
             "户编号": f"HB{start + i}", "工资性收入": wage} for i in range(count)]


# 2019: 前岗村 4 registered, 后岗村 3 (and 户830, above the band: surveyed, not registered), 小岗村 2.
FRONT_2019 = people(FRONT, 800, 4)
BACK_2019 = people(BACK, 820, 3)
ABOVE_2019 = people(BACK, 830, 1, wage=15000)
SMALL_2019 = people(SMALL, 840, 2)


def in_2020(rows: list[dict], place: dict | None = None) -> list[dict]:
    """The households a year on, in `place` (or where they were): each wage a little up, so that no
    village reads as copied from last year's survey."""
    return [{**r, **(place or {}), "工资性收入": 10200 + 10 * i} for i, r in enumerate(rows)]


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("merged")
    return register_everyone(tmp, FRONT_2019 + BACK_2019 + ABOVE_2019 + SMALL_2019)


def screen_2020(registered, tmp_path, rows: list[dict]):
    db = tmp_path / "农安县.db"
    shutil.copyfile(registered, db)
    source = survey(tmp_path / "2020调查表.xlsx", rows)
    output = run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db,
                 "--date", "2020-11-20").output
    book = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")
    table = [[c.value for c in r] for r in book["变动名单"].iter_rows()]
    header = next(r for r in table if "户主姓名" in r)
    lines = {r[header.index("户主姓名")]: dict(zip(header, r)) for r in table[table.index(header) + 1:]
             if r[header.index("户主姓名")]}
    sheet = [[c.value for c in r] for r in book["变动汇总"].iter_rows()]
    top = next(r for r in sheet if "行政村" in r)
    summary = {r[top.index("行政村")] or r[0]: dict(zip(top, r)) for r in sheet[sheet.index(top) + 1:] if r[0]}
    texts = [c for r in sheet for c in r if isinstance(c, str)]
    return output, lines, summary, texts


def test_a_village_whose_every_household_is_in_another_of_its_township_reads_as_merged(registered, tmp_path):
    """后岗村's 3 registered households all in 前岗村's survey, 后岗村 none of its own; 户830, surveyed
    there last year above the band, is a new candidate in 前岗村 now."""
    rows = in_2020(FRONT_2019) + in_2020(BACK_2019 + ABOVE_2019, FRONT) + in_2020(SMALL_2019)
    rows[-3]["工资性收入"] = 10000  # 户830 in the band now
    output, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    for name in ("户820", "户821", "户822"):
        assert lines[name]["行政村"] == "前岗村" and lines[name]["变动"] == "继续帮扶", lines[name]
        assert lines[name]["说明"].startswith("原后岗村(本年并入前岗村);人均纯收入仍在标准范围内"), lines[name]
    assert lines["户830"]["变动"] == "新识别候选", lines["户830"]
    assert lines["户830"]["说明"].startswith("原后岗村(本年并入前岗村);按认定程序办理"), lines["户830"]
    assert not any("上次调查在" in (line["说明"] or "") for line in lines.values()), lines
    # Counted apart, not as moves: on the register before in 后岗村 (3), merged into 前岗村 (4 + 3 there now).
    back, front, total = summary["后岗村"], summary["前岗村"], summary["合计"]
    assert (back["本轮前在册"], back["迁出"], back["撤并村并出"], back["撤并村并入"], back["继续帮扶"]) == (3, 0, 3, 0, 0), back
    assert (front["本轮前在册"], front["迁入"], front["撤并村并出"], front["撤并村并入"], front["继续帮扶"],
            front["新识别候选"]) == (4, 0, 0, 3, 7, 1), front
    assert (total["迁出"], total["迁入"], total["撤并村并出"], total["撤并村并入"]) == (0, 0, 3, 3), total
    # Said once, below the table, with what to do either way.
    said = [t for t in texts if MERGED_WORDS in t]
    assert len(said) == 1, texts
    assert "如是,这些户随村并入前岗村,不是迁户" in said[0] and "后岗村的调查表是否漏交" in said[0], said
    assert "小岗村" not in said[0]
    assert "继续帮扶:9 户" in " ".join(output.split())
    # And on the terminal, as a copied village is: the clerk reading the screen's last lines sees it.
    flat = "".join(output.split())
    assert flat.count("".join(MERGED_WORDS.split())) == 1 and "后岗村的调查表是否漏交" in flat, output


@pytest.mark.parametrize("case", ["some_moved", "own_survey", "too_few", "other_township"])
def test_households_elsewhere_of_a_village_not_merged_stay_moves(registered, tmp_path, case):
    """Only two of 后岗村's three in 前岗村; all three there but 后岗村 surveyed too (户830 still in its
    survey); 小岗村's two (fewer than three) both in 前岗村; all of 后岗村 in another township: moves,
    as before."""
    back, above, small = in_2020(BACK_2019), in_2020(ABOVE_2019), in_2020(SMALL_2019)
    moving = {"some_moved": back[:2], "own_survey": back, "too_few": small, "other_township": back}[case]
    rows = in_2020(FRONT_2019) + [{**r, **(ELSEWHERE if case == "other_township" else FRONT)} if r in moving else r
                                  for r in back + small] + (above if case == "own_survey" else [])
    _, lines, summary, texts = screen_2020(registered, tmp_path, rows)
    old = "小岗村" if case == "too_few" else "后岗村"
    township = "合隆镇"
    for r in moving:
        assert lines[r["户主姓名"]]["说明"].startswith(f"上次调查在{township}{old},本年在本村调查"), lines[r["户主姓名"]]
    assert not any("本年并入" in (line["说明"] or "") for line in lines.values()), lines
    assert summary[old]["迁出"] == len(moving), summary[old]
    assert "撤并村并出" not in summary[old], summary[old]
    assert not any("撤并村" in t for t in texts), texts
