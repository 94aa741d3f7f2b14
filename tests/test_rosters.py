"""信息比对 and 家庭成员 (issue 14), end to end through the command line on files built here: every
roster effect, every member check, 15→18 IDs, members linked by 户编号 and by the head's ID, a roster
with invalid IDs, privacy (nothing of a roster but the fact of a match), `rules check` on a bad effect,
`check --roster`, explain's trace of a match, run.json, the 核实清单 sheet and the 疑点 column; and the
bare screen exactly as it was without members or rosters."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_csv_table, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger
from edgescreen.rules import rules_dir

runner = CliRunner()
AS_OF = "2020-01-01"
# What a roster holds beside the ID and the name, which must never reach an output.
SECRET = "ZQX机密7731"
SECRET_NAME = "欧阳保密"

MEMBER_HEADERS = ["乡(镇)", "行政村", "户编号", "姓名", "与户主关系", "身份证号", "健康状况", "在校生状况", "是否常住"]


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def named_county(tmp_path: Path, names: list[str], serial: int) -> tuple[Path, Path, dict[str, str]]:
    """合隆镇's survey of one household per name in `names`, heads born 196N-01-01 with IDs from `serial`:
    (the folder, the survey, {name: head's ID}), the county the roster tests screen against."""
    heads = {name: make_id(f"196{i}0101", serial=serial + i) for i, name in enumerate(names)}
    survey = write_workbook(tmp_path / "合隆镇.xlsx",
                            [household(户主姓名=name, 户主身份证号=head) for name, head in heads.items()])
    return tmp_path, survey, heads


def write_sheets(path: Path, sheets: dict[str, tuple[list[str], list[list]]], title: str | None = None) -> Path:
    """An .xlsx of plain tables: {sheet: (header, rows)}, a title row above the header when given."""
    book = xlsxwriter.Workbook(str(path))
    for name, (header, rows) in sheets.items():
        ws = book.add_worksheet(name)
        top = 0
        if title:
            ws.write_string(0, 0, title)
            top = 1
        for c, h in enumerate(header):
            ws.write_string(top, c, h)
        for r, row in enumerate(rows, top + 1):
            for c, v in enumerate(row):
                if isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                elif v not in (None, ""):
                    ws.write_string(r, c, str(v))
    book.close()
    return path


def write_survey(path: Path, households: list[dict], members: list[dict] | None,
                 member_headers: list[str] = MEMBER_HEADERS) -> Path:
    """A survey workbook: the households' sheet, and a 家庭成员 sheet when members are given."""
    sheets = {"户表": (HEADERS, [[h.get(k, "") for k in HEADERS] for h in households])}
    if members is not None:
        sheets["家庭成员"] = (member_headers, [[m.get(k, "") for k in member_headers] for m in members])
    return write_sheets(path, sheets)


def member(hh: dict, name: str, relation: str, person_id: str, **more) -> dict:
    return {"乡(镇)": hh["乡(镇)"], "行政村": hh["行政村"], "户编号": hh["户编号"], "姓名": name,
            "与户主关系": relation, "身份证号": person_id, "健康状况": "健康", "在校生状况": "非在校生",
            "是否常住": "是", **more}


def head(hh: dict, **more) -> dict:
    return member(hh, hh["户主姓名"], "户主", hh["户主身份证号"], **more)


def issues(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)


def codes_at(out: Path, code: str) -> list[str]:
    """The rows (as text) that have issue `code`."""
    frame = issues(out)
    return sorted(frame.loc[frame["code"] == code, "行号"].tolist())


def fifteen(person_id: str) -> str:
    """The old 15-digit form of an 18-digit ID of someone born in the 1900s."""
    return person_id[:6] + person_id[8:17]


# ---------------------------------------------------------------------------------------------
# The county of one village: a household per roster effect


class County:
    """Survey, members and rosters of 前岗村 (and one household of 后岗村), each household showing one
    thing. Row numbers: the household sheet's header is row 1, so the i-th household is row i + 2."""

    def __init__(self, folder: Path):
        self.folder = folder
        place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
        self.said_no = household(**place, 户编号="001", 户主姓名="张一", 户主身份证号=make_id("19700101"))
        self.car = household(**place, 户编号="002", 户主姓名="李二", 户主身份证号=make_id("19710101"))
        self.disabled = household(**place, 户编号="003", 户主姓名="王三", 户主身份证号=make_id("19720101"), 主要困难="因残")
        self.dead = household(**place, 户编号="004", 户主姓名="赵四", 户主身份证号=make_id("19730101"))
        self.cadre = household(**place, 户编号="005", 户主姓名="钱五", 户主身份证号=make_id("19740101"))
        self.lead = household(**place, 户编号="006", 户主姓名="孙六", 户主身份证号=make_id("19750101"))
        self.plain = household(**place, 户编号="007", 户主姓名="周七", 户主身份证号=make_id("19760101"))
        # Same 户编号 as said_no, another village: linked by the place too; has a 孙小红 of its own.
        self.elsewhere = household(**{"乡(镇)": "合隆镇", "行政村": "后岗村"}, 户编号="001", 户主姓名="吴八",
                                   户主身份证号=make_id("19770101"))
        self.households = [self.said_no, self.car, self.disabled, self.dead, self.cadre, self.lead, self.plain,
                           self.elsewhere]
        self.spouse_id = make_id("19720202")
        # A serial of its own: an ID ending in X cannot be stored as a number (the test of such a cell),
        # and a counted serial moved with every test that ran before.
        self.car_id = make_id("19730303", serial=904)
        self.disabled_id = make_id("19980404")
        self.mother_id = make_id("19400505")
        self.cadre_kin_id = make_id("19990606")
        self.members = [
            head(self.said_no), member(self.said_no, "刘芳", "配偶", self.spouse_id),
            member(self.said_no, "张小一", "子", make_id("19950101")),
            head(self.car), member(self.car, "陈丽", "配偶", self.car_id), member(self.car, "李小二", "女", make_id("19960101")),
            head(self.disabled), member(self.disabled, "王小三", "子", self.disabled_id),
            member(self.disabled, "黄梅", "配偶", make_id("19740404")),
            head(self.dead), member(self.dead, "马秀英", "母亲", self.mother_id),
            member(self.dead, "赵小四", "子", make_id("19970101")),
            head(self.cadre), member(self.cadre, "钱小五", "子", self.cadre_kin_id),
            member(self.cadre, "郑敏", "配偶", make_id("19750606")),
            head(self.lead), member(self.lead, "孙小红", "女", make_id("19980707")),
            member(self.lead, "冯洁", "配偶", make_id("19760707")),
            head(self.plain), member(self.plain, "周小七", "子", make_id("19990808")),
            member(self.plain, "何静", "配偶", make_id("19770808")),
            head(self.elsewhere), member(self.elsewhere, "孙小红", "女", make_id("19980909")),
            member(self.elsewhere, "韩雪", "配偶", make_id("19780909")),
        ]
        self.survey = write_survey(folder / "县.xlsx", self.households, self.members)
        self.rosters = {
            # 低保: a title row, the spouse of a household that said 否; a row of no one here holding the secret.
            "低保": write_sheets(folder / "低保对象名单.xlsx", {"低保对象": (
                ["序号", "姓名", "身份证号", "月保障金额(元)", "备注"],
                [[1, "刘芳", self.spouse_id, 455, SECRET], [2, SECRET_NAME, make_id("19600101", serial=901), 380, ""]])},
                title="农安县农村低保对象花名册"),
            # 车辆 (a CSV): the plate number is the secret.
            "车辆": write_csv_table(folder / "机动车.csv", ["所有人", "身份证号", "号牌号码"],
                                   [["陈丽", self.car_id, SECRET], [SECRET_NAME, make_id("19610101", serial=902), "吉A1"]]),
            "残疾": write_sheets(folder / "残疾人.xlsx", {"残疾人": (
                ["姓名", "身份证号", "残疾类别"], [["王小三", self.disabled_id, SECRET]])}),
            "死亡": write_sheets(folder / "死亡.xlsx", {"注销": (
                ["村", "姓名", "身份证号", "死亡日期", "注销原因", "户籍地址"],
                [["前岗村", "马秀英", self.mother_id, "2019-08-14", "死亡", SECRET]])}),
            "村干部亲属": write_sheets(folder / "村干部亲属.xlsx", {"亲属": (
                ["乡镇", "村", "村干部姓名", "亲属姓名", "身份证号"],
                [["合隆镇", "前岗村", "孙书记", "钱小五", self.cadre_kin_id], ["合隆镇", "前岗村", "某主任", "孙小红", ""]])}),
        }

    def options(self, *kinds: str) -> list[str]:
        out = []
        for kind in kinds or self.rosters:
            out += ["--roster", f"{kind}={self.rosters[kind]}"]
        return out


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    return County(tmp_path_factory.mktemp("county"))


@pytest.fixture(scope="module")
def screened(county, tmp_path_factory):
    """The county screened with every roster."""
    out = tmp_path_factory.mktemp("screened") / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, *county.options())
    assert result.exit_code == 0, result.output
    return out


def by_head(ledger: pd.DataFrame, hh: dict) -> pd.Series:
    return ledger.set_index("head_id").loc[hh["户主身份证号"]]


def test_authoritative_roster_through_a_member(county, screened):
    """低保 is authoritative under changchun-2019: the household that said 否 is excluded because its
    spouse is on the roster, with roster_conflict recording both facts; without the roster it is a candidate."""
    ledger = read_ledger(screened / "decisions.csv")
    row = by_head(ledger, county.said_no)
    assert row["status"] == "excluded_dibao" and row["roster_flags"] == "dibao"
    assert codes_at(screened, "roster_conflict") == ["2"]
    message = issues(screened).set_index("code").loc["roster_conflict", "说明"]
    assert "否" in message and "低保对象名单" in message and "配偶 刘芳" in message
    # The other households keep what their incomes give.
    assert by_head(ledger, county.plain)["status"] == "candidate"
    run_json = json.loads((screened / "run.json").read_text(encoding="utf-8"))
    assert run_json["roster_changed_statuses"] == 1


def test_flag_keeps_the_status_and_marks_the_household(county, screened):
    ledger = read_ledger(screened / "decisions.csv")
    row = by_head(ledger, county.car)
    assert row["status"] == "candidate" and row["roster_flags"] == "vehicle"
    assert by_head(ledger, county.plain)["roster_flags"] == ""
    # Under zh the ledger's roster_flags are the short names, and read back as codes.
    with open(screened / "decisions.csv", encoding="utf-8-sig") as fh:
        raw = list(csv.DictReader(fh))
    assert {r["户主姓名"]: r[next(k for k in r if "比对" in k or "名单" in k)] for r in raw}["李二"] == "车辆"


def test_support_bears_out_a_difficulty(county, screened, tmp_path):
    """王三 says 因残 while no member is marked 残疾: difficulty_without_member, unless the disability
    roster (support) lists a member of the household."""
    three = "4"  # the third household's row
    assert three not in codes_at(screened, "difficulty_without_member")
    assert by_head(read_ledger(screened / "decisions.csv"), county.disabled)["roster_flags"] == "disability"
    out = tmp_path / "out"
    assert run("screen", county.survey, "-o", out, "--as-of", AS_OF, *county.options("车辆")).exit_code == 0
    assert codes_at(out, "difficulty_without_member") == [three]


def test_deceased_member_still_resident(county, screened, tmp_path):
    frame = issues(screened)
    dead = frame[frame["code"] == "member_deceased"]
    assert dead["行号"].tolist() == ["5"]
    assert "马秀英" in dead["说明"].iloc[0] and "2019-08-14" in dead["说明"].iloc[0]
    # Marked 否 for 是否常住 (and the count one less): no warning.
    members = [dict(m, 是否常住="否") if m["姓名"] == "马秀英" else m for m in county.members]
    households = [dict(h, 家庭常住人口数=2) if h is county.dead else h for h in county.households]
    survey = write_survey(tmp_path / "县.xlsx", households, members)
    out = tmp_path / "out"
    assert run("screen", survey, "-o", out, "--as-of", AS_OF, *county.options("死亡")).exit_code == 0
    assert codes_at(out, "member_deceased") == []


def test_cadre_relative_by_id_and_name_leads_apart(county, screened):
    ledger = read_ledger(screened / "decisions.csv")
    assert by_head(ledger, county.cadre)["roster_flags"] == "cadre_relative"
    # 孙小红 of 前岗村 is named without an ID: a lead, never a match (no flag); 孙小红 of 后岗村 is nothing.
    assert by_head(ledger, county.lead)["roster_flags"] == ""
    assert by_head(ledger, county.elsewhere)["roster_flags"] == ""
    run_json = json.loads((screened / "run.json").read_text(encoding="utf-8"))
    cadre = next(r for r in run_json["rosters"] if r["kind"] == "cadre_relative")
    assert cadre["matches"] == 1 and cadre["households"] == 1 and cadre["leads"] == 1
    book = openpyxl.load_workbook(screened / "villages" / "合隆镇-前岗村.xlsx")
    verify = book["核实清单"]
    text = {c.value for row in verify.iter_rows() for c in row if isinstance(c.value, str)}
    assert any("同村同名" in t and "孙小红" in t for t in text), text
    assert not any("孙小红" in str(c.value) for row in openpyxl.load_workbook(
        screened / "villages" / "合隆镇-后岗村.xlsx").worksheets[-1].iter_rows() for c in row)


def test_the_review_list_and_the_verification_sheet(county, screened):
    book = openpyxl.load_workbook(screened / "villages" / "合隆镇-前岗村.xlsx")
    assert book.sheetnames[-1] == "核实清单"
    candidates = book.worksheets[0]
    grid = [[c.value for c in row] for row in candidates.iter_rows()]
    header_at = next(i for i, r in enumerate(grid) if "疑点" in r)
    header = grid[header_at]
    rows = {r[header.index("户主姓名")]: r for r in grid[header_at + 1:] if r[header.index("户主姓名")]}
    assert rows["李二"][header.index("疑点")] == "车辆"
    assert rows["钱五"][header.index("疑点")] == "村干部 孙书记 的亲属"  # the cadre to step aside
    assert rows["周七"][header.index("疑点")] in (None, "")
    assert "张一" not in rows  # excluded by the 低保 roster: not a candidate
    verify = [[c.value for c in row] for row in book["核实清单"].iter_rows()]
    vh = next(i for i, r in enumerate(verify) if r and "入户核实内容" in r)
    listed = {r[verify[vh].index("户主姓名")]: r for r in verify[vh + 1:] if r[verify[vh].index("户主姓名")]}
    assert {"李二", "赵四", "钱五", "孙六"} <= set(listed)
    assert "周七" not in listed and "王三" not in listed  # no flag; a support is not a lead to verify
    car = listed["李二"]
    matched = car[verify[vh].index("比对到的成员")]
    assert "配偶" in matched and county.car_id not in matched and county.car_id[-4:] in matched  # masked
    assert car[verify[vh].index("核实情况(核实人填写)")] in (None, "")  # left for the verifier


def test_run_json_gives_each_roster_hash_kind_and_effect(county, screened):
    run_json = json.loads((screened / "run.json").read_text(encoding="utf-8"))
    rosters = {r["kind"]: r for r in run_json["rosters"]}
    assert set(rosters) == {"dibao", "vehicle", "disability", "deceased", "cadre_relative"}
    for word, kind in (("低保", "dibao"), ("车辆", "vehicle"), ("残疾", "disability"), ("死亡", "deceased"),
                       ("村干部亲属", "cadre_relative")):
        path = county.rosters[word]
        assert rosters[kind]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert rosters[kind]["file"] == path.name
    assert {k: r["effect"] for k, r in rosters.items()} == {
        "dibao": "authoritative", "vehicle": "flag", "disability": "support", "deceased": "flag",
        "cadre_relative": "flag"}
    assert run_json["members"]["members"] == len(county.members) and run_json["members"]["linked"] == len(county.members)


def test_quality_report_has_the_roster_section(county, screened):
    book = openpyxl.load_workbook(screened / "quality.xlsx")
    assert "信息比对" in book.sheetnames
    text = " ".join(str(c.value) for row in book["信息比对"].iter_rows() for c in row if c.value is not None)
    assert "低保对象名单.xlsx" in text and "权威" in text and "疑点" in text and "佐证" in text
    assert "因权威名单改变认定结果的农户:1 户" in text
    html = (screened / "report.html").read_text(encoding="utf-8")
    assert 'id="rosters"' in html and "机动车.csv" in html


def test_explain_traces_a_match(county):
    result = run("explain", county.survey, "--id", county.said_no["户主身份证号"], "--as-of", AS_OF,
                 *county.options("低保", "车辆"))
    assert result.exit_code == 0, result.output
    text = result.output
    assert "信息比对" in text and "低保对象名单" in text and "配偶 刘芳" in text and "权威" in text
    assert 'rosters.dibao = "authoritative"' in text and "changchun-2019" in text
    assert "低保户(暂不列入)" in text.splitlines()[-1]
    data = json.loads(run("explain", county.survey, "--id", county.car["户主身份证号"], "--as-of", AS_OF, "--json",
                          *county.options("车辆")).output)
    match = data[0]["rosters"]["matches"][0] if isinstance(data, list) else data["rosters"]["matches"][0]
    assert match["roster"]["kind"] == "vehicle" and match["effect"] == "flag"
    assert match["member"]["relation"] == "配偶" and match["rule"]["key"] == "rosters.vehicle"


def test_privacy_no_roster_column_reaches_any_output(county, tmp_path):
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--no-mask", "--publicity-start", "2020-01-10",
                 *county.options())
    assert result.exit_code == 0, result.output
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".xlsx" for p in files) and any("publicity" in p.parts for p in files)
    for path in files:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        assert SECRET not in text and SECRET_NAME not in text, path
        assert "455" not in re.sub(r"\d{5,}", "", text) or path.suffix != ".csv"
        if "publicity" in path.parts:  # a posted list never shows a match
            for word in ("疑点", "车辆", "村干部亲属", "核实清单", "比对"):
                assert word not in text, (path, word)
    rep = tmp_path / "rep"
    assert run("check", county.survey, "-o", rep, "--as-of", AS_OF, *county.options()).exit_code in (0, 1)
    for path in (p for p in rep.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                raw = b"".join(z.read(n) for n in z.namelist())
        assert SECRET.encode() not in raw and SECRET_NAME.encode() not in raw, path


def test_check_with_rosters(county, tmp_path):
    out = tmp_path / "rep"
    result = run("check", county.survey, "-o", out, "--as-of", AS_OF, *county.options("低保", "死亡"))
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "quality.xlsx")
    assert "信息比对" in book.sheetnames
    text = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)
    assert "roster_conflict" in text or "与比对名单不符" in text
    assert "member_deceased" in text or "已故成员仍计入常住" in text
    manifest = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
    assert {r["kind"] for r in manifest["rosters"]} == {"dibao", "deceased"}


