"""Two things an outside tester (2026-12, try BJ) met. A county's workbook whose first sheet 「填表说明」
holds the instructions, the form's header and ONE example row (1, XX镇, XX村, 张三, a valid ID), then
「(示例,请勿在此页填写)」: the example was read as a household of XX镇 XX村. Now a row on a sheet named as
the instructions that says 示例 or 请勿填写, or a row placed in XX镇 / ××村 / 某某村 or headed by 某某, is the
form's example, not a household, and said (file, sheet, row): at most a form's few such rows; a real
张三 in a real village is read. And a monitoring-system export with 户类型 and 是否脱贫户 in place of
是否低保户 / 是否特困人员: the refusal offered 是否脱贫户 as 是否低保户, which would make every 脱贫户 a 低保
exclusion. Another question is never offered as a yes/no field; beside 户类型, only its advice."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_ledger

runner = CliRunner()


def _row(record: dict) -> list:
    return [record.get(h, "") for h in HEADERS]


def _instructions_workbook(path: Path, households: list[dict], *, sheet: str = "填表说明",
                           example: dict | None = None) -> Path:
    """Sheet 1 (`sheet`): instruction lines, the header on row 7, the example on row 8, the line
    saying it is one on row 9; sheet 2 「登记表」: a title, the header, `households`."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = sheet
    for line in ("贫困边缘户入户登记表填表说明", "1. 本表以户为单位填写,每户一行。", "2. 家庭常住人口数指全年在家居住6个月以上的人数。",
                 "3. 金额单位为元。", "4. 是否低保户、是否特困人员填“是”或“否”。", "5. 填写示例如下(正式数据请填在「登记表」工作表中):"):
        first.append([line])
    first.append(HEADERS)
    first.append(_row(example or household(**{"乡(镇)": "XX镇", "行政村": "XX村", "户主姓名": "张三",
                                              "户主身份证号": make_id("19680512", serial=1)})))
    first.append([None, None, None, None, "(示例,请勿在此页填写)"])
    second = book.create_sheet("登记表")
    second.append(["合隆镇贫困边缘户入户登记表(2019年度)"])
    second.append(HEADERS)
    for record in households:
        second.append(_row(record))
    book.save(path)
    return path


def _households() -> list[dict]:
    # A real 张三 of 前岗村, named as the form's example is: read as every household is.
    return [household(**{"户主姓名": "张三", "户主身份证号": make_id(serial=11)}),
            household(**{"户主姓名": "李秀英", "户主身份证号": make_id(serial=12), "行政村": "后岗村"}),
            household(**{"户主姓名": "王福", "户主身份证号": make_id(serial=13)})]


def _screen(path: Path, out: Path, *more: str):
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2019-12-31", *more])
    assert result.exit_code == 0, result.output
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    skipped = {s["name"]: s["skipped_rows"] for s in run["inputs"][0]["sheets"]}
    return read_ledger(out / "decisions.csv"), skipped, " ".join(result.output.split())


def _facts(path: Path, out: Path, *more: str) -> tuple[dict[str, str], str]:
    result = runner.invoke(app, ["check", str(path), "-o", str(out), "--as-of", "2019-12-31", *more])
    assert result.exit_code == 0, result.output
    facts = json.loads((out / "check.json").read_text(encoding="utf-8"))["facts"]
    return {f["fact"]: f["detail"] for f in facts}, "".join(result.output.split())


def test_the_example_on_a_sheet_of_instructions_is_no_household(tmp_path):
    path = _instructions_workbook(tmp_path / "合隆镇.xlsx", _households())
    ledger, skipped, _ = _screen(path, tmp_path / "out")
    assert ledger["sheet"].tolist() == ["登记表"] * 3
    assert ledger["head_name"].tolist() == ["张三", "李秀英", "王福"]
    assert ledger["village"].tolist() == ["前岗村", "后岗村", "前岗村"]
    assert "XX镇" not in ledger["township"].tolist()
    # The example and the line under it that says so, each with its row; nothing of the real sheet.
    assert skipped["填表说明"] == [{"row": 8, "reason": "example_sheet"}, {"row": 9, "reason": "example_sheet"}]
    assert skipped["登记表"] == []
    assert not any("XX" in p.name for p in (tmp_path / "out" / "villages").iterdir())

    facts, said = _facts(path, tmp_path / "report")
    assert facts["rows_example_sheet"] == "8-9"
    assert "读入3户" in said and "工作表「填表说明」:第8-9行是填表说明页上的填写示例" in said, said
    assert "工作表「登记表」:表头在第2行,读入3户" in said, said


def test_the_instructions_example_is_said_in_english(tmp_path):
    path = _instructions_workbook(tmp_path / "合隆镇.xlsx", _households(), sheet="填表须知",
                                  example=household(**{"户主姓名": "张三", "户主身份证号": make_id(serial=2)}))
    facts, said = _facts(path, tmp_path / "report", "--lang", "en")
    assert facts["rows_example_sheet"] == "8-9"
    assert "rows8-9aretheexampleontheform'sinstructions" in said, said


