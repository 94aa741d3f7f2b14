"""The last village words on a 社区's papers and lines. After its notices, forms and seals spoke of the
社区, a 社区 was still 本村 on: the 未调查户核实 form's line (户仍在本村、漏调查的), the status of its
verification (仍在本村 1 户), its household's 帮扶缺口 on the 花名册 (经核实仍在本村), the candidate list's
roster line (本村候选户没有疑点), its quality fix list (本村 30 户:第 …), and changes.xlsx's note on its
registered household whose 户编号 another village's household carries (不在本村). Now a 社区's say
本社区 and a village's 本村 as before; the record's closing line, which counts every place at once, says
户仍在."""

from __future__ import annotations

import re
import shutil

import openpyxl
from typer.testing import CliRunner

from register_builders import household_table, rows_by_seq
from survey_builders import household, make_id, write_csv, write_csv_table, write_workbook
from test_community_words_rest import COMMUNITY, VILLAGE, _texts
from years_builders import register_everyone, run, survey
from edgescreen.cli import app

runner = CliRunner()
IDS = {k: make_id(birth=f"1970{m:02d}{m + 10:02d}", serial=500 + m) for m, k in enumerate("ABCDEFGH", start=1)}


def _person(key: str, **over) -> dict:
    place = COMMUNITY if key in "ABCD" else VILLAGE
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


def _fill_gone(form, found: dict) -> None:
    """{户主姓名: (核实结果, 情况说明)} written into a printed 未调查户核实 form, as a clerk does."""
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    header, cols = household_table(ws)
    for r in rows_by_seq(ws, header, cols["序号"]).values():
        result, why = found[ws.cell(r, cols["户主姓名"]).value]
        for key, value in (("核实结果", result), ("情况说明", why), ("核实人", "张主任"), ("核实日期", "2020-11-25")):
            ws.cell(r, cols[key]).value = value
    wb.save(form)


