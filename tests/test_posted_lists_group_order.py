"""The posted lists and notices as an outside try read them (a county whose villages' 村民小组 are 一社 …
九社, 2026-12-06): the 第一次公示 of a village ran 五社, 六社, 四社, 一社 … (the groups in the order the
survey first met them), a 公告 started 九社, 四社; a 第一次公示 of 21 to 24 households printed a second
sheet of paper holding two households and the seal line; a 街道's 乡镇审核 headed 东风社区 行政村; and a 公告
whose village had an upheld 漏评 did not say that household waits for the next survey.

Now a posted list goes by group number (一社 before 二社 … 十二社, a group naming no number after them,
no group last), then in the survey's order, as the 花名册 does; the meeting's list stays lowest
per-capita first; a notice a few rows over its page prints on one, a little smaller."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, household_table, table_rows
from survey_builders import make_id
from years_builders import STEPS, exit_publicity_form, fill_step, register_everyone, run, survey

# 东风村 in the survey's order: (村民小组, head, wage); 3 residents each, every one a candidate.
DONGFENG = [("五社", "户甲", 11200), ("六社", "户乙", 9800), ("四社", "户丙", 10900), ("一社", "户丁", 10400),
            ("二社", "户戊", 9900), ("十二社", "户己", 10100), ("八社", "户庚", 11000), ("三社", "户辛", 10300),
            ("", "户壬", 10600), ("河东屯", "户癸", 10000), ("一社", "户子", 9700), ("七社", "户丑", 10800),
            ("九社", "户寅", 10200)]
# By group number, a group naming none (河东屯) after them, the household without a group last; within a
# group the survey's order (户丁 before 户子).
BY_GROUP = ["户丁", "户子", "户戊", "户辛", "户丙", "户甲", "户乙", "户丑", "户庚", "户寅", "户己", "户癸", "户壬"]
LOWEST_FIRST = [h for _, h, _ in sorted(DONGFENG, key=lambda p: p[2])]
ONE_PAGE, TWO_PAGES = 24, 30  # households of 西山村 and 北岗村


def people() -> list[dict]:
    rows = [{"乡(镇)": "合隆镇", "行政村": "东风村", "村民小组": g, "户主姓名": h, "户主身份证号": make_id(serial=100 + i),
             "工资性收入": w, "主要困难": "缺技术"} for i, (g, h, w) in enumerate(DONGFENG)]
    for village, n, first in (("西山村", ONE_PAGE, 200), ("北岗村", TWO_PAGES, 300)):
        rows += [{"乡(镇)": "合隆镇", "行政村": village, "村民小组": f"{k % 6 + 1}组", "户主姓名": f"{village}{k}",
                  "户主身份证号": make_id(serial=first + k), "工资性收入": 9700 + 40 * k, "主要困难": "缺技术"}
                 for k in range(n)]
    # A 街道 of a 社区 and a village; its form's place column names both.
    rows += [{"乡(镇)": "长岭街道", "行政村": v, "村民小组": "一组", "户主姓名": h, "户主身份证号": make_id(serial=400 + i),
              "工资性收入": 10000 + 100 * i, "主要困难": "缺技术"}
             for i, (v, h) in enumerate([("东风社区", "社区户一"), ("东风社区", "社区户二"), ("新华村", "新华户一")])]
    return rows


def issue(tmp: Path, db: Path, step: str) -> list[Path]:
    date, folder = STEPS[step]
    out = tmp / f"docs-{step}"
    run("register", "next", db, "--date", date, "-o", out)
    return sorted((out / folder).glob("*.xlsx"))


def doc(docs: list[Path], place: str) -> Path:
    return next(p for p in docs if place in p.name)


def heads(path: Path) -> list[str]:
    return [r["户主姓名"] for r in table_rows(path)]


def notice_text(path: Path) -> str:
    texts = [c for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    return next(t for t in texts if "予以公告" in t)


def printed_pages(path: Path) -> tuple[int, int]:
    """(pages, scale in percent) of a portrait notice's first sheet as its setup lays it out: the rows'
    heights at its scale on A4's height within the margins (and the 10 points LibreOffice gives the page
    header and footer), the manual breaks, the repeated header row on every page after the first."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.page_setup.orientation == "portrait" and not ws.sheet_properties.pageSetUpPr.fitToPage
    scale = int(ws.page_setup.scale or 100)
    body = (841.9 - 72 * (ws.page_margins.top + ws.page_margins.bottom) - 10) * 100 / scale
    header = int(ws.print_title_rows.split(":")[0].strip("$"))
    height = {r: ws.row_dimensions[r].height or 12.75 for r in range(1, ws.max_row + 1)}
    breaks = {b.id + 1 for b in ws.row_breaks.brk}
    pages, used = 1, 0.0
    for r in range(1, ws.max_row + 1):
        if r in breaks or used + height[r] > body:
            pages, used = pages + 1, height[header]
        used += height[r]
    return pages, scale


