"""What a Chinese input method types into a command line (an outside try, 2026-12-06): ——register and
－o were looked for as files (找不到这个文件或文件夹); 2019－12－02 was refused as a date while ２０１９-12-02
was read; a day typed without --date was only 多余的参数."""

from __future__ import annotations

import sqlite3

import pytest

from survey_builders import household, write_workbook
from years_builders import run
from field_checks import said


@pytest.fixture
def survey(tmp_path):
    return write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名=f"户{i}", 工资性收入=10000 + i) for i in range(3)])


@pytest.mark.parametrize("typed, meant", [("——register", "--register"), ("—register", "--register"),
                                          ("－o", "-o"), ("－－force", "--force")])
def test_an_option_typed_with_chinese_dashes_is_named_as_the_option_meant(tmp_path, survey, typed, meant):
    args = [typed, tmp_path / "农安县.db"] if "register" in typed else [typed, tmp_path / "结果"] \
        if typed == "－o" else [typed]
    result = run("screen", survey, *args, code=2)
    text = said(result)
    assert f"{typed}:选项要用半角的减号(英文输入法下的-)来写,这里应写作{meant}。" in text, result.output
    assert "找不到" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["合隆镇.xlsx"]


def test_a_day_typed_with_full_width_minus_is_the_day(tmp_path, survey):
    run("screen", survey, "-o", tmp_path / "out", "--register", tmp_path / "农安县.db", "--date", "2019－11－20")
    with sqlite3.connect(tmp_path / "农安县.db") as conn:
        assert conn.execute("SELECT round_date FROM rounds").fetchall() == [("2019-11-20",)]


def test_a_day_typed_without_its_option_is_told_to_go_after_date(tmp_path, survey):
    run("screen", survey, "-o", tmp_path / "out", "--register", tmp_path / "农安县.db", "--date", "2019-11-20")
    result = run("register", "next", tmp_path / "农安县.db", "2019-11-21", code=2)
    text = said(result)
    assert "多余的参数:2019-11-21。日期要写在--date后面:--date2019-11-21。" in text, result.output
    # Not said of a word that is no day.
    result = run("register", "next", tmp_path / "农安县.db", "文书", code=2)
    assert "--date" not in "".join(result.output.split()).split("运行")[0].split("多余的参数")[1], result.output
