"""decisions.csv and issues.csv read as Chinese in Excel under zh (domain §7): Chinese headers, status,
reasons and severity as words, the codes kept in trailing columns for programs; the machine names
exactly under --lang en; and the one reader, read_ledger / read_issues, takes either set back to
the machine names, also from a copy Excel saved as GB18030 or one whose code columns were deleted."""

from __future__ import annotations

import csv
import io

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.errors import InputError
from edgescreen.issues import ISSUE_COLUMNS
from edgescreen.outputs.ledger import read_issues, read_ledger, write_csv
from edgescreen.outputs.privacy import csv_safe
from edgescreen.result import LEDGER_COLUMNS

runner = CliRunner()

# domain §7, in this order
ZH_LEDGER = ["来源文件", "工作表", "行号", "乡(镇)", "行政村", "户编号", "户主姓名", "户主身份证号", "家庭常住人口数",
             "家庭总收入", "家庭生产经营性支出", "家庭纯收入", "人均纯收入", "认定结果", "原因", "status", "reasons"]
ZH_ISSUES = ["来源文件", "工作表", "行号", "单元格", "乡(镇)", "行政村", "户主姓名", "栏目", "填写内容", "问题", "严重程度",
             "类别", "说明", "code"]


def bad_checksum(id_: str) -> str:
    return id_[:-1] + ("0" if id_[-1] != "0" else "1")


ROWS = [
    household(),                                                         # candidate
    household(**{"工资性收入": 6000}),                                    # below the line
    household(**{"工资性收入": 30000}),                                   # above the limit
    household(**{"是否低保户": "是", "转移性收入": 3000}),                 # excluded
    # invalid on two checks: a text amount and a wrong ID check character
    household(**{"工资性收入": "见备注", "户主身份证号": bad_checksum(make_id("19650505"))}),
    household(**{"户主姓名": "=1+1"}),                                     # named like a formula
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The same survey screened under zh (the default) and under en."""
    tmp = tmp_path_factory.mktemp("ledger")
    path = write_workbook(tmp / "合隆镇.xlsx", ROWS)
    outs = {}
    for lang in ("zh", "en"):
        out = tmp / lang
        result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01", "--lang", lang])
        assert result.exit_code == 0, result.output
        outs[lang] = out
    return outs


def raw(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_chinese_ledger_headers_words_and_trailing_codes(runs):
    path = runs["zh"] / "decisions.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    ledger = raw(path)
    assert list(ledger.columns) == ZH_LEDGER
    assert list(ledger["认定结果"]) == ["贫困边缘户候选", "低于贫困标准,转贫困户识别", "达到收入上限,不符合",
                                    "低保户(暂不列入)", "数据有误,待核实", "贫困边缘户候选"]
    assert list(ledger["status"]) == ["candidate", "below_line", "above_limit", "excluded_dibao", "invalid",
                                      "candidate"]
    assert ledger.loc[0, "原因"] == "人均纯收入在认定标准范围内" and ledger.loc[0, "reasons"] == "in_band"
    # An invalid household's reasons: its checks' titles, ';'-joined, beside the codes.
    assert ledger.loc[4, "原因"].split(";") == ["不是数字", "身份证号校验位或出生日期错误"]
    assert ledger.loc[4, "reasons"].split(";") == ["not_a_number", "id_checksum"]
    assert ledger.loc[0, "人均纯收入"] == "3333.33" and ledger.loc[0, "户主身份证号"].isdigit()
    # The formula guard still knows which columns are input text.
    assert ledger.loc[5, "户主姓名"] == "'=1+1"


def test_english_ledger_is_the_machine_names_as_before(runs):
    ledger = raw(runs["en"] / "decisions.csv")
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert list(ledger["status"]) == ["candidate", "below_line", "above_limit", "excluded_dibao", "invalid",
                                      "candidate"]
    assert ledger.loc[4, "reasons"] == "not_a_number;id_checksum"
    assert ledger.loc[5, "head_name"] == "'=1+1"


def test_chinese_issue_list_and_the_code_column(runs):
    issues = raw(runs["zh"] / "issues.csv")
    assert list(issues.columns) == ZH_ISSUES
    first = issues.iloc[0]
    assert (first["栏目"], first["问题"], first["严重程度"], first["类别"], first["code"]) == (
        "工资性收入", "不是数字", "错误", "串项", "not_a_number")
    assert set(issues["严重程度"]) <= {"错误", "警告"}
    english = raw(runs["en"] / "issues.csv")
    assert list(english.columns) == ISSUE_COLUMNS
    assert list(english["code"]) == list(issues["code"])
    assert english.iloc[0]["severity"] == "error" and english.iloc[0]["field"] == "wage_income"


def test_a_computed_value_is_named_in_chinese_and_read_back_by_its_name(tmp_path):
    """per_capita_implausible, about a computed value, names the cell to correct (2026-12-06; it named
    人均纯收入(元), no column, before): 家庭生产经营性支出 under zh as the form heads it, never the
    program's name; read back, the name again."""
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(**{"家庭经营费用支出": 20000})])
    outs = {}
    for lang in ("zh", "en"):
        outs[lang] = tmp_path / lang
        result = runner.invoke(app, ["screen", str(path), "-o", str(outs[lang]), "--as-of", "2020-01-01",
                                     "--lang", lang])
        assert result.exit_code == 0, result.output
    issues = raw(outs["zh"] / "issues.csv")
    assert issues[["单元格", "栏目", "code"]].values.tolist() == [["R2", "家庭生产经营性支出", "per_capita_implausible"]]
    assert raw(outs["en"] / "issues.csv")["field"].tolist() == ["production_expenses"]
    for lang in ("zh", "en"):
        assert read_issues(outs[lang] / "issues.csv")["field"].tolist() == ["production_expenses"]


