"""Two rosters of one kind, and an authoritative roster whose IDs Excel ruined (an outside try, AV): the
same 低保 list sent by the county and by the township is one list, its people counted once, and where the
two copies disagree about a person (in force on one, 停保 on the other) the clerk is told, naming both
files and rows; a 特困 roster most of whose IDs Excel stored as numbers is refused, naming the file, the
sheet and the column; one with a few such IDs is read."""

from __future__ import annotations

import json
import re

import openpyxl
import pandas as pd

from survey_builders import make_id, write_csv_table
from test_rosters import named_county, run, write_sheets
from edgescreen.outputs.ledger import read_ledger

AS_OF = "2019-12-31"
HEADER = ["序号", "姓名", "身份证号", "保障状态"]


def flat(text: str) -> str:
    """The terminal's words without its line breaks (it wraps at 80 columns)."""
    return re.sub(r"\s+", "", text)


def dibao_rows(heads: dict[str, str], stopped: set[str] = frozenset()) -> list[list]:
    """A 低保 roster: 张一 of the survey, three people the survey lacks, one who left long ago; `stopped`
    names the survey's people this copy says 停保."""
    rows = [[1, "张一", heads["张一"], "停保" if "张一" in stopped else "正常"]]
    rows += [[2 + i, name, make_id(f"1950010{i + 1}", serial=700 + i), "正常"] for i, name in enumerate("甲乙丙")]
    rows.append([5, "丁某", make_id("19480101", serial=710), "停保"])
    return rows


