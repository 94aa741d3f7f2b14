"""A measure form that comes back with nothing new on it (blank, or with only what the register
held) is a form returned. Before: recording it left no trace in the register, so it stayed "out"
for good: every later `register measures --force` carried it into the new folder as a live form
(帮扶措施:N 份已发出、尚未登记的文书原样保留), its village's new form took a dated name beside it,
and recording it again said once more that nothing was filled in. Now the return is recorded (a
changeset naming the form and the file it came back as, and an event `returned`), appended like
everything else, and the terminal says the form came back with nothing new."""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from test_years import PEOPLE_2019, copy_db  # the small county of test_years: 前岗村 and 后岗村
from years_builders import MeasureForm, register_everyone, run

QIAN = "合隆镇-前岗村-帮扶措施.xlsx"
HOU = "合隆镇-后岗村-帮扶措施.xlsx"
CARRIED = "份已发出、尚未登记的文书原样保留在"
RETURNED_ZH = "表上没有填写新的措施或更改,没有改动。此表已登记为交回(无新内容),不再算作未交回。"
RETURNED_EN = ("nothing new or changed is filled in on this form; no measure changed. The form is recorded as "
               "returned (nothing new) and is no longer out.")


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flat(result) -> str:
    return " ".join(result.output.split())


def query(db: Path, sql: str, *params) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def doc_id_of(db: Path, file_name: str, issued: str) -> str:
    return query(db, "SELECT doc_id FROM documents WHERE step = 'measures' AND file_name = ? AND issued = ?",
                 file_name, issued)[0][0]


def returns_of(db: Path, doc_id: str) -> list[tuple]:
    """The register's record of a form's return: (changeset's command, source file, event field, new)."""
    return query(db, "SELECT c.command, c.source_file, e.field, e.new, e.step, e.township, e.village "
                     "FROM changesets c JOIN events e ON e.changeset = c.id WHERE c.doc_id = ? ORDER BY e.id", doc_id)


def registered_county(tmp_path_factory, name: str) -> Path:
    """test_years' small county screened and taken onto the register, once per module."""
    tmp = tmp_path_factory.mktemp(name)
    (tmp / "registered").mkdir()
    return register_everyone(tmp, PEOPLE_2019, db=tmp / "registered" / "农安县.db")


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "measures_returned")


def printed(registered, tmp_path, day: str = "2020-01-05") -> tuple[Path, Path]:
    db = copy_db(registered, tmp_path / "农安县.db")
    forms = tmp_path / "forms"
    run("register", "measures", db, "--date", day, "-o", forms)
    return db, forms


