"""IDs a national system exported masked (220122********2970): the households stay invalid (no full ID,
nothing to check or compare), but the words say the IDs are masked and that the full ones are to be
exported again, per row and, where the whole column is so, once as the column's finding. An outside
try was told, of every row, 「第7个字符「*」不对」 under 串项 and, of the column, 「可能列错位或号码被截短」:
the clerk went looking for a shifted column. A truly malformed ID keeps its words."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

ADVICE = "身份证号已打码(部分数字被遮盖),无法核对;请从系统导出完整的身份证号(不打码)后再筛查"
ID_CODES = ["id_malformed", "id_masked", "id_checksum", "duplicate_household"]


def _as_exported(real: str) -> str:
    """The ID as the system's export shows it: the region, eight stars, the last four."""
    return real[:6] + "*" * 8 + real[-4:]


def _screen(tmp_path, rows):
    book = write_workbook(tmp_path / "系统导出.xlsx", rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(book), "-o", str(out), "--as-of", "2019-12-31"])
    assert result.exit_code == 0, result.output
    issues = read_issues(out / "issues.csv")
    return result, issues[issues["code"].isin(ID_CODES)], read_ledger(out / "decisions.csv")


def test_a_column_of_masked_ids_is_said_masked_once_not_shifted(tmp_path):
    rows = [household(户主姓名=f"户{i}", 户主身份证号=_as_exported(make_id(f"19{50 + i:02d}0315", serial=100 + i)))
            for i in range(28)]
    # Two people whose masked IDs read alike (the same county, the same last four): not one head twice.
    rows += [household(户主姓名="孙玉华", 户主身份证号="220122********2970"),
             household(户主姓名="孔淑珍", 户主身份证号="220122********2970")]
    result, ids, ledger = _screen(tmp_path, rows)
    said = "".join(result.output.split())
    assert said.count(ADVICE) == 1, result.output  # the column's finding, once
    assert "列错位" not in said and "截短" not in said, result.output
    assert len(ids) == 30 and set(ids["code"]) == {"id_masked"}, ids[["row", "code"]]
    assert set(ids["category"]) == {"漏项"} and set(ids["severity"]) == {"error"}
    assert all("身份证号已打码" in m and "不对" not in m for m in ids["message"]), ids["message"].tolist()
    assert (ledger["status"] == "invalid").all(), ledger[["head_name", "status", "reasons"]]


def test_one_masked_id_among_valid_ones_says_masked_on_its_row(tmp_path):
    masked = {"甲": "220122********2970", "乙": "220122＊＊＊＊＊＊＊＊2970",  # the full-width star too
              "丙": "220122XXXXXXXX297X",  # a run of X in the middle; the last X the check character
              "丁": "2201221980●●●●123X", "戊": "220122········2970",
              "己": "220122******297"}  # an old 15-digit ID masked
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i:02d}0412", serial=200 + i)) for i in range(25)]
    rows += [household(户主姓名=name, 户主身份证号=value) for name, value in masked.items()]
    result, ids, ledger = _screen(tmp_path, rows)
    by_name = ids.set_index("head_name")
    assert set(by_name.index) == set(masked), ids[["head_name", "code", "message"]]
    assert set(by_name["code"]) == {"id_masked"} and set(by_name["category"]) == {"漏项"}
    for name in masked:
        message = by_name.loc[name, "message"]
        assert "身份证号已打码" in message and "请从系统导出完整的身份证号(不打码)后再筛查" in message, message
        assert "不对" not in message and "位数" not in message and "现为" not in message, message
    assert "部分数字被*代替" in by_name.loc["甲", "message"] and "部分数字被X代替" in by_name.loc["丙", "message"]
    status = ledger.set_index("head_name")["status"]
    assert (status[list(masked)] == "invalid").all() and (status.drop(list(masked)) != "invalid").all()


def test_a_malformed_id_keeps_its_words(tmp_path):
    # Guard (passes before the change too): a letter in the middle, or one X that is no check character,
    # is a slip of the hand, not a mask.
    rows = [household(户主姓名=f"户{i}", 户主身份证号=make_id(f"19{60 + i:02d}0412", serial=300 + i)) for i in range(25)]
    rows += [household(户主姓名="甲", 户主身份证号="22012219800101123A5"),
             household(户主姓名="乙", 户主身份证号="220122198001011X35")]
    _, ids, _ = _screen(tmp_path, rows)
    by_name = ids.set_index("head_name")
    assert set(by_name.index) == {"甲", "乙"} and set(by_name["code"]) == {"id_malformed"}
    assert set(by_name["category"]) == {"串项"}
    assert "应为18位(17位数字加1位数字或X),现为19位" in by_name.loc["甲", "message"]
    assert "第16个字符「X」不对" in by_name.loc["乙", "message"]
    assert "打码" not in "".join(by_name["message"])
