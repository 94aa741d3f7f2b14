"""A roster's IDs masked by the department's system before sending (220122********2970, as 民政 exports
a 低保 roster): every row was told 「位数不对,应为18位或15位」, though all 18 characters are there, and
an authoritative roster of them was refused for 位数不对; the register's changes told a masked ID
「位数不对:现为 18 位,应为 18 位」. Now said as masked (checks.id_faults: id_masked, as check_ids says a
survey's), once for a roster masked throughout, by its rows where a few are; those rows match no one by
ID and may still be a lead by name in their village. A 17-digit ID is still of the wrong length."""

from __future__ import annotations

import openpyxl
import pandas as pd

from survey_builders import household, make_id, write_workbook
from test_rosters import AS_OF, run, write_sheets
from edgescreen.outputs.ledger import read_ledger
from years_builders import register_everyone, run as run_years, survey as survey_of

PLACE = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
NAMES = ["张一", "李二", "王三"]
HEADER = ["乡镇", "村", "姓名", "身份证号"]


def masked(person_id: str) -> str:
    """The ID as a system exports it masked: its birth date's eight digits stars."""
    return person_id[:6] + "********" + person_id[14:]


def county(tmp_path):
    """前岗村's survey of a household per NAMES: (the survey, {name: head's ID})."""
    heads = {name: make_id(f"196{i}0101", serial=730 + i) for i, name in enumerate(NAMES)}
    survey = write_workbook(tmp_path / "县.xlsx", [household(**PLACE, 户编号=f"00{i}", 户主姓名=name, 户主身份证号=pid)
                                                   for i, (name, pid) in enumerate(heads.items())])
    return survey, heads


def said(result) -> str:
    return "".join(result.output.split())


def test_a_dibao_roster_masked_throughout_is_said_once_as_masked(tmp_path):
    """Before: refused as 「3 行的身份证号没有一个有效(位数不对,应为18位或15位)」 and told to look for
    numbers Excel stored. Now one sentence: masked, ask the department for the whole IDs; still not read
    (nothing to match by), so no household is excluded on it and nothing is written."""
    survey, heads = county(tmp_path)
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (HEADER, [["合隆镇", "前岗村", n, masked(i)]
                                                               for n, i in heads.items()])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 2, result.output
    text = said(result)
    sentence = "低保.xlsx(低保对象名单)的身份证号已打码(部分数字被遮盖,共3行),无法比对:请向提供名单的部门要完整的身份证号"
    assert text.count(sentence) == 1, text
    assert "位数不对" not in text and "2.20122E+17" not in text, text
    assert not (out / "decisions.csv").exists()


def test_a_flag_roster_masked_throughout_matches_no_one_and_leaves_leads_by_name(tmp_path):
    """A 车辆 roster (a flag) masked throughout is read: said as masked in one line, no 位数不对; no
    household flagged by a masked ID; each name in its village a lead, as any row whose ID is not valid."""
    survey, heads = county(tmp_path)
    roster = write_sheets(tmp_path / "车辆.xlsx", {"车辆": (HEADER, [["合隆镇", "前岗村", n, masked(i)]
                                                               for n, i in heads.items()])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}",
                 env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = said(result)
    assert text.count("3行的身份证号无效(已打码,部分数字被遮盖,无法比对:请向提供名单的部门要完整的身份证号)") == 1, text
    assert "位数不对" not in text, text
    ledger = read_ledger(out / "decisions.csv")
    assert ledger["status"].tolist() == ["candidate"] * 3
    assert ledger["roster_flags"].fillna("").tolist() == ["", "", ""]
    verify = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")["核实清单"]
                      .iter_rows() for c in row if c.value is not None)
    for name in NAMES:
        assert f"{name}:车辆名单上有同村同名的人,名单上的身份证号空白或无效(仅姓名相同)" in verify, verify


def test_one_masked_row_among_valid_ones_is_said_masked_by_its_row(tmp_path):
    """张一's row masked, 李二's whole: 李二 excluded, 张一 not (matched by no ID), his row said masked by
    its row number, and his name in his village a lead."""
    survey, heads = county(tmp_path)
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (HEADER, [
        ["合隆镇", "前岗村", "张一", masked(heads["张一"])], ["合隆镇", "前岗村", "李二", heads["李二"]],
        ["合隆镇", "后岗村", "某某", make_id("19500101", serial=801)]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}",
                 env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = said(result)
    assert "1行的身份证号无效(已打码,部分数字被遮盖,无法比对:请向提供名单的部门要完整的身份证号),未参加比对:工作表「低保」第2行" \
        in text, text
    assert "位数不对" not in text, text
    status = read_ledger(out / "decisions.csv").set_index("head_name")["status"]
    assert status.to_dict() == {"张一": "candidate", "李二": "excluded_dibao", "王三": "candidate"}
    verify = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")["核实清单"]
                      .iter_rows() for c in row if c.value is not None)
    assert "张一:低保名单上有同村同名的人,名单上的身份证号空白或无效(仅姓名相同)" in verify, verify


def test_a_seventeen_digit_id_is_still_of_the_wrong_length(tmp_path):
    """The guard: an ID a digit short is no masked one, and keeps its words."""
    survey, heads = county(tmp_path)
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (HEADER, [
        ["合隆镇", "前岗村", "张一", heads["张一"][:17]], ["合隆镇", "前岗村", "李二", heads["李二"]]])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}",
                 env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    text = said(result)
    assert "1行的身份证号无效(位数不对,应为18位或15位),未参加比对:工作表「低保」第2行" in text, text
    assert "已打码" not in text, text


def test_a_head_id_masked_this_year_is_said_masked_in_the_changes(tmp_path):
    """马金 registered in 2019 with his whole ID, his 2020 row masked: changes.xlsx said 「位数不对:现为
    18 位,应为 18 位」. Now: masked, and his registered ID kept."""
    good = make_id(birth="19650925", serial=737)
    person = {**PLACE, "户主姓名": "马金", "户编号": "HB1"}
    db = register_everyone(tmp_path, [{**person, "户主身份证号": good}])
    now = survey_of(tmp_path / "2020.xlsx", [{**person, "户主身份证号": masked(good), "工资性收入": 10500}])
    run_years("screen", now, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", "2020-11-20",
              "--no-mask")
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "out" / "changes.xlsx")["变动名单"].iter_rows()]
    at = next(i for i, r in enumerate(rows) if "户主姓名" in r)
    notes = pd.DataFrame(rows[at + 1:], columns=rows[at]).dropna(subset=["户主姓名"]).set_index("户主姓名")["说明"]
    note = notes["马金"]
    assert f"本年身份证号 {masked(good)} 有误(已打码,部分数字被遮盖,无法比对)" in note, note
    assert "位数不对" not in note and f"原登记身份证号 {good}" in note, note
