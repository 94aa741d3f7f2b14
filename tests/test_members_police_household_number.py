"""A members table exported from the 公安 户籍 system numbers its households by 公安's own 户号 (220100029),
not the survey's 户编号 (220122101001): read as 户编号, none was found and every member had no household
(an outside try, try BQ: 1,073 members unlinked, a spouse on the 低保 roster as 户主 and a spouse on
payroll both missed). Its members now go with the survey head whose own row shares their 户号; a 户号 of no
survey head stays unlinked as before; the finding is said once per sheet. A members table keyed by the
survey's own 户编号 links as it did. End to end through the command line on files built here."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from survey_builders import household, make_id
from test_rosters import issues, run, write_sheets

from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
PLACE = {"乡(镇)": "青山口乡", "行政村": "青山口村"}
POLICE_HEADERS = ["户号", "姓名", "公民身份号码", "与户主关系", "性别", "民族"]


class County:
    """Four surveyed households of 青山口村 (the county's 户编号), the 派出所's export of their people under
    its own 户号, one 户号 of a family the survey does not hold, and two rosters: 户1's spouse is the 户主
    of a 低保 case, 户2's son is on the payroll. 户3 and 户4 show nothing."""

    def __init__(self, folder):
        self.folder = folder
        self.heads = [household(**PLACE, 户编号=f"2201221010{i:02d}", 户主姓名=f"户{i}",
                                户主身份证号=make_id(f"196{i}0101", serial=310 + i)) for i in range(1, 5)]
        self.spouse = ("刘桂芝", make_id("19650303", serial=402))
        self.son = ("王志强", make_id("19920505", serial=403))
        police = []
        for i, hh in enumerate(self.heads):
            number = str(220100029 + 7 * i)  # 公安's own, as it numbers them
            spouse = self.spouse if i == 0 else (f"妻{i + 1}", make_id(f"196{i + 1}0606", serial=420 + i))
            child = self.son if i == 1 else (f"子{i + 1}", make_id(f"199{i}0707", serial=430 + i))
            police += [[number, hh["户主姓名"], hh["户主身份证号"], "户主", "男", "汉族"],
                       [number, spouse[0], spouse[1], "妻", "女", "汉族"],
                       [number, child[0], child[1], "子", "男", "汉族"]]
        # A family of the 派出所's area the survey does not hold: no survey head among its rows.
        self.stranger = make_id("19580808", serial=440)
        police += [["220100099", "赵外户", self.stranger, "户主", "男", "汉族"],
                   ["220100099", "钱外户", make_id("19600909", serial=441), "妻", "女", "汉族"]]
        self.survey = write_sheets(folder / "青山口乡贫困边缘户调查表.xlsx",
                                   {"户表": (list(self.heads[0]), [list(h.values()) for h in self.heads])})
        self.police = write_sheets(folder / "青山口派出所户籍人口.xlsx", {"查询结果": (POLICE_HEADERS, police)},
                                   title="人口信息查询结果")
        self.dibao = write_sheets(folder / "低保户花名册.xlsx", {"农村低保": (
            ["序号", "乡镇(街道)", "村(社区)", "户主姓名", "户主身份证号", "保障人数", "月保障金额(元)"],
            [[1, "青山口乡", "青山口村", self.spouse[0], self.spouse[1], 2, 360]])},
            title="农安县农村最低生活保障对象花名册")
        self.payroll = write_sheets(folder / "财政供养人员.xlsx", {"2019年12月": (
            ["姓名", "身份证号", "工作单位"], [[self.son[0], self.son[1], "农安县第三中学"]])})

    def options(self) -> list[str]:
        return ["--roster", f"低保={self.dibao}", "--roster", f"财政供养={self.payroll}"]


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return County(tmp_path_factory.mktemp("police"))


@pytest.fixture(scope="module")
def screened(county, tmp_path_factory):
    out = tmp_path_factory.mktemp("screened") / "out"
    result = run("screen", county.survey, county.police, "-o", out, "--as-of", AS_OF, *county.options())
    assert result.exit_code == 0, result.output
    return out


def _status(out, name: str) -> pd.Series:
    return read_ledger(out / "decisions.csv").set_index("head_name").loc[name]


def test_a_spouse_who_is_a_dibao_head_excludes_her_household_through_the_police_number(county, screened):
    """户1's wife heads a 低保 case: linked by the 户号 her row shares with 户1's own, the 低保 roster
    excludes 户1 as it would with the survey's 户编号 on her row; the others keep what their incomes give."""
    row = _status(screened, "户1")
    assert row["status"] == "excluded_dibao" and row["roster_flags"] == "dibao", row.to_dict()
    assert _status(screened, "户3")["status"] == "candidate"
    message = issues(screened).set_index("code").loc["roster_conflict", "说明"]
    assert "刘桂芝" in message, message


def test_a_son_on_the_payroll_is_on_the_verification_sheet(county, screened):
    """户2's son is on the payroll: a flag (the household stays a candidate), its 疑点 on the list and the
    household on the village's 核实清单, the son named as the member matched."""
    row = _status(screened, "户2")
    assert row["status"] == "candidate" and row["roster_flags"] == "public_payroll", row.to_dict()
    book = openpyxl.load_workbook(screened / "villages" / "青山口乡-青山口村.xlsx")
    verify = [[c.value for c in r] for r in book["核实清单"].iter_rows()]
    at = next(i for i, r in enumerate(verify) if r and "入户核实内容" in r)
    listed = {r[verify[at].index("户主姓名")]: r for r in verify[at + 1:] if r[verify[at].index("户主姓名")]}
    assert set(listed) == {"户2"}, listed
    assert "子" in listed["户2"][verify[at].index("比对到的成员")]


def test_only_the_number_of_no_survey_head_stays_unlinked(county, screened):
    """The members of every surveyed household are theirs (no member count off, no one of no household);
    the family the survey does not hold stays of no household, said on its 户号 as before."""
    listed = issues(screened)
    alone = listed[listed["code"] == "member_without_household"]
    assert sorted(alone["行号"].tolist()) == ["15", "16"], alone.to_dict("records")
    assert all("220100099" in m for m in alone["说明"]), alone["说明"].tolist()
    assert not (listed["code"] == "member_count_mismatch").any()
    assert not (listed["code"] == "head_not_in_members").any()


def test_the_finding_is_said_once_for_the_sheet(county):
    """The 户号 read as 公安's own, not the survey's 户编号, said once for the sheet in both languages:
    which column, how many members linked through the heads' IDs, and those of no household."""
    from edgescreen import screen
    from edgescreen.members import other_numbers_facts

    result = screen([county.survey, county.police], as_of=dt.date.fromisoformat(AS_OF))
    facts = other_numbers_facts(result.members, "zh")
    assert len(facts) == 1, facts
    file, sheet, line = facts[0]
    assert (file, sheet) == ("青山口派出所户籍人口.xlsx", "查询结果")
    assert "「户号」不是调查表的户编号" in line and "按户主身份证号对应" in line, line
    assert "12 人计入该户主的农户(共 4 户)" in line and "其余 2 人" in line, line
    (_, _, english), = other_numbers_facts(result.members, "en")
    assert "not the survey's 户编号" in english and "12 sharing a number" in english, english


def test_the_finding_is_said_on_the_terminal_and_in_the_quality_report(county, tmp_path):
    said = " ".join(run("screen", county.survey, county.police, "-o", tmp_path / "out", "--as-of", AS_OF).output.split())
    assert said.count("「户号」不是调查表的户编号") == 1 and "按户主身份证号对应" in said, said
    checked = run("check", county.survey, county.police, "-o", tmp_path / "report", "--as-of", AS_OF)
    cells = [str(v) for ws in openpyxl.load_workbook(tmp_path / "report" / "quality.xlsx")
             for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    assert sum("「户号」不是调查表的户编号" in c for c in cells) == 1, (checked.output, cells[:40])


@pytest.mark.parametrize("numbers", ["survey", "zeros_lost"])
def test_guard_a_members_table_of_the_survey_numbers_links_as_before(tmp_path, numbers):
    """Guard (passes before and after): a members table keyed by the survey's own 户编号 links by it, one
    row of a number no household has said as before. With its 户编号 stored as numbers (1 for 001), none
    found, it is still the survey's numbers (Excel's zeros said), not another system's: not linked through
    the heads."""
    heads = [household(**PLACE, 户编号=f"00{i}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"197{i}0101", serial=350 + i))
             for i in range(1, 4)]
    rows = []
    for i, hh in enumerate(heads, 1):
        number = hh["户编号"] if numbers == "survey" else str(i)
        rows += [[number, hh["户主姓名"], hh["户主身份证号"], "户主"],
                 [number, f"妻{i}", make_id(f"197{i}0303", serial=360 + i), "妻"],
                 [number, f"子{i}", make_id(f"199{i}0505", serial=370 + i), "子"]]
    if numbers == "survey":
        rows.append(["009", "无主", make_id("19800808", serial=380), "户主"])
    survey = write_sheets(tmp_path / "调查表.xlsx", {"户表": (list(heads[0]), [list(h.values()) for h in heads])})
    members = write_sheets(tmp_path / "家庭成员.xlsx", {"成员": (["户编号", "姓名", "身份证号", "与户主关系"], rows)})
    out = tmp_path / "out"
    result = run("screen", survey, members, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    alone = issues(out)
    alone = alone[alone["code"] == "member_without_household"]
    if numbers == "survey":
        assert alone["行号"].tolist() == ["11"] and "「009」" in alone["说明"].iloc[0], alone.to_dict("records")
    else:
        assert len(alone) == 9 and all("001" in m or "002" in m or "003" in m for m in alone["说明"]), \
            alone["说明"].tolist()
