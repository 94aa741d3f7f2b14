"""Four small things a county met with its register (outside tries M and N), each through the command
line: last year's form, recorded then, handed in again with this year's is passed over, not a refusal
of the batch; the county's one 县级复审 form and a folder of measure forms end with their totals;
register next counts with the thousands separator; the 花名册 says that the exit procedure kept a
household above the bound (不同意, 不属实), not that it has not left yet."""

from __future__ import annotations

import shutil

import openpyxl
import test_years
from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from test_register import _by_name
from test_years import MEASURES, copy_db, fill_measures, sheet_rows
from years_builders import STEPS, fill_step, run

REFUSED_AS_LAST_YEARS = "上面填的内容今年一概不登记"


# test_years' small county as a fixture here: 前岗村 and 后岗村 registered in 2019, screened again in 2020.
county = test_years.county


def _exit_review(db, tmp_path, decisions: dict[str, tuple[str, str]]):
    """2020's exit review of 前岗村 printed on 2020-11-23 and filled in: `decisions` {head: (word, reason)},
    the others 同意."""
    run("register", "next", db, "--date", "2020-11-23", "-o", tmp_path / "exit-1")
    review = sorted((tmp_path / "exit-1" / "退出1-民主评议").glob("*.xlsx"))[0]
    seq = {r["户主姓名"]: r["序号"] for r in sheet_rows(review, "退出评议名单")}
    fill(review, decisions={seq[name]: said for name, said in decisions.items()}, default=("同意", ""),
         form=meeting("2020-11-25"))
    return review


def _last_years_verify_forms(county):
    """The 2019 入户核实 forms as recorded then, byte for byte."""
    return sorted((county["tmp"] / "docs-2019-verify" / STEPS["verify"][1]).glob("*.xlsx"))


def test_last_years_form_recorded_then_is_passed_over_and_this_years_forms_recorded(county, tmp_path):
    """Try M: 后岗村入户核实表.xlsx, the very file recorded in 2019, in a folder with 2020's forms: exit 2,
    "是 2019年度(第 1 轮)筛查的文书……上面填的内容今年一概不登记", and the good forms not recorded either."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    review = _exit_review(db, tmp_path, {})
    old = [shutil.copy(p, tmp_path / f"交回-{p.name}") for p in _last_years_verify_forms(county)]
    said = " ".join(run("register", "record", db, review, *old).output.split())
    assert REFUSED_AS_LAST_YEARS not in said, said
    for p in old:
        assert f"{p.name}:入户核实," in said and "2019年度(第 1 轮)已登记过,无须再登记" in said, said
    assert "退出民主评议" in said and "共 3 个文件:登记 1 个、没有改动 2 个" in said, said
    # The exit review is recorded: the next step's forms are due.
    nxt = run("register", "next", db, "--date", "2020-11-26", "-o", tmp_path / "exit-2").output
    assert "退出入户核实" in nxt, nxt


def test_last_years_form_saved_again_with_its_content_as_recorded_is_passed_over(county, tmp_path):
    """Opened and saved again (other bytes), its content as recorded in 2019: passed over alike."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    again = shutil.copy(_last_years_verify_forms(county)[0], tmp_path / "又存了一次.xlsx")
    book = openpyxl.load_workbook(again)
    book.save(again)
    said = " ".join(run("register", "record", db, again).output.split())
    assert "2019年度(第 1 轮)已登记过,无须再登记" in said and REFUSED_AS_LAST_YEARS not in said, said


