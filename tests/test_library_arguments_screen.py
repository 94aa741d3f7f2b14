"""The screen's entry points take arguments as the command line does (outside tester, edgescreen from a
notebook): screen(f, year=2030) decided with the 2019 bounds and screen_into recorded a 2030 round,
which then refused every real year as earlier; Result.issues("cn") gave English and
severity="errors" no row; include_hidden="no" read the hidden sheets; a DataFrame was taken for its
column names ("乡(镇):找不到这个文件或文件夹"), bytes, an open file and None raised TypeErrors; one
roster as text was read letter by letter; the ledger's money is text, and ledger_fen gives it in fen."""

from __future__ import annotations

import datetime as dt
import sqlite3

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from edgescreen import screen
from edgescreen.cli import app
from edgescreen.errors import EdgescreenError, UsageError
from edgescreen.jobs import screen_into
from survey_builders import HEADERS, _write_value, household, make_id, write_workbook

NEXT_YEAR = dt.date.today().year + 1


def survey(path, people=None):
    return write_workbook(path, people or [household(户主姓名="张三", 户主身份证号=make_id("19600101", serial=11)),
                                          household(户主姓名="李四", 户主身份证号=make_id("19610101", serial=12),
                                                    工资性收入=36000)])


def test_a_year_after_this_one_is_refused_by_the_library_as_by_the_command_line(tmp_path):
    source = survey(tmp_path / "合隆镇.xlsx")
    with pytest.raises(UsageError) as refused:
        screen(source, year=NEXT_YEAR)
    said = str(refused.value)
    assert f"year={NEXT_YEAR}" in said and "收入年度晚于今年" in said and f"{NEXT_YEAR - 1} 年" in said, said
    assert f"year={NEXT_YEAR}: the income year is after this one" in refused.value.message("en")
    assert screen(source, year=str(NEXT_YEAR - 1)).bounds.year == NEXT_YEAR - 1  # this year is taken

    # Into a register: nothing recorded, so the county's next real round is not refused as earlier.
    db = tmp_path / "农安县.db"
    with pytest.raises(UsageError):
        screen_into(source, tmp_path / "out2030", year=NEXT_YEAR, register=db, round_date="2019-12-15")
    assert not (tmp_path / "out2030").exists()
    assert not db.exists() or sqlite3.connect(db).execute("select count(*) from rounds").fetchone()[0] == 0
    done = screen_into(source, tmp_path / "out2019", year=2019, register=db, round_date="2019-12-15")
    assert done.recorded is not None
    assert sqlite3.connect(db).execute("select year from rounds").fetchall() == [(2019,)]

    # The command line keeps its own words (--year), through the library's check.
    result = CliRunner().invoke(app, ["screen", str(source), "--year", str(NEXT_YEAR), "-o", str(tmp_path / "cli")],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    flat = " ".join(result.output.split())
    assert f"--year {NEXT_YEAR}:收入年度晚于今年" in flat, result.output
    assert not (tmp_path / "cli").exists()


def test_issues_refuse_an_unknown_language_and_severity_naming_those_taken(tmp_path):
    bad_id = household(户主姓名="王五", 户主身份证号="22012219600101")  # four digits short: an error
    result = screen(survey(tmp_path / "合隆镇.xlsx", [household(户主身份证号=make_id(serial=21)), bad_id]))
    errors = result.issues("zh", severity="error")
    assert len(errors) == result.error_count > 0
    with pytest.raises(UsageError) as refused:
        result.issues("cn")
    assert "lang" in str(refused.value) and "'cn'" in str(refused.value)
    for severity in ("errors", "错误"):
        with pytest.raises(UsageError) as refused:
            result.issues("zh", severity=severity)
        said = str(refused.value)
        assert '"error"' in said and '"warning"' in said and repr(severity) in said, said
    with pytest.raises(UsageError):
        result.issue_rows("cn", np.arange(1))
    assert len(result.issues("en", severity="warning")) == result.warning_count


def _with_hidden_sheet(path):
    """A workbook of a visible sheet of two households and a hidden one (an old copy) of three."""
    book = xlsxwriter.Workbook(str(path))
    for name, count, serial in (("调查表", 2, 31), ("旧表", 3, 41)):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, HEADERS)
        for r in range(count):
            record = household(户主姓名=f"户{serial + r}", 户主身份证号=make_id(serial=serial + r))
            for c, h in enumerate(HEADERS):
                _write_value(ws, r + 1, c, record.get(h, ""))
        if name == "旧表":
            ws.hide()
    book.close()
    return path


