"""From an outside try: after recording three villages' meetings, a clerk ran the very same
`screen --register` again. The refusal given was the villages part-way one ("…没有办完…加
--leave-unfinished…"), said before the survey was read; only with --leave-unfinished did the real
reason appear (用的就是这次的调查文件). Following the first advice would have begun a second round of
the same files. Now the same-files refusal comes first where the files are the round's very files;
other files over villages part-way are refused as before, and so are the same files deciding
otherwise (a roster given this time) without --leave-unfinished."""

from __future__ import annotations

import pytest

from register_builders import fill, meeting
from survey_builders import built_once, make_id
from test_rescreen_same_files import BACK, FRONT, rounds, said
from years_builders import register_everyone, run, survey

IDS = {k: make_id(birth=f"1970{m % 12 + 1:02d}{m:02d}", serial=700 + m) for m, k in enumerate("ABCDEF", start=1)}


def person(key: str, place: dict, **over) -> dict:
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


PEOPLE_2019 = [person("A", FRONT), person("B", FRONT), person("C", FRONT), person("D", BACK), person("E", BACK)]
# 2020: 户A now 低保 (its exit procedure); 户F new in the band in 后岗村.
PEOPLE_2020 = [person("A", FRONT, 是否低保户="是"), person("B", FRONT), person("C", FRONT), person("D", BACK),
               person("E", BACK), person("F", BACK)]
DAY = "2020-11-20"
UNFINISHED = "第 2 轮还有"
SAME_FILES = "第 2 轮筛查(2020-11-20,2020 年度)用的就是这次的调查文件,内容完全相同(SHA-256 一致)"


@pytest.fixture
def part_way(tmp_path, monkeypatch):
    """The 2020 round recorded from a folder of the survey; 前岗村 has held its meetings (recorded), and
    its visits wait: the village is part-way through round 2."""
    monkeypatch.chdir(tmp_path)

    def build():
        db = register_everyone(tmp_path, PEOPLE_2019)
        folder = tmp_path / "2020调查"
        folder.mkdir()
        survey(folder / "合隆镇.xlsx", PEOPLE_2020)
        screen = ["screen", folder, "--year", "2020", "-o", tmp_path / "筛查2020", "--register", db, "--date", DAY]
        run(*screen)
        docs = tmp_path / "文书-2020-11-23"
        run("register", "next", db, "--date", "2020-11-23", "-o", docs)
        meetings = sorted(docs.rglob("合隆镇-前岗村*.xlsx"))
        assert meetings
        for doc in meetings:
            fill(doc, default=("同意", ""), form=meeting("2020-11-25"))
        run("register", "record", db, *meetings)
        return {"tmp": tmp_path, "db": db, "folder": folder, "screen": screen}

    # The same set-up for every test of this module: once per worker, a copy each (built_once).
    return built_once("test_refusal_order_same_files part_way", tmp_path, build)


def test_the_very_same_command_again_is_told_it_is_the_same_files_first(part_way):
    tmp, db, screen = part_way["tmp"], part_way["db"], part_way["screen"]
    before = rounds(db)
    # The clerk's very command again (--force over the folder it wrote): the same files, year, rules.
    refused = said(run(*screen, "--force", code=2))
    assert SAME_FILES in refused, refused
    assert "合隆镇.xlsx" in refused and "登记簿没有改动" in refused, refused
    # Not the villages part-way one, whose advice (--leave-unfinished) would begin a round of the same files.
    assert UNFINISHED not in refused and "--leave-unfinished" not in refused, refused
    assert rounds(db) == before
    # The files given one by one are the same files too.
    one = said(run("screen", part_way["folder"] / "合隆镇.xlsx", "--year", "2020", "-o", tmp / "again",
                   "--register", db, "--date", "2020-11-26", code=2))
    assert SAME_FILES in one and UNFINISHED not in one, one
    assert not (tmp / "again").exists()


def test_other_files_over_villages_part_way_are_refused_for_them_as_before(part_way):
    tmp, db = part_way["tmp"], part_way["db"]
    before = rounds(db)
    resurvey = survey(tmp / "2020重新调查.xlsx", [{**p, "工资性收入": 10600} if p["户主姓名"] == "户C" else p
                                             for p in PEOPLE_2020])
    refused = said(run("screen", resurvey, "--year", "2020", "-o", tmp / "重新调查", "--register", db,
                       "--date", "2020-11-27", code=2))
    # 后岗村 recorded nothing, its 民主评议 form out: part-way too, named (an outside try counted 29 of 30).
    assert (f"{UNFINISHED} 2 个村的认定或退出程序没有办完:合隆镇前岗村(待「退出入户核实」)、合隆镇后岗村(待「民主评议」)"
            in refused), refused
    assert "--leave-unfinished" in refused and SAME_FILES not in refused, refused
    # The same files and one more (a township sent late, given beside them): other files, refused so too.
    late = survey(tmp / "华家镇.xlsx", [person("F", {"乡(镇)": "华家镇", "行政村": "东升村"},
                                              户主身份证号=make_id(birth="19750101", serial=777), 户编号="HBX")])
    more = said(run("screen", part_way["folder"] / "合隆镇.xlsx", late, "--year", "2020", "-o", tmp / "更多",
                    "--register", db, "--date", "2020-11-27", code=2))
    assert f"{UNFINISHED} 2 个村" in more and SAME_FILES not in more, more
    assert rounds(db) == before


def test_the_same_files_deciding_otherwise_still_wait_for_the_villages_part_way(part_way):
    """The same survey with a 低保 roster given this time decides 户B otherwise: no run twice, a new
    round, and so refused for the village part-way (after the read now), the register untouched,
    nothing written; with --leave-unfinished it is recorded."""
    tmp, db, folder = part_way["tmp"], part_way["db"], part_way["folder"]
    before = rounds(db)
    roster = tmp / "低保对象名单.csv"
    roster.write_text(f"姓名,身份证号\n户B,{IDS['B']}\n", encoding="utf-8")
    args = ["screen", folder, "--year", "2020", "--roster", f"低保={roster}", "-o", tmp / "比对", "--register", db,
            "--date", "2020-11-27"]
    refused = said(run(*args, code=2))
    # 后岗村 recorded nothing, its 民主评议 form out: part-way too, named (an outside try counted 29 of 30).
    assert (f"{UNFINISHED} 2 个村的认定或退出程序没有办完:合隆镇前岗村(待「退出入户核实」)、合隆镇后岗村(待「民主评议」)"
            in refused), refused
    assert SAME_FILES not in refused, refused
    assert rounds(db) == before and not (tmp / "比对").exists()
    out = said(run(*args, "--leave-unfinished"))
    assert "已记录第 3 轮筛查(2020-11-27)" in out, out
