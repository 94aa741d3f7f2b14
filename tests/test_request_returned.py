"""A returned 信息比对申请名单 as ten departments give it back (an outside tester's tries), end to end
through the command line on files built here: a list half filled (blanks where it answers 否 elsewhere
are not answered; a list of ticks alone still reads blanks as no), answers neither yes nor no (待查, a
Wingdings tick) and 是(2019年起), a list of another screen, one list under two kinds, its answers under a
header not known, the list kept in the survey folder, its 备注, a signature line in a CSV re-export, and
answers typed in 备注 instead of 比对结果."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from survey_builders import HEADERS, household, make_id
from test_request_list import not_listed, statuses
from test_rosters import AS_OF, MEMBER_HEADERS, head, member, run, write_sheets

REQUEST = Path("信息比对") / "信息比对申请名单.xlsx"


class County:
    """Five households: 张三 and 李四 candidates of 合隆镇前岗村, 赵六 there and 王五 of 烧锅镇长山村
    saying 低保户 是, 孙七 a candidate of 烧锅镇长山村; each with a spouse listed."""

    def __init__(self, folder: Path):
        place = {"乡(镇)": "烧锅镇", "行政村": "长山村"}
        self.households = [
            household(户主姓名="张三", 户编号="001", 户主身份证号=make_id("19700101")),
            household(户主姓名="李四", 户编号="002", 户主身份证号=make_id("19710101")),
            household(户主姓名="赵六", 户编号="003", 户主身份证号=make_id("19730101"), 是否低保户="是"),
            household(户主姓名="王五", 户编号="004", 户主身份证号=make_id("19720101"), 是否低保户="是", **place),
            household(户主姓名="孙七", 户编号="005", 户主身份证号=make_id("19740101"), **place)]
        spouses = ("张妻", "李妻", "赵妻", "王妻", "孙妻")
        self.members = [row for i, (hh, spouse) in enumerate(zip(self.households, spouses))
                        for row in (head(hh), member(hh, spouse, "配偶", make_id(f"1975010{i + 1}")))]
        self.survey = write_sheets(folder / "县.xlsx", {
            "户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in self.households]),
            "家庭成员": (MEMBER_HEADERS, [[m.get(k, "") for k in MEMBER_HEADERS] for m in self.members])})
        self.folder = folder

    def screen(self, out: str, *more, inputs=None, code: int = 0):
        result = run("screen", *(inputs or [self.survey]), "-o", self.folder / out, "--as-of", AS_OF, "--force",
                     *more)
        assert result.exit_code == code, result.output
        self.output = result.output
        self.text = result.output.replace("\n", "").replace(" ", "")
        return self.folder / out


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> County:
    county = County(tmp_path_factory.mktemp("returned"))
    county.listed = county.screen("out", "--request-list") / REQUEST
    return county


def returned(county: County, path: Path, answers: dict[str, str], notes: dict[str, str] = (), *,
             header: str | None = None) -> Path:
    """The list with 比对结果 (and 备注) written by name; `header` retitles 比对结果."""
    wb = openpyxl.load_workbook(county.listed)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    columns = {ws.cell(at, c).value: c for c in range(1, ws.max_column + 1)}
    for r in range(at + 1, ws.max_row + 1):
        if isinstance(ws.cell(r, 1).value, (int, float)):
            name = ws.cell(r, columns["姓名"]).value
            ws.cell(r, columns["比对结果"]).value = answers.get(name)
            ws.cell(r, columns["备注"]).value = dict(notes).get(name)
    if header is not None:
        ws.cell(at, columns["比对结果"]).value = header
    wb.save(path)
    return path


def facts(out: Path) -> str:
    book = pd.read_excel(out / "quality.xlsx", sheet_name=None, dtype=str, engine="calamine")
    return " ".join(" ".join(map(str, f.fillna("").to_numpy().ravel())) for f in book.values())


def verify_sheet(out: Path, village: str) -> str:
    book = openpyxl.load_workbook(out / "villages" / f"{village}.xlsx")
    return " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)


FIRST_TOWN = ("张三", "张妻", "李四", "李妻", "赵六", "赵妻")


def test_a_half_filled_list_leaves_its_blank_places_unchecked_and_a_list_of_ticks_reads_blanks_as_no(county, tmp_path):
    # 合隆镇 answered 是/否, 烧锅镇 not yet: 王五 (said 低保) is not said to be missing from the roster.
    half = returned(county, tmp_path / "半.xlsx", {name: "否" for name in FIRST_TOWN})
    out = county.screen("half", "--roster", f"低保={half}")
    assert not_listed(out) == ["赵六"]
    # No flag and no name lead, but 孙七 pending: the terminal does not say there is nothing to verify.
    assert "没有名单上的疑点或同村同名线索,另有要核实的见下" in county.text and "1户有家庭成员的比对结果待查" in county.text
    assert "4行的比对结果是空的,而名单别处填了“否”" in county.text and "烧锅镇长山村4行" in county.text
    assert "烧锅镇长山村 4 行" in facts(out)
    # 孙七, a candidate there, is to verify: its village list says so, not 无需入户核实.
    said = verify_sheet(out, "烧锅镇-长山村")
    assert "比对结果待查" in said and "无需入户核实" not in said
    # Ticks on the hits and blanks elsewhere: the ordinary way, blanks are no.
    ticks = returned(county, tmp_path / "勾.xlsx", {"李妻": "√"})
    out = county.screen("ticks", "--roster", f"低保={ticks}")
    assert not_listed(out) == ["王五", "赵六"] and statuses(out)["李四"] == "excluded_dibao"
    assert "比对结果是空的" not in county.text and "比对结果待查" not in verify_sheet(out, "烧锅镇-长山村")
    # Its 读入行数 (1: the one yes) said to be of the people compared (an outside try read "民政 checked 3").
    said = "".join(facts(out).split())
    assert "勾.xlsx是交回的比对结果(低保对象名单):共比对10人(身份证号有效的行),表中「读入行数」是其中答「是」" in said, said


def test_an_unclear_answer_leaves_a_lead_and_no_roster_not_listed_and_a_bracketed_yes_is_yes(county, tmp_path):
    answers = {name: "否" for name in (*FIRST_TOWN, "王五", "王妻", "孙七", "孙妻")}
    answers.update({"张妻": "待查", "赵六": "待查", "李妻": "是(2019年起)", "孙妻": "P"})
    out = county.screen("unclear", "--roster", f"低保={returned(county, tmp_path / '待查.xlsx', answers)}")
    assert not_listed(out) == ["王五"]  # 赵六's household was not checked in full
    assert statuses(out)["李四"] == "excluded_dibao"  # 是(2019年起) is a yes, said
    assert "1行的比对结果带括号说明(是(2019年起)),按括号前的“是”或“否”读入" in county.text
    # A Wingdings 2 tick is named for what the clerk sees, and leaves its household unchecked too.
    assert "显示为√的符号字体字母「P」" in county.text
    for village, name in (("合隆镇-前岗村", "张三"), ("烧锅镇-长山村", "孙七")):
        said = verify_sheet(out, village)
        assert "比对结果待查" in said and name in said
    trace = run("explain", county.survey, "--name", "张三", "--as-of", AS_OF, "--roster",
                f"低保={tmp_path / '待查.xlsx'}")
    assert trace.exit_code == 0 and "张妻:低保对象名单的比对结果待查" in trace.output.replace(" ", "")


def test_a_list_of_another_screen_is_said_with_the_households_it_does_not_cover(county, tmp_path):
    filled = returned(county, tmp_path / "旧.xlsx", {"李妻": "是"})
    more = household(户主姓名="周八", 户编号="006", 户主身份证号=make_id("19760101"))
    extra = write_sheets(tmp_path / "补.xlsx", {"户表": (HEADERS, [[more.get(k, "") for k in HEADERS]])})
    out = county.screen("other", "--roster", f"低保={filled}", inputs=[county.survey, extra])
    assert "这份交回的名单是另一次筛查写出的申请名单" in county.text and "本次6户中有1户不在这份名单上" in county.text
    assert "本次 6 户中有 1 户" in facts(out)
    # The same screen's own list says nothing of it.
    county.screen("same", "--roster", f"低保={filled}")
    assert "另一次筛查" not in county.text


def test_one_returned_list_under_two_kinds_is_refused(county, tmp_path):
    filled = returned(county, tmp_path / "民政交回.xlsx", {"李妻": "是"})
    county.screen("twice", "--roster", f"低保={filled}", "--roster", f"特困={filled}", code=2)
    assert "同一份交回的信息比对申请名单既作为低保对象名单、又作为特困供养人员名单给出" in county.text
    copy = shutil.copy(filled, tmp_path / "民政交回(特困).xlsx")
    county.screen("copy", "--roster", f"低保={filled}", "--roster", f"特困={copy}", code=2)
    assert "民政交回.xlsx和民政交回(特困).xlsx" in county.text
    # The same request answered by two departments is what the list is for.
    other = returned(county, tmp_path / "特困交回.xlsx", {"赵妻": "是"})
    county.screen("two", "--roster", f"低保={filled}", "--roster", f"特困={other}")


def test_answers_under_another_header_are_read_or_refused(county, tmp_path):
    # A plain header for the result column (是否在保): read as answers, only the 是 on the roster.
    renamed = returned(county, tmp_path / "在保.xlsx", {n: "否" for n in FIRST_TOWN} | {"李妻": "是"}, header="是否在保")
    out = county.screen("renamed", "--roster", f"低保={renamed}")
    assert statuses(out)["张三"] == "candidate" and statuses(out)["李四"] == "excluded_dibao"
    # A department's own workbook whose 是/否 column asks about the kind: refused, naming the column.
    rows = [[i, m["姓名"], m["身份证号"], "是" if m["姓名"] == "李妻" else "否"] for i, m in enumerate(county.members, 1)]
    own = write_sheets(tmp_path / "反馈表.xlsx", {"Sheet1": (["序号", "姓名", "身份证号", "是否低保对象"], rows)})
    county.screen("own", "--roster", f"低保={own}", code=2)
    assert "D列「是否低保对象」一栏是部门逐人填写的“是”“否”" in county.text and "改为“比对结果”" in county.text


def test_a_request_list_in_the_survey_folder_is_passed_over(county, tmp_path):
    folder = tmp_path / "调查表"
    folder.mkdir()
    shutil.copy(county.survey, folder / "县.xlsx")
    returned(county, folder / "民政交回的名单.xlsx", {"李妻": "是"})
    out = county.screen("folder", inputs=[folder])
    assert "这是信息比对申请名单,不是调查表" in county.text and "--roster种类=…" in county.text
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    assert not issues["code"].eq("member_listed_twice").any()


def test_a_yes_with_a_remark_is_said_and_a_stop_in_it_is_not_matched(county, tmp_path):
    answers = {n: "否" for n in (*FIRST_TOWN, "王五", "王妻", "孙七", "孙妻")} | {"李妻": "是", "赵妻": "是"}
    filled = returned(county, tmp_path / "备注.xlsx", answers, {"李妻": "2019年10月已停保", "赵妻": "户口已迁至本镇"})
    out = county.screen("note", "--roster", f"低保={filled}")
    assert statuses(out)["李四"] == "candidate"
    assert "1行比对结果为“是”,但备注写着已停保、退出等(2019年10月已停保),没有当作在名单上" in county.text
    assert "1行比对结果为“是”,备注写了说明(开头:户口已迁至本镇),仍按“是”比对" in county.text
    assert "2019年10月已停保" in facts(out)


def test_a_signature_line_of_a_csv_re_export_is_no_answer(county, tmp_path):
    ws = openpyxl.load_workbook(returned(county, tmp_path / "x.xlsx", {n: "否" for n in (
        *FIRST_TOWN, "王五", "王妻", "孙七", "孙妻")})).worksheets[0]
    lines = [[("" if c.value is None else str(c.value)) for c in row] for row in ws.iter_rows()]
    lines.append(["比对单位(盖章):", "", "", "", "经办人:", "", "", "", "日期:", ""])
    csv = tmp_path / "民政反馈.csv"
    pd.DataFrame(lines).to_csv(csv, header=False, index=False, encoding="gbk")
    county.screen("csv", "--roster", f"低保={csv}")
    assert "既不是“是”也不是“否”" not in county.text


def test_answers_typed_in_the_note_column_are_named_there(county, tmp_path):
    filled = returned(county, tmp_path / "写在备注.xlsx", {}, {n: "否" for n in FIRST_TOWN} | {"李妻": "是"})
    county.screen("in_note", "--roster", f"低保={filled}", code=2)
    assert "比对结果填在了J列「备注」一栏" in county.text and "移到「比对结果」一栏" in county.text


def test_a_request_list_saved_as_csv_in_the_survey_folder_is_passed_over(county, tmp_path):
    """Saved as CSV (as a department's export often comes back) the list loses its identity sheet; its
    header still says what it is, and it is passed over, not read as a members table."""
    folder = tmp_path / "调查表"
    folder.mkdir()
    shutil.copy(county.survey, folder / "县.xlsx")
    ws = openpyxl.load_workbook(returned(county, tmp_path / "x.xlsx", {"李妻": "是"})).worksheets[0]
    lines = [[("" if c.value is None else str(c.value)) for c in row] for row in ws.iter_rows()]
    pd.DataFrame(lines).to_csv(folder / "民政交回的名单.csv", header=False, index=False, encoding="gbk")
    out = county.screen("folder-csv", inputs=[folder])
    assert "这是信息比对申请名单,不是调查表" in county.text
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    assert not issues["code"].eq("member_listed_twice").any()


def test_hits_and_blanks_under_the_departments_own_header_are_refused_naming_the_column(county, tmp_path):
    """民政 copies the list into its own workbook and writes 是 under 是否低保 on its one hit, the rest
    blank; 车管所 does the same in a GBK CSV under 是否有车. Before, every person listed counted as on the
    roster (all five households 低保户(暂不列入)); now refused, naming the file and the column."""
    rows = [[i, m["姓名"], m["身份证号"], "是" if m["姓名"] == "李妻" else None] for i, m in enumerate(county.members, 1)]
    own = write_sheets(tmp_path / "民政交回.xlsx", {"比对结果": (["序号", "姓名", "公民身份号码", "是否低保"], rows)})
    county.screen("own_hits", "--roster", f"低保={own}", code=2)
    assert "民政交回.xlsx(低保对象名单):D列「是否低保」一栏像是部门填写的比对结果:1行填了“是”" in county.text
    assert "其余9行空着" in county.text and "请把表头改为“比对结果”" in county.text
    csv = tmp_path / "车管所交回.csv"
    pd.DataFrame([[i, m["姓名"], "\t" + m["身份证号"], "有" if m["姓名"] in ("张三", "孙妻") else ""]
                  for i, m in enumerate(county.members, 1)],
                 columns=["序号", "姓名", "公民身份号码", "是否有车"]).to_csv(csv, index=False, encoding="gbk")
    county.screen("own_car", "--roster", f"车辆={csv}", code=2)
    assert "车管所交回.csv(机动车登记名单):D列「是否有车」一栏像是部门填写的比对结果:2行填了“是”" in county.text
    # Headed 比对结果 as the message says, the blanks are no: only 李四's household is excluded.
    wb = openpyxl.load_workbook(own)
    wb.active["D1"] = "比对结果"
    wb.save(renamed := tmp_path / "改表头.xlsx")
    out = county.screen("own_renamed", "--roster", f"低保={renamed}")
    assert statuses(out)["李四"] == "excluded_dibao" and statuses(out)["张三"] == "candidate"


def test_a_roster_whose_own_yes_column_is_filled_on_most_rows_is_still_a_roster(county, tmp_path):
    # 是否发放 是 on eight rows of ten, two left blank: the roster's own column, not answers.
    rows = [[i, m["姓名"], m["身份证号"], None if m["姓名"] in ("张三", "张妻") else "是"]
            for i, m in enumerate(county.members, 1)]
    own = write_sheets(tmp_path / "低保名单.xlsx", {"Sheet1": (["序号", "姓名", "身份证号", "是否发放"], rows)})
    out = county.screen("own_roster", "--roster", f"低保={own}")
    assert statuses(out)["李四"] == "excluded_dibao" and statuses(out)["张三"] == "excluded_dibao"


def test_a_returned_list_answered_in_another_column_beside_a_blank_result_is_refused_naming_it(county, tmp_path):
    """The list itself given back with 比对结果 blank and 是 written under a column 民政 added (是否低保):
    refused naming that column, not as a list nobody answered."""
    filled = returned(county, tmp_path / "加列.xlsx", {})
    wb = openpyxl.load_workbook(filled)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    names = next(c for c in range(1, ws.max_column + 1) if ws.cell(at, c).value == "姓名")
    extra = ws.max_column + 1
    ws.cell(at, extra).value = "是否低保"
    for r in range(at + 1, ws.max_row + 1):
        if ws.cell(r, names).value == "李妻":
            ws.cell(r, extra).value = "是"
    wb.save(filled)
    county.screen("elsewhere", "--roster", f"低保={filled}", code=2)
    assert "「比对结果」一栏每一行都是空的,部门的答案填在了" in county.text and "「是否低保」一栏(1行是“是”)" in county.text


def test_a_returned_list_with_its_result_blank_throughout_is_refused_as_not_answered(county, tmp_path):
    blank = returned(county, tmp_path / "空.xlsx", {})
    county.screen("blank", "--roster", f"低保={blank}", code=2)
    assert "「比对结果」一栏每一行都是空的:这是还没有填写比对结果的信息比对申请名单" in county.text
    # Copied to a CSV (its identity gone), the blank column is still the list's, and still unanswered.
    ws = openpyxl.load_workbook(blank).worksheets[0]
    lines = [[("" if c.value is None else str(c.value)) for c in row] for row in ws.iter_rows()]
    pd.DataFrame(lines).to_csv(csv := tmp_path / "空.csv", header=False, index=False, encoding="gbk")
    county.screen("blank_csv", "--roster", f"低保={csv}", code=2)
    assert "还没有填写比对结果" in county.text