def test_last_years_form_with_other_content_is_still_refused(county, tmp_path):
    """What 2019's form says otherwise now is last year's round: refused, as before."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    changed = shutil.copy(_last_years_verify_forms(county)[0], tmp_path / "改过.xlsx")
    fill(changed, default=("不属实", "家中有小轿车"), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
    said = " ".join(run("register", "record", db, changed, code=2).output.split())
    assert REFUSED_AS_LAST_YEARS in said and "已登记过,无须再登记" not in said, said


def test_the_countys_review_form_ends_with_its_total_line(tmp_path):
    """Try N: every step's folder ended "乡镇审核:登记 … 保留 … 移出 …"; the county's one 县级复审
    file had its file's line only (one file: no totals), not how many stay on the list."""
    people = [household(**{"乡(镇)": "合隆镇", "行政村": v, "户主姓名": f"户{v}{k}", "工资性收入": 10500,
                           "户主身份证号": make_id(birth=f"1970010{k + 1}", serial=500 + 10 * i + k)})
              for i, v in enumerate(["前岗村", "青山村"]) for k in range(3)]
    db = tmp_path / "县.db"
    run("screen", write_workbook(tmp_path / "2019.xlsx", people), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    for step, (date, folder) in list(STEPS.items())[:5]:
        run("register", "next", db, "--date", date, "-o", tmp_path / step)
        docs = sorted((tmp_path / step / folder).glob("*.xlsx"))
        for doc in docs:
            fill_step(step, doc)
        run("register", "record", db, *docs)
    date, folder = STEPS["county_review"]
    run("register", "next", db, "--date", date, "-o", tmp_path / "county")
    [form] = (tmp_path / "county" / folder).glob("*.xlsx")
    fill(form, decisions=_by_name(form, {"户前岗村0": ("不通过", "家中有小轿车")}), default=("通过", ""),
         form={"复审日期": "2019-12-20", "复审人姓名": "李主任"})
    said = " ".join(run("register", "record", db, form).output.split())
    assert "县级复审:登记 6 户,名单上保留 5 户,移出 1 户(不通过)。" in said, said


def test_a_folder_of_measure_forms_ends_with_the_measures_recorded_and_those_without(county, tmp_path):
    """Try N: 200 forms ended "200 个文件已登记…", not how many measures were recorded. Here two villages'
    forms: 9 measures, 户C, 户E and 户L with none."""
    db = copy_db(county["registered"], tmp_path / "农安县.db")
    run("register", "measures", db, "--date", "2020-01-05", "-o", tmp_path / "forms")
    forms = fill_measures(tmp_path / "forms", MEASURES)
    said = " ".join(run("register", "record", db, *forms).output.split())
    assert "帮扶措施:登记 9 项措施(其中更改已登记的措施 0 项),表上仍有 3 户没有任何帮扶措施。" in said, said


def test_register_next_counts_with_the_thousands_separator(tmp_path):
    """Try N: "民主评议:200 份文书,8796 户" where the screen says 8,796."""
    people = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": f"户{k}", "工资性收入": 10500,
                           "户主身份证号": make_id(birth=f"19{50 + k // 365 % 40}0101", serial=k % 1000)})
              for k in range(1000)]
    db = tmp_path / "县.db"
    run("screen", write_workbook(tmp_path / "2019.xlsx", people), "-o", tmp_path / "out", "--register", db,
        "--date", "2019-11-20")
    said = " ".join(run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "d1").output.split())
    assert "民主评议:1 份文书,1,000 户" in said, said


def test_the_roster_says_the_exit_procedure_kept_a_household_above_the_bound(county, tmp_path):
    """Try N: 210 households the village kept (不同意 at the exit review, 不属实 at its visit) read
    "2020年人均纯收入已达到收入上限,尚未退出(是否满足退出条件见 changes.xlsx)" in the 花名册."""
    db = copy_db(county["db"], tmp_path / "农安县.db")
    review = _exit_review(db, tmp_path, {"户B": ("不同意", "儿子刚失业,收入不稳")})
    run("register", "record", db, review)
    export = tmp_path / "花名册.xlsx"
    run("register", "export", db, "-o", export)
    rows = {r["户主姓名"]: r for r in sheet_rows(export, "花名册")}
    gap = rows["户B"]["帮扶缺口"]
    assert gap.startswith("2020年人均纯收入已达到收入上限,经退出程序保留(退出民主评议:不同意)"), gap
    assert "尚未退出" not in gap
    # 户C, above the bound with no exit of his recorded, reads as before.
    assert rows["户C"]["帮扶缺口"].startswith("2020年人均纯收入已达到收入上限,尚未退出"), rows["户C"]["帮扶缺口"]
