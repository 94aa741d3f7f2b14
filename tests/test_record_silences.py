"""What `register record` and a refused workbook leave unsaid (outside testers' walks, 2026-12).

A 第二次公示 whose objection was settled after the period ended was recorded without a word: only the
next `register next` said 「异议到 2020-01-06 才处理完」. Recording it now says, for that village, the
day the last objection was settled and that the next step may not be dated before it, once, as a
note. An encrypted workbook was refused with 「文件→信息→保护工作簿」: one step short in Excel (用密码进行
加密) and a menu WPS does not have (文件 → 文档加密 → 密码加密). The refusal now names both paths."""

from __future__ import annotations


from typer.testing import CliRunner

from field_builders import encrypted_xlsx
from register_builders import fill
from survey_builders import make_id
from test_register import Walk, run
from years_builders import exit_publicity_form, register_everyone, survey
from edgescreen.cli import app


def test_recording_a_publicity_says_an_objection_settled_after_its_period_once_for_its_village(tmp_path):
    """前岗村's 第二次公示 runs 12-11 to 12-17; 王一's objection was settled on 12-19, 赵四's (upheld) on
    12-20: the village's 县级复审 may not be dated before 12-20. 青山村 and 三宝村 had none late."""
    walk = Walk(tmp_path)
    walk.through("township_review")
    docs = walk.issue("publicity2")
    fill(walk.doc("publicity2", "前岗村"), objections=[("王一", "说他家有楼房", "不成立", "2019-12-19"),
                                                     ("赵四", "说他家有车", "成立", "2019年12月20日")])
    said = " ".join(walk.record(*docs).output.split())  # recorded: a note, not a refusal
    assert "登记簿没有任何改动" not in said, said
    assert "合隆镇前岗村「第二次公示」中的异议到 2019-12-20 才处理完(公示期到 2019-12-17 结束)" in said, said
    assert "该村「县级复审」的日期不能早于 2019-12-20" in said, said
    assert said.count("才处理完") == 1, said  # once for the village, its last day; none for the others
    assert "2019-12-19 才处理完" not in said and "青山村「第二次公示」中的异议" not in said, said
    # What it said is what register next then holds the village to.
    held = " ".join(run("register", "next", walk.db, "--date", "2019-12-19", "-o", tmp_path / "held").output.split())
    assert "合隆镇前岗村:「第二次公示」中的异议到 2019-12-20 才处理完" in held, held


def test_recording_a_publicity_whose_objections_were_settled_within_it_says_nothing_of_them(tmp_path):
    """The note is for an objection settled late only (this guards what was already right)."""
    walk = Walk(tmp_path)
    walk.through("township_review")
    docs = walk.issue("publicity2")
    fill(walk.doc("publicity2", "前岗村"), objections=[("王一", "说他家有楼房", "不成立", "2019-12-16")])
    said = " ".join(walk.record(*docs).output.split())
    assert "才处理完" not in said, said


def test_recording_an_exit_publicity_says_an_objection_settled_after_it_and_the_day_its_household_leaves(tmp_path):
    """The exit's posting is its last step (nothing follows to be held): 户B's objection, dismissed on
    12-08 after the period (11-30 to 12-06), is said with the day, and 户B leaves on it."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    ids = {k: make_id(birth=f"19{60 + m}0303", serial=690 + m) for m, k in enumerate("AB", start=1)}
    people = [{**place, "户主姓名": f"户{k}", "户主身份证号": ids[k], "户编号": f"HB{k}"} for k in "AB"]
    db = register_everyone(tmp_path, people)
    source = survey(tmp_path / "2020.xlsx", [people[0], {**people[1], "是否低保户": "是"}])
    run("screen", source, "--year", "2020", "-o", tmp_path / "out2020", "--register", db, "--date", "2020-11-20")
    notice = exit_publicity_form(db, tmp_path)
    fill(notice, objections=[("户B", "家里还很困难", "不成立", "2020-12-08")])
    said = " ".join(run("register", "record", db, notice).output.split())
    assert "合隆镇前岗村「退出公示」中的异议到 2020-12-08 才处理完(公示期到 2020-12-06 结束):" \
           "异议所涉农户的结果按其异议的处理日期登记" in said, said
    history = " ".join(run("register", "history", db, "--id", ids["B"]).output.split())
    assert "已退出:自 2020-12-08 起" in history, history  # as the note says: on the day it was settled



def test_an_encrypted_workbook_is_told_how_to_clear_its_password_in_excel_and_in_wps(tmp_path):
    path = encrypted_xlsx(tmp_path / "合隆镇.xlsx")
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "out")])
    said = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "合隆镇.xlsx:工作簿已加密或设有打开密码" in said, said
    assert "Excel:文件→信息→保护工作簿→用密码进行加密" in said, said
    assert "WPS:文件→文档加密→密码加密" in said, said
    assert "清空密码,保存后重试" in said, said
    result = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "out"), "--lang", "en"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "encrypted or password-protected" in said, said
    assert "Excel: 文件 (File) → 信息 (Info) → 保护工作簿 (Protect Workbook) → 用密码进行加密 (Encrypt with Password)" \
        in said, said
    assert "WPS: 文件 (File) → 文档加密 (Document Encryption) → 密码加密 (Password Encryption)" in said, said