# ---------------------------------------------------------------------------------------------
# IDs: 15 digits, invalid ones


def test_fifteen_digit_ids_convert_and_invalid_ids_are_facts(county, tmp_path):
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [
        ["刘芳", fifteen(county.spouse_id)],
        ["某甲", "12345"], ["某乙", county.car_id[:17] + ("0" if county.car_id[17] != "0" else "1")],
        ["某丙", ""]])
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"dibao={roster}")
    assert result.exit_code == 0, result.output  # the run goes on
    ledger = read_ledger(out / "decisions.csv")
    assert by_head(ledger, county.said_no)["status"] == "excluded_dibao"
    assert by_head(ledger, county.car)["status"] == "candidate"  # a wrong check digit matches no one
    entry = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"][0]
    assert entry["converted_from_15"] == 1 and entry["invalid_ids"] == 2 and entry["blank_ids"] == 1
    assert entry["rows"] == 4 and entry["ids"] == 1
    facts = " ".join(str(c.value) for row in openpyxl.load_workbook(out / "quality.xlsx")["文件信息"].iter_rows()
                     for c in row if c.value) if "文件信息" in openpyxl.load_workbook(out / "quality.xlsx").sheetnames \
        else (out / "report.html").read_text(encoding="utf-8")
    assert "由15位转为18位" in facts and "1 行的身份证号无效(位数不对,应为18位或15位),未参加比对:第 3 行" in facts
    assert "1 行的身份证号无效(校验位不正确),未参加比对:第 4 行" in facts
    # The row without an ID is said on the terminal too (from an outside try: quality.xlsx alone said it).
    said = "".join(result.output.split())
    assert "低保对象名单(低保.csv)中1行没有身份证号,这些人没有参加比对:行号见quality.xlsx的「文件情况」。" in said, said


