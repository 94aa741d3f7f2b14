"""Headers, tick columns and yes/no words as the field writes them (outside tester, b14 and f16):
所在乡镇, 村(居)委会, 户主名, 在家人口, 家庭经营性支出, 是否纳入低保, 是否五保户 … were refused (exit 2);
经营净收入 was refused with the advice to rename it 家庭经营收入 (its costs then taken off twice); a
低保户(打√) column, blank where not ticked as its header says, gave a 漏填 warning per blank box; and
是(低保), 已享受, 未纳入 were no yes/no."""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter

from field_checks import issues, ledger, screen
from survey_builders import make_id, write_csv_table

BASE = ["乡镇", "村", "户主姓名", "户主身份证号", "家庭常住人口数", "工资性收入", "家庭经营收入", "财产性收入",
        "转移性收入", "家庭生产经营性支出", "是否低保户", "是否特困人员"]


def row(name: str, **changes) -> dict:
    """A household under BASE's headers: wage 10,000, 3 residents, 3,333.33 each: a candidate."""
    values = {"乡镇": "合隆镇", "村": "前岗村", "户主姓名": name, "户主身份证号": make_id(), "家庭常住人口数": 3,
              "工资性收入": 10000, "家庭经营收入": 0, "财产性收入": 0, "转移性收入": 0, "家庭生产经营性支出": 0,
              "是否低保户": "否", "是否特困人员": "否"}
    values.update(changes)
    return values


def form(path, sheets: dict[str, tuple[list[str], list[dict]]]):
    """An .xlsx of one or more sheets, each its headers as written (a BASE header renamed: the row's
    value under the BASE name goes under it) and its rows."""
    book = xlsxwriter.Workbook(str(path))
    for name, (headers, rows) in sheets.items():
        ws = book.add_worksheet(name)
        for c, header in enumerate(headers):
            ws.write_string(0, c, header)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values.values()):
                if isinstance(value, (int, float)):
                    ws.write_number(r, c, value)
                elif value:
                    ws.write_string(r, c, value)
    book.close()
    return path


def renamed(old: str, new: str) -> list[str]:
    return [new if h == old else h for h in BASE]


@pytest.mark.parametrize("old, new, second, status", [
    ("乡镇", "所在乡镇", {}, "candidate"),
    ("村", "村（居）委会", {}, "candidate"),
    ("村", "所在村", {}, "candidate"),
    ("村", "村别", {}, "candidate"),
    ("户主姓名", "户主名", {}, "candidate"),
    # 2 residents: 5,000 each, so the column was read as the residents
    ("家庭常住人口数", "在家人口", {"家庭常住人口数": 2}, "above_limit"),
    ("家庭常住人口数", "人口数（常住）", {"家庭常住人口数": 2}, "above_limit"),
    # 3,000 of business income less 3,000 of costs: 3,333.33 each only if the costs are taken off
    ("家庭生产经营性支出", "家庭经营性支出", {"家庭经营收入": 3000, "家庭生产经营性支出": 3000}, "candidate"),
    ("家庭生产经营性支出", "经营性支出", {"家庭经营收入": 3000, "家庭生产经营性支出": 3000}, "candidate"),
    ("是否低保户", "是否纳入低保", {"是否低保户": "是"}, "excluded_dibao"),
    # 五保户 became 特困人员 in 2014 (社会救助暂行办法): the same column, not 低保户 as "nearest" said
    ("是否特困人员", "是否五保户", {"是否特困人员": "是"}, "excluded_tekun"),
    ("是否特困人员", "五保户", {"是否特困人员": "是"}, "excluded_tekun"),
])
def test_a_header_the_field_uses_is_read_as_its_field(tmp_path, old, new, second, status):
    path = form(tmp_path / "survey.xlsx", {"Sheet": (renamed(old, new), [row("甲"), row("乙", **second)])})
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    table = ledger(out)
    assert table["status"].tolist() == ["candidate", status]
    assert table["head_name"].tolist() == ["甲", "乙"]
    assert set(table["township"]) == {"合隆镇"} and set(table["village"]) == {"前岗村"}


