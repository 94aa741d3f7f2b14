"""The publicity notice (--publicity-start): one per village, the 7-day period with computed dates,
how to object, the list always masked (even with --no-mask) and the difficulty as a category only."""

from __future__ import annotations

import datetime as dt
import re

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import household, write_workbook
from edgescreen.catalogue import messages
from edgescreen.cli import app
from edgescreen.outputs.publicity import difficulty_category, period
from edgescreen.outputs.ledger import read_ledger
from edgescreen.outputs.xlsx import column_points

runner = CliRunner()
FULL_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])")
HOSTILE = '=HYPERLINK("http://example.com","x")'


def rows():
    return [
        household(**{"户主姓名": "王一", "工资性收入": 11000, "主要困难": "因病(尿毒症,每周透析)"}),
        household(**{"户主姓名": HOSTILE, "工资性收入": 10000, "主要困难": "因学、缺劳力(老两口均年过七十)"}),
        household(**{"户主姓名": "李三", "工资性收入": 30000}),  # above the limit: not posted
        household(**{"户主姓名": "赵四", "工资性收入": 10500, "主要困难": "肢体残疾二级"}),
        household(**{"乡(镇)": "烧锅镇", "行政村": "三宝村", "户主姓名": "钱五", "工资性收入": 9900}),
    ]


def screen(tmp_path, *extra):
    path = write_workbook(tmp_path / "survey.xlsx", rows())
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01", *extra])
    return result, out


def values(ws):
    return [c.value for row in ws.iter_rows() for c in row if c.value is not None]


HEADER_ROW = 7  # title, introduction, period, how to object, contact, privacy note, then the list


def listed(ws, header_row=HEADER_ROW):
    out = []
    for row in ws.iter_rows(min_row=header_row + 1):
        if not isinstance(row[0].value, (int, float)):
            break
        out.append(row)
    return out


def test_a_notice_per_village_with_the_period_and_how_to_object(tmp_path):
    result, out = screen(tmp_path, "--publicity-start", "2020-01-28")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "publicity").iterdir()) == ["合隆镇-前岗村-公示.xlsx", "烧锅镇-三宝村-公示.xlsx"]
    ws = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active
    text = "\n".join(str(v) for v in values(ws))
    assert ws["A1"].value == "合隆镇前岗村贫困边缘户名单公示"
    assert "2020年1月28日至2020年2月3日" in text, "7 days, both ends included, across the month end"
    assert "共 7 天" in text
    assert "异议" in text and "合隆镇人民政府" in text, "where and how to object"
    assert "前岗村村民委员会(盖章)" in text
    assert [c.value for c in ws[HEADER_ROW]] == ["序号", "村民小组", "户主姓名", "身份证号", "家庭人口数", "主要困难类别"]
    names = [r[2].value for r in listed(ws)]
    assert names == ["王一", HOSTILE, "赵四"], "the candidates, in survey order; nobody else"
    assert "共 3 户" in text
    # ready to print
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.page_setup.orientation == "portrait"
    # Printed at the scale its columns fit (as the 候选名单): fitted to the page, Excel would drop the
    # page breaks that keep the seal line with the last rows (test_publicity_pages).
    assert not ws.sheet_properties.pageSetUpPr.fitToPage
    widths = [ws.column_dimensions[c].width for c in "ABCDEF"]
    assert sum(column_points(w - 0.71) for w in widths) * 100 / (ws.page_setup.scale or 100) <= 595.3 - 72
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"


def test_a_long_name_wraps_and_its_row_grows_with_it(tmp_path):
    """Before: every row 22 points high, a long name printed clipped at its top and bottom."""
    result, out = screen(tmp_path, "--publicity-start", "2020-01-28")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active
    heights = {r[2].value: ws.row_dimensions[r[0].row].height for r in listed(ws)}
    assert heights["王一"] == heights["赵四"] == 22
    assert heights[HOSTILE] >= 3 * 14, heights  # 36 characters in a column of 14


