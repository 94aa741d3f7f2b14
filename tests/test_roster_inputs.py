"""A roster is a roster only: kept in the survey's folder, or named among the inputs as well, it is not
read as a survey or a members table (a 民政 export has 姓名, 身份证号码 and 与户主关系, which a members
sheet has too: read as one, it joined its people to the households and gave false member warnings)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues, read_ledger

AS_OF = "2020-06-30"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def dibao_roster(path, people):
    """A 民政 export: title row, then 姓名, 身份证号码, 与户主关系, 保障人数."""
    rows = [["合隆镇低保对象花名册", None, None, None], ["姓名", "身份证号码", "与户主关系", "保障人数"], *people]
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame(rows).to_excel(writer, index=False, header=False)
    return path


def test_a_roster_in_the_survey_folder_or_among_the_inputs_is_only_a_roster(tmp_path):
    heads = [make_id(f"197{i}0101", serial=200 + i) for i in range(3)]
    folder = tmp_path / "调查"
    folder.mkdir()
    write_workbook(folder / "合隆镇.xlsx", [household(户主姓名=n, 户主身份证号=i) for n, i in zip("甲乙丙", heads)])
    roster = dibao_roster(folder / "低保名单.xlsx", [["乙", heads[1], "户主", 2], ["乙妻", make_id("19730303"), "配偶", 2]])
    for inputs in ([folder], [folder / "合隆镇.xlsx", roster]):
        out = tmp_path / f"out{len(inputs)}"
        result = run("screen", *inputs, "-o", out, "--as-of", AS_OF, "--roster", f"低保={roster}")
        assert result.exit_code == 0, result.output
        ledger = read_ledger(out / "decisions.csv")
        assert list(ledger["head_name"]) == ["甲", "乙", "丙"]  # the survey's households, once each
        assert list(ledger["status"]) == ["candidate", "excluded_dibao", "candidate"]
        codes = set(read_issues(out / "issues.csv")["code"])
        assert not {c for c in codes if c.startswith(("member", "two_heads"))}, codes
    # Only rosters given: said, nothing read.
    alone = tmp_path / "只有名单"
    alone.mkdir()
    shutil.copy(roster, alone / "低保名单.xlsx")
    result = run("screen", alone, "-o", tmp_path / "out0", "--as-of", AS_OF, "--roster", f"低保={alone / '低保名单.xlsx'}")
    assert result.exit_code == 2 and "都作为名单(--roster)比对,没有调查表" in result.output, result.output


def test_a_death_register_with_both_dates_reads_the_death_date(tmp_path):
    """公安's export has 死亡日期 and 注销日期 (the hukou cancelled after the death): it was refused as two
    columns for one date. The plain 死亡日期 is the date; 注销日期 is one only where nothing says 死亡."""
    head = make_id("19500101", serial=301)
    write_workbook(tmp_path / "合隆镇.xlsx", [household(户主姓名="甲", 户主身份证号=head)])
    for name, header, row in (("both", ["序号", "姓名", "公民身份号码", "死亡日期", "注销日期"],
                               [1, "甲", head, "2019-06-30", "2019-07-15"]),
                              ("cancelled", ["序号", "姓名", "公民身份号码", "注销日期"], [1, "甲", head, "2019-07-15"])):
        roster = tmp_path / f"死亡_{name}.xlsx"
        with pd.ExcelWriter(roster) as writer:
            pd.DataFrame([header, row]).to_excel(writer, index=False, header=False)
        out = tmp_path / name
        result = run("screen", tmp_path / "合隆镇.xlsx", "-o", out, "--as-of", AS_OF, "--roster", f"死亡={roster}")
        assert result.exit_code == 0, result.output
        said = read_issues(out / "issues.csv")
        dead = said[said["code"] == "member_deceased"]
        assert len(dead) == 1, said
        assert ("2019-06-30" if name == "both" else "2019-07-15") in dead["message"].iloc[0], dead["message"].iloc[0]


def test_a_survey_given_as_a_roster_is_refused_naming_its_income_columns(tmp_path):
    """From an outside try: a copy of the survey given as the 低保 roster made all 300 households 低保户
    (exit 0, every output written, one warning). Refused, nothing written; a 建档立卡 export, which
    gives each household's incomes part by part, is still read as the roster it is."""
    survey = write_workbook(tmp_path / "调查表.xlsx", [household(户主身份证号=make_id("19700101", serial=31))])
    copy = write_workbook(tmp_path / "另一调查表.xlsx", [household(户主身份证号=make_id("19700101", serial=31))])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--roster", f"低保={copy}"])
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "另一调查表.xlsx(低保对象名单)" in said and "是农户入户登记表" in said and "「工资性收入」" in said, said
    assert not out.exists()
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--roster", f"建档立卡={copy}"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("header", ["公民身份证号", "保障对象身份证号", "车主证件号码"])
def test_id_headers_departments_export_are_read(tmp_path, header):
    """From an outside try: these headers were refused as no ID column."""
    from survey_builders import write_csv_table

    head = make_id("19700101", serial=41)
    survey = write_workbook(tmp_path / "调查表.xlsx", [household(户主身份证号=head)])
    roster = write_csv_table(tmp_path / "名单.csv", ["姓名", header], [["张三", head]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", AS_OF,
                                      "--roster", f"低保={roster}"])
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["excluded_dibao"]


def test_a_roster_open_in_excel_is_said_and_its_lock_file_given_is_refused_as_a_roster(tmp_path):
    """From an outside try: a roster with Excel's lock file beside it ran without a word, and the lock
    file given for it was called 'not a survey'."""
    from survey_builders import write_csv_table

    head = make_id("19700101", serial=61)
    survey = write_workbook(tmp_path / "调查表.xlsx", [household(户主身份证号=head)])
    roster = write_csv_table(tmp_path / "名单.csv", ["姓名", "身份证号"], [["张三", head]])
    lock = tmp_path / "~$名单.csv"
    lock.write_bytes(b"\x08clerk" + b" " * 100)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", AS_OF,
                                      "--roster", f"低保={roster}"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "名单.csv 可能正在 Excel 或 WPS 中打开" in said, said
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", AS_OF,
                                      "--roster", f"低保={lock}"])
    assert result.exit_code == 2, result.output
    assert "不是名单" in " ".join(result.output.split()), result.output


def test_an_id_written_in_its_three_parts_is_read_as_the_id(tmp_path):
    """From an outside try: 220122-19730401-154X was refused as 位数不对, all 18 characters there."""
    from survey_builders import write_csv_table

    head = make_id("19700101", serial=71)
    survey = write_workbook(tmp_path / "调查表.xlsx", [household(户主身份证号=head)])
    parted = f"{head[:6]}-{head[6:14]}-{head[14:]}"
    roster = write_csv_table(tmp_path / "名单.csv", ["姓名", "身份证号"], [["张三", parted]])
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["screen", str(survey), "-o", str(out), "--as-of", AS_OF,
                                      "--roster", f"低保={roster}"])
    assert result.exit_code == 0, result.output
    assert read_ledger(out / "decisions.csv")["status"].tolist() == ["excluded_dibao"]