def test_a_yes_or_no_option_is_true_or_false_never_text(tmp_path):
    source = _with_hidden_sheet(tmp_path / "合隆镇.xlsx")
    for value in ("no", "yes", 0, None):
        with pytest.raises(EdgescreenError) as refused:
            screen(source, include_hidden=value)
        said = str(refused.value)
        assert f"include_hidden={value!r}" in said and "True" in said and "False" in said, said
    assert len(screen(source, include_hidden=np.False_).households) == 2
    assert len(screen(source, include_hidden=np.True_).households) == 5
    assert len(screen(source, include_hidden=True).households) == 5
    # Writing: mask="no" kept masking, force="no" replaced a folder; both refused, nothing written.
    from edgescreen import write_outputs

    result = screen(source)
    for option in ("mask", "force"):
        with pytest.raises(EdgescreenError) as refused:
            write_outputs(result, tmp_path / option, **{option: "no"})
        assert f"{option}='no'" in str(refused.value) and not (tmp_path / option).exists()
        with pytest.raises(EdgescreenError) as refused:
            screen_into(source, tmp_path / f"into-{option}", **{option: "no"})
        assert f"{option}='no'" in str(refused.value) and not (tmp_path / f"into-{option}").exists()


@pytest.mark.parametrize("given, kind", [
    (pd.DataFrame({"乡(镇)": ["合隆镇"], "行政村": ["前岗村"]}), "DataFrame"),
    (b"survey.xlsx", "bytes"),
    (None, "None"),
    ([None], "None"),
])
def test_what_is_no_path_is_refused_saying_what_screen_takes(tmp_path, given, kind):
    with pytest.raises(UsageError) as refused:
        screen(given)
    said = str(refused.value)
    assert "调查表要以路径给出" in said and "文件或文件夹" in said and f"不能是 {kind}" in said, said
    assert "找不到" not in said


def test_an_open_file_is_refused_as_no_path(tmp_path):
    source = survey(tmp_path / "合隆镇.xlsx")
    with open(source, "rb") as opened, pytest.raises(UsageError) as refused:
        screen(opened)
    assert "不能是 BufferedReader" in str(refused.value)


def test_one_roster_as_text_is_one_roster(tmp_path):
    on_dibao = make_id("19600101", serial=51)
    source = survey(tmp_path / "合隆镇.xlsx", [household(户主姓名="张三", 户主身份证号=on_dibao),
                                              household(户主姓名="李四", 户主身份证号=make_id(serial=52))])
    roster = tmp_path / "低保.csv"
    roster.write_text(f"序号,姓名,身份证号码,保障状态\n1,张三,{on_dibao},正常\n", encoding="utf-8")
    one = screen(source, rosters=f"dibao={roster}", as_of="2019-12-31")
    listed = screen(source, rosters=[f"dibao={roster}"], as_of="2019-12-31")
    assert one.options["rosters"] == listed.options["rosters"] == [f"dibao={roster}"]
    assert list(one.ledger["status"]) == list(listed.ledger["status"])
    assert one.ledger.set_index("head_name").loc["张三", "status"] == "excluded_dibao"


def test_ledger_money_is_the_csvs_text_and_ledger_fen_its_figures(tmp_path):
    people = [household(户主姓名="低收入", 户主身份证号=make_id(serial=61), 工资性收入=27000),  # 9,000.00 a head
              household(户主姓名="高收入", 户主身份证号=make_id(serial=62), 工资性收入=97995)]  # 32,665.00 a head
    result = screen(survey(tmp_path / "合隆镇.xlsx", people))
    assert list(result.ledger["per_capita_income"]) == ["9000.00", "32665.00"]
    assert result.ledger["per_capita_income"].max() == "9000.00"  # text compares as text: what README warns of
    fen = result.ledger_fen
    assert list(fen.columns) == ["total_income", "production_expenses", "net_income", "per_capita_income"]
    assert list(fen.index) == list(result.ledger.index)
    assert fen["per_capita_income"].max() == 3_266_500
    assert (fen["per_capita_income"] / 100).max() == 32665.0  # README's example
    assert fen["total_income"].tolist() == [2_700_000, 9_799_500]
