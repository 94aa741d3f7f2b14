"""A township's 合计/小计 rows that are not the sum of their households, as `check` says them, and an
enumerator's blanks of one village said as his of that village.

An outside try (a township's workbook, a sheet per village, each with its 合计): after a round of
corrections five 合计 rows no longer matched the households above them. The terminal said three, folded
two into 「另有 28 条读取情况…未逐条列出」, and closed as if nothing held the workbook back; with no
warning left it would have said 可以报送. Every such row is said (past the first few, in a line each) and
the closing verdict says how many to correct before sending; the exit status stays that of the errors
(README: 0 without an error-level issue). And an enumerator of two villages has a finding in each
(blocks are village × enumerator): each said as 他(她)在本村填的, not as all his work."""

from __future__ import annotations

import re

import pandas as pd
from typer.testing import CliRunner

from edgescreen.cli import app
from field_builders import households
from survey_builders import household, make_id, write_workbook

runner = CliRunner()

VILLAGES = ["前岗村", "后岗村", "合隆村", "陈家店村", "新立村", "双山村"]
PER_VILLAGE = 4  # households of 10,000 yuan of wages each: a 合计 of 40,000 is right


def _township(tmp_path, wrong: set[str], name: str = "合隆镇.xlsx"):
    """合隆镇's workbook, a sheet per village: its households, a 合计 row (the villages of `wrong` say
    1,000 yuan more wages than their households have) and a footer. Returns the path and the 合计's row."""
    sheets = {}
    for v, village in enumerate(VILLAGES):
        rows = households(PER_VILLAGE, first_serial=1 + v * PER_VILLAGE, 行政村=village)
        wages = PER_VILLAGE * 10000 + (1000 if village in wrong else 0)
        rows.append({"乡(镇)": "合计", "家庭常住人口数": PER_VILLAGE * 3, "工资性收入": wages,
                     "家庭总收入": wages})
        rows.append({"乡(镇)": "填表人:李四    审核人:王五"})
        sheets[village] = rows
    return write_workbook(tmp_path / name, sheets), PER_VILLAGE + 2


def _check(tmp_path, path, *more, out="report"):
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / out), *more], env={"COLUMNS": "100"})
    assert (tmp_path / out / "check.json").exists(), done.output
    return done


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_three_wrong_totals_of_six_villages_are_said_and_hold_the_workbook_back(tmp_path):
    wrong = {"后岗村", "陈家店村", "双山村"}
    path, row = _township(tmp_path, wrong)
    done = _check(tmp_path, path)
    said = _flat(done.output)
    # Each wrong 合计 said, with its sheet; the right ones not.
    for village in VILLAGES:
        named = f"工作表「{village}」:第{row}行「合计」与上方农户之和不符" in said
        assert named == (village in wrong), (village, done.output)
    assert "工资性收入(J列)写41,000.00元,上方4户之和为40,000.00元" in said, done.output
    # The verdict: not ready to send, how many totals, what to do; the exit status that of no error.
    assert "可以报送" not in said, done.output
    assert "有3个合计/小计行与所合计的农户之和不符(见上):请在原表中改正这些行的数(或删去这些行)," \
           "重新检查后再报送。" in said, done.output
    assert done.exit_code == 0, done.output
    # The reports' own verdict holds it back too (report.html and quality.xlsx head with it).
    html = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "结论:读入的农户未发现问题;但有 3 个合计/小计行与所合计的农户之和不符" in html and "结论:未发现问题" not in html
    # The verdict, then last, as where households have issues, the villages' fix lists (each wrong 合计 is
    # on its village's list).
    assert re.search(r"重新检查后再报送。各村的问题清单\(3份\)在.*下的quality-villages/文件夹里:"
                     r"发回各村,按清单逐条核对、在原表中改正。$", said), done.output

    # In English too: no "can be sent", the count said.
    english = re.sub(r"\s+", " ", _check(tmp_path, path, "--lang", "en", out="report-en").output)
    assert "can be sent" not in english, english
    assert "total rows (合计/小计) that are not the sum of their households: 3 (above)" in english, english

    # Corrected (the same workbook, every 合计 the sum): ready to send, no word of totals.
    right, _ = _township(tmp_path, set(), name="合隆镇-改正.xlsx")
    fixed = _check(tmp_path, right, out="report-fixed")
    said = _flat(fixed.output)
    assert "没有发现数据问题,可以报送。" in said and "合计/小计行与" not in said, fixed.output
    assert "结论:未发现问题。" in (tmp_path / "report-fixed" / "report.html").read_text(encoding="utf-8")
    assert fixed.exit_code == 0, fixed.output