def test_always_masked_and_no_health_details_even_with_no_mask(tmp_path):
    result, out = screen(tmp_path, "--publicity-start", "2020-01-06", "--no-mask")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    for path in (out / "publicity").iterdir():
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            for row in ws.iter_rows():
                for c in row:
                    assert c.data_type != "f", (path.name, c.coordinate)
                    if isinstance(c.value, str):
                        assert not FULL_ID.search(c.value), (path.name, c.coordinate, c.value)
                        assert "13812345678" not in c.value
                        assert "尿毒症" not in c.value and "透析" not in c.value and "肢体" not in c.value
    ws = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active
    rows = listed(ws)
    ids = ledger.loc[ledger["head_name"].isin(["王一"]), "head_id"].iloc[0]
    assert rows[0][3].value == ids[:6] + "********" + ids[-4:]
    assert [r[5].value for r in rows] == ["因病", "因学、缺劳力", "因残"]
    assert rows[1][2].value == HOSTILE and rows[1][2].data_type == "s"
    assert rows[0][4].data_type == "n"
    # and --no-mask did reach the village lists: the county's copy is in full
    village = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx").active
    assert any(isinstance(v, str) and FULL_ID.fullmatch(v) for v in values(village))


def test_the_privacy_note_says_what_the_list_shows(tmp_path):
    """The list shows 因病 and 因残: the note says the difficulty is posted as a category, and never
    that health status is withheld; what it withholds (the illness itself) is truly absent."""
    result, out = screen(tmp_path, "--publicity-start", "2020-01-06")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active
    note = next(v for v in values(ws) if isinstance(v, str) and v.startswith("说明"))
    shown = {r[5].value for r in listed(ws)}
    assert {"因病", "因残"} <= shown
    assert "健康状况" not in note and "类别" in note and "因病" in note
    assert "不公示病名、病情" in note
    assert not any("尿毒症" in str(v) or "透析" in str(v) for v in values(ws))


def test_no_notice_without_the_option(tmp_path):
    result, out = screen(tmp_path)
    assert result.exit_code == 0, result.output
    assert not (out / "publicity").exists()


def test_english_notice(tmp_path):
    result, out = screen(tmp_path, "--publicity-start", "2020-02-25", "--lang", "en")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-notice.xlsx").active
    text = "\n".join(str(v) for v in values(ws))
    assert "2020-02-25 to 2020-03-02, 7 days" in text, "leap year"
    assert [r[5].value for r in listed(ws)] == ["illness", "schooling, lack of labour", "disability"]


def test_a_bad_date_is_a_usage_error(tmp_path):
    result, out = screen(tmp_path, "--publicity-start", "2020-13-01")
    assert result.exit_code == 2
    assert not out.exists()


def test_period_counts_both_ends():
    assert period(dt.date(2019, 12, 28)) == (dt.date(2019, 12, 28), dt.date(2020, 1, 3))
    assert period(dt.date(2021, 2, 25)) == (dt.date(2021, 2, 25), dt.date(2021, 3, 3))


@pytest.mark.parametrize("typed, category", [
    ("因病", "因病"), ("患尿毒症", "因病"), ("因病致贫(癌症)", "因病"), ("残疾", "因残"), ("因病致残", "因残"),
    ("子女上学", "因学"), ("2019年洪灾", "因灾"), ("车祸受伤", "因意外事故"), ("缺劳动力", "缺劳力"),
    ("缺技术", "缺技术"), ("缺资金", "缺资金"), ("交通条件落后", "交通条件落后"), ("自身发展动力不足", "自身发展动力不足"),
    ("说不清", "其他"), ("", ""), (None, ""),
    # a list of difficulties keeps each, in the order written; a bracketed detail adds none
    ("因学、因病", "因学、因病"), ("因病,缺资金", "因病、缺资金"), ("因病 因病", "因病"),
    ("因病(妻子尿毒症,每周透析两次)", "因病"), ("因残(无法从事重体力劳动,缺技术)", "因残"),
    ("残疾,无法从事重体力劳动", "因残"), ("(癌症)", "因病"),
])
def test_difficulty_category(typed, category):
    assert difficulty_category(pd.Series([typed], dtype="string"), "zh").iloc[0] == category


def test_a_household_of_many_difficulties_gets_a_row_tall_enough_for_them(tmp_path):
    """Five categories do not fit the column on one line: the row grows, and every one is printed."""
    path = write_workbook(tmp_path / "survey.xlsx", [
        household(**{"户主姓名": "王一", "工资性收入": 11000, "主要困难": "因病、因残、因学、缺技术、缺资金"}),
        household(**{"户主姓名": "王二", "工资性收入": 11000, "主要困难": "因病"})])
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-01-01",
                                 "--publicity-start", "2020-01-06"])
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(next((out / "publicity").iterdir())).active
    many, one = listed(ws)
    assert many[5].value == "因病、因残、因学、缺技术、缺资金" and many[5].alignment.wrap_text
    assert ws.row_dimensions[many[5].row].height > ws.row_dimensions[one[5].row].height


