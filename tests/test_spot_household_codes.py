"""The 入户核查表 prints the 户编号 the verifier finds the household by: an outside tester's form showed
a village's 16-digit number (2201221401001001) starred as an ID, 220122******1001, because any run of
15 digits or more in a text is masked as one. It prints as typed; only where it is an ID (the head's
own, as a village numbering its households by their heads' IDs does) is it masked as the ID is."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import candidate, fill_all, run, sample_rows, write_survey

CODES = {"候一": "2201221401001001", "候二": "2201221401001002", "候三": "0012"}


def _printed_codes(form) -> dict[str, str]:
    """{户主姓名: 户编号} as each page of a form prints them."""
    ws = openpyxl.load_workbook(form).worksheets[0]
    out, name = {}, None
    for row in ws.iter_rows(min_col=1, max_col=4, values_only=True):
        if row[2] == "户主姓名":
            name = row[3]
        elif row[0] == "户编号":
            out[name] = row[1]
    return out


def test_household_codes_print_whole_and_an_id_typed_as_one_masked(tmp_path):
    rows = [candidate("前岗村", "甲", 户主姓名=name, 户编号=code) for name, code in CODES.items()]
    head_as_code = candidate("前岗村", "甲", 户主姓名="候四")
    head_as_code["户编号"] = head_as_code["户主身份证号"]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": [*rows, head_as_code]})
    run("screen", survey, "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "11", "--listed-rate", "1")
    forms = sorted((tmp_path / "抽查" / "入户核查表").glob("*.xlsx"))
    printed = {k: v for f in forms for k, v in _printed_codes(f).items()}
    assert {k: printed[k] for k in CODES} == CODES, printed
    head_id = head_as_code["户主身份证号"]
    assert printed["候四"] == head_id[:6] + "********" + head_id[-4:], printed
    assert {r["户主姓名"]: r["户编号"] for r in sample_rows(tmp_path / "抽查")}["候一"] == CODES["候一"]
    # The forms filled in come back: the printed identity read as printed.
    fill_all(tmp_path / "抽查", tmp_path / "填好")
    said = " ".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "r").output.split())
    assert "已核查 4 户" in said, said
