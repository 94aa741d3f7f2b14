"""A company register given as a roster (工商: 法定代表人 beside 股东/投资人 ID columns) is read once, its
shareholders taken from the same read as its legal representatives. Wrong before: a second full read
and parse of the file for the shareholders' table (a county's 工商 register read twice), and where that
second read refused (a sheet of two shareholder ID columns), every shareholder of every sheet was
dropped without a word of why."""

from __future__ import annotations

import openpyxl
import pytest
from typer.testing import CliRunner

import edgescreen.read
import edgescreen.runtime
from test_rosters import named_county, write_sheets
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
NAMES = "甲乙丙丁戊"


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def county(tmp_path):
    return named_county(tmp_path, NAMES, 500)


def screened(folder, survey, roster, lang: str = "zh"):
    out = folder / f"out-{lang}"
    run("screen", survey, "--roster", f"工商={roster}", "-o", out, "--as-of", AS_OF, "--force", "--lang", lang)
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    return out, ledger["roster_flags"].fillna("").astype(str).to_dict()


def facts(out, sheet: str) -> str:
    rows = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)[sheet].iter_rows(values_only=True)
    return "\n".join(" ".join(c for c in row if isinstance(c, str)) for row in rows)


def test_a_company_register_is_read_once_with_its_shareholders(county, monkeypatch):
    folder, survey, heads = county
    # 公司名称, not 企业名称: a header holding a kind's word (企业) is probed by a read of its own as a
    # department's answers may be (rosters._unread_columns), another matter than the shareholders'.
    roster = write_sheets(folder / "市场监管.xlsx", {"股东信息": (
        ["公司名称", "法定代表人", "法定代表人身份证号", "股东名称", "股东证件号码"],
        [["某农资有限公司", "甲", heads["甲"], "甲", heads["甲"]],
         ["某农资有限公司", "甲", heads["甲"], "乙", heads["乙"]]])})
    reads, parses = [], []
    read_table_file, parse_workbook = edgescreen.read.read_table_file, edgescreen.read.parse_workbook

    def counted_read(path, *args, **kwargs):
        reads.append(path.name)
        return read_table_file(path, *args, **kwargs)

    def counted_parse(path, *args, **kwargs):
        parses.append(path.name)
        return parse_workbook(path, *args, **kwargs)

    monkeypatch.setattr(edgescreen.read, "read_table_file", counted_read)
    monkeypatch.setattr(edgescreen.read, "parse_workbook", counted_parse)
    # The workbook source parses through runtime's own name for it (a background read or this process).
    monkeypatch.setattr(edgescreen.runtime, "parse_workbook", counted_parse)
    _, flags = screened(folder, survey, roster)
    assert flags["甲"] == flags["乙"] == "company" and flags["丙"] == "", flags
    assert reads.count(roster.name) == 1, reads
    assert parses.count(roster.name) <= 1, parses


def test_a_shareholder_column_that_cannot_be_read_is_said_and_the_others_kept(county):
    """A sheet of two shareholder ID columns (股东 and 投资人: one field twice) cannot be read as the
    shareholders': its columns are named with why; another sheet's shareholder is on the roster still."""
    folder, survey, heads = county
    roster = write_sheets(folder / "工商.xlsx", {
        "股东信息": (["企业名称", "法定代表人", "法定代表人身份证号", "股东名称", "股东证件号码"],
                 [["某农资有限公司", "甲", heads["甲"], "乙", heads["乙"]]]),
        "合作社": (["企业名称", "法定代表人", "法定代表人证件号码", "股东名称", "股东证件号码", "投资人", "投资人证件号码"],
                [["某合作社", "丙", heads["丙"], "丁", heads["丁"], "戊", heads["戊"]]])})
    for lang, sheet, said in (("zh", "文件情况", "没能按股东、投资人读取"),
                              ("en", "files", "could not be read as shareholders")):
        out, flags = screened(folder, survey, roster, lang)
        assert flags["甲"] == flags["乙"] == flags["丙"] == "company", flags
        assert flags["丁"] == flags["戊"] == "", flags
        text = facts(out, sheet)
        line = next((line for line in text.splitlines() if said in line), "")
        # The sheet refused is named, and both its columns (E and G), with the reader's own words of why.
        assert "合作社" in line and "E" in line and "G" in line, text
        assert "股东证件号码" in line and "投资人证件号码" in line, text