def test_every_category_has_both_languages():
    from edgescreen.outputs.publicity import RISK_CATEGORIES

    labels = messages().labels
    for key, _ in [*RISK_CATEGORIES, ("risk_other", "")]:
        assert labels[key]("zh") and labels[key]("en")


def _county_rules(tmp_path, basis_line: str | None):
    """A county's rules file made by `rules new`, its basis line replaced (None: removed, as in a
    file written before rule sets named their basis)."""
    path = tmp_path / "农安县.toml"
    made = runner.invoke(app, ["rules", "new", str(path)])
    assert made.exit_code == 0, made.output
    text = path.read_text(encoding="utf-8")
    assert 'basis = "长春市贫困边缘户精准识别和实施帮扶的方案"' in text, "a county's new file gets the field"
    path.write_text(re.sub(r'(?m)^basis = .*\n', basis_line + "\n" if basis_line else "", text), encoding="utf-8")
    return path


def test_the_notice_cites_the_document_the_county_s_rules_name_not_the_rule_set_s_title(tmp_path):
    """根据《…》 names the plan the county works under (its rules file's `basis`), never edgescreen's own
    name for the rule set (长春市贫困边缘户识别标准(2019), which no document is called)."""
    result, out = screen(tmp_path, "--publicity-start", "2020-01-28")
    assert result.exit_code == 0, result.output
    intro = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active["A2"].value
    assert intro.startswith("根据《长春市贫困边缘户精准识别和实施帮扶的方案》,经入户调查"), intro
    assert "识别标准(2019)" not in intro

    own = _county_rules(tmp_path, 'basis = "农安县贫困边缘户认定办法(试行)"')
    result, out = screen(tmp_path, "--publicity-start", "2020-01-28", "--rules", str(own), "--force")
    assert result.exit_code == 0, result.output
    intro = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active["A2"].value
    assert intro.startswith("根据《农安县贫困边缘户认定办法(试行)》,经入户调查"), intro


def test_a_county_file_without_a_basis_cites_no_document_and_check_says_so(tmp_path):
    older = _county_rules(tmp_path, None)
    result, out = screen(tmp_path, "--publicity-start", "2020-01-28", "--rules", str(older))
    assert result.exit_code == 0, result.output
    intro = openpyxl.load_workbook(out / "publicity" / "合隆镇-前岗村-公示.xlsx").active["A2"].value
    assert intro.startswith("经入户调查,现将本村") and "《" not in intro, intro
    checked = runner.invoke(app, ["rules", "check", str(older)])
    assert checked.exit_code == 0 and "没有写 basis" in checked.output, checked.output


def test_a_basis_written_with_its_brackets_is_refused_at_load(tmp_path):
    bracketed = _county_rules(tmp_path, 'basis = "《农安县贫困边缘户认定办法》"')
    checked = runner.invoke(app, ["rules", "check", str(bracketed)])
    assert checked.exit_code != 0 and "basis" in checked.output and "书名号" in checked.output, checked.output


def test_a_village_given_as_its_committee_is_named_once_on_the_seal_line(tmp_path):
    """Found by an outside look: a village written 新兴村村民委员会 in the survey sealed its notice
    '新兴村村民委员会村民委员会(盖章)'."""
    from survey_builders import make_id

    path = write_workbook(tmp_path / "靠山乡.xlsx", [household(户主姓名="金一", 户主身份证号=make_id("19700101"),
                                                             **{"乡(镇)": "靠山乡人民政府", "行政村": "新兴村村民委员会"})])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(path), "-o", str(out), "--publicity-start", "2020-01-28"])
    assert result.exit_code == 0, result.output
    (notice,) = (out / "publicity").iterdir()
    text = "\n".join(str(v) for v in values(openpyxl.load_workbook(notice).active))
    assert "新兴村村民委员会(盖章)" in text and "村民委员会村民委员会" not in text, text
    assert "靠山乡人民政府反映" in text and "人民政府人民政府" not in text, text
