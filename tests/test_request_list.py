"""信息比对申请名单 (screen --request-list), end to end through the command line on files built here:
the list holds every household and every member once per household (a person in two households in
each, a blank or invalid ID as typed), IDs in full as text, the counts and the lines on its face, its
identity; a copy the department gives back (rows sorted, a column inserted, saved as .xls through
LibreOffice) read as a roster with only its 是 rows on it, covering only the households it lists;
a copy with no result filled in, or with its 比对结果 column gone, refused; an answer neither yes nor
no said by its cell, never matched."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from survey_builders import HEADERS, household, make_id
from test_rosters import AS_OF, head, member, run, write_sheets, MEMBER_HEADERS
from edgescreen.outputs.ledger import read_ledger
from edgescreen.catalogue import label
from edgescreen.outputs.request import COLUMNS
from edgescreen.outputs.xlsx import print_scale
from edgescreen.register.documents import read_identity

REQUEST = Path("信息比对") / "信息比对申请名单.xlsx"


class County:
    """Four households of 农安县: two with their members (a child of one also listed in the other, a
    member with an invalid ID, one with none), one said 低保户 with its members, one without members."""

    def __init__(self, folder: Path):
        self.shared = make_id("20050505")
        self.a = household(户主姓名="张三", 户编号="001", 户主身份证号=make_id("19700101"))
        self.b = household(户主姓名="李四", 户编号="002", 户主身份证号=make_id("19710101"))
        self.c = household(户主姓名="赵六", 户编号="003", 户主身份证号=make_id("19730101"), 是否低保户="是")
        self.d = household(户主姓名="王五", 户编号="004", 户主身份证号=make_id("19720101"), 行政村="后岗村",
                           是否低保户="是")
        self.households = [self.a, self.b, self.c, self.d]
        self.invalid = "220122197001011234"  # a wrong check character
        self.members = [head(self.a), member(self.a, "张小", "子", self.shared),
                        member(self.a, "张妻", "配偶", self.invalid),
                        head(self.b), member(self.b, "李小", "子", self.shared), member(self.b, "李空", "女", ""),
                        head(self.c), member(self.c, "赵妻", "配偶", make_id("19750101"))]
        headers = ["县(市、区)", *HEADERS]
        self.survey = write_sheets(folder / "县.xlsx", {
            "户表": (headers, [["农安县", *(h.get(k, "") for k in HEADERS)] for h in self.households]),
            "家庭成员": (MEMBER_HEADERS, [[m.get(k, "") for k in MEMBER_HEADERS] for m in self.members])})
        self.folder = folder

    def screen(self, out: str, *more) -> Path:
        result = run("screen", self.survey, "-o", self.folder / out, "--as-of", AS_OF, "--force", *more)
        assert result.exit_code == 0, result.output
        self.output = result.output
        return self.folder / out


def printed(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, int, dict[str, int]]:
    """The list's sheet, its header row and each header's column (1-based)."""
    ws = openpyxl.load_workbook(path).worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    return ws, at, {ws.cell(at, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(at, c).value}


def body(path: Path) -> pd.DataFrame:
    ws, at, columns = printed(path)
    rows = [[ws.cell(r, c) for c in columns.values()] for r in range(at + 1, ws.max_row + 1)
            if isinstance(ws.cell(r, 1).value, (int, float))]
    return pd.DataFrame([[cell.value for cell in row] for row in rows], columns=list(columns)).assign(
        id_kind=[row[list(columns).index("公民身份号码")].data_type for row in rows])


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> County:
    county = County(tmp_path_factory.mktemp("county"))
    county.listed = county.screen("out", "--request-list") / REQUEST
    return county


def test_the_list_holds_every_household_and_member_once_per_household_ids_whole_as_text(county):
    assert county.listed.is_file()
    rows = body(county.listed)
    by_household = rows.groupby("户主姓名", sort=False)["姓名"].apply(list).to_dict()
    assert by_household == {"张三": ["张三", "张小", "张妻"], "李四": ["李四", "李小", "李空"],
                            "赵六": ["赵六", "赵妻"], "王五": ["王五"]}
    assert rows["序号"].tolist() == list(range(1, 10))
    ids = dict(zip(rows["姓名"], rows["公民身份号码"].fillna("")))
    # In full, as typed: a person in two households in each, an invalid ID as it was, a blank one blank.
    assert ids["张小"] == ids["李小"] == county.shared and ids["张妻"] == county.invalid and ids["李空"] == ""
    assert ids["王五"] == county.d["户主身份证号"]
    assert set(rows.loc[rows["公民身份号码"].notna(), "id_kind"]) == {"s"}  # text cells, never numbers
    assert rows["户编号"].tolist()[:3] == ["001"] * 3
    assert rows["比对结果"].isna().all() and rows["备注"].isna().all()
    ws, at, columns = printed(county.listed)
    face = [str(ws.cell(r, 1).value or "") for r in range(1, ws.max_row + 1)]
    assert face[0] == "农安县贫困边缘户信息比对申请名单"
    assert any(line.startswith("致:") and "(部门)" in line and "比对日期" in line for line in face)
    assert any("仅供信息比对使用,不得外传,不得张贴" in line for line in face)
    assert any("未附家庭成员表的户只列户主" in line for line in face)
    assert "共 4 户 9 人" in face
    assert any("比对单位(盖章)" in line for line in face)
    # Printed: A4 landscape, the header repeated, a scale that fits the width.
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows.replace("$", "") == f"{at}:{at}"
    assert list(columns) == [label(c.key, "zh") for c in COLUMNS]
    assert int(ws.page_setup.scale or 100) == print_scale([c.width for c in COLUMNS], landscape=True)
    # The terminal names the file and what to do next.
    assert str(REQUEST) in county.output.replace("\n", "") or "信息比对申请名单.xlsx" in county.output
    assert "--roster" in county.output


def test_the_list_carries_its_identity_a_key_and_hash_per_row(county):
    identity = read_identity(county.listed)
    assert identity is not None and identity.step == "roster_request" and identity.doc_id.startswith("rq-")
    assert len(identity.rows) == 9 and identity.rows["hash"].str.len().eq(16).all()
    assert identity.rows["key"].is_unique
    # No ID on the identity sheet: a roster reader would take it for a roster's sheet.
    sheet = openpyxl.load_workbook(county.listed)["edgescreen"]
    assert sheet.sheet_state == "veryHidden"
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert county.shared not in cells and county.a["户主身份证号"] not in cells


def _returned(county: County, path: Path, answers: dict[str, str], *, drop: tuple[str, ...] = (),
              shuffle: bool = True) -> Path:
    """The list as a department gives it back: answers written by name, rows sorted by name descending
    (openpyxl moves cells: the sheet keeps its identity), a column of its own inserted after 序号,
    some rows deleted."""
    wb = openpyxl.load_workbook(county.listed)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    columns = {ws.cell(at, c).value: c for c in range(1, ws.max_column + 1)}
    first = at + 1
    last = max(r for r in range(first, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, (int, float)))
    rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)] for r in range(first, last + 1)]
    rows = [r for r in rows if r[columns["姓名"] - 1] not in drop]
    if shuffle:
        rows.sort(key=lambda r: str(r[columns["姓名"] - 1]), reverse=True)
    for r in range(first, last + 1):
        for c in range(1, ws.max_column + 1):
            ws.cell(r, c).value = None
    for r, values in enumerate(rows, start=first):
        for c, value in enumerate(values, start=1):
            ws.cell(r, c).value = value
        ws.cell(r, columns["比对结果"]).value = answers.get(values[columns["姓名"] - 1])
    ws.insert_cols(2)
    ws.cell(at, 2).value = "部门内部编号"
    wb.save(path)
    return path


def statuses(out: Path) -> dict[str, str]:
    ledger = read_ledger(out / "decisions.csv")
    return dict(zip(ledger["head_name"], ledger["status"]))


def not_listed(out: Path) -> list[str]:
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    return sorted(issues.loc[issues["code"] == "roster_not_listed", "户主姓名"].tolist())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_copy_sorted_widened_and_saved_as_xls_is_read_with_only_its_yes_rows_on_the_roster(county, tmp_path):
    # 李空's row (blank ID) and 王五's household are left out by the department: not covered.
    filled = _returned(county, tmp_path / "民政交回.xlsx", {"李小": "否", "李四": "是", "赵六": "否", "赵妻": "否 ",
                                                          "张三": "否", "张小": "否", "张妻": "否"}, drop=("王五",))
    done = subprocess.run(["soffice", "--headless", "--convert-to", "xls", "--outdir", str(tmp_path), str(filled)],
                          capture_output=True, timeout=180)
    xls = tmp_path / "民政交回.xls"
    assert done.returncode == 0 and xls.is_file(), done.stderr
    out = county.screen("returned", "--roster", f"低保={xls}")
    decided = statuses(out)
    # 李四 said 否: the roster's 是 excludes the household; 张三's 否 answers leave it as it was.
    assert decided["李四"] == "excluded_dibao"
    assert decided["张三"] == statuses(county.folder / "out")["张三"]
    # 赵六 said 是 and the department answered 否 for both: said. 王五 was not on the list given back: not.
    assert not_listed(out) == ["赵六"]
    assert "edgescreen" not in county.output.replace("edgescreen 自带规则文件", "")  # the identity sheet is neither read nor said (the rules line names the shipped rules file)


def test_only_yes_words_match_and_an_unclear_word_is_said_by_its_row(county, tmp_path):
    filled = _returned(county, tmp_path / "交回.xlsx", {"李四": "√", "赵六": "待查", "王五": "不在册"}, shuffle=False)
    out = county.screen("unclear", "--roster", f"低保={filled}")
    decided = statuses(out)
    assert decided["李四"] == "excluded_dibao"
    assert "待查" in county.output and "赵六" not in county.output  # the cell and the word, never a name
    text = county.output.replace("\n", "").replace(" ", "")
    assert "1行的比对结果既不是“是”也不是“否”" in text
    ws, at, columns = printed(filled)
    row = next(r for r in range(at + 1, ws.max_row + 1) if ws.cell(r, columns["姓名"]).value == "赵六")
    assert "(待查),没有当作在名单上,这些人所在的户也不算已比对" in text, text
    assert f"疑点为“比对结果待查”):工作表「信息比对申请名单」第{row}行" in text, text
    # quality.xlsx keeps it among the file facts, with what the list was asked and answered.
    facts = pd.read_excel(out / "quality.xlsx", sheet_name=None, dtype=str, engine="calamine")
    said = " ".join(" ".join(map(str, f.fillna("").to_numpy().ravel())) for f in facts.values())
    assert "1 行的比对结果既不是“是”也不是“否”(待查)" in said and "比对结果为“是”的 1 个" in said, said
    # Only the √ row is on the roster. 王五 (不在册) said 是 himself and is asked about; 赵六's household
    # (待查) was not checked, and the blanks of a list that answers no elsewhere were not answered.
    assert json.loads((out / "run.json").read_text())["rosters"][0]["rows"] == 1
    assert not_listed(out) == ["王五"]


def test_a_list_sent_back_with_no_result_filled_in_is_refused(county):
    result = run("screen", county.survey, "-o", county.folder / "blank", "--as-of", AS_OF, "--force",
                 "--roster", f"低保={county.listed}")
    assert result.exit_code != 0
    text = result.output.replace("\n", "").replace(" ", "")
    assert "信息比对申请名单.xlsx" in text and "「比对结果」一栏每一行都是空的" in text


def test_a_list_whose_result_column_is_gone_is_refused_by_its_identity(county, tmp_path):
    wb = openpyxl.load_workbook(county.listed)
    ws = wb.worksheets[0]
    at = next(r for r in range(1, 20) if ws.cell(r, 1).value == "序号")
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(at, c).value == "比对结果")
    ws.delete_cols(column)
    wb.save(tmp_path / "删列.xlsx")
    result = run("screen", county.survey, "-o", county.folder / "gone", "--as-of", AS_OF, "--force",
                 "--roster", f"低保={tmp_path / '删列.xlsx'}")
    assert result.exit_code != 0
    assert "找不到「比对结果」一栏" in result.output.replace("\n", "").replace(" ", "")


def test_the_terminal_names_the_list_within_80_columns(county, tmp_path):
    """Seen in tmux at 80 columns: the count glued to the path (…xlsx(共 2,400 户 7,246 人)。) made one piece
    of 81 cells, and the terminal put the 。 on a line of its own."""
    from rich.cells import cell_len
    from typer.testing import CliRunner

    from edgescreen.cli import app

    done = CliRunner().invoke(app, ["screen", str(county.survey), "-o", str(tmp_path / "out"), "--as-of", AS_OF,
                                    "--request-list"], env={"COLUMNS": "80"})
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "信息比对申请名单(共" in line)
    said = lines[at:-1]  # the command to copy is one line, never wrapped
    path = str(tmp_path / "out" / "信息比对" / "信息比对申请名单.xlsx")
    # A path longer than a line stands whole on its own line (copied, it is still one path).
    assert all(cell_len(line) <= 80 or path in line for line in said), said
    assert any(path in line for line in said) and not any(line.startswith("。") for line in said), said
