"""A household an earlier round took off its list (民主评议 不同意, with the reason) comes back in next
year's round as a new candidate: changes.xlsx's note and the new 民主评议 list say when, at which step
and why. Before: neither did, and the village debated it again blind."""
from __future__ import annotations

import openpyxl

from test_years import person, sheet_rows
from years_builders import enter_everyone, run, survey


def test_a_household_taken_off_last_round_comes_back_with_why(tmp_path):
    db = tmp_path / "农安县.db"
    run("screen", survey(tmp_path / "2019.xlsx", [person("A"), person("C")]), "-o", tmp_path / "out2019",
        "--register", db, "--date", "2019-11-20")
    enter_everyone(tmp_path, db, turned_down={"户C": ("家中有经营性货车一辆", "2019-11-25")})
    run("screen", survey(tmp_path / "2020.xlsx", [person("A", 工资性收入=10500), person("C")]), "--year", "2020",
        "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    changes = {r["户主姓名"]: r for r in sheet_rows(tmp_path / "out2020" / "changes.xlsx", "变动名单")}
    note = next(v for k, v in changes["户C"].items() if isinstance(v, str) and "未纳入" in v)
    assert "上一轮(2019年)因民主评议未纳入(2019-11-25):家中有经营性货车一辆" in note, changes["户C"]
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "docs2020")
    review = sorted((tmp_path / "docs2020" / "1-民主评议").glob("*.xlsx"))[0]
    ws = openpyxl.load_workbook(review)["评议名单"]
    cells = [" ".join(str(v) for v in r if v is not None) for r in ws.iter_rows(values_only=True)]
    assert "此前未纳入" in " ".join(cells), cells
    line = next(c for c in cells if "户C" in c)
    assert "2019年民主评议未纳入(2019-11-25):家中有经营性货车一辆" in line, line
