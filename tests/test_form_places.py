"""A form made with `template --villages` carries its own hidden 村名单; its drop-downs offer every village
whatever the township. An outside try picked 长山村 under 合隆镇, where the list has it under 烧锅镇: check
said nothing. Now each household placed otherwise than the form's list is said (place_not_in_form_list)."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})
    assert result.exit_code in (0, 1), result.output
    return result


def test_a_village_placed_otherwise_than_the_forms_own_list_is_said(tmp_path):
    villages = tmp_path / "村名单.csv"
    villages.write_text("乡(镇),行政村\n合隆镇,前岗村\n合隆镇,后岗村\n烧锅镇,长山村\n", encoding="utf-8")
    form = tmp_path / "登记表.xlsx"
    run("template", "-o", form, "--villages", villages)
    wb = openpyxl.load_workbook(form)
    ws = wb.worksheets[0]
    header = {c.value: c.column for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str)}
    first = next(r for r in range(1, 12) if ws.cell(r, 1).value in (1, "1"))
    people = [("合隆镇", "前岗村", "甲", "220122197001013012"), ("合隆镇", "长山村", "乙", "220122197101013015"),
              ("合隆镇", "新立村", "丙", "220122197201013018")]
    for i, (town, village, name, pid) in enumerate(people):
        r = first + i
        for head, value in (("乡(镇)", town), ("行政村", village), ("户主姓名", name), ("户主身份证号", pid),
                            ("家庭人口数", 3), ("家庭常住人口数", 3), ("工资性收入", 10000)):
            col = next(c for h, c in header.items() if h.replace("*", "").startswith(head))
            ws.cell(r, col).value = value
    wb.save(form)
    out = tmp_path / "report"
    run("check", form, "-o", out)
    found = read_issues(out / "issues.csv")
    said = found[found["code"] == "place_not_in_form_list"].set_index("head_name")["message"]
    assert sorted(said.index) == ["丙", "乙"], found[["head_name", "code"]]
    assert "这张登记表自带的村名单中,这个村属于烧锅镇,不在合隆镇" in said["乙"], said["乙"]
    assert "村名单中没有这个村" in said["丙"], said["丙"]