# ---------------------------------------------------------------------------------------------
# Members: every check, linking both ways, residents from members


def test_each_member_check(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19700101")) for i in range(1, 9)]
    hh[6]["主要困难"] = "因学"
    hh[7]["家庭常住人口数"] = ""
    shared = make_id("19950505")
    members = [
        # 1: four listed, 家庭人口数 3
        head(hh[0]), member(hh[0], "甲一", "配偶", make_id("19710101")), member(hh[0], "甲二", "子", make_id("19950101")),
        member(hh[0], "甲三", "女", make_id("19960101")),
        # 2 and 3: the same person in both
        head(hh[1]), member(hh[1], "乙一", "配偶", make_id("19710101")), member(hh[1], "共同", "子", shared),
        head(hh[2]), member(hh[2], "丙一", "配偶", make_id("19710101")), member(hh[2], "共同", "子", shared),
        # 4: no head among the members
        member(hh[3], "丁一", "配偶", make_id("19710101")), member(hh[3], "丁二", "子", make_id("19950101")),
        member(hh[3], "丁三", "女", make_id("19960101")),
        # 5: two heads
        head(hh[4]), member(hh[4], "戊一", "户主", make_id("19710101")), member(hh[4], "戊二", "子", make_id("19950101")),
        # 6: a spouse of 12
        head(hh[5]), member(hh[5], "己一", "配偶", make_id("20070101")), member(hh[5], "己二", "子", make_id("19950101")),
        # 7: 因学 and no student
        head(hh[6]), member(hh[6], "庚一", "配偶", make_id("19710101")), member(hh[6], "庚二", "子", make_id("19950101")),
        # 8: 家庭常住人口数 blank, two of three 常住
        head(hh[7]), member(hh[7], "辛一", "配偶", make_id("19710101")),
        member(hh[7], "辛二", "子", make_id("19950101"), 是否常住="否"),
        # a member row of no household
        {**member(hh[0], "孤儿", "子", make_id("19980101")), "户编号": "999"},
    ]
    survey = write_survey(tmp_path / "县.xlsx", hh, members)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    row = {i: str(i + 2) for i in range(8)}
    assert codes_at(out, "member_count_mismatch") == [row[0], row[0]]  # 家庭人口数 and 家庭常住人口数
    assert codes_at(out, "person_in_two_households") == [row[1], row[2]]
    assert issues(out).set_index("code").loc["person_in_two_households", "严重程度"].tolist() == ["错误", "错误"]
    assert codes_at(out, "head_not_in_members") == [row[3]]
    assert codes_at(out, "two_heads") == [row[4]]
    assert codes_at(out, "member_age_relation") == [row[5]]
    assert codes_at(out, "difficulty_without_member") == [row[6]]
    ledger = read_ledger(out / "decisions.csv")
    assert ledger.loc[ledger["head_name"] == "户8", "residents"].tolist() == ["2"]  # counted from the members
    assert list(ledger.loc[ledger["head_name"] == "户2", "status"]) == ["invalid"]  # an error on both
    # No roster: no roster_flags column.
    assert "roster_flags" not in ledger.columns
    # The member of no household: its own list (quality.xlsx and report.html), not a household's; in
    # issues.csv as a member row's issue.
    listed = issues(out)
    assert set(listed.loc[listed["code"] == "member_without_household", "所在表"]) == {"家庭成员表"}
    book = openpyxl.load_workbook(out / "quality.xlsx")
    assert "家庭成员问题" in book.sheetnames
    text = " ".join(str(c.value) for r in book["家庭成员问题"].iter_rows() for c in r if c.value)
    assert "孤儿" in text and "找不到所属农户" in text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="member-issues"' in html and "孤儿" in html
    facts = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    assert "按家庭成员表中「是否常住」为是的人数计算" in facts
    trace = run("explain", survey, "--name", "户8", "--as-of", AS_OF)
    assert "按家庭成员表中「是否常住」为是的人数计为 2 人" in trace.output, trace.output
    # check says so in its exit code: a member row's error is an error.
    assert run("check", survey, "-o", tmp_path / "rep", "--as-of", AS_OF).exit_code == 1


def test_a_difficulty_is_not_held_against_members_whose_sheet_does_not_ask(tmp_path):
    """因残 / 因学 against a members sheet without 健康状况 / 在校生状况: the sheet says nothing of anyone's
    health or schooling, so "no member is disabled" would be false. A sheet that asks is still checked."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号="001", 户主姓名="甲", 户主身份证号=make_id("19700101"), 主要困难="因残"),
          household(**place, 户编号="002", 户主姓名="乙", 户主身份证号=make_id("19710101"), 主要困难="因学")]
    members = [head(hh[0]), member(hh[0], "甲妻", "配偶", make_id("19720101")),
               member(hh[0], "甲子", "子", make_id("19950101")),
               head(hh[1]), member(hh[1], "乙妻", "配偶", make_id("19730101")),
               member(hh[1], "乙子", "子", make_id("19960101"))]
    bare = ["户编号", "姓名", "与户主关系", "身份证号", "是否常住"]
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members, bare), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "difficulty_without_member") == []
    asked = tmp_path / "asked"
    result = run("screen", write_survey(tmp_path / "县2.xlsx", hh, members), "-o", asked, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(asked, "difficulty_without_member") == ["2", "3"]


def test_a_person_in_two_households_on_an_authoritative_roster_decides_neither(tmp_path):
    """One person listed in two households (串户) is on the 低保 roster: which household the roster
    means is not known. Neither is excluded on it; both stay 数据有误,待核实 with a message naming the
    person and the other household, on the village's list; the terminal does not count two roster
    decisions. A household whose own member (in it alone) is on the roster is still excluded."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"00{i}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"197{i}0101")) for i in (1, 2, 3)]
    shared, own = make_id("19950505"), make_id("19960606")
    members = [head(hh[0]), member(hh[0], "小明", "子", shared),
               head(hh[1]), member(hh[1], "小明", "外孙", shared),
               head(hh[2]), member(hh[2], "小红", "女", own)]
    for listed in members:
        listed["家庭人口数"] = ""
    survey = write_survey(tmp_path / "县.xlsx", hh, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["小明", shared], ["小红", own]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["户1", "status"] == "invalid" and ledger.loc["户2", "status"] == "invalid"
    assert ledger.loc["户3", "status"] == "excluded_dibao"
    assert codes_at(out, "roster_undecided") == ["2", "3"]
    # 串户 on the 户主姓名 cell: the value is that cell's (户1), the person shared is in the message.
    shared_row = issues(out).set_index("code").loc["person_in_two_households"].iloc[0]
    assert (shared_row["栏目"], shared_row["填写内容"], shared_row["单元格"]) == ("户主姓名", "户1", "E2"), shared_row
    assert "家庭成员「小明」" in shared_row["说明"]
    assert codes_at(out, "roster_conflict") == ["4"]  # 户1 and 户2's 否 is not contradicted by a decision
    message = issues(out).set_index("code").loc["roster_undecided", "说明"].tolist()[0]
    assert "低保对象名单上有 子 小明" in message and "同时登记在另一户" in message and "第3行" in message
    said = " ".join(result.output.split())
    assert "1 户按低保名单改变了认定" in said, said  # only the 低保 roster was given: it alone is named
    assert "另有 1 人在低保名单上,但同时登记在两户(共 2 户)" in said and "每户记一条错误" in said
    village = openpyxl.load_workbook(next((out / "villages").glob("*.xlsx")))["数据有误待核实"]
    text = " ".join(str(c.value) for r in village.iter_rows() for c in r if c.value is not None)
    assert "户1" in text and "户2" in text and "不据此排除其中任何一户" in text
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_json["roster_changed_statuses"] == 1
    trace = run("explain", survey, "--name", "户1", "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert "按名单排除" not in trace.output, trace.output


def test_ids_of_no_id_form_are_one_person_only_when_the_same_text(tmp_path):
    """IDs are joined as integer keys; an ID in no ID's form (a typo, a passport number) is keyed by
    its text. Two different such IDs — one a member's, one a head's, each numbered in its own
    column — are two people; the same text in two households is one person in both."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19700101")) for i in range(1, 6)]
    hh[3]["户主身份证号"] = "E12345678"  # a passport number where the head's ID should be
    members = [head(hh[0]), member(hh[0], "甲一", "配偶", "G1234"),  # a member's ID in no ID's form
               head(hh[1]), member(hh[1], "乙一", "配偶", "G9999"),
               head(hh[2]), member(hh[2], "丙一", "子", "G9999"),  # the same text again: one person
               head(hh[3]), head(hh[4])]
    for listed in members:
        listed["家庭人口数"] = ""
    out = tmp_path / "out"
    result = run("screen", write_survey(tmp_path / "县.xlsx", hh, members), "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert codes_at(out, "person_in_two_households") == ["3", "4"]


def test_a_person_in_two_households_is_named_by_the_member_rows_too(tmp_path):
    """串户 from a members table: the message on each household names the rows of the 家庭成员 sheet
    where the person is listed, both of them (one where the person heads the other household and is
    not listed there), so that the clerk finds the rows to correct."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19700101")) for i in range(1, 6)]
    shared, head_too = make_id("19950101"), hh[4]["户主身份证号"]
    members = [head(hh[0]), member(hh[0], "甲一", "配偶", make_id("19710101")),   # member rows 2, 3
               head(hh[1]), member(hh[1], "共同", "子", shared),                   # 4, 5
               head(hh[2]), member(hh[2], "丙一", "配偶", make_id("19710101")),   # 6, 7
               member(hh[2], "共同", "子", shared),                                # 8
               head(hh[3]), member(hh[3], "户5", "父亲", head_too)]               # 9, 10; 户5 heads 005
    for listed in members:
        listed["家庭人口数"] = ""
    survey = write_survey(tmp_path / "县.xlsx", hh, members)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    found = issues(out)
    said = found[found["code"] == "person_in_two_households"].set_index("行号")["说明"]
    assert said["3"].endswith("第4行(家庭成员表 县.xlsx「家庭成员」第5行、第8行)。一人只能是一户的成员(串户)"), said["3"]
    assert said["4"].endswith("第3行(家庭成员表 县.xlsx「家庭成员」第8行、第5行)。一人只能是一户的成员(串户)"), said["4"]
    assert said["5"].endswith("第6行(家庭成员表 县.xlsx「家庭成员」第10行)。一人只能是一户的成员(串户)"), said["5"]
    assert said["6"].endswith("第5行(家庭成员表 县.xlsx「家庭成员」第10行)。一人只能是一户的成员(串户)"), said["6"]

    out = tmp_path / "en"
    assert run("screen", survey, "-o", out, "--as-of", AS_OF, "--lang", "en").exit_code == 0
    found = issues(out)
    said = found[found["code"] == "person_in_two_households"].set_index("row")["message"]
    assert said["3"].endswith("row 4 (members: 县.xlsx, sheet “家庭成员”, rows 5 and 8). A person belongs to one household only")


