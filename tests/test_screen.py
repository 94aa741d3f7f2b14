"""End to end through the CLI: workbooks built here, `edgescreen screen`, the ledger read back."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv, write_workbook
from edgescreen.cli import app
from edgescreen.result import LEDGER_COLUMNS
from edgescreen.outputs.ledger import read_issues, read_ledger

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def screen_ledger(tmp_path, path, *extra) -> pd.DataFrame:
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--as-of", "2020-01-01", *extra)
    assert result.exit_code == 0, result.output
    return read_ledger(out / "decisions.csv")


def statuses(tmp_path, rows, *extra, **kw):
    path = write_workbook(tmp_path / "s.xlsx", rows, **kw)
    return list(screen_ledger(tmp_path, path, *extra)["status"])


def test_every_status_and_the_ledger_layout(tmp_path):
    rows = [
        household(**{"是否低保户": "是", "转移性收入": 3000}),
        household(**{"是否特困人员": "是", "转移性收入": 3000}),
        household(**{"是否建档立卡贫困户": "是"}),
        household(**{"家庭常住人口数": 0}),
        household(**{"工资性收入": 9000}),   # 3000.00 per person
        household(),                         # 3333.33
        household(**{"工资性收入": 30000}),  # 10000.00
    ]
    path = write_workbook(tmp_path / "s.xlsx", rows)
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--as-of", "2020-01-01")
    assert result.exit_code == 0, result.output
    raw = (out / "decisions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "the ledger is UTF-8 with BOM for Excel"
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert list(ledger["status"]) == ["excluded_dibao", "excluded_tekun", "excluded_registered", "invalid",
                                      "below_line", "candidate", "above_limit"]
    assert list(ledger["row"]) == ["2", "3", "4", "5", "6", "7", "8"]
    assert ledger.loc[5, "per_capita_income"] == "3333.33"
    assert ledger.loc[5, "total_income"] == "10000.00"
    assert ledger.loc[5, "net_income"] == "10000.00"
    assert ledger.loc[3, "per_capita_income"] == "", "not computable with 0 residents"
    assert ledger.loc[3, "reasons"] == "residents_not_positive"
    assert ledger.loc[5, "reasons"] == "in_band"
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["candidate"] == 1 and manifest["households"] == 7
    assert {"decisions.csv", "issues.csv", "summary.xlsx", "run.json", "villages"} <= {p.name for p in out.iterdir()}


@pytest.mark.parametrize("wage, residents, expected", [
    (3218 * 3, 3, "below_line"),                 # exactly the lower bound: not above it
    (3218 * 3 - 0.01, 3, "below_line"),          # one fen under (in total)
    (3218 * 3 + 0.01, 3, "candidate"),           # 3218.0033: rounds to 3218.00, yet above
    (3218.01, 1, "candidate"),
    (3217.99, 1, "below_line"),
    (4000 * 3, 3, "above_limit"),                # exactly 4000 has reached 4000
    (4000 * 3 - 0.01, 3, "candidate"),           # 3999.9967: printed 3999.99 (rounding gives the bound), under
    (3999.99, 1, "candidate"),
    (4000.01, 1, "above_limit"),
])
def test_bounds_are_exclusive_and_exact(tmp_path, wage, residents, expected):
    rows = [household(**{"工资性收入": round(wage, 2), "家庭常住人口数": residents, "家庭人口数": residents})]
    assert statuses(tmp_path, rows) == [expected]


@pytest.mark.parametrize("parts, residents, expected", [
    # Each sums to exactly bound × residents; the float sum lands on the other side of the bound.
    ((1895.66, 960.52, 361.82), 1, "below_line"),      # float: 3218.0000000000005
    ((8295.19, 8479.36, 5751.45), 7, "below_line"),    # float quotient 3218.0000000000005
    ((1103.36, 2279.12, 617.52), 1, "above_limit"),    # float: 3999.9999999999995
    ((5518.7, 5007.58, 1473.72), 3, "above_limit"),    # float quotient 3999.9999999999995
])
def test_sums_whose_float_quotient_lands_on_the_wrong_side(tmp_path, parts, residents, expected):
    wage, business, prop = parts
    assert (wage + business + prop) / residents != (3218 if expected == "below_line" else 4000)
    rows = [household(**{"工资性收入": wage, "家庭经营收入": business, "财产性收入": prop,
                         "家庭经营费用支出": 0, "家庭常住人口数": residents, "家庭人口数": residents})]
    # 家庭经营收入 > 0 without costs is a warning only; the status is decided on the exact sum.
    assert statuses(tmp_path, rows) == [expected]


@pytest.mark.parametrize("typed, fen", [
    ("1200", 120000), ("1,200", 120000), ("1200元", 120000), ("１２００", 120000), ("1.2万", 1200000),
    ("1.2万元", 1200000), (" 1200 ", 120000), ("1200.5", 120050), ("1,234.56", 123456), ("0.35万", 350000),
    ("１，２００元", 120000), ("¥1200", 120000),
])
def test_money_spellings(tmp_path, typed, fen):
    # wage as typed + 10,000 business income over 1 resident; compare the ledger's total.
    rows = [household(**{"工资性收入": typed, "家庭经营收入": 0, "家庭总收入": "", "家庭常住人口数": 1,
                         "家庭人口数": 1})]
    ledger = screen_ledger(tmp_path, write_workbook(tmp_path / "m.xlsx", rows))
    assert ledger.loc[0, "total_income"] == f"{fen // 100}.{fen % 100:02d}"
    assert "not_a_number" not in ledger.loc[0, "reasons"]


@pytest.mark.parametrize("typed", ["3", "3人", "3.0", "３", " 3 "])
def test_count_spellings(tmp_path, typed):
    ledger = screen_ledger(tmp_path, write_workbook(tmp_path / "c.xlsx", [household(**{"家庭常住人口数": typed})]))
    assert ledger.loc[0, "residents"] == "3"
    assert ledger.loc[0, "status"] == "candidate"


@pytest.mark.parametrize("yes, no", [("是", "否"), ("Y", "N"), ("√", "×"), ("1", "0"), ("有", "无"), ("y", "n"),
                                     ("是 ", " 否")])
def test_flag_spellings(tmp_path, yes, no):
    rows = [household(**{"是否低保户": yes, "转移性收入": 3000}), household(**{"是否低保户": no})]
    assert statuses(tmp_path, rows) == ["excluded_dibao", "candidate"]


def test_flag_numbers_stored_as_numbers(tmp_path):
    rows = [household(**{"是否低保户": 1, "转移性收入": 3000}), household(**{"是否低保户": 0})]
    assert statuses(tmp_path, rows) == ["excluded_dibao", "candidate"]


def test_id_spellings_are_normalised_not_errors(tmp_path):
    x_id = next(make_id(serial=s) for s in range(1000) if make_id(serial=s).endswith("X"))
    spaced = make_id(serial=7)
    rows = [household(**{"户主身份证号": x_id.lower()}),
            household(**{"户主身份证号": f"{spaced[:6]} {spaced[6:14]} {spaced[14:]}"}),
            household(**{"户主身份证号": "'" + make_id(serial=8)})]
    ledger = screen_ledger(tmp_path, write_workbook(tmp_path / "i.xlsx", rows))
    assert list(ledger["status"]) == ["candidate"] * 3
    assert list(ledger["head_id"]) == [x_id, spaced, make_id(serial=8)]


def test_id_stored_as_a_number_is_an_error_never_fixed(tmp_path):
    real = make_id(serial=19)
    rows = [household(**{"户主身份证号": float(real)}), household(**{"户主身份证号": real[:15] + "000"})]
    path = write_workbook(tmp_path / "n.xlsx", rows)
    out = tmp_path / "out"
    assert run("screen", path, "-o", out, "--as-of", "2020-01-01").exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["status"]) == ["invalid", "invalid"]
    assert all("id_malformed" in r for r in ledger["reasons"])
    issues = read_issues(out / "issues.csv")
    mangled = issues[issues["code"] == "id_malformed"]
    assert list(mangled["cell"]) == ["F2", "F3"]
    assert "Excel" in mangled.iloc[0]["message"]


def test_bad_values_make_the_household_invalid_with_cell_references(tmp_path):
    rows = [household(**{"工资性收入": "见备注"}), household(**{"家庭常住人口数": "两人"}),
            household(**{"家庭常住人口数": "2.5"}), household(**{"是否特困人员": "不详"}),
            household(**{"户主身份证号": make_id(serial=3)[:17] + ("1" if make_id(serial=3)[17] != "1" else "2")}),
            household(**{"户主姓名": ""}), household(**{"财产性收入": -100, "家庭总收入": 9900}),
            household(**{"家庭总收入": 12000}),
            household(**{"家庭经营费用支出": 100, "家庭生产经营性支出": 500}),
            household(**{"户主身份证号": make_id(birth="19700231")})]
    path = write_workbook(tmp_path / "bad.xlsx", rows)
    out = tmp_path / "out"
    assert run("screen", path, "-o", out, "--as-of", "2020-01-01").exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert set(ledger["status"]) == {"invalid"}
    issues = read_issues(out / "issues.csv")
    errors = issues[issues["severity"] == "error"]
    col = {h: chr(65 + i) for i, h in enumerate(HEADERS)}
    expected = [
        ("not_a_number", f"{col['工资性收入']}2"), ("not_a_number", f"{col['家庭常住人口数']}3"),
        ("not_an_integer", f"{col['家庭常住人口数']}4"), ("flag_unrecognized", f"{col['是否特困人员']}5"),
        ("id_checksum", f"{col['户主身份证号']}6"), ("missing_value", f"{col['户主姓名']}7"),
        ("negative_amount", f"{col['财产性收入']}8"), ("total_income_mismatch", f"{col['家庭总收入']}9"),
        ("expenses_mismatch", f"{col['家庭生产经营性支出']}10"), ("id_checksum", f"{col['户主身份证号']}11"),
    ]
    assert list(zip(errors["code"], errors["cell"])) == expected
    assert errors.iloc[1]["message"] == "第3行 I列「家庭常住人口数」为「两人」,不是数字:请只填写人数的数字,如 4"
    # A money cell is told to hold an amount, not "an amount or a head count" (an outside try, 2026-12-05).
    assert errors.iloc[0]["message"].endswith("不是数字:请只填写金额的数字(元),如 6000 或 6000.50"), errors.iloc[0]["message"]
    assert set(errors["category"]) <= {"漏项", "串项", "逻辑错误"}


def test_exclusion_decides_even_with_errors(tmp_path):
    rows = [household(**{"是否低保户": "是", "家庭常住人口数": "两人", "转移性收入": 3000})]
    ledger = screen_ledger(tmp_path, write_workbook(tmp_path / "e.xlsx", rows))
    assert ledger.loc[0, "status"] == "excluded_dibao"
    assert ledger.loc[0, "reasons"] == "dibao;not_a_number"


def test_blank_money_and_flag_cells_are_warnings(tmp_path):
    rows = [household(**{"财产性收入": "", "是否建档立卡贫困户": ""})]
    path = write_workbook(tmp_path / "w.xlsx", rows)
    out = tmp_path / "out"
    assert run("screen", path, "-o", out).exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    issues = read_issues(out / "issues.csv")
    assert ledger.loc[0, "status"] == "candidate"
    assert set(zip(issues["code"], issues["severity"])) == {("missing_value", "warning")}


@pytest.mark.parametrize("layout", ["simple", "title", "two_row"])
def test_header_layouts(tmp_path, layout):
    rows = [household(), household(**{"工资性收入": 30000})]
    path = write_workbook(tmp_path / f"{layout}.xlsx", rows, layout=layout)
    ledger = screen_ledger(tmp_path, path)
    first = {"simple": 2, "title": 4, "two_row": 5}[layout]
    assert list(ledger["row"]) == [str(first), str(first + 1)]
    assert list(ledger["status"]) == ["candidate", "above_limit"]
    assert list(ledger["total_income"]) == ["10000.00", "30000.00"]


def test_header_noise_units_line_breaks_full_width_and_aliases(tmp_path):
    noisy = ["乡镇", "村(社区)", "组", "户号", "户主", "身份证号码", "电话", "家庭人口（人）",
             "家庭常住\n人口数（人）", "工资性收入(元)", " 经营收入 ", "财产收入", "转移收入（元）", "总收入",
             "经营费用支出", "固定资产折旧", "税费", "生产经营性支出", "是否享受低保", "是否特困供养",
             "是否贫困户", "致贫风险", "备 注"]
    path = write_workbook(tmp_path / "noisy.xlsx", [household()], headers=noisy)
    ledger = screen_ledger(tmp_path, path)
    assert list(ledger["status"]) == ["candidate"]
    assert ledger.loc[0, "per_capita_income"] == "3333.33"


def test_only_totals_no_components(tmp_path):
    headers = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭生产经营性支出",
               "是否低保户", "是否特困人员"]
    path = tmp_path / "totals.csv"
    lines = [",".join(headers), f"合隆镇,前岗村,张三,{make_id(serial=1)},2,\"8,000\",1000,否,否"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ledger = screen_ledger(tmp_path, path)
    assert ledger.loc[0, "per_capita_income"] == "3500.00"
    assert ledger.loc[0, "status"] == "candidate"


def test_total_rows_blank_rows_and_footers_are_not_households(tmp_path):
    rows = [household(), {}, household(**{"工资性收入": 30000})]
    extra = [["合计", "", "", "", "", "", "", 6, 6, 40000], [], ["填表人:李四", "", "", "审核人:王五"],
             ["说明:1. 常住人口指在家居住半年以上的成员"], ["2. 收入按上年度计算"]]
    path = write_workbook(tmp_path / "t.xlsx", rows, extra_rows=extra)
    ledger = screen_ledger(tmp_path, path)
    assert list(ledger["row"]) == ["2", "4"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_encodings(tmp_path, encoding):
    path = write_csv(tmp_path / f"{encoding}.csv", [household(), household(**{"户主姓名": "欧阳淑珍"})],
                     encoding=encoding)
    out = tmp_path / "out"
    assert run("screen", path, "-o", out).exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["head_name"]) == ["张三", "欧阳淑珍"]
    assert list(ledger["row"]) == ["2", "3"]
    assert ledger.loc[0, "sheet"] == ""
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["encoding"] == encoding


def test_duplicate_household_across_two_files(tmp_path):
    # Every ID given: make_id's running serial wraps at 1000 and, late in a worker's run, could give
    # another household the serial 42 too.
    same = make_id(serial=42)
    a = write_workbook(tmp_path / "a.xlsx", [household(**{"户主身份证号": same}),
                                             household(**{"户主身份证号": make_id(serial=43)})])
    b = write_csv(tmp_path / "b.csv", [household(**{"户主身份证号": make_id(serial=44)}),
                                       household(**{"户主身份证号": same})])
    out = tmp_path / "out"
    assert run("screen", a, b, "-o", out).exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(zip(ledger["source_file"], ledger["row"], ledger["status"])) == [
        ("a.xlsx", "2", "invalid"), ("a.xlsx", "3", "candidate"),
        ("b.csv", "2", "candidate"), ("b.csv", "3", "invalid")]
    issues = read_issues(out / "issues.csv")
    dup = issues[issues["code"] == "duplicate_household"]
    assert "b.csv 第3行" in dup.iloc[0]["message"] and "a.xlsx「Sheet1」 第2行" in dup.iloc[1]["message"]


def test_several_sheets_and_skipped_sheets(tmp_path):
    path = write_workbook(tmp_path / "m.xlsx", {"合隆镇": [household()],
                                                "烧锅镇": [household(**{"乡(镇)": "烧锅镇", "行政村": "东兴村"})]})
    # Add an instructions sheet by rewriting with openpyxl.
    import openpyxl

    book = openpyxl.load_workbook(path)
    book.create_sheet("填表说明", 0).append(["本表由乡镇填报"])
    book.save(path)
    out = tmp_path / "out"
    assert run("screen", path, "-o", out).exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["sheet"]) == ["合隆镇", "烧锅镇"]
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["skipped_sheets"] == [{"name": "填表说明", "reason": "no household header"}]
    assert sorted(p.name for p in (out / "villages").iterdir()) == ["合隆镇-前岗村.xlsx", "烧锅镇-东兴村.xlsx"]


def test_a_folder_of_inputs(tmp_path):
    folder = tmp_path / "乡镇 报表"
    folder.mkdir()
    write_workbook(folder / "b.xlsx", [household()])
    write_csv(folder / "a.csv", [household(), household()])
    (folder / "readme.txt.bak").write_text("x")
    ledger = screen_ledger(tmp_path, folder)
    assert list(ledger["source_file"]) == ["a.csv", "a.csv", "b.xlsx"]


def test_county_rules_file_changes_the_outcome(tmp_path):
    from edgescreen.rules import rules_dir

    text = (rules_dir() / "changchun-2019.toml").read_text(encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(text.replace('id = "changchun-2019"', 'id = "my-county"').replace(
        'value = 4000, source', 'value = 4500, source'), encoding="utf-8")
    rows = [household(**{"工资性收入": 12600})]  # 4200.00 per person
    path = write_workbook(tmp_path / "r.xlsx", rows)
    assert list(screen_ledger(tmp_path, path)["status"]) == ["above_limit"]
    out = tmp_path / "county-out"
    assert run("screen", path, "-o", out, "--rules", county).exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["status"]) == ["candidate"]
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["rules"]["id"] == "my-county"


def test_english_messages(tmp_path):
    path = write_workbook(tmp_path / "en.xlsx", [household(**{"家庭常住人口数": 0})])
    out = tmp_path / "out"
    assert run("screen", path, "-o", out, "--lang", "en").exit_code == 0
    issues = read_issues(out / "issues.csv")
    assert issues.loc[0, "message"] == ("row 2, column I (家庭常住人口数) is 0: a household has at least 1 "
                                        "resident member")


def test_strict_exits_1_after_writing(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", [household(**{"家庭常住人口数": 0})])
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--strict")
    assert result.exit_code == 1
    assert (out / "decisions.csv").exists()


def test_python_dash_m_and_every_command_has_help():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "edgescreen", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "screen" in done.stdout
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        result = run(name, "--help")
        assert result.exit_code == 0 and "用法" in result.output, name
        assert (command.callback.__doc__ or "").strip(), f"{name} has no docstring"


def test_the_console_entry_keeps_exit_codes_and_output_when_it_skips_teardown(tmp_path):
    # main() ends the process with os._exit after the command: exit codes and everything printed
    # (stdout and stderr, also to a pipe) must come out as with a normal exit.
    import subprocess
    import sys

    path = write_workbook(tmp_path / "s.xlsx", [household(), household(**{"家庭常住人口数": 0})])
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "edgescreen", "screen", str(path), "-o", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "已筛查 2 户" in done.stdout and (out / "run.json").exists()
    done = subprocess.run(cmd + ["--force", "--strict"], capture_output=True, text=True)
    assert done.returncode == 1 and "条错误级数据问题" in done.stdout
    done = subprocess.run(cmd[:4] + [str(tmp_path / "missing.xlsx")], capture_output=True, text=True)
    assert done.returncode == 2 and "找不到这个文件" in done.stderr
    done = subprocess.run([sys.executable, "-m", "edgescreen", "screen", "--no-such-option"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "没有 --no-such-option 这个选项" in done.stderr


def test_sample_ledger_rows_point_at_the_source_cells():
    """Every household of the bundled sample: the ledger's (sheet, row) holds that household's name
    and ID in the workbook itself, and the planted statuses come out as generated."""
    from pathlib import Path

    import python_calamine

    from edgescreen import screen

    import datetime as dt

    sample = Path(__file__).resolve().parents[1] / "sample_data" / "changchun-sample.xlsx"
    result = screen([sample], as_of=dt.date(2020, 1, 1))
    ledger = result.ledger
    book = python_calamine.CalamineWorkbook.from_path(str(sample))
    for sheet, part in ledger.groupby("sheet"):
        grid = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        names = [str(grid[r - 1][6]).strip() for r in part["row"]]
        assert names == list(part["head_name"].fillna(""))
    assert result.counts == {"excluded_dibao": 120, "excluded_tekun": 48, "excluded_registered": 120,
                             "invalid": 60, "below_line": 120, "candidate": 288, "above_limit": 1644}
    assert len(ledger) == 2400 and ledger[["source_file", "sheet", "row"]].duplicated().sum() == 0
    # The warnings are the generator's planted ones (and their consequences), not a county the
    # generator drew unlike the field: a 特困 household with able members of working age was one.
    issues = result.issues()
    assert set(issues.loc[issues["severity"] == "warning", "code"]) == {
        "member_count_mismatch", "residents_exceed_members", "phone_malformed", "per_capita_implausible",
        "member_age_relation", "difficulty_without_member", "head_not_in_members", "two_heads"}
    # Every sheet's columns are known: 序号 is a row-number column, not an unknown one.
    assert [s.unknown_columns for s in result.inputs[0].sheets] == [[], [], [], []]


@pytest.mark.parametrize("label", ["合计", "本页小计", "全村合计", "总计", "累计"])
def test_total_row_words_from_the_field_catalogue(tmp_path, label):
    extra = [[label, "", "", "", "", "", "", 6, 6, 40000]]
    path = write_workbook(tmp_path / "t.xlsx", [household(), household()], extra_rows=extra)
    ledger = screen_ledger(tmp_path, path)
    assert list(ledger["row"]) == ["2", "3"]