def test_a_row_in_placeholder_places_or_of_a_placeholder_head_is_an_example_and_a_real_zhangsan_is_read(tmp_path):
    """On the survey's own sheet, no 例 anywhere: the example in XX镇 ××村 (a valid ID) and one headed 某某
    in a real village are no households; 张三 of 前岗村 is one, and so is 张三 of 新村 (a real village that
    is no placeholder)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "合隆镇"
    sheet.append(HEADERS)
    sheet.append(_row(household(**{"乡(镇)": "XX镇", "行政村": "××村", "户主姓名": "张三",
                                    "户主身份证号": make_id(serial=21)})))
    sheet.append(_row(household(**{"户主姓名": "某某", "户主身份证号": make_id(serial=22)})))
    for record in (*_households(), household(**{"户主姓名": "张三", "行政村": "新村", "户主身份证号": make_id(serial=23)})):
        sheet.append(_row(record))
    book.save(tmp_path / "合隆镇.xlsx")
    ledger, skipped, _ = _screen(tmp_path / "合隆镇.xlsx", tmp_path / "out")
    assert ledger["row"].tolist() == ["4", "5", "6", "7"]
    assert ledger["head_name"].tolist() == ["张三", "李秀英", "王福", "张三"]
    assert ledger["status"].tolist() == ["candidate"] * 4
    assert skipped["合隆镇"] == [{"row": 2, "reason": "placeholder"}, {"row": 3, "reason": "placeholder"}]
    facts, said = _facts(tmp_path / "合隆镇.xlsx", tmp_path / "report")
    assert facts["rows_placeholder"] == "2-3"
    assert "第2-3行的乡镇、村或户主姓名是“XX镇”" in said, said


def test_more_rows_than_a_forms_examples_are_households_whatever_their_sheet_or_place(tmp_path):
    """(A guard: passes before the change too.) Four households left with the template's XX村, and four
    typed into a sheet named 说明 that says 示例, are a county's households, read, not passed over."""
    placed = [household(**{"行政村": "XX村", "户主姓名": f"户主{i}", "户主身份证号": make_id(serial=30 + i)})
              for i in range(4)]
    path = _instructions_workbook(tmp_path / "合隆镇.xlsx", placed, sheet="说明",
                                  example=household(**{"户主姓名": "赵一", "户主身份证号": make_id(serial=40)}))
    book = openpyxl.load_workbook(path)
    book["说明"].insert_rows(9, 3)  # three more households under the first, the line saying 示例 below them
    for i, name in enumerate(("钱二", "孙三", "周四")):
        for c, value in enumerate(_row(household(**{"户主姓名": name, "户主身份证号": make_id(serial=41 + i)})), 1):
            book["说明"].cell(9 + i, c, value)
    book.save(path)
    ledger, skipped, _ = _screen(path, tmp_path / "out")
    assert sorted(ledger["head_name"].tolist()) == sorted(["赵一", "钱二", "孙三", "周四", "户主0", "户主1", "户主2", "户主3"])
    assert not any(s["reason"] in ("example_sheet", "placeholder") for rows in skipped.values() for s in rows)


# A monitoring-system export (防返贫监测信息系统): 户类型 in place of the two yes/no columns, and 是否脱贫户.
EXPORT = ["序号", "乡(镇)", "行政村", "户主姓名", "证件号码", "家庭人口数", "常住人口数", "工资性收入", "生产经营性收入",
          "财产性收入", "转移性收入", "生产经营性支出", "户类型", "是否脱贫户"]


def _export(path: Path, header: list[str]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "农户基本信息"
    sheet.append(["防返贫监测信息系统-农户基本信息"])
    sheet.append(header)
    for i, kind in enumerate(("低保户", "一般农户", "特困供养户")):
        values = {"序号": i + 1, "乡(镇)": "哈拉海镇", "行政村": "哈拉海村", "户主姓名": f"户主{i}",
                  "证件号码": make_id(serial=50 + i), "家庭人口数": 3, "常住人口数": 3, "工资性收入": 10000,
                  "生产经营性收入": 0, "财产性收入": 0, "转移性收入": 0, "生产经营性支出": 0, "户类型": kind,
                  "是否脱贫户": "是" if i == 1 else "否", "是否监测户": "否", "是否残疾": "否", "是否特因人员": "否"}
        sheet.append([values.get(h, "") for h in header])
    book.save(path)
    return path


def test_beside_a_household_type_column_only_its_advice_is_given(tmp_path):
    path = _export(tmp_path / "农户基本信息.xlsx", EXPORT)
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "out")])
    said = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "缺少必填列:是否低保户、是否特困人员" in said, said
    assert "可改为是否低保户" not in said and "最接近的可用表头" not in said, said
    assert "表中的M「户类型」一栏看来是户类型" in said, said


def test_another_yes_no_question_is_never_offered_as_dibao_or_tekun_and_a_typo_still_is(tmp_path):
    header = [h for h in EXPORT if h != "户类型"] + ["是否监测户", "是否残疾", "是否特因人员"]
    path = _export(tmp_path / "农户基本信息.xlsx", header)
    result = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "out")])
    said = "".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "缺少必填列:是否低保户、是否特困人员" in said, said
    for other in ("是否脱贫户", "是否监测户", "是否残疾"):
        assert f"「{other}」可改为" not in said, said
    assert "P「是否特因人员」可改为" in said and "是否特困人员" in said.split("P「是否特因人员」可改为")[1], said