def test_a_person_in_households_of_two_files_is_named_by_each_files_member_row(tmp_path):
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"{i:03d}", 户主姓名=f"户{i}", 户主身份证号=make_id("19700101")) for i in (1, 2)]
    shared = make_id("19950101")
    a = write_survey(tmp_path / "甲.xlsx", hh[:1], [head(hh[0]), member(hh[0], "共同", "子", shared)])
    b = write_survey(tmp_path / "乙.xlsx", hh[1:], [head(hh[1]), member(hh[1], "共同", "子", shared)])
    out = tmp_path / "out"
    assert run("screen", a, b, "-o", out, "--as-of", AS_OF).exit_code == 0
    found = issues(out)
    said = found[found["code"] == "person_in_two_households"].set_index("来源文件")["说明"]
    assert "(家庭成员表 甲.xlsx「家庭成员」第3行、乙.xlsx「家庭成员」第3行)。" in said["甲.xlsx"], said["甲.xlsx"]
    assert "(家庭成员表 乙.xlsx「家庭成员」第3行、甲.xlsx「家庭成员」第3行)。" in said["乙.xlsx"], said["乙.xlsx"]


def test_members_linked_by_head_id_from_a_separate_file_and_by_block(tmp_path):
    """No 户编号 anywhere: a members file of its own among the inputs links by the 户主身份证号 on each
    member row; a printed form (members under their 户主 row) links by the head's own ID."""
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"))
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"))
    c = household(户主姓名="丙", 户主身份证号=make_id("19720101"))
    survey = write_workbook(tmp_path / "县.xlsx", [a, b, c])
    spouse_a = make_id("19720303")
    by_id = write_sheets(tmp_path / "成员.xlsx", {"成员": (
        ["户主身份证号", "姓名", "与户主关系", "身份证号"],
        [[a["户主身份证号"], "甲", "户主", a["户主身份证号"]], [a["户主身份证号"], "甲妻", "配偶", spouse_a],
         [a["户主身份证号"], "甲子", "子", make_id("19950101")],
         [b["户主身份证号"], "乙", "户主", b["户主身份证号"]], [b["户主身份证号"], "乙妻", "配偶", make_id("19730101")],
         [b["户主身份证号"], "乙子", "子", make_id("19960101")]])})
    block = write_sheets(tmp_path / "丙家成员.xlsx", {"家庭成员登记表": (
        ["姓名", "与户主关系", "身份证号"],
        [["丙", "户主", c["户主身份证号"]], ["丙妻", "配偶", make_id("19740101")], ["丙子", "子", make_id("19970101")]])},
        title="合隆镇前岗村家庭成员登记表")
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["甲妻", spouse_a]])
    out = tmp_path / "out"
    result = run("screen", survey, by_id, block, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    links = json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["links"]
    assert links == {"household_id": 0, "household_number_other": 0, "head_id": 6, "block": 3, "left": 0}
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["status"]) == ["excluded_dibao", "candidate", "candidate"]  # through the spouse
    assert codes_at(out, "member_count_mismatch") == [] and codes_at(out, "head_not_in_members") == []


