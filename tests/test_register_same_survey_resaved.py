"""From an outside try (BK): a county screened onto a register, `register next` sent out the 民主评议
forms, then the same three workbooks were screened again, two byte for byte, one opened and saved
again in WPS (the same content, other bytes). edgescreen recorded round 2 and said round 1's forms
out were no longer taken: every form the villages were filling in was lost. The refusal of a run
twice looked at the files' SHA-256 before the households. Now the survey read the same (the same
households at the same places, the same figures and decisions, the same income year and rule set)
is refused whatever its bytes or file names; a household read otherwise is a new round as before."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, meeting
from survey_builders import make_id
from test_rescreen_same_files import rounds, said
from years_builders import run, survey

IDS = {k: make_id(birth=f"1966{m % 12 + 1:02d}{m:02d}", serial=500 + m) for m, k in enumerate("ABCDEFG", start=1)}
HELONG = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
HUAJIA = {"乡(镇)": "华家镇", "行政村": "东升村"}


def person(key: str, place: dict, **over) -> dict:
    return {**place, "户主姓名": f"户{key}", "户主身份证号": IDS[key], "户编号": f"HB{key}", **over}


# Candidates, one above the limit, and one invalid (its 家庭总收入 disagrees with its parts: no per capita).
HELONG_PEOPLE = [person("A", HELONG), person("B", HELONG, 工资性收入=10500), person("C", HELONG, 工资性收入=30000),
                 person("D", HELONG, 家庭总收入=20000)]
HUAJIA_PEOPLE = [person("E", HUAJIA), person("F", HUAJIA, 工资性收入=9900)]
SAME_CONTENT = "与第 1 轮(2019-12-02)筛查的调查表内容相同:同样的农户、同样的数字,只是文件重新保存过"
SAME_FILES = "第 1 轮筛查(2019-12-02,2019 年度)用的就是这次的调查文件,内容完全相同(SHA-256 一致)"


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resave(path: Path, **cells_of: dict) -> None:
    """Open the workbook and save it again as an office program does (other bytes); `cells_of` {head's
    name: {header: value}} typed over on the way."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header_name, value in cells_of.get(row[header.index("户主姓名")].value, {}).items():
            row[header.index(header_name)].value = value
    book.save(path)


@pytest.fixture
def forms_out(tmp_path, monkeypatch):
    """Round 1 screened from a folder of two townships' workbooks on 2019-12-02; the 民主评议 forms
    printed on 2019-12-03 and out in the villages, nothing recorded yet."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "调查表"
    folder.mkdir()
    survey(folder / "合隆镇.xlsx", HELONG_PEOPLE)
    survey(folder / "华家镇.xlsx", HUAJIA_PEOPLE)
    db = tmp_path / "农安县.db"
    run("screen", folder, "--register", db, "--date", "2019-12-02", "-o", tmp_path / "筛查1")
    docs = tmp_path / "文书"
    printed = said(run("register", "next", db, "--date", "2019-12-03", "-o", docs))
    assert "民主评议:2 份文书" in printed, printed
    resent = tmp_path / "重发"
    shutil.copytree(folder, resent)
    return {"tmp": tmp_path, "db": db, "folder": folder, "resent": resent, "docs": docs}


def screen_again(case: dict, *inputs, code: int, lang: str = "zh") -> str:
    return said(run("screen", *inputs, "--register", case["db"], "--date", "2019-12-04", "-o",
                    case["tmp"] / "筛查2", "--lang", lang, code=code))


def test_a_workbook_saved_again_is_refused_and_the_forms_out_are_still_taken(forms_out):
    case = forms_out
    resaved = case["resent"] / "合隆镇.xlsx"
    resave(resaved)
    assert sha(resaved) != sha(case["folder"] / "合隆镇.xlsx")
    before = rounds(case["db"])
    refused = screen_again(case, case["resent"], code=2)
    assert SAME_CONTENT in refused, refused
    # What to do: nothing new, round 1 goes on; a real re-survey is screened as its own.
    assert "登记簿没有改动" in refused and "register record" in refused, refused
    assert "确是重新调查 2019 年度,请用重新调查后的调查表,写 --year 2019" in refused, refused
    assert "已记录第 2 轮" not in refused and "不再受理(村里" not in refused, refused
    assert rounds(case["db"]) == before == [(1, 2019, "2019-12-02")]
    assert not (case["tmp"] / "筛查2").exists()
    english = screen_again(case, case["resent"], code=2, lang="en")
    assert "reads the same as the one screened as round 1 (2019-12-02)" in english, english
    # Round 1's forms out are still taken: the villages' meetings are recorded.
    forms = sorted((case["docs"] / "1-民主评议").glob("*.xlsx"))
    assert len(forms) == 2
    for form in forms:
        fill(form, default=("同意", ""), form=meeting("2019-12-05"))
    recorded = said(run("register", "record", case["db"], *forms))
    assert "已登记" in recorded, recorded
    assert rounds(case["db"]) == before


def test_the_same_survey_under_another_file_name_is_refused(forms_out):
    """A township re-sends its workbook under another name: byte for byte the round's file (the same
    SHA-256, said so), and saved again as well (the same content, said so)."""
    case = forms_out
    renamed = case["resent"] / "合隆镇(重发).xlsx"
    (case["resent"] / "合隆镇.xlsx").rename(renamed)
    before = rounds(case["db"])
    refused = screen_again(case, case["resent"], code=2)
    assert SAME_FILES in refused, refused
    # Given one by one, the renamed one first, and it saved again too.
    resave(renamed)
    refused = screen_again(case, renamed, case["resent"] / "华家镇.xlsx", code=2)
    assert SAME_CONTENT in refused and "合隆镇(重发).xlsx" in refused, refused
    assert rounds(case["db"]) == before


@pytest.mark.parametrize("change", ["amount", "head_id", "household_added", "household_missing"])
def test_a_household_read_otherwise_is_a_new_round_as_before(forms_out, change):
    """One amount typed anew (with its total), one head's ID put right, a household more or one less,
    in a workbook saved again: a new round, recorded, round 1's forms out said voided as before."""
    case = forms_out
    helong = case["resent"] / "合隆镇.xlsx"
    if change == "amount":
        resave(helong, 户B={"工资性收入": 10800, "家庭总收入": 10800})
    elif change == "head_id":
        resave(helong, 户A={"户主身份证号": IDS["G"]})
    elif change == "household_added":
        survey(helong, [*HELONG_PEOPLE, person("G", HELONG)])
    else:
        survey(helong, HELONG_PEOPLE[:-1])
    out = screen_again(case, case["resent"], code=0)
    assert "已记录第 2 轮筛查(2019-12-04)" in out, out
    assert SAME_CONTENT not in out and SAME_FILES not in out, out
    assert "第 1 轮已发出、尚未登记的文书共 2 份" in out, out
    assert rounds(case["db"]) == [(1, 2019, "2019-12-02"), (2, 2019, "2019-12-04")]
