"""One form handed in twice (an outside tester's report, 2026-12): opened and saved again with no
change, its bytes differ and it was refused as two versions that differ; two versions that do differ
were refused without a word of where. The values read are compared: alike, the form is read once and
said; not, the cells that differ are named."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from spotcheck_builders import chinese_words  # noqa: F401  (autouse)
from spotcheck_builders import LABELS, fill, fill_all, pages_of, run, screened_and_drawn


@pytest.fixture
def county(tmp_path):
    return screened_and_drawn(tmp_path, unlisted_rate="0.25")


def _resaved(form, folder):
    folder.mkdir()
    openpyxl.load_workbook(form).save(folder / form.name)  # Excel's 保存 with nothing changed
    assert (folder / form.name).read_bytes() != form.read_bytes()
    return folder / form.name


def test_a_form_saved_again_unchanged_is_read_once_and_said(county):
    forms = fill_all(county / "抽查", county / "填好")
    again = _resaved(forms[0], county / "填好" / "补交")
    said = "".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r").output.split())
    assert "已核查10户(共抽10户,2份核查表)" in said, said
    assert f"{again}与{forms[0]}是同一份核查表,文件不完全相同(另存过),但填写的内容一样,只按一份比对。" in said, said


def test_two_versions_of_a_form_are_refused_naming_the_cells_that_differ(county):
    forms = fill_all(county / "抽查", county / "填好")
    again = _resaved(forms[0], county / "填好" / "补交")
    fill(again, {2: {"wage_income": 12345, "verify_notes": "补交:工资收入有误"}})
    row, column = pages_of(openpyxl.load_workbook(again).worksheets[0])[2][LABELS["wage_income"]]
    said = "".join(run("backcheck", county / "筛查", county / "填好", "-o", county / "r", code=2).output.split())
    assert f"{again}:与{forms[0]}是同一份文书,但两份内容不同:请只给其中正确的一份。不同之处:" in said, said
    wage = f"核查序号2「工资性收入(元)」(「入户核查表」{get_column_letter(column)}{row})这份是「12345」,另一份是「"
    assert wage in said, said
    assert "核查序号2「情况说明」" in said and "这份是「补交:工资收入有误」,另一份是「空白」" in said, said
