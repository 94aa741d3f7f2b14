"""`register record` messages that led a clerk into a wrong record (an outside try, H8): another
village's 公示 copied into a workbook (its objection taken for a 漏评 here), the version an --amend
replaced returned again (told to amend it back), a 漏评 against a household the round's survey
screened out (told to survey it), a row deleted on the 公告 (told only not to), and last year's form
(told to copy its results onto this year's)."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl

from register_builders import fill, table_rows
from test_register import DATES, Walk, _by_name, dump, refused, run


def flat(text: str) -> str:
    return "".join(text.split())


def _paste_sheets(source: Path, target: Path) -> None:
    """Another village's 公示 sheets copied into `target` as WPS copies them: each sheet's values
    under its name with " (2)" after it (the hidden identity sheet stays behind)."""
    src = openpyxl.load_workbook(source)
    dst = openpyxl.load_workbook(target)
    for ws in src.worksheets:
        if ws.sheet_state != "visible":
            continue
        copy = dst.create_sheet(f"{ws.title} (2)")
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    copy.cell(c.row, c.column).value = c.value
    dst.save(target)


def _objection_on(path: Path, sheet: str, values: tuple) -> None:
    """An objection typed on `sheet` (名单序号, 户主姓名, 异议内容, 处理结果, 处理日期), below its header."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    header = next(r[0].row for r in ws.iter_rows() if any(c.value == "户主姓名" for c in r))
    for j, value in enumerate(values, start=1):
        ws.cell(header + 1, j).value = value
    wb.save(path)


def _drop_sheets(path: Path, names: list[str], save_as: Path) -> Path:
    wb = openpyxl.load_workbook(path)
    for name in names:
        del wb[name]
    wb.save(save_as)
    return save_as


def test_another_villages_publicity_copied_in_is_named_whole_and_its_objection_never_a_omission(tmp_path):
    walk = Walk(tmp_path)
    walk.review()
    walk.verify()
    walk.publicity1(record=False)
    ours, theirs = walk.doc("publicity1", "前岗村"), walk.doc("publicity1", "青山村")
    both = tmp_path / "合隆镇两村公示.xlsx"
    shutil.copy(ours, both)
    _paste_sheets(theirs, both)
    _objection_on(both, "异议处理 (2)", (None, "钱五", "有车", "成立", "2019-12-05"))
    # Every sheet copied along with the list named in the one refusal (before: 公示名单 (2) alone).
    said = flat(refused(walk, both, words=[]))
    assert "工作表「公示名单(2)」、「张贴记录(2)」、「异议处理(2)」是从合隆镇青山村的「第一次公示」复制来的" in said, said
    assert "删去这3张工作表" in said, said
    # The list's copy deleted alone: the objections left are 青山村's (before: copy them onto 异议处理).
    rest = _drop_sheets(both, ["公示名单 (2)"], tmp_path / "删去名单.xlsx")
    said = flat(refused(walk, rest, words=[]))
    assert "工作表「异议处理(2)」、「张贴记录(2)」是从合隆镇青山村的「第一次公示」复制来的" in said, said
    assert "合隆镇-青山村-第一次公示.xlsx" in said and "抄到" in said and "也不是漏评" in said, said
    # Copied onto 异议处理 anyway, by name or marked 名单外: refused as 青山村's household (before: a 漏评
    # of 前岗村 was recorded and 钱五 stayed on 青山村's list).
    for seq in (None, "名单外"):
        moved = _drop_sheets(both, ["公示名单 (2)", "张贴记录 (2)", "异议处理 (2)"], tmp_path / f"抄过{seq}.xlsx")
        _objection_on(moved, "异议处理", (seq, "钱五", "有车", "成立", "2019-12-05"))
        said = flat(refused(walk, moved, words=[]))
        assert "「钱五」不在这份名单上,是合隆镇青山村「第一次公示」名单上的农户" in said, said
        assert "不能写「名单外」" in said and "合隆镇-青山村-第一次公示.xlsx" in said, said


