"""The 第一次公示 saying 本村无 (a village with nobody left on its list, tests/test_register_nobody_listed.py)
as `register next` and `register status` say it. Before: next printed "第一次公示:4 份文书,2 户" with three
of the four lists of nobody unsaid; next counted those out in "另有 4 个村的文书已发出、尚未登记(见 register
status)" while status showed none of them out nor overdue (三宝村 and 新立村 read 已无农户留在名单上, 青山村
本轮没有初选户(已筛查,无须评议)), and after 青山村's was recorded with a 漏评 it still read 无须评议. A later
round gives one to every village without a new candidate: at a county's size they are counted per township."""

from __future__ import annotations

import datetime as dt

import pytest

from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from test_register import run
from test_register_nobody_listed import County


@pytest.fixture
def county(tmp_path):
    county = County(tmp_path)
    county.through_verify()
    return county


def _status(county, day: str) -> list[str]:
    return run("register", "status", county.db, "--as-of", day).output.splitlines()


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.strip().startswith(start))


def test_next_says_how_many_of_the_notices_list_nobody(county):
    said, _ = county.issue("2019-12-01", "d3")
    lines = said.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("第一次公示:4 份文书,2 户"))
    assert lines[at + 1].strip() == "其中 3 份为名单上没有农户的村的公示(本村无),供群众反映漏评", lines


def test_status_shows_the_notices_of_nobody_out_and_overdue_as_next_counts_them(county):
    county.issue("2019-12-01", "d3")
    lines = _status(county, "2019-12-03")
    for village in ("三宝村", "新立村"):
        line = _line(lines, village)
        assert "已无农户留在名单上;「第一次公示(本村无)」中,至 2019年12月7日 · 文书发出日期 2019-12-01" in line, lines
    assert "本轮没有初选户(已筛查,无须评议)" not in "\n".join(lines), lines
    assert _line(lines, "合隆镇青山村") == \
        "  合隆镇青山村:「第一次公示(本村无)」中,至 2019年12月7日 · 文书发出日期 2019-12-01", lines
    # Past its period and not recorded: overdue, in each of the four villages next counts out.
    said = run("register", "next", county.db, "--date", "2019-12-20", "-o", county.tmp / "dx").output
    assert "第一次公示:4 个村的文书已发出、尚未登记" in said and "另有" not in said, said
    lines = _status(county, "2019-12-20")
    overdue = [i for i, line in enumerate(lines) if line.strip() == "逾期: 结束 13 天未登记"]
    assert [lines[i - 1].strip().split(":")[0] for i in overdue] == ["前岗村", "三宝村", "新立村", "合隆镇青山村"], lines
    assert "「第一次公示(本村无)」2019年12月7日 结束,待登记" in _line(lines, "合隆镇青山村"), lines


def test_a_notice_of_nobody_recorded_is_done_with_its_omission_said(county):
    _, folder = county.issue("2019-12-01", "d3")
    qingshan = next((folder / "3-第一次公示").glob("*青山村*"))
    fill(qingshan, objections=[("吴国庆", "家里常年有病人,收入低,应当评上", "成立", "2019-12-05", "名单外")])
    run("register", "record", county.db, folder)
    lines = _status(county, "2019-12-10")
    text = "\n".join(lines)
    assert "无须评议" not in text and "逾期" not in text, text
    assert _line(lines, "合隆镇青山村") == \
        "  合隆镇青山村:已完成「第一次公示(本村无)」(2019年12月7日 期满),其间有 1 条漏评异议", lines
    for village in ("三宝村", "新立村"):
        assert _line(lines, village).endswith("已无农户留在名单上;已完成「第一次公示(本村无)」(2019年12月7日 期满)"), lines
    assert _line(lines, "吴国庆").strip().startswith("吴国庆(合隆镇青山村)— 第一次公示 2019年12月5日 成立"), lines


TOWNSHIPS = ["合隆镇", "烧锅镇", "开安镇"]
QUIET = 15  # villages per township with no candidate: each gets its notice of nobody


def test_a_countys_status_counts_the_notices_of_nobody_per_township(tmp_path):
    """48 villages, 45 with no candidate (as a later round's villages without a new one): next and status
    stay a screen, the notices counted per township, the villages in 进度.xlsx."""
    rows, i = [], 0
    for t in TOWNSHIPS:
        for v in ["前进村", *(f"{n}村" for n in "一二三四五六七八九十百千万亿兆")][:QUIET + 1]:
            for k in range(2 if v == "前进村" else 1):
                rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组", "户主姓名": "王" + "一二三四五六七八九十"[i % 10]
                                         + "春夏秋冬东南西北金木"[i // 10 % 10], "户主身份证号": make_id(birth="19600210", serial=300 + i),
                                         "工资性收入": 9800 + 300 * k if v == "前进村" else 60000, "主要困难": "因病"}))
                i += 1
    survey = write_workbook(tmp_path / "县.xlsx", rows)
    db = tmp_path / "县.db"
    run("screen", survey, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-11-20")
    said = run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "d1", columns=80).output
    assert "另有 45 个村本轮没有要评议的农户" in said and "等 45 个村" in said and len(said.splitlines()) < 10, said
    for p in (tmp_path / "d1").rglob("*.xlsx"):
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    run("register", "record", db, tmp_path / "d1")
    run("register", "next", db, "--date", "2019-11-26", "-o", tmp_path / "d2")
    for p in (tmp_path / "d2").rglob("*.xlsx"):
        fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
    run("register", "record", db, tmp_path / "d2")
    said = run("register", "next", db, "--date", "2019-12-01", "-o", tmp_path / "d3").output
    assert "第一次公示:48 份文书,6 户" in said and "其中 45 份为名单上没有农户的村的公示(本村无)" in said, said
    said = run("register", "status", db, "--as-of", "2020-01-10", "-o", tmp_path / "进度.xlsx", columns=80).output
    flat = "".join(said.split())  # as read across the lines it wraps to at 80 columns
    assert len(said.splitlines()) < 25, said
    assert "名单上没有农户的45个村已发出「第一次公示」(本村无,供群众反映漏评),已登记0个,待登记45个。" \
           "各乡镇:合隆镇待登记15个;烧锅镇待登记15个;开安镇待登记15个" in flat, said
    assert "逾期的村(共 48 个):" in said, said
    assert "「第一次公示(本村无)」结束未登记的45个村:合隆镇15个、烧锅镇15个、开安镇15个" in flat, said
    assert "一村" not in said and "无须评议" not in said, said
    import openpyxl

    sheet = openpyxl.load_workbook(tmp_path / "进度.xlsx").worksheets[0]
    quiet = [r for r in sheet.iter_rows(values_only=True) if r[1] == "一村"]
    assert len(quiet) == 3 and all("第一次公示(本村无)" in r[-3] and "天未登记" in r[-1] for r in quiet), quiet
