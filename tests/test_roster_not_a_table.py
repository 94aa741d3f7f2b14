"""A roster given as a PDF or a scan is refused in a roster's words: ask the department for its Excel
list (an outside try, try BQ: a 特困 roster as a PDF was told 「读不出里面的农户。请向报送的乡镇或村要调查表
的 Excel 原件」, the words of a township's survey). A survey given as a PDF keeps its own words."""

from __future__ import annotations

from test_rosters import named_county, run


def _flat(text: str) -> str:
    return "".join(text.split())


def test_a_roster_as_a_pdf_is_refused_asking_the_department(tmp_path):
    _, survey, _ = named_county(tmp_path, ["张三", "李四"], 500)
    roster = tmp_path / "特困供养人员名单.pdf"
    roster.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    result = run("screen", survey, "-o", tmp_path / "out", "--as-of", "2019-12-31", "--roster", f"特困={roster}")
    said = _flat(result.output)
    assert result.exit_code == 2, result.output
    assert "特困供养人员名单.pdf:这是PDF文件,不是表格,edgescreen读不出" in said, said
    assert "请向提供名单的部门要名单的Excel文件" in said and "调查表" not in said, said


def test_a_survey_as_a_pdf_keeps_the_surveys_words(tmp_path):
    survey = tmp_path / "合隆镇.pdf"
    survey.write_bytes(b"%PDF-1.4\n%%EOF\n")
    said = _flat(run("screen", survey, "-o", tmp_path / "out").output)
    assert "请向报送的乡镇或村要调查表的Excel原件" in said, said
