"""A register's name typed wrong (an outside try, 2026-12-06): `screen … --register 农按县.db` beside
农安县.db made a second register without a word, and `register next 农按县.db` advised making one."""

from __future__ import annotations

import shutil


from survey_builders import household, write_workbook
from years_builders import run
from field_checks import said


def test_a_register_made_beside_another_says_the_name_may_be_mistyped(tmp_path):
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名=f"户{i}", 工资性收入=10000 + i) for i in range(3)])
    first = run("screen", survey, "-o", tmp_path / "out", "--register", tmp_path / "农安县.db", "--date", "2019-11-20")
    assert "已有登记簿" not in said(first)
    # A copy an upgrade kept, and a file that is no register, are not named.
    shutil.copy(tmp_path / "农安县.db", tmp_path / "农安县.升级前第6版.db")
    (tmp_path / "笔记.db").write_bytes(b"not a register")
    typo = tmp_path / "农按县.db"
    result = run("screen", survey, "-o", tmp_path / "out2", "--register", typo, "--date", "2019-11-20")
    text = said(result)
    assert f"新建登记簿{typo}。注意:同一文件夹里已有登记簿农安县.db。如果本想记入其中一个,是登记簿的名字打错了" in text, \
        result.output
    assert "升级前" not in text and "笔记" not in text

    missing = run("register", "next", tmp_path / "农按县2.db", code=2)
    text = said(missing)
    assert "找不到登记簿。同一文件夹里有登记簿农按县.db、农安县.db,是不是名字打错了?" in text, missing.output


def test_a_register_missing_where_none_is_beside_it_says_how_to_make_one(tmp_path):
    missing = run("register", "next", tmp_path / "农安县.db", code=2)
    text = said(missing)
    assert "找不到登记簿。第一次请用edgescreenscreen调查表.xlsx--register" in text and "打错" not in text, missing.output
