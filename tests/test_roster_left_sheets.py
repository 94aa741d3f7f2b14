"""A 民政 export often holds the current cases and the stopped ones in one workbook (在保, 已停保), the
stopped sheet sometimes hidden. A sheet whose name says its people have left the 低保 or 特困 roster
is not matched: matched, it excluded households that left 低保 years ago. Every report says so; a
kind without such words (the death register's 注销人员) reads every sheet."""

from __future__ import annotations

import json

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.catalogue import RosterKind
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

AS_OF = "2020-06-30"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def roster(path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()):
    """A workbook of sheets, each a header row (姓名, 身份证号, and a date) and its people."""
    with xlsxwriter.Workbook(path) as wb:
        for name, people in sheets.items():
            ws = wb.add_worksheet(name)
            ws.write_row(0, 0, ["姓名", "身份证号", "停保日期" if "停" in name else "备注"])
            for r, person in enumerate(people, 1):
                ws.write_row(r, 0, person)
            if name in hidden:
                ws.hide()
    return path


@pytest.fixture
def survey(tmp_path):
    heads = {name: make_id(f"196{i}0101", serial=300 + i) for i, name in enumerate("甲乙丙")}
    path = write_workbook(tmp_path / "合隆镇.xlsx",
                          [household(户主姓名=name, 户主身份证号=head) for name, head in heads.items()])
    return path, heads


@pytest.mark.parametrize("hidden", [True, False])
def test_a_stopped_cases_sheet_is_not_matched_and_every_report_says_so(tmp_path, survey, hidden):
    path, heads = survey
    file = roster(tmp_path / "低保名单.xlsx", {"在保": [["甲", heads["甲"], ""]],
                                               "已停保": [["乙", heads["乙"], "2019-03-01"],
                                                          ["丙", heads["丙"], "2018-07-01"]]},
                  hidden=("已停保",) if hidden else ())
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"低保={file}", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["甲", "status"] == "excluded_dibao"
    assert ledger.loc["乙", "status"] == ledger.loc["丙", "status"] == "candidate"
    said = "低保对象名单的工作表「已停保」按表名是已停保、退出的人员(2 行),没有参加比对"
    assert said.replace(" ", "") in "".join(result.output.split())  # wrapped at the terminal's width
    facts = [" ".join(c for c in row if isinstance(c, str)) for row in
             openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)]
    assert sum(said in fact for fact in facts) == 1
    assert not any("是隐藏的" in fact for fact in facts)  # not said again as a hidden sheet read and matched
    page = (out / "report.html").read_text(encoding="utf-8")
    assert said in page
    # Said again under the 信息比对 table, which is open where the file facts are folded away.
    assert "名单中另有 2 行是已停保、退出的人员(按工作表名、保障状态、备注或停保日期),没有参加比对" in page
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["rosters"][0]["left_sheets"] == [{"name": "已停保", "rows": 2}]
    assert manifest["rosters"][0]["rows"] == 1


def test_a_death_registers_cancelled_sheet_is_the_roster_itself(tmp_path, survey):
    path, heads = survey
    file = roster(tmp_path / "死亡注销.xlsx", {"注销人员": [["乙", heads["乙"], ""]]})
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"死亡={file}", "-o", out, "--as-of", AS_OF, "--lang", "en")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["乙", "roster_flags"] == "deceased"
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]["left_sheets"] == []


def test_a_blank_word_for_a_left_sheet_is_refused_when_the_catalogue_loads():
    with pytest.raises(ValueError, match="blank word"):
        RosterKind(code="dibao", left=("停保", " "))


def test_rows_whose_state_says_stopped_are_not_matched_and_are_said_with_their_rows(tmp_path, survey):
    """One sheet with a 保障状态 column (正常 / 停保 / 已退出): the stopped rows are not matched, the
    others are, and the report names the rows left out."""
    path, heads = survey
    file = tmp_path / "低保名单.xlsx"
    with xlsxwriter.Workbook(file) as wb:
        ws = wb.add_worksheet("花名册")
        ws.write_row(0, 0, ["序号", "姓名", "身份证号码", "保障状态"])
        ws.write_row(1, 0, [1, "甲", heads["甲"], "正常"])
        ws.write_row(2, 0, [2, "乙", heads["乙"], "停保"])
        ws.write_row(3, 0, [3, "丙", heads["丙"], " 已退出 "])
        # Other members of those households, as 民政 words a stopped case: never matched either.
        for r, state in enumerate(["暂停保障", "停止保障", "死亡"], 4):
            ws.write_row(r, 0, [r, f"乙{r}", make_id(f"19{80 + r}0101", serial=600 + r), state])
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"低保={file}", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert list(ledger.loc[["甲", "乙", "丙"], "status"]) == ["excluded_dibao", "candidate", "candidate"]
    said = "低保对象名单:5 行的保障状态是停保、退出等,没有参加比对:工作表「花名册」第 3-7 行"
    assert said.replace(" ", "") in "".join(result.output.split())
    assert said in (out / "report.html").read_text(encoding="utf-8")
    roster_run = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert roster_run["left_rows"] == 5 and roster_run["rows"] == 1


