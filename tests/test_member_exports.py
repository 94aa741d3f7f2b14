"""An export that lists each member on a row of their own (the 户编号 and the household's amounts
repeated, each row under the member's ID, no 与户主关系 column a members sheet would have) was
screened as households: 103 members of 30 households gave 103 households and 31 candidates for 9,
and `check` said no error (outside tester, 2026-12-02). One 户编号 under different heads is now an
error on each such row, and said once as a systemic finding with its likely cause."""

from __future__ import annotations

import openpyxl

from field_checks import invoke, issues, ledger, screen
from survey_builders import make_id

HEADER = ["乡(镇)", "行政村", "户编号", "户主姓名", "证件号码", "家庭人口数", "常住人口数", "工资性收入(元)",
          "生产经营性收入(元)", "财产性收入(元)", "转移性收入(元)", "生产经营性支出(元)", "是否低保", "是否特困供养"]


def _export(path, households: int, members: int):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["农安县脱贫人口和监测对象信息表 导出时间:2020-01-05"])
    ws.append(HEADER)
    for h in range(households):
        code = f"220122001{h:05d}"
        for m in range(members):
            ws.append(["合隆镇", "前岗村", code, f"户主{h}", make_id(serial=100 + h * members + m), str(members),
                       str(members), "5850", "1509", "48", "1013", "1478", "否", "否"])
    wb.save(path)
    return path


def test_a_one_member_per_row_export_is_no_list_of_households(tmp_path):
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "export.xlsx", 10, 3), "-o", out)
    assert result.exit_code == 0, result.output
    rows = ledger(out)
    assert len(rows) == 30 and set(rows["status"]) == {"invalid"}, "no member decided as a household"
    found = issues(out)
    repeated = found[found["code"] == "household_id_repeated"]
    assert len(repeated) == 30 and set(repeated["severity"]) == {"error"}
    text = "".join(result.output.split())
    assert "一人一行导出的家庭成员名单" in text, result.output
    checked = invoke("check", tmp_path / "export.xlsx", "-o", tmp_path / "report")
    assert checked.exit_code == 1, "check does not pass it as ready to send"


def test_the_same_household_twice_is_a_duplicate_not_a_repeated_code(tmp_path):
    """The same head on two rows keeps duplicate_household alone; two heads on one 户编号 (a typo) are
    both said, each naming the other's row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    same = make_id(serial=501)
    rows = [("22012200100001", "甲", same), ("22012200100001", "甲", same),
            ("22012200100002", "乙", make_id(serial=502)), ("22012200100002", "丙", make_id(serial=503)),
            ("22012200100004", "丁", make_id(serial=504))]
    for code, name, pid in rows:
        ws.append(["合隆镇", "前岗村", code, name, pid, "3", "3", "9000", "600", "300", "100", "0", "否", "否"])
    wb.save(tmp_path / "survey.xlsx")
    out = tmp_path / "out"
    result = screen(tmp_path / "survey.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    found = issues(out)
    repeated = found[found["code"] == "household_id_repeated"]
    assert repeated["head_name"].tolist() == ["乙", "丙"]
    assert "第5行" in repeated["message"].iloc[0] and "第4行" in repeated["message"].iloc[1]
    assert found.loc[found["code"] == "duplicate_household", "head_name"].tolist() == ["甲", "甲"]
    assert ledger(out)["status"].tolist()[-1] == "candidate"


def test_a_villages_own_numbering_repeats_in_the_next_village(tmp_path):
    """户编号 001 in 前岗村 and 001 in 后岗村 are two households, as the members' linking holds."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for village, name, serial in (("前岗村", "甲", 601), ("后岗村", "乙", 602)):
        ws.append(["合隆镇", village, "001", name, make_id(serial=serial), "3", "3", "9000", "600", "300", "100", "0",
                   "否", "否"])
    wb.save(tmp_path / "survey.xlsx")
    out = tmp_path / "out"
    result = screen(tmp_path / "survey.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert "household_id_repeated" not in set(issues(out)["code"])


def test_a_blank_head_id_beside_a_code_is_no_other_head(tmp_path):
    """户编号 001 on two rows, the second's 户主身份证号 left blank: the blank is its own missing value,
    not 'the same 户编号 with a different head' on both rows (reviewer, 2026-12-02)."""
    from survey_builders import household, make_id, write_workbook

    rows = [household(**{"户主姓名": "甲", "户编号": "001", "户主身份证号": make_id("19700101")}),
            household(**{"户主姓名": "乙", "户编号": "001", "户主身份证号": ""})]
    out = tmp_path / "out"
    result = screen(write_workbook(tmp_path / "县.xlsx", rows), "-o", out)
    assert result.exit_code == 0, result.output
    found = issues(out)
    assert "household_id_repeated" not in set(found["code"])
    assert found.loc[found["code"] == "missing_value", "head_name"].tolist() == ["乙"]


def test_three_heads_on_one_code_each_name_another_row_and_count_three(tmp_path):
    """Of three rows under one 户编号 and different heads, the first names the second, the others the
    first, and each says the code has 3 rows; the same code in another village is another household."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    rows = [("前岗村", "001", "甲"), ("前岗村", "002", "乙"), ("前岗村", "001", "丙"), ("后岗村", "001", "丁"),
            ("前岗村", "001", "戊"), ("后岗村", "002", "己")]
    for serial, (village, code, name) in enumerate(rows):
        ws.append(["合隆镇", village, code, name, make_id(serial=600 + serial), "3", "3", "9000", "600", "300", "100",
                   "0", "否", "否"])
    wb.save(tmp_path / "survey.xlsx")
    out = tmp_path / "out"
    assert screen(tmp_path / "survey.xlsx", "-o", out).exit_code == 0
    found = issues(out)
    repeated = found[found["code"] == "household_id_repeated"]
    assert repeated["head_name"].tolist() == ["甲", "丙", "戊"]
    named = [m.split("另见")[1] for m in repeated["message"]]
    assert ["第4行" in named[0], "第2行" in named[1], "第2行" in named[2]] == [True] * 3, named
    assert all("共有 3 行" in m for m in repeated["message"]), repeated["message"].tolist()