def test_a_household_code_every_household_shares_links_no_one_and_stops_nothing(tmp_path):
    """A monitoring-system export re-saved in Excel: its 20-digit 户编号 stored as numbers, cut to the
    same 15 digits in both sheets. Before: 内部错误(IndexError), nothing written. Now no member links
    by that 户编号 (no guess between households), every household is decided, and each member row
    says its 户编号 is shared and why that happens."""
    code = "2.20122101001e+19"
    heads = [household(户主姓名=name, 户主身份证号=make_id(f"197{k}0101"), 户编号=code) for k, name in enumerate("甲乙丙")]
    survey = write_sheets(tmp_path / "县.xlsx", {
        "户信息": (HEADERS, [[h[c] for c in HEADERS] for h in heads]),
        "家庭成员": (["户编号", "姓名", "与户主关系", "身份证号"],
                     [[code, h["户主姓名"], "户主", h["户主身份证号"]] for h in heads])})
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert list(read_ledger(out / "decisions.csv")["status"]) == ["candidate"] * 3
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["members"]["linked"] == 0
    sheet = openpyxl.load_workbook(out / "quality.xlsx", read_only=True)["家庭成员问题"]
    said = [v for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str) and "户编号都是" in v]
    assert len(said) == 3 and "有 3 户的户编号都是「2.20122101001e+19」" in said[0], said


def test_roster_matches_the_head_without_members(tmp_path):
    a = household(户主姓名="甲", 户主身份证号=make_id("19700101"))
    b = household(户主姓名="乙", 户主身份证号=make_id("19710101"))
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    roster = write_csv_table(tmp_path / "车.csv", ["姓名", "身份证号"], [["乙", b["户主身份证号"]]])
    out = tmp_path / "out"
    assert run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"vehicle={roster}").exit_code == 0
    ledger = read_ledger(out / "decisions.csv")
    assert list(ledger["roster_flags"]) == ["", "vehicle"] and list(ledger["status"]) == ["candidate", "candidate"]


# ---------------------------------------------------------------------------------------------
# The rule set decides; the command line refuses what it cannot use


def county_rules(tmp_path, old: str, new: str) -> Path:
    text = (rules_dir() / "changchun-2019.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "县.toml"
    path.write_text(text.replace('id = "changchun-2019"', 'id = "my-county"').replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, said", [
    ('vehicle = "flag"', 'vehicle = "verdict"', "verdict"),
    ('vehicle = "flag"', 'vehicle = "authoritative"', "vehicle"),
    ('vehicle = "flag"', 'vehicle = "support"', "vehicle"),
    ('vehicle = "flag"', 'bicycle = "flag"', "bicycle"),
])
def test_rules_check_refuses_a_bad_effect(tmp_path, old, new, said):
    path = county_rules(tmp_path, old, new)
    result = run("rules", "check", path)
    assert result.exit_code != 0 and said in result.output, result.output
    assert "rosters" in result.output or "名单" in result.output


def test_a_county_rule_file_changes_an_effect(county, tmp_path):
    rules = county_rules(tmp_path, 'dibao = "authoritative"', 'dibao = "flag"')
    assert run("rules", "check", rules).exit_code == 0
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--rules", rules, *county.options("低保"))
    assert result.exit_code == 0, result.output
    row = by_head(read_ledger(out / "decisions.csv"), county.said_no)
    assert row["status"] == "candidate" and row["roster_flags"] == "dibao"
    assert codes_at(out, "roster_conflict") == ["2"]


@pytest.mark.parametrize("option, said", [
    ("汽车=x.csv", "汽车"), ("vehicle", "KIND=FILE"), ("vehicle=does-not-exist.csv", "does-not-exist.csv"),
])
def test_a_bad_roster_option_is_said(county, tmp_path, option, said):
    result = run("screen", county.survey, "-o", tmp_path / "out", "--roster", option, env={"EDGESCREEN_LANG": "en"})
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_roster_without_an_id_column_is_refused(county, tmp_path):
    roster = write_csv_table(tmp_path / "车.csv", ["姓名", "号牌"], [["陈丽", "吉A1"]])
    result = run("screen", county.survey, "-o", tmp_path / "out", "--roster", f"车辆={roster}")
    assert result.exit_code == 2 and "车.csv" in result.output, result.output


# ---------------------------------------------------------------------------------------------
# The bare screen: exactly as it was


BARE_COLUMNS = ["source_file", "sheet", "row", "township", "village", "household_id", "head_name", "head_id",
                "residents", "total_income", "production_expenses", "net_income", "per_capita_income", "status",
                "reasons"]


def test_the_bare_screen_is_as_it_was(county, tmp_path):
    survey = write_workbook(tmp_path / "县.xlsx", county.households)
    out = tmp_path / "out"
    assert run("screen", survey, "-o", out, "--as-of", AS_OF).exit_code == 0
    assert list(read_ledger(out / "decisions.csv").columns) == BARE_COLUMNS
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*"))
    assert names == sorted(["decisions.csv", "issues.csv", "quality.xlsx", "report.html", "run.json", "summary.xlsx",
                            "villages", "villages/合隆镇-前岗村.xlsx", "villages/合隆镇-后岗村.xlsx"])
    assert openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx").sheetnames[-1] != "核实清单"
    header = [c.value for row in openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx").worksheets[0]
              .iter_rows() for c in row]
    assert "疑点" not in header
    run_json = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert "rosters" not in run_json and "members" not in run_json
    book = openpyxl.load_workbook(out / "quality.xlsx")
    assert "信息比对" not in book.sheetnames and "家庭成员问题" not in book.sheetnames
    text = " ".join(str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value)
    for code in ("member_count_mismatch", "roster_conflict", "member_deceased"):
        assert code not in text


# ---------------------------------------------------------------------------------------------
# The sample county


