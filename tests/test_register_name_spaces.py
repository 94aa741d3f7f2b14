"""A space inside a name says nothing on the register's documents: typed to line names up (王  一,
or a full-width 王　一), it is the name printed, wherever the register compares or groups names; a
minority name's separator dot is part of the name. Before: on the 评议名单 「王 一」 in the printed
head's cell was refused as 与打印时不同…不能改动 (while the 异议处理 sheet took 「张 三」 and 「李海 」
passed), and a 帮扶责任人 「张 三」 on one row and 「张三」 on the next were two people: the 花名册
printed 「张 三、张三」, and a reprinted form returned with 「张三」 where 「张 三」 was held asked for
--amend. The register keeps each name as it was written; the 花名册 prints a person once, as first
written."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from register_builders import fill, meeting, table_rows
# The small county of test_years (前岗村 and 后岗村) registered, and its measure forms printed.
from test_measures_returned import flat, printed, query, registered_county
from test_register import Walk, dump
from years_builders import MeasureForm, run

QIAN = "合隆镇-前岗村-帮扶措施.xlsx"
HOU = "合隆镇-后岗村-帮扶措施.xlsx"


def test_a_name_on_the_review_list_with_spaces_typed_in_is_the_name_printed_but_a_dot_is_not(tmp_path):
    walk = Walk(tmp_path / "walk")
    doc = walk.issue("review")[0]  # 合隆镇-前岗村: 王一, 李二, 张三, 赵四
    seq = {r["户主姓名"]: int(r["序号"]) for r in table_rows(doc)}
    # A dot put into a name changes it: still refused, the cell named as typed. Beside an ID edited,
    # a name with a space typed in is not named as edited.
    masked = next(r["身份证号"] for r in table_rows(doc) if r["户主姓名"] == "李二")
    fill(doc, default=("同意", ""), form=meeting("2019年11月25日"),
         edit={(seq["王一"], "户主姓名"): "王·一", (seq["李二"], "户主姓名"): "李 二",
               (seq["李二"], "身份证号"): masked[:-1] + ("8" if masked[-1] == "9" else "9")})
    before = dump(walk.db)
    out = flat(walk.record(doc, code=2))
    assert f"序号 {seq['王一']} 的户主姓名与打印时不同(打印的是「王一」,现在是「王·一」)" in out, out
    assert f"序号 {seq['李二']} 的身份证号与打印时不同" in out and "现在是「李 二」" not in out, out
    assert dump(walk.db) == before
    fill(doc, edit={(seq["李二"], "身份证号"): masked})
    # Spaces typed in to line the names up (plain, two, full-width, after the name): the names printed.
    fill(doc, edit={(seq["王一"], "户主姓名"): "王  一", (seq["李二"], "户主姓名"): "李　二",
                    (seq["张三"], "户主姓名"): "张 三 ", (seq["赵四"], "户主姓名"): "赵四 "})
    out = flat(walk.record(doc))
    assert "不能改动" not in out, out
    decided = query(walk.db, "SELECT s.head_name, e.new FROM events e JOIN screened s ON s.household = e.household "
                             "WHERE e.step = 'review' AND e.field = 'decision' ORDER BY s.head_name")
    assert sorted(name for name, _ in decided) == sorted(["王一", "李二", "张三", "赵四"]), decided


# ---------------------------------------------------------------------------------------------
# The 帮扶措施 form: one 帮扶责任人 written with and without a space


@pytest.fixture(scope="module")
def registered(tmp_path_factory):
    return registered_county(tmp_path_factory, "name_spaces")


def people_on_the_roster(db: Path, path: Path) -> dict[str, str]:
    """The 花名册's 帮扶责任人 per head."""
    run("register", "export", db, "-o", path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if "户主姓名" in r)
    name, person = header.index("户主姓名"), header.index("帮扶责任人")
    return {r[name]: r[person] for r in ws.iter_rows(values_only=True)
            if isinstance(r[0], int) and r[person] is not None}


