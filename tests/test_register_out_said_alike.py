"""What is out, said alike by `register next` and `register status`; a township's 花名册 titled as the
township's (outside try of 榆树市, 2026-12-06).

With only one township's 乡镇审核 form unreturned (in its folder), `next` said it kept, then 「另有 10 个村的
文书已发出、尚未登记 … 加 --reprint」: ten more documents, to print again. `status` (a county's overview)
said nothing of the form at all; only 进度.xlsx did. Now both read steps.documents_out: one form of one
township, of its villages, since its day. And `export --township` titled its second sheet (认定环节) for the
county alone."""

from __future__ import annotations

import openpyxl
import pytest

from register_builders import fill, meeting
from survey_builders import household, make_id, write_workbook
from test_register import DATES, FOLDERS, Walk, run

# Two townships of three villages, seven candidates each: six of them turned down at the meeting, so
# that the 42 villages and households taken off make `status` a county's overview (a line per township).
TOWNSHIPS = {"东岭镇": ["前进村", "红光村", "新民村"], "西河镇": ["河口村", "柳树村", "大岭村"]}
CANDIDATES = 7


def _said(result) -> str:
    return " ".join(result.output.split())


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """The county through its 第一次公示; both townships' 乡镇审核 forms printed into 文书/, 东岭镇's filled
    and recorded, 西河镇's held back (in its folder, as printed)."""
    tmp = tmp_path_factory.mktemp("out-said-alike")
    rows, i = [], 0
    for t, villages in TOWNSHIPS.items():
        for v in villages:
            for k in range(CANDIDATES):
                rows.append(household(**{"乡(镇)": t, "行政村": v, "村民小组": "1组", "户主姓名": f"户主{i:02d}",
                                         "户主身份证号": make_id(birth=f"1960{1 + i % 12:02d}{1 + i // 12:02d}", serial=i),
                                         "工资性收入": 9800 + 10 * k}))
                i += 1
    db = tmp / "县.db"
    run("screen", write_workbook(tmp / "县.xlsx", rows), "-o", tmp / "out", "--register", db, "--date", DATES["round"])
    for step in ("review", "verify", "publicity1"):
        run("register", "next", db, "--date", DATES[step], "-o", tmp / f"d-{step}")
        docs = sorted((tmp / f"d-{step}" / FOLDERS[step]).glob("*.xlsx"))
        for p in docs:
            if step == "review":  # the first of each village kept on the list, the others taken off
                fill(p, default=("不同意", "家中有小轿车"), decisions={1: ("同意", "")}, form=meeting("2019年11月25日"))
            elif step == "verify":
                fill(p, default=("属实", ""), rows={"核实人": "张乡长", "核实日期": "2019-11-27"})
        run("register", "record", db, *docs)  # the 公示 as printed: no objection
    folder = tmp / "文书"
    run("register", "next", db, "--date", DATES["township_review"], "-o", folder)
    east = folder / FOLDERS["township_review"] / "东岭镇-乡镇审核.xlsx"
    fill(east, default=("通过", ""), form={"审核日期": DATES["township_date"], "审核人姓名": "李明"})
    run("register", "record", db, east)
    return tmp, db, folder


def test_next_says_the_late_townships_form_once_as_one_form_of_its_villages(county):
    tmp, db, folder = county
    said = _said(run("register", "next", db, "--date", DATES["publicity2"], "-o", folder, "--force"))
    assert "第二次公示:3 份文书,3 户" in said, said
    # Kept, and whose: one form, 西河镇's, of its three villages, printed on 12-08.
    assert (f"乡镇审核:1 份已发出、尚未登记的文书原样保留在 {folder / FOLDERS['township_review']}"
            "(西河镇,含 3 个村,2019年12月8日发出)") in said, said
    # Said once: no second count as villages, nothing to print again while its file is in its folder.
    assert said.count("西河镇") == 1 and "个村的文书已发出" not in said and "另有" not in said, said
    assert "--reprint" not in said, said


def test_next_with_nothing_due_counts_the_documents_out_and_where_they_are(county):
    tmp, db, folder = county
    run("register", "next", db, "--date", DATES["publicity2"], "-o", folder, "--force")  # as the test above
    here = _said(run("register", "next", db, "--date", DATES["publicity2"], "-o", folder))
    assert "没有到期要发出的文书" in here, here
    assert "乡镇审核:西河镇的文书已发出、尚未登记(1 份,含 3 个村,2019年12月8日发出)" in here, here
    assert "第二次公示:3 个村的文书已发出、尚未登记(东岭镇前进村、红光村、新民村,2019年12月11日发出)" in here, here
    assert f"文件在 {folder} 里" in here and "--reprint" not in here, here
    # Asked for another folder, which holds none of them: a file lost is printed again with --reprint.
    elsewhere = _said(run("register", "next", db, "--date", DATES["publicity2"], "-o", tmp / "别处"))
    assert "乡镇审核:西河镇的文书已发出、尚未登记(1 份,含 3 个村,2019年12月8日发出)" in elsewhere, elsewhere
    assert f"文件不在 {tmp / '别处'} 里" in elsewhere and "加 --reprint 重新打印" in elsewhere, elsewhere
    assert "4 个村" not in elsewhere and "另有" not in elsewhere, elsewhere


def test_a_countys_status_names_the_form_out_as_next_does(county):
    tmp, db, folder = county
    run("register", "next", db, "--date", DATES["publicity2"], "-o", folder, "--force")  # as the tests above
    said = _said(run("register", "status", db, "--as-of", DATES["publicity2"], "-o", tmp / "进度.xlsx"))
    assert "西河镇:3 个村,初选 21 户,名单上 3 户,移出 18 户" in said and "东岭镇前进村:" not in said, said  # the overview
    assert "乡镇审核:西河镇的文书已发出、尚未登记(1 份,含 3 个村,2019年12月8日发出)" in said, said
    assert said.count("西河镇的文书") == 1, said
    # As 进度.xlsx says it of each of its villages.
    sheet = openpyxl.load_workbook(tmp / "进度.xlsx").worksheets[0]
    rows = [[str(c) for c in r if c is not None] for r in sheet.iter_rows(values_only=True)]
    west = [r for r in rows if "西河镇" in r]
    assert len(west) == 3 and all("「乡镇审核」文书已发出,待登记" in r for r in west), west


def test_a_townships_roster_titles_its_steps_sheet_with_the_township(tmp_path):
    walk = Walk(tmp_path)
    walk.through("announcement")
    for options, place in ((["--township", "合隆镇"], "合隆镇"), (["--township", "合隆镇", "--village", "前岗村"], "合隆镇前岗村")):
        path = tmp_path / f"花名册-{place}.xlsx"
        run("register", "export", walk.db, "-o", path, *options)
        book = openpyxl.load_workbook(path)
        roster, steps = book.worksheets[0], book.worksheets[1]
        assert roster["A1"].value.startswith(f"农安县{place}"), roster["A1"].value
        assert steps["A1"].value.startswith(f"农安县{place}贫困边缘户认定环节"), steps["A1"].value
        assert f"农安县{place}贫困边缘户认定环节" in steps.oddHeader.center.text, steps.oddHeader.center.text
    whole = tmp_path / "花名册.xlsx"
    run("register", "export", walk.db, "-o", whole)
    assert openpyxl.load_workbook(whole).worksheets[1]["A1"].value.startswith("农安县贫困边缘户认定环节")
