"""A township's workbook as village accountants type it (outside try AH): a head count written 3口人,
read as 3 like 3人; and a 是/否 column ticked √ where it applies and blank elsewhere, with no 打√ in its
header, whose blanks are said as most likely its 否 (read so, nothing to type), not as a column never
filled in ("请逐户填写是或否" for 363 cells of a village that had ticked its 8 低保 households)."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import HEADERS, household, make_id, write_workbook
from edgescreen.cli import app
from edgescreen.outputs.ledger import read_issues

runner = CliRunner()
DIBAO = chr(ord("A") + HEADERS.index("是否低保户"))


def _people(village: str, n: int, dibao, first: int) -> list[dict]:
    return [household(**{"行政村": village, "户主姓名": f"{village}{i}", "户主身份证号": make_id(serial=first + i),
                         "是否低保户": dibao(i)}) for i in range(n)]


def test_a_ticked_column_blank_elsewhere_is_said_as_its_no_and_3_kou_ren_is_3(tmp_path):
    ticked = _people("陈家店村", 30, lambda i: "√" if i < 3 else "", 100)
    people = ticked[:1] + [{**ticked[1], "家庭人口数": "3口人"}] + ticked[2:]
    survey = write_workbook(tmp_path / "合隆镇.xlsx", {"陈家店村": people,
                                                     "前岗村": _people("前岗村", 30, lambda i: "否" if i < 3 else "", 200)})
    result = runner.invoke(app, ["check", str(survey), "-o", str(tmp_path / "报告")], env={"COLUMNS": "400"})
    said = "".join(result.output.split())
    issues = read_issues(tmp_path / "报告" / "issues.csv")
    # 3口人 is a head count like 3人: nothing said of it.
    assert not (issues["code"].eq("not_a_number") & issues["field"].eq("members")).any(), issues
    # The ticked sheet's blanks: most likely its 否; the other sheet's (否 written, some left blank): to fill in.
    ticked_finding = f"合隆镇.xlsx「陈家店村」{DIBAO}列「是否低保户」:漏填27行"
    written_finding = f"合隆镇.xlsx「前岗村」{DIBAO}列「是否低保户」:漏填27行"
    assert ticked_finding in said and written_finding in said, said
    ticked_words = said.split(ticked_finding)[1].split("合隆镇.xlsx")[0]
    written_words = said.split(written_finding)[1].split("合隆镇.xlsx")[0]
    assert "这一列只在「是」的户打了√或写了是,其余留空,空格都按「否」处理:空格确实是「否」的无须修改" in ticked_words, said
    assert "请逐户填写是或否" in written_words and "打了√" not in written_words, said
    # Row by row too (issues.csv): each sheet's blanks in its own words.
    blanks = issues[issues["code"].eq("missing_value") & issues["field"].eq("is_dibao")]
    words = {sheet: set(m) for sheet, m in blanks.groupby("sheet")["message"]}
    assert len(words["陈家店村"]) == 27 and all("无须修改" in m for m in words["陈家店村"]), words
    assert not any("无须修改" in m for m in words["前岗村"]), words
