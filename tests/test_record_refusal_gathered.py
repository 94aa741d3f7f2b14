"""`register record` refusing a county's batch of village forms (an outside try: 121 villages' 民主评议).
Before: the same explanation file by file (116 files with 同意 in the wrong column, 900 lines), and
with 40 of 121 files wrong, the 81 good ones held up with no word of which to set aside. Now a problem
alike on several files is said once with its files, and the end names the files with problems so that
the others can be recorded now; a single bad file reads as before."""
from __future__ import annotations

import shutil

import pytest

from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from test_register import dump, run

# Twelve villages in three townships, two candidate households each.
TOWNS = {"合隆镇": ["前岗村", "青山村", "后岗村", "新立村"], "烧锅镇": ["三宝村", "四合村", "永安村", "红旗村"],
         "万顺乡": ["东林村", "西林村", "南山村", "北山村"]}
VILLAGES = [(t, v) for t, vs in TOWNS.items() for v in vs]


def flat(text: str) -> str:
    return " ".join(text.split())


def tight(text: str) -> str:
    """Chinese as wrapped at 80 columns, read whole: no spaces at all (a line may break inside a word)."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The county screened onto a register, its 民主评议 forms printed: (register, the forms)."""
    tmp_path = tmp_path_factory.mktemp("gathered")
    rows, n = [], 0
    for t, v in VILLAGES:
        for g in ("1组", "2组"):
            n += 1
            rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": f"{v[:2]}户{g[0]}",
                                     "户主身份证号": make_id(birth=f"1960{1 + n % 12:02d}{10 + n % 18}", serial=100 + n),
                                     "工资性收入": 9800 + 50 * n}))
    survey = write_workbook(tmp_path / "农安县.xlsx", rows)
    db = tmp_path / "农安县.db"
    run("screen", survey, "-o", tmp_path / "out", "--register", db, "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "docs")
    forms = sorted((tmp_path / "docs" / "1-民主评议").glob("*.xlsx"))
    assert len(forms) == len(VILLAGES), forms
    return db, forms


@pytest.fixture()
def county(printed, tmp_path):
    """A copy of the printed county for one test to fill and record."""
    db, forms = printed
    shutil.copy(db, tmp_path / db.name)
    shutil.copytree(forms[0].parent, tmp_path / "1-民主评议")
    return tmp_path / db.name, [tmp_path / "1-民主评议" / p.name for p in forms]


def test_the_same_mistake_on_every_village_form_is_said_once_naming_every_file(county):
    db, forms = county
    for p in forms:  # every village writes 待定 on its rows, not a decision
        fill(p, default=("待定", ""), form=meeting("2019年11月25日"))
    before = dump(db)
    said = run("register", "record", db, *forms, code=2, columns=80).output
    assert dump(db) == before
    assert len(said.splitlines()) <= 30, said  # file by file: 24 rows, 12 files, each wrapped
    text = flat(said)
    assert "12 个文件中有 24 处问题" in text and "下面列为 1 条" in text, said
    assert tight(said).count("只能填「同意」或「不同意」") == 1, said  # the explanation once
    assert "12个文件的「评议名单」" in tight(said) and "(共24户)" in tight(said), said
    for t, vs in TOWNS.items():  # every file named: by township, the step's ending said once
        assert f"{t}:" in said, said
        for v in vs:
            assert f"{v}(第4-5行)" in tight(said), said
    assert "乡镇-村-民主评议.xlsx" in tight(said), said
    assert "可以先登记" not in text, said  # no file is fine: nothing to record first
    # In English too.
    en = flat(run("register", "record", db, *forms, "--lang", "en", code=2, columns=80).output)
    assert "The same problem in column" in en and "in 12 files (24 households)" in en, en
    assert en.count("write agree or disagree") == 1 and "entries listed below: 1" in en, en


def test_some_bad_files_are_named_to_set_aside_and_the_rest_then_record(county, tmp_path):
    db, forms = county
    bad = forms[:5]
    for p in forms:
        fill(p, default=("同意", ""), form=meeting("2018年11月25日" if p in bad else "2019年11月25日"))
    before = dump(db)
    said = run("register", "record", db, forms[0].parent, code=2, columns=80).output
    assert dump(db) == before  # all or nothing, as documented
    text = flat(said)
    assert "5 个文件中有 5 处问题" in text, said
    assert tight(said).count("早于本轮筛查的日期") == 1, said  # the sentence once, not five times
    assert "没有问题的7个文件可以先登记:把下面5个有问题的文件移出这个文件夹" in tight(said), said
    end = tight(said.split("可以先登记")[1])
    for p in forms:  # the bad files named at the end, the good ones not
        village = p.name.split("-")[1]
        assert (village in end) == (p in bad), (p.name, said)
    assert len(said.splitlines()) <= 20, said
    # The clerk moves them out, and the folder records.
    aside = tmp_path / "待改"
    aside.mkdir()
    for p in bad:
        shutil.move(p, aside / p.name)
    done = run("register", "record", db, forms[0].parent).output
    assert "登记簿没有任何改动" not in done and "已登记" in done, done
    assert dump(db) != before


def test_a_single_bad_file_reads_as_before(county):
    db, forms = county
    for p in forms:
        fill(p, default=("同意", ""), form=meeting("2018年11月25日" if p == forms[0] else "2019年11月25日"))
    text = flat(run("register", "record", db, *forms, code=2, columns=80).output)
    assert "1 个文件中有 1 处问题。其余 11 个文件未发现问题" in text, text
    assert f"{forms[0].name} 「会议记录」" in text, text
    assert "同样的问题" not in text and "可以先登记" not in text, text


def test_past_the_files_shown_the_rest_are_counted_and_all_problems_names_them(county, monkeypatch):
    from edgescreen.register import steps

    monkeypatch.setattr(steps, "ALIKE_FILES_SHOWN", 5)  # the county's 40 files shown, at twelve villages' size
    db, forms = county
    for p in forms:
        fill(p, default=("待定", ""), form=meeting("2019年11月25日"))
    said = tight(run("register", "record", db, *forms, code=2, columns=80).output)
    assert "另有7个文件(加--all-problems再运行,列出全部)" in said, said
    shown = [v for vs in TOWNS.values() for v in vs if f"{v}(第4-5行)" in said]
    assert len(shown) == 5, said
    every = tight(run("register", "record", db, *forms, "--all-problems", code=2, columns=80).output)
    assert all(f"{v}(第4-5行)" in every for vs in TOWNS.values() for v in vs), every
    assert "另有" not in every and "12个文件中有24处问题" in every, every
