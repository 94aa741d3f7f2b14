"""Four warnings whose words did not fit what was found (an outside try, 2026-12-07):

1. An ID whose birth date does not exist (220822197439230296, month 39) and whose check character is
   therefore wrong was said only as 「校验位不正确」: the clerk looked at the last digit.
2. costs_exceed_business_income asked 「是否与家庭经营收入填反了?」 where 经营费用 alone was within the
   limit and 折旧 tipped the total over (business 470, costs 230, 折旧 720).
3. A household with no business income whose 折旧 (a pension of 4,320 typed there) took its net income
   below 0 was told to note a failed harvest.
4. amount_unit_suspect's title 「金额疑按万元填写」 counted a household whose tiny total cannot be 万元
   (6 residents, 376.81), whose own words say incomes may be left out.
Each case end to end: the survey built here, screened, issues.csv read back."""

from __future__ import annotations

import pandas as pd
from rich.cells import cell_len

from field_checks import invoke, issues, screen, table
from survey_builders import household, make_id, write_workbook


def _wrong_check(id_: str) -> str:
    """The same ID with another check character."""
    return id_[:17] + ("1" if id_[17] != "1" else "2")


def _run(tmp_path, rows):
    path = write_workbook(tmp_path / "合隆镇.xlsx", rows)
    out = tmp_path / "out"
    done = screen(path, "-o", out, "--force", "--as-of", "2019-12-31")
    assert done.exit_code == 0, done.output
    return out, issues(out)


def _of(found: pd.DataFrame, name: str, code: str) -> pd.DataFrame:
    return found[(found["head_name"] == name) & (found["code"] == code)]


def test_an_impossible_birth_date_is_said_whatever_the_check_character(tmp_path):
    typo = _wrong_check(make_id("19743923", region="220822", serial=29))  # month 39, check character off too
    assert typo[6:14] == "19743923"
    rows = [household(户主姓名="谭芝", 户主身份证号=typo),
            household(户主姓名="王日", 户主身份证号=make_id("19740230", serial=31)),  # 30 Feb, check character right
            household(户主姓名="李校", 户主身份证号=_wrong_check(make_id("19740923", serial=33))),  # a real date
            household(户主姓名="张好", 户主身份证号=make_id("19740923", serial=35))]
    _, found = _run(tmp_path, rows)
    both = _of(found, "谭芝", "id_checksum")
    assert len(both) == 1, found
    words = both["message"].iloc[0]
    assert "出生日期「19743923」不存在,校验位也不对:请先核对出生日期那几位" in words, words
    assert "校验位不正确,请核对号码" not in words
    # The check character right, the date impossible: the date alone, as before.
    assert "出生日期 19740230 不存在或不合理" in _of(found, "王日", "id_checksum")["message"].iloc[0]
    # A real date and a wrong check character: the check character alone, as before.
    assert _of(found, "李校", "id_checksum")["message"].iloc[0].endswith("校验位不正确,请核对号码")
    # The valid ID stays valid.
    assert found[found["head_name"] == "张好"].empty, found[found["head_name"] == "张好"]


def test_the_english_words_name_both(tmp_path):
    typo = _wrong_check(make_id("19743923", region="220822", serial=29))
    path = write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名="谭芝", 户主身份证号=typo)])
    out = tmp_path / "out"
    done = screen(path, "-o", out, "--force", "--as-of", "2019-12-31", "--lang", "en")
    assert done.exit_code == 0, done.output
    words = issues(out)["message"].iloc[0]
    assert "birth date 19743923 does not exist, and the check character is wrong too" in words, words


