"""A registered member heading a household of his own must not take his family's registered household
from its own head. 2019: 徐华 of 红旗村 on the register, his son 徐军 listed as his 子女. 2020: 徐华
surveyed under his own name and village with his ID typed wrong (its check character), 徐军 heading a
new household of his own; the county gives no 户编号. The member step (a row's head whose ID is a
registered member's) ran before the step that finds a household by its head's name where his ID cannot
be compared: 徐军's row took 徐华's household (继续帮扶, 户主变更), and 徐华's own row, the household no
longer free, became a 新识别候选. Now the father's row is the registered household and the son's is new,
its 分户 said; without a members sheet this year, and with one listing the father alone."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from survey_builders import make_id
from years_builders import matched_by, members_file, register_everyone, run, survey

HONGQI = {"乡(镇)": "合隆镇", "行政村": "红旗村"}
FATHER, WIFE, SON = (make_id(birth="19550101", serial=801), make_id(birth="19570202", serial=802),
                     make_id(birth="19800303", serial=803))
NEIGHBOUR = make_id(birth="19600404", serial=804)
# His ID as typed this year: the check character wrong (an 18-character ID, no valid one).
TYPO = FATHER[:17] + ("0" if FATHER[17] != "0" else "1")


def _row(name: str, pid: str, people: int) -> dict:
    # 3500 yuan a resident: in the band
    return {**HONGQI, "户主姓名": name, "户主身份证号": pid, "家庭人口数": people, "家庭常住人口数": people,
            "工资性收入": 3500 * people}


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """2019: 徐华's household (he, his wife, their son 徐军) and a neighbour's on the register, their
    members listed. Two 2020 surveys, each onto its own copy of the register: `bare` without a members
    sheet, `listed` with one listing 徐华 alone (under his mistyped ID) and 徐军 alone."""
    tmp = tmp_path_factory.mktemp("member_claim")
    members = {FATHER: [(FATHER, "户主", "普通劳动力"), (WIFE, "配偶", "普通劳动力"), (SON, "子女", "普通劳动力")],
               NEIGHBOUR: [(NEIGHBOUR, "户主", "普通劳动力")]}
    db = register_everyone(tmp, [_row("徐华", FATHER, 3), _row("孙立", NEIGHBOUR, 1)],
                           inputs=(members_file(tmp / "成员2019.xlsx", members),))
    this_year = [_row("徐华", TYPO, 2), _row("徐军", SON, 1), _row("孙立", NEIGHBOUR, 1)]
    out = {"tmp": tmp}
    for which in ("bare", "listed"):
        (tmp / which).mkdir()
        out[which] = tmp / which / "农安县.db"
        shutil.copy(db, out[which])
        inputs = () if which == "bare" else (members_file(tmp / which / "成员2020.xlsx", {
            TYPO: [(TYPO, "户主", "普通劳动力")], SON: [(SON, "户主", "普通劳动力")],
            NEIGHBOUR: [(NEIGHBOUR, "户主", "普通劳动力")]}),)
        run("screen", survey(tmp / which / "2020.xlsx", this_year), *inputs, "--year", "2020",
            "-o", tmp / which / "out", "--register", out[which], "--date", "2020-12-01", "--no-mask")
    return out


def _lines(county, which: str) -> dict[str, list[dict]]:
    """changes.xlsx's 变动名单 lines by head's name (a list: a household 本年未调查 beside a new one of
    the same head would be two lines)."""
    rows = [[c.value for c in r] for r in
            openpyxl.load_workbook(county["tmp"] / which / "out" / "changes.xlsx")["变动名单"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "户主姓名" in r)
    out: dict[str, list[dict]] = {}
    for r in rows[at + 1:]:
        line = dict(zip(rows[at], r))
        if line["户主姓名"]:
            out.setdefault(line["户主姓名"], []).append(line)
    return out


@pytest.mark.parametrize("which", ["bare", "listed"])
def test_the_fathers_row_is_his_registered_household_not_his_sons(county, which):
    """Before: 徐军 继续帮扶 with 户主变更:原户主 徐华, and 徐华's row new (with its invalid ID no
    candidate, so on no line of changes.xlsx)."""
    lines = _lines(county, which)
    father, son = lines["徐华"], lines["徐军"]
    assert len(father) == 1 and len(son) == 1, (father, son)
    # The registered household, judged on no income this year: its row's ID is invalid (as 钱五's,
    # test_changes_unreadable_id), not 新识别候选 nor 本年未调查.
    assert father[0]["变动"] == "数据有误,待核实", father[0]
    assert father[0]["上次年度"] == 2019, father[0]
    # Found by his name and village, the ID to put right said; no change of head.
    assert "户主变更" not in (father[0]["说明"] or ""), father[0]["说明"]
    assert TYPO in father[0]["说明"] and FATHER in father[0]["说明"], father[0]["说明"]
    assert son[0]["变动"] == "新识别候选", son[0]
    assert "户主变更" not in (son[0]["说明"] or ""), son[0]["说明"]
    assert matched_by(county[which], "previous_head_name") == {"徐华": "head_name", "孙立": "head_id"}


@pytest.mark.parametrize("which", ["bare", "listed"])
def test_the_sons_new_household_says_it_split_from_his_fathers(county, which):
    """The son's row new, its 分户 from the registered household said (the review is to check it)."""
    son = _lines(county, which)["徐军"][0]
    assert "分户" in son["说明"] and "「徐华」户" in son["说明"], son["说明"]
