"""What real rural data holds, from two outside tries of 2026-12-04 (odd characters; privacy):
- a control character in a cell (BEL, an ESC sequence): a village with one was a second village, a
  name's ESC sequence recoloured (or cleared) the clerk's terminal;
- a number in the head's name (an ID, a phone) reached the posted notices; a ? where a GBK export lost a
  rare character (王? for 王𠮷) went unsaid;
- 不因病 was posted as the category 因病;
- `screen --no-mask` village lists and `register export --no-mask` said nothing of being unmasked;
- `explain --name` did not fold the name asked for as the survey's names are folded."""

from __future__ import annotations

import openpyxl

from field_checks import invoke, issues, ledger, screen
from survey_builders import household, make_id, write_csv, write_workbook


def test_control_characters_neither_split_a_village_nor_reach_the_terminal(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=1), "户主姓名": "张一"}),
            household(**{"户主身份证号": make_id(serial=2), "户主姓名": "李\x1b[31m二\x1b[0m", "行政村": "前岗村\x07",
                         "备注": "\x1b[2J清屏"})]
    path = write_csv(tmp_path / "村.csv", rows)
    out = tmp_path / "out"
    done = screen(path, "-o", out)
    assert done.exit_code == 0, done.output
    led = ledger(out)
    assert set(led["village"]) == {"前岗村"} and "李[31m二[0m" in set(led["head_name"]), led
    assert "\x1b" not in (out / "decisions.csv").read_text(encoding="utf-8-sig")
    assert len(list((out / "villages").glob("*.xlsx"))) == 1
    said = invoke("explain", path, "--name", "李[31m二[0m").output
    assert "\x1b" not in said and "\u241b[2J清屏" in said, said


def test_a_number_in_a_name_is_an_error_and_a_lost_character_a_warning(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=11), "户主姓名": make_id(serial=12)}),
            household(**{"户主身份证号": make_id(serial=13), "户主姓名": "王?"}),
            household(**{"户主身份证号": make_id(serial=14), "户主姓名": "赵六"})]
    out = tmp_path / "out"
    assert screen(write_workbook(tmp_path / "村.xlsx", rows), "-o", out).exit_code == 0
    found = issues(out)
    codes = dict(zip(found["row"], found["code"]))
    assert codes == {"2": "name_holds_number", "3": "name_character_lost"}, found
    assert list(ledger(out)["status"]) == ["invalid", "candidate", "candidate"]


def test_a_cause_denied_is_no_category_on_the_notice(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=21), "主要困难": "不因病,缺资金"})]
    out = tmp_path / "out"
    assert screen(write_workbook(tmp_path / "村.xlsx", rows), "-o", out, "--publicity-start", "2020-01-06").exit_code == 0
    ws = openpyxl.load_workbook(next((out / "publicity").glob("*.xlsx"))).worksheets[0]
    row = next([c.value for c in r] for r in ws.iter_rows() if "张三" in [c.value for c in r])
    assert "缺资金" in row and not any("因病" in str(c) for c in row), row


def test_unmasked_outputs_say_whose_copy_they_are(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=31)})]
    out = tmp_path / "out"
    done = screen(write_workbook(tmp_path / "村.xlsx", rows), "-o", out, "--no-mask")
    said = "".join(done.output.split())
    assert "身份证号、电话未打码(--no-mask):只供县里内部留存,不要发给各村" in said, done.output
    ws = openpyxl.load_workbook(next((out / "villages").glob("*.xlsx"))).worksheets[0]
    assert "【县里内部留存:身份证号、电话未打码,不得发给村里或张贴】" in [c.value for r in ws.iter_rows(max_row=3) for c in r]


def test_explain_finds_a_name_copied_with_full_width_letters_or_a_zero_width_space(tmp_path):
    rows = [household(**{"户主身份证号": make_id(serial=41), "户主姓名": "张ＡＢ"}),
            household(**{"户主身份证号": make_id(serial=42), "户主姓名": "周\u200b七"})]
    path = write_workbook(tmp_path / "村.xlsx", rows)
    for name in ("张ＡＢ", "周\u200b七"):
        result = invoke("explain", path, "--name", name)
        assert result.exit_code == 0, result.output


