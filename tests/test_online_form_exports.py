"""An online form's export (问卷星, 金数据) asks 「11. 家庭属于以下哪类人员:」 as one multiple choice, where the
form has 是否低保户, 是否特困人员 and 是否建档立卡贫困户. An outside try (try AY, 龙王乡) found both exports refused
「缺少必填列:是否低保户、是否特困人员」 with no hint:

- the one column (问卷星's 单列: 「低保户┋特困人员」, 「以上都不是」; 金数据 joins with , or 、) is read as the
  yes/no fields it answers, recognised by its cells, not its header's words;
- the split export (分列: 「11. 家庭属于以下哪类人员:(低保户)」 …, 1 or 0) reads each option's column as its field;
- a column naming 低保 or 特困 that cannot be read so is named in the refusal as the likely one."""

from __future__ import annotations

import openpyxl
import pytest

from field_checks import column, issues, ledger, said, screen
from survey_builders import make_id

QUESTION = "11. 家庭属于以下哪类人员:"
OPTIONS = ("低保户", "特困人员", "建档立卡贫困户", "以上都不是")

# (head, residents, wage income, the options chosen): 10,000 yuan over 3 residents is 3,333.33, a candidate's
# income; 30,000 over 3 is 10,000, above the limit; 6,000 over 3 is 2,000, below the line.
HOUSEHOLDS = [
    ("王秀兰", 3, 10000, ("低保户", "特困人员")),  # both: excluded as 低保, the first status
    ("李国富", 3, 10000, ("以上都不是",)),  # none: decided by its income
    ("赵春生", 3, 10000, ("特困人员",)),
    ("孙德胜", 3, 30000, ("以上都不是",)),
    ("周长海", 3, 10000, ("建档立卡贫困户",)),
    ("吴玉珍", 3, 6000, ("以上都不是",)),
    ("郑福来", 3, 10000, ("特困人员", "建档立卡贫困户")),
]
STATUSES = {"王秀兰": "excluded_dibao", "李国富": "candidate", "赵春生": "excluded_tekun", "孙德胜": "above_limit",
            "周长海": "excluded_registered", "吴玉珍": "below_line", "郑福来": "excluded_tekun"}


def _export(path, households=HOUSEHOLDS, *, split=False, separator="┋", question=QUESTION, brackets="()"):
    """The form software's export: its own columns (序号, 提交答卷时间, 来自IP), one per question, a row per
    household; question 11 in one column (its options joined by `separator`) or, `split`, one column per
    option headed with the question and the option in `brackets`, 1 where chosen and 0 where not."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    open_, close = brackets
    options = [f"{question}{open_}{o}{close}" for o in OPTIONS] if split else [question]
    sheet.append(["序号", "提交答卷时间", "来自IP", "1. 所在乡镇", "2. 所在村", "3. 户主姓名", "4. 户主身份证号码",
                  "5. 家庭常住人口数(人)", "6. 工资性收入(元)", "7. 家庭经营收入(元)", "8. 财产性收入(元)",
                  "9. 转移性收入(元)", "10. 家庭生产经营性支出(元)", *options, "12. 主要困难"])
    for i, (name, residents, wage, chosen) in enumerate(households, 1):
        answer = [int(o in chosen) for o in OPTIONS] if split else [separator.join(chosen) if chosen else None]
        sheet.append([i, "2019/12/03 10:15:00", "221.8.1.1(吉林-长春)", "龙王乡", "龙王村", name,
                      make_id(serial=600 + i), residents, wage, 0, 0, 0, 0, *answer, "因病"])
    book.save(path)
    return path


def _statuses(out):
    frame = ledger(out)
    return dict(zip(column(frame, "head_name", "户主姓名"), column(frame, "status", "status")))


@pytest.mark.parametrize("separator", ["┋", "、", ",", "|", ";"])
def test_one_column_of_options_is_read_as_the_flags_it_answers(tmp_path, separator):
    """问卷星's ┋, 金数据's , and 、: each household excluded as its options say, 以上都不是 decided by its income."""
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "龙王乡_问卷星_单列.xlsx", separator=separator), "-o", out)
    assert result.exit_code == 0, result.output
    assert _statuses(out) == STATUSES
    # Nothing unread in question 11's cells, no blank said: every household's answers are known.
    found = issues(out)
    assert not found["code"].isin(["flag_unrecognized", "missing_value"]).any(), found[["row", "code", "message"]]
    # Said once, where the terminal and quality.xlsx say what was read: which column, read as which fields.
    facts = openpyxl.load_workbook(out / "quality.xlsx")["文件情况"]
    said = [c for row in facts.iter_rows(values_only=True) for c in row if isinstance(c, str) and "多选题" in c]
    assert len(said) == 1 and "按所选的选项读作是否低保户、是否特困人员" in "".join(said[0].split()), said


@pytest.mark.parametrize("brackets", ["()", "（）"])
def test_split_options_are_read_each_as_its_flag(tmp_path, brackets):
    """分列: 「11. 家庭属于以下哪类人员:(低保户)」 is 是否低保户, its 1 是 and its 0 否; the (以上都不是) column is no field."""
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "龙王乡_问卷星_分列.xlsx", split=True, brackets=brackets), "-o", out)
    assert result.exit_code == 0, result.output
    assert _statuses(out) == STATUSES
    assert not issues(out)["code"].isin(["flag_unrecognized", "missing_value"]).any()


def test_the_column_is_known_by_its_cells_not_its_header(tmp_path):
    """A question worded otherwise (您家的情况(可多选)) is read the same: its cells are the options. (A column
    headed as the household's type, 户类型 or 家庭类别, is still never read for the flags: the refusal says how
    to make them, test_export_fixes_household_kind.)"""
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "survey.xlsx", question="11. 您家的情况(可多选)"), "-o", out)
    assert result.exit_code == 0, result.output
    assert _statuses(out) == STATUSES


def test_a_blank_answer_is_said_as_a_blank_flag_and_an_unknown_option_at_its_cell(tmp_path):
    """A cell left blank reads 否 for each flag with the blank's warning; 五保户 is 特困 (its old name, a yes
    word of 是否特困人员); an option not known (残疾户) alone is not read, said at its cell (the household to
    verify), and beside a known one that chooses a flag (低保户┋残疾户) the household is that flag's."""
    households = [*HOUSEHOLDS, ("钱立新", 3, 10000, ()), ("冯宝山", 3, 10000, ("五保户",)),
                  ("陈海涛", 3, 10000, ("残疾户",)), ("褚振华", 3, 10000, ("低保户", "残疾户"))]
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "survey.xlsx", households), "-o", out)
    assert result.exit_code == 0, result.output
    statuses = _statuses(out)
    assert {k: statuses[k] for k in STATUSES} == STATUSES
    assert statuses["钱立新"] == "candidate"
    assert statuses["冯宝山"] == "excluded_tekun"
    assert statuses["陈海涛"] == "invalid"
    assert statuses["褚振华"] == "excluded_dibao"
    found = issues(out)
    names = column(found, "head_name", "户主姓名")
    blank = found[(names == "钱立新") & (found["code"] == "missing_value")]
    assert set(blank["field"]) >= {"is_dibao", "is_tekun"}, blank
    unread = found[(names == "陈海涛") & (found["code"] == "flag_unrecognized")]
    assert len(unread) and set(unread["cell"]) == {"N11"}, found[names == "陈海涛"]
    assert "残疾户" in set(unread["value"])


