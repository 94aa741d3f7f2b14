"""Exports an outside tester brought: a WPS .et beside a township's survey in a county folder, a
semicolon-separated CSV (with or without Excel's sep=; line), an old year's column kept beside this
year's, and a UTF-8 CSV with GBK rows appended."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from field_builders import households
from survey_builders import HEADERS, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _screen(*args):
    result = CliRunner().invoke(app, ["screen", *map(str, args)])
    return result, " ".join(result.output.split())


def _text(rows: list[dict], sep: str) -> str:
    lines = [sep.join(HEADERS)] + [sep.join(str(r.get(h, "")) for h in HEADERS) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def test_a_wps_et_in_a_county_folder_is_named_with_its_folder_and_the_run_goes_on(tmp_path):
    county = tmp_path / "county"
    (county / "合隆镇").mkdir(parents=True)
    (county / "永安乡").mkdir()
    write_workbook(county / "合隆镇" / "登记表.xlsx", households(2))
    (county / "永安乡" / "登记表.et").write_bytes(OLE2 + bytes(504))
    result, said = _screen(county, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "永安乡/登记表.et" in said and "没有读入" in said
    assert len(read_ledger(tmp_path / "out" / "decisions.csv")) == 2


def test_a_wps_et_named_on_the_command_line_is_refused_with_its_path(tmp_path):
    (tmp_path / "永安乡").mkdir()
    path = tmp_path / "永安乡" / "登记表.et"
    path.write_bytes(OLE2 + bytes(504))
    result, said = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "永安乡/登记表.et:这是 WPS 的专用格式" in said


def test_a_semicolon_separated_csv_is_read(tmp_path):
    path = tmp_path / "合隆镇.csv"
    path.write_bytes(_text(households(3), ";").encode("utf-8-sig"))
    result, said = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert list(read_ledger(tmp_path / "out" / "decisions.csv")["head_name"]) == ["户主1", "户主2", "户主3"]


def test_excels_sep_line_names_the_separator(tmp_path):
    path = tmp_path / "合隆镇.csv"
    # sep=; even where the commas inside fields outnumber the semicolons
    rows = households(2, 备注="已核实,无异议,待公示")
    path.write_bytes(("sep=;\r\n" + _text(rows, ";")).encode("utf-8"))
    result, said = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert list(read_ledger(tmp_path / "out" / "decisions.csv")["head_name"]) == ["户主1", "户主2"]


def test_two_year_columns_for_a_required_field_are_named_with_what_to_do(tmp_path):
    header = ["乡镇", "村", "户主姓名", "身份证号", "常住人口", "2018年家庭总收入", "2019年家庭总收入",
              "家庭生产经营性支出", "是否低保户", "是否特困人员"]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "前岗村"
    sheet.append(header)
    for r in households(2):
        sheet.append(["合隆镇", "前岗村", r["户主姓名"], r["户主身份证号"], 3, 9000, 10000, 0, "否", "否"])
    sheet.column_dimensions["F"].hidden = True
    book.save(path := tmp_path / "合隆镇.xlsx")
    result, said = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "缺少必填列" not in said
    assert "F「2018年家庭总收入」(隐藏的列)" in said and "G「2019年家庭总收入」" in said
    assert "只是年份不同" in said and "保留调查年度那一列" in said


def test_a_utf8_csv_with_gbk_rows_appended_names_the_line(tmp_path):
    path = tmp_path / "合隆镇.csv"
    text = _text(households(4), ",").split("\r\n")
    head = "\r\n".join(text[:3]) + "\r\n"
    tail = "\r\n".join(text[3:])
    path.write_bytes(head.encode("utf-8-sig") + tail.encode("gbk"))
    result, said = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert "合隆镇.csv 第 4 行" in said and "字节" not in said


def test_a_national_system_exports_annual_income_column_is_read_as_the_total(tmp_path):
    """The 防返贫监测 system's export names the total 年收入 (家庭年收入 in other years' exports). Before:
    J列「年收入」没有读入, and the total was summed from the components, the file's own total never
    compared with them."""
    header = ["省", "市", "县", "乡镇", "行政村", "户编号", "户主姓名", "证件号码", "家庭常住人口数", "年收入",
              "工资性收入", "生产经营性收入", "财产性收入", "转移性收入", "生产经营性支出", "是否低保", "是否特困"]
    rows = [["吉林省", "长春市", "农安县", "合隆镇", "前岗村", "2201220101001", "曲福庆", "220122196505271677", "4",
             "47689", "0", "45586", "0", "2103", "17421", "否", "否"],
            ["吉林省", "长春市", "农安县", "合隆镇", "前岗村", "2201220101002", "于芳英", "220122195905021496", "3",
             "16511", "400", "13411", "1700", "0", "6556", "否", "否"]]  # its 年收入 1,000 more than its parts
    path = tmp_path / "export.csv"
    path.write_text("\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n", encoding="utf-8-sig")
    result, text = _screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 0, text
    assert "年收入」没有读入" not in text
    ledger = read_ledger(tmp_path / "out" / "decisions.csv")
    assert list(ledger["total_income"])[0] == "47689.00" and list(ledger["status"]) == ["above_limit", "invalid"]
    issues = (tmp_path / "out" / "issues.csv").read_text(encoding="utf-8-sig")
    assert "第3行 J列「年收入」为 16511,而各项收入之和为 15511.00" in issues


def test_a_workbook_named_csv_is_read_as_the_workbook_it_is(tmp_path):
    """A system's "CSV" export that is an .xlsx (or a workbook renamed .csv): before, refused as 不是文本
    文件(内容是二进制). Read as what its bytes say, said once, with the same decisions as its .xlsx;
    bytes that are neither text nor a workbook are still refused."""
    rows = households(6)
    book = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    named_csv = tmp_path / "导出.csv"
    named_csv.write_bytes(book.read_bytes())
    result, text = _screen(named_csv, "-o", tmp_path / "out")
    assert result.exit_code == 0, text
    assert "这是 .xlsx 格式的文件,扩展名却是 .csv:已按 .xlsx 读入" in text, text
    _screen(book, "-o", tmp_path / "as-xlsx")
    read = read_ledger(tmp_path / "out" / "decisions.csv")
    assert list(read["status"]) == list(read_ledger(tmp_path / "as-xlsx" / "decisions.csv")["status"])
    assert len(read) == 6 and set(read["source_file"]) == {"导出.csv"}
    junk = tmp_path / "乱码.csv"
    junk.write_bytes(bytes(range(256)) * 4)
    result, text = _screen(junk, "-o", tmp_path / "junk")
    assert result.exit_code == 2 and "不是文本文件" in text, text
