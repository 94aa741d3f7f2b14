"""Rows whose fields hold only what merged cells above carry down to them are no households (outside
tester, 2026-12-02): a household's cells merged over its members' rows made one household per
member, and a form's unused lines, numbered and under a 乡(镇)/村 merged over the whole block, made
phantom households to fix. Each such row is named in the file facts; a household of its own under a
merged 是否特困人员 or 村 stays a household."""

from __future__ import annotations

import json

import openpyxl

from field_checks import invoke, ledger, screen
from survey_builders import make_id

HEADER = ["序号", "乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入",
          "家庭生产经营性支出", "是否低保户", "是否特困人员", "家庭成员", "与户主关系"]


def screened(wb, path):
    """The workbook saved at `path` and screened: (output folder, its ledger)."""
    wb.save(path)
    out = path.parent / "out"
    done = screen(path, "-o", out)
    assert done.exit_code == 0, done.output
    return out, ledger(out)


def skipped(out) -> list[dict]:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))["inputs"][0]["sheets"][0]["skipped_rows"]


def test_a_households_cells_merged_over_its_members_rows_make_one_household(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    households = [("张三", 3, 15000, 3000), ("李四", 2, 8000, 0), ("王五", 4, 16000, 1000)]
    row = 2
    for i, (head, residents, income, costs) in enumerate(households):
        members = [head] + [f"{head}家{k}" for k in range(1, residents)]
        for k, member in enumerate(members):
            ws.append([i + 1, "合隆镇", "前岗村", head, make_id("19700101", serial=10 + i), residents, income, costs,
                       "否", "否", member, "户主" if k == 0 else "子女"] if k == 0 else
                      [None] * 10 + [member, "子女"])
        if residents > 1:
            for c in range(1, 11):
                ws.merge_cells(start_row=row, start_column=c, end_row=row + residents - 1, end_column=c)
        row += residents
    path = tmp_path / "登记表.xlsx"
    out, decided = screened(wb, path)
    assert decided["head_name"].tolist() == ["张三", "李四", "王五"]
    assert decided["per_capita_income"].tolist() == ["4000.00", "4000.00", "3750.00"]
    assert decided["status"].tolist() == ["above_limit", "above_limit", "candidate"]
    assert [r["row"] for r in skipped(out) if r["reason"] == "continued"] == [3, 4, 6, 8, 9, 10]
    checked = invoke("check", path, "-o", tmp_path / "report")
    assert "第3-4,6,8-10行只有上方合并单元格延续下来的内容" in "".join(checked.output.split())


def test_unused_numbered_lines_under_a_merged_township_and_village_are_no_households(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER[:10])
    for i in range(10):
        filled = i < 3
        ws.append([i + 1, "合隆镇" if i == 0 else None, "前岗村" if i == 0 else None,
                   f"户主{i}" if filled else None, make_id("19700101", serial=40 + i) if filled else None,
                   3 if filled else None, 11000 if filled else None, 500 if filled else None,
                   "否" if filled else None, "否" if filled else None])
    ws.merge_cells("B2:B11")
    ws.merge_cells("C2:C11")
    # 是否特困人员 merged over the three households: each is still a household of its own.
    ws.merge_cells("J2:J4")
    out, decided = screened(wb, tmp_path / "前岗村.xlsx")
    assert decided["head_name"].tolist() == ["户主0", "户主1", "户主2"]
    assert set(decided["village"]) == {"前岗村"} and set(decided["status"]) == {"candidate"}
    assert [r["row"] for r in skipped(out)] == list(range(5, 12))


def test_a_members_sheet_that_also_heads_the_households_amounts_is_said_for_what_it_is(tmp_path):
    """One row per member with the household's amounts on its head's row: read as a members table
    (it names 姓名, 身份证号 and 与户主关系), so no household is read; the message said the file had
    only a members table, which the clerk could see was not so."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "登记表"
    ws.append(["乡(镇)", "行政村", "户主姓名", "户主身份证号", "成员姓名", "与户主关系", "成员身份证号",
               "家庭常住人口数", "家庭总收入(元)", "家庭生产经营性支出(元)", "是否低保户", "是否特困人员"])
    head = make_id("19700101", serial=70)
    ws.append(["合隆镇", "前岗村", "张三", head, "张三", "户主", head, 2, 9000, 500, "否", "否"])
    ws.append([None, None, None, None, "李芳", "配偶", make_id("19720101", serial=72)])
    path = tmp_path / "成员.xlsx"
    wb.save(path)
    done = screen(path, "-o", tmp_path / "out")
    assert done.exit_code == 2
    said = "".join(done.output.split())
    assert "工作表「登记表」:表头既有家庭成员的栏目" in said and "I「家庭总收入(元)」" in said
    assert "只有家庭成员表" not in said
