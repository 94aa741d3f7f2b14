"""A form under another village's file name (an outside tester's report, 2026-12): 前岗村's filled form renamed,
or saved a second time, as 合隆镇-东兴村.xlsx (东兴村's own form never came back) was reported under that name,
beside 东兴村's 未交回 rows. Its identity says which village it is: its households are reported under the name
the sample gave 前岗村's form, and the note names both the file and the village it holds."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import candidate, above, draw, fill_all, run, write_survey


def _county(tmp_path):
    rows = ([candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(3)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "1")
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    (tmp_path / "填好" / "合隆镇-东兴村-入户核查表.xlsx").unlink()  # 东兴村's form never came back


@pytest.mark.parametrize("how", ["renamed", "saved twice"])
def test_a_form_is_reported_by_its_identity_and_its_file_name_said_not_to_match(tmp_path, how):
    _county(tmp_path)
    forms = tmp_path / "填好"
    if how == "renamed":
        (forms / "合隆镇-前岗村-入户核查表.xlsx").rename(forms / "合隆镇-东兴村-入户核查表.xlsx")
    else:
        shutil.copy(forms / "合隆镇-前岗村-入户核查表.xlsx", forms / "合隆镇-东兴村-入户核查表.xlsx")
    said = "".join(run("backcheck", tmp_path / "筛查", forms, "-o", tmp_path / "核查结果").output.split())
    assert "合隆镇-东兴村-入户核查表.xlsx里是合隆镇前岗村的核查表(按核查表标识),文件名与内容不符" in said, said
    assert "结果中记为合隆镇-前岗村-入户核查表.xlsx;合隆镇东兴村自己的核查表不在交回的文件中" in said, said
    sheet = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["逐户比对"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert {r["核查表"] for r in rows if r["行政村"] == "前岗村"} == {"合隆镇-前岗村-入户核查表.xlsx"}, rows
    assert {r["核查表"] for r in rows if r["行政村"] == "东兴村"} == {"合隆镇-东兴村-入户核查表.xlsx(未交回)"}, rows


def test_a_form_named_for_its_village_says_nothing_of_its_name(tmp_path):
    _county(tmp_path)
    said = run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output
    assert "文件名与内容不符" not in said


def test_a_form_with_the_inspectors_name_after_its_own_says_nothing_of_its_name(tmp_path):
    """An outside try: 合隆镇-前岗村-王国华.xlsx (the inspector's name added) was said not to match its
    content. Its own name with words after it is the village's form; another village's name is not."""
    _county(tmp_path)
    forms = tmp_path / "填好"
    (forms / "合隆镇-前岗村-入户核查表.xlsx").rename(forms / "合隆镇-前岗村-入户核查表-王国华.xlsx")
    said = run("backcheck", tmp_path / "筛查", forms, "-o", tmp_path / "核查结果").output
    assert "文件名与内容不符" not in said, said
