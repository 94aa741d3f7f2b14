"""An ID Excel stored as a number (2.20122195802276e+17) on a village's fix list: its digits were masked
as an ID's middle, 「2.2012**********e+17」, which reads as a number half masked (an outside try,
2026-12-05). Every digit before the exponent is starred; the message's advice stays."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from field_builders import households
from survey_builders import write_workbook
from edgescreen.cli import app


def test_an_id_stored_as_a_number_is_masked_whole_on_the_fix_list(tmp_path):
    rows = households(3, 行政村="东升村")
    rows[1]["户主身份证号"] = 220122195802276000.0  # a number cell, as Excel keeps an ID typed without '
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["check", str(write_workbook(tmp_path / "town.xlsx", rows)), "-o", str(out)])
    assert result.exit_code == 1, result.output
    ws = openpyxl.load_workbook(out / "quality-villages" / "合隆镇-东升村-问题清单.xlsx").active
    said = [row for row in ws.iter_rows(values_only=True) if any("身份证号被 Excel 存成了数字" in str(c) for c in row)]
    assert len(said) == 1, said
    text = " ".join(str(c) for c in said[0] if c is not None)
    assert "2.2012" not in text and "22012219" not in text, text
    assert "220122********6000" in text and "重新录入完整的 18 位" in text, text