def test_the_sample_run_shows_every_effect(tmp_path):
    """The README's command: sample_data/ with its members and rosters shows each effect."""
    sample = Path(__file__).resolve().parents[1] / "sample_data"
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    options = re.findall(r"--roster (\S+)=sample_data/rosters/(\S+)", readme)
    assert len(options) == 7
    out = tmp_path / "out"
    args = ["screen", sample / "changchun-sample.xlsx", "-o", out, "--as-of", AS_OF]
    for kind, name in options:
        args += ["--roster", f"{kind}={sample / 'rosters' / name}"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["roster_changed_statuses"] == 1  # a self-reported 否 excluded by the 低保 roster
    assert manifest["counts"]["excluded_dibao"] == 121 and manifest["counts"]["candidate"] == 287
    found = issues(out)["code"].value_counts()
    assert found["roster_conflict"] == 1 and found["member_deceased"] == 1 and found["person_in_two_households"] == 2
    assert found["two_heads"] == 1 and found["head_not_in_members"] == 1 and found["member_age_relation"] >= 1
    flags = ledger["roster_flags"].str.split(";").explode()
    assert (flags == "vehicle").sum() == 2 and (flags == "deceased").sum() == 1 and (flags == "cadre_relative").sum() == 1
    rosters = {r["kind"]: r for r in manifest["rosters"]}
    assert rosters["cadre_relative"]["leads"] == 1
    assert rosters["dibao"]["converted_from_15"] == 3 and rosters["dibao"]["invalid_ids"] == 2
    assert rosters["disability"]["effect"] == "support" and rosters["disability"]["matches"] > 0
    assert manifest["members"]["residents_from_members"] == 1 and manifest["members"]["issues"]["error"] >= 1
    # The screen of the sample alone: its counts as they ever were.
    bare = tmp_path / "bare"
    assert run("screen", sample / "changchun-sample.xlsx", "-o", bare, "--as-of", AS_OF).exit_code == 0
    assert json.loads((bare / "run.json").read_text(encoding="utf-8"))["counts"] == {
        "excluded_dibao": 120, "excluded_tekun": 48, "excluded_registered": 120, "invalid": 60, "below_line": 120,
        "candidate": 288, "above_limit": 1644}


def test_a_members_sheet_is_read_as_a_household_sheet_is(tmp_path):
    """A printed members sheet: a merged title, a 填报单位 line, the headers' other spellings, full-width
    digits in an ID, a blank row and a 合计 row: read, linked, and the rows said where they are."""
    a = household(户编号="001", 户主姓名="甲", 户主身份证号=make_id("19700101"))
    b = household(户编号="002", 户主姓名="乙", 户主身份证号=make_id("19710101"), 家庭人口数=2, 家庭常住人口数=2)
    survey = write_workbook(tmp_path / "县.xlsx", [a, b])
    spouse = make_id("19720303")
    book = xlsxwriter.Workbook(str(tmp_path / "成员.xlsx"))
    ws = book.add_worksheet("成员")
    ws.merge_range(0, 0, 0, 4, "合隆镇前岗村家庭成员花名册")
    ws.write_string(1, 0, "填报单位:前岗村村委会")
    for c, h in enumerate(["户号", "成员姓名", "与户主的关系", "公民身份号码", "是否常住人口"]):
        ws.write_string(2, c, h)
    rows = [["001", "甲", "本人", a["户主身份证号"], "是"],
            ["001", "甲妻", "妻子", spouse.translate(str.maketrans("0123456789", "０１２３４５６７８９")), "是"],
            ["001", "甲子", "长子", make_id("19950101"), "是"],
            [],
            ["002", "乙", "户主", b["户主身份证号"], "是"], ["002", "乙夫", "丈夫", make_id("19700202"), "是"],
            ["合计", "", "", "", ""]]
    for r, row in enumerate(rows, 3):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    book.close()
    roster = write_csv_table(tmp_path / "车.csv", ["身份证号码", "姓名"], [[spouse, "甲妻"]])
    out = tmp_path / "out"
    result = run("screen", survey, tmp_path / "成员.xlsx", "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert manifest["members"]["members"] == 5 and manifest["members"]["linked"] == 5
    assert manifest["members"]["sheets"] == [{"file": "成员.xlsx", "sheet": "成员", "members": 5, "header_rows": [3, 3]}]
    assert list(read_ledger(out / "decisions.csv")["roster_flags"]) == ["vehicle", ""]  # the full-width ID matched
    assert set(issues(out)["code"]) <= {"income_without_costs"}  # nothing about the members


def test_under_english_every_sheet_has_its_own_name(county, tmp_path):
    """--lang en: the 核实清单 sheet is "roster leads" (the invalid list is "to verify": two sheets of
    one name were an internal error)."""
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--lang", "en", *county.options())
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out / "villages" / "合隆镇-前岗村.xlsx")
    assert book.sheetnames[-1] == "roster leads" and len(set(map(str.lower, book.sheetnames))) == len(book.sheetnames)
    assert "flags" in [c.value for row in book.worksheets[0].iter_rows() for c in row]
    assert "rosters" in openpyxl.load_workbook(out / "quality.xlsx").sheetnames


def test_the_register_carries_the_flags_to_the_meeting_and_the_visit_never_to_a_posting(county, tmp_path):
    """Screened onto a register with rosters: the 民主评议 and 入户核实 documents have a 疑点 column
    naming the rosters whose effect is a flag (李二's 车辆), blank for the others, where a supporting
    roster (王三's 残疾) is no 疑点; the 第一次公示 shows no 疑点 and no roster word. A procedure file
    that would post the column is refused when it loads."""
    from register_builders import fill, meeting, table_rows
    from edgescreen.register.procedure import Step

    db = tmp_path / "县.db"
    assert run("screen", county.survey, "-o", tmp_path / "out", "--as-of", AS_OF, *county.options(),
               "--register", db, "--date", "2019-11-20").exit_code == 0
    docs = {}
    for step, day, folder in (("review", "2019-11-21", "1-民主评议"), ("verify", "2019-11-26", "2-入户核实"),
                              ("publicity1", "2019-12-01", "3-第一次公示")):
        said = run("register", "next", db, "--date", day, "-o", tmp_path / step)
        assert said.exit_code == 0, said.output
        docs[step] = next((tmp_path / step / folder).glob("*前岗村*.xlsx"))
        rows = {r["户主姓名"]: r for r in table_rows(docs[step])}
        if step != "publicity1":
            # flags: 车辆, 死亡 (a member on it), 村干部亲属 by ID; 王三's 残疾 supports a difficulty, and
            # 孙六's 同村同名 is a lead of the screen's 核实清单, not a match: neither is a 疑点.
            assert {name: row["疑点"] for name, row in rows.items()} == {
                **dict.fromkeys(rows), "李二": "车辆", "赵四": "死亡、已故成员仍计入常住", "钱五": "村干部亲属"}, rows
            if step == "review":
                fill(docs[step], default=("同意", ""), form=meeting("2019年11月25日"))
            else:
                fill(docs[step], default=("属实", ""), rows={"核实人": "张乡长", "核实日期": dt.datetime(2019, 11, 27)})
            assert run("register", "record", db, docs[step]).exit_code == 0, step
        else:
            assert "李二" in rows and all("疑点" not in r for r in rows.values())
            text = " ".join(str(c.value) for ws in openpyxl.load_workbook(docs[step]).worksheets
                            for row in ws.iter_rows() for c in row if c.value is not None)
            assert "车辆" not in text and "疑点" not in text
    # Screened without rosters, the meeting's document has a 疑点 column only for the data's own doubts
    # (王三's difficulty the members do not bear out): no roster's word, a blank for the others.
    bare = tmp_path / "bare.db"
    assert run("screen", county.survey, "-o", tmp_path / "bare", "--as-of", AS_OF, "--register", bare,
               "--date", "2019-11-20").exit_code == 0
    assert run("register", "next", bare, "--date", "2019-11-21", "-o", tmp_path / "bare-docs").exit_code == 0
    rows = table_rows(next((tmp_path / "bare-docs" / "1-民主评议").glob("*前岗村*.xlsx")))
    assert "李二" in {r["户主姓名"] for r in rows}
    assert {r["户主姓名"]: r["疑点"] for r in rows if r["疑点"]} == {"王三": "主要困难与成员不符"}
    with pytest.raises(ValueError, match="疑点"):
        Step(id="x", scope="village", kind="publicity", posted=True, landscape=False, folder="folder_verify",
             title="doc_verify_title", columns=("seq", "head_name", "suspect"), days=7)


def test_the_terminal_says_what_the_rosters_found(county, tmp_path):
    """A sentence after the summary: the rosters read, the households matched, the statuses an
    authoritative roster changed, the flagged candidates and the name leads; none without rosters."""
    result = runner.invoke(app, ["screen", str(county.survey), "-o", str(tmp_path / "out"), "--as-of", AS_OF,
                                 *county.options()], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    ledger = read_ledger(tmp_path / "out" / "decisions.csv")
    flagged = ledger[(ledger["status"] == "candidate") & ledger["roster_flags"].str.contains(
        "vehicle|deceased|cadre_relative")]
    assert sorted(flagged["head_name"]) == ["李二", "赵四", "钱五"]
    # Only the authoritative rosters given are named (the 低保 one), not every roster that could be.
    assert ("信息比对:5 份名单,5 户有成员在名单上;1 户按低保名单改变了认定;"
            "候选户中 3 户有疑点、1 户有同村同名线索") in result.output, result.output
    english = runner.invoke(app, ["screen", str(county.survey), "-o", str(tmp_path / "en"), "--as-of", AS_OF,
                                  "--lang", "en", *county.options()], env={"COLUMNS": "400"})
    assert ("Rosters read: 5; households with a member on one: 5; statuses changed by an authoritative roster "
            "(dibao): 1; among the candidates, flagged: 3, with a same-village name lead: 1.") in english.output, \
        english.output
    # No authoritative roster given: nothing could change a status, and nothing is said of it.
    flags = runner.invoke(app, ["screen", str(county.survey), "-o", str(tmp_path / "flags"), "--as-of", AS_OF,
                                *county.options("车辆", "残疾")], env={"COLUMNS": "200"})
    assert "信息比对:2 份名单," in flags.output and "改变了认定" not in flags.output, flags.output
    bare = runner.invoke(app, ["screen", str(county.survey), "-o", str(tmp_path / "bare"), "--as-of", AS_OF])
    assert bare.exit_code == 0 and "信息比对" not in bare.output


def test_a_roster_that_lists_most_households_is_said_to_be_the_wrong_file(tmp_path):
    """A whole village's 花名册 given as the 低保 roster: every household is on it. The whole-column
    finding says the likely cause is the roster file, not the way the column was filled in."""
    many = [household(**{"乡(镇)": "合隆镇", "行政村": "前岗村", "户编号": f"{i:03d}", "户主姓名": f"户{i}",
                         "户主身份证号": make_id("19700101", serial=100 + i)}) for i in range(30)]
    survey = write_survey(tmp_path / "县.xlsx", many, None)
    roll = write_csv_table(tmp_path / "前岗村花名册.csv", ["姓名", "身份证号"],
                           [[h["户主姓名"], h["户主身份证号"]] for h in many])
    result = runner.invoke(app, ["screen", str(survey), "-o", str(tmp_path / "out"), "--as-of", AS_OF,
                                 "--roster", f"低保={roll}"], env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "多半是 --roster 指定的文件不对" in result.output, result.output


# ---------------------------------------------------------------------------------------------
# A roster's sheets: none left out without a word


def test_a_roster_sheet_listing_people_under_an_unknown_id_header_is_refused(county, tmp_path):
    roster = write_sheets(tmp_path / "低保.xlsx", {
        "合隆镇": (["姓名", "身份证号码"], [["刘芳", county.spouse_id]]),
        "烧锅镇": (["姓名", "身份编码"], [["陈丽", county.car_id], ["某甲", make_id("19600101", serial=903)]])})
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "低保.xlsx" in said and "「烧锅镇」" in said and "2 个像身份证号" in said and "B 列" in said
    assert "「姓名」「身份编码」" in said and not out.exists()


def test_a_roster_sheet_of_notes_is_said_not_read(county, tmp_path):
    roster = write_sheets(tmp_path / "低保.xlsx", {
        "低保对象": (["姓名", "身份证号"], [["刘芳", county.spouse_id]]),
        "填表说明": (["说明"], [["1. 按乡镇分页填写"], ["2. 身份证号填18位"]])})
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "工作表「填表说明」有 2 行内容,但没有身份证号栏目(看到的表头:「说明」)" in said
    assert "「填表说明」有 2 行内容" in (out / "report.html").read_text(encoding="utf-8")
    assert by_head(read_ledger(out / "decisions.csv"), county.said_no)["status"] == "excluded_dibao"


def test_a_roster_without_an_id_column_names_the_headers_it_saw(county, tmp_path):
    roster = write_sheets(tmp_path / "车.xlsx", {"登记": (["姓名", "号牌", "车主证号"], [["陈丽", "吉A1", "x"]])})
    result = run("screen", county.survey, "-o", tmp_path / "out", "--roster", f"车辆={roster}")
    assert result.exit_code == 2, result.output
    assert "工作表「登记」:「姓名」「号牌」「车主证号」" in " ".join(result.output.split())


@pytest.mark.parametrize("header", ["车主身份证", "车主身份证号", "车主身份证号码", "身份证明号码", "所有人证件号码",
                                    "公民身份证号码", "居民身份证号码", "法定代表人证件号", "法定代表人身份证号",
                                    "法定代表人身份证号码", "法人证件号码"])
def test_the_id_headers_of_departments_exports_are_known(county, tmp_path, header):
    roster = write_csv_table(tmp_path / "车.csv", ["姓名", header], [["陈丽", county.car_id]])
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}")
    assert result.exit_code == 0, result.output
    assert by_head(read_ledger(out / "decisions.csv"), county.car)["roster_flags"] == "vehicle"


@pytest.mark.parametrize("header", ["户主身份证号", "户主证件号码", "申请人身份证号"])
def test_a_household_level_roster_is_read_by_the_heads_id(county, tmp_path, header):
    """民政's 低保户 export lists households by the head's (or the applicant's) ID only: that column is
    the roster's ID. Beside a members' ID column it is not read (the members' column is the roster)."""
    alone = write_sheets(tmp_path / "低保户.xlsx", {"低保户": (["序号", "户主姓名", header, "保障人数"],
                                                             [[1, "李二", county.car["户主身份证号"], 3]])},
                         title="农安县低保户花名册")
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={alone}")
    assert result.exit_code == 0, result.output
    assert by_head(read_ledger(out / "decisions.csv"), county.car)["status"] == "excluded_dibao"
    beside = write_sheets(tmp_path / "低保成员.xlsx", {"低保": (["户主姓名", header, "姓名", "身份证号"],
                                                             [["李二", county.car["户主身份证号"], "陈丽",
                                                               county.car_id]])})
    out = tmp_path / "out2"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={beside}")
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv")
    assert by_head(ledger, county.car)["status"] == "excluded_dibao"  # by 陈丽, the member listed
    assert by_head(ledger, county.said_no)["roster_flags"] == ""  # the head column beside is no member


def test_the_common_misnomers_of_the_id_header_are_known_on_the_survey_too():
    from edgescreen.catalogue import normalise_header
    from edgescreen.header import household_table, member_table
    from edgescreen.rules import load_rules

    for header in ("公民身份证号码", "居民身份证号码"):
        assert member_table().alias_index[normalise_header(header)] == "member_id"
        assert household_table(load_rules().rules).alias_index[normalise_header(header)] == "head_id"


def test_a_roster_header_naming_two_columns_is_refused_at_load():
    from edgescreen.catalogue import RosterCatalogue, data_toml

    data = data_toml("rosters.toml")
    data["columns"]["name"]["aliases"] = [*data["columns"]["name"]["aliases"], "车主身份证"]
    with pytest.raises(ValueError, match="车主身份证"):
        RosterCatalogue.model_validate(data)


def test_a_rosters_invalid_ids_are_said_by_sheet_and_row_with_why(county, tmp_path):
    excel_number = float(county.car_id[:15] + "000")  # as Excel keeps a number: 15 significant digits
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (["姓名", "身份证号"], [
        ["陈丽", excel_number], ["刘芳", county.spouse_id], ["某甲", county.car_id[:17]], ["某乙", county.car_id[:16]]])})
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    report = (out / "report.html").read_text(encoding="utf-8")
    for text in (said, report):
        assert "1 行的身份证号无效(身份证号存成了数字而不是文本" in text and "工作表「低保」第 2 行" in text
        assert "2 行的身份证号无效(位数不对" in text and "工作表「低保」第 4、5 行" not in text
        assert "工作表「低保」第 4-5 行" in text and "第 工作表" not in text


