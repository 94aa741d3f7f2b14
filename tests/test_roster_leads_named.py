"""What a village's workbook says of roster matches (an outside try, AV): the 核实清单 named a matched
member by relation and masked ID only (之子 220122********831X, in a household of three sons), said to
verify whether a car was farm machinery though 车辆类型 had left those out, and a household an
authoritative roster took off the lists (its survey said 否 to 低保) vanished from the candidate list
without a word. End to end through the command line on a survey and rosters built here."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_csv_table
from test_rosters import head, member, write_sheets, write_survey
from edgescreen.cli import app

runner = CliRunner()
AS_OF = "2020-01-01"
PLACE = {"乡(镇)": "伏龙泉镇", "行政村": "长岭村"}
OTHER = {"乡(镇)": "伏龙泉镇", "行政村": "双庙村"}


class County:
    """长岭村: 黄凤山 with three sons, the second's car on the vehicle register, and another 黄凤山 (no
    match); 徐桂兰, whose members table leaves her out, on the company register by her own ID; three
    households each flagged by one more roster; 黄金龙 (a candidate by its survey, 否 to 低保) whose wife
    is on the 低保 roster, 肖长青 (below the line) whose mother is on the 特困 roster, 富有 (above the
    limit) whose wife is on the 低保 roster. 双庙村: one plain candidate."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.huang = household(**PLACE, 村民小组="1组", 户编号="001", 户主姓名="黄凤山", 户主身份证号=make_id("19600101"),
                               家庭人口数=5, 家庭常住人口数=5, 工资性收入=17000)
        self.other_huang = household(**PLACE, 村民小组="2组", 户编号="002", 户主姓名="黄凤山",
                                     户主身份证号=make_id("19610101"))
        self.xu = household(**PLACE, 村民小组="1组", 户编号="003", 户主姓名="徐桂兰", 户主身份证号=make_id("19620101"),
                            家庭人口数=1, 家庭常住人口数=1, 工资性收入=3500)
        self.payroll = household(**PLACE, 村民小组="3组", 户编号="004", 户主姓名="莫占武", 户主身份证号=make_id("19630101"))
        self.house = household(**PLACE, 村民小组="3组", 户编号="005", 户主姓名="闫建国", 户主身份证号=make_id("19640101"))
        self.dead = household(**PLACE, 村民小组="2组", 户编号="006", 户主姓名="杜明", 户主身份证号=make_id("19650101"))
        self.dibao = household(**PLACE, 村民小组="1组", 户编号="007", 户主姓名="黄金龙", 户主身份证号=make_id("19660101"))
        self.tekun = household(**PLACE, 村民小组="4组", 户编号="008", 户主姓名="肖长青", 户主身份证号=make_id("19670101"),
                               工资性收入=6000)
        self.rich = household(**PLACE, 村民小组="4组", 户编号="009", 户主姓名="富有", 户主身份证号=make_id("19680101"),
                              工资性收入=30000)
        self.plain = household(**OTHER, 村民小组="1组", 户编号="001", 户主姓名="高立军", 户主身份证号=make_id("19690101"))
        self.households = [self.huang, self.other_huang, self.xu, self.payroll, self.house, self.dead, self.dibao,
                           self.tekun, self.rich, self.plain]
        # The car's owner: an ID ending in X, as 220122********831X.
        self.son_id = next(i for i in (make_id("19900202", serial=s) for s in range(300, 400)) if i.endswith("X"))
        self.wife_id, self.payroll_id, self.house_id = make_id("19620303"), make_id("19880404"), make_id("19650505")
        self.mother_id, self.dibao_wife_id = make_id("19400606"), make_id("19680707")
        self.tekun_mother_id, self.rich_wife_id = make_id("19380808"), make_id("19700909")

        def sons(hh, ids):
            return [member(hh, name, "之子", i) for name, i in zip(("黄志刚", "黄志强", "黄志勇"), ids)]

        self.members = [
            head(self.huang), member(self.huang, "李淑琴", "之妻", self.wife_id),
            *sons(self.huang, (make_id("19880101"), self.son_id, make_id("19920101"))),
            head(self.other_huang), member(self.other_huang, "黄小山", "之子", make_id("19900101")),
            member(self.other_huang, "王芳", "之妻", make_id("19630101")),
            # 徐桂兰 lives alone and the members table leaves her out: the roster finds her by the household's ID.
            head(self.payroll), member(self.payroll, "闫淑珍", "之女", self.payroll_id),
            member(self.payroll, "张丽", "之妻", make_id("19640202")),
            head(self.house), member(self.house, "冯桂芝", "之妻", self.house_id),
            member(self.house, "闫小军", "之子", make_id("19900303")),
            head(self.dead), member(self.dead, "钟丽娟", "母亲", self.mother_id),
            member(self.dead, "杜小明", "之子", make_id("19910404")),
            head(self.dibao), member(self.dibao, "刘芳", "之妻", self.dibao_wife_id),
            member(self.dibao, "黄小龙", "之子", make_id("19920505")),
            head(self.tekun), member(self.tekun, "孙秀英", "母亲", self.tekun_mother_id),
            member(self.tekun, "肖小青", "之子", make_id("19930606")),
            head(self.rich), member(self.rich, "钱多", "之妻", self.rich_wife_id),
            member(self.rich, "富贵", "之子", make_id("19940707")),
            head(self.plain), member(self.plain, "高小军", "之子", make_id("19950808")),
            member(self.plain, "田丽", "之妻", make_id("19710808")),
        ]
        self.survey = write_survey(folder / "伏龙泉镇.xlsx", self.households, self.members)
        plain = ["姓名", "身份证号"]
        self.rosters = {
            "车辆": write_csv_table(folder / "机动车.csv", ["所有人", "身份证号", "车辆类型"],
                                   [["黄志强", self.son_id, "小型轿车"]]),
            "工商": write_sheets(folder / "工商.xlsx", {"Sheet1": (plain, [["徐桂兰", self.xu["户主身份证号"]]])}),
            "财政供养": write_sheets(folder / "财政.xlsx", {"Sheet1": (plain, [["闫淑珍", self.payroll_id]])}),
            "不动产": write_sheets(folder / "不动产.xlsx", {"Sheet1": (plain, [["冯桂芝", self.house_id]])}),
            "死亡": write_sheets(folder / "死亡.xlsx", {"Sheet1": (
                ["姓名", "身份证号", "死亡日期", "注销原因"], [["钟丽娟", self.mother_id, "2019-08-14", "死亡"]])}),
            "低保": write_sheets(folder / "低保.xlsx", {"低保对象": (
                plain, [["刘芳", self.dibao_wife_id], ["钱多", self.rich_wife_id]])}),
            "特困": write_sheets(folder / "特困.xlsx", {"Sheet1": (plain, [["孙秀英", self.tekun_mother_id]])}),
        }

    def options(self) -> list[str]:
        return [part for kind, path in self.rosters.items() for part in ("--roster", f"{kind}={path}")]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return County(tmp_path_factory.mktemp("county"))


