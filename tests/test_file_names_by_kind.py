"""A village's files in every folder a county run writes have names of their own: Excel opens no two
workbooks of one name at once, even from different folders (已经打开了一个名为…的文档), and files
gathered in one WeChat folder become …(1).xlsx. The review list keeps 合隆镇-前岗村.xlsx; every other
file (a check's fix list, the notice, the register's documents, the spot check's form) says its kind after the place (-公示, -问题清单, -民主评议, -入户核实, -入户核查表). Before, all
were 合隆镇-前岗村.xlsx. A document is recorded by its identity, whatever its name: one printed
before names said their kind (合隆镇-前岗村.xlsx) is recorded as it was."""
from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter

from register_builders import fill, meeting
from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, draw, fill_all, write_survey
from survey_builders import household, write_workbook
from test_register import IDS, PEOPLE, run


def _county(tmp_path):
    """test_register's county, and in 前岗村 a household whose ID is cut short (an issue for its fix list)."""
    rows = [household(**{"乡(镇)": t, "行政村": v, "村民小组": g, "户主姓名": name, "户主身份证号": IDS[name],
                         "工资性收入": wage, "主要困难": "缺技术"}) for t, v, g, name, wage in PEOPLE]
    rows.append(household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "村民小组": "3组", "户主姓名": "错号",
                             "户主身份证号": "2201221960", "工资性收入": 10000}))
    return write_workbook(tmp_path / "农安县.xlsx", rows)


def test_a_villages_files_in_every_folder_have_names_of_their_own(tmp_path):
    db = tmp_path / "农安县.db"
    survey = _county(tmp_path)
    run("check", survey, "-o", tmp_path / "检查", code=1)  # 1: an error to fix before sending
    run("screen", survey, "-o", tmp_path / "筛查", "--register", db, "--date", "2019-11-20",
        "--publicity-start", "2019-11-22")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "文书")
    reviews = sorted((tmp_path / "文书" / "1-民主评议").glob("*.xlsx"))
    assert [p.name for p in reviews] == ["合隆镇-前岗村-民主评议.xlsx", "合隆镇-青山村-民主评议.xlsx",
                                         "烧锅镇-三宝村-民主评议.xlsx"]
    for p in reviews:
        fill(p, default=("同意", ""), form=meeting("2019年11月25日"))
    # One named as documents were before names said their step: recorded by what it is, no note.
    before = reviews[1].with_name("合隆镇-青山村.xlsx")
    reviews[1].rename(before)
    said = run("register", "record", db, reviews[0], before, reviews[2]).output
    assert "文件名" not in said, said
    run("register", "next", db, "--date", "2019-11-26", "-o", tmp_path / "文书2")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "1", "--listed-rate", "1",
        "--unlisted-rate", "1")

    files = [p.relative_to(tmp_path).as_posix() for folder in ("检查", "筛查", "文书2", "抽查")
             for p in sorted((tmp_path / folder).rglob("*.xlsx"))] + [f"文书/1-民主评议/{p.name}" for p in reviews]
    for name in ("筛查/villages/合隆镇-前岗村.xlsx", "筛查/publicity/合隆镇-前岗村-公示.xlsx",
                 "检查/quality-villages/合隆镇-前岗村-问题清单.xlsx", "文书/1-民主评议/合隆镇-前岗村-民主评议.xlsx",
                 "文书2/2-入户核实/合隆镇-前岗村-入户核实.xlsx", "抽查/入户核查表/合隆镇-前岗村-入户核查表.xlsx"):
        assert name in files, files
    # No two of the villages' files of all the folders share a name (as Windows compares them, without
    # case); a county's own files (quality.xlsx of a check and of a screen) are not a village's.
    villages = [f for f in files if f.rsplit("/", 1)[-1].startswith(("合隆镇-", "烧锅镇-"))]
    assert len(villages) == 3 * 5 + 1, villages  # 3 villages in 5 folders, and 前岗村's fix list
    names = Counter(f.rsplit("/", 1)[-1].casefold() for f in villages)
    assert [n for n, count in names.items() if count > 1] == [], villages


def test_a_form_named_for_another_village_is_still_said_with_the_step_in_its_name(tmp_path):
    """A form saved under another village's name (合隆镇-青山村-民主评议.xlsx) is recorded for its own
    village, with a note naming the village its name says: the step's word is no part of the place."""
    db = tmp_path / "农安县.db"
    run("screen", _county(tmp_path), "-o", tmp_path / "筛查", "--register", db, "--date", "2019-11-20")
    run("register", "next", db, "--date", "2019-11-21", "-o", tmp_path / "文书")
    folder = tmp_path / "文书" / "1-民主评议"
    qiangang = folder / "合隆镇-前岗村-民主评议.xlsx"
    fill(qiangang, default=("同意", ""), form=meeting(dt.date(2019, 11, 25).isoformat()))
    elsewhere = tmp_path / "发回" / "合隆镇-青山村-民主评议.xlsx"
    elsewhere.parent.mkdir()
    shutil.move(qiangang, elsewhere)
    said = " ".join(run("register", "record", db, elsewhere).output.split())
    assert "文件名「合隆镇-青山村-民主评议.xlsx」写的是合隆镇青山村" in said, said


def test_a_spot_form_named_as_forms_were_before_is_its_villages(tmp_path):
    """A form of a sample drawn before forms said their kind is 合隆镇-前岗村.xlsx: its village's own name,
    nothing said of it; the old name of another village is still said not to match."""
    rows = ([candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(3)]
            + [candidate("东兴村", "丙") for _ in range(2)] + [above("东兴村", "丁") for _ in range(3)])
    run("screen", write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows}), "-o", tmp_path / "筛查")
    draw(tmp_path, "抽查", "--seed", "11", "--listed-rate", "1", "--unlisted-rate", "1")
    forms = tmp_path / "填好"
    fill_all(tmp_path / "抽查", forms)
    assert sorted(p.name for p in forms.iterdir()) == ["合隆镇-东兴村-入户核查表.xlsx", "合隆镇-前岗村-入户核查表.xlsx"]
    (forms / "合隆镇-前岗村-入户核查表.xlsx").rename(forms / "合隆镇-前岗村.xlsx")
    said = run("backcheck", tmp_path / "筛查", forms, "-o", tmp_path / "核查结果").output
    assert "文件名与内容不符" not in said, said

    (forms / "合隆镇-东兴村-入户核查表.xlsx").unlink()
    shutil.copy(forms / "合隆镇-前岗村.xlsx", forms / "合隆镇-东兴村.xlsx")
    said = "".join(run("backcheck", tmp_path / "筛查", forms, "-o", tmp_path / "核查结果2").output.split())
    assert "合隆镇-东兴村.xlsx里是合隆镇前岗村的核查表(按核查表标识),文件名与内容不符" in said, said
    assert "合隆镇东兴村自己的核查表不在交回的文件中" in said, said
