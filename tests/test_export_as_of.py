"""register export --as-of: the 花名册 of a day gone by (a county preparing its year-end report in January
needs the roster as of 12-31). Before: export had no --as-of, and always listed the register, and
dated it, as of the day it was run. Now it lists the households on the register that day, the
measures begun by then and the gaps then, its title and every page's header saying 截至 that day;
a day to come, a day before anyone entered and a day before the latest round's survey are refused.

And each measure's 金额 where one was recorded (产业扶持 5,000 元): before, the 花名册 left it out,
which the measure form prints in a column of its own."""

from __future__ import annotations

import openpyxl
import pytest

from test_measures_returned import registered_county
from test_years import PEOPLE_2020, copy_db, sheet_rows
from years_builders import MeasureForm, REGISTERED_ON, run, survey

# 户A's and 户D's measures have an amount; 户B's begins after the day asked for; 户M's has none.
AS_OF = "2020-06-30"


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    """test_years' county on the register from 2019-12-27, with four measures recorded on the form of
    2020-01-05."""
    registered = registered_county(tmp_path_factory, "export_as_of")
    tmp = registered.parent.parent
    db = copy_db(registered, tmp / "measured" / "农安县.db")
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp / "forms")
    for path in sorted((tmp / "forms").glob("*.xlsx")):
        form = MeasureForm(path)
        for name, cells in (("户A", dict(帮扶类型="产业扶持", 帮扶内容="庭院经济", 开始日期="2020-03-01", 金额=5000)),
                            ("户B", dict(帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-08-01")),
                            ("户D", dict(帮扶类型="教育", 帮扶内容="助学", 开始日期="2020-03-01", 金额=1234.5)),
                            ("户M", dict(帮扶类型="小额信贷", 帮扶内容="5万元贴息贷款", 开始日期="2020-04-01"))):
            if form.rows_of(name):
                form.add(name, 帮扶责任人="王干部", **cells)
        form.save()
        run("register", "record", db, path)
    return db


def roster(path) -> dict[str, dict]:
    return {r["户主姓名"]: r for r in sheet_rows(path, "花名册") if r.get("户主姓名")}


def test_the_roster_as_of_a_day_gone_by_lists_what_was_then_and_says_the_day(measured, tmp_path):
    then = tmp_path / "花名册-2020-06-30.xlsx"
    said = run("register", "export", measured, "-o", then, "--as-of", AS_OF).output
    assert "花名册:12 户" in said, said
    rows = roster(then)
    assert len(rows) == 12
    # The measure begun by then, with its amount; 户B's begins in August: on 06-30 it had none, a gap.
    assert rows["户A"]["帮扶措施"] == "产业扶持:庭院经济,5,000元(2020-03-01起)", rows["户A"]
    assert not rows["户B"]["帮扶措施"], rows["户B"]
    assert rows["户B"]["帮扶缺口"].startswith("纳入超过 30 天仍无帮扶措施"), rows["户B"]
    # A measure without an amount reads as it did.
    assert rows["户M"]["帮扶措施"] == "小额信贷:5万元贴息贷款(2020-04-01起)", rows["户M"]
    ws = openpyxl.load_workbook(then)["花名册"]
    assert ws["A1"].value == "农安县贫困边缘户花名册(2019年度,截至2020年6月30日)", ws["A1"].value
    assert ws["A2"].value.startswith("截至 2020年6月30日 共 12 户"), ws["A2"].value
    assert "截至2020年6月30日" in ws.oddHeader.center.text  # on every printed page
    steps = openpyxl.load_workbook(then)["认定环节"]
    assert "截至2020年6月30日" in steps["A1"].value


def test_the_roster_prints_each_measures_amount_where_one_was_recorded(measured, tmp_path):
    """Without --as-of: today's roster, 户B's measure begun since, no 截至 in the title; the amounts in
    yuan with separators (the fen only where there are some), a measure without one as it was."""
    now = tmp_path / "花名册.xlsx"
    run("register", "export", measured, "-o", now)
    rows = roster(now)
    assert rows["户A"]["帮扶措施"] == "产业扶持:庭院经济,5,000元(2020-03-01起)", rows["户A"]
    assert rows["户D"]["帮扶措施"] == "教育:助学,1,234.50元(2020-03-01起)", rows["户D"]
    assert rows["户B"]["帮扶措施"] == "技术指导:种植技术培训(2020-08-01起)", rows["户B"]
    assert rows["户M"]["帮扶措施"] == "小额信贷:5万元贴息贷款(2020-04-01起)", rows["户M"]
    assert "截至" not in openpyxl.load_workbook(now)["花名册"]["A1"].value
    english = tmp_path / "register.xlsx"
    run("register", "export", measured, "-o", english, "--lang", "en")
    cells = [c.value for r in openpyxl.load_workbook(english).worksheets[0].iter_rows() for c in r]
    assert any(isinstance(v, str) and v.endswith(": 庭院经济, 5,000 yuan (from 2020-03-01)") for v in cells), cells


def test_a_day_nobody_was_on_the_register_or_to_come_is_refused(measured, tmp_path):
    out = tmp_path / "花名册.xlsx"
    before = " ".join(run("register", "export", measured, "-o", out, "--as-of", "2019-12-26", code=2).output.split())
    assert "那一天登记簿上还没有在册农户" in before and REGISTERED_ON in before, before
    # The day they entered: every household, as the 公告's last day counts.
    assert "花名册:12 户" in run("register", "export", measured, "-o", out, "--as-of", REGISTERED_ON).output
    out.unlink()
    ahead = " ".join(run("register", "export", measured, "-o", out, "--as-of", "2999-01-01", code=2).output.split())
    assert "--as-of 2999-01-01:晚于今天" in ahead, ahead
    assert not out.exists()


def test_a_day_before_the_latest_rounds_survey_is_refused(measured, tmp_path):
    """The roster's income and survey year are the latest round's: a day before that survey would show
    figures that did not exist yet."""
    db = copy_db(measured, tmp_path / "农安县.db")
    run("screen", survey(tmp_path / "2020调查表.xlsx", PEOPLE_2020), "--year", "2020", "-o", tmp_path / "out2020",
        "--register", db, "--date", "2020-11-20")
    refused = " ".join(run("register", "export", db, "-o", tmp_path / "x.xlsx", "--as-of", AS_OF,
                           code=2).output.split())
    assert "--as-of 2020-06-30 早于第 2 轮筛查(2020年度,2020-11-20)" in refused, refused
    assert "花名册:" in run("register", "export", db, "-o", tmp_path / "年末.xlsx", "--as-of", "2020-12-31").output
    assert "(2020年度,截至2020年12月31日)" in openpyxl.load_workbook(tmp_path / "年末.xlsx")["花名册"]["A1"].value