@pytest.fixture(scope="module")
def screened(county, tmp_path_factory):
    out = tmp_path_factory.mktemp("screened") / "out"
    result = runner.invoke(app, ["screen", str(county.survey), "-o", str(out), "--as-of", AS_OF, *county.options()])
    assert result.exit_code == 0, result.output
    return out


def _verify_rows(out: Path) -> dict[str, list[dict]]:
    """The 核实清单 of 长岭村, its rows by head's name (two heads may share one), each as {header: value}."""
    ws = openpyxl.load_workbook(out / "villages" / "伏龙泉镇-长岭村.xlsx")["核实清单"]
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(grid) if "入户核实内容" in r)
    header = grid[at]
    rows: dict[str, list[dict]] = {}
    for r in grid[at + 1:]:
        if r[header.index("户主姓名")]:
            rows.setdefault(r[header.index("户主姓名")], []).append(dict(zip(header, r)))
    return rows


def _lines_above_table(out: Path, village: str) -> list[str]:
    ws = openpyxl.load_workbook(out / "villages" / f"伏龙泉镇-{village}.xlsx").worksheets[0]
    lines = []
    for row in ws.iter_rows(values_only=True):
        if row[0] == "序号":
            break
        if row[0]:
            lines.append(str(row[0]))
    return lines