def recorded_in_place(registered, tmp_path) -> tuple[Path, Path, str]:
    """The measure forms printed, 前岗村's filled in where it was printed (a 技术指导 for its first
    household) and recorded from there: (the register, the forms' folder, that household's head)."""
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    head = next(p["户主姓名"] for p in PEOPLE_2019 if p.get("行政村") == "前岗村")
    form.add(head, 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
    form.save()
    run("register", "record", db, form.path)
    return db, forms, head


def test_a_form_returned_blank_is_recorded_as_returned_and_no_longer_carried(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    hou_first = sha(forms / HOU)
    # 前岗村's clerk opened the form, had nothing to add, saved it and sent it back.
    back = MeasureForm(forms / QIAN).save(tmp_path / "前岗村-交回.xlsx")
    output = flat(run("register", "record", db, back))
    assert f"前岗村-交回.xlsx:帮扶措施,合隆镇前岗村:{RETURNED_ZH}" in output, output
    doc_id = doc_id_of(db, QIAN, "2020-01-05")
    assert returns_of(db, doc_id) == [("register record", "前岗村-交回.xlsx", "returned", "nothing_new", "measures",
                                       "合隆镇", "前岗村")]
    assert query(db, "SELECT count(*) FROM measures") == [(0,)]
    # Reprinted over the folder: 前岗村's returned form is not carried, its new form takes the plain
    # name; 后岗村's, still out, is carried byte for byte and its new form carries its day.
    said = flat(run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force"))
    now = sorted(p.name for p in forms.glob("*.xlsx"))
    assert now == sorted([QIAN, HOU, "合隆镇-后岗村-帮扶措施-2020-06-01.xlsx"]), now
    assert sha(forms / HOU) == hou_first
    assert f"帮扶措施:1 {CARRIED}" in said, said
    assert doc_id_of(db, QIAN, "2020-06-01") != doc_id  # the file there now is the new form


def test_a_form_returned_with_only_what_the_register_held_is_returned(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    first = MeasureForm(forms / QIAN)
    first.add("户A", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
    run("register", "record", db, first.save(tmp_path / "前岗村-第一次.xlsx"))
    run("register", "record", db, MeasureForm(forms / HOU).save(tmp_path / "后岗村-第一次.xlsx"))
    again = tmp_path / "forms2"
    run("register", "measures", db, "--date", "2020-03-01", "-o", again)
    # The reprint of 前岗村 comes back with 户A's measure as printed and nothing else: returned.
    back = MeasureForm(again / QIAN).save(tmp_path / "前岗村-第二次.xlsx")
    output = flat(run("register", "record", db, back))
    assert f"前岗村-第二次.xlsx:帮扶措施,合隆镇前岗村:{RETURNED_ZH}" in output, output
    assert [r[:4] for r in returns_of(db, doc_id_of(db, QIAN, "2020-03-01"))] == [
        ("register record", "前岗村-第二次.xlsx", "returned", "nothing_new")]
    said = flat(run("register", "measures", db, "--date", "2020-06-01", "-o", again, "--force"))
    assert f"帮扶措施:1 {CARRIED}" in said, said  # 后岗村's reprint only
    assert sorted(p.name for p in again.glob("*.xlsx")) == sorted([QIAN, HOU, "合隆镇-后岗村-帮扶措施-2020-06-01.xlsx"])


def test_every_form_returned_blank_leaves_nothing_out_and_says_so_in_english(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    back = [MeasureForm(forms / name).save(tmp_path / f"交回-{name}") for name in (QIAN, HOU)]
    output = flat(run("register", "record", db, *back, "--lang", "en"))
    assert f"交回-{QIAN}: support measures, 合隆镇前岗村: {RETURNED_EN}" in output, output
    assert f"交回-{HOU}: support measures, 合隆镇后岗村: {RETURNED_EN}" in output, output
    said = flat(run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force"))
    assert CARRIED not in said, said
    assert sorted(p.name for p in forms.glob("*.xlsx")) == sorted([QIAN, HOU])


def test_a_returned_form_recorded_again_changes_nothing_and_can_still_bring_measures(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    back = MeasureForm(forms / QIAN).save(tmp_path / "前岗村-交回.xlsx")
    run("register", "record", db, back)
    doc_id = doc_id_of(db, QIAN, "2020-01-05")
    changesets = query(db, "SELECT count(*) FROM changesets")
    output = flat(run("register", "record", db, back))
    assert "前岗村-交回.xlsx:帮扶措施,合隆镇前岗村:已经登记过,内容相同,没有改动。" in output, output
    assert RETURNED_ZH not in output
    assert query(db, "SELECT count(*) FROM changesets") == changesets and len(returns_of(db, doc_id)) == 1
    # The village writes a measure on the same form after all: recorded as any measure is.
    late = MeasureForm(back)
    late.add("户A", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
    output = flat(run("register", "record", db, late.save(tmp_path / "前岗村-补填.xlsx")))
    assert "前岗村-补填.xlsx:帮扶措施,合隆镇前岗村:1 户的 1 项措施已登记。" in output, output
    assert query(db, "SELECT content, person FROM measures") == [("种植技术培训", "王干部")]


def test_the_return_is_appended_and_the_register_stays_append_only(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    documents = query(db, "SELECT * FROM documents ORDER BY id")
    run("register", "record", db, MeasureForm(forms / QIAN).save(tmp_path / "前岗村-交回.xlsx"))
    assert query(db, "SELECT * FROM documents ORDER BY id") == documents  # the printed form as it was
    con = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute("DELETE FROM events WHERE field = 'returned'")
    finally:
        con.close()


def test_a_folder_recorded_before_the_villages_replied_leaves_its_forms_as_printed_out(registered, tmp_path):
    """`register record` over the whole folder of forms, as printed, byte for byte: no village has
    replied. Each is passed over, as a step's form is, and stays out: recorded as returned, a reprint
    would no longer carry the form the village is filling in."""
    db, forms = printed(registered, tmp_path)
    output = flat(run("register", "record", db, forms))
    assert "2 份文书还没有填写(与打印时一字不差),已跳过" in output, output
    assert query(db, "SELECT count(*) FROM changesets WHERE doc_id IN "
                     "(SELECT doc_id FROM documents WHERE step = 'measures')") == [(0,)]
    again = flat(run("register", "measures", db, "--date", "2020-06-01", "-o", forms, "--force"))
    assert f"2 {CARRIED}" in again, again


def test_a_batch_of_measure_forms_reads_the_registry_once(registered, tmp_path, monkeypatch):
    """An outside try at county scale: recording 331 villages' measure forms read every decision of the
    county once per form (registry, three times a form), 347 s at 100,000 households against 9.7 s at
    20,000. Within one command that writes nothing meanwhile, it is read once."""
    import importlib

    registry_module = importlib.import_module("edgescreen.register.registry")

    db, forms = printed(registered, tmp_path)
    for name in (QIAN, HOU):
        form = MeasureForm(forms / name)
        person = next(form.ws.cell(r, form.cols["户主姓名"]).value for r in range(form.header + 1, form.ws.max_row + 1)
                      if form.ws.cell(r, form.cols["户主姓名"]).value)
        form.add(person, 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
        form.save(tmp_path / name)
    reads = []
    real = registry_module._registry
    monkeypatch.setattr(registry_module, "_registry", lambda reg, **kw: reads.append(kw) or real(reg, **kw))
    output = flat(run("register", "record", db, tmp_path / QIAN, tmp_path / HOU))
    assert "已登记" in output, output
    assert len([r for r in reads if r.get("as_of") is None]) == 1, reads


def test_measures_on_a_copied_sheet_are_refused_and_a_sign_in_sheet_is_said(registered, tmp_path):
    """A village out of rows copied the table to a 续表 and filled 户B's measure there: before, the form
    was recorded as returned with nothing new, and the measure was lost without a word."""
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    more = form.book.copy_worksheet(form.ws)
    more.title = "续表"
    form.add("户A", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="王干部")
    row = next(r for r in range(form.header + 1, more.max_row + 1) if more.cell(r, form.cols["户主姓名"]).value == "户B")
    for header, value in (("帮扶类型", "产业帮扶"), ("帮扶内容", "发放鸡苗200只"), ("开始日期", "2020-01-10"),
                          ("帮扶责任人", "王干部")):
        more.cell(row, form.cols[header]).value = value
    back = form.save(tmp_path / "前岗村-续表.xlsx")
    before = query(db, "SELECT count(*) FROM events")
    said = flat(run("register", "record", db, back, code=2))
    assert f"前岗村-续表.xlsx 「续表」C{row}:工作表「续表」上也填了帮扶措施(1 行,如第 {row} 行「户B」)" in said, said
    assert query(db, "SELECT count(*) FROM events") == before  # 户A's measure waits with the form
    # Moved back onto the printed sheet, and a sign-in sheet added: recorded, the sign-in sheet said.
    del form.book["续表"]
    form.add("户B", 帮扶类型="产业帮扶", 帮扶内容="发放鸡苗200只", 开始日期="2020-01-10", 帮扶责任人="王干部")
    form.book.create_sheet("签到表").append(["参会人员", "张三", "李四"])
    said = flat(run("register", "record", db, form.save(tmp_path / "前岗村-改好.xlsx")))
    assert "注意:工作表「签到表」不是打印的文书里的,上面的内容没有登记(3 格,如「参会人员、张三、李四」)" in said, said
    assert "工作表「帮扶类型」" not in said, said  # the types' sheet the form was printed with
    assert sorted(r[0] for r in query(db, "SELECT content FROM measures")) == ["发放鸡苗200只", "种植技术培训"]
