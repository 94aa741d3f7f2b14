"""What a clerk is told about headers edgescreen does not know: the nearest known name of a mistyped
header (a loose name among them: 在家居住人口), and the columns not read, each named by its letter and its
header as typed, listed in the message's language."""

from __future__ import annotations

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
    assert "最接近的可用表头:在家居住人口" in text, result.output


def test_a_loose_name_is_suggested_as_the_catalogue_writes_it_in_english_too(tmp_path):
    path = _survey(tmp_path / "survey.xlsx", {"是否低保户": "是否底保对象"})
    result = screen(path, "-o", tmp_path / "out", "--lang", "en")
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "required column missing: 是否低保户" in text, result.output
    assert "Nearest accepted headers: 是否低保对象, 是否低保户对象." in text, result.output
