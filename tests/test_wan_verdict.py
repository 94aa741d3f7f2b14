"""Households whose amounts look typed wholly in 万元 stay a warning (domain §6), but the verdict says
what it means: left so, the screen decides them below the poverty line (an outside try's township sent a
whole village typed in 万元 after `check` said "no error-level issue")."""

from __future__ import annotations

from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_workbook
from edgescreen.cli import app


def _flat(result) -> str:
    return " ".join(result.output.split()).replace(" ", "")


def test_check_and_screen_say_what_households_typed_in_wan_become(tmp_path):
    in_wan = households(3, 工资性收入=1.2, 家庭总收入=1.2, 行政村="东升村")
    path = write_workbook(tmp_path / "伏龙泉镇.xlsx", households(2, first_serial=10) + in_wan)
    checked = CliRunner().invoke(app, ["check", str(path), "-o", str(tmp_path / "check")])
    assert checked.exit_code == 0, checked.output  # a warning: no error-level issue
    said = _flat(checked)
    assert ("其中3户的金额疑似整户按万元填写(合隆镇东升村3户):这是警告,但不改正,筛查时这些户会按所填的数认定为"
            "「低于贫困标准」") in said, said
    screened = CliRunner().invoke(app, ["screen", str(path), "-o", str(tmp_path / "screen")])
    assert screened.exit_code == 0 and "其中3户的金额疑似整户按万元填写" in _flat(screened), screened.output

    # Without such a household, no such line.
    clean = write_workbook(tmp_path / "合隆镇.xlsx", households(3))
    assert "万元" not in _flat(CliRunner().invoke(app, ["check", str(clean), "-o", str(tmp_path / "clean")]))