def test_read_ledger_gives_the_machine_names_from_either_set(runs):
    zh, en = read_ledger(runs["zh"] / "decisions.csv"), read_ledger(runs["en"] / "decisions.csv")
    assert list(zh.columns) == LEDGER_COLUMNS
    pd.testing.assert_frame_equal(zh, en)
    assert zh.loc[4, "reasons"] == "not_a_number;id_checksum"


def test_read_issues_gives_the_machine_names_from_either_set(runs):
    zh, en = read_issues(runs["zh"] / "issues.csv"), read_issues(runs["en"] / "issues.csv")
    assert list(zh.columns) == ISSUE_COLUMNS
    same = [c for c in ISSUE_COLUMNS if c != "message"]  # the message is in the run's language
    pd.testing.assert_frame_equal(zh[same], en[same])
    assert zh.iloc[0][["field", "code", "severity"]].tolist() == ["wage_income", "not_a_number", "error"]


def test_a_copy_saved_by_excel_as_gb18030_reads_the_same(runs, tmp_path):
    """Excel on a Chinese Windows saves "CSV (逗号分隔)" in GB18030, with no BOM."""
    text = (runs["zh"] / "decisions.csv").read_text(encoding="utf-8-sig")
    copy = tmp_path / "结果.csv"
    copy.write_bytes(text.encode("gb18030"))
    pd.testing.assert_frame_equal(read_ledger(copy), read_ledger(runs["en"] / "decisions.csv"))


def test_without_the_code_columns_the_words_become_codes_again(runs, tmp_path):
    """Someone deleted the two English columns in Excel: the Chinese words are read back as codes."""
    ledger = raw(runs["zh"] / "decisions.csv").drop(columns=["status", "reasons"])
    copy = tmp_path / "删了代码列.csv"
    ledger.to_csv(copy, index=False, encoding="utf-8-sig")
    pd.testing.assert_frame_equal(read_ledger(copy), read_ledger(runs["en"] / "decisions.csv"))


def test_a_later_versions_extra_column_is_kept(runs, tmp_path):
    ledger = raw(runs["en"] / "decisions.csv")
    ledger.insert(14, "roster_flags", "")
    ledger["a_later_column"] = "x"
    copy = tmp_path / "later.csv"
    ledger.to_csv(copy, index=False, encoding="utf-8-sig")
    # An optional column this version knows takes its place; one it does not know is kept, last.
    expected = LEDGER_COLUMNS[:-1] + ["roster_flags", "reasons", "a_later_column"]
    assert list(read_ledger(copy).columns) == expected


def test_a_file_that_is_not_a_ledger_is_refused_with_the_missing_columns(runs):
    with pytest.raises(InputError) as caught:
        read_ledger(runs["zh"] / "issues.csv")
    message = caught.value.message("zh")
    assert "issues.csv" in message and "结果台账" in message
    assert "户编号" in message and "认定结果" in message and "单元格" not in message
    english = caught.value.message("en")
    assert "ledger" in english and "missing" in english


def test_every_word_turns_back_into_one_code():
    """The reader turns words back into codes only if no two codes share words, in either language."""
    from edgescreen.catalogue import STATUSES, label
    from edgescreen.outputs.ledger import check_titles, reason_titles

    for lang in ("zh", "en"):
        for words in (reason_titles(lang), check_titles(lang), {s: label(s, lang) for s in STATUSES}):
            assert len(set(words.values())) == len(words), lang
            assert not any(";" in w for w in words.values()), "';' joins the words"


def test_a_household_inside_the_band_is_never_printed_on_a_bound(tmp_path):
    """11,999.99 yuan over 3 residents is 3,999.9967: a candidate, which rounding printed as 4000.00 on
    the list whose heading says 低于 4000 元(均不含); 9,654.01 over 3 (3,218.0033) printed 3218.00. The
    figure shown is now kept inside the band (3999.99, 3218.01); those on a bound print as they are."""
    rows = [household(**{"工资性收入": 11999.99, "家庭总收入": 11999.99}),
            household(**{"工资性收入": 9654.01, "家庭总收入": 9654.01}),
            household(**{"工资性收入": 12000, "家庭总收入": 12000}),
            household(**{"工资性收入": 9654, "家庭总收入": 9654})]
    path = write_workbook(tmp_path / "前岗村.xlsx", rows)
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01"])
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["status"]) == ["candidate", "candidate", "above_limit", "below_line"]
    assert list(ledger["per_capita_income"]) == ["3999.99", "3218.01", "4000.00", "3218.00"]
    sheet = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx", read_only=True).worksheets[0]
    printed = [row[5] for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]
    assert printed == [3218.01, 3999.99]


