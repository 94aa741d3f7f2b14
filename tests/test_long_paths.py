"""A path longer than the system takes (a name over 255 bytes: 农安县贫困边缘户筛查结果 eight times) given for
the register or an output: an outside try got 内部错误(OSError) from `register status`, `register next -o`
and `screen --register`, Path.exists raising File name too long where the real refusal was to be said."""

from __future__ import annotations

from typer.testing import CliRunner

from survey_builders import household, make_id, write_workbook
from edgescreen.cli import app

runner = CliRunner()
LONG = "农安县贫困边缘户筛查结果" * 8  # 288 bytes in UTF-8


def said(result) -> str:
    return "".join(result.output.split())


def test_a_name_too_long_is_said_never_an_internal_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    survey = write_workbook(tmp_path / "合隆镇.xlsx", [
        household(**{"户主身份证号": make_id("19700101", serial=500 + 2 * i), "户主姓名": f"户{i}"}) for i in range(2)])
    first = runner.invoke(app, ["screen", str(survey), "-o", "o1", "--register", f"{LONG}.db"])
    assert first.exit_code == 2 and "太长" in said(first) and "内部错误" not in said(first), first.output
    status = runner.invoke(app, ["register", "status", f"{LONG}.db"])
    assert status.exit_code == 2 and "文件名太长" in said(status) and "内部错误" not in said(status), status.output
    made = runner.invoke(app, ["screen", str(survey), "-o", "o2", "--register", "农安县.db", "--date", "2019-12-02"])
    assert made.exit_code == 0, made.output
    docs = runner.invoke(app, ["register", "next", "农安县.db", "--date", "2019-12-03", "-o", LONG])
    assert docs.exit_code == 2 and "太长" in said(docs) and "内部错误" not in said(docs), docs.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o2", "农安县.db", "合隆镇.xlsx"]
