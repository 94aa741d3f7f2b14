"""Places in the register's documents, progress and 花名册 come in the survey's order, as every
screen output has them (outputs/places.py), not by character code. Found by an outside try: the
register sorted 前岗村 before 青山村 and 三组 before 二组 (一 U+4E00, 三 U+4E09, 二 U+4E8C), an order
no clerk typed."""

from __future__ import annotations

import openpyxl
import pandas as pd

import test_register as walkthrough
from register_builders import table_rows
from survey_builders import household, make_id, write_workbook
from edgescreen.outputs.places import place_order, place_rank

# The survey's order: 烧锅镇 before 合隆镇, 青山村 before 前岗村, 一组 二组 三组 十组: each the reverse
# of the character codes' order.
PEOPLE = [("烧锅镇", "三宝村", "一组", "吴八", 10000), ("烧锅镇", "三宝村", "四组", "郑九", 11000),
          ("合隆镇", "青山村", "一组", "钱五", 9900), ("合隆镇", "青山村", "一组", "孙六", 10200),
          ("合隆镇", "青山村", "二组", "周七", 10500),
          ("合隆镇", "前岗村", "一组", "王一", 9800), ("合隆镇", "前岗村", "二组", "李二", 10100),
          ("合隆镇", "前岗村", "三组", "张三", 10400), ("合隆镇", "前岗村", "十组", "赵四", 10700),
          ("合隆镇", "前岗村", "三组", "富贵", 60000)]


class Walk(walkthrough.Walk):
    def __init__(self, tmp):
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name,
                             "户主身份证号": walkthrough.IDS[name], "工资性收入": wage,
                             "主要困难": "因病" if name in ("王一", "钱五") else "缺技术"})
                for t, v, g, name, wage in PEOPLE]
        self.survey = write_workbook(tmp / "农安县.xlsx", rows)
        self.db = tmp / "农安县.db"
        self.screen = walkthrough.run("screen", self.survey, "-o", tmp / "out", "--register", self.db,
                                      "--date", walkthrough.DATES["round"])


def _places(lines: list[str], names: list[str]) -> list[str]:
    """The names in the order the lines first mention them."""
    first = {n: next(i for i, line in enumerate(lines) if n in line) for n in names}
    return sorted(names, key=first.get)


def test_the_register_keeps_the_surveys_order_of_places(tmp_path):
    walk = Walk(tmp_path)
    status = walkthrough.run("register", "status", walk.db, "--as-of", "2019-11-20").output.splitlines()
    assert _places(status, ["烧锅镇", "合隆镇", "青山村", "前岗村"]) == ["烧锅镇", "合隆镇", "青山村", "前岗村"]

    walk.through("publicity1")
    docs = walk.township_review(record=False)
    heads = [r["户主姓名"] for r in table_rows(walk.doc("township_review", "合隆镇"))]
    assert heads.index("钱五") < heads.index("王一"), heads  # 青山村 first
    walk.record(*docs)
    for step in ("publicity2", "county_review", "announcement"):
        getattr(walk, step)()
    roster = tmp_path / "花名册.xlsx"
    walkthrough.run("register", "export", walk.db, "-o", roster)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(roster).worksheets[0].iter_rows(min_row=4)]
    on = [r[2] for r in rows if isinstance(r[0], int)]
    # 李二 (民主评议), 孙六 (入户核实) and 周七 (乡镇审核) left; 张三's objection upheld; 富贵 above the line.
    assert on == ["吴八", "郑九", "钱五", "王一", "赵四"], on
    headings = [r[0].strip() for r in rows if isinstance(r[0], str) and "户" in r[0]]
    assert [h[:3] for h in headings[:3]] == ["烧锅镇", "三宝村", "合隆镇"], headings


def test_place_rank_puts_each_place_where_it_first_appears_and_keeps_its_rows_together():
    frame = pd.DataFrame({"township": ["乙镇", "甲镇", "乙镇", "甲镇", "乙镇", None],
                          "village": ["三村", "一村", "二村", "一村", "三村", "一村"],
                          "grp": ["二组", "十组", "一组", "三组", "一组", ""]})
    assert place_rank(frame, ("township", "village")).tolist() == [0, 2, 1, 2, 0, 3]
    ordered = frame.iloc[place_order(frame)]
    assert list(zip(ordered["township"].fillna(""), ordered["village"], ordered["grp"])) == [
        ("乙镇", "三村", "二组"), ("乙镇", "三村", "一组"), ("乙镇", "二村", "一组"),
        ("甲镇", "一村", "十组"), ("甲镇", "一村", "三组"), ("", "一村", "")]


class SheetWalk(walkthrough.Walk):
    """The same county, a sheet per township: 烧锅镇's first, its candidates below three households
    above the limit, so that 合隆镇's first candidate has the lower row number."""

    def __init__(self, tmp):
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        sheets: dict[str, list] = {"烧锅镇": [household(**{"乡(镇)": "烧锅镇", "行政村": "三宝村", "户主姓名": f"富{i}",
                                                          "户主身份证号": make_id("19600101", serial=700 + i),
                                                          "工资性收入": 60000}) for i in range(3)]}
        for t, v, g, name, wage in PEOPLE:
            sheets.setdefault(t, []).append(household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name,
                                                         "户主身份证号": walkthrough.IDS[name], "工资性收入": wage}))
        self.survey = write_workbook(tmp / "农安县.xlsx", sheets)
        self.db = tmp / "农安县.db"
        self.screen = walkthrough.run("screen", self.survey, "-o", tmp / "out", "--register", self.db,
                                      "--date", walkthrough.DATES["round"])


def test_townships_on_sheets_of_their_own_keep_the_workbooks_order(tmp_path):
    """From an outside try: the sample's townships on four sheets came out 合隆镇, 高家店镇, 烧锅镇, 华家镇
    in the county's 复审 form and `register status` (by each sheet's first candidate's row number),
    while the screen's outputs had them in the workbook's order."""
    walk = SheetWalk(tmp_path)
    status = walkthrough.run("register", "status", walk.db, "--as-of", "2019-11-20").output.splitlines()
    assert _places(status, ["烧锅镇", "合隆镇"]) == ["烧锅镇", "合隆镇"], status
    walk.through("county_review")
    heads = [r["户主姓名"] for r in table_rows(walk.doc("county_review", "县级复审"))]
    assert heads.index("吴八") < heads.index("钱五"), heads