def seq_of(path: Path, head: str) -> int:
    return next(int(r["序号"]) for r in table_rows(path) if r["户主姓名"] == head)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county through the whole entry procedure (all yes), its documents kept by step. At the 第一次
    公示 东风村 upholds an objection against 户丙, named by the number the notice prints for it, and one
    漏评; 西山村 dismisses a 漏评; 东风社区 upholds one 漏评 of two."""
    tmp = tmp_path_factory.mktemp("group-order")
    db = tmp / "农安县.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(tmp)
        return walk(tmp, db)


def walk(tmp: Path, db: Path) -> dict:
    run("screen", survey(tmp / "2019.xlsx", people()), "-o", tmp / "out", "--register", db, "--date", "2019-11-20")
    printed = {}
    for step in STEPS:
        printed[step] = issue(tmp, db, step)
        if step == "publicity1":
            notice = doc(printed[step], "东风村")
            printed["bing"] = seq_of(notice, "户丙")
            fill(notice, objections=[("户丙", "家中有小轿车", "成立", "2019-12-05", printed["bing"]),
                                     ("李不在", "家里常年有病人,收入低", "成立", "2019-12-05", "名单外")])
            fill(doc(printed[step], "西山村"), objections=[("赵不在", "应当评上", "不成立", "2019-12-05", "名单外")])
            fill(doc(printed[step], "东风社区"), objections=[("钱不在", "应当评上", "成立", "2019-12-04", "名单外"),
                                                          ("孙不在", "应当评上", "不成立", "2019-12-05", "名单外")])
        else:
            for path in printed[step]:
                fill_step(step, path)
        run("register", "record", db, *printed[step])
    return printed


def test_posted_lists_go_by_group_number_then_the_survey_the_meeting_lowest_first(county):
    assert heads(doc(county["review"], "东风村")) == LOWEST_FIRST  # the meeting's working list, as designed
    notice = doc(county["publicity1"], "东风村")
    assert heads(notice) == BY_GROUP
    rows = table_rows(notice)
    assert [r["序号"] for r in rows] == list(range(1, len(BY_GROUP) + 1))
    assert [r["村民小组"] for r in rows][:3] == ["一社", "一社", "二社"] and rows[-1]["村民小组"] in (None, "")
    # The second 公示 and the 公告 alike, without 户丙 whom the objection took off, numbered from 1.
    kept = [h for h in BY_GROUP if h != "户丙"]
    for step in ("publicity2", "announcement"):
        posted = doc(county[step], "东风村")
        assert heads(posted) == kept and [r["序号"] for r in table_rows(posted)] == list(range(1, len(kept) + 1))


def test_an_objection_named_by_its_number_in_group_order_is_recorded_as_that_household(county):
    # 户丙 (四社) is 5 on the notice (3 in the survey, 10 on the meeting's list): recorded as 户丙 by it.
    assert county["bing"] == 5
    township = heads(doc(county["township_review"], "合隆镇"))
    assert "户丙" not in township and "户丁" in township


def test_a_subdistricts_township_review_heads_its_place_column_village_or_community(county):
    forms = county["township_review"]
    # A 街道's form, listing a 社区, heads its place column 村(社区); a 镇's of villages 行政村.
    for name, header, other in (("长岭街道", "村(社区)", "行政村"), ("合隆镇", "行政村", "村(社区)")):
        _, cols = household_table(openpyxl.load_workbook(doc(forms, name)).worksheets[0])
        assert header in cols and other not in cols, cols
    assert sorted(r["村(社区)"] for r in table_rows(doc(forms, "长岭街道"))) == ["东风社区", "东风社区", "新华村"]
    # Read back by that header: the 街道's households went on to the 公告.
    assert heads(doc(county["announcement"], "东风社区")) == ["社区户一", "社区户二"]
    assert heads(doc(county["announcement"], "新华村")) == ["新华户一"]


def test_an_announcement_says_an_upheld_omission_waits_for_the_next_survey(county):
    announcements = county["announcement"]
    assert "(公示期间对 2 户提出的异议均已核实处理,其中名单外 1 户,待下次调查后认定)" \
        in notice_text(doc(announcements, "东风村"))
    # One dismissed: nothing waits. Of two, one upheld: the one.
    xishan = notice_text(doc(announcements, "西山村"))
    assert "(公示期间对 1 户提出的异议均已核实处理,其中名单外 1 户)" in xishan and "待下次调查" not in xishan
    assert "(公示期间对 2 户提出的异议均已核实处理,其中名单外 2 户,1 户待下次调查后认定)" \
        in notice_text(doc(announcements, "东风社区"))
    assert "两次公示无异议" in notice_text(doc(announcements, "北岗村"))


def test_a_notice_a_few_rows_over_its_page_prints_on_one(county):
    printed = county
    # 24 households: on one page with its seal line, a little smaller, never below 85 %.
    pages, scale = printed_pages(doc(printed["publicity1"], "西山村"))
    assert pages == 1 and 85 <= scale < 100, (pages, scale)
    # 30: more than a few rows over, at full size on two pages, the seal line with the last households.
    pages, scale = printed_pages(doc(printed["publicity1"], "北岗村"))
    assert (pages, scale) == (2, 100)


def test_the_exits_posting_goes_by_group_number(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    group_of = {"户A": "三组", "户B": "一组", "户C": "十组", "户D": "二组", "户E": "一组"}
    who = [{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": g, "户主姓名": h, "户主身份证号": make_id(serial=700 + i),
            "户编号": f"HB{i}"} for i, (h, g) in enumerate(group_of.items())]
    db = register_everyone(tmp_path, who)
    run("screen", survey(tmp_path / "2020.xlsx", [{**p, "是否低保户": "是"} for p in who]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    posting = exit_publicity_form(db, tmp_path)
    assert heads(posting) == ["户B", "户E", "户D", "户A", "户C"]
