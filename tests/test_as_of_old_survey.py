"""A survey of an earlier year checked without --as-of: ages were counted at today. An outside tester
checked a 2019 township workbook in 2026, and a head born 2010 (9 in 2019) passed unsaid, being 16 today.
The workbook said its day (填报日期:2019年12月 above the header): now screen, check and quality.xlsx say
so once, with the --as-of of that day. Nothing is decided otherwise."""

from __future__ import annotations

import calendar
import datetime as dt

import openpyxl
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues

runner = CliRunner()
NOTE = "本次年龄却按今天"


def run(*args):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code in (0, 1), result.output
    return " ".join(result.output.split())


def survey(path, lines: dict[str, list[list[str]]]):
    """A workbook of a sheet per township, each with `lines` above its header (a title, a 填报单位 line
    …) and two households: the first head born 2010 (9 at the end of 2019, 16 in December 2026)."""
    sheets = {name: [household(**{"乡(镇)": name, "户主身份证号": make_id("20100301", serial=11 + 2 * k)}),
                     household(**{"乡(镇)": name, "户主身份证号": make_id("19700101", serial=301 + 2 * k)})]
              for k, name in enumerate(lines)}
    write_workbook(path, sheets)
    wb = openpyxl.load_workbook(path)
    for name, above in lines.items():
        if above:
            wb[name].insert_rows(1, len(above))
            for r, row in enumerate(above, start=1):
                for c, text in enumerate(row, start=1):
                    wb[name].cell(r, c, text)
    wb.save(path)
    return path


def facts(folder):
    rows = openpyxl.load_workbook(folder / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)
    return [" ".join(c for c in row if isinstance(c, str)) for row in rows]


def said(words: str, folder) -> list[str]:
    return [fact for fact in facts(folder) if words in fact]


SAMPLE_LINE = [["农安县合隆镇贫困边缘户入户登记汇总表"], ["填报单位:合隆镇人民政府    填报日期:2019年12月"]]


def test_a_2019_survey_screened_at_today_says_so_and_its_as_of_finds_the_child_head(tmp_path):
    if dt.date.today() < dt.date(2021, 1, 1):
        pytest.skip("a 2019 survey is not a year old before 2021")
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": SAMPLE_LINE})
    today = dt.date.today().isoformat()
    output = run("screen", path, "-o", tmp_path / "today")
    words = (f"合隆镇.xlsx 工作表「合隆镇」:写明「填报日期:2019年12月」,本次年龄却按今天 {today} 计算:户主年龄等与年龄有关的"
             "检查可能漏报或误报。要按调查当时计算年龄,请加 --as-of 2019-12-31 重新运行")
    assert words in output and output.count(NOTE) == 1, output
    assert len(said("--as-of 2019-12-31", tmp_path / "today")) == 1, facts(tmp_path / "today")
    # Said only: nothing is decided otherwise (the head of 16 today still passes).
    assert "head_age_implausible" not in set(read_issues(tmp_path / "today" / "issues.csv")["code"])

    output = run("screen", path, "-o", tmp_path / "then", "--as-of", "2019-12-31")
    assert NOTE not in output, output
    assert not said(NOTE, tmp_path / "then")
    issues = read_issues(tmp_path / "then" / "issues.csv")
    aged = issues[issues["code"] == "head_age_implausible"]
    assert list(aged["row"].astype(int)) == [4] and list(aged["sheet"]) == ["合隆镇"], issues


def test_check_says_it_on_the_terminal_and_in_quality_xlsx(tmp_path):
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": SAMPLE_LINE})
    output = run("check", path, "-o", tmp_path / "r")
    assert output.count(NOTE) == 1 and "请加 --as-of 2019-12-31 重新运行" in output, output
    assert len(said("--as-of 2019-12-31", tmp_path / "r")) == 1
    output = run("check", path, "-o", tmp_path / "r2", "--as-of", "2019-12-31")
    assert NOTE not in output and "head_age_implausible" in output, output


