"""`register next` printing, for one village, documents of several steps at once (a new candidate's
review, an exit review, the 未调查户核实 form): each in its step's folder, and each with a file name
of its own. Before: all were named 合隆镇-前岗村.xlsx, and gathered into one folder (WeChat, a USB
stick) one overwrote another."""
from __future__ import annotations

from collections import Counter

from survey_builders import make_id
from test_years import PEOPLE_2020, ROUND_2020, VILLAGE, copy_db, county  # noqa: F401  (county: a fixture)
from years_builders import run, survey


def test_one_villages_documents_of_different_steps_have_different_file_names(county, tmp_path):  # noqa: F811
    db = copy_db(county["measured"], tmp_path / "农安县.db")
    new_here = {**VILLAGE, "户主姓名": "户N", "户主身份证号": make_id(birth="19850505", serial=392), "户编号": "HBN"}
    source = survey(tmp_path / "2020调查表.xlsx", [*PEOPLE_2020, new_here])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out", "--register", db, "--date", ROUND_2020)
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "docs")
    issued = sorted(p.relative_to(tmp_path / "docs").as_posix() for p in (tmp_path / "docs").rglob("*.xlsx"))
    names = Counter(p.rsplit("/", 1)[-1] for p in issued)
    assert all(n == 1 for n in names.values()), issued
    # Each says its step after the place.
    assert "1-民主评议/合隆镇-前岗村-民主评议.xlsx" in issued, issued
    assert "退出1-民主评议/合隆镇-前岗村-退出民主评议.xlsx" in issued, issued
    assert "未调查户核实/合隆镇-前岗村-未调查户核实.xlsx" in issued, issued