def test_history_of_a_household_read_from_a_csv_names_no_empty_sheet(tmp_path):
    head = make_id(serial=51)
    path = write_csv(tmp_path / "村.csv", [household(**{"户主身份证号": head})])
    db = tmp_path / "县.db"
    assert screen(path, "-o", tmp_path / "out", "--register", db, "--date", "2019-11-20").exit_code == 0
    said = "".join(invoke("register", "history", db, "--id", head).output.split())
    assert "来自村.csv第2行" in said and "「」" not in said, said


def test_an_unmasked_roster_says_whose_copy_it_is(tmp_path, monkeypatch):
    from years_builders import register_everyone, run

    monkeypatch.chdir(tmp_path)
    head = make_id(serial=61)
    db = register_everyone(tmp_path, [{"乡(镇)": "合隆镇", "行政村": "前岗村", "户主姓名": "张一", "户主身份证号": head}])
    said = "".join(run("register", "export", db, "-o", tmp_path / "花名册.xlsx", "--no-mask").output.split())
    assert "未打码(--no-mask):只供本级内部留存" in said, said
    ws = openpyxl.load_workbook(tmp_path / "花名册.xlsx").worksheets[0]
    line = str(ws.cell(2, 1).value)
    assert line.startswith("【本级内部留存:身份证号、电话未打码") and head in [c.value for r in ws.iter_rows() for c in r]


def test_a_formulas_binary_noise_is_read_as_the_amount_the_sheet_shows(tmp_path):
    """=(1200.3-1200.2)-0.1 is saved as -9.0955021292416e-14 and shown 0.00: an amount of 0, never
    "not a number"; a small genuine fraction (0.00003) is read as its digits too."""
    rows = [household(**{"户主身份证号": make_id(serial=41), "工资性收入": 9654.01, "财产性收入": -9.0955021292416e-14,
                         "家庭总收入": None}),
            household(**{"户主身份证号": make_id(serial=42), "工资性收入": 10000, "转移性收入": 3e-05,
                         "家庭总收入": None})]
    out = tmp_path / "out"
    assert screen(write_workbook(tmp_path / "村.xlsx", rows), "-o", out).exit_code == 0
    led = ledger(out)
    assert list(led["status"]) == ["candidate", "candidate"], led
    assert list(led["per_capita_income"]) == ["3218.01", "3333.33"], led
    assert "not_a_number" not in set(issues(out)["code"])


def test_an_amount_written_as_receipts_write_it_with_yuan_zheng_is_read(tmp_path):
    """「1112元整」, as receipts and a verifier's pen write it, was not_a_number while 「3,500元」 was read (an
    outside try of the city's spot check); 元 then 整 ends an amount as 元 does, in yuan."""
    rows = [household(**{"户主身份证号": make_id(serial=31), "户主姓名": "张整", "工资性收入": "1112元整",
                         "家庭经营收入": "0", "财产性收入": "0", "转移性收入": "1,000.50元整", "家庭总收入": ""})]
    out = tmp_path / "out"
    done = screen(write_workbook(tmp_path / "村.xlsx", rows), "-o", out)
    assert done.exit_code == 0, done.output
    assert "not_a_number" not in set(issues(out)["code"]), issues(out)
    assert ledger(out).set_index("head_name").loc["张整", "total_income"] == "2112.50"


def test_inf_typed_in_an_amount_of_a_head_in_two_files_is_not_a_number_not_a_crash(tmp_path):
    """A property test found it: 家庭经营费用支出 「Inf」 on a head given in two files crashed the comparison
    of the two rows (OverflowError: float infinity to integer); it is not_a_number, and the rows compared."""
    head = make_id(serial=41)
    first = write_workbook(tmp_path / "一.xlsx", [household(**{"户主身份证号": head, "户主姓名": "王二",
                                                             "家庭经营费用支出": "Inf"})])
    second = write_workbook(tmp_path / "二.xlsx", [household(**{"户主身份证号": head, "户主姓名": "王二",
                                                              "家庭经营费用支出": "NaN"})])
    out = tmp_path / "out"
    done = screen(first, second, "-o", out)
    assert done.exit_code == 0, done.output
    found = issues(out)
    assert {"not_a_number", "duplicate_household"} <= set(found["code"]), found
