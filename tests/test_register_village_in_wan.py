"""A village whose survey the screen found typed in 万元 is held, not carried as one with nobody listed.

An outside try: 烧锅镇石头村 typed every amount in 万元; the screen warned that its 125 households look
typed wholly in 万元 and decided them 低于贫困标准. The register then dropped the warning: `register status`
called it 本轮没有初选户(已筛查,无须评议), and `register next` printed it a 第一次公示 saying 本村没有拟新认定的
贫困边缘户, a village whose survey is wrong posting that it has nobody. Built here: 合隆镇前岗村's three
candidates; 烧锅镇石头村's three households typed in 万元 (1.2 for 12,000 yuan); 合隆镇东兴村's two above the
limit (nobody listed, every figure plausible: its 本村无 notice and 无须评议 as before)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from survey_builders import household, make_id, write_workbook
from test_register import run
from test_register_undecided_village import _to_first_publicity

PEOPLE = [("合隆镇", "前岗村", "王一", 10500), ("合隆镇", "前岗村", "王二", 10400), ("合隆镇", "前岗村", "王三", 10300),
          ("烧锅镇", "石头村", "石一", 1.2), ("烧锅镇", "石头村", "石二", 1.05), ("烧锅镇", "石头村", "石三", 1.1),
          ("合隆镇", "东兴村", "东一", 60000), ("合隆镇", "东兴村", "东二", 70000)]

HELD = "烧锅镇石头村:调查表疑似按万元填写(3 户),本轮结果不可靠:请核实更正后重新筛查,再办理"


def flat(text: str) -> str:
    return " ".join(text.split())


class County:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组", "户主姓名": name, "工资性收入": wage,
                             "户主身份证号": make_id(birth=f"1960021{i % 10}", serial=300 + i), "主要困难": "因病"})
                for i, (t, v, name, wage) in enumerate(PEOPLE)]
        self.survey = write_workbook(tmp / "农安县.xlsx", rows)
        self.db = tmp / "农安县.db"
        self.screened = flat(run("screen", self.survey, "-o", tmp / "筛查", "--register", self.db,
                                 "--date", "2019-11-20").output)

    def issue(self, date: str, name: str):
        folder = self.tmp / name
        return flat(run("register", "next", self.db, "--date", date, "-o", folder).output), folder

    def status(self, as_of: str, name: str) -> tuple[str, list[str]]:
        book = self.tmp / name
        said = flat(run("register", "status", self.db, "--as-of", as_of, "-o", book).output)
        notes = [v for ws in openpyxl.load_workbook(book) for row in ws.iter_rows(values_only=True)
                 for v in row if isinstance(v, str)]
        return said, notes


@pytest.fixture
def county(tmp_path):
    return County(tmp_path)


def test_the_screen_found_the_village_typed_in_wan(county):
    # What the register is to carry: the screen's own warning, 3 households of 石头村 below the line.
    assert "其中 3 户的金额疑似整户按万元填写(烧锅镇石头村 3 户)" in county.screened, county.screened


def test_status_holds_the_village_in_its_own_line_not_nothing_to_review(county):
    said, notes = county.status("2019-11-21", "进度.xlsx")
    # 东兴村 (every figure plausible) alone is the village with nothing to review.
    assert "另有 1 个村本轮没有初选户(已筛查,无须评议):合隆镇东兴村" in said, said
    assert "烧锅镇石头村、" not in said and "、烧锅镇石头村" not in said, said
    assert flat(HELD) in said, said  # the terminal holds it in its own line
    # 进度.xlsx says it too, and not among those with nothing to review.
    assert any(HELD in n for n in notes), notes
    assert not [n for n in notes if "无须评议" in n and "石头村" in n], notes


def test_next_posts_no_nobody_listed_notice_for_it_and_says_why(county):
    said, folder = _to_first_publicity(county)
    names = sorted(p.name for p in (folder / "3-第一次公示").glob("*.xlsx"))
    # 东兴村 keeps its 本村无 notice; 石头村, its survey in doubt, gets none.
    assert names == ["合隆镇-东兴村-第一次公示.xlsx", "合隆镇-前岗村-第一次公示.xlsx"], names
    assert "其中 1 份为名单上没有农户的村的公示(本村无)" in said, said
    held = ("烧锅镇石头村(3 户):调查表疑似按万元填写,本轮结果不可靠,名单不能算“本村无”,「第一次公示」暂不发出;"
            "请核实更正调查表后重新筛查")
    assert held in said, said


def test_status_and_next_count_the_village_alike(county):
    _to_first_publicity(county)
    # After next: the two notices out (东兴村's 本村无 among them), 石头村 still held, nothing of it overdue.
    said, notes = county.status("2019-12-20", "进度2.xlsx")
    assert any(HELD in n for n in notes), notes
    assert "本轮没有初选户的村,其「第一次公示」" in said and "合隆镇东兴村" in said, said
    overdue = said.split("逾期", 1)[-1]
    assert "石头村" not in overdue.replace(HELD, ""), said
    # Printing again on a later day still posts nothing for it, and says why once more.
    again, folder = county.issue("2019-12-02", "d4")
    assert not [p for p in folder.rglob("*") if "石头村" in p.name]
    assert "石头村(3 户):调查表疑似按万元填写" in again, again


def test_next_does_not_call_the_held_village_one_with_nobody_to_review(county):
    said, folder = county.issue("2019-11-21", "d1")
    # 石头村 is held on its own line (its survey in doubt); 东兴村 alone has nobody to review.
    assert "另有 1 个村本轮没有要评议的农户,没有民主评议文书:合隆镇东兴村" in said, said
    assert "石头村(3 户):调查表疑似按万元填写" in said, said
    assert not [p for p in folder.rglob("*") if "石头村" in p.name]