def test_a_state_column_of_a_roster_without_left_words_changes_nothing(tmp_path, survey):
    """The death register's 户籍状态 注销 is what the register is about: every row matched."""
    path, heads = survey
    file = tmp_path / "死亡.xlsx"
    with xlsxwriter.Workbook(file) as wb:
        ws = wb.add_worksheet()
        ws.write_row(0, 0, ["姓名", "身份证号", "状态"])
        ws.write_row(1, 0, ["乙", heads["乙"], "注销"])
    out = tmp_path / "out"
    assert run("screen", path, "--roster", f"死亡={file}", "-o", out, "--as-of", AS_OF).exit_code == 0
    assert read_ledger(out / "decisions.csv").set_index("head_name").loc["乙", "roster_flags"] == "deceased"


def test_a_workbook_of_several_kinds_is_matched_sheet_by_kind(tmp_path, survey):
    """Found by an outside try: 民政's workbook of 低保对象, 特困人员 and 残疾人 sheets given as the 低保
    roster excluded all three households as 低保 (the disabled head's too), and the same file could
    not be given as a second kind (同一份名单给了两次). Now a sheet named for another kind is set
    aside and said, and the file is read once per kind given."""
    path, heads = survey
    file = roster(tmp_path / "民政名单.xlsx", {"低保对象": [["甲", heads["甲"], ""]],
                                               "特困人员": [["乙", heads["乙"], ""]],
                                               "残疾人": [["丙", heads["丙"], ""]]})
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"低保={file}", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger["status"].to_dict() == {"甲": "excluded_dibao", "乙": "candidate", "丙": "candidate"}
    said = "".join(result.output.split())
    assert ("低保对象名单的工作表「特困人员」按表名是特困供养人员名单(1行),没有当作低保对象名单比对。"
            "如要比对,请另加--roster特困=民政名单.xlsx") in said, said
    assert "工作表「残疾人」按表名是残疾人名单(1行)" in said, said
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_json["rosters"][0]["other_kind_sheets"] == [{"name": "特困人员", "rows": 1, "kind": "tekun"},
                                                          {"name": "残疾人", "rows": 1, "kind": "disability"}]
    both = tmp_path / "both"
    result = run("screen", path, "--roster", f"低保={file}", "--roster", f"特困={file}", "-o", both, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(both / "decisions.csv").set_index("head_name")
    assert ledger["status"].to_dict() == {"甲": "excluded_dibao", "乙": "excluded_tekun", "丙": "candidate"}
    again = run("screen", path, "--roster", f"低保={file}", "--roster", f"低保={file}", "-o", tmp_path / "again",
                "--as-of", AS_OF)
    assert again.exit_code == 2 and "同一份名单给了两次" in again.output, again.output


def test_a_roster_of_a_header_alone_is_said_on_the_terminal(tmp_path, survey):
    """Found by an outside try: an authoritative roster with its header and no row passed with a
    提示 in quality.xlsx alone; a roster whose IDs are all blank was warned about on the terminal."""
    path, _ = survey
    file = roster(tmp_path / "低保名单.xlsx", {"低保": []})
    result = run("screen", path, "--roster", f"低保={file}", "-o", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "低保对象名单:名单上一个人也没有(只有表头),没有比对任何人" in "".join(result.output.split()), result.output


def test_a_hukou_cancellation_roster_matches_deaths_only_and_says_the_other_reasons(tmp_path, survey):
    """公安's 户籍注销 export lists every hukou cancelled: 死亡 beside 迁出 and 参军. A member who moved
    away is not dead: the household is not told its member died, and the report names those rows
    with their reasons."""
    path, heads = survey
    file = tmp_path / "户籍注销.xlsx"
    with xlsxwriter.Workbook(file) as wb:
        ws = wb.add_worksheet("注销人员")
        ws.write_row(0, 0, ["姓名", "公民身份号码", "注销日期", "注销原因"])
        ws.write_row(1, 0, ["甲", heads["甲"], "2020-03-02", "死亡"])
        ws.write_row(2, 0, ["乙", heads["乙"], "2020-01-15", "迁出(迁往长春市)"])
        ws.write_row(3, 0, ["丙", heads["丙"], "2019-11-20", "参军"])
        ws.write_row(4, 0, ["丁", make_id("19700101", serial=777), "2019-10-01", "病故"])
        ws.write_row(5, 0, ["戊", make_id("19710101", serial=778), "2019-10-01", ""])
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"死亡={file}", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    flags = read_ledger(out / "decisions.csv").set_index("head_name")["roster_flags"]
    assert list(flags.loc[["甲", "乙", "丙"]]) == ["deceased", "", ""]
    issues = read_issues(out / "issues.csv")
    assert set(issues.loc[issues["code"] == "member_deceased", "head_name"]) == {"甲"}
    said = "死亡(户籍注销)人员名单:2 行的注销原因不是死亡(如迁出、参军),没有参加比对:工作表「注销人员」第 3-4 行"
    facts = [" ".join(c for c in row if isinstance(c, str)) for row in
             openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["文件情况"].iter_rows(values_only=True)]
    assert sum(said in fact for fact in facts) == 1
    assert said.replace(" ", "") in "".join(result.output.split())  # wrapped at the terminal's width
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "死亡(户籍注销)人员名单中另有 2 行的注销原因不是死亡(如迁出),没有参加比对" in page
    assert "迁往长春市" not in page  # the roster's own words are never copied
    roster_run = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert roster_run["other_reason_rows"] == 2 and roster_run["rows"] == 3


def test_a_reason_column_without_its_words_is_refused_when_the_catalogue_loads():
    with pytest.raises(ValueError, match="go together"):
        RosterKind(code="deceased", only=("死",))


@pytest.mark.parametrize("header", ["发放状态", "当前状态", "低保状态", "资金发放状态", "发放标志"])
def test_a_stopped_case_under_a_low_income_systems_own_state_header_is_not_matched(tmp_path, survey, header):
    """An outside try: a 低保 花名册 exported with 发放状态 (正常 / 停发) was read without its state, and a
    household whose only 低保 member was 停发 was excluded as 低保户."""
    path, heads = survey
    file = tmp_path / "低保花名册.xlsx"
    with xlsxwriter.Workbook(file) as wb:
        ws = wb.add_worksheet("花名册")
        ws.write_row(0, 0, ["序号", "姓名", "身份证号", "月保障金额(元)", header])
        ws.write_row(1, 0, [1, "甲", heads["甲"], 420, "正常"])
        ws.write_row(2, 0, [2, "乙", heads["乙"], 380, "停发"])
    out = tmp_path / "out"
    result = run("screen", path, "--roster", f"低保={file}", "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert list(ledger.loc[["甲", "乙"], "status"]) == ["excluded_dibao", "candidate"]


def test_a_state_under_a_header_no_alias_names_holding_stopped_words_refuses_the_roster(tmp_path, survey):
    """The same 花名册 with its state headed 发放情况标志, a name no alias has: read without it, the 停发
    household would be excluded. Refused, naming the column and what to head it. A 变更原因 column is read
    as the remark (a change list's): 停发 there leaves the row out, 停发后恢复 does not."""
    path, heads = survey
    file = tmp_path / "低保花名册.xlsx"
    with xlsxwriter.Workbook(file) as wb:
        ws = wb.add_worksheet("花名册")
        ws.write_row(0, 0, ["序号", "姓名", "身份证号", "发放情况标志"])
        ws.write_row(1, 0, [1, "甲", heads["甲"], "正常"])
        ws.write_row(2, 0, [2, "乙", heads["乙"], "停发"])
    result = run("screen", path, "--roster", f"低保={file}", "-o", tmp_path / "out", "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    said = "".join(result.output.split())
    assert "D列「发放情况标志」一栏有1行写着停发、停保、退出等字样" in said and "请把表头改为“保障状态”" in said, said
    other = tmp_path / "低保名单.xlsx"
    with xlsxwriter.Workbook(other) as wb:
        ws = wb.add_worksheet("花名册")
        ws.write_row(0, 0, ["序号", "姓名", "身份证号", "变更原因"])
        ws.write_row(1, 0, [1, "甲", heads["甲"], "2019年停发后恢复"])
        ws.write_row(2, 0, [2, "乙", heads["乙"], "2019年10月停发"])
    assert run("screen", path, "--roster", f"低保={other}", "-o", tmp_path / "out2", "--as-of", AS_OF).exit_code == 0
    status = read_ledger(tmp_path / "out2" / "decisions.csv").set_index("head_name")["status"]
    assert status["甲"] == "excluded_dibao" and status["乙"] != "excluded_dibao", status.to_dict()