def test_the_matched_member_is_named_beside_the_relation_and_the_head_as_head(county, screened):
    """黄凤山 has three sons, and the village another 黄凤山: the line names the son the car is registered to
    (之子 黄志强 and his masked ID), never the whole ID; 徐桂兰, matched through the household's own ID with
    no members row, is named as 户主 徐桂兰."""
    rows = _verify_rows(screened)
    assert len(rows["黄凤山"]) == 1, rows  # the other 黄凤山 has no match
    car = rows["黄凤山"][0]["比对到的成员"]
    masked = county.son_id[:6] + "*" * 8 + county.son_id[-4:]
    assert f"之子 黄志强 {masked}" in car, car
    assert county.son_id not in car and "黄志刚" not in car and "黄志勇" not in car, car
    company = rows["徐桂兰"][0]["比对到的成员"]
    xu = county.xu["户主身份证号"]
    assert f"户主 徐桂兰 {xu[:6]}{'*' * 8}{xu[-4:]}" in company, company
    # A member typed with a relation of his own keeps it: 杜明's mother.
    assert rows["杜明"][0]["比对到的成员"].startswith("母亲 钟丽娟 "), rows["杜明"]


def test_what_to_verify_names_whose_record_it_is_and_asks_no_farm_vehicle_question(county, screened):
    """车辆类型 already left farm vehicles out: the words ask what a committee can ask at the home, and
    each names the department whose record matched."""
    rows = _verify_rows(screened)
    todo = {name: rows[name][0]["入户核实内容"] for name in ("黄凤山", "徐桂兰", "莫占武", "闫建国", "杜明")}
    assert "农用车" not in todo["黄凤山"] and "车管所" in todo["黄凤山"] and "本户所有" in todo["黄凤山"], todo
    assert "市场监管" in todo["徐桂兰"], todo
    assert "财政供养名单" in todo["莫占武"], todo
    assert "不动产登记" in todo["闫建国"].split(":", 1)[1], todo
    assert "公安" in todo["杜明"], todo


def test_a_household_a_roster_took_off_the_lists_is_named_above_the_candidate_list(county, screened):
    """黄金龙 (a candidate by its survey) and 肖长青 (below the line) are off the village's lists by the 低保
    and 特困 rosters: the candidate list says so, each by name, group and masked ID, and the roster. 富有 was
    above the limit, on no list either way: not named. 双庙村, with no such household, prints as before."""
    lines = _lines_above_table(screened, "长岭村")
    said = [line for line in lines if "按名单不列入" in line]
    assert len(said) == 1, lines
    line = said[0]
    assert "以下 2 户" in line, line
    for hh, roster in ((county.dibao, "低保名单"), (county.tekun, "特困名单")):
        person_id = hh["户主身份证号"]
        masked = person_id[:6] + "*" * 8 + person_id[-4:]
        assert f"{hh['户主姓名']}({hh['村民小组']} {masked},{roster})" in line, line
        assert person_id not in line, line
    assert "富有" not in line, line
    names = {str(c) for row in openpyxl.load_workbook(screened / "villages" / "伏龙泉镇-长岭村.xlsx")
             .worksheets[0].iter_rows(values_only=True) for c in row if c}
    assert "黄金龙" not in names and "肖长青" not in names  # not listed: only said in the line
    other = _lines_above_table(screened, "双庙村")
    assert not any("按名单不列入" in line for line in other), other
    assert len(other) == 4, other  # title, rule, count, the roster line: as before