def test_an_id_another_program_stored_as_a_number_is_not_matched_and_the_reason_blames_no_one(county, tmp_path):
    """An 18-digit ID written as a number by any program (here every digit it could keep, 17 significant):
    a float holds 18 digits only to the nearest 32, so the digits read back are not the ID's, and a rounded
    one with a valid check character would be someone else's one time in eleven. Not matched; the reason
    says what the cell holds, not that Excel lost it."""
    roster = write_sheets(tmp_path / "财政.xlsx", {"Sheet1": (["姓名", "身份证号"], [["陈丽", float(int(county.car_id))]])})
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"财政供养={roster}")
    assert result.exit_code == 0, result.output
    assert by_head(read_ledger(out / "decisions.csv"), county.car)["roster_flags"] == ""
    said = " ".join(result.output.split())
    assert "身份证号存成了数字而不是文本" in said and "Excel 把" not in said, said


def test_a_roster_whose_ids_are_all_blank_is_a_warning(county, tmp_path):
    roster = write_sheets(tmp_path / "车.xlsx", {"车辆": (["姓名", "身份证号"], [["陈丽", ""], ["李二", ""]])})
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"车辆={roster}",
                 env={"EDGESCREEN_LANG": "en"})
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "the ID column is blank on every row (2 rows), so this roster matched no one" in said
    assert 'sheet “车辆” rows 2-3' in said


