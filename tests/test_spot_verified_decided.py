"""The verified status is decided on what the visit found (an outside tester's report, 2026-12): a
household recorded 数据有误 for its ID's check digit, found in the band, was compared 一致 (its
verified status was made 数据有误 again from the ledger's ID) and never counted 漏评; a recorded
见备注 where the visit found an amount was left out of the fields compared."""

from __future__ import annotations

import openpyxl

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import above, candidate, fill, run, same_as_recorded, sample_rows, write_survey


def _wrong_check_digit(head_id: str) -> str:
    return head_id[:-1] + ("1" if head_id[-1] != "1" else "2")


def _county(tmp_path):
    typo = candidate("前岗村", "甲")
    typo["户主身份证号"] = _wrong_check_digit(typo["户主身份证号"])
    noted = above("前岗村", "甲", 工资性收入="见备注", 备注="打工收入另报")
    rows = [candidate("前岗村", "甲") for _ in range(2)] + [above("前岗村", "乙") for _ in range(2)] + [typo, noted]
    survey = write_survey(tmp_path / "农安县.xlsx", {"合隆镇": rows})
    run("screen", survey, "-o", tmp_path / "筛查")
    run("sample", tmp_path / "筛查", "-o", tmp_path / "抽查", "--seed", "3", "--listed-rate", "1",
        "--unlisted-rate", "1")
    found = {typo["户主姓名"]: 10000, noted["户主姓名"]: 30000}
    pages = {}
    for r in sample_rows(tmp_path / "抽查"):
        wage = found.get(r["户主姓名"], 10000 if r["抽样层"] == "候选户" else 30000)
        pages.setdefault(r["核查表"], {})[int(r["核查序号"])] = same_as_recorded(wage_income=wage)
    (tmp_path / "填好").mkdir()
    for form, values in pages.items():
        fill(tmp_path / "抽查" / form, values, save_as=tmp_path / "填好" / form.split("/")[-1])
    return typo, noted


def _households(folder):
    sheet = openpyxl.load_workbook(folder / "backcheck.xlsx")["逐户比对"]
    header = [c.value for c in sheet[1]]
    return {r[header.index("户主姓名")]: dict(zip(header, r)) for r in sheet.iter_rows(min_row=2, values_only=True)}


def test_a_household_recorded_invalid_and_found_in_the_band_is_wrongly_unlisted_and_named(tmp_path):
    typo, _ = _county(tmp_path)
    said = " ".join(run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果").output.split())
    assert "漏评率:" in said and "1/4 户" in said, said
    row = _households(tmp_path / "核查结果")[typo["户主姓名"]]
    assert (row["登记认定"], row["核实认定"], row["比对结论"]) == ("数据有误,待核实", "贫困边缘户候选", "漏评"), row
    # which households these are: on the terminal and in 汇总
    assert "登记为“数据有误,待核实”的 2 户已入户核查" in said, said
    tight = "".join(said.split())  # a long line wraps where it must
    assert f"其中1户核实为候选户,计为漏评:合隆镇-前岗村-入户核查表.xlsx核查序号{row['核查序号']}({typo['户主姓名']})" in tight, said
    summary = " ".join(str(c.value) for r in openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["汇总"]
                       .iter_rows() for c in r if c.value)
    assert typo["户主姓名"] in summary and "数据有误" in summary


def test_a_recorded_cell_that_holds_no_number_differs_from_the_amount_found(tmp_path):
    _, noted = _county(tmp_path)
    run("backcheck", tmp_path / "筛查", tmp_path / "填好", "-o", tmp_path / "核查结果")
    row = _households(tmp_path / "核查结果")[noted["户主姓名"]]
    assert (row["比对项"], row["不符项"], row["不符的栏目"]) == (12, 1, "工资性收入(元)"), row
    sheet = openpyxl.load_workbook(tmp_path / "核查结果" / "backcheck.xlsx")["逐项比对"]
    fields = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] == noted["户主姓名"]]
    wage = next(r for r in fields if r[3] == "工资性收入(元)")
    assert (wage[4], wage[7]) == ("见备注", "不符"), fields
