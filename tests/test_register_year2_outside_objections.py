"""A second year's outside try: objections naming a household outside a posted list.
(1) An exit posting's upheld 名单外 objection that a registered household not leaving should leave too
was recorded and then shown nowhere: now in `register status` (terminal and 进度.xlsx, 也应退出异议),
with what to do next round, and in that household's `register history --id`.
(2) A household this round's 民主评议 took off, named 名单外 on the 第一次公示 by an upheld objection, was
called a 漏评 to survey: it was on the list; the objection contests the meeting's decision."""
from __future__ import annotations

import openpyxl

from register_builders import fill
from test_register import IDS as ROUND_IDS, Walk
from test_years import IDS, copy_db, county  # noqa: F401  (the module's county, a fixture)
from years_builders import exit_publicity_form, run


def _flat(text: str) -> str:
    return "".join(text.split())


def test_an_upheld_should_leave_too_objection_is_in_status_and_history(county, tmp_path):  # noqa: F811
    db = copy_db(county["db"], tmp_path / "农安县.db")
    notice = exit_publicity_form(db, tmp_path)
    # 户A stays on the register (继续帮扶): not on the exit list.
    fill(notice, objections=[("户A", "该户也有稳定收入,应一并退出", "成立", "2020-12-02", "名单外")])
    run("register", "record", db, notice)
    status = _flat(run("register", "status", db, "--as-of", "2020-12-10", "-o", tmp_path / "进度.xlsx").output)
    assert "退出公示期间对名单外在册户的异议(也应退出)" in status, status
    assert "户A(合隆镇前岗村)—退出公示2020年12月2日成立:该户也有稳定收入,应一并退出" in status, status
    assert "下一轮请核实该户收入,达到退出条件的按退出程序办理" in status, status
    assert "入户登记" not in status, status
    ws = openpyxl.load_workbook(tmp_path / "进度.xlsx")["也应退出异议"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[1] == ["序号", "乡(镇)", "行政村", "公示", "户主姓名", "异议内容", "处理结果", "处理日期", "下一步"], rows
    assert rows[2][4:8] == ["户A", "该户也有稳定收入,应一并退出", "成立", "2020年12月2日"], rows
    assert "退出程序" in rows[2][8], rows
    history = _flat(run("register", "history", db, "--id", IDS["A"]).output)
    assert "名单外在册户异议所涉户主:户A" in history, history
    assert "名单外在册户异议内容:该户也有稳定收入,应一并退出" in history, history
    assert "名单外在册户异议处理结果:成立" in history, history
    # Another household of the register is not named: its history has none of it.
    assert "名单外在册户异议" not in _flat(run("register", "history", db, "--id", IDS["B"]).output)


def test_a_household_the_meeting_took_off_named_outside_the_posting_is_no_omission(tmp_path):
    walk = Walk(tmp_path)
    walk.through("verify")  # 李二 (前岗村) taken off at the 民主评议 of 2019-11-25: 不同意
    walk.issue("publicity1")
    fill(walk.doc("publicity1", "前岗村"), objections=[("李二", "小轿车是借的,应纳入", "成立", "2019-12-04", "名单外")])
    said = _flat(walk.record(*walk.issue("publicity1")).output)
    assert "已登记对名单外农户「李二」的异议(2019-12-04处理,成立)" in said, said
    assert "该户本轮已在名单上,2019-11-25在「民主评议」中移出,不是漏评,不必入户登记" in said, said
    assert "入户登记表" not in said, said
    status = _flat(run("register", "status", walk.db, "-o", tmp_path / "进度.xlsx").output)
    assert "李二(合隆镇前岗村)—第一次公示2019年12月4日成立:小轿车是借的,应纳入。该户本轮已在名单上," \
           "2019年11月25日在「民主评议」中移出,不是漏评" in status, status
    assert "请为该户入户登记" not in status, status
    ws = openpyxl.load_workbook(tmp_path / "进度.xlsx")["漏评异议"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert "民主评议" in rows[2][8] and "县级复审" in rows[2][8], rows
    # A household never on the list, upheld, still needs its survey.
    assert "李二" in _flat(run("register", "history", walk.db, "--id", ROUND_IDS["李二"]).output)
