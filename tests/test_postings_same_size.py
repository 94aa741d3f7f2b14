"""The three postings on a village's wall give each household the same size (an outside try, BN: the
第一次公示 listed 常住人口数, the 第二次公示 and the 公告 家庭人口数, so 欧阳玉兰芳 went from 2 to 4 between
them), and the 公告's 「N 户(M 人)」 counts the people its list shows. The 入户核实 form's line sent a
note to 「该户这一行右边的空白格里」, where the printed page ends at 核实日期: it now says under the table."""

from __future__ import annotations

import re

import openpyxl

from register_builders import table_rows
from survey_builders import household, write_workbook
from test_register import DATES, IDS, PEOPLE, Walk, run

# The walk's county, its sizes varied. Each keeps the per-capita of a candidate: 王一 has 4 registered
# members of whom 2 live at home (the tester's 欧阳玉兰芳); 赵四 left 家庭人口数 blank (it is optional);
# 三宝村's two households each give both counts, 吴八 two away from home. Otherwise 3 and 3.
SIZES = {"王一": (4, 2, 7000), "赵四": (None, 3, 10700), "吴八": (5, 3, 10000), "郑九": (3, 3, 11000)}
HEADER = "家庭人口数"


class SizedWalk(Walk):
    """test_register's walk (its steps and their fillings), of households whose 家庭人口数 and
    家庭常住人口数 differ."""

    def __init__(self, tmp):
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        rows = []
        for t, v, g, name, wage in PEOPLE:
            members, residents, wage = SIZES.get(name, (3, 3, wage))
            rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "户主身份证号": IDS[name],
                                     "工资性收入": wage, "家庭人口数": members, "家庭常住人口数": residents,
                                     "主要困难": "因病" if name in ("王一", "钱五") else "缺技术"}))
        self.rows = rows
        self.survey = write_workbook(tmp / "农安县.xlsx", rows)
        self.db = tmp / "农安县.db"
        self.screen = run("screen", self.survey, "-o", tmp / "out", "--register", self.db, "--date", DATES["round"])
        self._places = None
        self._as_screened = self._register_stat()


def _sizes(path) -> tuple[list[str], dict[str, object]]:
    """The posting's table headers and {户主姓名: its 家庭人口数 cell}."""
    rows = table_rows(path)
    return list(rows[0]), {r["户主姓名"]: r.get(HEADER) for r in rows}


def _postings(tmp_path):
    """The walk taken to the 公告; {village: (第一次公示, 第二次公示, 公告)}."""
    walk = SizedWalk(tmp_path)
    walk.through("announcement")
    return walk, {village: tuple(walk.doc(step, village) for step in ("publicity1", "publicity2", "announcement"))
                  for village in ("前岗村", "三宝村")}


def _text(path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets if ws.sheet_state == "visible"
                     for row in ws.iter_rows() for c in row if c.value is not None)


def test_the_three_postings_show_each_household_the_same_size_and_the_announcement_counts_it(tmp_path):
    _, postings = _postings(tmp_path)
    first, second, notice = (_sizes(p) for p in postings["三宝村"])
    # The same header on all three (the 第二次公示 and 公告 as after-screening.md §3 has them) ...
    for headers, _ in (first, second, notice):
        assert HEADER in headers and "常住人口数" not in headers, headers
    # ... and the same count under it: 吴八's 5 registered members, not the 3 at home on the first.
    assert first[1] == second[1] == notice[1] == {"吴八": 5, "郑九": 3}, (first[1], second[1], notice[1])
    # The 公告's 「N 户(M 人)」: M the sum of what its list prints, which the first posting showed too.
    said = re.search(r"贫困边缘户 (\d+) 户\((\d+) 人\)", _text(postings["三宝村"][2]))
    assert said and (int(said[1]), int(said[2])) == (2, sum(first[1].values())) == (2, sum(notice[1].values())), said


def test_a_household_of_2_residents_and_4_members_is_4_on_every_posting(tmp_path):
    """The tester's case: 2 at home, 4 in the 户口本; the blank 家庭人口数 beside it prints alike everywhere."""
    _, postings = _postings(tmp_path)
    sizes = [_sizes(p)[1] for p in postings["前岗村"]]
    assert [s["王一"] for s in sizes] == [4, 4, 4], sizes
    # 赵四 gave no 家庭人口数: whatever a posting shows for it, the three show the same (no 3 on the first
    # posting and a blank on the next two).
    assert len({s["赵四"] for s in sizes}) == 1, sizes


def test_the_visit_forms_line_says_where_a_note_goes_on_the_printed_page(tmp_path):
    walk = SizedWalk(tmp_path)
    walk.through("review")
    docs = walk.verify(record=False)
    wb = openpyxl.load_workbook(docs[0])
    ws = wb.worksheets[0]
    line = next(str(c.value) for row in ws.iter_rows() for c in row if str(c.value or "").startswith("民主评议同意的"))
    # The page ends at 核实日期: there is no blank cell right of a row on paper.
    headers = list(table_rows(docs[0])[0])
    assert headers[-1] == "核实日期", headers
    assert "右边" not in line and "空白格" not in line, line
    assert "表格下方" in line and "序号" in line, line
    # A note so written is kept: recorded as the village's remark, not refused.
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value is not None)
    ws.cell(last + 2, 1).value = "序号1 王一:户籍人口4人,2人在外务工,常住2人属实"
    wb.save(docs[0])
    said = " ".join(walk.record(*docs).output.split())
    assert "已作为附注记入登记簿" in said, said
