"""What a clerk is told about headers edgescreen does not know: the nearest known name of a mistyped
header (a loose name among them: 在家居住人口), and the columns not read, each named by its letter and its
header as typed, listed in the message's language."""

from __future__ import annotations

import json

import openpyxl
import pytest

from field_checks import invoke, screen
from survey_builders import make_id

HEADER = ["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入", "家庭经营费用支出",
          "生产性固定资产折旧", "税金和上交承包费用", "是否低保户", "是否特困人员"]
VALUES = ["合隆镇", "前岗村", "张三", None, 3, 10000, 0, 0, 0, "否", "否"]


def _survey(path, renamed: dict[str, str], extra: dict[str, object] | None = None):
    """One household under HEADER with `renamed` headers, `extra` columns after them."""
    extra = extra or {}
    row = [*VALUES, *extra.values()]
    row[3] = make_id()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "前岗村"
    ws.append([renamed.get(h, h) for h in HEADER] + list(extra))
    ws.append(row)
    wb.save(path)
    return path


@pytest.mark.parametrize("command", ["screen", "check"])
def test_a_header_one_typo_from_a_loose_name_is_told_that_name(tmp_path, command):
    """在家居住人囗 (囗 for 口) is one character from 在家居住人口, a loose name of the residents: the
    refusal suggested 家庭常住人口 alone, the nearest of the names that were not loose."""
    path = _survey(tmp_path / "survey.xlsx", {"家庭常住人口数": "在家居住人囗"})
    result = invoke(command, path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())
    assert "缺少必填列:家庭常住人口数" in text, result.output
    assert "最接近的可用表头:E「在家居住人囗」可改为在家人口、在家居住人口。" in text, result.output


def test_a_loose_name_is_suggested_as_the_catalogue_writes_it_in_english_too(tmp_path):
    path = _survey(tmp_path / "survey.xlsx", {"是否低保户": "是否底保对象"})
    result = screen(path, "-o", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "required column missing: 是否低保户" in text, result.output
    assert "Nearest accepted headers: J「是否底保对象」 could read 是否低保对象, 是否低保户对象." in text, result.output


def test_the_columns_of_a_chinese_refusal_are_listed_with_the_chinese_separator(tmp_path):
    """Lists stood in Chinese sentences joined by ", " (B「行政村」, C「村」; 找到的表头:乡(镇), 行政村 …)."""
    two = _survey(tmp_path / "two.xlsx", {}, {"村": "前岗村"})
    result = screen(two, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())
    assert "同一项有两列(「行政村」):B「行政村」、L「村」。" in text, result.output
    found = _survey(tmp_path / "found.xlsx", {"家庭常住人口数": "常住"})
    result = screen(found, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "找到的表头:乡(镇)、行政村、户主姓名、户主身份证号、常住、家庭总收入、" in "".join(result.output.split())


def test_a_sum_with_components_missing_names_them_and_the_unread_columns_in_the_language_asked(tmp_path):
    """Three income components, no 家庭经营收入 (家庭生产收入 is no name edgescreen knows), no total:
    the English refusal listed the components with 、 and the Chinese one the unread columns with , ."""
    header = {"家庭总收入": "工资性收入"}
    extra = {"财产性收入": 300, "转移性收入": 100, "家庭生产收入": 600, "其他收入": 5}
    path = _survey(tmp_path / "survey.xlsx", header, extra)
    result = screen(path, "-o", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "has 工资性收入, 财产性收入, 转移性收入 but not 家庭经营收入" in text, result.output
    assert "Headers not recognised: N「家庭生产收入」, O「其他收入」;" in text, result.output
    result = screen(path, "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())
    assert "有工资性收入、财产性收入、转移性收入,没有家庭经营收入" in text, result.output
    assert "没有认出的表头:N「家庭生产收入」、O「其他收入」," in text, result.output


def test_an_unread_column_whose_header_ends_in_a_corner_bracket_is_named_whole(tmp_path):
    """The screen named 其他收入「元」 as 「其他收入「元」 (its own 」 taken for the quote's); check's
    file facts listed the unread columns in Chinese with ", "."""
    path = _survey(tmp_path / "survey.xlsx", {}, {"其他收入「元」": 5, "补贴收入": 6})
    result = screen(path, "-o", tmp_path / "screened")
    assert result.exit_code == 0, result.output
    text = "".join(result.output.split())
    assert "L列「其他收入「元」」没有读入" in text and "M列「补贴收入」没有读入" in text, result.output
    out = tmp_path / "checked"
    result = invoke("check", path, "-o", out)
    assert result.exit_code == 0, result.output
    assert "有2列表头未识别,未读取:L「其他收入「元」」、M「补贴收入」" in "".join(result.output.split()), result.output
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    # for programs, as it was: comma-separated
    assert [f["detail"] for f in facts if f["fact"] == "unknown_columns"] == ["L「其他收入「元」」, M「补贴收入」"]


def test_the_common_header_jingyingxing_shouru_is_the_business_income(tmp_path):
    """经营性收入 is how many forms head the business income: beside a 家庭总收入 it was not read, so every
    household with business income became invalid (total ≠ components) instead of its own status."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "前岗村"
    ws.append(["乡(镇)", "行政村", "户主姓名", "身份证号码", "家庭常住人口数", "工资性收入", "经营性收入", "财产性收入",
               "转移性收入", "家庭总收入", "家庭生产经营性支出", "是否低保户", "是否特困人员"])
    ws.append(["合隆镇", "前岗村", "甲", make_id(serial=601), 3, 5000, 6000, 0, 0, 11000, 1345.99, "否", "否"])
    wb.save(tmp_path / "survey.xlsx")
    result = screen(tmp_path / "survey.xlsx", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    decided = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))["counts"]
    assert decided.get("candidate") == 1 and not decided.get("invalid"), decided