# Texts as they come into the CSVs, with what quoting turns on: commas, quotes, line breaks (and a
# NUL, which no column should hold but must not shift the others), beside Chinese; and what the
# formula guard turns on (= + - @ first).
_CELL = st.text(alphabet=st.sampled_from(['a', '中', ',', '"', '\n', '\r', '\x00', ' ', '1', '，', '=', '-', '@']),
                max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_CELL, _CELL, _CELL), min_size=1, max_size=30), st.lists(_CELL, min_size=1, max_size=3),
       st.data())
def test_the_csv_writer_quotes_as_the_csv_module_does(tmp_path_factory, rows, pool, data):
    # head_name and village are input text, guarded against formulas (csv_safe) before they are
    # quoted; memo and status are not. village and status repeat a few values (written once per value).
    villages = data.draw(st.lists(st.sampled_from(pool), min_size=len(rows), max_size=len(rows)))
    statuses = data.draw(st.lists(st.sampled_from(pool), min_size=len(rows), max_size=len(rows)))
    frame = pd.DataFrame([(m, h, n, v, s) for (m, h, n), v, s in zip(rows, villages, statuses)],
                         columns=["memo", "head_name", "note", "village", "status"], dtype=object)
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    write_csv(frame, path)
    guarded, village = csv_safe(frame["head_name"]).tolist(), csv_safe(frame["village"]).tolist()
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\r\n").writerows(
        [list(frame.columns), *[(m, g, n, v, s) for (m, _, n), g, v, s in zip(rows, guarded, village, statuses)]])
    assert path.read_bytes().decode("utf-8-sig") == expected.getvalue()


# issues.csv in parts (outputs/ledger.IssueFile): many households, each with one or two issues, so
# that parts of a few issues split the table everywhere, some between a household's two issues.
def _flawed(i: int) -> dict:
    if i % 3 == 0:
        return household(**{"户主姓名": f"户{i}", "工资性收入": "见备注", "户主身份证号": bad_checksum(make_id("19650505"))})
    if i % 3 == 1:
        return household(**{"户主姓名": f"=户{i}", "工资性收入": f"{i},5"})
    return household(**{"户主姓名": f"户{i}", "家庭常住人口数": ""})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_issues_csv_in_parts_shared_with_the_helper_is_the_table_written_whole(tmp_path, monkeypatch, lang):
    from edgescreen.outputs import ledger

    path = write_workbook(tmp_path / "合隆镇.xlsx", [_flawed(i) for i in range(60)])
    whole = tmp_path / "whole"
    assert runner.invoke(app, ["screen", str(path), "-o", str(whole), "--as-of", "2020-01-01",
                               "--lang", lang]).exit_code == 0
    monkeypatch.setattr(ledger, "ISSUE_PART", 7)  # 12 parts, shared by this process and the helper
    parts = tmp_path / "parts"
    assert runner.invoke(app, ["screen", str(path), "-o", str(parts), "--as-of", "2020-01-01",
                               "--lang", lang]).exit_code == 0
    issues = read_issues(parts / "issues.csv")
    assert len(issues) == 80 and issues["row"].astype(int).is_monotonic_increasing
    assert (parts / "issues.csv").read_bytes() == (whole / "issues.csv").read_bytes()
    assert sorted(p.name for p in parts.iterdir() if p.name.startswith("issues")) == ["issues.csv"]


def test_issues_csv_in_parts_written_by_the_helper_process_is_the_file_written_here(tmp_path):
    """Every part a task, all of them done by a helper process (this one claims none), against the
    file written whole in this process; and the parts' folder gone once they are joined."""
    from edgescreen import screen
    from edgescreen.outputs.ledger import IssueFile, write_issues
    from edgescreen.runtime import WriterHelper

    result = screen([write_workbook(tmp_path / "合隆镇.xlsx", [_flawed(i) for i in range(60)])])
    write_issues(result, tmp_path / "whole.csv")
    (tmp_path / "out").mkdir()
    issues = IssueFile(result, tmp_path / "out" / "issues.csv", size=5)
    tasks = issues.tasks()
    assert len(tasks) == 16  # 80 issues
    with WriterHelper() as helper:
        helper.send(tasks)
        seconds = helper.result()  # the helper's share: here, every task
    assert seconds["write_issues"] > 0
    issues.assemble()
    assert (tmp_path / "out" / "issues.csv").read_bytes() == (tmp_path / "whole.csv").read_bytes()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["issues.csv"]


def test_no_issue_is_a_header_alone(tmp_path):
    from edgescreen import screen
    from edgescreen.outputs.ledger import write_issues

    result = screen([write_workbook(tmp_path / "合隆镇.xlsx", [household()])])
    write_issues(result, tmp_path / "issues.csv")
    assert (tmp_path / "issues.csv").read_bytes().decode("utf-8") == "\ufeff" + ",".join(ZH_ISSUES) + "\r\n"