def test_an_as_of_typed_is_the_clerks_choice_even_when_it_is_today(tmp_path):
    """--as-of of today's own day was asked for: neither the terminal nor quality.xlsx says the note."""
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": SAMPLE_LINE})
    output = run("check", path, "-o", tmp_path / "r", "--as-of", dt.date.today().isoformat())
    assert NOTE not in output, output
    assert not said(NOTE, tmp_path / "r")


def _months_before(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - months
    return index // 12, index % 12 + 1


def test_a_year_is_the_margin_counted_from_the_stated_months_last_day(tmp_path):
    """Checked today without --as-of: the month a year ago is a survey of last year's end, said nothing of;
    the month before it is more than 12 months old, and said with its last day."""
    today = dt.date.today()
    (y1, m1), (y2, m2) = _months_before(today, 12), _months_before(today, 13)
    recent = survey(tmp_path / "近.xlsx", {"合隆镇": [[f"填报日期:{y1}年{m1}月"]]})
    output = run("check", recent, "-o", tmp_path / "r1")
    assert NOTE not in output, output
    old = survey(tmp_path / "远.xlsx", {"合隆镇": [[f"填报日期:{y2}年{m2}月"]]})
    output = run("check", old, "-o", tmp_path / "r2")
    last = dt.date(y2, m2, calendar.monthrange(y2, m2)[1]).isoformat()
    assert output.count(NOTE) == 1 and f"请加 --as-of {last} 重新运行" in output, output


def test_a_survey_that_names_no_day_is_said_nothing_of(tmp_path):
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": [["合隆镇贫困边缘户入户登记表"], ["填报单位:合隆镇人民政府"]]})
    output = run("check", path, "-o", tmp_path / "r")
    assert NOTE not in output, output
    assert not said(NOTE, tmp_path / "r")


@pytest.mark.parametrize("lines, words, as_of", [
    ([["填表日期:", "2019.12"]], "「填表日期: 2019.12」", "2019-12-31"),
    ([["调查日期:二〇一九年十二月五日"]], "「调查日期:2019年12月5日」", "2019-12-05"),
    ([["填报单位:合隆镇", "填报日期:2019-03-05"]], "「填报日期:2019-03-05」", "2019-03-05"),
    ([["填报日期:2019年"]], "「填报日期:2019年」", "2019-12-31"),
    ([["合隆镇2019年度贫困边缘户入户登记表"]], "「2019年度」", "2019-12-31"),
    ([["统计时间:2019年11月30日"]], "「统计时间:2019年11月30日」", "2019-11-30"),  # a system's export (try BJ)
], ids=["label-then-its-cell", "chinese-numerals", "iso-day-beside-the-unit", "year-alone", "title-year",
        "a-systems-statistics-time"])
def test_the_forms_ways_of_writing_the_day(tmp_path, lines, words, as_of):
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": lines})
    output = run("check", path, "-o", tmp_path / "r")
    assert output.count(NOTE) == 1 and f"写明{words}" in output and f"--as-of {as_of} " in output, output


def test_sheets_of_several_days_say_the_earliest_once(tmp_path):
    path = survey(tmp_path / "县.xlsx", {"合隆镇": [["填报日期:2020年12月"]], "烧锅镇": [["填报日期:2019年11月"]],
                                        "高家店镇": [["填报日期:2020年1月"]]})
    output = run("screen", path, "-o", tmp_path / "out")
    assert output.count(NOTE) == 1 and "工作表「烧锅镇」:写明「填报日期:2019年11月」" in output, output
    assert "--as-of 2019-11-30" in output, output
    assert len(said(NOTE, tmp_path / "out")) == 1


def test_a_register_round_dated_by_date_counts_ages_then_and_says_nothing(tmp_path):
    """A round dated more than a year after the form (2021-06-01): were --date not the clerk's day, the
    note would be said; it is not, and the head born 2010 is 11 then, said as too young."""
    path = survey(tmp_path / "合隆镇.xlsx", {"合隆镇": SAMPLE_LINE})
    output = run("screen", path, "-o", tmp_path / "out", "--register", tmp_path / "农安县.db", "--date", "2021-06-01")
    assert NOTE not in output, output
    assert not said(NOTE, tmp_path / "out")
    assert "head_age_implausible" in set(read_issues(tmp_path / "out" / "issues.csv")["code"])