def test_rosters_without_members_say_only_heads_were_matched(county, tmp_path):
    survey = write_workbook(tmp_path / "县.xlsx", county.households)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, *county.options("低保"))
    assert result.exit_code == 0, result.output
    said = "未提供家庭成员表,只比对了户主身份证号"
    assert " ".join(result.output.split()).count(said) == 1
    assert said in (out / "report.html").read_text(encoding="utf-8")
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["信息比对"]
    assert any(said in str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    checked = run("check", survey, "-o", tmp_path / "checked", "--as-of", AS_OF, *county.options("低保"))
    assert checked.exit_code in (0, 1) and said in " ".join(checked.output.split()), checked.output
    with_members = run("screen", county.survey, "-o", tmp_path / "full", "--as-of", AS_OF, *county.options("低保"))
    assert said not in " ".join(with_members.output.split())
    assert said not in (tmp_path / "full" / "report.html").read_text(encoding="utf-8")


def test_summary_run_sheet_gives_each_roster_in_words_with_its_hash(county, screened):
    rows = {}
    for key, value in openpyxl.load_workbook(screened / "summary.xlsx")["运行信息"].iter_rows(min_row=2, values_only=True):
        rows.setdefault(key, []).append(value or "")
    rosters = rows["比对名单"]
    digest = hashlib.sha256(county.rosters["车辆"].read_bytes()).hexdigest()
    assert f"机动车登记名单:机动车.csv(读入 2 行)\nSHA-256 {digest}" in rosters
    assert len(rosters) == len(county.rosters)
    assert not any("rosters=" in v or "dibao" in v for values in rows.values() for v in values)


def test_a_members_fifteen_digit_id_is_converted_as_a_rosters_is(county, tmp_path):
    from edgescreen import members, rosters

    assert members.ids_of_18 is rosters.ids_of_18  # one function, not a copy
    people = [dict(m, 身份证号=fifteen(m["身份证号"])) if m["身份证号"] == county.spouse_id else m for m in county.members]
    survey = write_survey(tmp_path / "县.xlsx", county.households, people)
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, *county.options("低保"))
    assert result.exit_code == 0, result.output
    assert by_head(read_ledger(out / "decisions.csv"), county.said_no)["status"] == "excluded_dibao"
    assert "id_malformed" not in set(issues(out)["code"])
    assert "有 1 个15位的(第一代)身份证号,已转为18位" in (out / "report.html").read_text(encoding="utf-8")


def test_an_authoritative_roster_naming_the_id_otherwise_is_a_warning(county, tmp_path):
    roster = write_sheets(tmp_path / "低保.xlsx", {"低保": (["姓名", "身份证号"], [
        ["张三丰", county.spouse_id],           # 刘芳's ID under another name: one of the two may be mistyped
        ["陈 丽", county.car_id]])})             # the same name with a space: no warning
    out = tmp_path / "out"
    result = run("screen", county.survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    assert codes_at(out, "roster_name_mismatch") == ["2"]
    message = issues(out).set_index("code").loc["roster_name_mismatch", "说明"]
    assert "配偶 刘芳" in message and "名单上登记的姓名与本表不同" in message and "张三丰" not in message
    # The household is excluded already (the roster is authoritative): the message says so, not "before excluding".
    assert by_head(read_ledger(out / "decisions.csv"), county.said_no)["status"] == "excluded_dibao"
    assert "已按身份证号计入了这份名单" in message and "再据此排除" not in message
    flagged = run("screen", county.survey, "-o", tmp_path / "vehicle", "--as-of", AS_OF, "--roster", f"车辆={roster}")
    # A lead roster names it too (its 核实清单 sends the village to ask the member): said as a lead, not a decision.
    assert flagged.exit_code == 0 and codes_at(tmp_path / "vehicle", "roster_name_mismatch") == ["2"]
    assert "列为疑点" in issues(tmp_path / "vehicle").set_index("code").loc["roster_name_mismatch", "说明"]


def test_explain_says_an_authoritative_match_was_set_aside_for_a_person_in_two_households(tmp_path):
    """A person in two households on the 低保 roster decides neither (roster_undecided): explain showed
    the match as 权威(直接排除) beside the status 数据有误,待核实. It says the roster was set aside."""
    place = {"乡(镇)": "合隆镇", "行政村": "前岗村"}
    hh = [household(**place, 户编号=f"00{i}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"197{i}0101")) for i in (1, 2)]
    shared = make_id("19950505")
    members = [head(hh[0]), member(hh[0], "小明", "子", shared), head(hh[1]), member(hh[1], "小明", "外孙", shared)]
    for listed in members:
        listed["家庭人口数"] = ""
    survey = write_survey(tmp_path / "县.xlsx", hh, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["小明", shared]])
    for lang, said, not_said in (("zh", "权威,但此处未采用", "权威(直接排除)"),
                                 ("en", "authoritative, but set aside here", "authoritative (excludes)")):
        trace = run("explain", survey, "--name", "户1", "--as-of", AS_OF, "--roster", f"低保={roster}", "--lang", lang,
                    env={"COLUMNS": "400"})
        assert trace.exit_code == 0, trace.output
        text = " ".join(trace.output.split())
        assert said in text and not_said not in text, text
    as_json = run("explain", survey, "--name", "户1", "--as-of", AS_OF, "--roster", f"低保={roster}", "--json")
    match = json.loads(as_json.output)["rosters"]["matches"][0]
    assert match["effect"] == "authoritative" and match["set_aside"] is True


def test_a_household_excluded_on_its_own_match_is_not_said_to_be_invalid_for_a_shared_member(tmp_path):
    """From an outside try: 户1's head is on the 低保 roster, and its child also in 户2. 户1 is 低保户 on
    its head; the undecided member's error and the terminal no longer say both households are
    数据有误,待核实."""
    hh = [household(户编号=f"00{i}", 户主姓名=f"户{i}", 户主身份证号=make_id(f"197{i}0101")) for i in (1, 2)]
    shared = make_id("19950505")
    members = [head(hh[0]), member(hh[0], "小明", "子", shared), head(hh[1]), member(hh[1], "小明", "外孙", shared)]
    for listed in members:
        listed["家庭人口数"] = ""
    survey = write_survey(tmp_path / "县.xlsx", hh, members)
    roster = write_csv_table(tmp_path / "低保.csv", ["姓名", "身份证号"], [["小明", shared], ["户1", hh[0]["户主身份证号"]]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    ledger = read_ledger(out / "decisions.csv").set_index("head_name")
    assert ledger.loc["户1", "status"] == "excluded_dibao" and ledger.loc["户2", "status"] == "invalid"
    messages = " ".join(issues(out).set_index("code").loc[["roster_undecided"], "说明"].tolist())
    said = " ".join(result.output.split())
    for text in (messages, said):
        assert "列为“数据有误,待核实”" not in text, text



def test_a_household_that_says_dibao_and_is_not_on_the_dibao_roster_is_warned(tmp_path):
    """From an outside try: 杨新珍 said 是否低保户 是, and the 低保 roster given lists nobody of hers: left
    out on the form's word, said by nothing. Now a warning, in the townships the roster names."""
    listed, unlisted, other_town = make_id("19700101", serial=51), make_id("19710101", serial=52), \
        make_id("19720101", serial=53)
    hh = [household(户编号="001", 户主姓名="在册", 户主身份证号=listed, 是否低保户="是"),
          household(户编号="002", 户主姓名="不在册", 户主身份证号=unlisted, 是否低保户="是"),
          household(户编号="003", 户主姓名="未说", 户主身份证号=make_id("19730101", serial=54)),
          household(**{"户编号": "004", "户主姓名": "外乡", "户主身份证号": other_town, "是否低保户": "是",
                       "乡(镇)": "烧锅镇", "行政村": "三宝村"})]
    survey = write_survey(tmp_path / "县.xlsx", hh, None)
    roster = write_csv_table(tmp_path / "低保.csv", ["乡镇", "村", "姓名", "身份证号"],
                             [["合隆镇", "前岗村", "在册", listed]])
    out = tmp_path / "out"
    result = run("screen", survey, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
    assert result.exit_code == 0, result.output
    assert codes_at(out, "roster_not_listed") == ["3"], "不在册 only: 外乡's township is not the roster's"
    message = issues(out).set_index("code").loc["roster_not_listed", "说明"]
    assert "低保对象名单上没有这一户的任何人" in message and "是否仍在保" in message, message
    assert read_ledger(out / "decisions.csv")["status"].tolist()[:2] == ["excluded_dibao", "excluded_dibao"]
