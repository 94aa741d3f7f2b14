"""`edgescreen check`: exit codes, where the report goes, what it holds, the file-level facts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from rich.cells import cell_len
from typer.testing import CliRunner

from survey_builders import household, make_id, write_csv, write_workbook
from edgescreen.jobs import check, default_report_dir
from edgescreen.cli import app
from edgescreen.errors import InputError, OutputError
from edgescreen.outputs.quality import file_facts, row_ranges
from edgescreen.read import InputFile
from edgescreen.outputs.ledger import read_issues

runner = CliRunner()
REPORT_FILES = {"quality.xlsx", "report.html", "issues.csv", "check.json"}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def clean(n: int = 3) -> list[dict]:
    return [household(**{"户主身份证号": make_id("19700101", serial=300 + 2 * i)}) for i in range(n)]


def dirty() -> list[dict]:
    return clean(2) + [household(**{"家庭常住人口数": 0, "户主身份证号": make_id("19700101", serial=401)}),
                       household(**{"联系电话": "12345", "户主身份证号": make_id("19700101", serial=403)})]


def test_exit_1_on_error_level_issues_and_0_on_a_clean_workbook(tmp_path):
    bad = write_workbook(tmp_path / "合隆镇.xlsx", dirty())
    good = write_workbook(tmp_path / "烧锅镇.xlsx", clean())

    result = run("check", bad, "--as-of", "2020-01-01")
    assert result.exit_code == 1, result.output
    report = tmp_path / "合隆镇-质量报告"
    assert REPORT_FILES <= {p.name for p in report.iterdir()}
    assert "residents_not_positive" in result.output and "phone_malformed" in result.output
    assert "1 条错误,1 条警告" in result.output
    assert "Traceback" not in result.output
    # The last words say it in words, as they say 可以报送 (before: only the counts and where to look).
    assert " ".join(result.output.split()).replace(" ", "").count("还不能报送:错误须先在原表中改正,再重新检查") == 1

    result = run("check", good, "--as-of", "2020-01-01")
    assert result.exit_code == 0, result.output
    assert "0 条错误,0 条警告" in result.output
    assert "没有发现数据问题,可以报送" in result.output and "警告请看" not in result.output
    summary = json.loads((tmp_path / "烧锅镇-质量报告" / "check.json").read_text(encoding="utf-8"))
    assert summary["counts"]["errors"] == 0 and summary["counts"]["by_code"] == {}


def test_warnings_alone_exit_0(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", clean(2) + [household(**{"联系电话": "12345"})])
    result = run("check", path, "-o", tmp_path / "r")
    assert result.exit_code == 0, result.output
    issues = read_issues(tmp_path / "r" / "issues.csv")
    assert list(issues["code"]) == ["phone_malformed"] and list(issues["severity"]) == ["warning"]
    assert "没有错误级问题;警告请看 report.html" in " ".join(result.output.split())


@pytest.mark.parametrize("content, name, words", [
    (b"this is not a workbook", "broken.xlsx", "不是工作簿"),
    (b"", "empty.xlsx", "文件是空的"),
    (None, "missing.xlsx", "找不到"),
])
def test_exit_2_when_an_input_cannot_be_read(tmp_path, content, name, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run("check", path)
    assert result.exit_code == 2
    assert name in result.output and words in result.output
    assert "Traceback" not in result.output
    assert not any(p.name.endswith("质量报告") for p in tmp_path.iterdir()), "nothing written"


def test_one_unreadable_input_among_good_ones_writes_nothing(tmp_path):
    good = write_workbook(tmp_path / "a.xlsx", clean())
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    result = run("check", good, bad, "-o", tmp_path / "r")
    assert result.exit_code == 2 and "b.xlsx" in result.output
    assert not (tmp_path / "r").exists()


def test_the_report_folder_is_replaced_only_if_it_is_an_earlier_report(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", dirty())
    out = tmp_path / "r"
    assert run("check", path, "-o", out).exit_code == 1
    assert run("check", path, "-o", out).exit_code == 1, "an earlier report is replaced without --force"
    # A report file changed since it was written (notes typed into it) is someone's work: kept.
    (out / "quality.xlsx").write_bytes(b"edited")
    for extra in ([], ["--force"]):
        result = run("check", path, "-o", out, *extra)
        assert result.exit_code == 2 and "quality.xlsx" in result.output, result.output
    assert (out / "quality.xlsx").read_bytes() == b"edited"
    (out / "quality.xlsx").unlink()
    # A file the clerk put there is not deleted with it (test_output_folder): refused, with --force too.
    (out / "stale.txt").write_text("from an earlier run")
    for extra in ([], ["--force"]):
        assert run("check", path, "-o", out, *extra).exit_code == 2
    assert (out / "stale.txt").exists()

    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.docx").write_text("keep me")
    result = run("check", path, "-o", other)
    assert result.exit_code == 2 and "--force" in result.output
    assert (other / "notes.docx").exists()
    assert run("check", path, "-o", other, "--force").exit_code == 2
    assert (other / "notes.docx").exists() and not (other / "quality.xlsx").exists()
    (other / "notes.docx").unlink()
    assert run("check", path, "-o", other, "--force").exit_code == 1  # an empty folder is filled
    assert (other / "quality.xlsx").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no staging folder left behind"


def test_the_report_never_goes_where_an_input_is(tmp_path):
    folder = tmp_path / "surveys"
    folder.mkdir()
    write_workbook(folder / "a.xlsx", clean())
    result = run("check", folder, "-o", folder, "--force")
    assert result.exit_code == 2 and "有输入文件(a.xlsx)" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["a.xlsx"]


def test_default_report_folder_beside_the_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)
    assert default_report_dir(tmp_path / "合隆镇.xlsx") == tmp_path / "合隆镇-质量报告"
    assert default_report_dir(tmp_path / "合隆镇.xlsx", "en") == tmp_path / "合隆镇-quality-report"
    assert default_report_dir(tmp_path) == tmp_path.parent / f"{tmp_path.name}-质量报告"


def test_english_report(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", dirty())
    result = run("check", path, "--lang", "en")
    assert result.exit_code == 1
    assert "4 households: 1 errors, 1 warnings" in result.output
    issues = read_issues(tmp_path / "s-quality-report" / "issues.csv")
    assert issues.iloc[0]["message"].startswith("row 4, column I")


def test_the_library_call_returns_counts(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", dirty() + [household(**{"是否低保户": "不详"})])
    outcome = check([path], as_of=dt.date(2020, 1, 1), out_dir=tmp_path / "r")
    assert (outcome.errors, outcome.warnings, outcome.households, outcome.exit_code) == (2, 1, 5, 1)
    assert outcome.counts["by_code"] == {"flag_unrecognized": 1, "residents_not_positive": 1,
                                         "phone_malformed": 1}
    assert outcome.counts["households_with_errors"] == 2
    assert outcome.out_dir == tmp_path / "r"
    with pytest.raises(OutputError):
        check([path], out_dir=path)
    with pytest.raises(InputError):
        check([tmp_path / "nope.xlsx"], out_dir=tmp_path / "r2")


def test_file_level_facts_in_the_report(tmp_path):
    """Encoding, sheets skipped, unknown columns, total and footer rows with their row numbers."""
    import openpyxl

    book = write_workbook(tmp_path / "book.xlsx", {"合隆镇": clean(3)}, layout="two_row")
    wb = openpyxl.load_workbook(book)
    notes = wb.create_sheet("填表说明", 0)
    notes.append(["填表说明"])
    notes.append(["1. 收入按上年度全年计算,单位为元。"])
    wb.save(book)
    rows = [household(**{"户主身份证号": make_id("19800101", serial=500 + 2 * i)}) for i in range(2)]
    csv = write_csv(tmp_path / "烧锅镇.csv", rows, encoding="gb18030")
    text = csv.read_bytes().decode("gb18030").replace("备注", "备注,家庭其他收入", 1)
    csv.write_bytes(text.encode("gb18030"))
    out = tmp_path / "r"
    result = run("check", book, csv, "-o", out)
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "check.json").read_text(encoding="utf-8"))
    facts = {(f["source_file"], f["sheet"], f["fact"]): f["detail"] for f in manifest["facts"]}
    assert facts[("烧锅镇.csv", "", "encoding")] == "gb18030"
    assert ("book.xlsx", "填表说明", "sheet_skipped") in facts
    assert facts[("book.xlsx", "合隆镇", "rows_total")] == "8"
    assert facts[("book.xlsx", "合隆镇", "rows_footer")] == "10"
    assert facts[("烧锅镇.csv", "", "unknown_columns")] == "X「家庭其他收入」"
    # …and said where the clerk reads them: on the console and in the workbook.
    assert "GB18030" in result.output and "第 8 行是合计" in result.output and "「家庭其他收入」" in result.output
    ws = openpyxl.load_workbook(out / "quality.xlsx")["文件情况"]
    messages = [row[4] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert any("工作表「填表说明」已跳过" in m for m in messages)
    assert any("第 10 行是表尾" in m for m in messages)


def test_formula_cells_without_a_saved_value_are_reported():
    record = InputFile(path=Path("乡.xlsx"), sha256="0", kind="xlsx",
                       formula_cells_without_value=[("合隆镇", "N12"), ("合隆镇", "N13"), ("烧锅镇", "R4")])
    facts = file_facts([record], "zh")
    cells = facts[facts["fact"] == "formula_cells"]
    assert list(cells["detail"]) == ["N12, N13", "R4"]
    assert set(cells["level"]) == {"attention"}
    assert "工作表「合隆镇」:有 2 个公式单元格没有保存计算结果:N12, N13。这些单元格不按 0 计算" in cells.iloc[0]["message"]
    assert "2 formula cells have no saved value" in file_facts([record], "en").iloc[1]["message"]


def test_formula_cells_end_to_end(tmp_path):
    import openpyxl

    from survey_builders import HEADERS

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for record in clean(2):
        ws.append([record.get(h, "") for h in HEADERS])
    total_col = HEADERS.index("家庭总收入") + 1
    ws.cell(row=3, column=total_col, value="=SUM(J3:M3)")  # openpyxl saves no computed value
    wb.save(tmp_path / "f.xlsx")
    outcome = check([tmp_path / "f.xlsx"], out_dir=tmp_path / "r")
    facts = outcome.report.facts
    assert list(facts.loc[facts["fact"] == "formula_cells", "detail"]) == ["N3"]


def test_row_ranges():
    assert row_ranges([611]) == "611"
    assert row_ranges([620, 611, 612, 613, 622, 621]) == "611-613, 620-622"


def test_screen_strict_exits_1_after_writing_everything(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", dirty())
    out = tmp_path / "out"
    result = run("screen", path, "-o", out, "--strict")
    assert result.exit_code == 1
    for name in ("decisions.csv", "issues.csv", "quality.xlsx", "report.html", "run.json"):
        assert (out / name).exists(), name
    assert run("screen", path, "-o", tmp_path / "out2").exit_code == 0


def test_check_has_help():
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "--out" in result.output and "质量报告" in result.output


def test_a_formula_in_a_cell_is_never_written_as_one(tmp_path):
    path = write_workbook(tmp_path / "s.xlsx", clean(1) + [household(**{"户主姓名": "=HYPERLINK(\"http://x\")",
                                                                      "联系电话": "=1+1"})])
    out = tmp_path / "r"
    run("check", path, "-o", out)
    import zipfile

    for book in [out / "quality.xlsx", *(out / "quality-villages").iterdir()]:
        with zipfile.ZipFile(book) as zf:
            for name in zf.namelist():
                if name.startswith("xl/worksheets/"):
                    assert b"<f>" not in zf.read(name), f"{book.name}:{name} holds a formula"


def test_a_footer_in_the_number_column_is_reported_with_its_row(tmp_path):
    from survey_builders import HEADERS

    path = tmp_path / "printed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("合隆镇")
    ws.write_row(0, 0, ["序号", *HEADERS])
    for i, record in enumerate(clean(2), start=1):
        ws.write_number(i, 0, i)
        for c, h in enumerate(HEADERS, start=1):
            value = record.get(h, "")
            (ws.write_number if isinstance(value, (int, float)) else ws.write_string)(i, c, value)
    ws.write_string(3, 0, "合计")
    ws.write_string(5, 0, "填表人:李四    审核人:王五")
    book.close()
    facts = check([path], out_dir=tmp_path / "r").report.facts
    details = dict(zip(facts["fact"], facts["detail"]))
    assert details["rows_total"] == "4"
    assert details["rows_footer"] == "6"


def test_a_folder_that_cannot_be_written_is_a_clear_message(tmp_path):
    import os

    if os.geteuid() == 0:
        target = Path("/proc/edgescreen-report")  # not writable even for root
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "r"
    path = write_workbook(tmp_path / "s.xlsx", clean())
    result = run("check", path, "-o", target)
    assert result.exit_code == 2
    assert "无法写入" in result.output and "内部错误" not in result.output


def test_the_fix_lists_sent_to_the_villages_mask_every_id_and_phone(tmp_path):
    """Before: the IDs and phone numbers quoted in 填写内容 and 说明 went back to the villages in full
    (220113197904128932), where the review lists mask them (domain §8)."""
    bad_id = make_id("19790412", serial=77)
    bad_id = bad_id[:-1] + ("0" if bad_id[-1] != "0" else "1")  # a wrong check character: an error
    rows = clean(2) + [household(**{"户主身份证号": bad_id, "联系电话": "1381234567"})]
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    result = run("check", path, "-o", tmp_path / "r")
    assert result.exit_code == 1, result.output
    said = []
    for book in (tmp_path / "r" / "quality-villages").iterdir():
        for ws in openpyxl.load_workbook(book, read_only=True):
            said += [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    text = " ".join(said)
    assert bad_id[:6] + "********" + bad_id[-4:] in text, text
    assert bad_id not in text and "1381234567" not in text


SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "changchun-sample.xlsx"


def test_the_summary_at_80_columns_keeps_numbers_with_their_units_and_titles_whole(tmp_path):
    """Before, at 80 columns: "第 613|行是表尾", "读入 5,265|人", 2400 beside 5,265, and the code column
    (27 wide) folding the Chinese titles ("…出生日期错|误"). Counts now all carry thousands separators;
    the title is what the clerk reads, the code shows where there is room."""
    narrow = runner.invoke(app, ["check", str(SAMPLE), "-o", str(tmp_path / "a")], env={"COLUMNS": "80"})
    lines = narrow.output.splitlines()
    assert narrow.exit_code == 1 and all(cell_len(line) <= 80 for line in lines)
    for whole in ("第 613 行是表尾", "5,265 人", "1,975 人", "身份证号校验位或出生日期错误", "生产经营性支出与各项之和不符"):
        assert any(whole in line for line in lines), (whole, narrow.output)
    assert "读入 2,400 户" in narrow.output and "2,400 户:65 条错误" in narrow.output and "2400" not in narrow.output
    assert "id_checksum" not in narrow.output
    wide = runner.invoke(app, ["check", str(SAMPLE), "-o", str(tmp_path / "b")], env={"COLUMNS": "140"})
    assert any("身份证号校验位或出生日期错误" in line and "id_checksum" in line for line in wide.output.splitlines())


def test_a_county_folder_of_many_sheets_leaves_how_each_was_read_to_the_report(tmp_path):
    """From an outside try: a county's folder of township workbooks with a sheet per village printed
    925 lines before the counts (表头在第 3-4 行 and 第 N 行是表尾 for every sheet). Past a few, those are
    counted and left to quality.xlsx; what needs attention is still said."""
    folder = tmp_path / "农安县"
    folder.mkdir()
    serial = iter(range(500, 999, 2))
    for town in ("合隆镇", "烧锅镇", "华家镇"):
        sheets = {f"第{v}村": [household(**{"乡(镇)": town, "行政村": f"第{v}村",
                                           "户主身份证号": make_id("19700101", serial=next(serial))})]
                  for v in range(1, 9)}
        # 华家镇's sheets carry a column that reads like an income and is not read: that is said.
        write_workbook(folder / f"{town}.xlsx", sheets, layout="title", more=["其他收入"] if town == "华家镇" else [])
    result = runner.invoke(app, ["check", str(folder), "--as-of", "2020-01-01"], env={"COLUMNS": "80"})
    said = "".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "表头在第" not in said, result.output
    assert "「其他收入」" in said, result.output
    assert "条读取情况(表头所在行、合计行和表尾、跳过的工作表,以及上面同类情况的其余各表等)未逐条列出,见quality.xlsx的「文件情况」" in said
    # One file, one sheet: each fact is said, as a township's staff checking a workbook reads them.
    one = runner.invoke(app, ["check", str(folder / "合隆镇.xlsx"), "-o", str(tmp_path / "one"),
                              "--as-of", "2020-01-01"], env={"COLUMNS": "80"})
    assert "表头在第" in "".join(one.output.split()) and "未逐条列出" not in "".join(one.output.split())


def test_the_terminals_table_lists_the_checks_that_found_errors_first(tmp_path):
    """漏填 (warnings only: a blank 财产性收入) stood above 身份证号格式错误 (errors) in catalogue order: at
    80 columns the errors were not the first rows a clerk read (an outside try of the check workflow)."""
    rows = [household(**{"户主身份证号": make_id(serial=201), "财产性收入": ""}),
            household(**{"户主身份证号": "22012219700101"})]
    path = write_workbook(tmp_path / "村.xlsx", rows)
    said = run("check", path, "-o", tmp_path / "r").output
    assert said.index("身份证号格式错误") < said.index("漏填"), said


def test_three_hundred_village_files_read_alike_say_a_few_and_count_the_rest(tmp_path):
    """A province try (2026-12-04): 300 village files without a 行政村 column printed a note for each,
    where its place was read from (check: 700 lines; screen: 440). Of each kind a few are said, the
    rest counted; a file left out is said whole."""
    from test_places_from_title import HEADER, row, write

    folder = tmp_path / "合隆镇"
    for v, name in enumerate("前岗 东兴 新立 永安 太平 陈家 长山 双山 三宝 腰站 靠山 胜利".split()):
        write(folder / f"{name}村.xlsx", {"Sheet1": ([[f"合隆镇{name}村贫困边缘户入户登记表"]], HEADER, [row(v + 1)])})
    (folder / "~$前岗村.xlsx").write_bytes(b"lock")
    checked = runner.invoke(app, ["check", str(folder), "-o", str(tmp_path / "c"), "--as-of", "2020-01-01"],
                            env={"COLUMNS": "80"})
    said = "".join(checked.output.split())
    assert checked.exit_code == 0, checked.output
    assert said.count("表中没有乡(镇)、行政村列") == 3 and "以及上面同类情况的其余各表" in said, checked.output
    assert "~$前岗村.xlsx" in said, checked.output
    screened = runner.invoke(app, ["screen", str(folder), "-o", str(tmp_path / "s"), "--as-of", "2020-01-01"],
                             env={"COLUMNS": "80"})
    said = "".join(screened.output.split())
    assert screened.exit_code == 0, screened.output
    assert said.count("表中没有乡(镇)、行政村列") == 3 and "……另有9张表也是这样,逐表见quality.xlsx的「文件情况」" in said, \
        screened.output