def test_costs_tipped_over_by_depreciation_name_it_not_a_swap(tmp_path):
    rows = [household(户主姓名="黄永春", 家庭经营收入=470, 家庭经营费用支出=230, 生产性固定资产折旧=720),
            household(户主姓名="赵税", 家庭经营收入=470, 家庭经营费用支出=100, 税金和上交承包费用=900),
            household(户主姓名="钱反", 家庭经营收入=470, 家庭经营费用支出=1500)]
    _, found = _run(tmp_path, rows)
    tipped = _of(found, "黄永春", "costs_exceed_business_income")
    assert len(tipped) == 1, found
    # On the cell to check, the part named with its amount; no swap asked.
    assert tipped["field"].iloc[0] == "depreciation", tipped
    words = tipped["message"].iloc[0]
    assert "生产经营性支出共 950.00 元,是家庭经营收入 470.00 元的 2 倍以上" in words, words
    assert "「家庭经营费用支出」230.00 元并不多,是「生产性固定资产折旧」720.00 元使支出超过的" in words, words
    assert "填反了" not in words
    taxes = _of(found, "赵税", "costs_exceed_business_income")
    assert taxes["field"].iloc[0] == "taxes_fees", taxes
    assert "是「税金和上交承包费用」900.00 元使支出超过的" in taxes["message"].iloc[0]
    # The business costs alone a multiple of the income: the swap, in the old words, on the total's cell.
    swap = _of(found, "钱反", "costs_exceed_business_income")
    assert swap["field"].iloc[0] == "production_expenses", swap
    assert swap["message"].iloc[0].endswith(
        "生产经营性支出共 1500.00 元,是家庭经营收入 470.00 元的 2 倍以上:是否与家庭经营收入填反了?当年确实亏损或投入"
        "较大的(受灾减产、牲畜病死、价格下跌、新建大棚等),请在备注中注明,注明后不再提示"), swap["message"].iloc[0]


def test_expenses_without_business_income_ask_for_an_income_in_the_wrong_column(tmp_path):
    rows = [household(户主姓名="康英", 家庭常住人口数=2, 工资性收入=0, 转移性收入=1000, 生产性固定资产折旧=4320),
            # Business income and costs beyond it: the old words (a failed harvest to note) stay.
            household(户主姓名="卢收", 家庭常住人口数=2, 工资性收入=0, 家庭经营收入=1000, 家庭经营费用支出=900,
                      生产性固定资产折旧=600, 备注="")]
    _, found = _run(tmp_path, rows)
    pension = _of(found, "康英", "per_capita_implausible")
    assert len(pension) == 1, found
    words = pension["message"].iloc[0]
    assert "家庭纯收入不大于 0:本户没有家庭经营收入,却有生产经营性支出 4320.00 元" in words, words
    assert "是否把一项收入(如养老金、工资)填进了支出栏" in words, words
    loss = _of(found, "卢收", "per_capita_implausible")["message"].iloc[0]
    assert "生产经营性支出不少于全部收入" in loss and "没有家庭经营收入" not in loss, loss


def test_the_units_title_fits_a_total_too_small_to_be_wan(tmp_path):
    rows = [household(户主姓名="杨强振", 家庭人口数=6, 家庭常住人口数=6, 工资性收入=0, 转移性收入=376.81),
            household(户主姓名="孙万", 工资性收入=1.2, 转移性收入=0.3)]  # 1.5 for 3: typed in 万元
    out, found = _run(tmp_path, rows)
    raw = table(out / "issues.csv")
    unit = raw[raw["code"] == "amount_unit_suspect"]
    assert set(unit["户主姓名"]) == {"杨强振", "孙万"}, raw
    assert set(unit["问题"]) == {"金额过小:疑按万元填写或漏填"}, unit["问题"]
    assert "请核对是否漏填了收入" in _of(found, "杨强振", "amount_unit_suspect")["message"].iloc[0]
    # The check command's table at 80 columns keeps the title whole on one line.
    checked = invoke("check", tmp_path / "合隆镇.xlsx", "-o", tmp_path / "report", env={"COLUMNS": "80"})
    lines = checked.output.splitlines()
    assert all(cell_len(line) <= 80 for line in lines), checked.output
    assert any("金额过小:疑按万元填写或漏填" in line for line in lines), checked.output
