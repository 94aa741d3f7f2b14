"""The village's review lists say, beside each household, the doubts its own warnings raise: end to end
through `edgescreen screen` on workbooks built here. An outside try found a household typed wholly in
万元 referred to the poverty procedure (低于贫困标准, 请转入建档立卡贫困户识别程序) and a candidate whose
备注 says the head died listed under the dead head's name, with nothing beside them: the warnings were
only in report.html, which the village committee never sees. Now the candidate and below-the-line
sheets have a 疑点 column and a line above the table saying how many households to check; a village
with none prints as before; a warning of a whole column (a systemic finding) marks no household; with
rosters the rosters' 疑点 column holds both (one column)."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd

from print_size import column_widths
from survey_builders import household, make_id, write_csv_table
from test_village_lists_register_working import label, screen as screened

DOUBTS = "疑点"  # the column's header, as the list prints it
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")


def screen(tmp_path, rows, *extra, out="out"):
    """The output folder of a screen of `rows` (test_village_lists_register_working's, said words aside)."""
    return screened(tmp_path, rows, *extra, out=out)[0]


def sheet(out, name, village="合隆镇-前岗村.xlsx"):
    return openpyxl.load_workbook(out / "villages" / village)[label(name)]


def listed(ws) -> tuple[list[str], list[str], list[dict]]:
    """(the lines between the title and the table, the headers, each row as {header: value})."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label("seq"))
    lines = [ws.cell(r, 1).value for r in range(2, header)]
    headers = [c.value for c in ws[header]]
    rows = []
    for r in range(header + 1, ws.max_row + 1):
        if not isinstance(ws.cell(r, 1).value, int):
            break
        rows.append(dict(zip(headers, (c.value for c in ws[r]))))
    return lines, headers, rows


def widths(ws) -> list[int]:
    """Each column's width as the list gives it (whole characters: the file stores the cell's padding too)."""
    return [round(w - 5 / 7) for w in column_widths(ws)]


def by_name(rows) -> dict[str, dict]:
    return {row[label("head_name")]: row for row in rows}


def doubt_lines(lines) -> list[str]:
    return [line for line in lines if line and line.startswith("数据疑点")]


def village_rows():
    """前岗村: a household typed wholly in 万元 (below the line by its figures), a candidate whose head
    died by its 备注, a candidate with more residents than members, and two clean candidates and one
    clean household below the line."""
    return [
        household(户主姓名="万元户", 户主身份证号=make_id("19550101"), 工资性收入=1.2, 转移性收入=0.3),
        household(户主姓名="故户主", 户主身份证号=make_id("19400101"), 工资性收入=10500, 备注="户主已于2019年9月病故"),
        household(户主姓名="多常住", 户主身份证号=make_id("19600101"), 工资性收入=10200, 家庭人口数=2),
        household(户主姓名="清白甲", 户主身份证号=make_id("19610101"), 工资性收入=9900),
        household(户主姓名="清白乙", 户主身份证号=make_id("19620101"), 工资性收入=11000),
        household(户主姓名="清白丙", 户主身份证号=make_id("19630101"), 工资性收入=6000),
    ]


def clean_village():
    """烧锅镇三宝村: candidates and one below the line, none with a warning."""
    return [household(**{"乡(镇)": "烧锅镇", "行政村": "三宝村", "户主姓名": name, "户主身份证号": make_id(birth),
                         "工资性收入": wage})
            for name, birth, wage in (("钱甲", "19640101", 10500), ("孙乙", "19650101", 9900),
                                      ("李丙", "19660101", 6000))]


def test_the_candidates_and_the_below_the_line_say_their_doubts(tmp_path):
    out = screen(tmp_path, village_rows() + clean_village())
    issues = pd.read_csv(out / "issues.csv", dtype=str)
    # The run warned of each (else the list would have nothing to say).
    codes = set(issues["code"])
    assert {"amount_unit_suspect", "head_noted_deceased", "residents_exceed_members"} <= codes, codes

    lines, headers, rows = listed(sheet(out, "sheet_candidates"))
    assert headers.count(DOUBTS) == 1, headers
    assert headers.index(DOUBTS) == headers.index(label("risk")) + 1, "beside 主要困难"
    rows = by_name(rows)
    assert rows["故户主"][DOUBTS] == "备注写户主已故"
    assert rows["多常住"][DOUBTS] == "常住人口多于家庭人口"
    assert not rows["清白甲"][DOUBTS] and not rows["清白乙"][DOUBTS]
    assert doubt_lines(lines) == ["数据疑点:2 户的填报数据有疑点,见「疑点」栏。请在评议前或评议会上逐户核实;"
                                  "数据确有错的,请报乡(镇)在原表中改正后重新筛查。"]
    # The meeting's own columns are still there, blank, and the IDs still masked.
    assert headers[-2:] == [label("review_result"), label("notes")]
    ws = sheet(out, "sheet_candidates")
    assert not any(FULL_ID.search(str(c.value)) for row in ws.iter_rows() for c in row if c.value)

    lines, headers, rows = listed(sheet(out, "sheet_below_line"))
    rows = by_name(rows)
    assert set(rows) == {"万元户", "清白丙"}, "referred as before: the doubt decides nothing"
    assert rows["万元户"][DOUBTS] == "疑似按万元填写"
    assert not rows["清白丙"][DOUBTS]
    assert any(line.startswith("以下 2 户人均纯收入不高于贫困标准") for line in lines), lines
    assert len(doubt_lines(lines)) == 1 and doubt_lines(lines)[0].startswith("数据疑点:1 户")


def test_a_clean_village_prints_as_before(tmp_path):
    """Guards what was already right: no 疑点 column, no line of doubts, where no household has one
    (the village in the same run as one that has)."""
    out = screen(tmp_path, village_rows() + clean_village())
    for name in ("sheet_candidates", "sheet_below_line"):
        lines, headers, rows = listed(sheet(out, name, "烧锅镇-三宝村.xlsx"))
        assert rows and DOUBTS not in headers
        assert not doubt_lines(lines), lines
    _, headers, _ = listed(sheet(out, "sheet_candidates", "烧锅镇-三宝村.xlsx"))
    assert headers == [label(k) for k in ("seq", "group", "head_name", "masked_id", "residents",
                                          "per_capita_income", "risk", "review_result", "notes")]


def test_a_blank_column_said_once_marks_no_household(tmp_path):
    """财产性收入 blank on every row of a sheet of 24: a systemic finding, said once in the reports, not a
    doubt of each household; the one household with a warning of its own is marked, with that alone."""
    rows = [household(户主姓名=f"户主{i:02d}", 户主身份证号=make_id(f"1960{i % 12 + 1:02d}01", serial=i),
                      工资性收入=9700 + 50 * i, 财产性收入="") for i in range(24)]
    rows[3]["备注"] = "户主已故"
    out = screen(tmp_path, rows)
    issues = pd.read_csv(out / "issues.csv", dtype=str)
    blanks = issues[issues["code"] == "missing_value"]
    assert len(blanks) == 24, "each household has its blank warned in issues.csv"
    _, headers, listed_rows = listed(sheet(out, "sheet_candidates"))
    doubts = {row[label("head_name")]: row[DOUBTS] for row in listed_rows}
    assert len(doubts) > 20
    assert doubts.pop("户主03") == "备注写户主已故"
    assert not any(doubts.values()), doubts
    lines, _, _ = listed(sheet(out, "sheet_candidates"))
    assert doubt_lines(lines)[0].startswith("数据疑点:1 户")


def test_a_blank_of_one_household_is_its_doubt(tmp_path):
    """The same blank on one row only is the household's own: said beside it, by the column's name."""
    rows = village_rows()
    rows[3]["转移性收入"] = ""
    out = screen(tmp_path, rows)
    rows = by_name(listed(sheet(out, "sheet_candidates"))[2])
    assert rows["清白甲"][DOUBTS] == "转移性收入未填"


def test_the_countys_working_list_says_them_too(tmp_path):
    out = screen(tmp_path, village_rows(), "--register", str(tmp_path / "县.db"))
    ws = sheet(out, "sheet_candidates")
    assert ws["A1"].value.endswith("(工作清单)")
    lines, headers, rows = listed(ws)
    assert label("review_result") not in headers
    assert by_name(rows)["故户主"][DOUBTS] == "备注写户主已故"
    assert doubt_lines(lines)[0].startswith("数据疑点:2 户")
    # The page keeps the meeting's form's width (the meeting's columns' room is 主要困难's), 疑点 as wide.
    form = sheet(screen(tmp_path, village_rows(), out="form"), "sheet_candidates")
    assert sum(widths(ws)) == sum(widths(form))
    doubts = headers.index(DOUBTS)
    assert widths(ws)[doubts] == widths(form)[listed(form)[1].index(DOUBTS)]


def test_with_rosters_one_column_holds_the_rosters_flags_and_the_doubts(tmp_path):
    rows = village_rows()
    owner = rows[1]["户主身份证号"]  # 故户主, the dead head, owns a car too
    roster = write_csv_table(tmp_path / "机动车.csv", ["所有人", "身份证号", "号牌号码"], [["故户主", owner, "吉A1"]])
    out = screen(tmp_path, rows, "--roster", f"车辆={roster}")
    lines, headers, listed_rows = listed(sheet(out, "sheet_candidates"))
    assert headers.count(DOUBTS) == 1, headers
    rows = by_name(listed_rows)
    flags = rows["故户主"][DOUBTS].split(label("list_sep"))
    assert len(flags) == 2 and flags[1] == "备注写户主已故", flags
    assert rows["多常住"][DOUBTS] == "常住人口多于家庭人口"
    assert doubt_lines(lines)[0].startswith("数据疑点:2 户"), "the data's doubts counted, not the rosters' flags"
    # The 核实清单 keeps to the rosters: the dead head's row there names the roster alone.
    _, verify_headers, verify = listed(sheet(out, "sheet_roster_verify"))
    assert [row[label("head_name")] for row in verify] == ["故户主"]
    assert verify[0][label("suspect")] == flags[0]


def test_in_english(tmp_path):
    out = screen(tmp_path, village_rows(), "--lang", "en")
    ws = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")[label("sheet_below_line", "en")]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == label("seq", "en"))
    headers = [c.value for c in ws[header]]
    assert "flags" in headers
    values = [c.value for row in ws.iter_rows(min_row=header + 1) for c in row]
    assert "typed in 10,000 yuan?" in values
    assert any(str(ws.cell(r, 1).value).startswith("Data doubts: 1 ") for r in range(2, header))