def test_the_same_roster_given_twice_is_one_list_its_people_counted_once(tmp_path):
    folder, survey, heads = named_county(tmp_path, ["张一", "李二"], 310)
    rows = dibao_rows(heads)
    county = write_sheets(folder / "县低保花名册.xlsx", {"低保对象": (HEADER, rows)})
    # The township's copy of the same list, saved otherwise (a CSV): other bytes, the same people.
    township = write_csv_table(folder / "镇低保花名册.csv", HEADER, rows)
    out = folder / "out"
    result = run("screen", survey, "-o", out, "--force", "--as-of", AS_OF,
                 "--roster", f"低保={county}", "--roster", f"低保={township}")
    assert result.exit_code == 0, result.output
    said = flat(result.output)
    assert "信息比对:1份名单" in said, said
    # The three people the survey lacks: said once, on the first file.
    assert said.count("在调查的农户中找不到") == 1 and "县低保花名册.xlsx)上另有3人" in said, said
    sheet = openpyxl.load_workbook(out / "quality.xlsx")["信息比对"]
    lines = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(line.startswith("名单中另有 1 行是已停保") for line in lines), lines
    # The copy is said to be the same list, on the terminal and on the sheet, once.
    assert said.count("与县低保花名册.xlsx内容相同(同一份名单),只按一份计") == 1, said
    facts = openpyxl.load_workbook(out / "quality.xlsx")["文件情况"]
    facts = [c for row in facts.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert sum("与 县低保花名册.xlsx 内容相同" in line for line in facts) == 1, facts
    rosters = json.loads((out / "run.json").read_text(encoding="utf-8"))["rosters"]
    assert [r.get("same_as") for r in rosters] == [None, "县低保花名册.xlsx"]
    assert read_ledger(out / "decisions.csv").set_index("head_id").loc[heads["张一"], "status"] == "excluded_dibao"


def test_two_copies_that_disagree_about_a_person_say_so_naming_both_files(tmp_path):
    folder, survey, heads = named_county(tmp_path, ["张一", "李二"], 320)
    county = write_sheets(folder / "县低保花名册.xlsx", {"低保对象": (HEADER, dibao_rows(heads))})
    township = write_sheets(folder / "镇低保花名册.xlsx", {"低保对象": (HEADER, dibao_rows(heads, {"张一"}))})
    out = folder / "out"
    result = run("screen", survey, "-o", out, "--force", "--as-of", AS_OF,
                 "--roster", f"低保={county}", "--roster", f"低保={township}")
    assert result.exit_code == 0, result.output
    # In force on one copy: excluded (README), and told.
    ledger = read_ledger(out / "decisions.csv").set_index("head_id")
    assert ledger.loc[heads["张一"], "status"] == "excluded_dibao"
    issues = pd.read_csv(out / "issues.csv", dtype=str, keep_default_na=False)
    said = issues.loc[issues["code"] == "roster_disagree", "说明"].tolist()
    person = heads["张一"]
    assert len(said) == 1, issues["code"].tolist()
    assert "县低保花名册.xlsx 工作表「低保对象」第 2 行 仍在保" in said[0], said
    assert "镇低保花名册.xlsx 工作表「低保对象」第 2 行 已停保" in said[0], said
    assert f"户主 张一(身份证号 {person[:6]}********{person[-4:]})" in said[0] and person not in said[0], said
    # The conflict with the form names the head as the head.
    conflict = issues.loc[issues["code"] == "roster_conflict", "说明"].tolist()
    assert conflict and conflict[0].endswith("上有这一户的 户主 张一"), conflict
    # The copy's one 停保 row that the other did not leave out is its own fact; the shared one said once.
    assert "镇低保花名册.xlsx:低保对象名单:1行的保障状态是停保" in flat(result.output), result.output


def on_tekun(heads: dict[str, str]) -> str:
    """The head the 特困 roster lists: one whose ID Excel can turn into a number (not ending in X)."""
    return next(name for name, person in heads.items() if not person.endswith("X"))


def tekun_roster(folder, heads: dict[str, str], ruined: int, total: int):
    """A 特困 roster of `total` rows, a head of the survey first (on_tekun), of which the first `ruined` IDs
    Excel stored as numbers."""
    listed = on_tekun(heads)
    rows = [[listed, heads[listed]]] + [[f"某{i}", make_id(f"1940{i % 12 + 1:02d}01", serial=600 + i)]
                                        for i in range(total - 1)]
    # An ID ending in X cannot be a number: the ruined rows are those that can.
    numbers = [r for r in rows if not r[1].endswith("X")][:ruined]
    for r in numbers:
        r[1] = float(r[1])
    return write_sheets(folder / "特困人员名单.xlsx", {"特困人员": (["姓名", "身份证号"], rows)}), len(numbers)


def test_a_tekun_roster_whose_ids_excel_mostly_ruined_is_refused_naming_file_and_column(tmp_path):
    folder, survey, heads = named_county(tmp_path, ["张一", "李二"], 330)
    roster, ruined = tekun_roster(folder, heads, ruined=30, total=40)
    assert ruined == 30
    result = run("screen", survey, "-o", folder / "out", "--force", "--as-of", AS_OF, "--roster", f"特困={roster}")
    assert result.exit_code == 2, result.output
    said = flat(result.output)
    assert "特困人员名单.xlsx(特困供养人员名单)" in said, said
    assert "工作表「特困人员」的B「身份证号」列中,30行的身份证号被Excel存成了数字(共40行)" in said, said
    assert "设为文本格式后重新导出" in said, said
    assert not (folder / "out" / "decisions.csv").exists()


def test_a_roster_with_a_few_ids_excel_ruined_is_read(tmp_path):
    folder, survey, heads = named_county(tmp_path, ["张一", "李二"], 340)
    # The listed head's own ID is among the ruined: the roster read, he is no match, the rows are said.
    roster, ruined = tekun_roster(folder, heads, ruined=2, total=40)
    out = folder / "out"
    result = run("screen", survey, "-o", out, "--force", "--as-of", AS_OF, "--roster", f"特困={roster}")
    assert result.exit_code == 0, result.output
    assert "2行的身份证号无效" in flat(result.output), result.output
    assert read_ledger(out / "decisions.csv").set_index("head_id").loc[heads[on_tekun(heads)], "status"] == "candidate"