def test_one_support_person_written_with_and_without_a_space_is_one_person_on_the_roster(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="张 三")
    form.add("户A", 帮扶类型="就业", 帮扶内容="县内企业转移就业", 开始日期="2020-01-07", 帮扶责任人="张三")
    form.add("户A", 帮扶类型="产业扶持", 帮扶内容="肉牛养殖", 开始日期="2020-01-08", 帮扶责任人="张　三")
    form.add("户B", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="阿依古丽·买买提")
    form.add("户B", 帮扶类型="就业", 帮扶内容="县内企业转移就业", 开始日期="2020-01-07", 帮扶责任人="李 四")
    # The form's own identity cells: the head's name lined up with a space is the name printed.
    for r in form.rows_of("户A"):
        form.ws.cell(r, form.cols["户主姓名"]).value = "户 A"
    out = flat(run("register", "record", db, form.save(tmp_path / "前岗村-交回.xlsx")))
    assert "不能改动" not in out, out
    # The register keeps each measure's 帮扶责任人 as written (NFKC made the full-width space plain).
    held = query(db, "SELECT s.head_name, m.content, m.person FROM measures m JOIN screened s "
                     "ON s.household = m.household ORDER BY m.household, m.start")
    assert sorted(set(held)) == sorted({("户A", "种植技术培训", "张 三"), ("户A", "县内企业转移就业", "张三"),
                                        ("户A", "肉牛养殖", "张 三"), ("户B", "种植技术培训", "阿依古丽·买买提"),
                                        ("户B", "县内企业转移就业", "李 四")}), held
    # The 花名册 names each person once, as first written; a minority name keeps its dot.
    roster = people_on_the_roster(db, tmp_path / "花名册.xlsx")
    assert roster == {"户A": "张 三", "户B": "阿依古丽·买买提、李 四"}, roster


def test_a_reprinted_form_returned_with_the_person_written_without_the_space_changes_nothing(registered, tmp_path):
    db, forms = printed(registered, tmp_path)
    form = MeasureForm(forms / QIAN)
    form.add("户A", 帮扶类型="技术指导", 帮扶内容="种植技术培训", 开始日期="2020-01-06", 帮扶责任人="张 三")
    run("register", "record", db, form.save(tmp_path / "前岗村-第一次.xlsx"))
    run("register", "record", db, MeasureForm(forms / HOU).save(tmp_path / "后岗村-第一次.xlsx"))
    again = tmp_path / "forms2"
    run("register", "measures", db, "--date", "2020-03-01", "-o", again)
    # The village retyped the printed 帮扶责任人 without the space (or with a full-width one).
    back = MeasureForm(again / QIAN)
    row = back.measure_row("户A")
    for typed in ("张三", "张　三"):
        back.write(row, 帮扶责任人=typed)
        out = flat(run("register", "record", db, back.save(tmp_path / "前岗村-第二次.xlsx")))
        assert "--amend" not in out and "没有改动" in out, out
        assert query(db, "SELECT person FROM measures") == [("张 三",)]
    # Another name is another person: that still needs --amend.
    back.write(row, 帮扶责任人="张山")
    before = dump(db)
    out = flat(run("register", "record", db, back.save(tmp_path / "前岗村-第三次.xlsx"), code=2))
    assert "--amend" in out and "张山" in out, out
    assert dump(db) == before


def test_a_row_printed_before_spaces_were_let_pass_is_still_the_row_printed():
    """A document printed by an earlier edgescreen hashed 王 凤平 with its space: returned as printed,
    it is the row printed still (documents.row_matches), as 王凤平 is by the hash of now."""
    import hashlib

    from edgescreen.register.documents import HASH_CHARS, row_hash, row_matches

    cells = ["王 凤平", "220122196001100013", "1组"]
    before = hashlib.sha256("\x1f".join(cells).encode("utf-8")).hexdigest()[:HASH_CHARS]
    assert row_matches(cells, before) and row_matches(["王凤平", *cells[1:]], row_hash(cells))
    assert not row_matches(["王凤", *cells[1:]], before)