def test_production_costs_as_the_costs_component(tmp_path):
    """生产经营费用 is 家庭经营费用支出 (its costs), beside 折旧 and 税费: 13,000 − 3,000 over 3."""
    headers = [*BASE[:9], "生产经营费用", "生产性固定资产折旧", "税金和上交承包费用", *BASE[10:]]
    rows = []
    for name, costs in (("甲", 0), ("乙", 3000)):
        values = row(name, 家庭经营收入=3000 if costs else 0)
        del values["家庭生产经营性支出"]
        flags = {k: values.pop(k) for k in ("是否低保户", "是否特困人员")}
        rows.append({**values, "costs": costs, "depreciation": 0, "taxes": 0, **flags})
    out = tmp_path / "out"
    result = screen(form(tmp_path / "survey.xlsx", {"Sheet": (headers, rows)}), "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["candidate", "candidate"]


@pytest.mark.parametrize("net", ["经营净收入", "生产经营性净收入（元）"])
def test_net_business_income_is_refused_with_what_to_write_not_renamed(tmp_path, net):
    """经营净收入 is income less its costs: read as 家庭经营收入 the costs would be taken off twice. The
    refusal says to give the gross income and the costs, or the net income with costs 0 — not to
    rename it."""
    path = form(tmp_path / "survey.xlsx", {"Sheet": (renamed("家庭经营收入", net), [row("甲")])})
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 2
    said = " ".join(result.output.split()).replace(" ", "")
    assert net in said and "不能改名" in said and "填0" in said and "家庭生产经营性支出" in said
    assert "改成上面的名称" not in said
    assert not out.exists()


TICKED_TWENTY = [row(f"户{k}", 是否低保户="√" if k == 3 else "", 是否特困人员="√" if k == 7 else "")
                 for k in range(20)]


@pytest.mark.parametrize("dibao, tekun", [("低保户（打√）", "特困人员（打√）"), ("是否低保户(打√)", "是否特困人员(√)")])
def test_a_tick_column_blank_is_no_without_a_warning_per_box(tmp_path, dibao, tekun):
    """The form says tick the box for 是: a blank box is 否, by the form's own words, and not 20 漏填."""
    headers = [*BASE[:10], dibao, tekun]
    out = tmp_path / "out"
    result = screen(form(tmp_path / "f16_tick.xlsx", {"Sheet": (headers, TICKED_TWENTY)}), "-o", out)
    assert result.exit_code == 0, result.output
    statuses = ledger(out)["status"].tolist()
    assert statuses[3] == "excluded_dibao" and statuses[7] == "excluded_tekun"
    assert statuses.count("candidate") == 18
    found = issues(out)
    assert not (found["code"] == "missing_value").any(), found[["row", "field", "code"]]
    assert "请逐户填写是或否" not in result.output
    # Said once, where the file's facts are: what was read so, and why.
    book = openpyxl.load_workbook(out / "quality.xlsx")
    text = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert f"K「{dibao}」、L「{tekun}」是打√的栏目:表头写明打√,空格按「否」读入" in text, text


def test_a_tick_column_is_its_own_sheets_and_a_plain_blank_still_warns(tmp_path):
    """Only the sheet whose header says 打√ reads its blanks as 否; a plain 是否低保户 blank, or a header
    that asks for × as well (是打√否打×), is still a cell left out."""
    rows = [row("甲", 是否低保户=""), row("乙", 是否低保户="√")]
    sheets = {"前岗村": ([*BASE[:10], "低保户（打√）", "是否特困人员"], rows),
              "后岗村": (BASE, [row("丙", 是否低保户="", 村="后岗村")]),
              "东岗村": ([*BASE[:10], "是否低保户(是打√,否打×)", "是否特困人员"], [row("丁", 是否低保户="", 村="东岗村")])}
    out = tmp_path / "out"
    result = screen(form(tmp_path / "survey.xlsx", sheets), "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["candidate", "excluded_dibao", "candidate", "candidate"]
    found = issues(out)
    blank = found[found["code"] == "missing_value"]
    assert blank["head_name"].tolist() == ["丙", "丁"] and set(blank["field"]) == {"is_dibao"}


def test_a_tick_column_in_a_csv(tmp_path):
    header = [*BASE[:10], "低保户（打√）", "特困人员（打√）"]
    rows = [list(r.values()) for r in TICKED_TWENTY[:5]]
    out = tmp_path / "out"
    result = screen(write_csv_table(tmp_path / "survey.csv", header, rows), "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["candidate"] * 3 + ["excluded_dibao", "candidate"]
    assert not (issues(out)["code"] == "missing_value").any()


@pytest.mark.parametrize("word, status", [
    ("是（低保）", "excluded_dibao"), ("已享受", "excluded_dibao"), ("已纳入", "excluded_dibao"),
    ("非低保", "candidate"), ("未享受", "candidate"), ("未纳入", "candidate"),
])
def test_yes_no_words_of_the_dibao_column(tmp_path, word, status):
    path = form(tmp_path / "survey.xlsx", {"Sheet": (BASE, [row("甲", 是否低保户=word)])})
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == [status]
    assert not (issues(out)["code"] == "flag_unrecognized").any()


def test_a_dibao_word_says_nothing_of_tekun(tmp_path):
    """是(低保) answers 是否低保户 only: under 是否特困人员 it is for a person to read, not a 是."""
    path = form(tmp_path / "survey.xlsx", {"Sheet": (BASE, [row("甲", 是否特困人员="是（低保）")])})
    out = tmp_path / "out"
    result = screen(path, "-o", out)
    assert result.exit_code == 0, result.output
    assert ledger(out)["status"].tolist() == ["invalid"]
    assert issues(out)["code"].tolist() == ["flag_unrecognized"]
