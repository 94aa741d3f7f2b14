"""A sheet named for households taken off the list (删除户, 迁出户), kept beside the live ones: its
households are read and decided as every household is, each warned with the sheet's name
(sheet_named_removed, marks.py). An outside try (2026-12-06): a township's 「删除户」 sheet of 12 removed
households was read as live, 5 of them 贫困边缘户候选 on the village lists, `check` saying 没有错误级问题."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.catalogue import fields
from edgescreen.cli import app
from field_checks import issues, ledger
from survey_builders import household, make_id, write_workbook

runner = CliRunner()


def _households(names: list[str], start: int) -> list[dict]:
    return [household(**{"户主姓名": name, "户主身份证号": make_id("19650101", serial=start + 2 * i)})
            for i, name in enumerate(names)]


def test_the_households_of_a_sheet_named_removed_are_decided_and_each_warned(tmp_path):
    live = _households(["张一", "王二", "李三"], 11)
    removed = _households(["赵四", "钱五"], 41)  # clean candidates, as the try's were
    path = write_workbook(tmp_path / "高家店镇.xlsx", {"高家店镇": live, "删除户": removed})
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    # A run of warnings only ends saying them: no error line to send the clerk to the report.
    said = "".join(result.output.split())
    assert "有2条警告,涉及2户(工作表名像删除户2条):警告不改变认定,请在report.html里逐条核实。" in said, said
    decided = ledger(out)
    assert sorted(decided["head_name"]) == ["张一", "李三", "王二", "赵四", "钱五"]  # every one, once
    said = issues(out)
    warned = said[said["code"] == "sheet_named_removed"]
    assert sorted(warned["row"].astype(int)) == [2, 3] and set(warned["sheet"]) == {"删除户"}
    message = warned.iloc[0]["message"]
    assert "工作表「删除户」" in message and "「删除户」,像是删除、迁出或作废的农户" in message, message
    # The live sheet's households: not warned; the decision is the cells' (a warning changes none).
    assert not (said["sheet"] == "高家店镇").any()
    assert set(decided["status"]) == {"candidate"}


def test_a_sheet_named_for_the_list_cleaned_of_duplicates_is_not_warned(tmp_path):
    path = write_workbook(tmp_path / "高家店镇.xlsx", {"删除重复后": _households(["张一", "王二"], 11)})
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    assert "sheet_named_removed" not in set(issues(out)["code"]) if len(issues(out)) else True


def test_the_names_read_as_removed():
    rows = fields().rows
    for name in ("删除户", "已删除农户", "迁出户", "死亡户 ", "作废", "２０１９年销户", "迁出户(核实后)", "后岗村删除户"):
        assert rows.removed_word(name) is not None, name
    for name in ("合隆镇", "前岗村", "删除重复后", "已删除重复户", "删除后名单", "2019年迁出务工人员", "汇总", "Sheet1"):
        assert rows.removed_word(name) is None, name