def test_a_column_of_low_income_words_not_options_is_named_in_the_refusal(tmp_path):
    """Cells that name 低保 or 特困 but are no options (享受低保(A类), 一般农户): refused as before, the column
    named as where the two yes/no columns are to be filled from."""
    households = [("王秀兰", 3, 10000, ("享受低保(A类)",)), ("李国富", 3, 10000, ("一般农户",)),
                  ("赵春生", 3, 10000, ("五保户(分散供养)",)), ("孙德胜", 3, 10000, ("一般农户",))]
    out = tmp_path / "out"
    result = screen(_export(tmp_path / "survey.xlsx", households, question="11. 家庭情况"), "-o", out)
    assert result.exit_code == 2, result.output
    assert not out.exists()
    text = said(result)
    assert "缺少必填列:是否低保户、是否特困人员" in text, text
    assert "表中的N「11.家庭情况」一栏有低保、特困等字样" in text, text
    assert "请新增「是否低保户」和「是否特困人员」两栏" in text, text


def test_the_hint_reads_in_english(tmp_path):
    households = [("王秀兰", 3, 10000, ("享受低保(A类)",)), ("李国富", 3, 10000, ("一般农户",))]
    result = screen(_export(tmp_path / "survey.xlsx", households, question="11. 家庭情况"), "-o", tmp_path / "out",
                    "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "holds words such as 低保 and 特困" in " ".join(result.output.split()), result.output


def test_a_stray_option_in_a_plain_yes_no_column_is_still_an_error(tmp_path):
    """Guard: the form's own 是否低保户 column with 特困人员 typed in one cell (串项) is not read as options: that
    cell stays unread, its household to verify."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["乡(镇)", "行政村", "户主姓名", "户主身份证号", "家庭常住人口数", "家庭总收入",
                  "家庭生产经营性支出", "是否低保户", "是否特困人员"])
    sheet.append(["龙王乡", "龙王村", "王秀兰", make_id(serial=801), 3, 10000, 0, "特困人员", "否"])
    sheet.append(["龙王乡", "龙王村", "李国富", make_id(serial=802), 3, 10000, 0, "否", "否"])
    book.save(tmp_path / "survey.xlsx")
    out = tmp_path / "out"
    result = screen(tmp_path / "survey.xlsx", "-o", out)
    assert result.exit_code == 0, result.output
    assert _statuses(out) == {"王秀兰": "invalid", "李国富": "candidate"}