def test_five_wrong_totals_are_each_said_never_folded(tmp_path):
    # More facts than the terminal lists one by one (sheets, 合计 and footer rows: 24): the outside try's
    # case, where two of five wrong totals went into 「另有 N 条读取情况」.
    wrong = {"前岗村", "后岗村", "合隆村", "陈家店村", "新立村"}
    path, row = _township(tmp_path, wrong)
    done = _check(tmp_path, path)
    lines = done.output.splitlines()
    said = _flat(done.output)
    for village in wrong:
        assert said.count(f"工作表「{village}」:第{row}行「合计」与") == 1, (village, done.output)
    # Past the first three said in full, each in a line of its own (its figures are in quality.xlsx).
    short = [line for line in lines if "与所合计的农户之和不符" in line and "工作表" in line]
    assert len(short) == 2, done.output
    assert all(re.search(rf"工作表「.+」:第 {row} 行「合计」与所合计的农户之和不符$", line.strip()) for line in short), short
    # The routine facts are still folded; the totals are not among them.
    assert "另有" in said and "条读取情况" in said, done.output
    assert "有5个合计/小计行与所合计的农户之和不符" in said and "可以报送" not in said, done.output
    assert done.exit_code == 0, done.output


def test_an_enumerator_of_two_villages_is_said_for_each_village_as_his_of_that_village(tmp_path):
    # 张三 fills 12 households in each of 前岗村 and 后岗村 and leaves every 0 blank; 李四 writes 0 in both.
    born = pd.date_range("1962-05-01", periods=80, freq="13D").strftime("%Y%m%d")
    ids = iter([make_id(day, serial=301 + 2 * i) for i, day in enumerate(born)])
    blank = {c: None for c in ["家庭经营收入", "财产性收入", "转移性收入", "家庭经营费用支出",
                               "生产性固定资产折旧", "税金和上交承包费用"]}
    sheets = {}
    for village in ("前岗村", "后岗村"):
        sheets[village] = [household(户主身份证号=next(ids), 户主姓名=f"{village}{i}", 行政村=village,
                                     村民小组=f"{i // 8 + 1}组", 工资性收入=40000, 家庭总收入=40000,
                                     填表人="张三" if i < 12 else "李四", **(blank if i < 12 else {}))
                           for i in range(32)]
    path = write_workbook(tmp_path / "合隆镇.xlsx", sheets, more=["填表人"])
    done = runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report"), "--as-of", "2020-01-01"],
                         env={"COLUMNS": "200"})
    said = _flat(done.output)
    for village in ("前岗村", "后岗村"):
        assert f"合隆镇{village}(填表人张三):金额为0的都留空没有填0(他(她)在本村填的没有一处金额填0),12户共" \
               in said, (village, done.output)
    assert said.count("(他(她)在本村填的12户,") == 2, done.output
    assert "他(她)填的" not in said.replace("他(她)在本村填的", ""), done.output

    english = re.sub(r"\s+", " ", runner.invoke(app, ["check", str(path), "-o", str(tmp_path / "report-en"),
                                                      "--as-of", "2020-01-01", "--lang", "en"],
                                                env={"COLUMNS": "200"}).output)
    assert english.count("(no amount of this enumerator's work in the village is written 0)") == 2, english
    assert english.count("of this enumerator's in-village 12;") == 2, english