def test_a_communitys_households_found_still_there_are_still_in_the_community(tmp_path):
    # 2019: 户A–户D of 青山社区 and 户E–户H of 前岗村 on the register; 2020 finds A, B, E and F only.
    db = register_everyone(tmp_path, [_person(k) for k in "ABCDEFGH"])
    run("screen", survey(tmp_path / "2020.xlsx", [_person(k, 工资性收入=10500) for k in "ABEF"]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "2020")
    forms = tmp_path / "2020" / "未调查户核实"
    community, village = next(forms.glob("*青山社区*.xlsx")), next(forms.glob("*前岗村*.xlsx"))
    line = _texts(community)
    assert "户仍在本社区、漏调查的,填“仍在本社区”,须补充调查。" in line and "本村" not in line, line
    assert "户仍在本村、漏调查的,填“仍在本村”,须补充调查。" in _texts(village)  # a village's as before
    # The 社区's clerk writes its own word; each form so printed is read whole.
    _fill_gone(community, {"户C": ("户已不存在", "整户迁出"), "户D": ("仍在本社区", None)})
    _fill_gone(village, {"户G": ("户已不存在", "整户迁出"), "户H": ("仍在本村", None)})
    said = " ".join(run("register", "record", db, community, village).output.split())
    assert "打印时没有的内容" not in said and said.count("已登记") >= 2, said
    # The batch's closing line counts both places: neither's word.
    assert "未调查户核实:登记 4 户,户已不存在、销户 2 户,户仍在、待补充调查 2 户。" in said, said

    status = " ".join(run("register", "status", db, "--as-of", "2020-12-31", "-o", tmp_path / "进度.xlsx").output.split())
    assert re.search(r"青山社区:未调查 2 户 · .*已核实:户已不存在 1 户\(已销户\),仍在本社区 1 户\(待补充调查\)", status), status
    assert re.search(r"前岗村:未调查 2 户 · .*已核实:户已不存在 1 户\(已销户\),仍在本村 1 户\(待补充调查\)", status), status
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    roster = [[c.value for c in r] for r in openpyxl.load_workbook(export)["花名册"].iter_rows()]
    gaps = {r[2]: r[-1] for r in roster if r[2] in ("户D", "户H")}
    assert "2020年未调查,经核实仍在本社区:待补充调查" in gaps["户D"], gaps
    assert "2020年未调查,经核实仍在本村:待补充调查" in gaps["户H"], gaps


def test_a_communitys_candidate_list_says_its_candidates_have_nothing_to_verify(tmp_path):
    rows = [household(**{**place, "户主姓名": name, "户主身份证号": make_id(birth="19650101", serial=10 + i)})
            for i, (place, name) in enumerate([(COMMUNITY, "赵一"), (COMMUNITY, "钱二"), (VILLAGE, "孙三")])]
    roster = write_csv_table(tmp_path / "机动车.csv", ["所有人", "身份证号", "号牌号码"],
                             [["李四", make_id(birth="19710101"), "吉A1"]])
    done = runner.invoke(app, ["screen", str(write_workbook(tmp_path / "九台区.xlsx", rows)), "-o", str(tmp_path / "out"),
                               "--as-of", "2020-01-01", "--roster", f"车辆={roster}"])
    assert done.exit_code == 0, done.output
    lists = tmp_path / "out" / "villages"
    community = _texts(next(lists.glob("*青山社区*.xlsx")), "候选名单")
    assert "信息比对:本社区候选户没有疑点或同村同名线索,无需入户核实,不附“核实清单”。" in community, community
    assert "本村" not in community, community
    assert "信息比对:本村候选户没有疑点" in _texts(next(lists.glob("*前岗村*.xlsx")), "候选名单")


def test_a_communitys_fix_list_gives_a_whole_column_problem_its_own_rows(tmp_path):
    # 财产性收入 blank on every row of the sheet: a finding of the sheet, each place given its own rows.
    rows = [household(**{**(COMMUNITY if i < 30 else VILLAGE), "户主身份证号": make_id(birth="19600101", serial=101 + 2 * i),
                         "户主姓名": f"户{i}", "财产性收入": "", "家庭总收入": 10000}) for i in range(60)]
    done = runner.invoke(app, ["check", str(write_csv(tmp_path / "九台区.csv", rows)), "-o", str(tmp_path / "report"),
                               "--as-of", "2020-01-01"])
    assert done.exit_code in (0, 1), done.output
    fixes = tmp_path / "report" / "quality-villages"
    community = _texts(next(fixes.glob("*青山社区*.xlsx")))
    # Each place's part says what rests on the blank income there (7cde316).
    assert "。本社区 30 户:第 2-31 行,其中 30 户认定为“贫困边缘户候选”。" in community and "本村" not in community, community
    assert "。本村 30 户:第 32-61 行,其中 30 户认定为“贫困边缘户候选”。" in _texts(next(fixes.glob("*前岗村*.xlsx")))


def test_a_communitys_registered_household_whose_number_another_village_carries_is_not_in_the_community(tmp_path):
    wukeshu = {"乡(镇)": "五棵树镇", "行政村": "五棵树村"}
    old = {k: make_id(birth=f"195{n}0312", serial=43 + n) for n, k in enumerate("AB")}
    new = {k: make_id(birth=f"198{n}0407", serial=220 + n) for n, k in enumerate("AB")}
    # 青山社区's 崔凤林 and 前岗村's 王桂英 on the register; in 2020 五棵树村's namesakes carry their numbers.
    db = register_everyone(tmp_path, [{**COMMUNITY, "户主姓名": "崔凤林", "户主身份证号": old["A"], "户编号": "0601001"},
                                      {**VILLAGE, "户主姓名": "王桂英", "户主身份证号": old["B"], "户编号": "0601002"}])
    db = shutil.copyfile(db, tmp_path / "九台区.db")
    run("screen", survey(tmp_path / "2020.xlsx", [
        {**wukeshu, "户主姓名": "崔凤林", "户主身份证号": new["A"], "户编号": "0601001"},
        {**wukeshu, "户主姓名": "王桂英", "户主身份证号": new["B"], "户编号": "0601002"}]),
        "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20", "--no-mask")
    ws = openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx").worksheets[1]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    at = next(i for i, r in enumerate(rows) if r[4] == "户主姓名")
    said = {(r[2], r[4]): dict(zip(rows[at], r))["说明"] for r in rows[at + 1:] if r[4]}
    community, village = said[("青山社区", "崔凤林")], said[("前岗村", "王桂英")]
    assert f"下是另一户(户主 崔凤林,{new['A']}):不在本社区,户主不是本户登记的人" in community, community
    assert "本村" not in community, community
    assert f"下是另一户(户主 王桂英,{new['B']}):不在本村,户主不是本户登记的人" in village, village
