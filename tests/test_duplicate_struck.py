"""A head on two rows, the old one struck through (删除线) and its copy below with other figures and no
note: duplicate_household names the struck row as the old one to delete, on both rows' messages. Before,
the words said only to keep the row with the checked figures, and a clerk could delete the new one
(an outside try, 2026-12-06: a township struck its old rows and typed the corrected ones below)."""

from __future__ import annotations

from typer.testing import CliRunner

from edgescreen.cli import app
from field_builders import households
from field_checks import issues, ledger
from test_marks import _struck_survey

runner = CliRunner()


def test_the_struck_row_of_a_head_on_two_rows_is_named_the_old_one(tmp_path):
    records = households(3)
    corrected = dict(records[1], **{"工资性收入": records[1]["工资性收入"] + 2400})
    corrected["家庭总收入"] = corrected["家庭总收入"] + 2400
    rows = [*records, corrected]  # 户主2 on rows 3 (struck) and 5 (its copy, wages +2,400, no note)
    path = _struck_survey(tmp_path / "杨树林乡.xlsx", rows, {1: None})
    out = tmp_path / "out"
    result = runner.invoke(app, ["screen", str(path), "-o", str(out), "--as-of", "2020-06-30"])
    assert result.exit_code == 0, result.output
    found = issues(out)
    dup = found[found["code"] == "duplicate_household"].set_index(found[found["code"] == "duplicate_household"]["row"].astype(int))
    assert sorted(dup.index) == [3, 5]
    old, new = dup.loc[3, "message"], dup.loc[5, "message"]
    assert "工资性收入 第3行 10000.00 元、第5行 12400.00 元" in old, old
    assert "这一行划了删除线,多半是旧的一行:核实无误后,请删去这一行,留下另一行" in old, old
    assert "另一行划了删除线,多半是旧的一行:核实无误后,请删去那一行,留下这一行" in new, new
    # Still an error on both until one is deleted, and every household once.
    assert len(ledger(out)) == 4
    assert set(ledger(out).query("head_name == '户主2'")["status"]) == {"invalid"}