def test_the_version_an_amendment_replaced_returned_again_is_passed_over_saying_so(tmp_path):
    walk = Walk(tmp_path)
    walk.through("county_review")
    form = walk.doc("county_review", "")
    original = tmp_path / "农安县-县级复审 (1).xlsx"
    shutil.copy(form, original)
    amended = fill(form, decisions=_by_name(form, {"王一": ("不通过", "公告前全家迁往外省")}),
                   save_as=tmp_path / "农安县-县级复审(更正).xlsx")
    walk.record(amended, extra=["--amend", "--reason", "王一公告前迁出"])
    before = dump(walk.db)
    # Before: "「王一」的复审意见已登记为「不通过」…须加 --amend": following it undid the amendment.
    said = flat(walk.record(original).output)
    assert "这是" in said and "更正之前的版本(那次更正的原因:「王一公告前迁出」,依据文件农安县-县级复审(更正).xlsx)" in said, said
    assert "「王一」的复审意见登记为「不通过」,这份文书上是更正前的「通过」" in said, said
    assert "没有要登记的,已跳过" in said and "只有那次更正本身有误时" in said, said
    assert "须加--amend--reason" not in said, said
    assert dump(walk.db) == before


def test_an_omission_naming_a_household_the_survey_screened_out_says_how_it_was_screened(tmp_path):
    walk = Walk(tmp_path)
    walk.review()
    walk.verify()
    docs = walk.publicity1(record=False)
    fill(walk.doc("publicity1", "前岗村"), objections=[("富贵", "家里困难,应当评上", "成立", "2019-12-05", "名单外")])
    said = flat(walk.record(*docs).output)
    # Before: 请为该户填写入户登记表,在下一次筛查时识别 (it was surveyed and screened above the limit).
    assert "该户已在本轮调查中,筛查结果是「达到收入上限,不符合」(人均纯收入" in said, said
    assert "收入要重新核实" in said and "请为该户填写入户登记表" not in said, said
    # When: a new round is refused while this one is unfinished (an outside try followed the advice at once).
    assert "本轮各村的程序办完(公告登记)后,用edgescreenscreen…--register重新筛查" in said, said
    # register status's objections say the same (before: 请为该户入户登记,下次筛查时识别).
    status = flat(run("register", "status", walk.db, "--as-of", "2019-12-09").output)
    assert "该户已在本轮调查中,筛查结果是「达到收入上限,不符合」" in status and "请为该户入户登记" not in status, status


def test_a_row_deleted_on_the_announcement_points_to_amending_the_county_review(tmp_path):
    walk = Walk(tmp_path)
    walk.through("county_review")
    walk.issue("announcement")
    doc = walk.doc("announcement", "前岗村")
    seq = next(int(r["序号"]) for r in table_rows(doc) if r["户主姓名"] == "王一")
    fill(doc, delete=[seq], form={"张贴日期": "2019-12-21", "张贴人": "李会计", "张贴地点": "村务公开栏"})
    said = flat(refused(walk, doc, words=[]))
    assert f"序号{seq}(王一)这一行不见了:「公告」上的名单不能删行" in said, said
    assert "请在「县级复审」文书(6-县级复审/" in said and "「复审意见」改为「不通过」" in said, said
    assert "--amend--reason" in said and "重新打印「公告」" in said, said


def test_last_years_form_is_not_to_be_copied_onto_this_years(tmp_path):
    walk = Walk(tmp_path)
    docs = walk.issue("review")
    for p in docs:
        fill(p, default=("同意", ""), form={"会议时间": DATES["meeting"], "会议地点": "村委会", "主持人": "王书记",
                                           "应到人数": 35, "实到人数": 31, "记录人": "李会计", "评议过程": "举手表决"})
    run("screen", walk.resurvey(), "-o", tmp_path / "out2020", "--register", walk.db, "--date", "2020-11-20",
        "--year", "2020")
    said = flat(refused(walk, docs[0], words=[]))
    # Before: 把这份文书上已填的结果抄到新文书上再登记.
    assert "是2019年度(第1轮)筛查的文书,登记簿现在办理的是2020年度(第2轮)的筛查" in said, said
    assert "今年一概不登记" in said and "抄到新文书上" not in said, said
