"""A head ID Excel stored as a number (2.20122195802276E+17) starred whole (*.**************E+17) on
what the register prints and says, as the village lists already star it: the review list and the
other step documents that print the ID, and the measure form. Its first and last digits kept as an
ID's are (2.2012**********E+17) read as a number half shown. Documents printed so are still recognised
when they come back (they are matched by the hash of the cells they printed). And `register history`,
given a head's name for the ID, suggests asking by the masked ID with the name when other heads'
IDs read alike masked: such an ID starred whole matches every ID stored so.

Today's survey check holds such an ID invalid, so the register's own rows get one as a register kept
from before holds it (test_register_views_dates_ids)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from register_builders import household_table
from test_register import IDS, Walk, run
from test_register_views_dates_ids import _stored_as_a_number

WHOLE = "*.**************E+17"
HALF = "2.2012"  # what the ID's mask printed of it before


def _id_cell(path: Path, sheet: str, name: str) -> str:
    ws = openpyxl.load_workbook(path)[sheet]
    at, cols = household_table(ws)
    row = next(r for r in range(at + 1, ws.max_row + 1) if ws.cell(r, cols["户主姓名"]).value == name)
    return ws.cell(row, cols["身份证号"]).value


def test_the_step_documents_and_the_measure_form_star_an_id_stored_as_a_number_whole(tmp_path):
    walk = Walk(tmp_path)
    _stored_as_a_number(walk.db, ("王一",))
    walk.through("announcement")  # every document printed with the ID starred, and recorded back
    for step in ("review", "verify", "publicity1"):  # the lists that print the ID
        doc = walk.doc(step, "前岗村")
        assert _id_cell(doc, openpyxl.load_workbook(doc).sheetnames[0], "王一") == WHOLE, step
    history = run("register", "history", walk.db, "--id", IDS["李二"]).output  # the review list came back
    assert "民主评议" in history, history
    forms = tmp_path / "measures"
    run("register", "measures", walk.db, "--date", "2020-01-05", "-o", forms)
    form = next(p for p in sorted(forms.glob("*.xlsx")) if "前岗村" in p.name)
    assert _id_cell(form, "帮扶措施", "王一") == WHOLE
    # Filled and returned, the form printed so is recognised.
    book = openpyxl.load_workbook(form)
    ws = book["帮扶措施"]
    at, cols = household_table(ws)
    row = next(r for r in range(at + 1, ws.max_row + 1) if ws.cell(r, cols["户主姓名"]).value == "王一")
    for header, value in (("帮扶类型", "综合保障"), ("帮扶内容", "残疾人两项补贴"), ("开始日期", "2020-02-10"),
                          ("帮扶责任人", "刘洋")):
        ws.cell(row, cols[header]).value = value
    book.save(form)
    said = "".join(walk.record(form).output.split())
    assert "1户的1项措施已登记" in said, said


def test_history_suggests_the_name_with_an_id_starred_whole_that_other_heads_share(tmp_path):
    walk = Walk(tmp_path)
    _stored_as_a_number(walk.db, ("王一", "钱五"))  # two heads whose IDs Excel stored as numbers
    said = " ".join(run("register", "history", walk.db, "--id", "王一", code=2).output.split())
    assert f"{WHOLE}(合隆镇前岗村)" in said and f"如 --id {WHOLE} --name 王一" in said, said
    assert HALF not in said, said
    shown = run("register", "history", walk.db, "--id", WHOLE, "--name", "王一").output
    assert "王一" in shown and "钱五" not in shown, shown
    # An ID no other head's reads alike: the masked ID alone, as before.
    said = " ".join(run("register", "history", walk.db, "--id", "李二", code=2).output.split())
    masked = IDS["李二"][:6] + "*" * 8 + IDS["李二"][-4:]
    assert f"如 --id {masked}。" in said, said

